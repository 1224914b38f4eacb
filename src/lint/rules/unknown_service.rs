//! `GL099 unknown-service`.

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
    code: "GL099",
    name: "unknown-service",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_SERVICE_IN_ACTION", "INVALID_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an action whose service prefix is not in the IAM catalog, with the nearest real prefix (`codedpeloy:ContinueDeployment` → did you mean `codedeploy`?).

## Why is this bad?

A misspelled prefix deploys fine and does nothing: an Allow grants nothing, and, worse, a Deny protects nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "codedpeloy:ContinueDeployment",
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
      "Action": "codedeploy:ContinueDeployment",
      "Resource": "*"
    }
  ]
}
```

## Limits

Decided with the IAM action catalog shipped in the binary (or the one given with `--catalog`); an action AWS added after the catalog's date is reported until the catalog is refreshed (`greenlight catalog update`).
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // (the items whose service the catalog does not know, found once for both rules)
    for &(k, j) in cx.unknown_services() {
        let s = &cx.policy.statements[k];
        let a = &s.action.items[j];
        let Some((svc, _)) = a.split() else { continue };
        // a retired service is `retired-service`'s warning
        if crate::catalog::retired::service(svc).is_some() {
            continue;
        }
        let orig = a.text.split(':').next().unwrap_or(svc);
        let mut f = cx.finding(
            &RULE,
            a.span,
            format!("the service prefix `{orig}` in `{}` does not exist", a.text),
        );
        f = match crate::lint::util::suggest_cached(svc) {
            Some(s) => f.help(format!("did you mean `{s}`?")),
            None => f.help("check the service prefix in the Service Authorization Reference; retired services are reported too"),
        };
        if s.effect.value == Effect::Deny {
            f.message.push_str(": this Deny protects nothing");
        }
        out.push(f);
    }
}
