//! Terraform modules with many boolean inputs (issue 12 §1): every combination of the
//! conditionals that cannot be decided is read (terraform-aws-iam's `iam-role` module has 12),
//! and a policy, principal or unit alike in many combinations is reported once, named by the
//! fewest conditions that name them (`[when `var.v3`=true]`, not every flag of the module).
//! Also a `dynamic` block over a collection whose element is not known statically
//! (`toset([module.eks.cluster_name])`, terraform-aws-iam's iam-role-for-service-accounts
//! example): one block, the element a placeholder where the content reads it
//! (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks).

use crate::support::cli::*;

/// Twelve flags (each `bool`, default `false`: a caller may set any of them); eleven gate a
/// read-only policy each, the twelfth an inline `*` on `*` of a CodeDeploy role.
fn twelve_flags() -> String {
    let mut t = String::new();
    for i in 0..12 {
        t.push_str(&format!(
            "variable \"v{i}\" {{\n  type    = bool\n  default = false\n}}\n"
        ));
    }
    for i in 0..11 {
        t.push_str(&format!(
            r#"resource "aws_iam_policy" "p{i}" {{
  count  = var.v{i} ? 1 : 0
  name   = "p{i}"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Sid = "Read{i}", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket-{i}/*" }}] }})
}}
"#
        ));
    }
    t.push_str(
        r#"resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "codedeploy.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "admin" {
  count  = var.v11 ? 1 : 0
  role   = aws_iam_role.deploy.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Everything", Effect = "Allow", Action = "*", Resource = "*" }] })
}
"#,
    );
    t
}

#[test]
fn twelve_flags_lint_names_each_policy_by_its_own_flag() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "main.tf", &twelve_flags());
    let o = greenlight(d.path(), &["lint", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let admin: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL089")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // full admin, once, in the one combination set that has it
    assert_eq!(
        admin,
        ["./main.tf#aws_iam_role_policy.admin[0]/policy [when `var.v11`=true]"],
        "{}",
        show(&o)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("every combination"), "{err}");
}

/// A placeholder that only one combination's policy holds (the caller's account, in the
/// branch of `var.cross` that is not the default) is still explained: every combination's
/// values are searched, not only the first's (a document's source is the same `.tf` file in
/// every combination).
#[test]
fn a_placeholder_of_one_combination_only_is_explained() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"variable "cross" {
  type    = bool
  default = false
}
data "aws_caller_identity" "me" {}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Assume", Effect = "Allow", Action = "sts:AssumeRole", Resource = var.cross ? "arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/x" : "arn:aws:iam::111122223333:role/y" }] })
}
"#,
    );
    let o = greenlight(d.path(), &["lint", ".", "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("every combination"), "{}", show(&o));
    assert!(
        err.contains("`000000000000` stands for the account"),
        "{}",
        show(&o)
    );
}

#[test]
fn twelve_flags_verify_reads_each_unit_once() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "main.tf", &twelve_flags());
    let o = greenlight(
        d.path(),
        &[
            "verify",
            ".",
            "--not-granted",
            "iam:CreateUser",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let a = &v["assertions"][0];
    assert_eq!(a["holds"], false);
    // the role's identity policies with and without the inline admin, its trust policy,
    // and the eleven policies: 14 units, not one per combination (4,096)
    assert_eq!(a["checked"], 14, "{}", show(&o));
    let docs: Vec<&str> = a["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["aws_iam_role.deploy [when `var.v11`=true]"]);
    let names: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"aws_iam_policy.p3[0]/policy [when `var.v3`=true]"),
        "{names:?}"
    );
    assert!(
        names.contains(&"aws_iam_role.deploy/assume_role_policy"),
        "{names:?}"
    );
    // bucket-3 is read through `p3` when `var.v3` is true (and by the admin policy)
    let o = greenlight(
        d.path(),
        &[
            "verify",
            ".",
            "--not-granted",
            "s3:GetObject",
            "--on",
            "arn:aws:s3:::bucket-3/x",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let mut docs: Vec<&str> = v["assertions"][0]["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["document"].as_str().unwrap())
        .collect();
    docs.sort_unstable();
    assert_eq!(
        docs,
        [
            "aws_iam_policy.p3[0]/policy [when `var.v3`=true]",
            "aws_iam_role.deploy [when `var.v11`=true]"
        ],
        "{}",
        show(&o)
    );
}

#[test]
fn twelve_flags_scan_and_check_report_the_role_per_inline_policy() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "main.tf", &twelve_flags());
    let o = greenlight(
        d.path(),
        &[
            "scan",
            "--template",
            ".",
            "--profile",
            "ecs-codedeploy-service-role",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("aws_iam_role.deploy"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("when `var.v11`=true") && l.contains("complete")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("when `var.v11`=false") && l.contains("gaps")),
        "{out}"
    );
    let o = greenlight(
        d.path(),
        &[
            "check",
            "--template",
            "main.tf",
            "--role",
            "aws_iam_role.deploy",
            "--profile",
            "ecs-codedeploy-service-role",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let when: Vec<&str> = v["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["conditions"].as_str().unwrap())
        .collect();
    assert_eq!(when, ["`var.v11`=false", "`var.v11`=true"], "{}", show(&o));
}

/// More than 12 undecided conditionals is still an error (exit 2) naming them.
#[test]
fn thirteen_flags_is_an_error() {
    let mut t = twelve_flags();
    t.push_str(
        r#"variable "v12" {
  type    = bool
  default = false
}
resource "aws_iam_policy" "p12" {
  count  = var.v12 ? 1 : 0
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
"#,
    );
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "main.tf", &t);
    let o = greenlight(d.path(), &["lint", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("at least 13 conditionals cannot be decided"),
        "{}",
        show(&o)
    );
}

/// A `dynamic` block over `toset([module.eks.cluster_name])` (a module not read offline) makes
/// one statement whose condition key holds the placeholder; an element read for the effect
/// is an invalid effect (exit 2), never a guess.
#[test]
fn dynamic_over_an_element_not_known_statically() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"module "eks" {
  source = "terraform-aws-modules/eks/aws"
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = toset([module.eks.cluster_name])
    content {
      actions   = ["autoscaling:SetDesiredCapacity"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/kubernetes.io/cluster/${statement.value}"
        values   = ["owned"]
      }
    }
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
"#,
    );
    // the statement is there: SetDesiredCapacity is granted, s3 is not
    let o = greenlight(
        d.path(),
        &[
            "verify",
            ".",
            "--not-granted",
            "autoscaling:SetDesiredCapacity",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let c = &v["assertions"][0]["counterexamples"][0];
    let keys: Vec<&String> = c["context"].as_object().unwrap().keys().collect();
    assert!(
        keys.iter()
            .any(|k| k.starts_with("aws:ResourceTag/kubernetes.io/cluster/UNKNOWN-")),
        "{}",
        show(&o)
    );
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "main.tf#aws_iam_policy.p/policy",
            "--not-granted",
            "s3:GetObject",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // the folder as a whole holds the EKS module, which is not read: what it creates is not
    // known (red team 46)
    let o = greenlight(d.path(), &["verify", ".", "--not-granted", "s3:GetObject"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("`module.eks` is a module greenlight does not read"),
        "{}",
        show(&o)
    );

    write(
        d.path(),
        "main.tf",
        r#"module "eks" {
  source = "terraform-aws-modules/eks/aws"
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = [module.eks.statement]
    content {
      effect    = statement.value.effect
      actions   = ["s3:GetObject"]
      resources = ["*"]
    }
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.p.json
}
"#,
    );
    let o = greenlight(d.path(), &["lint", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("is not a valid Effect"), "{}", show(&o));
}

/// Comparisons of one root variable with string literals cannot all hold: `var.env == "dev"`
/// and `var.env == "test"` are never both true, so no combination grants `iam:PassRole`
/// (the `dev` branch) together with `ec2:RunInstances` (the `test` branch), the escalation
/// path GL098 reports (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
/// Three comparisons leave four deployments (`prod`, `dev`, `test`, anything else), not eight;
/// a policy alike in all of them is named without a combination.
#[test]
fn comparisons_of_one_variable_leave_out_what_no_value_makes() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"variable "env" {
  type = string
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = var.env == "prod" ? "s3:GetObject" : "s3:PutObject", Resource = "*" },
      { Effect = "Allow", Action = var.env == "dev" ? "iam:PassRole" : "s3:ListBucket", Resource = "*" },
      { Effect = "Allow", Action = var.env == "test" ? "ec2:RunInstances" : "s3:ListBucket", Resource = "*" },
    ]
  })
}
"#,
    );
    let o = greenlight(d.path(), &["lint", ".", "--format", "json"]);
    let v = parsed(&o);
    let files: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "GL098"),
        "{}",
        show(&o)
    );
    let policies: Vec<&&str> = files.iter().filter(|f| f.contains("/policy")).collect();
    assert!(
        policies.iter().all(|f| f.contains("[when ")) && policies.len() <= 4,
        "{policies:?}"
    );
    assert!(
        files.contains("./main.tf#aws_iam_role.r/assume_role_policy"),
        "{files:?}"
    );
    // `verify` still finds the `dev` deployment's PassRole
    let o = greenlight(
        d.path(),
        &[
            "verify",
            ".",
            "--not-granted",
            "iam:PassRole",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

/// Terraform's strings are in Unicode normal form C, so `"café"` written precomposed and
/// decomposed are one value (`terraform console`, red team 35): `var.env` set to one spelling
/// in a variables file meets a comparison with the other. Such a comparison is not decided
/// (both branches are read), and two comparisons of the variable with such literals are not
/// ruled out together.
#[test]
fn comparisons_of_strings_beyond_ascii_are_not_decided_apart() {
    let main = "variable \"env\" {\n  type = string\n}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = var.env == \"caf\u{e9}\" ? (var.env == \"cafe\u{301}\" ? \"iam:*\" : \"s3:GetObject\") : \"s3:GetObject\", Resource = \"*\" }] })\n}\n";
    for tfvars in [None, Some("env = \"caf\u{e9}\"\n")] {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "main.tf", main);
        if let Some(t) = tfvars {
            write(d.path(), "x.auto.tfvars", t);
        }
        let o = greenlight(
            d.path(),
            &["verify", ".", "--not-granted", "iam:*", "--format", "json"],
        );
        assert_eq!(o.status.code(), Some(1), "{tfvars:?}: {}", show(&o));
    }
}
