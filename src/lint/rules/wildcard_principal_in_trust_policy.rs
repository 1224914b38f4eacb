//! `GL071 wildcard-principal-in-trust-policy`.

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
    code: "GL071",
    name: "wildcard-principal-in-trust-policy",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Principal": "*"` in an Allow statement of a role trust policy.

## Why is this bad?

Access Analyzer reports it as an error: a role trust policy must name who may assume the role.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": "*"
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
      "Action": "sts:AssumeRole",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(p) = &s.principal {
            if !p.negated
                && matches!(p.value, PrincipalValue::Star)
                && s.effect.value == Effect::Allow
            {
                out.push(
                    cx.finding(
                        &RULE,
                        p.span,
                        "`\"Principal\": \"*\"` is not supported in a role trust policy",
                    )
                    .help("name the trusted accounts, roles or services"),
                );
            }
        }
    }
}
