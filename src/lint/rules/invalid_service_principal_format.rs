//! `GL064 invalid-service-principal-format`.

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
    code: "GL064",
    name: "invalid-service-principal-format",
    severity: Severity::Error,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["INVALID_SERVICE_PRINCIPAL_FORMAT"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Service` principal that is not lower case or does not end in `.amazonaws.com`, `.amazon.com` or `.amazonaws.com.cn`.

## Why is this bad?

Service principals are case-sensitive identifiers; `EC2.amazonaws.com` or `ec2` match no service, so the trust or grant silently does not work.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ECS-Tasks.amazonaws.com"
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
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for v in principals(s, PrincipalKind::Service) {
            let p = v.value.as_str();
            let ok = p
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
                && [".amazonaws.com", ".amazon.com", ".amazonaws.com.cn"]
                    .iter()
                    .any(|suf| {
                        p.strip_suffix(suf)
                            .is_some_and(|h| !h.is_empty() && !h.starts_with('.'))
                    });
            // a template's placeholder (a Terraform variable without value) is not the
            // author's text
            if !ok && !p.is_empty() && !p.starts_with("UNKNOWN-") {
                out.push(cx.finding(&RULE, v.span, format!("`{p}` is not a service principal"))
                    .help("service principals are lower case and look like `service.amazonaws.com` (some end in `.amazon.com` or `.amazonaws.com.cn`)"));
            }
        }
    }
}
