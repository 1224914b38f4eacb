//! The classes of one context key: "absent", and one value (or, for keys read by
//! `ForAllValues:`/`ForAnyValue:`, one set of values) per class of the values the policies'
//! conditions on that key tell apart.
//!
//! - strings and ARNs: the atoms of the glob languages of the condition values
//!   ([`super::automaton`]); `StringEquals` values are literal, `…IgnoreCase` ones
//!   case-insensitive, ARN values segment-wise;
//! - numbers and dates: each value, and one point in each open interval around and between them
//!   (dates to the nanosecond, as the evaluator reads them);
//! - IP addresses: the first address of every interval the CIDR blocks cut the address space
//!   into (both families);
//! - `Bool`: `true` and `false`; binary: each value and one other; `Null`: present or not.
//!
//! A key is single-valued unless a condition reads it with a set operator or the catalog types
//! it `ArrayOf…` (AWS documents the set operators for multi-valued keys only). A multi-valued
//! key takes sets of values, also under plain operators (the evaluator: "any value matches"):
//! one set per way the conditions tell sets apart ([`value_sets`]), or, when a condition value
//! reads a policy variable, every subset of its value classes (at most [`MAX_SET_ATOMS`]).

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::automaton::{self, Lang, Pattern};
use super::vars::{self, Occurrence};
use crate::model::{Condition, OpBase, OpFamily, SetQualifier};

/// The most value classes whose subsets a multi-valued key enumerates.
pub(crate) const MAX_SET_ATOMS: usize = 8;

/// A fresh value no policy names (for `Null` and policy variables).
pub(crate) const FRESH: &str = "greenlight-example";

/// One class of a key: absent, or these values.
pub(crate) type KeyClass = Option<Vec<String>>;

/// A condition on the key, as the key's classes need it.
#[derive(Clone, Copy)]
pub(crate) struct KeyUse<'a> {
    pub cond: &'a Condition,
    pub variables: bool,
}

/// The values chosen for each policy-variable key (lower-case), or why none are.
pub(crate) type VarValues = BTreeMap<String, Result<Vec<String>, String>>;

/// The policy variable of a condition value, when the analysis decides it exactly
/// ([`super::vars`]): `Ok(None)` for a value without variables.
pub(crate) fn value_var(u: &KeyUse<'_>, text: &str) -> Result<Option<Occurrence>, String> {
    if !u.variables || !text.contains("${") {
        return Ok(None);
    }
    let undecided = |why: String| {
        format!(
            "a condition value on `{}` reads a policy variable ({why})",
            u.cond.key
        )
    };
    let like = match u.cond.op.base {
        OpBase::StringEquals | OpBase::StringNotEquals => false,
        OpBase::StringLike | OpBase::StringNotLike => true,
        _ => return Err(undecided(format!("under `{}`", u.cond.op.name()))),
    };
    vars::in_value(text, like).map(Some).map_err(undecided)
}

/// The pattern a condition value (without variables) stands for.
pub(crate) fn value_pattern(base: OpBase, text: &str) -> Result<Pattern, String> {
    Ok(match base {
        OpBase::StringLike | OpBase::StringNotLike => Pattern::string(text, true, false),
        OpBase::StringEqualsIgnoreCase | OpBase::StringNotEqualsIgnoreCase => {
            Pattern::string(text, false, true)
        }
        OpBase::ArnEquals | OpBase::ArnLike | OpBase::ArnNotEquals | OpBase::ArnNotLike => {
            Pattern::arn(text).ok_or_else(|| format!("`{text}` is not an ARN"))?
        }
        _ => Pattern::string(text, false, false),
    })
}

/// The classes of one key, or why the key is not decided exactly. `var`: the key is a
/// policy variable's, and its values must also split these languages ([`super::vars`]);
/// `var_values`: the values chosen for the variables condition values read.
pub(crate) fn classes(
    uses: &[KeyUse<'_>],
    extra_values: &[String],
    var: Option<&[Lang]>,
    var_values: &VarValues,
) -> Result<Vec<KeyClass>, String> {
    let mut families: BTreeSet<&'static str> = BTreeSet::new();
    // A key read by a set operator, or typed `ArrayOf…` by the catalog, holds sets of values;
    // the evaluator reads a plain operator on several values as "any value matches"
    // (negated operators: the inverse of that), so its classes are sets.
    let mut multi = uses.first().is_some_and(|u| {
        // (memoised: a miss on an `aws:` key scans every service)
        crate::lint::util::condition_key_cached(&u.cond.key).is_some_and(|k| k.is_multivalued())
    });
    let null_used = uses.iter().any(|u| u.cond.op.base == OpBase::Null);
    // (`...IfExists` reads a key whose values are all empty as absent too: red team 61, a
    // class whose witness was `""` stood for "present, matching nothing" and was absent)
    let if_exists_used = uses.iter().any(|u| u.cond.op.if_exists);
    for u in uses {
        if u.cond.op.qualifier.is_some() {
            multi = true;
        }
        let f = match u.cond.op.base.family() {
            OpFamily::String | OpFamily::Arn => "string",
            OpFamily::Numeric => "numeric",
            OpFamily::Date => "date",
            OpFamily::Bool => "bool",
            OpFamily::Binary => "binary",
            OpFamily::Ip => "ip",
            OpFamily::Null => continue,
        };
        families.insert(f);
        for v in &u.cond.values {
            if let Some(o) = value_var(u, &v.text)? {
                match var_values.get(&o.key_lower()) {
                    Some(Ok(_)) => {}
                    Some(Err(why)) => return Err(why.clone()),
                    None => {
                        return Err(format!(
                            "a condition value on `{}` reads the policy variable `${{{}}}`, which is not decided",
                            u.cond.key, o.key
                        ));
                    }
                }
            }
        }
    }
    if var.is_some() {
        let name = uses
            .first()
            .map(|u| u.cond.key.as_str())
            .unwrap_or_default();
        if multi {
            return Err(format!(
                "`{name}` is multi-valued (read by a set operator, or typed `ArrayOf…`) and read as a policy variable"
            ));
        }
        if families.iter().any(|f| *f != "string") {
            return Err(format!(
                "`{name}` is read by a non-string operator and as a policy variable"
            ));
        }
    }
    if families.len() > 1 {
        return Err(format!(
            "`{}` is read by operators of several types ({})",
            uses.first()
                .map(|u| u.cond.key.as_str())
                .unwrap_or_default(),
            families.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    // `Null` reads only presence: its values are not values of the key
    let typed: Vec<KeyUse<'_>> = uses
        .iter()
        .filter(|u| u.cond.op.base != OpBase::Null)
        .copied()
        .collect();
    let uses = typed.as_slice();
    // The empty string is a class of its own where it reads differently from the other values
    // of its class: a key whose values are all empty is absent for `Null`, the set operators
    // and `...IfExists`, but a value for a plain operator.
    let empty_apart = multi || null_used || if_exists_used;
    let values = match families.first().copied() {
        None if var.is_none() => vec![FRESH.to_string()],
        None | Some("string") => string_values(
            uses,
            extra_values,
            var.unwrap_or(&[]),
            var_values,
            empty_apart,
        )?,
        Some("numeric") => numeric_values(uses)?,
        Some("date") => date_values(uses)?,
        Some("bool") => vec!["true".into(), "false".into()],
        Some("binary") => binary_values(uses),
        Some(_) => ip_values(uses)?,
    };
    let mut out: Vec<KeyClass> = vec![None];
    let name = uses
        .first()
        .map(|u| u.cond.key.as_str())
        .unwrap_or_default();
    if multi {
        if let Some(sets) = value_sets(uses, &values) {
            out.extend(sets.into_iter().map(Some));
            return Ok(out);
        }
        if values.len() > MAX_SET_ATOMS {
            return Err(format!(
                "the multi-valued key `{name}` has {} value classes (at most {MAX_SET_ATOMS} are enumerated as sets)",
                values.len()
            ));
        }
        for mask in 1u32..(1 << values.len()) {
            let set = values
                .iter()
                .enumerate()
                .filter(|(i, _)| mask >> i & 1 == 1)
                .map(|(_, v)| v.clone())
                .collect();
            out.push(Some(set));
        }
    } else {
        out.extend(values.into_iter().map(|v| Some(vec![v])));
    }
    Ok(out)
}

/// The most sets of values [`value_sets`] gives one key.
const MAX_SETS: usize = 1024;

/// The sets of values of a multi-valued key that the conditions on it tell apart, one per
/// class. The evaluator reads a non-empty set, for each condition, through one "some member
/// does" question — a plain operator: some member matches its values (a negated one is the
/// inverse); `ForAnyValue:`: some member makes it true; `ForAllValues:`: some member makes it
/// false — and, for `Null` and the set operators, whether every member is empty (then the key
/// reads as absent). Each value class gets a vector of those bits; a set reads as the union
/// (OR) of its members' vectors, so one set per reachable union is exact. `None` when a
/// value cannot be decided alone (a policy variable in a condition value, a value not of the
/// operator's type): the caller then enumerates every subset.
fn value_sets(uses: &[KeyUse<'_>], values: &[String]) -> Option<Vec<Vec<String>>> {
    let matchers: Vec<_> = uses
        .iter()
        .map(|u| crate::eval::positive_matcher(u.cond, u.variables))
        .collect::<Option<_>>()?;
    let mut feats: Vec<Vec<bool>> = Vec::with_capacity(values.len());
    for v in values {
        let mut f = vec![!v.is_empty()];
        for (u, m) in uses.iter().zip(&matchers) {
            let pos = m(v)?;
            let negated = u.cond.op.base.is_negated();
            f.push(match u.cond.op.qualifier {
                // true when some value matches
                None => pos,
                // true when some value makes it true
                Some(SetQualifier::ForAnyValue) => pos != negated,
                // true when some value makes it false
                Some(SetQualifier::ForAllValues) => pos == negated,
            });
        }
        feats.push(f);
    }
    let mut seen: BTreeMap<Vec<bool>, Vec<usize>> = BTreeMap::new();
    for (i, f) in feats.iter().enumerate() {
        let grown: Vec<(Vec<bool>, Vec<usize>)> = seen
            .iter()
            .map(|(g, members)| {
                let u: Vec<bool> = g.iter().zip(f).map(|(a, b)| *a || *b).collect();
                let mut m = members.clone();
                m.push(i);
                (u, m)
            })
            .chain(std::iter::once((f.clone(), vec![i])))
            .collect();
        for (g, m) in grown {
            // the fewest members per class
            let e = seen.entry(g).or_insert_with(|| m.clone());
            if m.len() < e.len() {
                *e = m;
            }
        }
        if seen.len() > MAX_SETS {
            return None;
        }
    }
    // small sets first, then in the order of the values
    let mut sets: Vec<Vec<usize>> = seen.into_values().collect();
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    Some(
        sets.into_iter()
            .map(|m| m.into_iter().map(|i| values[i].clone()).collect())
            .collect(),
    )
}

fn string_values(
    uses: &[KeyUse<'_>],
    extra: &[String],
    langs: &[Lang],
    var_values: &VarValues,
    empty_apart: bool,
) -> Result<Vec<String>, String> {
    let mut pats: Vec<Pattern> = Vec::new();
    if empty_apart {
        pats.push(Pattern::string("", false, false));
    }
    // the patterns already in `pats` (`pats.contains` made 10,000 values take seconds)
    let mut seen: std::collections::HashSet<Pattern> = pats.iter().cloned().collect();
    let mut preferred: Vec<String> = extra.to_vec();
    let mut arn = false;
    for u in uses {
        for v in &u.cond.values {
            if let Some(o) = value_var(u, &v.text)? {
                // one literal pattern per value the variable takes ([`super::vars`])
                if let Some(Ok(values)) = var_values.get(&o.key_lower()) {
                    for x in values {
                        let text = format!("{}{x}{}", o.before, o.after);
                        let p = Pattern::string(&text, false, false);
                        preferred.push(text);
                        if seen.insert(p.clone()) {
                            pats.push(p);
                        }
                    }
                }
                continue;
            }
            if matches!(
                u.cond.op.base,
                OpBase::ArnEquals | OpBase::ArnLike | OpBase::ArnNotEquals | OpBase::ArnNotLike
            ) {
                arn = true;
            }
            let p = value_pattern(u.cond.op.base, &v.text)?;
            preferred.push(v.text.replace('*', "example").replace('?', "x"));
            if seen.insert(p.clone()) {
                pats.push(p);
            }
        }
    }
    if arn {
        pats.push(Pattern::arn_shape());
    }
    let mut all: Vec<Lang> = langs.to_vec();
    all.extend(pats.into_iter().map(|pat| Lang {
        pat,
        before: String::new(),
        after: String::new(),
    }));
    let atoms = automaton::lang_atoms_preferring(&all, 0, 200_000, &preferred)
        .map_err(|_| "the string conditions on one key are too complex to partition".to_string())?;
    Ok(atoms
        .into_iter()
        .filter(|a| !arn || a.accepts.last().copied().unwrap_or(false))
        .map(|a| a.witness)
        .collect())
}

fn numeric_values(uses: &[KeyUse<'_>]) -> Result<Vec<String>, String> {
    // The evaluator compares decimals exactly: every value is scaled to an integer with one
    // more fraction digit than the longest written, so that `x + 1` (in scaled units) lies
    // strictly between two neighbouring values.
    let parts: Vec<(bool, String, String)> = uses
        .iter()
        .flat_map(|u| u.cond.values.iter())
        .filter_map(|v| crate::eval::parse_number_text(&v.text))
        .collect();
    let k = parts.iter().map(|(_, _, f)| f.len()).max().unwrap_or(0) + 1;
    let too_large =
        || "the numeric values on one key are too large to partition exactly".to_string();
    let mut xs: Vec<i128> = Vec::with_capacity(parts.len());
    for (neg, int, frac) in &parts {
        let mut digits = int.clone();
        digits.push_str(frac);
        digits.extend(std::iter::repeat_n('0', k - frac.len()));
        let n: i128 = if digits.trim_start_matches('0').is_empty() {
            0
        } else {
            digits.parse().map_err(|_| too_large())?
        };
        xs.push(if *neg { -n } else { n });
    }
    xs.sort_unstable();
    xs.dedup();
    let one = 10i128.checked_pow(k as u32).ok_or_else(too_large)?;
    let Some(&first) = xs.first() else {
        return Ok(vec!["0".into()]);
    };
    let mut out = Vec::new();
    out.push(fmt_scaled(first.checked_sub(one).ok_or_else(too_large)?, k));
    for (i, &x) in xs.iter().enumerate() {
        out.push(fmt_scaled(x, k));
        match xs.get(i + 1) {
            Some(_) => out.push(fmt_scaled(x + 1, k)),
            None => out.push(fmt_scaled(x.checked_add(one).ok_or_else(too_large)?, k)),
        }
    }
    Ok(out)
}

/// `n / 10^k` written as the evaluator reads it: `-?digits(.digits)?`.
fn fmt_scaled(n: i128, k: usize) -> String {
    let digits = format!("{:0>width$}", n.unsigned_abs(), width = k + 1);
    let (int, frac) = digits.split_at(digits.len() - k);
    let frac = frac.trim_end_matches('0');
    let sign = if n < 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn date_values(uses: &[KeyUse<'_>]) -> Result<Vec<String>, String> {
    // The evaluator reads dates to the nanosecond ([`crate::eval::parse_date_text`]): each
    // value, and the nearest date the evaluator can read on either side of it, so that every
    // open interval between two neighbouring values that holds a readable date has a witness.
    let mut xs: Vec<i128> = Vec::new();
    for u in uses {
        for v in &u.cond.values {
            let n = crate::eval::parse_date_text(&v.text)
                .ok_or_else(|| format!("`{}` is not a date", v.text))?;
            xs.push(n);
        }
    }
    xs.sort_unstable();
    xs.dedup();
    let Some(&first) = xs.first() else {
        return Ok(vec!["0".into()]);
    };
    let unreadable = |n: i128| format!("no date text reads as {n} ns after 1970");
    let mut out = Vec::new();
    if let Some(below) = date_before(first) {
        out.push(below);
    }
    for (i, &x) in xs.iter().enumerate() {
        out.push(date_text(x).ok_or_else(|| unreadable(x))?);
        if let Some((n, text)) = date_after(x) {
            if xs.get(i + 1).is_none_or(|&y| n < y) {
                out.push(text);
            }
        }
    }
    Ok(out)
}

const NANOS: i128 = 1_000_000_000;

/// The earliest date the evaluator reads: `0000-01-01T00:00:00+23:59`.
fn earliest_date() -> i128 {
    crate::eval::parse_date_text("0000-01-01T00:00:00+23:59").unwrap_or(i128::MIN)
}

/// The readable date just before `x` (1 ns earlier when it can be written), if any.
fn date_before(x: i128) -> Option<String> {
    let t = x.checked_sub(1)?;
    if t < earliest_date() {
        return None;
    }
    date_text(t).or_else(|| date_text(t.div_euclid(NANOS) * NANOS))
}

/// The readable date just after `x` (1 ns later when it can be written, else the next whole
/// second, as epoch seconds), with its value.
fn date_after(x: i128) -> Option<(i128, String)> {
    let t = x.checked_add(1)?;
    if let Some(s) = date_text(t) {
        return Some((t, s));
    }
    let t = t.checked_add(NANOS - 1)?.div_euclid(NANOS) * NANOS;
    date_text(t).map(|s| (t, s))
}

/// A text the evaluator reads as exactly `n` nanoseconds after 1970, if there is one: epoch
/// seconds for whole seconds from 1970 on, else ISO 8601 with nine fraction digits (UTC, or
/// with an offset just outside the years 0000 to 9999).
pub(crate) fn date_text(n: i128) -> Option<String> {
    let text = if n >= 0 && n % NANOS == 0 {
        (n / NANOS).to_string()
    } else {
        let lo = crate::eval::parse_date_text("0000-01-01T00:00:00Z")?;
        let hi = crate::eval::parse_date_text("9999-12-31T23:59:59.999999999Z")?;
        // shift into the years the ISO form writes, with an offset that undoes the shift
        let (local, zone) = if n < lo {
            let off = (lo - n + 60 * NANOS - 1) / (60 * NANOS);
            (n + off * 60 * NANOS, off_text('+', off))
        } else if n > hi {
            let off = (n - hi + 60 * NANOS - 1) / (60 * NANOS);
            (n - off * 60 * NANOS, off_text('-', off))
        } else {
            (n, "Z".to_string())
        };
        let secs = local.div_euclid(NANOS);
        let frac = local.rem_euclid(NANOS);
        let days = i64::try_from(secs.div_euclid(86_400)).ok()?;
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:09}{zone}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        )
    };
    // the text is only a witness if the evaluator reads it back as `n`
    (crate::eval::parse_date_text(&text) == Some(n)).then_some(text)
}

fn off_text(sign: char, minutes: i128) -> String {
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Howard Hinnant's `civil_from_days`: (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn binary_values(uses: &[KeyUse<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in uses {
        for v in &u.cond.values {
            if !out.contains(&v.text) {
                out.push(v.text.clone());
            }
        }
    }
    // one value equal to none of them: a byte string longer than each
    let longest = out.iter().map(String::len).max().unwrap_or(0);
    out.push("QUFB".repeat(longest / 4 + 1));
    out
}

/// The first IPv4-mapped IPv6 address, `::ffff:0.0.0.0`.
const MAPPED: u128 = 0xffff << 32;

fn ip_values(uses: &[KeyUse<'_>]) -> Result<Vec<String>, String> {
    let mut v4: BTreeSet<u128> = BTreeSet::from([0]);
    let mut v6: BTreeSet<u128> = BTreeSet::from([0]);
    for u in uses {
        for v in &u.cond.values {
            let (is4, net, prefix) = crate::eval::parse_cidr_text(&v.text)
                .ok_or_else(|| format!("`{}` is not an IP address or CIDR block", v.text))?;
            let width: u32 = if is4 { 32 } else { 128 };
            let host = width - u32::from(prefix);
            let mask: u128 = if host >= 128 {
                u128::MAX
            } else {
                (1u128 << host) - 1
            };
            let lo = net & !mask;
            let hi = lo | mask;
            let set = if is4 { &mut v4 } else { &mut v6 };
            set.insert(lo);
            let max = if is4 { u128::from(u32::MAX) } else { u128::MAX };
            if hi < max {
                set.insert(hi + 1);
            }
        }
    }
    // IPv4-mapped IPv6 addresses (`::ffff:0:0/96`) read as IPv4 ([`crate::eval`]): the IPv6
    // classes are cut at both ends of that range, so that each class holding IPv6 addresses
    // outside it starts at one of them (the point just above the range included).
    v6.insert(MAPPED);
    v6.insert(MAPPED + (1 << 32));
    let mut out: Vec<String> = v4
        .into_iter()
        .map(|x| Ipv4Addr::from(x as u32).to_string())
        .collect();
    out.extend(v6.into_iter().filter_map(|x| {
        let a = Ipv6Addr::from(x);
        // IPv4-mapped addresses read as IPv4: the v4 points above cover them
        (a.to_ipv4_mapped().is_none()).then(|| IpAddr::V6(a).to_string())
    }));
    Ok(out)
}

#[cfg(test)]
mod number_tests {
    use super::fmt_scaled;

    // Numeric condition operators compare numbers, and the evaluator reads them exactly
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric):
    // witnesses between neighbouring values must not round onto either of them.
    #[test]
    fn scaled_witnesses_are_exact() {
        assert_eq!(fmt_scaled(90_071_992_547_409_930, 1), "9007199254740993");
        assert_eq!(fmt_scaled(90_071_992_547_409_921, 1), "9007199254740992.1");
        assert_eq!(fmt_scaled(11, 2), "0.11");
        assert_eq!(fmt_scaled(-5, 1), "-0.5");
        assert_eq!(fmt_scaled(0, 3), "0");
        assert_eq!(fmt_scaled(-1000, 3), "-1");
    }
}
