import sys; sys.path.insert(0, "tools")
from rulegen import *
V = U+"reference_policies_variables.html"

rule("GL052","malformed-policy-variable","Error","all",["MISSING_BRACE_IN_VARIABLE","MISSING_QUOTE_IN_VARIABLE","UNSUPPORTED_SPACE_IN_VARIABLE","EMPTY_VARIABLE"],V,
'''
let src = cx.source();
let check_str = |v: &Spanned<String>, out: &mut Vec<Finding>| {
    for var in variables(&v.value) {
        let span = sub_span(src, v, var.start, var.end);
        let problem = if !var.closed {
            Some(("the policy variable has no closing `}`", "add `}` after the variable name".to_string()))
        } else if matches!(var.inner, "*" | "?" | "$") {
            None
        } else if var.inner.trim().is_empty() {
            Some(("the policy variable `${}` is empty", "put a key inside, such as `${aws:username}`, or remove it".to_string()))
        } else if let Some((key, default)) = var.inner.split_once(',') {
            let d = default.trim();
            if key.contains(' ') {
                Some(("the policy variable contains a space", "remove the space inside the variable name".to_string()))
            } else if !(d.len() >= 2 && d.starts_with('\\'') && d.ends_with('\\'')) {
                Some(("the default value of the policy variable is not in single quotes", format!("write `${{{key}, '{}'}}`", d.trim_matches('\\''))))
            } else {
                None
            }
        } else if var.inner.contains(' ') {
            Some(("the policy variable contains a space", format!("write `${{{}}}`", var.inner.replace(' ', ""))))
        } else {
            None
        };
        if let Some((msg, help)) = problem {
            out.push(Finding::new(&RULE, src.clone(), span, msg).help(help));
        }
    }
};
for s in &cx.policy.statements {
    if let Some(r) = &s.resource {
        for i in &r.items { check_str(i, out); }
    }
    for c in &s.conditions {
        for v in &c.values {
            let sv = Spanned { value: v.text.clone(), span: v.span };
            check_str(&sv, out);
        }
    }
}
''',
"Flags a malformed policy variable in `Resource` or a condition value: a missing `}`, an empty `${}`, a space inside the name, or a default value without single quotes.",
"IAM cannot substitute a malformed variable, so the ARN or value is compared literally and matches nothing.",
P(S(resource="arn:aws:s3:::example-bucket/home/${aws:username/*")), P(S(resource="arn:aws:s3:::example-bucket/home/${aws:username}/*")))

rule("GL053","variable-in-unsupported-element","Error","all",["VARIABLE_UNSUPPORTED_IN_ELEMENT"],V,
'''
for s in &cx.policy.statements {
    for a in &s.action.items {
        if a.text.contains("${") {
            out.push(cx.finding(&RULE, a.span, format!("`{}` uses a policy variable; variables work only in `Resource` and condition values", a.text))
                .help("name the actions literally"));
        }
    }
    if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
        for e in entries {
            for v in &e.values {
                if v.value.contains("${") {
                    out.push(cx.finding(&RULE, v.span, "a principal uses a policy variable; variables work only in `Resource` and condition values")
                        .help("name the principal literally, or move the test to a condition on `aws:PrincipalArn`"));
                }
            }
        }
    }
    if let Some(r) = &s.resource {
        for i in &r.items {
            if let Some(f) = arn_fields(&i.value) {
                if f[..3].iter().any(|x| x.contains("${")) {
                    out.push(cx.finding(&RULE, i.span, format!("`{}` uses a policy variable in the partition or service of the ARN", i.value))
                        .help("variables are substituted only in the resource part (after the fifth colon)"));
                }
            }
        }
    }
}
''',
"Flags policy variables in `Action`, `NotAction`, principals, or in the partition or service fields of an ARN.",
"IAM substitutes variables only in the resource part of `Resource` ARNs and in condition values; anywhere else the text is literal.",
P(S(resource="arn:aws:s3:::example-bucket/*", action="s3:${aws:PrincipalTag/op}")), P(S()))

rule("GL054","variable-with-unsupported-operator","Error","all",["INVALID_VARIABLE_FOR_OPERATOR"],V,
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if matches!(c.op.base.family(), OpFamily::String | OpFamily::Arn) { continue; }
        for v in &c.values {
            if variables(&v.text).iter().any(|x| !matches!(x.inner, "*" | "?" | "$")) {
                out.push(cx.finding(&RULE, v.span, format!("`{}` cannot take a policy variable: variables work only with string and ARN operators", c.op.name()))
                    .help("use a literal value, or a String/Arn operator"));
            }
        }
    }
}
''',
"Flags a policy variable in the value of a numeric, date, boolean, binary, IP address or `Null` operator.",
"Variables are substituted only for String and ARN operators (Access Analyzer and the variables page agree; one sentence on the operators page says otherwise). Elsewhere the value is literal and never matches.",
P(S(Condition={"DateLessThan":{"aws:CurrentTime":"${aws:PrincipalTag/expiry}"}})), P(S(Condition={"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}})))

rule("GL055","variable-without-version","Error","all",["VARIABLE_UNSUPPORTED_IN_VERSION"],V,
'''
if cx.policy.variables_enabled() { return; }
for s in &cx.policy.statements {
    let mut spans: Vec<Span> = Vec::new();
    if let Some(r) = &s.resource {
        spans.extend(r.items.iter().filter(|i| i.value.contains("${")).map(|i| i.span));
    }
    for c in &s.conditions {
        spans.extend(c.values.iter().filter(|v| v.text.contains("${")).map(|v| v.span));
    }
    for span in spans {
        out.push(cx.finding(&RULE, span, "a policy variable is used without `\\"Version\\": \\"2012-10-17\\"`, so it is literal text")
            .help("add \\"Version\\": \\"2012-10-17\\" at the top of the policy"));
    }
}
''',
"Flags policy variables in a policy whose `Version` is missing or `2008-10-17`.",
"Without `\"Version\": \"2012-10-17\"`, `${aws:username}` is the literal string `${aws:username}`, so the ARN or condition matches nothing.",
P(S(resource="arn:aws:s3:::example-bucket/home/${aws:username}/*"), version=None),
P(S(resource="arn:aws:s3:::example-bucket/home/${aws:username}/*")))

R = U+"reference-arns.html"
def arn_rule(code, name, aa, cond, msg, help_, what, why, bad_res, good_res, extra=""):
    rule(code, name, "Error", "all", aa, U+"reference_policies_elements_resource.html", f'''
{extra}
for s in &cx.policy.statements {{
    let Some(r) = &s.resource else {{ continue }};
    for i in &r.items {{
        let v = i.value.as_str();
        if v == "*" || v.is_empty() {{ continue; }}
        if {cond} {{
            out.push(cx.finding(&RULE, i.span, {msg}).help({help_}));
        }}
    }}
}}
''', what, why, P(S(resource=bad_res)), P(S(resource=good_res)))

arn_rule("GL056","arn-missing-prefix",["INVALID_ARN_PREFIX"],'!v.starts_with("arn:") && !v.starts_with("${")',
 'format!("`{v}` is not an ARN: it does not start with `arn:`")','"write the full ARN, such as `arn:aws:s3:::example-bucket/*`, or \\"*\\""',
 "Flags a resource that is neither `*` nor an ARN starting with `arn:`.",
 "IAM matches resources as ARNs; a bare name such as `example-bucket` matches nothing, so the statement silently does not apply.",
 "example-bucket/*","arn:aws:s3:::example-bucket/*")
arn_rule("GL057","arn-missing-fields",["MISSING_ARN_FIELD"],'v.starts_with("arn:") && arn_fields(v).is_none()',
 'format!("`{v}` has fewer than the six fields `arn:partition:service:region:account:resource`")','"add the missing fields (empty region and account fields are written as `::`)"',
 "Flags an ARN with fewer than six colon-separated fields.",
 "A malformed ARN matches nothing, so an Allow grants nothing and a Deny protects nothing (`arn:aws:s3:example-bucket` is a classic).",
 "arn:aws:s3:example-bucket","arn:aws:s3:::example-bucket")
arn_rule("GL058","arn-service-uppercase",["INVALID_ARN_SERVICE_CASE"],'arn_fields(v).is_some_and(|f| f[2].bytes().any(|b| b.is_ascii_uppercase()))',
 'format!("the service `{}` in `{v}` is not lower case", arn_fields(v).map_or("", |f| f[2]))','"service names in ARNs are lower case"',
 "Flags an ARN whose service field contains upper-case letters.",
 "ARN matching is case-sensitive and service names are lower case, so `arn:aws:S3:::bucket` matches nothing.",
 "arn:aws:S3:::example-bucket","arn:aws:s3:::example-bucket")
arn_rule("GL059","arn-invalid-account",["INVALID_ARN_ACCOUNT"],'arn_fields(v).is_some_and(|f| !account_ok(f[4]))',
 'format!("`{}` in `{v}` is not a 12-digit account ID", arn_fields(v).map_or("", |f| f[4]))','"account IDs have exactly 12 digits; use `*` or a policy variable for any account"',
 "Flags an ARN whose account field is not empty, `aws`, a 12-digit account ID, a wildcard pattern or a policy variable.",
 "A 13-digit account ID (an AWS documentation example has one) matches no resource.",
 "arn:aws:lambda:us-east-1:7123456789012:function:hook","arn:aws:lambda:us-east-1:123456789012:function:hook",
 extra='''
fn account_ok(a: &str) -> bool {
    a.is_empty()
        || a == "aws"
        || a.contains("${")
        || (a.len() <= 12 && a.contains(['*', '?']) && a.bytes().all(|b| b.is_ascii_digit() || b == b'*' || b == b'?'))
        || (a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
}''')
arn_rule("GL060","unknown-partition",["INVALID_PARTITION"],'arn_fields(v).is_some_and(|f| !partition_ok(f[1]))',
 'format!("`{}` in `{v}` is not an AWS partition", arn_fields(v).map_or("", |f| f[1]))','"partitions are `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc`"',
 "Flags an ARN whose partition is not a known AWS partition (wildcards and `${aws:...}` variables are accepted).",
 "An unknown partition matches nothing; a typo such as `aws-gov` silently disables the statement.",
 "arn:aws-gov:s3:::example-bucket","arn:aws-us-gov:s3:::example-bucket",
 extra='''
fn partition_ok(p: &str) -> bool {
    const KNOWN: [&str; 8] = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];
    p.contains("${") || KNOWN.iter().any(|k| glob_match(p, k))
}''')
arn_rule("GL061","invalid-region",["INVALID_ARN_REGION","INVALID_REGION"],'arn_fields(v).is_some_and(|f| !region_ok(f[3]))',
 'format!("`{}` in `{v}` is not an AWS Region code", arn_fields(v).map_or("", |f| f[3]))','"Region codes look like `us-east-1` or `eu-central-2`"',
 "Flags an ARN whose Region field is not empty, a wildcard pattern, a variable, or a Region code such as `us-east-1`.",
 "A misspelled Region (`us-east1`, `eu-west`) matches no resource.",
 "arn:aws:sqs:us-east1:123456789012:queue","arn:aws:sqs:us-east-1:123456789012:queue",
 extra='''
fn region_ok(r: &str) -> bool {
    if r.is_empty() || r.contains("${") || r.contains(['*', '?']) { return true; }
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}''')

rule("GL062","wildcard-in-service-name","Suggestion","all",["WILDCARD_IN_SERVICE_NAME"],U+"reference_policies_elements_action.html",
'''
for s in &cx.policy.statements {
    for a in &s.action.items {
        if let Some((svc, _)) = a.split() {
            if svc.contains(['*', '?']) && svc != "*" {
                out.push(cx.finding(&RULE, a.span, format!("the service prefix `{svc}` in `{}` contains a wildcard", a.text))
                    .help("name the service; a wildcard prefix also matches other services with similar names, including future ones"));
            }
        }
    }
    if let Some(r) = &s.resource {
        for i in &r.items {
            if let Some(f) = arn_fields(&i.value) {
                if f[2].contains(['*', '?']) && f[2] != "*" {
                    out.push(cx.finding(&RULE, i.span, format!("the service `{}` in `{}` contains a wildcard", f[2], i.value))
                        .help("name the service in the ARN"));
                }
            }
        }
    }
}
''',
"Flags a wildcard inside a service prefix, such as `s*:GetObject` or `arn:aws:s*:::bucket`.",
"A partial wildcard in the service name matches other services with similar names, including services AWS adds later.",
P(S(action="s*:GetObject")), P(S(action="s3:GetObject")))

rule("GL063","deprecated-global-condition-key","Warning","all",["DEPRECATED_GLOBAL_CONDITION_KEY","UNSUPPORTED_GLOBAL_CONDITION_KEY"],U+"reference_policies_condition-keys.html",
'''
for s in &cx.policy.statements {
    for c in &s.conditions {
        if c.key_lower == "aws:arn" {
            out.push(cx.finding(&RULE, c.key_span, "`aws:ARN` is deprecated and not supported")
                .help("use `aws:PrincipalArn` for the caller, or `aws:SourceArn` for the resource a service acts for"));
        }
    }
}
''',
"Flags the deprecated condition key `aws:ARN`.",
"Access Analyzer reports `aws:ARN` as unsupported; conditions on it do not restrict as intended.",
P(S(Condition={"ArnLike":{"aws:ARN":"arn:aws:iam::123456789012:role/deploy"}})), P(S(Condition={"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/deploy"}})))
