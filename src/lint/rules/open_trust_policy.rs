//! `GL072 open-trust-policy`.

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
    code: "GL072",
    name: "open-trust-policy",
    severity: Severity::Security,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement in a role trust policy whose principal is `*` or `{"AWS": "*"}` and that has no condition.

## Why is this bad?

Anyone with AWS credentials, in any account, can assume the role. `"*"` and `{"AWS": "*"}` are equivalent.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "AWS": "*"
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
        "AWS": "*"
      },
      "Condition": {
        "StringEquals": {
          "aws:PrincipalOrgID": "o-exampleorgid"
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
        if unconditional_allow(s) && principal_is_everyone(s) {
            if let Some(p) = &s.principal {
                out.push(cx.finding(&RULE, p.span, "any AWS principal in any account can assume this role: the trust policy allows everyone without a condition")
                    .help("name the trusted accounts or roles, or add conditions such as `aws:PrincipalOrgID` or `sts:ExternalId`"));
            }
        }
    }
}
