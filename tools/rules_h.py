import sys; sys.path.insert(0, "tools")
from rulegen import *
SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
CAT_LIMIT = "Decided with the IAM action catalog shipped in the binary (or the one given with `--catalog`); an action AWS added after the catalog's date is reported until the catalog is refreshed (`greenlight catalog update`)."

rule("GL099","unknown-service","Error","all",["INVALID_SERVICE_IN_ACTION","INVALID_SERVICE"],SAR,
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for a in &s.action.items {
        let Some((svc, _)) = a.split() else { continue };
        if svc.is_empty() || svc.contains(['*', '?']) || cat.service(svc).is_some() { continue; }
        let orig = a.text.split(':').next().unwrap_or(svc);
        let mut f = cx.finding(&RULE, a.span, format!("the service prefix `{orig}` in `{}` does not exist", a.text));
        f = match cat.suggest(svc, 1).first() {
            Some(s) => f.help(format!("did you mean `{s}`?")),
            None => f.help("check the service prefix in the Service Authorization Reference; retired services are reported too"),
        };
        if s.effect.value == Effect::Deny {
            f.message.push_str(": this Deny protects nothing");
        }
        out.push(f);
    }
}
''',
"Flags an action whose service prefix is not in the IAM catalog, with the nearest real prefix (`codedpeloy:ContinueDeployment` → did you mean `codedeploy`?).",
"A misspelled prefix deploys fine and does nothing: an Allow grants nothing, and, worse, a Deny protects nothing.",
P(S(action="codedpeloy:ContinueDeployment", resource="*")), P(S(action="codedeploy:ContinueDeployment", resource="*")), limits=CAT_LIMIT)

rule("GL100","unknown-action","Error","all",["INVALID_ACTION"],SAR,
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for a in &s.action.items {
        let Some((svc, name)) = a.split() else { continue };
        if svc.contains(['*', '?']) || cat.service(svc).is_none() || name.is_empty() { continue; }
        if a.has_wildcard() {
            if cat.expand(&a.lower).is_empty() {
                let mut f = cx.finding(&RULE, a.span, format!("`{}` matches no action of `{svc}`", a.text));
                f = match cat.suggest(&a.text, 1).first() {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(format!("`greenlight expand '{svc}:*'` lists the actions of the service")),
                };
                out.push(f);
            }
        } else if cat.action(&a.lower).is_none() {
            let mut f = cx.finding(&RULE, a.span, format!("the action `{}` does not exist", a.text));
            f = match cat.suggest(&a.text, 1).first() {
                Some(s) => f.help(format!("did you mean `{s}`?")),
                None => f.help(format!("`greenlight expand '{svc}:*'` lists the actions of the service")),
            };
            if s.effect.value == Effect::Deny {
                f.message.push_str(": this Deny protects nothing");
            }
            out.push(f);
        }
    }
}
''',
"Flags an action that does not exist in its service, and a wildcard pattern that matches no action, with the nearest real action.",
"IAM accepts unknown actions silently: the permission is never granted, or never denied. Typos in a Deny leave the door open.",
P(S(action="s3:GetObjects")), P(S(action="s3:GetObject")), limits=CAT_LIMIT)

rule("GL101","unknown-condition-key","Error","all",["INVALID_SERVICE_CONDITION_KEY","INVALID_GLOBAL_CONDITION_KEY"],U+"reference_policies_condition-keys.html",
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for c in &s.conditions {
        let Some((prefix, rest)) = c.key_lower.split_once(':') else { continue };
        if rest.is_empty() || rest.ends_with('/') { continue; }
        let known_prefix = prefix == "aws" || cat.service(prefix).is_some();
        if !known_prefix { continue; }
        if cat.condition_key(&c.key).is_some() { continue; }
        let msg = if prefix == "aws" {
            format!("the global condition key `{}` does not exist", c.key)
        } else {
            format!("the condition key `{}` does not exist in the service `{prefix}`", c.key)
        };
        out.push(cx.finding(&RULE, c.key_span, format!("{msg}: the condition never matches (or, negated, always matches)"))
            .help("check the key in the Service Authorization Reference (`greenlight catalog` lists the keys of a service)"));
    }
}
''',
"Flags a condition key with the `aws:` prefix that is not a global key, or with a service prefix that the service does not define. Keys of identity providers (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`, ...) are not checked.",
"A key that does not exist is never in the request, so the condition never matches, or a negated one always does.",
P(S(Condition={"StringEquals":{"aws:SourceAcount":"111122223333"}})), P(S(Condition={"StringEquals":{"aws:SourceAccount":"111122223333"}})), limits=CAT_LIMIT)

type_prelude = '''
fn family_of(t: crate::catalog::KeyType) -> Option<OpFamily> {
    use crate::catalog::KeyType as K;
    Some(match t {
        K::String => OpFamily::String,
        K::Arn => OpFamily::Arn,
        K::Bool => OpFamily::Bool,
        K::Numeric => OpFamily::Numeric,
        K::Date => OpFamily::Date,
        K::IpAddress => OpFamily::Ip,
        K::Binary => OpFamily::Binary,
        K::Unknown => return None,
    })
}
fn family_name(f: OpFamily) -> &'static str {
    match f {
        OpFamily::String => "String",
        OpFamily::Arn => "ARN",
        OpFamily::Bool => "Boolean",
        OpFamily::Numeric => "Numeric",
        OpFamily::Date => "Date",
        OpFamily::Ip => "IP address",
        OpFamily::Binary => "Binary",
        OpFamily::Null => "Null",
    }
}
'''
rule("GL102","condition-type-mismatch","Warning","all",["TYPE_MISMATCH"],U+"reference_policies_elements_condition_operators.html",
type_prelude + '''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for c in &s.conditions {
        let have = c.op.base.family();
        if have == OpFamily::Null { continue; }
        let Some(key) = cat.condition_key(&c.key) else { continue };
        let Some(want) = family_of(key.key_type()) else { continue };
        let ok = have == want || (want == OpFamily::Arn && have == OpFamily::String) || (want == OpFamily::String && have == OpFamily::Arn);
        if !ok {
            out.push(cx.finding(&RULE, c.op_span, format!("`{}` is of type {}, but `{}` is a {} operator", c.key, key.type_name().unwrap_or("?"), c.op.name(), family_name(have)))
                .help(format!("use a {} operator for `{}`", family_name(want), c.key)));
        }
    }
}
''',
"Flags a condition operator whose type does not match the key's type in the catalog, such as `StringEquals` on the Boolean key `aws:ViaAWSService`.",
"IAM compares the values with the operator's type; with the wrong type the comparison may never match (for example `\"True\"` vs `true`).",
P(S(Condition={"StringEquals":{"aws:ViaAWSService":"true"}})), P(S(Condition={"Bool":{"aws:ViaAWSService":"true"}})), limits=CAT_LIMIT)

rule("GL103","string-like-operator-with-arn-key","Security","all",["STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"],U+"reference_policies_elements_condition_operators.html#Conditions_ARN",
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for c in &s.conditions {
        if !matches!(c.op.base, OpBase::StringLike | OpBase::StringNotLike) { continue; }
        let Some(key) = cat.condition_key(&c.key) else { continue };
        if key.key_type() == crate::catalog::KeyType::Arn {
            let arn_op = c.op.name().replace("StringLike", "ArnLike").replace("StringNotLike", "ArnNotLike");
            out.push(cx.finding(&RULE, c.op_span, format!("`{}` is an ARN key but `{}` compares it as a plain string", c.key, c.op.name()))
                .help(format!("use `{arn_op}`: it matches each ARN field separately, so `*` cannot run across fields")));
        }
    }
}
''',
"Flags `StringLike`/`StringNotLike` on a condition key of type ARN.",
"With `StringLike` a `*` can match across the colons of an ARN (`arn:aws:s3:::*:111122223333:x` matches ARNs of other accounts); `ArnLike` matches field by field.",
P(S(Condition={"StringLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}})), P(S(Condition={"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}})), limits=CAT_LIMIT)

rule("GL104","missing-qualifier","Error","all",["MISSING_QUALIFIER"],U+"reference_policies_condition-single-vs-multi-valued-context-keys.html",
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.qualifier.is_some() || c.op.base == OpBase::Null { continue; }
        let Some(key) = cat.condition_key(&c.key) else { continue };
        if key.is_multivalued() {
            out.push(cx.finding(&RULE, c.op_span, format!("`{}` can have several values ({}), but `{}` has no `ForAnyValue:` or `ForAllValues:` qualifier", c.key, key.type_name().unwrap_or("multivalued"), c.op.name()))
                .help(format!("write `ForAnyValue:{}` (any value matches) or `ForAllValues:{}` (every value matches)", c.op.name(), c.op.name())));
        }
    }
}
''',
"Flags a multivalued condition key (type `ArrayOf...`) used without `ForAnyValue:` or `ForAllValues:`.",
"Without a set qualifier, the comparison of a multivalued key is not well defined and Access Analyzer reports an error.",
P(S(Condition={"StringEquals":{"aws:TagKeys":"team"}})), P(S(Condition={"ForAllValues:StringEquals":{"aws:TagKeys":"team"}})), limits=CAT_LIMIT)

rule("GL105","forallvalues-with-single-valued-key","Security","all",["FORALLVALUES_WITH_SINGLE_VALUED_KEY"],U+"reference_policies_condition-single-vs-multi-valued-context-keys.html",
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.qualifier != Some(SetQualifier::ForAllValues) { continue; }
        let Some(key) = cat.condition_key(&c.key) else { continue };
        if key.type_name().is_some() && !key.is_multivalued() {
            out.push(cx.finding(&RULE, c.op_span, format!("`ForAllValues:` with the single-valued key `{}` is also true when the key is absent", c.key))
                .help(format!("remove `ForAllValues:` and use `{}`", c.op.name().trim_start_matches("ForAllValues:"))));
        }
    }
}
''',
"Flags `ForAllValues:` with a key that is single-valued in the catalog.",
"`ForAllValues` is true when the key is absent or empty, so with an Allow the condition grants access to every request that lacks the key. AWS: \"Do not use ForAllValues with an Allow effect\".",
P(S(Condition={"ForAllValues:StringEquals":{"aws:PrincipalTag/team":"ops"}})), P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":"ops"}})), limits=CAT_LIMIT)

rule("GL106","redundant-action","Suggestion","all",["REDUNDANT_ACTION"],U+"reference_policies_elements_action.html",
'''
let cat = crate::catalog::active();
for s in &cx.policy.statements {
    let items = &s.action.items;
    if items.len() < 2 { continue; }
    let sets: Vec<Vec<String>> = items.iter().map(|a| {
        if a.lower == "*" { return Vec::new(); }
        let mut v: Vec<String> = cat.expand(&a.lower).iter().map(|x| x.lowercase_name().to_string()).collect();
        v.sort();
        v
    }).collect();
    for (i, a) in items.iter().enumerate() {
        let covered_by = items.iter().enumerate().find(|(j, b)| {
            if *j == i { return false; }
            if b.lower == a.lower { return *j < i; }
            if b.lower == "*" { return true; }
            let (sa, sb) = (&sets[i], &sets[*j]);
            if sa.is_empty() { return !a.has_wildcard() && glob_match(&b.lower, &a.lower) && !sb.is_empty(); }
            sa.len() <= sb.len() && sa.iter().all(|x| sb.binary_search(x).is_ok()) && (sa.len() < sb.len() || *j < i)
        });
        if let Some((_, b)) = covered_by {
            out.push(cx.finding(&RULE, a.span, format!("`{}` is redundant: `{}` already covers it", a.text, b.text))
                .related(b.span, "covered by this")
                .help(format!("remove `{}`", a.text)));
        }
    }
}
''',
"Flags an action in an `Action`/`NotAction` list that another item of the same list already covers (a duplicate, or `s3:GetObject` next to `s3:Get*`); wildcards are compared by what they expand to in the catalog.",
"Redundant items make the policy longer (policies have size quotas) and harder to review.",
P(S(action=["s3:GetObject","s3:Get*"])), P(S(action=["s3:Get*","s3:ListBucket"])), limits=CAT_LIMIT)

rule("GL107","redundant-resource","Suggestion","all",["REDUNDANT_RESOURCE"],U+"reference_policies_elements_resource.html",
'''
for s in &cx.policy.statements {
    let Some(r) = &s.resource else { continue };
    for (i, a) in r.items.iter().enumerate() {
        let covered = r.items.iter().enumerate().find(|(j, b)| {
            *j != i && (if b.value == a.value { *j < i } else { glob_match(&b.value, &a.value) })
        });
        if let Some((_, b)) = covered {
            out.push(cx.finding(&RULE, a.span, format!("`{}` is redundant: `{}` already matches it", a.value, b.value))
                .related(b.span, "covered by this")
                .help(format!("remove `{}`", a.value)));
        }
    }
}
''',
"Flags a resource in a `Resource`/`NotResource` list that another item of the same list already matches (a duplicate, or an ARN inside a wildcard ARN).",
"Redundant resources make the policy longer and suggest a narrower scope than the statement really has.",
P(S(resource=["arn:aws:s3:::example-bucket/*","arn:aws:s3:::example-bucket/reports/*"])), P(S(resource=["arn:aws:s3:::example-bucket/*"])))

rule("GL108","redundant-statement","Suggestion","all",["REDUNDANT_STATEMENT"],U+"reference_policies_elements_statement.html",
'''
fn key(cx: &Ctx<'_>, s: &Statement) -> String {
    let src = cx.source();
    let mut acts: Vec<&str> = s.action.items.iter().map(|a| a.lower.as_str()).collect();
    acts.sort();
    let mut res: Vec<&str> = s.resource.as_ref().map(|r| r.items.iter().map(|i| i.value.as_str()).collect()).unwrap_or_default();
    res.sort();
    let mut conds: Vec<String> = s.conditions.iter().map(|c| {
        let mut v: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
        v.sort();
        format!("{}|{}|{}", c.op.name(), c.key_lower, v.join(","))
    }).collect();
    conds.sort();
    format!("{:?}|{}|{:?}|{}|{:?}|{:?}|{}", s.effect.value, s.action.negated, acts, s.resource.as_ref().is_some_and(|r| r.negated), res, conds,
        s.principal.as_ref().map_or(String::new(), |p| src.slice(p.span).split_whitespace().collect::<String>()))
}
let keys: Vec<String> = cx.policy.statements.iter().map(|s| key(cx, s)).collect();
for (i, s) in cx.policy.statements.iter().enumerate() {
    if let Some(j) = (0..i).find(|&j| keys[j] == keys[i]) {
        let first = &cx.policy.statements[j];
        out.push(cx.finding(&RULE, s.effect.span, format!("statement {} grants exactly what statement {} grants", s.index, first.index))
            .label("this statement")
            .related(first.effect.span, "same as this one")
            .help("remove one of the two statements"));
    }
}
''',
"Flags a statement identical to an earlier one apart from its `Sid` and the order of its lists.",
"The duplicate adds nothing but size (policies have quotas) and review noise.",
P(S(Sid="A"), S(Sid="B")), P(S(Sid="A"), S(action="s3:PutObject", Sid="B")))
