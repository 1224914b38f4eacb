//! `AWS::Serverless::Api` `Auth.ResourcePolicy` (SAM): the API Gateway resource policy SAM
//! writes into the API's OpenAPI definition (`x-amazon-apigateway-policy`), rebuilt as SAM's
//! translator builds it (`SwaggerEditor.add_resource_policy` / `add_custom_statements` in
//! `samtranslator/swagger/swagger.py`, called once per path of the API by
//! `ApiGenerator._add_auth`), documented at
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html>
//! and <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>:
//!
//! - for every path of the API, with `Resource` the list of `execute-api:/STAGE/METHOD/PATH`
//!   of each of the path's methods (`ANY` is `*`, `{param}` and `{proxy+}` are `*`):
//!   `AwsAccountWhitelist` → `Allow` for `Principal: {AWS: [...]}`, `AwsAccountBlacklist` →
//!   `Deny` for them; `IpRangeWhitelist` → `Allow` for `*` and `Deny` for `*` with
//!   `NotIpAddress aws:SourceIp`; `IpRangeBlacklist` → the same with `IpAddress`;
//!   `SourceVpcBlacklist` / `IntrinsicVpcBlacklist` / `IntrinsicVpceBlacklist` → `Allow` and
//!   `Deny` with `StringEquals aws:SourceVpc`/`aws:SourceVpce`; the whitelists the same with
//!   `StringNotEquals` (entries of `SourceVpc*list` not starting `vpc-` or `vpce-` are dropped,
//!   as SAM drops them);
//! - then `CustomStatements`, each unless an equal statement is there already.
//!
//! The API's paths and methods come from its inline `DefinitionBody`, else (SAM writes the
//! definition) from the `Api` events of the template's functions whose `RestApiId` names it.
//! An event's own `Auth.ResourcePolicy` adds the same statements for the event's path
//! (`Api._add_swagger_integration`, `samtranslator/model/eventsources/push.py`). The implicit
//! API `ServerlessRestApi` (`samtranslator/plugins/api/implicit_rest_api_plugin.py`: the events
//! without `RestApiId`, stage `Prod`, `Globals.Api` merged in) is rebuilt the same way.
//! When they cannot be known exactly — `DefinitionUri`, `MergeDefinitions`, `Cors` (SAM adds
//! `OPTIONS` methods), a definition that already holds a policy, a path or method written
//! with an intrinsic function, an event of a resource with a `Condition` — the policy is not
//! rebuilt: it is named as a policy greenlight does not read (`unknown` for `verify` and
//! `diff`), with the reason, never guessed.

use super::resolve::{scalar_text, string};
use super::sam_function::{list, merge_globals, obj};
use super::{Builder, DocKind};
use crate::iac::unread::Unread;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::Span;

const TYPE: &str = "AWS::Serverless::Api";

/// Two values written alike (spans aside): Python's `==` on the translated dictionaries.
fn same(x: &Value, y: &Value) -> bool {
    match (&x.kind, &y.kind) {
        (Kind::Object(a), Kind::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|p| {
                    b.iter()
                        .find(|q| q.key == p.key)
                        .is_some_and(|q| same(&p.value, &q.value))
                })
        }
        (Kind::Array(a), Kind::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(p, q)| same(p, q))
        }
        (a, b) => a == b,
    }
}

/// The paths of an API with their methods (as SAM's editor holds them).
type Paths = Vec<(String, Vec<String>)>;

/// An `Api` event's own `Auth.ResourcePolicy` (SAM adds it for the event's path only,
/// `Api._add_swagger_integration` in `samtranslator/model/eventsources/push.py`).
struct EventPolicy<'v> {
    /// Where it is written (`Resources/FN/Properties/Events/E/Properties/Auth/ResourcePolicy`).
    at: String,
    raw: &'v Value,
    path: String,
}

/// Whether the `Api` event properties `ep` name the API `id` (`None` for the implicit API:
/// the events without `RestApiId`); `Err(why)` when the `RestApiId` is not a `Ref`.
fn names_api(ep: &Value, id: Option<&str>) -> Result<bool, ()> {
    match (ep.get("RestApiId"), id) {
        (None, None) => Ok(true),
        (None, Some(_)) | (Some(_), None) => {
            if let Some(v) = ep.get("RestApiId")
                && v.as_str().is_none()
                && v.get("Ref").and_then(Value::as_str).is_none()
            {
                return Err(());
            }
            Ok(false)
        }
        (Some(v), Some(id)) => {
            if v.as_str() == Some(id) || v.get("Ref").and_then(Value::as_str) == Some(id) {
                Ok(true)
            } else if v.as_str().is_none() && v.get("Ref").and_then(Value::as_str).is_none() {
                Err(())
            } else {
                Ok(false)
            }
        }
    }
}

/// The paths of the API with their methods, as SAM's editor holds them, and the events' own
/// resource policies; `Err(why)` when they cannot be known exactly. `id` is `None` for the
/// implicit API.
fn paths<'v>(
    id: Option<&str>,
    props: &Value,
    cors: bool,
    live: &[&'v Member],
    all: &std::collections::BTreeMap<String, &Value>,
) -> Result<(Paths, Vec<EventPolicy<'v>>), String> {
    if props.get("DefinitionUri").is_some() {
        return Err("the API's paths come from `DefinitionUri`".into());
    }
    if props
        .get("MergeDefinitions")
        .is_some_and(|m| m.kind == Kind::Bool(true))
    {
        return Err("`MergeDefinitions` adds the events' paths to the definition".into());
    }
    if cors {
        return Err("`Cors` makes SAM add `OPTIONS` methods to the paths".into());
    }
    // SAM writes a function's condition into the paths of its events (`Fn::If`); the policy
    // names the methods of both branches, which need not be the functions created here
    for (rid, res) in all {
        let Some(events) = events_of(res) else {
            continue;
        };
        let conditional = res.get("Condition").is_some();
        for e in events {
            if e.value.get("Type").and_then(Value::as_str) != Some("Api") {
                continue;
            }
            let Some(ep) = e.value.get("Properties") else {
                continue;
            };
            match names_api(ep, id) {
                Err(()) => {
                    return Err(format!(
                        "the `RestApiId` of the event `{rid}.{}` is not a `Ref`",
                        e.key
                    ));
                }
                Ok(true) if conditional => {
                    return Err(format!(
                        "the event `{rid}.{}` belongs to a resource with a `Condition`",
                        e.key
                    ));
                }
                _ => {}
            }
        }
    }
    let literal = |v: &Value| v.as_str().map(str::to_string);
    if let Some(def) = props.get("DefinitionBody").filter(|_| id.is_some()) {
        if def.get("x-amazon-apigateway-policy").is_some() {
            return Err("the definition holds an `x-amazon-apigateway-policy` already".into());
        }
        let Some(p) = def.get("paths").and_then(Value::as_object) else {
            return Err("the definition's `paths` is not written as a map".into());
        };
        let mut out = Vec::new();
        for m in p {
            let Some(item) = m.value.as_object() else {
                return Err(format!("the path `{}` is not written as a map", m.key));
            };
            if item.len() == 1 && (item[0].key == "Fn::If" || item[0].key == "Ref") {
                return Err(format!(
                    "the path `{}` is written with `{}`",
                    m.key, item[0].key
                ));
            }
            out.push((m.key.clone(), item.iter().map(|x| x.key.clone()).collect()));
        }
        // with a definition, SAM adds an event's own policy only under `OverrideApiAuth`
        for r in live {
            for e in events_of(&r.value).unwrap_or_default() {
                let Some(ep) = e.value.get("Properties") else {
                    continue;
                };
                let auth = ep.get("Auth");
                if e.value.get("Type").and_then(Value::as_str) == Some("Api")
                    && names_api(ep, id) == Ok(true)
                    && auth.and_then(|a| a.get("ResourcePolicy")).is_some()
                    && auth
                        .and_then(|a| a.get("OverrideApiAuth"))
                        .is_some_and(|o| o.kind != Kind::Bool(false))
                {
                    return Err(format!(
                        "the event `{}.{}` sets its own `Auth.ResourcePolicy` with `OverrideApiAuth`",
                        r.key, e.key
                    ));
                }
            }
        }
        return Ok((out, Vec::new()));
    }
    // SAM writes the definition from the `Api` events naming the API
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut own = Vec::new();
    for r in live {
        let ty = r.value.get("Type").and_then(Value::as_str).unwrap_or("");
        if ty != "AWS::Serverless::Function" && ty != "AWS::Serverless::StateMachine" {
            continue;
        }
        let Some(events) = events_of(&r.value) else {
            continue;
        };
        for e in events {
            if e.value.get("Type").and_then(Value::as_str) != Some("Api") {
                continue;
            }
            let Some(ep) = e.value.get("Properties") else {
                continue;
            };
            if names_api(ep, id) != Ok(true) {
                continue;
            }
            let (Some(path), Some(method)) = (
                ep.get("Path").and_then(literal),
                ep.get("Method").and_then(literal),
            ) else {
                return Err(format!(
                    "the `Path` or `Method` of the event `{}.{}` is not a literal string",
                    r.key, e.key
                ));
            };
            if let Some(raw) = ep.get("Auth").and_then(|a| a.get("ResourcePolicy")) {
                if ty == "AWS::Serverless::StateMachine" {
                    // SAM's state machine `Api` event names no stage in them (`__Stage__: null`
                    // in its translator tests)
                    return Err(format!(
                        "the state machine event `{}.{}` sets its own `Auth.ResourcePolicy`",
                        r.key, e.key
                    ));
                }
                own.push(EventPolicy {
                    at: format!(
                        "Resources/{}/Properties/Events/{}/Properties/Auth/ResourcePolicy",
                        r.key, e.key
                    ),
                    raw,
                    path: path.clone(),
                });
            }
            let method = match method.to_ascii_lowercase().as_str() {
                "any" => "x-amazon-apigateway-any-method".to_string(),
                m => m.to_string(),
            };
            match out.iter_mut().find(|(p, _)| *p == path) {
                Some((_, ms)) => {
                    if !ms.contains(&method) {
                        ms.push(method);
                    }
                }
                None => out.push((path, vec![method])),
            }
        }
    }
    Ok((out, own))
}

/// Every span of `v` set to `span`.
/// The `Events` of a SAM resource (`Properties.Events`).
fn events_of(resource: &Value) -> Option<&[Member]> {
    resource
        .get("Properties")
        .and_then(|p| p.get("Events"))
        .and_then(Value::as_object)
}

fn respan(v: &mut Value, span: Span) {
    v.span = span;
    match &mut v.kind {
        Kind::Array(a) => a.iter_mut().for_each(|x| respan(x, span)),
        Kind::Object(m) => m.iter_mut().for_each(|m| {
            m.key_span = span;
            respan(&mut m.value, span);
        }),
        _ => {}
    }
}

/// `{greedy+}`, `{proxy+}` and `{param}` become `*` (SAM's `get_path_without_trailing_slash`).
fn path_pattern(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) => {
                let name = &after[..j];
                let bare = name.strip_suffix('+').unwrap_or(name);
                if !bare.is_empty()
                    && bare
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                {
                    out.push('*');
                } else {
                    out.push_str(&rest[i..i + 2 + j]);
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The statements list with `s` added (`dedupe`: unless an equal one is there).
fn add(statements: &mut Vec<Value>, s: Value, dedupe: bool) {
    if !dedupe || !statements.iter().any(|x| same(x, &s)) {
        statements.push(s);
    }
}

fn as_list(v: &Value) -> Vec<Value> {
    match &v.kind {
        Kind::Array(a) => a.clone(),
        _ => vec![v.clone()],
    }
}

fn nonempty(v: Option<&Value>) -> Option<&Value> {
    v.filter(|x| match &x.kind {
        Kind::Array(a) => !a.is_empty(),
        Kind::Null => false,
        Kind::String(s) => !s.is_empty(),
        _ => true,
    })
}

/// The statements SAM adds for one path (`add_resource_policy`).
/// `params_resolved`: SAM resolves parameter references (`Ref` to a parameter or a pseudo
/// parameter) in the API's own `Auth` before it checks the lists (`SamApi.to_cloudformation`:
/// `intrinsics_resolver.resolve_parameter_refs(self.Auth)`), not in an event's.
fn for_path(
    rp: &Value,
    (raw, params_resolved): (&Value, bool),
    resources: Value,
    out: &mut Vec<Value>,
    r: &super::resolve::Resolver<'_>,
) -> Result<(), ParseError> {
    let span = rp.span;
    let s = |t: &str, at: Span| string(t.to_string(), at);
    // a statement points at the property it comes from
    let statement = |effect: &str, principal: Value, condition: Option<Value>, at: Span| {
        let mut resources = resources.clone();
        respan(&mut resources, at);
        let mut m = vec![
            ("Effect", s(effect, at)),
            ("Action", s("execute-api:Invoke", at)),
            ("Resource", resources),
            ("Principal", principal),
        ];
        if let Some(c) = condition {
            m.push(("Condition", c));
        }
        obj(m, at)
    };
    for (key, effect) in [
        ("AwsAccountWhitelist", "Allow"),
        ("AwsAccountBlacklist", "Deny"),
    ] {
        if let Some(v) = nonempty(rp.get(key)) {
            if !matches!(v.kind, Kind::Array(_) | Kind::Object(_)) {
                return Err(r.err(
                    v.span,
                    format!("`{key}` must be a list or a map (SAM rejects other values)"),
                ));
            }
            let p = obj(vec![("AWS", list(as_list(v), v.span))], v.span);
            add(out, statement(effect, p, None, v.span), false);
        }
    }
    for (key, op) in [
        ("IpRangeWhitelist", "NotIpAddress"),
        ("IpRangeBlacklist", "IpAddress"),
    ] {
        if let Some(v) = nonempty(rp.get(key)) {
            let c = obj(
                vec![(
                    op,
                    obj(vec![("aws:SourceIp", list(as_list(v), v.span))], v.span),
                )],
                v.span,
            );
            add(out, statement("Allow", s("*", v.span), None, v.span), true);
            add(
                out,
                statement("Deny", s("*", v.span), Some(c), v.span),
                true,
            );
        }
    }
    for (list_key, vpc_key, vpce_key, op) in [
        (
            "SourceVpcBlacklist",
            "IntrinsicVpcBlacklist",
            "IntrinsicVpceBlacklist",
            "StringEquals",
        ),
        (
            "SourceVpcWhitelist",
            "IntrinsicVpcWhitelist",
            "IntrinsicVpceWhitelist",
            "StringNotEquals",
        ),
    ] {
        // SAM requires plain strings there (before intrinsic functions other than parameter
        // references are resolved)
        let plain = |x: &Value| {
            x.as_str().is_some()
                || (params_resolved
                    && x.as_object().is_some_and(|m| m.len() == 1)
                    && x.get("Ref")
                        .and_then(Value::as_str)
                        .is_some_and(|n| r.is_parameter(n)))
        };
        if let Some(Kind::Array(a)) = raw.get(list_key).map(|v| &v.kind)
            && let Some(x) = a.iter().find(|x| !plain(x))
        {
            return Err(r.err(
                x.span,
                format!("`{list_key}` must be a list of strings; SAM rejects intrinsic functions there (use `{vpc_key}` or `{vpce_key}`)"),
            ));
        }
        let mut vpc: Vec<Value> = Vec::new();
        let mut vpce: Vec<Value> = Vec::new();
        let at = [list_key, vpc_key, vpce_key]
            .iter()
            .find_map(|k| rp.get(k).map(|v| v.span))
            .unwrap_or(span);
        if let Some(v) = rp.get(list_key) {
            for e in as_list(v) {
                let t = scalar_text(&e).unwrap_or_default();
                if t.starts_with("vpce-") {
                    vpce.push(e.clone());
                }
                if t.starts_with("vpc-") {
                    vpc.push(e);
                }
            }
        }
        if let Some(v) = rp.get(vpc_key) {
            vpc.extend(as_list(v));
        }
        if let Some(v) = rp.get(vpce_key) {
            vpce.extend(as_list(v));
        }
        if vpc.is_empty() && vpce.is_empty() {
            continue;
        }
        let mut keys = Vec::new();
        if !vpc.is_empty() {
            keys.push(("aws:SourceVpc", list(vpc, at)));
        }
        if !vpce.is_empty() {
            keys.push(("aws:SourceVpce", list(vpce, at)));
        }
        let c = obj(vec![(op, obj(keys, at))], at);
        add(out, statement("Allow", s("*", at), None, at), true);
        add(out, statement("Deny", s("*", at), Some(c), at), true);
    }
    Ok(())
}

/// An `AWS::Serverless::Api`: its `Auth.ResourcePolicy` (merged with `Globals.Api`) and those
/// of the `Api` events naming it, read as the API's resource policy, or named as not read.
pub fn api(
    b: &mut Builder<'_, '_>,
    id: &str,
    res: &Value,
    live: &[&Member],
) -> Result<(), ParseError> {
    let empty = obj(Vec::new(), res.span);
    let own = res.get("Properties").unwrap_or(&empty);
    let props = match b.globals.and_then(|g| g.get("Api")) {
        Some(g) => merge_globals(g, own),
        None => own.clone(),
    };
    let at = format!("Resources/{id}/Properties/Auth/ResourcePolicy");
    let prefix = |b: &Builder<'_, '_>| api_arn(b, id, res.span);
    rebuild(b, Some(id), &props, live, at, res.span, &prefix)
}

/// The implicit API `ServerlessRestApi` SAM creates for the `Api` events without `RestApiId`
/// (`samtranslator/plugins/api/implicit_rest_api_plugin.py`): stage `Prod`, paths from those
/// events, `Globals.Api` merged in (the plugin runs before the globals plugin), so
/// `Globals.Api.Auth.ResourcePolicy` applies to every path and an event's own
/// `Auth.ResourcePolicy` to its path.
pub fn implicit(b: &mut Builder<'_, '_>, live: &[&Member]) -> Result<(), ParseError> {
    const ID: &str = "ServerlessRestApi";
    let has_events = live.iter().any(|r| {
        events_of(&r.value).is_some_and(|es| {
            es.iter().any(|e| {
                e.value.get("Type").and_then(Value::as_str) == Some("Api")
                    && e.value
                        .get("Properties")
                        .is_some_and(|ep| ep.get("RestApiId").is_none())
            })
        })
    });
    if !has_events {
        return Ok(());
    }
    let span = Span::default();
    let own = obj(vec![("StageName", string("Prod".into(), span))], span);
    let mut props = match b.globals.and_then(|g| g.get("Api")) {
        Some(g) => merge_globals(g, &own),
        None => own,
    };
    // the plugin's own (generated) definition wins over anything `Globals` says
    if let Kind::Object(m) = &mut props.kind {
        m.retain(|x| x.key != "DefinitionBody");
    }
    let at = if props
        .get("Auth")
        .and_then(|a| a.get("ResourcePolicy"))
        .is_some()
    {
        "Globals/Api/Auth/ResourcePolicy".to_string()
    } else {
        String::new()
    };
    if b.r.resources.contains_key(ID) {
        // SAM replaces a resource of that name with the implicit API
        if !at.is_empty() {
            b.out.unread.push(Unread {
                path: at,
                ty: TYPE.into(),
                content: format!(
                    "(not rebuilt: the template defines a resource `{ID}`, the implicit API's name)"
                ),
            });
        }
        return Ok(());
    }
    let prefix = |b: &Builder<'_, '_>| {
        let ph = super::resolve::placeholder(&format!("{ID}.Ref"));
        b.r.note(
            &ph,
            &format!("the ID API Gateway gives the implicit API `{ID}`"),
        );
        Ok(format!(
            "arn:{}:execute-api:{}:{}:{ph}",
            b.r.partition, b.r.region, b.r.account
        ))
    };
    rebuild(b, None, &props, live, at, span, &prefix)
}

/// The resource policy SAM writes for an API (`id`, `None` for the implicit one) from its
/// merged properties and the `Api` events naming it; `at` names the API's own
/// `Auth.ResourcePolicy` (empty when it has none).
fn rebuild(
    b: &mut Builder<'_, '_>,
    id: Option<&str>,
    props: &Value,
    live: &[&Member],
    at: String,
    span: Span,
    prefix: &dyn Fn(&Builder<'_, '_>) -> Result<String, ParseError>,
) -> Result<(), ParseError> {
    let r = b.r;
    let name = id.unwrap_or("ServerlessRestApi");
    let raw = props.get("Auth").and_then(|a| a.get("ResourcePolicy"));
    let cors = props.get("Cors").is_some();
    // the stage SAM gives an event's statements (`Api._get_permissions`) is the API's
    // `StageName` when it is written as a string
    let event_stage = props.get("StageName").and_then(Value::as_str);
    let api_rp = match raw {
        Some(raw) => r.resolve(raw, 0)?,
        None => None,
    };
    // SAM sorts `SourceVpc*list` entries by their `vpc-`/`vpce-` prefix: a parameter without
    // value cannot be sorted
    let unsorted = api_rp.as_ref().and_then(|rp| {
        ["SourceVpcWhitelist", "SourceVpcBlacklist"]
            .into_iter()
            .find(|k| {
                rp.get(k).is_some_and(|v| {
                    as_list(v)
                        .iter()
                        .any(|x| scalar_text(x).is_none_or(|t| t.starts_with("UNKNOWN-")))
                })
            })
    });
    let read = paths(id, props, cors, live, &r.resources).and_then(|(p, events)| {
        if let Some(k) = unsorted {
            return Err(format!(
                "an entry of `{k}` is not known (SAM sorts the entries into VPCs and VPC endpoints by their prefix)"
            ));
        }
        if !events.is_empty() && event_stage.is_none() {
            return Err("an event sets its own `Auth.ResourcePolicy` and the API's `StageName` is not a string".into());
        }
        Ok((p, events))
    });
    let (paths, events) = match read {
        Ok(p) => p,
        Err(why) => {
            // every place a statement would come from is named
            let mut places: Vec<(String, String)> = Vec::new();
            if raw.is_some() {
                places.push((at.clone(), TYPE.to_string()));
            }
            for rr in live {
                for e in events_of(&rr.value).unwrap_or_default() {
                    if let Some(ep) = e.value.get("Properties")
                        && e.value.get("Type").and_then(Value::as_str) == Some("Api")
                        && names_api(ep, id) == Ok(true)
                        && ep
                            .get("Auth")
                            .and_then(|a| a.get("ResourcePolicy"))
                            .is_some()
                    {
                        places.push((
                            format!(
                                "Resources/{}/Properties/Events/{}/Properties/Auth/ResourcePolicy",
                                rr.key, e.key
                            ),
                            rr.value
                                .get("Type")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .into(),
                        ));
                    }
                }
            }
            for (path, ty) in places {
                b.out.unread.push(Unread {
                    path,
                    ty,
                    content: format!(
                        "(not rebuilt: the resource policy SAM generates for the API `{name}`, for every path and method; {why})"
                    ),
                });
            }
            return Ok(());
        }
    };
    let mut statements: Vec<Value> = Vec::new();
    let resources_of = |path: &str, stage: &str, at: Span| -> Value {
        let methods = paths
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| m.as_slice())
            .unwrap_or_default();
        let pattern = path_pattern(path);
        let items = methods
            .iter()
            .map(|m| {
                let method = match m.to_ascii_lowercase().as_str() {
                    "x-amazon-apigateway-any-method" | "any" => "*".to_string(),
                    _ => m.to_ascii_uppercase(),
                };
                string(format!("execute-api:/{stage}/{method}{pattern}"), at)
            })
            .collect();
        list(items, at)
    };
    let mut first_at = String::new();
    let mut doc_span = span;
    if let Some(raw) = raw
        && let Some(rp) = api_rp
    {
        if rp.as_object().is_none() {
            return Err(r.err(
                rp.span,
                "`ResourcePolicy` must be a map (ResourcePolicyStatement); SAM rejects other values",
            ));
        }
        let stage = match props.get("StageName") {
            Some(s) => r.text(s, 0)?,
            None => {
                return Err(r.err(
                    span,
                    format!("the API `{name}` has no `StageName` (SAM requires one)"),
                ));
            }
        };
        for (p, _) in &paths {
            for_path(
                &rp,
                (raw, true),
                resources_of(p, &stage, rp.span),
                &mut statements,
                r,
            )?;
        }
        if let Some(custom) = nonempty(rp.get("CustomStatements")) {
            for s in as_list(custom) {
                add(&mut statements, s, true);
            }
        }
        first_at = at;
        doc_span = rp.span;
    }
    for e in &events {
        let Some(rp) = r.resolve(e.raw, 0)? else {
            continue;
        };
        if rp.as_object().is_none() {
            return Err(r.err(
                rp.span,
                "an event's `Auth.ResourcePolicy` must be a map (ResourcePolicyStatement); SAM rejects other values",
            ));
        }
        let stage = event_stage.unwrap_or_default();
        for_path(
            &rp,
            (e.raw, false),
            resources_of(&e.path, stage, rp.span),
            &mut statements,
            r,
        )?;
        if let Some(custom) = nonempty(rp.get("CustomStatements")) {
            for s in as_list(custom) {
                add(&mut statements, s, true);
            }
        }
        if first_at.is_empty() {
            first_at = e.at.clone();
            doc_span = rp.span;
        }
    }
    if statements.is_empty() {
        return Ok(());
    }
    let doc = obj(
        vec![
            ("Version", string("2012-10-17".into(), doc_span)),
            ("Statement", list(statements, doc_span)),
        ],
        doc_span,
    );
    let doc = expand_short_resources(&doc, &prefix(b)?);
    b.doc(first_at, DocKind::Resource, &doc);
    Ok(())
}

/// API Gateway's short form of a resource in a resource policy, `execute-api:/STAGE/METHOD/PATH`,
/// written as the ARN API Gateway stores for it, `arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/...`
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>),
/// in every statement's `Resource` and `NotResource`; `prefix` is the API's ARN up to its ID.
pub fn expand_short_resources(doc: &Value, prefix: &str) -> Value {
    fn expand(v: &Value, prefix: &str) -> Value {
        match &v.kind {
            Kind::String(t) => match t.strip_prefix("execute-api:/") {
                Some(rest) => string(format!("{prefix}/{rest}"), v.span),
                None => v.clone(),
            },
            Kind::Array(a) => list(a.iter().map(|x| expand(x, prefix)).collect(), v.span),
            _ => v.clone(),
        }
    }
    let statement = |st: &Value| -> Value {
        let Kind::Object(m) = &st.kind else {
            return st.clone();
        };
        Value {
            kind: Kind::Object(
                m.iter()
                    .map(|x| Member {
                        key: x.key.clone(),
                        key_span: x.key_span,
                        value: if x.key == "Resource" || x.key == "NotResource" {
                            expand(&x.value, prefix)
                        } else {
                            x.value.clone()
                        },
                    })
                    .collect(),
            ),
            span: st.span,
        }
    };
    let Kind::Object(m) = &doc.kind else {
        return doc.clone();
    };
    Value {
        kind: Kind::Object(
            m.iter()
                .map(|x| Member {
                    key: x.key.clone(),
                    key_span: x.key_span,
                    value: match (&x.key[..], &x.value.kind) {
                        ("Statement", Kind::Array(a)) => {
                            list(a.iter().map(statement).collect(), x.value.span)
                        }
                        ("Statement", Kind::Object(_)) => statement(&x.value),
                        _ => x.value.clone(),
                    },
                })
                .collect(),
        ),
        span: doc.span,
    }
}

/// The ARN of the API `id` up to its ID (`arn:aws:execute-api:REGION:ACCOUNT:API_ID`).
pub fn api_arn(b: &Builder<'_, '_>, id: &str, span: Span) -> Result<String, ParseError> {
    let r = b.r;
    let api_id = super::text_of(&r.get_att(id, "Ref", span, 0)?);
    Ok(format!(
        "arn:{}:execute-api:{}:{}:{api_id}",
        r.partition, r.region, r.account
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SAM's `get_path_without_trailing_slash`: `re.sub(r"{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}", "*", path)`.
    #[test]
    fn path_parameters_become_wildcards() {
        assert_eq!(path_pattern("/orders/{id}"), "/orders/*");
        assert_eq!(path_pattern("/{proxy+}"), "/*");
        assert_eq!(path_pattern("/a/{x.y-z}/b/{greedy+}"), "/a/*/b/*");
        assert_eq!(path_pattern("/a/{}"), "/a/{}");
        assert_eq!(path_pattern("/"), "/");
    }
}
