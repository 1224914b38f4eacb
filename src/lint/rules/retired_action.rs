//! `GL128 retired-action`.

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
    code: "GL128",
    name: "retired-action",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action that AWS's own managed policies use but the current Service Authorization Reference no longer lists for its service (retired or renamed), such as the CloudHSM Classic actions `cloudhsm:DescribeHapg` and `cloudhsm:CreateLunaClient`, and a wildcard pattern that matches only such actions.

## Why is this bad?

The permission no longer exists, so the statement does nothing with it. AWS wrote it, so it is not a typo: a warning rather than `unknown-action`'s error.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "cloudhsm:DescribeHapg",
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
      "Effect": "Allow",
      "Action": "cloudhsm:DescribeClusters",
      "Resource": "*"
    }
  ]
}
```

## Limits

The list of retired actions is data shipped with greenlight (`data/retired-iam.json`, with the evidence for each entry): the actions that AWS managed policies of 2026-08-26 (or SAM's published policy templates: `SQSPollerPolicy`'s `sqs:ChangeMessageVisibilityBatch` and `sqs:DeleteMessageBatch`) use and the catalog does not list. An action AWS added after the catalog's date is reported as `unknown-action` until the catalog is refreshed.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use super::unknown_action::{Status, statuses};
    let mut statuses = statuses(cx).iter();
    for s in &cx.policy.statements {
        for a in &s.action.items {
            if statuses.next() != Some(&Status::Retired) {
                continue;
            }
            let Some((svc, _)) = a.split() else {
                continue;
            };
            let retired = crate::catalog::retired::actions(&a.lower);
            let Some(first) = retired.first() else {
                continue;
            };
            let what = if a.has_wildcard() {
                format!(
                    "`{}` matches only retired actions (`{}`",
                    a.text, first.action
                ) + if retired.len() > 1 { ", ...)" } else { ")" }
            } else {
                format!("`{}` is a retired action", a.text)
            };
            out.push(
                cx.finding(
                    &RULE,
                    a.span,
                    format!(
                        "{what}: the statement {} nothing with it",
                        if s.effect.value == Effect::Deny { "denies" } else { "grants" }
                    ),
                )
                .help(format!(
                    "remove it; `greenlight expand '{svc}:*'` lists the actions of the service today"
                )),
            );
        }
    }
}
