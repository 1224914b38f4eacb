//! `GL087 invalid-vpc-identifier`.

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
    code: "GL087",
    name: "invalid-vpc-identifier",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_VPC_FORMAT", "INVALID_VPCE_FORMAT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an `aws:SourceVpc` value that is not `vpc-` + 8 or 17 characters, or an `aws:SourceVpce` value that is not `vpce-` + 8 or 17 characters.

## Why is this bad?

A malformed identifier never matches, so the network restriction does not work as intended.

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
        "StringEquals": {
          "aws:SourceVpce": "vpce-1a2b3c"
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
        "StringEquals": {
          "aws:SourceVpce": "vpce-1a2b3c4d"
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
            let prefix = match c.key_lower.as_str() {
                "aws:sourcevpc" => "vpc-",
                "aws:sourcevpce" => "vpce-",
                _ => continue,
            };
            if c.op.base.family() != OpFamily::String {
                continue;
            }
            for v in &c.values {
                let t = v.text.as_str();
                // (a placeholder for a value a template does not give is named on stderr)
                if t.contains(['*', '?']) || t.contains("${") || t.starts_with("UNKNOWN-") {
                    continue;
                }
                let ok = t.strip_prefix(prefix).is_some_and(|id| {
                    (id.len() == 8 || id.len() == 17)
                        && id
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
                if !ok {
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!(
                                "`{t}` is not a valid `{}` identifier",
                                prefix.trim_end_matches('-')
                            ),
                        )
                        .help(format!(
                            "use `{prefix}` followed by 8 or 17 lower-case letters or digits"
                        )),
                    );
                }
            }
        }
    }
}
