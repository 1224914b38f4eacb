//! `diff --base REF` over Terraform configuration: a folder's `.tf` files are one module, so
//! when any of them changed, the folder's module at the revision (its `.tf` files read from
//! git, named `REF:path`, and the files `file()` reads, also at the revision) is compared with
//! the working tree's; units are matched by address (principals) and `ADDRESS/ARGUMENT`
//! (documents), and named by the `.tf` file that defines them. A module new in the working
//! tree is all added, one gone all removed.

use std::collections::BTreeMap;
use std::path::Path;

use miette::miette;

use super::diff_units::{Pair, default_pairs, pairs};
use super::git::Repo;
use crate::iac::cfn::Inputs;
use crate::iac::terraform::hcl::{self, Module, Reader};

/// `file()` at the revision: the path relative to the module folder, resolved lexically within
/// the repository, read with `git cat-file`.
struct AtRevision<'a> {
    repo: &'a Repo,
    rev: &'a str,
    /// The module folder, relative to the root (`""`: the root).
    folder: &'a str,
}

impl AtRevision<'_> {
    /// `rel` (relative to the module folder) as a root-relative path; `None` outside the root.
    fn resolve(&self, rel: &str) -> Option<String> {
        let mut parts: Vec<&str> = self.folder.split('/').filter(|s| !s.is_empty()).collect();
        for c in rel.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                x => parts.push(x),
            }
        }
        Some(parts.join("/"))
    }
}

impl Reader for AtRevision<'_> {
    fn read(&self, rel: &str) -> Result<(String, String), String> {
        let path = self.resolve(rel).ok_or_else(|| {
            format!(
                "`file(\"{rel}\")` reads outside the repository; greenlight reads files inside it only"
            )
        })?;
        let bytes = self
            .repo
            .contents(std::slice::from_ref(&path))
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .flatten()
            .ok_or_else(|| format!("`{path}` is not a file at `{}`", self.rev))?;
        if bytes.len() as u64 > hcl::MAX_FILE {
            return Err(format!("`{}:{path}` is larger than 16 MiB", self.rev));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("`{}:{path}` is not UTF-8 text", self.rev))?;
        Ok((format!("{}:{path}", self.rev), text))
    }

    fn tf_files(&self, rel: &str) -> Result<Option<hcl::Listing>, String> {
        let Some(folder) = self.resolve(rel) else {
            return Ok(None);
        };
        let names: Vec<String> = self
            .repo
            .files(std::slice::from_ref(&folder))
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|f| is_tf(f) && folder_of(f) == folder)
            .collect();
        if names.is_empty() {
            return Err(format!("`{folder}` holds no `.tf` file at `{}`", self.rev));
        }
        let contents = self.repo.contents(&names).map_err(|e| e.to_string())?;
        Ok(Some(
            names
                .iter()
                .zip(contents)
                .filter_map(|(n, b)| b.map(|b| (format!("{}:{n}", self.rev), b)))
                .collect(),
        ))
    }
}

fn is_tf(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tf.json")
}

/// A `.tf` file, or a variable definitions file Terraform loads in a root module
/// (`terraform.tfvars`, `*.auto.tfvars`, ...).
fn is_tf_or_vars(path: &str) -> bool {
    is_tf(path) || hcl::is_vars_name(path)
}

/// The folder of a root-relative path (`""` for the root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Takes the `.tf` files out of `changed` (root-relative files that differ from the revision)
/// and returns their folders.
pub(super) fn take_folders(changed: &mut Vec<(String, bool)>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    changed.retain(|(p, _)| {
        if is_tf_or_vars(p) {
            out.entry(folder_of(p).to_string())
                .or_default()
                .push(p.clone());
            false
        } else {
            true
        }
    });
    out
}

/// The module of `folder` at the revision; `None` when the folder holds no `.tf` file there.
fn at_revision(
    repo: &Repo,
    rev: &str,
    folder: &str,
    inputs: &Inputs,
) -> miette::Result<Option<Result<Module, crate::parse::ParseError>>> {
    let listed = repo.files(&[folder.to_string()])?;
    let names: Vec<String> = listed
        .into_iter()
        .filter(|f| is_tf_or_vars(f) && folder_of(f) == folder)
        .collect();
    if !names.iter().any(|n| is_tf(n)) {
        return Ok(None);
    }
    let contents = repo.contents(&names)?;
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .zip(contents)
        .filter_map(|(n, b)| b.map(|b| (format!("{rev}:{n}"), b)))
        .collect();
    let reader = AtRevision { repo, rev, folder };
    let named = format!("{rev}:{}", shown(folder));
    Ok(Some(hcl::load_sources(&named, files, &reader, inputs)))
}

/// The module of `folder` in the working tree; `None` when the folder holds no `.tf` file.
fn in_work_tree(repo: &Repo, folder: &str, inputs: &Inputs) -> miette::Result<Option<Module>> {
    let dir = repo.root.join(folder);
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| is_tf_or_vars(n))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(miette!("cannot read `{}`: {e}", shown(folder))),
    };
    if !names.iter().any(|n| is_tf(n)) {
        return Ok(None);
    }
    names.sort();
    let mut files = Vec::with_capacity(names.len());
    for n in names {
        let rel = if folder.is_empty() {
            n.clone()
        } else {
            format!("{folder}/{n}")
        };
        let bytes = std::fs::read(dir.join(&n)).map_err(|e| miette!("cannot read `{rel}`: {e}"))?;
        files.push((rel, bytes));
    }
    let root = repo
        .root
        .canonicalize()
        .map_err(|e| miette!("cannot read `{}`: {e}", repo.root.display()))?;
    let reader = hcl::Disk {
        dir,
        shown: Path::new(folder).to_path_buf(),
        root,
    };
    Ok(Some(
        hcl::load_sources(shown(folder), files, &reader, inputs).map_err(miette::Report::new)?,
    ))
}

pub(super) fn shown(folder: &str) -> &str {
    if folder.is_empty() { "." } else { folder }
}

/// A root-relative path with `.` and `..` resolved lexically.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    parts.join("/")
}

/// Adds to `modules` the folders (of the working tree's `.tf` files `tf`) whose `.tf` files
/// name one of the `changed` files in a `file()` call: such a module reads it, and is compared
/// as a whole even when none of its `.tf` files changed.
pub(super) fn readers_of<'a>(
    repo: &Repo,
    changed: &[(String, bool)],
    tf: impl Iterator<Item = &'a String>,
    modules: &mut BTreeMap<String, Vec<String>>,
) {
    let names: Vec<&str> = changed
        .iter()
        .map(|(p, _)| p.rsplit('/').next().unwrap_or(p))
        .collect();
    if names.is_empty() {
        return;
    }
    for f in tf.filter(|f| is_tf(f)) {
        let folder = folder_of(f);
        if modules.contains_key(folder) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(repo.root.join(f)) else {
            continue;
        };
        if text.contains("file(") && names.iter().any(|n| text.contains(n)) {
            modules.insert(folder.to_string(), Vec::new());
        }
    }
}

/// Adds to `modules` the folders (of the working tree's `.tf` files `tf`) whose `module`
/// blocks call one of the `modules` folders (through local sources, transitively): a module
/// reads its child modules, and is compared as a whole when one of them changed.
pub(super) fn callers_of<'a>(
    repo: &Repo,
    tf: impl Iterator<Item = &'a String>,
    modules: &mut BTreeMap<String, Vec<String>>,
) {
    // folder → the folders its `.tf` files call
    let mut calls: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in tf.filter(|f| is_tf(f)) {
        let folder = folder_of(f);
        let Ok(text) = std::fs::read_to_string(repo.root.join(f)) else {
            continue;
        };
        for src in hcl::modules::local_sources(&text) {
            calls
                .entry(folder.to_string())
                .or_default()
                .push(normalize(&format!("{folder}/{src}")));
        }
    }
    // every round adds at least one folder, or stops
    loop {
        let add: Vec<String> = calls
            .iter()
            .filter(|(caller, called)| {
                !modules.contains_key(*caller) && called.iter().any(|c| modules.contains_key(c))
            })
            .map(|(caller, _)| caller.clone())
            .collect();
        if add.is_empty() {
            break;
        }
        for a in add {
            modules.insert(a, Vec::new());
        }
    }
}

/// The folders of `modules` that another folder of `modules` calls through a local module
/// source (in the working tree), each with its callers, where a chain of such callers ends in
/// a folder compared on its own; a folder named in `scope` itself is left out (compared on its
/// own, as asked).
pub(super) fn called_folders(
    repo: &Repo,
    modules: &BTreeMap<String, Vec<String>>,
    scope: &[String],
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for caller in modules.keys() {
        let dir = repo.root.join(caller);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| is_tf(n))
            .collect();
        names.sort();
        for n in names {
            let Ok(text) = std::fs::read_to_string(dir.join(&n)) else {
                continue;
            };
            for src in hcl::modules::local_sources(&text) {
                let called = normalize(&format!("{caller}/{src}"));
                if called != *caller
                    && modules.contains_key(&called)
                    && !scope.iter().any(|p| {
                        let p = normalize(p);
                        p == called || (is_tf_or_vars(&p) && folder_of(&p) == called)
                    })
                {
                    let v = out.entry(called).or_default();
                    if !v.contains(caller) {
                        v.push(caller.clone());
                    }
                }
            }
        }
    }
    // only where a chain of callers ends in a folder compared on its own: folders that call
    // each other in a cycle are compared, and read as the error a module cycle is
    let mut reached: std::collections::BTreeSet<&String> =
        modules.keys().filter(|f| !out.contains_key(*f)).collect();
    loop {
        let more: Vec<&String> = out
            .iter()
            .filter(|(f, callers)| {
                !reached.contains(f) && callers.iter().any(|c| reached.contains(c))
            })
            .map(|(f, _)| f)
            .collect();
        if more.is_empty() {
            break;
        }
        reached.extend(more);
    }
    let reached: std::collections::BTreeSet<String> = reached.into_iter().cloned().collect();
    out.retain(|f, _| reached.contains(f));
    out
}

/// Adds to `modules` the folders of the in-scope `.tf` files (`in_scope`) that call, through
/// local module sources and transitively over every `.tf` file of the repository, a folder
/// whose `.tf` files changed (`changed`, anywhere in the repository).
pub(super) fn callers_outside(
    repo: &Repo,
    changed: &std::collections::HashSet<String>,
    in_scope: &[(String, bool)],
    modules: &mut BTreeMap<String, Vec<String>>,
) -> miette::Result<()> {
    let scope_folders: std::collections::BTreeSet<String> = in_scope
        .iter()
        .filter(|(f, _)| is_tf(f))
        .map(|(f, _)| folder_of(f).to_string())
        .collect();
    let mut all = modules.clone();
    for f in changed.iter().filter(|f| is_tf_or_vars(f)) {
        all.entry(folder_of(f).to_string()).or_default();
    }
    // every `.tf` file of the repository, in the working tree or at the revision
    let mut tf: Vec<String> = repo.files(&[])?.into_iter().filter(|f| is_tf(f)).collect();
    tf.extend(in_scope.iter().map(|(f, _)| f.clone()).filter(|f| is_tf(f)));
    tf.sort();
    tf.dedup();
    // the modules anywhere that read a changed file (`file()`, `templatefile()`: a template
    // kept next to the child module that renders it, red team 30)
    let changed_pairs: Vec<(String, bool)> = changed.iter().map(|f| (f.clone(), false)).collect();
    readers_of(repo, &changed_pairs, tf.iter(), &mut all);
    if all.len() == modules.len() {
        return Ok(());
    }
    callers_of(repo, tf.iter(), &mut all);
    for (folder, files) in all {
        if scope_folders.contains(&folder) && !modules.contains_key(&folder) {
            modules.insert(folder, files);
        }
    }
    Ok(())
}

/// The pairs of units of every module of `folders` (see the module documentation), each
/// named by the file that defines it; and the files (root-relative) the modules read with
/// `file()` on either side, whose policies are compared as part of the module.
pub(super) fn module_pairs(
    repo: &Repo,
    rev: &str,
    folders: &BTreeMap<String, Vec<String>>,
    (inputs, old_inputs): (&Inputs, &Inputs),
) -> miette::Result<(Vec<Pair>, std::collections::BTreeSet<String>)> {
    let mut out = Vec::new();
    let mut read = std::collections::BTreeSet::new();
    for folder in folders.keys() {
        let name = shown(folder);
        let new = in_work_tree(repo, folder, inputs)?;
        let old = match at_revision(repo, rev, folder, old_inputs)? {
            None => None,
            Some(Ok(m)) => Some(m),
            Some(Err(e)) => {
                let e = miette::Report::new(e);
                // what the base granted is not known: compare against nothing, so every grant
                // of the new side counts as added
                eprintln!(
                    "note: the Terraform module `{name}` at `{rev}` cannot be read, so all its policies count as added: {e:?}"
                );
                None
            }
        };
        let units = |m: &Option<Module>, notes: bool| -> miette::Result<Vec<_>> {
            match m {
                Some(m) => super::units::module_units(name, m, notes),
                None => Ok(Vec::new()),
            }
        };
        let prefix = format!("{rev}:");
        for m in new.iter().chain(old.iter()) {
            read.extend(
                m.read
                    .iter()
                    .map(|r| normalize(r.strip_prefix(&prefix).unwrap_or(r))),
            );
        }
        let new_units = units(&new, true)?;
        let old_units = units(&old, false)?;
        // the deployments given no variable value, where either side has one (a module on one
        // side only is compared whole already)
        let defaults = match (&old, &new) {
            (Some(o), Some(n)) => {
                let (od, nd) = (
                    super::units::default_units(name, o)?,
                    super::units::default_units(name, n)?,
                );
                (od.is_some() || nd.is_some()).then(|| {
                    (
                        od.unwrap_or_else(|| old_units.clone()),
                        nd.unwrap_or_else(|| new_units.clone()),
                    )
                })
            }
            _ => None,
        };
        // where each unit is defined: in the working tree, else at the revision
        let mut file_of: BTreeMap<(Option<String>, &'static str), String> = BTreeMap::new();
        for (f, u) in &old_units {
            let f = f.strip_prefix(&prefix).unwrap_or(f);
            file_of.insert(
                (u.document.clone(), super::units::kind_str(u.kind)),
                f.into(),
            );
        }
        for (f, u) in &new_units {
            file_of.insert(
                (u.document.clone(), super::units::kind_str(u.kind)),
                f.clone(),
            );
        }
        if let Some((od, nd)) = &defaults {
            for (f, u) in nd.iter().chain(od) {
                let f = f.strip_prefix(&prefix).unwrap_or(f);
                file_of
                    .entry((u.document.clone(), super::units::kind_str(u.kind)))
                    .or_insert_with(|| f.into());
            }
        }
        let strip = |v: Vec<(String, super::units::Unit)>| v.into_iter().map(|(_, u)| u).collect();
        let mut list = pairs(name, strip(old_units), strip(new_units));
        if let Some((od, nd)) = defaults {
            let more = default_pairs(name, strip(od), strip(nd), &list);
            list.extend(more);
        }
        for mut p in list {
            if let Some(f) =
                file_of.get(&(p.new.document.clone(), super::units::kind_str(p.new.kind)))
            {
                p.path = f.clone();
            }
            out.push(p);
        }
    }
    Ok((out, read))
}
