//! `GL029 invalid-sid-characters`.

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
    code: "GL029",
    name: "invalid-sid-characters",
    severity: Severity::Error,
    applies_to: &[
        PolicyType::Identity,
        PolicyType::Boundary,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
    ],
    access_analyzer: &["UNSUPPORTED_SID"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a `Sid` with characters other than ASCII letters and digits in an IAM policy or SCP/RCP.

## Why is this bad?

IAM supports only `A-Z`, `a-z` and `0-9` in Sids and rejects the document otherwise (SQS and SNS resource policies allow more, so this rule does not apply to resource policies).

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*",
      "Sid": "read-objects"
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
      "Sid": "ReadObjects"
    }
  ]
}
```
"##,
};

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for s in &cx.policy.statements {
        if let Some(sid) = &s.sid {
            if let Some(bad) = sid.value.chars().find(|c| !c.is_ascii_alphanumeric()) {
                out.push(
                    cx.finding(
                        &RULE,
                        sid.span,
                        format!(
                            "the Sid `{}` contains `{}`; IAM Sids allow only A-Z, a-z and 0-9",
                            sid.value,
                            bad.escape_default()
                        ),
                    )
                    .help({
                        let kept: String = sid
                            .value
                            .chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect();
                        // (a Sid of no ASCII letter or digit at all: a made-up name, never ``)
                        let name = if kept.is_empty() {
                            format!(
                                "Statement{}",
                                cx.policy
                                    .statements
                                    .iter()
                                    .position(|x| std::ptr::eq(x, s))
                                    .unwrap_or(0)
                                    + 1
                            )
                        } else {
                            kept
                        };
                        format!("rename it, for example `{name}`")
                    }),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{PolicyType, lint_source};
    use crate::source::Source;

    /// A Sid with no ASCII letter or digit gets a made-up name as the example, not `` (red
    /// team 36).
    #[test]
    fn the_example_name_is_never_empty() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ÄÖ-","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
        let out = lint_source(
            &Source::new("p.json", text.to_string()),
            Some(PolicyType::Identity),
        );
        let f = out
            .findings
            .iter()
            .find(|f| f.rule.code == "GL029")
            .expect("GL029");
        let help = f.help.as_deref().unwrap_or_default();
        assert!(help.contains("`Statement1`"), "{help}");
    }
}
