//! `GL100 unknown-action`.

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
    code: "GL100",
    name: "unknown-action",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action that does not exist in its service, and a wildcard pattern that matches no action, with the nearest real action.

## Why is this bad?

IAM accepts unknown actions silently: the permission is never granted, or never denied. Typos in a Deny leave the door open.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObjects",
      "Resource": "arn:aws:s3:::example-bucket/*"
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```

## Limits

Decided with the IAM action catalog shipped in the binary (or the one given with `--catalog`); an action AWS added after the catalog's date is reported until the catalog is refreshed (`greenlight catalog update`).
"##,
};

/// What the catalog says of an action item (by its lowercase text), for this rule and
/// `retired-action`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Not checked: no `service:action` shape, a wildcard or unknown service, or no action
    /// name.
    NotChecked,
    /// It names (or matches) an action of the catalog.
    Known,
    /// It names or matches only retired actions.
    Retired,
    /// It names or matches nothing.
    Unknown,
}

thread_local! {
    /// [`status`] by lowercase item, memoised per thread: policies repeat the same actions,
    /// and both rules ask about each item.
    static STATUS: std::cell::RefCell<crate::catalog::SeededMap<String, Status>> =
        std::cell::RefCell::new(Default::default());
}

/// The [`Status`] of an action item in the active catalog.
pub(crate) fn status(a: &ActionPattern) -> Status {
    // (a literal that is a catalog action's lower-case name is known: [`classify`] without the
    // memo's seeded hash)
    if !a.lower.contains(['*', '?']) && crate::lint::action_index::index_of(&a.lower).is_some() {
        return Status::Known;
    }
    STATUS.with(|m| {
        if let Some(&s) = m.borrow().get(a.lower.as_str()) {
            return s;
        }
        let s = classify(&a.lower);
        let mut map = m.borrow_mut();
        if map.len() > 100_000 {
            map.clear();
        }
        map.insert(a.lower.clone(), s);
        s
    })
}

fn classify(lower: &str) -> Status {
    let Some((svc, name)) = lower.split_once(':') else {
        return Status::NotChecked;
    };
    if svc.contains(['*', '?'])
        || crate::catalog::active().service(svc).is_none()
        || name.is_empty()
    {
        return Status::NotChecked;
    }
    // (a literal names the catalog action of that lower-case name, if any: the expansion is
    // the glob over those names, so no expansion is needed to know it is not empty)
    let known = if lower.contains(['*', '?']) {
        !crate::lint::util::expand_cached(lower).is_empty()
    } else {
        crate::lint::action_index::index_of(lower).is_some()
    };
    if known {
        Status::Known
    } else if crate::catalog::retired::actions(lower).is_empty() {
        Status::Unknown
    } else {
        Status::Retired
    }
}

/// The [`Status`] of each `Action`/`NotAction` item of the policy, statement by statement
/// in policy order: made once for this rule and `retired-action`.
pub(crate) fn statuses<'c>(cx: &'c Ctx<'_>) -> &'c [Status] {
    cx.memo.action_status.get_or_init(|| {
        cx.policy
            .statements
            .iter()
            .flat_map(|s| s.action.items.iter().map(status))
            .collect()
    })
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut statuses = statuses(cx).iter();
    for s in &cx.policy.statements {
        for a in &s.action.items {
            // retired actions are `retired-action`'s warning
            if statuses.next() != Some(&Status::Unknown) {
                continue;
            }
            let Some((svc, _)) = a.split() else {
                continue;
            };
            if a.has_wildcard() {
                let mut f = cx.finding(
                    &RULE,
                    a.span,
                    format!("`{}` matches no action of `{svc}`", a.text),
                );
                f = match crate::lint::util::suggest_cached(&a.text) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(format!(
                        "`greenlight expand '{svc}:*'` lists the actions of the service"
                    )),
                };
                out.push(f);
            } else {
                let mut f = cx.finding(
                    &RULE,
                    a.span,
                    format!("the action `{}` does not exist", a.text),
                );
                f = match crate::lint::util::suggest_cached(&a.text) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(format!(
                        "`greenlight expand '{svc}:*'` lists the actions of the service"
                    )),
                };
                if s.effect.value == Effect::Deny {
                    f.message.push_str(": this Deny protects nothing");
                }
                out.push(f);
            }
        }
    }
}
