//! `GL121 federated-principal-in-resource-policy`.

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
    code: "GL121",
    name: "federated-principal-in-resource-policy",
    severity: Severity::Error,
    applies_to: &[PolicyType::Resource],
    access_analyzer: &["FEDERATED_PRINCIPAL_NOT_SUPPORTED"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-users",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Federated` principal (a SAML or OIDC identity provider) in a resource-based policy other than a role trust policy.

## Why is this bad?

Identity providers can only be trusted by a role, in its trust policy, with `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`. A bucket, queue or key policy naming one is rejected or never matches; federated users reach the resource through the role they assume.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "cognito-identity.amazonaws.com"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
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
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/web-identity-app"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```

## Limits

A document is a resource policy when `--policy-type resource` is given, or when it has a `Principal` and no `sts:AssumeRole*` action; a document with `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML` is detected as a role trust policy and is not flagged.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(p) = &s.principal else { continue };
        let PrincipalValue::Map(entries) = &p.value else {
            continue;
        };
        for e in entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Federated)
        {
            out.push(
                cx.finding(
                    &RULE,
                    e.key_span,
                    "a resource-based policy cannot name a `Federated` identity provider as principal",
                )
                .label("federated principal")
                .help("name the role that federated users assume (`AWS`: the role ARN); trust the provider in that role's trust policy"),
            );
        }
    }
}
