//! `--format json`: `{"findings": [...], "files": [...], "summary": {...}}`, sorted and
//! byte-identical across runs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lint::Severity;
use crate::lint::run::Outcome;

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
    findings: usize,
    baselined: usize,
    fail_on: &'static str,
    failing: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_rule: BTreeMap<&'static str, usize>,
}

pub fn render(outcome: &Outcome, fail_on: Severity) -> String {
    let findings = outcome
        .findings
        .iter()
        .map(|f| {
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
        })
        .collect();
    let files = outcome
        .documents
        .iter()
        .map(|d| JFile {
            file: &d.name,
            policy_type: d.policy_type.map(|t| t.as_str()),
            status: if d.failed { "error" } else { "linted" },
        })
        .collect();
    let doc = Doc {
        findings,
        files,
        summary: Summary {
            files: outcome.documents.len(),
            failed_files: outcome.documents.iter().filter(|d| d.failed).count(),
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
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
