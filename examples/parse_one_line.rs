//! Times parsing a large policy file in process, in wall and CPU time (this thread), so that a
//! loaded machine does not inflate the figure. `cargo run --release --example parse_one_line
//! -- FILE` (the README's Performance section generates the file with `benches/parse.rs`'s
//! recipe).
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

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let bytes = std::fs::read(&path).expect("readable file");
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
