//! `GL035 empty-condition-values`.

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
    code: "GL035",
    name: "empty-condition-values",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &[
        "EMPTY_ARRAY_CONDITION",
        "EMPTY_ARRAY_CONDITION_FORALLVALUES",
        "EMPTY_ARRAY_CONDITION_FORANYVALUE",
        "EMPTY_ARRAY_CONDITION_IFEXISTS",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition key whose value is an empty array.

## Why is this bad?

The result depends on the operator: no match at all, or a match only when the key is missing. Either way it rarely does what was intended.

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
          "aws:PrincipalTag/team": []
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
            "ops"
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
            if c.values.is_empty() {
                let what = match (c.op.qualifier, c.op.if_exists) {
                    (Some(SetQualifier::ForAllValues), _) => {
                        "with `ForAllValues` it matches only when the key is missing"
                    }
                    (Some(SetQualifier::ForAnyValue), _) => "with `ForAnyValue` it never matches",
                    (None, true) => "with `IfExists` it matches only when the key is missing",
                    (None, false) => "the condition never matches",
                };
                out.push(cx.finding(&RULE, c.values_span, format!("condition key `{}` has an empty value list: {what}", c.key))
                    .help("give the key its values, or use the `Null` operator to test whether it is present"));
            }
        }
    }
}
