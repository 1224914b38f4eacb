//! `GL103 string-like-operator-with-arn-key`.

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
    code: "GL103",
    name: "string-like-operator-with-arn-key",
    severity: Severity::Security,
    applies_to: ALL_TYPES,
    access_analyzer: &["STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `StringLike`/`StringNotLike` on a condition key of type ARN.

When every wildcard comes after the fifth colon (the first five fields are literal; a policy variable that holds one field without a colon, such as `${aws:PrincipalAccount}`, `${aws:PrincipalOrgID}` or `${aws:username}`, counts as literal), or the value has fewer than six fields and ends in its only wildcard (`arn:aws:ses:*`), both operators match the same ARNs and the finding is a suggestion; likewise for `aws:PrincipalArn` with a value of five literal colons (a principal's ARN has exactly five, so no wildcard can run across one). It is also a suggestion where matching more ARNs only restricts: `StringLike` in a `Deny` (it denies more, as in AWS Control Tower's "Disallow actions as a root user" control) and `StringNotLike` in an `Allow`.

## Why is this bad?

With `StringLike` a `*` can match across the colons of an ARN (`arn:aws:s3:::*:111122223333:x` matches ARNs of other accounts); `ArnLike` matches field by field.

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
        "StringLike": {
          "aws:SourceArn": "arn:aws:sns:*:111122223333:*"
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
        "ArnLike": {
          "aws:SourceArn": "arn:aws:sns:*:111122223333:*"
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
            if !matches!(c.op.base, OpBase::StringLike | OpBase::StringNotLike) {
                continue;
            }
            let Some(key) = crate::lint::util::condition_key_cached(&c.key) else {
                continue;
            };
            if key.key_type() == crate::catalog::KeyType::Arn {
                let arn_op =
                    c.op.name()
                        .replace("StringLike", "ArnLike")
                        .replace("StringNotLike", "ArnNotLike");
                let mut f = cx.finding(&RULE, c.op_span, format!("`{}` is an ARN key but `{}` compares it as a plain string", c.key, c.op.name()))
                    .help(format!("use `{arn_op}`: it matches each ARN field separately, so `*` cannot run across fields"));
                // Every wildcard after the fifth colon (CodeDeploy's documented
                // `arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:myApplication/*`):
                // the first five fields are literal, so both operators match the same ARNs
                // and the finding is only about style.
                //
                // `StringLike` matches at least the ARNs `ArnLike` does, so it loosens only an
                // `Allow` it conditions, or a `Deny` through `StringNotLike` (true for fewer
                // ARNs); `StringLike` in a `Deny` (Control Tower's "Disallow actions as a root
                // user": `aws:PrincipalArn` like `arn:aws:iam::*:root`, red team 34) denies
                // more and `StringNotLike` in an `Allow` grants less: style, not security.
                let loosens = matches!(
                    (s.effect.value, c.op.base),
                    (Effect::Allow, OpBase::StringLike) | (Effect::Deny, OpBase::StringNotLike)
                );
                // A principal's ARN has exactly five colons (`arn:aws:iam::111122223333:role/x`;
                // `aws:PrincipalArn` of a role session is the role's ARN): against a value
                // with five literal colons a wildcard cannot run across one (the colons must
                // pair off), as in the Organizations example SCP
                // `arn:aws:iam::*:role/name`
                // (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html>).
                let principal_arn = c.key_lower == "aws:principalarn";
                if !loosens
                    || c.values.iter().all(|v| {
                        wildcards_only_in_resource(&v.text)
                            || (principal_arn && {
                                // Any other variable may hold a colon of its own.
                                let l = literal_variables(&v.text);
                                !l.contains("${") && l.matches(':').count() == 5
                            })
                    })
                {
                    f.severity = Severity::Suggestion;
                }
                out.push(f);
            }
        }
    }
}

/// Whether `StringLike` and `ArnLike` read an ARN value alike: every `*`/`?` (and policy
/// variable) comes after its fifth colon, or the value has fewer than six fields and its only
/// wildcard is a final `*` (SES's documented `arn:aws:ses:*`), which `ArnLike` also lets run
/// across the remaining fields (IAM, "Amazon Resource Name (ARN) condition operators").
fn wildcards_only_in_resource(v: &str) -> bool {
    let v = &literal_variables(v);
    let mut colons = 0;
    let n = v.len();
    for (i, c) in v.char_indices() {
        match c {
            ':' => colons += 1,
            '*' if colons < 5 && i + 1 == n => return true,
            '*' | '?' | '$' if colons < 5 => return false,
            _ => {}
        }
    }
    colons >= 5
}

/// Policy variables whose value is one literal field without a colon or wildcard (an account
/// ID, an organization ID, an IAM user name: IAM names allow only `+=,.@_-` besides letters
/// and digits) stand for one: `arn:aws:iam::${aws:PrincipalAccount}:role/x*` (Access
/// Analyzer's policy-generation example,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html>)
/// has its wildcard after the fifth colon only. Any other variable is kept as written (it may
/// hold a colon: `aws:userid` is `ROLEID:session`).
fn literal_variables(v: &str) -> std::borrow::Cow<'_, str> {
    const ONE_FIELD: &[&str] = &[
        "aws:principalaccount",
        "aws:resourceaccount",
        "aws:sourceaccount",
        "aws:principalorgid",
        "aws:resourceorgid",
        "aws:username",
    ];
    let found = variables(v);
    if found.is_empty() {
        return std::borrow::Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len());
    let mut at = 0;
    for x in found {
        if x.closed && ONE_FIELD.contains(&x.inner.to_ascii_lowercase().as_str()) {
            out.push_str(&v[at..x.start]);
            out.push('0');
            at = x.end;
        }
    }
    out.push_str(&v[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::wildcards_only_in_resource as same;

    /// SES's `StringLike aws:SourceArn "arn:aws:ses:*"` (red-team pass 17) reads as `ArnLike`
    /// would; a wildcard inside an early field, or one followed by more text, does not.
    #[test]
    fn trailing_whole_field_wildcards_read_alike() {
        for v in [
            "arn:aws:ses:*",
            "arn:aws:sns:us-east-1:1*",
            "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:app/*",
        ] {
            assert!(same(v), "{v}");
        }
        for v in [
            "arn:aws:sns:*:111122223333:t",
            "arn:aws:sns:us-*:111122223333",
            "arn:aws:ses:?",
        ] {
            assert!(!same(v), "{v}");
        }
    }
}
