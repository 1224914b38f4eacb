//! Child modules (<https://developer.hashicorp.com/terraform/language/modules/syntax>): a
//! `module "NAME" { source = "./path" ... }` block whose source is a local path (it begins
//! with `./` or `../`, <https://developer.hashicorp.com/terraform/language/modules/sources#local-paths>)
//! is read from the folder it names, its `.tf` files loaded as one more module of the
//! evaluation, addressed as Terraform addresses it (`module.NAME.`, nested
//! `module.A.module.B.`). `count` and `for_each` known statically (evaluated in the calling
//! module: literals, `var.x`, `local.x`, ...) give one module per
//! instance (`module.NAME[0].`, `module.NAME["key"].`,
//! <https://developer.hashicorp.com/terraform/language/meta-arguments/count>,
//! <https://developer.hashicorp.com/terraform/language/meta-arguments/for_each>); otherwise the
//! instances are read as one, and the output says so. Sources that cannot be read offline
//! (registry, git, HTTP) or that lie outside the repository are not read, and the output names
//! them. Cycles, depth and the number of module instances are bounded.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;

use super::eval::{Eval, File, Reader};
use super::instances::ModuleInstances;
use crate::parse::ParseError;
use crate::source::Span;

/// Deepest chain of module calls read.
pub const MAX_DEPTH: usize = 16;
/// Most module instances read for one root module (every file of a module is read again for
/// each instance).
pub const MAX_MODULES: usize = 256;
/// Most bytes of `.tf` text read for one root module, over all its module instances.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Which instance of a module call a module is.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// No `count`/`for_each` (or one not known statically: every instance read as one).
    None,
    /// `count`: `count.index`.
    Index(usize),
    /// `for_each`: `each.key` (and `each.value`: the element of that key).
    Each(String),
}

impl Key {
    /// The instance key as an address writes it: `[0]`, `["key"]`.
    pub fn address(&self) -> String {
        match self {
            Key::None => String::new(),
            Key::Index(i) => format!("[{i}]"),
            Key::Each(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }
}

/// One module instance of the evaluation (the root is the first).
pub struct ModSrc {
    /// The address prefix of its resources: `""`, `module.a.`, `module.a[0].module.b.`.
    pub prefix: String,
    /// Its folder, relative to the root module's folder (`.` for the root).
    pub dir: String,
    pub parent: Option<usize>,
    /// The `module` block that calls it: (file, index among the file's blocks).
    pub call: Option<(usize, usize)>,
    pub key: Key,
}

impl ModSrc {
    pub fn root() -> Self {
        ModSrc {
            prefix: String::new(),
            dir: ".".into(),
            parent: None,
            call: None,
            key: Key::None,
        }
    }
}

/// A path with `.` and `..` resolved lexically; `..` past the start is kept (`../shared`).
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&p) if p != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            x => parts.push(x),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `base/rel`, normalised.
pub fn join(base: &str, rel: &str) -> String {
    normalize(&format!("{base}/{rel}"))
}

/// The local module sources (`source = "./x"`, `"source": "../x"`) a `.tf` or `.tf.json` text
/// names, as written: a quick scan of the text (for finding callers of a folder), not a parse.
pub fn local_sources(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("source") {
        let rest = text[at + "source".len()..]
            .trim_start_matches('"')
            .trim_start();
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else {
            continue;
        };
        let src = &rest[..end];
        if src.starts_with("./") || src.starts_with("../") {
            out.push(src);
        }
    }
    out
}

/// The Terraform folders among the folders of `files` (`.tf`/`.tf.json` paths) that a file of
/// another of those folders calls through a local module source: folder → the calling file
/// (the first, in the order given). Folders are compared as written, normalised lexically.
pub fn called_folders(files: &[&std::path::Path]) -> BTreeMap<String, String> {
    let folder_of = |p: &std::path::Path| {
        let d = p
            .parent()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        normalize(if d.is_empty() { "." } else { &d })
    };
    let mut out = BTreeMap::new();
    for f in files {
        // files the reader refuses are not read here either (it reports them)
        if std::fs::metadata(f).map_or(true, |m| m.len() > super::MAX_TF) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let folder = folder_of(f);
        // the reader reads child modules inside the caller's repository only
        // ([`super::repository_root`]: the nearest folder with `.git`, else the caller's own
        // folder): a callee it will not read is not "linted through" the caller, it is linted
        // on its own (else neither would lint it)
        let root = crate::discover::paths::absolute(&super::repository_root(std::path::Path::new(
            &folder,
        )));
        for src in local_sources(&text) {
            let callee = join(&folder, src);
            let inside =
                crate::discover::paths::absolute(std::path::Path::new(&callee)).starts_with(&root);
            if callee != folder && inside {
                out.entry(callee).or_insert_with(|| f.display().to_string());
            }
        }
    }
    out
}

fn span_of(e: &impl hcl_edit::Span) -> Span {
    e.span()
        .map(|r| Span::new(r.start, r.end))
        .unwrap_or_default()
}

/// What evaluating a module call's `count`/`for_each` needs besides the modules read so far.
pub struct Context<'a> {
    pub reader: &'a dyn Reader,
    pub params: &'a BTreeMap<String, String>,
    pub tfvars: &'a BTreeMap<String, crate::parse::json::Value>,
    pub account: &'a str,
    pub region: &'a str,
}

/// Reads the child modules of the modules in `mods` (the root first, its files in `files`),
/// appending their files and instances. Modules that are not read are recorded in `unread`
/// (module address → why) and `notes`.
pub fn load(
    files: &mut Vec<File>,
    mods: &mut Vec<ModSrc>,
    context: &Context<'_>,
    notes: &mut BTreeMap<String, String>,
    unread: &mut BTreeMap<String, String>,
) -> Result<(), ParseError> {
    let reader = context.reader;
    // evaluation steps over every module's `count`/`for_each` (one budget, as for one module)
    let mut steps = 0;
    let mut bytes: usize = files.iter().map(|f| f.source.text.len()).sum();
    // folder → its files, parsed once
    let mut parsed: BTreeMap<String, Vec<File>> = BTreeMap::new();
    let mut next = 0;
    while next < mods.len() {
        let m = next;
        next += 1;
        let depth = {
            let mut d = 0;
            let mut p = mods[m].parent;
            while let Some(x) = p {
                d += 1;
                p = mods[x].parent;
            }
            d
        };
        let mine: Vec<usize> = (0..files.len()).filter(|&f| files[f].module == m).collect();
        // (file, block index, address, source, its span, instances)
        let mut calls = Vec::new();
        {
            // the module's `count`/`for_each` are evaluated in it (its variables, locals and
            // ancestors are read already; the outputs of its own calls are not yet)
            let mut ev: Option<Eval<'_>> = None;
            for &f in &mine {
                for (bi, b) in files[f].body.blocks().enumerate() {
                    if b.ident.as_str() != "module" || b.labels.len() != 1 {
                        continue;
                    }
                    let name = b.labels[0].as_str().to_string();
                    let address = format!("{}module.{name}", mods[m].prefix);
                    let Some(src) = b.body.get_attribute("source") else {
                        return Err(error(
                            &files[f],
                            span_of(b),
                            format!("`{address}` has no `source`"),
                        ));
                    };
                    let source = match &src.value {
                        Expression::String(s) => s.value().to_string(),
                        _ => {
                            return Err(error(
                                &files[f],
                                span_of(&src.value),
                                format!(
                                    "the `source` of `{address}` is not a literal string (Terraform requires one)"
                                ),
                            ));
                        }
                    };
                    let keys = if b.body.has_attribute("count") || b.body.has_attribute("for_each")
                    {
                        let ev = ev.get_or_insert_with(|| {
                            let mut e = Eval::new(
                                files,
                                mods,
                                unread.clone(),
                                reader,
                                context.params,
                                context.account.to_string(),
                                context.region.to_string(),
                            );
                            e.tfvars = context.tfvars.clone();
                            e.continue_steps(steps);
                            e
                        });
                        let keys = instances(ev, &address, f, bi, notes)?;
                        steps = ev.steps_taken();
                        keys
                    } else {
                        vec![Key::None]
                    };
                    calls.push((f, bi, address, source, span_of(&src.value), keys));
                }
            }
        }
        {
            for (f, bi, address, source, at, keys) in calls {
                if !(source.starts_with("./") || source.starts_with("../")) {
                    let why = format!(
                        "a module that is not read: its source `{source}` is not a local path (registry, git and HTTP sources cannot be read offline; lint the plan, `terraform show -json`, to see its policies)"
                    );
                    notes.insert(address.clone(), why.clone());
                    unread.insert(address, why);
                    continue;
                }
                let dir = join(&mods[m].dir, &source);
                // a folder already being read by an ancestor (or this module): a cycle
                let mut a = Some(m);
                while let Some(x) = a {
                    if mods[x].dir == dir {
                        return Err(error(
                            &files[f],
                            at,
                            format!(
                                "module cycle: `{address}` calls `{source}`, the folder of {} (Terraform cannot expand it either)",
                                if mods[x].prefix.is_empty() {
                                    "the root module".to_string()
                                } else {
                                    format!("`{}`", mods[x].prefix.trim_end_matches('.'))
                                }
                            ),
                        ));
                    }
                    a = mods[x].parent;
                }
                if depth + 1 > MAX_DEPTH {
                    return Err(error(
                        &files[f],
                        at,
                        format!("module calls nest deeper than {MAX_DEPTH} levels at `{address}`"),
                    ));
                }
                if !parsed.contains_key(&dir) {
                    let listed = match reader.tf_files(&dir) {
                        Ok(Some(l)) => l,
                        Ok(None) => {
                            let why = format!(
                                "a module that is not read: its source `{source}` is outside the repository"
                            );
                            notes.insert(address.clone(), why.clone());
                            unread.insert(address, why);
                            continue;
                        }
                        Err(why) => {
                            return Err(error(
                                &files[f],
                                at,
                                format!("the module `{address}` cannot be read: {why}"),
                            ));
                        }
                    };
                    if listed.is_empty() {
                        return Err(error(
                            &files[f],
                            at,
                            format!(
                                "the module `{address}` cannot be read: `{source}` holds no `.tf` file"
                            ),
                        ));
                    }
                    let mut read = Vec::with_capacity(listed.len());
                    for (shown, text) in listed {
                        read.push(super::parse_file(&shown, text)?);
                    }
                    let read = super::overrides::apply(read)?;
                    parsed.insert(dir.clone(), read);
                }
                let children = parsed.get(&dir).map(Vec::as_slice).unwrap_or_default();
                for key in keys {
                    if mods.len() >= MAX_MODULES {
                        return Err(error(
                            &files[f],
                            at,
                            format!(
                                "the configuration has more than {MAX_MODULES} module instances (at `{address}`)"
                            ),
                        ));
                    }
                    let child = mods.len();
                    for c in children {
                        bytes += c.source.text.len();
                        if bytes > MAX_BYTES {
                            return Err(error(
                                &files[f],
                                at,
                                format!(
                                    "the modules' `.tf` files add up to more than {} MiB (at `{address}`)",
                                    MAX_BYTES / 1024 / 1024
                                ),
                            ));
                        }
                        files.push(File {
                            source: c.source.clone(),
                            body: c.body.clone(),
                            module: child,
                            merged: c.merged.clone(),
                        });
                    }
                    mods.push(ModSrc {
                        prefix: format!("{address}{}.", key.address()),
                        dir: dir.clone(),
                        parent: Some(m),
                        call: Some((f, bi)),
                        key,
                    });
                }
            }
        }
    }
    Ok(())
}

/// The instances of a module call from its `count`/`for_each` evaluated statically (literals,
/// `var.x`, `local.x`, `toset([...])`, maps); one instance read for all, and a note, when they
/// are not known statically.
fn instances(
    ev: &Eval<'_>,
    address: &str,
    file: usize,
    block: usize,
    notes: &mut BTreeMap<String, String>,
) -> Result<Vec<Key>, ParseError> {
    let Some(block) = ev.files[file].body.blocks().nth(block) else {
        return Ok(vec![Key::None]);
    };
    Ok(match ev.module_instances(address, file, block)? {
        ModuleInstances::One => vec![Key::None],
        ModuleInstances::Known(keys, meta) => {
            if keys.is_empty() {
                let what = if meta == "count" {
                    "`count = 0`"
                } else {
                    "an empty `for_each`"
                };
                notes.insert(
                    format!("{address} ({meta})"),
                    format!("`{address}` has {what}: it has no instances and is not read"),
                );
            }
            keys
        }
        ModuleInstances::Unknown(meta) => {
            notes.insert(
                format!("{address} ({meta})"),
                format!(
                    "`{address}` has a `{meta}` that is not known statically: its instances are read as one module, `{address}`"
                ),
            );
            vec![Key::None]
        }
    })
}

fn error(file: &File, span: Span, msg: String) -> ParseError {
    ParseError::new(&file.source, "undecodable-document", span, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_are_found_in_both_syntaxes() {
        let tf = "module \"a\" {\n  source = \"./m/a\"\n}\nmodule \"r\" {\n  source = \"hashicorp/x/aws\"\n}\n";
        assert_eq!(local_sources(tf), ["./m/a"]);
        let json = r#"{"module": {"b": {"source": "../b", "x": 1}}}"#;
        assert_eq!(local_sources(json), ["../b"]);
    }

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(normalize("./modules/x"), "modules/x");
        assert_eq!(join(".", "./modules/x"), "modules/x");
        assert_eq!(join("modules/x", "../y"), "modules/y");
        assert_eq!(join("modules/x", "../../../shared"), "../shared");
        assert_eq!(join("a", ".."), ".");
        assert_eq!(normalize("/r/a/../b"), "/r/b");
    }

    /// Instance keys as Terraform writes them in addresses
    /// (https://developer.hashicorp.com/terraform/cli/state/resource-addressing).
    #[test]
    fn instance_keys_are_written_as_addresses() {
        assert_eq!(Key::Index(0).address(), "[0]");
        assert_eq!(Key::Each("blue".into()).address(), "[\"blue\"]");
        assert_eq!(Key::None.address(), "");
    }
}
