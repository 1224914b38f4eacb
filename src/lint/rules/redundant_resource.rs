//! `GL107 redundant-resource`.

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
    code: "GL107",
    name: "redundant-resource",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["REDUNDANT_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a resource in a `Resource`/`NotResource` list that another item of the same list already matches (a duplicate, or an ARN inside a wildcard ARN).

## Why is this bad?

Redundant resources make the policy longer and suggest a narrower scope than the statement really has.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": [
        "arn:aws:s3:::example-bucket/*",
        "arn:aws:s3:::example-bucket/reports/*"
      ]
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
      "Resource": [
        "arn:aws:s3:::example-bucket/*"
      ]
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for (i, a) in r.items.iter().enumerate() {
            let covered = r.items.iter().enumerate().find(|(j, b)| {
                *j != i
                    && (if b.value == a.value {
                        *j < i
                    } else {
                        glob_match(&b.value, &a.value)
                    })
            });
            if let Some((_, b)) = covered {
                out.push(
                    cx.finding(
                        &RULE,
                        a.span,
                        format!(
                            "`{}` is redundant: `{}` already matches it",
                            a.value, b.value
                        ),
                    )
                    .related(b.span, "covered by this")
                    .help(format!("remove `{}`", a.value)),
                );
            }
        }
    }
}
