import sys; sys.path.insert(0, "tools")
from rulegen import *
CAT_LIMIT = "Decided with the IAM action catalog; services whose resource types disagree (some ARN formats have the field, some do not) are not flagged."

arn_field_prelude = '''
/// For the service of an ARN: (every format has an empty region, every format has an empty
/// account, every format has a region, every format has an account).
fn shape(service: &str) -> Option<(bool, bool, bool, bool)> {
    let cat = crate::catalog::active();
    let svc = cat.service(service)?;
    let fmts: Vec<[String; 2]> = svc.resource_types().flat_map(|r| r.arn_formats()).filter_map(|f| arn_fields(f).map(|x| [x[3].to_string(), x[4].to_string()])).collect();
    if fmts.is_empty() { return None; }
    Some((
        fmts.iter().all(|f| f[0].is_empty()),
        fmts.iter().all(|f| f[1].is_empty()),
        fmts.iter().all(|f| !f[0].is_empty()),
        fmts.iter().all(|f| !f[1].is_empty()),
    ))
}
'''
rule("GL109","arn-field-not-allowed","Error","all",["ARN_REGION_NOT_ALLOWED","ARN_ACCOUNT_NOT_ALLOWED"],U+"reference-arns.html",
arn_field_prelude + '''
for s in &cx.policy.statements {
    let Some(r) = &s.resource else { continue };
    for i in &r.items {
        let Some(f) = arn_fields(&i.value) else { continue };
        if f[2].contains(['*', '?']) { continue; }
        let Some((no_region, no_account, _, _)) = shape(f[2]) else { continue };
        let concrete = |x: &str| !x.is_empty() && !x.contains(['*', '?']) && !x.contains("${");
        if no_region && concrete(f[3]) {
            out.push(cx.finding(&RULE, i.span, format!("`{}` ARNs have no Region, but `{}` names `{}`", f[2], i.value, f[3]))
                .help(format!("leave the Region field empty: `arn:{}:{}::{}:{}`", f[1], f[2], f[4], f[5])));
        } else if no_account && concrete(f[4]) {
            out.push(cx.finding(&RULE, i.span, format!("`{}` ARNs have no account ID, but `{}` names `{}`", f[2], i.value, f[4]))
                .help(format!("leave the account field empty: `arn:{}:{}:{}::{}`", f[1], f[2], f[3], f[5])));
        }
    }
}
''',
"Flags an ARN with a Region or an account ID for a service whose ARNs have none (`arn:aws:s3:us-east-1::bucket`, `arn:aws:iam:us-east-1:111122223333:role/x`).",
"The ARN matches no resource, so the statement silently does not apply.",
P(S(action="iam:GetRole", resource="arn:aws:iam:us-east-1:111122223333:role/deploy")), P(S(action="iam:GetRole", resource="arn:aws:iam::111122223333:role/deploy")), limits=CAT_LIMIT)

rule("GL110","arn-field-missing","Error","all",["MISSING_ARN_REGION","MISSING_ARN_ACCOUNT"],U+"reference-arns.html",
arn_field_prelude + '''
for s in &cx.policy.statements {
    let Some(r) = &s.resource else { continue };
    for i in &r.items {
        let Some(f) = arn_fields(&i.value) else { continue };
        if f[2].contains(['*', '?']) || f[5].contains("${") { continue; }
        let Some((_, _, all_region, all_account)) = shape(f[2]) else { continue };
        if all_region && f[3].is_empty() {
            out.push(cx.finding(&RULE, i.span, format!("`{}` ARNs need a Region, but `{}` has none", f[2], i.value))
                .help("add the Region (or `*` for any Region)"));
        } else if all_account && f[4].is_empty() {
            out.push(cx.finding(&RULE, i.span, format!("`{}` ARNs need an account ID, but `{}` has none", f[2], i.value))
                .help("add the 12-digit account ID (or `*` for any account)"));
        }
    }
}
''',
"Flags an ARN without a Region or account ID for a service whose ARNs always have one (`arn:aws:lambda:::function:x`).",
"The ARN matches no resource, so the statement silently does not apply.",
P(S(action="lambda:InvokeFunction", resource="arn:aws:lambda:us-east-1::function:hook")), P(S(action="lambda:InvokeFunction", resource="arn:aws:lambda:us-east-1:111122223333:function:hook")), limits=CAT_LIMIT)

rule("GL111","resource-matches-no-action","Warning","granting",["INVALID_ARN_RESOURCE"],"https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
'''
for s in &cx.policy.statements {
    let Some(r) = &s.resource else { continue };
    if r.negated { continue; }
    let Some(acts) = expanded(s) else { continue };
    // Every pattern must resolve, or the statement's intent is unclear.
    if acts.is_empty() || s.action.items.iter().any(|p| !acts.iter().any(|(_, q)| std::ptr::eq(*q, p))) { continue; }
    for i in &r.items {
        let Some(f) = arn_fields(&i.value) else { continue };
        if is_all_resources(&i.value) || f[2].contains(['*', '?']) || i.value.contains("${") { continue; }
        let same_service: Vec<_> = acts.iter().filter(|(a, _)| a.service().name().eq_ignore_ascii_case(f[2])).collect();
        if same_service.is_empty() { continue; }
        let any = same_service.iter().any(|(a, _)| !a.resources_for_arn(&i.value).is_empty());
        if !any {
            let only_star = same_service.iter().all(|(a, _)| !a.supports_resource_level());
            let names: Vec<String> = same_service.iter().take(50).map(|(a, _)| a.full_name()).collect();
            let msg = if only_star {
                format!("`{}` never matches: {} accept only `\\"Resource\\": \\"*\\"`", i.value, name_list(&names, 3))
            } else {
                format!("`{}` matches no resource type of {}", i.value, name_list(&names, 3))
            };
            out.push(cx.finding(&RULE, i.span, msg)
                .help(if only_star { "use \\"*\\" for actions without resource-level permissions (in a separate statement)" } else { "check the ARN against the resource types of the actions (`greenlight catalog`)" }));
        }
    }
}
''',
"Flags a resource ARN that matches none of the resource types of the statement's actions of the same service, including a specific ARN on actions that support only `\"Resource\": \"*\"`. Wildcards in actions are expanded first.",
"The ARN never matches the request's resource, so the statement does not grant (or deny) what it appears to. The reverse is not a finding: `\"Resource\": \"*\"` on actions without resource-level permissions is correct.",
P(S(action="s3:ListAllMyBuckets", resource="arn:aws:s3:::example-bucket")), P(S(action="s3:ListAllMyBuckets", resource="*")),
limits="Decided with the catalog's ARN formats. Statements with an action the catalog does not know are skipped.")

tag_prelude = '''
const TAG_KEYS: [&str; 3] = ["aws:resourcetag/", "aws:requesttag/", "aws:tagkeys"];

/// Services of the statement none of whose actions (in the statement) support the key.
fn unsupported(s: &Statement, key: &str) -> Vec<String> {
    let Some(acts) = expanded(s) else { return Vec::new() };
    let mut by_service: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
    for (a, _) in &acts {
        let ok = a.condition_keys().iter().any(|k| k.matches(key));
        let e = by_service.entry(a.service().name().to_string()).or_insert(false);
        *e |= ok;
    }
    by_service.into_iter().filter(|(_, ok)| !ok).map(|(s, _)| s).collect()
}
'''
rule("GL112","deny-with-unsupported-tag-key","Security","all",["DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],U+"access_tags.html",
tag_prelude + '''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Deny { continue; }
    for c in &s.conditions {
        if c.op.base == OpBase::Null || !TAG_KEYS.iter().any(|k| c.key_lower.starts_with(k)) { continue; }
        let svcs = unsupported(s, &c.key);
        if svcs.is_empty() { continue; }
        out.push(cx.finding(&RULE, c.key_span, format!("the actions of {} never carry `{}`, so this Deny does not apply to them", name_list(&svcs, 4), c.key))
            .help("deny those services' actions in a separate statement without the tag condition, or use a key they support"));
    }
}
''',
"Flags a Deny statement with a tag condition key (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) that none of the statement's actions of some service support.",
"A key the service never sends is absent from the request, so a Deny conditioned on it never applies to those actions: the deny fails open.",
P(S(effect="Deny", action="s3:ListAllMyBuckets", resource="*", Condition={"StringEquals":{"aws:ResourceTag/classification":"secret"}})),
P(S(effect="Deny", action="ec2:TerminateInstances", resource="*", Condition={"StringEquals":{"aws:ResourceTag/classification":"secret"}})), limits="Decided with the condition keys the catalog lists per action and resource type.")

rule("GL113","allow-with-unsupported-tag-key","Suggestion","granting",["ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],U+"access_tags.html",
tag_prelude + '''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    for c in &s.conditions {
        if c.op.base == OpBase::Null || c.op.base.is_negated() || c.op.if_exists || !TAG_KEYS.iter().any(|k| c.key_lower.starts_with(k)) { continue; }
        let svcs = unsupported(s, &c.key);
        if svcs.is_empty() { continue; }
        out.push(cx.finding(&RULE, c.key_span, format!("the actions of {} never carry `{}`, so this statement allows none of them", name_list(&svcs, 4), c.key))
            .help("move those actions to a statement without the tag condition, or remove them"));
    }
}
''',
"Flags an Allow statement with a tag condition key that none of the statement's actions of some service support.",
"The key is never in those requests, so the condition is false and the actions are not allowed: dead permissions that hide a missing grant.",
P(S(action="s3:ListAllMyBuckets", resource="*", Condition={"StringEquals":{"aws:ResourceTag/team":"ops"}})),
P(S(action="ec2:StartInstances", resource="*", Condition={"StringEquals":{"aws:ResourceTag/team":"ops"}})), limits="Decided with the condition keys the catalog lists per action and resource type.")

rule("GL114","rcp-unsupported-service","Error","&[PolicyType::Rcp]",[],ORG+"orgs_manage_policies_rcps.html",
'''
let cat = crate::catalog::active();
let supported = cat.rcp_supported_services();
for s in &cx.policy.statements {
    for a in &s.action.items {
        let Some((svc, _)) = a.split() else { continue };
        if svc.contains(['*', '?']) || cat.service(svc).is_none() { continue; }
        if !supported.iter().any(|x| x.eq_ignore_ascii_case(svc)) {
            out.push(cx.finding(&RULE, a.span, format!("resource control policies do not apply to `{svc}`, so `{}` has no effect here", a.text))
                .help("RCPs support a fixed list of services (such as s3, sts, kms, sqs, secretsmanager); control this service with an SCP or its resource policies"));
        }
    }
}
''',
"Flags an action in a resource control policy for a service that RCPs do not support.",
"RCPs apply only to the resources of supported services; a statement about another service silently does nothing.",
P(S(effect="Deny", action="ec2:TerminateInstances", resource="*", Principal="*")), P(S(effect="Deny", action="s3:DeleteObject", resource="*", Principal="*")), ptype="rcp", limits="Decided with the catalog's list of RCP-supported services.")
