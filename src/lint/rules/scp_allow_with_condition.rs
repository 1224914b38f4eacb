//! `GL079 scp-allow-with-condition`.

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
    code: "GL079",
    name: "scp-allow-with-condition",
    severity: Severity::Error,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_ALLOW_CONDITION"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Condition` in an Allow statement of an SCP.

## Why is this bad?

Organizations rejects it: SCP Allow statements cannot be conditional.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:RequestedRegion": "eu-west-1"
        }
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
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "StringNotEquals": {
          "aws:RequestedRegion": "eu-west-1"
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
        if s.effect.value == Effect::Allow {
            if let Some(span) = s.condition_span {
                out.push(
                    cx.finding(
                        &RULE,
                        span,
                        "an SCP cannot use `Condition` in an Allow statement",
                    )
                    .help("express the restriction as a Deny statement with the negated condition"),
                );
            }
        }
    }
}
