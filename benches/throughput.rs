//! Single-core evaluation throughput, reported in both wall time and this thread's CPU time
//! (so that other processes on a shared machine do not inflate the figure).
//!
//! cargo bench --bench throughput
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use greenlight::eval::{Context, Decision, PolicySet, Principal, Request, evaluate_into};
use greenlight::{Source, parse_policy};

/// The same policy as `benches/eval.rs`: 5 statements, wildcards, one condition.
const POLICY: &str = include_str!("deploy-policy.json");

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`).
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let n: u64 = std::env::var("GREENLIGHT_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000_000);
    let policy = parse_policy(&Source::new("deploy-policy.json", POLICY)).unwrap();
    let set = PolicySet {
        identity: vec![policy],
        ..Default::default()
    }
    .compile()
    .unwrap();
    let principal = Some(Principal::parse("arn:aws:iam::111122223333:user/deployer").unwrap());
    let context = Context::new().with("iam:PassedToService", "ecs-tasks.amazonaws.com");
    let requests = [
        (
            "iam:PassRole",
            "arn:aws:iam::111122223333:role/ecs-task-web",
        ),
        (
            "ecs:UpdateService",
            "arn:aws:ecs:us-east-1:111122223333:service/c/s",
        ),
        ("s3:GetObject", "arn:aws:s3:::deploy-artifacts-prod/app.zip"),
        (
            "ecs:DeleteService",
            "arn:aws:ecs:us-east-1:111122223333:service/c/s",
        ),
        ("ec2:RunInstances", "*"),
    ]
    .map(|(action, resource)| Request {
        action: action.into(),
        resource: resource.into(),
        principal: principal.clone(),
        resource_account: None,
        context: context.clone(),
    });
    let mut out = Decision::default();
    for r in &requests {
        for _ in 0..10_000 {
            evaluate_into(&set, r, &mut out).unwrap();
        }
    }
    println!(
        "requests: PassRole (allowed, condition), UpdateService (allowed), GetObject (allowed),"
    );
    println!("          DeleteService (explicit deny), RunInstances (implicit deny)");
    for (i, r) in requests.iter().enumerate() {
        let cpu0 = cpu_ns();
        let t0 = Instant::now();
        for _ in 0..n {
            evaluate_into(black_box(&set), black_box(r), &mut out).unwrap();
            black_box(out.decision);
        }
        let wall = t0.elapsed().as_nanos() as f64;
        let cpu = match (cpu0, cpu_ns()) {
            (Some(a), Some(b)) => Some((b - a) as f64),
            _ => None,
        };
        let per = |ns: f64| n as f64 / ns * 1e9 / 1e6;
        match cpu {
            Some(c) => println!(
                "{i} {:<18} {:>7.1} ns/eval CPU  {:>5.2} M eval/s per CPU-second   (wall: {:>5.2} M eval/s)",
                r.action,
                c / n as f64,
                per(c),
                per(wall)
            ),
            None => println!("{i} {:<18} wall: {:>5.2} M eval/s", r.action, per(wall)),
        }
    }
}
