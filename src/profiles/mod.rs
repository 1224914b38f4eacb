//! (profiles) — filled in by its own issue.
