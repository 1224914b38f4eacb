//! Many principals against one profile: the profile's requests are made concrete once (per
//! set of resolved parameters), and each principal is given as already compiled policies, so
//! a policy shared by many principals (a managed policy, a group's policy) is compiled once.
//!
//! Only the decisions are computed (no matched statements): this is what an account scan
//! needs. Every decision is the one [`super::check_resolved`] gives for the same policies and
//! parameters; whenever that function would return an error, [`PreparedProfile::new`] or
//! [`PreparedProfile::decide`] returns `None`, and the caller takes the full path to get the
//! error itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::blocked::{self, Blocked};
use super::{Decision, base_context, expand_requests};
use crate::eval::{self, CompiledPolicy, CompiledPolicySet, Context, Principal, Request, Verdict};
use crate::profiles::{Profile, ResolvedParams};

/// The principal-ARN context key every identity request carries.
const PRINCIPAL_ARN: &str = "aws:PrincipalArn";

/// One concrete request of the profile.
struct PreparedRequest {
    action: String,
    resource: String,
    /// Index into [`PreparedProfile::contexts`].
    context: usize,
}

/// The trust requirement, made concrete.
struct PreparedTrust {
    service: String,
    action: String,
    role: String,
    context: Context,
}

/// A profile's requests for one set of resolved parameters.
pub struct PreparedProfile {
    requests: Vec<PreparedRequest>,
    /// The distinct request contexts, without `aws:PrincipalArn` (added per principal).
    contexts: Vec<Context>,
    trust: Option<PreparedTrust>,
    /// The account the profile's resources are in, when known
    /// ([`super::engine::known_account`]).
    account: Option<String>,
}

/// The decisions for one principal, in the profile's request order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decisions {
    pub requirements: Vec<Decision>,
    /// What blocked each requirement (`None` when allowed), in the same order.
    pub blocked: Vec<Option<Blocked>>,
    /// `None` for user profiles and when no trust policy was given.
    pub trust: Option<Decision>,
    /// What blocked the trust requirement.
    pub trust_blocked: Option<Blocked>,
    /// Each allowed requirement whose decision skipped a condition on a key AWS always
    /// sends, in words ([`super::unproven_allow`]).
    pub unproven: Vec<String>,
}

impl PreparedProfile {
    /// Prepares `profile` with `params`. `None` when checking any principal would fail on the
    /// profile itself (a template or catalog error), or when a requirement's context sets
    /// `aws:PrincipalArn` itself; callers then check each principal with
    /// [`super::check_resolved`].
    pub fn new(profile: &Profile, params: &ResolvedParams) -> Option<Self> {
        let requests = profile.requests(params).ok()?;
        let expanded = expand_requests(profile, &requests).ok()?;
        // The context of every request: the base keys (without the principal's ARN) overridden
        // by the requirement's own, exactly as `check_resolved` builds it.
        let base = base_context(params, None);
        let mut contexts: Vec<BTreeMap<String, Vec<String>>> = Vec::new();
        let mut out = Vec::with_capacity(expanded.len());
        for req in expanded {
            if req
                .context
                .keys()
                .any(|k| k.eq_ignore_ascii_case(PRINCIPAL_ARN))
            {
                return None;
            }
            let mut context = base.clone();
            for (k, v) in &req.context {
                context.insert(k.clone(), v.clone());
            }
            super::with_global_region(&mut context, &req.action, params, &BTreeMap::new());
            // the keys that follow from the request's resource (`ecs:cluster`, ...), as
            // `check_resolved` adds them ([`super::engine::with_resource_keys`])
            for (k, v) in super::engine::resource_keys(&req.action, &req.resource) {
                if !context.keys().any(|x| x.eq_ignore_ascii_case(k)) {
                    context.insert(k.to_string(), vec![v]);
                }
            }
            let index = match contexts.iter().position(|c| *c == context) {
                Some(i) => i,
                None => {
                    contexts.push(context);
                    contexts.len() - 1
                }
            };
            out.push(PreparedRequest {
                action: req.action,
                resource: req.resource,
                context: index,
            });
        }
        let trust = profile.trust_request(params).ok()?.map(|t| PreparedTrust {
            service: t.service,
            action: t.action,
            role: t.role,
            context: super::engine::to_context(&t.context),
        });
        Some(PreparedProfile {
            requests: out,
            contexts: contexts.iter().map(super::engine::to_context).collect(),
            trust,
            account: super::engine::known_account(params).map(str::to_string),
        })
    }

    /// The concrete actions, in request order (what [`Decisions::requirements`] decide).
    pub fn actions(&self) -> impl Iterator<Item = &str> {
        self.requests.iter().map(|r| r.action.as_str())
    }

    /// Whether `policy`, as the role's trust policy, is open to callers outside named accounts
    /// ([`super::trust::open`], as `check` decides it); `true` also when that cannot be
    /// decided, so that the caller takes the full path, which reports it.
    pub fn trust_open(&self, policy: &crate::model::Policy) -> bool {
        let Some(t) = &self.trust else {
            return false;
        };
        let partition = t.role.split(':').nth(1).unwrap_or("aws");
        super::trust::open(policy, &t.role, partition).map_or(true, |v| !v.is_empty())
    }

    /// The trust requirement's action, for role profiles.
    pub fn trust_action(&self) -> Option<&str> {
        self.trust.as_ref().map(|t| t.action.as_str())
    }

    /// Decides every request for the principal `arn` with its compiled identity policies,
    /// boundary and SCPs (`set`), and the trust requirement against `trust` (a compiled
    /// [`eval::PolicyType::RoleTrust`] policy) when given. `identity_names` name every identity
    /// policy of the principal (for the sentence that says no identity statement allows a
    /// request). `None` when the engine cannot decide a request.
    pub fn decide(
        &self,
        set: &CompiledPolicySet,
        (arn, unique_id): (&str, Option<&str>),
        trust: Option<&Arc<CompiledPolicy>>,
        identity_names: &[&str],
    ) -> Option<Decisions> {
        let principal = Principal::parse(arn).ok();
        // a role's temporary credentials carry `aws:MultiFactorAuthPresent` (as
        // [`super::check_resolved_with`] gives it)
        let role = arn.contains(":role/") || arn.contains(":assumed-role/");
        let mut requests: Vec<Request> = self
            .contexts
            .iter()
            .map(|c| {
                let mut context = c.clone();
                context.set(PRINCIPAL_ARN, vec![arn.to_string()]);
                if role && !context.contains_key(super::MFA_PRESENT) {
                    context.set(super::MFA_PRESENT, vec!["false".to_string()]);
                }
                if let Some(id) = unique_id
                    && !context.contains_key(super::USERID)
                {
                    context.set(super::USERID, vec![super::userid_of(id, role)]);
                }
                let context = super::engine::with_request_keys(context, principal.as_ref());
                Request {
                    action: String::new(),
                    resource: String::new(),
                    principal: principal.clone(),
                    resource_account: None,
                    context,
                }
            })
            .collect();
        let mut d = eval::Decision::default();
        let mut requirements = Vec::with_capacity(self.requests.len());
        let mut unproven = Vec::new();
        let mut blocked_list = Vec::with_capacity(self.requests.len());
        for r in &self.requests {
            let request = requests.get_mut(r.context)?;
            request.action.clear();
            request.action.push_str(&r.action);
            request.resource.clear();
            request.resource.push_str(&r.resource);
            // `aws:ResourceAccount` follows the resource (the contexts are shared by requests)
            if !self.contexts[r.context].contains_key(super::engine::RESOURCE_ACCOUNT) {
                match super::engine::resource_account_for(
                    &r.action,
                    &r.resource,
                    self.account.as_deref(),
                ) {
                    Some(a) => request
                        .context
                        .set(super::engine::RESOURCE_ACCOUNT, vec![a.to_string()]),
                    None => {
                        request.context.remove(super::engine::RESOURCE_ACCOUNT);
                    }
                }
            }
            eval::evaluate_into(set, request, &mut d).ok()?;
            // an allow that skipped a key AWS always sends is asked again over the key's
            // values by the full check ([`super::engine::Compiled::refused_whatever_sent`])
            if d.decision.is_allowed() && !super::always_sent(&d.missing_context_keys).is_empty() {
                return None;
            }
            if d.decision.is_allowed()
                && let Some(line) =
                    super::unproven_allow(&r.action, &r.resource, &d.missing_context_keys)
            {
                unproven.push(line);
            }
            requirements.push(decision(d.decision));
            // The explaining path runs only for requests that are not allowed.
            blocked_list.push(blocked::explain(set, request, &d, identity_names).ok()?);
        }
        let mut trust_blocked = None;
        let trust = match (trust, &self.trust) {
            (Some(policy), Some(t)) => {
                let set = CompiledPolicySet {
                    resource_policy: Some(policy.clone()),
                    ..CompiledPolicySet::default()
                };
                let caller = Principal::Service(t.service.clone());
                let context = super::engine::with_request_keys(t.context.clone(), Some(&caller));
                let request = Request {
                    action: t.action.clone(),
                    resource: t.role.clone(),
                    principal: Some(caller),
                    resource_account: None,
                    context,
                };
                eval::evaluate_into(&set, &request, &mut d).ok()?;
                trust_blocked = blocked::explain(&set, &request, &d, &[]).ok()?;
                Some(decision(d.decision))
            }
            _ => None,
        };
        Some(Decisions {
            requirements,
            blocked: blocked_list,
            trust,
            trust_blocked,
            unproven,
        })
    }
}

fn decision(v: Verdict) -> Decision {
    match v {
        Verdict::Allowed => Decision::Allowed,
        Verdict::ImplicitDeny => Decision::ImplicitDeny,
        Verdict::ExplicitDeny => Decision::ExplicitDeny,
    }
}
