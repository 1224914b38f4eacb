//! `check` results as the report layer's findings ([`Note`]): the GitHub annotations and JUnit
//! XML of `check` are written by the writers `diff` and `verify` use, with the rule ids and
//! messages of `check --format sarif`.

use super::super::{Decision, MatchedStatement, PolicyWarning, ProfileReport};
use crate::analysis::StatementRef;
use crate::model::Effect;
use crate::report::analysis::{Level, Note};
use crate::source::{Source, Span};

fn at(m: &MatchedStatement) -> StatementRef {
    StatementRef {
        file: m.policy.clone(),
        sid: m.sid.clone(),
        line: m.line,
        index: m.index,
        span: m.span,
        source: m.source.clone(),
    }
}

/// A file-level place (nothing in the file causes a missing permission): its first line.
fn file_at(file: &str) -> StatementRef {
    StatementRef {
        file: file.to_string(),
        sid: None,
        line: 1,
        index: 0,
        span: Span::new(0, 0),
        source: Source::new(file.to_string(), String::new()),
    }
}

/// One note per gap (missing permission, explicit deny, trust not allowed, open trust), per
/// trust warning and per warning about the principal's own policies.
pub fn notes(
    reports: &[ProfileReport],
    files: &super::Files,
    warnings: &[PolicyWarning],
) -> Vec<Note> {
    let mut out = Vec::new();
    for r in reports {
        for q in &r.requirements {
            let (code, verb) = match q.decision {
                Decision::Allowed => continue,
                Decision::ImplicitDeny => ("missing-permission", "is not granted"),
                Decision::ExplicitDeny => ("explicit-deny", "is explicitly denied"),
            };
            let place = match q.decision {
                Decision::ExplicitDeny => {
                    q.matched.iter().find(|m| m.effect == Effect::Deny).map(at)
                }
                _ => files.for_gap(q.blocked.as_ref()).map(file_at),
            };
            let mut details = Vec::new();
            if let Some(b) = &q.blocked {
                details.push(format!("blocked by {}: {}", b.by.as_str(), b.detail));
            }
            details.push(format!("needed to {}", q.reason));
            out.push(Note {
                code,
                level: Level::Error,
                message: format!(
                    "profile `{}`: `{}` on `{}` {verb}",
                    r.id, q.action, q.resource
                ),
                details,
                at: place,
                label: match q.decision {
                    Decision::ExplicitDeny => "this statement denies it".into(),
                    _ => "no statement here allows it".into(),
                },
            });
        }
        let Some(t) = &r.trust else { continue };
        if t.decision != Decision::Allowed {
            out.push(Note {
                code: "trust-not-allowed",
                level: Level::Error,
                message: format!(
                    "profile `{}`: the trust policy does not let `{}` call `{}` on `{}` ({})",
                    r.id,
                    t.principal,
                    t.action,
                    t.resource,
                    t.decision.as_str()
                ),
                details: t
                    .blocked
                    .iter()
                    .map(|b| format!("blocked by {}: {}", b.by.as_str(), b.detail))
                    .collect(),
                at: t.matched.first().map(at),
                label: "the trust policy".into(),
            });
        }
        for (m, detail) in t.open_statements.iter().zip(&t.open_detail) {
            out.push(Note {
                code: "trust-open",
                level: Level::Error,
                message: format!("profile `{}`: {detail}", r.id),
                details: Vec::new(),
                at: Some(at(m)),
                label: "this statement opens the role".into(),
            });
        }
        for w in &t.warnings {
            out.push(Note {
                code: w.code,
                level: Level::Warning,
                message: w.message.clone(),
                details: Vec::new(),
                at: Some(at(&w.statement)),
                label: "here".into(),
            });
        }
    }
    for w in warnings {
        out.push(Note {
            code: w.code,
            level: Level::Warning,
            message: w.message.clone(),
            details: w
                .did_you_mean
                .iter()
                .map(|d| format!("did you mean `{d}`?"))
                .chain(w.help.iter().cloned())
                .collect(),
            at: Some(StatementRef {
                file: w.policy.clone(),
                sid: w.sid.clone(),
                line: w.line,
                index: w.statement,
                span: w.span,
                source: w.source.clone(),
            }),
            label: "here".into(),
        });
    }
    out
}
