//! `GL130 data-exfiltration`.

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
    code: "GL130",
    name: "data-exfiltration",
    severity: Severity::Warning,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy that effectively allows (Allow minus Deny, conditions decided by the request-space analysis) a read action cloudsplaining lists for data exfiltration — `s3:GetObject`, `ssm:GetParameter`, `ssm:GetParameters`, `ssm:GetParametersByPath`, `secretsmanager:GetSecretValue` (<https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/>) — on resources the policy does not name (every bucket, parameter or secret).

## Why is this bad?

Unrestricted `s3:GetObject` has a long history of data leaks; `ssm:GetParameter*` and `secretsmanager:GetSecretValue` read secrets.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "*"
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
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    static P: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    let pool =
        P.get_or_init(|| crate::lint::categories::pool_of(crate::lint::escalation::EXFILTRATION));
    let actions = crate::lint::categories::covered(cx, pool, None, true);
    crate::lint::categories::report(
        cx,
        &RULE,
        actions,
        "reading data or secrets",
        "name the buckets, parameters or secrets the principal reads in `Resource`",
        false,
        out,
    );
}
