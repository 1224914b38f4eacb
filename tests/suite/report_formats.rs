//! One report layer (issue 11): `check`, `diff` and `verify` write GitHub annotations and JUnit
//! XML with the same writers. GitHub workflow commands follow
//! https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
//! (`::error file=F,line=L,col=C,title=T::message`, `%0A` for a newline in the message).

use std::path::PathBuf;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// `tests` and `failures` of the outer `<testsuites>` element, and the number of test cases
/// and failures in the document.
fn junit_counts(xml: &str) -> (usize, usize, usize, usize) {
    let attr = |name: &str| -> usize {
        let head = &xml[xml.find("<testsuites").unwrap()..];
        let at = head.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        head[at..at + head[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (
        attr("tests"),
        attr("failures"),
        xml.matches("<testcase ").count(),
        xml.matches("<failure ").count(),
    )
}

#[test]
fn check_writes_github_annotations_at_the_denying_statement() {
    // tests/fixtures/check/user-deny.json: the `NoStopping` Deny statement opens on line 16.
    let (code, out) = run(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "tests/fixtures/check/user-deny.json",
        "--format",
        "github",
    ]);
    assert_eq!(code, 1);
    let line = out
        .lines()
        .find(|l| l.contains("title=explicit-deny"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("::error file=tests/fixtures/check/user-deny.json,line=16,"),
        "{line}"
    );
    assert!(line.contains("`codedeploy:StopDeployment`"), "{line}");
    // every line is one workflow command (newlines in messages are escaped)
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn check_writes_junit_with_one_failure_per_gap() {
    let (code, out) = run(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "tests/fixtures/check/user-deny.json",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let (tests, failures, cases, failed) = junit_counts(&out);
    assert_eq!(tests, cases);
    assert_eq!(failures, failed);
    assert!(failed >= 1, "{out}");
    assert!(out.contains("classname=\"greenlight.check\""));
    // the JSON output counts the same gaps
    let (_, json) = run(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "tests/fixtures/check/user-deny.json",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let gaps = doc["gaps"].as_u64().unwrap() as usize;
    assert_eq!(failed, gaps, "{out}");
}

/// No two JUnit cases share a name (CI reports list cases by name: the gaps of one file were
/// all `missing-permission FILE:1`).
#[test]
fn junit_case_names_are_unique() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("p.json");
    std::fs::write(
        &f,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:DescribeServices","Resource":"*"}]}"#,
    )
    .unwrap();
    let (code, out) = run(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        f.to_str().unwrap(),
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    let names: Vec<&str> = out
        .split("<testcase ")
        .skip(1)
        .filter_map(|c| c.split(" name=\"").nth(1)?.split('"').next())
        .collect();
    assert!(names.len() > 10, "{out}");
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:#?}");
}

#[test]
fn a_check_without_gaps_has_no_failure() {
    // The AWS managed policy AWSCodeDeployRoleForECS and the ECS guide's trust policy give the
    // service-role profile no gap (tests/fixtures/aws/README.md).
    let (code, out) = run(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "tests/fixtures/aws/AWSCodeDeployRoleForECS.json",
        "--trust-policy",
        "tests/fixtures/aws/ecsCodeDeployRole-trust-policy.json",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 0, "{out}");
    let (_, failures, _, failed) = junit_counts(&out);
    assert_eq!((failures, failed), (0, 0), "{out}");
    // the trust warning (no aws:SourceAccount condition) is the case's output, not a failure
    assert!(out.contains("<system-out>"), "{out}");
}

#[test]
fn diff_and_verify_write_junit() {
    let (code, out) = run(&[
        "diff",
        "tests/fixtures/analysis/s3-read.json",
        "tests/fixtures/analysis/s3-read-write.json",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    let (tests, failures, cases, failed) = junit_counts(&out);
    assert_eq!((tests, failures), (cases, failed));
    assert!(failed >= 1 && out.contains("diff/added"), "{out}");
    let (code, out) = run(&[
        "diff",
        "tests/fixtures/analysis/s3-read.json",
        "tests/fixtures/analysis/s3-read-split.json",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(junit_counts(&out).1, 0, "{out}");
    let (code, out) = run(&[
        "verify",
        "tests/fixtures/analysis/bucket-public-tls.json",
        "--policy-type",
        "resource",
        "--no-public-access",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    assert!(junit_counts(&out).3 >= 1, "{out}");
}

#[test]
fn a_gap_the_boundary_decides_is_located_in_the_boundary() {
    // AdministratorAccess under the permissions-boundary example of
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (S3,
    // CloudWatch and EC2 only): `sns:ListTopics` is allowed by the identity policy and
    // blocked by the boundary, so SARIF and GitHub point at the boundary file, not at the
    // identity policy that allows it.
    let args = [
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "tests/fixtures/blocked/AdministratorAccess.json",
        "--boundary",
        "tests/fixtures/blocked/boundary-s3-cloudwatch-ec2.json",
    ];
    let mut a = args.to_vec();
    a.extend(["--format", "sarif"]);
    let (code, out) = run(&a);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["properties"]["action"] == "sns:ListTopics")
        .unwrap()
        .clone();
    assert_eq!(r["properties"]["blockedBy"], "boundary");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/blocked/boundary-s3-cloudwatch-ec2.json",
        "{r}"
    );
    let mut a = args.to_vec();
    a.extend(["--format", "github"]);
    let (_, out) = run(&a);
    let line = out
        .lines()
        .find(|l| l.contains("`sns:ListTopics`"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("file=tests/fixtures/blocked/boundary-s3-cloudwatch-ec2.json,"),
        "{line}"
    );
}

/// The four commands that report, each on an input with a finding.
const COMMANDS: &[&[&str]] = &[
    &["lint", "tests/fixtures/lint/GL089/bad.json"],
    &[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "tests/fixtures/check/user-deny.json",
    ],
    &[
        "diff",
        "tests/fixtures/analysis/s3-read.json",
        "tests/fixtures/analysis/s3-read-write.json",
    ],
    &[
        "verify",
        "tests/fixtures/analysis/bucket-public-tls.json",
        "--policy-type",
        "resource",
        "--no-public-access",
    ],
];

#[test]
fn every_command_writes_annotations_with_the_same_writer() {
    // https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions:
    // `::error file={name},line={line},col={col},endLine={endLine},endColumn={endColumn},title={title}::{message}`
    for args in COMMANDS {
        let mut a = args.to_vec();
        a.extend(["--format", "github"]);
        let (code, out) = run(&a);
        assert_eq!(code, 1, "{a:?}: {out}");
        let first = out.lines().next().unwrap_or_else(|| panic!("{a:?}"));
        let (head, _message) = first.split_once("::").unwrap().1.split_once("::").unwrap();
        let (level, props) = head.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&level), "{first}");
        let keys: Vec<&str> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{a:?}: {first}"
        );
        assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
    }
}

#[test]
fn every_command_writes_the_same_text_style() {
    // each diagnostic starts with `file:line:col`, then the code, then the message (`×`)
    // and the snippet box of miette
    for args in COMMANDS {
        let (_, out) = run(args);
        let lines: Vec<&str> = out.lines().collect();
        let file = args.iter().rev().find(|a| a.ends_with(".json")).unwrap();
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{file}:")))
            .unwrap_or_else(|| panic!("{args:?}: no `file:line:col` line\n{out}"));
        let place = lines[at];
        let mut parts = place.rsplitn(3, ':');
        let (col, line) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(
            col.parse::<u32>().is_ok() && line.parse::<u32>().is_ok(),
            "{place}"
        );
        // the snippet box names the same place
        assert!(
            lines[at..]
                .iter()
                .any(|l| l.contains(&format!("╭─[{place}]"))),
            "{args:?}\n{out}"
        );
        assert!(lines[at + 1].split_whitespace().next().is_some(), "{out}");
        assert!(
            lines[at + 3].trim_start().starts_with('×'),
            "{args:?}\n{out}"
        );
    }
}
