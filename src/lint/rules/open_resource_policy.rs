//! `GL093 open-resource-policy`.

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
    code: "GL093",
    name: "open-resource-policy",
    severity: Severity::Security,
    applies_to: &[PolicyType::Resource],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an unconditional Allow to `"*"` or `{"AWS": "*"}` in a resource-based policy.

## Why is this bad?

The resource is public: anyone, including anonymous callers, can perform the allowed actions. The two principal forms are equivalent.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Principal": "*",
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
                out.push(cx.finding(&RULE, p.span, "the resource policy allows everyone, including anonymous callers, without a condition")
                    .help("name the allowed principals, or add a condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceAccount`"));
            }
        }
    }
}
