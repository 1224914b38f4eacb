//! `GL052 malformed-policy-variable`.

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
    code: "GL052",
    name: "malformed-policy-variable",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[
        "MISSING_BRACE_IN_VARIABLE",
        "MISSING_QUOTE_IN_VARIABLE",
        "UNSUPPORTED_SPACE_IN_VARIABLE",
        "EMPTY_VARIABLE",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a malformed policy variable in `Resource` or a condition value: a missing `}`, an empty `${}`, a space inside the name, or a default value without single quotes.

## Why is this bad?

IAM cannot substitute a malformed variable, so the ARN or value is compared literally and matches nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/home/${aws:username/*"
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
      "Resource": "arn:aws:s3:::example-bucket/home/${aws:username}/*"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let src = cx.source();
    let check_str = |v: &Spanned<String>, out: &mut Vec<Finding>| {
        // (no `$`, no variable: the cheap byte search first)
        if !v.value.contains('$') {
            return;
        }
        for var in variables(&v.value) {
            let span = sub_span(src, v, var.start, var.end);
            let problem = if !var.closed {
                Some((
                    "the policy variable has no closing `}`",
                    "add `}` after the variable name".to_string(),
                ))
            } else if matches!(var.inner, "*" | "?" | "$") {
                None
            } else if var.inner.trim().is_empty() {
                Some((
                    "the policy variable `${}` is empty",
                    "put a key inside, such as `${aws:username}`, or remove it".to_string(),
                ))
            } else if let Some((key, default)) = var.inner.split_once(',') {
                let d = default.trim();
                if key.contains(' ') {
                    Some((
                        "the policy variable contains a space",
                        "remove the space inside the variable name".to_string(),
                    ))
                } else if !(d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'')) {
                    Some((
                        "the default value of the policy variable is not in single quotes",
                        format!("write `${{{key}, '{}'}}`", d.trim_matches('\'')),
                    ))
                } else {
                    None
                }
            } else if var.inner.contains(' ') {
                Some((
                    "the policy variable contains a space",
                    format!("write `${{{}}}`", var.inner.replace(' ', "")),
                ))
            } else {
                None
            };
            if let Some((msg, help)) = problem {
                out.push(Finding::new(&RULE, src.clone(), span, msg).help(help));
            }
        }
    };
    for s in &cx.policy.statements {
        if let Some(r) = &s.resource {
            for i in &r.items {
                check_str(i, out);
            }
        }
        for c in &s.conditions {
            for v in &c.values {
                // (no `$`: no variable to check, and no copy to make)
                if !v.text.contains('$') {
                    continue;
                }
                let sv = Spanned {
                    value: v.text.clone(),
                    span: v.span,
                };
                check_str(&sv, out);
            }
        }
    }
}
