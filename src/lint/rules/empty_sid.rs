//! `GL030 empty-sid`.

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
    code: "GL030",
    name: "empty-sid",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EMPTY_SID_VALUE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Sid": ""`.

## Why is this bad?

An empty Sid identifies nothing; it is valid but noise (it appears in several AWS documentation examples).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": ""
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
      "Sid": "ReadObjects"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(sid) = &s.sid {
            if sid.value.is_empty() {
                out.push(
                    cx.finding(&RULE, sid.span, "the Sid is an empty string")
                        .help("give the statement a descriptive Sid, or remove the `Sid` element"),
                );
            }
        }
    }
}
