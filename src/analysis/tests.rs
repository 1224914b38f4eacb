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

/// [`allowed`] with the principal's other policies allowing everything (identity) or
/// `FullAWSAccess` beside the SCP: the frame of a group whose `Deny` no longer applies.
fn allowed_beside_all(p: &Policy, kind: Kind, e: &Example) -> bool {
    let mut set = diff::frame_set(p, kind);
    match kind {
        Kind::Scp => set.scps.push(allow_all_named(FULL_AWS_ACCESS)),
        _ => set.identity.push(allow_all_named(OTHER_IDENTITY_POLICIES)),
    }
    evaluate(&set.compile().unwrap(), &verify::request_of(e, None))
        .unwrap()
        .decision
        .is_allowed()
}

fn check_groups(old: &Policy, new: &Policy, kind: Kind, d: &Diff) {
    let decide = |g: &Group, p: &Policy, e: &Example| {
        if g.lifted_deny {
            allowed_beside_all(p, kind, e)
        } else {
            allowed(p, kind, e)
        }
    };
    for g in &d.added {
        for e in &g.examples {
            assert!(decide(g, new, e) && !decide(g, old, e), "{e:?}");
        }
    }
    for g in &d.removed {
        for e in &g.examples {
            assert!(decide(g, old, e) && !decide(g, new, e), "{e:?}");
        }
    }
}

fn same(a: &Policy, b: &Policy) {
    let d = diff(a, b, Kind::Identity, 1).unwrap();
    assert!(d.added.is_empty(), "added: {:?}", d.added);
    assert!(d.removed.is_empty(), "removed: {:?}", d.removed);
    assert!(d.unknown.is_empty(), "unknown: {:?}", d.unknown);
}

/// `verify` options: `--not-granted`, `--no-public-access`, `--only-accounts` as given.
fn verify_opts(kind: Kind, not_granted: &[&str], public: bool, only: &[&str]) -> VerifyOptions {
    VerifyOptions {
        kind,
        not_granted: not_granted.iter().map(|s| s.to_string()).collect(),
        on: vec![],
        no_public_access: public,
        only_accounts: only.iter().map(|s| s.to_string()).collect(),
        max_counterexamples: 3,
    }
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

/// The self-service credentials example of the IAM docs ("IAM: Allows IAM users to update
/// their own credentials programmatically and in the console",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_credentials_console.html>).
const OWN_CREDENTIALS: &str = r#"{"Effect":"Allow","Action":["iam:ListUsers","iam:GetAccountPasswordPolicy"],"Resource":"*"},
    {"Effect":"Allow","Action":["iam:*AccessKey*","iam:ChangePassword","iam:GetUser","iam:*ServiceSpecificCredential*","iam:*SigningCertificate*"],"Resource":["arn:aws:iam::*:user/${aws:username}"]}"#;

/// The policy variable `${aws:username}` is replaced by the caller's user name (IAM policy
/// variables docs, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>):
/// a rewrite of the docs' self-service policy (wildcards expanded, statements split, plus a
/// redundant statement that makes the analysis enumerate the variable) changes nothing, and
/// the analysis decides it without an `unknown`.
#[test]
fn own_credentials_policy_equals_its_rewrite_exactly() {
    let a = id("own.json", OWN_CREDENTIALS);
    let cat = crate::catalog::active();
    let mut actions: Vec<String> = Vec::new();
    for p in [
        "iam:*AccessKey*",
        "iam:*ServiceSpecificCredential*",
        "iam:*SigningCertificate*",
    ] {
        actions.extend(
            cat.expand(p)
                .iter()
                .map(|a| format!("\"{}\"", a.full_name())),
        );
    }
    actions.push("\"IAM:CHANGEPASSWORD\"".into());
    actions.push("\"iam:GetUser\"".into());
    let mut stmts: Vec<String> = actions
        .chunks(3)
        .map(|c| {
            format!(
                r#"{{"Effect":"Allow","Action":[{}],"Resource":"arn:aws:iam::*:user/${{aws:username}}"}}"#,
                c.join(",")
            )
        })
        .collect();
    stmts.push(
        r#"{"Effect":"Allow","Action":"iam:GetAccountPasswordPolicy","Resource":"*"}"#.into(),
    );
    stmts.push(r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#.into());
    // redundant: the statements above already allow it for every user name
    stmts.push(r#"{"Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}","Condition":{"StringLike":{"aws:username":"a*"}}}"#.into());
    stmts.reverse();
    let b = id("own-rewrite.json", &stmts.join(","));
    same(&a, &b);
    same(&b, &a);
}

/// Any user's credentials instead of one's own (IAM policy variables docs, as above): added,
/// with an example whose resource names a user other than `aws:username`.
#[test]
fn any_user_versus_own_user_is_an_addition_for_other_users() {
    let own = id("own.json", OWN_CREDENTIALS);
    let any = id(
        "any.json",
        r#"{"Effect":"Allow","Action":["iam:ListUsers","iam:GetAccountPasswordPolicy"],"Resource":"*"},
           {"Sid":"AnyUser","Effect":"Allow","Action":["iam:*AccessKey*","iam:ChangePassword","iam:GetUser","iam:*ServiceSpecificCredential*","iam:*SigningCertificate*"],"Resource":["arn:aws:iam::*:user/*"]}"#,
    );
    let d = diff(&own, &any, Kind::Identity, 3).unwrap();
    check_groups(&own, &any, Kind::Identity, &d);
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    assert!(d.removed.is_empty(), "{:?}", d.removed);
    assert_eq!(d.added.len(), 1, "{:?}", d.added);
    let g = &d.added[0];
    assert_eq!(g.statements[0].sid.as_deref(), Some("AnyUser"));
    assert!(
        g.example.context.contains_key("aws:username"),
        "{:?}",
        g.example
    );
    assert!(g.actions.contains(&"iam:ChangePassword".to_string()));
    assert!(!g.actions.contains(&"iam:ListUsers".to_string()));
    for e in &g.examples {
        let user = e.resource.rsplit_once(":user/").map(|x| x.1).unwrap();
        let name = e.context.get("aws:username").and_then(|v| v.first());
        assert_ne!(Some(&user.to_string()), name, "{e:?}");
    }
    // the other way round nothing is added, and it is decided
    let back = diff(&any, &own, Kind::Identity, 1).unwrap();
    assert!(back.added.is_empty() && back.unknown.is_empty(), "{back:?}");
    assert_eq!(back.removed.len(), 1);
}

/// A condition value with a policy variable: the home-folder `s3:prefix` of the IAM docs
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>).
#[test]
fn a_condition_value_with_a_policy_variable_is_decided() {
    let home = id(
        "home.json",
        r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringEquals":{"s3:prefix":"home/${aws:username}/"}}}"#,
    );
    // the same, written as `StringLike` without wildcards, and split over two values
    let like = id(
        "like.json",
        r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/","home/${aws:username}/"]}}}"#,
    );
    same(&home, &like);
    same(&like, &home);
    let all = id(
        "all.json",
        r#"{"Sid":"AllHomes","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":"home/*"}}}"#,
    );
    let d = diff(&home, &all, Kind::Identity, 3).unwrap();
    check_groups(&home, &all, Kind::Identity, &d);
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    assert_eq!(d.added.len(), 1);
    assert!(d.added[0].example.context.contains_key("aws:username"));
    for e in &d.added[0].examples {
        let prefix = &e.context["s3:prefix"][0];
        let name = e.context.get("aws:username").and_then(|v| v.first());
        assert!(prefix.starts_with("home/"), "{e:?}");
        assert_ne!(
            Some(prefix),
            name.map(|n| format!("home/{n}/")).as_ref(),
            "{e:?}"
        );
    }
    // home/<name>/ is a home folder: nothing is added the other way
    let back = diff(&all, &home, Kind::Identity, 1).unwrap();
    assert!(back.added.is_empty() && back.unknown.is_empty(), "{back:?}");
}

/// A variable before the fifth colon is not substituted (IAM policy variables docs: only
/// "the resource portion of the ARN",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>): it is
/// literal text, decided like any other ARN.
#[test]
fn a_variable_before_the_fifth_colon_is_literal_and_decided() {
    let early = id(
        "early.json",
        r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:${aws:PrincipalAccount}:secret:*"}"#,
    );
    let any = id(
        "any.json",
        r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:*:*:secret:*"}"#,
    );
    let d = diff(&early, &any, Kind::Identity, 1).unwrap();
    check_groups(&early, &any, Kind::Identity, &d);
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    assert_eq!(d.added.len(), 1);
    // the other way round: only the ARN that spells the variable out is added (its `:`
    // inside `${...}` is a field separator of the request's ARN, so `*:*:secret:*` misses it)
    let back = diff(&any, &early, Kind::Identity, 1).unwrap();
    check_groups(&any, &early, Kind::Identity, &back);
    assert!(back.unknown.is_empty(), "{:?}", back.unknown);
    assert_eq!(back.added.len(), 1);
    assert!(
        back.added[0]
            .example
            .resource
            .contains(":${aws:PrincipalAccount}:"),
        "{:?}",
        back.added[0].example
    );
}

/// Where the text next to a variable has wildcards the analysis does not claim exactness.
#[test]
fn a_variable_next_to_a_wildcard_stays_unknown() {
    let a = id(
        "a.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*${aws:username}"}"#,
    );
    let b = id(
        "b.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
    );
    let d = diff(&a, &b, Kind::Identity, 1).unwrap();
    assert!(
        d.unknown
            .iter()
            .any(|(u, _)| u.reason.contains("aws:username")),
        "{:?}",
        d.unknown
    );
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

/// IAM `Resource` element docs
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>):
/// "If the `*` wildcard is the last character of a resource ARN segment, it can expand to
/// match beyond the colon boundaries", so `arn:aws:ec2:*` covers every EC2 ARN. A Deny on
/// `arn:aws:ec2:us-east-1:*` leaves every other Region allowed: `verify` must not say the
/// action is never granted, and `diff` must see what the short items add and remove.
#[test]
fn short_arns_are_analysed_as_the_evaluator_reads_them() {
    let p = id(
        "p.json",
        r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*"},
           {"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:us-east-1:*"}"#,
    );
    let o = verify_opts(Kind::Identity, &["ec2:TerminateInstances"], false, &[]);
    let a = verify(std::slice::from_ref(&p), &o).unwrap();
    assert_eq!(a[0].holds, Some(false), "{a:?}");
    assert!(!a[0].counterexamples.is_empty());
    for c in &a[0].counterexamples {
        assert!(allowed(&p, Kind::Identity, &c.example), "{c:?}");
        assert!(c.example.resource.starts_with("arn:aws:ec2:"), "{c:?}");
        assert!(
            !c.example.resource.starts_with("arn:aws:ec2:us-east-1:"),
            "{c:?}"
        );
    }
    // `*` minus a Deny on `arn:aws:s3:*` versus `*`: the S3 ARNs are added
    let old = id(
        "old.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
           {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:*"}"#,
    );
    let new = id(
        "new.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
    );
    let d = diff(&old, &new, Kind::Identity, 3).unwrap();
    check_groups(&old, &new, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1, "{d:?}");
    assert!(
        d.added[0]
            .examples
            .iter()
            .any(|e| e.resource.starts_with("arn:aws:s3:"))
    );
    // the short item and its six-field spelling are the same grant
    same(
        &id(
            "a.json",
            r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*"}"#,
        ),
        &id(
            "b.json",
            r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:*"}"#,
        ),
    );
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

/// `verify --not-granted` over one identity policy, every counterexample re-decided by the
/// evaluator (it must be allowed, and its action matched by an asserted pattern).
fn not_granted(p: &Policy, actions: &[&str]) -> verify::Assertion {
    let o = VerifyOptions {
        max_counterexamples: 5,
        ..verify_opts(Kind::Identity, actions, false, &[])
    };
    let mut a = verify(std::slice::from_ref(p), &o).unwrap();
    let a = a.remove(0);
    for c in &a.counterexamples {
        assert!(allowed(p, Kind::Identity, &c.example), "{c:?}");
        assert!(
            actions.iter().any(|pat| automaton::matches(
                &automaton::Pattern::string(pat, true, true),
                &c.example.action
            )),
            "{c:?}"
        );
    }
    a
}

/// A policy that only allows `ec2:DescribeInstances`: the old side of the red-team diffs.
fn describe_only() -> Policy {
    id(
        "old.json",
        r#"{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}"#,
    )
}

/// Red-team case mv1: `aws:TagKeys` is multi-valued (type `ArrayOfString`, global condition
/// keys, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tagkeys>).
/// The evaluator reads a plain operator on several values as "any value matches" (README,
/// `simulate`), so `StringEquals CostCenter` and `StringLike Owner*` hold together for the
/// set `[CostCenter, OwnerX]`; `verify` said "holds" and `diff` "nothing added".
#[test]
fn a_plain_operator_on_a_multi_valued_key_matches_any_value() {
    let p = id(
        "mv1.json",
        r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*",
            "Condition":{"StringEquals":{"aws:TagKeys":"CostCenter"},"StringLike":{"aws:TagKeys":"Owner*"}}}"#,
    );
    let a = not_granted(&p, &["ec2:CreateTags"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    let keys = &a.counterexamples[0].example.context["aws:TagKeys"];
    assert!(keys.len() >= 2, "{keys:?}");
    let old = describe_only();
    let d = diff(&old, &p, Kind::Identity, 3).unwrap();
    check_groups(&old, &p, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1, "{d:?}");
    assert_eq!(d.added[0].actions, vec!["ec2:CreateTags".to_string()]);
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    // a negated operator is the inverse of "any value matches": `StringNotEquals CostCenter`
    // fails as soon as one value is `CostCenter`, so this Allow still needs another value and
    // a value starting with `Owner` — one set, decided by the evaluator
    let q = id(
        "neg.json",
        r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*",
            "Condition":{"StringNotEquals":{"aws:TagKeys":"CostCenter"},"StringLike":{"aws:TagKeys":["Owner*"]},
                         "ForAnyValue:StringLike":{"aws:TagKeys":"Team*"}}}"#,
    );
    let a = not_granted(&q, &["ec2:CreateTags"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    // and where no set satisfies the conditions, it holds (no unknown)
    let r = id(
        "never.json",
        r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*",
            "Condition":{"StringNotLike":{"aws:TagKeys":"Owner*"},"StringLike":{"aws:TagKeys":["Owner*"]}}}"#,
    );
    let a = not_granted(&r, &["ec2:CreateTags"]);
    assert_eq!(a.holds, Some(true), "{a:?}");
}

/// `Null` reads a key whose values are all empty as absent (the evaluator, after the IAM
/// multivalued-keys docs: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>),
/// while `StringNotLike` reads the empty string as a value: an empty witness must not stand
/// for the other values of its class.
#[test]
fn the_empty_string_is_a_class_of_its_own_under_null() {
    let p = id(
        "null.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"Null":{"aws:username":"false"},"StringNotLike":{"aws:username":"a*"}}}"#,
    );
    let a = not_granted(&p, &["s3:GetObject"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    let q = id(
        "nullset.json",
        r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*",
            "Condition":{"Null":{"aws:TagKeys":"false"},"ForAllValues:StringNotLike":{"aws:TagKeys":"a*"}}}"#,
    );
    let a = not_granted(&q, &["ec2:CreateTags"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
}

/// Red-team case d1: date operators compare instants (condition operators docs, date
/// condition operators: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>),
/// and the evaluator reads fractions of a second, so the open second between two boundaries
/// holds requests.
#[test]
fn a_sub_second_date_window_has_a_witness() {
    let p = id(
        "d1.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-12-03T20:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2026-12-03T20:00:01Z"}}}"#,
    );
    let a = not_granted(&p, &["s3:GetObject"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    let old = describe_only();
    let d = diff(&old, &p, Kind::Identity, 3).unwrap();
    check_groups(&old, &p, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1, "{d:?}");
    // the same with epoch seconds, and a window of one nanosecond written with fractions
    let q = id(
        "epoch.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"DateGreaterThan":{"aws:EpochTime":"1796328000"},"DateLessThan":{"aws:EpochTime":"1796328001"}}}"#,
    );
    assert_eq!(not_granted(&q, &["s3:GetObject"]).holds, Some(false));
    let r = id(
        "ns.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-12-03T20:00:00.000000001Z"},"DateLessThan":{"aws:CurrentTime":"2026-12-03T20:00:00.000000003Z"}}}"#,
    );
    assert_eq!(not_granted(&r, &["s3:GetObject"]).holds, Some(false));
    let none = id(
        "empty.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-12-03T20:00:00.000000001Z"},"DateLessThan":{"aws:CurrentTime":"2026-12-03T20:00:00.000000002Z"}}}"#,
    );
    let a = not_granted(&none, &["s3:GetObject"]);
    assert_eq!(a.holds, Some(true), "{a:?}");
    // dates before 1970 are dates too
    let old_dates = id(
        "past.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"DateLessThan":{"aws:CurrentTime":"1969-07-20T20:17:40Z"}}}"#,
    );
    assert_eq!(
        not_granted(&old_dates, &["s3:GetObject"]).holds,
        Some(false)
    );
}

/// Red-team case ip1: `NotIpAddress` on `0.0.0.0/0` and blocks covering every IPv6 address
/// below `::ffff:0:0` (IP address condition operators,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress>)
/// leave every IPv6 address from `::1:0:0:0` on; IPv4-mapped addresses read as IPv4.
#[test]
fn the_ipv6_class_above_the_mapped_range_has_a_witness() {
    let p = id(
        "ip1.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{
            "NotIpAddress":{"aws:SourceIp":["0.0.0.0/0","::/81","::8000:0:0/82","::c000:0:0/83","::e000:0:0/84","::f000:0:0/85","::f800:0:0/86","::fc00:0:0/87","::fe00:0:0/88","::ff00:0:0/89","::ff80:0:0/90","::ffc0:0:0/91","::ffe0:0:0/92","::fff0:0:0/93","::fff8:0:0/94","::fffc:0:0/95","::fffe:0:0/96"]},
            "Null":{"aws:SourceIp":"false"}}}"#,
    );
    let a = not_granted(&p, &["s3:GetObject"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    for c in &a.counterexamples {
        let ip: std::net::Ipv6Addr = c.example.context["aws:SourceIp"][0].parse().unwrap();
        assert!(ip.to_ipv4_mapped().is_none(), "{ip}");
    }
    let old = describe_only();
    let d = diff(&old, &p, Kind::Identity, 3).unwrap();
    check_groups(&old, &p, Kind::Identity, &d);
    assert_eq!(d.added.len(), 1, "{d:?}");
}

/// Red-team case a1: `s3:Get*` matches every action with that prefix (Action element docs,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>),
/// also one the catalog does not list; an action asked about is always tried.
#[test]
fn asserted_actions_outside_the_catalog_are_tried() {
    let p = id(
        "a1.json",
        r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#,
    );
    let a = not_granted(&p, &["s3:GetFooBar"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    assert!(
        a.counterexamples[0]
            .example
            .action
            .eq_ignore_ascii_case("s3:GetFooBar")
    );
    let a = not_granted(&p, &["s3:GetFoo*"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    let a = not_granted(&p, &["s3:GetObject", "s3:GetFoo?ar"]);
    assert_eq!(a.holds, Some(false), "{a:?}");
    // an action no statement matches stays not granted
    assert_eq!(not_granted(&p, &["s3:PutFoo*"]).holds, Some(true));
    assert_eq!(not_granted(&p, &["s3:PutFooBar"]).holds, Some(true));
    // a Deny of the pattern takes the fresh names too
    let q = id(
        "deny.json",
        r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
           {"Effect":"Deny","Action":"s3:GetF*","Resource":"*"}"#,
    );
    assert_eq!(not_granted(&q, &["s3:GetFoo*"]).holds, Some(true));
    assert_eq!(not_granted(&q, &["s3:GetFooBar"]).holds, Some(true));
}

mod sampled {
    //! Random policy pairs, thousands of random requests each: no sampled request may
    //! contradict the verdict (an addition must be reported with its action, and nothing may be
    //! reported when nothing was found).

    use super::*;
    use crate::eval::{Context, Request};
    use proptest::prelude::*;

    pub(super) const ACTIONS: &[&str] = &[
        "s3:GetObject",
        "s3:Get*",
        "s3:*Object",
        "s3:PutObject",
        "s3:*",
        "iam:PassRole",
        "iam:*",
        "*",
        "ec2:Describe*",
    ];
    pub(super) const RESOURCES: &[&str] = &[
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/private/*",
        "arn:aws:s3:::c*",
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:*:*:*:*",
        // fewer than six fields, the last ending in `*` (IAM `Resource` element docs)
        "arn:aws:ec2:*",
        "arn:aws:s3:*",
        "arn:aws:ec2:us-east-1:*",
    ];
    const CONDITIONS: &[&str] = &[
        "",
        r#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
        r#","Condition":{"StringLike":{"s3:prefix":["home/*","pub?"]}}"#,
        r#","Condition":{"StringNotEquals":{"s3:prefix":"home/x"}}"#,
        r#","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}"#,
        r#","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        r#","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}"#,
        r#","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}"#,
        r#","Condition":{"Null":{"aws:SourceIp":"true"}}"#,
    ];
    pub(super) const SAMPLE_ACTIONS: &[&str] = &[
        "s3:GetObject",
        "s3:GetBucketPolicy",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "iam:PassRole",
        "iam:CreateUser",
        "ec2:DescribeInstances",
        "ec2:RunInstances",
        "sqs:SendMessage",
    ];
    pub(super) const SAMPLE_RESOURCES: &[&str] = &[
        "*",
        "arn:aws:s3:::b/x",
        "arn:aws:s3:::b/private/y",
        "arn:aws:s3:::c",
        "arn:aws:s3:::cc/z",
        "arn:aws:s3:::d/x",
        "arn:aws:iam::111122223333:role/r",
        "arn:aws:iam::111122223333:user/u",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        "arn:aws:ec2:us-west-2:111122223333:instance/i-2",
    ];

    fn statement(a: &[usize], r: &[usize], c: usize, deny: bool, not_action: bool) -> String {
        let acts: Vec<String> = a.iter().map(|&i| format!("\"{}\"", ACTIONS[i])).collect();
        let res: Vec<String> = r.iter().map(|&i| format!("\"{}\"", RESOURCES[i])).collect();
        format!(
            r#"{{"Effect":"{}","{}":[{}],"Resource":[{}]{}}}"#,
            if deny { "Deny" } else { "Allow" },
            if not_action { "NotAction" } else { "Action" },
            acts.join(","),
            res.join(","),
            CONDITIONS[c]
        )
    }

    fn stmt_strategy() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(0..ACTIONS.len(), 1..3),
            proptest::collection::vec(0..RESOURCES.len(), 1..3),
            0..CONDITIONS.len(),
            proptest::bool::weighted(0.25),
            proptest::bool::weighted(0.1),
        )
            .prop_map(|(a, r, c, d, n)| statement(&a, &r, c, d, n))
    }

    fn policy_strategy() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(stmt_strategy(), 1..4)
    }

    pub(super) fn sample_ctx(seed: u64) -> Context {
        let mut c = Context::new();
        let pick = |n: u64, k: u64| (seed >> (n * 3)) % k;
        match pick(0, 3) {
            0 => {}
            1 => c.insert("aws:SecureTransport", "true"),
            _ => c.insert("aws:SecureTransport", "false"),
        }
        let prefixes = ["home/x", "home/y", "pubA", "pub", "other", ""];
        if pick(1, 4) != 0 {
            c.insert("s3:prefix", prefixes[pick(2, 6) as usize]);
        }
        let keys = ["1", "10", "9.5", "11", "-3"];
        if pick(3, 3) != 0 {
            c.insert("s3:max-keys", keys[pick(4, 5) as usize]);
        }
        let ips = ["203.0.113.9", "198.51.100.1", "2001:db8::1"];
        if pick(5, 3) != 0 {
            c.insert("aws:SourceIp", ips[pick(6, 3) as usize]);
        }
        match pick(7, 3) {
            0 => {}
            1 => c.insert("aws:MultiFactorAuthPresent", "true"),
            _ => c.insert("aws:MultiFactorAuthPresent", "false"),
        }
        match pick(8, 5) {
            0 => {}
            1 => c.set("aws:TagKeys", vec![]),
            2 => c.set("aws:TagKeys", vec!["a".into()]),
            3 => c.set("aws:TagKeys", vec!["c".into(), "b".into()]),
            _ => c.set("aws:TagKeys", vec!["c".into()]),
        }
        c
    }

    /// Diffs the two statement lists as identity policies and samples 3,000 requests (from
    /// `seed`): `Err` names a request that contradicts the verdict (an addition or removal
    /// not reported), or the analysis's unknown parts.
    pub(super) fn contradiction(old: &[String], new: &[String], seed: u64) -> Result<(), String> {
        let a = id("old.json", &old.join(","));
        let b = id("new.json", &new.join(","));
        let d = diff(&a, &b, Kind::Identity, 1).unwrap();
        if !d.unknown.is_empty() {
            return Err(format!("{:?}", d.unknown));
        }
        let sa = diff::frame_set(&a, Kind::Identity).compile().unwrap();
        let sb = diff::frame_set(&b, Kind::Identity).compile().unwrap();
        let lower = |g: &[crate::analysis::Group]| -> std::collections::BTreeSet<String> {
            g.iter()
                .flat_map(|g| g.actions.iter().map(|x| x.to_ascii_lowercase()))
                .collect()
        };
        let (added, removed) = (lower(&d.added), lower(&d.removed));
        let mut seed = seed;
        for i in 0..3000u64 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407 + i);
            let req = Request {
                action: SAMPLE_ACTIONS[(seed >> 7) as usize % SAMPLE_ACTIONS.len()].into(),
                resource: SAMPLE_RESOURCES[(seed >> 17) as usize % SAMPLE_RESOURCES.len()].into(),
                principal: None,
                resource_account: None,
                context: sample_ctx(seed >> 27),
            };
            // (an S3 bucket action on an object ARN, or the reverse, is no request AWS
            // makes: `diff` leaves it out, README "How it decides")
            if !crate::analysis::space::s3_request_exists(&req.action, &req.resource) {
                continue;
            }
            let ea = evaluate(&sa, &req).unwrap().decision.is_allowed();
            let eb = evaluate(&sb, &req).unwrap().decision.is_allowed();
            let act = req.action.to_ascii_lowercase();
            if eb && !ea && !added.contains(&act) {
                return Err(format!(
                    "unreported addition {req:?}\nold {old:?}\nnew {new:?}"
                ));
            }
            if ea && !eb && !removed.contains(&act) {
                return Err(format!(
                    "unreported removal {req:?}\nold {old:?}\nnew {new:?}"
                ));
            }
        }
        check_groups(&a, &b, Kind::Identity, &d);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
        #[test]
        fn no_sampled_request_contradicts_the_diff(old in policy_strategy(), new in policy_strategy()) {
            let r = contradiction(&old, &new, 0x9E37_79B9_7F4A_7C15);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }
}

/// Statements that each read several context keys: the search visits only the combinations
/// of key classes the statements' conditions tell apart (`space::merged_combos`), not every
/// combination. No sampled request may contradict the verdict, and a pair with too many
/// combinations to visit one by one is decided.
mod merged {
    use super::sampled::{ACTIONS, RESOURCES, contradiction};
    use super::*;
    use proptest::prelude::*;

    /// `"Operator": {"key": values}` pairs over six keys (distinct operators, so any subset is
    /// one `Condition` block).
    const PAIRS: &[&str] = &[
        r#""Bool":{"aws:SecureTransport":"true"}"#,
        r#""StringLike":{"s3:prefix":["home/*","pub?"]}"#,
        r#""StringNotEquals":{"s3:prefix":"home/x"}"#,
        r#""NumericLessThan":{"s3:max-keys":"10"}"#,
        r#""NumericGreaterThanEquals":{"s3:max-keys":["1","9.5"]}"#,
        r#""IpAddress":{"aws:SourceIp":"203.0.113.0/24"}"#,
        r#""NotIpAddressIfExists":{"aws:SourceIp":["198.51.100.0/24","2001:db8::/32"]}"#,
        r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}"#,
        r#""ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}"#,
        r#""ForAllValues:StringLike":{"aws:TagKeys":["c*"]}"#,
        r#""Null":{"aws:SourceIp":"true"}"#,
    ];

    fn statement(a: &[usize], r: &[usize], c: &[usize], deny: bool) -> String {
        let acts: Vec<String> = a.iter().map(|&i| format!("\"{}\"", ACTIONS[i])).collect();
        let res: Vec<String> = r.iter().map(|&i| format!("\"{}\"", RESOURCES[i])).collect();
        let mut c = c.to_vec();
        c.sort_unstable();
        c.dedup();
        let cond: Vec<&str> = c.iter().map(|&i| PAIRS[i]).collect();
        format!(
            r#"{{"Effect":"{}","Action":[{}],"Resource":[{}],"Condition":{{{}}}}}"#,
            if deny { "Deny" } else { "Allow" },
            acts.join(","),
            res.join(","),
            cond.join(",")
        )
    }

    fn policy_strategy() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(
            (
                proptest::collection::vec(0..ACTIONS.len(), 1..3),
                proptest::collection::vec(0..RESOURCES.len(), 1..3),
                proptest::collection::vec(0..PAIRS.len(), 2..5),
                proptest::bool::weighted(0.25),
            )
                .prop_map(|(a, r, c, d)| statement(&a, &r, &c, d)),
            2..7,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]
        #[test]
        fn no_sampled_request_contradicts_the_diff_of_many_keys(old in policy_strategy(), new in policy_strategy()) {
            let r = contradiction(&old, &new, 0x2545_F491_4F6C_DD1D);
            prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        }
    }

    /// Twenty statements over ten keys with a few values each: too many combinations of key
    /// classes to visit one by one in a test (minutes), a few hundred outcomes. The statement that lost its
    /// conditions is the one addition, with a context-free example.
    #[test]
    fn twenty_statements_reading_ten_keys_are_decided() {
        let keys = [
            (
                "StringEquals",
                "aws:RequestedRegion",
                r#"["us-east-1","eu-west-1"]"#,
            ),
            (
                "IpAddress",
                "aws:SourceIp",
                r#"["10.0.0.0/8","192.168.1.0/24"]"#,
            ),
            ("StringEquals", "aws:PrincipalTag/team", r#"["a","b"]"#),
            ("StringLike", "s3:prefix", r#"["home/*","pub/*"]"#),
            ("Bool", "aws:SecureTransport", r#""true""#),
            (
                "DateLessThan",
                "aws:CurrentTime",
                r#""2027-01-01T00:00:00Z""#,
            ),
            ("BoolIfExists", "aws:MultiFactorAuthPresent", r#""true""#),
            ("StringEquals", "aws:ResourceTag/env", r#"["prod","dev"]"#),
            ("StringLike", "ec2:InstanceType", r#"["t3.*"]"#),
            ("StringEquals", "aws:SourceVpce", r#""vpce-1a2b3c4d""#),
        ];
        let actions = [
            "s3:GetObject",
            "s3:PutObject",
            "ec2:RunInstances",
            "sqs:SendMessage",
        ];
        let stmt = |i: usize, conditions: bool| -> String {
            let mut ops: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
            for k in 0..5 {
                let (op, key, v) = keys[(i * 3 + k * 7) % keys.len()];
                ops.entry(op).or_default().push(format!("\"{key}\":{v}"));
            }
            let cond: Vec<String> = ops
                .iter()
                .map(|(op, kv)| format!("\"{op}\":{{{}}}", kv.join(",")))
                .collect();
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":["{}","{}"],"Resource":"*"{}}}"#,
                actions[i % 4],
                actions[(i + 1) % 4],
                if conditions {
                    format!(r#","Condition":{{{}}}"#, cond.join(","))
                } else {
                    String::new()
                }
            )
        };
        let old: Vec<String> = (0..20).map(|i| stmt(i, true)).collect();
        let mut new = old.clone();
        new[0] = stmt(0, false);
        let a = id("old.json", &old.join(","));
        let b = id("new.json", &new.join(","));
        let d = diff(&a, &b, Kind::Identity, 1).unwrap();
        assert!(d.unknown.is_empty(), "{:?}", d.unknown);
        assert!(d.removed.is_empty(), "{:?}", d.removed);
        assert_eq!(d.added.len(), 1, "{:?}", d.added);
        let g = &d.added[0];
        assert_eq!(g.statements[0].sid.as_deref(), Some("S0"));
        let mut acts: Vec<&str> = g.actions.iter().map(String::as_str).collect();
        acts.sort_unstable();
        assert_eq!(acts, ["s3:GetObject", "s3:PutObject"]);
        check_groups(&a, &b, Kind::Identity, &d);
        // the same policy against itself: nothing either way
        let same = diff(&a, &a, Kind::Identity, 1).unwrap();
        assert!(same.added.is_empty() && same.removed.is_empty() && same.unknown.is_empty());
    }
}

/// Red-team cases: callers that a condition names or admits through a wildcard. A condition
/// on the caller's account or ARN names another account (global condition keys,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount>),
/// and only fixed values bound the caller (S3, "The meaning of public",
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
mod callers {
    use super::*;

    /// The verdict, with every counterexample re-decided by the evaluator.
    fn holds(kind: Kind, text: &str, public: bool, only: &[&str]) -> Option<bool> {
        let p = pol("p.json", text);
        let a = verify(
            std::slice::from_ref(&p),
            &verify_opts(kind, &[], public, only),
        )
        .unwrap();
        for c in &a[0].counterexamples {
            assert!(allowed(&p, kind, &c.example), "{c:?}");
            if let Some(only) = only.first() {
                let acct = c.example.principal.as_deref().unwrap_or_default();
                assert!(!acct.contains(only), "{c:?}");
            }
        }
        a[0].holds
    }

    fn resource(principal: &str, cond: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{cond}}}]}}"#
        )
    }

    fn trust(cond: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"codedeploy.amazonaws.com"}},"Action":"sts:AssumeRole"}},{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole","Condition":{cond}}}]}}"#
        )
    }

    #[test]
    fn an_account_named_only_in_a_condition_is_outside_the_list() {
        let only = ["111122223333"];
        let rp = resource(
            r#"{"AWS":"*"}"#,
            r#"{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}"#,
        );
        assert_eq!(holds(Kind::Resource, &rp, false, &only), Some(false));
        let kms = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"999988887777","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}"#;
        assert_eq!(holds(Kind::Resource, kms, false, &only), Some(false));
        for cond in [
            r#"{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}"#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::999988887777:role/*"}}"#,
        ] {
            assert_eq!(holds(Kind::Trust, &trust(cond), false, &only), Some(false));
        }
        // the listed account itself is fine
        let mine = resource(
            r#"{"AWS":"*"}"#,
            r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
        );
        assert_eq!(holds(Kind::Resource, &mine, false, &only), Some(true));
    }

    #[test]
    fn a_wildcard_in_the_owner_part_is_public() {
        for (principal, cond) in [
            (
                r#"{"AWS":"*"}"#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin"}}"#,
            ),
            (r#""*""#, r#"{"StringLike":{"aws:PrincipalOrgID":"o-a*"}}"#),
            (
                r#""*""#,
                r#"{"StringLike":{"aws:userid":"*:alice@example.com"}}"#,
            ),
            (
                r#""*""#,
                r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:alerts"}}"#,
            ),
            (
                r#""*""#,
                r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","::/0"]}}"#,
            ),
            (
                r#"{"AWS":"*"}"#,
                r#"{"StringLike":{"aws:PrincipalAccount":"11112222333?"}}"#,
            ),
            // `aws:SourceArn` whose owner part any account can fill (red-team pass 17): part
            // of an account, a shorter pattern whose `*` runs over the account, and a bucket
            // name (global across accounts: S3 and EFS count only fixed values as bounding,
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
            (
                r#""*""#,
                r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:1111*:t"}}"#,
            ),
            (
                r#""*""#,
                r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:11112222333?:t"}}"#,
            ),
            (
                r#""*""#,
                r#"{"StringLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:1*"}}"#,
            ),
            (
                r#""*""#,
                r#"{"StringLike":{"aws:SourceArn":"arn:aws:ses:*"}}"#,
            ),
            (
                r#""*""#,
                r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#,
            ),
            (
                r#""*""#,
                r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::mybucket*"}}"#,
            ),
        ] {
            let p = resource(principal, cond);
            assert_eq!(holds(Kind::Resource, &p, true, &[]), Some(false), "{p}");
        }
        // the owner fixed: a bucket's exact name, an account with wildcards around it
        for cond in [
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::mybucket"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::mybucket/*"}}"#,
            // an S3 bucket's ARN never has a Region or account (an old S3 doc example)
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:*:bucket-name"}}"#,
        ] {
            let p = resource(r#""*""#, cond);
            assert_eq!(holds(Kind::Resource, &p, true, &[]), Some(true), "{p}");
        }
        for cond in [
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deployer"}}"#,
            r#"{"StringLike":{"aws:PrincipalAccount":"11112222333?"}}"#,
        ] {
            assert_eq!(holds(Kind::Trust, &trust(cond), true, &[]), Some(false));
        }
    }

    /// Fixed owners bound the caller: an organization (IAM docs, "aws:PrincipalOrgID" and
    /// "aws:PrincipalOrgPaths" examples), an account's topic, a role's sessions, a VPC
    /// endpoint, an IPv6 range of one's own.
    #[test]
    fn fixed_owners_with_wildcards_after_them_are_not_public() {
        for cond in [
            r#"{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
            r#"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:*"}}"#,
            r#"{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}"#,
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":["2001:db8:1234::/48"]}}"#,
        ] {
            let p = resource(r#""*""#, cond);
            assert_eq!(holds(Kind::Resource, &p, true, &[]), Some(true), "{p}");
        }
    }
}

/// A unique ID (`aws:userid`, global condition keys:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-userid>)
/// names a user or role but not its account: a grant to one does not keep other accounts
/// out, so `--only-accounts` fails with a caller of another account carrying that ID.
#[test]
fn a_unique_id_does_not_bound_the_account() {
    for cond in [
        r#"{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}"#,
        r#"{"StringEquals":{"aws:userid":"AIDAJQABLZS4A3QDU576Q"}}"#,
    ] {
        let p = pol(
            "p.json",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{cond}}}]}}"#
            ),
        );
        let o = verify_opts(Kind::Resource, &[], false, &["111122223333"]);
        let a = verify(std::slice::from_ref(&p), &o).unwrap();
        assert_eq!(a[0].holds, Some(false), "{cond}");
        for c in &a[0].counterexamples {
            assert!(allowed(&p, Kind::Resource, &c.example), "{c:?}");
        }
    }
}

/// AWS's data-perimeter bucket policy (an `Allow` to `*` and a `Deny` of callers outside the
/// organization unless `aws:PrincipalIsAWSService`): not public. An anonymous caller has no
/// `aws:PrincipalIsAWSService` and an IAM caller has `false` (global condition keys docs,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice>),
/// so no outsider is a service.
#[test]
fn the_data_perimeter_bucket_policy_is_not_public() {
    let p = pol(
        "p.json",
        r#"{"Version":"2012-10-17","Statement":[
{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"},
{"Sid":"EnforceOrgIdentities","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}]}"#,
    );
    let o = verify_opts(Kind::Resource, &[], true, &[]);
    let a = verify(std::slice::from_ref(&p), &o).unwrap();
    assert_eq!(a[0].holds, Some(true), "{:?}", a[0].counterexamples);
}

/// `aws:SourceIp` bounds the caller only with blocks no wider than an IPv4 /8 or an IPv6 /32
/// (greenlight's line: `0.0.0.0/1` is half of the IPv4 internet, `2000::/3` every global IPv6
/// address); an organization's own ranges (`10.0.0.0/8`, `203.0.113.0/24`,
/// `2001:db8:1234::/48`) do.
#[test]
fn broad_source_ip_blocks_are_public() {
    let verdict = |cidr: &str| {
        let p = pol(
            "p.json",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{{"IpAddress":{{"aws:SourceIp":"{cidr}"}}}}}}]}}"#
            ),
        );
        let o = verify_opts(Kind::Resource, &[], true, &[]);
        let a = verify(std::slice::from_ref(&p), &o).unwrap();
        for c in &a[0].counterexamples {
            assert!(allowed(&p, Kind::Resource, &c.example), "{c:?}");
        }
        a[0].holds
    };
    for cidr in ["0.0.0.0/1", "128.0.0.0/2", "2000::/3", "::/0", "0.0.0.0/0"] {
        assert_eq!(verdict(cidr), Some(false), "{cidr}");
    }
    for cidr in ["10.0.0.0/8", "203.0.113.0/24", "2001:db8:1234::/48"] {
        assert_eq!(verdict(cidr), Some(true), "{cidr}");
    }
}

/// A same-account caller's identity policy can allow alone, so a resource policy's `Deny` is
/// what keeps it out (IAM policy evaluation logic,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>
/// and the same-account flow): removing the `Deny` is an addition even when no `Allow` of the
/// policy matches.
#[test]
fn removing_a_resource_policy_deny_is_an_addition() {
    let old = pol(
        "old.json",
        r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"ReadPartner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
 {"Sid":"DenyDelete","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let new = pol(
        "new.json",
        r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"ReadPartner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let d = diff(&old, &new, Kind::Resource, 3).unwrap();
    check_groups(&old, &new, Kind::Resource, &d);
    assert!(
        d.added
            .iter()
            .any(|g| g.actions.iter().any(|a| a == "s3:DeleteObject")),
        "{d:?}"
    );
    assert!(d.removed.is_empty(), "{:?}", d.removed);
    let same = diff(&old, &old, Kind::Resource, 3).unwrap();
    assert!(same.added.is_empty() && same.removed.is_empty());
    // `verify` of the resource policy still asks what the policy grants: no same-account
    // caller whose own identity policy allows everything
    let a = verify(
        std::slice::from_ref(&new),
        &verify_opts(Kind::Resource, &["s3:DeleteObject"], false, &[]),
    )
    .unwrap();
    assert_eq!(a[0].holds, Some(true), "{:?}", a[0].counterexamples);
}

/// KMS: "Unless the key policy explicitly allows it, you cannot use IAM policies to allow
/// access to a KMS key" (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html>).
/// Removing a key policy's `Deny` lets the key's own account in only for what the key policy
/// delegates (here nothing): same-account callers gain every other service's actions through
/// their identity policies, and no `kms:` action, even with `"Action": "*"` everywhere.
#[test]
fn removing_a_key_policy_deny_adds_no_kms_action_for_the_own_account() {
    let partner = r#"{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:ListBucket","Resource":"*"}"#;
    let old = id(
        "old.json",
        &format!(
            r#"{partner},{{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}"#
        ),
    );
    let new = id("new.json", partner);
    let d = diff(&old, &new, Kind::Resource, 3).unwrap();
    check_groups(&old, &new, Kind::Resource, &d);
    let added: Vec<&String> = d.added.iter().flat_map(|g| &g.actions).collect();
    assert!(added.iter().any(|a| *a == "s3:GetObject"), "{d:?}");
    assert!(
        !added.iter().any(|a| a.starts_with("kms:")),
        "{:?}",
        d.added
            .iter()
            .filter(|g| g.actions.iter().any(|a| a.starts_with("kms:")))
            .map(|g| &g.examples)
            .collect::<Vec<_>>()
    );
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
}

/// `aws:PrincipalServiceName` is in the request only when a service principal calls
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>):
/// a bucket policy for `*` bounded by it is not public (red-team pass 4, suspicion 2).
#[test]
fn a_service_name_condition_is_not_public() {
    let p = pol(
        "b.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringEquals":{"aws:PrincipalServiceName":"cloudtrail.amazonaws.com"}}}]}"#,
    );
    let a = verify(
        std::slice::from_ref(&p),
        &verify_opts(Kind::Resource, &[], true, &[]),
    )
    .unwrap();
    assert_eq!(a[0].holds, Some(true), "{:?}", a[0].counterexamples);
    let q = pol(
        "b.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*","Condition":{"StringNotEquals":{"aws:PrincipalServiceName":"cloudtrail.amazonaws.com"}}}]}"#,
    );
    let a = verify(
        std::slice::from_ref(&q),
        &verify_opts(Kind::Resource, &[], true, &[]),
    )
    .unwrap();
    assert_eq!(a[0].holds, Some(false));
}

/// A `Deny` whose `NotPrincipal` lists a user without its account: AWS "might validate the
/// account first" and deny the user, or exempt it, depending on the service
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>).
/// `verify --only-accounts` that the user could break is undecided, not `holds` (red-team
/// pass 4, suspicion 3); with the account ARN listed it is decided.
#[test]
fn not_principal_without_the_account_is_undecided_for_outside_accounts() {
    let policy = |listed: &str| {
        pol(
            "b.json",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}},{{"Effect":"Deny","NotPrincipal":{{"AWS":[{listed}]}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}}]}}"#
            ),
        )
    };
    let user_only = policy(r#""arn:aws:iam::999988887777:user/U""#);
    let holds = |p: &Policy, only: &str| {
        verify(
            std::slice::from_ref(p),
            &verify_opts(Kind::Resource, &[], false, &[only]),
        )
        .unwrap()[0]
            .holds
    };
    assert_eq!(holds(&user_only, "111122223333"), None);
    // the user's own account is trusted: holds either way
    assert_eq!(holds(&user_only, "999988887777"), Some(true));
    // with the account ARN, AWS exempts the user: another account's user gets in
    let both = policy(r#""arn:aws:iam::999988887777:user/U","arn:aws:iam::999988887777:root""#);
    assert_eq!(holds(&both, "111122223333"), Some(false));
}

/// A question whose fixed key is a real caller's value (not the caller's own, left out):
/// a resource named through that key is searched or the answer is unknown, never a silent
/// "no request is allowed". Here `b/alice` is allowed to alice.
#[test]
fn a_fixed_variable_that_is_not_the_callers_own_is_never_a_silent_no() {
    let p = id(
        "var.json",
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}"#,
    );
    let q = query::Question {
        actions: vec!["s3:GetObject".into()],
        fixed: vec![("aws:username".into(), vec![Some(vec!["alice".into()])])],
        own_variables: false,
        ..Default::default()
    };
    let a = query::allowed(&query::identity_set(&[&p]), Kind::Identity, &q).unwrap();
    assert!(!(a.grants.is_empty() && a.unknown.is_empty()), "{a:?}");
    for g in &a.grants {
        assert!(allowed(&p, Kind::Identity, &g.example), "{g:?}");
    }
}

/// Lifting an RCP that denies everything adds exactly the catalog actions of the services
/// that support RCPs, less `kms:RetireGrant` — each service a class of its own although no
/// statement names it (AWS Organizations, "List of AWS services that support RCPs" and
/// "Resources and entities not restricted by RCPs",
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>).
#[test]
fn lifting_a_deny_all_rcp_adds_exactly_the_actions_rcps_restrict() {
    let deny_all = pol(
        "old.json",
        r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#,
    );
    let deny_ec2 = pol(
        "new.json",
        r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ec2:*","Resource":"*"}]}"#,
    );
    let d = diff(&deny_all, &deny_ec2, Kind::Rcp, 1).unwrap();
    assert!(d.unknown.is_empty(), "{:?}", d.unknown);
    assert!(d.removed.is_empty());
    let added: std::collections::BTreeSet<String> = d
        .added
        .iter()
        .flat_map(|g| g.actions.iter().map(|a| a.to_ascii_lowercase()))
        .collect();
    let cat = crate::catalog::active();
    let expected: std::collections::BTreeSet<String> = cat
        .actions()
        .map(|a| a.full_name().to_ascii_lowercase())
        .filter(|a| crate::eval::rcp::action_supported(a))
        .collect();
    assert!(!expected.contains("kms:retiregrant"));
    assert!(expected.contains("s3:getobject"));
    assert_eq!(added, expected);
    for g in &d.added {
        assert!(g.lifted_deny);
        let set = diff::frame_set(&deny_all, Kind::Rcp).compile().unwrap();
        let req = verify::request_of(&g.example, None);
        assert_eq!(
            evaluate(&set, &req).unwrap().decision,
            crate::eval::Verdict::ExplicitDeny
        );
        let set = diff::frame_set(&deny_ec2, Kind::Rcp).compile().unwrap();
        assert!(evaluate(&set, &req).unwrap().decision.is_allowed());
    }
}

/// The verdict of `--no-public-access` (or `--only-accounts 111122223333` when `only`) on
/// one resource or trust policy, every counterexample re-decided by the evaluator.
fn outside_verdict(kind: Kind, text: &str, only: bool) -> (Option<bool>, Vec<Counterexample>) {
    let p = pol("p.json", text);
    let accounts: &[&str] = if only { &["111122223333"] } else { &[] };
    let a = verify(
        std::slice::from_ref(&p),
        &verify_opts(kind, &[], !only, accounts),
    )
    .unwrap();
    for c in &a[0].counterexamples {
        assert!(allowed(&p, kind, &c.example), "{c:?}");
    }
    (a[0].holds, a[0].counterexamples.clone())
}

/// A bucket policy that allows everyone and denies the callers a condition does not match.
fn allow_all_but(deny_condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[
 {{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}},
 {{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{deny_condition}}}]}}"#
    )
}

/// A `Deny` under a negated wildcard operator (`StringNotLike`, `ArnNotLike`) is false for
/// every value its pattern matches (IAM condition operators,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>),
/// and a wildcard value is not fixed, so not a bound (S3, "The meaning of public",
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>):
/// another organization's ID may start with `o-abc`, anyone can create `mybucket-x`. The
/// fixed forms (`StringNotEquals` on one organization, `ArnNotEquals` on one bucket) bound.
/// (Red team 23a, finding 1.)
#[test]
fn negated_wildcard_denies_do_not_bound_the_caller() {
    for cond in [
        r#"{"StringNotLike":{"aws:PrincipalOrgID":"o-abc*"}}"#,
        r#"{"StringNotLike":{"aws:SourceAccount":"11112222333?"}}"#,
        r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::mybucket*"}}"#,
        r#"{"StringNotLike":{"aws:SourceVpce":"vpce-1a2b*"}}"#,
        r#"{"StringNotLike":{"aws:PrincipalOrgPaths":"o-abc*/*"}}"#,
        r#"{"StringNotLike":{"aws:userid":"*:alice@example.com"}}"#,
        r#"{"StringNotLikeIfExists":{"aws:PrincipalOrgID":"o-abc*"}}"#,
    ] {
        let (holds, ce) = outside_verdict(Kind::Resource, &allow_all_but(cond), false);
        assert_eq!(holds, Some(false), "{cond}");
        assert!(!ce.is_empty(), "{cond}");
    }
    let trust = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},
 {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringNotLike":{"aws:PrincipalOrgID":"o-abc*"}}}]}"#;
    assert_eq!(outside_verdict(Kind::Trust, trust, false).0, Some(false));
    for cond in [
        r#"{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}"#,
        r#"{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::mybucket"}}"#,
        r#"{"StringNotLike":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:*"}}"#,
    ] {
        let (holds, ce) = outside_verdict(Kind::Resource, &allow_all_but(cond), false);
        assert_eq!(holds, Some(true), "{cond}: {ce:?}");
    }
}

/// `aws:userid` takes the form of the caller's kind (IAM policy variables, "Principal key
/// values",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable>):
/// `role-id:session-name` for a role session, the account ID for the root user, the unique
/// ID (`AIDA…`) for an IAM user, `account:name` for a federated user. So "not an IAM user"
/// (`StringNotLike` `AIDA*`) admits role sessions of every account. (Red team 23a, finding 2.)
#[test]
fn userid_takes_the_form_of_the_callers_kind() {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
  "Condition":{"StringNotLike":{"aws:userid":"AIDA*"},"Null":{"aws:PrincipalAccount":"false"}}}]}"#;
    let (holds, ce) = outside_verdict(Kind::Trust, trust, false);
    assert_eq!(holds, Some(false));
    assert!(ce.iter().all(|c| {
        !c.example
            .context
            .iter()
            .any(|(k, v)| k == "aws:userid" && v.iter().any(|x| x.starts_with("AIDA")))
    }));
    let bucket = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
 {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}},
 {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:PrincipalAccount":"true"}}}]}"#;
    for only in [false, true] {
        assert_eq!(
            outside_verdict(Kind::Resource, bucket, only).0,
            Some(false),
            "{only}"
        );
    }
    // a fixed role ID with any session is that role's sessions only (IAM identifiers, "Unique
    // identifiers": a unique ID is never reused)
    let pinned = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
  "Condition":{"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}}}]}"#;
    assert_eq!(outside_verdict(Kind::Resource, pinned, false).0, Some(true));
}

/// A federated user (`GetFederationToken`) has `aws:PrincipalArn`
/// `arn:aws:sts::ACCOUNT:federated-user/NAME` (global condition keys,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn>):
/// denying users, roles, sessions and anonymous callers leaves it in. (Red team 23a,
/// finding 3.)
#[test]
fn federated_users_are_outside_callers() {
    let bucket = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
 {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*",
  "Condition":{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::*:*","arn:aws:sts::*:assumed-role/*"]}}},
 {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"aws:PrincipalArn":"true"}}}]}"#;
    for only in [false, true] {
        let (holds, ce) = outside_verdict(Kind::Resource, bucket, only);
        assert_eq!(holds, Some(false), "{only}");
        assert!(
            ce.iter().all(
                |c| matches!(&c.example.caller, Some(crate::eval::Principal::Aws(a))
                if matches!(a.kind, crate::eval::AwsPrincipalKind::FederatedUser { .. }))
            ),
            "{ce:?}"
        );
    }
}

/// `StringLike`'s `*` matches `:` too; only the `Arn…` operators compare an ARN field by field
/// (IAM condition operators, "Amazon Resource Name (ARN) condition operators",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>).
/// So `StringLike` `arn:aws:logs:*:111122223333:*` on `aws:SourceArn` admits a log group
/// named `111122223333` of another account, while `ArnLike` with the same text bounds.
/// (Red team 23a, finding 4.)
#[test]
fn string_like_source_arn_wildcards_span_colons() {
    let with = |op: &str, arn: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
  "Condition":{{"{op}":{{"aws:SourceArn":"{arn}"}}}}}}]}}"#
        )
    };
    for arn in [
        "arn:aws:logs:*:111122223333:*",
        "arn:aws:*:*:111122223333:*",
        "arn:aws:logs:us-*:111122223333:*",
    ] {
        assert_eq!(
            outside_verdict(Kind::Resource, &with("StringLike", arn), false).0,
            Some(false),
            "{arn}"
        );
        let (holds, ce) = outside_verdict(Kind::Resource, &with("ArnLike", arn), false);
        assert_eq!(holds, Some(true), "{arn}: {ce:?}");
    }
    // a `*` after a fixed account bounds under `StringLike` too
    let (holds, ce) = outside_verdict(
        Kind::Resource,
        &with("StringLike", "arn:aws:logs:us-east-1:111122223333:*"),
        false,
    );
    assert_eq!(holds, Some(true), "{ce:?}");
}

/// AWS-documented policies that bound the caller still hold: the confused-deputy examples
/// with `aws:SourceArn` and `aws:SourceAccount` of one account (IAM, "The confused deputy
/// problem", <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>), a
/// bucket policy for one organization (`aws:PrincipalOrgID`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid>)
/// and the S3 server-access-logging bucket policy
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>).
#[test]
fn documented_bounded_policies_still_hold() {
    for text in [
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
  "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:logs:us-east-1:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
  "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-xxxxxxxxxx"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-destination-bucket/EXAMPLE-LOGGING-PREFIX*",
  "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::amzn-s3-demo-source-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*",
  "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}}]}"#,
    ] {
        let (holds, ce) = outside_verdict(Kind::Resource, text, false);
        assert_eq!(holds, Some(true), "{text}: {ce:?}");
    }
}

/// A root user's `aws:userid` is its account ID (IAM policy variables, "Principal key values",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable>):
/// a pattern over account IDs admits the root of every account it matches, so it bounds no
/// caller to the accounts listed. (Red team 25, finding 5.)
#[test]
fn userid_patterns_over_account_ids_admit_those_roots() {
    for pattern in ["1111*", "11112222333?"] {
        let bucket = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"StringLike":{{"aws:userid":"{pattern}"}}}}}}]}}"#
        );
        for only in [false, true] {
            let (holds, ce) = outside_verdict(Kind::Resource, &bucket, only);
            assert_eq!(holds, Some(false), "{pattern} {only}");
            assert!(
                ce.iter().any(
                    |c| matches!(&c.example.caller, Some(crate::eval::Principal::Aws(a))
                    if matches!(a.kind, crate::eval::AwsPrincipalKind::Root) && a.account.starts_with("1111"))
                ),
                "{ce:?}"
            );
        }
    }
}

/// `--only-accounts` and AWS services acting for a resource owner (IAM, "The confused deputy
/// problem", <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>; global
/// condition keys `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`,
/// `aws:SourceOrgPaths`): a pattern over account IDs admits services acting for accounts
/// outside the list, an organization admits every member account, and a role trust policy
/// whose source keys name another account lets that account's resources use the role
/// through the service. Each counterexample is re-decided by the evaluator
/// ([`outside_verdict`]). (Red team 60.)
#[test]
fn source_keys_that_admit_other_accounts_fail_only_accounts() {
    let topic = |principal: &str, cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:t","Condition":{cond}}}]}}"#
        )
    };
    for principal in [r#""*""#, r#"{"Service":"events.amazonaws.com"}"#] {
        for cond in [
            r#"{"StringLike":{"aws:SourceAccount":"1111*"}}"#,
            r#"{"StringLike":{"aws:SourceOwner":"1111*"}}"#,
            r#"{"StringLike":{"aws:SourceAccount":"11112222333?"}}"#,
            r#"{"StringLike":{"aws:SourceOrgID":"o-*"}}"#,
            r#"{"StringEquals":{"aws:SourceOrgID":"o-aa111bb222"}}"#,
            r#"{"ForAnyValue:StringLike":{"aws:SourceOrgPaths":"o-aa111bb222/*"}}"#,
            // (an ARN without an account: any customer's hosted zone; red team 61; a bucket
            // whose name another account can take once it is deleted: red team 70a)
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:route53:::hostedzone/*"}}"#,
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::amzn-s3-demo-bucket"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}"#,
            // (the S3 event notification form without its `aws:SourceAccount`; a `StringLike`
            // wildcard inside the account field runs over colons: red team 71a)
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:*:amzn-s3-demo-bucket"}}"#,
            r#"{"StringLike":{"aws:SourceArn":"arn:aws:events:us-east-1:*111122223333:rule/*"}}"#,
        ] {
            let (holds, ce) = outside_verdict(Kind::Resource, &topic(principal, cond), true);
            assert_eq!(holds, Some(false), "{principal} {cond}");
            assert!(!ce.is_empty(), "{principal} {cond}");
        }
        // the listed account itself keeps the others out
        for cond in [
            r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:events:us-east-1:111122223333:rule/r"}}"#,
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::amzn-s3-demo-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:*:*:amzn-s3-demo-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        ] {
            let (holds, ce) = outside_verdict(Kind::Resource, &topic(principal, cond), true);
            assert_eq!(holds, Some(true), "{principal} {cond}: {ce:?}");
        }
    }
    // a role trust policy for a service on behalf of another account (the confused-deputy
    // page's trust policy, with another account), and on behalf of any account's tasks
    let trust = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"Service":"datasync.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{cond}}}}}"#
        )
    };
    for cond in [
        r#"{"StringEquals":{"aws:SourceAccount":"999999999999"},"ArnLike":{"aws:SourceArn":"arn:aws:datasync:*:999999999999:*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:datasync:us-west-2:*:*"}}"#,
    ] {
        let (holds, ce) = outside_verdict(Kind::Trust, &trust(cond), true);
        assert_eq!(holds, Some(false), "{cond}");
        assert!(!ce.is_empty(), "{cond}");
    }
    let own = trust(
        r#"{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:datasync:*:111122223333:*"}}"#,
    );
    assert_eq!(outside_verdict(Kind::Trust, &own, true).0, Some(true));
}

/// `StringLike` reads a `*` before the account field of a caller ARN pattern over colons, and a
/// role's or user's path may hold colons (`CreateRole`'s `Path`: any character from `!` to `~`),
/// so `arn:*:iam::111122223333:*` admits `arn:aws:iam::444455556666:role/p:iam::111122223333:/x`
/// (red team 70b D1: `verify` held). `ArnLike` compares the fields one by one: it keeps the
/// others out.
#[test]
fn string_like_caller_arn_patterns_span_colons_into_a_path() {
    let bucket = |op: &str, pattern: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{{"{op}":{{"aws:PrincipalArn":"{pattern}"}}}}}}]}}"#
        )
    };
    for pattern in [
        "arn:*:iam::111122223333:*",
        "arn:aws:*::111122223333:*",
        "arn:aws:iam:*:111122223333:*",
        "arn:*:iam::111122223333:role/admin",
        // (a wildcard inside or after the account field, or a run of `?`: red team 71a)
        "arn:aws:iam::*111122223333:role/admin",
        "arn:aws:iam:*111122223333:role/admin",
        "arn:aws:i*:111122223333:role/admin",
        "*:111122223333:*",
        "arn:aws:iam:????????????????????111122223333:role/admin",
    ] {
        for only in [true, false] {
            let (holds, ce) = outside_verdict(Kind::Resource, &bucket("StringLike", pattern), only);
            assert_eq!(holds, Some(false), "{pattern} {only}");
            assert!(
                ce.iter().any(|c| c
                    .example
                    .principal
                    .as_deref()
                    .is_some_and(|p| p.split(':').nth(4) != Some("111122223333"))),
                "{pattern}: {ce:?}"
            );
        }
        if pattern.starts_with("arn:") && pattern.matches(':').count() == 5 {
            let (holds, ce) = outside_verdict(Kind::Resource, &bucket("ArnLike", pattern), true);
            assert_eq!(holds, Some(true), "{pattern}: {ce:?}");
        }
    }
    // the account right after the fixed fields keeps the others out
    let (holds, ce) = outside_verdict(
        Kind::Resource,
        &bucket("StringLike", "arn:aws:iam::111122223333:*"),
        true,
    );
    assert_eq!(holds, Some(true), "{ce:?}");
    // a Deny on the callers outside the pattern lets the spanning caller through
    let deny =
        allow_all_but(r#"{"StringNotLike":{"aws:PrincipalArn":"arn:*:iam::111122223333:*"}}"#);
    assert_eq!(outside_verdict(Kind::Resource, &deny, true).0, Some(false));
}

/// `"Principal": "*"` narrowed to a service by `aws:PrincipalServiceName` or
/// `aws:PrincipalServiceNamesList` is that service acting for whichever account its source
/// condition allows, as `{"Service": ...}` is: these keys are present only when a service
/// principal calls (global condition keys,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>,
/// `#condition-keys-principalservicenameslist`), and the cross-service confused deputy is
/// that service acting for another account's resource
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>). So both forms
/// get the same `--only-accounts` verdict: failing for another account's `aws:SourceAccount`
/// or with no source condition, holding for the listed account's. (Red team 73: the `*`
/// forms held where the `Service` form failed.)
#[test]
fn principal_star_narrowed_to_a_service_acts_for_other_accounts() {
    // (the condition operators, each with one key: none at all is no `Condition`)
    let queue = |principal: &str, conds: &[&str]| {
        let cond = if conds.is_empty() {
            String::new()
        } else {
            format!(r#","Condition":{{{}}}"#, conds.join(","))
        };
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q"{cond}}}]}}"#
        )
    };
    let forms: [(&str, Option<&str>); 4] = [
        (r#"{"Service":"sns.amazonaws.com"}"#, None),
        (
            r#""*""#,
            Some(r#""StringEquals":{"aws:PrincipalServiceName":"sns.amazonaws.com"}"#),
        ),
        (
            r#""*""#,
            Some(
                r#""ForAnyValue:StringEquals":{"aws:PrincipalServiceNamesList":"sns.amazonaws.com"}"#,
            ),
        ),
        (
            r#""*""#,
            Some(r#""Bool":{"aws:PrincipalIsAWSService":"true"}"#),
        ),
    ];
    for (principal, narrow) in forms {
        for source in [
            Some(r#""StringLike":{"aws:SourceAccount":["999999999999"]}"#),
            Some(r#""ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:999999999999:t"}"#),
            Some(r#""StringLike":{"aws:SourceAccount":"*"}"#),
            // (no source condition: the service acting for any account)
            None,
        ] {
            let conds: Vec<&str> = narrow.into_iter().chain(source).collect();
            let text = queue(principal, &conds);
            let (holds, ce) = outside_verdict(Kind::Resource, &text, true);
            assert_eq!(holds, Some(false), "{text}");
            assert!(
                ce.iter()
                    .all(|c| matches!(&c.example.caller, Some(crate::eval::Principal::Service(_)))),
                "{text}: {ce:?}"
            );
            // AWS service principals are not the public (Access Analyzer, "How IAM Access
            // Analyzer findings work")
            assert_eq!(
                outside_verdict(Kind::Resource, &text, false).0,
                Some(true),
                "{text}"
            );
        }
        let own = r#""ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:t"}"#;
        let conds: Vec<&str> = narrow.into_iter().chain(Some(own)).collect();
        let own = queue(principal, &conds);
        let (holds, ce) = outside_verdict(Kind::Resource, &own, true);
        assert_eq!(holds, Some(true), "{own}: {ce:?}");
    }
}

/// A service principal in a resource policy without a condition that bounds the source
/// (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`) can act for
/// any account's resource (IAM, "The confused deputy problem",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>): EventBridge rules
/// of any account can publish to a topic open to `events.amazonaws.com`. So `--only-accounts`
/// fails, as it does for the narrower policy pinned to another account's `aws:SourceAccount`
/// (red team 73: the wider policy held, the narrower one failed); the counterexample carries no
/// source key. `--no-public-access` holds for both: IAM Access Analyzer "does not currently
/// report findings from AWS service principals"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html>). A
/// service-role trust policy without a condition still holds: the service assumes the role
/// where a principal passed it, and `iam:PassRole` passes roles only to a service of the same
/// account (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>).
#[test]
fn service_principal_without_a_source_condition_fails_only_accounts() {
    let topic = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:my-topic"{cond}}}]}}"#
        )
    };
    let wide = topic("");
    let narrow = topic(r#","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}"#);
    for text in [&wide, &narrow] {
        let (holds, ce) = outside_verdict(Kind::Resource, text, true);
        assert_eq!(holds, Some(false), "{text}");
        assert!(
            ce.iter().any(|c| matches!(&c.example.caller,
                Some(crate::eval::Principal::Service(s)) if s == "events.amazonaws.com")),
            "{text}: {ce:?}"
        );
        assert_eq!(outside_verdict(Kind::Resource, text, false).0, Some(true));
    }
    let (_, ce) = outside_verdict(Kind::Resource, &wide, true);
    assert!(
        ce.iter().all(|c| !c
            .example
            .context
            .iter()
            .any(|(k, _)| k.to_ascii_lowercase().starts_with("aws:source"))),
        "{ce:?}"
    );
    // service-role trust policies AWS documents without a condition (ECS task role, CodeDeploy)
    for svc in ["ecs-tasks.amazonaws.com", "codedeploy.amazonaws.com"] {
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{svc}"}},"Action":"sts:AssumeRole"}}]}}"#
        );
        let (holds, ce) = outside_verdict(Kind::Trust, &trust, true);
        assert_eq!(holds, Some(true), "{svc}: {ce:?}");
    }
}

/// AWS-documented resource policies for services that bound the source to the account still
/// hold `--only-accounts` now that every service principal is tried: CloudTrail's bucket
/// policy (`aws:SourceArn` of the account's trail,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>),
/// an SQS queue policy for an SNS topic (`aws:SourceArn`,
/// <https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html>),
/// CloudFront origin access control (`AWS:SourceArn` of a distribution,
/// <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html>),
/// Elastic Load Balancing's log delivery, bounded by the `AWSLogs/ACCOUNT/` folder instead of a
/// condition (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>),
/// and CloudWatch Logs' KMS key policy, bounded by the encryption context
/// `kms:EncryptionContext:aws:logs:arn`
/// (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>).
/// The same policies opened to another account or to any account fail.
#[test]
fn documented_service_policies_bounded_to_the_account_still_hold() {
    let cloudtrail = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"AWSCloudTrailAclCheck20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrailName"}}},
 {"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrailName"}}}]}"#;
    let sqs = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-2:111122223333:MyQueue","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:111122223333:MyTopic"}}}]}"#;
    let oac = r#"{"Version":"2012-10-17","Statement":{"Sid":"AllowCloudFrontServicePrincipalReadOnly","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}}"#;
    let elb = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-logging-bucket/logging-prefix/AWSLogs/111122223333/*"}]}"#;
    let logs = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
 {"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*","Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111122223333:*"}}}]}"#;
    for text in [cloudtrail, sqs, oac, elb, logs] {
        let (holds, ce) = outside_verdict(Kind::Resource, text, true);
        assert_eq!(holds, Some(true), "{text}: {ce:?}");
    }
    for (text, from, to) in [
        (cloudtrail, "111122223333:trail", "999999999999:trail"),
        (sqs, "111122223333:MyTopic", "999999999999:MyTopic"),
        (
            oac,
            "111122223333:distribution",
            "999999999999:distribution",
        ),
        (elb, "AWSLogs/111122223333/", "AWSLogs/999999999999/"),
        (elb, "logging-prefix/AWSLogs/111122223333/*", "*"),
        (logs, "us-east-1:111122223333:*", "us-east-1:*:*"),
    ] {
        let open = text.replace(from, to);
        assert_ne!(open, text);
        let (holds, ce) = outside_verdict(Kind::Resource, &open, true);
        assert_eq!(holds, Some(false), "{open}");
        assert!(
            ce.iter()
                .any(|c| matches!(&c.example.caller, Some(crate::eval::Principal::Service(_)))),
            "{open}: {ce:?}"
        );
    }
}
