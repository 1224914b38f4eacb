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
    applies_to: IDENTITY_TYPES,
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

Flags a policy that effectively allows `iam:PassRole` (directly, through a wildcard such as `iam:*` or `*`, or through `NotAction`) on every role — `*`, `arn:aws:iam::*:role/*`, any pattern that matches every role ARN of an account (`arn:aws:iam::111122223333:*`, `…:role*`), a whole role path (`role/service-role/*`) or `NotResource` — to any service (whether the `Resource` patterns, together, match every role is decided by their languages, not their text: `role/app-*` matches only some roles): Allow minus Deny, decided by the request-space analysis with `iam:PassedToService` set to a service no policy names and left out. A Deny of those roles removes the finding (the role asked about is one no Deny statement names when there is one, so a Deny of `role/g*` does not hide the other roles); only a condition that fixes the service (`StringEquals` with concrete service principals, without `IfExists`) counts as protection. Identity policies and permissions boundaries only: `iam:PassRole` is granted by identity-based policies, and no resource policy (a role's trust policy grants only `sts:` actions) can grant it.

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

/// The roles the Allow statements' `Resource` patterns, together, name "every role" of: a
/// role no policy names, in each account (and partition) whose every role they match, and
/// under each path whose every role they match (`role/service-role/*`). Decided by language
/// inclusion ([`crate::analysis::cover::every_role`]), not by the patterns' text, so
/// `arn:aws:iam::111122223333:*`, `…:role*` and `…:r*` count as `…:role/*` does, and
/// `…:role/app-*` does not.
///
/// The role asked about in each is one that no Deny statement's `Resource` names when there is
/// such a role (a Deny of `role/g*` must not hide the other roles), else the unnamed one.
fn every_role_arns(allows: &[&Statement], denies: &[&Statement]) -> Vec<String> {
    use crate::analysis::cover::{every_role, role_outside};
    use crate::lint::effective::{UNNAMED, UNNAMED_ACCOUNT};
    let items_of = |v: &[&Statement]| -> Vec<String> {
        v.iter()
            .filter_map(|s| s.resource.as_ref().filter(|r| !r.negated))
            .flat_map(|r| r.items.iter().map(|i| i.value.clone()))
            .filter(|v| !v.contains("${"))
            .collect()
    };
    let allowed = items_of(allows);
    let items: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let denied = items_of(denies);
    let denied: Vec<&str> = denied.iter().map(String::as_str).collect();
    let witness = |prefix: &str, names_only: bool| -> String {
        role_outside(prefix, &denied, names_only).unwrap_or_else(|| format!("{prefix}{UNNAMED}"))
    };
    let mut v: Vec<String> = Vec::new();
    for prefix in crate::analysis::cover::role_prefixes(&items) {
        if every_role(&prefix, &items, false) {
            v.push(witness(&prefix, false));
        }
    }
    // every role of an account an `aws:ResourceAccount` condition names (`Resource: "*"`
    // limited to one account by condition, or by a `Deny` of every other account, is every
    // role of that account: the analysis reads the key from the role's ARN, so a role of the
    // unnamed account alone would meet no such condition)
    for s in allows.iter().chain(denies) {
        for c in s
            .conditions
            .iter()
            .filter(|c| c.key_lower == "aws:resourceaccount")
        {
            for value in &c.values {
                if value.text.contains('$') {
                    continue;
                }
                let Some(a) = crate::analysis::cover::account_of(&value.text) else {
                    continue;
                };
                let prefix = format!("arn:aws:iam::{a}:role/");
                if every_role(&prefix, &items, false) {
                    push_new(&mut v, witness(&prefix, false));
                }
            }
        }
    }
    // every role under one path: the path of a pattern that names one, its wildcards filled
    for item in &items {
        let Some(f) = arn_fields(item) else { continue };
        let Some(path) = f[5].strip_prefix("role/") else {
            continue;
        };
        let Some(cut) = path.rfind('/') else { continue };
        let path = path[..=cut].replace('*', UNNAMED).replace('?', "x");
        let p = if f[1].contains(['*', '?']) || f[1].is_empty() {
            "aws"
        } else {
            f[1]
        };
        let Some(a) = crate::analysis::cover::account_of(f[4]).or_else(|| {
            crate::lint::util::glob_match(f[4], UNNAMED_ACCOUNT).then(|| UNNAMED_ACCOUNT.into())
        }) else {
            continue;
        };
        let prefix = format!("arn:{p}:iam::{a}:role/{path}");
        if every_role(&prefix, &items, true) {
            push_new(&mut v, witness(&prefix, true));
        }
    }
    v
}

/// Adds `arn` to `v` unless it is there.
fn push_new(v: &mut Vec<String>, arn: String) {
    if !v.contains(&arn) {
        v.push(arn);
    }
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
    let denies: Vec<&Statement> = cx
        .policy
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Deny && statement_covers(s, "iam:passrole"))
        .collect();
    let extra = every_role_arns(&allows, &denies);
    let witnesses: Vec<String> = extra
        .iter()
        .cloned()
        .chain(effective::unnamed_arn("iam:passrole"))
        .collect();
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
            free_variables: false,
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
                        || witnesses
                            .iter()
                            .any(|a| crate::eval::resource_item_matches(&i.value, a))
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
