//! Lints every AWS managed policy in `data/aws-managed-policies.json.gz` (or the file given)
//! and prints the number of findings per rule as a Markdown table.
//!
//! `cargo run --release --example lint_managed_policies [-- FILE] [--errors]`

use std::collections::BTreeMap;
use std::io::Read;

use greenlight::lint::{PolicyType, lint_source, rules};
use greenlight::source::Source;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "data/aws-managed-policies.json.gz".into());
    let show_errors = args.iter().any(|a| a == "--errors");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_string(&mut text)?;
    let v: serde_json::Value = serde_json::from_str(&text)?;
    let policies = v["policies"].as_array().ok_or("no `policies` array")?;
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failed = 0;
    for p in policies {
        let name = p["name"].as_str().unwrap_or("?");
        let doc = serde_json::to_string_pretty(&p["document"])?;
        let src = Source::new(format!("{name}.json"), doc);
        let out = lint_source(&src, Some(PolicyType::Identity));
        failed += usize::from(out.failed);
        let mut seen = std::collections::BTreeSet::new();
        for f in &out.findings {
            let e = counts.entry(f.rule.code).or_default();
            e.0 += 1;
            if seen.insert(f.rule.code) {
                e.1 += 1;
            }
            if show_errors && f.severity == greenlight::lint::Severity::Error {
                let lc = f.start();
                println!(
                    "{}:{}:{} {} {}",
                    f.file(),
                    lc.line,
                    lc.column,
                    f.rule.code,
                    f.message
                );
            }
        }
    }
    println!(
        "{} policies linted, {failed} failed to parse\n\n| code | rule | severity | findings | policies |\n|---|---|---|---:|---:|",
        policies.len()
    );
    for r in rules::ALL {
        if let Some((n, pols)) = counts.get(r.code) {
            println!(
                "| {} | `{}` | {} | {n} | {pols} |",
                r.code, r.name, r.severity
            );
        }
    }
    Ok(())
}
