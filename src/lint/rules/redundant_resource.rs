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

/// Whether item `b` matches every resource item `a` matches (an item with wildcards is a set
/// of ARNs, not text: `a?` does not cover `a*`).
fn covers(b: &str, a: &str) -> bool {
    if a.contains(['*', '?']) {
        crate::catalog::glob::includes(b.as_bytes(), a.as_bytes())
    } else {
        glob_match(b, a)
    }
}

/// Lists up to this long are searched pairwise (cheaper than building indexes).
const SMALL_LIST: usize = 32;

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        // Group by the item that covers the others, as Access Analyzer reports it.
        // The first item that covers each item: an equal item before it, or a wildcard item
        // that matches it (an item without `*`/`?` matches only itself). Candidates come from
        // indexes, so a list of 10,000 ARNs is not compared pairwise.
        // (a short list, as nearly all are, is searched pairwise: the same first item,
        // without building the indexes)
        let small = r.items.len() <= SMALL_LIST;
        let mut first: std::collections::HashMap<&str, usize> = Default::default();
        let mut wild = PrefixIndex::new();
        if !small {
            first.reserve(r.items.len());
            for (j, b) in r.items.iter().enumerate() {
                first.entry(b.value.as_str()).or_insert(j);
                if b.value.contains(['*', '?']) {
                    wild.insert(j, &b.value);
                }
            }
        }
        // per item, whether it has a wildcard: an item without one covers only an equal item
        // (`covers` of a literal `b` is `b == a`), so the pairwise search skips the match
        let wild_item: Vec<bool> = if small {
            r.items
                .iter()
                .map(|b| b.value.contains(['*', '?']))
                .collect()
        } else {
            Vec::new()
        };
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut group_of: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for (i, a) in r.items.iter().enumerate() {
            if small {
                let covered = r.items.iter().enumerate().position(|(j, b)| {
                    j != i
                        && (if b.value == a.value {
                            j < i
                        } else {
                            wild_item[j] && covers(&b.value, &a.value)
                        })
                });
                if let Some(j) = covered {
                    match groups.iter_mut().find(|(c, _)| *c == j) {
                        Some((_, v)) => v.push(i),
                        None => groups.push((j, vec![i])),
                    }
                }
                continue;
            }
            let equal = first.get(a.value.as_str()).copied().filter(|&j| j < i);
            let matching = wild
                .candidates(&a.value)
                .into_iter()
                .take_while(|&j| equal.is_none_or(|e| j < e))
                .find(|&j| {
                    let b = &r.items[j];
                    b.value != a.value && covers(&b.value, &a.value)
                });
            let covered = match (equal, matching) {
                (Some(e), Some(m)) => Some(e.min(m)),
                (e, m) => e.or(m),
            };
            if let Some(j) = covered {
                match group_of.get(&j) {
                    Some(&g) => groups[g].1.push(i),
                    None => {
                        group_of.insert(j, groups.len());
                        groups.push((j, vec![i]));
                    }
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
