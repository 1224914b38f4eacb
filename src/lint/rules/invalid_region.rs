//! `GL061 invalid-region`.

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
    code: "GL061",
    name: "invalid-region",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ARN_REGION", "INVALID_REGION"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an ARN whose Region field is not empty, a wildcard pattern, a variable, or a Region code such as `us-east-1`.

## Why is this bad?

A misspelled Region (`us-east1`, `eu-west`) matches no resource.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:sqs:us-east1:123456789012:queue"
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
      "Resource": "arn:aws:sqs:us-east-1:123456789012:queue"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    fn region_ok(r: &str) -> bool {
        // (a template's placeholder for a value not known statically is no Region written
        // wrong: red team 28, `data.aws_region.x.region` with a `region` argument)
        if r.is_empty()
            || crate::lint::util::has(r, "${")
            || r.contains(['*', '?'])
            || crate::lint::util::has(r, "UNKNOWN-")
        {
            return true;
        }
        // (the `-`-separated parts read in place: two lower-case letters, then non-empty
        // lower-case words, then a number; three parts at least)
        let n = r.split('-').count();
        let mut parts = r.split('-');
        let first = parts.next().unwrap_or_default();
        n >= 3
            && first.len() == 2
            && first.bytes().all(|b| b.is_ascii_lowercase())
            && parts.enumerate().all(|(k, p)| {
                !p.is_empty()
                    && if k == n - 2 {
                        p.bytes().all(|b| b.is_ascii_digit())
                    } else {
                        p.bytes().all(|b| b.is_ascii_lowercase())
                    }
            })
    }
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let v = i.value.as_str();
            if v == "*" || v.is_empty() {
                continue;
            }
            if cx.arn_fields(v).is_some_and(|f| !region_ok(f[3])) {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!(
                            "`{}` in `{v}` is not an AWS Region code",
                            cx.arn_fields(v).map_or("", |f| f[3])
                        ),
                    )
                    .help("Region codes look like `us-east-1` or `eu-central-2`"),
                );
            }
        }
    }
}
