//! `GL043 wildcard-without-like-operator`.

#[allow(unused_imports)]
use crate::lint::util::*;
#[allow(unused_imports)]
use crate::lint::{
    ALL_TYPES, Check, Ctx, Finding, GRANTING_TYPES, IDENTITY_TYPES, ORG_TYPES, PRINCIPAL_TYPES,
    PolicyType, Rule, Severity,
};
#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "GL043",
    name: "wildcard-without-like-operator",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["WILDCARD_WITHOUT_LIKE_OPERATOR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `*` or `?` in the value of an exact string operator (`StringEquals`, `StringNotEquals` and their `IgnoreCase` forms).

## Why is this bad?

Exact operators match the characters literally, so `StringEquals: "ops-*"` matches only the string `ops-*`. An Allow silently grants nothing; a Deny silently protects nothing. (`ArnEquals` matches like `ArnLike`, so it is not flagged.)

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringEquals": {
          "aws:PrincipalTag/team": "ops-*"
        }
      }
    }
  ]
}
```

## Use instead

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringLike": {
          "aws:PrincipalTag/team": "ops-*"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let exact = matches!(
                c.op.base,
                OpBase::StringEquals
                    | OpBase::StringNotEquals
                    | OpBase::StringEqualsIgnoreCase
                    | OpBase::StringNotEqualsIgnoreCase
                    | OpBase::ArnEquals
                    | OpBase::ArnNotEquals
            );
            if !exact || c.op.base.family() == OpFamily::Arn {
                continue;
            }
            for v in &c.values {
                let unescaped = v.text.replace("${*}", "").replace("${?}", "");
                if unescaped.contains(['*', '?']) {
                    let like =
                        c.op.name()
                            .replace("EqualsIgnoreCase", "Like")
                            .replace("Equals", "Like");
                    out.push(
                        cx.finding(
                            &RULE,
                            v.span,
                            format!(
                                "`{}` compares `{}` literally: `*` and `?` are not wildcards here",
                                c.op.name(),
                                v.text
                            ),
                        )
                        .help(format!("if you meant a wildcard, use `{like}`")),
                    );
                }
            }
        }
    }
}
