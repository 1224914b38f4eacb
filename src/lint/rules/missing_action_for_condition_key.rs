//! `GL124 missing-action-for-condition-key`.

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
    code: "GL124",
    name: "missing-action-for-condition-key",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["MISSING_ACTION_FOR_CONDITION_KEY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a role trust policy statement that conditions on a value the caller sets (session tags with `aws:RequestTag/...`, `aws:TagKeys` or `sts:TransitiveTagKeys`; a source identity with `sts:SourceIdentity`) without allowing the action that sets it (`sts:TagSession`, `sts:SetSourceIdentity`).

## Why is this bad?

Passing session tags or a source identity when assuming a role requires the trust policy to allow `sts:TagSession` or `sts:SetSourceIdentity`. Without it the caller cannot set the value the condition checks, so the statement never allows the intended request.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ci"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "aws:RequestTag/project": "web"
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
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ci"
      },
      "Action": ["sts:AssumeRole", "sts:TagSession"],
      "Condition": {
        "StringEquals": {
          "aws:RequestTag/project": "web"
        }
      }
    }
  ]
}
```

## Limits

Only the pairs documented by IAM (session tags and `sts:TagSession`, source identity and `sts:SetSourceIdentity`); Access Analyzer may know more. Keys used with `Null`, `...IfExists` or a negated operator are not flagged (their absence is then allowed). The action may be allowed by another statement of the policy to the same principals (or to everyone), as in IAM's session-tags example.
"##,
};

/// (key prefix or name, lower case; the action that sets it).
const PAIRS: [(&str, &str); 4] = [
    ("aws:requesttag/", "sts:TagSession"),
    ("aws:tagkeys", "sts:TagSession"),
    ("sts:transitivetagkeys", "sts:TagSession"),
    ("sts:sourceidentity", "sts:SetSourceIdentity"),
];

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow || s.action.negated {
            continue;
        }
        for c in &s.conditions {
            if c.op.base == OpBase::Null || c.op.if_exists || c.op.base.is_negated() {
                continue;
            }
            let Some((_, action)) = PAIRS.iter().find(|(k, _)| {
                if k.ends_with('/') {
                    c.key_lower.starts_with(k)
                } else {
                    c.key_lower == *k
                }
            }) else {
                continue;
            };
            let lower = action.to_ascii_lowercase();
            // (allowed to the same caller by another statement: IAM's own session-tags example
            // allows `sts:AssumeRole` under the tag condition and `sts:TagSession` in a second
            // statement, <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>)
            if statement_covers(s, &lower)
                || cx.policy.statements.iter().any(|o| {
                    o.effect.value == Effect::Allow
                        && statement_covers(o, &lower)
                        && principal_includes(o.principal.as_ref(), s.principal.as_ref())
                })
            {
                continue;
            }
            out.push(
                cx.finding(
                    &RULE,
                    c.key_span,
                    format!(
                        "`{}` is set by `{action}`, which this statement does not allow, so the condition cannot be met",
                        c.key
                    ),
                )
                .help(format!("add `{action}` to the statement's `Action`")),
            );
        }
    }
}

/// Every principal `inner` names is one `outer` names too (`outer` is `*`, holds `{"AWS": "*"}`,
/// or lists each of `inner`'s values under the same key). `NotPrincipal` on either side: no.
fn principal_includes(outer: Option<&PrincipalBlock>, inner: Option<&PrincipalBlock>) -> bool {
    let (Some(o), Some(i)) = (outer, inner) else {
        return false;
    };
    if o.negated || i.negated {
        return false;
    }
    let o = match &o.value {
        PrincipalValue::Star => return true,
        PrincipalValue::Map(m) => m,
    };
    if o.iter()
        .any(|e| e.kind == PrincipalKind::Aws && e.values.iter().any(|v| v.value == "*"))
    {
        return true;
    }
    match &i.value {
        PrincipalValue::Star => false,
        PrincipalValue::Map(m) => m.iter().all(|e| {
            e.values.iter().all(|v| {
                o.iter()
                    .any(|x| x.kind == e.kind && x.values.iter().any(|w| w.value == v.value))
            })
        }),
    }
}
