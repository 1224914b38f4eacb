//! `GL102 condition-type-mismatch`.

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
    code: "GL102",
    name: "condition-type-mismatch",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["TYPE_MISMATCH"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a condition operator whose type does not match the key's type in the catalog, such as `StringEquals` on the Boolean key `aws:ViaAWSService`.

## Why is this bad?

IAM compares the values with the operator's type; with the wrong type the comparison may never match (for example `"True"` vs `true`).

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
          "aws:ViaAWSService": "true"
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
        "Bool": {
          "aws:ViaAWSService": "true"
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
    fn family_of(t: crate::catalog::KeyType) -> Option<OpFamily> {
        use crate::catalog::KeyType as K;
        Some(match t {
            K::String => OpFamily::String,
            K::Arn => OpFamily::Arn,
            K::Bool => OpFamily::Bool,
            K::Numeric => OpFamily::Numeric,
            K::Date => OpFamily::Date,
            K::IpAddress => OpFamily::Ip,
            K::Binary => OpFamily::Binary,
            K::Unknown => return None,
        })
    }
    fn family_name(f: OpFamily) -> &'static str {
        match f {
            OpFamily::String => "String",
            OpFamily::Arn => "ARN",
            OpFamily::Bool => "Boolean",
            OpFamily::Numeric => "Numeric",
            OpFamily::Date => "Date",
            OpFamily::Ip => "IP address",
            OpFamily::Binary => "Binary",
            OpFamily::Null => "Null",
        }
    }

    for s in &cx.policy.statements {
        for c in &s.conditions {
            let have = c.op.base.family();
            if have == OpFamily::Null {
                continue;
            }
            let Some(key) = crate::lint::util::condition_key_cached(&c.key) else {
                continue;
            };
            let Some(want) = family_of(key.key_type()) else {
                continue;
            };
            let ok = have == want
                || (want == OpFamily::Arn && have == OpFamily::String)
                || (want == OpFamily::String && have == OpFamily::Arn);
            if !ok {
                out.push(
                    cx.finding(
                        &RULE,
                        c.op_span,
                        format!(
                            "`{}` is of type {}, but `{}` is a {} operator",
                            c.key,
                            key.type_name().unwrap_or("?"),
                            c.op.name(),
                            family_name(have)
                        ),
                    )
                    .help(format!(
                        "use a {} operator for `{}`",
                        family_name(want),
                        c.key
                    )),
                );
            }
        }
    }
}
