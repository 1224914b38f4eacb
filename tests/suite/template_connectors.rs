//! SAM connectors end to end: the policies SAM generates for `AWS::Serverless::Connector`
//! resources and embedded `Connectors` are linted, held by the template's principals for
//! `check --template` and `verify FILE#LogicalId`; and they equal what SAM's own translator
//! generates for its connector test cases. Fixtures and sources:
//! tests/fixtures/templates/README.md (`sam-connectors.yaml`),
//! tests/fixtures/sam-connectors/README.md (SAM's translator tests).
//!
//! SAM documentation: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-connector.html,
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/managing-permissions-connectors.html,
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html.

use crate::support::cli::*;

const FIXTURE: &str = "tests/fixtures/templates/sam-connectors.yaml";

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

/// A normalised statement: effect, sorted actions, resources, principals and conditions (SAM's
/// expected outputs list some actions in another order than `profiles.json`).
fn normalise(p: &greenlight::Policy) -> Vec<String> {
    use greenlight::model::PrincipalValue;
    let mut out: Vec<String> = p
        .statements
        .iter()
        .map(|s| {
            let mut actions: Vec<&str> = s.action.items.iter().map(|a| a.text.as_str()).collect();
            actions.sort_unstable();
            let mut resources: Vec<&str> = s
                .resource
                .as_ref()
                .map(|r| r.items.iter().map(|i| i.value.as_str()).collect())
                .unwrap_or_default();
            resources.sort_unstable();
            let mut principals: Vec<String> = match s.principal.as_ref().map(|p| &p.value) {
                Some(PrincipalValue::Map(entries)) => entries
                    .iter()
                    .flat_map(|e| {
                        e.values
                            .iter()
                            .map(|v| format!("{}:{}", e.kind.as_str(), v.value))
                    })
                    .collect(),
                Some(PrincipalValue::Star) => vec!["*".into()],
                None => Vec::new(),
            };
            principals.sort();
            let mut conditions: Vec<String> = s
                .conditions
                .iter()
                .map(|c| {
                    let mut v: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                    v.sort_unstable();
                    format!("{} {}={}", c.op.name(), c.key, v.join(","))
                })
                .collect();
            conditions.sort();
            format!(
                "{:?} {} -> {} {principals:?} {conditions:?}",
                s.effect.value,
                actions.join(","),
                resources.join(",")
            )
        })
        .collect();
    out.sort();
    out
}

/// SAM's own translator tests as a differential test: for each connector test template of
/// SAM's repository (`tests/translator/input/{connector,embedded_connector}*.yaml`, copied
/// with SAM's expected transformed template `tests/translator/output/*.json`, see
/// tests/fixtures/sam-connectors/README.md), the documents greenlight generates from the
/// connectors equal the documents greenlight reads from the resources SAM generated for them
/// (those with the `aws:sam:connectors` metadata): same path, same statements after
/// resolution, held by the same principals. Templates SAM rejects are not among them.
#[test]
fn connectors_match_the_templates_sam_generates() {
    use greenlight::iac::cfn::{Attached, Extract, Inputs, Template, load};
    use greenlight::source::Source;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sam-connectors");
    let read = |path: &str| -> Result<Template, String> {
        let text = std::fs::read_to_string(path).unwrap();
        load(&Source::new(path, text.as_str()), &Inputs::default()).map_err(|e| e.message)
    };
    let holders = |x: &Extract, i: usize| -> Vec<String> {
        let mut v: Vec<String> = x
            .principals
            .iter()
            .filter(|p| p.identity.contains(&Attached::Doc(i)))
            .map(|p| p.logical_id.clone())
            .collect();
        v.sort();
        v
    };
    let mut names: Vec<String> = std::fs::read_dir(format!("{dir}/input"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .replace(".yaml", "")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 40, "{names:?}");
    let mut compared = 0;
    let mut rejected: Vec<String> = Vec::new();
    for name in &names {
        let output_path = format!("{dir}/output/{name}.json");
        let (input, output) = match (
            read(&format!("{dir}/input/{name}.yaml")),
            read(&output_path),
        ) {
            (Ok(i), Ok(o)) => (i, o),
            // a template that refers to a resource it lacks (SAM does not check) or names a
            // test transform: greenlight rejects the template and SAM's output alike
            (Err(_), Err(_)) => {
                rejected.push(name.clone());
                continue;
            }
            (i, o) => panic!("{name}: input {:?}, output {:?}", i.err(), o.err()),
        };
        // the logical IDs SAM generated for connectors
        let raw = json(&std::fs::read_to_string(&output_path).unwrap());
        let generated: Vec<String> = raw["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, r)| r["Metadata"]["aws:sam:connectors"].is_object())
            .map(|(k, _)| k.clone())
            .collect();
        assert!(!generated.is_empty(), "{name}");
        assert_eq!(input.variants.len(), output.variants.len(), "{name}");
        for (a, b) in input.variants.iter().zip(&output.variants) {
            let of = |path: &str| {
                let id = path.trim_start_matches("Resources/");
                let id = id.split('/').next().unwrap();
                generated.iter().any(|g| g == id)
            };
            let mine: Vec<&str> = a
                .docs
                .iter()
                .map(|d| d.path.as_str())
                .filter(|p| of(p))
                .collect();
            let sams: Vec<&str> = b
                .docs
                .iter()
                .map(|d| d.path.as_str())
                .filter(|p| of(p))
                .collect();
            let mut m = mine.clone();
            let mut s = sams.clone();
            m.sort_unstable();
            s.sort_unstable();
            assert_eq!(m, s, "{name}: generated documents");
            for path in sams {
                let i = a.docs.iter().position(|d| d.path == path).unwrap();
                let j = b.docs.iter().position(|d| d.path == path).unwrap();
                let (p, q) = (&a.docs[i], &b.docs[j]);
                assert_eq!(p.kind, q.kind, "{name}: {path}");
                let p = p
                    .policy
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{name}: {path}: {}", e.message));
                let q = q
                    .policy
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{name}: {path}: {}", e.message));
                assert_eq!(normalise(p), normalise(q), "{name}: {path}");
                assert_eq!(holders(a, i), holders(b, j), "{name}: {path}: held by");
                compared += 1;
            }
        }
    }
    assert!(compared >= 60, "{compared} documents compared");
    // each `Ref`s a resource the template lacks, or names SAM's test transform
    assert_eq!(
        rejected,
        [
            "connector_dependson_replace",
            "connector_esm_dependson",
            "connector_hardcoded_lambda_arn",
            "connector_hardcoded_props"
        ]
    );
    eprintln!("{compared} generated documents compared");
}

/// Connector ends written with intrinsic functions on parameters resolve as CloudFormation
/// resolves the policies SAM generates (SAM copies `Arn`, `RoleName`, `QueueUrl` into them:
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-connector-resourcereference.html):
/// `RoleName: !Ref Param` attaches the managed policy to the template's role of that name,
/// `Arn: !Ref Param` and `Arn: !Sub` with pseudo parameters name the resource (a
/// `--template-param` changes it), and a parameter without value is a named placeholder.
#[test]
fn connector_ends_resolve_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "t.yaml",
        r#"Transform: AWS::Serverless-2016-10-31
Parameters:
  WorkerRole:
    Type: String
    Default: worker
  BucketName:
    Type: String
    Default: data-bucket
  TopicArn:
    Type: String
    Default: arn:aws:sns:us-east-1:123456789012:events
  QueueUrl:
    Type: String
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  ReadBucket:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Type: AWS::Lambda::Function
        Arn: !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker"
        RoleName: !Ref WorkerRole
      Destination:
        Type: AWS::S3::Bucket
        Arn: !Sub "arn:${AWS::Partition}:s3:::${BucketName}"
      Permissions: [Read]
  TopicToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Type: AWS::SNS::Topic
        Arn: !Ref TopicArn
      Destination:
        Type: AWS::SQS::Queue
        Arn: !Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders"
        QueueUrl: !Ref QueueUrl
      Permissions: [Write]
"#,
    );
    let verify = |action: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--not-granted",
            action,
            "--format",
            "json",
            "--account",
            "123456789012",
            "--region",
            "us-east-1",
        ];
        args.extend_from_slice(extra);
        args.push("t.yaml");
        let (code, out, err) = gl_in(tmp.path(), &args);
        assert_eq!(code, 1, "{out}{err}");
        let found: Vec<(String, String)> = json(&out)["assertions"][0]["counterexamples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["document"].as_str().unwrap().to_string(),
                    c["resource"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (found, err)
    };
    let (found, _) = verify("s3:ListBucket", &[]);
    assert_eq!(
        found,
        [("Worker".to_string(), "arn:aws:s3:::data-bucket".to_string())]
    );
    let (found, _) = verify("s3:ListBucket", &["--template-param", "BucketName=logs"]);
    assert_eq!(
        found,
        [("Worker".to_string(), "arn:aws:s3:::logs".to_string())]
    );
    // the queue policy names the topic of the parameter's default as `aws:SourceArn`
    let (code, out, err) = gl_in(
        tmp.path(),
        &[
            "verify",
            "--not-granted",
            "sqs:SendMessage",
            "--format",
            "json",
            "--account",
            "123456789012",
            "--region",
            "us-east-1",
            "t.yaml",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let c = &json(&out)["assertions"][0]["counterexamples"][0];
    assert_eq!(
        c["document"],
        "Resources/TopicToQueueQueuePolicy/PolicyDocument"
    );
    assert_eq!(c["resource"], "arn:aws:sqs:us-east-1:123456789012:orders");
    assert_eq!(
        c["context"]["aws:SourceArn"],
        "arn:aws:sns:us-east-1:123456789012:events"
    );
    assert!(
        err.contains("`UNKNOWN-Parameter-QueueUrl` stands for the parameter `QueueUrl`"),
        "{err}"
    );
}
