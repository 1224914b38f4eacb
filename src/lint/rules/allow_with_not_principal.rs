//! `GL092 allow-with-not-principal`.

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
    code: "GL092",
    name: "allow-with-not-principal",
    severity: Severity::Security,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["ALLOW_WITH_NOTPRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement with `NotPrincipal`.

## Why is this bad?

It grants access to every principal that is not listed, including anonymous users; most resource policy types do not even allow it.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
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
        if s.effect.value != Effect::Allow {
            continue;
        }
        if let Some(p) = &s.principal {
            if p.negated {
                out.push(cx.finding(&RULE, p.key_span, "`Allow` with `NotPrincipal` grants access to everyone except the listed principals, anonymous callers included")
                    .help("name the allowed principals with `Principal`"));
            }
        }
    }
}
