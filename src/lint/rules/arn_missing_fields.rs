//! `GL057 arn-missing-fields`.

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
    code: "GL057",
    name: "arn-missing-fields",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_ARN_FIELD"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN with fewer than six colon-separated fields.

## Why is this bad?

A malformed ARN matches nothing, so an Allow grants nothing and a Deny protects nothing (`arn:aws:s3:example-bucket` is a classic).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:example-bucket"
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
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let v = i.value.as_str();
            if v == "*" || v.is_empty() {
                continue;
            }
            if v.starts_with("arn:") && arn_fields(v).is_none() {
                out.push(cx.finding(&RULE, i.span, format!("`{v}` has fewer than the six fields `arn:partition:service:region:account:resource`")).help("add the missing fields (empty region and account fields are written as `::`)"));
            }
        }
    }
}
