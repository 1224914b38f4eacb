//! The request context flags `simulate` and `check` share: `--context KEY=VALUE` (repeatable)
//! and `--context-json JSON|@FILE`.

use miette::{IntoDiagnostic, miette};

use crate::eval::Context;
use crate::parse::json;
use crate::source::Source;

/// `--context` and `--context-json`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ContextArgs {
    /// Request context value (repeatable; a repeated key is multi-valued)
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    /// Request context as a JSON object of strings or string arrays, or @FILE
    #[arg(long = "context-json", value_name = "JSON|@FILE")]
    pub context_json: Option<String>,
}

impl ContextArgs {
    /// Whether any context was given.
    pub fn given(&self) -> bool {
        !self.context.is_empty() || self.context_json.is_some()
    }

    /// The context: `--context-json` first, then every `--context` value added to it (a key
    /// given in both gets the values of both).
    pub fn parse(&self) -> miette::Result<Context> {
        let mut context = Context::new();
        if let Some(j) = &self.context_json {
            read_context_json(j, &mut context)?;
        }
        for kv in &self.context {
            let Some((k, v)) = kv.split_once('=') else {
                return Err(miette!(
                    help =
                        "write --context aws:SourceIp=203.0.113.5; repeat a key for several values",
                    "invalid --context `{kv}`: expected KEY=VALUE"
                ));
            };
            if k.is_empty() {
                return Err(miette!("invalid --context `{kv}`: the key is empty"));
            }
            context.insert(k, v);
        }
        Ok(context)
    }
}

fn read_context_json(arg: &str, context: &mut Context) -> miette::Result<()> {
    let (name, text) = match arg.strip_prefix('@') {
        Some(path) => {
            let bytes = std::fs::read(path)
                .into_diagnostic()
                .map_err(|e| e.wrap_err(format!("cannot read `{path}`")))?;
            let src = Source::from_bytes(path, bytes).map_err(miette::Report::new)?;
            (path.to_string(), src.text.to_string())
        }
        None => ("--context-json".to_string(), arg.to_string()),
    };
    let source = Source::new(name, text);
    let located = |span: crate::source::Span, msg: String| {
        miette::Report::new(crate::parse::ParseError::new(
            &source,
            "invalid-context",
            span,
            msg,
        ))
    };
    let value = json::parse(&source.text).map_err(|e| located(e.span, e.kind.to_string()))?;
    let Some(members) = value.as_object() else {
        return Err(located(
            value.span,
            format!(
                "the request context must be a JSON object, found {}",
                value.type_name()
            ),
        ));
    };
    let mut seen = std::collections::BTreeMap::new();
    for m in members {
        if let Some(first) = seen.insert(m.key.to_ascii_lowercase(), m.key.clone()) {
            return Err(located(
                m.key_span,
                format!(
                    "context key `{}` is given twice (key names are case-insensitive; first as `{first}`)",
                    m.key
                ),
            ));
        }
        let scalar = |v: &json::Value| match &v.kind {
            json::Kind::String(s) => Ok(s.clone()),
            json::Kind::Bool(b) => Ok(b.to_string()),
            json::Kind::Number(n) => Ok(n.clone()),
            _ => Err(located(
                v.span,
                format!(
                    "the value of context key `{}` must be a string or an array of strings, found {}",
                    m.key,
                    v.type_name()
                ),
            )),
        };
        let values = match &m.value.kind {
            json::Kind::Array(items) => items
                .iter()
                .map(scalar)
                .collect::<miette::Result<Vec<_>>>()?,
            _ => vec![scalar(&m.value)?],
        };
        for v in values {
            context.insert(m.key.clone(), v);
        }
        if matches!(&m.value.kind, json::Kind::Array(a) if a.is_empty()) {
            context.set(m.key.clone(), Vec::new());
        }
    }
    Ok(())
}
