use super::*;
use crate::parse::parse_policy;

fn policy(name: &str, text: &str) -> Policy {
    parse_policy(&Source::new(name, text)).unwrap()
}

#[test]
fn trust_without_source_condition_is_a_warning_not_a_gap() {
    // The ECS guide's ecsCodeDeployRole trust policy: no aws:SourceAccount / aws:SourceArn.
    let trust = policy(
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow",
            "Principal": {"Service": ["codedeploy.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}"#,
    );
    let identity = policy(
        "all.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let p = profiles::get("ecs-codedeploy-service-role").unwrap();
    let principal = PrincipalPolicies {
        identity: vec![identity],
        trust: Some(trust),
        ..Default::default()
    };
    let r = check_principal(p, &principal, &BTreeMap::new()).unwrap();
    let t = r.trust.as_ref().unwrap();
    assert_eq!(t.decision, Decision::Allowed);
    assert_eq!(t.warnings.len(), 1);
    assert_eq!(t.warnings[0].code, "trust-without-source-condition");
    assert_eq!(r.gaps(), 0);
}

#[test]
fn trust_with_source_account_has_no_warning() {
    let trust = policy(
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}"#,
    );
    let p = profiles::get("ecs-codedeploy-service-role").unwrap();
    let params = p
        .resolve_params(
            &[("account".to_string(), "111122223333".to_string())].into(),
            None,
        )
        .unwrap();
    let t = check_trust(p, &trust, &params).unwrap().unwrap();
    assert_eq!(t.decision, Decision::Allowed);
    assert!(t.warnings.is_empty());
    // Another account: the trust requirement is a gap.
    let params = p.resolve_params(&BTreeMap::new(), None).unwrap();
    let t = check_trust(p, &trust, &params).unwrap().unwrap();
    assert_eq!(t.decision, Decision::ImplicitDeny);
}

#[test]
fn account_comes_from_the_principal_when_known() {
    let identity = policy(
        "inline",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::444455556666:role/*"}]}"#,
    );
    let p = profiles::get("ecs-bluegreen-codedeploy-user").unwrap();
    let principal = PrincipalPolicies {
        identity: vec![identity],
        arn: Some("arn:aws:iam::444455556666:user/deployer".into()),
        account: Some("444455556666".into()),
        ..Default::default()
    };
    let r = check_principal(p, &principal, &BTreeMap::new()).unwrap();
    assert_eq!(r.count(Decision::Allowed), 3);
    let pass = r
        .requirements
        .iter()
        .find(|q| q.action == "iam:PassRole")
        .unwrap();
    assert_eq!(pass.matched[0].policy, "inline");
    assert_eq!(pass.context["aws:PrincipalAccount"], ["444455556666"]);
}

#[test]
fn wildcard_requirements_expand_through_the_catalog() {
    let p = profiles::get("ecs-bluegreen-console-update-service").unwrap();
    let params = p.resolve_params(&BTreeMap::new(), None).unwrap();
    let reqs = expand_requests(p, &p.requests(&params).unwrap()).unwrap();
    let list: Vec<&str> = reqs
        .iter()
        .filter(|r| r.profile_action == "ecs:List*")
        .map(|r| r.action.as_str())
        .collect();
    assert!(list.contains(&"ecs:ListClusters"));
    assert!(list.contains(&"ecs:ListServices"));
    assert!(list.iter().all(|a| a.starts_with("ecs:List")));
    // cloudwatch:DescribeAlarms is in both the example and the included profile: the
    // console asks for it on the alarm ARN (the catalog's resource type, issue 10 section 4),
    // the included user profile (the guide's list, on `*`) on `*`.
    let mut alarms: Vec<&str> = reqs
        .iter()
        .filter(|r| r.action == "cloudwatch:DescribeAlarms")
        .map(|r| r.resource.as_str())
        .collect();
    alarms.sort_unstable();
    assert_eq!(
        alarms,
        [
            "*",
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:example"
        ]
    );
}

/// `aws:TokenIssueTime` comes only with temporary credentials (IAM global condition keys,
/// "aws:TokenIssueTime": "only included in the request context when the principal uses
/// temporary credentials"): the note does not say AWS always sends it.
#[test]
fn the_token_issue_time_is_not_said_to_be_always_sent() {
    let why =
        unproven_because(&["aws:TokenIssueTime".to_string(), "aws:SourceIp".to_string()]).unwrap();
    assert!(
        why.contains("`aws:SourceIp`, which AWS always sends"),
        "{why}"
    );
    assert!(
        why.contains("`aws:TokenIssueTime`, which AWS sends with every request signed with temporary credentials"),
        "{why}"
    );
    assert!(
        !why.contains("`aws:TokenIssueTime`, which AWS always"),
        "{why}"
    );
    assert_eq!(unproven_because(&["aws:username".to_string()]), None);
}
