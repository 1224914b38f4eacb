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

Flags a trust statement for GitHub Actions OIDC (`token.actions.githubusercontent.com`) without a condition on `token.actions.githubusercontent.com:sub`.

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
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        for v in principals(s, PrincipalKind::Federated) {
            if v.value
                .ends_with(":oidc-provider/token.actions.githubusercontent.com")
                && !has_key(s, "token.actions.githubusercontent.com:sub")
            {
                out.push(cx.finding(&RULE, v.span, "the GitHub Actions OIDC provider is trusted without a `token.actions.githubusercontent.com:sub` condition")
                    .help("add `StringEquals`/`StringLike` on `token.actions.githubusercontent.com:sub`, such as `repo:my-org/my-repo:ref:refs/heads/main`; otherwise any repository on GitHub can assume the role"));
            }
        }
    }
}
