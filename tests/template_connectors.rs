//! SAM connectors end to end: the policies SAM generates for `AWS::Serverless::Connector`
//! resources and embedded `Connectors` are linted, held by the template's principals for
//! `check --template` and `verify FILE#LogicalId`. Fixture and sources:
//! tests/fixtures/templates/README.md (`sam-connectors.yaml`).
//!
//! SAM documentation: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-connector.html,
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/managing-permissions-connectors.html,
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn gl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const FIXTURE: &str = "tests/fixtures/templates/sam-connectors.yaml";

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `lint` reads the documents the connectors generate, named as SAM names the generated
/// resources (sam-specification-generated-resources-connector.html): `<connector>Policy` (a
/// managed policy, identity), `<connector>QueuePolicy` (resource).
#[test]
fn lint_reads_the_policies_connectors_generate() {
    let (code, out, err) = gl(&["lint", "--format", "json", FIXTURE]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    let files: Vec<(String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["policy_type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (doc, kind) in [
        (
            "Resources/MyFunctionMyConnPolicy/PolicyDocument",
            "identity",
        ),
        (
            "Resources/TopicToQueueQueuePolicy/PolicyDocument",
            "resource",
        ),
        (
            "Resources/MyStateMachineInvokeConnPolicy/PolicyDocument",
            "identity",
        ),
    ] {
        let name = format!("{FIXTURE}#{doc}");
        assert!(
            files.contains(&(name.clone(), kind.to_string())),
            "{name} ({kind}) not in {files:?}"
        );
    }
}

/// The function's generated role holds the connector's `Read` statement
/// (`dynamodb:GetItem`, ... on the table) and nothing of `Write` (`dynamodb:PutItem`); the
/// counterexample points at the connector in the template.
#[test]
fn the_function_role_holds_the_read_connector_and_no_write() {
    let unit = format!("{FIXTURE}#MyFunctionRole");
    let (code, out, err) = gl(&["verify", &unit, "--not-granted", "dynamodb:GetItem"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "`dynamodb:GetItem` on `arn:aws:dynamodb:xx-unknown-1:000000000000:table/notes`"
        ),
        "{out}"
    );
    assert!(
        out.contains("sam-connectors.yaml#Resources/MyFunctionMyConnPolicy/PolicyDocument:15:"),
        "{out}"
    );
    let (code, out, err) = gl(&["verify", &unit, "--not-granted", "dynamodb:PutItem"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// `check --template` counts a connector's policy: the lifecycle-hook role of the ECS-native
/// blue/green guide (trust `ecs.amazonaws.com`,
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-permissions.html)
/// gets `lambda:InvokeFunction` on the hook function from a connector whose source is named by
/// `Type` and `RoleName` (the `AWS::Lambda::Function` → `AWS::Serverless::Function` `Write`
/// profile: `lambda:InvokeAsync`, `lambda:InvokeFunction` on the destination). Without the
/// connector the same role has one gap.
#[test]
fn check_counts_the_connector_policy() {
    let with = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  HookRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ecsLifecycleHookRole
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs.amazonaws.com
            Action: sts:AssumeRole
  HookFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: my-lifecycle-hook
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(e, c): return {'hookStatus': 'SUCCEEDED'}"
  HookConnector:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Type: AWS::Lambda::Function
        RoleName: !Ref HookRole
      Destination:
        Id: HookFunction
      Permissions:
        - Write
"#;
    let without = &with[..with.find("  HookConnector:").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let mut gaps = Vec::new();
    for (name, text) in [("with.yaml", with), ("without.yaml", without)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (code, out, err) = gl(&[
            "check",
            "--profile",
            "ecs-native-bluegreen-hook-role",
            "--format",
            "json",
            "--template",
            path.to_str().unwrap(),
            "--role",
            "HookRole",
            "--account",
            "111122223333",
            "--region",
            "us-east-1",
        ]);
        assert!(code == 0 || code == 1, "{out}{err}");
        gaps.push((code, json(&out)["gaps"].as_u64().unwrap()));
    }
    assert_eq!(gaps, vec![(0, 0), (1, 1)]);
}

/// A connector SAM rejects is an error (exit 2) that names the connector and the types.
#[test]
fn an_unsupported_connector_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::DynamoDB::Table\n  C:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {Id: Q}\n      Destination: {Id: T}\n      Permissions: [Write]\n",
    )
    .unwrap();
    let (code, out, err) = gl(&["lint", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    let f = &v["findings"][0];
    assert_eq!(f["name"], "undecodable-document", "{out}");
    assert_eq!(
        f["message"],
        "connector `C`: SAM has no connector from `AWS::SQS::Queue` to `AWS::DynamoDB::Table`"
    );
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .contains("SAM connects to `AWS::Lambda::Function`"),
        "{out}"
    );
    assert_eq!(f["line"], 8);
}
