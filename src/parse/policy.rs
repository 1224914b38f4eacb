//! Spanned JSON tree → policy model, following the IAM grammar strictly.

use super::ParseError;
use super::json::{Kind, Member, Value};
use crate::model::{
    ActionBlock, ActionPattern, CondValue, Condition, Effect, Operator, Policy, PrincipalBlock,
    PrincipalEntry, PrincipalKind, PrincipalValue, ResourceBlock, Spanned, Statement, ValueType,
    Version,
};
use crate::source::{Source, Span};

const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// Converts a parsed JSON value into a policy, or the first grammar error.
pub fn policy_from_value(source: &Source, value: &Value) -> Result<Policy, ParseError> {
    let Kind::Object(members) = &value.kind else {
        return Err(ParseError::new(
            source,
            "not-a-policy",
            value.span,
            format!(
                "a policy document must be a JSON object, found {}",
                value.type_name()
            ),
        )
        .with_help("IAM policies look like {\"Version\": \"2012-10-17\", \"Statement\": [...]}"));
    };
    let mut version = None;
    let mut id = None;
    let mut statements = None;
    for m in members {
        match m.key.as_str() {
            "Version" => version = Some(parse_version(source, &m.value)?),
            "Id" => id = Some(string(source, &m.value, "Id")?),
            "Statement" => statements = Some(m),
            other => return Err(unknown_element(source, m, other, TOP_LEVEL, "policy")),
        }
    }
    let Some(stmt_member) = statements else {
        return Err(ParseError::new(
            source,
            "missing-statement",
            Span::new(value.span.start as usize, value.span.start as usize + 1),
            "the policy has no `Statement` element",
        )
        .with_help("add a `Statement` list with at least one statement"));
    };
    let (items, is_object): (Vec<&Value>, bool) = match &stmt_member.value.kind {
        Kind::Object(_) => (vec![&stmt_member.value], true),
        Kind::Array(a) => (a.iter().collect(), false),
        _ => {
            return Err(type_error(
                source,
                &stmt_member.value,
                "Statement",
                "an object or an array of objects",
            ));
        }
    };
    let statements = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| parse_statement(source, i, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Policy {
        source: source.clone(),
        version,
        id,
        statements,
        statement_is_object: is_object,
        statement_key_span: stmt_member.key_span,
        span: value.span,
        json_size: None,
    })
}

/// [`policy_from_value`] for a document read from a template (YAML, HCL): the source's text is
/// not the document's JSON, so [`Policy::json_size`] is that of the JSON the tree stands for.
pub fn policy_from_tree(source: &Source, value: &Value) -> Result<Policy, ParseError> {
    let mut p = policy_from_value(source, value)?;
    let json = super::json::to_compact_json(value);
    p.json_size = Some(crate::lint::util::size_excluding_whitespace(&json) as u32);
    Ok(p)
}

fn parse_version(source: &Source, v: &Value) -> Result<Spanned<Version>, ParseError> {
    let s = match &v.kind {
        Kind::String(s) => s.as_str(),
        _ => {
            return Err(type_error(
                source,
                v,
                "Version",
                "the string \"2012-10-17\"",
            ));
        }
    };
    let value = match s {
        "2012-10-17" => Version::V2012_10_17,
        "2008-10-17" => Version::V2008_10_17,
        _ => {
            return Err(ParseError::new(
                source,
                "invalid-version",
                v.span,
                format!("`{s}` is not a policy language version"),
            )
            .with_help("use \"2012-10-17\" (the only other valid value is \"2008-10-17\")"));
        }
    };
    Ok(Spanned {
        value,
        span: v.span,
    })
}

fn parse_statement(source: &Source, index: usize, v: &Value) -> Result<Statement, ParseError> {
    let Kind::Object(members) = &v.kind else {
        return Err(type_error(source, v, "Statement", "an object"));
    };
    let mut sid = None;
    let mut effect = None;
    let mut action: Option<ActionBlock> = None;
    let mut resource: Option<ResourceBlock> = None;
    let mut principal: Option<PrincipalBlock> = None;
    let mut conditions = Vec::new();
    let mut condition_span = None;
    for m in members {
        match m.key.as_str() {
            "Sid" => sid = Some(string(source, &m.value, "Sid")?),
            "Effect" => effect = Some(parse_effect(source, &m.value)?),
            "Action" | "NotAction" => {
                if let Some(prev) = &action {
                    return Err(combination(source, m, prev.key_span, "Action", "NotAction"));
                }
                action = Some(parse_actions(source, m)?);
            }
            "Resource" | "NotResource" => {
                if let Some(prev) = &resource {
                    return Err(combination(
                        source,
                        m,
                        prev.key_span,
                        "Resource",
                        "NotResource",
                    ));
                }
                resource = Some(parse_resources(source, m)?);
            }
            "Principal" | "NotPrincipal" => {
                if let Some(prev) = &principal {
                    return Err(combination(
                        source,
                        m,
                        prev.key_span,
                        "Principal",
                        "NotPrincipal",
                    ));
                }
                principal = Some(parse_principal(source, m)?);
            }
            "Condition" => {
                conditions = parse_conditions(source, &m.value)?;
                condition_span = Some(m.key_span.to(m.value.span));
            }
            other => {
                return Err(unknown_element(
                    source,
                    m,
                    other,
                    STATEMENT_ELEMENTS,
                    "statement",
                ));
            }
        }
    }
    let open = Span::new(v.span.start as usize, v.span.start as usize + 1);
    let Some(effect) = effect else {
        return Err(ParseError::new(
            source,
            "missing-effect",
            open,
            format!("statement {index} has no `Effect`"),
        )
        .with_help("add \"Effect\": \"Allow\" or \"Effect\": \"Deny\"; IAM never defaults it"));
    };
    let Some(action) = action else {
        return Err(ParseError::new(
            source,
            "missing-action",
            open,
            format!("statement {index} has neither `Action` nor `NotAction`"),
        )
        .with_help("every statement must name its actions with `Action` or `NotAction`"));
    };
    Ok(Statement {
        index,
        sid,
        effect,
        action,
        resource,
        principal,
        conditions,
        condition_span,
        span: v.span,
    })
}

fn parse_effect(source: &Source, v: &Value) -> Result<Spanned<Effect>, ParseError> {
    let value = match &v.kind {
        Kind::String(s) if s == "Allow" => Effect::Allow,
        Kind::String(s) if s == "Deny" => Effect::Deny,
        Kind::String(s) => {
            let help = if s.eq_ignore_ascii_case("allow") || s.eq_ignore_ascii_case("deny") {
                "the Effect value is case-sensitive: write exactly \"Allow\" or \"Deny\""
            } else {
                "the Effect must be \"Allow\" or \"Deny\""
            };
            return Err(ParseError::new(
                source,
                "invalid-effect",
                v.span,
                format!("`{s}` is not a valid Effect"),
            )
            .with_help(help));
        }
        _ => return Err(type_error(source, v, "Effect", "\"Allow\" or \"Deny\"")),
    };
    Ok(Spanned {
        value,
        span: v.span,
    })
}

/// A string or an array of strings, as (items, was_string).
fn string_list(
    source: &Source,
    v: &Value,
    element: &str,
) -> Result<(Vec<Spanned<String>>, bool), ParseError> {
    match &v.kind {
        Kind::String(s) => Ok((
            vec![Spanned {
                value: s.clone(),
                span: v.span,
            }],
            true,
        )),
        Kind::Array(items) => items
            .iter()
            .map(|i| match &i.kind {
                Kind::String(s) => Ok(Spanned {
                    value: s.clone(),
                    span: i.span,
                }),
                _ => Err(type_error(
                    source,
                    i,
                    element,
                    "a string (each item of the array)",
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| (v, false)),
        _ => Err(type_error(
            source,
            v,
            element,
            "a string or an array of strings",
        )),
    }
}

fn parse_actions(source: &Source, m: &Member) -> Result<ActionBlock, ParseError> {
    let (items, was_string) = string_list(source, &m.value, &m.key)?;
    Ok(ActionBlock {
        negated: m.key == "NotAction",
        items: items
            .into_iter()
            .map(|s| ActionPattern::new(s.value, s.span))
            .collect(),
        was_string,
        key_span: m.key_span,
        span: m.value.span,
    })
}

fn parse_resources(source: &Source, m: &Member) -> Result<ResourceBlock, ParseError> {
    let (items, was_string) = string_list(source, &m.value, &m.key)?;
    Ok(ResourceBlock {
        negated: m.key == "NotResource",
        items,
        was_string,
        key_span: m.key_span,
        span: m.value.span,
    })
}

fn parse_principal(source: &Source, m: &Member) -> Result<PrincipalBlock, ParseError> {
    let value = match &m.value.kind {
        Kind::String(s) if s == "*" => PrincipalValue::Star,
        Kind::String(s) => {
            return Err(ParseError::new(
                source,
                "invalid-principal",
                m.value.span,
                format!(
                    "`{s}` is not a valid {}: only \"*\" may be a bare string",
                    m.key
                ),
            )
            .with_help(format!(
                "write {{\"AWS\": \"{s}\"}} (or \"Service\", \"Federated\", \"CanonicalUser\")"
            )));
        }
        Kind::Object(entries) => {
            let mut out = Vec::new();
            for e in entries {
                let Some(kind) = PrincipalKind::from_key(&e.key) else {
                    return Err(ParseError::new(
                        source,
                        "invalid-principal",
                        e.key_span,
                        format!("`{}` is not a principal type", e.key),
                    )
                    .with_help(
                        "principal types are \"AWS\", \"Service\", \"Federated\" and \"CanonicalUser\" (case-sensitive)",
                    ));
                };
                let (values, was_string) = string_list(source, &e.value, &e.key)?;
                out.push(PrincipalEntry {
                    kind,
                    key_span: e.key_span,
                    values,
                    was_string,
                });
            }
            PrincipalValue::Map(out)
        }
        _ => {
            return Err(type_error(
                source,
                &m.value,
                &m.key,
                "\"*\" or an object such as {\"AWS\": [...]}",
            ));
        }
    };
    Ok(PrincipalBlock {
        negated: m.key == "NotPrincipal",
        value,
        key_span: m.key_span,
        span: m.value.span,
    })
}

fn parse_conditions(source: &Source, v: &Value) -> Result<Vec<Condition>, ParseError> {
    let Kind::Object(ops) = &v.kind else {
        return Err(type_error(
            source,
            v,
            "Condition",
            "an object of operators, such as {\"StringEquals\": {...}}",
        ));
    };
    let mut out = Vec::new();
    for op_member in ops {
        let Some(op) = Operator::parse(&op_member.key) else {
            return Err(unknown_operator(source, op_member));
        };
        let Kind::Object(keys) = &op_member.value.kind else {
            return Err(type_error(
                source,
                &op_member.value,
                &op_member.key,
                "an object of condition keys and values",
            ));
        };
        for k in keys {
            let (values, scalar) = match &k.value.kind {
                Kind::Array(items) => (
                    items
                        .iter()
                        .map(|i| cond_value(source, i, &k.key))
                        .collect::<Result<Vec<_>, _>>()?,
                    false,
                ),
                _ => (vec![cond_value(source, &k.value, &k.key)?], true),
            };
            out.push(Condition {
                op,
                op_span: op_member.key_span,
                key: k.key.clone(),
                key_lower: k.key.to_ascii_lowercase(),
                key_span: k.key_span,
                values,
                value_was_scalar: scalar,
                values_span: k.value.span,
            });
        }
    }
    Ok(out)
}

fn cond_value(source: &Source, v: &Value, key: &str) -> Result<CondValue, ParseError> {
    let (text, json_type) = match &v.kind {
        Kind::String(s) => (s.clone(), ValueType::String),
        Kind::Bool(b) => (b.to_string(), ValueType::Bool),
        Kind::Number(n) => (n.clone(), ValueType::Number),
        _ => {
            return Err(ParseError::new(
                source,
                "invalid-condition-value",
                v.span,
                format!(
                    "the value of condition key `{key}` is {}; it must be a string, a number, a boolean or an array of them",
                    v.type_name()
                ),
            ));
        }
    };
    Ok(CondValue {
        text,
        span: v.span,
        json_type,
    })
}

fn string(source: &Source, v: &Value, element: &str) -> Result<Spanned<String>, ParseError> {
    match &v.kind {
        Kind::String(s) => Ok(Spanned {
            value: s.clone(),
            span: v.span,
        }),
        _ => Err(type_error(source, v, element, "a string")),
    }
}

fn type_error(source: &Source, v: &Value, element: &str, expected: &str) -> ParseError {
    ParseError::new(
        source,
        "invalid-element-type",
        v.span,
        format!("`{element}` must be {expected}, found {}", v.type_name()),
    )
}

fn combination(source: &Source, m: &Member, prev: Span, a: &str, b: &str) -> ParseError {
    ParseError::new(
        source,
        "unsupported-element-combination",
        m.key_span,
        format!("a statement cannot have both `{a}` and `{b}`"),
    )
    .with_related(prev, "already given here")
    .with_help(format!("keep either `{a}` or `{b}`"))
}

fn unknown_element(
    source: &Source,
    m: &Member,
    name: &str,
    valid: &[&str],
    level: &str,
) -> ParseError {
    let mut err = ParseError::new(
        source,
        "invalid-policy-element",
        m.key_span,
        format!("`{name}` is not a valid {level} element"),
    );
    if let Some(s) = nearest(name, valid) {
        err = err.with_help(format!("did you mean `{s}`?"));
    } else {
        err = err.with_help(format!("valid {level} elements: {}", valid.join(", ")));
    }
    err
}

fn unknown_operator(source: &Source, m: &Member) -> ParseError {
    let all: Vec<String> = crate::model::OpBase::ALL
        .iter()
        .map(|o| o.as_str().to_string())
        .collect();
    let (prefix, rest) = match m.key.split_once(':') {
        Some((p, r)) => (format!("{p}:"), r),
        None => (String::new(), m.key.as_str()),
    };
    let base = rest.strip_suffix("IfExists").unwrap_or(rest);
    let exact_ci = all.iter().find(|o| o.eq_ignore_ascii_case(base));
    let refs: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
    let suggestion = exact_ci
        .cloned()
        .or_else(|| nearest(base, &refs).map(str::to_string));
    let mut err = ParseError::new(
        source,
        "invalid-condition-operator",
        m.key_span,
        format!("`{}` is not a condition operator", m.key),
    );
    let help = match suggestion {
        Some(s) => format!(
            "operator names are case-sensitive; did you mean `{prefix}{s}{}`?",
            if rest.ends_with("IfExists") {
                "IfExists"
            } else {
                ""
            }
        ),
        None => "see the IAM condition operators reference for the valid names".to_string(),
    };
    err = err.with_help(help);
    err
}

/// The closest candidate by edit distance (case-insensitive), if it is close enough.
pub(crate) fn nearest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use crate::parse::parse_policy;
    use crate::source::Source;

    fn err(text: &str) -> (String, String) {
        let e = parse_policy(&Source::new("t.json", text)).unwrap_err();
        (e.code.to_string(), e.help.unwrap_or_default())
    }

    #[test]
    fn normalises_shapes() {
        let p = parse_policy(&Source::new(
            "t.json",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":[10, "20"]}}}}"#,
        ))
        .unwrap();
        assert!(p.statement_is_object);
        let s = &p.statements[0];
        assert!(s.action.was_string);
        assert_eq!(s.action.items[0].lower, "s3:getobject");
        assert_eq!(s.conditions.len(), 2);
        assert_eq!(s.conditions[0].values[0].text, "true");
        assert_eq!(s.conditions[1].values[1].text, "20");
        assert_eq!(s.conditions[0].key_lower, "aws:securetransport");
        assert!(p.variables_enabled());
    }

    #[test]
    fn grammar_errors_are_located_and_coded() {
        assert_eq!(err(r#"{"Version":"2012-10-17"}"#).0, "missing-statement");
        assert_eq!(err(r#"[]"#).0, "not-a-policy");
        assert_eq!(
            err(r#"{"Version":"2012-10-18","Statement":[]}"#).0,
            "invalid-version"
        );
        assert_eq!(
            err(r#"{"Statment":[]}"#),
            (
                "invalid-policy-element".into(),
                "did you mean `Statement`?".into()
            )
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#).0,
            "invalid-effect"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Action":"*","Resource":"*"}]}"#).0,
            "missing-effect"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#).0,
            "missing-action"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}]}"#).0,
            "unsupported-element-combination"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Conditon":{}}]}"#),
            (
                "invalid-policy-element".into(),
                "did you mean `Condition`?".into()
            )
        );
        let (code, help) = err(
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"stringEquals":{"a":"b"}}}]}"#,
        );
        assert_eq!(code, "invalid-condition-operator");
        assert!(help.contains("`StringEquals`"), "{help}");
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":null}}}]}"#).0,
            "invalid-condition-value"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":[["b"]]}}}]}"#).0,
            "invalid-condition-value"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"arn:aws:iam::1:root"}]}"#).0,
            "invalid-principal"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"aws":"*"}}]}"#).0,
            "invalid-principal"
        );
        assert_eq!(
            err(r#"{"Statement":[{"Effect":"Allow","Action":[1],"Resource":"*"}]}"#).0,
            "invalid-element-type"
        );
        assert_eq!(
            err(
                r#"{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}]}"#
            )
            .0,
            "duplicate-key"
        );
    }
}
