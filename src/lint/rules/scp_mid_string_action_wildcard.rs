//! `GL082 scp-mid-string-action-wildcard`.

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
    code: "GL082",
    name: "scp-mid-string-action-wildcard",
    severity: Severity::Error,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_ACTION_WILDCARD"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an SCP action with a wildcard anywhere but at the end (`iam:*AccessKey*`, `s3:Get?bject`).

## Why is this bad?

Organizations rejects the SCP.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "iam:*AccessKey*",
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
      "Effect": "Deny",
      "Action": "iam:CreateAccessKey",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for a in &s.action.items {
            let t = a.text.trim_end_matches('*');
            if t.contains(['*', '?']) {
                out.push(cx.finding(&RULE, a.span, format!("`{}` has a wildcard before the end; SCP actions allow `*` only at the end", a.text)).help("list the actions, or use a single trailing `*`"));
            }
        }
    }
}
