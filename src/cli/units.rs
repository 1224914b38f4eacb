//! The policies of one file as units that `diff` and `verify` compare or prove: a plain policy
//! file is one unit; a template (CloudFormation, SAM, CDK, Terraform plan) has one unit per
//! principal (its identity policies — the template's own and AWS managed ones — with its
//! permissions boundary), one per trust or resource policy, and one per identity policy or
//! boundary attached to no principal of the template.
//!
//! A unit is named within its file by its `document`: `None` for a plain policy file, the
//! logical id (CloudFormation) or resource address (Terraform) for a principal, the document
//! path (`Resources/Bucket/PolicyDocument`) otherwise; a template whose conditions cannot be
//! decided adds ` [when IsProd=true]` per combination. `diff` matches units by file, document
//! and kind.

use std::path::Path;

use miette::miette;

use crate::analysis::{Kind, empty_policy, frame_set};
use crate::discover::{InputKind, Sniff, sniff};
use crate::eval::PolicySet;
use crate::iac::cfn::{Attached, DocKind, Extract, Inputs, Template};
use crate::iac::unread::without_spans;
use crate::lint::PolicyType;
use crate::model::Policy;
use crate::source::Source;

/// One comparable piece of a file.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Where in the file (see the module documentation).
    pub document: Option<String>,
    pub kind: Kind,
    /// The policies, framed for `kind` (identity: the identity policies and the boundary).
    pub set: PolicySet,
    /// Managed policies attached by ARN that are neither in the template nor AWS managed
    /// (their content is not known offline).
    pub unresolved: Vec<String>,
    /// A policy-shaped value no reader takes ([`crate::iac::unread`]): why, and its content.
    /// Its `set` is empty; `verify` and `diff` answer `unknown` for it.
    pub unread: Option<(String, String)>,
    /// The undecided conditions its template variant assumed (empty outside templates).
    pub assumed: std::collections::BTreeMap<String, bool>,
    /// The `Deny` statements of the policies a name not known offline may attach to the
    /// principal ([`crate::iac::cfn::Principal::maybe`]): a request they deny may be refused,
    /// so a `verify` failure that only they would prevent is not decided.
    pub maybe_denies: Vec<Policy>,
    /// The marks of `unresolved` that only restrict what the principal is allowed: those of
    /// the policies a name not known may attach that hold `Deny` statements alone (what they
    /// add grants nothing; their leaving may allow more).
    pub restricting: Vec<String>,
    /// What the document applies to when a property apart from it names it (a topic
    /// policy's `Topics`, an SCP's `TargetIds`; [`crate::iac::cfn::Extract::targets`]).
    pub targets: Option<Vec<String>>,
    /// An organization policy the template attaches to `targets` without giving its content
    /// ([`crate::iac::cfn::Extract::opaque_org_policies`]): its `set` is empty. It may deny
    /// anything, so `diff` names a target it no longer applies to; `verify` leaves it out (an
    /// SCP or RCP only restricts).
    pub content_unknown: bool,
}

impl Unit {
    /// `file#document`, or `file`.
    pub fn name(&self, file: &str) -> String {
        match &self.document {
            Some(d) => format!("{file}#{d}"),
            None => file.to_string(),
        }
    }

    /// The same unit with no policy (what a removed or not yet existing unit allows: nothing).
    /// For a permissions boundary or an RCP, no policy restricts nothing: what is left is what
    /// the frame's other policies allow (red team 52: a deleted boundary file was "removed",
    /// exit 0, though the principal it bounded is no longer bounded); an SCP keeps its `Allow`
    /// statements and loses its `Deny` statements.
    pub fn emptied(&self, file: &str) -> Unit {
        let set = match self.kind {
            Kind::Identity => PolicySet::default(),
            Kind::Boundary => PolicySet {
                identity: vec![crate::analysis::allow_all()],
                ..Default::default()
            },
            // an SCP's `Deny` statements are lifted; its `Allow` statements stay (at its level
            // some SCP must allow, and `FullAWSAccess` or another SCP takes its place: removing
            // an allow list narrows nothing, red team 53)
            Kind::Scp => {
                let mut set = self.set.clone();
                for p in &mut set.scps {
                    p.statements
                        .retain(|st| st.effect.value == crate::model::Effect::Allow);
                }
                set
            }
            Kind::Rcp => crate::analysis::diff::rcp_frame(Vec::new()),
            k => frame_set(&empty_policy(&self.name(file)), k),
        };
        Unit {
            document: self.document.clone(),
            kind: self.kind,
            set,
            unresolved: Vec::new(),
            unread: None,
            assumed: self.assumed.clone(),
            maybe_denies: Vec::new(),
            restricting: Vec::new(),
            // (a unit gone or new is compared whole: its targets are the other side's)
            targets: self.targets.clone(),
            content_unknown: false,
        }
    }

    /// The statements of every policy of `kind`'s part, without positions: two units with the
    /// same fingerprint allow the same requests.
    /// No policy at all (a unit that did not exist: [`Unit::emptied`] of an identity unit,
    /// or a document without statements).
    pub fn set_is_empty(&self) -> bool {
        crate::analysis::diff::set_policies(&self.set)
            .iter()
            .all(|p| p.statements.is_empty())
    }

    pub fn fingerprint(&self) -> String {
        let mut s = String::new();
        for p in crate::analysis::diff::set_policies(&self.set) {
            // the `Version` too: `2008-10-17` reads policy variables as text
            s.push_str(&format!("{:?}", p.version.as_ref().map(|v| v.value)));
            s.push_str(&without_spans(&format!("{:?}", p.statements)));
            s.push('\u{1}');
        }
        s.push_str(&format!(
            "{:?}{:?}{:?}{:?}{:?}",
            self.set.boundary.is_some(),
            self.unresolved,
            self.unread.as_ref().map(|u| &u.1),
            self.targets,
            self.content_unknown
        ));
        s
    }
}

/// What a file holds, as units.
#[derive(Debug)]
pub enum FileUnits {
    Units(Vec<Unit>),
    /// No policy in it (why).
    Skip(String),
    /// A kind of file whose policies greenlight does not read (why).
    Unread(String),
}

/// The role a plain policy file plays: the forced one, else from its shape.
fn kind_of(p: &Policy, forced: Option<Kind>) -> Kind {
    forced.unwrap_or(match PolicyType::detect(p) {
        PolicyType::Resource => Kind::Resource,
        PolicyType::Trust => Kind::Trust,
        PolicyType::Scp => Kind::Scp,
        PolicyType::Rcp => Kind::Rcp,
        PolicyType::Boundary => Kind::Boundary,
        PolicyType::Identity => Kind::Identity,
    })
}

/// Reads one file's bytes into units. `explicit`: the user named the file, so a file that
/// holds no policy is an error rather than skipped. `forced`: the role of plain policy files.
/// `notes`: name a template's placeholders and undecided conditions on standard error.
pub fn of_bytes(
    name: &str,
    bytes: Vec<u8>,
    forced: Option<Kind>,
    inputs: &Inputs,
    (explicit, notes): (bool, bool),
) -> miette::Result<FileUnits> {
    let verdict = sniff(Path::new(name), &bytes, true);
    let plain = |bytes: Vec<u8>| -> miette::Result<FileUnits> {
        let source = Source::from_bytes(name, bytes).map_err(miette::Report::new)?;
        let p = crate::parse::parse_policy(&source).map_err(miette::Report::new)?;
        let kind = kind_of(&p, forced);
        Ok(FileUnits::Units(vec![Unit {
            document: None,
            kind,
            set: frame_set(&p, kind),
            unresolved: Vec::new(),
            unread: None,
            assumed: Default::default(),
            maybe_denies: Vec::new(),
            restricting: Vec::new(),
            targets: None,
            content_unknown: false,
        }]))
    };
    match verdict {
        Sniff::Kind(InputKind::Policy) => plain(bytes),
        Sniff::Kind(InputKind::CloudFormation | InputKind::Sam | InputKind::TerraformPlan) => {
            let t = crate::iac::load_bytes(name, bytes, inputs).map_err(miette::Report::new)?;
            if notes {
                print_notes(name, &t);
            }
            Ok(FileUnits::Units(template_units(&t)?))
        }
        // a `.tf` file alone is not a module: its folder is read ([`module_units`])
        Sniff::Kind(k @ (InputKind::TerraformHcl | InputKind::AuthorizationDetails)) => {
            let why = format!("a {} (its policies are not compared)", k.as_str());
            if explicit {
                return Err(miette!("`{name}` is {why}"));
            }
            Ok(FileUnits::Unread(why))
        }
        // named as a policy: the parser locates what is wrong
        Sniff::Unparsable(_) if explicit => plain(bytes),
        Sniff::Skip(why) | Sniff::Unparsable(why) => {
            if explicit {
                return Err(miette!(
                    help = "greenlight reads IAM policy documents, CloudFormation, SAM and CDK templates, Terraform plans and `.tf` modules",
                    "`{name}` holds no IAM policy: {why}"
                ));
            }
            Ok(FileUnits::Skip(why))
        }
        Sniff::NeedMore => Ok(FileUnits::Skip("no policy or template shape".into())),
    }
}

/// Names a template's placeholders and undecided conditions on standard error.
fn print_notes(name: &str, t: &Template) {
    for (k, v) in &t.unknowns {
        eprintln!("note: {name}: `{k}` stands for {v}");
    }
    for n in unread_notes(t) {
        eprintln!("note: {name}: {n}");
    }
    if !t.undecided.is_empty() {
        eprintln!(
            "note: {name}: conditions {} cannot be decided from the parameter values; every combination is compared",
            t.undecided.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
}

/// The notes naming a template's policy-shaped values no reader takes (once each, over every
/// combination of its undecided conditions).
pub fn unread_notes(t: &Template) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in t.variants.iter().flat_map(|x| &x.unread) {
        let n = u.note();
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The units of a Terraform module read from its `.tf` files (principals by address,
/// documents by `ADDRESS/ARGUMENT`), each with the `.tf` file that defines it (`folder` when
/// not known). `notes`: name the module's placeholders on standard error.
pub fn module_units(
    folder: &str,
    m: &crate::iac::terraform::hcl::Module,
    notes: bool,
) -> miette::Result<Vec<(String, Unit)>> {
    if notes {
        print_notes(folder, &m.template);
    }
    Ok(template_units(&m.template)?
        .into_iter()
        .map(|u| (defining_file(folder, m, &u), u))
        .collect())
}

/// The units of the variants of a Terraform module that assume every condition its root
/// variables' defaults decide as they decide it ([`crate::iac::terraform::hcl::Module::defaults`]):
/// the deployment given no variable value, those conditions left out of the units' names (the
/// conditions nothing decides still split it). `None` when the module has no such condition
/// (every variant is then one of that deployment's) or when no variant assumes them so.
pub fn default_units(
    folder: &str,
    m: &crate::iac::terraform::hcl::Module,
) -> miette::Result<Option<Vec<(String, Unit)>>> {
    if m.defaults.is_empty() {
        return Ok(None);
    }
    let t = &m.template;
    let variants: Vec<crate::iac::cfn::Extract> = t
        .variants
        .iter()
        .filter(|x| {
            x.assumed
                .iter()
                .all(|(k, v)| m.defaults.get(k).is_none_or(|d| d == v))
        })
        .map(|x| {
            let mut x = x.clone();
            x.assumed.retain(|k, _| !m.defaults.contains_key(k));
            x
        })
        .collect();
    if variants.is_empty() {
        return Ok(None);
    }
    let sub = Template {
        source: t.source.clone(),
        variants,
        unknowns: t.unknowns.clone(),
        undecided: t
            .undecided
            .iter()
            .filter(|k| !m.defaults.contains_key(*k))
            .cloned()
            .collect(),
        condition_ids: t
            .condition_ids
            .iter()
            .filter(|(k, _)| !m.defaults.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    Ok(Some(
        template_units(&sub)?
            .into_iter()
            .map(|u| (defining_file(folder, m, &u), u))
            .collect(),
    ))
}

/// The files a module read (`file()`, `templatefile()`) whose text became one of its
/// documents (named `FILE#ADDRESS/ARGUMENT`), lexically normalised: a walk leaves them to the
/// module rather than reading them again on their own.
pub fn read_as_documents(m: &crate::iac::terraform::hcl::Module) -> Vec<String> {
    let mut out = Vec::new();
    for x in &m.template.variants {
        for d in &x.docs {
            let name = &*d.source.name;
            if let Some(r) = m.read.iter().find(|r| {
                name.strip_prefix(r.as_str())
                    .is_some_and(|rest| rest.starts_with('#'))
            }) {
                let r = crate::iac::terraform::hcl::modules::normalize(r);
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// The unit of an organization policy attached without its content
/// ([`crate::iac::cfn::Extract::opaque_org_policies`]), by its reference.
fn opaque_org_policy_name(policy: &str) -> String {
    format!("organization policy {policy}")
}

/// The `.tf` file that defines a unit of a module (`folder` when not known); an organization
/// policy attached without its content, the file of its first attachment.
pub fn defining_file(folder: &str, m: &crate::iac::terraform::hcl::Module, u: &Unit) -> String {
    let address = u
        .document
        .as_deref()
        .map(crate::iac::terraform::hcl::address_of)
        .unwrap_or_default();
    let attachment = || {
        let base = u.document.as_deref()?.split(" [when ").next()?;
        m.template
            .variants
            .iter()
            .flat_map(|x| &x.opaque_org_policies)
            .find(|(p, _)| opaque_org_policy_name(p) == base)
            .and_then(|(_, o)| o.attachments.iter().find_map(|a| m.defined_in.get(a)))
            .cloned()
    };
    m.defined_in
        .get(address)
        .cloned()
        .or_else(|| u.content_unknown.then(attachment).flatten())
        .unwrap_or_else(|| folder.to_string())
}

/// Reads the Terraform module of a `.tf` file (its folder's `.tf` files) or of a folder,
/// leaving out the file `exclude`.
pub fn load_module(
    path: &Path,
    exclude: Option<&Path>,
    inputs: &Inputs,
) -> miette::Result<crate::iac::terraform::hcl::Module> {
    crate::iac::terraform::hcl::load_excluding(path, exclude, inputs).map_err(miette::Report::new)
}

/// Reads one file from disk into units (see [`of_bytes`]); a `.tf` file or a folder of them
/// is its folder's module (see [`module_units`]).
pub fn of_path(
    path: &Path,
    forced: Option<Kind>,
    inputs: &Inputs,
    explicit: bool,
) -> miette::Result<FileUnits> {
    let name = path.display().to_string();
    if crate::iac::is_terraform_config(path) {
        let m = load_module(path, None, inputs)?;
        let units = module_units(&name, &m, true)?;
        return Ok(FileUnits::Units(
            units.into_iter().map(|(_, u)| u).collect(),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| miette!("cannot read `{name}`: {e}"))?;
    of_bytes(&name, bytes, forced, inputs, (explicit, true))
}

fn doc_policy(x: &Extract, i: usize) -> miette::Result<Policy> {
    match &x.docs[i].policy {
        Ok(p) => Ok(p.clone()),
        Err(e) => Err(e.clone().into()),
    }
}

/// A policy attached to a principal: `Ok(None)` when it is not known offline.
fn attached(x: &Extract, a: &Attached) -> miette::Result<Option<Policy>> {
    Ok(Some(match a {
        Attached::Doc(i) => doc_policy(x, *i)?,
        Attached::Aws(arn) => super::template::aws_managed(arn, false)?,
        Attached::AwsName(n) => super::template::aws_managed(n, true)?,
        Attached::Unknown(_) => return Ok(None),
    }))
}

fn unknown_arn(a: &Attached) -> Option<String> {
    match a {
        Attached::Unknown(arn) => Some(arn.clone()),
        _ => None,
    }
}

/// A document that is a unit of its own (a resource or trust policy), framed for `kind`; one
/// that cannot be read is `unknown` for `verify` and `diff` (its error the reason), not an
/// error that ends the run: the other documents are still decided, so a public bucket beside
/// an unreadable key policy still fails (red team 71b: the run printed the key's error alone,
/// exit 2, and its JSON output was empty).
fn own_document(d: &crate::iac::cfn::Doc, kind: Kind) -> (PolicySet, Option<(String, String)>) {
    match &d.policy {
        Ok(p) => (frame_set(p, kind), None),
        Err(e) => (
            frame_set(&empty_policy(&d.path), kind),
            Some((
                format!("the document cannot be read: {}", e.message),
                d.source.text.to_string(),
            )),
        ),
    }
}

/// The units of every variant of a template.
pub fn template_units(t: &Template) -> miette::Result<Vec<Unit>> {
    let many = t.variants.len() > 1;
    // every variant's units, named without their variant, grouped below
    let mut out = Vec::new();
    let mut from = Vec::new();
    for (vi, x) in t.variants.iter().enumerate() {
        let mut used = vec![false; x.docs.len()];
        for p in &x.principals {
            let mut identity = Vec::new();
            let mut unresolved = Vec::new();
            for a in &p.identity {
                if let Attached::Doc(i) = a {
                    used[*i] = true;
                }
                match attached(x, a)? {
                    Some(pol) => identity.push(pol),
                    None => unresolved.extend(unknown_arn(a)),
                }
            }
            let mut boundary = None;
            if let Some(a) = &p.boundary {
                if let Attached::Doc(i) = a {
                    used[*i] = true;
                }
                match attached(x, a)? {
                    Some(pol) => boundary = Some(pol),
                    // (marked as a boundary: the same ARN among its managed policies is
                    // another thing, red team 46)
                    None => unresolved
                        .extend(unknown_arn(a).map(|arn| crate::iac::cfn::boundary_mark(&arn))),
                }
            }
            out.push(Unit {
                document: Some(p.logical_id.clone()),
                kind: Kind::Identity,
                set: PolicySet {
                    identity,
                    boundary,
                    ..Default::default()
                },
                restricting: {
                    let deny_only: Vec<String> = p
                        .maybe
                        .iter()
                        .filter(|a| {
                            attached(x, a).ok().flatten().is_some_and(|pol| {
                                pol.statements
                                    .iter()
                                    .all(|s| s.effect.value == crate::model::Effect::Deny)
                            })
                        })
                        .map(|a| crate::iac::cfn::maybe_label(x, a))
                        .collect();
                    unresolved
                        .iter()
                        .filter(|m| {
                            deny_only
                                .iter()
                                .any(|l| crate::iac::cfn::mark_has_label(m, l))
                        })
                        .cloned()
                        .collect()
                },
                unresolved,
                unread: None,
                targets: None,
                content_unknown: false,
                assumed: x.assumed.clone(),
                maybe_denies: p
                    .maybe
                    .iter()
                    .filter_map(|a| attached(x, a).ok().flatten())
                    .filter_map(|mut pol| {
                        pol.statements
                            .retain(|s| s.effect.value == crate::model::Effect::Deny);
                        (!pol.statements.is_empty()).then_some(pol)
                    })
                    .collect(),
            });
            if let Some(i) = p.trust {
                used[i] = true;
                let (set, unread) = own_document(&x.docs[i], Kind::Trust);
                out.push(Unit {
                    document: Some(x.docs[i].path.clone()),
                    kind: Kind::Trust,
                    set,
                    unresolved: Vec::new(),
                    unread,
                    assumed: x.assumed.clone(),
                    maybe_denies: Vec::new(),
                    restricting: Vec::new(),
                    targets: None,
                    content_unknown: false,
                });
            }
        }
        for (i, d) in x.docs.iter().enumerate() {
            if used[i] {
                continue;
            }
            let kind = match d.kind {
                DocKind::Identity => Kind::Identity,
                DocKind::Trust => Kind::Trust,
                DocKind::Boundary => Kind::Boundary,
                DocKind::Resource => Kind::Resource,
                DocKind::Scp => Kind::Scp,
                DocKind::Rcp => Kind::Rcp,
            };
            let (set, unread) = own_document(d, kind);
            out.push(Unit {
                document: Some(d.path.clone()),
                kind,
                set,
                unresolved: Vec::new(),
                unread,
                assumed: x.assumed.clone(),
                maybe_denies: Vec::new(),
                restricting: Vec::new(),
                targets: x.targets.get(&i).cloned(),
                content_unknown: false,
            });
        }
        for (policy, o) in &x.opaque_org_policies {
            let document = opaque_org_policy_name(policy);
            out.push(Unit {
                set: frame_set(&empty_policy(&document), Kind::Scp),
                document: Some(document),
                kind: Kind::Scp,
                unresolved: Vec::new(),
                unread: None,
                assumed: x.assumed.clone(),
                maybe_denies: Vec::new(),
                restricting: Vec::new(),
                targets: Some(o.targets.clone()),
                content_unknown: true,
            });
        }
        for u in &x.unread {
            let document = u.path.clone();
            out.push(Unit {
                set: frame_set(&empty_policy(&document), Kind::Resource),
                document: Some(document),
                kind: Kind::Resource,
                unresolved: Vec::new(),
                unread: Some((u.note(), u.content.clone())),
                assumed: x.assumed.clone(),
                maybe_denies: Vec::new(),
                restricting: Vec::new(),
                targets: None,
                content_unknown: false,
            });
        }
        from.resize(out.len(), vi);
    }
    if !many {
        return Ok(out);
    }
    // A unit alike in several variants is one, named by the fewest conditions that name
    // the combinations where it holds (none when it holds in every one): a module of 12
    // flags is 4,096 variants, most of its documents alike in most of them.
    let groups = crate::iac::group_variants(out.into_iter().zip(from).map(|(u, vi)| {
        (
            (u.document.clone(), kind_str(u.kind), u.fingerprint()),
            u,
            vi,
        )
    }));
    let mut out = Vec::with_capacity(groups.len());
    for (u, list) in groups {
        if t.in_every(&list) {
            let mut u = u;
            u.assumed.clear();
            out.push(u);
            continue;
        }
        for (_, when) in t.exact_sets(&list) {
            let mut u = u.clone();
            u.document = u
                .document
                .map(|d| format!("{d} [when {}]", Template::describe(&when)));
            u.assumed = when;
            out.push(u);
        }
    }
    // a document attached to several principals is one unit per principal; one listed twice
    // under the same name is kept once
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|u| seen.insert((u.document.clone(), kind_str(u.kind))));
    // a condition with a definition is known by it too: `diff` pairs combinations by
    // condition, and a condition whose definition changed is another one ([`assumed_name`])
    for u in &mut out {
        u.assumed = std::mem::take(&mut u.assumed)
            .into_iter()
            .map(|(k, v)| match t.condition_ids.get(&k) {
                Some(id) => (format!("{k}\u{1}{id}"), v),
                None => (k, v),
            })
            .collect();
    }
    Ok(out)
}

/// A condition's name as shown, from a [`Unit::assumed`] key (which may carry the hash of its
/// definition after `\u{1}`).
pub fn assumed_name(key: &str) -> &str {
    key.split('\u{1}').next().unwrap_or(key)
}

/// The name of a unit's role, as `--policy-type` spells it.
pub fn kind_str(k: Kind) -> &'static str {
    match k {
        Kind::Identity => "identity",
        Kind::Resource => "resource",
        Kind::Trust => "trust",
        Kind::Scp => "scp",
        Kind::Boundary => "boundary",
        Kind::Rcp => "rcp",
    }
}

/// Whether a command-line argument is one plain policy file (not a template, plan,
/// directory or `FILE#DOCUMENT`); a path that does not exist counts as plain, so that the
/// policy reader reports it.
pub fn is_plain_policy(p: &Path) -> bool {
    if p.is_dir() {
        return false;
    }
    if !p.exists() {
        return split_selector(&p.display().to_string()).1.is_none();
    }
    let bytes = std::fs::read(p).unwrap_or_default();
    !matches!(sniff(p, &bytes, true), Sniff::Kind(k) if k != InputKind::Policy)
}

/// Splits `FILE#DOCUMENT` (a selector naming one unit of a template) when `FILE` exists and
/// the whole argument does not.
pub fn split_selector(arg: &str) -> (&str, Option<&str>) {
    if Path::new(arg).exists() {
        return (arg, None);
    }
    // a file name may itself hold `#` (`a#b.yaml#Role`); a selector (a logical id, an address,
    // a document path) does not: the last `#` that leaves an existing file splits
    let mut at = arg.len();
    while let Some(i) = arg[..at].rfind('#') {
        let (file, sel) = (&arg[..i], &arg[i + 1..]);
        if Path::new(file).exists() && !sel.is_empty() {
            return (file, Some(sel));
        }
        at = i;
    }
    (arg, None)
}

/// The unit a selector names: a principal's logical id or address (its identity policies),
/// or a document path; its ` [when ...]` suffix may be left out when only one combination
/// of the template's undecided conditions has the unit.
pub fn select(file: &str, units: Vec<Unit>, sel: &str) -> miette::Result<Unit> {
    let sel = sel.trim_start_matches('/');
    let names: Vec<String> = units.iter().filter_map(|u| u.document.clone()).collect();
    let exact = units.iter().any(|u| u.document.as_deref() == Some(sel));
    let mut found: Vec<Unit> = units
        .into_iter()
        .filter(|u| {
            let d = u.document.as_deref().unwrap_or_default();
            if exact {
                d == sel
            } else {
                d.split(" [when ").next() == Some(sel)
            }
        })
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        n if !exact && n > 1 => Err(miette!(
            help = format!(
                "name one of them: {}",
                found
                    .iter()
                    .filter_map(|u| u.document.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "`{sel}` differs between combinations of the template's undecided conditions"
        )),
        0 => Err(miette!(
            help = format!(
                "units of the file: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ),
            "`{sel}` names no principal or policy document of `{file}`"
        )),
        _ => Err(miette!(
            "`{sel}` names more than one unit of `{file}`; name the document path"
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn spans_are_left_out_of_fingerprints() {
        assert_eq!(
            without_spans(
                "A { span: Span { start: 3, end: 9 }, x: 1 } Span { start: 10, end: 12 }"
            ),
            "A { span: Span, x: 1 } Span"
        );
    }

    /// `FILE#SELECTOR` splits at the `#` that leaves an existing file, so a file name may hold
    /// `#` itself; a whole argument that exists is a file.
    #[test]
    fn selectors_split_after_file_names_with_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a#b.yaml");
        std::fs::write(&f, "x").unwrap();
        let name = f.display().to_string();
        assert_eq!(split_selector(&name), (name.as_str(), None));
        let arg = format!("{name}#Role");
        assert_eq!(split_selector(&arg), (name.as_str(), Some("Role")));
        let plain = dir.path().join("t.yaml");
        std::fs::write(&plain, "x").unwrap();
        let arg = format!("{}#Role", plain.display());
        assert_eq!(split_selector(&arg).1, Some("Role"));
        let missing = format!("{}#", plain.display());
        assert_eq!(split_selector(&missing).1, None);
    }

    /// A role (inline policy, an AWS managed policy, a managed policy from outside the
    /// template), a bucket policy and a managed policy attached to no principal of the template.
    #[test]
    fn template_units_are_principals_and_documents() {
        let text = "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
        - arn:aws:iam::111122223333:policy/FromElsewhere
      Policies:
        - PolicyName: Inline
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - {Effect: Allow, Action: sqs:SendMessage, Resource: '*'}
  Loose:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - {Effect: Allow, Action: sns:Publish, Resource: '*'}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: b
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - {Effect: Allow, Principal: {AWS: '111122223333'}, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}
";
        let t = crate::iac::cfn::load(&Source::new("t.yaml", text), &Inputs::default()).unwrap();
        let units = template_units(&t).unwrap();
        let got: Vec<(Option<&str>, &str)> = units
            .iter()
            .map(|u| (u.document.as_deref(), kind_str(u.kind)))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Role"), "identity"),
                (Some("Resources/Role/AssumeRolePolicyDocument"), "trust"),
                (Some("Resources/Loose/PolicyDocument"), "identity"),
                (Some("Resources/BucketPolicy/PolicyDocument"), "resource"),
            ]
        );
        let role = &units[0];
        let names: Vec<&str> = role.set.identity.iter().map(|p| &*p.source.name).collect();
        assert_eq!(
            names,
            [
                "t.yaml#Resources/Role/Policies/Inline",
                "arn:aws:iam::aws:policy/ReadOnlyAccess"
            ]
        );
        assert_eq!(
            role.unresolved,
            ["arn:aws:iam::111122223333:policy/FromElsewhere"]
        );
        // the same template, positions shifted: the same fingerprints
        let shifted = format!("# a comment\n{text}");
        let t2 =
            crate::iac::cfn::load(&Source::new("t.yaml", shifted), &Inputs::default()).unwrap();
        let again = template_units(&t2).unwrap();
        for (a, b) in units.iter().zip(&again) {
            assert_eq!(a.fingerprint(), b.fingerprint());
        }
        let w = select("t.yaml", units.clone(), "Role").unwrap();
        assert_eq!(w.kind, Kind::Identity);
        assert!(select("t.yaml", units, "Nope").is_err());
    }
}
