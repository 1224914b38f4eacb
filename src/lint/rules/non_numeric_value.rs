//! `GL045 non-numeric-value`.

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
    code: "GL045",
    name: "non-numeric-value",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH_NUMBER"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a value of a `Numeric...` operator that is not a number.

## Why is this bad?

IAM cannot compare it, so the condition never matches (or, negated, always matches).

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
        "NumericLessThanEquals": {
          "s3:max-keys": "ten"
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
        "NumericLessThanEquals": {
          "s3:max-keys": "10"
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
            if c.op.base.family() != OpFamily::Numeric {
                continue;
            }
            for v in &c.values {
                if v.text.contains("${") {
                    continue;
                }
                if !is_number(&v.text) {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!("`{}` is not a number for `{}`", v.text, c.op.name()),
                        )
                        .help("write an integer or decimal number"),
                    );
                }
            }
        }
    }
}
