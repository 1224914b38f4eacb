//! `generate --missing-from TEMPLATE#LOGICAL_ID` (issue 12 §1, templates as inputs of every
//! command): the missing part of a template principal's policies, the same gaps `check
//! --template` reports. Fixture: tests/fixtures/templates/bluegreen-deployer.yaml (the ECS
//! guide's "Blue/green deployment required IAM permissions" as a user's inline policy, with
//! `codedeploy:ContinueDeployment` only when `Env` is not `prod`; see its README).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const USER: &str = "ecs-bluegreen-codedeploy-user";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const DEPLOYER: &str = "tests/fixtures/templates/bluegreen-deployer.yaml#Deployer";

fn actions(stdout: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let docs = match v {
        Value::Array(a) => a,
        d => vec![d],
    };
    let mut out: Vec<String> = docs
        .iter()
        .flat_map(|d| d["Statement"].as_array().unwrap().clone())
        .flat_map(|s| match &s["Action"] {
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            Value::String(x) => vec![x.clone()],
            other => panic!("{other}"),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The actions `check --template` reports as not allowed.
fn gaps(env: &str) -> Vec<String> {
    let (_, out, err) = run(&[
        "check",
        "--profile",
        USER,
        "--template",
        "tests/fixtures/templates/bluegreen-deployer.yaml",
        "--user",
        "Deployer",
        "--template-param",
        &format!("Env={env}"),
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let mut v: Vec<String> = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["decision"] != "allowed")
        .map(|q| q["action"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn the_missing_part_of_a_template_user_is_what_check_reports() {
    for (env, expected) in [
        // the guide's 25 actions are all there; the profile also needs iam:PassRole
        ("test", vec!["iam:PassRole"]),
        // in prod the template leaves codedeploy:ContinueDeployment out
        (
            "prod",
            vec!["codedeploy:ContinueDeployment", "iam:PassRole"],
        ),
    ] {
        let (code, out, err) = run(&[
            "generate",
            "--profile",
            USER,
            "--missing-from",
            DEPLOYER,
            "--template-param",
            &format!("Env={env}"),
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(actions(&out), expected, "{env}");
        assert_eq!(gaps(env), expected, "{env}: check and generate disagree");
    }
}

#[test]
fn undecided_conditions_and_unknown_principals_are_errors() {
    // `Env` has no default: `IsProd` cannot be decided, and the missing part differs.
    let (code, out, err) = run(&["generate", "--profile", USER, "--missing-from", DEPLOYER]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(err.contains("undecided"), "{err}");
    let (code, _, err) = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        "tests/fixtures/templates/bluegreen-deployer.yaml#Nobody",
        "--template-param",
        "Env=test",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("`Nobody` is not a principal"), "{err}");
    assert!(err.contains("Deployer"), "{err}");
    // template inputs without a template principal
    let (code, _, err) = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        "tests/fixtures/templates/bluegreen-user-permissions.json",
        "--template-param",
        "Env=test",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("apply to templates"), "{err}");
}
