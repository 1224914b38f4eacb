//! First contact (issue 10, section 8): `check` warns about actions of the principal's policies
//! that do not exist, with "did you mean"; a role trust policy given where an identity policy,
//! boundary or SCP belongs is named as such instead of failing on the missing `Resource`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const USER: &str = "ecs-bluegreen-codedeploy-user";
const ROLE: &str = "ecs-codedeploy-service-role";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fx(rel: &str) -> String {
    root().join(rel).to_string_lossy().into_owned()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn scratch(name: &str, text: &str) -> String {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-warnings");
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The ECS guide's blue/green permissions
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html,
/// shipped as policies/examples/ecs-bluegreen-seed.json) with one action misspelt.
fn seed_with(from: &str, to: &str) -> String {
    let seed = std::fs::read_to_string(fx("policies/examples/ecs-bluegreen-seed.json")).unwrap();
    assert!(seed.contains(from));
    seed.replacen(from, to, 1)
}

fn gaps(doc: &Value) -> Vec<String> {
    doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] != "allowed")
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect()
}

/// IAM accepts a policy naming an action that does not exist and grants nothing with it;
/// Access Analyzer's policy validation reports it as `INVALID_SERVICE_IN_ACTION` /
/// `INVALID_ACTION`
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
#[test]
fn a_misspelt_service_prefix_is_a_warning_with_did_you_mean() {
    let typo = scratch(
        "typo-service.json",
        &seed_with(
            "codedeploy:CreateDeployment\"",
            "codedpeloy:CreateDeployment\"",
        ),
    );
    let r = run(&["check", "--profile", USER, &typo, "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    // The decision does not change: the misspelt action grants nothing.
    assert!(gaps(&v).contains(&"codedeploy:CreateDeployment".to_string()));
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0]["code"], "unknown-service");
    assert_eq!(w[0]["rule"], "GL099");
    assert_eq!(w[0]["action"], "codedpeloy:CreateDeployment");
    assert_eq!(w[0]["didYouMean"], "codedeploy:CreateDeployment");
    assert_eq!(w[0]["file"], typo.as_str());
    assert_eq!(w[0]["policyType"], "identity");
    assert_eq!(w[0]["line"], 1);
    assert!(w[0]["sid"].is_null());

    let r = run(&["check", "--profile", USER, &typo]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("warning[unknown-service]")
            && r.stdout
                .contains("did you mean `codedeploy:CreateDeployment`?"),
        "{}",
        r.stdout
    );
    let sarif = run(&["check", "--profile", USER, &typo, "--format", "sarif"]);
    let v: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let w = results
        .iter()
        .find(|x| x["ruleId"] == "unknown-service")
        .expect("a SARIF result for the warning");
    assert_eq!(w["level"], "warning");
    assert_eq!(w["properties"]["didYouMean"], "codedeploy:CreateDeployment");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "unknown-service"));
}

#[test]
fn a_misspelt_action_name_is_a_warning_with_did_you_mean() {
    let typo = scratch(
        "typo-action.json",
        &seed_with("codedeploy:GetDeployment\"", "codedeploy:GetDeploymnet\""),
    );
    let r = run(&["check", "--profile", USER, &typo, "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(gaps(&v).contains(&"codedeploy:GetDeployment".to_string()));
    let w = &v["warnings"][0];
    assert_eq!(w["code"], "unknown-action");
    assert_eq!(w["rule"], "GL100");
    assert_eq!(w["didYouMean"], "codedeploy:GetDeployment");
}

#[test]
fn a_clean_policy_has_no_warnings() {
    let seed = fx("policies/examples/ecs-bluegreen-seed.json");
    let r = run(&["check", "--profile", USER, &seed, "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["warnings"], serde_json::json!([]));
    let r = run(&["check", "--profile", USER, &seed]);
    assert!(!r.stdout.contains("warning["), "{}", r.stdout);
}

/// A misspelt action in a boundary's Deny denies nothing (IAM evaluation logic: a Deny applies
/// only to the actions it matches,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
/// The warnings are about the principal, so they appear once, however many profiles run.
#[test]
fn warnings_cover_the_boundary_and_appear_once_for_several_profiles() {
    let boundary = scratch(
        "boundary-typo.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Sid": "NoDelete", "Effect": "Deny", "Action": "codedeploy:DeleteAplication", "Resource": "*"}
]}"#,
    );
    let complete = fx("tests/fixtures/check/user-complete.json");
    let r = run(&[
        "check",
        "--profile",
        USER,
        "--profile",
        "ecs-native-bluegreen-user",
        &complete,
        "--boundary",
        &boundary,
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0]["policyType"], "boundary");
    assert_eq!(w[0]["sid"], "NoDelete");
    assert_eq!(w[0]["line"], 3);
    assert_eq!(w[0]["didYouMean"], "codedeploy:DeleteApplication");
    assert!(
        w[0]["message"]
            .as_str()
            .unwrap()
            .contains("this Deny protects nothing")
    );
    for p in v["profiles"].as_array().unwrap() {
        assert!(p.get("warnings").is_none());
    }
}

// ---- a trust policy where an identity policy belongs ----------------------------------------

const TRUST_MESSAGE: &str = "this looks like a trust policy: use `--trust-policy`";

/// A miette diagnostic as one line: the wrapping at 80 columns (after spaces or hyphens) and
/// the frame characters undone.
fn flat(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let l = line.trim().trim_start_matches(['│', '×', '·']).trim_start();
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

fn assert_trust_misuse(r: &Run) {
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty());
    let e = flat(&r.stderr);
    assert!(e.contains(TRUST_MESSAGE), "{e}");
    assert!(e.contains("--trust-policy FILE"), "{e}");
    assert!(!e.contains("neither `Resource`"), "{e}");
}

/// The ecsCodeDeployRole trust policy of the ECS guide
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html).
#[test]
fn the_ecs_codedeploy_trust_policy_given_as_an_identity_policy() {
    let trust = fx("tests/fixtures/aws/ecsCodeDeployRole-trust-policy.json");
    let seed = fx("policies/examples/ecs-bluegreen-seed.json");
    for args in [
        vec!["check", "--profile", ROLE, &trust],
        vec!["check", "--profile", ROLE, &seed, "--boundary", &trust],
        vec!["check", "--profile", ROLE, &seed, "--scp", &trust],
        vec!["simulate", "--policy", &trust, "--action", "sts:AssumeRole"],
        vec![
            "simulate",
            "--policy",
            &seed,
            "--boundary",
            &trust,
            "--action",
            "codedeploy:GetApplication",
        ],
    ] {
        let r = run(&args);
        assert_trust_misuse(&r);
        // The error points at the `Principal` element (line 7 of the file).
        assert!(
            flat(&r.stderr).contains("trust-policy.json:7:7"),
            "{}",
            r.stderr
        );
    }
    // Given where it belongs, it is evaluated.
    let r = run(&[
        "check",
        "--profile",
        ROLE,
        &fx("tests/fixtures/aws/AWSCodeDeployRoleForECS.json"),
        "--trust-policy",
        &trust,
        "--format",
        "json",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["profiles"][0]["trust"]["decision"], "allowed");
}

/// Trust policies with `sts:AssumeRoleWithWebIdentity`
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html) and with
/// a separate `sts:TagSession` statement
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html).
#[test]
fn other_documented_trust_policies_are_recognised() {
    let oidc = scratch(
        "oidc-trust.json",
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/server.example.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringEquals": {"server.example.com:aud": "appid_from_oidc_idp"}}
    }
  ]
}"#,
    );
    let tags = scratch(
        "tag-session-trust.json",
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowIamUserAssumeRole",
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {"AWS": "arn:aws:iam::123456789012:user/test-user"}
    },
    {
      "Sid": "AllowPassSessionTagsAndTransitive",
      "Effect": "Allow",
      "Action": "sts:TagSession",
      "Principal": {"AWS": "arn:aws:iam::123456789012:user/test-user"}
    }
  ]
}"#,
    );
    for f in [&oidc, &tags] {
        assert_trust_misuse(&run(&["check", "--profile", USER, f]));
    }
}

/// Not every policy with a `Principal` is a trust policy: a bucket policy
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html) given
/// as an identity policy keeps the `Principal` error, and an identity policy that only forgot
/// its `Resource` keeps the missing-`Resource` error.
#[test]
fn other_misplaced_elements_keep_their_own_errors() {
    let bucket = scratch(
        "bucket-policy.json",
        r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
    }
  ]
}"#,
    );
    let r = run(&["check", "--profile", USER, &bucket]);
    assert_eq!(r.code, 2);
    assert!(!flat(&r.stderr).contains(TRUST_MESSAGE), "{}", r.stderr);
    assert!(
        flat(&r.stderr).contains("cannot have `Principal`"),
        "{}",
        r.stderr
    );
    let no_resource = scratch(
        "no-resource.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "codedeploy:GetApplication"}]}"#,
    );
    let r = run(&["check", "--profile", USER, &no_resource]);
    assert_eq!(r.code, 2);
    assert!(!flat(&r.stderr).contains(TRUST_MESSAGE), "{}", r.stderr);
    assert!(
        flat(&r.stderr).contains("neither `Resource`"),
        "{}",
        r.stderr
    );
}
