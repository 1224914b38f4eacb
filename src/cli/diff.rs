//! `greenlight diff OLD NEW`: what a policy change grants that the old policy did not, each
//! group with the granting statement and a request the evaluator allows under NEW only.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::Outcome;
use crate::analysis::{self, Diff, Example, Group, Kind, StatementRef, Unknown};
use crate::report::note::{Level, Note, Place};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyTypeArg {
    Identity,
    Resource,
    Trust,
    Scp,
    Boundary,
    /// Resource control policies: analysed beside identity and resource policies that allow
    /// everything, for callers of any account
    Rcp,
}

impl PolicyTypeArg {
    pub fn kind(self) -> Kind {
        match self {
            PolicyTypeArg::Identity => Kind::Identity,
            PolicyTypeArg::Resource => Kind::Resource,
            PolicyTypeArg::Trust => Kind::Trust,
            PolicyTypeArg::Scp => Kind::Scp,
            PolicyTypeArg::Boundary => Kind::Boundary,
            PolicyTypeArg::Rcp => Kind::Rcp,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Json,
    Sarif,
    Github,
    /// JUnit XML, one test case per finding
    Junit,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// `OLD NEW`: the policy before and after the change (policy files, or templates, plans
    /// and `.tf` modules, whole or one unit as `FILE#LogicalId`/`FILE#Resources/...`/
    /// `main.tf#ADDRESS`); with `--base`: the
    /// files and directories to compare (default: the whole repository)
    #[arg(value_name = "OLD NEW | PATHS")]
    pub paths: Vec<PathBuf>,
    /// Compare the working tree with this git revision (branch, tag or commit): every policy
    /// of the files found, templates included
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The role the policies play (default: `identity` for two policy files; with `--base`
    /// and for templates, each plain policy file's role follows from its shape)
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyTypeArg>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Example requests per group (the first is `example`, all are in `examples`)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub max_examples: usize,
    /// With `--base`: walk ignored and hidden files too
    #[arg(long)]
    pub no_ignore: bool,
    #[command(flatten)]
    pub template: super::template::InputArgs,
    /// The Region `AWS::Region` stands for in templates (else a placeholder)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let forced = args.policy_type.map(PolicyTypeArg::kind);
    let inputs = args.template.inputs(args.region.as_deref(), false)?;
    if let Some(base) = &args.base {
        // a template parameter file of the repository is read at the base too: the base's
        // templates take the base's values (red team 52, 53)
        let old_inputs = match args.template.template_params.as_deref() {
            Some(pf) => {
                let repo = super::git::Repo::open(base)?;
                match repo.relative(std::path::Path::new(pf)) {
                    Some(rel) => {
                        let old = repo.contents(std::slice::from_ref(&rel))?.pop().flatten();
                        let text = old.map(|b| String::from_utf8_lossy(&b).into_owned());
                        Some(args.template.inputs_with(
                            text.as_deref(),
                            args.region.as_deref(),
                            false,
                        )?)
                    }
                    None => None,
                }
            }
            None => None,
        };
        return super::diff_units::run_base(
            base,
            &args.paths,
            args.no_ignore,
            forced,
            (&inputs, old_inputs.as_ref()),
            args.format,
            args.max_examples,
        );
    }
    let [old_path, new_path] = args.paths.as_slice() else {
        return Err(miette::miette!(
            help = "`greenlight diff OLD NEW`, or `greenlight diff --base REF [PATHS...]`",
            "give two policies to compare (found {})",
            args.paths.len()
        ));
    };
    // a template, a plan or `FILE#DOCUMENT` is compared unit by unit
    let plain = |p: &PathBuf| super::units::is_plain_policy(p);
    if !(plain(old_path) && plain(new_path)) {
        return super::diff_units::run_files(
            &old_path.display().to_string(),
            &new_path.display().to_string(),
            forced,
            &inputs,
            args.format,
            args.max_examples,
        );
    }
    if args.template.given() || args.region.is_some() {
        return Err(miette::miette!(
            "`--template-param`, `--template-params`, `--account` and `--region` apply to templates, and no input is one"
        ));
    }
    // what the AWS CLI printed says the role its policy plays (`get-role`: trust;
    // `get-bucket-policy`, `lambda get-policy`, `kms get-key-policy`: resource), as `diff
    // --base` and `lint` read it (red team 42: the two-file form read them as identity
    // policies and stopped at their `Principal`)
    let cli_kind = |p: &PathBuf| -> Option<Kind> {
        let text = std::fs::read_to_string(p).ok()?;
        let tree = crate::parse::json::parse(text.trim_start_matches('\u{feff}')).ok()?;
        match crate::parse::cli_wrapped(&tree)?.1 {
            crate::parse::CliPolicy::Identity => None,
            crate::parse::CliPolicy::Trust => Some(Kind::Trust),
            crate::parse::CliPolicy::Resource => Some(Kind::Resource),
        }
    };
    let kind = forced
        .or_else(|| cli_kind(old_path).or_else(|| cli_kind(new_path)))
        .unwrap_or(Kind::Identity);
    let old = super::simulate::load_policy(old_path)?;
    let new = super::simulate::load_policy(new_path)?;
    // compile errors with their location first (the analysis compiles the same sets)
    for p in [&old, &new] {
        analysis::diff::frame_set(p, kind)
            .compile()
            .map_err(miette::Report::new)?;
    }
    let d = analysis::diff(&old, &new, kind, args.max_examples).map_err(miette::Report::new)?;
    let out = match args.format {
        FormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&d)).unwrap_or_default();
            s.push('\n');
            s
        }
        FormatArg::Text => text(&d),
        FormatArg::Sarif => {
            crate::report::sarif::render(&notes(&d), crate::report::sarif::simple_rules(RULES))
        }
        FormatArg::Github => crate::report::github::render(&notes(&d)),
        FormatArg::Junit => crate::report::junit::per_note(&notes(&d), "diff"),
    };
    super::simulate::print_out(&out);
    if d.uncertain() {
        return Err(miette::miette!(
            help =
                "the unknown parts are listed above; simplify the construct or review it by hand",
            "the analysis could not decide every request, so an addition may be hidden"
        ));
    }
    Ok(if d.added.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

pub(crate) const RULES: &[(&str, &str)] = &[
    (
        "diff/added",
        "the new policy allows requests the old one does not",
    ),
    (
        "diff/removed",
        "the new policy no longer allows requests the old one did",
    ),
    (
        "diff/unknown",
        "a part of the request space the analysis did not decide",
    ),
];

pub(crate) fn statement_json(s: &StatementRef) -> Value {
    json!({"file": s.file, "sid": s.sid, "line": s.line})
}

pub(crate) fn example_json(e: &Example) -> Value {
    let ctx: BTreeMap<&String, Value> = e
        .context
        .iter()
        .map(|(k, v)| {
            (
                k,
                match v.as_slice() {
                    [one] => json!(one),
                    many => json!(many),
                },
            )
        })
        .collect();
    json!({"action": e.action, "resource": e.resource, "principal": e.principal, "context": ctx})
}

fn group_json(g: &Group, verb: &str) -> Value {
    json!({
        "actions": g.actions,
        "statements": g.statements.iter().map(statement_json).collect::<Vec<_>>(),
        "description": g.description(verb),
        "example": example_json(&g.example),
        "examples": g.examples.iter().map(example_json).collect::<Vec<_>>(),
    })
}

pub(crate) fn unknown_json(u: &Unknown, may_hide_addition: Option<bool>) -> Value {
    let mut v = json!({
        "reason": u.reason,
        "statements": u.statements.iter().map(statement_json).collect::<Vec<_>>(),
    });
    if let Some(h) = may_hide_addition {
        v["mayHideAddition"] = json!(h);
    }
    v
}

/// The documented JSON shape.
pub fn to_json(d: &Diff) -> Value {
    json!({
        "added": d.added.iter().map(|g| group_json(g, "newly allowed")).collect::<Vec<_>>(),
        "removed": d.removed.iter().map(|g| group_json(g, "no longer allowed")).collect::<Vec<_>>(),
        "unknown": d.unknown.iter().map(|(u, h)| unknown_json(u, Some(*h))).collect::<Vec<_>>(),
        "summary": {"added": d.added.len(), "removed": d.removed.len(), "unknown": d.unknown.len()},
    })
}

/// Actions in a compact form: `s3:*` when a service's every action is there, else up to six
/// names per service and a count of the rest.
pub fn compact_actions(actions: &[String]) -> String {
    let cat = crate::catalog::active();
    let mut by_service: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for a in actions {
        let (s, n) = a.split_once(':').unwrap_or(("", a));
        by_service
            .entry(s.to_ascii_lowercase())
            .or_default()
            .push(n);
    }
    let mut parts = Vec::new();
    for (s, names) in &by_service {
        let total = cat.service(s).map(|x| x.actions().count()).unwrap_or(0);
        if total > 0 && names.len() >= total {
            parts.push(format!("{s}:*"));
        } else if names.len() <= 6 {
            parts.push(format!("{s}:{{{}}}", names.join(", ")));
        } else {
            parts.push(format!(
                "{s}:{{{}, … {} more}}",
                names[..6].join(", "),
                names.len() - 6
            ));
        }
    }
    if parts.len() > 12 {
        let rest = parts.len() - 12;
        parts.truncate(12);
        parts.push(format!("… {rest} more services"));
    }
    parts.join(" ")
}

pub(crate) fn example_lines(e: &Example) -> Vec<String> {
    let mut v = vec![format!("example: `{}` on `{}`", e.action, e.resource)];
    if let Some(p) = &e.principal {
        v.push(format!("  principal: `{p}`"));
    }
    if e.context.is_empty() {
        v.push("  context: (no keys)".into());
    }
    for (k, vals) in &e.context {
        v.push(format!("  context: `{k}` = {}", vals.join(", ")));
    }
    v
}

pub(crate) fn notes(d: &Diff) -> Vec<Note> {
    let mut out = Vec::new();
    for (list, code, level, verb) in [
        (&d.added, "diff/added", Level::Error, "newly allowed"),
        (&d.removed, "diff/removed", Level::Note, "no longer allowed"),
    ] {
        for g in list {
            let mut details = vec![format!("actions: {}", compact_actions(&g.actions))];
            details.extend(example_lines(&g.example));
            let label = if g.lifted_deny && code == "diff/added" {
                "no longer keeps it out"
            } else if g.lifted_deny {
                "now keeps it out"
            } else if code == "diff/added" {
                "grants it"
            } else {
                "granted it"
            };
            out.push(
                Note::new(code, level, g.description(verb))
                    .details(details)
                    .at(g.statements.first().map(|s| Place::statement(s, label))),
            );
        }
    }
    for (u, hide) in &d.unknown {
        let level = if *hide { Level::Error } else { Level::Warning };
        out.push(
            Note::new("diff/unknown", level, u.reason.clone()).at(u
                .statements
                .first()
                .map(|s| Place::statement(s, "not decided"))),
        );
    }
    out
}

fn text(d: &Diff) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut s = crate::report::human::text(&notes(d), 100, color);
    s.push_str(&format!(
        "{} added, {} removed, {} unknown\n",
        d.added.len(),
        d.removed.len(),
        d.unknown.len()
    ));
    s
}
