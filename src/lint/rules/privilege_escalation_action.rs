//! `GL097 privilege-escalation-action`.

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
    code: "GL097",
    name: "privilege-escalation-action",
    severity: Severity::Security,
    applies_to: GRANTING_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy that effectively allows (Allow minus Deny, decided by the request-space analysis) an action that alone lets a principal raise its own permissions, on some resource other than the caller's own: the Rhino Security Labs set (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`, `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`, `glue:UpdateDevEndpoint`, `lambda:UpdateFunctionCode`; <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>), removing or replacing a permissions boundary (`iam:Delete{Role,User}PermissionsBoundary`, `iam:Put{Role,User}PermissionsBoundary`; <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>), commands and sessions on instances that run with the instance's role (`ssm:SendCommand`, `ssm:StartSession`; <https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-restrict-access.html>), EC2 Instance Connect (`ec2-instance-connect:SendSSHPublicKey`; <https://pathfinding.cloud/paths/ec2instanceconnect-003>), SageMaker notebook URLs (`sagemaker:CreatePresignedNotebookInstanceUrl`; <https://pathfinding.cloud/paths/sagemaker-004>), and runs of the caller's code with the role already attached to an existing resource: CodeBuild builds with a buildspec override (`codebuild:StartBuild`, `codebuild:StartBuildBatch`; <https://pathfinding.cloud/paths/codebuild-002>, `codebuild-003`), CloudFormation stack updates with the stack's service role (`cloudformation:UpdateStack`; <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html>) and App Runner service updates (`apprunner:UpdateService`; <https://pathfinding.cloud/paths/apprunner-002>). Wildcards and `NotAction` are expanded and named.

## Why is this bad?

Each of these lets the principal grant itself (or a principal it controls) more permissions, up to administrator, without any other permission. `*` alone is reported by `full-admin` instead. Credential self-service on the caller's own user (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile` on `"Resource": "arn:aws:iam::*:user/${aws:username}"`, as in AWS's "manage their own credentials" examples) is not an escalation and is not flagged; attaching or writing policies on one's own user, or removing or replacing its permissions boundary, is. A policy variable next to a wildcard (`user/${aws:username}*` reaches `alice-admin` for `al`) or one that is not the caller's identity (`user/${aws:PrincipalTag/target}`) does not name the caller's own user. `ssm:SendCommand` counts only with a document that runs what the caller sends (`AWS-RunShellScript`, `AWS-RunPowerShellScript` and the other command-running AWS documents, or any document of an account, whose content is not known here): AWS authorizes the call on the document too, so a role limited to one fixed AWS document such as `AWSEC2-CreateVssSnapshot` cannot run the caller's code. A Deny of the actions removes the finding.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:Attach*Policy",
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
      "Action": "iam:GetPolicy",
      "Resource": "*"
    }
  ]
}
```

## Limits

Statements limited to specific ARNs are still reported, because whether they escalate depends on what those resources are (target-dependent); ignore them in the configuration with a reason when the targets are safe.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::lint::effective::{self, Ask, Scope};
    // cheap prefilter: an Allow statement that covers one of the actions
    let allowed = cx.allow_cover();
    let wanted: Vec<String> = single_lower()
        .iter()
        .filter(|(a, i)| allowed.covers(cx.policy, a, *i))
        .map(|(a, _)| a.clone())
        .collect();
    if wanted.is_empty() {
        return;
    }
    let policies = [cx.policy];
    // Attaching a managed policy escalates when the policy can be one that grants more:
    // `iam:PolicyARN` (always in the request) is asked with the values of
    // [`attach_policy_classes`], so a condition that pins the attachable policies to harmless
    // ones (IAM's "limit managed policies" example) bounds the request
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_limit-managed.html>).
    let (attach, other): (Vec<String>, Vec<String>) = wanted
        .iter()
        .cloned()
        .partition(|a| ATTACH.contains(&a.as_str()));
    let mut hits = Vec::new();
    for (actions, fixed) in [
        (other, Vec::new()),
        (
            attach,
            vec![("iam:PolicyARN".to_string(), attach_policy_classes(cx))],
        ),
    ] {
        if actions.is_empty() {
            continue;
        }
        hits.extend(effective::effective(
            &policies,
            cx.policy_type,
            &Ask {
                actions,
                scope: Scope::Any,
                fixed,
                max_analysed: None,
                free_variables: true,
            },
        ));
    }
    if hits.iter().any(|h| h.action == SEND_COMMAND) && !runs_any_command(cx, &policies) {
        hits.retain(|h| h.action != SEND_COMMAND);
    }
    // in the order the actions were asked (the order the findings name them)
    hits.sort_by_key(|h| wanted.iter().position(|a| *a == h.action));
    for g in effective::group(&policies, &hits) {
        if super::full_admin::leaves_to_full_admin(cx, &g.via) {
            continue;
        }
        let Some(s) = cx.policy.statements.get(g.statement) else {
            continue;
        };
        let names: Vec<String> = g
            .hits
            .iter()
            .map(|h| effective::display(&h.action))
            .collect();
        let what = if g.via == "NotAction" {
            format!("`NotAction` does not exclude {}", name_list(&names, 5))
        } else if g.hits.len() == 1 && g.via.eq_ignore_ascii_case(&g.hits[0].action) {
            format!("`{}`", g.via)
        } else {
            format!("`{}` includes {}", g.via, name_list(&names, 5))
        };
        let scope = if effective::any_resource(s) {
            "on any resource"
        } else {
            "on the listed resources"
        };
        let cond = if s.conditions.is_empty() {
            String::new()
        } else {
            let e = g.hits.iter().find_map(|h| h.example.as_ref());
            format!(
                ", and its conditions do not bound the request{}",
                e.map(effective::context_note).unwrap_or_default()
            )
        };
        let sources: Vec<&str> = g
            .hits
            .iter()
            .filter_map(|h| {
                crate::lint::escalation::SINGLE
                    .iter()
                    .find(|x| x.action.eq_ignore_ascii_case(&h.action))
                    .map(|x| x.source)
            })
            .fold(Vec::new(), |mut v, x| {
                if !v.contains(&x) {
                    v.push(x);
                }
                v
            });
        out.push(cx.finding(&RULE, g.span, format!("{what}: {} allowed {scope}{cond}", if g.hits.len() == 1 { "a privilege-escalation action" } else { "privilege-escalation actions" }))
            .help(format!("a principal with this permission can give itself more permissions; restrict it to specific resources and principals, or add a permissions boundary (path documented at {})", sources.join(", "))));
    }
}

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// The `iam:PolicyARN` values the attach question tries: `AdministratorAccess`, a customer
/// managed policy no statement names, and each policy the policy's `iam:PolicyARN` conditions
/// name that can grant more: a customer managed policy (its content is not known here), or
/// an AWS managed policy of the shipped corpus that is itself full admin or escalation
/// (GL089/GL097 on its document: `IAMFullAccess`, `PowerUserAccess`, ...). A pattern
/// (`arn:aws:iam::aws:policy/IAM*`) stands for each such AWS managed policy it matches.
fn attach_policy_classes(cx: &Ctx<'_>) -> Vec<Option<Vec<String>>> {
    let mut arns: Vec<String> = vec![
        ADMIN.to_string(),
        format!(
            "arn:aws:iam::{}:policy/{}",
            crate::lint::effective::UNNAMED_ACCOUNT,
            crate::lint::effective::UNNAMED
        ),
    ];
    // (inside the check of a managed policy's own content: the two above only)
    if !NESTED.with(std::cell::Cell::get) {
        for s in &cx.policy.statements {
            for c in s
                .conditions
                .iter()
                .filter(|c| c.key_lower == "iam:policyarn")
            {
                for v in &c.values {
                    let t = v.text.as_str();
                    let aws = t.starts_with("arn:aws:iam::aws:policy/");
                    let mut found: Vec<String> = Vec::new();
                    if t.contains(['*', '?']) {
                        if crate::lint::util::glob_match(t, ADMIN) {
                            continue;
                        }
                        match crate::sources::managed::corpus() {
                            Ok(corpus) => found.extend(
                                corpus
                                    .iter()
                                    .filter(|p| {
                                        crate::lint::util::glob_match(t, &p.arn)
                                            && escalates(&p.arn)
                                    })
                                    .map(|p| p.arn.clone()),
                            ),
                            Err(_) => found.push(t.replace(['*', '?'], "x")),
                        }
                        if !aws {
                            // customer managed policies the pattern names
                            found.push(t.replace(['*', '?'], "x"));
                        }
                    } else if !aws || escalates(t) {
                        found.push(t.to_string());
                    }
                    for a in found {
                        if !arns.contains(&a) {
                            arns.push(a);
                        }
                    }
                }
            }
        }
    }
    arns.into_iter().map(|a| Some(vec![a])).collect()
}

const SEND_COMMAND: &str = "ssm:sendcommand";

/// The AWS-owned Systems Manager documents that run what the caller sends: a shell or
/// PowerShell script, a script downloaded from a URL, a playbook or state, another document
/// (<https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html>,
/// <https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-remote-scripts.html>).
const COMMAND_DOCUMENTS: &[&str] = &[
    "AWS-RunShellScript",
    "AWS-RunPowerShellScript",
    "AWS-RunRemoteScript",
    "AWS-RunDocument",
    "AWS-RunAnsiblePlaybook",
    "AWS-ApplyAnsiblePlaybooks",
    "AWS-RunSaltState",
    "AWS-ApplyChefRecipes",
    "AWS-ApplyDSCMofs",
    "AWS-InstallApplication",
    "AWS-ConfigureAWSPackage",
    "AWS-InstallPowerShellModule",
    "AWS-RunPatchBaselineWithHooks",
    "AWS-RunInspecChecks",
];

/// Whether `ssm:SendCommand` is effectively allowed with a document that runs what the caller
/// sends. AWS authorizes the call on the document as well as on the instances
/// (<https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ssm.html>:
/// "`ssm:SendCommand` is scoped to the Amazon Systems Manager documents and to the managed
/// nodes"), so a role limited to one AWS-owned document that takes no command
/// (`AWSBackupServiceRolePolicyForBackup`'s `AWSEC2-CreateVssSnapshot`) cannot run the caller's
/// code. Tried: each command-running AWS document in every partition and Region the policy's
/// document ARNs name, and every document of an account (its content is not known here, so it
/// may run anything), the policy's own customer-document ARNs included; a name with a prefix
/// AWS reserves for its own documents (`aws`, `amazon`, `amzn`:
/// <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html>)
/// is not an account's.
fn runs_any_command(cx: &Ctx<'_>, policies: &[&crate::model::Policy]) -> bool {
    use crate::lint::effective::{self, Ask, Scope};
    let mut places: Vec<(String, String)> = vec![("aws".into(), "us-east-1".into())];
    let mut arns: Vec<String> = Vec::new();
    for s in &cx.policy.statements {
        if !statement_covers(s, SEND_COMMAND) {
            continue;
        }
        for i in s.resource.iter().flat_map(|r| r.items.iter()) {
            let pattern: Vec<&str> = i.value.splitn(6, ':').collect();
            if pattern.len() < 6 || pattern[0] != "arn" || !glob_match(pattern[2], "ssm") {
                continue;
            }
            let fill = |p: &str| p.replace(['*', '?'], "x");
            let (partition, region) = (fill(pattern[1]), fill(pattern[3]));
            if !places.contains(&(partition.clone(), region.clone())) {
                places.push((partition.clone(), region.clone()));
            }
            if !pattern[4].is_empty() {
                // a document of an account: whatever it runs
                let name = match fill(pattern[5]).strip_prefix("document/") {
                    Some(n) => n.to_string(),
                    None => "x".to_string(),
                };
                // names with AWS's reserved prefixes are AWS's documents, tried below
                let lower = name.to_ascii_lowercase();
                if ["aws", "amazon", "amzn"]
                    .iter()
                    .any(|r| lower.starts_with(r))
                {
                    continue;
                }
                let arn = format!(
                    "arn:{partition}:ssm:{region}:{}:document/{name}",
                    fill(pattern[4])
                );
                if !arns.contains(&arn) {
                    arns.push(arn);
                }
            }
        }
    }
    for (partition, region) in &places {
        for d in COMMAND_DOCUMENTS {
            arns.push(format!("arn:{partition}:ssm:{region}::document/{d}"));
        }
    }
    !effective::effective(
        policies,
        cx.policy_type,
        &Ask {
            actions: vec![SEND_COMMAND.to_string()],
            // an account's unnamed document, and the ARNs above
            scope: Scope::Unnamed(arns),
            fixed: Vec::new(),
            max_analysed: None,
            free_variables: true,
        },
    )
    .is_empty()
}

thread_local! {
    /// Set while an AWS managed policy's own content is linted by [`escalates`].
    static NESTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The rules whose finding on a policy's document makes attaching that policy escalation:
/// full admin, an escalation action, an escalation combination, `iam:PassRole` on every role
/// (which, with compute actions the caller may hold already, is a documented escalation path).
const ESCALATING: &[&str] = &["GL089", "GL094", "GL097", "GL098"];

/// Whether the AWS managed policy `arn` escalates ([`ESCALATING`] on its document); `true`
/// when the shipped corpus does not hold it. Memoised per thread.
fn escalates(arn: &str) -> bool {
    thread_local! {
        static MEMO: std::cell::RefCell<std::collections::HashMap<String, bool>> =
            std::cell::RefCell::new(Default::default());
    }
    if let Some(v) = MEMO.with(|m| m.borrow().get(arn).copied()) {
        return v;
    }
    let v = match crate::sources::managed::corpus()
        .ok()
        .and_then(|c| c.get(arn))
    {
        None => true,
        Some(p) => {
            let src = crate::source::Source::new(arn, p.document.get().to_string());
            NESTED.with(|n| n.set(true));
            let out = crate::lint::lint_source(&src, Some(PolicyType::Identity));
            NESTED.with(|n| n.set(false));
            out.failed
                || out
                    .findings
                    .iter()
                    .any(|f| ESCALATING.contains(&f.rule.code))
        }
    };
    MEMO.with(|m| {
        m.borrow_mut().insert(arn.to_string(), v);
    });
    v
}

/// The actions that attach a managed policy (their request carries `iam:PolicyARN`).
const ATTACH: &[&str] = &[
    "iam:attachuserpolicy",
    "iam:attachgrouppolicy",
    "iam:attachrolepolicy",
];

/// [`crate::lint::escalation::SINGLE`] in lower case, each with its catalog index, computed
/// once.
fn single_lower() -> &'static [(String, Option<u32>)] {
    static LOWER: std::sync::OnceLock<Vec<(String, Option<u32>)>> = std::sync::OnceLock::new();
    LOWER.get_or_init(|| {
        crate::lint::escalation::SINGLE
            .iter()
            .map(|x| {
                let a = x.action.to_ascii_lowercase();
                let i = crate::lint::action_index::index_of(&a);
                (a, i)
            })
            .collect()
    })
}
