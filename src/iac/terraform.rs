//! Terraform plans (`terraform show -json PLANFILE`, also `terraform show -json` of a state):
//! roles, users, groups and their policies, resource policies, as the same [`Extract`] the
//! CloudFormation reader produces. Principals and documents are named by resource address;
//! a policy is parsed from its JSON text (positions inside that text).
//!
//! Plan format: <https://developer.hashicorp.com/terraform/internals/json-format>.
//! Values known only after apply are absent from `planned_values` and marked in
//! `resource_changes[].change.after_unknown`; attachments whose ARN or name is unknown are
//! linked through `configuration` references (`aws_iam_policy.deploy.arn`).

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::cfn::{Attached, Doc, DocKind, Extract, Principal, PrincipalKind, Template};
use crate::model::Policy;
use crate::parse::{self, ParseError};
use crate::source::{Source, Span};

mod document;
pub mod hcl;

/// A policy document already parsed by the caller (the `.tf` reader: positions in the `.tf`
/// file), by `ADDRESS/ATTRIBUTE`.
pub(crate) type Prepared = BTreeMap<String, (Source, Result<Policy, ParseError>)>;

/// The resource types whose policies, principals and links the readers use.
pub(crate) fn is_read_type(ty: &str) -> bool {
    matches!(
        ty,
        "aws_iam_role"
            | "aws_iam_user"
            | "aws_iam_group"
            | "aws_iam_policy"
            | "aws_ssoadmin_permission_set_inline_policy"
            | "aws_iam_role_policy"
            | "aws_iam_user_policy"
            | "aws_iam_group_policy"
            | "aws_iam_role_policy_attachment"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_policy_attachment"
            | "aws_iam_role_policy_attachments_exclusive"
            | "aws_iam_user_policy_attachments_exclusive"
            | "aws_iam_group_policy_attachments_exclusive"
            | "aws_iam_role_policies_exclusive"
            | "aws_iam_user_policies_exclusive"
            | "aws_iam_group_policies_exclusive"
            | "aws_iam_user_group_membership"
            | "aws_iam_group_membership"
            | "aws_lambda_permission"
            | "aws_lambda_layer_version_permission"
            | "aws_cloudwatch_event_permission"
            | "aws_lambda_function_url"
            | "aws_organizations_policy_attachment"
    ) || resource_policy_attribute(ty).is_some()
        || ACL_TYPES.contains(&ty)
}

/// Resource types that grant permissions to principals greenlight does not model (IAM
/// Identity Center permission sets) or without a policy document (KMS grants): each is named
/// as unread ([`crate::iac::unread`]) whatever its arguments, so that `verify` and `diff`
/// answer `unknown` rather than pass over it. Provider documentation:
/// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssoadmin_managed_policy_attachment>,
/// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_grant>.
pub(crate) const UNMODELLED_GRANTS: &[&str] = &[
    "aws_ssoadmin_managed_policy_attachment",
    "aws_ssoadmin_managed_policy_attachments_exclusive",
    "aws_ssoadmin_customer_managed_policy_attachment",
    "aws_kms_grant",
];

/// The resources whose `policy` is an API Gateway resource policy, whose resources may take
/// the short form `execute-api:/STAGE/METHOD/PATH`
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_rest_api_policy>,
/// <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>).
const API_POLICY_TYPES: &[&str] = &[
    "aws_api_gateway_rest_api_policy",
    "aws_api_gateway_rest_api",
];

/// Resource types with an S3 access control list: `acl` (a canned ACL) and
/// `access_control_policy` / `grant` (grants to grantees)
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl>,
/// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_object>).
pub(crate) const ACL_TYPES: &[&str] = &[
    "aws_s3_bucket_acl",
    "aws_s3_bucket",
    "aws_s3_object",
    "aws_s3_bucket_object",
    // (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_object_copy>:
    // `acl` and `grant` as `aws_s3_object`)
    "aws_s3_object_copy",
];

/// The canned ACLs that grant to everyone (`AllUsers`) or to every AWS account
/// (`AuthenticatedUsers`), with what they grant
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl>).
pub(crate) fn public_canned_acl(acl: &str) -> Option<&'static str> {
    Some(match acl {
        "public-read" | "PublicRead" => "everyone may read",
        "public-read-write" | "PublicReadWrite" => "everyone may read and write",
        "authenticated-read" | "AuthenticatedRead" => "every AWS account may read",
        _ => return None,
    })
}

/// The grantee group URIs of S3 ACLs that are public
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups>).
pub(crate) const PUBLIC_GRANTEES: &[&str] = &[
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// The content an S3 ACL that is (or may be) public is named with
/// ([`crate::iac::unread::Unread::note`]).
pub(crate) fn acl_content(what: &str) -> String {
    format!("(S3 ACL: {what})")
}

/// The content a module call that is not read is named with
/// ([`crate::iac::unread::Unread::note`]): its arguments.
pub(crate) fn unread_module(arguments: &str) -> String {
    format!("(module not read: {arguments})")
}

/// The content an [`UNMODELLED_GRANTS`] resource is named with.
pub(crate) fn unmodelled_grant(arguments: &str) -> String {
    format!("(grants permissions: {arguments})")
}

/// The attribute holding the policy of a resource-policy resource, as the Terraform AWS
/// provider documents each resource
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/TYPE>, the type
/// without its `aws_` prefix).
pub(crate) fn resource_policy_attribute(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "aws_secretsmanager_secret_policy"
        | "aws_secretsmanager_secret"
        | "aws_efs_file_system_policy"
        | "aws_backup_vault_policy"
        | "aws_dynamodb_resource_policy"
        | "aws_kinesis_resource_policy"
        | "aws_ecr_repository_policy"
        | "aws_ecr_registry_policy"
        | "aws_ecrpublic_repository_policy"
        | "aws_sns_topic_policy"
        | "aws_sns_topic"
        | "aws_sqs_queue_policy"
        | "aws_sqs_queue"
        | "aws_s3_bucket_policy"
        | "aws_s3_bucket"
        | "aws_s3_access_point"
        | "aws_s3control_bucket_policy"
        | "aws_s3control_access_point_policy"
        | "aws_s3control_object_lambda_access_point_policy"
        | "aws_kms_key"
        | "aws_kms_key_policy"
        | "aws_kms_replica_key"
        | "aws_kms_external_key"
        | "aws_kms_replica_external_key"
        | "aws_api_gateway_rest_api_policy"
        | "aws_api_gateway_rest_api"
        | "aws_cloudwatch_event_bus_policy"
        | "aws_schemas_registry_policy"
        | "aws_codebuild_resource_policy"
        | "aws_glue_resource_policy"
        | "aws_networkfirewall_resource_policy"
        | "aws_vpclattice_resource_policy"
        | "aws_vpclattice_auth_policy"
        | "aws_media_store_container_policy"
        | "aws_redshiftserverless_resource_policy"
        | "aws_ses_identity_policy"
        | "aws_acmpca_policy"
        | "aws_oam_sink_policy"
        | "aws_msk_cluster_policy" => "policy",
        "aws_cloudwatch_log_resource_policy"
        | "aws_codeartifact_domain_permissions_policy"
        | "aws_codeartifact_repository_permissions_policy"
        | "aws_xray_resource_policy" => "policy_document",
        "aws_glacier_vault" | "aws_cloudwatch_log_destination_policy" => "access_policy",
        "aws_glacier_vault_lock" => "policy",
        "aws_opensearch_domain_policy"
        | "aws_elasticsearch_domain_policy"
        | "aws_opensearch_domain"
        | "aws_elasticsearch_domain" => "access_policies",
        "aws_s3tables_table_bucket_policy"
        | "aws_s3tables_table_policy"
        | "aws_sagemaker_model_package_group_policy" => "resource_policy",
        // read as a service or resource control policy (or named as unread:
        // `organizations_policy`)
        "aws_organizations_policy" => "content",
        _ => return None,
    })
}

/// The arguments that name what the policy of a resource-policy resource applies to, as the
/// Terraform AWS provider documents each resource
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/TYPE>, the type
/// without its `aws_` prefix): the same document applied to another resource grants there what
/// it grants (`diff` names a resource gained, [`crate::iac::cfn::Extract::targets`]). Empty for
/// a policy of the resource itself (`aws_sns_topic.policy`) or of the account or Region
/// (`aws_ecr_registry_policy`, `aws_cloudwatch_log_resource_policy`, `aws_glue_resource_policy`).
pub(crate) fn target_arguments(ty: &str) -> &'static [&'static str] {
    match ty {
        "aws_sns_topic_policy" => &["arn"],
        "aws_sqs_queue_policy" => &["queue_url"],
        "aws_s3_bucket_policy" | "aws_s3control_bucket_policy" => &["bucket"],
        "aws_secretsmanager_secret_policy" => &["secret_arn"],
        "aws_ecr_repository_policy" => &["repository"],
        "aws_ecrpublic_repository_policy" => &["repository_name"],
        "aws_efs_file_system_policy" => &["file_system_id"],
        "aws_backup_vault_policy" => &["backup_vault_name"],
        "aws_dynamodb_resource_policy"
        | "aws_kinesis_resource_policy"
        | "aws_codebuild_resource_policy"
        | "aws_networkfirewall_resource_policy"
        | "aws_vpclattice_resource_policy"
        | "aws_redshiftserverless_resource_policy"
        | "aws_acmpca_policy" => &["resource_arn"],
        "aws_vpclattice_auth_policy" => &["resource_identifier"],
        "aws_kms_key_policy" => &["key_id"],
        "aws_api_gateway_rest_api_policy" => &["rest_api_id"],
        "aws_cloudwatch_event_bus_policy" => &["event_bus_name"],
        "aws_schemas_registry_policy" => &["registry_name"],
        "aws_media_store_container_policy" => &["container_name"],
        "aws_ses_identity_policy" => &["identity"],
        "aws_oam_sink_policy" => &["sink_identifier"],
        "aws_msk_cluster_policy" => &["cluster_arn"],
        "aws_codeartifact_domain_permissions_policy" => &["domain", "domain_owner"],
        "aws_codeartifact_repository_permissions_policy" => {
            &["domain", "domain_owner", "repository"]
        }
        "aws_glacier_vault_lock" => &["vault_name"],
        "aws_opensearch_domain_policy" | "aws_elasticsearch_domain_policy" => &["domain_name"],
        "aws_s3control_access_point_policy" => &["access_point_arn"],
        "aws_s3control_object_lambda_access_point_policy" => &["account_id", "name"],
        "aws_s3tables_table_bucket_policy" => &["table_bucket_arn"],
        "aws_s3tables_table_policy" => &["table_bucket_arn", "namespace", "name"],
        "aws_sagemaker_model_package_group_policy" => &["model_package_group_name"],
        "aws_cloudwatch_log_destination_policy" => &["destination_name"],
        // (an SCP's or RCP's targets are its attachments: [`Plan::organization_targets`])
        "aws_organizations_policy_attachment" => &["policy_id", "target_id"],
        _ => &[],
    }
}

/// Resources whose policy argument is optional and computed: the provider reads back the
/// policy the resource has, which a separate `*_policy` resource (or AWS's default) may have
/// set; so the argument is read only when the configuration sets it.
pub(crate) fn computed_policy(ty: &str) -> bool {
    matches!(
        ty,
        "aws_s3_bucket"
            | "aws_sqs_queue"
            | "aws_sns_topic"
            | "aws_secretsmanager_secret"
            | "aws_api_gateway_rest_api"
            | "aws_opensearch_domain"
            | "aws_elasticsearch_domain"
    )
}

/// Resource types whose policy grants nothing (a VPC endpoint policy only filters what other
/// policies grant), so not named as unread. `aws_organizations_policy` is read
/// (`organizations_policy`).
pub(crate) const NOT_GRANTING: &[&str] = &["aws_vpc_endpoint", "aws_vpc_endpoint_policy"];

/// Argument names that hold a policy in the resource types the readers do not read: a
/// policy-shaped value there, or one known only after apply, is named as unread.
pub(crate) const POLICY_ARGUMENTS: &[&str] = &[
    "policy",
    "policy_document",
    "access_policy",
    "access_policies",
    "resource_policy",
    "inline_policy",
];

/// Whether a JSON document is a Terraform plan or state (`terraform show -json`).
pub fn is_plan(v: &crate::parse::json::Value) -> bool {
    v.get("format_version").is_some()
        && v.get("terraform_version").is_some()
        && (v.get("planned_values").is_some() || v.get("values").is_some())
}

pub(crate) struct Res<'a> {
    pub address: String,
    pub ty: &'a str,
    pub mode: &'a str,
    pub values: &'a J,
    /// Configuration expressions of the resource (for references).
    pub expressions: Option<&'a J>,
}

fn collect<'a>(module: &'a J, out: &mut Vec<Res<'a>>, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in module
        .get("resources")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(address), Some(ty)) = (
            r.get("address").and_then(J::as_str),
            r.get("type").and_then(J::as_str),
        ) else {
            continue;
        };
        out.push(Res {
            address: address.to_string(),
            ty,
            mode: r.get("mode").and_then(J::as_str).unwrap_or("managed"),
            values: r.get("values").unwrap_or(&J::Null),
            expressions: None,
        });
    }
    for c in module
        .get("child_modules")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        collect(c, out, depth + 1);
    }
}

/// `configuration` resources: address (with module prefix, without count/for_each index) →
/// expressions.
fn config_exprs<'a>(module: &'a J, prefix: &str, out: &mut BTreeMap<String, &'a J>, depth: usize) {
    if depth > 32 {
        return;
    }
    for r in module
        .get("resources")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(a), Some(e)) = (r.get("address").and_then(J::as_str), r.get("expressions")) {
            out.insert(format!("{prefix}{a}"), e);
        }
    }
    if let Some(calls) = module.get("module_calls").and_then(J::as_object) {
        for (name, call) in calls {
            if let Some(m) = call.get("module") {
                config_exprs(m, &format!("{prefix}module.{name}."), out, depth + 1);
            }
        }
    }
}

/// `aws_iam_role.x[0]` → `aws_iam_role.x` (configuration addresses have no instance keys).
fn base_address(a: &str) -> String {
    let mut out = String::with_capacity(a.len());
    let mut depth = 0;
    for c in a.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn module_prefix(address: &str) -> String {
    // everything up to the resource type: `module.a.module.b.`
    let base = base_address(address);
    let parts: Vec<&str> = base.split('.').collect();
    let mut prefix = String::new();
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "module" {
        prefix.push_str(&format!("module.{}.", parts[i + 1]));
        i += 2;
    }
    prefix
}

/// Whether an `after_unknown` value marks anything (itself or an element) unknown.
fn any_true(v: &J) -> bool {
    match v {
        J::Bool(b) => *b,
        J::Array(a) => a.iter().any(any_true),
        J::Object(m) => m.values().any(any_true),
        _ => false,
    }
}

fn text(v: &J, key: &str) -> Option<String> {
    v.get(key).and_then(J::as_str).map(str::to_string)
}

fn strings(v: &J, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(J::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(J::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The parts of `terraform show -json` output the reader uses.
#[derive(serde::Deserialize)]
struct PlanFile {
    planned_values: Option<J>,
    values: Option<J>,
    prior_state: Option<PriorState>,
    configuration: Option<J>,
    resource_changes: Option<Vec<ChangeEntry>>,
}

#[derive(serde::Deserialize)]
struct PriorState {
    values: Option<J>,
}

#[derive(serde::Deserialize)]
struct ChangeEntry {
    address: Option<String>,
    change: Option<ChangeBody>,
}

#[derive(serde::Deserialize)]
struct ChangeBody {
    after_unknown: Option<J>,
}

/// Reads a plan.
pub fn load(source: &Source) -> Result<Template, ParseError> {
    let err = |m: String| ParseError::new(source, "undecodable-document", Span::default(), m);
    // the parts read, typed: `before`/`after` copies of every resource in `resource_changes`
    // and managed resources' state are skipped by the parser, never built
    let root: PlanFile =
        serde_json::from_str(&source.text).map_err(|e| err(format!("invalid plan JSON: {e}")))?;
    let values = root
        .planned_values
        .as_ref()
        .or(root.values.as_ref())
        .and_then(|v| v.get("root_module"))
        .ok_or_else(|| err("the plan has no `planned_values.root_module`".into()))?;
    let mut resources = Vec::new();
    collect(values, &mut resources, 0);
    // data sources read during the plan are in `prior_state`
    if let Some(prior) = root
        .prior_state
        .as_ref()
        .and_then(|p| p.values.as_ref())
        .and_then(|v| v.get("root_module"))
    {
        let mut data = Vec::new();
        collect(prior, &mut data, 0);
        resources.extend(data.into_iter().filter(|r| r.mode == "data"));
    }
    let mut exprs = BTreeMap::new();
    if let Some(c) = root
        .configuration
        .as_ref()
        .and_then(|c| c.get("root_module"))
    {
        config_exprs(c, "", &mut exprs, 0);
    }
    for r in &mut resources {
        r.expressions = exprs.get(&base_address(&r.address)).copied();
    }
    // attributes known only after apply
    let mut unknown: BTreeMap<String, &J> = BTreeMap::new();
    for c in root.resource_changes.iter().flatten() {
        if let (Some(a), Some(u)) = (
            c.address.as_deref(),
            c.change.as_ref().and_then(|c| c.after_unknown.as_ref()),
        ) {
            unknown.insert(a.to_string(), u);
        }
    }
    let mut unknowns = BTreeMap::new();
    let prepared = deferred_documents(source, &resources, &unknown, &exprs, &mut unknowns);
    Ok(build(
        source,
        &resources,
        unknown,
        super::cfn::resolve::UNKNOWN_ACCOUNT,
        prepared,
        unknowns,
    ))
}

/// The policy attributes of a resource type.
fn policy_attributes(ty: &str) -> Vec<&'static str> {
    match ty {
        "aws_iam_role" => vec!["assume_role_policy"],
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => vec!["policy"],
        // an IAM Identity Center permission set's inline policy: an identity policy of the
        // roles it provisions in each assigned account
        // (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssoadmin_permission_set_inline_policy>)
        "aws_ssoadmin_permission_set_inline_policy" => vec!["inline_policy"],
        _ => resource_policy_attribute(ty).into_iter().collect(),
    }
}

/// A planned value as a tree; what `after_unknown` marks becomes a named placeholder.
fn with_placeholders(
    v: &J,
    unknown: Option<&J>,
    what: &str,
    notes: &mut BTreeMap<String, String>,
) -> crate::parse::json::Value {
    use crate::parse::json::{Kind, Member, Value};
    let kind = if unknown == Some(&J::Bool(true)) {
        let p = super::cfn::resolve::placeholder(what);
        notes.insert(p.clone(), format!("`{what}` (known only after apply)"));
        Kind::String(p)
    } else {
        match v {
            J::Null => Kind::Null,
            J::Bool(b) => Kind::Bool(*b),
            J::Number(n) => Kind::Number(n.to_string()),
            J::String(s) => Kind::String(s.clone()),
            J::Array(a) => Kind::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let u = unknown.and_then(|u| u.get(i));
                        with_placeholders(x, u, &format!("{what}[{i}]"), notes)
                    })
                    .collect(),
            ),
            J::Object(m) => {
                let mut members: Vec<Member> = m
                    .iter()
                    .map(|(k, x)| Member {
                        key: k.clone(),
                        key_span: Span::default(),
                        value: with_placeholders(
                            x,
                            unknown.and_then(|u| u.get(k)),
                            &format!("{what}.{k}"),
                            notes,
                        ),
                    })
                    .collect();
                // arguments wholly unknown may be absent from the planned values
                if let Some(J::Object(u)) = unknown {
                    for (k, flag) in u {
                        if flag == &J::Bool(true) && !m.contains_key(k) {
                            members.push(Member {
                                key: k.clone(),
                                key_span: Span::default(),
                                value: with_placeholders(
                                    &J::Null,
                                    Some(flag),
                                    &format!("{what}.{k}"),
                                    notes,
                                ),
                            });
                        }
                    }
                }
                Kind::Object(members)
            }
        }
    };
    Value {
        kind,
        span: Span::default(),
    }
}

/// A data source's configuration expressions as a tree: constants as they are, references
/// as named placeholders.
fn from_configuration(
    e: &J,
    what: &str,
    notes: &mut BTreeMap<String, String>,
) -> crate::parse::json::Value {
    use crate::parse::json::{Kind, Member, Value};
    let kind = match e {
        J::Object(m) if m.contains_key("constant_value") => {
            return with_placeholders(&m["constant_value"], None, what, notes);
        }
        J::Object(m) if m.contains_key("references") => {
            let first = m["references"]
                .get(0)
                .and_then(J::as_str)
                .unwrap_or(what)
                .to_string();
            let p = super::cfn::resolve::placeholder(&first);
            notes.insert(p.clone(), format!("`{first}` (known only after apply)"));
            Kind::String(p)
        }
        J::Object(m) => Kind::Object(
            m.iter()
                .map(|(k, x)| Member {
                    key: k.clone(),
                    key_span: Span::default(),
                    value: from_configuration(x, &format!("{what}.{k}"), notes),
                })
                .collect(),
        ),
        J::Array(a) => Kind::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| from_configuration(x, &format!("{what}[{i}]"), notes))
                .collect(),
        ),
        _ => Kind::Null,
    };
    Value {
        kind,
        span: Span::default(),
    }
}

/// Policies known only after apply that an `aws_iam_policy_document` renders: rebuilt from the
/// data source's planned arguments (or its configuration), the parts known only after apply
/// as named placeholders that match only themselves.
fn deferred_documents(
    source: &Source,
    resources: &[Res<'_>],
    unknown: &BTreeMap<String, &J>,
    exprs: &BTreeMap<String, &J>,
    notes: &mut BTreeMap<String, String>,
) -> Prepared {
    let mut out = Prepared::new();
    for r in resources.iter().filter(|r| r.mode != "data") {
        for attr in policy_attributes(r.ty) {
            let is_unknown = r.values.get(attr).is_none()
                && unknown
                    .get(&r.address)
                    .and_then(|u| u.get(attr))
                    .is_some_and(|v| v == &J::Bool(true));
            if !is_unknown {
                continue;
            }
            let prefix = module_prefix(&r.address);
            let Some(data) = r
                .expressions
                .and_then(|e| e.get(attr))
                .and_then(|e| e.get("references"))
                .and_then(J::as_array)
                .into_iter()
                .flatten()
                .filter_map(J::as_str)
                .find_map(|x| {
                    let rest = x.strip_prefix("data.aws_iam_policy_document.")?;
                    let name = rest.split(['.', '[']).next()?;
                    Some(format!("{prefix}data.aws_iam_policy_document.{name}"))
                })
            else {
                continue;
            };
            let planned = resources
                .iter()
                .find(|d| d.mode == "data" && base_address(&d.address) == data);
            let args = match planned {
                Some(d) => with_placeholders(
                    d.values,
                    unknown.get(&d.address).copied(),
                    &d.address,
                    notes,
                ),
                None => match exprs.get(&data) {
                    Some(e) => from_configuration(e, &data, notes),
                    None => continue,
                },
            };
            let path = format!("{}/{attr}", r.address);
            let name = format!("{}#{path}", source.name);
            let doc = match document::render(&args) {
                Ok(tree) => {
                    let text = hcl::pretty(&tree);
                    let s = Source::new(name, text);
                    let p = parse::parse_policy(&s);
                    (s, p)
                }
                Err(m) => {
                    let s = Source::new(name, "");
                    let e = ParseError::new(&s, "undecodable-document", Span::default(), m);
                    (s, Err(e))
                }
            };
            notes.insert(
                path.clone(),
                format!("the policy `{data}` renders (its JSON is known only after apply; rebuilt from its arguments)"),
            );
            out.insert(path, doc);
        }
    }
    out
}

/// A group's address, name, and policies with their [`super::cfn::maybe_label`].
type NamedGroup = (String, String, Vec<(Attached, String)>);

/// Principals, documents and links of a list of resources (of a plan, or of `.tf` files).
pub(crate) fn build<'a>(
    source: &'a Source,
    resources: &'a [Res<'a>],
    unknown: BTreeMap<String, &'a J>,
    account: &str,
    prepared: Prepared,
    unknowns: BTreeMap<String, String>,
) -> Template {
    let mut b = Plan {
        source,
        out: Extract {
            account: account.into(),
            partition: "aws".into(),
            ..Extract::default()
        },
        unknowns,
        unknown,
        resources,
        prepared,
        parsed: Default::default(),
    };
    b.read();
    let unknowns = b.unknowns;
    Template {
        source: source.clone(),
        variants: vec![b.out],
        unknowns,
        undecided: Default::default(),
        condition_ids: Default::default(),
    }
}

struct Plan<'a> {
    source: &'a Source,
    out: Extract,
    unknowns: BTreeMap<String, String>,
    unknown: BTreeMap<String, &'a J>,
    resources: &'a [Res<'a>],
    prepared: Prepared,
    /// Policy text → its first parse.
    parsed: std::collections::HashMap<String, (Source, Result<Policy, ParseError>)>,
}

impl Plan<'_> {
    /// The ARN of the REST API a policy resource is for, up to the API's ID: the API ID
    /// (`rest_api_id`, or the API's own `id`) where known, else a named placeholder; the
    /// Region is not known from the configuration (a placeholder).
    fn api_arn(&mut self, r: &Res<'_>) -> String {
        let id_attr = if r.ty == "aws_api_gateway_rest_api" {
            "id"
        } else {
            "rest_api_id"
        };
        let id = match r.values.get(id_attr) {
            Some(J::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                let p = super::cfn::resolve::placeholder(&format!("{}-api-id", r.address));
                self.unknowns.insert(
                    p.clone(),
                    format!(
                        "the REST API ID of `{}` (known only after apply)",
                        r.address
                    ),
                );
                p
            }
        };
        format!(
            "arn:aws:execute-api:{}:{}:{id}",
            super::cfn::resolve::UNKNOWN_REGION,
            self.out.account
        )
    }

    fn is_unknown(&self, address: &str, attr: &str) -> bool {
        self.unknown
            .get(address)
            .and_then(|u| u.get(attr))
            .is_some_and(|v| v == &J::Bool(true))
    }

    /// A document from a policy attribute; `None` when absent. Unknown → a failed document
    /// that says so.
    fn doc(&mut self, r: &Res<'_>, attr: &str, text: Option<&str>, kind: DocKind) -> Option<usize> {
        let path = format!("{}/{attr}", r.address);
        let name = format!("{}#{path}", self.source.name);
        let prepared = self.prepared.remove(&path);
        let (source, policy) = match (text, prepared) {
            (_, Some(p)) => p,
            (Some(t), None) if !t.trim().is_empty() => {
                // plans repeat the same policy text (modules, `count`): parsed once
                match self.parsed.get(t) {
                    Some((s0, p0)) => {
                        let s = s0.renamed(name);
                        let p = match p0 {
                            Ok(p) => {
                                let mut p = p.clone();
                                p.source = s.clone();
                                Ok(p)
                            }
                            Err(e) => {
                                let mut e = e.clone();
                                e.source = s.clone();
                                Err(e)
                            }
                        };
                        (s, p)
                    }
                    None => {
                        let s = Source::new(name, t);
                        let p = parse::parse_policy(&s);
                        self.parsed.insert(t.to_string(), (s.clone(), p.clone()));
                        (s, p)
                    }
                }
            }
            (Some(_), None) => return None,
            // an optional, computed policy the configuration does not set: what AWS (or
            // another resource) sets, read where it is set
            (None, _)
                if self.is_unknown(&r.address, attr)
                    && r.expressions.is_some_and(|e| {
                        e.get(attr.split('/').next().unwrap_or(attr)).is_none()
                    })
                    && attr != "assume_role_policy" =>
            {
                return None;
            }
            (None, _) if self.is_unknown(&r.address, attr) => {
                let s = Source::new(name, "");
                // what it is built from (the configuration's references): a `jsonencode` of
                // values known only after apply is unknown as a whole in the plan, which keeps
                // no structure for it
                let uses: Vec<String> = r
                    .expressions
                    .and_then(|e| e.get(attr.split('/').next_back().unwrap_or(attr)))
                    .and_then(|e| e.get("references"))
                    .and_then(J::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(J::as_str)
                    .map(|x| format!("`{x}`"))
                    .collect();
                let from = if uses.is_empty() {
                    String::new()
                } else {
                    format!(" (it uses {})", uses.join(", "))
                };
                let e = ParseError::new(&s, "undecodable-document", Span::default(), format!("`{attr}` of `{}` is known only after apply{from}", r.address))
                    .with_help("a plan holds a policy whose value depends on values known only after apply (such as `jsonencode` of a resource's ARN) as unknown as a whole, with no structure to read; read the configuration instead (`--template` on its `.tf` folder), where those values are named placeholders, or write the policy with an `aws_iam_policy_document` data source, which the plan keeps argument by argument");
                self.unknowns.insert(
                    format!("{}.{attr}", r.address),
                    "a value known only after apply".into(),
                );
                (s, Err(e))
            }
            (None, _) => return None,
        };
        // API Gateway stores `execute-api:/STAGE/METHOD/PATH` as the API's ARN (as for
        // CloudFormation's `AWS::ApiGateway::RestApi` `Policy`)
        let policy = match policy {
            Ok(mut p) if API_POLICY_TYPES.contains(&r.ty) => {
                let short = |p: &crate::model::Policy| {
                    p.statements.iter().any(|st| {
                        st.resource.as_ref().is_some_and(|b| {
                            b.items.iter().any(|i| i.value.starts_with("execute-api:/"))
                        })
                    })
                };
                if short(&p) {
                    let prefix = self.api_arn(r);
                    for st in &mut p.statements {
                        for i in st.resource.iter_mut().flat_map(|b| b.items.iter_mut()) {
                            if let Some(rest) = i.value.strip_prefix("execute-api:/") {
                                i.value = format!("{prefix}/{rest}");
                            }
                        }
                    }
                }
                Ok(p)
            }
            other => other,
        };
        self.out.docs.push(Doc {
            path,
            kind,
            source,
            policy,
        });
        Some(self.out.docs.len() - 1)
    }

    /// The address of the resource an attribute refers to (by value or by reference).
    fn target(&self, r: &Res<'_>, attr: &str, ty: &str, by: &str) -> Vec<String> {
        let mut found = Vec::new();
        for value in strings(r.values, attr) {
            for x in self.resources.iter().filter(|x| x.ty == ty) {
                // an IAM name whatever its case (IAM names are unique regardless of case:
                // `role = "APP"` names the role `app`, red team 41); ARNs exactly
                let same = match text(x.values, by) {
                    Some(t) if by == "name" => t.eq_ignore_ascii_case(&value),
                    Some(t) => t == value,
                    None => false,
                };
                if same && !found.contains(&x.address) {
                    found.push(x.address.clone());
                }
            }
        }
        if found.is_empty()
            && let Some(refs) = r
                .expressions
                .and_then(|e| e.get(attr))
                .and_then(|e| e.get("references"))
                .and_then(J::as_array)
        {
            let prefix = module_prefix(&r.address);
            for reference in refs.iter().filter_map(J::as_str) {
                let want = format!("{prefix}{reference}");
                for x in self.resources.iter().filter(|x| x.ty == ty) {
                    let base = base_address(&x.address);
                    if (want == base || want.starts_with(&format!("{base}.")))
                        && !found.contains(&x.address)
                    {
                        found.push(x.address.clone());
                    }
                }
            }
        }
        found
    }

    /// The principals of type `ty` that an attachment's or membership's `attr` may still name
    /// when [`Self::target`] finds none (red team 42), by address, with the name to show:
    /// every principal of the type whose name is given, when the name is known only after
    /// apply; else those whose given name a name no principal has may be, a placeholder
    /// standing for any text ([`crate::iac::may_be_same_name`]: `role = var.target` without a
    /// value, `name = var.role_name`). A name Terraform generates (no `name`) is named only
    /// through a reference, which [`Self::target`] finds.
    fn maybe_target(
        &self,
        r: &Res<'_>,
        attr: &str,
        ty: &str,
        owners: &[String],
    ) -> (Vec<String>, String) {
        let names = strings(r.values, attr);
        // (a value known only after apply that a reference links is found)
        let later = owners.is_empty()
            && self
                .unknown
                .get(&r.address)
                .and_then(|u| u.get(attr))
                .is_some_and(any_true);
        // the names no principal of the configuration has (whatever its case)
        let unmatched: Vec<&String> = names
            .iter()
            .filter(|n| {
                !self.resources.iter().any(|x| {
                    x.ty == ty && text(x.values, "name").is_some_and(|t| t.eq_ignore_ascii_case(n))
                })
            })
            .collect();
        if !later && unmatched.is_empty() {
            return (Vec::new(), String::new());
        }
        let keys: Vec<&str> = self.unknowns.keys().map(String::as_str).collect();
        let unknown_name = unmatched
            .iter()
            .any(|u| u.contains("UNKNOWN-") || keys.iter().any(|k| u.contains(k)));
        let shown = unmatched
            .first()
            .map(|n| n.to_string())
            .unwrap_or_else(|| format!("{} ({attr} known only after apply)", r.address));
        let found = self
            .resources
            .iter()
            .filter(|x| x.ty == ty && x.mode != "data" && !owners.contains(&x.address))
            .filter(|x| match text(x.values, "name") {
                // a name Terraform generates (`name_prefix`, no `name`) is named by a
                // reference, or by a value not known (a piece of the role's ARN, `split("/",
                // aws_iam_role.this.arn)`; a module's output known only after apply: red team
                // 43), never by a name given in full
                None => later || unknown_name,
                Some(n) if n == format!("UNKNOWN-{}-name", x.address) => later || unknown_name,
                Some(n) => {
                    later
                        || unmatched
                            .iter()
                            .any(|u| crate::iac::may_be_same_name(u, &n, &keys))
                }
            })
            .map(|x| x.address.clone())
            .collect();
        (found, shown)
    }

    /// Gives the principal at `owner` what a name not known may attach to it: `a` (so the
    /// cross-policy rules see what it may hold) and a mark that `verify`, `diff` and `check`
    /// answer `unknown` for.
    fn attach_maybe(&mut self, owner: &str, ty: &str, shown: &str, a: Option<Attached>) {
        let kind = match ty {
            "aws_iam_user" => PrincipalKind::User,
            "aws_iam_group" => PrincipalKind::Group,
            _ => PrincipalKind::Role,
        };
        let doc = a.as_ref().map(|a| super::cfn::maybe_label(&self.out, a));
        let mark = super::cfn::maybe_target(kind, shown, doc.as_deref());
        self.attach(owner, Attached::Unknown(mark));
        if let (Some(a), Some(i)) = (a, self.principal_index(owner)) {
            let p = &mut self.out.principals[i];
            if !p.maybe.contains(&a) {
                p.maybe.push(a);
            }
        }
    }

    /// Attaches `a` to the principals of type `ty` that `attr` names, or may name.
    fn attach_named(&mut self, r: &Res<'_>, attr: &str, ty: &str, a: &Attached) {
        let owners = self.target(r, attr, ty, "name");
        let (maybe, shown) = self.maybe_target(r, attr, ty, &owners);
        for owner in maybe {
            self.attach_maybe(&owner, ty, &shown, Some(a.clone()));
        }
        for owner in owners {
            self.attach(&owner, a.clone());
        }
    }

    /// The users a membership names (by address), and those a name not known may be (each
    /// given the mark of [`Self::attach_maybe`]).
    fn members(&mut self, r: &Res<'_>, attr: &str) -> (Vec<String>, Vec<String>) {
        let users = self.member_users(r, attr);
        let (maybe, _) = self.maybe_target(r, attr, "aws_iam_user", &users);
        (users, maybe)
    }

    /// Puts the users in the groups: for sure, and those a name not known may be
    /// ([`Principal::maybe_groups`]).
    fn join(&mut self, (users, maybe): (Vec<String>, Vec<String>), groups: &[String]) {
        for u in &users {
            if let Some(i) = self.principal_index(u) {
                self.out.principals[i].groups.extend(groups.iter().cloned());
            }
        }
        for u in &maybe {
            if let Some(i) = self.principal_index(u) {
                self.out.principals[i]
                    .maybe_groups
                    .extend(groups.iter().cloned());
            }
        }
    }

    /// The groups a membership resource names: the configuration's groups by address, and
    /// each name no group of the configuration has as itself (an existing group, whose
    /// policies are not known offline: red team 38), or the resource's address when its
    /// groups are known only after apply.
    fn member_groups(&self, r: &Res<'_>, attr: &str) -> Vec<String> {
        let mut found = self.target(r, attr, "aws_iam_group", "name");
        let names = strings(r.values, attr);
        for value in &names {
            // (IAM names are unique whatever their case: `Admins` names the group `admins`)
            let ours = self.named(r, "aws_iam_group", value);
            if ours.is_empty() {
                found.push(value.clone());
            }
            for a in ours {
                if !found.contains(&a) {
                    found.push(a);
                }
            }
        }
        if found.is_empty() {
            found.push(format!("{} ({attr} known only after apply)", r.address));
        }
        found
    }

    /// The users a membership resource names, by address: by name whatever its case (IAM
    /// names are unique regardless of case,
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names>;
    /// red team 40), or by reference.
    fn member_users(&self, r: &Res<'_>, attr: &str) -> Vec<String> {
        let mut found = self.target(r, attr, "aws_iam_user", "name");
        for value in strings(r.values, attr) {
            for a in self.named(r, "aws_iam_user", &value) {
                if !found.contains(&a) {
                    found.push(a);
                }
            }
        }
        found
    }

    /// The resources of type `ty` whose `name` is `name` whatever its case.
    fn named(&self, _r: &Res<'_>, ty: &str, name: &str) -> Vec<String> {
        self.resources
            .iter()
            .filter(|x| {
                x.ty == ty && text(x.values, "name").is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|x| x.address.clone())
            .collect()
    }

    fn principal_index(&self, address: &str) -> Option<usize> {
        self.out
            .principals
            .iter()
            .position(|p| p.logical_id == address)
    }

    fn attach(&mut self, owner: &str, a: Attached) {
        if let Some(i) = self.principal_index(owner)
            && !self.out.principals[i].identity.contains(&a)
        {
            self.out.principals[i].identity.push(a);
        }
    }

    fn managed(&self, arn: &str, policies: &BTreeMap<String, usize>) -> Attached {
        if let Some(&d) = policies.get(arn) {
            return Attached::Doc(d);
        }
        if let Some(rest) = arn.split_once(":iam::aws:policy/").map(|(_, r)| r) {
            return Attached::Aws(format!("arn:aws:iam::aws:policy/{rest}"));
        }
        Attached::Unknown(arn.to_string())
    }

    fn read(&mut self) {
        let resources = self.resources;
        // managed policies: by ARN when known, by address always
        let mut by_arn: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_address: BTreeMap<String, usize> = BTreeMap::new();
        for r in resources.iter().filter(|r| r.ty == "aws_iam_policy") {
            if let Some(d) = self.doc(
                r,
                "policy",
                r.values.get("policy").and_then(J::as_str),
                DocKind::Identity,
            ) {
                by_address.insert(r.address.clone(), d);
                if let Some(arn) = text(r.values, "arn") {
                    by_arn.insert(arn, d);
                }
            }
        }
        // a permission set's inline policy is linted and verified as an identity policy of
        // its own (red team 39: read nowhere, `lint` called the file policy-free)
        for r in resources
            .iter()
            .filter(|r| r.ty == "aws_ssoadmin_permission_set_inline_policy")
        {
            self.doc(
                r,
                "inline_policy",
                r.values.get("inline_policy").and_then(J::as_str),
                DocKind::Identity,
            );
        }
        for r in resources {
            let kind = match r.ty {
                "aws_iam_role" => PrincipalKind::Role,
                "aws_iam_user" => PrincipalKind::User,
                "aws_iam_group" => PrincipalKind::Group,
                _ => continue,
            };
            let name = text(r.values, "name").unwrap_or_else(|| {
                let p = super::cfn::resolve::placeholder(&format!("{}-name", r.address));
                self.unknowns.insert(
                    p.clone(),
                    format!("the name of `{}` (known only after apply)", r.address),
                );
                p
            });
            let arn = text(r.values, "arn").unwrap_or_else(|| {
                let path = text(r.values, "path").unwrap_or_else(|| "/".into());
                format!(
                    "arn:aws:iam::{}:{}{path}{name}",
                    self.out.account,
                    kind.as_str()
                )
            });
            let mut p = Principal {
                logical_id: r.address.clone(),
                kind,
                name,
                arn,
                identity: Vec::new(),
                boundary: None,
                trust: None,
                groups: Vec::new(),
                maybe: Vec::new(),
                maybe_groups: Vec::new(),
                // `tags_all` (a plan's, with the provider's `default_tags`), else `tags`; a
                // value not known is left out
                tags: r
                    .values
                    .get("tags_all")
                    .filter(|t| t.as_object().is_some_and(|m| !m.is_empty()))
                    .or_else(|| r.values.get("tags"))
                    .and_then(J::as_object)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .filter(|(k, v)| !k.contains("UNKNOWN-") && !v.contains("UNKNOWN-"))
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if kind == PrincipalKind::Role {
                p.trust = self.doc(
                    r,
                    "assume_role_policy",
                    r.values.get("assume_role_policy").and_then(J::as_str),
                    DocKind::Trust,
                );
                for (i, ip) in r
                    .values
                    .get("inline_policy")
                    .and_then(J::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let n = text(ip, "name").unwrap_or_else(|| i.to_string());
                    if let Some(d) = self.doc(
                        r,
                        &format!("inline_policy/{n}"),
                        ip.get("policy").and_then(J::as_str),
                        DocKind::Identity,
                    ) {
                        p.identity.push(Attached::Doc(d));
                    }
                }
                for arn in strings(r.values, "managed_policy_arns") {
                    p.identity.push(self.managed(&arn, &by_arn));
                }
            }
            if let Some(b) = text(r.values, "permissions_boundary").filter(|b| !b.is_empty()) {
                p.boundary = Some(self.managed(&b, &by_arn));
            } else if let Some(addr) = self
                .target(r, "permissions_boundary", "aws_iam_policy", "arn")
                .first()
            {
                p.boundary = by_address.get(addr).map(|&d| Attached::Doc(d));
            }
            self.out.principals.push(p);
        }
        // (owner, the managed policies it keeps, the exclusive resource's address and type)
        let mut exclusives: Vec<(String, Vec<Attached>, String, String)> = Vec::new();
        for r in resources {
            let (owner_ty, owner_attr) = match r.ty {
                "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => {
                    ("aws_iam_role", "role")
                }
                "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
                    ("aws_iam_user", "user")
                }
                "aws_iam_group_policy" | "aws_iam_group_policy_attachment" => {
                    ("aws_iam_group", "group")
                }
                "aws_iam_policy_attachment" => ("", ""),
                "aws_iam_role_policy_attachments_exclusive" => {
                    let kept =
                        self.exclusive(r, ("role_name", "aws_iam_role"), &by_arn, &by_address);
                    exclusives.extend(kept);
                    continue;
                }
                "aws_iam_user_policy_attachments_exclusive" => {
                    let kept =
                        self.exclusive(r, ("user_name", "aws_iam_user"), &by_arn, &by_address);
                    exclusives.extend(kept);
                    continue;
                }
                "aws_iam_group_policy_attachments_exclusive" => {
                    let kept =
                        self.exclusive(r, ("group_name", "aws_iam_group"), &by_arn, &by_address);
                    exclusives.extend(kept);
                    continue;
                }
                // they name the inline policies (`aws_iam_role_policy`, ...) the principal
                // keeps and delete the others: they grant nothing, and every inline policy
                // of the configuration stays read (what is granted is over-approximated)
                "aws_iam_role_policies_exclusive"
                | "aws_iam_user_policies_exclusive"
                | "aws_iam_group_policies_exclusive" => continue,
                // linked to their policies once every document is read
                "aws_organizations_policy_attachment" => continue,
                "aws_iam_user_group_membership" => {
                    let users = self.members(r, "user");
                    let groups = self.member_groups(r, "groups");
                    self.join(users, &groups);
                    continue;
                }
                "aws_iam_group_membership" => {
                    let users = self.members(r, "users");
                    let groups = self.member_groups(r, "group");
                    self.join(users, &groups);
                    continue;
                }
                _ => {
                    self.resource_policy(r);
                    continue;
                }
            };
            let attached: Option<Attached> = if r.ty.ends_with("_policy") {
                self.doc(
                    r,
                    "policy",
                    r.values.get("policy").and_then(J::as_str),
                    DocKind::Identity,
                )
                .map(Attached::Doc)
            } else {
                match text(r.values, "policy_arn") {
                    Some(arn) => Some(self.managed(&arn, &by_arn)),
                    None => self
                        .target(r, "policy_arn", "aws_iam_policy", "arn")
                        .first()
                        .and_then(|a| by_address.get(a))
                        .map(|&d| Attached::Doc(d))
                        .or_else(|| {
                            Some(Attached::Unknown(format!(
                                "{} (policy_arn known only after apply)",
                                r.address
                            )))
                        }),
                }
            };
            let Some(a) = attached else { continue };
            if r.ty == "aws_iam_policy_attachment" {
                for (ty, attr) in [
                    ("aws_iam_role", "roles"),
                    ("aws_iam_user", "users"),
                    ("aws_iam_group", "groups"),
                ] {
                    self.attach_named(r, attr, ty, &a);
                }
            } else {
                self.attach_named(r, owner_attr, owner_ty, &a);
            }
        }
        let managed_docs: Vec<usize> = by_address.values().copied().collect();
        self.apply_exclusive(&exclusives, &managed_docs);
        self.organization_targets();
        // users inherit their groups' policies (groups are named by address here)
        let groups =
            super::cfn::of_groups(&self.out, |p| (p.logical_id.clone(), p.identity.clone()));
        // group address → (name, its policies with their labels), for the groups a name not
        // known may be
        let named: Vec<NamedGroup> = self
            .out
            .principals
            .iter()
            .filter(|p| p.kind == PrincipalKind::Group)
            .map(|p| {
                let l = p
                    .identity
                    .iter()
                    .map(|a| (a.clone(), super::cfn::maybe_label(&self.out, a)))
                    .collect();
                (p.logical_id.clone(), p.name.clone(), l)
            })
            .collect();
        let keys: Vec<String> = self.unknowns.keys().cloned().collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        // each group's policies a name not known may attach: its members may hold them too
        // (red team 45)
        let group_maybe =
            super::cfn::of_groups(&self.out, |p| (p.logical_id.clone(), p.maybe.clone()));
        for p in &mut self.out.principals {
            // the groups a name not known may put it in: their policies may be its, each
            // with a mark (red teams 43 and 44)
            let mut maybe_groups: Vec<String> = std::mem::take(&mut p.maybe_groups);
            for g in &p.groups {
                if groups.contains_key(g)
                    || !(g.contains("UNKNOWN-") || keys.iter().any(|k| g.contains(k)))
                {
                    continue;
                }
                for (address, name, _) in &named {
                    let generated = name.is_empty() || *name == format!("UNKNOWN-{address}-name");
                    if (generated || crate::iac::may_be_same_name(g, name, &keys))
                        && !maybe_groups.contains(address)
                    {
                        maybe_groups.push(address.clone());
                    }
                }
            }
            for g in p.groups.iter().chain(&maybe_groups) {
                for a in group_maybe.get(g).into_iter().flatten() {
                    if !p.maybe.contains(a) {
                        p.maybe.push(a.clone());
                    }
                }
            }
            for g in &maybe_groups {
                let Some((_, name, list)) = named.iter().find(|(a, _, _)| a == g) else {
                    let mark = Attached::Unknown(super::cfn::outside_group(g));
                    if !p.identity.contains(&mark) {
                        p.identity.push(mark);
                    }
                    continue;
                };
                super::cfn::give_maybe_group(p, name, list);
            }
            // a group the configuration does not define has policies not known offline
            let inherited: Vec<Attached> = p
                .groups
                .iter()
                .flat_map(|g| match groups.get(g) {
                    Some(a) => a.clone(),
                    None => vec![Attached::Unknown(super::cfn::outside_group(g))],
                })
                .collect();
            for a in inherited {
                if !p.identity.contains(&a) {
                    p.identity.push(a);
                }
            }
        }
    }

    /// `aws_iam_{role,user,group}_policy_attachments_exclusive`: the managed policies of
    /// `policy_arns` are attached to the principal, and every other managed policy is detached
    /// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachments_exclusive>:
    /// "This resource takes exclusive ownership over managed IAM policies attached to a role.
    /// This includes removal of managed IAM policies which are not explicitly configured"):
    /// see [`Self::apply_exclusive`]. An ARN known only after apply is linked through the
    /// configuration's references to `aws_iam_policy` resources, else unknown. Returns, for
    /// each owner, the managed policies it keeps.
    fn exclusive(
        &mut self,
        r: &Res<'_>,
        (owner_attr, owner_ty): (&str, &str),
        by_arn: &BTreeMap<String, usize>,
        by_address: &BTreeMap<String, usize>,
    ) -> Vec<(String, Vec<Attached>, String, String)> {
        let mut attached: Vec<Attached> = strings(r.values, "policy_arns")
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| self.managed(a, by_arn))
            .collect();
        let later = self
            .unknown
            .get(&r.address)
            .and_then(|u| u.get("policy_arns"))
            .is_some_and(any_true);
        if later {
            let linked: Vec<Attached> = self
                .target(r, "policy_arns", "aws_iam_policy", "arn")
                .iter()
                .filter_map(|a| by_address.get(a))
                .map(|&d| Attached::Doc(d))
                .collect();
            if linked.is_empty() {
                attached.push(Attached::Unknown(format!(
                    "{} (policy_arns known only after apply)",
                    r.address
                )));
            }
            attached.extend(linked);
        }
        let mut kept = Vec::new();
        let owners = self.target(r, owner_attr, owner_ty, "name");
        // an owner named by a value not known may be any principal the value may name: it
        // may hold the policies (red team 43), and nothing is detached from it
        let (maybe, shown) = self.maybe_target(r, owner_attr, owner_ty, &owners);
        for owner in maybe {
            for a in &attached {
                self.attach_maybe(&owner, owner_ty, &shown, Some(a.clone()));
            }
            if attached.is_empty() {
                self.attach_maybe(&owner, owner_ty, &shown, None);
            }
        }
        for owner in owners {
            for a in &attached {
                self.attach(&owner, a.clone());
            }
            kept.push((owner, attached.clone(), r.address.clone(), r.ty.to_string()));
        }
        kept
    }

    /// After an exclusive attachment resource, a principal keeps exactly the managed policies
    /// it lists (of every such resource of the principal), its inline policies
    /// (`aws_iam_role_policy`, `inline_policy`: not managed policies) and its permissions
    /// boundary; a user still inherits its groups' policies. A managed policy the configuration
    /// also attaches otherwise (`*_policy_attachment`, `aws_iam_policy_attachment`,
    /// `managed_policy_arns`) is detached by it — the provider warns this is a persistent
    /// conflict, whose state after one apply depends on the order Terraform applies the two —
    /// so it is left out of the principal's policies (`check` does not count on it) and named
    /// as unread (`verify` and `diff` answer `unknown`, never a verdict on either state). When
    /// a listed ARN is not known statically, nothing is dropped.
    fn apply_exclusive(
        &mut self,
        exclusives: &[(String, Vec<Attached>, String, String)],
        managed_docs: &[usize],
    ) {
        let mut owners: Vec<&String> = exclusives.iter().map(|(o, ..)| o).collect();
        owners.sort();
        owners.dedup();
        for owner in owners {
            let Some(i) = self.principal_index(owner) else {
                continue;
            };
            let keep: Vec<&Attached> = exclusives
                .iter()
                .filter(|(o, ..)| o == owner)
                .flat_map(|(_, a, ..)| a)
                .collect();
            let by: Vec<(&str, &str)> = exclusives
                .iter()
                .filter(|(o, ..)| o == owner)
                .map(|(_, _, address, ty)| (address.as_str(), ty.as_str()))
                .collect();
            // a listed policy not known statically may be any of the others: none is dropped
            if keep.iter().any(|a| matches!(a, Attached::Unknown(_))) {
                continue;
            }
            let is_managed = |a: &Attached| match a {
                Attached::Doc(d) => managed_docs.contains(d),
                _ => true,
            };
            let (kept, dropped): (Vec<Attached>, Vec<Attached>) = self.out.principals[i]
                .identity
                .drain(..)
                .partition(|a| !is_managed(a) || keep.contains(&a));
            self.out.principals[i].identity = kept;
            for a in dropped {
                let name = match &a {
                    Attached::Doc(d) => self.out.docs[*d].path.clone(),
                    Attached::Aws(arn) | Attached::Unknown(arn) => arn.clone(),
                    Attached::AwsName(n) => n.clone(),
                };
                self.out.unread.push(crate::iac::unread::Unread {
                    path: by[0].0.to_string(),
                    ty: by[0].1.to_string(),
                    content: format!(
                        "(exclusive: detaches `{name}`, which the configuration also attaches to `{owner}`)"
                    ),
                });
            }
        }
    }

    fn resource_policy(&mut self, r: &Res<'_>) {
        if ACL_TYPES.contains(&r.ty) {
            self.acl(r);
            if resource_policy_attribute(r.ty).is_none() {
                return;
            }
        }
        // `aws_iam_policy_document` data sources are read where their `json` is used
        if r.ty == "aws_lambda_permission" {
            self.lambda_permission(r);
            return;
        }
        if r.ty == "aws_lambda_function_url" {
            self.function_url(r);
            return;
        }
        if r.ty == "aws_lambda_layer_version_permission" {
            self.layer_permission(r);
            return;
        }
        if r.ty == "aws_cloudwatch_event_permission" {
            self.event_permission(r);
            return;
        }
        if r.ty == "aws_organizations_policy" {
            self.organizations_policy(r);
            return;
        }
        self.unread(r);
        let Some(attr) = resource_policy_attribute(r.ty) else {
            return;
        };
        if computed_policy(r.ty) && r.expressions.is_some_and(|e| e.get(attr).is_none()) {
            return;
        }
        let Some(i) = self.doc(
            r,
            attr,
            r.values.get(attr).and_then(J::as_str),
            DocKind::Resource,
        ) else {
            return;
        };
        // what the document applies to, when an argument apart from it names it
        let named: Vec<String> = target_arguments(r.ty)
            .iter()
            .filter_map(|a| self.argument_text(r, a).map(|t| (a, t)))
            .map(|(a, t)| {
                if target_arguments(r.ty).len() > 1 {
                    format!("{a} = {t}")
                } else {
                    t
                }
            })
            .collect();
        if !named.is_empty() {
            self.out.targets.insert(i, vec![named.join(", ")]);
        }
    }

    /// An argument's value as compact JSON (`"arn:aws:sns:...:t"`, a placeholder's text:
    /// `"UNKNOWN-aws_sns_topic.t.arn"`, which only the same reference gives), or, when a plan
    /// knows it only after apply, the references its expression makes (`aws_sns_topic.t.arn`)
    /// or that it is not known; `None` when it is not set.
    fn argument_text(&self, r: &Res<'_>, attr: &str) -> Option<String> {
        match r.values.get(attr) {
            Some(J::Null) | None => {}
            Some(v) => {
                // a placeholder named by its place in a `.tf` file (`UNKNOWN-expr-FILE-OFFSET`,
                // an expression not evaluated) is named by the expression's text instead: an
                // edit elsewhere in the file moves the place, not the target
                let mut t = v.to_string();
                if t.contains("UNKNOWN-expr-") {
                    let mut keys: Vec<(&String, &String)> = self
                        .unknowns
                        .iter()
                        .filter(|(k, _)| k.starts_with("UNKNOWN-expr-"))
                        .collect();
                    keys.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
                    for (k, why) in keys {
                        if let Some(expr) = why.split('`').nth(1) {
                            t = t.replace(k.as_str(), &format!("({expr})"));
                        }
                    }
                }
                return Some(t);
            }
        }
        let prefix = module_prefix(&r.address);
        if let Some(refs) = r
            .expressions
            .and_then(|e| e.get(attr))
            .and_then(|e| e.get("references"))
            .and_then(J::as_array)
            && !refs.is_empty()
        {
            let refs: Vec<String> = refs
                .iter()
                .filter_map(J::as_str)
                .map(|x| format!("{prefix}{x}"))
                .collect();
            return Some(refs.join(" "));
        }
        self.is_unknown(&r.address, attr)
            .then(|| format!("`{attr}` of `{}` (known only after apply)", r.address))
    }

    /// `aws_organizations_policy_attachment`: the `target_id` (an account, OU or root) each
    /// `aws_organizations_policy` of the configuration is attached to, by its `policy_id` (the
    /// policy's ID or ARN, or a reference to it), are the SCP's or RCP's targets
    /// ([`crate::iac::cfn::Extract::targets`]): `diff` names a target lost, where the policy's
    /// `Deny` statements no longer apply. An attachment of a policy whose content the
    /// configuration does not give — a `policy_id` no `aws_organizations_policy` of it is (a
    /// literal `p-...` ID, a variable, a data source, a module output), or one of a type not
    /// known statically — records the policy by that reference with its targets
    /// ([`crate::iac::cfn::Extract::opaque_org_policies`]): detaching it may lift a `Deny` too
    /// (red team 74: removing such an attachment was "0 added"). One of a policy of another
    /// type (a tag or backup policy) grants nothing and is left out.
    fn organization_targets(&mut self) {
        let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut opaque: BTreeMap<String, super::cfn::OpaqueOrgPolicy> = BTreeMap::new();
        for r in self
            .resources
            .iter()
            .filter(|r| r.ty == "aws_organizations_policy_attachment" && r.mode != "data")
        {
            let Some(target) = self.argument_text(r, "target_id") else {
                continue;
            };
            let id = strings(r.values, "policy_id");
            let mut policies = self.target(r, "policy_id", "aws_organizations_policy", "id");
            policies.extend(
                self.target(r, "policy_id", "aws_organizations_policy", "arn")
                    .into_iter()
                    .filter(|a| !policies.contains(a))
                    .collect::<Vec<_>>(),
            );
            // (a `.tf` module: the placeholder of the policy's `id` or `arn`)
            for x in self
                .resources
                .iter()
                .filter(|x| x.ty == "aws_organizations_policy")
            {
                let own = ["id", "arn"]
                    .map(|a| super::cfn::resolve::placeholder(&format!("{}.{a}", x.address)));
                if id.iter().any(|v| own.contains(v)) && !policies.contains(&x.address) {
                    policies.push(x.address.clone());
                }
            }
            if policies.is_empty() {
                // a policy the configuration does not define, named by its reference
                let named = self
                    .argument_text(r, "policy_id")
                    .unwrap_or_else(|| format!("`policy_id` of `{}` (not set)", r.address));
                let o = opaque.entry(named).or_default();
                o.targets.push(target.clone());
                o.attachments.push(r.address.clone());
                continue;
            }
            for p in policies {
                let path = format!("{p}/content");
                if let Some(i) = self.out.docs.iter().position(|d| d.path == path) {
                    found.entry(i).or_default().push(target.clone());
                } else if !self.other_org_policy_type(&p) {
                    // (a `type` not known statically: its content is named as unread)
                    let o = opaque.entry(p).or_default();
                    o.targets.push(target.clone());
                    o.attachments.push(r.address.clone());
                }
            }
        }
        for (i, mut t) in found {
            t.sort();
            t.dedup();
            self.out.targets.insert(i, t);
        }
        for (p, mut o) in opaque {
            o.targets.sort();
            o.targets.dedup();
            self.out.opaque_org_policies.insert(p, o);
        }
    }

    /// Whether the `aws_organizations_policy` at `address` is of a type known statically that
    /// is not an IAM policy (a tag, backup, AI services opt-out, chatbot or declarative
    /// policy: see [`Self::organizations_policy`]).
    fn other_org_policy_type(&self, address: &str) -> bool {
        self.resources
            .iter()
            .find(|x| x.address == address)
            .is_some_and(|x| match x.values.get("type") {
                Some(J::String(t)) => {
                    !t.starts_with("UNKNOWN-")
                        && t != "SERVICE_CONTROL_POLICY"
                        && t != "RESOURCE_CONTROL_POLICY"
                }
                _ => false,
            })
    }

    /// An S3 access control list that grants to everyone or to every AWS account — a public
    /// canned `acl` (`public-read`, `public-read-write`, `authenticated-read`), or a grant in
    /// `access_control_policy` / `grant` to the `AllUsers` or `AuthenticatedUsers` group — is
    /// public access greenlight does not model (whether it takes effect depends on the
    /// bucket's Block Public Access settings and object ownership): it is named as unread, so
    /// `verify --no-public-access` answers `unknown`, never "holds". An `acl` not known
    /// statically is named too.
    fn acl(&mut self, r: &Res<'_>) {
        let mut found: Vec<(String, String)> = Vec::new();
        let mut push = |path: String, what: String| found.push((path, what));
        let acl_unknown = self.is_unknown(&r.address, "acl");
        let unknown_of = |attr: &str| self.is_unknown(&r.address, attr);
        let set_in_config = r.expressions.is_none_or(|e| e.get("acl").is_some());
        match r.values.get("acl") {
            Some(J::String(a)) if a.starts_with("UNKNOWN-") => push(
                format!("{}/acl", r.address),
                format!("`acl` is not known statically: {a}"),
            ),
            Some(J::String(a)) => {
                if let Some(who) = public_canned_acl(a) {
                    push(format!("{}/acl", r.address), format!("`{a}`, {who}"));
                }
            }
            None | Some(J::Null) if set_in_config && acl_unknown && r.ty != "aws_s3_bucket" => {
                push(
                    format!("{}/acl", r.address),
                    "`acl` is known only after apply".into(),
                );
            }
            _ => {}
        }
        fn grantees(v: &J, out: &mut Vec<String>, unknown: &mut bool) {
            match v {
                J::String(s) if PUBLIC_GRANTEES.contains(&s.as_str()) => out.push(s.clone()),
                J::String(s) if s.starts_with("UNKNOWN-") => *unknown = true,
                J::Array(a) => a.iter().for_each(|x| grantees(x, out, unknown)),
                J::Object(m) => m.values().for_each(|x| grantees(x, out, unknown)),
                _ => {}
            }
        }
        for attr in ["access_control_policy", "grant"] {
            let Some(v) = r.values.get(attr) else {
                continue;
            };
            let mut public = Vec::new();
            let mut unknown =
                unknown_of(attr) && r.expressions.is_none_or(|e| e.get(attr).is_some());
            grantees(v, &mut public, &mut unknown);
            public.sort();
            public.dedup();
            if !public.is_empty() {
                push(
                    format!("{}/{attr}", r.address),
                    format!("grants to {}", public.join(", ")),
                );
            } else if unknown {
                push(
                    format!("{}/{attr}", r.address),
                    format!("`{attr}` is not known statically"),
                );
            }
        }
        for (path, what) in found {
            self.out.unread.push(crate::iac::unread::Unread {
                path,
                ty: r.ty.to_string(),
                content: acl_content(&what),
            });
        }
    }

    /// `aws_organizations_policy`: the `content` of a policy of `type`
    /// `SERVICE_CONTROL_POLICY` (the default) is a service control policy, that of a
    /// `RESOURCE_CONTROL_POLICY` a resource control policy
    /// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy).
    /// A `type` not known is named as unread (`unknown` for `verify` and `diff`). The
    /// other types (tag, backup, AI services opt-out, chatbot, declarative policies) are not
    /// IAM policies.
    fn organizations_policy(&mut self, r: &Res<'_>) {
        self.unread(r);
        let ty = match r.values.get("type") {
            Some(J::String(t)) if !t.starts_with("UNKNOWN-") => Some(t.as_str()),
            None | Some(J::Null) if !self.is_unknown(&r.address, "type") => {
                Some("SERVICE_CONTROL_POLICY")
            }
            _ => None,
        };
        let other = matches!(
            ty,
            Some(t) if t != "SERVICE_CONTROL_POLICY" && t != "RESOURCE_CONTROL_POLICY"
        );
        if other {
            self.prepared.remove(&format!("{}/content", r.address));
            return;
        }
        let text = r.values.get("content").and_then(J::as_str);
        let kind = if ty == Some("RESOURCE_CONTROL_POLICY") {
            DocKind::Rcp
        } else {
            DocKind::Scp
        };
        let Some(i) = self.doc(r, "content", text, kind) else {
            return;
        };
        if ty.is_some() {
            return;
        }
        let d = self.out.docs.remove(i);
        let content = match &d.policy {
            Ok(p) => crate::iac::unread::without_spans(&format!(
                "{:?}{:?}",
                p.version.as_ref().map(|v| v.value),
                p.statements
            )),
            Err(e) => format!("(not known: {})", e.message),
        };
        self.out.unread.push(crate::iac::unread::Unread {
            path: d.path.clone(),
            ty: match ty {
                Some(t) => format!("{} of type {t}", r.ty),
                None => format!("{} of a type not known", r.ty),
            },
            content,
        });
    }

    /// The policy-shaped values of a resource of a type no reader takes, and its policy
    /// arguments known only after apply ([`crate::iac::unread`]).
    fn unread(&mut self, r: &Res<'_>) {
        let read = resource_policy_attribute(r.ty);
        if r.mode == "data"
            || (is_read_type(r.ty) && read.is_none())
            || NOT_GRANTING.contains(&r.ty)
        {
            return;
        }
        if UNMODELLED_GRANTS.contains(&r.ty) {
            self.out.unread.push(crate::iac::unread::Unread {
                path: r.address.clone(),
                ty: r.ty.to_string(),
                content: unmodelled_grant(&r.values.to_string()),
            });
            return;
        }
        let mut found = Vec::new();
        match r.values {
            // the other arguments of a resource-policy type
            J::Object(m) => {
                for (k, v) in m.iter().filter(|(k, _)| Some(k.as_str()) != read) {
                    crate::iac::unread::find_json(v, &format!("{}/{k}", r.address), &mut found);
                }
            }
            v => crate::iac::unread::find_json(v, &r.address, &mut found),
        }
        let mut out: Vec<crate::iac::unread::Unread> = found
            .into_iter()
            .map(|(path, v)| crate::iac::unread::Unread {
                path,
                ty: r.ty.to_string(),
                content: v.to_string(),
            })
            .collect();
        for a in POLICY_ARGUMENTS.iter().filter(|a| Some(**a) != read) {
            if r.values.get(*a).is_none_or(J::is_null) && self.is_unknown(&r.address, a) {
                out.push(crate::iac::unread::Unread {
                    path: format!("{}/{a}", r.address),
                    ty: r.ty.to_string(),
                    content: "(known only after apply)".into(),
                });
            }
        }
        self.out.unread.extend(out);
    }

    /// `aws_lambda_layer_version_permission` as the statement Lambda adds to the layer
    /// version's policy: `principal` (an account or `*`), `action` on the version
    /// `layer_name:version_number`, `aws:PrincipalOrgID` when `organization_id` is given
    /// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_layer_version_permission).
    fn layer_permission(&mut self, r: &Res<'_>) {
        let v = r.values;
        let layer = text(v, "layer_name").unwrap_or_else(|| {
            let p = super::cfn::resolve::placeholder(&format!("{}-layer", r.address));
            self.unknowns.insert(
                p.clone(),
                format!("the layer of `{}` (known only after apply)", r.address),
            );
            p
        });
        let version = match v.get("version_number") {
            Some(J::Number(n)) => n.to_string(),
            Some(J::String(s)) => s.clone(),
            _ => "*".into(),
        };
        let layer = if layer.starts_with("arn:") {
            layer
        } else {
            format!(
                "arn:aws:lambda:{}:{}:layer:{layer}",
                super::cfn::resolve::UNKNOWN_REGION,
                self.out.account
            )
        };
        let mut stmt = serde_json::json!({
            "Effect": "Allow",
            "Principal": { "AWS": text(v, "principal").unwrap_or_default() },
            "Action": text(v, "action").unwrap_or_default(),
            "Resource": format!("{layer}:{version}"),
        });
        if let Some(o) = text(v, "organization_id") {
            stmt["Condition"] = serde_json::json!({ "StringEquals": { "aws:PrincipalOrgID": o } });
        }
        let doc = serde_json::json!({ "Version": "2012-10-17", "Statement": [stmt] });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.doc(r, "permission", Some(&text), DocKind::Resource);
    }

    /// `aws_cloudwatch_event_permission` as the statement EventBridge adds to the event bus
    /// policy: `principal` (an account or `*`), `action` (default `events:PutEvents`) on the
    /// bus `event_bus_name` (default `default`), and the `condition` block (`key`, `type`,
    /// `value`)
    /// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_permission).
    fn event_permission(&mut self, r: &Res<'_>) {
        let v = r.values;
        let bus = text(v, "event_bus_name").unwrap_or_else(|| "default".into());
        let resource = if bus.starts_with("arn:") {
            bus
        } else {
            format!(
                "arn:aws:events:{}:{}:event-bus/{bus}",
                super::cfn::resolve::UNKNOWN_REGION,
                self.out.account
            )
        };
        let mut stmt = serde_json::json!({
            "Effect": "Allow",
            "Principal": { "AWS": text(v, "principal").unwrap_or_default() },
            "Action": text(v, "action").unwrap_or_else(|| "events:PutEvents".into()),
            "Resource": resource,
        });
        let mut cond = serde_json::Map::new();
        for c in v
            .get("condition")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
        {
            let op = text(c, "type").unwrap_or_else(|| "StringEquals".into());
            if let (Some(k), Some(x)) = (text(c, "key"), c.get("value")) {
                let entry = cond
                    .entry(op)
                    .or_insert_with(|| J::Object(serde_json::Map::new()));
                entry[k.as_str()] = x.clone();
            }
        }
        if !cond.is_empty() {
            stmt["Condition"] = J::Object(cond);
        }
        let doc = serde_json::json!({ "Version": "2012-10-17", "Statement": [stmt] });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.doc(r, "permission", Some(&text), DocKind::Resource);
    }

    /// `aws_lambda_function_url` with `authorization_type = "NONE"` as the statement the
    /// provider adds to the function's policy when it creates the URL (`AddPermission`, Sid
    /// `FunctionURLAllowPublicAccess`): `Principal: "*"`, `lambda:InvokeFunctionUrl` on the
    /// function (or its `qualifier`), `lambda:FunctionUrlAuthType` `NONE`
    /// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_url>;
    /// <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>). `AWS_IAM` adds nothing;
    /// an `authorization_type` not known is named as unread.
    fn function_url(&mut self, r: &Res<'_>) {
        let v = r.values;
        match text(v, "authorization_type").as_deref() {
            Some("NONE") => {}
            Some("AWS_IAM") => return,
            other => {
                let what = match other {
                    Some(t) => format!("(not known statically: {t})"),
                    None => "(known only after apply)".into(),
                };
                self.out.unread.push(crate::iac::unread::Unread {
                    path: format!("{}/authorization_type", r.address),
                    ty: r.ty.to_string(),
                    content: what,
                });
                return;
            }
        }
        let resource = self.function_arn(r, text(v, "qualifier").as_deref());
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "FunctionURLAllowPublicAccess",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:InvokeFunctionUrl",
                "Resource": resource,
                "Condition": { "StringEquals": { "lambda:FunctionUrlAuthType": "NONE" } },
            }],
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.doc(r, "permission", Some(&text), DocKind::Resource);
    }

    /// The ARN of the function `function_name` names (a name, or an ARN), with a qualifier.
    fn function_arn(&mut self, r: &Res<'_>, qualifier: Option<&str>) -> String {
        let function = text(r.values, "function_name").unwrap_or_else(|| {
            let p = super::cfn::resolve::placeholder(&format!("{}-function", r.address));
            self.unknowns.insert(
                p.clone(),
                format!("the function of `{}` (known only after apply)", r.address),
            );
            p
        });
        let arn = if function.starts_with("arn:") {
            function
        } else {
            format!(
                "arn:aws:lambda:{}:{}:function:{function}",
                super::cfn::resolve::UNKNOWN_REGION,
                self.out.account
            )
        };
        match qualifier.filter(|q| !q.is_empty()) {
            // an ARN that names a version or alias already has 8 parts
            Some(q) if arn.split(':').count() == 7 => format!("{arn}:{q}"),
            _ => arn,
        }
    }

    /// `aws_lambda_permission` as the statement Lambda writes into the function's policy
    /// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_permission).
    fn lambda_permission(&mut self, r: &Res<'_>) {
        let v = r.values;
        let principal = text(v, "principal").unwrap_or_default();
        let key =
            if principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn") {
                "Service"
            } else {
                "AWS"
            };
        let resource = self.function_arn(r, text(v, "qualifier").as_deref());
        let mut stmt = serde_json::json!({
            "Effect": "Allow",
            "Principal": { key: principal },
            "Action": text(v, "action").unwrap_or_default(),
            "Resource": resource,
        });
        let mut cond = serde_json::Map::new();
        if let Some(arn) = text(v, "source_arn") {
            cond.insert(
                "ArnLike".into(),
                serde_json::json!({ "AWS:SourceArn": arn }),
            );
        }
        let mut eq = serde_json::Map::new();
        if let Some(a) = text(v, "source_account") {
            eq.insert("AWS:SourceAccount".into(), J::String(a));
        }
        if let Some(o) = text(v, "principal_org_id") {
            eq.insert("aws:PrincipalOrgID".into(), J::String(o));
        }
        if let Some(t) = text(v, "function_url_auth_type") {
            eq.insert("lambda:FunctionUrlAuthType".into(), J::String(t));
        }
        if !eq.is_empty() {
            cond.insert("StringEquals".into(), J::Object(eq));
        }
        if !cond.is_empty() {
            stmt["Condition"] = J::Object(cond);
        }
        let doc = serde_json::json!({ "Version": "2012-10-17", "Statement": [stmt] });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        self.doc(r, "permission", Some(&text), DocKind::Resource);
    }
}

#[cfg(test)]
mod tests;
