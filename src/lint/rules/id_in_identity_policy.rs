//! `GL026 id-in-identity-policy`.

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
    code: "GL026",
    name: "id-in-identity-policy",
    severity: Severity::Warning,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_id.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags the policy-level `Id` element in an identity policy or permissions boundary.

## Why is this bad?

The IAM grammar says the `Id` block "must not be included in identity-based policies"; some services reject it and it has no effect.

## Example

```json
{
  "Version": "2012-10-17",
  "Id": "deploy-policy",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
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
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(id) = &cx.policy.id {
        out.push(
            cx.finding(
                &RULE,
                id.span,
                "an identity policy should not have an `Id` element",
            )
            .help("remove `Id`; the grammar allows it in resource-based policies only"),
        );
    }
}
