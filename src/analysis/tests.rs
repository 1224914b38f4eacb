//! Analysis tests. Every example is re-decided here by the evaluator, independently of the
//! analysis' own re-check.

use super::*;
use crate::eval::evaluate;
use crate::parse::parse_policy;

fn pol(name: &str, text: &str) -> Policy {
    parse_policy(&Source::new(name, text)).unwrap()
}

fn id(name: &str, stmts: &str) -> Policy {
    pol(
        name,
        &format!(r#"{{"Version":"2012-10-17","Statement":[{stmts}]}}"#),
    )
}

fn allowed(p: &Policy, kind: Kind, e: &Example) -> bool {
    let set = diff::frame_set(p, kind).compile().unwrap();
    let ra = match kind {
        Kind::Resource | Kind::Trust => {
            // the owner account the frame chose: any account not named works the same
            let pols = diff::set_policies(&diff::frame_set(p, kind))
                .into_iter()
                .cloned()
                .collect::<Vec<_>>();
            let refs: Vec<&Policy> = pols.iter().collect();
            Some(principals::candidates(&refs).owner)
        }
        _ => None,
    };
    evaluate(&set, &verify::request_of(e, ra.as_deref()))
        .unwrap()
        .decision
        .is_allowed()
}

fn check_groups(old: &Policy, new: &Policy, kind: Kind, d: &Diff) {
    for g in &d.added {
        for e in &g.examples {
            assert!(allowed(new, kind, e) && !allowed(old, kind, e), "{e:?}");
        }
    }
    for g in &d.removed {
        for e in &g.examples {
            assert!(allowed(old, kind, e) && !allowed(new, kind, e), "{e:?}");
        }
    }
}

fn same(a: &Policy, b: &Policy) {
    let d = diff(a, b, Kind::Identity, 1).unwrap();
    assert!(d.added.is_empty(), "added: {:?}", d.added);
    assert!(d.removed.is_empty(), "removed: {:?}", d.removed);
    assert!(d.unknown.is_empty(), "unknown: {:?}", d.unknown);
}

/// IAM `Action` element docs: wildcards match every action with the prefix
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>);
/// the same grant written as the list of actions is no change.
#[test]
fn wildcard_and_its_expansion_are_the_same() {
    let list: Vec<String> = crate::catalog::active()
        .expand("s3:Get*")
        .iter()
        .map(|a| format!("\"{}\"", a.full_name()))
        .collect();
    let a = id(
        "a.json",
        r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#,
    );
    let b = id(
        "b.json",
        &format!(
            r#"{{"Effect":"Allow","Action":[{}],"Resource":"*"}}"#,
            list.join(",")
        ),
    );
    same(&a, &b);
    same(&b, &a);
}

/// Action names are case-insensitive (Action element docs); statements split, merged and
/// reordered grant the same; a Deny that removes what a wider Allow adds is no change
/// (policy evaluation logic: an explicit deny overrides any allow,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
#[test]
fn rewrites_that_change_nothing_report_nothing() {
    let a = id(
        "a.json",
        r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*"]}"#,
    );
    let b = id(
        "b.json",
        r#"{"Effect":"Allow","Action":"S3:PUTOBJECT","Resource":"arn:aws:s3:::c/*"},
           {"Effect":"Allow","Action":"s3:getobject","Resource":["arn:aws:s3:::c/*","arn:aws:s3:::b/*"]},
           {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}"#,
    );
    same(&a, &b);
    same(&b, &a);
    let c = id(
        "c.json",
        r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/*","arn:aws:s3:::d/*"]},
           {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"},
           {"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::d/*"}"#,
    );
    same(&a, &c);
    same(&c, &a);
}

#[test]
fn a_wider_action_is_an_addition_with_a_checked_example() {
    let old = id(
        "old.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
    );
    let new = id(
        "new.json",
        r#"{"Sid":"Wide","Effect":"Allow","Action":"s3:*Object","Resource":"arn:aws:s3:::b/*"}"#,
    );
    let d = diff(&old, &new, Kind::Identity, 3).unwrap();
    check_groups(&old, &new, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1);
    let g = &d.added[0];
    assert_eq!(g.statements[0].sid.as_deref(), Some("Wide"));
    assert!(g.actions.contains(&"s3:PutObject".to_string()));
    assert!(!g.actions.contains(&"s3:GetObject".to_string()));
    assert!(g.example.resource.starts_with("arn:aws:s3:::b/"));
    assert!(d.removed.is_empty());
}

/// `Bool` `aws:SecureTransport` (condition operators docs, Boolean condition operators:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean>):
/// dropping the condition adds the requests without TLS or without the key.
#[test]
fn dropping_a_condition_is_an_addition_under_some_context() {
    let old = id(
        "old.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
    );
    let new = id(
        "new.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
    );
    let d = diff(&old, &new, Kind::Identity, 5).unwrap();
    check_groups(&old, &new, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].actions, vec!["s3:GetObject".to_string()]);
    let ctx = &d.added[0].example.context;
    assert!(
        ctx.get("aws:SecureTransport")
            .is_none_or(|v| v == &["false".to_string()])
    );
    assert!(d.removed.is_empty());
    // and an IP range narrowed is a removal only
    let a = id(
        "a.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
    );
    let b = id(
        "b.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.128/25"}}}"#,
    );
    let d = diff(&a, &b, Kind::Identity, 1).unwrap();
    check_groups(&a, &b, Kind::Identity, &d);
    assert!(d.added.is_empty());
    assert_eq!(d.removed.len(), 1);
    let ip = &d.removed[0].example.context["aws:SourceIp"][0];
    assert!(ip.starts_with("203.0.113."), "{ip}");
}

/// NotAction with Allow grants every action but the listed ones
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>).
#[test]
fn admin_versus_power_user_removes_exactly_the_not_actions() {
    let corpus = crate::sources::managed::corpus().unwrap();
    let doc = |arn: &str| {
        let p = corpus.get(arn).unwrap();
        pol(arn, p.document.get())
    };
    let admin = doc("arn:aws:iam::aws:policy/AdministratorAccess");
    let power = doc("arn:aws:iam::aws:policy/PowerUserAccess");
    let d = diff(&admin, &power, Kind::Identity, 1).unwrap();
    check_groups(&admin, &power, Kind::Identity, &d);
    assert!(d.added.is_empty());
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    let removed: std::collections::BTreeSet<String> =
        d.removed.iter().flat_map(|g| g.actions.clone()).collect();
    // what PowerUserAccess excludes: its NotAction, minus what its second statement allows
    let mut expected = std::collections::BTreeSet::new();
    for s in &power.statements {
        if s.action.negated {
            for a in &s.action.items {
                for x in crate::catalog::active().expand(&a.text) {
                    expected.insert(x.full_name());
                }
            }
        }
    }
    for s in &power.statements {
        if !s.action.negated {
            for a in &s.action.items {
                for x in crate::catalog::active().expand(&a.text) {
                    expected.remove(&x.full_name());
                }
            }
        }
    }
    assert_eq!(removed, expected);
}
