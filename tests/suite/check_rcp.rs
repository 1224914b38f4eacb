//! `check --rcp`: resource control policies of the account that owns the profile's resources.
//! An RCP's `Deny` restricts the requests to the services RCPs support, whoever the caller is
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>);
//! the identity-perimeter fixture is the "enforce organization identities" example of
//! <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html>
//! (actions of S3, SQS, KMS, Secrets Manager and STS). The profile is the CodeDeploy service
//! role with AppSpec revisions in S3, the role's permissions AWSCodeDeployRoleForECS.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn at(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// (exit code, action → decision of the requirements not allowed, their `blockedByDetail`)
fn check(extra: &[&str]) -> (i32, BTreeMap<String, String>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(["check", "--profile", "ecs-codedeploy-service-role"])
        .args([
            "--param",
            "s3_revisions=true",
            "--param",
            "account=111122223333",
        ])
        .args(["--format", "json"])
        .arg(at(
            "policies/examples/ecs-codedeploy-role-AWSCodeDeployRoleForECS.json",
        ))
        .arg("--trust-policy")
        .arg(at(
            "policies/examples/ecs-codedeploy-role-trust-policy.json",
        ))
        .args(extra)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let mut not_allowed = BTreeMap::new();
    let mut detail = String::new();
    for r in doc["profiles"][0]["requirements"].as_array().unwrap() {
        if r["decision"] != "allowed" {
            not_allowed.insert(
                r["action"].as_str().unwrap().to_string(),
                r["decision"].as_str().unwrap().to_string(),
            );
            detail.push_str(r["blockedByDetail"].as_str().unwrap_or(""));
        }
    }
    (out.status.code().unwrap(), not_allowed, detail)
}

#[test]
fn an_identity_perimeter_rcp_denies_the_s3_requirements_outside_the_organization() {
    let (code, none, _) = check(&[]);
    assert_eq!((code, none.len()), (0, 0), "{none:?}");
    let rcp = at("tests/fixtures/check/rcp/identity-perimeter.json");
    let (code, denied, detail) = check(&["--rcp", &rcp]);
    assert_eq!(code, 1);
    let want: BTreeMap<String, String> = [
        ("s3:GetObject".to_string(), "explicitDeny".to_string()),
        (
            "s3:GetObjectVersion".to_string(),
            "explicitDeny".to_string(),
        ),
    ]
    .into();
    assert_eq!(denied, want);
    assert!(
        detail.contains("resource control policy") && detail.contains("EnforceOrgIdentities"),
        "{detail}"
    );
    // the role in the organization: the RCP's condition does not match
    let (code, denied, _) = check(&[
        "--rcp",
        &rcp,
        "--context",
        "aws:PrincipalOrgID=o-exampleorg",
    ]);
    assert_eq!((code, denied.len()), (0, 0), "{denied:?}");
}

#[test]
fn an_rcp_does_not_restrict_services_rcps_do_not_support() {
    // Amazon ECS is not among the services RCPs apply to: its requirements stay allowed
    let rcp = at("tests/fixtures/check/rcp/deny-ecs.json");
    let (code, denied, _) = check(&["--rcp", &rcp]);
    assert_eq!((code, denied.len()), (0, 0), "{denied:?}");
}

/// The role is a resource of the RCP's account and AWS STS is a service RCPs apply to, AWS
/// service principals included: an RCP that denies `sts:AssumeRole` keeps CodeDeploy from
/// assuming the role, so the trust requirement is denied (red team 29). The identity-perimeter
/// RCP exempts service principals (`aws:PrincipalIsAWSService`), so its trust stays allowed.
#[test]
fn an_rcp_applies_to_the_trust_requirement() {
    let trust_decision = |rcp: &str, extra: &[&str]| -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .env(
                "XDG_CACHE_HOME",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
            )
            .args(["check", "--profile", "ecs-codedeploy-service-role"])
            .args(["--param", "account=111122223333", "--format", "json"])
            .arg(at(
                "policies/examples/ecs-codedeploy-role-AWSCodeDeployRoleForECS.json",
            ))
            .arg("--trust-policy")
            .arg(at(
                "policies/examples/ecs-codedeploy-role-trust-policy.json",
            ))
            .args(["--rcp", &at(rcp)])
            .args(extra)
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            out.status.code().unwrap(),
            doc["profiles"][0]["trust"]["decision"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    assert_eq!(
        trust_decision("tests/fixtures/check/rcp/deny-assume-role.json", &[]),
        (1, "explicitDeny".to_string())
    );
    assert_eq!(
        trust_decision("tests/fixtures/check/rcp/identity-perimeter.json", &[]),
        (0, "allowed".to_string())
    );
    // the confused-deputy RCP of the AWS Organizations examples: a service acting for a
    // resource outside the organization is denied; `--context aws:SourceOrgID=...` (the
    // organization CodeDeploy acts for) reaches the trust requirement too (red team 30)
    let deputy = "tests/fixtures/check/rcp/confused-deputy.json";
    assert_eq!(trust_decision(deputy, &[]), (1, "explicitDeny".to_string()));
    assert_eq!(
        trust_decision(deputy, &["--context", "aws:SourceOrgID=o-abcd1234"]),
        (0, "allowed".to_string())
    );
}

/// Red team 72: the deny of an RCP was reported as the trust policy's ("the trust policy does
/// not let `codedeploy.amazonaws.com` call `sts:AssumeRole` ...", help "an explicit deny in
/// the trust policy overrides every allow"), which sends the reviewer to a trust policy that
/// allows the service and cannot lift the deny. The verdict itself stands: `ecsCodeDeployRole`
/// is a service role, not a service-linked role, and the exceptions AWS lists under
/// "Resources and entities not restricted by RCPs" are service-linked roles (and AWS services
/// assuming them), the management account, AWS managed KMS keys and `kms:RetireGrant`
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#actions-not-restricted-by-rcps>);
/// AWS's own "cross-service confused deputy" RCP example denies `sts:*` to AWS service
/// principals (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html>),
/// so an RCP `Deny` on `sts:AssumeRole` applies to CodeDeploy's request. The denying policy
/// is the RCP, and every output names it: the SARIF result (the message and help the text and
/// GitHub outputs share) and its location, the statement `NoAssume` at line 4 of the fixture.
#[test]
fn an_rcp_that_denies_the_trust_requirement_is_named_as_the_denying_policy() {
    let sarif = |extra: &[&str]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .env(
                "XDG_CACHE_HOME",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
            )
            .args(["check", "--profile", "ecs-codedeploy-service-role"])
            .args(["--param", "account=111122223333", "--format", "sarif"])
            .arg(at(
                "policies/examples/ecs-codedeploy-role-AWSCodeDeployRoleForECS.json",
            ))
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "trust-not-allowed")
            .unwrap_or_else(|| panic!("no trust-not-allowed result: {doc}"))
            .clone()
    };
    let rcp = at("tests/fixtures/check/rcp/deny-assume-role.json");
    let trust = at("policies/examples/ecs-codedeploy-role-trust-policy.json");
    let r = sarif(&["--trust-policy", &trust, "--rcp", &rcp]);
    let text = r["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "the resource control policy `{rcp}` does not let `codedeploy.amazonaws.com` call `sts:AssumeRole`"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("explicitly denied by {rcp}:4 (Sid `NoAssume`)")),
        "{text}"
    );
    assert!(
        text.contains("an explicit deny in a resource control policy"),
        "{text}"
    );
    assert!(!text.contains("the trust policy does not let"), "{text}");
    assert!(!text.contains("deny in the trust policy"), "{text}");
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("tests/fixtures/check/rcp/deny-assume-role.json"),
        "{loc}"
    );
    assert_eq!(loc["region"]["startLine"], 4);

    // A `Deny` in the trust policy itself is still the trust policy's (IAM JSON policy
    // elements, Effect: an explicit deny overrides an allow), and with the RCP's both are named.
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("trust-deny.json");
    std::fs::write(
        &own,
        r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"},
{"Sid":"NoOne","Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let own = own.to_string_lossy().into_owned();
    let r = sarif(&["--trust-policy", &own]);
    let text = r["message"]["text"].as_str().unwrap();
    assert!(text.contains("the trust policy does not let"), "{text}");
    assert!(
        text.contains("an explicit deny in the trust policy"),
        "{text}"
    );
    let r = sarif(&["--trust-policy", &own, "--rcp", &rcp]);
    let text = r["message"]["text"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "the trust policy and the resource control policy `{rcp}` do not let"
        )),
        "{text}"
    );
}
