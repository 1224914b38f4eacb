//! `check` results as the report layer's findings ([`Note`]): its SARIF results, GitHub
//! annotations, JUnit XML and the diagnostics of its text output are written from these by the
//! writers every command uses.

use serde_json::json;

use super::super::{Decision, MatchedStatement, PolicyWarning, ProfileReport};
use super::statement_label;
use crate::eval::PolicyType;
use crate::model::Effect;
use crate::report::note::{Level, Note, Place};

/// A statement: its whole span is the place, its `Effect` what the text style underlines.
fn at(m: &MatchedStatement, label: &str) -> Place {
    Place::new(&m.policy, m.source.clone(), m.span, label).focus(m.effect_span)
}

/// The first of `statements` as the place, the others as related places.
fn places(statements: &[&MatchedStatement], label: &str) -> (Option<Place>, Vec<Place>) {
    let mut all = statements.iter().map(|m| at(m, label));
    let first = all.next();
    (first, all.collect())
}

/// The rules `check` reports: id, name, description and level.
const RULES: &[(&str, &str, &str, Level)] = &[
    (
        "missing-permission",
        "MissingPermission",
        "a permission the profile requires is not granted (implicit deny)",
        Level::Error,
    ),
    (
        "explicit-deny",
        "ExplicitDeny",
        "a permission the profile requires is explicitly denied",
        Level::Error,
    ),
    (
        "trust-not-allowed",
        "TrustNotAllowed",
        "the service cannot assume the role: the trust policy does not allow it, or a resource control policy denies it",
        Level::Error,
    ),
    (
        "trust-without-source-condition",
        "TrustWithoutSourceCondition",
        "a service may assume the role without aws:SourceAccount or aws:SourceArn (confused deputy)",
        Level::Warning,
    ),
    (
        "unknown-service",
        "UnknownService",
        "an action of the principal's policies names a service prefix that does not exist (lint GL099)",
        Level::Warning,
    ),
    (
        "unknown-action",
        "UnknownAction",
        "an action of the principal's policies does not exist (lint GL100)",
        Level::Warning,
    ),
    (
        "trust-open",
        "TrustOpen",
        "callers outside named accounts and organizations may assume the role",
        Level::Error,
    ),
    (
        "trust-other-principal",
        "TrustOtherPrincipal",
        "the trust policy lets a named principal other than the profile's service assume the role",
        Level::Warning,
    ),
    (
        "trust-unconfirmed-context",
        "TrustUnconfirmedContext",
        "the service is allowed only with request context the AWS documentation does not confirm it sends",
        Level::Warning,
    ),
];

/// The SARIF rules of `check`.
pub fn rules() -> Vec<serde_json::Value> {
    RULES
        .iter()
        .map(|(id, name, d, level)| {
            json!({"id": id, "name": name, "shortDescription": {"text": d},
                   "defaultConfiguration": {"level": level.sarif()}})
        })
        .collect()
}

/// Whether the text output shows a note as a diagnostic under its table (the table lists every
/// gap; the diagnostics point at the statements that cause one: explicit denies and statements
/// that open the trust policy).
pub fn in_text(n: &Note) -> bool {
    match n.code {
        "explicit-deny" | "trust-open" => n.at.is_some(),
        "trust-not-allowed" => {
            n.at.is_some()
                && n.properties
                    .as_ref()
                    .is_some_and(|p| p["decision"] == Decision::ExplicitDeny.as_str())
        }
        _ => false,
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
            let denying: Vec<&MatchedStatement> = q
                .matched
                .iter()
                .filter(|m| m.effect == Effect::Deny)
                .collect();
            let (place, related) = match q.decision {
                Decision::ExplicitDeny => places(&denying, "this statement denies it"),
                _ => (
                    files
                        .for_gap(q.blocked.as_ref())
                        .map(|f| Place::file(f, "no statement here allows it")),
                    Vec::new(),
                ),
            };
            let by = denying
                .first()
                .filter(|_| q.decision == Decision::ExplicitDeny)
                .map(|m| format!(" by {}", statement_label(m)))
                .unwrap_or_default();
            let mut details = Vec::new();
            if !q.context.is_empty() {
                let ctx: Vec<String> = q
                    .context
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.join(",")))
                    .collect();
                details.push(format!("context: {}", ctx.join(" ")));
            }
            if let Some(b) = &q.blocked {
                details.push(format!("blocked by {}: {}", b.by.as_str(), b.detail));
            }
            details.push(format!("needed to {}", q.reason));
            let mut n = Note::new(
                code,
                Level::Error,
                format!(
                    "profile `{}`: `{}` on `{}` {verb}{by}",
                    r.id, q.action, q.resource
                ),
            )
            .details(details)
            .at(place)
            .properties(json!({
                "profile": r.id, "action": q.action, "resource": q.resource,
                "decision": q.decision.as_str(), "doc": q.doc,
                "blockedBy": q.blocked.as_ref().map(|b| b.by.as_str()),
                "blockedByDetail": q.blocked.as_ref().map(|b| b.detail.as_str()),
            }));
            if q.decision == Decision::ExplicitDeny {
                n = n.help(Some("an explicit deny overrides every allow".into()));
            }
            n.related = related;
            out.push(n);
        }
        let Some(t) = &r.trust else { continue };
        if t.decision != Decision::Allowed {
            let denying: Vec<&MatchedStatement> = t
                .matched
                .iter()
                .filter(|m| m.effect == Effect::Deny)
                .collect();
            let (place, related) = if t.decision == Decision::ExplicitDeny {
                places(&denying, "this statement denies it")
            } else {
                places(&t.matched.iter().collect::<Vec<_>>(), "the trust policy")
            };
            let by = denying
                .first()
                .filter(|_| t.decision == Decision::ExplicitDeny)
                .map(|m| format!(": explicitly denied by {}", statement_label(m)))
                .unwrap_or_default();
            // Who refuses: the trust policy, or a resource control policy of the role's
            // account whose `Deny` overrides the trust policy's allow (red team 72: an RCP's
            // deny was reported as the trust policy's, and the help pointed at the trust
            // policy). RCPs restrict a service principal's `sts:AssumeRole` on a role of a
            // member account: the exceptions AWS lists are service-linked roles, the
            // management account, AWS managed KMS keys and `kms:RetireGrant` ("Resources and
            // entities not restricted by RCPs",
            // <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#actions-not-restricted-by-rcps>),
            // and AWS's own confused-deputy RCP denies `sts:*` to AWS service principals
            // (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html>).
            let rcps: Vec<&str> = {
                let mut v: Vec<&str> = Vec::new();
                for m in denying.iter().filter(|m| m.policy_type == PolicyType::Rcp) {
                    if !v.contains(&m.policy.as_str()) {
                        v.push(m.policy.as_str());
                    }
                }
                v
            };
            let trust_denies = denying.iter().any(|m| m.policy_type != PolicyType::Rcp);
            let named = |files: &[&str]| {
                files
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let (noun, verb, rcp) = if rcps.len() == 1 {
                ("policy", "does", "RCP")
            } else {
                ("policies", "do", "RCPs")
            };
            let who = if rcps.is_empty() {
                "the trust policy does not let".to_string()
            } else if trust_denies {
                format!(
                    "the trust policy and the resource control {noun} {} do not let",
                    named(&rcps)
                )
            } else {
                format!(
                    "the resource control {noun} {} {verb} not let",
                    named(&rcps)
                )
            };
            let mut n = Note::new(
                "trust-not-allowed",
                Level::Error,
                format!(
                    "profile `{}`: {who} `{}` call `{}` on `{}` ({}){by}",
                    r.id,
                    t.principal,
                    t.action,
                    t.resource,
                    t.decision.as_str()
                ),
            )
            .details(
                t.blocked
                    .iter()
                    .map(|b| format!("blocked by {}: {}", b.by.as_str(), b.detail))
                    .collect(),
            )
            .at(place)
            .properties(json!({
                "profile": r.id, "decision": t.decision.as_str(),
                "blockedBy": t.blocked.as_ref().map(|b| b.by.as_str()),
                "blockedByDetail": t.blocked.as_ref().map(|b| b.detail.as_str()),
            }));
            if t.decision == Decision::ExplicitDeny {
                n = n.help(Some(if rcps.is_empty() {
                    "an explicit deny in the trust policy overrides every allow".into()
                } else if !trust_denies {
                    format!(
                        "an explicit deny in a resource control policy overrides every allow, the trust policy's included: no change to the trust policy lifts it; the {rcp} {} (attached to the account, an OU above it or the organization root) must not deny this request",
                        named(&rcps)
                    )
                } else {
                    format!(
                        "an explicit deny overrides every allow: both the trust policy and the resource control {noun} {} deny this request",
                        named(&rcps)
                    )
                }));
            }
            n.related = related;
            out.push(n);
        }
        for (m, detail) in t.open_statements.iter().zip(&t.open_detail) {
            out.push(
                Note::new("trust-open", Level::Error, format!("profile `{}`: {detail}", r.id))
                    .at(Some(at(m, "this statement opens the role")))
                    .help(Some(format!(
                        "profile `{}` needs only `{}` to assume the role: name it as the principal, or pin the caller with `aws:PrincipalAccount`, `aws:PrincipalOrgID` or `aws:SourceAccount`/`aws:SourceArn` set to your own values",
                        r.id, t.principal
                    )))
                    .properties(json!({"profile": r.id})),
            );
        }
        for w in &t.warnings {
            out.push(
                Note::new(w.code, Level::Warning, w.message.clone())
                    .at(Some(at(&w.statement, "here")))
                    .properties(json!({"profile": r.id})),
            );
        }
    }
    for w in warnings {
        out.push(
            Note::new(w.code, Level::Warning, w.message.clone())
                .details(
                    w.did_you_mean
                        .iter()
                        .map(|d| format!("did you mean `{d}`?"))
                        .collect(),
                )
                .help(w.help.clone())
                .at(Some(Place::new(
                    &w.policy,
                    w.source.clone(),
                    w.span,
                    "here",
                )))
                .properties(json!({
                    "action": w.action, "didYouMean": w.did_you_mean, "lintRule": w.rule,
                })),
        );
    }
    out
}

/// `--format sarif`: SARIF 2.1.0, one result per note.
pub fn sarif(
    reports: &[ProfileReport],
    files: &super::Files,
    warnings: &[PolicyWarning],
) -> String {
    crate::report::sarif::render(&notes(reports, files, warnings), rules())
}
