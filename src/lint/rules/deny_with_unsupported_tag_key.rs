//! `GL112 deny-with-unsupported-tag-key`.

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
    code: "GL112",
    name: "deny-with-unsupported-tag-key",
    severity: Severity::Security,
    applies_to: ALL_TYPES,
    access_analyzer: &["DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a Deny statement with a tag condition key (`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) that none of the statement's actions of some service support.

## Why is this bad?

A key the service never sends is absent from the request, so a Deny conditioned on it never applies to those actions: the deny fails open.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "s3:ListAllMyBuckets",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/classification": "secret"
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
      "Action": "ec2:TerminateInstances",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/classification": "secret"
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
        if s.effect.value != Effect::Deny {
            continue;
        }
        for c in &s.conditions {
            // (`Null` `false` says "only when the request carries the key": leaving out the
            // requests that never carry it is what the author wrote, as in AWS's SageMaker
            // Studio boundary that denies resources of another project)
            if c.op.base == OpBase::Null
                || !TAG_KEY_PREFIXES.iter().any(|k| c.key_lower.starts_with(k))
            {
                continue;
            }
            // a condition that holds when the key is absent (`...IfExists`, a negated
            // operator, `ForAllValues`: IAM condition operators, "If the key is not present,
            // evaluate the condition element as true",
            // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists>)
            // makes the Deny apply to exactly those requests: nothing is left out (the
            // data-perimeter RCPs' `StringNotEqualsIfExists aws:ResourceTag/dp:exclude`)
            let holds_when_absent = match c.op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => c.op.if_exists,
                None => c.op.if_exists || c.op.base.is_negated(),
            };
            if holds_when_absent {
                continue;
            }
            let (acts, svcs) = actions_without_key(s, &c.key);
            if acts.is_empty() {
                continue;
            }
            out.push(cx.finding(&RULE, c.key_span, format!("requests for {} (of {}) never carry `{}`, so this Deny does not apply to them", name_list(&acts, 3),
                        name_list(&svcs, 3), c.key))
                .help("deny those services' actions in a separate statement without the tag condition, or use a key they support"));
        }
    }
}
