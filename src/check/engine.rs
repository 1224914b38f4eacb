//! The bridge to the evaluation engine: the principal's policies are compiled once, then every
//! request of a profile is evaluated against them.

use std::collections::BTreeMap;

use super::blocked::{self, Blocked};
use super::{CheckError, Decision, MatchedStatement, PrincipalPolicies};
use crate::eval::{self, CompiledPolicySet, Context, PolicySet, Principal, Request, Verdict};
use crate::model::Policy;

/// What the engine decided for one request.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub decision: Decision,
    pub matched: Vec<MatchedStatement>,
    pub missing_context: Vec<String>,
    /// What blocked it; `None` when allowed.
    pub blocked: Option<Blocked>,
}

/// A principal's identity policies, boundary and SCPs, compiled.
pub struct Compiled<'a> {
    set: CompiledPolicySet,
    policies: Vec<&'a Policy>,
    principal: Option<Principal>,
    /// The account the profile's resources are in, when known ([`known_account`]).
    account: Option<String>,
}

impl<'a> Compiled<'a> {
    pub fn new(p: &'a PrincipalPolicies) -> Result<Self, CheckError> {
        let set = PolicySet {
            identity: p.identity.clone(),
            boundary: p.boundary.clone(),
            scps: p.scps.clone(),
            rcps: p.rcps.clone(),
            ..PolicySet::default()
        }
        .compile()
        .map_err(Box::new)?;
        let mut policies: Vec<&Policy> = p.identity.iter().collect();
        policies.extend(p.boundary.iter());
        policies.extend(p.scps.iter());
        policies.extend(p.rcps.iter());
        let principal = p.arn.as_deref().and_then(|a| Principal::parse(a).ok());
        Ok(Compiled {
            set,
            policies,
            principal,
            account: None,
        })
    }

    /// The account the profile's resources are in, when known: `aws:ResourceAccount` of a
    /// request whose resource ARN names no account ([`with_resource_account`]).
    #[must_use]
    pub fn with_account(mut self, account: Option<&str>) -> Self {
        self.account = account.map(str::to_string);
        self
    }

    /// The request context of `action` on `resource`: the requirement's `context`, the keys
    /// AWS always sends ([`with_request_keys`]) and `aws:ResourceAccount`
    /// ([`with_resource_account`]).
    fn request_context(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> Context {
        with_resource_keys(
            with_resource_account(
                with_request_keys(to_context(context), self.principal.as_ref()),
                action,
                resource,
                self.account.as_deref(),
            ),
            action,
            resource,
        )
    }

    /// Evaluates `action` on `resource` with `context`.
    pub fn evaluate(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> Result<Outcome, CheckError> {
        let request = Request {
            action: action.to_string(),
            resource: resource.to_string(),
            principal: self.principal.clone(),
            resource_account: None,
            context: self.request_context(action, resource, context),
        };
        let engine = |e: eval::EvalError| CheckError::Engine {
            action: action.to_string(),
            resource: resource.to_string(),
            message: e.to_string(),
        };
        let d = eval::evaluate(&self.set, &request).map_err(engine)?;
        let names: Vec<&str> = self.set.identity.iter().map(|p| &*p.name).collect();
        let blocked = blocked::explain(&self.set, &request, &d, &names).map_err(engine)?;
        Ok(outcome(d, &self.policies, blocked))
    }
}

impl Compiled<'_> {
    /// For an allowed request whose decision skipped conditions on `keys`, keys AWS sends with
    /// every request ([`super::ALWAYS_SENT`]): the request asked again with each key present,
    /// over the values the principal's conditions on it name (wildcards filled in) and a value
    /// none names. When every combination is refused, the first refusal: whatever value AWS
    /// sends, the request is denied (red team 49: a `Deny` on `StringLike aws:PrincipalArn
    /// "*"` read as allowed because the request had no `aws:PrincipalArn`). `None` when some
    /// combination is allowed (the report's note says the allow is not proven), or there are
    /// more than 4,096 combinations.
    pub fn refused_whatever_sent(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
        keys: &[String],
    ) -> Result<Option<Outcome>, CheckError> {
        // (the principal's type: given, or following from its ARN)
        let inferred = with_request_keys(to_context(context), self.principal.as_ref());
        let kind = inferred
            .get("aws:PrincipalType")
            .and_then(|v| v.first().cloned())
            .unwrap_or_default();
        let account = inferred
            .get("aws:PrincipalAccount")
            .and_then(|v| v.first().cloned())
            .unwrap_or_else(|| "999999999999".to_string());
        let per_key: Vec<(String, Vec<String>)> = keys
            .iter()
            .map(|k| (k.clone(), self.values_of(k, &kind, &account)))
            .collect();
        let total: usize = per_key
            .iter()
            .map(|(_, v)| v.len().max(1))
            .try_fold(1usize, |a, n| a.checked_mul(n))
            .unwrap_or(usize::MAX);
        if per_key.is_empty() || total > 4096 {
            return Ok(None);
        }
        let mut first: Option<Outcome> = None;
        let mut idx = vec![0usize; per_key.len()];
        loop {
            let mut ctx = context.clone();
            for ((k, values), &i) in per_key.iter().zip(&idx) {
                ctx.retain(|x, _| !x.eq_ignore_ascii_case(k));
                ctx.insert(k.clone(), vec![values[i].clone()]);
            }
            let out = self.evaluate(action, resource, &ctx)?;
            if out.decision == Decision::Allowed {
                return Ok(None);
            }
            first.get_or_insert(out);
            // next combination (mixed radix)
            let mut d = 0;
            loop {
                if d == idx.len() {
                    return Ok(first);
                }
                idx[d] += 1;
                if idx[d] < per_key[d].1.len() {
                    break;
                }
                idx[d] = 0;
                d += 1;
            }
        }
    }

    /// The values to try for the condition key `key` ([`Self::refused_whatever_sent`]): each
    /// value a condition of the principal's policies compares it with (`*` and `?` filled in;
    /// a CIDR's address), `true` and `false` for a `Bool` operator, and one value no
    /// condition names, of the key's kind.
    fn values_of(&self, key: &str, principal_type: &str, account: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |v: String| {
            if !out.contains(&v) {
                out.push(v);
            }
        };
        let lower = key.to_ascii_lowercase();
        // (a session's token is issued shortly before its requests: the boundaries the
        // conditions name are no values a live session has; red team 50)
        let from_conditions = lower != "aws:tokenissuetime";
        for p in self.policies.iter().filter(|_| from_conditions) {
            for s in &p.statements {
                for c in s
                    .conditions
                    .iter()
                    .filter(|c| c.key.eq_ignore_ascii_case(key))
                {
                    let op = c.op.base;
                    use crate::model::OpBase::*;
                    match op {
                        Null => {}
                        Bool => {
                            push("true".into());
                            push("false".into());
                        }
                        IpAddress | NotIpAddress => {
                            for v in &c.values {
                                push(v.text.split('/').next().unwrap_or(&v.text).to_string());
                            }
                        }
                        DateEquals
                        | DateNotEquals
                        | DateLessThan
                        | DateLessThanEquals
                        | DateGreaterThan
                        | DateGreaterThanEquals => {
                            for v in &c.values {
                                push(v.text.clone());
                                for d in [-1i128, 1] {
                                    if let Some(t) = shifted_date(&v.text, d) {
                                        push(t);
                                    }
                                }
                            }
                        }
                        NumericEquals
                        | NumericNotEquals
                        | NumericLessThan
                        | NumericLessThanEquals
                        | NumericGreaterThan
                        | NumericGreaterThanEquals => {
                            for v in &c.values {
                                push(v.text.clone());
                                if let Ok(n) = v.text.trim().parse::<f64>() {
                                    push(format!("{}", n - 1.0));
                                    push(format!("{}", n + 1.0));
                                }
                            }
                        }
                        _ => {
                            for v in &c.values {
                                push(v.text.replace(['*', '?'], "x"));
                                push(v.text.clone());
                            }
                        }
                    }
                }
            }
        }
        let fresh: Vec<String> = match lower.as_str() {
            "aws:sourceip" => vec!["203.0.113.9".into()],
            "aws:securetransport" | "aws:multifactorauthpresent" => vec!["false".into()],
            "aws:principalaccount" => vec!["999999999999".into()],
            "aws:tokenissuetime" => {
                // (a session's token is issued at most 12 hours before the request)
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                vec![now.to_string(), now.saturating_sub(12 * 3600).to_string()]
            }
            // (of the principal's type and account)
            "aws:principalarn" => vec![match principal_type {
                "User" => format!("arn:aws:iam::{account}:user/greenlight-example"),
                _ => format!("arn:aws:iam::{account}:role/greenlight-example"),
            }],
            // (an organization's ID is `o-` and 10 to 32 letters or digits; a user's
            // unique ID starts `AIDA`, a role session's `AROA...:session`: IAM
            // identifiers, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids>)
            "aws:principalorgid" => vec!["o-greenlight01".into()],
            "aws:userid" if principal_type == "User" => vec!["AIDAGREENLIGHTEXAMPLE".into()],
            "aws:userid" if principal_type == "AssumedRole" => {
                vec!["AROAGREENLIGHTEXAMPLE:greenlight-session".into()]
            }
            _ => vec!["greenlight-example".into()],
        };
        for f in fresh {
            push(f);
        }
        if matches!(
            lower.as_str(),
            "aws:securetransport" | "aws:multifactorauthpresent"
        ) {
            push("true".into());
        }
        // (a caller may come over IPv6: `0.0.0.0/0` is not every address)
        if lower == "aws:sourceip" {
            push("2001:db8::1".into());
        }
        out
    }

    /// For an allowed request whose allowing statements in some policy layer (identity
    /// policies, boundary, SCPs) all have conditions that the request's context meets, the
    /// contexts that allow it in a reviewer's words: "only when `aws:MultiFactorAuthPresent`
    /// is `true`". `None` when the request is allowed whatever its context (or is not
    /// allowed), and whenever the words would not be exact.
    ///
    /// The claim is decided over every value of the keys it names, not only the request's:
    /// each key's classes (absent, and one value per class of values the conditions of the
    /// principal's policies on it tell apart, [`crate::analysis::keys::classes`]) are tried,
    /// the other keys kept as the request has them. The words are stated only when the
    /// request is allowed exactly under the contexts they describe, and denied with the keys
    /// absent: the conditions of one allowing statement, or, when Allow statements are a
    /// union of several (red team 72: `iam:PassedToService` `codedeploy.amazonaws.com` in
    /// one statement, `ec2.amazonaws.com` in another on `*`, read as "only when ... is
    /// `codedeploy.amazonaws.com`"), the conditions of each statement that allows some
    /// value ("is one of `codedeploy.amazonaws.com`, `ec2.amazonaws.com`"). Otherwise (a
    /// `Deny` carving values out of an allow, a key compared with a policy variable, more
    /// than [`ONLY_WHEN_COMBINATIONS`] combinations) no words.
    pub fn only_when(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
        matched: &[MatchedStatement],
    ) -> Result<Option<String>, CheckError> {
        // Cheap test first: when an allowing statement has no condition, the request is
        // allowed whatever its context in that statement's layer. Only conditioned allows
        // need the trace (the slow, explaining path).
        let conditioned = matched
            .iter()
            .filter(|m| m.effect == crate::model::Effect::Allow)
            .any(|m| {
                self.policies
                    .iter()
                    .find(|p| p.source.name.as_ref() == m.policy.as_str())
                    .and_then(|p| p.statements.get(m.index))
                    .is_none_or(|st| !st.conditions.is_empty())
            });
        if !conditioned {
            return Ok(None);
        }
        let engine = |e: eval::EvalError| CheckError::Engine {
            action: action.to_string(),
            resource: resource.to_string(),
            message: e.to_string(),
        };
        let request = Request {
            action: action.to_string(),
            resource: resource.to_string(),
            principal: self.principal.clone(),
            resource_account: None,
            context: self.request_context(action, resource, context),
        };
        let traces = eval::trace(&self.set, &request).map_err(engine)?;
        let mut layers: Vec<eval::PolicyType> = Vec::new();
        for t in &traces {
            if !layers.contains(&t.statement.policy_type) {
                layers.push(t.statement.policy_type);
            }
        }
        for layer in layers {
            let allows: Vec<&eval::StatementTrace> = traces
                .iter()
                .filter(|t| {
                    t.applies
                        && t.statement.effect == crate::model::Effect::Allow
                        && t.statement.policy_type == layer
                })
                .collect();
            if allows.is_empty() || allows.iter().any(|t| t.conditions.is_empty()) {
                continue;
            }
            // the keys of each allowing statement's conditions, in turn
            let mut tried: Vec<Vec<String>> = Vec::new();
            for first in &allows {
                let keys = keys_of(&[*first]);
                if tried.contains(&keys) {
                    continue;
                }
                tried.push(keys.clone());
                let Some(rows) = self.key_space(action, resource, context, &keys, layer) else {
                    continue;
                };
                // denied without the keys (an `...IfExists` condition met by their absence
                // restricts nothing a reviewer asks about)
                if rows.iter().any(|r| r.absent && r.allowed) {
                    continue;
                }
                let exact = |ids: &[StatementId]| {
                    rows.iter()
                        .all(|r| r.allowed == r.applying.iter().any(|a| ids.contains(a)))
                };
                // one statement's conditions
                for s in &allows {
                    if keys_of(&[*s]).iter().all(|k| keys.contains(k)) && exact(&[id_of(s)]) {
                        return Ok(Some(format!("only when {}", conjunction(s))));
                    }
                }
                // the union of the statements that allow some combination
                let mut union: Vec<StatementId> = Vec::new();
                for r in rows.iter().filter(|r| r.allowed) {
                    for a in &r.applying {
                        if !union.contains(a) {
                            union.push(a.clone());
                        }
                    }
                }
                let parts: Vec<&eval::StatementTrace> = traces
                    .iter()
                    .filter(|t| {
                        t.statement.policy_type == layer
                            && t.statement.effect == crate::model::Effect::Allow
                            && union.contains(&id_of(t))
                    })
                    .collect();
                if parts.len() == union.len()
                    && parts.iter().all(|t| !t.conditions.is_empty())
                    && keys_of(&parts).iter().all(|k| keys.contains(k))
                    && exact(&union)
                {
                    return Ok(Some(format!("only when {}", disjunction(&parts))));
                }
            }
        }
        Ok(None)
    }

    /// The request asked with each combination of the classes of `keys` (the other keys as
    /// in `context`): whether it is allowed, and which `Allow` statements of `layer` apply.
    /// `None` when a key's classes are not decided exactly (a policy variable reads the key,
    /// a value the evaluator cannot read), or there are more than
    /// [`ONLY_WHEN_COMBINATIONS`].
    fn key_space(
        &self,
        action: &str,
        resource: &str,
        context: &BTreeMap<String, Vec<String>>,
        keys: &[String],
        layer: eval::PolicyType,
    ) -> Option<Vec<KeyRow>> {
        let per_key: Vec<Vec<crate::analysis::keys::KeyClass>> = keys
            .iter()
            .map(|k| self.key_classes(k, context))
            .collect::<Option<_>>()?;
        let total = per_key
            .iter()
            .try_fold(1usize, |a, c| a.checked_mul(c.len().max(1)))?;
        if keys.is_empty() || total > ONLY_WHEN_COMBINATIONS {
            return None;
        }
        let mut rows = Vec::with_capacity(total);
        let mut idx = vec![0usize; keys.len()];
        loop {
            let mut ctx = context.clone();
            let mut absent = true;
            for ((k, classes), &i) in keys.iter().zip(&per_key).zip(&idx) {
                ctx.retain(|x, _| !x.eq_ignore_ascii_case(k));
                if let Some(v) = &classes[i] {
                    ctx.insert(k.clone(), v.clone());
                    absent = false;
                }
            }
            let req = Request {
                action: action.to_string(),
                resource: resource.to_string(),
                principal: self.principal.clone(),
                resource_account: None,
                context: self.request_context(action, resource, &ctx),
            };
            let allowed = eval::evaluate(&self.set, &req).ok()?.decision.is_allowed();
            let applying = eval::trace(&self.set, &req)
                .ok()?
                .iter()
                .filter(|t| {
                    t.applies
                        && t.statement.effect == crate::model::Effect::Allow
                        && t.statement.policy_type == layer
                })
                .map(id_of)
                .collect();
            rows.push(KeyRow {
                absent,
                allowed,
                applying,
            });
            // next combination (mixed radix)
            let mut d = 0;
            loop {
                if d == idx.len() {
                    return Some(rows);
                }
                idx[d] += 1;
                if idx[d] < per_key[d].len() {
                    break;
                }
                idx[d] = 0;
                d += 1;
            }
        }
    }

    /// The classes of `key` over the conditions of every policy of the principal
    /// ([`crate::analysis::keys::classes`]), the request's own value among the witnesses.
    /// `None` when a policy reads the key as a policy variable (`${key}` in a resource or a
    /// condition value: its values then decide more than these conditions), or the classes
    /// are not decided exactly.
    fn key_classes(
        &self,
        key: &str,
        context: &BTreeMap<String, Vec<String>>,
    ) -> Option<Vec<crate::analysis::keys::KeyClass>> {
        use crate::analysis::keys;
        let lower = key.to_ascii_lowercase();
        let variable = format!("${{{lower}");
        let mut uses: Vec<keys::KeyUse<'_>> = Vec::new();
        for p in &self.policies {
            if p.source.text.to_ascii_lowercase().contains(&variable) {
                return None;
            }
            let variables = p.variables_enabled();
            for s in &p.statements {
                for c in s.conditions.iter().filter(|c| c.key_lower == lower) {
                    uses.push(keys::KeyUse { cond: c, variables });
                }
            }
        }
        let own: Vec<String> = context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        keys::classes(&uses, &own, None, &keys::VarValues::new()).ok()
    }
}

/// The most combinations of key classes [`Compiled::only_when`] asks about one layer's
/// conditions (each is one evaluation and one trace).
const ONLY_WHEN_COMBINATIONS: usize = 256;

/// A statement of the principal's policies: its policy's name and its position.
type StatementId = (std::sync::Arc<str>, usize);

fn id_of(t: &eval::StatementTrace) -> StatementId {
    (t.statement.policy.clone(), t.statement.index)
}

/// One combination of key classes ([`Compiled::key_space`]).
struct KeyRow {
    /// Every key is absent.
    absent: bool,
    allowed: bool,
    /// The `Allow` statements of the layer that apply.
    applying: Vec<StatementId>,
}

/// The condition keys of `statements`, lower-cased, sorted, once each.
fn keys_of(statements: &[&eval::StatementTrace]) -> Vec<String> {
    let mut keys: Vec<String> = statements
        .iter()
        .flat_map(|t| t.conditions.iter().map(|c| c.key.to_ascii_lowercase()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A statement's conditions in words, joined by "and".
fn conjunction(t: &eval::StatementTrace) -> String {
    t.conditions
        .iter()
        .map(super::words::requires)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Several statements' conditions in words, any of which allows: one condition each on one
/// key with one operator that any of its values meets (`StringEquals`, `StringLike`, ...)
/// reads as that condition with every value ("`iam:PassedToService` is one of `a`, `b`");
/// otherwise each statement's conditions, joined by "or" (in parentheses when several).
fn disjunction(parts: &[&eval::StatementTrace]) -> String {
    use crate::model::{OpBase, Operator};
    let first = &parts[0].conditions[0];
    let merges = parts.iter().all(|t| {
        t.conditions.len() == 1
            && t.conditions[0].key.eq_ignore_ascii_case(&first.key)
            && t.conditions[0].operator == first.operator
    }) && Operator::parse(&first.operator).is_some_and(|op| {
        op.qualifier.is_none()
            && !op.if_exists
            && matches!(
                op.base,
                OpBase::StringEquals
                    | OpBase::StringEqualsIgnoreCase
                    | OpBase::StringLike
                    | OpBase::ArnEquals
                    | OpBase::ArnLike
                    | OpBase::NumericEquals
                    | OpBase::DateEquals
                    | OpBase::BinaryEquals
                    | OpBase::IpAddress
            )
    });
    if merges {
        let mut merged = first.clone();
        merged.values.clear();
        for t in parts {
            for v in &t.conditions[0].values {
                if !merged.values.contains(v) {
                    merged.values.push(v.clone());
                }
            }
        }
        return super::words::requires(&merged);
    }
    parts
        .iter()
        .map(|t| {
            if t.conditions.len() > 1 {
                format!("({})", conjunction(t))
            } else {
                conjunction(t)
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A date text moved by `seconds` (ISO 8601 or epoch seconds, as the condition wrote it),
/// as epoch seconds; `None` when it is not a date (or before 1970).
fn shifted_date(text: &str, seconds: i128) -> Option<String> {
    let ns = crate::eval::parse_date_text(text)?;
    // (as epoch seconds, which the evaluator reads as a date too)
    let secs = (ns + seconds * 1_000_000_000).div_euclid(1_000_000_000);
    (secs >= 0).then(|| secs.to_string())
}

/// The keys AWS puts in every request that a requirement's context leaves out: the time of
/// the request (`aws:CurrentTime`, `aws:EpochTime`: now, as epoch seconds),
/// `aws:ViaAWSService` (`false`, or `true` when the context names `aws:CalledVia`) and, for a known
/// caller, the keys that follow from it (`aws:PrincipalType`, `aws:username`,
/// `aws:PrincipalIsAWSService`, ...: [`eval::infer_context`]). Global condition keys docs:
/// these are "always included in the request context". Without them a `Deny` conditioned on
/// them would be skipped, and a requirement it denies read as allowed. A key the context gives
/// (`check --context`) is kept.
pub(super) fn with_request_keys(mut ctx: Context, principal: Option<&Principal>) -> Context {
    if let Some(p) = principal {
        eval::infer_context(p, &mut ctx);
    }
    // `aws:ViaAWSService` is always in the request context: `true` only when a service calls
    // with the principal's credentials (forward access sessions, which `aws:CalledVia` names);
    // `false` when the principal calls directly and when a service calls with a service role,
    // as every request of a profile is made
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice>)
    if !ctx.contains_key(VIA_AWS_SERVICE) {
        let via = ctx.contains_key("aws:CalledVia");
        ctx.insert(VIA_AWS_SERVICE, if via { "true" } else { "false" });
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .to_string();
    for key in ["aws:CurrentTime", "aws:EpochTime"] {
        if !ctx.contains_key(key) {
            ctx.insert(key, now.clone());
        }
    }
    ctx
}

const VIA_AWS_SERVICE: &str = "aws:ViaAWSService";

/// The service condition keys whose value follows from the request's own resource: Amazon ECS
/// sends `ecs:cluster` (the cluster's ARN) and `ecs:service` (the service's ARN) with the
/// actions on a service or task set that list them (Service Authorization Reference, Amazon
/// ECS: "Filters access by the ARN of an Amazon ECS cluster" / "service",
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html>;
/// the ECS examples scope requests with `"ArnEquals": {"ecs:cluster": ...}`,
/// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security_iam_id-based-policy-examples.html>).
/// Only for an action whose catalog entry lists the key (for the action or one of its resource
/// types), and a resource ARN without
/// wildcards; a key the context gives is kept. Without them a `Deny` on the profile's own
/// cluster was skipped and an `Allow` scoped to it read as missing.
pub(super) fn with_resource_keys(mut ctx: Context, action: &str, resource: &str) -> Context {
    for (k, v) in resource_keys(action, resource) {
        if !ctx.contains_key(k) {
            ctx.insert(k, v);
        }
    }
    ctx
}

/// The keys of [`with_resource_keys`] for `action` on `resource`, with their values.
pub(super) fn resource_keys(action: &str, resource: &str) -> Vec<(&'static str, String)> {
    let Some((cluster, service)) = ecs_names(resource) else {
        return Vec::new();
    };
    let cat = crate::catalog::active();
    let Some(a) = cat.action(&action.to_ascii_lowercase()) else {
        return Vec::new();
    };
    // the action's own keys and its resource types' (the catalog lists `ecs:cluster` of
    // `ecs:CreateService` under the `service` resource type)
    let keys = a.condition_keys();
    let lists = |k: &str| keys.iter().any(|c| c.name().eq_ignore_ascii_case(k));
    let f: Vec<&str> = resource.splitn(6, ':').collect();
    let prefix = format!("arn:{}:ecs:{}:{}", f[1], f[3], f[4]);
    let mut out = Vec::new();
    if lists("ecs:cluster") {
        out.push(("ecs:cluster", format!("{prefix}:cluster/{cluster}")));
    }
    if lists("ecs:service") {
        out.push((
            "ecs:service",
            format!("{prefix}:service/{cluster}/{service}"),
        ));
    }
    out
}

/// The cluster and service an ECS service or task-set ARN names:
/// `arn:P:ecs:R:A:service/CLUSTER/SERVICE`, `arn:P:ecs:R:A:task-set/CLUSTER/SERVICE/ID`.
fn ecs_names(resource: &str) -> Option<(&str, &str)> {
    if resource.contains(['*', '?']) {
        return None;
    }
    let f: Vec<&str> = resource.splitn(6, ':').collect();
    if f.len() != 6 || f[0] != "arn" || f[2] != "ecs" || f[4].is_empty() {
        return None;
    }
    let mut parts = f[5].split('/');
    let kind = parts.next()?;
    if kind != "service" && kind != "task-set" {
        return None;
    }
    // (the old `service/NAME` form names no cluster)
    let cluster = parts.next().filter(|c| !c.is_empty())?;
    let service = parts.next().filter(|s| !s.is_empty())?;
    Some((cluster, service))
}

/// `aws:ResourceAccount`, the account of the resource: AWS includes the key in the request
/// context for most service actions
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>),
/// so a `Deny` on it (the data perimeter SCPs of
/// <https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/>) applies
/// to the request as it does in AWS. A key the context gives is kept. See
/// [`resource_account_for`] for the value.
pub(super) fn with_resource_account(
    mut ctx: Context,
    action: &str,
    resource: &str,
    account: Option<&str>,
) -> Context {
    if !ctx.contains_key(RESOURCE_ACCOUNT)
        && let Some(a) = resource_account_for(action, resource, account)
    {
        ctx.insert(RESOURCE_ACCOUNT, a);
    }
    ctx
}

pub(super) const RESOURCE_ACCOUNT: &str = "aws:ResourceAccount";

/// The account field of `resource` when it is an ARN that names one.
pub(super) fn resource_account(resource: &str) -> Option<&str> {
    eval::arn_account(resource).filter(|a| !a.is_empty())
}

/// The value of `aws:ResourceAccount` for a profile's request: the account the resource ARN
/// names; else, for a resource whose ARN has no account field (S3 buckets and objects,
/// `arn:aws:s3:::bucket/key`) or for `*` (actions without resource types, such as
/// `cloudwatch:DescribeAlarms`), the account the profile's resources are in (`account`,
/// when known: the profiles model their resources in that account). `None` when the account
/// is not known (never invented), and for the actions the global condition keys page lists as
/// not supporting the key ([`lacks_resource_account`]): AWS leaves the key out of their
/// requests.
pub(super) fn resource_account_for<'a>(
    action: &str,
    resource: &'a str,
    account: Option<&'a str>,
) -> Option<&'a str> {
    if let Some(a) = resource_account(resource) {
        return Some(a);
    }
    let no_account_field =
        resource == "*" || eval::arn_account(resource).is_some_and(str::is_empty);
    if no_account_field && !lacks_resource_account(action) {
        account.filter(|a| !a.is_empty())
    } else {
        None
    }
}

/// The actions the global condition keys page lists as not supporting `aws:ResourceAccount`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>,
/// "Availability"): every Amazon EBS direct API action (`ebs:`), `ec2:CopyFpgaImage`,
/// `ec2:CopyImage`, `ec2:CopySnapshot`, `ec2:CreateTransitGatewayPeeringAttachment`,
/// `ec2:CreateVolume`, `ec2:CreateVpcPeeringConnection`, `events:PutEvents` and
/// `workspaces:CopyWorkspaceImage`. Used only where the key would come from the profile's
/// account: for these actions it is left out, as AWS leaves it out.
pub(super) fn lacks_resource_account(action: &str) -> bool {
    const LISTED: [&str; 8] = [
        "ec2:CopyFpgaImage",
        "ec2:CopyImage",
        "ec2:CopySnapshot",
        "ec2:CreateTransitGatewayPeeringAttachment",
        "ec2:CreateVolume",
        "ec2:CreateVpcPeeringConnection",
        "events:PutEvents",
        "workspaces:CopyWorkspaceImage",
    ];
    action
        .split_once(':')
        .is_some_and(|(service, _)| service.eq_ignore_ascii_case("ebs"))
        || LISTED.iter().any(|a| a.eq_ignore_ascii_case(action))
}

/// The account the profile's resources are in, when it is known: the `account` parameter
/// given (`--param account=`) or taken from the principal, not the documentation's example
/// account a profile defaults to.
pub(super) fn known_account(params: &crate::profiles::ResolvedParams) -> Option<&str> {
    match params.values.get("account") {
        Some((
            a,
            crate::profiles::ParamOrigin::Given | crate::profiles::ParamOrigin::Principal,
        )) => Some(a.as_str()),
        _ => None,
    }
}

pub(super) fn to_context(c: &BTreeMap<String, Vec<String>>) -> Context {
    let mut ctx = Context::new();
    for (k, v) in c {
        ctx.set(k.clone(), v.clone());
    }
    ctx
}

fn outcome(d: eval::Decision, policies: &[&Policy], blocked: Option<Blocked>) -> Outcome {
    let decision = match d.decision {
        Verdict::Allowed => Decision::Allowed,
        Verdict::ImplicitDeny => Decision::ImplicitDeny,
        Verdict::ExplicitDeny => Decision::ExplicitDeny,
    };
    let matched = d
        .matched
        .iter()
        .filter_map(|m| {
            let policy = policies
                .iter()
                .find(|p| p.source.name.as_ref() == m.policy.as_ref())?;
            let st = policy.statements.get(m.index)?;
            let lc = policy.source.line_col(m.span.start);
            Some(MatchedStatement {
                policy: m.policy.to_string(),
                sid: m.sid.as_ref().map(|s| s.to_string()),
                index: m.index,
                line: m.line,
                column: lc.column,
                effect: m.effect,
                policy_type: m.policy_type,
                span: m.span,
                effect_span: st.effect.span,
                source: policy.source.clone(),
            })
        })
        .collect();
    Outcome {
        decision,
        matched,
        missing_context: d.missing_context_keys,
        blocked,
    }
}

/// Evaluates `action` on `resource` with `context` against the principal's identity policies,
/// boundary and SCPs (compiling them; use [`Compiled`] for many requests).
pub fn evaluate_identity(
    principal: &PrincipalPolicies,
    action: &str,
    resource: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    Compiled::new(principal)?.evaluate(action, resource, context)
}

/// Evaluates the trust policy (and the resource control policies of the role's account,
/// `rcps`): may the service principal call `action` on the role?
pub fn evaluate_trust(
    (trust, rcps): (&Policy, &[Policy]),
    service: &str,
    action: &str,
    role_arn: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    evaluate_trust_with(
        (trust, rcps),
        Principal::Service(service.to_string()),
        action,
        role_arn,
        context,
    )
}

/// Evaluates the trust policy alone for any caller (no identity policies of the caller).
pub fn evaluate_trust_as(
    trust: &Policy,
    caller: Principal,
    action: &str,
    role_arn: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    evaluate_trust_with((trust, &[]), caller, action, role_arn, context)
}

/// [`evaluate_trust_as`] with the resource control policies of the role's account: their
/// `Deny` statements restrict `sts:AssumeRole` on it, service principals included
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>;
/// red team 29).
pub fn evaluate_trust_with(
    (trust, rcps): (&Policy, &[Policy]),
    caller: Principal,
    action: &str,
    role_arn: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    let set = PolicySet {
        rcps: rcps.to_vec(),
        ..PolicySet::role_trust(trust.clone())
    }
    .compile()
    .map_err(Box::new)?;
    // what AWS puts in every request of this caller (`aws:PrincipalIsAWSService` is `true`
    // for a service principal, global condition keys docs), unless the context says otherwise
    let ctx = with_request_keys(to_context(context), Some(&caller));
    let request = Request {
        action: action.to_string(),
        resource: role_arn.to_string(),
        principal: Some(caller),
        resource_account: None,
        context: ctx,
    };
    let engine = |e: eval::EvalError| CheckError::Engine {
        action: action.to_string(),
        resource: role_arn.to_string(),
        message: e.to_string(),
    };
    let d = eval::evaluate(&set, &request).map_err(engine)?;
    let blocked = blocked::explain(&set, &request, &d, &[]).map_err(engine)?;
    let mut policies: Vec<&Policy> = vec![trust];
    policies.extend(rcps.iter());
    Ok(outcome(d, &policies, blocked))
}
