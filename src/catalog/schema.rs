//! serde structs for AWS's service-reference JSON: one document per service, as served by
//! `https://servicereference.us-east-1.amazonaws.com/`, and the bundle that ships with
//! greenlight (format `aws-service-reference-bundle/1`, every service in one file plus the
//! extension fields described in `data/README.md`).
//!
//! Every field is optional because AWS leaves empty lists out. This file is also compiled by
//! `build.rs`, so it may only use `std` and `serde`.

use serde::{Deserialize, Serialize};

/// The shipped bundle: all services plus global condition keys and the RCP list.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Bundle {
    #[serde(rename = "Format", default)]
    pub format: Option<String>,
    #[serde(rename = "Source", default)]
    pub source: Option<BundleSource>,
    #[serde(rename = "GlobalConditionKeys", default)]
    pub global_condition_keys: Vec<GlobalKeyDoc>,
    #[serde(rename = "RcpSupportedServices", default)]
    pub rcp_supported_services: Vec<String>,
    #[serde(rename = "Services", default)]
    pub services: Vec<ServiceDoc>,
}

/// Where a bundle's data came from.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BundleSource {
    #[serde(rename = "Package", default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(
        rename = "PackageVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub package_version: Option<String>,
    #[serde(
        rename = "DataUpdatedAt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub data_updated_at: Option<String>,
    #[serde(rename = "License", default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// Set by `greenlight catalog update`: the index URL the data was fetched from.
    #[serde(
        rename = "FetchedFrom",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub fetched_from: Option<String>,
    /// Set by `greenlight catalog update`: which fields were kept from the embedded data.
    #[serde(rename = "Note", default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A global condition key (`aws:...`), an extension of the bundle.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GlobalKeyDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Types", default)]
    pub types: Vec<String>,
    #[serde(rename = "Category", default)]
    pub category: Option<String>,
}

/// One service, exactly AWS's per-service document (unknown fields are ignored).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ServiceDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Actions", default)]
    pub actions: Vec<ActionDoc>,
    #[serde(rename = "Resources", default)]
    pub resources: Vec<ResourceDoc>,
    #[serde(rename = "ConditionKeys", default)]
    pub condition_keys: Vec<KeyDoc>,
    #[serde(
        rename = "DisplayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(rename = "Version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One action of a service.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ActionDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ActionConditionKeys", default)]
    pub action_condition_keys: Vec<String>,
    #[serde(rename = "Annotations", default)]
    pub annotations: Option<Annotations>,
    #[serde(rename = "Resources", default)]
    pub resources: Vec<ActionResourceDoc>,
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
}

/// `Annotations` of an action.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Annotations {
    #[serde(rename = "Properties", default)]
    pub properties: Option<Properties>,
}

/// The four access-level flags of an action.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
pub struct Properties {
    #[serde(rename = "IsList", default)]
    pub is_list: bool,
    #[serde(rename = "IsPermissionManagement", default)]
    pub is_permission_management: bool,
    #[serde(rename = "IsTaggingOnly", default)]
    pub is_tagging_only: bool,
    #[serde(rename = "IsWrite", default)]
    pub is_write: bool,
}

/// A resource type that an action accepts.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ActionResourceDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ConditionKeys", default)]
    pub condition_keys: Vec<String>,
    #[serde(rename = "Required", default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// A resource type of a service.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ResourceDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ARNFormats", default)]
    pub arn_formats: Vec<String>,
    #[serde(rename = "ConditionKeys", default)]
    pub condition_keys: Vec<String>,
}

/// A condition key of a service.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct KeyDoc {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Types", default)]
    pub types: Vec<String>,
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
}

/// An entry of the service list at the index URL.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct IndexEntry {
    pub service: String,
    pub url: String,
}
