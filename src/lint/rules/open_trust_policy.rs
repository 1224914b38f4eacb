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

Flags an Allow statement in a role trust policy through which a principal outside every account and organization the policy names can assume the role: `*`, `{"AWS": "*"}` or `NotPrincipal`, or a web-identity provider anyone can get a token from (Cognito, Google, Facebook, Login with Amazon, whose `aud` — `app_id` for Facebook and Login with Amazon — names your app or identity pool; the shared CI providers GitLab.com, HCP Terraform and Buildkite, whose `aud` every tenant chooses, so only a `sub` that names your tenant bounds the caller; GitHub's is GL075), with no condition or with conditions that do not bound the caller (`StringLike` `aws:PrincipalAccount` `"*"`, `sts:ExternalId` alone, `...IfExists` on a key an outside caller omits, such as a key its provider never sends: `graph.facebook.com:aud`). Decided on all requests by the analysis behind `greenlight verify --no-public-access`, which follows IAM Access Analyzer's documentation of public and cross-account access.

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
        let note = p
            .example
            .as_ref()
            .map(effective::caller_note)
            .unwrap_or_default();
        let sign_in = if crate::lint::util::principal_is_everyone(s) {
            None
        } else {
            effective::shared_sign_in(s)
        };
        let (msg, help) = match sign_in {
            // a shared CI provider: every customer gets tokens; `sub` names the customer
            Some(host) if crate::analysis::verify::shared_ci_provider(&host) => (
                format!("anyone who can get a token from `{host}` can assume this role: the conditions do not pin `{host}:sub` to your own tenant{note}"),
                "pin the claim that names your tenant (`sub`: GitLab `project_path:GROUP/PROJECT:...`, HCP Terraform `organization:NAME:...`) with exact values or a pattern whose tenant part has no wildcard; every tenant of a shared provider chooses its own `aud`".to_string(),
            ),
            // an identity pool's guest identities: anyone gets one (Cognito developer guide,
            // "Identity pools (federated identities) authentication flow")
            Some(host) if guest(p.example.as_ref(), &host) => (
                format!("anyone can get an unauthenticated (guest) identity from the identity pool and assume this role: the conditions admit `{host}:amr` = `unauthenticated`{note}"),
                format!("if guest access is not intended, admit only `authenticated` in `{host}:amr`; a guest role should hold only what any visitor may do"),
            ),
            // an identity pool: `aud` names the pool
            Some(host) if host == "cognito-identity.amazonaws.com" => (
                format!("anyone who can sign in to `{host}` can assume this role: the conditions do not bound the caller to your own identity pool{note}"),
                format!("pin `{host}:aud` to your identity pool's ID with exact values, and admit only `authenticated` identities in `{host}:amr` unless guest access is intended"),
            ),
            // a public sign-in provider: its audience key names the app (`aud`, Facebook's
            // and Login with Amazon's `app_id`; IAM web identity condition keys)
            Some(host) => {
                let keys = crate::analysis::web_identity::audience_keys(&host)
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                (
                    format!("anyone who can sign in to `{host}` can assume this role: the conditions do not bound the caller to your own app{note}"),
                    format!("pin {keys} to your app's ID with exact values, with a positive operator (`StringEquals`): `...IfExists`, `ForAllValues:` and negated operators also admit requests without the key, and a key the provider never sends is absent from every request"),
                )
            }
            None => (
                match (&p.example, &p.undecided) {
                    (None, Some(why)) => format!("any AWS principal in any account may be able to assume this role: whether the trust policy's conditions keep out callers outside your accounts and organization could not be decided ({why})"),
                    (None, None) => "any AWS principal in any account can assume this role: the trust policy allows everyone without a condition".to_string(),
                    (Some(_), _) => format!("any AWS principal outside the accounts and organizations it names can assume this role: the conditions do not bound the caller{note}"),
                },
                "name the trusted accounts or roles, or add a condition that fixes the caller's account or organization (`aws:PrincipalAccount`, `aws:PrincipalOrgID` with exact values); `sts:ExternalId` alone does not limit who can assume the role".to_string(),
            ),
        };
        out.push(cx.finding(&RULE, pr.span, msg).help(help));
    }
}

/// Whether the public example is a guest identity of an identity pool (`amr` =
/// `unauthenticated`).
fn guest(e: Option<&crate::analysis::Example>, host: &str) -> bool {
    let key = format!("{host}:amr");
    e.is_some_and(|e| {
        e.context
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(&key) && v.iter().any(|x| x == "unauthenticated"))
    })
}
