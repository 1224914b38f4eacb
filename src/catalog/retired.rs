//! Retired IAM names: service prefixes and actions that AWS's own managed policies (or earlier
//! catalogs) use but the shipped catalog no longer lists. Data: `data/retired-iam.json`, made
//! by `tools/retired_iam.py` with the evidence for every entry (see `data/README.md`).
//!
//! The linter reports these as warnings (`retired-service`, `retired-action`): the statement
//! grants nothing any more, but the name is not a mistake.

use std::sync::OnceLock;

use serde::Deserialize;

static DATA: &str = include_str!("../../data/retired-iam.json");

#[derive(Debug, Deserialize)]
struct Data {
    services: Vec<Service>,
    actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
pub struct Service {
    pub prefix: String,
    pub evidence: String,
}

#[derive(Debug, Deserialize)]
pub struct Action {
    pub action: String,
    pub evidence: String,
}

struct Index {
    services: Vec<Service>,
    /// Lowercase `service:action`, with the entry.
    actions: Vec<(String, Action)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // The file is part of the build and checked by a test; unreadable data means no entries
        // (the names are then reported as unknown: errors, never silently accepted).
        let data: Data = serde_json::from_str(DATA).unwrap_or(Data {
            services: Vec::new(),
            actions: Vec::new(),
        });
        Index {
            services: data.services,
            actions: data
                .actions
                .into_iter()
                .map(|a| (a.action.to_ascii_lowercase(), a))
                .collect(),
        }
    })
}

/// The retired service with this prefix (case-insensitive).
pub fn service(prefix: &str) -> Option<&'static Service> {
    index()
        .services
        .iter()
        .find(|s| s.prefix.eq_ignore_ascii_case(prefix))
}

/// The retired actions that `pattern` (`service:Name`, `*` and `?` allowed in the name)
/// matches, case-insensitively.
pub fn actions(pattern: &str) -> Vec<&'static Action> {
    let lower = pattern.to_ascii_lowercase();
    index()
        .actions
        .iter()
        .filter(|(name, _)| super::glob::glob_match(lower.as_bytes(), name.as_bytes()))
        .map(|(_, a)| a)
        .collect()
}

/// How many entries the data holds (services, actions).
pub fn counts() -> (usize, usize) {
    (index().services.len(), index().actions.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped data parses, and every entry is absent from the shipped catalog (else it
    /// is not retired) and says where it was seen.
    #[test]
    fn data_is_consistent_with_the_catalog() {
        let data: Data = serde_json::from_str(DATA).unwrap();
        assert!(data.services.len() >= 10 && data.actions.len() >= 10);
        let cat = crate::catalog::active();
        for s in &data.services {
            assert!(
                cat.service(&s.prefix).is_none(),
                "{} is in the catalog",
                s.prefix
            );
            assert!(!s.evidence.is_empty());
        }
        for a in &data.actions {
            let (svc, _) = a.action.split_once(':').unwrap();
            assert!(
                cat.service(svc).is_some(),
                "{}: service not in catalog",
                a.action
            );
            assert!(
                cat.expand(&a.action).is_empty(),
                "{} is in the catalog",
                a.action
            );
            assert!(
                a.evidence.contains("AWS managed policies")
                    || a.evidence.contains("SAM policy templates")
            );
        }
        assert!(service("DeepRacer").is_some());
        assert!(service("s3").is_none());
        assert_eq!(actions("cloudhsm:*LunaClient").len(), 4);
        assert!(actions("s3:ListBuckets").is_empty());
    }
}
