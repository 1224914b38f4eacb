//! SAM connectors, each case after the SAM documentation or SAM's own translator tests:
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-connector.html
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/managing-permissions-connectors.html
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html
//! https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-connector.html
//!
//! Expected statements are the ones SAM's `profiles.json` gives for the pair (and, for the
//! DynamoDB write case, the transformed template printed on the `sam-resource-connector` page).
//! Without `--account`/`--region`, the account is `000000000000` and the Region `xx-unknown-1`.

use super::super::{Extract, Inputs, PrincipalKind, Template, load};
use crate::model::PrincipalValue;
use crate::parse::ParseError;
use crate::source::Source;

fn load_text(text: &str) -> Result<Template, ParseError> {
    load(&Source::new("t.yaml", text), &Inputs::default())
}

fn one(text: &str) -> (Extract, Template) {
    let t = load_text(text).unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(t.variants.len(), 1);
    (t.variants[0].clone(), t)
}

fn err(text: &str) -> String {
    load_text(text).unwrap_err().message
}

/// Each statement as `Effect actions -> resources [principals] {condition key=values}`.
fn statements(x: &Extract, path: &str) -> Vec<String> {
    let d = x.docs.iter().find(|d| d.path == path).unwrap_or_else(|| {
        panic!(
            "{path}: {:?}",
            x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
        )
    });
    let p = d.policy.as_ref().unwrap();
    p.statements
        .iter()
        .map(|s| {
            let actions: Vec<&str> = s.action.items.iter().map(|a| a.text.as_str()).collect();
            let resources: Vec<String> = s
                .resource
                .as_ref()
                .map(|r| r.items.iter().map(|i| i.value.clone()).collect())
                .unwrap_or_default();
            let mut out = format!(
                "{:?} {} -> {}",
                s.effect.value,
                actions.join(","),
                resources.join(",")
            );
            if let Some(pb) = &s.principal
                && let PrincipalValue::Map(entries) = &pb.value
            {
                for e in entries {
                    for v in &e.values {
                        out.push_str(&format!(" [{}:{}]", e.kind.as_str(), v.value));
                    }
                }
            }
            for c in &s.conditions {
                let vals: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                out.push_str(&format!(" {{{}={}}}", c.key, vals.join(",")));
            }
            out
        })
        .collect()
}

/// The documents attached to a role principal, by path.
fn attached(x: &Extract, role: &str) -> Vec<String> {
    let p = x
        .principals
        .iter()
        .find(|p| p.kind == PrincipalKind::Role && p.logical_id == role)
        .unwrap_or_else(|| panic!("no role {role}"));
    p.identity
        .iter()
        .filter_map(|a| match a {
            super::super::Attached::Doc(i) => Some(x.docs[*i].path.clone()),
            _ => None,
        })
        .collect()
}

const A: &str = "arn:aws:dynamodb:xx-unknown-1:000000000000:table/UNKNOWN-MyTable-name";
const DDB_WRITE: &str = "dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:DeleteItem,dynamodb:BatchWriteItem,dynamodb:PartiQLDelete,dynamodb:PartiQLInsert,dynamodb:PartiQLUpdate";
const DDB_READ: &str = "dynamodb:GetItem,dynamodb:Query,dynamodb:Scan,dynamodb:BatchGetItem,dynamodb:ConditionCheckItem,dynamodb:PartiQLSelect";

/// "Example of connectors" (managing-permissions-connectors.html): an embedded connector gives
/// the function's generated role write access to the SimpleTable. The statement is the one
/// the `sam-resource-connector` page prints for `FunctionToTableConnectorPolicy` (the table's
/// ARN and `${DestinationArn}/index/*`), attached to `MyFunctionRole`, named
/// `<source><connector>Policy` (sam-specification-generated-resources-connector.html).
#[test]
fn embedded_connector_function_writes_to_a_simple_table() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyTable:
    Type: AWS::Serverless::SimpleTable
  MyFunction:
    Type: AWS::Serverless::Function
    Connectors:
      MyConn:
        Properties:
          Destination:
            Id: MyTable
          Permissions:
            - Write
    Properties:
      Runtime: nodejs16.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => {}"
"#);
    let path = "Resources/MyFunctionMyConnPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec![format!("Allow {DDB_WRITE} -> {A},{A}/index/*")]
    );
    assert_eq!(attached(&x, "MyFunctionRole"), vec![path.to_string()]);
}

/// "Defining Read and Write permissions" (managing-permissions-connectors.html): both
/// categories in one connector, on a CloudFormation function and table; the statements come in
/// the profile's order (Read, then Write). The function's role is the template's `MyRole`
/// (`Role: !GetAtt MyRole.Arn`, as in the `ResourceReference` example).
#[test]
fn read_and_write_on_a_cloudformation_function_attach_to_its_role() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: {Service: lambda.amazonaws.com}
  MyFunction:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt MyRole.Arn
      Runtime: nodejs16.x
      Handler: index.handler
      Code: {ZipFile: "x"}
    Connectors:
      MyTableConn:
        Properties:
          Destination:
            Id: MyTable
          Permissions:
            - Read
            - Write
  MyTable:
    Type: AWS::DynamoDB::Table
"#);
    let path = "Resources/MyFunctionMyTableConnPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec![
            format!("Allow {DDB_READ} -> {A},{A}/index/*"),
            format!("Allow {DDB_WRITE} -> {A},{A}/index/*"),
        ]
    );
    assert_eq!(attached(&x, "MyRole"), vec![path.to_string()]);
}

/// The `AWS::Serverless::Connector` example of sam-resource-connector.html: an SNS topic
/// invokes a function (an `AWS::Lambda::Permission` named `<connector>WriteLambdaPermission`
/// for `sns.amazonaws.com`, `SourceArn` the topic) and the function writes to a SimpleTable
/// (the printed `FunctionToTableConnectorPolicy`).
#[test]
fn standalone_connectors_topic_to_function_to_table() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Endpoint: !GetAtt Function.Arn
          Protocol: lambda
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs16.x
      Handler: index.handler
      InlineCode: "x"
      Environment:
        Variables:
          TABLE_NAME: !Ref Table
  Table:
    Type: AWS::Serverless::SimpleTable
  TopicToFunctionConnector:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Id: Topic
      Destination:
        Id: Function
      Permissions:
        - Write
  FunctionToTableConnector:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Id: Function
      Destination:
        Id: Table
      Permissions:
        - Write
"#);
    let t = "arn:aws:dynamodb:xx-unknown-1:000000000000:table/UNKNOWN-Table-name";
    let path = "Resources/FunctionToTableConnectorPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec![format!("Allow {DDB_WRITE} -> {t},{t}/index/*")]
    );
    assert_eq!(attached(&x, "FunctionRole"), vec![path.to_string()]);
    assert_eq!(
        statements(&x, "Resources/TopicToFunctionConnectorWriteLambdaPermission"),
        vec!["Allow lambda:InvokeFunction -> arn:aws:lambda:xx-unknown-1:000000000000:function:UNKNOWN-Function-name [Service:sns.amazonaws.com] {AWS:SourceArn=arn:aws:sns:xx-unknown-1:000000000000:UNKNOWN-Topic-name}".to_string()]
    );
}

/// A function sending to an SQS queue (reference-sam-connector.html: `AWS::Serverless::Function`
/// → `AWS::SQS::Queue`, `Read`, `Write`): the profile's Write statement.
#[test]
fn function_writes_to_a_queue() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyQueue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
    Connectors:
      QueueConn:
        Properties:
          Destination: {Id: MyQueue}
          Permissions: [Write]
"#);
    let path = "Resources/MyFunctionQueueConnPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec!["Allow sqs:DeleteMessage,sqs:SendMessage,sqs:ChangeMessageVisibility,sqs:PurgeQueue -> arn:aws:sqs:xx-unknown-1:000000000000:jobs".to_string()]
    );
    assert_eq!(attached(&x, "MyFunctionRole"), vec![path.to_string()]);
}

/// An SNS topic writing to SQS queues (reference-sam-connector.html: `AWS::SNS::Topic` →
/// `AWS::SQS::Queue`, `Write`) is a queue policy `<connector>QueuePolicy` for
/// `sns.amazonaws.com` with `ArnEquals aws:SourceArn` the topic, as SAM's translator test
/// `tests/translator/output/connector_sns_to_sqs.json` shows; with a list of destinations the
/// names end in `Destination<index>`.
#[test]
fn topic_to_queues_is_a_queue_policy_per_destination() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MySNSTopic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: events}
    Connectors:
      ToQueues:
        Properties:
          Destination:
            - Id: MyQueue1
            - Id: MyQueue2
          Permissions: [Write]
  MyQueue1:
    Type: AWS::SQS::Queue
    Properties: {QueueName: q1}
  MyQueue2:
    Type: AWS::SQS::Queue
    Properties: {QueueName: q2}
"#);
    for (i, q) in ["q1", "q2"].iter().enumerate() {
        let path = format!("Resources/MySNSTopicToQueuesQueuePolicyDestination{i}/PolicyDocument");
        assert_eq!(
            statements(&x, &path),
            vec![format!(
                "Allow sqs:SendMessage -> arn:aws:sqs:xx-unknown-1:000000000000:{q} [Service:sns.amazonaws.com] {{aws:SourceArn=arn:aws:sns:xx-unknown-1:000000000000:events}}"
            )]
        );
        let d = x.docs.iter().find(|d| d.path == path).unwrap();
        assert_eq!(d.kind, super::super::DocKind::Resource);
    }
}

/// A state machine invoking a function (reference-sam-connector.html:
/// `AWS::Serverless::StateMachine` → `AWS::Serverless::Function`, `Write`): the role SAM
/// generates for the state machine gets `lambda:InvokeAsync` and `lambda:InvokeFunction` on the
/// function.
#[test]
fn state_machine_invokes_a_function() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/, FunctionName: worker}
  MyStateMachine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Work
        States:
          Work: {Type: Task, Resource: !GetAtt MyFunction.Arn, End: true}
    Connectors:
      InvokeConn:
        Properties:
          Destination: {Id: MyFunction}
          Permissions: [Write]
"#);
    let path = "Resources/MyStateMachineInvokeConnPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec!["Allow lambda:InvokeAsync,lambda:InvokeFunction -> arn:aws:lambda:xx-unknown-1:000000000000:function:worker".to_string()]
    );
    assert_eq!(attached(&x, "MyStateMachineRole"), vec![path.to_string()]);
}

/// `%{Destination.Name}` inside an ARN with pseudo parameters (the profile's
/// `arn:${AWS::Partition}:states:...:execution:%{Destination.Name}:*`) becomes `Fn::Sub`, as
/// SAM writes it; `Read` from a function to a state machine.
#[test]
fn destination_name_inside_an_arn_is_substituted() {
    let x = load(
        &Source::new(
            "t.yaml",
            r#"
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties: {StateMachineName: orders, RoleArn: arn:aws:iam::111122223333:role/sfn, DefinitionString: "{}"}
  C:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: {Id: Flow}
      Permissions: [Read]
"#,
        ),
        &Inputs {
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            ..Inputs::default()
        },
    )
    .unwrap();
    let x = &x.variants[0];
    assert_eq!(
        statements(x, "Resources/CPolicy/PolicyDocument"),
        vec![
            "Allow states:DescribeStateMachine,states:ListExecutions -> arn:aws:states:eu-west-1:111122223333:stateMachine:orders".to_string(),
            "Allow states:DescribeExecution,states:DescribeStateMachineForExecution,states:GetExecutionHistory -> arn:aws:states:eu-west-1:111122223333:execution:orders:*".to_string(),
        ]
    );
}

/// `Type` + `RoleName` for a source outside the template (sam-property-connector-resourcereference.html):
/// a `RoleName` that names a role of the template attaches there; a role that is not in the
/// template is named in a note and the policy is still read (SAM's translator test
/// `connector_hardcoded_rolename.yaml` attaches to `MyCoolRole`).
#[test]
fn role_name_of_an_outside_source() {
    let (x, t) = one(r#"
Resources:
  MyRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: lambda.amazonaws.com}}]}
  MyQueue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Inside:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Type: AWS::Lambda::Function, RoleName: !Ref MyRole}
      Destination: {Id: MyQueue}
      Permissions: [Read]
  Outside:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Type: AWS::Serverless::Function, RoleName: MyCoolRole}
      Destination: {Id: MyQueue}
      Permissions: [Write]
"#);
    assert_eq!(
        attached(&x, "MyRole"),
        vec!["Resources/InsidePolicy/PolicyDocument".to_string()]
    );
    assert!(
        statements(&x, "Resources/OutsidePolicy/PolicyDocument")[0]
            .starts_with("Allow sqs:DeleteMessage")
    );
    let note = t.unknowns.get("Resources/OutsidePolicy").unwrap();
    assert!(
        note.contains("`MyCoolRole`, which is not a role of the template"),
        "{note}"
    );
}

/// An event rule's role is the `RoleArn` of its target that is the destination (SAM's
/// `GetEventsRuleRole`): `AWS::Events::Rule` → `AWS::StepFunctions::StateMachine` `Write` gives
/// that role `states:StartExecution`.
#[test]
fn event_rule_role_comes_from_its_target() {
    let (x, _) = one(r#"
Resources:
  RuleRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: events.amazonaws.com}}]}
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties: {StateMachineName: orders, RoleArn: arn:aws:iam::111122223333:role/sfn, DefinitionString: "{}"}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [app]}
      Targets:
        - Id: flow
          Arn: !Ref Flow
          RoleArn: !GetAtt RuleRole.Arn
    Connectors:
      Start:
        Properties:
          Destination: {Id: Flow}
          Permissions: [Write]
"#);
    let path = "Resources/RuleStartPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec!["Allow states:StartExecution -> arn:aws:states:xx-unknown-1:000000000000:stateMachine:orders".to_string()]
    );
    assert_eq!(attached(&x, "RuleRole"), vec![path.to_string()]);
}

/// What SAM rejects (its translator test `error_connector.yaml`) is an error here too.
#[test]
fn what_sam_rejects_is_an_error() {
    let base = r#"
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/}
  MyFunctionMissingRole:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: x}, Role: arn:aws:iam::111122223333:role/outside}
  MyQueue:
    Type: AWS::SQS::Queue
  MyTable:
    Type: AWS::DynamoDB::Table
  C:
    Type: AWS::Serverless::Connector
    Properties:
"#;
    let cases = [
        (
            "      Source: {Id: MyQueue}\n      Destination: {Id: MyTable}\n      Permissions: [Write]\n",
            "SAM has no connector from `AWS::SQS::Queue` to `AWS::DynamoDB::Table`",
        ),
        (
            "      Source: {Id: MyFunction}\n      Destination: {Id: MyQueue}\n      Permissions: [OKAY]\n",
            "SAM has no `OKAY` permission from `AWS::Lambda::Function` to `AWS::SQS::Queue`; valid values are: Read, Write",
        ),
        (
            "      Source: {Id: MyQueue}\n      Destination: {Id: MyFunction}\n      Permissions: [Write]\n",
            "only the permissions Read + Write",
        ),
        (
            "      Source: {Id: MyFunctionMissingRole}\n      Destination: {Id: MyQueue}\n      Permissions: [Write]\n",
            "SAM cannot get the IAM role name from the `Source` resource",
        ),
        (
            "      Source: {Id: ThisDoesntExist}\n      Destination: {Id: MyQueue}\n      Permissions: [Write]\n",
            "`ThisDoesntExist` is not a resource of the template",
        ),
        (
            "      Source: {Id: MyFunction, Type: AWS::Lambda::Function}\n      Destination: {Id: MyQueue}\n      Permissions: [Write]\n",
            "give `Id` (with an optional `Qualifier`) or `Type`",
        ),
        (
            "      Source: {Id: MyFunction}\n      Destination: []\n      Permissions: [Write]\n",
            "is an empty list",
        ),
        (
            "      Source: {Id: MyFunction}\n      Destination: {Id: MyQueue}\n      Permissions: []\n",
            "`Permissions` cannot be empty",
        ),
        (
            "      Source: {Id: MyFunction}\n      Destination: {Id: MyQueue}\n",
            "needs `Permissions`",
        ),
        (
            "      Source: {Type: AWS::Events::Rule}\n      Destination: {Type: AWS::SQS::Queue}\n      Permissions: [Write]\n",
            "`Destination.Arn` is missing",
        ),
    ];
    for (props, want) in cases {
        let e = err(&format!("{base}{props}"));
        assert!(e.contains(want), "{props}: {e}");
    }
}

/// An embedded connector whose name collides with a resource, and `Id` in `SourceReference`,
/// are rejected as SAM rejects them (`_get_embedded_connectors`).
#[test]
fn embedded_connector_name_collision_and_source_reference_id() {
    let e = err(r#"
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/}
    Connectors:
      Q:
        Properties: {Destination: {Id: MyFunctionQ}, Permissions: [Write]}
  MyFunctionQ:
    Type: AWS::SQS::Queue
"#);
    assert!(
        e.contains("becomes `MyFunctionQ`, which is already a resource"),
        "{e}"
    );
    let e = err(r#"
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/}
    Connectors:
      Q:
        Properties:
          SourceReference: {Id: Other}
          Destination: {Id: MyQueue}
          Permissions: [Write]
  MyQueue:
    Type: AWS::SQS::Queue
"#);
    assert!(
        e.contains("`Id` cannot be given in `SourceReference`"),
        "{e}"
    );
}

/// A queue feeding a function (reference-sam-connector.html: `AWS::SQS::Queue` →
/// `AWS::Serverless::Function`, `Read`, `Write`, destination named by `Id` or `RoleName`): the
/// profile puts the policy on the destination's role (`SourcePolicy: false`), Write then Read
/// in the profile's order, as SAM's translator test `connector_sqs_to_function.json` shows.
#[test]
fn queue_to_function_attaches_to_the_destination_role() {
    let (x, _) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
    Connectors:
      Feed:
        Properties:
          Destination: {Id: InvokedFunction}
          Permissions: [Read, Write]
  InvokedFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/}
"#);
    let q = "arn:aws:sqs:xx-unknown-1:000000000000:jobs";
    let path = "Resources/QueueFeedPolicy/PolicyDocument";
    assert_eq!(
        statements(&x, path),
        vec![
            format!("Allow sqs:DeleteMessage -> {q}"),
            format!("Allow sqs:ReceiveMessage,sqs:GetQueueAttributes -> {q}"),
        ]
    );
    assert_eq!(attached(&x, "InvokedFunctionRole"), vec![path.to_string()]);
}

/// "using a `Qualifier` to narrow the scope of an Amazon API Gateway resource"
/// (managing-permissions-connectors.html): `SourceReference: {Qualifier: Prod/GET/foobar}` on a
/// `Serverless::Api` becomes the Lambda permission's `SourceArn`
/// `arn:...:execute-api:<region>:<account>:<api id>/Prod/GET/foobar` for
/// `apigateway.amazonaws.com` (profile `AWS::ApiGateway::RestApi` → `AWS::Lambda::Function`).
#[test]
fn api_source_reference_qualifier_narrows_the_lambda_permission() {
    let (x, t) = one(r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyApi:
    Type: AWS::Serverless::Api
    Properties: {StageName: Prod}
    Connectors:
      ApiToLambdaConn:
        Properties:
          SourceReference:
            Qualifier: Prod/GET/foobar
          Destination:
            Id: MyFunction
          Permissions:
            - Write
  MyFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.h, CodeUri: src/, FunctionName: api-handler}
"#);
    assert_eq!(
        statements(&x, "Resources/MyApiApiToLambdaConnWriteLambdaPermission"),
        vec!["Allow lambda:InvokeFunction -> arn:aws:lambda:xx-unknown-1:000000000000:function:api-handler [Service:apigateway.amazonaws.com] {AWS:SourceArn=arn:aws:execute-api:xx-unknown-1:000000000000:UNKNOWN-MyApi.Ref/Prod/GET/foobar}".to_string()]
    );
    // the API's ID is a placeholder, named
    assert!(
        t.unknowns.contains_key("UNKNOWN-MyApi.Ref"),
        "{:?}",
        t.unknowns
    );
}
