//! `GL044 non-boolean-value`.

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
    code: "GL044",
    name: "non-boolean-value",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH_BOOLEAN"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Bool` condition value other than `true` or `false`.

## Why is this bad?

Any other value never matches the request, so an Allow grants nothing and a Deny protects nothing.

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
          "aws:MultiFactorAuthPresent": "yes"
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
          "aws:MultiFactorAuthPresent": "true"
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
            if c.op.base.family() != OpFamily::Bool {
                continue;
            }
            for v in &c.values {
                if v.text.contains("${") {
                    continue;
                }
                if !is_bool(&v.text) {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!("`{}` is not a boolean for `{}`", v.text, c.op.name()),
                        )
                        .help("use `true` or `false`"),
                    );
                }
            }
        }
    }
}
