//! The text style of every command: one miette diagnostic per note with its place
//! underlined; and `lint`'s summary table by rule.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use super::note::{Note, Place};
use crate::lint::run::Outcome;
use crate::lint::{Finding, Severity};
use crate::source::{Source, Span};

/// A note as a miette diagnostic, or one part of it: miette renders a diagnostic as the header
/// (code and link), the message, the snippets, then the help, each part a function of its own
/// fields alone; [`text_one`] renders the parts on their own to reuse the header and message,
/// and the help, of an earlier note.
struct Diag<'a> {
    note: &'a Note,
    named: Option<NamedSource<Source>>,
    /// Shows the code and link (the header) and the message; otherwise an empty message.
    head: bool,
    /// Shows the help.
    help: bool,
}

impl std::fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.note.message)
    }
}

impl std::fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.head {
            f.write_str(&self.note.message)
        } else {
            Ok(())
        }
    }
}

impl std::error::Error for Diag<'_> {}

/// The help of a note as miette shows it: its details, then its help, a line each.
pub(super) fn help_text(n: &Note) -> Option<String> {
    let lines: Vec<&str> = n
        .details
        .iter()
        .map(String::as_str)
        .chain(n.help.as_deref())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        if !self.head {
            return None;
        }
        Some(match &self.note.rule {
            Some(r) => Box::new(format!("{}({}) {}", self.note.code, r.name, r.severity)),
            None => Box::new(self.note.code),
        })
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.note.level.miette())
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        if !self.help {
            return None;
        }
        help_text(self.note).map(|h| Box::new(h) as Box<dyn std::fmt::Display + 'b>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        if !self.head {
            return None;
        }
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
pub(super) fn same_document<'a>(
    n: &'a Note,
    at: &'a Place,
) -> impl Iterator<Item = &'a Place> + 'a {
    n.related.iter().filter(move |r| r.name == at.name)
}

/// The place whose document the snippets show: the primary place, when the lines around the
/// spans are short (see [`super::snippet_fits`]).
pub(super) fn named_place(n: &Note) -> Option<&Place> {
    n.at.as_ref().filter(|a| {
        let mut spans: Vec<Span> = a.underlined().into_iter().collect();
        spans.extend(same_document(n, a).filter_map(Place::underlined));
        !spans.is_empty()
            && !a.source.text.is_empty()
            && super::snippet_fits(&a.source.text, &spans)
    })
}

/// Renders one note in the text style, without a trailing blank line: `file:line:col` when it
/// has a place, then a miette diagnostic (code, message, the snippet with the place and the
/// related places of the same document underlined, details and help) at `width` columns.
/// A snippet is shown only when the lines around the spans are short (see
/// [`super::snippet_fits`]).
pub fn text_one(n: &Note, width: usize, color: bool) -> String {
    let mut out = String::new();
    text_one_into(n, width, color, &mut out);
    out
}

/// [`text_one`] appended to `out` (a report of many findings writes them into one buffer).
pub fn text_one_into(n: &Note, width: usize, color: bool, out: &mut String) {
    use std::fmt::Write as _;
    let named = named_place(n);
    // the place the snippet shows first
    if let Some(at) = &n.at {
        let s = at.source.line_col(at.underlined().map_or(0, |s| s.start));
        let _ = writeln!(out, "{}:{}:{}", at.name, s.line, s.column);
    }
    // the common shapes without miette (the same text)
    if !color && super::plain::render(n, named, width, out) {
        return;
    }
    *out = miette_rest(n, named, width, color, std::mem::take(out));
}

/// The rest of [`text_one`] (after `file:line:col`) as miette renders it, appended to `out`.
pub(super) fn miette_rest(
    n: &Note,
    named: Option<&Place>,
    width: usize,
    color: bool,
    mut out: String,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    // miette's rendering in parts (header and message; snippets; help), the first and last
    // reused from an earlier note of this thread with the same fields
    let render = |d: &Diag| {
        let mut s = String::new();
        handler.render_report(&mut s, d).map(|()| s)
    };
    let part = |head: bool, help: bool, named: Option<NamedSource<Source>>| Diag {
        note: n,
        named,
        head,
        help,
    };
    let key = |what: u8, text: String| PartKey {
        what,
        level: n.level.miette() as u8,
        width,
        color,
        text,
        code: n.code,
        rule: n.rule.as_ref().map(|r| (r.name, r.severity, r.url)),
    };
    let cached = |k: PartKey, d: &dyn Fn() -> Result<String, std::fmt::Error>| {
        if let Some(v) = shared_get(&PARTS, &k) {
            return Ok(v);
        }
        let v: std::sync::Arc<str> = d()?.into();
        shared_put(&PARTS, k, v.clone());
        Ok(v)
    };
    let parts = (|| -> Result<[std::sync::Arc<str>; 3], std::fmt::Error> {
        // what miette writes for an empty message alone (before the snippets and the help)
        let empty = cached(key(0, String::new()), &|| render(&part(false, false, None)))?;
        let head = cached(key(1, n.message.clone()), &|| {
            render(&part(true, false, None))
        })?;
        let help = match help_text(n) {
            Some(h) => cached(key(2, h), &|| render(&part(false, true, None)))?,
            None => empty.clone(),
        };
        Ok([empty, head, help])
    })();
    let whole = parts.and_then(|[empty, head, help]| {
        let snippets = match named {
            Some(a) => match snippet_key(n, a, width, color) {
                // the snippets of the same lines and labels, rendered for another document
                // (or this one) without a name: the name goes into each snippet's header
                Some(k) => {
                    let nameless = match shared_get(&SNIPPETS, &k) {
                        Some(v) => v,
                        None => {
                            // (without what miette writes before the snippets, which
                            // depends on the note's level)
                            let whole = render(&part(
                                false,
                                false,
                                Some(NamedSource::new("", a.source.clone())),
                            ))?;
                            let v: std::sync::Arc<str> =
                                whole.strip_prefix(&*empty).ok_or(std::fmt::Error)?.into();
                            shared_put(&SNIPPETS, k, v.clone());
                            v
                        }
                    };
                    [&*empty, &with_name(&nameless, &a.name)].concat()
                }
                None => render(&part(
                    false,
                    false,
                    Some(NamedSource::new(a.name.clone(), a.source.clone())),
                ))?,
            },
            None => empty.to_string(),
        };
        let (Some(snippets), Some(help)) =
            (snippets.strip_prefix(&*empty), help.strip_prefix(&*empty))
        else {
            return Err(std::fmt::Error);
        };
        Ok([head.to_string(), snippets.to_string(), help.to_string()].concat())
    });
    match whole {
        Ok(w) => out.push_str(&w),
        Err(_) => out.push_str(&format!("{}: {}\n", n.code, n.message)),
    }
    out
}

/// What a note's snippets (miette's, for a document of no name) are a function of: the lines
/// around the underlined spans (the window the snippets read lies inside them), where they are
/// in the document, the spans in them and their labels. `None` with colour (the name is
/// styled), or when a span is not in the text.
fn snippet_key(n: &Note, at: &Place, width: usize, color: bool) -> Option<SnippetKey> {
    if color {
        return None;
    }
    let mut labels: Vec<(Span, &str, bool)> = vec![(at.underlined()?, at.label.as_str(), true)];
    for r in same_document(n, at) {
        if let Some(s) = r.underlined() {
            labels.push((s, r.label.as_str(), false));
        }
    }
    let lo = labels.iter().map(|(s, _, _)| s.start as usize).min()?;
    let hi = labels
        .iter()
        .map(|(s, _, _)| (s.start as usize).max(s.end as usize))
        .max()?;
    // (miette reads one line of context; the windowed `read_span` two lines more: three)
    let (base, stop, first) = at.source.lines_around(lo, hi, 3)?;
    let text = &at.source.text;
    let labels = labels
        .into_iter()
        .map(|(s, l, primary)| {
            Some((
                (s.start as usize).checked_sub(base)?,
                (s.end as usize).checked_sub(base)?,
                l.to_string(),
                primary,
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(SnippetKey {
        window: text.get(base..stop)?.to_string(),
        first,
        at_end: stop == text.len(),
        labels,
        width,
    })
}

/// [`snippet_key`]'s key.
#[derive(PartialEq, Eq, Hash)]
struct SnippetKey {
    window: String,
    first: usize,
    at_end: bool,
    labels: Vec<(usize, usize, String, bool)>,
    width: usize,
}

/// Snippets rendered for a document of no name, with `name` put into each snippet's header
/// (`╭─[` then the name, at the start of a line: the other lines begin with a line number or
/// a gutter).
fn with_name(nameless: &str, name: &str) -> String {
    let mut out = String::with_capacity(nameless.len() + 2 * name.len());
    for line in nameless.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        match trimmed.strip_prefix("╭─[") {
            Some(rest) => {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str("╭─[");
                out.push_str(name);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A part of a note's rendering [`text_one`] reuses: what (0 nothing, 1 the header and
/// message, 2 the help), the text (message or help) and every other field it depends on.
#[derive(PartialEq, Eq, Hash)]
struct PartKey {
    what: u8,
    level: u8,
    width: usize,
    color: bool,
    text: String,
    code: &'static str,
    rule: Option<(&'static str, &'static str, &'static str)>,
}

/// A cache of rendered parts shared by the threads that render.
type Shared<K> = std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<K, std::sync::Arc<str>, crate::catalog::FxBuild>>,
>;

/// [`text_one`]'s snippets, without the document's name.
static SNIPPETS: Shared<SnippetKey> = std::sync::LazyLock::new(Default::default);

/// [`text_one`]'s parts (rendering a run's findings renders the same messages and helps many
/// times).
static PARTS: Shared<PartKey> = std::sync::LazyLock::new(Default::default);

// (never waits for the lock: a thread that finds it taken renders the part itself, so a
// thread descheduled while holding it holds up no other)
fn shared_get<K: std::hash::Hash + Eq>(cache: &Shared<K>, k: &K) -> Option<std::sync::Arc<str>> {
    cache.try_lock().ok()?.get(k).cloned()
}

fn shared_put<K: std::hash::Hash + Eq>(cache: &Shared<K>, k: K, v: std::sync::Arc<str>) {
    if let Ok(mut m) = cache.try_lock() {
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(k, v);
    }
}

/// Every note in the text style, each followed by a blank line.
pub fn text(notes: &[Note], width: usize, color: bool) -> String {
    let mut out = String::new();
    for n in notes {
        text_one_into(n, width, color, &mut out);
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
    let mut buf: Vec<u8> = Vec::new();
    // (writing to memory cannot fail)
    let _ = write_to(outcome, fail_on, color, &mut buf);
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render`] written to `out` as it is rendered: each finding on its own (a pure function of
/// the finding), on every core, in chunks written in order ([`crate::par::write_ordered`]),
/// then the summary; the report is never held whole.
pub fn write_to(
    outcome: &Outcome,
    fail_on: Severity,
    color: bool,
    out: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    let width = if color { 100 } else { 80 };
    let chunks: Vec<&[Finding]> = outcome.findings.chunks(32).collect();
    crate::par::write_ordered(
        &chunks,
        crate::par::cores(),
        |c, s| {
            for f in *c {
                text_one_into(&super::lint_note(f, fail_on), width, color, s);
                s.push('\n');
            }
        },
        out,
    )?;
    out.write_all(summary(outcome, fail_on).as_bytes())
}
