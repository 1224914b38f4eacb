//! Reading one file by its kind: a bounded prefix is sniffed ([`crate::discover::sniff`]),
//! then the file is read whole only when it holds something greenlight reads. A file found by
//! a walk that holds no policy is skipped (and counted); a file named explicitly that holds no
//! policy is an error.

use std::io::Read;
use std::path::Path;

use super::input::{Loaded, load_bytes_with};
use super::rules;
use crate::discover::{InputKind, PREFIX, Sniff, sniff};
use crate::iac::cfn::Inputs;

/// Reads up to `PREFIX + 1` bytes; `true` when that is the whole file. Policy files are small:
/// one `read` and the one that sees the end, as a plain `read_to_end` would do.
fn read_prefix(file: &mut std::fs::File) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::with_capacity(16 * 1024);
    file.take(PREFIX as u64 + 1).read_to_end(&mut bytes)?;
    let complete = bytes.len() <= PREFIX;
    Ok((bytes, complete))
}

/// Reads and parses one file. `explicit`: the user named it (not found by a walk or a glob).
pub fn load_path(p: &Path, explicit: bool, tpl: &Inputs) -> Loaded {
    let name = crate::discover::paths::display_string(p);
    let unreadable = |e: std::io::Error| {
        super::input::failed(&name, &rules::unreadable_input::RULE, &e.to_string())
    };
    let mut file = match std::fs::File::open(p) {
        Ok(f) => f,
        Err(e) => return unreadable(e),
    };
    let (mut bytes, mut complete) = match read_prefix(&mut file) {
        Ok(x) => x,
        Err(e) => return unreadable(e),
    };
    // A whole JSON file is parsed once, and its kind read from the tree (the verdict the
    // sniffer gives its text); other files are sniffed first.
    if complete {
        match load_parsed(p, &name, bytes, explicit, tpl) {
            Ok(loaded) => return loaded,
            Err(b) => bytes = b,
        }
    }
    let mut verdict = sniff(p, &bytes, complete);
    let whole = match verdict {
        Sniff::NeedMore | Sniff::Kind(_) => true,
        Sniff::Unparsable(_) => explicit,
        Sniff::Skip(_) => false,
    };
    if whole {
        if !complete {
            if let Err(e) = file.read_to_end(&mut bytes) {
                return unreadable(e);
            }
            complete = true;
        }
        if verdict == Sniff::NeedMore {
            verdict = sniff(p, &bytes, complete);
        }
    }
    drop(file);
    by_verdict(p, &name, verdict, bytes, explicit, tpl)
}

/// A whole file read as strict JSON, when its kind can be told from the parsed tree
/// ([`crate::discover::sniff_parsed`]): loaded from that parse (a policy, template, plan or
/// authorization-details file) or skipped as [`by_verdict`] does. `Err` gives the bytes back
/// when the file is not UTF-8 JSON that parses, or its kind needs the sniffer.
fn load_parsed(
    p: &Path,
    name: &str,
    bytes: Vec<u8>,
    explicit: bool,
    tpl: &Inputs,
) -> Result<Loaded, Vec<u8>> {
    // (YAML and `.template` names are read by the template reader)
    if crate::iac::is_yaml_name(name) {
        return Err(bytes);
    }
    let text = String::from_utf8(bytes).map_err(std::string::FromUtf8Error::into_bytes)?;
    let (parsed, starts) = crate::parse::json::parse_with_line_starts(&text);
    let verdict = match &parsed {
        Ok(tree) => crate::discover::sniff_parsed(p, tree),
        Err(_) => None,
    };
    match verdict {
        None => Err(text.into_bytes()),
        Some(Sniff::Kind(
            InputKind::Policy
            | InputKind::AuthorizationDetails
            | InputKind::CloudFormation
            | InputKind::Sam
            | InputKind::TerraformPlan,
        )) => Ok(super::input::load_parsed_text(
            name, text, parsed, starts, tpl,
        )),
        Some(verdict) => Ok(by_verdict(
            p,
            name,
            verdict,
            text.into_bytes(),
            explicit,
            tpl,
        )),
    }
}

/// Loads, skips or fails one file by the sniffer's verdict on it.
fn by_verdict(
    p: &Path,
    name: &str,
    verdict: Sniff,
    bytes: Vec<u8>,
    explicit: bool,
    tpl: &Inputs,
) -> Loaded {
    let name = name.to_string();
    match verdict {
        Sniff::Kind(
            InputKind::Policy
            | InputKind::AuthorizationDetails
            | InputKind::CloudFormation
            | InputKind::Sam
            | InputKind::TerraformPlan,
        ) => load_bytes_with(&name, bytes, tpl),
        Sniff::Kind(InputKind::TerraformHcl) => {
            drop(bytes);
            let loaded = super::template::load_tf(p, tpl, explicit);
            if loaded.documents.is_empty() && loaded.managed.is_empty() && loaded.skipped.is_none()
            {
                return skip_or_fail(
                    &name,
                    "the Terraform file defines no IAM policy (roles, users, groups, policies or resource policies)",
                    explicit,
                );
            }
            loaded
        }
        // (a second sniff of the whole file never asks for more)
        Sniff::NeedMore => skip_or_fail(&name, "no policy or template shape", explicit),
        Sniff::Skip(why) => skip_or_fail(&name, &why, explicit),
        // named as a policy: the parser locates what is wrong (GL001, GL004)
        Sniff::Unparsable(_) if explicit => load_bytes_with(&name, bytes, tpl),
        Sniff::Unparsable(why) => Loaded::skipped(&name, &why),
    }
}

fn skip_or_fail(name: &str, why: &str, explicit: bool) -> Loaded {
    if explicit {
        not_a_policy(name, why)
    } else {
        Loaded::skipped(name, why)
    }
}

/// A file named explicitly that holds no policy: exit 2, with what it is instead.
fn not_a_policy(name: &str, why: &str) -> Loaded {
    let mut l = super::input::failed(name, &rules::unreadable_input::RULE, why);
    if let Some(super::input::Document { policy: Err(f), .. }) = l.documents.first_mut() {
        f.message = format!("`{name}` holds no IAM policy: {why}");
        f.help = Some(
            "greenlight reads IAM policy documents (JSON), CloudFormation, SAM and CDK templates, Terraform plans (`terraform show -json`) and `.tf` files, and `aws iam get-account-authorization-details` output; name a directory to lint the files of these kinds under it and skip the others".into(),
        );
    }
    l
}
