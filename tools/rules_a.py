import sys; sys.path.insert(0, "tools")
from rulegen import *

rule("GL020","missing-version","Warning","all",["MISSING_VERSION"],U+"reference_policies_elements_version.html",
'''
if cx.policy.version.is_none() {
    let span = cx.policy.statement_key_span;
    out.push(cx.finding(&RULE, span, "the policy has no `Version` element")
        .label("no `Version` before this")
        .help("add \\"Version\\": \\"2012-10-17\\"; without it policy variables such as `${aws:username}` are literal text"));
}
''',
"Flags a policy without a `Version` element.",
"Without `\"Version\": \"2012-10-17\"` IAM uses the 2008 language: policy variables such as `${aws:username}` are treated as literal text, and the AWS docs contradict each other about the default.",
P(S(), version=None), P(S()))

rule("GL021","outdated-version","Warning","all",[],U+"reference_policies_elements_version.html",
'''
if let Some(v) = &cx.policy.version {
    if v.value == Version::V2008_10_17 {
        out.push(cx.finding(&RULE, v.span, "the policy uses the outdated language version `2008-10-17`")
            .help("use \\"2012-10-17\\"; policy variables and newer features do not work in 2008-10-17"));
    }
}
''',
"Flags `\"Version\": \"2008-10-17\"`.",
"The AWS docs say to always use `2012-10-17`; under the older version policy variables are literal strings.",
P(S(), version="2008-10-17"), P(S()))

rule("GL022","missing-resource","Error","[PolicyType::Identity, PolicyType::Boundary, PolicyType::Resource]".replace("[","&["),["MISSING_RESOURCE"],U+"reference_policies_elements_resource.html",
'''
for s in &cx.policy.statements {
    if s.resource.is_none() {
        out.push(cx.finding(&RULE, s.action.key_span, format!("statement {} has neither `Resource` nor `NotResource`", s.index))
            .label("in this statement")
            .help("add a `Resource` element naming the ARNs the actions apply to (or \\"*\\" for actions without resource-level permissions)"));
    }
}
''',
"Flags a statement of an identity, boundary or resource policy that has neither `Resource` nor `NotResource`.",
"IAM requires one of them in these policy types and rejects the document. (Role trust policies are the opposite: see `resource-in-trust-policy`.)",
P(S(resource=None)), P(S()))

rule("GL023","resource-in-trust-policy","Error","&[PolicyType::Trust]",["ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"],U+"reference_policies_elements_resource.html",
'''
for s in &cx.policy.statements {
    if let Some(r) = &s.resource {
        out.push(cx.finding(&RULE, r.key_span, "a role trust policy cannot have a `Resource` or `NotResource` element")
            .help("remove it: a trust policy applies to the role it is attached to"));
    }
}
''',
"Flags `Resource` or `NotResource` in a role trust policy.",
"A trust policy applies to the role it is attached to; IAM rejects a trust policy with a resource element.",
P(S(action="sts:AssumeRole", resource="*", Principal={"Service":"ec2.amazonaws.com"})),
P(S(action="sts:AssumeRole", resource=None, Principal={"Service":"ec2.amazonaws.com"})), ptype="trust")

rule("GL024","principal-in-identity-policy","Error","&[PolicyType::Identity, PolicyType::Boundary, PolicyType::Scp]",["UNSUPPORTED_PRINCIPAL","SCP_SYNTAX_ERROR_PRINCIPAL"],U+"reference_policies_elements_principal.html",
'''
for s in &cx.policy.statements {
    if let Some(p) = &s.principal {
        let key = if p.negated { "NotPrincipal" } else { "Principal" };
        out.push(cx.finding(&RULE, p.key_span, format!("a {} policy cannot have a `{key}` element", cx.policy_type))
            .help("the principal of an identity policy is the user, group or role it is attached to; remove the element (or lint the file with --policy-type resource)"));
    }
}
''',
"Flags `Principal` or `NotPrincipal` in an identity policy, a permissions boundary or an SCP.",
"These policies apply to the identity they are attached to; IAM and Organizations reject a principal element in them.",
P(S(Principal={"AWS":"arn:aws:iam::111122223333:root"})), P(S()), ptype="identity")

rule("GL025","missing-principal","Error","principal",["MISSING_PRINCIPAL"],U+"reference_policies_elements_principal.html",
'''
for s in &cx.policy.statements {
    if s.principal.is_none() {
        out.push(cx.finding(&RULE, s.effect.span, format!("statement {} of a {} policy has no `Principal`", s.index, cx.policy_type))
            .label("in this statement")
            .help("name who the statement applies to with `Principal`"));
    }
}
''',
"Flags a statement of a resource policy or role trust policy without `Principal` (or `NotPrincipal`).",
"Resource-based policies and trust policies must say who they apply to; the service rejects the document.",
P(S(action="sts:AssumeRole", resource=None), S(action="sts:AssumeRole", resource=None, Principal={"Service":"ec2.amazonaws.com"})),
P(S(action="sts:AssumeRole", resource=None, Principal={"Service":"ec2.amazonaws.com"})), ptype="trust")

rule("GL026","id-in-identity-policy","Warning","identity",[],U+"reference_policies_elements_id.html",
'''
if let Some(id) = &cx.policy.id {
    out.push(cx.finding(&RULE, id.span, "an identity policy should not have an `Id` element")
        .help("remove `Id`; the grammar allows it in resource-based policies only"));
}
''',
"Flags the policy-level `Id` element in an identity policy or permissions boundary.",
"The IAM grammar says the `Id` block \"must not be included in identity-based policies\"; some services reject it and it has no effect.",
P(S(), extra={"Id":"deploy-policy"}), P(S()))

sid_dup_body = '''
let mut seen: Vec<&Spanned<String>> = Vec::new();
for s in &cx.policy.statements {
    if let Some(sid) = &s.sid {
        if sid.value.is_empty() { continue; }
        if let Some(first) = seen.iter().find(|f| f.value == sid.value) {
            out.push(cx.finding(&RULE, sid.span, format!("the Sid `{}` is used by more than one statement", sid.value))
                .label("duplicate")
                .related(first.span, "first used here")
                .help("give every statement a unique Sid"));
        } else {
            seen.push(sid);
        }
    }
}
'''
rule("GL027","duplicate-sid","Error","&[PolicyType::Identity, PolicyType::Boundary, PolicyType::Trust, PolicyType::Scp, PolicyType::Rcp]",["UNIQUE_SIDS_REQUIRED"],U+"reference_policies_elements_sid.html",
sid_dup_body,
"Flags two statements with the same `Sid` in an IAM policy (identity, boundary, trust) or an SCP/RCP.",
"\"In IAM, the Sid value must be unique within a JSON policy\": IAM rejects the document. Tools that key statements by Sid (Terraform once did) silently drop all but one.",
P(S(Sid="Read"), S(action="s3:ListBucket", resource="arn:aws:s3:::example-bucket", Sid="Read")),
P(S(Sid="ReadObjects"), S(action="s3:ListBucket", resource="arn:aws:s3:::example-bucket", Sid="ListBucket")))

rule("GL028","duplicate-sid-in-resource-policy","Warning","&[PolicyType::Resource]",["UNIQUE_SIDS_RECOMMENDED"],U+"reference_policies_elements_sid.html",
sid_dup_body,
"Flags two statements with the same `Sid` in a resource-based policy.",
"Some services accept duplicate Sids in resource policies, but tools and people refer to statements by Sid; duplicates make findings and edits ambiguous.",
P(S(Sid="Read", Principal={"AWS":"arn:aws:iam::111122223333:root"}), S(action="s3:ListBucket", resource="arn:aws:s3:::example-bucket", Sid="Read", Principal={"AWS":"arn:aws:iam::111122223333:root"})),
P(S(Sid="ReadObjects", Principal={"AWS":"arn:aws:iam::111122223333:root"}), S(action="s3:ListBucket", resource="arn:aws:s3:::example-bucket", Sid="List", Principal={"AWS":"arn:aws:iam::111122223333:root"})), ptype="resource")

rule("GL029","invalid-sid-characters","Error","&[PolicyType::Identity, PolicyType::Boundary, PolicyType::Trust, PolicyType::Scp, PolicyType::Rcp]",["UNSUPPORTED_SID"],U+"reference_policies_elements_sid.html",
'''
for s in &cx.policy.statements {
    if let Some(sid) = &s.sid {
        if let Some(bad) = sid.value.chars().find(|c| !c.is_ascii_alphanumeric()) {
            out.push(cx.finding(&RULE, sid.span, format!("the Sid `{}` contains `{}`; IAM Sids allow only A-Z, a-z and 0-9", sid.value, bad.escape_default()))
                .help(format!("rename it, for example `{}`", sid.value.chars().filter(char::is_ascii_alphanumeric).collect::<String>())));
        }
    }
}
''',
"Flags a `Sid` with characters other than ASCII letters and digits in an IAM policy or SCP/RCP.",
"IAM supports only `A-Z`, `a-z` and `0-9` in Sids and rejects the document otherwise (SQS and SNS resource policies allow more, so this rule does not apply to resource policies).",
P(S(Sid="read-objects")), P(S(Sid="ReadObjects")))

rule("GL030","empty-sid","Suggestion","all",["EMPTY_SID_VALUE"],U+"reference_policies_elements_sid.html",
'''
for s in &cx.policy.statements {
    if let Some(sid) = &s.sid {
        if sid.value.is_empty() {
            out.push(cx.finding(&RULE, sid.span, "the Sid is an empty string")
                .help("give the statement a descriptive Sid, or remove the `Sid` element"));
        }
    }
}
''',
"Flags `\"Sid\": \"\"`.",
"An empty Sid identifies nothing; it is valid but noise (it appears in several AWS documentation examples).",
P(S(Sid="")), P(S(Sid="ReadObjects")))

rule("GL031","empty-action-list","Suggestion","all",["EMPTY_ARRAY_ACTION"],U+"reference_policies_elements_action.html",
'''
for s in &cx.policy.statements {
    if s.action.items.is_empty() {
        let key = if s.action.negated { "NotAction" } else { "Action" };
        out.push(cx.finding(&RULE, s.action.span, format!("`{key}` is an empty array"))
            .help(if s.action.negated { "an empty `NotAction` matches every action; name the excluded actions or use `Action`" } else { "the statement matches no action and has no effect; name the actions or remove the statement" }));
    }
}
''',
"Flags `\"Action\": []` (or `\"NotAction\": []`).",
"An empty `Action` list matches nothing, so the statement has no effect; it is never `*`. An empty `NotAction` matches everything.",
P(S(action=[])), P(S()))

rule("GL032","empty-resource-list","Suggestion","all",["EMPTY_ARRAY_RESOURCE"],U+"reference_policies_elements_resource.html",
'''
for s in &cx.policy.statements {
    if let Some(r) = &s.resource {
        if r.items.is_empty() {
            out.push(cx.finding(&RULE, r.span, format!("`{}` is an empty array", if r.negated { "NotResource" } else { "Resource" }))
                .help("the statement matches no resource and has no effect; name the resources or remove the statement"));
        }
    }
}
''',
"Flags `\"Resource\": []` (or `\"NotResource\": []`).",
"An empty resource list matches nothing (never `*`), so the statement silently has no effect.",
P(S(resource=[])), P(S()))

rule("GL033","empty-principal","Suggestion","all",["EMPTY_ARRAY_PRINCIPAL","EMPTY_OBJECT_PRINCIPAL"],U+"reference_policies_elements_principal.html",
'''
for s in &cx.policy.statements {
    if let Some(p) = &s.principal {
        if let PrincipalValue::Map(entries) = &p.value {
            if entries.is_empty() {
                out.push(cx.finding(&RULE, p.span, "the principal is an empty object").help("name the principals the statement applies to"));
            }
            for e in entries {
                if e.values.is_empty() {
                    out.push(cx.finding(&RULE, e.key_span, format!("the `{}` principal list is empty", e.kind.as_str())).help("name the principals or remove the key"));
                }
            }
        }
    }
}
''',
"Flags `\"Principal\": {}` and principal lists such as `{\"AWS\": []}`.",
"A statement with no principal applies to nobody and has no effect; it is never everyone.",
P(S(Principal={"AWS":[]})), P(S(Principal={"AWS":"arn:aws:iam::111122223333:root"})), ptype="resource")

rule("GL034","empty-condition-block","Suggestion","all",["EMPTY_OBJECT_CONDITION"],U+"reference_policies_elements_condition.html",
'''
for s in &cx.policy.statements {
    if let Some(span) = s.condition_span {
        if s.conditions.is_empty() {
            out.push(cx.finding(&RULE, span, "the `Condition` block is empty")
                .help("an empty Condition has no effect: the statement is unconditional; add the intended condition or remove the block"));
        }
    }
}
''',
"Flags `\"Condition\": {}` and operators with no keys.",
"An empty condition block has no effect, so a statement that looks conditional is unconditional.",
P(S(Condition={})), P(S(Condition={"Bool":{"aws:SecureTransport":"true"}})))

rule("GL035","empty-condition-values","Suggestion","all",["EMPTY_ARRAY_CONDITION","EMPTY_ARRAY_CONDITION_FORALLVALUES","EMPTY_ARRAY_CONDITION_FORANYVALUE","EMPTY_ARRAY_CONDITION_IFEXISTS"],U+"reference_policies_condition-single-vs-multi-valued-context-keys.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.values.is_empty() {
            let what = match (c.op.qualifier, c.op.if_exists) {
                (Some(SetQualifier::ForAllValues), _) => "with `ForAllValues` it matches only when the key is missing",
                (Some(SetQualifier::ForAnyValue), _) => "with `ForAnyValue` it never matches",
                (None, true) => "with `IfExists` it matches only when the key is missing",
                (None, false) => "the condition never matches",
            };
            out.push(cx.finding(&RULE, c.values_span, format!("condition key `{}` has an empty value list: {what}", c.key))
                .help("give the key its values, or use the `Null` operator to test whether it is present"));
        }
    }
}
''',
"Flags a condition key whose value is an empty array.",
"The result depends on the operator: no match at all, or a match only when the key is missing. Either way it rarely does what was intended.",
P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":[]}})), P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":["ops"]}})))

rule("GL036","empty-string-value","Error","all",[],U+"reference_policies_grammar.html",
'''
for s in &cx.policy.statements {
    for a in &s.action.items {
        if a.text.is_empty() {
            out.push(cx.finding(&RULE, a.span, "an action is the empty string").help("write `service:Action`, or remove the item"));
        }
    }
    if let Some(r) = &s.resource {
        for i in &r.items {
            if i.value.is_empty() {
                out.push(cx.finding(&RULE, i.span, "a resource is the empty string").help("write an ARN or \\"*\\", or remove the item"));
            }
        }
    }
    if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
        for e in entries {
            for v in &e.values {
                if v.value.is_empty() {
                    out.push(cx.finding(&RULE, v.span, format!("a `{}` principal is the empty string", e.kind.as_str())).help("name the principal, or remove the item"));
                }
            }
        }
    }
}
''',
"Flags an empty string in `Action`, `NotAction`, `Resource`, `NotResource` or a principal list.",
"An empty action, ARN or principal is invalid; IAM rejects the document or the item matches nothing.",
P(S(resource=["arn:aws:s3:::example-bucket/*", ""])), P(S(resource=["arn:aws:s3:::example-bucket/*"])))
