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

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    for s in &cx.policy.statements {
        for a in &s.action.items {
            let Some((svc, name)) = a.split() else {
                continue;
            };
            if svc.contains(['*', '?']) || cat.service(svc).is_none() || name.is_empty() {
                continue;
            }
            // retired actions are `retired-action`'s warning
            let retired = || !crate::catalog::retired::actions(&a.lower).is_empty();
            if a.has_wildcard() {
                if crate::lint::util::expand_cached(&a.lower).is_empty() && !retired() {
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
                }
            } else if crate::lint::util::expand_cached(&a.lower).is_empty() && !retired() {
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
