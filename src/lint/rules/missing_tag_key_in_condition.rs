//! `GL086 missing-tag-key-in-condition`.

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
    code: "GL086",
    name: "missing-tag-key-in-condition",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_TAG_KEY_IN_CONDITION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `aws:RequestTag`, `aws:ResourceTag` or `aws:PrincipalTag` used without a tag key (`aws:ResourceTag/`).

## Why is this bad?

The key does not exist without a tag key, so the condition never matches (or, negated, always does).

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
          "aws:ResourceTag/": "ops"
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
          "aws:ResourceTag/team": "ops"
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
            let k = c.key_lower.as_str();
            for prefix in ["aws:requesttag/", "aws:resourcetag/", "aws:principaltag/"] {
                if k == prefix || k == prefix.trim_end_matches('/') {
                    out.push(
                        cx.finding(
                            &RULE,
                            c.key_span,
                            format!("`{}` needs a tag key after the `/`", c.key),
                        )
                        .help(format!(
                            "write `{}/<tag-key>`, for example `{}/team`",
                            c.key.trim_end_matches('/'),
                            c.key.trim_end_matches('/')
                        )),
                    );
                }
            }
        }
    }
}
