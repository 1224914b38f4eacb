//! `GL075 github-oidc-without-sub`.

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
    code: "GL075",
    name: "github-oidc-without-sub",
    severity: Severity::Security,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["MISSING_GITHUB_REPO_CONDITION_KEY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a trust statement for GitHub Actions OIDC (`token.actions.githubusercontent.com`) through which a workflow of any GitHub owner can assume the role: no condition on `token.actions.githubusercontent.com:sub`, or one that does not bound it (`StringNotEquals`, a pattern of any owner), after the policy's `Deny` statements — decided as `verify --no-public-access` decides it.

## Why is this bad?

The `aud` claim is the same for every GitHub repository, so without `sub` any workflow in any repository can assume the role.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
      },
      "Condition": {
        "StringEquals": {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
        }
      }
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
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
      },
      "Condition": {
        "StringEquals": {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:ref:refs/heads/main"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    const SUB: &str = "token.actions.githubusercontent.com:sub";
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        for v in principals(s, PrincipalKind::Federated) {
            if !v
                .value
                .ends_with(":oidc-provider/token.actions.githubusercontent.com")
            {
                continue;
            }
            match any_repository(cx.policy, s) {
                // a `StringLike` value of any owner: GL076's security finding says it
                Some(Some(_))
                    if s.conditions.iter().any(|c| {
                        c.key_lower == SUB.to_ascii_lowercase()
                            && c.op.base == OpBase::StringLike
                            && c.values
                                .iter()
                                .any(|v| super::github_oidc_wildcard_sub::admits_any_owner(&v.text))
                    }) => {}
                // the analysis: a workflow of an owner no policy names assumes the role
                Some(Some(sub)) => {
                    let msg = if has_key(s, SUB) {
                        format!(
                            "the GitHub Actions OIDC provider is trusted with a `{SUB}` condition that admits repositories of any owner (e.g. `sub` = `{sub}`)"
                        )
                    } else {
                        format!(
                            "the GitHub Actions OIDC provider is trusted without a `{SUB}` condition"
                        )
                    };
                    out.push(cx.finding(&RULE, v.span, msg).help(
                        "add `StringEquals`/`StringLike` on `token.actions.githubusercontent.com:sub`, such as `repo:my-org/my-repo:ref:refs/heads/main`; otherwise any repository on GitHub can assume the role",
                    ));
                }
                Some(None) => {}
                // undecided: the statement's wording
                None => {
                    if !has_key(s, SUB) {
                        out.push(cx.finding(&RULE, v.span, format!("the GitHub Actions OIDC provider is trusted without a `{SUB}` condition"))
                            .help("add `StringEquals`/`StringLike` on `token.actions.githubusercontent.com:sub`, such as `repo:my-org/my-repo:ref:refs/heads/main`; otherwise any repository on GitHub can assume the role"));
                    }
                }
            }
        }
    }
}

/// Whether a caller outside every account and organization the policy names assumes the role
/// through statement `s` (with every `Deny` of the policy), as `verify --no-public-access`
/// decides it: `Some(Some(sub))` with the example's `sub` (empty when it sets none),
/// `Some(None)` when no such caller does, `None` when the analysis cannot decide. A negated
/// condition (`StringNotEquals` on `sub`) or a pattern of any owner does not bound the caller.
fn any_repository(policy: &Policy, s: &Statement) -> Option<Option<String>> {
    let mut alone = policy.clone();
    alone
        .statements
        .retain(|x| x.index == s.index || x.effect.value == Effect::Deny);
    let a =
        crate::analysis::query::outside_access(&alone, crate::analysis::Kind::Trust, &[]).ok()?;
    match a.holds? {
        true => Some(None),
        false => Some(Some(
            a.counterexamples
                .iter()
                .find_map(|c| {
                    c.example
                        .context
                        .get("token.actions.githubusercontent.com:sub")
                        .map(|v| v.join(","))
                })
                .unwrap_or_default(),
        )),
    }
}
