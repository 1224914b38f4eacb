//! `GL065 invalid-aws-principal`.

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
    code: "GL065",
    name: "invalid-aws-principal",
    severity: Severity::Error,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["INVALID_PRINCIPAL_FORMAT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an `AWS` principal that is not `*`, a 12-digit account ID, or an `iam`/`sts` ARN.

## Why is this bad?

A principal IAM cannot resolve is rejected, or matches nobody. Account IDs and their `:root` ARNs are equivalent and both accepted.

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
        "AWS": "11112222333"
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
        "AWS": [
          "111122223333",
          "arn:aws:iam::111122223333:root"
        ]
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for v in principals(s, PrincipalKind::Aws) {
            let p = v.value.as_str();
            // a template's placeholder (a Terraform variable without value): not the
            // author's text
            if p.is_empty() || p == "*" || p.contains("${") || p.starts_with("UNKNOWN-") {
                continue;
            }
            let account = p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit());
            let unique_id = p.len() >= 16
                && (p.starts_with("AROA") || p.starts_with("AIDA"))
                && p.bytes().all(|b| b.is_ascii_alphanumeric());
            // the account field: 12 digits (a wildcard is `wildcard-in-principal`'s; a
            // documentation placeholder such as `AccountB` or `ACCOUNT-ID` is refused by IAM)
            let arn = arn_fields(p).is_some_and(|f| {
                f[0] == "arn"
                    && matches!(f[2], "iam" | "sts")
                    && !f[5].is_empty()
                    && ((f[4].len() == 12 && f[4].bytes().all(|b| b.is_ascii_digit()))
                        || f[4].contains(['*', '?'])
                        || f[4].contains("UNKNOWN-"))
            });
            // a CloudFront origin access identity (the legacy OAI a bucket policy names)
            let oai = p.starts_with("arn:")
                && crate::eval::Principal::parse(p)
                    .is_ok_and(|x| x.account() == Some("cloudfront"));
            if !(account || unique_id || arn || oai) {
                out.push(cx.finding(&RULE, v.span, format!("`{p}` is not an AWS principal"))
                    .help("write a 12-digit account ID, or an IAM/STS ARN such as `arn:aws:iam::111122223333:role/name`"));
            }
        }
    }
}
