//! A value a template cannot know in a `Resource` (`Fn::ImportValue` of another stack's
//! export, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-importvalue.html)
//! is a typed placeholder: an ARN of the statement's service that matches only itself. The
//! document parses, lints without an error and evaluates; the placeholder is named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: queue
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [sqs:SendMessage, sqs:GetQueueUrl]
                Resource: !ImportValue SharedQueueArn
"#;

fn gl(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn an_imported_resource_is_a_typed_placeholder() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("worker.yaml");
    std::fs::write(&p, TEMPLATE).unwrap();
    let p = p.display().to_string();
    // lint: no error finding for the placeholder, and it is named
    let (code, out, err) = gl(&["lint", &p, "--fail-on", "error", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("UNKNOWN-ImportValue-SharedQueueArn"), "{err}");
    // verify: the placeholder evaluates; the role sends to that queue only
    let (code, out, err) = gl(&[
        "verify",
        &format!("{p}#Worker"),
        "--not-granted",
        "sqs:DeleteQueue",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = gl(&[
        "verify",
        &format!("{p}#Worker"),
        "--not-granted",
        "sqs:SendMessage",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = v["assertions"][0]["counterexamples"][0]["resource"]
        .as_str()
        .unwrap();
    // the counterexample is the placeholder itself, never a wildcard
    assert!(
        r.starts_with("arn:aws:sqs:") && r.ends_with(":UNKNOWN-ImportValue-SharedQueueArn"),
        "{r}"
    );
}

#[test]
fn a_terraform_attribute_the_reader_cannot_know_is_a_typed_placeholder_too() {
    // `aws_mq_broker.b.arn`: a resource type whose ARN the `.tf` reader does not build.
    let tf = r#"resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "p" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["mq:RebootBroker"], Resource = aws_mq_broker.b.arn }]
  })
}
resource "aws_mq_broker" "b" {
  broker_name = "b"
}
"#;
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("main.tf");
    std::fs::write(&p, tf).unwrap();
    let p = p.display().to_string();
    let (code, out, err) = gl(&[
        "verify",
        &p,
        "--not-granted",
        "mq:RebootBroker",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = v["assertions"][0]["counterexamples"][0]["resource"]
        .as_str()
        .unwrap();
    assert!(
        r.starts_with("arn:aws:mq:") && r.ends_with(":UNKNOWN-aws_mq_broker.b.arn"),
        "{r}"
    );
}
