//! `GL069 mismatched-action-for-principal`.

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
    code: "GL069",
    name: "mismatched-action-for-principal",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["MISMATCHED_ACTION_FOR_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a trust statement whose action does not match its federated principal: `sts:AssumeRoleWithWebIdentity` with a SAML provider, `sts:AssumeRoleWithSAML` with an OIDC provider, or `sts:AssumeRole` with either.

## Why is this bad?

The role can never be assumed that way; the trust silently does not work.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"
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
      "Action": "sts:AssumeRoleWithSAML",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:saml-provider/Okta"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.action.negated {
            continue;
        }
        let fed = principals(s, PrincipalKind::Federated);
        if fed.is_empty() {
            continue;
        }
        let saml = fed.iter().any(|v| v.value.contains(":saml-provider/"));
        let oidc = fed.iter().any(|v| !v.value.contains(":saml-provider/"));
        for a in &s.action.items {
            let bad = (a.lower == "sts:assumerolewithwebidentity" && saml && !oidc)
                || (a.lower == "sts:assumerolewithsaml" && oidc && !saml)
                || a.lower == "sts:assumerole";
            if bad {
                out.push(cx.finding(&RULE, a.span, format!("`{}` does not work with the federated principal of this statement", a.text))
                    .help("use `sts:AssumeRoleWithSAML` with a SAML provider and `sts:AssumeRoleWithWebIdentity` with an OIDC provider"));
            }
        }
    }
}
