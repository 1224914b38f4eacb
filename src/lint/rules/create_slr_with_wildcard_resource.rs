//! `GL096 create-slr-with-wildcard-resource`.

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
    code: "GL096",
    name: "create-slr-with-wildcard-resource",
    severity: Severity::Warning,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[
        "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_NOTRESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create-service-linked-role.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow of `iam:CreateServiceLinkedRole` on `*` (or with `NotResource`) without an `iam:AWSServiceName` condition that names the services (a value starting with `*` does not count).

## Why is this bad?

The principal can create service-linked roles for services it does not use, which grants those services access to the account.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:CreateServiceLinkedRole",
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
      "Action": "iam:CreateServiceLinkedRole",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "iam:AWSServiceName": "ecs.amazonaws.com"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // A Deny without conditions of the action on every resource removes every grant of it
    // (explicit deny wins), so nothing is left to flag.
    let denied_everywhere = cx.policy.statements.iter().any(|s| {
        s.effect.value == Effect::Deny
            && s.conditions.is_empty()
            && statement_covers(s, "iam:createservicelinkedrole")
            && s.resource
                .as_ref()
                .is_some_and(|r| !r.negated && r.items.iter().any(|i| is_all_resources(&i.value)))
    });
    if denied_everywhere {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow || !statement_covers(s, "iam:createservicelinkedrole") {
            continue;
        }
        let Some(r) = &s.resource else { continue };
        let wide = r.negated || r.items.iter().any(|i| is_all_resources(&i.value));
        let scoped = s.conditions.iter().any(|c| {
            c.key_lower == "iam:awsservicename"
                && !c.op.base.is_negated()
                && !c.op.if_exists
                && c.values.iter().all(|v| !v.text.starts_with('*'))
        });
        if !wide || scoped {
            continue;
        }
        let span = matching_pattern(s, "iam:createservicelinkedrole")
            .map_or(s.action.key_span, |p| p.span);
        out.push(cx.finding(&RULE, span, "`iam:CreateServiceLinkedRole` is allowed on every resource: the principal can create service-linked roles for any service")
            .help("limit `Resource` to the service-linked role ARNs needed, or add an `iam:AWSServiceName` condition"));
    }
}
