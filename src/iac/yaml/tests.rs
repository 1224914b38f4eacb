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

/// The non-specific tag `!` leaves the node as if untagged (YAML 1.2 section 6.9.1; PyYAML,
/// which cfn-lint and the AWS CLI use, reads it so): cfn-lint's "good" fixture
/// `templates/good/no_value.yaml` writes `! "Ref": "AWS::AccountId"` inside a `Fn::Join` list
/// (red team 70a).
#[test]
fn the_non_specific_tag_is_no_tag() {
    let v = tree(
        "A: ! \"lambda.amazonaws.com\"\nB: [x, ! \"Ref\": \"AWS::AccountId\"]\nC: ! {k: v}\nD: ! [1]\nE: ! 'true'\n",
    );
    assert_eq!(
        v.get("A").unwrap().kind,
        Kind::String("lambda.amazonaws.com".into())
    );
    let Kind::Array(items) = &v.get("B").unwrap().kind else {
        panic!("{v:?}")
    };
    assert_eq!(
        items[1].get("Ref").unwrap().kind,
        Kind::String("AWS::AccountId".into())
    );
    assert_eq!(
        v.get("C").unwrap().get("k").unwrap().kind,
        Kind::String("v".into())
    );
    assert!(matches!(v.get("D").unwrap().kind, Kind::Array(_)));
    assert_eq!(v.get("E").unwrap().kind, Kind::String("true".into()));
    // a named tag outside CloudFormation's stays an error
    assert!(error("A: !x y\n").contains("unknown tag `!x`"));
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

fn text_at(text: &str, v: &Value) -> String {
    text[v.span.start as usize..v.span.end as usize].to_string()
}

/// The YAML 1.1 merge key (<https://yaml.org/type/merge.html>), which PyYAML (SAM CLI,
/// `aws cloudformation package`, cfn-lint) expands: the merged keys are added, a key the
/// mapping writes itself wins and is no duplicate, and merged values keep the spans of the
/// anchored mapping. Red team 38 finding 2: `<<` was a property named `<<`.
#[test]
fn the_merge_key_adds_the_anchored_mapping() {
    let text = "Shared: &admin\n  ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n  RoleName: shared\nRole:\n  <<: *admin\n  RoleName: deploy\n";
    let v = tree(text);
    let role = v.get("Role").unwrap();
    assert!(role.get("<<").is_none(), "{role:?}");
    let arns = role.get("ManagedPolicyArns").unwrap();
    let Kind::Array(arns) = &arns.kind else {
        panic!("{arns:?}")
    };
    assert_eq!(
        arns[0].kind,
        Kind::String("arn:aws:iam::aws:policy/AdministratorAccess".into())
    );
    // the span is where the merged value is written: in the anchored mapping
    assert_eq!(
        text_at(text, &arns[0]),
        "arn:aws:iam::aws:policy/AdministratorAccess"
    );
    assert!((arns[0].span.start as usize) < text.find("Role:\n").unwrap());
    // the mapping's own key wins over the merged one, wherever `<<` is written
    assert_eq!(
        role.get("RoleName").unwrap().kind,
        Kind::String("deploy".into())
    );
    let after = tree("a: &a {x: 1, y: 2}\nb: {x: 3, <<: *a}\n");
    assert_eq!(
        after.get("b").unwrap().get("x").unwrap().kind,
        Kind::Number("3".into())
    );
    assert_eq!(
        after.get("b").unwrap().get("y").unwrap().kind,
        Kind::Number("2".into())
    );
    let Kind::Object(members) = &after.get("b").unwrap().kind else {
        panic!()
    };
    assert_eq!(members.len(), 2);
    // an inline mapping can be merged too, and a merged mapping's own merges are kept
    let inline = tree("a: &a {<<: {x: 1}, y: 2}\nb: {<<: *a}\nc: {<<: {z: 3}}\n");
    assert_eq!(
        inline.get("b").unwrap().get("x").unwrap().kind,
        Kind::Number("1".into())
    );
    assert_eq!(
        inline.get("c").unwrap().get("z").unwrap().kind,
        Kind::Number("3".into())
    );
}

/// <https://yaml.org/type/merge.html>: with a list of mappings, earlier mappings win over later
/// ones, and the mapping's own keys over all of them.
#[test]
fn a_merged_list_prefers_earlier_mappings() {
    let v = tree(
        "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: &c {y: 3, z: 3}\nd:\n  <<: [*a, *b, *c]\n  z: 4\n",
    );
    let d = v.get("d").unwrap();
    assert_eq!(d.get("x").unwrap().kind, Kind::Number("1".into()));
    assert_eq!(d.get("y").unwrap().kind, Kind::Number("2".into()));
    assert_eq!(d.get("z").unwrap().kind, Kind::Number("4".into()));
    let Kind::Object(members) = &d.kind else {
        panic!()
    };
    assert_eq!(members.len(), 3);
}

/// <https://yaml.org/type/merge.html>: only the plain `<<` key merges (a quoted `"<<"` is an
/// ordinary key, as in PyYAML); the merge value must be a mapping or a list of mappings; a key
/// written twice in one mapping stays an error.
#[test]
fn merge_key_errors_and_the_quoted_key() {
    let quoted = tree("a: &a {x: 1}\nb: {'<<': *a}\n");
    assert!(quoted.get("b").unwrap().get("<<").is_some());
    assert!(quoted.get("b").unwrap().get("x").is_none());
    for bad in [
        "a: {<<: x}\n",
        "a: &a [1]\nb: {<<: *a}\n",
        "a: &a {x: 1}\nb: {<<: [*a, x]}\n",
        "b: {<<: !Ref X}\n",
        "b: {<<: !If [C, {x: 1}, {x: 2}]}\n",
    ] {
        let e = error(bad);
        assert!(
            e.contains("the merge key `<<` takes a mapping or a list of mappings"),
            "{bad}: {e}"
        );
    }
    assert!(error("a: &a {x: 1}\nb: {<<: *a, y: 1, y: 2}\n").contains("duplicate key `y`"));
    assert!(error("a: &a {x: 1}\nb: {<<: *a, <<: *a}\n").contains("duplicate merge key"));
}

/// CloudFormation reads YAML 1.1
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html>),
/// where plain `yes`/`no`/`on`/`off` are booleans (<https://yaml.org/type/bool.html>); PyYAML,
/// which SAM CLI and cfn-lint use, reads them so (but not `y`/`n`). Quoted or `!!str`, they are
/// strings. Red team 38 finding 3: they were strings.
#[test]
fn yaml_1_1_booleans_are_booleans() {
    for word in [
        "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
    ] {
        let v = tree(&format!("a: {word}\n"));
        assert_eq!(v.get("a").unwrap().kind, Kind::Bool(true), "{word}");
    }
    for word in [
        "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
    ] {
        let v = tree(&format!("a: {word}\n"));
        assert_eq!(v.get("a").unwrap().kind, Kind::Bool(false), "{word}");
    }
    let v = tree(
        "a: 'yes'\nb: \"no\"\nc: !!str on\nd: y\ne: n\nf: yEs\ng: !!bool yes\nh: [yes, off]\n",
    );
    assert_eq!(v.get("a").unwrap().kind, Kind::String("yes".into()));
    assert_eq!(v.get("b").unwrap().kind, Kind::String("no".into()));
    assert_eq!(v.get("c").unwrap().kind, Kind::String("on".into()));
    assert_eq!(v.get("d").unwrap().kind, Kind::String("y".into()));
    assert_eq!(v.get("e").unwrap().kind, Kind::String("n".into()));
    assert_eq!(v.get("f").unwrap().kind, Kind::String("yEs".into()));
    assert_eq!(v.get("g").unwrap().kind, Kind::Bool(true));
    let Kind::Array(h) = &v.get("h").unwrap().kind else {
        panic!()
    };
    assert_eq!(h[0].kind, Kind::Bool(true));
    assert_eq!(h[1].kind, Kind::Bool(false));
    // as keys they are read as `true:` and `false:` are
    let k = tree("yes: 1\n");
    assert!(k.get("true").is_some());
}

/// Issue 12 §5 ("billion laughs" fails within bounded time and memory) and red team 38
/// finding 7: a short anchored scalar of 2,000 characters, aliased 100 × 100 × 50 times
/// (about 505,000 nodes, under [`MAX_NODES`]) is a 1 GB document; the text budget
/// [`MAX_TEXT_BYTES`] stops it. YAML aliases: <https://yaml.org/spec/1.2.2/#alias-nodes>.
#[test]
fn aliases_of_a_long_scalar_stop_at_the_text_limit_quickly() {
    let aliases = |name: &str, n: usize| vec![format!("*{name}"); n].join(", ");
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  big: &s {}\n  l1: &l1 [{}]\n  l2: &l2 [{}]\n  l3: [{}]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
        "A".repeat(2000),
        aliases("s", 100),
        aliases("l1", 100),
        aliases("l2", 50),
    );
    assert!(text.len() < 10_000);
    let started = std::time::Instant::now();
    let e = error(&text);
    assert!(e.contains("expand the document past 32 MiB of text"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // plain aliases of one scalar, without anchored copies in between
    let flat = format!("s: &s {}\nl: [{}]\n", "A".repeat(1 << 20), aliases("s", 40));
    assert!(error(&flat).contains("aliases expand the document past 32 MiB of text"));
    // anchored copies nested in each other count too (each anchor keeps a copy)
    let mut nested = format!("&a0 [{}]", "A".repeat(1 << 20));
    for i in 1..40 {
        nested = format!("&a{i} [{nested}]");
    }
    let e = error(&format!("x: {nested}\n"));
    assert!(
        e.contains("anchored copies and aliases expand the document past"),
        "{e}"
    );
    // a long scalar without aliases is within the limit
    let v = tree(&format!("s: &s {}\nt: *s\n", "A".repeat(1 << 20)));
    assert_eq!(v.get("s").unwrap().kind, v.get("t").unwrap().kind);
}

/// What PyYAML (the AWS CLI's, SAM CLI's and cfn-lint's parser) reads and YAML's indentation
/// rules refuse: flow collection lines at their key's column, and a multi-line quoted scalar's
/// continuation lines indented no further than its key (published templates of
/// aws-samples/serverless-patterns and awslabs/aws-cloudformation-templates). Read with the
/// same values, spans pointing into the original text (red team 60). A misindented block
/// mapping stays an error: PyYAML refuses it too, and indenting it would change what it means.
#[test]
fn pyyaml_leniencies_are_read_with_spans_into_the_original() {
    let text = "Statement:\n  - Effect: Allow\n    Resource: [\n    \"arn:aws:s3:::b\",\n    \"*\"\n    ]\n    Action: s3:GetObject\n";
    let v = tree(text);
    let st = &v.get("Statement").unwrap();
    let Kind::Array(items) = &st.kind else {
        panic!("{st:?}")
    };
    let r = items[0].get("Resource").unwrap();
    let Kind::Array(rs) = &r.kind else {
        panic!("{r:?}")
    };
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[1].kind, Kind::String("*".into()));
    assert_eq!(
        &text[rs[1].span.start as usize..rs[1].span.end as usize],
        "\"*\""
    );
    let a = items[0].get("Action").unwrap();
    assert_eq!(
        &text[a.span.start as usize..a.span.end as usize],
        "s3:GetObject"
    );
    // a flow mapping over several lines
    let v = tree("Schema: {\"a\": 1,\n\"b\": 2}\nNext: x\n");
    assert_eq!(v.get("Next").unwrap().kind, Kind::String("x".into()));
    // a quoted scalar whose lines start at its key's column
    let text = "P:\n  Description: 'a long\n  description, it''s'\n  Doc: \"x\n  y\"\n  After: z\n";
    let v = tree(text);
    let p = v.get("P").unwrap();
    assert_eq!(
        p.get("Description").unwrap().kind,
        Kind::String("a long description, it's".into())
    );
    assert_eq!(p.get("Doc").unwrap().kind, Kind::String("x y".into()));
    let after = p.get("After").unwrap();
    assert_eq!(
        &text[after.span.start as usize..after.span.end as usize],
        "z"
    );
    // block context: still an error, also after a block scalar or a plain scalar that holds
    // a bracket or an apostrophe (they open no flow collection)
    assert!(error("a:\n  b: 1\n c: 2\n").contains("invalid YAML"));
    assert!(error("a:\n  - 1\n - 2\n").contains("invalid YAML"));
    assert!(error("d: |\n  uses [brackets\na:\n  b: 1\n c: 2\n").contains("invalid YAML"));
    assert!(error("d: >-\n  {x\na:\n  b: 1\n c: 2\n").contains("invalid YAML"));
    assert!(error("d: uses [brackets\na:\n  b: 1\n c: 2\n").contains("invalid YAML"));
    assert!(error("d: 'it''s [x'\na:\n  b: 1\n c: 2\n").contains("invalid YAML"));
    // a document marker inside a quoted scalar ends the document (PyYAML refuses it): never
    // indented into the text
    assert!(error("P:\n  D: 'a\n---\n  b'\n").contains("invalid YAML"));
    // plain flow items at the key's column, many of them, after an anchor; an escaped line
    // break in a double-quoted scalar
    let items: String = (0..40).map(|i| format!("x{i},\n")).collect();
    let v = tree(&format!("A:\n  R: &r [\n{items}  last\n  ]\n  S: *r\n"));
    let Kind::Array(r) = &v.get("A").unwrap().get("S").unwrap().kind else {
        panic!("{v:?}")
    };
    assert_eq!(r.len(), 41);
    let v = tree("P:\n  D: \"a \\\n  b\n  c\"\n");
    assert_eq!(
        v.get("P").unwrap().get("D").unwrap().kind,
        Kind::String("a b c".into())
    );
    // (an apostrophe inside a plain scalar starts no quoted one: the flow after it is seen)
    let v = tree("D: it's [x\nR: [\n\"a\",\n\"b\"\n]\n");
    let Kind::Array(r) = &v.get("R").unwrap().kind else {
        panic!("{v:?}")
    };
    assert_eq!(r.len(), 2);
}
