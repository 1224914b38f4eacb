//! `AWS::Serverless::Function` and `AWS::Serverless::StateMachine` (SAM): the execution role
//! SAM generates, its `Policies`
//! (AWS managed policy names and ARNs, inline documents, and SAM policy templates expanded from
//! SAM's published `policy_templates.json`, shipped in `data/sam/`).
//!
//! SAM's behaviour followed here:
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html>
//! and <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html>.

use std::sync::OnceLock;

use super::resolve::string;
use super::{Attached, Builder, DocKind, Principal, PrincipalKind, text_of};
use crate::parse::ParseError;
use crate::parse::json::{self, Kind, Member, Value};
use crate::source::Span;

static TEMPLATES: &str = include_str!("../../../data/sam/policy_templates.json");

/// SAM's policy templates, parsed once.
fn templates() -> Result<&'static Value, String> {
    static T: OnceLock<Result<Value, String>> = OnceLock::new();
    T.get_or_init(|| {
        json::parse(TEMPLATES)
            .map_err(|e| format!("the shipped SAM policy templates are invalid: {}", e.kind))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// A copy of `v` with every span set to `span` and every `{"Ref": P}` of a template
/// parameter replaced by the value the function gives for it.
pub(super) fn instantiate(v: &Value, span: Span, params: &[Member]) -> Value {
    let kind = match &v.kind {
        Kind::Object(m) => {
            if let [only] = m.as_slice()
                && only.key == "Ref"
                && let Some(p) = only.value.as_str()
                && let Some(given) = params.iter().find(|x| x.key == p)
            {
                return given.value.clone();
            }
            Kind::Object(
                m.iter()
                    .map(|x| Member {
                        key: x.key.clone(),
                        key_span: span,
                        value: instantiate(&x.value, span, params),
                    })
                    .collect(),
            )
        }
        Kind::Array(a) => Kind::Array(a.iter().map(|x| instantiate(x, span, params)).collect()),
        k => k.clone(),
    };
    Value { kind, span }
}

/// The SAM resources that generate an execution role from `Policies`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Serverless {
    /// `AWS::Serverless::Function`: trusts `lambda.amazonaws.com`, with
    /// `AWSLambdaBasicExecutionRole` and what [`super::sam_function`] adds; `Globals.Function`
    /// is merged before.
    Function,
    /// `AWS::Serverless::StateMachine`
    /// (<https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-statemachine.html>):
    /// trusts `states.amazonaws.com`, only the `Policies` given.
    StateMachine,
}

/// The generated execution role of a SAM function (nothing when the function names `Role`).
/// `Globals.Function` is merged first, and the function URL's public permissions are made
/// also when it names `Role`.
pub fn function(b: &mut Builder<'_, '_>, id: &str, res: &Value) -> Result<(), ParseError> {
    let merged = super::sam_function::merged(b, res)?;
    super::sam_function::url_permissions(b, id, &merged)?;
    serverless(b, id, &merged, Serverless::Function)
}

/// The generated execution role of a SAM function or state machine (nothing when it names
/// `Role`).
pub fn serverless(
    b: &mut Builder<'_, '_>,
    id: &str,
    res: &Value,
    what: Serverless,
) -> Result<(), ParseError> {
    let r = b.r;
    if b.prop(res, "Role")?.is_some() {
        // a function with `Role` uses it and SAM leaves `Policies` unused
        // (`SamFunction.to_cloudformation` makes the role only without `Role`; red team 38:
        // `Role: !If [C, arn, !Ref AWS::NoValue]` with `Policies` is SAM's documented way to
        // make the role conditional); a state machine with both is an error
        // (`StateMachineGenerator`: "Specify either 'Role' or 'Policies' (but not both)")
        if what == Serverless::StateMachine
            && res
                .get("Properties")
                .and_then(|p| p.get("Policies"))
                .is_some()
        {
            return Err(r.err(
                res.span,
                format!("`{id}` has both `Role` and `Policies`; SAM rejects that"),
            ));
        }
        return Ok(());
    }
    let role_id = format!("{id}Role");
    let p = &r.partition;
    let name = super::resolve::placeholder(&format!("{role_id}-name"));
    r.note(
        &name,
        &format!(
            "the name CloudFormation generates for `{role_id}` (the role SAM creates for `{id}`)"
        ),
    );
    let arn = format!("arn:{p}:iam::{}:role/{name}", r.account);
    let mut principal = Principal {
        logical_id: role_id.clone(),
        kind: PrincipalKind::Role,
        name,
        arn,
        identity: match what {
            Serverless::Function => vec![Attached::Aws(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into(),
            )],
            Serverless::StateMachine => Vec::new(),
        },
        boundary: None,
        trust: None,
        groups: Vec::new(),
        maybe: Vec::new(),
        maybe_groups: Vec::new(),
        tags: Vec::new(),
    };
    let span = res.span;
    let trust = match b.prop(res, "AssumeRolePolicyDocument")? {
        Some(t) => t,
        None => service_trust(
            match what {
                Serverless::Function => "lambda.amazonaws.com",
                Serverless::StateMachine => "states.amazonaws.com",
            },
            span,
        ),
    };
    principal.trust = Some(b.doc(
        format!("Resources/{id}/Role/AssumeRolePolicyDocument"),
        DocKind::Trust,
        &trust,
    ));
    if let Some(v) = b.prop(res, "PermissionsBoundary")? {
        principal.boundary = Some(b.managed_arn(&text_of(&v)));
    }
    if what == Serverless::Function {
        super::sam_function::role_policies(b, id, res, &mut principal)?;
    }
    // a state machine's `Tracing: {Enabled: true}` adds X-Ray (red team 38; SAM's
    // `StateMachineGenerator._construct_role`: `if self.tracing and
    // self.tracing.get("Enabled") is True`, the managed policy of `get_xray_managed_policy_name`)
    if what == Serverless::StateMachine
        && let Some(t) = res.get("Properties").and_then(|p| p.get("Tracing"))
        && let Some(e) = t.get("Enabled")
        && let Some(v) = r.resolve(e, 0)?
        && matches!(&v.kind, Kind::Bool(true))
    {
        let name = if r.partition == "aws" {
            "AWSXrayWriteOnlyAccess"
        } else {
            "AWSXRayDaemonWriteAccess"
        };
        principal
            .identity
            .push(Attached::Aws(format!("arn:aws:iam::aws:policy/{name}")));
    }
    let raw = res.get("Properties").and_then(|p| p.get("Policies"));
    let items: Vec<&Value> = match raw.map(|v| &v.kind) {
        None => Vec::new(),
        Some(Kind::Array(a)) => a.iter().collect(),
        Some(_) => vec![raw.unwrap_or(res)],
    };
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("Resources/{id}/Policies/{i}");
        // an entry chosen by `Fn::If` (SAM resolves it before reading the entry): the branch,
        // which may be a policy template; `AWS::NoValue` drops the entry
        let chosen;
        let item = match item.as_object() {
            Some([m]) if m.key == "Fn::If" => match r.resolve(item, 0)? {
                Some(v) => {
                    chosen = v;
                    &chosen
                }
                None => continue,
            },
            _ => item,
        };
        // a policy template: `{S3ReadPolicy: {BucketName: ...}}`
        if let Some([m]) = item.as_object()
            && m.key != "Ref"
            && !m.key.starts_with("Fn::")
            && m.key != "Statement"
        {
            let t = templates().map_err(|e| r.err(item.span, e))?;
            let Some(def) = t.get("Templates").and_then(|x| x.get(&m.key)) else {
                return Err(r.err(m.key_span, format!("`{}` is not a SAM policy template", m.key))
                    .with_help("see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html"));
            };
            let given: &[Member] = match &m.value.kind {
                Kind::Object(g) => g,
                Kind::Null => &[],
                _ => {
                    return Err(r.err(
                        m.value.span,
                        format!("the parameters of `{}` must be a map", m.key),
                    ));
                }
            };
            if let Some(params) = def.get("Parameters").and_then(Value::as_object) {
                for p in params {
                    if !given.iter().any(|g| g.key == p.key) {
                        return Err(r.err(
                            m.value.span,
                            format!("`{}` needs the parameter `{}`", m.key, p.key),
                        ));
                    }
                }
            }
            let Some(body) = def.get("Definition") else {
                return Err(r.err(
                    item.span,
                    format!("the SAM policy template `{}` has no definition", m.key),
                ));
            };
            let mut doc = instantiate(body, m.key_span, given);
            if let Kind::Object(members) = &mut doc.kind
                && !members.iter().any(|x| x.key == "Version")
            {
                members.insert(
                    0,
                    Member {
                        key: "Version".into(),
                        key_span: m.key_span,
                        value: string("2012-10-17".into(), m.key_span),
                    },
                );
            }
            let resolved = r.value(&doc, 0)?;
            let d = b.doc(format!("{path}/{}", m.key), DocKind::Identity, &resolved);
            principal.identity.push(Attached::Doc(d));
            continue;
        }
        let v = r.value(item, 0)?;
        match &v.kind {
            Kind::Object(_) => {
                let d = b.doc(path, DocKind::Identity, &v);
                principal.identity.push(Attached::Doc(d));
            }
            Kind::String(s) => {
                let a = if s.starts_with("arn:") {
                    // (`Attached::Unknown` when the ARN holds a value not known)
                    b.managed_arn(s)
                } else if r.holds_unknown(s) {
                    // a name not known (`!Ref Extra` without a value): what it attaches is
                    // not known offline, as in `ManagedPolicyArns` (red team 42: an error)
                    Attached::Unknown(s.clone())
                } else {
                    Attached::AwsName(s.clone())
                };
                principal.identity.push(a);
            }
            _ => return Err(r.err(v.span, "a SAM `Policies` entry is a policy name or ARN, a policy document or a policy template")),
        }
    }
    b.principal(principal);
    Ok(())
}

/// The trust policy SAM writes for a function's or state machine's role.
fn service_trust(service: &str, span: Span) -> Value {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{{"Service":["{service}"]}}}}]}}"#
    );
    let v = json::parse(&text).unwrap_or(Value {
        kind: Kind::Null,
        span,
    });
    instantiate(&v, span, &[])
}
