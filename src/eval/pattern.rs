//! Compiled wildcard patterns: `*` (any run of characters, `/` and `:` included) and `?` (exactly
//! one character), policy variables, and segment-wise ARN matching.
//!
//! Matching never allocates for patterns without policy variables.

use super::context::Context;

/// One piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text (for case-insensitive patterns, already lower-cased).
    Lit(Box<str>),
    /// `*`: any run of characters, possibly empty.
    Star,
    /// `?`: exactly one character.
    One,
    /// `${key}` or `${key, 'default'}`.
    Var {
        key: Box<str>,
        key_lower: Box<str>,
        default: Option<Box<str>>,
    },
}

/// A borrowed view of a [`Part`] after variable resolution.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Tok<'a> {
    Lit(&'a str),
    Star,
    One,
    /// A variable without a value: matches nothing.
    Fail,
}

/// Parses pattern text. `wildcards`: `*` and `?` are wildcards (otherwise literal).
/// `variables`: `${...}` is a policy variable (only under Version 2012-10-17).
pub(crate) fn parse_template(
    text: &str,
    wildcards: bool,
    variables: bool,
    lower: bool,
) -> Result<Vec<Part>, String> {
    let mut parts: Vec<Part> = Vec::new();
    // (room for the whole text: a literal is copied out exactly when it ends, and the buffer
    // is kept for the next one, where pushing char by char grew it several times per item)
    let mut lit = String::with_capacity(text.len());
    let flush = |lit: &mut String, parts: &mut Vec<Part>| {
        if !lit.is_empty() {
            let s: Box<str> = if lower {
                lit.to_ascii_lowercase().into_boxed_str()
            } else {
                Box::from(lit.as_str())
            };
            lit.clear();
            parts.push(Part::Lit(s));
        }
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if variables && rest.starts_with("${") {
            let Some(close) = rest.find('}') else {
                return Err(format!(
                    "the policy variable in `{text}` has no closing `}}`"
                ));
            };
            let inner = &rest[2..close];
            rest = &rest[close + 1..];
            match inner {
                "*" | "?" | "$" => lit.push_str(inner),
                _ => {
                    let (key, default) = match inner.split_once(',') {
                        Some((k, d)) => {
                            let d = d.trim_start();
                            let Some(d) = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\''))
                            else {
                                return Err(format!(
                                    "the default value of the policy variable `${{{inner}}}` must be in single quotes"
                                ));
                            };
                            (k, Some(d))
                        }
                        None => (inner, None),
                    };
                    if key.is_empty() || key.contains(char::is_whitespace) || key.contains('$') {
                        return Err(format!("`${{{inner}}}` is not a valid policy variable"));
                    }
                    flush(&mut lit, &mut parts);
                    parts.push(Part::Var {
                        key: key.into(),
                        key_lower: key.to_ascii_lowercase().into(),
                        default: default.map(|d| {
                            if lower {
                                d.to_ascii_lowercase().into()
                            } else {
                                d.into()
                            }
                        }),
                    });
                }
            }
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '*' if wildcards => {
                flush(&mut lit, &mut parts);
                // `**` is the same as `*`.
                if parts.last() != Some(&Part::Star) {
                    parts.push(Part::Star);
                }
            }
            '?' if wildcards => {
                flush(&mut lit, &mut parts);
                parts.push(Part::One);
            }
            _ => lit.push(c),
        }
    }
    flush(&mut lit, &mut parts);
    Ok(parts)
}

pub(crate) fn has_vars(parts: &[Part]) -> bool {
    parts.iter().any(|p| matches!(p, Part::Var { .. }))
}

/// Resolves one part against the request context.
pub(crate) fn tok<'a>(p: &'a Part, ctx: &'a Context) -> Tok<'a> {
    match p {
        Part::Lit(s) => Tok::Lit(s),
        Part::Star => Tok::Star,
        Part::One => Tok::One,
        Part::Var {
            key_lower, default, ..
        } => match ctx.get(key_lower) {
            Some([v]) => Tok::Lit(v),
            Some(_) => Tok::Fail,
            None => match default {
                Some(d) => Tok::Lit(d),
                None => Tok::Fail,
            },
        },
    }
}

#[inline]
fn char_len(b: u8) -> usize {
    if b < 0x80 {
        1
    } else if b >= 0xF0 {
        4
    } else if b >= 0xE0 {
        3
    } else {
        2
    }
}

#[inline]
fn starts_with(text: &[u8], lit: &[u8], ci: bool) -> bool {
    text.len() >= lit.len()
        && if ci {
            text[..lit.len()].eq_ignore_ascii_case(lit)
        } else {
            &text[..lit.len()] == lit
        }
}

/// Wildcard matching over `n` tokens given by `tok`. `ci`: ASCII case-insensitive.
#[inline]
pub(crate) fn glob<'a>(n: usize, tok: impl Fn(usize) -> Tok<'a>, text: &str, ci: bool) -> bool {
    let t = text.as_bytes();
    let (mut ti, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if ti < n {
            match tok(ti) {
                Tok::Star => {
                    if ti + 1 == n {
                        return true;
                    }
                    star = Some((ti + 1, si));
                    ti += 1;
                    continue;
                }
                Tok::One => {
                    if si < t.len() {
                        si += char_len(t[si]);
                        ti += 1;
                        continue;
                    }
                }
                Tok::Lit(l) => {
                    if starts_with(&t[si..], l.as_bytes(), ci) {
                        si += l.len();
                        ti += 1;
                        continue;
                    }
                }
                Tok::Fail => return false,
            }
        } else if si == t.len() {
            return true;
        }
        match star {
            Some((st, ss)) if ss < t.len() => {
                let ns = ss + char_len(t[ss]);
                star = Some((st, ns));
                ti = st;
                si = ns;
            }
            _ => return false,
        }
    }
}

/// Matches compiled parts against `text`, resolving variables from `ctx`.
#[inline]
pub(crate) fn matches(parts: &[Part], text: &str, ci: bool, ctx: &Context) -> bool {
    match parts {
        [] => text.is_empty(),
        [Part::Star] => true,
        [Part::Lit(l)] => {
            if ci {
                l.eq_ignore_ascii_case(text)
            } else {
                **l == *text
            }
        }
        [Part::Lit(l), Part::Star] => starts_with(text.as_bytes(), l.as_bytes(), ci),
        _ => glob(parts.len(), |i| tok(&parts[i], ctx), text, ci),
    }
}

/// Splits an ARN at its first five colons: `arn:partition:service:region:account:resource`.
pub(crate) fn split_arn(s: &str) -> Option<[&str; 6]> {
    // one pass over the bytes (`:` is ASCII: a char boundary), not a search per field
    let mut out = [""; 6];
    let mut start = 0;
    let mut k = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if c == b':' {
            out[k] = &s[start..i];
            start = i + 1;
            k += 1;
            if k == 5 {
                break;
            }
        }
    }
    if k < 5 {
        return None;
    }
    out[5] = &s[start..];
    Some(out)
}

/// Splits an ARN into `n` fields (1..=6): at its first `n - 1` colons, the last field keeping
/// the rest of the ARN, colons included. `None` when `s` is not an ARN (fewer than five colons).
pub(crate) fn split_arn_fields(s: &str, n: usize) -> Option<[&str; 6]> {
    let full = split_arn(s)?;
    if n >= 6 {
        return Some(full);
    }
    let mut out = [""; 6];
    out[..n - 1].copy_from_slice(&full[..n - 1]);
    // The fields before the last are `arn`, partition, ... and carry no colon.
    let offset: usize = full[..n - 1].iter().map(|f| f.len() + 1).sum();
    out[n - 1] = s.get(offset..)?;
    Some(out)
}

/// A compiled ARN pattern (a `Resource` item or an `Arn*` condition value).
#[derive(Clone, Debug)]
pub(crate) enum ArnPattern {
    /// Exactly `*`.
    Any,
    /// Segments matched one by one (no policy variables): six, or, for a `Resource` item,
    /// fewer when the last ends in `*`, which then matches the rest of the ARN, colons
    /// included.
    Static(Box<[Vec<Part>]>),
    /// Contains policy variables: resolved, then split, at evaluation time. `resource`: a
    /// `Resource` item (fewer than six segments allowed as for [`ArnPattern::Static`]).
    Dynamic { parts: Vec<Part>, resource: bool },
}

impl ArnPattern {
    /// Compiles an `Arn*` condition value. `Err` holds a message when the text is not an ARN
    /// pattern.
    pub(crate) fn compile(text: &str, variables: bool) -> Result<ArnPattern, String> {
        Self::compile_as(text, variables, false)
    }

    /// Compiles a `Resource` / `NotResource` item. Two rules of the IAM `Resource` and
    /// policy-variable docs apply that condition values do not have:
    /// - "If the `*` wildcard is the last character of a resource ARN segment, it can expand
    ///   to match beyond the colon boundaries": an ARN with fewer than six fields whose last
    ///   field ends in `*` (`arn:aws:ec2:*`, `arn:aws:codedeploy:us-west-2:*`) is a pattern
    ///   whose last field matches the rest of the ARN;
    /// - a policy variable is substituted "only in the resource portion of the ARN ... after
    ///   the fifth colon": one before it is literal text.
    pub(crate) fn compile_resource(text: &str, variables: bool) -> Result<ArnPattern, String> {
        let read = if variables {
            literal_early_variables(text)
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        // (a message names the item as written, not with its early variables escaped)
        Self::compile_as(&read, variables, true).map_err(|e| match &read {
            std::borrow::Cow::Owned(escaped) => {
                e.replace(&format!("`{escaped}`"), &format!("`{text}`"))
            }
            std::borrow::Cow::Borrowed(_) => e,
        })
    }

    fn compile_as(text: &str, variables: bool, resource: bool) -> Result<ArnPattern, String> {
        if text == "*" {
            return Ok(ArnPattern::Any);
        }
        let parts = parse_template(text, true, variables, false)?;
        if has_vars(&parts) {
            return Ok(ArnPattern::Dynamic { parts, resource });
        }
        let Some(segs) = split_parts(
            parts.iter().map(|p| match p {
                Part::Lit(s) => Tok::Lit(s),
                Part::Star => Tok::Star,
                Part::One => Tok::One,
                Part::Var { .. } => Tok::Fail,
            }),
            resource,
        ) else {
            return Err(if resource {
                format!(
                    "`{text}` is not an ARN: an ARN has six parts, `arn:partition:service:region:account:resource` (fewer only when the last ends in `*`)"
                )
            } else {
                format!(
                    "`{text}` is not an ARN: an ARN has six parts, `arn:partition:service:region:account:resource`"
                )
            });
        };
        let owned: Vec<Vec<Part>> = segs
            .into_iter()
            .map(|seg| {
                seg.into_iter()
                    .map(|t| match t {
                        Tok::Lit(s) => Part::Lit(s.into()),
                        Tok::Star => Part::Star,
                        Tok::One => Part::One,
                        Tok::Fail => Part::Lit("".into()),
                    })
                    .collect()
            })
            .collect();
        Ok(ArnPattern::Static(owned.into_boxed_slice()))
    }

    /// Whether the pattern uses policy variables.
    pub(crate) fn vars(&self) -> &[Part] {
        match self {
            ArnPattern::Dynamic { parts, .. } => parts,
            _ => &[],
        }
    }

    /// Matches an ARN (case-sensitive, segment by segment). Text that is not an ARN matches
    /// only `*`.
    pub(crate) fn matches(&self, text: &str, ctx: &Context) -> bool {
        match self {
            ArnPattern::Any => true,
            ArnPattern::Static(segs) => {
                let Some(t) = split_arn_fields(text, segs.len()) else {
                    return false;
                };
                segs.iter()
                    .zip(t.iter())
                    .all(|(p, s)| matches(p, s, false, ctx))
            }
            ArnPattern::Dynamic { parts, resource } => {
                let toks: Vec<Tok<'_>> = parts.iter().map(|p| tok(p, ctx)).collect();
                if toks.iter().any(|t| matches!(t, Tok::Fail)) {
                    return false;
                }
                let Some(segs) = split_parts(toks.into_iter(), *resource) else {
                    return false;
                };
                let Some(t) = split_arn_fields(text, segs.len()) else {
                    return false;
                };
                segs.iter()
                    .zip(t.iter())
                    .all(|(p, s)| glob(p.len(), |i| p[i], s, false))
            }
        }
    }
}

/// Rewrites every policy variable that starts before the fifth colon of `text` (colons inside
/// `${...}` not counted) as the literal text it is: `${` becomes the escape `${$}{`.
fn literal_early_variables(text: &str) -> std::borrow::Cow<'_, str> {
    let mut colons = 0;
    let mut early: Vec<usize> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && colons < 5 {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
            let Some(close) = text[i..].find('}') else {
                break;
            };
            if !matches!(&text[i + 2..i + close], "*" | "?" | "$") {
                early.push(i);
            }
            i += close + 1;
            continue;
        }
        if bytes[i] == b':' {
            colons += 1;
        }
        i += 1;
    }
    if early.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4 * early.len());
    let mut last = 0;
    for at in early {
        out.push_str(&text[last..at]);
        out.push_str("${$}{");
        last = at + 2;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// Whether a policy variable starts before the fifth colon of ARN text (colons inside `${...}`
/// not counted): such a variable is not substituted (IAM policy variables docs).
pub fn variable_before_fifth_colon(text: &str) -> bool {
    matches!(literal_early_variables(text), std::borrow::Cow::Owned(_))
}

/// Splits a token stream at the first five colons found in literal text: six segments, or
/// (`short_ok`) fewer when the last segment ends in `*`.
fn split_parts<'a>(
    toks: impl Iterator<Item = Tok<'a>>,
    short_ok: bool,
) -> Option<Vec<Vec<Tok<'a>>>> {
    // (an ARN's six fields)
    let mut segs: Vec<Vec<Tok<'a>>> = Vec::with_capacity(6);
    segs.push(Vec::new());
    for t in toks {
        match t {
            Tok::Lit(mut s) => {
                while segs.len() < 6 {
                    let Some(i) = s.find(':') else { break };
                    if i > 0 {
                        segs.last_mut()?.push(Tok::Lit(&s[..i]));
                    }
                    segs.push(Vec::new());
                    s = &s[i + 1..];
                }
                if !s.is_empty() {
                    segs.last_mut()?.push(Tok::Lit(s));
                }
            }
            other => segs.last_mut()?.push(other),
        }
    }
    let short = short_ok
        && segs.len() >= 2
        && matches!(segs.last().and_then(|s| s.last()), Some(Tok::Star));
    (segs.len() == 6 || short).then_some(segs)
}

/// Whether the `Resource` item `pattern` (read without policy variables) matches the ARN
/// `arn`, exactly as the evaluator matches it; `false` when the item is not an ARN pattern.
pub fn resource_item_matches(pattern: &str, arn: &str) -> bool {
    ArnPattern::compile_resource(pattern, false).is_ok_and(|p| p.matches(arn, &Context::new()))
}

/// A `Resource` item compiled once, to match it against many ARNs: the same answers as
/// [`resource_item_matches`].
pub(crate) struct ResourceItem(Option<ArnPattern>);

impl ResourceItem {
    pub(crate) fn new(pattern: &str) -> Self {
        ResourceItem(ArnPattern::compile_resource(pattern, false).ok())
    }

    pub(crate) fn matches(&self, arn: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|p| p.matches(arn, &Context::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        let parts = parse_template(p, true, false, false).unwrap();
        matches(&parts, t, false, &Context::new())
    }

    #[test]
    fn glob_semantics() {
        assert!(m("*", ""));
        assert!(m("*", "anything/at:all"));
        assert!(m("a*c", "abbbc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "acb"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a?c", "aéc"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        assert!(m("bucket/*/test/*", "bucket/1/2/test/3/object.jpg"));
        assert!(!m("abc", "ABC"));
        assert!(m("**", "x"));
        assert!(m("a*b*c*d", "aXbYbZcWcd"));
    }

    proptest::proptest! {
        /// The matcher agrees with a regular expression built from the same pattern.
        #[test]
        fn glob_agrees_with_regex(p in "[aAb*?/:é]{0,8}", t in "[aAb/:é]{0,10}", ci in proptest::bool::ANY) {
            let parts = parse_template(&p, true, false, ci).unwrap();
            let mut re = String::from(if ci { "(?si)^" } else { "(?s)^" });
            for c in p.chars() {
                match c {
                    '*' => re.push_str(".*"),
                    '?' => re.push('.'),
                    c => re.push_str(&regex::escape(&c.to_string())),
                }
            }
            re.push('$');
            let re = regex::Regex::new(&re).unwrap();
            proptest::prop_assert_eq!(matches(&parts, &t, ci, &Context::new()), re.is_match(&t), "{} vs {}", p, t);
        }
    }

    #[test]
    fn case_insensitive_glob() {
        let parts = parse_template("iam:*accesskey*", true, false, true).unwrap();
        assert!(matches(
            &parts,
            "IAM:CreateAccessKey",
            true,
            &Context::new()
        ));
    }

    #[test]
    fn variables_and_escapes() {
        let parts = parse_template("home/${aws:username}/${*}", true, true, false).unwrap();
        let mut ctx = Context::new();
        assert!(!matches(&parts, "home//*", false, &ctx));
        ctx.insert("AWS:UserName", "alice");
        assert!(matches(&parts, "home/alice/*", false, &ctx));
        assert!(!matches(&parts, "home/alice/x", false, &ctx));
        let d = parse_template("${aws:PrincipalTag/team, 'all'}", false, true, false).unwrap();
        assert!(matches(&d, "all", false, &Context::new()));
        assert!(parse_template("${aws:username", true, true, false).is_err());
        assert!(parse_template("${aws:username, x}", true, true, false).is_err());
        assert!(parse_template("${}", true, true, false).is_err());
        assert_eq!(
            parse_template("${aws:username}", true, false, false).unwrap(),
            vec![Part::Lit("${aws:username}".into())]
        );
    }

    #[test]
    fn arn_patterns_match_segment_wise() {
        let ctx = Context::new();
        let p = ArnPattern::compile("arn:aws:someservice:*:111122223333:finance/*", false).unwrap();
        // IAM docs (ArnLike): each of the six components is matched separately.
        assert!(!p.matches(
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
            &ctx
        ));
        assert!(p.matches(
            "arn:aws:someservice:us-east-2:111122223333:finance/a/b",
            &ctx
        ));
        let s3 = ArnPattern::compile("arn:aws:s3:::bucket/*", false).unwrap();
        assert!(s3.matches("arn:aws:s3:::bucket/a/b/c", &ctx));
        assert!(!s3.matches("arn:aws:s3:::Bucket/a", &ctx));
        assert!(!s3.matches("*", &ctx));
        assert!(ArnPattern::compile("arn:aws:s3", false).is_err());
        assert!(ArnPattern::compile("*", false).unwrap().matches("*", &ctx));
        let dynp = ArnPattern::compile("${aws:PrincipalArn}", true).unwrap();
        let mut c = Context::new();
        assert!(!dynp.matches("arn:aws:iam::1:role/x", &c));
        c.insert("aws:principalarn", "arn:aws:iam::1:role/x");
        assert!(dynp.matches("arn:aws:iam::1:role/x", &c));
        assert!(!dynp.matches("arn:aws:iam::1:role/y", &c));
    }
}
