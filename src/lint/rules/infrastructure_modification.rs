//! `GL132 infrastructure-modification`.

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
    code: "GL132",
    name: "infrastructure-modification",
    severity: Severity::Suggestion,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy that effectively allows (Allow minus Deny, conditions decided by the request-space analysis) "Write" actions that support resource-level permissions on resources the policy does not name (by ARN or by `aws:ResourceTag` value): cloudsplaining's "Infrastructure Modification" (<https://cloudsplaining.readthedocs.io/en/latest/glossary/infrastructure-modification/>), one finding per policy (at the first statement that grants them). `Allow` with `NotAction` is left to `allow-with-not-action` (GL090): it would list thousands of actions.

## Why is this bad?

Unconstrained write access can create, change or delete any resource of the service (`ec2:AuthorizeSecurityGroupIngress` on every security group), which leads to resource hijacking, backdoors or downtime. It is a suggestion: many workloads need some of it.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:AuthorizeSecurityGroupIngress",
      "Resource": "*"
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
      "Action": "ec2:AuthorizeSecurityGroupIngress",
      "Resource": "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::catalog::AccessLevel;
    let pool = crate::lint::categories::of_level(AccessLevel::Write);
    let mut actions = crate::lint::categories::covered(cx, pool, Some(AccessLevel::Write), false);
    // Creating a virtual MFA device changes nothing that exists (a name in use fails) and binds
    // it to no user until `iam:EnableMFADevice`: IAM's MFA self-management example grants it on
    // `mfa/*` (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html>)
    if let Some(mfa) = crate::lint::action_index::index_of("iam:createvirtualmfadevice") {
        actions.retain(|&a| a != mfa);
    }
    crate::lint::categories::report(
        cx,
        &RULE,
        actions,
        "changing infrastructure",
        "name the resources the principal changes in `Resource` (or limit them with `aws:ResourceTag` conditions)",
        true,
        out,
    );
}
