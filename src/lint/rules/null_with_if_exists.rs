//! `GL041 null-with-if-exists`.

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
    code: "GL041",
    name: "null-with-if-exists",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["NULL_WITH_IF_EXISTS"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `NullIfExists`.

## Why is this bad?

`Null` tests whether a key is present, so `IfExists` is meaningless; IAM documents `...IfExists` for every operator except `Null`.

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
        "NullIfExists": {
          "aws:TokenIssueTime": "false"
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
        "Null": {
          "aws:TokenIssueTime": "false"
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
            if c.op.base == OpBase::Null && c.op.if_exists {
                out.push(
                    cx.finding(
                        &RULE,
                        c.op_span,
                        "the `Null` operator cannot take the `IfExists` suffix",
                    )
                    .help("use `Null`: it already tests whether the key is present"),
                );
            }
        }
    }
}
