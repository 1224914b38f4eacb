//! `GL063 deprecated-global-condition-key`.

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
    code: "GL063",
    name: "deprecated-global-condition-key",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &[
        "DEPRECATED_GLOBAL_CONDITION_KEY",
        "UNSUPPORTED_GLOBAL_CONDITION_KEY",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags the deprecated condition key `aws:ARN`.

## Why is this bad?

Access Analyzer reports `aws:ARN` as unsupported; conditions on it do not restrict as intended.

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
        "ArnLike": {
          "aws:ARN": "arn:aws:iam::123456789012:role/deploy"
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
        "ArnLike": {
          "aws:PrincipalArn": "arn:aws:iam::123456789012:role/deploy"
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
            if c.key_lower == "aws:arn" {
                out.push(cx.finding(&RULE, c.key_span, "`aws:ARN` is deprecated and not supported")
                    .help("use `aws:PrincipalArn` for the caller, or `aws:SourceArn` for the resource a service acts for"));
            }
        }
    }
}
