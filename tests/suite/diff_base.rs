//! `greenlight diff --base REF [PATHS...]` in temporary git repositories, `diff` between two
//! templates (`FILE#DOCUMENT`), and `verify` on templates and directories, run as processes.
//!
//! Expected verdicts follow the IAM policy evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>):
//! a request is allowed when an identity policy allows it and nothing denies it; action names
//! are case-insensitive and `*` matches any run of characters
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>).
//! CloudFormation roles carry inline policies in `Policies` and AWS managed policies in
//! `ManagedPolicyArns`
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html>).

use crate::support::cli::*;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn base_json(repo: &Path, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["diff", "--base", "HEAD", "--format", "json"];
    args.extend_from_slice(extra);
    let o = greenlight(repo, &args);
    let v = parsed(&o);
    (o, v)
}

const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#;
const READ_WRITE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadWrite","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-bucket/*"}]}"#;

const TEMPLATE: &str = "AWSTemplateFormatVersion: 2010-09-09
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: Deploy
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Sid: Logs
                Effect: Allow
                Action: logs:PutLogEvents
                Resource: arn:aws:logs:us-east-1:111122223333:log-group:app:*
";

fn added_actions(v: &Value) -> Vec<String> {
    v["added"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["actions"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// Nothing changed: nothing added; files whose bytes did not change are not even parsed (the
/// broken policy committed in the base is not reported).
#[test]
fn no_change_adds_nothing() {
    let d = repo(&[
        ("iam/deploy.json", READ),
        (
            "iam/broken.json",
            r#"{"Version":"2012-10-17","Statement":["#,
        ),
        ("template.yaml", TEMPLATE),
        ("package.json", r#"{"name":"app","version":"1.0.0"}"#),
    ]);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 0, "removed": 0, "unknown": 0})
    );
    assert_eq!(v["base"], "HEAD");
    assert_eq!(v["files"]["compared"], serde_json::json!([]));
    assert_eq!(v["files"]["unchanged"], 4);
}

/// `s3:PutObject` added to the statement: one group, the new statement, and a witness that
/// `simulate` allows under the new policy and denies under the old one.
#[test]
fn widened_action_is_added_with_a_witness() {
    let d = repo(&[("iam/deploy.json", READ)]);
    write(d.path(), "iam/deploy.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let g = &v["added"][0];
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(g["path"], "iam/deploy.json");
    assert_eq!(g["document"], Value::Null);
    assert_eq!(g["policyType"], "identity");
    assert_eq!(added_actions(&v), ["s3:PutObject"]);
    assert_eq!(g["statements"][0]["sid"], "ReadWrite");
    assert_eq!(g["statements"][0]["file"], "iam/deploy.json");
    let ex = &g["example"];
    assert_eq!(ex["action"], "s3:PutObject");
    let resource = ex["resource"].as_str().unwrap();
    assert!(
        resource.starts_with("arn:aws:s3:::example-bucket/"),
        "{resource}"
    );
    // the witness, re-decided
    write(d.path(), "old.json", READ);
    for (policy, want) in [("iam/deploy.json", "allowed"), ("old.json", "implicitDeny")] {
        let s = greenlight(
            d.path(),
            &[
                "simulate",
                "--policy",
                policy,
                "--action",
                "s3:PutObject",
                "--resource",
                resource,
                "--format",
                "json",
            ],
        );
        assert_eq!(
            parsed(&s)["results"][0]["decision"],
            want,
            "{policy}: {}",
            show(&s)
        );
    }
    // the text output names the file and the statement
    let t = greenlight(d.path(), &["diff", "--base", "HEAD"]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(
        text.contains("== iam/deploy.json (identity policy): 1 added"),
        "{text}"
    );
    assert!(text.contains("s3:{PutObject}"), "{text}");
    // committed, as on a pull-request branch: the base is the commit before
    std::fs::remove_file(d.path().join("old.json")).unwrap();
    git(d.path(), &["commit", "--quiet", "-am", "widen"]);
    let (o, _) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = greenlight(d.path(), &["diff", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(added_actions(&parsed(&o)), ["s3:PutObject"]);
}

#[test]
fn a_new_file_is_all_added_and_a_removed_file_all_removed() {
    let d = repo(&[("old.json", READ)]);
    write(d.path(), "new.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["added"][0]["path"], "new.json");
    let mut got = added_actions(&v);
    got.sort();
    assert_eq!(got, ["s3:GetObject", "s3:PutObject"]);
    assert_eq!(v["summary"]["removed"], 0);

    // removals alone pass the gate
    std::fs::remove_file(d.path().join("new.json")).unwrap();
    std::fs::remove_file(d.path().join("old.json")).unwrap();
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["removed"][0]["path"], "old.json");
    assert_eq!(
        v["removed"][0]["actions"],
        serde_json::json!(["s3:GetObject"])
    );
}

/// The inline policy of a CloudFormation role widens from `logs:PutLogEvents` to `logs:*`:
/// added, named by the role's logical id, the statement located in the template.
#[test]
fn a_template_role_whose_inline_policy_widens_is_named_by_logical_id() {
    let d = repo(&[("infra/template.yaml", TEMPLATE)]);
    write(
        d.path(),
        "infra/template.yaml",
        &TEMPLATE.replace("Action: logs:PutLogEvents", "Action: logs:*"),
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
    let g = &v["added"][0];
    assert_eq!(g["path"], "infra/template.yaml");
    assert_eq!(g["document"], "DeployRole");
    assert_eq!(g["policyType"], "identity");
    assert_eq!(
        g["statements"][0]["file"],
        "infra/template.yaml#Resources/DeployRole/Policies/Deploy"
    );
    assert_eq!(g["statements"][0]["sid"], "Logs");
    assert_eq!(g["statements"][0]["line"], 18);
    let actions = added_actions(&v);
    assert!(actions.contains(&"logs:DeleteLogGroup".to_string()));
    assert!(!actions.contains(&"logs:PutLogEvents".to_string()));
    assert!(
        g["example"]["action"]
            .as_str()
            .unwrap()
            .starts_with("logs:")
    );
}

/// An AWS managed policy attached to a role grants new access though no policy document of
/// the repository changed: the role is compared with all its policies.
#[test]
fn a_managed_policy_attached_to_a_template_role_is_added() {
    let d = repo(&[("template.yaml", TEMPLATE)]);
    let with_admin = TEMPLATE.replace(
        "      Policies:\n",
        "      ManagedPolicyArns:\n        - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess\n      Policies:\n",
    );
    write(d.path(), "template.yaml", &with_admin);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let g = &v["added"][0];
    assert_eq!(g["document"], "DeployRole");
    assert_eq!(
        g["statements"][0]["file"],
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    );
    assert!(added_actions(&v).contains(&"s3:GetObject".to_string()));
}

/// Statements split and reordered, action names in another letter case, a statement that
/// repeats part of another: nothing added or removed, in a plain file and in a template.
#[test]
fn a_rewrite_that_changes_nothing_is_clean() {
    let d = repo(&[("p.json", READ_WRITE), ("template.yaml", TEMPLATE)]);
    write(
        d.path(),
        "p.json",
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"Put","Effect":"Allow","Action":"S3:putobject","Resource":"arn:aws:s3:::example-bucket/*"},
            {"Sid":"Get","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#,
    );
    let rewritten = TEMPLATE.replace(
        "              - Sid: Logs\n",
        "              - Sid: Nothing\n                Effect: Allow\n                Action: logs:PutLogEvents\n                Resource: arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:*\n              - Sid: Logs\n",
    );
    write(d.path(), "template.yaml", &rewritten);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 0, "removed": 0, "unknown": 0})
    );
    assert_eq!(
        v["files"]["compared"],
        serde_json::json!(["p.json", "template.yaml"])
    );
}

#[test]
fn an_unknown_ref_or_no_repository_is_an_error() {
    let d = repo(&[("p.json", READ)]);
    let o = greenlight(d.path(), &["diff", "--base", "no-such-branch"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("`no-such-branch` is not a known git revision"),
        "{}",
        show(&o)
    );
    assert!(o.stdout.is_empty());

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "p.json", READ);
    let o = greenlight(plain.path(), &["diff", "--base", "HEAD"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("not in a git work tree"), "{}", show(&o));

    // a path in neither the working tree nor the revision
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "gone.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(show(&o).contains("`gone.json` is neither"), "{}", show(&o));
}

/// PATHS limit the comparison; paths are reported relative to the repository root, also when
/// greenlight runs in a subdirectory.
#[test]
fn paths_limit_the_comparison() {
    let d = repo(&[("a/p.json", READ), ("b/q.json", READ)]);
    write(d.path(), "a/p.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &["b"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["files"]["unchanged"], 1);
    let (o, v) = base_json(d.path(), &["a/p.json", "b"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["added"][0]["path"], "a/p.json");
    let o = greenlight(
        &d.path().join("b"),
        &["diff", "--base", "HEAD", "--format", "json", "../a"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(parsed(&o)["added"][0]["path"], "a/p.json");
}

/// A changed Terraform `.tf` file is read as the module of its folder (tests/suite/diff_terraform.rs
/// has the rest): a change that grants nothing new is clean; an unchanged one is not read.
#[test]
fn a_changed_terraform_file_is_read_as_its_module() {
    let tf =
        "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = file(\"p.json\")\n}\n";
    let d = repo(&[("main.tf", tf), ("p.json", READ)]);
    let (o, _) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    write(d.path(), "main.tf", &format!("{tf}# changed\n"));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["files"]["compared"], serde_json::json!(["main.tf"]));
    assert_eq!(v["summary"]["unknown"], 0);
    write(d.path(), "p.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    // the policy `file()` reads is compared as part of the module, not again on its own
    assert_eq!(v["summary"]["added"], 1, "{v}");
    assert_eq!(v["added"][0]["document"], "aws_iam_policy.p/policy");
    assert_eq!(v["added"][0]["path"], "main.tf");
}

/// A `templatefile()` template (not a policy file by its name: `.tftpl`) is part of the module
/// that renders it (<https://developer.hashicorp.com/terraform/language/functions/templatefile>):
/// a change of the template alone re-reads the module, and what it adds is reported at the
/// template.
#[test]
fn a_changed_templatefile_template_re_reads_its_module() {
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.json.tftpl\", { bucket = \"example-bucket\" })\n}\n";
    let tpl = |actions: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"arn:aws:s3:::${{bucket}}/*"}}]}}"#
        )
    };
    let d = repo(&[("main.tf", tf), ("p.json.tftpl", &tpl(r#""s3:GetObject""#))]);
    write(
        d.path(),
        "p.json.tftpl",
        &tpl(r#"["s3:GetObject", "s3:PutObject"]"#),
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
    assert_eq!(v["added"][0]["document"], "aws_iam_policy.p/policy");
    assert!(
        v["added"][0]["actions"]
            .to_string()
            .contains("s3:PutObject"),
        "{v}"
    );
    // a change that grants nothing new (a reformatting of the template) is clean
    write(d.path(), "p.json.tftpl", &tpl(r#"[ "s3:GetObject" ]"#));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["unknown"], 0, "{v}");
}

/// Red team 28: with PATHS, a file the module in scope reads from outside them (a shared
/// template, a `file()` policy) still makes the module compared; so does the module's own
/// template when PATHS names only the `.tf` file.
#[test]
fn a_module_in_scope_is_compared_when_a_file_it_reads_outside_the_paths_changed() {
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/../../shared/p.tftpl\", { b = \"logs\" })\n}\nresource \"aws_iam_policy\" \"q\" {\n  name   = \"q\"\n  policy = file(\"${path.module}/q.json\")\n}\n";
    let tpl = |a: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{a}","Resource":"arn:aws:s3:::${{b}}/*"}}]}}"#
        )
    };
    let d = repo(&[
        ("envs/prod/main.tf", tf),
        ("envs/prod/q.json", READ),
        ("shared/p.tftpl", &tpl("s3:GetObject")),
    ]);
    write(d.path(), "shared/p.tftpl", &tpl("s3:*"));
    for scope in ["envs", "envs/prod", "envs/prod/main.tf"] {
        let (o, v) = base_json(d.path(), &[scope]);
        assert_eq!(o.status.code(), Some(1), "{scope}: {}", show(&o));
        assert_eq!(v["summary"]["added"], 1, "{scope}: {v}");
    }
    write(d.path(), "shared/p.tftpl", &tpl("s3:GetObject"));
    write(d.path(), "envs/prod/q.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &["envs/prod/main.tf"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
}

/// Red team 29: with PATHS, a changed local module outside them (`envs/prod` calling
/// `../../modules/iam`, https://developer.hashicorp.com/terraform/language/modules/sources#local-paths)
/// changes the module in scope that calls it, also through another local module.
#[test]
fn a_module_in_scope_is_compared_when_a_local_module_it_calls_changed_outside_the_paths() {
    let call = "module \"iam\" {\n  source = \"../../modules/wrap\"\n  bucket = \"prod-data\"\n}\n";
    let wrap = "variable \"bucket\" {}\nmodule \"inner\" {\n  source = \"../iam\"\n  bucket = var.bucket\n}\n";
    let iam = |a: &str| {
        format!(
            "variable \"bucket\" {{}}\nresource \"aws_iam_policy\" \"p\" {{\n  name   = \"p\"\n  policy = jsonencode({{Version = \"2012-10-17\", Statement = [{{Effect = \"Allow\", Action = \"{a}\", Resource = \"arn:aws:s3:::${{var.bucket}}/*\"}}]}})\n}}\n"
        )
    };
    let d = repo(&[
        ("envs/prod/main.tf", call),
        ("modules/wrap/main.tf", wrap),
        ("modules/iam/main.tf", &iam("s3:GetObject")),
    ]);
    write(d.path(), "modules/iam/main.tf", &iam("s3:*"));
    for scope in ["envs", "envs/prod", "envs/prod/main.tf"] {
        let (o, v) = base_json(d.path(), &[scope]);
        assert_eq!(o.status.code(), Some(1), "{scope}: {}", show(&o));
        assert_eq!(v["summary"]["added"], 1, "{scope}: {v}");
        assert_eq!(
            v["added"][0]["document"],
            "module.iam.module.inner.aws_iam_policy.p/policy"
        );
    }
    // red team 30: a template the child module renders, next to it, outside PATHS
    let tpl = |a: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{a}","Resource":"arn:aws:s3:::${{bucket}}/*"}}]}}"#
        )
    };
    let inner = "variable \"bucket\" {}\nresource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = templatefile(\"${path.module}/p.tftpl\", { bucket = var.bucket })\n}\n";
    let d = repo(&[
        ("envs/prod/main.tf", call),
        ("modules/wrap/main.tf", wrap),
        ("modules/iam/main.tf", inner),
        ("modules/iam/p.tftpl", &tpl("s3:GetObject")),
    ]);
    write(d.path(), "modules/iam/p.tftpl", &tpl("s3:*"));
    let (o, v) = base_json(d.path(), &["envs/prod"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
}

#[test]
fn a_changed_terraform_json_configuration_is_compared() {
    // Terraform's JSON configuration syntax (https://developer.hashicorp.com/terraform/language/syntax/json)
    // is read like `.tf`: the policy, JSON text in a string, is compared by address
    let tfjson = |policy: &str| {
        let text = serde_json::to_string(policy).unwrap();
        format!(r#"{{"resource":{{"aws_iam_policy":{{"p":{{"name":"p","policy":{text}}}}}}}}}"#)
    };
    let d = repo(&[("main.tf.json", &tfjson(READ))]);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["unknown"], 0, "{v}");
    write(d.path(), "main.tf.json", &tfjson(READ_WRITE));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
    assert_eq!(v["summary"]["unknown"], 0, "{v}");
    assert_eq!(v["added"][0]["document"], "aws_iam_policy.p/policy");
    assert_eq!(v["added"][0]["path"], "main.tf.json");
    assert!(
        v["added"][0]["actions"]
            .to_string()
            .contains("s3:PutObject"),
        "{v}"
    );
}

#[test]
fn sarif_and_github_outputs_point_at_the_template() {
    let d = repo(&[("template.yaml", TEMPLATE)]);
    write(
        d.path(),
        "template.yaml",
        &TEMPLATE.replace("Action: logs:PutLogEvents", "Action: logs:*"),
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("::error file=template.yaml,line=18,"), "{out}");
    assert!(out.contains("template.yaml#DeployRole"), "{out}");
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "sarif"]);
    let v = parsed(&o);
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "diff/added");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "template.yaml"
    );
    // from a subdirectory, SARIF paths are still relative to the repository root
    std::fs::create_dir_all(d.path().join("sub")).unwrap();
    let o = greenlight(
        &d.path().join("sub"),
        &["diff", "--base", "HEAD", "--format", "sarif"],
    );
    let v = parsed(&o);
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "template.yaml",
        "{v}"
    );
}

/// `diff OLD NEW` on two templates: whole (units matched by logical id) or one unit each.
#[test]
fn diff_between_templates_whole_or_by_document() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "old.yaml", TEMPLATE);
    write(
        d.path(),
        "new.yaml",
        &TEMPLATE.replace("Action: logs:PutLogEvents", "Action: logs:Put*"),
    );
    let o = greenlight(
        d.path(),
        &["diff", "old.yaml", "new.yaml", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    assert_eq!(v["added"][0]["document"], "DeployRole");
    assert!(added_actions(&v).contains(&"logs:PutRetentionPolicy".to_string()));
    let o = greenlight(
        d.path(),
        &[
            "diff",
            "old.yaml#DeployRole",
            "new.yaml#DeployRole",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    // the trust policy did not change
    let trust = "Resources/DeployRole/AssumeRolePolicyDocument";
    let o = greenlight(
        d.path(),
        &[
            "diff",
            &format!("old.yaml#{trust}"),
            &format!("new.yaml#{trust}"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // a unit that does not exist, and a selector on one side only
    let o = greenlight(d.path(), &["diff", "old.yaml#Nope", "new.yaml#Nope"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("units of the file: DeployRole"),
        "{}",
        show(&o)
    );
    let o = greenlight(d.path(), &["diff", "old.yaml#DeployRole", "new.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    // a plain policy file against one unit: the role grants what the file grants
    write(
        d.path(),
        "p.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:us-east-1:111122223333:log-group:app:*"}]}"#,
    );
    let o = greenlight(d.path(), &["diff", "p.json", "old.yaml#DeployRole"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let o = greenlight(d.path(), &["diff", "p.json", "new.yaml#DeployRole"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

/// `verify` on a template and on a directory: every principal and document verified, the
/// counterexample naming the unit it came from.
#[test]
fn verify_on_templates_and_directories_names_the_document() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "infra/template.yaml",
        &TEMPLATE.replace("Action: logs:PutLogEvents", "Action: logs:*"),
    );
    write(d.path(), "infra/p.json", READ);
    write(d.path(), "infra/package.json", r#"{"name":"app"}"#);
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra",
            "--not-granted",
            "logs:DeleteLogGroup",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let a = &v["assertions"][0];
    assert_eq!(a["kind"], "notGranted");
    assert_eq!(a["holds"], false);
    // the role's permissions, its trust policy, and the plain file
    assert_eq!(a["checked"], 3, "{v}");
    let c = &a["counterexamples"][0];
    assert_eq!(c["action"], "logs:DeleteLogGroup");
    assert_eq!(c["document"], "DeployRole");
    assert!(c["path"].as_str().unwrap().ends_with("template.yaml"));
    assert!(
        c["statements"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("template.yaml#Resources/DeployRole/Policies/Deploy")
    );
    // holds where nothing grants it
    let o = greenlight(d.path(), &["verify", "infra", "--not-granted", "iam:*"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // a trust policy to a service principal is not public
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/template.yaml",
            "--no-public-access",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(parsed(&o)["assertions"][0]["checked"], 1);
    // one unit
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "infra/template.yaml#DeployRole",
            "--not-granted",
            "logs:DeleteLogGroup",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
}

/// A condition that becomes undecidable (its parameter loses its default) splits the template
/// into variants (`DeployRole [when IsProd=...]`); each is compared with the role as it was,
/// so only the branch that grants more is an addition.
/// (CloudFormation `Fn::If`: <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html>)
#[test]
fn template_variants_are_compared_with_the_role_as_it_was() {
    let template = |default: &str| {
        format!(
            "Parameters:
  Env:
    Type: String{default}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: Deploy
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Sid: Read
                Effect: Allow
                Action: !If [IsProd, s3:GetObject, s3:*]
                Resource: arn:aws:s3:::example-bucket/*
"
        )
    };
    let d = repo(&[("t.yaml", &template("\n    Default: prod"))]);
    write(d.path(), "t.yaml", &template(""));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let docs: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["DeployRole [when IsProd=false]"], "{v}");
    assert!(added_actions(&v).contains(&"s3:PutObject".to_string()));
    // nothing the prod branch grants is new, and nothing is removed
    assert_eq!(v["summary"]["removed"], 0, "{v}");
    // one unit of one combination
    let o = greenlight(
        d.path(),
        &[
            "verify",
            "t.yaml#DeployRole",
            "--not-granted",
            "s3:PutObject",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("differs between combinations"),
        "{}",
        show(&o)
    );
    for (when, code) in [("false", 1), ("true", 0)] {
        let unit = format!("t.yaml#DeployRole [when IsProd={when}]");
        let o = greenlight(
            d.path(),
            &["verify", &unit, "--not-granted", "s3:PutObject"],
        );
        assert_eq!(o.status.code(), Some(code), "{}", show(&o));
    }
}

/// `scan --template DIR`: every template and plan under the directory (found by the
/// discovery walk), each row naming its template; the same verdict per principal as
/// `scan --template FILE`.
#[test]
fn scan_on_a_directory_of_templates() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/templates");
    let scan = |template: &str| {
        let o = greenlight(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &[
                "scan",
                "--profile",
                "ecs-codedeploy-service-role",
                "--format",
                "json",
                "--template",
                template,
            ],
        );
        (o.status.code(), parsed(&o))
    };
    let (code, v) = scan(dir);
    assert_eq!(code, Some(1), "{v}");
    let rows = v["principals"].as_array().unwrap();
    let row = |suffix: &str| {
        rows.iter()
            .find(|r| r["template"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no row of {suffix}: {v}"))
    };
    let cdk = row("cdk.out/BlueGreenStack.template.json");
    assert_eq!(cdk["logicalId"], "CodeDeployRole6F8A1C42");
    assert_eq!(cdk["status"], "complete");
    assert_eq!(row("plan.json")["logicalId"], "aws_iam_role.codedeploy");
    let (_, one) = scan(&format!("{dir}/codedeploy-ecs-role.yaml"));
    let from_dir = row("codedeploy-ecs-role.yaml");
    assert_eq!(one["principals"][0]["status"], from_dir["status"]);
    assert_eq!(one["principals"][0]["gaps"], from_dir["gaps"]);
    // a directory without templates
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "package.json", r#"{"name":"app"}"#);
    let o = greenlight(
        empty.path(),
        &[
            "scan",
            "--profile",
            "ecs-codedeploy-service-role",
            "--template",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert!(
        show(&o).contains("no template or plan under"),
        "{}",
        show(&o)
    );
}

/// A Terraform plan (`terraform show -json`, fixture of tests/fixtures/templates): an action
/// added to an `aws_iam_policy` attached to a user is added to the user, named by address.
/// (JSON format: <https://developer.hashicorp.com/terraform/internals/json-format>)
#[test]
fn a_terraform_plan_change_is_named_by_address() {
    let plan = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/templates/plan.json"
    ))
    .unwrap();
    let d = repo(&[("plan.json", &plan)]);
    let needle = r#"\"lambda:ListFunctions\""#;
    assert_eq!(plan.matches(needle).count(), 1);
    write(
        d.path(),
        "plan.json",
        &plan.replace(
            needle,
            r#"\"lambda:ListFunctions\",\"lambda:InvokeFunction\""#,
        ),
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
    let g = &v["added"][0];
    assert_eq!(g["path"], "plan.json");
    assert!(
        g["document"].as_str().unwrap().starts_with("aws_iam_user."),
        "{v}"
    );
    assert_eq!(g["actions"], serde_json::json!(["lambda:InvokeFunction"]));
}

/// A bucket policy opened from one account to everyone (`"Principal": "*"`): an addition of
/// the resource policy, with the caller of the example.
/// (Principal element: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>)
#[test]
fn a_bucket_policy_opened_to_everyone_is_added() {
    let template = |principal: &str| {
        format!(
            "Resources:
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: example-bucket
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Sid: Read
            Effect: Allow
            Principal: {principal}
            Action: s3:GetObject
            Resource: arn:aws:s3:::example-bucket/*
"
        )
    };
    let d = repo(&[("bucket.yaml", &template("{AWS: '111122223333'}"))]);
    write(d.path(), "bucket.yaml", &template("'*'"));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let g = &v["added"][0];
    assert_eq!(g["document"], "Resources/BucketPolicy/PolicyDocument");
    assert_eq!(g["policyType"], "resource");
    assert_eq!(g["actions"], serde_json::json!(["s3:GetObject"]));
    let principal = g["example"]["principal"].as_str().unwrap();
    assert!(!principal.contains("111122223333"), "{principal}");
    assert_eq!(v["summary"]["removed"], 0, "{v}");
}

/// A permissions boundary caps what a role's policies grant (IAM docs: "the effective
/// permissions are the intersection", <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>):
/// widening the inline policy beyond the boundary adds nothing; widening the boundary does.
#[test]
fn a_permissions_boundary_caps_what_a_template_role_gains() {
    let template = |inline: &str, boundary: &str| {
        format!(
            "Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: {boundary}
            Resource: '*'
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: Deploy
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: {inline}
                Resource: '*'
"
        )
    };
    let d = repo(&[(
        "t.yaml",
        &template("logs:PutLogEvents", "logs:PutLogEvents"),
    )]);
    write(d.path(), "t.yaml", &template("logs:*", "logs:PutLogEvents"));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    write(d.path(), "t.yaml", &template("logs:*", "logs:Put*"));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["added"][0]["document"], "DeployRole", "{v}");
    let actions = added_actions(&v);
    assert!(
        actions.contains(&"logs:PutRetentionPolicy".to_string()),
        "{v}"
    );
    assert!(!actions.iter().any(|a| a.starts_with("logs:Delete")), "{v}");
}

/// A change of `terraform.tfvars` is a change of its folder's module: Terraform loads the file
/// automatically
/// (<https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files>),
/// and greenlight reads it with the module, so widening an action there is added (red team
/// 23: the file was skipped and the module never re-read).
#[test]
fn a_changed_variables_file_is_compared_with_its_module() {
    let main = r#"variable "actions" {}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"#;
    let d = repo(&[
        ("infra/main.tf", main),
        ("infra/terraform.tfvars", "actions = [\"s3:GetObject\"]\n"),
    ]);
    write(
        d.path(),
        "infra/terraform.tfvars",
        "actions = [\"s3:GetObject\", \"iam:CreateUser\"]\n",
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(added_actions(&v), ["iam:CreateUser"]);
}

/// A tracked file stays tracked (and deployed) when a later `.gitignore` or `.ignore` line names
/// it ("Files already tracked by Git are not affected", <https://git-scm.com/docs/gitignore>):
/// its change is compared all the same (red team 23: one ignore line switched the gate off). A
/// folder named `target` is walked (a deployment folder may be named so).
#[test]
fn ignore_rules_do_not_hide_a_tracked_change() {
    let d = repo(&[("policies/role.json", READ)]);
    write(d.path(), ".gitignore", "policies/role.json\n");
    write(d.path(), ".ignore", "policies/\n");
    write(d.path(), "policies/role.json", READ_WRITE);
    write(d.path(), "deploy/target/new.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let files: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["deploy/target/new.json", "policies/role.json"],
        "{v}"
    );
}

/// The revision's variable definitions files are read at the repository root too (the file of
/// a revision is named `REF:terraform.tfvars`), a deleted one is a change of its module (the
/// default applies again), and naming the module's `.tf` file takes its folder's variable
/// files along (red team 25: each was exit 0 on a widening).
#[test]
fn variables_files_at_the_root_deleted_or_beside_a_named_file() {
    let main = r#"variable "actions" { default = ["*"] }
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
"#;
    // at the root: a widening in the variables file
    let d = repo(&[
        ("main.tf", main),
        ("terraform.tfvars", "actions = [\"s3:GetObject\"]\n"),
    ]);
    write(
        d.path(),
        "terraform.tfvars",
        "actions = [\"s3:GetObject\", \"iam:PassRole\"]\n",
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(added_actions(&v), ["iam:PassRole"]);
    // deleted: the default `*` applies
    let d = repo(&[
        ("stack/main.tf", main),
        ("stack/terraform.tfvars", "actions = [\"s3:GetObject\"]\n"),
    ]);
    std::fs::remove_file(d.path().join("stack/terraform.tfvars")).unwrap();
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(added_actions(&v).len() > 1, "{v}");
    // the module's `.tf` file named: its variables file is compared with it
    let d = repo(&[
        ("stack/main.tf", main),
        ("stack/terraform.tfvars", "actions = [\"s3:GetObject\"]\n"),
    ]);
    write(
        d.path(),
        "stack/terraform.tfvars",
        "actions = [\"s3:GetObject\", \"s3:PutObject\"]\n",
    );
    let (o, v) = base_json(d.path(), &["stack/main.tf"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(added_actions(&v), ["s3:PutObject"]);
}

/// A permissions boundary (or an SCP) restricts: deleting its file lifts what it kept out
/// ("A permissions boundary ... does not grant permissions on its own",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>), and a
/// new one only restricts (red team 52: a deleted boundary was "removed", exit 0).
#[test]
fn a_deleted_boundary_lifts_what_it_kept_out() {
    const BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    for kind in ["boundary", "scp"] {
        let d = repo(&[("guard.json", BOUNDARY)]);
        std::fs::remove_file(d.path().join("guard.json")).unwrap();
        let (o, v) = base_json(d.path(), &["--policy-type", kind]);
        assert_eq!(o.status.code(), Some(1), "{kind}: {}", show(&o));
        assert!(
            added_actions(&v).iter().any(|a| a.starts_with("iam:")),
            "{kind}: {v}"
        );
        // a new one restricts only
        let d = repo(&[("other.json", READ)]);
        write(d.path(), "guard.json", BOUNDARY);
        let (o, v) = base_json(d.path(), &["--policy-type", kind, "guard.json"]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", show(&o));
        assert_eq!(v["summary"]["added"], 0, "{kind}: {v}");
    }
}

/// A template parameter file of the repository that changed since the base: each side's
/// templates take that side's values, so a parameter widening `Actions` to `*` is added, and a
/// change of another parameter (or of the file's layout) adds nothing (red teams 52, 53: the
/// first was "0 added", a first fix made every change `unknown`).
#[test]
fn a_changed_template_parameter_file_is_compared_side_by_side() {
    const T: &str = "AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Actions:
    Type: CommaDelimitedList
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: !Ref Actions
                Resource: '*'
";
    let params = |a: &str, tag: &str| {
        format!(
            r#"[{{"ParameterKey":"Actions","ParameterValue":"{a}"}},{{"ParameterKey":"ImageTag","ParameterValue":"{tag}"}}]"#
        )
    };
    let t = T.replace(
        "Parameters:\n",
        "Parameters:\n  ImageTag:\n    Type: String\n",
    );
    let d = repo(&[
        ("template.yaml", t.as_str()),
        ("params.json", &params("s3:GetObject", "v1")),
    ]);
    let (o, _) = base_json(d.path(), &["--template-params", "params.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    // another parameter, and the layout: nothing added
    write(
        d.path(),
        "params.json",
        &params("s3:GetObject", "v2").replace(',', ",\n  "),
    );
    let (o, v) = base_json(d.path(), &["--template-params", "params.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    // `Actions` widened: added
    write(d.path(), "params.json", &params("*", "v2"));
    let (o, v) = base_json(d.path(), &["--template-params", "params.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 1, "{v}");
}

/// A file moved without change (`git mv`: a policy file, a template) grants nothing new; moved
/// and widened, the widening is added (red team 52: a move was "all removed, all added").
#[test]
fn a_file_moved_without_change_adds_nothing() {
    let d = repo(&[("p.json", READ), ("a.yaml", TEMPLATE)]);
    std::fs::create_dir_all(d.path().join("sub")).unwrap();
    git(d.path(), &["mv", "p.json", "sub/p.json"]);
    git(d.path(), &["mv", "a.yaml", "b.yaml"]);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert_eq!(v["summary"]["removed"], 0, "{v}");
    write(d.path(), "sub/p.json", READ_WRITE);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&v).contains(&"s3:PutObject".to_string()),
        "{v}"
    );
}

/// An SCP of `Allow` statements alone (the allow-list strategy of the AWS Organizations guide)
/// deleted narrows nothing: at its level another SCP (`FullAWSAccess`) must allow anyway (red
/// team 53: "1 added").
#[test]
fn a_deleted_allow_list_scp_adds_nothing() {
    const ALLOW_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*","cloudwatch:*"],"Resource":"*"}]}"#;
    let d = repo(&[("scp.json", ALLOW_LIST)]);
    std::fs::remove_file(d.path().join("scp.json")).unwrap();
    let (o, v) = base_json(d.path(), &["--policy-type", "scp"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
}

/// A policy file that is a symlink inside the repository is the file it points to at the base
/// too (git stores the link text; red team 52): re-pointing it at an identical file adds
/// nothing, a Terraform `file()` through a symlinked folder is read at the base, and pointing
/// it at a wider policy is an addition.
#[cfg(unix)]
#[test]
fn a_symlinked_policy_is_read_through_its_link_at_the_base() {
    let d = repo(&[
        ("pol/v1.json", READ),
        ("pol/v2.json", READ),
        ("pol/wide.json", READ_WRITE),
    ]);
    std::os::unix::fs::symlink("pol/v1.json", d.path().join("current.json")).unwrap();
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "--quiet", "-m", "link"]);
    // no change: nothing added (the base's side is the policy, not the text `pol/v1.json`)
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    // re-pointed at an identical policy: nothing added
    std::fs::remove_file(d.path().join("current.json")).unwrap();
    std::os::unix::fs::symlink("pol/v2.json", d.path().join("current.json")).unwrap();
    let (o, v) = base_json(d.path(), &["current.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert_eq!(v["summary"]["removed"], 0, "{v}");
    // re-pointed at a wider policy: `s3:PutObject` added
    std::fs::remove_file(d.path().join("current.json")).unwrap();
    std::os::unix::fs::symlink("pol/wide.json", d.path().join("current.json")).unwrap();
    let (o, v) = base_json(d.path(), &["current.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&v).contains(&"s3:PutObject".to_string()),
        "{v}"
    );
}

/// A Terraform module whose `file()` reads its policy through a symlinked folder is read at
/// the base through the link too: an edit that changes no permission adds nothing (it was
/// "not a file at HEAD": all added, red team 52).
#[cfg(unix)]
#[test]
fn a_terraform_file_read_through_a_symlinked_folder_is_read_at_the_base() {
    let main = r#"resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role_policy" "app" {
  name   = "app"
  role   = aws_iam_role.app.id
  policy = file("${path.module}/policies/p.json")
}
"#;
    let d = repo(&[
        ("shared/policies/p.json", READ),
        ("envs/prod/main.tf", main),
    ]);
    std::os::unix::fs::symlink("../../shared/policies", d.path().join("envs/prod/policies"))
        .unwrap();
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "--quiet", "-m", "link"]);
    write(
        d.path(),
        "envs/prod/main.tf",
        &main.replace(
            "name               = \"app\"",
            "name               = \"app\"\n  description        = \"x\"",
        ),
    );
    let (o, v) = base_json(d.path(), &["envs/prod"]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
}

/// SARIF of `diff --base`: a file deleted since the base is located relative to the
/// repository root like the others, and no location (physical or logical) carries the
/// machine's absolute path (GitHub code scanning resolves `uri` against the checkout; red
/// team 52).
#[test]
fn sarif_locations_of_deleted_files_and_templates_are_repository_relative() {
    let d = repo(&[("infra/iam/old.json", READ), ("template.yaml", TEMPLATE)]);
    git(d.path(), &["rm", "--quiet", "infra/iam/old.json"]);
    write(
        d.path(),
        "template.yaml",
        &TEMPLATE.replace("Action: logs:PutLogEvents", "Action: logs:*"),
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let v = parsed(&o);
    let results = v["runs"][0]["results"].as_array().unwrap();
    let removed = results
        .iter()
        .find(|r| r["ruleId"] == "diff/removed")
        .unwrap();
    assert_eq!(
        removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/iam/old.json",
        "{v}"
    );
    let root = d.path().canonicalize().unwrap();
    let text = v.to_string();
    assert!(!text.contains(root.to_str().unwrap()), "{text}");
    assert!(!text.contains("file://"), "{text}");
    let added = results
        .iter()
        .find(|r| r["ruleId"] == "diff/added")
        .unwrap();
    assert_eq!(
        added["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "template.yaml#Resources/DeployRole/Policies/Deploy",
        "{v}"
    );
}

/// A repository that vendors policies as a git submodule: at the base, the submodule's files
/// are read from the submodule at the commit the base records (git stores only a gitlink
/// there). A clean tree adds nothing (it was "1 added" on every run, red team 52), a policy
/// widened inside the submodule is an addition, also when the path given is inside it.
#[test]
fn a_submodule_is_read_at_the_commit_the_base_records() {
    let sub = repo(&[("p.json", READ)]);
    let d = repo(&[("README.md", "x")]);
    git(
        d.path(),
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "--quiet",
            sub.path().to_str().unwrap(),
            "vendor/iam",
        ],
    );
    git(d.path(), &["commit", "--quiet", "-m", "vendor"]);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert_eq!(v["summary"]["removed"], 0, "{v}");
    // widened in the submodule's work tree (not committed anywhere)
    write(d.path(), "vendor/iam/p.json", READ_WRITE);
    for extra in [&[][..], &["vendor/iam/p.json"][..], &["vendor"][..]] {
        let (o, v) = base_json(d.path(), extra);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", show(&o));
        assert!(
            added_actions(&v).contains(&"s3:PutObject".to_string()),
            "{extra:?}: {v}"
        );
    }
    // committed in the submodule and recorded in the repository: the base (HEAD~1 of the
    // repository) still records the old commit
    git(
        &d.path().join("vendor/iam"),
        &["commit", "--quiet", "-am", "widen"],
    );
    git(d.path(), &["commit", "--quiet", "-am", "bump"]);
    let o = greenlight(d.path(), &["diff", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&parsed(&o)).contains(&"s3:PutObject".to_string()),
        "{}",
        show(&o)
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
}

/// A changed Terraform child module is compared through the module that calls it, with the
/// values the caller gives it (as `lint` reads it), not on its own with a required variable
/// unset (red team 52: a narrowing edit was an error, exit 2); named on the command line it
/// is still compared on its own.
#[test]
fn a_changed_child_module_is_compared_through_its_caller() {
    let child = r#"variable "actions" {}
resource "aws_iam_role" "this" {
  name               = "app"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Principal = {Service = "ec2.amazonaws.com"}, Action = "sts:AssumeRole"}]})
}
resource "aws_iam_role_policy" "this" {
  name   = "p"
  role   = aws_iam_role.this.id
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = var.actions, Resource = "*"}]})
}
"#;
    let caller = r#"module "app" {
  source  = "../../modules/role"
  actions = ["s3:GetObject"]
}
"#;
    let d = repo(&[
        ("modules/role/main.tf", child),
        ("envs/prod/main.tf", caller),
    ]);
    // narrowed: nothing added, exit 0 (it was exit 2)
    write(
        d.path(),
        "modules/role/main.tf",
        &child.replace("Resource = \"*\"", "Resource = \"arn:aws:s3:::b/*\""),
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("compared through the modules that call it"),
        "{}",
        show(&o)
    );
    // widened in the child: added through the caller, with the caller's values
    write(
        d.path(),
        "modules/role/main.tf",
        &child.replace(
            "Action = var.actions",
            "Action = concat(var.actions, [\"s3:PutObject\"])",
        ),
    );
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&v).contains(&"s3:PutObject".to_string()),
        "{v}"
    );
    assert!(
        units(&v, "added")
            .iter()
            .any(|(_, doc, _)| doc.starts_with("module.app.")),
        "{v}"
    );
}

/// Two Terraform folders that call each other (a module cycle, which Terraform rejects) are
/// not left to each other as callers: they are compared, and the cycle is an error (exit 2),
/// not a silent "nothing added".
#[test]
fn folders_calling_each_other_are_an_error_not_skipped() {
    let a = r#"module "b" {
  source = "../b"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "*"}]})
}
"#;
    let b = r#"module "a" {
  source = "../a"
}
"#;
    let d = repo(&[("mods/a/main.tf", a), ("mods/b/main.tf", b)]);
    write(
        d.path(),
        "mods/a/main.tf",
        &a.replace("s3:GetObject", "s3:*"),
    );
    let o = greenlight(d.path(), &["diff", "--base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
}

/// A CloudFormation resource with a `Condition` is created only when the condition is true
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html>).
/// A role that existed only `when IsProd`, moved to another file without its `Condition:`,
/// now also exists when `IsProd` is false: its `AdministratorAccess` is added there, as when
/// the `Condition:` line is removed in place. Moved with its condition, it adds nothing
/// (red team 72: matched with the unconditional role through its name, "0 added").
#[test]
fn a_moved_role_that_loses_its_condition_is_added() {
    const HEAD: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  AdminRole:
    Type: AWS::IAM::Role
";
    const BODY: &str = "    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: {AWS: \"arn:aws:iam::111122223333:root\"}
            Action: sts:AssumeRole
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
";
    let conditional = format!("{HEAD}    Condition: IsProd\n{BODY}");
    let always = format!("{HEAD}{BODY}");
    let d = repo(&[("x.yaml", &conditional)]);
    // moved with its condition: nothing added
    git(d.path(), &["mv", "x.yaml", "y.yaml"]);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert_eq!(v["summary"]["added"], 0, "{v}");
    // moved without it: the role's policies are added where `IsProd` is false
    write(d.path(), "y.yaml", &always);
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&v).iter().any(|a| a == "iam:CreateUser"),
        "{v}"
    );
    assert!(
        v["added"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["path"] == "y.yaml"),
        "{v}"
    );
}

/// A template whose resource `Type` is written in a valid YAML or JSON form the quick scan
/// does not read (the value on the next line, a folded scalar, `!!str`, JSON `\u003a`
/// escapes) is still a CloudFormation template: its role widened to `Action: "*"` is an
/// addition, and a new such file is all added (red team 72: read as "no policy", the old role
/// "removed", exit 0). A file that held policies and now reads as none is unknown (exit 2).
#[test]
fn a_template_in_forms_the_scan_misses_is_still_compared() {
    let role = |ty: &str, action: &str| {
        format!(
            "Resources:
  R:
    Type:{ty}
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: \"{action}\"
                Resource: \"*\"
"
        )
    };
    for ty in [
        "\n      AWS::IAM::Role",
        " >-\n      AWS::IAM::Role",
        " !!str AWS::IAM::Role",
    ] {
        let d = repo(&[("t.yaml", &role(" AWS::IAM::Role", "s3:GetObject"))]);
        write(d.path(), "t.yaml", &role(ty, "*"));
        write(d.path(), "new.yaml", &role(ty, "*"));
        let (o, v) = base_json(d.path(), &[]);
        assert_eq!(o.status.code(), Some(1), "{ty}: {}", show(&o));
        let paths: Vec<&str> = v["added"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["document"] == "R")
            .map(|g| g["path"].as_str().unwrap())
            .collect();
        assert!(
            paths.contains(&"t.yaml") && paths.contains(&"new.yaml"),
            "{ty}: {v}"
        );
    }
    // JSON with escapes in the type
    let json = |ty: &str, action: &str| {
        format!(
            r#"{{"Resources":{{"R":{{"Type":"{ty}","Properties":{{"AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"lambda.amazonaws.com"}},"Action":"sts:AssumeRole"}}]}},"Policies":[{{"PolicyName":"p","PolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}}}]}}}}}}}}"#
        )
    };
    let d = repo(&[("t.json", &json("AWS::IAM::Role", "s3:GetObject"))]);
    write(d.path(), "t.json", &json(r"AWS\u003a\u003aIAM::Role", "*"));
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(
        added_actions(&v).iter().any(|a| a == "iam:CreateUser"),
        "{v}"
    );
    // a template that became a file of another kind: what it grants is not known
    let d = repo(&[("t.yaml", &role(" AWS::IAM::Role", "s3:GetObject"))]);
    write(d.path(), "t.yaml", "kind: Pod\nspec: {}\n");
    let (o, v) = base_json(d.path(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert_eq!(v["unknown"][0]["path"], "t.yaml", "{v}");
    assert_eq!(v["unknown"][0]["mayHideAddition"], true, "{v}");
}

/// An explicit `Deny` overrides any `Allow` (IAM policy evaluation logic,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>).
/// Beside an attached policy whose content is not known offline (a customer managed policy not
/// in the inputs, a `!Ref` of a parameter without a value), removing a `Deny` of `iam:*` from
/// the inline policy may let through whatever that policy allows: an addition (red team 72:
/// "0 added"). The plain-file `diff` of the inline policy alone is unchanged: its `Deny` only
/// carved what it did not allow anyway.
#[test]
fn a_deny_removed_beside_a_policy_not_known_offline_is_added() {
    let template = |managed: &str, deny: bool| {
        let deny = if deny {
            "              - Effect: Deny
                Action: iam:*
                Resource: \"*\"
"
        } else {
            ""
        };
        format!(
            "AWSTemplateFormatVersion: \"2010-09-09\"
Parameters:
  CorpPolicy:
    Type: String
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - {managed}
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Version: \"2012-10-17\"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: \"*\"
{deny}"
        )
    };
    for managed in ["arn:aws:iam::123456789012:policy/Corp", "!Ref CorpPolicy"] {
        let d = repo(&[("tpl.yaml", &template(managed, true))]);
        write(d.path(), "tpl.yaml", &template(managed, false));
        let (o, v) = base_json(d.path(), &[]);
        assert_eq!(o.status.code(), Some(1), "{managed}: {}", show(&o));
        assert!(
            added_actions(&v).iter().any(|a| a == "iam:CreateUser"),
            "{managed}: {v}"
        );
        assert!(
            !added_actions(&v).iter().any(|a| a.starts_with("s3:")),
            "{managed}: {v}"
        );
    }
    // the inline policy alone, as plain files: its own grants, nothing added
    let d = tempfile::tempdir().unwrap();
    let allow = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
    let old = write(
        d.path(),
        "old.json",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{allow},{{"Effect":"Deny","Action":"iam:*","Resource":"*"}}]}}"#
        ),
    );
    let new = write(
        d.path(),
        "new.json",
        &format!(r#"{{"Version":"2012-10-17","Statement":[{allow}]}}"#),
    );
    let (code, out, err) = gl(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// What a resource policy or an SCP applies to is named apart from the document: a topic
/// policy's `Topics`, an SCP's `TargetIds`. A topic policy that now also applies to another
/// topic grants its statements there (cross-account access needs the resource's own policy,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-cross-account-resource-access.html>);
/// an SCP detached from an OU no longer denies there (an SCP restricts only the accounts it is
/// attached to, <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html>).
/// Both were "0 added" (red team 72); now each is unknown (exit 2) naming the target, and a
/// reorder of the same targets is nothing.
#[test]
fn a_resource_policy_or_scp_whose_targets_change_is_not_clean() {
    let topics = |list: &str| {
        format!(
            "AWSTemplateFormatVersion: 2010-09-09
Resources:
  PublicTopic:
    Type: AWS::SNS::Topic
  InternalTopic:
    Type: AWS::SNS::Topic
  TopicPolicy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: {list}
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: sns:Subscribe
            Resource: '*'
"
        )
    };
    let scp = |targets: &str| {
        format!(
            "AWSTemplateFormatVersion: 2010-09-09
Resources:
  DenyRegions:
    Type: AWS::Organizations::Policy
    Properties:
      Name: deny-regions
      Type: SERVICE_CONTROL_POLICY
{targets}      Content:
        Version: 2012-10-17
        Statement:
          - Effect: Deny
            NotAction: ['iam:*', 'sts:*']
            Resource: '*'
            Condition:
              StringNotEquals:
                aws:RequestedRegion: [eu-west-1]
"
        )
    };
    let cases = [
        (
            topics("[!Ref PublicTopic]"),
            topics("[!Ref PublicTopic, !Ref InternalTopic]"),
            Some("InternalTopic"),
        ),
        (
            topics("[!Ref PublicTopic, !Ref InternalTopic]"),
            topics("[!Ref InternalTopic, !Ref PublicTopic]"),
            None,
        ),
        (
            scp("      TargetIds: [ou-abcd-12345678]\n"),
            scp(""),
            Some("ou-abcd-12345678"),
        ),
        (
            scp("      TargetIds: [ou-abcd-12345678]\n"),
            scp("      TargetIds: [ou-zzzz-99999999]\n"),
            Some("ou-abcd-12345678"),
        ),
        (
            scp("      TargetIds: [ou-abcd-12345678]\n"),
            scp("      TargetIds: [ou-abcd-12345678, ou-zzzz-99999999]\n"),
            None,
        ),
    ];
    for (old, new, named) in cases {
        let d = repo(&[("t.yaml", &old)]);
        write(d.path(), "t.yaml", &new);
        let (o, v) = base_json(d.path(), &[]);
        match named {
            Some(n) => {
                assert_eq!(o.status.code(), Some(2), "{new}\n{}", show(&o));
                assert!(v["unknown"].to_string().contains(n), "{new}\n{v}");
            }
            None => {
                assert_eq!(o.status.code(), Some(0), "{new}\n{}", show(&o));
            }
        }
    }
}
