//! Does a list of patterns match *every* action, or *every* role of an account? Decided by
//! language inclusion over the glob automata ([`super::automaton::uncovered`]), so every
//! spelling counts: `*`, `*:*`, `*:?*`, `?*`, `a*:*` … `z*:*` all match every action;
//! `arn:aws:iam::111122223333:*`, `…:role*`, `…:r*` and `…:role/*` all match every role of the
//! account, while `…:role/app-*` and `…:role/*/*` (roles with a path only) do not.
//!
//! An inclusion test the walk cannot finish within its budget answers "covers" (the security
//! rules that ask then decide on the effective access with the request-space analysis, so an
//! undecided test never reads as "safe").

use super::automaton::{self, Pattern, Universe};

/// Product states one inclusion test may visit.
const MAX_STATES: usize = 20_000;

/// The characters of an action name, lower case (the evaluator matches actions
/// case-insensitively).
const ACTION_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789-:";

/// A cheap exact "no" for [`every_action`]: `false` when the (lower-case) patterns miss one
/// of a few action names that every covering list must match.
pub fn may_be_every_action<'a>(patterns: impl Iterator<Item = &'a str>) -> bool {
    const PROBES: [&str; 3] = ["a:a", "z9-q:x-0", "greenlight-unnamed:greenlightunnamed"];
    let mut hit = [false; 3];
    for p in patterns {
        for (h, t) in hit.iter_mut().zip(PROBES) {
            *h = *h || crate::lint::util::glob_match(p, t);
        }
        if hit.iter().all(|h| *h) {
            return true;
        }
    }
    false
}

/// Whether the (lower-case) `Action` patterns together match every action: every
/// `service:action` spelled as the catalog spells them, a service prefix and an action name
/// each a letter followed by letters, digits and hyphens (the IAM action grammar,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>, and the
/// Service Authorization Reference's names), whether or not the catalog lists it.
pub fn every_action(patterns: &[&str]) -> bool {
    if patterns.iter().any(|p| *p == "*" || *p == "*:*") {
        return true;
    }
    if !may_be_every_action(patterns.iter().copied()) {
        return false;
    }
    thread_local! {
        static MEMO: std::cell::RefCell<crate::catalog::SeededMap<String, bool>> =
            std::cell::RefCell::new(Default::default());
    }
    let key = patterns.join("\n");
    if let Some(v) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return v;
    }
    let pats: Vec<Pattern> = patterns
        .iter()
        .map(|p| Pattern::string(p, true, true))
        .collect();
    let alphabet: Vec<char> = ACTION_CHARS.chars().collect();
    let next = |s: u8, c: char| -> Option<u8> {
        let letter = c.is_ascii_lowercase();
        let inner = letter || c.is_ascii_digit() || c == '-';
        match (s, c) {
            (0, _) if letter => Some(1),
            (1, ':') => Some(2),
            (1, _) if inner => Some(1),
            (2, _) if letter => Some(3),
            (3, _) if inner => Some(3),
            _ => None,
        }
    };
    let u = Universe {
        alphabet: &alphabet,
        states: 4,
        next: &next,
        accepting: &|s| s == 3,
    };
    let v = !matches!(automaton::uncovered(&pats, "", &u, MAX_STATES), Ok(Some(_)));
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 10_000 {
            m.clear();
        }
        m.insert(key, v);
    });
    v
}

/// Whether the `Resource` patterns together match every ARN of a partition they name (`aws`
/// when they name none): `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with a service
/// prefix of letters, digits and hyphens, a region and an account of letters, digits and
/// hyphens (either may be empty, as in S3 ARNs) and a non-empty resource (IAM identifiers,
/// ARN format, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
pub fn every_arn(patterns: &[&str]) -> bool {
    if patterns.contains(&"*") {
        return true;
    }
    let mut parts: Vec<String> = vec!["aws".into()];
    for p in patterns {
        // (a partition pattern, `arn:aws-*:*:*:*:*`, and an item cut short,
        // `arn:aws-us-gov:*`, name their partition too)
        if let Some(x) = crate::lint::util::partition_of(p) {
            if !parts.contains(&x) {
                parts.push(x);
            }
        }
    }
    let pats = arn_patterns(patterns);
    let alphabet: Vec<char> = ('!'..='~').collect();
    // 0: service (empty so far), 1: service, 2: region, 3: account, 4: resource (empty so
    // far), 5: resource
    let next = |s: u8, c: char| -> Option<u8> {
        let word = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        match (s, c) {
            (0 | 1, ':') => (s == 1).then_some(2),
            (0, _) if c.is_ascii_lowercase() => Some(1),
            (1, _) if word => Some(1),
            (2, ':') => Some(3),
            (3, ':') => Some(4),
            (2 | 3, _) if word => Some(s),
            (4 | 5, _) => Some(5),
            _ => None,
        }
    };
    let u = Universe {
        alphabet: &alphabet,
        states: 6,
        next: &next,
        accepting: &|s| s == 5,
    };
    parts.iter().any(|p| {
        !matches!(
            automaton::uncovered(&pats, &format!("arn:{p}:"), &u, MAX_STATES),
            Ok(Some(_))
        )
    })
}

/// The characters of a role name (IAM `CreateRole`, `RoleName`: `[\w+=,.@-]+`,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>).
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// Whether the `Resource` patterns together match every string of `prefix` followed by a
/// role's path and name (`every_role("arn:aws:iam::111122223333:role/", …)`: every role of
/// the account), or, with `names_only`, by a role name alone (every role directly under the
/// path `prefix` ends with). A role's path is `/` or `/…/` of the characters `!` to `~`
/// (IAM `CreateRole`, `Path`, <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>).
/// Patterns are matched as the evaluator matches ARNs; one that is not an ARN pattern
/// matches nothing.
pub fn every_role(prefix: &str, patterns: &[&str], names_only: bool) -> bool {
    // a pure function of its inputs, asked again and again with the same patterns (`*`,
    // `arn:aws:iam::*:role/*`) across a directory: memoised per thread
    thread_local! {
        static EVERY: std::cell::RefCell<crate::catalog::SeededMap<String, bool>> =
            std::cell::RefCell::new(Default::default());
    }
    let mut key = String::with_capacity(prefix.len() + 8);
    key.push_str(prefix);
    key.push(if names_only { '\u{1}' } else { '\u{2}' });
    for p in patterns {
        key.push_str(p);
        key.push('\u{0}');
    }
    if let Some(v) = EVERY.with(|m| m.borrow().get(&key).copied()) {
        return v;
    }
    let v = every_role_uncached(prefix, patterns, names_only);
    EVERY.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(key, v);
    });
    v
}

fn every_role_uncached(prefix: &str, patterns: &[&str], names_only: bool) -> bool {
    // cheap exact "no": a role no policy names must be matched
    let probe = format!("{prefix}{}", crate::lint::effective::UNNAMED);
    if !patterns
        .iter()
        .any(|p| crate::eval::resource_item_matches(p, &probe))
    {
        return false;
    }
    // only patterns that can match an IAM ARN take part
    let iam: Vec<&str> = patterns
        .iter()
        .copied()
        .filter(|p| {
            crate::lint::util::arn_fields(p)
                .is_none_or(|f| crate::lint::util::glob_match(f[2], "iam"))
        })
        .collect();
    let pats = arn_patterns(&iam);
    !matches!(role_gap(prefix, &pats, names_only), Ok(Some(_)))
}

/// A role ARN of the [`every_role`] universe that none of the patterns matches, preferring
/// `prefix` + `greenlight-unnamed`; `None` when they match every one (or the walk gave up).
/// The security rules ask about this role so that a Deny of some role names (`role/g*`)
/// cannot hide the roles it leaves allowed.
pub fn role_outside(prefix: &str, patterns: &[&str], names_only: bool) -> Option<String> {
    let pats = arn_patterns(patterns);
    let probe = format!("{prefix}{}", crate::lint::effective::UNNAMED);
    if !pats.iter().any(|p| automaton::matches(p, &probe)) {
        return Some(probe);
    }
    role_gap(prefix, &pats, names_only).ok().flatten()
}

fn arn_patterns(patterns: &[&str]) -> Vec<Pattern> {
    patterns
        .iter()
        .filter_map(|p| Pattern::arn_resource(p))
        .collect()
}

fn role_gap(
    prefix: &str,
    pats: &[Pattern],
    names_only: bool,
) -> Result<Option<String>, automaton::TooLarge> {
    let alphabet: Vec<char> = ('!'..='~').collect();
    // 0: at the start of a path segment or the name; 1: in a segment of name characters
    // (a complete name); 2: in a segment with other path characters
    let next = move |s: u8, c: char| -> Option<u8> {
        match c {
            '/' if !names_only => Some(0),
            '/' => None,
            c if name_char(c) => Some(if s == 2 { 2 } else { 1 }),
            _ if names_only => None,
            _ => Some(2),
        }
    };
    let u = Universe {
        alphabet: &alphabet,
        states: 3,
        next: &next,
        accepting: &|s| s == 1,
    };
    automaton::uncovered(pats, prefix, &u, MAX_STATES)
}

/// The prefixes `arn:PARTITION:iam::ACCOUNT:role/` of the roles `patterns` may name: the
/// partition `aws` and an account no policy names, and every partition and account a pattern
/// names (an account field with wildcards, filled by [`account_of`]).
pub fn role_prefixes(patterns: &[&str]) -> Vec<String> {
    let mut parts: Vec<String> = vec!["aws".into()];
    let mut accts: Vec<String> = vec![crate::lint::effective::UNNAMED_ACCOUNT.into()];
    for v in patterns {
        // (a partition pattern or an item cut short, `arn:aws-us-gov:*`, names its partition
        // too)
        if let Some(p) = crate::lint::util::partition_of(v) {
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        let Some(f) = crate::lint::util::arn_fields(v) else {
            continue;
        };
        if let Some(a) = account_of(f[4]) {
            if !accts.contains(&a) {
                accts.push(a);
            }
        }
    }
    let mut out = Vec::new();
    for p in &parts {
        for a in &accts {
            out.push(format!("arn:{p}:iam::{a}:role/"));
        }
    }
    out
}

/// A twelve-digit account an `Account` field names: the field itself, or its wildcards
/// filled with `0` (`1111*` → `111100000000`); `None` for `*` alone or a field no account
/// matches.
pub fn account_of(field: &str) -> Option<String> {
    if field.is_empty() || field.chars().all(|c| c == '*') {
        return None;
    }
    if !field.contains(['*', '?']) {
        return Some(field.to_string());
    }
    let fixed = field.chars().filter(|c| *c != '*').count();
    let fill = "0".repeat(12usize.saturating_sub(fixed));
    let a = field.replacen('*', &fill, 1).replace(['*', '?'], "0");
    crate::lint::util::glob_match(field, &a).then_some(a)
}

/// Whether some string matches both `StringLike` globs (`*` and `?` wildcards,
/// case-sensitive): the languages intersect. An undecided walk answers `true`.
pub fn globs_intersect(a: &str, b: &str) -> bool {
    let langs: Vec<automaton::Lang> = [a, b]
        .iter()
        .map(|t| automaton::Lang {
            pat: Pattern::string(t, true, false),
            before: String::new(),
            after: String::new(),
        })
        .collect();
    match automaton::lang_atoms_preferring(&langs, 0, MAX_STATES, &[]) {
        Ok(atoms) => atoms.iter().any(|x| x.accepts.iter().all(|y| *y)),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_by_language_not_text() {
        let az: Vec<String> = ('a'..='z').map(|c| format!("{c}*:*")).collect();
        let az: Vec<&str> = az.iter().map(String::as_str).collect();
        for p in [
            vec!["*"],
            vec!["*:*"],
            vec!["*:?*"],
            vec!["**"],
            vec!["?*"],
            az.clone(),
        ] {
            assert!(every_action(&p), "{p:?}");
        }
        let mut no_q = az.clone();
        no_q.retain(|p| *p != "q*:*");
        for p in [
            vec!["s3:*"],
            vec!["*:get*"],
            vec!["iam:*", "s3:*"],
            no_q,
            vec!["*:??*"],
            vec!["*:?", "*:??"],
        ] {
            assert!(!every_action(&p), "{p:?}");
        }
        // a one-letter action name is also an action name
        assert!(every_action(&["*:??*", "*:?"]));
        // an item without `*` can be needed: every name of four characters or more, and
        // every `x:y`
        assert!(every_action(&["????*", "?:?"]));
    }

    #[test]
    fn every_arn_by_language_not_text() {
        for p in [
            vec!["*"],
            vec!["arn:aws:*:*:*:*"],
            vec!["arn:*:*:*:*:*"],
            vec!["arn:aws:*"],
            vec!["arn:aws:?*:*:*:?*"],
            vec!["arn:aws-cn:*:*:*:*"],
        ] {
            assert!(every_arn(&p), "{p:?}");
        }
        for p in [
            vec!["arn:aws:g*"],
            vec!["arn:aws:s3:::*"],
            vec!["arn:aws:*:*:111122223333:*"],
            vec!["arn:aws:*:us-east-1:*:*"],
        ] {
            assert!(!every_arn(&p), "{p:?}");
        }
    }

    #[test]
    fn glob_intersection() {
        assert!(globs_intersect("r*/infra", "repo:x/*"));
        assert!(globs_intersect("?*", "repo:x/*"));
        assert!(!globs_intersect("repo:my-org/*", "repo:x/*"));
        assert!(!globs_intersect("repo:a*", "repo:x/*"));
    }

    #[test]
    fn every_role_by_language_not_text() {
        let acct = "arn:aws:iam::111122223333:role/";
        for p in [
            "arn:aws:iam::111122223333:*",
            "arn:aws:iam::111122223333:role*",
            "arn:aws:iam::111122223333:r*",
            "arn:aws:iam::*:*",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::111122223333:role/?*",
            "arn:*:iam::*:role/*",
            "*",
        ] {
            assert!(every_role(acct, &[p], false), "{p}");
        }
        for p in [
            "arn:aws:iam::111122223333:role/app-*",
            "arn:aws:iam::111122223333:role/*/*",
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::444455556666:*",
            "arn:aws:s3:::*",
            "arn:aws:iam::111122223333:role/??*",
        ] {
            assert!(!every_role(acct, &[p], false), "{p}");
        }
        // roles with a path and roles without one, together
        assert!(every_role(
            acct,
            &[
                "arn:aws:iam::111122223333:role/*/*",
                "arn:aws:iam::111122223333:role/?*"
            ],
            false
        ));
        // every role directly under a path
        let path = "arn:aws:iam::111122223333:role/service-role/";
        assert!(every_role(
            path,
            &["arn:aws:iam::111122223333:role/service-role/*"],
            true
        ));
        assert!(every_role(
            path,
            &["arn:aws:iam::111122223333:role/*/*"],
            true
        ));
        assert!(!every_role(
            path,
            &["arn:aws:iam::111122223333:role/service-role/a*"],
            true
        ));
        // a role outside a Deny of some names
        let deny = ["arn:aws:iam::111122223333:role/g*"];
        let r = role_outside(acct, &deny, false).unwrap();
        assert!(
            r.starts_with(acct) && !r.starts_with(&format!("{acct}g")),
            "{r}"
        );
        assert_eq!(
            role_outside(acct, &["arn:aws:iam::111122223333:role/admin"], false).as_deref(),
            Some("arn:aws:iam::111122223333:role/greenlight-unnamed")
        );
        assert_eq!(
            role_outside(acct, &["arn:aws:iam::111122223333:role/*"], false),
            None
        );
    }
}
