//! `GL123 allow-not-action-with-unsupported-tag-key`.

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
    code: "GL123",
    name: "allow-not-action-with-unsupported-tag-key",
    severity: Severity::Suggestion,
    applies_to: GRANTING_TYPES,
    access_analyzer: &["ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement with `NotAction` and a tag condition key (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) when some of the actions it covers do not support the key.

## Why is this bad?

The statement appears to allow every action but a few on tagged resources, yet only the actions that support the key are allowed; the others never carry it and are silently not granted.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
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
      "Effect": "Allow",
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
        if s.effect.value != Effect::Allow || !s.action.negated {
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
                        "{} actions of {} services ({}) never carry `{}`, so this statement does not allow them",
                        thousands(count),
                        thousands(services.len()),
                        name_list(&services, 3),
                        c.key
                    ),
                )
                .help("list the actions to allow in `Action` instead of `NotAction`"),
            );
        }
    }
}
