//! `GL029 invalid-sid-characters`.

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
    code: "GL029",
    name: "invalid-sid-characters",
    severity: Severity::Error,
    applies_to: &[
        PolicyType::Identity,
        PolicyType::Boundary,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
    ],
    access_analyzer: &["UNSUPPORTED_SID"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Sid` with characters other than ASCII letters and digits in an IAM policy or SCP/RCP.

## Why is this bad?

IAM supports only `A-Z`, `a-z` and `0-9` in Sids and rejects the document otherwise (SQS and SNS resource policies allow more, so this rule does not apply to resource policies).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "read-objects"
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
            if let Some(bad) = sid.value.chars().find(|c| !c.is_ascii_alphanumeric()) {
                out.push(
                    cx.finding(
                        &RULE,
                        sid.span,
                        format!(
                            "the Sid `{}` contains `{}`; IAM Sids allow only A-Z, a-z and 0-9",
                            sid.value,
                            bad.escape_default()
                        ),
                    )
                    .help(format!(
                        "rename it, for example `{}`",
                        sid.value
                            .chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect::<String>()
                    )),
                );
            }
        }
    }
}
