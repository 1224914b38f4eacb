//! `GL088 equivalent-to-null-false`.

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
    code: "GL088",
    name: "equivalent-to-null-false",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EQUIVALENT_TO_NULL_FALSE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `StringLike` with the single value `*`, which only tests that the key exists.

## Why is this bad?

`{"StringLike": {"aws:RequestTag/team": "*"}}` is the same as `{"Null": {"aws:RequestTag/team": "false"}}`; the `Null` form says what it means and is enforced more predictably.

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
        "StringLike": {
          "aws:RequestTag/team": "*"
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
          "aws:RequestTag/team": "false"
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
            if c.op.base == OpBase::StringLike
                && c.op.qualifier.is_none()
                && !c.op.if_exists
                && c.values.len() == 1
                && c.values[0].text == "*"
            {
                out.push(
                    cx.finding(
                        &RULE,
                        c.key_span,
                        format!(
                            "`StringLike` with `*` on `{}` only tests that the key is present",
                            c.key
                        ),
                    )
                    .help(format!(
                        "write `\"Null\": {{\"{}\": \"false\"}}` to say so directly",
                        c.key
                    )),
                );
            }
        }
    }
}
