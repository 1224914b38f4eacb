//! `GL106 redundant-action`.

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
    code: "GL106",
    name: "redundant-action",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["REDUNDANT_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action in an `Action`/`NotAction` list that another item of the same list already covers (a duplicate, or `s3:GetObject` next to `s3:Get*`); wildcards are compared by what they expand to in the catalog.

## Why is this bad?

Redundant items make the policy longer (policies have size quotas) and harder to review.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:Get*"
      ],
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
      "Action": [
        "s3:Get*",
        "s3:ListBucket"
      ],
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```

## Limits

Decided with the IAM action catalog shipped in the binary (or the one given with `--catalog`); an action AWS added after the catalog's date is reported until the catalog is refreshed (`greenlight catalog update`).
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let items = &s.action.items;
        if items.len() < 2 {
            continue;
        }
        // Fast path: literal actions can only be redundant as duplicates.
        if !items.iter().any(|a| a.has_wildcard()) {
            // first item of each action (linear in the list's length)
            let mut first: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::with_capacity(items.len());
            for (i, a) in items.iter().enumerate() {
                let j = *first.entry(a.lower.as_str()).or_insert(i);
                if j != i {
                    let b = &items[j];
                    out.push(
                        cx.finding(
                            &RULE,
                            a.span,
                            format!("`{}` is redundant: `{}` already covers it", a.text, b.text),
                        )
                        .related(b.span, "covered by this")
                        .help(format!("remove `{}`", a.text)),
                    );
                }
            }
            continue;
        }
        let sets: Vec<Vec<&'static str>> = items
            .iter()
            .map(|a| {
                if a.lower == "*" {
                    return Vec::new();
                }
                let mut v: Vec<&'static str> = expand_cached(&a.lower)
                    .iter()
                    .map(|x| x.lowercase_name())
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        for (i, a) in items.iter().enumerate() {
            let covered_by = items.iter().enumerate().find(|(j, b)| {
                if *j == i {
                    return false;
                }
                if b.lower == a.lower {
                    return *j < i;
                }
                if b.lower == "*" {
                    return true;
                }
                let (sa, sb) = (&sets[i], &sets[*j]);
                if sa.is_empty() {
                    return !a.has_wildcard() && glob_match(&b.lower, &a.lower) && !sb.is_empty();
                }
                sa.len() <= sb.len()
                    && sa.iter().all(|x| sb.binary_search(x).is_ok())
                    && (sa.len() < sb.len() || *j < i)
            });
            if let Some((_, b)) = covered_by {
                out.push(
                    cx.finding(
                        &RULE,
                        a.span,
                        format!("`{}` is redundant: `{}` already covers it", a.text, b.text),
                    )
                    .related(b.span, "covered by this")
                    .help(format!("remove `{}`", a.text)),
                );
            }
        }
    }
}
