//! Compares greenlight's findings with IAM Access Analyzer's real `ValidatePolicy` findings on
//! AWS managed policies. The reference file is NOT part of this repository; pass its path:
//!
//! `cargo run --release --example access_analyzer_compare -- PATH/access-analyzer-findings-managed-policies.json.gz [--details]`
//!
//! For each policy, each Access Analyzer finding is matched with one greenlight finding of a
//! rule that declares that issue code; per issue code the report counts found (matched),
//! missed (Access Analyzer only) and extra (greenlight only, attributed to the rule's first
//! declared code).

use std::collections::BTreeMap;
use std::io::Read;

use greenlight::lint::{PolicyType, lint_source};
use greenlight::source::Source;

#[derive(Default)]
struct Row {
    aa: usize,
    found: usize,
    missed: usize,
    extra: usize,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .ok_or("usage: access_analyzer_compare FILE.json.gz [--details]")?;
    let details = args.iter().any(|a| a == "--details");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_string(&mut text)?;
    let v: serde_json::Value = serde_json::from_str(&text)?;
    let policies = v["policies"].as_array().ok_or("no `policies` array")?;
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for p in policies {
        let name = p["name"].as_str().unwrap_or("?");
        let doc = serde_json::to_string_pretty(&p["document"])?;
        let out = lint_source(
            &Source::new(format!("{name}.json"), doc),
            Some(PolicyType::Identity),
        );
        let mut mine: Vec<(&'static [&'static str], String)> = out
            .findings
            .iter()
            .filter(|f| !f.rule.access_analyzer.is_empty())
            .map(|f| {
                let lc = f.start();
                (
                    f.rule.access_analyzer,
                    format!("{}:{} {} {}", lc.line, lc.column, f.rule.code, f.message),
                )
            })
            .collect();
        for f in p["accessAnalyzerFindings"].as_array().into_iter().flatten() {
            let code = f["issueCode"].as_str().unwrap_or("?").to_string();
            let row = rows.entry(code.clone()).or_default();
            row.aa += 1;
            if let Some(i) = mine
                .iter()
                .position(|(codes, _)| codes.contains(&code.as_str()))
            {
                mine.remove(i);
                row.found += 1;
            } else {
                row.missed += 1;
                if details {
                    println!("MISSED {code} in {name} at {}", f["path"]);
                }
            }
        }
        for (codes, what) in mine {
            rows.entry(codes[0].to_string()).or_default().extra += 1;
            if details {
                println!("EXTRA {} in {name}: {what}", codes[0]);
            }
        }
    }
    println!(
        "{} policies\n\n| Access Analyzer issue code | AA findings | found | missed | extra |\n|---|---:|---:|---:|---:|",
        policies.len()
    );
    let mut t = Row::default();
    for (code, r) in &rows {
        println!(
            "| `{code}` | {} | {} | {} | {} |",
            r.aa, r.found, r.missed, r.extra
        );
        t.aa += r.aa;
        t.found += r.found;
        t.missed += r.missed;
        t.extra += r.extra;
    }
    println!(
        "| **total** | {} | {} | {} | {} |",
        t.aa, t.found, t.missed, t.extra
    );
    Ok(())
}
