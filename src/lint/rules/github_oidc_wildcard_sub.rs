//! `GL076 github-oidc-wildcard-sub`.

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
    code: "GL076",
    name: "github-oidc-wildcard-sub",
    severity: Severity::Warning,
    applies_to: &[PolicyType::Trust],
    access_analyzer: &["SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `token.actions.githubusercontent.com:sub` value with a wildcard in the organization or repository part (or `*` alone). A `StringLike` pattern that admits a repository of an owner no policy names — decided by the pattern's language, so `?*`, `r*` and `re?o:*` count as `repo:*` does — is a security finding.

## Why is this bad?

A wildcard there trusts every repository it matches, including repositories created later by anyone who can name them.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
      },
      "Condition": {
        "StringLike": {
          "token.actions.githubusercontent.com:sub": "repo:example-org/*"
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
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Principal": {
        "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
      },
      "Condition": {
        "StringLike": {
          "token.actions.githubusercontent.com:sub": "repo:example-org/example-repo:*"
        }
      }
    }
  ]
}
```
"##,
};

/// Whether the `StringLike` value `t` of `token.actions.githubusercontent.com:sub` admits a
/// repository of an owner no policy names (`repo:*`, `*`, `repo:*/x:*`, and by language `?*`,
/// `r*`, `re?o:*`): GL076's security finding.
pub(crate) fn admits_any_owner(t: &str) -> bool {
    let org_repo = t
        .strip_prefix("repo:")
        .and_then(|r| r.split(':').next())
        .unwrap_or("");
    let owner = org_repo.split('/').next().unwrap_or("");
    (t.contains(['*', '?'])
        && crate::analysis::cover::globs_intersect(t, "repo:greenlight-unnamed/*"))
        || t == "*"
        || t.starts_with('*')
        || t == "repo:*"
        || owner.contains(['*', '?'])
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if c.key_lower != "token.actions.githubusercontent.com:sub" {
                continue;
            }
            for v in &c.values {
                let t = v.text.as_str();
                let org_repo = t
                    .strip_prefix("repo:")
                    .and_then(|r| r.split(':').next())
                    .unwrap_or("");
                let like = c.op.base == crate::model::OpBase::StringLike;
                // by language: the pattern admits a repository of an owner no policy names
                // (`?*`, `r*`, `re?o:*` as `repo:*` does)
                let any_owner = like
                    && t.contains(['*', '?'])
                    && crate::analysis::cover::globs_intersect(t, "repo:greenlight-unnamed/*");
                if t == "*"
                    || org_repo.contains('*')
                    || t.ends_with(":*") && t.matches(':').count() < 2
                    || t.starts_with('*')
                    || any_owner
                {
                    // A wildcard in the owner part (`repo:*`, `repo:*/x:*`, `*`) under a `...Like`
                    // operator admits repositories of every GitHub account: anyone can assume
                    // the role (IAM User Guide, GitHub OIDC: "...only your own repositories").
                    let anyone = like && admits_any_owner(t);
                    let mut f = if anyone {
                        cx.finding(&RULE, v.span, format!("`{t}` lets repositories of every GitHub account assume the role: anyone can create one"))
                    } else {
                        cx.finding(&RULE, v.span, format!("`{t}` lets more repositories or branches assume the role than intended"))
                    }
                    .help("name the organization, repository and branch or environment, such as `repo:my-org/my-repo:ref:refs/heads/main`");
                    if anyone {
                        f.severity = Severity::Security;
                    }
                    out.push(f);
                }
            }
        }
    }
}
