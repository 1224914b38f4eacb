//! `GL040 mixed-condition-value-types`.

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
    code: "GL040",
    name: "mixed-condition-value-types",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_CONDITION_DATA_TYPE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition value list that mixes JSON types, such as `[10, "20"]` or `[true, "false"]`.

## Why is this bad?

Access Analyzer rejects condition values of different JSON data types in one list.

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
          "s3:max-keys": [
            10,
            "20"
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
        "NumericLessThan": {
          "s3:max-keys": [
            "10",
            "20"
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
        for c in &s.conditions {
            if let Some(first) = c.values.first() {
                if let Some(other) = c.values.iter().find(|v| v.json_type != first.json_type) {
                    out.push(
                        cx.finding(
                            &RULE,
                            other.span,
                            format!("the values of `{}` mix JSON types", c.key),
                        )
                        .related(first.span, "first value has another type")
                        .help(
                            "write every value with the same JSON type (quote them all as strings)",
                        ),
                    );
                }
            }
        }
    }
}
