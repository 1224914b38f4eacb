//! Output formats of `greenlight check`: one file per format.

pub mod json;
pub mod notes;
pub mod sarif;
pub mod text;

use super::{MatchedStatement, ProfileReport};

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
