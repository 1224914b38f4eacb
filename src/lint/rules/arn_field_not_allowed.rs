//! `GL109 arn-field-not-allowed`.

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
    code: "GL109",
    name: "arn-field-not-allowed",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["ARN_REGION_NOT_ALLOWED", "ARN_ACCOUNT_NOT_ALLOWED"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN with a Region or an account ID for a service whose ARNs have none (`arn:aws:s3:us-east-1::bucket`, `arn:aws:iam:us-east-1:111122223333:role/x`).

## Why is this bad?

The ARN matches no resource, so the statement silently does not apply.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:GetRole",
      "Resource": "arn:aws:iam:us-east-1:111122223333:role/deploy"
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
      "Action": "iam:GetRole",
      "Resource": "arn:aws:iam::111122223333:role/deploy"
    }
  ]
}
```

## Limits

Decided with the IAM action catalog; services whose resource types disagree (some ARN formats have the field, some do not) are not flagged.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let Some(f) = cx.arn_fields(&i.value) else {
                continue;
            };
            if f[2].contains(['*', '?']) {
                continue;
            }
            let Some(ArnShape {
                no_region,
                no_account,
                ..
            }) = arn_shape(f[2])
            else {
                continue;
            };
            let concrete = |x: &str| !x.is_empty() && !x.contains(['*', '?']) && !x.contains("${");
            if no_region && concrete(f[3]) {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!(
                            "`{}` ARNs have no Region, but `{}` names `{}`",
                            f[2], i.value, f[3]
                        ),
                    )
                    .help(format!(
                        "leave the Region field empty: `arn:{}:{}::{}:{}`",
                        f[1], f[2], f[4], f[5]
                    )),
                );
            } else if no_account && concrete(f[4]) {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!(
                            "`{}` ARNs have no account ID, but `{}` names `{}`",
                            f[2], i.value, f[4]
                        ),
                    )
                    .help(format!(
                        "leave the account field empty: `arn:{}:{}:{}::{}`",
                        f[1], f[2], f[3], f[5]
                    )),
                );
            }
        }
    }
}
