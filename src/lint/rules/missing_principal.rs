//! `GL025 missing-principal`.

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
    code: "GL025",
    name: "missing-principal",
    severity: Severity::Error,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["MISSING_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a statement of a resource policy or role trust policy without `Principal` (or `NotPrincipal`).

## Why is this bad?

Resource-based policies and trust policies must say who they apply to; the service rejects the document.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole"
    },
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ec2.amazonaws.com"
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
        "Service": "ec2.amazonaws.com"
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if s.principal.is_none() {
            out.push(
                cx.finding(
                    &RULE,
                    s.effect.span,
                    format!(
                        "statement {} of a {} policy has no `Principal`",
                        s.index, cx.policy_type
                    ),
                )
                .label("in this statement")
                .help("name who the statement applies to with `Principal`"),
            );
        }
    }
}
