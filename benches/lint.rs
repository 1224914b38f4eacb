//! Lint throughput. Runs in-process over a directory of policy files (one thread and every
//! core) and over one file.
//!
//! ```sh
//! GREENLIGHT_BENCH_DIR=/path/to/medium-policies cargo bench --bench lint
//! ```
//! Without `GREENLIGHT_BENCH_DIR` only the single-file case runs (on a fixture).

use std::time::{Duration, Instant};

use greenlight::lint::input::{self, Input};
use greenlight::lint::run::{self, Options};

fn time<F: FnMut() -> usize>(label: &str, runs: usize, mut f: F) {
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        n = f();
        let d = t.elapsed();
        best = best.min(d);
        total += d;
    }
    println!(
        "{label}: best {:.2} ms, mean {:.2} ms ({n} findings, {runs} runs)",
        best.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / runs as f64
    );
}

fn main() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lint/GL098/bad.json"
    );
    let one = vec![Input::File(fixture.into())];
    time("one file, in process", 200, || {
        run::run(&Options {
            inputs: one.clone(),
            threads: 1,
            ..Default::default()
        })
        .findings
        .len()
    });
    let Some(dir) = std::env::var_os("GREENLIGHT_BENCH_DIR") else {
        println!("set GREENLIGHT_BENCH_DIR to a directory of policies for the directory benchmark");
        return;
    };
    let inputs = input::expand(&[dir.to_string_lossy().into_owned()]);
    println!("{} files", inputs.len());
    for threads in [1, 0] {
        let label = if threads == 1 {
            "directory, 1 thread"
        } else {
            "directory, all cores"
        };
        time(label, 5, || {
            run::run(&Options {
                inputs: inputs.clone(),
                threads,
                ..Default::default()
            })
            .findings
            .len()
        });
    }
}
