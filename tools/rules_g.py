import sys; sys.path.insert(0, "tools")
from rulegen import *
BP = U+"best-practices.html"

rule("GL089","full-admin","Security","granting",[],U+"access_policies_job-functions.html",
'''
for s in &cx.policy.statements {
    if !unconditional_allow(s) || s.action.negated { continue; }
    let Some(star) = star_resource(s) else { continue };
    if let Some(a) = s.action.items.iter().find(|a| a.lower == "*" || a.lower == "*:*") {
        out.push(cx.finding(&RULE, a.span, format!("`{}` on `{}` allows every action in every service on every resource: full administrator access", a.text, star.value))
            .help("grant only the actions the workload needs; for break-glass administrators use the AWS managed `AdministratorAccess` policy deliberately and ignore this finding with a reason"));
    }
}
{
    let cat = crate::catalog::active();
    for s in &cx.policy.statements {
        if !unconditional_allow(s) || !s.action.negated { continue; }
        let Some(star) = star_resource(s) else { continue };
        if s.action.items.iter().all(|a| cat.expand(&a.lower).is_empty()) {
            out.push(cx.finding(&RULE, s.action.span, format!("`NotAction` lists no existing action, so this statement allows every action on `{}`: full administrator access", star.value))
                .help("`NotAction` with an action that does not exist excludes nothing; name the actions to allow with `Action`"));
        }
    }
}
''',
"Flags an unconditional Allow of `*` (every action) on `*` (every resource), and an Allow with `NotAction` whose actions do not exist on `*`.",
"The statement grants full administrator access. `NotAction` with a non-existent action (such as `prowler:action`) excludes nothing, and AWS accepts the document.",
P(S(action="*", resource="*")), P(S()))

rule("GL090","allow-with-not-action","Security","granting",[],U+"reference_policies_elements_notaction.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow || !s.action.negated { continue; }
    let broad = s.resource.as_ref().is_none_or(|r| r.negated || r.items.iter().any(|i| is_all_resources(&i.value)));
    if !broad { continue; }
    let listed: Vec<String> = s.action.items.iter().map(|a| a.text.clone()).collect();
    out.push(cx.finding(&RULE, s.action.key_span, format!("`Allow` with `NotAction` grants every action except {}, in every service, including services AWS adds later", name_list(&listed, 4)))
        .help("list the allowed actions with `Action`; keep `NotAction` for Deny statements"));
}
''',
"Flags an Allow statement with `NotAction` on all resources.",
"It grants every action that is not listed, in every service, including actions and services AWS adds later. It is almost always broader than intended. (A `NotAction` scoped by a service-specific `Resource` is not flagged.)",
P(S(action=("iam:*",), resource="*")), P(S(effect="Deny", action=("iam:*",), resource="*")))

rule("GL091","allow-with-not-resource","Security","granting",[],U+"reference_policies_elements_notresource.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    if let Some(r) = &s.resource {
        if r.negated {
            out.push(cx.finding(&RULE, r.key_span, "`Allow` with `NotResource` grants the actions on every resource except the ones listed, including resources created later")
                .help("list the allowed resources with `Resource`"));
        }
    }
}
''',
"Flags an Allow statement with `NotResource`.",
"It grants the actions on every resource that is not listed, in every account the principal can reach, including future resources. AWS says never to combine Allow, `Action: *` and `NotResource`.",
P(S(action="s3:*", resource=("arn:aws:s3:::secret-bucket/*",))), P(S(action="s3:GetObject", resource="arn:aws:s3:::example-bucket/*")))

rule("GL092","allow-with-not-principal","Security","principal",["ALLOW_WITH_NOTPRINCIPAL"],U+"reference_policies_elements_notprincipal.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    if let Some(p) = &s.principal {
        if p.negated {
            out.push(cx.finding(&RULE, p.key_span, "`Allow` with `NotPrincipal` grants access to everyone except the listed principals, anonymous callers included")
                .help("name the allowed principals with `Principal`"));
        }
    }
}
''',
"Flags an Allow statement with `NotPrincipal`.",
"It grants access to every principal that is not listed, including anonymous users; most resource policy types do not even allow it.",
P(S(NotPrincipal={"AWS":"arn:aws:iam::111122223333:root"})), P(S(Principal={"AWS":"arn:aws:iam::111122223333:root"})), ptype="resource")

rule("GL093","open-resource-policy","Security","&[PolicyType::Resource]",[],U+"reference_policies_elements_principal.html#principal-anonymous",
'''
for s in &cx.policy.statements {
    if unconditional_allow(s) && principal_is_everyone(s) {
        if let Some(p) = &s.principal {
            out.push(cx.finding(&RULE, p.span, "the resource policy allows everyone, including anonymous callers, without a condition")
                .help("name the allowed principals, or add a condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceAccount`"));
        }
    }
}
''',
"Flags an unconditional Allow to `\"*\"` or `{\"AWS\": \"*\"}` in a resource-based policy.",
"The resource is public: anyone, including anonymous callers, can perform the allowed actions. The two principal forms are equivalent.",
P(S(Principal="*")), P(S(Principal="*", Condition={"StringEquals":{"aws:PrincipalOrgID":"o-exampleorgid"}})), ptype="resource")

rule("GL094","pass-role-with-wildcard-resource","Security","granting",["PASS_ROLE_WITH_STAR_IN_RESOURCE","PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE","PASS_ROLE_WITH_NOTRESOURCE","PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE","PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE","PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION"],U+"id_roles_use_passrole.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow || !statement_covers(s, "iam:passrole") { continue; }
    let Some(r) = &s.resource else { continue };
    let wide: Option<String> = if r.negated {
        Some("every role except the ones in `NotResource`".to_string())
    } else {
        r.items.iter().find(|i| is_all_resources(&i.value) || arn_fields(&i.value).is_some_and(|f| f[2] == "iam" && (f[4] == "*" || f[5] == "*" || f[5] == "role/*"))).map(|i| format!("`{}`", i.value))
    };
    let Some(wide) = wide else { continue };
    let scoped = s.conditions.iter().any(|c| c.key_lower == "iam:passedtoservice" && !c.op.if_exists && !c.op.base.is_negated());
    if scoped { continue; }
    let (span, via) = match matching_pattern(s, "iam:passrole") {
        Some(p) if p.lower != "iam:passrole" => (p.span, format!("`{}` (which includes `iam:PassRole`)", p.text)),
        Some(p) => (p.span, "`iam:PassRole`".to_string()),
        None => (s.action.key_span, "`NotAction` (which does not exclude `iam:PassRole`)".to_string()),
    };
    out.push(cx.finding(&RULE, span, format!("{via} is allowed on {wide}: the principal can pass any role, including administrator roles, to a service"))
        .help("list the role ARNs that may be passed, and add an `iam:PassedToService` condition (without IfExists)"));
}
''',
"Flags an Allow of `iam:PassRole` (directly, through a wildcard such as `iam:*` or `*`, or through `NotAction`) on `*`, on all roles, or with `NotResource`, unless an `iam:PassedToService` condition (without `IfExists`) limits it.",
"Passing a role to a service lets the service act with that role's permissions; passing any role is a privilege escalation path to any role in the account. `StringEqualsIfExists` on `iam:PassedToService` does not limit it, because the key can be absent.",
P(S(action="iam:PassRole", resource="*")),
P(S(action="iam:PassRole", resource="arn:aws:iam::111122223333:role/ecsTaskExecutionRole", Condition={"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}})))

rule("GL095","pass-role-without-passed-to-service","Warning","granting",[],U+"reference_policies_iam-condition-keys.html#ck_PassedToService",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    let Some(p) = matching_pattern(s, "iam:passrole") else { continue };
    if p.lower == "*" || has_key(s, "iam:passedtoservice") { continue; }
    out.push(cx.finding(&RULE, p.span, if p.lower == "iam:passrole" { "`iam:PassRole` is allowed without an `iam:PassedToService` condition".to_string() } else { format!("`{}` allows `iam:PassRole` without an `iam:PassedToService` condition", p.text) })
        .help("add `\\"Condition\\": {\\"StringEquals\\": {\\"iam:PassedToService\\": \\"<service>.amazonaws.com\\"}}` so the roles can be passed only to the intended service"));
}
''',
"Flags an Allow of `iam:PassRole` (named or through an `iam:` wildcard) without an `iam:PassedToService` condition.",
"Without it, the role can be passed to any service that accepts roles (Lambda, EC2, Glue, CloudFormation, ...), which is how PassRole becomes privilege escalation.",
P(S(action="iam:PassRole", resource="arn:aws:iam::111122223333:role/ecsTaskExecutionRole")),
P(S(action="iam:PassRole", resource="arn:aws:iam::111122223333:role/ecsTaskExecutionRole", Condition={"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}})))

rule("GL096","create-slr-with-wildcard-resource","Warning","granting",["CREATE_SLR_WITH_STAR_IN_RESOURCE","CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE","CREATE_SLR_WITH_NOTRESOURCE","CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE","CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE","CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION"],U+"id_roles_create-service-linked-role.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow || !statement_covers(s, "iam:createservicelinkedrole") { continue; }
    let Some(r) = &s.resource else { continue };
    let wide = r.negated || r.items.iter().any(|i| is_all_resources(&i.value));
    if !wide || has_key(s, "iam:awsservicename") { continue; }
    let span = matching_pattern(s, "iam:createservicelinkedrole").map_or(s.action.key_span, |p| p.span);
    out.push(cx.finding(&RULE, span, "`iam:CreateServiceLinkedRole` is allowed on every resource: the principal can create service-linked roles for any service")
        .help("limit `Resource` to the service-linked role ARNs needed, or add an `iam:AWSServiceName` condition"));
}
''',
"Flags an Allow of `iam:CreateServiceLinkedRole` on `*` (or with `NotResource`) without an `iam:AWSServiceName` condition.",
"The principal can create service-linked roles for services it does not use, which grants those services access to the account.",
P(S(action="iam:CreateServiceLinkedRole", resource="*")),
P(S(action="iam:CreateServiceLinkedRole", resource="*", Condition={"StringEquals":{"iam:AWSServiceName":"ecs.amazonaws.com"}})))

rule("GL097","privilege-escalation-action","Security","granting",[],"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow || s.action.negated { continue; }
    for a in &s.action.items {
        if a.lower == "*" || a.lower == "*:*" { continue; }
        let hits: Vec<String> = crate::lint::escalation::SINGLE.iter().filter(|x| glob_match(&a.lower, &x.to_ascii_lowercase())).map(|x| x.to_string()).collect();
        if hits.is_empty() { continue; }
        let what = if a.has_wildcard() { format!("`{}` expands to {}", a.text, name_list(&hits, 5)) } else { format!("`{}`", a.text) };
        let scope = if star_resource(s).is_some() { "on any resource" } else { "on the listed resources" };
        out.push(cx.finding(&RULE, a.span, format!("{what}: a privilege-escalation action allowed {scope}"))
            .help("a principal with this permission can give itself more permissions; restrict it to specific resources and principals, or add a permissions boundary"));
    }
}
''',
"Flags an Allow of an action that alone lets a principal raise its own permissions (the Rhino Security Labs set): `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`, `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`, `glue:UpdateDevEndpoint`, `lambda:UpdateFunctionCode`. Wildcards are expanded and named.",
"Each of these lets the principal grant itself (or a principal it controls) more permissions, up to administrator, without any other permission. `*` alone is reported by `full-admin` instead.",
P(S(action="iam:Attach*Policy", resource="*")), P(S(action="iam:GetPolicy", resource="*")),
limits="Statements limited to specific ARNs are still reported, because whether they escalate depends on what those resources are (target-dependent); ignore them in the configuration with a reason when the targets are safe.")

rule("GL098","privilege-escalation-combination","Security","granting",[],"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
'''
let _ = (cx, out);
''',
"Flags combinations of permissions that together allow privilege escalation, across the statements of a policy and across all the policies of one principal: `iam:PassRole` with `ec2:RunInstances`, with `lambda:CreateFunction` + `lambda:InvokeFunction` (or + `lambda:CreateEventSourceMapping`), with `glue:CreateDevEndpoint`, with `cloudformation:CreateStack`, with `datapipeline:CreatePipeline` + `datapipeline:PutPipelineDefinition`, with `ecs:RegisterTaskDefinition` + `ecs:RunTask`, or with `codebuild:CreateProject` + `codebuild:StartBuild`.",
"Passing a privileged role to a new compute resource that runs the principal's code gives the principal that role's permissions. The pieces often sit in different statements or policies, so per-statement checks miss them.",
P(S(action="iam:PassRole", resource="arn:aws:iam::111122223333:role/*", Condition={"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}), S(action=["lambda:CreateFunction","lambda:InvokeFunction"], resource="*")),
P(S(action=["lambda:CreateFunction","lambda:InvokeFunction"], resource="*")),
limits="The principal of a policy file is not known to the linter: the policies of one principal are all the documents of one user, group or role in an authorization-details file, or every file given with `--one-principal`. Otherwise each file is checked on its own. Deny statements and conditions are not subtracted.")
