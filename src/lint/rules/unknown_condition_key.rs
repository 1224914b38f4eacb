//! `GL101 unknown-condition-key`.

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
    code: "GL101",
    name: "unknown-condition-key",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &[
        "INVALID_SERVICE_CONDITION_KEY",
        "INVALID_GLOBAL_CONDITION_KEY",
    ],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition key with the `aws:` prefix that is not a global key, or with a service prefix that the service does not define. Keys of identity providers (`token.actions.githubusercontent.com:sub`, `accounts.google.com:aud`, ...) are not checked.

## Why is this bad?

A key that does not exist is never in the request, so the condition never matches, or a negated one always does.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringEquals": {
          "aws:SourceAcount": "111122223333"
        }
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
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": "111122223333"
        }
      }
    }
  ]
}
```

## Limits

Decided with the IAM action catalog shipped in the binary (or the one given with `--catalog`); an action AWS added after the catalog's date is reported until the catalog is refreshed (`greenlight catalog update`).
"##,
};

/// Global keys AWS still honours and uses in its own managed policies but the catalog omits.
const LEGACY_GLOBAL: [&str; 1] = ["aws:principalorgmasteraccountid"];

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let Some((prefix, rest)) = c.key_lower.split_once(':') else {
                continue;
            };
            if rest.is_empty() || rest.ends_with('/') {
                continue;
            }
            let known_prefix = prefix == "aws" || cat.service(prefix).is_some();
            // Service tag keys (`secretsmanager:ResourceTag/x`) and legacy global keys the
            // catalog's tables do not list are not reported.
            if rest.starts_with("resourcetag/")
                || rest.starts_with("requesttag/")
                || LEGACY_GLOBAL.contains(&c.key_lower.as_str())
            {
                continue;
            }
            if !known_prefix {
                continue;
            }
            if crate::lint::util::condition_key_cached(&c.key).is_some() {
                continue;
            }
            let msg = if prefix == "aws" {
                format!("the global condition key `{}` does not exist", c.key)
            } else {
                format!(
                    "the condition key `{}` does not exist in the service `{prefix}`",
                    c.key
                )
            };
            out.push(cx.finding(&RULE, c.key_span, format!("{msg}: the condition never matches (or, negated, always matches)"))
                .help("check the key in the Service Authorization Reference (`greenlight catalog` lists the keys of a service)"));
        }
    }
}
