//! `GL027 duplicate-sid`.

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
    code: "GL027",
    name: "duplicate-sid",
    severity: Severity::Error,
    applies_to: &[
        PolicyType::Identity,
        PolicyType::Boundary,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
    ],
    access_analyzer: &["UNIQUE_SIDS_REQUIRED"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags two statements with the same `Sid` in an IAM policy (identity, boundary, trust) or an SCP/RCP.

## Why is this bad?

"In IAM, the Sid value must be unique within a JSON policy": IAM rejects the document. Tools that key statements by Sid (Terraform once did) silently drop all but one.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "Read"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Sid": "Read"
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
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Sid": "ListBucket"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // first statement of each Sid, by value (linear in the number of statements)
    let mut seen: std::collections::HashMap<&str, &Spanned<String>> =
        std::collections::HashMap::new();
    for s in &cx.policy.statements {
        if let Some(sid) = &s.sid {
            if sid.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(sid.value.as_str()) {
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
                seen.insert(sid.value.as_str(), sid);
            }
        }
    }
}
