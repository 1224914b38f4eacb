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
    applies_to: IDENTITY_TYPES,
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

Flags an Allow of `iam:CreateServiceLinkedRole` on `*`, on any pattern that matches every service-linked role of an account (`arn:aws:iam::111122223333:*`, `…:role/aws-service-role/*`; decided by the patterns' languages, not their text) or with `NotResource`, without an `iam:AWSServiceName` condition that names the services (a value starting with `*` does not count). Identity policies and permissions boundaries only: IAM has no resource policy that grants `iam:` actions (a role's trust policy grants only `sts:` actions).

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

/// The `Resource` items (policy variables aside) of the statements, `NotResource` left out.
fn items(s: &Statement) -> Vec<&str> {
    s.resource
        .iter()
        .filter(|r| !r.negated)
        .flat_map(|r| r.items.iter().map(|i| i.value.as_str()))
        .filter(|v| !v.contains("${"))
        .collect()
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::analysis::cover::{every_role, role_prefixes};
    // every service-linked role of an account: `role/aws-service-role/` + service + name
    // (IAM identifiers, service-linked role ARNs), decided by the patterns' languages, so
    // `arn:aws:iam::111122223333:*` and `…:role/aws-service-role/*` count as `*` does
    let slr = |prefix: &str| format!("{prefix}aws-service-role/");
    // A Deny without conditions of the action on those roles removes every grant of it
    // (explicit deny wins), so nothing is left to flag.
    let denied: Vec<&str> = cx
        .policy
        .statements
        .iter()
        .filter(|s| {
            s.effect.value == Effect::Deny
                && s.conditions.is_empty()
                && statement_covers(s, "iam:createservicelinkedrole")
        })
        .flat_map(items)
        .collect();
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow || !statement_covers(s, "iam:createservicelinkedrole") {
            continue;
        }
        let Some(r) = &s.resource else { continue };
        let allowed = items(s);
        let mut prefixes = role_prefixes(&allowed);
        if r.negated {
            prefixes.truncate(1);
        } else {
            prefixes.retain(|p| every_role(&slr(p), &allowed, false));
        }
        let wide = prefixes
            .iter()
            .any(|p| !every_role(&slr(p), &denied, false));
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
        let msg = if r.negated || r.items.iter().any(|i| is_all_resources(&i.value)) {
            "`iam:CreateServiceLinkedRole` is allowed on every resource: the principal can create service-linked roles for any service".to_string()
        } else {
            let item = r
                .items
                .iter()
                .find(|i| {
                    prefixes
                        .iter()
                        .any(|p| every_role(&slr(p), &[i.value.as_str()], false))
                })
                .map_or_else(
                    || "these resources".to_string(),
                    |i| format!("`{}`", i.value),
                );
            format!(
                "`iam:CreateServiceLinkedRole` is allowed on {item}, which matches every service-linked role: the principal can create service-linked roles for any service"
            )
        };
        out.push(cx.finding(&RULE, span, msg)
            .help("limit `Resource` to the service-linked role ARNs needed, or add an `iam:AWSServiceName` condition"));
    }
}
