//! `GL058 arn-service-uppercase`.

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
    code: "GL058",
    name: "arn-service-uppercase",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ARN_SERVICE_CASE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN whose service field contains upper-case letters.

## Why is this bad?

ARN matching is case-sensitive and service names are lower case, so `arn:aws:S3:::bucket` matches nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:S3:::example-bucket"
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
            if cx
                .arn_fields(v)
                .is_some_and(|f| f[2].bytes().any(|b| b.is_ascii_uppercase()))
            {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!(
                            "the service `{}` in `{v}` is not lower case",
                            cx.arn_fields(v).map_or("", |f| f[2])
                        ),
                    )
                    .help("service names in ARNs are lower case"),
                );
            }
        }
    }
}
