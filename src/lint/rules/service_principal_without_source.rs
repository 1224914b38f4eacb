//! `GL073 service-principal-without-source`.

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
    code: "GL073",
    name: "service-principal-without-source",
    severity: Severity::Security,
    applies_to: PRINCIPAL_TYPES,
    access_analyzer: &["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags an Allow statement for a `Service` principal — or for `"Principal": "*"` that a condition bounds to AWS services only (`aws:PrincipalIsAWSService` `true`, `aws:PrincipalServiceName`, `ForAnyValue:` `aws:PrincipalServiceNamesList`), which admits every such service — without a condition that fixes the source: `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceOrgID` or `aws:SourceOrgPaths` (or CloudWatch Logs' `kms:EncryptionContext:aws:logs:arn`), not negated, not `...IfExists`, whose every value fixes the owner: under a wildcard operator (`StringLike`, `Arn…`) an account or organization ID without a wildcard (`1111*` admits every account it matches), an ARN whose account field has no wildcard (a wildcard in the Region or the resource is the documented form for several resources of one account; an ARN without an account, an S3 bucket's or a Route 53 hosted zone's, needs `aws:SourceAccount` beside it, as the IAM guide's confused-deputy page says: a bucket's name can be taken by another account once the bucket is deleted). A trust to `ec2.amazonaws.com` is not flagged: AWS documents the EC2 service-role trust policy without a source condition, and only principals of the role's own account can attach the role to an instance (`iam:PassRole`). Nor is Elastic Load Balancing's log-delivery principal (`logdelivery.elasticloadbalancing.amazonaws.com`) on a bucket policy whose every `Resource` names the log folder of one account (`arn:aws:s3:::bucket/prefix/AWSLogs/111122223333/*`), as the ELB guide writes it: ELB writes a load balancer's logs under its own account's `AWSLogs/ACCOUNT/` folder, so no other account's load balancer can write there.

In a role trust policy the finding is a warning, in a resource policy it is security.

## Why is this bad?

Without a source condition, the service can be made to act on behalf of another customer's resource (the cross-service confused deputy problem). AWS recommends these conditions for service trust and resource policies. In a resource policy (an SNS topic or S3 bucket policy granting `s3.amazonaws.com` or `events.amazonaws.com`), any customer's resource of that service can use the grant. In a role trust policy the service uses the role where a caller was allowed to pass it (`iam:PassRole`), and AWS documents many service-role trust policies without the condition (the ECS CodeDeploy role, Lambda execution roles), so there the condition is defense in depth and the finding a warning.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
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
        "Service": "ecs-tasks.amazonaws.com"
      },
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": "111122223333"
        }
      }
    }
  ]
}
```

## Limits

Some other services do not send these keys for role assumption; add the condition where the service documents it, or ignore the rule for that path in the configuration with a reason.
"##,
};

/// Services whose roles are used only through `iam:PassRole` in the role's own account, for
/// which AWS documents the trust policy without a source condition: Amazon EC2
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html>,
/// "Account 111111111111 abcd Role Trust Policy").
const PASSROLE_ONLY: &[&str] = &["ec2.amazonaws.com"];

/// Elastic Load Balancing's log-delivery service principal (Regions opened since August
/// 2022; <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html>).
pub(crate) const ELB_LOG_DELIVERY: &str = "logdelivery.elasticloadbalancing.amazonaws.com";

/// Every `Resource` item is an S3 object ARN whose key holds `AWSLogs/ACCOUNT/` with a
/// literal 12-digit account and no wildcard or variable before it (`NotResource`: no).
fn pins_log_account(s: &Statement) -> bool {
    pinned_log_accounts(s).is_some()
}

/// The accounts of the `AWSLogs/ACCOUNT/` folders a statement's `Resource` items pin, when
/// every item is an S3 object ARN whose key holds `AWSLogs/ACCOUNT/` with a literal 12-digit
/// account and no wildcard or variable before it; `None` otherwise (`NotResource` too).
pub(crate) fn pinned_log_accounts(s: &Statement) -> Option<Vec<String>> {
    let r = s.resource.as_ref()?;
    if r.negated || r.items.is_empty() {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for i in &r.items {
        let v = &i.value;
        let key = v.strip_prefix("arn:aws:s3:::").or_else(|| {
            v.strip_prefix("arn:aws-cn:s3:::")
                .or_else(|| v.strip_prefix("arn:aws-us-gov:s3:::"))
        })?;
        let at = key.find("/AWSLogs/")?;
        let before = &key[..at];
        let account = key[at + "/AWSLogs/".len()..]
            .split('/')
            .next()
            .unwrap_or("");
        let pinned = !before.contains(['*', '?', '$'])
            && account.len() == 12
            && account.bytes().all(|b| b.is_ascii_digit())
            && key[at + "/AWSLogs/".len() + 12..].starts_with('/');
        if !pinned {
            return None;
        }
        if !out.iter().any(|a| a == account) {
            out.push(account.to_string());
        }
    }
    Some(out)
}

/// Whether a wildcard pattern of a source key names the resources of one owner only: an
/// account ID or organization ID without a wildcard (`1111*` admits every account it
/// matches), an organization path whose organization is written out, an ARN whose account
/// field is written out (or, for an ARN without an account, whose resource is written out:
/// for an S3 bucket's, its name up to the first `/`; anyone can create a bucket or a hosted
/// zone a pattern matches). A wildcard in the Region or the resource is the documented form for several
/// resources of one account (CloudTrail's confused-deputy example,
/// `arn:aws:cloudtrail:*:111122223333:trail/*` under `StringLike`,
/// <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html>).
/// The confused-deputy guidance pins `aws:SourceArn` to your own resource and
/// `aws:SourceAccount` to your account
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>); a pattern
/// such as `arn:aws:cloudfront::*:distribution/*` lets any customer's distribution through
/// (red team 60).
fn fixes_owner(key_lower: &str, value: &str) -> bool {
    let wild = |t: &str| t.contains(['*', '?']);
    // a value that is a template reader's placeholder from its start stands for one resource's
    // ARN (the template's own, or another stack's export), which carries its owner: what
    // follows it is a path under it (red team 61, Terraform's
    // `"${aws_apigatewayv2_api.x.execution_arn}/*/*"`). A placeholder or a policy variable
    // inside the value is text that matches only itself, read field by field like the rest
    // (`arn:aws:sns:*:*:${TopicName}` names any account's topic of that name).
    if value.starts_with("UNKNOWN-") {
        return true;
    }
    match key_lower {
        "aws:sourcearn" | "kms:encryptioncontext:aws:logs:arn" => {
            let f: Vec<&str> = value.splitn(6, ':').collect();
            if f.len() < 6 {
                return !wild(value);
            }
            // An ARN without an account (an S3 bucket's, a Route 53 hosted zone's) does not fix
            // the owner on its own: "If the aws:SourceArn value does not contain the account
            // ID, such as an Amazon S3 bucket ARN, you must use both global condition context
            // keys" (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>);
            // a bucket can be deleted and its name taken by another account (Lambda's
            // `AddPermission`, `SourceAccount`). With `aws:SourceAccount` beside it the
            // statement is quiet (red team 70a).
            !f[4].is_empty() && !wild(f[4])
        }
        "aws:sourceorgpaths" => !wild(value.split('/').next().unwrap_or_default()),
        _ => !wild(value),
    }
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // (`aws:SourceOwner`, the older key Amazon S3 and Amazon SNS send with the account that
    // owns the source; `kms:EncryptionContext:aws:logs:arn`, which CloudWatch Logs' documented
    // KMS key policy pins to the account's log groups,
    // <https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>)
    const SOURCE_KEYS: [&str; 6] = [
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "kms:encryptioncontext:aws:logs:arn",
    ];
    for s in &cx.policy.statements {
        if s.effect.value != Effect::Allow {
            continue;
        }
        let services = principals(s, PrincipalKind::Service);
        // `"Principal": "*"` that a condition bounds to AWS services only
        // (`aws:PrincipalIsAWSService` `true`, `aws:PrincipalServiceName`): every service
        // principal, or the ones named, with the same confused-deputy exposure as a `Service`
        // principal (red team 72: it got no finding where the one service named did)
        let everyone = if services.is_empty() && principal_is_everyone(s) {
            services_bound(s)
        } else {
            None
        };
        if services.is_empty() && everyone.is_none() {
            continue;
        }
        // a source condition protects only when it fixes the source: not negated, not
        // `...IfExists` (a request without the key would pass), and each value fixes its
        // owner part ([`fixes_owner`])
        if s.conditions.iter().any(|c| {
            SOURCE_KEYS.contains(&c.key_lower.as_str())
                && !c.op.if_exists
                && !c.op.base.is_negated()
                // (`aws:SourceOrgPaths` is multi-valued: the IAM guide reads it with
                // `ForAnyValue:`, false when the key is absent; on a single-valued key a set
                // operator is not read as a bound)
                && match c.op.qualifier {
                    None => true,
                    Some(SetQualifier::ForAnyValue) => c.key_lower == "aws:sourceorgpaths",
                    Some(SetQualifier::ForAllValues) => false,
                }
                && !c.values.is_empty()
                && c.values.iter().all(|v| {
                    !v.text.chars().all(|ch| ch == '*' || ch == '?')
                        // (a source key compared with a source key's own value,
                        // `${aws:SourceAccount}`, is always true: no bound; red team 61)
                        && !v.text.to_ascii_lowercase().contains("${aws:source")
                        && (!crate::analysis::principals::wildcards(c.op.base)
                            || fixes_owner(&c.key_lower, &v.text))
                })
        }) {
            continue;
        }
        let (span, subject) = match everyone {
            Some(names) => (
                s.principal.as_ref().map_or(s.span, |p| p.span),
                format!("`\"Principal\": \"*\"` bounded to {names}"),
            ),
            None => {
                // AWS documents these service-role trust policies without source conditions:
                // the role can only be attached (iam:PassRole) by principals of its own account
                let services: Vec<&Spanned<String>> = services
                    .into_iter()
                    .filter(|v| !PASSROLE_ONLY.contains(&v.value.as_str()))
                    .collect();
                if services.is_empty() {
                    continue;
                }
                // Elastic Load Balancing writes a load balancer's access logs under
                // `AWSLogs/<the load balancer's account>/` of the bucket (ALB guide, "Enable
                // access logs": "We add the portion of the file name starting with AWSLogs"),
                // and its guide's bucket policy for
                // `logdelivery.elasticloadbalancing.amazonaws.com` names the account there
                // instead of a condition: a `Resource` whose every item fixes that account
                // lets no other account's load balancer write (red team 54)
                if services.iter().all(|v| v.value == ELB_LOG_DELIVERY) && pins_log_account(s) {
                    continue;
                }
                let names: Vec<String> = services.iter().map(|v| v.value.clone()).collect();
                (
                    services[0].span,
                    format!("the service principal {}", name_list(&names, 3)),
                )
            }
        };
        // (a source condition that is there but does not fix the owner is named as such)
        let open = s
            .conditions
            .iter()
            .any(|c| SOURCE_KEYS.contains(&c.key_lower.as_str()));
        let what = if open {
            "with an `aws:SourceAccount`/`aws:SourceArn` condition that does not fix the owner (a wildcard account, negated, `...IfExists` or a set operator)"
        } else {
            "without `aws:SourceAccount` or `aws:SourceArn`"
        };
        let mut f = cx.finding(&RULE, span, format!("{subject} is trusted {what}"))
            .help("add a condition on `aws:SourceAccount` (or `aws:SourceArn`) so the service can act only on behalf of your resources (confused deputy)");
        // A role trust policy: the service uses the role where a caller was allowed to pass
        // it (`iam:PassRole`), and AWS documents many service-role trust policies without a
        // source condition (the ECS CodeDeploy role, Lambda execution roles): defense in
        // depth, a warning. A resource policy (an SNS topic open to `s3.amazonaws.com`) is
        // the confused deputy itself: security.
        if cx.policy_type == PolicyType::Trust {
            f.severity = Severity::Warning;
        }
        out.push(f);
    }
}

/// The services a statement's conditions bound its caller to, in words: "any AWS service"
/// (`Bool` `aws:PrincipalIsAWSService` `true`) or the services `aws:PrincipalServiceName` or
/// `aws:PrincipalServiceNamesList` names (`StringEquals`/`StringLike` and their
/// `IgnoreCase` form, plain or `ForAnyValue:`, which is false when the key is absent: IAM,
/// "Multivalued context keys",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>);
/// `None` when no condition bounds the caller to services (not negated, not `...IfExists`,
/// not `ForAllValues:`: a caller without the key would pass them otherwise). AWS sends both
/// keys only when a service principal calls (global condition keys,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicenameslist>);
/// red team 73: the list form got no finding where the single name did.
fn services_bound(s: &Statement) -> Option<String> {
    for c in &s.conditions {
        if c.op.if_exists || c.values.is_empty() {
            continue;
        }
        match (c.key_lower.as_str(), c.op.base, c.op.qualifier) {
            ("aws:principalisawsservice", OpBase::Bool, None)
                if c.values.iter().all(|v| v.text.eq_ignore_ascii_case("true")) =>
            {
                return Some("any AWS service (`aws:PrincipalIsAWSService`)".to_string());
            }
            (
                key @ ("aws:principalservicename" | "aws:principalservicenameslist"),
                OpBase::StringEquals | OpBase::StringLike | OpBase::StringEqualsIgnoreCase,
                None | Some(SetQualifier::ForAnyValue),
            ) => {
                let names: Vec<String> = c.values.iter().map(|v| v.text.clone()).collect();
                let written = if key == "aws:principalservicename" {
                    "aws:PrincipalServiceName"
                } else {
                    "aws:PrincipalServiceNamesList"
                };
                return Some(format!(
                    "the services {} (`{written}`)",
                    name_list(&names, 3)
                ));
            }
            _ => {}
        }
    }
    None
}
