//! `GL055 variable-without-version`.

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
    code: "GL055",
    name: "variable-without-version",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["VARIABLE_UNSUPPORTED_IN_VERSION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags policy variables in a policy whose `Version` is missing or `2008-10-17`.

## Why is this bad?

Without `"Version": "2012-10-17"`, `${aws:username}` is the literal string `${aws:username}`, so the ARN or condition matches nothing.

## Example

```json
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*"
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
      "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if cx.policy.variables_enabled() {
        return;
    }
    for s in &cx.policy.statements {
        let mut spans: Vec<Span> = Vec::new();
        if let Some(r) = &s.resource {
            spans.extend(
                r.items
                    .iter()
                    .filter(|i| i.value.contains("${"))
                    .map(|i| i.span),
            );
        }
        for c in &s.conditions {
            spans.extend(
                c.values
                    .iter()
                    .filter(|v| v.text.contains("${"))
                    .map(|v| v.span),
            );
        }
        for span in spans {
            out.push(cx.finding(&RULE, span, "a policy variable is used without `\"Version\": \"2012-10-17\"`, so it is literal text")
                .help("add \"Version\": \"2012-10-17\" at the top of the policy"));
        }
    }
}
