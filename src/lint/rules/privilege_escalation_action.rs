//! `GL097 privilege-escalation-action`.

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
    code: "GL097",
    name: "privilege-escalation-action",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow of an action that alone lets a principal raise its own permissions (the Rhino Security Labs set): `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`, `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`, `glue:UpdateDevEndpoint`, `lambda:UpdateFunctionCode`. Wildcards are expanded and named.

## Why is this bad?

Each of these lets the principal grant itself (or a principal it controls) more permissions, up to administrator, without any other permission. `*` alone is reported by `full-admin` instead.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:Attach*Policy",
      "Resource": "*"
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
      "Action": "iam:GetPolicy",
      "Resource": "*"
    }
  ]
}
```

## Limits

Statements limited to specific ARNs are still reported, because whether they escalate depends on what those resources are (target-dependent); ignore them in the configuration with a reason when the targets are safe.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow || s.action.negated {
            continue;
        }
        for a in &s.action.items {
            if a.lower == "*" || a.lower == "*:*" {
                continue;
            }
            let hits: Vec<String> = crate::lint::escalation::SINGLE
                .iter()
                .zip(single_lower())
                .filter(|(_, l)| glob_match(&a.lower, l))
                .map(|(x, _)| x.to_string())
                .collect();
            if hits.is_empty() {
                continue;
            }
            let what = if a.has_wildcard() {
                format!("`{}` includes {}", a.text, name_list(&hits, 5))
            } else {
                format!("`{}`", a.text)
            };
            let scope = if star_resource(s).is_some() {
                "on any resource"
            } else {
                "on the listed resources"
            };
            out.push(cx.finding(&RULE, a.span, format!("{what}: {} allowed {scope}", if hits.len() == 1 { "a privilege-escalation action" } else { "privilege-escalation actions" }))
                .help("a principal with this permission can give itself more permissions; restrict it to specific resources and principals, or add a permissions boundary"));
        }
    }
}

/// [`crate::lint::escalation::SINGLE`] in lower case, computed once.
fn single_lower() -> &'static [String] {
    static LOWER: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LOWER.get_or_init(|| {
        crate::lint::escalation::SINGLE
            .iter()
            .map(|x| x.to_ascii_lowercase())
            .collect()
    })
}
