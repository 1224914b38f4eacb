//! `--format sarif`: SARIF 2.1.0, one result per gap (and per trust warning).

use serde_json::{Value, json};

use super::super::{Decision, MatchedStatement, PolicyWarning, ProfileReport};

fn rules() -> Value {
    json!([
        {"id": "missing-permission", "name": "MissingPermission",
         "shortDescription": {"text": "a permission the profile requires is not granted (implicit deny)"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "explicit-deny", "name": "ExplicitDeny",
         "shortDescription": {"text": "a permission the profile requires is explicitly denied"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "trust-not-allowed", "name": "TrustNotAllowed",
         "shortDescription": {"text": "the trust policy does not let the service assume the role"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "trust-without-source-condition", "name": "TrustWithoutSourceCondition",
         "shortDescription": {"text": "a service may assume the role without aws:SourceAccount or aws:SourceArn (confused deputy)"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "unknown-service", "name": "UnknownService",
         "shortDescription": {"text": "an action of the principal's policies names a service prefix that does not exist (lint GL099)"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "unknown-action", "name": "UnknownAction",
         "shortDescription": {"text": "an action of the principal's policies does not exist (lint GL100)"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "trust-open", "name": "TrustOpen",
         "shortDescription": {"text": "callers outside named accounts and organizations may assume the role"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "trust-other-principal", "name": "TrustOtherPrincipal",
         "shortDescription": {"text": "the trust policy lets a named principal other than the profile's service assume the role"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "trust-unconfirmed-context", "name": "TrustUnconfirmedContext",
         "shortDescription": {"text": "the service is allowed only with request context the AWS documentation does not confirm it sends"},
         "defaultConfiguration": {"level": "warning"}}
    ])
}

fn location(m: &MatchedStatement) -> Value {
    let start = m.source.line_col(m.effect_span.start);
    let end = m.source.line_col(m.effect_span.end);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": uri(&m.policy)},
        "region": {"startLine": start.line, "startColumn": start.column,
                   "endLine": end.line, "endColumn": end.column}
    }})
}

fn file_location(file: &str) -> Value {
    json!({"physicalLocation": {"artifactLocation": {"uri": uri(file)}}})
}

/// A policy name (a file path, an inline policy's name, a managed policy's ARN) as a URI
/// reference: paths relative to the repository root, everything percent-encoded as needed.
fn uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    if std::path::Path::new(&name).is_file() {
        crate::discover::paths::to_uri(&crate::discover::paths::normalized(&name))
    } else {
        crate::discover::paths::to_uri(&name)
    }
}

fn warning(w: &PolicyWarning) -> Value {
    let start = w.source.line_col(w.span.start);
    let end = w.source.line_col(w.span.end);
    let mut text = w.message.clone();
    if let Some(d) = &w.did_you_mean {
        text.push_str(&format!("; did you mean `{d}`?"));
    }
    json!({
        "ruleId": w.code,
        "level": "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": w.policy},
            "region": {"startLine": start.line, "startColumn": start.column,
                       "endLine": end.line, "endColumn": end.column}
        }}],
        "properties": {"action": w.action, "didYouMean": w.did_you_mean, "lintRule": w.rule},
    })
}

/// Renders the reports. `files` are the identity policy files, used as the location of missing
/// permissions (nothing in a file causes them); `warnings` are about the principal's policies.
pub fn render(
    reports: &[ProfileReport],
    files: &super::Files,
    warnings: &[PolicyWarning],
) -> String {
    let mut results = Vec::new();
    for r in reports {
        for q in &r.requirements {
            let (rule, verb) = match q.decision {
                Decision::Allowed => continue,
                Decision::ImplicitDeny => ("missing-permission", "is not granted"),
                Decision::ExplicitDeny => ("explicit-deny", "is explicitly denied"),
            };
            let locations: Vec<Value> = match q.decision {
                Decision::ExplicitDeny => q
                    .matched
                    .iter()
                    .filter(|m| m.effect == crate::model::Effect::Deny)
                    .map(location)
                    .collect(),
                _ => files
                    .for_gap(q.blocked.as_ref())
                    .map(file_location)
                    .into_iter()
                    .collect(),
            };
            let ctx: Vec<String> = q
                .context
                .iter()
                .map(|(k, v)| format!("{k}={}", v.join(",")))
                .collect();
            let why = q
                .blocked
                .as_ref()
                .map(|b| format!("; blocked by {}: {}", b.by.as_str(), b.detail))
                .unwrap_or_default();
            results.push(json!({
                "ruleId": rule,
                "level": "error",
                "message": {"text": format!(
                    "profile `{}`: `{}` on `{}` {verb} ({}){why}; needed to {}",
                    r.id, q.action, q.resource, ctx.join(" "), q.reason)},
                "locations": locations,
                "properties": {"profile": r.id, "action": q.action, "resource": q.resource,
                               "decision": q.decision.as_str(), "doc": q.doc,
                               "blockedBy": q.blocked.as_ref().map(|b| b.by.as_str()),
                               "blockedByDetail": q.blocked.as_ref().map(|b| b.detail.as_str())},
            }));
        }
        if let Some(t) = &r.trust {
            if t.decision != Decision::Allowed {
                let locations: Vec<Value> = t.matched.iter().map(location).collect();
                let why = t
                    .blocked
                    .as_ref()
                    .map(|b| format!("; blocked by {}: {}", b.by.as_str(), b.detail))
                    .unwrap_or_default();
                results.push(json!({
                    "ruleId": "trust-not-allowed",
                    "level": "error",
                    "message": {"text": format!(
                        "profile `{}`: the trust policy does not let `{}` call `{}` on `{}` ({}){why}",
                        r.id, t.principal, t.action, t.resource, t.decision.as_str())},
                    "locations": locations,
                    "properties": {"profile": r.id, "decision": t.decision.as_str(),
                                   "blockedBy": t.blocked.as_ref().map(|b| b.by.as_str()),
                                   "blockedByDetail": t.blocked.as_ref().map(|b| b.detail.as_str())},
                }));
            }
            for (m, detail) in t.open_statements.iter().zip(&t.open_detail) {
                results.push(json!({
                    "ruleId": "trust-open",
                    "level": "error",
                    "message": {"text": format!("profile `{}`: {detail}", r.id)},
                    "locations": [location(m)],
                    "properties": {"profile": r.id},
                }));
            }
            for w in &t.warnings {
                results.push(json!({
                    "ruleId": w.code,
                    "level": "warning",
                    "message": {"text": w.message},
                    "locations": [location(&w.statement)],
                    "properties": {"profile": r.id},
                }));
            }
        }
    }
    results.extend(warnings.iter().map(warning));
    let rules = match rules() {
        Value::Array(a) => a,
        other => vec![other],
    };
    crate::report::sarif::log(rules, results)
}
