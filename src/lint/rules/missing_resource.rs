//! `GL022 missing-resource`.

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
    code: "GL022",
    name: "missing-resource",
    severity: Severity::Error,
    applies_to: &[
        PolicyType::Identity,
        PolicyType::Boundary,
        PolicyType::Resource,
    ],
    access_analyzer: &["MISSING_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a statement of an identity, boundary or resource policy that has neither `Resource` nor `NotResource`. A resource policy's statement whose actions are all of ECR, ECR Public or EFS is left alone: those policies attach to one repository or file system, and AWS publishes them without `Resource`.

## Why is this bad?

IAM requires one of them in these policy types and rejects the document. (Role trust policies are the opposite: see `resource-in-trust-policy`.)

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject"
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

/// Services whose resource policies attach to one resource and are published without
/// `Resource`: ECR repository policies ("Private repository policy examples",
/// <https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html>),
/// ECR Public, and EFS file system policies (the console's default policies,
/// <https://docs.aws.amazon.com/efs/latest/ug/create-file-system-policy.html>).
const SCOPED_BY_ATTACHMENT: &[&str] = &["ecr", "ecr-public", "elasticfilesystem"];

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let attached_scope = cx.policy_type == PolicyType::Resource
            && !s.action.negated
            && !s.action.items.is_empty()
            && s.action.items.iter().all(|a| {
                a.split()
                    .is_some_and(|(svc, _)| SCOPED_BY_ATTACHMENT.contains(&svc))
            });
        if s.resource.is_none() && !attached_scope {
            out.push(cx.finding(&RULE, s.action.key_span, format!("statement {} has neither `Resource` nor `NotResource`", s.index))
                .label("in this statement")
                .help("add a `Resource` element naming the ARNs the actions apply to (or \"*\" for actions without resource-level permissions)"));
        }
    }
}
