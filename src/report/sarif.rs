//! `--format sarif`: SARIF 2.1.0 with rule metadata and stable fingerprints (GitHub code
//! scanning).

use serde_json::{Value, json};

use super::note::{Note, Place};
use crate::lint::{Severity, docs, rules};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error | Severity::Security => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// The file of a document name as a URI relative to the repository root (GitHub code
/// scanning resolves it against the checkout). A name that is not a file on disk (an inline
/// policy's name, a managed policy's ARN) is percent-encoded as it is.
pub fn uri(name: &str) -> String {
    let file = super::file_of(name).replace('\\', "/");
    // (a file of the repository deleted since the base, named by its absolute path, is
    // relative to the root as the others are: red team 52)
    if std::path::Path::new(&file).is_file() || std::path::Path::new(&file).is_absolute() {
        crate::discover::paths::to_uri(&crate::discover::paths::normalized(&file))
    } else {
        crate::discover::paths::to_uri(&file)
    }
}

/// A SARIF `region` for a span of a document: start and end line and column (columns count
/// Unicode code points, as the log's `columnKind` says).
pub fn region(source: &crate::source::Source, span: crate::source::Span) -> Value {
    let s = source.line_col(span.start);
    let e = source.line_col(span.end.max(span.start));
    json!({
        "startLine": s.line, "startColumn": s.column,
        "endLine": e.line, "endColumn": e.column,
    })
}

/// A SARIF `location` of a span of the document named `name` (a template's document, named
/// `file#path`, also gets its logical location; an AWS managed policy, named by its ARN, only
/// a logical one).
pub fn location(name: &str, source: &crate::source::Source, span: crate::source::Span) -> Value {
    location_with(name, source, span, &mut Uris::default())
}

/// The last file [`uri`] was asked for and its URI: consecutive results mostly name the same
/// file (results come sorted by file), and [`uri`] asks the file system whether it is a file.
#[derive(Default)]
struct Uris {
    last: Option<(String, String)>,
}

impl Uris {
    fn of(&mut self, name: &str) -> String {
        let file = super::file_of(name);
        if let Some((f, u)) = &self.last
            && f == file
        {
            return u.clone();
        }
        let u = uri(name);
        self.last = Some((file.to_string(), u.clone()));
        u
    }
}

fn location_with(
    name: &str,
    source: &crate::source::Source,
    span: crate::source::Span,
    uris: &mut Uris,
) -> Value {
    // an AWS managed policy is no file of the repository: a logical location only
    if name.starts_with("arn:") {
        return json!({"logicalLocations": [{"fullyQualifiedName": name, "kind": "resource"}]});
    }
    let mut loc = json!({"physicalLocation": {
        "artifactLocation": {"uri": uris.of(name)},
        "region": region(source, span),
    }});
    if name.contains('#') {
        // (relative to the repository root, as the URI: no machine's path in the log)
        loc["logicalLocations"] = json!([{
            "fullyQualifiedName": crate::discover::paths::normalized(name)
        }]);
    }
    loc
}

/// The SARIF 2.1.0 log every command writes: one run of the greenlight driver with `rules`
/// and `results`, columns in Unicode code points.
pub fn log(rules: Vec<Value>, results: Vec<Value>) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "greenlight",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
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

/// The driver's rules of `lint`: every registered rule with its documentation, tags and link.
pub fn lint_rules() -> Vec<Value> {
    rules::ALL
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
        .collect()
}

/// A SARIF `location` of a place (no region for a whole file; the region's snippet when the
/// document's text is known).
fn sarif_location(p: &Place, uris: &mut Uris) -> Value {
    match p.span {
        Some(span) => {
            let mut loc = location_with(&p.name, &p.source, span, uris);
            if !p.source.text.is_empty()
                && let Some(region) = loc.pointer_mut("/physicalLocation/region")
            {
                region["snippet"] = json!({"text": p.source.slice(span)});
            }
            loc
        }
        None if p.is_arn() => {
            json!({"logicalLocations": [{"fullyQualifiedName": p.name, "kind": "resource"}]})
        }
        None => json!({"physicalLocation": {
            "artifactLocation": {"uri": uris.of(&p.name)},
        }}),
    }
}

/// The SARIF results of `notes`; `rules` are the driver's rules (a result names its rule's
/// position in them).
pub fn results(notes: &[Note], rules: &[Value]) -> Vec<Value> {
    // on every core, in chunks (each with its own memo of the last file's URI)
    let chunks: Vec<&[Note]> = notes.chunks(32).collect();
    crate::par::map(&chunks, |c| {
        let mut uris = Uris::default();
        c.iter()
            .map(|n| result(n, rules, &mut uris))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The SARIF result of one note.
fn result(n: &Note, rules: &[Value], uris: &mut Uris) -> Value {
    let mut r = json!({
        "ruleId": n.code,
        "level": n.level.sarif(),
        "message": {"text": n.full_text(false)},
    });
    if let Some(i) = rules.iter().position(|r| r["id"] == n.code) {
        r["ruleIndex"] = json!(i);
    }
    if let Some(at) = &n.at {
        r["locations"] = json!([sarif_location(at, uris)]);
    }
    if !n.related.is_empty() {
        r["relatedLocations"] = n
            .related
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut loc = sarif_location(p, uris);
                loc["id"] = json!(i);
                loc["message"] = json!({"text": p.label});
                loc
            })
            .collect();
    }
    if let Some(f) = &n.fingerprint {
        r["partialFingerprints"] = json!({"greenlight/v1": f});
    }
    if let Some(p) = &n.properties {
        r["properties"] = p.clone();
    }
    r
}

/// SARIF 2.1.0: `rules` are the driver's rules (each with at least `id`).
pub fn render(notes: &[Note], rules: Vec<Value>) -> String {
    let results = results(notes, &rules);
    log(rules, results)
}

/// Rules given as (id, short description), for commands without rule documentation.
pub fn simple_rules(rules: &[(&str, &str)]) -> Vec<Value> {
    rules
        .iter()
        .map(|(id, d)| json!({"id": id, "shortDescription": {"text": d}}))
        .collect()
}
