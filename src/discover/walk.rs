//! Directory walks that know a repository: `.gitignore` (also outside a git work tree),
//! `.ignore`, `.git/info/exclude`, hidden files and directories and `node_modules` are skipped
//! unless `no_ignore` is set; a `node_modules` directory is reported as skipped, never dropped
//! silently. (`target` is walked: it is a common name for deployment folders, and a build
//! output of that name is in the repository's `.gitignore`.) The user's global git excludes are not read, so a
//! walk gives the same files on every machine.

use std::path::{Path, PathBuf};

/// Settings of a walk.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Walk ignored and hidden files too (`--no-ignore`); `.git` is never walked.
    pub no_ignore: bool,
    /// Files never returned (greenlight's own configuration and baseline files), compared
    /// after resolving symbolic links.
    pub exclude: Vec<PathBuf>,
}

/// One entry of a walk, in path order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Walked {
    /// A file whose name says it may hold a policy (see [`super::candidate`]): it is sniffed.
    Candidate(PathBuf),
    /// A file skipped without reading it, and why.
    Skipped(PathBuf, String),
    /// A directory or entry that could not be read (never a silent skip).
    Error(String, String),
}

/// The files under `dir`, in path order (each directory's entries sorted by name).
pub fn walk(dir: &Path, opts: &WalkOptions) -> Vec<Walked> {
    let mut out = Vec::new();
    walk_each(dir, opts, &mut |w| out.push(w));
    out
}

/// [`walk`], each entry handed to `sink` as the walk finds it (in the same order), so that a
/// caller can start on the first files while the walk goes on.
pub fn walk_each(dir: &Path, opts: &WalkOptions, sink: &mut dyn FnMut(Walked)) {
    let mut b = ignore::WalkBuilder::new(dir);
    b.standard_filters(!opts.no_ignore)
        .git_global(false)
        .require_git(false)
        .follow_links(true)
        // siblings' paths are their directory's path joined with their names, so the byte
        // order of the paths is the byte order of the names (the `OsStr` order); comparing
        // names made the walker split both paths from the end at every comparison
        .sort_by_file_path(|a, b| {
            a.as_os_str()
                .as_encoded_bytes()
                .cmp(b.as_os_str().as_encoded_bytes())
        });
    let no_ignore = opts.no_ignore;
    let skipped_dirs = std::sync::Arc::new(std::sync::Mutex::new(Vec::<PathBuf>::new()));
    let seen = skipped_dirs.clone();
    b.filter_entry(move |e| {
        if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        let name = e.file_name();
        if name == ".git" {
            return false;
        }
        if !no_ignore && name == "node_modules" {
            if let Ok(mut s) = seen.lock() {
                s.push(e.path().to_path_buf());
            }
            return false;
        }
        true
    });
    let excluded_names: Vec<&std::ffi::OsStr> =
        opts.exclude.iter().filter_map(|p| p.file_name()).collect();
    for entry in b.build() {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.display().to_string(),
                    _ => dir.display().to_string(),
                };
                sink(Walked::Error(path, err.to_string()));
                continue;
            }
        };
        if e.file_type().is_none_or(|t| t.is_dir()) {
            continue;
        }
        let path = e.into_path();
        // (the name once: `Path::file_name` parses the path from its end)
        let name = super::paths::file_name_str(&path);
        // (a name that is not UTF-8 is compared as `Path::file_name` gives it)
        let file_name = name.map_or_else(
            || path.file_name().unwrap_or_default(),
            std::ffi::OsStr::new,
        );
        if excluded_names.contains(&file_name)
            && std::fs::canonicalize(&path).is_ok_and(|c| opts.exclude.contains(&c))
        {
            sink(Walked::Skipped(
                path,
                "greenlight's own configuration or baseline file".into(),
            ));
            continue;
        }
        // (every variable definitions file name ends so: most names need no closer look)
        let vars = |n: &str| {
            (n.ends_with("tfvars") || n.ends_with("tfvars.json"))
                && crate::iac::terraform::hcl::is_vars_name(n)
        };
        if name.is_some_and(vars) {
            sink(Walked::Skipped(
                path,
                "a Terraform variable definitions file (read with the module of its folder)".into(),
            ));
        } else if name.is_some_and(super::candidate_name) {
            sink(Walked::Candidate(path));
        } else {
            sink(Walked::Skipped(
                path,
                "not a JSON, YAML or Terraform file".into(),
            ));
        }
    }
    let dirs = std::mem::take(&mut *skipped_dirs.lock().unwrap_or_else(|e| e.into_inner()));
    for d in dirs {
        sink(Walked::Skipped(
            d,
            "a `node_modules` directory, not walked (`--no-ignore` walks it)".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        dir
    }

    fn candidates(dir: &Path, opts: &WalkOptions) -> Vec<String> {
        walk(dir, opts)
            .into_iter()
            .filter_map(|w| match w {
                Walked::Candidate(p) => Some(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                ),
                _ => None,
            })
            .collect()
    }

    /// `.gitignore` applies without a `.git` directory; hidden entries and `node_modules` are
    /// skipped (`node_modules` reported as skipped); `target` is walked; `--no-ignore` walks
    /// them all but `.git`; the order is path order.
    #[test]
    fn ignores_and_order() {
        let d = tree(&[
            (".gitignore", "cdk.out/\n*.local.json\n"),
            ("b.json", "{}"),
            ("a/x.json", "{}"),
            ("a.json", "{}"),
            ("a/y.txt", ""),
            ("x.local.json", "{}"),
            ("cdk.out/s.template.json", "{}"),
            (".hidden/h.json", "{}"),
            (".h.json", "{}"),
            (".git/c.json", "{}"),
            ("node_modules/n.json", "{}"),
            ("target/t.json", "{}"),
            ("t.tf", ""),
            ("c.yaml", ""),
        ]);
        let got = candidates(d.path(), &WalkOptions::default());
        assert_eq!(
            got,
            [
                "a/x.json",
                "a.json",
                "b.json",
                "c.yaml",
                "t.tf",
                "target/t.json"
            ]
        );
        let w = walk(d.path(), &WalkOptions::default());
        assert!(
            w.iter().any(|x| matches!(x, Walked::Skipped(p, why) if p.ends_with("node_modules") && why.contains("node_modules"))),
            "{w:?}"
        );
        let all = candidates(
            d.path(),
            &WalkOptions {
                no_ignore: true,
                ..WalkOptions::default()
            },
        );
        assert_eq!(
            all,
            [
                ".h.json",
                ".hidden/h.json",
                "a/x.json",
                "a.json",
                "b.json",
                "c.yaml",
                "cdk.out/s.template.json",
                "node_modules/n.json",
                "t.tf",
                "target/t.json",
                "x.local.json"
            ]
        );
        // a directory named explicitly is walked even when a parent's `.gitignore` lists it
        let named = candidates(&d.path().join("cdk.out"), &WalkOptions::default());
        assert_eq!(named, ["s.template.json"]);
    }

    #[test]
    fn excluded_files_and_unreadable_directories() {
        let d = tree(&[("p.json", "{}"), ("greenlight.json", "{}")]);
        let opts = WalkOptions {
            exclude: vec![std::fs::canonicalize(d.path().join("greenlight.json")).unwrap()],
            ..WalkOptions::default()
        };
        let w = walk(d.path(), &opts);
        assert!(
            matches!(&w[0], Walked::Skipped(p, why) if p.ends_with("greenlight.json") && why.contains("own")),
            "{w:?}"
        );
        assert!(matches!(&w[1], Walked::Candidate(p) if p.ends_with("p.json")));
        let gone = walk(&d.path().join("gone"), &WalkOptions::default());
        assert!(matches!(&gone[..], [Walked::Error(..)]), "{gone:?}");
    }
}
