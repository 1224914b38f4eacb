//! `--format json`:
//! `{"profiles": [{"id", "requirements": [{"action", "resource", "decision",
//! "matchedStatements": [{"file", "sid", "line"}], "missingContextValues", "blockedBy",
//! "blockedByDetail", "reason", ...}], "trust", "gaps"}], "gaps", "warnings": [{"code", "rule",
//! "message", "file", "policyType", "sid", "line", "column", "action", "didYouMean"}]}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::super::{Blocked, MatchedStatement, PolicyWarning, ProfileReport, TrustResult};

fn blocked_by(b: Option<&Blocked>) -> Value {
    b.map_or(Value::Null, |b| Value::from(b.by.as_str()))
}

fn blocked_detail(b: Option<&Blocked>) -> Value {
    b.map_or(Value::Null, |b| Value::from(b.detail.clone()))
}

fn statements(ms: &[MatchedStatement]) -> Value {
    Value::from(
        ms.iter()
            .map(|m| json!({"file": m.policy, "sid": m.sid, "line": m.line}))
            .collect::<Vec<_>>(),
    )
}

fn context(c: &BTreeMap<String, Vec<String>>) -> Value {
    c.iter()
        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
        .collect::<Map<_, _>>()
        .into()
}

fn trust(t: &TrustResult) -> Value {
    json!({
        "decision": t.decision.as_str(),
        "principal": {"Service": t.principal},
        "action": t.action,
        "resource": t.resource,
        "context": context(&t.context),
        "matchedStatements": statements(&t.matched),
        "missingContextValues": t.missing_context,
        "blockedBy": blocked_by(t.blocked.as_ref()),
        "blockedByDetail": blocked_detail(t.blocked.as_ref()),
        "warnings": t.warnings.iter().map(|w| json!({
            "code": w.code, "message": w.message,
            "file": w.statement.policy, "sid": w.statement.sid, "line": w.statement.line,
        })).collect::<Vec<_>>(),
        "reason": t.reason,
        "open": t.open,
        "openDetail": if t.open { Value::from(t.open_detail.join("; ")) } else { Value::Null },
        "openStatements": statements(&t.open_statements),
        "othersCanAssume": t.others,
        "othersExamples": t.others_examples.iter().map(|a| json!({
            "principal": a.example.principal,
            "action": a.example.action,
            "context": context(&a.example.context),
            "statements": a.statements.iter().map(|s| json!({
                "file": s.file, "sid": s.sid, "line": s.line,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "othersUnknownReason": t.others_unknown,
    })
}

/// One profile's report as JSON.
pub fn profile(r: &ProfileReport) -> Value {
    json!({
        "id": r.id,
        "version": r.version,
        "parameters": r.params.values.iter()
            .map(|(k, (v, _))| (k.clone(), Value::from(v.clone())))
            .collect::<Map<_, _>>(),
        "requirements": r.requirements.iter().map(|q| json!({
            "action": q.action,
            "resource": q.resource,
            "context": context(&q.context),
            "decision": q.decision.as_str(),
            "matchedStatements": statements(&q.matched),
            "missingContextValues": q.missing_context,
            "blockedBy": blocked_by(q.blocked.as_ref()),
            "blockedByDetail": blocked_detail(q.blocked.as_ref()),
            "onlyWhen": q.only_when,
            "reason": q.reason,
            "doc": q.doc,
        })).collect::<Vec<_>>(),
        "trust": r.trust.as_ref().map(trust),
        "gaps": r.gaps(),
    })
}

/// One warning about the principal's policies.
pub fn warning(w: &PolicyWarning) -> Value {
    json!({
        "code": w.code,
        "rule": w.rule,
        "message": w.message,
        "file": w.policy,
        "policyType": w.role,
        "sid": w.sid,
        "line": w.line,
        "column": w.column,
        "action": w.action,
        "didYouMean": w.did_you_mean,
    })
}

/// The whole document. `warnings` are about the principal's policies, shared by every profile.
pub fn render(reports: &[ProfileReport], warnings: &[PolicyWarning]) -> String {
    let v = json!({
        "profiles": reports.iter().map(profile).collect::<Vec<_>>(),
        "gaps": super::total_gaps(reports),
        "warnings": warnings.iter().map(warning).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
