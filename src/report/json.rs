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

fn pretty(v: &impl Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
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

/// The elements of a top-level array, each pretty-printed at its depth and separated by
/// `,\n` (without the brackets).
fn elements<T>(items: &[T], to_json: impl Fn(&T) -> String) -> String {
    let mut out = String::new();
    for (i, x) in items.iter().enumerate() {
        let json = to_json(x);
        if i == 0 {
            // about the same size each
            out.reserve((json.len() + json.len() / 4 + 8) * items.len());
        }
        out.push_str(if i == 0 { "    " } else { ",\n    " });
        push_indented(&mut out, &json, "    ");
    }
    out
}

/// [`elements`] on every core: the parts are joined in order.
fn elements_parallel<T: Sync>(items: &[T], to_json: impl Fn(&T) -> String + Sync) -> String {
    let threads = crate::par::cores();
    if threads < 2 || items.len() < 512 {
        return elements(items, to_json);
    }
    let chunks: Vec<&[T]> = items.chunks(items.len().div_ceil(threads)).collect();
    crate::par::map_on(&chunks, threads, |chunk| elements(chunk, &to_json)).join(",\n")
}

fn push_array(out: &mut String, key: &str, body: &str) {
    out.push_str("  \"");
    out.push_str(key);
    out.push_str("\": ");
    if body.is_empty() {
        out.push_str("[]");
    } else {
        out.push_str("[\n");
        out.push_str(body);
        out.push_str("\n  ]");
    }
}

/// The JSON report. Byte for byte what `serde_json::to_string_pretty` gives for the whole
/// document, but the findings and files are serialised on every core (a large run has
/// thousands of each).
pub fn render(outcome: &Outcome, fail_on: Severity) -> String {
    let (findings, files) = std::thread::scope(|scope| {
        let files = scope.spawn(|| elements(&outcome.documents, |d| pretty(&file(d))));
        let findings = elements_parallel(&outcome.findings, |f| pretty(&finding(f)));
        let files = files
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (findings, files)
    });
    let mut out = String::with_capacity(findings.len() + files.len() + 4096);
    out.push_str("{\n");
    push_array(&mut out, "findings", &findings);
    out.push_str(",\n");
    push_array(&mut out, "files", &files);
    out.push_str(",\n  \"summary\": ");
    push_indented(
        &mut out,
        &serde_json::to_string_pretty(&summary(outcome, fail_on)).unwrap_or_default(),
        "  ",
    );
    out.push_str("\n}\n");
    out
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
