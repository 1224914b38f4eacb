//! `greenlight verify FILE...`: assertions over every request (an action never granted, no
//! public access, no access from outside some accounts), each proved, refuted with
//! counterexamples the evaluator allows, or unknown with the reason.

use std::io::IsTerminal;
use std::path::PathBuf;

use miette::miette;
use serde_json::{Value, json};

use super::Outcome;
use super::diff::{PolicyTypeArg, example_json, example_lines, statement_json, unknown_json};
use crate::analysis::verify::RESOURCE_TYPES;
use crate::analysis::{self, Assertion, Kind, VerifyOptions};
use crate::report::note::{Level, Note, Place};

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
    /// Policy files (identity policies and SCPs are verified together; resource and trust
    /// policies one by one), or templates, plans and directories (every policy found, each
    /// principal's and document's on its own), or one unit of a template as
    /// `FILE#LogicalId`/`FILE#Resources/...`/`main.tf#ADDRESS` (a `.tf` file or folder is its
    /// folder's module)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The role the policies play (default: from `--resource-type`, else `resource` with
    /// `--no-public-access`/`--only-accounts`, else `identity`)
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyTypeArg>,
    /// Assert that no request for these actions (patterns allowed) is allowed under any context
    #[arg(long = "not-granted", value_name = "ACTION", num_args = 1..)]
    pub not_granted: Vec<String>,
    /// Restrict `--not-granted` to these resources (ARN patterns; default every resource)
    #[arg(long = "on", value_name = "RESOURCE", num_args = 1..)]
    pub on: Vec<String>,
    /// Assert that no principal outside a named account, organization or network can be
    /// granted access (resource and trust policies)
    #[arg(long = "no-public-access")]
    pub no_public_access: bool,
    /// The resource type for `--no-public-access`, as Access Analyzer's CheckNoPublicAccess
    /// names it (`AWS::S3::Bucket`, `AWS::IAM::AssumeRolePolicyDocument`, ...)
    #[arg(
        long = "resource-type",
        value_name = "TYPE",
        requires = "no_public_access"
    )]
    pub resource_type: Option<String>,
    /// Assert that no principal outside these accounts can be granted access
    #[arg(long = "only-accounts", value_name = "ID,...", value_delimiter = ',')]
    pub only_accounts: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Counterexamples per assertion (and per document, for templates and directories)
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_counterexamples: usize,
    /// Walk ignored and hidden files of directories too
    #[arg(long)]
    pub no_ignore: bool,
    #[command(flatten)]
    pub template: super::template::InputArgs,
    /// The Region `AWS::Region` stands for in templates (else a placeholder)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

pub(crate) fn kind_of(args: &Args) -> miette::Result<Kind> {
    let from_type = match &args.resource_type {
        None => None,
        Some(t) => {
            if !RESOURCE_TYPES.contains(&t.as_str()) {
                return Err(miette!(
                    help = format!("one of: {}", RESOURCE_TYPES.join(", ")),
                    "`{t}` is not a resource type CheckNoPublicAccess accepts"
                ));
            }
            Some(if t == "AWS::IAM::AssumeRolePolicyDocument" {
                Kind::Trust
            } else {
                Kind::Resource
            })
        }
    };
    Ok(
        match (args.policy_type.map(PolicyTypeArg::kind), from_type) {
            (Some(k), Some(t)) if k != t => {
                return Err(miette!(
                    "`--policy-type` and `--resource-type` disagree: a `{}` is a {} policy",
                    args.resource_type.as_deref().unwrap_or_default(),
                    if t == Kind::Trust {
                        "trust"
                    } else {
                        "resource"
                    }
                ));
            }
            (Some(k), _) => k,
            (None, Some(t)) => t,
            (None, None) if args.no_public_access || !args.only_accounts.is_empty() => {
                Kind::Resource
            }
            (None, None) => Kind::Identity,
        },
    )
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    if args.not_granted.is_empty() && !args.no_public_access && args.only_accounts.is_empty() {
        return Err(miette!(
            help = "e.g. `--not-granted iam:*`, `--no-public-access` or `--only-accounts 111122223333`",
            "nothing to verify: give at least one assertion"
        ));
    }
    for a in &args.only_accounts {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(miette!(
                "invalid --only-accounts: `{a}` is not a 12-digit account ID"
            ));
        }
    }
    for a in &args.not_granted {
        if a != "*" && a.matches(':').count() != 1 {
            return Err(miette!(
                help = "e.g. `iam:PassRole`, `s3:Delete*` or `*`",
                "invalid --not-granted: `{a}` is not an action pattern"
            ));
        }
    }
    for r in &args.on {
        if r != "*" && r.matches(':').count() < 5 {
            return Err(miette!(
                help = "e.g. `arn:aws:s3:::my-bucket/*`",
                "invalid --on: `{r}` is not an ARN pattern"
            ));
        }
    }
    if args.files.iter().any(|p| !super::units::is_plain_policy(p)) {
        return super::verify_units::run(&args);
    }
    if args.template.given() || args.region.is_some() {
        return Err(miette!(
            "`--template-param`, `--template-params`, `--account` and `--region` apply to templates, and no input is one"
        ));
    }
    let kind = kind_of(&args)?;
    let policies = args
        .files
        .iter()
        .map(|p| super::simulate::load_policy(p))
        .collect::<miette::Result<Vec<_>>>()?;
    if kind == Kind::Boundary && policies.len() > 1 {
        return Err(miette!(
            "a principal has one permissions boundary: give one file"
        ));
    }
    for p in &policies {
        analysis::diff::frame_set(p, kind)
            .compile()
            .map_err(miette::Report::new)?;
    }
    let opts = VerifyOptions {
        kind,
        not_granted: args.not_granted.clone(),
        on: args.on.clone(),
        no_public_access: args.no_public_access,
        only_accounts: args.only_accounts.clone(),
        max_counterexamples: args.max_counterexamples,
    };
    let assertions = analysis::verify(&policies, &opts).map_err(miette::Report::new)?;
    let out = match args.format {
        FormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&assertions)).unwrap_or_default();
            s.push('\n');
            s
        }
        FormatArg::Text => text(&assertions),
        FormatArg::Sarif => crate::report::sarif::render(
            &notes(&assertions),
            crate::report::sarif::simple_rules(RULES),
        ),
        FormatArg::Github => crate::report::github::render(&notes(&assertions)),
        FormatArg::Junit => crate::report::junit::per_note(&notes(&assertions), "verify"),
    };
    super::simulate::print_out(&out);
    if assertions.iter().any(|a| a.holds.is_none()) {
        return Err(miette!(
            help = "the reasons are listed above",
            "an assertion could not be decided"
        ));
    }
    Ok(if assertions.iter().all(|a| a.holds == Some(true)) {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

pub(crate) const RULES: &[(&str, &str)] = &[
    (
        "verify/notGranted",
        "a request for an action asserted never granted is allowed",
    ),
    (
        "verify/noPublicAccess",
        "a principal outside every named account, organization and network is granted access",
    ),
    (
        "verify/onlyAccounts",
        "a principal outside the given accounts is granted access",
    ),
    (
        "verify/unknown",
        "an assertion the analysis could not decide",
    ),
];

/// The documented JSON shape (plus `unknown` with the parts not decided).
pub fn to_json(list: &[Assertion]) -> Value {
    json!({"assertions": list.iter().map(|a| {
        let ces: Vec<Value> = a.counterexamples.iter().map(|c| {
            let mut v = example_json(&c.example);
            v["statements"] = json!(c.statements.iter().map(statement_json).collect::<Vec<_>>());
            v
        }).collect();
        json!({
            "kind": a.kind.as_str(),
            "holds": a.holds,
            "counterexamples": ces,
            "reason": a.reason,
            "unknown": a.unknown.iter().map(|u| unknown_json(u, None)).collect::<Vec<_>>(),
        })
    }).collect::<Vec<_>>()})
}

pub(crate) fn code(a: &Assertion) -> &'static str {
    match a.kind {
        analysis::AssertionKind::NotGranted => "verify/notGranted",
        analysis::AssertionKind::NoPublicAccess => "verify/noPublicAccess",
        analysis::AssertionKind::OnlyAccounts => "verify/onlyAccounts",
    }
}

fn notes(list: &[Assertion]) -> Vec<Note> {
    let mut out = Vec::new();
    for a in list {
        for c in &a.counterexamples {
            out.push(
                Note::new(
                    code(a),
                    Level::Error,
                    format!(
                        "`{}` does not hold: this request is allowed",
                        a.kind.as_str()
                    ),
                )
                .details(example_lines(&c.example))
                .at(c
                    .statements
                    .first()
                    .map(|s| Place::statement(s, "allows it"))),
            );
        }
        if a.holds.is_none() {
            for u in &a.unknown {
                out.push(
                    Note::new(
                        "verify/unknown",
                        Level::Error,
                        format!("`{}` is not decided: {}", a.kind.as_str(), u.reason),
                    )
                    .at(u
                        .statements
                        .first()
                        .map(|s| Place::statement(s, "not decided"))),
                );
            }
            if a.unknown.is_empty() {
                out.push(Note::new(
                    "verify/unknown",
                    Level::Error,
                    format!(
                        "`{}` is not decided: {}",
                        a.kind.as_str(),
                        a.reason.as_deref().unwrap_or("no reason given")
                    ),
                ));
            }
        }
    }
    out
}

fn text(list: &[Assertion]) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut s = crate::report::human::text(&notes(list), 100, color);
    for a in list {
        let verdict = match a.holds {
            Some(true) => "holds",
            Some(false) => "fails",
            None => "unknown",
        };
        s.push_str(&format!("{}: {verdict}", a.kind.as_str()));
        if let Some(r) = &a.reason {
            s.push_str(&format!(" ({r})"));
        }
        s.push('\n');
    }
    s
}
