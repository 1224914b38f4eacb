//! `GL095 pass-role-without-passed-to-service`.

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
    code: "GL095",
    name: "pass-role-without-passed-to-service",
    severity: Severity::Warning,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow of `iam:PassRole` (named or through an `iam:` wildcard) without an `iam:PassedToService` condition.

## Why is this bad?

Without it, the role can be passed to any service that accepts roles (Lambda, EC2, Glue, CloudFormation, ...), which is how PassRole becomes privilege escalation.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole"
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
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
      "Condition": {
        "StringEquals": {
          "iam:PassedToService": "ecs-tasks.amazonaws.com"
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
        let Some(p) = matching_pattern(s, "iam:passrole") else {
            continue;
        };
        if p.lower == "*" || has_key(s, "iam:passedtoservice") {
            continue;
        }
        out.push(cx.finding(&RULE, p.span, if p.lower == "iam:passrole" { "`iam:PassRole` is allowed without an `iam:PassedToService` condition".to_string() } else { format!("`{}` allows `iam:PassRole` without an `iam:PassedToService` condition", p.text) })
            .help("add `\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"<service>.amazonaws.com\"}}` so the roles can be passed only to the intended service"));
    }
}
