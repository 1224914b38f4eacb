//! `GL067 principal-unique-id`.

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
    code: "GL067",
    name: "principal-unique-id",
    severity: Severity::Warning,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["INVALID_ROLE_REFERENCE", "INVALID_USER_REFERENCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an IAM role or user unique ID (`AROA...`, `AIDA...`) in a principal.

## Why is this bad?

IAM stores principals as unique IDs and shows the ID when the role or user was deleted; the statement no longer applies to anyone by that name.

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
        "AWS": "AROAEXAMPLEID1234567"
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
        for v in principals(s, PrincipalKind::Aws) {
            let p = v.value.as_str();
            let kind = if p.starts_with("AROA") {
                "role"
            } else if p.starts_with("AIDA") {
                "user"
            } else {
                continue;
            };
            if p.len() >= 16 && p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                out.push(cx.finding(&RULE, v.span, format!("the principal is the unique ID `{p}` of an IAM {kind}"))
                    .help(format!("use the {kind} ARN; a unique ID here usually means the {kind} was deleted, and a recreated {kind} with the same name is not trusted")));
            }
        }
    }
}
