//! SAM connectors: `AWS::Serverless::Connector` resources and the `Connectors` attribute of a
//! resource, expanded into the policies SAM generates for them, from SAM's published connector
//! profiles (SAM's `profiles.json`, shipped as `data/sam/connector_profiles.json`).
//!
//! SAM's behaviour followed here (and in SAM's `samtranslator/model/connector/connector.py`,
//! `SamConnector` in `samtranslator/model/sam_resources.py`, `_get_embedded_connectors` in
//! `samtranslator/translator/translator.py`):
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-connector.html>,
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html>,
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-connector.html>.
//!
//! - A connector end is `Id` (a resource of the template, with an optional `Qualifier`) or
//!   `Type` with the properties that name a resource elsewhere (`Arn`, `Name`, `RoleName`,
//!   `QueueUrl`, `ResourceId`, `Qualifier`). SAM resource types stand for the CloudFormation
//!   resource SAM generates (a `Serverless::Function` is an `AWS::Lambda::Function`).
//! - With `Id`, the ARN, name, URL and ID are the profile's `CfnResourceProperties`; the role is
//!   the `Ref`/`Fn::GetAtt` target of the resource's role property (`Role`, `RoleArn`, an
//!   event rule target's `RoleArn`; a SAM function or state machine without `Role` runs as the
//!   role SAM generates, `<Id>Role`). A role SAM cannot name is an error, as in SAM.
//! - The profile of the (source type, destination type) pair gives the statements of each
//!   access category (`Read`, `Write`) and what they become: a managed policy attached to the
//!   source's (or the destination's) role, a queue policy, a topic policy or Lambda
//!   permissions. `%{Source.Arn}`-style variables are filled as SAM fills them (`Fn::Sub`).

use std::sync::OnceLock;

mod generate;

use super::Builder;
use super::resolve::string;
use crate::parse::ParseError;
use crate::parse::json::{self, Kind, Member, Value};
use crate::source::Span;

static PROFILES: &str = include_str!("../../../../data/sam/connector_profiles.json");

const REFERENCE: &str = "see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/reference-sam-connector.html";

/// SAM's connector profiles, parsed once.
fn profiles() -> Result<&'static Value, String> {
    static P: OnceLock<Result<Value, String>> = OnceLock::new();
    P.get_or_init(|| {
        json::parse(PROFILES)
            .map_err(|e| format!("the shipped SAM connector profiles are invalid: {}", e.kind))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The CloudFormation type a SAM resource type given as `Type` stands for (SAM's
/// `_SAM_TO_CFN_RESOURCE_TYPE`: the profiles name CloudFormation types only).
fn cfn_type(t: &str) -> &str {
    match t {
        "AWS::Serverless::Function" => "AWS::Lambda::Function",
        "AWS::Serverless::StateMachine" => "AWS::StepFunctions::StateMachine",
        "AWS::Serverless::Api" => "AWS::ApiGateway::RestApi",
        "AWS::Serverless::HttpApi" => "AWS::ApiGatewayV2::Api",
        "AWS::Serverless::SimpleTable" => "AWS::DynamoDB::Table",
        other => other,
    }
}

/// One end of a connector: unresolved values (intrinsic functions kept), as SAM's
/// `ConnectorResourceReference`.
struct End {
    ty: String,
    arn: Option<Value>,
    role_name: Option<Value>,
    queue_url: Option<Value>,
    resource_id: Option<Value>,
    name: Option<Value>,
    qualifier: Option<Value>,
}

/// A connector, as an `AWS::Serverless::Connector` resource has it.
struct Connector<'v> {
    id: String,
    source: Value,
    destination: &'v Value,
    permissions: Option<&'v Value>,
    span: Span,
}

fn obj(members: Vec<Member>, span: Span) -> Value {
    Value {
        kind: Kind::Object(members),
        span,
    }
}

fn member(key: &str, value: Value) -> Member {
    Member {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

/// `{"Fn::GetAtt": [id, attr]}`
fn get_att(id: &str, attr: &str, span: Span) -> Value {
    obj(
        vec![member(
            "Fn::GetAtt",
            Value {
                kind: Kind::Array(vec![string(id.into(), span), string(attr.into(), span)]),
                span,
            },
        )],
        span,
    )
}

/// The logical ID a `Ref` or `Fn::GetAtt` names (SAM's `get_logical_id_from_intrinsic`).
fn logical_id_of(v: &Value) -> Option<String> {
    let [m] = v.as_object()? else { return None };
    match (m.key.as_str(), &m.value.kind) {
        ("Ref", Kind::String(s)) => Some(s.clone()),
        ("Fn::GetAtt", Kind::Array(a)) if a.len() == 2 => a[0].as_str().map(str::to_string),
        ("Fn::GetAtt", Kind::String(s)) => match s.split('.').collect::<Vec<_>>().as_slice() {
            [id, _] => Some((*id).to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Two unresolved values written alike (spans aside).
fn same(x: &Value, y: &Value) -> bool {
    match (&x.kind, &y.kind) {
        (Kind::Object(a), Kind::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(p, q)| p.key == q.key && same(&p.value, &q.value))
        }
        (Kind::Array(a), Kind::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(p, q)| same(p, q))
        }
        (a, b) => a == b,
    }
}

/// A copy of `v` with every span set to `span` and `%{logicalId}` replaced.
fn with_logical_id(v: &Value, id: &str, span: Span) -> Value {
    let kind = match &v.kind {
        Kind::String(s) => Kind::String(s.replace("%{logicalId}", id)),
        Kind::Object(m) => Kind::Object(
            m.iter()
                .map(|x| Member {
                    key: x.key.clone(),
                    key_span: span,
                    value: with_logical_id(&x.value, id, span),
                })
                .collect(),
        ),
        Kind::Array(a) => Kind::Array(a.iter().map(|x| with_logical_id(x, id, span)).collect()),
        k => k.clone(),
    };
    Value { kind, span }
}

/// An `AWS::Serverless::Connector` resource.
pub fn resource(b: &mut Builder<'_, '_>, id: &str, res: &Value) -> Result<(), ParseError> {
    let r = b.r;
    let Some(props) = res.get("Properties").filter(|p| p.as_object().is_some()) else {
        return Err(r.err(res.span, format!("the connector `{id}` needs `Properties`")));
    };
    let Some(source) = props.get("Source") else {
        return Err(r.err(props.span, format!("the connector `{id}` needs `Source`")));
    };
    let Some(destination) = props.get("Destination") else {
        return Err(r.err(
            props.span,
            format!("the connector `{id}` needs `Destination`"),
        ));
    };
    expand(
        b,
        &Connector {
            id: id.to_string(),
            source: source.clone(),
            destination,
            permissions: props.get("Permissions"),
            span: res.span,
        },
    )
}

/// The `Connectors` attribute of a resource: each entry is a connector whose source is the
/// resource, named `<ResourceId><ConnectorId>`.
pub fn embedded(b: &mut Builder<'_, '_>, source_id: &str, res: &Value) -> Result<(), ParseError> {
    let r = b.r;
    let Some(list) = res.get("Connectors") else {
        return Ok(());
    };
    let Some(entries) = list.as_object() else {
        return Err(r.err(
            list.span,
            format!("`{source_id}.Connectors` must be a map of connectors"),
        ));
    };
    for e in entries {
        let id = format!("{source_id}{}", e.key);
        if e.value.as_object().is_none() {
            return Err(r.err(
                e.value.span,
                format!("the connector `{}` of `{source_id}` must be a map", e.key),
            ));
        }
        if r.resources.contains_key(&id) {
            return Err(r.err(
                e.key_span,
                format!("the connector `{}` of `{source_id}` becomes `{id}`, which is already a resource of the template; SAM rejects that", e.key),
            ));
        }
        if !super::created(r, &e.value)? {
            continue;
        }
        let Some(props) = e
            .value
            .get("Properties")
            .filter(|p| p.as_object().is_some())
        else {
            return Err(r.err(
                e.value.span,
                format!(
                    "the connector `{}` of `{source_id}` needs `Properties` (a map)",
                    e.key
                ),
            ));
        };
        let Some(destination) = props.get("Destination") else {
            return Err(r.err(
                props.span,
                format!("the connector `{id}` needs `Destination`"),
            ));
        };
        let mut source = vec![member("Id", string(source_id.into(), e.key_span))];
        if let Some(sr) = props.get("SourceReference") {
            let Some(m) = sr.as_object() else {
                return Err(r.err(sr.span, "`SourceReference` must be a map"));
            };
            if let Some(x) = m.iter().find(|x| x.key == "Id") {
                return Err(r.err(
                    x.key_span,
                    "`Id` cannot be given in `SourceReference`: the source is the resource the connector is embedded in",
                ));
            }
            source.extend(m.iter().cloned());
        }
        expand(
            b,
            &Connector {
                id,
                source: obj(source, e.key_span),
                destination,
                permissions: props.get("Permissions"),
                span: e.value.span,
            },
        )?;
    }
    Ok(())
}

fn expand(b: &mut Builder<'_, '_>, c: &Connector<'_>) -> Result<(), ParseError> {
    let r = b.r;
    let (dests, multi): (Vec<&Value>, bool) = match &c.destination.kind {
        Kind::Array(a) => (a.iter().collect(), true),
        _ => (vec![c.destination], false),
    };
    if dests.is_empty() {
        return Err(r.err(
            c.destination.span,
            format!("the `Destination` of connector `{}` is an empty list", c.id),
        ));
    }
    for (i, d) in dests.into_iter().enumerate() {
        let dest = end(b, c, d, &c.source)?;
        let src = end(b, c, &c.source, d)?;
        generate::generate(b, c, &src, &dest, i, multi)?;
    }
    Ok(())
}

/// Reads one end of a connector (`other` is the other end, for an event rule's target).
fn end(
    b: &Builder<'_, '_>,
    c: &Connector<'_>,
    v: &Value,
    other: &Value,
) -> Result<End, ParseError> {
    let r = b.r;
    let Some(m) = v.as_object() else {
        return Err(r.err(
            v.span,
            format!(
                "the `Source` and `Destination` of connector `{}` are maps",
                c.id
            ),
        ));
    };
    let has_id = m.iter().any(|x| x.key == "Id");
    let has_other = m.iter().any(|x| x.key != "Id" && x.key != "Qualifier");
    if has_id == has_other {
        return Err(r
            .err(
                v.span,
                format!(
                    "connector `{}`: give `Id` (with an optional `Qualifier`) or `Type` with the properties that name the resource, not both",
                    c.id
                ),
            )
            .with_help(REFERENCE));
    }
    let field = |k: &str| v.get(k).cloned();
    if !has_id {
        let ty = match v.get("Type").and_then(Value::as_str) {
            Some(t) if !t.is_empty() => cfn_type(t).to_string(),
            _ => {
                return Err(r.err(
                    v.span,
                    format!("connector `{}`: `Type` is missing or not a string", c.id),
                ));
            }
        };
        return Ok(End {
            ty,
            arn: field("Arn"),
            role_name: field("RoleName"),
            queue_url: field("QueueUrl"),
            resource_id: field("ResourceId"),
            name: field("Name"),
            qualifier: field("Qualifier"),
        });
    }
    let id_value = v.get("Id").unwrap_or(v);
    let id = match id_value.as_str() {
        Some(s) if !s.is_empty() => s,
        _ => {
            return Err(r.err(
                id_value.span,
                format!("connector `{}`: `Id` is missing or not a string", c.id),
            ));
        }
    };
    let Some(res) = r.resources.get(id).copied() else {
        return Err(r.err(
            id_value.span,
            format!(
                "connector `{}`: `{id}` is not a resource of the template",
                c.id
            ),
        ));
    };
    let sam_ty = match res.get("Type").and_then(Value::as_str) {
        Some(t) if !t.is_empty() => t,
        _ => {
            return Err(r.err(
                id_value.span,
                format!("connector `{}`: `{id}` has no `Type`", c.id),
            ));
        }
    };
    // the resource SAM generates under the same logical ID
    let ty = match sam_ty {
        "AWS::Serverless::GraphQLApi" => "AWS::AppSync::GraphQLApi",
        t => cfn_type(t),
    };
    let props = profiles()
        .map_err(|e| r.err(c.span, e))?
        .get("CfnResourceProperties")
        .and_then(|p| p.get(ty));
    let span = id_value.span;
    let out = |k: &str| {
        props
            .and_then(|p| p.get("Outputs"))
            .and_then(|o| o.get(k))
            .map(|x| with_logical_id(x, id, span))
    };
    let role = props
        .and_then(|p| p.get("Inputs"))
        .and_then(|i| i.get("Role"))
        .and_then(|input| role_of(id, res, sam_ty, input, other, span))
        .and_then(|raw| logical_id_of(&raw))
        .map(|lid| obj(vec![member("Ref", string(lid, span))], span));
    Ok(End {
        ty: ty.to_string(),
        arn: out("Arn"),
        role_name: role,
        queue_url: out("Url"),
        resource_id: out("Id"),
        name: out("Name"),
        qualifier: field("Qualifier").or_else(|| out("Qualifier")),
    })
}

/// The role property of a resource, as the CloudFormation resource SAM generates holds it.
fn role_of(
    id: &str,
    res: &Value,
    sam_ty: &str,
    input: &Value,
    other: &Value,
    span: Span,
) -> Option<Value> {
    let props = res.get("Properties");
    if let Some(prop) = input.as_str() {
        return match sam_ty {
            // SAM passes `Role` on, or generates `<Id>Role`
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                match props.and_then(|p| p.get("Role")) {
                    Some(v) => Some(v.clone()),
                    None => Some(get_att(&format!("{id}Role"), "Arn", span)),
                }
            }
            _ => props.and_then(|p| p.get(prop)).cloned(),
        };
    }
    if input.get("Function").and_then(Value::as_str) == Some("GetEventsRuleRole") {
        // the role of the rule's target that is the other end
        let other_id = other.get("Id").and_then(Value::as_str);
        let other_arn = other.get("Arn");
        let targets = props.and_then(|p| p.get("Targets"))?;
        let Kind::Array(targets) = &targets.kind else {
            return None;
        };
        for t in targets {
            let Some(arn) = t.get("Arn") else { continue };
            let by_id = other_id.is_some() && logical_id_of(arn).as_deref() == other_id;
            let by_arn = other_arn.is_some_and(|o| same(o, arn));
            if by_id || by_arn {
                return t.get("RoleArn").cloned();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
