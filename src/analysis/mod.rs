//! Questions about *all* requests, answered exactly and offline: does a change grant anything
//! new ([`diff()`]), is some access impossible ([`verify`]).
//!
//! The finitely many patterns and values in the policies cut every dimension of a request
//! (action, resource, principal, each context key) into classes whose members every policy
//! treats alike ([`space`]); the evaluator ([`crate::eval`]) then decides one witness request
//! per combination of classes. Every example this module returns is a request the evaluator
//! decided, and is decided again before it is returned. What the analysis does not decide
//! exhaustively is returned as an [`Unknown`] with its reason, never as an answer.

pub mod assumers;
mod automaton;
pub mod cover;
pub mod diff;
pub(crate) mod keys;
pub mod principals;
pub mod query;
mod realistic;
pub mod space;
mod vars;
pub mod verify;
pub(crate) mod web_identity;

use std::collections::BTreeMap;

pub use diff::{Diff, Group, diff, diff_sets, frame_set};
pub use verify::{Assertion, AssertionKind, Counterexample, VerifyOptions, verify, verify_sets};

use crate::eval::{PolicyType, Request};
use crate::model::Policy;
use crate::parse::parse_policy;
use crate::source::{Source, Span};

/// The role the analysed policies play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Identity-based policies (users, groups, roles).
    Identity,
    /// A resource-based policy (bucket, queue, key, ... policy).
    Resource,
    /// A role trust policy.
    Trust,
    /// A service control policy.
    Scp,
    /// A permissions boundary.
    Boundary,
    /// A resource control policy, analysed beside identity and resource policies that allow
    /// everything, for every caller ([`crate::eval::rcp`]).
    Rcp,
}

impl Kind {
    /// The evaluator's policy type for the analysed policy.
    pub fn policy_type(self) -> PolicyType {
        match self {
            Kind::Identity => PolicyType::Identity,
            Kind::Resource => PolicyType::Resource,
            Kind::Trust => PolicyType::RoleTrust,
            Kind::Scp => PolicyType::Scp,
            Kind::Boundary => PolicyType::PermissionsBoundary,
            Kind::Rcp => PolicyType::Rcp,
        }
    }
}

/// A statement as reports cite it.
#[derive(Clone, Debug)]
pub struct StatementRef {
    pub file: String,
    pub sid: Option<String>,
    /// 1-based line of the statement's opening brace.
    pub line: u32,
    /// Position in the `Statement` list, from 0.
    pub index: usize,
    pub span: Span,
    pub source: Source,
}

/// The statements among `stmts` (of the analysed policies, of `target`'s type) whose `Allow`
/// an evaluation matched.
pub(crate) fn allowing(
    matched: &[crate::eval::MatchedStatement],
    target: PolicyType,
    stmts: &[StatementRef],
) -> Vec<StatementRef> {
    matched
        .iter()
        .filter(|m| m.policy_type == target && m.effect == crate::model::Effect::Allow)
        .filter_map(|m| {
            stmts
                .iter()
                .find(|s| s.index == m.index && *s.file == *m.policy)
                .cloned()
        })
        .collect()
}

impl PartialEq for StatementRef {
    fn eq(&self, o: &Self) -> bool {
        self.file == o.file && self.index == o.index && self.span == o.span
    }
}

/// A part of the request space the analysis did not decide, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub reason: String,
    pub statements: Vec<StatementRef>,
}

/// A concrete request (an example or counterexample).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub action: String,
    pub resource: String,
    /// `None` for identity policies.
    pub principal: Option<String>,
    /// Each key the request sets, with its values.
    pub context: BTreeMap<String, Vec<String>>,
    /// The caller, typed (for re-evaluation).
    pub caller: Option<crate::eval::Principal>,
}

impl Example {
    pub(crate) fn of(req: &Request) -> Example {
        Example {
            action: req.action.clone(),
            resource: req.resource.clone(),
            principal: req.principal.as_ref().map(|p| p.display().to_string()),
            context: req
                .context
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_vec()))
                .collect(),
            caller: req.principal.clone(),
        }
    }
}

/// The analysis cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum AnalysisError {
    #[error("the policy cannot be evaluated: {0}")]
    #[diagnostic(code(greenlight::analysis::compile))]
    Compile(String),
}

impl AnalysisError {
    /// The policy cannot be evaluated because it holds a template's placeholder for a value
    /// not known offline (`UNKNOWN-concat-...` where an action must be): `verify` and `diff`
    /// answer `unknown` for its document instead of an error for the whole run.
    pub fn from_placeholder(&self) -> bool {
        match self {
            AnalysisError::Compile(m) => m.contains("UNKNOWN-"),
        }
    }
}

/// A policy without statements (it allows nothing): the side of a comparison where a policy
/// does not exist.
pub fn empty_policy(name: &str) -> Policy {
    let src = Source::new(name, "");
    Policy {
        source: src,
        version: None,
        id: None,
        statements: Vec::new(),
        statement_is_object: false,
        statement_key_span: Span::default(),
        span: Span::default(),
        json_size: None,
    }
}

/// The identity policy that allows everything: the frame in which SCPs, boundaries, resource
/// and trust policies are analysed on their own.
pub(crate) fn allow_all() -> Policy {
    allow_all_named(ANY_IDENTITY_POLICY)
}

/// The names of the made-up policies that allow everything ([`allow_all_named`]).
pub(crate) const ANY_IDENTITY_POLICY: &str = "(any identity policy)";
/// The principal's other identity policies, which may allow what a `Deny` keeps out.
pub(crate) const OTHER_IDENTITY_POLICIES: &str = "(the principal's other policies)";
/// The SCP AWS attaches by default, `FullAWSAccess`, at the same level as the analysed SCPs
/// (AWS Organizations, "SCP evaluation": at each level one SCP must allow).
pub(crate) const FULL_AWS_ACCESS: &str = "(FullAWSAccess)";

/// The name of the made-up resource-based policy that allows every caller everything.
pub(crate) const ANY_RESOURCE_POLICY: &str = "(any resource policy)";

/// The resource-based policy that allows every caller (`"Principal": "*"`) everything: with
/// [`allow_all`], the frame in which RCPs are analysed, so that only their `Deny` statements
/// keep a request out, whoever calls, from whichever account.
pub(crate) fn allow_all_resource() -> Policy {
    let src = Source::new(
        ANY_RESOURCE_POLICY,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
    );
    parse_policy(&src).unwrap_or_else(|_| empty_policy(ANY_RESOURCE_POLICY))
}

/// The action patterns that split the action classes for RCPs: each service RCPs restrict,
/// and `kms:RetireGrant`, which they never restrict ([`crate::eval::rcp`]).
pub(crate) fn rcp_action_splits() -> Vec<String> {
    let mut v: Vec<String> = crate::catalog::active()
        .rcp_supported_services()
        .iter()
        .map(|s| format!("{}:*", s.to_ascii_lowercase()))
        .collect();
    v.push("kms:retiregrant".into());
    v
}

/// [`allow_all`] under another name (one of the names above).
pub(crate) fn allow_all_named(name: &str) -> Policy {
    let src = Source::new(
        name,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    match parse_policy(&src) {
        Ok(p) => p,
        // the text above is a valid policy; an empty one is the fail-closed fallback
        Err(_) => Policy {
            source: src,
            version: None,
            id: None,
            statements: Vec::new(),
            statement_is_object: false,
            statement_key_span: Span::default(),
            span: Span::default(),
            json_size: None,
        },
    }
}

#[cfg(test)]
mod tests;
