//! `count` and `for_each` on Terraform resources and data sources read from `.tf` files
//! (issue 12 §1): written with values known statically, each block is one resource per instance,
//! addressed as Terraform addresses it (`aws_iam_role_policy.inline[0]`,
//! `aws_iam_role_policy_attachment.managed["arn:..."]`,
//! https://developer.hashicorp.com/terraform/language/meta-arguments/count,
//! https://developer.hashicorp.com/terraform/language/meta-arguments/for_each,
//! https://developer.hashicorp.com/terraform/cli/state/resource-addressing). Fixture:
//! tests/fixtures/templates/terraform/instances (tests/fixtures/templates/README.md).

use crate::support::cli::*;

use std::path::Path;

const DIR: &str = "tests/fixtures/templates/terraform/instances";

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(DIR)
            .join("main.tf"),
    )
    .unwrap()
}

fn check(args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    gl(&all)
}

/// The CodeDeploy role's permissions granted by instances — `count` (`local.actions[count.index]`)
/// and `for_each` over a set whose policies are the `for_each` instances of an
/// `aws_iam_policy_document` (`data.aws_iam_policy_document.d[each.key].json`) — give the
/// verdict of the same five policies written as files; the attachment whose `for_each` is a
/// variable's empty default has no instance.
#[test]
fn check_on_instances_matches_check_on_files() {
    let t = check(&[
        "--template",
        &format!("{DIR}/main.tf"),
        "--role",
        "aws_iam_role.codedeploy",
        "--account",
        "123456789012",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let allow = |sid: Option<&str>, action: &str| {
        let sid = sid
            .map(|s| format!("\"Sid\": \"{s}\", "))
            .unwrap_or_default();
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{{sid}"Effect": "Allow", "Action": "{action}", "Resource": "*"}}]}}"#
        )
    };
    let files = [
        write(d, "grant-0.json", &allow(None, "ecs:DescribeServices")),
        write(d, "grant-1.json", &allow(None, "ecs:CreateTaskSet")),
        write(
            d,
            "alarms.json",
            &allow(Some("alarms"), "cloudwatch:DescribeAlarms"),
        ),
        write(
            d,
            "listeners.json",
            &allow(Some("listeners"), "elasticloadbalancing:DescribeListeners"),
        ),
    ];
    let trust = write(
        d,
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "codedeploy.amazonaws.com"}}]}"#,
    );
    let mut args = vec!["--trust-policy", trust.as_str()];
    args.extend(files.iter().map(String::as_str));
    let f = check(&args);
    assert_eq!(t.0, 1, "tf: {}{}", t.1, t.2);
    assert_eq!(t.0, f.0, "tf: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    let gaps = |o: &str| json(o)["profiles"][0]["requirements"].clone();
    let decisions = |v: serde_json::Value| -> Vec<(String, String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["action"].as_str().unwrap().to_string(),
                    r["resource"].to_string(),
                    r["decision"].to_string(),
                )
            })
            .collect()
    };
    let (tf, files) = (decisions(gaps(&t.1)), decisions(gaps(&f.1)));
    assert_eq!(tf, files);
    // the four instances grant what they name
    for action in [
        "ecs:DescribeServices",
        "ecs:CreateTaskSet",
        "cloudwatch:DescribeAlarms",
        "elasticloadbalancing:DescribeListeners",
    ] {
        assert!(
            tf.iter().any(|(a, _, d)| a == action && d == "\"allowed\""),
            "{action}: {tf:?}"
        );
    }
    assert_eq!(json(&t.1)["gaps"], json(&f.1)["gaps"]);
    assert!(
        t.2.contains("`aws_iam_role_policy_attachment.codedeploy` has an empty `for_each`: it has no instances and is not read"),
        "{}",
        t.2
    );
}

/// The issue's example: AWS managed policies attached with `for_each = toset([...])` are the
/// role's (`AdministratorAccess` allows every requirement), not a placeholder that fails the
/// check; `check` names the instance's policy as it allows.
#[test]
fn for_each_attachments_of_aws_managed_policies_are_seen() {
    let (code, out, err) = check(&[
        "--template",
        &format!("{DIR}/main.tf"),
        "--role",
        "aws_iam_role.app",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    let first = &v["profiles"][0]["requirements"][0];
    assert_eq!(first["decision"], "allowed");
    let files: Vec<&str> = first["matchedStatements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"arn:aws:iam::aws:policy/AdministratorAccess"),
        "{files:?}"
    );
    assert!(!err.contains("UNKNOWN-each.value"), "{err}");
}

/// `scan --template` lists every principal, the `count` instances of a role by address, each
/// with the policy of its own index (`role = aws_iam_role.worker[count.index].name`).
#[test]
fn scan_lists_instance_principals() {
    let (code, out, err) = gl(&[
        "scan",
        "--template",
        DIR,
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let rows: Vec<(String, String)> = json(&out)["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["logicalId"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("aws_iam_role.app", "complete"),
        ("aws_iam_role.codedeploy", "gaps"),
        ("aws_iam_role.worker[0]", "gaps"),
        ("aws_iam_role.worker[1]", "gaps"),
    ];
    assert_eq!(
        rows,
        want.map(|(a, b)| (a.to_string(), b.to_string())),
        "{out}"
    );
    // `aws_iam_role.worker[1]` sends to `queue-1` only (its policy is the one of index 1)
    let unit = format!("{DIR}/main.tf#aws_iam_role.worker[1]");
    for (queue, want) in [("queue-0", 0), ("queue-1", 1)] {
        let arn = format!("arn:aws:sqs:us-east-1:111122223333:{queue}");
        let (code, out, err) = gl(&[
            "verify",
            &unit,
            "--not-granted",
            "sqs:SendMessage",
            "--on",
            &arn,
        ]);
        assert_eq!(code, want, "{queue}: {out}{err}");
    }
}

/// `lint` lints the policy of every instance, named `FILE#ADDRESS[KEY]/policy`, located where
/// its text is written: `each.value.Resource` of the `pass` instance at the `for_each` entry
/// of that key (`iam:PassRole` on `*`, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html),
/// `local.actions[count.index]` at the list element of the index.
#[test]
fn lint_locates_each_instance_policy() {
    let (code, out, err) = gl(&["lint", "--format", "json", &format!("{DIR}/main.tf")]);
    assert_eq!(code, 1, "{out}{err}");
    let found: Vec<(String, String, u64, u64)> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["name"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let text = fixture();
    let line_col = |needle: &str, within: &str| {
        let start = text.find(within).unwrap();
        let at = start + text[start..].find(needle).unwrap();
        let line = text[..at].matches('\n').count() as u64 + 1;
        let col = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u64 + 1;
        (line, col)
    };
    let file = |address: &str| format!("{DIR}/main.tf#{address}/policy");
    let (l, c) = line_col("\"iam:PassRole\"", "pass = { Action = \"iam:PassRole\"");
    let pass = (
        file("aws_iam_role_policy.statements[\"pass\"]"),
        "pass-role-with-wildcard-resource".to_string(),
        l,
        c,
    );
    assert!(found.contains(&pass), "{pass:?}: {found:?}");
    assert!(
        !found
            .iter()
            .any(|f| f.0 == file("aws_iam_role_policy.statements[\"read\"]")
                && f.1.starts_with("pass-role")),
        "{found:?}"
    );
    // `ecs:CreateTaskSet` (index 1 of the local) modifies infrastructure; index 0 reads only
    let (l, c) = line_col("\"ecs:CreateTaskSet\"", "actions = [");
    let grant = (
        file("aws_iam_role_policy.grants[1]"),
        "infrastructure-modification".to_string(),
        l,
        c,
    );
    assert!(found.contains(&grant), "{grant:?}: {found:?}");
    assert!(
        !found
            .iter()
            .any(|f| f.0 == file("aws_iam_role_policy.grants[0]")),
        "{found:?}"
    );
}

/// `diff --base`: instance addresses are units. One more `count` instance is a new principal,
/// all added; an AWS managed policy added to a `for_each` set through a variable's default is
/// added to its role; the unchanged instances add nothing.
#[test]
fn diff_base_compares_instances() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(root, "infra/main.tf", &fixture());
    git(root, &["init", "--quiet"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "base"]);
    let (code, out, err) = gl_in(root, &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let changed = fixture()
        .replace(
            "  count              = 2\n  name               = \"worker-",
            "  count              = 3\n  name               = \"worker-",
        )
        .replace(
            "  count  = 2\n  name   = \"worker\"",
            "  count  = 3\n  name   = \"worker\"",
        )
        .replace(
            "\"arn:aws:sqs:us-east-1:111122223333:queue-1\"]",
            "\"arn:aws:sqs:us-east-1:111122223333:queue-1\", \"arn:aws:sqs:us-east-1:111122223333:queue-2\"]",
        )
        .replace(
            "default     = []",
            "default     = [\"arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS\"]",
        );
    assert_ne!(changed, fixture());
    write(root, "infra/main.tf", &changed);
    let (code, out, err) = gl_in(root, &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let mut docs: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["document"].as_str().unwrap())
        .collect();
    docs.sort();
    docs.dedup();
    assert_eq!(
        docs,
        [
            "aws_iam_role.codedeploy",
            "aws_iam_role.worker[2]",
            "aws_iam_role.worker[2]/assume_role_policy",
        ],
        "{out}"
    );
    assert!(
        v["added"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["path"] == "infra/main.tf"),
        "{out}"
    );
}

/// `diff OLD NEW` of two folders: a change to what one instance's policy reads (the second
/// element of a local list) adds to that instance only; `FILE#ADDRESS[KEY]` names it as a unit.
#[test]
fn diff_of_two_folders_compares_instances() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(root, "old/main.tf", &fixture());
    write(
        root,
        "new/main.tf",
        &fixture().replace(
            "\"arn:aws:sqs:us-east-1:111122223333:queue-1\"",
            "\"arn:aws:sqs:us-east-1:111122223333:*\"",
        ),
    );
    let (code, out, err) = gl_in(root, &["diff", "old", "new", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let docs: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["document"].as_str().unwrap())
        .collect();
    assert!(!docs.is_empty(), "{out}");
    assert!(docs.iter().all(|d| *d == "aws_iam_role.worker[1]"), "{out}");
    for (unit, want) in [("aws_iam_role.worker[1]", 1), ("aws_iam_role.worker[0]", 0)] {
        let (code, out, err) = gl_in(
            root,
            &[
                "diff",
                &format!("old/main.tf#{unit}"),
                &format!("new/main.tf#{unit}"),
                "--format",
                "json",
            ],
        );
        assert_eq!(code, want, "{unit}: {out}{err}");
    }
}

/// A `for_each` or `count` not known statically keeps the block one resource, its
/// `each.value` a named placeholder, and says so: the attachment's managed policy cannot be
/// checked (exit 2, never a silent pass). A splat over instances not known statically is a
/// named placeholder (over known instances it is their list: `hcl::tests::splats_over_instances`).
#[test]
fn a_dynamic_for_each_keeps_the_note() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "main.tf",
        r#"variable "arns" {
  type = set(string)
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "codedeploy.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = var.arns
  role       = aws_iam_role.app.name
  policy_arn = each.value
}
variable "queues" {
  type = number
}
resource "aws_sqs_queue" "q" {
  count = var.queues
  name  = "q${count.index}"
}
resource "aws_iam_role_policy" "send" {
  role   = aws_iam_role.app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q[*].arn }] })
}
"#,
    );
    let (code, out, err) = gl_in(
        root,
        &[
            "check",
            "--profile",
            "ecs-codedeploy-service-role",
            "--template",
            "main.tf",
            "--role",
            "aws_iam_role.app",
        ],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("`aws_iam_role_policy_attachment.managed` has a `for_each` that is not known statically: its instances are read as one resource, `aws_iam_role_policy_attachment.managed`"),
        "{err}"
    );
    assert!(
        err.contains("has the managed policy `UNKNOWN-each.value`"),
        "{err}"
    );
    let (code, out, err) = gl_in(root, &["lint", "--format", "json", "main.tf"]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(
        err.contains("`UNKNOWN-aws_sqs_queue.q[*].arn` stands for `aws_sqs_queue.q[*].arn`"),
        "{err}"
    );
}

const TFVARS: &str = "tests/fixtures/templates/terraform/tfvars";

/// The principals of `scan --template` on a folder, as (address, status).
fn scan_ids(dir: &Path, template: &str, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec![
        "scan",
        "--template",
        template,
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = gl_in(dir, &args);
    assert!(code == 0 || code == 1, "{out}{err}");
    json(&out)["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["logicalId"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `count`/`for_each` on module calls and resources whose values come from variables set in
/// the variable definitions files Terraform loads by itself — `terraform.tfvars`, then the
/// `*.auto.tfvars(.json)` files, a later file winning
/// (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence)
/// — and from a local map: one module per instance (`for_each = var.services`, a set;
/// `count = var.workers`, 3 in `terraform.tfvars` but 2 in `roles.auto.tfvars.json`, not the
/// 5 of `prod.tfvars`, which Terraform reads only with `-var-file`; `for_each = local.managed`,
/// `each.value` the managed policy), and one role policy per queue of a map variable.
#[test]
fn module_and_resource_instances_from_tfvars_and_locals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rows = scan_ids(root, TFVARS, &[]);
    let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "module.managed[\"auditor\"].aws_iam_role.this",
            "module.managed[\"deployer\"].aws_iam_role.this",
            "module.service[\"ecs-tasks\"].aws_iam_role.this",
            "module.service[\"lambda\"].aws_iam_role.this",
            "module.worker[0].aws_iam_role.this",
            "module.worker[1].aws_iam_role.this",
        ]
    );
    // `each.value` of the local map: the deployer role holds `AWSCodeDeployRoleForECS` and
    // trusts CodeDeploy, the profile's role (complete); the auditor holds `ReadOnlyAccess`
    assert!(rows.contains(&(
        "module.managed[\"deployer\"].aws_iam_role.this".into(),
        "complete".into()
    )));
    assert!(rows.contains(&(
        "module.managed[\"auditor\"].aws_iam_role.this".into(),
        "gaps".into()
    )));
    // `--template-param` is Terraform's `-var`: it wins over the files
    let rows = scan_ids(root, TFVARS, &["--template-param", "workers=1"]);
    assert_eq!(
        rows.iter()
            .filter(|(id, _)| id.starts_with("module.worker"))
            .count(),
        1,
        "{rows:?}"
    );
    // a `-var` value of a collection variable (`services` is `set(string)`) is an HCL
    // expression (https://developer.hashicorp.com/terraform/language/values/variables#variables-on-the-command-line)
    let rows = scan_ids(
        root,
        TFVARS,
        &[
            "--template-param",
            r#"services=["ecs-tasks", "lambda", "codebuild"]"#,
        ],
    );
    let services: Vec<&str> = rows
        .iter()
        .map(|(id, _)| id.as_str())
        .filter(|id| id.starts_with("module.service"))
        .collect();
    assert_eq!(
        services,
        [
            "module.service[\"codebuild\"].aws_iam_role.this",
            "module.service[\"ecs-tasks\"].aws_iam_role.this",
            "module.service[\"lambda\"].aws_iam_role.this",
        ]
    );
    // ... of constant values only, as Terraform reads it: a reference is an error
    let (code, out, err) = gl_in(
        root,
        &[
            "scan",
            "--template",
            TFVARS,
            "--profile",
            "ecs-codedeploy-service-role",
            "--template-param",
            r#"services=["ecs-tasks", var.x]"#,
        ],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--template-param services"), "{err}");
    // `for_each = var.queue_arns` (the map of `roles.auto.tfvars.json`): each queue's policy
    // attached to `worker-0` (`module.worker[0].role_name`), `each.value` its resource
    for queue in ["orders", "audit"] {
        let arn = format!("arn:aws:sqs:us-east-1:123456789012:{queue}");
        let (code, out, err) = gl(&[
            "verify",
            "--not-granted",
            "sqs:SendMessage",
            "--on",
            &arn,
            "--format",
            "json",
            &format!("{TFVARS}/main.tf"),
        ]);
        assert_eq!(code, 1, "{out}{err}");
        let found: Vec<(String, String)> = json(&out)["assertions"][0]["counterexamples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["document"].as_str().unwrap().to_string(),
                    c["statements"][0]["file"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [(
                "module.worker[0].aws_iam_role.this".to_string(),
                format!("{TFVARS}/main.tf#aws_iam_role_policy.send[\"{queue}\"]/policy")
            )]
        );
    }
    // a walk reads the variable definitions files with their module, not as policies
    let (code, out, err) = gl(&["lint", "--verbose", TFVARS]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(
        format!("{out}{err}").contains(&format!(
            "skipped {TFVARS}/terraform.tfvars: a Terraform variable definitions file"
        )),
        "{out}{err}"
    );
}

/// Without a value (no default, nothing in the variable definitions files) a module's
/// `for_each` is not known statically: its instances are read as one and the output says so.
/// A variable definitions file holding a reference is an error, as in Terraform (it evaluates
/// those files without variables or functions), never a silent pass.
#[test]
fn tfvars_without_value_or_with_references() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "modules/r/main.tf",
        "variable \"name\" {}\nresource \"aws_iam_role\" \"r\" {\n  name = var.name\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"ec2.amazonaws.com\"}}]})\n}\n",
    );
    write(
        root,
        "main.tf",
        "variable \"names\" {\n  type = set(string)\n}\nmodule \"r\" {\n  source   = \"./modules/r\"\n  for_each = var.names\n  name     = each.key\n}\n",
    );
    let (code, out, err) = gl_in(
        root,
        &[
            "scan",
            "--template",
            "main.tf",
            "--profile",
            "ecs-codedeploy-service-role",
            "--format",
            "json",
        ],
    );
    assert!(code == 0 || code == 1, "{out}{err}");
    let v = json(&out);
    let ids: Vec<&str> = v["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["logicalId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["module.r.aws_iam_role.r"], "{out}");
    assert!(
        err.contains("`module.r` has a `for_each` that is not known statically: its instances are read as one module, `module.r`"),
        "{err}"
    );
    write(root, "terraform.tfvars", "names = [\"a\", \"b\"]\n");
    let rows = scan_ids(root, "main.tf", &[]);
    assert_eq!(
        rows.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        [
            "module.r[\"a\"].aws_iam_role.r",
            "module.r[\"b\"].aws_iam_role.r"
        ]
    );
    write(root, "x.auto.tfvars", "names = var.other\n");
    let (code, out, err) = gl_in(root, &["lint", "main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("a variable definitions file holds constant values only"),
        "{out}{err}"
    );
}
