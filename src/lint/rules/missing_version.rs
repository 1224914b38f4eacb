//! `GL020 missing-version`.

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
    code: "GL020",
    name: "missing-version",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_VERSION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy without a `Version` element.

## Why is this bad?

Without `"Version": "2012-10-17"` IAM uses the 2008 language: policy variables such as `${aws:username}` are treated as literal text, and the AWS docs contradict each other about the default.

## Example

```json
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
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
    if cx.policy.version.is_none() {
        let span = cx.policy.statement_key_span;
        out.push(cx.finding(&RULE, span, "the policy has no `Version` element")
            .label("no `Version` before this")
            .help("add \"Version\": \"2012-10-17\"; without it policy variables such as `${aws:username}` are literal text"));
    }
}
