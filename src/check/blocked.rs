//! What blocked a request that is not allowed: `blockedBy` (one word) and `blockedByDetail`
//! (one sentence naming the file, the statement and its line).
//!
//! The word is the first step of the AWS evaluation logic that does not allow the request
//! (IAM User Guide, "Policy evaluation logic": explicit deny, then SCPs, then resource-based
//! policies, then identity-based policies, then permissions boundaries). Every other step that
//! does not allow it either is kept in [`Blocked::layers`], so a caller can tell whether an
//! identity policy alone could fix it.

use crate::eval::{
    self, AwsPrincipal, AwsPrincipalKind, CompiledPolicySet, EvalError, MatchedStatement,
    PolicyType, Principal, Request, StatementTrace, Verdict,
};
use crate::model::Effect;

use super::words;

/// The step of the evaluation that does not allow a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockedBy {
    /// A `Deny` statement applies (any policy type).
    ExplicitDeny,
    /// No service control policy allows it.
    Scp,
    /// The resource-based (trust) policy does not allow the caller.
    ResourcePolicy,
    /// A statement matches action and resource (and principal) but a condition fails.
    Condition,
    /// No identity statement matches.
    Identity,
    /// An identity statement allows it, the permissions boundary does not.
    Boundary,
}

impl BlockedBy {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockedBy::ExplicitDeny => "explicitDeny",
            BlockedBy::Scp => "scp",
            BlockedBy::ResourcePolicy => "resourcePolicy",
            BlockedBy::Condition => "condition",
            BlockedBy::Identity => "identity",
            BlockedBy::Boundary => "boundary",
        }
    }

    /// Whether an identity policy cannot lift it (a boundary or an SCP decides).
    pub fn beyond_identity(self) -> bool {
        matches!(self, BlockedBy::Scp | BlockedBy::Boundary)
    }
}

/// Why a request is not allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The first step of the evaluation that does not allow the request.
    pub by: BlockedBy,
    /// One sentence naming the file, the statement and its line.
    pub detail: String,
    /// Every step that does not allow it, `by` first (an explicit deny is alone).
    pub layers: Vec<BlockedBy>,
    /// The sentence of each step in `layers`, in the same order (the first is `detail`).
    pub layer_details: Vec<String>,
}

impl Blocked {
    /// Whether a boundary or an SCP is among the steps that block it (no identity policy can
    /// fix it).
    pub fn beyond_identity(&self) -> bool {
        self.layers.iter().any(|l| l.beyond_identity())
    }

    /// The sentence of the first boundary or SCP step, if any.
    pub fn beyond_identity_detail(&self) -> Option<(BlockedBy, &str)> {
        self.layers
            .iter()
            .zip(&self.layer_details)
            .find(|(l, _)| l.beyond_identity())
            .map(|(l, d)| (*l, d.as_str()))
    }
}

fn kind(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "identity policy",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::Scp => "service control policy",
        PolicyType::Rcp => "resource control policy",
        PolicyType::Resource => "resource-based policy",
        PolicyType::RoleTrust => "trust policy",
    }
}

/// `statement `Sid`, line 12` or `statement #2, line 12` (numbered as the text output does).
fn statement(m: &MatchedStatement) -> String {
    match m.sid.as_deref() {
        Some(s) if !s.is_empty() => format!("statement `{s}`, line {}", m.line),
        _ => format!("statement #{}, line {}", m.index + 1, m.line),
    }
}

/// `the identity policy `a.json` (statement `S`, line 3)`.
fn located(m: &MatchedStatement) -> String {
    format!(
        "the {} `{}` ({})",
        kind(m.policy_type),
        m.policy,
        statement(m)
    )
}

/// `` `a`, `b` `` (at most three names, then "and N more").
fn names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.into_iter().collect();
    let mut s = all
        .iter()
        .take(3)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > 3 {
        s.push_str(&format!(" and {} more", all.len() - 3));
    }
    s
}

/// "denied unless `k` is `v` (statement `S`, line 12) in the identity policy `f.json`; the
/// request has no `k`".
fn near_miss(t: &StatementTrace) -> String {
    let failed: Vec<_> = t.conditions.iter().filter(|c| !c.holds).collect();
    let unless = failed
        .iter()
        .map(|c| words::requires(c))
        .collect::<Vec<_>>()
        .join(" and ");
    let has = failed
        .iter()
        .map(|c| words::request_has(c))
        .collect::<Vec<_>>()
        .join(", and ");
    format!(
        "denied unless {unless} ({}) in the {} `{}`; {has}",
        statement(&t.statement),
        kind(t.statement.policy_type),
        t.statement.policy
    )
}

/// "explicitly denied by the identity policy `f.json` (statement `S`, line 5), which applies
/// because the request has no `k`; it does not apply when `k` is `true`".
fn deny(t: &StatementTrace) -> String {
    let absent: Vec<_> = t
        .conditions
        .iter()
        .filter(|c| c.holds && c.request.is_none())
        .collect();
    let mut s = format!("explicitly denied by {}", located(&t.statement));
    if !absent.is_empty() {
        let keys = absent
            .iter()
            .map(|c| format!("`{}`", c.key))
            .collect::<Vec<_>>()
            .join(" or ");
        let when = absent
            .iter()
            .map(|c| words::fails_when(c))
            .collect::<Vec<_>>()
            .join(", or when ");
        s.push_str(&format!(
            ", which applies because the request has no {keys}; it does not apply when {when}"
        ));
    }
    s
}

/// Explains a request that `decision` does not allow; `None` when it is allowed. `set` and
/// `req` must be the ones the decision was made for. `identity_names` are the names of the
/// principal's identity policies (all of them, also those a scan left out of `set` because
/// they cannot apply).
pub fn explain(
    set: &CompiledPolicySet,
    req: &Request,
    decision: &eval::Decision,
    identity_names: &[&str],
) -> Result<Option<Blocked>, EvalError> {
    if decision.decision == Verdict::Allowed {
        return Ok(None);
    }
    let traces = eval::trace(set, req)?;
    if decision.decision == Verdict::ExplicitDeny {
        let denies: Vec<&StatementTrace> = traces
            .iter()
            .filter(|t| t.applies && t.statement.effect == Effect::Deny)
            .collect();
        let detail = match denies.split_first() {
            Some((first, rest)) => {
                let mut s = deny(first);
                for t in rest {
                    s.push_str(&format!("; also by {}", located(&t.statement)));
                }
                s
            }
            None => "explicitly denied".to_string(),
        };
        return Ok(Some(Blocked {
            by: BlockedBy::ExplicitDeny,
            layer_details: vec![detail.clone()],
            detail,
            layers: vec![BlockedBy::ExplicitDeny],
        }));
    }
    let allows = |types: &[PolicyType]| {
        traces.iter().find(|t| {
            t.applies
                && t.statement.effect == Effect::Allow
                && types.contains(&t.statement.policy_type)
        })
    };
    let near = |types: &[PolicyType]| {
        traces.iter().find(|t| {
            !t.applies
                && t.statement.effect == Effect::Allow
                && types.contains(&t.statement.policy_type)
        })
    };
    let caller = req.principal.as_ref();
    let iam_caller = caller.is_none_or(Principal::is_iam);
    let is_root = matches!(
        caller,
        Some(Principal::Aws(AwsPrincipal {
            kind: AwsPrincipalKind::Root,
            ..
        }))
    );
    let identity_allow = allows(&[PolicyType::Identity]);
    // Named in the boundary and SCP sentences: the statement that would allow it.
    let but = match identity_allow {
        Some(t) => format!(", although {} allows it", located(&t.statement)),
        None => String::new(),
    };
    let mut layers: Vec<(BlockedBy, String)> = Vec::new();
    if iam_caller && !set.scps.is_empty() && allows(&[PolicyType::Scp]).is_none() {
        let detail = match near(&[PolicyType::Scp]) {
            Some(t) => format!("no service control policy allows it: {}{but}", near_miss(t)),
            None => format!(
                "no service control policy allows it (no statement of {} matches){but}",
                names(set.scps.iter().map(|p| &*p.name))
            ),
        };
        layers.push((BlockedBy::Scp, detail));
    }
    // The resource-based policy blocks on its own for callers that are not IAM principals
    // and for trust policies (which must allow the caller explicitly); for IAM callers across
    // accounts and for KMS key policies (which must allow the caller or its account) when the
    // engine says so.
    let resource_types = [PolicyType::Resource, PolicyType::RoleTrust];
    if let Some(p) = &set.resource_policy
        && allows(&resource_types).is_none()
        && (!iam_caller
            || p.policy_type == PolicyType::RoleTrust
            || matches!(
                decision.implicit_deny_reason,
                Some(
                    eval::ImplicitDenyReason::CrossAccountResourcePolicyDoesNotAllow
                        | eval::ImplicitDenyReason::KeyPolicyDoesNotAllow
                )
            ))
    {
        layers.push(match near(&resource_types) {
            Some(t) => (BlockedBy::Condition, near_miss(t)),
            None => (
                BlockedBy::ResourcePolicy,
                format!(
                    "no statement of the {} `{}` lets `{}` call `{}`",
                    kind(p.policy_type),
                    p.name,
                    caller.map_or("the caller", Principal::display),
                    req.action
                ),
            ),
        });
    }
    if iam_caller && identity_allow.is_none() && !is_root {
        match near(&[PolicyType::Identity]) {
            Some(t) => layers.push((BlockedBy::Condition, near_miss(t))),
            None => layers.push((
                BlockedBy::Identity,
                if identity_names.is_empty() {
                    "the principal has no identity policy".to_string()
                } else {
                    format!(
                        "no identity statement allows it (in {})",
                        names(identity_names.iter().copied())
                    )
                },
            )),
        }
    }
    if let Some(b) = &set.boundary
        && iam_caller
        && !is_root
        && allows(&[PolicyType::PermissionsBoundary]).is_none()
    {
        let detail = match near(&[PolicyType::PermissionsBoundary]) {
            Some(t) => format!(
                "the permissions boundary does not allow it: {}{but}",
                near_miss(t)
            ),
            None => format!(
                "the permissions boundary `{}` does not allow it (no statement there matches){but}",
                b.name
            ),
        };
        layers.push((BlockedBy::Boundary, detail));
    }
    let Some((by, first)) = layers.first().cloned() else {
        // The engine's own reason, for cases the layers above do not cover.
        let by = match decision.implicit_deny_reason {
            Some(eval::ImplicitDenyReason::ScpDoesNotAllow) => BlockedBy::Scp,
            Some(eval::ImplicitDenyReason::BoundaryDoesNotAllow) => BlockedBy::Boundary,
            Some(
                eval::ImplicitDenyReason::CrossAccountResourcePolicyDoesNotAllow
                | eval::ImplicitDenyReason::TrustPolicyDoesNotAllow
                | eval::ImplicitDenyReason::KeyPolicyDoesNotAllow,
            ) => BlockedBy::ResourcePolicy,
            _ => BlockedBy::Identity,
        };
        let detail = decision
            .implicit_deny_reason
            .map(|r| r.as_str().to_string())
            .unwrap_or_else(|| "no policy allows it".to_string());
        return Ok(Some(Blocked {
            by,
            layer_details: vec![detail.clone()],
            detail,
            layers: vec![by],
        }));
    };
    let detail = first;
    Ok(Some(Blocked {
        by,
        detail,
        layer_details: layers.iter().map(|(_, d)| d.clone()).collect(),
        layers: layers.into_iter().map(|(l, _)| l).collect(),
    }))
}
