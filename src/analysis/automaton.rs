//! The atoms of the Boolean algebra that a finite set of `*`/`?` glob languages generates, each
//! with a witness string: a breadth-first walk over the product of the patterns' automata
//! (subset construction on the fly), over the characters the patterns name plus one character
//! they do not name (every such character behaves alike).
//!
//! ARN patterns are matched segment by segment by the evaluator (`arn:p:s:r:a:res`, the first
//! five colons split the text): as one language this is the glob with `*`/`?` unable to
//! cross `:` in the first five segments, which [`Tok`] expresses with `colon_ok`.

use std::collections::{HashSet, VecDeque};

use crate::catalog::{SeededMap, SeededSet};

/// One token of a compiled glob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A literal character; `ci`: ASCII case-insensitive.
    Char { c: char, ci: bool },
    /// `?`: one character (`:` only when `colon_ok`).
    One { colon_ok: bool },
    /// `*`: any run of characters (`:` only when `colon_ok`).
    Star { colon_ok: bool },
}

/// A compiled pattern: its tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Pattern(pub Vec<TokH>);

/// [`Tok`] with `Hash` (a newtype keeps `Tok` simple to match on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TokH {
    Char(char, bool),
    One(bool),
    Star(bool),
}

impl TokH {
    fn tok(self) -> Tok {
        match self {
            TokH::Char(c, ci) => Tok::Char { c, ci },
            TokH::One(colon_ok) => Tok::One { colon_ok },
            TokH::Star(colon_ok) => Tok::Star { colon_ok },
        }
    }
}

impl Pattern {
    /// A string glob (`StringLike`): `*` and `?` wildcards when `wildcards`, else literal.
    pub(crate) fn string(text: &str, wildcards: bool, ci: bool) -> Pattern {
        let mut v = Vec::new();
        for c in text.chars() {
            match c {
                '*' if wildcards => {
                    if v.last() != Some(&TokH::Star(true)) {
                        v.push(TokH::Star(true));
                    }
                }
                '?' if wildcards => v.push(TokH::One(true)),
                c => v.push(TokH::Char(c, ci)),
            }
        }
        Pattern(v)
    }

    /// An ARN pattern as the evaluator matches it: exactly `*` matches everything; otherwise
    /// six colon-separated segments, wildcards in the first five not crossing `:`. `None`
    /// when the text has fewer than five colons (the evaluator rejects it at compile time).
    pub(crate) fn arn(text: &str) -> Option<Pattern> {
        if text == "*" {
            return Some(Pattern(vec![TokH::Star(true)]));
        }
        (text.matches(':').count() >= 5).then(|| Pattern::arn_fields(text, 5))
    }

    /// A `Resource` / `NotResource` item as the evaluator matches it: as [`Pattern::arn`],
    /// and also an ARN with fewer than six fields whose last field ends in `*` (IAM
    /// `Resource` docs: "If the `*` wildcard is the last character of a resource ARN segment,
    /// it can expand to match beyond the colon boundaries"), whose last field matches the
    /// rest of the ARN, colons included (`arn:aws:ec2:*`). A short item's language here also
    /// holds texts with fewer than five colons, which the evaluator never matches, so a
    /// partition with one must also split on [`Pattern::arn_shape`].
    pub(crate) fn arn_resource(text: &str) -> Option<Pattern> {
        if let Some(p) = Pattern::arn(text) {
            return Some(p);
        }
        let colons = text.matches(':').count();
        (colons > 0 && text.ends_with('*')).then(|| Pattern::arn_fields(text, colons))
    }

    /// ARN text as tokens: wildcards before the `last`-th colon do not cross `:`, those
    /// after it (in the last field) do.
    fn arn_fields(text: &str, last: usize) -> Pattern {
        let mut v = Vec::new();
        let mut colons = 0;
        for c in text.chars() {
            let in_last = colons >= last;
            match c {
                '*' => {
                    if v.last() != Some(&TokH::Star(in_last)) {
                        v.push(TokH::Star(in_last));
                    }
                }
                '?' => v.push(TokH::One(in_last)),
                ':' => {
                    colons += 1;
                    v.push(TokH::Char(':', false));
                }
                c => v.push(TokH::Char(c, false)),
            }
        }
        Pattern(v)
    }

    /// The language of ARN-shaped texts (at least five colons): the evaluator's ARN
    /// operators cannot read anything else.
    pub(crate) fn arn_shape() -> Pattern {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(TokH::Star(false));
            v.push(TokH::Char(':', false));
        }
        v.push(TokH::Star(true));
        Pattern(v)
    }

    /// `self` followed by `text` as literal characters (a policy variable's value: the
    /// evaluator substitutes it as literal text, `*` and `?` included).
    pub(crate) fn then_literal(&self, text: &str) -> Pattern {
        let mut v = self.0.clone();
        v.extend(text.chars().map(|c| TokH::Char(c, false)));
        Pattern(v)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A language `before⁻¹ · L(pat) · after⁻¹`: the strings `s` such that `before + s + after`
/// matches `pat` (a glob quotiented by literal texts on both sides; with both empty, the
/// glob's own language).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Lang {
    pub pat: Pattern,
    pub before: String,
    pub after: String,
}

impl Lang {
    fn start(&self) -> Set {
        let mut s = start(&self.pat);
        for c in self.before.chars() {
            s = step(&self.pat, &s, c);
        }
        s
    }

    fn accepts(&self, s: &[u64]) -> bool {
        if self.after.is_empty() {
            return accepts(&self.pat, s);
        }
        let mut s = s.to_vec();
        for c in self.after.chars() {
            s = step(&self.pat, &s, c);
        }
        accepts(&self.pat, &s)
    }

    /// Whether the language is surely empty or every string (then it splits nothing).
    pub(crate) fn trivial(&self) -> bool {
        if self.start().iter().all(|w| *w == 0) {
            return true;
        }
        // `before` leaves the pattern at a final `*` that takes every character: full
        let s = self.start();
        let n = self.pat.len();
        n > 0
            && s[(n - 1) / 64] >> ((n - 1) % 64) & 1 == 1
            && matches!(self.pat.0[n - 1], TokH::Star(true))
    }
}

/// One atom: which patterns accept its strings, and one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Atom {
    pub accepts: Vec<bool>,
    pub witness: String,
}

/// The product walk gave up: too many states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// Bit set of NFA positions of one pattern.
type Set = Vec<u64>;

fn closure(p: &Pattern, set: &mut [u64]) {
    // ε-moves: a `*` may match nothing. Positions only move forward, so one pass suffices.
    for i in 0..p.len() {
        if set[i / 64] >> (i % 64) & 1 == 1 && matches!(p.0[i].tok(), Tok::Star { .. }) {
            let j = i + 1;
            set[j / 64] |= 1 << (j % 64);
        }
    }
}

fn start(p: &Pattern) -> Set {
    let mut s = vec![0u64; p.len() / 64 + 1];
    s[0] |= 1;
    closure(p, &mut s);
    s
}

fn step(p: &Pattern, from: &Set, c: char) -> Set {
    let mut out = vec![0u64; from.len()];
    step_into(p, from, &mut out, c);
    out
}

/// [`step`] into `out` (as long as `from`), without allocating.
fn step_into(p: &Pattern, from: &[u64], out: &mut [u64], c: char) {
    out.fill(0);
    for i in 0..p.len() {
        if from[i / 64] >> (i % 64) & 1 == 0 {
            continue;
        }
        let (stay, adv) = match p.0[i].tok() {
            Tok::Char { c: d, ci } => (false, d == c || (ci && d.eq_ignore_ascii_case(&c))),
            Tok::One { colon_ok } => (false, colon_ok || c != ':'),
            Tok::Star { colon_ok } => (colon_ok || c != ':', false),
        };
        if stay {
            out[i / 64] |= 1 << (i % 64);
        }
        if adv {
            let j = i + 1;
            out[j / 64] |= 1 << (j % 64);
        }
    }
    closure(p, out);
}

fn accepts(p: &Pattern, s: &[u64]) -> bool {
    let n = p.len();
    s[n / 64] >> (n % 64) & 1 == 1
}

/// Whether `p` matches `text` (used to place preferred witnesses).
pub(crate) fn matches(p: &Pattern, text: &str) -> bool {
    let mut s = start(p);
    for c in text.chars() {
        s = step(p, &s, c);
        if s.iter().all(|w| *w == 0) {
            return false;
        }
    }
    accepts(p, &s)
}

/// The alphabet: every character the patterns name (both cases for case-insensitive ones),
/// `:`, and one character no pattern names.
#[cfg(test)]
fn alphabet(patterns: &[Pattern]) -> Vec<char> {
    let refs: Vec<&Pattern> = patterns.iter().collect();
    alphabet_of(&refs)
}

/// [`alphabet`] of borrowed patterns.
fn alphabet_of(patterns: &[&Pattern]) -> Vec<char> {
    let mut chars: Vec<char> = Vec::new();
    for p in patterns {
        for t in &p.0 {
            if let TokH::Char(c, ci) = *t {
                chars.push(c);
                if ci {
                    chars.push(c.to_ascii_lowercase());
                    chars.push(c.to_ascii_uppercase());
                }
            }
        }
    }
    chars.push(':');
    chars.sort_unstable();
    chars.dedup();
    let fresh = "xyzqjkwvabcdefghilmnoprstu0123456789-_"
        .chars()
        .chain('\u{100}'..)
        .find(|c| !chars.contains(c))
        .unwrap_or('~');
    // the fresh character first: witnesses read `x…` rather than arbitrary characters
    let mut out = vec![fresh];
    out.extend(chars);
    out
}

/// The most 64-bit words the product states of one walk may hold, whatever `max_states`
/// allows: a state holds a word or more per pattern, so with thousands of patterns a state
/// budget alone let one walk take gigabytes and minutes (10,000 ARNs in one `Resource`).
/// 1 GiB; a walk that needs more is [`TooLarge`] (walks that fit, such as 10,000 account IDs
/// in one condition, keep their answer).
const MAX_WORDS: usize = 1 << 27;

/// Every non-empty atom (strings of length ≥ `min_len`) of the algebra the patterns generate,
/// with a shortest witness; at most `max_states` product states are explored.
#[cfg(test)]
pub(crate) fn atoms(
    patterns: &[Pattern],
    min_len: usize,
    max_states: usize,
) -> Result<Vec<Atom>, TooLarge> {
    let langs: Vec<Lang> = patterns
        .iter()
        .map(|p| Lang {
            pat: p.clone(),
            before: String::new(),
            after: String::new(),
        })
        .collect();
    lang_atoms(&langs, min_len, max_states)
}

/// [`atoms`] for quotient languages.
///
/// The product walk runs on bit masks: one product state is every language's position set,
/// one after the other, plus the length reached; a step on a character is two masks (the
/// positions that advance on it, the `*` positions that stay) and a shift, for every language
/// at once. States are interned in one arena (breadth-first order is arena order), and each
/// keeps its parent and character instead of its witness text. The result, witnesses and
/// order included, is that of the position-by-position walk ([`step`]); a test compares them.
#[cfg(test)]
pub(crate) fn lang_atoms(
    langs: &[Lang],
    min_len: usize,
    max_states: usize,
) -> Result<Vec<Atom>, TooLarge> {
    let prod = Product::new(langs);
    walk(langs, &prod, min_len, max_states)
}

fn walk(
    langs: &[Lang],
    prod: &Product,
    min_len: usize,
    max_states: usize,
) -> Result<Vec<Atom>, TooLarge> {
    let sigma = &prod.sigma;
    let words = prod.words;
    let stride = words + 1;
    let mut init: Vec<u64> = prod.init.clone();
    init.push(0);
    let mut arena = Arena::new(stride);
    arena.insert(&init, u32::MAX, '\0');
    // acceptance sets already met, as the index of their first state
    let mut found: SeededMap<Vec<bool>, u32> = SeededMap::default();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let mut acc: Vec<bool> = vec![false; langs.len()];
    let mut buf: Vec<u64> = vec![0; stride];
    let mut state: Vec<u64> = vec![0; stride];
    let mut live: Vec<u64> = vec![0; sigma.len().div_ceil(64)];
    let mut at = 0usize;
    while at < arena.len() {
        state.copy_from_slice(arena.get(at));
        let len = state[words] as usize;
        if len >= min_len {
            for (k, (l, r)) in langs.iter().zip(&prod.ranges).enumerate() {
                acc[k] = l.accepts(&state[r.clone()]);
            }
            if !found.contains_key(acc.as_slice()) {
                found.insert(acc.clone(), at as u32);
                order.push(acc.clone());
            }
        }
        // Only the characters that some live position tells apart from the fresh one (the
        // first) can lead anywhere new: any other character steps exactly as the fresh one
        // does, to the state the fresh one reached a moment earlier, which the walk skips as
        // found. Walking only these, in alphabet order, keeps the arena (states, order,
        // parents, characters) and the state budget exactly as they were.
        prod.live_chars(&state[..words], &mut live);
        for (m, &bits) in live.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let k = m * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let c = sigma[k];
                prod.step(k, &state[..words], &mut buf[..words]);
                buf[words] = (len + 1).min(min_len) as u64;
                if arena.find(&buf).is_some() {
                    continue;
                }
                if arena.len() >= max_states || (arena.len() + 1) * stride > MAX_WORDS {
                    return Err(TooLarge);
                }
                arena.insert(&buf, at as u32, c);
            }
        }
        at += 1;
    }
    Ok(order
        .into_iter()
        .map(|acc| {
            let witness = found.get(&acc).map_or_else(String::new, |&i| arena.path(i));
            Atom {
                accepts: acc,
                witness,
            }
        })
        .collect())
}

/// The masks of a product of patterns over an alphabet: bit `base + i` is position `i` of the
/// pattern whose positions start at word `base / 64`.
struct Product {
    /// The alphabet ([`alphabet`]).
    sigma: Vec<char>,
    /// Index in `sigma` of each ASCII character (`u16::MAX`: not in it).
    ascii: [u16; 128],
    /// The first state: every language's start (its `before` read).
    init: Vec<u64>,
    /// Words of one product state (without the length).
    words: usize,
    /// Each pattern's words.
    ranges: Vec<std::ops::Range<usize>>,
    /// Per character of the alphabet, `words` words: the positions that advance on it.
    adv: Vec<u64>,
    /// Per character, the `*` positions that take it and stay.
    stay: Vec<u64>,
    /// The `*` positions (ε-moves to the next position).
    star: Vec<u64>,
    /// Per position bit (`word * 64 + bit`), `apart[apart_at[b]..apart_at[b + 1]]`: the
    /// indices (ascending, never 0) of the characters that step differently from the fresh
    /// character (index 0) at that position (the literal itself, its other case, `:` for a
    /// wildcard that does not cross it).
    apart_at: Vec<u32>,
    apart: Vec<u32>,
}

impl Product {
    fn new(langs: &[Lang]) -> Product {
        let pats: Vec<&Pattern> = langs.iter().map(|l| &l.pat).collect();
        let sigma = alphabet_of(&pats);
        let mut ascii = [u16::MAX; 128];
        for (k, &c) in sigma.iter().enumerate() {
            if c.is_ascii() {
                ascii[c as usize] = k as u16;
            }
        }
        let mut init: Vec<u64> = Vec::new();
        for l in langs {
            init.extend(l.start());
        }
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(pats.len());
        let mut words = 0;
        for p in &pats {
            let n = p.len() / 64 + 1;
            ranges.push(words..words + n);
            words += n;
        }
        let mut adv = vec![0u64; words * sigma.len()];
        let mut stay = vec![0u64; words * sigma.len()];
        let mut star = vec![0u64; words];
        for (p, r) in pats.iter().zip(&ranges) {
            for (i, t) in p.0.iter().enumerate() {
                let (w, b) = (r.start + i / 64, 1u64 << (i % 64));
                if let TokH::Star(_) = t {
                    star[w] |= b;
                }
                for (k, &c) in sigma.iter().enumerate() {
                    let (st, ad) = match t.tok() {
                        Tok::Char { c: d, ci } => {
                            (false, d == c || (ci && d.eq_ignore_ascii_case(&c)))
                        }
                        Tok::One { colon_ok } => (false, colon_ok || c != ':'),
                        Tok::Star { colon_ok } => (colon_ok || c != ':', false),
                    };
                    if st {
                        stay[k * words + w] |= b;
                    }
                    if ad {
                        adv[k * words + w] |= b;
                    }
                }
            }
        }
        // (counted, then filled, in ascending character order)
        let apart_of =
            |k: usize, w: usize| (adv[k * words + w] ^ adv[w]) | (stay[k * words + w] ^ stay[w]);
        let mut apart_at = vec![0u32; words * 64 + 1];
        for k in 1..sigma.len() {
            for w in 0..words {
                let mut d = apart_of(k, w);
                while d != 0 {
                    apart_at[w * 64 + d.trailing_zeros() as usize + 1] += 1;
                    d &= d - 1;
                }
            }
        }
        for b in 1..apart_at.len() {
            apart_at[b] += apart_at[b - 1];
        }
        let mut fill: Vec<u32> = apart_at[..words * 64].to_vec();
        let mut apart = vec![0u32; apart_at[words * 64] as usize];
        for k in 1..sigma.len() {
            for w in 0..words {
                let mut d = apart_of(k, w);
                while d != 0 {
                    let b = w * 64 + d.trailing_zeros() as usize;
                    apart[fill[b] as usize] = k as u32;
                    fill[b] += 1;
                    d &= d - 1;
                }
            }
        }
        Product {
            sigma,
            ascii,
            init,
            words,
            ranges,
            adv,
            stay,
            star,
            apart_at,
            apart,
        }
    }

    /// The characters (a bit per alphabet index) that `from`'s positions tell apart from the
    /// fresh character, and the fresh character itself: from `from`, every other character
    /// steps to the state the fresh one steps to.
    fn live_chars(&self, from: &[u64], live: &mut [u64]) {
        live.fill(0);
        live[0] = 1;
        for (w, &x) in from.iter().enumerate() {
            let mut x = x;
            while x != 0 {
                let b = w * 64 + x.trailing_zeros() as usize;
                x &= x - 1;
                let (lo, hi) = (self.apart_at[b] as usize, self.apart_at[b + 1] as usize);
                for &k in &self.apart[lo..hi] {
                    live[k as usize / 64] |= 1 << (k % 64);
                }
            }
        }
    }

    /// The index in the alphabet of a character that behaves as `c` does: `c`'s own, or
    /// the fresh character's (the first) for a character no pattern names (it equals no
    /// literal, in either case for a case-insensitive one, and is not `:`).
    fn index(&self, c: char) -> usize {
        let k = if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.sigma
                .iter()
                .position(|&d| d == c)
                .map_or(u16::MAX, |k| k as u16)
        };
        if k == u16::MAX { 0 } else { k as usize }
    }

    /// Which languages accept `text`.
    fn accepts_text(&self, langs: &[Lang], text: &str) -> Vec<bool> {
        let mut s = self.init.clone();
        let mut t = vec![0u64; self.words];
        for c in text.chars() {
            self.step(self.index(c), &s, &mut t);
            std::mem::swap(&mut s, &mut t);
        }
        langs
            .iter()
            .zip(&self.ranges)
            .map(|(l, r)| l.accepts(&s[r.clone()]))
            .collect()
    }

    /// One step on the `k`-th character of the alphabet, `*` closure included. A position
    /// moves at most to its pattern's final position (no token there advances), so shifts
    /// never carry into the next pattern's words.
    fn step(&self, k: usize, from: &[u64], out: &mut [u64]) {
        let adv = &self.adv[k * self.words..(k + 1) * self.words];
        let stay = &self.stay[k * self.words..(k + 1) * self.words];
        let mut carry = 0u64;
        for w in 0..self.words {
            let a = from[w] & adv[w];
            out[w] = (from[w] & stay[w]) | (a << 1) | carry;
            carry = a >> 63;
        }
        // ε-moves, forward only: one pass over the words, repeated within a word for runs
        // of `*`
        let mut carry = 0u64;
        for (w, o) in out.iter_mut().enumerate() {
            let star = self.star[w];
            let mut x = *o | carry;
            loop {
                let y = x | ((x & star) << 1);
                if y == x {
                    break;
                }
                x = y;
            }
            *o = x;
            carry = (x & star) >> 63;
        }
    }
}

/// Product states interned in one arena, in insertion order, with an open-addressing index.
struct Arena {
    stride: usize,
    states: Vec<u64>,
    parent: Vec<u32>,
    chars: Vec<char>,
    /// Indices into the arena (`u32::MAX`: empty); a power of two long.
    table: Vec<u32>,
}

impl Arena {
    fn new(stride: usize) -> Arena {
        Arena {
            stride,
            states: Vec::new(),
            parent: Vec::new(),
            chars: Vec::new(),
            table: vec![u32::MAX; 64],
        }
    }

    fn len(&self) -> usize {
        self.parent.len()
    }

    fn get(&self, i: usize) -> &[u64] {
        &self.states[i * self.stride..(i + 1) * self.stride]
    }

    fn hash(state: &[u64]) -> usize {
        let mut h: u64 = 0;
        for &w in state {
            h = (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        (h ^ (h >> 29)) as usize
    }

    fn find(&self, state: &[u64]) -> Option<usize> {
        let mask = self.table.len() - 1;
        let mut slot = Self::hash(state) & mask;
        loop {
            let i = self.table[slot];
            if i == u32::MAX {
                return None;
            }
            if self.get(i as usize) == state {
                return Some(i as usize);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds a state not yet in the arena.
    fn insert(&mut self, state: &[u64], parent: u32, c: char) {
        if (self.len() + 1) * 2 > self.table.len() {
            let mut table = vec![u32::MAX; self.table.len() * 2];
            let mask = table.len() - 1;
            for i in 0..self.len() {
                let mut slot = Self::hash(self.get(i)) & mask;
                while table[slot] != u32::MAX {
                    slot = (slot + 1) & mask;
                }
                table[slot] = i as u32;
            }
            self.table = table;
        }
        let i = self.len() as u32;
        self.states.extend_from_slice(state);
        self.parent.push(parent);
        self.chars.push(c);
        let mask = self.table.len() - 1;
        let mut slot = Self::hash(state) & mask;
        while self.table[slot] != u32::MAX {
            slot = (slot + 1) & mask;
        }
        self.table[slot] = i;
    }

    /// The characters from the first state to state `i`.
    fn path(&self, mut i: u32) -> String {
        let mut cs: Vec<char> = Vec::new();
        while self.parent[i as usize] != u32::MAX {
            cs.push(self.chars[i as usize]);
            i = self.parent[i as usize];
        }
        cs.iter().rev().collect()
    }
}

/// The walk [`lang_atoms`] replaced, position by position with a hash set of owned states
/// and a witness text per state: the reference the tests compare it with.
#[cfg(test)]
pub(crate) fn lang_atoms_reference(
    langs: &[Lang],
    min_len: usize,
    max_states: usize,
) -> Result<Vec<Atom>, TooLarge> {
    let pats: Vec<Pattern> = langs.iter().map(|l| l.pat.clone()).collect();
    let sigma = alphabet(&pats);
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::with_capacity(pats.len());
    let mut words = 0;
    for p in &pats {
        let n = p.len() / 64 + 1;
        ranges.push(words..words + n);
        words += n;
    }
    let mut init: Vec<u64> = Vec::with_capacity(words + 1);
    for l in langs {
        init.extend(l.start());
    }
    init.push(0);
    let mut seen: SeededSet<Vec<u64>> = SeededSet::default();
    let mut queue = VecDeque::new();
    seen.insert(init.clone());
    queue.push_back((init, String::new()));
    let mut found: SeededMap<Vec<bool>, String> = SeededMap::default();
    let mut order = Vec::new();
    let mut buf: Vec<u64> = vec![0; words + 1];
    while let Some((state, w)) = queue.pop_front() {
        let len = state[words] as usize;
        if len >= min_len {
            let acc: Vec<bool> = langs
                .iter()
                .zip(&ranges)
                .map(|(l, r)| l.accepts(&state[r.clone()]))
                .collect();
            if !found.contains_key(&acc) {
                found.insert(acc.clone(), w.clone());
                order.push(acc);
            }
        }
        for &c in &sigma {
            for (p, r) in pats.iter().zip(&ranges) {
                step_into(p, &state[r.clone()], &mut buf[r.clone()], c);
            }
            buf[words] = (len + 1).min(min_len) as u64;
            if seen.contains(buf.as_slice()) {
                continue;
            }
            if seen.len() >= max_states {
                return Err(TooLarge);
            }
            seen.insert(buf.clone());
            let mut nw = w.clone();
            nw.push(c);
            queue.push_back((buf.clone(), nw));
        }
    }
    Ok(order
        .into_iter()
        .map(|acc| {
            let witness = found.remove(&acc).unwrap_or_default();
            Atom {
                accepts: acc,
                witness,
            }
        })
        .collect())
}

/// Whether `text` lies in the quotient language.
#[cfg(test)]
pub(crate) fn lang_matches(l: &Lang, text: &str) -> bool {
    let mut s = l.start();
    for c in text.chars() {
        s = step(&l.pat, &s, c);
    }
    l.accepts(&s)
}

/// A shortest string both `a` and `b` match (`None`: none, or the walk gave up), from the
/// atoms of the two languages.
pub(crate) fn meet(a: &Pattern, b: &Pattern) -> Option<String> {
    atoms_preferring(&[a.clone(), b.clone()], 0, 20_000, &[])
        .ok()?
        .into_iter()
        .find(|x| x.accepts == [true, true])
        .map(|x| x.witness)
}

/// The atoms, each witness replaced by the first preferred text that lies in the same atom
/// (texts that read like real values: a pattern with its wildcards filled in).
pub(crate) fn atoms_preferring(
    patterns: &[Pattern],
    min_len: usize,
    max_states: usize,
    preferred: &[String],
) -> Result<Vec<Atom>, TooLarge> {
    let langs: Vec<Lang> = patterns
        .iter()
        .map(|p| Lang {
            pat: p.clone(),
            before: String::new(),
            after: String::new(),
        })
        .collect();
    lang_atoms_preferring(&langs, min_len, max_states, preferred)
}

/// [`atoms_preferring`] for quotient languages.
pub(crate) fn lang_atoms_preferring(
    langs: &[Lang],
    min_len: usize,
    max_states: usize,
    preferred: &[String],
) -> Result<Vec<Atom>, TooLarge> {
    // Memoised for the process: the rules of a document, and documents alike, ask for the
    // same partitions again (`lint` on the benchmark directory: 572 walks, 137 distinct). The
    // key is the whole input (policy text: the seeded hash); the answer is a pure function of
    // it. Bounded; a poisoned lock only skips the memo.
    type Key = (Vec<Lang>, usize, usize, Vec<String>);
    type Memo = SeededMap<Key, Result<Vec<Atom>, TooLarge>>;
    static MEMO: std::sync::OnceLock<std::sync::Mutex<Memo>> = std::sync::OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key: Key = (langs.to_vec(), min_len, max_states, preferred.to_vec());
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let answer = lang_atoms_preferring_uncached(langs, min_len, max_states, preferred);
    if let Ok(mut m) = memo.lock() {
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(key, answer.clone());
    }
    answer
}

fn lang_atoms_preferring_uncached(
    langs: &[Lang],
    min_len: usize,
    max_states: usize,
    preferred: &[String],
) -> Result<Vec<Atom>, TooLarge> {
    let prod = Product::new(langs);
    let mut atoms = walk(langs, &prod, min_len, max_states)?;
    let mut placed = vec![false; atoms.len()];
    for text in preferred {
        if text.chars().count() < min_len {
            continue;
        }
        let acc: Vec<bool> = prod.accepts_text(langs, text);
        if let Some(i) = atoms.iter().position(|a| a.accepts == acc) {
            if !placed[i] {
                placed[i] = true;
                atoms[i].witness = text.clone();
            }
        }
    }
    Ok(atoms)
}

/// A regular language given by a small deterministic automaton over an explicit alphabet: the
/// universe an inclusion test ranges over (every role ARN of an account, every action name).
pub(crate) struct Universe<'a> {
    /// Every character a string of the universe may hold.
    pub alphabet: &'a [char],
    /// The states are `0..states`; `0` is the start.
    pub states: u8,
    /// The next state, `None` when the character leaves the universe.
    pub next: &'a dyn Fn(u8, char) -> Option<u8>,
    pub accepting: &'a dyn Fn(u8) -> bool,
}

/// A string of `prefix · L(universe)` that none of `patterns` matches (`None`: every string
/// of it is matched by one of them, i.e. the universe is included in their union), found by a
/// breadth-first walk over the product of the universe and the patterns' automata. Exact:
/// characters that neither the patterns name nor the universe tells apart behave alike, so
/// one of each kind is walked.
pub(crate) fn uncovered(
    patterns: &[Pattern],
    prefix: &str,
    u: &Universe<'_>,
    max_states: usize,
) -> Result<Option<String>, TooLarge> {
    let mut named: HashSet<char> = HashSet::new();
    named.insert(':');
    for p in patterns {
        for t in &p.0 {
            if let TokH::Char(c, ci) = *t {
                named.insert(c);
                if ci {
                    named.insert(c.to_ascii_lowercase());
                    named.insert(c.to_ascii_uppercase());
                }
            }
        }
    }
    let mut sigma: Vec<char> = Vec::new();
    let mut kinds: HashSet<Vec<Option<u8>>> = HashSet::new();
    for &c in u.alphabet {
        let kind: Vec<Option<u8>> = (0..u.states).map(|s| (u.next)(s, c)).collect();
        if named.contains(&c) || kinds.insert(kind) {
            sigma.push(c);
        }
    }
    let ranges: Vec<std::ops::Range<usize>> = {
        let mut v = Vec::with_capacity(patterns.len());
        let mut words = 0;
        for p in patterns {
            let n = p.len() / 64 + 1;
            v.push(words..words + n);
            words += n;
        }
        v
    };
    let words = ranges.last().map_or(0, |r| r.end);
    // the patterns' positions as bit masks ([`Product`]: the same steps as [`step_into`],
    // every pattern at once), each after `prefix`
    let langs: Vec<Lang> = patterns
        .iter()
        .map(|p| Lang {
            pat: p.clone(),
            before: prefix.to_string(),
            after: String::new(),
        })
        .collect();
    let prod = Product::new(&langs);
    debug_assert_eq!(prod.words, words);
    // (a character no pattern names steps as the product's fresh character)
    let at: Vec<usize> = sigma.iter().map(|&c| prod.index(c)).collect();
    let mut init: Vec<u64> = prod.init.clone();
    init.push(0);
    let mut seen: SeededSet<Vec<u64>> = SeededSet::default();
    let mut queue = VecDeque::new();
    seen.insert(init.clone());
    queue.push_back((init, String::new()));
    let mut buf: Vec<u64> = vec![0; words + 1];
    while let Some((state, w)) = queue.pop_front() {
        let us = state[words] as u8;
        if (u.accepting)(us)
            && !patterns
                .iter()
                .zip(&ranges)
                .any(|(p, r)| accepts(p, &state[r.clone()]))
        {
            return Ok(Some(format!("{prefix}{w}")));
        }
        for (&c, &k) in sigma.iter().zip(&at) {
            let Some(next) = (u.next)(us, c) else {
                continue;
            };
            prod.step(k, &state[..words], &mut buf[..words]);
            buf[words] = u64::from(next);
            if seen.contains(buf.as_slice()) {
                continue;
            }
            if seen.len() >= max_states || (seen.len() + 1) * (words + 1) > MAX_WORDS {
                return Err(TooLarge);
            }
            seen.insert(buf.clone());
            let mut nw = w.clone();
            nw.push(c);
            queue.push_back((buf.clone(), nw));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(p: &str) -> Pattern {
        Pattern::string(p, true, false)
    }

    #[test]
    fn matching_agrees_with_glob_semantics() {
        assert!(matches(&s("a*c"), "abbc"));
        assert!(!matches(&s("a*c"), "acb"));
        assert!(matches(&s("a?c"), "abc"));
        assert!(matches(&Pattern::string("ABC", false, true), "abc"));
        let arn = Pattern::arn("arn:aws:s3:::b/*").unwrap();
        assert!(matches(&arn, "arn:aws:s3:::b/x:y"));
        // IAM docs (ArnLike): the first five parts are matched separately
        let p = Pattern::arn("arn:aws:someservice:*:111122223333:finance/*").unwrap();
        assert!(!matches(
            &p,
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        ));
    }

    #[test]
    fn atoms_partition_the_space() {
        let ps = vec![s("a*"), s("*b"), s("ab")];
        let atoms = atoms(&ps, 0, 10_000).unwrap();
        // every witness lies in its atom, and atoms are distinct
        for a in &atoms {
            let acc: Vec<bool> = ps.iter().map(|p| matches(p, &a.witness)).collect();
            assert_eq!(acc, a.accepts, "{}", a.witness);
        }
        // atoms: none, a* only, *b only, a*∩*b not ab (e.g. "axb"), ab
        assert_eq!(atoms.len(), 5);
    }

    /// A pattern from a drawn text: a string glob (case-sensitive or not) or an ARN pattern.
    fn drawn(kind: u8, text: &str) -> Pattern {
        match kind % 3 {
            0 => Pattern::string(text, true, false),
            1 => Pattern::string(text, true, true),
            _ => Pattern::arn_resource(text).unwrap_or_else(|| Pattern::string(text, true, false)),
        }
    }

    fn langs_of(drawn_pats: &[(u8, String, String, String)]) -> Vec<Lang> {
        drawn_pats
            .iter()
            .map(|(k, t, b, a)| Lang {
                pat: drawn(*k, t),
                before: b.clone(),
                after: a.clone(),
            })
            .collect()
    }

    #[test]
    fn bit_mask_walk_equals_the_reference_on_long_patterns() {
        // positions past 64 and 128: shifts carry between words of one pattern, never into
        // the next pattern's
        let long = format!("arn:aws:s3:::{}*", "ab".repeat(60));
        let star_run = format!("{}*?*x", "a".repeat(63));
        let langs = langs_of(&[
            (2, long.clone(), String::new(), String::new()),
            (0, star_run, String::new(), String::new()),
            (1, "A*b".into(), "a".into(), "B".into()),
            (2, "arn:aws:s3:::*".into(), String::new(), String::new()),
            (2, "arn:aws:ec2:*".into(), String::new(), String::new()),
        ]);
        for min_len in [0, 1] {
            assert_eq!(
                lang_atoms(&langs, min_len, 200_000),
                lang_atoms_reference(&langs, min_len, 200_000)
            );
        }
        let preferred = vec![long.replace('*', "example"), "Aqb".to_string()];
        let a = lang_atoms_preferring(&langs, 1, 200_000, &preferred).unwrap();
        for text in &preferred {
            let acc: Vec<bool> = langs.iter().map(|l| lang_matches(l, text)).collect();
            assert!(
                a.iter().any(|x| x.accepts == acc && x.witness == *text),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        /// The bit-mask walk finds the same atoms, in the same order, with the same witnesses,
        /// and gives up at the same state budget as the position-by-position walk.
        #[test]
        fn bit_mask_walk_equals_the_reference(
            pats in proptest::collection::vec(
                (0u8..3, "[aAb*?:/]{0,12}", "[aAb:]{0,2}", "[ab:]{0,2}"),
                1..5,
            ),
            min_len in 0usize..2,
            budget in 1usize..200,
            texts in proptest::collection::vec("[aAbc:/é]{0,10}", 0..4),
        ) {
            let langs = langs_of(&pats);
            proptest::prop_assert_eq!(
                lang_atoms(&langs, min_len, 100_000),
                lang_atoms_reference(&langs, min_len, 100_000)
            );
            proptest::prop_assert_eq!(
                lang_atoms(&langs, min_len, budget),
                lang_atoms_reference(&langs, min_len, budget)
            );
            // the preferred witnesses are placed in the atom the position-by-position
            // matching puts them in
            if let Ok(atoms) = lang_atoms_preferring(&langs, min_len, 100_000, &texts) {
                for t in texts.iter().filter(|t| t.chars().count() >= min_len) {
                    let acc: Vec<bool> = langs.iter().map(|l| lang_matches(l, t)).collect();
                    let prod = Product::new(&langs);
                    proptest::prop_assert_eq!(&prod.accepts_text(&langs, t), &acc);
                    proptest::prop_assert!(atoms.iter().any(|a| a.accepts == acc));
                }
            }
        }

        /// Every string of the sampled ones lies in some atom found by the walk.
        #[test]
        fn every_string_falls_in_a_found_atom(p1 in "[ab*?:]{0,5}", p2 in "[ab*?:]{0,5}", t in "[abc:]{0,8}") {
            let ps = vec![s(&p1), s(&p2)];
            let atoms = atoms(&ps, 0, 100_000).unwrap();
            let acc: Vec<bool> = ps.iter().map(|p| matches(p, &t)).collect();
            proptest::prop_assert!(atoms.iter().any(|a| a.accepts == acc));
        }
    }
}
