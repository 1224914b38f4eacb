//! Inputs of `greenlight lint`: paths, directories (walked), globs (expanded), `-` (stdin),
//! and authorization-details files (each embedded document becomes its own input).

use std::path::{Path, PathBuf};

use super::{Finding, PolicyType, rules};
use crate::discover::{WalkOptions, Walked};
use crate::iac::cfn::Inputs;
use crate::model::Policy;
use crate::parse::{self, json};
use crate::source::{Source, Span};

/// One thing the user asked to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file the user named: it must hold a policy (or a template, plan or
    /// authorization-details file), else the run fails.
    File(PathBuf),
    /// A file found by a directory walk or a glob: sniffed, and skipped (counted in the
    /// summary) when it holds no policy.
    Found(PathBuf),
    /// A file a walk left out unread, and why (not a JSON, YAML or Terraform file; greenlight's
    /// own configuration or baseline file).
    Skipped {
        path: PathBuf,
        why: String,
    },
    Stdin,
    /// An argument that names nothing readable (reported, never skipped).
    Missing {
        arg: String,
        why: String,
    },
}

/// Expands arguments into inputs with the default walk (see [`expand_with`]).
pub fn expand(args: &[String]) -> Vec<Input> {
    expand_with(args, &WalkOptions::default())
}

/// Expands arguments into inputs: directories are walked ([`crate::discover::walk`]: sorted,
/// `.gitignore` and hidden files respected, only JSON, YAML, `.template` and `.tf` files
/// sniffed), globs are expanded (their files are sniffed like a walk's), `-` is stdin. An
/// argument that matches nothing is kept as `Missing`.
pub fn expand_with(args: &[String], walk_opts: &WalkOptions) -> Vec<Input> {
    let mut out: Vec<Option<Input>> = Vec::new();
    expand_each(args, walk_opts, &mut |k, i| {
        if out.len() <= k {
            out.resize(k + 1, None);
        }
        out[k] = Some(i);
    });
    out.into_iter().flatten().collect()
}

/// [`expand_with`], each input handed to `sink` with its index in [`expand_with`]'s list as
/// soon as it is known, so that linting can start while a directory is still being walked.
/// Terraform configuration files come last (each still with its own index): whether one is
/// linted on its own depends on every other folder of the inputs ([`skip_called_modules`]).
pub fn expand_each(args: &[String], walk_opts: &WalkOptions, sink: &mut dyn FnMut(usize, Input)) {
    let mut next = 0usize;
    // the Terraform configuration files, held back until every input is known
    let mut held: Vec<(usize, Input)> = Vec::new();
    let mut emit = |i: Input| {
        let k = next;
        next += 1;
        if is_tf_input(&i) {
            held.push((k, i));
        } else {
            sink(k, i);
        }
    };
    for arg in args {
        if arg == "-" {
            emit(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        // a CDK cloud assembly (`cdk.out`, or its `manifest.json`): the templates it lists
        let assembly = if path.is_dir() {
            crate::iac::cdk_templates(path)
        } else if path.file_name().is_some_and(|n| n == "manifest.json") {
            path.parent().and_then(crate::iac::cdk_templates)
        } else {
            None
        };
        if let Some(templates) = assembly {
            if templates.is_empty() {
                emit(Input::Missing {
                    arg: arg.clone(),
                    why: "the CDK cloud assembly lists no stack template".into(),
                });
            }
            for t in templates {
                emit(Input::File(t));
            }
            continue;
        }
        if path.is_dir() {
            let mut found = false;
            walk(path, walk_opts, &mut |i| {
                found |= !matches!(i, Input::Skipped { .. });
                emit(i);
            });
            if !found {
                emit(Input::Missing {
                    arg: arg.clone(),
                    why: "the directory contains no JSON, YAML, `.template` or `.tf` file".into(),
                });
            }
        } else if path.exists() {
            emit(Input::File(path.to_path_buf()));
        } else if arg.contains(['*', '?', '[']) {
            match glob::glob(arg) {
                Ok(paths) => {
                    let mut files: Vec<Input> = Vec::new();
                    for p in paths {
                        match p {
                            Ok(p) if p.is_dir() => walk(&p, walk_opts, &mut |i| files.push(i)),
                            Ok(p) => files.push(Input::Found(p)),
                            Err(e) => files.push(Input::Missing {
                                arg: e.path().display().to_string(),
                                why: format!("cannot read it: {}", e.error()),
                            }),
                        }
                    }
                    files.sort();
                    files.dedup();
                    if files.is_empty() {
                        emit(Input::Missing {
                            arg: arg.clone(),
                            why: "the pattern matches no file".into(),
                        });
                    }
                    for f in files {
                        emit(f);
                    }
                }
                Err(e) => emit(Input::Missing {
                    arg: arg.clone(),
                    why: format!("invalid glob pattern: {}", e.msg),
                }),
            }
        } else {
            emit(Input::Missing {
                arg: arg.clone(),
                why: "no such file or directory".into(),
            });
        }
    }
    // (only Terraform configuration files are held: the others were handed on already)
    let (indices, mut inputs): (Vec<usize>, Vec<Input>) = held.into_iter().unzip();
    skip_called_modules(&mut inputs);
    for (k, i) in indices.into_iter().zip(inputs) {
        sink(k, i);
    }
}

/// A file or found file whose name is a Terraform configuration file's ([`skip_called_modules`]).
fn is_tf_input(i: &Input) -> bool {
    matches!(i, Input::File(p) | Input::Found(p) if is_tf_path(p))
}

fn is_tf_path(p: &Path) -> bool {
    crate::discover::paths::file_name_str(p).is_some_and(crate::iac::terraform::hcl::is_config_name)
}

/// A Terraform folder found by a walk or a glob that another Terraform folder of the inputs
/// calls as a child module (a local `source`) is linted through its caller, with the inputs
/// the caller gives it, not again on its own: each finding once, with the caller's values
/// instead of placeholders (as `scan --template DIR` reads such folders). A folder named
/// explicitly is linted on its own too.
fn skip_called_modules(inputs: &mut [Input]) {
    let tf: Vec<&Path> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) | Input::Found(p) if is_tf_path(p) => Some(p.as_path()),
            _ => None,
        })
        .collect();
    if tf.is_empty() {
        return;
    }
    let called = crate::iac::terraform::hcl::modules::called_folders(&tf);
    if called.is_empty() {
        return;
    }
    for i in inputs.iter_mut() {
        let Input::Found(p) = i else { continue };
        if !is_tf_path(p) {
            continue;
        }
        let d = p
            .parent()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        let folder =
            crate::iac::terraform::hcl::modules::normalize(if d.is_empty() { "." } else { &d });
        if let Some(caller) = called.get(&folder) {
            *i = Input::Skipped {
                path: p.clone(),
                why: format!(
                    "a Terraform child module, linted through `{caller}`, which calls it (with its inputs)"
                ),
            };
        }
    }
}

/// Hands the files under `dir` to `sink`, in path order, as the walk finds them. A directory
/// or entry that cannot be read is reported as a `Missing` input, never skipped.
fn walk(dir: &Path, opts: &WalkOptions, sink: &mut dyn FnMut(Input)) {
    crate::discover::walk_each(dir, opts, &mut |w| {
        sink(match w {
            Walked::Candidate(p) => Input::Found(p),
            Walked::Skipped(path, why) => Input::Skipped { path, why },
            Walked::Error(arg, e) => Input::Missing {
                arg,
                why: format!("cannot read the directory: {e}"),
            },
        });
    });
}

/// One policy document ready for the rules (or the finding that says why it is not).
#[derive(Debug)]
pub struct Document {
    pub source: Source,
    /// The type implied by where the document came from (a role's trust policy, say).
    pub implied_type: Option<PolicyType>,
    pub policy: Result<Policy, Finding>,
}

/// The documents of one input, and the principals (for cross-policy rules) it defines.
#[derive(Debug, Default)]
pub struct Loaded {
    pub name: String,
    pub documents: Vec<Document>,
    /// Principal name → indexes into `documents` of its permission policies.
    pub principals: Vec<(String, Vec<usize>)>,
    /// AWS managed policies the principals attach that are not among `documents` (read from
    /// the shipped corpus for the cross-policy rules).
    pub managed: Vec<super::managed::Attachment>,
    /// What the reader had to assume (template placeholders, undecidable conditions).
    pub notes: Vec<String>,
    /// The input holds no policy and was skipped, and why (it has no documents).
    pub skipped: Option<String>,
    /// Files a Terraform module read with `file()`/`templatefile()` whose text became one of
    /// `documents` (as the module names them): a walk does not lint them again on their own.
    pub read: Vec<String>,
    /// Policies a principal (index into `principals`) may hold through a name not known
    /// offline, their `Allow` statements only: counted by the cross-policy rules alone (what it
    /// may be allowed; a `Deny` that may not apply protects nothing), never linted on their
    /// own (they are documents of `documents` or AWS managed policies already).
    pub extra: Vec<(usize, crate::model::Policy)>,
}

/// Reads and parses one input.
pub fn load(input: &Input) -> Loaded {
    load_with(input, &Inputs::default())
}

/// Reads and parses one input; templates read with these parameter values.
pub fn load_with(input: &Input, tpl: &Inputs) -> Loaded {
    match input {
        Input::Missing { arg, why } => failed(arg, &rules::unreadable_input::RULE, why),
        Input::Skipped { path, why } => Loaded::skipped(&path.display().to_string(), why),
        Input::Stdin => {
            let mut bytes = Vec::new();
            match std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
                Ok(_) => load_bytes_with("<stdin>", bytes, tpl),
                Err(e) => failed("<stdin>", &rules::unreadable_input::RULE, &e.to_string()),
            }
        }
        Input::File(p) => super::discovery::load_path(p, true, tpl),
        Input::Found(p) => super::discovery::load_path(p, false, tpl),
    }
}

pub(super) fn failed(name: &str, rule: &'static super::Rule, why: &str) -> Loaded {
    let source = Source::new(name, "");
    let f = Finding::new(
        rule,
        source.clone(),
        Span::default(),
        format!("cannot read `{name}`: {why}"),
    )
    .help("check the path; greenlight never skips an input it cannot read");
    Loaded {
        name: name.to_string(),
        documents: vec![Document {
            source,
            implied_type: None,
            policy: Err(f),
        }],
        principals: Vec::new(),
        managed: Vec::new(),
        notes: Vec::new(),
        skipped: None,
        read: Vec::new(),
        extra: Vec::new(),
    }
}

/// Parses bytes that are one policy or an authorization-details file.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Loaded {
    load_bytes_with(name, bytes, &Inputs::default())
}

/// Like [`load_bytes`]; a YAML file (by its extension) is read as a CloudFormation template.
pub fn load_bytes_with(name: &str, bytes: Vec<u8>, tpl: &Inputs) -> Loaded {
    // PowerShell redirects write UTF-16 with a byte-order mark: read plans and templates so
    if (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
        && let Ok(source) = crate::iac::decode(name, bytes.clone())
        && let Ok(tree) = crate::iac::read_tree(&source)
    {
        if crate::iac::terraform::is_plan(&tree) {
            return match crate::iac::terraform::load(&source) {
                Ok(t) => super::template::from_template(&t),
                Err(e) => super::template::failed(&e),
            };
        }
        if crate::iac::cfn::is_template(&tree) {
            return super::template::load_tree(&source, &tree, tpl);
        }
    }
    if crate::iac::is_yaml_name(name) {
        return match crate::iac::decode(name, bytes) {
            Ok(source) => match crate::iac::read_tree(&source) {
                Ok(tree) if crate::iac::cfn::is_template(&tree) => {
                    super::template::load_tree(&source, &tree, tpl)
                }
                Ok(_) => {
                    let e = crate::parse::ParseError::new(
                        &source,
                        "not-a-policy",
                        Span::new(0, 0),
                        "the YAML file is not a CloudFormation template (no `Resources` with typed resources)",
                    );
                    super::template::failed(&e)
                }
                Err(e) => super::template::failed(&e),
            },
            Err(e) => super::template::failed(&e),
        };
    }
    // the parse that indexes the lines is the one the document is read with
    let mut parsed = None;
    let indexed = Source::from_bytes_indexed(name, bytes, |text| {
        let (v, starts) = json::parse_with_line_starts(text);
        parsed = Some(v);
        starts
    });
    let source = match indexed {
        Ok(s) => s,
        Err(e) => {
            let msg = match &e {
                crate::source::EncodingError::Utf16 { .. } => {
                    "the file is UTF-16, not UTF-8".to_string()
                }
                crate::source::EncodingError::InvalidUtf8 { offset, .. } => {
                    format!("the file is not UTF-8: invalid byte at offset {offset}")
                }
            };
            return failed(name, &rules::invalid_encoding::RULE, &msg).with_message(msg);
        }
    };
    load_parsed(source, parsed, tpl)
}

impl Loaded {
    /// An input that holds no policy, skipped for `why`.
    pub fn skipped(name: &str, why: &str) -> Loaded {
        Loaded {
            name: name.to_string(),
            skipped: Some(why.to_string()),
            read: Vec::new(),
            ..Loaded::default()
        }
    }

    fn with_message(mut self, msg: String) -> Self {
        if let Some(Document { policy: Err(f), .. }) = self.documents.first_mut() {
            f.message = msg;
            f.help = Some(
                "IAM policy documents are UTF-8 text; re-save the file as UTF-8 without BOM".into(),
            );
        }
        self
    }
}

/// Parses one loaded text: a policy, or an authorization-details file.
pub fn load_source(source: Source) -> Loaded {
    load_source_with(source, &Inputs::default())
}

/// Like [`load_source`]; a CloudFormation template (JSON) is read with these inputs.
pub fn load_source_with(source: Source, tpl: &Inputs) -> Loaded {
    load_parsed(source, None, tpl)
}

/// [`load_bytes_with`] for the text of a JSON file already parsed (with
/// [`json::parse_with_line_starts`]), that is not YAML or UTF-16 by its name or bytes.
pub(super) fn load_parsed_text(
    name: &str,
    text: String,
    parsed: Result<json::Value, json::JsonError>,
    starts: Option<Vec<u32>>,
    tpl: &Inputs,
) -> Loaded {
    let source = Source::with_line_starts(name, text, starts);
    load_parsed(source, Some(parsed), tpl)
}

/// [`load_source_with`] with the text's JSON parse when it was already done.
fn load_parsed(
    source: Source,
    parsed: Option<Result<json::Value, json::JsonError>>,
    tpl: &Inputs,
) -> Loaded {
    let name = String::from(&*source.name);
    let value = match parsed.unwrap_or_else(|| json::parse(&source.text)) {
        Ok(v) => v,
        Err(_) => {
            // Let the policy parser produce the located error.
            let policy = parse::parse_policy(&source).map_err(|e| Finding::from_parse_error(&e));
            return Loaded {
                name,
                documents: vec![Document {
                    source,
                    implied_type: None,
                    policy,
                }],
                principals: Vec::new(),
                managed: Vec::new(),
                notes: Vec::new(),
                skipped: None,
                read: Vec::new(),
                extra: Vec::new(),
            };
        }
    };
    if is_authorization_details(&value) {
        return authorization_details(&source, &value);
    }
    if crate::iac::cfn::is_template(&value) {
        return super::template::load_tree(&source, &value, tpl);
    }
    if crate::iac::terraform::is_plan(&value) {
        return match crate::iac::terraform::load(&source) {
            Ok(t) => super::template::from_template(&t),
            Err(e) => super::template::failed(&e),
        };
    }
    // what the AWS CLI prints for one policy (`get-role-policy`, `get-policy-version`): its
    // document (red team 39: skipped as "no policy" in a directory)
    if let Some((inner, kind)) = parse::cli_wrapped(&value) {
        let implied = match kind {
            parse::CliPolicy::Identity => None,
            parse::CliPolicy::Trust => Some(PolicyType::Trust),
            parse::CliPolicy::Resource => Some(PolicyType::Resource),
        };
        let d = document(&source, &name, inner, implied);
        return Loaded {
            name,
            documents: vec![d],
            principals: Vec::new(),
            managed: Vec::new(),
            notes: Vec::new(),
            skipped: None,
            read: Vec::new(),
            extra: Vec::new(),
        };
    }
    let policy =
        parse::policy_from_value(&source, &value).map_err(|e| Finding::from_parse_error(&e));
    Loaded {
        name,
        documents: vec![Document {
            source,
            implied_type: None,
            policy,
        }],
        principals: Vec::new(),
        managed: Vec::new(),
        notes: Vec::new(),
        skipped: None,
        read: Vec::new(),
        extra: Vec::new(),
    }
}

fn is_authorization_details(v: &json::Value) -> bool {
    v.as_object().is_some_and(|m| {
        m.iter().any(|m| {
            matches!(
                m.key.as_str(),
                "UserDetailList" | "GroupDetailList" | "RoleDetailList"
            )
        })
    })
}

fn arr<'a>(v: &'a json::Value, key: &str) -> &'a [json::Value] {
    match v.get(key).map(|x| &x.kind) {
        Some(json::Kind::Array(a)) => a,
        _ => &[],
    }
}

fn text<'a>(v: &'a json::Value, key: &str) -> &'a str {
    v.get(key).and_then(json::Value::as_str).unwrap_or("?")
}

/// Splits a `get-account-authorization-details` output into its documents: managed policies
/// (default version), inline policies of users, groups and roles, and role trust policies.
fn authorization_details(source: &Source, root: &json::Value) -> Loaded {
    let file = source.name.to_string();
    let mut docs: Vec<Document> = Vec::new();
    let mut managed: Vec<(String, usize)> = Vec::new();
    // the documents of managed policies AWS counts attached to no user, group or role
    // (`AttachmentCount` 0; a permissions boundary is counted apart, in
    // `PermissionsBoundaryUsageCount`)
    let mut unattached: std::collections::HashSet<usize> = Default::default();
    for p in arr(root, "Policies") {
        let pname = text(p, "PolicyName");
        let arn = text(p, "Arn").to_string();
        let versions = arr(p, "PolicyVersionList");
        let default = versions.iter().find(|v| {
            matches!(
                v.get("IsDefaultVersion").map(|x| &x.kind),
                Some(json::Kind::Bool(true))
            )
        });
        let name = format!("{file}#policy/{pname}");
        // `DefaultVersionId` and `IsDefaultVersion` name the same version in AWS's output;
        // when they disagree neither can be trusted (as `scan` and `check` read it).
        let flagged = default
            .and_then(|v| v.get("VersionId"))
            .and_then(json::Value::as_str);
        if let Some(id) = p.get("DefaultVersionId").and_then(json::Value::as_str)
            && default.is_some()
            && flagged != Some(id)
        {
            docs.push(undecodable_with_help(
                source,
                &name,
                p.span,
                &format!(
                    "managed policy `{arn}` has `DefaultVersionId` `{id}`, but `PolicyVersionList` flags version `{}` with `IsDefaultVersion: true`",
                    flagged.unwrap_or("")
                ),
                "export the account again with `aws iam get-account-authorization-details`: in AWS's output both fields name the same version",
            ));
            continue;
        }
        match default.and_then(|v| v.get("Document")) {
            Some(d) => {
                if matches!(
                    p.get("AttachmentCount").map(|x| &x.kind),
                    Some(json::Kind::Number(n)) if n == "0"
                ) {
                    unattached.insert(docs.len());
                }
                managed.push((arn, docs.len()));
                docs.push(document(source, &name, d, None));
            }
            None => docs.push(undecodable(
                source,
                &name,
                p.span,
                "the managed policy has no default version document",
            )),
        }
    }
    let mut group_docs: Vec<(String, Vec<usize>)> = Vec::new();
    // AWS managed policies attached but not listed in `Policies`: (ARN, span of the entry)
    let mut group_aws: Vec<Vec<(String, Span)>> = Vec::new();
    let mut aws: Vec<(String, Vec<(String, Span)>)> = Vec::new();
    for g in arr(root, "GroupDetailList") {
        let gname = text(g, "GroupName").to_string();
        let mut mine = inline(
            source,
            &mut docs,
            &file,
            "group",
            &gname,
            g,
            "GroupPolicyList",
        );
        mine.extend(attached(g, &managed));
        group_docs.push((gname, mine));
        group_aws.push(not_listed(g, &managed));
    }
    let mut principals = Vec::new();
    // per user and role (in `principals` order), the managed policy document of its
    // permissions boundary, when the file lists it
    let mut boundaries: Vec<Option<usize>> = Vec::new();
    for u in arr(root, "UserDetailList") {
        let uname = text(u, "UserName").to_string();
        let mut mine = inline(
            source,
            &mut docs,
            &file,
            "user",
            &uname,
            u,
            "UserPolicyList",
        );
        mine.extend(attached(u, &managed));
        let mut mine_aws = not_listed(u, &managed);
        for g in arr(u, "GroupList") {
            if let Some(gn) = g.as_str() {
                if let Some(i) = group_docs.iter().position(|(n, _)| n == gn) {
                    mine.extend(group_docs[i].1.iter().copied());
                    mine_aws.extend(group_aws[i].iter().cloned());
                }
            }
        }
        let name = format!("{file}#user/{uname}");
        aws.push((name.clone(), mine_aws));
        boundaries.push(boundary_of(u, &managed));
        principals.push((name, mine));
    }
    for r in arr(root, "RoleDetailList") {
        let rname = text(r, "RoleName").to_string();
        if let Some(t) = r.get("AssumeRolePolicyDocument") {
            let name = format!("{file}#role/{rname}/trust");
            docs.push(document(source, &name, t, Some(PolicyType::Trust)));
        }
        let mut mine = inline(
            source,
            &mut docs,
            &file,
            "role",
            &rname,
            r,
            "RolePolicyList",
        );
        mine.extend(attached(r, &managed));
        let name = format!("{file}#role/{rname}");
        aws.push((name.clone(), not_listed(r, &managed)));
        boundaries.push(boundary_of(r, &managed));
        principals.push((name, mine));
    }
    for ((gname, gd), ga) in group_docs.into_iter().zip(group_aws) {
        let name = format!("{file}#group/{gname}");
        aws.push((name.clone(), ga));
        principals.push((name, gd));
    }
    let managed_refs = aws
        .into_iter()
        .enumerate()
        .flat_map(|(i, (name, list))| {
            list.into_iter()
                .map(move |(arn, span)| super::managed::Attachment {
                    principal: i,
                    arn,
                    by_name: false,
                    source: source.renamed(name.as_str()),
                    span,
                    maybe: false,
                })
        })
        .collect();
    // A managed policy attached to a user or role only as its permissions boundary is read as
    // one: it caps what the principal's policies grant and grants nothing itself (IAM User
    // Guide, "Permissions boundaries for IAM entities"). One also attached as an identity
    // policy, in the file or (by AWS's `AttachmentCount`) to an entity a filtered export leaves
    // out, keeps that type, and is then not given to the principals it bounds (as an identity
    // policy there its `Allow`s would be grants).
    let identity: std::collections::HashSet<usize> = principals
        .iter()
        .flat_map(|(_, idx)| idx.iter().copied())
        .collect();
    for (k, b) in boundaries.iter().enumerate() {
        let Some(d) = *b else { continue };
        if identity.contains(&d) || !unattached.contains(&d) {
            continue;
        }
        if let Some(doc) = docs.get_mut(d) {
            doc.implied_type = Some(PolicyType::Boundary);
        }
        if let Some((_, idx)) = principals.get_mut(k) {
            idx.push(d);
        }
    }
    for (_, idx) in &mut principals {
        idx.sort_unstable();
        idx.dedup();
    }
    Loaded {
        name: file,
        documents: docs,
        principals,
        managed: managed_refs,
        notes: Vec::new(),
        skipped: None,
        read: Vec::new(),
        extra: Vec::new(),
    }
}

fn inline(
    source: &Source,
    docs: &mut Vec<Document>,
    file: &str,
    kind: &str,
    owner: &str,
    entity: &json::Value,
    list: &str,
) -> Vec<usize> {
    let mut mine = Vec::new();
    for ip in arr(entity, list) {
        let pname = text(ip, "PolicyName");
        let name = format!("{file}#{kind}/{owner}/inline/{pname}");
        mine.push(docs.len());
        match ip.get("PolicyDocument") {
            Some(d) => docs.push(document(source, &name, d, Some(PolicyType::Identity))),
            None => docs.push(undecodable(
                source,
                &name,
                ip.span,
                "the inline policy has no `PolicyDocument`",
            )),
        }
    }
    mine
}

fn attached(entity: &json::Value, managed: &[(String, usize)]) -> Vec<usize> {
    arr(entity, "AttachedManagedPolicies")
        .iter()
        .filter_map(|a| {
            let arn = a.get("PolicyArn")?.as_str()?;
            managed.iter().find(|(m, _)| m == arn).map(|(_, i)| *i)
        })
        .collect()
}

/// The document (in `managed`) of the managed policy an entity has as its permissions
/// boundary (`PermissionsBoundary.PermissionsBoundaryArn`), when the file lists it.
fn boundary_of(entity: &json::Value, managed: &[(String, usize)]) -> Option<usize> {
    let arn = entity
        .get("PermissionsBoundary")?
        .get("PermissionsBoundaryArn")?
        .as_str()?;
    managed.iter().find(|(m, _)| m == arn).map(|(_, i)| *i)
}

/// The AWS managed policies an entity attaches that the file does not list in `Policies`
/// (an export filtered with `--filter`): their ARNs and the spans of their entries.
fn not_listed(entity: &json::Value, managed: &[(String, usize)]) -> Vec<(String, Span)> {
    arr(entity, "AttachedManagedPolicies")
        .iter()
        .filter_map(|a| {
            let arn = a.get("PolicyArn")?.as_str()?;
            let aws = arn.contains(":iam::aws:policy/");
            (aws && !managed.iter().any(|(m, _)| m == arn)).then(|| (arn.to_string(), a.span))
        })
        .collect()
}

/// One embedded document: a JSON object (already decoded, as the AWS CLI prints it) or a
/// string that is URL-encoded JSON (as the raw API returns it), decoded exactly once.
fn document(source: &Source, name: &str, v: &json::Value, implied: Option<PolicyType>) -> Document {
    match &v.kind {
        json::Kind::Object(_) => {
            let src = source.renamed(name);
            let policy =
                parse::policy_from_value(&src, v).map_err(|e| Finding::from_parse_error(&e));
            Document {
                source: src,
                implied_type: implied,
                policy,
            }
        }
        json::Kind::String(s) => {
            let decoded = if s.trim_start().starts_with('{') {
                Ok(s.clone())
            } else {
                percent_decode(s)
            };
            match decoded {
                Ok(text) => {
                    let src = Source::new(name, text);
                    let policy =
                        parse::parse_policy(&src).map_err(|e| Finding::from_parse_error(&e));
                    Document {
                        source: src,
                        implied_type: implied,
                        policy,
                    }
                }
                Err(why) => undecodable(source, name, v.span, &why),
            }
        }
        _ => undecodable(
            source,
            name,
            v.span,
            &format!(
                "the policy document is {}, not an object or a string",
                v.type_name()
            ),
        ),
    }
}

fn undecodable(source: &Source, name: &str, span: Span, why: &str) -> Document {
    undecodable_with_help(
        source,
        name,
        span,
        why,
        "documents must be JSON objects or URL-encoded (RFC 3986) JSON strings",
    )
}

fn undecodable_with_help(
    source: &Source,
    name: &str,
    span: Span,
    why: &str,
    help: &str,
) -> Document {
    let src = source.renamed(name);
    let f = Finding::new(
        &rules::undecodable_document::RULE,
        src.clone(),
        span,
        format!("cannot decode the policy document: {why}"),
    )
    .help(help.to_string());
    Document {
        source: src,
        implied_type: None,
        policy: Err(f),
    }
}

/// RFC 3986 percent-decoding (`+` is a literal plus, as in botocore's `unquote`). The result
/// must be UTF-8.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => return Err(format!("invalid percent-escape at byte {i}")),
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| {
        format!(
            "the decoded text is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_is_rfc3986_and_single() {
        assert_eq!(percent_decode("%7B%22a%22%3A1%7D").unwrap(), "{\"a\":1}");
        assert_eq!(percent_decode("a+b").unwrap(), "a+b");
        assert_eq!(percent_decode("50%2525").unwrap(), "50%25");
        assert!(percent_decode("%ZZ").is_err());
        assert!(percent_decode("%FF").is_err());
    }

    /// A directory that cannot be listed is an input that failed, never a silent skip (tests
    /// run as root here, so an unreadable directory is simulated by one that vanished).
    #[test]
    fn unreadable_directories_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let mut out = Vec::new();
        walk(&gone, &WalkOptions::default(), &mut |i| out.push(i));
        assert!(
            matches!(&out[..], [Input::Missing { arg, why }] if arg.ends_with("gone") && why.starts_with("cannot read the directory")),
            "{out:?}"
        );
    }
}
