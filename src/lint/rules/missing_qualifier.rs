//! `GL104 missing-qualifier`.

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
    code: "GL104",
    name: "missing-qualifier",
    severity: Severity::Error,
    applies_to: ALL_TYPES,
    access_analyzer: &["MISSING_QUALIFIER"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a multivalued condition key (type `ArrayOf...`) used without `ForAnyValue:` or `ForAllValues:`.

## Why is this bad?

Without a set qualifier, the comparison of a multivalued key is not well defined and Access Analyzer reports an error.

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
          "aws:TagKeys": "team"
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
        "ForAllValues:StringEquals": {
          "aws:TagKeys": "team"
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

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if c.op.qualifier.is_some() || c.op.base == OpBase::Null {
                continue;
            }
            let Some(key) = crate::lint::util::condition_key_cached(&c.key) else {
                continue;
            };
            if key.is_multivalued() {
                out.push(cx.finding(&RULE, c.op_span, format!("`{}` can have several values ({}), but `{}` has no `ForAnyValue:` or `ForAllValues:` qualifier", c.key, key.type_name().unwrap_or("multivalued"), c.op.name()))
                    .help(format!("write `ForAnyValue:{}` (any value matches) or `ForAllValues:{}` (every value matches)", c.op.name(), c.op.name())));
            }
        }
    }
}
