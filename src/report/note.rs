//! The one finding type of every command that reports, and the writers of the formats they
//! share. Lint findings, check gaps, diff additions and verify counterexamples all become
//! [`Note`]s (code, level, message, primary and related places, details, help), and the
//! text style, SARIF results, GitHub annotations and JUnit XML are written here once. (The
//! JSON shapes are each command's own: `lint --format json`, `check --format json`, ...)

use serde_json::Value;

use crate::analysis::StatementRef;
use crate::source::{LineCol, Source, Span};

/// How serious a note is: SARIF's `error`/`warning`/`note`, GitHub's
/// `error`/`warning`/`notice`, miette's error/warning/advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    pub fn sarif(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }

    pub(crate) fn github(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        }
    }

    pub(crate) fn miette(self) -> miette::Severity {
        match self {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
            Level::Note => miette::Severity::Advice,
        }
    }
}

/// What a note does to a CI gate (JUnit): passes (reported as output), fails the run, or
/// reports input that could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Pass,
    Fail,
    Broken,
}

/// A place in a document.
#[derive(Clone, Debug)]
pub struct Place {
    /// The document's name: a path, `file#path` inside a file, or a managed policy's ARN.
    pub name: String,
    pub source: Source,
    /// `None`: the whole file (nothing in it causes the note).
    pub span: Option<Span>,
    /// The part the text style underlines, when not the whole span (the first line of a
    /// statement, a statement's `Effect`).
    pub focus: Option<Span>,
    pub label: String,
}

impl Place {
    pub fn new(name: impl Into<String>, source: Source, span: Span, label: impl Into<String>) -> Self {
        Place {
            name: name.into(),
            source,
            span: Some(span),
            focus: None,
            label: label.into(),
        }
    }

    /// A statement, underlined by its first line in the text style.
    pub fn statement(s: &StatementRef, label: impl Into<String>) -> Self {
        let text = s.source.slice(s.span);
        let first = text.find('\n').unwrap_or(text.len());
        Place {
            name: s.file.clone(),
            source: s.source.clone(),
            span: Some(s.span),
            focus: Some(Span::new(s.span.start as usize, s.span.start as usize + first)),
            label: label.into(),
        }
    }

    /// A whole file.
    pub fn file(name: &str, label: impl Into<String>) -> Self {
        Place {
            name: name.to_string(),
            source: Source::new(name.to_string(), String::new()),
            span: None,
            focus: None,
            label: label.into(),
        }
    }

    /// What the text style underlines instead of the whole span.
    pub fn focus(mut self, span: Span) -> Self {
        self.focus = Some(span);
        self
    }

    pub(crate) fn underlined(&self) -> Option<Span> {
        self.focus.or(self.span)
    }

    /// Start and end (line 1, column 1 for a whole file).
    pub fn start(&self) -> LineCol {
        self.source
            .line_col(self.span.map_or(0, |s| s.start))
    }

    pub fn end(&self) -> LineCol {
        self.source.line_col(self.span.map_or(0, |s| s.end.max(s.start)))
    }

    /// `file:line:col`, the way compilers name a place.
    pub fn display(&self) -> String {
        let s = self.start();
        format!("{}:{}:{}", self.name, s.line, s.column)
    }

    /// Whether the place is no file of the repository (an AWS managed policy, named by ARN).
    pub(crate) fn is_arn(&self) -> bool {
        self.name.starts_with("arn:")
    }
}

/// A lint rule's name, severity word and documentation link, shown with the code.
#[derive(Clone, Copy, Debug)]
pub struct RuleTag {
    pub name: &'static str,
    pub severity: &'static str,
    pub url: &'static str,
}

/// One reported item.
#[derive(Clone, Debug)]
pub struct Note {
    /// Stable rule id, such as `GL089`, `explicit-deny` or `diff/added`.
    pub code: &'static str,
    pub level: Level,
    pub gate: Gate,
    /// A lint rule's name, severity and link.
    pub rule: Option<RuleTag>,
    pub message: String,
    /// Facts printed under the message (an example request, what blocks a permission).
    pub details: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
    pub at: Option<Place>,
    pub related: Vec<Place>,
    /// SARIF `partialFingerprints` (`greenlight/v1`).
    pub fingerprint: Option<String>,
    /// SARIF `properties` of the result.
    pub properties: Option<Value>,
}

impl Note {
    /// A note that fails the gate when it is an error.
    pub fn new(code: &'static str, level: Level, message: impl Into<String>) -> Self {
        Note {
            code,
            level,
            gate: if level == Level::Error {
                Gate::Fail
            } else {
                Gate::Pass
            },
            rule: None,
            message: message.into(),
            details: Vec::new(),
            help: None,
            at: None,
            related: Vec::new(),
            fingerprint: None,
            properties: None,
        }
    }

    pub fn at(mut self, place: Option<Place>) -> Self {
        self.at = place;
        self
    }

    pub fn details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn properties(mut self, properties: Value) -> Self {
        self.properties = Some(properties);
        self
    }

    /// `GL089 full-admin (security)` for a lint rule, else the code.
    pub fn title(&self) -> String {
        match &self.rule {
            Some(r) => format!("{} {} ({})", self.code, r.name, r.severity),
            None => self.code.to_string(),
        }
    }

    /// The message, then the details, the help (`help: ...`) and the link, one per line: the
    /// text of a SARIF result, a GitHub annotation and a JUnit case.
    pub fn full_text(&self, link: bool) -> String {
        let mut s = self.message.clone();
        for d in &self.details {
            s.push('\n');
            s.push_str(d);
        }
        if let Some(h) = &self.help {
            s.push_str("\nhelp: ");
            s.push_str(h);
        }
        if link && let Some(r) = &self.rule {
            s.push('\n');
            s.push_str(r.url);
        }
        s
    }
}
