//! Terraform plans in the documented JSON format
//! (https://developer.hashicorp.com/terraform/internals/json-format).

use super::*;

fn plan(resources: &str, config: &str, changes: &str) -> Template {
    let text = format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {{"root_module": {resources}}},
        "resource_changes": {changes},
        "configuration": {{"root_module": {config}}}}}"#
    );
    load(&Source::new("plan.json", text)).unwrap()
}

/// A module's role with a policy attached through a reference inside the module, and group
/// membership (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_user_group_membership).
#[test]
fn module_addresses_references_and_group_membership() {
    let t = plan(
        r#"{"resources": [
            {"address": "aws_iam_user.u", "mode": "managed", "type": "aws_iam_user", "values": {"name": "u"}},
            {"address": "aws_iam_group.g", "mode": "managed", "type": "aws_iam_group", "values": {"name": "g"}},
            {"address": "aws_iam_user_group_membership.m", "mode": "managed", "type": "aws_iam_user_group_membership", "values": {"user": "u", "groups": ["g"]}},
            {"address": "aws_iam_group_policy.gp", "mode": "managed", "type": "aws_iam_group_policy", "values": {"group": "g", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"}}
          ],
          "child_modules": [{"address": "module.app", "resources": [
            {"address": "module.app.aws_iam_role.r[0]", "mode": "managed", "type": "aws_iam_role", "values": {"assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}},
            {"address": "module.app.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"}},
            {"address": "module.app.aws_iam_role_policy_attachment.a", "mode": "managed", "type": "aws_iam_role_policy_attachment", "values": {}}
          ]}]}"#,
        r#"{"resources": [], "module_calls": {"app": {"module": {"resources": [
            {"address": "aws_iam_role_policy_attachment.a", "expressions": {"role": {"references": ["aws_iam_role.r[0].name", "aws_iam_role.r"]}, "policy_arn": {"references": ["aws_iam_policy.p.arn", "aws_iam_policy.p"]}}}
        ]}}}}"#,
        r#"[{"address": "module.app.aws_iam_role.r[0]", "change": {"after_unknown": {"name": true, "arn": true}}}]"#,
    );
    let x = &t.variants[0];
    let by = |a: &str| x.principals.iter().find(|p| p.logical_id == a).unwrap();
    let role = by("module.app.aws_iam_role.r[0]");
    let p = x
        .docs
        .iter()
        .position(|d| d.path == "module.app.aws_iam_policy.p/policy")
        .unwrap();
    assert_eq!(role.identity, vec![Attached::Doc(p)]);
    assert!(role.name.starts_with("UNKNOWN-"), "{}", role.name);
    let gp = x
        .docs
        .iter()
        .position(|d| d.path == "aws_iam_group_policy.gp/policy")
        .unwrap();
    assert_eq!(
        by("aws_iam_user.u").identity,
        vec![Attached::Doc(gp)],
        "the user inherits its group's policy"
    );
}

/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_permission
#[test]
fn lambda_permission_becomes_a_resource_policy_statement() {
    let t = plan(
        r#"{"resources": [{"address": "aws_lambda_permission.s3", "mode": "managed", "type": "aws_lambda_permission",
            "values": {"action": "lambda:InvokeFunction", "function_name": "arn:aws:lambda:us-east-1:111122223333:function:f",
                       "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::b", "source_account": "111122223333"}}]}"#,
        r#"{"resources": []}"#,
        "[]",
    );
    let d = &t.variants[0].docs[0];
    assert_eq!(d.kind, DocKind::Resource);
    let p = d.policy.as_ref().unwrap();
    assert_eq!(p.statements[0].conditions.len(), 2);
}

/// A role whose trust policy is an `aws_iam_policy_document` read only at apply (a deferred
/// data source: https://developer.hashicorp.com/terraform/internals/json-format, data source
/// example of https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document):
/// the policy is rebuilt from the planned arguments, the unknown account a named placeholder
/// that matches only itself.
#[test]
fn a_deferred_policy_document_is_rebuilt_with_placeholders() {
    let t = plan(
        r#"{"resources": [
            {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "values": {"name": "r"}},
            {"address": "data.aws_iam_policy_document.trust", "mode": "data", "type": "aws_iam_policy_document",
             "values": {"statement": [{"actions": ["sts:AssumeRole"], "effect": "Allow",
                "principals": [{"type": "AWS", "identifiers": [null]}], "condition": []}]}}
        ]}"#,
        r#"{"resources": [
            {"address": "aws_iam_role.r", "expressions": {"assume_role_policy": {"references": ["data.aws_iam_policy_document.trust.json", "data.aws_iam_policy_document.trust"]}}}
        ]}"#,
        r#"[{"address": "aws_iam_role.r", "change": {"after_unknown": {"assume_role_policy": true, "arn": true}}},
            {"address": "data.aws_iam_policy_document.trust", "change": {"actions": ["read"],
             "after_unknown": {"json": true, "statement": [{"principals": [{"identifiers": [true]}]}]}}}]"#,
    );
    let x = &t.variants[0];
    let role = &x.principals[0];
    let trust = &x.docs[role.trust.unwrap()];
    let p = trust.policy.as_ref().unwrap();
    let text = &trust.source.text;
    assert!(text.contains("sts:AssumeRole"), "{text}");
    let placeholder =
        "UNKNOWN-data.aws_iam_policy_document.trust.statement[0].principals[0].identifiers[0]";
    assert!(text.contains(placeholder), "{text}");
    assert!(t.unknowns.contains_key(placeholder), "{:?}", t.unknowns);
    assert!(
        !text.contains('*'),
        "a placeholder is never a wildcard: {text}"
    );
    assert_eq!(p.statements.len(), 1);
}

/// The same, when the data source is only in the configuration: constants are read,
/// references become placeholders named after them.
#[test]
fn a_policy_document_only_in_the_configuration_is_rebuilt() {
    let t = plan(
        r#"{"resources": [
            {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "values": {"role": "r"}}
        ]}"#,
        r#"{"resources": [
            {"address": "aws_iam_role_policy.p", "expressions": {"policy": {"references": ["data.aws_iam_policy_document.s3.json", "data.aws_iam_policy_document.s3"]}}},
            {"address": "data.aws_iam_policy_document.s3", "mode": "data", "expressions": {"statement": [
                {"actions": {"constant_value": ["s3:GetObject"]}, "resources": {"references": ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]}}]}}
        ]}"#,
        r#"[{"address": "aws_iam_role_policy.p", "change": {"after_unknown": {"policy": true}}}]"#,
    );
    let d = &t.variants[0].docs[0];
    let p = d.policy.as_ref().unwrap();
    assert_eq!(p.statements.len(), 1);
    assert!(
        d.source.text.contains("UNKNOWN-aws_s3_bucket.b.arn"),
        "{}",
        d.source.text
    );
    assert!(t.unknowns.contains_key("UNKNOWN-aws_s3_bucket.b.arn"));
}
