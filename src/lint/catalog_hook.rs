//! The rules' view of the IAM action catalog. `None` until the catalog is available, so the
//! catalog rules stay silent rather than guess.

/// What the rules ask the catalog.
pub trait CatalogView: Sync {
    /// Does the (lower-case) action pattern match at least one catalog action?
    fn matches_any(&self, pattern_lower: &str) -> bool;
}

pub fn get() -> Option<&'static dyn CatalogView> {
    None
}
