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
