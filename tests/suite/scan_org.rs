//! `scan --scp` and `scan --rcp`: the organization policies that apply to every principal of
//! the scanned account (or template), as `check --scp`/`--rcp` apply them to one. An SCP
//! must allow a request and none may deny it
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>);
//! an RCP's `Deny` restricts the requests to the services RCPs support, `sts:AssumeRole` among
//! them (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>).

use crate::support::cli::*;

use serde_json::Value;

const AUTHZ: &str = "tests/fixtures/authz/small.json.gz";

fn scan(extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "scan",
        "--authorization-details",
        AUTHZ,
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = gl(&args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn complete(v: &Value) -> Vec<String> {
    v["principals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "complete")
        .map(|p| p["arn"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_scp_deny_leaves_no_principal_complete() {
    let (_, v) = scan(&[]);
    let before = complete(&v);
    assert!(!before.is_empty(), "the fixture plants complete principals");
    let d = tempfile::tempdir().unwrap();
    // the deny-list strategy: FullAWSAccess and one Deny
    let scp = write(
        d.path(),
        "scp.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Sid": "NoNewDeploymentGroups", "Effect": "Deny", "Action": "codedeploy:CreateDeploymentGroup", "Resource": "*"}
]}"#,
    );
    let (code, v) = scan(&["--scp", &scp]);
    assert_eq!(code, 1);
    assert!(complete(&v).is_empty(), "{:?}", complete(&v));
    for p in v["principals"].as_array().unwrap() {
        if !before.contains(&p["arn"].as_str().unwrap().to_string()) {
            continue;
        }
        assert_eq!(p["gaps"], 1, "{p}");
        let b = &p["blocked"][0];
        assert_eq!(b["action"], "codedeploy:CreateDeploymentGroup", "{p}");
        assert_eq!(b["blockedBy"], "explicitDeny", "{p}");
        assert!(
            b["blockedByDetail"]
                .as_str()
                .unwrap()
                .contains("service control policy"),
            "{p}"
        );
    }
    // an allow-list SCP that does not allow CodeDeploy: nothing of it is allowed
    let scp = write(
        d.path(),
        "allow-list.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:*", "iam:*", "sns:*", "cloudwatch:*", "lambda:*", "ecs:*"], "Resource": "*"}
]}"#,
    );
    let (code, v) = scan(&["--scp", &scp]);
    assert_eq!(code, 1);
    assert!(complete(&v).is_empty());
    let p = v["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["arn"] == before[0].as_str())
        .unwrap();
    assert!(
        p["gaps"].as_u64().unwrap() >= 20,
        "every codedeploy action is a gap: {p}"
    );
    // an SCP that allows everything changes nothing
    let scp = write(
        d.path(),
        "full.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let (_, v) = scan(&["--scp", &scp]);
    assert_eq!(complete(&v), before);
}

/// A CodeDeploy service role of a template: complete; under an RCP that denies
/// `sts:AssumeRole` to service principals its trust requirement is denied.
#[test]
fn an_rcp_denies_the_trust_of_a_template_role() {
    let d = tempfile::tempdir().unwrap();
    let t = write(
        d.path(),
        "template.yaml",
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  CodeDeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: codedeploy.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS
"#,
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            "--template",
            t.as_str(),
            "--account",
            "111122223333",
            "--profile",
            "ecs-codedeploy-service-role",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let (code, out, err) = gl(&args);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        (code, v)
    };
    let (code, v) = run(&[]);
    assert_eq!(code, 0, "{v}");
    let rcp = format!(
        "{}/tests/fixtures/check/rcp/deny-assume-role.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, v) = run(&["--rcp", &rcp]);
    assert_eq!(code, 1, "{v}");
    let row = &v["principals"][0];
    assert_eq!(row["status"], "gaps", "{v}");
    let trust = &row["report"]["profiles"][0]["trust"];
    assert_eq!(trust["blockedBy"], "explicitDeny", "{v}");
    assert!(
        trust["blockedByDetail"]
            .as_str()
            .unwrap()
            .contains("resource control policy"),
        "{v}"
    );
}

/// The principal's own tags are `aws:PrincipalTag/*` in its requests
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag>):
/// an SCP that freezes ECS for principals tagged `env=prod` denies the prod role, not the dev
/// one (red team 32: both were complete). From an account and from a template.
#[test]
fn principal_tags_reach_the_scp() {
    let d = tempfile::tempdir().unwrap();
    let trust = r#"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"codedeploy.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}"#;
    let role = |name: &str, env: &str| {
        format!(
            r#"{{"RoleName": "{name}", "Arn": "arn:aws:iam::111122223333:role/{name}", "AssumeRolePolicyDocument": "{trust}", "RolePolicyList": [], "AttachedManagedPolicies": [{{"PolicyName": "AWSCodeDeployRoleForECS", "PolicyArn": "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"}}], "Tags": [{{"Key": "env", "Value": "{env}"}}]}}"#
        )
    };
    let authz = write(
        d.path(),
        "account.json",
        &format!(
            r#"{{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [{}, {}], "Policies": []}}"#,
            role("deploy-prod", "prod"),
            role("deploy-dev", "dev")
        ),
    );
    let scp = write(
        d.path(),
        "freeze.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Sid": "FreezeProd", "Effect": "Deny", "Action": "ecs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/env": "prod"}}}
]}"#,
    );
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &authz,
        "--profile",
        "ecs-codedeploy-service-role",
        "--scp",
        &scp,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let status = |name: &str| {
        v["principals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status("deploy-prod"), "gaps", "{out}");
    assert_eq!(status("deploy-dev"), "complete", "{out}");
    // without the SCP both are complete
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &authz,
        "--profile",
        "ecs-codedeploy-service-role",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // a template role's `Tags`
    let t = write(
        d.path(),
        "t.yaml",
        r#"Resources:
  Deploy:
    Type: AWS::IAM::Role
    Properties:
      Tags: [{Key: env, Value: prod}]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: codedeploy.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS]
"#,
    );
    let (code, out, err) = gl(&[
        "check",
        "--template",
        &t,
        "--role",
        "Deploy",
        "--profile",
        "ecs-codedeploy-service-role",
        "--scp",
        &scp,
    ]);
    assert_eq!(code, 1, "{out}{err}");
}

/// The scan's fast path asks whether a trust policy is open the way `check` does (the exact
/// analysis too): a role trusting `{"AWS": "*"}` under `aws:PrincipalOrgID` equal to a tag the
/// caller sets is not complete, the same-organization form is.
#[test]
fn scan_decides_trust_openness_as_check_does() {
    let d = tempfile::tempdir().unwrap();
    let trust = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"codedeploy.amazonaws.com"}},"Action":"sts:AssumeRole"}},{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:PrincipalOrgID":"{cond}"}}}}}}]}}"#
        )
    };
    let role = |name: &str, cond: &str| {
        serde_json::json!({
            "RoleName": name,
            "Arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "AssumeRolePolicyDocument": trust(cond),
            "RolePolicyList": [],
            "AttachedManagedPolicies": [{"PolicyName": "AWSCodeDeployRoleForECS", "PolicyArn": "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"}]
        })
    };
    let authz = write(
        d.path(),
        "account.json",
        &serde_json::json!({
            "UserDetailList": [], "GroupDetailList": [], "Policies": [],
            "RoleDetailList": [role("tagged", "${aws:PrincipalTag/org}"), role("same-org", "${aws:ResourceOrgID}")]
        })
        .to_string(),
    );
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &authz,
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let status = |name: &str| {
        v["principals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["arn"].as_str().unwrap().ends_with(name))
            .map(|p| p["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status("/tagged"), "gaps", "{out}");
    assert_eq!(status("/same-org"), "complete", "{out}");
}
