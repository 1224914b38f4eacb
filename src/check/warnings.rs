//! Warnings about the principal's own policies that do not change a decision but explain one:
//! an action that does not exist (`codedpeloy:CreateDeployment` grants nothing, so the
//! requirement it was meant for shows as missing), with the nearest real action.
//!
//! The findings come from the lint rules GL099 `unknown-service` and GL100 `unknown-action`
//! ([`crate::lint::unknown_actions`]); the suggestion from the catalog's "did you mean"
//! ([`crate::lint::util::suggest_cached`]).

use super::PrincipalPolicies;
use crate::lint::{self, PolicyType};
use crate::model::Policy;
use crate::source::{Source, Span};

/// One warning about a statement of the principal's policies.
#[derive(Clone, Debug)]
pub struct PolicyWarning {
    /// The lint rule's name: `unknown-service` or `unknown-action`.
    pub code: &'static str,
    /// The lint rule's code: `GL099` or `GL100`.
    pub rule: &'static str,
    pub message: String,
    /// The policy's name (file path, inline policy name or managed policy ARN).
    pub policy: String,
    /// `identity`, `boundary`, `scp` or `trust`.
    pub role: &'static str,
    pub line: u32,
    pub column: u32,
    pub sid: Option<String>,
    /// Position of the statement in the policy's `Statement` list, from 0.
    pub statement: usize,
    /// The action as written.
    pub action: String,
    /// The nearest real action, when one is close.
    pub did_you_mean: Option<String>,
    /// What to do when there is no suggestion.
    pub help: Option<String>,
    pub source: Source,
    pub span: Span,
}

/// Warnings for every policy of the principal (identity policies, boundary, SCPs, trust
/// policy), in that order and in document order within each.
pub fn policy_warnings(principal: &PrincipalPolicies) -> Vec<PolicyWarning> {
    let mut out = Vec::new();
    for p in &principal.identity {
        of_policy(p, PolicyType::Identity, "identity", &mut out);
    }
    if let Some(p) = &principal.boundary {
        of_policy(p, PolicyType::Boundary, "boundary", &mut out);
    }
    for p in &principal.scps {
        of_policy(p, PolicyType::Scp, "scp", &mut out);
    }
    if let Some(p) = &principal.trust {
        of_policy(p, PolicyType::Trust, "trust", &mut out);
    }
    out
}

fn of_policy(policy: &Policy, t: PolicyType, role: &'static str, out: &mut Vec<PolicyWarning>) {
    let mut findings = lint::unknown_actions(policy, t);
    findings.sort_by_key(|f| (f.span.start, f.rule.code));
    // The statement holding each finding and the action at its span, looked up instead of
    // searched (20,000 unknown actions in one statement took seconds): statements that follow
    // one another with a gap (so at most one holds a span) are binary-searched, others searched
    // in order as before.
    let sts = &policy.statements;
    let ordered = sts.windows(2).all(|w| w[0].span.end < w[1].span.start);
    let mut first_item: std::collections::HashMap<(usize, Span), &str> =
        std::collections::HashMap::new();
    for (k, st) in sts.iter().enumerate() {
        for a in &st.action.items {
            first_item.entry((k, a.span)).or_insert(a.text.as_str());
        }
    }
    for f in findings {
        let holds =
            |s: &&crate::model::Statement| s.span.start <= f.span.start && f.span.end <= s.span.end;
        let found = if ordered {
            let k = sts.partition_point(|s| s.span.start <= f.span.start);
            k.checked_sub(1)
                .map(|k| (k, &sts[k]))
                .filter(|(_, s)| holds(s))
        } else {
            sts.iter().enumerate().find(|(_, s)| holds(s))
        };
        let statement = found.map(|(_, s)| s);
        let action = found
            .and_then(|(k, _)| first_item.get(&(k, f.span)))
            .map_or_else(
                || policy.source.slice(f.span).trim_matches('"').to_string(),
                |a| a.to_string(),
            );
        let at = f.start();
        let did_you_mean = lint::util::suggest_cached(&action);
        out.push(PolicyWarning {
            code: f.rule.name,
            rule: f.rule.code,
            message: f.message,
            policy: policy.source.name.to_string(),
            role,
            line: at.line,
            column: at.column,
            sid: statement.and_then(|s| s.sid.as_ref().map(|x| x.value.clone())),
            statement: statement.map_or(0, |s| s.index),
            action,
            did_you_mean,
            help: f.help.map(std::borrow::Cow::into_owned),
            source: f.source,
            span: f.span,
        });
    }
}

impl PolicyWarning {
    /// `file:line (Sid `X`)` or `file:line (statement #n)`, as the tables write statements.
    pub fn location(&self) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => format!("{}:{} (Sid `{s}`)", self.policy, self.line),
            _ => format!(
                "{}:{} (statement #{})",
                self.policy,
                self.line,
                self.statement + 1
            ),
        }
    }

    /// One line: message, place and suggestion.
    pub fn text(&self) -> String {
        let mut s = format!(
            "warning[{}]: {} at {}",
            self.code,
            self.message,
            self.location()
        );
        match (&self.did_you_mean, &self.help) {
            (Some(d), _) => s.push_str(&format!("; did you mean `{d}`?")),
            (None, Some(h)) => s.push_str(&format!("; {h}")),
            (None, None) => {}
        }
        s
    }
}
