//! Output formats, one file per format: human (miette + comfy-table), json, sarif, github,
//! junit. Every command's findings are [`note::Note`]s, written by the same text, SARIF,
//! GitHub and JUnit writers; the JSON shapes are each command's own (`json.rs` is `lint`'s).
//! Every format is deterministic: findings come sorted and maps are ordered.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod note;
mod plain;
pub mod sarif;

use std::collections::{BTreeMap, HashMap};

use crate::catalog::FxBuild;

use crate::lint::run::Outcome;
use crate::lint::{Check, Finding, Severity};
use note::{Gate, Level, Note, Place, RuleTag};

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
    // (counted per severity first: a map look-up per finding compared strings)
    let mut counts = [0usize; Severity::ALL.len()];
    for f in findings {
        if let Some(i) = Severity::ALL.iter().position(|s| *s == f.severity) {
            counts[i] += 1;
        }
    }
    Severity::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| (s.as_str(), n))
        .collect()
}

/// Counts by rule code.
pub fn by_rule(findings: &[Finding]) -> BTreeMap<&'static str, usize> {
    // counted per rule (by address: a few dozen rules among thousands of findings) before the
    // map, whose look-ups compare the codes' text
    type PerRule = HashMap<*const crate::lint::Rule, (&'static str, usize), FxBuild>;
    let mut per_rule = PerRule::default();
    for f in findings {
        per_rule
            .entry(std::ptr::from_ref(f.rule))
            .or_insert((f.rule.code, 0))
            .1 += 1;
    }
    let mut m = BTreeMap::new();
    for (code, n) in per_rule.into_values() {
        *m.entry(code).or_default() += n;
    }
    m
}

/// A lint finding as a note: errors and security findings are errors, suggestions notes;
/// a finding at or above `fail_on` fails the gate, one about a document that cannot be read or
/// parsed breaks it.
pub fn lint_note(f: &Finding, fail_on: Severity) -> Note {
    let mut related = Vec::new();
    if let Some((span, label)) = &f.related {
        related.push(Place::new(f.file(), f.source.clone(), *span, label.clone()));
    }
    Note {
        code: f.rule.code,
        level: match f.severity {
            Severity::Error | Severity::Security => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Suggestion => Level::Note,
        },
        gate: if matches!(f.rule.check, Check::Parse | Check::Input) {
            Gate::Broken
        } else if f.severity >= fail_on {
            Gate::Fail
        } else {
            Gate::Pass
        },
        rule: Some(RuleTag {
            name: f.rule.name,
            severity: f.severity.as_str(),
            url: f.rule.aws_docs,
        }),
        message: f.message.clone(),
        details: Vec::new(),
        help: f.help.as_deref().map(str::to_owned),
        at: Some(Place::new(
            f.file(),
            f.source.clone(),
            f.span,
            f.label.clone(),
        )),
        related,
        // SARIF's only; [`lint_notes`] leaves it out for the other formats (a hash per finding)
        fingerprint: None,
        properties: None,
    }
}

/// Every finding of a lint run as a note.
pub fn lint_notes(outcome: &Outcome, fail_on: Severity) -> Vec<Note> {
    outcome
        .findings
        .iter()
        .map(|f| lint_note(f, fail_on))
        .collect()
}

/// `lint`'s JUnit: one test case per document.
fn lint_junit(outcome: &Outcome, fail_on: Severity) -> String {
    let notes = lint_notes(outcome, fail_on);
    let mut by_document: BTreeMap<&str, Vec<&Note>> = BTreeMap::new();
    for n in &notes {
        if let Some(at) = &n.at {
            by_document.entry(at.name.as_str()).or_default().push(n);
        }
    }
    let cases: Vec<junit::Case> = outcome
        .documents
        .iter()
        .map(|d| {
            let mine = by_document
                .get(d.name.as_str())
                .cloned()
                .unwrap_or_default();
            let failing = mine.iter().filter(|n| n.gate == Gate::Fail).count();
            junit::Case {
                name: d.name.clone(),
                notes: mine,
                summary: Some(format!("{failing} finding(s) at or above {fail_on}")),
            }
        })
        .collect();
    junit::render(&cases, "lint")
}

/// Renders the outcome in a format.
pub fn render(format: Format, outcome: &Outcome, fail_on: Severity, color: bool) -> String {
    render_parts(format, outcome, fail_on, color).concat()
}

/// [`render`] in parts, in order: a large report is written part by part, never copied into
/// one string (fresh memory for a copy costs as much as rendering it).
pub fn render_parts(
    format: Format,
    outcome: &Outcome,
    fail_on: Severity,
    color: bool,
) -> Vec<String> {
    match format {
        Format::Json => json::render_parts(outcome, fail_on),
        _ => vec![render_one(format, outcome, fail_on, color)],
    }
}

/// [`render_parts`] written to `out`: the text report as it is rendered
/// ([`human::write_to`]), the others part by part.
pub fn write_to(
    format: Format,
    outcome: &Outcome,
    fail_on: Severity,
    color: bool,
    out: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    match format {
        Format::Text => human::write_to(outcome, fail_on, color, out),
        _ => render_parts(format, outcome, fail_on, color)
            .iter()
            .try_for_each(|t| out.write_all(t.as_bytes())),
    }
}

fn render_one(format: Format, outcome: &Outcome, fail_on: Severity, color: bool) -> String {
    match format {
        Format::Text => human::render(outcome, fail_on, color),
        Format::Json => json::render(outcome, fail_on),
        Format::Sarif => {
            // each finding's note and fingerprint on every core, in chunks
            let chunks: Vec<&[Finding]> = outcome.findings.chunks(64).collect();
            let notes: Vec<Note> = crate::par::map(&chunks, |c| {
                c.iter()
                    .map(|f| {
                        let mut n = lint_note(f, fail_on);
                        n.fingerprint = Some(f.fingerprint());
                        n
                    })
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .collect();
            sarif::render(&notes, sarif::lint_rules())
        }
        Format::Github => github::render(&lint_notes(outcome, fail_on)),
        Format::Junit => lint_junit(outcome, fail_on),
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
