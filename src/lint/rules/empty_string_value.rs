//! `GL036 empty-string-value`.

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
    code: "GL036",
    name: "empty-string-value",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an empty string in `Action`, `NotAction`, `Resource`, `NotResource` or a principal list.

## Why is this bad?

An empty action, ARN or principal is invalid; IAM rejects the document or the item matches nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": [
        "arn:aws:s3:::example-bucket/*",
        ""
      ]
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
      "Resource": [
        "arn:aws:s3:::example-bucket/*"
      ]
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for a in &s.action.items {
            if a.text.is_empty() {
                out.push(
                    cx.finding(&RULE, a.span, "an action is the empty string")
                        .help("write `service:Action`, or remove the item"),
                );
            }
        }
        if let Some(r) = &s.resource {
            for i in &r.items {
                if i.value.is_empty() {
                    out.push(
                        cx.finding(&RULE, i.span, "a resource is the empty string")
                            .help("write an ARN or \"*\", or remove the item"),
                    );
                }
            }
        }
        if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
            for e in entries {
                for v in &e.values {
                    if v.value.is_empty() {
                        out.push(
                            cx.finding(
                                &RULE,
                                v.span,
                                format!("a `{}` principal is the empty string", e.kind.as_str()),
                            )
                            .help("name the principal, or remove the item"),
                        );
                    }
                }
            }
        }
    }
}
