//! YAML as CloudFormation reads it. Short-form tags and their long forms:
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
//! YAML templates: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html

use super::*;

fn tree(text: &str) -> Value {
    parse(&Source::new("t.yaml", text)).unwrap()
}

fn error(text: &str) -> String {
    parse(&Source::new("t.yaml", text)).unwrap_err().message
}

#[test]
fn an_unquoted_date_is_a_string_and_spans_point_into_the_yaml() {
    let text = "Version: 2012-10-17\nCount: 3\nFlag: true\nQuoted: 'true'\nNone: ~\n";
    let v = tree(text);
    let version = v.get("Version").unwrap();
    assert_eq!(version.kind, Kind::String("2012-10-17".into()));
    assert_eq!(
        &text[version.span.start as usize..version.span.end as usize],
        "2012-10-17"
    );
    assert_eq!(v.get("Count").unwrap().kind, Kind::Number("3".into()));
    assert_eq!(v.get("Flag").unwrap().kind, Kind::Bool(true));
    assert_eq!(v.get("Quoted").unwrap().kind, Kind::String("true".into()));
    assert_eq!(v.get("None").unwrap().kind, Kind::Null);
}

#[test]
fn spans_are_byte_offsets_after_non_ascii_text() {
    let text = "Description: \"héllo wörld\"\nAction: s3:GetObject\n";
    let v = tree(text);
    let a = v.get("Action").unwrap();
    assert_eq!(
        &text[a.span.start as usize..a.span.end as usize],
        "s3:GetObject"
    );
}

#[test]
fn short_form_tags_become_the_long_form() {
    let v = tree(
        "A: !Ref Bucket\nB: !GetAtt Role.Arn\nC: !Sub 'arn:${AWS::Partition}:s3:::x'\nD: !Join ['', [a, b]]\nE: !If [C, x, y]\n",
    );
    let a = v.get("A").unwrap();
    assert_eq!(a.get("Ref").unwrap().kind, Kind::String("Bucket".into()));
    let b = v.get("B").unwrap().get("Fn::GetAtt").unwrap();
    let Kind::Array(parts) = &b.kind else {
        panic!("{b:?}")
    };
    assert_eq!(parts[0].kind, Kind::String("Role".into()));
    assert_eq!(parts[1].kind, Kind::String("Arn".into()));
    assert!(v.get("C").unwrap().get("Fn::Sub").is_some());
    assert!(v.get("D").unwrap().get("Fn::Join").is_some());
    assert!(v.get("E").unwrap().get("Fn::If").is_some());
}

#[test]
fn unknown_tags_duplicate_keys_and_several_documents_are_errors() {
    assert!(error("A: !Bogus x\n").contains("unknown tag `!Bogus`"));
    assert!(error("A: !!binary aGk=\n").contains("unknown tag"));
    assert!(error("A: 1\nA: 2\n").contains("duplicate key `A`"));
    assert!(error("A: 1\n---\nB: 2\n").contains("more than one YAML document"));
    assert!(error("A: [1, 2\n").contains("invalid YAML"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = error(&deep);
    // the scanner's own limit or ours, whichever comes first
    assert!(
        e.contains("nesting deeper") || e.contains("recursion limit"),
        "{e}"
    );
    let ours = format!(
        "{}1{}",
        "[".repeat(MAX_DEPTH + 1),
        "]".repeat(MAX_DEPTH + 1)
    );
    let e = error(&ours);
    assert!(
        e.contains("nesting deeper") || e.contains("recursion limit"),
        "{e}"
    );
}

/// "Billion laughs": nine aliases per level, nine levels, would be 9^9 nodes.
#[test]
fn alias_bombs_stop_at_the_node_limit_quickly() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, next) = (w[0], w[1]);
        text.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let started = std::time::Instant::now();
    let e = error(&text);
    assert!(e.contains("aliases expand the document past"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn small_aliases_are_expanded() {
    let v = tree("a: &x [s3:GetObject]\nb: *x\n");
    assert_eq!(v.get("a").unwrap().kind, v.get("b").unwrap().kind);
}
