//! `greenlight catalog info|update`, and the `--catalog` choice every command shares.

use std::io::Write;
use std::path::Path;

use miette::IntoDiagnostic;

use super::Outcome;
use crate::catalog::{self, Catalog, CatalogError, Origin, update};

/// Output format of `catalog info`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Show which catalog is in use, where its data came from, its date and counts
    Info {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Refresh the catalog from AWS's Service Authorization Reference into the user cache
    ///
    /// Downloads the service list and every service's JSON document, keeps the fields AWS's
    /// JSON lacks (descriptions, Required markers, global condition keys, RCP list) from the
    /// embedded data, and replaces the cache only when everything downloaded and parsed.
    Update {
        /// The service list: a JSON array of {"service", "url"}
        #[arg(long = "index-url", visible_alias = "url", value_name = "URL", default_value = update::DEFAULT_INDEX_URL)]
        index_url: String,
        /// Parallel downloads
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=16))]
        jobs: u16,
    },
}

pub fn run(args: Args) -> miette::Result<Outcome> {
    match args.command {
        Sub::Info { format } => info(format),
        Sub::Update { index_url, jobs } => refresh(index_url, usize::from(jobs)),
    }
}

/// Chooses the process-wide catalog before any command runs: `--catalog PATH` when given
/// (an error if it cannot be loaded), otherwise the user cache when it is newer than the
/// embedded data, otherwise the embedded data. A damaged cache is reported and ignored.
pub fn activate(path: Option<&Path>) -> miette::Result<()> {
    let chosen = match path {
        Some(p) => Catalog::load(p)?,
        None => match update::open_cache() {
            Ok(Some(c)) if update::is_newer(&c, Catalog::embedded()) && c.damage().is_none() => c,
            Ok(Some(c)) if c.damage().is_some() => {
                eprintln!(
                    "warning: ignoring the catalog cache: {}",
                    c.damage().unwrap_or_default()
                );
                return Ok(());
            }
            Ok(_) | Err(CatalogError::NoCacheDir) => return Ok(()),
            Err(e) => {
                eprintln!("warning: ignoring the catalog cache: {e}");
                return Ok(());
            }
        },
    };
    let _ = catalog::set_active(chosen);
    Ok(())
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn info(format: Format) -> miette::Result<Outcome> {
    let cat = catalog::active();
    let p = cat.provenance();
    let c = cat.counts();
    let cache = update::cache_file().ok();
    let cache_state = match (&cache, update::load_cache()) {
        (None, _) => "no cache directory".to_owned(),
        (Some(_), Ok(None)) => "absent".to_owned(),
        (Some(_), Ok(Some(k))) => {
            let date = k.provenance().data_updated_at.unwrap_or_default();
            if matches!(cat.origin(), Origin::Cache(_)) {
                format!("data of {date}, in use")
            } else if update::is_newer(&k, Catalog::embedded()) {
                format!("data of {date}, not in use (--catalog given)")
            } else {
                format!("data of {date}, not in use (older than the embedded data)")
            }
        }
        (Some(_), Err(e)) => format!("unusable: {e}"),
    };
    let active = match cat.origin() {
        Origin::Embedded => "embedded".to_owned(),
        Origin::Cache(p) => format!("cache ({})", p.display()),
        Origin::Path(p) => format!("--catalog ({})", p.display()),
        Origin::Memory => "memory".to_owned(),
    };
    let out = match format {
        Format::Json => {
            let v = serde_json::json!({
                "active": match cat.origin() {
                    Origin::Embedded => "embedded",
                    Origin::Cache(_) => "cache",
                    Origin::Path(_) => "path",
                    Origin::Memory => "memory",
                },
                "path": match cat.origin() {
                    Origin::Cache(p) | Origin::Path(p) => Some(p.display().to_string()),
                    _ => None,
                },
                "source": p,
                "counts": c,
                "rcpSupportedServices": cat.rcp_supported_services().len(),
                "cache": {
                    "path": cache.as_ref().map(|p| p.display().to_string()),
                    "state": cache_state,
                },
            });
            serde_json::to_string_pretty(&v).into_diagnostic()? + "\n"
        }
        Format::Text => {
            let mut s = String::new();
            let mut line = |k: &str, v: &str| s.push_str(&format!("{k:<22}{v}\n"));
            line("active catalog:", &active);
            let mut source = [p.package.as_deref(), p.package_version.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(l) = &p.license {
                source.push_str(&format!(" ({l})"));
            }
            line("source:", &source);
            if let Some(u) = &p.fetched_from {
                line("fetched from:", u);
            }
            line(
                "data date:",
                p.data_updated_at.as_deref().unwrap_or("unknown"),
            );
            if let Some(n) = &p.note {
                line("note:", n);
            }
            line("services:", &thousands(c.services));
            line("actions:", &thousands(c.actions));
            line("resource types:", &thousands(c.resource_types));
            line(
                "condition keys:",
                &format!(
                    "{} listed by services, {} global",
                    thousands(c.service_condition_keys),
                    thousands(c.global_condition_keys)
                ),
            );
            line(
                "RCP services:",
                &thousands(cat.rcp_supported_services().len()),
            );
            let cache_line = match &cache {
                Some(path) => format!("{} ({cache_state})", path.display()),
                None => cache_state,
            };
            line("user cache:", &cache_line);
            s
        }
    };
    write_stdout(&out)?;
    Ok(Outcome::Clean)
}

fn refresh(index_url: String, jobs: usize) -> miette::Result<Outcome> {
    use std::io::IsTerminal;
    let target = update::cache_file()?;
    let opts = update::UpdateOptions {
        index_url,
        target: target.clone(),
        progress: std::io::stderr().is_terminal(),
        jobs,
    };
    eprintln!("downloading the service list from {}", opts.index_url);
    let cat = update::update(&opts)?;
    let c = cat.counts();
    let embedded = Catalog::embedded().counts();
    let mut out = format!(
        "updated {}: {} services, {} actions, {} resource types, {} condition keys\n",
        target.display(),
        thousands(c.services),
        thousands(c.actions),
        thousands(c.resource_types),
        thousands(c.service_condition_keys),
    );
    out.push_str(
        "descriptions, Required markers, display names, global condition keys and the RCP list \
         were kept from the embedded data (AWS's JSON does not carry them)\n",
    );
    write_stdout(&out)?;
    if c.services * 2 < embedded.services {
        eprintln!(
            "warning: the refreshed catalog has far fewer services than the embedded one ({}); \
             pass `--catalog` or delete {} to go back",
            thousands(embedded.services),
            target.display()
        );
    }
    Ok(Outcome::Clean)
}

/// Writes to stdout; a closed pipe is not an error.
pub(crate) fn write_stdout(s: &str) -> miette::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).into_diagnostic(),
        _ => Ok(()),
    }
}
