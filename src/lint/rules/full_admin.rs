//! `GL089 full-admin`.

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
    code: "GL089",
    name: "full-admin",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an unconditional Allow of `*` (every action) on `*` (every resource), and an Allow with `NotAction` whose actions do not exist on `*`.

## Why is this bad?

The statement grants full administrator access. `NotAction` with a non-existent action (such as `prowler:action`) excludes nothing, and AWS accepts the document.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if !unconditional_allow(s) || s.action.negated {
            continue;
        }
        let Some(star) = star_resource(s) else {
            continue;
        };
        if let Some(a) = s
            .action
            .items
            .iter()
            .find(|a| a.lower == "*" || a.lower == "*:*")
        {
            out.push(cx.finding(&RULE, a.span, format!("`{}` on `{}` allows every action in every service on every resource: full administrator access", a.text, star.value))
                .help("grant only the actions the workload needs; for break-glass administrators use the AWS managed `AdministratorAccess` policy deliberately and ignore this finding with a reason"));
        }
    }
    {
        let cat = crate::catalog::active();
        for s in &cx.policy.statements {
            if !unconditional_allow(s) || !s.action.negated {
                continue;
            }
            let Some(star) = star_resource(s) else {
                continue;
            };
            if s.action
                .items
                .iter()
                .all(|a| cat.expand(&a.lower).is_empty())
            {
                out.push(cx.finding(&RULE, s.action.span, format!("`NotAction` lists no existing action, so this statement allows every action on `{}`: full administrator access", star.value))
                    .help("`NotAction` with an action that does not exist excludes nothing; name the actions to allow with `Action`"));
            }
        }
    }
}
