//! `GL077 roles-anywhere-missing-actions`.

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
    code: "GL077",
    name: "roles-anywhere-missing-actions",
    severity: Severity::Error,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"],
    aws_docs: "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a trust statement for `rolesanywhere.amazonaws.com` that does not allow all of `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession`.

## Why is this bad?

IAM Roles Anywhere needs all three to create a session; without them the role cannot be used.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "rolesanywhere.amazonaws.com"
      },
      "Condition": {
        "ArnEquals": {
          "aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/abc"
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
      "Action": [
        "sts:AssumeRole",
        "sts:SetSourceIdentity",
        "sts:TagSession"
      ],
      "Principal": {
        "Service": "rolesanywhere.amazonaws.com"
      },
      "Condition": {
        "ArnEquals": {
          "aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/abc"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        let services = principals(s, PrincipalKind::Service);
        let Some(ra) = services
            .iter()
            .find(|v| v.value == "rolesanywhere.amazonaws.com")
        else {
            continue;
        };
        let missing: Vec<String> = ["sts:assumerole", "sts:setsourceidentity", "sts:tagsession"]
            .iter()
            .filter(|a| !statement_covers(s, a))
            .map(|a| {
                match *a {
                    "sts:assumerole" => "sts:AssumeRole",
                    "sts:setsourceidentity" => "sts:SetSourceIdentity",
                    _ => "sts:TagSession",
                }
                .to_string()
            })
            .collect();
        if !missing.is_empty() {
            out.push(cx.finding(&RULE, ra.span, format!("the role cannot be assumed through IAM Roles Anywhere without {}", name_list(&missing, 3)))
                .help("allow `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` for `rolesanywhere.amazonaws.com`"));
        }
    }
}
