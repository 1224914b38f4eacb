//! The classes of one context key: "absent", and one value (or, for keys read by
//! `ForAllValues:`/`ForAnyValue:`, one set of values) per class of the values the policies'
//! conditions on that key tell apart.
//!
//! - strings and ARNs: the atoms of the glob languages of the condition values
//!   ([`super::automaton`]); `StringEquals` values are literal, `…IgnoreCase` ones
//!   case-insensitive, ARN values segment-wise;
//! - numbers and dates: each value, and one point in each open interval around and between them;
//! - IP addresses: the first address of every interval the CIDR blocks cut the address space
//!   into (both families);
//! - `Bool`: `true` and `false`; binary: each value and one other; `Null`: present or not.
//!
//! A key is single-valued unless a condition reads it with a set operator (AWS documents the
//! set operators for multi-valued keys only); a multi-valued key takes every subset of its value
//! classes (at most [`MAX_SET_ATOMS`] classes).

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::automaton::{self, Lang, Pattern};
use super::vars::{self, Occurrence};
use crate::model::{Condition, OpBase, OpFamily};

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
    let mut multi = false;
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
                "`{name}` is read by a set operator and as a policy variable"
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
    let values = match families.first().copied() {
        None if var.is_none() => vec![FRESH.to_string()],
        None | Some("string") => string_values(uses, extra_values, var.unwrap_or(&[]), var_values)?,
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
        if values.len() > MAX_SET_ATOMS {
            return Err(format!(
                "the multi-valued key `{name}` has {} value classes (at most {MAX_SET_ATOMS} are enumerated as sets)",
                values.len()
            ));
        }
        for mask in 0u32..(1 << values.len()) {
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

fn string_values(
    uses: &[KeyUse<'_>],
    extra: &[String],
    langs: &[Lang],
    var_values: &VarValues,
) -> Result<Vec<String>, String> {
    let mut pats: Vec<Pattern> = Vec::new();
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
                        if !pats.contains(&p) {
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
            if !pats.contains(&p) {
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
    // Dates are compared in nanoseconds; witnesses are written as epoch seconds, which is
    // exact when every policy date is a whole second at or after 1970.
    let mut xs: Vec<i128> = Vec::new();
    for u in uses {
        for v in &u.cond.values {
            let n = crate::eval::parse_date_text(&v.text)
                .ok_or_else(|| format!("`{}` is not a date", v.text))?;
            if n % 1_000_000_000 != 0 || n < 1_000_000_000 {
                return Err(format!(
                    "the date `{}` is not a whole second after 1970",
                    v.text
                ));
            }
            xs.push(n / 1_000_000_000);
        }
    }
    xs.sort_unstable();
    xs.dedup();
    let mut out = Vec::new();
    let Some(&first) = xs.first() else {
        return Ok(vec!["0".into()]);
    };
    out.push((first - 1).to_string());
    for (i, &x) in xs.iter().enumerate() {
        out.push(x.to_string());
        match xs.get(i + 1) {
            Some(&y) if y > x + 1 => out.push((x + 1).to_string()),
            Some(_) => {}
            None => out.push((x + 1).to_string()),
        }
    }
    Ok(out)
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
