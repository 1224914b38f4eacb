//! `greenlight generate`'s output contract (issue 10, section 5): stdout is always exactly one
//! JSON value — a policy document, a JSON array of documents when the managed-policy quota
//! forces a split, `[]` when `--missing-from` finds nothing missing — and `--out-dir DIR`
//! writes `DIR/<profile>-<n>.json` instead. Every mode's stdout is parsed with serde_json the
//! way `jq` would read it (one value, nothing after it).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const USER: &str = "ecs-bluegreen-codedeploy-user";
const ROLE: &str = "ecs-codedeploy-service-role";
const CONSOLE: &str = "ecs-bluegreen-console-create-service";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// stdout as exactly one JSON value (serde_json rejects trailing values, as `jq -e .` on a
/// single document expects).
fn one_value(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{}", r.stdout))
}

fn is_policy(v: &Value) -> bool {
    v["Version"] == "2012-10-17" && v["Statement"].as_array().is_some_and(|s| !s.is_empty())
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("generate-output-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Long but valid names that push the console profile's policy over the 6,144-character
/// managed-policy quota: ECS cluster and service names take up to 255 characters
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html,
/// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html), CodeDeploy
/// application and deployment group names up to 100
/// (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html,
/// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html),
/// an IAM role path up to 512 (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
/// Quota: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
fn long_name_params() -> Vec<String> {
    let path = "p".repeat(500);
    [
        format!("cluster={}", "c".repeat(255)),
        format!("service={}", "s".repeat(255)),
        format!("application={}", "a".repeat(100)),
        format!("deployment_group={}", "d".repeat(100)),
        format!("codedeploy_role={path}/cd"),
        format!("task_role={path}/task"),
        format!("task_execution_role={path}/exec"),
        "account=111122223333".to_string(),
    ]
    .into_iter()
    .flat_map(|p| ["--param".to_string(), p])
    .collect()
}

fn size(v: &Value) -> usize {
    serde_json::to_string(v)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

/// Checks the documents as the principal's identity policies: zero gaps.
fn check_passes(profile: &str, files: &[String], params: &[String]) {
    let mut args: Vec<&str> = vec!["check", "--profile", profile, "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    args.extend(params.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{args:?}\n{}\n{}", r.stdout, r.stderr);
    assert_eq!(one_value(&r)["gaps"], 0);
}

/// A policy document is one JSON object with `Version` and `Statement`
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html); each mode
/// prints exactly one such value (or `[]`).
#[test]
fn every_mode_prints_exactly_one_json_value() {
    let seed = s(&root().join("policies/examples/ecs-bluegreen-seed.json"));
    let complete = s(&root().join("tests/fixtures/check/user-complete.json"));
    let acct = "--param";
    let acct_v = "account=111122223333";
    // (args, expected shape)
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["generate", "--profile", USER], "policy"),
        (vec!["generate", "--profile", ROLE, acct, acct_v], "policy"),
        (vec!["generate", "--profile", ROLE, "--trust"], "policy"),
        (
            vec!["generate", "--profile", USER, "--missing-from", &seed],
            "policy",
        ),
        (
            vec!["generate", "--profile", USER, "--missing-from", &complete],
            "empty",
        ),
    ];
    for (args, shape) in cases {
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let v = one_value(&r);
        match shape {
            "policy" => assert!(is_policy(&v), "{args:?}: {v}"),
            _ => assert_eq!(v, serde_json::json!([]), "{args:?}"),
        }
    }
}

/// The `N` of stderr's "split into N documents".
fn split_count(stderr: &str) -> usize {
    let rest = stderr
        .split("split into ")
        .nth(1)
        .unwrap_or_else(|| panic!("no split note: {stderr}"));
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// Over the 6,144-character managed-policy quota
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html) the policy is
/// split, and stdout is one array holding every document.
#[test]
fn a_split_policy_is_one_json_array_of_documents() {
    let params = long_name_params();
    let mut args: Vec<&str> = vec!["generate", "--profile", CONSOLE];
    args.extend(params.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n = split_count(&r.stderr);
    assert!(n >= 2 && r.stderr.contains("JSON array"), "{}", r.stderr);
    let v = one_value(&r);
    let docs = v.as_array().expect("an array of documents");
    assert_eq!(docs.len(), n);
    let dir = scratch("split-check");
    let mut files = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        assert!(is_policy(d), "{d}");
        assert!(size(d) <= 6144, "document {i} has {} characters", size(d));
        let f = dir.join(format!("{i}.json"));
        std::fs::write(&f, serde_json::to_string_pretty(d).unwrap()).unwrap();
        files.push(s(&f));
    }
    // Together they grant the whole profile: `check` finds no gap.
    check_passes(CONSOLE, &files, &params);
    // Neither alone does.
    let mut one: Vec<&str> = vec!["check", "--profile", CONSOLE, "--format", "json", &files[0]];
    one.extend(params.iter().map(String::as_str));
    assert_eq!(run(&one).code, 1);
}

/// One file per managed policy document (quota as above:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
#[test]
fn out_dir_writes_numbered_files_and_nothing_to_stdout() {
    let dir = scratch("out-dir");
    let params = long_name_params();
    let d = s(&dir);
    let mut args: Vec<&str> = vec!["generate", "--profile", CONSOLE, "--out-dir", &d];
    args.extend(params.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let n = split_count(&r.stderr);
    assert!(n >= 2, "{}", r.stderr);
    let written: Vec<std::path::PathBuf> = (1..=n)
        .map(|i| dir.join(format!("{CONSOLE}-{i}.json")))
        .collect();
    for f in &written {
        assert!(
            r.stderr.contains(&format!("wrote {}", f.display())),
            "{}",
            r.stderr
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (1..=n).map(|i| format!("{CONSOLE}-{i}.json")).collect();
    expected.sort();
    assert_eq!(names, expected);
    for f in &written {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        assert!(is_policy(&v));
    }
    let files: Vec<String> = written.iter().map(|f| s(f)).collect();
    check_passes(CONSOLE, &files, &params);

    // A later run that needs fewer documents writes only those and names the files of the
    // earlier, larger split that it left in place.
    let r = run(&[
        "generate",
        "--profile",
        CONSOLE,
        "--out-dir",
        &d,
        "--param",
        "account=111122223333",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let n2 = if r.stderr.contains("split into ") {
        split_count(&r.stderr)
    } else {
        1
    };
    assert!(n2 < n, "{}", r.stderr);
    let stale = &written[n - 1];
    assert!(
        r.stderr.contains(&stale.display().to_string()) && r.stderr.contains("earlier run"),
        "{}",
        r.stderr
    );
    let files: Vec<String> = written[..n2].iter().map(|f| s(f)).collect();
    check_passes(
        CONSOLE,
        &files,
        &["--param".into(), "account=111122223333".into()],
    );

    // The trust policy goes to `<profile>-trust.json`.
    let r = run(&["generate", "--profile", ROLE, "--trust", "--out-dir", &d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let t: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{ROLE}-trust.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(t["Statement"][0]["Action"], "sts:AssumeRole");

    // Nothing missing: no file, and stderr says so.
    let complete = s(&root().join("tests/fixtures/check/user-complete.json"));
    let empty = scratch("out-dir-empty");
    let e = s(&empty);
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        &complete,
        "--out-dir",
        &e,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("no file written"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}

#[test]
fn out_dir_that_cannot_be_created_exits_2() {
    let dir = scratch("not-a-dir");
    let file = dir.join("file");
    std::fs::write(&file, "x").unwrap();
    let target = s(&file.join("sub"));
    let r = run(&["generate", "--profile", USER, "--out-dir", &target]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
}

/// The IAM docs write examples with the account `123456789012`
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html); `generate`
/// uses it when no account is given, and says so.
#[test]
fn the_placeholder_account_is_named_on_stderr() {
    for args in [
        vec!["generate", "--profile", USER],
        vec!["generate", "--profile", ROLE, "--trust"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("123456789012"));
        assert!(
            r.stderr.contains("placeholder account `123456789012`")
                && r.stderr.contains("--param account="),
            "{args:?}: {}",
            r.stderr
        );
        assert!(is_policy(&one_value(&r)));
    }
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--param",
        "account=111122223333",
    ]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains("placeholder"), "{}", r.stderr);
    assert!(!r.stdout.contains("123456789012"));
}
