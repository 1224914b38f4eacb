import sys; sys.path.insert(0, "tools")
from rulegen import *
PR = U+"reference_policies_elements_principal.html"
TR = lambda **kw: S(action="sts:AssumeRole", resource=None, **kw)
ACCT = "arn:aws:iam::111122223333:root"

rule("GL064","invalid-service-principal-format","Error","principal",["INVALID_SERVICE_PRINCIPAL_FORMAT"],PR+"#principal-services",
'''
for s in &cx.policy.statements {
    for v in principals(s, PrincipalKind::Service) {
        let p = v.value.as_str();
        let ok = p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && [".amazonaws.com", ".amazon.com", ".amazonaws.com.cn"].iter().any(|suf| p.strip_suffix(suf).is_some_and(|h| !h.is_empty() && !h.starts_with('.')));
        if !ok && !p.is_empty() {
            out.push(cx.finding(&RULE, v.span, format!("`{p}` is not a service principal"))
                .help("service principals are lower case and look like `service.amazonaws.com` (some end in `.amazon.com` or `.amazonaws.com.cn`)"));
        }
    }
}
''',
"Flags a `Service` principal that is not lower case or does not end in `.amazonaws.com`, `.amazon.com` or `.amazonaws.com.cn`.",
"Service principals are case-sensitive identifiers; `EC2.amazonaws.com` or `ec2` match no service, so the trust or grant silently does not work.",
P(TR(Principal={"Service":"ECS-Tasks.amazonaws.com"})), P(TR(Principal={"Service":"ecs-tasks.amazonaws.com"})), ptype="trust")

rule("GL065","invalid-aws-principal","Error","principal",["INVALID_PRINCIPAL_FORMAT"],PR+"#principal-accounts",
'''
for s in &cx.policy.statements {
    for v in principals(s, PrincipalKind::Aws) {
        let p = v.value.as_str();
        if p.is_empty() || p == "*" || p.contains("${") { continue; }
        let account = p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit());
        let unique_id = p.len() >= 16 && (p.starts_with("AROA") || p.starts_with("AIDA")) && p.bytes().all(|b| b.is_ascii_alphanumeric());
        let arn = arn_fields(p).is_some_and(|f| f[0] == "arn" && matches!(f[2], "iam" | "sts") && !f[5].is_empty());
        if !(account || unique_id || arn) {
            out.push(cx.finding(&RULE, v.span, format!("`{p}` is not an AWS principal"))
                .help("write a 12-digit account ID, or an IAM/STS ARN such as `arn:aws:iam::111122223333:role/name`"));
        }
    }
}
''',
"Flags an `AWS` principal that is not `*`, a 12-digit account ID, or an `iam`/`sts` ARN.",
"A principal IAM cannot resolve is rejected, or matches nobody. Account IDs and their `:root` ARNs are equivalent and both accepted.",
P(S(Principal={"AWS":"11112222333"})), P(S(Principal={"AWS":["111122223333", ACCT]})), ptype="resource")

rule("GL066","wildcard-in-principal","Error","principal",["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],PR+"#principal-anonymous",
'''
for s in &cx.policy.statements {
    if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
        for e in entries {
            for v in &e.values {
                if v.value != "*" && v.value.contains(['*', '?']) {
                    out.push(cx.finding(&RULE, v.span, format!("`{}` contains a wildcard; principals cannot be partial wildcards", v.value))
                        .help("name the principals exactly, or use \\"*\\" with a condition on `aws:PrincipalArn` (ArnLike) to match a pattern"));
                }
            }
        }
    }
}
''',
"Flags a principal with a partial wildcard, such as `arn:aws:iam::111122223333:role/deploy-*`.",
"IAM does not expand wildcards in principals; the pattern matches nobody (or the policy is rejected). Use `\"*\"` with an `ArnLike` condition on `aws:PrincipalArn` instead.",
P(S(Principal={"AWS":"arn:aws:iam::111122223333:role/deploy-*"})), P(S(Principal={"AWS":"arn:aws:iam::111122223333:role/deploy"})), ptype="resource")

rule("GL067","principal-unique-id","Warning","principal",["INVALID_ROLE_REFERENCE","INVALID_USER_REFERENCE"],PR+"#principal-roles",
'''
for s in &cx.policy.statements {
    for v in principals(s, PrincipalKind::Aws) {
        let p = v.value.as_str();
        let kind = if p.starts_with("AROA") { "role" } else if p.starts_with("AIDA") { "user" } else { continue };
        if p.len() >= 16 && p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            out.push(cx.finding(&RULE, v.span, format!("the principal is the unique ID `{p}` of an IAM {kind}"))
                .help(format!("use the {kind} ARN; a unique ID here usually means the {kind} was deleted, and a recreated {kind} with the same name is not trusted")));
        }
    }
}
''',
"Flags an IAM role or user unique ID (`AROA...`, `AIDA...`) in a principal.",
"IAM stores principals as unique IDs and shows the ID when the role or user was deleted; the statement no longer applies to anyone by that name.",
P(S(Principal={"AWS":"AROAEXAMPLEID1234567"})), P(S(Principal={"AWS":"arn:aws:iam::111122223333:role/deploy"})), ptype="resource")

rule("GL068","invalid-federated-principal","Error","&[PolicyType::Trust]",["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"],U+"id_roles_providers.html",
'''
for s in &cx.policy.statements {
    for v in principals(s, PrincipalKind::Federated) {
        let p = v.value.as_str();
        let saml_or_oidc_arn = arn_fields(p).is_some_and(|f| f[2] == "iam" && (f[5].starts_with("saml-provider/") || f[5].starts_with("oidc-provider/")));
        let domain = !p.starts_with("arn:") && p.contains('.') && !p.contains(['/', ' ', '*']);
        if !(saml_or_oidc_arn || domain) {
            out.push(cx.finding(&RULE, v.span, format!("`{p}` is not a federated principal"))
                .help("use a SAML or OIDC provider ARN (`arn:aws:iam::111122223333:saml-provider/Name`) or a provider domain such as `cognito-identity.amazonaws.com`"));
        }
    }
}
''',
"Flags a `Federated` principal that is neither a SAML/OIDC provider ARN nor a provider domain.",
"IAM rejects it, or the trust never matches a web identity or SAML assertion.",
P(S(action="sts:AssumeRoleWithSAML", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:role/Okta"})),
P(S(action="sts:AssumeRoleWithSAML", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:saml-provider/Okta"})), ptype="trust")

rule("GL069","mismatched-action-for-principal","Error","&[PolicyType::Trust]",["MISMATCHED_ACTION_FOR_PRINCIPAL"],U+"id_roles_providers.html",
'''
for s in &cx.policy.statements {
    if s.action.negated { continue; }
    let fed = principals(s, PrincipalKind::Federated);
    if fed.is_empty() { continue; }
    let saml = fed.iter().any(|v| v.value.contains(":saml-provider/"));
    let oidc = fed.iter().any(|v| !v.value.contains(":saml-provider/"));
    for a in &s.action.items {
        let bad = (a.lower == "sts:assumerolewithwebidentity" && saml && !oidc) || (a.lower == "sts:assumerolewithsaml" && oidc && !saml) || a.lower == "sts:assumerole";
        if bad {
            out.push(cx.finding(&RULE, a.span, format!("`{}` does not work with the federated principal of this statement", a.text))
                .help("use `sts:AssumeRoleWithSAML` with a SAML provider and `sts:AssumeRoleWithWebIdentity` with an OIDC provider"));
        }
    }
}
''',
"Flags a trust statement whose action does not match its federated principal: `sts:AssumeRoleWithWebIdentity` with a SAML provider, `sts:AssumeRoleWithSAML` with an OIDC provider, or `sts:AssumeRole` with either.",
"The role can never be assumed that way; the trust silently does not work.",
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:saml-provider/Okta"})),
P(S(action="sts:AssumeRoleWithSAML", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:saml-provider/Okta"})), ptype="trust")

rule("GL070","not-principal-in-trust-policy","Error","&[PolicyType::Trust]",["ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"],U+"reference_policies_elements_notprincipal.html",
'''
for s in &cx.policy.statements {
    if let Some(p) = &s.principal {
        if p.negated {
            out.push(cx.finding(&RULE, p.key_span, "a role trust policy cannot use `NotPrincipal`")
                .help("name the trusted principals with `Principal`"));
        }
    }
}
''',
"Flags `NotPrincipal` in a role trust policy.",
"IAM does not support `NotPrincipal` in trust policies.",
P(S(action="sts:AssumeRole", resource=None, NotPrincipal={"AWS":ACCT})), P(TR(Principal={"AWS":ACCT})), ptype="trust")

rule("GL071","wildcard-principal-in-trust-policy","Error","&[PolicyType::Trust]",["ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],U+"reference_policies_elements_principal.html#principal-anonymous",
'''
for s in &cx.policy.statements {
    if let Some(p) = &s.principal {
        if !p.negated && matches!(p.value, PrincipalValue::Star) && s.effect.value == Effect::Allow {
            out.push(cx.finding(&RULE, p.span, "`\\"Principal\\": \\"*\\"` is not supported in a role trust policy")
                .help("name the trusted accounts, roles or services"));
        }
    }
}
''',
"Flags `\"Principal\": \"*\"` in an Allow statement of a role trust policy.",
"Access Analyzer reports it as an error: a role trust policy must name who may assume the role.",
P(TR(Principal="*")), P(TR(Principal={"AWS":ACCT})), ptype="trust")

rule("GL072","open-trust-policy","Security","&[PolicyType::Trust]",[],U+"id_roles_terms-and-concepts.html",
'''
for s in &cx.policy.statements {
    if unconditional_allow(s) && principal_is_everyone(s) {
        if let Some(p) = &s.principal {
            out.push(cx.finding(&RULE, p.span, "any AWS principal in any account can assume this role: the trust policy allows everyone without a condition")
                .help("name the trusted accounts or roles, or add conditions such as `aws:PrincipalOrgID` or `sts:ExternalId`"));
        }
    }
}
''',
"Flags an Allow statement in a role trust policy whose principal is `*` or `{\"AWS\": \"*\"}` and that has no condition.",
"Anyone with AWS credentials, in any account, can assume the role. `\"*\"` and `{\"AWS\": \"*\"}` are equivalent.",
P(TR(Principal={"AWS":"*"})), P(TR(Principal={"AWS":"*"}, Condition={"StringEquals":{"aws:PrincipalOrgID":"o-exampleorgid"}})), ptype="trust")

rule("GL073","service-principal-without-source","Security","principal",["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"],U+"confused-deputy.html",
'''
const SOURCE_KEYS: [&str; 4] = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"];
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    let services = principals(s, PrincipalKind::Service);
    if services.is_empty() { continue; }
    if s.conditions.iter().any(|c| SOURCE_KEYS.contains(&c.key_lower.as_str())) { continue; }
    let names: Vec<String> = services.iter().map(|v| v.value.clone()).collect();
    out.push(cx.finding(&RULE, services[0].span, format!("the service principal {} is trusted without `aws:SourceAccount` or `aws:SourceArn`", name_list(&names, 3)))
        .help("add a condition on `aws:SourceAccount` (or `aws:SourceArn`) so the service can act only on behalf of your resources (confused deputy)"));
}
''',
"Flags an Allow statement for a `Service` principal without an `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` condition.",
"Without a source condition, the service can be made to act on behalf of another customer's resource (the cross-service confused deputy problem). AWS recommends these conditions for service trust and resource policies.",
P(TR(Principal={"Service":"ecs-tasks.amazonaws.com"})), P(TR(Principal={"Service":"ecs-tasks.amazonaws.com"}, Condition={"StringEquals":{"aws:SourceAccount":"111122223333"}})), ptype="trust",
limits="Some services do not send these keys for role assumption (Amazon EC2, for example); add the condition where the service documents it, or ignore the rule for that path in the configuration with a reason.")

rule("GL074","oidc-principal-without-condition","Security","&[PolicyType::Trust]",["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"],U+"id_roles_create_for-idp_oidc.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    for v in principals(s, PrincipalKind::Federated) {
        let Some(host) = v.value.split_once(":oidc-provider/").map(|(_, h)| h.to_ascii_lowercase()) else { continue };
        let host_prefix = format!("{host}:");
        if !s.conditions.iter().any(|c| c.key_lower.starts_with(&host_prefix)) {
            out.push(cx.finding(&RULE, v.span, format!("the OIDC provider `{host}` is trusted without a condition on its claims"))
                .help(format!("add conditions on `{host}:aud` and `{host}:sub` so only your identities can assume the role")));
        }
    }
}
''',
"Flags a trust statement for an OIDC provider without a condition on one of the provider's keys (`<provider>:aud`, `<provider>:sub`, ...).",
"Without a condition, every identity the provider issues tokens for (for a public provider, anyone) can assume the role.",
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.example.com"})),
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.example.com"}, Condition={"StringEquals":{"oidc.example.com:aud":"my-app"}})), ptype="trust")

GH = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
rule("GL075","github-oidc-without-sub","Security","&[PolicyType::Trust]",["MISSING_GITHUB_REPO_CONDITION_KEY"],U+"id_roles_create_for-idp_oidc.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    for v in principals(s, PrincipalKind::Federated) {
        if v.value.ends_with(":oidc-provider/token.actions.githubusercontent.com") && !has_key(s, "token.actions.githubusercontent.com:sub") {
            out.push(cx.finding(&RULE, v.span, "the GitHub Actions OIDC provider is trusted without a `token.actions.githubusercontent.com:sub` condition")
                .help("add `StringEquals`/`StringLike` on `token.actions.githubusercontent.com:sub`, such as `repo:my-org/my-repo:ref:refs/heads/main`; otherwise any repository on GitHub can assume the role"));
        }
    }
}
''',
"Flags a trust statement for GitHub Actions OIDC (`token.actions.githubusercontent.com`) without a condition on `token.actions.githubusercontent.com:sub`.",
"The `aud` claim is the same for every GitHub repository, so without `sub` any workflow in any repository can assume the role.",
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":GH}, Condition={"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}})),
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":GH}, Condition={"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:example-org/example-repo:ref:refs/heads/main"}})), ptype="trust")

rule("GL076","github-oidc-wildcard-sub","Warning","&[PolicyType::Trust]",["SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"],U+"id_roles_create_for-idp_oidc.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.key_lower != "token.actions.githubusercontent.com:sub" { continue; }
        for v in &c.values {
            let t = v.text.as_str();
            let org_repo = t.strip_prefix("repo:").and_then(|r| r.split(':').next()).unwrap_or("");
            if t == "*" || org_repo.contains('*') || t.ends_with(":*") && t.matches(':').count() < 2 || t.starts_with('*') {
                out.push(cx.finding(&RULE, v.span, format!("`{t}` lets more repositories or branches assume the role than intended"))
                    .help("name the organization, repository and branch or environment, such as `repo:my-org/my-repo:ref:refs/heads/main`"));
            }
        }
    }
}
''',
"Flags a `token.actions.githubusercontent.com:sub` value with a wildcard in the organization or repository part (or `*` alone).",
"A wildcard there trusts every repository it matches, including repositories created later by anyone who can name them.",
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":GH}, Condition={"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/*"}})),
P(S(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated":GH}, Condition={"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/example-repo:*"}})), ptype="trust")

rule("GL077","roles-anywhere-missing-actions","Error","&[PolicyType::Trust]",["MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"],"https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html",
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    let services = principals(s, PrincipalKind::Service);
    let Some(ra) = services.iter().find(|v| v.value == "rolesanywhere.amazonaws.com") else { continue };
    let missing: Vec<String> = ["sts:assumerole", "sts:setsourceidentity", "sts:tagsession"].iter()
        .filter(|a| !statement_covers(s, a))
        .map(|a| match *a { "sts:assumerole" => "sts:AssumeRole", "sts:setsourceidentity" => "sts:SetSourceIdentity", _ => "sts:TagSession" }.to_string())
        .collect();
    if !missing.is_empty() {
        out.push(cx.finding(&RULE, ra.span, format!("the role cannot be assumed through IAM Roles Anywhere without {}", name_list(&missing, 3)))
            .help("allow `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` for `rolesanywhere.amazonaws.com`"));
    }
}
''',
"Flags a trust statement for `rolesanywhere.amazonaws.com` that does not allow all of `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`.",
"IAM Roles Anywhere needs all three to create a session; without them the role cannot be used.",
P(TR(Principal={"Service":"rolesanywhere.amazonaws.com"}, Condition={"ArnEquals":{"aws:SourceArn":"arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/abc"}})),
P(S(action=["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"], resource=None, Principal={"Service":"rolesanywhere.amazonaws.com"}, Condition={"ArnEquals":{"aws:SourceArn":"arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/abc"}})), ptype="trust")
