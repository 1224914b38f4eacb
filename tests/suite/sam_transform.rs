//! What the SAM transform generates for an `AWS::Serverless::Function`, read as SAM writes it
//! (red-team pass 8, findings 3 and 9). Sources: the SAM developer guide's function resource
//! (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html),
//! its generated resources
//! (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html),
//! Globals (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html),
//! and the SAM translator (aws/serverless-application-model `samtranslator/model/sam_resources.py`
//! `_construct_role`/`_construct_url_permission`/`_construct_invoke_permission`,
//! `model/eventsources/pull.py`, `model/iam.py`, `plugins/globals/globals.py`).

use crate::support::cli::*;

const HEAD: &str =
    "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\n";

/// A function `Fn` with `props` (indented YAML lines) after `globals`.
fn template(globals: &str, props: &str) -> String {
    format!(
        "{HEAD}{globals}Resources:\n  Q: {{Type: AWS::SQS::Queue}}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n{props}"
    )
}

/// `verify` of a template: exit code and the JSON answer.
fn verify(text: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "t.yaml", text);
    let mut a = vec!["verify", p.as_str(), "--format", "json"];
    a.extend_from_slice(args);
    let (code, out, err) = gl(&a);
    (code, json(&out), err)
}

/// The actions of the counterexamples of the first assertion.
fn granted(v: &serde_json::Value) -> Vec<String> {
    v["assertions"][0]["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap().to_string())
        .collect()
}

const TRUST_ANYONE: &str = "    AssumeRolePolicyDocument:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n          Principal: {AWS: \"*\"}\n          Action: sts:AssumeRole\n";

/// `AssumeRolePolicyDocument` is a `Globals.Function` property (globals.py
/// `supported_properties`; the Globals page lists it): a function without its own uses it, so
/// the role is public. It used to get the default Lambda trust.
#[test]
fn globals_assume_role_policy_document_is_the_role_trust() {
    let text = template(&format!("Globals:\n  Function:\n{TRUST_ANYONE}"), "");
    let (code, v, err) = verify(&text, &["--no-public-access"]);
    assert_eq!(code, 1, "{v}{err}");
    assert_eq!(v["assertions"][0]["holds"], false);
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "t.yaml", &text);
    let (code, out, err) = gl(&["lint", "--fail-on", "security", &p]);
    assert_eq!(code, 1, "{out}{err}");
}

/// Red-team 8, finding 9: a function's own `AssumeRolePolicyDocument` is read (the trust of
/// the role SAM generates), so it is not also named as a document greenlight does not read,
/// and its counterexample decides `verify` (`holds: false`, exit 1; it was `null`, exit 2).
#[test]
fn a_function_trust_is_read_once_and_its_counterexample_decides() {
    let own = TRUST_ANYONE.replace("\n    ", "\n      ");
    let text = template("", &format!("  {own}"));
    let (code, v, err) = verify(&text, &["--no-public-access"]);
    assert_eq!(code, 1, "{v}{err}");
    assert_eq!(v["assertions"][0]["holds"], false, "{v}");
    assert!(!err.contains("does not read"), "{err}");
}

/// `FunctionUrlConfig: {AuthType: NONE}` makes SAM write `FnUrlPublicPermissions`
/// (`lambda:InvokeFunctionUrl` for `*` with `FunctionUrlAuthType: NONE`) and
/// `FnURLInvokeAllowPublicAccess` (`lambda:InvokeFunction` for `*` with
/// `InvokedViaFunctionUrl: true`): new function URLs need both
/// (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). Also from `Globals`.
/// `AWS_IAM` makes neither.
#[test]
fn a_public_function_url_is_a_public_resource_policy() {
    let url = "      FunctionUrlConfig:\n        AuthType: NONE\n";
    for text in [
        template("", url),
        template(
            "Globals:\n  Function:\n    FunctionUrlConfig: {AuthType: NONE}\n",
            "",
        ),
    ] {
        let (code, v, err) = verify(&text, &["--no-public-access"]);
        assert_eq!(code, 1, "{v}{err}");
        let docs: Vec<&str> = v["assertions"][0]["counterexamples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["document"].as_str().unwrap())
            .collect();
        assert!(
            docs.contains(&"Resources/FnUrlPublicPermissions"),
            "{docs:?}"
        );
        assert!(
            docs.contains(&"Resources/FnURLInvokeAllowPublicAccess"),
            "{docs:?}"
        );
        let mut actions = granted(&v);
        actions.sort();
        assert_eq!(
            actions,
            ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]
        );
    }
    let text = template("", "      FunctionUrlConfig:\n        AuthType: AWS_IAM\n");
    let (code, v, err) = verify(&text, &["--no-public-access"]);
    assert_eq!(code, 0, "{v}{err}");
}

/// `_construct_role`: `VpcConfig` adds `AWSLambdaVPCAccessExecutionRole`, an SQS event
/// `AWSLambdaSQSQueueExecutionRole` (pull.py `SQS.get_policy_arn`), an SQS `DeadLetterQueue`
/// an inline `sqs:SendMessage` on its `TargetArn`. Without them none is granted.
#[test]
fn vpc_pull_events_and_the_dead_letter_queue_add_role_policies() {
    let ask = [
        "--not-granted",
        "sqs:DeleteMessage",
        "ec2:CreateNetworkInterface",
        "sqs:SendMessage",
        "kinesis:GetRecords",
        "dynamodb:GetRecords",
        "kafka:DescribeCluster",
        "--max-counterexamples",
        "10",
    ];
    let plain = template("", "");
    let (code, v, err) = verify(&plain, &ask);
    assert_eq!(code, 0, "{v}{err}");
    let text = template(
        "",
        "      VpcConfig:\n        SecurityGroupIds: [sg-123]\n        SubnetIds: [subnet-123]\n      DeadLetterQueue:\n        Type: SQS\n        TargetArn: !GetAtt Q.Arn\n      Events:\n        S:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n        K:\n          Type: Kinesis\n          Properties: {Stream: arn:aws:kinesis:us-east-1:111122223333:stream/s, StartingPosition: LATEST}\n        D:\n          Type: DynamoDB\n          Properties: {Stream: arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/x, StartingPosition: LATEST}\n        M:\n          Type: MSK\n          Properties: {Stream: arn:aws:kafka:us-east-1:111122223333:cluster/c/x, StartingPosition: LATEST, Topics: [t]}\n",
    );
    let (code, v, err) = verify(&text, &ask);
    assert_eq!(code, 1, "{v}{err}");
    let mut actions = granted(&v);
    actions.sort();
    assert_eq!(
        actions,
        [
            "dynamodb:GetRecords",
            "ec2:CreateNetworkInterface",
            "kafka:DescribeCluster",
            "kinesis:GetRecords",
            "sqs:DeleteMessage",
            "sqs:SendMessage"
        ]
    );
}

/// `Tracing` other than `Disabled` (`PassThrough` too) adds `AWSXrayWriteOnlyAccess`
/// (`_construct_role`: "Do not add xray policy ... if users explicitly specify 'Disabled'").
#[test]
fn tracing_pass_through_adds_xray_and_disabled_does_not() {
    for (tracing, code) in [("Active", 1), ("PassThrough", 1), ("Disabled", 0)] {
        let text = template("", &format!("      Tracing: {tracing}\n"));
        let (c, v, err) = verify(&text, &["--not-granted", "xray:PutTraceSegments"]);
        assert_eq!(c, code, "{tracing}: {v}{err}");
    }
    let text = template("Globals:\n  Function:\n    Tracing: PassThrough\n", "");
    let (c, v, err) = verify(&text, &["--not-granted", "xray:PutTraceSegments"]);
    assert_eq!(c, 1, "{v}{err}");
}

/// `EventInvokeConfig` destinations add `sqs:SendMessage`, `sns:publish`,
/// `lambda:InvokeFunction`, `events:PutEvents` on the destination (`IAMRolePolicies`); an SNS
/// destination without `Destination` is a topic SAM creates.
#[test]
fn event_invoke_config_destinations_add_role_policies() {
    let text = template(
        "",
        "      EventInvokeConfig:\n        DestinationConfig:\n          OnSuccess:\n            Type: Lambda\n            Destination: arn:aws:lambda:us-east-1:111122223333:function:next\n          OnFailure:\n            Type: SNS\n",
    );
    let (code, v, err) = verify(
        &text,
        &[
            "--not-granted",
            "lambda:InvokeFunction",
            "sns:Publish",
            "sqs:SendMessage",
        ],
    );
    assert_eq!(code, 1, "{v}{err}");
    let mut actions = granted(&v);
    actions.sort();
    assert_eq!(actions, ["lambda:InvokeFunction", "sns:Publish"]);
    assert!(err.contains("FnEventInvokeConfigOnFailureTopic"), "{err}");
}

/// `Policies` (and `Role`, `Events`, `FunctionName`) are not Globals properties: SAM rejects
/// the template, so greenlight does too instead of ignoring them.
#[test]
fn policies_in_globals_are_an_error() {
    let text = template(
        "Globals:\n  Function:\n    Policies: [AdministratorAccess]\n",
        "",
    );
    let (code, _, err) = {
        let d = tempfile::tempdir().unwrap();
        let p = write(d.path(), "t.yaml", &text);
        gl(&["verify", &p, "--not-granted", "iam:*"])
    };
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`Globals.Function.Policies`"), "{err}");
}

/// A schema registry's statements are not rebuilt: named, and `verify` is `unknown`.
#[test]
fn a_schema_registry_is_named_not_dropped() {
    let text = template(
        "",
        "      Events:\n        M:\n          Type: MSK\n          Properties:\n            Stream: arn:aws:kafka:us-east-1:111122223333:cluster/c/x\n            StartingPosition: LATEST\n            Topics: [t]\n            SchemaRegistryConfig:\n              SchemaRegistryURI: arn:aws:glue:us-east-1:111122223333:registry/r\n              EventRecordFormat: JSON\n              SchemaValidationConfigs: [{Attribute: VALUE}]\n",
    );
    let (code, v, err) = verify(&text, &["--not-granted", "glue:GetRegistry"]);
    assert_eq!(code, 2, "{v}{err}");
    assert!(err.contains("SchemaRegistryConfig"), "{err}");
}

/// A `Policies` entry chosen by `Fn::If` may be a SAM policy template (SAM's translator test
/// `function_with_conditional_policy_template`): the chosen branch is expanded, `AWS::NoValue`
/// drops the entry. SAM's `SQSPollerPolicy` grants `sqs:ChangeMessageVisibilityBatch` and
/// `sqs:DeleteMessageBatch`, which the catalog does not list; a user cannot change them, so
/// they are `retired-action` warnings, not `unknown-action` errors.
#[test]
fn policy_templates_inside_if_and_sams_own_actions() {
    let d = tempfile::tempdir().unwrap();
    let t = write(
        d.path(),
        "t.yaml",
        r#"Transform: AWS::Serverless-2016-10-31
Parameters:
  Prod: {Type: String, Default: "yes"}
Conditions:
  IsProd: !Equals [!Ref Prod, "yes"]
Resources:
  F:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: s3://bucket/code.zip
      Policies:
        - !If
          - IsProd
          - SQSPollerPolicy:
              QueueName: jobs
          - !Ref AWS::NoValue
"#,
    );
    let (code, out, err) = gl(&["lint", &t, "--format", "json"]);
    let v = json(&out);
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert!(
        !codes.iter().any(|(c, _)| *c == "GL007" || *c == "GL100"),
        "{codes:?} {err}"
    );
    assert!(codes.contains(&("GL128", "warning")), "{codes:?}");
    assert_ne!(code, 2, "{err}");
    // the expanded template grants what SQSPollerPolicy grants on the queue
    let (code, out, err) = gl(&[
        "verify",
        &t,
        "--not-granted",
        "sqs:ReceiveMessage",
        "--region",
        "us-east-1",
        "--account",
        "111122223333",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("arn:aws:sqs:us-east-1:111122223333:jobs"),
        "{out}"
    );
}
