//! The calling principal, and how `Principal` / `NotPrincipal` blocks match it.

use super::pattern::split_arn;
use crate::model::{PrincipalBlock, PrincipalKind, PrincipalValue};

/// Who makes the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// An IAM identity: the account root, a user, a role, an assumed-role session or a
    /// federated-user session.
    Aws(AwsPrincipal),
    /// A service principal such as `codedeploy.amazonaws.com`.
    Service(String),
    /// A web-identity or SAML provider (`cognito-identity.amazonaws.com`,
    /// `arn:aws:iam::111122223333:saml-provider/Okta`).
    Federated(String),
    /// An S3 canonical user ID.
    CanonicalUser(String),
    /// An unauthenticated caller: matched only by `"*"`.
    Anonymous,
}

/// A parsed IAM principal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsPrincipal {
    /// The ARN (for an account given by its ID: `arn:aws:iam::ID:root`).
    pub arn: String,
    pub partition: String,
    pub account: String,
    pub kind: AwsPrincipalKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsPrincipalKind {
    /// `arn:aws:iam::ID:root` or a bare 12-digit account ID.
    Root,
    /// `arn:aws:iam::ID:user/path/name`.
    User { name: String },
    /// `arn:aws:iam::ID:role/path/name`: evaluated as a session of that role.
    Role { name: String },
    /// `arn:aws:sts::ID:assumed-role/role-name/session-name`.
    AssumedRole { role_name: String, session: String },
    /// `arn:aws:sts::ID:federated-user/name`.
    FederatedUser { name: String },
}

/// Web-identity providers named in `Federated` principals (IAM `Principal` element docs).
const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

impl Principal {
    /// Reads a principal as a user writes it:
    /// an IAM ARN (`arn:aws:iam::111122223333:user/alice`, `...:role/r`, `...:root`,
    /// `arn:aws:sts::111122223333:assumed-role/r/session`), a 12-digit account ID (the account
    /// root), a SAML/OIDC provider ARN or a known web-identity provider (federated), `*` or
    /// `anonymous` (an unauthenticated caller), or any other host-like name, which is a service
    /// principal (`codedeploy.amazonaws.com`). The prefixes `service:`, `federated:` and
    /// `canonical:` force a kind.
    pub fn parse(text: &str) -> Result<Principal, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("the principal is empty".into());
        }
        if let Some(s) = text.strip_prefix("service:") {
            return Ok(Principal::Service(s.to_string()));
        }
        if let Some(s) = text.strip_prefix("federated:") {
            return Ok(Principal::Federated(s.to_string()));
        }
        if let Some(s) = text.strip_prefix("canonical:") {
            return Ok(Principal::CanonicalUser(s.to_string()));
        }
        if text == "*" || text.eq_ignore_ascii_case("anonymous") {
            return Ok(Principal::Anonymous);
        }
        if is_account_id(text) {
            return Ok(Principal::Aws(AwsPrincipal {
                arn: format!("arn:aws:iam::{text}:root"),
                partition: "aws".into(),
                account: text.to_string(),
                kind: AwsPrincipalKind::Root,
            }));
        }
        if text.starts_with("arn:") {
            return parse_arn(text);
        }
        if WEB_IDENTITY_PROVIDERS.contains(&text) {
            return Ok(Principal::Federated(text.to_string()));
        }
        if text.contains('.')
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return Ok(Principal::Service(text.to_string()));
        }
        Err(format!(
            "`{text}` is not an IAM ARN, an account ID or a service principal"
        ))
    }

    /// An IAM principal (SCPs, identity policies and permissions boundaries apply to it).
    pub fn is_iam(&self) -> bool {
        matches!(self, Principal::Aws(_))
    }

    /// The account the principal belongs to, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Aws(a) => Some(&a.account),
            _ => None,
        }
    }

    /// The ARN or name as written for reports.
    pub fn display(&self) -> &str {
        match self {
            Principal::Aws(a) => &a.arn,
            Principal::Service(s) | Principal::Federated(s) | Principal::CanonicalUser(s) => s,
            Principal::Anonymous => "*",
        }
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_arn(text: &str) -> Result<Principal, String> {
    let bad = || {
        format!(
            "`{text}` is not a principal ARN (expected a user, role, root, assumed-role or federated-user ARN)"
        )
    };
    let [_, partition, service, _region, account, resource] = split_arn(text).ok_or_else(bad)?;
    if service == "iam"
        && (resource.starts_with("saml-provider/") || resource.starts_with("oidc-provider/"))
    {
        return Ok(Principal::Federated(text.to_string()));
    }
    // A CloudFront origin access identity, which bucket policies name as
    // `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ID` (CloudFront developer
    // guide, "Restricting access to an Amazon S3 origin", legacy OAI): a user of CloudFront's
    // own, outside every customer account.
    let oai = service == "iam"
        && account == "cloudfront"
        && resource
            .strip_prefix("user/CloudFront Origin Access Identity ")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !is_account_id(account) && !oai {
        return Err(format!(
            "`{text}`: `{account}` is not a 12-digit account ID"
        ));
    }
    let last = |r: &str| r.rsplit('/').next().unwrap_or_default().to_string();
    let kind = match service {
        "iam" if resource == "root" => AwsPrincipalKind::Root,
        "iam" if resource.starts_with("user/") => AwsPrincipalKind::User {
            name: last(resource),
        },
        "iam" if resource.starts_with("role/") => AwsPrincipalKind::Role {
            name: last(resource),
        },
        "sts" => {
            if let Some(r) = resource.strip_prefix("assumed-role/") {
                let Some((role, session)) = r.split_once('/') else {
                    return Err(bad());
                };
                AwsPrincipalKind::AssumedRole {
                    role_name: role.to_string(),
                    session: session.to_string(),
                }
            } else if let Some(n) = resource.strip_prefix("federated-user/") {
                AwsPrincipalKind::FederatedUser {
                    name: n.to_string(),
                }
            } else {
                return Err(bad());
            }
        }
        _ => return Err(bad()),
    };
    if text.contains(['*', '?']) {
        return Err(format!("`{text}`: a principal cannot contain wildcards"));
    }
    Ok(Principal::Aws(AwsPrincipal {
        arn: text.to_string(),
        partition: partition.to_string(),
        account: account.to_string(),
        kind,
    }))
}

/// How a `Principal` element matched the caller: decides how a resource-policy grant combines
/// with identity policies and permissions boundaries (IAM evaluation logic, resource-based
/// policies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    /// Only through the caller's account (`"123456789012"` / `...:root`): a delegation to the
    /// account, which its identity policies must still allow.
    Account,
    /// Through the ARN of the role the caller's session belongs to: limited by the
    /// permissions boundary.
    Role,
    /// The caller itself (user ARN, session ARN, `*`, service, federated provider): not
    /// limited by the identity policies or the permissions boundary.
    Direct,
}

/// One compiled principal entry.
#[derive(Clone, Debug)]
pub(crate) enum PEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
    Everyone,
    /// An account: ID (any partition) or root ARN.
    Account {
        partition: Option<Box<str>>,
        account: Box<str>,
    },
    /// Any other IAM ARN, compared exactly (case-sensitive).
    Arn(Box<str>),
    /// A role ARN (matches the role and its sessions).
    Role {
        arn: Box<str>,
        partition: Box<str>,
        account: Box<str>,
        name: Box<str>,
    },
    Service(Box<str>),
    Federated(Box<str>),
    Canonical(Box<str>),
}

/// Compiles a `Principal`/`NotPrincipal` block. `Err` carries the offending value and message.
pub(crate) fn compile_block(block: &PrincipalBlock) -> Result<Vec<PEntry>, (crate::Span, String)> {
    let mut out = Vec::new();
    match &block.value {
        PrincipalValue::Star => out.push(PEntry::Everyone),
        PrincipalValue::Map(entries) => {
            for e in entries {
                for v in &e.values {
                    let s = v.value.as_str();
                    let entry = match e.kind {
                        PrincipalKind::Aws if s == "*" => PEntry::Everyone,
                        PrincipalKind::Aws => compile_aws(s).map_err(|m| (v.span, m))?,
                        PrincipalKind::Service => PEntry::Service(s.into()),
                        PrincipalKind::Federated => PEntry::Federated(s.into()),
                        PrincipalKind::CanonicalUser => PEntry::Canonical(s.into()),
                    };
                    if !matches!(entry, PEntry::Everyone) && s.contains(['*', '?']) {
                        return Err((
                            v.span,
                            format!(
                                "`{s}`: a principal cannot contain wildcards other than `\"*\"` on its own"
                            ),
                        ));
                    }
                    out.push(entry);
                }
            }
        }
    }
    Ok(out)
}

fn compile_aws(s: &str) -> Result<PEntry, String> {
    if is_account_id(s) {
        return Ok(PEntry::Account {
            partition: None,
            account: s.into(),
        });
    }
    if let Some([_, partition, service, _, account, resource]) = split_arn(s) {
        if service == "iam" && resource == "root" {
            return Ok(PEntry::Account {
                partition: Some(partition.into()),
                account: account.into(),
            });
        }
        if service == "iam" && resource.starts_with("role/") {
            return Ok(PEntry::Role {
                arn: s.into(),
                partition: partition.into(),
                account: account.into(),
                name: resource.rsplit('/').next().unwrap_or_default().into(),
            });
        }
        return Ok(PEntry::Arn(s.into()));
    }
    // A unique principal ID (AIDA..., AROA...) as stored after a deleted principal: matches
    // nothing we can name, compared exactly.
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(PEntry::Arn(s.into()));
    }
    // A template's placeholder for a principal it does not give (`Principal: {AWS: !Ref
    // Partner}` without a value): it matches only itself, and `verify` answers `unknown` for
    // it, as for a placeholder inside an ARN (red team 42: it was an error)
    if s.starts_with("UNKNOWN-") {
        return Ok(PEntry::Arn(s.into()));
    }
    Err(format!("`{s}` is not an account ID, an IAM ARN or `*`"))
}

/// The caller's identities from the broadest to the most specific, as AWS checks them for
/// `NotPrincipal`: account, role (for sessions), the caller itself.
fn entry_matches(entry: &PEntry, p: &Principal) -> Option<PrincipalMatch> {
    match (entry, p) {
        (PEntry::Everyone, _) => Some(PrincipalMatch::Direct),
        (PEntry::Account { partition, account }, Principal::Aws(a)) => (**account == *a.account
            && partition.as_deref().is_none_or(|p| p == a.partition))
        .then_some(if a.kind == AwsPrincipalKind::Root {
            PrincipalMatch::Direct
        } else {
            PrincipalMatch::Account
        }),
        (PEntry::Arn(arn), Principal::Aws(a)) => {
            (**arn == *a.arn).then_some(PrincipalMatch::Direct)
        }
        (
            PEntry::Role {
                arn,
                partition,
                account,
                name,
            },
            Principal::Aws(a),
        ) => match &a.kind {
            AwsPrincipalKind::Role { .. } => (**arn == *a.arn).then_some(PrincipalMatch::Role),
            AwsPrincipalKind::AssumedRole { role_name, .. } => {
                (**account == *a.account && **partition == *a.partition && **name == **role_name)
                    .then_some(PrincipalMatch::Role)
            }
            _ => None,
        },
        (PEntry::Service(s), Principal::Service(c)) => {
            (**s == **c).then_some(PrincipalMatch::Direct)
        }
        (PEntry::Federated(s), Principal::Federated(c)) => {
            (**s == **c).then_some(PrincipalMatch::Direct)
        }
        (PEntry::Canonical(s), Principal::CanonicalUser(c)) => {
            (**s == **c).then_some(PrincipalMatch::Direct)
        }
        _ => None,
    }
}

/// `Principal`: the strongest way any entry matches the caller.
pub(crate) fn match_principal(entries: &[PEntry], p: &Principal) -> Option<PrincipalMatch> {
    entries.iter().filter_map(|e| entry_matches(e, p)).max()
}

/// `NotPrincipal`: the statement applies unless every level of the caller's identity (account,
/// role for a session, the caller itself) is listed (IAM `NotPrincipal` docs: a denied user's
/// account must be listed too, and a session needs both the role and the session ARN). A role
/// ARN caller is some session of the role, so it is never left out.
pub(crate) fn not_principal_applies(entries: &[PEntry], p: &Principal) -> bool {
    let everyone = entries.iter().any(|e| matches!(e, PEntry::Everyone));
    if everyone {
        return false;
    }
    let Principal::Aws(a) = p else {
        return match_principal(entries, p).is_none();
    };
    let account_listed = entries.iter().any(|e| {
        matches!(e, PEntry::Account { partition, account }
            if **account == *a.account && partition.as_deref().is_none_or(|p| p == a.partition))
    });
    let self_listed = || {
        entries
            .iter()
            .any(|e| matches!(e, PEntry::Arn(arn) if **arn == *a.arn))
    };
    let role_listed = || {
        entries
            .iter()
            .any(|e| entry_matches(e, p) == Some(PrincipalMatch::Role))
    };
    let excluded = match &a.kind {
        AwsPrincipalKind::Root => account_listed,
        AwsPrincipalKind::User { .. } | AwsPrincipalKind::FederatedUser { .. } => {
            account_listed && self_listed()
        }
        // a role ARN stands for a session of the role, whose session ARN no entry can list
        // (a role never calls itself; the session needs its own ARN listed too)
        AwsPrincipalKind::Role { .. } => false,
        AwsPrincipalKind::AssumedRole { .. } => account_listed && role_listed() && self_listed(),
    };
    !excluded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Principal {
        Principal::parse(s).unwrap()
    }

    #[test]
    fn parses_every_kind() {
        assert!(matches!(
            p("123456789012"),
            Principal::Aws(AwsPrincipal {
                kind: AwsPrincipalKind::Root,
                ..
            })
        ));
        assert!(
            matches!(p("arn:aws:iam::123456789012:user/a/b/alice"), Principal::Aws(AwsPrincipal { kind: AwsPrincipalKind::User { ref name }, .. }) if name == "alice")
        );
        assert!(matches!(
            p("arn:aws:sts::123456789012:assumed-role/r/s"),
            Principal::Aws(AwsPrincipal {
                kind: AwsPrincipalKind::AssumedRole { .. },
                ..
            })
        ));
        assert_eq!(
            p("codedeploy.amazonaws.com"),
            Principal::Service("codedeploy.amazonaws.com".into())
        );
        assert_eq!(
            p("cognito-identity.amazonaws.com"),
            Principal::Federated("cognito-identity.amazonaws.com".into())
        );
        assert!(matches!(
            p("arn:aws:iam::123456789012:saml-provider/x"),
            Principal::Federated(_)
        ));
        assert_eq!(p("*"), Principal::Anonymous);
        assert!(Principal::parse("arn:aws:s3:::bucket").is_err());
        assert!(Principal::parse("arn:aws:iam::12:user/x").is_err());
        assert!(Principal::parse("not a principal").is_err());
    }

    #[test]
    fn account_id_matches_in_every_partition() {
        // hardening D5: never hard-code `arn:aws:`.
        let cn = p("arn:aws-cn:iam::123456789012:user/alice");
        let id = vec![compile_aws("123456789012").unwrap()];
        assert_eq!(match_principal(&id, &cn), Some(PrincipalMatch::Account));
        let root = vec![compile_aws("arn:aws:iam::123456789012:root").unwrap()];
        assert_eq!(match_principal(&root, &cn), None);
        let cn_root = vec![compile_aws("arn:aws-cn:iam::123456789012:root").unwrap()];
        assert_eq!(
            match_principal(&cn_root, &cn),
            Some(PrincipalMatch::Account)
        );
    }

    #[test]
    fn account_entry_matches_every_principal_of_the_account() {
        let e = vec![compile_aws("123456789012").unwrap()];
        assert_eq!(
            match_principal(&e, &p("arn:aws:iam::123456789012:user/alice")),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(
            match_principal(&e, &p("arn:aws:iam::123456789012:root")),
            Some(PrincipalMatch::Direct)
        );
        assert_eq!(
            match_principal(&e, &p("arn:aws:iam::999999999999:user/alice")),
            None
        );
        let r = vec![compile_aws("arn:aws:iam::123456789012:role/path/deploy").unwrap()];
        assert_eq!(
            match_principal(&r, &p("arn:aws:sts::123456789012:assumed-role/deploy/s1")),
            Some(PrincipalMatch::Role)
        );
        assert_eq!(
            match_principal(&r, &p("arn:aws:iam::123456789012:role/path/deploy")),
            Some(PrincipalMatch::Role)
        );
        assert_eq!(
            match_principal(&r, &p("arn:aws:iam::123456789012:role/deploy")),
            None
        );
    }
}
