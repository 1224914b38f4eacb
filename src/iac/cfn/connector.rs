//! SAM connectors: `AWS::Serverless::Connector` resources and the `Connectors` attribute of a
//! resource, expanded into the policies SAM generates for them, from SAM's published connector
//! profiles (`profiles.json`, shipped in `data/sam/`).
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

use super::resolve::string;
use super::{Attached, Builder, DocKind, PrincipalKind, text_of};
use crate::parse::ParseError;
use crate::parse::json::{self, Kind, Member, Value};
use crate::source::Span;

static PROFILES: &str = include_str!("../../../data/sam/connector_profiles.json");

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
        generate(b, c, &src, &dest, i, multi)?;
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

/// `%{Source.Arn}`-style variables replaced as SAM replaces them: a string that is only the
/// variable becomes its value; a string that holds it becomes `Fn::Sub` with the value as a
/// variable; a string with `${...}` (pseudo parameters) becomes `Fn::Sub`.
fn replace(v: &Value, vars: &[(&str, Option<&Value>)]) -> Result<Value, String> {
    let span = v.span;
    let kind = match &v.kind {
        Kind::String(s) => return replace_str(s, vars, span),
        Kind::Object(m) => Kind::Object(
            m.iter()
                .map(|x| {
                    Ok(Member {
                        key: x.key.clone(),
                        key_span: x.key_span,
                        value: replace(&x.value, vars)?,
                    })
                })
                .collect::<Result<_, String>>()?,
        ),
        Kind::Array(a) => Kind::Array(
            a.iter()
                .map(|x| replace(x, vars))
                .collect::<Result<_, String>>()?,
        ),
        k => k.clone(),
    };
    Ok(Value { kind, span })
}

fn replace_str(s: &str, vars: &[(&str, Option<&Value>)], span: Span) -> Result<Value, String> {
    let mut s = s.to_string();
    let mut subs: Vec<Member> = Vec::new();
    for (name, value) in vars {
        let pattern = format!("%{{{name}}}");
        if !s.contains(&pattern) {
            continue;
        }
        let Some(value) = value else {
            return Err(format!("`{name}` is missing"));
        };
        if s == pattern {
            return Ok((*value).clone());
        }
        let var: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
        s = s.replace(&pattern, &format!("${{{var}}}"));
        subs.push(Member {
            key: var,
            key_span: span,
            value: (*value).clone(),
        });
    }
    if let Some(i) = s.find("%{") {
        let rest = &s[i + 2..];
        if let Some(end) = rest.find('}')
            && end > 0
            && rest[..end]
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return Err(format!(
                "`%{{{}}}` is not a connector variable",
                &rest[..end]
            ));
        }
    }
    // SAM: `re.search(r"\${.+}", s)`
    let needs_sub = s
        .find("${")
        .is_some_and(|i| s[i + 2..].char_indices().skip(1).any(|(_, c)| c == '}'));
    if !needs_sub {
        return Ok(string(s, span));
    }
    let template = string(s, span);
    let arg = if subs.is_empty() {
        template
    } else {
        Value {
            kind: Kind::Array(vec![template, obj(subs, span)]),
            span,
        }
    };
    Ok(obj(vec![member("Fn::Sub", arg)], span))
}

fn generate(
    b: &mut Builder<'_, '_>,
    c: &Connector<'_>,
    src: &End,
    dest: &End,
    index: usize,
    multi: bool,
) -> Result<(), ParseError> {
    let r = b.r;
    let all = profiles().map_err(|e| r.err(c.span, e))?;
    let from = all.get("Permissions").and_then(|p| p.get(&src.ty));
    let Some(profile) = from.and_then(|p| p.get(&dest.ty)) else {
        let supported: Vec<&str> = from
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|x| x.key.as_str()).collect())
            .unwrap_or_default();
        let help = if supported.is_empty() {
            format!("SAM has no connector from `{}`; {REFERENCE}", src.ty)
        } else {
            format!(
                "from `{}`, SAM connects to {}; {REFERENCE}",
                src.ty,
                supported
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(r
            .err(
                c.span,
                format!(
                    "connector `{}`: SAM has no connector from `{}` to `{}`",
                    c.id, src.ty, dest.ty
                ),
            )
            .with_help(help));
    };
    let kind = profile.get("Type").and_then(Value::as_str).unwrap_or("");
    let props = profile.get("Properties");
    let categories: Vec<&Member> = props
        .and_then(|p| p.get("AccessCategories"))
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let valid = categories
        .iter()
        .map(|m| m.key.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Permissions
    let Some(perms) = c.permissions else {
        return Err(r.err(
            c.span,
            format!("the connector `{}` needs `Permissions`", c.id),
        ));
    };
    let Kind::Array(items) = &perms.kind else {
        return Err(r.err(perms.span, "`Permissions` must be a list"));
    };
    let mut chosen: Vec<String> = Vec::new();
    for p in items {
        let Some(name) = p.as_str() else {
            return Err(r.err(p.span, "a `Permissions` entry must be a string"));
        };
        if !categories.iter().any(|m| m.key == name) {
            return Err(r.err(
                p.span,
                format!(
                    "connector `{}`: SAM has no `{name}` permission from `{}` to `{}`; valid values are: {valid}",
                    c.id, src.ty, dest.ty
                ),
            ));
        }
        if !chosen.iter().any(|x| x == name) {
            chosen.push(name.to_string());
        }
    }
    if chosen.is_empty() {
        return Err(r.err(
            perms.span,
            format!(
                "connector `{}`: `Permissions` cannot be empty; valid values are: {valid}",
                c.id
            ),
        ));
    }
    if let Some(Kind::Array(combos)) = props
        .and_then(|p| p.get("ValidAccessCategories"))
        .map(|v| &v.kind)
    {
        let mut given = chosen.clone();
        given.sort();
        let combos: Vec<Vec<String>> = combos
            .iter()
            .map(|c| {
                let mut v: Vec<String> = match &c.kind {
                    Kind::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect(),
                    _ => Vec::new(),
                };
                v.sort();
                v
            })
            .collect();
        if !combos.contains(&given) {
            return Err(r.err(
                perms.span,
                format!(
                    "connector `{}`: SAM accepts from `{}` to `{}` only the permissions {}",
                    c.id,
                    src.ty,
                    dest.ty,
                    combos
                        .iter()
                        .map(|c| c.join(" + "))
                        .collect::<Vec<_>>()
                        .join(", or ")
                ),
            ));
        }
    }
    // the profile with its variables filled
    let Some(props) = props else {
        return Err(r.err(c.span, "the SAM connector profile has no `Properties`"));
    };
    let vars = [
        ("Source.Arn", src.arn.as_ref()),
        ("Destination.Arn", dest.arn.as_ref()),
        ("Source.ResourceId", src.resource_id.as_ref()),
        ("Destination.ResourceId", dest.resource_id.as_ref()),
        ("Source.Name", src.name.as_ref()),
        ("Destination.Name", dest.name.as_ref()),
        ("Source.Qualifier", src.qualifier.as_ref()),
        ("Destination.Qualifier", dest.qualifier.as_ref()),
    ];
    let filled = replace(&super::sam::instantiate(props, c.span, &[]), &vars).map_err(|e| {
        r.err(c.span, format!("connector `{}`: {e}", c.id))
            .with_help(REFERENCE)
    })?;
    let on_source = filled.get("SourcePolicy").map(|v| &v.kind) == Some(&Kind::Bool(true));
    let (owner, which) = if on_source {
        (src, "Source")
    } else {
        (dest, "Destination")
    };
    let suffix = |base: &str| {
        if multi {
            format!("{}{base}Destination{index}", c.id)
        } else {
            format!("{}{base}", c.id)
        }
    };
    let cats = filled.get("AccessCategories");
    let selected = |name: &str| chosen.iter().any(|x| x == name);
    match kind {
        "AWS_IAM_ROLE_MANAGED_POLICY" | "AWS_SQS_QUEUE_POLICY" | "AWS_SNS_TOPIC_POLICY" => {
            let (needed, what) = match kind {
                "AWS_IAM_ROLE_MANAGED_POLICY" => (&owner.role_name, "the IAM role name"),
                "AWS_SQS_QUEUE_POLICY" => (&owner.queue_url, "the SQS queue URL"),
                _ => (&owner.arn, "the SNS topic ARN"),
            };
            let Some(needed) = needed else {
                return Err(r
                    .err(
                        c.span,
                        format!(
                            "connector `{}`: SAM cannot get {what} from the `{which}` resource",
                            c.id
                        ),
                    )
                    .with_help(match kind {
                        "AWS_IAM_ROLE_MANAGED_POLICY" => "with `Id`, SAM takes the role from the resource's role property (`Role`, `RoleArn`) written as `!Ref` or `!GetAtt` of a resource; otherwise give `Type` and `RoleName`",
                        _ => REFERENCE,
                    }));
            };
            let mut statements: Vec<Value> = Vec::new();
            for m in cats.and_then(Value::as_object).unwrap_or_default() {
                if !selected(&m.key) {
                    continue;
                }
                if let Some(Kind::Array(s)) = m.value.get("Statement").map(|s| &s.kind) {
                    statements.extend(s.iter().cloned());
                }
            }
            let doc = obj(
                vec![
                    member("Version", string("2012-10-17".into(), c.span)),
                    member(
                        "Statement",
                        Value {
                            kind: Kind::Array(statements),
                            span: c.span,
                        },
                    ),
                ],
                c.span,
            );
            let resolved = r.value(&doc, 0)?;
            let (name, doc_kind) = match kind {
                "AWS_IAM_ROLE_MANAGED_POLICY" => (suffix("Policy"), DocKind::Identity),
                "AWS_SQS_QUEUE_POLICY" => (suffix("QueuePolicy"), DocKind::Resource),
                _ => (suffix("TopicPolicy"), DocKind::Resource),
            };
            let d = b.doc(
                format!("Resources/{name}/PolicyDocument"),
                doc_kind,
                &resolved,
            );
            if kind == "AWS_IAM_ROLE_MANAGED_POLICY" {
                attach(b, needed, d, &name, &c.id)?;
            }
        }
        "AWS_LAMBDA_PERMISSION" => {
            let Some(function) = &owner.arn else {
                return Err(r.err(
                    c.span,
                    format!(
                        "connector `{}`: SAM cannot get the Lambda function ARN from the `{which}` resource",
                        c.id
                    ),
                ));
            };
            for m in cats.and_then(Value::as_object).unwrap_or_default() {
                if !selected(&m.key) {
                    continue;
                }
                let mut p = vec![member("FunctionName", function.clone())];
                for k in ["Action", "Principal", "SourceArn", "SourceAccount"] {
                    if let Some(v) = m.value.get(k) {
                        p.push(member(k, v.clone()));
                    }
                }
                let res = obj(vec![member("Properties", obj(p, c.span))], c.span);
                let v = super::lambda_permission(b, &res)?;
                let name = suffix(&format!("{}LambdaPermission", m.key));
                b.doc(format!("Resources/{name}"), DocKind::Resource, &v);
            }
        }
        other => {
            return Err(r.err(
                c.span,
                format!("the SAM connector profile type `{other}` is not supported"),
            ));
        }
    }
    Ok(())
}

/// Attaches a generated managed policy to the role `role` names: a role of the template (by
/// `Ref` to its logical ID, or by name); a role outside the template is named in a note (the
/// policy is still linted).
fn attach(
    b: &mut Builder<'_, '_>,
    role: &Value,
    doc: usize,
    policy: &str,
    connector: &str,
) -> Result<(), ParseError> {
    let a = Attached::Doc(doc);
    let push = |b: &mut Builder<'_, '_>, i: usize| {
        let p = &mut b.out.principals[i];
        if !p.identity.contains(&a) {
            p.identity.push(a.clone());
        }
    };
    if let Some(lid) = logical_id_of(role)
        && let Some(i) = b
            .out
            .principals
            .iter()
            .position(|p| p.kind == PrincipalKind::Role && p.logical_id == lid)
    {
        push(b, i);
        return Ok(());
    }
    let name = text_of(&b.r.value(role, 0)?);
    if let Some(&i) = b.names.get(&(PrincipalKind::Role, name.clone())) {
        push(b, i);
        return Ok(());
    }
    b.r.note(
        &format!("Resources/{policy}"),
        &format!(
            "the managed policy connector `{connector}` attaches to the role `{name}`, which is not a role of the template: the policy is linted, but no principal of the template holds it"
        ),
    );
    Ok(())
}

#[cfg(test)]
#[path = "connector_tests.rs"]
mod tests;
