//! Differential test against an independent evaluator, `@cloud-copilot/iam-simulate` 0.1.173.
//!
//! `tests/differential/cases.jsonl` holds generated cases with the decision that evaluator
//! recorded (`tests/differential/generate.mjs`, fixed seed). This test evaluates every case with
//! greenlight and compares. Where the two disagree, the AWS docs decide: each known divergence
//! class is listed in `KNOWN` with the rule that makes greenlight's answer the documented one,
//! and any other disagreement fails the test.
//!
//! Regenerate or enlarge (needs Node.js and npm):
//!   cd tests/differential && npm install && node generate.mjs 20000 7 > /tmp/cases.jsonl
//!   GREENLIGHT_DIFF_CASES=/tmp/cases.jsonl cargo test --test suite differential:: -- --nocapture

use std::collections::BTreeMap;

use greenlight::eval::{Context, PolicySet, Principal, Request, Verdict, evaluate};
use greenlight::{Source, parse_policy};
use serde_json::Value;

/// Divergence classes where the reference evaluator contradicts the AWS docs (hardening.md).
const KNOWN: &[(&str, &str)] = &[
    (
        "lowercase-operator",
        "IAM rejects `stringEquals` (operator names are case-sensitive, hardening F1); the reference accepts it — greenlight exits 2",
    ),
    (
        "unknown-operator",
        "IAM rejects unknown operators such as `StringEqualsExists` (hardening F2); the reference skips them, so a Deny can vanish — greenlight exits 2",
    ),
    (
        "no-version",
        "without `\"Version\": \"2012-10-17\"` policy variables are literal text (IAM-VERSION, IAM-VARS, hardening G1); the reference substitutes them",
    ),
    (
        "not-principal-levels",
        "a `NotPrincipal` Deny excludes a caller only when every level of its identity is listed: the account and the user, or the account, the role and the session (IAM-NOTPRINCIPAL: listing Bob and his account excludes Bob only); the reference disagrees on some of these (a session of a listed account; a user listed with its account)",
    ),
    (
        "missing-variable-in-not-resource",
        "a `NotResource` ARN whose policy variable has no value matches nothing, so the statement applies (IAM-VARS, facts §6.4); the reference drops the statement",
    ),
    (
        "arn-operator-on-non-arn",
        "an Arn* operator cannot read a value that is not an ARN; a negated one must not turn that into a match (hardening F15) — greenlight reports an error",
    ),
];

fn reference_verdict(s: &str) -> Option<Verdict> {
    match s {
        "Allowed" => Some(Verdict::Allowed),
        "ExplicitlyDenied" => Some(Verdict::ExplicitDeny),
        "ImplicitlyDenied" => Some(Verdict::ImplicitDeny),
        _ => None,
    }
}

/// greenlight's decision, or `Err` when it refuses the input (parse, compile or eval error).
fn ours(case: &Value) -> Result<Verdict, String> {
    let load = |name: &str, v: &Value| {
        let text = serde_json::to_string(v).unwrap();
        parse_policy(&Source::new(name, text)).map_err(|e| e.to_string())
    };
    let mut set = PolicySet::default();
    for (i, p) in case["identity"].as_array().unwrap().iter().enumerate() {
        set.identity.push(load(&format!("identity{i}"), p)?);
    }
    if !case["boundary"].is_null() {
        set.boundary = Some(load("boundary", &case["boundary"])?);
    }
    for (i, p) in case["scps"].as_array().unwrap().iter().enumerate() {
        set.scps.push(load(&format!("scp{i}"), p)?);
    }
    if !case["resourcePolicy"].is_null() {
        set.resource_policy = Some(load("resource", &case["resourcePolicy"])?);
        set.resource_policy_is_trust = case["trust"].as_bool().unwrap_or(false);
    }
    let compiled = set.compile().map_err(|e| e.to_string())?;
    let mut context = Context::new();
    for (k, vs) in case["context"].as_object().unwrap() {
        context.set(
            k.clone(),
            vs.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect(),
        );
    }
    let request = Request {
        action: case["action"].as_str().unwrap().into(),
        resource: case["resource"].as_str().unwrap().into(),
        principal: Some(Principal::parse(case["principal"].as_str().unwrap()).unwrap()),
        resource_account: case["resourceAccount"].as_str().map(str::to_string),
        context,
    };
    evaluate(&compiled, &request)
        .map(|d| d.decision)
        .map_err(|e| e.to_string())
}

#[test]
fn agrees_with_an_independent_evaluator_except_documented_divergences() {
    let path = std::env::var("GREENLIGHT_DIFF_CASES").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/differential/cases.jsonl"
        )
        .to_string()
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let mut total = 0;
    let mut agree = 0;
    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_verdict: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        total += 1;
        let reference = case["reference"].as_str().unwrap();
        *by_verdict
            .entry(reference.chars().take(20).collect())
            .or_default() += 1;
        let ours = ours(&case);
        let same = match (&ours, reference_verdict(reference)) {
            (Ok(a), Some(b)) => *a == b,
            (Err(_), None) => true,
            _ => false,
        };
        if same {
            agree += 1;
            continue;
        }
        let mut tags: Vec<&str> = case["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        tags.extend(structural_classes(&case));
        match KNOWN.iter().find(|(class, _)| tags.contains(class)) {
            Some((class, _)) => *by_class.entry(class).or_default() += 1,
            None => unexplained.push(format!(
                "case {}: greenlight {:?}, reference {reference}",
                case["id"], ours
            )),
        }
    }
    eprintln!("{total} cases ({by_verdict:?}); {agree} agree");
    for (class, why) in KNOWN {
        eprintln!(
            "  {:>5} × {class}: {why}",
            by_class.get(class).copied().unwrap_or(0)
        );
    }
    assert!(total >= 1000, "the corpus has only {total} cases");
    assert!(
        unexplained.is_empty(),
        "{} unexplained divergences:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Divergence classes recognised from the shape of a case (not injected by the generator).
fn structural_classes(case: &Value) -> Vec<&'static str> {
    let mut out = Vec::new();
    let caller = case["principal"].as_str().unwrap();
    let statements = |p: &Value| -> Vec<Value> {
        match &p["Statement"] {
            Value::Array(a) => a.clone(),
            Value::Object(_) => vec![p["Statement"].clone()],
            _ => Vec::new(),
        }
    };
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    // A NotPrincipal Deny that lists the caller's account.
    if let Some(account) = caller.split(':').nth(4) {
        for s in statements(&case["resourcePolicy"]) {
            let listed = strings(&s["NotPrincipal"]["AWS"]);
            let root = format!("arn:aws:iam::{account}:root");
            if listed.contains(&root) {
                out.push("not-principal-levels");
            }
        }
    }
    // NotResource with a variable whose key is absent.
    let policies = case["identity"]
        .as_array()
        .unwrap()
        .iter()
        .chain(case["scps"].as_array().unwrap())
        .chain([&case["boundary"], &case["resourcePolicy"]])
        .cloned()
        .collect::<Vec<_>>();
    for p in &policies {
        for s in statements(p) {
            for r in strings(&s["NotResource"]) {
                if r.contains("${aws:username}") && case["context"].get("aws:username").is_none() {
                    out.push("missing-variable-in-not-resource");
                }
            }
        }
    }
    out
}
