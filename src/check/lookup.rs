//! The catalog questions check and generate ask (one place to adapt to the catalog API).

use crate::catalog;

/// Canonical `service:Action` names of every catalog action the pattern matches.
pub fn expand(pattern: &str) -> Vec<String> {
    catalog::active()
        .expand(pattern)
        .iter()
        .map(|a| a.full_name())
        .collect()
}

/// The canonical spelling of an exact action, when the catalog has it.
pub fn canonical(action: &str) -> Option<String> {
    catalog::active().action(action).map(|a| a.full_name())
}

/// Whether the action takes any resource type (`None`: unknown action).
pub fn supports_resource_level(action: &str) -> Option<bool> {
    catalog::active()
        .action(action)
        .map(|a| a.supports_resource_level())
}

/// The name of the action's resource type that `arn` is of, if any.
pub fn resource_type_for(action: &str, arn: &str) -> Option<String> {
    catalog::active().action(action).and_then(|a| {
        a.resources_for_arn(arn)
            .first()
            .map(|r| r.resource_type.name().to_string())
    })
}

/// Every action of a service, canonical names.
pub fn service_actions(prefix: &str) -> Vec<String> {
    match catalog::active().service(prefix) {
        Some(s) => s.actions().map(|a| a.full_name()).collect(),
        None => Vec::new(),
    }
}

/// The ARNs to request for `action` instead of `*`: one per required resource type of the
/// action (its first resource type when none is marked required), each the type's first ARN
/// format with its `${Variable}`s filled from `vars` (variable → (request value, grant value)).
/// A variable `vars` lacks is `example` in the request and `*` in the grant. Empty when the
/// action takes no resource type (or is unknown): the request stays on `*`.
pub fn scoped_arns(
    action: &str,
    vars: &std::collections::BTreeMap<String, (String, String)>,
) -> Vec<(String, String)> {
    let Some(a) = catalog::active().action(action) else {
        return Vec::new();
    };
    let resources = a.resources();
    let mut chosen: Vec<_> = resources
        .iter()
        .filter(|r| r.required == Some(true))
        .collect();
    if chosen.is_empty() {
        chosen.extend(resources.first());
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for r in chosen {
        let formats = r.resource_type.arn_formats();
        let Some(format) = formats.first() else {
            continue;
        };
        let (mut req, mut grant) = (String::new(), String::new());
        let mut rest: &str = format;
        while let Some(i) = rest.find("${") {
            req.push_str(&rest[..i]);
            grant.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(j) = after.find('}') else {
                req.push_str(&rest[i..]);
                grant.push_str(&rest[i..]);
                rest = "";
                break;
            };
            match vars.get(&after[..j]) {
                Some((v, g)) => {
                    req.push_str(v);
                    grant.push_str(g);
                }
                None => {
                    req.push_str("example");
                    grant.push('*');
                }
            }
            rest = &after[j + 1..];
        }
        req.push_str(rest);
        grant.push_str(rest);
        if !out.iter().any(|(q, _)| *q == req) {
            out.push((req, grant));
        }
    }
    out
}
