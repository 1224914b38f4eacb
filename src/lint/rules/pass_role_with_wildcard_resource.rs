//! `GL094 pass-role-with-wildcard-resource`.

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
    code: "GL094",
    name: "pass-role-with-wildcard-resource",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_NOTRESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE",
        "PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow of `iam:PassRole` (directly, through a wildcard such as `iam:*` or `*`, or through `NotAction`) on `*`, on all roles, or with `NotResource`, unless an `iam:PassedToService` condition (without `IfExists`) limits it.

## Why is this bad?

Passing a role to a service lets the service act with that role's permissions; passing any role is a privilege escalation path to any role in the account. `StringEqualsIfExists` on `iam:PassedToService` does not limit it, because the key can be absent.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
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
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
      "Condition": {
        "StringEquals": {
          "iam:PassedToService": "ecs-tasks.amazonaws.com"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow || !statement_covers(s, "iam:passrole") {
            continue;
        }
        let Some(r) = &s.resource else { continue };
        let wide: Option<String> = if r.negated {
            Some("every role except the ones in `NotResource`".to_string())
        } else {
            r.items
                .iter()
                .find(|i| {
                    is_all_resources(&i.value)
                        || arn_fields(&i.value).is_some_and(|f| {
                            f[2] == "iam" && (f[4] == "*" || f[5] == "*" || f[5] == "role/*")
                        })
                })
                .map(|i| format!("`{}`", i.value))
        };
        let Some(wide) = wide else { continue };
        let scoped = s.conditions.iter().any(|c| {
            c.key_lower == "iam:passedtoservice" && !c.op.if_exists && !c.op.base.is_negated()
        });
        if scoped {
            continue;
        }
        let (span, via) = match matching_pattern(s, "iam:passrole") {
            Some(p) if p.lower != "iam:passrole" => (
                p.span,
                format!("`{}` (which includes `iam:PassRole`)", p.text),
            ),
            Some(p) => (p.span, "`iam:PassRole`".to_string()),
            None => (
                s.action.key_span,
                "`NotAction` (which does not exclude `iam:PassRole`)".to_string(),
            ),
        };
        out.push(cx.finding(&RULE, span, format!("{via} is allowed on {wide}: the principal can pass any role, including administrator roles, to a service"))
            .help("list the role ARNs that may be passed, and add an `iam:PassedToService` condition (without IfExists)"));
    }
}
