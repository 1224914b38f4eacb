//! Condition operators: typed values compiled once, evaluated exactly as the IAM condition
//! operator docs describe (missing keys, `...IfExists`, `Null`, `ForAllValues:` /
//! `ForAnyValue:`).

use std::net::IpAddr;

use super::context::Context;
use super::pattern::{self, ArnPattern, Part};
use crate::model::{Condition, OpBase, OpFamily, SetQualifier};
use crate::source::Span;

/// One compiled `"Operator": {"key": values}` pair.
#[derive(Clone, Debug)]
pub(crate) struct CCondition {
    pub qualifier: Option<SetQualifier>,
    pub base: OpBase,
    pub if_exists: bool,
    pub key: Box<str>,
    pub key_lower: Box<str>,
    pub values: CValues,
    /// Keys read by policy variables: (as written, lower-cased, has a default).
    pub var_keys: Vec<(Box<str>, Box<str>, bool)>,
}

#[derive(Clone, Debug)]
pub(crate) enum CValues {
    Str(Vec<Vec<Part>>),
    Num(Vec<Decimal>),
    Date(Vec<i128>),
    Bool(Vec<bool>),
    Bin(Vec<Vec<u8>>),
    Ip(Vec<Cidr>),
    Arn(Vec<ArnPattern>),
    Null(Vec<bool>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    v4: bool,
    net: u128,
    prefix: u8,
}

impl Cidr {
    /// (IPv4, address bits, prefix length).
    pub(crate) fn parts(&self) -> (bool, u128, u8) {
        (self.v4, self.net, self.prefix)
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let (v4, bits) = ip_bits(ip);
        if v4 != self.v4 {
            return false;
        }
        let width = if v4 { 32 } else { 128 };
        let shift = width - u32::from(self.prefix);
        if shift >= 128 {
            return true;
        }
        (bits >> shift) == (self.net >> shift)
    }
}

fn ip_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(a) => (true, u128::from(u32::from(a))),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => (true, u128::from(u32::from(v4))),
            None => (false, u128::from(a)),
        },
    }
}

/// Why a value could not be read as the operator's type.
pub(crate) fn expected(family: OpFamily) -> &'static str {
    match family {
        OpFamily::Numeric => "a number (integer or decimal)",
        OpFamily::Date => "a date (W3C ISO 8601 such as 2026-01-31T12:00:00Z, or epoch seconds)",
        OpFamily::Bool => "`true` or `false`",
        OpFamily::Binary => "base64-encoded bytes",
        OpFamily::Ip => "an IPv4 or IPv6 address or CIDR block",
        OpFamily::Arn => "an ARN",
        OpFamily::Null => "`true` or `false`",
        OpFamily::String => "a string",
    }
}

impl CCondition {
    /// Compiles one condition. `Err` carries the offending value's span and a message.
    pub(crate) fn compile(c: &Condition, variables: bool) -> Result<CCondition, (Span, String)> {
        let family = c.op.base.family();
        let bad = |v: &crate::model::CondValue| {
            (
                v.span,
                format!(
                    "`{}` is not valid for `{}`: expected {}",
                    v.text,
                    c.op.name(),
                    expected(family)
                ),
            )
        };
        let values = match family {
            OpFamily::String => {
                let like = matches!(c.op.base, OpBase::StringLike | OpBase::StringNotLike);
                let ci = matches!(
                    c.op.base,
                    OpBase::StringEqualsIgnoreCase | OpBase::StringNotEqualsIgnoreCase
                );
                CValues::Str(
                    c.values
                        .iter()
                        .map(|v| {
                            pattern::parse_template(&v.text, like, variables, ci)
                                .map_err(|m| (v.span, m))
                        })
                        .collect::<Result<_, _>>()?,
                )
            }
            OpFamily::Numeric => CValues::Num(
                c.values
                    .iter()
                    .map(|v| parse_number(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Date => CValues::Date(
                c.values
                    .iter()
                    .map(|v| parse_date(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Bool => CValues::Bool(
                c.values
                    .iter()
                    .map(|v| parse_bool(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Null => CValues::Null(
                c.values
                    .iter()
                    .map(|v| parse_bool(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Binary => CValues::Bin(
                c.values
                    .iter()
                    .map(|v| decode_base64(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Ip => CValues::Ip(
                c.values
                    .iter()
                    .map(|v| parse_cidr(&v.text).ok_or_else(|| bad(v)))
                    .collect::<Result<_, _>>()?,
            ),
            OpFamily::Arn => CValues::Arn(
                c.values
                    .iter()
                    .map(|v| ArnPattern::compile(&v.text, variables).map_err(|m| (v.span, m)))
                    .collect::<Result<_, _>>()?,
            ),
        };
        let parts: Vec<&Part> = match &values {
            CValues::Str(v) => v.iter().flatten().collect(),
            CValues::Arn(v) => v.iter().flat_map(|a| a.vars().iter()).collect(),
            _ => Vec::new(),
        };
        let mut var_keys: Vec<(Box<str>, Box<str>, bool)> = parts
            .into_iter()
            .filter_map(|p| match p {
                Part::Var {
                    key,
                    key_lower,
                    default,
                } => Some((key.clone(), key_lower.clone(), default.is_some())),
                _ => None,
            })
            .collect();
        var_keys.dedup();
        Ok(CCondition {
            var_keys,
            qualifier: c.op.qualifier,
            base: c.op.base,
            if_exists: c.op.if_exists,
            key: c.key.as_str().into(),
            key_lower: c.key_lower.as_str().into(),
            values,
        })
    }

    /// Evaluates the condition. `Err((value, expected))` when a request value cannot be read
    /// as the operator's type: the engine cannot decide, so it does not guess.
    pub(crate) fn eval(&self, ctx: &Context) -> Result<bool, (String, &'static str)> {
        let req = ctx.get(&self.key_lower);
        // A key whose only value is the empty string is the empty set for the set operators,
        // for `Null` and for `...IfExists` (IAM multivalued context keys: "context keys with
        // empty values" evaluate like missing ones under `ForAllValues`, and a `Null` guard
        // catches both).
        let empty = |v: &[String]| v.iter().all(String::is_empty);
        if let CValues::Null(vals) = &self.values {
            return Ok(match self.qualifier {
                // Access Analyzer: `ForAllValues:Null` is always true, `ForAnyValue:Null` false.
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => {
                    let absent = req.is_none_or(empty);
                    vals.contains(&absent)
                }
            });
        }
        let negated = self.base.is_negated();
        // (and for `...IfExists`, "if the key exists": a key whose only value is empty is the
        // null `Null` sees, so the two never disagree about it; red team 60)
        let req = match req {
            Some(v)
                if !(v.is_empty()
                    || ((self.qualifier.is_some() || self.if_exists) && empty(v))) =>
            {
                v
            }
            _ => {
                // Key absent (or an empty set).
                return Ok(match self.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => self.if_exists,
                    None => self.if_exists || negated,
                });
            }
        };
        match self.qualifier {
            None => {
                // Several request values without a set operator: the positive operator matches
                // when any value matches; a negated operator is its exact inverse.
                let mut any = false;
                for r in req {
                    if self.positive(r, ctx)? {
                        any = true;
                        break;
                    }
                }
                Ok(any != negated)
            }
            Some(SetQualifier::ForAnyValue) => {
                for r in req {
                    if self.positive(r, ctx)? != negated {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Some(SetQualifier::ForAllValues) => {
                for r in req {
                    if self.positive(r, ctx)? == negated {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }

    /// [`CCondition::positive`] for a condition without policy variables (`None` when `r` is
    /// not of the operator's type).
    pub(crate) fn positive_value(&self, r: &str) -> Option<bool> {
        self.positive(r, &Context::default()).ok()
    }

    /// Whether request value `r` matches any policy value under the positive form of the
    /// operator (`StringNotEquals` → `StringEquals`, `NotIpAddress` → `IpAddress`, ...).
    fn positive(&self, r: &str, ctx: &Context) -> Result<bool, (String, &'static str)> {
        let family = self.base.family();
        let err = || (r.to_string(), expected(family));
        use OpBase::*;
        Ok(match &self.values {
            CValues::Str(vals) => {
                let ci = matches!(
                    self.base,
                    StringEqualsIgnoreCase | StringNotEqualsIgnoreCase
                );
                vals.iter().any(|p| pattern::matches(p, r, ci, ctx))
            }
            CValues::Num(vals) => {
                let x = parse_number(r).ok_or_else(err)?;
                vals.iter().any(|v| match self.base {
                    NumericLessThan => x < *v,
                    NumericLessThanEquals => x <= *v,
                    NumericGreaterThan => x > *v,
                    NumericGreaterThanEquals => x >= *v,
                    _ => x == *v,
                })
            }
            CValues::Date(vals) => {
                let x = parse_date(r).ok_or_else(err)?;
                vals.iter().any(|&v| match self.base {
                    DateLessThan => x < v,
                    DateLessThanEquals => x <= v,
                    DateGreaterThan => x > v,
                    DateGreaterThanEquals => x >= v,
                    _ => x == v,
                })
            }
            CValues::Bool(vals) => {
                let x = parse_bool(r).ok_or_else(err)?;
                vals.contains(&x)
            }
            CValues::Bin(vals) => {
                let x = decode_base64(r).ok_or_else(err)?;
                vals.contains(&x)
            }
            CValues::Ip(vals) => {
                let ip: IpAddr = r.parse().map_err(|_| err())?;
                vals.iter().any(|c| c.contains(ip))
            }
            CValues::Arn(vals) => {
                if pattern::split_arn(r).is_none() {
                    // hardening F15: a negated ARN operator must not turn "not an ARN" into a
                    // match; the engine cannot decide.
                    return Err(err());
                }
                vals.iter().any(|p| p.matches(r, ctx))
            }
            CValues::Null(_) => false,
        })
    }
}

/// `Bool` / `Null` values: `true` or `false` (any case, as IAM accepts `"True"`).
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An exact decimal number: `-?digits(.digits)?` of any length, compared digit by digit (no
/// floating-point rounding: `9007199254740993` and `9007199254740992` differ, and so do
/// `0.1` and `0.10000000000000001`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decimal {
    /// Negative and not zero.
    negative: bool,
    /// Integer digits without leading zeros (empty for zero).
    int: Box<str>,
    /// Fraction digits without trailing zeros.
    frac: Box<str>,
}

impl Decimal {
    /// Sign, integer digits (no leading zeros) and fraction digits (no trailing zeros).
    pub(crate) fn parts(&self) -> (bool, String, String) {
        (self.negative, self.int.to_string(), self.frac.to_string())
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let magnitude = |a: &Decimal, b: &Decimal| {
            a.int
                .len()
                .cmp(&b.int.len())
                .then_with(|| a.int.cmp(&b.int))
                .then_with(|| a.frac.cmp(&b.frac))
        };
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude(self, other),
            (true, true) => magnitude(other, self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Integers and decimals: `-?digits(.digits)?`, read exactly.
pub(crate) fn parse_number(s: &str) -> Option<Decimal> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let int = int.trim_start_matches('0');
    let frac = frac.unwrap_or("").trim_end_matches('0');
    Some(Decimal {
        negative: negative && !(int.is_empty() && frac.is_empty()),
        int: int.into(),
        frac: frac.into(),
    })
}

/// Dates as nanoseconds since the Unix epoch: W3C ISO 8601 (`YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mm[:ss[.fff]]` with `Z` or `±hh:mm`) or epoch seconds.
pub(crate) fn parse_date(s: &str) -> Option<i128> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i128 = s.parse().ok()?;
        return secs.checked_mul(1_000_000_000);
    }
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    let mut nanos: i128 = 0;
    if b.len() > 10 {
        if b[10] != b'T' && b[10] != b't' {
            return None;
        }
        if b.len() < 16 || b[13] != b':' {
            return None;
        }
        let (h, mi) = (num(11..13)?, num(14..16)?);
        let mut i = 16;
        let mut sec = 0;
        if b.get(i) == Some(&b':') {
            sec = num(i + 1..i + 3)?;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && b[end].is_ascii_digit() {
                    end += 1;
                }
                if end == start {
                    return None;
                }
                let digits = &s[start..end.min(start + 9)];
                let mut frac: i128 = digits.parse().ok()?;
                for _ in digits.len()..9 {
                    frac *= 10;
                }
                nanos = frac;
                i = end;
            }
        }
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + sec;
        match b.get(i) {
            Some(b'Z') | Some(b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
                let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let off = oh * 3600 + om * 60;
                secs += if sign == b'+' { -off } else { off };
            }
            // A time without a zone is read as UTC.
            None => {}
            _ => return None,
        }
    }
    Some(i128::from(secs) * 1_000_000_000 + nanos)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's civil-from-days algorithm, inverted).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A CIDR block or a bare address (`/32` for IPv4, `/128` for IPv6).
pub(crate) fn parse_cidr(s: &str) -> Option<Cidr> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 3 {
                return None;
            }
            (a, Some(p.parse::<u8>().ok()?))
        }
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let (v4, bits) = match ip {
        IpAddr::V4(a) => (true, u128::from(u32::from(a))),
        IpAddr::V6(a) => (false, u128::from(a)),
    };
    let max = if v4 { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    if prefix > max {
        return None;
    }
    // An IPv4-mapped IPv6 block (`::ffff:203.0.113.0/120`, RFC 4291 §2.5.5.2) is the IPv4
    // block it maps, as a request value `::ffff:203.0.113.5` is the IPv4 address: both sides
    // of the comparison read the address the same way. A shorter prefix covers more than
    // IPv4-mapped addresses and stays an IPv6 block.
    if let IpAddr::V6(a) = ip {
        if let (Some(m), true) = (a.to_ipv4_mapped(), prefix >= 96) {
            return Some(Cidr {
                v4: true,
                net: u128::from(u32::from(m)),
                prefix: prefix - 96,
            });
        }
    }
    Some(Cidr {
        v4,
        net: bits,
        prefix,
    })
}

/// Standard base64 (RFC 4648, padding optional).
pub(crate) fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut n = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((acc >> n) as u8);
            acc &= (1 << n) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_iso_and_epoch() {
        let e = parse_date("2020-01-01T00:00:00Z").unwrap();
        assert_eq!(e, 1_577_836_800 * 1_000_000_000);
        assert_eq!(parse_date("1577836800"), Some(e));
        assert_eq!(parse_date("2020-01-01"), Some(e));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), Some(e));
        assert_eq!(parse_date("2019-12-31T23:00:00-01:00"), Some(e));
        assert_eq!(parse_date("2020-01-01T00:00:00.5Z"), Some(e + 500_000_000));
        assert_eq!(parse_date("2020-01-01T00:00Z"), Some(e));
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400 * 1_000_000_000));
        assert!(parse_date("2021-02-29").is_none());
        assert!(parse_date("2020-13-01").is_none());
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2020-01-01T00:00:00Q").is_none());
    }

    #[test]
    fn numbers() {
        let n = |s: &str| parse_number(s).unwrap();
        assert_eq!(n("10"), n("010.0"));
        assert_eq!(n("-0"), n("0.000"));
        assert!(n("-1.5") < n("-1.25"));
        assert!(n("-2") < n("1"));
        assert!(n("9007199254740993") > n("9007199254740992"));
        assert!(n("0.10000000000000001") > n("0.1"));
        assert!(n("100") > n("99.999"));
        assert!(parse_number("1e3").is_none());
        assert!(parse_number("").is_none());
        assert!(parse_number("1.").is_none());
        assert!(parse_number("abc").is_none());
    }

    #[test]
    fn cidrs() {
        let c = parse_cidr("203.0.113.0/24").unwrap();
        assert!(c.contains("203.0.113.77".parse().unwrap()));
        assert!(!c.contains("203.0.114.1".parse().unwrap()));
        assert!(!c.contains("2001:db8::1".parse().unwrap()));
        let one = parse_cidr("203.0.113.5").unwrap();
        assert!(one.contains("203.0.113.5".parse().unwrap()));
        assert!(!one.contains("203.0.113.6".parse().unwrap()));
        let v6 = parse_cidr("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains("2001:db8:1234:5678:ffff::1".parse().unwrap()));
        assert!(!v6.contains("2001:db8:1234:5679::1".parse().unwrap()));
        assert!(
            parse_cidr("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(parse_cidr("::/0").unwrap().contains("::1".parse().unwrap()));
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_cidr("10.0.0/8").is_none());
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("QmluYXJ5VmFsdWU=").unwrap(), b"BinaryValue");
        assert_eq!(decode_base64("QmluYXJ5VmFsdWU").unwrap(), b"BinaryValue");
        assert!(decode_base64("not base64!").is_none());
    }
}
