//! Property tests (proptest) for the parser and the evaluator. The case count is fixed (see
//! `config()`) so CI runs are deterministic in length; `PROPTEST_CASES=100000 cargo test --test
//! properties` runs longer. Failing cases are kept under `proptest-regressions/`.

use greenlight::eval::{
    CompiledPolicy, Context, Decision, PolicySet, PolicyType, Principal, Request, Verdict, evaluate,
};
use greenlight::{Source, parse_policy};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Value, json};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(256),
        max_global_rejects: 1_000_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/properties.txt",
        ))),
        ..ProptestConfig::default()
    }
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "*",
    "ec2:RunInstances",
    "iam:PassRole",
    "iam:*Role*",
    "s3:?etObject",
    "ecs:UpdateService",
    "ecs:*",
];
const REQ_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "ec2:RunInstances",
    "iam:PassRole",
    "iam:CreateRole",
    "ecs:UpdateService",
    "sts:AssumeRole",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/a?c",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::111122223333:role/deploy",
    "arn:aws:ecs:*:111122223333:service/*",
    "arn:aws:s3:::home/${aws:username}/*",
];
const REQ_RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/abc",
    "arn:aws:s3:::bucket/x/y",
    "arn:aws:iam::111122223333:role/deploy",
    "arn:aws:ecs:us-east-1:111122223333:service/c/s",
    "arn:aws:s3:::home/alice/k",
];
/// (operator, key, value): every value is valid for its operator; the request context (below)
/// holds values every operator can read.
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:PrincipalTag/team", "red"),
    ("StringNotEquals", "aws:PrincipalTag/team", "red"),
    ("StringLike", "aws:username", "a*"),
    ("StringEqualsIgnoreCase", "aws:username", "ALICE"),
    ("StringNotLikeIfExists", "aws:PrincipalTag/team", "b*"),
    ("Bool", "aws:MultiFactorAuthPresent", "true"),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "false"),
    ("NumericLessThan", "aws:MultiFactorAuthAge", "3600"),
    ("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"),
    ("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
    ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:*"),
    ("ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::x"),
    ("Null", "aws:TokenIssueTime", "true"),
    ("ForAllValues:StringEquals", "aws:TagKeys", "env"),
    ("ForAnyValue:StringLike", "aws:TagKeys", "t*"),
];
const CONTEXT: &[(&str, &str)] = &[
    ("aws:PrincipalTag/team", "red"),
    ("aws:username", "alice"),
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:MultiFactorAuthAge", "100"),
    ("aws:CurrentTime", "2024-05-01T00:00:00Z"),
    ("aws:SourceIp", "203.0.113.9"),
    ("aws:PrincipalArn", "arn:aws:iam::111122223333:user/alice"),
    ("aws:SourceArn", "arn:aws:s3:::y"),
    ("aws:TagKeys", "env"),
    ("aws:TagKeys", "team"),
];

#[derive(Clone, Debug)]
struct Stmt {
    allow: bool,
    not_action: bool,
    actions: Vec<usize>,
    not_resource: bool,
    resources: Vec<usize>,
    conditions: Vec<usize>,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        prop::bool::weighted(0.15),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::bool::weighted(0.15),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        prop::collection::vec(0..CONDITIONS.len(), 0..3),
    )
        .prop_map(
            |(allow, not_action, actions, not_resource, resources, mut conditions)| {
                // One key per operator, as duplicate keys are a parse error.
                conditions.sort_unstable();
                conditions.dedup_by_key(|c| CONDITIONS[*c].0);
                Stmt {
                    allow,
                    not_action,
                    actions,
                    not_resource,
                    resources,
                    conditions,
                }
            },
        )
}

fn stmt_json(s: &Stmt, principal: Option<Value>) -> Value {
    let mut o = serde_json::Map::new();
    o.insert(
        "Effect".into(),
        json!(if s.allow { "Allow" } else { "Deny" }),
    );
    if let Some(p) = principal {
        o.insert("Principal".into(), p);
    }
    o.insert(
        (if s.not_action { "NotAction" } else { "Action" }).into(),
        json!(s.actions.iter().map(|&i| ACTIONS[i]).collect::<Vec<_>>()),
    );
    o.insert(
        (if s.not_resource {
            "NotResource"
        } else {
            "Resource"
        })
        .into(),
        json!(
            s.resources
                .iter()
                .map(|&i| RESOURCES[i])
                .collect::<Vec<_>>()
        ),
    );
    if !s.conditions.is_empty() {
        let mut c = serde_json::Map::new();
        for &i in &s.conditions {
            let (op, key, value) = CONDITIONS[i];
            c.insert(op.into(), json!({ key: [value] }));
        }
        o.insert("Condition".into(), Value::Object(c));
    }
    Value::Object(o)
}

fn doc(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[derive(Clone, Debug)]
struct World {
    identity: Vec<Vec<Stmt>>,
    boundary: Option<Vec<Stmt>>,
    scps: Vec<Vec<Stmt>>,
    resource: Option<Vec<Stmt>>,
    action: usize,
    resource_arn: usize,
    context: Vec<bool>,
}

fn world() -> impl Strategy<Value = World> {
    let stmts = || prop::collection::vec(stmt(), 1..4);
    (
        prop::collection::vec(stmts(), 0..3),
        prop::option::weighted(0.3, stmts()),
        prop::collection::vec(stmts(), 0..2),
        prop::option::weighted(0.3, stmts()),
        0..REQ_ACTIONS.len(),
        0..REQ_RESOURCES.len(),
        prop::collection::vec(any::<bool>(), CONTEXT.len()),
    )
        .prop_map(
            |(identity, boundary, scps, resource, action, resource_arn, context)| World {
                identity,
                boundary,
                scps,
                resource,
                action,
                resource_arn,
                context,
            },
        )
}

const CALLER: &str = "arn:aws:iam::111122223333:user/alice";

fn policy(name: &str, v: &Value) -> greenlight::Policy {
    let text = serde_json::to_string_pretty(v).unwrap();
    parse_policy(&Source::new(name, text)).unwrap()
}

fn decide(w: &World) -> Decision {
    let to_doc = |s: &Vec<Stmt>, principal: Option<Value>| {
        doc(s.iter().map(|x| stmt_json(x, principal.clone())).collect())
    };
    let set = PolicySet {
        identity: w
            .identity
            .iter()
            .enumerate()
            .map(|(i, s)| policy(&format!("id{i}"), &to_doc(s, None)))
            .collect(),
        boundary: w.boundary.as_ref().map(|s| policy("b", &to_doc(s, None))),
        scps: w
            .scps
            .iter()
            .enumerate()
            .map(|(i, s)| policy(&format!("scp{i}"), &to_doc(s, None)))
            .collect(),
        rcps: Vec::new(),
        resource_policy: w
            .resource
            .as_ref()
            .map(|s| policy("r", &to_doc(s, Some(json!({"AWS": CALLER}))))),
        resource_policy_is_trust: false,
    }
    .compile()
    .unwrap();
    let mut context = Context::new();
    for (i, on) in w.context.iter().enumerate() {
        if *on {
            context.insert(CONTEXT[i].0, CONTEXT[i].1);
        }
    }
    evaluate(
        &set,
        &Request {
            action: REQ_ACTIONS[w.action].into(),
            resource: REQ_RESOURCES[w.resource_arn].into(),
            principal: Some(Principal::parse(CALLER).unwrap()),
            resource_account: None,
            context,
        },
    )
    .unwrap()
}

fn summary(d: &Decision) -> (Verdict, Vec<(String, usize)>, Vec<String>) {
    (
        d.decision,
        d.matched
            .iter()
            .map(|m| (m.policy.to_string(), m.index))
            .collect(),
        d.missing_context_keys.clone(),
    )
}

/// Every place a statement can be added to or removed from.
fn slots(w: &World) -> Vec<(u8, usize)> {
    let mut v: Vec<(u8, usize)> = (0..w.identity.len()).map(|i| (0, i)).collect();
    if w.boundary.is_some() {
        v.push((1, 0));
    }
    v.extend((0..w.scps.len()).map(|i| (2, i)));
    if w.resource.is_some() {
        v.push((3, 0));
    }
    v
}

fn slot_mut(w: &mut World, (kind, i): (u8, usize)) -> &mut Vec<Stmt> {
    match kind {
        0 => &mut w.identity[i],
        1 => w.boundary.as_mut().unwrap(),
        2 => &mut w.scps[i],
        _ => w.resource.as_mut().unwrap(),
    }
}

proptest! {
    #![proptest_config(config())]

    /// No input bytes make the parser (or the compiler behind it) panic.
    #[test]
    fn no_bytes_panic_the_parser(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(src) = Source::from_bytes("fuzz.json", bytes) {
            if let Ok(p) = parse_policy(&src) {
                for t in [PolicyType::Identity, PolicyType::Resource, PolicyType::RoleTrust] {
                    let _ = CompiledPolicy::compile(&p, t);
                }
            }
        }
    }

    /// JSON-shaped text built from policy vocabulary reaches the grammar, not just the lexer.
    #[test]
    fn no_policy_shaped_text_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\"Version\"", "\"2012-10-17\"", "\"Statement\"",
        "\"Effect\"", "\"Allow\"", "\"Deny\"", "\"Action\"", "\"NotAction\"", "\"Resource\"",
        "\"*\"", "\"Principal\"", "\"AWS\"", "\"Condition\"", "\"StringLike\"", "\"Null\"",
        "\"NumericLessThan\"", "\"ForAllValues:IpAddressIfExists\"", "\"k\"", "\"${aws:username\"",
        "\"arn:aws:s3:::b/*\"", "1", "true", "null", "\"\\u0000\"", " ", "\"a:b\"",
    ]), 0..64)) {
        let text: String = parts.concat();
        if let Ok(p) = parse_policy(&Source::new("t.json", text)) {
            for t in [PolicyType::Identity, PolicyType::Scp, PolicyType::Resource] {
                let _ = CompiledPolicy::compile(&p, t);
            }
        }
    }

    /// Adding a Deny statement anywhere never turns a denial into `allowed`.
    #[test]
    fn adding_a_deny_never_allows(w in world(), extra in stmt(), pick in any::<prop::sample::Index>()) {
        let before = decide(&w);
        let slots = slots(&w);
        prop_assume!(!slots.is_empty());
        let mut w2 = w.clone();
        let mut deny = extra;
        deny.allow = false;
        slot_mut(&mut w2, slots[pick.index(slots.len())]).push(deny);
        let after = decide(&w2);
        if before.decision != Verdict::Allowed {
            prop_assert_ne!(after.decision, Verdict::Allowed);
        }
        if before.decision == Verdict::ExplicitDeny {
            prop_assert_eq!(after.decision, Verdict::ExplicitDeny);
        }
    }

    /// Removing an Allow statement never turns a denial into `allowed`.
    #[test]
    fn removing_an_allow_never_allows(w in world(), pick in any::<prop::sample::Index>()) {
        let before = decide(&w);
        let mut allows = Vec::new();
        for slot in slots(&w) {
            let mut w2 = w.clone();
            for (j, s) in slot_mut(&mut w2, slot).iter().enumerate() {
                if s.allow {
                    allows.push((slot, j));
                }
            }
        }
        prop_assume!(!allows.is_empty());
        let (slot, j) = allows[pick.index(allows.len())];
        let mut w2 = w.clone();
        slot_mut(&mut w2, slot).remove(j);
        let after = decide(&w2);
        if before.decision != Verdict::Allowed {
            prop_assert_ne!(after.decision, Verdict::Allowed);
        }
    }

    /// A `Statement` object ≡ a one-element array; a string ≡ a one-element array (Action,
    /// Resource, condition values, principal values); action-name case changes nothing;
    /// `"Principal": "*"` ≡ `{"AWS": "*"}`.
    #[test]
    fn equivalent_shapes_decide_alike(s in stmt(), resource_policy in any::<bool>(), star in any::<bool>(),
                                      action in 0..REQ_ACTIONS.len(), res in 0..REQ_RESOURCES.len(),
                                      ctx in prop::collection::vec(any::<bool>(), CONTEXT.len()),
                                      flips in prop::collection::vec(any::<bool>(), 64)) {
        let principal = resource_policy.then(|| if star { json!("*") } else { json!({"AWS": [CALLER]}) });
        let base = stmt_json(&s, principal.clone());
        let mut context = Context::new();
        for (i, on) in ctx.iter().enumerate() {
            if *on {
                context.insert(CONTEXT[i].0, CONTEXT[i].1);
            }
        }
        let run = |statement: Value, as_object: bool| {
            let d = if as_object {
                json!({"Version": "2012-10-17", "Statement": statement})
            } else {
                doc(vec![statement])
            };
            let p = policy("p", &d);
            let mut set = PolicySet::default();
            if resource_policy { set.resource_policy = Some(p) } else { set.identity.push(p) }
            let set = set.compile().unwrap();
            summary(&evaluate(&set, &Request {
                action: REQ_ACTIONS[action].into(),
                resource: REQ_RESOURCES[res].into(),
                principal: Some(Principal::parse(CALLER).unwrap()),
                resource_account: None,
                context: context.clone(),
            }).unwrap())
        };
        let reference = run(base.clone(), false);
        // Statement object ≡ one-element array.
        prop_assert_eq!(&run(base.clone(), true), &reference);
        // Strings ≡ one-element arrays.
        let mut strings = base.clone();
        to_strings(&mut strings);
        prop_assert_eq!(&run(strings, false), &reference);
        // Action-name case changes nothing.
        let mut cased = base.clone();
        let key = if s.not_action { "NotAction" } else { "Action" };
        if let Some(Value::Array(items)) = cased.get_mut(key) {
            for (n, item) in items.iter_mut().enumerate() {
                let t = item.as_str().unwrap();
                let mangled: String = t.chars().enumerate().map(|(i, c)| {
                    if flips[(i + n) % flips.len()] { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }
                }).collect();
                *item = json!(mangled);
            }
        }
        prop_assert_eq!(&run(cased, false), &reference);
        // "*" ≡ {"AWS": "*"}.
        if resource_policy && star {
            let mut aws = base.clone();
            aws["Principal"] = json!({"AWS": "*"});
            prop_assert_eq!(&run(aws, false), &reference);
        }
    }
}

/// Replaces every one-element array of strings under the statement with the string itself.
fn to_strings(v: &mut Value) {
    match v {
        Value::Array(items) if items.len() == 1 && items[0].is_string() => {
            *v = items[0].clone();
        }
        Value::Array(items) => items.iter_mut().for_each(to_strings),
        Value::Object(m) => m.values_mut().for_each(to_strings),
        _ => {}
    }
}
