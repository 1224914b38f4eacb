//! `greenlight generate`: the minimal policy for a profile, verified before it is printed.

use super::Outcome;
use super::check::{expand_files, load_policy, parse_params, write_stdout};
use crate::check::PrincipalPolicies;
use crate::generate::{self, MAX_POLICY_CHARS};
use crate::profiles;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Profile to generate the policy for (see `greenlight profiles`)
    #[arg(long, value_name = "ID")]
    pub profile: String,
    /// Profile parameter (repeatable), such as `account=111122223333` or `cluster=prod`
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Print the role's trust policy instead (role profiles)
    #[arg(long, conflicts_with = "missing_from")]
    pub trust: bool,
    /// Print only what these identity policies lack (globs allowed)
    #[arg(long, value_name = "POLICY", num_args = 1..)]
    pub missing_from: Vec<String>,
    /// Permissions boundary of the principal (with `--missing-from`): a gap it decides exits 2
    #[arg(long, value_name = "FILE", requires = "missing_from")]
    pub boundary: Option<String>,
    /// Service control policy of the principal's account (repeatable, with `--missing-from`):
    /// a gap it decides exits 2
    #[arg(long = "scp", value_name = "FILE", requires = "missing_from")]
    pub scps: Vec<String>,
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let profile = profiles::get(&args.profile)?;
    let given = parse_params(&args.params, &[profile])?;
    let params = profile.resolve_params(&given, None)?;
    if args.trust {
        let text = generate::generate_trust(profile, &params)?;
        write_stdout(&text)?;
        return Ok(Outcome::Clean);
    }
    let existing = if args.missing_from.is_empty() {
        None
    } else {
        let files = expand_files(&args.missing_from)?;
        Some(PrincipalPolicies {
            identity: files
                .iter()
                .map(|f| load_policy(f))
                .collect::<Result<_, _>>()?,
            boundary: args.boundary.as_deref().map(load_policy).transpose()?,
            scps: args
                .scps
                .iter()
                .map(|f| load_policy(f))
                .collect::<Result<_, _>>()?,
            ..PrincipalPolicies::default()
        })
    };
    match generate::generate_policy(profile, &params, existing.as_ref())? {
        None => {
            eprintln!(
                "nothing is missing: the given policies allow every requirement of `{}`",
                profile.id
            );
        }
        Some(g) => {
            if g.documents.len() > 1 {
                eprintln!(
                    "the policy does not fit one managed policy ({MAX_POLICY_CHARS} characters without white space): split into {} documents of {} characters",
                    g.documents.len(),
                    g.sizes
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            write_stdout(&g.documents.join("\n"))?;
        }
    }
    Ok(Outcome::Clean)
}
