//! `GL038 invalid-condition-key-format`.

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
    code: "GL038",
    name: "invalid-condition-key-format",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_CONDITION_KEY_FORMAT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition key that is not of the form `service:name`.

## Why is this bad?

A key without a service prefix never exists in a request, so the condition never matches (or, negated, always matches).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringEquals": {
          "SourceIp": "203.0.113.0/24"
        }
      }
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
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "IpAddress": {
          "aws:SourceIp": "203.0.113.0/24"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let ok = match c.key.split_once(':') {
                Some((svc, name)) => {
                    !svc.is_empty() && !name.is_empty() && !svc.contains(['*', '?', ' '])
                }
                None => false,
            };
            if !ok {
                out.push(
                    cx.finding(
                        &RULE,
                        c.key_span,
                        format!(
                            "`{}` is not a condition key: keys have the form `service:name`",
                            c.key
                        ),
                    )
                    .help("use a key such as `aws:SourceIp` or `s3:prefix`"),
                );
            }
        }
    }
}
