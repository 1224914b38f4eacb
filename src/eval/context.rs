//! The request context: condition keys and their values.

use std::collections::BTreeMap;

/// The request context: typed-at-use, possibly multi-valued condition keys.
///
/// Key names are case-insensitive (`aws:SourceIp` ≡ `AWS:SOURCEIP`, per the IAM `Condition`
/// element docs); values are strings, typed by the operator that reads them (a number under
/// `NumericLessThan`, an IP address under `IpAddress`, ...). A key holding several values is
/// multi-valued (for `ForAllValues:` / `ForAnyValue:`). Nothing is inferred: a key is present
/// only if it was inserted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Lower-cased key → (key as first given, values).
    entries: BTreeMap<String, (String, Vec<String>)>,
}

impl Context {
    pub fn new() -> Self {
        Context::default()
    }

    /// Adds one value to `key` (a repeated key becomes multi-valued).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        self.entries
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| (key, Vec::new()))
            .1
            .push(value.into());
    }

    /// Sets every value of `key`, replacing earlier ones. An empty list keeps the key present
    /// with no values (an empty multi-valued key).
    pub fn set(&mut self, key: impl Into<String>, values: Vec<String>) {
        let key = key.into();
        self.entries.insert(key.to_ascii_lowercase(), (key, values));
    }

    /// Builder form of [`Context::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// The values of `key` (any case), or `None` when the key is absent.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        let found = match self.entries.get(key) {
            Some(e) => Some(e),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.entries.get(&key.to_ascii_lowercase())
            }
            None => None,
        };
        found.map(|(_, v)| v.as_slice())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn remove(&mut self, key: &str) -> Option<Vec<String>> {
        self.entries
            .remove(&key.to_ascii_lowercase())
            .map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keys (as first given) and values, sorted by lower-cased key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries
            .values()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_multi_valued() {
        let mut c = Context::new();
        c.insert("aws:TagKeys", "a");
        c.insert("AWS:tagkeys", "b");
        assert_eq!(c.get("aws:tagkeys").unwrap(), ["a", "b"]);
        assert_eq!(c.get("AWS:TAGKEYS").unwrap().len(), 2);
        assert!(c.get("aws:other").is_none());
        c.set("aws:empty", vec![]);
        assert_eq!(c.get("aws:Empty").unwrap().len(), 0);
        assert_eq!(c.iter().next().unwrap().0, "aws:empty");
    }
}
