//! `GL090 allow-with-not-action`.

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
    code: "GL090",
    name: "allow-with-not-action",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement with `NotAction` on all resources (`*`, `NotResource`, or any pattern that matches the resources of every service, such as `arn:aws:*:*:*:*` or `arn:aws:*`).

## Why is this bad?

It grants every action that is not listed, in every service, including actions and services AWS adds later. It is almost always broader than intended. (A `NotAction` scoped by a service-specific `Resource` is not flagged.)

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": "iam:*",
      "Resource": "*"
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
      "Effect": "Deny",
      "NotAction": "iam:*",
      "Resource": "*"
    }
  ]
}
```
"##,
};

/// Whether this rule reports the statement: an `Allow` with `NotAction` on every resource.
pub(crate) fn reports(s: &Statement) -> bool {
    s.effect.value == Effect::Allow
        && s.action.negated
        && s.resource.as_ref().is_none_or(|r| {
            // every resource: `*`, or any pattern that matches an ARN of a service no
            // policy names (`arn:aws:*:*:*:*`, `arn:aws:*`), not only wildcard-only text
            r.negated
                || r.items.iter().any(|i| {
                    is_all_resources(&i.value) || super::full_admin::matches_any_resource(&i.value)
                })
        })
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if !reports(s) {
            continue;
        }
        let listed: Vec<String> = s.action.items.iter().map(|a| a.text.clone()).collect();
        out.push(cx.finding(&RULE, s.action.key_span, format!("`Allow` with `NotAction` grants every action except {}, in every service, including services AWS adds later", name_list(&listed, 4)))
            .help("list the allowed actions with `Action`; keep `NotAction` for Deny statements"));
    }
}
