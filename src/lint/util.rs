//! Small functions shared by the rules.

use crate::model::{ActionPattern, Effect, PrincipalKind, PrincipalValue, Spanned, Statement};

/// Whether `hay` contains `needle`, by a scan for the needle's first byte: for the short texts
/// of a policy (an action, an ARN), cheaper than `str::contains`, which builds a searcher on
/// every call. (A byte match of UTF-8 texts is a match of their characters.)
pub fn has(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    let Some(last) = h.len().checked_sub(n.len()) else {
        return false;
    };
    let mut i = 0;
    while i <= last {
        let Some(p) = h[i..=last].iter().position(|&b| b == first) else {
            return false;
        };
        i += p;
        if &h[i + 1..i + n.len()] == rest {
            return true;
        }
        i += 1;
    }
    false
}

/// IAM-style glob: `*` matches any run of characters (including none), `?` exactly one.
/// Both inputs should already be in the same case when matching is case-insensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    crate::catalog::glob::glob_with(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
        a == b
    })
}

/// The patterns of a list indexed by their literal prefix (the bytes before the first `*` or
/// `?`), so that the patterns that may [`glob_match`] a text are found by one walk over the
/// text's bytes instead of a match against every pattern (a list of 10,000 items compared
/// pairwise took seconds to minutes).
#[derive(Default)]
pub struct PrefixIndex {
    nodes: Vec<TrieNode>,
}

/// A trie node: children by byte, and the patterns whose literal prefix ends here.
type TrieNode = (Vec<(u8, u32)>, Vec<usize>);

impl PrefixIndex {
    pub fn new() -> Self {
        PrefixIndex {
            nodes: vec![(Vec::new(), Vec::new())],
        }
    }

    /// Adds pattern number `id`.
    pub fn insert(&mut self, id: usize, pattern: &str) {
        let lit = pattern
            .as_bytes()
            .iter()
            .position(|&c| c == b'*' || c == b'?')
            .map_or(pattern.as_bytes(), |k| &pattern.as_bytes()[..k]);
        let mut n = 0usize;
        for &c in lit {
            n = match self.nodes[n].0.iter().find(|(b, _)| *b == c) {
                Some(&(_, next)) => next as usize,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push((Vec::new(), Vec::new()));
                    self.nodes[n].0.push((c, next as u32));
                    next
                }
            };
        }
        self.nodes[n].1.push(id);
    }

    /// The ids of the patterns whose literal prefix starts `text`, in increasing order: every
    /// pattern that can `glob_match` the text is among them.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut n = 0usize;
        out.extend_from_slice(&self.nodes[0].1);
        for &c in text.as_bytes() {
            match self.nodes[n].0.iter().find(|(b, _)| *b == c) {
                Some(&(_, next)) => n = next as usize,
                None => break,
            }
            out.extend_from_slice(&self.nodes[n].1);
        }
        out.sort_unstable();
        out
    }
}

/// Does the action pattern match the (lower-case) action `service:name`?
pub fn pattern_matches(pattern: &ActionPattern, action_lower: &str) -> bool {
    glob_match(&pattern.lower, action_lower)
}

/// Does the statement's Action/NotAction block cover the (lower-case) action?
pub fn statement_covers(stmt: &Statement, action_lower: &str) -> bool {
    let any = stmt
        .action
        .items
        .iter()
        .any(|p| pattern_matches(p, action_lower));
    if stmt.action.negated { !any } else { any }
}

/// The first pattern of a (non-negated) Action block that matches the action.
pub fn matching_pattern<'a>(stmt: &'a Statement, action_lower: &str) -> Option<&'a ActionPattern> {
    if stmt.action.negated {
        return None;
    }
    stmt.action
        .items
        .iter()
        .find(|p| pattern_matches(p, action_lower))
}

/// An Allow statement without conditions.
pub fn unconditional_allow(stmt: &Statement) -> bool {
    stmt.effect.value == Effect::Allow && stmt.conditions.is_empty()
}

/// `Resource` contains `*` (or a resource of only wildcards such as `arn:*:*:*:*:*`).
pub fn star_resource(stmt: &Statement) -> Option<&Spanned<String>> {
    let r = stmt.resource.as_ref()?;
    if r.negated {
        return None;
    }
    r.items.iter().find(|i| is_all_resources(&i.value))
}

pub fn is_all_resources(r: &str) -> bool {
    r == "*"
        // (every field only wildcards: every byte after `arn:` a wildcard or a colon)
        || r.strip_prefix("arn:")
            .is_some_and(|rest| rest.bytes().all(|c| c == b'*' || c == b':'))
}

/// Does any condition in the statement use this (lower-case) key?
pub fn has_key(stmt: &Statement, key_lower: &str) -> bool {
    stmt.conditions.iter().any(|c| c.key_lower == key_lower)
}

/// The partition a `Resource` item is written for, other than `aws`: its partition field, a
/// pattern's wildcards filled (`aws-*` → `aws-x`, a value it matches); `None` for `aws`, a
/// field of wildcards only, a policy variable, or text that is not an ARN. A policy is used in
/// the partition it names, so "every resource" there is every resource of that partition
/// (ARN format, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
pub fn partition_of(item: &str) -> Option<String> {
    let rest = item.strip_prefix("arn:")?;
    let p = rest.split(':').next().unwrap_or_default();
    if p.is_empty() || p.contains('$') || p.bytes().all(|b| b == b'*') || p == "aws" {
        return None;
    }
    Some(p.replace(['*', '?'], "x"))
}

/// The six colon-separated fields of an ARN (the last keeps any further colons).
pub fn arn_fields(s: &str) -> Option<[&str; 6]> {
    // The first five `:` split the fields; the resource field keeps any further ones. Every
    // rule on ARNs splits them, so the colons are found eight bytes at a time.
    let mut cuts = [0usize; 5];
    let mut k = 0;
    crate::swar::each_byte(s.as_bytes(), b':', |i| {
        cuts[k] = i;
        k += 1;
        k < 5
    });
    if k < 5 {
        return None;
    }
    // `:` is ASCII, so every cut is a character boundary
    Some([
        s.get(..cuts[0])?,
        s.get(cuts[0] + 1..cuts[1])?,
        s.get(cuts[1] + 1..cuts[2])?,
        s.get(cuts[2] + 1..cuts[3])?,
        s.get(cuts[3] + 1..cuts[4])?,
        s.get(cuts[4] + 1..)?,
    ])
}

/// All principal values of a given kind in the statement.
pub fn principals(stmt: &Statement, kind: PrincipalKind) -> Vec<&Spanned<String>> {
    match stmt.principal.as_ref().map(|p| &p.value) {
        Some(PrincipalValue::Map(entries)) => entries
            .iter()
            .filter(|e| e.kind == kind)
            .flat_map(|e| e.values.iter())
            .collect(),
        _ => Vec::new(),
    }
}

/// The principal is everyone: `"*"` or `{"AWS": "*"}`.
pub fn principal_is_everyone(stmt: &Statement) -> bool {
    match stmt.principal.as_ref() {
        Some(p) if !p.negated => match &p.value {
            PrincipalValue::Star => true,
            PrincipalValue::Map(entries) => entries
                .iter()
                .any(|e| e.kind == PrincipalKind::Aws && e.values.iter().any(|v| v.value == "*")),
        },
        _ => false,
    }
}

/// A `${...}` policy variable found in a string, with its byte range in the string.
#[derive(Debug, PartialEq, Eq)]
pub struct Variable<'a> {
    pub start: usize,
    pub end: usize,
    /// The text between `${` and `}` (or to the end when the brace is missing).
    pub inner: &'a str,
    pub closed: bool,
}

impl Variable<'_> {
    /// The key it reads: the text before a default (`${aws:username, 'x'}` → `aws:username`).
    pub fn key(&self) -> &str {
        self.inner.split(',').next().unwrap_or("").trim()
    }
}

/// Finds the policy variables in a string.
pub fn variables(s: &str) -> Vec<Variable<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s[i..].find("${") {
        let start = i + off;
        let body = start + 2;
        match s[body..].find('}') {
            Some(close) => {
                out.push(Variable {
                    start,
                    end: body + close + 1,
                    inner: &s[body..body + close],
                    closed: true,
                });
                i = body + close + 1;
            }
            None => {
                out.push(Variable {
                    start,
                    end: s.len(),
                    inner: &s[body..],
                    closed: false,
                });
                break;
            }
        }
    }
    out
}

/// The span of a byte range inside a JSON string value whose span includes the quotes. Falls
/// back to the whole value when the string contains escapes (offsets would not line up).
pub fn sub_span(
    source: &crate::source::Source,
    value: &Spanned<String>,
    start: usize,
    end: usize,
) -> crate::source::Span {
    let raw = source.slice(value.span);
    if raw.len() == value.value.len() + 2 && !raw.contains('\\') {
        let base = value.span.start as usize + 1;
        crate::source::Span::new(base + start, base + end)
    } else {
        value.span
    }
}

/// `12345` → `12,345`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Names a list of strings for a message: `a`, `b` and 3 more.
pub fn name_list(items: &[String], max: usize) -> String {
    let mut s = String::new();
    name_list_into(&mut s, items, max);
    s
}

/// [`name_list`] written at the end of `out`.
pub fn name_list_into<S: AsRef<str>>(out: &mut String, items: &[S], max: usize) {
    for (k, item) in items.iter().take(max).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(item.as_ref());
        out.push('`');
    }
    if items.len() > max {
        out.push_str(" and ");
        push_count(out, items.len() - max);
        out.push_str(" more");
    }
}

/// `n` in decimal at the end of `out` (what `format!("{n}")` writes, without the formatter).
pub fn push_count(out: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // (ASCII digits, each a char: no UTF-8 check of the buffer)
    out.extend(buf[at..].iter().map(|&d| char::from(d)));
}

pub fn is_bool(s: &str) -> bool {
    s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
}

pub fn is_number(s: &str) -> bool {
    let t = s.strip_prefix('-').unwrap_or(s);
    !t.is_empty()
        && t.split_once('.')
            .map_or(t.bytes().all(|b| b.is_ascii_digit()), |(a, b)| {
                !a.is_empty()
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
}

/// W3C ISO 8601 (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, with an optional `Thh:mm[:ss[.s]]` and zone) or
/// epoch seconds. (Read by hand, ASCII digits only, as AWS reads dates: the regular expression
/// this replaced cost a compilation per process, and its `\d` took any Unicode digit.)
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    // two digits at `i` that read as a number in `lo..=hi`
    let two = |i: usize, lo: u8, hi: u8| {
        digit(i) && digit(i + 1) && (lo..=hi).contains(&((b[i] - b'0') * 10 + (b[i + 1] - b'0')))
    };
    // YYYY
    if !(0..4).all(digit) {
        return false;
    }
    if b.len() == 4 {
        return true;
    }
    // -MM
    if !(at(4, b'-') && two(5, 1, 12)) {
        return false;
    }
    if b.len() == 7 {
        return true;
    }
    // -DD
    if !(at(7, b'-') && two(8, 1, 31)) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    // Thh:mm
    if !(at(10, b'T') && two(11, 0, 23) && at(13, b':') && two(14, 0, 59)) {
        return false;
    }
    let mut i = 16;
    // :ss[.s+]
    if at(i, b':') {
        if !two(i + 1, 0, 59) {
            return false;
        }
        i += 3;
        if at(i, b'.') {
            let start = i + 1;
            i = start;
            while digit(i) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    }
    // zone: Z, or +hh[:]mm / -hh[:]mm
    match b.get(i) {
        None => true,
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            if !two(i + 1, 0, 23) {
                return false;
            }
            let m = if at(i + 3, b':') { i + 4 } else { i + 3 };
            two(m, 0, 59) && m + 2 == b.len()
        }
        Some(_) => false,
    }
}

pub fn is_base64(s: &str) -> bool {
    let t = s.trim_end_matches('=');
    s.len() % 4 == 0
        && s.len() - t.len() <= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

pub fn is_ip_or_cidr(s: &str) -> bool {
    ip::parse(s).is_some()
}

/// IPv4/IPv6 addresses and CIDR ranges.
pub mod ip {
    use std::net::IpAddr;

    /// (address, prefix length); a bare address has the full length.
    pub fn parse(s: &str) -> Option<(IpAddr, u8)> {
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let ip: IpAddr = addr.parse().ok()?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let len = match len {
            Some(l) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => l.parse().ok()?,
            Some(_) => return None,
            None => max,
        };
        (len <= max).then_some((ip, len))
    }

    /// The range written with its host bits cleared.
    pub fn network_of(s: &str) -> Option<String> {
        let (ip, len) = parse(s)?;
        if !s.contains('/') {
            return Some(s.to_string());
        }
        let net = match ip {
            IpAddr::V4(v) => {
                let bits = u32::from(v);
                let mask = if len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(len))
                };
                IpAddr::V4((bits & mask).into())
            }
            IpAddr::V6(v) => {
                let bits = u128::from(v);
                let mask = if len == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(len))
                };
                IpAddr::V6((bits & mask).into())
            }
        };
        if net == ip {
            Some(s.to_string())
        } else {
            Some(format!("{net}/{len}"))
        }
    }

    /// Private, loopback, link-local or unique-local: never seen in `aws:SourceIp`.
    pub fn is_private(s: &str) -> bool {
        let Some((ip, len)) = parse(s) else {
            return false;
        };
        match ip {
            IpAddr::V4(v) => {
                let o = v.octets();
                let in_range = o[0] == 10
                    || (o[0] == 172 && (16..32).contains(&o[1]))
                    || (o[0] == 192 && o[1] == 168)
                    || o[0] == 127
                    || (o[0] == 169 && o[1] == 254);
                let min_len = match o[0] {
                    10 | 127 => 8,
                    172 => 12,
                    _ => 16,
                };
                in_range && len >= min_len
            }
            IpAddr::V6(v) => {
                let seg = v.segments();
                (v.is_loopback())
                    || ((seg[0] & 0xfe00) == 0xfc00 && len >= 7)
                    || ((seg[0] & 0xffc0) == 0xfe80 && len >= 10)
            }
        }
    }
}

/// The catalog actions an `Action` block grants, with the pattern each came from; `None` for
/// `NotAction` (which grants "everything else").
pub fn expanded(
    stmt: &Statement,
) -> Option<Vec<(crate::catalog::Action<'static>, &ActionPattern)>> {
    if stmt.action.negated {
        return None;
    }
    let mut out = Vec::new();
    for p in &stmt.action.items {
        for a in expand_cached(&p.lower).iter() {
            out.push((*a, p));
        }
    }
    Some(out)
}

thread_local! {
    static EXPANSIONS: std::cell::RefCell<
        crate::catalog::SeededMap<String, std::rc::Rc<[crate::catalog::Action<'static>]>>,
    > = std::cell::RefCell::new(Default::default());
}

/// [`crate::catalog::Catalog::expand`] of the active catalog, memoised per thread (policies
/// repeat the same actions over and over).
pub fn expand_cached(pattern_lower: &str) -> std::rc::Rc<[crate::catalog::Action<'static>]> {
    EXPANSIONS.with(|m| {
        if let Some(v) = m.borrow().get(pattern_lower) {
            return v.clone();
        }
        let v: std::rc::Rc<[crate::catalog::Action<'static>]> =
            crate::catalog::active().expand(pattern_lower).into();
        let mut map = m.borrow_mut();
        if map.len() > 100_000 {
            map.clear();
        }
        map.insert(pattern_lower.to_string(), v.clone());
        v
    })
}

thread_local! {
    static CONDITION_KEYS: std::cell::RefCell<
        crate::catalog::SeededMap<String, Option<crate::catalog::ConditionKey<'static>>>,
    > = std::cell::RefCell::new(Default::default());
}

/// [`crate::catalog::Catalog::condition_key`] of the active catalog, memoised per thread: a
/// miss on an `aws:` key scans every service, and policies repeat the same keys.
pub fn condition_key_cached(name: &str) -> Option<crate::catalog::ConditionKey<'static>> {
    CONDITION_KEYS.with(|m| {
        if let Some(v) = m.borrow().get(name) {
            return *v;
        }
        let v = crate::catalog::active().condition_key(name);
        let mut map = m.borrow_mut();
        if map.len() > 100_000 {
            map.clear();
        }
        map.insert(name.to_string(), v);
        v
    })
}

/// The best "did you mean" of [`crate::catalog::Catalog::suggest`] on the active catalog,
/// memoised for the process (the same typo tends to repeat across documents, and a
/// suggestion scans every action name).
pub fn suggest_cached(name: &str) -> Option<String> {
    type Memo = std::sync::Mutex<std::collections::HashMap<String, Option<String>>>;
    static SUGGESTIONS: std::sync::OnceLock<Memo> = std::sync::OnceLock::new();
    let memo = SUGGESTIONS.get_or_init(Default::default);
    if let Some(v) = memo.lock().ok().and_then(|m| m.get(name).cloned()) {
        return v;
    }
    let v = crate::catalog::active().suggest(name, 1).into_iter().next();
    if let Ok(mut map) = memo.lock() {
        if map.len() > 10_000 {
            map.clear();
        }
        map.insert(name.to_string(), v.clone());
    }
    v
}

/// The service prefixes (lower-case) of a statement's actions, sorted, for patterns whose
/// service part has no wildcard.
pub fn literal_services(stmt: &Statement) -> Vec<String> {
    let mut v: Vec<String> = stmt
        .action
        .items
        .iter()
        .filter_map(|a| a.split())
        .filter(|(svc, _)| !svc.contains(['*', '?']))
        .map(|(svc, _)| svc.to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

use crate::swar::{ascii_below, bytes_equal, words};

/// Whether `text` holds only printable ASCII, tab, LF and CR (the common case of the
/// invalid-character rule).
pub fn is_plain_ascii_text(text: &str) -> bool {
    if !text.is_ascii() {
        return false;
    }
    let (ws, rest) = words(text.as_bytes());
    let mut bad = 0u64;
    for w in ws {
        bad |= ascii_below(w, 0x20)
            & !(bytes_equal(w, b'\t') | bytes_equal(w, b'\n') | bytes_equal(w, b'\r'));
    }
    bad == 0
        && rest
            .iter()
            .all(|&b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7f))
}

/// Characters of a policy document that IAM counts against its size quotas: everything but
/// whitespace.
pub fn size_excluding_whitespace(text: &str) -> usize {
    // ASCII text (the usual case): count bytes; `char::is_whitespace` on ASCII is exactly
    // tab, LF, VT, FF, CR and space.
    if text.is_ascii() {
        let (ws, rest) = words(text.as_bytes());
        let mut space = 0usize;
        for w in ws {
            let m = bytes_equal(w, b' ') | (ascii_below(w, 14) & !ascii_below(w, 9));
            space += m.count_ones() as usize;
        }
        space += rest
            .iter()
            .filter(|b| matches!(b, b'\t'..=b'\r' | b' '))
            .count();
        text.len() - space
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// The shared check of the size-quota rules: one finding on the `Statement` key when the
/// document exceeds `limit` characters excluding whitespace.
pub fn check_size_quota(
    cx: &crate::lint::Ctx<'_>,
    out: &mut Vec<crate::lint::Finding>,
    rule: &'static crate::lint::Rule,
    limit: usize,
    what: &str,
    help: &str,
) {
    // a template's document is measured as the JSON IAM receives, not as its YAML or HCL
    let size = match cx.policy.json_size {
        Some(n) => n as usize,
        None => {
            let text = cx.source().slice(cx.policy.span);
            // a text no longer than the quota in bytes has no more characters than that
            if text.len() <= limit {
                return;
            }
            size_excluding_whitespace(text)
        }
    };
    if size > limit {
        out.push(
            cx.finding(
                rule,
                cx.policy.statement_key_span,
                format!(
                    "the policy has {} characters excluding whitespace, over the {}-character {what} quota",
                    thousands(size),
                    thousands(limit)
                ),
            )
            .label("this policy")
            .help(help.to_string()),
        );
    }
}

/// Prefixes of the tag condition keys (lower-case) whose support varies by action.
pub const TAG_KEY_PREFIXES: [&str; 3] = ["aws:resourcetag/", "aws:requesttag/", "aws:tagkeys"];

/// The actions a statement grants or denies (and their services) whose requests never carry
/// the condition key `key`, according to the catalog.
pub fn actions_without_key(s: &crate::model::Statement, key: &str) -> (Vec<String>, Vec<String>) {
    let Some(acts) = expanded(s) else {
        return (Vec::new(), Vec::new());
    };
    let mut actions = Vec::new();
    let mut services = Vec::new();
    for (a, _) in &acts {
        if !a.condition_keys().iter().any(|k| k.matches(key)) {
            actions.push(a.full_name());
            services.push(a.service().name().to_string());
        }
    }
    services.sort();
    services.dedup();
    (actions, services)
}

/// For a `NotAction` statement: how many catalog actions it covers whose requests never carry
/// the condition key `key`, and their services (sorted, deduplicated).
pub fn covered_actions_without_key(s: &crate::model::Statement, key: &str) -> (usize, Vec<String>) {
    let mut count = 0usize;
    let mut services: Vec<String> = Vec::new();
    for a in crate::catalog::active().actions() {
        if statement_covers(s, a.lowercase_name())
            && !a.condition_keys().iter().any(|k| k.matches(key))
        {
            count += 1;
            services.push(a.service().name().to_string());
        }
    }
    services.sort();
    services.dedup();
    (count, services)
}

/// What the catalog's ARN formats of a service say about the Region and account fields.
#[derive(Clone, Copy, Debug)]
pub struct ArnShape {
    /// Every format has an empty Region field.
    pub no_region: bool,
    /// Every format has an empty account field.
    pub no_account: bool,
    /// Every format has a Region.
    pub all_region: bool,
    /// Every format has an account.
    pub all_account: bool,
}

/// The [`ArnShape`] of a service prefix (case-insensitive), computed once per service;
/// `None` for an unknown service or one without ARN formats.
pub fn arn_shape(service: &str) -> Option<ArnShape> {
    type Shapes = std::collections::HashMap<String, Option<ArnShape>>;
    static SHAPES: std::sync::OnceLock<std::sync::Mutex<Shapes>> = std::sync::OnceLock::new();
    fn compute(service: &str) -> Option<ArnShape> {
        let cat = crate::catalog::active();
        let svc = cat.service(service)?;
        let fmts: Vec<[String; 2]> = svc
            .resource_types()
            .flat_map(|r| r.arn_formats())
            .filter_map(|f| arn_fields(f).map(|x| [x[3].to_string(), x[4].to_string()]))
            .collect();
        if fmts.is_empty() {
            return None;
        }
        Some(ArnShape {
            no_region: fmts.iter().all(|f| f[0].is_empty()),
            no_account: fmts.iter().all(|f| f[1].is_empty()),
            all_region: fmts.iter().all(|f| !f[0].is_empty()),
            all_account: fmts.iter().all(|f| !f[1].is_empty()),
        })
    }
    // a per-thread copy in front of the shared memo: no lock, no lower-case copy of a prefix
    // already in lower case (policy text as keys: the seeded hash)
    thread_local! {
        static LOCAL: std::cell::RefCell<crate::catalog::SeededMap<String, Option<ArnShape>>> =
            std::cell::RefCell::new(Default::default());
    }
    let lower: std::borrow::Cow<'_, str> = if service.bytes().any(|b| b.is_ascii_uppercase()) {
        service.to_ascii_lowercase().into()
    } else {
        service.into()
    };
    if let Some(known) = LOCAL.with(|m| m.borrow().get(&*lower).copied()) {
        return known;
    }
    let lower = lower.into_owned();
    let remember = |shape: Option<ArnShape>| {
        LOCAL.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() > 100_000 {
                m.clear();
            }
            m.insert(lower.clone(), shape);
        });
    };
    let shapes = SHAPES.get_or_init(|| std::sync::Mutex::new(Shapes::new()));
    if let Some(known) = shapes.lock().ok().and_then(|m| m.get(&lower).copied()) {
        remember(known);
        return known;
    }
    let shape = compute(service);
    remember(shape);
    if let Ok(mut m) = shapes.lock() {
        m.insert(lower, shape);
    }
    shape
}

/// The shared check of the two `aws:SourceIp` private-range rules: a finding on each private
/// value of an IP condition on `aws:SourceIp`, when every value is private (`all_private`) or
/// when private and public values are mixed (`!all_private`).
pub fn check_private_source_ip(
    cx: &crate::lint::Ctx<'_>,
    out: &mut Vec<crate::lint::Finding>,
    rule: &'static crate::lint::Rule,
    all_private: bool,
) {
    use crate::model::{OpBase, OpFamily};
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if c.key_lower != "aws:sourceip"
                || c.op.base.family() != OpFamily::Ip
                || c.values.is_empty()
            {
                continue;
            }
            let private: Vec<_> = c
                .values
                .iter()
                .filter(|v| ip::is_private(&v.text))
                .collect();
            if private.is_empty() || (private.len() == c.values.len()) != all_private {
                continue;
            }
            for v in private {
                out.push(
                    cx.finding(
                        rule,
                        v.span,
                        format!(
                            "`{}` is a private range; `aws:SourceIp` holds only public addresses",
                            v.text
                        ),
                    )
                    .help(if c.op.base == OpBase::NotIpAddress {
                        "the private range has no effect; for private networks use `aws:VpcSourceIp` or `aws:SourceVpc`/`aws:SourceVpce`"
                    } else {
                        "requests through a VPC endpoint carry `aws:VpcSourceIp` instead; use it (or `aws:SourceVpce`) for private ranges"
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name_list` and `push_count` write what the formatter writes.
    #[test]
    fn name_list_and_counts_read_as_formatted() {
        for n in [0usize, 7, 10, 99, 12_345, usize::MAX] {
            let mut s = String::from("x");
            push_count(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
        let items: Vec<String> = (0..9).map(|k| format!("s:A{k}")).collect();
        for n in 0..items.len() {
            for max in [1usize, 3, 5] {
                let l = &items[..n];
                let mut want = l
                    .iter()
                    .take(max)
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if l.len() > max {
                    want.push_str(&format!(" and {} more", l.len() - max));
                }
                assert_eq!(name_list(l, max), want, "{n} items, {max} shown");
            }
        }
    }

    #[test]
    fn has_is_str_contains() {
        for hay in [
            "",
            "a",
            "s3:GetObject",
            "UNKNOWN-",
            "xUNKNOWN",
            "aUUNKNOWN-b",
            "${x}",
            "$",
            "é${",
        ] {
            for needle in ["", "U", "UNKNOWN-", "${", ":UNKNOWN-", "é", "b", "xUNKNOWN"] {
                assert_eq!(has(hay, needle), hay.contains(needle), "{hay:?} {needle:?}");
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("iam:*", "iam:passrole"));
        assert!(glob_match("iam:*accesskey*", "iam:createaccesskey"));
        assert!(glob_match("iam:pass?ole", "iam:passrole"));
        assert!(!glob_match("iam:pass?ole", "iam:passsrole"));
        assert!(glob_match("*", "s3:getobject"));
        assert!(!glob_match("s3:get*", "s3:putobject"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("a:*:/r/*", "a:*:/r/*/d"));
    }

    /// The definition: `*` any run, `?` one byte, everything else itself.
    fn glob_reference(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|k| glob_reference(rest, &t[k..])),
            Some((&c, rest)) => t
                .split_first()
                .is_some_and(|(&d, tr)| (c == b'?' || c == d) && glob_reference(rest, tr)),
        }
    }

    proptest::proptest! {
        #[test]
        fn glob_match_is_the_definition(p in "[ab:*?]{0,8}", t in "[ab:]{0,10}") {
            proptest::prop_assert_eq!(
                glob_match(&p, &t),
                glob_reference(p.as_bytes(), t.as_bytes()),
                "{} {}", p, t
            );
        }
    }

    #[test]
    fn finds_variables() {
        let v = variables("arn:aws:s3:::b/${aws:username}/x/${aws:userid");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].inner, "aws:username");
        assert!(v[0].closed);
        assert!(!v[1].closed);
    }

    #[test]
    fn value_types() {
        assert!(is_date("2026-01-31T00:00:00Z"));
        assert!(is_date("2026-01-31"));
        assert!(is_date("1700000000"));
        assert!(!is_date("31/01/2026"));
        // the pattern the hand-written reader replaced, as the oracle (ASCII digits)
        let re = regex::Regex::new(
            r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?)?)?$|^[0-9]+$",
        )
        .unwrap();
        let pieces = [
            "", "2026", "-", "01", "12", "13", "00", "-31", "-32", "-00", "T", "23", "24", ":",
            "59", "60", ".", "5", ".", "Z", "+", "-", "05:30", "0530", "x", "1", " ",
        ];
        let mut n = 0;
        for prefix in [
            "",
            "2026",
            "2026-01",
            "2026-01-31",
            "2026-01-31T23:59",
            "2026-01-31T23:59:59",
        ] {
            for a in pieces {
                for b in pieces {
                    for c in pieces {
                        let s = format!("{prefix}{a}{b}{c}");
                        assert_eq!(is_date(&s), re.is_match(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 100_000);
        for s in [
            "2026-01-31T00:00:00Z",
            "2026-01-31T00:00:00.123+05:30",
            "2026-01-31T23:59",
            "2026-01-31T23:59-0800",
            "2026-02-30",
            "2026-01-31T24:00",
            "2026-01-31T00:00:00.",
            "2026-01-31T00:00Z",
            "2026-01-31T00:00:00+24:00",
            "٢٠٢٦",
        ] {
            assert_eq!(is_date(s), re.is_match(s), "{s:?}");
        }
        assert!(is_number("-1.5"));
        assert!(!is_number("ten"));
        assert_eq!(
            ip::network_of("203.0.113.7/24").as_deref(),
            Some("203.0.113.0/24")
        );
        assert!(ip::is_private("10.1.0.0/16"));
        assert!(!ip::is_private("8.0.0.0/4"));
        assert!(!is_ip_or_cidr("203.0.113.0/33"));
        assert!(is_base64("QmluYXJ5"));
        assert!(!is_base64("not base64!"));
    }

    /// The word-at-a-time splitter agrees with `splitn(6, ':')` on every catalog ARN format
    /// and on strings with colons at every position, including non-ASCII text.
    #[test]
    fn arn_fields_agrees_with_splitn() {
        let reference = |s: &str| -> Option<[String; 6]> {
            let v: Vec<&str> = s.splitn(6, ':').collect();
            (v.len() == 6).then(|| std::array::from_fn(|i| v[i].to_string()))
        };
        let mut cases: Vec<String> = crate::catalog::Catalog::embedded()
            .services()
            .flat_map(|s| {
                s.resource_types()
                    .flat_map(|r| r.arn_formats())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        for n in 0..40 {
            for step in 1..6 {
                let s: String = (0..n)
                    .map(|i| if i % step == 0 { ':' } else { 'é' })
                    .collect();
                cases.push(s);
                cases.push(
                    (0..n)
                        .map(|i| if i % step == 1 { ':' } else { 'a' })
                        .collect(),
                );
            }
        }
        cases.extend(
            ["", ":::::", "arn:aws:s3:::b/c:d:e", "arn:aws:iam::1:role/x"].map(String::from),
        );
        for c in &cases {
            let got = arn_fields(c).map(|f| f.map(str::to_string));
            assert_eq!(got, reference(c), "{c:?}");
        }
    }

    /// The ASCII fast path counts exactly what `char::is_whitespace` leaves out.
    #[test]
    fn size_excluding_whitespace_matches_char_whitespace() {
        let all_ascii: String = (0u8..=0x7f).map(char::from).collect();
        for text in [
            all_ascii.as_str(),
            "{\n\t\"Version\": \"2012-10-17\" }\r\n\u{b}\u{c}",
            "",
            "   ",
        ] {
            let want = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(size_excluding_whitespace(text), want, "{text:?}");
        }
        // non-ASCII text takes the other path and counts characters
        assert_eq!(size_excluding_whitespace("é \u{a0}x"), 2);
        // every ASCII byte at every offset of a word, next to every other
        for a in 0u8..0x80 {
            for b in [0u8, b' ', b'\t', b'\n', 0x0b, b'\r', 0x1f, b'a', 0x7f] {
                for pad in 0..9 {
                    let t: String = std::iter::repeat_n('x', pad)
                        .chain([char::from(a), char::from(b), char::from(a)])
                        .collect();
                    let want = t.chars().filter(|c| !c.is_whitespace()).count();
                    assert_eq!(size_excluding_whitespace(&t), want, "{t:?}");
                    let plain = t
                        .bytes()
                        .all(|c| matches!(c, b'\t' | b'\n' | b'\r' | 0x20..=0x7f));
                    assert_eq!(is_plain_ascii_text(&t), plain, "{t:?}");
                }
            }
        }
        assert!(!is_plain_ascii_text("abcdefgh é"));
    }
}
