//! `GL119 redundant-numeric-condition-value`.

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
    code: "GL119",
    name: "redundant-numeric-condition-value",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["REDUNDANT_CONDITION_VALUE_NUM"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags several values for one key under `NumericLessThan`, `NumericLessThanEquals`, `NumericGreaterThan` or `NumericGreaterThanEquals`.

## Why is this bad?

Values of one key are ORed: `NumericLessThan` with `[3600, 900]` is true whenever the request value is below 3600, so 900 has no effect. Only the greatest value counts for the less-than operators and only the least for the greater-than operators, which is rarely what the author meant.

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
        "NumericLessThan": {
          "s3:signatureAge": ["600000", "300000"]
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
        "NumericLessThan": {
          "s3:signatureAge": "300000"
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
            let greatest = match c.op.base {
                OpBase::NumericLessThan | OpBase::NumericLessThanEquals => true,
                OpBase::NumericGreaterThan | OpBase::NumericGreaterThanEquals => false,
                _ => continue,
            };
            if c.values.len() < 2 {
                continue;
            }
            let mut nums = Vec::with_capacity(c.values.len());
            for v in &c.values {
                match v.text.parse::<f64>() {
                    Ok(n) if is_number(&v.text) && n.is_finite() => nums.push((n, v)),
                    _ => break,
                }
            }
            if nums.len() != c.values.len() {
                continue;
            }
            let best = nums.iter().copied().reduce(|a, b| {
                if (greatest && b.0 > a.0) || (!greatest && b.0 < a.0) {
                    b
                } else {
                    a
                }
            });
            let Some((_, keep)) = best else { continue };
            let which = if greatest { "greatest" } else { "least" };
            out.push(
                cx.finding(
                    &RULE,
                    c.values_span,
                    format!(
                        "the values of `{}` are ORed, so only the {which} value `{}` has an effect under `{}`",
                        c.key, keep.text, c.op.base.as_str()
                    ),
                )
                .label("several values")
                .help(format!(
                    "replace the list with the single value `{}`, or split the conditions if both bounds were meant",
                    keep.text
                )),
            );
        }
    }
}
