//! `generate --format cloudformation|terraform`: the verified documents as infrastructure code.
//!
//! The policy documents are the ones [`super::generate_policy`] verified, written unchanged
//! (same actions, resources and conditions, values as generated) except that the profile's
//! example account, Region and partition become pseudo parameters ([`Pseudo`]); only the
//! wrapping differs:
//!
//! - a role profile (without `--missing-from`): the role (named by the profile's role
//!   parameter, its path split off) with the trust policy of [`super::generate_trust`] and the
//!   documents as inline policies — or, when together they exceed the 10,240-character quota of
//!   a role's inline policies, as managed policies attached to the role;
//! - a user profile, or any profile with `--missing-from` (a patch for an existing
//!   principal): one managed policy per document, attached to nothing.
//!
//! Names come from the profile id: `PascalCase` logical ids for CloudFormation (letters and
//! digits only), `snake_case` resource names for Terraform.

pub mod cloudformation;
pub mod terraform;

use super::{GenerateError, policy_size};
use crate::parse::json;
use crate::profiles::{Profile, ResolvedParams};

/// The aggregate size quota of a role's inline policies, white space not counted
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>).
pub const MAX_ROLE_INLINE_CHARS: usize = 10_240;

/// The role of a role profile.
#[derive(Clone, Debug)]
pub struct RoleSpec {
    /// The role name without its path.
    pub name: String,
    /// The path (`/service-role/`), `None` for the default `/`.
    pub path: Option<String>,
    /// The verified trust policy (JSON text).
    pub trust: String,
}

/// The profile's example account, Region and partition (the documented defaults, used when no
/// `--param` sets them): in a template they stand for wherever it is deployed, so they are
/// written as pseudo parameters (`${AWS::AccountId}`, `data.aws_caller_identity`) rather than
/// as the example values, and the template deploys unchanged in any account and Region (as
/// cfn-lint's rule I3042 asks of ARNs). A value given with `--param`, or taken from the
/// principal (`--missing-from`), stays literal.
#[derive(Clone, Debug, Default)]
pub struct Pseudo {
    pub account: Option<String>,
    pub region: Option<String>,
    pub partition: Option<String>,
}

/// A piece of a string written with pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    Account,
    Region,
    Partition,
}

impl Pseudo {
    fn of(params: &ResolvedParams) -> Pseudo {
        let default = |name: &str| match params.values.get(name) {
            Some((v, crate::profiles::ParamOrigin::Default)) if !v.is_empty() => Some(v.clone()),
            _ => None,
        };
        Pseudo {
            account: default("account"),
            region: default("region"),
            partition: default("partition"),
        }
    }

    /// The string as pieces when it holds an example value: the whole string (an account ID
    /// as `aws:SourceAccount` takes it, a Region) or an ARN's partition, Region or account
    /// field. `None` when it holds none.
    pub fn parts<'a>(&self, s: &'a str) -> Option<Vec<Part<'a>>> {
        let is = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
        if is(&self.account, s) {
            return Some(vec![Part::Account]);
        }
        if is(&self.region, s) {
            return Some(vec![Part::Region]);
        }
        if !s.starts_with("arn:") {
            return None;
        }
        let fields: Vec<&'a str> = s.splitn(6, ':').collect();
        if fields.len() < 6 {
            return None;
        }
        let mut out = Vec::new();
        let mut any = false;
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(Part::Text(":"));
            }
            let part = match i {
                1 if is(&self.partition, f) => Part::Partition,
                3 if is(&self.region, f) => Part::Region,
                4 if is(&self.account, f) => Part::Account,
                _ => Part::Text(f),
            };
            any |= !matches!(part, Part::Text(_));
            out.push(part);
        }
        any.then_some(out)
    }

    /// The largest size (IAM's count, whitespace excluded) a document written with these
    /// pseudo parameters can have once deployed: each Region as long as the longest Region
    /// name (14 characters, `ap-southeast-2`) and each partition as `aws-us-gov`.
    pub fn deployed_size(&self, doc: &str) -> usize {
        const LONGEST_REGION: usize = 14;
        const LONGEST_PARTITION: usize = 10;
        let mut extra = 0usize;
        fn walk(v: &json::Value, p: &Pseudo, extra: &mut usize) {
            match &v.kind {
                json::Kind::String(s) => {
                    for part in p.parts(s).unwrap_or_default() {
                        *extra += match part {
                            Part::Region => LONGEST_REGION.saturating_sub(p.value(part).len()),
                            Part::Partition => {
                                LONGEST_PARTITION.saturating_sub(p.value(part).len())
                            }
                            _ => 0,
                        };
                    }
                }
                json::Kind::Array(a) => a.iter().for_each(|x| walk(x, p, extra)),
                json::Kind::Object(m) => m.iter().for_each(|m| walk(&m.value, p, extra)),
                _ => {}
            }
        }
        if let Ok(tree) = json::parse(doc) {
            walk(&tree, self, &mut extra);
        }
        policy_size(doc) + extra
    }

    /// The example value a piece stands for.
    pub fn value<'a>(&'a self, p: Part<'a>) -> &'a str {
        match p {
            Part::Text(t) => t,
            Part::Account => self.account.as_deref().unwrap_or(""),
            Part::Region => self.region.as_deref().unwrap_or(""),
            Part::Partition => self.partition.as_deref().unwrap_or(""),
        }
    }
}

/// What a template holds.
#[derive(Clone, Debug)]
pub struct IacInput {
    pub profile_id: String,
    /// One line naming the profile, for the `Description` of the resources.
    pub description: String,
    /// `Some` for a role profile (without `--missing-from`).
    pub role: Option<RoleSpec>,
    /// The verified policy documents (JSON text), in order.
    pub documents: Vec<String>,
    /// The example values written as pseudo parameters.
    pub pseudo: Pseudo,
}

impl IacInput {
    /// Builds the input: the trust policy is generated (and verified) for a role profile unless
    /// `patch` (`--missing-from`) is set.
    pub fn new(
        profile: &Profile,
        params: &ResolvedParams,
        documents: Vec<String>,
        patch: bool,
    ) -> Result<Self, GenerateError> {
        let role = match (&profile.role, patch) {
            (Some(t), false) => {
                let full = params.render(t).map_err(|e| {
                    GenerateError::SelfCheck(format!("the role name cannot be built: {e}"))
                })?;
                let (path, name) = split_role_name(&full);
                Some(RoleSpec {
                    name,
                    path,
                    trust: super::generate_trust(profile, params)?,
                })
            }
            _ => None,
        };
        let mut description = format!(
            "greenlight generate --profile {} (v{}){}: {}",
            profile.id,
            profile.version,
            if patch { " --missing-from" } else { "" },
            profile.title
        );
        // IAM descriptions take at most 1,000 characters
        if description.chars().count() > 1000 {
            description = description.chars().take(1000).collect();
        }
        // Role and policy descriptions accept tab, newline and printable Latin-1 only
        description.retain(|c| matches!(c, ' '..='~' | '\u{a1}'..='\u{ff}'));
        Ok(IacInput {
            profile_id: profile.id.clone(),
            description,
            pseudo: {
                // The documents were split for the size quota with the example values; at
                // deploy time the Region and partition may be longer (`ap-southeast-2`,
                // `aws-us-gov`). When a document would then exceed the quota, the values are
                // written as they are (the template names the example account and Region, as
                // `--format json` does, and `generate` says so).
                let pseudo = Pseudo::of(params);
                let over = documents
                    .iter()
                    .any(|d| pseudo.deployed_size(d) > super::MAX_POLICY_CHARS);
                if over {
                    eprintln!(
                        "note: a document could exceed the {}-character policy quota in a Region or partition with a longer name, so the template writes the example account, Region and partition; set them with `--param account=|region=|partition=`",
                        super::MAX_POLICY_CHARS
                    );
                    Pseudo::default()
                } else {
                    pseudo
                }
            },
            role,
            documents,
        })
    }

    /// Whether the documents go inline into the role (role profiles whose documents fit the
    /// inline quota together).
    pub fn inline(&self) -> bool {
        self.role.is_some()
            && self
                .documents
                .iter()
                .map(|d| self.pseudo.deployed_size(d))
                .sum::<usize>()
                <= MAX_ROLE_INLINE_CHARS
    }

    /// The policy name of document `i` (from 0): the profile id, `-<n>` when there are several.
    pub fn policy_name(&self, i: usize) -> String {
        if self.documents.len() == 1 {
            self.profile_id.clone()
        } else {
            format!("{}-{}", self.profile_id, i + 1)
        }
    }

    /// The documents as ordered trees.
    pub(crate) fn trees(&self) -> Result<Vec<json::Value>, GenerateError> {
        self.documents.iter().map(|d| tree(d)).collect()
    }
}

pub(crate) fn tree(text: &str) -> Result<json::Value, GenerateError> {
    json::parse(text).map_err(|e| {
        GenerateError::SelfCheck(format!("a generated document does not parse: {}", e.kind))
    })
}

/// `service-role/ecsCodeDeployRole` → (`Some("/service-role/")`, `ecsCodeDeployRole`).
pub fn split_role_name(full: &str) -> (Option<String>, String) {
    let trimmed = full.trim_start_matches('/');
    match trimmed.rsplit_once('/') {
        Some((path, name)) if !path.is_empty() => (Some(format!("/{path}/")), name.to_string()),
        Some((_, name)) => (None, name.to_string()),
        None => (None, trimmed.to_string()),
    }
}

/// A CloudFormation logical id: letters and digits, starting with a letter
/// (`ecs-codedeploy-service-role` → `EcsCodedeployServiceRole`).
pub fn logical_id(profile_id: &str) -> String {
    let mut out: String = profile_id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'P');
    }
    out
}

/// A Terraform resource name: lower-case letters, digits and `_`, starting with a letter
/// (`ecs-codedeploy-service-role` → `ecs_codedeploy_service_role`).
pub fn resource_name(profile_id: &str) -> String {
    let mut out: String = profile_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "p_");
    }
    out
}

#[cfg(test)]
mod tests;
