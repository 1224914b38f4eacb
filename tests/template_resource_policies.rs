//! Resource policies inside templates that `verify --no-public-access` and `lint` must see:
//! the inline-policy resource types of CloudFormation and the inline `policy` arguments of
//! Terraform resources, policies CloudFormation states as one statement, and policy-shaped
//! values of types greenlight does not read (a note, and `unknown` rather than a pass).
//! Fixtures: tests/fixtures/resource-policies/, each citing the CloudFormation or Terraform
//! documentation page of the types it uses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

#[path = "support/cli.rs"]
mod cli;
use cli::*;

const DIR: &str = "tests/fixtures/resource-policies";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// `verify --no-public-access --format json FILE`: (exit code, the assertion, stderr).
fn no_public_access(file: &str) -> (i32, Value, String) {
    let (code, out, err) = gl(&["verify", "--no-public-access", "--format", "json", file]);
    let v = json(&out);
    let a = v["assertions"][0].clone();
    (code, a, err)
}

/// The documents of an assertion's counterexamples (or `unknown` entries), sorted, once each.
fn documents(a: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = a[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["document"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The documents `lint` reports `open-resource-policy` in, sorted.
fn open_in_lint(file: &str) -> Vec<String> {
    let (code, out, err) = gl(&["lint", "--format", "json", file]);
    assert_eq!(code, 1, "{out}{err}");
    let mut got: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "open-resource-policy")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            file.split_once('#').unwrap().1.to_string()
        })
        .collect();
    got.sort();
    got
}

/// The red team's case: the public policies of `AWS::SQS::QueueInlinePolicy`,
/// `AWS::SNS::TopicInlinePolicy` and `AWS::S3Express::BucketPolicy` were not read, so
/// `verify --no-public-access` held on the one account-only bucket policy.
#[test]
fn cloudformation_inline_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("cfn-inline.yaml"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["holds"], false);
    assert_eq!(a["checked"], 4);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "Resources/B/PolicyDocument",
            "Resources/QP/PolicyDocument",
            "Resources/TP/PolicyDocument"
        ]
    );
    let sqs = a["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["document"] == "Resources/QP/PolicyDocument")
        .unwrap();
    assert_eq!(sqs["principal"], "*");
    assert_eq!(sqs["action"], "sqs:SendMessage");
}

#[test]
fn cloudformation_inline_policies_are_linted() {
    assert_eq!(
        open_in_lint(&fixture("cfn-inline.yaml")),
        [
            "Resources/B/PolicyDocument",
            "Resources/QP/PolicyDocument",
            "Resources/TP/PolicyDocument"
        ]
    );
}

/// A layer version permission and an event bus policy are the statement each adds (public
/// unless `OrganizationId` / the `aws:PrincipalOrgID` condition bounds it); a DynamoDB stream's
/// resource policy sits under `StreamSpecification`, a global table's under each replica.
#[test]
fn cloudformation_statements_and_nested_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("cfn-statements.yaml"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["checked"], 6);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "Resources/Bus",
            "Resources/Global/Replicas/1/ResourcePolicy/PolicyDocument",
            "Resources/Layer",
            "Resources/Table/StreamSpecification/ResourcePolicy/PolicyDocument"
        ]
    );
}

/// Policy-shaped properties of types no reader takes are named on standard error and make
/// the verdict `unknown` (exit 2), never a pass; a VPC endpoint policy (a filter) is not named.
#[test]
fn cloudformation_unread_policies_are_unknown() {
    let file = fixture("cfn-unread.yaml");
    let (code, a, err) = no_public_access(&file);
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(a["holds"], Value::Null);
    assert_eq!(
        documents(&a, "unknown"),
        [
            "Resources/Custom/Properties/Doc",
            "Resources/Perm/Properties/InlinePolicy"
        ]
    );
    assert!(
        err.contains("`Resources/Perm/Properties/InlinePolicy` (AWS::SSO::PermissionSet) holds a policy document greenlight does not read"),
        "{err}"
    );
    assert!(!err.contains("Endpoint"), "{err}");
    // lint names them too, and stays clean
    let (code, out, err) = gl(&["lint", &file]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("Resources/Custom/Properties/Doc"), "{err}");
}

/// `diff` answers `unknown` when an unread policy changed, and nothing when it did not.
#[test]
fn diff_of_an_unread_policy_is_unknown_when_it_changed() {
    let file = fixture("cfn-unread.yaml");
    let (code, out, err) = gl(&["diff", &file, &file]);
    assert_eq!(code, 0, "{out}{err}");
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("cfn-unread.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &changed,
        // the permission set's (and the filtering endpoint's) `s3:*` becomes `*`
        text.replace("\"s3:*\"", "\"*\""),
    )
    .unwrap();
    let (code, out, err) = gl(&["diff", "--format", "json", &file, changed.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    let text = v.to_string();
    assert!(
        text.contains("Resources/Perm/Properties/InlinePolicy"),
        "{text}"
    );
}

/// The red team's Terraform case: inline `policy` arguments of `aws_sqs_queue`,
/// `aws_sns_topic` and `aws_s3_bucket` (and of `aws_secretsmanager_secret`,
/// `aws_opensearch_domain.access_policies`) were not read.
#[test]
fn terraform_inline_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("tf-inline/main.tf"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["checked"], 6);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "aws_opensearch_domain.d/access_policies",
            "aws_s3_bucket.b/policy",
            "aws_secretsmanager_secret.s/policy",
            "aws_sns_topic.t/policy",
            "aws_sqs_queue.q/policy"
        ]
    );
}

#[test]
fn terraform_inline_policies_are_linted() {
    let got = open_in_lint(&fixture("tf-inline/main.tf"));
    for want in [
        "aws_s3_bucket.b/policy",
        "aws_sns_topic.t/policy",
        "aws_sqs_queue.q/policy",
    ] {
        assert!(got.iter().any(|g| g == want), "{want}: {got:?}");
    }
}

/// `.tf`: an unread type's policy-shaped (or unknown) policy argument is `unknown`; a public
/// layer version permission is a counterexample; an event permission bounded by
/// `aws:PrincipalOrgID` and a VPC endpoint policy are not.
#[test]
fn terraform_unread_policies_are_unknown() {
    let (code, a, err) = no_public_access(&fixture("tf-unread/main.tf"));
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["aws_lambda_layer_version_permission.l/permission"]
    );
    assert_eq!(
        documents(&a, "unknown"),
        [
            "aws_ssoadmin_permission_set_inline_policy.p/inline_policy",
            "aws_thing_unknown.x/policy"
        ]
    );
    assert!(err.contains("aws_thing_unknown.x/policy"), "{err}");
    assert!(!err.contains("aws_vpc_endpoint"), "{err}");
    // `lint` of the file names them (and what the unknown one stands for)
    let (code, out, err) = gl(&["lint", &fixture("tf-unread/main.tf")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("`aws_ssoadmin_permission_set_inline_policy.p/inline_policy` (aws_ssoadmin_permission_set_inline_policy) holds a policy document greenlight does not read"),
        "{err}"
    );
    assert!(err.contains("`UNKNOWN-var.p` stands for"), "{err}");
}

/// `diff old/ new/` of `.tf` folders: an unread policy that changed is `unknown` (exit 2).
#[test]
fn terraform_diff_of_an_unread_policy_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("tf-unread/main.tf")).unwrap();
    for (side, t) in [
        ("old", text.clone()),
        ("new", text.replace("Action = \"s3:*\"", "Action = \"*\"")),
    ] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("main.tf"), t).unwrap();
    }
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let (code, out, err) = gl(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = gl(&[
        "diff",
        "--format",
        "json",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["summary"]["unknown"], 1, "{v}");
    assert_eq!(
        v["unknown"][0]["document"], "aws_ssoadmin_permission_set_inline_policy.p/inline_policy",
        "{v}"
    );
}

/// A plan: `aws_sqs_queue.policy` is read; `aws_s3_bucket.policy`, computed and not set by the
/// configuration, is not a document; `aws_iot_policy.policy` is named and `unknown`.
#[test]
fn terraform_plan_inline_and_unread_policies() {
    let (code, a, err) = no_public_access(&fixture("plan-inline.json"));
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(documents(&a, "counterexamples"), ["aws_sqs_queue.q/policy"]);
    assert_eq!(documents(&a, "unknown"), ["aws_iot_policy.i/policy"]);
    assert!(!err.contains("aws_s3_bucket.b"), "{err}");
}
