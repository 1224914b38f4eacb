//! Policy variables decided exactly where the text around them is literal.
//!
//! A policy variable `${K}` ties a resource (or a condition key `J`) to the value `v` of the
//! context key `K`: the evaluator substitutes `v` as literal text. The analysis makes `K` one
//! more context dimension and picks finitely many values `V_K` for it; every pattern that
//! holds `${K}` is added, once per `v ∈ V_K` with `v` substituted, to the patterns whose atoms
//! cut its dimension. For each `v ∈ V_K` the search is then exact (the substituted patterns
//! are ordinary patterns). What must be proven is that `V_K` represents every value: that
//! for any `v` some `v' ∈ V_K` lets the other dimensions reach the same behaviours.
//!
//! The cases decided (others stay `unknown` with their reason):
//! - a `Resource` item `S · A · ${K} · B` where `S` is the first five ARN fields (wildcards
//!   allowed), `A` and `B` literal text of the resource field, one variable, no default;
//! - a string condition value `A · ${K} · B` under `StringEquals`, `StringNotEquals`,
//!   `StringLike` or `StringNotLike`, with `A`, `B` literal, one variable, no default;
//! - every such occurrence in one dimension (the resource, or one key `J`) names the same
//!   `K`, and any two of them have the same `A`, or `A`s of one length;
//! - `K` is read by no set operator, by no non-string operator, and is neither tied to the
//!   caller nor itself compared with a variable.
//!
//! Why `V_K` = the atoms of the languages `Q = A⁻¹ · L(G) · B⁻¹` suffices, where `G` ranges
//! over the dimension's patterns without variables (for the resource: their resource field,
//! because ARNs match field by field and `${K}` lies in the resource field; for `J`: its
//! condition values), together with `K`'s own condition patterns: fix `v`. A value `y` of
//! the dimension either equals some `A_j · v · B_j`, and then its memberships are
//! `[y ∈ G] = [v ∈ Q_{G,j}]` and, for the other occurrences, `[A_j v B_j = A_k v B_k]`,
//! which is `[A_j = A_k ∧ B_j = B_k]` when `|A_j| = |A_k|` (the `v`s then line up) and so
//! does not depend on `v`; or `y` equals none of them, and then it reaches exactly the
//! atoms `E` of the patterns `G` that hold more strings than the `A_j v B_j` lying in them
//! — and which of those lie in `E` is again read off `v`'s memberships in the `Q`s. So the
//! set of behaviours the dimension can show depends on `v` only through `v`'s atom, and
//! dimensions are chosen independently of each other. The resource's first five fields
//! behave alike for every `v` (ARNs match field by field), so they do not change this.

use super::automaton::{Lang, Pattern};

/// One `${K}` in a text: the key (as written), the literal text before and after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub key: String,
    pub before: String,
    pub after: String,
}

impl Occurrence {
    /// The key, lower-cased (context keys are case-insensitive).
    pub fn key_lower(&self) -> String {
        self.key.to_ascii_lowercase()
    }
}

/// The single policy variable of `text`, with the text around it, or why the text is not of
/// that form.
fn single(text: &str) -> Result<Occurrence, String> {
    let Some(i) = text.find("${") else {
        return Err(format!("`{text}` holds no policy variable"));
    };
    let Some(close) = text[i..].find('}') else {
        return Err(format!("`{text}` has an unclosed policy variable"));
    };
    let inner = &text[i + 2..i + close];
    let after = &text[i + close + 1..];
    if matches!(inner, "*" | "?" | "$") || inner.contains(',') {
        return Err(format!(
            "`{text}` uses an escape or a default value in a policy variable"
        ));
    }
    if after.contains("${") {
        return Err(format!("`{text}` holds more than one policy variable"));
    }
    Ok(Occurrence {
        key: inner.trim().to_string(),
        before: text[..i].to_string(),
        after: after.to_string(),
    })
}

/// A `Resource` item with one variable in literal surroundings of the resource field:
/// the occurrence, with `before` the whole text before the variable.
pub(crate) fn in_resource(text: &str) -> Result<Occurrence, String> {
    let o = single(text)?;
    if crate::eval::variable_before_fifth_colon(text) {
        return Err(format!(
            "`{text}` has a policy variable before the fifth colon, which IAM reads as literal text"
        ));
    }
    let field = resource_field(&o.before).ok_or_else(|| format!("`{text}` is not an ARN"))?;
    if field.contains(['*', '?']) || o.after.contains(['*', '?']) {
        return Err(format!(
            "`{text}` has wildcards next to the policy variable `${{{}}}`",
            o.key
        ));
    }
    Ok(o)
}

/// A string condition value with one variable in literal surroundings (`like`: `*` and `?`
/// are wildcards).
pub(crate) fn in_value(text: &str, like: bool) -> Result<Occurrence, String> {
    let o = single(text)?;
    if like && (o.before.contains(['*', '?']) || o.after.contains(['*', '?'])) {
        return Err(format!(
            "`{text}` has wildcards next to the policy variable `${{{}}}`",
            o.key
        ));
    }
    Ok(o)
}

/// The resource field of an ARN text (after its fifth colon); `None` with fewer colons.
pub(crate) fn resource_field(text: &str) -> Option<&str> {
    let mut rest = text;
    for _ in 0..5 {
        rest = rest.split_once(':')?.1;
    }
    Some(rest)
}

/// The resource pattern with `value` substituted (as literal text).
pub(crate) fn resource_pattern(o: &Occurrence, value: &str) -> Option<Pattern> {
    Some(
        Pattern::arn(&o.before)?
            .then_literal(value)
            .then_literal(&o.after),
    )
}

/// Whether the occurrences of one dimension keep the argument above: one key, and any two
/// with the same text before the variable or texts of one length.
pub(crate) fn aligned(occ: &[&Occurrence], before_len: impl Fn(&Occurrence) -> usize) -> bool {
    let Some(first) = occ.first() else {
        return true;
    };
    occ.iter()
        .all(|o| o.key.eq_ignore_ascii_case(&first.key) && before_len(o) == before_len(first))
}

/// The languages `before⁻¹ · L(g) · after⁻¹` of one occurrence against the dimension's
/// patterns, leaving out those that split nothing.
pub(crate) fn quotients(o: &Occurrence, before: &str, patterns: &[Pattern], out: &mut Vec<Lang>) {
    for g in patterns {
        let l = Lang {
            pat: g.clone(),
            before: before.to_string(),
            after: o.after.clone(),
        };
        if !l.trivial() && !out.contains(&l) {
            out.push(l);
        }
    }
}
