import sys; sys.path.insert(0, "tools")
from rulegen import *
SCP = ORG + "orgs_manage_policies_scps_syntax.html"
SCPT = "&[PolicyType::Scp]"

rule("GL078","scp-not-resource","Error",SCPT,["SCP_SYNTAX_ERROR_NOTRESOURCE"],SCP,
'''
for s in &cx.policy.statements {
    if let Some(r) = &s.resource {
        if r.negated {
            out.push(cx.finding(&RULE, r.key_span, "an SCP cannot use `NotResource`").help("use `Resource`"));
        }
    }
}
''',
"Flags `NotResource` in a service control policy.",
"Organizations rejects the SCP.",
P(S(effect="Deny", action="s3:*", resource=("arn:aws:s3:::example-bucket",))), P(S(effect="Deny", action="s3:*", resource="arn:aws:s3:::example-bucket")), ptype="scp")

rule("GL079","scp-allow-with-condition","Error",SCPT,["SCP_SYNTAX_ERROR_ALLOW_CONDITION"],SCP,
'''
for s in &cx.policy.statements {
    if s.effect.value == Effect::Allow {
        if let Some(span) = s.condition_span {
            out.push(cx.finding(&RULE, span, "an SCP cannot use `Condition` in an Allow statement").help("express the restriction as a Deny statement with the negated condition"));
        }
    }
}
''',
"Flags a `Condition` in an Allow statement of an SCP.",
"Organizations rejects it: SCP Allow statements cannot be conditional.",
P(S(action="s3:*", resource="*", Condition={"StringEquals":{"aws:RequestedRegion":"eu-west-1"}})),
P(S(effect="Deny", action="s3:*", resource="*", Condition={"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}})), ptype="scp")

rule("GL080","scp-allow-with-not-action","Error",SCPT,["SCP_SYNTAX_ERROR_ALLOW_NOTACTION"],SCP,
'''
for s in &cx.policy.statements {
    if s.effect.value == Effect::Allow && s.action.negated {
        out.push(cx.finding(&RULE, s.action.key_span, "an SCP cannot use `NotAction` in an Allow statement").help("list the allowed actions with `Action`, or deny the others with a Deny + NotAction statement"));
    }
}
''',
"Flags `NotAction` in an Allow statement of an SCP.",
"Organizations rejects it.",
P(S(action=("iam:*",), resource="*")), P(S(effect="Deny", action=("iam:*",), resource="*")), ptype="scp")

rule("GL081","scp-allow-with-specific-resource","Error",SCPT,["SCP_SYNTAX_ERROR_ALLOW_RESOURCE"],SCP,
'''
for s in &cx.policy.statements {
    if s.effect.value != Effect::Allow { continue; }
    if let Some(r) = &s.resource {
        for i in &r.items {
            if i.value != "*" {
                out.push(cx.finding(&RULE, i.span, format!("an SCP Allow statement must use `\\"Resource\\": \\"*\\"`, not `{}`", i.value)).help("use \\"*\\", and restrict resources with a Deny statement"));
            }
        }
    }
}
''',
"Flags an SCP Allow statement with a `Resource` other than `*`.",
"Organizations rejects it: SCP Allow statements apply to all resources.",
P(S(action="s3:*", resource="arn:aws:s3:::example-bucket")), P(S(action="s3:*", resource="*")), ptype="scp")

rule("GL082","scp-mid-string-action-wildcard","Error",SCPT,["SCP_SYNTAX_ERROR_ACTION_WILDCARD"],SCP,
'''
for s in &cx.policy.statements {
    for a in &s.action.items {
        let t = a.text.trim_end_matches('*');
        if t.contains(['*', '?']) {
            out.push(cx.finding(&RULE, a.span, format!("`{}` has a wildcard before the end; SCP actions allow `*` only at the end", a.text)).help("list the actions, or use a single trailing `*`"));
        }
    }
}
''',
"Flags an SCP action with a wildcard anywhere but at the end (`iam:*AccessKey*`, `s3:Get?bject`).",
"Organizations rejects the SCP.",
P(S(effect="Deny", action="iam:*AccessKey*", resource="*")), P(S(effect="Deny", action="iam:CreateAccessKey", resource="*")), ptype="scp")

size_body = '''
let size = cx.source().slice(cx.policy.span).chars().filter(|c| !c.is_whitespace()).count();
if size > LIMIT {
    out.push(cx.finding(&RULE, cx.policy.statement_key_span, format!("the policy has {size} characters excluding whitespace, over the {LIMIT_TEXT}-character {WHAT} quota"))
        .label("this policy")
        .help(HELP));
}
'''
rule("GL083","identity-policy-size-quota","Warning","identity",["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"],U+"reference_iam-quotas.html#reference_iam-quotas-entity-length",
'const LIMIT: usize = 6144;\nconst LIMIT_TEXT: &str = "6,144";\nconst WHAT: &str = "managed policy";\nconst HELP: &str = "split it into several granular policies (IAM does not count whitespace; inline policies share 2,048 per user, 5,120 per group and 10,240 per role)";\n' + size_body,
"Flags an identity policy or boundary longer than 6,144 characters, not counting whitespace (the managed policy quota).",
"IAM rejects a customer managed policy over 6,144 characters. (Inline policies have aggregate quotas per identity: user 2,048, group 5,120, role 10,240.) Access Analyzer reports 10,240 for identity policies, so it stays silent between the two numbers.",
P(*[S(action=[f"s3:GetObject"], resource=[f"arn:aws:s3:::example-bucket-number-{i:04d}/*" for i in range(j*40, j*40+40)]) for j in range(5)]),
P(S()), example='{"Version": "2012-10-17", "Statement": [ ... 6,200 characters ... ]}', use='several policies of at most 6,144 characters each')

rule("GL084","scp-size-quota","Error",SCPT,["POLICY_SIZE_EXCEEDS_SCP_QUOTA"],ORG+"orgs_reference_limits.html",
'const LIMIT: usize = 5120;\nconst LIMIT_TEXT: &str = "5,120";\nconst WHAT: &str = "service control policy";\nconst HELP: &str = "split it into several SCPs (Organizations does not count whitespace)";\n' + size_body,
"Flags an SCP longer than 5,120 characters, not counting whitespace.",
"Organizations rejects an SCP over its size quota.",
P(*[S(effect="Deny", action=[f"s3:DeleteObject"], resource=[f"arn:aws:s3:::example-bucket-number-{i:04d}/*" for i in range(j*40, j*40+40)]) for j in range(4)]),
P(S(effect="Deny", action="s3:DeleteBucket", resource="*")), ptype="scp", example='{"Version": "2012-10-17", "Statement": [ ... 5,200 characters ... ]}', use='several SCPs of at most 5,120 characters each')

rule("GL085","trust-policy-size-quota","Warning","&[PolicyType::Trust]",["POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"],U+"reference_iam-quotas.html#reference_iam-quotas-entity-length",
'const LIMIT: usize = 2048;\nconst LIMIT_TEXT: &str = "2,048";\nconst WHAT: &str = "default role trust policy";\nconst HELP: &str = "request a role trust policy length increase (up to 4,096) in Service Quotas, or trust fewer principals";\n' + size_body,
"Flags a role trust policy longer than 2,048 characters, not counting whitespace (the default quota).",
"IAM rejects it unless the account's quota was raised (the documented maximum is 4,096).",
P(S(action="sts:AssumeRole", resource=None, Principal={"AWS":[f"arn:aws:iam::111122223333:role/deploy-role-number-{i:03d}" for i in range(60)]})),
P(S(action="sts:AssumeRole", resource=None, Principal={"AWS":"arn:aws:iam::111122223333:role/deploy"})), ptype="trust", example='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [ ... 60 role ARNs ... ]}, "Action": "sts:AssumeRole"}]}', use='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy"}, "Action": "sts:AssumeRole"}]}')

rule("GL086","missing-tag-key-in-condition","Error","all",["MISSING_TAG_KEY_IN_CONDITION"],U+"access_tags.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        let k = c.key_lower.as_str();
        for prefix in ["aws:requesttag/", "aws:resourcetag/", "aws:principaltag/"] {
            if k == prefix || k == prefix.trim_end_matches('/') {
                out.push(cx.finding(&RULE, c.key_span, format!("`{}` needs a tag key after the `/`", c.key))
                    .help(format!("write `{}/<tag-key>`, for example `{}/team`", c.key.trim_end_matches('/'), c.key.trim_end_matches('/'))));
            }
        }
    }
}
''',
"Flags `aws:RequestTag`, `aws:ResourceTag` or `aws:PrincipalTag` used without a tag key (`aws:ResourceTag/`).",
"The key does not exist without a tag key, so the condition never matches (or, negated, always does).",
P(S(Condition={"StringEquals":{"aws:ResourceTag/":"ops"}})), P(S(Condition={"StringEquals":{"aws:ResourceTag/team":"ops"}})))

rule("GL087","invalid-vpc-identifier","Error","all",["INVALID_VPC_FORMAT","INVALID_VPCE_FORMAT"],U+"reference_policies_condition-keys.html#condition-keys-sourcevpc",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        let prefix = match c.key_lower.as_str() { "aws:sourcevpc" => "vpc-", "aws:sourcevpce" => "vpce-", _ => continue };
        if c.op.base.family() != OpFamily::String { continue; }
        for v in &c.values {
            let t = v.text.as_str();
            if t.contains(['*', '?']) || t.contains("${") { continue; }
            let ok = t.strip_prefix(prefix).is_some_and(|id| (id.len() == 8 || id.len() == 17) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            if !ok {
                out.push(cx.finding(&RULE, v.span, format!("`{t}` is not a valid `{}` identifier", prefix.trim_end_matches('-')))
                    .help(format!("use `{prefix}` followed by 8 or 17 lower-case letters or digits")));
            }
        }
    }
}
''',
"Flags an `aws:SourceVpc` value that is not `vpc-` + 8 or 17 characters, or an `aws:SourceVpce` value that is not `vpce-` + 8 or 17 characters.",
"A malformed identifier never matches, so the network restriction does not work as intended.",
P(S(Condition={"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c"}})), P(S(Condition={"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})))

rule("GL088","equivalent-to-null-false","Suggestion","all",["EQUIVALENT_TO_NULL_FALSE"],U+"reference_policies_elements_condition_operators.html#Conditions_Null",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.base == OpBase::StringLike && c.op.qualifier.is_none() && !c.op.if_exists && c.values.len() == 1 && c.values[0].text == "*" {
            out.push(cx.finding(&RULE, c.key_span, format!("`StringLike` with `*` on `{}` only tests that the key is present", c.key))
                .help(format!("write `\\"Null\\": {{\\"{}\\": \\"false\\"}}` to say so directly", c.key)));
        }
    }
}
''',
"Flags `StringLike` with the single value `*`, which only tests that the key exists.",
"`{\"StringLike\": {\"aws:RequestTag/team\": \"*\"}}` is the same as `{\"Null\": {\"aws:RequestTag/team\": \"false\"}}`; the `Null` form says what it means and is enforced more predictably.",
P(S(Condition={"StringLike":{"aws:RequestTag/team":"*"}})), P(S(Condition={"Null":{"aws:RequestTag/team":"false"}})))
