//! Matching an ARN, or an ARN pattern from a policy's `Resource`, against the ARN formats of
//! the catalog's resource types (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`).
//!
//! A format's placeholder stands for one or more characters:
//! - followed by `:` it may not contain `:` (a `${LogGroupName}` may contain `/`);
//! - followed by anything else it may contain neither `:` nor `/` (`${BucketName}/...`);
//! - at the end of the format it may contain `/` but not `:` (`${RoleNameWithPath}`), except
//!   that an object key (a name with `Object` or `Key` in it, `${ObjectName}`) may contain
//!   anything, and `${BucketName}`, `${Partition}`, `${Region}` and `${Account}` never hold a
//!   `/`;
//! - a CloudWatch Logs `log-group:${LogGroupName}` format also accepts the `:*` suffix that
//!   log-group ARNs carry (`arn:aws:logs:...:log-group:/ecs/app:*`).
//!
//! A `*` in a format stands for any run of characters, or, followed by `:`, for one whole
//! field (`arn:${Partition}:braket:*:*:device/...`).
//!
//! In the ARN that is matched, `*` stands for any run of characters, `?` for one, and a policy
//! variable (`${aws:username}`) for any run of characters. The two match when at least one
//! concrete ARN fits both, so `arn:aws:s3:::my-bucket/*` matches the `object` format and not
//! the `bucket` one, and `*` matches every format.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// any character
    Any,
    /// anything but `:`
    NoColon,
    /// anything but `:` and `/`
    Segment,
}

impl Class {
    fn allows(self, c: u8) -> bool {
        match self {
            Class::Any => true,
            Class::NoColon => c != b':',
            Class::Segment => c != b':' && c != b'/',
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// one literal byte
    Lit(u8),
    /// one byte of a class
    One(Class),
    /// zero or more bytes of a class
    Star(Class),
}

const NO_SLASH_NAMES: &[&str] = &["bucketname", "partition", "region", "account"];

fn format_tokens(format: &str) -> Vec<Tok> {
    let b = format.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            if let Some(j) = b[i..].iter().position(|&c| c == b'}') {
                let name = format[i + 2..i + j].to_ascii_lowercase();
                let next = b.get(i + j + 1).copied();
                let class = match next {
                    None if NO_SLASH_NAMES.contains(&name.as_str()) => Class::Segment,
                    None if name.contains("object") || name.contains("key") => Class::Any,
                    None => Class::NoColon,
                    Some(b':') => Class::NoColon,
                    Some(_) => Class::Segment,
                };
                out.push(Tok::One(class));
                out.push(Tok::Star(class));
                i += j + 1;
                continue;
            }
        }
        out.push(match b[i] {
            // a `*` standing for a whole field (`arn:${Partition}:braket:*:*:device/...`)
            // cannot reach into the next one
            b'*' if b.get(i + 1) == Some(&b':') => Tok::Star(Class::NoColon),
            b'*' => Tok::Star(Class::Any),
            c => Tok::Lit(c),
        });
        i += 1;
    }
    out
}

fn pattern_tokens(pattern: &str) -> Vec<Tok> {
    let b = pattern.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
            if let Some(j) = b[i..].iter().position(|&c| c == b'}') {
                out.push(Tok::Star(Class::Any));
                i += j + 1;
                continue;
            }
        }
        out.push(match b[i] {
            b'*' => Tok::Star(Class::Any),
            b'?' => Tok::One(Class::Any),
            c => Tok::Lit(c),
        });
        i += 1;
    }
    out
}

/// Whether one character can satisfy both single-character tokens.
fn chars_meet(a: Tok, b: Tok) -> bool {
    match (a, b) {
        (Tok::Lit(x), Tok::Lit(y)) => x == y,
        (Tok::Lit(x), Tok::One(c)) | (Tok::One(c), Tok::Lit(x)) => c.allows(x),
        (Tok::One(_), Tok::One(_)) => true,
        _ => false,
    }
}

/// Whether a star of class `c` can absorb the single-character token `t`.
fn star_eats(c: Class, t: Tok) -> bool {
    match t {
        Tok::Lit(x) => c.allows(x),
        Tok::One(_) => true,
        Tok::Star(_) => false,
    }
}

/// Whether some string matches both token lists.
fn intersects(a: &[Tok], b: &[Tok]) -> bool {
    let w = b.len() + 1;
    let mut seen = vec![false; (a.len() + 1) * w];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let k = i * w + j;
        if seen[k] {
            continue;
        }
        seen[k] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        let ta = a.get(i).copied();
        let tb = b.get(j).copied();
        if let Some(Tok::Star(ca)) = ta {
            stack.push((i + 1, j));
            if let Some(t) = tb {
                if star_eats(ca, t) {
                    stack.push((i, j + 1));
                }
            }
        }
        if let Some(Tok::Star(cb)) = tb {
            stack.push((i, j + 1));
            if let Some(t) = ta {
                if star_eats(cb, t) {
                    stack.push((i + 1, j));
                }
            }
        }
        if let (Some(x), Some(y)) = (ta, tb) {
            if chars_meet(x, y) {
                stack.push((i + 1, j + 1));
            }
        }
    }
    false
}

/// The part of `s` after its fifth `:` (an ARN's resource field), if it has one.
fn resource_field(s: &str) -> Option<&str> {
    let at = s.bytes().enumerate().filter(|&(_, b)| b == b':').nth(4)?.0;
    s.get(at + 1..)
}

/// Whether an ARN or ARN pattern (`*`, `?`, policy variables) can denote a resource of the
/// given ARN format. To match one ARN against many formats, prepare it once with
/// [`Pattern`] and compile each format once with [`Format`] (as the catalog does).
pub fn arn_matches_format(arn: &str, format: &str) -> bool {
    Pattern::new(arn).matches(&Format::new(format))
}

/// An ARN format compiled once (a catalog keeps one per format).
#[derive(Debug)]
pub struct Format {
    /// The literal start of the resource field (up to a placeholder or `*`), when the format
    /// has a resource field.
    literal: Option<Box<[u8]>>,
    tokens: Vec<Tok>,
    /// The tokens with the `:*` suffix of log-group ARNs, for `log-group:${LogGroupName}`.
    log_group: Option<Vec<Tok>>,
}

impl Format {
    pub fn new(format: &str) -> Format {
        let literal = resource_field(format).map(|fr| {
            let l = fr.find("${").map_or(fr, |i| &fr[..i]);
            let l = l.find('*').map_or(l, |i| &l[..i]);
            Box::from(l.as_bytes())
        });
        let tokens = format_tokens(format);
        let log_group = format.ends_with(":log-group:${LogGroupName}").then(|| {
            let mut t = tokens.clone();
            t.extend([Tok::Lit(b':'), Tok::Lit(b'*')]);
            t
        });
        Format {
            literal,
            tokens,
            log_group,
        }
    }
}

/// An ARN or ARN pattern prepared once for matching against many formats.
pub struct Pattern<'a> {
    arn: &'a str,
    /// The resource field, when the fields before it hold no wildcard or variable (so they
    /// line up with a format's).
    aligned_resource: Option<&'a [u8]>,
    tokens: std::cell::OnceCell<Vec<Tok>>,
}

impl<'a> Pattern<'a> {
    pub fn new(arn: &'a str) -> Pattern<'a> {
        let aligned_resource = resource_field(arn)
            .filter(|ar| !arn[..arn.len() - ar.len()].contains(['*', '?', '$']))
            .map(str::as_bytes);
        Pattern {
            arn,
            aligned_resource,
            tokens: std::cell::OnceCell::new(),
        }
    }

    /// Whether the pattern can denote a resource of `format`.
    pub fn matches(&self, format: &Format) -> bool {
        !self.ruled_out(format) && self.meets(format)
    }

    /// A cheap test that rules out most non-matching formats before the full match: the
    /// ARN's fields must line up with the format's (no wildcard or variable before the
    /// resource field), and its resource field must then agree with the literal text the
    /// format's resource field starts with (`function:` in `function:${FunctionName}`).
    fn ruled_out(&self, format: &Format) -> bool {
        match (self.aligned_resource, format.literal.as_deref()) {
            (Some(a), Some(l)) => !literal_agrees(a, l),
            _ => false,
        }
    }

    /// The full match: concrete ARNs (optionally ending in `*`) by [`fast_meets`], anything
    /// else by the general intersection.
    fn meets(&self, format: &Format) -> bool {
        let meets = |f: &[Tok]| match fast_meets(f, self.arn) {
            Some(hit) => hit,
            None => intersects(f, self.tokens.get_or_init(|| pattern_tokens(self.arn))),
        };
        meets(&format.tokens) || format.log_group.as_deref().is_some_and(meets)
    }
}

/// Whether an ARN's resource field `a` can start with a format's literal `l`.
fn literal_agrees(a: &[u8], l: &[u8]) -> bool {
    for (i, &c) in l.iter().enumerate() {
        match a.get(i) {
            None => return false,
            Some(b'*' | b'$') => return true,
            Some(b'?') => {}
            Some(&x) if x != c => return false,
            Some(_) => {}
        }
    }
    true
}

/// Whether the literal `s` (or, with `prefix`, some string starting with `s`) matches the
/// format tokens `f`; `None` when `budget` steps were not enough.
fn backtrack(mut f: &[Tok], mut s: &[u8], prefix: bool, budget: &mut u32) -> Option<bool> {
    // single-character tokens advance in this loop; only a star recurses (one step of the
    // budget per token either way)
    loop {
        *budget = budget.checked_sub(1)?;
        let Some((&t, rest)) = f.split_first() else {
            return Some(s.is_empty());
        };
        if s.is_empty() && prefix {
            // every remaining token can be satisfied by what follows the `*`
            return Some(true);
        }
        match t {
            Tok::Lit(c) => match s.split_first() {
                Some((&b, tail)) if b == c => (f, s) = (rest, tail),
                _ => return Some(false),
            },
            Tok::One(cl) => match s.split_first() {
                Some((&b, tail)) if cl.allows(b) => (f, s) = (rest, tail),
                _ => return Some(false),
            },
            Tok::Star(cl) => {
                // when a literal follows the star, only the places that hold it can end the
                // star's run (elsewhere `rest` fails on its first byte)
                let next = match rest.first() {
                    Some(&Tok::Lit(c)) => Some(c),
                    _ => None,
                };
                let mut k = 0;
                loop {
                    let may_end_here = match (next, s.get(k)) {
                        (Some(c), Some(&b)) => b == c,
                        _ => true,
                    };
                    if may_end_here && backtrack(rest, &s[k..], prefix, budget)? {
                        return Some(true);
                    }
                    match s.get(k) {
                        Some(&b) if cl.allows(b) => k += 1,
                        _ => return Some(false),
                    }
                }
            }
        }
    }
}

/// A set of positions in a format's token list (at most 256 tokens).
#[derive(Clone, Copy, Default)]
struct States([u64; 4]);

impl States {
    fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn add(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }
}

impl States {
    /// The positions in the set, ascending (positions added above the current one while
    /// iterating are seen too).
    fn next_at_or_after(&self, from: usize) -> Option<usize> {
        let mut w = from / 64;
        if w >= 4 {
            return None;
        }
        let mut bits = self.0[w] & (!0u64 << (from % 64));
        loop {
            if bits != 0 {
                return Some(w * 64 + bits.trailing_zeros() as usize);
            }
            w += 1;
            if w >= 4 {
                return None;
            }
            bits = self.0[w];
        }
    }
}

/// Adds the positions reachable without consuming a character: past any run of stars.
fn closure(f: &[Tok], s: &mut States) {
    let mut at = 0;
    while let Some(i) = s.next_at_or_after(at) {
        if matches!(f.get(i), Some(Tok::Star(_))) {
            s.add(i + 1);
        }
        at = i + 1;
    }
}

/// The common cases without the general intersection: a concrete ARN (no `*`, `?` or
/// variable), or a concrete ARN followed by one `*`, run through the format as an automaton.
/// `None` for anything else (and for formats of more than 255 tokens).
fn fast_meets(f: &[Tok], arn: &str) -> Option<bool> {
    let b = arn.as_bytes();
    let (literal, trailing_star) = match b.split_last() {
        Some((b'*', rest)) => (rest, true),
        _ => (b, false),
    };
    if literal.iter().any(|c| matches!(c, b'*' | b'?' | b'$')) {
        return None;
    }
    // Backtracking is linear on real formats (a placeholder cannot hold the character that
    // follows it); the automaton bounds the rare case that is not.
    let mut budget = 4096u32;
    if let Some(hit) = backtrack(f, literal, trailing_star, &mut budget) {
        return Some(hit);
    }
    nfa_meets(f, literal, trailing_star)
}

/// [`fast_meets`] by running the format as an automaton over the literal (`None` for formats
/// of more than 255 tokens).
fn nfa_meets(f: &[Tok], literal: &[u8], trailing_star: bool) -> Option<bool> {
    if f.len() > 255 {
        return None;
    }
    let mut cur = States::default();
    cur.add(0);
    closure(f, &mut cur);
    for &c in literal {
        let mut next = States::default();
        let mut at = 0;
        while let Some(i) = cur.next_at_or_after(at) {
            match f.get(i) {
                Some(&Tok::Lit(x)) if x == c => next.add(i + 1),
                Some(&Tok::One(cl)) if cl.allows(c) => next.add(i + 1),
                Some(&Tok::Star(cl)) if cl.allows(c) => next.add(i),
                _ => {}
            }
            at = i + 1;
        }
        closure(f, &mut next);
        if next.is_empty() {
            return Some(false);
        }
        cur = next;
    }
    // A trailing `*` can be followed by whatever the rest of the format needs (every token
    // can be satisfied); without it the format must be complete.
    Some(if trailing_star {
        !cur.is_empty()
    } else {
        cur.has(f.len())
    })
}

#[cfg(test)]
mod tests {
    use super::arn_matches_format as m;

    /// The plain definition: the general intersection of the format (with the `:*` suffix of
    /// log groups) and the pattern, without the pre-test or the fast path.
    fn reference(arn: &str, format: &str) -> bool {
        use super::{Tok, format_tokens, intersects, pattern_tokens};
        let mut f = format_tokens(format);
        let p = pattern_tokens(arn);
        if intersects(&f, &p) {
            return true;
        }
        if format.ends_with(":log-group:${LogGroupName}") {
            f.extend([Tok::Lit(b':'), Tok::Lit(b'*')]);
            return intersects(&f, &p);
        }
        false
    }

    /// A format with every placeholder replaced by `with`.
    fn fill(format: &str, with: &str) -> String {
        let mut out = String::new();
        let mut rest = format;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else { break };
            out.push_str(with);
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The cheap pre-test never rules out a format the full intersection accepts: every
    /// catalog format against ARNs made from every other format of the same service (each
    /// placeholder filled with a plain value, a `*`, a `?`-pattern or a policy variable).
    /// The automaton used for concrete ARNs (and concrete ARNs ending in `*`) agrees with the
    /// general intersection on every catalog format, for ARNs made from every format of the
    /// same service and for mangled ones.
    #[test]
    fn fast_path_agrees_with_the_intersection() {
        use super::{Tok, fast_meets, format_tokens, intersects, nfa_meets, pattern_tokens};
        let cat = crate::catalog::Catalog::embedded();
        let (mut fast, mut total) = (0usize, 0usize);
        let mut hits = 0usize;
        for s in cat.services() {
            let formats: Vec<&str> = s.resource_types().flat_map(|r| r.arn_formats()).collect();
            let mut arns = Vec::new();
            for f in &formats {
                for with in ["x1", "a/b", "a:b", "", "Obj-9"] {
                    let a = fill(f, with);
                    arns.push(format!("{a}*"));
                    arns.push(format!("{a}/*"));
                    arns.push(a[..a.len() / 2].to_string());
                    arns.push(format!("{}*", &a[..a.len() / 2]));
                    arns.push(a);
                }
            }
            for f in &formats {
                let mut ft = format_tokens(f);
                for extended in [false, true] {
                    if extended {
                        ft.extend([Tok::Lit(b':'), Tok::Lit(b'*')]);
                    }
                    for a in &arns {
                        total += 1;
                        let want = intersects(&ft, &pattern_tokens(a));
                        if let Some(got) = fast_meets(&ft, a) {
                            fast += 1;
                            hits += usize::from(got);
                            assert_eq!(got, want, "{a} vs {f} (extended: {extended})");
                            // the automaton, used when backtracking runs out of steps
                            let (lit, star) = match a.as_bytes().split_last() {
                                Some((b'*', rest)) => (rest, true),
                                _ => (a.as_bytes(), false),
                            };
                            assert_eq!(nfa_meets(&ft, lit, star), Some(want), "{a} vs {f}");
                        }
                    }
                }
            }
        }
        assert!(
            fast > total / 2 && hits > 1000,
            "{fast} of {total}, {hits} matches"
        );
    }

    /// The compiled formats and prepared patterns the catalog uses (and so
    /// [`arn_matches_format`]) give exactly the answers of the plain definition.
    #[test]
    fn compiled_matching_agrees_with_the_plain_function() {
        let cat = crate::catalog::Catalog::embedded();
        let mut checked = 0usize;
        for s in cat.services() {
            let formats: Vec<&str> = s.resource_types().flat_map(|r| r.arn_formats()).collect();
            let compiled: Vec<super::Format> =
                formats.iter().map(|f| super::Format::new(f)).collect();
            let mut arns = vec!["*".to_string(), "arn:aws:*".to_string()];
            for f in &formats {
                for with in ["x1", "*", "a?c", "${aws:username}", "a/b", "a:b", ""] {
                    let a = fill(f, with);
                    arns.push(format!("{a}:*"));
                    arns.push(a);
                }
            }
            for a in &arns {
                let p = super::Pattern::new(a);
                for (f, c) in formats.iter().zip(&compiled) {
                    checked += 1;
                    let want = reference(a, f);
                    assert_eq!(p.matches(c), want, "{a} vs {f}");
                    assert_eq!(m(a, f), want, "{a} vs {f}");
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn pre_test_never_rejects_a_match() {
        let cat = crate::catalog::Catalog::embedded();
        let mut checked = 0usize;
        let mut rejected = 0usize;
        for s in cat.services() {
            let formats: Vec<&str> = s.resource_types().flat_map(|r| r.arn_formats()).collect();
            let mut arns = Vec::new();
            for f in &formats {
                for with in ["x1", "*", "a?c", "${aws:username}", "a/b", "a:b", ""] {
                    arns.push(fill(f, with));
                }
            }
            for f in &formats {
                let c = super::Format::new(f);
                for a in &arns {
                    checked += 1;
                    if super::Pattern::new(a).ruled_out(&c) {
                        rejected += 1;
                        assert!(!reference(a, f), "{a} vs {f}");
                    }
                }
            }
        }
        assert!(
            checked > 100_000 && rejected > checked / 3,
            "{checked} {rejected}"
        );
    }

    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const LOG_GROUP: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
    const LOG_STREAM: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";

    #[test]
    fn concrete_arns() {
        assert!(m(
            "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            ROLE
        ));
        assert!(m("arn:aws:iam::123456789012:role/service-role/x", ROLE));
        assert!(!m("arn:aws:iam::123456789012:user/x", ROLE));
        assert!(!m("arn:aws:iam::123456789012:role/", ROLE));
        assert!(m("arn:aws:s3:::my-bucket", BUCKET));
        assert!(!m("arn:aws:s3:::my-bucket/key", BUCKET));
        assert!(m("arn:aws:s3:::my-bucket/a/b.txt", OBJECT));
        assert!(!m("arn:aws:s3:::my-bucket", OBJECT));
        assert!(m("arn:aws:logs:eu-west-1:1:log-group:/ecs/app", LOG_GROUP));
        assert!(!m(
            "arn:aws:logs:eu-west-1:1:log-group:/ecs/app",
            LOG_STREAM
        ));
        assert!(m(
            "arn:aws:logs:eu-west-1:1:log-group:/ecs/app:log-stream:s1",
            LOG_STREAM
        ));
    }

    #[test]
    fn patterns() {
        assert!(m("*", ROLE));
        assert!(m("arn:aws:iam::*:role/*", ROLE));
        assert!(m("arn:aws:s3:::my-bucket/*", OBJECT));
        assert!(!m("arn:aws:s3:::my-bucket/*", BUCKET));
        assert!(m("arn:aws:s3:::my-*", BUCKET));
        assert!(m("arn:aws:s3:::my-*", OBJECT));
        assert!(m("arn:aws:iam::123456789012:role/${aws:username}", ROLE));
        assert!(m("arn:aws:iam::12345678901?:role/x", ROLE));
        assert!(!m("arn:aws:iam::*:user/*", ROLE));
        assert!(m("arn:aws:logs:*:*:log-group:/ecs/app:*", LOG_STREAM));
        assert!(m("arn:aws:logs:*:*:log-group:/ecs/app:*", LOG_GROUP));
        assert!(!m("arn:aws:iam::*:role/x:y", ROLE));
        assert!(m("arn:aws:s3:::b/a:b", OBJECT));
        // a format's field wildcard holds one field
        const DEVICE: &str =
            "arn:${Partition}:braket:*:*:device/${DeviceType}/${Provider}/${DeviceId}";
        assert!(m(
            "arn:aws:braket:us-east-1::device/qpu/ionq/Aria-1",
            DEVICE
        ));
        assert!(!m("arn:aws:braket:us-east-1:1:job/x:*", DEVICE));
        assert!(!m("arn:aws:braket:us-east-1:1:job/x:device/a/b/c", DEVICE));
    }
}
