//! `Fn::ForEach` of the `AWS::LanguageExtensions` transform, expanded before anything else
//! reads the template
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html>):
//!
//! ```yaml
//! 'Fn::ForEach::LoopLogicalName':
//!   - Identifier
//!   - [Value1, Value2]          # or !Ref a CommaDelimitedList / List<...> parameter
//!   - 'OutputKey${Identifier}':
//!       OutputValue
//! ```
//!
//! For each value of the collection, the fragment is copied with every `${Identifier}` and
//! `&{Identifier}` in its keys and values replaced by the value (`&{}` keeps only the value's
//! letters and digits), and every `{"Ref": "Identifier"}` by the value itself; the loop member
//! is replaced by the copies' members. Loops nest (the copies are expanded again). The loop may
//! stand in `Conditions`, `Resources` (and inside resources), and `Outputs`.
//!
//! A collection that cannot be known offline (a parameter without a value, another intrinsic)
//! is an error, never a guess: the loop could make any number of resources. At most
//! [`MAX_MEMBERS`] members are made in all.

use std::collections::BTreeMap;

use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::Source;

use super::resolve::Inputs;

const PREFIX: &str = "Fn::ForEach::";

/// The help of a collection the template reader cannot know (the template may be valid: the
/// loop's members are not known offline).
const OFFLINE_HELP: &str = "the loop could make any number of resources: give the parameters it reads with --template-param NAME=VALUE, or write the collection as a list";

/// The most members all loops of a template may make.
const MAX_MEMBERS: usize = 10_000;

/// Whether the template holds an `Fn::ForEach` loop anywhere (in the sections it may stand in).
pub fn has_loops(root: &Value) -> bool {
    fn go(v: &Value, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match &v.kind {
            Kind::Object(m) => m
                .iter()
                .any(|x| x.key.starts_with(PREFIX) || go(&x.value, depth + 1)),
            Kind::Array(a) => a.iter().any(|x| go(x, depth + 1)),
            _ => false,
        }
    }
    go(root, 0)
}

/// The template with its loops expanded.
pub fn expand(source: &Source, root: &Value, inputs: &Inputs) -> Result<Value, ParseError> {
    let mut x = Expander {
        source,
        mappings: root.get("Mappings"),
        lists: parameter_lists(root, inputs),
        made: 0,
        nodes: 0,
        bytes: 0,
    };
    x.value(root, 0)
}

struct Expander<'a> {
    source: &'a Source,
    /// The template's `Mappings` section, for a collection read from a mapping.
    mappings: Option<&'a Value>,
    /// The values of the template's parameters, as lists (`None`: no value known).
    lists: BTreeMap<String, Option<Vec<String>>>,
    made: usize,
    /// Nodes written by all copies, bounded as the YAML reader bounds a document
    /// ([`crate::iac::yaml::MAX_NODES`]): a loop over a long list of a large fragment cannot
    /// take unbounded memory.
    nodes: usize,
    /// Bytes of scalar and key text written by all copies, bounded as the YAML reader bounds
    /// a document ([`crate::iac::yaml::MAX_TEXT_BYTES`]): few nodes may hold long strings.
    bytes: usize,
}

/// The bytes of scalar and key text of a value (counting stops past `limit`).
fn text_bytes(v: &Value, limit: usize) -> usize {
    match &v.kind {
        Kind::String(t) | Kind::Number(t) => t.len(),
        Kind::Object(m) => {
            let mut n = 0;
            for x in m {
                if n > limit {
                    break;
                }
                n += x.key.len() + text_bytes(&x.value, limit - n);
            }
            n
        }
        Kind::Array(a) => {
            let mut n = 0;
            for x in a {
                if n > limit {
                    break;
                }
                n += text_bytes(x, limit - n);
            }
            n
        }
        _ => 0,
    }
}

/// The nodes of a value (at most `limit + 1` counted).
fn size(v: &Value, limit: usize) -> usize {
    let mut n = 1;
    match &v.kind {
        Kind::Object(m) => {
            for x in m {
                if n > limit {
                    break;
                }
                n += size(&x.value, limit - n.min(limit));
            }
        }
        Kind::Array(a) => {
            for x in a {
                if n > limit {
                    break;
                }
                n += size(x, limit - n.min(limit));
            }
        }
        _ => {}
    }
    n
}

impl Expander<'_> {
    fn err(&self, span: crate::source::Span, msg: impl Into<String>) -> ParseError {
        ParseError::new(self.source, "undecodable-document", span, msg.into())
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<Value, ParseError> {
        if depth > 128 {
            return Err(self.err(v.span, "`Fn::ForEach` nests too deep"));
        }
        Ok(match &v.kind {
            Kind::Object(m) => {
                let mut out: Vec<Member> = Vec::with_capacity(m.len());
                for x in m {
                    if x.key.starts_with(PREFIX) {
                        for made in self.for_each(x, depth)? {
                            if out.iter().any(|o| o.key == made.key) {
                                return Err(self.err(
                                    made.key_span,
                                    format!("`{}` makes the key `{}` twice", x.key, made.key),
                                ));
                            }
                            out.push(made);
                        }
                    } else {
                        // (a literal after a loop that made the same key: CloudFormation
                        // rejects the duplicate)
                        if out.iter().any(|o| o.key == x.key) {
                            return Err(self.err(
                                x.key_span,
                                format!(
                                    "the key `{}` is also made by an `Fn::ForEach` loop",
                                    x.key
                                ),
                            ));
                        }
                        out.push(Member {
                            key: x.key.clone(),
                            key_span: x.key_span,
                            value: self.value(&x.value, depth + 1)?,
                        });
                    }
                }
                Value {
                    kind: Kind::Object(out),
                    span: v.span,
                }
            }
            Kind::Array(a) => Value {
                kind: Kind::Array(
                    a.iter()
                        .map(|x| self.value(x, depth + 1))
                        .collect::<Result<_, _>>()?,
                ),
                span: v.span,
            },
            _ => v.clone(),
        })
    }

    /// The members one loop makes (its nested loops expanded).
    fn for_each(&mut self, m: &Member, depth: usize) -> Result<Vec<Member>, ParseError> {
        let bad = |e: &Self| {
            e.err(
                m.value.span,
                format!(
                    "`{}` takes [identifier, collection, {{output key: output value}}]",
                    m.key
                ),
            )
        };
        let Kind::Array(parts) = &m.value.kind else {
            return Err(bad(self));
        };
        let [id, collection, fragment] = parts.as_slice() else {
            return Err(bad(self));
        };
        let (Some(id), Kind::Object(_)) = (id.as_str(), &fragment.kind) else {
            return Err(bad(self));
        };
        let values = self.collection(collection)?;
        let limit = crate::iac::yaml::MAX_NODES;
        let each = size(fragment, limit);
        let text_limit = crate::iac::yaml::MAX_TEXT_BYTES;
        let each_bytes = text_bytes(fragment, text_limit);
        let mut out = Vec::new();
        for value in &values {
            self.made += 1;
            if self.made > MAX_MEMBERS {
                return Err(self.err(
                    m.key_span,
                    format!("`Fn::ForEach` makes more than {MAX_MEMBERS} members"),
                ));
            }
            // (each copy's text, the value substituted aside: at most the value's length more
            // per mention, counted with the value below)
            self.bytes += each_bytes + value.len();
            if self.bytes > text_limit {
                return Err(self.err(
                    m.key_span,
                    format!(
                        "`Fn::ForEach` makes more than {} MiB of text",
                        text_limit >> 20
                    ),
                ));
            }
            self.nodes += each;
            if self.nodes > limit {
                return Err(self.err(
                    m.key_span,
                    format!("`Fn::ForEach` makes more than {limit} nodes"),
                ));
            }
            let copy = substitute(fragment, id, value, 0);
            // the copy's own loops, and loops nested deeper
            let Kind::Object(made) = self.value(&copy, depth + 1)?.kind else {
                continue;
            };
            out.extend(made);
        }
        Ok(out)
    }

    fn collection(&self, v: &Value) -> Result<Vec<String>, ParseError> {
        match &v.kind {
            Kind::Array(a) => a
                .iter()
                .map(|x| match &x.kind {
                    Kind::String(s) | Kind::Number(s) => Ok(s.clone()),
                    Kind::Bool(b) => Ok(b.to_string()),
                    _ => Err(self.err(
                        x.span,
                        "an `Fn::ForEach` collection item greenlight cannot read offline",
                    )),
                })
                .collect(),
            Kind::Object(m) if m.len() == 1 && m[0].key == "Ref" => {
                let name = m[0].value.as_str().unwrap_or_default();
                match self.lists.get(name) {
                    Some(Some(list)) => Ok(list.clone()),
                    Some(None) => Err(self
                        .err(
                            v.span,
                            format!("the `Fn::ForEach` collection `{name}` has no value"),
                        )
                        .with_help(format!("pass --template-param {name}=A,B,..."))),
                    None => Err(self.err(
                        v.span,
                        format!("the `Fn::ForEach` collection `{name}` is not a parameter"),
                    )),
                }
            }
            // a list in the template's `Mappings`, its keys literal or parameters with one
            // value (cfn-lint's `templates/good/functions/foreach.yaml` writes the collection so)
            Kind::Object(m) if m.len() == 1 && m[0].key == "Fn::FindInMap" => {
                match self.find_in_map(&m[0].value) {
                    Some(list) => self.collection(list),
                    None => Err(self
                        .err(
                            v.span,
                            "an `Fn::ForEach` collection `Fn::FindInMap` greenlight cannot read offline (its keys are literal or parameters with one value, its value a list)",
                        )
                        .with_help(OFFLINE_HELP)),
                }
            }
            _ => Err(self
                .err(
                    v.span,
                    "an `Fn::ForEach` collection greenlight cannot read offline (a list, a `Ref` to a list parameter or an `Fn::FindInMap` of a list)",
                )
                .with_help(OFFLINE_HELP)),
        }
    }

    /// The value `Fn::FindInMap` arguments `args` name in the template's `Mappings`, when
    /// every key is a literal or a `Ref` to a parameter with one value.
    fn find_in_map(&self, args: &Value) -> Option<&Value> {
        let Kind::Array(a) = &args.kind else {
            return None;
        };
        if a.len() != 3 {
            return None;
        }
        let key = |x: &Value| -> Option<String> {
            match &x.kind {
                Kind::String(s) | Kind::Number(s) => Some(s.clone()),
                Kind::Object(m) if m.len() == 1 && m[0].key == "Ref" => {
                    match self.lists.get(m[0].value.as_str()?)? {
                        Some(list) if list.len() == 1 => list.first().cloned(),
                        _ => None,
                    }
                }
                _ => None,
            }
        };
        let mut at = self.mappings?;
        for x in a {
            at = at.get(&key(x)?)?;
        }
        matches!(at.kind, Kind::Array(_)).then_some(at)
    }
}

/// Each parameter's value (given, else its default) split into a list at commas, as
/// CloudFormation splits a `CommaDelimitedList`.
fn parameter_lists(root: &Value, inputs: &Inputs) -> BTreeMap<String, Option<Vec<String>>> {
    let mut out = BTreeMap::new();
    let Some(params) = root.get("Parameters").and_then(Value::as_object) else {
        return out;
    };
    for p in params {
        let ty = p
            .value
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("String");
        if inputs.previous.contains(&p.key) {
            out.insert(p.key.clone(), None);
            continue;
        }
        let text = inputs.params.get(&p.key).cloned().or_else(|| {
            if ty.starts_with("AWS::SSM::Parameter::Value") {
                return None;
            }
            match p.value.get("Default").map(|d| &d.kind) {
                Some(Kind::String(s) | Kind::Number(s)) => Some(s.clone()),
                Some(Kind::Array(a)) => Some(
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                _ => None,
            }
        });
        let list = text.map(|t| {
            if t.is_empty() {
                Vec::new()
            } else {
                t.split(',').map(|x| x.trim().to_string()).collect()
            }
        });
        out.insert(p.key.clone(), list);
    }
    out
}

/// `v` with the loop identifier replaced by `value`.
fn substitute(v: &Value, id: &str, value: &str, depth: usize) -> Value {
    let text = |s: &str| replace(s, id, value);
    let kind = match &v.kind {
        Kind::String(s) => Kind::String(text(s)),
        Kind::Object(m) if m.len() == 1 && m[0].key == "Ref" && m[0].value.as_str() == Some(id) => {
            Kind::String(value.to_string())
        }
        Kind::Object(m) if depth < 256 => Kind::Object(
            m.iter()
                .map(|x| Member {
                    key: text(&x.key),
                    key_span: x.key_span,
                    value: substitute(&x.value, id, value, depth + 1),
                })
                .collect(),
        ),
        Kind::Array(a) if depth < 256 => Kind::Array(
            a.iter()
                .map(|x| substitute(x, id, value, depth + 1))
                .collect(),
        ),
        k => k.clone(),
    };
    Value { kind, span: v.span }
}

/// `${id}` → `value`, `&{id}` → `value` without its non-alphanumeric characters.
fn replace(s: &str, id: &str, value: &str) -> String {
    if !s.contains(id) {
        return s.to_string();
    }
    let alnum: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
    s.replace(&format!("${{{id}}}"), value)
        .replace(&format!("&{{{id}}}"), &alnum)
}

#[cfg(test)]
mod tests {
    /// A literal key that a loop before it also made is an error, as CloudFormation rejects
    /// the duplicate.
    #[test]
    fn a_literal_after_a_loop_with_the_same_key_is_an_error() {
        let text = r#"{"Transform":"AWS::LanguageExtensions","Resources":{"Fn::ForEach::L":["X",["A"],{"Role${X}":{"Type":"AWS::S3::Bucket"}}],"RoleA":{"Type":"AWS::S3::Bucket"}}}"#;
        let source = crate::source::Source::new("t.json", text);
        let root = crate::parse::json::parse(&source.text).unwrap();
        let e = super::expand(&source, &root, &super::Inputs::default()).unwrap_err();
        assert!(e.message.contains("also made by"), "{}", e.message);
    }

    /// A loop over a long list of a large fragment stops at the node bound (hostile input).
    #[test]
    fn loops_are_bounded() {
        let mut fragment = String::from("[");
        for i in 0..2000 {
            fragment.push_str(&format!("{i},"));
        }
        fragment.push_str("0]");
        let values: Vec<String> = (0..2000).map(|i| format!("v{i}")).collect();
        let text = format!(
            "{{\"Transform\":\"AWS::LanguageExtensions\",\"Resources\":{{\"Fn::ForEach::L\":[\"X\",{:?},{{\"R${{X}}\":{{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{{\"Tags\":{fragment}}}}}}}]}}}}",
            values
        );
        let source = crate::source::Source::new("t.json", text);
        let root = crate::parse::json::parse(&source.text).unwrap();
        let e = super::expand(&source, &root, &super::Inputs::default()).unwrap_err();
        assert!(e.message.contains("nodes"), "{}", e.message);
    }

    /// A collection read from the template's `Mappings` (`!FindInMap [Buckets, !Ref Env,
    /// Identifiers]`, cfn-lint's `templates/good/functions/foreach.yaml`): expanded when every
    /// key is known, an error naming the parameters to give when one is not (red team 70a).
    #[test]
    fn a_collection_from_mappings_is_expanded_when_its_keys_are_known() {
        let text = r#"{"Transform":"AWS::LanguageExtensions","Parameters":{"Env":{"Type":"String"}},"Mappings":{"Buckets":{"Prod":{"Ids":["A","B"]}}},"Resources":{"Fn::ForEach::L":["X",{"Fn::FindInMap":["Buckets",{"Ref":"Env"},"Ids"]},{"Bucket${X}":{"Type":"AWS::S3::Bucket"}}]}}"#;
        let source = crate::source::Source::new("t.json", text);
        let root = crate::parse::json::parse(&source.text).unwrap();
        let mut inputs = super::Inputs::default();
        inputs.params.insert("Env".into(), "Prod".into());
        let v = super::expand(&source, &root, &inputs).unwrap();
        let resources = v.get("Resources").unwrap();
        assert!(resources.get("BucketA").is_some() && resources.get("BucketB").is_some());
        let e = super::expand(&source, &root, &super::Inputs::default()).unwrap_err();
        assert!(e.message.contains("Fn::FindInMap"), "{}", e.message);
        assert!(
            e.help
                .as_deref()
                .is_some_and(|h| h.contains("--template-param"))
        );
        // a key the mapping does not hold, or a value that is no list, is not read
        inputs.params.insert("Env".into(), "Dev".into());
        assert!(super::expand(&source, &root, &inputs).is_err());
    }

    #[test]
    fn ampersand_keeps_only_letters_and_digits() {
        // the documentation's example: `&{}` lets a collection hold non-alphanumeric values
        assert_eq!(super::replace("Topic&{T}", "T", "a-b.c"), "Topicabc");
        assert_eq!(super::replace("arn:${T}", "T", "a-b"), "arn:a-b");
        assert_eq!(super::replace("${Other}", "T", "x"), "${Other}");
    }
}
