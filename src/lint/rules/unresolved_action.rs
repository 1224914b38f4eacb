//! `GL133 unresolved-action`.

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
    code: "GL133",
    name: "unresolved-action",
    severity: Severity::Security,
    applies_to: ALL_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an `Action` or `NotAction` entry of a template that greenlight cannot compute offline: a
CloudFormation parameter without a value, a Terraform variable without a value, a function or
resource attribute known only at apply. Such a value is a typed placeholder
(`UNKNOWN-var.actions`), named on standard error, that matches only itself.

## Why is this bad?

The value deployed may be any action, `*` included, so every other rule sees less than the
policy may grant: a clean lint of such a template proves nothing. `verify` and `diff` refuse
to decide on it (exit 2); `lint` reports it so that a CI gate does not pass it silently.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "UNKNOWN-var.actions",
      "Resource": "*"
    }
  ]
}
```

## Use instead

Give the value (`--template-param NAME=VALUE`, `--template-params FILE`, a `.tfvars` file), or
lint the Terraform plan (`terraform show -json`), so that the action is known:

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        let word = if s.action.negated {
            "NotAction"
        } else {
            "Action"
        };
        for a in &s.action.items {
            if crate::lint::util::has(&a.text, "UNKNOWN-") {
                out.push(
                    cx.finding(
                        &RULE,
                        a.span,
                        format!(
                            "the `{word}` entry `{}` is not known offline: the deployed value may be any action",
                            a.text
                        ),
                    )
                    .help("give the value (`--template-param NAME=VALUE`, `--template-params FILE`, a `.tfvars` file) or lint the Terraform plan; stderr names what the placeholder stands for"),
                );
            }
        }
    }
}
