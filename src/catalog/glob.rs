//! Case-insensitive matching of IAM action patterns (`*` any run of characters, `?` exactly
//! one) and of condition-key names with placeholders (`${TagKey}`, `<key>`).

/// Whether `pattern` (lowercase, with `*` and `?`) matches `text` (lowercase), byte by byte.
///
/// Greedy matching with single-star backtracking, the classic algorithm that is exact for
/// `*`/`?` globs. [`Glob`] is the fast path; this one is the reference it is tested against.
#[cfg_attr(not(test), allow(dead_code))]
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    glob_with(pattern, text, b'*', b'?', |a, b| a == b)
}

/// The IAM glob match over any sequence: `star` matches any run of items (including none),
/// `one` exactly one item, every other item one equal to it (`eq`). Backtracking to the last
/// `*` only, which is exact for globs.
pub fn glob_with<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    star: T,
    one: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == star {
            if pi + 1 == p.len() {
                // a final `*` takes the rest
                return true;
            }
            back = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == one || eq(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = back {
            pi = sp + 1;
            ti = st + 1;
            back = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == star {
        pi += 1;
    }
    pi == p.len()
}

/// Whether every text the glob `narrow` matches is matched by the glob `wide` (a sufficient
/// test: `narrow` is read as text over its own symbols, where `wide`'s `*` takes any run of
/// them, its `?` one literal or `?` of `narrow` but never a `*`, and a literal only itself).
/// `a?` does not include `a*`; `a*` includes `a?` and `ab*`. Quadratic in the lengths.
pub fn includes(wide: &[u8], narrow: &[u8]) -> bool {
    let (w, n) = (wide.len(), narrow.len());
    if (w + 1).saturating_mul(n + 1) > 1 << 22 {
        // too long for the table: the plain match, sound while `narrow` has no `*`
        return !narrow.contains(&b'*') && glob_match(wide, narrow);
    }
    // `wide`'s literal start and end (before its first and after its last wildcard) match
    // `narrow`'s one to one: compare them first and run the table on what lies between
    // (the same answer as the table over the whole, [`includes_table`])
    let pre = wide
        .iter()
        .position(|&c| c == b'*' || c == b'?')
        .unwrap_or(w);
    if pre == w {
        return wide == narrow;
    }
    let suf = w
        - 1
        - wide
            .iter()
            .rposition(|&c| c == b'*' || c == b'?')
            .unwrap_or(0);
    if n < pre + suf || narrow[..pre] != wide[..pre] || narrow[n - suf..] != wide[w - suf..] {
        return false;
    }
    includes_table(&wide[pre..w - suf], &narrow[pre..n - suf])
}

/// [`includes`] by its table alone, two rows at a time.
fn includes_table(wide: &[u8], narrow: &[u8]) -> bool {
    let (w, n) = (wide.len(), narrow.len());
    // next[j]: wide[i + 1..] includes narrow[j..]; cur[j]: wide[i..] includes narrow[j..]
    let mut next = vec![false; n + 1];
    let mut cur = vec![false; n + 1];
    next[n] = true;
    for i in (0..w).rev() {
        for j in (0..=n).rev() {
            cur[j] = match wide[i] {
                b'*' => next[j] || (j < n && cur[j + 1]),
                b'?' => j < n && narrow[j] != b'*' && next[j + 1],
                c => j < n && narrow[j] == c && next[j + 1],
            };
        }
        std::mem::swap(&mut cur, &mut next);
    }
    next[0]
}

/// The table of [`includes`] over the whole of both patterns (the reference for tests).
#[cfg(test)]
fn includes_reference(wide: &[u8], narrow: &[u8]) -> bool {
    let (w, n) = (wide.len(), narrow.len());
    if (w + 1).saturating_mul(n + 1) > 1 << 22 {
        return !narrow.contains(&b'*') && glob_match(wide, narrow);
    }
    let mut dp = vec![false; (w + 1) * (n + 1)];
    let at = |i: usize, j: usize| i * (n + 1) + j;
    dp[at(w, n)] = true;
    for i in (0..w).rev() {
        for j in (0..=n).rev() {
            dp[at(i, j)] = match wide[i] {
                b'*' => dp[at(i + 1, j)] || (j < n && dp[at(i, j + 1)]),
                b'?' => j < n && narrow[j] != b'*' && dp[at(i + 1, j + 1)],
                c => j < n && narrow[j] == c && dp[at(i + 1, j + 1)],
            };
        }
    }
    dp[at(0, 0)]
}

/// A pattern compiled once for matching many names: the pieces between its `*`s.
pub struct Glob<'p> {
    /// The pieces between stars (`?` inside them matches one byte).
    segments: Vec<&'p [u8]>,
    /// Whether the pattern has a `*` at all.
    has_star: bool,
    /// Total length of all pieces: no shorter text can match.
    min_len: usize,
}

impl<'p> Glob<'p> {
    /// Compiles a lowercase pattern.
    pub fn new(pattern: &'p [u8]) -> Glob<'p> {
        let segments: Vec<&[u8]> = pattern.split(|&c| c == b'*').collect();
        let min_len = segments.iter().map(|s| s.len()).sum();
        Glob {
            has_star: segments.len() > 1,
            segments,
            min_len,
        }
    }

    /// Whether the pattern matches the whole of `text` (lowercase).
    ///
    /// The first piece is anchored at the start, the last at the end, and the middle ones are
    /// found leftmost-first, which is exact for `*` globs.
    pub fn matches(&self, text: &[u8]) -> bool {
        if text.len() < self.min_len {
            return false;
        }
        let (Some(first), Some(last)) = (self.segments.first(), self.segments.last()) else {
            return text.is_empty();
        };
        if !self.has_star {
            return text.len() == first.len() && piece_eq(first, text);
        }
        if !piece_eq(first, &text[..first.len()]) {
            return false;
        }
        let end = text.len() - last.len();
        if !piece_eq(last, &text[end..]) {
            return false;
        }
        let mut pos = first.len();
        for seg in &self.segments[1..self.segments.len() - 1] {
            match find_piece(&text[pos..end], seg) {
                Some(i) => pos += i + seg.len(),
                None => return false,
            }
        }
        pos <= end
    }
}

fn piece_eq(piece: &[u8], text: &[u8]) -> bool {
    piece.len() == text.len() && piece.iter().zip(text).all(|(&p, &t)| p == b'?' || p == t)
}

fn find_piece(hay: &[u8], piece: &[u8]) -> Option<usize> {
    if piece.is_empty() {
        return Some(0);
    }
    if hay.len() < piece.len() {
        return None;
    }
    let first = piece[0];
    (0..=hay.len() - piece.len())
        .find(|&i| (first == b'?' || hay[i] == first) && piece_eq(piece, &hay[i..i + piece.len()]))
}

/// The part of a pattern before its first wildcard.
pub fn literal_prefix(pattern: &[u8]) -> &[u8] {
    let end = pattern
        .iter()
        .position(|&c| c == b'*' || c == b'?')
        .unwrap_or(pattern.len());
    &pattern[..end]
}

/// Whether a pattern has a wildcard.
pub fn has_wildcard(pattern: &[u8]) -> bool {
    pattern.iter().any(|&c| c == b'*' || c == b'?')
}

/// Whether a condition-key name (lowercase, as the catalog writes it, e.g.
/// `aws:requesttag/${tagkey}` or `s3:existingobjecttag/<key>`) matches a concrete key
/// (lowercase). A placeholder matches one or more characters.
pub fn key_match(key_pattern: &[u8], name: &[u8]) -> bool {
    // Split the pattern into literal pieces separated by placeholders.
    let mut pieces: Vec<&[u8]> = Vec::new();
    let mut rest = key_pattern;
    let mut has_placeholder = false;
    loop {
        let open = rest
            .windows(2)
            .position(|w| w == b"${")
            .map(|i| (i, b'}'))
            .into_iter()
            .chain(rest.iter().position(|&c| c == b'<').map(|i| (i, b'>')))
            .min_by_key(|(i, _)| *i);
        match open {
            Some((i, close)) => match rest[i..].iter().position(|&c| c == close) {
                Some(j) => {
                    pieces.push(&rest[..i]);
                    rest = &rest[i + j + 1..];
                    has_placeholder = true;
                }
                None => {
                    pieces.push(rest);
                    break;
                }
            },
            None => {
                pieces.push(rest);
                break;
            }
        }
    }
    if !has_placeholder {
        return key_pattern == name;
    }
    // pieces[0] is a prefix, pieces[last] a suffix, each placeholder ≥ 1 character.
    let Some((first, tail)) = pieces.split_first() else {
        return false;
    };
    if !name.starts_with(first) {
        return false;
    }
    let mut pos = first.len();
    let Some((last, middle)) = tail.split_last() else {
        return name.len() == pos;
    };
    for piece in middle {
        // at least one character for the placeholder before `piece`
        let from = pos + 1;
        if from > name.len() {
            return false;
        }
        match find(&name[from..], piece) {
            Some(k) => pos = from + k + piece.len(),
            None => return false,
        }
    }
    name.len() >= pos + 1 + last.len() && name.ends_with(last)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(b"s3:get*", b"s3:getobject"));
        assert!(glob_match(b"*", b"anything"));
        assert!(glob_match(b"s3:?etobject", b"s3:getobject"));
        assert!(!glob_match(b"s3:?etobject", b"s3:etobject"));
        assert!(glob_match(b"*:*object*", b"s3:getobjectacl"));
        assert!(!glob_match(b"s3:get", b"s3:getobject"));
        assert!(glob_match(b"a*b*c", b"axxbyyc"));
        assert!(!glob_match(b"a*b*c", b"axxbyy"));
        assert!(glob_match(b"", b""));
        assert!(!glob_match(b"", b"a"));
    }

    #[test]
    fn compiled_globs_agree_with_the_backtracking_matcher() {
        let patterns: [&[u8]; 12] = [
            b"s3:get*",
            b"*",
            b"s3:?etobject",
            b"*:*object*",
            b"s3:get",
            b"a*b*c",
            b"",
            b"*a",
            b"a*",
            b"*ab*ab*",
            b"??",
            b"*?b",
        ];
        let texts: [&[u8]; 10] = [
            b"s3:getobject",
            b"anything",
            b"s3:etobject",
            b"axxbyyc",
            b"",
            b"a",
            b"ab",
            b"abab",
            b"aab",
            b"xb",
        ];
        for p in patterns {
            let g = Glob::new(p);
            for t in texts {
                assert_eq!(g.matches(t), glob_match(p, t), "{:?} {:?}", p, t);
            }
        }
    }

    #[test]
    fn keys() {
        assert!(key_match(
            b"aws:requesttag/${tagkey}",
            b"aws:requesttag/env"
        ));
        assert!(!key_match(b"aws:requesttag/${tagkey}", b"aws:requesttag/"));
        assert!(key_match(
            b"s3:existingobjecttag/<key>",
            b"s3:existingobjecttag/a/b"
        ));
        assert!(key_match(b"aws:tagkeys", b"aws:tagkeys"));
        assert!(!key_match(b"aws:tagkeys", b"aws:tagkey"));
        assert!(key_match(b"x:${a}/mid/${b}", b"x:1/mid/2"));
        assert!(!key_match(b"x:${a}/mid/${b}", b"x:/mid/2"));
        assert!(key_match(b"x:${a}-end", b"x:q-end"));
        assert!(!key_match(b"x:${a}-end", b"x:-end"));
        assert!(key_match(b"aws:requesttag/${tagkey}", b"aws:requesttag/e"));
    }
}

#[cfg(test)]
mod includes_tests {
    use super::*;

    /// Every text over `{a, b}` up to length 5 that `p` matches.
    fn lang(p: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..=5 {
            let mut next = Vec::new();
            for t in &texts {
                if glob_match(p, t) {
                    out.push(t.clone());
                }
                for c in [b'a', b'b'] {
                    let mut u = t.clone();
                    u.push(c);
                    next.push(u);
                }
            }
            texts = next;
        }
        out
    }

    #[test]
    fn inclusion_with_literal_ends_is_the_table() {
        // every pair of patterns over `a`, `b`, `:`, `*`, `?` up to length 5 (and pairs
        // sharing a long literal start): the stripped table answers as the whole table
        let alphabet = [b'a', b'b', b':', b'*', b'?'];
        let mut pats: Vec<Vec<u8>> = vec![Vec::new()];
        let mut layer: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &layer {
                for &c in &alphabet {
                    let mut q = p.clone();
                    q.push(c);
                    next.push(q);
                }
            }
            pats.extend(next.iter().cloned());
            layer = next;
        }
        for w in &pats {
            for n in &pats {
                assert_eq!(includes(w, n), includes_reference(w, n), "{w:?} {n:?}");
                let lw: Vec<u8> = [b"arn:aws:s3:::".as_slice(), w, b"/x"].concat();
                let ln: Vec<u8> = [b"arn:aws:s3:::".as_slice(), n, b"/x"].concat();
                assert_eq!(
                    includes(&lw, &ln),
                    includes_reference(&lw, &ln),
                    "{lw:?} {ln:?}"
                );
            }
        }
    }

    #[test]
    fn inclusion_is_sound_and_reads_wildcards_as_sets() {
        assert!(!includes(b"a?", b"a*"));
        assert!(includes(b"a*", b"a?"));
        assert!(includes(b"a*", b"ab*"));
        assert!(includes(b"*", b"a*b?"));
        assert!(!includes(b"ab", b"a?"));
        // sound: whenever it says "includes", every text of `narrow` (up to length 5) is one
        // of `wide`
        let pats: Vec<&[u8]> = vec![
            b"a", b"a*", b"a?", b"*", b"?", b"ab*", b"*b", b"a*b", b"??", b"a?*", b"*?", b"b*a",
        ];
        for w in &pats {
            for n in &pats {
                if includes(w, n) {
                    let lw = lang(w);
                    assert!(lang(n).iter().all(|t| lw.contains(t)), "{w:?} {n:?}");
                }
            }
        }
    }
}
