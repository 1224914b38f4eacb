//! `greenlight rule CODE|NAME`: prints a rule's docs; `--all` lists the rules;
//! `--markdown-table` prints the README rule table.

use miette::miette;

use super::Outcome;
use crate::lint::{docs, rules};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Rule code (`GL020`) or name (`missing-version`)
    #[arg(value_name = "CODE|NAME", required_unless_present_any = ["all", "markdown_table"])]
    pub rule: Option<String>,
    /// List every rule: code, name, severity and summary
    #[arg(long, conflicts_with = "markdown_table")]
    pub all: bool,
    /// Print the README rule table (Markdown), generated from the rule docs
    #[arg(long)]
    pub markdown_table: bool,
}

/// Writes to stdout; a closed pipe (`greenlight rule --all | head`) is not an error.
fn emit(text: &str) -> miette::Result<Outcome> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(Outcome::Clean),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Clean),
        Err(e) => Err(miette!("cannot write to stdout: {e}")),
    }
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    if args.markdown_table {
        return emit(&docs::markdown_table());
    }
    if args.all {
        let mut s = String::new();
        for r in rules::ALL {
            s.push_str(&format!(
                "{} {:<40} {:<10} {}\n",
                r.code,
                r.name,
                r.severity,
                r.summary()
            ));
        }
        return emit(&s);
    }
    let name = args.rule.unwrap_or_default();
    let rule = rules::lookup(&name).ok_or_else(|| {
        let names: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
        let hint = crate::parse::nearest_name(&name, &names)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        miette!("`{name}` is not a rule code or name{hint}")
    })?;
    emit(&docs::render(rule))
}
