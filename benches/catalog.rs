//! Catalog benchmarks: opening the embedded catalog, looking up, expanding and suggesting
//! actions, and (for comparison) what parsing the JSON on every start would cost.
//!
//! Run with `cargo bench --bench catalog`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use greenlight::catalog::{Catalog, Origin, update};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.bench_function("open embedded catalog", |b| {
        b.iter(|| Catalog::open_embedded().map(|c| c.counts().actions))
    });
    g.bench_function("open embedded + first lookup (iam:PassRole)", |b| {
        b.iter(|| {
            let c = Catalog::open_embedded().ok()?;
            c.action(black_box("iam:PassRole"))
                .map(|a| a.access_level())
        })
    });
    let dir = std::env::temp_dir().join(format!("greenlight-bench-{}", std::process::id()));
    let file = dir.join(update::CACHE_FILE);
    if update::write_atomically(&file, &update::cache_bytes(Catalog::embedded())).is_ok() {
        g.bench_function(
            "open the user cache (chunks on demand) + look up iam:PassRole",
            |b| {
                b.iter(|| {
                    let c = Catalog::open_lazily(black_box(&file)).ok()??;
                    let a = c.action(black_box("iam:PassRole"))?;
                    Some((a.access_level(), a.resources().len(), c.provenance()))
                })
            },
        );
        g.bench_function("read + verify the whole user cache file", |b| {
            b.iter(|| {
                update::read_cache_file(black_box(&file)).map(|c| c.map(|c| c.counts().actions))
            })
        });
    }
    let blob = Catalog::embedded().as_bytes().to_vec();
    g.sample_size(20);
    g.bench_function(
        "check every reference of a compiled catalog (--catalog FILE.bin)",
        |b| {
            b.iter(|| {
                Catalog::from_blob(black_box(blob.clone()), Origin::Memory)
                    .map(|c| c.counts().actions)
            })
        },
    );
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    let gz = include_bytes!("../data/iam-catalog.json.gz");
    g.bench_function("for comparison: gunzip + parse the 7.8 MB JSON", |b| {
        b.iter(|| update::parse_bundle(black_box(gz), "bench").map(|b| b.services.len()))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn queries(c: &mut Criterion) {
    let cat = Catalog::embedded();
    let mut g = c.benchmark_group("query");
    g.bench_function("action lookup iam:PassRole", |b| {
        b.iter(|| cat.action(black_box("iam:PassRole")).is_some())
    });
    for p in [
        "codedeploy:*",
        "s3:Get*",
        "ec2:*Vpc*",
        "*:Describe*",
        "*:*Object?",
        "*",
    ] {
        g.bench_function(format!("expand {p}"), |b| {
            b.iter(|| cat.expand(black_box(p)).len())
        });
    }
    g.bench_function("suggest codedpeloy:ContinueDeployment", |b| {
        b.iter(|| cat.suggest(black_box("codedpeloy:ContinueDeployment"), 3))
    });
    g.bench_function("condition key aws:RequestTag/Env", |b| {
        b.iter(|| cat.condition_key(black_box("aws:RequestTag/Env")).is_some())
    });
    let pass_role = cat.action("iam:PassRole");
    g.bench_function("ARN to resource type (iam:PassRole)", |b| {
        b.iter(|| {
            pass_role.map(|a| {
                a.resources_for_arn(black_box("arn:aws:iam::123456789012:role/app"))
                    .len()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, load, queries);
criterion_main!(benches);
