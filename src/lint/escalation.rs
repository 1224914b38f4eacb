//! Privilege-escalation and risk reference sets, written as IAM action names, each with the
//! source that documents it.
//!
//! - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (Spencer
//!   Gietzen): <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>
//!   (methods 1–21), as encoded by cloudsplaining's `PRIVILEGE_ESCALATION_METHODS`
//!   (<https://github.com/salesforce/cloudsplaining/blob/master/cloudsplaining/shared/constants.py>);
//! - the later paths of pathfinding.cloud (Datadog) that cloudsplaining links to
//!   (`https://pathfinding.cloud/paths/<id>`);
//! - the AWS documentation for permissions boundaries and Systems Manager, and the AWS service
//!   documentation of the role parameter that a path passes (named next to each entry).

/// Rhino Security Labs' article.
pub const RHINO: &str =
    "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/";
/// AWS: "Permissions boundaries for IAM entities" (the delegation example denies removing or
/// replacing the boundary, since that lifts the limit it sets).
pub const BOUNDARY_DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
/// AWS Systems Manager: "Control user session access to instances" (a session or command runs
/// with the instance profile's role).
pub const SSM_DOC: &str = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-restrict-access.html";

/// AWS CloudFormation: "CloudFormation service role" (a stack's service role is used by
/// everyone who can operate on the stack, even without permission to pass it).
pub const CFN_ROLE_DOC: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html";
/// Amazon EC2: "IAM roles for Amazon EC2", permissions to attach or replace the role of an
/// instance (`iam:PassRole` with `ec2:AssociateIamInstanceProfile` or
/// `ec2:ReplaceIamInstanceProfileAssociation`); the applications on the instance use it.
pub const EC2_ROLE_DOC: &str = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles";

/// One action that alone lets a principal raise its own permissions, and its source.
pub struct Single {
    pub action: &'static str,
    pub source: &'static str,
}

/// Actions that alone let a principal raise its own permissions.
pub const SINGLE: &[Single] = &[
    Single {
        action: "iam:CreateAccessKey",
        source: RHINO,
    },
    Single {
        action: "iam:CreateLoginProfile",
        source: RHINO,
    },
    Single {
        action: "iam:UpdateLoginProfile",
        source: RHINO,
    },
    Single {
        action: "iam:AddUserToGroup",
        source: RHINO,
    },
    Single {
        action: "iam:CreatePolicyVersion",
        source: RHINO,
    },
    Single {
        action: "iam:SetDefaultPolicyVersion",
        source: RHINO,
    },
    Single {
        action: "iam:AttachUserPolicy",
        source: RHINO,
    },
    Single {
        action: "iam:AttachGroupPolicy",
        source: RHINO,
    },
    Single {
        action: "iam:AttachRolePolicy",
        source: RHINO,
    },
    Single {
        action: "iam:PutUserPolicy",
        source: RHINO,
    },
    Single {
        action: "iam:PutGroupPolicy",
        source: RHINO,
    },
    Single {
        action: "iam:PutRolePolicy",
        source: RHINO,
    },
    Single {
        action: "iam:UpdateAssumeRolePolicy",
        source: RHINO,
    },
    Single {
        action: "glue:UpdateDevEndpoint",
        source: RHINO,
    },
    Single {
        action: "lambda:UpdateFunctionCode",
        source: RHINO,
    },
    // removing or replacing a permissions boundary lifts the limit it sets
    Single {
        action: "iam:DeleteRolePermissionsBoundary",
        source: BOUNDARY_DOC,
    },
    Single {
        action: "iam:DeleteUserPermissionsBoundary",
        source: BOUNDARY_DOC,
    },
    Single {
        action: "iam:PutRolePermissionsBoundary",
        source: BOUNDARY_DOC,
    },
    Single {
        action: "iam:PutUserPermissionsBoundary",
        source: BOUNDARY_DOC,
    },
    // commands and sessions on instances run with the instance's role
    Single {
        action: "ssm:SendCommand",
        source: SSM_DOC,
    },
    Single {
        action: "ssm:StartSession",
        source: SSM_DOC,
    },
    // State Manager associations and maintenance-window tasks run command documents (with
    // their parameters: `AWS-RunShellScript`'s `commands`) on the target instances, as
    // `ssm:SendCommand` does (red team 39)
    Single {
        action: "ssm:CreateAssociation",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html",
    },
    Single {
        action: "ssm:CreateAssociationBatch",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociationBatch.html",
    },
    Single {
        action: "ssm:UpdateAssociation",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateAssociation.html",
    },
    Single {
        action: "ssm:RegisterTaskWithMaintenanceWindow",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html",
    },
    Single {
        action: "ssm:UpdateMaintenanceWindowTask",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateMaintenanceWindowTask.html",
    },
    Single {
        action: "ec2-instance-connect:SendSSHPublicKey",
        source: "https://pathfinding.cloud/paths/ec2instanceconnect-003",
    },
    Single {
        action: "sagemaker:CreatePresignedNotebookInstanceUrl",
        source: "https://pathfinding.cloud/paths/sagemaker-004",
    },
    // Studio's form of the notebook URL: signed in to the domain as the user profile, whose
    // apps run with its execution role
    Single {
        action: "sagemaker:CreatePresignedDomainUrl",
        source: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePresignedDomainUrl.html",
    },
    // a build or stack update runs the caller's buildspec or template with the role already
    // attached to the project or stack
    Single {
        action: "codebuild:StartBuild",
        source: "https://pathfinding.cloud/paths/codebuild-002",
    },
    Single {
        action: "codebuild:StartBuildBatch",
        source: "https://pathfinding.cloud/paths/codebuild-003",
    },
    Single {
        action: "cloudformation:UpdateStack",
        source: CFN_ROLE_DOC,
    },
    Single {
        action: "apprunner:UpdateService",
        source: "https://pathfinding.cloud/paths/apprunner-002",
    },
];

/// A combination: every action must be allowed; when `services` is not empty, `iam:PassRole`
/// (then always the first action) must be allowed for passing a role to one of `services`
/// (the values of `iam:PassedToService` that AWS checks for that call; several when the
/// documentation leaves open which one, so that none is missed). With no `services` the
/// combination uses a role already attached to an existing resource (a stack, a project).
pub struct Combo {
    pub actions: &'static [&'static str],
    pub services: &'static [&'static str],
    pub source: &'static str,
}

/// Combinations of `iam:PassRole` with an action that makes a service run the caller's code
/// (or template) with the passed role, and combinations that make a service run the caller's
/// code with a role already attached to an existing resource.
pub const COMBOS: &[Combo] = &[
    Combo {
        actions: &["iam:PassRole", "ec2:RunInstances"],
        services: &["ec2.amazonaws.com"],
        source: RHINO,
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
        services: &["lambda.amazonaws.com"],
        source: RHINO,
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
        services: &["lambda.amazonaws.com"],
        source: RHINO,
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
        services: &["lambda.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/lambda-006",
    },
    Combo {
        actions: &["iam:PassRole", "glue:CreateDevEndpoint"],
        services: &["glue.amazonaws.com"],
        source: RHINO,
    },
    Combo {
        actions: &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
        services: &["glue.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/glue-003",
    },
    Combo {
        actions: &["iam:PassRole", "cloudformation:CreateStack"],
        services: &["cloudformation.amazonaws.com"],
        source: RHINO,
    },
    // a stack update with a new service role runs the new template as that role
    Combo {
        actions: &["iam:PassRole", "cloudformation:UpdateStack"],
        services: &["cloudformation.amazonaws.com"],
        source: CFN_ROLE_DOC,
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "cloudformation:CreateStackSet",
            "cloudformation:CreateStackInstances",
        ],
        services: &["cloudformation.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/cloudformation-003",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
        services: &["datapipeline.amazonaws.com"],
        source: RHINO,
    },
    Combo {
        actions: &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ecs-004",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:StartTask",
        ],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ecs-005",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:CreateService",
        ],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ecs-003",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
        services: &["codebuild.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/codebuild-001",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuildBatch",
        ],
        services: &["codebuild.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/codebuild-004",
    },
    Combo {
        actions: &["iam:PassRole", "sagemaker:CreateNotebookInstance"],
        services: &["sagemaker.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/sagemaker-001",
    },
    Combo {
        actions: &["iam:PassRole", "sagemaker:CreateTrainingJob"],
        services: &["sagemaker.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/sagemaker-002",
    },
    Combo {
        actions: &["iam:PassRole", "sagemaker:CreateProcessingJob"],
        services: &["sagemaker.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/sagemaker-003",
    },
    Combo {
        actions: &["iam:PassRole", "ec2:RequestSpotInstances"],
        services: &["ec2.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ec2-003",
    },
    // --- issue 11, red-team pass 8 (finding 8): the paths below ---
    // attaching or replacing the instance profile of a running instance gives the code on it
    // the passed role ("Attach an IAM role to an instance" needs `iam:PassRole` with these)
    Combo {
        actions: &["iam:PassRole", "ec2:AssociateIamInstanceProfile"],
        services: &["ec2.amazonaws.com"],
        source: EC2_ROLE_DOC,
    },
    Combo {
        actions: &["iam:PassRole", "ec2:ReplaceIamInstanceProfileAssociation"],
        services: &["ec2.amazonaws.com"],
        source: EC2_ROLE_DOC,
    },
    // `RunTask` and `StartTask` take `overrides.taskRoleArn` and a container command: an
    // existing task definition runs the caller's command with the passed role
    Combo {
        actions: &["iam:PassRole", "ecs:RunTask"],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html",
    },
    Combo {
        actions: &["iam:PassRole", "ecs:StartTask"],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ecs-009",
    },
    // a service updated to a new task definition (with the passed task role) runs it
    Combo {
        actions: &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:UpdateService",
        ],
        services: &["ecs-tasks.amazonaws.com"],
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html",
    },
    Combo {
        actions: &["iam:PassRole", "glue:CreateSession", "glue:RunStatement"],
        services: &["glue.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/glue-007",
    },
    Combo {
        actions: &["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"],
        services: &["glue.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/glue-004",
    },
    Combo {
        actions: &["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
        services: &["glue.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/glue-005",
    },
    Combo {
        actions: &["iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"],
        services: &["glue.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/glue-006",
    },
    Combo {
        actions: &["iam:PassRole", "cloudformation:UpdateStackSet"],
        services: &["cloudformation.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/cloudformation-004",
    },
    // the job role runs in an ECS container (it trusts `ecs-tasks.amazonaws.com`); Batch's
    // documentation does not say which `iam:PassedToService` value the call carries
    Combo {
        actions: &[
            "iam:PassRole",
            "batch:RegisterJobDefinition",
            "batch:SubmitJob",
        ],
        services: &["batch.amazonaws.com", "ecs-tasks.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/batch-001",
    },
    // a cluster's steps and bootstrap actions run on instances with the passed EC2 role
    // (`JobFlowRole`, an EC2 instance profile) next to the EMR service role
    Combo {
        actions: &["iam:PassRole", "elasticmapreduce:RunJobFlow"],
        services: &["elasticmapreduce.amazonaws.com", "ec2.amazonaws.com"],
        source: "https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html",
    },
    // a state machine calls any AWS API (AWS SDK integrations) with its role
    Combo {
        actions: &[
            "iam:PassRole",
            "states:CreateStateMachine",
            "states:StartExecution",
        ],
        services: &["states.amazonaws.com"],
        source: "https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "ssm:CreateDocument",
            "ssm:StartAutomationExecution",
        ],
        services: &["ssm.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/ssm-003",
    },
    // the instance role trusts `tasks.apprunner.amazonaws.com`; AWS's own App Runner policy
    // passes roles to `apprunner.amazonaws.com`
    Combo {
        actions: &["iam:PassRole", "apprunner:CreateService"],
        services: &["apprunner.amazonaws.com", "tasks.apprunner.amazonaws.com"],
        source: "https://pathfinding.cloud/paths/apprunner-001",
    },
    // a schedule's universal target calls any AWS API with the schedule's role
    Combo {
        actions: &["iam:PassRole", "scheduler:CreateSchedule"],
        services: &["scheduler.amazonaws.com"],
        source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html",
    },
    // an Auto Scaling group launches instances with the instance profile of its launch
    // template or configuration (passing its role needs `iam:PassRole`)
    Combo {
        actions: &[
            "iam:PassRole",
            "ec2:CreateLaunchTemplate",
            "autoscaling:CreateAutoScalingGroup",
        ],
        services: &["ec2.amazonaws.com", "autoscaling.amazonaws.com"],
        source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html",
    },
    Combo {
        actions: &[
            "iam:PassRole",
            "autoscaling:CreateLaunchConfiguration",
            "autoscaling:CreateAutoScalingGroup",
        ],
        services: &["ec2.amazonaws.com", "autoscaling.amazonaws.com"],
        source: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html",
    },
    // without `iam:PassRole`: a change set on an existing stack runs with the stack's
    // service role ("users who can operate on the stack use its role")
    Combo {
        actions: &[
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
        services: &[],
        source: CFN_ROLE_DOC,
    },
    // code run in an existing AgentCore code interpreter runs with its execution role (this
    // also covers creating one with `iam:PassRole`, pathfinding.cloud `bedrock-001`)
    Combo {
        actions: &[
            "bedrock-agentcore:StartCodeInterpreterSession",
            "bedrock-agentcore:InvokeCodeInterpreter",
        ],
        services: &[],
        source: "https://pathfinding.cloud/paths/bedrock-002",
    },
    // a shell in a running task (ECS Exec) reads the task role's credentials
    Combo {
        actions: &["ecs:ExecuteCommand", "ecs:DescribeTasks"],
        services: &[],
        source: "https://pathfinding.cloud/paths/ecs-006",
    },
];

/// cloudsplaining's list of actions that return credentials ("Credentials Exposure",
/// <https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/>, list in
/// `ACTIONS_THAT_RETURN_CREDENTIALS` of cloudsplaining's `shared/constants.py`).
pub const CREDENTIALS: &[&str] = &[
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "chime:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "ec2:GetPasswordData",
    "ecr:GetAuthorizationToken",
    "ecr-public:GetAuthorizationToken",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "grafana:CreateWorkspaceApiKey",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "license-manager:GetAccessToken",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:Connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

/// cloudsplaining's read-only actions with data exfiltration potential
/// (`READ_ONLY_DATA_EXFILTRATION_ACTIONS`,
/// <https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/>).
pub const EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
];

/// Lower-case names of a list, computed once per list.
pub fn lower(list: &'static [&'static str]) -> Vec<String> {
    list.iter().map(|a| a.to_ascii_lowercase()).collect()
}

/// Credential actions AWS documents as self-service on the caller's own user
/// (`"Resource": "arn:aws:iam::*:user/${aws:username}"`): "Allows IAM users to manage their
/// own credentials" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html>:
/// access keys, signing certificates, SSH keys, service-specific credentials, MFA devices,
/// `iam:ChangePassword`), "update their own credentials programmatically and in the console"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_credentials_console.html>)
/// and the console password page (`iam:GetLoginProfile`, `iam:UpdateLoginProfile`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-password-only.html>).
/// `iam:CreateLoginProfile` and `iam:DeleteLoginProfile` are the same credential (a console
/// password) for the same identity: no permission is gained. Every other action on the
/// caller's own user — attaching or writing its policies, removing or replacing its
/// permissions boundary — raises the caller's permissions and is not self-service.
pub const SELF_SERVICE_ON_OWN_USER: &[&str] = &[
    "iam:ChangePassword",
    "iam:GetUser",
    "iam:CreateAccessKey",
    "iam:DeleteAccessKey",
    "iam:ListAccessKeys",
    "iam:UpdateAccessKey",
    "iam:GetAccessKeyLastUsed",
    "iam:DeleteSigningCertificate",
    "iam:ListSigningCertificates",
    "iam:UpdateSigningCertificate",
    "iam:UploadSigningCertificate",
    "iam:DeleteSSHPublicKey",
    "iam:GetSSHPublicKey",
    "iam:ListSSHPublicKeys",
    "iam:UpdateSSHPublicKey",
    "iam:UploadSSHPublicKey",
    "iam:CreateServiceSpecificCredential",
    "iam:DeleteServiceSpecificCredential",
    "iam:ListServiceSpecificCredentials",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateServiceSpecificCredential",
    "iam:DeactivateMFADevice",
    "iam:EnableMFADevice",
    "iam:ListMFADevices",
    "iam:ResyncMFADevice",
    "iam:GetLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateLoginProfile",
    "iam:DeleteLoginProfile",
];

/// Policy-variable keys whose value is the caller's own identity (its user name, unique id,
/// Amazon Cognito identity), as AWS uses them for per-user resources
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>).
/// Other keys — `aws:PrincipalTag/*`, request or resource tags, ... — hold values someone else
/// sets and name resources that are not the caller's.
pub const CALLER_IDENTITY_KEYS: &[&str] = &[
    "aws:username",
    "aws:userid",
    "cognito-identity.amazonaws.com:sub",
];

/// Whether `action` (lower case), allowed on the caller's own resource, grants the caller
/// nothing it should not have: only the documented credential self-service
/// ([`SELF_SERVICE_ON_OWN_USER`]). Privilege-escalation actions ([`SINGLE`]) on one's own user
/// do (attach a policy to yourself), and so do the actions of the combinations ([`COMBOS`]) and
/// every other action that creates or runs a resource with a passed or attached role: a Lambda
/// function, stack, notebook or state machine named after the caller runs with the role passed
/// to it, whatever its name ("A Lambda function's execution role is an IAM role that grants the
/// function permission to access AWS services and resources",
/// <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>; red team 39).
pub fn harmless_on_own(action_lower: &str) -> bool {
    SELF_SERVICE_ON_OWN_USER
        .iter()
        .any(|l| l.eq_ignore_ascii_case(action_lower))
}

/// Whether the `Resource` item `text` names only the caller's own resource through the
/// policy variable `key`: every `${key}` in it fills a whole path segment (nothing else
/// between the `/` or `:` around it, so no wildcard next to it), `key` is a
/// [`CALLER_IDENTITY_KEYS`] key, and an IAM ARN is the user itself or its virtual MFA device
/// (`arn:aws:iam::ACCOUNT:user/${aws:username}`, `...:mfa/${aws:username}`:
/// `role/${aws:username}` is some role, not the caller).
pub fn own_resource_item(text: &str, key: &str) -> bool {
    if !CALLER_IDENTITY_KEYS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
    {
        return false;
    }
    let vars = crate::lint::util::variables(text);
    let mine: Vec<_> = vars
        .iter()
        .filter(|v| v.inner.trim().eq_ignore_ascii_case(key))
        .collect();
    if mine.is_empty() || vars.iter().any(|v| !v.closed) {
        return false;
    }
    let iam = text.split(':').nth(2).is_some_and(|s| s == "iam");
    if iam {
        let field = text.splitn(6, ':').nth(5).unwrap_or("");
        // the user itself, or its virtual MFA device named after it (AWS's self-manage
        // examples: `arn:aws:iam::*:mfa/${aws:username}`), under any path
        // (`user/*/${aws:username}`, as the `IAMUserChangePassword` managed policy writes it:
        // a user name is unique in its account whatever the path, and holds no `/`)
        let var = format!("${{{key}}}");
        return key.eq_ignore_ascii_case("aws:username")
            && mine.len() == 1
            && ["user/", "mfa/"].iter().any(|t| {
                field.strip_prefix(t).is_some_and(|rest| {
                    rest.eq_ignore_ascii_case(&var)
                        || rest.len() > var.len()
                            && rest.is_char_boundary(rest.len() - var.len() - 1)
                            && rest[rest.len() - var.len() - 1..]
                                .eq_ignore_ascii_case(&format!("/{var}"))
                })
            });
    }
    mine.iter().all(|v| {
        let before = text[..v.start].chars().next_back();
        let after = text[v.end..].chars().next();
        matches!(before, Some('/' | ':')) && matches!(after, None | Some('/' | ':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action of the tables is an action of the catalog (a misspelt name would never
    /// match), each entry cites a source, and `iam:PassRole` comes first exactly when the
    /// combination passes a role to a service.
    #[test]
    fn tables_name_catalog_actions_and_cite_a_source() {
        let cat = crate::catalog::active();
        for s in SINGLE {
            assert!(cat.action(s.action).is_some(), "{}", s.action);
            assert!(s.source.starts_with("https://"), "{}", s.action);
        }
        for c in COMBOS {
            for a in c.actions {
                assert!(cat.action(a).is_some(), "{a}");
            }
            assert!(c.source.starts_with("https://"), "{:?}", c.actions);
            assert_eq!(
                c.actions[0] == "iam:PassRole",
                !c.services.is_empty(),
                "{:?}",
                c.actions
            );
            assert!(
                c.actions[1..].iter().all(|a| *a != "iam:PassRole"),
                "{:?}",
                c.actions
            );
            for s in c.services {
                assert!(s.ends_with(".amazonaws.com"), "{s}");
            }
        }
    }
}
