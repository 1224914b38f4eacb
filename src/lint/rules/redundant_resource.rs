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
        // Group by the item that covers the others, as Access Analyzer reports it.
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, a) in r.items.iter().enumerate() {
            let covered = r.items.iter().enumerate().find(|(j, b)| {
                *j != i
                    && (if b.value == a.value {
                        *j < i
                    } else {
                        glob_match(&b.value, &a.value)
                    })
            });
            if let Some((j, _)) = covered {
                match groups.iter_mut().find(|(c, _)| *c == j) {
                    Some((_, v)) => v.push(i),
                    None => groups.push((j, vec![i])),
                }
            }
        }
        for (c, covered) in groups {
            let cover = &r.items[c];
            let names: Vec<String> = covered.iter().map(|&i| r.items[i].value.clone()).collect();
            let first = &r.items[covered[0]];
            out.push(
                cx.finding(
                    &RULE,
                    first.span,
                    format!(
                        "{} {} redundant: `{}` already matches {}",
                        name_list(&names, 3),
                        if names.len() == 1 { "is" } else { "are" },
                        cover.value,
                        if names.len() == 1 { "it" } else { "them" }
                    ),
                )
                .related(cover.span, "covered by this")
                .help(format!("remove {}", name_list(&names, 3))),
            );
        }
    }
}
