//! `diff` of two 20-statement identity policies (five services, resource ARNs with
//! wildcards, five kinds of conditions; NEW adds one `Delete*` pattern), library call.
//!
//! cargo bench --bench analysis
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use greenlight::analysis::{Kind, diff};
use greenlight::{Source, parse_policy};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let old = parse_policy(&Source::new("old.json", include_str!("diff-old.json"))).unwrap();
    let new = parse_policy(&Source::new("new.json", include_str!("diff-new.json"))).unwrap();
    let d = diff(&old, &new, Kind::Identity, 1).unwrap();
    assert_eq!(d.added.len(), 1);
    assert!(d.removed.is_empty() && d.unknown.is_empty());
    let mut g = c.benchmark_group("diff");
    g.sample_size(20);
    g.bench_function("20 statements vs 20 statements", |b| {
        b.iter(|| diff(black_box(&old), black_box(&new), Kind::Identity, 1).unwrap())
    });
    g.bench_function("equal policies", |b| {
        b.iter(|| diff(black_box(&old), black_box(&old), Kind::Identity, 1).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
