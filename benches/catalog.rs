//! Catalog benchmarks: loading the embedded catalog, looking up and expanding actions.
//! Run with `cargo bench --bench catalog`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use greenlight::catalog::Catalog;

fn bench(c: &mut Criterion) {
    let cat = Catalog::embedded();
    c.bench_function("expand codedeploy:*", |b| {
        b.iter(|| cat.expand(black_box("codedeploy:*")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
