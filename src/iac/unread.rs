//! Policy documents the readers do not read: a resource of a type (or a property of a type)
//! greenlight does not map to a policy, whose value looks like a policy document, is named
//! rather than dropped, so that no verdict passes over it silently.
//!
//! The rule (also in the README): a value is *policy-shaped* when it is an object with a
//! `Statement` member and either a `Version` member or a statement (the `Statement` object, or
//! an object of the `Statement` list) with an `Effect` member; or a string whose text is JSON
//! of such an object. Every policy-shaped value of a resource's properties (arguments, in
//! Terraform) that no reader takes is an [`Unread`]: a note on standard error, and `unknown`
//! for `verify` and (when it changed) `diff`.

use crate::parse::json::{Kind, Value};

/// A policy-shaped value no reader takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    /// Where it is: `Resources/Id/Properties/Name` (CloudFormation), `ADDRESS/ARGUMENT`
    /// (Terraform).
    pub path: String,
    /// The resource type.
    pub ty: String,
    /// Its content without positions (what `diff` compares).
    pub content: String,
}

impl Unread {
    /// The note that names it.
    pub fn note(&self) -> String {
        if let Some(w) = self
            .content
            .strip_prefix("(exclusive: ")
            .and_then(|w| w.strip_suffix(')'))
        {
            return format!(
                "`{}` ({}) {w}: which state holds after apply depends on the order Terraform applies the two (a conflict the provider warns of); the policy is left out of the principal's, and `verify` and `diff` answer `unknown` for it",
                self.path, self.ty
            );
        }
        if self.content.starts_with("(module not read: ") {
            return format!(
                "`{}` is a module greenlight does not read: what it creates and attaches (to the principals whose name or ARN it is given, too) is not known; `verify` and `diff` answer `unknown` for it",
                self.path
            );
        }
        let why;
        let what = if self.content.starts_with("(grants permissions") {
            "may grant permissions"
        } else if let Some(w) = self
            .content
            .strip_prefix("(not rebuilt: ")
            .and_then(|w| w.strip_suffix(')'))
        {
            why = format!("may hold a policy document ({w})");
            why.as_str()
        } else if let Some(w) = self
            .content
            .strip_prefix("(S3 ACL: ")
            .and_then(|w| w.strip_suffix(')'))
        {
            why = format!("may grant public access through its S3 ACL ({w}), which");
            why.as_str()
        } else if self.content.starts_with('(') {
            "may hold a policy document (its value is not known)"
        } else {
            "holds a policy document"
        };
        format!(
            "`{}` ({}) {what} greenlight does not read; `verify` and `diff` answer `unknown` for it",
            self.path, self.ty
        )
    }
}

/// Most nesting levels searched.
const MAX_DEPTH: usize = 24;

/// Whether a spanned value is a policy document by its shape (see the module documentation).
pub fn is_policy_shaped(v: &Value) -> bool {
    match &v.kind {
        Kind::String(s) => is_policy_text(s),
        Kind::Object(m) => {
            let Some(st) = m.iter().find(|m| m.key == "Statement") else {
                return false;
            };
            let has_effect = |x: &Value| x.get("Effect").is_some();
            m.iter().any(|m| m.key == "Version")
                || match &st.value.kind {
                    Kind::Object(_) => has_effect(&st.value),
                    Kind::Array(a) => a.iter().any(has_effect),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether a text is JSON of a policy-shaped object.
pub fn is_policy_text(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{')
        && t.contains("\"Statement\"")
        && crate::parse::json::parse(t)
            .is_ok_and(|v| matches!(v.kind, Kind::Object(_)) && is_policy_shaped(&v))
}

/// Whether a plain JSON value is policy-shaped.
pub fn is_policy_json(v: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match v {
        J::String(s) => is_policy_text(s),
        J::Object(m) => {
            let Some(st) = m.get("Statement") else {
                return false;
            };
            let has_effect = |x: &J| x.get("Effect").is_some();
            m.contains_key("Version")
                || match st {
                    J::Object(_) => has_effect(st),
                    J::Array(a) => a.iter().any(has_effect),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// The policy-shaped values under a spanned value, as `(path, value)` (paths joined by `/`
/// from `at`; list items by index). A policy-shaped value is not searched further.
pub fn find<'v>(v: &'v Value, at: &str, out: &mut Vec<(String, &'v Value)>) {
    fn go<'v>(v: &'v Value, at: String, depth: usize, out: &mut Vec<(String, &'v Value)>) {
        if depth > MAX_DEPTH {
            return;
        }
        if is_policy_shaped(v) {
            out.push((at, v));
            return;
        }
        match &v.kind {
            Kind::Object(m) => {
                for x in m {
                    go(&x.value, format!("{at}/{}", x.key), depth + 1, out);
                }
            }
            Kind::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    go(x, format!("{at}/{i}"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
    go(v, at.to_string(), 0, out);
}

/// The policy-shaped values under a plain JSON value (see [`find`]).
pub fn find_json<'v>(
    v: &'v serde_json::Value,
    at: &str,
    out: &mut Vec<(String, &'v serde_json::Value)>,
) {
    fn go<'v>(
        v: &'v serde_json::Value,
        at: String,
        depth: usize,
        out: &mut Vec<(String, &'v serde_json::Value)>,
    ) {
        use serde_json::Value as J;
        if depth > MAX_DEPTH {
            return;
        }
        if is_policy_json(v) {
            out.push((at, v));
            return;
        }
        match v {
            J::Object(m) => {
                for (k, x) in m {
                    go(x, format!("{at}/{k}"), depth + 1, out);
                }
            }
            J::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    go(x, format!("{at}/{i}"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
    go(v, at.to_string(), 0, out);
}

/// A spanned value's content without positions.
pub fn content(v: &Value) -> String {
    crate::iac::terraform::hcl::pretty(v)
}

/// Removes the numbers of `Span { start: N, end: N }` from a debug text.
pub fn without_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match after.find('}') {
            Some(j) => {
                out.push_str("Span");
                rest = &after[j + 1..];
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn shaped(text: &str) -> bool {
        is_policy_shaped(&crate::parse::json::parse(text).unwrap())
    }

    #[test]
    fn policy_shapes() {
        assert!(shaped(r#"{"Version":"2012-10-17","Statement":[]}"#));
        assert!(shaped(r#"{"Statement":[{"Effect":"Allow"}]}"#));
        assert!(shaped(r#"{"Statement":{"Effect":"Deny"}}"#));
        assert!(shaped(r#""{\"Version\":\"2012-10-17\",\"Statement\":[]}""#));
        // a state machine's or a custom resource's `Statement` without `Version`/`Effect`
        assert!(!shaped(r#"{"Statement":"SELECT 1"}"#));
        assert!(!shaped(r#"{"Version":"2012-10-17"}"#));
        assert!(!shaped(r#""not { json \"Statement\"""#));
        let v = crate::parse::json::parse(
            r#"{"A":{"B":[{"x":1},{"Version":"2012-10-17","Statement":[]}]}}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        find(&v, "P", &mut out);
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["P/A/B/1"]);
    }
}
