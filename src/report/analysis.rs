//! Output of `diff` and `verify` in the text, SARIF and GitHub formats: one note per group or
//! counterexample, located at the statement that grants it. (The JSON shapes are the
//! commands' own.)

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde_json::{Value, json};

use crate::analysis::StatementRef;

/// How serious a note is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

/// One reported item.
#[derive(Clone, Debug)]
pub struct Note {
    /// Stable rule id, such as `diff/added`.
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    /// Lines printed under the snippet (the example request).
    pub details: Vec<String>,
    pub at: Option<StatementRef>,
    /// The label under the statement.
    pub label: String,
}

struct Diag<'a> {
    note: &'a Note,
    named: Option<NamedSource<crate::source::Source>>,
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
        Some(Box::new(self.note.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.note.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
            Level::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        (!self.note.details.is_empty())
            .then(|| Box::new(self.note.details.join("\n")) as Box<dyn std::fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.named.as_ref().map(|n| n as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let at = self.note.at.as_ref()?;
        self.named.as_ref()?;
        // the statement's first line is enough to point at it
        let text = at.source.slice(at.span);
        let first = text.find('\n').unwrap_or(text.len());
        let span = crate::source::Span::new(at.span.start as usize, at.span.start as usize + first);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.note.label.clone()),
            span,
        ))))
    }
}

/// miette diagnostics, one per note.
pub fn text(notes: &[Note], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for n in notes {
        let d = Diag {
            note: n,
            named: n
                .at
                .as_ref()
                .filter(|a| {
                    !a.source.text.is_empty() && super::snippet_fits(&a.source.text, &[a.span])
                })
                .map(|a| NamedSource::new(a.file.clone(), a.source.clone())),
        };
        let mut s = String::new();
        if handler.render_report(&mut s, &d).is_err() {
            s = format!("{}: {}\n", n.code, n.message);
        }
        out.push_str(&s);
        out.push('\n');
    }
    out
}

fn sarif_level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// SARIF 2.1.0; `rules` gives (id, description) of every code the command may report.
pub fn sarif(notes: &[Note], rules: &[(&str, &str)]) -> String {
    let rule_meta: Vec<Value> = rules
        .iter()
        .map(|(id, d)| json!({"id": id, "shortDescription": {"text": d}}))
        .collect();
    let results: Vec<Value> = notes
        .iter()
        .map(|n| {
            let mut text = n.message.clone();
            for d in &n.details {
                text.push('\n');
                text.push_str(d);
            }
            let mut r = json!({
                "ruleId": n.code,
                "ruleIndex": rules.iter().position(|r| r.0 == n.code).unwrap_or(0),
                "level": sarif_level(n.level),
                "message": {"text": text},
            });
            if let Some(at) = &n.at {
                r["locations"] = json!([super::sarif::location(&at.file, &at.source, at.span)]);
            }
            r
        })
        .collect();
    super::sarif::log(rule_meta, results)
}

/// GitHub Actions workflow commands.
pub fn github(notes: &[Note]) -> String {
    use super::github::{escape_data, escape_property};
    let mut out = String::new();
    for n in notes {
        let level = match n.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut msg = n.message.clone();
        for d in &n.details {
            msg.push('\n');
            msg.push_str(d);
        }
        let loc = match &n.at {
            // an AWS managed policy is no file of the repository
            Some(at) if at.file.starts_with("arn:") => {
                msg = format!("{msg}\n(statement of `{}`)", at.file);
                String::new()
            }
            Some(at) => {
                let s = at.source.line_col(at.span.start);
                format!(
                    "file={},line={},col={},",
                    escape_property(super::file_of(&at.file)),
                    s.line,
                    s.column
                )
            }
            None => String::new(),
        };
        out.push_str(&format!(
            "::{level} {loc}title={}::{}\n",
            escape_property(n.code),
            escape_data(&msg)
        ));
    }
    out
}

/// JUnit XML: one test case per note (`classname` is the command, `name` the note's code and
/// location); errors (what makes the command exit 1 or 2) are failures, warnings and notes
/// pass with their text as the case's output.
pub fn junit(notes: &[Note], command: &str) -> String {
    use super::junit::xml;
    let mut cases = String::new();
    let mut failures = 0;
    for n in notes {
        let place = match &n.at {
            Some(at) => format!("{}:{}", at.file, at.source.line_col(at.span.start).line),
            None => String::new(),
        };
        let mut body = n.message.clone();
        for d in &n.details {
            body.push('\n');
            body.push_str(d);
        }
        cases.push_str(&format!(
            "    <testcase classname=\"greenlight.{}\" name=\"{}\">\n",
            xml(command),
            xml(format!("{} {place}", n.code).trim_end())
        ));
        if n.level == Level::Error {
            failures += 1;
            cases.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                xml(n.code),
                xml(&n.message),
                xml(&body)
            ));
        } else {
            cases.push_str(&format!("      <system-out>{}</system-out>\n", xml(&body)));
        }
        cases.push_str("    </testcase>\n");
    }
    if notes.is_empty() {
        cases.push_str(&format!(
            "    <testcase classname=\"greenlight.{}\" name=\"no findings\"/>\n",
            xml(command)
        ));
    }
    let tests = notes.len().max(1);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"greenlight\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"greenlight {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{cases}  </testsuite>\n</testsuites>\n",
        xml(command)
    )
}
