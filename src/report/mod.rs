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

/// The file part of a document name (`a.json#role/x/trust` → `a.json`).
pub fn file_of(name: &str) -> &str {
    name.split('#').next().unwrap_or(name)
}
