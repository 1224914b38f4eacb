//! `GL091 allow-with-not-resource`.

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
    code: "GL091",
    name: "allow-with-not-resource",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement with `NotResource`.

## Why is this bad?

It grants the actions on every resource that is not listed, in every account the principal can reach, including future resources. AWS says never to combine Allow, `Action: *` and `NotResource`.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "NotResource": "arn:aws:s3:::secret-bucket/*"
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
        if s.effect.value != Effect::Allow {
            continue;
        }
        if let Some(r) = &s.resource {
            if r.negated {
                out.push(cx.finding(&RULE, r.key_span, "`Allow` with `NotResource` grants the actions on every resource except the ones listed, including resources created later")
                    .help("list the allowed resources with `Resource`"));
            }
        }
    }
}
