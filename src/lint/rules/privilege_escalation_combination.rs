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
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    check: Check::Principal(check),
    docs: r##"
## What it does

Flags combinations of permissions that together allow privilege escalation, across the statements of a policy and across all the policies of one principal, each decided on what the policies effectively allow (Allow minus Deny, request-space analysis), with `iam:PassRole` allowed for passing a role to the service that runs the code (`iam:PassedToService`; where the service's documentation leaves the value open, each candidate counts): `iam:PassRole` with `ec2:RunInstances`, `ec2:RequestSpotInstances`, `ec2:AssociateIamInstanceProfile` or `ec2:ReplaceIamInstanceProfileAssociation`; with `ec2:CreateLaunchTemplate` or `autoscaling:CreateLaunchConfiguration`, + `autoscaling:CreateAutoScalingGroup`; with `lambda:CreateFunction` + `lambda:InvokeFunction`, `lambda:CreateEventSourceMapping` or `lambda:AddPermission`; with `glue:CreateDevEndpoint`, `glue:CreateSession` + `glue:RunStatement`, or `glue:CreateJob`/`glue:UpdateJob` + `glue:StartJobRun`/`glue:CreateTrigger`; with `cloudformation:CreateStack`, `cloudformation:UpdateStack`, `cloudformation:UpdateStackSet`, or `cloudformation:CreateStackSet` + `cloudformation:CreateStackInstances`; with `datapipeline:CreatePipeline` + `datapipeline:PutPipelineDefinition`; with `ecs:RunTask` or `ecs:StartTask` (a task role override), or `ecs:RegisterTaskDefinition` + `ecs:CreateService` or `ecs:UpdateService`; with `codebuild:CreateProject` + `codebuild:StartBuild` (or `codebuild:StartBuildBatch`); with `sagemaker:CreateNotebookInstance`, `sagemaker:CreateTrainingJob` or `sagemaker:CreateProcessingJob`; with `batch:RegisterJobDefinition` + `batch:SubmitJob`; with `elasticmapreduce:RunJobFlow`; with `states:CreateStateMachine` + `states:StartExecution`; with `ssm:CreateDocument` + `ssm:StartAutomationExecution`; with `apprunner:CreateService`; with `scheduler:CreateSchedule`; and, without `iam:PassRole`, combinations that run the caller's code with the role of an existing resource: `cloudformation:CreateChangeSet` + `cloudformation:ExecuteChangeSet` (a stack's service role), `ecs:ExecuteCommand` + `ecs:DescribeTasks` (a running task's role), `bedrock-agentcore:StartCodeInterpreterSession` + `bedrock-agentcore:InvokeCodeInterpreter` (a code interpreter's role). A principal's permissions boundary rules out a combination when none of its `Allow` statements covers one of the actions, and an unconditional `Deny` of `ec2:RunInstances` on every instance or image refuses that action (EC2's guide: every launch names both). A combination that holds a smaller reported one is not reported again. Where every `Allow` of `iam:PassRole` names its roles by full ARN (no wildcard, variable or `NotResource`), the combination gives the principal the permissions of those roles, the ones it is meant to pass (EC2's guide grants `iam:PassRole` on one named role beside `ec2:RunInstances`: <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles>; cloudsplaining counts only actions without resource constraints): the finding is then a warning to check what those roles grant, not a security finding. Sources: Rhino Security Labs (<https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>), the pathfinding.cloud paths (`lambda-006`, `glue-003`–`007`, `cloudformation-003`/`004`, `ecs-003`/`004`/`005`/`006`/`009`, `codebuild-001`/`004`, `sagemaker-001`/`002`/`003`, `ec2-003`, `batch-001`, `ssm-003`, `apprunner-001`, `bedrock-002`; <https://pathfinding.cloud/paths/>) and the AWS documentation of the role each service uses (CloudFormation service roles, EC2 instance roles, ECS task overrides and service updates, EMR `RunJobFlow`, Step Functions SDK integrations, EventBridge Scheduler universal targets, Auto Scaling launch templates and configurations); each finding names its source. Identity policies and permissions boundaries only: every combination needs `iam:PassRole` or ECS actions, which no resource policy can grant (IAM's only resource policy, a role's trust policy, grants `sts:` actions; Amazon ECS has no resource-based policies).

## Why is this bad?

Passing a privileged role to a new compute resource that runs the principal's code gives the principal that role's permissions; so does running one's own code (a template, a command, a statement) on an existing resource that already has a role. The pieces often sit in different statements or policies, so per-statement checks miss them. An `iam:PassedToService` condition that names another service breaks the path; a Deny of one piece removes it.

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

The principal of a policy file is not known to the linter: the policies of one principal are all the documents of one user, group or role in an authorization-details file, or every file given with `--one-principal`. Otherwise each file is checked on its own. A combination whose pieces are all granted by `*` is reported by `full-admin` instead, and one whose pieces are all granted by `Allow` statements with `NotAction` on every resource by `allow-with-not-action`.

A principal's permissions boundary (CloudFormation, Terraform, authorization-details files) rules out a combination when none of its `Allow` statements covers one of the actions; its conditions, resources and `Deny` statements are not read (a combination they would rule out is still reported).
"##,
};

fn check(cxs: &[Ctx<'_>], out: &mut Vec<Finding>) {
    // identity policies of one principal are one set; any other document stands alone
    let mut groups: Vec<(Vec<&Ctx<'_>>, PolicyType)> = Vec::new();
    let ids: Vec<&Ctx<'_>> = cxs
        .iter()
        .filter(|c| c.policy_type == PolicyType::Identity)
        .collect();
    // The principal's permissions boundary, beside its identity policies: an action no
    // `Allow` of the boundary covers is denied to the principal whatever its policies allow
    // (IAM User Guide, "Permissions boundaries for IAM entities": the effective permissions
    // are the intersection), so a combination with such an action is not granted. Only that
    // much is read from the boundary: its conditions, resources and `Deny`s narrow further,
    // and leaving them out only keeps a combination (never drops one the principal has).
    // The boundary grants nothing itself, so beside identity policies it is no set of its own.
    let boundaries: Vec<&Ctx<'_>> = if ids.is_empty() {
        Vec::new()
    } else {
        cxs.iter()
            .filter(|c| c.policy_type == PolicyType::Boundary)
            .collect()
    };
    if !ids.is_empty() {
        groups.push((ids, PolicyType::Identity));
    }
    for c in cxs
        .iter()
        .filter(|c| c.policy_type != PolicyType::Identity)
        .filter(|c| !boundaries.iter().any(|b| std::ptr::eq(*b, *c)))
    {
        groups.push((vec![c], c.policy_type));
    }
    for (g, t) in groups {
        let bounded = if t == PolicyType::Identity {
            &boundaries[..]
        } else {
            &[]
        };
        check_set(&g, t, bounded, out);
    }
}

fn check_set(cxs: &[&Ctx<'_>], t: PolicyType, boundaries: &[&Ctx<'_>], out: &mut Vec<Finding>) {
    use crate::lint::effective::{self, Ask, Scope};
    use crate::lint::escalation::COMBOS;
    let policies: Vec<&Policy> = cxs.iter().map(|c| c.policy).collect();
    // per policy, the actions its Allow statements cover (its `Action` blocks as catalog
    // indices, merged), made on first use (shared with the other rules of the policy)
    let covered = |a: &str, i: Option<u32>| {
        policies
            .iter()
            .zip(cxs)
            .any(|(p, c)| c.allow_cover().covers(p, a, i))
            && boundaries
                .iter()
                .all(|b| b.allow_cover().covers(b.policy, a, i))
    };
    // cheap prefilter: every action of some combination is covered by an Allow statement
    // (each distinct action asked once)
    let lower = combos_lower();
    // (each distinct action asked once: by its place in [`combo_actions`])
    let (distinct, places) = combo_actions();
    let mut known: Vec<Option<bool>> = vec![None; distinct.len()];
    let mut is_covered = |d: usize| {
        *known[d].get_or_insert_with(|| {
            let (a, i) = &distinct[d];
            covered(a, *i)
        })
    };
    let combos: Vec<(&crate::lint::escalation::Combo, &Vec<String>)> = COMBOS
        .iter()
        .zip(lower)
        .zip(places)
        .filter(|(_, ps)| ps.iter().all(|&d| is_covered(d)))
        .map(|(c, _)| c)
        // an action refused on a resource type every request for it names is never allowed
        .filter(|(_, l)| {
            !l.iter()
                .any(|a| effective::denied_by_required_type(&policies, a))
        })
        .collect();
    if combos.is_empty() {
        return;
    }
    let mut actions: Vec<String> = Vec::new();
    let mut services: Vec<&str> = Vec::new();
    for (c, l) in &combos {
        for a in l.iter() {
            if !actions.contains(a) {
                actions.push(a.clone());
            }
        }
        for s in c.services {
            if !services.contains(s) {
                services.push(s);
            }
        }
    }
    let hits = effective::effective(
        &policies,
        t,
        &Ask {
            actions,
            scope: Scope::Any,
            fixed: if services.is_empty() {
                Vec::new()
            } else {
                vec![(
                    "iam:PassedToService".to_string(),
                    crate::analysis::query::one_of(&services),
                )]
            },
            max_analysed: None,
            free_variables: true,
        },
    );
    let mut found_combos: Vec<(&Vec<String>, Finding)> = Vec::new();
    for (combo, lower) in combos {
        // `iam:PassRole` for one of the combination's services: (PassRole, service) pairs
        let mut service = None;
        let found: Option<Vec<&effective::Hit>> = lower
            .iter()
            .map(|l| {
                if l == "iam:passrole" {
                    combo.services.iter().find_map(|s| {
                        let want = [Some(vec![(*s).to_string()])];
                        let h = hits
                            .iter()
                            .find(|h| h.action == *l && effective::holds_for(h, &want))?;
                        service = Some(*s);
                        Some(h)
                    })
                } else {
                    hits.iter().find(|h| h.action == *l)
                }
            })
            .collect();
        let Some(found) = found else { continue };
        let at: Vec<(usize, Span, String)> = found
            .iter()
            .filter_map(|h| {
                let s = policies.get(h.policy)?.statements.get(h.statement)?;
                let (span, via) = effective::item_at(s, &h.action);
                Some((h.policy, span, via))
            })
            .collect();
        if at.len() != found.len() {
            continue;
        }
        // `*` alone is full admin, reported by its own rule (when it reports it); an `Allow`
        // with `NotAction` on every resource is reported by `allow-with-not-action` (a
        // `NotAction` statement on narrower resources is not, and its combinations are
        // reported here: red team 57, `NotAction [iam:*]` on CloudFormation ARNs granted
        // the change-set pair)
        if found.iter().zip(&at).all(|(h, (i, _, t))| {
            if t == "NotAction" {
                policies
                    .get(h.policy)
                    .and_then(|p| p.statements.get(h.statement))
                    .is_some_and(super::allow_with_not_action::reports)
            } else {
                super::full_admin::leaves_to_full_admin(cxs[*i], t)
            }
        }) {
            continue;
        }
        let (pi, span, _) = &at[0];
        let cx = cxs[*pi];
        let parts: Vec<String> = combo
            .actions
            .iter()
            .zip(&at)
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
        let mut f = match service {
            Some(service) => cx.finding(
                &RULE,
                *span,
                format!(
                    "together these permissions allow privilege escalation: {} (a role can be passed to `{service}`)",
                    parts.join(" + "),
                ),
            )
            .help(format!("the principal can pass a privileged role to a resource that runs its own code; scope `iam:PassRole` to the roles the workload needs (with `iam:PassedToService`) or remove one of the permissions (path documented at {})", combo.source)),
            None => cx.finding(
                &RULE,
                *span,
                format!(
                    "together these permissions allow privilege escalation: {} (the caller's code runs with the role of an existing resource)",
                    parts.join(" + "),
                ),
            )
            .help(format!("the principal can make a service run its own code with the role already attached to a stack, task or other resource; restrict these permissions to resources whose role grants no more than the principal has, or remove one of them (path documented at {})", combo.source)),
        };
        if let Some((i, s2, _)) = at.get(1) {
            if *i == *pi && s2 != span {
                f = f.related(*s2, "combined with this");
            }
        }
        // `iam:PassRole` allowed only on roles named by their full ARN: the principal gets the
        // permissions of those roles, the ones the workload is meant to pass (EC2's guide grants
        // exactly `iam:PassRole` on one named role beside `ec2:RunInstances`,
        // <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles>;
        // cloudsplaining counts only actions without resource constraints). Whether a named
        // role grants more than the principal has is not in the policy: a warning to check it,
        // not a security finding. A pattern, `*`, a variable or `NotResource` reaches roles no
        // policy names: security, as before.
        if service.is_some() && pass_role_on_named_roles_only(&policies) {
            f.severity = super::super::Severity::Warning;
            f.message
                .push_str(": `iam:PassRole` is allowed on the named roles only");
            f.help = Some(format!(
                "the principal gets the permissions of the roles it can pass; make sure they grant no more than the principal has (path documented at {})",
                combo.source
            ).into());
        }
        found_combos.push((lower, f));
    }
    // a combination that holds a smaller one that is reported adds nothing
    // (`iam:PassRole` + `ecs:RegisterTaskDefinition` + `ecs:RunTask` next to `iam:PassRole` +
    // `ecs:RunTask`)
    let keep: Vec<bool> = found_combos
        .iter()
        .map(|(lower, _)| {
            !found_combos
                .iter()
                .any(|(m, _)| m.len() < lower.len() && m.iter().all(|a| lower.contains(a)))
        })
        .collect();
    out.extend(
        found_combos
            .into_iter()
            .zip(keep)
            .filter_map(|((_, f), k)| k.then_some(f)),
    );
}

/// The actions of each of [`crate::lint::escalation::COMBOS`] in lower case, computed once.
fn combos_lower() -> &'static [Vec<String>] {
    static LOWER: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    LOWER.get_or_init(|| {
        crate::lint::escalation::COMBOS
            .iter()
            .map(|c| c.actions.iter().map(|a| a.to_ascii_lowercase()).collect())
            .collect()
    })
}

/// The distinct actions of [`combos_lower`] (lower case, with their catalog index), and per
/// combination the place of each of its actions in that list; computed once.
#[allow(clippy::type_complexity)]
fn combo_actions() -> &'static (Vec<(String, Option<u32>)>, Vec<Vec<usize>>) {
    static ACTIONS: std::sync::OnceLock<(Vec<(String, Option<u32>)>, Vec<Vec<usize>>)> =
        std::sync::OnceLock::new();
    ACTIONS.get_or_init(|| {
        let mut distinct: Vec<(String, Option<u32>)> = Vec::new();
        let places = combos_lower()
            .iter()
            .map(|c| {
                c.iter()
                    .map(|a| match distinct.iter().position(|(x, _)| x == a) {
                        Some(d) => d,
                        None => {
                            distinct.push((a.clone(), crate::lint::action_index::index_of(a)));
                            distinct.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        (distinct, places)
    })
}

/// Every `Allow` statement of the policies that covers `iam:PassRole` names its resources by
/// full ARN: no `*`, `?` or policy variable, no `NotResource`, no missing `Resource`.
fn pass_role_on_named_roles_only(policies: &[&Policy]) -> bool {
    policies
        .iter()
        .flat_map(|p| &p.statements)
        .filter(|s| {
            s.effect.value == crate::model::Effect::Allow
                && crate::lint::util::statement_covers(s, "iam:passrole")
        })
        .all(|s| {
            s.resource.as_ref().is_some_and(|r| {
                !r.negated
                    && !r.items.is_empty()
                    && r.items
                        .iter()
                        .all(|i| !i.value.bytes().any(|c| matches!(c, b'*' | b'?' | b'$')))
            })
        })
}
