//! `diff` over files that hold several policies (templates, plans, directories) and
//! `diff --base REF`: the units of each file ([`super::units`]) are matched by file, document
//! and kind, and each pair is diffed; a unit only in the new side is all added, one only in
//! the old side all removed.
//!
//! JSON: the shape of `diff OLD NEW`, each `added`/`removed` group and `unknown` entry with
//! `path` (the file, relative to the repository root for `--base`), `document` (the unit in
//! the file: `null` for a plain policy file, a logical id or address for a principal's
//! permissions, a document path otherwise) and `policyType` (`null` for a file whose policies
//! are not read); plus `base` (the revision, with `--base`) and `files` (`compared`: the files
//! whose policies changed, `unchanged` and `skipped`: counts).

use std::io::IsTerminal;
use std::path::PathBuf;

use miette::miette;
use serde_json::{Value, json};

use super::Outcome;
use super::units::{FileUnits, Unit, kind_str};
use crate::analysis::{self, Diff, Kind, Unknown};
use crate::iac::cfn::Inputs;

/// One compared unit and what changed in it.
#[derive(Debug)]
pub struct UnitDiff {
    pub path: String,
    pub document: Option<String>,
    /// `None` for a file whose policies are not read.
    pub kind: Option<Kind>,
    pub diff: Diff,
}

impl UnitDiff {
    fn name(&self) -> String {
        match &self.document {
            Some(d) => format!("{}#{d}", self.path),
            None => self.path.clone(),
        }
    }
}

/// Two sides of one unit to diff.
pub(super) struct Pair {
    pub path: String,
    pub old: Unit,
    pub new: Unit,
    /// The unit's name in the output when it is not the new unit's: the combinations of
    /// undecided conditions both sides hold in, when they are fewer than the new unit's.
    pub shown: Option<String>,
}

/// Files looked at.
#[derive(Debug, Default)]
pub struct Files {
    pub compared: Vec<String>,
    pub unchanged: usize,
    pub skipped: usize,
}

/// A unit's undecided conditions named without file positions (`main.tf:12:5`): an edit that
/// moves lines, or the same module under another folder, names the same condition (red team
/// 33); a unit whose conditions would then collide keeps the full names.
fn plain(u: &Unit) -> Assumed {
    let mut m = Assumed::new();
    for (k, v) in &u.assumed {
        if m.insert(without_positions(k), *v).is_some_and(|w| w != *v) {
            return u.assumed.clone();
        }
    }
    m
}

/// A unit's document without the ` [when ...]` of a template variant.
fn base_name(d: &Option<String>) -> Option<&str> {
    d.as_deref().map(|s| s.split(" [when ").next().unwrap_or(s))
}

type Assumed = std::collections::BTreeMap<String, bool>;

/// Whether two assignments of undecided conditions can hold together (no condition both name
/// the other way, and no two comparisons of one root variable rule each other out:
/// `var.env != "dev"` false on one side and `var.env == "prod"` true on the other).
fn agree(x: &Assumed, y: &Assumed) -> bool {
    x.iter().all(|(k, v)| y.get(k).is_none_or(|w| w == v))
        && crate::iac::comparisons_consistent(
            x.iter().chain(y.iter()).map(|(k, v)| (k.as_str(), *v)),
        )
}

/// Whether some combination `a` stands for is in none of `cubes` (each a set of combinations
/// named by the conditions it fixes): split on a condition a cube fixes and `a` does not,
/// until a cube holds all of what is left or none can.
fn uncovered(a: &Assumed, cubes: &[&Assumed]) -> bool {
    // (a combination the comparisons rule out is no deployment)
    if !crate::iac::comparisons_consistent(a.iter().map(|(k, v)| (k.as_str(), *v))) {
        return false;
    }
    let live: Vec<&Assumed> = cubes.iter().copied().filter(|c| agree(a, c)).collect();
    if live.is_empty() {
        return true;
    }
    if live.iter().any(|c| c.keys().all(|k| a.contains_key(k))) {
        return false;
    }
    let Some(k) = live
        .iter()
        .flat_map(|c| c.keys())
        .find(|k| !a.contains_key(*k))
    else {
        return false;
    };
    [true, false].into_iter().any(|v| {
        let mut b = a.clone();
        b.insert(k.clone(), v);
        uncovered(&b, &live)
    })
}

/// Pairs the units of one file's two sides, combination by combination of the templates'
/// undecided conditions: units of the same document and kind are compared wherever their
/// conditions can hold together (every such pair, red team 31: a first match left combinations
/// out), and a unit is compared with nothing where the other side has no unit of its name
/// (a role that existed only under a condition and now always does is added where it did not
/// exist). Pairs whose policies are the same are left out.
pub(super) fn pairs(path: &str, old: Vec<Unit>, new: Vec<Unit>) -> Vec<Pair> {
    let mut out = Vec::new();
    // conditions compared by their name without file positions (`main.tf:12:5`): an edit that
    // moves lines, or the same module under another folder, names the same condition
    // (red team 33); a unit whose conditions would then collide keeps the full names
    let old_plain: Vec<Assumed> = old.iter().map(plain).collect();
    let new_plain: Vec<Assumed> = new.iter().map(plain).collect();
    let key = |u: &Unit| (base_name(&u.document).map(str::to_string), u.kind);
    let mut push = |o: Unit, n: Unit, shown: Option<String>| {
        if o.fingerprint() != n.fingerprint() {
            out.push(Pair {
                path: path.to_string(),
                old: o,
                new: n,
                shown,
            });
        }
    };
    for (ni, n) in new.iter().enumerate() {
        let same: Vec<usize> = (0..old.len()).filter(|&i| key(&old[i]) == key(n)).collect();
        for &oi in &same {
            let o = &old[oi];
            if !agree(&old_plain[oi], &new_plain[ni]) {
                continue;
            }
            // named by the combinations both hold in, when the old side narrows them
            let mut both = n.assumed.clone();
            both.extend(o.assumed.iter().map(|(k, v)| (k.clone(), *v)));
            let shown = (both.len() > n.assumed.len()).then(|| {
                // by name, each side's condition once (a condition whose definition changed
                // is named twice, `old` and `new`)
                let mut named: Vec<String> = Vec::new();
                for (k, v) in &both {
                    let name = super::units::assumed_name(k);
                    let side = if k.contains('\u{1}')
                        && both
                            .keys()
                            .filter(|x| super::units::assumed_name(x) == name)
                            .count()
                            > 1
                    {
                        if o.assumed.contains_key(k) && !n.assumed.contains_key(k) {
                            " (old)"
                        } else {
                            " (new)"
                        }
                    } else {
                        ""
                    };
                    named.push(format!("{name}{side}={v}"));
                }
                format!(
                    "{} [when {}]",
                    base_name(&n.document).unwrap_or_default(),
                    named.join(", ")
                )
            });
            push(o.clone(), n.clone(), shown);
        }
        let cubes: Vec<&Assumed> = same.iter().map(|&i| &old_plain[i]).collect();
        if uncovered(&new_plain[ni], &cubes) {
            push(n.emptied(path), n.clone(), None);
        }
    }
    for (oi, o) in old.iter().enumerate() {
        let cubes: Vec<&Assumed> = (0..new.len())
            .filter(|&i| key(&new[i]) == key(o))
            .map(|i| &new_plain[i])
            .collect();
        if uncovered(&old_plain[oi], &cubes) {
            push(o.clone(), o.emptied(path), None);
        }
    }
    out
}

/// How a pair of [`default_pairs`] is named: its unit with `[when the variables take their
/// defaults]` (and the conditions nothing decides that it holds in).
const DEFAULTS: &str = "the variables take their defaults";

/// Terraform: the units of the deployments given no variable value (each side's variants that
/// assume every condition its root variables' defaults decide as they decide it,
/// [`super::units::default_units`]), paired as [`pairs`] pairs units. Each side is otherwise
/// read in every combination of those conditions, and a default flipped (`enable_admin`
/// `false` → `true` under `count = var.enable_admin ? 1 : 0`) leaves both sides the same set
/// of combinations, so what the defaults' deployment gains was "0 added" (red team 73): it is
/// compared here. A pair [`pairs`] already compares (the same two sides of the same unit) is
/// left out; each other is named [`DEFAULTS`].
pub(super) fn default_pairs(
    path: &str,
    old: Vec<Unit>,
    new: Vec<Unit>,
    compared: &[Pair],
) -> Vec<Pair> {
    let key = |p: &Pair| {
        (
            kind_str(p.new.kind),
            base_name(&p.new.document).map(str::to_string),
            p.old.fingerprint(),
            p.new.fingerprint(),
        )
    };
    let done: std::collections::HashSet<_> = compared.iter().map(key).collect();
    let mut out = Vec::new();
    for mut p in pairs(path, old, new) {
        if done.contains(&key(&p)) {
            continue;
        }
        let name = p
            .shown
            .clone()
            .or_else(|| p.new.document.clone())
            .unwrap_or_default();
        p.shown = Some(match name.split_once(" [when ") {
            Some((unit, rest)) => format!("{unit} [when {DEFAULTS}, {rest}"),
            None => format!("{name} [when {DEFAULTS}]"),
        });
        out.push(p);
    }
    out
}

/// A condition's name without the file positions in it (`path:line:column`, as binding sites
/// are written).
fn without_positions(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, w) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // `[@]path:line:col` (possibly followed by `#n`, `[key]`, `]`, `,`)
        let core_end = w.find(['#', ']', '[', ',']).unwrap_or(w.len());
        let (core, rest) = w.split_at(core_end);
        let body = core.strip_prefix('@').unwrap_or(core);
        let mut f = body.rsplitn(3, ':');
        let (col, line, path) = (f.next(), f.next(), f.next());
        let digits = |s: Option<&str>| {
            s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        };
        if digits(col) && digits(line) && path.is_some_and(|p| !p.is_empty()) {
            out.push_str(&core[..core.len() - body.len()]);
            out.push_str("@site");
            out.push_str(rest);
        } else {
            out.push_str(w);
        }
    }
    out
}

/// Diffs every pair (on every core), in order.
fn diff_pairs(list: &[Pair], max_examples: usize) -> miette::Result<Vec<UnitDiff>> {
    let results = crate::par::map(list, |p| {
        let mut d = analysis::diff_sets(&p.old.set, &p.new.set, p.new.kind, max_examples)?;
        // A policy whose content is not known offline (a customer managed policy not in the
        // inputs, a `!Ref` of a parameter without a value, an `!ImportValue`) attached on the
        // new side may allow anything, and an explicit `Deny` overrides any `Allow` (IAM
        // policy evaluation logic): a `Deny` removed or narrowed beside it may let through
        // what it allows. Both sides are also compared beside a policy that allows everything
        // in its place (red team 72: removing a `Deny` of `iam:*` beside such a policy was
        // "0 added"). (The same stand-in as a guardrail's, so a pair that is also compared
        // so reports each statement once.)
        let unknown_allow = p.new.kind == Kind::Identity
            && p.new
                .unresolved
                .iter()
                .any(|a| !crate::iac::cfn::is_boundary_mark(a) && !p.new.restricting.contains(a));
        if unknown_allow {
            let beside = |s: &crate::eval::PolicySet| {
                let mut s = s.clone();
                s.identity
                    .push(analysis::allow_all_named(analysis::OTHER_IDENTITY_POLICIES));
                s
            };
            let more = analysis::diff_sets(
                &beside(&p.old.set),
                &beside(&p.new.set),
                p.new.kind,
                max_examples,
            )?;
            analysis::diff::merge(&mut d, more);
        }
        Ok::<_, analysis::AnalysisError>(d)
    });
    let mut out = Vec::new();
    for (p, r) in list.iter().zip(results) {
        // a side that cannot be evaluated because a template's value is not known (an
        // `Action` list built from a variable given) is unknown, not an error that hides the
        // other documents' changes (red team 72)
        let r = match r {
            Err(e) if e.from_placeholder() => Ok(analysis::Diff {
                added: Vec::new(),
                removed: Vec::new(),
                unknown: vec![(
                    Unknown {
                        reason: e.to_string(),
                        statements: Vec::new(),
                    },
                    true,
                )],
            }),
            r => r,
        };
        let mut diff = r.map_err(|e| miette!("`{}`: {e}", p.new.name(&p.path)))?;
        // what a resource policy or an SCP applies to, named apart from it (a topic policy's
        // `Topics`, an SCP's `TargetIds`): a resource gained gets what the policy grants, a
        // target lost loses the SCP's `Deny` statements (red team 72: both were "0 added")
        // (a property left out applies the policy to nothing: `TargetIds` removed)
        // An SCP or RCP whose content is not known offline (attached by an ID or reference the
        // configuration does not define, or whose content cannot be read) may deny anything:
        // a target it leaves, or every target when the old content leaves (the policy deleted,
        // or its content now known), may be allowed what it denied (red team 74: detaching an
        // SCP known by its `p-...` ID was "0 added")
        let opaque = |u: &Unit| {
            matches!(u.kind, Kind::Scp | Kind::Rcp) && (u.content_unknown || u.unread.is_some())
        };
        let content_left = opaque(&p.old) && !opaque(&p.new);
        if (p.old.targets != p.new.targets || content_left)
            && (p.old.targets.is_some() || p.new.targets.is_some())
            && (!p.old.set_is_empty() || opaque(&p.old))
        {
            let oi = p.old.targets.as_deref().unwrap_or_default();
            let ni = p.new.targets.as_deref().unwrap_or_default();
            let gained: Vec<&str> = ni
                .iter()
                .filter(|x| !oi.contains(x))
                .map(String::as_str)
                .collect();
            let lost: Vec<&str> = oi
                .iter()
                .filter(|x| content_left || !ni.contains(x))
                .map(String::as_str)
                .collect();
            let reason = match p.new.kind {
                Kind::Scp | Kind::Rcp if !lost.is_empty() && p.old.content_unknown => {
                    Some(format!(
                        "the {} (its content not known offline: the configuration does not define it, or not its type) no longer applies to {}: what it denied there may be allowed now",
                        base_name(&p.old.document).unwrap_or("organization policy"),
                        lost.join(", ")
                    ))
                }
                Kind::Scp | Kind::Rcp if !lost.is_empty() && opaque(&p.old) => Some(format!(
                    "its content {}is not known offline, and it no longer applies to {}{}: what it denied there may be allowed now",
                    if content_left { "at the base " } else { "" },
                    lost.join(", "),
                    if content_left {
                        " with that content"
                    } else {
                        ""
                    }
                )),
                Kind::Scp | Kind::Rcp if !lost.is_empty() => Some(format!(
                    "it no longer applies to {}: what its `Deny` statements denied there may be allowed now",
                    lost.join(", ")
                )),
                Kind::Resource if !gained.is_empty() => Some(format!(
                    "it now also applies to {}: what it grants is new there",
                    gained.join(", ")
                )),
                _ => None,
            };
            if let Some(reason) = reason {
                diff.unknown.push((
                    Unknown {
                        reason,
                        statements: Vec::new(),
                    },
                    true,
                ));
            }
        }
        if let Some((why, _)) = &p.new.unread {
            diff.unknown.push((
                Unknown {
                    reason: format!("it changed, and {why}"),
                    statements: Vec::new(),
                },
                true,
            ));
        }
        // a placeholder where the new side may grant more than the analysis reads: an
        // `Allow`'s action (any action may stand there), a `Deny`'s `NotAction`,
        // `NotResource` or `NotPrincipal` (it denies all but the placeholder); not known when
        // the old side has no such text (red team 25: `s3:GetObject` → `!Sub "${Svc}:*"` was
        // "0 added", exit 0)
        let old_texts = hiding_placeholders(&p.old.set);
        if let Some(t) = hiding_placeholders(&p.new.set)
            .into_iter()
            .find(|t| !old_texts.contains(t))
        {
            diff.unknown.push((
                Unknown {
                    reason: format!(
                        "`{t}` holds a value not known offline where it may grant more (pass the template's value)"
                    ),
                    statements: Vec::new(),
                },
                true,
            ));
        }
        for arn in &p.new.unresolved {
            // (a boundary added only restricts: red team 46)
            // (nor a policy that only denies, which a name not known may attach)
            if !p.old.unresolved.contains(arn)
                && !crate::iac::cfn::is_boundary_mark(arn)
                && !p.new.restricting.contains(arn)
            {
                diff.unknown.push((
                    Unknown {
                        reason: format!(
                            "{} is newly attached: what it grants is not known offline",
                            crate::iac::cfn::describe_unknown(arn)
                        ),
                        statements: Vec::new(),
                    },
                    true,
                ));
            }
        }
        // what may have denied or bounded the old side and is gone (a permissions boundary or
        // a policy not known offline, a group not defined, a maybe-attached policy with a
        // `Deny`): its leaving may add access (red team 45: removing a boundary from an
        // administrator role was "0 added")
        // (a principal gone, or left with no policy, is allowed nothing: red team 46)
        let allows_something = !p.new.set.identity.is_empty() || !p.new.unresolved.is_empty();
        for arn in &p.old.unresolved {
            if allows_something && !p.new.unresolved.contains(arn) && crate::iac::cfn::may_deny(arn)
            {
                diff.unknown.push((
                    Unknown {
                        reason: format!(
                            "{} is no longer attached: what it denied or bounded is not known offline, so its leaving may allow more",
                            crate::iac::cfn::describe_unknown(arn)
                        ),
                        statements: Vec::new(),
                    },
                    true,
                ));
            }
        }
        if diff.added.is_empty() && diff.removed.is_empty() && diff.unknown.is_empty() {
            continue;
        }
        out.push(UnitDiff {
            path: p.path.clone(),
            document: p.shown.clone().or_else(|| p.new.document.clone()),
            kind: Some(p.new.kind),
            diff,
        });
    }
    Ok(out)
}

/// The texts of a policy set holding a template placeholder where the set may grant more than
/// the analysis reads (see [`diff_pairs`]).
fn hiding_placeholders(set: &crate::eval::PolicySet) -> Vec<String> {
    use crate::model::Effect;
    let mut out = Vec::new();
    for p in crate::analysis::diff::set_policies(set) {
        for st in &p.statements {
            let mut texts: Vec<&str> = Vec::new();
            match st.effect.value {
                Effect::Allow if !st.action.negated => {
                    texts.extend(st.action.items.iter().map(|a| a.text.as_str()));
                }
                Effect::Deny => texts.extend(super::verify_units::negated_texts(st, true)),
                _ => {}
            }
            for t in texts {
                if t.contains("UNKNOWN-") && !out.iter().any(|x: &String| x == t) {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

/// Drops the units a move left unchanged (`git mv` of a policy file, a template or a folder):
/// a unit that only the new side holds at one path and only the old side held at another,
/// of one kind and document name and with the same policies, was neither removed nor added
/// (red team 52: a renamed file was "all removed, all added", exit 1).
fn moved_without_change(list: &mut Vec<Pair>) {
    // each pair's fingerprints once (a `diff --base` of thousands of files must not build
    // them for every pair of pairs): (kind, document, policies) of what only one side holds
    type Key = (&'static str, Option<String>, String);
    let one_sided = |p: &Pair, new: bool| -> Option<Key> {
        let (held, other) = if new {
            (&p.new, &p.old)
        } else {
            (&p.old, &p.new)
        };
        let held_fp = held.fingerprint();
        (other.fingerprint() == held.emptied(&p.path).fingerprint()).then(|| {
            (
                kind_str(held.kind),
                base_name(&held.document).map(str::to_string),
                held_fp,
            )
        })
    };
    let mut removed: std::collections::HashMap<Key, Vec<usize>> = Default::default();
    for (i, p) in list.iter().enumerate() {
        if let Some(k) = one_sided(p, false) {
            removed.entry(k).or_default().push(i);
        }
    }
    let mut drop = vec![false; list.len()];
    for a in 0..list.len() {
        let Some(k) = one_sided(&list[a], true) else {
            continue;
        };
        let Some(candidates) = removed.get_mut(&k) else {
            continue;
        };
        // the new unit exists in no combination of conditions the old one did not (red team
        // 72: a role that existed only `when IsProd`, moved to a file where it always exists,
        // was matched through `base_name` and its unconditional existence went unreported)
        let new_plain = plain(&list[a].new);
        if let Some(pos) = candidates.iter().position(|&r| {
            r != a
                && !drop[r]
                && list[r].path != list[a].path
                && !uncovered(&new_plain, &[&plain(&list[r].old)])
        }) {
            let r = candidates.remove(pos);
            drop[a] = true;
            drop[r] = true;
        }
    }
    let mut i = 0;
    list.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// A file whose policies greenlight does not read changed: an addition may hide there.
fn unread(path: &str, why: &str) -> UnitDiff {
    UnitDiff {
        path: path.to_string(),
        document: None,
        kind: None,
        diff: Diff {
            unknown: vec![(
                Unknown {
                    reason: format!("`{path}` changed, and it is {why}"),
                    statements: Vec::new(),
                },
                true,
            )],
            ..Diff::default()
        },
    }
}

/// `diff OLD NEW` where a side is a template, a plan, or `FILE#DOCUMENT`.
pub fn run_files(
    old_arg: &str,
    new_arg: &str,
    forced: Option<Kind>,
    inputs: &Inputs,
    format: super::diff::FormatArg,
    max_examples: usize,
) -> miette::Result<Outcome> {
    // two CDK cloud assemblies (`cdk.out`): stack by stack
    let assembly = |arg: &str| {
        let (file, sel) = super::units::split_selector(arg);
        let dir = PathBuf::from(file);
        let t = if dir.is_dir() {
            crate::iac::cdk_templates(&dir)
        } else {
            None
        };
        t.map(|t| (dir, t, sel.is_some()))
    };
    match (assembly(old_arg), assembly(new_arg)) {
        (None, None) => {}
        (Some((o, ot, false)), Some((n, nt, false))) => {
            return run_assemblies((&o, ot), (&n, nt), forced, inputs, format, max_examples);
        }
        _ => {
            return Err(miette!(
                help = "e.g. `greenlight diff old/cdk.out new/cdk.out`, or `greenlight diff old/cdk.out/App.template.json new/cdk.out/App.template.json#Role`",
                "a CDK cloud assembly is compared with another one, stack by stack, and without `#`: name a template file to compare one unit"
            ));
        }
    }
    // (a Terraform module's units, and those of its defaults' deployment: [`default_pairs`])
    type Loaded = (String, Option<String>, Vec<Unit>, Option<Vec<Unit>>);
    let load = |arg: &str, other: &str| -> miette::Result<Loaded> {
        let (file, sel) = super::units::split_selector(arg);
        let path = PathBuf::from(file);
        if crate::iac::is_terraform_config(&path) {
            // two `.tf` files of one folder: each side is the module without the other file
            let other = PathBuf::from(super::units::split_selector(other).0);
            let exclude = (other.is_file() && path.is_file()).then_some(other.as_path());
            let m = super::units::load_module(&path, exclude, inputs)?;
            let units = super::units::module_units(file, &m, true)?;
            let defaults = super::units::default_units(file, &m)?;
            let strip = |v: Vec<(String, Unit)>| v.into_iter().map(|(_, u)| u).collect();
            return Ok((
                file.to_string(),
                sel.map(str::to_string),
                strip(units),
                defaults.map(strip),
            ));
        }
        let units = match super::units::of_path(&path, forced, inputs, true)? {
            FileUnits::Units(u) => u,
            FileUnits::Skip(why) | FileUnits::Unread(why) => {
                return Err(miette!("`{file}` cannot be compared: {why}"));
            }
        };
        Ok((file.to_string(), sel.map(str::to_string), units, None))
    };
    let (_, old_sel, old_units, old_defaults) = load(old_arg, new_arg)?;
    let (new_file, new_sel, new_units, new_defaults) = load(new_arg, old_arg)?;
    // a plain policy file is its one unit
    let one = |sel: Option<String>, units: &[Unit], other: &Option<String>| match sel {
        None if other.is_some() && units.len() == 1 && units[0].document.is_none() => {
            Some(String::new())
        }
        s => s,
    };
    let old_sel2 = one(old_sel.clone(), &old_units, &new_sel);
    let new_sel2 = one(new_sel, &new_units, &old_sel);
    let pick = |arg: &str, units: Vec<Unit>, sel: &str| {
        if sel.is_empty() {
            Ok(units
                .into_iter()
                .next()
                .ok_or_else(|| miette!("`{arg}` holds no policy"))?)
        } else {
            super::units::select(arg, units, sel)
        }
    };
    // the defaults' deployments of two whole Terraform modules, where either side has one
    let defaults = match (&old_sel2, &new_sel2, &old_defaults, &new_defaults) {
        (None, None, Some(_), _) | (None, None, _, Some(_)) => Some((
            old_defaults.unwrap_or_else(|| old_units.clone()),
            new_defaults.unwrap_or_else(|| new_units.clone()),
        )),
        _ => None,
    };
    let (old_units, new_units) = match (old_sel2, new_sel2) {
        (None, None) => (old_units, new_units),
        (Some(o), Some(n)) => {
            let mut o = pick(old_arg, old_units, &o)?;
            let n = pick(new_arg, new_units, &n)?;
            if o.kind != n.kind {
                return Err(miette!(
                    "`{old_arg}` is a {} policy and `{new_arg}` a {} policy: they cannot be compared",
                    kind_str(o.kind),
                    kind_str(n.kind)
                ));
            }
            o.document = n.document.clone();
            (vec![o], vec![n])
        }
        _ => {
            return Err(miette!(
                help = "e.g. `greenlight diff old.yaml#DeployRole new.yaml#DeployRole`, `greenlight diff policy.json new.yaml#DeployRole`, or two whole files",
                "name a unit of both templates or of neither"
            ));
        }
    };
    let mut list = pairs(&new_file, old_units, new_units);
    if let Some((o, n)) = defaults {
        let more = default_pairs(&new_file, o, n, &list);
        list.extend(more);
    }
    let files = Files {
        compared: vec![new_file.clone()],
        ..Files::default()
    };
    let results = diff_pairs(&list, max_examples)?;
    finish(&results, None, &files, format)
}

/// `diff OLD/cdk.out NEW/cdk.out`: the stack templates each manifest lists, paired by their
/// path inside the assembly; a stack on one side only is compared with nothing (a new stack
/// counts as all added). Each result names its template file.
fn run_assemblies(
    (old_dir, old_t): (&std::path::Path, Vec<PathBuf>),
    (new_dir, new_t): (&std::path::Path, Vec<PathBuf>),
    forced: Option<Kind>,
    inputs: &Inputs,
    format: super::diff::FormatArg,
    max_examples: usize,
) -> miette::Result<Outcome> {
    let rel =
        |dir: &std::path::Path, t: Vec<PathBuf>| -> std::collections::BTreeMap<PathBuf, PathBuf> {
            t.into_iter()
                .map(|p| (p.strip_prefix(dir).unwrap_or(&p).to_path_buf(), p))
                .collect()
        };
    let old = rel(old_dir, old_t);
    let new = rel(new_dir, new_t);
    let units = |p: Option<&PathBuf>| -> miette::Result<Vec<Unit>> {
        let Some(p) = p else { return Ok(Vec::new()) };
        match super::units::of_path(p, forced, inputs, true)? {
            FileUnits::Units(u) => Ok(u),
            FileUnits::Skip(why) | FileUnits::Unread(why) => {
                Err(miette!("`{}` cannot be compared: {why}", p.display()))
            }
        }
    };
    let mut keys: Vec<&PathBuf> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut list = Vec::new();
    let mut files = Files::default();
    for k in keys {
        let (o, n) = (old.get(k), new.get(k));
        let Some(name) = n.or(o).map(|p| p.display().to_string()) else {
            continue;
        };
        list.extend(pairs(&name, units(o)?, units(n)?));
        files.compared.push(name);
    }
    let results = diff_pairs(&list, max_examples)?;
    finish(&results, None, &files, format)
}

/// Prints the result and maps it to the outcome (exit 2 when an unknown may hide an addition).
pub fn finish(
    results: &[UnitDiff],
    base: Option<(&str, &std::path::Path)>,
    files: &Files,
    format: super::diff::FormatArg,
) -> miette::Result<Outcome> {
    use super::diff::FormatArg;
    let out = match format {
        FormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(results, base.map(|b| b.0), files))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        FormatArg::Text => text(results, files),
        FormatArg::Sarif => {
            let mut list = notes_at(results, base);
            // `--base` names files from the repository root, SARIF from the current directory:
            // absolute paths say which file whatever the current directory
            if let Some((_, root)) = base {
                for n in &mut list {
                    if let Some(at) = &mut n.at
                        && !at.name.starts_with("arn:")
                    {
                        let (file, rest) =
                            at.name.split_at(at.name.find('#').unwrap_or(at.name.len()));
                        at.name = format!("{}{rest}", root.join(file).display());
                    }
                }
            }
            crate::report::sarif::render(
                &list,
                crate::report::sarif::simple_rules(super::diff::RULES),
            )
        }
        FormatArg::Github => crate::report::github::render(&notes_at(results, base)),
        FormatArg::Junit => crate::report::junit::per_note(&notes_at(results, base), "diff"),
    };
    super::simulate::print_out(&out);
    if results.iter().any(|r| r.diff.uncertain()) {
        return Err(miette!(
            help =
                "the unknown parts are listed above; simplify the construct or review it by hand",
            "the analysis could not decide every request, so an addition may be hidden"
        ));
    }
    Ok(if results.iter().any(|r| !r.diff.added.is_empty()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn located(mut v: Value, r: &UnitDiff) -> Value {
    v["path"] = json!(r.path);
    v["document"] = json!(r.document);
    v["policyType"] = json!(r.kind.map(kind_str));
    v
}

/// The documented JSON shape (see the module documentation).
pub fn to_json(results: &[UnitDiff], base: Option<&str>, files: &Files) -> Value {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut unknown = Vec::new();
    for r in results {
        let one = super::diff::to_json(&r.diff);
        for (list, key) in [
            (&mut added, "added"),
            (&mut removed, "removed"),
            (&mut unknown, "unknown"),
        ] {
            if let Some(a) = one[key].as_array() {
                list.extend(a.iter().map(|g| located(g.clone(), r)));
            }
        }
    }
    let mut v = json!({
        "added": added,
        "removed": removed,
        "unknown": unknown,
        "summary": {"added": added.len(), "removed": removed.len(), "unknown": unknown.len()},
        "files": {"compared": files.compared, "unchanged": files.unchanged, "skipped": files.skipped},
    });
    if let Some(b) = base {
        v["base"] = json!(b);
    }
    v
}

/// The notes of every result; with `--base`, a statement of a file read at the revision
/// (`REF:path`, a `.tf` module's) points at the file's path, as the revision's side of every
/// other file does.
fn notes_at(
    results: &[UnitDiff],
    base: Option<(&str, &std::path::Path)>,
) -> Vec<crate::report::note::Note> {
    let mut list = notes(results);
    if let Some((rev, _)) = base {
        let prefix = format!("{rev}:");
        for n in &mut list {
            if let Some(at) = &mut n.at
                && let Some(rest) = at.name.strip_prefix(&prefix)
            {
                at.name = rest.to_string();
            }
        }
    }
    list
}

fn notes(results: &[UnitDiff]) -> Vec<crate::report::note::Note> {
    let mut out = Vec::new();
    for r in results {
        let name = r.name();
        for mut n in super::diff::notes(&r.diff) {
            n.message = match r.kind {
                Some(k) => format!("`{name}` ({}): {}", kind_str(k), n.message),
                None => format!("`{name}`: {}", n.message),
            };
            out.push(n);
        }
    }
    out
}

fn text(results: &[UnitDiff], files: &Files) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut s = String::new();
    for r in results {
        s.push_str(&format!(
            "== {}{}: {} added, {} removed, {} unknown\n",
            r.name(),
            r.kind
                .map(|k| format!(" ({} policy)", kind_str(k)))
                .unwrap_or_default(),
            r.diff.added.len(),
            r.diff.removed.len(),
            r.diff.unknown.len()
        ));
        s.push_str(&crate::report::human::text(
            &super::diff::notes(&r.diff),
            100,
            color,
        ));
    }
    let count = |f: fn(&Diff) -> usize| results.iter().map(|r| f(&r.diff)).sum::<usize>();
    s.push_str(&format!(
        "{} added, {} removed, {} unknown ({} file{} compared, {} unchanged, {} skipped)\n",
        count(|d| d.added.len()),
        count(|d| d.removed.len()),
        count(|d| d.unknown.len()),
        files.compared.len(),
        if files.compared.len() == 1 { "" } else { "s" },
        files.unchanged,
        files.skipped
    ));
    s
}

/// `diff --base REF [PATHS...]`.
pub fn run_base(
    rev: &str,
    paths: &[PathBuf],
    no_ignore: bool,
    forced: Option<Kind>,
    (inputs, old_inputs): (&Inputs, Option<&Inputs>),
    format: super::diff::FormatArg,
    max_examples: usize,
) -> miette::Result<Outcome> {
    let repo = super::git::Repo::open(rev)?;
    // the scope, relative to the root ("" = the whole repository)
    let mut scope: Vec<String> = Vec::new();
    for p in paths {
        let Some(rel) = repo.relative(p) else {
            return Err(miette!(
                "`{}` is outside the git work tree `{}`",
                p.display(),
                repo.root.display()
            ));
        };
        scope.push(rel);
    }
    if scope.is_empty() {
        scope.push(String::new());
    }
    // a `.tf` file named is read as its folder's module, with the folder's variable
    // definitions files: those are in scope too (red team 25: a `terraform.tfvars` change
    // was missed when the `.tf` file was named)
    let mut vars_in_scope: Vec<String> = Vec::new();
    for rel in &scope {
        let lower = rel.to_ascii_lowercase();
        if !(lower.ends_with(".tf") || lower.ends_with(".tf.json")) {
            continue;
        }
        let folder = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let in_folder = |f: &str| f.rsplit_once('/').map_or("", |(d, _)| d) == folder;
        let mut names: Vec<String> = repo
            .files(std::slice::from_ref(&folder))?
            .into_iter()
            .filter(|f| in_folder(f))
            .collect();
        if let Ok(entries) = std::fs::read_dir(repo.root.join(&folder)) {
            for e in entries.flatten() {
                if let Some(n) = e.file_name().to_str() {
                    names.push(if folder.is_empty() {
                        n.to_string()
                    } else {
                        format!("{folder}/{n}")
                    });
                }
            }
        }
        for n in names {
            let base = n.rsplit('/').next().unwrap_or(&n);
            if crate::iac::terraform::hcl::is_vars_name(base) && !vars_in_scope.contains(&n) {
                vars_in_scope.push(n);
            }
        }
    }
    for v in vars_in_scope {
        if !scope.contains(&v) {
            scope.push(v);
        }
    }
    // the working tree: files the discovery walk finds, and files named explicitly
    let walk_opts = crate::discover::WalkOptions {
        no_ignore,
        exclude: Vec::new(),
    };
    let mut new_files: Vec<(String, bool)> = Vec::new();
    let mut skipped = 0usize;
    let mut missing: Vec<String> = Vec::new();
    for rel in &scope {
        let abs = repo.root.join(rel);
        if abs.is_dir() {
            for w in crate::discover::walk(&abs, &walk_opts) {
                match w {
                    crate::discover::Walked::Candidate(p) => {
                        if let Ok(r) = p.strip_prefix(&repo.root) {
                            let r = r.to_string_lossy().replace('\\', "/");
                            new_files.push((r, false));
                        }
                    }
                    // a variable definitions file is read with its folder's module: a change
                    // of it is a change of the module (red team 23)
                    crate::discover::Walked::Skipped(p, _)
                        if p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(crate::iac::terraform::hcl::is_vars_name) =>
                    {
                        if let Ok(r) = p.strip_prefix(&repo.root) {
                            let r = r.to_string_lossy().replace('\\', "/");
                            new_files.push((r, false));
                        }
                    }
                    crate::discover::Walked::Skipped(..) => skipped += 1,
                    crate::discover::Walked::Error(path, e) => {
                        return Err(miette!("cannot read `{path}`: {e}"));
                    }
                }
            }
        } else if abs.is_file() {
            new_files.push((rel.clone(), true));
        } else {
            missing.push(rel.clone());
        }
    }
    // A tracked file git reports changed is compared even where ignore rules leave it out of
    // the walk: git keeps tracking (and the pipeline deploying) a file that a `.gitignore` or
    // `.ignore` line names after the fact (<https://git-scm.com/docs/gitignore>: "files
    // already tracked by Git are not affected"), so one such line must not switch the gate
    // off (red team 23).
    let changed = repo.changed(&scope)?;
    for f in &changed {
        let name = f.rsplit('/').next().unwrap_or(f);
        if repo.root.join(f).is_file()
            && (crate::discover::candidate(std::path::Path::new(f))
                || crate::iac::terraform::hcl::is_vars_name(name))
        {
            new_files.push((f.clone(), false));
        }
    }
    new_files.sort();
    new_files.dedup_by(|a, b| a.0 == b.0);
    // the base: files of the commit in scope that the working tree no longer has (removed
    // or renamed)
    let base_files = repo.files(&scope)?;
    for m in &missing {
        let named = base_files
            .iter()
            .any(|f| f == m || f.starts_with(&format!("{m}/")));
        if !named {
            return Err(miette!(
                "`{m}` is neither in the working tree nor in `{rev}`"
            ));
        }
    }
    // a file the revision holds that git does not report as changed is skipped unread
    let base_set: std::collections::HashSet<&String> = base_files.iter().collect();
    let mut unchanged = 0usize;
    let mut all: Vec<(String, bool)> = Vec::new();
    // the template parameter values changed since `rev`: every template in scope is compared,
    // each side with its own values
    let old_inputs = old_inputs.unwrap_or(inputs);
    let params_changed =
        old_inputs.params != inputs.params || old_inputs.previous != inputs.previous;
    for (f, explicit) in &new_files {
        if base_set.contains(f) && !changed.contains(f) && !params_changed {
            unchanged += 1;
        } else {
            all.push((f.clone(), *explicit));
        }
    }
    for f in &base_files {
        let name = f.rsplit('/').next().unwrap_or(f);
        if !repo.root.join(f).exists()
            && (crate::discover::candidate(std::path::Path::new(f))
                || crate::iac::terraform::hcl::is_vars_name(name))
        {
            let explicit = scope.contains(f);
            all.push((f.clone(), explicit));
        }
    }
    all.sort();
    all.dedup_by(|a, b| a.0 == b.0);
    // a folder's `.tf` files are one module, compared as a whole (also when a file its
    // `file()` calls read changed); the files they read are compared as part of it
    let mut modules = super::diff_tf::take_folders(&mut all);
    // (every changed file counts there, not only policy-shaped ones: a `templatefile()`
    // template is `.tftpl`, `.tpl`, ...; and wherever it is in the repository, not only in
    // the PATHS given: a module in scope may read `../../shared/p.tftpl`, red team 28)
    let changed_anywhere = if scope.iter().all(|p| p.is_empty()) {
        changed.clone()
    } else {
        repo.changed(&[])?
    };
    let read_candidates: Vec<(String, bool)> = all
        .iter()
        .cloned()
        .chain(changed_anywhere.iter().map(|f| (f.clone(), false)))
        .collect();
    super::diff_tf::readers_of(
        &repo,
        &read_candidates,
        new_files.iter().map(|(f, _)| f),
        &mut modules,
    );
    super::diff_tf::callers_of(&repo, new_files.iter().map(|(f, _)| f), &mut modules);
    // with PATHS, a changed local module outside them still changes the modules in scope that
    // call it, directly or through other local modules (red team 29: `envs/prod` calling
    // `../../modules/iam`): those are compared, the outside folders themselves are not
    if !scope.iter().all(|p| p.is_empty()) {
        super::diff_tf::callers_outside(&repo, &changed_anywhere, &new_files, &mut modules)?;
    }
    // a changed child module is compared through the modules that call it (with the values
    // they give it), as `lint` reads it, not on its own with its variables unset (red team
    // 52: a required variable in `Action` made any change of it an error); a folder named
    // on the command line is still compared on its own
    let through_callers = super::diff_tf::called_folders(&repo, &modules, &scope);
    let mut compared: Vec<String> = Vec::new();
    for (folder, callers) in &through_callers {
        if let Some(files) = modules.remove(folder) {
            compared.extend(files);
        }
        eprintln!(
            "note: the Terraform module `{}` is compared through the modules that call it ({}); name its folder to compare it on its own",
            super::diff_tf::shown(folder),
            callers
                .iter()
                .map(|c| format!("`{}`", super::diff_tf::shown(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (module_list, read) =
        super::diff_tf::module_pairs(&repo, rev, &modules, (inputs, old_inputs))?;
    compared.extend(modules.into_values().flatten());
    all.retain(|(p, _)| {
        let used = read.contains(p);
        if used {
            compared.push(p.clone());
        }
        !used
    });
    let names: Vec<String> = all
        .iter()
        .filter(|(p, _)| base_set.contains(p))
        .map(|(p, _)| p.clone())
        .collect();
    let mut read = repo.contents(&names)?.into_iter();
    let old_bytes: Vec<Option<Vec<u8>>> = all
        .iter()
        .map(|(p, _)| {
            if base_set.contains(p) {
                read.next().flatten()
            } else {
                None
            }
        })
        .collect();
    let mut files = Files {
        skipped,
        unchanged,
        ..Files::default()
    };
    let mut list: Vec<Pair> = Vec::new();
    let mut results: Vec<UnitDiff> = Vec::new();
    for ((path, explicit), old) in all.iter().zip(old_bytes) {
        let new = match std::fs::read(repo.root.join(path)) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(miette!("cannot read `{path}`: {e}")),
        };
        if new == old && !params_changed {
            files.unchanged += 1;
            continue;
        }
        let new_units = match new {
            Some(b) => super::units::of_bytes(path, b, forced, inputs, (*explicit, true))?,
            None => FileUnits::Units(Vec::new()),
        };
        let old_units = match old {
            Some(b) => match super::units::of_bytes(path, b, forced, old_inputs, (false, false)) {
                Ok(u) => u,
                Err(e) => {
                    // what the base granted is not known: compare against nothing, so every
                    // grant of the new side counts as added
                    eprintln!(
                        "note: `{path}` at `{rev}` cannot be read, so all its policies count as added: {e}"
                    );
                    FileUnits::Units(Vec::new())
                }
            },
            None => FileUnits::Units(Vec::new()),
        };
        match (old_units, new_units) {
            (_, FileUnits::Unread(why)) | (FileUnits::Unread(why), FileUnits::Skip(_)) => {
                files.compared.push(path.clone());
                results.push(unread(path, &why));
            }
            (FileUnits::Skip(_), FileUnits::Skip(_)) => files.skipped += 1,
            // policies at the base, and now a file not read as a policy or template: what it
            // grants now is not known (red team 72: a template the sniffer missed read as "no
            // units", its old units "removed", exit 0)
            (FileUnits::Units(o), FileUnits::Skip(why)) if !o.is_empty() => {
                files.compared.push(path.clone());
                results.push(unread(
                    path,
                    &format!(
                        "a file that held policies at `{rev}` and is now read as no policy file or template ({why})"
                    ),
                ));
            }
            (o, n) => {
                let units = |f: FileUnits| match f {
                    FileUnits::Units(u) => u,
                    _ => Vec::new(),
                };
                files.compared.push(path.clone());
                list.extend(pairs(path, units(o), units(n)));
            }
        }
    }
    list.extend(module_list);
    moved_without_change(&mut list);
    files.compared.extend(compared);
    files.compared.sort();
    results.extend(diff_pairs(&list, max_examples)?);
    results.sort_by(|a, b| (&a.path, &a.document).cmp(&(&b.path, &b.document)));
    finish(&results, Some((rev, &repo.root)), &files, format)
}
