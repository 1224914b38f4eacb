//! The request space cut into finitely many classes, one witness request per combination.
//!
//! Dimensions and their classes:
//! - action: catalog actions (plus the literal actions the policies name that the catalog
//!   lacks) grouped by which action patterns match them: actions in one group are treated
//!   alike by every `Action`/`NotAction` element;
//! - resource: the atoms of the `Resource`/`NotResource` patterns of the statements that
//!   apply to the action ([`super::automaton`]);
//! - principal (resource and trust policies): every principal the policies name, a user, a
//!   role and a session of every account they name, a principal of an account none names,
//!   an unnamed service, anonymous ([`super::principals`]);
//! - each context key a condition of an applicable statement reads ([`super::keys`]).
//!
//! The evaluator decides every witness; nothing here decides access.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::automaton::{self, Pattern};
use super::keys::{self, KeyClass, KeyUse};
use super::{StatementRef, Unknown};
use crate::catalog;
use crate::eval::{Context, Principal, Request};
use crate::model::{Effect, Policy};

/// The most witness requests one action class may need before the analysis answers
/// `unknown` for it.
const MAX_COMBOS: u64 = 2_000_000;
/// The most product states one resource partition may explore.
const MAX_STATES: usize = 200_000;

/// A group of actions every action pattern treats alike.
#[derive(Clone, Debug)]
pub struct ActionClass {
    /// The action the witnesses use.
    pub rep: String,
    /// Every action of the group (catalog spelling; policy spelling for actions the catalog
    /// lacks), sorted.
    pub members: Vec<String>,
    /// Indices of the action patterns that match the group.
    sig: Vec<u32>,
}

/// One statement, as the search needs it.
#[derive(Clone, Debug)]
struct Stmt {
    side: usize,
    effect: Effect,
    action_ids: Vec<u32>,
    action_neg: bool,
    res_ids: Option<Vec<u32>>,
    keys: Vec<String>,
    at: StatementRef,
}

/// How witnesses are completed for the policy types analysed.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// The resource of every witness (a role trust policy's role), instead of the atoms.
    pub fixed_resource: Option<String>,
    /// `Request::resource_account` of every witness.
    pub resource_account: Option<String>,
    /// The principal candidates; `None` for identity-only sets (no caller needed).
    pub principals: Option<Vec<Principal>>,
    /// Context keys tied to the caller (lower-cased), and their classes for each candidate
    /// principal (same order as `principals`). These keys take only these classes.
    pub tied: Vec<(String, Vec<Vec<KeyClass>>)>,
}

/// Restrictions of a search (for `verify`).
#[derive(Clone, Debug, Default)]
pub struct Restrict {
    /// Only actions these patterns match.
    pub actions: Vec<String>,
    /// Only resources these ARN patterns match.
    pub resources: Vec<String>,
}

/// The partitioned request space of some policy sets ("sides").
pub struct Space {
    pub actions: Vec<ActionClass>,
    stmts: Vec<Stmt>,
    res_pats: Vec<(String, Pattern)>,
    keys: BTreeMap<String, (String, Result<Vec<KeyClass>, String>)>,
    frame: Frame,
    restrict_actions: Vec<u32>,
    restrict_res: Vec<u32>,
    /// Constructs the analysis does not decide exhaustively, found while building.
    pub unknowns: Vec<Unknown>,
    res_cache: HashMap<Vec<u32>, Rc<Vec<String>>>,
    /// Action pattern → the statements whose `Action`/`NotAction` lists it.
    pat_stmts: Vec<Vec<usize>>,
}

/// What the visitor wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Continue,
    NextClass,
    Stop,
}

fn stmt_ref(p: &Policy, s: &crate::model::Statement) -> StatementRef {
    StatementRef {
        file: p.source.name.to_string(),
        sid: s.sid.as_ref().map(|x| x.value.clone()),
        line: p.source.line_col(s.span.start).line,
        index: s.index,
        span: s.span,
        source: p.source.clone(),
    }
}

impl Space {
    /// Builds the space of the policies of every side (`sides[i]` lists the policies of side
    /// `i`, synthetic ones included).
    pub fn new(sides: &[Vec<&Policy>], frame: Frame, restrict: &Restrict) -> Space {
        let mut action_pats: Vec<String> = Vec::new();
        let mut res_pats: Vec<(String, Pattern)> = Vec::new();
        let mut key_uses: BTreeMap<String, Vec<KeyUse<'_>>> = BTreeMap::new();
        let mut key_names: BTreeMap<String, String> = BTreeMap::new();
        let mut var_values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut unknowns: Vec<Unknown> = Vec::new();
        let mut stmts = Vec::new();
        let mut a_index: HashMap<String, u32> = HashMap::new();
        let mut intern_a = |pats: &mut Vec<String>, p: &str| -> u32 {
            let l = p.to_ascii_lowercase();
            if let Some(&i) = a_index.get(&l) {
                return i;
            }
            pats.push(l.clone());
            let i = (pats.len() - 1) as u32;
            a_index.insert(l, i);
            i
        };
        let intern_r = |pats: &mut Vec<(String, Pattern)>, text: &str| -> Option<u32> {
            if let Some(i) = pats.iter().position(|x| x.0 == text) {
                return Some(i as u32);
            }
            let p = Pattern::arn(text)?;
            pats.push((text.to_string(), p));
            Some((pats.len() - 1) as u32)
        };
        for (side, policies) in sides.iter().enumerate() {
            for p in policies {
                let vars = p.variables_enabled();
                for s in &p.statements {
                    let at = stmt_ref(p, s);
                    let action_ids = s
                        .action
                        .items
                        .iter()
                        .map(|a| intern_a(&mut action_pats, &a.lower))
                        .collect();
                    let mut keys_here: Vec<String> = Vec::new();
                    let res_ids = s.resource.as_ref().map(|r| {
                        let mut ids = Vec::new();
                        for item in &r.items {
                            let text = if vars && item.value.contains("${") {
                                let (sub, found) = substitute(&item.value);
                                for k in found {
                                    keys_here.push(k.to_ascii_lowercase());
                                    key_names.entry(k.to_ascii_lowercase()).or_insert(k.clone());
                                    var_values
                                        .entry(k.to_ascii_lowercase())
                                        .or_default()
                                        .push(keys::FRESH.into());
                                    let reason = format!(
                                        "the policy variable `${{{k}}}` ties the resource to the context: the analysis tries the value `{}` and the values the conditions name, which is not proven exhaustive",
                                        keys::FRESH
                                    );
                                    push_unknown(&mut unknowns, reason, at.clone());
                                }
                                sub
                            } else {
                                item.value.clone()
                            };
                            if let Some(id) = intern_r(&mut res_pats, &text) {
                                ids.push(id);
                            }
                        }
                        ids
                    });
                    for c in &s.conditions {
                        keys_here.push(c.key_lower.clone());
                        key_names
                            .entry(c.key_lower.clone())
                            .or_insert(c.key.clone());
                        key_uses
                            .entry(c.key_lower.clone())
                            .or_default()
                            .push(KeyUse {
                                cond: c,
                                variables: vars,
                            });
                    }
                    keys_here.sort();
                    keys_here.dedup();
                    stmts.push(Stmt {
                        side,
                        effect: s.effect.value,
                        action_ids,
                        action_neg: s.action.negated,
                        res_ids,
                        keys: keys_here,
                        at,
                    });
                }
            }
        }
        let restrict_actions = restrict
            .actions
            .iter()
            .map(|a| intern_a(&mut action_pats, a))
            .collect();
        let restrict_res = restrict
            .resources
            .iter()
            .filter_map(|r| intern_r(&mut res_pats, r))
            .collect();
        let mut keys = BTreeMap::new();
        for (k, name) in &key_names {
            let uses = key_uses.remove(k).unwrap_or_default();
            let extra = var_values.get(k).cloned().unwrap_or_default();
            keys.insert(k.clone(), (name.clone(), keys::classes(&uses, &extra)));
        }
        // Only literal actions asked about: their classes alone (each literal forms a class of
        // its own, since its pattern matches nothing else), without grouping the catalog.
        let focus: Option<Vec<String>> = (!restrict.actions.is_empty()
            && restrict.actions.iter().all(|a| !a.contains(['*', '?'])))
        .then(|| {
            restrict
                .actions
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect()
        });
        let actions = match &focus {
            Some(f) => focused_classes(&action_pats, sides, f),
            None => action_classes(&action_pats, sides),
        };
        let mut pat_stmts: Vec<Vec<usize>> = vec![Vec::new(); action_pats.len()];
        for (n, st) in stmts.iter().enumerate() {
            for &i in &st.action_ids {
                let list = &mut pat_stmts[i as usize];
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
        Space {
            pat_stmts,
            actions,
            stmts,
            res_pats,
            keys,
            frame,
            restrict_actions,
            restrict_res,
            unknowns,
            res_cache: HashMap::new(),
        }
    }

    /// `Request::resource_account` of every witness.
    pub fn resource_account(&self) -> Option<&str> {
        self.frame.resource_account.as_deref()
    }

    /// The statements of `side` (as [`StatementRef`]s).
    pub fn statements(&self, side: usize) -> Vec<StatementRef> {
        self.stmts
            .iter()
            .filter(|s| s.side == side)
            .map(|s| s.at.clone())
            .collect()
    }

    /// The statements whose `Action`/`NotAction` element applies to the class.
    fn applying(&self, class: &ActionClass) -> Vec<usize> {
        let mut hit = vec![false; self.stmts.len()];
        for &p in &class.sig {
            for &n in &self.pat_stmts[p as usize] {
                hit[n] = true;
            }
        }
        (0..self.stmts.len())
            .filter(|&n| hit[n] != self.stmts[n].action_neg)
            .collect()
    }

    fn resources(&mut self, ids: Vec<u32>, service: &str) -> Result<Rc<Vec<String>>, String> {
        if let Some(r) = self.res_cache.get(&ids) {
            return Ok(r.clone());
        }
        // Restricted to literal ARNs: those are the only resources to try (each is the
        // witness of its own atom), no partition needed.
        if !self.restrict_res.is_empty()
            && self
                .restrict_res
                .iter()
                .all(|&i| !self.res_pats[i as usize].0.contains(['*', '?']))
        {
            let mut out: Vec<String> = self
                .restrict_res
                .iter()
                .map(|&i| self.res_pats[i as usize].0.clone())
                .collect();
            out.dedup();
            let out = Rc::new(out);
            self.res_cache.insert(ids, out.clone());
            return Ok(out);
        }
        let pats: Vec<Pattern> = ids
            .iter()
            .map(|&i| self.res_pats[i as usize].1.clone())
            .collect();
        let mut preferred: Vec<String> =
            vec![format!("arn:aws:{service}:us-east-1:111122223333:example")];
        preferred.extend(
            ids.iter()
                .filter(|&&i| self.res_pats[i as usize].0 != "*")
                .map(|&i| {
                    self.res_pats[i as usize]
                        .0
                        .replace('*', "example")
                        .replace('?', "x")
                }),
        );
        let atoms = automaton::atoms_preferring(&pats, 1, MAX_STATES, &preferred)
            .map_err(|_| "the resource patterns are too many to partition".to_string())?;
        let restricted: Vec<usize> = ids
            .iter()
            .enumerate()
            .filter(|(_, i)| self.restrict_res.contains(i))
            .map(|(n, _)| n)
            .collect();
        let out: Vec<String> = atoms
            .into_iter()
            .filter(|a| self.restrict_res.is_empty() || restricted.iter().any(|&n| a.accepts[n]))
            .map(|a| a.witness)
            .collect();
        let out = Rc::new(out);
        self.res_cache.insert(ids, out.clone());
        Ok(out)
    }

    /// Visits one witness request per combination of classes, action class by action class.
    /// With `target`, classes no `Allow` statement of that side applies to are skipped (no
    /// request in them can be allowed by it). Returns what it could not decide.
    pub fn search<E>(
        &mut self,
        target: Option<usize>,
        mut visit: impl FnMut(&ActionClass, &Request) -> Result<Step, E>,
    ) -> Result<Vec<Unknown>, E> {
        let mut unknowns: Vec<Unknown> = Vec::new();
        let classes = std::mem::take(&mut self.actions);
        let result = (|| {
            'class: for class in &classes {
                if !self.restrict_actions.is_empty()
                    && !self
                        .restrict_actions
                        .iter()
                        .any(|i| class.sig.binary_search(i).is_ok())
                {
                    continue;
                }
                let rel: Vec<usize> = self.applying(class);
                if let Some(t) = target {
                    if !rel
                        .iter()
                        .any(|&i| self.stmts[i].side == t && self.stmts[i].effect == Effect::Allow)
                    {
                        continue;
                    }
                }
                let at: Vec<StatementRef> = rel
                    .iter()
                    .filter(|&&i| target.is_none_or(|t| self.stmts[i].side == t))
                    .map(|&i| self.stmts[i].at.clone())
                    .collect();
                // resources
                let resources: Rc<Vec<String>> = match &self.frame.fixed_resource {
                    Some(r) => Rc::new(vec![r.clone()]),
                    None => {
                        let mut ids: Vec<u32> = rel
                            .iter()
                            .filter_map(|&i| self.stmts[i].res_ids.clone())
                            .flatten()
                            .chain(self.restrict_res.iter().copied())
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        let service = class.rep.split(':').next().unwrap_or("s3").to_string();
                        match self.resources(ids, &service) {
                            Ok(r) => r,
                            Err(reason) => {
                                push_unknown_all(&mut unknowns, reason, &at);
                                continue 'class;
                            }
                        }
                    }
                };
                // context keys
                let mut key_list: Vec<String> = rel
                    .iter()
                    .flat_map(|&i| self.stmts[i].keys.clone())
                    .collect();
                key_list.sort();
                key_list.dedup();
                let mut dims: Vec<(&str, &Vec<KeyClass>)> = Vec::new();
                for k in &key_list {
                    let Some((name, cls)) = self.keys.get(k) else {
                        continue;
                    };
                    match cls {
                        Ok(c) => dims.push((name.as_str(), c)),
                        Err(reason) => {
                            push_unknown_all(&mut unknowns, reason.clone(), &at);
                            continue 'class;
                        }
                    }
                }
                let principals: Vec<Option<Principal>> = match &self.frame.principals {
                    Some(p) => p.iter().cloned().map(Some).collect(),
                    None => vec![None],
                };
                let mut total: u64 =
                    (resources.len() as u64).saturating_mul(principals.len() as u64);
                for (_, c) in &dims {
                    total = total.saturating_mul(c.len() as u64);
                }
                if total > MAX_COMBOS {
                    push_unknown_all(
                        &mut unknowns,
                        format!(
                            "`{}` and its group need {total} witness requests (more than {MAX_COMBOS})",
                            class.rep
                        ),
                        &at,
                    );
                    continue;
                }
                for (pi, p) in principals.iter().enumerate() {
                    let mut all: Vec<(&str, &[KeyClass])> = dims
                        .iter()
                        .filter(|(n, _)| {
                            !self.frame.tied.iter().any(|t| t.0.eq_ignore_ascii_case(n))
                        })
                        .map(|(n, c)| (*n, c.as_slice()))
                        .collect();
                    for (k, per) in &self.frame.tied {
                        if !key_list.contains(&k.to_ascii_lowercase()) {
                            continue;
                        }
                        if let Some(c) = per.get(pi) {
                            all.push((k.as_str(), c.as_slice()));
                        }
                    }
                    let mut idx = vec![0usize; all.len()];
                    loop {
                        let mut ctx = Context::new();
                        for (d, &i) in all.iter().zip(&idx) {
                            if let Some(v) = &d.1[i] {
                                ctx.set(d.0, v.clone());
                            }
                        }
                        for r in resources.iter() {
                            let req = Request {
                                action: class.rep.clone(),
                                resource: r.clone(),
                                principal: p.clone(),
                                resource_account: self.frame.resource_account.clone(),
                                context: ctx.clone(),
                            };
                            match visit(class, &req)? {
                                Step::Continue => {}
                                Step::NextClass => continue 'class,
                                Step::Stop => break 'class,
                            }
                        }
                        // next combination (mixed radix)
                        let mut d = 0;
                        let done = loop {
                            if d == all.len() {
                                break true;
                            }
                            idx[d] += 1;
                            if idx[d] < all[d].1.len() {
                                break false;
                            }
                            idx[d] = 0;
                            d += 1;
                        };
                        if done {
                            break;
                        }
                    }
                }
            }
            Ok(())
        })();
        self.actions = classes;
        result.map(|()| unknowns)
    }
}

fn push_unknown(list: &mut Vec<Unknown>, reason: String, at: StatementRef) {
    match list.iter_mut().find(|u| u.reason == reason) {
        Some(u) => {
            if !u.statements.contains(&at) {
                u.statements.push(at);
            }
        }
        None => list.push(Unknown {
            reason,
            statements: vec![at],
        }),
    }
}

fn push_unknown_all(list: &mut Vec<Unknown>, reason: String, at: &[StatementRef]) {
    if at.is_empty() {
        if !list.iter().any(|u| u.reason == reason) {
            list.push(Unknown {
                reason,
                statements: Vec::new(),
            });
        }
        return;
    }
    for a in at {
        push_unknown(list, reason.clone(), a.clone());
    }
}

/// Replaces each policy variable by [`keys::FRESH`] (or its default), returning the keys read.
fn substitute(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(close) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return (out, keys);
        };
        let inner = &rest[i + 2..i + close];
        match inner {
            "*" | "?" | "$" => out.push_str(inner),
            _ => {
                let key = inner.split(',').next().unwrap_or(inner).trim();
                keys.push(key.to_string());
                out.push_str(keys::FRESH);
            }
        }
        rest = &rest[i + close + 1..];
    }
    out.push_str(rest);
    (out, keys)
}

/// Every catalog action as (lower-case name, catalog spelling), read once for the first
/// catalog asked about (the active one, in the CLI).
fn catalog_names(cat: &'static catalog::Catalog) -> std::borrow::Cow<'static, [(String, String)]> {
    type Names = (usize, Vec<(String, String)>);
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    let read = || -> Vec<(String, String)> {
        cat.actions()
            .map(|a| (a.lowercase_name().to_string(), a.full_name()))
            .collect()
    };
    let at = std::ptr::from_ref(cat) as usize;
    let cached = NAMES.get_or_init(|| (at, read()));
    if cached.0 == at {
        std::borrow::Cow::Borrowed(&cached.1)
    } else {
        std::borrow::Cow::Owned(read())
    }
}

/// The classes of the literal actions `focus` (lower case) only: those the catalog lists or a
/// policy names, each with the action patterns that match it. The same classes as
/// [`action_classes`] gives for them, since each is matched by its own literal pattern.
fn focused_classes(
    patterns: &[String],
    sides: &[Vec<&Policy>],
    focus: &[String],
) -> Vec<ActionClass> {
    let cat = catalog::active();
    let mut named: BTreeMap<String, String> = BTreeMap::new();
    for policies in sides {
        for p in policies {
            for s in &p.statements {
                for a in &s.action.items {
                    if !a.has_wildcard() && a.lower.contains(':') {
                        named.entry(a.lower.clone()).or_insert(a.text.clone());
                    }
                }
            }
        }
    }
    let compiled: Vec<Option<Pattern>> = patterns
        .iter()
        .map(|p| {
            p.contains(['*', '?'])
                .then(|| Pattern::string(p, true, true))
        })
        .collect();
    let mut out: Vec<ActionClass> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for l in focus {
        if seen.contains(&l.as_str()) {
            continue;
        }
        seen.push(l);
        let name = match cat.action(l) {
            Some(a) => a.full_name(),
            None => match named.get(l) {
                Some(t) => t.clone(),
                None => continue,
            },
        };
        let sig: Vec<u32> = patterns
            .iter()
            .zip(&compiled)
            .enumerate()
            .filter(|(_, (p, c))| match c {
                Some(g) => automaton::matches(g, l),
                None => *p == l,
            })
            .map(|(i, _)| i as u32)
            .collect();
        out.push(ActionClass {
            rep: name.clone(),
            members: vec![name],
            sig,
        });
    }
    out
}

/// Groups the catalog's actions (and the literal actions the policies name that the catalog
/// lacks) by the set of action patterns that match them.
fn action_classes(patterns: &[String], sides: &[Vec<&Policy>]) -> Vec<ActionClass> {
    let cat = catalog::active();
    let mut sig: HashMap<String, Vec<u32>> = HashMap::new();
    let mut extras: BTreeMap<String, String> = BTreeMap::new();
    for policies in sides {
        for p in policies {
            for s in &p.statements {
                for a in &s.action.items {
                    if !a.has_wildcard() && a.lower.contains(':') && cat.action(&a.lower).is_none()
                    {
                        extras.entry(a.lower.clone()).or_insert(a.text.clone());
                    }
                }
            }
        }
    }
    for (i, p) in patterns.iter().enumerate() {
        let i = i as u32;
        if p.contains(['*', '?']) {
            for a in cat.expand(p) {
                sig.entry(a.lowercase_name().to_string())
                    .or_default()
                    .push(i);
            }
            let g = Pattern::string(p, true, true);
            for e in extras.keys() {
                if automaton::matches(&g, e) {
                    sig.entry(e.clone()).or_default().push(i);
                }
            }
        } else {
            sig.entry(p.clone()).or_default().push(i);
        }
    }
    let mut groups: BTreeMap<Vec<u32>, Vec<String>> = BTreeMap::new();
    for (lower, full) in catalog_names(cat).iter() {
        let s = sig.remove(lower.as_str()).unwrap_or_default();
        groups.entry(s).or_default().push(full.clone());
    }
    for (l, text) in &extras {
        let s = sig.remove(l).unwrap_or_default();
        groups.entry(s).or_default().push(text.clone());
    }
    // A literal pattern that is neither a catalog action nor a valid extra (no `:`) still
    // needs no class: it matches nothing else.
    groups
        .into_iter()
        .map(|(mut sig, mut members)| {
            sig.sort_unstable();
            sig.dedup();
            members.sort();
            ActionClass {
                rep: members[0].clone(),
                members,
                sig,
            }
        })
        .collect()
}
