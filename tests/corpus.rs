//! The scan against a synthetic account with known answers (tests/fixtures/authz, generated
//! with a truth file): in the CLI form and in the URL-encoded raw API form.
//!
//! How the truth verdicts map to a scan against `ecs-bluegreen-codedeploy-user`, restricted to
//! the 25 actions the truth file covers (the profile also requires `iam:PassRole`, which the
//! generator does not model):
//! - `complete`: none of the 25 actions is missing or denied;
//! - `gap`: exactly the truth's `NotGranted` actions are not granted, `denied` ones as explicit
//!   denies, `missing` and `boundary` ones as missing (a boundary that does not allow is an
//!   implicit deny);
//! - `scoped` (granted only on other resources) and `conditional` (granted only under
//!   `aws:MultiFactorAuthPresent`): never complete — the profile's default resources and a
//!   request without MFA context are not covered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

const PROFILE: &str = "ecs-bluegreen-codedeploy-user";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/authz/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn scan_json(file: &str) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(["scan", "--authorization-details", &fixture(file)])
        .args(["--profile", PROFILE, "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("scan output is not JSON ({e}); stderr: {stderr}"));
    (v, out.status.code().unwrap())
}

fn set(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn check_against_truth(file: &str) -> Value {
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("small.truth.json")).unwrap())
            .unwrap();
    let required = set(&truth["RequiredActions"]);
    assert_eq!(required.len(), 25);
    let (scan, code) = scan_json(file);
    // Some principals of the synthetic account have gaps; none is indeterminate.
    assert_eq!(code, 1, "exit code");
    assert_eq!(scan["summary"]["indeterminate"], 0);
    assert_eq!(scan["summary"]["principals"], 250); // 50 users + 200 roles
    let by_arn: BTreeMap<&str, &Value> = scan["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["arn"].as_str().unwrap(), p))
        .collect();
    let mut checked = 0;
    for t in truth["Principals"].as_array().unwrap() {
        let arn = t["Arn"].as_str().unwrap();
        let got = by_arn
            .get(arn)
            .unwrap_or_else(|| panic!("{arn} missing from the scan"));
        assert_eq!(
            got["status"],
            if got["gaps"] == 0 { "complete" } else { "gaps" }
        );
        let missing: BTreeSet<String> = set(&got["missing"])
            .intersection(&required)
            .cloned()
            .collect();
        let denied: BTreeSet<String> = set(&got["denied"])
            .intersection(&required)
            .cloned()
            .collect();
        let scenario = t["Scenario"].as_str().unwrap();
        let not_granted = t["NotGranted"].as_object().unwrap();
        match t["Verdict"].as_str().unwrap() {
            "complete" => {
                assert!(
                    missing.is_empty() && denied.is_empty(),
                    "{arn} ({scenario}): truth complete, scan missing {missing:?} denied {denied:?}"
                );
            }
            "gap" => {
                let want_denied: BTreeSet<String> = not_granted
                    .iter()
                    .filter(|(_, why)| *why == "denied")
                    .map(|(a, _)| a.clone())
                    .collect();
                let want_missing: BTreeSet<String> = not_granted
                    .iter()
                    .filter(|(_, why)| *why != "denied")
                    .map(|(a, _)| a.clone())
                    .collect();
                assert_eq!(missing, want_missing, "{arn} ({scenario}) missing");
                assert_eq!(denied, want_denied, "{arn} ({scenario}) denied");
            }
            "scoped" | "conditional" => {
                assert!(
                    !missing.is_empty() || !denied.is_empty(),
                    "{arn} ({scenario}): a limited grant reported as complete"
                );
            }
            other => panic!("unknown verdict {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 30);
    scan
}

#[test]
fn scan_agrees_with_truth_cli_form() {
    check_against_truth("small.json.gz");
}

#[test]
fn scan_agrees_with_truth_url_encoded_form_and_both_forms_agree() {
    let encoded = check_against_truth("small.urlenc.json.gz");
    let (plain, _) = scan_json("small.json.gz");
    assert_eq!(encoded["principals"], plain["principals"]);
}
