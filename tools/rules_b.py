import sys; sys.path.insert(0, "tools")
from rulegen import *
CO = U+"reference_policies_elements_condition_operators.html"

rule("GL037","duplicate-condition-key-case","Error","all",["DUPLICATE_KEYS_WITH_DIFFERENT_CASE"],U+"reference_policies_elements_condition.html",
'''
for s in &cx.policy.statements {
    for (i, c) in s.conditions.iter().enumerate() {
        if let Some(first) = s.conditions[..i].iter().find(|d| d.op == c.op && d.op_span == c.op_span && d.key_lower == c.key_lower) {
            out.push(cx.finding(&RULE, c.key_span, format!("condition key `{}` appears twice in `{}` with different capitalization", c.key, c.op.name()))
                .label("duplicate")
                .related(first.key_span, "first given here")
                .help("condition key names are case-insensitive, so these are the same key; keep one and merge the values"));
        }
    }
}
''',
"Flags a condition key given twice in the same operator block with different capitalization (`aws:SourceIp` and `aws:sourceip`).",
"Key names are case-insensitive, so this is a duplicate key that JSON readers do not detect; which values apply is undefined, and Access Analyzer reports it as an error.",
P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":"ops","aws:principaltag/team":"dev"}})),
P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":["ops","dev"]}})))

rule("GL038","invalid-condition-key-format","Error","all",["INVALID_CONDITION_KEY_FORMAT"],U+"reference_policies_elements_condition.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        let ok = match c.key.split_once(':') {
            Some((svc, name)) => !svc.is_empty() && !name.is_empty() && !svc.contains(['*', '?', ' ']),
            None => false,
        };
        if !ok {
            out.push(cx.finding(&RULE, c.key_span, format!("`{}` is not a condition key: keys have the form `service:name`", c.key))
                .help("use a key such as `aws:SourceIp` or `s3:prefix`"));
        }
    }
}
''',
"Flags a condition key that is not of the form `service:name`.",
"A key without a service prefix never exists in a request, so the condition never matches (or, negated, always matches).",
P(S(Condition={"StringEquals":{"SourceIp":"203.0.113.0/24"}})), P(S(Condition={"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})))

rule("GL039","multiple-boolean-values","Error","all",["INVALID_CONDITION_MULTIPLE_BOOLEAN"],CO+"#Conditions_Boolean",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if matches!(c.op.base, OpBase::Bool | OpBase::Null) && c.values.len() > 1 {
            out.push(cx.finding(&RULE, c.values_span, format!("`{}` on `{}` has {} values; a boolean condition takes one", c.op.name(), c.key, c.values.len()))
                .help("use a single `true` or `false`"));
        }
    }
}
''',
"Flags a `Bool` or `Null` condition with more than one value.",
"With `[\"true\", \"false\"]` the condition matches whatever the value, so it restricts nothing; Access Analyzer reports it as an error.",
P(S(Condition={"Bool":{"aws:SecureTransport":["true","false"]}})), P(S(Condition={"Bool":{"aws:SecureTransport":"true"}})))

rule("GL040","mixed-condition-value-types","Error","all",["INVALID_CONDITION_DATA_TYPE"],U+"reference_policies_grammar.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if let Some(first) = c.values.first() {
            if let Some(other) = c.values.iter().find(|v| v.json_type != first.json_type) {
                out.push(cx.finding(&RULE, other.span, format!("the values of `{}` mix JSON types", c.key))
                    .related(first.span, "first value has another type")
                    .help("write every value with the same JSON type (quote them all as strings)"));
            }
        }
    }
}
''',
"Flags a condition value list that mixes JSON types, such as `[10, \"20\"]` or `[true, \"false\"]`.",
"Access Analyzer rejects condition values of different JSON data types in one list.",
P(S(Condition={"NumericLessThan":{"s3:max-keys":[10,"20"]}})), P(S(Condition={"NumericLessThan":{"s3:max-keys":["10","20"]}})))

rule("GL041","null-with-if-exists","Error","all",["NULL_WITH_IF_EXISTS"],CO+"#Conditions_Null",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.base == OpBase::Null && c.op.if_exists {
            out.push(cx.finding(&RULE, c.op_span, "the `Null` operator cannot take the `IfExists` suffix")
                .help("use `Null`: it already tests whether the key is present"));
        }
    }
}
''',
"Flags `NullIfExists`.",
"`Null` tests whether a key is present, so `IfExists` is meaningless; IAM documents `...IfExists` for every operator except `Null`.",
P(S(Condition={"NullIfExists":{"aws:TokenIssueTime":"false"}})), P(S(Condition={"Null":{"aws:TokenIssueTime":"false"}})))

rule("GL042","null-with-qualifier","Suggestion","all",["NULL_WITH_QUALIFIER"],U+"reference_policies_condition-single-vs-multi-valued-context-keys.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.op.base == OpBase::Null && c.op.qualifier.is_some() {
            out.push(cx.finding(&RULE, c.op_span, format!("`{}` always evaluates to {}", c.op.name(), if c.op.qualifier == Some(SetQualifier::ForAllValues) { "true" } else { "false" }))
                .help("use `Null` without a set qualifier"));
        }
    }
}
''',
"Flags `ForAllValues:Null` and `ForAnyValue:Null`.",
"With a set qualifier the `Null` test is always true (`ForAllValues`) or always false (`ForAnyValue`), so the condition does not do what it says.",
P(S(Condition={"ForAllValues:Null":{"aws:TagKeys":"false"}})), P(S(Condition={"Null":{"aws:TagKeys":"false"}})))

rule("GL043","wildcard-without-like-operator","Warning","all",["WILDCARD_WITHOUT_LIKE_OPERATOR"],CO+"#Conditions_String",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        let exact = matches!(c.op.base, OpBase::StringEquals | OpBase::StringNotEquals | OpBase::StringEqualsIgnoreCase | OpBase::StringNotEqualsIgnoreCase | OpBase::ArnEquals | OpBase::ArnNotEquals);
        if !exact || c.op.base.family() == OpFamily::Arn { continue; }
        for v in &c.values {
            let unescaped = v.text.replace("${*}", "").replace("${?}", "");
            if unescaped.contains(['*', '?']) {
                let like = c.op.name().replace("EqualsIgnoreCase", "Like").replace("Equals", "Like");
                out.push(cx.finding(&RULE, v.span, format!("`{}` compares `{}` literally: `*` and `?` are not wildcards here", c.op.name(), v.text))
                    .help(format!("if you meant a wildcard, use `{like}`")));
            }
        }
    }
}
''',
"Flags a `*` or `?` in the value of an exact string operator (`StringEquals`, `StringNotEquals` and their `IgnoreCase` forms).",
"Exact operators match the characters literally, so `StringEquals: \"ops-*\"` matches only the string `ops-*`. An Allow silently grants nothing; a Deny silently protects nothing. (`ArnEquals` matches like `ArnLike`, so it is not flagged.)",
P(S(Condition={"StringEquals":{"aws:PrincipalTag/team":"ops-*"}})), P(S(Condition={"StringLike":{"aws:PrincipalTag/team":"ops-*"}})))
