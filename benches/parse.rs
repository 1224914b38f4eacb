//! Parsing is linear in the input: a 21 MB policy written on one line (as minifiers and some
//! exporters write them) is parsed, compiled for evaluation (which locates every statement's
//! line) and has every statement located by line and column, as `lint` and `check` do.
//! The document is generated here, never committed. Run with `cargo bench --bench parse`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use greenlight::eval::{CompiledPolicy, PolicyType};
use greenlight::{Source, parse_policy};

/// About 21 MB on one line: statements with a non-ASCII resource name, so columns count
/// characters, not bytes.
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

fn bench(c: &mut Criterion) {
    let text = one_line_policy();
    let source = Source::new("one-line.json", text.as_str());
    let mut group = c.benchmark_group("21 MB one-line policy");
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| parse_policy(black_box(&source)).map(|p| p.statements.len()))
    });
    let Ok(policy) = parse_policy(&source) else {
        return;
    };
    group.bench_function("parse, compile and locate every statement", |b| {
        b.iter(|| {
            // A fresh source: no line or column computed before.
            let source = Source::new("one-line.json", black_box(text.as_str()));
            let Ok(policy) = parse_policy(&source) else {
                return 0;
            };
            let compiled = CompiledPolicy::compile(&policy, PolicyType::Identity).map(|c| c.len());
            let last = policy
                .statements
                .iter()
                .map(|s| source.line_col(s.span.start).column)
                .max();
            compiled.unwrap_or(0) + last.unwrap_or(0) as usize
        })
    });
    drop(policy);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
