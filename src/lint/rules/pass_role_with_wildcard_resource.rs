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

Flags a policy that effectively allows `iam:PassRole` (directly, through a wildcard such as `iam:*` or `*`, or through `NotAction`) on every role — `*`, `arn:aws:iam::*:role/*`, a whole role path (`role/service-role/*`) or `NotResource` — to any service: Allow minus Deny, decided by the request-space analysis with `iam:PassedToService` set to a service no policy names and left out. A Deny of those roles removes the finding; only a condition that fixes the service (`StringEquals` with concrete service principals, without `IfExists`) counts as protection.

## Why is this bad?

Passing a role to a service lets the service act with that role's permissions; passing any role is a privilege escalation path to any role in the account. `StringEqualsIfExists` on `iam:PassedToService` does not limit it, because the key can be absent, and `StringLike` `"*"` does not either.

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

/// A service no policy names, for `iam:PassedToService`.
pub(crate) const UNNAMED_SERVICE: &str = "greenlight-unnamed.amazonaws.com";

/// The roles a pattern names "every role" of: `*`, `role/*` and `role/<path>/*` (any account);
/// each as an ARN of a role no policy names.
fn every_role_arns(s: &Statement) -> Vec<String> {
    let Some(r) = &s.resource else {
        return Vec::new();
    };
    if r.negated {
        return Vec::new();
    }
    let mut v = Vec::new();
    for i in &r.items {
        let Some(f) = arn_fields(&i.value) else {
            continue;
        };
        if f[2] != "iam" || !f[5].starts_with("role/") || !f[5].ends_with("/*") {
            continue;
        }
        let acct = if f[4].is_empty() || f[4].contains(['*', '?']) {
            crate::lint::effective::UNNAMED_ACCOUNT
        } else {
            f[4]
        };
        let part = if f[1].contains(['*', '?']) {
            "aws"
        } else {
            f[1]
        };
        v.push(format!(
            "arn:{part}:iam::{acct}:{}{}",
            &f[5][..f[5].len() - 1],
            crate::lint::effective::UNNAMED
        ));
    }
    v
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::lint::effective::{self, Ask, Scope};
    let allows: Vec<&Statement> = cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow && statement_covers(s, "iam:passrole"))
        .collect();
    if allows.is_empty() {
        return;
    }
    let mut extra: Vec<String> = Vec::new();
    for s in &allows {
        for a in every_role_arns(s) {
            if !extra.contains(&a) {
                extra.push(a);
            }
        }
    }
    let policies = [cx.policy];
    let hits = effective::effective(
        &policies,
        cx.policy_type,
        &Ask {
            actions: vec!["iam:passrole".into()],
            scope: Scope::Unnamed(extra),
            fixed: vec![(
                "iam:PassedToService".into(),
                crate::analysis::query::absent_or(&[UNNAMED_SERVICE]),
            )],
            max_analysed: None,
        },
    );
    for g in effective::group(&policies, &hits) {
        let Some(s) = cx.policy.statements.get(g.statement) else {
            continue;
        };
        let via = if g.via == "NotAction" {
            "`NotAction` (which does not exclude `iam:PassRole`)".to_string()
        } else if g.via.eq_ignore_ascii_case("iam:passrole") {
            "`iam:PassRole`".to_string()
        } else {
            format!("`{}` (which includes `iam:PassRole`)", g.via)
        };
        let wide = match &s.resource {
            Some(r) if r.negated => "every role except the ones in `NotResource`".to_string(),
            Some(r) => r
                .items
                .iter()
                .find(|i| {
                    is_all_resources(&i.value)
                        || arn_fields(&i.value).is_some_and(|f| f[5] == "*" || f[5].ends_with("/*"))
                })
                .map_or_else(|| "every role".to_string(), |i| format!("`{}`", i.value)),
            None => "every role".to_string(),
        };
        let cond = if s.conditions.is_empty() {
            String::new()
        } else {
            let e = g.hits.iter().find_map(|h| h.example.as_ref());
            format!(
                "; its conditions do not limit the service the role is passed to{}",
                e.map(effective::context_note).unwrap_or_default()
            )
        };
        out.push(cx.finding(&RULE, g.span, format!("{via} is allowed on {wide}: the principal can pass every role it matches, including administrator roles, to a service{cond}"))
            .help("list the role ARNs that may be passed, and add an `iam:PassedToService` condition (without IfExists)"));
    }
}
