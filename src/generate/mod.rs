//! Profile + parameters → the minimal least-privilege policy, verified before it is returned.
//!
//! Every action is named exactly; a resource is scoped to the ARN built from the parameters
//! when the catalog says the action takes that resource type, and is `"*"` only when the
//! action takes no resource (or the profile's requirement is `"*"`); request context such as
//! `iam:PassedToService` becomes a `StringEquals` condition. Statements group the actions that
//! share resources and conditions, with Sids named after what they grant.
//!
//! Self-check before anything is returned: the documents are parsed back, pass
//! [`crate::check`] for the profile with zero gaps, grant no action outside the profile (every
//! other action of the services involved is evaluated by the engine on every resource of the
//! profile), and each fits the 6,144-character managed-policy quota (white space not counted);
//! when one document cannot, statements are split over several.

pub mod iac;
pub mod output;

use std::collections::{BTreeMap, BTreeSet};

use crate::check::{self, CheckError, Decision, ExpandedRequest, PrincipalPolicies, lookup};
use crate::profiles::{Profile, ResolvedParams};
use crate::source::Source;

/// Managed policy size quota, white space not counted (IAM quotas).
pub const MAX_POLICY_CHARS: usize = 6144;

/// A generated policy statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenStatement {
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    /// Operator → key → values.
    pub conditions: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The result of [`generate_policy`].
#[derive(Clone, Debug)]
pub struct Generated {
    /// One or more policy documents (JSON text, verified).
    pub documents: Vec<String>,
    /// Non-white-space size of each document.
    pub sizes: Vec<usize>,
    /// Requirements covered (for `--missing-from`: only the missing ones).
    pub covered: usize,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum GenerateError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    #[error("self-check failed, nothing printed: {0}")]
    #[diagnostic(
        code(greenlight::generate_self_check),
        help(
            "this is a bug in the profile or the generator; please report it with the command line"
        )
    )]
    SelfCheck(String),
    #[error(
        "`{action}` on `{resource}` is explicitly denied by {statement}; adding a policy cannot fix it"
    )]
    #[diagnostic(
        code(greenlight::generate_denied),
        help("an explicit deny overrides every allow: no added identity policy can grant this")
    )]
    Denied {
        action: String,
        resource: String,
        statement: String,
    },
    #[error(
        "`{action}` on `{resource}` is blocked by the {layer}, so no identity policy can fix it: {detail}{more}"
    )]
    #[diagnostic(
        code(greenlight::generate_blocked),
        help(
            "a permissions boundary and service control policies set the most an identity policy can grant; the gap is decided there, not by the principal's policies"
        )
    )]
    Blocked {
        action: String,
        resource: String,
        /// `permissions boundary` or `service control policies`.
        layer: &'static str,
        detail: String,
        /// `` (and 2 more requirements)`` or empty.
        more: String,
    },
    #[error("profile `{0}` describes no role, so it has no trust policy")]
    #[diagnostic(
        code(greenlight::generate_no_trust),
        help("`--trust` applies to role profiles (see `greenlight profiles`)")
    )]
    NoTrust(String),
    #[error("the resource `{resource}` of `{action}` matches none of the action's resource types")]
    #[diagnostic(code(greenlight::generate_resource))]
    ResourceType { action: String, resource: String },
}

/// Builds the minimal policy for the profile. With `missing_from`, only the requirements those
/// policies do not allow are included (a patch), and the self-check runs on the policies plus
/// the patch. `Ok(None)` means nothing is missing.
pub fn generate_policy(
    profile: &Profile,
    params: &ResolvedParams,
    missing_from: Option<&PrincipalPolicies>,
) -> Result<Option<Generated>, GenerateError> {
    let requests = profile.requests(params).map_err(|e| CheckError::Template {
        profile: profile.id.clone(),
        message: e.to_string(),
    })?;
    let all = check::expand_requests(profile, &requests)?;
    let wanted: Vec<ExpandedRequest> = match missing_from {
        None => all.clone(),
        Some(existing) => {
            let report = check::check_resolved(profile, existing, params.clone())?;
            // A gap a boundary or an SCP decides cannot be fixed here: stop with the sentence
            // that names it.
            let beyond: Vec<_> = report
                .requirements
                .iter()
                .filter_map(|r| r.blocked.as_ref().map(|b| (r, b)))
                .filter(|(r, b)| r.decision == Decision::ImplicitDeny && b.beyond_identity())
                .collect();
            if let Some((r, b)) = beyond.first() {
                let (step, detail) = b
                    .beyond_identity_detail()
                    .unwrap_or((b.by, b.detail.as_str()));
                let layer = if step == check::BlockedBy::Scp {
                    "service control policies"
                } else {
                    "permissions boundary"
                };
                let more = match beyond.len() - 1 {
                    0 => String::new(),
                    1 => " (and 1 more requirement)".to_string(),
                    n => format!(" (and {n} more requirements)"),
                };
                return Err(GenerateError::Blocked {
                    action: r.action.clone(),
                    resource: r.resource.clone(),
                    layer,
                    detail: detail.to_string(),
                    more,
                });
            }
            let mut missing = Vec::new();
            for (req, res) in all.iter().zip(&report.requirements) {
                match res.decision {
                    Decision::Allowed => {}
                    Decision::ImplicitDeny => missing.push(req.clone()),
                    Decision::ExplicitDeny => {
                        let statement = res
                            .matched
                            .iter()
                            .find(|m| m.effect == crate::model::Effect::Deny)
                            .map(check::render::statement_label)
                            .unwrap_or_else(|| "a Deny statement".into());
                        return Err(GenerateError::Denied {
                            action: res.action.clone(),
                            resource: res.resource.clone(),
                            statement,
                        });
                    }
                }
            }
            missing
        }
    };
    if wanted.is_empty() {
        return Ok(None);
    }
    let statements = build_statements(&wanted)?;
    let groups = split(&statements);
    let documents: Vec<String> = groups.iter().map(|g| render_policy(g)).collect();
    let sizes: Vec<usize> = documents.iter().map(|d| policy_size(d)).collect();
    self_check(profile, params, &all, &documents, missing_from)?;
    Ok(Some(Generated {
        documents,
        sizes,
        covered: wanted.len(),
    }))
}

/// The grant resource of one request: the scoped ARN when the catalog says the action takes
/// it, `"*"` when the action takes no resource.
fn grant_resource(r: &ExpandedRequest) -> Result<String, GenerateError> {
    if r.grant_resource == "*" {
        return Ok("*".into());
    }
    let Some(supported) = lookup::supports_resource_level(&r.action) else {
        return Err(CheckError::UnknownAction {
            profile: r.from.clone(),
            action: r.action.clone(),
        }
        .into());
    };
    if !supported {
        return Ok("*".into());
    }
    if lookup::resource_type_for(&r.action, &r.resource).is_none() {
        return Err(GenerateError::ResourceType {
            action: r.action.clone(),
            resource: r.resource.clone(),
        });
    }
    Ok(r.grant_resource.clone())
}

type CondMap = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn conditions_of(r: &ExpandedRequest) -> CondMap {
    let mut c: CondMap = BTreeMap::new();
    for (k, v) in &r.context {
        c.entry("StringEquals".into())
            .or_default()
            .insert(k.clone(), v.clone());
    }
    c
}

/// Groups requests into statements: per action, the union of its resources (per condition
/// set; `"*"` absorbs the rest); then actions with the same service, resources and conditions
/// share a statement.
pub fn build_statements(reqs: &[ExpandedRequest]) -> Result<Vec<GenStatement>, GenerateError> {
    // (action, conditions) → resources, in first-seen order of actions.
    let mut order: Vec<(String, CondMap)> = Vec::new();
    let mut res: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut conds: BTreeMap<String, CondMap> = BTreeMap::new();
    for r in reqs {
        let resource = grant_resource(r)?;
        let cond = conditions_of(r);
        let ckey = serde_json::to_string(&cond).unwrap_or_default();
        conds.insert(ckey.clone(), cond.clone());
        let key = (r.action.clone(), ckey);
        if !res.contains_key(&key) {
            order.push((r.action.clone(), cond));
        }
        res.entry(key).or_default().insert(resource);
    }
    // Group actions by (service, resources, conditions).
    let mut groups: Vec<(String, Vec<String>, CondMap, Vec<String>)> = Vec::new();
    for (action, cond) in &order {
        let ckey = serde_json::to_string(cond).unwrap_or_default();
        let set = &res[&(action.clone(), ckey)];
        let resources: Vec<String> = if set.contains("*") {
            vec!["*".into()]
        } else {
            set.iter().cloned().collect()
        };
        let service = action.split(':').next().unwrap_or_default().to_string();
        match groups
            .iter_mut()
            .find(|(s, r, c, _)| *s == service && *r == resources && c == cond)
        {
            Some(g) => {
                if !g.3.contains(action) {
                    g.3.push(action.clone());
                }
            }
            None => groups.push((service, resources, cond.clone(), vec![action.clone()])),
        }
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (service, resources, cond, actions) in groups {
        let base = sid_for(&service, &actions, &resources, &cond);
        let mut sid = base.clone();
        let mut n = 2;
        while !used.insert(sid.clone()) {
            sid = format!("{base}{n}");
            n += 1;
        }
        out.push(GenStatement {
            sid,
            actions,
            resources,
            conditions: cond,
        });
    }
    Ok(out)
}

fn pascal(s: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("codedeploy", "CodeDeploy"),
        ("ecs", "Ecs"),
        ("ecs-tasks", "EcsTasks"),
        ("elasticloadbalancing", "ElasticLoadBalancing"),
        ("iam", "Iam"),
        ("sns", "Sns"),
        ("s3", "S3"),
        ("cloudwatch", "CloudWatch"),
        ("lambda", "Lambda"),
        ("application-autoscaling", "ApplicationAutoScaling"),
        ("deploymentgroup", "DeploymentGroup"),
        ("deploymentconfig", "DeploymentConfig"),
        ("targetgroup", "TargetGroup"),
        ("task-set", "TaskSet"),
        ("listener-rule", "ListenerRule"),
    ];
    if let Some((_, v)) = KNOWN.iter().find(|(k, _)| *k == s) {
        return v.to_string();
    }
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn sid_for(service: &str, actions: &[String], resources: &[String], cond: &CondMap) -> String {
    if actions.len() == 1
        && actions[0] == "iam:PassRole"
        && let Some(v) = cond
            .get("StringEquals")
            .and_then(|m| m.get("iam:PassedToService"))
            .and_then(|v| v.first())
    {
        let to = v.split('.').next().unwrap_or_default();
        return format!("PassRoleTo{}", pascal(to));
    }
    let what = if resources == ["*"] {
        "WithoutResourceScope".to_string()
    } else {
        // Name the resource type the first resource is of.
        let kind = lookup::resource_type_for(&actions[0], &resources[0].replace('*', "x"))
            .unwrap_or_default();
        let kind = kind.split('/').next().unwrap_or_default().to_string();
        pascal(&kind)
    };
    let mut sid = format!("{}{what}", pascal(service));
    if cond
        .values()
        .any(|m| m.keys().any(|k| k != "iam:PassedToService"))
    {
        sid.push_str("WithCondition");
    }
    sid.retain(|c| c.is_ascii_alphanumeric());
    sid
}

/// Splits statements into documents that each fit [`MAX_POLICY_CHARS`].
fn split(statements: &[GenStatement]) -> Vec<Vec<GenStatement>> {
    let mut docs: Vec<Vec<GenStatement>> = vec![Vec::new()];
    for st in statements {
        let mut candidate = docs.last().cloned().unwrap_or_default();
        candidate.push(st.clone());
        let fits = policy_size(&render_policy(&candidate)) <= MAX_POLICY_CHARS;
        match docs.last_mut() {
            Some(last) if fits || last.is_empty() => last.push(st.clone()),
            _ => docs.push(vec![st.clone()]),
        }
    }
    docs
}

/// Characters IAM counts against the size quota: everything but white space.
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn list(items: &[String], indent: &str) -> String {
    if items.len() == 1 {
        return q(&items[0]);
    }
    let inner: Vec<String> = items
        .iter()
        .map(|i| format!("{indent}  {}", q(i)))
        .collect();
    format!("[\n{}\n{indent}]", inner.join(",\n"))
}

/// Renders statements as a policy document (2-space indent; key order Sid, Effect, Action,
/// Resource, Condition).
pub fn render_policy(statements: &[GenStatement]) -> String {
    let mut parts = Vec::new();
    for st in statements {
        let mut s = format!(
            "    {{\n      \"Sid\": {},\n      \"Effect\": \"Allow\",\n      \"Action\": {},\n      \"Resource\": {}",
            q(&st.sid),
            list(&st.actions, "      "),
            list(&st.resources, "      ")
        );
        if !st.conditions.is_empty() {
            let ops: Vec<String> = st
                .conditions
                .iter()
                .map(|(op, keys)| {
                    let ks: Vec<String> = keys
                        .iter()
                        .map(|(k, v)| format!("          {}: {}", q(k), list(v, "          ")))
                        .collect();
                    format!("        {}: {{\n{}\n        }}", q(op), ks.join(",\n"))
                })
                .collect();
            s.push_str(&format!(
                ",\n      \"Condition\": {{\n{}\n      }}",
                ops.join(",\n")
            ));
        }
        s.push_str("\n    }");
        parts.push(s);
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n",
        parts.join(",\n")
    )
}

fn parse_generated(documents: &[String]) -> Result<Vec<crate::model::Policy>, GenerateError> {
    documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            crate::parse::parse_policy(&Source::new(
                format!("generated-{}.json", i + 1),
                d.as_str(),
            ))
            .map_err(|e| {
                GenerateError::SelfCheck(format!("the generated policy does not parse: {e}"))
            })
        })
        .collect()
}

fn self_check(
    profile: &Profile,
    params: &ResolvedParams,
    all: &[ExpandedRequest],
    documents: &[String],
    missing_from: Option<&PrincipalPolicies>,
) -> Result<(), GenerateError> {
    for (i, d) in documents.iter().enumerate() {
        let n = policy_size(d);
        if n > MAX_POLICY_CHARS {
            return Err(GenerateError::SelfCheck(format!(
                "document {} has {n} characters, over the {MAX_POLICY_CHARS}-character quota",
                i + 1
            )));
        }
    }
    let generated = parse_generated(documents)?;
    // 1. Zero gaps for the profile.
    let mut principal = missing_from.cloned().unwrap_or_default();
    principal.trust = None;
    principal.identity.extend(generated.iter().cloned());
    let report = check::check_resolved(profile, &principal, params.clone())?;
    if let Some(g) = report
        .requirements
        .iter()
        .find(|r| r.decision != Decision::Allowed)
    {
        return Err(GenerateError::SelfCheck(format!(
            "`{}` on `{}` is {} by the generated policy",
            g.action,
            g.resource,
            g.decision.as_str()
        )));
    }
    // 2. Nothing outside the profile: every named action is a profile action, and no other
    //    action of the services involved is allowed on any resource of the profile.
    let profile_actions: BTreeSet<String> =
        all.iter().map(|r| r.action.to_ascii_lowercase()).collect();
    let only_generated = PrincipalPolicies {
        identity: generated,
        ..PrincipalPolicies::default()
    };
    let compiled = check::Compiled::new(&only_generated)?;
    let mut services: BTreeSet<String> = BTreeSet::new();
    for p in &only_generated.identity {
        for st in &p.statements {
            // iam:PassRole is never granted on a wildcard (Access Analyzer: "Pass role with
            // star in resource").
            let passes = st.action.items.iter().any(|a| a.lower == "iam:passrole");
            let wild = st
                .resource
                .as_ref()
                .is_some_and(|r| r.items.iter().any(|i| i.value.contains(['*', '?'])));
            if passes && wild {
                return Err(GenerateError::SelfCheck(
                    "the generated policy grants `iam:PassRole` on a wildcard resource".into(),
                ));
            }
            for a in &st.action.items {
                if !profile_actions.contains(&a.lower) {
                    return Err(GenerateError::SelfCheck(format!(
                        "`{}` is not an action of profile `{}`",
                        a.text, profile.id
                    )));
                }
                if let Some((svc, _)) = a.split() {
                    services.insert(svc.to_string());
                }
            }
        }
    }
    let base_ctx: BTreeMap<String, Vec<String>> = match params.get("region") {
        Some(r) => [("aws:RequestedRegion".to_string(), vec![r.to_string()])].into(),
        None => BTreeMap::new(),
    };
    for svc in &services {
        let probes: BTreeSet<(String, BTreeMap<String, Vec<String>>)> = all
            .iter()
            .filter(|r| {
                r.action
                    .to_ascii_lowercase()
                    .starts_with(&format!("{svc}:"))
            })
            .flat_map(|r| {
                let mut ctx = base_ctx.clone();
                ctx.extend(r.context.clone());
                [
                    (r.resource.clone(), ctx),
                    ("*".to_string(), base_ctx.clone()),
                ]
            })
            .collect();
        for name in lookup::service_actions(svc) {
            if profile_actions.contains(&name.to_ascii_lowercase()) {
                continue;
            }
            for (resource, ctx) in &probes {
                let out = compiled.evaluate(&name, resource, ctx)?;
                if out.decision == Decision::Allowed {
                    return Err(GenerateError::SelfCheck(format!(
                        "the generated policy allows `{name}` on `{resource}`, which profile `{}` does not require",
                        profile.id
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The role's trust policy: the service may call `sts:AssumeRole`, restricted by
/// `aws:SourceAccount` (and `aws:SourceArn` when the profile knows the source). Verified by the
/// engine (allowed, and no confused-deputy warning) before it is returned.
pub fn generate_trust(profile: &Profile, params: &ResolvedParams) -> Result<String, GenerateError> {
    let t = profile
        .trust_request(params)
        .map_err(|e| CheckError::Template {
            profile: profile.id.clone(),
            message: e.to_string(),
        })?
        .ok_or_else(|| GenerateError::NoTrust(profile.id.clone()))?;
    // whether a key of the service's context was left out as unconfirmed
    let dropped = t
        .context
        .keys()
        .any(|k| t.unconfirmed.iter().any(|u| u.eq_ignore_ascii_case(k)));
    let mut conds: CondMap = BTreeMap::new();
    // (only on keys the AWS documentation confirms the service sends: a condition on another
    // may keep the service out, "unable to assume role"; the ECS-native roles' documented
    // trust policies have none; red team 51)
    for (k, v) in t
        .context
        .iter()
        .filter(|(k, _)| !t.unconfirmed.iter().any(|u| u.eq_ignore_ascii_case(k)))
    {
        let op = if k.eq_ignore_ascii_case("aws:SourceArn") {
            "ArnLike"
        } else {
            "StringEquals"
        };
        conds
            .entry(op.into())
            .or_default()
            .insert(k.clone(), v.clone());
    }
    let service_word = pascal(t.service.split('.').next().unwrap_or_default());
    let mut cond_text = String::new();
    if !conds.is_empty() {
        let ops: Vec<String> = conds
            .iter()
            .map(|(op, keys)| {
                let ks: Vec<String> = keys
                    .iter()
                    .map(|(k, v)| format!("          {}: {}", q(k), list(v, "          ")))
                    .collect();
                format!("        {}: {{\n{}\n        }}", q(op), ks.join(",\n"))
            })
            .collect();
        cond_text = format!(",\n      \"Condition\": {{\n{}\n      }}", ops.join(",\n"));
    }
    let text = format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"Allow{service_word}AssumeRole\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {{\n        \"Service\": {}\n      }},\n      \"Action\": {}{cond_text}\n    }}\n  ]\n}}\n",
        q(&t.service),
        q(&t.action)
    );
    let policy = crate::parse::parse_policy(&Source::new("generated-trust.json", text.as_str()))
        .map_err(|e| {
            GenerateError::SelfCheck(format!("the generated trust policy does not parse: {e}"))
        })?;
    match &check::check_trust(profile, &policy, params)? {
        // A decision that depends on context the documentation does not confirm the service
        // sends is reported to the user by `check`; it is not a defect of the generated text.
        // (nor, when the keys were left out as unconfirmed, the confused-deputy warning
        // the documented trust policy gets: `generate` says so on stderr)
        Some(tr)
            if tr.decision == Decision::Allowed
                && !tr.open
                && tr.warnings.iter().all(|w| {
                    w.code == "trust-unconfirmed-context"
                        || (w.code == "trust-without-source-condition" && dropped)
                }) =>
        {
            Ok(text)
        }
        Some(tr) => Err(GenerateError::SelfCheck(format!(
            "the generated trust policy gives {} ({} warnings)",
            tr.decision.as_str(),
            tr.warnings.len()
        ))),
        None => Err(GenerateError::SelfCheck(
            "the trust requirement was not evaluated".into(),
        )),
    }
}

#[cfg(test)]
mod tests;
