//! `GL070 not-principal-in-trust-policy`.

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
    code: "GL070",
    name: "not-principal-in-trust-policy",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `NotPrincipal` in a role trust policy.

## Why is this bad?

IAM does not support `NotPrincipal` in trust policies.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "NotPrincipal": {
        "AWS": "arn:aws:iam::111122223333:root"
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
            if p.negated {
                out.push(
                    cx.finding(
                        &RULE,
                        p.key_span,
                        "a role trust policy cannot use `NotPrincipal`",
                    )
                    .help("name the trusted principals with `Principal`"),
                );
            }
        }
    }
}
