//! Variable definitions files of the root module, loaded as Terraform loads them without
//! `-var-file` (<https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files>,
//! <https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence>):
//! `terraform.tfvars`, then `terraform.tfvars.json`, then the `*.auto.tfvars` and
//! `*.auto.tfvars.json` files in lexical order of their names, a later file's value winning;
//! `--template-param` (Terraform's `-var`) wins over all of them. Other `.tfvars` files are
//! read only when passed with `-var-file`, so they are not read. A file holds variable
//! assignments of constant values (no references, no function calls: Terraform evaluates it
//! without any); anything else is an error, as in Terraform.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::Element;

use super::eval::span_of;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::{Source, Span};

/// Whether a file name (the last path component) is a variable definitions file Terraform
/// loads automatically.
pub fn is_vars_name(name: &str) -> bool {
    // (a file of a git revision is named `REF:path`)
    let name = name.rsplit(['/', '\\', ':']).next().unwrap_or(name);
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || (name.ends_with(".auto.tfvars") && name.len() > ".auto.tfvars".len())
        || (name.ends_with(".auto.tfvars.json") && name.len() > ".auto.tfvars.json".len())
}

/// Terraform's loading order of the files named (see the module docs): lower first.
fn rank(name: &str) -> (u8, String) {
    let base = name
        .rsplit(['/', '\\', ':'])
        .next()
        .unwrap_or(name)
        .to_string();
    match base.as_str() {
        "terraform.tfvars" => (0, base),
        "terraform.tfvars.json" => (1, base),
        _ => (2, base),
    }
}

/// The values of the variable definitions files `files` (name, decoded source), the later
/// in Terraform's order winning.
pub fn load(mut files: Vec<Source>) -> Result<BTreeMap<String, Value>, ParseError> {
    files.sort_by_key(|s| rank(&s.name));
    let mut out = BTreeMap::new();
    for s in &files {
        if s.name.ends_with(".json") {
            let tree = crate::parse::json::parse(&s.text).map_err(|e| {
                ParseError::new(
                    s,
                    "json-syntax",
                    e.span,
                    format!("invalid variable definitions file: {}", e.kind),
                )
            })?;
            let Kind::Object(members) = tree.kind else {
                return Err(ParseError::new(
                    s,
                    "undecodable-document",
                    tree.span,
                    "a `.tfvars.json` file holds one JSON object of variable values",
                ));
            };
            for m in members {
                out.insert(m.key, m.value);
            }
            continue;
        }
        let body = hcl_edit::parser::parse_body(&s.text).map_err(|e| {
            let at = e.location().offset().min(s.text.len());
            ParseError::new(
                s,
                "undecodable-document",
                Span::new(at, at),
                format!("invalid HCL: {}", e.message().trim()),
            )
        })?;
        if let Some(b) = body.blocks().next() {
            return Err(ParseError::new(
                s,
                "undecodable-document",
                span_of(b),
                "a variable definitions file holds variable assignments only, not blocks",
            ));
        }
        for a in body.attributes() {
            out.insert(a.key.as_str().to_string(), constant(s, &a.value)?);
        }
    }
    Ok(out)
}

/// A constant expression of a variable definitions file.
fn constant(s: &Source, e: &Expression) -> Result<Value, ParseError> {
    let span = span_of(e);
    let kind = match e {
        Expression::Null(_) => Kind::Null,
        Expression::Bool(b) => Kind::Bool(*b.value()),
        Expression::Number(n) => Kind::Number(n.value().to_string()),
        Expression::String(x) => Kind::String(x.value().to_string()),
        Expression::Parenthesis(p) => return constant(s, p.inner()),
        Expression::Array(a) => {
            Kind::Array(a.iter().map(|x| constant(s, x)).collect::<Result<_, _>>()?)
        }
        Expression::Object(o) => {
            let mut members: Vec<Member> = Vec::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(id) => id.as_str().to_string(),
                    ObjectKey::Expression(x) => match constant(s, x)?.kind {
                        Kind::String(t) | Kind::Number(t) => t,
                        _ => return Err(not_constant(s, span_of(x))),
                    },
                };
                let value = constant(s, v.expr())?;
                members.retain(|m| m.key != key);
                members.push(Member {
                    key,
                    key_span: span_of(k),
                    value,
                });
            }
            Kind::Object(members)
        }
        Expression::StringTemplate(t) => Kind::String(literal(s, t.iter(), span)?),
        Expression::HeredocTemplate(h) => Kind::String(literal(s, h.template.iter(), span)?),
        _ => return Err(not_constant(s, span)),
    };
    Ok(Value { kind, span })
}

/// A template without interpolation or directive, as text.
fn literal<'a>(
    s: &Source,
    elements: impl Iterator<Item = &'a Element>,
    span: Span,
) -> Result<String, ParseError> {
    let mut out = String::new();
    for el in elements {
        match el {
            Element::Literal(l) => out.push_str(l.value()),
            _ => return Err(not_constant(s, span)),
        }
    }
    Ok(out)
}

fn not_constant(s: &Source, span: Span) -> ParseError {
    ParseError::new(
        s,
        "undecodable-document",
        span,
        "a variable definitions file holds constant values only (Terraform evaluates it without variables or functions)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files Terraform loads automatically
    /// (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files).
    #[test]
    fn names_terraform_loads() {
        for n in [
            "terraform.tfvars",
            "terraform.tfvars.json",
            "prod.auto.tfvars",
            "dir/x.auto.tfvars.json",
        ] {
            assert!(is_vars_name(n), "{n}");
        }
        for n in ["prod.tfvars", "x.tfvars.json", ".auto.tfvars", "main.tf"] {
            assert!(!is_vars_name(n), "{n}");
        }
    }

    /// Precedence: terraform.tfvars < terraform.tfvars.json < *.auto.tfvars(.json) in lexical
    /// order (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence).
    #[test]
    fn later_files_win_in_terraform_order() {
        let files = vec![
            Source::new("b.auto.tfvars", "n = 3\n"),
            Source::new("terraform.tfvars.json", r#"{"n": 2, "m": {"a": "x"}}"#),
            Source::new("terraform.tfvars", "n = 1\nk = \"t\"\nl = [\"a\", \"b\"]\n"),
            Source::new("a.auto.tfvars.json", r#"{"k": "a"}"#),
        ];
        let v = load(files).unwrap();
        assert_eq!(v["n"].kind, Kind::Number("3".into()));
        assert_eq!(v["k"].as_str(), Some("a"));
        assert_eq!(v["m"].get("a").and_then(Value::as_str), Some("x"));
        assert!(matches!(&v["l"].kind, Kind::Array(a) if a.len() == 2));
    }

    #[test]
    fn references_and_calls_are_errors() {
        for text in ["n = var.x\n", "n = length([1])\n", "n = \"${x}\"\n"] {
            let e = load(vec![Source::new("terraform.tfvars", text)]).unwrap_err();
            assert!(
                e.to_string().contains("constant values only"),
                "{text}: {e}"
            );
        }
    }
}
