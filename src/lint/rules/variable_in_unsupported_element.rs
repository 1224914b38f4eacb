//! `GL053 variable-in-unsupported-element`.

#[allow(unused_imports)]
use crate::lint::util::*;
#[allow(unused_imports)]
use crate::lint::{
    ALL_TYPES, Check, Ctx, Finding, GRANTING_TYPES, IDENTITY_TYPES, ORG_TYPES, PRINCIPAL_TYPES,
    PolicyType, Rule, Severity,
};
#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "GL053",
    name: "variable-in-unsupported-element",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["VARIABLE_UNSUPPORTED_IN_ELEMENT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags policy variables in `Action`, `NotAction`, principals, or before the fifth colon of a `Resource` ARN (partition, service, Region or account, such as `arn:aws:s3:${aws:username}::bucket`), including a variable in place of the whole ARN (`"Resource": "${aws:PrincipalArn}"`).

## Why is this bad?

IAM substitutes variables only in the resource part of `Resource` ARNs ("after the fifth colon"; "You can't use a variable to replace parts of the ARN before the fifth colon, such as the service or account") and in condition values; anywhere else the text is literal, and greenlight evaluates it so: such an ARN matches no resource. Some AWS managed policies nevertheless write `${aws:PrincipalAccount}` in the account field; the finding stands, because the documentation says the variable is not substituted there.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:${aws:PrincipalTag/op}",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```

## Use instead

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for a in &s.action.items {
            if a.text.contains('$') && a.text.contains("${") {
                out.push(cx.finding(&RULE, a.span, format!("`{}` uses a policy variable; variables work only in `Resource` and condition values", a.text))
                    .help("name the actions literally"));
            }
        }
        if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
            for e in entries {
                for v in &e.values {
                    if v.value.contains('$') && v.value.contains("${") {
                        out.push(cx.finding(&RULE, v.span, "a principal uses a policy variable; variables work only in `Resource` and condition values")
                            .help("name the principal literally, or move the test to a condition on `aws:PrincipalArn`"));
                    }
                }
            }
        }
        if let Some(r) = &s.resource {
            for i in &r.items {
                // a variable in place of the ARN's start (`${aws:PrincipalArn}`): before the
                // fifth colon, so literal text, and the item is no ARN (`${*}`, `${?}` and `${$}`
                // are the characters themselves)
                if i.value.starts_with("${")
                    && crate::lint::util::variables(&i.value)
                        .first()
                        .is_some_and(|v| v.start == 0 && !matches!(v.key(), "*" | "?" | "$"))
                {
                    out.push(cx.finding(&RULE, i.span, format!("`{}` puts a policy variable in place of the ARN: IAM substitutes variables only in the resource part, after the fifth colon, so this item is literal text and matches no resource", i.value))
                        .help("write the ARN with its partition, service, Region and account (literal or `*`) and the variable in the resource part, such as `arn:aws:iam::*:user/${aws:username}`, or test the caller in a condition on `aws:PrincipalArn`"));
                    continue;
                }
                // (no `$`, no variable: the cheap byte search first)
                if i.value.starts_with("arn:")
                    && i.value.contains('$')
                    && crate::eval::variable_before_fifth_colon(&i.value)
                {
                    out.push(cx.finding(&RULE, i.span, format!("`{}` uses a policy variable before the fifth colon (partition, service, Region or account): IAM does not substitute it there, so the ARN matches no resource", i.value))
                        .help("write those fields literally or with `*`, and test the value in a condition (such as `aws:ResourceAccount`); variables are substituted only in the resource part"));
                }
            }
        }
    }
}
