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
//! When they cannot be known exactly — `DefinitionUri`, `MergeDefinitions`, `Cors` (SAM adds
//! `OPTIONS` methods), a definition that already holds a policy, a path or method written
//! with an intrinsic function — the policy is not rebuilt: it is named as a policy greenlight
//! does not read (`unknown` for `verify` and `diff`), never guessed.

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

/// The paths of the API with their methods, as SAM's editor holds them; `Err(why)` when they
/// cannot be known exactly.
fn paths(
    id: &str,
    props: &Value,
    cors: bool,
    live: &[&Member],
) -> Result<Vec<(String, Vec<String>)>, String> {
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
    let literal = |v: &Value| v.as_str().map(str::to_string);
    if let Some(def) = props.get("DefinitionBody") {
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
        return Ok(out);
    }
    // SAM writes the definition from the `Api` events naming the API
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
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
            let names_api = match ep.get("RestApiId") {
                Some(v) => {
                    v.as_str() == Some(id) || v.get("Ref").and_then(Value::as_str) == Some(id)
                }
                None => false,
            };
            if names_api
                && ep
                    .get("Auth")
                    .and_then(|a| a.get("ResourcePolicy"))
                    .is_some()
            {
                return Err(format!(
                    "the event `{}.{}` sets its own `Auth.ResourcePolicy`",
                    r.key, e.key
                ));
            }
            if !names_api {
                if ep.get("RestApiId").is_some_and(|v| {
                    v.as_str().is_none() && v.get("Ref").and_then(Value::as_str).is_none()
                }) {
                    return Err(format!(
                        "the `RestApiId` of the event `{}.{}` is not a `Ref`",
                        r.key, e.key
                    ));
                }
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
    Ok(out)
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
fn for_path(
    rp: &Value,
    raw: &Value,
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
        // SAM requires plain strings there (before intrinsic functions are resolved)
        if let Some(Kind::Array(a)) = raw.get(list_key).map(|v| &v.kind)
            && let Some(x) = a.iter().find(|x| x.as_str().is_none())
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

/// An `AWS::Serverless::Api`: its `Auth.ResourcePolicy` (merged with `Globals.Api`) read as
/// the API's resource policy, or named as not read.
pub fn api(
    b: &mut Builder<'_, '_>,
    id: &str,
    res: &Value,
    live: &[&Member],
) -> Result<(), ParseError> {
    let r = b.r;
    let empty = obj(Vec::new(), res.span);
    let own = res.get("Properties").unwrap_or(&empty);
    let props = match b.globals.and_then(|g| g.get("Api")) {
        Some(g) => merge_globals(g, own),
        None => own.clone(),
    };
    let Some(raw) = props.get("Auth").and_then(|a| a.get("ResourcePolicy")) else {
        return Ok(());
    };
    let path = format!("Resources/{id}/Properties/Auth/ResourcePolicy");
    let Some(rp) = r.resolve(raw, 0)? else {
        return Ok(());
    };
    if rp.as_object().is_none() {
        return Err(r.err(
            rp.span,
            "`ResourcePolicy` must be a map (ResourcePolicyStatement); SAM rejects other values",
        ));
    }
    let cors = props.get("Cors").is_some();
    let paths = match paths(id, &props, cors, live) {
        Ok(p) => p,
        Err(why) => {
            b.out.unread.push(Unread {
                path,
                ty: TYPE.into(),
                content: format!(
                    "(the statements SAM generates name every path and method of the API: {why})"
                ),
            });
            return Ok(());
        }
    };
    let stage = match props.get("StageName") {
        Some(s) => r.text(s, 0)?,
        None => {
            return Err(r.err(
                res.span,
                format!("the API `{id}` has no `StageName` (SAM requires one)"),
            ));
        }
    };
    let mut statements: Vec<Value> = Vec::new();
    for (p, methods) in &paths {
        let pattern = path_pattern(p);
        let resources: Vec<Value> = methods
            .iter()
            .map(|m| {
                let method = match m.to_ascii_lowercase().as_str() {
                    "x-amazon-apigateway-any-method" | "any" => "*".to_string(),
                    _ => m.to_ascii_uppercase(),
                };
                string(format!("execute-api:/{stage}/{method}{pattern}"), rp.span)
            })
            .collect();
        for_path(&rp, raw, list(resources, rp.span), &mut statements, r)?;
    }
    if let Some(custom) = nonempty(rp.get("CustomStatements")) {
        for s in as_list(custom) {
            add(&mut statements, s, true);
        }
    }
    if statements.is_empty() {
        return Ok(());
    }
    let doc = obj(
        vec![
            ("Version", string("2012-10-17".into(), rp.span)),
            ("Statement", list(statements, rp.span)),
        ],
        rp.span,
    );
    let doc = expand_short_resources(&doc, &api_arn(b, id, res.span)?);
    b.doc(path, DocKind::Resource, &doc);
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

/// The resource policies of the implicit API (`ServerlessRestApi`, the `Api` events without
/// `RestApiId`) — `Globals.Api.Auth.ResourcePolicy` or an event's own `Auth.ResourcePolicy` —
/// are not rebuilt: each is named as a policy greenlight does not read.
pub fn implicit(b: &mut Builder<'_, '_>, live: &[&Member]) {
    let global = b
        .globals
        .and_then(|g| g.get("Api"))
        .and_then(|a| a.get("Auth"))
        .and_then(|a| a.get("ResourcePolicy"))
        .is_some();
    let mut implicit_events = false;
    for r in live {
        let Some(events) = events_of(&r.value) else {
            continue;
        };
        for e in events {
            let Some(ep) = e.value.get("Properties") else {
                continue;
            };
            if e.value.get("Type").and_then(Value::as_str) != Some("Api")
                || ep.get("RestApiId").is_some()
            {
                continue;
            }
            implicit_events = true;
            if ep
                .get("Auth")
                .and_then(|a| a.get("ResourcePolicy"))
                .is_some()
            {
                b.out.unread.push(Unread {
                    path: format!(
                        "Resources/{}/Properties/Events/{}/Properties/Auth/ResourcePolicy",
                        r.key, e.key
                    ),
                    ty: r.value.get("Type").and_then(Value::as_str).unwrap_or("").into(),
                    content: "(the resource policy SAM generates for the implicit API `ServerlessRestApi` is not rebuilt)".into(),
                });
            }
        }
    }
    if global && implicit_events {
        b.out.unread.push(Unread {
            path: "Globals/Api/Auth/ResourcePolicy".into(),
            ty: TYPE.into(),
            content: "(the resource policy SAM generates for the implicit API `ServerlessRestApi` is not rebuilt)".into(),
        });
    }
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
