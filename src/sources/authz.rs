//! `aws iam get-account-authorization-details` output → principals with their policy sets.
//!
//! The file is read once into one buffer and parsed once into a compact index of borrowed
//! slices: names and ARNs point into the buffer, and each policy document stays as its raw JSON
//! text until a principal that uses it is resolved. Memory stays close to the file size, and a
//! document is parsed (strictly, with [`crate::parse::parse_policy`]) only when needed.
//!
//! Both forms are accepted: the AWS CLI form, where documents are JSON objects, and the raw API
//! form, where they are RFC 3986 URL-encoded strings (see [`super::decode`]).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{
    ManagedVersion, Origin, PolicyUse, PrincipalError, PrincipalId, PrincipalPolicy, PrincipalType,
    Problem, ResolvedPrincipal, Selection, decode, managed, par_map,
};
use crate::model::Policy;
use crate::parse::parse_policy;
use crate::source::Source;

/// The sections of a `GetAccountAuthorizationDetails` response, as the CLI prints them (the
/// raw API uses the same names). Unknown members are ignored; a section that is absent is
/// `None` (a `--filter`ed export), so a reference into it is reported, not guessed.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Details<'a> {
    #[serde(borrow)]
    user_detail_list: Option<Vec<User<'a>>>,
    #[serde(borrow)]
    group_detail_list: Option<Vec<Group<'a>>>,
    #[serde(borrow)]
    role_detail_list: Option<Vec<Role<'a>>>,
    #[serde(borrow)]
    policies: Option<Vec<Managed<'a>>>,
    is_truncated: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct User<'a> {
    #[serde(borrow)]
    user_name: Cow<'a, str>,
    /// The user's unique ID (`AIDA...`): AWS sends it as `aws:userid`.
    #[serde(borrow, default)]
    user_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    arn: Cow<'a, str>,
    #[serde(borrow, default)]
    user_policy_list: Vec<Inline<'a>>,
    #[serde(borrow, default)]
    group_list: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    attached_managed_policies: Vec<Attached<'a>>,
    #[serde(borrow)]
    permissions_boundary: Option<Boundary<'a>>,
    #[serde(borrow, default)]
    tags: Vec<Tag<'a>>,
}

/// A tag of a user or role (`{"Key": ..., "Value": ...}`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow, default)]
    value: Cow<'a, str>,
}

fn tag_pairs(tags: &[Tag<'_>]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.key.to_string(), t.value.to_string()))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Group<'a> {
    #[serde(borrow)]
    group_name: Cow<'a, str>,
    #[serde(borrow, default)]
    group_policy_list: Vec<Inline<'a>>,
    #[serde(borrow, default)]
    attached_managed_policies: Vec<Attached<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Role<'a> {
    #[serde(borrow)]
    role_name: Cow<'a, str>,
    /// The role's unique ID (`AROA...`): its sessions' `aws:userid` is `ROLEID:SESSION`.
    #[serde(borrow, default)]
    role_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    arn: Cow<'a, str>,
    #[serde(borrow)]
    assume_role_policy_document: Option<&'a RawValue>,
    #[serde(borrow, default)]
    role_policy_list: Vec<Inline<'a>>,
    #[serde(borrow, default)]
    attached_managed_policies: Vec<Attached<'a>>,
    #[serde(borrow)]
    permissions_boundary: Option<Boundary<'a>>,
    #[serde(borrow, default)]
    tags: Vec<Tag<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Inline<'a> {
    #[serde(borrow)]
    policy_name: Cow<'a, str>,
    #[serde(borrow)]
    policy_document: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attached<'a> {
    #[serde(borrow)]
    policy_arn: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Boundary<'a> {
    #[serde(borrow)]
    permissions_boundary_arn: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Managed<'a> {
    #[serde(borrow)]
    arn: Cow<'a, str>,
    /// The default (operative) version; AWS also flags it with `IsDefaultVersion` in
    /// `PolicyVersionList`, and neither field is documented as the one that wins.
    #[serde(borrow, default)]
    default_version_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    policy_version_list: Vec<Version<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Version<'a> {
    #[serde(borrow)]
    document: Option<&'a RawValue>,
    #[serde(borrow)]
    version_id: Option<Cow<'a, str>>,
    #[serde(default)]
    is_default_version: bool,
}

/// Why an authorization-details file cannot be read at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AccountError {
    #[error("cannot read `{path}`: {error}")]
    #[diagnostic(code(greenlight::io))]
    Io { path: String, error: std::io::Error },
    #[error("`{path}` is not UTF-8 (invalid byte at offset {offset})")]
    #[diagnostic(
        code(greenlight::encoding),
        help(
            "`aws iam get-account-authorization-details` writes UTF-8; re-save the file as UTF-8"
        )
    )]
    Encoding { path: String, offset: usize },
    #[error("`{path}` is not a valid authorization-details file: {message}")]
    #[diagnostic(
        code(greenlight::authorization_details),
        help("produce it with `aws iam get-account-authorization-details > account.json`")
    )]
    Shape { path: String, message: String },
    #[error("`{path}` is one page of a truncated response (`IsTruncated` is true)")]
    #[diagnostic(
        code(greenlight::incomplete),
        help(
            "export with the AWS CLI, which follows `Marker` across pages, or merge every page into one file"
        )
    )]
    Truncated { path: String },
    #[error("`{path}` lists the principal `{arn}` twice")]
    #[diagnostic(
        code(greenlight::authorization_details),
        help("merge pages without repeating entries")
    )]
    Duplicate { path: String, arn: String },
    #[error(
        "`{path}` lists `{arn}` and another {kind} of the same name (IAM names are unique in an account whatever their path or case)"
    )]
    #[diagnostic(
        code(greenlight::authorization_details),
        help("export the account again, or merge snapshots of one time only")
    )]
    DuplicateName {
        path: String,
        kind: &'static str,
        arn: String,
    },
}

/// Reads an authorization-details file into memory once (a `.gz` file is decompressed).
pub fn read_file(path: &Path) -> Result<String, AccountError> {
    let shown = path.display().to_string();
    let io = |error| AccountError::Io {
        path: shown.clone(),
        error,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
            .map_err(io)?;
        out
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| AccountError::Encoding {
        path: shown.clone(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// A parsed authorization-details document. Borrows the text it was parsed from.
pub struct Account<'a> {
    name: String,
    text: &'a str,
    /// Locate documents by line in `text` (false when `text` was assembled, as in live mode).
    locate: bool,
    details: Details<'a>,
    groups: HashMap<&'a str, usize>,
    managed: HashMap<&'a str, usize>,
    users: HashMap<String, usize>,
    roles: HashMap<String, usize>,
}

impl<'a> Account<'a> {
    /// Parses the text of an authorization-details file named `name`.
    pub fn parse(name: &str, text: &'a str) -> Result<Self, AccountError> {
        Self::parse_with(name, text, true)
    }

    /// Like [`Account::parse`], for text that was assembled rather than read from a file
    /// (errors then do not quote line numbers).
    pub fn parse_assembled(name: &str, text: &'a str) -> Result<Self, AccountError> {
        Self::parse_with(name, text, false)
    }

    fn parse_with(name: &str, text: &'a str, locate: bool) -> Result<Self, AccountError> {
        let details: Details<'a> = serde_json::from_str(text).map_err(|e| AccountError::Shape {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        if details.is_truncated == Some(true) {
            return Err(AccountError::Truncated {
                path: name.to_string(),
            });
        }
        if details.user_detail_list.is_none() && details.role_detail_list.is_none() {
            return Err(AccountError::Shape {
                path: name.to_string(),
                message: "it has neither `UserDetailList` nor `RoleDetailList`".into(),
            });
        }
        let mut seen = std::collections::HashSet::new();
        let user_arns = details.user_detail_list.iter().flatten().map(|u| &u.arn);
        let role_arns = details.role_detail_list.iter().flatten().map(|r| &r.arn);
        for arn in user_arns.chain(role_arns) {
            if !seen.insert(arn.as_ref()) {
                return Err(AccountError::Duplicate {
                    path: name.to_string(),
                    arn: arn.to_string(),
                });
            }
        }
        // IAM names are unique in an account whatever their path or letter case
        // (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names>):
        // a name listed twice is two snapshots merged, and `--user`/`--role` would pick one
        // (red team 49)
        let mut names = std::collections::HashSet::new();
        let users = details
            .user_detail_list
            .iter()
            .flatten()
            .map(|u| ("user", u.user_name.to_ascii_lowercase(), &u.arn));
        let roles = details
            .role_detail_list
            .iter()
            .flatten()
            .map(|r| ("role", r.role_name.to_ascii_lowercase(), &r.arn));
        for (kind, n, arn) in users.chain(roles) {
            if !names.insert((kind, n)) {
                return Err(AccountError::DuplicateName {
                    path: name.to_string(),
                    kind,
                    arn: arn.to_string(),
                });
            }
        }
        let mut account = Account {
            name: name.to_string(),
            text,
            locate,
            details,
            groups: HashMap::new(),
            managed: HashMap::new(),
            users: HashMap::new(),
            roles: HashMap::new(),
        };
        let users = account.details.user_detail_list.iter().flatten();
        account.users = users
            .enumerate()
            .map(|(i, u)| (u.arn.to_string(), i))
            .collect();
        let roles = account.details.role_detail_list.iter().flatten();
        account.roles = roles
            .enumerate()
            .map(|(i, r)| (r.arn.to_string(), i))
            .collect();
        let mut groups = HashMap::new();
        for (i, g) in account
            .details
            .group_detail_list
            .iter()
            .flatten()
            .enumerate()
        {
            if let Cow::Borrowed(n) = g.group_name {
                groups.insert(n, i);
            }
        }
        let mut managed = HashMap::new();
        for (i, p) in account.details.policies.iter().flatten().enumerate() {
            if let Cow::Borrowed(a) = p.arn {
                managed.insert(a, i);
            }
        }
        // Names with JSON escapes are owned; index them through a second pass below.
        account.groups = groups;
        account.managed = managed;
        Ok(account)
    }

    /// The file (or source) name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every selected principal: users first, then roles, each in the order of the file.
    pub fn principals(&self, selection: Selection) -> Vec<PrincipalId> {
        let mut out = Vec::new();
        if selection.includes(PrincipalType::User) {
            for u in self.details.user_detail_list.iter().flatten() {
                out.push(PrincipalId {
                    kind: PrincipalType::User,
                    name: u.user_name.to_string(),
                    arn: u.arn.to_string(),
                });
            }
        }
        if selection.includes(PrincipalType::Role) {
            for r in self.details.role_detail_list.iter().flatten() {
                out.push(PrincipalId {
                    kind: PrincipalType::Role,
                    name: r.role_name.to_string(),
                    arn: r.arn.to_string(),
                });
            }
        }
        out
    }

    fn group(&self, name: &str) -> Option<&Group<'a>> {
        let list = self.details.group_detail_list.as_ref()?;
        match self.groups.get(name) {
            Some(&i) => list.get(i),
            None => list.iter().find(|g| g.group_name == name),
        }
    }

    fn managed_entry(&self, arn: &str) -> Option<&Managed<'a>> {
        let list = self.details.policies.as_ref()?;
        match self.managed.get(arn) {
            Some(&i) => list.get(i),
            None => list.iter().find(|p| p.arn == arn),
        }
    }

    fn user(&self, id: &PrincipalId) -> Option<&User<'a>> {
        let i = *self.users.get(&id.arn)?;
        self.details.user_detail_list.as_ref()?.get(i)
    }

    fn role(&self, id: &PrincipalId) -> Option<&Role<'a>> {
        let i = *self.roles.get(&id.arn)?;
        self.details.role_detail_list.as_ref()?.get(i)
    }

    /// Where a document starts, for messages: ` (file.json line N)`.
    fn at(&self, raw: &RawValue) -> String {
        if !self.locate {
            return String::new();
        }
        let offset = (raw.get().as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        match self.text.get(..offset) {
            Some(before) => format!(
                " ({} line {})",
                self.name,
                before.bytes().filter(|b| *b == b'\n').count() + 1
            ),
            None => String::new(),
        }
    }

    /// Reads one policy document: a JSON object (CLI form), or a string that is decoded once
    /// when it is not already JSON (raw API form).
    fn document(&self, raw: &RawValue, name: &str) -> Result<Policy, Problem> {
        let text = raw.get();
        let body: Cow<'_, str> = match text.as_bytes().first() {
            Some(b'{') => Cow::Borrowed(text),
            Some(b'"') => {
                let unescaped: Cow<'_, str> = match serde_json::from_str::<&str>(text) {
                    Ok(s) => Cow::Borrowed(s),
                    Err(_) => Cow::Owned(serde_json::from_str::<String>(text).map_err(|_| {
                        Problem::NotADocument {
                            policy: name.to_string(),
                            at: self.at(raw),
                            found: "an invalid string",
                        }
                    })?),
                };
                match decode::document_text(&unescaped) {
                    Ok(Cow::Borrowed(_)) => unescaped,
                    Ok(Cow::Owned(s)) => Cow::Owned(s),
                    Err(error) => {
                        return Err(Problem::Undecodable {
                            policy: name.to_string(),
                            at: self.at(raw),
                            error,
                        });
                    }
                }
            }
            other => {
                return Err(Problem::NotADocument {
                    policy: name.to_string(),
                    at: self.at(raw),
                    found: match other {
                        Some(b'[') => "an array",
                        Some(b'n') => "null",
                        Some(b't' | b'f') => "a boolean",
                        _ => "a number",
                    },
                });
            }
        };
        let source = Source::new(name, body.as_ref());
        parse_policy(&source).map_err(|e| Problem::Invalid {
            policy: name.to_string(),
            at: self.at(raw),
            error: Box::new(e),
        })
    }
}

/// A managed policy's default version, parsed once and shared by every principal that uses it.
type SharedManaged = Result<(Arc<Policy>, ManagedVersion), Problem>;
/// A group's inline policies (name, parsed) and attached ARNs.
type SharedGroup<'a> = Result<(Vec<(String, Arc<Policy>)>, Vec<&'a str>), Problem>;

/// Resolves principals' policy sets. Managed and group policies are parsed once, up front,
/// for the principals selected; inline policies are parsed per principal.
pub struct Resolver<'r, 'a> {
    account: &'r Account<'a>,
    managed: HashMap<String, SharedManaged>,
    groups: HashMap<String, SharedGroup<'r>>,
}

impl<'r, 'a> Resolver<'r, 'a> {
    /// Prepares the shared policies that `principals` need (in parallel).
    pub fn new(account: &'r Account<'a>, principals: &[PrincipalId]) -> Self {
        let mut group_names: BTreeSet<&'r str> = BTreeSet::new();
        let mut arns: BTreeSet<&'r str> = BTreeSet::new();
        for id in principals {
            match id.kind {
                PrincipalType::User => {
                    if let Some(u) = account.user(id) {
                        arns.extend(
                            u.attached_managed_policies
                                .iter()
                                .map(|a| a.policy_arn.as_ref()),
                        );
                        arns.extend(
                            u.permissions_boundary
                                .iter()
                                .map(|b| b.permissions_boundary_arn.as_ref()),
                        );
                        group_names.extend(u.group_list.iter().map(|g| g.as_ref()));
                    }
                }
                PrincipalType::Role => {
                    if let Some(r) = account.role(id) {
                        arns.extend(
                            r.attached_managed_policies
                                .iter()
                                .map(|a| a.policy_arn.as_ref()),
                        );
                        arns.extend(
                            r.permissions_boundary
                                .iter()
                                .map(|b| b.permissions_boundary_arn.as_ref()),
                        );
                    }
                }
            }
        }
        let group_names: Vec<&'r str> = group_names.into_iter().collect();
        let groups_parsed = par_map(&group_names, |name| -> SharedGroup<'r> {
            let g = account.group(name).ok_or_else(|| Problem::MissingGroup {
                group: name.to_string(),
            })?;
            let mut inline = Vec::new();
            for p in &g.group_policy_list {
                let shown = format!("{}/{}", g.group_name, p.policy_name);
                let policy = account.document(p.policy_document, &shown)?;
                inline.push((p.policy_name.to_string(), Arc::new(policy)));
            }
            let attached = g
                .attached_managed_policies
                .iter()
                .map(|a| a.policy_arn.as_ref())
                .collect();
            Ok((inline, attached))
        });
        for r in groups_parsed.iter().flatten() {
            arns.extend(r.1.iter().copied());
        }
        let groups = group_names
            .iter()
            .map(|n| n.to_string())
            .zip(groups_parsed)
            .collect();
        let arns: Vec<&str> = arns.into_iter().collect();
        let managed_parsed = par_map(&arns, |arn| load_managed(account, arn));
        let managed = arns
            .iter()
            .map(|a| a.to_string())
            .zip(managed_parsed)
            .collect();
        Resolver {
            account,
            managed,
            groups,
        }
    }

    /// Every policy parsed once and shared between principals (managed policies, groups'
    /// inline policies), for callers that precompute per-policy work.
    pub fn shared_policies(&self) -> Vec<Arc<Policy>> {
        let mut out: Vec<Arc<Policy>> = self
            .managed
            .values()
            .filter_map(|r| r.as_ref().ok().map(|(p, _)| p.clone()))
            .collect();
        for (inline, _) in self.groups.values().flatten() {
            out.extend(inline.iter().map(|(_, p)| p.clone()));
        }
        out
    }

    fn managed(&self, arn: &str) -> SharedManaged {
        match self.managed.get(arn) {
            Some(r) => r.clone(),
            None => load_managed(self.account, arn),
        }
    }

    /// The principal's whole policy set, or why it cannot be determined.
    pub fn resolve(&self, id: &PrincipalId) -> Result<ResolvedPrincipal, PrincipalError> {
        let err = |problem| PrincipalError {
            principal: id.clone(),
            problem,
        };
        let account = self.account;
        let mut identity = Vec::new();
        let managed = |arn: &str, group: Option<&str>| -> Result<PrincipalPolicy, Problem> {
            let (policy, version) = self.managed(arn)?;
            let origin = match group {
                None => Origin::Managed {
                    arn: arn.to_string(),
                    version,
                },
                Some(g) => Origin::GroupManaged {
                    group: g.to_string(),
                    arn: arn.to_string(),
                    version,
                },
            };
            Ok(PrincipalPolicy {
                role: PolicyUse::Identity,
                origin,
                policy,
            })
        };
        let inline = |list: &[Inline<'a>]| -> Result<Vec<PrincipalPolicy>, Problem> {
            list.iter()
                .map(|p| {
                    let policy = account.document(p.policy_document, &p.policy_name)?;
                    Ok(PrincipalPolicy {
                        role: PolicyUse::Identity,
                        origin: Origin::Inline {
                            name: p.policy_name.to_string(),
                        },
                        policy: Arc::new(policy),
                    })
                })
                .collect()
        };
        let boundary = |b: &Option<Boundary<'a>>| -> Result<Option<PrincipalPolicy>, Problem> {
            match b {
                None => Ok(None),
                Some(b) => {
                    let mut p = managed(&b.permissions_boundary_arn, None)?;
                    p.role = PolicyUse::Boundary;
                    Ok(Some(p))
                }
            }
        };
        match id.kind {
            PrincipalType::User => {
                let u = account.user(id).ok_or_else(|| {
                    err(Problem::Api {
                        action: "lookup".into(),
                        detail: "the principal is not in the account data".into(),
                    })
                })?;
                identity.extend(inline(&u.user_policy_list).map_err(err)?);
                for a in &u.attached_managed_policies {
                    identity.push(managed(&a.policy_arn, None).map_err(err)?);
                }
                for g in &u.group_list {
                    let shared = match self.groups.get(g.as_ref()) {
                        Some(r) => r.clone(),
                        None => Err(Problem::MissingGroup {
                            group: g.to_string(),
                        }),
                    };
                    let (inl, attached) = shared.map_err(err)?;
                    for (name, policy) in inl {
                        identity.push(PrincipalPolicy {
                            role: PolicyUse::Identity,
                            origin: Origin::GroupInline {
                                group: g.to_string(),
                                name,
                            },
                            policy,
                        });
                    }
                    for arn in attached {
                        identity.push(managed(arn, Some(g)).map_err(err)?);
                    }
                }
                let boundary = boundary(&u.permissions_boundary).map_err(err)?;
                Ok(ResolvedPrincipal {
                    id: id.clone(),
                    identity,
                    boundary,
                    trust: None,
                    tags: tag_pairs(&u.tags),
                    unique_id: u.user_id.as_ref().map(|x| x.to_string()),
                })
            }
            PrincipalType::Role => {
                let r = account.role(id).ok_or_else(|| {
                    err(Problem::Api {
                        action: "lookup".into(),
                        detail: "the principal is not in the account data".into(),
                    })
                })?;
                identity.extend(inline(&r.role_policy_list).map_err(err)?);
                for a in &r.attached_managed_policies {
                    identity.push(managed(&a.policy_arn, None).map_err(err)?);
                }
                let boundary = boundary(&r.permissions_boundary).map_err(err)?;
                let trust = match r.assume_role_policy_document {
                    Some(raw) => Some(PrincipalPolicy {
                        role: PolicyUse::Trust,
                        origin: Origin::Trust,
                        policy: Arc::new(account.document(raw, "trust policy").map_err(err)?),
                    }),
                    None => None,
                };
                Ok(ResolvedPrincipal {
                    id: id.clone(),
                    identity,
                    boundary,
                    trust,
                    tags: tag_pairs(&r.tags),
                    unique_id: r.role_id.as_ref().map(|x| x.to_string()),
                })
            }
        }
    }
}

const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy/";

fn load_managed(account: &Account<'_>, arn: &str) -> SharedManaged {
    if let Some(entry) = account.managed_entry(arn) {
        let defaults: Vec<&Version<'_>> = entry
            .policy_version_list
            .iter()
            .filter(|v| v.is_default_version)
            .collect();
        let [v] = defaults[..] else {
            return Err(Problem::DefaultVersion {
                arn: arn.to_string(),
                count: defaults.len(),
            });
        };
        // `DefaultVersionId` and `IsDefaultVersion` say the same thing in AWS's output
        // (ManagedPolicyDetail, PolicyVersion in the IAM API reference); a file where they
        // disagree was edited or damaged, and neither can be trusted to be the operative one.
        if let Some(id) = entry.default_version_id.as_deref()
            && v.version_id.as_deref() != Some(id)
        {
            return Err(Problem::DefaultVersionMismatch {
                arn: arn.to_string(),
                default_version_id: id.to_string(),
                flagged: v.version_id.as_deref().unwrap_or("").to_string(),
            });
        }
        let Some(doc) = v.document else {
            return Err(Problem::DefaultVersion {
                arn: arn.to_string(),
                count: 0,
            });
        };
        let policy = account.document(doc, arn)?;
        let version = v.version_id.as_deref().unwrap_or("").to_string();
        return Ok((Arc::new(policy), ManagedVersion::Account(version)));
    }
    if arn.starts_with(AWS_MANAGED_PREFIX) {
        let corpus = managed::corpus().map_err(|detail| Problem::Api {
            action: "load the AWS managed policy corpus".into(),
            detail,
        })?;
        if let Some(p) = corpus.get(arn) {
            let source = Source::new(arn, p.document.get());
            let policy = parse_policy(&source).map_err(|e| Problem::Invalid {
                policy: arn.to_string(),
                at: " (shipped AWS managed policy corpus)".into(),
                error: Box::new(e),
            })?;
            return Ok((
                Arc::new(policy),
                ManagedVersion::Corpus {
                    version: p.version.clone(),
                    corpus: corpus.origin.clone(),
                },
            ));
        }
    }
    Err(Problem::MissingPolicy {
        arn: arn.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = r#"{
    "UserDetailList": [
        {
            "UserName": "alice",
            "Arn": "arn:aws:iam::111122223333:user/alice",
            "UserPolicyList": [
                {"PolicyName": "Own", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}
            ],
            "GroupList": ["devs"],
            "AttachedManagedPolicies": [
                {"PolicyName": "Deploy", "PolicyArn": "arn:aws:iam::111122223333:policy/Deploy"},
                {"PolicyName": "AWSCodeDeployRoleForECS", "PolicyArn": "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"}
            ],
            "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::111122223333:policy/Boundary"}
        }
    ],
    "GroupDetailList": [
        {
            "GroupName": "devs",
            "Arn": "arn:aws:iam::111122223333:group/devs",
            "GroupPolicyList": [
                {"PolicyName": "GroupInline", "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sns%3AListTopics%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}
            ],
            "AttachedManagedPolicies": [
                {"PolicyName": "Deploy", "PolicyArn": "arn:aws:iam::111122223333:policy/Deploy"}
            ]
        }
    ],
    "RoleDetailList": [
        {
            "RoleName": "ecsCodeDeployRole",
            "Arn": "arn:aws:iam::111122223333:role/ecsCodeDeployRole",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "RolePolicyList": [],
            "AttachedManagedPolicies": [
                {"PolicyName": "AWSCodeDeployRoleForECS", "PolicyArn": "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"}
            ]
        }
    ],
    "Policies": [
        {
            "PolicyName": "Deploy",
            "Arn": "arn:aws:iam::111122223333:policy/Deploy",
            "DefaultVersionId": "v2",
            "PolicyVersionList": [
                {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "codedeploy:*", "Resource": "*"}]}, "VersionId": "v1", "IsDefaultVersion": false},
                {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "codedeploy:CreateDeployment", "Resource": "*"}]}, "VersionId": "v2", "IsDefaultVersion": true}
            ]
        },
        {
            "PolicyName": "Boundary",
            "Arn": "arn:aws:iam::111122223333:policy/Boundary",
            "PolicyVersionList": [
                {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "VersionId": "v1", "IsDefaultVersion": true}
            ]
        }
    ]
}"#;

    fn resolve_all(text: &str) -> Vec<Result<ResolvedPrincipal, PrincipalError>> {
        let account = Account::parse("account.json", text).unwrap();
        let ids = account.principals(Selection::All);
        let resolver = Resolver::new(&account, &ids);
        ids.iter().map(|id| resolver.resolve(id)).collect()
    }

    fn names(p: &ResolvedPrincipal) -> Vec<String> {
        p.identity
            .iter()
            .map(|p| p.policy.source.name.to_string())
            .collect()
    }

    #[test]
    fn user_set_has_inline_attached_groups_and_boundary() {
        let all = resolve_all(ACCOUNT);
        let alice = all[0].as_ref().unwrap();
        assert_eq!(alice.id.kind, PrincipalType::User);
        assert_eq!(
            names(alice),
            [
                "Own",
                "arn:aws:iam::111122223333:policy/Deploy",
                "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
                "devs/GroupInline",
                "arn:aws:iam::111122223333:policy/Deploy",
            ]
        );
        // Only the default version (v2) counts, not v1's codedeploy:*.
        let deploy = &alice.identity[1];
        assert_eq!(
            deploy.policy.statements[0].action.items[0].text,
            "codedeploy:CreateDeployment"
        );
        assert!(
            matches!(&deploy.origin, Origin::Managed { version: ManagedVersion::Account(v), .. } if v == "v2")
        );
        // The AWS managed policy is not in the file: it comes from the corpus, version noted.
        assert!(matches!(
            &alice.identity[2].origin,
            Origin::Managed {
                version: ManagedVersion::Corpus { .. },
                ..
            }
        ));
        assert_eq!(alice.corpus_policies().len(), 1);
        // URL-encoded group inline policy decoded once.
        assert_eq!(
            alice.identity[3].policy.statements[0].action.items[0].text,
            "sns:ListTopics"
        );
        assert!(
            matches!(&alice.identity[4].origin, Origin::GroupManaged { group, .. } if group == "devs")
        );
        let b = alice.boundary.as_ref().unwrap();
        assert_eq!(b.role, PolicyUse::Boundary);
        assert_eq!(
            &*b.policy.source.name,
            "arn:aws:iam::111122223333:policy/Boundary"
        );
        assert!(alice.trust.is_none());
    }

    #[test]
    fn role_set_has_trust_policy() {
        let all = resolve_all(ACCOUNT);
        let role = all[1].as_ref().unwrap();
        assert_eq!(role.id.name, "ecsCodeDeployRole");
        assert_eq!(
            names(role),
            ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"]
        );
        let trust = role.trust.as_ref().unwrap();
        assert!(trust.policy.statements[0].principal.is_some());
    }

    #[test]
    fn selection_filters_principals() {
        let account = Account::parse("a.json", ACCOUNT).unwrap();
        assert_eq!(account.principals(Selection::Users).len(), 1);
        assert_eq!(
            account.principals(Selection::Roles)[0].name,
            "ecsCodeDeployRole"
        );
    }

    #[test]
    fn missing_customer_policy_makes_the_principal_indeterminate() {
        let text = ACCOUNT.replace(
            "arn:aws:iam::111122223333:policy/Boundary\"}",
            "arn:aws:iam::111122223333:policy/Gone\"}",
        );
        let all = resolve_all(&text);
        let e = all[0].as_ref().unwrap_err();
        assert_eq!(e.principal.name, "alice");
        assert!(matches!(&e.problem, Problem::MissingPolicy { arn } if arn.ends_with("/Gone")));
        // The role does not use it and is still resolved.
        assert!(all[1].is_ok());
    }

    #[test]
    fn unknown_aws_managed_policy_is_indeterminate() {
        let text = ACCOUNT.replace(
            "aws:policy/AWSCodeDeployRoleForECS\"}\n            ]\n        }\n    ],\n    \"Policies\"",
            "aws:policy/NoSuchPolicyXyz\"}\n            ]\n        }\n    ],\n    \"Policies\"",
        );
        assert_ne!(text, ACCOUNT);
        let all = resolve_all(&text);
        assert!(all[0].is_ok());
        let e = all[1].as_ref().unwrap_err();
        assert!(e.to_string().contains("NoSuchPolicyXyz"), "{e}");
    }

    #[test]
    fn missing_group_is_indeterminate() {
        let text = ACCOUNT.replace("\"GroupList\": [\"devs\"]", "\"GroupList\": [\"ops\"]");
        let e = resolve_all(&text).remove(0).unwrap_err();
        assert!(matches!(&e.problem, Problem::MissingGroup { group } if group == "ops"));
    }

    #[test]
    fn corrupt_documents_name_principal_and_policy() {
        // A broken escape in an encoded document.
        let text = ACCOUNT.replace("%7B%22Version", "%7B%2");
        let e = resolve_all(&text).remove(0).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("user `alice`") && msg.contains("devs/GroupInline"),
            "{msg}"
        );
        assert!(matches!(e.problem, Problem::Undecodable { .. }));
        assert!(msg.contains("account.json line 22"), "{msg}");
        // A duplicate key inside a plain document: strict parser error, not last-wins.
        let text = ACCOUNT.replace(
            r#""Statement": {"Effect": "Allow","#,
            r#""Statement": {"Effect": "Deny", "Effect": "Allow","#,
        );
        let e = resolve_all(&text).remove(0).unwrap_err();
        assert!(
            matches!(&e.problem, Problem::Invalid { policy, error, .. } if policy == "Own" && error.code == "duplicate-key")
        );
        // A document that is neither an object nor a string.
        let text = ACCOUNT.replace(r#""PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}"#, r#""PolicyDocument": null"#);
        let e = resolve_all(&text).remove(0).unwrap_err();
        assert!(matches!(
            e.problem,
            Problem::NotADocument { found: "null", .. }
        ));
    }

    #[test]
    fn encoded_document_that_is_not_json_after_decoding_is_an_error() {
        let text = ACCOUNT.replace(
            "%7B%22Version%22%3A%222012-10-17%22%2C",
            "%5B%22Version%22%3A%222012-10-17%22%2C",
        );
        let e = resolve_all(&text).remove(0).unwrap_err();
        assert!(matches!(e.problem, Problem::Invalid { .. }), "{e}");
    }

    #[test]
    fn no_default_version_is_an_error() {
        let text = ACCOUNT.replace(
            r#""VersionId": "v2", "IsDefaultVersion": true"#,
            r#""VersionId": "v2", "IsDefaultVersion": false"#,
        );
        let e = resolve_all(&text).remove(0).unwrap_err();
        assert!(matches!(
            e.problem,
            Problem::DefaultVersion { count: 0, .. }
        ));
    }

    /// `DefaultVersionId` and the version flagged `IsDefaultVersion: true` name the same
    /// version in AWS's output (ManagedPolicyDetail and PolicyVersion,
    /// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html); when
    /// a file disagrees, neither is taken: the principal is an error naming the policy.
    #[test]
    fn default_version_id_disagreeing_with_the_flagged_version_is_an_error() {
        assert!(ACCOUNT.contains(r#""DefaultVersionId": "v2""#));
        let text = ACCOUNT.replace(r#""DefaultVersionId": "v2""#, r#""DefaultVersionId": "v1""#);
        let e = resolve_all(&text).remove(0).unwrap_err();
        match &e.problem {
            Problem::DefaultVersionMismatch {
                arn,
                default_version_id,
                flagged,
            } => {
                assert!(arn.ends_with(":policy/Deploy"), "{arn}");
                assert_eq!(
                    (default_version_id.as_str(), flagged.as_str()),
                    ("v1", "v2")
                );
            }
            p => panic!("{p}"),
        }
        assert!(e.to_string().contains("DefaultVersionId"), "{e}");
        // agreeing fields (the file as AWS writes it) resolve
        assert!(resolve_all(ACCOUNT).remove(0).is_ok());
    }

    #[test]
    fn truncated_and_malformed_files_are_errors() {
        let t = r#"{"UserDetailList": [], "IsTruncated": true, "Marker": "x"}"#;
        assert!(matches!(
            Account::parse("p.json", t),
            Err(AccountError::Truncated { .. })
        ));
        assert!(matches!(
            Account::parse("p.json", "{}"),
            Err(AccountError::Shape { .. })
        ));
        assert!(matches!(
            Account::parse("p.json", "[1]"),
            Err(AccountError::Shape { .. })
        ));
        let dup = r#"{"UserDetailList": [], "UserDetailList": []}"#;
        assert!(matches!(
            Account::parse("p.json", dup),
            Err(AccountError::Shape { .. })
        ));
        let twice = r#"{"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::1:user/a"}, {"UserName": "a", "Arn": "arn:aws:iam::1:user/a"}]}"#;
        assert!(matches!(
            Account::parse("p.json", twice),
            Err(AccountError::Duplicate { .. })
        ));
    }

    #[test]
    fn plain_string_document_with_percent_is_not_decoded() {
        // A plain JSON document delivered as a string (moto's trust policies): the `%25` in a
        // condition value must survive unchanged.
        let doc = r#"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\", \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"a b+c/&=?%25\"}}}]}"#;
        let text = format!(
            r#"{{"RoleDetailList": [{{"RoleName": "r", "Arn": "arn:aws:iam::1:role/r", "AssumeRolePolicyDocument": "{doc}"}}]}}"#
        );
        let p = resolve_all(&text).remove(0).unwrap();
        let trust = p.trust.unwrap();
        assert_eq!(
            trust.policy.statements[0].conditions[0].values[0].text,
            "a b+c/&=?%25"
        );
    }
}
