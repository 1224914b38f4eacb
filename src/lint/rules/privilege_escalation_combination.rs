//! `GL098 privilege-escalation-combination`.

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
    code: "GL098",
    name: "privilege-escalation-combination",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    check: Check::Principal(check),
    docs: r##"
## What it does

Flags combinations of permissions that together allow privilege escalation, across the statements of a policy and across all the policies of one principal: `iam:PassRole` with `ec2:RunInstances`, with `lambda:CreateFunction` + `lambda:InvokeFunction` (or + `lambda:CreateEventSourceMapping`), with `glue:CreateDevEndpoint`, with `cloudformation:CreateStack`, with `datapipeline:CreatePipeline` + `datapipeline:PutPipelineDefinition`, with `ecs:RegisterTaskDefinition` + `ecs:RunTask`, or with `codebuild:CreateProject` + `codebuild:StartBuild`.

## Why is this bad?

Passing a privileged role to a new compute resource that runs the principal's code gives the principal that role's permissions. The pieces often sit in different statements or policies, so per-statement checks miss them.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/*",
      "Condition": {
        "StringEquals": {
          "iam:PassedToService": "lambda.amazonaws.com"
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": [
        "lambda:CreateFunction",
        "lambda:InvokeFunction"
      ],
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
      "Action": [
        "lambda:CreateFunction",
        "lambda:InvokeFunction"
      ],
      "Resource": "*"
    }
  ]
}
```

## Limits

The principal of a policy file is not known to the linter: the policies of one principal are all the documents of one user, group or role in an authorization-details file, or every file given with `--one-principal`. Otherwise each file is checked on its own. Deny statements and conditions are not subtracted.
"##,
};

fn check(cxs: &[Ctx<'_>], out: &mut Vec<Finding>) {
    // Where each action is allowed: (policy index, statement, matching pattern span, text).
    let grant = |action: &str| -> Option<(usize, Span, String)> {
        for (i, cx) in cxs.iter().enumerate() {
            for s in &cx.policy.statements {
                if s.effect.value != Effect::Allow || !statement_covers(s, action) {
                    continue;
                }
                let (span, text) = match matching_pattern(s, action) {
                    Some(p) => (p.span, p.text.clone()),
                    None => (s.action.key_span, "NotAction".to_string()),
                };
                return Some((i, span, text));
            }
        }
        None
    };
    for combo in crate::lint::escalation::COMBOS {
        // Stops at the first action that is not granted.
        let Some(found) = combo
            .iter()
            .map(|a| grant(&a.to_ascii_lowercase()))
            .collect::<Option<Vec<(usize, Span, String)>>>()
        else {
            continue;
        };
        // `*` alone is full admin, reported by its own rule.
        if found.iter().all(|(_, _, t)| t == "*") {
            continue;
        }
        let (pi, span, _) = &found[0];
        let cx = &cxs[*pi];
        let parts: Vec<String> = combo
            .iter()
            .zip(&found)
            .map(|(a, (i, _, via))| {
                let place = if *i == *pi {
                    String::new()
                } else {
                    format!(" in {}", cxs[*i].policy.source.name)
                };
                if via.eq_ignore_ascii_case(a) {
                    format!("`{a}`{place}")
                } else {
                    format!("`{a}` (via `{via}`){place}")
                }
            })
            .collect();
        let mut f = cx.finding(
            &RULE,
            *span,
            format!(
                "together these permissions allow privilege escalation: {}",
                parts.join(" + ")
            ),
        )
        .help("the principal can pass a privileged role to a resource that runs its own code; scope `iam:PassRole` to the roles the workload needs (with `iam:PassedToService`) or remove one of the permissions");
        if let Some((i, s2, _)) = found.get(1) {
            if *i == *pi && s2 != span {
                f = f.related(*s2, "combined with this");
            }
        }
        out.push(f);
    }
}
