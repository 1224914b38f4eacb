//! `GL093 open-resource-policy`.

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
    code: "GL093",
    name: "open-resource-policy",
    severity: Severity::Security,
    applies_to: &[PolicyType::Resource],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement in a resource-based policy through which a caller outside every account, organization and network the policy names gets access: `*`, `{"AWS": "*"}` or `NotPrincipal`, with no condition or with conditions that do not bound the caller (`aws:SecureTransport`, `aws:SourceIp` `0.0.0.0/0`, `StringLike` `aws:PrincipalOrgID` `"*"`). Decided on all requests by the analysis behind `greenlight verify --no-public-access` (Amazon S3's "meaning of public" and IAM Access Analyzer's findings).

## Why is this bad?

The resource is public: anyone, including anonymous callers, can perform the allowed actions. The two principal forms are equivalent. Requiring TLS does not limit who the caller is.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Principal": "*"
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
      "Principal": "*",
      "Condition": {
        "StringEquals": {
          "aws:PrincipalOrgID": "o-exampleorgid"
        }
      }
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    use crate::lint::effective;
    for p in effective::public_statements(cx.policy, crate::analysis::Kind::Resource) {
        let Some(s) = cx.policy.statements.get(p.statement) else {
            continue;
        };
        let Some(pr) = &s.principal else { continue };
        let msg = match (&p.example, &p.undecided) {
            (None, Some(why)) => format!("the resource policy allows everyone, and whether its conditions keep out callers outside your accounts and organization could not be decided ({why}): reported as public"),
            (None, None) => "the resource policy allows everyone, including anonymous callers, without a condition".to_string(),
            (Some(e), _) => format!("the resource policy allows callers outside every account, organization and network it names: the conditions do not bound the caller{}", effective::caller_note(e)),
        };
        out.push(cx.finding(&RULE, pr.span, msg)
            .help("name the allowed principals, or add a condition such as `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceAccount`"));
    }
}
