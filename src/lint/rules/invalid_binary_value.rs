//! `GL048 invalid-binary-value`.

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
    code: "GL048",
    name: "invalid-binary-value",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH_STRING"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `BinaryEquals` value that is not valid base64.

## Why is this bad?

The condition compares base64-decoded bytes; a value that is not base64 never matches.

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
        "BinaryEquals": {
          "aws:PrincipalTag/key": "not base64!"
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
        "BinaryEquals": {
          "aws:PrincipalTag/key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="
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
            if c.op.base.family() != OpFamily::Binary {
                continue;
            }
            for v in &c.values {
                if v.text.contains("${") {
                    continue;
                }
                if !is_base64(&v.text) {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!("`{}` is not a base64 string for `{}`", v.text, c.op.name()),
                        )
                        .help("write the value base64-encoded"),
                    );
                }
            }
        }
    }
}
