//! `GL047 invalid-ip-value`.

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
    code: "GL047",
    name: "invalid-ip-value",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH_IP_RANGE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a value of `IpAddress`/`NotIpAddress` that is not an IP address or CIDR range.

## Why is this bad?

An unreadable range never matches: an `IpAddress` allow grants nothing, a `NotIpAddress` deny applies to everyone.

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
          "aws:SourceIp": "203.0.113.0/33"
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
          "aws:SourceIp": "203.0.113.0/24"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if c.op.base.family() != OpFamily::Ip {
                continue;
            }
            for v in &c.values {
                if v.text.contains("${") {
                    continue;
                }
                if !is_ip_or_cidr(&v.text) {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!(
                                "`{}` is not an IPv4/IPv6 address or CIDR range for `{}`",
                                v.text,
                                c.op.name()
                            ),
                        )
                        .help("use CIDR notation such as `203.0.113.0/24`"),
                    );
                }
            }
        }
    }
}
