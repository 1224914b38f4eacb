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
pub mod trust;
mod warnings;
mod words;

use std::collections::BTreeMap;

use crate::model::{Effect, Policy};
use crate::profiles::{self, ConcreteRequirement, ParamOrigin, Profile, ResolvedParams};
use crate::source::{Source, Span};

pub use blocked::{Blocked, BlockedBy};
pub use engine::{Compiled, evaluate_identity};
pub use prepared::{Decisions, PreparedProfile};
pub use warnings::{PolicyWarning, policy_warnings};

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
    /// Resource control policies of the account that owns the profile's resources: their
    /// `Deny` statements restrict the requests RCPs apply to ([`crate::eval::rcp`]).
    pub rcps: Vec<Policy>,
    /// The role's trust policy, for role profiles.
    pub trust: Option<Policy>,
    /// The principal's ARN, when known.
    pub arn: Option<String>,
    /// The principal's account, when known (the `account` parameter defaults to it).
    pub account: Option<String>,
    /// The principal's tags (key, value), when known: AWS sends each as
    /// `aws:PrincipalTag/KEY` in the principal's requests
    /// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag>).
    pub tags: Vec<(String, String)>,
    /// The principal's unique ID (`AIDA...` of a user, `AROA...` of a role), when known: AWS
    /// sends `aws:userid` (a user's ID, `ROLEID:SESSION` for a role's session).
    pub unique_id: Option<String>,
    /// The ARNs of the roles of the principal's account, when the account data lists them:
    /// the profile's role parameters name them, paths included
    /// ([`crate::profiles::Profile::with_account_roles`]).
    pub account_roles: Vec<String>,
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
    /// The kind of policy the statement is in (identity policy, trust policy, resource
    /// control policy, ...).
    pub policy_type: crate::eval::PolicyType,
    /// The whole statement.
    pub span: Span,
    /// The statement's `Effect` value (where diagnostics point).
    pub effect_span: Span,
    pub source: Source,
}

/// Keys AWS sends with every request of an IAM caller (global condition keys docs;
/// `aws:TokenIssueTime` with every request signed with temporary credentials, as a role's
/// are) that `check` cannot always give: a requirement read as allowed while a condition needed one of
/// them may be denied by AWS. `aws:PrincipalTag/` is a prefix.
const ALWAYS_SENT: &[&str] = &[
    "aws:userid",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:SourceIp",
    "aws:SecureTransport",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:RequestedRegion",
    "aws:PrincipalTag/",
];

/// Lines naming each allowed requirement whose decision skipped a condition on a key AWS
/// always sends (see [`ALWAYS_SENT`]): the report's "allowed" holds only for a request
/// without that key, which AWS never makes. Written to standard error by the commands.
pub fn unproven_allows(reports: &[ProfileReport]) -> Vec<String> {
    let mut out = Vec::new();
    for r in reports {
        for q in &r.requirements {
            if q.decision != Decision::Allowed {
                continue;
            }
            // (an IAM user's requests carry `aws:username` too, global condition keys docs;
            // red team 62: a `Deny` on one user name read as allowed from policy files with
            // nothing on standard error)
            let username = (r.user && sends_username(&q.missing_context))
                .then_some("`aws:username`, which AWS sends with every request of an IAM user");
            let why = match (unproven_because(&q.missing_context), username) {
                (Some(w), Some(u)) => Some(format!("{w}, nor {u}")),
                (w, u) => w.or_else(|| u.map(str::to_string)),
            };
            if let Some(why) = why {
                let line = allowed_only_because(&q.action, &q.resource, &why);
                out.push(format!(
                    "{}: {line}; a condition on it may deny the real request (give it with --context)",
                    r.id,
                ));
            }
        }
    }
    out
}

/// Whether the keys a decision skipped include `aws:username`.
fn sends_username(missing: &[String]) -> bool {
    missing
        .iter()
        .any(|k| k.eq_ignore_ascii_case("aws:username"))
}

/// "`ACTION` on `RESOURCE` reads as allowed only because the request has no `KEY`, which AWS
/// always sends" for an allowed request whose decision skipped (`missing`) a key of
/// [`ALWAYS_SENT`]; `None` when it skipped none.
pub fn unproven_allow(action: &str, resource: &str, missing: &[String]) -> Option<String> {
    Some(allowed_only_because(
        action,
        resource,
        &unproven_because(missing)?,
    ))
}

/// "`ACTION` on `RESOURCE` reads as allowed only because the request has no WHY".
fn allowed_only_because(action: &str, resource: &str, why: &str) -> String {
    format!("`{action}` on `{resource}` reads as allowed only because the request has no {why}")
}

/// The keys of `missing` that AWS sends with every request ([`ALWAYS_SENT`], not the
/// principal's tags, which it sends only when the principal has them).
pub(super) fn always_sent(missing: &[String]) -> Vec<String> {
    missing
        .iter()
        .filter(|k| {
            ALWAYS_SENT
                .iter()
                .any(|a| !a.ends_with('/') && k.eq_ignore_ascii_case(a))
        })
        .cloned()
        .collect()
}

/// The keys of `missing` (condition keys an allowed request's decision skipped) that AWS
/// sends anyway ([`ALWAYS_SENT`]), in words: `None` when there is none.
pub fn unproven_because(missing: &[String]) -> Option<String> {
    let keys: Vec<&str> = missing
        .iter()
        .map(String::as_str)
        .filter(|k| {
            ALWAYS_SENT.iter().any(|a| {
                k.eq_ignore_ascii_case(a)
                    || (a.ends_with('/')
                        && k.len() > a.len()
                        && k[..a.len()].eq_ignore_ascii_case(a))
            })
        })
        .collect();
    if keys.is_empty() {
        return None;
    }
    // `aws:PrincipalTag/x` is sent when the principal has the tag `x`, the others with every
    // request
    let (tags, always): (Vec<&str>, Vec<&str>) = keys.iter().partition(|k| {
        k.len() > "aws:PrincipalTag/".len()
            && k[.."aws:PrincipalTag/".len()].eq_ignore_ascii_case("aws:PrincipalTag/")
    });
    let names = |v: &[&str]| {
        v.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // `aws:TokenIssueTime` comes with temporary credentials only (a role's session, a
    // federated or `GetSessionToken` session), not with an IAM user's access keys (global
    // condition keys, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime>)
    let (token, always): (Vec<&str>, Vec<&str>) = always
        .iter()
        .partition(|k| k.eq_ignore_ascii_case("aws:TokenIssueTime"));
    let mut why: Vec<String> = Vec::new();
    if !always.is_empty() {
        why.push(format!("{}, which AWS always sends", names(&always)));
    }
    if !token.is_empty() {
        why.push(format!(
            "{}, which AWS sends with every request signed with temporary credentials (a role's)",
            names(&token)
        ));
    }
    if !tags.is_empty() {
        why.push(format!(
            "{}, which AWS sends when the principal has that tag",
            names(&tags)
        ));
    }
    Some(why.join(", nor "))
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
    /// For an allowed requirement that only some contexts allow: under which ("only when
    /// `aws:MultiFactorAuthPresent` is `true`"). `None` otherwise.
    pub only_when: Option<String>,
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
    /// Callers outside named accounts and organizations can assume the role (a gap).
    pub open: bool,
    /// One sentence per statement that opens the role (empty when not open).
    pub open_detail: Vec<String>,
    /// The statements that open the role.
    pub open_statements: Vec<MatchedStatement>,
    /// Whether a caller other than the profile's service (and its Regional forms) can assume
    /// the role under some context, decided over every principal class and context by the
    /// request-space analysis: `Some(false)` only the service can; `None` undecided (see
    /// `others_unknown`).
    pub others: Option<bool>,
    /// Counterexample requests (one per caller), each re-decided by the evaluator.
    pub others_examples: Vec<crate::analysis::assumers::Assumer>,
    /// Why the analysis could not decide.
    pub others_unknown: Option<String>,
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
    /// The principal is an IAM user: AWS sends `aws:username` with its requests.
    pub user: bool,
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
            + usize::from(self.trust.as_ref().is_some_and(|t| t.open))
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
    let params = profile.with_account_roles(params, &principal.account_roles);
    let resolved = profile.resolve_params(&params, principal.account.as_deref())?;
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
    if principal.arn.is_none() {
        policy_file_keys(&mut base, profile, &params);
        // a role profile names its role: with the account given, its requests carry the
        // role's ARN as `aws:PrincipalArn`, as the trust requirement names it (red team 51:
        // the SCP pattern "deny unless this role" denied every requirement)
        // (only a role named by the user: the profile's default name is no fact about the
        // principal checked; red team 53)
        let named = profile.role.as_ref().is_some_and(|t| {
            t.placeholders().all(|n| {
                matches!(
                    params.values.get(n),
                    Some((_, ParamOrigin::Given | ParamOrigin::Principal))
                )
            })
        });
        if profile.principal == profiles::PrincipalKind::Role
            && named
            && matches!(
                params.values.get("account"),
                Some((_, ParamOrigin::Given | ParamOrigin::Principal))
            )
            && let Ok(Some(arn)) = profile.role_arn(&params)
        {
            base.entry("aws:PrincipalArn".to_string())
                .or_insert_with(|| vec![arn]);
        }
    }
    // a role's requests are made with temporary credentials, which carry
    // `aws:MultiFactorAuthPresent`: `false` unless MFA was used to get them, as for a service
    // (CodeDeploy) or a pipeline assuming the role (global condition keys docs,
    // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent>;
    // red team 49: a `Deny` on `Bool aws:MultiFactorAuthPresent "false"` was skipped). A
    // user's long-term keys send no such key. `--context` gives another value.
    let role = match principal.arn.as_deref() {
        Some(a) => a.contains(":role/") || a.contains(":assumed-role/"),
        None => profile.principal == profiles::PrincipalKind::Role,
    };
    let user = match principal.arn.as_deref() {
        Some(a) => a.contains(":user/"),
        None => profile.principal == profiles::PrincipalKind::User,
    };
    // (SCPs and RCPs exist only in an organization: red team 50)
    let in_org = !principal.scps.is_empty() || !principal.rcps.is_empty();
    if role && !base.keys().any(|k| k.eq_ignore_ascii_case(MFA_PRESENT)) {
        base.insert(MFA_PRESENT.to_string(), vec!["false".to_string()]);
    }
    if let Some(id) = &principal.unique_id
        && !base.keys().any(|k| k.eq_ignore_ascii_case(USERID))
    {
        base.insert(USERID.to_string(), vec![userid_of(id, role)]);
    }
    // the principal's own tags (a key of `--context` wins)
    for (k, v) in &principal.tags {
        base.insert(format!("aws:PrincipalTag/{k}"), vec![v.clone()]);
    }
    merge_context(&mut base, user_context);
    let compiled = engine::Compiled::new(principal)?.with_account(engine::known_account(&params));
    let mut requirements = Vec::with_capacity(requests.len());
    for req in expand_requests(profile, &requests)? {
        let mut context = base.clone();
        merge_context(&mut context, &req.context);
        with_global_region(&mut context, &req.action, &params, user_context);
        let mut out = compiled.evaluate(&req.action, &req.resource, &context)?;
        // an allow that only a key AWS always sends being absent gives, and that every value
        // of the key refuses, is a refusal
        if out.decision == Decision::Allowed {
            let mut sent = always_sent(&out.missing_context);
            // (`aws:TokenIssueTime` comes with temporary credentials only: not with an IAM
            // user's access keys; red team 50)
            if user {
                sent.retain(|k| !k.eq_ignore_ascii_case("aws:TokenIssueTime"));
            }
            // and what AWS sends for this principal: `aws:username` with an IAM user's
            // requests, `aws:PrincipalOrgID` with those of an account in an organization
            // (which SCPs mean), global condition keys docs
            for (key, sends) in [("aws:username", user), ("aws:PrincipalOrgID", in_org)] {
                if sends
                    && out
                        .missing_context
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(key))
                    && !sent.iter().any(|k| k.eq_ignore_ascii_case(key))
                {
                    sent.push(key.to_string());
                }
            }
            if !sent.is_empty()
                && let Some(refused) =
                    compiled.refused_whatever_sent(&req.action, &req.resource, &context, &sent)?
            {
                out = refused;
            }
        }
        let only_when = if out.decision == Decision::Allowed {
            compiled.only_when(&req.action, &req.resource, &context, &out.matched)?
        } else {
            None
        };
        // an ECS resource created with tags also needs `ecs:TagResource` on it, asked with
        // `ecs:CreateAction` (red team 51: a request with tags read as allowed beside a
        // `Deny ecs:TagResource`)
        let tag_on_create =
            tag_on_create(&req.action, &context).map(|name| (name, context.clone()));
        requirements.push(RequirementResult {
            only_when,
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
        if let Some((name, mut ctx)) = tag_on_create {
            ctx.insert("ecs:CreateAction".to_string(), vec![name.to_string()]);
            let out = compiled.evaluate(ECS_TAG_RESOURCE, &req.resource, &ctx)?;
            requirements.push(RequirementResult {
                only_when: None,
                action: ECS_TAG_RESOURCE.to_string(),
                resource: req.resource.clone(),
                context: ctx,
                decision: out.decision,
                matched: out.matched,
                missing_context: out.missing_context,
                blocked: out.blocked,
                reason: format!(
                    "tag the resource `{}` creates with the tags of its request: \"if the user doesn't have permissions to use the ecs:TagResource action and tries to create resources with tags, the request fails\"",
                    req.action
                ),
                doc: ECS_TAG_ON_CREATE_DOC.to_string(),
                from: req.from.clone(),
                profile_action: ECS_TAG_RESOURCE.to_string(),
            });
        }
    }
    let (trust, trust_unchecked) = match &principal.trust {
        Some(policy) => (
            check_trust_with(profile, (policy, &principal.rcps), &params, user_context)?,
            false,
        ),
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
        user,
    })
}

/// Evaluates the profile's trust requirement against a trust policy (`None` for user
/// profiles): the service (or one of its regional names) must be allowed with the context the
/// service sends; the role must not be open to callers outside named accounts
/// ([`trust::open_statements`]); warnings name confused-deputy statements, other principals
/// and decisions that depend on context the documentation does not confirm.
pub fn check_trust(
    profile: &Profile,
    policy: &Policy,
    params: &ResolvedParams,
) -> Result<Option<TrustResult>, CheckError> {
    check_trust_with(profile, (policy, &[]), params, &BTreeMap::new())
}

/// [`check_trust`] with the resource control policies of the role's account, and the
/// context `--context` gives every request (it replaces a key of the service's own context).
pub fn check_trust_with(
    profile: &Profile,
    (policy, rcps): (&Policy, &[Policy]),
    params: &ResolvedParams,
    user_context: &BTreeMap<String, Vec<String>>,
) -> Result<Option<TrustResult>, CheckError> {
    let t = profile
        .trust_request(params)
        .map_err(|e| CheckError::Template {
            profile: profile.id.clone(),
            message: e.to_string(),
        })?;
    let Some(mut t) = t else {
        return Ok(None);
    };
    merge_context(&mut t.context, user_context);
    let mut services = vec![t.service.clone()];
    services.extend(t.alternates.iter().cloned());
    // The first name the policy allows; else the global name's result.
    let mut chosen: Option<(String, engine::Outcome)> = None;
    for s in &services {
        let out = engine::evaluate_trust((policy, rcps), s, &t.action, &t.role, &t.context)?;
        let allowed = out.decision == Decision::Allowed;
        if allowed || chosen.is_none() {
            chosen = Some((s.clone(), out));
        }
        if allowed {
            break;
        }
    }
    let Some((service, out)) = chosen else {
        return Ok(None);
    };
    let mut warnings = Vec::new();
    if out.decision == Decision::Allowed {
        warnings.extend(trust::confused_deputy_warnings(
            policy, &service, &t.action, &t.role, &t.context,
        )?);
        if !t.unconfirmed.is_empty() {
            let mut bare = t.context.clone();
            bare.retain(|k, _| !t.unconfirmed.iter().any(|u| u.eq_ignore_ascii_case(k)));
            let without =
                engine::evaluate_trust((policy, rcps), &service, &t.action, &t.role, &bare)?;
            if without.decision != Decision::Allowed
                && let Some(m) = out.matched.iter().find(|m| m.effect == Effect::Allow)
            {
                warnings.push(TrustWarning {
                    code: "trust-unconfirmed-context",
                    message: format!(
                        "the trust policy lets `{service}` assume the role only when the request carries {}, which the AWS documentation does not confirm `{service}` sends: make sure assuming the role works",
                        t.unconfirmed
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    statement: m.clone(),
                });
            }
        }
    }
    warnings.extend(trust::other_principal_warnings(policy, &services, &t.role)?);
    let partition = t.role.split(':').nth(1).unwrap_or("aws");
    let open = trust::open(policy, &t.role, partition)?;
    let assumers = crate::analysis::assumers::other_assumers(
        policy,
        &t.role,
        &services,
        &trust::ASSUME_ACTIONS,
        3,
    );
    let (others, others_examples, others_unknown) = match assumers {
        Ok(a) => (
            a.others,
            a.examples,
            a.unknown.first().map(|u| u.reason.clone()),
        ),
        Err(e) => (None, Vec::new(), Some(e.to_string())),
    };
    Ok(Some(TrustResult {
        principal: service,
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
        open: !open.is_empty(),
        open_statements: open
            .iter()
            .filter_map(|(i, _)| trust::matched(policy, *i))
            .collect(),
        open_detail: open.into_iter().map(|(_, d)| d).collect(),
        others,
        others_examples,
        others_unknown,
    }))
}

/// Services of the `aws` partition with one endpoint, in US East (N. Virginia): every request
/// to them carries `aws:RequestedRegion` `us-east-1`, whatever Region the caller works in (IAM
/// User Guide, "AWS: Denies access to AWS based on the requested Region": "Actions in the
/// CloudFront, IAM, Route 53, and AWS Support services ... are popular AWS global services with a
/// single endpoint that is physically located in the us-east-1 Region. Because all requests to
/// these services are made to the us-east-1 Region, the requests would be denied without the
/// NotAction element",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-requested-region.html>).
const US_EAST_1_SERVICES: &[&str] = &["cloudfront", "iam", "route53", "support"];

/// The Region a request for `action` carries whatever the profile's Region: `us-east-1` for
/// the actions of [`US_EAST_1_SERVICES`] in the `aws` partition. `iam:PassRole` is no request
/// to IAM: it is authorized within the request of the service the role is passed to, in that
/// service's Region. Other partitions have their own endpoints and are left as given.
fn global_request_region(action: &str, partition: Option<&str>) -> Option<&'static str> {
    let (service, name) = action.split_once(':')?;
    if !US_EAST_1_SERVICES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(service))
        || (service.eq_ignore_ascii_case("iam") && name.eq_ignore_ascii_case("PassRole"))
        || partition.is_some_and(|p| p != "aws")
    {
        return None;
    }
    Some("us-east-1")
}

/// Sets `aws:RequestedRegion` of a request for `action` to its service's one Region
/// ([`global_request_region`]), unless the user's context names the key.
fn with_global_region(
    context: &mut BTreeMap<String, Vec<String>>,
    action: &str,
    params: &ResolvedParams,
    user_context: &BTreeMap<String, Vec<String>>,
) {
    if user_context
        .keys()
        .any(|k| k.eq_ignore_ascii_case(REQUESTED_REGION))
    {
        return;
    }
    if let Some(r) = global_request_region(action, params.get("partition")) {
        context.retain(|k, _| !k.eq_ignore_ascii_case(REQUESTED_REGION));
        context.insert(REQUESTED_REGION.to_string(), vec![r.to_string()]);
    }
}

/// The key of the Region a request is sent to.
const REQUESTED_REGION: &str = "aws:RequestedRegion";

/// Context keys every request carries: the Region of the request, and the principal's ARN and
/// account when they are known.
fn base_context(params: &ResolvedParams, arn: Option<&str>) -> BTreeMap<String, Vec<String>> {
    let mut c = BTreeMap::new();
    if let Some(r) = params.get("region") {
        c.insert(REQUESTED_REGION.to_string(), vec![r.to_string()]);
    }
    if let Some(arn) = arn {
        c.insert("aws:PrincipalArn".to_string(), vec![arn.to_string()]);
    }
    if let Some((acct, ParamOrigin::Principal)) = params.values.get("account") {
        c.insert("aws:PrincipalAccount".to_string(), vec![acct.clone()]);
    }
    c
}

/// Requests for a principal known only by its policy files (no ARN): the keys AWS always
/// sends that follow from what is known, as a principal with an ARN gets them from
/// [`crate::eval::infer_context`] (global condition keys docs,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>):
/// `aws:PrincipalAccount`, the profile's account when it is given (`--param account=`; the
/// principal and the profile's resources are in one account, as for templates),
/// `aws:PrincipalIsAWSService` `false` (identity policies belong to IAM principals) and
/// `aws:PrincipalType` (`AssumedRole` for role profiles, `User` for user profiles). So a check
/// of the same policies gives the same verdict from files and from a template.
fn policy_file_keys(
    c: &mut BTreeMap<String, Vec<String>>,
    profile: &Profile,
    params: &ResolvedParams,
) {
    let mut put = |k: &str, v: &str| {
        if !c.keys().any(|x| x.eq_ignore_ascii_case(k)) {
            c.insert(k.to_string(), vec![v.to_string()]);
        }
    };
    if let Some((acct, ParamOrigin::Given | ParamOrigin::Principal)) = params.values.get("account")
    {
        put("aws:PrincipalAccount", acct);
    }
    put("aws:PrincipalIsAWSService", "false");
    put(
        "aws:PrincipalType",
        match profile.principal {
            profiles::PrincipalKind::Role => "AssumedRole",
            profiles::PrincipalKind::User => "User",
        },
    );
}

pub(super) const MFA_PRESENT: &str = "aws:MultiFactorAuthPresent";

const ECS_TAG_RESOURCE: &str = "ecs:TagResource";
const ECS_TAG_ON_CREATE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html";

/// The ECS actions that tag what they create when the request carries tags (Amazon ECS
/// developer guide, "Grant permission to tag resources on creation", [`ECS_TAG_ON_CREATE_DOC`]):
/// the name `ecs:CreateAction` takes, when `action` is one of them and `context` carries tags
/// (`aws:RequestTag/...` or `aws:TagKeys`).
fn tag_on_create<'a>(action: &'a str, context: &BTreeMap<String, Vec<String>>) -> Option<&'a str> {
    const CREATE: &[&str] = &[
        "CreateCapacityProvider",
        "CreateCluster",
        "CreateService",
        "CreateTaskSet",
        "RegisterContainerInstance",
        "RegisterTaskDefinition",
        "RunTask",
        "StartTask",
    ];
    let (svc, name) = action.split_once(':')?;
    let name = CREATE.iter().find(|c| c.eq_ignore_ascii_case(name))?;
    let tagged = context.keys().any(|k| {
        let k = k.to_ascii_lowercase();
        k.starts_with("aws:requesttag/") || k == "aws:tagkeys"
    });
    (svc.eq_ignore_ascii_case("ecs") && tagged).then_some(*name)
}
pub(super) const USERID: &str = "aws:userid";

/// `aws:userid` of a principal of unique ID `id`: the ID for a user, `ID:SESSION` for a role's
/// session (its session name is the caller's choice: one stands for it)
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable>).
pub(super) fn userid_of(id: &str, role: bool) -> String {
    if role {
        format!("{id}:greenlight-session")
    } else {
        id.to_string()
    }
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
            // A `*` requirement of a profile with ARN variables: the ARN of each resource type
            // the catalog gives the action, so a policy scoped to the resources passes.
            let scoped = if r.arn_variables.is_empty() {
                Vec::new()
            } else {
                lookup::scoped_arns(&action, &r.arn_variables)
            };
            let resources = if scoped.is_empty() {
                vec![(r.resource.clone(), r.grant_resource.clone())]
            } else {
                scoped
            };
            for (resource, grant_resource) in resources {
                let key = (
                    action.to_ascii_lowercase(),
                    resource.clone(),
                    r.context.clone(),
                );
                if !seen.insert(key) {
                    continue;
                }
                out.push(ExpandedRequest {
                    action: action.clone(),
                    profile_action: r.action.clone(),
                    resource,
                    grant_resource,
                    context: r.context.clone(),
                    reason: r.reason.clone(),
                    doc: r.doc.clone(),
                    from: r.from.clone(),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
