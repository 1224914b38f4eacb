//! `GL080 scp-allow-with-not-action`.

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
    code: "GL080",
    name: "scp-allow-with-not-action",
    severity: Severity::Suggestion,
    applies_to: &[PolicyType::Scp],
    access_analyzer: &["SCP_SYNTAX_ERROR_ALLOW_NOTACTION"],
    aws_docs: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `NotAction` in an Allow statement of an SCP, which SCPs accept since 19 September 2025.

## Why is this bad?

Nothing is wrong with it in AWS Organizations today. Since 19 September 2025 SCPs support the full IAM policy language except principals (`NotAction` in Allow statements included) in the commercial and AWS GovCloud (US) Regions ([announcement](https://aws.amazon.com/blogs/security/unlock-new-possibilities-aws-organizations-service-control-policy-now-supports-full-iam-language)), and greenlight evaluates it like any other policy element. Until then Organizations rejected it (Access Analyzer's `SCP_SYNTAX_ERROR_ALLOW_NOTACTION` check belongs to that time), so the finding is a note for SCPs that must also load where the old SCP grammar still applies (other partitions, older tools). This rule was an `error` before that change; it is kept, as a `suggestion`, so that configurations naming it keep working.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "NotAction": "iam:*",
      "Resource": "*"
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
      "Effect": "Deny",
      "NotAction": "iam:*",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.effect.value == Effect::Allow && s.action.negated {
            out.push(cx.finding(&RULE, s.action.key_span, "`NotAction` in an SCP Allow statement: accepted since 19 September 2025 (full IAM policy language for SCPs), rejected before").help("nothing to change for AWS Organizations; where the old SCP grammar applies, list the allowed actions with `Action`, or deny the others with a Deny + NotAction statement"));
        }
    }
}
