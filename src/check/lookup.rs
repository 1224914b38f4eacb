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
