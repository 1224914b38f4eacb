//! `GL054 variable-with-unsupported-operator`.

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
    code: "GL054",
    name: "variable-with-unsupported-operator",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_VARIABLE_FOR_OPERATOR"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy variable in the value of a numeric, date, boolean, binary, IP address or `Null` operator.

## Why is this bad?

Variables are substituted only for String and ARN operators (Access Analyzer and the variables page agree; one sentence on the operators page says otherwise). Elsewhere the value is literal and never matches.

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
        "DateLessThan": {
          "aws:CurrentTime": "${aws:PrincipalTag/expiry}"
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
        "StringEquals": {
          "aws:ResourceTag/owner": "${aws:username}"
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
            if matches!(c.op.base.family(), OpFamily::String | OpFamily::Arn) {
                continue;
            }
            for v in &c.values {
                if variables(&v.text)
                    .iter()
                    .any(|x| !matches!(x.inner, "*" | "?" | "$"))
                {
                    out.push(cx.finding(&RULE, v.span, format!("`{}` cannot take a policy variable: variables work only with string and ARN operators", c.op.name()))
                        .help("use a literal value, or a String/Arn operator"));
                }
            }
        }
    }
}
