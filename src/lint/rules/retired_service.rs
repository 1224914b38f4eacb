//! `GL127 retired-service`.

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
    code: "GL127",
    name: "retired-service",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_SERVICE_IN_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action of a retired AWS service: a service prefix that AWS's own managed policies (or earlier versions of the IAM catalog) use but the current Service Authorization Reference no longer lists, such as `deepracer`, `deeplens`, `iot1click`, `mobilehub` or `elastic-inference`.

## Why is this bad?

The statement grants (or denies) nothing any more: the service is gone. It is not a typo, so it is a warning rather than `unknown-service`'s error; remove it when convenient.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "deepracer:ListModels",
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
      "Action": "sagemaker:ListModels",
      "Resource": "*"
    }
  ]
}
```

## Limits

The list of retired services is data shipped with greenlight (`data/retired-iam.json`, with the evidence for each entry): the prefixes that AWS managed policies of 2026-08-26 and Access Analyzer-validated versions of 2026-03-07 use and the catalog does not list.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // (the items whose service the catalog does not know, found once for both rules)
    for &(k, j) in cx.unknown_services() {
        let s = &cx.policy.statements[k];
        let a = &s.action.items[j];
        let Some((svc, _)) = a.split() else { continue };
        if crate::catalog::retired::service(svc).is_none() {
            continue;
        }
        let orig = a.text.split(':').next().unwrap_or(svc);
        out.push(
            cx.finding(
                &RULE,
                a.span,
                format!(
                    "`{}` belongs to `{orig}`, a retired service: the statement {} nothing with it",
                    a.text,
                    if s.effect.value == Effect::Deny {
                        "denies"
                    } else {
                        "grants"
                    }
                ),
            )
            .help("remove the action; `data/retired-iam.json` says where AWS used the service"),
        );
    }
}
