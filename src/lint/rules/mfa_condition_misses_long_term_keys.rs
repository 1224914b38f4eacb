//! `GL134 mfa-condition-misses-long-term-keys`.

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
    code: "GL134",
    name: "mfa-condition-misses-long-term-keys",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags the two ways an MFA condition lets requests made with long-term access keys through: a `Deny` with `Bool` `aws:MultiFactorAuthPresent` `false` (the `Deny` does not apply to them), and an `Allow` with `BoolIfExists` `aws:MultiFactorAuthPresent` `true` (the `Allow` applies to them). A `Deny` of the same policy that covers requests without the key (`BoolIfExists` `false`, or `Null` `true` on the key) leaves the first form alone.

## Why is this bad?

A request signed with an IAM user's long-term access keys (the AWS CLI or an SDK with `aws_access_key_id`) carries no `aws:MultiFactorAuthPresent` key at all ("Not present", IAM global condition keys, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent>). `Bool` does not match a missing key, so the `Deny` meant to require MFA skips exactly those requests; `...IfExists` matches a missing key, so the `Allow` meant to require MFA grants them. AWS's knowledge center shows the first form working in the console but not with the CLI, and the fix (<https://repost.aws/knowledge-center/mfa-iam-user-aws-cli>).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "NotAction": ["iam:ListMFADevices", "iam:EnableMFADevice", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {
        "Bool": {
          "aws:MultiFactorAuthPresent": "false"
        }
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
      "Effect": "Deny",
      "NotAction": ["iam:ListMFADevices", "iam:EnableMFADevice", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {
        "BoolIfExists": {
          "aws:MultiFactorAuthPresent": "false"
        }
      }
    }
  ]
}
```
"##,
};

const KEY: &str = "aws:multifactorauthpresent";

/// Whether every value of the condition is the boolean `b` (in any letter case).
fn all_are(c: &Condition, b: &str) -> bool {
    !c.values.is_empty() && c.values.iter().all(|v| v.text.eq_ignore_ascii_case(b))
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let on_key = |c: &&Condition| c.key_lower == KEY && c.op.qualifier.is_none();
    // some `Deny` of the policy applies to requests without the key
    let absent_denied = cx.policy.statements.iter().any(|s| {
        s.effect.value == Effect::Deny
            && s.conditions.iter().filter(on_key).any(|c| {
                (c.op.base == OpBase::Bool && c.op.if_exists && all_are(c, "false"))
                    || (c.op.base == OpBase::Null && all_are(c, "true"))
            })
    });
    for s in &cx.policy.statements {
        for c in s.conditions.iter().filter(on_key) {
            if c.op.base != OpBase::Bool {
                continue;
            }
            match s.effect.value {
                Effect::Deny if !c.op.if_exists && all_are(c, "false") && !absent_denied => {
                    out.push(
                        cx.finding(
                            &RULE,
                            c.op_span,
                            "requests made with long-term access keys carry no `aws:MultiFactorAuthPresent`, and `Bool` does not match a missing key: this `Deny` does not apply to them",
                        )
                        .help("use `BoolIfExists` with `false`: it also matches requests without the key"),
                    );
                }
                Effect::Allow if c.op.if_exists && all_are(c, "true") => {
                    out.push(
                        cx.finding(
                            &RULE,
                            c.op_span,
                            "requests made with long-term access keys carry no `aws:MultiFactorAuthPresent`, and `BoolIfExists` matches a missing key: this `Allow` grants them without MFA",
                        )
                        .help("use `Bool` with `true`: a request without the key then does not match"),
                    );
                }
                _ => {}
            }
        }
    }
}
