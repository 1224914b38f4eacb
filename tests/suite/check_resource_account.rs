//! `aws:ResourceAccount` in `check` and `scan` requests whose resource ARN has no account
//! field (S3 buckets and objects, `arn:aws:s3:::bucket/key`) or is `*`. AWS includes the key
//! for most service actions
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>),
//! and the data perimeter guidance
//! (<https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/>)
//! recommends SCPs that deny requests whose `aws:ResourceAccount` is not the organization's.
//! The profiles model their resources in the profile's account, so when that account is known
//! the key is that account. Before, the key was absent for such resources, and the
//! recommended SCP read as denying the CodeDeploy role's `s3:GetObject` (red-team pass 5).

use crate::support::cli::*;

fn fx(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// `check --format json` of the CodeDeploy service role profile with S3 revisions: exit code
/// and the denied actions.
fn denied_actions(extra: &[&str], scp: &str) -> (i32, Vec<String>) {
    let perms = fx("aws/AWSCodeDeployRoleForECS.json");
    let scp = fx(&format!("check/resource-account/{scp}"));
    let mut args = vec![
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--param",
        "s3_revisions=true",
        "--format",
        "json",
        "--scp",
        &scp,
    ];
    args.extend_from_slice(extra);
    args.push(&perms);
    let (code, out, err) = gl(&args);
    assert!(code == 0 || code == 1, "{out}{err}");
    let doc = json(&out);
    let mut v = Vec::new();
    for r in doc["profiles"][0]["requirements"].as_array().unwrap() {
        if r["decision"] == "explicitDeny" {
            v.push(r["action"].as_str().unwrap().to_string());
        }
    }
    (code, v)
}

#[test]
fn the_data_perimeter_scp_allows_the_profiles_own_bucket_when_the_account_is_known() {
    for scp in [
        "scp-deny-s3-outside-account.json",
        "scp-deny-all-outside-account.json",
    ] {
        // `arn:aws:s3:::my-codedeploy-revisions/appspec.yaml` (no account field) and the `*`
        // of `cloudwatch:DescribeAlarms` / `elasticloadbalancing:Describe*` are in the
        // profile's account 123456789012, as the SCP requires.
        let (code, denied) = denied_actions(&["--param", "account=123456789012"], scp);
        assert_eq!((code, denied), (0, Vec::<String>::new()), "{scp}");
    }
}

#[test]
fn the_account_is_not_invented_when_it_is_not_known() {
    // Without `--param account=` the profile's account is the documentation's example
    // account, not the caller's: the key stays absent for the S3 object, and
    // `StringNotEquals` on an absent key matches, so the `Deny` applies as in AWS.
    let (code, denied) = denied_actions(&[], "scp-deny-s3-outside-account.json");
    assert_eq!(code, 1);
    assert_eq!(denied, ["s3:GetObject", "s3:GetObjectVersion"]);
    // Another known account than the SCP's: denied.
    let (code, denied) = denied_actions(
        &["--param", "account=444455556666"],
        "scp-deny-s3-outside-account.json",
    );
    assert_eq!(code, 1);
    assert_eq!(denied, ["s3:GetObject", "s3:GetObjectVersion"]);
}

#[test]
fn scan_sets_the_principals_account_for_s3_objects() {
    // The role's account (from its ARN) is the profile's account in a scan.
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &fx("check/resource-account/authz-codedeploy-role-deny-outside.json"),
        "--profile",
        "ecs-codedeploy-service-role",
        "--param",
        "s3_revisions=true",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let doc = json(&out);
    let p = &doc["principals"][0];
    assert_eq!(p["name"], "cd");
    assert_eq!(p["status"], "complete", "{p}");
    assert_eq!(p["denied"], serde_json::json!([]));
}
