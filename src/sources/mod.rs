//! (sources) — filled in by its own issue.
