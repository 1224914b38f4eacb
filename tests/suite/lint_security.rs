//! The security rules decide on what a policy effectively allows (issue 11, "Security lint
//! rules rebuilt on the analysis"): regression tests for the false "safe" verdicts of the
//! pattern-matching rules, and the AWS documentation's good-practice examples, which must
//! raise no security finding (`tests/fixtures/lint-good-practice/README.md` cites each page).

use greenlight::lint::{PolicyType, Severity, lint_source};
use greenlight::source::Source;

fn codes(name: &str, text: &str, t: PolicyType) -> Vec<&'static str> {
    let out = lint_source(&Source::new(name, text.to_string()), Some(t));
    assert!(!out.failed, "{name} does not parse: {:?}", out.findings);
    let mut v: Vec<&'static str> = out.findings.iter().map(|f| f.rule.code).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn security(name: &str, text: &str, t: PolicyType) -> Vec<String> {
    let out = lint_source(&Source::new(name, text.to_string()), Some(t));
    assert!(!out.failed, "{name} does not parse");
    out.findings
        .iter()
        .filter(|f| f.severity == Severity::Security)
        .map(|f| format!("{} {}", f.rule.code, f.message))
        .collect()
}

/// A bucket policy for everyone that only requires TLS is public: `aws:SecureTransport` does
/// not bound the caller (S3 "The meaning of public",
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
#[test]
fn bucket_policy_for_everyone_with_only_secure_transport_is_open() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    assert!(codes("b.json", p, PolicyType::Resource).contains(&"GL093"));
    // an organization the caller must belong to does bound it
    let q = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:PrincipalOrgID":"o-exampleorgid"}}}]}"#;
    assert!(!codes("b.json", q, PolicyType::Resource).contains(&"GL093"));
    // `StringLike "o-*"` does not
    let r = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}"#;
    assert!(codes("b.json", r, PolicyType::Resource).contains(&"GL093"));
}

/// `{"AWS": "*"}` with a wildcard condition on the caller's account is open to every account
/// (IAM Access Analyzer: a condition bounds the caller only with fixed values,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html>).
#[test]
fn trust_policy_for_everyone_with_wildcard_account_condition_is_open() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:PrincipalAccount":"*"}}}]}"#;
    assert!(codes("t.json", p, PolicyType::Trust).contains(&"GL072"));
    let q = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}"#;
    assert!(!codes("t.json", q, PolicyType::Trust).contains(&"GL072"));
    // `sts:ExternalId` alone does not say who the caller is
    let r = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"example-id"}}}]}"#;
    assert!(codes("t.json", r, PolicyType::Trust).contains(&"GL072"));
}

/// Administrator access written as `arn:aws:*:*:*:*`, `*:*`, NotAction or NotResource is full
/// admin; a Deny that removes part of it removes the finding
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>).
#[test]
fn full_admin_in_every_spelling_and_after_deny() {
    let admin = |action: &str, resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{action},{resource}}}]}}"#
        )
    };
    for (a, r) in [
        (r#""Action":"*""#, r#""Resource":"arn:aws:*:*:*:*""#),
        (r#""Action":"*:*""#, r#""Resource":"*""#),
        (r#""NotAction":"prowler:action""#, r#""Resource":"*""#),
        (
            r#""Action":"*""#,
            r#""NotResource":"arn:aws:s3:::secret-bucket""#,
        ),
    ] {
        let p = admin(a, r);
        assert!(
            codes("a.json", &p, PolicyType::Identity).contains(&"GL089"),
            "{p}"
        );
    }
    // split across statements
    let split = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
    assert!(codes("a.json", split, PolicyType::Identity).contains(&"GL089"));
    // a Deny of IAM: not every action any more
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    let c = codes("a.json", deny, PolicyType::Identity);
    assert!(!c.contains(&"GL089"), "{c:?}");
    // and no escalation through IAM either (the escalation paths outside IAM, such as
    // `ssm:SendCommand`, are still allowed and reported)
    let s = security("a.json", deny, PolicyType::Identity);
    assert!(
        s.iter()
            .filter(|m| m.starts_with("GL097"))
            .all(|m| !m.contains("`iam:")),
        "{s:?}"
    );
    // only S3 is not admin
    let s3 = admin(r#""Action":"*""#, r#""Resource":"arn:aws:s3:::*""#);
    assert!(!codes("a.json", &s3, PolicyType::Identity).contains(&"GL089"));
    // nor the services whose prefix begins with `g`: `arn:aws:g*` matches an ARN of a service
    // no policy names, but not every service's resources (decided by language, not by one
    // sample ARN); `arn:aws:*` does match every resource (a `*` ending an ARN's last field
    // matches past the colons, IAM Resource element,
    // <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>)
    let g = admin(r#""Action":"*""#, r#""Resource":"arn:aws:g*""#);
    assert!(!codes("a.json", &g, PolicyType::Identity).contains(&"GL089"));
    let short = admin(r#""Action":"*""#, r#""Resource":"arn:aws:*""#);
    assert!(codes("a.json", &short, PolicyType::Identity).contains(&"GL089"));
}

/// `iam:PassRole` to any service: `StringLike "*"` and `...IfExists` do not fix the service
/// (IAM condition keys, `iam:PassedToService`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService>).
#[test]
fn pass_role_conditions_count_only_when_they_fix_the_service() {
    let with = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{cond}}}]}}"#
        )
    };
    for c in [
        r#"{"StringLike":{"iam:PassedToService":"*"}}"#,
        r#"{"StringEqualsIfExists":{"iam:PassedToService":"ec2.amazonaws.com"}}"#,
        r#"{"StringNotEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#,
    ] {
        let got = codes("p.json", &with(c), PolicyType::Identity);
        assert!(
            got.contains(&"GL094") && got.contains(&"GL095"),
            "{c}: {got:?}"
        );
    }
    let ok = with(r#"{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}"#);
    let got = codes("p.json", &ok, PolicyType::Identity);
    assert!(
        !got.contains(&"GL094") && !got.contains(&"GL095"),
        "{got:?}"
    );
    // a Deny of every role removes it
    let denied = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"}]}"#;
    let got = codes("p.json", denied, PolicyType::Identity);
    assert!(
        !got.contains(&"GL094") && !got.contains(&"GL095"),
        "{got:?}"
    );
}

/// PassRole limited to another service does not complete the EC2 path (Rhino Security Labs,
/// <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>, method 3).
#[test]
fn pass_role_to_another_service_is_not_the_ec2_path() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#;
    assert!(!codes("c.json", p, PolicyType::Identity).contains(&"GL098"));
    let q = p.replace("ecs-tasks.amazonaws.com", "ec2.amazonaws.com");
    assert!(codes("c.json", &q, PolicyType::Identity).contains(&"GL098"));
}

/// A Deny that leaves PassRole allowed for most requests does not close the path (red team
/// 34): PassRole without `iam:PassedToService` plus Lambda's create/invoke (Rhino Security
/// Labs, <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>,
/// method 15), behind a Deny of one role, AWS's Region guardrail
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html>)
/// or its MFA guardrail
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html>):
/// each was reported without a Deny and not with one. A Deny of PassRole everywhere closes
/// it; a Deny of PassRole to Lambda closes the Lambda path and leaves EC2's.
#[test]
fn a_partial_deny_leaves_the_pass_role_escalation() {
    let allow = r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-*"},{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}"#;
    let with = |deny: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{allow},{deny}]}}"#);
    for deny in [
        r#"{"Effect":"Deny","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-legacy"}"#,
        r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}}"#,
        r#"{"Effect":"Deny","NotAction":["iam:ListMFADevices","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
    ] {
        assert!(
            codes("c.json", &with(deny), PolicyType::Identity).contains(&"GL098"),
            "{deny}"
        );
    }
    let all = r#"{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}"#;
    assert!(!codes("c.json", &with(all), PolicyType::Identity).contains(&"GL098"));
    let to_lambda = r#"{"Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#;
    assert!(!codes("c.json", &with(to_lambda), PolicyType::Identity).contains(&"GL098"));
    let ec2 = with(to_lambda).replace(
        r#""lambda:InvokeFunction"]"#,
        r#""lambda:InvokeFunction","ec2:RunInstances"]"#,
    );
    let found = security("c.json", &ec2, PolicyType::Identity);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("GL098") && f.contains("ec2:RunInstances")),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| f.starts_with("GL098") && f.contains("lambda:CreateFunction")),
        "{found:?}"
    );
}

/// The new escalation paths: permissions-boundary removal, SSM commands, SageMaker notebooks
/// with PassRole, CloudFormation stack updates with PassRole.
#[test]
fn new_escalation_paths_are_reported() {
    let single = |a: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{a}","Resource":"*"}}]}}"#
        )
    };
    for a in [
        "iam:DeleteRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary",
        "iam:PutRolePermissionsBoundary",
        "ssm:SendCommand",
        "ssm:StartSession",
        "ec2-instance-connect:SendSSHPublicKey",
    ] {
        assert!(
            codes("s.json", &single(a), PolicyType::Identity).contains(&"GL097"),
            "{a}"
        );
    }
    for second in [
        "sagemaker:CreateNotebookInstance",
        "cloudformation:UpdateStack",
    ] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:PassRole","{second}"],"Resource":"*"}}]}}"#
        );
        assert!(
            codes("c.json", &p, PolicyType::Identity).contains(&"GL098"),
            "{second}"
        );
    }
}

/// The AWS documentation's good-practice examples raise no security finding.
#[test]
fn aws_documented_good_practice_raises_no_security_finding() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint-good-practice");
    let mut seen = 0;
    for (file, t) in [
        ("aws-my-sec-creds-self-manage.json", PolicyType::Identity),
        ("iam-credentials-console.json", PolicyType::Identity),
        ("iam-mfa-selfmanage.json", PolicyType::Identity),
        ("deny-requested-region.json", PolicyType::Identity),
        ("ec2-role-trust.json", PolicyType::Trust),
        ("ecs-codedeploy-role-trust.json", PolicyType::Trust),
        ("lambda-execution-role-trust.json", PolicyType::Trust),
        ("codedeploy-trust-confused-deputy.json", PolicyType::Trust),
        ("elb-access-logs-bucket.json", PolicyType::Resource),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let s = security(file, &text, t);
        assert!(s.is_empty(), "{file}: {s:?}");
        seen += 1;
    }
    assert_eq!(seen, 9);
    // the ELB log-delivery grant is protected by the account its `Resource` names: with the
    // account folder open (`AWSLogs/*`), or another service, it is the confused deputy
    let elb = std::fs::read_to_string(dir.join("elb-access-logs-bucket.json")).unwrap();
    for bad in [
        elb.replace("AWSLogs/111122223333/*", "AWSLogs/*"),
        elb.replace("AWSLogs/111122223333/*", "AWSLogs/1111222233*/*"),
        elb.replace("logging-prefix/AWSLogs", "*/AWSLogs"),
        elb.replace(
            "logdelivery.elasticloadbalancing.amazonaws.com",
            "s3.amazonaws.com",
        ),
    ] {
        let s = security("bad.json", &bad, PolicyType::Resource);
        assert!(s.iter().any(|m| m.starts_with("GL073")), "{bad}: {s:?}");
    }
    for (file, t) in [
        ("s3-home-directory-console.json", PolicyType::Identity),
        (
            "s3-federated-home-directory-console.json",
            PolicyType::Identity,
        ),
        ("ec2-start-stop-match-tags.json", PolicyType::Identity),
        ("ec2-start-stop-tags.json", PolicyType::Identity),
        ("ec2-tag-owner.json", PolicyType::Identity),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let s = security(file, &text, t);
        assert!(s.is_empty(), "{file}: {s:?}");
    }
    // the same self-service statement on any user is an escalation
    let other = std::fs::read_to_string(dir.join("iam-credentials-console.json"))
        .unwrap()
        .replace("user/${aws:username}", "user/*");
    let s = security("other.json", &other, PolicyType::Identity);
    assert!(s.iter().any(|m| m.starts_with("GL097")), "{s:?}");
}

#[test]
fn github_subject_open_to_every_account_is_a_security_finding() {
    // The IAM User Guide's GitHub OIDC section asks for a `sub` condition that names your own
    // organization and repository
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html):
    // `repo:*` admits every GitHub repository, so anyone can assume the role (security);
    // `repo:my-org/*` admits only the organization's repositories (a warning).
    let trust = |sub: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}},"StringLike":{{"token.actions.githubusercontent.com:sub":"{sub}"}}}}}}]}}"#
        )
    };
    for sub in ["repo:*", "*", "repo:*/infra:ref:refs/heads/main"] {
        let s = security("trust.json", &trust(sub), PolicyType::Trust);
        assert!(s.iter().any(|f| f.starts_with("GL076")), "{sub}: {s:?}");
    }
    let s = security("trust.json", &trust("repo:my-org/*"), PolicyType::Trust);
    assert!(s.iter().all(|f| !f.starts_with("GL076")), "{s:?}");
    assert!(codes("trust.json", &trust("repo:my-org/*"), PolicyType::Trust).contains(&"GL076"));
    let s = security(
        "trust.json",
        &trust("repo:my-org/my-repo:ref:refs/heads/main"),
        PolicyType::Trust,
    );
    assert!(s.is_empty(), "{s:?}");
}

#[test]
fn a_deny_of_iam_everywhere_removes_the_service_linked_role_finding() {
    // `Allow *` with a Deny of `iam:*` on every resource: `iam:CreateServiceLinkedRole` is
    // never allowed (an explicit deny overrides every allow, IAM policy evaluation logic), so
    // GL096 has nothing to flag; without the Deny it does.
    let denied = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    assert!(!codes("p.json", denied, PolicyType::Identity).contains(&"GL096"));
    let allowed = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
    assert!(codes("p.json", allowed, PolicyType::Identity).contains(&"GL096"));
}

/// Confused deputy (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>):
/// a resource policy that grants a service without `aws:SourceArn`/`aws:SourceAccount` lets
/// any customer's resource of that service use it (security); a role trust policy for a
/// service is used where a caller could pass the role, and AWS documents many without the
/// condition, so there it is a warning.
#[test]
fn service_principal_without_source_is_security_in_resource_policies_only() {
    let topic = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"SNS:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:t"}]}"#;
    let s = security("topic.json", topic, PolicyType::Resource);
    assert!(s.iter().any(|m| m.starts_with("GL073")), "{s:?}");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let out = lint_source(
        &Source::new("trust.json", trust.to_string()),
        Some(PolicyType::Trust),
    );
    let f: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule.code == "GL073")
        .collect();
    assert_eq!(f.len(), 1, "{:?}", out.findings);
    assert_eq!(f[0].severity, Severity::Warning);
}

/// An `Action` that matches every action grants every action however it is spelled: action
/// names are `service:action`, matched case-insensitively, with `*` and `?` anywhere in them
/// (IAM JSON policy elements: Action,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>),
/// so `*:?*`, `**`, `?*` and `a*:*` … `z*:*` (a service prefix begins with a letter) are
/// `*`: the AdministratorAccess job function
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html>).
#[test]
fn full_admin_is_decided_by_what_the_action_patterns_match() {
    let az: Vec<String> = ('a'..='z').map(|c| format!("\"{c}*:*\"")).collect();
    let admin = |action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{action},"Resource":"*"}}]}}"#
        )
    };
    for a in [
        r#""*:?*""#.to_string(),
        r#""**""#.to_string(),
        r#""?*""#.to_string(),
        r#""*:*?""#.to_string(),
        format!("[{}]", az.join(",")),
    ] {
        let p = admin(&a);
        let c = codes("a.json", &p, PolicyType::Identity);
        assert!(c.contains(&"GL089"), "{a}: {c:?}");
    }
    // split across statements: the effective allow is every action
    let split = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}},{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
        az[..13].join(","),
        az[13..].join(",")
    );
    assert!(codes("a.json", &split, PolicyType::Identity).contains(&"GL089"));
    // one letter missing: not every action (a service `y…` would not be granted)
    let some: Vec<String> = az
        .iter()
        .filter(|a| !a.starts_with("\"y"))
        .cloned()
        .collect();
    let p = admin(&format!("[{}]", some.join(",")));
    assert!(!codes("a.json", &p, PolicyType::Identity).contains(&"GL089"));
    // a Deny that removes part of it removes the finding, as for `*`
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:?*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    assert!(!codes("a.json", deny, PolicyType::Identity).contains(&"GL089"));
}

/// A statement that allows every action is left to `full-admin` only when that rule reports
/// the policy: `*` minus a Deny of `iam:PassRole` is not full administrator access, and it
/// still allows attaching any policy to oneself (Rhino Security Labs, method 7,
/// <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>), which an
/// explicit Deny of another action does not remove (IAM policy evaluation logic,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
#[test]
fn every_action_minus_a_deny_is_still_reported_by_the_escalation_rules() {
    for deny in ["iam:PassRole", "s3:DeleteBucket"] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{{"Effect":"Deny","Action":"{deny}","Resource":"*"}}]}}"#
        );
        let c = codes("a.json", &p, PolicyType::Identity);
        assert!(!c.contains(&"GL089"), "{deny}: {c:?}");
        assert!(c.contains(&"GL097"), "{deny}: {c:?}");
    }
    // with no Deny, `full-admin` alone reports it
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*:?*","Resource":"*"}]}"#;
    let c = codes("a.json", p, PolicyType::Identity);
    assert!(c.contains(&"GL089") && !c.contains(&"GL097"), "{c:?}");
}

/// `iam:PassRole` on a pattern that matches every role ARN of an account is PassRole on every
/// role, however the pattern is spelled: a role's ARN is `arn:aws:iam::ACCOUNT:role/` followed
/// by its path and name (IAM identifiers,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>),
/// and `*` in a Resource ARN matches any run of characters
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>);
/// passing any role to any service is what the PassRole page warns about
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>).
#[test]
fn pass_role_on_every_role_of_an_account_in_every_spelling() {
    let pass = |resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":{resource}}}]}}"#
        )
    };
    for r in [
        r#""arn:aws:iam::111122223333:*""#,
        r#""arn:aws:iam::111122223333:role*""#,
        r#""arn:aws:iam::111122223333:r*""#,
        r#""arn:aws:iam::*:*""#,
        r#""arn:aws:iam::111122223333:role/?*""#,
        r#""arn:aws:iam::111122223333:role/*""#,
        // every role with a path: a superset of one whole path (`role/service-role/*`)
        r#""arn:aws:iam::111122223333:role/*/*""#,
        // roles with a path and roles without one, in two items
        r#"["arn:aws:iam::111122223333:role/*/*","arn:aws:iam::111122223333:role/?*"]"#,
    ] {
        let c = codes("p.json", &pass(r), PolicyType::Identity);
        assert!(c.contains(&"GL094"), "{r}: {c:?}");
    }
    // only some roles: not every role (the missing condition is still a warning)
    for r in [
        r#""arn:aws:iam::111122223333:role/app-*""#,
        r#""arn:aws:iam::111122223333:role/??*""#,
        r#""arn:aws:iam::111122223333:user/*""#,
    ] {
        let c = codes("p.json", &pass(r), PolicyType::Identity);
        assert!(!c.contains(&"GL094"), "{r}: {c:?}");
    }
    let c = codes(
        "p.json",
        &pass(r#""arn:aws:iam::111122223333:role/app-*""#),
        PolicyType::Identity,
    );
    assert!(c.contains(&"GL095"), "{c:?}");
}

/// A Deny subtracts roles from `arn:aws:iam::111122223333:*` as it does from `role/*`: a Deny
/// of every role of the account removes the finding; a Deny of some roles, or one whose
/// condition the caller satisfies or avoids at will (`aws:RequestedRegion`), does not (IAM
/// policy evaluation logic,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
#[test]
fn pass_role_on_every_role_respects_the_deny_statements() {
    let with_deny = |resource: &str, cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:*"}},{{"Effect":"Deny","Action":"iam:PassRole","Resource":"{resource}"{cond}}}]}}"#
        )
    };
    for r in [
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::*:role*",
        "*",
    ] {
        let c = codes("p.json", &with_deny(r, ""), PolicyType::Identity);
        assert!(!c.contains(&"GL094"), "{r}: {c:?}");
    }
    // a Deny of some roles leaves the others, whatever names it picks
    for r in [
        "arn:aws:iam::111122223333:role/admin-*",
        "arn:aws:iam::111122223333:role/g*",
        "arn:aws:iam::*:role/greenlight-*",
    ] {
        let c = codes("p.json", &with_deny(r, ""), PolicyType::Identity);
        assert!(c.contains(&"GL094"), "{r}: {c:?}");
    }
    let c = codes(
        "p.json",
        &with_deny(
            "arn:aws:iam::111122223333:role/*",
            r#","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#,
        ),
        PolicyType::Identity,
    );
    assert!(c.contains(&"GL094"), "{c:?}");
}

/// `iam:CreateServiceLinkedRole` on a pattern that matches every service-linked role of an
/// account (`arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME`, IAM service-linked
/// roles, <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create-service-linked-role.html>)
/// is the same grant as on `*`; one service's path is not.
#[test]
fn create_slr_on_every_service_linked_role_in_every_spelling() {
    let slr = |resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"{resource}"}}]}}"#
        )
    };
    for r in [
        "*",
        "arn:aws:iam::*:*",
        "arn:aws:iam::111122223333:*",
        "arn:aws:iam::111122223333:role/*",
        "arn:aws:iam::111122223333:role/aws-service-role/*",
    ] {
        assert!(
            codes("s.json", &slr(r), PolicyType::Identity).contains(&"GL096"),
            "{r}"
        );
    }
    for r in [
        "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/*",
        "arn:aws:iam::111122223333:role/app-*",
    ] {
        assert!(
            !codes("s.json", &slr(r), PolicyType::Identity).contains(&"GL096"),
            "{r}"
        );
    }
    // a Deny of every service-linked role of the account removes it
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"arn:aws:iam::111122223333:*"},{"Effect":"Deny","Action":"iam:CreateServiceLinkedRole","Resource":"arn:aws:iam::111122223333:role/aws-service-role/*"}]}"#;
    assert!(!codes("s.json", p, PolicyType::Identity).contains(&"GL096"));
}

/// A `sub` pattern that admits a repository of any GitHub owner lets anyone assume the role
/// however it is spelled (IAM User Guide, GitHub OIDC: name your own organization and
/// repository, <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>):
/// `?*`, `r*` and `re?o:*` match `repo:ANY-OWNER/...` as `repo:*` does.
#[test]
fn github_subject_open_to_every_account_in_every_spelling() {
    let trust = |sub: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}},"StringLike":{{"token.actions.githubusercontent.com:sub":"{sub}"}}}}}}]}}"#
        )
    };
    for sub in ["?*", "r*", "re?o:*", "r*/infra:ref:refs/heads/main"] {
        let s = security("trust.json", &trust(sub), PolicyType::Trust);
        assert!(s.iter().any(|f| f.starts_with("GL076")), "{sub}: {s:?}");
    }
    for sub in ["repo:my-org/*", "repo:my-org/my-repo:ref:refs/heads/main"] {
        let s = security("trust.json", &trust(sub), PolicyType::Trust);
        assert!(s.iter().all(|f| !f.starts_with("GL076")), "{sub}: {s:?}");
    }
}

/// `Allow` with `NotAction` on every resource, however "every resource" is spelled:
/// `arn:aws:*:*:*:*` and `arn:aws:*` (a `*` ending the last field matches past the colons,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>)
/// are `*` for every service (IAM `NotAction`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>);
/// one service's resources are not.
#[test]
fn allow_not_action_on_every_resource_in_every_spelling() {
    let p = |r: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","NotAction":"iam:*","Resource":"{r}"}}]}}"#
        )
    };
    for r in ["*", "arn:*:*:*:*:*", "arn:aws:*:*:*:*", "arn:aws:*"] {
        assert!(
            codes("n.json", &p(r), PolicyType::Identity).contains(&"GL090"),
            "{r}"
        );
    }
    assert!(!codes("n.json", &p("arn:aws:s3:::*"), PolicyType::Identity).contains(&"GL090"));
}

/// Red-team pass 4, cases 1 and 2. The own-user exemption covers only the credential
/// self-service AWS documents on `user/${aws:username}`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html>,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_credentials_console.html>):
/// attaching or writing a policy on one's own user, or removing or replacing its permissions
/// boundary (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>),
/// makes the caller administrator. A variable next to a wildcard (`${aws:username}*`: user
/// `al` reaches `alice-admin`) or a variable that is not the caller's identity
/// (`${aws:PrincipalTag/target}`: any user the tag names,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>) does not
/// name the caller's own user.
#[test]
fn escalation_on_the_callers_own_user_is_reported_except_credential_self_service() {
    let one = |actions: &str, resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"{resource}"}}]}}"#
        )
    };
    let own = "arn:aws:iam::*:user/${aws:username}";
    for a in [
        "iam:AttachUserPolicy",
        "iam:PutUserPolicy",
        "iam:DeleteUserPermissionsBoundary",
        "iam:PutUserPermissionsBoundary",
    ] {
        let s = security(
            "own.json",
            &one(&format!(r#""{a}""#), own),
            PolicyType::Identity,
        );
        assert!(
            s.iter().any(|m| m.starts_with("GL097") && m.contains(a)),
            "{a}: {s:?}"
        );
    }
    // all four in one statement (l_selfmix.json): one finding per action
    let mix = one(
        r#"["iam:AttachUserPolicy","iam:PutUserPolicy","iam:DeleteUserPermissionsBoundary","iam:PutUserPermissionsBoundary"]"#,
        own,
    );
    let s = security("mix.json", &mix, PolicyType::Identity);
    assert_eq!(
        s.iter().filter(|m| m.starts_with("GL097")).count(),
        4,
        "{s:?}"
    );
    // not the caller's own user
    for resource in [
        "arn:aws:iam::*:user/${aws:username}*",
        "arn:aws:iam::*:user/*${aws:username}",
        "arn:aws:iam::*:user/${aws:PrincipalTag/target}",
        "arn:aws:iam::*:user/${aws:userid}",
    ] {
        let s = security(
            "var.json",
            &one(r#""iam:AttachUserPolicy""#, resource),
            PolicyType::Identity,
        );
        assert!(
            s.iter().any(|m| m.starts_with("GL097")),
            "{resource}: {s:?}"
        );
        // nor for credential actions
        let s = security(
            "var.json",
            &one(r#""iam:CreateAccessKey""#, resource),
            PolicyType::Identity,
        );
        assert!(
            s.iter().any(|m| m.starts_with("GL097")),
            "{resource}: {s:?}"
        );
    }
    // documented self-service on the own user stays clean
    for a in [
        "iam:CreateAccessKey",
        "iam:UpdateLoginProfile",
        "iam:CreateLoginProfile",
    ] {
        let s = security(
            "self.json",
            &one(&format!(r#""{a}""#), own),
            PolicyType::Identity,
        );
        assert!(s.is_empty(), "{a}: {s:?}");
    }
}

/// AWS's `IAMUserChangePassword` managed policy writes the caller's own user with and without
/// a path (`user/*/${aws:username}`): a user name is unique in its account whatever its path
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names>),
/// so both name the caller alone; an escalation action there is still reported.
#[test]
fn the_own_user_under_any_path_is_still_the_callers_own() {
    let p = |action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":["arn:aws:iam::*:user/${{aws:username}}","arn:aws:iam::*:user/*/${{aws:username}}"]}}]}}"#
        )
    };
    assert!(codes("cp.json", &p("iam:ChangePassword"), PolicyType::Identity).is_empty());
    assert!(codes("ak.json", &p("iam:CreateAccessKey"), PolicyType::Identity).is_empty());
    assert!(codes("at.json", &p("iam:AttachUserPolicy"), PolicyType::Identity).contains(&"GL097"));
}

/// Red-team pass 5: the own-user exemption covers the caller's own user only, not the other
/// items of the same `Resource` list. `iam:CreateAccessKey` / `iam:UpdateLoginProfile` on
/// `user/admin` let the caller take over `admin` (credential creation and password reset are
/// escalation paths on another user:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html>), even
/// when the same list also names `user/${aws:username}`; the list with only the own user stays
/// clean (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html>).
#[test]
fn the_own_user_exemption_does_not_cover_other_items_of_the_list() {
    let p = |resources: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:UpdateLoginProfile"],"Resource":[{resources}]}}]}}"#
        )
    };
    for other in [
        r#""arn:aws:iam::111122223333:user/admin""#,
        r#""arn:aws:iam::*:user/*""#,
        r#""arn:aws:iam::*:user/x""#,
        r#""arn:aws:iam::*:mfa/${aws:username}","arn:aws:iam::111122223333:user/admin*""#,
        r#""arn:aws:iam::*:user/${aws:PrincipalTag/x}""#,
    ] {
        let text = p(&format!(
            r#""arn:aws:iam::*:user/${{aws:username}}",{other}"#
        ));
        assert!(
            codes("mixed.json", &text, PolicyType::Identity).contains(&"GL097"),
            "{other}"
        );
    }
    let own = p(r#""arn:aws:iam::*:user/${aws:username}""#);
    assert!(security("own.json", &own, PolicyType::Identity).is_empty());
}

/// Red team 39, finding 1: a new function, stack, notebook, dev endpoint or state machine
/// named after the caller (`function:${aws:username}`) runs with the role passed to it, whatever
/// its name ("A Lambda function's execution role is an IAM role that grants the function
/// permission to access AWS services and resources",
/// <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>; passing a
/// role to a service, <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>):
/// the caller's-own-resource exemption is for the credential self-service only, so GL098
/// stays (the red team's o1, o2, o3, o7, o9, and o8 without `iam:PassRole`).
#[test]
fn a_resource_named_after_the_caller_does_not_hide_the_combination() {
    let pass = |service: &str, roles: &str| {
        format!(
            r#"{{"Effect":"Allow","Action":"iam:PassRole","Resource":"{roles}","Condition":{{"StringEquals":{{"iam:PassedToService":"{service}"}}}}}}"#
        )
    };
    let doc = |statements: &[String]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        )
    };
    let second = |actions: &str, resources: &str| {
        format!(r#"{{"Effect":"Allow","Action":{actions},"Resource":{resources}}}"#)
    };
    let cases = [
        (
            "o1.json",
            pass("lambda.amazonaws.com", "*"),
            second(
                r#"["lambda:CreateFunction","lambda:InvokeFunction"]"#,
                r#""arn:aws:lambda:*:*:function:${aws:username}""#,
            ),
        ),
        (
            "o2.json",
            pass("cloudformation.amazonaws.com", "*"),
            second(
                r#"["cloudformation:CreateStack"]"#,
                r#""arn:aws:cloudformation:*:*:stack/${aws:username}/*""#,
            ),
        ),
        (
            "o3.json",
            pass("sagemaker.amazonaws.com", "*"),
            second(
                r#"["sagemaker:CreateNotebookInstance"]"#,
                r#""arn:aws:sagemaker:*:*:notebook-instance/${aws:username}""#,
            ),
        ),
        (
            "o7.json",
            pass("glue.amazonaws.com", "*"),
            second(
                r#"["glue:CreateDevEndpoint"]"#,
                r#""arn:aws:glue:*:*:devEndpoint/${aws:userid}""#,
            ),
        ),
        (
            "o9.json",
            pass("states.amazonaws.com", "arn:aws:iam::111122223333:role/*"),
            second(
                r#"["states:CreateStateMachine","states:StartExecution"]"#,
                r#"["arn:aws:states:*:*:stateMachine:${aws:username}","arn:aws:states:*:*:execution:${aws:username}:*"]"#,
            ),
        ),
    ];
    for (name, p, q) in &cases {
        let text = doc(&[p.clone(), q.clone()]);
        let s = security(name, &text, PolicyType::Identity);
        assert!(s.iter().any(|m| m.starts_with("GL098")), "{name}: {s:?}");
    }
    // o8: a change set on the stack named after the caller runs with that stack's role
    let o8 = doc(&[second(
        r#"["cloudformation:CreateChangeSet","cloudformation:ExecuteChangeSet"]"#,
        r#""arn:aws:cloudformation:*:*:stack/${aws:username}/*""#,
    )]);
    let s = security("o8.json", &o8, PolicyType::Identity);
    assert!(s.iter().any(|m| m.starts_with("GL098")), "o8: {s:?}");
}

/// Red-team pass 6: GL075 decides on what the trust policy lets GitHub workflows do, not on
/// whether a `sub` condition is written. `StringNotEquals` / `StringNotLike` on `sub` admits
/// every repository but one (any owner's workflow assumes the role); a `sub` bound by a
/// separate `Deny` is bounded. The IAM OIDC guide asks for `sub` limited to your repositories
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>).
#[test]
fn github_oidc_sub_is_judged_by_what_it_admits() {
    let allow = |cond: &str| {
        format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{cond}}}"#
        )
    };
    let doc = |stmts: &[String]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            stmts.join(",")
        )
    };
    let negated = doc(&[allow(
        r#"{"StringNotEquals":{"token.actions.githubusercontent.com:sub":"repo:evil/x:ref:refs/heads/main"}}"#,
    )]);
    assert!(codes("neg.json", &negated, PolicyType::Trust).contains(&"GL075"));
    let not_like = doc(&[allow(
        r#"{"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}}"#,
    )]);
    assert!(codes("notlike.json", &not_like, PolicyType::Trust).contains(&"GL075"));
    let pinned = doc(&[allow(
        r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}"#,
    )]);
    assert!(!codes("pinned.json", &pinned, PolicyType::Trust).contains(&"GL075"));
    let by_deny = doc(&[
        allow(r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#),
        r#"{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:*"}}}"#.to_string(),
    ]);
    assert!(!codes("deny.json", &by_deny, PolicyType::Trust).contains(&"GL075"));
    // `StringLike` `repo:*` is GL076's security finding, reported once (not GL075 too)
    let any_owner = doc(&[allow(
        r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
    )]);
    let c = codes("anyowner.json", &any_owner, PolicyType::Trust);
    assert!(c.contains(&"GL076") && !c.contains(&"GL075"), "{c:?}");
}

/// Attaching a managed policy escalates only when the attachable policies are not pinned: a
/// condition on `iam:PolicyARN` that lists specific read-only policies (IAM's example of
/// limiting the managed policies a principal can attach,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_limit-managed.html>)
/// bounds the request; one that admits every AWS managed policy (`AdministratorAccess`
/// included) does not.
#[test]
fn attaching_only_pinned_managed_policies_is_not_escalation() {
    let p = |arns: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:AttachUserPolicy","iam:DetachUserPolicy"],"Resource":"*","Condition":{{"ArnEquals":{{"iam:PolicyARN":[{arns}]}}}}}}]}}"#
        )
    };
    let pinned = p(
        r#""arn:aws:iam::aws:policy/ReadOnlyAccess","arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess""#,
    );
    assert!(security("pinned.json", &pinned, PolicyType::Identity).is_empty());
    let any_aws = p(r#""arn:aws:iam::aws:policy/*""#);
    assert!(codes("any.json", &any_aws, PolicyType::Identity).contains(&"GL097"));
    let any = p(r#""arn:aws:iam::*:policy/*""#);
    assert!(codes("anyacct.json", &any, PolicyType::Identity).contains(&"GL097"));
    // red-team pass 7: a pinned AWS managed policy that itself grants IAM writes or full admin
    // (`IAMFullAccess` is `iam:*` on `*`) is escalation in two steps, and so is a customer
    // managed policy, whose content the policy does not show
    for escalating in [
        r#""arn:aws:iam::aws:policy/IAMFullAccess""#,
        r#""arn:aws:iam::aws:policy/PowerUserAccess""#,
        r#""arn:aws:iam::111122223333:policy/mine""#,
        // escalation through a combination (`iam:PassRole` on every role with
        // `ec2:RunInstances` and more), no escalation action of its own
        r#""arn:aws:iam::aws:policy/service-role/AWSControlTowerServiceRolePolicy""#,
        r#""arn:aws:iam::aws:policy/AmazonECS_FullAccess""#,
    ] {
        assert!(
            codes("esc.json", &p(escalating), PolicyType::Identity).contains(&"GL097"),
            "{escalating}"
        );
    }
}

/// ABAC: `iam:PassRole` on `role/${aws:PrincipalTag/RoleName}` passes the one role the
/// caller's tag names (the pattern of the AWS managed policy
/// `SageMakerStudioProjectUserRolePolicy`), not every role: no GL094; with the services fixed
/// by `iam:PassedToService`, no GL095. Escalation rules still read such a resource as some
/// other principal's (see `the_own_user_exemption_does_not_cover_other_items_of_the_list`).
#[test]
fn a_principal_tag_names_one_resource_per_caller() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/${aws:PrincipalTag/RoleName}","Condition":{"StringEquals":{"iam:PassedToService":["sagemaker.amazonaws.com","glue.amazonaws.com"]}}}]}"#;
    let c = codes("abac.json", p, PolicyType::Identity);
    assert!(!c.contains(&"GL094") && !c.contains(&"GL095"), "{c:?}");
    // on every role and to any service: both
    let every = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/*"}]}"#;
    let c = codes("every.json", every, PolicyType::Identity);
    assert!(c.contains(&"GL094") && c.contains(&"GL095"), "{c:?}");
}

/// `lint FILE --format json`: the GL098 findings as (file, line, column, message).
fn gl098_in(file: &str) -> Vec<(String, u64, u64, String)> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(["lint", "--format", "json", file])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL098")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Red-team pass 8, finding 7: the escalation combination of one principal spans the AWS
/// managed policies it attaches. `iam:PassRole` in an inline policy with `ec2:RunInstances`
/// from `AmazonEC2FullAccess` (`ec2:*`) is the documented path
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>); the policy's
/// content comes from the shipped corpus
/// (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2FullAccess.html>),
/// in a CloudFormation template, a `.tf` module and an authorization-details file that does not
/// list the policy. Findings point at the input, naming the managed policy.
#[test]
fn combinations_span_attached_aws_managed_policies() {
    const D: &str = "tests/fixtures/lint-managed-attached";
    for (file, at) in [
        (
            "passrole-ec2-full-access.yaml",
            "passrole-ec2-full-access.yaml#Resources/Dev/Policies/pass",
        ),
        ("main.tf", "main.tf#aws_iam_role_policy.pass/policy"),
        (
            "authz-not-listed.json",
            "authz-not-listed.json#role/Dev/inline/pass",
        ),
    ] {
        let found = gl098_in(&format!("{D}/{file}"));
        let run = found
            .iter()
            .find(|f| f.3.contains("`ec2:RunInstances` (via `ec2:*`)"))
            .unwrap_or_else(|| panic!("{file}: {found:?}"));
        assert!(run.0.ends_with(at), "{file}: {run:?}");
        assert!(
            run.3
                .contains("arn:aws:iam::aws:policy/AmazonEC2FullAccess"),
            "{run:?}"
        );
        assert!(
            found.iter().all(|f| !f.0.starts_with("arn:")),
            "no finding is located in the managed policy: {found:?}"
        );
    }
    // `iam:PassRole` from `IAMFullAccess` (`iam:*`,
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html): the
    // finding is moved to where the role attaches it (line 13, `IAMFullAccess` in the `!Sub`)
    let found = gl098_in(&format!("{D}/iam-full-access-run-instances.yaml"));
    assert_eq!(found.len(), 1, "{found:?}");
    let (file, line, column, message) = &found[0];
    assert!(
        file.ends_with("iam-full-access-run-instances.yaml#Dev"),
        "{file}"
    );
    assert_eq!((*line, *column), (13, 54));
    assert!(
        message.contains("in the AWS managed policy `arn:aws:iam::aws:policy/IAMFullAccess`"),
        "{message}"
    );
}

/// `iam:PassRole` on the roles of a name prefix (roles no policy names: a pattern, not `*`,
/// so that `pass-role-with-wildcard-resource` is silent), to `service` when given
/// (`iam:PassedToService`), and `actions` on `*`.
fn pass_app_roles(service: Option<&str>, actions: &[&str]) -> String {
    let cond = service
        .map(|s| format!(r#","Condition":{{"StringEquals":{{"iam:PassedToService":"{s}"}}}}"#))
        .unwrap_or_default();
    let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-*"{cond}}},{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
        actions.join(",")
    )
}

/// The GL098 messages of a policy.
fn combinations(name: &str, text: &str) -> Vec<String> {
    security(name, text, PolicyType::Identity)
        .into_iter()
        .filter(|m| m.starts_with("GL098"))
        .collect()
}

/// Red-team pass 8, finding 8: `iam:PassRole` on one role with an action that makes a service
/// run the caller's code with it. Each path with the source that documents it (the same URL is
/// in the finding's help):
#[test]
fn pass_role_paths_of_red_team_pass_8_are_reported() {
    let cases: &[(&[&str], &str, &str)] = &[
        // CloudFormation change sets run with the stack's service role (and `CreateChangeSet`
        // takes a `RoleARN`): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html
        (
            &[
                "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet",
            ],
            "cloudformation.amazonaws.com",
            "using-iam-servicerole",
        ),
        // https://pathfinding.cloud/paths/cloudformation-004
        (
            &["cloudformation:UpdateStackSet"],
            "cloudformation.amazonaws.com",
            "cloudformation-004",
        ),
        // a task role override: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html
        (
            &["ecs:RunTask"],
            "ecs-tasks.amazonaws.com",
            "API_TaskOverride",
        ),
        // https://pathfinding.cloud/paths/ecs-009
        (&["ecs:StartTask"], "ecs-tasks.amazonaws.com", "ecs-009"),
        // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
        (
            &["ecs:RegisterTaskDefinition", "ecs:UpdateService"],
            "ecs-tasks.amazonaws.com",
            "API_UpdateService",
        ),
        // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles
        (
            &["ec2:AssociateIamInstanceProfile"],
            "ec2.amazonaws.com",
            "permission-to-pass-iam-roles",
        ),
        (
            &["ec2:ReplaceIamInstanceProfileAssociation"],
            "ec2.amazonaws.com",
            "permission-to-pass-iam-roles",
        ),
        // https://pathfinding.cloud/paths/glue-007, glue-004, glue-005, glue-006
        (
            &["glue:CreateSession", "glue:RunStatement"],
            "glue.amazonaws.com",
            "glue-007",
        ),
        (
            &["glue:CreateJob", "glue:CreateTrigger"],
            "glue.amazonaws.com",
            "glue-004",
        ),
        (
            &["glue:UpdateJob", "glue:StartJobRun"],
            "glue.amazonaws.com",
            "glue-005",
        ),
        (
            &["glue:UpdateJob", "glue:CreateTrigger"],
            "glue.amazonaws.com",
            "glue-006",
        ),
        // https://pathfinding.cloud/paths/batch-001
        (
            &["batch:RegisterJobDefinition", "batch:SubmitJob"],
            "batch.amazonaws.com",
            "batch-001",
        ),
        // https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html
        (
            &["elasticmapreduce:RunJobFlow"],
            "ec2.amazonaws.com",
            "API_RunJobFlow",
        ),
        // https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
        (
            &["states:CreateStateMachine", "states:StartExecution"],
            "states.amazonaws.com",
            "supported-services-awssdk",
        ),
        // https://pathfinding.cloud/paths/ssm-003
        (
            &["ssm:CreateDocument", "ssm:StartAutomationExecution"],
            "ssm.amazonaws.com",
            "ssm-003",
        ),
        // https://pathfinding.cloud/paths/apprunner-001
        (
            &["apprunner:CreateService"],
            "apprunner.amazonaws.com",
            "apprunner-001",
        ),
        // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html
        (
            &["scheduler:CreateSchedule"],
            "scheduler.amazonaws.com",
            "managing-targets-universal",
        ),
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html
        (
            &[
                "ec2:CreateLaunchTemplate",
                "autoscaling:CreateAutoScalingGroup",
            ],
            "ec2.amazonaws.com",
            "ec2-auto-scaling-launch-template-permissions",
        ),
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/us-iam-role.html
        (
            &[
                "autoscaling:CreateLaunchConfiguration",
                "autoscaling:CreateAutoScalingGroup",
            ],
            "ec2.amazonaws.com",
            "us-iam-role",
        ),
    ];
    for (actions, service, source) in cases {
        // PassRole to any service, then to the path's service: reported, citing the source
        for svc in [None, Some(*service)] {
            let p = pass_app_roles(svc, actions);
            let out = lint_source(
                &Source::new("p.json", p.clone()),
                Some(PolicyType::Identity),
            );
            let got: Vec<String> = out
                .findings
                .iter()
                .filter(|f| f.rule.code == "GL098")
                .map(|f| format!("{} {}", f.message, f.help.clone().unwrap_or_default()))
                .collect();
            assert!(
                got.iter().any(|m| m.contains(source)),
                "{actions:?} {svc:?}: {got:?}"
            );
            // no PassRole on every role: the wildcard rule is silent, GL098 alone reports
            assert!(!codes("p.json", &p, PolicyType::Identity).contains(&"GL094"));
        }
        // a change set needs no PassRole (the stack's role): the next checks do not apply
        if source.contains("servicerole") {
            continue;
        }
        // PassRole only to another service does not complete the path
        let other = pass_app_roles(Some("lambda.amazonaws.com"), actions);
        assert!(
            !combinations("o.json", &other)
                .iter()
                .any(|m| actions.iter().all(|a| m.contains(a))),
            "{actions:?}: {:?}",
            combinations("o.json", &other)
        );
        // without PassRole: nothing
        {
            let no_pass = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
                actions
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            assert!(combinations("n.json", &no_pass).is_empty(), "{actions:?}");
        }
    }
    // read-only actions of the same services with PassRole: nothing
    let read = pass_app_roles(
        None,
        &[
            "ecs:DescribeServices",
            "ecs:ListTasks",
            "glue:GetSession",
            "states:DescribeStateMachine",
            "cloudformation:DescribeChangeSet",
            "scheduler:GetSchedule",
            "batch:DescribeJobs",
            "apprunner:DescribeService",
        ],
    );
    assert!(security("r.json", &read, PolicyType::Identity).is_empty());
}

/// Where the documentation leaves the `iam:PassedToService` value of a call open, each
/// candidate completes the path: a Batch job role runs in an ECS container and trusts
/// `ecs-tasks.amazonaws.com` (<https://pathfinding.cloud/paths/batch-001>), an App Runner
/// instance role trusts `tasks.apprunner.amazonaws.com` while AWS's `AWSAppRunnerFullAccess`
/// passes roles to `apprunner.amazonaws.com`.
#[test]
fn each_candidate_pass_role_service_completes_a_path() {
    for (actions, service) in [
        (
            &["batch:RegisterJobDefinition", "batch:SubmitJob"][..],
            "ecs-tasks.amazonaws.com",
        ),
        (
            &["apprunner:CreateService"][..],
            "tasks.apprunner.amazonaws.com",
        ),
        (
            &["elasticmapreduce:RunJobFlow"][..],
            "elasticmapreduce.amazonaws.com",
        ),
    ] {
        let p = pass_app_roles(Some(service), actions);
        assert!(
            combinations("p.json", &p)
                .iter()
                .any(|m| m.contains(&format!("passed to `{service}`"))),
            "{actions:?}"
        );
    }
}

/// Without `iam:PassRole`, running one's own code with the role an existing resource already
/// has: a CloudFormation stack's service role is used by everyone who can operate on the stack
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html>:
/// `cloudformation:UpdateStack`, `CreateChangeSet` + `ExecuteChangeSet`, pathfinding.cloud
/// `cloudformation-002`/`005`), a CodeBuild build with a buildspec override runs with the
/// project's role (<https://pathfinding.cloud/paths/codebuild-002>, `codebuild-003`), an App
/// Runner service update (<https://pathfinding.cloud/paths/apprunner-002>), ECS Exec in a
/// running task (<https://pathfinding.cloud/paths/ecs-006>), an AgentCore code interpreter
/// (<https://pathfinding.cloud/paths/bedrock-002>). Red-team cases `e_cb3`, `e_cfnupd`.
#[test]
fn existing_role_paths_without_pass_role_are_reported() {
    let p = |actions: &[&str]| {
        let a: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
            a.join(",")
        )
    };
    for a in [
        "codebuild:StartBuild",
        "codebuild:StartBuildBatch",
        "cloudformation:UpdateStack",
        "apprunner:UpdateService",
    ] {
        let s = security("s.json", &p(&[a]), PolicyType::Identity);
        assert!(
            s.iter().any(|m| m.starts_with("GL097") && m.contains(a)),
            "{a}: {s:?}"
        );
    }
    for pair in [
        [
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
        ["ecs:ExecuteCommand", "ecs:DescribeTasks"],
        [
            "bedrock-agentcore:StartCodeInterpreterSession",
            "bedrock-agentcore:InvokeCodeInterpreter",
        ],
    ] {
        let c = combinations("c.json", &p(&pair));
        assert!(
            c.len() == 1 && c[0].contains("role of an existing resource"),
            "{pair:?}: {c:?}"
        );
        // one of the two alone is not the path
        assert!(
            combinations("c.json", &p(&pair[..1])).is_empty(),
            "{pair:?}"
        );
        // a Deny of the second removes it
        let denied = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["{}","{}"],"Resource":"*"}},{{"Effect":"Deny","Action":"{}","Resource":"*"}}]}}"#,
            pair[0], pair[1], pair[1]
        );
        assert!(combinations("d.json", &denied).is_empty(), "{pair:?}");
    }
    // read-only CodeBuild and CloudFormation access: nothing
    let read = p(&[
        "codebuild:BatchGetBuilds",
        "codebuild:ListProjects",
        "cloudformation:DescribeStacks",
        "cloudformation:GetTemplate",
    ]);
    assert!(security("r.json", &read, PolicyType::Identity).is_empty());
}

/// A combination that holds a smaller reported one is not reported again: `iam:PassRole` +
/// `ecs:RunTask` (a task role override,
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html>) already
/// covers `iam:PassRole` + `ecs:RegisterTaskDefinition` + `ecs:RunTask`
/// (<https://pathfinding.cloud/paths/ecs-004>); `ecs:RegisterTaskDefinition` +
/// `ecs:CreateService` (`ecs-003`) is another path and stays.
#[test]
fn a_combination_holding_a_reported_one_is_not_repeated() {
    let p = pass_app_roles(
        Some("ecs-tasks.amazonaws.com"),
        &[
            "ecs:RegisterTaskDefinition",
            "ecs:RunTask",
            "ecs:CreateService",
        ],
    );
    let c = combinations("p.json", &p);
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(
        c.iter()
            .any(|m| m.contains("`ecs:RunTask`") && !m.contains("RegisterTaskDefinition"))
    );
    assert!(c.iter().any(|m| m.contains("`ecs:CreateService`")));
}

/// A template that gives a role an AWS managed policy granting full administrator access
/// (`AdministratorAccess`: `*` on `*`) or escalation actions (`IAMFullAccess`: `iam:*`) is
/// reported where it attaches it: the role holds what the policy grants, and the policy's
/// document is not in the repository to be linted on its own. A harmless one
/// (`AWSLambdaBasicExecutionRole`: CloudWatch Logs writes) is not.
#[test]
fn attaching_an_admin_or_escalating_managed_policy_is_reported_at_the_attachment() {
    let file = format!(
        "{}/tests/fixtures/lint-managed-attached/attached-admin.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(["lint", "--format", "json", "--fail-on", "security", &file])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "security")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let who = file.rsplit('#').next().unwrap().to_string();
            (
                who,
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("Admin".to_string(), "GL089".to_string(), 13),
            ("IamAdmin".to_string(), "GL097".to_string(), 24),
        ],
        "{v}"
    );
}

/// A Terraform folder that only attaches an AWS managed policy to a user (no policy document
/// of its own) is still read: the attachment of `AdministratorAccess`
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_user_policy_attachment>)
/// is GL089 where it is written. Red-team pass 10: the file was skipped as "defines no IAM
/// policy" and `lint DIR` passed.
#[test]
fn a_terraform_file_of_attachments_only_is_linted() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("tf")).unwrap();
    std::fs::write(
        d.path().join("tf/main.tf"),
        r#"resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_policy_attachment" "admin" {
  user       = aws_iam_user.bob.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(["lint", "--format", "json", "--fail-on", "security"])
        .arg(d.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "GL089", "{v}");
    assert_eq!(f["line"], 7, "{v}");
}

/// `ssm:SendCommand` is authorized on the document as well as on the instances
/// (<https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_ssm.html>),
/// so it escalates only with a document that runs what the caller sends: an AWS document
/// such as `AWS-RunShellScript` in any Region, or an account's own document (its content is
/// not known). AWS Backup's service role policy, limited to `AWSEC2-CreateVssSnapshot` (a name
/// with a prefix AWS reserves for its own documents,
/// <https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html>),
/// is not an escalation.
#[test]
fn send_command_escalates_only_with_a_document_that_runs_commands() {
    let p = |doc: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["{doc}","arn:aws:ec2:*:*:instance/*"]}}]}}"#
        )
    };
    for (doc, escalates) in [
        ("arn:aws:ssm:*:*:document/AWSEC2-CreateVssSnapshot", false),
        ("arn:aws:ssm:*::document/AWS-UpdateSSMAgent", false),
        ("arn:aws:ssm:us-west-2::document/AWS-RunShellScript", true),
        ("arn:aws:ssm:*:*:document/AWS-Run*", true),
        ("arn:aws:ssm:eu-west-1:123456789012:document/Deploy", true),
        ("arn:aws:ssm:*:*:document/*", true),
        ("arn:aws:ssm:eu-west-1:123456789012:*", true),
        // a Region or partition of its own with an account wildcard (red-team pass 12)
        ("arn:aws:ssm:eu-west-1:*:document/AWS-RunShellScript", true),
        ("arn:aws-cn:ssm:*:*:document/AWS-RunShellScript", true),
        ("arn:aws:ssm:eu-west-1:*:document/AWS-Run*", true),
    ] {
        assert_eq!(
            codes("s.json", &p(doc), PolicyType::Identity).contains(&"GL097"),
            escalates,
            "{doc}"
        );
    }
    // a Deny of the command-running documents removes it
    let q = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:SendCommand","Resource":"*"},{"Effect":"Deny","Action":"ssm:SendCommand","NotResource":["arn:aws:ssm:*::document/AWSEC2-CreateVssSnapshot","arn:aws:ec2:*:*:instance/*"]}]}"#;
    assert!(!codes("s.json", q, PolicyType::Identity).contains(&"GL097"));
    let shipped = greenlight::sources::managed::corpus()
        .unwrap()
        .get("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup")
        .unwrap()
        .document
        .get()
        .to_string();
    assert!(
        !codes("backup.json", &shipped, PolicyType::Identity).contains(&"GL097"),
        "AWSBackupServiceRolePolicyForBackup"
    );
}

/// Red team 39, finding 2: a State Manager association applies a command document with its
/// parameters to the target instances
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateAssociation.html>),
/// and a maintenance-window `RUN_COMMAND` task runs one on a schedule
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_RegisterTaskWithMaintenanceWindow.html>):
/// both run commands with the instance's role, like `ssm:SendCommand`. A "no shell" policy
/// that allows `ssm:*` but denies `SendCommand` and `StartSession` still escalates (c3); the
/// association's document bounds it as it bounds `SendCommand`.
#[test]
fn state_manager_associations_and_maintenance_window_tasks_run_commands() {
    let c3 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"*"},{"Effect":"Deny","Action":["ssm:SendCommand","ssm:StartSession"],"Resource":"*"}]}"#;
    let s = security("c3.json", c3, PolicyType::Identity);
    for a in [
        "ssm:CreateAssociation",
        "ssm:CreateAssociationBatch",
        "ssm:UpdateAssociation",
        "ssm:RegisterTaskWithMaintenanceWindow",
        "ssm:UpdateMaintenanceWindowTask",
    ] {
        assert!(
            s.iter().any(|m| m.starts_with("GL097") && m.contains(a)),
            "{a}: {s:?}"
        );
    }
    let c1 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:CreateAssociation","Resource":["arn:aws:ec2:*:*:instance/*","arn:aws:ssm:*:*:document/AWS-RunShellScript","arn:aws:ssm:*:*:association/*"]}]}"#;
    assert!(codes("c1.json", c1, PolicyType::Identity).contains(&"GL097"));
    let c2 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:RegisterTaskWithMaintenanceWindow","ssm:CreateMaintenanceWindow","ssm:RegisterTargetWithMaintenanceWindow"],"Resource":"*"}]}"#;
    assert!(codes("c2.json", c2, PolicyType::Identity).contains(&"GL097"));
    // an association limited to a document that runs no command is not an escalation
    let vss = c1.replace("AWS-RunShellScript", "AWSEC2-CreateVssSnapshot");
    assert!(!codes("vss.json", &vss, PolicyType::Identity).contains(&"GL097"));
}

/// Red team 39, finding 3: `AWS-RunDockerAction` runs the caller's image and command on the
/// node (the `aws:runDockerAction` plugin,
/// <https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-command-ssm-plugin-reference.html>),
/// and a pattern that matches a command document counts; AWS's documents that are not
/// command-running ones (what AWS's service roles are limited to) are not. `sagemaker:CreatePresignedDomainUrl` signs the caller
/// in to Studio as the user profile ("granted access to all of the Apps and files associated
/// with the Domain's Amazon EFS volume",
/// <https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePresignedDomainUrl.html>),
/// the Studio form of the notebook URL.
#[test]
fn send_command_document_test_fails_closed_and_studio_urls_count() {
    let p = |doc: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ssm:SendCommand","Resource":["arn:aws:ec2:*:*:instance/*","{doc}"]}}]}}"#
        )
    };
    for (doc, escalates) in [
        ("arn:aws:ssm:*::document/AWS-RunDockerAction", true),
        // a pattern that matches a command document, or an account's documents
        ("arn:aws:ssm:*::document/AWS-*", true),
        ("arn:aws:ssm:*::document/*Docker*", true),
        ("arn:aws:ssm:*:*:document/*-Run*", true),
        // AWS's own fixed documents, by pattern (AWS's SQL HA service role)
        ("arn:aws:ssm:*::document/AWSEC2-DetectSqlHa*", false),
        // AWS documents named exactly run AWS's fixed steps (the documents AWS's own service
        // roles are limited to)
        (
            "arn:aws:ssm:*::document/AmazonCloudWatch-ManageAgent",
            false,
        ),
        ("arn:aws:ssm:*::document/AWS-GatherSoftwareInventory", false),
        ("arn:aws:ssm:*::document/AWS-UpdateSSMAgent", false),
    ] {
        assert_eq!(
            codes("b1.json", &p(doc), PolicyType::Identity).contains(&"GL097"),
            escalates,
            "{doc}"
        );
    }
    let b11 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:CreatePresignedDomainUrl","Resource":"arn:aws:sagemaker:*:*:user-profile/*/*"}]}"#;
    let s = security("b11.json", b11, PolicyType::Identity);
    assert!(
        s.iter()
            .any(|m| m.starts_with("GL097") && m.contains("sagemaker:CreatePresignedDomainUrl")),
        "{s:?}"
    );
}

/// Red team 39, finding 7: IAM's delegation example lets an administrator create and change
/// users only with a fixed permissions boundary (statement `CreateOrChangeOnlyWithBoundary`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>): every
/// user it creates or changes stays within that boundary, so attaching or writing its policies
/// is not an escalation (as `iam:PolicyARN` fixed to a harmless policy is not). A boundary that
/// can be deleted, a wildcard, `IfExists`, `ForAnyValue` or `AdministratorAccess` as the
/// boundary bound nothing.
/// Red team 40: `AdministratorAccess` as the fixed boundary bounds nothing in every partition
/// (`arn:aws-us-gov:`, `arn:aws-cn:`), as in the commercial one.
#[test]
fn an_escalating_aws_boundary_bounds_nothing_in_any_partition() {
    for partition in ["aws", "aws-us-gov", "aws-cn"] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:AttachRolePolicy","iam:PutRolePolicy","iam:PutRolePermissionsBoundary"],"Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"arn:{partition}:iam::aws:policy/AdministratorAccess"}}}}}}]}}"#
        );
        assert!(
            codes("b.json", &p, PolicyType::Identity).contains(&"GL097"),
            "{partition}"
        );
    }
}

#[test]
fn a_fixed_permissions_boundary_bounds_the_delegated_principal() {
    // the AWS page's statements (g1: `CreateOrChangeOnlyWithBoundary`, `NoBoundaryPolicyEdit`,
    // `NoBoundaryUserDelete`)
    let g1 = r#"{"Version":"2012-10-17","Statement":[{"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow","Action":["iam:AttachUserPolicy","iam:CreateUser","iam:DeleteUserPolicy","iam:DetachUserPolicy","iam:PutUserPermissionsBoundary","iam:PutUserPolicy"],"Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::123456789012:policy/XCompanyBoundaries"}}},{"Sid":"NoBoundaryPolicyEdit","Effect":"Deny","Action":["iam:CreatePolicyVersion","iam:DeletePolicy","iam:DeletePolicyVersion","iam:SetDefaultPolicyVersion"],"Resource":["arn:aws:iam::123456789012:policy/XCompanyBoundaries","arn:aws:iam::123456789012:policy/DelegatedUserBoundary"]},{"Sid":"NoBoundaryUserDelete","Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"*"}]}"#;
    let s = security("g1.json", g1, PolicyType::Identity);
    assert!(s.is_empty(), "{s:?}");
    // the `CreateOrChangeOnlyWithBoundary` statement alone
    let alone = r#"{"Version":"2012-10-17","Statement":[{"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow","Action":["iam:AttachUserPolicy","iam:CreateUser","iam:DeleteUserPolicy","iam:DetachUserPolicy","iam:PutUserPermissionsBoundary","iam:PutUserPolicy"],"Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::123456789012:policy/XCompanyBoundaries"}}}]}"#;
    let s = security("alone.json", alone, PolicyType::Identity);
    assert!(s.is_empty(), "{s:?}");
    let g2 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateRole","iam:AttachRolePolicy","iam:PutRolePolicy","iam:PutRolePermissionsBoundary"],"Resource":"arn:aws:iam::123456789012:role/app-*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::123456789012:policy/AppBoundary"}}}]}"#;
    let s = security("g2.json", g2, PolicyType::Identity);
    assert!(s.is_empty(), "{s:?}");
    let arn_equals = g2.replace("StringEquals", "ArnEquals");
    let s = security("g2a.json", &arn_equals, PolicyType::Identity);
    assert!(s.is_empty(), "{s:?}");
    // the boundary can be deleted: still reported
    let delete = g1.replace(
        r#""iam:CreateUser","#,
        r#""iam:CreateUser","iam:DeleteUserPermissionsBoundary","#,
    );
    let delete = delete.replace(
        r#",{"Sid":"NoBoundaryUserDelete","Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"*"}"#,
        "",
    );
    let s = security("delete.json", &delete, PolicyType::Identity);
    assert!(
        s.iter()
            .any(|m| m.starts_with("GL097") && m.contains("iam:DeleteUserPermissionsBoundary")),
        "{s:?}"
    );
    // conditions that do not fix the boundary
    for (from, to) in [
        (
            "arn:aws:iam::123456789012:policy/AppBoundary",
            "arn:aws:iam::123456789012:policy/*",
        ),
        ("StringEquals", "StringEqualsIfExists"),
        ("StringEquals", "ForAnyValue:StringEquals"),
        ("StringEquals", "StringLike"),
        (
            "arn:aws:iam::123456789012:policy/AppBoundary",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
    ] {
        let text = g2.replace(from, to);
        let s = security("open.json", &text, PolicyType::Identity);
        assert!(
            s.iter()
                .any(|m| m.starts_with("GL097") && m.contains("iam:PutRolePolicy")),
            "{to}: {s:?}"
        );
    }
}

/// A placeholder for a value a template does not give (`UNKNOWN-...`, named on stderr) in an
/// ARN's partition or account field is not a wrong partition or account written by the
/// author: no GL059/GL060 error (terraform-aws-modules' `arn:${local.partition}:iam::${local.account_id}:mfa/*`
/// with `try(data.aws_partition.current.partition, "")`).
#[test]
fn placeholders_in_arn_fields_are_not_errors() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:UNKNOWN-try-0-166:iam::UNKNOWN-try-0-236:mfa/*"}]}"#;
    let c = codes("p.json", p, PolicyType::Identity);
    assert!(!c.contains(&"GL059") && !c.contains(&"GL060"), "{c:?}");
    // nor a placeholder VPC endpoint (GL087; SAM's `SourceVpcWhitelist` from a parameter
    // without a value)
    let v = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"UNKNOWN-Parameter-VpcEndpointId"}}}]}"#;
    assert!(!codes("v.json", v, PolicyType::Resource).contains(&"GL087"));
    // a wrong value written by the author still is
    let q = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"arn:awz:iam::1234:mfa/*"}]}"#;
    let c = codes("q.json", q, PolicyType::Identity);
    assert!(c.contains(&"GL059") && c.contains(&"GL060"), "{c:?}");
}

/// GL112 reports a `Deny` whose tag condition is false for requests that never carry the tag
/// key. A condition that holds when the key is absent (`...IfExists`, a negated operator such
/// as `StringNotEquals`: "If the key is not present, evaluate the condition element as true",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists)
/// denies exactly those requests: no finding (the aws-samples data-perimeter RCPs, red-team
/// pass 13).
#[test]
fn a_tag_condition_that_holds_when_absent_is_not_gl112() {
    let p = |op: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:CreateJob","Resource":"*","Condition":{{"{op}":{{"aws:ResourceTag/dp:exclude":"true"}}}}}}]}}"#
        )
    };
    for op in [
        "StringNotEqualsIfExists",
        "StringNotEquals",
        "StringEqualsIfExists",
    ] {
        assert!(
            !codes("r.json", &p(op), PolicyType::Rcp).contains(&"GL112"),
            "{op}"
        );
    }
    // a positive operator is false when the key is absent: the Deny leaves those out
    assert!(codes("r.json", &p("StringEquals"), PolicyType::Rcp).contains(&"GL112"));
}

/// The risk categories (GL129–GL132: actions on resources the policy does not name) pass over
/// what a policy names through the caller's own policy variables, as the AWS docs' self-service
/// examples do: `s3:*` on `home/${aws:username}/*` grants nothing on a bucket's policy or on
/// another user's objects, and the credential self-service statements name `user/${aws:username}`
/// (the pages are cited in `tests/fixtures/lint-good-practice/README.md`). The same `s3:*` on
/// every bucket is reported.
#[test]
fn risk_categories_pass_over_the_callers_own_resources() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint-good-practice");
    let category = |c: &&str| matches!(*c, "GL129" | "GL130" | "GL131" | "GL132");
    for file in [
        "s3-home-directory-console.json",
        "s3-federated-home-directory-console.json",
        "aws-my-sec-creds-self-manage.json",
        // resources named by tag (ABAC), as the categories' help advises
        "ec2-start-stop-match-tags.json",
        "ec2-start-stop-tags.json",
        "ec2-tag-owner.json",
        // a new virtual MFA device changes nothing that exists
        "iam-mfa-selfmanage.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let c = codes(file, &text, PolicyType::Identity);
        assert!(!c.iter().any(category), "{file}: {c:?}");
    }
    let text = std::fs::read_to_string(dir.join("s3-home-directory-console.json"))
        .unwrap()
        .replace("amzn-s3-demo-bucket/home/${aws:username}", "*");
    let c = codes("every-bucket.json", &text, PolicyType::Identity);
    assert!(c.contains(&"GL131") && c.contains(&"GL132"), "{c:?}");
    // a tag condition any tag value passes names nothing
    let tagged = std::fs::read_to_string(dir.join("ec2-tag-owner.json")).unwrap();
    for any in [
        tagged.replace("\"StringEquals\"", "\"StringLike\"").replace("${aws:username}", "*"),
        tagged.replace(
            "\"StringEquals\": {\n                    \"aws:ResourceTag/Owner\": \"${aws:username}\"",
            "\"Null\": {\n                    \"aws:ResourceTag/Owner\": \"false\"",
        ),
    ] {
        assert_ne!(any, tagged);
        let c = codes("any-tag.json", &any, PolicyType::Identity);
        assert!(c.contains(&"GL132"), "{any}: {c:?}");
    }
}

/// Resource policies AWS publishes for one attached resource (red-team pass 17): the EFS
/// console's file system policy is not public (EFS counts a fixed
/// `elasticfilesystem:AccessedViaMountTarget` as bounding the caller) and has no `Resource`,
/// as ECR repository policies have none; neither is an error or a security finding. A
/// statement of another service without `Resource` still is (GL022).
#[test]
fn efs_and_ecr_policies_without_resource_are_documented_practice() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint-good-practice");
    for file in ["efs-console-mount-target.json", "ecr-allow-push-pull.json"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let c = codes(file, &text, PolicyType::Resource);
        assert!(
            !c.contains(&"GL022") && !c.contains(&"GL093"),
            "{file}: {c:?}"
        );
    }
    let efs = std::fs::read_to_string(dir.join("efs-console-mount-target.json")).unwrap();
    // without the mount-target condition, anyone may mount: public
    let open = efs.replace("\"true\"", "\"false\"");
    assert!(codes("open.json", &open, PolicyType::Resource).contains(&"GL093"));
    let sqs = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sqs:SendMessage"}]}"#;
    assert!(codes("q.json", sqs, PolicyType::Resource).contains(&"GL022"));
}

/// A documentation placeholder left in a principal's account (`AccountB`, from the Secrets
/// Manager cross-account example) is refused by IAM ("Invalid principal in policy"): GL065,
/// not a principal inside some account (red-team pass 17).
#[test]
fn a_placeholder_account_in_a_principal_is_invalid() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::AccountB:role/SecurityRole"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;
    assert!(codes("p.json", p, PolicyType::Resource).contains(&"GL065"));
    let q = p.replace("AccountB", "444455556666");
    assert!(!codes("q.json", &q, PolicyType::Resource).contains(&"GL065"));
}

/// IAM's delegation example, "Delegating responsibility to others using permissions
/// boundaries" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html):
/// red-team pass 19 found these passing a first version that read a named boundary as a
/// bound: removing a boundary is keyed on the boundary removed, and `AdministratorAccess` as
/// the boundary bounds nothing. Both stay GL097 findings. (User management limited to a fixed
/// customer managed boundary is no longer one, red team 39:
/// `a_fixed_permissions_boundary_bounds_the_delegated_principal`.)
#[test]
fn a_permissions_boundary_condition_does_not_bound_user_management() {
    let p = |actions: &str, boundary: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{actions}],"Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}}}]}}"#
        )
    };
    for (actions, boundary) in [
        (
            r#""iam:DeleteUserPermissionsBoundary""#,
            "arn:aws:iam::123456789012:policy/XCompanyBoundaries",
        ),
        (
            r#""iam:AttachUserPolicy""#,
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
    ] {
        let text = p(actions, boundary);
        assert!(
            codes("b.json", &text, PolicyType::Identity).contains(&"GL097"),
            "{text}"
        );
    }
}

/// A tag value the request carries and the caller chooses (`${aws:UserAgent}`,
/// `${aws:Referer}`: "the caller can set it", IAM global condition keys,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-useragent)
/// names no resource: the category still reports it (red-team pass 20); the caller's identity
/// (`${aws:PrincipalTag/K}`) does.
#[test]
fn a_request_value_in_a_tag_condition_names_nothing() {
    let p = |var: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{{"StringEquals":{{"aws:ResourceTag/Project":"${{{var}}}"}}}}}}]}}"#
        )
    };
    for var in ["aws:UserAgent", "aws:Referer", "aws:SourceIp"] {
        let c = codes("ua.json", &p(var), PolicyType::Identity);
        assert!(c.contains(&"GL130"), "{var}: {c:?}");
    }
    let own = codes(
        "own.json",
        &p("aws:PrincipalTag/Project"),
        PolicyType::Identity,
    );
    assert!(!own.contains(&"GL130"), "{own:?}");
}

/// An object is read through its bucket (`arn:aws:s3:::bucket/key`) or through an access point
/// (`arn:aws:s3:region:account:accesspoint/name/object/key`): `s3:GetObject` lists both
/// resource types, neither required (Service Authorization Reference, Amazon S3,
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
/// Every object of every bucket, or of every access point, is a resource the policy does not
/// name (red team 20: `arn:aws:s3:::*/*` never reached GL130; `AWSLambdaExecute` is that
/// policy).
#[test]
fn every_object_through_buckets_or_access_points_is_unnamed() {
    let p = |resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"{resource}"}}]}}"#
        )
    };
    for r in [
        "arn:aws:s3:::*/*",
        "arn:aws:s3:::*",
        "arn:aws:s3:*:*:accesspoint/*/object/*",
        "arn:aws:s3:*:*:accesspoint/*",
    ] {
        let c = codes("o.json", &p(r), PolicyType::Identity);
        assert!(c.contains(&"GL130"), "{r}: {c:?}");
        assert!(c.contains(&"GL132"), "{r}: {c:?}");
    }
    for r in [
        "arn:aws:s3:::my-bucket/*",
        "arn:aws:s3:us-east-1:111122223333:accesspoint/my-ap/object/*",
    ] {
        let c = codes("o.json", &p(r), PolicyType::Identity);
        assert!(!c.contains(&"GL130"), "{r}: {c:?}");
    }
    // STS's `self-session` (`arn:aws:sts::${Account}:self`) is the calling session itself
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html)
    let own = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:SetContext","Resource":"arn:aws:sts::*:self"}]}"#;
    assert!(!codes("self.json", own, PolicyType::Identity).contains(&"GL132"));
}

/// A policy is used in the partition it names: `arn:aws-us-gov:s3:::*` is every bucket of an
/// AWS GovCloud (US) account as `arn:aws:s3:::*` is of a commercial one (ARN format,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). A Region or an
/// account in `Resource` names no resource either: `arn:aws:logs:us-west-2:111122223333:*`
/// takes every log group of the account, as `"*"` does.
#[test]
fn partitions_regions_and_accounts_name_no_resource() {
    let p = |actions: &str, resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"{resource}"}}]}}"#
        )
    };
    for (actions, resource, code) in [
        (r#""s3:GetObject""#, "arn:aws-us-gov:s3:::*", "GL130"),
        (r#""s3:GetObject""#, "arn:aws-cn:s3:::*/*", "GL130"),
        (
            r#""secretsmanager:GetSecretValue""#,
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:*:secret:*",
            "GL130",
        ),
        (
            r#""secretsmanager:GetSecretValue""#,
            "arn:aws:secretsmanager:eu-west-1:*:secret:*",
            "GL130",
        ),
        (r#""kms:PutKeyPolicy""#, "arn:aws-cn:kms:*:*:key/*", "GL131"),
        (
            r#""logs:CreateLogGroup""#,
            "arn:aws:logs:us-west-2:111122223333:*",
            "GL132",
        ),
        (
            r#""lambda:UpdateFunctionCode""#,
            "arn:aws-us-gov:lambda:us-gov-east-1:111122223333:function:*",
            "GL132",
        ),
    ] {
        let text = p(actions, resource);
        let c = codes("p.json", &text, PolicyType::Identity);
        assert!(c.contains(&code), "{text}: {c:?}");
    }
    // named resources stay named in every partition
    for resource in [
        "arn:aws-us-gov:s3:::my-bucket/*",
        "arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:db-*",
    ] {
        let text = p(
            r#"["s3:GetObject","secretsmanager:GetSecretValue"]"#,
            resource,
        );
        let c = codes("p.json", &text, PolicyType::Identity);
        assert!(!c.contains(&"GL130"), "{text}: {c:?}");
    }
}

/// A Region, account or partition written as a pattern (`us-gov-*`, `1111*`, `aws-*`) names no
/// resource either: every secret of the Regions it matches is as unnamed as with a literal
/// Region. And a Deny (or a `NotResource` perimeter) that takes some Regions or accounts leaves
/// every other one allowed (an explicit Deny removes only what it matches, IAM policy
/// evaluation logic,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
/// red team 21, F1 and F2.
#[test]
fn patterns_and_denies_of_places_name_nothing() {
    let allow = |resource: &str| {
        format!(
            r#"{{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"{resource}"}}"#
        )
    };
    let policy = |statements: &[String]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        )
    };
    for resource in [
        "arn:aws-us-gov:secretsmanager:us-gov-*:111122223333:secret:*",
        "arn:aws:secretsmanager:eu-*:*:secret:*",
        "arn:aws:secretsmanager:*:1111*:secret:*",
        "arn:aws-*:secretsmanager:*:*:secret:*",
        "arn:aws-us-gov*:secretsmanager:*:*:secret:*",
    ] {
        let text = policy(&[allow(resource)]);
        assert!(
            codes("p.json", &text, PolicyType::Identity).contains(&"GL130"),
            "{text}"
        );
    }
    for deny in [
        r#"{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:*:*"}"#,
        r#"{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":["arn:aws:secretsmanager:us-east-1:*:*","arn:aws:secretsmanager:us-west-2:*:*"]}"#,
        r#"{"Effect":"Deny","Action":"*","NotResource":"arn:aws:secretsmanager:*:111122223333:*"}"#,
        r#"{"Effect":"Deny","Action":"*","NotResource":"arn:aws:secretsmanager:eu-west-1:*:*"}"#,
    ] {
        let text = policy(&[allow("*"), deny.to_string()]);
        assert!(
            codes("p.json", &text, PolicyType::Identity).contains(&"GL130"),
            "{text}"
        );
    }
    // a Deny of every Region still removes it
    let text = policy(&[
        allow("*"),
        r#"{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#.to_string(),
    ]);
    assert!(!codes("p.json", &text, PolicyType::Identity).contains(&"GL130"));
}

/// The escalation rules asked about any resource of a type (`iam:AttachRolePolicy`,
/// `iam:PassRole` without `iam:PassedToService`, PassRole with `ec2:RunInstances`) read a
/// GovCloud policy as its commercial twin (red team 21, F3).
#[test]
fn escalation_in_govcloud_is_escalation() {
    for (text, code) in [
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"arn:aws-us-gov:iam::123456789012:role/*"}]}"#,
            "GL097",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws-us-gov:iam::123456789012:role/app"}]}"#,
            "GL095",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws-cn:iam::123456789012:role/app","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#,
            "GL098",
        ),
    ] {
        assert!(
            codes("g.json", text, PolicyType::Identity).contains(&code),
            "{code}: {text}"
        );
    }
}

/// A request value in `Resource` (`${aws:UserAgent}`: "the caller can set it", IAM global
/// condition keys,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-useragent)
/// names nothing, as in a tag condition (red team 21, F4); the caller's own name does.
#[test]
fn a_request_value_in_resource_names_nothing() {
    let p = |resource: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObject","secretsmanager:GetSecretValue"],"Resource":"{resource}"}}]}}"#
        )
    };
    for r in [
        "arn:aws:s3:::${aws:UserAgent}/*",
        "arn:aws:secretsmanager:*:*:secret:${aws:UserAgent}",
    ] {
        let c = codes("ua.json", &p(r), PolicyType::Identity);
        assert!(c.contains(&"GL130"), "{r}: {c:?}");
    }
    let own = codes(
        "own.json",
        &p("arn:aws:s3:::home/${aws:username}/*"),
        PolicyType::Identity,
    );
    assert!(!own.contains(&"GL130"), "{own:?}");
}

/// Only a tagging action of the resource's own service writes its tags: `sagemaker:AddTags`
/// cannot tag an S3 object, so `s3:ExistingObjectTag/SageMaker` still names the objects
/// (red team 21, A1; `AmazonSageMakerFullAccess` holds both); `s3:PutObjectTagging` can, and
/// then the tag names nothing (Amazon S3 object tagging,
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html).
#[test]
fn only_a_tagger_of_the_same_service_unnames_a_tag() {
    let p = |tagger: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*","Condition":{{"StringEquals":{{"s3:ExistingObjectTag/SageMaker":"true"}}}}}},{{"Effect":"Allow","Action":"{tagger}","Resource":"*"}}]}}"#
        )
    };
    assert!(!codes("t.json", &p("sagemaker:AddTags"), PolicyType::Identity).contains(&"GL130"));
    assert!(codes("t.json", &p("s3:PutObjectTagging"), PolicyType::Identity).contains(&"GL130"));
}

/// Full administrator access, `Allow` + `NotAction` on every resource and
/// `iam:CreateServiceLinkedRole` on every service-linked role read a GovCloud or China policy
/// (and a partition pattern, `arn:aws-*:`) as their commercial twin: a policy is used in the
/// partition it names (ARN format,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html; red team 21, F3).
#[test]
fn every_resource_of_another_partition_is_every_resource() {
    for partition in ["aws", "aws-us-gov", "aws-cn", "aws-*"] {
        for (statement, code) in [
            (
                format!(
                    r#"{{"Effect":"Allow","Action":"*","Resource":"arn:{partition}:*:*:*:*"}}"#
                ),
                "GL089",
            ),
            (
                format!(r#"{{"Effect":"Allow","Action":"*","Resource":"arn:{partition}:*"}}"#),
                "GL089",
            ),
            (
                format!(
                    r#"{{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:{partition}:*:*:*:*"}}"#
                ),
                "GL090",
            ),
            (
                format!(
                    r#"{{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"arn:{partition}:*"}}"#
                ),
                "GL096",
            ),
            (
                format!(
                    r#"{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:{partition}:iam::*:role/*"}}"#
                ),
                "GL094",
            ),
        ] {
            let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
            assert!(
                codes("p.json", &text, PolicyType::Identity).contains(&code),
                "{code}: {text}"
            );
        }
    }
}

/// `StringLike` on an ARN key matches at least what `ArnLike` matches, so it is a security
/// finding only where matching more loosens the policy: an `Allow` with `StringLike`, a `Deny`
/// with `StringNotLike`. AWS Control Tower's "Disallow actions as a root user" control
/// (<https://docs.aws.amazon.com/controltower/latest/controlreference/strongly-recommended-controls.html>,
/// red team 34) denies more with it: a suggestion, not a failing finding.
#[test]
fn string_like_on_an_arn_key_is_security_only_where_it_loosens() {
    let root = r#"{"Version":"2012-10-17","Statement":[{"Sid":"GRRESTRICTROOTUSER","Effect":"Deny","Action":"*","Resource":["*"],"Condition":{"StringLike":{"aws:PrincipalArn":["arn:aws:iam::*:root"]}}}]}"#;
    assert!(codes("scp.json", root, PolicyType::Scp).contains(&"GL103"));
    assert!(security("scp.json", root, PolicyType::Scp).is_empty());
    let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q","Condition":{"StringLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}}]}"#;
    assert!(
        security("q.json", allow, PolicyType::Resource)
            .iter()
            .any(|f| f.starts_with("GL103")),
    );
    let deny_not = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q","Condition":{"StringNotLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}}]}"#;
    assert!(
        security("q.json", deny_not, PolicyType::Resource)
            .iter()
            .any(|f| f.starts_with("GL103")),
    );
    let allow_not = deny_not.replace("Deny", "Allow");
    assert!(
        !security("q.json", &allow_not, PolicyType::Resource)
            .iter()
            .any(|f| f.starts_with("GL103")),
    );
}

/// Actions the Service Authorization Reference classes as "Permissions management" that only
/// read permissions (`billing:GetResourcePolicy` in `ReadOnlyAccess`,
/// `quicksight:DescribeDashboardPermissions` in `SecurityAudit`) change no resource policy:
/// no GL131 for them; one that writes a policy still gets it (red team 54).
#[test]
fn reading_permissions_is_no_resource_exposure() {
    let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["billing:GetResourcePolicy","quicksight:DescribeDashboardPermissions"],"Resource":"*"}]}"#;
    assert!(
        !codes("read.json", read, PolicyType::Identity).contains(&"GL131"),
        "{:?}",
        codes("read.json", read, PolicyType::Identity)
    );
    let write = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutBucketPolicy","Resource":"*"}]}"#;
    assert!(codes("write.json", write, PolicyType::Identity).contains(&"GL131"));
}

/// An escalation combination granted by an `Allow` with `NotAction` on narrower resources than
/// every resource is reported here: `allow-with-not-action` (GL090) reports `NotAction` only on
/// every resource (red team 57: `NotAction [iam:*, cloudformation:UpdateStack*]` on CloudFormation
/// ARNs grants `CreateChangeSet` + `ExecuteChangeSet`, the change-set escalation, and was clean).
#[test]
fn an_escalation_granted_through_not_action_on_narrow_resources_is_reported() {
    let changeset = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","cloudformation:UpdateStack*"],"Resource":"arn:aws:cloudformation:*:*:*"}]}"#;
    let s = security("c.json", changeset, PolicyType::Identity);
    assert!(
        s.iter().any(|m| m.starts_with("GL098")
            && m.contains("cloudformation:CreateChangeSet")
            && m.contains("cloudformation:ExecuteChangeSet")),
        "{s:?}"
    );
    let agentcore = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["s3:*"],"Resource":"arn:aws:bedrock-agentcore:*:*:*"}]}"#;
    let s = security("a.json", agentcore, PolicyType::Identity);
    assert!(s.iter().any(|m| m.starts_with("GL098")), "{s:?}");
    // the same `NotAction` on every resource: GL090 reports it, and the combination is left
    // to it (one finding, not one per combination)
    let every = changeset.replace("arn:aws:cloudformation:*:*:*", "*");
    let c = codes("e.json", &every, PolicyType::Identity);
    assert!(c.contains(&"GL090"), "{c:?}");
    assert!(!c.contains(&"GL098"), "{c:?}");
}

/// The risk categories subtract an unconditional `Deny` also where they fall back to the
/// statements' wording (past their analysis budget): `Allow *` beside `Deny *` on `*` allows
/// nothing (IAM evaluation logic: an explicit deny overrides any allow,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>;
/// red team 57: GL129, GL131 and GL132 reported thousands of actions).
#[test]
fn risk_categories_subtract_an_unconditional_deny_past_their_budget() {
    let cats = ["GL129", "GL130", "GL131", "GL132"];
    let all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
    let c = codes("a.json", all, PolicyType::Identity);
    assert!(!cats.iter().any(|x| c.contains(x)), "{c:?}");
    let ec2 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#;
    let c = codes("e.json", ec2, PolicyType::Identity);
    assert!(!cats.iter().any(|x| c.contains(x)), "{c:?}");
    // a Deny that leaves one action: that action is still reported (`s3:GetObject`, data)
    let left = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}]}"#;
    let c = codes("l.json", left, PolicyType::Identity);
    assert!(c.contains(&"GL130"), "{c:?}");
    assert!(!c.contains(&"GL132"), "{c:?}");
    // a conditioned Deny, or one on other resources, takes nothing away
    for deny in [
        r#"{"Effect":"Deny","Action":"ec2:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#,
        r#"{"Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/i-1"}"#,
    ] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ec2:*","Resource":"*"}},{deny}]}}"#
        );
        let c = codes("k.json", &p, PolicyType::Identity);
        assert!(c.contains(&"GL132"), "{deny}: {c:?}");
    }
}

/// `RunInstances` names an instance (and an image, a subnet, a network interface, a security
/// group) in every request: the Service Authorization Reference marks those resource types
/// required, and EC2 authorizes the action on each. A `Deny` of `RunInstances` on every
/// instance refuses the action on any resource, so `iam:PassRole` + `ec2:RunInstances` is no
/// escalation (red team 57 D4); a `Deny` on one Region's instances, or a conditioned one, still
/// leaves it.
#[test]
fn a_deny_on_a_required_resource_type_removes_the_action_from_a_combination() {
    let with = |deny: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}},{deny}]}}"#
        )
    };
    for deny in [
        r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*"}"#,
        r#"{"Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:image/*"}"#,
        r#"{"Effect":"Deny","Action":"ec2:Run*","Resource":["arn:aws:ec2:*:*:image/*"]}"#,
    ] {
        let c = codes("d.json", &with(deny), PolicyType::Identity);
        assert!(!c.contains(&"GL098"), "{deny}: {c:?}");
        // (PassRole itself is still allowed on every role)
        assert!(c.contains(&"GL094"), "{deny}: {c:?}");
    }
    for deny in [
        r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:us-east-1:*:instance/*"}"#,
        r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringNotEquals":{"ec2:InstanceType":"t3.micro"}}}"#,
        // (a key pair is not named by every request)
        r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:key-pair/*"}"#,
        // (only the types EC2's guide says every launch names count: not the subnet, which
        // the Service Authorization Reference also marks required)
        r#"{"Effect":"Deny","Action":"ec2:Run*","Resource":["arn:aws:ec2:*:*:subnet/*"]}"#,
        // (another action denied on every instance)
        r#"{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:instance/*"}"#,
    ] {
        let c = codes("k.json", &with(deny), PolicyType::Identity);
        assert!(c.contains(&"GL098"), "{deny}: {c:?}");
    }
    // a policy that writes another partition: the Deny on `arn:aws:` instances leaves the
    // instances of `aws-cn`
    let cn = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":["*","arn:aws-cn:ec2:*:*:instance/*"]},{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*"}]}"#;
    assert!(codes("cn.json", cn, PolicyType::Identity).contains(&"GL098"));
    let both = cn.replace(
        r#""Resource":"arn:aws:ec2:*:*:instance/*""#,
        r#""Resource":["arn:aws:ec2:*:*:instance/*","arn:aws-cn:ec2:*:*:instance/*"]"#,
    );
    assert!(!codes("both.json", &both, PolicyType::Identity).contains(&"GL098"));
    // other services' "required" resource types are not read so (red team 58: Bedrock
    // AgentCore's AWS-owned and custom code interpreters are alternatives, both marked
    // required; `batch:SubmitJob` is scoped by job definition and queue, not `job`)
    let agentcore = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock-agentcore:StartCodeInterpreterSession","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"},{"Effect":"Deny","Action":"bedrock-agentcore:StartCodeInterpreterSession","Resource":"arn:aws:bedrock-agentcore:*:aws:code-interpreter/*"}]}"#;
    assert!(codes("ac.json", agentcore, PolicyType::Identity).contains(&"GL098"));
    let batch = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","batch:RegisterJobDefinition","batch:SubmitJob"],"Resource":"*"},{"Effect":"Deny","Action":"batch:SubmitJob","Resource":"arn:aws:batch:*:*:job/*"}]}"#;
    assert!(codes("b.json", batch, PolicyType::Identity).contains(&"GL098"));
}

/// A resource policy for everyone whose condition ties the caller to the resource's own account
/// or organization (`aws:PrincipalAccount` = `${aws:ResourceAccount}`, `aws:PrincipalOrgID` =
/// `${aws:ResourceOrgID}`) is not public: AWS sends the owner's account and organization in
/// those keys (global condition keys, `aws:ResourceAccount`, `aws:ResourceOrgID`), as a literal
/// account ID names it (red team 57 D5). The negated tie, and a tie to a value the caller sets
/// (a principal tag), are public; a policy whose `Version` turns variables off compares with
/// the literal text, which no account has. Where the analysis cannot decide, the finding says
/// so instead of "without a condition".
#[test]
fn a_caller_tied_to_the_resource_owner_through_a_variable_is_not_public() {
    let with = |version: &str, op: &str, key: &str, value: &str| {
        format!(
            r#"{{"Version":"{version}","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"{op}":{{"{key}":"{value}"}}}}}}]}}"#
        )
    };
    let v = "2012-10-17";
    for (key, value) in [
        ("aws:PrincipalAccount", "${aws:ResourceAccount}"),
        ("aws:PrincipalAccount", "${aws:resourceaccount}"),
        ("aws:PrincipalOrgID", "${aws:ResourceOrgID}"),
    ] {
        let p = with(v, "StringEquals", key, value);
        assert!(
            !codes("o.json", &p, PolicyType::Resource).contains(&"GL093"),
            "{p}"
        );
    }
    let p = with(
        v,
        "StringNotEquals",
        "aws:PrincipalAccount",
        "${aws:ResourceAccount}",
    );
    assert!(
        codes("n.json", &p, PolicyType::Resource).contains(&"GL093"),
        "{p}"
    );
    let p = with(
        "2008-10-17",
        "StringEquals",
        "aws:PrincipalAccount",
        "${aws:ResourceAccount}",
    );
    assert!(
        !codes("l.json", &p, PolicyType::Resource).contains(&"GL093"),
        "{p}"
    );
    let p = with(
        v,
        "StringEquals",
        "aws:PrincipalAccount",
        "${aws:PrincipalTag/acct}",
    );
    let s = security("t.json", &p, PolicyType::Resource);
    assert!(
        s.iter().any(|m| m.starts_with("GL093")
            && m.contains("could not be decided")
            && !m.contains("without a condition")),
        "{s:?}"
    );
}

/// A conditional `Allow` of `CreateVolume` on every volume of the caller's own account
/// (`aws:ResourceAccount` = `${aws:PrincipalAccount}`) grants it on volumes the policy does not
/// name, also beside another `Allow` of the action on snapshots only (which grants nothing on a
/// volume: EC2 authorizes `CreateVolume` on each resource type,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html>).
/// The second statement used to send the action to the analysis, which pinned
/// `${aws:PrincipalAccount}` (named in another statement's resource) to a value no volume's
/// account has and left the grant out (the AWS managed policy
/// `AWSTransformServerMigrationAgentPolicy` has this shape).
#[test]
fn an_allow_on_other_resource_types_does_not_hide_a_conditional_grant() {
    let p = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"ec2:CreateVolume","Resource":"arn:aws:ec2:*:*:volume/*",
         "Condition":{"StringEquals":{"aws:ResourceAccount":"${aws:PrincipalAccount}"}}},
        {"Effect":"Allow","Action":"ec2:CreateVolume","Resource":"arn:aws:ec2:*::snapshot/*",
         "Condition":{"StringEquals":{"aws:ResourceAccount":"${aws:PrincipalAccount}"}}},
        {"Effect":"Allow","Action":"sts:AssumeRole",
         "Resource":"arn:aws:iam::*:role/Sharing_${aws:PrincipalAccount}"}]}"#;
    let out = lint_source(
        &Source::new("t.json", p.to_string()),
        Some(PolicyType::Identity),
    );
    let gl132: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.rule.code == "GL132")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(gl132.len(), 1, "{gl132:?}");
    assert!(gl132[0].contains("`ec2:CreateVolume`"), "{gl132:?}");
}

/// `iam:PassRole` on `*` limited by `aws:ResourceAccount` to one account (written literally or
/// as the caller's own `${aws:PrincipalAccount}`) is still every role of that account
/// (`aws:ResourceAccount` is the account that owns the resource,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>),
/// also when a `Deny` of one role sends the question to the analysis. The analysis read the
/// key from the unnamed role's ARN, in an account no policy names, so neither spelling met the
/// condition and GL094 was silent (a false "safe"); with `${aws:PrincipalAccount}` named in
/// another statement's resource, the comparison with the caller's own account was dropped as
/// answered.
#[test]
fn pass_role_limited_to_one_account_by_condition_is_every_role_of_it() {
    let deny =
        r#"{"Effect":"Deny","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/admin-1"}"#;
    let sharing = r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/Sharing_${aws:PrincipalAccount}"}"#;
    for account in ["123456789012", "${aws:PrincipalAccount}"] {
        let allow = format!(
            r#"{{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{{"StringEquals":{{"aws:ResourceAccount":"{account}"}}}}}}"#
        );
        for rest in [vec![deny], vec![sharing, deny], vec![]] {
            let mut body = vec![allow.as_str()];
            body.extend(rest.iter().copied());
            let p = format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                body.join(",")
            );
            let c = codes("p.json", &p, PolicyType::Identity);
            assert!(c.contains(&"GL094"), "{p}: {c:?}");
        }
    }
    // a `Deny` of every account but two (an account perimeter) leaves every role of those two
    let perimeter = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:ResourceAccount":["111122223333","444455556666"]}}}]}"#;
    let c = codes("m.json", perimeter, PolicyType::Identity);
    assert!(c.contains(&"GL094"), "{c:?}");
    // (a pattern of some roles limited to one account is not every role)
    let some = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/app-*","Condition":{"StringEquals":{"aws:ResourceAccount":"123456789012"}}},{"Effect":"Deny","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/admin-1"}]}"#;
    assert!(!codes("s.json", some, PolicyType::Identity).contains(&"GL094"));
}

/// The risk categories ask about a resource the policy does not name in each account an
/// `aws:ResourceAccount` condition names: `ec2:TerminateInstances` on `*` limited to one account
/// terminates any instance of it (GL132), also beside a `Deny` of one instance.
#[test]
fn risk_categories_ask_in_the_account_a_condition_names() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"123456789012"}}},{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:instance/i-1"}]}"#;
    assert!(codes("t.json", p, PolicyType::Identity).contains(&"GL132"));
}

/// `aws:ResourceAccount` compared with `${aws:PrincipalAccount}` (the caller's own account)
/// bounds nothing the policy names: every resource of the caller's own account is one the
/// policy does not name. Reported by the risk categories with and without a `Deny` that sends
/// the question to the request-space analysis, and beside a statement that writes the variable
/// in a resource name (which ties the variable to the caller there).
#[test]
fn risk_categories_count_the_callers_own_account_named_by_a_variable() {
    let allow = r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"${aws:PrincipalAccount}"}}}"#;
    let deny = r#"{"Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:instance/i-0123456789abcdef0"}"#;
    let named = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${aws:PrincipalAccount}-bucket/*"}"#;
    for statements in [
        allow.to_string(),
        format!("{allow},{deny}"),
        format!("{allow},{named}"),
        format!("{allow},{deny},{named}"),
    ] {
        let p = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        assert!(
            codes("t.json", &p, PolicyType::Identity).contains(&"GL132"),
            "{p}"
        );
    }
}

/// A source condition keeps the confused deputy out only when it names the owner: the
/// CloudFront origin-access-control bucket policy pins `AWS:SourceArn` to one distribution of
/// the bucket owner's account
/// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html>);
/// with the account field a wildcard, any customer's distribution reads the bucket. Patterns
/// that leave the account (or the bucket, for an S3 source) open are flagged; a wildcard in the
/// Region or the resource of one account is the documented form (CloudTrail,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html>).
/// (Red team 60.)
#[test]
fn a_source_pattern_that_leaves_the_owner_open_is_no_source_condition() {
    let bucket = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"cloudfront.amazonaws.com"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{cond}}}]}}"#
        )
    };
    for open in [
        r#"{"ArnLike":{"AWS:SourceArn":"arn:aws:cloudfront::*:distribution/*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::1111*:distribution/*"}}"#,
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::my-bucket-*"}}"#,
        r#"{"StringLike":{"aws:SourceArn":"arn:*"}}"#,
        r#"{"StringLike":{"aws:SourceAccount":"1111*"}}"#,
        r#"{"StringLike":{"aws:SourceOrgID":"o-*"}}"#,
        r#"{"ForAnyValue:StringLike":{"aws:SourceOrgPaths":"o-*/r-ab12/*"}}"#,
        // (an ARN without an account does not fix the owner without `aws:SourceAccount`,
        // a bucket's name least of all: red team 70a; a source key compared with its own
        // value is always true: red team 61)
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:route53:::hostedzone/*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:route53:::hostedzone/Z*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::my-bucket/*"}}"#,
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:s3:::my-bucket"}}"#,
        r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:route53:::hostedzone/Z0123456789ABC"}}"#,
        r#"{"StringEquals":{"aws:SourceAccount":"${aws:SourceAccount}"}}"#,
        // (a placeholder inside the value is text: any account's topic of that name)
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:UNKNOWN-Parameter-TopicName"}}"#,
    ] {
        let s = security("b.json", &bucket(open), PolicyType::Resource);
        assert!(s.iter().any(|m| m.starts_with("GL073")), "{open}: {s:?}");
    }
    for fixed in [
        r#"{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/*"}}"#,
        r#"{"StringLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::my-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        r#"{"StringEquals":{"aws:SourceOrgID":"o-aa111bb222"}}"#,
        // (the multi-valued organization path, read with `ForAnyValue:` as the IAM guide
        // writes it; a template's own resource, a placeholder)
        r#"{"ForAnyValue:StringLike":{"aws:SourceOrgPaths":"o-aa111bb222/r-ab12/ou-ab12-11111111/*"}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"UNKNOWN-aws_apigatewayv2_api.api.execution_arn/*/*"}}"#,
        r#"{"StringEquals":{"aws:SourceAccount":"${aws:ResourceAccount}"}}"#,
        // (the older `aws:SourceOwner`; CloudWatch Logs' documented KMS key policy,
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)
        r#"{"StringEquals":{"aws:SourceOwner":"111122223333"}}"#,
        r#"{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111122223333:log-group:*"}}"#,
    ] {
        let s = security("b.json", &bucket(fixed), PolicyType::Resource);
        assert!(!s.iter().any(|m| m.starts_with("GL073")), "{fixed}: {s:?}");
    }
}

/// API Gateway's resource policies name the API in its own short form,
/// `execute-api:/STAGE/METHOD/PATH` (API Gateway developer guide, "API Gateway resource policy
/// examples",
/// <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>):
/// not a missing `arn:` prefix in a resource policy of `execute-api` actions; still one in an
/// identity policy, or beside other services' actions. (Red team 60.)
#[test]
fn api_gateway_short_resource_form_is_read_in_its_resource_policies() {
    let private = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}},
 {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}"#;
    assert!(!codes("api.json", private, PolicyType::Resource).contains(&"GL056"));
    assert!(codes("api.json", private, PolicyType::Identity).contains(&"GL056"));
    let mixed = private.replace(
        r#""Action":"execute-api:Invoke","Resource":"execute-api:/*"}]"#,
        r#""Action":["execute-api:Invoke","s3:GetObject"],"Resource":"execute-api:/*"}]"#,
    );
    assert_ne!(mixed, private);
    assert!(codes("api.json", &mixed, PolicyType::Resource).contains(&"GL056"));
}

/// `iam:PassRole` (and `iam:CreateServiceLinkedRole`) are granted by identity-based policies
/// only: a resource policy cannot grant them (IAM's one resource policy, a role's trust policy,
/// grants `sts:` actions), so the PassRole and escalation-combination rules do not read resource
/// and trust policies. AWS's data-perimeter VPC endpoint policy (everything to the organization's
/// principals) got 38 GL098 and a GL094 (red team 70b D3).
#[test]
fn pass_role_rules_read_identity_policies_only() {
    let endpoint = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowRequestsByOrgsIdentitiesToOrgsResources","Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij","aws:ResourceOrgID":"o-abcdefghij"}}}]}"#;
    let s = security("e.json", endpoint, PolicyType::Resource);
    for code in ["GL094", "GL095", "GL096", "GL098"] {
        assert!(!s.iter().any(|m| m.starts_with(code)), "{code}: {s:?}");
    }
    let identity = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}]}"#;
    let s = security("i.json", identity, PolicyType::Identity);
    for code in ["GL094", "GL098"] {
        assert!(s.iter().any(|m| m.starts_with(code)), "{code}: {s:?}");
    }
}

/// `"Principal": "*"` bounded to AWS services only (`aws:PrincipalIsAWSService` `true`, or
/// `aws:PrincipalServiceName`) lets every such service, acting for any customer, use the
/// resource: the cross-service confused deputy of the IAM guide
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>), as a `Service`
/// principal without `aws:SourceAccount` is (red team 72: no finding, where the narrower
/// `{"Service": "cloudtrail.amazonaws.com"}` got GL073). With `aws:SourceAccount` it is quiet.
#[test]
fn everyone_bounded_to_services_needs_a_source_condition() {
    let stmt = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/AWSLogs/*","Condition":{{{cond}}}}}]}}"#
        )
    };
    for cond in [
        r#""Bool":{"aws:PrincipalIsAWSService":"true"}"#,
        r#""StringEquals":{"aws:PrincipalServiceName":"cloudtrail.amazonaws.com"}"#,
    ] {
        let p = stmt(cond);
        assert!(
            security("b.json", &p, PolicyType::Resource)
                .iter()
                .any(|f| f.starts_with("GL073")),
            "{p}"
        );
        let q = stmt(&format!(
            r#"{cond},"StringEqualsIgnoreCase":{{"aws:SourceAccount":"111122223333"}}"#
        ));
        assert!(
            !codes("b.json", &q, PolicyType::Resource).contains(&"GL073"),
            "{q}"
        );
    }
}

/// `aws:PrincipalServiceNamesList` is present only when a service principal calls, and holds
/// its names (global condition keys,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicenameslist>):
/// `"Principal": "*"` under `ForAnyValue:StringEquals` (or `StringLike`) on it is that service,
/// acting for any customer without a source condition, the cross-service confused deputy
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>), as with
/// `aws:PrincipalServiceName` (red team 73: no finding for the list form). `ForAllValues:` is
/// true when the key is absent, so it bounds nothing to services: not this rule's form.
#[test]
fn everyone_bounded_by_the_service_names_list_needs_a_source_condition() {
    let stmt = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{{{cond}}}}}]}}"#
        )
    };
    for cond in [
        r#""ForAnyValue:StringEquals":{"aws:PrincipalServiceNamesList":"cloudtrail.amazonaws.com"}"#,
        r#""ForAnyValue:StringLike":{"aws:PrincipalServiceNamesList":"cloudtrail.*"}"#,
        r#""ForAnyValue:StringEquals":{"aws:PrincipalServiceName":"cloudtrail.amazonaws.com"}"#,
    ] {
        let p = stmt(cond);
        let s = security("b.json", &p, PolicyType::Resource);
        assert!(
            s.iter()
                .any(|f| f.starts_with("GL073") && f.contains("cloudtrail")),
            "{p}: {s:?}"
        );
        let q = stmt(&format!(
            r#"{cond},"StringEquals":{{"aws:SourceAccount":"111122223333"}}"#
        ));
        assert!(
            !codes("b.json", &q, PolicyType::Resource).contains(&"GL073"),
            "{q}"
        );
    }
}

/// `iam:PassRole` on roles named by their full ARN beside an action that runs code with the
/// role is a warning, not a security finding: the principal gets the permissions of the
/// roles it is meant to pass. EC2's guide grants exactly this (`ec2:RunInstances`,
/// `ec2:AssociateIamInstanceProfile`, `ec2:ReplaceIamInstanceProfileAssociation` on `*`,
/// `iam:PassRole` on one role:
/// <https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#permission-to-pass-iam-roles>),
/// and cloudsplaining counts only actions without resource constraints. A pattern, `*`, a
/// policy variable or `NotResource` reaches roles no policy names: still security.
#[test]
fn pass_role_on_named_roles_only_is_a_warning() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:RunInstances","ec2:AssociateIamInstanceProfile","ec2:ReplaceIamInstanceProfileAssociation"],"Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/Get-pics"}]}"#;
    assert!(combinations("ec2.json", doc).is_empty());
    let out = lint_source(
        &Source::new("ec2.json", doc.to_string()),
        Some(PolicyType::Identity),
    );
    let warnings: Vec<&greenlight::lint::Finding> = out
        .findings
        .iter()
        .filter(|f| f.rule.code == "GL098")
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .all(|f| f.severity == Severity::Warning && f.message.contains("named roles only"))
    );
    for wide in [
        r#""Resource":"arn:aws:iam::123456789012:role/*""#,
        r#""Resource":"arn:aws:iam::123456789012:role/Get-*""#,
        r#""Resource":"arn:aws:iam::123456789012:role/${aws:username}""#,
        r#""Resource":["arn:aws:iam::123456789012:role/Get-pics","*"]"#,
        r#""NotResource":"arn:aws:iam::123456789012:role/Admin""#,
    ] {
        let p = doc.replace(
            r#""Resource":"arn:aws:iam::123456789012:role/Get-pics""#,
            wide,
        );
        assert!(!combinations("ec2.json", &p).is_empty(), "{wide}");
    }
    // a second Allow of PassRole on a pattern, in another statement: security
    let two = doc.replace(
        r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/Get-pics"}"#,
        r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/Get-pics"},{"Effect":"Allow","Action":"iam:Pass*","Resource":"arn:aws:iam::123456789012:role/app-*"}"#,
    );
    assert!(!combinations("ec2.json", &two).is_empty());
}

/// IAM's session-tags example trust policy allows `sts:AssumeRole` under an
/// `aws:RequestTag/...` condition in one statement and `sts:TagSession` to the same user in a
/// second one (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>,
/// "Example role trust policy for session tags"): the tag can be set, so
/// `missing-action-for-condition-key` (GL124) is silent. When the second statement allows
/// `sts:TagSession` to another principal only, the first statement's condition still cannot be
/// met by its own caller: reported.
#[test]
fn session_tags_allowed_by_another_statement_meet_the_condition() {
    let user = r#"{"AWS":"arn:aws:iam::123456789012:user/test-session-tags"}"#;
    let doc = |tag_to: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{user},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:RequestTag/Department":"Engineering"}}}}}},{{"Effect":"Allow","Principal":{tag_to},"Action":"sts:TagSession"}}]}}"#
        )
    };
    assert!(!codes("t.json", &doc(user), PolicyType::Trust).contains(&"GL124"));
    assert!(
        codes(
            "t.json",
            &doc(r#"{"AWS":"arn:aws:iam::123456789012:user/other"}"#),
            PolicyType::Trust
        )
        .contains(&"GL124")
    );
}

/// Access Analyzer's own policy-generation page grants to `"Principal": {"AWS": "*"}` bounded
/// by `aws:PrincipalOrgID`, with `${aws:PrincipalAccount}` in the bucket policy's `Resource`
/// and, in the key policy, in a `StringLike` on `aws:PrincipalArn`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html>).
/// The organization bounds the caller whatever the variable's value: neither is public
/// (GL093), and `${aws:PrincipalAccount}` (an account ID: one field, no colon) before the
/// fifth colon leaves `StringLike` and `ArnLike` alike (GL103 a suggestion). With the
/// organization condition `...IfExists` both are public; a variable that may hold a colon
/// (`${aws:userid}`) still makes GL103 a security finding.
#[test]
fn access_analyzer_generation_examples_are_not_public() {
    let bucket = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::DOC-EXAMPLE-BUCKET/AWSLogs/${aws:PrincipalAccount}/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#;
    let key = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"StringLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:role/service-role/AccessAnalyzerMonitorServiceRole*"}}}]}"#;
    for p in [bucket, key] {
        assert!(
            security("p.json", p, PolicyType::Resource).is_empty(),
            "{p}"
        );
        // (`...IfExists`: a caller without an organization, anonymous, passes)
        let open = p.replace(
            r#""StringEquals":{"aws:PrincipalOrgID""#,
            r#""StringEqualsIfExists":{"aws:PrincipalOrgID""#,
        );
        assert!(
            security("p.json", &open, PolicyType::Resource)
                .iter()
                .any(|m| m.starts_with("GL093")),
            "{open}"
        );
    }
    let userid = key.replace("${aws:PrincipalAccount}", "${aws:userid}");
    assert!(
        security("p.json", &userid, PolicyType::Resource)
            .iter()
            .any(|m| m.starts_with("GL103"))
    );
}

/// The Organizations example SCP "Prevent IAM changes except for an admin role" denies with
/// `StringNotLike` on `aws:PrincipalARN` `arn:aws:iam::*:role/[role-name]`
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html>).
/// A principal's ARN has exactly five colons, so against a value with five literal colons a
/// `*` cannot run across one: `StringNotLike` and `ArnNotLike` deny the same principals, and
/// GL103 is a suggestion. A resource ARN key (`aws:SourceArn`) keeps the security finding.
#[test]
fn principal_arn_with_five_literal_colons_is_style_only() {
    let scp = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAccessWithException","Effect":"Deny","Action":["iam:AttachRolePolicy","iam:DeleteRole","iam:PutRolePolicy","iam:UpdateRole"],"Resource":["arn:aws:iam::*:role/name-of-role-to-deny"],"Condition":{"StringNotLike":{"aws:PrincipalARN":["arn:aws:iam::*:role/name-of-admin-role-to-allow"]}}}]}"#;
    assert!(security("scp.json", scp, PolicyType::Scp).is_empty());
    assert!(codes("scp.json", scp, PolicyType::Scp).contains(&"GL103"));
    let source = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:SendMessage","Resource":"*","Condition":{"StringNotLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic"}}}]}"#;
    assert!(
        security("s.json", source, PolicyType::Identity)
            .iter()
            .any(|m| m.starts_with("GL103"))
    );
    // Four literal colons and a variable that may hold a fifth (a tag value is any text):
    // a `*` may then run across a colon, so the loosened `Allow` stays security.
    let tagged = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam:${aws:PrincipalTag/a}:role/*"}}}]}"#;
    assert!(
        security("t.json", tagged, PolicyType::Identity)
            .iter()
            .any(|m| m.starts_with("GL103")),
        "{:?}",
        codes("t.json", tagged, PolicyType::Identity)
    );
}

/// The IAM guide's trust policies for Login with Facebook and Login with Amazon pin `app_id`,
/// the audience key of those providers ("The `graph.facebook.com:app_id` field supplies the
/// audience context that matches the aud field used by other identity providers": IAM,
/// "Available keys for AWS web identity federation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>;
/// the policies: <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>):
/// no security finding (red team 73: GL072 said anyone who can sign in could assume them).
/// Keys those providers never send (`aud`, `sub`) are absent: `...IfExists` and
/// `ForAllValues:` on them let anyone who signs in assume the role (GL072), and
/// `ForAllValues:` on a single-valued web-identity key is GL105.
#[test]
fn web_identity_audience_keys_per_provider() {
    let trust = |federated: &str, condition: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{federated}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
        )
    };
    for (federated, condition) in [
        (
            "graph.facebook.com",
            r#"{"StringEquals":{"graph.facebook.com:app_id":"111222333444555"}}"#,
        ),
        (
            "www.amazon.com",
            r#"{"StringEquals":{"www.amazon.com:app_id":"amzn1.application-oa2-123456"}}"#,
        ),
        (
            "accounts.google.com",
            r#"{"StringEquals":{"accounts.google.com:aud":"66677788899900pro0"}}"#,
        ),
        (
            "cognito-identity.amazonaws.com",
            r#"{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}"#,
        ),
    ] {
        let p = trust(federated, condition);
        assert_eq!(
            security("t.json", &p, PolicyType::Trust),
            Vec::<String>::new(),
            "{federated}"
        );
    }
    let fb = trust(
        "graph.facebook.com",
        r#"{"StringEqualsIfExists":{"graph.facebook.com:aud":"111222333444555"}}"#,
    );
    let found = security("t.json", &fb, PolicyType::Trust);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("GL072") && f.contains("graph.facebook.com")),
        "{found:?}"
    );
    let lwa = trust(
        "www.amazon.com",
        r#"{"ForAllValues:StringEquals":{"www.amazon.com:aud":"amzn1.application-oa2-123456"}}"#,
    );
    let c = codes("t.json", &lwa, PolicyType::Trust);
    assert!(c.contains(&"GL072") && c.contains(&"GL105"), "{c:?}");
    // the help names the key that bounds the caller: `app_id`, not `aud`
    let out = lint_source(&Source::new("t.json", lwa), Some(PolicyType::Trust));
    let gl072 = out
        .findings
        .iter()
        .find(|f| f.rule.code == "GL072")
        .unwrap();
    let help = gl072.help.as_deref().unwrap_or_default();
    assert!(help.contains("`www.amazon.com:app_id`"), "{help}");
    // Cognito's `amr` is multivalued: `ForAllValues:` on it is no GL105
    let pool = trust(
        "cognito-identity.amazonaws.com",
        r#"{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},"ForAllValues:StringEquals":{"cognito-identity.amazonaws.com:amr":["authenticated","graph.facebook.com"]}}"#,
    );
    assert!(!codes("t.json", &pool, PolicyType::Trust).contains(&"GL105"));
}

/// A `Deny` guardrail that a request escapes by a key nothing else reads (the IAM guide's
/// "deny access to AWS based on the requested Region",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-requested-region.html>;
/// `aws:SecureTransport` `false`; `aws:MultiFactorAuthPresent` `false`) takes nothing away from
/// "some request is allowed": the risk categories and full admin read such a policy as they
/// read it without the `Deny`. A resource-tag condition tied to the caller's tag (ABAC) names
/// the resources with or without the guardrail (it was GL132 with the guardrail only). Where
/// another statement reads the same key, the guardrail is decided with it.
#[test]
fn deny_guardrails_a_request_escapes_take_nothing_away() {
    let region_deny = r#"{"Sid":"DenyOtherRegions","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-west-2","eu-central-1"]}}}"#;
    let policy = |statements: &[&str]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        )
    };
    let abac = r#"{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],"Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}"#;
    for p in [policy(&[abac]), policy(&[abac, region_deny])] {
        let c = codes("p.json", &p, PolicyType::Identity);
        assert!(!c.contains(&"GL132"), "{p}: {c:?}");
    }
    // granted in the Regions the guardrail leaves open
    let open =
        r#"{"Effect":"Allow","Action":["ec2:StartInstances","s3:PutBucketPolicy"],"Resource":"*"}"#;
    let tls = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#;
    let mfa = r#"{"Effect":"Deny","NotAction":"iam:ListUsers","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#;
    for p in [
        policy(&[open, region_deny]),
        policy(&[tls, open]),
        policy(&[open, mfa, region_deny]),
    ] {
        let c = codes("p.json", &p, PolicyType::Identity);
        assert!(c.contains(&"GL131") && c.contains(&"GL132"), "{p}: {c:?}");
    }
    let admin = policy(&[
        region_deny,
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    ]);
    assert!(
        security("a.json", &admin, PolicyType::Identity)
            .iter()
            .any(|m| m.starts_with("GL089")),
        "{admin}"
    );
    // another statement reads the key: an `Allow` only in a Region the guardrail denies, or a
    // second `Deny` on the Regions the first leaves open, grants nothing
    let elsewhere = r#"{"Effect":"Allow","Action":["ec2:StartInstances","s3:PutBucketPolicy"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"ap-south-1"}}}"#;
    let rest = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["us-west-2","eu-central-1"]}}}"#;
    for p in [
        policy(&[elsewhere, region_deny]),
        policy(&[open, region_deny, rest]),
    ] {
        let c = codes("p.json", &p, PolicyType::Identity);
        assert!(!c.contains(&"GL131") && !c.contains(&"GL132"), "{p}: {c:?}");
    }
    let admin_nowhere = policy(&[
        region_deny,
        rest,
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    ]);
    assert!(
        !security("a.json", &admin_nowhere, PolicyType::Identity)
            .iter()
            .any(|m| m.starts_with("GL089")),
        "{admin_nowhere}"
    );
}

/// Requests made with an IAM user's long-term access keys carry no
/// `aws:MultiFactorAuthPresent` (IAM global condition keys, "Not present"): a `Deny` with
/// `Bool` `false` skips them and an `Allow` with `BoolIfExists` `true` grants them (AWS
/// knowledge center, <https://repost.aws/knowledge-center/mfa-iam-user-aws-cli>: the policy
/// "works with the console but not with the AWS CLI"). The forms that cover them — the IAM
/// guide's MFA self-management `Deny` with `BoolIfExists` `false`, an `Allow` with `Bool`
/// `true`, a `Null` `true` `Deny` beside the `Bool` one that denies all it does — are not
/// flagged; a narrower `Null` `Deny` (one action, one bucket, one Region) leaves the long-term
/// keys' other requests through, and is.
#[test]
fn mfa_conditions_that_miss_long_term_keys() {
    let policy = |effect: &str, op: &str, value: &str, extra: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","NotAction":["iam:ListMFADevices","sts:GetSessionToken"],"Resource":"*","Condition":{{"{op}":{{"aws:MultiFactorAuthPresent":"{value}"}}}}}}{extra}]}}"#
        )
    };
    let null_deny = r#",{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthPresent":"true"}}}"#;
    for (p, flagged) in [
        (policy("Deny", "Bool", "false", ""), true),
        (policy("Deny", "Bool", "False", ""), true),
        (policy("Allow", "BoolIfExists", "true", ""), true),
        (policy("Deny", "BoolIfExists", "false", ""), false),
        (policy("Allow", "Bool", "true", ""), false),
        (policy("Deny", "Bool", "false", null_deny), false),
        (policy("Deny", "Bool", "true", ""), false),
    ] {
        let c = codes("p.json", &p, PolicyType::Identity);
        assert_eq!(c.contains(&"GL134"), flagged, "{p}: {c:?}");
    }
    // a `Deny` on requests without the key leaves the `Bool` one alone only where it denies
    // everything that one would (its actions, resources and principals, no other condition)
    let absent = |effect_block: &str, resource: &str, extra: &str| {
        format!(
            r#",{{"Effect":"Deny",{effect_block},"Resource":{resource},"Condition":{{"Null":{{"aws:MultiFactorAuthPresent":"true"}}{extra}}}}}"#
        )
    };
    for (extra, flagged) in [
        // one action only
        (absent(r#""Action":"s3:GetObject""#, r#""*""#, ""), true),
        // a narrower resource
        (
            absent(r#""Action":"*""#, r#""arn:aws:s3:::example-bucket/*""#, ""),
            true,
        ),
        // another condition (it applies in one Region only)
        (
            absent(
                r#""Action":"*""#,
                r#""*""#,
                r#","StringEquals":{"aws:RequestedRegion":"eu-west-1"}"#,
            ),
            true,
        ),
        // every action but fewer exceptions: it denies more
        (
            absent(r#""NotAction":"iam:ListMFADevices""#, r#""*""#, ""),
            false,
        ),
        // `*` among its actions and its resources
        (
            absent(
                r#""Action":["iam:ListUsers","*"]"#,
                r#"["arn:aws:s3:::example-bucket/*","*"]"#,
                "",
            ),
            false,
        ),
    ] {
        let p = policy("Deny", "Bool", "false", &extra);
        let c = codes("p.json", &p, PolicyType::Identity);
        assert_eq!(c.contains(&"GL134"), flagged, "{p}: {c:?}");
    }
    // a `Bool` `Deny` of some actions: a `Null` one of a pattern that holds them all covers it
    for (pattern, flagged) in [("s3:*", false), ("S3:*Object", false), ("s3:Get*", true)] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"false"}}}}}},{{"Effect":"Deny","Action":"{pattern}","Resource":"*","Condition":{{"Null":{{"aws:MultiFactorAuthPresent":"true"}}}}}}]}}"#
        );
        let c = codes("p.json", &p, PolicyType::Identity);
        assert_eq!(c.contains(&"GL134"), flagged, "{p}: {c:?}");
    }
    // a role trust policy that means to require MFA of the caller
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
    assert!(codes("t.json", trust, PolicyType::Trust).contains(&"GL134"));
}

/// Only `"Principal": "*"` and `{"AWS": "*"}` name everyone (IAM, "AWS JSON policy elements:
/// Principal"); `*` under `Service`, `Federated` or `CanonicalUser` is no principal, and
/// `verify` rejects it: `lint` reports it (GL066, an error) instead of passing the policy.
#[test]
fn a_wildcard_under_another_principal_key_is_an_error() {
    for key in ["CanonicalUser", "Service", "Federated"] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"{key}":"*"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}}]}}"#
        );
        let c = codes("b.json", &p, PolicyType::Resource);
        assert!(c.contains(&"GL066"), "{key}: {c:?}");
    }
    let everyone = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#;
    assert!(!codes("b.json", everyone, PolicyType::Resource).contains(&"GL066"));
}

/// A principal that may set its own tags chooses what `aws:PrincipalTag` conditions allow
/// (IAM, "Controlling access for IAM principals" with tags; "Tag IAM users"): GL135 flags a
/// policy that reads `aws:PrincipalTag/K` and effectively allows `iam:TagUser`/`iam:TagRole`
/// with key `K` on a user or role it does not name, or on the caller's own user
/// (`user/${aws:username}`). The IAM guide's "manage a specific tag"
/// example (`aws:TagKeys` on another key), a key pattern that does not match, a value pinned
/// to the caller's own tag, named users only, or a `Deny` on tagging are not flagged.
#[test]
fn a_principal_that_can_retag_itself_defeats_abac() {
    let abac = r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/project":"${aws:PrincipalTag/project}"}}}"#;
    let policy =
        |tagging: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{abac},{tagging}]}}"#);
    for (tagging, flagged) in [
        (
            r#"{"Effect":"Allow","Action":["iam:TagUser","iam:TagRole"],"Resource":"*"}"#,
            true,
        ),
        (
            r#"{"Effect":"Allow","Action":"iam:Tag*","Resource":"arn:aws:iam::111122223333:role/*"}"#,
            true,
        ),
        (
            r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#,
            true,
        ),
        // a key pattern that matches the trusted key
        (
            r#"{"Effect":"Allow","Action":"iam:TagRole","Resource":"*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":"proj*"}}}"#,
            true,
        ),
        // the IAM guide's "manage a specific tag": another key only
        (
            r#"{"Effect":"Allow","Action":["iam:TagUser","iam:TagRole"],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}}"#,
            false,
        ),
        // the value pinned to the caller's own
        (
            r#"{"Effect":"Allow","Action":"iam:TagRole","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/project":"${aws:PrincipalTag/project}"}}}"#,
            false,
        ),
        // one named role
        (
            r#"{"Effect":"Allow","Action":"iam:TagRole","Resource":"arn:aws:iam::111122223333:role/build-agent"}"#,
            false,
        ),
        // tagging denied
        (
            r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":["iam:TagUser","iam:TagRole"],"Resource":"*"}"#,
            false,
        ),
        // no tagging at all
        (
            r#"{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}"#,
            false,
        ),
        // the caller's own user, through its name
        (
            r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#,
            true,
        ),
        (
            r#"{"Effect":"Allow","Action":["iam:TagUser","iam:UntagUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"}"#,
            true,
        ),
        (
            r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"arn:aws:iam::111122223333:user/${aws:username}","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}}"#,
            false,
        ),
        // another named user
        (
            r#"{"Effect":"Allow","Action":"iam:TagUser","Resource":"arn:aws:iam::111122223333:user/build-agent"}"#,
            false,
        ),
    ] {
        let p = policy(tagging);
        let c = codes("p.json", &p, PolicyType::Identity);
        assert_eq!(c.contains(&"GL135"), flagged, "{p}: {c:?}");
    }
    // no tag-based condition: tagging alone is no escalation of this kind
    let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:TagUser","iam:TagRole"],"Resource":"*"}]}"#;
    assert!(!codes("p.json", plain, PolicyType::Identity).contains(&"GL135"));
}
