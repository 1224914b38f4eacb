//! Example requests a reviewer can recognise: a witness found on `*` (or on a class that any
//! ARN falls in) is a valid request for the evaluator, but its resource may be no ARN the
//! action takes (`iam:GetRole` on `arn:aws:iam:us-east-1:111122223333:example`, an S3 object
//! with a Region). The resource is swapped for an ARN of the action's own resource type (the
//! catalog's ARN format, <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>)
//! when the caller's check (the same verdict, re-decided) holds for it; else the witness
//! stays as found.

use super::Example;
use crate::catalog;

/// Whether `arn` has the shape of one of the action's resource types (each `${Variable}` of
/// the ARN format taken as any text).
fn fits_action(action: &str, arn: &str) -> Option<bool> {
    let a = catalog::active().action(action)?;
    let resources = a.resources();
    if resources.is_empty() {
        return None;
    }
    Some(resources.iter().any(|r| {
        r.resource_type.arn_formats().iter().any(|f| {
            let mut pattern = String::with_capacity(f.len());
            let mut rest: &str = f;
            while let Some(i) = rest.find("${") {
                pattern.push_str(&rest[..i]);
                pattern.push('*');
                match rest[i..].find('}') {
                    Some(j) => rest = &rest[i + j + 1..],
                    None => {
                        rest = "";
                    }
                }
            }
            pattern.push_str(rest);
            catalog::glob::glob_match(pattern.as_bytes(), arn.as_bytes())
        })
    }))
}

/// `e` with its resource an ARN of the action's resource type when `e`'s is not one and
/// `holds` (the verdict re-decided on the new request) accepts it; else `e` unchanged.
pub(crate) fn realistic(e: Example, holds: impl Fn(&Example) -> bool) -> Example {
    if fits_action(&e.action, &e.resource) != Some(false) {
        return e;
    }
    // the partition, Region and account the witness already names, where it names them
    let parts: Vec<&str> = e.resource.splitn(6, ':').collect();
    let arn = parts.len() == 6 && parts[0] == "arn";
    let pick = |i: usize, ok: &dyn Fn(&str) -> bool, default: &str| -> String {
        match parts.get(i) {
            Some(v) if arn && ok(v) => v.to_string(),
            _ => default.to_string(),
        }
    };
    let partition = pick(1, &|v| v.starts_with("aws"), "aws");
    let region = pick(
        3,
        &|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "us-east-1",
    );
    let account = pick(
        4,
        &|v| v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()),
        "111122223333",
    );
    // the witness's own account first; another one when a condition on the account (a `Deny`
    // on `aws:ResourceAccount`) decides that one otherwise. A witness that sets
    // `aws:ResourceAccount` keeps that account (an ARN of another account with it would be
    // no request AWS sends, red team 30), or is kept as found when it is no account ID.
    let given = e
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("aws:ResourceAccount"))
        .map(|(_, v)| v.clone());
    let accounts: Vec<String> = match given.as_deref() {
        Some([a]) if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) => vec![a.clone()],
        Some(_) => return e,
        None if account == "444455556666" => vec![account],
        None => vec![account, "444455556666".into()],
    };
    let candidates = accounts.into_iter().flat_map(|account| {
        let vars: std::collections::BTreeMap<String, (String, String)> = [
            ("Partition", partition.clone()),
            ("Region", region.clone()),
            ("Account", account),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), (v.clone(), v)))
        .collect();
        crate::check::lookup::scoped_arns(&e.action, &vars)
    });
    for (resource, _) in candidates {
        // AWS sends the account that owns the resource as `aws:ResourceAccount`: a swapped
        // ARN with an account carries it (red team 29), and must still be decided the same
        let mut context = e.context.clone();
        let parts: Vec<&str> = resource.splitn(6, ':').collect();
        if let Some(acct) = parts.get(4).filter(|a| a.len() == 12)
            && !context
                .keys()
                .any(|k| k.eq_ignore_ascii_case("aws:ResourceAccount"))
        {
            context.insert("aws:ResourceAccount".into(), vec![acct.to_string()]);
        }
        let candidate = Example {
            resource,
            context,
            ..e.clone()
        };
        if holds(&candidate) {
            return candidate;
        }
    }
    e
}
