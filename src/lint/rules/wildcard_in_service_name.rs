//! `GL062 wildcard-in-service-name`.

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
    code: "GL062",
    name: "wildcard-in-service-name",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["WILDCARD_IN_SERVICE_NAME"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a wildcard inside a service prefix, such as `s*:GetObject` or `arn:aws:s*:::bucket`.

## Why is this bad?

A partial wildcard in the service name matches other services with similar names, including services AWS adds later.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s*:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
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
        for a in &s.action.items {
            if let Some((svc, _)) = a.split() {
                if svc.contains(['*', '?']) && svc != "*" {
                    out.push(cx.finding(&RULE, a.span, format!("the service prefix `{svc}` in `{}` contains a wildcard", a.text))
                        .help("name the service; a wildcard prefix also matches other services with similar names, including future ones"));
                }
            }
        }
        if let Some(r) = &s.resource {
            for i in &r.items {
                if let Some(f) = cx.arn_fields(&i.value) {
                    if f[2].contains(['*', '?']) && f[2] != "*" {
                        out.push(
                            cx.finding(
                                &RULE,
                                i.span,
                                format!(
                                    "the service `{}` in `{}` contains a wildcard",
                                    f[2], i.value
                                ),
                            )
                            .help("name the service in the ARN"),
                        );
                    }
                }
            }
        }
    }
}
