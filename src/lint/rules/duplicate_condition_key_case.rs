//! `GL037 duplicate-condition-key-case`.

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
    code: "GL037",
    name: "duplicate-condition-key-case",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["DUPLICATE_KEYS_WITH_DIFFERENT_CASE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition key given twice in the same operator block with different capitalization (`aws:SourceIp` and `aws:sourceip`).

## Why is this bad?

Key names are case-insensitive, so this is a duplicate key that JSON readers do not detect; which values apply is undefined, and Access Analyzer reports it as an error.

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
          "aws:PrincipalTag/team": "ops",
          "aws:principaltag/team": "dev"
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
        "StringEquals": {
          "aws:PrincipalTag/team": [
            "ops",
            "dev"
          ]
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
        for (i, c) in s.conditions.iter().enumerate() {
            if let Some(first) = s.conditions[..i]
                .iter()
                .find(|d| d.op == c.op && d.op_span == c.op_span && d.key_lower == c.key_lower)
            {
                out.push(cx.finding(&RULE, c.key_span, format!("condition key `{}` appears twice in `{}` with different capitalization", c.key, c.op.name()))
                    .label("duplicate")
                    .related(first.key_span, "first given here")
                    .help("condition key names are case-insensitive, so these are the same key; keep one and merge the values"));
            }
        }
    }
}
