//! Conditions in a reviewer's words: what a condition requires ("`aws:MultiFactorAuthPresent`
//! is `true`") and what would make it false ("`aws:MultiFactorAuthPresent` is `true`" for a
//! `BoolIfExists ... false`). Plain descriptions of the policy, never advice.

use crate::eval::ConditionTrace;
use crate::model::{OpBase, Operator, SetQualifier};

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `v` `` or `one of `a`, `b``.
fn one_of(values: &[String]) -> String {
    if values.len() == 1 {
        quoted(values)
    } else {
        format!("one of {}", quoted(values))
    }
}

/// `` `v` `` or `any of `a`, `b``.
fn any_of(values: &[String]) -> String {
    if values.len() == 1 {
        quoted(values)
    } else {
        format!("any of {}", quoted(values))
    }
}

/// The predicate of a base operator ("is `x`", "matches `a*`", ...), or its negation.
fn predicate(base: OpBase, values: &[String], negate: bool) -> String {
    use OpBase::*;
    let (pos, neg) = match base {
        StringEquals | NumericEquals | DateEquals | BinaryEquals | ArnEquals => (
            format!("is {}", one_of(values)),
            format!("is not {}", any_of(values)),
        ),
        StringEqualsIgnoreCase => (
            format!("is {} (any case)", one_of(values)),
            format!("is not {} (in any case)", any_of(values)),
        ),
        StringNotEquals | NumericNotEquals | DateNotEquals | ArnNotEquals => (
            format!("is not {}", any_of(values)),
            format!("is {}", one_of(values)),
        ),
        StringNotEqualsIgnoreCase => (
            format!("is not {} (in any case)", any_of(values)),
            format!("is {} (any case)", one_of(values)),
        ),
        StringLike | ArnLike => (
            format!("matches {}", one_of(values)),
            format!("matches none of {}", quoted(values)),
        ),
        StringNotLike | ArnNotLike => (
            format!("matches none of {}", quoted(values)),
            format!("matches {}", one_of(values)),
        ),
        NumericLessThan => (
            format!("is less than {}", one_of(values)),
            format!("is at least {}", quoted(values)),
        ),
        NumericLessThanEquals => (
            format!("is at most {}", one_of(values)),
            format!("is greater than {}", quoted(values)),
        ),
        NumericGreaterThan => (
            format!("is greater than {}", one_of(values)),
            format!("is at most {}", quoted(values)),
        ),
        NumericGreaterThanEquals => (
            format!("is at least {}", one_of(values)),
            format!("is less than {}", quoted(values)),
        ),
        DateLessThan => (
            format!("is before {}", one_of(values)),
            format!("is at or after {}", quoted(values)),
        ),
        DateLessThanEquals => (
            format!("is at or before {}", one_of(values)),
            format!("is after {}", quoted(values)),
        ),
        DateGreaterThan => (
            format!("is after {}", one_of(values)),
            format!("is at or before {}", quoted(values)),
        ),
        DateGreaterThanEquals => (
            format!("is at or after {}", one_of(values)),
            format!("is before {}", quoted(values)),
        ),
        Bool => {
            let flip: Vec<String> = values
                .iter()
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "true" => "false".to_string(),
                    "false" => "true".to_string(),
                    other => format!("not {other}"),
                })
                .collect();
            (
                format!("is {}", one_of(values)),
                format!("is {}", one_of(&flip)),
            )
        }
        IpAddress => (
            format!("is in {}", one_of(values)),
            format!("is in none of {}", quoted(values)),
        ),
        NotIpAddress => (
            format!("is in none of {}", quoted(values)),
            format!("is in {}", one_of(values)),
        ),
        Null => {
            let absent = values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            let (a, b) = ("is absent".to_string(), "is present".to_string());
            if absent { (a, b) } else { (b, a) }
        }
    };
    if negate { neg } else { pos }
}

/// What the condition requires: "`aws:MultiFactorAuthPresent` is `true`".
pub fn requires(c: &ConditionTrace) -> String {
    let Some(op) = Operator::parse(&c.operator) else {
        return format!(
            "`{}` satisfies `{}` {}",
            c.key,
            c.operator,
            quoted(&c.values)
        );
    };
    let pred = predicate(op.base, &c.values, false);
    let body = match op.qualifier {
        Some(SetQualifier::ForAllValues) => format!("every value of `{}` {pred}", c.key),
        Some(SetQualifier::ForAnyValue) => format!("a value of `{}` {pred}", c.key),
        None => format!("`{}` {pred}", c.key),
    };
    match (op.if_exists, op.qualifier) {
        (false, _) => body,
        (true, None) => format!("`{}` is absent or {pred}", c.key),
        (true, Some(_)) => format!("`{}` is absent or {body}", c.key),
    }
}

/// What would make the condition false, for a condition that holds because the request lacks
/// its key: "`aws:MultiFactorAuthPresent` is `true`".
pub fn fails_when(c: &ConditionTrace) -> String {
    let Some(op) = Operator::parse(&c.operator) else {
        return format!("`{}` does not satisfy `{}`", c.key, c.operator);
    };
    match op.qualifier {
        Some(SetQualifier::ForAllValues) => format!(
            "a value of `{}` {}",
            c.key,
            predicate(op.base, &c.values, true)
        ),
        Some(SetQualifier::ForAnyValue) => format!(
            "`{}` is present and no value {}",
            c.key,
            predicate(op.base, &c.values, false)
        ),
        None => format!("`{}` {}", c.key, predicate(op.base, &c.values, true)),
    }
}

/// What the request has for the condition's key: "the request has no `k`" or "the request
/// has `k` = `v`".
pub fn request_has(c: &ConditionTrace) -> String {
    match &c.request {
        None => format!("the request has no `{}`", c.key),
        Some(v) if v.is_empty() => format!("the request has `{}` with no value", c.key),
        Some(v) => format!("the request has `{}` = {}", c.key, quoted(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(op: &str, key: &str, values: &[&str], request: Option<&[&str]>) -> ConditionTrace {
        ConditionTrace {
            operator: op.into(),
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            request: request.map(|r| r.iter().map(|v| v.to_string()).collect()),
            holds: false,
        }
    }

    #[test]
    fn words_for_the_documented_mfa_conditions() {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
        let allow = c("Bool", "aws:MultiFactorAuthPresent", &["true"], None);
        assert_eq!(requires(&allow), "`aws:MultiFactorAuthPresent` is `true`");
        assert_eq!(
            request_has(&allow),
            "the request has no `aws:MultiFactorAuthPresent`"
        );
        let deny = c(
            "BoolIfExists",
            "aws:MultiFactorAuthPresent",
            &["false"],
            None,
        );
        assert_eq!(fails_when(&deny), "`aws:MultiFactorAuthPresent` is `true`");
        assert_eq!(
            requires(&deny),
            "`aws:MultiFactorAuthPresent` is absent or is `false`"
        );
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
        let null = c("Null", "aws:TokenIssueTime", &["true"], None);
        assert_eq!(fails_when(&null), "`aws:TokenIssueTime` is present");
        let pass = c(
            "StringEquals",
            "iam:PassedToService",
            &["ecs-tasks.amazonaws.com"],
            Some(&["codedeploy.amazonaws.com"]),
        );
        assert_eq!(
            requires(&pass),
            "`iam:PassedToService` is `ecs-tasks.amazonaws.com`"
        );
        assert_eq!(
            request_has(&pass),
            "the request has `iam:PassedToService` = `codedeploy.amazonaws.com`"
        );
        let regions = c(
            "StringNotEquals",
            "aws:RequestedRegion",
            &["eu-central-1", "eu-west-1"],
            None,
        );
        assert_eq!(
            fails_when(&regions),
            "`aws:RequestedRegion` is one of `eu-central-1`, `eu-west-1`"
        );
    }
}
