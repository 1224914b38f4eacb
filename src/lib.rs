//! greenlight: does this AWS principal hold exactly the IAM permissions a workload needs?
//!
//! Data flows one way, and a module uses only those before it:
//! source → parse → iac (templates) → model → catalog → eval → profiles / lint → check / generate → sources →
//! report → cli. `par` (mapping on every core) and `swar` (scanning text eight bytes at a
//! time) are helpers any of them may use.

pub mod analysis;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod discover;
pub mod eval;
pub mod generate;
pub mod iac;
pub mod lint;
pub mod model;
pub mod par;
pub mod parse;
pub mod profiles;
pub mod report;
pub mod source;
pub mod sources;
mod swar;

pub use model::Policy;
pub use parse::{ParseError, parse_policy};
pub use source::{Source, Span};
