//! `GL105 forallvalues-with-single-valued-key`.

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
    code: "GL105",
    name: "forallvalues-with-single-valued-key",
    severity: Severity::Security,
    applies_to: ALL_TYPES,
    access_analyzer: &["FORALLVALUES_WITH_SINGLE_VALUED_KEY"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags `ForAllValues:` with a key that is single-valued in the catalog, or with a key of a public web-identity provider (`graph.facebook.com:app_id`, `www.amazon.com:aud`, `accounts.google.com:aud`, ...; every one but Cognito's multivalued `amr`).

## Why is this bad?

`ForAllValues` is true when the key is absent or empty, so with an Allow the condition grants access to every request that lacks the key. AWS: "Do not use ForAllValues with an Allow effect".

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
        "ForAllValues:StringEquals": {
          "aws:PrincipalTag/team": "ops"
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
          "aws:PrincipalTag/team": "ops"
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
            if c.op.qualifier != Some(SetQualifier::ForAllValues) {
                continue;
            }
            // a web-identity provider's keys are not in the catalog: Facebook's, Login with
            // Amazon's and Google's are single-valued (an absent one, such as
            // `graph.facebook.com:aud`, makes `ForAllValues:` true for anyone who signs in);
            // Cognito's `amr` is the documented multivalued one (IAM web identity condition
            // keys, <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>)
            let single = crate::analysis::web_identity::single_valued_key(&c.key)
                || crate::lint::util::condition_key_cached(&c.key)
                    .is_some_and(|k| k.type_name().is_some() && !k.is_multivalued());
            if single {
                out.push(cx.finding(&RULE, c.op_span, format!("`ForAllValues:` with the single-valued key `{}` is also true when the key is absent", c.key))
                    .help(format!("remove `ForAllValues:` and use `{}`", c.op.name().trim_start_matches("ForAllValues:"))));
            }
        }
    }
}
