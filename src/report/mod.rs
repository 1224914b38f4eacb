//! Output formats, one file per format: human (miette + comfy-table), json, sarif, github,
//! junit. Every format is deterministic: findings come sorted and maps are ordered.

pub mod analysis;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;

use crate::lint::run::Outcome;
use crate::lint::{Finding, Severity};

/// Output format of `greenlight lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
}

/// Counts by severity, in the order error, security, warning, suggestion.
pub fn by_severity(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for s in Severity::ALL {
        m.insert(s.as_str(), 0);
    }
    for f in findings {
        *m.entry(f.severity.as_str()).or_default() += 1;
    }
    m
}

/// Counts by rule code.
pub fn by_rule(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in findings {
        *m.entry(f.rule.code).or_default() += 1;
    }
    m
}

/// Renders the outcome in a format.
pub fn render(format: Format, outcome: &Outcome, fail_on: Severity, color: bool) -> String {
    match format {
        Format::Text => human::render(outcome, fail_on, color),
        Format::Json => json::render(outcome, fail_on),
        Format::Sarif => sarif::render(outcome),
        Format::Github => github::render(outcome),
        Format::Junit => junit::render(outcome, fail_on),
    }
}

/// The longest line part (bytes before and after a span) a diagnostic shows as a snippet.
const SNIPPET_LINE_LIMIT: usize = 2_000;

/// Whether the lines around `spans` are short enough to show as a snippet: a minified
/// document (one line of megabytes) is named by file, line and column only. Rendering its line
/// once per finding would cost time and memory in proportion to the line for every finding,
/// and miette cannot pad a label past column 65,535 (it panics). Bounded work per span.
pub fn snippet_fits(text: &str, spans: &[crate::source::Span]) -> bool {
    let bytes = text.as_bytes();
    spans.iter().all(|s| {
        let (start, end) = (s.start as usize, (s.end as usize).min(bytes.len()));
        if start > end || end - start > 20 * SNIPPET_LINE_LIMIT {
            return false;
        }
        let before = &bytes[start.saturating_sub(SNIPPET_LINE_LIMIT)..start];
        let line_starts_near = start <= SNIPPET_LINE_LIMIT || before.contains(&b'\n');
        let after = &bytes[end..(end + SNIPPET_LINE_LIMIT).min(bytes.len())];
        let line_ends_near = end + SNIPPET_LINE_LIMIT >= bytes.len() || after.contains(&b'\n');
        line_starts_near && line_ends_near
    })
}

/// The file part of a document name (`a.json#role/x/trust` → `a.json`).
pub fn file_of(name: &str) -> &str {
    name.split('#').next().unwrap_or(name)
}
