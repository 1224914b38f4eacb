//! The policy model: every element normalised once (string ≡ one-element array, statement object
//! ≡ one-element list, `"*"` principal ≡ `{"AWS": "*"}` for evaluation), every element keeping
//! its span so findings, gaps and decisions can point at file:line:column.

mod condition;

pub use condition::{CondValue, Condition, OpBase, OpFamily, Operator, SetQualifier, ValueType};

use crate::source::{Source, Span};

/// A value with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One policy document.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The document this policy was read from (name used in reports).
    pub source: Source,
    pub version: Option<Spanned<Version>>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    /// `Statement` was written as one object rather than an array.
    pub statement_is_object: bool,
    /// Span of the `Statement` key.
    pub statement_key_span: Span,
    /// Span of the whole document object.
    pub span: Span,
    /// The characters IAM counts against the size quotas (whitespace excluded) when the
    /// source's text is not the JSON IAM receives (a template's YAML or HCL, whose comments and
    /// syntax are not part of the document): those of the document's JSON. `None`: the source's
    /// text at [`Policy::span`] is the document's JSON.
    pub json_size: Option<u32>,
}

impl Policy {
    /// Policy variables are substituted only under `2012-10-17`; otherwise they are literal text.
    pub fn variables_enabled(&self) -> bool {
        matches!(
            self.version,
            Some(Spanned {
                value: Version::V2012_10_17,
                ..
            })
        )
    }

    pub fn name(&self) -> &str {
        &self.source.name
    }
}

#[derive(Clone, Debug)]
pub struct Statement {
    /// Position in the `Statement` list, from 0.
    pub index: usize,
    pub sid: Option<Spanned<String>>,
    pub effect: Spanned<Effect>,
    /// `Action` or `NotAction` (exactly one; the parser rejects both or neither).
    pub action: ActionBlock,
    /// `Resource` or `NotResource`; `None` when absent (role trust policies have none).
    pub resource: Option<ResourceBlock>,
    /// `Principal` or `NotPrincipal`; `None` when absent (identity policies have none).
    pub principal: Option<PrincipalBlock>,
    /// Every (operator, key) pair of the `Condition` block, in document order.
    pub conditions: Vec<Condition>,
    /// Span of the `Condition` key and its value, when present.
    pub condition_span: Option<Span>,
    /// Span of the whole statement object.
    pub span: Span,
}

/// `Action` / `NotAction`.
#[derive(Clone, Debug)]
pub struct ActionBlock {
    pub negated: bool,
    pub items: Vec<ActionPattern>,
    /// The value was a single string rather than an array.
    pub was_string: bool,
    pub key_span: Span,
    pub span: Span,
}

/// One action pattern such as `iam:PassRole`, `s3:Get*` or `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPattern {
    /// As written.
    pub text: String,
    /// Lower-cased, for case-insensitive matching.
    pub lower: String,
    pub span: Span,
}

impl ActionPattern {
    pub fn new(text: String, span: Span) -> Self {
        let lower = text.to_ascii_lowercase();
        ActionPattern { text, lower, span }
    }

    /// The service prefix (lower-case) and the action part, when the pattern has the
    /// `service:action` form. `*` alone gives `None`.
    pub fn split(&self) -> Option<(&str, &str)> {
        // (a byte loop: the text is short, a `memchr` search costs more)
        let i = self.lower.bytes().position(|b| b == b':')?;
        Some((&self.lower[..i], &self.lower[i + 1..]))
    }

    pub fn has_wildcard(&self) -> bool {
        self.lower.contains(['*', '?'])
    }
}

/// `Resource` / `NotResource`.
#[derive(Clone, Debug)]
pub struct ResourceBlock {
    pub negated: bool,
    pub items: Vec<Spanned<String>>,
    pub was_string: bool,
    pub key_span: Span,
    pub span: Span,
}

/// `Principal` / `NotPrincipal`.
#[derive(Clone, Debug)]
pub struct PrincipalBlock {
    pub negated: bool,
    pub value: PrincipalValue,
    pub key_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum PrincipalValue {
    /// `"Principal": "*"`, equivalent to `{"AWS": "*"}`.
    Star,
    Map(Vec<PrincipalEntry>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "AWS" => Some(PrincipalKind::Aws),
            "Service" => Some(PrincipalKind::Service),
            "Federated" => Some(PrincipalKind::Federated),
            "CanonicalUser" => Some(PrincipalKind::CanonicalUser),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    pub key_span: Span,
    pub values: Vec<Spanned<String>>,
    pub was_string: bool,
}
