//! `GL033 empty-principal`.

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
    code: "GL033",
    name: "empty-principal",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EMPTY_ARRAY_PRINCIPAL", "EMPTY_OBJECT_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Principal": {}` and principal lists such as `{"AWS": []}`.

## Why is this bad?

A statement with no principal applies to nobody and has no effect; it is never everyone.

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
        "AWS": []
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
        if let Some(p) = &s.principal {
            if let PrincipalValue::Map(entries) = &p.value {
                if entries.is_empty() {
                    out.push(
                        cx.finding(&RULE, p.span, "the principal is an empty object")
                            .help("name the principals the statement applies to"),
                    );
                }
                for e in entries {
                    if e.values.is_empty() {
                        out.push(
                            cx.finding(
                                &RULE,
                                e.key_span,
                                format!("the `{}` principal list is empty", e.kind.as_str()),
                            )
                            .help("name the principals or remove the key"),
                        );
                    }
                }
            }
        }
    }
}
