//! `GL113 allow-with-unsupported-tag-key`.

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
    code: "GL113",
    name: "allow-with-unsupported-tag-key",
    severity: Severity::Suggestion,
    applies_to: GRANTING_TYPES,
    access_analyzer: &["ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement with a tag condition key that none of the statement's actions of some service support.

## Why is this bad?

The key is never in those requests, so the condition is false and the actions are not allowed: dead permissions that hide a missing grant.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListAllMyBuckets",
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
      "Action": "ec2:StartInstances",
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

Decided with the condition keys the catalog lists per action and resource type.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        for c in &s.conditions {
            if c.op.base == OpBase::Null
                || c.op.base.is_negated()
                || c.op.if_exists
                || !TAG_KEY_PREFIXES.iter().any(|k| c.key_lower.starts_with(k))
            {
                continue;
            }
            let (acts, svcs) = actions_without_key(s, &c.key);
            if acts.is_empty() || c.op.qualifier == Some(SetQualifier::ForAllValues) {
                continue;
            }
            out.push(
                cx.finding(
                    &RULE,
                    c.key_span,
                    format!(
                        "requests for {} (of {}) never carry `{}`, so this statement does not allow them",
                        name_list(&acts, 3),
                        name_list(&svcs, 3),
                        c.key
                    ),
                )
                .help(
                    "move those actions to a statement without the tag condition, or remove them",
                ),
            );
        }
    }
}
