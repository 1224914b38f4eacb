//! `GL072 open-trust-policy`.

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
    code: "GL072",
    name: "open-trust-policy",
    severity: Severity::Security,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement in a role trust policy through which a principal outside every account and organization the policy names can assume the role: `*`, `{"AWS": "*"}` or `NotPrincipal`, or a web-identity provider anyone can get a token from (Cognito, Google, …; the shared CI providers GitLab.com, HCP Terraform and Buildkite, whose `aud` every tenant chooses, so only a `sub` that names your tenant bounds the caller; GitHub's is GL075), with no condition or with conditions that do not bound the caller (`StringLike` `aws:PrincipalAccount` `"*"`, `sts:ExternalId` alone, `...IfExists` on a key an outside caller omits). Decided on all requests by the analysis behind `greenlight verify --no-public-access`, which follows IAM Access Analyzer's documentation of public and cross-account access.

## Why is this bad?

Anyone with AWS credentials, in any account, can assume the role. `"*"` and `{"AWS": "*"}` are equivalent. Only a condition that fixes the caller's account or organization (`aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`, ... with exact values) keeps it private. A role trusted by a service such as `ec2.amazonaws.com` is not open: only the service can assume it.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "AWS": "*"
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
        "AWS": "*"
      },
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
    for p in effective::public_statements(cx.policy, crate::analysis::Kind::Trust) {
        let Some(s) = cx.policy.statements.get(p.statement) else {
            continue;
        };
        let Some(pr) = &s.principal else { continue };
        let shared = if crate::lint::util::principal_is_everyone(s) {
            None
        } else {
            effective::shared_sign_in(s)
        };
        let shared_host = shared.clone();
        let msg = match (&p.example, shared) {
            (e, Some(host)) => format!("anyone who can get a token from `{host}` can assume this role: the conditions do not name your own tenant in `{host}:sub`{}", e.as_ref().map(effective::caller_note).unwrap_or_default()),
            (None, None) => "any AWS principal in any account can assume this role: the trust policy allows everyone without a condition".to_string(),
            (Some(e), None) => format!("any AWS principal outside the accounts and organizations it names can assume this role: the conditions do not bound the caller{}", effective::caller_note(e)),
        };
        let help = if shared_host.is_some() {
            "pin the claim that names your tenant (`sub`: GitLab `project_path:GROUP/PROJECT:...`, HCP Terraform `organization:NAME:...`) with exact values or a pattern whose tenant part has no wildcard; every tenant of a shared provider chooses its own `aud`"
        } else {
            "name the trusted accounts or roles, or add a condition that fixes the caller's account or organization (`aws:PrincipalAccount`, `aws:PrincipalOrgID` with exact values); `sts:ExternalId` alone does not limit who can assume the role"
        };
        out.push(cx.finding(&RULE, pr.span, msg).help(help));
    }
}
