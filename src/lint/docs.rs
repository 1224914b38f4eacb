//! Rule docs: Markdown with fixed headings. `greenlight rule` prints them; the README's rule
//! table is generated from the same text.

use super::{Check, Rule, rules};

/// Headings every rule's docs must have, in this order.
pub const HEADINGS: [&str; 4] = [
    "## What it does",
    "## Why is this bad?",
    "## Example",
    "## Use instead",
];

/// The text under a heading (trimmed), if the heading exists.
pub fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(heading)? + heading.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The first sentence of "What it does".
pub fn summary(docs: &str) -> String {
    let text = section(docs, HEADINGS[0]).unwrap_or("");
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.find(". ") {
        Some(i) => one_line[..=i].to_string(),
        None => one_line,
    }
}

/// Problems with a rule's docs (empty when complete).
pub fn problems(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    let mut last = 0;
    for h in HEADINGS {
        match rule.docs.find(h) {
            None => out.push(format!("{}: missing heading `{h}`", rule.code)),
            Some(i) if i < last => out.push(format!("{}: heading `{h}` out of order", rule.code)),
            Some(i) => {
                last = i;
                if section(rule.docs, h).is_none_or(str::is_empty) {
                    out.push(format!("{}: empty section `{h}`", rule.code));
                }
            }
        }
    }
    if !rule.aws_docs.starts_with("https://docs.aws.amazon.com/") {
        out.push(format!(
            "{}: AWS docs link must be a docs.aws.amazon.com URL",
            rule.code
        ));
    }
    let name_ok = !rule.name.is_empty()
        && rule
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok {
        out.push(format!(
            "{}: name `{}` is not kebab-case",
            rule.code, rule.name
        ));
    }
    if rule.name.starts_with("avoid-") || rule.name.starts_with("use-") {
        out.push(format!("{}: name the pattern, not the cure", rule.code));
    }
    out
}

/// The full docs of one rule, as `greenlight rule` prints them.
pub fn render(rule: &Rule) -> String {
    let types: Vec<&str> = rule.applies_to.iter().map(|t| t.as_str()).collect();
    let detection = match rule.check {
        Check::Parse => "the strict parser (a document that fails to parse)",
        Check::Input => "reading the input (a file or document that cannot be decoded)",
        Check::Policy(_) => "a check over each policy",
        Check::Principal(_) => "a check over all the policies of one principal",
    };
    let aa = if rule.access_analyzer.is_empty() {
        "none (greenlight-only check)".to_string()
    } else {
        rule.access_analyzer
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "# {} {}\n\nSeverity: {} (Access Analyzer {})\nApplies to: {}\nDetected by: {}\n\n{}\n\n## AWS docs\n\n{}\n\n## Access Analyzer\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity,
        rule.severity.access_analyzer(),
        types.join(", "),
        detection,
        rule.docs.trim(),
        rule.aws_docs,
        aa
    )
}

/// The README rule table (Markdown), generated from the registry.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| code | name | severity | applies to | what it flags | Access Analyzer |\n|---|---|---|---|---|---|\n",
    );
    for r in rules::ALL {
        let types: Vec<&str> = r.applies_to.iter().map(|t| t.as_str()).collect();
        let types = if types.len() == 6 {
            "all".to_string()
        } else {
            types.join(", ")
        };
        let aa = if r.access_analyzer.is_empty() {
            "—".to_string()
        } else {
            r.access_analyzer
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity,
            types,
            r.summary().replace('|', "\\|"),
            aa
        ));
    }
    s
}
