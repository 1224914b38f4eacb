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
    const LIMIT: usize = 6144;
    const LIMIT_TEXT: &str = "6,144";
    const WHAT: &str = "managed policy";
    const HELP: &str = "split it into several granular policies (IAM does not count whitespace; inline policies share 2,048 per user, 5,120 per group and 10,240 per role)";

    let text = cx.source().slice(cx.policy.span);
    // ASCII text (the usual case): count bytes; `char::is_whitespace` on ASCII is exactly
    // tab, LF, VT, FF, CR and space.
    let size = if text.is_ascii() {
        text.bytes()
            .filter(|b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    };
    if size > LIMIT {
        out.push(cx.finding(&RULE, cx.policy.statement_key_span, format!("the policy has {} characters excluding whitespace, over the {LIMIT_TEXT}-character {WHAT} quota", thousands(size)))
            .label("this policy")
            .help(HELP));
    }
}
