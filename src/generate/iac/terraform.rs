//! Terraform configuration (HCL) for the AWS provider.
//!
//! - role profile: `aws_iam_role` (`name`, `path`, `description`,
//!   `assume_role_policy = jsonencode(...)`) and one `aws_iam_role_policy` per document
//!   (`policy = jsonencode(...)`), or, over the inline quota, `aws_iam_policy` resources with
//!   `aws_iam_role_policy_attachment`s;
//! - otherwise one `aws_iam_policy` per document.
//!
//! A document is written as `jsonencode(<the JSON text>)`: JSON objects and arrays are also
//! HCL object and tuple expressions, and JSON string escapes are HCL's, except that HCL reads
//! `${` and `%{` in a string as a template: they are written `$${` and `%%{` (HCL's escapes),
//! so the document Terraform encodes is the verified one.

use super::{IacInput, Part, Pseudo};
use crate::generate::GenerateError;
use crate::parse::json::{Kind, Value};

/// The configuration text.
pub fn render(input: &IacInput) -> Result<String, GenerateError> {
    // The documents must be JSON (they are HCL only because they are JSON).
    input.trees()?;
    let base = super::resource_name(&input.profile_id);
    let suffixed = |i: usize| {
        if input.documents.len() == 1 {
            base.clone()
        } else {
            format!("{base}_{}", i + 1)
        }
    };
    let mut blocks: Vec<String> = Vec::new();
    // the data sources the pseudo parameters read, by name
    let mut used: Vec<&'static str> = Vec::new();
    if let Some(role) = &input.role {
        super::tree(&role.trust)?;
        let mut b = format!("resource \"aws_iam_role\" \"{base}\" {{\n");
        b.push_str(&format!("  name               = {}\n", string(&role.name)));
        if let Some(p) = &role.path {
            b.push_str(&format!("  path               = {}\n", string(p)));
        }
        b.push_str(&format!(
            "  description        = {}\n",
            string(&input.description)
        ));
        b.push_str(&format!(
            "  assume_role_policy = {}\n}}\n",
            jsonencode(&role.trust, &input.pseudo, &mut used)?
        ));
        blocks.push(b);
    }
    let inline = input.inline();
    for (i, d) in input.documents.iter().enumerate() {
        let name = suffixed(i);
        if inline {
            blocks.push(format!(
                "resource \"aws_iam_role_policy\" \"{name}\" {{\n  name   = {}\n  role   = aws_iam_role.{base}.id\n  policy = {}\n}}\n",
                string(&input.policy_name(i)),
                jsonencode(d, &input.pseudo, &mut used)?
            ));
            continue;
        }
        blocks.push(format!(
            "resource \"aws_iam_policy\" \"{name}\" {{\n  name        = {}\n  description = {}\n  policy      = {}\n}}\n",
            string(&input.policy_name(i)),
            string(&input.description),
            jsonencode(d, &input.pseudo, &mut used)?
        ));
        if input.role.is_some() {
            blocks.push(format!(
                "resource \"aws_iam_role_policy_attachment\" \"{name}\" {{\n  role       = aws_iam_role.{base}.name\n  policy_arn = aws_iam_policy.{name}.arn\n}}\n"
            ));
        }
    }
    let data: Vec<String> = DATA
        .iter()
        .filter(|(name, _)| used.contains(name))
        .map(|(name, _)| format!("data \"{name}\" \"current\" {{}}\n"))
        .collect();
    if !data.is_empty() {
        blocks.insert(0, data.concat());
    }
    Ok(blocks.join("\n"))
}

/// The data sources that stand for the pseudo parameters, and the attribute read. The
/// Region's `name` is read by every AWS provider version (v6 also calls it `region`).
const DATA: &[(&str, &str)] = &[
    ("aws_partition", "partition"),
    ("aws_region", "name"),
    ("aws_caller_identity", "account_id"),
];

fn data_of(p: Part<'_>) -> Option<&'static str> {
    match p {
        Part::Partition => Some("aws_partition"),
        Part::Region => Some("aws_region"),
        Part::Account => Some("aws_caller_identity"),
        Part::Text(_) => None,
    }
}

/// An HCL quoted string: JSON's escapes, with template sequences escaped.
pub fn string(s: &str) -> String {
    escape_templates(&serde_json::to_string(s).unwrap_or_default())
}

fn escape_templates(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// `jsonencode(<document>)`, the document indented to sit inside a block; a string holding the
/// profile's example account, Region or partition becomes a string template reading the data
/// sources (`"arn:${data.aws_partition.current.partition}:..."`).
fn jsonencode(
    doc: &str,
    pseudo: &Pseudo,
    used: &mut Vec<&'static str>,
) -> Result<String, GenerateError> {
    let doc = doc.trim_end();
    let tree = super::tree(doc)?;
    let mut strings: Vec<(&Value, Vec<Part<'_>>)> = Vec::new();
    fn walk<'v>(v: &'v Value, pseudo: &Pseudo, out: &mut Vec<(&'v Value, Vec<Part<'v>>)>) {
        match &v.kind {
            Kind::String(s) => {
                if let Some(p) = pseudo.parts(s) {
                    out.push((v, p));
                }
            }
            Kind::Array(a) => a.iter().for_each(|x| walk(x, pseudo, out)),
            Kind::Object(m) => m.iter().for_each(|m| walk(&m.value, pseudo, out)),
            _ => {}
        }
    }
    walk(&tree, pseudo, &mut strings);
    let mut text = String::new();
    let mut at = 0usize;
    for (v, parts) in &strings {
        let (start, end) = (v.span.start as usize, v.span.end as usize);
        text.push_str(&escape_templates(&doc[at..start]));
        text.push('"');
        for p in parts {
            match (p, data_of(*p)) {
                (Part::Text(t), _) => {
                    let quoted = serde_json::to_string(t).unwrap_or_default();
                    text.push_str(&escape_templates(&quoted[1..quoted.len() - 1]));
                }
                (_, Some(d)) => {
                    if !used.contains(&d) {
                        used.push(d);
                    }
                    let attr = DATA.iter().find(|(n, _)| *n == d).map_or("", |(_, a)| a);
                    text.push_str(&format!("${{data.{d}.current.{attr}}}"));
                }
                (_, None) => {}
            }
        }
        text.push('"');
        at = end;
    }
    text.push_str(&escape_templates(&doc[at..]));
    Ok(indented(&text))
}

/// The text inside `jsonencode(...)`, each line after the first indented by two spaces.
fn indented(doc: &str) -> String {
    let body: Vec<String> = doc
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("  {l}")
            }
        })
        .collect();
    format!("jsonencode({})", body.join("\n"))
}
