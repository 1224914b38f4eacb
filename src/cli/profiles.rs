//! `greenlight profiles` and `greenlight profiles show ID`.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use std::fmt::Write as _;

use super::Outcome;
use super::check::write_stdout;
use crate::profiles::{self, PrincipalKind, Profile};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// Output format
    #[arg(long, value_enum, default_value = "text", global = true)]
    pub format: Format,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Print a profile's requirements, parameters with their defaults, and sources
    Show {
        /// Profile id (see `greenlight profiles`)
        id: String,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    match args.command {
        None => {
            let all = profiles::all()?;
            match args.format {
                Format::Json => {
                    let v: Vec<Value> = all
                        .iter()
                        .map(|p| {
                            json!({"id": p.id, "version": p.version, "principal": kind(p),
                                   "title": p.title, "requirements": p.requirements.len(),
                                   "trust": p.trust.is_some()})
                        })
                        .collect();
                    print_json(&json!({ "profiles": v }))?;
                }
                Format::Text => {
                    let mut out = String::new();
                    let mut t = table(&["profile", "for", "requirements", "title"]);
                    for p in all {
                        let n = p.requirements.len() + usize::from(p.trust.is_some());
                        t.add_row(vec![
                            p.id.clone(),
                            kind(p).to_string(),
                            n.to_string(),
                            p.title.clone(),
                        ]);
                    }
                    let _ = writeln!(out, "{t}");
                    let _ = writeln!(
                        out,
                        "`greenlight profiles show ID` prints a profile's requirements, parameters and sources"
                    );
                    write_stdout(&out)?;
                }
            }
        }
        Some(Sub::Show { id }) => {
            let p = profiles::get(&id)?;
            match args.format {
                Format::Json => print_json(&show_json(p))?,
                Format::Text => write_stdout(&show_text(p))?,
            }
        }
    }
    Ok(Outcome::Clean)
}

fn kind(p: &Profile) -> &'static str {
    match p.principal {
        PrincipalKind::User => "user",
        PrincipalKind::Role => "role",
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(160)
        .set_header(header.to_vec());
    t
}

fn print_json(v: &Value) -> miette::Result<()> {
    let s = serde_json::to_string_pretty(v).map_err(|e| miette::miette!("{e}"))?;
    write_stdout(&(s + "\n"))
}

fn context_text(ctx: &std::collections::BTreeMap<String, Vec<profiles::Template>>) -> String {
    ctx.iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.iter().map(|t| t.text()).collect::<Vec<_>>().join(",")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn show_text(p: &Profile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} (version {}, {})", p.id, p.version, kind(p));
    let _ = writeln!(out, "{}", p.title);
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", p.description);
    if let Some(role) = &p.role {
        let _ = writeln!(out);
        let _ = writeln!(out, "role: {}", role.text());
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "parameters (--param NAME=VALUE):");
    let mut t = table(&["name", "default", "description"]);
    for q in &p.parameters {
        let mut d = q.description.clone();
        if let Some(g) = &q.grant_as {
            d.push_str(&format!(" (generated policies write `{g}`)"));
        }
        t.add_row(vec![q.name.clone(), q.default.clone(), d]);
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(out);
    let _ = writeln!(out, "requirements:");
    let mut t = table(&["action", "resource", "context", "reason"]);
    for r in &p.requirements {
        let mut reason = r.reason.clone();
        if r.from != p.id {
            reason.push_str(&format!(" [from {}]", r.from));
        }
        match r.when.as_deref().map(|w| (w, w.split_once('='))) {
            Some((_, Some((name, value)))) => {
                reason.push_str(&format!(" [only when {name} is {value}]"));
            }
            Some((w, None)) => reason.push_str(&format!(
                " [optional: off by default, on with --param {w}=true]"
            )),
            None => {}
        }
        t.add_row(vec![
            r.action.clone(),
            r.resource.text().to_string(),
            context_text(&r.context),
            reason,
        ]);
    }
    let _ = writeln!(out, "{t}");
    let optional: Vec<&profiles::Requirement> = p
        .requirements
        .iter()
        .filter(|r| r.when.as_deref().is_some_and(|w| !w.contains('=')))
        .collect();
    if !optional.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "optional parts (not required unless their switch is on; every switch defaults to false):"
        );
        for r in optional {
            let _ = writeln!(
                out,
                "- {} on {}: on with --param {}=true",
                r.action,
                r.resource.text(),
                r.when.as_deref().unwrap_or_default()
            );
        }
    }
    if let Some(tr) = &p.trust {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "trust: `{}` may call `{}` on the role; request context: {}",
            tr.service,
            tr.action,
            context_text(&tr.context).replace('\n', ", ")
        );
        if !tr.alternates.is_empty() {
            let names: Vec<&str> = tr.alternates.iter().map(|a| a.text()).collect();
            let _ = writeln!(
                out,
                "  a trust policy may name instead: {}",
                names.join(", ")
            );
        }
        if !tr.unconfirmed.is_empty() {
            let _ = writeln!(
                out,
                "  the AWS documentation does not confirm that the service sends {}: the trust policy is also checked without them",
                tr.unconfirmed.join(", ")
            );
        }
        let _ = writeln!(out, "  {}", tr.reason);
    }
    if !p.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "notes:");
        for n in &p.notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "sources:");
    for s in &p.sources {
        let _ = writeln!(out, "- {}: {}", s.title, s.url);
    }
    out
}

fn show_json(p: &Profile) -> Value {
    let ctx = |c: &std::collections::BTreeMap<String, Vec<profiles::Template>>| -> Value {
        c.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Value::from(v.iter().map(|t| t.text().to_string()).collect::<Vec<_>>()),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({
        "id": p.id,
        "version": p.version,
        "principal": kind(p),
        "title": p.title,
        "description": p.description,
        "role": p.role.as_ref().map(|r| r.text()),
        "includes": p.includes,
        "parameters": p.parameters.iter().map(|q| json!({
            "name": q.name, "default": q.default, "description": q.description,
            "pattern": q.pattern, "grantAs": q.grant_as,
        })).collect::<Vec<_>>(),
        "requirements": p.requirements.iter().map(|r| json!({
            "action": r.action, "resource": r.resource.text(), "context": ctx(&r.context),
            "reason": r.reason, "doc": r.doc, "from": r.from,
            "optional": r.when.as_ref().filter(|w| !w.contains('=')).map(|w| json!({"parameter": w, "default": false})),
            "onlyWhen": r.when.as_ref().and_then(|w| w.split_once('=')).map(|(n, v)| json!({"parameter": n, "value": v})),
        })).collect::<Vec<_>>(),
        "trust": p.trust.as_ref().map(|t| json!({
            "principal": {"Service": t.service}, "action": t.action,
            "alternatePrincipals": t.alternates.iter().map(|a| a.text()).collect::<Vec<_>>(),
            "context": ctx(&t.context), "unconfirmedContext": t.unconfirmed,
            "reason": t.reason, "doc": t.doc,
        })),
        "sources": p.sources.iter().map(|s| json!({"key": s.key, "title": s.title, "url": s.url}))
            .collect::<Vec<_>>(),
        "notes": p.notes,
    })
}
