//! `GL115 unknown-service-in-arn`.

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
    code: "GL115",
    name: "unknown-service-in-arn",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_SERVICE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a resource ARN whose service field names no service in the catalog (neither an action prefix nor the service of any ARN format).

## Why is this bad?

The ARN matches no resource; a typo or a retired service leaves the statement without effect.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s4:::example-bucket/*"
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

## Limits

Decided with the IAM action catalog.
"##,
};

/// Every service name that occurs in the catalog's ARN formats or as a service prefix
/// (lowercase, sorted), computed once and only when an ARN names no service prefix.
fn arn_services() -> &'static [String] {
    static ARN_SERVICES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ARN_SERVICES.get_or_init(|| {
        let cat = crate::catalog::active();
        let mut v: Vec<String> = cat
            .services()
            .flat_map(|s| {
                s.resource_types()
                    .flat_map(|r| r.arn_formats())
                    .filter_map(|f| arn_fields(f).map(|x| x[2].to_ascii_lowercase()))
                    .collect::<Vec<_>>()
            })
            .chain(cat.services().map(|s| s.name().to_ascii_lowercase()))
            .collect();
        v.sort();
        v.dedup();
        v
    })
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let Some(f) = cx.arn_fields(&i.value) else {
                continue;
            };
            let svc = f[2];
            if svc.is_empty()
                || svc.contains(['*', '?'])
                || svc.contains("${")
                || cat.service(svc).is_some()
                || arn_services()
                    .binary_search(&svc.to_ascii_lowercase())
                    .is_ok()
            {
                continue;
            }
            let mut fnd = cx.finding(
                &RULE,
                i.span,
                format!("the service `{svc}` in `{}` does not exist", i.value),
            );
            fnd = match crate::lint::util::suggest_cached(svc) {
                Some(x) => fnd.help(format!(
                    "did you mean `{x}`? (retired services are reported too)"
                )),
                None => {
                    fnd.help("check the service name in the ARN; retired services are reported too")
                }
            };
            out.push(fnd);
        }
    }
}
