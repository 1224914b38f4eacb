//! Terraform plan scan speed: a generated `terraform show -json` plan of 8,600 roles (each with
//! a trust policy for `codedeploy.amazonaws.com`, a ~5 KB inline policy and
//! `AWSCodeDeployRoleForECS`), about 50 MB, scanned by the release binary (whole process, best
//! of 5) with `scan --template PLAN --profile ecs-codedeploy-service-role`.
//!
//! ```sh
//! cargo build --release --no-default-features
//! cargo bench --no-default-features --bench plan
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::json;

/// The plan, in the documented format (https://developer.hashicorp.com/terraform/internals/json-format).
fn plan(roles: usize) -> String {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    .to_string();
    let mut statements = Vec::new();
    let mut i = 0;
    while serde_json::to_string(&statements).unwrap().len() < 4_700 {
        statements.push(json!({"Sid": format!("S{i}"), "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "sqs:SendMessage"],
            "Resource": [format!("arn:aws:s3:::bucket-{i}/*"), format!("arn:aws:sqs:us-east-1:111122223333:q{i}")]}));
        i += 1;
    }
    let inline = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    let mut resources = Vec::with_capacity(roles);
    let mut changes = Vec::with_capacity(roles);
    for k in 0..roles {
        let address = format!("aws_iam_role.r{k}");
        resources.push(
            json!({"address": address, "mode": "managed", "type": "aws_iam_role",
            "name": format!("r{k}"), "values": {"name": format!("role-{k}"),
            "assume_role_policy": trust, "inline_policy": [{"name": "inline", "policy": inline}],
            "managed_policy_arns": ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"]}}),
        );
        changes.push(json!({"address": address, "change": {"actions": ["create"],
            "after_unknown": {"arn": true, "id": true}}}));
    }
    json!({"format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes, "configuration": {"root_module": {"resources": []}}})
    .to_string()
}

fn main() {
    let dir = std::env::temp_dir().join("greenlight-plan-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan-8600-roles.json");
    let text = plan(8_600);
    std::fs::write(&path, &text).unwrap();
    println!(
        "plan: {} ({:.1} MB)",
        path.display(),
        text.len() as f64 / 1e6
    );
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/greenlight");
    if !bin.exists() {
        println!(
            "no target/release/greenlight: run `cargo build --release --no-default-features` first"
        );
        return;
    }
    let runs = 5;
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        let out = std::process::Command::new(&bin)
            .args(["scan", "--template"])
            .arg(&path)
            .args(["--profile", "ecs-codedeploy-service-role"])
            .output()
            .unwrap();
        best = best.min(started.elapsed());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 8_600);
    }
    println!(
        "whole process `greenlight scan --template` (target/release): best {:.2} s of {runs}",
        best.as_secs_f64()
    );
}
