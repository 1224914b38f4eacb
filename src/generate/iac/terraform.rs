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

use super::IacInput;
use crate::generate::GenerateError;

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
            jsonencode(&role.trust)
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
                jsonencode(d)
            ));
            continue;
        }
        blocks.push(format!(
            "resource \"aws_iam_policy\" \"{name}\" {{\n  name        = {}\n  description = {}\n  policy      = {}\n}}\n",
            string(&input.policy_name(i)),
            string(&input.description),
            jsonencode(d)
        ));
        if input.role.is_some() {
            blocks.push(format!(
                "resource \"aws_iam_role_policy_attachment\" \"{name}\" {{\n  role       = aws_iam_role.{base}.name\n  policy_arn = aws_iam_policy.{name}.arn\n}}\n"
            ));
        }
    }
    Ok(blocks.join("\n"))
}

/// An HCL quoted string: JSON's escapes, with template sequences escaped.
pub fn string(s: &str) -> String {
    escape_templates(&serde_json::to_string(s).unwrap_or_default())
}

fn escape_templates(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// `jsonencode(<document>)`, the document indented to sit inside a block.
fn jsonencode(doc: &str) -> String {
    let body: Vec<String> = doc
        .trim_end()
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
    format!("jsonencode({})", escape_templates(&body.join("\n")))
}
