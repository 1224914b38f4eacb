//! Service control policies and resource control policies inside templates: CloudFormation
//! `AWS::Organizations::Policy` (`Type`, `Content` as a JSON object or its text,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html>)
//! and Terraform `aws_organizations_policy` (`type` defaults to `SERVICE_CONTROL_POLICY`,
//! `content` a JSON text,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy>).
//!
//! An SCP grants nothing; AWS keeps `FullAWSAccess` attached beside the deny-list SCPs, and a
//! request must be allowed at every level and denied by none
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
//! Narrowing the SCP's `Deny iam:*` to `Deny iam:CreateUser` therefore lets every other IAM
//! action through: an addition. Red-team pass 9: these documents were not read at all and
//! `diff` said "0 added".

use crate::support::cli::*;

use serde_json::Value;

const CFN_OBJECT: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guard
      Type: SERVICE_CONTROL_POLICY
      TargetIds: ["ou-abcd-12345678"]
      Content:
        Version: "2012-10-17"
        Statement:
          - Sid: NoIam
            Effect: Deny
            Action: "iam:*"
            Resource: "*"
"#;

const CFN_TEXT: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guard
      Type: SERVICE_CONTROL_POLICY
      TargetIds: ["ou-abcd-12345678"]
      Content: '{"Version":"2012-10-17","Statement":[{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}'
"#;

/// `type` left to its default (`SERVICE_CONTROL_POLICY`).
const TF_JSONENCODE: &str = r#"resource "aws_organizations_policy" "guard" {
  name = "guard"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Sid = "NoIam", Effect = "Deny", Action = "iam:*", Resource = "*" }]
  })
}
"#;

const TF_HEREDOC: &str = r#"resource "aws_organizations_policy" "guard" {
  name    = "guard"
  type    = "SERVICE_CONTROL_POLICY"
  content = <<EOF
{"Version":"2012-10-17","Statement":[{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}
EOF
}
"#;

const TF_DOCUMENT: &str = r#"data "aws_iam_policy_document" "guard" {
  statement {
    sid       = "NoIam"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_organizations_policy" "guard" {
  name    = "guard"
  content = data.aws_iam_policy_document.guard.json
}
"#;

fn narrowed(text: &str) -> String {
    let out = text
        .replace(r#""iam:*""#, r#""iam:CreateUser""#)
        .replace(r#"\"iam:*\""#, r#"\"iam:CreateUser\""#);
    assert_ne!(out, text);
    out
}

fn actions(v: &Value, side: &str) -> Vec<String> {
    v[side]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["actions"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn diff_files(name: &str, old: &str, new: &str) -> (i32, Value, String) {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), &format!("old/{name}"), old);
    let b = write(d.path(), &format!("new/{name}"), new);
    let (code, out, err) = gl(&["diff", "--format", "json", &a, &b]);
    assert!(code == 0 || code == 1, "{out}{err}");
    (code, json(&out), err)
}

fn assert_narrowing_added(code: i32, v: &Value) {
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["summary"]["added"], 1, "{v}");
    assert_eq!(v["summary"]["unknown"], 0, "{v}");
    assert_eq!(v["added"][0]["policyType"], "scp", "{v}");
    let added = actions(v, "added");
    assert!(added.contains(&"iam:DeleteRole".to_string()), "{v}");
    assert!(added.contains(&"iam:PassRole".to_string()), "{v}");
    assert!(!added.contains(&"iam:CreateUser".to_string()), "{v}");
    assert!(!added.iter().any(|a| !a.starts_with("iam:")), "{v}");
}

#[test]
fn cloudformation_scp_narrowed_deny_is_added() {
    for (what, t) in [("object", CFN_OBJECT), ("JSON text", CFN_TEXT)] {
        let (code, v, err) = diff_files("t.yaml", t, &narrowed(t));
        assert_narrowing_added(code, &v);
        assert_eq!(
            v["added"][0]["document"], "Resources/Guard/Content",
            "{what}: {v}"
        );
        assert!(!err.contains("does not read"), "{what}: {err}");
        // the same template on both sides: nothing new
        let (code, v, _) = diff_files("t.yaml", t, t);
        assert_eq!(code, 0, "{what}: {v}");
        assert_eq!(v["summary"]["added"], 0, "{what}: {v}");
    }
}

#[test]
fn terraform_scp_narrowed_deny_is_added() {
    for (what, t) in [
        ("jsonencode, default type", TF_JSONENCODE),
        ("heredoc", TF_HEREDOC),
        ("aws_iam_policy_document", TF_DOCUMENT),
    ] {
        let (code, v, _) = diff_files("main.tf", t, &narrowed(t));
        assert_narrowing_added(code, &v);
        assert_eq!(
            v["added"][0]["document"], "aws_organizations_policy.guard/content",
            "{what}: {v}"
        );
        let (code, v, _) = diff_files("main.tf", t, t);
        assert_eq!(code, 0, "{what}: {v}");
    }
}

fn plan(policy_type: Option<&str>, content: &str) -> String {
    let mut values = serde_json::json!({"name": "guard", "content": content});
    if let Some(t) = policy_type {
        values["type"] = t.into();
    }
    serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_organizations_policy.guard", "mode": "managed",
            "type": "aws_organizations_policy", "name": "guard", "values": values}]}},
        "resource_changes": [{"address": "aws_organizations_policy.guard",
            "change": {"actions": ["create"], "after_unknown": {}}}]
    })
    .to_string()
}

const DENY_IAM: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;

#[test]
fn terraform_plan_scp_narrowed_deny_is_added() {
    let t = plan(Some("SERVICE_CONTROL_POLICY"), DENY_IAM);
    let (code, v, _) = diff_files("plan.json", &t, &narrowed(&t));
    assert_narrowing_added(code, &v);
    assert_eq!(
        v["added"][0]["document"],
        "aws_organizations_policy.guard/content"
    );
}

/// An RCP that denies S3 to every caller, as a CloudFormation `Content` object.
const CFN_RCP: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guard
      Type: RESOURCE_CONTROL_POLICY
      TargetIds: ["ou-abcd-12345678"]
      Content:
        Version: "2012-10-17"
        Statement:
          - Sid: NoS3
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: "*"
"#;

const DENY_S3_RCP: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoS3","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;

fn rcp_narrowed(text: &str) -> String {
    let out = text
        .replace(r#""s3:*""#, r#""s3:DeleteBucket""#)
        .replace(r#"\"s3:*\""#, r#"\"s3:DeleteBucket\""#);
    assert_ne!(out, text);
    out
}

/// A resource control policy (`Type`/`type` `RESOURCE_CONTROL_POLICY`) is read as an RCP:
/// narrowing its `Deny s3:*` to `s3:DeleteBucket` lets every other S3 action through for
/// callers of any account — an addition (`policyType` `rcp`), since `RCPFullAWSAccess` stays
/// attached and a `Deny` in any RCP denies
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html>);
/// `verify` verifies it as `--policy-type rcp` without the flag.
#[test]
fn a_resource_control_policy_is_read_as_an_rcp() {
    let d = tempfile::tempdir().unwrap();
    let tf_heredoc = TF_HEREDOC
        .replace("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")
        .replace(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#,
            DENY_S3_RCP,
        );
    let cases = [
        ("t.yaml", CFN_RCP.to_string(), "Resources/Guard/Content"),
        (
            "plan.json",
            plan(Some("RESOURCE_CONTROL_POLICY"), DENY_S3_RCP),
            "aws_organizations_policy.guard/content",
        ),
        (
            "main.tf",
            tf_heredoc,
            "aws_organizations_policy.guard/content",
        ),
    ];
    for (name, t, document) in cases {
        assert!(t.contains("RESOURCE_CONTROL_POLICY"), "{name}");
        let (code, v, err) = diff_files(name, &t, &rcp_narrowed(&t));
        assert_eq!(code, 1, "{name}: {v}{err}");
        assert_eq!(v["summary"]["added"], 1, "{name}: {v}");
        assert_eq!(v["summary"]["unknown"], 0, "{name}: {v}");
        assert_eq!(v["added"][0]["policyType"], "rcp", "{name}: {v}");
        assert_eq!(v["added"][0]["document"], document, "{name}: {v}");
        let added = actions(&v, "added");
        assert!(added.contains(&"s3:GetObject".to_string()), "{name}: {v}");
        assert!(
            !added.contains(&"s3:DeleteBucket".to_string()),
            "{name}: {v}"
        );
        assert!(added.iter().all(|a| a.starts_with("s3:")), "{name}: {v}");
        // the same template on both sides: nothing new
        let (code, v, _) = diff_files(name, &t, &t);
        assert_eq!(code, 0, "{name}: {v}");

        let old = write(d.path(), &format!("o/{name}"), &t);
        let new = write(d.path(), &format!("n/{name}"), &rcp_narrowed(&t));
        let (code, out, err) = gl(&["verify", &old, "--not-granted", "s3:GetObject"]);
        assert_eq!(code, 0, "{name}: {out}{err}");
        let (code, out, err) = gl(&["verify", &new, "--not-granted", "s3:GetObject"]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        let (code, out, err) = gl(&["verify", &new, "--not-granted", "s3:DeleteBucket"]);
        assert_eq!(code, 0, "{name}: {out}{err}");

        let (code, out, err) = gl(&["lint", "--format", "json", &old]);
        assert!(code == 0 || code == 1, "{name}: {out}{err}");
        let v = json(&out);
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 1, "{name}: {v}");
        assert_eq!(files[0]["policy_type"], "rcp", "{name}: {v}");
    }
}

/// A policy type not known statically stays named and `unknown` (exit 2), never a silent
/// pass.
#[test]
fn an_organizations_policy_of_a_type_not_known_is_unknown() {
    let t = CFN_OBJECT.replace("SERVICE_CONTROL_POLICY", "!Ref PolicyType");
    let t = t.replace(
        "Resources:",
        "Parameters:\n  PolicyType:\n    Type: String\nResources:",
    );
    let (code, v, err) = {
        let d = tempfile::tempdir().unwrap();
        let a = write(d.path(), "old/t.yaml", &t);
        let b = write(d.path(), "new/t.yaml", &narrowed(&t));
        let (code, out, err) = gl(&["diff", "--format", "json", &a, &b]);
        (code, json(&out), err)
    };
    assert_eq!(code, 2, "{v}{err}");
    assert_eq!(v["summary"]["unknown"], 1, "{v}");
}

/// The SCP is linted as an SCP: `NotResource` in an SCP is GL078 (`scp-not-resource`), a
/// rule that applies to SCPs only
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html>).
#[test]
fn lint_lints_the_template_scp_as_an_scp() {
    let d = tempfile::tempdir().unwrap();
    let (resource, not_resource) = (
        r#""Resource":"*"}]}"#,
        r#""NotResource":"arn:aws:iam::*:role/admin"}]}"#,
    );
    let cfn = write(
        d.path(),
        "t.yaml",
        &CFN_TEXT.replace(resource, not_resource),
    );
    let tf = write(
        d.path(),
        "main.tf",
        &TF_HEREDOC.replace(resource, not_resource),
    );
    for (p, doc) in [
        (&cfn, "#Resources/Guard/Content"),
        (&tf, "#aws_organizations_policy.guard/content"),
    ] {
        let (code, out, err) = gl(&["lint", "--format", "json", p]);
        assert!(code == 0 || code == 1, "{out}{err}");
        let v = json(&out);
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), 1, "{v}");
        assert_eq!(files[0]["file"], format!("{p}{doc}"), "{v}");
        assert_eq!(files[0]["policy_type"], "scp", "{v}");
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "GL078"),
            "{v}"
        );
    }
}

#[test]
fn diff_base_reports_a_narrowed_template_scp() {
    let d = repo(&[
        ("org/guard.yaml", CFN_OBJECT),
        ("tf/main.tf", TF_JSONENCODE),
    ]);
    let clean = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", show(&clean));

    write(d.path(), "org/guard.yaml", &narrowed(CFN_OBJECT));
    write(d.path(), "tf/main.tf", &narrowed(TF_JSONENCODE));
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert_eq!(v["summary"]["added"], 2, "{v}");
    let docs = units(&v, "added");
    assert!(
        docs.contains(&("org/guard.yaml", "Resources/Guard/Content", "scp")),
        "{v}"
    );
    assert!(
        docs.iter().any(|(p, d, k)| p.starts_with("tf")
            && *d == "aws_organizations_policy.guard/content"
            && *k == "scp"),
        "{v}"
    );
    assert!(actions(&v, "added").contains(&"iam:DeleteRole".to_string()));
}

/// Deleting the SCP resource from the template lifts its Deny: an addition.
#[test]
fn diff_base_reports_a_deleted_template_scp() {
    let d = repo(&[("org/guard.yaml", CFN_OBJECT)]);
    write(
        d.path(),
        "org/guard.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert!(
        actions(&v, "added").contains(&"iam:CreateUser".to_string()),
        "{v}"
    );
}

/// `verify --policy-type scp` on a template's SCP: a deny list sits beside `FullAWSAccess`, so
/// what it does not deny is granted (the action it denies is not).
#[test]
fn verify_an_scp_of_a_template_beside_full_aws_access() {
    let d = tempfile::tempdir().unwrap();
    let cfn = write(d.path(), "t.yaml", &narrowed(CFN_OBJECT));
    let tf = write(d.path(), "main.tf", &narrowed(TF_DOCUMENT));
    for p in [&cfn, &tf] {
        let (code, out, err) = gl(&[
            "verify",
            "--policy-type",
            "scp",
            p,
            "--not-granted",
            "iam:DeleteRole",
        ]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("notGranted: fails"), "{out}{err}");
        let (code, out, err) = gl(&[
            "verify",
            "--policy-type",
            "scp",
            p,
            "--not-granted",
            "iam:CreateUser",
        ]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("notGranted: holds (1 of 1"), "{out}{err}");
    }
}

/// `verify` of a template holding only an SCP verifies it as `--policy-type scp` does (beside
/// `FullAWSAccess`), as the README says: the deny list holds for `iam:CreateUser` and fails
/// for `s3:GetObject`. Before, the SCP was skipped and `--not-granted s3:GetObject` read
/// "holds (0 of 1 documents checked)". An assertion no input answers is `unknown`, exit 2.
#[test]
fn verify_of_a_template_scp_needs_no_policy_type() {
    let d = tempfile::tempdir().unwrap();
    let t = write(d.path(), "scp.yaml", CFN_OBJECT);
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", t.as_str(), "--format", "json"];
        args.extend(extra);
        let (code, out, err) = gl(&args);
        (code, json(&out), err)
    };
    let (code, v, err) = verify(&["--not-granted", "iam:CreateUser"]);
    assert_eq!(code, 0, "{v} {err}");
    assert_eq!(v["assertions"][0]["holds"], true);
    assert_eq!(v["assertions"][0]["checked"], 1);
    let (code, v, err) = verify(&["--not-granted", "s3:GetObject"]);
    assert_eq!(code, 1, "{v} {err}");
    assert_eq!(v["assertions"][0]["holds"], false);
    // no resource or trust policy: nothing checked, nothing proved
    let (code, v, err) = verify(&["--no-public-access"]);
    assert_eq!(code, 2, "{v} {err}");
    assert!(v["assertions"][0]["holds"].is_null(), "{v}");
    assert_eq!(v["assertions"][0]["checked"], 0);
}

/// `diff --base`: a narrowed template RCP is an addition of policy type `rcp`, and deleting
/// the RCP resource lifts its `Deny` (RCP evaluation: a `Deny` in any RCP denies,
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html>).
#[test]
fn diff_base_reports_a_narrowed_and_a_deleted_template_rcp() {
    let d = repo(&[("org/guard.yaml", CFN_RCP)]);
    let clean = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", show(&clean));
    write(d.path(), "org/guard.yaml", &rcp_narrowed(CFN_RCP));
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert_eq!(v["summary"]["added"], 1, "{v}");
    assert!(
        units(&v, "added").contains(&("org/guard.yaml", "Resources/Guard/Content", "rcp")),
        "{v}"
    );
    let added = actions(&v, "added");
    assert!(added.contains(&"s3:GetObject".to_string()), "{v}");
    assert!(!added.contains(&"s3:DeleteBucket".to_string()), "{v}");

    write(
        d.path(),
        "org/guard.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert!(
        actions(&v, "added").contains(&"s3:DeleteBucket".to_string()),
        "{v}"
    );
}

/// Beside a role, a deny-list SCP is not asked "does it grant `iam:CreateUser`?": SCPs grant
/// nothing, and the role does not grant it, so the assertion holds (verifying the SCP beside
/// `FullAWSAccess` there made it fail, blaming the SCP).
#[test]
fn verify_of_a_template_with_a_role_and_an_scp_asks_the_role() {
    let d = tempfile::tempdir().unwrap();
    let text = format!(
        "{CFN_OBJECT}  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: \"*\"
"
    );
    let t = write(d.path(), "mixed.yaml", &text);
    let (code, out, err) = gl(&[
        "verify",
        &t,
        "--not-granted",
        "sqs:DeleteQueue",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["assertions"][0]["holds"], true);
    // what the role grants still fails
    let (code, _, err) = gl(&["verify", &t, "--not-granted", "s3:GetObject"]);
    assert_eq!(code, 1, "{err}");
}

/// A CloudFormation SCP whose `Content` is not known offline (a parameter without value): it
/// may deny anything, so deleting it, or giving it a content where it had one not known, may
/// allow anything at its `TargetIds` — an unknown naming the target (exit 2; both were
/// "0 added", exit 0, red team 74). A target removed was already unknown; one added, with the
/// content still not known, is nothing new.
#[test]
fn diff_base_of_a_template_scp_whose_content_is_not_known() {
    const UNKNOWN: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  GuardContent:
    Type: String
Resources:
  Guard:
    Type: AWS::Organizations::Policy
    Properties:
      Name: guard
      Type: SERVICE_CONTROL_POLICY
      TargetIds: ["ou-abcd-12345678"]
      Content: !Ref GuardContent
  Topic:
    Type: AWS::SNS::Topic
"#;
    let deleted = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    let known = UNKNOWN.replace(
        "Content: !Ref GuardContent",
        r#"Content: {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#,
    );
    for new in [deleted.to_string(), known] {
        let d = repo(&[("org/guard.yaml", UNKNOWN)]);
        write(d.path(), "org/guard.yaml", &new);
        let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
        assert_eq!(o.status.code(), Some(2), "{new}\n{}", show(&o));
        let v = parsed(&o);
        let reason = v["unknown"][0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("ou-abcd-12345678") && reason.contains("not known offline"),
            "{v}"
        );
        assert_eq!(
            v["unknown"][0]["document"], "Resources/Guard/Content",
            "{v}"
        );
    }
    a_target_added_is_nothing(UNKNOWN);
}

/// An organizations policy whose `Type` is not known offline (a parameter without value) may
/// be an SCP or an RCP: deleting it, or taking a target from it, may lift a `Deny`, so `diff
/// --base` names the target (`unknown`, exit 2; it was "0 added"). Adding a target only
/// restricts more: nothing.
#[test]
fn diff_base_of_an_organizations_policy_of_a_type_not_known() {
    let t = CFN_OBJECT
        .replace("SERVICE_CONTROL_POLICY", "!Ref PolicyType")
        .replace(
            "Resources:",
            "Parameters:\n  PolicyType:\n    Type: String\nResources:",
        );
    let deleted = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    let retargeted = t.replace("ou-abcd-12345678", "ou-abcd-99999999");
    for new in [deleted.to_string(), retargeted] {
        let d = repo(&[("org/guard.yaml", &t)]);
        write(d.path(), "org/guard.yaml", &new);
        let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
        assert_eq!(o.status.code(), Some(2), "{new}\n{}", show(&o));
        let v = parsed(&o);
        assert!(v["unknown"].to_string().contains("ou-abcd-12345678"), "{v}");
    }
    a_target_added_is_nothing(&t);
}

/// `diff --base` of the template `t` (an organizations policy attached to
/// `ou-abcd-12345678`) against the same with a second target: nothing is lifted.
fn a_target_added_is_nothing(t: &str) {
    let d = repo(&[("org/guard.yaml", t)]);
    write(
        d.path(),
        "org/guard.yaml",
        &t.replace(
            r#"["ou-abcd-12345678"]"#,
            r#"["ou-abcd-12345678", "ou-abcd-99999999"]"#,
        ),
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    let v = parsed(&o);
    assert!(
        !v["unknown"].to_string().contains("no longer applies"),
        "{}",
        show(&o)
    );
}
