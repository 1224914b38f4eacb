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

/// The finding: item `a` is covered by item `b`.
fn redundant(cx: &Ctx<'_>, a: &ActionPattern, b: &ActionPattern, out: &mut Vec<Finding>) {
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

/// Lists up to this long are searched pairwise (cheaper than building indexes).
const SMALL_LIST: usize = 32;

/// Whether the sorted `sa` lies between the first and the last action of the sorted `sb`: what
/// `sa` being a subset of `sb` needs (a cheap test before the searches, as most pairs of items
/// of a statement are of other services or other verbs).
#[inline]
fn within(sa: &[crate::catalog::Action<'static>], sb: &[crate::catalog::Action<'static>]) -> bool {
    match (sa.first(), sa.last(), sb.first(), sb.last()) {
        (Some(a0), Some(a1), Some(b0), Some(b1)) => b0 <= a0 && a1 <= b1,
        _ => true,
    }
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let items = &s.action.items;
        if items.len() < 2 {
            continue;
        }
        // Fast path: literal actions can only be redundant as duplicates.
        if !items.iter().any(|a| a.has_wildcard()) {
            // (a short list: the first equal item before each, pairwise, without hashing)
            if items.len() <= SMALL_LIST {
                for (i, a) in items.iter().enumerate() {
                    if let Some(b) = items[..i].iter().find(|b| b.lower == a.lower) {
                        redundant(cx, a, b, out);
                    }
                }
                continue;
            }
            // first item of each action (linear in the list's length)
            let mut first: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::with_capacity(items.len());
            for (i, a) in items.iter().enumerate() {
                let j = *first.entry(a.lower.as_str()).or_insert(i);
                if j != i {
                    let b = &items[j];
                    redundant(cx, a, b, out);
                }
            }
            continue;
        }
        // Each item's actions, shared with the expansion cache (no copy): `expand` lists
        // them sorted by catalog id, and one action has one id, so set inclusion is a binary
        // search by id (as it was by lowercase name).
        let none: std::rc::Rc<[crate::catalog::Action<'static>]> = std::rc::Rc::new([]);
        let sets: Vec<std::rc::Rc<[crate::catalog::Action<'static>]>> = items
            .iter()
            .map(|a| {
                if a.lower == "*" {
                    return none.clone();
                }
                let v = expand_cached(&a.lower);
                debug_assert!(v.is_sorted());
                v
            })
            .collect();
        // A short list, as nearly all are, is searched pairwise (the first covering item),
        // without building the indexes below.
        if items.len() <= SMALL_LIST {
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
                        return !a.has_wildcard()
                            && glob_match(&b.lower, &a.lower)
                            && !sb.is_empty();
                    }
                    sa.len() <= sb.len()
                        && within(sa, sb)
                        && sa.iter().all(|x| sb.binary_search(x).is_ok())
                        && (sa.len() < sb.len() || *j < i)
                });
                if let Some((_, b)) = covered_by {
                    redundant(cx, a, b, out);
                }
            }
            continue;
        }
        // The first item that covers each item (what a pairwise search over the list would
        // find first), from indexes: an equal item before it, a `*`, a wildcard pattern whose
        // literal prefix starts an unknown action and matches it, or an item whose actions
        // include all of its actions (found through the action of those it has that the
        // fewest items share). A list of 40,000 patterns took minutes pairwise.
        let mut first: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(items.len());
        let mut star: Option<usize> = None;
        let mut wild = PrefixIndex::new();
        let mut holders: std::collections::HashMap<
            crate::catalog::Action<'static>,
            Vec<usize>,
            crate::catalog::FxBuild,
        > = Default::default();
        for (j, b) in items.iter().enumerate() {
            first.entry(b.lower.as_str()).or_insert(j);
            if b.lower == "*" {
                star.get_or_insert(j);
                continue;
            }
            if b.has_wildcard() && !sets[j].is_empty() {
                wild.insert(j, &b.lower);
            }
            for x in sets[j].iter() {
                holders.entry(*x).or_default().push(j);
            }
        }
        for (i, a) in items.iter().enumerate() {
            let mut best = first.get(a.lower.as_str()).copied().filter(|&j| j < i);
            let earlier = |best: Option<usize>, j: usize| best.is_none_or(|b| j < b);
            if a.lower != "*"
                && let Some(j) = star
                && earlier(best, j)
            {
                best = Some(j);
            }
            let sa = &sets[i];
            let found = if sa.is_empty() {
                if a.has_wildcard() {
                    None
                } else {
                    wild.candidates(&a.lower)
                        .into_iter()
                        .take_while(|&j| earlier(best, j))
                        .find(|&j| {
                            items[j].lower != a.lower && glob_match(&items[j].lower, &a.lower)
                        })
                }
            } else {
                sa.iter()
                    .filter_map(|x| holders.get(x))
                    .min_by_key(|v| v.len())
                    .and_then(|v| {
                        v.iter()
                            .copied()
                            .take_while(|&j| earlier(best, j))
                            .find(|&j| {
                                let sb = &sets[j];
                                j != i
                                    && items[j].lower != a.lower
                                    && sa.len() <= sb.len()
                                    && sa.iter().all(|x| sb.binary_search(x).is_ok())
                                    && (sa.len() < sb.len() || j < i)
                            })
                    })
            };
            if found.is_some() {
                best = found;
            }
            let covered_by = best.map(|j| (j, &items[j]));
            if let Some((_, b)) = covered_by {
                redundant(cx, a, b, out);
            }
        }
    }
}
