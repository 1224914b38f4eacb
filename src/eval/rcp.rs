//! Resource control policies (RCPs): which requests they restrict.
//!
//! What greenlight relies on, from the AWS documentation:
//!
//! - AWS Organizations, "Resource control policies (RCPs)",
//!   <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>:
//!   - "RCPs apply to actions for the following AWS services" — a list of service prefixes
//!     (`s3`, `sts`, `kms`, `sqs`, `secretsmanager`, ...). greenlight reads that list from its
//!     catalog ([`crate::catalog::Catalog::rcp_supported_services`]): a request for an action
//!     of any other service is not restricted by RCPs at all.
//!   - RCPs "impact the effective permissions of principals trying to access resources in a
//!     member account with an applicable RCP, regardless of whether the principals belong to
//!     the same organizations or not. This includes root users. The exception is when
//!     principals are service-linked roles because RCPs do not apply to calls made by
//!     service-linked roles." AWS service principals are *not* excepted (the documented data
//!     perimeter RCPs exempt them with their own `aws:PrincipalIsAWSService` condition).
//!   - "Resources and entities not restricted by RCPs": any action on resources in the
//!     management account; the effective permissions of a service-linked role (and its trust
//!     policy); AWS managed KMS keys; the `kms:RetireGrant` permission.
//!   - An RCP "never grants permissions"; RCPs apply to the resources authorized by the
//!     request, those of the resource owner's account.
//! - "RCP evaluation",
//!   <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html>:
//!   `RCPFullAWSAccess` "is automatically attached to the organization root, every OU, and
//!   every account in your organization, when you enable resource control policies (RCPs).
//!   You cannot detach this policy. This default RCP allows all principals and actions access
//!   to pass through RCP evaluation"; and "For a permission to be denied for a resource in a
//!   specific account, any RCP from the root through each OU in the direct path to the
//!   account (including the target account itself) can deny that permission."
//! - "RCP syntax",
//!   <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html>:
//!   "The effect of `Allow` is only supported for the `RCPFullAWSAccess` policy."
//! - IAM, "How AWS enforcement code logic evaluates requests",
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>:
//!   RCPs are step 2, after the explicit-deny step (whose `Deny` statements include RCPs') and
//!   before SCPs; "RCPFullAWSAccess can't be detached, so there will always be an Allow
//!   statement".
//!
//! The model that follows from it:
//! - a `Deny` of any given RCP that applies to the request is an explicit deny;
//! - the `Allow` side of RCPs is always satisfied (`RCPFullAWSAccess` is always attached and
//!   customer RCPs cannot allow), so `Allow` statements in RCP files decide nothing and are
//!   never reported as deciding;
//! - RCPs apply to a request when its action's service supports RCPs, the action is not
//!   `kms:RetireGrant`, and the caller is not a service-linked role (recognised by its role
//!   ARN's path, `role/aws-service-role/...`; an assumed-role session ARN does not show the
//!   path, so give the role ARN).
//!
//! What greenlight cannot see in a request, and so leaves to the user: whether the resource
//! is in the management account, and whether a KMS key is an AWS managed key. The RCPs given
//! are taken to be those of the member account that owns the requested resource; do not give
//! RCPs for requests on management-account resources or AWS managed keys.
//!
//! The documentation names the resources RCPs apply to by the "Resource type" column of the
//! Service Authorization Reference and is silent on actions without a resource type (a request
//! on `*`, such as `s3:ListAllMyBuckets`): greenlight applies the RCPs given to those too, so an
//! RCP `Deny` with `"Resource": "*"` denies them.

use super::{AwsPrincipalKind, Principal, Request};

/// Whether RCPs restrict this request (see the module documentation).
pub fn applies(req: &Request) -> bool {
    action_supported(&req.action) && !req.principal.as_ref().is_some_and(is_service_linked_role)
}

/// Whether RCPs restrict requests for `action` (`service:Name`): its service supports RCPs
/// and it is not `kms:RetireGrant`.
pub fn action_supported(action: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    if service.eq_ignore_ascii_case("kms") && name.eq_ignore_ascii_case("RetireGrant") {
        return false;
    }
    crate::catalog::active()
        .service(service)
        .is_some_and(|s| s.rcp_supported())
}

/// A role ARN on the service-linked role path (`arn:aws:iam::ID:role/aws-service-role/...`,
/// IAM User Guide, "Using service-linked roles",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html>).
pub fn is_service_linked_role(p: &Principal) -> bool {
    match p {
        Principal::Aws(a) => {
            matches!(a.kind, AwsPrincipalKind::Role { .. })
                && a.arn
                    .split_once(":role/")
                    .is_some_and(|(_, rest)| rest.starts_with("aws-service-role/"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The services listed under "List of AWS services that support RCPs"
    /// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services>)
    /// are restricted; services not listed (EC2, IAM, Lambda) are not.
    #[test]
    fn supported_services_follow_the_documented_list() {
        for a in [
            "s3:GetObject",
            "sts:AssumeRole",
            "kms:Decrypt",
            "sqs:SendMessage",
            "secretsmanager:GetSecretValue",
            "dynamodb:GetItem",
            "logs:PutLogEvents",
            "ecr:BatchGetImage",
            "aoss:APIAccessAll",
        ] {
            assert!(action_supported(a), "{a}");
        }
        for a in [
            "ec2:RunInstances",
            "iam:CreateRole",
            "lambda:InvokeFunction",
            "sns:Publish",
        ] {
            assert!(!action_supported(a), "{a}");
        }
    }

    /// "RCPs do not impact the `kms:RetireGrant` permission" (same page, "Resources and
    /// entities not restricted by RCPs").
    #[test]
    fn retire_grant_is_not_restricted() {
        assert!(!action_supported("kms:RetireGrant"));
        assert!(!action_supported("KMS:retiregrant"));
        assert!(action_supported("kms:RevokeGrant"));
    }

    /// "RCPs do not apply to calls made by service-linked roles"; root users and other
    /// accounts' principals are restricted (same page, "RCP effects on permissions").
    #[test]
    fn service_linked_roles_are_not_restricted() {
        let req = |p: &str| Request {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            principal: Some(Principal::parse(p).unwrap()),
            ..Default::default()
        };
        assert!(!applies(&req(
            "arn:aws:iam::111122223333:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup"
        )));
        assert!(applies(&req("arn:aws:iam::111122223333:role/deploy")));
        assert!(applies(&req("arn:aws:iam::111122223333:root")));
        assert!(applies(&req("arn:aws:iam::444455556666:user/outsider")));
        assert!(applies(&req("cloudtrail.amazonaws.com")));
    }
}
