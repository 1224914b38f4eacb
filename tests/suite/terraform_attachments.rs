//! Managed policies attached to Terraform principals by the exclusive attachment resources
//! (red-team pass 8, issue 12 §1): `aws_iam_{role,user,group}_policy_attachments_exclusive`
//! attach the managed policies of `policy_arns`
//! (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachments_exclusive:
//! "A list of managed IAM policy ARNs to be attached to the role", and detach the others),
//! read from `.tf` files and
//! from plans; a policy attached by an ARN greenlight cannot read makes `verify` answer
//! `unknown`, never `holds`. Fixtures: tests/fixtures/terraform-attachments
//! (its README.md).

use crate::support::cli::*;

const DIR: &str = "tests/fixtures/terraform-attachments";

/// `verify --format json --not-granted ACTION FILE`: (exit code, holds, documents with a
/// counterexample, documents reported unknown).
fn not_granted(file: &str, action: &str) -> (i32, serde_json::Value, Vec<String>, Vec<String>) {
    let (code, out, err) = gl(&["verify", "--format", "json", file, "--not-granted", action]);
    assert!(!out.is_empty(), "{err}");
    let a = json(&out)["assertions"][0].clone();
    let docs = |key: &str| {
        let mut d: Vec<String> = a[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["document"].as_str().unwrap().to_string())
            .collect();
        d.sort();
        d.dedup();
        d
    };
    let (c, u) = (docs("counterexamples"), docs("unknown"));
    (code, a["holds"].clone(), c, u)
}

/// The red team's case: a role with `AdministratorAccess` attached through
/// `aws_iam_role_policy_attachments_exclusive` passed `verify --not-granted 'iam:*'`. The user
/// and group variants attach a customer managed policy (by reference) and `IAMFullAccess`;
/// the inline-policy exclusive keeps the role's inline policy read.
#[test]
fn exclusive_attachments_in_tf_files_are_read() {
    let (code, holds, with, _) = not_granted(&format!("{DIR}/main.tf"), "iam:*");
    assert_eq!(code, 1);
    assert_eq!(holds, false);
    assert_eq!(
        with,
        ["aws_iam_group.ops", "aws_iam_role.app", "aws_iam_user.dev"]
    );
    let (code, _, with, _) = not_granted(&format!("{DIR}/main.tf"), "logs:PutLogEvents");
    assert_eq!(code, 1);
    assert!(with.contains(&"aws_iam_role.app".to_string()), "{with:?}");
}

/// In a plan: the listed ARN is read; `policy_arns` known only after apply is linked through
/// the configuration's reference to an `aws_iam_policy`
/// (https://developer.hashicorp.com/terraform/internals/json-format: `after_unknown`,
/// `configuration` expressions' `references`), and one that refers to a variable is unknown.
#[test]
fn exclusive_attachments_in_plans_are_read() {
    let plan = format!("{DIR}/plan.json");
    let (code, _, with, unknown) = not_granted(&plan, "iam:CreateUser");
    // counterexamples and an unknown: the proven failure decides (red-team pass 8, finding 9)
    assert_eq!(code, 1);
    assert_eq!(with, ["aws_iam_role.app", "aws_iam_role.svc"]);
    assert_eq!(unknown, ["aws_iam_role.ext"]);
}

/// A customer managed policy the inputs do not define, attached by ARN
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment):
/// its content is not known offline, so `--not-granted` is `unknown` (exit 2), not `holds`.
#[test]
fn a_policy_not_known_offline_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let tf = write(
        dir.path(),
        "main.tf",
        r#"resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy_attachments_exclusive" "app" {
  role_name   = aws_iam_role.app.name
  policy_arns = ["arn:aws:iam::111122223333:policy/custom"]
}
"#,
    );
    let (code, holds, with, unknown) = not_granted(&tf, "iam:*");
    assert_eq!(code, 2);
    assert_eq!(holds, serde_json::Value::Null);
    assert!(with.is_empty(), "{with:?}");
    assert_eq!(unknown, ["aws_iam_role.app"]);
}

/// An exclusive attachment detaches every managed policy it does not list
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachments_exclusive:
/// "This resource takes exclusive ownership over managed IAM policies attached to a role. This
/// includes removal of managed IAM policies which are not explicitly configured"): the role
/// keeps the listed ARNs and its inline policies (`aws_iam_role_policy`, not a managed policy,
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy).
/// A managed policy the configuration attaches beside it (`AdministratorAccess` through an
/// `aws_iam_role_policy_attachment`) is detached by it and re-attached by the other on the
/// next apply (the provider's "persistent drift"): it is left out of the role's policies and
/// the conflict is named, so `verify --not-granted` is `unknown` (exit 2), not a verdict on
/// either state. Before: read as attached (a counterexample from `AdministratorAccess`, exit 1).
#[test]
fn exclusive_attachments_detach_the_unlisted_managed_policies() {
    let dir = tempfile::tempdir().unwrap();
    let base = r#"resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_role_policy" "logs" {
  role   = aws_iam_role.app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachments_exclusive" "app" {
  role_name   = aws_iam_role.app.name
  policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
"#;
    let conflict = format!(
        "{base}resource \"aws_iam_role_policy_attachment\" \"admin\" {{\n  role       = aws_iam_role.app.name\n  policy_arn = \"arn:aws:iam::aws:policy/AdministratorAccess\"\n}}\n"
    );
    std::fs::create_dir(dir.path().join("plain")).unwrap();
    std::fs::create_dir(dir.path().join("conflict")).unwrap();
    let plain = write(&dir.path().join("plain"), "main.tf", base);
    let both = write(&dir.path().join("conflict"), "main.tf", &conflict);
    // the inline policy stays, the listed policy is attached
    let (code, _, with, _) = not_granted(&plain, "logs:PutLogEvents");
    assert_eq!(code, 1);
    assert_eq!(with, ["aws_iam_role.app"]);
    let (code, _, with, _) = not_granted(&plain, "ec2:DescribeInstances");
    assert_eq!(code, 1);
    assert_eq!(with, ["aws_iam_role.app"]);
    let (code, holds, _, _) = not_granted(&plain, "iam:CreateUser");
    assert_eq!(code, 0);
    assert_eq!(holds, true);
    // `AdministratorAccess` attached beside it: detached by the exclusive resource
    let inputs = greenlight::iac::cfn::Inputs::default();
    let t = greenlight::iac::load_file(&both, &inputs).unwrap();
    let x = &t.variants[0];
    let role = x
        .principals
        .iter()
        .find(|p| p.logical_id == "aws_iam_role.app")
        .unwrap();
    let identity = format!("{:?}", role.identity);
    assert!(!identity.contains("AdministratorAccess"), "{identity}");
    assert!(identity.contains("ReadOnlyAccess"), "{identity}");
    assert_eq!(role.identity.len(), 2, "{identity}");
    let (code, out, err) = gl(&[
        "verify",
        "--format",
        "json",
        &both,
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        json(&out)["assertions"][0]["holds"],
        serde_json::Value::Null
    );
    assert!(
        err.contains("`aws_iam_role_policy_attachments_exclusive.app` (aws_iam_role_policy_attachments_exclusive) detaches `arn:aws:iam::aws:policy/AdministratorAccess`, which the configuration also attaches to `aws_iam_role.app`"),
        "{err}"
    );
}

/// The same in a plan (`terraform show -json`,
/// https://developer.hashicorp.com/terraform/internals/json-format): the role keeps the listed
/// `ReadOnlyAccess` and its inline policy; `AdministratorAccess`, attached beside the exclusive
/// resource, is left out and the conflict named (`unknown`, exit 2). When the exclusive
/// resource's `policy_arns` is not known (a variable), no attachment is dropped: the
/// counterexample from `AdministratorAccess` stands.
#[test]
fn exclusive_attachments_in_plans_detach_the_unlisted_managed_policies() {
    let dir = tempfile::tempdir().unwrap();
    let plan = |arns: &str| {
        format!(
            r#"{{"format_version": "1.2", "terraform_version": "1.9.8",
 "planned_values": {{"root_module": {{"resources": [
  {{"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "values": {{"name": "app",
    "assume_role_policy": "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"ec2.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\"}}]}}"}}}},
  {{"address": "aws_iam_role_policy.logs", "mode": "managed", "type": "aws_iam_role_policy", "values": {{"role": "app", "name": "logs",
    "policy": "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}}]}}"}}}},
  {{"address": "aws_iam_role_policy_attachment.admin", "mode": "managed", "type": "aws_iam_role_policy_attachment",
    "values": {{"role": "app", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}}}},
  {{"address": "aws_iam_role_policy_attachments_exclusive.app", "mode": "managed", "type": "aws_iam_role_policy_attachments_exclusive",
    "values": {{"role_name": "app"{arns}}}}}
 ]}}}},
 "resource_changes": [{{"address": "aws_iam_role_policy_attachments_exclusive.app", "change": {{"after_unknown": {{"policy_arns": {}}}}}}}]
}}"#,
            if arns.is_empty() { "true" } else { "false" }
        )
    };
    let listed = write(
        dir.path(),
        "listed.json",
        &plan(r#", "policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]"#),
    );
    let (code, _, with, _) = not_granted(&listed, "logs:PutLogEvents");
    assert_eq!(code, 1);
    assert_eq!(with, ["aws_iam_role.app"]);
    let (code, holds, with, unknown) = not_granted(&listed, "iam:CreateUser");
    assert_eq!(code, 2, "{with:?}");
    assert_eq!(holds, serde_json::Value::Null);
    assert!(with.is_empty(), "{with:?}");
    assert_eq!(unknown, ["aws_iam_role_policy_attachments_exclusive.app"]);
    let later = write(dir.path(), "later.json", &plan(""));
    let (code, _, with, _) = not_granted(&later, "iam:CreateUser");
    assert_eq!(code, 1);
    assert_eq!(with, ["aws_iam_role.app"]);
}

/// A resource defined twice in one folder (two `.tf` files) is an error, as Terraform refuses
/// it ("Duplicate resource configuration"): the file read last won, and an open trust policy
/// in the other went unseen (red team 49).
#[test]
fn a_resource_defined_twice_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let role = |trust: &str| {
        format!(
            r#"resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {trust} }}] }})
}}
"#
        )
    };
    write(d.path(), "0.tf", &role(r#"{ AWS = "*" }"#));
    write(
        d.path(),
        "a.tf",
        &role(r#"{ Service = "codedeploy.amazonaws.com" }"#),
    );
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--template",
        &dir,
        "--role",
        "aws_iam_role.r",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("is defined twice"), "{err}");
}

/// Files Terraform's loader ignores (a name that starts with `.`, ends with `~`, or is
/// `#...#`) are not part of the module: an attachment in `.wip.tf` filled a role's gaps, and a
/// hidden backup was a "duplicate" (red team 50).
#[test]
fn files_terraform_ignores_are_not_read() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codedeploy.amazonaws.com" } }] })
}
"#,
    );
    let attach = r#"resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
}
"#;
    for hidden in [".wip.tf", "main.tf~", "#main.tf#"] {
        write(d.path(), hidden, attach);
    }
    // a hidden copy of the role itself is no duplicate
    write(
        d.path(),
        ".main.tf",
        &std::fs::read_to_string(d.path().join("main.tf")).unwrap(),
    );
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--template",
        &dir,
        "--role",
        "aws_iam_role.r",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(json(&out)["gaps"].as_u64().unwrap() > 0, "{out}");
}
