//! `GL085 trust-policy-size-quota`.

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
    code: "GL085",
    name: "trust-policy-size-quota",
    severity: Severity::Warning,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a role trust policy longer than 2,048 characters, not counting whitespace (the default quota).

## Why is this bad?

IAM rejects it unless the account's quota was raised (the documented maximum is 4,096).

## Example

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [ ... 60 role ARNs ... ]}, "Action": "sts:AssumeRole"}]}
```

## Use instead

```json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy"}, "Action": "sts:AssumeRole"}]}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    check_size_quota(
        cx,
        out,
        &RULE,
        2048,
        "default role trust policy",
        "request a role trust policy length increase (up to 4,096) in Service Quotas, or trust fewer principals",
    );
}
