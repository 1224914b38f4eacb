//! `GL024 principal-in-identity-policy`.

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
    code: "GL024",
    name: "principal-in-identity-policy",
    severity: Severity::Error,
    applies_to: &[PolicyType::Identity, PolicyType::Boundary, PolicyType::Scp],
    access_analyzer: &["UNSUPPORTED_PRINCIPAL", "SCP_SYNTAX_ERROR_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `Principal` or `NotPrincipal` in an identity policy, a permissions boundary or an SCP.

## Why is this bad?

These policies apply to the identity they are attached to; IAM and Organizations reject a principal element in them.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Principal": {
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(p) = &s.principal {
            let key = if p.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            out.push(cx.finding(&RULE, p.key_span, format!("a {} policy cannot have a `{key}` element", cx.policy_type))
                .help("the principal of an identity policy is the user, group or role it is attached to; remove the element (or lint the file with --policy-type resource)"));
        }
    }
}
