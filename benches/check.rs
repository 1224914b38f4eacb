//! `check` and `generate` in process: loading the profiles, checking one principal against one
//! profile, generating a verified policy. Run with `cargo bench --bench check`. The whole-process
//! figure quoted in the README is measured with hyperfine on the release binary.

use std::collections::BTreeMap;

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use greenlight::check::{PrincipalPolicies, check_principal};
use greenlight::{Source, parse_policy, profiles};

fn bench(c: &mut Criterion) {
    c.bench_function("load and validate every profile", |b| {
        b.iter(|| profiles::load_all(black_box(profiles::EMBEDDED)))
    });
    let text =
        std::fs::read_to_string("policies/examples/ecs-bluegreen-seed.json").unwrap_or_default();
    let policy = match parse_policy(&Source::new("ecs-bluegreen-seed.json", text)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let principal = PrincipalPolicies {
        identity: vec![policy],
        ..PrincipalPolicies::default()
    };
    let Ok(profile) = profiles::get("ecs-bluegreen-codedeploy-user") else {
        return;
    };
    let params = BTreeMap::new();
    c.bench_function(
        "check seed policy against ecs-bluegreen-codedeploy-user",
        |b| b.iter(|| check_principal(profile, black_box(&principal), &params)),
    );
    let resolved = match profile.resolve_params(&params, None) {
        Ok(r) => r,
        Err(_) => return,
    };
    c.bench_function(
        "generate ecs-bluegreen-codedeploy-user (with self-check)",
        |b| b.iter(|| greenlight::generate::generate_policy(profile, black_box(&resolved), None)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
