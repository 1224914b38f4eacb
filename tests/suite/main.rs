//! The integration tests, one module per subject, in one test binary: `cargo test --test suite`
//! runs them all, `cargo test --test suite lint_rules::` one module. One binary links once and
//! runs every test on every core (57 binaries ran one after the other, each linked on its own).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support {
    pub mod cli;
    pub mod moto;
}

mod analysis;
mod analysis_cli;
mod analysis_resource_account;
mod analysis_s3_forms;
mod catalog;
mod check_analysis;
mod check_blocked;
mod check_generate;
mod check_rcp;
mod check_request_keys;
mod check_resource_account;
mod check_scp;
mod check_via_service;
mod check_warnings;
mod cli_outputs;
mod corpus;
mod diff_base;
mod diff_caller_account;
mod diff_combinations;
mod diff_denies;
mod diff_terraform;
mod differential;
mod eval_cases;
mod eval_edges;
mod expand;
mod generate_iac;
mod generate_output;
mod generate_template;
mod hostile_inputs;
mod lint_cli;
mod lint_hostile;
mod lint_minified;
mod lint_rules;
mod lint_security;
mod live;
mod outside_groups;
mod pre_commit;
mod profiles_usage;
mod properties;
mod report_formats;
mod sam_transform;
mod sarif_schema;
mod scan_org;
mod simulate;
mod simulate_accounts;
mod template_connectors;
mod template_placeholders;
mod template_resource_policies;
mod template_scp;
mod templates;
mod terraform_attachments;
mod terraform_flags;
mod terraform_instances;
mod terraform_modules;
mod trust;
mod unknown_values;
mod verify_identity_providers;
