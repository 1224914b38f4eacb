//! `greenlight simulate` (issue 2).

use super::Outcome;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: Args) -> miette::Result<Outcome> {
    Err(miette::miette!("`simulate` is not implemented yet"))
}
