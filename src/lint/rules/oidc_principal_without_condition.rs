//! `GL074 oidc-principal-without-condition`.

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
    code: "GL074",
    name: "oidc-principal-without-condition",
    severity: Severity::Security,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a trust statement for an OIDC provider without a condition on one of the provider's keys (`<provider>:aud`, `<provider>:sub`, ...).

## Why is this bad?

Without a condition, every identity the provider issues tokens for (for a public provider, anyone) can assume the role.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"
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
        "Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"
      },
      "Condition": {
        "StringEquals": {
          "oidc.example.com:aud": "my-app"
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
            let Some(host) = v
                .value
                .split_once(":oidc-provider/")
                .map(|(_, h)| h.to_ascii_lowercase())
            else {
                continue;
            };
            let host_prefix = format!("{host}:");
            if !s
                .conditions
                .iter()
                .any(|c| c.key_lower.starts_with(&host_prefix))
            {
                out.push(cx.finding(&RULE, v.span, format!("the OIDC provider `{host}` is trusted without a condition on its claims"))
                    .help(format!("add conditions on `{host}:aud` and `{host}:sub` so only your identities can assume the role")));
            }
        }
    }
}
