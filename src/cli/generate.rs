//! `greenlight generate`: the minimal policy for a profile, verified before it is printed.
//!
//! With `--format json` (the default) stdout always holds exactly one JSON value (see
//! [`crate::generate::output`]); with `--format cloudformation|terraform` it holds one template
//! (see [`crate::generate::iac`]). Notes go to stderr; `--out-dir DIR` writes files instead of
//! stdout.

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, WrapErr};

use super::Outcome;
use super::check::{expand_files, load_policy, parse_params, write_stdout};
use crate::check::PrincipalPolicies;
use crate::generate::{self, MAX_POLICY_CHARS, iac, output};
use crate::profiles::{self, ParamOrigin, Profile, ResolvedParams};

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
    /// Print only what these identity policies lack (globs allowed); `TEMPLATE#LOGICAL_ID`
    /// (or `PLAN#ADDRESS`, `main.tf#ADDRESS`) names a principal of a CloudFormation/SAM/CDK
    /// template, Terraform plan or `.tf` module: its identity policies and permissions boundary
    #[arg(long, value_name = "POLICY", num_args = 1..)]
    pub missing_from: Vec<String>,
    /// Write the documents to `DIR/<profile>-<n>.json` (`n` from 1; the trust policy to
    /// `DIR/<profile>-trust.json`; with `--format cloudformation|terraform` the template to
    /// `DIR/<profile>.yaml|.tf`) instead of stdout; the directory is created if needed
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Permissions boundary of the principal (with `--missing-from`): a gap it decides exits 2
    #[arg(long, value_name = "FILE", requires = "missing_from")]
    pub boundary: Option<String>,
    /// Service control policy of the principal's account (repeatable, with `--missing-from`):
    /// a gap it decides exits 2
    #[arg(long = "scp", value_name = "FILE", requires = "missing_from")]
    pub scps: Vec<String>,
    /// Output format: the policy documents (`json`), or a CloudFormation template (YAML) or
    /// Terraform configuration holding the role with its trust policy and policies, or the
    /// managed policies
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Template parameter values and account (with `--missing-from TEMPLATE#LOGICAL_ID`)
    #[command(flatten)]
    pub template: super::template::InputArgs,
    /// The Region `AWS::Region` stands for in templates (else a placeholder)
    #[arg(long = "region", value_name = "REGION")]
    pub template_region: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Cloudformation,
    Terraform,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Cloudformation => "cloudformation",
            Format::Terraform => "terraform",
        }
    }
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let profile = profiles::get(&args.profile)?;
    let mut given = parse_params(&args.params, &[profile])?;
    // a template's Region is the profile's Region unless `--param region=` says otherwise
    if let Some(r) = &args.template_region {
        given.entry("region".into()).or_insert_with(|| r.clone());
    }
    let params = profile.resolve_params(&given, None)?;
    if args.trust && args.format != Format::Json {
        return Err(miette::miette!(
            help = "without `--trust`, the template holds the role with its trust policy",
            "`--trust` prints the trust policy as JSON; it does not combine with `--format {}`",
            args.format.name()
        ));
    }
    if args.trust {
        let text = generate::generate_trust(profile, &params)?;
        placeholder_note(&params);
        if let Some(t) = &profile.trust
            && !t.unconfirmed.is_empty()
        {
            eprintln!(
                "note: the trust policy has no condition on {}: the AWS documentation does not confirm that `{}` sends them, and a condition on a key it does not send keeps it out (the documented trust policy has none); add one once you have confirmed it (`check --trust-policy` warns of the confused deputy meanwhile)",
                t.unconfirmed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                t.service
            );
        }
        match &args.out_dir {
            Some(dir) => write_files(dir, &[(output::trust_file_name(&profile.id), text)])?,
            None => write_stdout(&output::stdout_json(&[text]))?,
        }
        return Ok(Outcome::Clean);
    }
    let mut account: Option<String> = None;
    let existing = if args.missing_from.is_empty() {
        None
    } else {
        let (plain, principals): (Vec<String>, Vec<String>) = args
            .missing_from
            .iter()
            .cloned()
            .partition(|a| super::units::split_selector(a).1.is_none());
        let files = if plain.is_empty() {
            Vec::new()
        } else {
            expand_files(&plain)?
        };
        let mut identity: Vec<crate::model::Policy> = files
            .iter()
            .map(|f| load_policy(f))
            .collect::<Result<_, _>>()?;
        let mut boundary = args.boundary.as_deref().map(load_policy).transpose()?;
        if principals.is_empty() && args.template.given() {
            return Err(miette::miette!(
                help = "name a template principal as `--missing-from TEMPLATE#LOGICAL_ID`",
                "`--template-param`, `--template-params` and `--account` apply to templates only"
            ));
        }
        for arg in &principals {
            let p = template_principal(arg, &args, params.get("region"))?;
            account = account.or(p.account.clone());
            identity.extend(p.identity);
            if let Some(b) = p.boundary {
                if boundary.is_some() {
                    return Err(miette::miette!(
                        "`{arg}` has a permissions boundary and another one is given: give one"
                    ));
                }
                boundary = Some(b);
            }
        }
        // the template's account (its `--account`, else the placeholder) is the principal's
        Some(PrincipalPolicies {
            account: account.clone(),
            identity,
            boundary,
            scps: args
                .scps
                .iter()
                .map(|f| load_policy(f))
                .collect::<Result<_, _>>()?,
            ..PrincipalPolicies::default()
        })
    };
    // A template principal's account stands for the profile's account unless `--param
    // account=` is given, as `check --template` does.
    let params = match &account {
        Some(a) if !given.contains_key("account") => profile.resolve_params(&given, Some(a))?,
        _ => params,
    };
    // what reads as allowed only because a request lacks a key AWS always sends is said, as
    // `check` says it: "nothing is missing" may not hold for the real request (red team 50)
    if let Some(p) = &existing
        && let Ok(report) = crate::check::check_resolved(profile, p, params.clone())
    {
        for line in crate::check::unproven_allows(std::slice::from_ref(&report)) {
            eprintln!("warning: {line}");
        }
    }
    let documents = match generate::generate_policy(profile, &params, existing.as_ref())? {
        None => {
            eprintln!(
                "nothing is missing: the given policies allow every requirement of `{}`{}",
                profile.id,
                if args.out_dir.is_some() {
                    "; no file written"
                } else {
                    " (stdout: `[]`, no document)"
                }
            );
            Vec::new()
        }
        Some(g) => {
            if g.documents.len() > 1 {
                eprintln!(
                    "the policy does not fit one managed policy ({MAX_POLICY_CHARS} characters without white space): split into {} documents of {} characters{}",
                    g.documents.len(),
                    g.sizes
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    match (&args.out_dir, args.format) {
                        (None, Format::Json) => "; stdout is a JSON array of the documents",
                        (_, Format::Json) => "",
                        _ => "; the template holds one policy per document",
                    }
                );
            }
            if matches!(args.format, Format::Json) {
                placeholder_note(&params);
            }
            g.documents
        }
    };
    if args.format != Format::Json {
        return write_iac(&args, profile, &params, documents, existing.is_some());
    }
    match &args.out_dir {
        Some(dir) => {
            let files: Vec<(String, String)> = documents
                .into_iter()
                .enumerate()
                .map(|(i, d)| (output::document_file_name(&profile.id, i + 1), d))
                .collect();
            write_files(dir, &files)?;
            stale_note(dir, profile, files.len());
        }
        None => write_stdout(&output::stdout_json(&documents))?,
    }
    Ok(Outcome::Clean)
}

/// `--format cloudformation|terraform`: the template on stdout or in `DIR/<profile>.yaml` /
/// `DIR/<profile>.tf`; nothing when nothing is missing.
fn write_iac(
    args: &Args,
    profile: &Profile,
    params: &ResolvedParams,
    documents: Vec<String>,
    patch: bool,
) -> miette::Result<Outcome> {
    if documents.is_empty() {
        return Ok(Outcome::Clean);
    }
    let input = iac::IacInput::new(profile, params, documents, patch)?;
    let p = &input.pseudo;
    if p.account.is_some() || p.region.is_some() || p.partition.is_some() {
        pseudo_note(params);
    } else {
        placeholder_note(params);
    }
    let (text, ext) = match args.format {
        Format::Terraform => (iac::terraform::render(&input)?, "tf"),
        _ => (iac::cloudformation::render(&input)?, "yaml"),
    };
    if patch && profile.role.is_some() {
        eprintln!(
            "note: with `--missing-from` the template holds the missing part as managed policies, attached to nothing: attach them to the role"
        );
    }
    match &args.out_dir {
        Some(dir) => write_files(dir, &[(format!("{}.{ext}", profile.id), text)])?,
        None => write_stdout(&text)?,
    }
    Ok(Outcome::Clean)
}

/// Says on stderr that the account is the documentation placeholder, and how to set it.
fn placeholder_note(params: &ResolvedParams) {
    if let Some((account, ParamOrigin::Default)) = params.values.get("account") {
        eprintln!(
            "note: no `--param account=...` given: the policy names the placeholder account `{account}` (the AWS documentation's example account); set yours with `--param account=<12-digit account ID>`"
        );
    }
}

/// `--format cloudformation|terraform`: says on stderr which example values the template writes
/// as the deploying account, Region or partition.
fn pseudo_note(params: &ResolvedParams) {
    let defaulted: Vec<String> = ["account", "region", "partition"]
        .iter()
        .filter_map(|n| match params.values.get(*n) {
            Some((v, ParamOrigin::Default)) if !v.is_empty() => Some(format!("{n} `{v}`")),
            _ => None,
        })
        .collect();
    if !defaulted.is_empty() {
        eprintln!(
            "note: no `--param` for the {}: the template writes the deploying account, Region and partition (pseudo parameters) where the profile's example values stand; set a value with `--param NAME=VALUE` to write it literally",
            defaulted.join(", ")
        );
    }
}

/// Writes each file completely or not at all (a temporary file renamed into place), then
/// names the files on stderr.
fn write_files(dir: &Path, files: &[(String, String)]) -> miette::Result<()> {
    std::fs::create_dir_all(dir)
        .into_diagnostic()
        .wrap_err_with(|| format!("cannot create the directory `{}`", dir.display()))?;
    for (name, text) in files {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(miette::miette!("cannot write `{}`: {e}", path.display()));
        }
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Warns about `<profile>-<n>.json` files beyond the ones just written (an earlier, larger
/// split): they are not part of this policy.
fn stale_note(dir: &Path, profile: &Profile, written: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut stale: Vec<(usize, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            output::document_number(&profile.id, &name)
                .filter(|n| *n > written)
                .map(|n| (n, e.path()))
        })
        .collect();
    stale.sort();
    for (_, p) in stale {
        eprintln!(
            "warning: `{}` is left from an earlier run and is not part of this policy; delete it",
            p.display()
        );
    }
}

/// The identity policies and boundary of a template principal named `FILE#LOGICAL_ID`. A
/// template whose conditions leave the principal's policies undecided is an error: name the
/// parameter values that decide them.
/// `region`: what `AWS::Region` stands for when `--region` is not given (the profile's
/// Region, so that a `Deny` on the template's own Regional resources covers its requests).
fn template_principal(
    arg: &str,
    args: &Args,
    region: Option<&str>,
) -> miette::Result<PrincipalPolicies> {
    let (path, sel) = super::units::split_selector(arg);
    let id = sel.unwrap_or_default().trim_start_matches('/');
    let inputs = args
        .template
        .inputs(args.template_region.as_deref().or(region), true)?;
    let stack = super::template::stack_of(path, id)?;
    let path = stack.as_str();
    let t = super::template::load(path, &inputs)?;
    let found: Vec<PrincipalPolicies> = t
        .variants
        .iter()
        .filter_map(|x| {
            x.principals
                .iter()
                .find(|p| p.logical_id == id)
                .map(|p| super::template::principal_policies(x, p))
        })
        .collect::<miette::Result<_>>()?;
    match found.len() {
        0 => {
            let known: Vec<String> = t
                .variants
                .iter()
                .flat_map(|x| x.principals.iter().map(|p| p.logical_id.clone()))
                .collect();
            Err(miette::miette!(
                help = format!(
                    "principals of the template: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
                "`{id}` is not a principal of `{path}`"
            ))
        }
        1 => Ok(found.into_iter().next().unwrap_or_default()),
        _ => Err(miette::miette!(
            help = "give the parameter values that decide them with `--template-param NAME=VALUE`",
            "the conditions of `{path}` leave the policies of `{id}` undecided: the missing part differs between them"
        )),
    }
}
