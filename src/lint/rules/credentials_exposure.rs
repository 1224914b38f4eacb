//! `GL129 credentials-exposure`.

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
    code: "GL129",
    name: "credentials-exposure",
    severity: Severity::Warning,
    applies_to: IDENTITY_TYPES,
    access_analyzer: &[],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a policy that effectively allows (Allow minus Deny, conditions decided by the request-space analysis) an action that returns credentials in its response — `sts:AssumeRole`, `iam:CreateAccessKey`, `iam:UpdateAccessKey`, `redshift:GetClusterCredentials`, `rds-db:Connect`, `ec2:GetPasswordData`, ... (cloudsplaining's "Credentials Exposure" list, <https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/>) — on resources the policy does not name.

## Why is this bad?

Whoever holds the permission receives credentials for other identities or databases; on any resource, that is every role that trusts the account, every user's keys, every cluster.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
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
      "Action": "sts:AssumeRole",
      "Resource": "arn:aws:iam::111122223333:role/deploy"
    }
  ]
}
```

## Limits

Actions that take only `"Resource": "*"` (`ecr:GetAuthorizationToken`, `sts:GetSessionToken`) cannot be scoped and are not reported; a statement that grants `*` is reported by `full-admin`.
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let pool = pool();
    let actions = crate::lint::categories::covered(cx, pool, None, true);
    crate::lint::categories::report(
        cx,
        &RULE,
        actions,
        "actions that return credentials",
        "name the roles, users or clusters whose credentials the principal needs in `Resource`",
        false,
        out,
    );
}

fn pool() -> &'static [u32] {
    static P: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    P.get_or_init(|| crate::lint::categories::pool_of(crate::lint::escalation::CREDENTIALS))
}
