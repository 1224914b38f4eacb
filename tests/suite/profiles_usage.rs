//! Profiles match what users run (issue 10, section 4).
//!
//! Console profiles request resource ARNs wherever the catalog (Service Authorization
//! Reference) gives an action resource types, so a policy scoped to the service passes.
//!
//! Optional parts of the CodeDeploy service-role profiles: lifecycle-hook
//! functions, SNS triggers, S3 revisions and the task role are requirements only when a switch
//! turns them on. Each is an optional feature in the AWS documentation:
//! hooks — https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
//! (the `Hooks` section is optional); triggers —
//! https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-sns-event-notifications-create-trigger.html;
//! S3 revisions — an ECS deployment's AppSpec may be given inline
//! (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RevisionLocation.html,
//! `AppSpecContent`); task role — optional in a task definition
//! (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
//! The tight role below grants exactly AWSCodeDeployRoleForECS statement 1 without the
//! optional actions, scoped the way the managed policy's actions allow.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(name: &str, doc: &Value) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("optional-parts");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.json"));
    std::fs::write(&p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    p.to_string_lossy().into_owned()
}

/// AWSCodeDeployRoleForECS v3 statement 1 without lambda, sns and s3, plus iam:PassRole on the
/// task execution role only (passed to ecs-tasks.amazonaws.com as in statement 2)
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForECS.html).
fn tight_role() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Resource": "*", "Action": [
            "ecs:DescribeServices", "ecs:CreateTaskSet", "ecs:UpdateServicePrimaryTaskSet",
            "ecs:DeleteTaskSet", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:ModifyRule",
            "cloudwatch:DescribeAlarms"]},
        {"Effect": "Allow", "Action": "iam:PassRole",
         "Resource": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
         "Condition": {"StringLike": {"iam:PassedToService": ["ecs-tasks.amazonaws.com"]}}}
    ]})
}

fn gaps(profile: &str, file: &str, params: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["check", "--profile", profile, "--format", "json", file];
    for p in params {
        args.push("--param");
        args.push(p);
    }
    let (code, out, err) = run(&args);
    assert!(code == 0 || code == 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut g: Vec<String> = v["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] != "allowed")
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect();
    g.sort();
    (code, g)
}

#[test]
fn a_tight_role_without_optional_parts_has_no_gaps() {
    let f = write("tight", &tight_role());
    for profile in [
        "ecs-codedeploy-service-role",
        "ecs-codedeploy-service-role-limited",
    ] {
        let (code, g) = gaps(profile, &f, &[]);
        assert_eq!(code, 0, "{profile}: {g:?}");
        assert!(g.is_empty());
    }
    // Each switch brings back exactly its part.
    for (switch, expected) in [
        ("hooks=true", vec!["lambda:InvokeFunction"]),
        ("triggers=true", vec!["sns:Publish"]),
        (
            "s3_revisions=true",
            vec!["s3:GetObject", "s3:GetObjectVersion"],
        ),
        ("pass_task_role=true", vec!["iam:PassRole"]),
    ] {
        let (code, g) = gaps("ecs-codedeploy-service-role", &f, &[switch]);
        assert_eq!(code, 1, "{switch}");
        assert_eq!(g, expected, "{switch}");
    }
}

#[test]
fn profiles_show_says_which_parts_are_optional() {
    let (code, out, _) = run(&["profiles", "show", "ecs-codedeploy-service-role"]);
    assert_eq!(code, 0);
    for sw in ["hooks", "triggers", "s3_revisions", "pass_task_role"] {
        assert!(
            out.contains(&format!("on with --param {sw}=true")),
            "{sw}: {out}"
        );
    }
    let (code, out, _) = run(&[
        "profiles",
        "show",
        "ecs-codedeploy-service-role",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let lambda = v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "lambda:InvokeFunction")
        .unwrap();
    assert_eq!(lambda["optional"]["parameter"], "hooks");
    assert_eq!(lambda["optional"]["default"], false);
    let hooks = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "hooks")
        .unwrap();
    assert_eq!(hooks["default"], "false");
}

#[test]
fn generate_omits_optional_parts_unless_turned_on() {
    for profile in [
        "ecs-codedeploy-service-role",
        "ecs-codedeploy-service-role-limited",
    ] {
        let (code, out, err) = run(&["generate", "--profile", profile]);
        assert_eq!(code, 0, "{err}");
        for a in ["lambda:InvokeFunction", "sns:Publish", "s3:GetObject"] {
            assert!(!out.contains(a), "{profile}: {a} generated by default");
        }
        assert!(!out.contains(":role/ecsTaskRole"), "{profile}");
        let (code, out, err) = run(&[
            "generate",
            "--profile",
            profile,
            "--param",
            "hooks=true",
            "--param",
            "triggers=true",
            "--param",
            "s3_revisions=true",
        ]);
        assert_eq!(code, 0, "{err}");
        for a in ["lambda:InvokeFunction", "sns:Publish", "s3:GetObject"] {
            assert!(out.contains(a), "{profile}: {a} not generated when on");
        }
    }
}

// ---- console profiles: resource ARNs -------------------------------------------------------------

/// The ECS guide's create-service console example, with every action that has resource types
/// scoped to the `default` cluster and its services (the ARN formats of the Service
/// Authorization Reference,
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html),
/// plus the blue/green user permissions
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html).
fn scoped_console(service_action: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": [service_action, "ecs:DescribeServices",
            "ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments",
            "ecs:DescribeServiceRevisions", "ecs:DescribeExpressGatewayService"],
         "Resource": [
            "arn:aws:ecs:us-east-1:123456789012:service/default/*",
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/default/*",
            "arn:aws:ecs:us-east-1:123456789012:service-revision/default/*"]},
        {"Effect": "Allow", "Action": ["ecs:DescribeClusters", "ecs:ListAttributes",
            "ecs:ListContainerInstances"],
         "Resource": "arn:aws:ecs:us-east-1:123456789012:cluster/default"},
        {"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"],
         "Resource": "arn:aws:ecs:us-east-1:123456789012:*"},
        {"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:List*"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["application-autoscaling:*", "cloudwatch:DescribeAlarms",
            "cloudwatch:PutMetricAlarm", "elasticloadbalancing:Describe*", "iam:*",
            "codedeploy:*", "sns:ListTopics", "lambda:ListFunctions"],
         "Resource": "*"}
    ]})
}

#[test]
fn console_create_service_on_the_service_arn_is_not_missing() {
    // A policy that grants ecs:CreateService only on `service/default/*`.
    let doc = scoped_console("ecs:CreateService");
    let f = write("console-create-scoped", &doc);
    let (_, g) = gaps("ecs-bluegreen-console-create-service", &f, &[]);
    assert!(!g.contains(&"ecs:CreateService".to_string()), "{g:?}");
    assert!(!g.contains(&"ecs:DescribeServices".to_string()), "{g:?}");
    let f = write(
        "console-update-scoped",
        &scoped_console("ecs:UpdateService"),
    );
    let (_, g) = gaps("ecs-bluegreen-console-update-service", &f, &[]);
    assert!(!g.contains(&"ecs:UpdateService".to_string()), "{g:?}");
    // Another cluster's services do not cover it.
    let other = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "ecs:CreateService",
        "Resource": "arn:aws:ecs:us-east-1:123456789012:service/other/*"}]});
    let f = write("console-create-other", &other);
    let (code, g) = gaps("ecs-bluegreen-console-create-service", &f, &[]);
    assert_eq!(code, 1);
    assert!(g.contains(&"ecs:CreateService".to_string()));
}

#[test]
fn console_requests_use_the_catalog_resource_types() {
    let (code, out, err) = run(&[
        "check",
        "--profile",
        "ecs-bluegreen-console-create-service",
        "--format",
        "json",
        &root()
            .join("tests/fixtures/aws/ecs-console-create-service-example.json")
            .to_string_lossy(),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let reqs = v["profiles"][0]["requirements"].as_array().unwrap();
    let res = |a: &str| -> Vec<String> {
        reqs.iter()
            .filter(|r| r["action"] == a)
            .map(|r| r["resource"].as_str().unwrap().to_string())
            .collect()
    };
    // SAR: CreateService and DescribeServices take `service`, DescribeClusters `cluster`;
    // ListClusters and DescribeTaskDefinition take no resource type.
    assert_eq!(
        res("ecs:CreateService"),
        ["arn:aws:ecs:us-east-1:123456789012:service/default/my-service"]
    );
    assert_eq!(
        res("ecs:DescribeServices"),
        ["arn:aws:ecs:us-east-1:123456789012:service/default/my-service"]
    );
    assert_eq!(
        res("ecs:DescribeClusters"),
        ["arn:aws:ecs:us-east-1:123456789012:cluster/default"]
    );
    assert_eq!(res("ecs:ListClusters"), ["*"]);
    assert_eq!(res("ecs:DescribeTaskDefinition"), ["*"]);
    // The example itself (everything on `*`) still covers all of them.
    for r in reqs {
        if r["action"].as_str().unwrap().starts_with("ecs:") {
            assert_eq!(r["decision"], "allowed", "{r}");
        }
    }
}
