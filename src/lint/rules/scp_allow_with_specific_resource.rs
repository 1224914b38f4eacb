//! `GL081 scp-allow-with-specific-resource`.

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
    code: "GL081",
    name: "scp-allow-with-specific-resource",
    severity: Severity::Suggestion,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_ALLOW_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an SCP Allow statement with a `Resource` other than `*`, which SCPs accept since 19 September 2025.

## Why is this bad?

Nothing is wrong with it in AWS Organizations today. Since 19 September 2025 SCPs support the full IAM policy language except principals (resource ARNs in Allow statements included) in the commercial and AWS GovCloud (US) Regions ([announcement](https://aws.amazon.com/blogs/security/unlock-new-possibilities-aws-organizations-service-control-policy-now-supports-full-iam-language)), and greenlight evaluates it like any other policy element. Until then Organizations rejected it (Access Analyzer's `SCP_SYNTAX_ERROR_ALLOW_RESOURCE` check belongs to that time), so the finding is a note for SCPs that must also load where the old SCP grammar still applies (other partitions, older tools). This rule was an `error` before that change; it is kept, as a `suggestion`, so that configurations naming it keep working.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::example-bucket"
    }
  ]
}
```

## Use instead

Only where the old SCP grammar applies (AWS Organizations accepts the example above):

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        if let Some(r) = &s.resource {
            for i in &r.items {
                if i.value != "*" {
                    out.push(
                        cx.finding(
                            &RULE,
                            i.span,
                            format!(
                                "`{}` in an SCP Allow statement: resource ARNs are accepted since 19 September 2025 (full IAM policy language for SCPs), rejected before",
                                i.value
                            ),
                        )
                        .help("nothing to change for AWS Organizations; where the old SCP grammar applies, use \"*\" and restrict resources with a Deny statement"),
                    );
                }
            }
        }
    }
}
