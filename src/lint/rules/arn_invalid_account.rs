//! `GL059 arn-invalid-account`.

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
    code: "GL059",
    name: "arn-invalid-account",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ARN_ACCOUNT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN whose account field is not empty, `aws`, a 12-digit account ID, a wildcard pattern or a policy variable.

## Why is this bad?

A 13-digit account ID (an AWS documentation example has one) matches no resource.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:lambda:us-east-1:7123456789012:function:hook"
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
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hook"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    fn account_ok(a: &str) -> bool {
        a.is_empty()
            || a == "aws"
            || crate::lint::util::has(a, "${")
            // a value a template does not give (named on stderr), not one written here
            || a.starts_with("UNKNOWN-")
            || (a.len() <= 12
                && a.contains(['*', '?'])
                && a.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'*' || b == b'?'))
            || (a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
    }
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let v = i.value.as_str();
            if v == "*" || v.is_empty() {
                continue;
            }
            if cx.arn_fields(v).is_some_and(|f| !account_ok(f[4])) {
                out.push(cx.finding(&RULE, i.span, format!("`{}` in `{v}` is not a 12-digit account ID", cx.arn_fields(v).map_or("", |f| f[4]))).help("account IDs have exactly 12 digits; use `*` or a policy variable for any account"));
            }
        }
    }
}
