//! Terraform `.tf` modules in `diff`, `diff --base REF`, `verify` and `generate --missing-from
//! FILE#ADDRESS` (issue 12 §1 and §3), run as processes in temporary folders and git
//! repositories.
//!
//! A folder's `.tf` files are one module
//! (<https://developer.hashicorp.com/terraform/language/modules>); roles are written as the
//! Terraform AWS provider documents them: an `aws_iam_role` with its trust policy from an
//! `aws_iam_policy_document` data source
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document>)
//! and an `aws_iam_role_policy`
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy>).
//! Expected verdicts follow the IAM policy evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>):
//! an identity policy's `Allow` grants the actions it lists on the resources it lists.

use crate::support::cli::*;

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

fn base_json(repo: &Path) -> (Output, Value) {
    let o = greenlight(repo, &["diff", "--base", "HEAD", "--format", "json"]);
    let v = parsed(&o);
    (o, v)
}

fn actions(groups: &Value) -> Vec<String> {
    let mut v: Vec<String> = groups
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["actions"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// The deploy role: trust to Lambda, an inline policy from an `aws_iam_policy_document`.
fn role(actions: &str) -> String {
    format!(
        r#"data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

data "aws_iam_policy_document" "deploy" {{
  statement {{
    sid       = "Objects"
    actions   = [{actions}]
    resources = ["arn:aws:s3:::example-bucket/*"]
  }}
}}

resource "aws_iam_role" "deploy" {{
  name               = var.role_name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}

resource "aws_iam_role_policy" "deploy" {{
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}}
"#
    )
}

const VARIABLES: &str = "variable \"role_name\" {\n  default = \"deploy\"\n}\n";

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
}

/// The policy document's statement widens from `s3:GetObject` to `s3:GetObject` and
/// `s3:PutObject`: one addition, named by the role's address and the `.tf` file that defines
/// it, the statement located in the `.tf` file, and a witness that the same policies written
/// as JSON decide as the diff says (allowed by the new one, not by the old one).
#[test]
fn a_terraform_role_whose_policy_document_widens_is_named_by_address() {
    let old = role(r#""s3:GetObject""#);
    let new = role(r#""s3:GetObject", "s3:PutObject""#);
    let d = repo(&[("infra/main.tf", &old), ("infra/variables.tf", VARIABLES)]);
    // nothing changed
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["files"]["compared"], json!([]));
    write(d.path(), "infra/main.tf", &new);
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(
        v["summary"],
        json!({"added": 1, "removed": 0, "unknown": 0})
    );
    assert_eq!(v["files"]["compared"], json!(["infra/main.tf"]));
    let g = &v["added"][0];
    assert_eq!(g["path"], "infra/main.tf");
    assert_eq!(g["document"], "aws_iam_role.deploy");
    assert_eq!(g["policyType"], "identity");
    assert_eq!(g["actions"], json!(["s3:PutObject"]));
    let st = &g["statements"][0];
    assert_eq!(st["sid"], "Objects");
    assert_eq!(
        st["file"],
        "infra/main.tf#aws_iam_role_policy.deploy/policy"
    );
    // the `statement` block of the `deploy` document
    let block = new
        .find("data \"aws_iam_policy_document\" \"deploy\"")
        .unwrap();
    let want = new[..block].lines().count() as u64 + 2;
    assert_eq!(st["line"].as_u64(), Some(want), "{v}");
    // the witness, re-decided on the same policies as JSON files
    let ex = &g["example"];
    assert_eq!(ex["action"], "s3:PutObject");
    let resource = ex["resource"].as_str().unwrap();
    assert!(
        resource.starts_with("arn:aws:s3:::example-bucket/"),
        "{resource}"
    );
    let policy = |actions: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{actions}],"Resource":"arn:aws:s3:::example-bucket/*"}}]}}"#
        )
    };
    let w = tempfile::tempdir().unwrap();
    write(w.path(), "old.json", &policy(r#""s3:GetObject""#));
    write(
        w.path(),
        "new.json",
        &policy(r#""s3:GetObject","s3:PutObject""#),
    );
    for (file, want) in [("new.json", "allowed"), ("old.json", "implicitDeny")] {
        let s = greenlight(
            w.path(),
            &[
                "simulate",
                "--policy",
                file,
                "--action",
                "s3:PutObject",
                "--resource",
                resource,
                "--format",
                "json",
            ],
        );
        assert_eq!(parsed(&s)["results"][0]["decision"], want, "{}", show(&s));
    }
    // the text output names the unit
    let o = greenlight(d.path(), &["diff", "--base", "HEAD"]);
    assert!(
        show(&o).contains("== infra/main.tf#aws_iam_role.deploy (identity policy): 1 added"),
        "{}",
        show(&o)
    );
}

/// A rewrite that grants the same: the role moved to another file of the folder, its policy
/// written with `jsonencode` instead of the data source, the variable inlined, a comment
/// added. The module is compared (its files changed) and nothing is added or removed.
#[test]
fn a_terraform_rewrite_that_changes_nothing_is_clean() {
    let d = repo(&[
        ("infra/main.tf", &role(r#""s3:GetObject""#)),
        ("infra/variables.tf", VARIABLES),
    ]);
    let rewritten = r#"# the deploy role, rewritten
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  name = "deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Objects"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::example-bucket/*"
    }]
  })
}
"#;
    std::fs::remove_file(d.path().join("infra/main.tf")).unwrap();
    std::fs::remove_file(d.path().join("infra/variables.tf")).unwrap();
    write(d.path(), "infra/role.tf", rewritten);
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(
        v["summary"],
        json!({"added": 0, "removed": 0, "unknown": 0})
    );
    assert_eq!(
        v["files"]["compared"],
        json!(["infra/main.tf", "infra/role.tf", "infra/variables.tf"])
    );
}

/// A new module is all added (identity and trust policies of its role); a module removed is
/// all removed, which passes the gate.
#[test]
fn a_new_terraform_module_is_all_added_and_a_removed_one_all_removed() {
    let d = repo(&[("README.md", "x\n")]);
    write(d.path(), "svc/main.tf", &role(r#""s3:GetObject""#));
    write(d.path(), "svc/variables.tf", VARIABLES);
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let units = units(&v, "added");
    assert_eq!(
        units,
        [
            ("svc/main.tf", "aws_iam_role.deploy", "identity"),
            (
                "svc/main.tf",
                "aws_iam_role.deploy/assume_role_policy",
                "trust"
            ),
        ]
    );
    assert_eq!(
        actions(&v["added"]),
        ["s3:GetObject", "sts:AssumeRole"],
        "{v}"
    );
    assert_eq!(v["summary"]["removed"], 0);

    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "--quiet", "-m", "svc"]);
    std::fs::remove_dir_all(d.path().join("svc")).unwrap();
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(actions(&v["removed"]), ["s3:GetObject", "sts:AssumeRole"]);
    assert_eq!(v["removed"][0]["path"], "svc/main.tf");
    // JSON names the revision's copy; annotations point at the file's path
    assert_eq!(
        v["removed"][0]["statements"][0]["file"]
            .as_str()
            .unwrap()
            .split('#')
            .next(),
        Some("HEAD:svc/main.tf")
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "github"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("::notice file=svc/main.tf,line="), "{out}");
    assert!(!out.contains("HEAD"), "{out}");
}

/// `file("policy.json")` is read at the revision for the base side: the JSON file widened in
/// the working tree is an addition of the role that reads it (whether or not a `.tf` file of
/// the folder changed too), the statement located in the JSON file; the JSON file is not
/// compared again on its own.
#[test]
fn a_file_read_by_the_module_is_read_at_the_revision() {
    let tf = r#"resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = file("${path.module}/trust.json")
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = file("${path.module}/policy.json")
}
"#;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let policy = |a: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Objects","Effect":"Allow","Action":{a},"Resource":"arn:aws:s3:::example-bucket/*"}}]}}"#
        )
    };
    let d = repo(&[
        ("infra/main.tf", tf),
        ("infra/trust.json", trust),
        ("infra/policy.json", &policy(r#""s3:GetObject""#)),
    ]);
    write(
        d.path(),
        "infra/policy.json",
        &policy(r#"["s3:GetObject","s3:DeleteObject"]"#),
    );
    for touched in [false, true] {
        if touched {
            write(d.path(), "infra/main.tf", &format!("# touched\n{tf}"));
        }
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(1), "{}", show(&o));
        assert_eq!(v["summary"]["added"], 1, "{v}");
        let g = &v["added"][0];
        assert_eq!(g["document"], "aws_iam_role.deploy");
        assert_eq!(g["path"], "infra/main.tf");
        assert_eq!(g["actions"], json!(["s3:DeleteObject"]));
        assert_eq!(
            g["statements"][0]["file"],
            "infra/policy.json#aws_iam_role_policy.deploy/policy"
        );
        // nothing removed: the base side read the same trust policy and the old policy file
        assert_eq!(v["summary"]["removed"], 0, "{v}");
        let compared = if touched {
            json!(["infra/main.tf", "infra/policy.json"])
        } else {
            json!(["infra/policy.json"])
        };
        assert_eq!(v["files"]["compared"], compared, "{v}");
    }
}

/// A `.tf` file that does not parse in the working tree is an error (exit 2), never a pass;
/// one that did not parse at the revision counts as granting nothing (all added), with a note.
#[test]
fn an_unreadable_terraform_module_fails_closed() {
    let good = role(r#""s3:GetObject""#);
    let d = repo(&[("infra/main.tf", &good), ("infra/variables.tf", VARIABLES)]);
    write(d.path(), "infra/main.tf", "resource \"aws_iam_role\" {\n");
    let (o, _) = (greenlight(d.path(), &["diff", "--base", "HEAD"]), ());
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("invalid HCL"), "{}", show(&o));

    let d = repo(&[
        ("infra/main.tf", "resource \"aws_iam_role\" {\n"),
        ("infra/variables.tf", VARIABLES),
    ]);
    write(d.path(), "infra/main.tf", &good);
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(
        actions(&v["added"]),
        ["s3:GetObject", "sts:AssumeRole"],
        "{v}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("at `HEAD` cannot be read"), "{err}");
}

const PUBLIC_BUCKET: &str = r#"resource "aws_s3_bucket_policy" "public" {
  bucket = "example-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Public"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-bucket/*"
    }]
  })
}
"#;

/// `verify` on a `.tf` file, a module folder and one unit: a bucket policy with `"Principal":
/// "*"` and no condition is public
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>),
/// named by its address and located in its `.tf` file; the role's trust policy to a service
/// principal is not.
#[test]
fn verify_reads_a_terraform_module() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "infra/main.tf", &role(r#""s3:GetObject""#));
    write(d.path(), "infra/variables.tf", VARIABLES);
    write(d.path(), "infra/bucket.tf", PUBLIC_BUCKET);
    for target in ["infra/main.tf", "infra"] {
        let o = greenlight(
            d.path(),
            &["verify", target, "--no-public-access", "--format", "json"],
        );
        assert_eq!(o.status.code(), Some(1), "{target}: {}", show(&o));
        let v = parsed(&o);
        let a = &v["assertions"][0];
        // the bucket policy and the trust policy
        assert_eq!(a["checked"], 2, "{v}");
        let c = &a["counterexamples"][0];
        assert_eq!(c["document"], "aws_s3_bucket_policy.public/policy");
        assert_eq!(c["path"], "infra/bucket.tf");
        assert_eq!(c["policyType"], "resource");
        assert_eq!(c["action"], "s3:GetObject");
        assert_eq!(c["statements"][0]["line"], line_of(PUBLIC_BUCKET, "[{"));
        let docs: Vec<&str> = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["document"].as_str().unwrap())
            .collect();
        assert_eq!(
            docs,
            [
                "aws_iam_role.deploy",
                "aws_iam_role.deploy/assume_role_policy",
                "aws_s3_bucket_policy.public/policy"
            ]
        );
    }
    // one unit: the trust policy holds, the bucket policy does not
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/main.tf#aws_iam_role.deploy/assume_role_policy",
            "--no-public-access",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/main.tf#aws_s3_bucket_policy.public/policy",
            "--no-public-access",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    // a principal by address
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/main.tf#aws_iam_role.deploy",
            "--not-granted",
            "s3:PutObject",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/main.tf#aws_iam_role.deploy",
            "--not-granted",
            "s3:GetObject",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    // restricted to one account: no longer public
    write(
        d.path(),
        "infra/bucket.tf",
        &PUBLIC_BUCKET.replace(
            r#"Principal = "*""#,
            r#"Principal = { AWS = "arn:aws:iam::111122223333:root" }"#,
        ),
    );
    let o = greenlight(d.path(), &["verify", "infra", "--no-public-access"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // an address the module does not have
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/main.tf#aws_iam_role.nope",
            "--no-public-access",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("aws_iam_role.deploy"), "{}", show(&o));
}

/// `diff` between two module folders, two `.tf` files of one folder (each side the folder
/// without the other file), and one unit each.
#[test]
fn diff_between_terraform_modules_whole_or_by_unit() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "old/main.tf", &role(r#""s3:GetObject""#));
    write(d.path(), "old/variables.tf", VARIABLES);
    write(d.path(), "new/main.tf", &role(r#""s3:*""#));
    write(d.path(), "new/variables.tf", VARIABLES);
    let o = greenlight(d.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert_eq!(v["added"][0]["document"], "aws_iam_role.deploy");
    assert!(
        actions(&v["added"]).contains(&"s3:PutObject".to_string()),
        "{v}"
    );
    assert_eq!(v["summary"]["removed"], 0);
    // one folder, two files: variables.tf is shared
    write(d.path(), "one/before.tf", &role(r#""s3:GetObject""#));
    write(
        d.path(),
        "one/after.tf",
        &role(r#""s3:GetObject", "s3:PutObject""#),
    );
    write(d.path(), "one/variables.tf", VARIABLES);
    let o = greenlight(
        d.path(),
        &["diff", "one/before.tf", "one/after.tf", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(actions(&parsed(&o)["added"]), ["s3:PutObject"]);
    let o = greenlight(d.path(), &["diff", "one/after.tf", "one/before.tf"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // by unit: the trust policies are the same
    let trust = "aws_iam_role.deploy/assume_role_policy";
    let o = greenlight(
        d.path(),
        &[
            "diff",
            &format!("old/main.tf#{trust}"),
            &format!("new/main.tf#{trust}"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = greenlight(
        d.path(),
        &[
            "diff",
            "old/main.tf#aws_iam_role.deploy",
            "new/main.tf#aws_iam_role.deploy",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

/// Requirements the `ecs-codedeploy-service-role` profile names with the decision `check`
/// gives them.
fn gaps(dir: &Path, role: &str) -> Vec<String> {
    let o = greenlight(
        dir,
        &[
            "check",
            "--profile",
            "ecs-codedeploy-service-role",
            "--template",
            "main.tf",
            "--role",
            role,
            "--format",
            "json",
        ],
    );
    let v = parsed(&o);
    let mut out: Vec<String> = v["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["decision"] != "allowed")
        .map(|q| q["action"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `generate --missing-from main.tf#ADDRESS` adds what `check --template main.tf --role
/// ADDRESS` reports missing: a CodeDeploy service role for ECS blue/green
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html>)
/// with only part of the permissions, as an inline policy.
#[test]
fn generate_from_a_terraform_role_adds_what_check_reports_missing() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_iam_role" "codedeploy" {
  name = "codedeploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "codedeploy.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "ecs" {
  name = "ecs"
  role = aws_iam_role.codedeploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecs:DescribeServices", "ecs:CreateTaskSet"]
      Resource = "*"
    }]
  })
}
"#,
    );
    let missing = gaps(d.path(), "aws_iam_role.codedeploy");
    assert!(
        missing.contains(&"ecs:DeleteTaskSet".to_string()),
        "{missing:?}"
    );
    assert!(!missing.contains(&"ecs:DescribeServices".to_string()));
    let o = greenlight(
        d.path(),
        &[
            "generate",
            "--profile",
            "ecs-codedeploy-service-role",
            "--missing-from",
            "main.tf#aws_iam_role.codedeploy",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let v = parsed(&o);
    let docs = match v {
        Value::Array(a) => a,
        d => vec![d],
    };
    let mut got: Vec<String> = docs
        .iter()
        .flat_map(|d| d["Statement"].as_array().unwrap().clone())
        .flat_map(|s| match &s["Action"] {
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            Value::String(x) => vec![x.clone()],
            other => panic!("{other}"),
        })
        .collect();
    got.sort();
    got.dedup();
    assert_eq!(got, missing);
    // an address the module does not have
    let o = greenlight(
        d.path(),
        &[
            "generate",
            "--profile",
            "ecs-codedeploy-service-role",
            "--missing-from",
            "main.tf#aws_iam_role.nope",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("aws_iam_role.codedeploy"), "{}", show(&o));
}

/// A new, unrelated switch (`var.b`) adds conditions to the new side: each new variant is
/// compared with an old variant it can hold with (`var.a` assumed alike), so the untouched
/// `var.a ? "iam:*" : ...` statement is not "newly allowed"; what `var.b` adds is (red team 22;
/// conditional expressions,
/// https://developer.hashicorp.com/terraform/language/expressions/conditionals).
#[test]
fn a_new_switch_pairs_variants_that_can_hold_together() {
    let dir = tempfile::tempdir().unwrap();
    let module = |extra: &str| {
        format!(
            r#"variable "a" {{ default = false }}
variable "b" {{ default = false }}
resource "aws_iam_role_policy" "p" {{
  role   = "r"
  name   = "p"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = var.a ? "iam:*" : "s3:GetObject", Resource = "arn:aws:s3:::b/*" }}{extra}] }})
}}
"#
        )
    };
    for (side, extra) in [
        ("old", ""),
        (
            "new",
            r#", { Effect = "Allow", Action = var.b ? "sqs:SendMessage" : "sqs:GetQueueUrl", Resource = "arn:aws:sqs:us-east-1:111122223333:q" }"#,
        ),
    ] {
        let d = dir.path().join(side);
        std::fs::create_dir(&d).unwrap();
        write(&d, "main.tf", &module(extra));
    }
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let (code, out, err) = gl(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let added = actions(&v["added"]);
    assert!(added.iter().all(|a| a.starts_with("sqs:")), "{added:?}");
    assert!(added.iter().any(|a| a == "sqs:SendMessage"), "{added:?}");
    assert_eq!(v["summary"]["removed"], 0, "{out}");
}

/// A role with an instance-profile trust, for the default-flip tests below.
const EC2_ROLE: &str = r#"resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
"#;

/// `diff OLD NEW` of two folders, each holding `main.tf`: exit code and JSON output.
fn diff_folders(old: &str, new: &str) -> (i32, Value, String) {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "old/main.tf", old);
    write(d.path(), "new/main.tf", new);
    let o = greenlight(d.path(), &["diff", "old", "new", "--format", "json"]);
    (o.status.code().unwrap(), parsed(&o), show(&o))
}

/// A root variable's default flipped (`enable_admin` `false` → `true`) under
/// `count = var.enable_admin ? 1 : 0`: a `terraform apply` given no value now attaches
/// `AdministratorAccess` (a variable's default is its value when none is given,
/// <https://developer.hashicorp.com/terraform/language/values/variables#default-values>). Each
/// side is read in both combinations of the condition, and the two sides' combinations are the
/// same, so this was "0 added", exit 0 (red team 73); the deployments of the defaults are now
/// compared too, in `diff OLD NEW` and `diff --base`. The flip back removes it (exit 0), the
/// same configuration or one only reformatted and split into files adds nothing.
#[test]
fn a_flipped_variable_default_adds_what_the_defaults_deployment_gains() {
    let module = |default: &str| {
        format!(
            r#"variable "enable_admin" {{
  type    = bool
  default = {default}
}}
{EC2_ROLE}
resource "aws_iam_role_policy_attachment" "admin" {{
  count      = var.enable_admin ? 1 : 0
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}}
"#
        )
    };
    let (off, on) = (module("false"), module("true"));
    let (code, v, out) = diff_folders(&off, &on);
    assert_eq!(code, 1, "{out}");
    assert_eq!(v["summary"]["added"], 1, "{out}");
    assert_eq!(
        v["added"][0]["document"],
        "aws_iam_role.r [when the variables take their defaults]"
    );
    assert!(
        actions(&v["added"]).contains(&"iam:CreateUser".to_string()),
        "{out}"
    );
    let (code, v, out) = diff_folders(&on, &off);
    assert_eq!(code, 0, "{out}");
    assert_eq!(v["summary"]["removed"], 1, "{out}");
    for same in [&off, &on] {
        let (code, v, out) = diff_folders(same, same);
        assert_eq!(code, 0, "{out}");
        assert_eq!(
            v["summary"],
            json!({"added": 0, "removed": 0, "unknown": 0})
        );
    }
    // diff --base: the same flip in a repository
    let d = repo(&[("infra/main.tf", &off)]);
    write(d.path(), "infra/main.tf", &on);
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["added"][0]["path"], "infra/main.tf");
    assert_eq!(
        v["added"][0]["document"],
        "aws_iam_role.r [when the variables take their defaults]"
    );
    // a rewrite of the same: the variable in its own file, a comment
    let d = repo(&[("infra/main.tf", &on)]);
    let split = on.find("resource").unwrap();
    write(d.path(), "infra/variables.tf", &on[..split]);
    write(
        d.path(),
        "infra/main.tf",
        &format!("# the role\n{}", &on[split..]),
    );
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(
        v["summary"],
        json!({"added": 0, "removed": 0, "unknown": 0})
    );
}

/// The same flip through a list (`default = []` → `["...AdministratorAccess"]` under
/// `for_each = toset(var.extra_policies)`), a string in a policy (`"arn:aws:s3:::logs/*"` →
/// `"*"` as a `jsonencode` `Resource`), a comparison (`var.env == "prod"`, `"dev"` →
/// `"prod"`) and a child module's condition given the root variable: each is added.
#[test]
fn other_flipped_defaults_are_added() {
    let list = |default: &str| {
        format!(
            r#"variable "extra_policies" {{
  type    = list(string)
  default = {default}
}}
{EC2_ROLE}
resource "aws_iam_role_policy_attachment" "extra" {{
  for_each   = toset(var.extra_policies)
  role       = aws_iam_role.r.name
  policy_arn = each.value
}}
"#
        )
    };
    let string = |default: &str| {
        format!(
            r#"variable "logs" {{
  type    = string
  default = "{default}"
}}
{EC2_ROLE}
resource "aws_iam_role_policy" "logs" {{
  role = aws_iam_role.r.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "s3:GetObject", Resource = var.logs }}]
  }})
}}
"#
        )
    };
    let env = |default: &str| {
        format!(
            r#"variable "env" {{
  default = "{default}"
}}
{EC2_ROLE}
resource "aws_iam_role_policy_attachment" "admin" {{
  count      = var.env == "prod" ? 1 : 0
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}}
"#
        )
    };
    let cases = [
        (
            list("[]"),
            list(r#"["arn:aws:iam::aws:policy/AdministratorAccess"]"#),
            "iam:CreateUser",
        ),
        (string("arn:aws:s3:::logs/*"), string("*"), "s3:GetObject"),
        (env("dev"), env("prod"), "iam:CreateUser"),
    ];
    for (old, new, action) in &cases {
        let (code, v, out) = diff_folders(old, new);
        assert_eq!(code, 1, "{new}\n{out}");
        assert!(actions(&v["added"]).contains(&action.to_string()), "{out}");
        let (code, _, out) = diff_folders(old, old);
        assert_eq!(code, 0, "{out}");
    }
    // a child module's condition on its variable, given the root variable
    let root = |default: &str| {
        format!(
            "variable \"enable_admin\" {{\n  default = {default}\n}}\nmodule \"app\" {{\n  source = \"./app\"\n  admin  = var.enable_admin\n}}\n"
        )
    };
    let child = format!(
        r#"variable "admin" {{}}
{EC2_ROLE}
resource "aws_iam_role_policy_attachment" "admin" {{
  count      = var.admin ? 1 : 0
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}}
"#
    );
    let d = repo(&[("main.tf", &root("false")), ("app/main.tf", &child)]);
    write(d.path(), "main.tf", &root("true"));
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(
        v["added"][0]["document"],
        "module.app.aws_iam_role.r [when the variables take their defaults]"
    );
}

/// What an SCP or RCP applies to is its attachments in Terraform
/// (`aws_organizations_policy_attachment`'s `target_id`,
/// <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment>):
/// an SCP restricts only the accounts it is attached to
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html>),
/// so an attachment removed or moved to another target lifts its `Deny` statements there. Each
/// was "0 added" (the attachment was not read, red team 73); now it is an unknown that may hide
/// an addition (exit 2) naming the target lost, as CloudFormation's `TargetIds`. An attachment
/// added only restricts more (exit 0), and so does a rename of the attachment.
#[test]
fn an_scp_or_rcp_detached_from_a_target_is_not_clean() {
    // (an RCP names `"*"` as its principal, an SCP none)
    let module = |ty: &str, attachments: &str| {
        let principal = if ty == "RESOURCE_CONTROL_POLICY" {
            "Principal = \"*\"\n      "
        } else {
            ""
        };
        format!(
            r#"resource "aws_organizations_organizational_unit" "sandbox" {{
  name      = "sandbox"
  parent_id = "r-abcd"
}}

resource "aws_organizations_policy" "guard" {{
  name = "guard"
  type = "{ty}"
  content = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Deny"
      {principal}Action    = "s3:*"
      Resource  = "*"
      Condition = {{ StringNotEqualsIfExists = {{ "aws:SourceOrgID" = "o-abcd1234" }} }}
    }}]
  }})
}}
{attachments}"#
        )
    };
    let attach = |name: &str, target: &str| {
        format!(
            "\nresource \"aws_organizations_policy_attachment\" \"{name}\" {{\n  policy_id = aws_organizations_policy.guard.id\n  target_id = {target}\n}}\n"
        )
    };
    let prod = attach("prod", r#""ou-abcd-12345678""#);
    let sandbox = attach(
        "sandbox",
        "aws_organizations_organizational_unit.sandbox.id",
    );
    let renamed = attach("production", r#""ou-abcd-12345678""#);
    for ty in ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] {
        let cases = [
            // detached
            (prod.clone(), String::new(), Some("ou-abcd-12345678")),
            // moved to another target
            (prod.clone(), sandbox.clone(), Some("ou-abcd-12345678")),
            (
                sandbox.clone(),
                prod.clone(),
                Some("aws_organizations_organizational_unit.sandbox.id"),
            ),
            // one more target; the same target under another address
            (prod.clone(), format!("{prod}{sandbox}"), None),
            (prod.clone(), renamed.clone(), None),
        ];
        for (old, new, named) in cases {
            let d = repo(&[("org/main.tf", &module(ty, &old))]);
            write(d.path(), "org/main.tf", &module(ty, &new));
            let (o, v) = base_json(d.path());
            match named {
                Some(n) => {
                    assert_eq!(o.status.code(), Some(2), "{ty} {new}\n{}", show(&o));
                    let unknown = v["unknown"].to_string();
                    assert!(
                        unknown.contains(n) && unknown.contains("no longer applies"),
                        "{ty} {new}\n{v}"
                    );
                }
                None => assert_eq!(o.status.code(), Some(0), "{ty} {new}\n{}", show(&o)),
            }
        }
    }
}

/// A resource-policy resource's target argument (`aws_sns_topic_policy.arn`,
/// `aws_sqs_queue_policy.queue_url`, `aws_s3_bucket_policy.bucket`,
/// `aws_secretsmanager_secret_policy.secret_arn`, `aws_ecr_repository_policy.repository`)
/// changed: the same document now applies to another resource, where what it grants is new
/// (a public `Principal: "*"` moved from a public topic to an internal one). Each was
/// "0 added" (the document alone was compared, red team 73); now it is an unknown that may
/// hide an addition (exit 2) naming the resource gained, as CloudFormation's `Topics`,
/// `Queues`, `Bucket` and `SecretId`. The same target written otherwise is nothing.
#[test]
fn a_terraform_resource_policy_applied_to_another_resource_is_not_clean() {
    let cases: [(&str, &str, &str, &str, &str); 5] = [
        (
            "aws_sns_topic",
            "aws_sns_topic_policy",
            "arn",
            "arn",
            "sns:Subscribe",
        ),
        (
            "aws_sqs_queue",
            "aws_sqs_queue_policy",
            "queue_url",
            "url",
            "sqs:SendMessage",
        ),
        (
            "aws_s3_bucket",
            "aws_s3_bucket_policy",
            "bucket",
            "id",
            "s3:GetObject",
        ),
        (
            "aws_secretsmanager_secret",
            "aws_secretsmanager_secret_policy",
            "secret_arn",
            "arn",
            "secretsmanager:GetSecretValue",
        ),
        (
            "aws_ecr_repository",
            "aws_ecr_repository_policy",
            "repository",
            "name",
            "ecr:BatchGetImage",
        ),
    ];
    for (target_ty, policy_ty, arg, attr, action) in cases {
        let name_arg = if target_ty == "aws_s3_bucket" {
            "bucket"
        } else {
            "name"
        };
        let module = |target: &str| {
            format!(
                r#"resource "{target_ty}" "public" {{
  {name_arg} = "public-things"
}}

resource "{target_ty}" "internal" {{
  {name_arg} = "internal-things"
}}

resource "{policy_ty}" "p" {{
  {arg} = {target_ty}.{target}.{attr}
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = "*", Action = "{action}", Resource = "*" }}]
  }})
}}
"#
            )
        };
        let d = repo(&[("main.tf", &module("public"))]);
        write(d.path(), "main.tf", &module("internal"));
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(2), "{policy_ty}\n{}", show(&o));
        let unknown = v["unknown"].to_string();
        // (named by the ARN or name the reference gives, else by the reference)
        assert!(
            unknown.contains("internal") && unknown.contains("now also applies"),
            "{policy_ty}\n{v}"
        );
        // (a queue by the URL its `url` gives, as its `id`: it was named by the placeholder
        // of the reference, red team 74)
        if policy_ty == "aws_sqs_queue_policy" {
            assert!(
                unknown.contains(
                    "https://sqs.xx-unknown-1.amazonaws.com/000000000000/internal-things"
                ) && !unknown.contains("UNKNOWN-"),
                "{v}"
            );
        }
        // the same target, written otherwise (the reference spaced out, a comment)
        let d = repo(&[("main.tf", &module("public"))]);
        write(
            d.path(),
            "main.tf",
            &format!(
                "# rewritten\n{}",
                module("public").replace(" = ", "   =   ")
            ),
        );
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(0), "{policy_ty}\n{}", show(&o));
        assert_eq!(v["summary"]["unknown"], 0, "{v}");
    }
    // a target holding an expression not evaluated (arithmetic on a value known only after
    // apply) is named by its text, not by its place in the file: lines added above it change
    // nothing, the expression changed is a target gained
    let topic = |expr: &str| {
        format!(
            r#"resource "aws_sns_topic" "a" {{
  name = "a"
}}

resource "aws_sns_topic" "b" {{}}

resource "aws_sns_topic_policy" "p" {{
  arn    = "${{aws_sns_topic.a.arn}}${{{expr}}}"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Principal = "*", Action = "sns:Subscribe", Resource = "*" }}] }})
}}
"#
        )
    };
    let d = repo(&[("main.tf", &topic("aws_sns_topic.b.id * 2"))]);
    write(
        d.path(),
        "main.tf",
        &format!(
            "# topics

{}",
            topic("aws_sns_topic.b.id * 2")
        ),
    );
    let (o, _) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    write(d.path(), "main.tf", &topic("aws_sns_topic.b.id * 3"));
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(v["unknown"].to_string().contains("* 3"), "{v}");
}

/// An `aws_organizations_policy_attachment` whose `policy_id` names a policy the configuration
/// does not define — a literal `p-...` ID, a variable, a data source, a local module's output
/// — attaches an SCP or RCP whose content is not known offline: it may be a `Deny`
/// guardrail, so removing the attachment, or changing its `target_id` or `policy_id`, may
/// allow anything at the target it leaves
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
/// Each was "0 added", exit 0 (the attachment was not read, red team 74); now it is an
/// unknown that may hide an addition (exit 2) naming the target and the policy. Attaching
/// such a policy, to one more target too, only restricts (exit 0), and so does renaming the
/// attachment. `verify` is not made `unknown` by such an attachment.
#[test]
fn an_scp_the_configuration_does_not_define_detached_is_not_clean() {
    const HEAD: &str = r#"variable "scp_id" {}

variable "guard_id" {
  default = "p-dddddddd"
}

data "aws_organizations_policy" "guard" {
  policy_id = "p-gggggggg"
}

module "org" {
  source = "./org"
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
"#;
    const ORG: &str = "output \"guard_id\" {\n  value = \"p-mmmmmmmm\"\n}\n";
    let attach = |name: &str, policy: &str, target: &str| {
        format!(
            "\nresource \"aws_organizations_policy_attachment\" \"{name}\" {{\n  policy_id = {policy}\n  target_id = \"{target}\"\n}}\n"
        )
    };
    // (policy_id, how the unknown names it)
    let policies = [
        (r#""p-12345678""#, "p-12345678"),
        ("var.scp_id", "var.scp_id"),
        ("var.guard_id", "p-dddddddd"),
        (
            "data.aws_organizations_policy.guard.id",
            "data.aws_organizations_policy.guard.id",
        ),
        ("module.org.guard_id", "p-mmmmmmmm"),
    ];
    for (policy, named) in policies {
        let prod = attach("prod", policy, "ou-abcd-12345678");
        let cases = [
            // detached
            (prod.clone(), String::new(), Some("ou-abcd-12345678")),
            // moved to another target
            (
                prod.clone(),
                attach("prod", policy, "ou-abcd-99999999"),
                Some("ou-abcd-12345678"),
            ),
            // another policy attached in its place
            (
                prod.clone(),
                attach("prod", r#""p-00000000""#, "ou-abcd-12345678"),
                Some("ou-abcd-12345678"),
            ),
            // attached; attached to one more target; the attachment renamed
            (String::new(), prod.clone(), None),
            (
                prod.clone(),
                format!("{prod}{}", attach("dev", policy, "ou-abcd-99999999")),
                None,
            ),
            (
                prod.clone(),
                attach("production", policy, "ou-abcd-12345678"),
                None,
            ),
        ];
        for (old, new, lost) in cases {
            let d = repo(&[("main.tf", &format!("{HEAD}{old}")), ("org/main.tf", ORG)]);
            write(d.path(), "main.tf", &format!("{HEAD}{new}"));
            let (o, v) = base_json(d.path());
            match lost {
                Some(target) => {
                    assert_eq!(o.status.code(), Some(2), "{policy}: {new}\n{}", show(&o));
                    let u = &v["unknown"][0];
                    let reason = u["reason"].as_str().unwrap();
                    assert!(
                        reason.contains(target)
                            && reason.contains(named)
                            && reason.contains("no longer applies"),
                        "{policy}: {new}\n{v}"
                    );
                    assert_eq!(u["path"], "main.tf", "{v}");
                    assert_eq!(u["mayHideAddition"], true, "{v}");
                    assert_eq!(v["summary"]["added"], 0, "{v}");
                }
                None => {
                    assert_eq!(o.status.code(), Some(0), "{policy}: {new}\n{}", show(&o));
                    assert_eq!(v["summary"]["unknown"], 0, "{v}");
                }
            }
        }
    }
    // a whole folder of attachments deleted
    let d = repo(&[(
        "org/main.tf",
        &attach("prod", r#""p-12345678""#, "ou-abcd-12345678"),
    )]);
    std::fs::remove_file(d.path().join("org/main.tf")).unwrap();
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(v["unknown"].to_string().contains("ou-abcd-12345678"), "{v}");
    // `verify` is not about such a policy (an SCP only restricts): an SCP of the configuration
    // that denies `s3:*` beside it still holds `--not-granted s3:GetObject`
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        &format!(
            r#"resource "aws_organizations_policy" "guard" {{
  name    = "guard"
  content = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Deny", Action = "s3:*", Resource = "*" }}] }})
}}
{}{}"#,
            attach(
                "guard",
                "aws_organizations_policy.guard.id",
                "ou-abcd-12345678"
            ),
            attach("prod", r#""p-12345678""#, "ou-abcd-12345678")
        ),
    );
    let (code, out, err) = gl_in(
        d.path(),
        &["verify", "main.tf", "--not-granted", "s3:GetObject"],
    );
    assert_eq!(code, 0, "{out}{err}");
}

/// An organization policy the configuration defines but whose content is not known offline
/// (`content` a variable without value, `type` not known statically) may deny anything too:
/// deleting it with its attachment, or detaching the policy of a type not known, is an
/// unknown naming the target (exit 2; the first was "0 added", the second not read). A tag
/// policy grants nothing, and detaching it is nothing.
#[test]
fn an_organization_policy_whose_content_is_not_known_detached_is_not_clean() {
    let attachment = |policy: &str, target: &str| {
        format!(
            "resource \"aws_organizations_policy_attachment\" \"a\" {{\n  policy_id = aws_organizations_policy.{policy}.id\n  target_id = \"{target}\"\n}}\n"
        )
    };
    let unreadable = format!(
        "variable \"content\" {{}}\n\nresource \"aws_organizations_policy\" \"guard\" {{\n  name    = \"guard\"\n  content = var.content\n}}\n\n{}",
        attachment("guard", "ou-abcd-11111111")
    );
    let d = repo(&[("org/main.tf", &unreadable)]);
    write(d.path(), "org/main.tf", "variable \"content\" {}\n");
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let reason = v["unknown"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("ou-abcd-11111111") && reason.contains("not known offline"),
        "{v}"
    );
    let typed = |ty: &str, attached: bool| {
        format!(
            "variable \"type\" {{}}\n\nresource \"aws_organizations_policy\" \"guard\" {{\n  name    = \"guard\"\n  type    = {ty}\n  content = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Deny\", Action = \"iam:*\", Resource = \"*\" }}] }})\n}}\n\n{}",
            if attached {
                attachment("guard", "ou-abcd-22222222")
            } else {
                String::new()
            }
        )
    };
    let d = repo(&[("org/main.tf", &typed("var.type", true))]);
    write(d.path(), "org/main.tf", &typed("var.type", false));
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let u = v["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["reason"].as_str().unwrap().contains("no longer applies"))
        .unwrap_or_else(|| panic!("{v}"));
    let reason = u["reason"].as_str().unwrap();
    assert!(
        reason.contains("ou-abcd-22222222") && reason.contains("aws_organizations_policy.guard"),
        "{v}"
    );
    let d = repo(&[("org/main.tf", &typed("\"TAG_POLICY\"", true))]);
    write(d.path(), "org/main.tf", &typed("\"TAG_POLICY\"", false));
    let (o, _) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

/// A plan (`terraform show -json`) that no longer attaches an SCP known by its ID, or attaches
/// it to another target: an unknown naming the target (it was "0 added", exit 0).
#[test]
fn a_plan_that_detaches_an_scp_it_does_not_define_is_not_clean() {
    let plan = |attachments: &[(&str, &str)]| {
        let resources: Vec<Value> = attachments
            .iter()
            .map(|(policy, target)| {
                json!({"address": "aws_organizations_policy_attachment.prod", "mode": "managed",
                    "type": "aws_organizations_policy_attachment", "name": "prod",
                    "values": {"policy_id": policy, "target_id": target}})
            })
            .collect();
        json!({"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": resources}}})
        .to_string()
    };
    let attached = plan(&[("p-12345678", "ou-abcd-12345678")]);
    for (new, code) in [
        (plan(&[]), 2),
        (plan(&[("p-12345678", "ou-abcd-99999999")]), 2),
        // the same plan, written otherwise
        (
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(&attached).unwrap())
                .unwrap(),
            0,
        ),
    ] {
        let d = repo(&[("plan.json", &attached)]);
        write(d.path(), "plan.json", &new);
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(code), "{new}\n{}", show(&o));
        if code == 2 {
            let reason = v["unknown"][0]["reason"].as_str().unwrap();
            assert!(
                reason.contains("p-12345678") && reason.contains("ou-abcd-12345678"),
                "{v}"
            );
        }
    }
    // attached where it was not: only restricts
    let d = repo(&[("plan.json", &plan(&[]))]);
    write(d.path(), "plan.json", &attached);
    let (o, _) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
}

/// A local module moved to another folder (`git mv modules/iam modules/identity`, the call's
/// `source` changed with it), its role under `count = var.enabled ? 1 : 0` where the root's
/// `enabled` defaults to `true` and is passed down, is the same role under the same
/// condition: nothing added. The condition's definition held the whole `module` block, so the
/// new `source` made it another condition, and the role read as added where the "old"
/// condition was false and the "new" one true (red team 74, exit 1); an argument added to the
/// call did the same. A root module folder moved, or the role moved to another existing
/// folder, adds nothing either, also in the units of the deployment given no variable value
/// (`[when the variables take their defaults]`). What the moved role gains is still added,
/// and so is the condition passed the other way.
#[test]
fn a_module_moved_to_another_folder_adds_nothing() {
    const ROLE: &str = r#"variable "enabled" {
  default = true
}

resource "aws_iam_role" "app" {
  count = var.enabled ? 1 : 0
  name  = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app" {
  count = var.enabled ? 1 : 0
  role  = aws_iam_role.app[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
"#;
    let root = |folder: &str, more: &str| {
        format!(
            "variable \"enabled\" {{\n  default = true\n}}\n\nmodule \"iam\" {{\n  source  = \"./modules/{folder}\"\n  enabled = {more}\n}}\n"
        )
    };
    let moved = |d: &Path| {
        git(d, &["mv", "modules/iam", "modules/identity"]);
    };
    type Change<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Change, i32); 4] = [
        (
            "moved",
            &|d: &Path| {
                moved(d);
                write(d, "main.tf", &root("identity", "var.enabled"));
            },
            0,
        ),
        (
            "an argument added",
            &|d: &Path| {
                write(
                    d,
                    "main.tf",
                    &root("iam", "var.enabled\n  tags    = { team = \"a\" }"),
                );
            },
            0,
        ),
        (
            "moved and widened",
            &|d: &Path| {
                moved(d);
                write(d, "main.tf", &root("identity", "var.enabled"));
                write(
                    d,
                    "modules/identity/main.tf",
                    &ROLE.replace("\"s3:GetObject\"", "\"s3:*\""),
                );
            },
            1,
        ),
        (
            "moved and negated",
            &|d: &Path| {
                moved(d);
                write(d, "main.tf", &root("identity", "!var.enabled"));
            },
            1,
        ),
    ];
    for (what, change, code) in cases {
        let d = repo(&[
            ("main.tf", &root("iam", "var.enabled")),
            ("modules/iam/main.tf", ROLE),
        ]);
        change(d.path());
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(code), "{what}\n{}", show(&o));
        if code == 0 {
            assert_eq!(v["summary"]["added"], 0, "{what}: {v}");
        } else {
            assert!(
                v["added"].as_array().unwrap().iter().all(|g| g["document"]
                    .as_str()
                    .unwrap()
                    .starts_with("module.iam.aws_iam_role.app[0]")),
                "{what}: {v}"
            );
        }
    }
    // a condition on the output of a module that moved
    let reader = |folder: &str| {
        format!(
            "variable \"enabled\" {{\n  default = true\n}}\n\nmodule \"cfg\" {{\n  source = \"./modules/{folder}\"\n  on     = var.enabled\n}}\n\n{}",
            ROLE.split_once("resource")
                .map(|(_, r)| format!("resource{r}"))
                .unwrap()
                .replace("var.enabled", "module.cfg.on")
        )
    };
    let cfg = "variable \"on\" {}\n\noutput \"on\" {\n  value = var.on\n}\n";
    let d = repo(&[("main.tf", &reader("cfg")), ("modules/cfg/main.tf", cfg)]);
    git(d.path(), &["mv", "modules/cfg", "modules/settings"]);
    write(d.path(), "main.tf", &reader("settings"));
    let (o, v) = base_json(d.path());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    // root module folders: the folder moved; the role moved to a folder that existed (and
    // reads no condition at the base), the old folder kept or gone
    const OTHER: &str = r#"resource "aws_iam_role" "other" {
  name = "other"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
"#;
    type Files<'a> = &'a [(&'a str, &'a str)];
    let layouts: [(Files, &[&str]); 3] = [
        (&[("a/main.tf", ROLE)], &["a", "b"]),
        (
            &[("a/main.tf", ROLE), ("b/main.tf", OTHER)],
            &["a/main.tf", "b/role.tf"],
        ),
        (
            &[
                ("a/main.tf", ROLE),
                ("a/other.tf", OTHER),
                ("b/main.tf", OTHER),
            ],
            &["a/main.tf", "b/role.tf"],
        ),
    ];
    for (files, mv) in layouts {
        let d = repo(files);
        git(d.path(), &["mv", mv[0], mv[1]]);
        let (o, v) = base_json(d.path());
        assert_eq!(o.status.code(), Some(0), "{mv:?}\n{}", show(&o));
        assert_eq!(v["summary"]["added"], 0, "{mv:?}: {v}");
    }
}
