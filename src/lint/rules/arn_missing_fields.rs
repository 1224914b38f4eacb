//! `GL057 arn-missing-fields`.

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
    code: "GL057",
    name: "arn-missing-fields",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_ARN_FIELD"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN with fewer than six colon-separated fields. When the last field ends in `*` (`arn:aws:ec2:*`, `arn:aws:codedeploy:us-west-2:*`) the finding is a `warning`: IAM documents that such a trailing `*` matches across colons, so the ARN works and greenlight evaluates it that way.

## Why is this bad?

A malformed ARN matches nothing, so an Allow grants nothing and a Deny protects nothing (`arn:aws:s3:example-bucket` is a classic). A short ARN ending in `*` does match, but hides which fields it leaves open.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:example-bucket"
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
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let v = i.value.as_str();
            if v == "*" || v.is_empty() {
                continue;
            }
            if v.starts_with("arn:") && cx.arn_fields(v).is_none() {
                if v.ends_with('*') && v.matches(':').count() >= 1 {
                    // IAM Resource docs: "If the `*` wildcard is the last character of a
                    // resource ARN segment, it can expand to match beyond the colon
                    // boundaries", so the ARN works; only the form is unusual.
                    let mut f = cx.finding(&RULE, i.span, format!("`{v}` has fewer than the six fields `arn:partition:service:region:account:resource`; its trailing `*` matches the rest of the ARN, colons included"))
                        .help("write all six fields, with `*` for the ones that may be anything (such as `arn:aws:ec2:*:*:*`)");
                    f.severity = Severity::Warning;
                    out.push(f);
                } else {
                    out.push(cx.finding(&RULE, i.span, format!("`{v}` has fewer than the six fields `arn:partition:service:region:account:resource`")).help("add the missing fields (empty region and account fields are written as `::`)"));
                }
            }
        }
    }
}
