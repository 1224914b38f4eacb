//! Output formats of `greenlight check`: one file per format.

pub mod json;
pub mod notes;
pub mod text;

use super::{MatchedStatement, ProfileReport};

/// The files of a checked principal, where a gap no statement causes is located: the first
/// identity policy file, or the boundary or SCP file when that is what blocks it.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub identity: Vec<String>,
    pub boundary: Option<String>,
    pub scps: Vec<String>,
}

impl Files {
    /// Identity policy files only.
    pub fn identity(files: &[String]) -> Files {
        Files {
            identity: files.to_vec(),
            ..Files::default()
        }
    }

    /// The file a missing requirement is located in: the boundary or the SCP named in the
    /// blocking sentence when one of them blocks it, else the first identity policy file.
    pub fn for_gap(&self, blocked: Option<&super::blocked::Blocked>) -> Option<&str> {
        use super::blocked::BlockedBy;
        match blocked.map(|b| (b.by, b.detail.as_str())) {
            Some((BlockedBy::Boundary, _)) if self.boundary.is_some() => self.boundary.as_deref(),
            Some((BlockedBy::Scp, detail)) if !self.scps.is_empty() => self
                .scps
                .iter()
                .find(|s| detail.contains(&format!("`{s}`")))
                .or(self.scps.first())
                .map(String::as_str),
            _ => self.identity.first().map(String::as_str),
        }
    }
}

/// Total gaps over every profile.
pub fn total_gaps(reports: &[ProfileReport]) -> usize {
    reports.iter().map(ProfileReport::gaps).sum()
}

/// `file:line` plus the Sid or statement index.
pub fn statement_label(m: &MatchedStatement) -> String {
    match &m.sid {
        Some(s) if !s.is_empty() => format!("{}:{} (Sid `{s}`)", m.policy, m.line),
        _ => format!("{}:{} (statement #{})", m.policy, m.line, m.index + 1),
    }
}
