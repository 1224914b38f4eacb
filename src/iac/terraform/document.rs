//! The IAM policy an `aws_iam_policy_document` data source renders, built from its arguments
//! as a spanned tree (from `.tf` blocks, or from a plan's planned values), so the policy parser
//! reads it with positions in the Terraform file.
//!
//! Rendering as documented in
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document>:
//! `statement` blocks (`sid`, `effect` default `Allow`, `actions`/`not_actions`,
//! `resources`/`not_resources`, `principals`/`not_principals` with `type` and `identifiers`,
//! `condition` with `test`, `variable`, `values`), `version` (default `2012-10-17`),
//! `policy_id`; `&{...}` stands for the IAM policy variable `${...}`;
//! `source_policy_documents` are merged first, `statement` blocks and
//! `override_policy_documents` then replace statements with the same non-empty `sid`.

use crate::parse::json::{Kind, Member, Value};
use crate::source::Span;

fn string(s: impl Into<String>, span: Span) -> Value {
    Value {
        kind: Kind::String(s.into()),
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

/// A block list or list argument: the elements of an array, or the one value.
fn blocks(v: Option<&Value>) -> Vec<&Value> {
    match v.map(|v| &v.kind) {
        Some(Kind::Array(a)) => a.iter().collect(),
        Some(Kind::Null) | None => Vec::new(),
        Some(_) => v.into_iter().collect(),
    }
}

/// `&{aws:username}` → `${aws:username}`, in every string.
fn unescape(v: &Value) -> Value {
    let kind = match &v.kind {
        Kind::String(s) => Kind::String(s.replace("&{", "${")),
        Kind::Array(a) => Kind::Array(a.iter().map(unescape).collect()),
        Kind::Object(m) => Kind::Object(
            m.iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_span: m.key_span,
                    value: unescape(&m.value),
                })
                .collect(),
        ),
        k => k.clone(),
    };
    Value { kind, span: v.span }
}

/// A set argument as the provider writes it: one element → a string, several → a list.
fn set(v: &Value) -> Value {
    match &v.kind {
        Kind::Array(a) if a.len() == 1 => unescape(&a[0]),
        _ => unescape(v),
    }
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(&v.kind, Kind::Null))
        .filter(|v| !matches!(&v.kind, Kind::Array(a) if a.is_empty()))
}

/// `principals` blocks → the `Principal` value: identifiers of one type merged; `type = "*"`
/// with `identifiers = ["*"]` is `"*"`.
fn principals(list: &[&Value], span: Span) -> Option<Value> {
    if list.is_empty() {
        return None;
    }
    let mut by_type: Vec<(String, Span, Vec<Value>)> = Vec::new();
    for p in list {
        let ty = p.get("type").and_then(Value::as_str).unwrap_or("");
        let ids: Vec<Value> = match p.get("identifiers").map(|v| &v.kind) {
            Some(Kind::Array(a)) => a.clone(),
            Some(_) => p.get("identifiers").cloned().into_iter().collect(),
            None => Vec::new(),
        };
        if ty == "*" {
            return Some(string("*", p.span));
        }
        match by_type.iter_mut().find(|(t, _, _)| t == ty) {
            Some((_, _, v)) => v.extend(ids),
            None => by_type.push((ty.to_string(), p.span, ids)),
        }
    }
    let members = by_type
        .into_iter()
        .map(|(ty, sp, ids)| {
            let arr = Value {
                kind: Kind::Array(ids),
                span: sp,
            };
            member(&ty, set(&arr))
        })
        .collect();
    Some(Value {
        kind: Kind::Object(members),
        span,
    })
}

/// `condition` blocks → the `Condition` value (`{test: {variable: values}}`).
/// A condition key with its span and values.
type KeyValues = (String, Span, Vec<Value>);

fn conditions(list: &[&Value], span: Span) -> Option<Value> {
    if list.is_empty() {
        return None;
    }
    // Blocks with one test and one variable are one entry whose values are all of theirs, as
    // the provider writes them (`raw[c.Test][c.Variable] = append(...)` in its policy model),
    // and several values of one key are OR'd by IAM
    // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html>):
    // two entries with one key would read as AND, less than AWS grants.
    let mut out: Vec<(String, Span, Vec<KeyValues>)> = Vec::new();
    for c in list {
        let test = c.get("test").and_then(Value::as_str).unwrap_or("");
        let variable = unescape(&string(
            c.get("variable").and_then(Value::as_str).unwrap_or(""),
            c.span,
        ))
        .as_str_owned();
        let values: Vec<Value> = match c.get("values").map(|v| (&v.kind, v)) {
            Some((Kind::Array(a), _)) => a.iter().map(unescape).collect(),
            Some((_, v)) => vec![unescape(v)],
            None => Vec::new(),
        };
        let vspan = c.get("values").map_or(c.span, |v| v.span);
        let at = match out.iter().position(|m| m.0 == test) {
            Some(i) => i,
            None => {
                out.push((test.to_string(), c.span, Vec::new()));
                out.len() - 1
            }
        };
        let entry = &mut out[at].2;
        match entry.iter_mut().find(|e| e.0 == variable) {
            Some(e) => e.2.extend(values),
            None => entry.push((variable, vspan, values)),
        }
    }
    let members = out
        .into_iter()
        .map(|(test, tspan, vars)| Member {
            key: test,
            key_span: tspan,
            value: Value {
                kind: Kind::Object(
                    vars.into_iter()
                        .map(|(variable, vspan, mut values)| {
                            let value = if values.len() == 1 {
                                values.remove(0)
                            } else {
                                Value {
                                    kind: Kind::Array(values),
                                    span: vspan,
                                }
                            };
                            member(&variable, value)
                        })
                        .collect(),
                ),
                span: tspan,
            },
        })
        .collect();
    Some(Value {
        kind: Kind::Object(members),
        span,
    })
}

trait OwnedStr {
    fn as_str_owned(&self) -> String;
}

impl OwnedStr for Value {
    fn as_str_owned(&self) -> String {
        self.as_str().unwrap_or("").to_string()
    }
}

fn statement(s: &Value) -> Value {
    let mut out: Vec<Member> = Vec::new();
    if let Some(sid) = present(s.get("sid")).filter(|v| v.as_str() != Some("")) {
        out.push(member("Sid", sid.clone()));
    }
    out.push(match present(s.get("effect")) {
        Some(e) => member("Effect", e.clone()),
        None => member("Effect", string("Allow", s.span)),
    });
    for (arg, key) in [("actions", "Action"), ("not_actions", "NotAction")] {
        if let Some(v) = present(s.get(arg)) {
            out.push(member(key, set(v)));
        }
    }
    for (arg, key) in [("resources", "Resource"), ("not_resources", "NotResource")] {
        if let Some(v) = present(s.get(arg)) {
            out.push(member(key, set(v)));
        }
    }
    for (arg, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let list = blocks(s.get(arg));
        if let Some(p) = principals(&list, list.first().map_or(s.span, |b| b.span)) {
            out.push(member(key, p));
        }
    }
    let list = blocks(s.get("condition"));
    if let Some(c) = conditions(&list, list.first().map_or(s.span, |b| b.span)) {
        out.push(member("Condition", c));
    }
    Value {
        kind: Kind::Object(out),
        span: s.span,
    }
}

fn sid(s: &Value) -> Option<&str> {
    s.get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Adds statements, replacing those with the same non-empty `Sid`. A `Sid` not known
/// statically (a placeholder) beside another `Sid` makes which statement stays unknown: an
/// error (red team 72: an overriding public `Allow` and a guarding `Deny` with
/// `sid = var.x` were both kept, and `verify` held where `x` names the override's `Sid`).
fn merge(into: &mut Vec<Value>, statements: impl IntoIterator<Item = Value>) -> Result<(), String> {
    let unknown = |id: &str| id.starts_with("UNKNOWN-");
    // (only the statements of the documents merged before: the `statement` blocks of one
    // document with one `Sid` are the provider's error, not a replacement)
    let before = into.len();
    for s in statements {
        if let Some(id) = sid(&s) {
            let other = into[..before]
                .iter()
                .filter_map(sid)
                .find(|x| unknown(id) || unknown(x));
            if let Some(x) = other {
                let shown = if unknown(id) { id } else { x };
                return Err(format!(
                    "a statement's `sid` is not known statically (`{shown}`): which statements of the merged policy documents replace which is not known"
                ));
            }
        }
        match sid(&s).and_then(|id| into.iter().position(|x| sid(x) == Some(id))) {
            Some(i) => into[i] = s,
            None => into.push(s),
        }
    }
    Ok(())
}

/// The statements of a policy given to `source_policy_documents`/`override_policy_documents`:
/// an already rendered tree, or JSON text (parsed; positions then point at the argument).
fn statements_of(doc: &Value) -> Result<Vec<Value>, String> {
    let tree = match &doc.kind {
        Kind::String(text) if text.starts_with("UNKNOWN-") => {
            return Err(format!(
                "a merged policy document is not known statically (`{text}`)"
            ));
        }
        Kind::String(text) => {
            let mut v = crate::parse::json::parse(text)
                .map_err(|e| format!("a merged policy document is not JSON: {}", e.kind))?;
            respan(&mut v, doc.span);
            v
        }
        _ => doc.clone(),
    };
    Ok(match tree.get("Statement").map(|s| &s.kind) {
        Some(Kind::Array(a)) => a.clone(),
        Some(_) => tree.get("Statement").cloned().into_iter().collect(),
        None => Vec::new(),
    })
}

/// Sets every span of a tree to `span` (a value whose text is elsewhere).
pub fn respan(v: &mut Value, span: Span) {
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

/// Renders the policy of an `aws_iam_policy_document` from its arguments (an object with
/// `statement`, `version`, `policy_id`, `source_policy_documents`,
/// `override_policy_documents`).
pub fn render(args: &Value) -> Result<Value, String> {
    let span = args.span;
    let mut statements: Vec<Value> = Vec::new();
    // (`source_json`/`override_json`: the one-document forms of AWS provider 4 and before,
    // removed in 5.0, still in modules pinned to it: read as their list forms are, the source
    // first and the override last; red team 72: they were left out, and a public `source_json`
    // read as nothing)
    for d in blocks(present(args.get("source_json")))
        .into_iter()
        .chain(blocks(present(args.get("source_policy_documents"))))
    {
        statements.extend(statements_of(d)?);
    }
    merge(
        &mut statements,
        blocks(args.get("statement")).into_iter().map(statement),
    )?;
    for d in blocks(present(args.get("override_policy_documents")))
        .into_iter()
        .chain(blocks(present(args.get("override_json"))))
    {
        merge(&mut statements, statements_of(d)?)?;
    }
    let mut out = vec![match present(args.get("version")) {
        Some(v) => member("Version", v.clone()),
        None => member("Version", string("2012-10-17", span)),
    }];
    if let Some(id) = present(args.get("policy_id")) {
        out.push(member("Id", id.clone()));
    }
    out.push(member(
        "Statement",
        Value {
            kind: Kind::Array(statements),
            span,
        },
    ));
    Ok(Value {
        kind: Kind::Object(out),
        span,
    })
}
