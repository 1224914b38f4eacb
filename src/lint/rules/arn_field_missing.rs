//! `GL110 arn-field-missing`.

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
    code: "GL110",
    name: "arn-field-missing",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_ARN_REGION", "MISSING_ARN_ACCOUNT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN without a Region or account ID for a service whose ARNs always have one (`arn:aws:lambda:::function:x`).

## Why is this bad?

The ARN matches no resource, so the statement silently does not apply.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "lambda:InvokeFunction",
      "Resource": "arn:aws:lambda:us-east-1::function:hook"
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
      "Action": "lambda:InvokeFunction",
      "Resource": "arn:aws:lambda:us-east-1:111122223333:function:hook"
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
            if f[2].contains(['*', '?']) || f[5].contains("${") || f[5].contains(['*', '?']) {
                continue;
            }
            let Some(ArnShape {
                all_region,
                all_account,
                ..
            }) = arn_shape(f[2])
            else {
                continue;
            };
            if all_region && f[3].is_empty() {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!("`{}` ARNs need a Region, but `{}` has none", f[2], i.value),
                    )
                    .help("add the Region (or `*` for any Region)"),
                );
            } else if all_account && f[4].is_empty() {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!(
                            "`{}` ARNs need an account ID, but `{}` has none",
                            f[2], i.value
                        ),
                    )
                    .help("add the 12-digit account ID (or `*` for any account)"),
                );
            }
        }
    }
}
