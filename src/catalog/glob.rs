//! Case-insensitive matching of IAM action patterns (`*` any run of characters, `?` exactly
//! one) and of condition-key names with placeholders (`${TagKey}`, `<key>`).

/// Whether `pattern` (lowercase, with `*` and `?`) matches `text` (lowercase), byte by byte.
///
/// Linear-time greedy matching with single-star backtracking, the classic algorithm that is
/// exact for `*`/`?` globs.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
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
