//! `.pre-commit-hooks.yaml` with PyPI's `pre-commit` (https://pre-commit.com), end to end: a
//! temporary git repository lists this checkout's hooks in its `.pre-commit-config.yaml` as a
//! user's repository lists greenlight's (a `repo` and a `rev`: here a snapshot commit of the
//! checkout, uncommitted changes included, in a temporary repository), pre-commit builds
//! greenlight with cargo as it does for users (`language: rust`), and the `greenlight-lint` hook
//! fails on a policy that grants everything and passes once it is fixed, skipping
//! `package.json`; the `greenlight-diff` hook fails on a staged change that grants more than
//! `HEAD`.
//!
//! pre-commit is installed into a virtual environment under `target/` (from PyPI: this test
//! needs the network the first time). It fails, it does not skip, when pre-commit cannot be
//! installed. pre-commit builds the hooks' repository once for both hooks and every run (its
//! environment is kept per repository and revision); the build uses `target/pre-commit-build`
//! and the release profile without optimisation or link-time optimisation, so that it takes
//! about as long as a debug build. (`pre-commit try-repo` would clone and build the checkout
//! again for every call: six builds, most of the suite's time.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The `pre-commit` executable of a virtual environment under target/, installed on first use.
fn pre_commit() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-venv");
    let exe = venv.join("bin/pre-commit");
    if exe.exists() {
        return exe;
    }
    let o = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 to create a virtual environment: {e}"));
    assert!(
        o.status.success(),
        "cannot create a virtual environment for pre-commit (python3 -m venv): {}",
        show(&o)
    );
    let o = Command::new(venv.join("bin/pip"))
        .args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit>=3.5,<5",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run pip: {e}"));
    assert!(
        o.status.success(),
        "cannot install pre-commit from PyPI into {} (this test needs the network the first time): {}",
        venv.display(),
        show(&o)
    );
    assert!(exe.exists(), "pip installed no pre-commit executable");
    exe
}

fn git(repo: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", show(&o));
}

/// A repository holding one commit: the checkout's files as they are now (tracked and
/// untracked, without what `.gitignore` leaves out), the way `pre-commit try-repo` snapshots
/// uncommitted changes. The checkout's own repository is only read. Returns the commit.
fn snapshot(dir: &Path) -> String {
    git(dir, &["init", "--quiet"]);
    let root = root();
    let o = Command::new("git")
        .arg("--git-dir")
        .arg(dir.join(".git"))
        .arg("--work-tree")
        .arg(&root)
        .args(["add", "-A", "."])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(o.status.success(), "git add of the checkout: {}", show(&o));
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .arg("--git-dir")
        .arg(dir.join(".git"))
        .args(["commit", "--quiet", "--no-verify", "-m", "snapshot"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git commit of the snapshot: {}",
        show(&o)
    );
    let o = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", show(&o));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// `pre-commit run HOOK --all-files` in `repo`, whose configuration lists the snapshot's hooks.
fn run_hook(pc: &Path, repo: &Path, hook: &str) -> Output {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    Command::new(pc)
        .args(["run", hook, "--all-files", "--color", "never", "--verbose"])
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", tmp.join("pre-commit-home"))
        .env(
            "CARGO_TARGET_DIR",
            tmp.parent().unwrap_or(tmp).join("pre-commit-build"),
        )
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        // the manifest's own opt-level for the SDK crates (`[profile.release.package.*]`),
        // which the variable above does not reach: the last `-C opt-level` given wins
        .env("RUSTFLAGS", "-C opt-level=0")
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .output()
        .unwrap()
}

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const CLEAN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#;

#[test]
fn the_lint_hook_runs_in_a_repository() {
    let pc = pre_commit();
    let hooks = tempfile::tempdir().unwrap();
    let rev = snapshot(hooks.path());
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    git(repo, &["init", "--quiet"]);
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: greenlight-lint\n      - id: greenlight-diff\n",
            hooks.path().display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("iam")).unwrap();
    std::fs::write(repo.join("iam/deploy.json"), ADMIN).unwrap();
    std::fs::write(
        repo.join("package.json"),
        r#"{"name":"app","version":"1.0.0"}"#,
    )
    .unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "--quiet", "-m", "init"]);

    let o = run_hook(&pc, repo, "greenlight-lint");
    let out = show(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("GL089"),
        "the full-admin finding is not shown: {out}"
    );

    std::fs::write(repo.join("iam/deploy.json"), CLEAN).unwrap();
    git(repo, &["commit", "--quiet", "-am", "fix"]);
    let o = run_hook(&pc, repo, "greenlight-lint");
    let out = show(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("skipped"),
        "package.json is not counted as skipped: {out}"
    );

    // greenlight-diff: nothing changed since HEAD passes; a staged change that grants more
    // fails, naming the action; a change that grants nothing new passes.
    let o = run_hook(&pc, repo, "greenlight-diff");
    let out = show(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    std::fs::write(repo.join("iam/deploy.json"), WIDER).unwrap();
    git(repo, &["add", "-A"]);
    let o = run_hook(&pc, repo, "greenlight-diff");
    let out = show(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("s3:PutObject"), "{out}");
    std::fs::write(repo.join("iam/deploy.json"), CLEAN_SPLIT).unwrap();
    git(repo, &["add", "-A"]);
    let o = run_hook(&pc, repo, "greenlight-diff");
    let out = show(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
}

const WIDER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-bucket/*"}]}"#;
/// The clean policy rewritten (the action in another case, the resource list a list).
const CLEAN_SPLIT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["S3:getobject"],"Resource":["arn:aws:s3:::example-bucket/*"]}]}"#;

/// Both hooks are defined, with the commands issue 12 names.
#[test]
fn the_hooks_file_defines_lint_and_diff() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- id: "))
        .collect();
    assert_eq!(ids, ["greenlight-lint", "greenlight-diff"]);
    assert!(text.contains("entry: greenlight lint\n"));
    assert!(text.contains("entry: greenlight diff --base HEAD\n"));
    // every commit runs both: a `*.tfvars`, a `templatefile()` template or a submodule may
    // change what a policy grants (red team 52: a file pattern skipped them)
    assert_eq!(text.matches("\n  always_run: true").count(), 2, "{text}");
    assert!(!text.contains("files:"), "{text}");
}
