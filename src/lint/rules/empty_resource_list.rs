//! `GL032 empty-resource-list`.

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
    code: "GL032",
    name: "empty-resource-list",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EMPTY_ARRAY_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Resource": []` (or `"NotResource": []`).

## Why is this bad?

An empty resource list matches nothing (never `*`), so the statement silently has no effect.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": []
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
    for s in &cx.policy.statements {
        if let Some(r) = &s.resource {
            if r.items.is_empty() {
                out.push(cx.finding(&RULE, r.span, format!("`{}` is an empty array", if r.negated { "NotResource" } else { "Resource" }))
                    .help("the statement matches no resource and has no effect; name the resources or remove the statement"));
            }
        }
    }
}
