//! Override files (<https://developer.hashicorp.com/terraform/language/files/override>):
//! `override.tf`, `*_override.tf` and their `.tf.json` forms are left out when a module's
//! files are loaded, then merged into the blocks of its other (primary) files, in lexical order
//! of their names:
//!
//! - a `resource`, `data`, `module`, `variable` or `output` block of an override file merges
//!   into the primary block of the same type and labels (one must exist: Terraform refuses an
//!   override without one, and so does greenlight): each argument replaces the argument of the
//!   same name; the nested blocks of a type replace every nested block of that type of the
//!   primary block (their contents are not merged); nested block types the override does not
//!   name stay. In the JSON syntax a nested block type is written as an argument, so an argument
//!   also replaces the nested blocks of its name, and a nested block the argument of its name.
//! - `locals` merge value by value, whatever `locals` block a value is defined in (one must be
//!   defined in a primary file).
//! - other blocks (`terraform`, `provider`, ...) are not read by greenlight anyway.
//!
//! The merged arguments keep their positions in the override file: [`Merged`] records which
//! parts of a primary block come from which override file, so the evaluator reads them with
//! that file's text and a finding points into it.

use std::collections::BTreeSet;

use super::eval::{File, span_of};
use crate::parse::ParseError;
use crate::source::Span;

/// Whether a file name (the last path component) is an override file.
pub fn is_override_name(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".tf.json")
        .or_else(|| lower.strip_suffix(".tf"));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

/// Parts of a primary file's top-level block that an override file replaced.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The block's index among the primary file's blocks.
    pub block: usize,
    /// The override file's index minus the primary file's (in the module's file order, where
    /// override files come last).
    pub delta: usize,
    /// Arguments replaced.
    pub attributes: Vec<String>,
    /// Nested block types replaced.
    pub blocks: Vec<String>,
    /// The override block.
    pub span: Span,
}

/// Block types merged block by block.
const MERGED: &[&str] = &["resource", "data", "module", "variable", "output"];

fn header(b: &hcl_edit::structure::Block) -> (String, Vec<String>) {
    (
        b.ident.as_str().to_string(),
        b.labels.iter().map(|l| l.as_str().to_string()).collect(),
    )
}

/// Merges the override files of one module's files (all of one module): the primary files
/// first, in their order, then the override files in lexical order of their names, their merged
/// blocks taken out (left: their `locals` and the blocks greenlight does not read).
/// A resource, data source or module call defined twice in the primary files of one module
/// is an error, as Terraform refuses it ("Duplicate resource configuration"): otherwise the
/// file read last would win, and what the other defines (an open trust policy) would go
/// unseen (red team 49).
fn duplicates(files: &[File]) -> Result<(), ParseError> {
    let mut seen: std::collections::HashMap<(usize, String), String> = Default::default();
    for f in files.iter().filter(|f| !is_override_name(&f.source.name)) {
        for b in f.body.blocks() {
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            let address = match (b.ident.as_str(), labels.as_slice()) {
                ("resource", [ty, name]) => format!("{ty}.{name}"),
                ("data", [ty, name]) => format!("data.{ty}.{name}"),
                ("module", [name]) => format!("module.{name}"),
                _ => continue,
            };
            if let Some(first) = seen.insert((f.module, address.clone()), f.source.name.to_string())
            {
                return Err(ParseError::new(
                    &f.source,
                    "undecodable-document",
                    span_of(b),
                    format!(
                        "`{address}` is defined twice, here and in `{first}` (Terraform refuses a duplicate configuration too)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub fn apply(files: Vec<File>) -> Result<Vec<File>, ParseError> {
    duplicates(&files)?;
    if !files.iter().any(|f| is_override_name(&f.source.name)) {
        return Ok(files);
    }
    let (mut out, mut overrides): (Vec<File>, Vec<File>) = files
        .into_iter()
        .partition(|f| !is_override_name(&f.source.name));
    let base_name = |f: &File| -> String {
        f.source
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .into()
    };
    overrides.sort_by_key(base_name);
    let primaries = out.len();
    // the local values defined in primary files
    let locals: BTreeSet<String> = out
        .iter()
        .flat_map(|f| f.body.blocks())
        .filter(|b| b.ident.as_str() == "locals")
        .flat_map(|b| b.body.attributes().map(|a| a.key.as_str().to_string()))
        .collect();
    for (k, mut o) in overrides.into_iter().enumerate() {
        let at = primaries + k;
        let mut taken = Vec::new();
        for (bi, b) in o.body.blocks().enumerate() {
            let ident = b.ident.as_str();
            if ident == "locals" {
                if let Some(a) = b
                    .body
                    .attributes()
                    .find(|a| !locals.contains(a.key.as_str()))
                {
                    return Err(ParseError::new(
                        &o.source,
                        "undecodable-document",
                        span_of(&a.key),
                        format!(
                            "the override file sets `local.{}`, which no primary file of the module defines (Terraform refuses it too)",
                            a.key.as_str()
                        ),
                    ));
                }
                continue;
            }
            if !MERGED.contains(&ident) {
                continue;
            }
            let want = header(b);
            let target = out.iter().enumerate().find_map(|(fi, f)| {
                f.body
                    .blocks()
                    .position(|x| header(x) == want)
                    .map(|p| (fi, p))
            });
            let Some((fi, pi)) = target else {
                return Err(ParseError::new(
                    &o.source,
                    "undecodable-document",
                    span_of(b),
                    format!(
                        "the override file's `{} {}` block overrides no block of the module's primary files (Terraform refuses it too)",
                        want.0,
                        want.1
                            .iter()
                            .map(|l| format!("\"{l}\""))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                ));
            };
            let mut attributes = Vec::new();
            let mut blocks: Vec<String> = Vec::new();
            let Some(primary) = out[fi].body.blocks_mut().nth(pi) else {
                continue;
            };
            for a in b.body.attributes() {
                let key = a.key.as_str();
                primary.body.remove_attribute(key);
                primary.body.remove_blocks(key);
                primary.body.push(a.clone());
                attributes.push(key.to_string());
            }
            for nested in b.body.blocks() {
                let ident = nested.ident.as_str().to_string();
                if !blocks.contains(&ident) {
                    primary.body.remove_blocks(&ident);
                    primary.body.remove_attribute(&ident);
                    blocks.push(ident);
                }
                primary.body.push(nested.clone());
            }
            out[fi].merged.push(Merged {
                block: pi,
                delta: at - fi,
                attributes,
                blocks,
                span: span_of(b),
            });
            taken.push(bi);
        }
        for bi in taken.into_iter().rev() {
            // the index among all structures of the body of the `bi`th block
            let Some(si) = o
                .body
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_block())
                .nth(bi)
                .map(|(i, _)| i)
            else {
                continue;
            };
            o.body.remove(si);
        }
        out.push(o);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// https://developer.hashicorp.com/terraform/language/files/override: "Terraform has
    /// special handling of any configuration file whose name ends in `_override.tf` or
    /// `_override.tf.json`. This special handling also applies to a file named literally
    /// `override.tf` or `override.tf.json`."
    #[test]
    fn override_file_names() {
        for n in [
            "override.tf",
            "override.tf.json",
            "example_override.tf",
            "m/iam_override.tf.json",
        ] {
            assert!(is_override_name(n), "{n}");
        }
        for n in ["overrides.tf", "main.tf", "override.json", "my-override.tf"] {
            assert!(!is_override_name(n), "{n}");
        }
    }
}
