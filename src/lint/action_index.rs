//! Catalog actions by their dense catalog index ([`crate::catalog::Action::index`]), for the
//! rules that ask, per action of a large set, which statements of a policy cover it (the risk
//! categories, the escalation rules). A statement's `Action`/`NotAction` items are expanded
//! once per policy into sorted ranges of indices, so that "does this statement cover the
//! action" is a binary search instead of a glob match per item (and the same for "which item").
//!
//! For a catalog action, [`crate::lint::util::glob_match`] of an item and membership in the
//! item's [`crate::catalog::Catalog::expand`] are the same question (the expansion is the
//! glob over the catalog's names): the tests below check it over the whole catalog.

use std::rc::Rc;
use std::sync::OnceLock;

use crate::model::{Policy, Statement};

/// The number of catalog actions (indices are below it).
pub fn count() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| crate::catalog::active().actions().count())
}

/// The catalog's lower-case names, by index, and the index of each name; made once.
struct Names {
    names: Vec<&'static str>,
    index: std::collections::HashMap<&'static str, u32, crate::catalog::FxBuild>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let names: Vec<&'static str> = crate::catalog::active()
            .actions()
            .map(|a| a.lowercase_name())
            .collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, i as u32))
            .collect();
        Names { names, index }
    })
}

/// The lower-case name of the action at `index` ("" past the end).
pub fn name(index: u32) -> &'static str {
    names().names.get(index as usize).copied().unwrap_or("")
}

/// The index of the catalog action whose lower-case name is exactly `lower` (a name in
/// another case is not one: it is matched as text, as [`crate::lint::util::statement_covers`]
/// matches it). For the rules' own lists and catalog names (the table's hash is unkeyed, and
/// its keys are the catalog's own names).
pub fn index_of(lower: &str) -> Option<u32> {
    names().index.get(lower).copied()
}

/// Per catalog action, its access level when it supports resource-level permissions
/// (`None`: it takes only `"Resource": "*"`); made once.
pub fn resource_level(index: u32) -> Option<crate::catalog::AccessLevel> {
    static LEVELS: OnceLock<Vec<Option<crate::catalog::AccessLevel>>> = OnceLock::new();
    LEVELS
        .get_or_init(|| {
            crate::catalog::active()
                .actions()
                .map(|a| a.supports_resource_level().then(|| a.access_level()))
                .collect()
        })
        .get(index as usize)
        .copied()
        .flatten()
}

/// A set of catalog actions, one bit per index.
#[derive(Clone)]
pub struct Bits(Vec<u64>);

impl Default for Bits {
    fn default() -> Self {
        Self::new()
    }
}

impl Bits {
    /// The empty set.
    pub fn new() -> Bits {
        Bits(vec![0; count().div_ceil(64)])
    }

    /// Whether `index` is in the set.
    #[inline]
    pub fn has(&self, index: u32) -> bool {
        self.0
            .get((index / 64) as usize)
            .is_some_and(|w| (w >> (index % 64)) & 1 == 1)
    }

    /// Adds `index`; whether it was not in the set yet.
    #[inline]
    pub fn insert(&mut self, index: u32) -> bool {
        match self.0.get_mut((index / 64) as usize) {
            Some(w) => {
                let m = 1u64 << (index % 64);
                let new = *w & m == 0;
                *w |= m;
                new
            }
            None => false,
        }
    }

    /// Removes `index`.
    #[inline]
    pub fn remove(&mut self, index: u32) {
        if let Some(w) = self.0.get_mut((index / 64) as usize) {
            *w &= !(1u64 << (index % 64));
        }
    }

    /// Inserts each index of `lo..=hi` that is in `among` and not yet in the set, pushing it
    /// to `out` in ascending order: `for a in lo..=hi { if among.has(a) && self.insert(a) {
    /// out.push(a) } }`, a word at a time.
    pub fn insert_range_among(&mut self, lo: u32, hi: u32, among: &Bits, out: &mut Vec<u32>) {
        if lo > hi {
            return;
        }
        let (first, last) = ((lo / 64) as usize, (hi / 64) as usize);
        for w in first..=last.min(self.0.len().saturating_sub(1)) {
            let mut mask = !0u64;
            if w == first {
                mask &= !0u64 << (lo % 64);
            }
            if w == last {
                mask &= !0u64 >> (63 - hi % 64);
            }
            let Some(&m) = among.0.get(w) else { break };
            let mut new = m & mask & !self.0[w];
            self.0[w] |= new;
            while new != 0 {
                let b = new.trailing_zeros();
                out.push(w as u32 * 64 + b);
                new &= new - 1;
            }
        }
    }
}

/// The catalog actions at `level` that support resource-level permissions
/// ([`resource_level`]), as one set; made once per level.
pub fn of_resource_level(level: crate::catalog::AccessLevel) -> &'static Bits {
    static SETS: OnceLock<Vec<(crate::catalog::AccessLevel, Bits)>> = OnceLock::new();
    static NONE: OnceLock<Bits> = OnceLock::new();
    let sets = SETS.get_or_init(|| {
        use crate::catalog::AccessLevel;
        [AccessLevel::Write, AccessLevel::PermissionsManagement]
            .into_iter()
            .map(|l| {
                let mut b = Bits::new();
                for i in 0..count() as u32 {
                    if resource_level(i) == Some(l) {
                        b.insert(i);
                    }
                }
                (l, b)
            })
            .collect()
    });
    match sets.iter().find(|(l, _)| *l == level) {
        Some((_, b)) => b,
        None => NONE.get_or_init(|| {
            let mut b = Bits::new();
            for i in 0..count() as u32 {
                if resource_level(i) == Some(level) {
                    b.insert(i);
                }
            }
            b
        }),
    }
}

/// Runs `f` with an empty [`Bits`] that `f` must leave empty again ([`Bits::remove`] what it
/// inserted): one set per thread, reused (a fresh set is a few kilobytes to zero per call).
pub fn with_scratch<R>(f: impl FnOnce(&mut Bits) -> R) -> R {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Option<Bits>> = const { std::cell::RefCell::new(None) };
    }
    SCRATCH.with(|c| match c.try_borrow_mut() {
        Ok(mut b) => f(b.get_or_insert_with(Bits::new)),
        // (in use further up the stack)
        Err(_) => f(&mut Bits::new()),
    })
}

/// Sorted, disjoint, non-adjacent inclusive ranges of catalog indices: an expansion is mostly
/// runs (`s3:Get*` and `s3:*` are one run each, as the catalog sorts actions by service and
/// name; `*` is one run), so a set of a statement's actions stays a handful of ranges.
type Ranges = Rc<[(u32, u32)]>;

fn ranges_of(sorted: impl IntoIterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for i in sorted {
        match out.last_mut() {
            Some((_, hi)) if i <= hi.saturating_add(1) => *hi = (*hi).max(i),
            _ => out.push((i, i)),
        }
    }
    out
}

#[inline]
fn ranges_have(r: &[(u32, u32)], index: u32) -> bool {
    match r {
        [] => false,
        [(lo, hi)] => *lo <= index && index <= *hi,
        _ => {
            let k = r.partition_point(|&(_, hi)| hi < index);
            r.get(k).is_some_and(|&(lo, _)| lo <= index)
        }
    }
}

/// The catalog indices an action pattern (lower case) matches, as [`Ranges`], with the
/// pattern (shared); memoised per thread (keyed by policy text: the seeded hash).
fn pattern_ranges(pattern_lower: &str) -> (Rc<str>, Ranges) {
    thread_local! {
        static MEMO: std::cell::RefCell<crate::catalog::SeededMap<Rc<str>, Ranges>> =
            std::cell::RefCell::new(Default::default());
    }
    if let Some(v) = MEMO.with(|m| {
        m.borrow()
            .get_key_value(pattern_lower)
            .map(|(k, v)| (k.clone(), v.clone()))
    }) {
        return v;
    }
    // a literal matches the one catalog action of that name, if any (the expansion is the
    // glob over the catalog's lower-case names): no expansion to make or keep
    let v: Ranges = if pattern_lower.contains(['*', '?']) {
        ranges_of(
            crate::lint::util::expand_cached(pattern_lower)
                .iter()
                .map(|a| a.index()),
        )
        .into()
    } else {
        ranges_of(index_of(pattern_lower)).into()
    };
    let k: Rc<str> = pattern_lower.into();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(k.clone(), v.clone());
    });
    (k, v)
}

/// One statement's `Action`/`NotAction` block as catalog indices.
pub struct StatementActions {
    negated: bool,
    /// Per item, its lower-case text and the actions it matches.
    items: Vec<(Rc<str>, Ranges)>,
    /// The union of the items' actions.
    any: Vec<(u32, u32)>,
}

impl StatementActions {
    fn new(s: &Statement) -> StatementActions {
        let items: Vec<(Rc<str>, Ranges)> = s
            .action
            .items
            .iter()
            .map(|p| pattern_ranges(&p.lower))
            .collect();
        let any = match &items[..] {
            [(_, one)] => one.to_vec(),
            _ => {
                let mut all: Vec<(u32, u32)> =
                    items.iter().flat_map(|(_, r)| r.iter().copied()).collect();
                all.sort_unstable();
                let mut out: Vec<(u32, u32)> = Vec::with_capacity(all.len());
                for (lo, hi) in all {
                    match out.last_mut() {
                        Some((_, h)) if lo <= h.saturating_add(1) => *h = (*h).max(hi),
                        _ => out.push((lo, hi)),
                    }
                }
                out
            }
        };
        StatementActions {
            negated: s.action.negated,
            items,
            any,
        }
    }

    /// Built from this block.
    fn same_block(&self, s: &Statement) -> bool {
        self.negated == s.action.negated
            && self.items.len() == s.action.items.len()
            && self
                .items
                .iter()
                .zip(&s.action.items)
                .all(|((a, _), b)| **a == *b.lower)
    }

    /// The actions `Action` item `j` matches, as ascending inclusive ranges of indices
    /// (empty past the last item).
    pub fn item_ranges(&self, j: usize) -> &[(u32, u32)] {
        self.items.get(j).map_or(&[], |(_, r)| &r[..])
    }

    /// [`crate::lint::util::statement_covers`] for the catalog action at `index`.
    #[inline]
    pub fn covers(&self, index: u32) -> bool {
        ranges_have(&self.any, index) != self.negated
    }

    /// [`crate::lint::util::statement_covers`] and [`crate::lint::util::matching_pattern`] at
    /// once: the first `Action` item that matches the catalog action at `index`, or the number
    /// of items for a `NotAction` that covers it; `None` when the statement does not cover it.
    #[inline]
    pub fn item(&self, index: u32) -> Option<usize> {
        let any = ranges_have(&self.any, index);
        if self.negated {
            return (!any).then_some(self.items.len());
        }
        if !any {
            return None;
        }
        self.items.iter().position(|(_, r)| ranges_have(r, index))
    }
}

/// A policy's statements as [`StatementActions`].
pub struct PolicyActions {
    pub statements: Vec<StatementActions>,
}

impl PolicyActions {
    /// [`crate::lint::util::statement_covers`] of statement `k` (`s`) of the policy these are
    /// of, for the action `lower` whose catalog index is `index` ([`index_of`]): a search in
    /// the statement's ranges for a catalog action, the glob match otherwise.
    #[inline]
    pub fn covers(&self, k: usize, s: &Statement, lower: &str, index: Option<u32>) -> bool {
        match (index, self.statements.get(k)) {
            (Some(i), Some(t)) => t.covers(i),
            _ => crate::lint::util::statement_covers(s, lower),
        }
    }

    /// Whether some statement of `policy` (the policy these are of) with `effect` covers the
    /// action `lower` ([`PolicyActions::covers`]).
    pub fn some_covers(
        &self,
        policy: &Policy,
        effect: crate::model::Effect,
        lower: &str,
        index: Option<u32>,
    ) -> bool {
        policy
            .statements
            .iter()
            .enumerate()
            .any(|(k, s)| s.effect.value == effect && self.covers(k, s, lower, index))
    }

    /// The actions some statement of `policy` (the policy these are of) with `effect` covers,
    /// as one set: [`PolicyActions::some_covers`] for many actions, the statements' ranges
    /// merged once instead of searched per action.
    pub fn effect_cover(&self, policy: &Policy, effect: crate::model::Effect) -> EffectCover {
        let mut all: Vec<(u32, u32)> = Vec::new();
        let n = count() as u32;
        for (t, s) in self.statements.iter().zip(&policy.statements) {
            if s.effect.value != effect {
                continue;
            }
            if !t.negated {
                all.extend_from_slice(&t.any);
                continue;
            }
            // `NotAction`: every catalog index outside the block's
            let mut from = 0u32;
            for &(lo, hi) in &t.any {
                if lo > from {
                    all.push((from, lo - 1));
                }
                from = hi.saturating_add(1);
            }
            if from < n {
                all.push((from, n - 1));
            }
        }
        all.sort_unstable();
        let mut union: Vec<(u32, u32)> = Vec::with_capacity(all.len());
        for (lo, hi) in all {
            match union.last_mut() {
                Some((_, h)) if lo <= h.saturating_add(1) => *h = (*h).max(hi),
                _ => union.push((lo, hi)),
            }
        }
        EffectCover {
            effect,
            union,
            whole: self.statements.len() == policy.statements.len(),
        }
    }

    fn same_blocks(&self, policy: &Policy) -> bool {
        self.statements.len() == policy.statements.len()
            && self
                .statements
                .iter()
                .zip(&policy.statements)
                .all(|(t, s)| t.same_block(s))
    }
}

/// [`PolicyActions::effect_cover`]: the catalog actions some statement of one effect covers.
pub struct EffectCover {
    effect: crate::model::Effect,
    union: Vec<(u32, u32)>,
    /// The table had a block for every statement (else [`EffectCover::covers`] asks
    /// [`PolicyActions::some_covers`]'s fallback, the glob match, for every action).
    whole: bool,
}

impl EffectCover {
    /// [`PolicyActions::some_covers`] of the policy this was made for and its effect.
    #[inline]
    pub fn covers(&self, policy: &Policy, lower: &str, index: Option<u32>) -> bool {
        match index {
            Some(i) if self.whole => ranges_have(&self.union, i),
            _ => policy.statements.iter().any(|s| {
                s.effect.value == self.effect && crate::lint::util::statement_covers(s, lower)
            }),
        }
    }
}

/// The policy's statements as [`StatementActions`], in statement order. Memoised per thread
/// for the last few policies (the rules of one policy run one after another): an entry is
/// used only for a policy whose `Action`/`NotAction` blocks are the same text, so it can never
/// answer for another document.
pub fn of_policy(policy: &Policy) -> Rc<PolicyActions> {
    thread_local! {
        static MEMO: std::cell::RefCell<Vec<Rc<PolicyActions>>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    // (newest first: the rules of one policy run one after another)
    if let Some(hit) = MEMO.with(|m| {
        m.borrow()
            .iter()
            .rev()
            .find(|e| e.same_blocks(policy))
            .cloned()
    }) {
        return hit;
    }
    let built = Rc::new(PolicyActions {
        statements: policy
            .statements
            .iter()
            .map(StatementActions::new)
            .collect(),
    });
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 8 {
            m.remove(0);
        }
        m.push(built.clone());
    });
    built
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Membership in an item's expansion is `glob_match` on the catalog's names, for every
    /// catalog action and patterns of each shape (literal, service wildcard, wildcards across
    /// the colon, `?`, no colon, two colons, upper case, empty).
    #[test]
    fn expansion_membership_is_glob_match() {
        let patterns = [
            "s3:getobject",
            "s3:get*",
            "s3:*object?",
            "s3:*",
            "*",
            "*:*",
            "*:get*",
            "ec2:describe*",
            "iam:*policy*",
            "s?:*",
            "s3*:list*",
            "*object",
            "s3:getobject:*",
            "",
            "iam:passrole",
            "?am:pass*",
            "nosuchservice:*",
            "s3:nosuchaction",
        ];
        let cat = crate::catalog::active();
        for p in patterns {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["nope:x", "{p}"], "Resource": "*"}}, {{"Effect": "Allow", "NotAction": "{p}", "Resource": "*"}}]}}"#
            );
            let source = crate::source::Source::new("p.json", text.as_str());
            let policy = crate::parse::parse_policy(&source).unwrap();
            let table = of_policy(&policy);
            for a in cat.actions() {
                let name = a.lowercase_name();
                for (s, t) in policy.statements.iter().zip(&table.statements) {
                    assert_eq!(
                        t.covers(a.index()),
                        crate::lint::util::statement_covers(s, name),
                        "{p} {name}"
                    );
                    let want = if s.action.negated {
                        crate::lint::util::statement_covers(s, name).then_some(1)
                    } else {
                        s.action
                            .items
                            .iter()
                            .position(|i| crate::lint::util::glob_match(&i.lower, name))
                    };
                    assert_eq!(t.item(a.index()), want, "{p} {name}");
                }
            }
        }
    }

    #[test]
    fn insert_range_among_is_the_loop() {
        let mut among = Bits::new();
        for i in [0u32, 3, 63, 64, 65, 127, 128, 200, 255, 256] {
            among.insert(i);
        }
        for (lo, hi) in [
            (0, 0),
            (0, 300),
            (3, 3),
            (4, 62),
            (63, 64),
            (64, 200),
            (1, 0),
            (129, 255),
        ] {
            for pre in [None, Some(64u32), Some(200)] {
                let mut a = Bits::new();
                let mut b = Bits::new();
                if let Some(p) = pre {
                    a.insert(p);
                    b.insert(p);
                }
                let mut want = Vec::new();
                for i in lo..=hi {
                    if among.has(i) && a.insert(i) {
                        want.push(i);
                    }
                }
                let mut got = Vec::new();
                b.insert_range_among(lo, hi, &among, &mut got);
                assert_eq!(got, want, "{lo} {hi} {pre:?}");
                assert!((0..400).all(|i| a.has(i) == b.has(i)));
            }
        }
    }

    #[test]
    fn ranges_hold_exactly_their_indices() {
        let sets: [&[u32]; 5] = [
            &[],
            &[4],
            &[1, 2, 3, 7, 9, 10],
            &[0, 5, 6, 64, 65, 200],
            &[3, 4],
        ];
        for set in sets {
            let r = ranges_of(set.iter().copied());
            assert!(r.windows(2).all(|w| w[0].1 + 1 < w[1].0), "{r:?}");
            for i in 0..300 {
                assert_eq!(ranges_have(&r, i), set.contains(&i), "{set:?} {i}");
            }
        }
    }
}
