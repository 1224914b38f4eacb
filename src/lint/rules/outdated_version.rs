//! `GL021 outdated-version`.

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
    code: "GL021",
    name: "outdated-version",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `"Version": "2008-10-17"`.

## Why is this bad?

The AWS docs say to always use `2012-10-17`; under the older version policy variables are literal strings.

## Example

```json
{
  "Version": "2008-10-17",
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
    if let Some(v) = &cx.policy.version {
        if v.value == Version::V2008_10_17 {
            out.push(cx.finding(&RULE, v.span, "the policy uses the outdated language version `2008-10-17`")
                .help("use \"2012-10-17\"; policy variables and newer features do not work in 2008-10-17"));
        }
    }
}
