//! `GL066 wildcard-in-principal`.

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
    code: "GL066",
    name: "wildcard-in-principal",
    severity: Severity::Error,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a principal with a partial wildcard, such as `arn:aws:iam::111122223333:role/deploy-*`, and `"*"` under a key other than `AWS` (`{"Service": "*"}`, `{"CanonicalUser": "*"}`): only `"Principal": "*"` and `{"AWS": "*"}` name everyone.

## Why is this bad?

IAM does not expand wildcards in principals; the pattern matches nobody (or the policy is rejected). Use `"*"` with an `ArnLike` condition on `aws:PrincipalArn` instead.

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
        "AWS": "arn:aws:iam::111122223333:role/deploy-*"
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
        "AWS": "arn:aws:iam::111122223333:role/deploy"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(PrincipalValue::Map(entries)) = s.principal.as_ref().map(|p| &p.value) {
            for e in entries {
                for v in &e.values {
                    if v.value != "*" && v.value.contains(['*', '?']) {
                        out.push(cx.finding(&RULE, v.span, format!("`{}` contains a wildcard; principals cannot be partial wildcards", v.value))
                            .help("name the principals exactly, or use \"*\" with a condition on `aws:PrincipalArn` (ArnLike) to match a pattern"));
                    } else if v.value == "*" && e.kind != PrincipalKind::Aws {
                        // only `"*"` and `{"AWS": "*"}` name everyone (IAM, "AWS JSON policy
                        // elements: Principal", anonymous access); `greenlight verify` and the
                        // evaluator reject a `*` under another key
                        out.push(cx.finding(&RULE, v.span, format!("`{{\"{}\": \"*\"}}`: only `\"Principal\": \"*\"` or `{{\"AWS\": \"*\"}}` name everyone; a wildcard is not a {} principal", e.kind.as_str(), e.kind.as_str()))
                            .help("name the principals exactly, or use `\"Principal\": \"*\"` with conditions that bound the caller"));
                    }
                }
            }
        }
    }
}
