//! `GL039 multiple-boolean-values`.

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
    code: "GL039",
    name: "multiple-boolean-values",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_CONDITION_MULTIPLE_BOOLEAN"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Bool` or `Null` condition with more than one value.

## Why is this bad?

With `["true", "false"]` the condition matches whatever the value, so it restricts nothing; Access Analyzer reports it as an error.

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
        "Bool": {
          "aws:SecureTransport": [
            "true",
            "false"
          ]
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
        "Bool": {
          "aws:SecureTransport": "true"
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
            if matches!(c.op.base, OpBase::Bool | OpBase::Null) && c.values.len() > 1 {
                out.push(
                    cx.finding(
                        &RULE,
                        c.values_span,
                        format!(
                            "`{}` on `{}` has {} values; a boolean condition takes one",
                            c.op.name(),
                            c.key,
                            c.values.len()
                        ),
                    )
                    .help("use a single `true` or `false`"),
                );
            }
        }
    }
}
