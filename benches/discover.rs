//! Discovery cost: a generated repository-like tree of 10,000 JSON and YAML files that hold
//! no policy (package manifests, TypeScript configs, workflows, Kubernetes manifests, a few
//! large lock files) plus one policy, walked and sniffed in process (`expand_with` + `run`, as
//! `greenlight lint DIR` does). Target: under 0.5 s.
//!
//! ```sh
//! cargo bench --bench discover
//! ```
//! `GREENLIGHT_KEEP_TREE=1` prints the tree's path and keeps it (for timing the binary with
//! hyperfine).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use greenlight::discover::WalkOptions;
use greenlight::lint::input;
use greenlight::lint::run::{self, Options};

const FILES: usize = 10_000;

fn write(path: &std::path::Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn tree(root: &std::path::Path) {
    let mut lock = String::from("{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{");
    while lock.len() < 1 << 20 {
        lock.push_str("\"node_modules/x\":{\"version\":\"1.0.0\",\"resolved\":\"https://example.com/x.tgz\"},");
    }
    lock.push_str("\"\":{}}}");
    for i in 0..FILES {
        let dir = root.join(format!("pkg{:03}/sub{}", i / 50, i % 5));
        let (name, text): (String, String) = match i % 5 {
            0 => (
                format!("package{i}.json"),
                format!("{{\"name\":\"p{i}\",\"version\":\"1.0.{i}\",\"scripts\":{{\"build\":\"tsc\"}},\"dependencies\":{{\"aws-cdk-lib\":\"2.100.0\"}}}}"),
            ),
            1 => (
                format!("tsconfig{i}.json"),
                "// generated\n{\n  \"compilerOptions\": {\"target\": \"ES2020\", \"strict\": true,},\n  \"include\": [\"src\"]\n}\n".into(),
            ),
            2 => (
                format!("ci{i}.yml"),
                "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n".into(),
            ),
            3 => (
                format!("deploy{i}.yaml"),
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n".into(),
            ),
            _ if i % 1000 == 4 => (format!("package-lock{i}.json"), lock.clone()),
            _ => (
                format!("data{i}.json"),
                format!("[{{\"id\":{i},\"tags\":[\"a\",\"b\"]}}]"),
            ),
        };
        write(&dir.join(name), &text);
    }
    write(
        &root.join("policies/deploy.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#,
    );
}

fn main() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot create a temporary directory: {e}"),
    };
    let t = Instant::now();
    tree(dir.path());
    println!(
        "generated {FILES} files + 1 policy in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let arg = [dir.path().to_string_lossy().into_owned()];
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    let runs = 5;
    for _ in 0..runs {
        let t = Instant::now();
        let inputs = input::expand_with(&arg, &WalkOptions::default());
        let outcome = run::run(&Options {
            inputs,
            ..Default::default()
        });
        let d = t.elapsed();
        assert_eq!(outcome.documents.len(), 1);
        assert_eq!(outcome.skipped.len(), FILES);
        best = best.min(d);
        total += d;
    }
    println!(
        "walk + sniff of {FILES} unrelated files: best {:.1} ms, mean {:.1} ms ({runs} runs, all cores)",
        best.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / runs as f64
    );
    if std::env::var_os("GREENLIGHT_KEEP_TREE").is_some() {
        let kept = dir.keep();
        println!("tree kept at {}", kept.display());
    }
}
