//! A role trust policy given where an identity policy, permissions boundary or SCP belongs.
//!
//! A trust policy says who may assume a role: its statements name a `Principal`, allow
//! `sts:AssumeRole` (or another action of the trust policy grammar) and have no `Resource`
//! (IAM User Guide, "Role trust policies" and "IAM JSON policy elements: Principal":
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
//! Compiled as an identity policy it would fail on the missing `Resource`, which sends the
//! reader the wrong way; this module recognises the shape so the error can say what happened.

use crate::model::{Policy, Statement};
use crate::parse::ParseError;

/// Actions that appear in role trust policies (IAM User Guide, "Permissions for
/// AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity", session tags, source identity
/// and `sts:SetContext`).
fn trust_action(lower: &str) -> bool {
    lower.starts_with("sts:assumerole")
        || matches!(
            lower,
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext" | "sts:*"
        )
}

/// A statement with the shape of a role trust policy statement: `Principal` (or
/// `NotPrincipal`), no `Resource`/`NotResource`, and an `Action` list made of trust actions.
pub fn trust_shaped(s: &Statement) -> bool {
    s.principal.is_some()
        && s.resource.is_none()
        && !s.action.negated
        && !s.action.items.is_empty()
        && s.action.items.iter().all(|a| trust_action(&a.lower))
}

/// The error for a trust-shaped `policy` given as `kind` ("Identity policies", "Permissions
/// boundaries", "SCPs"), or `None` when no statement has that shape.
pub fn misplaced_trust_policy(policy: &Policy, kind: &str) -> Option<ParseError> {
    let s = policy.statements.iter().find(|s| trust_shaped(s))?;
    let action = s.action.items.first().map_or("", |a| a.text.as_str());
    let span = s.principal.as_ref().map_or(s.span, |p| p.key_span);
    let mut e = ParseError::new(
            &policy.source,
        "trust-policy-given-as-identity-policy",
        span,
        "this looks like a trust policy: use `--trust-policy`",
    )
    .with_help(format!(
        "statement {} names a `Principal` and allows `{action}` without a `Resource`: the shape of a role trust policy, which says who may assume a role. {kind} name resources, not principals; pass the role's trust policy with `--trust-policy FILE`",
        s.index
    ));
    e.label = "who may assume the role".into();
    Some(e)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::{CompiledPolicy, PolicyType};
    use crate::source::Source;

    fn policy(text: &str) -> crate::model::Policy {
        crate::parse::parse_policy(&Source::new("p.json", text)).unwrap()
    }

    /// The ecsCodeDeployRole trust policy of the ECS guide
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html).
    const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow",
        "Principal": {"Service": ["codedeploy.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#;

    #[test]
    fn a_trust_policy_compiles_only_as_a_trust_policy() {
        let p = policy(TRUST);
        assert!(CompiledPolicy::compile(&p, PolicyType::RoleTrust).is_ok());
        for t in [
            PolicyType::Identity,
            PolicyType::PermissionsBoundary,
            PolicyType::Scp,
        ] {
            let e = CompiledPolicy::compile(&p, t).unwrap_err();
            assert_eq!(e.code, "trust-policy-given-as-identity-policy");
            assert_eq!(
                e.message,
                "this looks like a trust policy: use `--trust-policy`"
            );
        }
    }

    #[test]
    fn principal_with_other_actions_or_a_resource_is_not_trust_shaped() {
        for text in [
            // a bucket policy: Principal and Resource
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
            // Principal, no Resource, but not a trust action
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "Action": ["sts:AssumeRole", "s3:GetObject"]}]}"#,
            // NotAction
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                "NotAction": "sts:AssumeRole"}]}"#,
        ] {
            let p = policy(text);
            assert!(!p.statements.iter().any(super::trust_shaped), "{text}");
            let e = CompiledPolicy::compile(&p, PolicyType::Identity).unwrap_err();
            assert_ne!(e.code, "trust-policy-given-as-identity-policy");
        }
    }
}
