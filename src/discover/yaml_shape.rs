//! The shape of a YAML document from a bounded prefix, line by line: its top-level keys, the
//! SAM transform, and the `Type:` values of the entries under `Resources:`. Enough to tell a
//! CloudFormation or SAM template from a workflow, a compose file or a Kubernetes manifest;
//! the template reader parses the file properly.

#[derive(Debug, Default)]
pub struct YamlShape {
    /// Top-level keys in order (first 64).
    pub keys: Vec<String>,
    /// A top-level `Transform` names `AWS::Serverless-2016-10-31` (as a value or list item).
    pub sam_transform: bool,
    /// `Type:` values found inside the top-level `Resources:` block (first 16).
    pub resource_types: Vec<String>,
    /// The document starts with a flow mapping (`{`): it is JSON (or flow YAML).
    pub flow: bool,
}

impl YamlShape {
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

/// A top-level key: `Key:` at column 0, optionally quoted, followed by a space, a comment or
/// the end of the line.
fn top_key(line: &str) -> Option<(&str, &str)> {
    let first = line.bytes().next()?;
    if matches!(
        first,
        b' ' | b'\t' | b'#' | b'-' | b'%' | b'.' | b'{' | b'['
    ) {
        return None;
    }
    let (key, rest) = if first == b'"' || first == b'\'' {
        let q = char::from(first);
        let end = line[1..].find(q)? + 1;
        (&line[1..end], line[end + 1..].strip_prefix(':')?)
    } else {
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(str::len))?;
        (&line[..colon], &line[colon + 1..])
    };
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key.trim_end(), rest.trim()))
}

/// A scalar with quotes and a trailing comment removed.
fn scalar(v: &str) -> &str {
    let v = match v.find(" #") {
        Some(i) => &v[..i],
        None => v,
    };
    v.trim().trim_matches(['"', '\''])
}

/// Collects the values of `Type:` keys on one line of the `Resources` section, in block style
/// (`Type: AWS::IAM::Role`) and in flow style (`R: {Type: AWS::IAM::Role, Properties: ...}`),
/// so that a template written in flow style is not skipped by discovery.
fn types_in(line: &str, out: &mut Vec<String>) {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(i) = line[from..].find("Type") {
        let at = from + i;
        from = at + 4;
        let before_ok = at == 0
            || matches!(
                bytes[at - 1],
                b' ' | b'\t' | b'{' | b',' | b'"' | b'\'' | b'-'
            );
        if !before_ok {
            continue;
        }
        let mut rest = &line[at + 4..];
        rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let Some(v) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let end = v.find([',', '}']).unwrap_or(v.len());
        let value = scalar(&v[..end]);
        if !value.is_empty() && out.len() < 16 {
            out.push(value.to_string());
        }
    }
}

/// Scans the first lines of a YAML document.
pub fn scan(text: &str) -> YamlShape {
    let mut shape = YamlShape::default();
    let mut section = "";
    let mut seen_content = false;
    // the column of the root mapping's keys
    let mut root: Option<usize> = None;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !seen_content {
            seen_content = true;
            if trimmed.starts_with('{') {
                shape.flow = true;
                return shape;
            }
        }
        if line == "---" || line.starts_with("--- ") || line.starts_with('%') {
            continue;
        }
        // the root mapping may be indented (`---` then `  AWSTemplateFormatVersion: ...`, valid
        // YAML that CloudFormation reads; red team 60): its keys are at the first content
        // line's column
        let indent = line.len() - line.trim_start_matches(' ').len();
        let root = *root.get_or_insert(indent);
        if let Some((key, value)) = (indent == root).then(|| top_key(&line[indent..])).flatten() {
            if shape.keys.len() < 64 {
                shape.keys.push(key.to_string());
            }
            section = if key == "Resources" || key == "Transform" {
                if key == "Transform" && scalar(value).contains("AWS::Serverless-2016-10-31") {
                    shape.sam_transform = true;
                }
                if key == "Resources" {
                    // `Resources: {R: {Type: AWS::...}}` in flow style
                    types_in(value, &mut shape.resource_types);
                    "Resources"
                } else {
                    "Transform"
                }
            } else {
                ""
            };
            continue;
        }
        match section {
            "Transform" if trimmed.contains("AWS::Serverless-2016-10-31") => {
                shape.sam_transform = true;
            }
            "Resources" => types_in(trimmed, &mut shape.resource_types),
            _ => {}
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sam_template() {
        let s = scan(
            "# comment\n---\nAWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function # the function\n    Properties:\n      Handler: x\n",
        );
        assert_eq!(
            s.keys,
            ["AWSTemplateFormatVersion", "Transform", "Resources"]
        );
        assert!(s.sam_transform);
        assert_eq!(s.resource_types, ["AWS::Serverless::Function"]);
        let s = scan(
            "Transform:\n  - AWS::Serverless-2016-10-31\n\"Resources\":\n  R: {Type: \"AWS::S3::Bucket\"}\n",
        );
        assert!(s.sam_transform);
        assert!(s.has("Resources"));
    }

    /// An indented root mapping is still the root (PyYAML and CloudFormation read it; the
    /// awslabs template `VPC_With_Managed_NAT_And_Private_Subnet.yaml` is written so).
    #[test]
    fn indented_root_mapping() {
        let s = scan(
            "---\n  AWSTemplateFormatVersion: \"2010-09-09\"\n  Resources:\n    Role:\n      Type: AWS::IAM::Role\n",
        );
        assert_eq!(s.keys, ["AWSTemplateFormatVersion", "Resources"]);
        assert_eq!(s.resource_types, ["AWS::IAM::Role"]);
        // (a deeper line is no root key)
        let s = scan("  A: 1\n    B: 2\n  C: 3\n");
        assert_eq!(s.keys, ["A", "C"]);
    }

    #[test]
    fn flow_style_resources() {
        let s = scan(
            "Resources:\n  R: {Type: AWS::IAM::Role, Properties: {}}\n  Q: {\"Type\": \"AWS::SQS::Queue\"}\n",
        );
        assert_eq!(s.resource_types, ["AWS::IAM::Role", "AWS::SQS::Queue"]);
        let s = scan("Resources: {R: {Type: AWS::IAM::Role}}\n");
        assert_eq!(s.resource_types, ["AWS::IAM::Role"]);
        let s = scan(
            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleType: x\n",
        );
        assert_eq!(s.resource_types, ["AWS::IAM::Role"]);
    }

    #[test]
    fn other_yaml() {
        let s = scan("name: CI\non:\n  push:\njobs:\n  build:\n    runs-on: ubuntu-latest\n");
        assert_eq!(s.keys, ["name", "on", "jobs"]);
        assert!(s.resource_types.is_empty());
        assert!(scan("  {\"a\": 1}").flow);
        assert_eq!(scan("url: http://x:80\n").keys, ["url"]);
    }
}
