//! Times parsing a large one-line policy in process, in wall and CPU time (this thread), so
//! that a loaded machine does not inflate the figure: `cargo run --release --example
//! parse_one_line [-- FILE]`. Without FILE it generates the 21 MB document of
//! `benches/parse.rs` (never committed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use greenlight::eval::{CompiledPolicy, PolicyType};
use greenlight::{Source, parse_policy};

fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The document of `benches/parse.rs`: about 21 MB on one line.
fn one_line_policy() -> String {
    let mut s = String::from(r#"{"Version":"2012-10-17","Statement":["#);
    let mut i = 0usize;
    while s.len() < 21_000_000 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:GetObject","ecs:UpdateService"],"Resource":"arn:aws:s3:::bucket-{i}/café/*"}}"#
        ));
        i += 1;
    }
    s.push_str("]}");
    s
}

fn main() {
    let (path, bytes) = match std::env::args().nth(1) {
        Some(path) => {
            let bytes = std::fs::read(&path).expect("readable file");
            (path, bytes)
        }
        None => ("one-line.json".to_string(), one_line_policy().into_bytes()),
    };
    let (w0, c0) = (Instant::now(), cpu_ns());
    let source = Source::from_bytes(path.as_str(), bytes).expect("UTF-8");
    let policy = parse_policy(&source).expect("a policy");
    let (w1, c1) = (Instant::now(), cpu_ns());
    let compiled = CompiledPolicy::compile(&policy, PolicyType::Identity).expect("compiles");
    let last = policy
        .statements
        .iter()
        .map(|s| source.line_col(s.span.start).column)
        .max();
    let (w2, c2) = (Instant::now(), cpu_ns());
    let ms = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.0} ms CPU", (b - a) as f64 / 1e6),
        _ => "CPU time unknown".to_string(),
    };
    println!(
        "{} bytes, {} statements (last column {})",
        source.text.len(),
        compiled.len(),
        last.unwrap_or(0)
    );
    println!(
        "read + parse: {:.0} ms wall, {}",
        (w1 - w0).as_secs_f64() * 1e3,
        ms(c0, c1)
    );
    println!(
        "compile + locate every statement: {:.0} ms wall, {}",
        (w2 - w1).as_secs_f64() * 1e3,
        ms(c1, c2)
    );
}
