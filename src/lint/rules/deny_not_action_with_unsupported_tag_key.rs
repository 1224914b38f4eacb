//! `GL122 deny-not-action-with-unsupported-tag-key`.

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
    code: "GL122",
    name: "deny-not-action-with-unsupported-tag-key",
    severity: Severity::Security,
    applies_to: ALL_TYPES,
    access_analyzer: &["DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a Deny statement with `NotAction` and a tag condition key (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) when some of the actions it covers do not support the key.

## Why is this bad?

The statement reads as "deny everything but these actions on tagged resources", but a key the service never sends is absent from the request, so the Deny does not apply to those actions: it fails open for them.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "NotAction": "iam:*",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/team": "ops"
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
      "Action": ["ec2:StartInstances", "ec2:StopInstances"],
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/team": "ops"
        }
      }
    }
  ]
}
```

## Limits

Decided with the condition keys the catalog lists per action and resource type, over every action of the catalog that the `NotAction` list does not exclude.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Deny || !s.action.negated {
            continue;
        }
        for c in &s.conditions {
            if c.op.base == OpBase::Null
                || c.op.qualifier == Some(SetQualifier::ForAllValues)
                || c.op.base.is_negated()
                || c.op.if_exists
                || !TAG_KEY_PREFIXES.iter().any(|k| c.key_lower.starts_with(k))
            {
                continue;
            }
            let (count, services) = covered_actions_without_key(s, &c.key);
            if count == 0 {
                continue;
            }
            out.push(
                cx.finding(
                    &RULE,
                    c.key_span,
                    format!(
                        "{} actions of {} services ({}) never carry `{}`, so this Deny does not apply to them",
                        thousands(count),
                        thousands(services.len()),
                        name_list(&services, 3),
                        c.key
                    ),
                )
                .help("list the actions to deny in `Action` instead of `NotAction`, or use a condition key every covered action supports"),
            );
        }
    }
}
