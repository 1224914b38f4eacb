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

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

const PROFILE: &str = "ecs-bluegreen-codedeploy-user";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/authz/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn scan_json(file: &str) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
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
    let mut encoded = check_against_truth("small.urlenc.json.gz");
    let (mut plain, _) = scan_json("small.json.gz");
    // `blockedByDetail` names the statement's line in the policy document as the file holds
    // it: a URL-encoded document is one line, the same document written as JSON has many. Every
    // other part of the sentence, and `blockedBy`, agree.
    let unline = |doc: &mut serde_json::Value| {
        for p in doc["principals"].as_array_mut().unwrap() {
            for b in p["blocked"].as_array_mut().unwrap() {
                let d = b["blockedByDetail"].as_str().unwrap();
                let mut out = String::new();
                let mut rest = d;
                while let Some(i) = rest.find("line ") {
                    out.push_str(&rest[..i + 5]);
                    rest = rest[i + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
                    out.push('N');
                }
                out.push_str(rest);
                b["blockedByDetail"] = serde_json::Value::from(out);
            }
        }
    };
    unline(&mut encoded);
    unline(&mut plain);
    assert_eq!(encoded["principals"], plain["principals"]);
}

/// The scan leaves out action patterns and policies that cannot apply to a profile's actions
/// (for speed). Against every shipped profile, in both forms, that changes no result.
#[test]
fn pruning_changes_no_result() {
    use greenlight::sources::scan::{Org, scan_in_org};
    use greenlight::sources::{Account, Selection, authz};
    let profiles: Vec<&greenlight::profiles::Profile> =
        greenlight::profiles::all().unwrap().iter().collect();
    assert!(profiles.len() >= 2);
    for file in ["small.json.gz", "small.urlenc.json.gz"] {
        let text = authz::read_file(std::path::Path::new(&fixture(file))).unwrap();
        let account = Account::parse(file, &text).unwrap();
        let ids = account.principals(Selection::All);
        let params = BTreeMap::new();
        let fast = scan_in_org(
            &account,
            &ids,
            &[],
            &profiles,
            &params,
            &|_| {},
            true,
            Org::default(),
        );
        let slow = scan_in_org(
            &account,
            &ids,
            &[],
            &profiles,
            &params,
            &|_| {},
            false,
            Org::default(),
        );
        assert_eq!(fast.entries.len(), slow.entries.len());
        let mut gaps = 0;
        for (f, s) in fast.entries.iter().zip(&slow.entries) {
            assert_eq!(f.principal, s.principal);
            assert_eq!(f.profile, s.profile);
            assert_eq!(f.result, s.result, "{} / {}", f.principal.arn, f.profile);
            gaps += usize::from(!f.is_complete());
        }
        assert!(gaps > 0 && gaps < fast.entries.len());
    }
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn scanning_nothing_and_bad_input_are_errors() {
    let small = fixture("small.json.gz");
    // A role profile selects no user: nothing was checked, which is not a pass.
    let out = run(&[
        "scan",
        "--authorization-details",
        &small,
        "--users",
        "--profile",
        "ecs-codedeploy-service-role",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to scan"));
    // No source, two sources, a missing file, a file that is not authorization details.
    let profile = ["--profile", PROFILE];
    assert_eq!(
        run(&[&["scan"][..], &profile].concat()).status.code(),
        Some(2)
    );
    let both = [
        &["scan", "--live", "--authorization-details", &small][..],
        &profile,
    ]
    .concat();
    assert_eq!(run(&both).status.code(), Some(2));
    let missing = [
        &["scan", "--authorization-details", "no/such/file.json"][..],
        &profile,
    ]
    .concat();
    let out = run(&missing);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.json"));
    let not_authz = fixture("small.truth.json");
    let out = run(&[
        &["scan", "--authorization-details", &not_authz][..],
        &profile,
    ]
    .concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UserDetailList"));
    // --only-gaps hides complete principals but not the exit code.
    let out = run(&[
        &[
            "scan",
            "--authorization-details",
            &small,
            "--only-complete",
            "--format",
            "csv",
        ][..],
        &profile,
    ]
    .concat());
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",complete,")),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 11);
}
