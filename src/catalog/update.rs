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
