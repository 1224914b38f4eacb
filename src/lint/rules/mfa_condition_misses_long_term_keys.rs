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

Flags the two ways an MFA condition lets requests made with long-term access keys through: a `Deny` with `Bool` `aws:MultiFactorAuthPresent` `false` (the `Deny` does not apply to them), and an `Allow` with `BoolIfExists` `aws:MultiFactorAuthPresent` `true` (the `Allow` applies to them). A `Deny` of the same policy that covers requests without the key (`BoolIfExists` `false`, or `Null` `true` on the key) and applies to everything the first form's `Deny` names (its actions, resources and principals, with no other condition) leaves that form alone.

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

/// Whether a glob of the policy (lower case for actions) covers every text the other does: a
/// `*` glob that matches the other's text, its wildcards read as letters (each is then under
/// one of the `*`s); a `?` could stand for fewer letters than the other's `*`, so a glob with
/// one covers only what it equals.
fn glob_covers(wide: &str, narrow: &str) -> bool {
    if wide.contains('?') {
        return wide == narrow;
    }
    glob_match(wide, narrow)
}

/// Whether the `Action`/`NotAction` block `d` covers every action `s` covers (where it cannot
/// tell, no).
fn actions_cover(d: &ActionBlock, s: &ActionBlock) -> bool {
    let all = |b: &ActionBlock| b.items.iter().any(|i| i.lower == "*");
    match (d.negated, s.negated) {
        (false, false) => {
            all(d)
                || s.items
                    .iter()
                    .all(|x| d.items.iter().any(|y| glob_covers(&y.lower, &x.lower)))
        }
        (false, true) => all(d),
        // everything but what `d` names: `s`'s names, each a name none of `d`'s patterns matches
        (true, false) => s.items.iter().all(|x| {
            !x.lower.contains(['*', '?']) && !d.items.iter().any(|y| glob_match(&y.lower, &x.lower))
        }),
        // everything but what `d` names covers everything but what `s` names when `s` names
        // all `d` does
        (true, true) => d
            .items
            .iter()
            .all(|y| s.items.iter().any(|x| glob_covers(&x.lower, &y.lower))),
    }
}

/// Whether `d`'s `Resource` covers every resource `s`'s does (where it cannot tell, no).
fn resources_cover(d: Option<&ResourceBlock>, s: Option<&ResourceBlock>) -> bool {
    match (d, s) {
        (None, None) => true,
        (Some(d), _) if !d.negated && d.items.iter().any(|i| i.value == "*") => true,
        (Some(d), Some(s)) if !d.negated && !s.negated => s
            .items
            .iter()
            .all(|x| d.items.iter().any(|y| glob_covers(&y.value, &x.value))),
        _ => false,
    }
}

/// Whether `Deny` statement `d`, which applies to requests without the key, applies to every
/// request `s` applies to apart from the key: it covers `s`'s actions, resources and
/// principals and has no other condition.
fn covers_statement(d: &Statement, s: &Statement) -> bool {
    let principals = match (&d.principal, &s.principal) {
        (None, None) => true,
        (Some(p), _) => !p.negated && matches!(p.value, PrincipalValue::Star),
        _ => false,
    };
    principals
        && d.conditions.iter().all(|c| c.key_lower == KEY)
        && actions_cover(&d.action, &s.action)
        && resources_cover(d.resource.as_ref(), s.resource.as_ref())
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let on_key = |c: &&Condition| c.key_lower == KEY && c.op.qualifier.is_none();
    // the `Deny` statements that apply to requests without the key
    let absent: Vec<&Statement> = cx
        .policy
        .statements
        .iter()
        .filter(|s| {
            s.effect.value == Effect::Deny
                && s.conditions.iter().filter(on_key).any(|c| {
                    (c.op.base == OpBase::Bool && c.op.if_exists && all_are(c, "false"))
                        || (c.op.base == OpBase::Null && all_are(c, "true"))
                })
        })
        .collect();
    // (a `Bool` `false` `Deny` is left alone where one of them denies all it would deny)
    let absent_denied = |s: &Statement| {
        absent
            .iter()
            .any(|d| d.index != s.index && covers_statement(d, s))
    };
    for s in &cx.policy.statements {
        for c in s.conditions.iter().filter(on_key) {
            if c.op.base != OpBase::Bool {
                continue;
            }
            match s.effect.value {
                Effect::Deny if !c.op.if_exists && all_are(c, "false") && !absent_denied(s) => {
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
