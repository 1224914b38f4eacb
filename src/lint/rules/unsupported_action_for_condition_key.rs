//! `GL125 unsupported-action-for-condition-key`.

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

/// Not trust policies: there, `sts:TagSession` and `sts:SetSourceIdentity` share the request
/// context of the `sts:AssumeRole*` call they come with.
const TYPES: &[PolicyType] = &[
    PolicyType::Identity,
    PolicyType::Resource,
    PolicyType::Boundary,
    PolicyType::Scp,
    PolicyType::Rcp,
];

pub static RULE: Rule = Rule {
    code: "GL125",
    name: "unsupported-action-for-condition-key",
    severity: Severity::Warning,
    applies_to: TYPES,
    access_analyzer: &["UNSUPPORTED_ACTION_FOR_CONDITION_KEY"],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a service condition key (such as `s3:prefix`) in a statement none of whose actions, named without wildcards, support the key.

## Why is this bad?

The key is absent from the requests of those actions, so the condition is never true for them: an Allow does not grant them and a Deny does not deny them. The statement does less than it says.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringLike": {
          "s3:prefix": "home/*"
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
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Condition": {
        "StringLike": {
          "s3:prefix": "home/*"
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/home/*"
    }
  ]
}
```

## Limits

Decided with the condition keys the catalog lists per action and resource type. Global keys (`aws:...`) are not checked (tag keys are covered by `allow-with-unsupported-tag-key` and `deny-with-unsupported-tag-key`), nor service tag keys (`ec2:ResourceTag/...`), nor keys used with `Null` or `...IfExists` (absence is then intended). Wildcard action patterns are not checked: `s3:List*` with `s3:prefix` is a common, deliberate shorthand. A statement where some actions support the key and others do not is not reported, and `aws-marketplace:ProductId` is never reported: the catalog omits some keys that services do send (`aws-marketplace:ProductId` on `aws-marketplace:Subscribe`).

A warning rather than Access Analyzer's error, because of those omissions: on AWS's own managed policies the rule still reports a few statements that Access Analyzer accepts (the README lists them).
"##,
};

/// Keys that services send with actions the catalog does not list them for: AWS Marketplace
/// documents `aws-marketplace:ProductId` for `Subscribe` and `Unsubscribe` ("Controlling
/// access to AWS Marketplace subscriptions").
const KNOWN_MISSING: &[&str] = &["aws-marketplace:productid"];

/// Whether the catalog lists `key` for `action` ([`crate::catalog::Action::condition_key`]),
/// memoised per thread: the lookup falls back to the global keys, and policies repeat the
/// same keys on the same actions. (Keyed by policy text: the seeded hash.)
fn supports(action: crate::catalog::Action<'static>, key: &str) -> bool {
    // (per key, by catalog index: the unkeyed hash is safe for those)
    type PerAction = std::collections::HashMap<u32, bool, crate::catalog::FxBuild>;
    thread_local! {
        static MEMO: std::cell::RefCell<crate::catalog::SeededMap<String, PerAction>> =
            std::cell::RefCell::new(Default::default());
    }
    let id = action.index();
    if let Some(hit) = MEMO.with(|m| m.borrow().get(key).and_then(|v| v.get(&id).copied())) {
        return hit;
    }
    let yes = action.condition_key(key).is_some();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        match m.get_mut(key) {
            Some(v) => {
                v.insert(id, yes);
            }
            None => {
                m.insert(key.to_string(), PerAction::from_iter([(id, yes)]));
            }
        }
    });
    yes
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.conditions.is_empty()
            || s.action.negated
            || s.action.items.iter().any(|p| p.lower.contains(['*', '?']))
        {
            continue;
        }
        let mut acts = None;
        for c in &s.conditions {
            if c.op.base == OpBase::Null
                || c.op.if_exists
                || c.key_lower.starts_with("aws:")
                || c.key_lower.contains("resourcetag/")
                || c.key_lower.contains("requesttag/")
                || KNOWN_MISSING.contains(&c.key_lower.as_str())
                || condition_key_cached(&c.key).is_none_or(|k| k.is_global())
            {
                continue;
            }
            let acts = match &acts {
                Some(a) => a,
                None => match expanded(s) {
                    Some(a) => acts.insert(a),
                    None => break,
                },
            };
            // Only when no action of the statement supports the key: the Service Authorization
            // Reference omits some keys that services do send, so a partial mismatch is not
            // reported (Access Analyzer reports none on AWS's managed policies).
            if acts.is_empty() || acts.iter().any(|(a, _)| supports(*a, &c.key)) {
                continue;
            }
            let mut unsupported: Vec<String> = acts.iter().map(|(a, _)| a.full_name()).collect();
            unsupported.sort();
            unsupported.dedup();
            out.push(
                cx.finding(
                    &RULE,
                    c.key_span,
                    format!(
                        "{} {} not support the condition key `{}`, so the condition is never true for {}",
                        name_list(&unsupported, 3),
                        if unsupported.len() == 1 { "does" } else { "do" },
                        c.key,
                        if unsupported.len() == 1 { "it" } else { "them" },
                    ),
                )
                .help("move those actions to a statement without this condition, or use a key they support"),
            );
        }
    }
}
