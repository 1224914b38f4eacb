//! `GL042 null-with-qualifier`.

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
    code: "GL042",
    name: "null-with-qualifier",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["NULL_WITH_QUALIFIER"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `ForAllValues:Null` and `ForAnyValue:Null`.

## Why is this bad?

With a set qualifier the `Null` test is always true (`ForAllValues`) or always false (`ForAnyValue`), so the condition does not do what it says.

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
        "ForAllValues:Null": {
          "aws:TagKeys": "false"
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
          "aws:TagKeys": "false"
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
            if c.op.base == OpBase::Null && c.op.qualifier.is_some() {
                out.push(
                    cx.finding(
                        &RULE,
                        c.op_span,
                        format!(
                            "`{}` always evaluates to {}",
                            c.op.name(),
                            if c.op.qualifier == Some(SetQualifier::ForAllValues) {
                                "true"
                            } else {
                                "false"
                            }
                        ),
                    )
                    .help("use `Null` without a set qualifier"),
                );
            }
        }
    }
}
