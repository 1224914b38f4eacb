//! `GL050 source-ip-private-only`.

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
    code: "GL050",
    name: "source-ip-private-only",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["PRIVATE_IP_ADDRESS", "PRIVATE_NOTIPADDRESS"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an `aws:SourceIp` condition whose ranges are all private (RFC 1918, loopback, link-local, IPv6 ULA).

## Why is this bad?

`aws:SourceIp` contains only public addresses; through a VPC endpoint it is absent. An `IpAddress` allow on private ranges never matches, a `NotIpAddress` deny on them always applies.

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
          "aws:SourceIp": "10.0.0.0/8"
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
          "aws:VpcSourceIp": "10.0.0.0/8"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    check_private_source_ip(cx, out, &RULE, true);
}
