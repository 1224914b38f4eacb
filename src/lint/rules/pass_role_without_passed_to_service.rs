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
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow of `iam:PassRole` (named or through an `iam:` wildcard) through which a role can be passed to any service: no `iam:PassedToService` condition, or one that does not fix the service (`...IfExists`, `StringLike` `"*"`, a negated operator). Decided by the request-space analysis; a Deny that removes the access removes the finding. Identity policies and permissions boundaries only: `iam:PassRole` is granted by identity-based policies, and no resource policy (a role's trust policy grants only `sts:` actions) can grant it.

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
    use crate::lint::effective::{self, Ask, Scope};
    // cheap prefilter: an Allow that names `iam:PassRole` by a pattern other than `*` (or a
    // spelling of it: a pattern that matches every action)
    if !cx.policy.statements.iter().any(|s| {
        s.effect.value == Effect::Allow
            && matching_pattern(s, "iam:passrole")
                .is_some_and(|p| !crate::analysis::cover::every_action(&[p.lower.as_str()]))
    }) {
        return;
    }
    let policies = [cx.policy];
    let hits = effective::effective(
        &policies,
        cx.policy_type,
        &Ask {
            actions: vec!["iam:passrole".into()],
            scope: Scope::Any,
            fixed: vec![(
                "iam:PassedToService".into(),
                crate::analysis::query::absent_or(&[
                    super::pass_role_with_wildcard_resource::UNNAMED_SERVICE,
                ]),
            )],
            max_analysed: None,
            free_variables: true,
        },
    );
    for g in effective::group(&policies, &hits) {
        if g.via == "NotAction"
            || crate::analysis::cover::every_action(&[g.via.to_ascii_lowercase().as_str()])
        {
            continue;
        }
        let Some(s) = cx.policy.statements.get(g.statement) else {
            continue;
        };
        let base = if g.via.eq_ignore_ascii_case("iam:passrole") {
            "`iam:PassRole` is allowed without an `iam:PassedToService` condition".to_string()
        } else {
            format!(
                "`{}` allows `iam:PassRole` without an `iam:PassedToService` condition",
                g.via
            )
        };
        let msg = if has_key(s, "iam:passedtoservice") {
            let e = g.hits.iter().find_map(|h| h.example.as_ref());
            format!(
                "`{}` allows `iam:PassRole` to any service: its `iam:PassedToService` condition does not name fixed services{}",
                g.via,
                e.map(effective::context_note).unwrap_or_default()
            )
        } else {
            base
        };
        out.push(cx.finding(&RULE, g.span, msg)
            .help("add `\"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"<service>.amazonaws.com\"}}` so the roles can be passed only to the intended service"));
    }
}
