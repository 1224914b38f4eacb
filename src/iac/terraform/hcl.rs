//! Terraform configuration (`.tf` files, and `.tf.json` in the JSON syntax: [`json_syntax`])
//! read directly, for the static cases: a folder's files are one module, and the child modules
//! its `module` blocks call with local sources are read with it ([`modules`], evaluated across
//! calls by `calls`); its IAM resources become the same resources the plan reader reads,
//! addressed as Terraform does (`module.NAME.aws_iam_role.r`), their policies parsed with
//! positions in the `.tf` files (or in the JSON file `file()` reads).
//!
//! Parser: `hcl-edit` (the spanned parser of the `hcl-rs` project, which `hcl-rs` itself uses),
//! so every expression has its byte range in the file. Expressions are evaluated by
//! [`eval`]; what cannot be known statically becomes a typed placeholder.

mod calls;
mod eval;
mod functions;
mod instances;
pub mod json_syntax;
pub mod modules;
mod overrides;
pub mod templates;
mod tfvars;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use serde_json::Value as J;

use super::{Prepared, Res};
use crate::iac::cfn::{Inputs, Template};
use crate::parse::json::{Kind, Value};
use crate::parse::{self, ParseError};
use crate::source::{Source, Span};
pub use eval::{Disk, Listing, MAX_FILE, Reader};
use eval::{Eval, File};
pub use overrides::is_override_name;
pub use tfvars::is_vars_name;

/// Largest `.tf` file read.
const MAX_TF: u64 = 16 * 1024 * 1024;
/// Most `.tf` files in one module folder.
const MAX_FILES: usize = 1_000;
/// Most rounds of reading `templatefile()` templates (a template met only once another is
/// rendered needs one more).
const MAX_TEMPLATE_ROUNDS: usize = 4;

/// Most conditionals of a module that may stay undecided (every combination is read, one
/// run of the module each: a run costs well under a millisecond on the modules of
/// terraform-aws-iam, whose `iam-role` has 9 boolean inputs).
pub const MAX_UNDECIDED: usize = 12;
/// The value the plan reader sees for a policy parsed here.
const PREPARED: &str = "(policy read from the configuration)";

/// Arguments of the IAM resources the reader uses (others are not evaluated).
const USED: &[&str] = &[
    "name",
    "path",
    "assume_role_policy",
    "managed_policy_arns",
    "permissions_boundary",
    "policy",
    "policy_document",
    "access_policy",
    "access_policies",
    "role",
    "user",
    "group",
    "roles",
    "users",
    "groups",
    "policy_arn",
    "principal",
    "function_name",
    "action",
    "source_arn",
    "source_account",
    "principal_org_id",
    "resource_policy",
    "layer_name",
    "version_number",
    "organization_id",
    "event_bus_name",
    "role_name",
    "user_name",
    "group_name",
    "policy_arns",
    "authorization_type",
    "qualifier",
    "function_url_auth_type",
    "acl",
];

/// A module read from its `.tf` files.
pub struct Module {
    pub template: Template,
    /// Resource address → the `.tf` file that defines it (a child module's file for
    /// `module.NAME.` addresses).
    pub defined_in: BTreeMap<String, String>,
    /// Address of a resource of a child module → the root module's file whose `module` block
    /// (directly or through its children) instantiates it; also `module.NAME` → the file of
    /// the root module's block `NAME`.
    pub called_from: BTreeMap<String, String>,
    /// The files `file()` read, as the reader named them.
    pub read: Vec<String>,
    /// The undecided conditions whose root variables' defaults decide them, and the value
    /// they give them ([`Eval::default_decided`]): the variants that assume every one so are
    /// the deployment of the defaults (a `terraform apply` given no value), which `diff`
    /// compares on its own too.
    pub defaults: BTreeMap<String, bool>,
}

fn located(source: &Source, e: &hcl_edit::parser::Error) -> ParseError {
    let offset = e.location().offset().min(source.text.len());
    ParseError::new(
        source,
        "undecodable-document",
        Span::new(offset, offset),
        format!("invalid HCL: {}", e.message().trim()),
    )
}

fn not_readable(path: &Path, why: String) -> ParseError {
    ParseError::new(
        &Source::new(path.display().to_string(), ""),
        "unreadable-input",
        Span::default(),
        why,
    )
}

/// The repository root of a folder: the nearest ancestor with `.git`, else the folder.
pub fn repository_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Reads the module of `path` (a `.tf` file: every `.tf` file of its folder; or a folder).
pub fn load(path: &Path, inputs: &Inputs) -> Result<Module, ParseError> {
    load_excluding(path, None, inputs)
}

/// Like [`load`], leaving out the `.tf` file `exclude` (`diff old.tf new.tf` of one folder:
/// each side is the folder's module without the other side).
pub fn load_excluding(
    path: &Path,
    exclude: Option<&Path>,
    inputs: &Inputs,
) -> Result<Module, ParseError> {
    // a bare file name: its siblings are named bare too (`main.tf`, not `./main.tf`)
    let (dir, bare) = if path.is_dir() {
        (path.to_path_buf(), false)
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => (p.to_path_buf(), false),
            _ => (PathBuf::from("."), true),
        }
    };
    let same = |a: &Path, b: &Path| {
        a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| not_readable(&dir, format!("cannot read `{}`: {e}", dir.display())))?
        .filter_map(|e| {
            e.ok().map(|e| {
                if bare {
                    PathBuf::from(e.file_name())
                } else {
                    e.path()
                }
            })
        })
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_config_name(n) || is_vars_name(n))
                && p.is_file()
        })
        .filter(|p| exclude.is_none_or(|x| !same(p, x)))
        .collect();
    names.sort();
    if names.len() > MAX_FILES {
        return Err(not_readable(
            &dir,
            format!(
                "`{}` holds more than {MAX_FILES} `.tf` files",
                dir.display()
            ),
        ));
    }
    if !path.is_dir() && !names.iter().any(|n| n == path) {
        names.push(path.to_path_buf());
    }
    let mut files = Vec::with_capacity(names.len());
    for p in &names {
        // the file as named by the user when it is the one named, else under the folder given
        let shown = p.display().to_string();
        let meta = std::fs::metadata(p)
            .map_err(|e| not_readable(p, format!("cannot read `{shown}`: {e}")))?;
        if meta.len() > MAX_TF {
            return Err(not_readable(p, format!("`{shown}` is larger than 16 MiB")));
        }
        let bytes =
            std::fs::read(p).map_err(|e| not_readable(p, format!("cannot read `{shown}`: {e}")))?;
        files.push((shown, bytes));
    }
    let canonical = dir
        .canonicalize()
        .map_err(|e| not_readable(&dir, format!("cannot read `{}`: {e}", dir.display())))?;
    let reader = Disk {
        root: repository_root(&canonical),
        shown: dir.clone(),
        dir,
    };
    load_sources(&path.display().to_string(), files, &reader, inputs)
}

/// The root variables' names and the conditions their defaults decide, as
/// [`Eval::default_names`] and [`Eval::default_decided`] hold them.
type Learnt = (Vec<String>, Vec<(String, Option<bool>, u64)>);

/// Reads a module from its `.tf` files given as (name, content) pairs (such as the files of a
/// folder at a git revision, named `REF:path`); `file()` reads through `reader`. `named` names
/// the template (one of the files, or the folder).
pub fn load_sources(
    named: &str,
    sources: Vec<(String, Vec<u8>)>,
    reader: &dyn Reader,
    inputs: &Inputs,
) -> Result<Module, ParseError> {
    if sources.len() > MAX_FILES {
        return Err(not_readable(
            Path::new(named),
            format!("`{named}` holds more than {MAX_FILES} `.tf` files"),
        ));
    }
    let mut files = Vec::with_capacity(sources.len());
    let mut vars_files = Vec::new();
    for (name, bytes) in sources {
        if bytes.len() as u64 > MAX_TF {
            return Err(not_readable(
                Path::new(&name),
                format!("`{name}` is larger than 16 MiB"),
            ));
        }
        if is_vars_name(&name) {
            vars_files.push(crate::iac::decode(&name, bytes)?);
        } else {
            files.push(parse_file(&name, bytes)?);
        }
    }
    let tfvars = tfvars::load(vars_files)?;
    let mut files = overrides::apply(files)?;
    let mut mods = vec![modules::ModSrc::root()];
    let mut notes = BTreeMap::new();
    let mut unread = BTreeMap::new();
    let account = inputs
        .account
        .clone()
        .unwrap_or_else(|| crate::iac::cfn::resolve::UNKNOWN_ACCOUNT.to_string());
    let region = inputs
        .region
        .clone()
        .unwrap_or_else(|| crate::iac::cfn::resolve::UNKNOWN_REGION.to_string());
    let context = modules::Context {
        reader,
        params: &inputs.params,
        tfvars: &tfvars,
        account: &account,
        region: &region,
    };
    modules::load(&mut files, &mut mods, &context, &mut notes, &mut unread)?;
    // Read once per combination of the undecided conditionals ([`Eval::assume`]), as a
    // tree: a run that reaches a conditional neither known nor assumed is thrown away and
    // the conditional assumed `true` and `false` in turn; each leaf is one variant, naming the
    // conditionals it assumed. More than [`MAX_UNDECIDED`] is an error.
    // (one evaluation-step budget for every run together: the tree of runs is bounded as one
    // module is; `steps`: those taken so far)
    let steps = std::cell::Cell::new(0usize);
    // the templates of `templatefile()`, read between rounds ([`templates`]): a round that met
    // templates not read yet is thrown away once they are read
    let mut templates = templates::Templates::new();
    let mut rounds = 0usize;
    // undecided condition → its definition's hash ([`Eval::condition_ids`])
    let ids: std::cell::RefCell<BTreeMap<String, String>> = Default::default();
    // what the runs learnt of conditions their variables' defaults decide
    // ([`Eval::default_decided`], with the names its bits stand for): every run starts from
    // it, so a variable read before its condition in a run still sees the condition (a
    // combination that learns an entry it contradicts is read again, below)
    let learnt: std::cell::RefCell<Learnt> = Default::default();
    // the variables the last run read as their defaults ([`Eval::read_as_default`])
    let read_as_default = std::cell::Cell::new(0u64);
    let (out, undecided) = loop {
        let wanted = std::cell::RefCell::new(std::collections::BTreeSet::<String>::new());
        let round =
            (|| -> Result<(Option<Module>, std::collections::BTreeSet<String>), ParseError> {
                // A run returns what it read, or its error, and the conditionals it reached unassumed: an
                // error in a run that reached one (a `dynamic` block whose `for_each` is `var.x ? [1] :
                // []`) may be that conditional's placeholder, so the run is tried again under each value.
                let run =
                    |assume: &BTreeMap<String, bool>| -> (Result<Module, ParseError>, Vec<String>) {
                        let reached = std::cell::RefCell::new(Vec::new());
                        let module = (|| -> Result<Module, ParseError> {
                            let mut ev = Eval::new(
                                &files,
                                &mods,
                                unread.clone(),
                                reader,
                                &inputs.params,
                                account.clone(),
                                region.clone(),
                            );
                            ev.templates = &templates;
                            ev.tfvars = tfvars.clone();
                            ev.assume = assume.clone();
                            {
                                let learnt = learnt.borrow();
                                *ev.default_names.borrow_mut() = learnt.0.clone();
                                *ev.default_decided.borrow_mut() = learnt.1.clone();
                            }
                            ev.continue_steps(steps.get());
                            // (whatever ends the run, its steps and reached conditionals are kept)
                            struct Keep<'a, 'e> {
                                ev: &'a Eval<'e>,
                                ids: &'a std::cell::RefCell<BTreeMap<String, String>>,
                                steps: &'a std::cell::Cell<usize>,
                                reached: &'a std::cell::RefCell<Vec<String>>,
                                wanted: &'a std::cell::RefCell<std::collections::BTreeSet<String>>,
                                learnt: &'a std::cell::RefCell<Learnt>,
                                read_as_default: &'a std::cell::Cell<u64>,
                            }
                            impl Drop for Keep<'_, '_> {
                                fn drop(&mut self) {
                                    self.read_as_default.set(self.ev.read_as_default.get());
                                    *self.learnt.borrow_mut() = (
                                        self.ev.default_names.borrow().clone(),
                                        self.ev.default_decided.borrow().clone(),
                                    );
                                    self.ids
                                        .borrow_mut()
                                        .extend(self.ev.condition_ids.borrow().clone());
                                    self.steps.set(self.ev.steps_taken());
                                    *self.reached.borrow_mut() = self.ev.reached.borrow().clone();
                                    self.wanted
                                        .borrow_mut()
                                        .extend(self.ev.wanted.borrow().iter().cloned());
                                }
                            }
                            let _keep = Keep {
                                ev: &ev,
                                ids: &ids,
                                steps: &steps,
                                reached: &reached,
                                wanted: &wanted,
                                learnt: &learnt,
                                read_as_default: &read_as_default,
                            };
                            ev.notes.borrow_mut().extend(notes.clone());
                            if inputs.account.is_none() {
                                ev.notes.borrow_mut().insert(
                                    crate::iac::cfn::resolve::UNKNOWN_ACCOUNT.into(),
                                    "the account of the module's ARNs (pass --account)".into(),
                                );
                            }
                            if inputs.region.is_none() {
                                ev.notes.borrow_mut().insert(
                                    crate::iac::cfn::resolve::UNKNOWN_REGION.into(),
                                    "the Region of the module's ARNs (pass --region)".into(),
                                );
                            }
                            let mut values: Vec<(String, &str, usize, J)> = Vec::new();
                            let mut prepared = Prepared::new();
                            let mut unread = Vec::new();
                            let mut defined_in = BTreeMap::new();
                            let mut called_from = BTreeMap::new();
                            // the root module's own `module` blocks (and the notes about them)
                            for f in files.iter().filter(|f| f.module == 0) {
                                for b in f.body.blocks() {
                                    if b.ident.as_str() == "module" && b.labels.len() == 1 {
                                        called_from.insert(
                                            format!("module.{}", b.labels[0].as_str()),
                                            f.source.name.to_string(),
                                        );
                                    }
                                }
                            }
                            for (address, &(file, block)) in &ev.blocks {
                                let ty = block.labels.first().map(|l| l.as_str()).unwrap_or("");
                                let expanded = block.body.has_attribute("count")
                                    || block.body.has_attribute("for_each");
                                // policy-shaped arguments no reader takes: of the types not read, and the other
                                // arguments of the resource-policy types
                                let found = if block.ident.as_str() == "data"
                                    || (super::is_read_type(ty)
                                        && super::resource_policy_attribute(ty).is_none())
                                {
                                    Vec::new()
                                } else {
                                    unread_arguments(&ev, address, ty, file, block)
                                };
                                // data sources (`data.x.y`, `module.m.data.x.y`) are read where they are used
                                if block.ident.as_str() == "data" || !super::is_read_type(ty) {
                                    if expanded || !found.is_empty() {
                                        // the notes about their instances belong to their file
                                        defined_in.insert(
                                            address.clone(),
                                            files[file].source.name.to_string(),
                                        );
                                    }
                                    unread.extend(found);
                                    continue;
                                }
                                unread.extend(found);
                                // the root module's `module` block this instance descends from
                                let mut root_call = None;
                                let mut m = files[file].module;
                                while let Some(p) = mods[m].parent {
                                    if p == 0 {
                                        root_call = mods[m]
                                            .call
                                            .map(|(cf, _)| files[cf].source.name.to_string());
                                        break;
                                    }
                                    m = p;
                                }
                                // its instances (`count`/`for_each`), or the block as one resource
                                let keys: Vec<modules::Key> = match &*ev.expansion(address, 0)? {
                                    instances::Expansion::Known(all) => {
                                        defined_in.insert(
                                            address.clone(),
                                            files[file].source.name.to_string(),
                                        );
                                        all.iter().map(|i| i.key.clone()).collect()
                                    }
                                    _ => vec![modules::Key::None],
                                };
                                for key in keys {
                                    let at = format!("{address}{}", key.address());
                                    defined_in
                                        .insert(at.clone(), files[file].source.name.to_string());
                                    if let Some(f) = &root_call {
                                        called_from.insert(at.clone(), f.clone());
                                    }
                                    let v = ev.within(address, &key, 0, || {
                                        resource(
                                            &ev,
                                            &at,
                                            address,
                                            &key,
                                            ty,
                                            file,
                                            block,
                                            &mut prepared,
                                        )
                                    })?;
                                    values.push((at, ty, file, v));
                                }
                            }
                            // the file named (or the folder) names the template
                            let source = match files.iter().find(|f| &*f.source.name == named) {
                                Some(f) => f.source.clone(),
                                None => Source::new(named, ""),
                            };
                            let resources: Vec<Res<'_>> = values
                                .iter()
                                .map(|(address, ty, _, v)| Res {
                                    address: address.clone(),
                                    ty,
                                    mode: "managed",
                                    values: v,
                                    expressions: None,
                                })
                                .collect();
                            let unknowns = ev.notes.borrow().clone();
                            let mut read: Vec<String> = ev
                                .read_files
                                .borrow()
                                .values()
                                .map(|s| s.name.to_string())
                                .chain(
                                    ev.rendered
                                        .borrow()
                                        .values()
                                        .map(|(s, _)| s.name.to_string()),
                                )
                                .collect();
                            read.sort();
                            read.dedup();
                            let mut template = super::build(
                                &source,
                                &resources,
                                BTreeMap::new(),
                                &account,
                                prepared,
                                unknowns,
                            );
                            for x in &mut template.variants {
                                x.unread.extend(unread.iter().cloned());
                            }
                            // modules not read (registry, git, outside the repository): named
                            // as unread with their arguments, and the principals they are given
                            // marked (red team 46: `diff` said nothing when their arguments
                            // changed, `verify` held)
                            for m in unread_modules(&ev, &files, &mods) {
                                defined_in.insert(m.unread.path.clone(), m.file);
                                for x in &mut template.variants {
                                    // (the address as the call's module writes it, and in full,
                                    // an instance key dropped)
                                    // and as its own module writes it: the placeholder of a
                                    // child's resource, `UNKNOWN-aws_iam_role.r`)
                                    let refs = |p: &crate::iac::cfn::Principal| {
                                        let mut v = vec![without_keys(&p.logical_id)];
                                        if let Some(a) =
                                            p.logical_id.strip_prefix(m.prefix.as_str())
                                        {
                                            v.push(without_keys(a));
                                        }
                                        let own = v[0].rsplitn(3, '.').take(2).collect::<Vec<_>>();
                                        if own.len() == 2 {
                                            v.push(format!("{}.{}", own[1], own[0]));
                                        }
                                        v.dedup();
                                        v
                                    };
                                    crate::iac::mark_passed_principals(
                                        x, &m.unread, &m.texts, &m.written, &refs,
                                    );
                                    x.unread.push(m.unread.clone());
                                }
                            }
                            Ok(Module {
                                template,
                                defined_in,
                                called_from,
                                read,
                                defaults: BTreeMap::new(),
                            })
                        })();
                        let reached = reached.into_inner();
                        (module, reached)
                    };
                let mut pending = vec![BTreeMap::new()];
                let mut out: Option<Module> = None;
                let mut undecided: std::collections::BTreeSet<String> = Default::default();
                while let Some(assume) = pending.pop() {
                    let before = learnt.borrow().1.len();
                    let (mut m, mut reached) = run(&assume);
                    // A run that learnt, after reading some variables, that the combination
                    // assumes a condition the other way than those variables' defaults make it
                    // read them as their defaults: it is read again, knowing it from the start
                    // (each pass learns at least one entry, so this ends).
                    let mut seen = before;
                    while reached.is_empty() && {
                        let l = learnt.borrow();
                        let new =
                            l.1.get(seen..)
                                .unwrap_or_default()
                                .iter()
                                .any(|(c, b, bits)| {
                                    bits & read_as_default.get() != 0
                                        && b.map_or(assume.contains_key(c), |b| {
                                            assume.get(c) == Some(&!b)
                                        })
                                });
                        seen = l.1.len();
                        new
                    } {
                        (m, reached) = run(&assume);
                    }
                    if let Some(next) = reached.into_iter().next() {
                        undecided.insert(next.clone());
                        if undecided.len() > MAX_UNDECIDED {
                            return Err(ParseError::new(
                    &Source::new(named, ""),
                    "undecodable-document",
                    Span::default(),
                    format!(
                        "at least {} conditionals cannot be decided ({}); greenlight checks every combination of at most {}",
                        undecided.len(),
                        undecided.iter().cloned().collect::<Vec<_>>().join(", "),
                        MAX_UNDECIDED
                    ),
                )
                .with_help("pass the variables the conditions read with `--template-param NAME=VALUE` or a `.tfvars` file"));
                        }
                        // `true` popped first, after `false`, so variants come `false` before `true`
                        // (a combination comparisons of one variable rule out is no
                        // deployment: `var.env == "prod"` and `var.env == "dev"` both true)
                        for b in [true, false] {
                            let mut a = assume.clone();
                            a.insert(next.clone(), b);
                            if crate::iac::comparisons_consistent(
                                a.iter().map(|(k, v)| (k.as_str(), *v)),
                            ) {
                                pending.push(a);
                            }
                        }
                        continue;
                    }
                    let mut m = m?;
                    for x in &mut m.template.variants {
                        x.assumed = assume.clone();
                    }
                    match &mut out {
                        None => out = Some(m),
                        Some(o) => {
                            o.template.variants.extend(m.template.variants);
                            o.template.unknowns.extend(m.template.unknowns);
                            o.defined_in.extend(m.defined_in);
                            o.called_from.extend(m.called_from);
                            for r in m.read {
                                if !o.read.contains(&r) {
                                    o.read.push(r);
                                }
                            }
                        }
                    }
                }
                Ok((out, undecided))
            })();
        let new: Vec<String> = wanted
            .into_inner()
            .into_iter()
            .filter(|w| !templates.contains_key(w))
            .collect();
        if new.is_empty() || rounds >= MAX_TEMPLATE_ROUNDS {
            break round?;
        }
        rounds += 1;
        for rel in new {
            let read = reader.read(&rel).and_then(|(name, text)| {
                let t: hcl_edit::template::Template = text
                    .parse()
                    .map_err(|e| format!("`{name}` is not a valid Terraform template: {e}"))?;
                Ok((name, text, t))
            });
            let entry = read.map(|(name, text, t)| {
                files.push(File {
                    source: Source::new(name, text.as_str()),
                    body: hcl_edit::structure::Body::default(),
                    module: 0,
                    merged: Vec::new(),
                });
                (files.len() - 1, t)
            });
            templates.insert(rel, entry);
        }
    };
    // (the first run is always pending: a first run reaching nothing is the one variant)
    let Some(mut out) = out else {
        return Err(not_readable(
            Path::new(named),
            format!("`{named}`: no combination of its conditionals could be read"),
        ));
    };
    out.read.sort();
    out.template.condition_ids = ids
        .into_inner()
        .into_iter()
        .filter(|(n, id)| !id.is_empty() && undecided.contains(n))
        .collect();
    // (a condition the defaults do not decide statically, `None`, holds either way there)
    out.defaults = learnt
        .into_inner()
        .1
        .into_iter()
        .filter(|(n, _, _)| undecided.contains(n))
        .filter_map(|(n, b, _)| Some((n, b?)))
        .collect();
    out.template.undecided = undecided;
    Ok(out)
}

impl Module {
    /// Whether the resource (or module call) `address` belongs to the root module's file
    /// `file`: defined there, or instantiated by a `module` block there.
    pub fn belongs_to(&self, address: &str, file: &str) -> bool {
        belongs(&self.defined_in, &self.called_from, address, file)
    }
}

/// [`Module::belongs_to`], over the module's maps.
pub fn belongs(
    defined_in: &BTreeMap<String, String>,
    called_from: &BTreeMap<String, String>,
    address: &str,
    file: &str,
) -> bool {
    if defined_in.get(address).is_some_and(|f| f == file)
        || called_from.get(address).is_some_and(|f| f == file)
    {
        return true;
    }
    // `module.NAME[...]...` → `module.NAME`
    address
        .strip_prefix("module.")
        .map(|rest| {
            let end = rest.find(['.', '[', ' ']).unwrap_or(rest.len());
            format!("module.{}", &rest[..end])
        })
        .is_some_and(|call| called_from.get(&call).is_some_and(|f| f == file))
}

/// The resource address of a document path `ADDRESS/ARGUMENT`: up to the first `/` outside
/// an instance key (`aws_iam_role_policy.p["a/b"]/policy` → `aws_iam_role_policy.p["a/b"]`).
pub fn address_of(path: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in path.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '/' if !quoted => return &path[..i],
            _ => {}
        }
    }
    path
}

/// Whether a file name (or a path's last part) is a configuration file Terraform reads in a
/// module folder: `.tf`, and `.tf.json` in the JSON syntax, as written (Terraform compares the
/// suffix case-sensitively), except the files its loader ignores: a name that starts with `.`
/// (hidden copies, `.#main.tf` editor locks), ends with `~` or is `#...#` (editor backups)
/// (red team 50: an attachment in `.wip.tf` filled a role's gaps; Terraform's
/// `configs.IsIgnoredFile`, <https://github.com/hashicorp/terraform/blob/main/internal/configs/parser_config_dir.go>).
pub fn is_config_name(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let ignored = base.starts_with('.')
        || base.ends_with('~')
        || (base.starts_with('#') && base.ends_with('#'));
    !ignored && (base.ends_with(".tf") || base.ends_with(".tf.json"))
}

/// Decodes and parses one configuration file.
pub(crate) fn parse_file(name: &str, bytes: Vec<u8>) -> Result<File, ParseError> {
    if bytes.len() as u64 > MAX_TF {
        return Err(not_readable(
            Path::new(name),
            format!("`{name}` is larger than 16 MiB"),
        ));
    }
    let source = crate::iac::decode(name, bytes)?;
    let body = if json_syntax::is_json_name(name) {
        json_syntax::parse(&source)?
    } else {
        hcl_edit::parser::parse_body(&source.text).map_err(|e| located(&source, &e))?
    };
    Ok(File {
        source,
        body,
        module: 0,
        merged: Vec::new(),
    })
}

/// A tree as indented JSON text (a policy rebuilt from a plan's arguments).
pub(crate) fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(&to_j(v)).unwrap_or_default()
}

fn to_j(v: &Value) -> J {
    match &v.kind {
        Kind::Null => J::Null,
        Kind::Bool(b) => J::Bool(*b),
        Kind::Number(n) => serde_json::from_str(n).unwrap_or(J::String(n.clone())),
        Kind::String(s) => J::String(s.clone()),
        Kind::Array(a) => J::Array(a.iter().map(to_j).collect()),
        Kind::Object(m) => J::Object(m.iter().map(|m| (m.key.clone(), to_j(&m.value))).collect()),
    }
}

/// The plan reader's view of one resource: its used arguments evaluated, names and ARNs of
/// IAM entities, policies parsed here (in `prepared`).
#[allow(clippy::too_many_arguments)]
fn resource(
    ev: &Eval<'_>,
    address: &str,
    block_address: &str,
    key: &modules::Key,
    ty: &str,
    file: usize,
    block: &hcl_edit::structure::Block,
    prepared: &mut Prepared,
) -> Result<J, ParseError> {
    let mut out = serde_json::Map::new();
    let policy_attrs = [
        "assume_role_policy",
        "policy",
        "policy_document",
        "access_policy",
        "access_policies",
        "resource_policy",
        "content",
    ];
    for a in block.body.attributes() {
        let key = a.key.as_str();
        let organizations = ty == "aws_organizations_policy" && matches!(key, "content" | "type");
        // a permission set's inline policy ([`super::policy_attributes`])
        let sso = ty == "aws_ssoadmin_permission_set_inline_policy" && key == "inline_policy";
        // what a resource policy applies to, and an SCP's or RCP's attachments
        // ([`super::target_arguments`]); one that cannot be evaluated is its text (it was not
        // read before: no module that read is an error now)
        let target = super::target_arguments(ty).contains(&key) && !USED.contains(&key);
        if !(USED.contains(&key) || organizations || sso || target) {
            continue;
        }
        let af = ev.file_of(&a.value, file);
        let v = match ev.eval(&a.value, file, 0) {
            Ok(v) => v,
            Err(_) if target => {
                let text = ev.files[af].source.slice(eval::span_of(&a.value));
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                out.insert(key.into(), J::String(format!("({text})")));
                continue;
            }
            Err(e) => return Err(e),
        };
        let is_doc = sso
            || policy_attrs.contains(&key)
                && (super::resource_policy_attribute(ty) == Some(key)
                    || matches!(
                        (ty, key),
                        ("aws_iam_role", "assume_role_policy")
                            | ("aws_iam_policy", "policy")
                            | ("aws_iam_role_policy", "policy")
                            | ("aws_iam_user_policy", "policy")
                            | ("aws_iam_group_policy", "policy")
                    ));
        // `null` is Terraform's "unset": an optional policy argument of a resource that is not
        // a policy itself (`aws_sns_topic.policy`, `aws_sqs_queue.policy`, `aws_kms_key.policy`)
        // is then AWS's default, as if not written (Terraform, "null": "the argument is
        // omitted", https://developer.hashicorp.com/terraform/language/expressions/types#null;
        // red team 60: terraform-aws-sns's `policy = var.create_topic_policy ? null : ...`);
        // a policy resource's own `policy`, and a role's trust policy, are required
        // (and so is `""`: the provider sends no policy for an empty string, its zero value,
        // and a plan's empty policy text is read as absent too; cloudposse/terraform-aws-kms-key
        // defaults `policy` to `""`: red team 71b)
        if is_doc
            && (matches!(v.kind, Kind::Null)
                || matches!(&v.kind, Kind::String(t) if t.trim().is_empty()))
            && !ty.ends_with("_policy")
            && !(ty == "aws_iam_role" && key == "assume_role_policy")
            // (a vault lock's `policy` is required)
            && ty != "aws_glacier_vault_lock"
        {
            continue;
        }
        if is_doc {
            let path = format!("{address}/{key}");
            prepared.insert(path.clone(), document(ev, &v, af, &path));
            out.insert(key.into(), J::String(PREPARED.into()));
        } else {
            out.insert(key.into(), to_j(&v));
        }
    }
    if ty == "aws_cloudwatch_event_permission" {
        let mut conditions = Vec::new();
        for b in block.body.get_blocks("condition") {
            let sp = b
                .span()
                .map(|r| Span::new(r.start, r.end))
                .unwrap_or_default();
            conditions.push(to_j(&ev.body(&b.body, ev.block_file(b, file), sp, 0)?));
        }
        if !conditions.is_empty() {
            out.insert("condition".into(), J::Array(conditions));
        }
    }
    // S3 access control lists (read for the grants to public groups); a block that cannot be
    // evaluated (`dynamic`, references) is not known statically
    if super::ACL_TYPES.contains(&ty) {
        for name in ["access_control_policy", "grant"] {
            let mut items = Vec::new();
            for b in block.body.get_blocks(name) {
                let sp = b
                    .span()
                    .map(|r| Span::new(r.start, r.end))
                    .unwrap_or_default();
                items.push(match ev.body(&b.body, ev.block_file(b, file), sp, 0) {
                    Ok(v) => to_j(&v),
                    Err(_) => J::String(format!("UNKNOWN-{name}")),
                });
            }
            let dynamic = block
                .body
                .get_blocks("dynamic")
                .any(|b| b.labels.first().is_some_and(|l| l.as_str() == name));
            if dynamic {
                items.push(J::String(format!("UNKNOWN-dynamic-{name}")));
            }
            if !items.is_empty() {
                out.insert(name.into(), J::Array(items));
            }
        }
    }
    if ty == "aws_iam_role" {
        let mut inline = Vec::new();
        let mut entries = Vec::new();
        for b in block.body.get_blocks("inline_policy") {
            let sp = b
                .span()
                .map(|r| Span::new(r.start, r.end))
                .unwrap_or_default();
            let bf = ev.block_file(b, file);
            entries.push((bf, ev.body(&b.body, bf, sp, 0)?));
        }
        // the JSON syntax writes nested blocks as a list of objects
        if let Some(a) = block.body.get_attribute("inline_policy") {
            let v = ev.eval(&a.value, file, 0)?;
            let af = ev.file_of(&a.value, file);
            match v.kind {
                Kind::Array(items) => entries.extend(items.into_iter().map(|x| (af, x))),
                Kind::Object(_) => entries.push((af, v)),
                _ => {}
            }
        }
        for (i, (pf, v)) in entries.iter().enumerate() {
            let n = v
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| i.to_string());
            let mut entry = serde_json::Map::new();
            entry.insert("name".into(), J::String(n.clone()));
            if let Some(p) = v.get("policy") {
                let path = format!("{address}/inline_policy/{n}");
                prepared.insert(path.clone(), document(ev, p, *pf, &path));
                entry.insert("policy".into(), J::String(PREPARED.into()));
            }
            inline.push(J::Object(entry));
        }
        if !inline.is_empty() {
            out.insert("inline_policy".into(), J::Array(inline));
        }
    }
    if matches!(
        ty,
        "aws_iam_role" | "aws_iam_user" | "aws_iam_group" | "aws_iam_policy"
    ) {
        out.insert(
            "name".into(),
            J::String(ev.iam_name(block_address, key, 0)?),
        );
        out.insert(
            "arn".into(),
            J::String(ev.iam_arn(ty, block_address, key, 0)?),
        );
    }
    Ok(J::Object(out))
}

/// A module call that is not read ([`unread_modules`]).
struct UnreadModule {
    /// Named by the call's address; its content the arguments, evaluated where they can be,
    /// else as written.
    unread: crate::iac::unread::Unread,
    /// The values of the arguments that may name a principal (not the meta-arguments
    /// `source`, `version`, `providers`, `depends_on`, `count`), and the names
    /// the IAM data sources they read look up.
    texts: Vec<String>,
    /// Those arguments as written (their references to principals).
    written: String,
    /// The address prefix of the calling module (its references are relative to it).
    prefix: String,
    /// The file of the call.
    file: String,
}

/// Arguments of a `module` block that say where its code comes from and how it is expanded,
/// not what it is given
/// (<https://developer.hashicorp.com/terraform/language/meta-arguments/module-providers>).
/// (`for_each` is kept: its values are what each instance is given, `each.value`.)
const MODULE_META_ARGUMENTS: &[&str] = &["source", "version", "providers", "depends_on", "count"];

/// The module calls that are not read ([`modules::load`]: registry, git and HTTP sources,
/// folders outside the repository).
fn unread_modules(
    ev: &Eval<'_>,
    files: &[eval::File],
    mods: &[modules::ModSrc],
) -> Vec<UnreadModule> {
    let mut out = Vec::new();
    for address in ev.unread.keys() {
        let found = files.iter().enumerate().find_map(|(f, file)| {
            let prefix = &mods[file.module].prefix;
            let name = address
                .strip_prefix(prefix.as_str())?
                .strip_prefix("module.")?;
            file.body
                .blocks()
                .find(|b| {
                    b.ident.as_str() == "module"
                        && b.labels.len() == 1
                        && b.labels[0].as_str() == name
                })
                .map(|b| (f, b, prefix.clone()))
        });
        let Some((f, block, prefix)) = found else {
            continue;
        };
        let mut args = Vec::new();
        let mut texts = Vec::new();
        let mut written = String::new();
        for a in block.body.attributes() {
            let t = &ev.files[ev.file_of(&a.value, f)].source.text;
            let raw = a.value.span().and_then(|r| t.get(r)).unwrap_or_default();
            let value = match ev.eval(&a.value, f, 0) {
                Ok(v) => pretty(&v),
                Err(_) => raw.to_string(),
            };
            let name = a.key.as_str();
            if !MODULE_META_ARGUMENTS.contains(&name) {
                texts.push(value.clone());
                written.push_str(raw);
                written.push('\n');
            }
            args.push(format!("{name} = {value}"));
        }
        // (nested blocks, as written)
        for b in block.body.blocks() {
            let t = &ev.files[ev.block_file(b, f)].source.text;
            let raw = b.span().and_then(|r| t.get(r)).unwrap_or_default();
            written.push_str(raw);
            written.push('\n');
            args.push(raw.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        // the names the IAM data sources it reads look up (`data.aws_iam_role.x.arn` is not
        // known statically; its `name` is the role's)
        for (data, (df, db)) in &ev.blocks {
            let Some(rest) = data.strip_prefix(prefix.as_str()) else {
                continue;
            };
            let attr = if rest.starts_with("data.aws_iam_role.") {
                "name"
            } else if rest.starts_with("data.aws_iam_user.") {
                "user_name"
            } else if rest.starts_with("data.aws_iam_group.") {
                "group_name"
            } else {
                continue;
            };
            let used = texts.iter().any(|t| {
                t.contains(&format!("UNKNOWN-{data}")) || t.contains(&format!("UNKNOWN-{rest}"))
            }) || crate::iac::reference_in(&written, rest);
            if !used {
                continue;
            }
            if let Some(n) = db.body.get_attribute(attr)
                && let Ok(v) = ev.eval(&n.value, *df, 0)
            {
                texts.push(pretty(&v));
            }
        }
        let content = super::unread_module(&args.join("; "));
        out.push(UnreadModule {
            unread: crate::iac::unread::Unread {
                path: address.clone(),
                ty: "module".into(),
                content,
            },
            texts,
            written,
            prefix,
            file: files[f].source.name.to_string(),
        });
    }
    out
}

/// A Terraform address without its instance keys: `module.a["x"].aws_iam_role.r[0]` is
/// `module.a.aws_iam_role.r`.
fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The policy-shaped arguments of a resource block of a type no reader takes
/// ([`crate::iac::unread`]): every argument named as policies are (`policy`,
/// `access_policies`, ...) and every argument whose text holds `Statement` or an
/// `aws_iam_policy_document`, of the block and its nested blocks, evaluated for the block's
/// first instance; one that cannot be evaluated, or whose policy argument is not known
/// statically, is kept.
fn unread_arguments(
    ev: &Eval<'_>,
    address: &str,
    ty: &str,
    file: usize,
    block: &hcl_edit::structure::Block,
) -> Vec<crate::iac::unread::Unread> {
    fn go(
        ev: &Eval<'_>,
        (address, key, ty, file): (&str, &modules::Key, &str, usize),
        body: &hcl_edit::structure::Body,
        at: &str,
        depth: usize,
        out: &mut Vec<crate::iac::unread::Unread>,
    ) {
        if depth > 8 {
            return;
        }
        for a in body.attributes() {
            let name = a.key.as_str();
            let text = &ev.files[ev.file_of(&a.value, file)].source.text;
            let raw = a.value.span().and_then(|r| text.get(r)).unwrap_or_default();
            if depth == 0 && super::resource_policy_attribute(ty) == Some(name) {
                continue;
            }
            let named = super::POLICY_ARGUMENTS.contains(&name);
            if !named && !raw.contains("Statement") && !raw.contains("aws_iam_policy_document") {
                continue;
            }
            let path = format!("{at}/{name}");
            let content = match ev.within(address, key, 0, || ev.eval(&a.value, file, 0)) {
                Ok(v) if crate::iac::unread::is_policy_shaped(&v) => {
                    crate::iac::unread::content(&v)
                }
                Ok(v) => match v.as_str() {
                    Some(t) if named && t.starts_with("UNKNOWN-") && !t.contains('{') => {
                        format!("(not known statically: {t})")
                    }
                    _ => continue,
                },
                Err(_) => raw.to_string(),
            };
            out.push(crate::iac::unread::Unread {
                path,
                ty: ty.to_string(),
                content,
            });
        }
        for b in body.blocks() {
            go(
                ev,
                (address, key, ty, ev.block_file(b, file)),
                &b.body,
                &format!("{at}/{}", b.ident.as_str()),
                depth + 1,
                out,
            );
        }
    }
    if super::NOT_GRANTING.contains(&ty) {
        return Vec::new();
    }
    if super::UNMODELLED_GRANTS.contains(&ty) {
        let text = &ev.files[file].source.text;
        let raw = block
            .body
            .span()
            .and_then(|r| text.get(r))
            .unwrap_or_default();
        let arguments: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        return vec![crate::iac::unread::Unread {
            path: address.to_string(),
            ty: ty.to_string(),
            content: super::unmodelled_grant(&arguments),
        }];
    }
    let key = match ev.expansion(address, 0).as_deref() {
        Ok(instances::Expansion::Known(all)) => match all.first() {
            Some(i) => i.key.clone(),
            None => return Vec::new(),
        },
        _ => modules::Key::None,
    };
    let mut out = Vec::new();
    go(
        ev,
        (address, &key, ty, file),
        &block.body,
        address,
        0,
        &mut out,
    );
    out
}

/// Maps an offset of rendered template text to the file (within the value's own span).
fn map_offset(segs: &[(u32, u32)], x: u32, within: Span) -> u32 {
    let at = match segs.partition_point(|(r, _)| *r <= x) {
        0 => within.start,
        i => segs[i - 1].1.saturating_add(x - segs[i - 1].0),
    };
    at.clamp(within.start, within.end)
}

pub(crate) fn remap(v: &mut Value, segs: &[(u32, u32)], within: Span) {
    let m = |s: crate::source::Span| {
        let start = map_offset(segs, s.start, within);
        let end = map_offset(segs, s.end, within).max(start);
        crate::source::Span { start, end }
    };
    v.span = m(v.span);
    match &mut v.kind {
        Kind::Array(a) => a.iter_mut().for_each(|x| remap(x, segs, within)),
        Kind::Object(members) => members.iter_mut().for_each(|x| {
            x.key_span = m(x.key_span);
            remap(&mut x.value, segs, within);
        }),
        _ => {}
    }
}

/// A policy argument's value as a document: an object (`jsonencode`,
/// `aws_iam_policy_document`), JSON text (heredoc, string, `file()`), or a placeholder (an
/// error that names it: a policy that cannot be known is never read as granting nothing).
fn document(
    ev: &Eval<'_>,
    v: &Value,
    file: usize,
    path: &str,
) -> (Source, Result<crate::model::Policy, ParseError>) {
    let tf = &ev.files[file].source;
    let name = format!("{}#{path}", tf.name);
    match &v.kind {
        Kind::Object(_) => {
            let s = tf.renamed(name);
            let typed = crate::iac::arn_placeholders(v, "aws", &ev.region, &ev.account);
            let p = parse::policy_from_tree(&s, &typed);
            (s, p)
        }
        Kind::String(text) if text.starts_with("UNKNOWN-") && !text.contains('{') => {
            let s = tf.renamed(name);
            let why = ev
                .notes
                .borrow()
                .get(text.as_str())
                .cloned()
                .unwrap_or_else(|| "a value not known statically".into());
            let e = ParseError::new(
                &s,
                "undecodable-document",
                v.span,
                format!("the policy `{text}` is not known statically: it stands for {why}"),
            )
            .with_help("write the policy with `jsonencode` of known values, a heredoc, `file()` or an `aws_iam_policy_document` data source; or lint the plan (`terraform show -json`)");
            (s, Err(e))
        }
        Kind::String(text) => {
            if let Some(src) = ev.read_files.borrow().get(text.as_str()) {
                let s = src.renamed(format!("{}#{path}", src.name));
                let p = parse::parse_policy(&s);
                return (s, p);
            }
            // rendered from a `templatefile()` template: located in the template file
            if let Some((src, segs)) = ev.rendered.borrow().get(text.as_str()) {
                let s = src.renamed(format!("{}#{path}", src.name));
                let whole = Span::new(0, src.text.len());
                let p = match crate::parse::json::parse(text) {
                    Ok(mut tree) => {
                        remap(&mut tree, segs, whole);
                        let tree =
                            crate::iac::arn_placeholders(&tree, "aws", &ev.region, &ev.account);
                        parse::policy_from_tree(&s, &tree)
                    }
                    Err(e) => {
                        let start = map_offset(segs, e.span.start, whole);
                        let end = map_offset(segs, e.span.end, whole).max(start);
                        Err(ParseError::new(
                            &s,
                            "json-syntax",
                            Span { start, end },
                            format!("the policy text is not JSON: {}", e.kind),
                        ))
                    }
                };
                return (s, p);
            }
            let s = tf.renamed(name);
            let segs = ev.segments.borrow().get(&(file, v.span)).cloned();
            let segs = segs.unwrap_or_else(|| vec![(0, v.span.start)]);
            let exact = ev.segments.borrow().contains_key(&(file, v.span));
            match crate::parse::json::parse(text) {
                Ok(mut tree) => {
                    if exact {
                        remap(&mut tree, &segs, v.span);
                    } else {
                        super::document::respan(&mut tree, v.span);
                    }
                    let tree = crate::iac::arn_placeholders(&tree, "aws", &ev.region, &ev.account);
                    let p = parse::policy_from_tree(&s, &tree);
                    (s, p)
                }
                Err(e) => {
                    let at = if exact {
                        let start = map_offset(&segs, e.span.start, v.span);
                        Span {
                            start,
                            end: map_offset(&segs, e.span.end, v.span).max(start),
                        }
                    } else {
                        v.span
                    };
                    let err = ParseError::new(
                        &s,
                        "json-syntax",
                        at,
                        format!("the policy text is not JSON: {}", e.kind),
                    );
                    (s, Err(err))
                }
            }
        }
        _ => {
            let s = tf.renamed(name);
            let e = ParseError::new(
                &s,
                "undecodable-document",
                v.span,
                format!(
                    "the policy is {}, not a JSON object or JSON text",
                    v.type_name()
                ),
            );
            (s, Err(e))
        }
    }
}

#[cfg(test)]
mod tests;
