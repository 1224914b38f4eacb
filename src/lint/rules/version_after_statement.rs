//! `GL118 version-after-statement`.

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
    code: "GL118",
    name: "version-after-statement",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Version` element placed after a `Statement` written as a single object.

## Why is this bad?

IAM has been observed to reject this order ("The policy failed legacy parsing") although it is valid JSON.

## Example

```json
{
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"},
  "Version": "2012-10-17"
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
    if let Some(v) = &cx.policy.version {
        if cx.policy.statement_is_object && v.span.start > cx.policy.statement_key_span.start {
            out.push(cx.finding(&RULE, v.span, "`Version` comes after an object-valued `Statement`")
                .help("put `Version` first: IAM has rejected this order with \"The policy failed legacy parsing\""));
        }
    }
}
