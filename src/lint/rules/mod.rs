//! The rule registry: one rule per file, listed here in code order (`tools/gen_registry.py`
//! regenerates this file from the rule files).

use super::Rule;

pub mod allow_not_action_with_unsupported_tag_key;
pub mod allow_with_not_action;
pub mod allow_with_not_principal;
pub mod allow_with_not_resource;
pub mod allow_with_unsupported_tag_key;
pub mod arn_field_missing;
pub mod arn_field_not_allowed;
pub mod arn_invalid_account;
pub mod arn_missing_fields;
pub mod arn_missing_prefix;
pub mod arn_service_uppercase;
pub mod byte_order_mark;
pub mod condition_type_mismatch;
pub mod create_slr_with_wildcard_resource;
pub mod credentials_exposure;
pub mod data_exfiltration;
pub mod deny_not_action_with_unsupported_tag_key;
pub mod deny_with_unsupported_tag_key;
pub mod deprecated_global_condition_key;
pub mod duplicate_condition_key_case;
pub mod duplicate_key;
pub mod duplicate_sid;
pub mod duplicate_sid_in_resource_policy;
pub mod empty_action_list;
pub mod empty_condition_block;
pub mod empty_condition_values;
pub mod empty_principal;
pub mod empty_resource_list;
pub mod empty_sid;
pub mod empty_string_value;
pub mod equivalent_to_null_false;
pub mod federated_principal_in_resource_policy;
pub mod forallvalues_with_single_valued_key;
pub mod full_admin;
pub mod github_oidc_wildcard_sub;
pub mod github_oidc_without_sub;
pub mod id_in_identity_policy;
pub mod identity_policy_size_quota;
pub mod infrastructure_modification;
pub mod invalid_arn_resource;
pub mod invalid_aws_principal;
pub mod invalid_binary_value;
pub mod invalid_character;
pub mod invalid_condition_key_format;
pub mod invalid_condition_operator;
pub mod invalid_condition_value;
pub mod invalid_date_value;
pub mod invalid_effect;
pub mod invalid_element_type;
pub mod invalid_encoding;
pub mod invalid_federated_principal;
pub mod invalid_ip_value;
pub mod invalid_policy_element;
pub mod invalid_principal;
pub mod invalid_region;
pub mod invalid_service_principal_format;
pub mod invalid_sid_characters;
pub mod invalid_version;
pub mod invalid_vpc_identifier;
pub mod ip_range_host_bits;
pub mod json_syntax;
pub mod leading_whitespace;
pub mod malformed_policy_variable;
pub mod mfa_condition_misses_long_term_keys;
pub mod mismatched_action_for_principal;
pub mod missing_action;
pub mod missing_action_for_condition_key;
pub mod missing_effect;
pub mod missing_principal;
pub mod missing_qualifier;
pub mod missing_resource;
pub mod missing_statement;
pub mod missing_tag_key_in_condition;
pub mod missing_version;
pub mod mixed_condition_value_types;
pub mod multiple_boolean_values;
pub mod non_boolean_value;
pub mod non_numeric_value;
pub mod not_a_policy;
pub mod not_principal_in_trust_policy;
pub mod null_with_if_exists;
pub mod null_with_qualifier;
pub mod oidc_principal_without_condition;
pub mod open_resource_policy;
pub mod open_trust_policy;
pub mod outdated_version;
pub mod pass_role_with_wildcard_resource;
pub mod pass_role_without_passed_to_service;
pub mod principal_can_retag_itself;
pub mod principal_in_identity_policy;
pub mod principal_unique_id;
pub mod privilege_escalation_action;
pub mod privilege_escalation_combination;
pub mod rcp_unsupported_service;
pub mod redundant_action;
pub mod redundant_assumed_role_principal;
pub mod redundant_numeric_condition_value;
pub mod redundant_resource;
pub mod redundant_statement;
pub mod resource_exposure;
pub mod resource_in_trust_policy;
pub mod resource_matches_no_action;
pub mod retired_action;
pub mod retired_service;
pub mod roles_anywhere_missing_actions;
pub mod scp_allow_with_condition;
pub mod scp_allow_with_not_action;
pub mod scp_allow_with_specific_resource;
pub mod scp_mid_string_action_wildcard;
pub mod scp_not_resource;
pub mod scp_size_quota;
pub mod service_principal_without_source;
pub mod source_ip_private_mixed;
pub mod source_ip_private_only;
pub mod string_like_operator_with_arn_key;
pub mod trust_policy_size_quota;
pub mod undecodable_document;
pub mod unknown_action;
pub mod unknown_condition_key;
pub mod unknown_partition;
pub mod unknown_service;
pub mod unknown_service_in_arn;
pub mod unreadable_input;
pub mod unresolved_action;
pub mod unsupported_action_for_condition_key;
pub mod unsupported_element_combination;
pub mod variable_in_unsupported_element;
pub mod variable_with_unsupported_operator;
pub mod variable_without_version;
pub mod version_after_statement;
pub mod wildcard_in_principal;
pub mod wildcard_in_service_name;
pub mod wildcard_principal_in_trust_policy;
pub mod wildcard_without_like_operator;

/// Every registered rule, in code order.
pub static ALL: &[&Rule] = &[
    &json_syntax::RULE,
    &duplicate_key::RULE,
    &byte_order_mark::RULE,
    &not_a_policy::RULE,
    &missing_statement::RULE,
    &invalid_version::RULE,
    &invalid_policy_element::RULE,
    &invalid_effect::RULE,
    &missing_effect::RULE,
    &missing_action::RULE,
    &unsupported_element_combination::RULE,
    &invalid_condition_operator::RULE,
    &invalid_condition_value::RULE,
    &invalid_principal::RULE,
    &invalid_element_type::RULE,
    &invalid_encoding::RULE,
    &unreadable_input::RULE,
    &undecodable_document::RULE,
    &missing_version::RULE,
    &outdated_version::RULE,
    &missing_resource::RULE,
    &resource_in_trust_policy::RULE,
    &principal_in_identity_policy::RULE,
    &missing_principal::RULE,
    &id_in_identity_policy::RULE,
    &duplicate_sid::RULE,
    &duplicate_sid_in_resource_policy::RULE,
    &invalid_sid_characters::RULE,
    &empty_sid::RULE,
    &empty_action_list::RULE,
    &empty_resource_list::RULE,
    &empty_principal::RULE,
    &empty_condition_block::RULE,
    &empty_condition_values::RULE,
    &empty_string_value::RULE,
    &duplicate_condition_key_case::RULE,
    &invalid_condition_key_format::RULE,
    &multiple_boolean_values::RULE,
    &mixed_condition_value_types::RULE,
    &null_with_if_exists::RULE,
    &null_with_qualifier::RULE,
    &wildcard_without_like_operator::RULE,
    &non_boolean_value::RULE,
    &non_numeric_value::RULE,
    &invalid_date_value::RULE,
    &invalid_ip_value::RULE,
    &invalid_binary_value::RULE,
    &ip_range_host_bits::RULE,
    &source_ip_private_only::RULE,
    &source_ip_private_mixed::RULE,
    &malformed_policy_variable::RULE,
    &variable_in_unsupported_element::RULE,
    &variable_with_unsupported_operator::RULE,
    &variable_without_version::RULE,
    &arn_missing_prefix::RULE,
    &arn_missing_fields::RULE,
    &arn_service_uppercase::RULE,
    &arn_invalid_account::RULE,
    &unknown_partition::RULE,
    &invalid_region::RULE,
    &wildcard_in_service_name::RULE,
    &deprecated_global_condition_key::RULE,
    &invalid_service_principal_format::RULE,
    &invalid_aws_principal::RULE,
    &wildcard_in_principal::RULE,
    &principal_unique_id::RULE,
    &invalid_federated_principal::RULE,
    &mismatched_action_for_principal::RULE,
    &not_principal_in_trust_policy::RULE,
    &wildcard_principal_in_trust_policy::RULE,
    &open_trust_policy::RULE,
    &service_principal_without_source::RULE,
    &oidc_principal_without_condition::RULE,
    &github_oidc_without_sub::RULE,
    &github_oidc_wildcard_sub::RULE,
    &roles_anywhere_missing_actions::RULE,
    &scp_not_resource::RULE,
    &scp_allow_with_condition::RULE,
    &scp_allow_with_not_action::RULE,
    &scp_allow_with_specific_resource::RULE,
    &scp_mid_string_action_wildcard::RULE,
    &identity_policy_size_quota::RULE,
    &scp_size_quota::RULE,
    &trust_policy_size_quota::RULE,
    &missing_tag_key_in_condition::RULE,
    &invalid_vpc_identifier::RULE,
    &equivalent_to_null_false::RULE,
    &full_admin::RULE,
    &allow_with_not_action::RULE,
    &allow_with_not_resource::RULE,
    &allow_with_not_principal::RULE,
    &open_resource_policy::RULE,
    &pass_role_with_wildcard_resource::RULE,
    &pass_role_without_passed_to_service::RULE,
    &create_slr_with_wildcard_resource::RULE,
    &privilege_escalation_action::RULE,
    &privilege_escalation_combination::RULE,
    &unknown_service::RULE,
    &unknown_action::RULE,
    &unknown_condition_key::RULE,
    &condition_type_mismatch::RULE,
    &string_like_operator_with_arn_key::RULE,
    &missing_qualifier::RULE,
    &forallvalues_with_single_valued_key::RULE,
    &redundant_action::RULE,
    &redundant_resource::RULE,
    &redundant_statement::RULE,
    &arn_field_not_allowed::RULE,
    &arn_field_missing::RULE,
    &resource_matches_no_action::RULE,
    &deny_with_unsupported_tag_key::RULE,
    &allow_with_unsupported_tag_key::RULE,
    &rcp_unsupported_service::RULE,
    &unknown_service_in_arn::RULE,
    &invalid_character::RULE,
    &leading_whitespace::RULE,
    &version_after_statement::RULE,
    &redundant_numeric_condition_value::RULE,
    &redundant_assumed_role_principal::RULE,
    &federated_principal_in_resource_policy::RULE,
    &deny_not_action_with_unsupported_tag_key::RULE,
    &allow_not_action_with_unsupported_tag_key::RULE,
    &missing_action_for_condition_key::RULE,
    &unsupported_action_for_condition_key::RULE,
    &invalid_arn_resource::RULE,
    &retired_service::RULE,
    &retired_action::RULE,
    &credentials_exposure::RULE,
    &data_exfiltration::RULE,
    &resource_exposure::RULE,
    &infrastructure_modification::RULE,
    &unresolved_action::RULE,
    &mfa_condition_misses_long_term_keys::RULE,
    &principal_can_retag_itself::RULE,
];

/// A rule by its kebab-case name.
pub fn by_name(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

/// A rule by code (case-insensitive) or name.
pub fn lookup(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
