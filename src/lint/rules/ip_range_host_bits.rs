//! `GL049 ip-range-host-bits`.

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
    code: "GL049",
    name: "ip-range-host-bits",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["IMPROVE_IP_RANGE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a CIDR range with host bits set, such as `203.0.113.7/24`.

## Why is this bad?

IAM ignores the bits after the prefix, so the range is wider than it looks (`203.0.113.7/24` is `203.0.113.0/24`).

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
          "aws:SourceIp": "203.0.113.7/24"
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
                if let Some(fixed) = ip::network_of(&v.text) {
                    if fixed != v.text {
                        out.push(
                            cx.finding(
                                &RULE,
                                v.span,
                                format!(
                                    "`{}` has bits set after the prefix length; IAM ignores them",
                                    v.text
                                ),
                            )
                            .help(format!("write `{fixed}`")),
                        );
                    }
                }
            }
        }
    }
}
