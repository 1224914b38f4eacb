//! `GL117 leading-whitespace`.

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
    code: "GL117",
    name: "leading-whitespace",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags whitespace or blank lines before the opening `{` of a policy file.

## Why is this bad?

The IAM console and API reject such documents ("JSON strings must not have leading spaces", "The policy failed legacy parsing"), although Access Analyzer's ValidatePolicy passes them.

## Example

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
    if cx.source().name.contains('#') {
        return;
    }
    let start = cx.policy.span.start as usize;
    if start > 0
        && cx
            .source()
            .text
            .get(..start)
            .is_some_and(|t| t.chars().all(char::is_whitespace))
    {
        out.push(cx.finding(&RULE, Span::new(0, start), "the document starts with whitespace before `{`")
            .label("leading whitespace")
            .help("remove it: the IAM console rejects leading spaces and the API reports \"The policy failed legacy parsing\" (Access Analyzer does not notice)"));
    }
}
