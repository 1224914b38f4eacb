//! Running the `greenlight` binary from integration tests: one runner with a clean
//! environment (no user catalog cache, no system git configuration, no colour), and the
//! small file helpers the template tests share.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs `greenlight` in `dir`: exit code, standard output, standard error.
pub fn gl_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `greenlight` in the crate's folder.
pub fn gl(args: &[&str]) -> (i32, String, String) {
    gl_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Writes `text` to `dir/name` (creating folders) and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs `git` in `repo` (no system configuration), failing the test on an error.
pub fn git(repo: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {o:?}");
}

/// Runs `greenlight` in `dir` and keeps the whole output (no system git configuration, no
/// colour, no user catalog cache).
pub fn greenlight(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// An output as text for assertion messages.
pub fn show(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Standard output parsed as JSON.
pub fn parsed(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", show(o)))
}

/// A git repository with `files` committed.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    git(d.path(), &["init", "--quiet"]);
    for (p, text) in files {
        write(d.path(), p, text);
    }
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "--quiet", "-m", "base"]);
    d
}

/// The `(path, document, policyType)` of each group of a `diff --base` JSON list (`added`,
/// `removed`).
pub fn units<'a>(v: &'a serde_json::Value, list: &str) -> Vec<(&'a str, &'a str, &'a str)> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["path"].as_str().unwrap(),
                g["document"].as_str().unwrap(),
                g["policyType"].as_str().unwrap(),
            )
        })
        .collect()
}
