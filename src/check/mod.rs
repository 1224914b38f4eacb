//! Profile × principal → one result per requirement: `allowed`, `implicitDeny` (missing) or
//! `explicitDeny`, with the statements that decided it.
//!
//! The principal is given as its policies ([`PrincipalPolicies`]): identity policies from files,
//! or the inline and managed policies of a user or role read from an account, plus an optional
//! permissions boundary, SCPs and trust policy. Every requirement of the profile becomes one
//! concrete request (parameters filled in), evaluated by [`crate::eval`].

pub mod blocked;
mod engine;
pub mod lookup;
mod prepared;
pub mod render;
mod words;

use std::collections::BTreeMap;

use crate::model::{Effect, Policy};
use crate::profiles::{self, ConcreteRequirement, ParamOrigin, Profile, ResolvedParams};
use crate::source::{Source, Span};

pub use blocked::{Blocked, BlockedBy};
pub use engine::{Compiled, evaluate_identity};
pub use prepared::{Decisions, PreparedProfile};

/// The policies of one principal.
#[derive(Clone, Debug, Default)]
pub struct PrincipalPolicies {
    /// Identity policies (inline and managed, user's groups included), each named by its
    /// [`Source`] name: a file path, or `file.json#UserDetailList/alice/inline/Deploy`, or a
    /// managed policy ARN.
    pub identity: Vec<Policy>,
    pub boundary: Option<Policy>,
    /// Service control policies that apply to the principal's account (all at one level).
    pub scps: Vec<Policy>,
    /// The role's trust policy, for role profiles.
    pub trust: Option<Policy>,
    /// The principal's ARN, when known.
    pub arn: Option<String>,
    /// The principal's account, when known (the `account` parameter defaults to it).
    pub account: Option<String>,
}

/// The decision for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    Allowed,
    ImplicitDeny,
    ExplicitDeny,
}

impl Decision {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ImplicitDeny => "implicitDeny",
            Decision::ExplicitDeny => "explicitDeny",
        }
    }
}

/// A statement that took part in a decision.
#[derive(Clone, Debug)]
pub struct MatchedStatement {
    /// The policy's name: file path, inline policy name or managed policy ARN (the name of its
    /// [`Source`]).
    pub policy: String,
    pub sid: Option<String>,
    /// Position in the policy's `Statement` list, from 0.
    pub index: usize,
    pub line: u32,
    pub column: u32,
    pub effect: Effect,
    /// The whole statement.
    pub span: Span,
    /// The statement's `Effect` value (where diagnostics point).
    pub effect_span: Span,
    pub source: Source,
}

/// One requirement, its exact request and the decision.
#[derive(Clone, Debug)]
pub struct RequirementResult {
    pub action: String,
    pub resource: String,
    /// The full request context evaluated.
    pub context: BTreeMap<String, Vec<String>>,
    pub decision: Decision,
    pub matched: Vec<MatchedStatement>,
    /// Context keys a condition needed but the request did not carry.
    pub missing_context: Vec<String>,
    /// What blocked it (`blockedBy` / `blockedByDetail`); `None` when allowed.
    pub blocked: Option<Blocked>,
    pub reason: String,
    pub doc: String,
    /// The profile the requirement comes from (an included profile's id, or the profile's).
    pub from: String,
    /// The action as the profile writes it (a wildcard expanded into this action).
    pub profile_action: String,
}

/// A warning about a trust policy that allows the requirement.
#[derive(Clone, Debug)]
pub struct TrustWarning {
    pub code: &'static str,
    pub message: String,
    pub statement: MatchedStatement,
}

/// The trust requirement's result.
#[derive(Clone, Debug)]
pub struct TrustResult {
    /// Service principal.
    pub principal: String,
    pub action: String,
    /// The role ARN.
    pub resource: String,
    pub context: BTreeMap<String, Vec<String>>,
    pub decision: Decision,
    pub matched: Vec<MatchedStatement>,
    pub missing_context: Vec<String>,
    /// What blocked it; `None` when allowed.
    pub blocked: Option<Blocked>,
    pub reason: String,
    pub doc: String,
    pub warnings: Vec<TrustWarning>,
}

/// The result of checking one principal against one profile.
#[derive(Clone, Debug)]
pub struct ProfileReport {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub params: ResolvedParams,
    pub requirements: Vec<RequirementResult>,
    /// `None` for user profiles, and for role profiles when no trust policy was given
    /// (see [`ProfileReport::trust_unchecked`]).
    pub trust: Option<TrustResult>,
    /// A role profile was checked without a trust policy.
    pub trust_unchecked: bool,
}

impl ProfileReport {
    /// Requirements (and the trust requirement) that are not allowed.
    pub fn gaps(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.decision != Decision::Allowed)
            .count()
            + usize::from(
                self.trust
                    .as_ref()
                    .is_some_and(|t| t.decision != Decision::Allowed),
            )
    }

    pub fn count(&self, d: Decision) -> usize {
        self.requirements.iter().filter(|r| r.decision == d).count()
    }
}

/// Why a check could not be completed. Every variant exits 2: a check never guesses.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Profile(#[from] profiles::ProfileError),
    #[error("profile `{profile}`: {message}")]
    #[diagnostic(code(greenlight::profile_template))]
    Template { profile: String, message: String },
    #[error("action `{action}` of profile `{profile}` is not in the IAM catalog")]
    #[diagnostic(
        code(greenlight::unknown_action),
        help("the catalog may be older than the profile: run `greenlight catalog update`")
    )]
    UnknownAction { profile: String, action: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] Box<crate::parse::ParseError>),
    #[error("the engine cannot decide `{action}` on `{resource}`: {message}")]
    #[diagnostic(code(greenlight::undecidable))]
    Engine {
        action: String,
        resource: String,
        message: String,
    },
}

/// Checks one principal against one profile. `params` are the `--param NAME=VALUE` values;
/// the account defaults to [`PrincipalPolicies::account`] when it is known.
pub fn check_principal(
    profile: &Profile,
    principal: &PrincipalPolicies,
    params: &BTreeMap<String, String>,
) -> Result<ProfileReport, CheckError> {
    let resolved = profile.resolve_params(params, principal.account.as_deref())?;
    check_resolved(profile, principal, resolved)
}

/// [`check_principal`] with a request context the user gives (`check --context`), added to
/// every requirement's request: it overrides the keys every request carries
/// (`aws:RequestedRegion`, `aws:PrincipalArn`, `aws:PrincipalAccount`), and a key the
/// requirement sets itself (such as `iam:PassedToService` for `iam:PassRole`) keeps the
/// requirement's value, because that value describes the request the profile needs. Key names
/// are compared case-insensitively. The trust requirement is the service's request and does
/// not take the user's context.
pub fn check_principal_with(
    profile: &Profile,
    principal: &PrincipalPolicies,
    params: &BTreeMap<String, String>,
    user_context: &BTreeMap<String, Vec<String>>,
) -> Result<ProfileReport, CheckError> {
    let resolved = profile.resolve_params(params, principal.account.as_deref())?;
    check_resolved_with(profile, principal, resolved, user_context)
}

/// Sets every key of `from` in `into`, replacing a key of any case.
fn merge_context(into: &mut BTreeMap<String, Vec<String>>, from: &BTreeMap<String, Vec<String>>) {
    for (k, v) in from {
        into.retain(|x, _| !x.eq_ignore_ascii_case(k));
        into.insert(k.clone(), v.clone());
    }
}

/// [`check_principal`] with parameters already resolved.
pub fn check_resolved(
    profile: &Profile,
    principal: &PrincipalPolicies,
    params: ResolvedParams,
) -> Result<ProfileReport, CheckError> {
    check_resolved_with(profile, principal, params, &BTreeMap::new())
}

/// [`check_principal_with`] with parameters already resolved.
pub fn check_resolved_with(
    profile: &Profile,
    principal: &PrincipalPolicies,
    params: ResolvedParams,
    user_context: &BTreeMap<String, Vec<String>>,
) -> Result<ProfileReport, CheckError> {
    let template_err = |e: profiles::TemplateError| CheckError::Template {
        profile: profile.id.clone(),
        message: e.to_string(),
    };
    let requests = profile.requests(&params).map_err(template_err)?;
    let mut base = base_context(&params, principal.arn.as_deref());
    merge_context(&mut base, user_context);
    let compiled = engine::Compiled::new(principal)?;
    let mut requirements = Vec::with_capacity(requests.len());
    for req in expand_requests(profile, &requests)? {
        let mut context = base.clone();
        merge_context(&mut context, &req.context);
        let out = compiled.evaluate(&req.action, &req.resource, &context)?;
        requirements.push(RequirementResult {
            action: req.action.clone(),
            resource: req.resource.clone(),
            context,
            decision: out.decision,
            matched: out.matched,
            missing_context: out.missing_context,
            blocked: out.blocked,
            reason: req.reason.clone(),
            doc: req.doc.clone(),
            from: req.from.clone(),
            profile_action: req.profile_action.clone(),
        });
    }
    let (trust, trust_unchecked) = match &principal.trust {
        Some(policy) => (check_trust(profile, policy, &params)?, false),
        None => (None, profile.trust.is_some()),
    };
    Ok(ProfileReport {
        id: profile.id.clone(),
        version: profile.version,
        title: profile.title.clone(),
        params,
        requirements,
        trust,
        trust_unchecked,
    })
}

/// Evaluates the profile's trust requirement against a trust policy (`None` for user
/// profiles), with the confused-deputy warnings when it is allowed.
pub fn check_trust(
    profile: &Profile,
    policy: &Policy,
    params: &ResolvedParams,
) -> Result<Option<TrustResult>, CheckError> {
    let t = profile
        .trust_request(params)
        .map_err(|e| CheckError::Template {
            profile: profile.id.clone(),
            message: e.to_string(),
        })?;
    let Some(t) = t else {
        return Ok(None);
    };
    let out = engine::evaluate_trust(policy, &t.service, &t.action, &t.role, &t.context)?;
    let warnings = if out.decision == Decision::Allowed {
        confused_deputy_warnings(policy, &out.matched, &t.service)
    } else {
        Vec::new()
    };
    Ok(Some(TrustResult {
        principal: t.service,
        action: t.action,
        resource: t.role,
        context: t.context,
        decision: out.decision,
        matched: out.matched,
        missing_context: out.missing_context,
        blocked: out.blocked,
        reason: t.reason,
        doc: t.doc,
        warnings,
    }))
}

/// Context keys every request carries: the Region of the request, and the principal's ARN and
/// account when they are known.
fn base_context(params: &ResolvedParams, arn: Option<&str>) -> BTreeMap<String, Vec<String>> {
    let mut c = BTreeMap::new();
    if let Some(r) = params.get("region") {
        c.insert("aws:RequestedRegion".to_string(), vec![r.to_string()]);
    }
    if let Some(arn) = arn {
        c.insert("aws:PrincipalArn".to_string(), vec![arn.to_string()]);
    }
    if let Some((acct, ParamOrigin::Principal)) = params.values.get("account") {
        c.insert("aws:PrincipalAccount".to_string(), vec![acct.clone()]);
    }
    c
}

/// A requirement with its action made concrete.
#[derive(Clone, Debug)]
pub struct ExpandedRequest {
    pub action: String,
    pub profile_action: String,
    pub resource: String,
    pub grant_resource: String,
    pub context: BTreeMap<String, Vec<String>>,
    pub reason: String,
    pub doc: String,
    pub from: String,
}

/// Expands wildcard actions through the catalog (one request per matching action) and checks
/// that every exact action exists. Duplicates (same action, resource and context) are dropped.
pub fn expand_requests(
    profile: &Profile,
    requests: &[ConcreteRequirement],
) -> Result<Vec<ExpandedRequest>, CheckError> {
    let mut out: Vec<ExpandedRequest> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in requests {
        let actions: Vec<String> = if r.action.contains('*') {
            let v = lookup::expand(&r.action);
            if v.is_empty() {
                return Err(CheckError::UnknownAction {
                    profile: profile.id.clone(),
                    action: r.action.clone(),
                });
            }
            v
        } else {
            match lookup::canonical(&r.action) {
                Some(a) => vec![a],
                None => {
                    return Err(CheckError::UnknownAction {
                        profile: profile.id.clone(),
                        action: r.action.clone(),
                    });
                }
            }
        };
        for action in actions {
            let key = (
                action.to_ascii_lowercase(),
                r.resource.clone(),
                r.context.clone(),
            );
            if !seen.insert(key) {
                continue;
            }
            out.push(ExpandedRequest {
                action,
                profile_action: r.action.clone(),
                resource: r.resource.clone(),
                grant_resource: r.grant_resource.clone(),
                context: r.context.clone(),
                reason: r.reason.clone(),
                doc: r.doc.clone(),
                from: r.from.clone(),
            });
        }
    }
    Ok(out)
}

/// Condition keys that tie a service principal to the account or resource it acts for.
pub const SOURCE_KEYS: &[&str] = &["aws:sourceaccount", "aws:sourcearn"];

/// Allow statements of a trust policy that let the service assume the role without
/// `aws:SourceAccount` / `aws:SourceArn` (the confused-deputy problem).
fn confused_deputy_warnings(
    policy: &Policy,
    matched: &[MatchedStatement],
    service: &str,
) -> Vec<TrustWarning> {
    let mut out = Vec::new();
    for m in matched.iter().filter(|m| m.effect == Effect::Allow) {
        let Some(st) = policy.statements.get(m.index) else {
            continue;
        };
        let has_source = st
            .conditions
            .iter()
            .any(|c| SOURCE_KEYS.contains(&c.key_lower.as_str()));
        if !has_source {
            out.push(TrustWarning {
                code: "trust-without-source-condition",
                message: format!(
                    "the trust policy lets `{service}` assume the role without an `aws:SourceAccount` or `aws:SourceArn` condition (confused deputy)"
                ),
                statement: m.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
