//! `GL046 invalid-date-value`.

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
    code: "GL046",
    name: "invalid-date-value",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH_DATE", "INVALID_DATE_VALUE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a value of a `Date...` operator that is not a W3C ISO 8601 date or an epoch time.

## Why is this bad?

A date IAM cannot read never matches, so a time-boxed grant or deny silently does not work. Wildcards are not allowed in dates.

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
        "DateLessThan": {
          "aws:CurrentTime": "31/01/2026"
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
        "DateLessThan": {
          "aws:CurrentTime": "2026-01-31T00:00:00Z"
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
            if c.op.base.family() != OpFamily::Date {
                continue;
            }
            for v in &c.values {
                if v.text.contains("${") {
                    continue;
                }
                if !is_date(&v.text) {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!(
                                "`{}` is not an ISO 8601 date or epoch time for `{}`",
                                v.text,
                                c.op.name()
                            ),
                        )
                        .help(
                            "use an ISO 8601 date such as `2026-01-31T00:00:00Z`, or epoch seconds",
                        ),
                    );
                }
            }
        }
    }
}
