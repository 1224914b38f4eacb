//! Every SARIF document greenlight writes (`lint --format sarif`, `check --format sarif`) is
//! valid against the OASIS SARIF 2.1.0 JSON schema (vendored in tests/fixtures/sarif, see its
//! README), with string formats (`uri`, `uri-reference`) checked, and holds the properties
//! Microsoft's SARIF validator requires beyond the schema: `ruleId` equal to the id of the rule
//! at `ruleIndex`, regions whose end does not precede their start, and `columnKind`.
//! Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os-complete.html

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The schema as it declares itself (draft-04), and read as draft-06: draft-04 has no
/// `uri-reference` format, so only the second checks `artifactLocation.uri` (the schema uses
/// no keyword whose meaning differs between the two drafts).
struct Validators(jsonschema::Validator, jsonschema::Validator);

fn validator() -> Validators {
    let text = std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json"))
        .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    assert!(!text.contains("exclusiveM"));
    let build = |draft| {
        jsonschema::options()
            .with_draft(draft)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    };
    Validators(
        build(jsonschema::Draft::Draft4),
        build(jsonschema::Draft::Draft6),
    )
}

fn gl(args: &[&str], cwd: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Schema errors plus the validator's consistency rules (SARIF1007, SARIF1009, SARIF1010).
fn problems(v: &Validators, doc: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        v.0.iter_errors(doc)
            .chain(v.1.iter_errors(doc))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
    for run in doc["runs"].as_array().unwrap() {
        if run["columnKind"] != "unicodeCodePoints" {
            out.push("run without columnKind".into());
        }
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in run["results"].as_array().unwrap() {
            if let Some(i) = r["ruleIndex"].as_u64() {
                match rules.get(i as usize) {
                    Some(rule) if rule["id"] == r["ruleId"] => {}
                    _ => out.push(format!("ruleIndex {i} does not name {}", r["ruleId"])),
                }
            } else if !rules.iter().any(|rule| rule["id"] == r["ruleId"]) {
                out.push(format!("{} is not a rule of the driver", r["ruleId"]));
            }
            for loc in r["locations"].as_array().unwrap() {
                let reg = &loc["physicalLocation"]["region"];
                if reg.is_null() {
                    continue;
                }
                let (sl, el) = (reg["startLine"].as_u64(), reg["endLine"].as_u64());
                let (sc, ec) = (reg["startColumn"].as_u64(), reg["endColumn"].as_u64());
                if el < sl || (el == sl && ec < sc) {
                    out.push(format!("region ends before it starts: {reg}"));
                }
            }
        }
    }
    out
}

fn assert_valid(v: &Validators, what: &str, sarif: &str) -> Value {
    let doc: Value =
        serde_json::from_str(sarif).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {sarif}"));
    let p = problems(v, &doc);
    assert!(p.is_empty(), "{what}: {p:#?}");
    doc
}

/// `lint --format sarif` on every rule's failing fixture (every rule and severity, parse
/// errors), an authorization-details file (logical locations), a file whose name needs
/// percent-encoding, a path outside the repository, and an unreadable input.
#[test]
fn lint_sarif_is_valid() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let spaced = dir.path().join("a policy (1).json");
    std::fs::write(
        &spaced,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    let mut authz = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(
            std::fs::File::open(root().join("tests/fixtures/authz/small.json.gz")).unwrap(),
        ),
        &mut authz,
    )
    .unwrap();
    let authz_path = dir.path().join("authz.json");
    std::fs::write(&authz_path, authz).unwrap();

    let (code, out) = gl(
        &["lint", "tests/fixtures/lint", "--format", "sarif"],
        &root(),
    );
    assert_eq!(code, 2, "the fixtures include unparsable documents");
    let doc = assert_valid(&v, "fixtures", &out);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 100, "{}", results.len());
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("tests/fixtures/lint/GL"), "{uri}");

    for (what, args) in [
        ("spaced name", vec![spaced.to_str().unwrap()]),
        ("authorization details", vec![authz_path.to_str().unwrap()]),
        ("missing file", vec!["no/such/file.json"]),
    ] {
        let mut a = vec!["lint", "--format", "sarif"];
        a.extend(args);
        let (_, out) = gl(&a, &root());
        let doc = assert_valid(&v, what, &out);
        if what == "spaced name" {
            let uri = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"];
            assert!(
                uri.as_str().unwrap().ends_with("/a%20policy%20(1).json"),
                "{uri}"
            );
        }
    }
}

/// `check --format sarif`: an explicit deny (with a region), missing permissions (file-level
/// locations) and a trust-policy warning. Fixtures: tests/fixtures/check and
/// tests/fixtures/aws (see their READMEs for the AWS pages they reproduce).
#[test]
fn check_sarif_is_valid() {
    let v = validator();
    for args in [
        vec![
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "tests/fixtures/check/user-deny.json",
        ],
        vec![
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "tests/fixtures/check/user-part-codedeploy.json",
        ],
        vec![
            "check",
            "--profile",
            "ecs-codedeploy-service-role",
            "tests/fixtures/aws/AWSCodeDeployRoleForECS.json",
            "--trust-policy",
            "tests/fixtures/aws/ecsCodeDeployRole-trust-policy.json",
        ],
    ] {
        let mut a = args.clone();
        a.extend(["--format", "sarif"]);
        let (code, out) = gl(&a, &root());
        assert!(code == 0 || code == 1, "{a:?} exit {code}");
        let doc = assert_valid(&v, &format!("{a:?}"), &out);
        assert!(
            !doc["runs"][0]["results"].as_array().unwrap().is_empty(),
            "{a:?}: no result to validate"
        );
    }
}

/// `diff` and `verify --format sarif`: an addition (with its statement region) and a failing
/// public-access assertion. Fixtures: tests/fixtures/analysis (see its README).
#[test]
fn diff_and_verify_sarif_is_valid() {
    let v = validator();
    for args in [
        vec![
            "diff",
            "tests/fixtures/analysis/s3-read.json",
            "tests/fixtures/analysis/s3-read-write.json",
        ],
        vec![
            "verify",
            "tests/fixtures/analysis/bucket-public-tls.json",
            "--policy-type",
            "resource",
            "--no-public-access",
        ],
        vec![
            "verify",
            "tests/fixtures/analysis/s3-read-write.json",
            "--not-granted",
            "s3:PutObject",
        ],
    ] {
        let mut a = args.clone();
        a.extend(["--format", "sarif"]);
        let (code, out) = gl(&a, &root());
        assert_eq!(code, 1, "{a:?} exit {code}");
        let doc = assert_valid(&v, &format!("{a:?}"), &out);
        assert!(
            !doc["runs"][0]["results"].as_array().unwrap().is_empty(),
            "{a:?}: no result to validate"
        );
    }
}

/// The validator catches what it is here for: a rule whose `tags` repeat (the defect this
/// test was written for), an invalid URI, a region that ends before it starts.
#[test]
fn the_validator_rejects_known_defects() {
    let v = validator();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("admin.json");
    std::fs::write(
        &p,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .unwrap();
    let (_, out) = gl(&["lint", "--format", "sarif", p.to_str().unwrap()], &root());
    let good: Value = serde_json::from_str(&out).unwrap();
    assert!(problems(&v, &good).is_empty());

    let mut bad = good.clone();
    bad["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] =
        serde_json::json!(["iam", "security", "security"]);
    assert!(!problems(&v, &bad).is_empty(), "duplicate tags accepted");

    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        serde_json::json!("a b\\c.json");
    assert!(!problems(&v, &bad).is_empty(), "invalid URI accepted");

    let mut bad = good;
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["endLine"] =
        serde_json::json!(0);
    assert!(!problems(&v, &bad).is_empty(), "inverted region accepted");
}

/// `diff --base --format sarif` (a plain file, a template role with an inline policy and an
/// AWS managed policy) and `verify --format sarif` on a template, in a temporary repository.
#[test]
fn diff_base_and_verify_template_sarif_is_valid() {
    let v = validator();
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(repo)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}");
    };
    let template = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: 2012-10-17\n        Statement:\n          - Effect: Allow\n            Principal: {Service: lambda.amazonaws.com}\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: P\n          PolicyDocument:\n            Version: 2012-10-17\n            Statement:\n              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: '*'\n";
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    std::fs::write(repo.join("template.yaml"), template).unwrap();
    std::fs::write(repo.join("p.json"), policy).unwrap();
    git(&["init", "--quiet"]);
    git(&["add", "-A"]);
    git(&["commit", "--quiet", "-m", "base"]);
    std::fs::write(
        repo.join("template.yaml"),
        template.replace("sqs:SendMessage", "sqs:*").replace(
            "      Policies:\n",
            "      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n      Policies:\n",
        ),
    )
    .unwrap();
    std::fs::write(
        repo.join("p.json"),
        policy.replace("s3:GetObject", "s3:Get*"),
    )
    .unwrap();
    let (code, out) = gl(&["diff", "--base", "HEAD", "--format", "sarif"], repo);
    assert_eq!(code, 1, "{out}");
    let doc = assert_valid(&v, "diff --base", &out);
    assert!(
        doc["runs"][0]["results"].as_array().unwrap().len() >= 3,
        "{out}"
    );
    let (code, out) = gl(
        &[
            "verify",
            "template.yaml",
            "--not-granted",
            "sqs:DeleteQueue",
            "--format",
            "sarif",
        ],
        repo,
    );
    assert_eq!(code, 1, "{out}");
    assert_valid(&v, "verify on a template", &out);
}
