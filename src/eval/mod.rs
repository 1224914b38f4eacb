//! Request + policies → decision, exactly as the IAM policy evaluation logic documents it, with
//! the statements that decided it and the context keys it needed but lacked.
//!
//! ```
//! use greenlight::eval::{evaluate, Context, PolicySet, Principal, Request, Verdict};
//! use greenlight::{parse_policy, Source};
//!
//! let policy = parse_policy(&Source::new(
//!     "deploy.json",
//!     r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Deploy", "Effect": "Allow",
//!         "Action": "ecs:UpdateService", "Resource": "*"}]}"#,
//! ))
//! .unwrap();
//! let compiled = PolicySet { identity: vec![policy], ..Default::default() }.compile().unwrap();
//! let request = Request {
//!     action: "ecs:UpdateService".into(),
//!     resource: "arn:aws:ecs:us-east-1:111122223333:service/c/s".into(),
//!     principal: Some(Principal::parse("arn:aws:iam::111122223333:user/alice").unwrap()),
//!     resource_account: None,
//!     context: Context::new(),
//! };
//! let decision = evaluate(&compiled, &request).unwrap();
//! assert_eq!(decision.decision, Verdict::Allowed);
//! assert_eq!(decision.matched[0].sid.as_deref(), Some("Deploy"));
//! ```
//!
//! Evaluation order (IAM docs, "Policy evaluation logic" and "Cross-account policy evaluation
//! logic"):
//! 1. an applicable `Deny` in any policy (SCP, resource-based, identity, boundary) → explicit
//!    deny;
//!    The `Deny` statements of RCPs count only for requests RCPs restrict ([`rcp::applies`]);
//! 2. RCPs: always passed, since `RCPFullAWSAccess` is always attached and cannot be
//!    detached (see [`rcp`]), so an RCP's `Allow` decides nothing;
//! 3. SCPs given and none allows → implicit deny;
//! 4. same account: an identity-policy allow (within the permissions boundary) **or** a
//!    resource-policy allow; a resource-policy grant that names the user or session itself is
//!    not limited by the boundary, one that names the role is;
//! 5. cross-account: the resource policy **and** the caller's identity policies (within the
//!    boundary) must both allow;
//! 6. a role trust policy, and a KMS key policy, must allow the caller even in the same account:
//!    naming the caller (or its role) grants on its own, naming the caller's account delegates
//!    to the identity policies, naming neither denies ("Unless the key policy explicitly allows
//!    it, you cannot use IAM policies to allow access to a KMS key",
//!    <https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html>). A resource
//!    policy is read as a key policy for every request whose action is a `kms:` action: KMS
//!    authorizes its actions with the key policy, the only resource-based policy it has;
//! 7. otherwise implicit deny.

pub(crate) mod condition;
mod context;
mod explain;
mod pattern;
mod principal;
pub mod rcp;
mod trust_shape;

use std::sync::Arc;

pub use context::Context;
pub use explain::{ConditionTrace, StatementTrace, trace};
pub(crate) use pattern::ResourceItem;
pub use pattern::{resource_item_matches, variable_before_fifth_colon};
pub use principal::{AwsPrincipal, AwsPrincipalKind, Principal, PrincipalMatch};

use crate::model::{Effect, Policy, PrincipalBlock, PrincipalValue, Statement};
use crate::parse::ParseError;
use crate::source::{Source, Span};
use condition::CCondition;
use pattern::{ArnPattern, Part};

/// Whether `StringLike` (case-sensitive, `*` and `?` wildcards, `*` spanning `:` and `/`, no
/// policy variables) matches `text` with `pattern`, as the evaluator decides it.
pub(crate) fn string_like(pattern: &str, text: &str) -> bool {
    pattern::parse_template(pattern, true, false, false)
        .is_ok_and(|p| pattern::matches(&p, text, false, &Context::new()))
}

/// How the evaluator reads a number condition value (`-?digits(.digits)?`), for the analysis:
/// exactly, as the sign, the integer digits without leading zeros and the fraction digits
/// without trailing zeros.
pub fn parse_number_text(s: &str) -> Option<(bool, String, String)> {
    condition::parse_number(s).map(|d| d.parts())
}

/// Whether one request value matches the condition's values under the positive form of its
/// operator (`StringNotLike` read as `StringLike`, ...), for the analysis: `None` when the
/// condition does not compile or reads a policy variable; the function returns `None` for a
/// value not of the operator's type.
pub(crate) fn positive_matcher(
    c: &crate::model::Condition,
    variables: bool,
) -> Option<impl Fn(&str) -> Option<bool>> {
    let cc = CCondition::compile(c, variables).ok()?;
    if !cc.var_keys.is_empty() {
        return None;
    }
    Some(move |value: &str| cc.positive_value(value))
}

/// How the evaluator reads a date condition value, in nanoseconds since 1970, for the analysis.
pub fn parse_date_text(s: &str) -> Option<i128> {
    condition::parse_date(s)
}

/// How the evaluator reads an IP condition value: (IPv4, address bits, prefix length).
pub fn parse_cidr_text(s: &str) -> Option<(bool, u128, u8)> {
    condition::parse_cidr(s).map(|c| c.parts())
}

/// Global condition keys that follow from the principal alone (AWS global condition context
/// keys docs). A key already in the context is never overridden.
pub fn infer_context(p: &Principal, context: &mut Context) {
    let mut put = |k: &str, v: String| {
        if !context.contains_key(k) {
            context.insert(k, v);
        }
    };
    match p {
        Principal::Aws(AwsPrincipal {
            arn,
            partition,
            account,
            kind,
        }) => {
            put("aws:PrincipalAccount", account.clone());
            put("aws:PrincipalIsAWSService", "false".into());
            let (ty, principal_arn) = match kind {
                AwsPrincipalKind::Root => ("Account", arn.clone()),
                AwsPrincipalKind::User { name } => {
                    put("aws:username", name.clone());
                    ("User", arn.clone())
                }
                AwsPrincipalKind::Role { .. } => ("AssumedRole", arn.clone()),
                AwsPrincipalKind::AssumedRole { role_name, .. } => (
                    "AssumedRole",
                    format!("arn:{partition}:iam::{account}:role/{role_name}"),
                ),
                AwsPrincipalKind::FederatedUser { .. } => ("FederatedUser", arn.clone()),
            };
            put("aws:PrincipalType", ty.into());
            put("aws:PrincipalArn", principal_arn);
        }
        Principal::Service(s) => {
            put("aws:PrincipalIsAWSService", "true".into());
            put("aws:PrincipalServiceName", s.clone());
            // "present in the request for all signed API requests that are made by a service
            // principal": the service's names, its own among them (the Regional names, which
            // the request does not show, are left out)
            // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicenameslist>)
            put("aws:PrincipalServiceNamesList", s.clone());
        }
        Principal::Anonymous => put("aws:PrincipalType", "Anonymous".into()),
        Principal::Federated(_) | Principal::CanonicalUser(_) => {}
    }
}

/// A policy that cannot be evaluated (a non-number under `NumericEquals`, a malformed ARN in
/// `Resource`, a `Principal` in an identity policy, ...): a located error with a stable code,
/// rendered by miette like a parse error.
pub type CompileError = ParseError;

/// The role a policy plays in a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyType {
    /// Identity-based policy (user, group or role; inline or managed).
    Identity,
    /// Permissions boundary of the calling user or role.
    PermissionsBoundary,
    /// Service control policy of the caller's account.
    Scp,
    /// Resource control policy of the resource owner's account (see [`rcp`]).
    Rcp,
    /// Resource-based policy of the requested resource.
    Resource,
    /// Role trust policy: a resource-based policy whose resource is the role.
    RoleTrust,
}

impl PolicyType {
    /// Stable name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::PermissionsBoundary => "permissionsBoundary",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::Resource => "resource",
            PolicyType::RoleTrust => "roleTrust",
        }
    }

    fn is_resource_based(self) -> bool {
        matches!(self, PolicyType::Resource | PolicyType::RoleTrust)
    }
}

/// The policies that apply to a request, before compilation.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    /// Identity-based policies of the caller (any number; their allows are a union).
    pub identity: Vec<Policy>,
    /// The caller's permissions boundary.
    pub boundary: Option<Policy>,
    /// SCPs of the caller's account, all at one level: at least one must allow.
    pub scps: Vec<Policy>,
    /// RCPs of the resource owner's account (any level): a `Deny` in any of them denies the
    /// requests RCPs restrict ([`rcp`]).
    pub rcps: Vec<Policy>,
    /// The resource-based policy of the requested resource.
    pub resource_policy: Option<Policy>,
    /// `true` when `resource_policy` is a role trust policy: it must then allow the caller
    /// explicitly (IAM docs: "Role trust policies ... must explicitly allow the principal").
    pub resource_policy_is_trust: bool,
}

impl PolicySet {
    /// A set holding only a role trust policy, to ask "may this principal assume the role".
    pub fn role_trust(trust_policy: Policy) -> PolicySet {
        PolicySet {
            resource_policy: Some(trust_policy),
            resource_policy_is_trust: true,
            ..PolicySet::default()
        }
    }

    /// Compiles every policy once: wildcard patterns, principals and typed condition values.
    pub fn compile(&self) -> Result<CompiledPolicySet, CompileError> {
        let c = |p: &Policy, t| CompiledPolicy::compile(p, t).map(Arc::new);
        Ok(CompiledPolicySet {
            identity: self
                .identity
                .iter()
                .map(|p| c(p, PolicyType::Identity))
                .collect::<Result<_, _>>()?,
            boundary: self
                .boundary
                .as_ref()
                .map(|p| c(p, PolicyType::PermissionsBoundary))
                .transpose()?,
            scps: self
                .scps
                .iter()
                .map(|p| c(p, PolicyType::Scp))
                .collect::<Result<_, _>>()?,
            rcps: self
                .rcps
                .iter()
                .map(|p| c(p, PolicyType::Rcp))
                .collect::<Result<_, _>>()?,
            resource_policy: self
                .resource_policy
                .as_ref()
                .map(|p| {
                    c(
                        p,
                        if self.resource_policy_is_trust {
                            PolicyType::RoleTrust
                        } else {
                            PolicyType::Resource
                        },
                    )
                })
                .transpose()?,
        })
    }
}

/// Compiled policies, ready for any number of requests. Policies are behind `Arc`, so a
/// managed policy shared by many principals is compiled once.
#[derive(Clone, Debug, Default)]
pub struct CompiledPolicySet {
    pub identity: Vec<Arc<CompiledPolicy>>,
    pub boundary: Option<Arc<CompiledPolicy>>,
    pub scps: Vec<Arc<CompiledPolicy>>,
    /// [`PolicyType::Rcp`] policies.
    pub rcps: Vec<Arc<CompiledPolicy>>,
    /// A [`PolicyType::Resource`] or [`PolicyType::RoleTrust`] policy.
    pub resource_policy: Option<Arc<CompiledPolicy>>,
}

/// One compiled policy.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    pub policy_type: PolicyType,
    /// The document name (file path, or a name inside an authorization-details file).
    pub name: Arc<str>,
    pub source: Source,
    statements: Vec<CStatement>,
}

/// A condition as written: operator name and values.
type ConditionText = (Box<str>, Box<[Box<str>]>);

#[derive(Clone, Debug)]
struct CStatement {
    effect: Effect,
    index: usize,
    sid: Option<Arc<str>>,
    line: u32,
    span: Span,
    actions_negated: bool,
    actions: Vec<Vec<Part>>,
    /// `None`: no `Resource` element (resource-based policies: the attached resource).
    resources: Option<(bool, Vec<ArnPattern>)>,
    /// `None`: no `Principal` element (identity policies).
    principals: Option<(bool, Vec<principal::PEntry>)>,
    conditions: Vec<CCondition>,
    /// Each condition as written (operator, values), for explanations; parallel to
    /// `conditions`.
    condition_text: Box<[ConditionText]>,
}

impl CompiledPolicy {
    /// Compiles one policy for the role it plays.
    pub fn compile(
        policy: &Policy,
        policy_type: PolicyType,
    ) -> Result<CompiledPolicy, CompileError> {
        let src = &policy.source;
        let kind = match policy_type {
            PolicyType::Identity => Some("Identity policies"),
            PolicyType::PermissionsBoundary => Some("Permissions boundaries"),
            PolicyType::Scp => Some("SCPs"),
            PolicyType::Rcp | PolicyType::Resource | PolicyType::RoleTrust => None,
        };
        if let Some(e) = kind.and_then(|k| trust_shape::misplaced_trust_policy(policy, k)) {
            return Err(e);
        }
        let vars = policy.variables_enabled();
        let statements = policy
            .statements
            .iter()
            .map(|s| compile_statement(src, s, policy_type, vars))
            .collect::<Result<_, _>>()?;
        Ok(CompiledPolicy {
            policy_type,
            name: src.name.clone(),
            source: src.clone(),
            statements,
        })
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.statements.len()
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }
}

fn compile_statement(
    src: &Source,
    s: &Statement,
    policy_type: PolicyType,
    vars: bool,
) -> Result<CStatement, CompileError> {
    let stmt_open = Span::new(s.span.start as usize, s.span.start as usize + 1);
    let mut actions = Vec::with_capacity(s.action.items.len());
    for a in &s.action.items {
        let t = a.lower.as_str();
        let valid = t == "*"
            || (t.matches(':').count() == 1
                && !t.starts_with(':')
                && !t.ends_with(':')
                && !t.contains(char::is_whitespace));
        if !valid {
            return Err(ParseError::new(
                src,
                "invalid-action",
                a.span,
                format!("`{}` is not an action: write `service:ActionName`", a.text),
            )
            .with_help("actions look like `s3:GetObject`, `ecs:*` or `*`"));
        }
        // Actions take no policy variables; `*` and `?` are wildcards.
        actions.push(
            pattern::parse_template(t, true, false, true)
                .map_err(|m| ParseError::new(src, "invalid-action", a.span, m))?,
        );
    }
    let resources = match &s.resource {
        Some(r) => {
            let mut items = Vec::with_capacity(r.items.len());
            for item in &r.items {
                if item.value.is_empty() {
                    return Err(ParseError::new(
                        src,
                        "invalid-resource",
                        item.span,
                        "an empty string is not a resource",
                    ));
                }
                items.push(ArnPattern::compile_resource(&item.value, vars).map_err(|m| {
                    ParseError::new(src, "invalid-resource", item.span, m).with_help(
                        "use `*` or an ARN such as `arn:aws:s3:::bucket/*` (wildcards are allowed inside each part)",
                    )
                })?);
            }
            if policy_type == PolicyType::RoleTrust {
                return Err(ParseError::new(
                    src,
                    "invalid-policy-element",
                    r.key_span,
                    "a role trust policy cannot have `Resource` or `NotResource`",
                )
                .with_help(
                    "the resource of a trust policy is the role itself; remove the element",
                ));
            }
            Some((r.negated, items))
        }
        None if policy_type.is_resource_based() => None,
        None => {
            return Err(ParseError::new(
                src,
                "missing-resource",
                stmt_open,
                format!("statement {} has neither `Resource` nor `NotResource`", s.index),
            )
            .with_help("identity policies, boundaries, SCPs and RCPs must name their resources (`\"Resource\": \"*\"` for all)"));
        }
    };
    let principals = match &s.principal {
        // an RCP's `"Principal": "*"` (the only value RCP syntax documents) matches every
        // caller, an unknown one too
        Some(p)
            if policy_type == PolicyType::Rcp
                && matches!(p.value, PrincipalValue::Star)
                && !p.negated =>
        {
            None
        }
        Some(p) if policy_type.is_resource_based() || policy_type == PolicyType::Rcp => {
            Some(compile_principal(src, p, policy_type)?)
        }
        Some(p) => {
            return Err(ParseError::new(
                src,
                "invalid-policy-element",
                p.key_span,
                format!(
                    "a{} {} cannot have `{}`",
                    if policy_type == PolicyType::Identity { "n" } else { "" },
                    match policy_type {
                        PolicyType::Identity => "identity policy",
                        PolicyType::PermissionsBoundary => "permissions boundary",
                        _ => "service control policy",
                    },
                    if p.negated { "NotPrincipal" } else { "Principal" }
                ),
            )
            .with_help("the principal of an identity policy is the identity it is attached to; remove the element"));
        }
        None if policy_type.is_resource_based() => {
            return Err(ParseError::new(
                src,
                "missing-principal",
                stmt_open,
                format!(
                    "statement {} of a resource-based policy has no `Principal`",
                    s.index
                ),
            )
            .with_help("resource-based and trust policies must name who they apply to"));
        }
        None => None,
    };
    let conditions = s
        .conditions
        .iter()
        .map(|c| {
            CCondition::compile(c, vars)
                .map_err(|(span, m)| ParseError::new(src, "invalid-condition-value", span, m))
        })
        .collect::<Result<_, _>>()?;
    Ok(CStatement {
        effect: s.effect.value,
        index: s.index,
        sid: s.sid.as_ref().map(|x| Arc::from(x.value.as_str())),
        line: src.line_col(s.span.start).line,
        span: s.span,
        actions_negated: s.action.negated,
        actions,
        resources,
        principals,
        conditions,
        condition_text: s
            .conditions
            .iter()
            .map(|c| {
                (
                    c.op.name().into_boxed_str(),
                    c.values.iter().map(|v| v.text.as_str().into()).collect(),
                )
            })
            .collect(),
    })
}

fn compile_principal(
    src: &Source,
    p: &PrincipalBlock,
    policy_type: PolicyType,
) -> Result<(bool, Vec<principal::PEntry>), CompileError> {
    if p.negated && policy_type == PolicyType::RoleTrust {
        return Err(ParseError::new(
            src,
            "invalid-policy-element",
            p.key_span,
            "a role trust policy cannot have `NotPrincipal`",
        )
        .with_help("name the principals that may assume the role with `Principal`"));
    }
    let entries = principal::compile_block(p)
        .map_err(|(span, m)| ParseError::new(src, "invalid-principal", span, m))?;
    Ok((p.negated, entries))
}

/// One request: who calls which action on which resource, with which context.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `service:ActionName` (case-insensitive, no wildcards).
    pub action: String,
    /// The resource ARN, or `*` for actions without a resource type.
    pub resource: String,
    /// The caller; `None` when unknown (then no resource-based policy can be evaluated).
    pub principal: Option<Principal>,
    /// The account that owns the resource; when `None`, the account part of `resource`, and
    /// when that is empty too, the caller's account.
    pub resource_account: Option<String>,
    /// The request context, exactly as given.
    pub context: Context,
}

/// The final decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Verdict {
    /// `allowed`, `explicitDeny` or `implicitDeny` (the JSON contract).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::ExplicitDeny => "explicitDeny",
            Verdict::ImplicitDeny => "implicitDeny",
        }
    }

    pub fn is_allowed(self) -> bool {
        self == Verdict::Allowed
    }
}

/// Why a request was implicitly denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImplicitDenyReason {
    /// No identity-based or resource-based policy allows the request.
    NoAllow,
    /// SCPs were given and none allows the request.
    ScpDoesNotAllow,
    /// An identity policy allows, but the permissions boundary does not.
    BoundaryDoesNotAllow,
    /// Cross-account: the resource-based policy does not allow the caller.
    CrossAccountResourcePolicyDoesNotAllow,
    /// Cross-account: the resource policy allows, the caller's identity policies do not.
    CrossAccountIdentityDoesNotAllow,
    /// The role trust policy does not allow the caller.
    TrustPolicyDoesNotAllow,
    /// A KMS key policy allows neither the caller nor the caller's account (so identity
    /// policies cannot allow either).
    KeyPolicyDoesNotAllow,
}

impl ImplicitDenyReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ImplicitDenyReason::NoAllow => "no policy allows the request",
            ImplicitDenyReason::ScpDoesNotAllow => "no service control policy allows the request",
            ImplicitDenyReason::BoundaryDoesNotAllow => {
                "the permissions boundary does not allow the request"
            }
            ImplicitDenyReason::CrossAccountResourcePolicyDoesNotAllow => {
                "cross-account: the resource-based policy does not allow the caller"
            }
            ImplicitDenyReason::CrossAccountIdentityDoesNotAllow => {
                "cross-account: the caller's identity policies do not allow the request"
            }
            ImplicitDenyReason::TrustPolicyDoesNotAllow => {
                "the role trust policy does not allow the caller"
            }
            ImplicitDenyReason::KeyPolicyDoesNotAllow => {
                "the KMS key policy allows neither the caller nor its account, so identity policies cannot allow it"
            }
        }
    }
}

/// A statement that decided a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedStatement {
    /// The policy's document name.
    pub policy: Arc<str>,
    pub policy_type: PolicyType,
    pub sid: Option<Arc<str>>,
    /// Position in the `Statement` list, from 0.
    pub index: usize,
    /// 1-based line of the statement's opening brace.
    pub line: u32,
    pub span: Span,
    pub effect: Effect,
}

/// The result of one evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub decision: Verdict,
    /// For `ExplicitDeny`: every denying statement. For `Allowed`: the allowing statements of
    /// every policy that took part (identity, resource, boundary, SCP). Empty for
    /// `ImplicitDeny`.
    pub matched: Vec<MatchedStatement>,
    /// Condition keys (and policy-variable keys) read by a statement whose action, resource
    /// and principal matched, that were absent from the context; sorted case-insensitively,
    /// one entry per key, as written in the policy.
    pub missing_context_keys: Vec<String>,
    /// For `ImplicitDeny`: which requirement failed.
    pub implicit_deny_reason: Option<ImplicitDenyReason>,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            decision: Verdict::ImplicitDeny,
            matched: Vec::new(),
            missing_context_keys: Vec::new(),
            implicit_deny_reason: Some(ImplicitDenyReason::NoAllow),
        }
    }
}

/// A request the engine cannot decide. It never guesses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum EvalError {
    #[error("`{action}` is not an action name")]
    #[diagnostic(
        code(greenlight::invalid_request_action),
        help("give one concrete action such as `s3:GetObject` (no wildcards)")
    )]
    InvalidAction { action: String },
    #[error("the resource is empty")]
    #[diagnostic(
        code(greenlight::invalid_request_resource),
        help("give an ARN, or `*` for actions without a resource type")
    )]
    EmptyResource,
    #[error("a resource-based policy is given but the caller principal is not")]
    #[diagnostic(
        code(greenlight::principal_required),
        help("give the caller, e.g. `--principal arn:aws:iam::111122223333:role/deploy`")
    )]
    PrincipalRequired,
    #[error(
        "context key `{key}` has the value `{value}`, which `{operator}` cannot read: expected {expected}"
    )]
    #[diagnostic(
        code(greenlight::invalid_context_value),
        help(
            "the condition at {policy}:{line} reads this key; fix the value in the request context"
        )
    )]
    InvalidContextValue {
        key: String,
        value: String,
        operator: String,
        expected: &'static str,
        policy: Arc<str>,
        line: u32,
    },
    #[error("context key `{key}` has several values, but a policy variable reads it")]
    #[diagnostic(
        code(greenlight::multi_valued_variable),
        help("policy variables can only read single-valued keys (IAM policy variables docs)")
    )]
    MultiValuedVariable { key: String },
}

/// The account field of an ARN (`None` when the text is not an ARN; empty for S3 ARNs).
pub fn arn_account(arn: &str) -> Option<&str> {
    pattern::split_arn(arn).map(|a| a[4])
}

/// Evaluates one request. See [`evaluate_into`] for the allocation-free form.
pub fn evaluate(set: &CompiledPolicySet, request: &Request) -> Result<Decision, EvalError> {
    let mut d = Decision::default();
    evaluate_into(set, request, &mut d)?;
    Ok(d)
}

/// Asks whether `principal` may perform `action` (typically `sts:AssumeRole`) on the role whose
/// trust policy is `trust`. Identity policies of an IAM caller may be added to `trust` (a
/// trust policy that names only the caller's account needs them; a cross-account caller
/// always does).
pub fn evaluate_trust(
    trust: &CompiledPolicySet,
    principal: Principal,
    action: &str,
    role_arn: &str,
    context: Context,
) -> Result<Decision, EvalError> {
    evaluate(
        trust,
        &Request {
            action: action.to_string(),
            resource: role_arn.to_string(),
            principal: Some(principal),
            resource_account: None,
            context,
        },
    )
}

#[derive(Default)]
struct Tally {
    deny: bool,
    allow: bool,
}

/// Evaluates one request into `out`, reusing its buffers: no allocation when no context key is
/// missing and `out` already has room for the matched statements.
pub fn evaluate_into(
    set: &CompiledPolicySet,
    req: &Request,
    out: &mut Decision,
) -> Result<(), EvalError> {
    out.matched.clear();
    out.missing_context_keys.clear();
    out.implicit_deny_reason = None;
    validate_request(req)?;
    let caller = req.principal.as_ref();
    if set.resource_policy.is_some() && caller.is_none() {
        return Err(EvalError::PrincipalRequired);
    }
    // SCPs, identity policies and boundaries apply to IAM principals (and to an unknown caller).
    let iam_caller = caller.is_none_or(Principal::is_iam);
    let is_root = matches!(
        caller,
        Some(Principal::Aws(AwsPrincipal {
            kind: AwsPrincipalKind::Root,
            ..
        }))
    );

    let mut identity = Tally::default();
    let mut boundary = Tally::default();
    let mut scp = Tally::default();
    let mut rcp_tally = Tally::default();
    let mut resource = Tally::default();
    let mut res_match: Option<PrincipalMatch> = None;

    // SCPs do not restrict service-linked roles ("SCPs don't affect service-linked roles",
    // <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html>),
    // as RCPs do not ([`rcp::applies`])
    let scp_caller = iam_caller && !caller.is_some_and(rcp::is_service_linked_role);
    // a caller with a permissions boundary: a `Deny` with `NotPrincipal` always applies to it
    let bounded = bounded_caller(set, caller);

    if iam_caller {
        for p in &set.identity {
            scan(p, req, out, &mut identity, None, bounded)?;
        }
    }
    if let Some(p) = &set.resource_policy {
        scan(p, req, out, &mut resource, Some(&mut res_match), bounded)?;
    }
    if iam_caller {
        if let Some(p) = &set.boundary {
            scan(p, req, out, &mut boundary, None, bounded)?;
        }
    }
    if scp_caller {
        for p in &set.scps {
            scan(p, req, out, &mut scp, None, bounded)?;
        }
    }
    if !set.rcps.is_empty() && rcp::applies(req) {
        for p in &set.rcps {
            scan(p, req, out, &mut rcp_tally, None, bounded)?;
        }
    }
    // Key names are case-insensitive: one entry per key, as first spelled after sorting.
    out.missing_context_keys.sort_unstable_by(|a, b| {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
            .then_with(|| a.cmp(b))
    });
    out.missing_context_keys
        .dedup_by(|a, b| a.eq_ignore_ascii_case(b));

    if identity.deny || boundary.deny || scp.deny || rcp_tally.deny || resource.deny {
        out.decision = Verdict::ExplicitDeny;
        out.matched.retain(|m| m.effect == Effect::Deny);
        return Ok(());
    }

    let scp_applies = scp_caller && !set.scps.is_empty();
    let boundary_applies = iam_caller && set.boundary.is_some() && !is_root;
    let boundary_ok = !boundary_applies || boundary.allow;
    let identity_ok = iam_caller && (identity.allow || is_root) && boundary_ok;

    let resource_account = req
        .resource_account
        .as_deref()
        .or_else(|| pattern::split_arn(&req.resource).map(|a| a[4]))
        .filter(|a| !a.is_empty());
    let cross_account = matches!(
        (caller.and_then(Principal::account), resource_account),
        (Some(c), Some(r)) if c != r
    );
    let trust = set
        .resource_policy
        .as_ref()
        .is_some_and(|p| p.policy_type == PolicyType::RoleTrust);
    let key_policy = set
        .resource_policy
        .as_ref()
        .is_some_and(|p| p.policy_type == PolicyType::Resource)
        && is_kms_action(&req.action);

    // Which policy types the allow rests on, for the matched-statement list.
    let mut use_identity = false;
    let mut use_resource = false;
    let mut use_boundary = false;
    let mut reason = None;
    let allowed = if scp_applies && !scp.allow {
        reason = Some(ImplicitDenyReason::ScpDoesNotAllow);
        false
    } else if !iam_caller {
        // Service, federated, canonical or anonymous callers: only the resource policy speaks.
        use_resource = true;
        if res_match.is_none() {
            reason = Some(if trust {
                ImplicitDenyReason::TrustPolicyDoesNotAllow
            } else {
                ImplicitDenyReason::NoAllow
            });
        }
        res_match.is_some()
    } else if cross_account {
        use_resource = true;
        use_identity = true;
        use_boundary = true;
        if res_match.is_none() {
            reason = Some(if trust {
                ImplicitDenyReason::TrustPolicyDoesNotAllow
            } else {
                ImplicitDenyReason::CrossAccountResourcePolicyDoesNotAllow
            });
            false
        } else if !identity_ok {
            reason = Some(if identity.allow && !boundary_ok {
                ImplicitDenyReason::BoundaryDoesNotAllow
            } else {
                ImplicitDenyReason::CrossAccountIdentityDoesNotAllow
            });
            false
        } else {
            true
        }
    } else {
        let by_resource = match res_match {
            Some(PrincipalMatch::Direct) => true,
            Some(PrincipalMatch::Role) => boundary_ok,
            // A grant to the account delegates to the account's identity policies.
            Some(PrincipalMatch::Account) | None => false,
        };
        if trust && res_match.is_none() {
            reason = Some(ImplicitDenyReason::TrustPolicyDoesNotAllow);
            false
        } else if key_policy && res_match.is_none() {
            reason = Some(ImplicitDenyReason::KeyPolicyDoesNotAllow);
            false
        } else if by_resource {
            use_resource = true;
            use_boundary = res_match == Some(PrincipalMatch::Role);
            true
        } else if identity_ok {
            use_identity = true;
            use_boundary = true;
            use_resource = res_match.is_some();
            true
        } else {
            reason = Some(
                if (identity.allow || res_match == Some(PrincipalMatch::Role)) && !boundary_ok {
                    ImplicitDenyReason::BoundaryDoesNotAllow
                } else {
                    ImplicitDenyReason::NoAllow
                },
            );
            false
        }
    };

    if allowed {
        out.decision = Verdict::Allowed;
        out.matched.retain(|m| {
            m.effect == Effect::Allow
                && match m.policy_type {
                    PolicyType::Identity => use_identity,
                    PolicyType::Resource | PolicyType::RoleTrust => use_resource,
                    PolicyType::PermissionsBoundary => use_boundary,
                    PolicyType::Scp => true,
                    // `RCPFullAWSAccess` lets the request through; an RCP's `Allow` decides
                    // nothing (see [`rcp`])
                    PolicyType::Rcp => false,
                }
        });
    } else {
        out.decision = Verdict::ImplicitDeny;
        out.matched.clear();
        out.implicit_deny_reason = reason.or(Some(ImplicitDenyReason::NoAllow));
    }
    Ok(())
}

/// Whether `action` is an AWS KMS action: its resource-based policy is then a KMS key policy,
/// which must allow the caller or the caller's account (see the module documentation).
pub fn is_kms_action(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(service, _)| service.eq_ignore_ascii_case("kms"))
}

fn validate_request(req: &Request) -> Result<(), EvalError> {
    let a = req.action.as_bytes();
    let mut colons = 0;
    let mut ok = !a.is_empty() && a[0] != b':' && a[a.len() - 1] != b':';
    for &b in a {
        match b {
            b':' => colons += 1,
            b'*' | b'?' => ok = false,
            _ if b.is_ascii_whitespace() || b.is_ascii_control() => ok = false,
            _ => {}
        }
    }
    if !ok || colons != 1 {
        return Err(EvalError::InvalidAction {
            action: req.action.clone(),
        });
    }
    if req.resource.is_empty() {
        return Err(EvalError::EmptyResource);
    }
    Ok(())
}

/// Evaluates every statement of one policy, recording matches in `out` and the tally.
fn scan(
    p: &CompiledPolicy,
    req: &Request,
    out: &mut Decision,
    tally: &mut Tally,
    mut res_match: Option<&mut Option<PrincipalMatch>>,
    bounded: bool,
) -> Result<(), EvalError> {
    let ctx = &req.context;
    for s in &p.statements {
        let Some(how) = target_matches(s, req, &mut out.missing_context_keys, bounded)? else {
            continue;
        };
        // Conditions: all must hold. Every one is evaluated so that missing keys are reported.
        let mut holds = true;
        for c in &s.conditions {
            if !ctx.contains_key(&c.key_lower) {
                out.missing_context_keys.push(c.key.to_string());
            }
            for (key, key_lower, has_default) in &c.var_keys {
                match ctx.get(key_lower) {
                    None if !has_default => out.missing_context_keys.push(key.to_string()),
                    None => {}
                    Some(v) if v.len() > 1 => {
                        return Err(EvalError::MultiValuedVariable {
                            key: key.to_string(),
                        });
                    }
                    Some(_) => {}
                }
            }
            match c.eval(ctx) {
                Ok(true) => {}
                Ok(false) => holds = false,
                Err((value, expected)) => {
                    return Err(EvalError::InvalidContextValue {
                        key: c.key.to_string(),
                        value,
                        operator: c.base.as_str().to_string(),
                        expected,
                        policy: p.name.clone(),
                        line: s.line,
                    });
                }
            }
        }
        if !holds {
            continue;
        }
        match s.effect {
            Effect::Deny => tally.deny = true,
            Effect::Allow => {
                tally.allow = true;
                if let Some(best) = res_match.as_deref_mut() {
                    *best = (*best).max(Some(how));
                }
            }
        }
        out.matched.push(MatchedStatement {
            policy: p.name.clone(),
            policy_type: p.policy_type,
            sid: s.sid.clone(),
            index: s.index,
            line: s.line,
            span: s.span,
            effect: s.effect,
        });
    }
    Ok(())
}

/// Whether the statement's action, principal and resource match the request (its conditions
/// aside): `Some(how the principal matched)` or `None`. Keys of policy variables in `Resource`
/// that the request lacks are added to `missing`.
#[inline]
/// Whether the caller has a permissions boundary: an IAM user or role (not the account root)
/// of a set that has one.
pub(crate) fn bounded_caller(set: &CompiledPolicySet, caller: Option<&Principal>) -> bool {
    set.boundary.is_some()
        && matches!(caller, Some(Principal::Aws(a)) if a.kind != AwsPrincipalKind::Root)
}

/// Whether the statement's `Action`, `Principal` and `Resource` take the request (conditions
/// aside), and how the principal matched. `bounded`: the caller has a permissions boundary.
fn target_matches(
    s: &CStatement,
    req: &Request,
    missing: &mut Vec<String>,
    bounded: bool,
) -> Result<Option<PrincipalMatch>, EvalError> {
    let ctx = &req.context;
    // Action / NotAction (case-insensitive).
    let action_hit = s
        .actions
        .iter()
        .any(|a| pattern::matches(a, &req.action, true, ctx));
    if action_hit == s.actions_negated {
        return Ok(None);
    }
    // Principal / NotPrincipal.
    let mut how = PrincipalMatch::Direct;
    if let Some((negated, entries)) = &s.principals {
        let Some(caller) = req.principal.as_ref() else {
            return Err(EvalError::PrincipalRequired);
        };
        if *negated {
            // "The NotPrincipal element with a Deny effect will always deny any IAM principal
            // that has a permissions boundary policy attached, regardless of the values
            // specified in the NotPrincipal element"
            // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>)
            let always = bounded && s.effect == Effect::Deny;
            if !always && !principal::not_principal_applies(entries, caller) {
                return Ok(None);
            }
        } else {
            match principal::match_principal(entries, caller) {
                Some(m) => how = m,
                None => return Ok(None),
            }
        }
    }
    // Resource / NotResource (ARN segment-wise, case-sensitive).
    if let Some((negated, items)) = &s.resources {
        let mut hit = false;
        for r in items {
            note_missing_vars(r.vars(), ctx, missing)?;
            if r.matches(&req.resource, ctx) {
                hit = true;
                break;
            }
        }
        if hit == *negated {
            return Ok(None);
        }
    }
    Ok(Some(how))
}

fn note_missing_vars(
    parts: &[Part],
    ctx: &Context,
    missing: &mut Vec<String>,
) -> Result<(), EvalError> {
    for p in parts {
        if let Part::Var {
            key,
            key_lower,
            default,
        } = p
        {
            match ctx.get(key_lower) {
                None if default.is_none() => missing.push(key.to_string()),
                Some(v) if v.len() > 1 => {
                    return Err(EvalError::MultiValuedVariable {
                        key: key.to_string(),
                    });
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy;

    fn pol(name: &str, text: &str) -> Policy {
        parse_policy(&Source::new(name, text)).unwrap()
    }

    fn req(action: &str, resource: &str, principal: Option<&str>) -> Request {
        Request {
            action: action.into(),
            resource: resource.into(),
            principal: principal.map(|p| Principal::parse(p).unwrap()),
            resource_account: None,
            context: Context::new(),
        }
    }

    /// An RCP's `Allow` decides nothing: `RCPFullAWSAccess` is always attached and cannot be
    /// detached, and only it may allow ("RCP syntax",
    /// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>;
    /// "RCP evaluation",
    /// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html>).
    /// Its `Deny` is an explicit deny, for an unknown caller too (`"Principal": "*"`).
    #[test]
    fn rcp_allow_decides_nothing_and_its_deny_denies() {
        let id = pol(
            "id.json",
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let rcp = pol(
            "rcp.json",
            r#"{"Statement":[
                {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},
                {"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"*"}]}"#,
        );
        let set = PolicySet {
            identity: vec![id],
            rcps: vec![rcp],
            ..Default::default()
        }
        .compile()
        .unwrap();
        let put = evaluate(&set, &req("s3:PutObject", "arn:aws:s3:::b/k", None)).unwrap();
        assert_eq!(put.decision, Verdict::Allowed);
        let get = evaluate(&set, &req("s3:GetObject", "arn:aws:s3:::b/k", None)).unwrap();
        assert_eq!(get.decision, Verdict::Allowed);
        assert!(get.matched.iter().all(|m| m.policy_type != PolicyType::Rcp));
        let del = evaluate(&set, &req("s3:DeleteObject", "arn:aws:s3:::b/k", None)).unwrap();
        assert_eq!(del.decision, Verdict::ExplicitDeny);
        assert_eq!(del.matched[0].policy_type, PolicyType::Rcp);
        assert_eq!(del.matched[0].sid.as_deref(), Some("NoDelete"));
        assert_eq!(PolicyType::Rcp.as_str(), "rcp");
    }

    #[test]
    fn explicit_deny_names_the_denying_statement() {
        let set = PolicySet {
            identity: vec![pol(
                "p.json",
                r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"s3:*","Resource":"*"},
                {"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}"#,
            )],
            ..Default::default()
        }
        .compile()
        .unwrap();
        let d = evaluate(&set, &req("S3:DeleteObject", "arn:aws:s3:::b/k", None)).unwrap();
        assert_eq!(d.decision, Verdict::ExplicitDeny);
        assert_eq!(d.matched.len(), 1);
        assert_eq!(d.matched[0].sid.as_deref(), Some("NoDelete"));
        assert_eq!(d.matched[0].line, 3);
        let d = evaluate(&set, &req("s3:GetObject", "arn:aws:s3:::b/k", None)).unwrap();
        assert_eq!(d.decision, Verdict::Allowed);
        assert_eq!(d.matched[0].index, 0);
    }

    #[test]
    fn trust_policy_for_a_service_principal() {
        let trust = pol(
            "trust.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        );
        let set = PolicySet::role_trust(trust).compile().unwrap();
        let role = "arn:aws:iam::111122223333:role/ecsCodeDeployRole";
        let ok = evaluate_trust(
            &set,
            Principal::parse("codedeploy.amazonaws.com").unwrap(),
            "sts:AssumeRole",
            role,
            Context::new(),
        )
        .unwrap();
        assert_eq!(ok.decision, Verdict::Allowed);
        let no = evaluate_trust(
            &set,
            Principal::parse("ecs.amazonaws.com").unwrap(),
            "sts:AssumeRole",
            role,
            Context::new(),
        )
        .unwrap();
        assert_eq!(no.decision, Verdict::ImplicitDeny);
        assert_eq!(
            no.implicit_deny_reason,
            Some(ImplicitDenyReason::TrustPolicyDoesNotAllow)
        );
    }

    /// KMS: "Unless the key policy explicitly allows it, you cannot use IAM policies to allow
    /// access to a KMS key" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html);
    /// the key policy statement naming the account root is what lets IAM policies grant
    /// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
    #[test]
    fn kms_key_policy_must_allow_the_caller_or_its_account() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/abc";
        let dev = "arn:aws:iam::111122223333:role/Dev";
        let admin_only = pol(
            "key.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":"kms:*","Resource":"*"}]}"#,
        );
        let with_root = pol(
            "key.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#,
        );
        let all = pol(
            "id.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let set = |key_policy: &Policy, identity: Vec<Policy>| {
            PolicySet {
                identity,
                resource_policy: Some(key_policy.clone()),
                ..Default::default()
            }
            .compile()
            .unwrap()
        };
        // the key policy names neither Dev nor its account: the identity policy cannot allow
        let d = evaluate(
            &set(&admin_only, vec![all.clone()]),
            &req("kms:Decrypt", key, Some(dev)),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::ImplicitDeny);
        assert_eq!(
            d.implicit_deny_reason,
            Some(ImplicitDenyReason::KeyPolicyDoesNotAllow)
        );
        // nor the account root itself
        let root = "arn:aws:iam::111122223333:root";
        let d = evaluate(
            &set(&admin_only, vec![]),
            &req("kms:Decrypt", key, Some(root)),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::ImplicitDeny);
        // naming the account delegates to the identity policies: they must allow
        let d = evaluate(
            &set(&with_root, vec![all.clone()]),
            &req("kms:Decrypt", key, Some(dev)),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::Allowed);
        let d = evaluate(
            &set(&with_root, vec![]),
            &req("kms:Decrypt", key, Some(dev)),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::ImplicitDeny);
        // naming the principal grants on its own, without an identity policy
        let d = evaluate(
            &set(&admin_only, vec![]),
            &req(
                "kms:Decrypt",
                key,
                Some("arn:aws:sts::111122223333:assumed-role/Admin/s"),
            ),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::Allowed);
        // other services' resource policies still let identity policies allow alone
        let d = evaluate(
            &set(&admin_only, vec![all]),
            &req("s3:GetObject", "arn:aws:s3:::b/k", Some(dev)),
        )
        .unwrap();
        assert_eq!(d.decision, Verdict::Allowed);
    }

    #[test]
    fn typed_values_are_compile_errors() {
        let p = pol(
            "n.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}]}"#,
        );
        let e = CompiledPolicy::compile(&p, PolicyType::Identity).unwrap_err();
        assert_eq!(e.code, "invalid-condition-value");
        assert_eq!(e.line_col().line, 2);
    }
}
