//! `GL126 invalid-arn-resource`.

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
    code: "GL126",
    name: "invalid-arn-resource",
    severity: Severity::Warning,
    applies_to: ALL_TYPES,
    access_analyzer: &["INVALID_ARN_RESOURCE"],
    aws_docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    check: Check::Policy(check),
    docs: r##"
## What it does

Flags a resource ARN whose resource type (the resource part up to the first `/` or `:`) matches no ARN format of its service, such as `arn:aws:iam::111122223333:roles/app` or `arn:aws:logs:*:*:/aws-glue/*` (no `log-group:`).

## Why is this bad?

No resource of the service has that ARN, so the statement never applies to anything: an Allow grants nothing and a Deny denies nothing.

## Example

```json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:GetRole",
      "Resource": "arn:aws:iam::111122223333:roles/app"
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
      "Action": "iam:GetRole",
      "Resource": "arn:aws:iam::111122223333:role/app"
    }
  ]
}
```

## Limits

Decided with the ARN formats the catalog lists for every resource type of the service. Only the resource-type word is compared, not the rest of the resource part. ARNs with a wildcard in the service or at the start of the resource, policy variables, services the catalog does not know and services whose formats start with a placeholder (S3 buckets) are not checked.

A warning rather than Access Analyzer's error: the Service Authorization Reference does not list every resource type that exists. Two documented ones are known and never reported: the account root user (`arn:aws:iam::111122223333:root`, the resource of the `iam:...RootUser...` actions) and CloudFormation transforms (`arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31`). On AWS's own managed policies the rule still reports ARNs that Access Analyzer accepts (the README lists them); most are real mistakes (`arn:aws:logs:*:*:/aws-glue/*` lacks `log-group:`), a few are resource types the catalog lacks.
"##,
};

/// Resource types that exist but are missing from the catalog's ARN formats: the account root
/// user (IAM User Guide, "IAM identifiers") and CloudFormation transforms (CloudFormation
/// User Guide, "Actions, resources, and condition keys": `transform/` in condition values
/// and macros).
const KNOWN_MISSING: &[(&str, &str)] = &[("iam", "root"), ("cloudformation", "transform")];

/// The resource-type words of a service's ARN formats.
struct Words {
    words: Vec<&'static str>,
    /// Some word holds a placeholder (`${...}`): it may be anything.
    placeholder: bool,
}

/// The [`Words`] of a service, computed once per service.
fn format_words(svc: crate::catalog::Service<'static>) -> std::sync::Arc<Words> {
    type Memo = std::sync::Mutex<std::collections::HashMap<&'static str, std::sync::Arc<Words>>>;
    static WORDS: std::sync::OnceLock<Memo> = std::sync::OnceLock::new();
    // (a per-thread copy in front of the shared memo: no lock per ARN; catalog names as
    // keys, so the unkeyed hash is safe)
    thread_local! {
        static LOCAL: std::cell::RefCell<
            std::collections::HashMap<&'static str, std::sync::Arc<Words>, crate::catalog::FxBuild>,
        > = std::cell::RefCell::new(Default::default());
    }
    if let Some(w) = LOCAL.with(|m| m.borrow().get(svc.name()).cloned()) {
        return w;
    }
    let memo = WORDS.get_or_init(Default::default);
    if let Some(w) = memo.lock().ok().and_then(|m| m.get(svc.name()).cloned()) {
        LOCAL.with(|m| m.borrow_mut().insert(svc.name(), w.clone()));
        return w;
    }
    let words: Vec<&'static str> = svc
        .resource_types()
        .flat_map(|t| t.arn_formats())
        .filter_map(|fmt| arn_fields(fmt).and_then(|ff| leading_word(ff[5])))
        .collect();
    let placeholder = words.iter().any(|w| w.contains("${"));
    let words = std::sync::Arc::new(Words { words, placeholder });
    if let Ok(mut m) = memo.lock() {
        m.insert(svc.name(), words.clone());
    }
    LOCAL.with(|m| m.borrow_mut().insert(svc.name(), words.clone()));
    words
}

/// The resource type word: the resource part up to the first `/` or `:` (may be empty, as in
/// API Gateway's `/restapis/...`); `None` when it starts with a wildcard.
fn leading_word(resource: &str) -> Option<&str> {
    let w = resource.split(['/', ':']).next().unwrap_or(resource);
    (!w.starts_with(['*', '?'])).then_some(w)
}

fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let cat = crate::catalog::active();
    for s in &cx.policy.statements {
        let Some(r) = &s.resource else { continue };
        for i in &r.items {
            let Some(f) = cx.arn_fields(&i.value) else {
                continue;
            };
            if f[0] != "arn"
                || is_all_resources(&i.value)
                || f[2].is_empty()
                || f[2].contains(['*', '?'])
                || f[2].bytes().any(|b| b.is_ascii_uppercase())
                || crate::lint::util::has(&i.value, "${")
                // (a resource part that starts with a template reader's placeholder, a value
                // not known offline: greenlight built the ARN, its type is not known; red
                // team 60: most of this rule's warnings on aws-samples/serverless-patterns)
                || f[5].starts_with("UNKNOWN-")
            {
                continue;
            }
            let Some(svc) = cat.service(f[2]) else {
                continue;
            };
            // Only the resource type, the first word of the resource part, is judged: the
            // catalog's formats are too strict on the rest (`snapshot:awsbackup:*` is a real RDS
            // snapshot name).
            let Some(word) = leading_word(f[5]) else {
                continue;
            };
            if KNOWN_MISSING.contains(&(svc.name(), word)) {
                continue;
            }
            let words = format_words(svc);
            if words.words.is_empty()
                || words.placeholder
                || words.words.iter().any(|w| glob_match(word, w))
            {
                continue;
            }
            let mut types: Vec<String> =
                svc.resource_types().map(|t| t.name().to_string()).collect();
            types.sort();
            types.dedup();
            out.push(
                cx.finding(
                    &RULE,
                    i.span,
                    format!(
                        "`{}` matches no resource type of `{}` ({})",
                        i.value,
                        svc.name(),
                        name_list(&types, 4)
                    ),
                )
                .help("correct the resource part of the ARN (`greenlight catalog` lists the ARN formats of the service)"),
            );
        }
    }
}
