//! `GL028 duplicate-sid-in-resource-policy`.

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
    code: "GL028",
    name: "duplicate-sid-in-resource-policy",
    severity: Severity::Warning,
    applies_to: &[PolicyType::Resource],
    access_analyzer: &["UNIQUE_SIDS_RECOMMENDED"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags two statements with the same `Sid` in a resource-based policy.

## Why is this bad?

Some services accept duplicate Sids in resource policies, but tools and people refer to statements by Sid; duplicates make findings and edits ambiguous.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "Read",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Sid": "Read",
      "Principal": {
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
      "Sid": "ReadObjects",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Sid": "List",
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
    let mut seen: Vec<&Spanned<String>> = Vec::new();
    for s in &cx.policy.statements {
        if let Some(sid) = &s.sid {
            if sid.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.iter().find(|f| f.value == sid.value) {
                out.push(
                    cx.finding(
                        &RULE,
                        sid.span,
                        format!("the Sid `{}` is used by more than one statement", sid.value),
                    )
                    .label("duplicate")
                    .related(first.span, "first used here")
                    .help("give every statement a unique Sid"),
                );
            } else {
                seen.push(sid);
            }
        }
    }
}
