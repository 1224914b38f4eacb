//! Required-permission profiles: named, versioned, sourced sets of requirements loaded from
//! `policies/profiles/*.json` (embedded in the binary).
//!
//! A requirement is an action, a resource template, an optional request context (for example
//! `iam:PassedToService`), the reason and the AWS document it comes from. Role profiles also
//! carry a trust requirement (a service principal calling `sts:AssumeRole`). Templates use
//! `${name}` placeholders filled from parameters: `--param NAME=VALUE`, else the documented
//! default (which may itself refer to other parameters).

mod template;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Deserialize;

pub use template::{Template, TemplateError};

/// The embedded profile documents, as `(file name, text)`.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "ecs-bluegreen-codedeploy-user.json",
        include_str!("../../policies/profiles/ecs-bluegreen-codedeploy-user.json"),
    ),
    (
        "ecs-codedeploy-service-role.json",
        include_str!("../../policies/profiles/ecs-codedeploy-service-role.json"),
    ),
    (
        "ecs-codedeploy-service-role-limited.json",
        include_str!("../../policies/profiles/ecs-codedeploy-service-role-limited.json"),
    ),
    (
        "ecs-bluegreen-console-create-service.json",
        include_str!("../../policies/profiles/ecs-bluegreen-console-create-service.json"),
    ),
    (
        "ecs-bluegreen-console-update-service.json",
        include_str!("../../policies/profiles/ecs-bluegreen-console-update-service.json"),
    ),
    (
        "ecs-native-bluegreen-infrastructure-role.json",
        include_str!("../../policies/profiles/ecs-native-bluegreen-infrastructure-role.json"),
    ),
    (
        "ecs-native-bluegreen-hook-role.json",
        include_str!("../../policies/profiles/ecs-native-bluegreen-hook-role.json"),
    ),
    (
        "ecs-native-bluegreen-user.json",
        include_str!("../../policies/profiles/ecs-native-bluegreen-user.json"),
    ),
];

/// Parameters every profile has.
pub const BUILTIN_PARAMETERS: &[(&str, &str, &str)] = &[
    (
        "partition",
        "aws",
        "AWS partition of every ARN (`aws`, `aws-cn`, `aws-us-gov`)",
    ),
    (
        "account",
        "123456789012",
        "12-digit account ID (digits only); defaults to the principal's account when it is known, else to the AWS documentation's example account",
    ),
    (
        "region",
        "us-east-1",
        "AWS Region of the regional resources, such as `us-east-1`",
    ),
];

/// The pattern of a switch parameter (one that turns optional requirements on).
pub const SWITCH_PATTERN: &str = "^(true|false)$";

/// Who the profile describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    /// An IAM user or a role assumed by a person or a pipeline.
    User,
    /// A service role: permissions plus a trust policy.
    Role,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub key: String,
    pub title: String,
    pub url: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub default: String,
    pub description: String,
    /// A regular expression values must match (anchored by the author).
    #[serde(default)]
    pub pattern: Option<String>,
    /// In generated policies, this parameter is written as this text (`*`) instead of its
    /// value: for identifiers that change with every deployment.
    #[serde(default)]
    pub grant_as: Option<String>,
    /// `pattern`, compiled on first use.
    #[serde(skip)]
    compiled: OnceLock<Option<regex::Regex>>,
}

impl Parameter {
    fn regex(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| {
                self.pattern
                    .as_deref()
                    .and_then(|p| regex::Regex::new(p).ok())
            })
            .as_ref()
    }
}

/// One required permission.
#[derive(Clone, Debug)]
pub struct Requirement {
    /// `service:Action`; a wildcard stands for every catalog action it matches.
    pub action: String,
    pub resource: Template,
    /// Request context keys and their values (templates).
    pub context: BTreeMap<String, Vec<Template>>,
    pub reason: String,
    pub doc: String,
    /// The profile this requirement came from (differs from the profile's id for includes).
    pub from: String,
    /// A switch parameter (`true`/`false`, default `false`) that turns this optional
    /// requirement on, or `NAME=VALUE`: the requirement applies when the parameter has that
    /// value; `None` for a requirement that always applies.
    pub when: Option<String>,
    /// For a `*` requirement of a profile with `arnVariables`: the values of the variables of
    /// the catalog's ARN formats (`Partition`, `Region`, `Account`, `ClusterName`, ...). The
    /// checker then requests, for every action that has resource types, the ARN of its
    /// required resource type instead of `*`. Empty: the resource is used as written.
    pub arn_variables: BTreeMap<String, Template>,
}

/// The trust requirement of a role profile.
#[derive(Clone, Debug)]
pub struct TrustRequirement {
    /// Service principal, such as `codedeploy.amazonaws.com`.
    pub service: String,
    /// Other names of the same service that a trust policy may use instead, such as the
    /// regional principal `codedeploy.${region}.amazonaws.com`: the trust requirement is met
    /// when the policy lets any of them assume the role.
    pub alternates: Vec<Template>,
    pub action: String,
    pub context: BTreeMap<String, Vec<Template>>,
    /// Keys of `context` that the AWS documentation does not confirm the service sends: the
    /// trust policy is also evaluated without them, and a warning says when the decision
    /// depends on them.
    pub unconfirmed: Vec<String>,
    pub reason: String,
    pub doc: String,
}

/// A loaded, validated profile (includes already flattened).
#[derive(Clone, Debug)]
pub struct Profile {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub description: String,
    pub principal: PrincipalKind,
    /// Role name template (role profiles).
    pub role: Option<Template>,
    pub sources: Vec<SourceRef>,
    pub includes: Vec<String>,
    /// Built-in parameters first, then the profile's own, then those of included profiles.
    pub parameters: Vec<Parameter>,
    pub requirements: Vec<Requirement>,
    pub trust: Option<TrustRequirement>,
    pub notes: Vec<String>,
}

// ---- raw file format -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawProfile {
    id: String,
    version: u32,
    title: String,
    description: String,
    principal: PrincipalKind,
    #[serde(default)]
    role: Option<String>,
    sources: Vec<SourceRef>,
    #[serde(default)]
    includes: Vec<String>,
    parameters: Vec<Parameter>,
    requirements: Vec<RawRequirement>,
    #[serde(default)]
    trust: Option<RawTrust>,
    #[serde(default)]
    notes: Vec<String>,
    /// Values (templates) of the variables of the catalog's ARN formats, such as
    /// `{"ClusterName": "${cluster}"}`: the profile's `*` requirements are then requested on
    /// the ARN of each action's resource type.
    #[serde(default)]
    arn_variables: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
    reason: String,
    doc: String,
    #[serde(default)]
    when: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawTrust {
    principal: RawTrustPrincipal,
    action: String,
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    unconfirmed_context: Vec<String>,
    reason: String,
    doc: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrustPrincipal {
    service: String,
    #[serde(default)]
    alternates: Vec<String>,
}

// ---- errors ----------------------------------------------------------------------------------

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ProfileError {
    #[error("profile file `{file}` is invalid: {message}")]
    #[diagnostic(code(greenlight::profile_invalid))]
    Invalid { file: String, message: String },
    #[error("unknown profile `{id}`")]
    #[diagnostic(code(greenlight::unknown_profile), help("{help}"))]
    Unknown { id: String, help: String },
    #[error("invalid value `{value}` for parameter `{name}`: {message}")]
    #[diagnostic(code(greenlight::invalid_parameter))]
    InvalidValue {
        name: String,
        value: String,
        message: String,
    },
    #[error("parameter `{name}` cannot be resolved: {message}")]
    #[diagnostic(code(greenlight::invalid_parameter))]
    Unresolvable { name: String, message: String },
}

fn invalid(file: &str, message: impl Into<String>) -> ProfileError {
    ProfileError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

// ---- loading ---------------------------------------------------------------------------------

static ALL: OnceLock<Result<Vec<Profile>, String>> = OnceLock::new();

/// Every embedded profile, sorted by id. Loaded and validated once per process.
pub fn all() -> Result<&'static [Profile], ProfileError> {
    match ALL.get_or_init(|| load_all(EMBEDDED).map_err(|e| e.to_string())) {
        Ok(v) => Ok(v),
        Err(message) => Err(ProfileError::Invalid {
            file: "policies/profiles".into(),
            message: message.clone(),
        }),
    }
}

/// One cell per embedded file: a profile is loaded (with its includes) on first use, so a
/// command that needs one profile does not parse them all.
static ONE: [OnceLock<Result<Profile, String>>; EMBEDDED.len()] =
    [const { OnceLock::new() }; EMBEDDED.len()];

/// The ids of the embedded profiles (from their file names), sorted.
pub fn ids() -> Vec<&'static str> {
    let mut v: Vec<&str> = EMBEDDED
        .iter()
        .filter_map(|(f, _)| f.strip_suffix(".json"))
        .collect();
    v.sort_unstable();
    v
}

/// The embedded profile with this id.
pub fn get(id: &str) -> Result<&'static Profile, ProfileError> {
    if let Some(Ok(all)) = ALL.get() {
        if let Some(p) = all.iter().find(|p| p.id == id) {
            return Ok(p);
        }
    }
    let Some(i) = EMBEDDED
        .iter()
        .position(|(f, _)| f.strip_suffix(".json") == Some(id))
    else {
        return Err(ProfileError::Unknown {
            id: id.to_string(),
            help: format!("known profiles: {}", ids().join(", ")),
        });
    };
    match ONE[i].get_or_init(|| load_one(EMBEDDED, id).map_err(|e| e.to_string())) {
        Ok(p) => Ok(p),
        Err(message) => Err(ProfileError::Invalid {
            file: EMBEDDED[i].0.to_string(),
            message: message.clone(),
        }),
    }
}

/// Loads one profile and the profiles it includes (validated like [`load_all`]).
pub fn load_one(files: &[(&str, &str)], id: &str) -> Result<Profile, ProfileError> {
    let mut raw: BTreeMap<String, (String, RawProfile)> = BTreeMap::new();
    let mut todo = vec![id.to_string()];
    while let Some(next) = todo.pop() {
        if raw.contains_key(&next) {
            continue;
        }
        let want = format!("{next}.json");
        let Some((file, text)) = files
            .iter()
            .find(|(f, _)| *f == want || f.ends_with(&format!("/{want}")))
        else {
            return Err(invalid(&want, format!("unknown profile `{next}`")));
        };
        let p = parse_raw(file, text)?;
        todo.extend(p.includes.iter().cloned());
        raw.insert(p.id.clone(), (file.to_string(), p));
    }
    build(id, &raw)
}

fn parse_raw(file: &str, text: &str) -> Result<RawProfile, ProfileError> {
    let p: RawProfile = serde_json::from_str(text).map_err(|e| invalid(file, e.to_string()))?;
    let expected = format!("{}.json", p.id);
    if file != expected && !file.ends_with(&format!("/{expected}")) {
        return Err(invalid(
            file,
            format!("the id `{}` does not match the file name", p.id),
        ));
    }
    if p.id.is_empty()
        || !p
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid(file, format!("invalid id `{}`", p.id)));
    }
    Ok(p)
}

/// Loads and validates a set of profile documents (`(file name, text)`).
pub fn load_all(files: &[(&str, &str)]) -> Result<Vec<Profile>, ProfileError> {
    let mut raw: BTreeMap<String, (String, RawProfile)> = BTreeMap::new();
    for (file, text) in files {
        let p = parse_raw(file, text)?;
        if raw.contains_key(&p.id) {
            return Err(invalid(file, format!("duplicate profile id `{}`", p.id)));
        }
        raw.insert(p.id.clone(), (file.to_string(), p));
    }
    let mut out = Vec::new();
    for id in raw.keys() {
        out.push(build(id, &raw)?);
    }
    Ok(out)
}

fn build(id: &str, raw: &BTreeMap<String, (String, RawProfile)>) -> Result<Profile, ProfileError> {
    let (file, p) = &raw[id];
    // Flatten includes (depth-first, cycle-checked).
    let mut order: Vec<&str> = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    collect_includes(id, raw, &mut order, &mut stack, file)?;

    let mut parameters: Vec<Parameter> = BUILTIN_PARAMETERS
        .iter()
        .map(|(name, default, description)| Parameter {
            name: name.to_string(),
            default: default.to_string(),
            description: description.to_string(),
            pattern: None,
            grant_as: None,
            compiled: OnceLock::new(),
        })
        .collect();
    let mut requirements = Vec::new();
    let mut sources: Vec<SourceRef> = Vec::new();
    for pid in &order {
        let (pfile, rp) = &raw[*pid];
        for param in &rp.parameters {
            if let Some(existing) = parameters.iter().find(|q| q.name == param.name) {
                if existing.default != param.default {
                    return Err(invalid(
                        pfile,
                        format!(
                            "parameter `{}` is declared twice with different defaults",
                            param.name
                        ),
                    ));
                }
                continue;
            }
            if !valid_param_name(&param.name) {
                return Err(invalid(
                    pfile,
                    format!("invalid parameter name `{}`", param.name),
                ));
            }
            if let Some(pat) = &param.pattern {
                regex::Regex::new(pat)
                    .map_err(|e| invalid(pfile, format!("pattern of `{}`: {e}", param.name)))?;
            }
            parameters.push(param.clone());
        }
        let mut vars: BTreeMap<String, Template> = BTreeMap::new();
        if !rp.arn_variables.is_empty() {
            for (k, t) in [
                ("Partition", "${partition}"),
                ("Region", "${region}"),
                ("Account", "${account}"),
            ] {
                vars.insert(
                    k.to_string(),
                    Template::parse(t).map_err(|e| invalid(pfile, e.to_string()))?,
                );
            }
            for (k, v) in &rp.arn_variables {
                vars.insert(
                    k.clone(),
                    Template::parse(v).map_err(|e| invalid(pfile, e.to_string()))?,
                );
            }
        }
        for r in &rp.requirements {
            let mut req = requirement(pfile, pid, r)?;
            if r.resource == "*" {
                req.arn_variables = vars.clone();
            }
            requirements.push(req);
        }
        for s in &rp.sources {
            if !sources.iter().any(|t| t.url == s.url) {
                sources.push(s.clone());
            }
        }
    }
    if requirements.is_empty() {
        return Err(invalid(file, "a profile needs at least one requirement"));
    }
    let trust = match &p.trust {
        Some(t) => Some(TrustRequirement {
            service: t.principal.service.clone(),
            alternates: t
                .principal
                .alternates
                .iter()
                .map(|a| Template::parse(a).map_err(|e| invalid(file, e.to_string())))
                .collect::<Result<_, _>>()?,
            action: t.action.clone(),
            context: context(file, &t.context)?,
            unconfirmed: {
                for k in &t.unconfirmed_context {
                    if !t.context.contains_key(k) {
                        return Err(invalid(
                            file,
                            format!("unconfirmed context key `{k}` is not in the trust context"),
                        ));
                    }
                }
                t.unconfirmed_context.clone()
            },
            reason: t.reason.clone(),
            doc: check_url(file, &t.doc)?,
        }),
        None => None,
    };
    let role = p
        .role
        .as_deref()
        .map(|r| Template::parse(r).map_err(|e| invalid(file, e.to_string())))
        .transpose()?;
    match (p.principal, &role, &trust) {
        (PrincipalKind::Role, Some(_), Some(_)) | (PrincipalKind::User, None, None) => {}
        (PrincipalKind::Role, _, _) => {
            return Err(invalid(file, "a role profile needs `role` and `trust`"));
        }
        (PrincipalKind::User, _, _) => {
            return Err(invalid(file, "a user profile has no `role` or `trust`"));
        }
    }
    for s in &sources {
        check_url(file, &s.url)?;
    }
    let profile = Profile {
        id: p.id.clone(),
        version: p.version,
        title: p.title.clone(),
        description: p.description.clone(),
        principal: p.principal,
        role,
        sources,
        includes: p.includes.clone(),
        parameters,
        requirements,
        trust,
        notes: p.notes.clone(),
    };
    // Every placeholder must be declared, and the defaults must resolve.
    let declared: BTreeSet<&str> = profile.parameters.iter().map(|q| q.name.as_str()).collect();
    for t in profile.templates() {
        for name in t.placeholders() {
            if !declared.contains(name) {
                return Err(invalid(
                    file,
                    format!("`{}` uses undeclared parameter `{name}`", t.text()),
                ));
            }
        }
    }
    // A switch is a declared `true`/`false` parameter that is off by default; `NAME=VALUE`
    // turns a requirement on for one value of a declared parameter (a value its pattern
    // accepts).
    for r in &profile.requirements {
        if let Some((name, value)) = r.when.as_deref().and_then(|w| w.split_once('=')) {
            let ok = profile.parameter(name).is_some_and(|q| {
                q.pattern
                    .as_deref()
                    .is_none_or(|pat| regex::Regex::new(pat).is_ok_and(|re| re.is_match(value)))
            });
            if !ok {
                return Err(invalid(
                    file,
                    format!(
                        "`{}` applies when `{name}` is `{value}`: `{name}` must be a declared parameter whose pattern accepts `{value}`",
                        r.action
                    ),
                ));
            }
            continue;
        }
        if let Some(name) = &r.when {
            let ok = profile.parameter(name).is_some_and(|q| {
                q.default == "false" && q.pattern.as_deref() == Some(SWITCH_PATTERN)
            });
            if !ok {
                return Err(invalid(
                    file,
                    format!(
                        "`{}` is turned on by `{name}`, which must be a parameter with default `false` and pattern `{SWITCH_PATTERN}`",
                        r.action
                    ),
                ));
            }
        }
    }
    profile
        .resolve_values(&BTreeMap::new(), None)
        .map_err(|e| invalid(file, e.to_string()))?;
    Ok(profile)
}

fn collect_includes<'a>(
    id: &'a str,
    raw: &'a BTreeMap<String, (String, RawProfile)>,
    order: &mut Vec<&'a str>,
    stack: &mut Vec<&'a str>,
    file: &str,
) -> Result<(), ProfileError> {
    if stack.contains(&id) {
        return Err(invalid(file, format!("profile `{id}` includes itself")));
    }
    if order.contains(&id) {
        return Ok(());
    }
    let Some((key, (_, p))) = raw.get_key_value(id) else {
        return Err(invalid(file, format!("unknown included profile `{id}`")));
    };
    stack.push(key.as_str());
    order.push(key.as_str());
    for inc in &p.includes {
        collect_includes(inc, raw, order, stack, file)?;
    }
    stack.pop();
    Ok(())
}

fn valid_param_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_url(file: &str, url: &str) -> Result<String, ProfileError> {
    if url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(invalid(file, format!("`{url}` is not an https URL")))
    }
}

fn context(
    file: &str,
    raw: &BTreeMap<String, OneOrMany>,
) -> Result<BTreeMap<String, Vec<Template>>, ProfileError> {
    let mut out = BTreeMap::new();
    for (k, v) in raw {
        if !k.contains(':') {
            return Err(invalid(file, format!("context key `{k}` has no prefix")));
        }
        let vals = match v {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        };
        let vals = vals
            .iter()
            .map(|s| Template::parse(s).map_err(|e| invalid(file, e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(k.clone(), vals);
    }
    Ok(out)
}

fn requirement(file: &str, from: &str, r: &RawRequirement) -> Result<Requirement, ProfileError> {
    let Some((svc, name)) = r.action.split_once(':') else {
        return Err(invalid(
            file,
            format!("action `{}` is not `service:Action`", r.action),
        ));
    };
    let ok_svc = !svc.is_empty()
        && svc
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let ok_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'*');
    if !ok_svc || !ok_name {
        return Err(invalid(file, format!("invalid action `{}`", r.action)));
    }
    Ok(Requirement {
        action: r.action.clone(),
        resource: Template::parse(&r.resource).map_err(|e| invalid(file, e.to_string()))?,
        context: context(file, &r.context)?,
        reason: r.reason.clone(),
        doc: check_url(file, &r.doc)?,
        from: from.to_string(),
        when: r.when.clone(),
        arn_variables: BTreeMap::new(),
    })
}

// ---- parameters ------------------------------------------------------------------------------

/// Where a parameter's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamOrigin {
    /// `--param NAME=VALUE`.
    Given,
    /// The principal's own account.
    Principal,
    /// The profile's documented default.
    Default,
}

/// Every parameter of a profile with its value.
#[derive(Clone, Debug, Default)]
pub struct ResolvedParams {
    pub values: BTreeMap<String, (String, ParamOrigin)>,
    /// `grantAs` replacements (name → text) for generated policies.
    pub grant_as: BTreeMap<String, String>,
}

impl ResolvedParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|(v, _)| v.as_str())
    }

    /// Renders a template for a request (every parameter by value).
    pub fn render(&self, t: &Template) -> Result<String, TemplateError> {
        t.render(|name| self.get(name).map(str::to_string))
    }

    /// Renders a template for a generated policy (`grantAs` parameters replaced).
    pub fn render_grant(&self, t: &Template) -> Result<String, TemplateError> {
        t.render(|name| match self.grant_as.get(name) {
            Some(g) => Some(g.clone()),
            None => self.get(name).map(str::to_string),
        })
    }
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`: lower-case words joined by `-`, ending in a
/// number.
fn valid_region(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// `aws`, `aws-cn`, `aws-us-gov`, ...
fn valid_partition(v: &str) -> bool {
    v == "aws"
        || v.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        })
}

/// Characters a parameter value may contain: those of ARN segments and resource names, but no
/// wildcard, no policy variable and no white space (a value must name one concrete resource).
fn valid_value(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 512
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_/:-".contains(&b))
}

impl Profile {
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Every template of the profile.
    pub fn templates(&self) -> Vec<&Template> {
        let mut v: Vec<&Template> = Vec::new();
        if let Some(r) = &self.role {
            v.push(r);
        }
        for r in &self.requirements {
            v.push(&r.resource);
            v.extend(r.context.values().flatten());
            v.extend(r.arn_variables.values());
        }
        if let Some(t) = &self.trust {
            v.extend(t.context.values().flatten());
            v.extend(t.alternates.iter());
        }
        v
    }

    /// Whether an optional requirement is turned on: its switch parameter is `true`, or, for
    /// `NAME=VALUE`, the parameter has that value.
    pub fn enabled(&self, r: &Requirement, params: &ResolvedParams) -> bool {
        match r.when.as_deref() {
            None => true,
            Some(w) => match w.split_once('=') {
                Some((name, value)) => params.get(name) == Some(value),
                None => params.get(w) == Some("true"),
            },
        }
    }

    /// Values for every parameter: given ones (validated), else the principal's account for
    /// `account`, else the default (defaults may refer to other parameters). Given names the
    /// profile does not declare are ignored here (the CLI rejects names no profile declares).
    /// `given` with the role parameters (`codedeploy_role`, `task_role`, ...: a name ending in
    /// `role`), given by name or left to their default, bound to the account's own role of
    /// that name when the account data lists one under a path: `service-role/ecsCodeDeployRole` for
    /// `arn:aws:iam::ACCOUNT:role/service-role/ecsCodeDeployRole`. `iam:PassRole` is asked of
    /// the role's ARN, path included, and a policy naming `role/ecsCodeDeployRole` does not
    /// match it (red team 51). `role_arns`: the ARNs of the account's roles. A value the
    /// parameter's pattern refuses is left to the default.
    pub fn with_account_roles(
        &self,
        given: &BTreeMap<String, String>,
        role_arns: &[String],
    ) -> BTreeMap<String, String> {
        let mut out = given.clone();
        if role_arns.is_empty() {
            return out;
        }
        for p in &self.parameters {
            // the name given (without a path), else the default (red team 53: a name given
            // was not followed to its path)
            let wanted = given.get(&p.name).unwrap_or(&p.default);
            if !p.name.ends_with("role") || wanted.is_empty() || wanted.contains('/') {
                continue;
            }
            let found = role_arns.iter().find_map(|arn| {
                let (_, rest) = arn.split_once(":role/")?;
                let name = rest.rsplit('/').next().unwrap_or(rest);
                name.eq_ignore_ascii_case(wanted).then(|| rest.to_string())
            });
            let Some(value) = found else { continue };
            if &value == wanted {
                continue;
            }
            if p.regex().is_some_and(|r| !r.is_match(&value)) {
                continue;
            }
            out.insert(p.name.clone(), value);
        }
        out
    }

    pub fn resolve_params(
        &self,
        given: &BTreeMap<String, String>,
        principal_account: Option<&str>,
    ) -> Result<ResolvedParams, ProfileError> {
        let out = self.resolve_values(given, principal_account)?;
        self.validate(&out)?;
        Ok(out)
    }

    /// Values without validation (defaults resolved in dependency order).
    fn resolve_values(
        &self,
        given: &BTreeMap<String, String>,
        principal_account: Option<&str>,
    ) -> Result<ResolvedParams, ProfileError> {
        let mut out = ResolvedParams::default();
        for p in &self.parameters {
            if let Some(g) = &p.grant_as {
                out.grant_as.insert(p.name.clone(), g.clone());
            }
            if let Some(v) = given.get(&p.name) {
                out.values
                    .insert(p.name.clone(), (v.clone(), ParamOrigin::Given));
            } else if p.name == "account"
                && let Some(acct) = principal_account
            {
                out.values
                    .insert(p.name.clone(), (acct.to_string(), ParamOrigin::Principal));
            }
        }
        // Defaults, resolved in dependency order.
        let mut pending: Vec<&Parameter> = self
            .parameters
            .iter()
            .filter(|p| !out.values.contains_key(&p.name))
            .collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut still = Vec::new();
            for p in pending {
                let t = Template::parse(&p.default).map_err(|e| ProfileError::Unresolvable {
                    name: p.name.clone(),
                    message: e.to_string(),
                })?;
                match t.render(|n| out.get(n).map(str::to_string)) {
                    Ok(v) => {
                        out.values.insert(p.name.clone(), (v, ParamOrigin::Default));
                    }
                    Err(_) => still.push(p),
                }
            }
            if still.len() == before {
                let names: Vec<&str> = still.iter().map(|p| p.name.as_str()).collect();
                return Err(ProfileError::Unresolvable {
                    name: names.join("`, `"),
                    message: "its default refers to a parameter that cannot be resolved".into(),
                });
            }
            pending = still;
        }
        Ok(out)
    }

    /// Checks every value: resource-name characters only, and the parameter's pattern.
    fn validate(&self, out: &ResolvedParams) -> Result<(), ProfileError> {
        for p in &self.parameters {
            let Some((v, _)) = out.values.get(&p.name) else {
                continue;
            };
            if !valid_value(v) {
                return Err(ProfileError::InvalidValue {
                    name: p.name.clone(),
                    value: v.clone(),
                    message: "a value names one resource: letters, digits and `+=,.@_/:-` only (no wildcard, variable or white space)".into(),
                });
            }
            let builtin_ok = match p.name.as_str() {
                "account" => v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()),
                "region" => valid_region(v),
                "partition" => valid_partition(v),
                _ => true,
            };
            if !builtin_ok {
                return Err(ProfileError::InvalidValue {
                    name: p.name.clone(),
                    value: v.clone(),
                    message: format!("expected {}", p.description),
                });
            }
            if let Some(pat) = &p.pattern {
                let Some(re) = p.regex() else {
                    return Err(ProfileError::Unresolvable {
                        name: p.name.clone(),
                        message: format!("invalid pattern `{pat}`"),
                    });
                };
                if !re.is_match(v) {
                    return Err(ProfileError::InvalidValue {
                        name: p.name.clone(),
                        value: v.clone(),
                        message: format!("the value must match `{pat}` ({})", p.description),
                    });
                }
            }
        }
        Ok(())
    }

    /// The concrete requests of this profile for these parameter values.
    pub fn requests(
        &self,
        params: &ResolvedParams,
    ) -> Result<Vec<ConcreteRequirement>, TemplateError> {
        self.requirements
            .iter()
            .filter(|r| self.enabled(r, params))
            .map(|r| {
                let mut context = BTreeMap::new();
                for (k, vals) in &r.context {
                    let vs = vals
                        .iter()
                        .map(|t| params.render(t))
                        .collect::<Result<Vec<_>, _>>()?;
                    context.insert(k.clone(), vs);
                }
                let mut arn_variables = BTreeMap::new();
                for (k, t) in &r.arn_variables {
                    arn_variables.insert(k.clone(), (params.render(t)?, params.render_grant(t)?));
                }
                Ok(ConcreteRequirement {
                    action: r.action.clone(),
                    resource: params.render(&r.resource)?,
                    grant_resource: params.render_grant(&r.resource)?,
                    arn_variables,
                    context,
                    reason: r.reason.clone(),
                    doc: r.doc.clone(),
                    from: r.from.clone(),
                })
            })
            .collect()
    }

    /// The role's ARN (role profiles).
    pub fn role_arn(&self, params: &ResolvedParams) -> Result<Option<String>, TemplateError> {
        match &self.role {
            Some(t) => {
                let name = params.render(t)?;
                Ok(Some(format!(
                    "arn:{}:iam::{}:role/{}",
                    params.get("partition").unwrap_or("aws"),
                    params.get("account").unwrap_or_default(),
                    name
                )))
            }
            None => Ok(None),
        }
    }

    /// The trust request (role profiles).
    pub fn trust_request(
        &self,
        params: &ResolvedParams,
    ) -> Result<Option<ConcreteTrust>, TemplateError> {
        let (Some(t), Some(role)) = (&self.trust, self.role_arn(params)?) else {
            return Ok(None);
        };
        let mut context = BTreeMap::new();
        for (k, vals) in &t.context {
            let vs = vals
                .iter()
                .map(|v| params.render(v))
                .collect::<Result<Vec<_>, _>>()?;
            context.insert(k.clone(), vs);
        }
        let alternates = t
            .alternates
            .iter()
            .map(|a| params.render(a))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ConcreteTrust {
            service: t.service.clone(),
            alternates,
            action: t.action.clone(),
            role,
            context,
            unconfirmed: t.unconfirmed.clone(),
            reason: t.reason.clone(),
            doc: t.doc.clone(),
        }))
    }
}

/// A requirement with its parameters filled in: the exact request evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcreteRequirement {
    /// `service:Action`, possibly a wildcard that the checker expands through the catalog.
    pub action: String,
    /// The resource ARN of the request (or `*`).
    pub resource: String,
    /// The resource as a generated policy writes it (`grantAs` parameters replaced).
    pub grant_resource: String,
    /// ARN-format variable → (request value, grant value); see [`Requirement::arn_variables`].
    pub arn_variables: BTreeMap<String, (String, String)>,
    pub context: BTreeMap<String, Vec<String>>,
    pub reason: String,
    pub doc: String,
    pub from: String,
}

/// The trust request of a role profile: `service` calls `action` on the role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcreteTrust {
    pub service: String,
    /// Other names of the service (regional principals) that also meet the requirement.
    pub alternates: Vec<String>,
    pub action: String,
    pub role: String,
    pub context: BTreeMap<String, Vec<String>>,
    /// Keys of `context` the documentation does not confirm the service sends.
    pub unconfirmed: Vec<String>,
    pub reason: String,
    pub doc: String,
}

#[cfg(test)]
mod tests;
