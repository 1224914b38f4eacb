//! The one finding type of every command that reports. Lint findings, check gaps, diff
//! additions and verify counterexamples all become [`Note`]s (code, level, message, a primary
//! place and related places with their spans, details, help), and one writer per format
//! renders them for every command: the text style in `human.rs`, SARIF results in `sarif.rs`,
//! GitHub annotations in `github.rs`, JUnit XML in `junit.rs`. (The JSON shapes are each
//! command's own: `lint --format json`, `check --format json`, ...)

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
    pub fn new(
        name: impl Into<String>,
        source: Source,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
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
            focus: Some(Span::new(
                s.span.start as usize,
                s.span.start as usize + first,
            )),
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
        self.source.line_col(self.span.map_or(0, |s| s.start))
    }

    pub fn end(&self) -> LineCol {
        self.source
            .line_col(self.span.map_or(0, |s| s.end.max(s.start)))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    const DOC: &str =
        "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\"}\n  ]\n}\n";

    fn source() -> Source {
        Source::new("dir/a,b:c.json", DOC)
    }

    fn span_of(text: &str) -> Span {
        let at = DOC.find(text).unwrap();
        Span::new(at, at + text.len())
    }

    /// A note with a place, a related place, a detail and a help line.
    fn note() -> Note {
        let mut n = Note::new("GL089", Level::Error, "allows `*` on 100%\nof resources")
            .details(vec!["example: `s3:GetObject`".into()])
            .help(Some("name the actions".into()))
            .at(Some(Place::new(
                "dir/a,b:c.json",
                source(),
                span_of("\"*\""),
                "here",
            )));
        n.related.push(Place::new(
            "dir/a,b:c.json",
            source(),
            span_of("\"Allow\""),
            "allowed here",
        ));
        n
    }

    #[test]
    fn github_annotations_escape_as_the_workflow_command_docs_say() {
        // https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions:
        // `::error file={name},line={line},col={col},endLine=..,endColumn=..,title=..::{message}`;
        // the toolkit escapes `%`, CR and LF in the message and also `:` and `,` in properties
        // (actions/toolkit packages/core/src/command.ts).
        let out = super::super::github::render(&[note()]);
        assert_eq!(
            out,
            "::error file=dir/a%2Cb%3Ac.json,line=3,col=35,endLine=3,endColumn=38,title=GL089::allows `*` on 100%25%0Aof resources%0Aexample: `s3:GetObject`%0Ahelp: name the actions\n"
        );
        // one line per note, whatever the message holds
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn a_whole_file_is_its_first_line_and_a_managed_policy_is_named_in_the_message() {
        let n = Note::new("missing-permission", Level::Error, "m")
            .at(Some(Place::file("p.json", "no statement here allows it")));
        assert_eq!(
            super::super::github::render(&[n]),
            "::error file=p.json,line=1,col=1,title=missing-permission::m\n"
        );
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let n = Note::new("diff/added", Level::Warning, "m").at(Some(Place::new(
            arn,
            Source::new(arn, DOC),
            span_of("\"*\""),
            "grants it",
        )));
        assert_eq!(
            super::super::github::render(&[n]),
            "::warning title=diff/added::m%0A(statement of `arn:aws:iam::aws:policy/AdministratorAccess`)\n"
        );
    }

    #[test]
    fn sarif_results_carry_region_snippet_related_places_and_rule_index() {
        let rules = super::super::sarif::simple_rules(&[("GL001", "a"), ("GL089", "b")]);
        let mut n = note();
        n.fingerprint = Some("0123456789abcdef".into());
        n.properties = Some(json!({"profile": "p"}));
        let r = &super::super::sarif::results(&[n], &rules)[0];
        assert_eq!(r["ruleId"], "GL089");
        assert_eq!(r["ruleIndex"], 1);
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "allows `*` on 100%\nof resources\nexample: `s3:GetObject`\nhelp: name the actions"
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (
                &region["startLine"],
                &region["startColumn"],
                &region["endColumn"]
            ),
            (&json!(3), &json!(35), &json!(38))
        );
        assert_eq!(region["snippet"]["text"], "\"*\"");
        let related = &r["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "allowed here");
        assert_eq!(related["physicalLocation"]["region"]["startColumn"], 16);
        assert_eq!(
            r["partialFingerprints"]["greenlight/v1"],
            "0123456789abcdef"
        );
        assert_eq!(r["properties"]["profile"], "p");
        // a code without a rule gets no (wrong) index; a whole file no region
        let n = Note::new("other", Level::Note, "m").at(Some(Place::file("p.json", "")));
        let r = &super::super::sarif::results(&[n], &rules)[0];
        assert!(r.get("ruleIndex").is_none(), "{r}");
        assert!(
            r["locations"][0]["physicalLocation"]
                .get("region")
                .is_none(),
            "{r}"
        );
        assert_eq!(r["level"], "note");
    }

    #[test]
    fn junit_cases_fail_on_failing_notes_and_error_on_broken_ones() {
        let fail = note();
        let pass = Note::new("GL030", Level::Note, "empty sid");
        let mut broken = Note::new("GL001", Level::Error, "trailing comma");
        broken.gate = Gate::Broken;
        let cases = [
            super::super::junit::Case {
                name: "a.json".into(),
                notes: vec![&fail, &pass],
                summary: None,
            },
            super::super::junit::Case {
                name: "b.json".into(),
                notes: vec![&broken, &fail],
                summary: None,
            },
            super::super::junit::Case {
                name: "c.json".into(),
                notes: Vec::new(),
                summary: None,
            },
        ];
        let xml = super::super::junit::render(&cases, "lint");
        assert!(
            xml.contains(
                "<testsuites name=\"greenlight\" tests=\"3\" failures=\"1\" errors=\"1\">"
            )
        );
        assert!(xml.contains("<failure type=\"GL089\" message=\"allows `*` on 100%\nof resources\">dir/a,b:c.json:3:35: GL089: allows"), "{xml}");
        assert!(
            xml.contains("<system-out>GL030: empty sid</system-out>"),
            "{xml}"
        );
        assert!(
            xml.contains("<error type=\"GL001\" message=\"trailing comma\">"),
            "{xml}"
        );
        assert!(xml.contains("<testcase classname=\"greenlight.lint\" name=\"c.json\"/>"));
        // no note at all is one passing case
        let none = super::super::junit::per_note(&[], "diff");
        assert!(
            none.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
            "{none}"
        );
        assert!(none.contains("name=\"no findings\"/>"), "{none}");
    }

    #[test]
    fn text_names_the_place_and_underlines_primary_and_related_spans() {
        let out = super::super::human::text_one(&note(), 80, false);
        assert!(out.starts_with("dir/a,b:c.json:3:35\nGL089\n"), "{out}");
        assert!(out.contains("╰── here"), "{out}");
        assert!(out.contains("allowed here"), "{out}");
        assert!(out.contains("help: example: `s3:GetObject`\n"), "{out}");
        assert!(out.contains("name the actions"), "{out}");
        // a related place in another document is not drawn in this one's snippet
        let mut n = note();
        n.related[0].name = "other.json".into();
        let out = super::super::human::text_one(&n, 80, false);
        assert!(
            out.contains("╰── here") && !out.contains("allowed here"),
            "{out}"
        );
    }
}
