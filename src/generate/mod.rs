//! (generate) — filled in by its own issue.
