//! `GL034 empty-condition-block`.

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
    code: "GL034",
    name: "empty-condition-block",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EMPTY_OBJECT_CONDITION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Condition": {}` and operators with no keys.

## Why is this bad?

An empty condition block has no effect, so a statement that looks conditional is unconditional.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {}
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
        if let Some(span) = s.condition_span {
            if s.conditions.is_empty() {
                out.push(cx.finding(&RULE, span, "the `Condition` block is empty")
                    .help("an empty Condition has no effect: the statement is unconditional; add the intended condition or remove the block"));
            }
        }
    }
}
