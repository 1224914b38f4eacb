//! What the SAM transform adds for an `AWS::Serverless::Function` beyond its `Policies`: the
//! `Globals.Function` merge, the function URL's public permissions, and the execution-role
//! policies SAM attaches for `Tracing`, `VpcConfig`, `DeadLetterQueue`, `EventInvokeConfig`
//! destinations and pull event sources.
//!
//! Facts from the SAM developer guide
//! (<https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html>,
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html>,
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html>)
//! and the SAM translator (aws/serverless-application-model: `samtranslator/model/sam_resources.py`
//! `_construct_role`, `_construct_url_permission`, `_construct_invoke_permission`,
//! `_add_event_invoke_managed_policy`; `model/eventsources/pull.py`; `model/iam.py`
//! `IAMRolePolicies`; `plugins/globals/globals.py`).

use super::resolve::{placeholder, string};
use super::{Attached, Builder, DocKind, Principal, text_of};
use crate::iac::unread::Unread;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::Span;

const TYPE: &str = "AWS::Serverless::Function";

/// `Globals.Function` properties SAM rejects: "everything on Serverless::Function except
/// Role, Policies, FunctionName, Events" is a Globals property.
const NOT_GLOBAL: &[&str] = &["Role", "Policies", "FunctionName", "Events"];

pub(super) fn obj(members: Vec<(&str, Value)>, span: Span) -> Value {
    Value {
        kind: Kind::Object(
            members
                .into_iter()
                .map(|(k, v)| Member {
                    key: k.to_string(),
                    key_span: span,
                    value: v,
                })
                .collect(),
        ),
        span,
    }
}

pub(super) fn list(items: Vec<Value>, span: Span) -> Value {
    Value {
        kind: Kind::Array(items),
        span,
    }
}

/// Whether a raw value is an intrinsic function (SAM's `is_intrinsic`: one key, `Ref` or
/// `Fn::...`); the Globals merge treats one as a plain value.
fn is_intrinsic(v: &Value) -> bool {
    matches!(v.as_object(), Some([m]) if m.key == "Ref" || m.key.starts_with("Fn::"))
}

/// SAM's Globals merge: maps are merged key by key, lists are joined (the global entries
/// first), anything else (an intrinsic function too) is the resource's own value.
pub(super) fn merge_globals(global: &Value, own: &Value) -> Value {
    match (&global.kind, &own.kind) {
        (Kind::Object(g), Kind::Object(o)) if !is_intrinsic(global) && !is_intrinsic(own) => {
            let mut out: Vec<Member> = g.clone();
            for m in o {
                match out.iter_mut().find(|x| x.key == m.key) {
                    Some(x) => x.value = merge_globals(&x.value, &m.value),
                    None => out.push(m.clone()),
                }
            }
            Value {
                kind: Kind::Object(out),
                span: own.span,
            }
        }
        (Kind::Array(g), Kind::Array(o)) => list(g.iter().chain(o).cloned().collect(), own.span),
        _ => own.clone(),
    }
}

/// The function resource with `Globals.Function` merged into its `Properties`.
pub fn merged(b: &Builder<'_, '_>, res: &Value) -> Result<Value, ParseError> {
    let Some(global) = b.globals.and_then(|g| g.get("Function")) else {
        return Ok(res.clone());
    };
    if let Some(m) = global
        .as_object()
        .and_then(|g| g.iter().find(|m| NOT_GLOBAL.contains(&m.key.as_str())))
    {
        return Err(b.r.err(
            m.key_span,
            format!(
                "`Globals.Function.{}` is not a Globals property; SAM rejects the template",
                m.key
            ),
        ));
    }
    let empty = obj(Vec::new(), res.span);
    let own = res.get("Properties").unwrap_or(&empty);
    let props = merge_globals(global, own);
    let mut out = res.clone();
    match &mut out.kind {
        Kind::Object(members) => match members.iter_mut().find(|m| m.key == "Properties") {
            Some(m) => m.value = props,
            None => members.push(Member {
                key: "Properties".into(),
                key_span: res.span,
                value: props,
            }),
        },
        _ => return Ok(res.clone()),
    }
    Ok(out)
}

fn raw<'v>(res: &'v Value, key: &str) -> Option<&'v Value> {
    res.get("Properties").and_then(|p| p.get(key))
}

/// A one-statement-per-entry identity policy: `(actions, resource)`.
fn statements(entries: Vec<(Vec<&str>, Value)>, span: Span) -> Value {
    let stmts = entries
        .into_iter()
        .map(|(actions, resource)| {
            obj(
                vec![
                    ("Effect", string("Allow".into(), span)),
                    (
                        "Action",
                        list(
                            actions
                                .into_iter()
                                .map(|a| string(a.into(), span))
                                .collect(),
                            span,
                        ),
                    ),
                    ("Resource", resource),
                ],
                span,
            )
        })
        .collect();
    obj(
        vec![
            ("Version", string("2012-10-17".into(), span)),
            ("Statement", list(stmts, span)),
        ],
        span,
    )
}

fn aws(name: &str) -> Attached {
    Attached::Aws(format!("arn:aws:iam::aws:policy/{name}"))
}

/// The resource policies SAM generates for `FunctionUrlConfig` with `AuthType: NONE`:
/// `<Fn>UrlPublicPermissions` (`lambda:InvokeFunctionUrl` for `*`, `FunctionUrlAuthType: NONE`)
/// and `<Fn>URLInvokeAllowPublicAccess` (`lambda:InvokeFunction` for `*`,
/// `InvokedViaFunctionUrl: true`), made whether or not the function names `Role`. SAM makes
/// neither when `FunctionUrlConfig` or its `AuthType` is an intrinsic function (it compares
/// the raw value with `NONE`).
pub fn url_permissions(b: &mut Builder<'_, '_>, id: &str, res: &Value) -> Result<(), ParseError> {
    let Some(cfg) = raw(res, "FunctionUrlConfig") else {
        return Ok(());
    };
    if is_intrinsic(cfg) || cfg.get("AuthType").and_then(Value::as_str) != Some("NONE") {
        return Ok(());
    }
    let r = b.r;
    let span = cfg.span;
    let mut arn = text_of(&r.get_att(id, "Arn", span, 0)?);
    if let Some(alias) = raw(res, "AutoPublishAlias") {
        arn = format!("{arn}:{}", r.text(alias, 0)?);
    }
    let perm = |action: &str, extra: (&str, Value)| {
        obj(
            vec![(
                "Properties",
                obj(
                    vec![
                        ("Action", string(action.into(), span)),
                        ("FunctionName", string(arn.clone(), span)),
                        ("Principal", string("*".into(), span)),
                        extra,
                    ],
                    span,
                ),
            )],
            span,
        )
    };
    let url = perm(
        "lambda:InvokeFunctionUrl",
        ("FunctionUrlAuthType", string("NONE".into(), span)),
    );
    let v = super::lambda_permission(b, &url)?;
    b.doc(
        format!("Resources/{id}UrlPublicPermissions"),
        DocKind::Resource,
        &v,
    );
    let invoke = perm(
        "lambda:InvokeFunction",
        (
            "InvokedViaFunctionUrl",
            Value {
                kind: Kind::Bool(true),
                span,
            },
        ),
    );
    let v = super::lambda_permission(b, &invoke)?;
    b.doc(
        format!("Resources/{id}URLInvokeAllowPublicAccess"),
        DocKind::Resource,
        &v,
    );
    Ok(())
}

/// The execution-role policies SAM adds besides `Policies` (`_construct_role` and the pull
/// event sources' `_link_policy`).
pub fn role_policies(
    b: &mut Builder<'_, '_>,
    id: &str,
    res: &Value,
    principal: &mut Principal,
) -> Result<(), ParseError> {
    let r = b.r;
    if raw(res, "DurableConfig").is_some() {
        principal.identity[0] = aws("service-role/AWSLambdaBasicDurableExecutionRolePolicy");
    }
    // every `Tracing` but a literal (or parameter) `Disabled` adds X-Ray
    if let Some(t) = raw(res, "Tracing") {
        let v = r.resolve(t, 0)?;
        if v.as_ref().and_then(Value::as_str) != Some("Disabled") {
            principal.identity.push(aws(if r.partition == "aws" {
                "AWSXrayWriteOnlyAccess"
            } else {
                "AWSXRayDaemonWriteAccess"
            }));
        }
    }
    if raw(res, "VpcConfig").is_some() {
        principal
            .identity
            .push(aws("service-role/AWSLambdaVPCAccessExecutionRole"));
    }
    if let Some(dlq) = raw(res, "DeadLetterQueue") {
        let ty = dlq.get("Type").and_then(Value::as_str);
        let action = match ty {
            Some("SQS") => "sqs:SendMessage",
            Some("SNS") => "sns:Publish",
            _ => {
                return Err(r.err(
                    dlq.span,
                    "'DeadLetterQueue' requires Type of SQS or SNS; SAM rejects other values",
                ));
            }
        };
        let Some(target) = dlq.get("TargetArn") else {
            return Err(r.err(dlq.span, "'DeadLetterQueue' requires `TargetArn`"));
        };
        let target = r.value(target, 0)?;
        let d = b.doc(
            format!("Resources/{id}/DeadLetterQueue"),
            DocKind::Identity,
            &statements(vec![(vec![action], target)], dlq.span),
        );
        principal.identity.push(Attached::Doc(d));
    }
    if let Some(cfg) = raw(res, "EventInvokeConfig")
        && let Some(dest) = cfg.get("DestinationConfig")
    {
        for on in ["OnSuccess", "OnFailure"] {
            let Some(d) = dest.get(on) else { continue };
            let path = format!("Resources/{id}/EventInvokeConfig/DestinationConfig/{on}");
            let made = format!("{id}EventInvokeConfig{on}");
            let types = "SQS/SNS/Lambda/EventBridge/S3Bucket";
            destination(b, principal, &path, d, Some(&made), types)?;
        }
    }
    if let Some(events) = raw(res, "Events").and_then(Value::as_object) {
        for e in events {
            event(b, id, principal, e)?;
        }
    }
    Ok(())
}

/// The policy of one destination (`{Type, Destination}`) as SAM's
/// `_add_event_invoke_managed_policy` and the pull sources' `DestinationConfig` write it;
/// for `EventInvokeConfig`, an SQS queue or SNS topic without `Destination` is one SAM
/// creates (`made` + `Queue`/`Topic`).
fn destination(
    b: &mut Builder<'_, '_>,
    principal: &mut Principal,
    path: &str,
    d: &Value,
    made: Option<&str>,
    types: &str,
) -> Result<(), ParseError> {
    let r = b.r;
    let span = d.span;
    let ty = d.get("Type").and_then(Value::as_str).unwrap_or_default();
    let target = match d.get("Destination") {
        Some(v) => r.resolve(v, 0)?,
        None => None,
    };
    let target = match (target, ty, made) {
        (Some(t), _, _) => t,
        (None, "SQS" | "SNS", Some(made)) => {
            let (suffix, service) = if ty == "SQS" {
                ("Queue", "sqs")
            } else {
                ("Topic", "sns")
            };
            let p = placeholder(&format!("{made}{suffix}"));
            r.note(
                &p,
                &format!(
                    "the {ty} {} SAM creates for `{made}`",
                    suffix.to_lowercase()
                ),
            );
            string(
                format!(
                    "arn:{}:{service}:{}:{}:{p}",
                    r.partition, r.region, r.account
                ),
                span,
            )
        }
        (None, "Kafka", _) => return Ok(()),
        (None, _, _) => {
            return Err(r.err(
                span,
                format!("`{path}` needs `Destination`; SAM rejects it"),
            ));
        }
    };
    let entries = match ty {
        "SQS" => vec![(vec!["sqs:SendMessage"], target)],
        "SNS" => vec![(vec!["sns:publish"], target)],
        "EventBridge" => vec![(vec!["events:PutEvents"], target)],
        "Lambda" => vec![(vec!["lambda:InvokeFunction"], target)],
        "S3Bucket" | "S3" => {
            let objects = string(format!("{}/*", text_of(&target)), target.span);
            vec![
                (vec!["s3:PutObject"], objects),
                (vec!["s3:ListBucket"], target),
            ]
        }
        "Kafka" => return Ok(()),
        other => {
            return Err(r.err(
                span,
                format!("`{path}`: `Type: {other}` must be one of {types}; SAM rejects it"),
            ));
        }
    };
    let doc = b.doc(
        path.to_string(),
        DocKind::Identity,
        &statements(entries, span),
    );
    principal.identity.push(Attached::Doc(doc));
    Ok(())
}

/// The secrets of an event's `SourceAccessConfigurations` of the given types (their `URI`s).
fn access_uris(
    r: &super::Resolver<'_>,
    ep: &Value,
    types: &[&str],
) -> Result<Vec<Value>, ParseError> {
    let mut out = Vec::new();
    let Some(list) = ep.get("SourceAccessConfigurations") else {
        return Ok(out);
    };
    let Kind::Array(items) = &r.value(list, 0)?.kind else {
        return Err(r.err(list.span, "`SourceAccessConfigurations` must be a list"));
    };
    for c in items {
        let ty = c.get("Type").and_then(Value::as_str).unwrap_or_default();
        if types.contains(&ty)
            && let Some(u) = c.get("URI")
        {
            out.push(u.clone());
        }
    }
    Ok(out)
}

/// One event of the function: the managed policy of a pull event source
/// (`eventsources/pull.py` `get_policy_arn`), its inline statements (`get_policy_statements`)
/// and its `DestinationConfig.OnFailure`.
fn event(
    b: &mut Builder<'_, '_>,
    id: &str,
    principal: &mut Principal,
    e: &Member,
) -> Result<(), ParseError> {
    let r = b.r;
    let ty = e
        .value
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let empty = obj(Vec::new(), e.value.span);
    let ep = e.value.get("Properties").unwrap_or(&empty);
    let span = e.value.span;
    let path = format!("Resources/{id}/Events/{}", e.key);
    let managed = match ty {
        "SQS" => Some("service-role/AWSLambdaSQSQueueExecutionRole"),
        "Kinesis" => Some("service-role/AWSLambdaKinesisExecutionRole"),
        "DynamoDB" => Some("service-role/AWSLambdaDynamoDBExecutionRole"),
        "MSK" => Some("service-role/AWSLambdaMSKExecutionRole"),
        "MQ" | "DocumentDB" | "SelfManagedKafka" => None,
        _ => return Ok(()),
    };
    if let Some(m) = managed {
        let a = aws(m);
        if !principal.identity.contains(&a) {
            principal.identity.push(a);
        }
    }
    let vpc = || {
        (
            vec![
                "ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeVpcs",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
            ],
            string("*".into(), span),
        )
    };
    let kms = |b: &Builder<'_, '_>| -> Result<Option<(Vec<&'static str>, Value)>, ParseError> {
        let Some(k) = ep.get("SecretsManagerKmsKeyId") else {
            return Ok(None);
        };
        let k = b.r.text(k, 0)?;
        Ok(Some((
            vec!["kms:Decrypt"],
            string(
                format!("arn:{}:kms:{}:{}:key/{k}", r.partition, r.region, r.account),
                span,
            ),
        )))
    };
    let secret = |u: Value| -> Result<(Vec<&'static str>, Value), ParseError> {
        Ok((vec!["secretsmanager:GetSecretValue"], r.value(&u, 0)?))
    };
    let mut entries: Vec<(Vec<&str>, Value)> = Vec::new();
    match ty {
        "MSK" => {
            for u in access_uris(r, ep, &["CLIENT_CERTIFICATE_TLS_AUTH"])? {
                entries.push(secret(u)?);
            }
        }
        "MQ" => {
            for u in access_uris(r, ep, &["BASIC_AUTH"])? {
                entries.push(secret(u)?);
            }
            if let Some(broker) = ep.get("Broker") {
                entries.push((vec!["mq:DescribeBroker"], r.value(broker, 0)?));
            }
            entries.extend(kms(b)?);
        }
        "DocumentDB" => {
            for u in access_uris(r, ep, &["BASIC_AUTH"])? {
                entries.push(secret(u)?);
            }
            let (p, g, a) = (&r.partition, &r.region, &r.account);
            entries.push((
                vec!["rds:DescribeDBClusterParameters"],
                string(format!("arn:{p}:rds:{g}:{a}:cluster-pg:*"), span),
            ));
            entries.push((
                vec!["rds:DescribeDBSubnetGroups"],
                string(format!("arn:{p}:rds:{g}:{a}:subgrp:*"), span),
            ));
            if let Some(c) = ep.get("Cluster") {
                entries.push((vec!["rds:DescribeDBClusters"], r.value(c, 0)?));
            }
            entries.push(vpc());
            entries.extend(kms(b)?);
        }
        "SelfManagedKafka" => {
            let auth = [
                "SASL_SCRAM_256_AUTH",
                "SASL_SCRAM_512_AUTH",
                "BASIC_AUTH",
                "CLIENT_CERTIFICATE_TLS_AUTH",
            ];
            for u in access_uris(r, ep, &auth)? {
                entries.push(secret(u)?);
            }
            if !access_uris(r, ep, &["VPC_SUBNET"])?.is_empty() {
                entries.push(vpc());
            }
            entries.extend(kms(b)?);
        }
        _ => {}
    }
    if !entries.is_empty() {
        let d = b.doc(
            format!("{path}/Policy"),
            DocKind::Identity,
            &statements(entries, span),
        );
        principal.identity.push(Attached::Doc(d));
    }
    // the schema registry's statements are built from its ARN's text: not rebuilt, named
    if let Some(s) = ep.get("SchemaRegistryConfig") {
        b.out.unread.push(Unread {
            path: format!(
                "Resources/{id}/Properties/Events/{}/Properties/SchemaRegistryConfig",
                e.key
            ),
            ty: TYPE.into(),
            content: format!(
                "(the execution-role statements SAM adds for it) {}",
                crate::iac::unread::content(s)
            ),
        });
    }
    if let Some(on) = ep
        .get("DestinationConfig")
        .and_then(|d| d.get("OnFailure"))
        .filter(|o| o.get("Type").is_some())
    {
        destination(
            b,
            principal,
            &format!("{path}/DestinationConfig/OnFailure"),
            on,
            None,
            "SQS/SNS/S3/Kafka",
        )?;
    }
    Ok(())
}
