//! `GL120 redundant-assumed-role-principal`.

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
    code: "GL120",
    name: "redundant-assumed-role-principal",
    severity: Severity::Suggestion,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#sts-session-principals",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an assumed-role session principal (`arn:aws:sts::111122223333:assumed-role/app/session`) in a role trust policy statement that also names its parent role (`arn:aws:iam::111122223333:role/app`).

## Why is this bad?

In a role trust policy the role ARN already matches every session of that role, so the session principal adds nothing and suggests a narrower trust than the statement grants.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": [
          "arn:aws:iam::111122223333:role/app",
          "arn:aws:sts::111122223333:assumed-role/app/build"
        ]
      },
      "Action": "sts:AssumeRole"
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
        "AWS": "arn:aws:iam::111122223333:role/app"
      },
      "Action": "sts:AssumeRole"
    }
  ]
}
```
"##,
};

/// `(partition, account, role name)` of a role ARN (the name without its path).
fn role(arn: &str) -> Option<(&str, &str, &str)> {
    let f = arn_fields(arn)?;
    let path = f[5].strip_prefix("role/")?;
    (f[0] == "arn" && f[2] == "iam").then(|| (f[1], f[4], path.rsplit('/').next().unwrap_or(path)))
}

/// `(partition, account, role name)` of an assumed-role session ARN.
fn session(arn: &str) -> Option<(&str, &str, &str)> {
    let f = arn_fields(arn)?;
    let rest = f[5].strip_prefix("assumed-role/")?;
    let (name, _) = rest.split_once('/')?;
    (f[0] == "arn" && f[2] == "sts").then_some((f[1], f[4], name))
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.principal.as_ref().is_some_and(|p| p.negated) {
            continue;
        }
        let aws = principals(s, PrincipalKind::Aws);
        for v in &aws {
            let Some(sess) = session(&v.value) else {
                continue;
            };
            if sess.2.contains(['*', '?']) {
                continue;
            }
            let parent = aws.iter().find(|p| role(&p.value) == Some(sess));
            if let Some(parent) = parent {
                out.push(
                    cx.finding(
                        &RULE,
                        v.span,
                        format!(
                            "the session principal `{}` is redundant with its parent role `{}`",
                            v.value, parent.value
                        ),
                    )
                    .related(parent.span, "the parent role")
                    .help("remove the assumed-role principal; the role ARN already matches its sessions"),
                );
            }
        }
    }
}
