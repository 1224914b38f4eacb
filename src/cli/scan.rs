//! `greenlight scan`: every user and role of an account against profiles, plus the account
//! source flags (`--authorization-details`, `--live` and the AWS connection flags) that `check`
//! shares.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::sync::Arc;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::Outcome;
use crate::profiles::{self, Profile};
use crate::sources::scan::{BlockedGap, ScanEntry, ScanReport};
use crate::sources::{Account, PrincipalError, Selection, authz};

/// Where the account comes from. Shared by `scan` and `check`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SourceArgs {
    /// Output of `aws iam get-account-authorization-details` (CLI or raw API form; `.gz` ok)
    #[arg(long, value_name = "FILE", conflicts_with = "live")]
    pub authorization_details: Option<PathBuf>,
    /// Read the account through the AWS API (standard credential chain)
    #[arg(long)]
    pub live: bool,
    /// Profile of the AWS config and credentials files for `--live` (`--profile` names
    /// greenlight profiles)
    #[arg(long, value_name = "NAME", requires = "live")]
    pub aws_profile: Option<String>,
    /// AWS Region for `--live` (IAM is global; default from the AWS config, else us-east-1);
    /// with `--template`, the Region `AWS::Region` stands for
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// IAM endpoint for `--live` (also read from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_IAM)
    #[arg(long, value_name = "URL", requires = "live")]
    pub endpoint_url: Option<String>,
    /// Time limit in seconds for one attempt of one AWS call in `--live` mode
    #[arg(long, value_name = "SECONDS", default_value_t = 20, requires = "live")]
    pub timeout: u64,
}

impl SourceArgs {
    pub fn given(&self) -> bool {
        self.live || self.authorization_details.is_some()
    }
}

/// The account text plus what could not be read.
pub struct Loaded {
    pub name: String,
    pub text: String,
    /// The text was assembled from API responses, not read from a file.
    pub assembled: bool,
    pub unreadable: Vec<PrincipalError>,
}

impl Loaded {
    pub fn account(&self) -> miette::Result<Account<'_>> {
        Ok(if self.assembled {
            Account::parse_assembled(&self.name, &self.text)?
        } else {
            Account::parse(&self.name, &self.text)?
        })
    }
}

/// Reads the account from a file or the API.
pub fn load(args: &SourceArgs, selection: Selection) -> miette::Result<Loaded> {
    if let Some(path) = &args.authorization_details {
        return Ok(Loaded {
            name: path.display().to_string(),
            text: authz::read_file(path)?,
            assembled: false,
            unreadable: Vec::new(),
        });
    }
    if args.live {
        return load_live(args, selection);
    }
    Err(miette::miette!(
        help = "pass `--authorization-details FILE` (from `aws iam get-account-authorization-details`) or `--live`",
        "no account source given"
    ))
}

#[cfg(feature = "live")]
fn load_live(args: &SourceArgs, selection: Selection) -> miette::Result<Loaded> {
    use crate::sources::live;
    let options = live::LiveOptions {
        aws_profile: args.aws_profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        attempt_timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        selection,
    };
    let acct = live::fetch(&options)?;
    if acct.fallback {
        let _ = writeln!(
            std::io::stderr(),
            "note: `iam:GetAccountAuthorizationDetails` was denied; read the account with the per-principal IAM APIs instead"
        );
    }
    Ok(Loaded {
        name: "live account".into(),
        text: acct.text,
        assembled: true,
        unreadable: acct.incomplete,
    })
}

#[cfg(not(feature = "live"))]
fn load_live(_args: &SourceArgs, _selection: Selection) -> miette::Result<Loaded> {
    Err(miette::miette!(
        help = "build greenlight with the default cargo feature `live`, or export the account with `aws iam get-account-authorization-details` and pass `--authorization-details FILE`",
        "this build of greenlight has no live mode"
    ))
}

/// Which principal of the account `check` reads.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(group(clap::ArgGroup::new("target").args(["user", "role", "principal"])))]
pub struct TargetArgs {
    /// The IAM user to check (with `--authorization-details` or `--live`)
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// The IAM role to check (with `--authorization-details` or `--live`)
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,
    /// The user or role to check, by ARN (with `--authorization-details` or `--live`)
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
}

impl TargetArgs {
    pub fn given(&self) -> bool {
        self.user.is_some() || self.role.is_some() || self.principal.is_some()
    }
}

/// Reads one principal of an account and resolves its policies, for `check`.
pub fn account_principal(
    source: &SourceArgs,
    target: &TargetArgs,
) -> miette::Result<crate::check::PrincipalPolicies> {
    if !source.given() {
        return Err(miette::miette!(
            help = "add `--authorization-details FILE` or `--live`",
            "`--user`, `--role` and `--principal` need an account source"
        ));
    }
    let (selection, wanted, shown) = match (&target.user, &target.role, &target.principal) {
        (Some(u), _, _) => (Selection::Users, Want::Name(u), format!("user `{u}`")),
        (_, Some(r), _) => (Selection::Roles, Want::Name(r), format!("role `{r}`")),
        (_, _, Some(arn)) => {
            let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
            let selection = if resource.starts_with("user/") {
                Selection::Users
            } else if resource.starts_with("role/") {
                Selection::Roles
            } else {
                return Err(miette::miette!(
                    help = "give a user or role ARN, such as `arn:aws:iam::111122223333:role/ecsCodeDeployRole`",
                    "`{arn}` is not an IAM user or role ARN"
                ));
            };
            (selection, Want::Arn(arn), format!("principal `{arn}`"))
        }
        _ => {
            return Err(miette::miette!(
                help = "add `--user NAME`, `--role NAME` or `--principal ARN`",
                "an account source needs the principal to check"
            ));
        }
    };
    let matches = |id: &crate::sources::PrincipalId| match wanted {
        Want::Name(n) => id.name == n,
        Want::Arn(a) => id.arn == a,
    };
    let loaded = load(source, selection)?;
    if let Some(e) = loaded.unreadable.iter().find(|e| matches(&e.principal)) {
        return Err(e.clone().into());
    }
    let account = loaded.account()?;
    let ids = account.principals(selection);
    let Some(id) = ids.iter().find(|id| matches(id)) else {
        return Err(miette::miette!(
            help = "names are case-sensitive here; `greenlight scan` lists every principal",
            "{shown} is not in `{}`",
            loaded.name
        ));
    };
    let resolver = crate::sources::Resolver::new(&account, std::slice::from_ref(id));
    let resolved = resolver.resolve(id)?;
    let mut policies = crate::sources::scan::principal_policies(&resolved);
    // (the profile's role parameters name the account's roles, paths included)
    policies.account_roles = account
        .principals(Selection::Roles)
        .into_iter()
        .map(|id| id.arn)
        .collect();
    Ok(policies)
}

enum Want<'a> {
    Name(&'a str),
    Arn(&'a str),
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["authorization_details", "live", "template"])))]
pub struct Args {
    /// Scan the roles and users of a CloudFormation/SAM/CDK template or Terraform plan instead
    /// of an account, or of every template and plan under a directory
    #[arg(long, value_name = "FILE|DIR")]
    pub template: Option<String>,
    #[command(flatten)]
    pub template_inputs: super::template::InputArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Profile to scan against (repeatable; see `greenlight profiles`)
    #[arg(long = "profile", value_name = "ID", required = true)]
    pub profiles: Vec<String>,
    /// Scan users only
    #[arg(long, conflicts_with = "roles")]
    pub users: bool,
    /// Scan roles only
    #[arg(long)]
    pub roles: bool,
    /// List only principals that hold everything the profile requires
    #[arg(long, conflicts_with = "only_gaps")]
    pub only_complete: bool,
    /// List only principals with gaps
    #[arg(long)]
    pub only_gaps: bool,
    /// Profile parameter (repeatable), such as `cluster=prod`
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Service control policy that applies to the scanned account (repeatable; all at one
    /// level: one must allow and none may deny, as `check --scp`)
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<String>,
    /// Resource control policy of the account that owns the profiles' resources (repeatable,
    /// as `check --rcp`)
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    let selected: Vec<&Profile> = args
        .profiles
        .iter()
        .map(|id| profiles::get(id))
        .collect::<Result<_, _>>()?;
    let params = super::check::parse_params(&args.params, &selected)?;
    let load_all = |files: &[String]| -> miette::Result<Vec<crate::model::Policy>> {
        files.iter().map(|f| super::check::load_policy(f)).collect()
    };
    let (scps, rcps) = (load_all(&args.scps)?, load_all(&args.rcps)?);
    let org = crate::sources::scan::Org {
        scps: &scps,
        rcps: &rcps,
    };
    if let Some(path) = &args.template {
        // a directory holds templates that declare different parameters
        let strict = !std::path::Path::new(path).is_dir();
        let region = args
            .source
            .region
            .clone()
            .or_else(|| super::template::profile_region(&selected, &params));
        let inputs = args.template_inputs.inputs(region.as_deref(), strict)?;
        let mut params = params.clone();
        if let Some(r) = &region {
            params.entry("region".into()).or_insert_with(|| r.clone());
            let partition =
                crate::iac::cfn::resolve::partition_of(params.get("region").map(String::as_str));
            params
                .entry("partition".into())
                .or_insert_with(|| partition.to_string());
        }
        return super::template::scan(
            path,
            &inputs,
            &selected,
            &params,
            args.format == Format::Json,
            org,
        );
    }
    if args.source.region.is_some() && !args.source.live {
        return Err(miette::miette!("`--region` needs `--live` or `--template`"));
    }
    if args.template_inputs.given() {
        return Err(miette::miette!(
            "`--template-param`, `--template-params` and `--account` need `--template`"
        ));
    }
    let selection = if args.users {
        Selection::Users
    } else if args.roles {
        Selection::Roles
    } else {
        Selection::All
    };
    let loaded = load(&args.source, selection)?;
    let account = loaded.account()?;
    let principals = account.principals(selection);
    let total = principals.len();
    let bar = (total >= 200 && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} principals {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let progress = |_n: usize| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let mut report = crate::sources::scan::scan_in_org(
        &account,
        &principals,
        &loaded.unreadable,
        &selected,
        &params,
        &progress,
        true,
        org,
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if report.entries.is_empty() {
        return Err(miette::miette!(
            help = "a role profile applies to roles only; check `--users`/`--roles` and the account data",
            "nothing to scan: no principal of {} matches the selection and the profiles",
            loaded.name
        ));
    }
    report.entries.sort_by(|a, b| {
        (
            a.principal.kind,
            &a.principal.arn,
            profile_pos(&selected, &a.profile),
        )
            .cmp(&(
                b.principal.kind,
                &b.principal.arn,
                profile_pos(&selected, &b.profile),
            ))
    });
    let shown: Vec<&ScanEntry> = report
        .entries
        .iter()
        .filter(|e| match &e.result {
            Err(_) => true,
            Ok(g) if args.only_complete => g.gaps == 0,
            Ok(g) if args.only_gaps => g.gaps > 0,
            Ok(_) => true,
        })
        .collect();
    // what `check` warns about: an allowed requirement whose decision skipped a condition on
    // a key AWS always sends
    for e in &report.entries {
        if let Ok(g) = &e.result {
            match &g.others {
                Some(o) if o.can == Some(true) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "warning: {} ({}): principals other than `{}` can assume the role, {}",
                        e.principal.arn,
                        e.profile,
                        o.service,
                        o.detail
                    );
                }
                Some(o) if o.can.is_none() => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "warning: {} ({}): whether principals other than `{}` can assume the role is unknown: {}",
                        e.principal.arn,
                        e.profile,
                        o.service,
                        o.detail
                    );
                }
                _ => {}
            }
            for line in &g.unproven {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {} ({}): {line}; a condition on it may deny the real request (`check --context` gives it)",
                    e.principal.arn,
                    e.profile
                );
            }
        }
    }
    match args.format {
        Format::Json => write_json(&report, &shown, &loaded.name, &selected)?,
        Format::Csv => super::check::write_stdout(&to_csv(&shown))?,
        Format::Text => super::check::write_stdout(&to_text(&report, &shown))?,
    }
    let indeterminate = report.entries.iter().filter(|e| e.result.is_err()).count();
    if indeterminate > 0 {
        let mut seen = std::collections::BTreeSet::new();
        for e in &report.entries {
            if let Err(msg) = &e.result
                && seen.insert(msg.clone())
            {
                let _ = writeln!(std::io::stderr(), "error: {msg}");
            }
        }
        return Err(miette::miette!(
            help = "the other principals were checked; fix access or the data and scan again",
            "{} of {} results are indeterminate: the scan is incomplete",
            indeterminate,
            report.entries.len()
        ));
    }
    Ok(if report.entries.iter().any(|e| !e.is_complete()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn profile_pos(selected: &[&Profile], id: &str) -> usize {
    selected
        .iter()
        .position(|p| p.id == id)
        .unwrap_or(usize::MAX)
}

fn status(e: &ScanEntry) -> &'static str {
    match &e.result {
        Ok(g) if g.gaps == 0 => "complete",
        Ok(_) => "gaps",
        Err(_) => "indeterminate",
    }
}

#[derive(serde::Serialize)]
struct JsonEntry<'a> {
    arn: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    profile: &'a str,
    status: &'static str,
    /// `null` when indeterminate.
    gaps: Option<usize>,
    #[serde(serialize_with = "names")]
    missing: &'a [Arc<str>],
    #[serde(serialize_with = "names")]
    denied: &'a [Arc<str>],
    /// The trust policy is open (`check`'s `trust.open`); only present when it is.
    #[serde(rename = "trustOpen", skip_serializing_if = "std::ops::Not::not")]
    trust_open: bool,
    /// For a role without gaps: whether principals other than the profile's service can
    /// assume it (`check`'s `othersCanAssume`; `null` when not decided); absent otherwise.
    #[serde(rename = "othersCanAssume", skip_serializing_if = "Option::is_none")]
    others_can_assume: Option<Option<bool>>,
    /// What blocks each missing or denied action, as `check` says it.
    blocked: Vec<JsonBlocked<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonBlocked<'a> {
    action: &'a str,
    blocked_by: &'static str,
    blocked_by_detail: &'a str,
}

fn json_blocked(list: &[BlockedGap]) -> Vec<JsonBlocked<'_>> {
    list.iter()
        .map(|b| JsonBlocked {
            action: &b.action,
            blocked_by: b.by.as_str(),
            blocked_by_detail: &b.detail,
        })
        .collect()
}

/// `action (blockedBy)`, for the text and CSV lists.
fn with_reason(list: &[Arc<str>], blocked: &[BlockedGap]) -> Vec<Arc<str>> {
    list.iter()
        .map(|a| match blocked.iter().find(|b| b.action == *a) {
            Some(b) => Arc::from(format!("{a} ({})", b.by.as_str())),
            None => a.clone(),
        })
        .collect()
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSummary<'a> {
    source: &'a str,
    profiles: Vec<&'a str>,
    principals: usize,
    results: usize,
    complete: usize,
    with_gaps: usize,
    indeterminate: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    aws_managed_policies_from_corpus: Option<JsonCorpus<'a>>,
}

#[derive(serde::Serialize)]
struct JsonCorpus<'a> {
    corpus: String,
    policies: &'a BTreeMap<String, String>,
}

#[derive(serde::Serialize)]
struct JsonScan<'a> {
    principals: Vec<JsonEntry<'a>>,
    summary: JsonSummary<'a>,
}

fn names<S: serde::Serializer>(list: &&[Arc<str>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|a| &**a))
}

/// Writes the JSON report to stdout as it is serialised (no second copy of a large report);
/// a closed pipe is not an error.
fn write_json(
    report: &ScanReport,
    shown: &[&ScanEntry],
    source: &str,
    selected: &[&Profile],
) -> miette::Result<()> {
    const NONE: &[Arc<str>] = &[];
    let principals = shown
        .iter()
        .map(|e| {
            let (gaps, missing, denied, blocked, error) = match &e.result {
                Ok(g) => (
                    Some(g.gaps),
                    &g.missing[..],
                    &g.denied[..],
                    json_blocked(&g.blocked),
                    None,
                ),
                Err(m) => (None, NONE, NONE, Vec::new(), Some(m.as_str())),
            };
            let trust_open = e.result.as_ref().is_ok_and(|g| g.trust_open);
            let others_can_assume = e
                .result
                .as_ref()
                .ok()
                .and_then(|g| g.others.as_ref())
                .map(|o| o.can);
            JsonEntry {
                trust_open,
                others_can_assume,
                arn: &e.principal.arn,
                name: &e.principal.name,
                kind: e.principal.kind.as_str(),
                profile: &e.profile,
                status: status(e),
                gaps,
                missing,
                denied,
                blocked,
                error,
            }
        })
        .collect();
    let count = |s: &str| report.entries.iter().filter(|e| status(e) == s).count();
    let mut arns: Vec<&str> = report
        .entries
        .iter()
        .map(|e| e.principal.arn.as_str())
        .collect();
    arns.sort_unstable();
    arns.dedup();
    let summary = JsonSummary {
        source,
        profiles: selected.iter().map(|p| p.id.as_str()).collect(),
        principals: arns.len(),
        results: report.entries.len(),
        complete: count("complete"),
        with_gaps: count("gaps"),
        indeterminate: count("indeterminate"),
        aws_managed_policies_from_corpus: (!report.corpus_policies.is_empty()).then(|| {
            JsonCorpus {
                corpus: crate::sources::managed::corpus()
                    .map(|c| c.origin.clone())
                    .unwrap_or_default(),
                policies: &report.corpus_policies,
            }
        }),
    };
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(
        &mut w,
        &JsonScan {
            principals,
            summary,
        },
    )
    .map_err(std::io::Error::from)
    .and_then(|()| w.write_all(b"\n"))
    .and_then(|()| w.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write the output: {e}")),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn to_csv(shown: &[&ScanEntry]) -> String {
    let mut out =
        String::from("arn,name,type,profile,status,gaps,missing,denied,error,blocked_by\n");
    for e in shown {
        let (gaps, missing, denied, error, blocked) = match &e.result {
            Ok(g) => (
                g.gaps.to_string(),
                g.missing.join(" "),
                g.denied.join(" "),
                String::new(),
                g.blocked
                    .iter()
                    .map(|b| format!("{}={}", b.action, b.by.as_str()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Err(m) => (
                String::new(),
                String::new(),
                String::new(),
                m.clone(),
                String::new(),
            ),
        };
        let row = [
            e.principal.arn.as_str(),
            &e.principal.name,
            e.principal.kind.as_str(),
            &e.profile,
            status(e),
            &gaps,
            &missing,
            &denied,
            &error,
            &blocked,
        ];
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn abbreviate(list: &[Arc<str>]) -> String {
    const SHOW: usize = 3;
    if list.len() <= SHOW {
        list.join(", ")
    } else {
        format!("{}, +{} more", list[..SHOW].join(", "), list.len() - SHOW)
    }
}

fn to_text(report: &ScanReport, shown: &[&ScanEntry]) -> String {
    let mut rows: Vec<&&ScanEntry> = shown.iter().collect();
    rows.sort_by_key(|e| {
        let rank = match &e.result {
            Ok(g) => (0, g.gaps),
            Err(_) => (1, 0),
        };
        (
            rank,
            e.principal.kind,
            e.principal.arn.clone(),
            e.profile.clone(),
        )
    });
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["principal", "type", "profile", "gaps", "missing", "denied"]);
    for e in &rows {
        let (gaps, missing, denied) = match &e.result {
            Ok(g) => (
                g.gaps.to_string(),
                abbreviate(&with_reason(&g.missing, &g.blocked)),
                abbreviate(&with_reason(&g.denied, &g.blocked)),
            ),
            Err(_) => ("error".to_string(), String::new(), String::new()),
        };
        table.add_row([
            e.principal.name.as_str(),
            e.principal.kind.as_str(),
            &e.profile,
            &gaps,
            &missing,
            &denied,
        ]);
    }
    let count = |f: &dyn Fn(&ScanEntry) -> bool| report.entries.iter().filter(|e| f(e)).count();
    let complete = count(&|e| e.is_complete());
    let gaps = count(&|e| matches!(&e.result, Ok(g) if g.gaps > 0));
    let bad = count(&|e| e.result.is_err());
    let mut out = String::new();
    if !rows.is_empty() {
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} results: {complete} complete, {gaps} with gaps, {bad} indeterminate\n",
        report.entries.len()
    ));
    if !report.corpus_policies.is_empty() {
        let origin = crate::sources::managed::corpus()
            .map(|c| c.origin.clone())
            .unwrap_or_default();
        out.push_str(&format!(
            "{} AWS managed policies were not in the account data and came from the shipped corpus ({origin})\n",
            report.corpus_policies.len()
        ));
    }
    out
}
