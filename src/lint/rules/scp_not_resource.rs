//! `GL078 scp-not-resource`.

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
    code: "GL078",
    name: "scp-not-resource",
    severity: Severity::Error,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_NOTRESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `NotResource` in a service control policy.

## Why is this bad?

Organizations rejects the SCP.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:*",
      "NotResource": "arn:aws:s3:::example-bucket"
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
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(r) = &s.resource {
            if r.negated {
                out.push(
                    cx.finding(&RULE, r.key_span, "an SCP cannot use `NotResource`")
                        .help("use `Resource`"),
                );
            }
        }
    }
}
