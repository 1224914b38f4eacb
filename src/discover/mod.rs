//! Discovery: which files of a repository hold policies, and of what kind.
//!
//! [`walk`] lists the candidate files under a directory (with the `ignore` crate: `.gitignore`,
//! `.ignore`, hidden files); [`sniff`] tells the kind of one file from a bounded prefix of its
//! bytes, by its shape, so that 10,000 unrelated JSON and YAML files cost a read of at most
//! [`PREFIX`] bytes each and no parse.

pub mod json_shape;
pub mod paths;
pub mod walk;
pub mod yaml_shape;

use std::path::Path;

pub use walk::{WalkOptions, Walked, walk, walk_each};

/// How many bytes of a file the recogniser reads.
pub const PREFIX: usize = 64 * 1024;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// One IAM policy document (JSON).
    Policy,
    /// The output of `aws iam get-account-authorization-details`.
    AuthorizationDetails,
    /// A CloudFormation template (JSON or YAML), including `cdk synth` output.
    CloudFormation,
    /// A CloudFormation template with the `AWS::Serverless-2016-10-31` transform.
    Sam,
    /// `terraform show -json` of a plan.
    TerraformPlan,
    /// Terraform configuration (`.tf`, and `.tf.json` in the JSON syntax).
    TerraformHcl,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Policy => "policy",
            InputKind::AuthorizationDetails => "authorization details",
            InputKind::CloudFormation => "CloudFormation template",
            InputKind::Sam => "SAM template",
            InputKind::TerraformPlan => "Terraform plan",
            InputKind::TerraformHcl => "Terraform configuration",
        }
    }

    /// Templates and plans (read by the infrastructure-code readers).
    pub fn is_template(self) -> bool {
        !matches!(self, InputKind::Policy | InputKind::AuthorizationDetails)
    }
}

/// The recogniser's verdict on one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sniff {
    /// A file greenlight reads.
    Kind(InputKind),
    /// A file that holds no policy, and why (`JSON object with the keys name, version, ...`).
    Skip(String),
    /// Not a JSON object (empty, an array, a scalar, not JSON at all), and how: skipped in a
    /// walk, but a file named explicitly is parsed as a policy, whose parser says exactly
    /// what is wrong.
    Unparsable(String),
    /// The prefix was cut inside a document that may still be a template or a plan (only
    /// template sections seen so far): read the whole file and sniff again.
    NeedMore,
}

/// The file-name extensions a directory walk looks at (everything else is skipped unread).
pub fn candidate(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(candidate_name)
}

/// [`candidate`] by the file's name.
pub(crate) fn candidate_name(name: &str) -> bool {
    [".json", ".yaml", ".yml", ".template", ".tf"]
        .iter()
        .any(|e| ends_with_ignore_case(name, e))
}

/// `name.to_ascii_lowercase().ends_with(suffix)` for a lower-case ASCII `suffix`, without
/// the copy.
pub(crate) fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    let (b, e) = (name.as_bytes(), suffix.as_bytes());
    b.len() >= e.len() && b[b.len() - e.len()..].eq_ignore_ascii_case(e)
}

/// CloudFormation template sections (the top-level keys a template may have).
const CFN_SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Hooks",
];

/// Top-level keys of `terraform show -json` output.
const PLAN_KEYS: &[&str] = &[
    "format_version",
    "terraform_version",
    "variables",
    "planned_values",
    "resource_drift",
    "resource_changes",
    "output_changes",
    "prior_state",
    "configuration",
    "relevant_attributes",
    "checks",
    "timestamp",
    "applyable",
    "complete",
    "errored",
];

/// The valid policy-level elements of an IAM policy.
const POLICY_KEYS: &[&str] = &["Version", "Id", "Statement"];

/// Keys of greenlight's own configuration file.
const CONFIG_KEYS: &[&str] = &["select", "ignore", "severity", "per-path-ignores"];

/// Is `key` a policy element, or a likely misspelling of one (`Statment`, `statement`)? A
/// broken policy is still a policy: the linter reports what is wrong with it.
fn policy_like_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    ["statement", "version"]
        .iter()
        .any(|k| strsim::damerau_levenshtein(&lower, k) <= 2)
}

fn is_iam_version(v: &str) -> bool {
    v == "2012-10-17" || v == "2008-10-17"
}

fn list(keys: &[String]) -> String {
    let mut s: Vec<&str> = keys.iter().take(5).map(String::as_str).collect();
    if keys.len() > 5 {
        s.push("...");
    }
    s.join(", ")
}

/// Decodes a UTF-16 prefix (with its byte-order mark) for sniffing; `None` when the bytes are
/// not UTF-16 with a BOM.
fn utf16_prefix(bytes: &[u8]) -> Option<String> {
    let (le, rest) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Tells the kind of a file from its name and the first bytes of its content. `complete` says
/// that `bytes` is the whole file.
pub fn sniff(path: &Path, bytes: &[u8], complete: bool) -> Sniff {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Terraform configuration, native (`.tf`) or JSON syntax (`.tf.json`)
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        return Sniff::Kind(InputKind::TerraformHcl);
    }
    let decoded;
    let bytes = match utf16_prefix(bytes) {
        Some(s) => {
            decoded = s;
            decoded.as_bytes()
        }
        None => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
    };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    // `.json` is JSON; `.yaml`/`.yml` is YAML (which may be written in flow style, as JSON);
    // anything else (`.template`) is JSON when it starts like JSON
    if name.ends_with(".json") || (!yaml && matches!(first, Some(b'{' | b'[' | b'/'))) {
        return sniff_json(bytes, complete);
    }
    sniff_yaml(bytes, complete)
}

/// [`sniff`] for a whole file whose text parsed strictly as `tree` (no second pass over the
/// text: see [`json_shape::from_tree`]). `None` when `sniff` would not read it as JSON by its
/// name, or the tree cannot tell the shape: then sniff the bytes.
pub fn sniff_parsed(path: &Path, tree: &crate::parse::json::Value) -> Option<Sniff> {
    let name = paths::file_name_str(path)?;
    // (`.tf.json` is Terraform; YAML names go to the YAML reader; in any case)
    if [".tf", ".tf.json", ".yaml", ".yml"]
        .iter()
        .any(|e| ends_with_ignore_case(name, e))
    {
        return None;
    }
    // the root is an object: the text starts with `{` after white space, which `sniff` reads
    // as JSON whatever the name
    let shape = json_shape::from_tree(tree)?;
    // `aws iam get-role` and the resource policies as text ([`crate::parse::cli_wrapped`]),
    // known from the tree
    let cli_keys = shape.keys.len() == 1 && shape.has("Role") || cli_text_shape(&shape).is_some();
    if cli_keys {
        return Some(match crate::parse::cli_wrapped(tree) {
            Some(_) => Sniff::Kind(InputKind::Policy),
            None => Sniff::Skip(format!(
                "a JSON object without a policy or template shape (keys: {})",
                list(&shape.keys)
            )),
        });
    }
    Some(json_verdict(&shape, &[], true))
}

fn sniff_json(bytes: &[u8], complete: bool) -> Sniff {
    json_verdict(&json_shape::scan(bytes), bytes, complete)
}

/// The verdict on a JSON shape (`bytes`: the text scanned, read again only when it is not
/// JSON even read tolerantly).
fn json_verdict(shape: &json_shape::JsonShape, bytes: &[u8], complete: bool) -> Sniff {
    if shape.malformed || (shape.truncated && complete) {
        // Not JSON even read tolerantly. A broken policy or template is still one: look for
        // their marks in the text, else it is some other file.
        let text = String::from_utf8_lossy(bytes);
        if text.contains("\"Statement\"") || text.contains("\"Effect\"") {
            return Sniff::Kind(InputKind::Policy);
        }
        if text.contains("\"Resources\"") && text.contains("\"AWS::") {
            return Sniff::Kind(InputKind::CloudFormation);
        }
        return Sniff::Unparsable("not JSON, and no policy or template in it".into());
    }
    if !shape.object {
        if shape.truncated {
            return Sniff::Unparsable("empty".into());
        }
        return Sniff::Unparsable("a JSON document that is not an object".into());
    }
    if shape.has("greenlight-baseline") {
        return Sniff::Skip("a greenlight baseline file".into());
    }
    if !shape.keys.is_empty()
        && !shape.truncated
        && shape.keys.iter().all(|k| CONFIG_KEYS.contains(&k.as_str()))
    {
        return Sniff::Skip("a greenlight configuration file".into());
    }
    if ["UserDetailList", "GroupDetailList", "RoleDetailList"]
        .iter()
        .any(|k| shape.has(k))
        || (shape.is_array("Policies") && !shape.has("Statement"))
    {
        return Sniff::Kind(InputKind::AuthorizationDetails);
    }
    if shape.has("format_version") && (shape.has("planned_values") || shape.has("resource_changes"))
    {
        return Sniff::Kind(InputKind::TerraformPlan);
    }
    if let Some(k) = template(&shape.keys, shape.sam_transform, &shape.resource_types) {
        return Sniff::Kind(k);
    }
    if complete
        && !bytes.is_empty()
        && shape.has("Resources")
        && let Some(k) = parsed_template(bytes)
    {
        return Sniff::Kind(k);
    }
    // what the AWS CLI prints for one policy ([`crate::parse::cli_wrapped`])
    let cli = |k: &str| {
        matches!(
            k,
            "PolicyDocument" | "PolicyName" | "RoleName" | "UserName" | "GroupName"
        )
    };
    if (shape.has("PolicyDocument") && shape.has("PolicyName") && shape.keys.iter().all(|k| cli(k)))
        || (shape.keys.len() == 1 && shape.has("PolicyVersion"))
        // `aws iam get-role` (the text scanned holds its trust policy)
        || (shape.keys.len() == 1
            && shape.has("Role")
            && String::from_utf8_lossy(bytes).contains("\"AssumeRolePolicyDocument\""))
        // the resource policies the AWS CLI prints as JSON text (`s3api get-bucket-policy`,
        // `lambda get-policy`, `kms get-key-policy`, EFS, ECR, Secrets Manager, EventBridge,
        // SQS and SNS attributes, Glacier, Backup, Glue, a permission set's inline policy; an
        // object, or a string without a statement, is another file: red team 41)
        || cli_text_shape(shape)
            .is_some_and(|key| bytes.is_empty() || policy_text_value_of(bytes, key))
    {
        return Sniff::Kind(InputKind::Policy);
    }
    if shape.has("Statement")
        || shape.version.as_deref().is_some_and(is_iam_version)
        || (!shape.keys.is_empty()
            && shape
                .keys
                .iter()
                .all(|k| policy_like_key(k) || POLICY_KEYS.contains(&k.as_str())))
    {
        return Sniff::Kind(InputKind::Policy);
    }
    if shape.truncated {
        let sections = |set: &[&str]| shape.keys.iter().all(|k| set.contains(&k.as_str()));
        if !shape.keys.is_empty() && (sections(CFN_SECTIONS) || sections(PLAN_KEYS)) {
            return Sniff::NeedMore;
        }
    }
    if shape.keys.is_empty() {
        return Sniff::Skip("an empty JSON object".into());
    }
    Sniff::Skip(format!(
        "a JSON object without a policy or template shape (keys: {})",
        list(&shape.keys)
    ))
}

/// The member of an AWS CLI output shape ([`crate::parse::CLI_TEXT_POLICIES`],
/// [`crate::parse::CLI_NESTED_POLICIES`]) that holds its policy text, if the top-level keys
/// are one of those shapes.
fn cli_text_shape(shape: &json_shape::JsonShape) -> Option<&'static str> {
    for (key, others, _) in crate::parse::CLI_TEXT_POLICIES {
        if shape.has(key)
            && shape
                .keys
                .iter()
                .all(|k| k == key || others.contains(&k.as_str()))
        {
            return Some(key);
        }
    }
    if let [k] = shape.keys.as_slice() {
        // (the member that holds the text: the last of the path; `policy` has two)
        let inner: Vec<&'static str> = crate::parse::CLI_NESTED_POLICIES
            .iter()
            .filter(|(outer, _)| outer == k)
            .filter_map(|(_, path)| path.last().copied())
            .collect();
        return match inner.as_slice() {
            [] => None,
            [one] => Some(one),
            // both `Policy` and `document`: the one the text holds is checked
            _ => Some(NESTED_ANY),
        };
    }
    None
}

/// [`cli_text_shape`]'s answer when several inner members may hold the text.
const NESTED_ANY: &str = "\u{0}";

/// Whether the text's member `key` is a string that holds a statement (the JSON text, or
/// URL-encoded, of a policy), judged on the text scanned.
fn policy_text_value_of(bytes: &[u8], key: &str) -> bool {
    if key == NESTED_ANY {
        return crate::parse::CLI_NESTED_POLICIES
            .iter()
            .filter_map(|(_, path)| path.last())
            .any(|k| policy_text_value_of(bytes, k));
    }
    let text = String::from_utf8_lossy(bytes);
    let quoted = format!("\"{key}\"");
    // (any occurrence: OpenSearch's domain configuration has an `Options` per section)
    text.match_indices(&quoted).any(|(at, _)| {
        let rest = text[at + quoted.len()..].trim_start();
        rest.strip_prefix(':')
            .is_some_and(|r| r.trim_start().starts_with('"') && r.contains("Statement"))
    })
}

/// A CloudFormation or SAM template: a `AWSTemplateFormatVersion`, the SAM transform, or
/// `Resources` entries with an `AWS::`/`Custom::`/`Alexa::` type.
fn template(keys: &[String], sam_transform: bool, types: &[String]) -> Option<InputKind> {
    let has = |k: &str| keys.iter().any(|x| x == k);
    let typed = types
        .iter()
        .any(|t| t.starts_with("AWS::") || t.starts_with("Custom::") || t.starts_with("Alexa::"));
    let sam = sam_transform || types.iter().any(|t| t.starts_with("AWS::Serverless::"));
    if sam && (has("Resources") || has("Transform")) {
        return Some(InputKind::Sam);
    }
    if has("AWSTemplateFormatVersion") || (has("Resources") && typed) {
        return Some(InputKind::CloudFormation);
    }
    None
}

/// The kind of a whole file whose line-by-line shape has a top-level `Resources` but no
/// resource type the cheap scan recognised: parsed for real, a template when an entry of
/// `Resources` has a `Type` the parser reads as `AWS::`, `Custom::` or `Alexa::` (forms the
/// scan misses: `Type:` with its value on the next line, a folded scalar `Type: >-`, a tag
/// `!!str`, JSON escapes `AWS\u003a\u003a...`; red team 72: such a template changed was read
/// as "no policy" by `diff --base`). Only files with that key are parsed, so a walk over
/// unrelated files stays a prefix read each.
fn parsed_template(bytes: &[u8]) -> Option<InputKind> {
    let text = std::str::from_utf8(bytes).ok()?;
    let root = crate::iac::read_tree(&crate::source::Source::new("", text)).ok()?;
    let resources = root.get("Resources")?.as_object()?;
    let types: Vec<String> = resources
        .iter()
        .filter_map(|r| r.value.get("Type")?.as_str().map(str::to_string))
        .collect();
    let sam_transform = match root.get("Transform") {
        Some(t) => match t.as_str() {
            Some(s) => s == "AWS::Serverless-2016-10-31",
            None => match &t.kind {
                crate::parse::json::Kind::Array(l) => l
                    .iter()
                    .any(|x| x.as_str() == Some("AWS::Serverless-2016-10-31")),
                _ => false,
            },
        },
        None => false,
    };
    template(&["Resources".to_string()], sam_transform, &types)
}

fn sniff_yaml(bytes: &[u8], complete: bool) -> Sniff {
    // the prefix may end inside a UTF-8 sequence
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => match std::str::from_utf8(&bytes[..e.valid_up_to()]) {
            Ok(t) if e.error_len().is_none() => t,
            _ => return Sniff::Skip("not UTF-8 text".into()),
        },
    };
    let shape = yaml_shape::scan(text);
    if shape.flow {
        return sniff_json(bytes, complete);
    }
    if let Some(k) = template(&shape.keys, shape.sam_transform, &shape.resource_types) {
        return Sniff::Kind(k);
    }
    if complete
        && shape.has("Resources")
        && let Some(k) = parsed_template(bytes)
    {
        return Sniff::Kind(k);
    }
    if !complete
        && !shape.keys.is_empty()
        && shape
            .keys
            .iter()
            .all(|k| CFN_SECTIONS.contains(&k.as_str()))
    {
        return Sniff::NeedMore;
    }
    if shape.keys.is_empty() {
        return Sniff::Skip("YAML without top-level keys".into());
    }
    // (a template whose resources are none, or none of an AWS type: no policy in it)
    if shape
        .keys
        .iter()
        .all(|k| CFN_SECTIONS.contains(&k.as_str()))
    {
        return Sniff::Skip(format!(
            "a YAML template without `AWSTemplateFormatVersion` and without a resource of an `AWS::`, `Custom::` or `Alexa::` type (keys: {})",
            list(&shape.keys)
        ));
    }
    Sniff::Skip(format!(
        "YAML without a template shape (keys: {})",
        list(&shape.keys)
    ))
}

#[cfg(test)]
mod tests;
