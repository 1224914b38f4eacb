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

pub fn run(args: Args) -> miette::Result<Outcome> {
    if args.markdown_table {
        print!("{}", docs::markdown_table());
        return Ok(Outcome::Clean);
    }
    if args.all {
        for r in rules::ALL {
            println!(
                "{} {:<40} {:<10} {}",
                r.code,
                r.name,
                r.severity,
                r.summary()
            );
        }
        return Ok(Outcome::Clean);
    }
    let name = args.rule.unwrap_or_default();
    let rule = rules::lookup(&name).ok_or_else(|| {
        let names: Vec<&str> = rules::ALL.iter().map(|r| r.name).collect();
        let hint = crate::parse::nearest_name(&name, &names)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        miette!("`{name}` is not a rule code or name{hint}")
    })?;
    print!("{}", docs::render(rule));
    Ok(Outcome::Clean)
}
