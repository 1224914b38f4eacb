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
    about = "Does this AWS principal hold exactly the IAM permissions a workload needs?",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

fn version_text() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Evaluate requests against policies exactly as AWS does (like the IAM policy simulator)
    Simulate(simulate::Args),
    /// Lint IAM policies offline: Access Analyzer's checks plus security rules
    Lint(lint::Args),
    /// Print the documentation of a lint rule
    Rule(rule::Args),
}

pub mod lint;
pub mod rule;
pub mod simulate;

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
    match cli.command {
        Command::Simulate(args) => simulate::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Rule(args) => rule::run(args),
    }
}
