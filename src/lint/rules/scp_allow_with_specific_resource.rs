//! `GL081 scp-allow-with-specific-resource`.

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
    code: "GL081",
    name: "scp-allow-with-specific-resource",
    severity: Severity::Error,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_ALLOW_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an SCP Allow statement with a `Resource` other than `*`.

## Why is this bad?

Organizations rejects it: SCP Allow statements apply to all resources.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::example-bucket"
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
      "Action": "s3:*",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        if let Some(r) = &s.resource {
            for i in &r.items {
                if i.value != "*" {
                    out.push(
                        cx.finding(
                            &RULE,
                            i.span,
                            format!(
                                "an SCP Allow statement must use `\"Resource\": \"*\"`, not `{}`",
                                i.value
                            ),
                        )
                        .help("use \"*\", and restrict resources with a Deny statement"),
                    );
                }
            }
        }
    }
}
