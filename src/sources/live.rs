//! Live reads of an account through `aws-sdk-iam` (cargo feature `live`).
//!
//! The whole account comes from `GetAccountAuthorizationDetails`, every page (`Marker`,
//! `IsTruncated` checked), and is assembled into the same authorization-details shape a file
//! has, so a live read and an exported file go through one resolver and give identical results.
//! When that call is denied, greenlight falls back to the per-principal read APIs
//! (`List*`/`Get*`): a principal whose data cannot be read is reported as indeterminate, with
//! the API and the error, while the rest of the account is still checked.
//!
//! Credentials come from the SDK's standard chain (environment, shared config and credentials
//! files with `--aws-profile`, SSO token cache, web identity, container and instance roles).
//! Nothing here prints or logs them: no type in this module holds a secret, and errors are
//! rendered from the SDK's error chain, which never contains credentials. Every call has an
//! attempt and an operation timeout (the SDK sets none by default); throttling and transient
//! errors are retried with the SDK's standard backoff (`AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`
//! and the profile's `max_attempts` / `retry_mode` apply).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_iam::Client;
use aws_sdk_iam::config::http::HttpResponse;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::EntityType;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::timeout::TimeoutConfig;
use serde_json::{Value, json};

use super::{PrincipalError, PrincipalId, PrincipalType, Problem, Selection};

/// How to reach the account. Holds no secret.
#[derive(Clone, Debug, Default)]
pub struct LiveOptions {
    /// A profile of the AWS shared config files (`--aws-profile`).
    pub aws_profile: Option<String>,
    pub region: Option<String>,
    /// Overrides the IAM endpoint (`--endpoint-url`; `AWS_ENDPOINT_URL` is honoured too).
    pub endpoint_url: Option<String>,
    /// Time limit of one attempt of one call; the whole call (retries included) gets three
    /// times that plus 10 s.
    pub attempt_timeout: Duration,
    pub selection: Selection,
}

/// The account as read: authorization-details JSON text (parse it with
/// [`super::Account::parse_assembled`]), plus the principals that could not be read.
pub struct LiveAccount {
    pub text: String,
    pub incomplete: Vec<PrincipalError>,
    /// `true` when `GetAccountAuthorizationDetails` was denied and the per-principal APIs
    /// were used instead.
    pub fallback: bool,
}

/// Why the account could not be read at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LiveError {
    #[error("cannot start the AWS client: {0}")]
    #[diagnostic(code(greenlight::live))]
    Runtime(String),
    #[error("`{action}` failed: {detail}")]
    #[diagnostic(
        code(greenlight::live),
        help(
            "check the credentials (`--aws-profile`, environment), the region and `--endpoint-url`; greenlight needs read-only IAM access (see the README)"
        )
    )]
    Call { action: String, detail: String },
}

/// Reads the account.
pub fn fetch(options: &LiveOptions) -> Result<LiveAccount, LiveError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))?;
    rt.block_on(fetch_async(options))
}

async fn client(options: &LiveOptions) -> Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let attempt = options.attempt_timeout;
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(attempt.min(Duration::from_secs(5)))
        .read_timeout(attempt)
        .operation_attempt_timeout(attempt)
        .operation_timeout(attempt * 3 + Duration::from_secs(10))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .timeout_config(timeouts);
    if let Some(p) = &options.aws_profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &options.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &options.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let mut config = loader.load().await;
    if config.region().is_none() {
        // IAM is a global service signed in us-east-1; a region is only needed to build the
        // client.
        config = config
            .into_builder()
            .region(Region::new("us-east-1"))
            .build();
    }
    Client::new(&config)
}

/// An SDK failure, classified.
enum Failure {
    Denied(String),
    Other(String),
}

fn classify<E>(e: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let code = e.as_service_error().and_then(|s| s.code());
    let status = e.raw_response().map(|r| r.status().as_u16());
    let detail = match (code, e.as_service_error().and_then(|s| s.message())) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_string(),
        _ => DisplayErrorContext(e).to_string(),
    };
    let denied = matches!(
        code,
        Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation")
    ) || status == Some(403);
    if denied {
        Failure::Denied(if code.is_some() {
            format!(" ({detail})")
        } else {
            " (HTTP 403)".to_string()
        })
    } else {
        Failure::Other(detail)
    }
}

fn fatal<E>(action: &str, e: &SdkError<E, HttpResponse>) -> LiveError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let detail = match classify(e) {
        Failure::Denied(d) => format!("access denied{d}"),
        Failure::Other(d) => d,
    };
    LiveError::Call {
        action: format!("iam:{action}"),
        detail,
    }
}

fn problem<E>(action: &str, e: &SdkError<E, HttpResponse>) -> Problem
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match classify(e) {
        Failure::Denied(detail) => Problem::AccessDenied {
            action: format!("iam:{action}"),
            detail,
        },
        Failure::Other(detail) => Problem::Api {
            action: format!("iam:{action}"),
            detail,
        },
    }
}

async fn fetch_async(options: &LiveOptions) -> Result<LiveAccount, LiveError> {
    let client = client(options).await;
    match authorization_details(&client, options.selection).await {
        Ok(text) => Ok(LiveAccount {
            text,
            incomplete: Vec::new(),
            fallback: false,
        }),
        Err(GaadError::Denied) => per_principal(&client, options.selection).await,
        Err(GaadError::Fatal(e)) => Err(e),
    }
}

enum GaadError {
    Denied,
    Fatal(LiveError),
}

/// Every page of `GetAccountAuthorizationDetails`, merged into one document.
async fn authorization_details(client: &Client, selection: Selection) -> Result<String, GaadError> {
    let mut filter = vec![EntityType::LocalManagedPolicy, EntityType::AwsManagedPolicy];
    if selection.includes(PrincipalType::User) {
        filter.extend([EntityType::User, EntityType::Group]);
    }
    if selection.includes(PrincipalType::Role) {
        filter.push(EntityType::Role);
    }
    let (mut users, mut groups, mut roles, mut policies) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut marker: Option<String> = None;
    let mut seen_markers = BTreeSet::new();
    loop {
        let page = client
            .get_account_authorization_details()
            .set_filter(Some(filter.clone()))
            .set_marker(marker.clone())
            .send()
            .await;
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                return Err(match classify(&e) {
                    Failure::Denied(_) => GaadError::Denied,
                    Failure::Other(_) => {
                        GaadError::Fatal(fatal("GetAccountAuthorizationDetails", &e))
                    }
                });
            }
        };
        for u in page.user_detail_list() {
            users.push(json!({
                "UserName": u.user_name(),
                "Arn": u.arn(),
                "UserId": u.user_id(),
                "UserPolicyList": u.user_policy_list().iter().map(|p| json!({
                    "PolicyName": p.policy_name(), "PolicyDocument": p.policy_document()
                })).collect::<Vec<_>>(),
                "GroupList": u.group_list(),
                "AttachedManagedPolicies": attached(u.attached_managed_policies()),
                "PermissionsBoundary": boundary(u.permissions_boundary()),
            }));
        }
        for g in page.group_detail_list() {
            groups.push(json!({
                "GroupName": g.group_name(),
                "Arn": g.arn(),
                "GroupPolicyList": g.group_policy_list().iter().map(|p| json!({
                    "PolicyName": p.policy_name(), "PolicyDocument": p.policy_document()
                })).collect::<Vec<_>>(),
                "AttachedManagedPolicies": attached(g.attached_managed_policies()),
            }));
        }
        for r in page.role_detail_list() {
            roles.push(json!({
                "RoleName": r.role_name(),
                "Arn": r.arn(),
                "RoleId": r.role_id(),
                "AssumeRolePolicyDocument": r.assume_role_policy_document(),
                "RolePolicyList": r.role_policy_list().iter().map(|p| json!({
                    "PolicyName": p.policy_name(), "PolicyDocument": p.policy_document()
                })).collect::<Vec<_>>(),
                "AttachedManagedPolicies": attached(r.attached_managed_policies()),
                "PermissionsBoundary": boundary(r.permissions_boundary()),
            }));
        }
        for p in page.policies() {
            policies.push(json!({
                "Arn": p.arn(),
                "DefaultVersionId": p.default_version_id(),
                "PolicyVersionList": p.policy_version_list().iter().map(|v| json!({
                    "Document": v.document(),
                    "VersionId": v.version_id(),
                    "IsDefaultVersion": v.is_default_version(),
                })).collect::<Vec<_>>(),
            }));
        }
        if !page.is_truncated() {
            break;
        }
        match page.marker() {
            Some(m) if seen_markers.insert(m.to_string()) => marker = Some(m.to_string()),
            _ => {
                return Err(GaadError::Fatal(LiveError::Call {
                    action: "iam:GetAccountAuthorizationDetails".into(),
                    detail: "the response is truncated but gives no new `Marker`".into(),
                }));
            }
        }
    }
    Ok(assemble(users, groups, roles, policies))
}

fn assemble(
    users: Vec<Value>,
    groups: Vec<Value>,
    roles: Vec<Value>,
    policies: Vec<Value>,
) -> String {
    json!({
        "UserDetailList": users,
        "GroupDetailList": groups,
        "RoleDetailList": roles,
        "Policies": policies,
    })
    .to_string()
}

fn attached(list: &[aws_sdk_iam::types::AttachedPolicy]) -> Vec<Value> {
    list.iter()
        .map(|a| json!({"PolicyName": a.policy_name(), "PolicyArn": a.policy_arn()}))
        .collect()
}

fn boundary(b: Option<&aws_sdk_iam::types::AttachedPermissionsBoundary>) -> Value {
    match b.and_then(|b| b.permissions_boundary_arn()) {
        Some(arn) => json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}),
        None => Value::Null,
    }
}

/// The fallback: `ListUsers`/`ListRoles`, then the per-principal read APIs.
async fn per_principal(client: &Client, selection: Selection) -> Result<LiveAccount, LiveError> {
    let mut users = Vec::new();
    let mut roles = Vec::new();
    let mut incomplete = Vec::new();
    let mut group_names = BTreeSet::new();
    let mut arns = BTreeSet::new();
    if selection.includes(PrincipalType::User) {
        let list = client
            .list_users()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| fatal("ListUsers", &e))?;
        for u in list {
            let id = PrincipalId {
                kind: PrincipalType::User,
                name: u.user_name().to_string(),
                arn: u.arn().to_string(),
            };
            match user(client, &id).await {
                Ok((v, groups, attached)) => {
                    group_names.extend(groups);
                    arns.extend(attached);
                    users.push((id, v));
                }
                Err(problem) => incomplete.push(PrincipalError {
                    principal: id,
                    problem,
                }),
            }
        }
    }
    if selection.includes(PrincipalType::Role) {
        let list = client
            .list_roles()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| fatal("ListRoles", &e))?;
        for r in list {
            let id = PrincipalId {
                kind: PrincipalType::Role,
                name: r.role_name().to_string(),
                arn: r.arn().to_string(),
            };
            match role(client, &id).await {
                Ok((v, attached)) => {
                    arns.extend(attached);
                    roles.push((id, v));
                }
                Err(problem) => incomplete.push(PrincipalError {
                    principal: id,
                    problem,
                }),
            }
        }
    }
    let mut groups = Vec::new();
    let mut bad_groups = BTreeMap::new();
    for g in &group_names {
        match group(client, g).await {
            Ok((v, attached)) => {
                arns.extend(attached);
                groups.push(v);
            }
            Err(p) => {
                bad_groups.insert(g.clone(), p);
            }
        }
    }
    let mut policies = Vec::new();
    let mut bad_policies = BTreeMap::new();
    for arn in &arns {
        match managed_policy(client, arn).await {
            Ok(v) => policies.push(v),
            Err(p) => {
                bad_policies.insert(arn.clone(), p);
            }
        }
    }
    // A principal that relies on a group or policy that could not be read is indeterminate.
    let mut keep = |list: Vec<(PrincipalId, Value)>| -> Vec<Value> {
        let mut out = Vec::new();
        for (id, v) in list {
            let bad = referenced_failure(&v, &bad_groups, &bad_policies, &groups);
            match bad {
                Some(problem) => incomplete.push(PrincipalError {
                    principal: id,
                    problem,
                }),
                None => out.push(v),
            }
        }
        out
    };
    let users = keep(users);
    let roles = keep(roles);
    incomplete.sort_by(|a, b| a.principal.cmp(&b.principal));
    Ok(LiveAccount {
        text: assemble(users, groups, roles, policies),
        incomplete,
        fallback: true,
    })
}

fn referenced_failure(
    principal: &Value,
    bad_groups: &BTreeMap<String, Problem>,
    bad_policies: &BTreeMap<String, Problem>,
    groups: &[Value],
) -> Option<Problem> {
    fn collect<'v>(v: &'v Value, arns: &mut Vec<&'v str>) {
        if let Some(list) = v.get("AttachedManagedPolicies").and_then(Value::as_array) {
            for a in list {
                if let Some(s) = a.get("PolicyArn").and_then(Value::as_str) {
                    arns.push(s);
                }
            }
        }
    }
    let mut arns: Vec<&str> = Vec::new();
    collect(principal, &mut arns);
    if let Some(b) = principal
        .get("PermissionsBoundary")
        .and_then(|b| b.get("PermissionsBoundaryArn"))
        .and_then(Value::as_str)
    {
        arns.push(b);
    }
    if let Some(list) = principal.get("GroupList").and_then(Value::as_array) {
        for g in list.iter().filter_map(Value::as_str) {
            if let Some(p) = bad_groups.get(g) {
                return Some(p.clone());
            }
            if let Some(gv) = groups
                .iter()
                .find(|x| x.get("GroupName").and_then(Value::as_str) == Some(g))
            {
                collect(gv, &mut arns);
            }
        }
    }
    arns.iter().find_map(|a| bad_policies.get(*a).cloned())
}

type UserRead = (Value, Vec<String>, Vec<String>);

async fn user(client: &Client, id: &PrincipalId) -> Result<UserRead, Problem> {
    let name = id.name.as_str();
    let got = client
        .get_user()
        .user_name(name)
        .send()
        .await
        .map_err(|e| problem("GetUser", &e))?;
    let boundary_arn = got
        .user()
        .and_then(|u| u.permissions_boundary())
        .and_then(|b| b.permissions_boundary_arn())
        .map(str::to_string);
    let names = client
        .list_user_policies()
        .user_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListUserPolicies", &e))?;
    let mut inline = Vec::new();
    for p in names {
        let doc = client
            .get_user_policy()
            .user_name(name)
            .policy_name(&p)
            .send()
            .await
            .map_err(|e| problem("GetUserPolicy", &e))?;
        inline.push(json!({"PolicyName": p, "PolicyDocument": doc.policy_document()}));
    }
    let attached_list = client
        .list_attached_user_policies()
        .user_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListAttachedUserPolicies", &e))?;
    let groups: Vec<String> = client
        .list_groups_for_user()
        .user_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListGroupsForUser", &e))?
        .iter()
        .map(|g| g.group_name().to_string())
        .collect();
    let mut arns: Vec<String> = attached_list
        .iter()
        .filter_map(|a| a.policy_arn().map(str::to_string))
        .collect();
    arns.extend(boundary_arn.iter().cloned());
    let v = json!({
        "UserName": name,
        "Arn": id.arn,
        "UserPolicyList": inline,
        "GroupList": groups,
        "AttachedManagedPolicies": attached(&attached_list),
        "PermissionsBoundary": boundary_arn.map(|a| json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": a})),
    });
    Ok((v, groups, arns))
}

async fn role(client: &Client, id: &PrincipalId) -> Result<(Value, Vec<String>), Problem> {
    let name = id.name.as_str();
    let got = client
        .get_role()
        .role_name(name)
        .send()
        .await
        .map_err(|e| problem("GetRole", &e))?;
    let r = got.role();
    let trust = r
        .and_then(|r| r.assume_role_policy_document())
        .map(str::to_string);
    let boundary_arn = r
        .and_then(|r| r.permissions_boundary())
        .and_then(|b| b.permissions_boundary_arn())
        .map(str::to_string);
    let names = client
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListRolePolicies", &e))?;
    let mut inline = Vec::new();
    for p in names {
        let doc = client
            .get_role_policy()
            .role_name(name)
            .policy_name(&p)
            .send()
            .await
            .map_err(|e| problem("GetRolePolicy", &e))?;
        inline.push(json!({"PolicyName": p, "PolicyDocument": doc.policy_document()}));
    }
    let attached_list = client
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListAttachedRolePolicies", &e))?;
    let mut arns: Vec<String> = attached_list
        .iter()
        .filter_map(|a| a.policy_arn().map(str::to_string))
        .collect();
    arns.extend(boundary_arn.iter().cloned());
    let v = json!({
        "RoleName": name,
        "Arn": id.arn,
        "AssumeRolePolicyDocument": trust,
        "RolePolicyList": inline,
        "AttachedManagedPolicies": attached(&attached_list),
        "PermissionsBoundary": boundary_arn.map(|a| json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": a})),
    });
    Ok((v, arns))
}

async fn group(client: &Client, name: &str) -> Result<(Value, Vec<String>), Problem> {
    let names = client
        .list_group_policies()
        .group_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListGroupPolicies", &e))?;
    let mut inline = Vec::new();
    for p in names {
        let doc = client
            .get_group_policy()
            .group_name(name)
            .policy_name(&p)
            .send()
            .await
            .map_err(|e| problem("GetGroupPolicy", &e))?;
        inline.push(json!({"PolicyName": p, "PolicyDocument": doc.policy_document()}));
    }
    let attached_list = client
        .list_attached_group_policies()
        .group_name(name)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| problem("ListAttachedGroupPolicies", &e))?;
    let arns = attached_list
        .iter()
        .filter_map(|a| a.policy_arn().map(str::to_string))
        .collect();
    Ok((
        json!({
            "GroupName": name,
            "GroupPolicyList": inline,
            "AttachedManagedPolicies": attached(&attached_list),
        }),
        arns,
    ))
}

async fn managed_policy(client: &Client, arn: &str) -> Result<Value, Problem> {
    let got = client
        .get_policy()
        .policy_arn(arn)
        .send()
        .await
        .map_err(|e| problem("GetPolicy", &e))?;
    let Some(version) = got.policy().and_then(|p| p.default_version_id()) else {
        return Err(Problem::DefaultVersion {
            arn: arn.to_string(),
            count: 0,
        });
    };
    let v = client
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(|e| problem("GetPolicyVersion", &e))?;
    let doc = v.policy_version().and_then(|v| v.document());
    Ok(json!({
        "Arn": arn,
        "DefaultVersionId": version,
        "PolicyVersionList": [{"Document": doc, "VersionId": version, "IsDefaultVersion": true}],
    }))
}
