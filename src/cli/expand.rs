//! `greenlight expand PATTERN...`: every action an IAM action pattern grants.

use std::collections::BTreeMap;

use comfy_table::{ContentArrangement, Table, presets};
use miette::IntoDiagnostic;

use super::Outcome;
use super::catalog::{Format, write_stdout};
use crate::catalog::{self, Action, Catalog};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Action patterns, case-insensitive, with `*` and `?` anywhere (`s3:Get*`,
    /// `codedeploy:*`, `*`)
    #[arg(required = true, value_name = "PATTERN")]
    patterns: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// A pattern that grants no action.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(expand::no_match))]
struct NoMatch {
    message: String,
    #[help]
    help: Option<String>,
}

fn usage(pattern: &str) -> Option<String> {
    let t = pattern.trim();
    if t.is_empty() {
        return Some("an empty action pattern".to_owned());
    }
    if t != pattern {
        return Some(format!("`{pattern}` has leading or trailing whitespace"));
    }
    if !t.contains(':') && !t.chars().all(|c| c == '*') {
        return Some(format!(
            "`{pattern}` is not an action pattern: write `service:Action`"
        ));
    }
    None
}

fn no_match(cat: &Catalog, pattern: &str) -> NoMatch {
    let service = pattern.split_once(':').map(|(s, _)| s).unwrap_or_default();
    let wild_service = service.contains(['*', '?']);
    let message = if !wild_service && cat.service(service).is_none() {
        format!("`{pattern}` names no known service: `{service}` is not a service prefix")
    } else {
        format!("`{pattern}` matches no action")
    };
    let suggestions = cat.suggest(pattern, 3);
    let help = match suggestions.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    NoMatch { message, help }
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    for p in &args.patterns {
        if let Some(m) = usage(p) {
            return Err(miette::miette!(
                help = "e.g. `s3:GetObject`, `s3:Get*`, `codedeploy:*` or `*`",
                "{m}"
            ));
        }
    }
    let cat = catalog::active();
    let mut found: BTreeMap<Action<'_>, Vec<&str>> = BTreeMap::new();
    let mut misses = Vec::new();
    for p in &args.patterns {
        let hits = cat.expand(p);
        if hits.is_empty() {
            misses.push(no_match(cat, p));
        }
        for a in hits {
            let e = found.entry(a).or_default();
            if !e.contains(&p.as_str()) {
                e.push(p);
            }
        }
    }
    let out = match args.format {
        Format::Json => json(&found)?,
        Format::Text if found.is_empty() => String::new(),
        Format::Text => text(&found),
    };
    write_stdout(&out)?;
    let clean = misses.is_empty();
    for m in misses {
        eprintln!("{:?}", miette::Report::new(m));
    }
    Ok(if clean {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn json(found: &BTreeMap<Action<'_>, Vec<&str>>) -> miette::Result<String> {
    let list: Vec<serde_json::Value> = found
        .iter()
        .map(|(a, patterns)| {
            let resources: Vec<serde_json::Value> = a
                .resources()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.resource_type.name(),
                        "required": r.required,
                        "arnFormats": r.resource_type.arn_formats(),
                        "conditionKeys": r.condition_keys().iter().map(|k| k.name()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::json!({
                "action": a.full_name(),
                "service": a.service().name(),
                "name": a.name(),
                "accessLevel": a.access_level().as_str(),
                "description": a.description(),
                "supportsResourceLevelPermissions": a.supports_resource_level(),
                "resourceTypes": resources,
                "conditionKeys": a.condition_keys().iter().map(|k| k.name()).collect::<Vec<_>>(),
                "matchedBy": patterns,
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(&list).into_diagnostic()? + "\n")
}

fn text(found: &BTreeMap<Action<'_>, Vec<&str>>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(["Action", "Access level", "Resource types", "Condition keys"]);
    for a in found.keys() {
        let res = a.resources();
        let res_cell = if res.is_empty() {
            "* (no resource-level permissions)".to_owned()
        } else {
            res.iter()
                .map(|r| {
                    let mark = if r.required == Some(true) {
                        " (required)"
                    } else {
                        ""
                    };
                    format!("{}{mark}", r.resource_type.name())
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let keys = a
            .condition_keys()
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join("\n");
        t.add_row([a.full_name(), a.access_level().to_string(), res_cell, keys]);
    }
    let n = found.len();
    format!("{t}\n{n} action{}\n", if n == 1 { "" } else { "s" })
}
