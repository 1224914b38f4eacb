//! Terraform configuration beyond one folder (issue 12 §1): child modules with local sources
//! (https://developer.hashicorp.com/terraform/language/modules/syntax,
//! https://developer.hashicorp.com/terraform/language/modules/sources#local-paths), `count` and
//! `for_each` on modules (https://developer.hashicorp.com/terraform/language/meta-arguments/count,
//! https://developer.hashicorp.com/terraform/language/meta-arguments/for_each), sources that
//! cannot be read offline, and the JSON syntax
//! (https://developer.hashicorp.com/terraform/language/syntax/json). Fixtures:
//! tests/fixtures/templates/README.md.

use crate::support::cli::*;

use std::path::Path;

const MODS: &str = "tests/fixtures/templates/terraform/child-modules";
const JSON_SYNTAX: &str = "tests/fixtures/templates/terraform/json-syntax";
const TEMPLATES: &str = "tests/fixtures/templates";

/// The CodeDeploy service role's policies as plain files: the trust policy the module's
/// `aws_iam_policy_document` renders, `AWSCodeDeployRoleForECS` (the managed policy the
/// caller passes) and the `logs` role policy; `check` on them, as JSON.
fn check_codedeploy_files() -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let managed = dir.path().join("AWSCodeDeployRoleForECS.json");
    std::fs::copy(
        format!(
            "{}/{TEMPLATES}/AWSCodeDeployRoleForECS.json",
            env!("CARGO_MANIFEST_DIR")
        ),
        &managed,
    )
    .unwrap();
    let logs = write(
        dir.path(),
        "logs.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Resource": "*"}]}"#,
    );
    let trust = write(
        dir.path(),
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "codedeploy.amazonaws.com"}}]}"#,
    );
    gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--trust-policy",
        &trust,
        managed.to_str().unwrap(),
        &logs,
    ])
}

fn gaps(out: &str) -> serde_json::Value {
    json(out)["gaps"].clone()
}

/// `check --template` on a root module whose CodeDeploy role is built by a child module: the
/// role is addressed `module.codedeploy.aws_iam_role.this`, its inputs bind the child's
/// variables, the caller's `aws_iam_role_policy` attaches through the child's output — the
/// same verdict as the same policies as files. The registry module is named as not read.
#[test]
fn check_on_a_child_module_matches_check_on_files() {
    let t = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &format!("{MODS}/main.tf"),
        "--role",
        "module.codedeploy.aws_iam_role.this",
    ]);
    let f = check_codedeploy_files();
    assert_eq!(t.0, f.0, "tf: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    assert_eq!(t.0, 0, "{}{}", t.1, t.2);
    assert_eq!(gaps(&t.1), gaps(&f.1));
    // the folder names the same module
    let d = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        MODS,
        "--role",
        "module.codedeploy.aws_iam_role.this",
    ]);
    assert_eq!(d.0, 0, "{}{}", d.1, d.2);
    assert!(
        t.2.contains("`module.registry_role` stands for a module that is not read: its source `terraform-aws-modules/iam/aws//modules/iam-assumable-role` is not a local path"),
        "{}",
        t.2
    );
}

/// `scan --template` checks every principal, the `for_each` instances addressed as Terraform
/// addresses them (`module.workers["lambda"]`); those take the child variable's default
/// managed policy (`AWSDenyAll`), so the CodeDeploy requirements are gaps there.
#[test]
fn scan_reads_every_module_instance() {
    let (code, out, err) = gl(&[
        "scan",
        "--template",
        &format!("{MODS}/main.tf"),
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let rows = json(&out)["principals"].as_array().unwrap().clone();
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["logicalId"] == id)
            .unwrap_or_else(|| panic!("{id}: {out}"))["status"]
            .clone()
    };
    assert_eq!(status("module.codedeploy.aws_iam_role.this"), "complete");
    assert_eq!(
        status("module.workers[\"lambda\"].aws_iam_role.this"),
        "gaps"
    );
    assert_eq!(
        status("module.workers[\"ecs-tasks\"].aws_iam_role.this"),
        "gaps"
    );
    assert_eq!(rows.len(), 3, "{out}");
    // a directory: every Terraform folder is a module, except the folders another one calls
    // (read through their callers, with their inputs)
    let (code, out, err) = gl(&[
        "scan",
        "--template",
        "tests/fixtures/templates/terraform",
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
                r["template"].as_str().unwrap().to_string(),
                r["logicalId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        rows.contains(&(
            MODS.to_string(),
            "module.codedeploy.aws_iam_role.this".to_string()
        )),
        "{rows:?}"
    );
    assert!(
        rows.contains(&(
            JSON_SYNTAX.to_string(),
            "aws_iam_role.codedeploy".to_string()
        )),
        "{rows:?}"
    );
    assert!(
        !rows.iter().any(|(t, _)| t.contains("service-role")),
        "{rows:?}"
    );
}

/// `lint` of the root file lints the child module's policies of every instance, located at
/// the line and column of the child's `.tf` file (the `identifiers = [var.service]` of the
/// trust policy: the confused-deputy finding,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
#[test]
fn lint_locates_child_module_findings_in_the_child_file() {
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &format!("{MODS}/main.tf"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let found: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "service-principal-without-source")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let child = format!("{MODS}/modules/service-role/main.tf");
    for instance in [
        "module.codedeploy",
        "module.workers[\"ecs-tasks\"]",
        "module.workers[\"lambda\"]",
    ] {
        let want = (
            format!("{child}#{instance}.aws_iam_role.this/assume_role_policy"),
            30,
            22,
        );
        assert!(found.contains(&want), "{want:?}: {found:?}");
    }
    assert!(err.contains("`module.registry_role` stands for"), "{err}");
    // a walk lints the child folder through its caller only (issue 12: one finding per place
    // and rule): the child's own file is skipped, saying why, and no finding of it as a root
    // module of its own (`...main.tf#aws_iam_role.this/...`, its variables placeholders)
    let (code, out, err) = gl(&[
        "lint",
        "--verbose",
        "--fail-on",
        "warning",
        "--format",
        "json",
        MODS,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        !files.contains(&format!("{child}#aws_iam_role.this/assume_role_policy").as_str()),
        "{files:?}"
    );
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with(&format!("{child}#module.")))
            .count(),
        3,
        "{files:?}"
    );
    assert!(
        err.contains(&format!(
            "skipped {child}: a Terraform child module, linted through `{MODS}/main.tf`, which calls it"
        )),
        "{err}"
    );
    // named explicitly, the child is linted on its own: its variables without value are
    // placeholders, not principals written wrong (no `invalid-service-principal-format` error)
    let (code, out, err) = gl(&["lint", "--fail-on", "warning", "--format", "json", &child]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let names: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"invalid-service-principal-format"),
        "{names:?}"
    );
    assert!(
        err.contains("`UNKNOWN-var.service` stands for the variable `service`"),
        "{err}"
    );
}

/// The same finding of several instances — a module called twice with the same inputs, a
/// resource with `count` — at the same place of the same file is reported once (the first
/// instance); instances whose values differ keep their own findings (their messages differ).
#[test]
fn instances_with_the_same_finding_are_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "modules/r/main.tf",
        "variable \"service\" {}\nvariable \"name\" {}\nresource \"aws_iam_role\" \"r\" {\n  name = var.name\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = var.service}}]})\n}\n",
    );
    write(
        root,
        "main.tf",
        "module \"a\" {\n  source  = \"./modules/r\"\n  name    = \"a\"\n  service = \"codedeploy.amazonaws.com\"\n}\nmodule \"b\" {\n  source  = \"./modules/r\"\n  name    = \"b\"\n  service = \"codedeploy.amazonaws.com\"\n}\nmodule \"c\" {\n  source  = \"./modules/r\"\n  name    = \"c\"\n  service = \"lambda.amazonaws.com\"\n}\n",
    );
    let (code, out, err) = gl_in(
        root,
        &["lint", "--fail-on", "warning", "--format", "json", "."],
    );
    assert_eq!(code, 1, "{out}{err}");
    let found: Vec<(String, String)> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "service-principal-without-source")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let files: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "modules/r/main.tf#module.a.aws_iam_role.r/assume_role_policy",
            "modules/r/main.tf#module.c.aws_iam_role.r/assume_role_policy"
        ],
        "{found:?}"
    );
    assert!(found[1].1.contains("`lambda.amazonaws.com`"), "{found:?}");
}

/// `count` written as a literal gives one instance per index (`count.index` bound in the
/// module block); a `count` not known statically reads the instances as one and says so;
/// the output of a module that is not read is a named placeholder; a child's data source is
/// no principal.
#[test]
fn module_count_literal_and_dynamic() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "modules/r/main.tf",
        "variable \"name\" {}\ndata \"aws_iam_role\" \"existing\" {\n  name = \"existing\"\n}\nresource \"aws_iam_role\" \"r\" {\n  name = var.name\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"ec2.amazonaws.com\"}}]})\n}\n",
    );
    write(
        root,
        "main.tf",
        "variable \"n\" {\n  type = number\n}\nmodule \"fixed\" {\n  source = \"./modules/r\"\n  count  = 2\n  name   = \"fixed-${count.index}\"\n}\nmodule \"dynamic\" {\n  source = \"./modules/r\"\n  count  = var.n\n  name   = \"dynamic\"\n}\nmodule \"remote\" {\n  source = \"git::https://example.com/modules.git\"\n}\nresource \"aws_iam_role_policy\" \"p\" {\n  role   = module.fixed[1].name\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = module.remote.bucket_arn}]})\n}\n",
    );
    // `module.fixed[1].name`: the child has no output `name`, an error (Terraform's too)
    let (code, out, err) = gl_in(root, &["lint", "main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("the module `module.fixed` has no output `name`"),
        "{out}{err}"
    );
    write(
        root,
        "modules/r/outputs.tf",
        "output \"name\" {\n  value = aws_iam_role.r.name\n}\n",
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
    let ids: Vec<String> = json(&out)["principals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["logicalId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "module.dynamic.aws_iam_role.r",
            "module.fixed[0].aws_iam_role.r",
            "module.fixed[1].aws_iam_role.r"
        ],
        "{out}"
    );
    assert!(
        err.contains("`module.dynamic` has a `count` that is not known statically: its instances are read as one module, `module.dynamic`"),
        "{err}"
    );
    assert!(
        err.contains("the output `bucket_arn` of `module.remote`, a module that is not read"),
        "{err}"
    );
    // the policy attached through `module.fixed[1]`'s output names the role `fixed-1`
    let (code, out, err) = gl_in(root, &["lint", "--format", "json", "main.tf"]);
    assert!(code == 0 || code == 1, "{out}{err}");
    let (code, out, err) = gl_in(
        root,
        &[
            "check",
            "--template",
            "main.tf",
            "--role",
            "module.fixed[1].aws_iam_role.r",
            "--profile",
            "ecs-codedeploy-service-role",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("main.tf#aws_iam_role_policy.p/policy"),
        "{out}"
    );
}

/// A module cycle, calls nested past the depth bound, and instances fanning out past the
/// instance bound: each a clear error (exit 2) in bounded time. A source outside the
/// repository is named as not read.
#[test]
fn module_cycles_depth_and_fan_out_are_bounded() {
    let role = "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"ec2.amazonaws.com\"}}]})\n}\n";
    let started = std::time::Instant::now();
    // a → b → a
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "a/main.tf",
        &format!("{role}module \"b\" {{\n  source = \"../b\"\n}}\n"),
    );
    write(
        root,
        "b/main.tf",
        "module \"a\" {\n  source = \"../a\"\n}\n",
    );
    let (code, out, err) = gl_in(root, &["lint", "a/main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(format!("{out}{err}").contains("module cycle"), "{out}{err}");
    // a chain of 20 folders
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    for i in 0..20 {
        write(
            root,
            &format!("m{i}/main.tf"),
            &format!(
                "{role}module \"next\" {{\n  source = \"../m{}\"\n}}\n",
                i + 1
            ),
        );
    }
    write(root, "m20/main.tf", role);
    let (code, out, err) = gl_in(root, &["lint", "m0/main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("module calls nest deeper than 16 levels"),
        "{out}{err}"
    );
    // each level calls the next 4 times: 4^5 instances
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    for i in 0..5 {
        write(
            root,
            &format!("f{i}/main.tf"),
            &format!(
                "{role}module \"next\" {{\n  source = \"../f{}\"\n  count  = 4\n}}\n",
                i + 1
            ),
        );
    }
    write(root, "f5/main.tf", role);
    let (code, out, err) = gl_in(root, &["lint", "f0/main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("more than 256 module instances"),
        "{out}{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // a source outside the repository: named, not read, never guessed
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(tmp.path(), "elsewhere/main.tf", role);
    write(
        &repo,
        "main.tf",
        &format!("{role}module \"x\" {{\n  source = \"../elsewhere\"\n}}\n"),
    );
    let (code, out, err) = gl_in(&repo, &["lint", "main.tf"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("`module.x` stands for a module that is not read: its source `../elsewhere` is outside the repository"),
        "{err}"
    );
    let (code, out, err) = gl_in(
        &repo,
        &[
            "check",
            "--template",
            "main.tf",
            "--role",
            "module.x.aws_iam_role.r",
            "--profile",
            "ecs-codedeploy-service-role",
        ],
    );
    assert_eq!(code, 2, "{out}{err}");
}

/// `diff --base` compares a root module whose child module changed (its `.tf` files are
/// unchanged): what the child newly grants in each instance is added, located in the child.
#[test]
fn diff_base_reads_a_changed_child_module_through_its_callers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODS);
    for f in ["main.tf", "modules/service-role/main.tf"] {
        write(root, f, &std::fs::read_to_string(src.join(f)).unwrap());
    }
    git(root, &["init", "--quiet"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "base"]);
    let (code, out, err) = gl_in(root, &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let child = root.join("modules/service-role/main.tf");
    let text = std::fs::read_to_string(&child).unwrap();
    std::fs::write(
        &child,
        text.replace(
            "actions = [\"sts:AssumeRole\"]",
            "actions = [\"sts:AssumeRole\", \"sts:TagSession\"]",
        ),
    )
    .unwrap();
    let (code, out, err) = gl_in(root, &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let docs: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["document"].as_str().unwrap())
        .collect();
    // the three instances through the root module (read at the revision with its child at the
    // revision); not the child folder on its own, which the root module calls (it is read
    // through its caller, as `lint` reads it: red team 52); nothing else (the caller's
    // unchanged policy)
    let mut sorted = docs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "module.codedeploy.aws_iam_role.this/assume_role_policy",
            "module.workers[\"ecs-tasks\"].aws_iam_role.this/assume_role_policy",
            "module.workers[\"lambda\"].aws_iam_role.this/assume_role_policy",
        ],
        "{out}"
    );
    assert!(
        v["added"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["path"] == "modules/service-role/main.tf"),
        "{out}"
    );
    // the child folder named: compared on its own too
    let (code, out, err) = gl_in(
        root,
        &[
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "modules/service-role",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert!(
        v["added"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["document"] == "aws_iam_role.this/assume_role_policy"),
        "{out}"
    );
}

/// The JSON syntax: the CodeDeploy role written as `.tf.json` (a variable with a default, a
/// local, an `aws_iam_policy_document` data source, `${...}` references, a policy as JSON text)
/// gives the verdict of the same policies as files, and `lint` locates findings at the line and
/// column of the `.tf.json` file; a directory walk reads it.
#[test]
fn terraform_json_syntax_is_read_like_tf() {
    let t = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &format!("{JSON_SYNTAX}/main.tf.json"),
        "--role",
        "aws_iam_role.codedeploy",
    ]);
    let f = check_codedeploy_files();
    assert_eq!(t.0, f.0, "tf.json: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    assert_eq!(t.0, 0, "{}{}", t.1, t.2);
    assert_eq!(gaps(&t.1), gaps(&f.1));

    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        JSON_SYNTAX,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "service-principal-without-source")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        f["file"],
        format!("{JSON_SYNTAX}/main.tf.json#aws_iam_role.codedeploy/assume_role_policy")
    );
    // `"identifiers": ["${local.service}"]`
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(18), Some(64))
    );
    // the policy written as JSON text: located inside the string
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .ends_with("aws_iam_role_policy.logs/policy")
        })
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(f["line"], 41, "{f}");
    assert_eq!(v["summary"]["skipped"], 0, "{out}");
}

/// Terraform JSON that the reader cannot follow is a clear error or a named placeholder,
/// never a silent pass: a `dynamic` block, an interpolation with escaped quotes.
#[test]
fn terraform_json_syntax_limits_are_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dynamic = write(
        tmp.path(),
        "a/main.tf.json",
        r#"{"data": {"aws_iam_policy_document": {"d": {"dynamic": {"statement": {"for_each": "${var.x}", "content": {"actions": ["s3:*"]}}}}}},
 "resource": {"aws_iam_policy": {"p": {"name": "p", "policy": "${data.aws_iam_policy_document.d.json}"}}}}"#,
    );
    let (code, out, err) = gl(&["lint", &dynamic]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("`dynamic` blocks are not read"),
        "{out}{err}"
    );
    let escaped = write(
        tmp.path(),
        "b/main.tf.json",
        r#"{"resource": {"aws_iam_policy": {"p": {"name": "p", "policy": "${jsonencode({\"Version\": \"2012-10-17\"})}"}}}}"#,
    );
    let (code, out, err) = gl(&["lint", &escaped]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("escaped quotes inside an interpolation"),
        "{out}{err}"
    );
}

/// A syntax error in one `.tf` file of a folder is reported once, at that file; the folder's
/// other files are skipped with where the error is.
#[test]
fn a_tf_syntax_error_is_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "a.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\"}]})\n}\n",
    );
    write(dir, "b.tf", "resource \"x\" \"y\" {\n  a = \n}\n");
    write(dir, "c.tf", "locals {\n  a = 1\n}\n");
    let (code, out, err) = gl(&["lint", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    let errors: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "undecodable-document")
        .collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(
        errors[0]["file"].as_str().unwrap().ends_with("b.tf"),
        "{out}"
    );
}

/// A plan keeps a `jsonencode(...)` holding a value known only after apply as unknown as a
/// whole (`after_unknown`, and only `references` in `configuration`,
/// https://developer.hashicorp.com/terraform/internals/json-format): the error names what it
/// uses and points at the configuration, where the same policy is read with that value as a
/// named placeholder.
#[test]
fn a_plan_jsonencode_known_after_apply_names_what_it_uses() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {}},
        {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {"name": "p"}}]}},
      "resource_changes": [
        {"address": "aws_iam_policy.p", "change": {"actions": ["create"], "after_unknown": {"policy": true, "arn": true}}}],
      "configuration": {"root_module": {"resources": [
        {"address": "aws_iam_policy.p", "expressions": {"policy": {"references": ["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]}}}]}}}"#;
    let p = write(tmp.path(), "plan.json", plan);
    let (code, out, err) = gl(&["lint", "--format", "json", &p]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("`policy` of `aws_iam_policy.p` is known only after apply (it uses `aws_s3_bucket.b.arn`, `aws_s3_bucket.b`)"),
        "{out}{err}"
    );
    // the configuration: the bucket's ARN is built from a placeholder name
    let tf = write(
        tmp.path(),
        "tf/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"${aws_s3_bucket.b.arn}/*\"}]})\n}\n",
    );
    let (code, out, err) = gl(&["lint", &tf]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("the name or ID AWS or Terraform generates for `aws_s3_bucket.b`"),
        "{err}"
    );
}

/// Minified Terraform JSON (as generators write it,
/// https://developer.hashicorp.com/terraform/language/syntax/json): several blocks under one
/// type, a block type given as an array of objects, nested blocks (`inline_policy`) as a list,
/// an interpolation inside policy JSON text, `jsonencode` of a local; every document is read
/// and located on line 1.
#[test]
fn minified_terraform_json_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let text = r#"{"variable":{"n":{"default":"r1"}},"locals":{"svc":"ec2.amazonaws.com","trust":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}}]}},"resource":{"aws_iam_role":{"a":{"name":"${var.n}","assume_role_policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"${local.svc}\"}}]}"},"b":{"name":"b","assume_role_policy":"${jsonencode(local.trust)}","inline_policy":[{"name":"x","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"}]}},"aws_iam_policy":[{"p":{"name":"p","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}"}}]}}"#;
    let p = write(tmp.path(), "main.tf.json", text);
    let (code, out, err) = gl(&["lint", "--format", "json", &p]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for want in [
        "#aws_iam_role.a/assume_role_policy",
        "#aws_iam_role.b/assume_role_policy",
        "#aws_iam_role.b/inline_policy/x",
        "#aws_iam_policy.p/policy",
    ] {
        assert!(files.iter().any(|f| f.ends_with(want)), "{want}: {files:?}");
    }
    // `"AWS": "*"` in the local the trust policy encodes: open to everyone
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "open-trust-policy")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        f["file"]
            .as_str()
            .unwrap()
            .ends_with("#aws_iam_role.b/assume_role_policy"),
        "{f}"
    );
    assert_eq!(f["line"], 1);
    // every document parsed: the interpolation inside role `a`'s JSON text was resolved
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["name"] != "undecodable-document"),
        "{out}"
    );
    assert!(!err.contains("UNKNOWN-"), "{err}");
    // role `a` trusts EC2 through the interpolation inside its JSON text
    let (code, out, err) = gl(&[
        "scan",
        "--template",
        &p,
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("\"aws_iam_role.a\""), "{out}");
}

/// `verify` reads a child module's resource policy with the caller's inputs: the bucket policy
/// the S3 docs call public (`"Principal": "*"`,
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
/// fails `--no-public-access` with a counterexample on the bucket the caller names, located in
/// the child's file; `generate --missing-from main.tf#module...` reads a child module's role.
#[test]
fn verify_and_generate_read_child_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    write(
        root,
        "m/main.tf",
        "variable \"bucket\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.bucket\n}\nresource \"aws_s3_bucket_policy\" \"p\" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = \"s3:GetObject\"\n      Resource  = \"${aws_s3_bucket.b.arn}/*\"\n    }]\n  })\n}\n",
    );
    write(
        root,
        "main.tf",
        "module \"site\" {\n  source = \"./m\"\n  bucket = \"example-site\"\n}\n",
    );
    let (code, out, err) = gl_in(
        root,
        &[
            "verify",
            "--no-public-access",
            "--format",
            "json",
            "main.tf",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let c = &v["assertions"][0]["counterexamples"][0];
    assert_eq!(c["document"], "module.site.aws_s3_bucket_policy.p/policy");
    assert_eq!(c["path"], "m/main.tf");
    assert!(
        c["resource"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:s3:::example-site/"),
        "{c}"
    );
    assert_eq!(c["statements"][0]["line"], 9);

    let (code, out, err) = gl(&[
        "generate",
        "--profile",
        "ecs-codedeploy-service-role",
        "--missing-from",
        &format!("{MODS}/main.tf#module.codedeploy.aws_iam_role.this"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]", "{err}");
}

/// `diff OLD NEW` of two copies of a root module whose child module changed: every instance's
/// new grant is added, by address; one unit compared as `FILE#module...ADDRESS/ARGUMENT`.
#[test]
fn diff_of_two_folders_reads_their_child_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(MODS);
    for side in ["old", "new"] {
        for f in ["main.tf", "modules/service-role/main.tf"] {
            let mut text = std::fs::read_to_string(src.join(f)).unwrap();
            if side == "new" {
                text = text.replace(
                    "actions = [\"sts:AssumeRole\"]",
                    "actions = [\"sts:AssumeRole\", \"sts:TagSession\"]",
                );
            }
            write(root, &format!("{side}/{f}"), &text);
        }
    }
    let (code, out, err) = gl_in(root, &["diff", "old", "new", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["summary"]["added"], 3, "{out}");
    let unit = "main.tf#module.workers[\"lambda\"].aws_iam_role.this/assume_role_policy";
    let (code, out, err) = gl_in(
        root,
        &[
            "diff",
            &format!("old/{unit}"),
            &format!("new/{unit}"),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        json(&out)["added"].to_string().contains("sts:TagSession"),
        "{out}"
    );
}

const OVERRIDE: &str = "tests/fixtures/templates/terraform/override";

/// `verify --not-granted ACTION` on a folder: (holds, [(document, resource, statement file,
/// line)]).
fn not_granted(
    dir: &Path,
    target: &str,
    action: &str,
) -> (bool, Vec<(String, String, String, u64)>) {
    let (code, out, err) = gl_in(
        dir,
        &[
            "verify",
            "--not-granted",
            action,
            "--format",
            "json",
            target,
        ],
    );
    assert!(code == 0 || code == 1, "{out}{err}");
    let a = json(&out)["assertions"][0].clone();
    let found = a["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["document"].as_str().unwrap().to_string(),
                c["resource"].as_str().unwrap().to_string(),
                c["statements"][0]["file"].as_str().unwrap().to_string(),
                c["statements"][0]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (a["holds"].as_bool().unwrap(), found)
}

/// Override files merged as Terraform merges them
/// (https://developer.hashicorp.com/terraform/language/files/override): in lexical order
/// (`iam_override.tf`'s `iam:*` policy is replaced again by `override.tf`'s), argument by
/// argument (the role policy keeps `role` and `name` of `main.tf`), nested blocks replaced
/// wholesale (the trust document's `statement` names Lambda, not EC2), locals value by value
/// (`example-prod`), and the JSON form (`z_override.tf.json` makes the bucket policy
/// account-only). Findings point into the override file that wrote the policy.
#[test]
fn override_files_merge_as_terraform_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(not_granted(root, OVERRIDE, "iam:PassRole"), (true, vec![]));
    assert_eq!(not_granted(root, OVERRIDE, "s3:PutObject"), (true, vec![]));
    let (holds, found) = not_granted(root, OVERRIDE, "s3:GetObject");
    assert!(!holds);
    assert!(
        found.contains(&(
            "aws_iam_role.app".into(),
            "arn:aws:s3:::example-prod/example".into(),
            format!("{OVERRIDE}/override.tf#aws_iam_role_policy.app/policy"),
            10
        )),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(d, _, f, _)| d == "aws_s3_bucket_policy.b/policy"
                && f == &format!("{OVERRIDE}/z_override.tf.json#aws_s3_bucket_policy.b/policy")),
        "{found:?}"
    );
    // `main.tf`'s bucket policy is public (`Principal: "*"`); the override's is not
    let (code, out, err) = gl(&["verify", "--no-public-access", "--format", "json", OVERRIDE]);
    assert_eq!(code, 0, "{out}{err}");
    // the trust policy's principal comes from the override's `statement`
    let (code, out, err) = gl(&["lint", "--format", "json", "--fail-on", "warning", OVERRIDE]);
    assert_eq!(code, 1, "{out}{err}");
    let messages: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`lambda.amazonaws.com`")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("ec2.amazonaws.com")),
        "{messages:?}"
    );
    // a walk lints the override files with the files they override; named explicitly, an
    // override file lints the documents written in it
    let (code, out, err) = gl(&["lint", "--verbose", OVERRIDE]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(
        err.contains(&format!(
            "skipped {OVERRIDE}/override.tf: a Terraform override file"
        )),
        "{err}"
    );
    let (code, out, err) = gl(&[
        "lint",
        "--format",
        "json",
        &format!("{OVERRIDE}/override.tf"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let files: Vec<String> = json(&out)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        files,
        [format!(
            "{OVERRIDE}/override.tf#aws_iam_role_policy.app/policy"
        )]
    );
    // one role, one finding per policy: no duplicate resources from the override files
    let (code, out, err) = gl(&[
        "scan",
        "--template",
        OVERRIDE,
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert_eq!(
        json(&out)["principals"].as_array().unwrap().len(),
        1,
        "{out}"
    );
}

/// An override block or local value without a primary one to override is an error, as in
/// Terraform ("An override file can only override ... defined in a primary configuration
/// file"); a child module's override file is merged too, `each.key` bound in its merged parts.
#[test]
fn override_files_without_primary_and_in_child_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let role = "resource \"aws_iam_role\" \"r\" {\n  for_each = toset([\"a\"])\n  name = \"r-${each.key}\"\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {Service = \"ec2.amazonaws.com\"}}]})\n}\nresource \"aws_iam_role_policy\" \"p\" {\n  for_each = aws_iam_role.r\n  role = each.value.name\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sqs:*\", Resource = \"*\"}]})\n}\n";
    write(root, "modules/r/main.tf", role);
    write(
        root,
        "modules/r/policy_override.tf",
        "resource \"aws_iam_role_policy\" \"p\" {\n  policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sqs:SendMessage\", Resource = \"arn:aws:sqs:us-east-1:123456789012:${each.key}\"}]})\n}\n",
    );
    write(
        root,
        "main.tf",
        "module \"m\" {\n  source = \"./modules/r\"\n}\n",
    );
    assert_eq!(
        not_granted(root, "main.tf", "sqs:DeleteQueue"),
        (true, vec![])
    );
    let (holds, found) = not_granted(root, "main.tf", "sqs:SendMessage");
    assert!(!holds);
    assert_eq!(
        found,
        [(
            "module.m.aws_iam_role.r[\"a\"]".to_string(),
            "arn:aws:sqs:us-east-1:123456789012:a".to_string(),
            "modules/r/policy_override.tf#module.m.aws_iam_role_policy.p[\"a\"]/policy".to_string(),
            2
        )]
    );
    write(
        root,
        "override.tf",
        "resource \"aws_iam_role_policy\" \"missing\" {\n  policy = \"{}\"\n}\n",
    );
    // the message as one line (the renderer wraps it)
    let flat = |t: String| {
        t.split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (code, out, err) = gl_in(root, &["lint", "main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        flat(format!("{out}{err}")).contains("the override file's `resource \"aws_iam_role_policy\" \"missing\"` block overrides no block of the module's primary files"),
        "{out}{err}"
    );
    write(root, "override.tf", "locals {\n  x = 1\n}\n");
    let (code, out, err) = gl_in(root, &["lint", "main.tf"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        flat(format!("{out}{err}")).contains(
            "the override file sets `local.x`, which no primary file of the module defines"
        ),
        "{out}{err}"
    );
}

/// Outside a git repository, a child module in a sibling folder (`../../modules/m`, as
/// terraform-aws-modules lays out its examples) is outside what the reader reads from the
/// caller's folder; it was also skipped as "linted through" that caller, so nothing linted it
/// and an admin policy in it passed. It is now linted on its own.
#[test]
fn a_child_module_the_caller_cannot_read_is_linted_on_its_own() {
    let d = tempfile::tempdir().unwrap();
    if d.path().ancestors().any(|a| a.join(".git").exists()) {
        return; // (a temporary folder inside a repository: the case does not arise)
    }
    write(
        &d.path().join("examples/x"),
        "main.tf",
        "module \"m\" {\n  source = \"../../modules/m\"\n}\n",
    );
    write(
        &d.path().join("modules/m"),
        "main.tf",
        r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})
}
"#,
    );
    let (code, out, err) = gl(&["lint", &d.path().display().to_string(), "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("GL089"), "{out}");
}

/// A module read without its inputs (the terraform-aws-modules pattern: `count = var.create ?
/// 1 : 0`, an admin switch) is read both ways: the branch that grants `"*"` is full
/// administrator access (GL089, exit 1), named with the conditions it assumed, never a
/// placeholder that passes (conditional expressions,
/// https://developer.hashicorp.com/terraform/language/expressions/conditionals). The same
/// holds for a CloudFormation `Fn::If` in a policy's `Action`
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html#intrinsic-function-reference-conditions-if):
/// each variant of the document is its own document for every rule.
#[test]
fn an_undecided_admin_switch_is_reported_in_its_branch() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("tf");
    std::fs::create_dir(&tf).unwrap();
    write(
        &tf,
        "main.tf",
        r#"variable "create" { type = bool }
variable "admin" { type = bool }
resource "aws_iam_role" "r" {
  count = var.create ? 1 : 0
  name  = "r"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "sts:AssumeRole", Principal = {Service = "ec2.amazonaws.com"}}]})
}
resource "aws_iam_role_policy" "p" {
  count = var.create ? 1 : 0
  role  = aws_iam_role.r[0].id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = var.admin ? "*" : "s3:GetObject", Resource = var.admin ? "*" : "arn:aws:s3:::b/*"}]})
}
"#,
    );
    let cfn = write(
        dir.path(),
        "t.yaml",
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Admin: { Type: String }
Conditions:
  IsAdmin: !Equals [!Ref Admin, "yes"]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - { Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: !If [IsAdmin, "*", "s3:GetObject"]
                Resource: !If [IsAdmin, "*", "arn:aws:s3:::b/*"]
"#,
    );
    for (target, when) in [
        (tf.to_str().unwrap(), "`var.admin`=true, `var.create`=true"),
        (cfn.as_str(), "IsAdmin=true"),
    ] {
        let (code, out, err) = gl(&["lint", target, "--format", "json"]);
        assert_eq!(code, 1, "{target}: {out}{err}");
        let v = json(&out);
        let admin: Vec<&serde_json::Value> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "GL089")
            .collect();
        assert_eq!(admin.len(), 1, "{target}: {out}");
        assert!(
            admin[0]["file"].as_str().unwrap().contains(when),
            "{target}: {}",
            admin[0]["file"]
        );
        // the other branch is the read-only policy: no security finding names it
        assert!(
            !v["findings"].as_array().unwrap().iter().any(|f| f["severity"]
                == "security"
                && !f["file"].as_str().unwrap().contains(when)),
            "{target}: {out}"
        );
    }
}
