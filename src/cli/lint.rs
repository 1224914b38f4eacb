//! `greenlight lint`: raw flags → validated [`Options`] → run → output and exit code.

use std::io::{IsTerminal, Write};

use miette::{IntoDiagnostic, miette};

use super::Outcome;
use crate::lint::baseline::Baseline;
use crate::lint::config::Config;
use crate::lint::run::{self, Options};
use crate::lint::{PolicyType, Severity, input};
use crate::report::{self, Format};

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum PolicyTypeArg {
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SeverityArg {
    Error,
    Security,
    Warning,
    Suggestion,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Policy files, CloudFormation/SAM/CDK templates and Terraform plans (JSON or YAML),
    /// directories (walked: JSON, YAML, `.template` and `.tf` files are sniffed, files that hold
    /// no policy are skipped), globs, or `-` for stdin
    #[arg(value_name = "PATH|GLOB", default_value = ".")]
    pub paths: Vec<String>,
    /// Policy type of every document (default: detected from each document's shape)
    #[arg(long, value_enum)]
    pub policy_type: Option<PolicyTypeArg>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Lowest severity that fails the run (exit 1)
    #[arg(long, value_enum, default_value = "security")]
    pub fail_on: SeverityArg,
    /// Configuration file (JSON): rule selection, severity overrides, per-path ignores
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Accept the findings listed in this baseline file; fail only on new ones
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Write the fingerprints of every current finding to this baseline file
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<String>,
    /// Treat all identity policies and boundaries given as attached to one principal (for
    /// privilege-escalation combinations across files)
    #[arg(long)]
    pub one_principal: bool,
    /// CloudFormation templates: parameter values and account
    #[command(flatten)]
    pub template: super::template::InputArgs,
    /// The Region `AWS::Region` stands for in templates (else a placeholder)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Walk directories without `.gitignore`/`.ignore` rules and into hidden files,
    /// `node_modules` (never `.git`)
    #[arg(long)]
    pub no_ignore: bool,
    /// List the files skipped because they hold no policy (on standard error)
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// greenlight's own files named on the command line (configuration, baselines): a directory
/// walk never lints them.
fn own_files(args: &Args) -> Vec<std::path::PathBuf> {
    [&args.config, &args.baseline, &args.write_baseline]
        .into_iter()
        .flatten()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect()
}

/// Terraform instances of one block (`count`/`for_each`, a module called several times) are
/// documents of their own, each finding naming its instance; when several instances give the
/// same finding — the same rule and message at the same place of the same `.tf` file — it is
/// reported once (the first instance), as a linter reports one finding per place and rule.
fn collapse_instances(findings: &mut Vec<crate::lint::Finding>) {
    let mut seen = std::collections::HashSet::new();
    // (the findings of one document share its name: whether it is a Terraform instance is
    // decided once per name, not once per finding)
    let mut last: Option<(std::sync::Arc<str>, bool)> = None;
    findings.retain(|f| {
        let instance = match &last {
            Some((name, instance)) if std::sync::Arc::ptr_eq(name, &f.source.name) => *instance,
            _ => {
                let instance = f
                    .source
                    .name
                    .split_once('#')
                    .is_some_and(|(file, _)| crate::iac::terraform::hcl::is_config_name(file));
                last = Some((f.source.name.clone(), instance));
                instance
            }
        };
        if !instance {
            return true;
        }
        let Some((file, _)) = f.source.name.split_once('#') else {
            return true;
        };
        seen.insert((
            file.to_string(),
            f.span.start,
            f.span.end,
            f.rule.code,
            f.message.clone(),
        ))
    });
}

fn read(path: &str, what: &str) -> miette::Result<String> {
    std::fs::read_to_string(path).map_err(|e| miette!("cannot read the {what} `{path}`: {e}"))
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let policy_type = args.policy_type.map(|t| match t {
        PolicyTypeArg::Identity => PolicyType::Identity,
        PolicyTypeArg::Resource => PolicyType::Resource,
        PolicyTypeArg::Trust => PolicyType::Trust,
        PolicyTypeArg::Scp => PolicyType::Scp,
        PolicyTypeArg::Rcp => PolicyType::Rcp,
        PolicyTypeArg::Boundary => PolicyType::Boundary,
    });
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Junit => Format::Junit,
    };
    let fail_on = match args.fail_on {
        SeverityArg::Error => Severity::Error,
        SeverityArg::Security => Severity::Security,
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Suggestion => Severity::Suggestion,
    };
    let config = match &args.config {
        Some(p) => Config::parse(&read(p, "configuration file")?)
            .map_err(|e| miette!("invalid configuration file `{p}`: {e}"))?
            .relative_to(std::path::Path::new(p)),
        None => Config::default(),
    };
    let baseline = match &args.baseline {
        Some(p) => Some(
            Baseline::parse(&read(p, "baseline file")?)
                .map_err(|e| miette!("invalid baseline file `{p}`: {e}"))?,
        ),
        None => None,
    };
    let opts = Options {
        inputs: Vec::new(),
        policy_type,
        config,
        baseline: None,
        one_principal: args.one_principal,
        threads: 0,
        template: args.template.inputs(args.region.as_deref(), false)?,
    };
    let walk_opts = crate::discover::WalkOptions {
        no_ignore: args.no_ignore,
        exclude: own_files(&args),
    };
    let mut outcome = run::run_streamed(&opts, |sink| {
        // the rules' one-time tables built on a spare core while the walk reads the first
        // directory (a thread left to finish on its own: it only fills caches), started by
        // the walk's own thread so that the walk starts first; the inputs are then linted as
        // the walk finds them
        if crate::par::cores() > 1 {
            std::thread::spawn(run::warm_up);
        }
        input::expand_each(&args.paths, &walk_opts, sink);
    });
    collapse_instances(&mut outcome.findings);
    if let Some(p) = &args.write_baseline {
        std::fs::write(p, Baseline::of(&outcome.findings).to_json())
            .map_err(|e| miette!("cannot write the baseline file `{p}`: {e}"))?;
    }
    if let Some(b) = &baseline {
        outcome.baselined = b.filter(&mut outcome.findings);
    }
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // (not locked here: the text report is written by the threads that render it)
    let mut stdout = std::io::stdout();
    match report::write_to(format, &outcome, fail_on, color, &mut stdout)
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).into_diagnostic(),
    }
    if args.verbose {
        let mut err = std::io::stderr().lock();
        for (file, why) in &outcome.skipped {
            let _ = writeln!(err, "skipped {file}: {why}");
        }
    }
    let failed = outcome.documents.iter().filter(|d| d.failed).count();
    if failed > 0 {
        return Err(miette!(
            "{failed} input{} could not be read or parsed",
            if failed == 1 { "" } else { "s" }
        ));
    }
    // (a `.tf` folder that only attaches AWS managed policies has findings but no document)
    if outcome.documents.is_empty() && outcome.findings.is_empty() {
        return Err(miette!(
            help = "greenlight reads IAM policy documents, CloudFormation, SAM and CDK templates, Terraform plans and `.tf` files, and authorization-details files; `--verbose` lists the skipped files",
            "no policy found: {} file{} skipped, none holds a policy",
            outcome.skipped.len(),
            if outcome.skipped.len() == 1 { "" } else { "s" }
        ));
    }
    let result = if outcome.findings.iter().any(|f| f.severity >= fail_on) {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    // The process ends here: leave the (large) results to the operating system instead of
    // freeing them one by one.
    std::mem::forget((outcome, opts));
    Ok(result)
}
