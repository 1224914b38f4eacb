//! Command-line interface: clap structs → validated configuration → one file per subcommand.
//! clap types never reach the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The outcome of a command that ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: nothing to report at or above the threshold.
    Clean,
    /// Exit 1: findings, gaps, or a decision that differs from `--expect`.
    Findings,
}

/// Exit code for errors (usage, I/O, parse, incomplete results).
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "greenlight",
    version = version_text(),
    long_version = long_version_text(),
    about = "Does this AWS principal hold exactly the IAM permissions a workload needs?",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// Use this IAM catalog instead of the embedded one or the user cache: a directory of
    /// AWS service-reference JSON documents, or a bundle file (`.json` or `.json.gz`)
    #[arg(long, global = true, value_name = "DIR|FILE")]
    pub catalog: Option<std::path::PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

fn version_text() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

fn long_version_text() -> &'static str {
    concat!(
        env!("CARGO_PKG_VERSION"),
        "\nIAM catalog: AWS Service Authorization Reference via ",
        env!("GREENLIGHT_CATALOG_SOURCE"),
        " (MIT), data of ",
        env!("GREENLIGHT_CATALOG_DATE"),
        "\n(`greenlight catalog update` refreshes it; `greenlight catalog info` shows the one in use)"
    )
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Evaluate requests against policies exactly as AWS does (like the IAM policy simulator)
    Simulate(simulate::Args),
    /// Show or refresh the IAM action catalog (services, actions, resource types, condition keys)
    Catalog(catalog::Args),
    /// List every action that IAM action patterns grant, with access levels, resource types
    /// and condition keys
    Expand(expand::Args),
    /// List the required-permission profiles, or show one
    Profiles(profiles::Args),
    /// Check a principal's policies against profiles: what is missing, what denies it
    Check(Box<check::Args>),
    /// Print the minimal least-privilege policy for a profile (verified before printing)
    Generate(generate::Args),
    /// Lint IAM policies offline: Access Analyzer's checks plus security rules
    Lint(lint::Args),
    /// Print the documentation of a lint rule
    Rule(rule::Args),
    /// Check every user and role of an account against profiles
    Scan(scan::Args),
    /// What a policy change newly allows (and no longer allows), over every request, with an
    /// example request for each granting statement
    Diff(diff::Args),
    /// Prove properties of policies over every request: an action never granted, no public
    /// access, no access from outside some accounts
    Verify(verify::Args),
}

pub mod catalog;
pub mod check;
pub mod context;
pub mod diff;
pub mod diff_tf;
pub mod diff_units;
pub mod expand;
pub mod generate;
pub mod git;
pub mod lint;
pub mod profiles;
pub mod rule;
pub mod scan;
pub mod simulate;
pub mod template;
pub mod units;
pub mod verify;
pub mod verify_units;

/// Runs the CLI and maps the outcome to the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

pub fn run(cli: Cli) -> miette::Result<Outcome> {
    catalog::activate(cli.catalog.as_deref())?;
    let outcome = match cli.command {
        Command::Simulate(args) => simulate::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Expand(args) => expand::run(args),
        Command::Profiles(args) => profiles::run(args),
        Command::Check(args) => check::run(*args),
        Command::Generate(args) => generate::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Verify(args) => verify::run(args),
    };
    // A cache file damaged while in use reads as absent data: never let results computed
    // from it pass.
    if let Some(damage) = crate::catalog::active().damage() {
        return Err(miette::miette!(
            help = "run `greenlight catalog update` to rewrite the cache, or delete it",
            "the catalog cache is damaged ({damage}); results computed from it are not reliable"
        ));
    }
    outcome
}
