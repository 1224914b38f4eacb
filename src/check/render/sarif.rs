//! `--format sarif`: SARIF 2.1.0, one result per gap (and per trust warning).

use serde_json::{Value, json};

use super::super::{Decision, MatchedStatement, ProfileReport};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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
         "defaultConfiguration": {"level": "warning"}}
    ])
}

fn location(m: &MatchedStatement) -> Value {
    let start = m.source.line_col(m.effect_span.start);
    let end = m.source.line_col(m.effect_span.end);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": m.policy},
        "region": {"startLine": start.line, "startColumn": start.column,
                   "endLine": end.line, "endColumn": end.column}
    }})
}

fn file_location(file: &str) -> Value {
    json!({"physicalLocation": {"artifactLocation": {"uri": file}}})
}

/// Renders the reports. `files` are the identity policy files, used as the location of missing
/// permissions (nothing in a file causes them).
pub fn render(reports: &[ProfileReport], files: &[String]) -> String {
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
                _ => files.iter().take(1).map(|f| file_location(f)).collect(),
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
    let v = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "greenlight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            }},
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
