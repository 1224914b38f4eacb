//! `GL068 invalid-federated-principal`.

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
    code: "GL068",
    name: "invalid-federated-principal",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Federated` principal that is neither a SAML/OIDC provider ARN nor a provider domain.

## Why is this bad?

IAM rejects it, or the trust never matches a web identity or SAML assertion.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRoleWithSAML",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:role/Okta"
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
        for v in principals(s, PrincipalKind::Federated) {
            let p = v.value.as_str();
            let saml_or_oidc_arn = arn_fields(p).is_some_and(|f| {
                f[2] == "iam"
                    && (f[5].starts_with("saml-provider/") || f[5].starts_with("oidc-provider/"))
            });
            let domain = !p.starts_with("arn:") && p.contains('.') && !p.contains(['/', ' ', '*']);
            if !(saml_or_oidc_arn || domain) {
                out.push(cx.finding(&RULE, v.span, format!("`{p}` is not a federated principal"))
                    .help("use a SAML or OIDC provider ARN (`arn:aws:iam::111122223333:saml-provider/Name`) or a provider domain such as `cognito-identity.amazonaws.com`"));
            }
        }
    }
}
