//! `greenlight check`: does this principal hold what the profile requires?

use std::collections::BTreeMap;

use miette::{IntoDiagnostic, WrapErr};

use super::Outcome;
use crate::check::{self, PrincipalPolicies, render};
use crate::model::Policy;
use crate::profiles::{self, Profile};
use crate::source::Source;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Profile to check against (repeatable; see `greenlight profiles`)
    #[arg(long = "profile", value_name = "ID", required = true)]
    pub profiles: Vec<String>,
    /// Identity policy files of one principal (globs allowed)
    #[arg(value_name = "POLICY_FILE|GLOB")]
    pub files: Vec<String>,
    /// Permissions boundary of the principal
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<String>,
    /// Service control policy that applies to the principal's account (repeatable; all at one
    /// level: one must allow and none may deny. For the root's and an OU's SCPs, check one
    /// level at a time)
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<String>,
    /// Resource control policy of the account that owns the profile's resources (repeatable:
    /// a `Deny` in any of them denies the requests RCPs restrict; `RCPFullAWSAccess` is taken
    /// as attached)
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<String>,
    /// Trust policy of the role (checked against role profiles' trust requirement)
    #[arg(long, value_name = "FILE")]
    pub trust_policy: Option<String>,
    /// Profile parameter (repeatable), such as `account=111122223333` or `cluster=prod`
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// A principal of an account (`--authorization-details FILE` or `--live`) instead of files
    #[command(flatten)]
    pub account: super::scan::SourceArgs,
    #[command(flatten)]
    pub target: super::scan::TargetArgs,
    /// Check a role or user of a CloudFormation/SAM/CDK template (`--role`/`--user` name its
    /// logical ID)
    #[arg(long, value_name = "FILE")]
    pub template: Option<String>,
    #[command(flatten)]
    pub template_inputs: super::template::InputArgs,
    /// Request context for every requirement (`--context KEY=VALUE`, `--context-json`), with
    /// `simulate`'s meaning
    #[command(flatten)]
    pub context: super::context::ContextArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML, one test case per gap or warning
    Junit,
}

/// Reads and parses one policy file (strict; errors are located).
pub fn load_policy(path: &str) -> miette::Result<Policy> {
    let bytes = std::fs::read(path)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot read `{path}`"))?;
    let source = Source::from_bytes(path, bytes)?;
    Ok(crate::parse::parse_policy(&source)?)
}

/// Expands globs (sorted, deduplicated); a pattern that matches nothing is an error.
pub fn expand_files(args: &[String]) -> miette::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for a in args {
        if a.contains(['*', '?', '[']) {
            let mut matched: Vec<String> = Vec::new();
            let paths = glob::glob(a)
                .into_diagnostic()
                .wrap_err_with(|| format!("invalid glob `{a}`"))?;
            for p in paths {
                let p = p.into_diagnostic()?;
                if p.is_file() {
                    matched.push(p.to_string_lossy().into_owned());
                }
            }
            if matched.is_empty() {
                return Err(miette::miette!("no file matches `{a}`"));
            }
            matched.sort();
            for m in matched {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        } else if !out.contains(a) {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// Parses `NAME=VALUE` pairs and rejects names that none of `profiles` declares.
pub fn parse_params(
    raw: &[String],
    profiles: &[&Profile],
) -> miette::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for p in raw {
        let Some((name, value)) = p.split_once('=') else {
            return Err(miette::miette!(
                help = "write `--param NAME=VALUE`, for example `--param account=111122223333`",
                "`{p}` is not NAME=VALUE"
            ));
        };
        let name = name.trim();
        if !profiles.iter().any(|pr| pr.parameter(name).is_some()) {
            let mut known: Vec<&str> = profiles
                .iter()
                .flat_map(|pr| pr.parameters.iter().map(|q| q.name.as_str()))
                .collect();
            known.sort();
            known.dedup();
            return Err(miette::miette!(
                help = format!("parameters of the selected profiles: {}", known.join(", ")),
                "unknown parameter `{name}`"
            ));
        }
        if out.insert(name.to_string(), value.to_string()).is_some() {
            return Err(miette::miette!("parameter `{name}` is given twice"));
        }
    }
    Ok(out)
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let selected: Vec<&Profile> = args
        .profiles
        .iter()
        .map(|id| profiles::get(id))
        .collect::<Result<_, _>>()?;
    let params = parse_params(&args.params, &selected)?;
    let user_context: BTreeMap<String, Vec<String>> = args
        .context
        .parse()?
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    if let Some(path) = &args.template {
        return check_template(path, &args, &selected, &params, &user_context);
    }
    if args.account.region.is_some() && !args.account.live {
        return Err(miette::miette!("`--region` needs `--live` or `--template`"));
    }
    if args.template_inputs.given() {
        return Err(miette::miette!(
            "`--template-param`, `--template-params` and `--account` need `--template`"
        ));
    }
    if args.account.given() || args.target.given() {
        if !args.files.is_empty() || args.boundary.is_some() || args.trust_policy.is_some() {
            return Err(miette::miette!(
                help = "the principal's policies, boundary and trust policy come from the account",
                "policy files, `--boundary` and `--trust-policy` cannot be combined with `--authorization-details` or `--live`"
            ));
        }
        let mut principal = super::scan::account_principal(&args.account, &args.target)?;
        principal.scps = args
            .scps
            .iter()
            .map(|f| load_policy(f))
            .collect::<Result<_, _>>()?;
        principal.rcps = load_rcps(&args.rcps)?;
        return finish(
            &selected,
            &principal,
            &params,
            &user_context,
            args.format,
            &[],
        );
    }
    let files = expand_files(&args.files)?;
    if files.is_empty() {
        return Err(miette::miette!(
            help = "give the identity policy files of the principal, for example `greenlight check --profile ecs-bluegreen-codedeploy-user policy.json`",
            "no policy file given"
        ));
    }
    let principal = PrincipalPolicies {
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
        rcps: load_rcps(&args.rcps)?,
        trust: args.trust_policy.as_deref().map(load_policy).transpose()?,
        arn: None,
        account: None,
        tags: Vec::new(),
        unique_id: None,
        account_roles: Vec::new(),
    };
    if principal.trust.is_some() && selected.iter().all(|p| p.trust.is_none()) {
        eprintln!(
            "note: --trust-policy is not used: none of the selected profiles describes a role"
        );
    }
    finish(
        &selected,
        &principal,
        &params,
        &user_context,
        args.format,
        &files,
    )
}

fn check_template(
    path: &str,
    args: &Args,
    selected: &[&Profile],
    params: &BTreeMap<String, String>,
    user_context: &BTreeMap<String, Vec<String>>,
) -> miette::Result<Outcome> {
    use crate::iac::cfn::PrincipalKind;
    if args.account.given()
        || !args.files.is_empty()
        || args.boundary.is_some()
        || args.trust_policy.is_some()
    {
        return Err(miette::miette!(
            help = "the principal's policies, boundary and trust policy come from the template",
            "`--template` cannot be combined with policy files, `--boundary`, `--trust-policy`, `--authorization-details` or `--live`"
        ));
    }
    let wanted = match (&args.target.role, &args.target.user, &args.target.principal) {
        (Some(r), _, _) => (r.as_str(), PrincipalKind::Role),
        (_, Some(u), _) => (u.as_str(), PrincipalKind::User),
        _ => {
            return Err(miette::miette!(
                help = "add `--role LOGICAL_ID` (or `--user LOGICAL_ID`); `greenlight scan --template` checks every principal",
                "`--template` needs the principal to check"
            ));
        }
    };
    let region = args
        .account
        .region
        .clone()
        .or_else(|| super::template::profile_region(selected, params));
    let inputs = args.template_inputs.inputs(region.as_deref(), true)?;
    // the profiles check in the template's Region (and its partition) unless `--param
    // region=`/`partition=` says otherwise
    let mut params = params.clone();
    if let Some(r) = &region {
        params.entry("region".into()).or_insert_with(|| r.clone());
        let partition =
            crate::iac::cfn::resolve::partition_of(params.get("region").map(String::as_str));
        params
            .entry("partition".into())
            .or_insert_with(|| partition.to_string());
    }
    let params = &params;
    let scps: Vec<Policy> = args
        .scps
        .iter()
        .map(|f| load_policy(f))
        .collect::<Result<_, _>>()?;
    super::template::check(
        path,
        &inputs,
        wanted,
        selected,
        (params, user_context),
        (&scps, &load_rcps(&args.rcps)?),
        args.format,
    )
}

/// The `--rcp` files, each read as a resource control policy.
fn load_rcps(files: &[String]) -> miette::Result<Vec<Policy>> {
    files.iter().map(|f| load_policy(f)).collect()
}

/// Checks the principal against every selected profile and prints the report.
fn finish(
    selected: &[&Profile],
    principal: &PrincipalPolicies,
    params: &BTreeMap<String, String>,
    user_context: &BTreeMap<String, Vec<String>>,
    format: Format,
    files: &[String],
) -> miette::Result<Outcome> {
    let mut reports = Vec::new();
    for p in selected {
        reports.push(check::check_principal_with(
            p,
            principal,
            params,
            user_context,
        )?);
    }
    let warnings = check::policy_warnings(principal);
    note_overridden_context(&reports, user_context);
    for line in check::unproven_allows(&reports) {
        eprintln!("warning: {line}");
    }
    let files = &render::Files {
        identity: files.to_vec(),
        boundary: principal
            .boundary
            .as_ref()
            .map(|b| b.source.name.to_string()),
        scps: principal
            .scps
            .iter()
            .map(|p| p.source.name.to_string())
            .collect(),
    };
    let out = match format {
        Format::Text => render::text::render(&reports, &warnings),
        Format::Json => render::json::render(&reports, &warnings) + "\n",
        Format::Sarif => render::notes::sarif(&reports, files, &warnings),
        Format::Github => {
            crate::report::github::render(&render::notes::notes(&reports, files, &warnings))
        }
        Format::Junit => crate::report::junit::per_note(
            &render::notes::notes(&reports, files, &warnings),
            "check",
        ),
    };
    write_stdout(&out)?;
    Ok(if render::total_gaps(&reports) > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Says on stderr which `--context` keys some requirements set themselves (their value wins:
/// it describes the request the profile needs).
fn note_overridden_context(
    reports: &[check::ProfileReport],
    user_context: &BTreeMap<String, Vec<String>>,
) {
    for (k, v) in user_context {
        let overridden = reports.iter().flat_map(|r| &r.requirements).any(|q| {
            q.context
                .iter()
                .any(|(qk, qv)| qk.eq_ignore_ascii_case(k) && qv != v)
        });
        if overridden {
            eprintln!(
                "note: `--context {k}` is not used for requirements that set `{k}` themselves (the profile's value describes the request)"
            );
        }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> miette::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write the output: {e}")),
    }
}
