//! The catalog questions check and generate ask (one place to adapt to the catalog API).

/// Canonical `service:Action` names of every catalog action the pattern matches.
pub fn expand(pattern: &str) -> Vec<String> {
    let _ = pattern;
    Vec::new()
}

/// The canonical spelling of an exact action, when the catalog has it.
pub fn canonical(action: &str) -> Option<String> {
    let _ = action;
    None
}

/// Whether the action takes any resource type (`None`: unknown action).
pub fn supports_resource_level(action: &str) -> Option<bool> {
    let _ = action;
    None
}

/// The name of the action's resource type that `arn` is of, if any.
pub fn resource_type_for(action: &str, arn: &str) -> Option<String> {
    let _ = (action, arn);
    None
}

/// Every action of a service, canonical names.
pub fn service_actions(prefix: &str) -> Vec<String> {
    let _ = prefix;
    Vec::new()
}
