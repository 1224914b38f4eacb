//! `GL073 service-principal-without-source`.

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
    code: "GL073",
    name: "service-principal-without-source",
    severity: Severity::Security,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement for a `Service` principal without an `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` condition.

## Why is this bad?

Without a source condition, the service can be made to act on behalf of another customer's resource (the cross-service confused deputy problem). AWS recommends these conditions for service trust and resource policies.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
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
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
      },
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": "111122223333"
        }
      }
    }
  ]
}
```

## Limits

Some services do not send these keys for role assumption (Amazon EC2, for example); add the condition where the service documents it, or ignore the rule for that path in the configuration with a reason.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    const SOURCE_KEYS: [&str; 4] = [
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
    ];
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        let services = principals(s, PrincipalKind::Service);
        if services.is_empty() {
            continue;
        }
        if s.conditions
            .iter()
            .any(|c| SOURCE_KEYS.contains(&c.key_lower.as_str()))
        {
            continue;
        }
        let names: Vec<String> = services.iter().map(|v| v.value.clone()).collect();
        out.push(cx.finding(&RULE, services[0].span, format!("the service principal {} is trusted without `aws:SourceAccount` or `aws:SourceArn`", name_list(&names, 3)))
            .help("add a condition on `aws:SourceAccount` (or `aws:SourceArn`) so the service can act only on behalf of your resources (confused deputy)"));
    }
}
