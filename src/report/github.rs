//! `--format github`: GitHub Actions workflow commands (annotations on the pull request).

use crate::lint::Severity;
use crate::lint::run::Outcome;

pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        let level = match f.severity {
            Severity::Error | Severity::Security => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "notice",
        };
        let s = f.start();
        let e = f.end();
        let mut msg = f.message.clone();
        if let Some(h) = &f.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        msg.push('\n');
        msg.push_str(f.rule.aws_docs);
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(super::file_of(f.file())),
            s.line,
            s.column,
            e.line,
            e.column,
            escape_property(&format!("{} {} ({})", f.rule.code, f.rule.name, f.severity)),
            escape_data(&msg)
        ));
    }
    out
}
