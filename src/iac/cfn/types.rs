//! What `Ref` and `Fn::GetAtt` return for the resource types that policies name: ARNs built
//! from the resource's name property, the account, Region and partition; a typed placeholder
//! for the parts CloudFormation generates.

use super::resolve::{Resolver, placeholder, string};
use crate::parse::ParseError;
use crate::parse::json::Value;
use crate::source::Span;

/// `(type, name property, what Ref returns, ARN format)`. In the ARN format `{p}`, `{r}`, `{a}`
/// are partition, Region and account, `{n}` the physical name and `{path}` the IAM path.
/// `Ref` is `name` or `arn`.
const TYPES: &[(&str, Option<&str>, &str, &str)] = &[
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iot-topicrule.html#aws-resource-iot-topicrule-return-values
    (
        "AWS::IoT::TopicRule",
        Some("RuleName"),
        "name",
        "arn:{p}:iot:{r}:{a}:rule/{n}",
    ),
    (
        "AWS::IAM::Role",
        Some("RoleName"),
        "name",
        "arn:{p}:iam::{a}:role{path}{n}",
    ),
    (
        "AWS::IAM::User",
        Some("UserName"),
        "name",
        "arn:{p}:iam::{a}:user{path}{n}",
    ),
    (
        "AWS::IAM::Group",
        Some("GroupName"),
        "name",
        "arn:{p}:iam::{a}:group{path}{n}",
    ),
    (
        "AWS::IAM::ManagedPolicy",
        Some("ManagedPolicyName"),
        "arn",
        "arn:{p}:iam::{a}:policy{path}{n}",
    ),
    (
        "AWS::IAM::InstanceProfile",
        Some("InstanceProfileName"),
        "name",
        "arn:{p}:iam::{a}:instance-profile{path}{n}",
    ),
    (
        "AWS::S3::Bucket",
        Some("BucketName"),
        "name",
        "arn:{p}:s3:::{n}",
    ),
    (
        "AWS::SQS::Queue",
        Some("QueueName"),
        "url",
        "arn:{p}:sqs:{r}:{a}:{n}",
    ),
    (
        "AWS::SNS::Topic",
        Some("TopicName"),
        "arn",
        "arn:{p}:sns:{r}:{a}:{n}",
    ),
    ("AWS::KMS::Key", None, "name", "arn:{p}:kms:{r}:{a}:key/{n}"),
    (
        "AWS::KMS::Alias",
        Some("AliasName"),
        "name",
        "arn:{p}:kms:{r}:{a}:{n}",
    ),
    (
        "AWS::Lambda::Function",
        Some("FunctionName"),
        "name",
        "arn:{p}:lambda:{r}:{a}:function:{n}",
    ),
    (
        "AWS::Serverless::Function",
        Some("FunctionName"),
        "name",
        "arn:{p}:lambda:{r}:{a}:function:{n}",
    ),
    (
        "AWS::DynamoDB::Table",
        Some("TableName"),
        "name",
        "arn:{p}:dynamodb:{r}:{a}:table/{n}",
    ),
    (
        "AWS::Serverless::SimpleTable",
        Some("TableName"),
        "name",
        "arn:{p}:dynamodb:{r}:{a}:table/{n}",
    ),
    (
        "AWS::ECR::Repository",
        Some("RepositoryName"),
        "name",
        "arn:{p}:ecr:{r}:{a}:repository/{n}",
    ),
    (
        "AWS::SecretsManager::Secret",
        None,
        "arn",
        "arn:{p}:secretsmanager:{r}:{a}:secret:{n}",
    ),
    (
        "AWS::Logs::LogGroup",
        Some("LogGroupName"),
        "name",
        "arn:{p}:logs:{r}:{a}:log-group:{n}:*",
    ),
    (
        "AWS::ECS::Cluster",
        Some("ClusterName"),
        "name",
        "arn:{p}:ecs:{r}:{a}:cluster/{n}",
    ),
    (
        "AWS::StepFunctions::StateMachine",
        Some("StateMachineName"),
        "arn",
        "arn:{p}:states:{r}:{a}:stateMachine:{n}",
    ),
    (
        "AWS::Serverless::StateMachine",
        Some("Name"),
        "arn",
        "arn:{p}:states:{r}:{a}:stateMachine:{n}",
    ),
    (
        "AWS::Kinesis::Stream",
        Some("Name"),
        "name",
        "arn:{p}:kinesis:{r}:{a}:stream/{n}",
    ),
    (
        "AWS::Events::EventBus",
        Some("Name"),
        "name",
        "arn:{p}:events:{r}:{a}:event-bus/{n}",
    ),
    // (the rule of the default event bus; a rule of another bus is `rule/BUS/NAME`, read in
    // [`attribute`]; `GetAtt Rule.Arn` is what the SNS and SQS guides' EventBridge policies
    // compare `aws:SourceArn` with, red team 60)
    (
        "AWS::Events::Rule",
        Some("Name"),
        "name",
        "arn:{p}:events:{r}:{a}:rule/{n}",
    ),
    // (a user pool's ID is generated: the name stands for it)
    (
        "AWS::Cognito::UserPool",
        None,
        "name",
        "arn:{p}:cognito-idp:{r}:{a}:userpool/{n}",
    ),
    (
        "AWS::SSM::Parameter",
        Some("Name"),
        "name",
        "arn:{p}:ssm:{r}:{a}:parameter/{n}",
    ),
    (
        "AWS::CodeDeploy::Application",
        Some("ApplicationName"),
        "name",
        "arn:{p}:codedeploy:{r}:{a}:application:{n}",
    ),
];

/// `Ref` (attr `Ref`) or `Fn::GetAtt` of one resource.
pub fn attribute(
    r: &Resolver<'_>,
    res: &str,
    resource: &Value,
    attr: &str,
    span: Span,
    depth: usize,
) -> Result<Value, ParseError> {
    let ty = resource.get("Type").and_then(Value::as_str).unwrap_or("");
    let Some(&(_, name_prop, ref_kind, arn_fmt)) = TYPES.iter().find(|t| t.0 == ty) else {
        let p = placeholder(&format!("{res}.{attr}"));
        r.note(&p, &format!("`{attr}` of `{res}` ({ty})"));
        return Ok(string(p, span));
    };
    let name = || -> Result<String, ParseError> {
        let n = r.physical_name(res, resource, name_prop, span, depth)?;
        // A secret's ARN ends with six random characters after its name.
        Ok(if ty == "AWS::SecretsManager::Secret" {
            let suffix = placeholder(&format!("{res}-suffix"));
            r.note(&suffix, &format!("the random suffix of the ARN of `{res}`"));
            format!("{n}-{suffix}")
        } else {
            n
        })
    };
    let arn = || -> Result<String, ParseError> {
        let path = if ty.starts_with("AWS::IAM::") {
            match resource.get("Properties").and_then(|p| p.get("Path")) {
                Some(v) => r.text(v, depth)?,
                None => "/".into(),
            }
        } else {
            String::new()
        };
        let mut n = name()?;
        // a rule of an event bus other than the default one: `rule/BUS/NAME` (the catalog's
        // `rule-on-custom-event-bus` and `rule-on-default-event-bus` ARN formats)
        if ty == "AWS::Events::Rule"
            && let Some(bus) = resource
                .get("Properties")
                .and_then(|p| p.get("EventBusName"))
        {
            let bus = r.text(bus, depth)?;
            let bus = bus.rsplit('/').next().unwrap_or_default().to_string();
            if bus != "default" {
                n = format!("{bus}/{n}");
            }
        }
        Ok(arn_fmt
            .replace("{p}", &r.partition)
            .replace("{r}", &r.region)
            .replace("{a}", &r.account)
            .replace("{path}", &path)
            .replace("{n}", &n))
    };
    let text = match (attr, ref_kind) {
        ("Ref", "name") => name()?,
        ("Ref", "arn") => arn()?,
        ("Ref", _) if ty == "AWS::SQS::Queue" => format!(
            "https://sqs.{}.amazonaws.com/{}/{}",
            r.region,
            r.account,
            name()?
        ),
        ("Arn" | "PolicyArn" | "TopicArn", _) => arn()?,
        ("QueueName" | "TopicName", _) => name()?,
        ("Name", _) if ty != "AWS::Kinesis::Stream" => name()?,
        _ => {
            let p = placeholder(&format!("{res}.{attr}"));
            r.note(&p, &format!("`{attr}` of `{res}` ({ty})"));
            p
        }
    };
    Ok(string(text, span))
}
