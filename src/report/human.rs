//! Human output: one miette diagnostic per finding with the span underlined, then a summary
//! table by rule.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::lint::run::Outcome;
use crate::lint::{Finding, Severity};

/// A finding as a miette diagnostic.
pub struct Diag<'a> {
    finding: &'a Finding,
    named: NamedSource<crate::source::Source>,
    header: String,
    /// The snippet is shown (the source is not empty and its lines there are short).
    snippet: bool,
}

impl<'a> Diag<'a> {
    pub fn new(finding: &'a Finding) -> Self {
        let mut spans = vec![finding.span];
        if let Some((s, _)) = &finding.related {
            spans.push(*s);
        }
        Diag {
            finding,
            named: NamedSource::new(finding.file(), finding.source.clone()),
            header: finding.message.clone(),
            snippet: !finding.source.text.is_empty()
                && super::snippet_fits(&finding.source.text, &spans),
        }
    }
}

impl std::fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.header)
    }
}

impl std::fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.header)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({}) {}",
            self.finding.rule.code, self.finding.rule.name, self.finding.severity
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error | Severity::Security => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Suggestion => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn std::fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.aws_docs))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if !self.snippet {
            None
        } else {
            Some(&self.named)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let mut v = vec![LabeledSpan::new_primary_with_span(
            Some(self.finding.label.clone()),
            self.finding.span,
        )];
        if let Some((span, label)) = &self.finding.related {
            v.push(LabeledSpan::new_with_span(Some(label.clone()), *span));
        }
        Some(Box::new(v.into_iter()))
    }
}

/// Renders one finding (no colour unless asked, fixed width): the snapshot format.
pub fn render_finding(f: &Finding, width: usize, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    let loc = f.start();
    out.push_str(&format!("{}:{}:{}\n", f.file(), loc.line, loc.column));
    let _ = handler.render_report(&mut out, &Diag::new(f));
    out
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

pub fn render(outcome: &Outcome, fail_on: Severity, color: bool) -> String {
    let mut out = String::new();
    let width = if color { 100 } else { 80 };
    for f in &outcome.findings {
        out.push_str(&render_finding(f, width, color));
    }
    out.push_str(&summary(outcome, fail_on));
    out
}
