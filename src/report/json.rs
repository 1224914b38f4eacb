//! `--format json`: `{"findings": [...], "files": [...], "summary": {...}}`, sorted and
//! byte-identical across runs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lint::Severity;
use crate::lint::run::Outcome;

/// The whole document (the reference [`render`] is tested against).
#[cfg(test)]
#[derive(Serialize)]
struct Doc<'a> {
    findings: Vec<JFinding<'a>>,
    files: Vec<JFile<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    help: Option<&'a str>,
    url: &'static str,
    fingerprint: String,
}

#[derive(Serialize)]
struct JFile<'a> {
    file: &'a str,
    policy_type: Option<&'static str>,
    status: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    failed_files: usize,
    /// Files that hold no policy, left out (`--verbose` lists them on standard error).
    skipped: usize,
    findings: usize,
    baselined: usize,
    fail_on: &'static str,
    failing: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_rule: BTreeMap<&'static str, usize>,
}

fn finding(f: &crate::lint::Finding) -> JFinding<'_> {
    let s = f.start();
    let e = f.end();
    JFinding {
        code: f.rule.code,
        name: f.rule.name,
        severity: f.severity.as_str(),
        file: f.file(),
        line: s.line,
        column: s.column,
        end_line: e.line,
        end_column: e.column,
        message: &f.message,
        help: f.help.as_deref(),
        url: f.rule.aws_docs,
        fingerprint: f.fingerprint(),
    }
}

fn file(d: &crate::lint::run::DocumentSummary) -> JFile<'_> {
    JFile {
        file: &d.name,
        policy_type: d.policy_type.map(|t| t.as_str()),
        status: if d.failed { "error" } else { "linted" },
    }
}

fn summary(outcome: &Outcome, fail_on: Severity) -> Summary {
    Summary {
        files: outcome.documents.len(),
        failed_files: outcome.documents.iter().filter(|d| d.failed).count(),
        skipped: outcome.skipped.len(),
        findings: outcome.findings.len(),
        baselined: outcome.baselined,
        fail_on: fail_on.as_str(),
        failing: outcome
            .findings
            .iter()
            .filter(|f| f.severity >= fail_on)
            .count(),
        by_severity: super::by_severity(&outcome.findings),
        by_rule: super::by_rule(&outcome.findings),
    }
}

/// Appends `pretty` (serde_json's pretty output, whose strings never hold a raw newline) with
/// every line but the first indented by `indent`.
fn push_indented(out: &mut String, pretty: &str, indent: &str) {
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        out.push_str(line);
    }
}

/// Appends `s` as a JSON string exactly as serde_json writes it: `"` and `\\` escaped, the
/// control characters below U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00XX`, everything
/// else (`/`, U+007F, non-ASCII) as is.
fn push_str_json(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let b = s.as_bytes();
    // most strings need no escape: one pass without early exit (vectorised), then a copy
    if !b.iter().fold(false, |acc, &c| {
        acc | (c < 0x20) | (c == b'"') | (c == b'\\')
    }) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &str = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0a => "\\n",
            0x0c => "\\f",
            0x0d => "\\r",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `c` is ASCII, so `i` and `i + 1` are character boundaries
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 0xf)]));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// One finding as an element of the top-level `findings` array: what serde_json's pretty
/// printer gives for [`JFinding`] at that depth (the field order of the struct).
fn push_finding(out: &mut String, f: &crate::lint::Finding) {
    let j = finding(f);
    out.push_str("{\n      \"code\": ");
    push_str_json(out, j.code);
    out.push_str(",\n      \"name\": ");
    push_str_json(out, j.name);
    out.push_str(",\n      \"severity\": ");
    push_str_json(out, j.severity);
    out.push_str(",\n      \"file\": ");
    push_str_json(out, j.file);
    out.push_str(",\n      \"line\": ");
    crate::lint::util::push_count(out, j.line as usize);
    out.push_str(",\n      \"column\": ");
    crate::lint::util::push_count(out, j.column as usize);
    out.push_str(",\n      \"end_line\": ");
    crate::lint::util::push_count(out, j.end_line as usize);
    out.push_str(",\n      \"end_column\": ");
    crate::lint::util::push_count(out, j.end_column as usize);
    out.push_str(",\n      \"message\": ");
    push_str_json(out, j.message);
    out.push_str(",\n      \"help\": ");
    match j.help {
        Some(h) => push_str_json(out, h),
        None => out.push_str("null"),
    }
    out.push_str(",\n      \"url\": ");
    push_str_json(out, j.url);
    out.push_str(",\n      \"fingerprint\": ");
    push_str_json(out, &j.fingerprint);
    out.push_str("\n    }");
}

/// One file as an element of the top-level `files` array (as [`push_finding`]).
fn push_file(out: &mut String, d: &crate::lint::run::DocumentSummary) {
    let j = file(d);
    out.push_str("{\n      \"file\": ");
    push_str_json(out, j.file);
    out.push_str(",\n      \"policy_type\": ");
    match j.policy_type {
        Some(t) => push_str_json(out, t),
        None => out.push_str("null"),
    }
    out.push_str(",\n      \"status\": ");
    push_str_json(out, j.status);
    out.push_str("\n    }");
}

/// The elements of a top-level array, each written by `push` at its depth and separated by
/// `,\n` (without the brackets).
fn elements<T>(items: &[T], push: impl Fn(&mut String, &T)) -> String {
    let mut out = String::new();
    for (i, x) in items.iter().enumerate() {
        out.push_str(if i == 0 { "    " } else { ",\n    " });
        let before = out.len();
        push(&mut out, x);
        if i == 0 {
            // about the same size each
            let one = out.len() - before;
            out.reserve((one + one / 4 + 8) * items.len());
        }
    }
    out
}

/// [`elements`] on every core: the parts, in order, to be joined with `,\n` (one part when
/// there are few items; one empty part when there are none).
fn elements_parallel<T: Sync>(items: &[T], push: impl Fn(&mut String, &T) + Sync) -> Vec<String> {
    let threads = crate::par::cores();
    if threads < 2 || items.len() < 512 {
        return vec![elements(items, push)];
    }
    let chunks: Vec<&[T]> = items.chunks(items.len().div_ceil(threads)).collect();
    crate::par::map_on(&chunks, threads, |chunk| elements(chunk, &push))
}

/// Writes `"key": [...]` of the array whose elements are `bodies` joined with `,\n`: the
/// text so far is in `cur`, each body becomes a part of its own (not copied).
fn push_array(parts: &mut Vec<String>, cur: &mut String, key: &str, bodies: Vec<String>) {
    cur.push_str("  \"");
    cur.push_str(key);
    cur.push_str("\": ");
    let bodies: Vec<String> = bodies.into_iter().filter(|b| !b.is_empty()).collect();
    if bodies.is_empty() {
        cur.push_str("[]");
        return;
    }
    cur.push_str("[\n");
    for (i, b) in bodies.into_iter().enumerate() {
        if i > 0 {
            cur.push_str(",\n");
        }
        parts.push(std::mem::take(cur));
        parts.push(b);
    }
    cur.push_str("\n  ]");
}

/// The JSON report. Byte for byte what `serde_json::to_string_pretty` gives for the whole
/// document, but the findings and files are serialised on every core (a large run has
/// thousands of each).
pub fn render(outcome: &Outcome, fail_on: Severity) -> String {
    render_parts(outcome, fail_on).concat()
}

/// [`render`] in parts, in order (written one after the other, the report is never copied
/// into one string).
pub fn render_parts(outcome: &Outcome, fail_on: Severity) -> Vec<String> {
    let (findings, files) = std::thread::scope(|scope| {
        let files = scope.spawn(|| elements(&outcome.documents, push_file));
        let findings = elements_parallel(&outcome.findings, push_finding);
        let files = files
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (findings, files)
    });
    let mut parts = Vec::with_capacity(findings.len() * 2 + 4);
    let mut cur = String::from("{\n");
    push_array(&mut parts, &mut cur, "findings", findings);
    cur.push_str(",\n");
    push_array(&mut parts, &mut cur, "files", vec![files]);
    cur.push_str(",\n  \"summary\": ");
    push_indented(
        &mut cur,
        &serde_json::to_string_pretty(&summary(outcome, fail_on)).unwrap_or_default(),
        "  ",
    );
    cur.push_str("\n}\n");
    parts.push(cur);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::input::Input;
    use crate::lint::run::{Options, run};

    /// The whole document through serde_json at once: what [`render`] must equal.
    fn reference(outcome: &Outcome, fail_on: Severity) -> String {
        let doc = Doc {
            findings: outcome.findings.iter().map(finding).collect(),
            files: outcome.documents.iter().map(file).collect(),
            summary: summary(outcome, fail_on),
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€😀\u{7f}\u{2028}/end");
        for s in [all.as_str(), "", "plain", "\"", "a\\b", "\u{1}x\u{1f}"] {
            let mut out = String::new();
            push_str_json(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
        for n in [0, 7, 10, 99, 100, 12345, u32::MAX] {
            let mut out = String::new();
            crate::lint::util::push_count(&mut out, n as usize);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn parallel_rendering_is_byte_identical_to_serde() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .flat_map(|d| {
                std::fs::read_dir(d.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
            })
            .collect();
        files.sort();
        assert!(files.len() > 200);
        // copies under distinct names, so the findings pass the parallel threshold
        let dir = tempfile::tempdir().unwrap();
        let mut copies = Vec::new();
        for k in 0..4 {
            for (i, f) in files.iter().enumerate() {
                let p = dir.path().join(format!("{k}-{i}.json"));
                std::fs::copy(f, &p).unwrap();
                copies.push(p);
            }
        }
        for n in [0, 1, 3, copies.len()] {
            let inputs: Vec<Input> = copies[..n].iter().map(|p| Input::File(p.clone())).collect();
            let outcome = run(&Options {
                inputs,
                ..Options::default()
            });
            if n == copies.len() {
                assert!(outcome.findings.len() > 512, "{}", outcome.findings.len());
            }
            for fail_on in [Severity::Error, Severity::Suggestion] {
                assert_eq!(
                    render(&outcome, fail_on),
                    reference(&outcome, fail_on),
                    "{n}"
                );
            }
        }
        let empty = Outcome::default();
        assert_eq!(
            render(&empty, Severity::Error),
            reference(&empty, Severity::Error)
        );
    }
}
