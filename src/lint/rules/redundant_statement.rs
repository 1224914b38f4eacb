//! `GL108 redundant-statement`.

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
    code: "GL108",
    name: "redundant-statement",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["REDUNDANT_STATEMENT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a statement identical to an earlier one apart from its `Sid` and the order of its lists.

## Why is this bad?

The duplicate adds nothing but size (policies have quotas) and review noise.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "A"
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "B"
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
      "Sid": "A"
    },
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "B"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    /// Every element of the statement, with the lists sorted: equal keys are equal statements.
    /// A condition: (qualifier, base operator, `IfExists`), key, sorted values.
    type Cond<'a> = ((u8, &'static str, bool), &'a str, Vec<&'a str>);
    type Key<'a> = (
        bool,
        bool,
        Vec<&'a str>,
        bool,
        Vec<&'a str>,
        Vec<Cond<'a>>,
        String,
    );
    fn key<'a>(cx: &Ctx<'a>, s: &'a Statement) -> Key<'a> {
        let src = cx.source();
        let mut acts: Vec<&str> = s.action.items.iter().map(|a| a.lower.as_str()).collect();
        acts.sort_unstable();
        let mut res: Vec<&str> = s
            .resource
            .as_ref()
            .map(|r| r.items.iter().map(|i| i.value.as_str()).collect())
            .unwrap_or_default();
        res.sort_unstable();
        let mut conds: Vec<Cond<'_>> = s
            .conditions
            .iter()
            .map(|c| {
                let mut v: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                v.sort_unstable();
                let q = match c.op.qualifier {
                    None => 0,
                    Some(SetQualifier::ForAllValues) => 1,
                    Some(SetQualifier::ForAnyValue) => 2,
                };
                (
                    (q, c.op.base.as_str(), c.op.if_exists),
                    c.key_lower.as_str(),
                    v,
                )
            })
            .collect();
        conds.sort_unstable();
        (
            s.effect.value == Effect::Allow,
            s.action.negated,
            acts,
            s.resource.as_ref().is_some_and(|r| r.negated),
            res,
            conds,
            s.principal.as_ref().map_or(String::new(), |p| {
                src.slice(p.span).split_whitespace().collect::<String>()
            }),
        )
    }
    if cx.policy.statements.len() < 2 {
        return;
    }
    // The key lists every element (effect included), so equal keys are equal statements; the
    // first statement of each key is remembered (linear in the number of statements).
    let mut first_of: crate::catalog::SeededMap<Key<'_>, usize> =
        crate::catalog::SeededMap::with_capacity_and_hasher(
            cx.policy.statements.len(),
            Default::default(),
        );
    for (i, s) in cx.policy.statements.iter().enumerate() {
        let same = match first_of.entry(key(cx, s)) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
                None
            }
        };
        if let Some(j) = same {
            let first = &cx.policy.statements[j];
            out.push(
                cx.finding(
                    &RULE,
                    s.effect.span,
                    format!(
                        "statement {} grants exactly what statement {} grants",
                        s.index, first.index
                    ),
                )
                .label("this statement")
                .related(first.effect.span, "same as this one")
                .help("remove one of the two statements"),
            );
        }
    }
}
