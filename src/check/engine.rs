//! The bridge to the evaluation engine: one request of a profile → decision + statements.

use std::collections::BTreeMap;

use super::{CheckError, Decision, MatchedStatement, PrincipalPolicies};
use crate::model::Policy;

/// What the engine decided for one request.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub decision: Decision,
    pub matched: Vec<MatchedStatement>,
    pub missing_context: Vec<String>,
}

/// Evaluates `action` on `resource` with `context` against the principal's identity policies,
/// boundary and SCPs.
pub fn evaluate_identity(
    principal: &PrincipalPolicies,
    action: &str,
    resource: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    let _ = (principal, context);
    Err(CheckError::Engine {
        action: action.to_string(),
        resource: resource.to_string(),
        message: "the evaluation engine is not available in this build".into(),
    })
}

/// Evaluates the trust policy: may the service principal call `action` on the role?
pub fn evaluate_trust(
    trust: &Policy,
    service: &str,
    action: &str,
    role_arn: &str,
    context: &BTreeMap<String, Vec<String>>,
) -> Result<Outcome, CheckError> {
    let _ = (trust, service, context);
    Err(CheckError::Engine {
        action: action.to_string(),
        resource: role_arn.to_string(),
        message: "the evaluation engine is not available in this build".into(),
    })
}
