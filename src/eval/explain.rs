//! Why a request was decided as it was: every statement whose action, resource and principal
//! match the request, with each of its conditions and whether it holds.
//!
//! This is the slow, explaining path: [`super::evaluate_into`] stays as it is, and callers run
//! [`trace`] only for requests that are not allowed, to say which statement came close (an
//! `Allow` whose condition failed: a near miss) or under which context value a `Deny` would
//! not apply.

use super::{
    CompiledPolicy, CompiledPolicySet, EvalError, MatchedStatement, Principal, Request,
    target_matches,
};

/// One condition of a traced statement, as written, with the request's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionTrace {
    /// The operator as written, such as `BoolIfExists` or `ForAnyValue:StringLike`.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The values as written.
    pub values: Vec<String>,
    /// The request's values of the key; `None` when the request lacks the key.
    pub request: Option<Vec<String>>,
    /// Whether the condition holds for the request.
    pub holds: bool,
}

/// A statement whose action, resource and principal match the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementTrace {
    pub statement: MatchedStatement,
    /// Every condition holds: the statement applies to the request.
    pub applies: bool,
    /// Every condition of the statement, in policy order.
    pub conditions: Vec<ConditionTrace>,
}

/// Traces `req` through `set`: identity policies, the resource policy, the boundary and the
/// SCPs, then the RCPs, in that order, exactly where [`super::evaluate_into`] looks (identity
/// policies, boundaries and SCPs only for IAM callers; RCPs only for requests they restrict).
/// Fails exactly when evaluation fails.
pub fn trace(set: &CompiledPolicySet, req: &Request) -> Result<Vec<StatementTrace>, EvalError> {
    let mut out = Vec::new();
    let iam_caller = req.principal.as_ref().is_none_or(Principal::is_iam);
    let bounded = super::bounded_caller(set, req.principal.as_ref());
    let scp_caller = iam_caller
        && !req
            .principal
            .as_ref()
            .is_some_and(super::rcp::is_service_linked_role);
    if iam_caller {
        for p in &set.identity {
            trace_policy(p, req, &mut out, bounded)?;
        }
    }
    if let Some(p) = &set.resource_policy {
        if req.principal.is_none() {
            return Err(EvalError::PrincipalRequired);
        }
        trace_policy(p, req, &mut out, bounded)?;
    }
    if iam_caller {
        if let Some(p) = &set.boundary {
            trace_policy(p, req, &mut out, bounded)?;
        }
    }
    if scp_caller {
        for p in &set.scps {
            trace_policy(p, req, &mut out, bounded)?;
        }
    }
    if super::rcp::applies(req) {
        for p in &set.rcps {
            trace_policy(p, req, &mut out, bounded)?;
        }
    }
    Ok(out)
}

fn trace_policy(
    p: &CompiledPolicy,
    req: &Request,
    out: &mut Vec<StatementTrace>,
    bounded: bool,
) -> Result<(), EvalError> {
    let ctx = &req.context;
    let mut missing = Vec::new();
    for s in &p.statements {
        if target_matches(s, req, &mut missing, bounded)?.is_none() {
            continue;
        }
        let mut conditions = Vec::with_capacity(s.conditions.len());
        for (c, (operator, values)) in s.conditions.iter().zip(s.condition_text.iter()) {
            let holds =
                c.eval(ctx)
                    .map_err(|(value, expected)| EvalError::InvalidContextValue {
                        key: c.key.to_string(),
                        value,
                        operator: c.base.as_str().to_string(),
                        expected,
                        policy: p.name.clone(),
                        line: s.line,
                    })?;
            conditions.push(ConditionTrace {
                operator: operator.to_string(),
                key: c.key.to_string(),
                values: values.iter().map(|v| v.to_string()).collect(),
                request: ctx.get(&c.key_lower).map(<[String]>::to_vec),
                holds,
            });
        }
        out.push(StatementTrace {
            statement: MatchedStatement {
                policy: p.name.clone(),
                policy_type: p.policy_type,
                sid: s.sid.clone(),
                index: s.index,
                line: s.line,
                span: s.span,
                effect: s.effect,
            },
            applies: conditions.iter().all(|c| c.holds),
            conditions,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Context, PolicySet, PolicyType, evaluate};
    use super::*;
    use crate::model::Effect;
    use crate::parse::parse_policy;
    use crate::source::Source;

    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_ec2_require-mfa.html
    const EC2_REQUIRE_MFA: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowAllActionsForEC2",
            "Effect": "Allow",
            "Action": "ec2:*",
            "Resource": "*"
        },
        {
            "Sid": "DenyStopAndTerminateWhenMFAIsNotPresent",
            "Effect": "Deny",
            "Action": [
                "ec2:StopInstances",
                "ec2:TerminateInstances"
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}
        }
    ]
}"#;

    fn request(action: &str, context: Context) -> Request {
        Request {
            action: action.into(),
            resource: "*".into(),
            principal: None,
            resource_account: None,
            context,
        }
    }

    #[test]
    fn a_deny_that_applies_because_the_key_is_absent() {
        // The docs: "denies the StopInstances and TerminateInstances actions when the MFA
        // context is missing"; with MFA (`true`) the deny does not apply.
        let p = parse_policy(&Source::new("mfa.json", EC2_REQUIRE_MFA)).unwrap();
        let set = PolicySet {
            identity: vec![p],
            ..Default::default()
        }
        .compile()
        .unwrap();
        let req = request("ec2:StopInstances", Context::new());
        assert_eq!(
            evaluate(&set, &req).unwrap().decision,
            super::super::Verdict::ExplicitDeny
        );
        let t = trace(&set, &req).unwrap();
        assert_eq!(t.len(), 2);
        let deny = &t[1];
        assert_eq!(deny.statement.effect, Effect::Deny);
        assert_eq!(
            deny.statement.sid.as_deref(),
            Some("DenyStopAndTerminateWhenMFAIsNotPresent")
        );
        assert_eq!(deny.statement.line, 10);
        assert_eq!(deny.statement.policy_type, PolicyType::Identity);
        assert!(deny.applies);
        assert_eq!(
            deny.conditions,
            [ConditionTrace {
                operator: "BoolIfExists".into(),
                key: "aws:MultiFactorAuthPresent".into(),
                values: vec!["false".into()],
                request: None,
                holds: true,
            }]
        );
        let with_mfa = request(
            "ec2:StopInstances",
            Context::new().with("aws:MultiFactorAuthPresent", "true"),
        );
        let t = trace(&set, &with_mfa).unwrap();
        assert!(!t[1].applies);
        assert_eq!(
            t[1].conditions[0].request.as_deref(),
            Some(&["true".to_string()][..])
        );
        // A statement whose action does not match is not traced.
        assert_eq!(
            trace(&set, &request("ec2:RunInstances", Context::new()))
                .unwrap()
                .len(),
            1
        );
    }
}
