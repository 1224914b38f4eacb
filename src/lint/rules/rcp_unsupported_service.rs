//! `GL114 rcp-unsupported-service`.

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
    code: "GL114",
    name: "rcp-unsupported-service",
    severity: Severity::Error,
    applies_to: &[PolicyType::Rcp],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action in a resource control policy for a service that RCPs do not support.

## Why is this bad?

RCPs apply only to the resources of supported services; a statement about another service silently does nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "ec2:TerminateInstances",
      "Resource": "*",
      "Principal": "*"
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
      "Action": "s3:DeleteObject",
      "Resource": "*",
      "Principal": "*"
    }
  ]
}
```

## Limits

Decided with the catalog's list of RCP-supported services.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    let supported = cat.rcp_supported_services();
    for s in &cx.policy.statements {
        for a in &s.action.items {
            let Some((svc, _)) = a.split() else { continue };
            if svc.contains(['*', '?']) || cat.service(svc).is_none() {
                continue;
            }
            if !supported.iter().any(|x| x.eq_ignore_ascii_case(svc)) {
                out.push(cx.finding(&RULE, a.span, format!("resource control policies do not apply to `{svc}`, so `{}` has no effect here", a.text))
                    .help("RCPs support a fixed list of services (such as s3, sts, kms, sqs, secretsmanager); control this service with an SCP or its resource policies"));
            }
        }
    }
}
