//! `GL056 arn-missing-prefix`.

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
    code: "GL056",
    name: "arn-missing-prefix",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ARN_PREFIX"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a resource that is neither `*` nor an ARN starting with `arn:`.

## Why is this bad?

IAM matches resources as ARNs; a bare name such as `example-bucket` matches nothing, so the statement silently does not apply.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "example-bucket/*"
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
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let v = i.value.as_str();
            if v == "*" || v.is_empty() {
                continue;
            }
            // API Gateway's own short form in an API's resource policy,
            // `execute-api:/STAGE/METHOD/PATH`, which it stores as the API's ARN (API Gateway
            // developer guide, "API Gateway resource policy examples",
            // <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>;
            // templates read it so too; red team 60)
            if v.starts_with("execute-api:/")
                && cx.policy_type == PolicyType::Resource
                && !s.action.negated
                && s.action
                    .items
                    .iter()
                    .all(|a| a.lower.starts_with("execute-api:"))
            {
                continue;
            }
            if !v.starts_with("arn:") && !v.starts_with("${") {
                out.push(
                    cx.finding(
                        &RULE,
                        i.span,
                        format!("`{v}` is not an ARN: it does not start with `arn:`"),
                    )
                    .help("write the full ARN, such as `arn:aws:s3:::example-bucket/*`, or \"*\""),
                );
            }
        }
    }
}
