//! A complete CloudFormation template (YAML): `AWSTemplateFormatVersion`, `Description`,
//! `Resources` and `Outputs`.
//!
//! - role profile: an `AWS::IAM::Role` (`RoleName`, `Path`, `AssumeRolePolicyDocument`,
//!   inline `Policies`), or, over the inline quota, `AWS::IAM::ManagedPolicy` resources with
//!   `Roles: [!Ref Role]`; output `RoleArn`;
//! - otherwise one `AWS::IAM::ManagedPolicy` per document, outputs `<LogicalId>Arn`.
//!
//! Strings are written plain only when YAML cannot read them as anything but that string
//! (letters first, then letters, digits and `:/._-`, no YAML 1.1 boolean or null word);
//! everything else is single-quoted: `'2012-10-17'`, `'*'`, `'123456789012'`.
//!
//! Self-check before the text is returned: greenlight's template reader reads it back, every
//! policy document is the verified one (same tree), each parses as a policy, and the role is a
//! principal of the template.

use super::{IacInput, Part, Pseudo};
use crate::generate::GenerateError;
use crate::parse::json::{Kind, Value};

/// The template text.
pub fn render(input: &IacInput) -> Result<String, GenerateError> {
    let trees = input.trees()?;
    let base = super::logical_id(&input.profile_id);
    let mut out = String::new();
    out.push_str("AWSTemplateFormatVersion: '2010-09-09'\n");
    out.push_str(&format!("Description: {}\n", scalar(&input.description)));
    out.push_str("Resources:\n");
    let policy_id = |i: usize| {
        if trees.len() == 1 {
            format!("{base}Policy")
        } else {
            format!("{base}Policy{}", i + 1)
        }
    };
    let mut outputs: Vec<(String, String)> = Vec::new();
    if let Some(role) = &input.role {
        let trust = super::tree(&role.trust)?;
        out.push_str(&format!(
            "  {base}:\n    Type: AWS::IAM::Role\n    Properties:\n"
        ));
        out.push_str(&format!("      RoleName: {}\n", scalar(&role.name)));
        if let Some(p) = &role.path {
            out.push_str(&format!("      Path: {}\n", scalar(p)));
        }
        out.push_str(&format!(
            "      Description: {}\n",
            scalar(&input.description)
        ));
        out.push_str("      AssumeRolePolicyDocument:");
        value(&mut out, &trust, 8, &input.pseudo);
        if input.inline() {
            out.push_str("      Policies:\n");
            for (i, t) in trees.iter().enumerate() {
                out.push_str(&format!(
                    "        - PolicyName: {}\n          PolicyDocument:",
                    scalar(&input.policy_name(i))
                ));
                value(&mut out, t, 12, &input.pseudo);
            }
        }
        outputs.push(("RoleArn".into(), format!("!GetAtt {base}.Arn")));
    }
    if !input.inline() {
        for (i, t) in trees.iter().enumerate() {
            let id = policy_id(i);
            out.push_str(&format!(
                "  {id}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
            ));
            out.push_str(&format!(
                "      Description: {}\n",
                scalar(&input.description)
            ));
            if input.role.is_some() {
                out.push_str(&format!("      Roles:\n        - !Ref {base}\n"));
            }
            out.push_str("      PolicyDocument:");
            value(&mut out, t, 8, &input.pseudo);
            if input.role.is_none() {
                outputs.push((format!("{id}Arn"), format!("!Ref {id}")));
            }
        }
    }
    out.push_str("Outputs:\n");
    for (name, v) in outputs {
        out.push_str(&format!("  {name}:\n    Value: {v}\n"));
    }
    let trust = match &input.role {
        Some(r) => Some(super::tree(&r.trust)?),
        None => None,
    };
    let policy_ids: Vec<String> = (0..trees.len()).map(policy_id).collect();
    read_back(&out, input, &base, &policy_ids, &trees, trust.as_ref())?;
    Ok(out)
}

/// Reads the template back (see the module docs).
pub(super) fn read_back(
    text: &str,
    input: &IacInput,
    base: &str,
    policy_ids: &[String],
    trees: &[Value],
    trust: Option<&Value>,
) -> Result<(), GenerateError> {
    let fail = |what: String| GenerateError::SelfCheck(format!("the generated template {what}"));
    let source = crate::source::Source::new("generated.yaml", text);
    let root = crate::iac::read_tree(&source)
        .map_err(|e| fail(format!("does not read back: {}", e.message)))?;
    let props = |id: &str| {
        root.get("Resources")
            .and_then(|r| r.get(id))
            .and_then(|r| r.get("Properties"))
    };
    let mut expected: Vec<(Option<&Value>, &Value)> = Vec::new();
    if let Some(t) = trust {
        expected.push((
            props(base).and_then(|p| p.get("AssumeRolePolicyDocument")),
            t,
        ));
    }
    for (i, t) in trees.iter().enumerate() {
        let found = if input.inline() {
            props(base)
                .and_then(|p| p.get("Policies"))
                .and_then(|p| match &p.kind {
                    Kind::Array(a) => a.get(i),
                    _ => None,
                })
                .and_then(|p| p.get("PolicyDocument"))
        } else {
            props(&policy_ids[i]).and_then(|p| p.get("PolicyDocument"))
        };
        expected.push((found, t));
    }
    for (n, (found, want)) in expected.iter().enumerate() {
        if !found.is_some_and(|f| same(f, want, &input.pseudo)) {
            return Err(fail(format!(
                "does not hold policy document {} as generated",
                n + 1
            )));
        }
    }
    let read = crate::iac::cfn::load_tree(&source, &root, &crate::iac::cfn::Inputs::default())
        .map_err(|e| fail(format!("is not read by the template reader: {}", e.message)))?;
    for x in &read.variants {
        if let Some(d) = x.docs.iter().find(|d| d.policy.is_err()) {
            return Err(fail(format!(
                "holds a document that does not parse: {}",
                d.path
            )));
        }
        if input.role.is_some() && !x.principals.iter().any(|p| p.logical_id == base) {
            return Err(fail(format!("has no role `{base}`")));
        }
    }
    Ok(())
}

/// Equal trees, positions ignored; a `Fn::Sub` of pseudo parameters (in `a`, as written) is the
/// string it makes with the example values.
fn same(a: &Value, b: &Value, pseudo: &Pseudo) -> bool {
    match (&a.kind, &b.kind) {
        (Kind::Array(x), Kind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y, pseudo))
        }
        (Kind::Object(x), Kind::String(want)) => match x.as_slice() {
            [m] if m.key == "Fn::Sub" => {
                m.value.as_str().is_some_and(|t| unsub(t, pseudo) == *want)
            }
            _ => false,
        },
        (Kind::Object(x), Kind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| x.key == y.key && same(&x.value, &y.value, pseudo))
        }
        (x, y) => x == y,
    }
}

/// YAML 1.1 words that read as booleans or null (YAML 1.2's core schema keeps fewer, but
/// CloudFormation's parser and other tools are YAML 1.1).
const RESERVED: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

/// A string as a YAML scalar: plain when nothing else can be read from it, else
/// single-quoted (double-quoted with JSON escapes when it holds a control character).
pub fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '.' | '_' | '-'))
        && !s.ends_with(':')
        && !RESERVED.iter().any(|r| s.eq_ignore_ascii_case(r));
    if plain {
        return s.to_string();
    }
    if s.chars().any(|c| c.is_control()) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// Writes a value after `key:` (block style), children indented by `indent`.
fn value(out: &mut String, v: &Value, indent: usize, pseudo: &Pseudo) {
    match &v.kind {
        Kind::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, m, indent, false, pseudo);
        }
        Kind::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(out, a, indent, pseudo);
        }
        _ => {
            out.push(' ');
            out.push_str(&leaf(v, pseudo));
            out.push('\n');
        }
    }
}

fn mapping(
    out: &mut String,
    members: &[crate::parse::json::Member],
    indent: usize,
    inline: bool,
    pseudo: &Pseudo,
) {
    for (i, m) in members.iter().enumerate() {
        if !(inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&scalar(&m.key));
        out.push(':');
        value(out, &m.value, indent + 2, pseudo);
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize, pseudo: &Pseudo) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match &item.kind {
            Kind::Object(m) if !m.is_empty() => {
                out.push(' ');
                mapping(out, m, indent + 2, true, pseudo);
            }
            Kind::Array(a) if !a.is_empty() => {
                out.push('\n');
                sequence(out, a, indent + 2, pseudo);
            }
            _ => {
                out.push(' ');
                out.push_str(&leaf(item, pseudo));
                out.push('\n');
            }
        }
    }
}

/// A scalar, or an empty collection in flow style. A string holding the profile's example
/// account, Region or partition is a `!Sub` of the pseudo parameters.
fn leaf(v: &Value, pseudo: &Pseudo) -> String {
    match &v.kind {
        Kind::Null => "null".into(),
        Kind::Bool(b) => b.to_string(),
        Kind::Number(n) => n.clone(),
        Kind::String(s) => match pseudo.parts(s) {
            Some(parts) => format!("!Sub {}", quoted(&sub_text(&parts))),
            None => scalar(s),
        },
        Kind::Array(_) => "[]".into(),
        Kind::Object(_) => "{}".into(),
    }
}

/// The `Fn::Sub` text of the pieces: pseudo parameters as `${AWS::...}`, and a literal `${`
/// (a policy variable) written `${!` so that `Fn::Sub` leaves it as it is.
fn sub_text(parts: &[Part<'_>]) -> String {
    parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.replace("${", "${!"),
            Part::Account => "${AWS::AccountId}".into(),
            Part::Region => "${AWS::Region}".into(),
            Part::Partition => "${AWS::Partition}".into(),
        })
        .collect()
}

/// What `Fn::Sub` makes of `text` where the pseudo parameters are the example values: the
/// string the policy holds (for the read-back check).
fn unsub(text: &str, pseudo: &Pseudo) -> String {
    text.replace("${AWS::AccountId}", pseudo.value(Part::Account))
        .replace("${AWS::Region}", pseudo.value(Part::Region))
        .replace("${AWS::Partition}", pseudo.value(Part::Partition))
        .replace("${!", "${")
}

/// A single-quoted YAML scalar (double-quoted with JSON escapes when it holds a control
/// character).
fn quoted(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    format!("'{}'", s.replace('\'', "''"))
}
