//! `GL083 identity-policy-size-quota`.

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
    code: "GL083",
    name: "identity-policy-size-quota",
    severity: Severity::Warning,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &["POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an identity policy or boundary longer than 6,144 characters, not counting whitespace (the managed policy quota).

## Why is this bad?

IAM rejects a customer managed policy over 6,144 characters. (Inline policies have aggregate quotas per identity: user 2,048, group 5,120, role 10,240.) Access Analyzer reports 10,240 for identity policies, so it stays silent between the two numbers.

## Example

```json
{"Version": "2012-10-17", "Statement": [ ... 6,200 characters ... ]}
```

## Use instead

```json
several policies of at most 6,144 characters each
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    check_size_quota(
        cx,
        out,
        &RULE,
        6144,
        "managed policy",
        "split it into several granular policies (IAM does not count whitespace; inline policies share 2,048 per user, 5,120 per group and 10,240 per role)",
    );
}
