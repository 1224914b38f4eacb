//! The atoms of the Boolean algebra that a finite set of `*`/`?` glob languages generates, each
//! with a witness string: a breadth-first walk over the product of the patterns' automata
//! (subset construction on the fly), over the characters the patterns name plus one character
//! they do not name (every such character behaves alike).
//!
//! ARN patterns are matched segment by segment by the evaluator (`arn:p:s:r:a:res`, the first
//! five colons split the text): as one language this is the glob with `*`/`?` unable to
//! cross `:` in the first five segments, which [`Tok`] expresses with `colon_ok`.

use std::collections::{HashMap, HashSet, VecDeque};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
fn alphabet(patterns: &[Pattern]) -> Vec<char> {
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
pub(crate) fn lang_atoms(
    langs: &[Lang],
    min_len: usize,
    max_states: usize,
) -> Result<Vec<Atom>, TooLarge> {
    let pats: Vec<Pattern> = langs.iter().map(|l| l.pat.clone()).collect();
    let sigma = alphabet(&pats);
    // one product state: every language's position set, one after the other, then the
    // length reached (capped at `min_len`)
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
    let mut seen: HashSet<Vec<u64>> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(init.clone());
    queue.push_back((init, String::new()));
    let mut found: HashMap<Vec<bool>, String> = HashMap::new();
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
pub(crate) fn lang_matches(l: &Lang, text: &str) -> bool {
    let mut s = l.start();
    for c in text.chars() {
        s = step(&l.pat, &s, c);
    }
    l.accepts(&s)
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
    let mut atoms = lang_atoms(langs, min_len, max_states)?;
    let mut placed = vec![false; atoms.len()];
    for text in preferred {
        if text.chars().count() < min_len {
            continue;
        }
        let acc: Vec<bool> = langs.iter().map(|l| lang_matches(l, text)).collect();
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
    let mut init: Vec<u64> = Vec::with_capacity(words + 1);
    for p in patterns {
        let mut s = start(p);
        for c in prefix.chars() {
            s = step(p, &s, c);
        }
        init.extend(s);
    }
    init.push(0);
    let mut seen: HashSet<Vec<u64>> = HashSet::new();
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
        for &c in &sigma {
            let Some(next) = (u.next)(us, c) else {
                continue;
            };
            for (p, r) in patterns.iter().zip(&ranges) {
                step_into(p, &state[r.clone()], &mut buf[r.clone()], c);
            }
            buf[words] = u64::from(next);
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

    proptest::proptest! {
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
