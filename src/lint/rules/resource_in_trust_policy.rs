//! `GL023 resource-in-trust-policy`.

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
    code: "GL023",
    name: "resource-in-trust-policy",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `Resource` or `NotResource` in a role trust policy.

## Why is this bad?

A trust policy applies to the role it is attached to; IAM rejects a trust policy with a resource element.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": "*",
      "Principal": {
        "Service": "ec2.amazonaws.com"
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
        "Service": "ec2.amazonaws.com"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(r) = &s.resource {
            out.push(
                cx.finding(
                    &RULE,
                    r.key_span,
                    "a role trust policy cannot have a `Resource` or `NotResource` element",
                )
                .help("remove it: a trust policy applies to the role it is attached to"),
            );
        }
    }
}
