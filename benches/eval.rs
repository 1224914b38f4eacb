//! Evaluation throughput: one request against a realistic 5-statement identity policy with
//! wildcards and one condition, compiled once.
//!
//! cargo bench --bench eval
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use greenlight::eval::{Context, Decision, PolicySet, Principal, Request, evaluate, evaluate_into};
use greenlight::{Source, parse_policy};
use std::hint::black_box;

const POLICY: &str = include_str!("deploy-policy.json");

fn bench(c: &mut Criterion) {
    let policy = parse_policy(&Source::new("deploy.json", POLICY)).unwrap();
    let set = PolicySet {
        identity: vec![policy],
        ..Default::default()
    }
    .compile()
    .unwrap();
    let request = Request {
        action: "iam:PassRole".into(),
        resource: "arn:aws:iam::111122223333:role/ecs-task-web".into(),
        principal: Some(Principal::parse("arn:aws:iam::111122223333:user/deployer").unwrap()),
        resource_account: None,
        context: Context::new().with("iam:PassedToService", "ecs-tasks.amazonaws.com"),
    };
    assert!(evaluate(&set, &request).unwrap().decision.is_allowed());
    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(1));
    let mut out = Decision::default();
    g.bench_function("evaluate_into (reused Decision)", |b| {
        b.iter(|| {
            evaluate_into(black_box(&set), black_box(&request), &mut out).unwrap();
            black_box(out.decision)
        })
    });
    g.bench_function("evaluate (fresh Decision)", |b| {
        b.iter(|| {
            evaluate(black_box(&set), black_box(&request))
                .unwrap()
                .decision
        })
    });
    let deny = Request {
        action: "ecs:DeleteService".into(),
        resource: "arn:aws:ecs:us-east-1:111122223333:service/c/s".into(),
        ..request.clone()
    };
    g.bench_function("evaluate_into explicit deny", |b| {
        b.iter(|| {
            evaluate_into(black_box(&set), black_box(&deny), &mut out).unwrap();
            black_box(out.decision)
        })
    });
    g.finish();
    c.bench_function("parse + compile the policy", |b| {
        b.iter(|| {
            let p = parse_policy(&Source::new("deploy.json", black_box(POLICY))).unwrap();
            PolicySet {
                identity: vec![p],
                ..Default::default()
            }
            .compile()
            .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
