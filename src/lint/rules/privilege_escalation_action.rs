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

Flags a policy that effectively allows (Allow minus Deny, decided by the request-space analysis) an action that alone lets a principal raise its own permissions, on some resource other than the caller's own: the Rhino Security Labs set (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`, `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`, `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`, `glue:UpdateDevEndpoint`, `lambda:UpdateFunctionCode`; <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>), removing or replacing a permissions boundary (`iam:Delete{Role,User}PermissionsBoundary`, `iam:Put{Role,User}PermissionsBoundary`; <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>), commands and sessions on instances that run with the instance's role (`ssm:SendCommand`, `ssm:StartSession`; <https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-restrict-access.html>), EC2 Instance Connect (`ec2-instance-connect:SendSSHPublicKey`; <https://pathfinding.cloud/paths/ec2instanceconnect-003>), SageMaker notebook URLs (`sagemaker:CreatePresignedNotebookInstanceUrl`; <https://pathfinding.cloud/paths/sagemaker-004>), and runs of the caller's code with the role already attached to an existing resource: CodeBuild builds with a buildspec override (`codebuild:StartBuild`, `codebuild:StartBuildBatch`; <https://pathfinding.cloud/paths/codebuild-002>, `codebuild-003`), CloudFormation stack updates with the stack's service role (`cloudformation:UpdateStack`; <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html>) and App Runner service updates (`apprunner:UpdateService`; <https://pathfinding.cloud/paths/apprunner-002>). Also the State Manager associations and maintenance-window tasks that run the same command documents as `ssm:SendCommand` (`ssm:CreateAssociation`, `ssm:CreateAssociationBatch`, `ssm:UpdateAssociation`, `ssm:RegisterTaskWithMaintenanceWindow`, `ssm:UpdateMaintenanceWindowTask`; <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html>, <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html>), and SageMaker Studio's form of the notebook URL (`sagemaker:CreatePresignedDomainUrl`; <https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePresignedDomainUrl.html>). Wildcards and `NotAction` are expanded and named.

## Why is this bad?

Each of these lets the principal grant itself (or a principal it controls) more permissions, up to administrator, without any other permission. `*` alone is reported by `full-admin` instead. Credential self-service on the caller's own user (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile` on `"Resource": "arn:aws:iam::*:user/${aws:username}"`, as in AWS's "manage their own credentials" examples) is not an escalation and is not flagged; attaching or writing policies on one's own user, or removing or replacing its permissions boundary, is. A policy variable next to a wildcard (`user/${aws:username}*` reaches `alice-admin` for `al`) or one that is not the caller's identity (`user/${aws:PrincipalTag/target}`) does not name the caller's own user. `ssm:SendCommand`, `ssm:CreateAssociation` and `ssm:CreateAssociationBatch` count only with a document that may run what the caller sends: an AWS document that runs a script, image, playbook, package or another document (`AWS-RunShellScript`, `AWS-RunPowerShellScript`, `AWS-RunDockerAction`, `AWS-RunRemoteScript`, ...), a pattern that matches one (`AWS-*`, `*`), or any document of an account (its content is not known here). AWS authorizes the call on the document too, so a role limited to AWS documents that run AWS's own fixed steps (`AWSEC2-CreateVssSnapshot`, as AWS's service roles are) cannot run the caller's code. `ssm:UpdateAssociation` and the maintenance-window task actions name no document to bound them and count whenever allowed (an existing association or task may run commands: target-dependent). Attaching or writing a policy on a user or role, or setting its permissions boundary, is not reported when a condition fixes `iam:PermissionsBoundary` to concrete managed-policy ARNs (`StringEquals`/`ArnEquals` in the Allow, without `IfExists` or a set qualifier, or `StringNotEquals`/`ArnNotEquals` in a Deny): the principal stays within that boundary, as in IAM's delegation example (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>), unless the boundary is an AWS managed policy that itself escalates (`AdministratorAccess`); removing a boundary (`iam:Delete*PermissionsBoundary`) is still reported. A Deny of the actions removes the finding.

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

Statements limited to specific ARNs are still reported, because whether they escalate depends on what those resources are (target-dependent); ignore them in the configuration with a reason when the targets are safe. Likewise a customer managed policy fixed as the permissions boundary is taken to bound the principal: how much it grants is target-dependent.
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
    // Likewise `iam:PermissionsBoundary` (the boundary the new or changed user or role has or
    // is given) where the policy fixes it ([`boundary_fixed`]): the principal the request
    // touches is limited by that boundary (IAM's delegation example,
    // <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>).
    type Fixed = Vec<(String, Vec<Option<Vec<String>>>)>;
    let mut groups: Vec<(Vec<String>, Fixed)> = Vec::new();
    let (mut attach_classes, mut boundary) = (None, None);
    for a in &wanted {
        let mut fixed: Fixed = Vec::new();
        if ATTACH.contains(&a.as_str()) {
            let c = attach_classes.get_or_insert_with(|| attach_policy_classes(cx));
            fixed.push(("iam:PolicyARN".to_string(), c.clone()));
        }
        if BOUNDED.contains(&a.as_str()) && boundary_fixed(cx, a) {
            let c = boundary.get_or_insert_with(|| boundary_classes(cx));
            fixed.push(("iam:PermissionsBoundary".to_string(), c.clone()));
        }
        match groups.iter_mut().find(|(_, f)| *f == fixed) {
            Some((actions, _)) => actions.push(a.clone()),
            None => groups.push((vec![a.clone()], fixed)),
        }
    }
    let mut hits = Vec::new();
    for (actions, fixed) in groups {
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
    for action in DOCUMENT_ACTIONS {
        if hits.iter().any(|h| h.action == *action) && !runs_any_command(cx, &policies, action) {
            hits.retain(|h| h.action != *action);
        }
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
        let names: Vec<std::rc::Rc<str>> = g
            .hits
            .iter()
            .map(|h| effective::display_shared(&h.action))
            .collect();
        // (written piece by piece: thousands of findings)
        let mut message = String::with_capacity(160);
        if g.via == "NotAction" {
            message.push_str("`NotAction` does not exclude ");
            crate::lint::util::name_list_into(&mut message, &names, 5);
        } else if g.hits.len() == 1 && g.via.eq_ignore_ascii_case(&g.hits[0].action) {
            message.push('`');
            message.push_str(&g.via);
            message.push('`');
        } else {
            message.push('`');
            message.push_str(&g.via);
            message.push_str("` includes ");
            crate::lint::util::name_list_into(&mut message, &names, 5);
        }
        message.push_str(if g.hits.len() == 1 {
            ": a privilege-escalation action allowed "
        } else {
            ": privilege-escalation actions allowed "
        });
        message.push_str(if effective::any_resource(s) {
            "on any resource"
        } else {
            "on the listed resources"
        });
        if !s.conditions.is_empty() {
            let e = g.hits.iter().find_map(|h| h.example.as_ref());
            message.push_str(", and its conditions do not bound the request");
            if let Some(e) = e {
                message.push_str(&effective::context_note(e));
            }
        }
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
        const HELP: &str = "a principal with this permission can give itself more permissions; restrict it to specific resources and principals, or add a permissions boundary (path documented at ";
        let mut help = String::with_capacity(HELP.len() + 80 * sources.len());
        help.push_str(HELP);
        for (k, x) in sources.iter().enumerate() {
            if k > 0 {
                help.push_str(", ");
            }
            help.push_str(x);
        }
        help.push(')');
        out.push(cx.finding(&RULE, g.span, message).help(help));
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
        for t in condition_values(cx, "iam:policyarn") {
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
                                crate::lint::util::glob_match(t, &p.arn) && escalates(&p.arn)
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
    arns.into_iter().map(|a| Some(vec![a])).collect()
}

/// The actions that run a command document on instances and are authorized on the document
/// (a required resource of the request: Service Authorization Reference, Systems Manager):
/// `ssm:SendCommand`, and State Manager associations, which apply a command document with its
/// parameters to the targets
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html>).
/// `ssm:UpdateAssociation` is not here: its document is not a required resource (an update of
/// an association's parameters names none), so the document does not bound it; neither does
/// it bound a maintenance-window task (its request names the window and the task only).
const DOCUMENT_ACTIONS: &[&str] = &[
    "ssm:sendcommand",
    "ssm:createassociation",
    "ssm:createassociationbatch",
];

/// The AWS-owned Systems Manager documents that run what the caller sends: a shell or
/// PowerShell script, a script downloaded from a URL, a container image and command, a
/// playbook or state, another document
/// (<https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html>,
/// <https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-remote-scripts.html>).
/// A document AWS owns that is not here (`AWSEC2-CreateVssSnapshot`, the fixed documents of
/// AWS's service roles, `AWSEC2-DetectSqlHa*`) runs AWS's own fixed steps; a pattern that
/// matches a document of this list, and any document of an account, counts. (An AWS document
/// that runs commands and is missing here would be a false safe: the list follows the plugin
/// reference.)
const COMMAND_DOCUMENTS: &[&str] = &[
    "AWS-RunShellScript",
    "AWS-RunPowerShellScript",
    "AWS-RunRemoteScript",
    "AWS-RunDocument",
    "AWS-RunDockerAction",
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

/// Whether a document name (or pattern) is AWS's: it starts with a prefix AWS reserves for
/// its own documents (`aws`, `amazon`, `amzn`:
/// <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html>).
fn aws_document(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["aws", "amazon", "amzn"]
        .iter()
        .any(|r| lower.starts_with(r))
}

/// Whether `action` (one of [`DOCUMENT_ACTIONS`]) is effectively allowed with a document that
/// may run what the caller sends. AWS authorizes the call on the document as well as on the
/// instances
/// (<https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ssm.html>:
/// "`ssm:SendCommand` is scoped to the Amazon Systems Manager documents and to the managed
/// nodes"), so a role limited to AWS documents named exactly that are not in
/// [`COMMAND_DOCUMENTS`]
/// (`AWSBackupServiceRolePolicyForBackup`'s `AWSEC2-CreateVssSnapshot`) cannot run the caller's
/// code. Tried, on documents only ([`Scope::Only`](crate::lint::effective::Scope::Only)): in
/// every partition and Region the policy's document ARNs name, an AWS document and a document
/// of an account that no policy names, and each document ARN the statements covering the action
/// name (wildcards filled), except an AWS document named exactly and not in
/// [`COMMAND_DOCUMENTS`], and each document of that list; a name with a
/// prefix AWS reserves for its own documents (`aws`, `amazon`, `amzn`:
/// <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html>)
/// is tried as AWS's, other names as an account's.
fn runs_any_command(cx: &Ctx<'_>, policies: &[&crate::model::Policy], action: &str) -> bool {
    use crate::lint::effective::{self, Ask, Scope, UNNAMED, UNNAMED_ACCOUNT};
    let mut places: Vec<(String, String)> = vec![("aws".into(), "us-east-1".into())];
    let mut arns: Vec<String> = Vec::new();
    let fill = |p: &str| p.replace(['*', '?'], "x");
    for s in &cx.policy.statements {
        if !statement_covers(s, action) {
            continue;
        }
        for i in s.resource.iter().flat_map(|r| r.items.iter()) {
            let pattern: Vec<&str> = i.value.splitn(6, ':').collect();
            if pattern.len() < 6 || pattern[0] != "arn" || !glob_match(pattern[2], "ssm") {
                continue;
            }
            let (partition, region) = (fill(pattern[1]), fill(pattern[3]));
            if !places.contains(&(partition.clone(), region.clone())) {
                places.push((partition.clone(), region.clone()));
            }
            let name = match pattern[5].strip_prefix("document/") {
                // AWS's documents (a wildcard included): the command documents tried below
                // decide (`AWS-*` matches `AWS-RunShellScript`; `AWSEC2-DetectSqlHa*` none)
                Some(n) if aws_document(n) => continue,
                Some(n) => fill(n),
                None => "x".to_string(),
            };
            // names with AWS's reserved prefixes are AWS's documents
            let lower = name.to_ascii_lowercase();
            let account = if ["aws", "amazon", "amzn"]
                .iter()
                .any(|r| lower.starts_with(r))
            {
                String::new()
            } else {
                fill(pattern[4])
            };
            let arn = format!("arn:{partition}:ssm:{region}:{account}:document/{name}");
            if !arns.contains(&arn) {
                arns.push(arn);
            }
        }
    }
    for (partition, region) in &places {
        for d in COMMAND_DOCUMENTS {
            arns.push(format!("arn:{partition}:ssm:{region}::document/{d}"));
        }
        for account in ["", UNNAMED_ACCOUNT] {
            arns.push(format!(
                "arn:{partition}:ssm:{region}:{account}:document/{UNNAMED}"
            ));
        }
    }
    !effective::effective(
        policies,
        cx.policy_type,
        &Ask {
            actions: vec![action.to_string()],
            // documents only: the other resources of the request are not what bounds it
            scope: Scope::Only(arns),
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

/// The escalation actions whose request carries `iam:PermissionsBoundary`, the boundary of the
/// user or role they change (`Put*PermissionsBoundary`: the one it is given), and that cannot
/// lift it: with the boundary fixed, the principal can do no more than the boundary allows
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>,
/// statement `CreateOrChangeOnlyWithBoundary`). `iam:Delete*PermissionsBoundary` removes it
/// and is not here.
const BOUNDED: &[&str] = &[
    "iam:attachuserpolicy",
    "iam:attachrolepolicy",
    "iam:putuserpolicy",
    "iam:putrolepolicy",
    "iam:putuserpermissionsboundary",
    "iam:putrolepermissionsboundary",
];

/// Whether the policy fixes the boundary of `action`'s requests: some statement covering it
/// has a condition on `iam:PermissionsBoundary`, and every such condition names concrete
/// managed-policy ARNs (no wildcard, no policy variable) with `StringEquals` or `ArnEquals`
/// in an Allow (no `IfExists`, no `ForAnyValue`/`ForAllValues`), or with `StringNotEquals` or
/// `ArnNotEquals` in a Deny (no set qualifier). Otherwise the key takes any value, as before.
fn boundary_fixed(cx: &Ctx<'_>, action: &str) -> bool {
    let mut any = false;
    for s in &cx.policy.statements {
        if !statement_covers(s, action) {
            continue;
        }
        for c in s
            .conditions
            .iter()
            .filter(|c| c.key_lower == "iam:permissionsboundary")
        {
            any = true;
            let op = c.op;
            let form = match s.effect.value {
                Effect::Allow => {
                    !op.if_exists && matches!(op.base, OpBase::StringEquals | OpBase::ArnEquals)
                }
                Effect::Deny => matches!(op.base, OpBase::StringNotEquals | OpBase::ArnNotEquals),
            };
            let concrete = !c.values.is_empty()
                && c.values.iter().all(|v| {
                    let t = v.text.as_str();
                    t.starts_with("arn:") && t.contains(":policy/") && !t.contains(['*', '?', '$'])
                });
            if op.qualifier.is_some() || !form || !concrete {
                return false;
            }
        }
    }
    any
}

/// The `iam:PermissionsBoundary` values the bounded question tries: absent (a user or role
/// without a boundary), a customer managed policy no statement names, and each boundary the
/// policy's conditions name that does not bound: an AWS managed policy that is itself full
/// admin or escalation ([`escalates`]: `AdministratorAccess` as a boundary bounds nothing).
fn boundary_classes(cx: &Ctx<'_>) -> Vec<Option<Vec<String>>> {
    let mut out: Vec<Option<Vec<String>>> = vec![
        None,
        Some(vec![format!(
            "arn:aws:iam::{}:policy/{}",
            crate::lint::effective::UNNAMED_ACCOUNT,
            crate::lint::effective::UNNAMED
        )]),
    ];
    if !NESTED.with(std::cell::Cell::get) {
        for t in condition_values(cx, "iam:permissionsboundary") {
            // an AWS managed policy in any partition (red team 40:
            // `arn:aws-us-gov:iam::aws:policy/AdministratorAccess` bounded nothing
            // but was read as a customer boundary), looked up as its commercial twin
            let f: Vec<&str> = t.splitn(6, ':').collect();
            let aws = f.len() == 6
                && f[0] == "arn"
                && f[2] == "iam"
                && f[4] == "aws"
                && f[5].starts_with("policy/");
            let class = Some(vec![t.to_string()]);
            if aws && escalates(&format!("arn:aws:iam::aws:{}", f[5])) && !out.contains(&class) {
                out.push(class);
            }
        }
    }
    out
}

/// The values the policy's conditions give the key `key_lower` (lower case).
fn condition_values<'a>(cx: &'a Ctx<'_>, key_lower: &'a str) -> impl Iterator<Item = &'a str> {
    cx.policy.statements.iter().flat_map(move |s| {
        s.conditions
            .iter()
            .filter(move |c| c.key_lower == key_lower)
            .flat_map(|c| c.values.iter().map(|v| v.text.as_str()))
    })
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
