//! `GL084 scp-size-quota`.

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
    code: "GL084",
    name: "scp-size-quota",
    severity: Severity::Error,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["POLICY_SIZE_EXCEEDS_SCP_QUOTA"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an SCP longer than 5,120 characters, not counting whitespace.

## Why is this bad?

Organizations rejects an SCP over its size quota.

## Example

```json
{"Version": "2012-10-17", "Statement": [ ... 5,200 characters ... ]}
```

## Use instead

```json
several SCPs of at most 5,120 characters each
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    check_size_quota(
        cx,
        out,
        &RULE,
        5120,
        "service control policy",
        "split it into several SCPs (Organizations does not count whitespace)",
    );
}
