//! `check --scp` with an SCP written in the full IAM policy language, which AWS Organizations
//! accepts since 19 September 2025: `NotAction` and conditions in Allow statements, resource
//! ARNs in Allow statements, `NotResource`, and a wildcard at the start of an action
//! (https://aws.amazon.com/blogs/security/unlock-new-possibilities-aws-organizations-service-control-policy-now-supports-full-iam-language;
//! SCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn fx(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `check --format json` of the complete user policy under the SCP: (exit code, the
/// requirements that are not allowed as (action, resource) → decision).
fn check(extra: &[&str]) -> (i32, BTreeMap<(String, String), String>) {
    let user = fx("check/user-complete.json");
    let scp = fx("check/scp-full-language.json");
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(["check", "--profile", "ecs-bluegreen-codedeploy-user"])
        .args(["--format", "json", &user, "--scp", &scp])
        .args(extra)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let mut not_allowed = BTreeMap::new();
    for r in doc["profiles"][0]["requirements"].as_array().unwrap() {
        if r["decision"] != "allowed" {
            not_allowed.insert(
                (
                    r["action"].as_str().unwrap().to_string(),
                    r["resource"].as_str().unwrap().to_string(),
                ),
                r["decision"].as_str().unwrap().to_string(),
            );
        }
    }
    (out.status.code().unwrap(), not_allowed)
}

fn key(action: &str, resource: &str) -> (String, String) {
    (action.to_string(), resource.to_string())
}

#[test]
fn an_scp_in_the_full_iam_language_is_evaluated() {
    let (code, not_allowed) = check(&[]);
    assert_eq!(code, 1);
    let want: BTreeMap<_, _> = [
        // Deny with a wildcard at the start of the action (`sns:*Topics`).
        (key("sns:ListTopics", "*"), "explicitDeny"),
        // Deny + NotResource: only the task roles may be passed.
        (
            key(
                "iam:PassRole",
                "arn:aws:iam::123456789012:role/ecsCodeDeployRole",
            ),
            "explicitDeny",
        ),
        // Allow + NotAction leaves Lambda out; the conditional Allow needs eu-west-1 and the
        // profile's requests are in us-east-1.
        (key("lambda:ListFunctions", "*"), "implicitDeny"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    assert_eq!(not_allowed, want);
    // The other two PassRole requirements are allowed by the Allow with a resource ARN
    // (`role/ecs*`): they are not in the list above.

    // In eu-west-1 the conditional Allow applies to Lambda.
    let (code, not_allowed) = check(&["--param", "region=eu-west-1"]);
    assert_eq!(code, 1);
    assert!(
        !not_allowed.keys().any(|(a, _)| a == "lambda:ListFunctions"),
        "{not_allowed:?}"
    );
    assert_eq!(not_allowed.len(), 2, "{not_allowed:?}");
}
