//! `--format sarif`: SARIF 2.1.0 with rule metadata and stable fingerprints (GitHub code
//! scanning).

use serde_json::{Value, json};

use crate::lint::run::Outcome;
use crate::lint::{Severity, docs, rules};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error | Severity::Security => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// The file of a document name as a URI relative to the repository root (GitHub code
/// scanning resolves it against the checkout).
pub(crate) fn uri(name: &str) -> String {
    let file = super::file_of(name).replace('\\', "/");
    crate::discover::paths::to_uri(&crate::discover::paths::normalized(&file))
}

pub fn render(outcome: &Outcome) -> String {
    let rule_meta: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            // `tags` is a set (the SARIF schema says `uniqueItems`): `security` once
            let mut tags = vec!["iam", r.severity.as_str()];
            if r.severity == Severity::Security && !tags.contains(&"security") {
                tags.push("security");
            }
            let mut props = json!({"tags": tags, "accessAnalyzer": r.access_analyzer});
            if r.severity == Severity::Security {
                props["security-severity"] = json!("8.0");
            }
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": docs::section(r.docs, docs::HEADINGS[0]).unwrap_or("")},
                "helpUri": r.aws_docs,
                "help": {"text": docs::render(r), "markdown": docs::render(r)},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": props,
            })
        })
        .collect();
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| {
            let s = f.start();
            let e = f.end();
            let idx = rules::ALL
                .iter()
                .position(|r| r.code == f.rule.code)
                .unwrap_or(0);
            let mut text = f.message.clone();
            if let Some(h) = &f.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let mut region = json!({
                "startLine": s.line, "startColumn": s.column,
                "endLine": e.line, "endColumn": e.column,
            });
            if !f.source.text.is_empty() {
                region["snippet"] = json!({"text": f.source.slice(f.span)});
            }
            let mut r = json!({
                "ruleId": f.rule.code,
                "ruleIndex": idx,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(f.file())},
                        "region": region,
                    }
                }],
                "partialFingerprints": {"greenlight/v1": f.fingerprint()},
            });
            if f.file().contains('#') {
                r["locations"][0]["logicalLocations"] = json!([{"fullyQualifiedName": f.file()}]);
            }
            r
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "greenlight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_meta,
            }},
            "results": results,
            // columns count characters (Unicode scalar values), as the text output does
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
