//! Templates as inputs end to end: `lint TEMPLATE`, `check --template`, `scan --template`,
//! CDK cloud assemblies, hostile templates. Fixtures and their AWS documentation sources:
//! tests/fixtures/templates/README.md.

use std::path::Path;
use std::process::Command;

fn gl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const DIR: &str = "tests/fixtures/templates";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The confused-deputy finding on the CodeDeploy role's trust policy
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html) is located at the
/// `codedeploy.amazonaws.com` line of the YAML template.
#[test]
fn lint_locates_findings_in_the_yaml_template() {
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &fixture("codedeploy-ecs-role.yaml"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "service-principal-without-source")
        .unwrap();
    assert_eq!(f["line"], 23);
    assert_eq!(f["column"], 19);
    assert!(
        f["file"]
            .as_str()
            .unwrap()
            .starts_with(&fixture("codedeploy-ecs-role.yaml"))
    );
    assert!(
        err.contains("`000000000000` stands for AWS::AccountId"),
        "{err}"
    );
}

fn gaps(out: &str) -> u64 {
    json(out)["gaps"].as_u64().unwrap()
}

/// `check` on a template gives the same verdict as on the same policies as files: the
/// CodeDeploy service role of
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html
/// (trust policy + AWSCodeDeployRoleForECS).
#[test]
fn check_on_a_template_matches_check_on_files_for_the_codedeploy_role() {
    let t = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &fixture("codedeploy-ecs-role.yaml"),
        "--role",
        "EcsCodeDeployRole",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let managed = dir.path().join("AWSCodeDeployRoleForECS.json");
    // the AWS managed policy as published (v3, see the fixture README)
    let doc =
        std::fs::read_to_string("tests/fixtures/templates/AWSCodeDeployRoleForECS.json").unwrap();
    std::fs::write(&managed, doc).unwrap();
    let f = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--trust-policy",
        &fixture("codedeploy-trust-policy.json"),
        managed.to_str().unwrap(),
    ]);
    assert_eq!(t.0, f.0, "template: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    assert_eq!(t.0, 0);
    assert_eq!(gaps(&t.1), gaps(&f.1));
}

/// The deployer user of the ECS blue/green guide
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html):
/// with `Env=test` its inline policy is the published document; with `Env=prod` the `Fn::If`
/// drops `codedeploy:ContinueDeployment`. Each gives the verdict of the same policy as a file.
#[test]
fn check_on_a_template_matches_check_on_files_under_each_parameter_value() {
    let published = std::fs::read_to_string(fixture("bluegreen-user-permissions.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let prod_file = dir.path().join("prod.json");
    let mut prod: serde_json::Value = json(&published);
    prod["Statement"][0]["Action"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a != "codedeploy:ContinueDeployment");
    std::fs::write(&prod_file, prod.to_string()).unwrap();
    for (env, file) in [
        ("test", fixture("bluegreen-user-permissions.json")),
        ("prod", prod_file.display().to_string()),
    ] {
        let param = format!("Env={env}");
        let t = gl(&[
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "--format",
            "json",
            "--template",
            &fixture("bluegreen-deployer.yaml"),
            "--user",
            "Deployer",
            "--template-param",
            &param,
        ]);
        let f = gl(&[
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "--format",
            "json",
            &file,
        ]);
        assert_eq!(t.0, f.0, "{env}: {}{}", t.1, t.2);
        assert_eq!(gaps(&t.1), gaps(&f.1), "{env}");
    }
    // prod lacks one action more than test
    let g = |env: &str| {
        let param = format!("Env={env}");
        gaps(
            &gl(&[
                "check",
                "--profile",
                "ecs-bluegreen-codedeploy-user",
                "--format",
                "json",
                "--template",
                &fixture("bluegreen-deployer.yaml"),
                "--user",
                "Deployer",
                "--template-param",
                &param,
            ])
            .1,
        )
    };
    assert_eq!(g("prod"), g("test") + 1);
}

/// Without a value for `Env`, `IsProd` cannot be decided: both branches are checked and the
/// output names them.
#[test]
fn undecidable_conditions_are_checked_both_ways_and_named() {
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        "--template",
        &fixture("bluegreen-deployer.yaml"),
        "--user",
        "Deployer",
    ]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    let variants = v["variants"].as_array().unwrap();
    let conds: Vec<&str> = variants
        .iter()
        .map(|x| x["conditions"].as_str().unwrap())
        .collect();
    assert_eq!(conds, vec!["IsProd=false", "IsProd=true"]);
    assert!(err.contains("conditions IsProd cannot be decided"), "{err}");
}

/// The parameter file format of `aws cloudformation create-stack --parameters file://...`
/// (https://docs.aws.amazon.com/cli/latest/reference/cloudformation/create-stack.html).
#[test]
fn template_params_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("params.json");
    std::fs::write(&p, r#"[{"ParameterKey": "Env", "ParameterValue": "prod"}]"#).unwrap();
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        "--template",
        &fixture("bluegreen-deployer.yaml"),
        "--user",
        "Deployer",
        "--template-params",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        json(&out).get("variants").is_none(),
        "the condition is decided"
    );
    let (code, _, err) = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--template",
        &fixture("bluegreen-deployer.yaml"),
        "--user",
        "Deployer",
        "--template-param",
        "Nope=1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("parameter `Nope`"), "{err}");
}

#[test]
fn check_names_the_principals_when_the_logical_id_is_wrong() {
    let (code, _, err) = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--template",
        &fixture("codedeploy-ecs-role.yaml"),
        "--role",
        "Nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("EcsCodeDeployRole (role)"), "{err}");
}

/// `scan --template` checks every principal; a role profile applies to roles only.
#[test]
fn scan_checks_every_principal_of_the_template() {
    let (code, out, err) = gl(&[
        "scan",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        "tests/fixtures/templates/cdk.out/BlueGreenStack.template.json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    let rows = v["principals"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["logicalId"], "CodeDeployRole6F8A1C42");
    assert_eq!(rows[0]["status"], "complete");
    let (code, out, _) = gl(&[
        "scan",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--template",
        &fixture("bluegreen-deployer.yaml"),
        "--template-param",
        "Env=test",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("Deployer (user)"), "{out}");
}

/// `cdk synth` writes `cdk.out/manifest.json` listing the stack templates
/// (https://docs.aws.amazon.com/cdk/v2/guide/deploy.html); `lint cdk.out` reads those, not
/// the manifest or `tree.json`.
#[test]
fn lint_reads_a_cdk_cloud_assembly_through_its_manifest() {
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &fixture("cdk.out"),
    ]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.contains("BlueGreenStack.template.json#Resources/"))
    );
}

/// `check --template cdk.out` (and `generate --missing-from cdk.out#ID`) read the one stack
/// template the cloud assembly's manifest lists, as `lint`/`scan` do: the same verdict as on
/// the template file.
#[test]
fn check_reads_a_cdk_cloud_assembly_with_one_stack() {
    let run = |template: &str| {
        gl(&[
            "check",
            "--format",
            "json",
            "--profile",
            "ecs-codedeploy-service-role",
            "--template",
            template,
            "--role",
            "CodeDeployRole6F8A1C42",
        ])
    };
    let (code, dir_out, err) = run(&fixture("cdk.out"));
    assert_eq!(code, 0, "{dir_out}{err}");
    let (_, file_out, _) = run("tests/fixtures/templates/cdk.out/BlueGreenStack.template.json");
    assert_eq!(json(&dir_out)["gaps"], json(&file_out)["gaps"]);
    let (code, out, err) = gl(&[
        "generate",
        "--profile",
        "ecs-codedeploy-service-role",
        "--missing-from",
        &format!("{}#CodeDeployRole6F8A1C42", fixture("cdk.out")),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]");
}

/// SAM's `Policies` (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html):
/// the generated role holds AWSLambdaBasicExecutionRole, the named AWS managed policy, the
/// expanded `S3ReadPolicy` and the inline document.
#[test]
fn sam_function_policies_are_read() {
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &fixture("sam-function.yaml"),
    ]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("#Resources/MyFunction/Policies/1/S3ReadPolicy")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("#Resources/MyFunction/Policies/2")),
        "{files:?}"
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Hostile templates end in a clear error (exit 2) within bounded time.
#[test]
fn hostile_templates_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let (p, n) = (w[0], w[1]);
        bomb.push_str(&format!(
            "  {n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    let cases = [
        ("bomb.yaml", bomb, "aliases expand the document past"),
        ("deep.yaml", format!("Resources: {}1{}\n", "[".repeat(10_000), "]".repeat(10_000)), "YAML"),
        ("tag.yaml", "Resources:\n  R: {Type: AWS::S3::Bucket, Properties: {BucketName: !Evil x}}\n".into(), "unknown tag `!Evil`"),
        ("circular.yaml", "Resources:\n  A: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref B}}\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Ref A}}\n  P: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: s3:GetObject, Resource: !GetAtt A.Arn}]}}}\n".into(), "circular reference"),
    ];
    for (name, text, expect) in cases {
        let path = write(dir.path(), name, &text);
        let started = std::time::Instant::now();
        let (code, out, err) = gl(&["lint", &path]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(
            out.contains(expect) || err.contains(expect),
            "{name}: {out}{err}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{name}"
        );
    }
}

/// Windows PowerShell writes UTF-16 with a byte-order mark
/// (https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_character_encoding).
#[test]
fn a_utf16_template_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("codedeploy-ecs-role.yaml")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = dir.path().join("role.yaml");
    std::fs::write(&p, bytes).unwrap();
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["name"] == "service-principal-without-source")
            .count(),
        1
    );
}

/// A document that differs between the branches of an undecidable condition is linted once
/// per branch, its name saying which.
#[test]
fn lint_names_the_condition_values_of_documents_that_differ() {
    let (code, out, err) = gl(&[
        "lint",
        "--format",
        "json",
        &fixture("bluegreen-deployer.yaml"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    let mut files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec![
            "tests/fixtures/templates/bluegreen-deployer.yaml#Resources/Deployer/Policies/bluegreen [when IsProd=false]",
            "tests/fixtures/templates/bluegreen-deployer.yaml#Resources/Deployer/Policies/bluegreen [when IsProd=true]",
        ]
    );
    let (_, out, _) = gl(&[
        "lint",
        "--format",
        "json",
        "--template-param",
        "Env=prod",
        &fixture("bluegreen-deployer.yaml"),
    ]);
    assert_eq!(json(&out)["files"].as_array().unwrap().len(), 1);
    // lint reads many templates: a value for a parameter this one lacks is not an error
    let (code, _, err) = gl(&[
        "lint",
        "--template-param",
        "Nope=1",
        "--template-param",
        "Env=prod",
        &fixture("bluegreen-deployer.yaml"),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// A Terraform plan (`terraform show -json`, format of
/// https://developer.hashicorp.com/terraform/internals/json-format): the CodeDeploy role with
/// its trust policy from an `aws_iam_policy_document`
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document)
/// and `managed_policy_arns`, and a user whose policy is attached through a `policy_arn` known
/// only after apply (linked through the configuration's references). Same verdicts as files.
#[test]
fn terraform_plan_principals_are_checked_like_files() {
    let plan = fixture("plan.json");
    let t = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &plan,
        "--role",
        "aws_iam_role.codedeploy",
    ]);
    assert_eq!(t.0, 0, "{}{}", t.1, t.2);
    assert_eq!(gaps(&t.1), 0);
    let t = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        "--template",
        &plan,
        "--user",
        "aws_iam_user.deployer",
    ]);
    let f = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        &fixture("bluegreen-user-permissions.json"),
    ]);
    assert_eq!(t.0, f.0, "{}{}", t.1, t.2);
    assert_eq!(gaps(&t.1), gaps(&f.1));
    let (code, out, err) = gl(&["lint", "--fail-on", "warning", "--format", "json", &plan]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["name"] == "service-principal-without-source"
        && f["file"] == "tests/fixtures/templates/plan.json#aws_iam_role.codedeploy/assume_role_policy"));
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
}

/// PowerShell's `terraform show -json > plan.json` writes UTF-16 with a byte-order mark.
#[test]
fn a_utf16_plan_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("plan.json")).unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = dir.path().join("plan.json");
    std::fs::write(&p, bytes).unwrap();
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(json(&out)["files"].as_array().unwrap().len(), 3);
}

/// A policy known only after apply cannot be checked: a located error, never a pass.
#[test]
fn a_policy_known_only_after_apply_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p", "values": {"role": "r"}}]}},
      "resource_changes": [{"address": "aws_iam_role_policy.p", "change": {"actions": ["create"], "after_unknown": {"policy": true}}}]}"#;
    let p = write(dir.path(), "plan.json", plan);
    let (code, out, err) = gl(&["lint", &p]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("known only after apply") || err.contains("known only after apply"),
        "{out}{err}"
    );
}

/// The `AWS::CodeDeployBlueGreen` transform example of
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/blue-green-template-example.html
/// (trimmed): the transform and its `Hooks` section are accepted, the task execution role is
/// read with its AWS managed policy.
#[test]
fn the_codedeploy_bluegreen_transform_example_is_read() {
    let (code, out, err) = gl(&[
        "lint",
        "--format",
        "json",
        &fixture("codedeploy-bluegreen-transform.yaml"),
    ]);
    assert!(code == 0 || code == 1, "{out}{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        vec![
            "tests/fixtures/templates/codedeploy-bluegreen-transform.yaml#Resources/ECSTaskExecutionRole/AssumeRolePolicyDocument"
        ]
    );
    let (code, out, err) = gl(&[
        "scan",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &fixture("codedeploy-bluegreen-transform.yaml"),
    ]);
    // the task execution role is not a CodeDeploy role: gaps, and the managed policy was read
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["principals"][0]["logicalId"], "ECSTaskExecutionRole");
    assert_eq!(v["principals"][0]["status"], "gaps");
}

/// A repository walk (issue 12 §2) reads the templates it finds: the CodeDeploy role's YAML
/// template next to a `package.json` is linted with the same finding at the same place as when
/// it is named, `package.json` is skipped, and a `.tf` file fails the run (exit 2) rather than
/// passing unread.
#[test]
fn a_directory_walk_reads_the_templates_it_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::copy(
        fixture("codedeploy-ecs-role.yaml"),
        root.join("infra/codedeploy-ecs-role.yaml"),
    )
    .unwrap();
    write(
        root,
        "package.json",
        r#"{"name": "app", "version": "1.0.0"}"#,
    );
    let dir = root.to_str().unwrap();
    let (code, out, err) = gl(&["lint", "--fail-on", "warning", "--format", "json", dir]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "service-principal-without-source")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(f["line"], 23);
    assert!(
        f["file"]
            .as_str()
            .unwrap()
            .contains("infra/codedeploy-ecs-role.yaml"),
        "{f}"
    );
    assert_eq!(v["summary"]["skipped"], 1, "{out}");

    // `.tf` files are read (the folder is one module); one without IAM is skipped
    write(
        root,
        "main.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      Action = \"sts:AssumeRole\"\n      Principal = { Service = \"lambda.amazonaws.com\" }\n    }]\n  })\n}\n",
    );
    write(
        root,
        "network.tf",
        "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    let (code, out, err) = gl(&["lint", "--fail-on", "warning", "--format", "json", dir]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .contains("main.tf#aws_iam_role.r/assume_role_policy")
        })
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(f["name"], "service-principal-without-source");
    assert_eq!(f["line"], 7);
    assert_eq!(v["summary"]["skipped"], 2, "{out}");
    // named explicitly, a `.tf` file without IAM is an error
    let (code, out, err) = gl(&["lint", &format!("{dir}/network.tf")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("defines no IAM policy"),
        "{out}{err}"
    );
}

const TF: &str = "tests/fixtures/templates/terraform/module";

/// A `.tf` module (tests/fixtures/templates/terraform/module, each file citing the Terraform
/// AWS provider docs page it follows): `lint` locates findings at the `.tf` line and column,
/// names the placeholders, and reads `file()`, heredoc and `jsonencode` policies.
#[test]
fn lint_reads_a_terraform_module() {
    let (code, out, err) = gl(&[
        "lint",
        "--fail-on",
        "warning",
        "--format",
        "json",
        &format!("{TF}/main.tf"),
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
        format!("{TF}/main.tf#aws_iam_role.codedeploy/assume_role_policy")
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(16), Some(22))
    );
    // the folder: every .tf file, the JSON policy file too
    let (code, out, err) = gl(&["lint", "--format", "json", TF]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for want in [
        "resources.tf#aws_sqs_queue_policy.test/policy",
        "resources.tf#aws_s3_bucket_policy.allow_access_from_another_account/policy",
        "resources.tf#aws_iam_role_policy.codedeploy_logs/policy",
        "bluegreen-user-permissions.json#aws_iam_policy.bluegreen/policy",
    ] {
        assert!(files.iter().any(|f| f.ends_with(want)), "{want}: {files:?}");
    }
    // the JSON file the module reads with `file()` is linted there, not a second time on
    // its own (its findings once)
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with("bluegreen-user-permissions.json")),
        "{files:?}"
    );
    assert_eq!(v["summary"]["skipped"], 2, "{out}");
    assert!(
        err.contains("`UNKNOWN-var.queue_arn` stands for the variable `queue_arn` (no default"),
        "{err}"
    );
    // a parameter gives the variable its value
    let (_, _, err) = gl(&[
        "lint",
        &format!("{TF}/resources.tf"),
        "--template-param",
        "queue_arn=arn:aws:sns:us-east-1:111122223333:t",
    ]);
    assert!(!err.contains("UNKNOWN-var.queue_arn"), "{err}");
}

/// A `templatefile()` template named `.json` (as many repositories name them) is not linted
/// on its own in a walk: its `${...}` is no JSON, and its policy is linted as the module renders
/// it, at the template's lines
/// (<https://developer.hashicorp.com/terraform/language/functions/templatefile>). Named on the
/// command line, it is read as the policy file it claims to be.
#[test]
fn a_walk_lints_templatefile_templates_as_rendered() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    write(
        d.path(),
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.json\", { actions = [\"iam:PassRole\"] })\n}\n",
    );
    let tpl = write(
        d.path(),
        "p.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": ${jsonencode(actions)}, \"Resource\": \"*\"}\n  ]\n}\n",
    );
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&["lint", "--format", "json", &dir]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "pass-role-with-wildcard-resource")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        f["file"]
            .as_str()
            .unwrap()
            .ends_with("p.json#aws_iam_policy.p/policy"),
        "{f}"
    );
    assert_eq!(f["line"], 4, "{f}");
    assert_eq!(v["summary"]["failed_files"], 0, "{out}");
    let (code, _, _) = gl(&["lint", &tpl]);
    assert_eq!(code, 2);
    // `verify` of the folder likewise reads the template through the module only: the
    // rendered policy grants `iam:PassRole` (exit 1, not the template's parse error)
    let (code, out, err) = gl(&[
        "verify",
        "--not-granted",
        "iam:PassRole",
        "--format",
        "json",
        &dir,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(json(&out)["assertions"][0]["holds"], false, "{out}");
}

/// `check` on a `.tf` module gives the verdict of the same policies as files: the CodeDeploy
/// role (trust policy from `aws_iam_policy_document`, `AWSCodeDeployRoleForECS` attached) and
/// the deployer user (its policy read by `file()` and attached by reference).
#[test]
fn check_on_a_terraform_module_matches_check_on_files() {
    let t = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &format!("{TF}/main.tf"),
        "--role",
        "aws_iam_role.codedeploy",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let managed = dir.path().join("AWSCodeDeployRoleForECS.json");
    std::fs::copy(fixture("AWSCodeDeployRoleForECS.json"), &managed).unwrap();
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
    let f = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--trust-policy",
        &trust,
        managed.to_str().unwrap(),
        &logs,
    ]);
    assert_eq!(t.0, f.0, "tf: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    assert_eq!(t.0, 0, "{}{}", t.1, t.2);
    assert_eq!(gaps(&t.1), gaps(&f.1));

    let t = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        "--template",
        TF,
        "--user",
        "aws_iam_user.deployer",
    ]);
    let f = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        &fixture("bluegreen-user-permissions.json"),
    ]);
    assert_eq!(t.0, f.0, "tf: {}{}\nfiles: {}{}", t.1, t.2, f.1, f.2);
    assert_eq!(gaps(&t.1), gaps(&f.1));

    let (code, out, err) = gl(&[
        "scan",
        "--template",
        &format!("{TF}/main.tf"),
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let rows = json(&out)["principals"].as_array().unwrap().clone();
    let role = rows
        .iter()
        .find(|r| r["logicalId"] == "aws_iam_role.codedeploy")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(role["status"], "complete");
}

/// Hostile `.tf` input: a `file()` escaping the repository, nesting past the parser's limit, a
/// huge heredoc — each a clear result (exit 2, or findings) in bounded time.
#[test]
fn hostile_terraform_is_a_clear_error_in_bounded_time() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("infra")).unwrap();
    std::fs::write(tmp.path().join("secret.json"), "{}").unwrap();
    let escape = write(
        &repo.join("infra"),
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"../../secret.json\")\n}\n",
    );
    let (code, out, err) = gl(&["lint", &escape]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("outside the repository"),
        "{out}{err}"
    );
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--template",
        &escape,
        "--role",
        "aws_iam_role.x",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("outside the repository"),
        "{out}{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let deep = write(
        dir.path(),
        "deep.tf",
        &format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({}1{})\n}}\n",
            "{a = ".repeat(5_000),
            "}".repeat(5_000)
        ),
    );
    let started = std::time::Instant::now();
    let (code, out, err) = gl(&["lint", &deep]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(format!("{out}{err}").contains("invalid HCL"), "{out}{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    let dir = tempfile::tempdir().unwrap();
    let mut statements = Vec::new();
    for i in 0..2_000 {
        statements.push(format!(
            "    {{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b{i}/*\"}}"
        ));
    }
    let huge = write(
        dir.path(),
        "huge.tf",
        &format!(
            "resource \"aws_iam_policy\" \"p\" {{\n  name = \"p\"\n  policy = <<EOF\n{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}\nEOF\n}}\n",
            statements.join(",\n")
        ),
    );
    let started = std::time::Instant::now();
    let (code, out, err) = gl(&["lint", "--format", "json", &huge]);
    assert!(code == 1 || code == 0, "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // the size quota finding is located in the heredoc
    assert!(out.contains("huge.tf#aws_iam_policy.p/policy"), "{err}");
}

/// A plan whose role trust policy an `aws_iam_policy_document` renders only at apply (it
/// names an account known after apply): the policy is rebuilt from the data source's planned
/// arguments, the unknown identifier a named placeholder; `check` runs and says so
/// (https://developer.hashicorp.com/terraform/internals/json-format,
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document).
#[test]
fn a_plan_policy_rendered_after_apply_is_checked_with_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_role.codedeploy", "mode": "managed", "type": "aws_iam_role", "name": "codedeploy",
         "values": {"name": "ecsCodeDeployRole", "managed_policy_arns": ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"]}},
        {"address": "data.aws_iam_policy_document.trust", "mode": "data", "type": "aws_iam_policy_document", "name": "trust",
         "values": {"statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"],
           "principals": [{"type": "Service", "identifiers": ["codedeploy.amazonaws.com"]}],
           "condition": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": [null]}]}]}}]}},
      "resource_changes": [
        {"address": "aws_iam_role.codedeploy", "change": {"actions": ["create"], "after_unknown": {"assume_role_policy": true, "arn": true}}},
        {"address": "data.aws_iam_policy_document.trust", "change": {"actions": ["read"],
         "after_unknown": {"json": true, "statement": [{"condition": [{"values": [true]}]}]}}}],
      "configuration": {"root_module": {"resources": [
        {"address": "aws_iam_role.codedeploy", "expressions": {"assume_role_policy": {"references": ["data.aws_iam_policy_document.trust.json", "data.aws_iam_policy_document.trust"]}}}]}}}"#;
    let p = write(dir.path(), "plan.json", plan);
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
        "--template",
        &p,
        "--role",
        "aws_iam_role.codedeploy",
    ]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(
        err.contains(
            "UNKNOWN-data.aws_iam_policy_document.trust.statement[0].condition[0].values[0]"
        ),
        "{err}"
    );
    let (code, out, err) = gl(&["lint", "--format", "json", &p]);
    assert_ne!(code, 2, "{out}{err}");
    assert!(
        out.contains("plan.json#aws_iam_role.codedeploy/assume_role_policy"),
        "{out}"
    );
}

/// Red-team 8, finding 1: `IsSafe` is reached only inside the `false` branch of `IsProd`, and
/// the `Action` is `*` when both are false. With no parameter values CloudFormation may deploy
/// any of them (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html),
/// so `verify`, `lint` and `diff` must all see that branch; they used to pass it (`IsSafe`
/// was taken as true without saying so).
#[test]
fn a_condition_nested_inside_an_if_branch_is_checked_both_ways() {
    let new = fixture("nested-if.yaml");
    let (code, out, err) = gl(&["verify", &new, "--not-granted", "iam:*", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["assertions"][0]["holds"], false, "{out}");
    assert!(out.contains("IsProd=false, IsSafe=false"), "{out}");
    assert!(
        err.contains("conditions IsProd, IsSafe cannot be decided"),
        "{err}"
    );

    let (code, out, err) = gl(&["lint", "--fail-on", "security", "--format", "json", &new]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "full-admin"
                && f["file"]
                    .as_str()
                    .unwrap()
                    .contains("[when IsProd=false, IsSafe=false]")),
        "{out}"
    );

    let (code, out, err) = gl(&[
        "diff",
        &fixture("nested-if-old.yaml"),
        &new,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("IsProd=false, IsSafe=false"), "{out}");

    // with the parameter values given, only the `*` branch is left
    let (code, _, err) = gl(&[
        "verify",
        &new,
        "--not-granted",
        "iam:*",
        "--template-param",
        "Env=dev",
        "--template-param",
        "Mode=x",
    ]);
    assert_eq!(code, 1, "{err}");
}

/// `--template-param` values checked as CloudFormation checks them before it creates a stack
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
/// a `List<Number>` / `CommaDelimitedList` value is split on commas (members space-trimmed);
/// `Number` values are numbers within `MinValue`/`MaxValue`; `AllowedValues` holds the value
/// (each member of a list); `AllowedPattern` matches the entire value (each member of a
/// `CommaDelimitedList`); `MaxLength` bounds a `String`. A value CloudFormation rejects is
/// exit 2 naming the parameter and the rule; before, it was read as given.
#[test]
fn template_param_values_are_checked_against_their_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "t.yaml",
        r#"Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Name:
    Type: String
    AllowedPattern: "[a-z]+"
    MaxLength: 8
    Default: app
  Buckets:
    Type: CommaDelimitedList
    AllowedPattern: "arn:aws:s3:::[a-z-]+/\\*"
    Default: "arn:aws:s3:::logs/*"
  Ports:
    Type: List<Number>
    Default: "443"
  Count:
    Type: Number
    MaxValue: 5
    Default: 1
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: !Sub "${Name}-${Env}"
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !Ref Buckets
"#,
    );
    let verify = |params: &[&str]| {
        let mut a = vec![
            "verify",
            t.as_str(),
            "--not-granted",
            "s3:GetObject",
            "--account",
            "111122223333",
        ];
        for p in params {
            a.extend(["--template-param", p]);
        }
        gl(&a)
    };
    // accepted: the list split on commas, each member trimmed and matching the pattern
    let (code, out, err) = verify(&[
        "Env=prod",
        "Name=web",
        "Buckets=arn:aws:s3:::a/*, arn:aws:s3:::b/*",
        "Ports=443, 8443",
        "Count=5",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    for (param, want) in [
        (
            "Env=test",
            "the value `test` of the parameter `Env` is not one of its `AllowedValues` (`dev`, `prod`)",
        ),
        (
            "Name=Web",
            "the value `Web` of the parameter `Name` does not match its `AllowedPattern` `[a-z]+`",
        ),
        (
            "Name=abcdefghi",
            "the value `abcdefghi` of the parameter `Name` is longer than its `MaxLength` 8",
        ),
        (
            "Buckets=arn:aws:s3:::a/*,arn:aws:s3:::B/*",
            "the value `arn:aws:s3:::B/*` (a member of `arn:aws:s3:::a/*,arn:aws:s3:::B/*`) of the parameter `Buckets` does not match its `AllowedPattern`",
        ),
        (
            "Ports=443,https",
            "the value `https` (a member of `443,https`) of the parameter `Ports` is not a number, as its type `List<Number>` requires",
        ),
        (
            "Count=six",
            "the value `six` of the parameter `Count` is not a number, as its type `Number` requires",
        ),
        (
            "Count=6",
            "the value `6` of the parameter `Count` is greater than its `MaxValue` 5",
        ),
    ] {
        let (code, out, err) = verify(&[param]);
        assert_eq!(code, 2, "{param}: {out}{err}");
        // the message as one line (the renderer wraps it)
        let flat = err
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains(want), "{param}: {err}");
    }
    // `lint` checks them too
    let (code, out, err) = gl(&["lint", &t, "--template-param", "Env=test"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.contains("`AllowedValues`"), "{out}{err}");
}

/// A CDK app with several stacks and a stage writes one `manifest.json` listing each stack's
/// template, and a nested cloud assembly (`cdk:cloud-assembly`, `assembly-Prod/`) for the
/// stage (https://docs.aws.amazon.com/cdk/v2/guide/deploy.html,
/// https://docs.aws.amazon.com/cdk/v2/guide/stages.html; fixture `cdk-stages.out/`). Given as
/// a directory, every stack is read and each finding names its template file: `lint`,
/// `verify`, `diff` (stack by stack), and `check --template`/`generate --missing-from`, which
/// read the stack that defines the logical ID (several: exit 2 naming them). Before,
/// `check`/`generate` were exit 2 ("a CDK cloud assembly with 3 stack templates") and `diff`
/// "Is a directory".
#[test]
fn multi_stack_cdk_assembly_is_read_stack_by_stack() {
    let dir = fixture("cdk-stages.out");
    let app = format!("{dir}/AppStack.template.json");
    let pipeline = format!("{dir}/PipelineStack.template.json");
    let prod = format!("{dir}/assembly-Prod/ProdAppStack.template.json");
    // lint: documents of every stack
    let (code, out, err) = gl(&["lint", "--fail-on", "warning", "--format", "json", &dir]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for t in [&app, &pipeline, &prod] {
        assert!(
            files.iter().any(|f| f.starts_with(&format!("{t}#"))),
            "{t}: {files:?}"
        );
    }
    // verify: the public bucket policy of one stack, at its template file
    let (code, out, err) = gl(&["verify", "--no-public-access", "--format", "json", &dir]);
    assert_eq!(code, 1, "{out}{err}");
    let c = &json(&out)["assertions"][0]["counterexamples"][0];
    assert_eq!(c["path"], app.as_str(), "{c}");
    assert_eq!(
        c["document"],
        "Resources/UploadsBucketPolicyA1B2C3D4/PolicyDocument"
    );
    // check / generate: the stack that defines the role
    let check = |template: &str, role: &str| {
        gl(&[
            "check",
            "--format",
            "json",
            "--profile",
            "ecs-codedeploy-service-role",
            "--template",
            template,
            "--role",
            role,
        ])
    };
    let (code, dir_out, err) = check(&dir, "CodeDeployRole6F8A1C42");
    assert_eq!(code, 0, "{dir_out}{err}");
    let (_, file_out, _) = check(&pipeline, "CodeDeployRole6F8A1C42");
    assert_eq!(json(&dir_out), json(&file_out));
    assert!(dir_out.contains("PipelineStack.template.json#Resources/CodeDeployRole6F8A1C42"));
    let (code, out, err) = check(&dir, "TaskRole30FC0FBB");
    assert_eq!(code, 2, "{out}{err}");
    let flat = err
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("`TaskRole30FC0FBB` is a resource of 2 stack templates"),
        "{err}"
    );
    let (code, out, err) = gl(&[
        "generate",
        "--profile",
        "ecs-codedeploy-service-role",
        "--missing-from",
        &format!("{dir}#CodeDeployRole6F8A1C42"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "[]");
    // diff of two assemblies: stack by stack; the widened stage policy is found in its file
    let tmp = tempfile::tempdir().unwrap();
    let copy = |side: &str, widen: bool| {
        let root = tmp.path().join(side);
        std::fs::create_dir_all(root.join("assembly-Prod")).unwrap();
        for f in [
            "manifest.json",
            "AppStack.template.json",
            "PipelineStack.template.json",
            "assembly-Prod/manifest.json",
            "assembly-Prod/ProdAppStack.template.json",
        ] {
            let mut text = std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
            if widen && f.starts_with("assembly-Prod/Prod") {
                text = text.replace("\"s3:GetObject*\"", "\"s3:*\"");
            }
            std::fs::write(root.join(f), text).unwrap();
        }
        root.display().to_string()
    };
    let (old, new) = (copy("old", false), copy("new", true));
    let (code, out, err) = gl(&["diff", &old, &old]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = gl(&["diff", "--format", "json", &old, &new]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["files"]["compared"].as_array().unwrap().len(), 3, "{v}");
    let paths: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    let want = format!("{new}/assembly-Prod/ProdAppStack.template.json");
    assert!(paths.iter().all(|p| *p == want), "{paths:?}");
}

/// A CDK `NestedStack`'s template is a file asset (`*.nested.template.json`) that no stack
/// artifact of `manifest.json` lists
/// (<https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.NestedStack.html>); it is deployed
/// with its parent, so `lint` and `diff` of the assembly read it (red-team pass 12: widening its
/// role to `Action: *` read "0 added").
#[test]
fn cdk_nested_stack_templates_are_read() {
    let d = tempfile::tempdir().unwrap();
    let role = |action: &str| {
        format!(
            r#"{{"Resources":{{"Role1":{{"Type":"AWS::IAM::Role","Properties":{{"AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"lambda.amazonaws.com"}},"Action":"sts:AssumeRole"}}]}},"Policies":[{{"PolicyName":"p","PolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}}}]}}}}}}}}"#
        )
    };
    for (side, action) in [("old", "s3:GetObject"), ("new", "*")] {
        let dir = d.path().join(side).join("cdk.out");
        std::fs::create_dir_all(&dir).unwrap();
        write(
            &dir,
            "manifest.json",
            r#"{"version":"36.0.0","artifacts":{"AppStack":{"type":"aws:cloudformation:stack","environment":"aws://unknown-account/unknown-region","properties":{"templateFile":"AppStack.template.json"}}}}"#,
        );
        write(
            &dir,
            "AppStack.template.json",
            r#"{"Resources":{"Nested":{"Type":"AWS::CloudFormation::Stack","Properties":{"TemplateURL":"https://s3.amazonaws.com/bucket/AppStackNestedStack1234ABCD.nested.template.json"}}}}"#,
        );
        write(
            &dir,
            "AppStackNestedStack1234ABCD.nested.template.json",
            &role(action),
        );
    }
    let old = d.path().join("old/cdk.out").display().to_string();
    let new = d.path().join("new/cdk.out").display().to_string();
    let (code, out, err) = gl(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        json(&out)["summary"]["added"].as_u64().unwrap() >= 1,
        "{out}"
    );
    let (code, out, _) = gl(&["lint", &new, "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("GL089"), "{out}");
}

/// The size quotas count the JSON IAM receives, whitespace excluded
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length):
/// a trust policy in a YAML template or a Terraform `aws_iam_policy_document` measures what
/// the same document measures as a JSON file, whatever comments and syntax the template
/// holds; and IAM's character set applies to the document, not to a template's comments.
#[test]
fn template_documents_are_measured_and_checked_as_their_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let accounts: Vec<String> = (0..40)
        .map(|i| format!("{}", 100_000_000_000u64 + i))
        .collect();
    let statements: Vec<serde_json::Value> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({"Sid": format!("S{i}"), "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{a}:root")},
                "Action": "sts:AssumeRole"})
        })
        .collect();
    let doc = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
    let file = write(
        d,
        "trust.json",
        &serde_json::to_string_pretty(&doc).unwrap(),
    );
    // the YAML template: the same statements, with a long comment inside the document
    let mut yaml = String::from(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        # a comment — with characters IAM refuses → and a long tail\n",
    );
    yaml.push_str(&format!("        # {}\n", "x".repeat(3000)));
    yaml.push_str("        Statement:\n");
    for (i, a) in accounts.iter().enumerate() {
        yaml.push_str(&format!(
            "          - Sid: S{i}\n            Effect: Allow\n            Principal:\n              AWS: arn:aws:iam::{a}:root\n            Action: sts:AssumeRole\n"
        ));
    }
    let template = write(d, "t.yaml", &yaml);
    // Terraform: the same statements from a data source, with comments
    let mut tf = String::from(
        "data \"aws_iam_policy_document\" \"trust\" {\n  # a comment — with characters IAM refuses →\n",
    );
    tf.push_str(&format!("  # {}\n", "x".repeat(3000)));
    for (i, a) in accounts.iter().enumerate() {
        tf.push_str(&format!(
            "  statement {{\n    sid     = \"S{i}\"\n    effect  = \"Allow\"\n    actions = [\"sts:AssumeRole\"]\n    principals {{\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::{a}:root\"]\n    }}\n  }}\n"
        ));
    }
    tf.push_str("}\nresource \"aws_iam_role\" \"r\" {\n  name               = \"r\"\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n");
    let tf_dir = d.join("tf");
    std::fs::create_dir(&tf_dir).unwrap();
    write(&tf_dir, "main.tf", &tf);
    let findings = |path: &str, extra: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["lint", "--format", "json", path];
        args.extend_from_slice(extra);
        let (_, out, err) = gl(&args);
        let v = json(&out);
        assert_eq!(v["summary"]["failed_files"], 0, "{path}: {err}");
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let size = |fs: &[(String, String)]| -> Vec<String> {
        fs.iter()
            .filter(|(c, _)| c == "GL085")
            .map(|(_, m)| m.clone())
            .collect()
    };
    let plain = findings(&file, &["--policy-type", "trust"]);
    let want = size(&plain);
    assert_eq!(want.len(), 1, "{plain:?}");
    assert!(want[0].contains("over the 2,048-character"), "{want:?}");
    for path in [template.as_str(), tf_dir.to_str().unwrap()] {
        let got = findings(path, &[]);
        assert_eq!(size(&got), want, "{path}: {got:?}");
        assert!(!got.iter().any(|(c, _)| c == "GL116"), "{path}: {got:?}");
    }
    // a refused character that reaches a value from elsewhere in the template (a parameter's
    // default through `!Sub`, a YAML escape) is found too (red-team pass 18)
    let via = "Parameters:\n  Bucket:\n    Type: String\n    Default: \"my\u{2014}bucket\"\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub 'arn:aws:s3:::${Bucket}/*'\n          - Effect: Allow\n            Action: s3:PutObject\n            Resource: \"arn:aws:s3:::esc\\u2014aped/*\"\n";
    let via_path = write(d, "via.yaml", via);
    let got = findings(&via_path, &[]);
    assert_eq!(
        got.iter().filter(|(c, _)| c == "GL116").count(),
        1,
        "one finding per document: {got:?}"
    );
    // a refused character inside the document is still found, at its value
    let bad = yaml.replacen(
        "Sid: S0\n",
        "Sid: S0\n            Condition: {StringEquals: {aws:PrincipalTag/team: \"a—b\"}}\n",
        1,
    );
    let bad_path = write(d, "bad.yaml", &bad);
    let got = findings(&bad_path, &[]);
    assert!(
        got.iter()
            .any(|(c, m)| c == "GL116" && m.contains("U+2014")),
        "{got:?}"
    );
}

/// Red team 30: undecided conditions on bindings nested in other bindings (`for on in [r.on]`
/// inside `for r in local.rules`, each rule reading its own variable) and on `dynamic` blocks'
/// iterators over maps with one key (`{ x = var.grant }` and `{ x = var.lock }`) are assumed
/// apart: the combination granting `iam:CreateUser` with no `Deny` is read, so `verify` fails
/// (IAM evaluation: an `Allow` and no `Deny` allows,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
#[test]
fn nested_and_dynamic_bindings_are_assumed_apart() {
    for case in ["nested-for", "dynamic-maps"] {
        let dir = format!("tests/fixtures/templates/terraform/rt30/{case}");
        let (code, out, err) = gl(&[
            "verify",
            "--not-granted",
            "iam:CreateUser",
            "--format",
            "json",
            &dir,
        ]);
        assert_eq!(code, 1, "{case}: {out}{err}");
        assert_eq!(json(&out)["assertions"][0]["holds"], false, "{case}: {out}");
    }
}
