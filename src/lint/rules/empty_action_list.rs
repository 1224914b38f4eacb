//! `GL031 empty-action-list`.

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
    code: "GL031",
    name: "empty-action-list",
    severity: Severity::Suggestion,
    applies_to: ALL_TYPES,
    access_analyzer: &["EMPTY_ARRAY_ACTION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Action": []` (or `"NotAction": []`).

## Why is this bad?

An empty `Action` list matches nothing, so the statement has no effect; it is never `*`. An empty `NotAction` matches everything.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [],
      "Resource": "arn:aws:s3:::example-bucket/*"
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
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.action.items.is_empty() {
            let key = if s.action.negated {
                "NotAction"
            } else {
                "Action"
            };
            out.push(cx.finding(&RULE, s.action.span, format!("`{key}` is an empty array"))
                .help(if s.action.negated { "an empty `NotAction` matches every action; name the excluded actions or use `Action`" } else { "the statement matches no action and has no effect; name the actions or remove the statement" }));
        }
    }
}
