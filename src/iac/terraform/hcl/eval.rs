//! Static evaluation of Terraform expressions into the spanned JSON tree: literals, objects,
//! lists, string templates and heredocs, `var.x` (defaults, or `--template-param`), `local.x`,
//! the IAM resources' names and ARNs, `data.aws_iam_policy_document.x.json`, `jsonencode`,
//! `file` (inside the repository) and a few pure functions; `count.index`/`each.*` of the
//! instance being read, and references to instances ([`super::instances`]). Anything else becomes a typed
//! placeholder (`UNKNOWN-...`) that matches only itself, recorded with what it stands for.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};

use super::super::document;
use super::instances::{Bound, Expansion, Index};
use super::modules::{Key, ModSrc};
use crate::iac::cfn::resolve::placeholder;
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::{Source, Span};

/// Deepest chain of references and nested expressions followed.
const MAX_DEPTH: usize = 64;
/// Most expression nodes evaluated for one module (references may fan out: `local.a = [local.b,
/// local.b]`, ...).
const MAX_STEPS: usize = 2_000_000;
/// Longest string a function or template builds (a chain of `replace`/`join`/templates that
/// doubles a value at each step is stopped here, not by the allocator).
pub const MAX_STRING: usize = 8 * 1024 * 1024;
/// Largest file `file()` reads.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The files of a folder: (name shown, bytes).
pub type Listing = Vec<(String, Vec<u8>)>;

/// Where `file()` and child modules read. Paths are relative to the root module's folder,
/// normalised (`modules/x/policy.json`, `../shared`).
pub trait Reader {
    /// A file: the name it is shown by and its text, or why it cannot be read.
    fn read(&self, rel: &str) -> Result<(String, String), String>;
    /// The `.tf` files of a module folder (name shown, bytes), sorted; `Ok(None)` when the
    /// folder lies outside the repository.
    fn tf_files(&self, rel: &str) -> Result<Option<Listing>, String>;
}

/// `file()` and module folders on disk, inside the repository.
pub struct Disk {
    /// The module folder.
    pub dir: PathBuf,
    /// The module folder as files read are named (`dir`, or relative to the repository root).
    pub shown: PathBuf,
    /// The repository root (nearest folder with `.git`, else the module folder), canonical.
    pub root: PathBuf,
}

impl Disk {
    fn shown(&self, rel: &str) -> String {
        let base = self.shown.display().to_string();
        if base.is_empty() || base == "." {
            super::modules::normalize(rel)
        } else {
            super::modules::join(&base, rel)
        }
    }
}

impl Reader for Disk {
    fn read(&self, rel: &str) -> Result<(String, String), String> {
        let full = self.dir.join(rel);
        let cannot = |e: std::io::Error| format!("cannot read `{}`: {e}", full.display());
        let canonical = full.canonicalize().map_err(cannot)?;
        if !canonical.starts_with(&self.root) {
            return Err(format!(
                "`file(\"{rel}\")` reads outside the repository (`{}`); greenlight reads files inside it only",
                self.root.display()
            ));
        }
        let meta = std::fs::metadata(&canonical).map_err(cannot)?;
        if meta.len() > MAX_FILE {
            return Err(format!("`{}` is larger than 16 MiB", full.display()));
        }
        let text = std::fs::read_to_string(&canonical).map_err(cannot)?;
        Ok((self.shown(rel), text))
    }

    fn tf_files(&self, rel: &str) -> Result<Option<Listing>, String> {
        let full = self.dir.join(rel);
        let canonical = full
            .canonicalize()
            .map_err(|e| format!("cannot read `{}`: {e}", self.shown(rel)))?;
        if !canonical.starts_with(&self.root) {
            return Ok(None);
        }
        let mut names: Vec<String> = std::fs::read_dir(&canonical)
            .map_err(|e| format!("cannot read `{}`: {e}", self.shown(rel)))?
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| super::is_config_name(n))
            .collect();
        names.sort();
        if names.len() > super::MAX_FILES {
            return Err(format!(
                "`{}` holds more than {} `.tf` files",
                self.shown(rel),
                super::MAX_FILES
            ));
        }
        let mut out = Vec::with_capacity(names.len());
        for n in names {
            let shown = self.shown(&format!("{rel}/{n}"));
            let p = canonical.join(&n);
            let cannot = |e: std::io::Error| format!("cannot read `{shown}`: {e}");
            if std::fs::metadata(&p).map_err(cannot)?.len() > super::MAX_TF {
                return Err(format!("`{shown}` is larger than 16 MiB"));
            }
            let bytes = std::fs::read(&p).map_err(cannot)?;
            out.push((shown, bytes));
        }
        Ok(Some(out))
    }
}

/// One `.tf` file of the module.
pub struct File {
    pub source: Source,
    pub body: Body,
    /// The module instance the file is read for (index into [`Eval::modules`]).
    pub module: usize,
    /// Parts of its blocks an override file replaced ([`super::overrides`]).
    pub merged: Vec<super::overrides::Merged>,
}

/// A module instance of the evaluation (see [`super::modules`]).
pub struct Mod<'m> {
    pub prefix: String,
    pub dir: String,
    /// The `module` block that calls it, and the file that holds the block.
    pub call: Option<(usize, &'m Block)>,
    pub key: Key,
}

/// What a binding (a `for` variable, a `dynamic` iterator, an instance's `each`/`count`) was
/// computed from that decides no branch: `(stand-ins, root defaults)` read while its
/// collection was evaluated. Reading the binding counts them again ([`Eval::read_taint`]), so
/// a comparison or conditional on it is not decided (red team 24).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Taint {
    pub standins: bool,
    pub defaults: bool,
    /// Which root variables' defaults (bit `i`: [`Eval::default_names`]`[i]`, the last bit
    /// standing for all past 63): two bindings of one value from different variables are
    /// assumed apart ([`Eval::condition_name`], red team 28).
    pub names: u64,
    /// The element (1-based) of the collection a `for` variable is bound to: elements of
    /// one collection read from defaults are assumed apart even when their values are alike.
    pub elem: u32,
    /// Where the binding is made (file, offset of the `for` expression, `%{for}` directive
    /// or `templatefile` call; `(0, 0)`: nowhere in particular): bindings made in different
    /// places are assumed apart (red team 29).
    pub site: (u32, u32),
}

/// Where `rendered[i..]` comes from in the file: `(offset in rendered text, offset in file)`.
pub type Segments = Vec<(u32, u32)>;

pub struct Eval<'m> {
    pub files: &'m [File],
    /// Where `file()` reads.
    pub reader: &'m dyn Reader,
    pub modules: Vec<Mod<'m>>,
    /// (module, name) → (file, default).
    pub vars: BTreeMap<(usize, &'m str), (usize, Option<&'m Expression>)>,
    /// Variables declared `nullable = false`: a `null` value given for one is its default
    /// (<https://developer.hashicorp.com/terraform/language/values/variables#disallowing-null-input-values>).
    pub non_nullable: std::collections::BTreeSet<(usize, &'m str)>,
    pub params: &'m BTreeMap<String, String>,
    /// The root module's variable values from its variable definitions files
    /// (`terraform.tfvars`, `*.auto.tfvars`, ...: [`super::tfvars`]), later files winning.
    pub tfvars: BTreeMap<String, Value>,
    /// Root-module variables whose `type` is a collection or structural type (`list(...)`,
    /// `set`, `map`, `object`, `tuple`): a `--template-param` value for one is read as an
    /// HCL expression, as Terraform reads `-var` values of such variables.
    pub complex_vars: std::collections::BTreeSet<&'m str>,
    /// (module, name) → (file, the variable's `type`): its value is converted to it
    /// ([`Eval::typed`]).
    pub var_types: BTreeMap<(usize, &'m str), (usize, &'m Expression)>,
    /// Stand-ins read so far (the account, Region or partition not given): a comparison whose
    /// operands read one decides nothing.
    pub(super) standins: Cell<u32>,
    pub locals: BTreeMap<(usize, &'m str), (usize, &'m Expression)>,
    pub outputs: BTreeMap<(usize, &'m str), (usize, &'m Expression)>,
    /// Module calls not read (address without instance key) → why.
    pub unread: BTreeMap<String, String>,
    /// `PREFIX.type.name` (managed) or `PREFIX.data.type.name` → (file, block).
    pub blocks: BTreeMap<String, (usize, &'m Block)>,
    /// The module instances whose call arguments are being evaluated (innermost last): where
    /// `count.index` and `each.key`/`each.value` of a module call come from.
    pub(super) calling: RefCell<Vec<usize>>,
    /// The instances of the blocks with `count`/`for_each` (see [`super::instances`]).
    pub(super) expansions: RefCell<HashMap<String, std::rc::Rc<Expansion>>>,
    /// The resource and data instances being evaluated (innermost last).
    pub(super) bound: RefCell<Vec<Bound>>,
    /// The iterators of the `dynamic` blocks being expanded (innermost last): name, key,
    /// value.
    pub(super) iterators: RefCell<Vec<(String, Value, Value)>>,
    /// The variables of the `for` expressions being evaluated (innermost last): name, value.
    pub(super) for_vars: RefCell<Vec<(String, Value, Taint)>>,
    /// The taint of each entry of [`Eval::iterators`].
    pub(super) iterator_taint: RefCell<Vec<Taint>>,
    /// Root-variable defaults read outside a condition so far (a default decides no branch).
    pub(super) defaults_read: Cell<u32>,
    /// The root variables whose defaults were read, in first-read order (see [`Taint::names`]).
    pub(super) default_names: RefCell<Vec<String>>,
    /// Per default read (or tainted binding read), the variables it stands for, as
    /// [`Taint::names`] bits.
    pub(super) defaults_log: RefCell<Vec<u64>>,
    /// Dynamic errors recorded so far ([`Eval::fail`]): what `try` falls back past.
    pub(super) failures: Cell<u32>,
    /// Inside the arguments of `try`/`can`: an instance index out of range is a dynamic
    /// failure there ([`Eval::fail`]), not an error that ends the reading.
    pub(super) trying: Cell<usize>,
    /// Inside the condition of a conditional (or an operand of `&&`, `||`, `!`, `== null`):
    /// a root variable's default is not a value there ([`Eval::var`]).
    branching: Cell<usize>,
    pub account: String,
    pub region: String,
    /// Placeholder → what it stands for.
    pub notes: RefCell<BTreeMap<String, String>>,
    steps: Cell<usize>,
    /// Text read by `file()` → its source (a policy read from a file points into that file).
    pub read_files: RefCell<HashMap<String, Source>>,
    /// Templates rendered in a file: `(file, span)` of the value → segments.
    pub segments: RefCell<HashMap<(usize, Span), Segments>>,
    /// Expressions merged from an override file into another file's block → the override
    /// file ([`super::overrides`]); read with that file's text.
    origins: HashMap<*const Expression, usize>,
    /// Nested blocks merged from an override file → the override file.
    block_origins: HashMap<*const Block, usize>,
    /// Top-level blocks with parts from override files → (override file, override block).
    pub(super) parts: HashMap<*const Block, Vec<(usize, Span)>>,
    /// Conditionals whose condition is not known, assumed `true` or `false` (by
    /// [`Eval::condition_name`]): the module is read once per combination, as a
    /// CloudFormation template's undecided conditions are ([`crate::iac::cfn::load_tree`]).
    pub assume: BTreeMap<String, bool>,
    /// Conditions that read root-variable defaults and are not decided (a caller may set the
    /// variables): each one's name, the value its variables' defaults give it (`None`: the
    /// defaults do not decide it statically, so either value may be the other one), and the
    /// variables ([`Taint::names`] bits). A combination that assumes the other value cannot
    /// read those variables as their defaults ([`Eval::contradicted`]).
    pub(super) default_decided: RefCell<Vec<(String, Option<bool>, u64)>>,
    /// Reading a condition as its variables' defaults make it ([`Eval::note_default_decided`]):
    /// a root variable's default is its value inside conditions too.
    reading_defaults: Cell<bool>,
    /// The root variables ([`Taint::names`] bits) read as their defaults outside conditions: a
    /// condition learnt later in the run that contradicts one of them has the run read again
    /// ([`super::load_sources`]).
    pub(super) read_as_default: Cell<u64>,
    /// Calls not evaluated whose arguments the current [`Eval::note_default_decided`]
    /// reading read again ([`Eval::call`]).
    arg_rereads: Cell<usize>,
    /// The conditions [`Eval::note_default_decided`] read in this run.
    noted_conditions: RefCell<std::collections::HashSet<String>>,
    /// The conditionals reached whose condition is neither known nor assumed, in the order
    /// reached.
    pub reached: RefCell<Vec<String>>,
    /// Undecided condition → what its text reads (the definitions of the locals, module
    /// arguments, module outputs and blocks it names, recursively), hashed: a condition of
    /// the same name with another definition on the other side of a `diff` is another
    /// condition (red team 32). Conditions that read only root variables have none.
    pub condition_ids: RefCell<BTreeMap<String, String>>,
    /// The `templatefile()` templates read ([`super::templates`]).
    pub templates: &'m super::templates::Templates,
    /// The templates met that are not in [`Eval::templates`] yet: read before the next run.
    pub wanted: RefCell<std::collections::BTreeSet<String>>,
    /// Text rendered from a template file → the file and the segments mapping the text to it.
    pub rendered: RefCell<HashMap<String, (Source, Segments)>>,
    /// Templates of `templatefile()` being rendered (their expressions read their variables
    /// only).
    pub(super) in_template: Cell<usize>,
    /// The variables of the template being rendered that are sets ([`Eval::is_set_expr`]).
    pub(super) template_sets: RefCell<Vec<String>>,
    /// Every binding being made, outermost first, across template calls: (file, offset of
    /// the `for`/`%{for}`/`dynamic`/`templatefile`, element). A condition on a binding is
    /// named with all of them, so a binding inside another (a `for` in a `for`, a template
    /// called in a `for`) is assumed per outer element too (red team 30).
    pub(super) binding_ctx: RefCell<Vec<(u32, u32, u32)>>,
}

fn register_block(
    b: &Block,
    origin: usize,
    exprs: &mut HashMap<*const Expression, usize>,
    blocks: &mut HashMap<*const Block, usize>,
) {
    blocks.insert(b as *const Block, origin);
    for a in b.body.attributes() {
        exprs.insert(&a.value as *const Expression, origin);
    }
    for nested in b.body.blocks() {
        register_block(nested, origin, exprs, blocks);
    }
}

/// `x == null` or `x != null` (either side).
fn is_null_test(e: &Expression) -> bool {
    match e {
        Expression::Parenthesis(p) => is_null_test(p.inner()),
        Expression::BinaryOp(b) => {
            matches!(
                b.operator.value(),
                hcl_edit::expr::BinaryOperator::Eq | hcl_edit::expr::BinaryOperator::NotEq
            ) && (matches!(b.lhs_expr, Expression::Null(_))
                || matches!(b.rhs_expr, Expression::Null(_)))
        }
        _ => false,
    }
}

pub(super) fn span_of(e: &impl hcl_edit::Span) -> Span {
    e.span()
        .map(|r| Span::new(r.start, r.end))
        .unwrap_or_default()
}

pub(super) fn string(s: impl Into<String>, span: Span) -> Value {
    Value {
        kind: Kind::String(s.into()),
        span,
    }
}

/// Maps rendered text to the source text it was read from, which differs by quotes, escapes
/// (`\"`, `\n`, `\uXXXX`, `$${`, `%%{`) and a heredoc's stripped indentation: pushes
/// `(rendered offset, source offset)` wherever their difference changes.
pub(super) fn align(raw: &str, value: &str, out_at: u32, src_at: u32, segs: &mut Segments) {
    let (r, v) = (raw.as_bytes(), value.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    let mut delta: Option<i64> = None;
    while j < v.len() && i < r.len() {
        let d = i as i64 - j as i64;
        if delta != Some(d) {
            segs.push((out_at + j as u32, src_at + i as u32));
            delta = Some(d);
        }
        if r[i] == v[j] {
            i += 1;
            j += 1;
            continue;
        }
        match (r[i], r.get(i + 1)) {
            (b'\\', Some(b'u')) => {
                i += 6;
                j += value
                    .get(j..)
                    .and_then(|x| x.chars().next())
                    .map_or(1, char::len_utf8);
            }
            (b'\\', Some(b'U')) => {
                i += 10;
                j += value
                    .get(j..)
                    .and_then(|x| x.chars().next())
                    .map_or(1, char::len_utf8);
            }
            (b'\\', Some(_)) | (b'$', Some(b'$')) | (b'%', Some(b'%')) => {
                i += 2;
                j += 1;
            }
            // an opening quote, stripped indentation
            _ => i += 1,
        }
    }
}

impl<'m> Eval<'m> {
    pub fn new(
        files: &'m [File],
        modules: &[ModSrc],
        unread: BTreeMap<String, String>,
        reader: &'m dyn Reader,
        params: &'m BTreeMap<String, String>,
        account: String,
        region: String,
    ) -> Self {
        let modules = modules
            .iter()
            .map(|m| Mod {
                prefix: m.prefix.clone(),
                dir: m.dir.clone(),
                call: m
                    .call
                    .and_then(|(f, bi)| Some((f, files.get(f)?.body.blocks().nth(bi)?))),
                key: m.key.clone(),
            })
            .collect();
        let mut e = Eval {
            files,
            reader,
            modules,
            vars: BTreeMap::new(),
            non_nullable: Default::default(),
            params,
            tfvars: BTreeMap::new(),
            complex_vars: std::collections::BTreeSet::new(),
            var_types: BTreeMap::new(),
            standins: Cell::new(0),
            locals: BTreeMap::new(),
            outputs: BTreeMap::new(),
            unread,
            blocks: BTreeMap::new(),
            calling: RefCell::default(),
            expansions: RefCell::default(),
            bound: RefCell::default(),
            iterators: RefCell::default(),
            for_vars: RefCell::default(),
            iterator_taint: RefCell::default(),
            defaults_read: Cell::new(0),
            default_names: RefCell::default(),
            defaults_log: RefCell::default(),
            failures: Cell::new(0),
            trying: Cell::new(0),
            branching: Cell::new(0),
            account,
            region,
            notes: RefCell::default(),
            steps: Cell::new(0),
            read_files: RefCell::default(),
            segments: RefCell::default(),
            origins: HashMap::new(),
            block_origins: HashMap::new(),
            parts: HashMap::new(),
            assume: BTreeMap::new(),
            default_decided: RefCell::default(),
            reading_defaults: Cell::new(false),
            read_as_default: Cell::new(0),
            noted_conditions: RefCell::default(),
            arg_rereads: Cell::new(0),
            reached: RefCell::default(),
            condition_ids: RefCell::default(),
            templates: &super::templates::NO_TEMPLATES,
            wanted: RefCell::default(),
            rendered: RefCell::default(),
            in_template: Cell::new(0),
            template_sets: RefCell::default(),
            binding_ctx: RefCell::default(),
        };
        // the parts of blocks merged from override files, later merges winning
        for (i, f) in files.iter().enumerate() {
            for m in &f.merged {
                let Some(b) = f.body.blocks().nth(m.block) else {
                    continue;
                };
                let origin = i + m.delta;
                for key in &m.attributes {
                    if let Some(a) = b.body.get_attribute(key) {
                        e.origins.insert(&a.value as *const Expression, origin);
                    }
                }
                for ident in &m.blocks {
                    for nested in b.body.get_blocks(ident) {
                        register_block(nested, origin, &mut e.origins, &mut e.block_origins);
                    }
                }
                e.parts
                    .entry(b as *const Block)
                    .or_default()
                    .push((origin, m.span));
            }
        }
        for (i, f) in files.iter().enumerate() {
            let m = f.module;
            let prefix = e
                .modules
                .get(m)
                .map(|x| x.prefix.clone())
                .unwrap_or_default();
            for b in f.body.blocks() {
                let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
                match (b.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        let default = b.body.get_attribute("default").map(|a| &a.value);
                        let at = default.map_or(i, |d| e.file_of(d, i));
                        e.vars.insert((m, name), (at, default));
                        if let Some(t) = b.body.get_attribute("type") {
                            e.var_types
                                .insert((m, name), (e.file_of(&t.value, i), &t.value));
                        }
                        if b.body
                            .get_attribute("nullable")
                            .is_some_and(|a| matches!(&a.value, Expression::Bool(v) if !*v.value()))
                        {
                            e.non_nullable.insert((m, name));
                        }
                        if m == 0
                            && b.body.get_attribute("type").is_some_and(|t| {
                                let t = t.value.to_string();
                                let t = t.trim();
                                ["list", "set", "map", "object", "tuple"]
                                    .iter()
                                    .any(|c| t.starts_with(c))
                            })
                        {
                            e.complex_vars.insert(name);
                        }
                    }
                    ("locals", []) => {
                        for a in b.body.attributes() {
                            e.locals.insert((m, a.key.as_str()), (i, &a.value));
                        }
                    }
                    ("output", [name]) => {
                        if let Some(a) = b.body.get_attribute("value") {
                            e.outputs
                                .insert((m, name), (e.file_of(&a.value, i), &a.value));
                        }
                    }
                    ("resource", [ty, name]) => {
                        e.blocks.insert(format!("{prefix}{ty}.{name}"), (i, b));
                    }
                    ("data", [ty, name]) => {
                        e.blocks.insert(format!("{prefix}data.{ty}.{name}"), (i, b));
                    }
                    _ => {}
                }
            }
        }
        e
    }

    /// The file an expression of a block of `file` is written in: an override file for the
    /// parts merged from one, else `file`.
    pub fn file_of(&self, e: &Expression, file: usize) -> usize {
        self.origins
            .get(&(e as *const Expression))
            .copied()
            .unwrap_or(file)
    }

    /// The file a nested block of a block of `file` is written in (see [`Eval::file_of`]).
    pub fn block_file(&self, b: &Block, file: usize) -> usize {
        self.block_origins
            .get(&(b as *const Block))
            .copied()
            .unwrap_or(file)
    }

    /// Whether a top-level block has parts merged from override files.
    pub fn is_merged(&self, b: &Block) -> bool {
        self.parts.contains_key(&(b as *const Block))
    }

    pub fn error(&self, file: usize, span: Span, msg: String) -> ParseError {
        ParseError::new(&self.files[file].source, "undecodable-document", span, msg)
    }

    /// The Region of the default `aws` provider: its `region` argument when the configuration
    /// sets one (`None` when that value is not known statically), else `--region` (or the
    /// Region placeholder).
    fn provider_region(&self, depth: usize) -> Result<Option<String>, ParseError> {
        for (i, f) in self.files.iter().enumerate().filter(|(_, f)| f.module == 0) {
            for b in f.body.blocks() {
                let aws = b.ident.as_str() == "provider"
                    && b.labels.first().is_some_and(|l| l.as_str() == "aws")
                    && !b.body.has_attribute("alias");
                if let (true, Some(a)) = (aws, b.body.get_attribute("region")) {
                    let v = self.eval(&a.value, i, depth + 1)?;
                    return Ok(match v.kind {
                        Kind::String(s) if !s.contains("UNKNOWN-") => Some(s),
                        _ => None,
                    });
                }
            }
        }
        Ok(Some(self.region.clone()))
    }

    /// Evaluates an operand that decides a branch (see [`Eval::var`]): a value that read a
    /// stand-in or a root default (also through a `for` variable, a `dynamic` iterator or an
    /// instance's `each.value`) decides nothing; a null test only when it read a root default
    /// ([`Eval::null_test_operand`]).
    pub(super) fn branch_operand(
        &self,
        e: &'m Expression,
        file: usize,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let null_test = is_null_test(e);
        self.deciding_operand(e, file, depth, |t| {
            if null_test {
                t.defaults
            } else {
                *t != Taint::default()
            }
        })
    }

    /// Whether the combination being read assumes root variable `name` is not null
    /// (`var.x != null` true or `var.x == null` false, either way round).
    fn assumed_not_null(&self, name: &str) -> bool {
        let v = format!("var.{name}");
        [
            (format!("`{v} != null`"), true),
            (format!("`null != {v}`"), true),
            (format!("`{v} == null`"), false),
            (format!("`null == {v}`"), false),
        ]
        .iter()
        .any(|(k, b)| self.assume.get(k) == Some(b))
    }

    /// [`Eval::branch_operand`] for the operand of a null test: only reading a root default
    /// makes it decide nothing (a stand-in is a string, never null).
    fn null_test_operand(
        &self,
        e: &'m Expression,
        file: usize,
        depth: usize,
    ) -> Result<Value, ParseError> {
        self.deciding_operand(e, file, depth, |t| t.defaults)
    }

    /// Evaluates `e` as a branch's operand; a placeholder when what it read makes `undecided`
    /// true.
    fn deciding_operand(
        &self,
        e: &'m Expression,
        file: usize,
        depth: usize,
        undecided: impl Fn(&Taint) -> bool,
    ) -> Result<Value, ParseError> {
        self.branching.set(self.branching.get() + 1);
        let before = self.taint_mark();
        let v = self.eval(e, file, depth + 1);
        self.branching.set(self.branching.get() - 1);
        let v = v?;
        if undecided(&self.taint_since(before)) && !self.reading_defaults.get() {
            let file = self.file_of(e, file);
            let span = span_of(e);
            let text = self.files[file].source.slice(span).trim().to_string();
            return Ok(self.not_evaluated(&text, file, span));
        }
        Ok(v)
    }

    /// Records what the defaults of the root variables it reads give the condition `e` named
    /// `name`, which the combination assumes ([`Eval::default_decided`]): `e` read again with
    /// every root variable as its default, then the counters and records put back (nothing of
    /// that reading stays). Only variables read after this, in this combination, see it.
    fn note_default_decided(&self, e: &'m Expression, file: usize, name: &str) {
        // (once per condition and run: what it reads does not change within the run)
        if !self.noted_conditions.borrow_mut().insert(name.to_string())
            || self
                .default_decided
                .borrow()
                .iter()
                .any(|(n, _, _)| n == name)
        {
            return;
        }
        let mark = self.taint_mark();
        let (branching, reached) = (self.branching.get(), self.reached.borrow().len());
        // (what this reading may record, put back after it: the instances of blocks, the
        // placeholders' notes, the conditions' ids, the templates' segments and wants)
        let saved = (
            self.expansions.borrow().clone(),
            self.notes.borrow().clone(),
            self.condition_ids.borrow().clone(),
            self.segments.borrow().clone(),
            self.wanted.borrow().clone(),
            self.failures.get(),
        );
        self.branching.set(0);
        self.arg_rereads.set(0);
        self.reading_defaults.set(true);
        let v = self.eval(e, file, 1);
        self.reading_defaults.set(false);
        self.branching.set(branching);
        let taint = self.taint_since(mark);
        self.standins.set(mark.0);
        self.defaults_read.set(mark.1);
        self.defaults_log.borrow_mut().truncate(mark.2);
        self.reached.borrow_mut().truncate(reached);
        *self.expansions.borrow_mut() = saved.0;
        *self.notes.borrow_mut() = saved.1;
        *self.condition_ids.borrow_mut() = saved.2;
        *self.segments.borrow_mut() = saved.3;
        *self.wanted.borrow_mut() = saved.4;
        self.failures.set(saved.5);
        // (a value that read a stand-in, or no default, tells nothing; one the defaults do not
        // decide statically, a function not evaluated or `[0]` of a default `[]`, may be
        // either value: the variables it read are not their defaults in either combination,
        // red team 72)
        // The variables: those the reading read, and every root variable with a default the
        // condition's text reaches (through locals, module arguments and outputs, and the
        // blocks it names: their `count`, `for_each` and arguments), read or not: the
        // defaults' reading does not reach a variable in a branch the defaults do not take
        // (`(var.shared ? var.ext : "") != ""` with `shared = false`), in the arguments of a
        // function not evaluated, or behind a block's instances (`length(aws_iam_user.u) > 0`
        // where `count = length(var.trusted)`) (red team 72).
        let mut names = taint.names;
        {
            let f = self.file_of(e, file);
            let text = self.files[f].source.slice(span_of(e)).to_string();
            let mut found = std::collections::BTreeSet::new();
            self.root_variables_in(
                &text,
                self.files[f].module,
                0,
                &mut Default::default(),
                &mut found,
            );
            for v in found {
                names |= self.default_bit(&v);
            }
        }
        // (a reading that read a stand-in for the account or Region may differ from the
        // deployment's: it decides neither value)
        if names != 0 {
            let b = v
                .ok()
                .as_ref()
                .filter(|_| !taint.standins)
                .and_then(known_bool);
            self.default_decided
                .borrow_mut()
                .push((name.to_string(), b, names));
        }
    }

    /// The undecided condition the combination assumes the other way than root variable
    /// `name`'s default gives it (`length(var.x) > 0` assumed true where the default is `[]`):
    /// there the variable holds a value given, not its default (red team 71b).
    fn contradicted(&self, name: &str) -> Option<(String, bool)> {
        let i = self.default_names.borrow().iter().position(|n| n == name)?;
        let bit = 1u64 << i.min(63);
        self.default_decided
            .borrow()
            .iter()
            .filter(|(_, _, bits)| bits & bit != 0)
            .find_map(|(cond, b, _)| {
                let assumed = *self.assume.get(cond)?;
                (*b != Some(assumed)).then(|| (cond.clone(), assumed))
            })
    }

    /// The counters [`Eval::taint_since`] compares with.
    pub(super) fn taint_mark(&self) -> (u32, u32, usize) {
        (
            self.standins.get(),
            self.defaults_read.get(),
            self.defaults_log.borrow().len(),
        )
    }

    /// What was read since `mark`.
    pub(super) fn taint_since(&self, mark: (u32, u32, usize)) -> Taint {
        let names = self
            .defaults_log
            .borrow()
            .get(mark.2..)
            .map_or(0, |l| l.iter().fold(0, |a, b| a | b));
        Taint {
            standins: self.standins.get() != mark.0,
            defaults: self.defaults_read.get() != mark.1,
            names,
            elem: 0,
            site: (0, 0),
        }
    }

    /// Counts what a binding was computed from as read now.
    pub(super) fn read_taint(&self, t: Taint) {
        if t.standins {
            self.standins.set(self.standins.get() + 1);
        }
        if t.defaults {
            self.defaults_read.set(self.defaults_read.get() + 1);
            self.defaults_log.borrow_mut().push(t.names);
        }
    }

    /// Records that the default of root variable `name` was read.
    fn note_default(&self, name: &str) {
        self.defaults_read.set(self.defaults_read.get() + 1);
        let bit = self.default_bit(name);
        self.defaults_log.borrow_mut().push(bit);
    }

    /// `FILE:LINE` of an offset of a file, for a condition's name.
    pub(super) fn site_text(&self, (file, offset): (u32, u32)) -> String {
        match self.files.get(file as usize) {
            Some(f) => {
                let lc = f.source.line_col(offset);
                format!("{}:{}:{}", f.source.name, lc.line, lc.column)
            }
            None => String::new(),
        }
    }

    /// The root variables of [`Taint::names`], for a condition's name.
    fn default_names_of(&self, bits: u64) -> String {
        let names = self.default_names.borrow();
        let mut out: Vec<String> = (0..64)
            .filter(|i| bits & (1u64 << i) != 0)
            .map(|i| match names.get(i) {
                Some(n) if i < 63 => format!("var.{n}"),
                _ => "more".into(),
            })
            .collect();
        out.sort();
        out.join(",")
    }

    /// A placeholder for an expression greenlight does not evaluate (or whose inputs are
    /// unknown).
    pub(super) fn not_evaluated(&self, text: &str, file: usize, span: Span) -> Value {
        let short: String = text.chars().take(60).collect();
        self.unknown(
            &format!("expr-{}-{}", file, span.start),
            format!("the expression `{short}` (comparisons, arithmetic, `for` and conditionals on values not known statically are not evaluated)"),
            span,
        )
    }

    /// The boolean `v` (the value of `e`) is, or is assumed to be ([`Eval::assume`]); `None`
    /// when it is neither known nor assumed (it is then recorded as reached). `&&`, `||` and
    /// `!` are not assumed as a whole: their operands are, so `var.create && var.x` and
    /// `var.create` read one value of `var.create`.
    pub(super) fn assumed_bool(&self, e: &'m Expression, v: &Value, file: usize) -> Option<bool> {
        if let Some(b) = known_bool(v) {
            return Some(b);
        }
        let compound = match e {
            Expression::BinaryOp(b) => matches!(
                b.operator.value(),
                hcl_edit::expr::BinaryOperator::And | hcl_edit::expr::BinaryOperator::Or
            ),
            Expression::UnaryOp(u) => {
                matches!(u.operator.value(), hcl_edit::expr::UnaryOperator::Not)
            }
            Expression::Parenthesis(p) => {
                return self.assumed_bool(p.inner(), v, file);
            }
            _ => false,
        };
        if compound {
            return None;
        }
        let name = self.condition_name(e, file);
        let assumed = self.assume.get(&name).copied();
        // (also an operand of `&&`/`||` or a condition inside a condition, read while
        // branching: `var.on && length(var.x) > 0` assumed true says `var.x` is given)
        if assumed.is_some() && !self.reading_defaults.get() {
            self.note_default_decided(e, file, &name);
        }
        if assumed.is_none() {
            let mut reached = self.reached.borrow_mut();
            if !reached.contains(&name) {
                reached.push(name);
            }
        }
        assumed
    }

    /// How an undecided condition is named in the output, and assumed: its text in its module
    /// instance (`` `var.create` ``, `` `var.create` in module.app ``). Conditions written
    /// alike read the same values, so one assumption holds for all of them (the `count` of a
    /// role and of its policy, both `var.create ? 1 : 0`, are both 1 or both 0).
    fn condition_name(&self, cond: &'m Expression, file: usize) -> String {
        let file = self.file_of(cond, file);
        let source = &self.files[file].source;
        let text: String = source
            .slice(span_of(cond))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let short: String = text.chars().take(80).collect();
        let ellipsis = if short.len() < text.len() { "..." } else { "" };
        let prefix = self
            .modules
            .get(self.files[file].module)
            .map(|m| m.prefix.trim_end_matches('.'))
            .unwrap_or_default();
        // A condition on the instance (`count.index`, `each.key`, a `dynamic` block's
        // iterator) differs between instances: one assumption per instance, never one for
        // all (instance 0 `true` and instance 1 `false` is what Terraform deploys).
        let mut per = String::new();
        if text.contains("count.") || text.contains("each.") {
            if let Some(b) = self.bound.borrow().last() {
                per.push_str(&b.key_address());
            }
        }
        let mut bindings = !per.is_empty();
        {
            let taints = self.iterator_taint.borrow();
            for (i, (name, key, _)) in self.iterators.borrow().iter().enumerate() {
                if text.contains(&format!("{name}.")) {
                    per.push_str(&format!("[{name}.key={:?}", key.kind));
                    if let Some(t) = taints.get(i).filter(|t| t.site != (0, 0)) {
                        per.push_str(&format!(" @{}", self.site_text(t.site)));
                    }
                    per.push(']');
                    bindings = true;
                }
            }
        }
        // a `for` expression's variable: one assumption per element
        for (name, v, taint) in self.for_vars.borrow().iter() {
            let word = text.match_indices(name.as_str()).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                let ident = |c: Option<char>| {
                    c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
                };
                !ident(before)
                    && !(after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-'))
            });
            if word {
                // the whole value (a long one shortened with a hash of the whole: values
                // alike for 40 characters are still apart), and the root variables whose
                // defaults it came from
                let json = crate::parse::json::to_compact_json(v);
                let shown = if json.chars().count() <= 80 {
                    json
                } else {
                    let head: String = json.chars().take(40).collect();
                    let h = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                    });
                    format!("{head}...#{h:016x}")
                };
                per.push_str(&format!("[{name}={shown}"));
                if taint.names != 0 {
                    per.push_str(&format!(" from {}", self.default_names_of(taint.names)));
                }
                if taint.elem != 0 {
                    per.push_str(&format!(" #{}", taint.elem));
                }
                if taint.site != (0, 0) {
                    per.push_str(&format!(" @{}", self.site_text(taint.site)));
                }
                per.push(']');
                bindings = true;
            }
        }
        // a condition on a binding is one per resource instance too: two instances (or two
        // resources) bind their own values (red team 29: `for_each` maps, `each.value` passed
        // to a template)
        if bindings {
            // every enclosing binding (outer `for` elements, the template call's place)
            let ctx = self.binding_ctx.borrow();
            if ctx.len() > 1 {
                let all: Vec<String> = ctx
                    .iter()
                    .map(|&(f, o, e)| format!("{}#{e}", self.site_text((f, o))))
                    .collect();
                per.push_str(&format!(" within [{}]", all.join(", ")));
            }
            if let Some(b) = self.bound.borrow().last() {
                per.push_str(&format!(" in {}", b.site(self)));
            }
        }
        let at = if per.is_empty() {
            String::new()
        } else {
            format!(" for {per}")
        };
        let name = if prefix.is_empty() {
            format!("`{short}{ellipsis}`{at}")
        } else {
            format!("`{short}{ellipsis}` in {prefix}{at}")
        };
        if !self.condition_ids.borrow().contains_key(&name) {
            let mut def = String::new();
            let mut seen = std::collections::BTreeSet::new();
            self.definition_text(&text, self.files[file].module, 0, &mut def, &mut seen);
            // (empty: the condition reads root variables only)
            let id = if def.is_empty() {
                String::new()
            } else {
                crate::iac::fnv_hex(&def)
            };
            self.condition_ids.borrow_mut().insert(name.clone(), id);
        }
        name
    }

    /// The words of `text` that may be references (`local.x`, `var.x`, `module.m.out`,
    /// `aws_iam_role.r.arn`, `data.t.n.json`), split at their dots, for
    /// [`Eval::definition_text`] and [`Eval::root_variables_in`].
    fn reference_words(text: &str) -> impl Iterator<Item = (&str, Vec<&str>)> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .filter(|w| w.contains('.'))
            .map(|w| (w, w.split('.').collect()))
    }

    /// The module instances that module instance `module`'s `module "name"` block calls.
    fn calls_named(&self, module: usize, name: &str) -> Vec<usize> {
        (0..self.modules.len())
            .filter(|&c| {
                self.modules[c].call.is_some_and(|(cf, b)| {
                    self.files[cf].module == module
                        && b.labels.first().is_some_and(|l| l.as_str() == name)
                })
            })
            .collect()
    }

    /// The outputs of module instance `c` (all, or the one named `output`): name, file,
    /// expression.
    fn outputs_of(&self, c: usize, output: Option<&str>) -> Vec<(&'m str, usize, &'m Expression)> {
        self.outputs
            .iter()
            .filter(|((m, n), _)| *m == c && output.is_none_or(|o| o == *n))
            .map(|((_, n), &(f, e))| (*n, f, e))
            .collect()
    }

    /// The resource or data block a reference's parts name in the module instance of
    /// `prefix` (`aws_iam_role.r`, `data.t.n`), with its file, and its address.
    fn block_named(&self, prefix: &str, parts: &[&str]) -> (String, Option<(usize, &'m Block)>) {
        let key = format!(
            "{prefix}{}",
            parts
                .iter()
                .take(if parts[0] == "data" { 3 } else { 2 })
                .copied()
                .collect::<Vec<_>>()
                .join(".")
        );
        let b = self.blocks.get(&key).copied();
        (key, b)
    }

    /// The [`Taint::names`] bit of root variable `name` ([`Eval::default_names`]).
    fn default_bit(&self, name: &str) -> u64 {
        let mut names = self.default_names.borrow_mut();
        let i = match names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                names.push(name.to_string());
                names.len() - 1
            }
        };
        1u64 << i.min(63)
    }

    /// Adds to `out` the root variables with a default and no value given that `text` (an
    /// expression of module instance `module`) reaches, as [`Eval::definition_text`] follows
    /// references: each `local.X`, each `var.X` of a called module (the call's argument, in
    /// the caller), each `module.X.Y` (its outputs), each resource or data block (its whole
    /// text: `count`, `for_each`, arguments). Each reference once (`seen`).
    fn root_variables_in(
        &self,
        text: &str,
        module: usize,
        depth: usize,
        seen: &mut std::collections::BTreeSet<(usize, String)>,
        out: &mut std::collections::BTreeSet<String>,
    ) {
        if depth > 64 || seen.len() > 4096 {
            return;
        }
        let slice = |f: usize, sp: Span| self.files[f].source.slice(sp).to_string();
        let prefix = self
            .modules
            .get(module)
            .map(|m| m.prefix.clone())
            .unwrap_or_default();
        for (_, parts) in Self::reference_words(text) {
            let key = match parts[..] {
                ["data", b, ..] => format!("data.{b}.{}", parts.get(2).unwrap_or(&"")),
                [a, b, ..] => format!("{a}.{b}"),
                _ => continue,
            };
            if !seen.insert((module, key)) {
                continue;
            }
            match parts[..] {
                ["local", name, ..] => {
                    if let Some(&(f, e)) = self.locals.get(&(module, name)) {
                        let t = slice(f, span_of(e));
                        self.root_variables_in(&t, module, depth + 1, seen, out);
                    }
                }
                ["var", name, ..] if module == 0 => {
                    if matches!(self.vars.get(&(0, name)), Some((_, Some(_))))
                        && !self.tfvars.contains_key(name)
                    {
                        out.insert(name.to_string());
                    }
                }
                ["var", name, ..] => {
                    let call = self.modules.get(module).and_then(|m| m.call);
                    if let Some((cf, b)) = call {
                        // the call's argument, and its `count`/`for_each`
                        for a in b.body.attributes().filter(|a| {
                            let k = a.key.as_str();
                            k == name || k == "count" || k == "for_each"
                        }) {
                            let t = slice(cf, span_of(&a.value));
                            self.root_variables_in(&t, self.files[cf].module, depth + 1, seen, out);
                        }
                    }
                }
                ["module", name, ..] => {
                    for c in self.calls_named(module, name) {
                        for (_, f, e) in self.outputs_of(c, parts.get(2).copied()) {
                            let t = slice(f, span_of(e));
                            self.root_variables_in(&t, c, depth + 1, seen, out);
                        }
                    }
                }
                _ => {
                    if let (_, Some((f, b))) = self.block_named(&prefix, &parts) {
                        let t = slice(f, span_of(b));
                        self.root_variables_in(&t, module, depth + 1, seen, out);
                    }
                }
            }
        }
    }

    /// Appends to `out` the definitions `text` (an expression of module instance `module`)
    /// reads: each `local.X` (and what it reads), each `var.X` of a called module (the call's
    /// argument, read in the caller, or the default), each `module.X.Y` (the call and the
    /// output's definitions), each `data.T.N` and resource `T.N` block. A root variable is
    /// the template's parameter: nothing to append.
    fn definition_text(
        &self,
        text: &str,
        module: usize,
        depth: usize,
        out: &mut String,
        seen: &mut std::collections::BTreeSet<(usize, String)>,
    ) {
        const MAX: usize = 1 << 18;
        if depth > 64 || out.len() > MAX {
            out.push('\u{2026}');
            return;
        }
        // the text without comments and with whitespace collapsed: `terraform fmt` and a
        // comment change nothing (red team 33)
        let slice = |f: usize, sp: Span| normalized(self.files[f].source.slice(sp));
        let prefix = self
            .modules
            .get(module)
            .map(|m| m.prefix.clone())
            .unwrap_or_default();
        for (w, parts) in Self::reference_words(text) {
            if !seen.insert((module, w.to_string())) {
                continue;
            }
            match parts[..] {
                ["local", name, ..] => {
                    if let Some(&(f, e)) = self.locals.get(&(module, name)) {
                        let t = slice(f, span_of(e));
                        out.push_str(&format!("{module}:local.{name}={t};"));
                        self.definition_text(&t, module, depth + 1, out, seen);
                    }
                }
                // a root variable is the template's parameter; its `type` and `validation`
                // say which values it may take (red team 33: a `validation` removed makes a
                // value deployable)
                ["var", name, ..] if module == 0 => {
                    for f in self.files.iter().filter(|f| f.module == 0) {
                        for b in f.body.blocks().filter(|b| {
                            b.ident.as_str() == "variable"
                                && b.labels.first().is_some_and(|l| l.as_str() == name)
                        }) {
                            let checks: Vec<String> = b
                                .body
                                .blocks()
                                .filter(|v| v.ident.as_str() == "validation")
                                .map(|v| normalized(f.source.slice(span_of(v))))
                                .chain(
                                    b.body
                                        .attributes()
                                        .filter(|a| a.key.as_str() == "type")
                                        .map(|a| normalized(f.source.slice(span_of(&a.value)))),
                                )
                                .collect();
                            if !checks.is_empty() {
                                out.push_str(&format!("var.{name} {};", checks.join(" ")));
                            }
                        }
                    }
                }
                ["var", name, ..] => {
                    let call = self.modules.get(module).and_then(|m| m.call);
                    // the call's `for_each`/`count` (they decide `each`/`count` in the
                    // argument: red team 33), not its `source` or other arguments: a module
                    // moved to another folder reads the same conditions (red team 74: each
                    // conditional role of a moved module was added where the old condition
                    // was false and the "new" one true)
                    if let Some((cf, b)) = call {
                        out.push_str(&format!("{module}:call={};", self.call_meta(cf, b)));
                    }
                    let arg = call.and_then(|(cf, b)| {
                        b.body
                            .attributes()
                            .find(|a| a.key.as_str() == name)
                            .map(|a| (cf, span_of(&a.value)))
                    });
                    match arg {
                        Some((cf, sp)) => {
                            let t = slice(cf, sp);
                            out.push_str(&format!("{module}:var.{name}={t};"));
                            self.definition_text(&t, self.files[cf].module, depth + 1, out, seen);
                        }
                        None => {
                            let d = self
                                .vars
                                .get(&(module, name))
                                .and_then(|&(f, d)| d.map(|d| slice(f, span_of(d))));
                            out.push_str(&format!("{module}:var.{name} default {d:?};"));
                        }
                    }
                }
                ["module", name, ..] => {
                    // `module.x.out`, `module.x[0].out`, `module.x["k"].out` (the output's
                    // name after an index is not in this word: every output counts)
                    let output = parts.get(2).copied();
                    for c in self.calls_named(module, name) {
                        // (the whole call when no output of it is read here: its `source`
                        // and `version` are then all that names what it returns)
                        let outputs = self.outputs_of(c, output);
                        if let Some((cf, b)) = self.modules[c].call {
                            let call = if outputs.is_empty() {
                                slice(cf, span_of(b))
                            } else {
                                self.call_meta(cf, b)
                            };
                            out.push_str(&format!("{module}:module.{name}={call};"));
                        }
                        for (n, f, e) in outputs {
                            let t = slice(f, span_of(e));
                            out.push_str(&format!("{c}:output.{n}={t};"));
                            self.definition_text(&t, c, depth + 1, out, seen);
                        }
                    }
                }
                _ => {
                    if let (key, Some((f, b))) = self.block_named(&prefix, &parts) {
                        out.push_str(&format!("{key}={};", slice(f, span_of(b))));
                    }
                }
            }
        }
    }

    /// What of a `module` call `b` (in file `cf`) decides the values the called module reads
    /// apart from its arguments ([`Eval::definition_text`]): its `count` and `for_each`, as
    /// written (comments and spacing aside).
    fn call_meta(&self, cf: usize, b: &Block) -> String {
        b.body
            .attributes()
            .filter(|a| matches!(a.key.as_str(), "count" | "for_each"))
            .map(|a| {
                format!(
                    "{}={}",
                    a.key.as_str(),
                    normalized(self.files[cf].source.slice(span_of(&a.value)))
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A placeholder for a value that cannot be known statically.
    pub fn unknown(&self, what: &str, why: String, span: Span) -> Value {
        let p = placeholder(what);
        self.notes.borrow_mut().entry(p.clone()).or_insert(why);
        string(p, span)
    }

    /// Evaluation steps taken so far (an evaluation that continues another's budget starts
    /// from them: [`Eval::continue_steps`]).
    pub(super) fn steps_taken(&self) -> usize {
        self.steps.get()
    }

    /// Charges `n` steps of work done without evaluating (values copied).
    pub(super) fn charge(&self, n: usize) {
        self.steps.set(self.steps.get().saturating_add(n));
    }

    pub(super) fn continue_steps(&self, taken: usize) {
        self.steps.set(taken);
    }

    pub(super) fn step(&self, file: usize, span: Span, depth: usize) -> Result<(), ParseError> {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return Err(self.error(
                file,
                span,
                format!("the module takes more than {MAX_STEPS} evaluation steps (references that fan out)"),
            ));
        }
        if depth > MAX_DEPTH {
            return Err(self.error(
                file,
                span,
                format!(
                    "references nest deeper than {MAX_DEPTH} levels (a circular `local` or `var`?)"
                ),
            ));
        }
        Ok(())
    }

    /// A body as an object: attributes, and nested blocks as lists of objects (by name).
    pub fn body(
        &self,
        b: &'m Body,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        self.step(file, span, depth)?;
        let mut members: Vec<Member> = Vec::new();
        for a in b.attributes() {
            if a.key.as_str() == "dynamic" {
                return Err(self.error(
                    file,
                    span_of(&a.key),
                    "`dynamic` blocks are not read (their content depends on `for_each`)".into(),
                ));
            }
            let value = self.eval(&a.value, file, depth + 1)?;
            let key_span = if self.file_of(&a.value, file) == file {
                span_of(&a.key)
            } else {
                value.span
            };
            members.push(Member {
                key: a.key.as_str().to_string(),
                key_span,
                value,
            });
        }
        for blk in b.blocks() {
            let key = blk.ident.as_str();
            let sp = span_of(blk);
            let bf = self.block_file(blk, file);
            let made: Vec<Value>;
            let key = if key == "dynamic" {
                let (label, copies) = self.dynamic(blk, bf, sp, depth + 1)?;
                made = copies;
                label
            } else {
                made = vec![self.body(&blk.body, bf, sp, depth + 1)?];
                key
            };
            for v in made {
                push_block(&mut members, key, span_of(&blk.ident), sp, v);
            }
        }
        Ok(Value {
            kind: Kind::Object(members),
            span,
        })
    }

    /// A `dynamic "LABEL"` block: one `LABEL` block per element of its `for_each` (a list,
    /// set or map known statically), its `content` evaluated with the iterator (`LABEL`, or
    /// the `iterator` argument's name) bound to the element's `key` and `value`
    /// (<https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks>).
    /// A `for_each` not known statically is an error, never a guess.
    fn dynamic(
        &self,
        blk: &'m Block,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<(&'m str, Vec<Value>), ParseError> {
        let not_read =
            |why: &str| self.error(file, span, format!("`dynamic` block not read: {why}"));
        let label = blk
            .labels
            .first()
            .map(|l| l.as_str())
            .ok_or_else(|| not_read("it has no label"))?;
        let mut for_each = None;
        let mut iterator = label.to_string();
        for a in blk.body.attributes() {
            match a.key.as_str() {
                "for_each" => for_each = Some(&a.value),
                "iterator" => match &a.value {
                    Expression::Variable(v) => iterator = v.as_str().to_string(),
                    _ => return Err(not_read("its `iterator` is not a name")),
                },
                "labels" => return Err(not_read("it has `labels`")),
                _ => {}
            }
        }
        let for_each = for_each.ok_or_else(|| not_read("it has no `for_each`"))?;
        let content = blk
            .body
            .blocks()
            .find(|b| b.ident.as_str() == "content")
            .ok_or_else(|| not_read("it has no `content` block"))?;
        let before = self.taint_mark();
        let collection = self.eval(for_each, file, depth + 1)?;
        let taint = self.taint_since(before);
        let elements: Vec<(Value, Value)> = match &collection.kind {
            // a list's key is its index, a set's key is the value itself; `toset()` and a
            // `set(...)` variable read as lists here, so the key of a list element is not
            // known (a placeholder), never the index read as if it were the value
            Kind::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let key = self.unknown(
                        &format!("dynamic-key-{}-{}-{i}", file, span.start),
                        "the `key` of a `dynamic` block's element over a list or set (the index of a list, the value of a set: which one is not known here)".into(),
                        v.span,
                    );
                    (key, v.clone())
                })
                .collect(),
            Kind::Object(m) => m
                .iter()
                .map(|x| {
                    (
                        Value {
                            kind: Kind::String(x.key.clone()),
                            span: x.key_span,
                        },
                        x.value.clone(),
                    )
                })
                .collect(),
            Kind::Null => Vec::new(),
            _ => {
                return Err(not_read(&format!(
                    "its `for_each` is not known statically (`{}`)",
                    self.files[file].source.slice(span_of(for_each)).trim()
                )));
            }
        };
        // An element not known statically (`toset([module.eks.cluster_name])`, as
        // terraform-aws-iam's iam-role-for-service-accounts example writes) makes one block
        // whose `content` reads the placeholder as it reads any other: an attribute of it is
        // the placeholder, an action or effect from it is reported unresolved, a nested
        // `dynamic` over it is not read, a condition on it is assumed both ways. (A set of
        // several such elements may hold fewer when some are equal; the blocks they make are
        // then equal too, so what the document grants is the same.)
        let cf = self.block_file(content, file);
        let mut out = Vec::with_capacity(elements.len());
        for (i, (k, v)) in elements.into_iter().enumerate() {
            let site = (file as u32, span.start);
            self.iterators.borrow_mut().push((iterator.clone(), k, v));
            self.iterator_taint.borrow_mut().push(Taint {
                elem: i as u32 + 1,
                site,
                ..taint
            });
            self.binding_ctx
                .borrow_mut()
                .push((site.0, site.1, i as u32 + 1));
            let r = self.body(&content.body, cf, span_of(content), depth + 1);
            self.iterators.borrow_mut().pop();
            self.iterator_taint.borrow_mut().pop();
            self.binding_ctx.borrow_mut().pop();
            out.push(r?);
        }
        Ok((label, out))
    }
}

/// HCL text without `#`, `//` and `/* */` comments (outside strings) and with runs of
/// whitespace made one space.
fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut space = false;
    while let Some(c) = chars.next() {
        if quoted {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                quoted = false;
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '#' => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
                continue;
            }
            '/' if chars.peek() == Some(&'/') => {
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
                continue;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
                continue;
            }
            _ => {}
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A known boolean: `true`/`false`, or the strings Terraform converts to them.
fn known_bool(v: &Value) -> Option<bool> {
    match &v.kind {
        Kind::Bool(b) => Some(*b),
        Kind::String(s) if s == "true" => Some(true),
        Kind::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// Whether a value holds a placeholder anywhere.
pub(super) fn has_unknown(v: &Value) -> bool {
    match &v.kind {
        Kind::String(t) => t.contains("UNKNOWN-"),
        Kind::Array(a) => a.iter().any(has_unknown),
        Kind::Object(m) => m
            .iter()
            .any(|x| x.key.contains("UNKNOWN-") || has_unknown(&x.value)),
        _ => false,
    }
}

/// Whether two values are the same for `distinct()`: the same type and value (spans aside; a
/// number and a string differ).
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool(x), Kind::Bool(y)) => x == y,
        (Kind::Number(x), Kind::Number(y)) => {
            x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
        }
        (Kind::String(x), Kind::String(y)) => x == y,
        (Kind::Array(x), Kind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Kind::Object(x), Kind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|m| y.iter().any(|n| n.key == m.key && same(&m.value, &n.value)))
        }
        _ => false,
    }
}

/// Appends a nested block's value under its name (a list of objects).
fn push_block(members: &mut Vec<Member>, key: &str, key_span: Span, sp: Span, v: Value) {
    {
        {
            match members.iter_mut().find(|m| m.key == key) {
                Some(Member {
                    value:
                        Value {
                            kind: Kind::Array(a),
                            ..
                        },
                    ..
                }) => a.push(v),
                _ => members.push(Member {
                    key: key.to_string(),
                    key_span,
                    value: Value {
                        kind: Kind::Array(vec![v]),
                        span: sp,
                    },
                }),
            }
        }
    }
}

impl<'m> Eval<'m> {
    /// Evaluates an expression of `file`.
    pub fn eval(&self, e: &'m Expression, file: usize, depth: usize) -> Result<Value, ParseError> {
        // each level of references takes tens of KiB of stack in a debug build: grown on the
        // heap when less than 256 KiB is left, so MAX_DEPTH levels fit any thread
        stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || {
            self.eval_here(e, file, depth)
        })
    }

    fn eval_here(&self, e: &'m Expression, file: usize, depth: usize) -> Result<Value, ParseError> {
        let file = self.file_of(e, file);
        let span = span_of(e);
        self.step(file, span, depth)?;
        let text = || self.files[file].source.slice(span).trim().to_string();
        Ok(match e {
            Expression::Null(_) => Value {
                kind: Kind::Null,
                span,
            },
            Expression::Bool(b) => Value {
                kind: Kind::Bool(*b.value()),
                span,
            },
            Expression::Number(n) => Value {
                kind: Kind::Number(n.value().to_string()),
                span,
            },
            Expression::String(s) => {
                // a quoted string with escapes (JSON written inline): keep where each rendered
                // character comes from, for JSON read from it
                let raw = self.files[file].source.slice(span);
                if raw.len() != s.value().len() + 2 && s.value().len() < 1_000_000 {
                    let mut segs = Vec::new();
                    align(raw, s.value(), 0, span.start, &mut segs);
                    self.segments.borrow_mut().insert((file, span), segs);
                }
                string(s.value().clone(), span)
            }
            Expression::Array(a) => Value {
                kind: Kind::Array(
                    a.iter()
                        .map(|x| self.eval(x, file, depth + 1))
                        .collect::<Result<_, _>>()?,
                ),
                span,
            },
            Expression::Object(o) => {
                let mut members = Vec::new();
                for (k, v) in o.iter() {
                    let key_span = span_of(k);
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(x) => match self.eval(x, file, depth + 1)?.kind {
                            Kind::String(s) => s,
                            _ => placeholder(&format!("key-{}", text())),
                        },
                    };
                    members.push(Member {
                        key,
                        key_span,
                        value: self.eval(v.expr(), file, depth + 1)?,
                    });
                }
                Value {
                    kind: Kind::Object(members),
                    span,
                }
            }
            Expression::StringTemplate(t) => self.template(t, file, span, depth)?,
            Expression::HeredocTemplate(h) => self.template(&h.template, file, span, depth)?,
            Expression::Parenthesis(p) => {
                let mut v = self.eval(p.inner(), file, depth + 1)?;
                v.span = span;
                v
            }
            Expression::Traversal(t) => self.traversal(t, file, span, depth)?,
            Expression::FuncCall(f) => self.call(f, file, span, depth)?,
            Expression::Variable(v)
                if v.as_str().starts_with(super::json_syntax::UNREAD_TEMPLATE) =>
            {
                let t = text();
                let short: String = t.chars().take(60).collect();
                self.unknown(
                    &format!("template-{}-{}", file, span.start),
                    format!("the template `{short}` (escaped quotes inside an interpolation of a `.tf.json` string are not read)"),
                    span,
                )
            }
            Expression::Variable(v) if self.for_var(v.as_str()).is_some() => {
                self.for_var_at(v.as_str(), span)
            }
            Expression::Variable(v) if self.in_template.get() > 0 => {
                return Err(self.outside_template_vars(v.as_str(), file, span));
            }
            Expression::Variable(v) => {
                let name = v.as_str();
                self.unknown(
                    name,
                    format!(
                        "`{name}` (`count`/`for_each` values and bare names are not evaluated)"
                    ),
                    span,
                )
            }
            // A conditional whose condition is a known boolean takes its branch, as Terraform
            // evaluates only that one; `&&`, `||` and `!` of known booleans are evaluated
            // (<https://developer.hashicorp.com/terraform/language/expressions/conditionals>,
            // <https://developer.hashicorp.com/terraform/language/expressions/operators>).
            // A boolean is `true`/`false`, or the strings `"true"`/`"false"`, which Terraform
            // converts to them (a `bool` variable set from a `-var`, a `.tfvars` string). Nothing
            // else decides a branch: comparisons stay unknown, since a value's declared `type`
            // converts it (`"2"` is `2` for a `number`) and `data` sources such as the account
            // stand in for values known at apply (red-team pass 14), so a branch is never
            // chosen on a value Terraform would not see.
            //
            // A condition not known is assumed `true` and `false` in turn ([`Eval::assume`]):
            // each branch is read, so neither `count = var.create ? 1 : 0` nor
            // `Action = var.admin ? "*" : "s3:GetObject"` hides what one branch grants.
            Expression::Conditional(c) => {
                let cond = self.branch_operand(&c.cond_expr, file, depth)?;
                match self.assumed_bool(&c.cond_expr, &cond, file) {
                    Some(true) => self.eval(&c.true_expr, file, depth + 1)?,
                    Some(false) => self.eval(&c.false_expr, file, depth + 1)?,
                    None => self.not_evaluated(&text(), file, span),
                }
            }
            Expression::BinaryOp(b)
                if matches!(
                    b.operator.value(),
                    hcl_edit::expr::BinaryOperator::And | hcl_edit::expr::BinaryOperator::Or
                ) =>
            {
                let l = self.branch_operand(&b.lhs_expr, file, depth)?;
                let l = self.assumed_bool(&b.lhs_expr, &l, file);
                let r = self.branch_operand(&b.rhs_expr, file, depth)?;
                let r = self.assumed_bool(&b.rhs_expr, &r, file);
                let and = matches!(b.operator.value(), hcl_edit::expr::BinaryOperator::And);
                match (l, r) {
                    (Some(x), Some(y)) => Value {
                        kind: Kind::Bool(if and { x && y } else { x || y }),
                        span,
                    },
                    _ => self.not_evaluated(&text(), file, span),
                }
            }
            // `x == null` / `x != null`: whether a value is null does not depend on its type
            // (no conversion is involved); a value that is a placeholder as a whole may be null
            Expression::BinaryOp(b) if is_null_test(e) => {
                let other = if matches!(b.lhs_expr, Expression::Null(_)) {
                    &b.rhs_expr
                } else {
                    &b.lhs_expr
                };
                // (a value that read only stand-ins, the account or Region greenlight fills in,
                // is null or not whatever they stand for: a stand-in is a string; a root
                // default may be replaced by null, so it still decides nothing; red team 60:
                // terraform-aws-sqs's `statement.value.principals != null` on a list that
                // names the caller's account)
                let v = self.null_test_operand(other, file, depth)?;
                // a known non-null value stays non-null; a null is null: the defaults that
                // replace one (`nullable = false`, `optional(type, default)`) are applied
                // where the variable is read ([`Eval::module_var`], [`Eval::typed`])
                let is_null = match &v.kind {
                    Kind::Null => Some(true),
                    Kind::String(t) if t.contains("UNKNOWN-") => None,
                    _ => Some(false),
                };
                let eq = matches!(b.operator.value(), hcl_edit::expr::BinaryOperator::Eq);
                match is_null {
                    Some(n) => Value {
                        kind: Kind::Bool(n == eq),
                        span,
                    },
                    None => self.not_evaluated(&text(), file, span),
                }
            }
            Expression::BinaryOp(b)
                if matches!(
                    b.operator.value(),
                    hcl_edit::expr::BinaryOperator::Eq
                        | hcl_edit::expr::BinaryOperator::NotEq
                        | hcl_edit::expr::BinaryOperator::Less
                        | hcl_edit::expr::BinaryOperator::Greater
                        | hcl_edit::expr::BinaryOperator::LessEq
                        | hcl_edit::expr::BinaryOperator::GreaterEq
                ) =>
            {
                self.comparison(b, file, span, depth)?
            }
            Expression::BinaryOp(b)
                if matches!(
                    b.operator.value(),
                    hcl_edit::expr::BinaryOperator::Plus
                        | hcl_edit::expr::BinaryOperator::Minus
                        | hcl_edit::expr::BinaryOperator::Mul
                        | hcl_edit::expr::BinaryOperator::Div
                        | hcl_edit::expr::BinaryOperator::Mod
                ) =>
            {
                let l = self.eval(&b.lhs_expr, file, depth + 1)?;
                let r = self.eval(&b.rhs_expr, file, depth + 1)?;
                match self.arithmetic(*b.operator.value(), &l, &r) {
                    Some(n) => Value {
                        kind: Kind::Number(n),
                        span,
                    },
                    None => self.not_evaluated(&text(), file, span),
                }
            }
            Expression::UnaryOp(u)
                if matches!(u.operator.value(), hcl_edit::expr::UnaryOperator::Neg) =>
            {
                let v = self.eval(&u.expr, file, depth + 1)?;
                let zero = Value {
                    kind: Kind::Number("0".into()),
                    span,
                };
                match self.arithmetic(hcl_edit::expr::BinaryOperator::Minus, &zero, &v) {
                    Some(n) => Value {
                        kind: Kind::Number(n),
                        span,
                    },
                    None => self.not_evaluated(&text(), file, span),
                }
            }
            Expression::UnaryOp(u)
                if matches!(u.operator.value(), hcl_edit::expr::UnaryOperator::Not) =>
            {
                let v = self.branch_operand(&u.expr, file, depth)?;
                match self.assumed_bool(&u.expr, &v, file) {
                    Some(b) => Value {
                        kind: Kind::Bool(!b),
                        span,
                    },
                    None => self.not_evaluated(&text(), file, span),
                }
            }
            Expression::ForExpr(f) => self.for_expr(f, file, span, depth)?,
            Expression::UnaryOp(_) | Expression::BinaryOp(_) => {
                let t = text();
                let short: String = t.chars().take(60).collect();
                self.unknown(
                    &format!("expr-{}-{}", file, span.start),
                    format!("the expression `{short}` (conditionals, operators and `for` are not evaluated)"),
                    span,
                )
            }
        })
    }

    /// A string template or heredoc: the rendered string, with the map from rendered offsets
    /// to file offsets kept for JSON read from it.
    fn template(
        &self,
        t: &'m Template,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        // a template that is one interpolation is its value, of its type
        // (https://developer.hashicorp.com/terraform/language/expressions/strings#interpolation)
        let elements: Vec<&Element> = t.iter().collect();
        if let [Element::Interpolation(i)] = elements.as_slice() {
            let mut v = self.eval(&i.expr, file, depth + 1)?;
            v.span = span;
            return Ok(v);
        }
        let mut out = String::new();
        let mut segs: Segments = Vec::new();
        match self.render(t, file, depth, &mut out, &mut segs, false, false)? {
            super::templates::Rendered::Done => {}
            super::templates::Rendered::Unknown => {
                let t = self.files[file].source.slice(span).trim().to_string();
                return Ok(self.not_evaluated(&t, file, span));
            }
            super::templates::Rendered::Failed => {
                self.fail();
                let t = self.files[file].source.slice(span).trim().to_string();
                return Ok(self.not_evaluated(&t, file, span));
            }
        }
        self.segments.borrow_mut().insert((file, span), segs);
        Ok(string(out, span))
    }

    pub(super) fn interpolated(&self, v: &Value) -> String {
        match &v.kind {
            Kind::String(s) => s.clone(),
            Kind::Number(n) => n.clone(),
            Kind::Bool(b) => b.to_string(),
            Kind::Null => String::new(),
            _ => crate::parse::json::to_compact_json(v),
        }
    }

    /// An error for a value longer than [`MAX_STRING`].
    #[cold]
    pub(super) fn too_long(&self, file: usize, span: Span) -> ParseError {
        self.error(
            file,
            span,
            format!(
                "the value built here is longer than {} MiB",
                MAX_STRING / 1024 / 1024
            ),
        )
    }

    fn call(
        &self,
        f: &'m hcl_edit::expr::FuncCall,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let v = self.call_inner(f, file, span, depth)?;
        // Reading a condition as the defaults make it ([`Eval::note_default_decided`]): a
        // call whose result is not known (a function not evaluated, such as `startswith`)
        // still reads its arguments, for the variables and bindings they read (`for x in
        // var.l : x if startswith(x, ...)`: red team 72); at most 256 such calls per reading
        // (nested calls not evaluated read their arguments again)
        if self.reading_defaults.get()
            && self.arg_rereads.get() < 256
            && v.as_str().is_some_and(|s| s.starts_with("UNKNOWN-"))
        {
            self.arg_rereads.set(self.arg_rereads.get() + 1);
            for a in f.args.iter() {
                let _ = self.eval(a, file, depth + 1);
            }
        }
        if let Kind::String(s) = &v.kind {
            self.charge(s.len() / 64);
            if s.len() > MAX_STRING {
                return Err(self.too_long(file, span));
            }
        }
        Ok(v)
    }

    fn call_inner(
        &self,
        f: &'m hcl_edit::expr::FuncCall,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let name = f.name.name.as_str();
        let args: Vec<&'m Expression> = f.args.iter().collect();
        let arg = |i: usize| -> Result<Value, ParseError> {
            match args.get(i) {
                Some(a) => self.eval(a, file, depth + 1),
                None => Err(self.error(file, span, format!("`{name}` needs an argument"))),
            }
        };
        Ok(match (f.name.is_namespaced(), name) {
            (false, "jsonencode" | "tostring" | "tolist" | "tomap") => arg(0)?,
            // a set holds each value once, strings in lexical order
            // (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints#set>)
            (false, "toset") => super::functions::as_set(arg(0)?),
            (false, "jsondecode") => {
                let v = arg(0)?;
                match &v.kind {
                    // (a repeated key: the last value, as Terraform decodes; red team 29)
                    Kind::String(s) => match crate::parse::json::parse_last_wins(s) {
                        Ok(mut t) => {
                            document::respan(&mut t, span);
                            t
                        }
                        // text holding a placeholder is not known; inside `try`/`can`, text
                        // that is not JSON is the error they fall back past
                        Err(_) if s.contains("UNKNOWN-") || self.trying.get() > 0 => {
                            if !s.contains("UNKNOWN-") {
                                self.fail();
                            }
                            self.unknown(
                                &format!("jsondecode-{}-{}", file, span.start),
                                "the result of a `jsondecode` of text not known statically".into(),
                                span,
                            )
                        }
                        Err(e) => {
                            return Err(self.error(
                                file,
                                span,
                                format!("`jsondecode` of text that is not JSON: {}", e.kind),
                            ));
                        }
                    },
                    _ => v,
                }
            }
            (false, "templatefile") => self.templatefile(&args, file, span, depth)?,
            (false, "file") => {
                let mark = self.taint_mark();
                let p = arg(0)?;
                match &p.kind {
                    // (a path chosen by a root variable's default: see `templatefile`)
                    _ if self.taint_since(mark).defaults => self.unknown(
                        &format!("file-{}-{}", file, span.start),
                        "the content of a `file()` whose path is chosen by a root variable's default, which `-var` or a caller may change (pass the variable with `--template-param`)".into(),
                        span,
                    ),
                    Kind::String(s) if !s.starts_with("UNKNOWN-") => self.file(s, file, span)?,
                    _ => self.unknown(
                        &format!("file-{}-{}", file, span.start),
                        "the content of a `file()` whose path is not known".into(),
                        span,
                    ),
                }
            }
            // https://developer.hashicorp.com/terraform/language/functions/length
            (false, "length") => {
                let v = arg(0)?;
                let n = match &v.kind {
                    Kind::Array(a) => Some(a.len()),
                    Kind::Object(m) => Some(m.len()),
                    Kind::String(s) if !s.contains("UNKNOWN-") => Some(s.chars().count()),
                    _ => None,
                };
                match n {
                    Some(n) => Value {
                        kind: Kind::Number(n.to_string()),
                        span,
                    },
                    None => self.unknown(
                        &format!("length-{}-{}", file, span.start),
                        "a `length()` of a value that is not known".into(),
                        span,
                    ),
                }
            }
            (false, "distinct") => {
                let v = arg(0)?;
                match v.kind {
                    Kind::Array(a) => {
                        let mut out: Vec<Value> = Vec::new();
                        for x in a {
                            if !out.iter().any(|y| same(y, &x)) {
                                out.push(x);
                            }
                        }
                        Value {
                            kind: Kind::Array(out),
                            span,
                        }
                    }
                    _ => self.unknown(
                        &format!("distinct-{}-{}", file, span.start),
                        "a `distinct()` of a value that is not a known list".into(),
                        span,
                    ),
                }
            }
            (false, "concat") => {
                let mut out = Vec::new();
                for i in 0..args.len() {
                    match arg(i)?.kind {
                        Kind::Array(a) => out.extend(a),
                        _ => {
                            return Ok(self.unknown(
                                &format!("concat-{}-{}", file, span.start),
                                "a `concat()` of values that are not known lists".into(),
                                span,
                            ));
                        }
                    }
                }
                Value {
                    kind: Kind::Array(out),
                    span,
                }
            }
            (false, "join") => {
                let sep = arg(0)?;
                let list = arg(1)?;
                match (&sep.kind, &list.kind) {
                    // a null element is an error in Terraform (`try` falls back past it)
                    (Kind::String(_), Kind::Array(a)) if a.iter().any(|x| x.kind == Kind::Null) => {
                        self.fail();
                        self.unknown(
                            &format!("join-{}-{}", file, span.start),
                            "a `join()` of a list holding null".into(),
                            span,
                        )
                    }
                    (Kind::String(sep), Kind::Array(a)) => string(
                        a.iter()
                            .map(|x| self.interpolated(x))
                            .collect::<Vec<_>>()
                            .join(sep),
                        span,
                    ),
                    _ => self.unknown(
                        &format!("join-{}-{}", file, span.start),
                        "a `join()` of values that are not known".into(),
                        span,
                    ),
                }
            }
            (false, _) if let Some(v) = self.more_call(name, &args, file, span, depth)? => v,
            _ => {
                let short: String = self.files[file]
                    .source
                    .slice(span)
                    .chars()
                    .take(60)
                    .collect();
                self.unknown(
                    &format!("{name}-{}-{}", file, span.start),
                    format!("the result of `{short}` (the function `{name}` is not evaluated)"),
                    span,
                )
            }
        })
    }

    /// `file("x.json")`: relative to the root module's folder (Terraform's working directory;
    /// a child module writes `${path.module}/x.json`), inside the repository.
    fn file(&self, rel: &str, file: usize, span: Span) -> Result<Value, ParseError> {
        if Path::new(rel).is_absolute() {
            return Err(self.error(
                file,
                span,
                format!("`file(\"{rel}\")` names an absolute path; greenlight reads files inside the repository only"),
            ));
        }
        let rel = super::modules::normalize(rel);
        let (name, text) = self
            .reader
            .read(&rel)
            .map_err(|why| self.error(file, span, why))?;
        self.read_files
            .borrow_mut()
            .insert(text.clone(), Source::new(name, text.as_str()));
        Ok(string(text, span))
    }

    fn traversal(
        &self,
        t: &'m hcl_edit::expr::Traversal,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        // the dotted names up to the first index or splat
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, file, depth + 1)?;
            return self.apply(base, &t.operators, file, span, depth);
        };
        let root_name = root.as_str();
        if let Some(v) = self.for_var(root_name) {
            return self.apply(v, &t.operators, file, span, depth);
        }
        if self.in_template.get() > 0 {
            return Err(self.outside_template_vars(root_name, file, span));
        }
        if root_name == "module" {
            return self.module_output(t, file, span, depth);
        }
        // an index right after a resource's name (`aws_iam_role.r[0].name`) selects an
        // instance (see [`super::instances`])
        let mut index: Option<Index<'m>> = None;
        let skip_index_after = match root_name {
            "data" => Some(2),
            r if r.starts_with("aws_") => Some(1),
            _ => None,
        };
        let mut names: Vec<&str> = vec![root_name];
        // names[k] (k >= 1) comes from operator name_op[k - 1]
        let mut name_op: Vec<usize> = Vec::new();
        for (i, op) in t.operators.iter().enumerate() {
            match op.value() {
                TraversalOperator::GetAttr(id) => {
                    names.push(id.as_str());
                    name_op.push(i);
                }
                TraversalOperator::Index(e)
                    if skip_index_after == Some(names.len() - 1) && index.is_none() =>
                {
                    index = Some(Index::Expr(e));
                }
                TraversalOperator::LegacyIndex(i)
                    if skip_index_after == Some(names.len() - 1) && index.is_none() =>
                {
                    index = Some(Index::Legacy(*i.value()));
                }
                _ => break,
            }
        }
        let full = self.files[file].source.slice(span).trim().to_string();
        // the iterator of a `dynamic` block being expanded (the innermost of that name)
        if let [first, second @ ("key" | "value"), ..] = names.as_slice() {
            let found = {
                let its = self.iterators.borrow();
                let taints = self.iterator_taint.borrow();
                its.iter()
                    .enumerate()
                    .rev()
                    .find(|(_, (n, _, _))| n == first)
                    .map(|(i, (_, k, v))| {
                        if let Some(t) = taints.get(i) {
                            self.read_taint(*t);
                        }
                        if *second == "key" {
                            k.clone()
                        } else {
                            v.clone()
                        }
                    })
            };
            if let Some(v) = found {
                let rest = name_op.first().map_or(0, |i| i + 1);
                return self.apply(v, &t.operators[rest..], file, span, depth);
            }
        }
        if let [first @ ("count" | "each"), second, ..] = names.as_slice()
            && let Some(v) = match self.bound_value(first, second, file, span) {
                Some(v) => Some(v),
                None => self.instance_value(first, second, file, span, depth)?,
            }
        {
            let rest = name_op.first().map_or(0, |i| i + 1);
            return self.apply(v, &t.operators[rest..], file, span, depth);
        }
        // `each.value.ATTR` of a `for_each` over another block's instances: that instance's
        if let ["each", "value", attr, ..] = names.as_slice()
            && let Some((chain, key)) = self.bound_chain(file, span)
        {
            let index = Some(Index::Key(&key));
            let v = match chain
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["data", "aws_iam_policy_document", name]
                    if matches!(*attr, "json" | "minified_json") =>
                {
                    self.policy_document(name, index, file, span, depth)?
                }
                [ty, name] => self.attribute(ty, name, index, attr, file, span, depth)?,
                _ => {
                    let of = format!("{}{}", chain.join("."), key.address());
                    self.unknown(&format!("{of}.{attr}"), format!("`{attr}` of `{of}`"), span)
                }
            };
            let rest = name_op.get(1).map_or(0, |i| i + 1);
            return self.apply(v, &t.operators[rest..], file, span, depth);
        }
        // `aws_x.r[*].ATTR`, `data.x.y.*.ATTR`: the attribute of every instance, a list
        // (<https://developer.hashicorp.com/terraform/language/expressions/splat>)
        if index.is_none()
            && skip_index_after == Some(names.len() - 1)
            && let Some(v) = self.instances_splat(t, &names, &name_op, file, span, depth)?
        {
            return Ok(v);
        }
        let (value, used) = match names.as_slice() {
            ["var", name, ..] => (self.var(name, file, span, depth)?, 2),
            ["local", name, ..] => match self.locals.get(&(self.files[file].module, *name)) {
                Some(&(f, e)) => (self.carried(self.eval(e, f, depth + 1)?, f, file, span), 2),
                None => {
                    return Err(self.error(
                        file,
                        span,
                        format!("`local.{name}` is not defined in the module"),
                    ));
                }
            },
            ["path", "module", ..] => (string(self.module_dir(file), span), 2),
            ["path", "root" | "cwd", ..] => (string(".", span), 2),
            [
                "data",
                "aws_iam_policy_document",
                name,
                "json" | "minified_json",
                ..,
            ] => (self.policy_document(name, index, file, span, depth)?, 4),
            // a data source of an aliased provider (`provider = aws.other`) may read another
            // account, Region or partition than the default provider: not known (red team 24)
            [
                "data",
                ty @ ("aws_caller_identity" | "aws_partition" | "aws_region"),
                name,
                attr,
                ..,
            ] if self
                .blocks
                .get(&format!("{}data.{ty}.{name}", self.prefix(file)))
                .is_some_and(|(_, b)| b.body.has_attribute("provider")) =>
            {
                (
                    self.unknown(
                        &format!("data.{ty}.{name}.{attr}"),
                        format!("`{attr}` of `data.{ty}.{name}`, read through an aliased provider"),
                        span,
                    ),
                    4,
                )
            }
            ["data", "aws_caller_identity", _, "account_id", ..] => {
                self.note_standin(&self.account);
                (string(self.account.clone(), span), 4)
            }
            // the Region's partition (`aws` when no Region is given, as `AWS::Partition`)
            ["data", "aws_partition", _, "partition", ..] => {
                (string(self.partition(depth)?, span), 4)
            }
            // a `region` argument (AWS provider v6,
            // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region):
            // that Region; null is the provider's (`id` is the Region's name too, as `name`,
            // deprecated in v6, was; red team 60)
            ["data", "aws_region", name, "name" | "region" | "id", ..]
                if self
                    .blocks
                    .get(&format!("{}data.aws_region.{name}", self.prefix(file)))
                    .is_some_and(|(_, b)| {
                        b.body.attributes().count() == 1
                            && b.body.blocks().next().is_none()
                            && b.body.has_attribute("region")
                    }) =>
            {
                let (bf, b) = self.blocks[&format!("{}data.aws_region.{name}", self.prefix(file))];
                let e = &b.body.get_attribute("region").map(|a| &a.value);
                let v = match e {
                    Some(e) => {
                        let at = self.file_of(e, bf);
                        self.eval(e, at, depth + 1)?
                    }
                    None => string("", span),
                };
                match v.kind {
                    Kind::Null => match self.provider_region(depth)? {
                        Some(r) => {
                            self.note_standin(&r);
                            (string(r, span), 4)
                        }
                        None => (
                            self.unknown(
                                &format!("data.aws_region.{name}.region"),
                                format!("the Region of `data.aws_region.{name}`"),
                                span,
                            ),
                            4,
                        ),
                    },
                    Kind::String(s) => (string(s, span), 4),
                    _ => (
                        self.unknown(
                            &format!("data.aws_region.{name}.region"),
                            format!("the Region of `data.aws_region.{name}`"),
                            span,
                        ),
                        4,
                    ),
                }
            }
            // the provider's Region (what `AWS::Region` is in a template: `--region`, else a
            // placeholder shaped like a Region), when the block selects no other Region and
            // the default `aws` provider sets none of its own (then that one, if known)
            ["data", "aws_region", name, "name" | "region" | "id", ..]
                if self
                    .blocks
                    .get(&format!("{}data.aws_region.{name}", self.prefix(file)))
                    .is_some_and(|(_, b)| b.body.is_empty())
                    && self.provider_region(depth)?.is_some() =>
            {
                let r = self.provider_region(depth)?.unwrap_or_default();
                self.note_standin(&r);
                (string(r, span), 4)
            }
            // an IAM role, user or group looked up by name: its name (and `id`, the name too)
            // is the name it is looked up by (AWS provider data sources `aws_iam_role` `name`,
            // `aws_iam_user` `user_name`, `aws_iam_group` `group_name`; red team 44: an
            // attachment to `data.aws_iam_role.ops.name` was a name not known, which may name
            // every role)
            [
                "data",
                ty @ ("aws_iam_role" | "aws_iam_user" | "aws_iam_group"),
                name,
                attr,
                ..,
            ] if {
                let arg = iam_lookup_argument(ty);
                (*attr == arg || *attr == "id")
                    && self
                        .blocks
                        .get(&format!("{}data.{ty}.{name}", self.prefix(file)))
                        .is_some_and(|(_, b)| {
                            b.body.has_attribute(arg)
                                && !b.body.has_attribute("count")
                                && !b.body.has_attribute("for_each")
                        })
            } =>
            {
                let arg = iam_lookup_argument(ty);
                let (bf, b) = self.blocks[&format!("{}data.{ty}.{name}", self.prefix(file))];
                let v = match b.body.get_attribute(arg).map(|a| &a.value) {
                    Some(e) => {
                        let at = self.file_of(e, bf);
                        self.eval(e, at, depth + 1)?
                    }
                    None => string("", span),
                };
                match v.kind {
                    Kind::String(_) => (v, 4),
                    _ => (
                        self.unknown(
                            &format!("data.{ty}.{name}.{attr}"),
                            format!("`{attr}` of the data source `data.{ty}.{name}`"),
                            span,
                        ),
                        4,
                    ),
                }
            }
            ["data", ty, name, attr, ..] => {
                let address = format!("{}data.{ty}.{name}", self.prefix(file));
                let key = match self.blocks.contains_key(&address) {
                    true => self.instance_of(&address, index, file, span, depth)?,
                    false => Some(Key::None),
                };
                let v = match key {
                    Some(k) => self.unknown(
                        &format!("data.{ty}.{name}{}.{attr}", k.address()),
                        format!(
                            "`{attr}` of the data source `data.{ty}.{name}{}`",
                            k.address()
                        ),
                        span,
                    ),
                    None => self.unknown_instance(&full, &address, span),
                };
                (v, 4)
            }
            [ty, name, attr, ..] if ty.starts_with("aws_") => {
                (self.attribute(ty, name, index, attr, file, span, depth)?, 3)
            }
            _ => {
                return Ok(self.unknown(
                    &full,
                    format!("`{full}` (not evaluated statically)"),
                    span,
                ));
            }
        };
        let rest = name_op.get(used - 2).map_or(0, |i| i + 1);
        self.apply(value, &t.operators[rest..], file, span, depth)
    }

    /// Attribute access and indexes on a known value.
    pub(super) fn apply(
        &self,
        mut v: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        for (at, op) in ops.iter().enumerate() {
            if matches!(&v.kind, Kind::String(s) if s.starts_with("UNKNOWN-")) {
                return Ok(v);
            }
            // a splat: the operators after it applied to each element (`[*]` all of them,
            // `.*` the attribute accesses), a null being no element and any other value one
            // (<https://developer.hashicorp.com/terraform/language/expressions/splat>)
            if let TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) = op.value() {
                let rest = &ops[at + 1..];
                let n = match op.value() {
                    TraversalOperator::FullSplat(_) => rest.len(),
                    _ => rest
                        .iter()
                        .take_while(|o| {
                            matches!(
                                o.value(),
                                TraversalOperator::GetAttr(_) | TraversalOperator::LegacyIndex(_)
                            )
                        })
                        .count(),
                };
                let items = match v.kind {
                    Kind::Array(a) => a,
                    Kind::Null => Vec::new(),
                    _ => vec![v],
                };
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    out.push(self.apply(x, &rest[..n], file, span, depth)?);
                }
                let whole = Value {
                    kind: Kind::Array(out),
                    span,
                };
                return self.apply(whole, &rest[n..], file, span, depth);
            }
            let next = match (op.value(), &v.kind) {
                // a missing attribute of a known object is Terraform's "Unsupported attribute"
                // error (`try` falls back past it; red team 28: terraform-aws-lambda's
                // `try(statement.value.not_principals, [])`)
                (TraversalOperator::GetAttr(id), Kind::Object(_)) => {
                    let got = v.get(id.as_str()).cloned();
                    if got.is_none() {
                        self.fail();
                    }
                    got
                }
                (TraversalOperator::LegacyIndex(i), Kind::Array(a)) => {
                    let got = a.get(*i.value() as usize).cloned();
                    if got.is_none() {
                        self.fail();
                    }
                    got
                }
                (TraversalOperator::Index(e), _) => {
                    let before = self.standins.get();
                    let key = self.eval(e, file, depth + 1)?;
                    // an element chosen by a stand-in (the partition, Region or account not
                    // given) is not known (red team 24)
                    if self.standins.get() != before {
                        let full = self.files[file].source.slice(span).trim().to_string();
                        return Ok(self.unknown(
                            &full,
                            format!("`{full}` (chosen by the account, Region or partition, which are not given)"),
                            span,
                        ));
                    }
                    let got = match (&key.kind, &v.kind) {
                        (Kind::Number(n), Kind::Array(a)) => {
                            n.parse::<usize>().ok().and_then(|i| a.get(i).cloned())
                        }
                        (Kind::String(k), Kind::Object(_)) => v.get(k).cloned(),
                        _ => None,
                    };
                    // an index out of a known list, a key missing from a known object or map:
                    // Terraform fails (`try` falls back past it); an `optional` attribute of
                    // a variable's type is there, null or its default ([`Eval::typed`])
                    if got.is_none()
                        && matches!(
                            (&key.kind, &v.kind),
                            (Kind::Number(_), Kind::Array(_)) | (Kind::String(_), Kind::Object(_))
                        )
                    {
                        self.fail();
                    }
                    got
                }
                _ => None,
            };
            v = match next {
                Some(n) => n,
                None => {
                    let full = self.files[file].source.slice(span).trim().to_string();
                    return Ok(self.unknown(
                        &full,
                        format!("`{full}` (not evaluated statically)"),
                        span,
                    ));
                }
            };
        }
        Ok(v)
    }

    /// A value defined in another file (a local, a variable default) keeps no position there:
    /// it points at the reference.
    pub(super) fn carried(&self, mut v: Value, from: usize, to: usize, span: Span) -> Value {
        if from != to {
            document::respan(&mut v, span);
        }
        v
    }

    fn var(&self, name: &str, file: usize, span: Span, depth: usize) -> Result<Value, ParseError> {
        let m = self.files[file].module;
        if m != 0 {
            return self.module_var(m, name, file, span, depth);
        }
        if let Some(v) = self.params.get(name) {
            if self.complex_vars.contains(name) {
                // Terraform reads a `-var` value of a collection or structural variable as
                // an HCL expression of literal values
                // (<https://developer.hashicorp.com/terraform/language/values/variables#variables-on-the-command-line>)
                let src = crate::source::Source::new(
                    format!("--template-param {name}"),
                    format!("{name} = {v}\n"),
                );
                let mut parsed = super::tfvars::load(vec![src])?;
                if let Some(mut value) = parsed.remove(name) {
                    document::respan(&mut value, span);
                    return self.typed_var(0, name, value, depth);
                }
            }
            return self.typed_var(0, name, string(v.clone(), span), depth);
        }
        // a value from a variable definitions file, for a declared variable (`null` for a
        // variable declared `nullable = false` is its default)
        if self.vars.contains_key(&(0, name))
            && let Some(v) = self.tfvars.get(name)
            && !(v.kind == Kind::Null && self.non_nullable.contains(&(0, name)))
        {
            let mut v = v.clone();
            document::respan(&mut v, span);
            return self.typed_var(0, name, v, depth);
        }
        match self.vars.get(&(0, name)) {
            // A branch is never chosen on a root variable's default: `-var` or a variables
            // file given at plan time may set another value, and a module read on its own
            // may be a child whose caller sets it (red-team pass 18). The default is still the
            // value elsewhere, as Terraform uses it when nothing is given.
            Some(&(_, Some(_))) if self.branching.get() > 0 && !self.reading_defaults.get() => Ok(self.unknown(
                &format!("var.{name}-default"),
                format!("the variable `{name}` in a condition: its default decides no branch (`-var`, a variables file or a caller may set another value; pass `--template-param {name}=VALUE`)"),
                span,
            )),
            Some(&(f, Some(e))) => {
                self.note_default(name);
                let v = self.carried(self.eval(e, f, depth + 1)?, f, file, span);
                // in a combination that assumes the variable is not null (`var.x != null`
                // true), a null default is not its value: the value given is not known
                // (red team 60: `policy = var.policy != null ? var.policy : ...` read "the
                // policy is null" where the caller gives one)
                if v.kind == Kind::Null && self.assumed_not_null(name) {
                    return Ok(self.unknown(
                        &format!("var.{name}-given"),
                        format!("the value given for `var.{name}` where it is not null (its default is null; pass `--template-param {name}=VALUE`)"),
                        span,
                    ));
                }
                // in a combination that assumes a condition on the variable the other way
                // than its default gives it, the default is not its value (red team 71b:
                // `length(var.x) > 0 ? var.x : [...]` read `[]` where a caller gives a list)
                // (any value: a string or a collection, whose value a test such as
                // `length(...) > 0` does not tell; a null default, which
                // `coalesce(var.x, "none") != "none"` or `local.has_x` (`var.x != null`)
                // assumed true says was given; a number, interpolated into an ARN or a
                // `count`, which `var.n > 0` does not tell; a boolean, which a condition reads
                // as a `var.x-default` placeholder the combination assumes, but which read as
                // a value elsewhere, a policy's `Bool` condition or a string, is the value
                // given: red team 72)
                // (not while reading a condition as the defaults make it: there every variable
                // is its default)
                // A variable declared `bool` is read through the conditions on it (a template's
                // or a `for`'s binding of it is assumed as such): given, it is the value the
                // combination assumes for `var.NAME` itself (a6: `count = var.x ? 0 : 1`
                // assumed 1 beside `"aws:PrincipalIsAWSService" = var.x`), else its default.
                let declared_bool = matches!(v.kind, Kind::Bool(_))
                    && self.var_types.get(&(0, name)).is_some_and(|&(f, t)| {
                        self.files[f].source.slice(span_of(t)).trim() == "bool"
                    });
                if declared_bool && !self.reading_defaults.get() {
                    let own = format!("`var.{name}`");
                    if let Some((_, b)) = self.contradicted(name).filter(|(c, _)| *c == own) {
                        return Ok(Value {
                            kind: Kind::Bool(b),
                            span,
                        });
                    }
                }
                let given_may_differ = !self.reading_defaults.get() && !declared_bool;
                if given_may_differ && let Some((cond, b)) = self.contradicted(name) {
                    return Ok(self.unknown(
                        &format!("var.{name}-given"),
                        format!("the value given for `var.{name}` where {cond} is {b} (its default does not make it so; pass `--template-param {name}=VALUE`)"),
                        span,
                    ));
                }
                if !self.reading_defaults.get() {
                    self.read_as_default
                        .set(self.read_as_default.get() | self.default_bit(name));
                }
                self.typed_var(0, name, v, depth)
            }
            Some((_, None)) => Ok(self.unknown(
                &format!("var.{name}"),
                format!("the variable `{name}` (no default, no value in `terraform.tfvars` or `*.auto.tfvars`; pass `--template-param {name}=VALUE`)"),
                span,
            )),
            None => Err(self.error(
                file,
                span,
                format!("`var.{name}` is not declared in the module"),
            )),
        }
    }

    /// `data.aws_iam_policy_document.NAME.json`: the rendered policy tree.
    pub(super) fn policy_document(
        &self,
        name: &str,
        index: Option<Index<'m>>,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let key = format!("{}data.aws_iam_policy_document.{name}", self.prefix(file));
        let Some(&(f, b)) = self.blocks.get(&key) else {
            return Err(self.error(file, span, format!("`{key}` is not defined in the module")));
        };
        let Some(instance) = self.instance_of(&key, index, file, span, depth)? else {
            let full = self.files[file].source.slice(span).trim().to_string();
            return Ok(self.unknown_instance(&full, &key, span));
        };
        let args = self.within(&key, &instance, depth, || {
            self.body(&b.body, f, span_of(b), depth + 1)
        })?;
        let doc = document::render(&args).map_err(|m| self.error(f, span_of(b), m))?;
        if self.is_merged(b) {
            // parts written in override files: the document points at the reference
            let mut doc = doc;
            document::respan(&mut doc, span);
            return Ok(doc);
        }
        Ok(self.carried(doc, f, file, span))
    }

    /// The literal value of a resource's argument, if it has one.
    fn argument(
        &self,
        address: &str,
        key: &Key,
        arg: &str,
        depth: usize,
    ) -> Result<Option<Value>, ParseError> {
        let Some(&(f, b)) = self.blocks.get(address) else {
            return Ok(None);
        };
        match b.body.get_attribute(arg) {
            Some(a) => {
                Ok(Some(self.within(address, key, depth, || {
                    self.eval(&a.value, f, depth + 1)
                })?))
            }
            None => Ok(None),
        }
    }

    /// The name of an IAM role, user, group or policy (the instance `key` of the block
    /// `address`): its `name`, or a placeholder.
    pub fn iam_name(&self, address: &str, key: &Key, depth: usize) -> Result<String, ParseError> {
        if let Some(Value {
            kind: Kind::String(n),
            ..
        }) = self.argument(address, key, "name", depth)?
        {
            return Ok(n);
        }
        let address = format!("{address}{}", key.address());
        let p = placeholder(&format!("{address}-name"));
        self.notes.borrow_mut().entry(p.clone()).or_insert(format!(
            "the name Terraform generates for `{address}` (no literal `name`)"
        ));
        Ok(p)
    }

    /// The ARN of an IAM role, user, group or policy, built from its name and `path`.
    pub fn iam_arn(
        &self,
        ty: &str,
        address: &str,
        key: &Key,
        depth: usize,
    ) -> Result<String, ParseError> {
        let kind = match ty {
            "aws_iam_role" => "role",
            "aws_iam_user" => "user",
            "aws_iam_group" => "group",
            _ => "policy",
        };
        let path = match self.argument(address, key, "path", depth)? {
            Some(Value {
                kind: Kind::String(p),
                ..
            }) => p,
            _ => "/".into(),
        };
        let name = self.iam_name(address, key, depth)?;
        self.note_standin(&self.account);
        let p = self.partition(depth)?;
        Ok(format!("arn:{p}:iam::{}:{kind}{path}{name}", self.account))
    }

    /// The partition of the default provider's Region (`aws` when no Region is given, as
    /// `AWS::Partition`: then a stand-in, [`Eval::note_standin`]).
    pub(super) fn partition(&self, depth: usize) -> Result<String, ParseError> {
        let region = self
            .provider_region(depth)?
            .unwrap_or_else(|| self.region.clone());
        self.note_standin(&region);
        Ok(crate::iac::cfn::resolve::partition_of(Some(&region)).to_string())
    }

    /// `name`, `arn` and `id` of the resource types policies name most, built as the provider
    /// returns them from the name argument (a placeholder name when there is none).
    fn other_attribute(
        &self,
        ty: &str,
        address: &str,
        key: &Key,
        attr: &str,
        depth: usize,
    ) -> Result<Option<String>, ParseError> {
        // (type, name argument, ARN format, what `id` is)
        const TYPES: &[(&str, &str, &str, &str)] = &[
            ("aws_s3_bucket", "bucket", "arn:aws:s3:::{n}", "name"),
            ("aws_sqs_queue", "name", "arn:aws:sqs:{r}:{a}:{n}", "url"),
            ("aws_sns_topic", "name", "arn:aws:sns:{r}:{a}:{n}", "arn"),
            (
                "aws_lambda_function",
                "function_name",
                "arn:aws:lambda:{r}:{a}:function:{n}",
                "name",
            ),
            (
                "aws_dynamodb_table",
                "name",
                "arn:aws:dynamodb:{r}:{a}:table/{n}",
                "name",
            ),
            (
                "aws_ecr_repository",
                "name",
                "arn:aws:ecr:{r}:{a}:repository/{n}",
                "name",
            ),
            (
                "aws_cloudwatch_log_group",
                "name",
                "arn:aws:logs:{r}:{a}:log-group:{n}",
                "name",
            ),
            (
                "aws_kinesis_stream",
                "name",
                "arn:aws:kinesis:{r}:{a}:stream/{n}",
                "arn",
            ),
            ("aws_kms_key", "", "arn:aws:kms:{r}:{a}:key/{n}", "name"),
            (
                "aws_secretsmanager_secret",
                "name",
                "arn:aws:secretsmanager:{r}:{a}:secret:{n}",
                "arn",
            ),
            // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_saml_provider
            // (`id` is the ARN)
            (
                "aws_iam_saml_provider",
                "name",
                "arn:aws:iam::{a}:saml-provider/{n}",
                "arn",
            ),
            // the provider's URL without its scheme names it in its ARN
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html)
            (
                "aws_iam_openid_connect_provider",
                "url",
                "arn:aws:iam::{a}:oidc-provider/{n}",
                "arn",
            ),
        ];
        let Some(&(_, name_arg, fmt, id)) = TYPES.iter().find(|t| t.0 == ty) else {
            return Ok(None);
        };
        let literal = if name_arg.is_empty() {
            None
        } else {
            match self.argument(address, key, name_arg, depth)? {
                Some(Value {
                    kind: Kind::String(n),
                    ..
                }) => Some(n),
                _ => None,
            }
        };
        let address = &format!("{address}{}", key.address());
        let name = match literal {
            Some(n) => n,
            None => {
                let p = placeholder(&format!("{address}-name"));
                self.notes.borrow_mut().entry(p.clone()).or_insert(format!(
                    "the name or ID AWS or Terraform generates for `{address}`"
                ));
                p
            }
        };
        let name = match ty {
            "aws_iam_openid_connect_provider" if attr != name_arg => {
                name.strip_prefix("https://").unwrap_or(&name).to_string()
            }
            _ => name,
        };
        let name = if ty == "aws_secretsmanager_secret" && attr != name_arg {
            let p = placeholder(&format!("{address}-suffix"));
            self.notes
                .borrow_mut()
                .entry(p.clone())
                .or_insert(format!("the random suffix of the ARN of `{address}`"));
            format!("{name}-{p}")
        } else {
            name
        };
        let partition = self.partition(depth)?;
        let arn = || {
            fmt.replacen("arn:aws:", &format!("arn:{partition}:"), 1)
                .replace("{r}", &self.region)
                .replace("{a}", &self.account)
                .replace("{n}", &name)
        };
        Ok(match attr {
            "arn" => Some(arn()),
            "id" if id == "arn" => Some(arn()),
            // (an SQS queue's `url` is its `id`: a queue policy's `queue_url` names the queue
            // by it, red team 74)
            "id" | "url" if id == "url" => Some(format!(
                "https://sqs.{}.amazonaws.com/{}/{name}",
                self.region, self.account
            )),
            "id" => Some(name),
            a if a == name_arg || a == "name" => Some(name),
            _ => None,
        })
    }

    /// `TYPE.NAME.ATTR` of a managed resource.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn attribute(
        &self,
        ty: &str,
        name: &str,
        index: Option<Index<'m>>,
        attr: &str,
        file: usize,
        span: Span,
        depth: usize,
    ) -> Result<Value, ParseError> {
        let address = format!("{}{ty}.{name}", self.prefix(file));
        if !self.blocks.contains_key(&address) {
            return Err(self.error(
                file,
                span,
                format!("`{address}` is not defined in the module"),
            ));
        }
        let Some(key) = self.instance_of(&address, index, file, span, depth)? else {
            let full = self.files[file].source.slice(span).trim().to_string();
            return Ok(self.unknown_instance(&full, &address, span));
        };
        let k = &key;
        let iam = matches!(
            ty,
            "aws_iam_role" | "aws_iam_user" | "aws_iam_group" | "aws_iam_policy"
        );
        let text = match (iam, ty, attr) {
            (true, "aws_iam_policy", "arn" | "id") => Some(self.iam_arn(ty, &address, k, depth)?),
            (true, _, "arn") => Some(self.iam_arn(ty, &address, k, depth)?),
            (true, _, "name" | "id") => Some(self.iam_name(&address, k, depth)?),
            _ => self.other_attribute(ty, &address, k, attr, depth)?,
        };
        let address = format!("{address}{}", key.address());
        Ok(match text {
            Some(t) => string(t, span),
            None => self.unknown(
                &format!("{address}.{attr}"),
                format!("`{attr}` of `{address}` (known only after apply)"),
                span,
            ),
        })
    }

    /// A reference to an instance whose key is not known statically.
    fn unknown_instance(&self, full: &str, address: &str, span: Span) -> Value {
        self.unknown(
            full,
            format!("`{full}` (an instance of `{address}` whose key is not known statically)"),
            span,
        )
    }
}

/// The argument an IAM role, user or group data source is looked up by, which is also its
/// name (AWS provider data sources `aws_iam_role`, `aws_iam_user`, `aws_iam_group`).
fn iam_lookup_argument(ty: &str) -> &'static str {
    match ty {
        "aws_iam_role" => "name",
        "aws_iam_user" => "user_name",
        _ => "group_name",
    }
}
