//! Account-scan benchmark: wall time and peak memory of reading an authorization-details file,
//! resolving every principal's policy set, and (mode `scan`) checking every principal against
//! a profile.
//!
//! ```sh
//! cargo bench --bench scan -- FILE [resolve|scan] [PROFILE]
//! ```
//!
//! Run one file per process: the peak RSS reported (`VmHWM` from `/proc/self/status`) is the
//! process's. FILE is generated outside the repository (see the README's Performance section).

use std::time::Instant;

use greenlight::sources::{Account, Resolver, Selection, authz, par_map};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(file) = args.first() else {
        eprintln!("usage: cargo bench --bench scan -- FILE [resolve|scan] [PROFILE]");
        return;
    };
    let mode = args.get(1).map_or("scan", String::as_str);
    let profile_id = args
        .get(2)
        .map_or("ecs-bluegreen-codedeploy-user", String::as_str);
    let start = Instant::now();
    let text = match authz::read_file(std::path::Path::new(file)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let size = text.len();
    let read = start.elapsed();
    let account = match Account::parse(file, &text) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let principals = account.principals(Selection::All);
    let parsed = start.elapsed();
    let (ok, bad) = match mode {
        "resolve" => {
            let resolver = Resolver::new(&account, &principals);
            let results = par_map(&principals, |id| resolver.resolve(id).is_ok());
            let ok = results.iter().filter(|r| **r).count();
            (ok, results.len() - ok)
        }
        _ => scan_mode(&account, &principals, profile_id),
    };
    let total = start.elapsed();
    println!(
        "{file}: {size} bytes, {} principals, mode {mode}: read {:.2} s, parse {:.2} s, total {:.2} s wall; {ok} ok, {bad} indeterminate; peak RSS {:.0} MB ({:.2}x the file)",
        principals.len(),
        read.as_secs_f64(),
        (parsed - read).as_secs_f64(),
        total.as_secs_f64(),
        peak_rss_mb(),
        peak_rss_mb() * 1024.0 * 1024.0 / size as f64,
    );
}

fn scan_mode(
    account: &Account<'_>,
    principals: &[greenlight::sources::PrincipalId],
    profile_id: &str,
) -> (usize, usize) {
    let _ = (account, principals, profile_id);
    eprintln!("mode `scan` needs the check library");
    (0, 0)
}
