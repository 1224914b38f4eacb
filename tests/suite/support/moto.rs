//! Where the live tests get `moto_server` from.
//!
//! `moto_server` on PATH is used as it is (with `python3` from PATH for the boto3 fixture
//! scripts). Otherwise the tests install [`MOTO_REQUIREMENT`] once into a virtual environment
//! under the target directory (`target/moto-venv`) and use its `moto_server` and `python`: a
//! fresh machine with only Rust and Python 3 runs `cargo test --locked` as it is. Test threads
//! share one installation (a `OnceLock`); test processes share it through a lock file
//! (`target/moto-venv.lock`, created exclusively, removed when the installation ends). Only a
//! missing `python3` (or a Python that cannot create a virtual environment) is an error.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

/// The same pin as `.ci/run` and the README.
pub const MOTO_REQUIREMENT: &str = "moto[server]>=5.2,<6";

/// A complete installation writes this file last, with the requirement it installed.
const MARKER: &str = "greenlight-moto-requirement.txt";

/// A lock file older than this is left over from a killed run.
const STALE_LOCK: Duration = Duration::from_secs(20 * 60);

pub struct Tools {
    /// `moto_server`.
    pub server: PathBuf,
    /// The Python that has boto3 (moto depends on it), for the fixture scripts.
    pub python: PathBuf,
}

/// The tools, found or installed on first use (one attempt per test process).
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    match TOOLS.get_or_init(find_or_install) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

fn exe(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

/// The first executable file named `name` in PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(exe(name)))
        .find(|p| p.is_file())
}

fn find_or_install() -> Result<Tools, String> {
    if let Some(server) = on_path("moto_server") {
        let python = on_path("python3").unwrap_or_else(|| PathBuf::from("python3"));
        return Ok(Tools { server, python });
    }
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .to_path_buf();
    install(&target.join("moto-venv"), &target.join("moto-venv.lock"))
}

fn venv_bin(venv: &Path, name: &str) -> PathBuf {
    venv.join(if cfg!(windows) { "Scripts" } else { "bin" })
        .join(exe(name))
}

fn installed(venv: &Path) -> Option<Tools> {
    let marker = std::fs::read_to_string(venv.join(MARKER)).ok()?;
    let tools = Tools {
        server: venv_bin(venv, "moto_server"),
        python: venv_bin(venv, "python"),
    };
    (marker.trim() == MOTO_REQUIREMENT && tools.server.is_file() && tools.python.is_file())
        .then_some(tools)
}

/// Removes the lock file when the installation ends, also when it fails.
struct LockGuard(PathBuf);

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn install(venv: &Path, lock: &Path) -> Result<Tools, String> {
    let deadline = Instant::now() + STALE_LOCK;
    let _guard = loop {
        if let Some(t) = installed(venv) {
            return Ok(t);
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(lock)
        {
            Ok(_) => break LockGuard(lock.to_path_buf()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Another test process is installing: wait for it, unless its lock is stale.
                let age = std::fs::metadata(lock)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok());
                if age.is_some_and(|a| a > STALE_LOCK) {
                    let _ = std::fs::remove_file(lock);
                    continue;
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "waited {} minutes for another test process to install moto into `{}`; delete `{}` if no such process runs",
                        STALE_LOCK.as_secs() / 60,
                        venv.display(),
                        lock.display()
                    ));
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => return Err(format!("cannot create `{}`: {e}", lock.display())),
        }
    };
    // Holding the lock: check again (another process may have finished meanwhile).
    if let Some(t) = installed(venv) {
        return Ok(t);
    }
    let python3 = on_path("python3").ok_or_else(|| {
        format!(
            "the live tests need `moto_server`: it is not on PATH, and installing it into `{}` needs `python3`, which is not on PATH either",
            venv.display()
        )
    })?;
    eprintln!(
        "live tests: `moto_server` is not on PATH; installing `{MOTO_REQUIREMENT}` into `{}` (once)",
        venv.display()
    );
    if venv.exists() {
        std::fs::remove_dir_all(venv)
            .map_err(|e| format!("cannot remove the incomplete `{}`: {e}", venv.display()))?;
    }
    run(
        Command::new(&python3).args(["-m", "venv"]).arg(venv),
        "python3 -m venv (on Debian and Ubuntu it needs the `python3-venv` package)",
    )?;
    run(
        Command::new(venv_bin(venv, "python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            MOTO_REQUIREMENT,
        ]),
        &format!("pip install '{MOTO_REQUIREMENT}' (it needs access to PyPI)"),
    )?;
    std::fs::write(venv.join(MARKER), MOTO_REQUIREMENT)
        .map_err(|e| format!("cannot write `{}`: {e}", venv.join(MARKER).display()))?;
    installed(venv).ok_or_else(|| {
        format!(
            "`{MOTO_REQUIREMENT}` was installed into `{}` but `moto_server` is not there",
            venv.display()
        )
    })
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}
