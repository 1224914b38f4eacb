//! What a connector generates: its profile's variables filled as SAM fills them, and the
//! managed policy, queue or topic policy or Lambda permissions of the selected access
//! categories.

use super::super::resolve::string;
use super::super::{Attached, Builder, DocKind, PrincipalKind, text_of};
use super::{Connector, End, REFERENCE, logical_id_of, member, obj, profiles};
use crate::parse::ParseError;
use crate::parse::json::{Kind, Member, Value};
use crate::source::Span;

/// `%{Source.Arn}`-style variables replaced as SAM replaces them: a string that is only the
/// variable becomes its value; a string that holds it becomes `Fn::Sub` with the value as a
/// variable; a string with `${...}` (pseudo parameters) becomes `Fn::Sub`.
fn replace(v: &Value, vars: &[(&str, Option<&Value>)]) -> Result<Value, String> {
    let span = v.span;
    let kind = match &v.kind {
        Kind::String(s) => return replace_str(s, vars, span),
        Kind::Object(m) => Kind::Object(
            m.iter()
                .map(|x| {
                    Ok(Member {
                        key: x.key.clone(),
                        key_span: x.key_span,
                        value: replace(&x.value, vars)?,
                    })
                })
                .collect::<Result<_, String>>()?,
        ),
        Kind::Array(a) => Kind::Array(
            a.iter()
                .map(|x| replace(x, vars))
                .collect::<Result<_, String>>()?,
        ),
        k => k.clone(),
    };
    Ok(Value { kind, span })
}

fn replace_str(s: &str, vars: &[(&str, Option<&Value>)], span: Span) -> Result<Value, String> {
    let mut s = s.to_string();
    let mut subs: Vec<Member> = Vec::new();
    for (name, value) in vars {
        let pattern = format!("%{{{name}}}");
        if !s.contains(&pattern) {
            continue;
        }
        let Some(value) = value else {
            return Err(format!("`{name}` is missing"));
        };
        if s == pattern {
            return Ok((*value).clone());
        }
        let var: String = name.chars().filter(|c| c.is_alphanumeric()).collect();
        s = s.replace(&pattern, &format!("${{{var}}}"));
        subs.push(Member {
            key: var,
            key_span: span,
            value: (*value).clone(),
        });
    }
    if let Some(i) = s.find("%{") {
        let rest = &s[i + 2..];
        if let Some(end) = rest.find('}')
            && end > 0
            && rest[..end]
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return Err(format!(
                "`%{{{}}}` is not a connector variable",
                &rest[..end]
            ));
        }
    }
    // SAM: `re.search(r"\${.+}", s)`
    let needs_sub = s
        .find("${")
        .is_some_and(|i| s[i + 2..].char_indices().skip(1).any(|(_, c)| c == '}'));
    if !needs_sub {
        return Ok(string(s, span));
    }
    let template = string(s, span);
    let arg = if subs.is_empty() {
        template
    } else {
        Value {
            kind: Kind::Array(vec![template, obj(subs, span)]),
            span,
        }
    };
    Ok(obj(vec![member("Fn::Sub", arg)], span))
}

pub(super) fn generate(
    b: &mut Builder<'_, '_>,
    c: &Connector<'_>,
    src: &End,
    dest: &End,
    index: usize,
    multi: bool,
) -> Result<(), ParseError> {
    let r = b.r;
    let all = profiles().map_err(|e| r.err(c.span, e))?;
    let from = all.get("Permissions").and_then(|p| p.get(&src.ty));
    let Some(profile) = from.and_then(|p| p.get(&dest.ty)) else {
        return Err(unsupported(b, c, src, dest, from));
    };
    let kind = profile.get("Type").and_then(Value::as_str).unwrap_or("");
    let Some(props) = profile.get("Properties") else {
        return Err(r.err(c.span, "the SAM connector profile has no `Properties`"));
    };
    let chosen = permissions(b, c, src, dest, props)?;
    // the profile with its variables filled
    let vars = [
        ("Source.Arn", src.arn.as_ref()),
        ("Destination.Arn", dest.arn.as_ref()),
        ("Source.ResourceId", src.resource_id.as_ref()),
        ("Destination.ResourceId", dest.resource_id.as_ref()),
        ("Source.Name", src.name.as_ref()),
        ("Destination.Name", dest.name.as_ref()),
        ("Source.Qualifier", src.qualifier.as_ref()),
        ("Destination.Qualifier", dest.qualifier.as_ref()),
    ];
    let filled =
        replace(&super::super::sam::instantiate(props, c.span, &[]), &vars).map_err(|e| {
            r.err(c.span, format!("connector `{}`: {e}", c.id))
                .with_help(REFERENCE)
        })?;
    let on_source = filled.get("SourcePolicy").map(|v| &v.kind) == Some(&Kind::Bool(true));
    let (owner, which) = if on_source {
        (src, "Source")
    } else {
        (dest, "Destination")
    };
    let suffix = |base: &str| {
        if multi {
            format!("{}{base}Destination{index}", c.id)
        } else {
            format!("{}{base}", c.id)
        }
    };
    let cats = filled.get("AccessCategories");
    let selected = |name: &str| chosen.iter().any(|x| x == name);
    match kind {
        "AWS_IAM_ROLE_MANAGED_POLICY" | "AWS_SQS_QUEUE_POLICY" | "AWS_SNS_TOPIC_POLICY" => {
            let (needed, what) = match kind {
                "AWS_IAM_ROLE_MANAGED_POLICY" => (&owner.role_name, "the IAM role name"),
                "AWS_SQS_QUEUE_POLICY" => (&owner.queue_url, "the SQS queue URL"),
                _ => (&owner.arn, "the SNS topic ARN"),
            };
            let Some(needed) = needed else {
                return Err(r
                    .err(
                        c.span,
                        format!(
                            "connector `{}`: SAM cannot get {what} from the `{which}` resource",
                            c.id
                        ),
                    )
                    .with_help(match kind {
                        "AWS_IAM_ROLE_MANAGED_POLICY" => "with `Id`, SAM takes the role from the resource's role property (`Role`, `RoleArn`) written as `!Ref` or `!GetAtt` of a resource; otherwise give `Type` and `RoleName`",
                        _ => REFERENCE,
                    }));
            };
            let mut statements: Vec<Value> = Vec::new();
            for m in cats.and_then(Value::as_object).unwrap_or_default() {
                if !selected(&m.key) {
                    continue;
                }
                if let Some(Kind::Array(s)) = m.value.get("Statement").map(|s| &s.kind) {
                    statements.extend(s.iter().cloned());
                }
            }
            let doc = obj(
                vec![
                    member("Version", string("2012-10-17".into(), c.span)),
                    member(
                        "Statement",
                        Value {
                            kind: Kind::Array(statements),
                            span: c.span,
                        },
                    ),
                ],
                c.span,
            );
            let resolved = r.value(&doc, 0)?;
            let (name, doc_kind) = match kind {
                "AWS_IAM_ROLE_MANAGED_POLICY" => (suffix("Policy"), DocKind::Identity),
                "AWS_SQS_QUEUE_POLICY" => (suffix("QueuePolicy"), DocKind::Resource),
                _ => (suffix("TopicPolicy"), DocKind::Resource),
            };
            let d = b.doc(
                format!("Resources/{name}/PolicyDocument"),
                doc_kind,
                &resolved,
            );
            if kind == "AWS_IAM_ROLE_MANAGED_POLICY" {
                attach(b, needed, d, &name, &c.id)?;
            }
        }
        "AWS_LAMBDA_PERMISSION" => {
            let Some(function) = &owner.arn else {
                return Err(r.err(
                    c.span,
                    format!(
                        "connector `{}`: SAM cannot get the Lambda function ARN from the `{which}` resource",
                        c.id
                    ),
                ));
            };
            for m in cats.and_then(Value::as_object).unwrap_or_default() {
                if !selected(&m.key) {
                    continue;
                }
                let mut p = vec![member("FunctionName", function.clone())];
                for k in ["Action", "Principal", "SourceArn", "SourceAccount"] {
                    if let Some(v) = m.value.get(k) {
                        p.push(member(k, v.clone()));
                    }
                }
                let res = obj(vec![member("Properties", obj(p, c.span))], c.span);
                let v = super::super::lambda_permission(b, &res)?;
                let name = suffix(&format!("{}LambdaPermission", m.key));
                b.doc(format!("Resources/{name}"), DocKind::Resource, &v);
            }
        }
        other => {
            return Err(r.err(
                c.span,
                format!("the SAM connector profile type `{other}` is not supported"),
            ));
        }
    }
    Ok(())
}

/// The error for a type pair without a profile, naming the destinations SAM supports.
fn unsupported(
    b: &Builder<'_, '_>,
    c: &Connector<'_>,
    src: &End,
    dest: &End,
    from: Option<&Value>,
) -> ParseError {
    let r = b.r;
    let supported: Vec<&str> = from
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|x| x.key.as_str()).collect())
        .unwrap_or_default();
    let help = if supported.is_empty() {
        format!("SAM has no connector from `{}`; {REFERENCE}", src.ty)
    } else {
        format!(
            "from `{}`, SAM connects to {}; {REFERENCE}",
            src.ty,
            supported
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    r.err(
        c.span,
        format!(
            "connector `{}`: SAM has no connector from `{}` to `{}`",
            c.id, src.ty, dest.ty
        ),
    )
    .with_help(help)
}

/// The connector's `Permissions`, checked as SAM checks them: each an access category of the
/// profile, at least one, in a combination the profile accepts; duplicates dropped.
fn permissions(
    b: &Builder<'_, '_>,
    c: &Connector<'_>,
    src: &End,
    dest: &End,
    props: &Value,
) -> Result<Vec<String>, ParseError> {
    let r = b.r;
    let categories: Vec<&Member> = props
        .get("AccessCategories")
        .and_then(Value::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    let valid = categories
        .iter()
        .map(|m| m.key.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Permissions
    let Some(perms) = c.permissions else {
        return Err(r.err(
            c.span,
            format!("the connector `{}` needs `Permissions`", c.id),
        ));
    };
    let Kind::Array(items) = &perms.kind else {
        return Err(r.err(perms.span, "`Permissions` must be a list"));
    };
    let mut chosen: Vec<String> = Vec::new();
    for p in items {
        let Some(name) = p.as_str() else {
            return Err(r.err(p.span, "a `Permissions` entry must be a string"));
        };
        if !categories.iter().any(|m| m.key == name) {
            return Err(r.err(
                p.span,
                format!(
                    "connector `{}`: SAM has no `{name}` permission from `{}` to `{}`; valid values are: {valid}",
                    c.id, src.ty, dest.ty
                ),
            ));
        }
        if !chosen.iter().any(|x| x == name) {
            chosen.push(name.to_string());
        }
    }
    if chosen.is_empty() {
        return Err(r.err(
            perms.span,
            format!(
                "connector `{}`: `Permissions` cannot be empty; valid values are: {valid}",
                c.id
            ),
        ));
    }
    if let Some(Kind::Array(combos)) = props.get("ValidAccessCategories").map(|v| &v.kind) {
        let mut given = chosen.clone();
        given.sort();
        let combos: Vec<Vec<String>> = combos
            .iter()
            .map(|c| {
                let mut v: Vec<String> = match &c.kind {
                    Kind::Array(a) => a
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect(),
                    _ => Vec::new(),
                };
                v.sort();
                v
            })
            .collect();
        if !combos.contains(&given) {
            return Err(r.err(
                perms.span,
                format!(
                    "connector `{}`: SAM accepts from `{}` to `{}` only the permissions {}",
                    c.id,
                    src.ty,
                    dest.ty,
                    combos
                        .iter()
                        .map(|c| c.join(" + "))
                        .collect::<Vec<_>>()
                        .join(", or ")
                ),
            ));
        }
    }
    Ok(chosen)
}

/// Attaches a generated managed policy to the role `role` names: a role of the template (by
/// `Ref` to its logical ID, or by name); a role outside the template is named in a note (the
/// policy is still linted).
fn attach(
    b: &mut Builder<'_, '_>,
    role: &Value,
    doc: usize,
    policy: &str,
    connector: &str,
) -> Result<(), ParseError> {
    let a = Attached::Doc(doc);
    let push = |b: &mut Builder<'_, '_>, i: usize| {
        let p = &mut b.out.principals[i];
        if !p.identity.contains(&a) {
            p.identity.push(a.clone());
        }
    };
    if let Some(lid) = logical_id_of(role)
        && let Some(i) = b
            .out
            .principals
            .iter()
            .position(|p| p.kind == PrincipalKind::Role && p.logical_id == lid)
    {
        push(b, i);
        return Ok(());
    }
    let name = text_of(&b.r.value(role, 0)?);
    // (whatever its case: IAM names are unique regardless of case, red team 42)
    if let Some(i) = b.named(PrincipalKind::Role, &name) {
        push(b, i);
        return Ok(());
    }
    // a name not known may be a role of the template's (red team 42)
    let maybe = b.maybe_named(PrincipalKind::Role, &name);
    for &i in &maybe {
        b.attach_maybe(i, PrincipalKind::Role, &name, Some(a.clone()));
    }
    if !maybe.is_empty() {
        return Ok(());
    }
    b.r.note(
        &format!("Resources/{policy}"),
        &format!(
            "the managed policy connector `{connector}` attaches to the role `{name}`, which is not a role of the template: the policy is linted, but no principal of the template holds it"
        ),
    );
    Ok(())
}
