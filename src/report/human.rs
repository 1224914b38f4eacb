//! The text style of every command: one miette diagnostic per note with its place
//! underlined; and `lint`'s summary table by rule.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::note::{Note, Place};
use crate::lint::run::Outcome;
use crate::lint::{Finding, Severity};
use crate::source::{Source, Span};

struct Diag<'a> {
    note: &'a Note,
    named: Option<NamedSource<Source>>,
}

impl std::fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.note.message)
    }
}

impl std::fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.note.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(match &self.note.rule {
            Some(r) => Box::new(format!("{}({}) {}", self.note.code, r.name, r.severity)),
            None => Box::new(self.note.code),
        })
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.note.level.miette())
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let lines: Vec<&str> = self
            .note
            .details
            .iter()
            .map(String::as_str)
            .chain(self.note.help.as_deref())
            .collect();
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn std::fmt::Display + 'b>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.note
            .rule
            .as_ref()
            .map(|r| Box::new(r.url) as Box<dyn std::fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.named.as_ref().map(|n| n as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.named.as_ref()?;
        let at = self.note.at.as_ref()?;
        let mut v = vec![LabeledSpan::new_primary_with_span(
            Some(at.label.clone()),
            at.underlined()?,
        )];
        for r in same_document(self.note, at) {
            if let Some(s) = r.underlined() {
                v.push(LabeledSpan::new_with_span(Some(r.label.clone()), s));
            }
        }
        Some(Box::new(v.into_iter()))
    }
}

/// The related places in the document of the primary place `at` (the snippet shows one
/// document).
fn same_document<'a>(n: &'a Note, at: &'a Place) -> impl Iterator<Item = &'a Place> + 'a {
    n.related.iter().filter(move |r| r.name == at.name)
}

/// Renders one note in the text style, without a trailing blank line: `file:line:col` when it
/// has a place, then a miette diagnostic (code, message, the snippet with the place and the
/// related places of the same document underlined, details and help) at `width` columns.
/// A snippet is shown only when the lines around the spans are short (see
/// [`super::snippet_fits`]).
pub fn text_one(n: &Note, width: usize, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let named = n.at.as_ref().filter(|a| {
        let mut spans: Vec<Span> = a.underlined().into_iter().collect();
        spans.extend(same_document(n, a).filter_map(Place::underlined));
        !spans.is_empty()
            && !a.source.text.is_empty()
            && super::snippet_fits(&a.source.text, &spans)
    });
    let d = Diag {
        note: n,
        named: named.map(|a| NamedSource::new(a.name.clone(), a.source.clone())),
    };
    let mut out = String::new();
    // the place the snippet shows first
    if let Some(at) = &n.at {
        let s = at.source.line_col(at.underlined().map_or(0, |s| s.start));
        out.push_str(&format!("{}:{}:{}\n", at.name, s.line, s.column));
    }
    if handler.render_report(&mut out, &d).is_err() {
        out.push_str(&format!("{}: {}\n", n.code, n.message));
    }
    out
}

/// Every note in the text style, each followed by a blank line.
pub fn text(notes: &[Note], width: usize, color: bool) -> String {
    let mut out = String::new();
    for n in notes {
        out.push_str(&text_one(n, width, color));
        out.push('\n');
    }
    out
}

/// Renders one lint finding (no colour unless asked, fixed width): the snapshot format.
pub fn render_finding(f: &Finding, width: usize, color: bool) -> String {
    text_one(&super::lint_note(f, Severity::Error), width, color)
}

/// The summary table by rule, then totals.
pub fn summary(outcome: &Outcome, fail_on: Severity) -> String {
    let mut out = String::new();
    let by_rule = super::by_rule(&outcome.findings);
    if !by_rule.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec!["code", "rule", "severity", "findings"]);
        for (code, n) in &by_rule {
            let (name, sev) = outcome
                .findings
                .iter()
                .find(|f| f.rule.code == *code)
                .map_or(("", ""), |f| (f.rule.name, f.severity.as_str()));
            t.add_row(vec![
                code.to_string(),
                name.to_string(),
                sev.to_string(),
                n.to_string(),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let sev = super::by_severity(&outcome.findings);
    let failed = outcome.documents.iter().filter(|d| d.failed).count();
    out.push_str(&format!(
        "{} document{} linted ({} could not be read or parsed); {} finding{}: {} error, {} security, {} warning, {} suggestion",
        outcome.documents.len(),
        if outcome.documents.len() == 1 { "" } else { "s" },
        failed,
        outcome.findings.len(),
        if outcome.findings.len() == 1 { "" } else { "s" },
        sev["error"],
        sev["security"],
        sev["warning"],
        sev["suggestion"],
    ));
    if outcome.baselined > 0 {
        out.push_str(&format!("; {} accepted by the baseline", outcome.baselined));
    }
    if !outcome.skipped.is_empty() {
        let n = outcome.skipped.len();
        out.push_str(&format!(
            "; {n} file{} skipped (no policy in {}; --verbose lists {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "them" },
        ));
    }
    let failing = outcome
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    out.push_str(&format!(
        "\n{failing} finding{} at or above --fail-on {fail_on}\n",
        if failing == 1 { "" } else { "s" }
    ));
    out
}

/// `lint`'s text: every finding in the text style (80 columns without colour, 100 with), then
/// the summary.
pub fn render(outcome: &Outcome, fail_on: Severity, color: bool) -> String {
    let width = if color { 100 } else { 80 };
    let mut out = text(&super::lint_notes(outcome, fail_on), width, color);
    out.push_str(&summary(outcome, fail_on));
    out
}
