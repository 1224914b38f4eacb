//! What `generate --format json` (the default) prints: stdout always holds exactly one JSON
//! value. (`--format cloudformation|terraform`: [`super::iac`].)
//!
//! - one document: the policy document itself;
//! - several (the managed-policy quota forced a split): a JSON array of the documents, in order;
//! - none (`--missing-from` and nothing is missing): `[]`, an empty array of documents.
//!
//! With `--out-dir DIR` the documents go to `DIR/<profile>-<n>.json` (`n` from 1, also for a
//! single document) and the trust policy to `DIR/<profile>-trust.json`; stdout stays empty.

/// The text `generate` writes to stdout for these verified documents (see the module docs).
pub fn stdout_json(documents: &[String]) -> String {
    match documents {
        [] => "[]\n".to_string(),
        [one] => ensure_newline(one),
        many => {
            let items: Vec<String> = many
                .iter()
                .map(|d| {
                    d.trim_end()
                        .lines()
                        .map(|l| format!("  {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect();
            format!("[\n{}\n]\n", items.join(",\n"))
        }
    }
}

fn ensure_newline(text: &str) -> String {
    let mut s = text.trim_end().to_string();
    s.push('\n');
    s
}

/// `<profile>-<n>.json`, `n` counted from 1.
pub fn document_file_name(profile: &str, n: usize) -> String {
    format!("{profile}-{n}.json")
}

/// `<profile>-trust.json`.
pub fn trust_file_name(profile: &str) -> String {
    format!("{profile}-trust.json")
}

/// The `n` of a file named `<profile>-<n>.json` (for finding files left by an earlier run).
pub fn document_number(profile: &str, file_name: &str) -> Option<usize> {
    let rest = file_name.strip_prefix(profile)?.strip_prefix('-')?;
    let n = rest.strip_suffix(".json")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || n.starts_with('0') {
        return None;
    }
    n.parse().ok()
}
