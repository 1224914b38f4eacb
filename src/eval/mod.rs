//! (eval) — filled in by its own issue.
