//! Who else can assume a role: over every principal class, every assume action and every
//! context, is there a caller other than the given service principals that the trust policy
//! lets in? `check` states the answer for a role profile's trust policy, with a
//! counterexample request re-decided by the evaluator.
//!
//! The principal classes are those of [`super::principals`]: every principal the policy names,
//! a root, a user, a role and a session of every account it names, a session of every role it
//! names, the same for an account it does not name, a service it does not name and an
//! anonymous caller. Every context class of every key the policy conditions is tried, so a
//! condition protects only when no value (or absence) of its key lets the caller in.

use super::diff::{frame_set, set_policies};
use super::space::{Frame, Restrict, Space, Step};
use super::{AnalysisError, Example, Kind, StatementRef, Unknown};
use crate::eval::{CompiledPolicySet, Principal, evaluate};
use crate::model::{Effect, Policy};

/// A caller other than the service that the trust policy lets in.
#[derive(Clone, Debug)]
pub struct Assumer {
    pub example: Example,
    /// The trust policy's statements that allow the request.
    pub statements: Vec<StatementRef>,
}

/// The answer.
#[derive(Clone, Debug)]
pub struct Assumers {
    /// `Some(false)`: only the services can assume the role; `Some(true)`: some other caller
    /// can (see `examples`); `None`: the analysis could not decide (see `unknown`).
    pub others: Option<bool>,
    pub examples: Vec<Assumer>,
    pub unknown: Vec<Unknown>,
}

/// Whether a service principal is one of `services` or the Regional form of one of them
/// (`codedeploy.us-west-2.amazonaws.com` for `codedeploy.amazonaws.com`).
fn is_service(name: &str, services: &[String]) -> bool {
    services
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name) || regional_form_of(name, s))
}

/// Whether `name` is the Regional service principal of the global `service` in some Region
/// (`codedeploy.us-west-2.amazonaws.com` for `codedeploy.amazonaws.com`): the same service,
/// so a trust policy that lists every Region's principal, as the CodeDeploy User Guide's
/// service-role example does, names no other principal.
pub(crate) fn regional_form_of(name: &str, service: &str) -> bool {
    let Some(prefix) = service.strip_suffix(".amazonaws.com") else {
        return false;
    };
    let Some(region) = name
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix(".amazonaws.com"))
    else {
        return false;
    };
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `caller` can make an `action` request at all (STS API reference): web-identity and
/// SAML federation are called with a token or assertion, and the request's principal is the
/// identity provider (`"Principal": {"Federated": ...}`: a SAML provider for
/// `sts:AssumeRoleWithSAML`, a web-identity provider for `sts:AssumeRoleWithWebIdentity`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity>);
/// `sts:AssumeRole` is signed by an IAM principal or called by a service. So a trust statement
/// that allows an account's principals `sts:AssumeRoleWithWebIdentity` (through `NotAction`,
/// say) lets none of them in. The anonymous caller stays a stand-in for "anyone" (every
/// action), and other actions are not restricted here.
pub fn can_call(action: &str, caller: &Principal) -> bool {
    let saml_provider = |p: &str| p.contains(":saml-provider/");
    if action.eq_ignore_ascii_case("sts:AssumeRoleWithWebIdentity") {
        matches!(caller, Principal::Anonymous)
            || matches!(caller, Principal::Federated(p) if !saml_provider(p))
    } else if action.eq_ignore_ascii_case("sts:AssumeRoleWithSAML") {
        matches!(caller, Principal::Anonymous)
            || matches!(caller, Principal::Federated(p) if saml_provider(p))
    } else if action.eq_ignore_ascii_case("sts:AssumeRole") {
        !matches!(caller, Principal::Federated(_))
    } else {
        true
    }
}

/// The common trust policy names only service principals in its `Allow` statements (no
/// `NotPrincipal`, no `*`, no AWS, federated or canonical principal). Then a caller matches an
/// `Allow` only if it is one of those services, so:
/// - when all of them are `services` (or their Regional forms), no other caller gets in;
/// - when another named service is let in by a request without context (confirmed by the
///   evaluator), that request is the counterexample.
///
/// Otherwise (`None`) the full analysis decides. Exact, and it keeps `scan` from building the
/// request space for every role.
fn services_only(
    trust: &Policy,
    role: &str,
    services: &[String],
    actions: &[&str],
    compiled: &CompiledPolicySet,
) -> Option<Assumers> {
    use crate::model::{PrincipalKind, PrincipalValue};
    let mut others: Vec<String> = Vec::new();
    for st in trust
        .statements
        .iter()
        .filter(|s| s.effect.value == Effect::Allow)
    {
        let block = st.principal.as_ref()?;
        if block.negated {
            return None;
        }
        let PrincipalValue::Map(entries) = &block.value else {
            return None;
        };
        for e in entries {
            if e.kind != PrincipalKind::Service {
                return None;
            }
            for v in &e.values {
                if !is_service(&v.value, services) && !others.contains(&v.value) {
                    others.push(v.value.clone());
                }
            }
        }
    }
    if others.is_empty() {
        return Some(Assumers {
            others: Some(false),
            examples: Vec::new(),
            unknown: Vec::new(),
        });
    }
    let account = role.split(':').nth(4).filter(|a| !a.is_empty());
    for name in &others {
        for action in actions {
            if !can_call(action, &Principal::Service(name.clone())) {
                continue;
            }
            let req = crate::eval::Request {
                action: action.to_string(),
                resource: role.to_string(),
                principal: Some(Principal::Service(name.clone())),
                resource_account: account.map(str::to_string),
                context: crate::eval::Context::new(),
            };
            let Ok(d) = evaluate(compiled, &req) else {
                return None;
            };
            if d.decision.is_allowed() {
                let statements = d
                    .matched
                    .iter()
                    .filter(|m| m.effect == Effect::Allow)
                    .filter_map(|m| {
                        let s = trust.statements.get(m.index)?;
                        Some(StatementRef {
                            file: trust.source.name.to_string(),
                            sid: s.sid.as_ref().map(|x| x.value.clone()),
                            line: trust.source.line_col(s.span.start).line,
                            index: m.index,
                            span: s.span,
                            source: trust.source.clone(),
                        })
                    })
                    .collect();
                return Some(Assumers {
                    others: Some(true),
                    examples: vec![Assumer {
                        example: Example::of(&req),
                        statements,
                    }],
                    unknown: Vec::new(),
                });
            }
        }
    }
    None
}

/// Callers other than `services` that `trust` lets perform one of `actions` on `role`; at most
/// `max` examples, one per caller.
pub fn other_assumers(
    trust: &Policy,
    role: &str,
    services: &[String],
    actions: &[&str],
    max: usize,
) -> Result<Assumers, AnalysisError> {
    let set = frame_set(trust, Kind::Trust);
    let compiled: CompiledPolicySet = set
        .compile()
        .map_err(|e| AnalysisError::Compile(format!("{}: {}", e.code, e.message)))?;
    if let Some(answer) = services_only(trust, role, services, actions, &compiled) {
        return Ok(answer);
    }
    let pols = vec![set_policies(&set)];
    let pr = super::principals::candidates(&pols[0]);
    let unread = pr.unread.clone();
    let callers: Vec<Principal> = pr
        .candidates
        .into_iter()
        .filter(|p| !matches!(p, Principal::Service(s) if is_service(s, services)))
        .collect();
    let account = role.split(':').nth(4).filter(|a| !a.is_empty());
    // The keys that describe the caller take the caller's own values (absent for a caller
    // that is not an IAM principal), as AWS sets them (global condition keys,
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
    // a counterexample never pairs a caller with another account's `aws:PrincipalAccount`.
    // `aws:PrincipalServiceName` is present only when a service principal calls, and holds its
    // name ("This key isn't present in any other situation").
    let tied = [
        "aws:PrincipalAccount",
        "aws:PrincipalArn",
        "aws:PrincipalIsAWSService",
        "aws:PrincipalServiceName",
        "aws:PrincipalServiceNamesList",
    ]
    .iter()
    .map(|key| {
        let per = callers
            .iter()
            .map(|c| match c {
                Principal::Service(s) if key.starts_with("aws:PrincipalServiceName") => {
                    vec![Some(vec![s.clone()])]
                }
                _ if key.starts_with("aws:PrincipalServiceName") => vec![None],
                Principal::Aws(_) if *key == "aws:PrincipalIsAWSService" => {
                    vec![Some(vec!["false".to_string()])]
                }
                Principal::Service(_) if *key == "aws:PrincipalIsAWSService" => {
                    vec![Some(vec!["true".to_string()])]
                }
                Principal::Aws(a) if *key == "aws:PrincipalAccount" => {
                    vec![Some(vec![a.account.clone()])]
                }
                Principal::Aws(a) => vec![Some(vec![super::verify::principal_arn(a)])],
                _ => vec![None],
            })
            .collect();
        (key.to_string(), per)
    })
    .chain(
        // A service sets these when it acts for a resource; a direct caller's request never
        // holds them (global condition keys docs, `aws:SourceAccount`: "included in the
        // request context only if accessing a resource triggers an AWS service to call
        // another service on behalf of the resource owner")
        [
            "aws:SourceAccount",
            "aws:SourceArn",
            "aws:SourceOrgID",
            "aws:SourceOrgPaths",
            "aws:SourceOwner",
        ]
        .iter()
        .map(|key| {
            let per = callers
                .iter()
                .map(|c| match c {
                    Principal::Service(_) => Vec::new(),
                    _ => vec![None],
                })
                .collect();
            (key.to_string(), per)
        }),
    )
    .collect();
    let frame = Frame {
        fixed_resource: Some(role.to_string()),
        resource_account: account.map(str::to_string).or(Some(pr.owner)),
        principals: Some(callers),
        tied,
        own_variables: false,
        action_splits: Vec::new(),
    };
    let restrict = Restrict {
        actions: actions.iter().map(|a| a.to_string()).collect(),
        resources: Vec::new(),
    };
    let mut space = Space::new(&pols, frame, &restrict);
    let mut unknown = std::mem::take(&mut space.unknowns);
    let stmts = space.statements(0);
    let mut examples: Vec<Assumer> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let max = max.max(1);
    let res = space.search::<()>(Some(0), |_, req| {
        let d = match evaluate(&compiled, req) {
            Ok(d) => d,
            Err(e) => {
                let m = format!("the evaluator cannot decide `{}`: {e}", req.action);
                if !errors.contains(&m) {
                    errors.push(m);
                }
                return Ok(Step::Continue);
            }
        };
        if !d.decision.is_allowed()
            || req
                .principal
                .as_ref()
                .is_some_and(|p| !can_call(&req.action, p))
        {
            return Ok(Step::Continue);
        }
        let who = req.principal.as_ref().map(|p| p.display().to_string());
        if examples.iter().any(|e| e.example.principal == who) {
            return Ok(Step::Continue);
        }
        // re-decide the example as printed before reporting it
        let ex = Example::of(req);
        let again = evaluate(
            &compiled,
            &super::verify::request_of(&ex, req.resource_account.as_deref()),
        );
        if !again.is_ok_and(|d| d.decision.is_allowed()) {
            return Ok(Step::Continue);
        }
        let statements = super::allowing(&d.matched, crate::eval::PolicyType::RoleTrust, &stmts);
        examples.push(Assumer {
            example: ex,
            statements,
        });
        Ok(if examples.len() >= max {
            Step::Stop
        } else {
            Step::Continue
        })
    });
    if let Ok(mut u) = res {
        unknown.append(&mut u);
    }
    unknown.extend(errors.into_iter().map(|reason| Unknown {
        reason,
        statements: Vec::new(),
    }));
    // a named principal not read (red team 36: a template's unknown partner account) may be
    // any account's: not "only the service"
    // (the same for a condition value the template does not give: a placeholder matches only
    // itself, so no caller met it; red team 37)
    let mut unread = unread;
    for st in &trust.statements {
        for c in &st.conditions {
            for v in &c.values {
                if v.text.contains("UNKNOWN-") && !unread.contains(&v.text) {
                    unread.push(v.text.clone());
                }
            }
        }
    }
    for u in unread {
        unknown.push(Unknown {
            reason: format!("`{u}` is not known (a value the template does not give, or not a principal ARN), so who it stands for is not decided"),
            statements: Vec::new(),
        });
    }
    let others = if !examples.is_empty() {
        Some(true)
    } else if unknown.is_empty() {
        Some(false)
    } else {
        None
    };
    Ok(Assumers {
        others,
        examples,
        unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_policy;
    use crate::source::Source;

    const ROLE: &str = "arn:aws:iam::111122223333:role/ecsCodeDeployRole";
    const ASSUME: [&str; 3] = [
        "sts:AssumeRole",
        "sts:AssumeRoleWithWebIdentity",
        "sts:AssumeRoleWithSAML",
    ];

    fn answer(text: &str) -> Assumers {
        let p = parse_policy(&Source::new("trust.json", text.to_string())).unwrap();
        other_assumers(
            &p,
            ROLE,
            &["codedeploy.amazonaws.com".to_string()],
            &ASSUME,
            3,
        )
        .unwrap()
    }

    #[test]
    fn the_documented_trust_policy_admits_only_the_service() {
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":["codedeploy.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(a.others, Some(false), "{:?}", a.examples);
    }

    /// A caller named only in a condition (`aws:PrincipalAccount`, `aws:PrincipalArn`), or
    /// admitted by a wildcard in its account, can assume the role (global condition keys,
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
    #[test]
    fn callers_a_condition_names_or_admits_are_counterexamples() {
        for (cond, account) in [
            (
                r#"{"StringEquals":{"aws:PrincipalAccount":"999988887777"}}"#,
                Some("999988887777"),
            ),
            (
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::999988887777:role/*"}}"#,
                Some("999988887777"),
            ),
            (
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/deployer"}}"#,
                None,
            ),
            (
                r#"{"StringLike":{"aws:PrincipalAccount":"11112222333?"}}"#,
                None,
            ),
        ] {
            let a = answer(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"codedeploy.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"aws:SourceAccount":"111122223333"}}}}}},{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole","Condition":{cond}}}]}}"#
            ));
            assert_eq!(a.others, Some(true), "{cond}");
            let who = a.examples[0].example.principal.clone().unwrap_or_default();
            if let Some(acct) = account {
                assert!(who.contains(acct), "{who}");
            }
        }
    }

    /// `aws:SourceAccount` is set only when a service acts for a resource (global condition
    /// keys docs): with `"*"` and a source condition, other services acting for that account
    /// can assume the role, but no IAM or anonymous caller can.
    #[test]
    fn source_keys_admit_services_only() {
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
        );
        assert_eq!(a.others, Some(true));
        for e in &a.examples {
            let who = e.example.principal.as_deref().unwrap_or_default();
            assert!(who.ends_with(".amazonaws.com"), "{who}");
        }
    }

    #[test]
    fn another_named_service_is_the_counterexample() {
        // A trust policy naming ECS tasks as well (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["codedeploy.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(a.others, Some(true));
        assert_eq!(
            a.examples[0].example.principal.as_deref(),
            Some("ecs-tasks.amazonaws.com")
        );
        assert_eq!(a.examples[0].statements.len(), 1);
        // with a condition the service cannot meet without context, the full analysis
        // decides, and finds the context that lets it in
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
        );
        assert_eq!(a.others, Some(true));
        assert_eq!(
            a.examples[0].example.context["aws:SourceAccount"],
            vec!["111122223333".to_string()]
        );
    }

    #[test]
    fn regional_principals_are_the_service() {
        // https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["codedeploy.us-east-1.amazonaws.com","codedeploy.eu-west-1.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(a.others, Some(false), "{:?}", a.examples);
    }

    #[test]
    fn a_wildcard_condition_does_not_keep_anyone_out() {
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringLike":{"aws:PrincipalAccount":"*"}}}]}"#,
        );
        assert_eq!(a.others, Some(true));
        let e = &a.examples[0];
        assert_eq!(e.statements.len(), 1);
        // the caller's account is the account `aws:PrincipalAccount` carries
        let who = e.example.principal.as_deref().unwrap();
        let acct = &e.example.context["aws:PrincipalAccount"][0];
        assert!(who.contains(acct.as_str()), "{who} {acct}");
    }

    #[test]
    fn an_account_pinned_condition_still_admits_that_account() {
        // Another account's root, pinned: a named other principal can assume the role.
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com","AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(a.others, Some(true));
        assert!(
            a.examples.iter().all(|e| e
                .example
                .principal
                .as_deref()
                .is_some_and(|p| p.contains("444455556666"))),
            "{:?}",
            a.examples
        );
    }

    #[test]
    fn a_deny_that_removes_everyone_else() {
        // A wider Allow, and a Deny of every AWS principal that removes what it adds.
        let a = answer(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
        );
        assert_eq!(a.others, Some(false), "{:?}", a.examples);
    }
}
