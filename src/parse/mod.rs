//! Strict JSON → spanned tree → policy model. Every error carries the document and a span.

pub mod json;
mod policy;

use crate::model::Policy;
use crate::source::{LineCol, Source, Span};

pub use policy::{policy_from_tree, policy_from_value};

/// The closest name by edit distance, if close enough (for "did you mean" hints).
pub fn nearest_name<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    policy::nearest(name, candidates)
}

/// Reads one policy document strictly.
pub fn parse_policy(source: &Source) -> Result<Policy, ParseError> {
    let value = json::parse(&source.text).map_err(|e| ParseError::from_json(source, e))?;
    match cli_wrapped(&value).map(|(inner, _)| inner) {
        Some(inner) if inner.as_object().is_some() => policy_from_value(source, inner),
        // the policy as JSON text (URL-encoded as the API returns it, or not): read in its
        // own text
        Some(json::Value {
            kind: json::Kind::String(t),
            ..
        }) => {
            let text = if t.trim_start().starts_with('{') {
                t.clone()
            } else {
                crate::sources::decode::percent_decode(t).map_err(|e| {
                    ParseError::new(
                        source,
                        "undecodable-document",
                        value.span,
                        format!("the policy text is not JSON nor URL-encoded JSON: {e}"),
                    )
                })?
            };
            parse_policy(&Source::new(source.name.to_string(), text))
        }
        _ => policy_from_value(source, &value),
    }
}

/// What an AWS CLI output holds ([`cli_wrapped`]): an identity policy, or the trust policy of
/// `aws iam get-role`, or a resource policy (`aws s3api get-bucket-policy`, `aws lambda
/// get-policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CliPolicy {
    Identity,
    Trust,
    Resource,
}

/// What the AWS CLI prints for a resource's (or a permission set's) policy as JSON text:
/// `(the member holding the text, the other members it prints, the policy's role)`. Each
/// command's response syntax: `aws s3api get-bucket-policy` (`{"Policy": "..."}`), `aws
/// lambda get-policy` (`RevisionId` beside it), `aws kms get-key-policy` (`PolicyName` beside
/// it, <https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html>), EFS
/// `DescribeFileSystemPolicy`, ECR `GetRepositoryPolicy`,
/// Secrets Manager `GetResourcePolicy`, EventBridge `DescribeEventBus`, IAM Identity Center
/// `GetInlinePolicyForPermissionSet` (red team 43: a walk skipped them as "no policy"), AWS
/// Backup `GetBackupVaultAccessPolicy`, Glacier `GetVaultLock`.
pub const CLI_TEXT_POLICIES: &[(&str, &[&str], CliPolicy)] = &[
    ("Policy", &["RevisionId", "PolicyName"], CliPolicy::Resource),
    ("Policy", &["FileSystemId"], CliPolicy::Resource),
    (
        "policyText",
        &["registryId", "repositoryName"],
        CliPolicy::Resource,
    ),
    ("ResourcePolicy", &["ARN", "Name"], CliPolicy::Resource),
    (
        "Policy",
        &[
            "Name",
            "Arn",
            "Description",
            "CreationTime",
            "LastModifiedTime",
            "KmsKeyIdentifier",
            "DeadLetterConfig",
        ],
        CliPolicy::Resource,
    ),
    ("InlinePolicy", &[], CliPolicy::Identity),
    // Glue `GetResourcePolicy` (red team 45)
    (
        "PolicyInJson",
        &["PolicyHash", "CreateTime", "UpdateTime"],
        CliPolicy::Resource,
    ),
    // AWS Backup `GetBackupVaultAccessPolicy`, Glacier `GetVaultLock` (red team 44)
    (
        "Policy",
        &["BackupVaultName", "BackupVaultArn"],
        CliPolicy::Resource,
    ),
    (
        "Policy",
        &["State", "ExpirationDate", "CreationDate"],
        CliPolicy::Resource,
    ),
];

/// The members that hold a policy as JSON text further down, and the path to it: `aws sqs
/// get-queue-attributes` and `aws sns get-topic-attributes` (`{"Attributes": {"Policy":
/// "..."}}`), `aws glacier get-vault-access-policy` (`{"policy": {"Policy": "..."}}`), `aws
/// codeartifact get-repository-permissions-policy` / `get-domain-permissions-policy`
/// (`{"policy": {"resourceArn", "revision", "document": "..."}}`,
/// <https://docs.aws.amazon.com/codeartifact/latest/APIReference/API_GetRepositoryPermissionsPolicy.html>),
/// `aws opensearch describe-domain-config` (`{"DomainConfig": {"AccessPolicies": {"Options":
/// "...", "Status"}}}`) and `describe-domain` (`{"DomainStatus": {"AccessPolicies": "..."}}`,
/// <https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DescribeDomainConfig.html>;
/// the Elasticsearch CLI, `aws es`, prints the same).
pub const CLI_NESTED_POLICIES: &[(&str, &[&str])] = &[
    ("Attributes", &["Policy"]),
    ("policy", &["Policy"]),
    ("policy", &["document"]),
    ("DomainConfig", &["AccessPolicies", "Options"]),
    ("DomainStatus", &["AccessPolicies"]),
];

/// The policy document inside what the AWS CLI prints for one policy: `aws iam
/// get-role-policy` / `get-user-policy` / `get-group-policy` (`{"RoleName", "PolicyName",
/// "PolicyDocument"}`,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html>) and `aws iam
/// get-policy-version` (`{"PolicyVersion": {"Document", "VersionId", "IsDefaultVersion",
/// "CreateDate"}}`,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html>): the object
/// as the CLI prints it, or the URL-encoded string the API returns. Only those keys: anything
/// else is not this output (and is read, strictly, as a policy). Also `aws iam get-role`'s trust
/// policy and the resource policies `aws s3api get-bucket-policy` and `aws lambda get-policy`
/// print as JSON text ([`CliPolicy`]).
pub fn cli_wrapped(v: &json::Value) -> Option<(&json::Value, CliPolicy)> {
    let m = v.as_object()?;
    let has = |k: &str| m.iter().any(|x| x.key == k);
    let text_policy = |x: &json::Value| x.as_str().is_some_and(|t| t.contains("Statement"));
    for (key, others, kind) in CLI_TEXT_POLICIES {
        if has(key)
            && m.iter()
                .all(|x| x.key == *key || others.contains(&x.key.as_str()))
            && let Some(p) = v.get(key).filter(|p| text_policy(p))
        {
            return Some((p, *kind));
        }
    }
    if let [x] = m {
        for (outer, path) in CLI_NESTED_POLICIES {
            if x.key != *outer {
                continue;
            }
            let mut at = Some(&x.value);
            for k in *path {
                at = at.and_then(|v| v.get(k));
            }
            if let Some(p) = at.filter(|p| text_policy(p)) {
                return Some((p, CliPolicy::Resource));
            }
        }
    }
    // `aws iam get-role`: the role's trust policy
    if let [x] = m
        && x.key == "Role"
        && let Some(role) = x.value.as_object()
        && role.iter().any(|y| y.key == "RoleName")
        && let Some(t) = x.value.get("AssumeRolePolicyDocument")
    {
        return Some((t, CliPolicy::Trust));
    }
    if has("PolicyDocument")
        && has("PolicyName")
        && m.iter().all(|x| {
            matches!(
                x.key.as_str(),
                "PolicyDocument" | "PolicyName" | "RoleName" | "UserName" | "GroupName"
            )
        })
    {
        return v.get("PolicyDocument").map(|d| (d, CliPolicy::Identity));
    }
    if let [x] = m
        && x.key == "PolicyVersion"
    {
        let inner = x.value.as_object()?;
        if inner.iter().any(|y| y.key == "Document")
            && inner.iter().all(|y| {
                matches!(
                    y.key.as_str(),
                    "Document" | "VersionId" | "IsDefaultVersion" | "CreateDate"
                )
            })
        {
            return x.value.get("Document").map(|d| (d, CliPolicy::Identity));
        }
    }
    None
}

/// Why a document is not a valid IAM policy. `code` is a stable kebab-case name (the linter
/// reports these as findings of the rule with the same name).
#[derive(Debug, Clone)]
pub struct ParseError {
    pub source: Source,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub span: Span,
    pub label: String,
    /// A second location (for duplicates: the first occurrence).
    pub related: Option<(Span, String)>,
}

impl ParseError {
    pub fn new(
        source: &Source,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        ParseError {
            source: source.clone(),
            code,
            message: message.into(),
            help: None,
            span,
            label: "here".into(),
            related: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related = Some((span, label.into()));
        self
    }

    fn from_json(source: &Source, e: json::JsonError) -> Self {
        let code = match &e.kind {
            json::JsonErrorKind::DuplicateKey(_) => "duplicate-key",
            json::JsonErrorKind::Bom => "byte-order-mark",
            _ => "json-syntax",
        };
        let mut err = ParseError::new(source, code, e.span, e.kind.to_string());
        if let Some(h) = e.kind.help() {
            err = err.with_help(h);
        }
        if let Some(first) = e.first {
            err = err
                .with_label("duplicate")
                .with_related(first, "first defined here");
        }
        err
    }

    pub fn line_col(&self) -> LineCol {
        self.source.line_col(self.span.start)
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lc = self.line_col();
        write!(
            f,
            "{}:{}:{}: {}",
            self.source.name, lc.line, lc.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

impl miette::Diagnostic for ParseError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(format!("greenlight::{}", self.code)))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let mut labels = vec![miette::LabeledSpan::new_primary_with_span(
            Some(self.label.clone()),
            self.span,
        )];
        if let Some((span, label)) = &self.related {
            labels.push(miette::LabeledSpan::new_with_span(
                Some(label.clone()),
                *span,
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}
