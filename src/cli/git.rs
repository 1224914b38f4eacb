//! The few git operations `diff --base` needs, through the `git` binary: the repository root,
//! a revision's commit, the files a commit holds, and their contents (one `git cat-file
//! --batch` process for all of them). Every failure is an error with git's own message.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use miette::miette;

fn run(dir: &Path, args: &[&str]) -> miette::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            miette!(
                help =
                    "`diff --base` reads the base revision with git; install git or put it on PATH",
                "cannot run `git`: {e}"
            )
        })
}

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

/// Whether file `f` is under one of `paths` (root-relative; all empty: everything).
fn in_scope(paths: &[String], f: &str) -> bool {
    paths.iter().all(|p| p.is_empty())
        || paths
            .iter()
            .any(|p| f == p || f.starts_with(&format!("{p}/")))
}

/// Whether `paths` reach into the folder `g`: a path is `g`, above it or inside it.
fn reaches(paths: &[String], g: &str) -> bool {
    paths.iter().all(|p| p.is_empty())
        || paths
            .iter()
            .any(|p| p == g || g.starts_with(&format!("{p}/")) || p.starts_with(&format!("{g}/")))
}

/// A work tree and the commit to compare it with.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top directory of the work tree.
    pub root: PathBuf,
    /// The current directory relative to `root` (`""` or ending with `/`).
    pub prefix: String,
    /// The commit id the revision names.
    pub commit: String,
    /// The submodules the commit records (path, commit), read on first use.
    gitlinks: std::sync::OnceLock<Vec<(String, String)>>,
}

impl Repo {
    /// The repository of the current directory, and the commit `rev` names.
    pub fn open(rev: &str) -> miette::Result<Repo> {
        let cwd = std::env::current_dir()
            .map_err(|e| miette!("cannot read the current directory: {e}"))?;
        let o = run(&cwd, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
        if !o.status.success() {
            return Err(miette!(
                help =
                    "run `greenlight diff --base` inside the git work tree whose change it checks",
                "not in a git work tree: {}",
                stderr_of(&o)
            ));
        }
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        let mut lines = text.lines();
        let root = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines.next().unwrap_or_default().to_string();
        if rev.starts_with('-') {
            return Err(miette!("`{rev}` is not a git revision"));
        }
        let spec = format!("{rev}^{{commit}}");
        let o = run(
            &root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
        )?;
        let commit = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if !o.status.success() || commit.is_empty() {
            return Err(miette!(
                help = "give a branch, tag or commit of this repository (in CI, fetch the base branch first, e.g. `git fetch origin main` and `--base origin/main`)",
                "`{rev}` is not a known git revision"
            ));
        }
        Ok(Repo {
            root,
            prefix,
            commit,
            gitlinks: std::sync::OnceLock::new(),
        })
    }

    /// A path given on the command line (relative to the current directory), relative to the
    /// root, with `/` separators and `.`/`..` resolved lexically; `None` when it leaves the
    /// repository.
    pub fn relative(&self, arg: &Path) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        let joined;
        let path = if arg.is_absolute() {
            let cwd_abs = std::fs::canonicalize(&self.root).ok()?;
            let abs = std::fs::canonicalize(arg).unwrap_or_else(|_| arg.to_path_buf());
            joined = abs.strip_prefix(&cwd_abs).ok()?.to_path_buf();
            joined.as_path()
        } else {
            parts.extend(
                self.prefix
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
            arg
        };
        for c in path.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    parts.pop()?;
                }
                std::path::Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
                _ => return None,
            }
        }
        Some(parts.join("/"))
    }

    /// The submodules the commit records: (path, commit) of each gitlink (`git ls-tree`
    /// mode 160000). A failure to list them is an error.
    fn gitlinks(&self) -> miette::Result<&[(String, String)]> {
        if let Some(g) = self.gitlinks.get() {
            return Ok(g);
        }
        let o = run(
            &self.root,
            &["ls-tree", "-r", "-z", "--full-tree", &self.commit],
        )?;
        if !o.status.success() {
            return Err(miette!(
                "cannot list the files of `{}`: {}",
                self.commit,
                stderr_of(&o)
            ));
        }
        let mut v = Vec::new();
        for entry in o.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            // `MODE TYPE OBJECT\tPATH`
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let m: Vec<&str> = meta.split(' ').collect();
            if let [_, "commit", id] = m.as_slice() {
                v.push((path.to_string(), id.to_string()));
            }
        }
        Ok(self.gitlinks.get_or_init(|| v))
    }

    /// The submodule (path, recorded commit) whose folder holds `path`, when the submodule
    /// is checked out in the work tree (its objects are there to read).
    fn submodule_of(&self, path: &str) -> miette::Result<Option<(String, String)>> {
        Ok(self
            .gitlinks()?
            .iter()
            .filter(|(g, _)| path.starts_with(&format!("{g}/")))
            .max_by_key(|(g, _)| g.len())
            .filter(|(g, _)| self.root.join(g).join(".git").exists())
            .cloned())
    }

    /// The files of the commit under `paths` (root-relative; empty: every file). The files of
    /// a submodule it records are listed from the submodule's commit, under the submodule's
    /// path (a repository that vendors policies as a submodule: red team 52).
    pub fn files(&self, paths: &[String]) -> miette::Result<Vec<String>> {
        let mut out: Vec<String> = self.files_in(&self.root, &self.commit, paths)?;
        let links = self.gitlinks()?;
        if links.is_empty() {
            return Ok(out);
        }
        out.retain(|f| !links.iter().any(|(g, _)| g == f));
        for (g, id) in links {
            let dir = self.root.join(g);
            if !reaches(paths, g) || !dir.join(".git").exists() {
                continue;
            }
            for f in self.files_in(&dir, id, &[])? {
                let f = format!("{g}/{f}");
                if in_scope(paths, &f) {
                    out.push(f);
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The files of commit `rev` of the repository at `dir` under `paths`.
    fn files_in(&self, dir: &Path, rev: &str, paths: &[String]) -> miette::Result<Vec<String>> {
        let mut args = vec![
            "ls-tree".to_string(),
            "-r".into(),
            "-z".into(),
            "--name-only".into(),
            "--full-tree".into(),
            rev.to_string(),
            "--".into(),
        ];
        args.extend(paths.iter().filter(|p| !p.is_empty()).cloned());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(dir, &refs)?;
        if !o.status.success() {
            return Err(miette!(
                "cannot list the files of `{rev}` in `{}`: {}",
                dir.display(),
                stderr_of(&o)
            ));
        }
        Ok(o.stdout
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).to_string())
            .collect())
    }

    /// The files under `paths` (root-relative; empty: every file) whose content in the work
    /// tree differs from the commit's (`git diff --name-only`, which compares file status
    /// first and reads a file only when its status changed). Untracked files are not listed.
    pub fn changed(&self, paths: &[String]) -> miette::Result<std::collections::HashSet<String>> {
        let mut out = self.changed_in(&self.root, &self.commit, paths)?;
        // a submodule whose checked-out commit or files differ from the one the commit
        // records is listed by its path (and not at all for a path inside it): its files
        // that differ from the recorded commit are listed instead
        for (g, id) in self.gitlinks()? {
            out.remove(g);
            if !self.root.join(g).join(".git").exists() || !reaches(paths, g) {
                continue;
            }
            for f in self.changed_in(&self.root.join(g), id, &[])? {
                let f = format!("{g}/{f}");
                if in_scope(paths, &f) {
                    out.insert(f);
                }
            }
        }
        Ok(out)
    }

    /// [`Repo::changed`] in the repository at `dir` against its commit `rev`.
    fn changed_in(
        &self,
        dir: &Path,
        rev: &str,
        paths: &[String],
    ) -> miette::Result<std::collections::HashSet<String>> {
        let mut args = vec![
            "diff".to_string(),
            "--name-only".into(),
            "--no-renames".into(),
            "--no-ext-diff".into(),
            "--no-textconv".into(),
            "-z".into(),
            rev.to_string(),
            "--".into(),
        ];
        args.extend(
            paths
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| format!(":(top,literal){p}")),
        );
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(dir, &refs)?;
        if !o.status.success() {
            return Err(miette!(
                "cannot compare the work tree with `{rev}`: {}",
                stderr_of(&o)
            ));
        }
        Ok(o.stdout
            .split(|b| *b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).to_string())
            .collect())
    }

    /// The contents of `paths` (root-relative) in the commit; `None` for a path the commit
    /// does not hold as a file.
    pub fn contents(&self, paths: &[String]) -> miette::Result<Vec<Option<Vec<u8>>>> {
        // a file of a submodule is read from the submodule, at the commit the revision
        // records for it
        let mut own: Vec<(usize, String)> = Vec::new();
        let mut subs: std::collections::BTreeMap<String, (String, Vec<(usize, String)>)> =
            Default::default();
        for (i, p) in paths.iter().enumerate() {
            match self.submodule_of(p)? {
                Some((g, id)) => {
                    let rel = p[g.len() + 1..].to_string();
                    subs.entry(g)
                        .or_insert_with(|| (id, Vec::new()))
                        .1
                        .push((i, rel));
                }
                None => own.push((i, p.clone())),
            }
        }
        let mut out: Vec<Option<Vec<u8>>> = vec![None; paths.len()];
        let requests: Vec<String> = own
            .iter()
            .map(|(_, p)| format!("{}:{}", self.commit, p))
            .collect();
        for ((i, _), c) in own.iter().zip(self.contents_in(&self.root, &requests)?) {
            out[*i] = c;
        }
        for (g, (id, list)) in &subs {
            let requests: Vec<String> = list.iter().map(|(_, p)| format!("{id}:{p}")).collect();
            for ((i, _), c) in list
                .iter()
                .zip(self.contents_in(&self.root.join(g), &requests)?)
            {
                out[*i] = c;
            }
        }
        Ok(out)
    }

    /// The objects `requests` (`REV:PATH`) of the repository at `dir`, in order: `None` for a
    /// path that is not a file there.
    fn contents_in(&self, dir: &Path, requests: &[String]) -> miette::Result<Vec<Option<Vec<u8>>>> {
        let paths = requests;
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(dir)
            // (a symlink at the revision is read as the file it points to inside the
            // repository, as the work tree's side reads it, not as its link text)
            .args(["cat-file", "--batch", "--follow-symlinks"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| miette!("cannot run `git cat-file`: {e}"))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| miette!("cannot write to `git cat-file`"))?;
        let requests: Vec<String> = paths.iter().map(|p| format!("{p}\n")).collect();
        let writer = std::thread::spawn(move || {
            for r in requests {
                if stdin.write_all(r.as_bytes()).is_err() {
                    break;
                }
            }
        });
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| miette!("cannot read from `git cat-file`"))?;
        let mut reader = BufReader::new(stdout);
        let mut out = Vec::with_capacity(paths.len());
        let broken = |what: &str| miette!("unexpected output of `git cat-file --batch`: {what}");
        for p in paths {
            let mut header = String::new();
            reader
                .read_line(&mut header)
                .map_err(|e| broken(&e.to_string()))?;
            let fields: Vec<&str> = header.trim_end().split(' ').collect();
            // (`REV:PATH missing`: the path may hold spaces)
            let absent = header.trim_end().ends_with(" missing")
                || header.trim_end().ends_with(" ambiguous");
            match fields.as_slice() {
                _ if absent => out.push(None),
                // a link out of the repository, to nothing, in a loop, or through a file:
                // no file at the revision (the message's text follows)
                ["symlink" | "dangling" | "loop" | "notdir", size] => {
                    let n: usize = size.parse().map_err(|_| broken(&header))?;
                    let mut bytes = vec![0u8; n + 1];
                    reader
                        .read_exact(&mut bytes)
                        .map_err(|e| broken(&e.to_string()))?;
                    out.push(None);
                }
                [_, kind, size] => {
                    let n: usize = size.parse().map_err(|_| broken(&header))?;
                    let mut bytes = vec![0u8; n + 1];
                    reader
                        .read_exact(&mut bytes)
                        .map_err(|e| broken(&e.to_string()))?;
                    bytes.pop();
                    out.push((*kind == "blob").then_some(bytes));
                }
                _ => return Err(broken(&format!("`{}` for `{p}`", header.trim_end()))),
            }
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(out)
    }
}
