//! `GL051 source-ip-private-mixed`.

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
    code: "GL051",
    name: "source-ip-private-mixed",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOTIPADDRESS_SUBSET"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags private ranges mixed with public ones in an `aws:SourceIp` condition.

## Why is this bad?

The private ranges never match `aws:SourceIp`, so they do nothing and suggest an access path that does not exist.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "IpAddress": {
          "aws:SourceIp": [
            "203.0.113.0/24",
            "192.168.0.0/16"
          ]
        }
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
      "Condition": {
        "IpAddress": {
          "aws:SourceIp": [
            "203.0.113.0/24"
          ]
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    check_private_source_ip(cx, out, &RULE, false);
}
