//! `greenlight check` and `greenlight generate` run as a user runs them. Expected outcomes come
//! from the AWS documents the fixtures reproduce (see tests/fixtures/aws/README.md), not from
//! the program's own output.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fx(name: &str) -> String {
    let p = if name.starts_with("policies/") {
        root().join(name)
    } else {
        root().join("tests/fixtures").join(name)
    };
    p.to_string_lossy().into_owned()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `check --format json` and returns (exit code, document).
fn check(profile: &str, files: &[&str], extra: &[&str]) -> (i32, Value) {
    let paths: Vec<String> = files.iter().map(|f| fx(f)).collect();
    let mut args: Vec<&str> = vec!["check", "--profile", profile, "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    args.extend_from_slice(extra);
    let r = run(&args);
    assert!(
        r.code == 0 || r.code == 1,
        "exit {} for {args:?}: {}",
        r.code,
        r.stderr
    );
    (r.code, serde_json::from_str(&r.stdout).unwrap())
}

/// (action, resource) of every requirement with this decision.
fn with_decision(doc: &Value, decision: &str) -> Vec<(String, String)> {
    doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] == decision)
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn gap_actions(doc: &Value) -> Vec<String> {
    let mut v: Vec<String> = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] != "allowed")
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

const USER: &str = "ecs-bluegreen-codedeploy-user";
const ROLE: &str = "ecs-codedeploy-service-role";
const LIMITED: &str = "ecs-codedeploy-service-role-limited";

// ---- ecs-bluegreen-codedeploy-user ------------------------------------------------------------

#[test]
fn seed_policy_lacks_only_pass_role() {
    // The guide's policy has the 25 actions on `*` and no iam:PassRole (the note says users
    // also need it): exactly the three iam:PassRole requirements are gaps.
    let (code, doc) = check(USER, &["policies/examples/ecs-bluegreen-seed.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], 3);
    assert_eq!(doc["profiles"][0]["gaps"], 3);
    assert_eq!(gap_actions(&doc), ["iam:PassRole"; 3]);
    assert_eq!(with_decision(&doc, "allowed").len(), 25);
    let missing = with_decision(&doc, "implicitDeny");
    assert_eq!(
        missing.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(),
        [
            "arn:aws:iam::123456789012:role/ecsCodeDeployRole",
            "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "arn:aws:iam::123456789012:role/ecsTaskRole"
        ]
    );
    // Allowed requirements name the statement that allows them: the seed's only statement
    // (no Sid, on line 1 of the one-line document).
    let first = &doc["profiles"][0]["requirements"][0];
    assert_eq!(first["action"], "codedeploy:CreateApplication");
    let m = &first["matchedStatements"][0];
    assert!(
        m["file"]
            .as_str()
            .unwrap()
            .ends_with("ecs-bluegreen-seed.json")
    );
    assert_eq!(m["sid"], Value::Null);
    assert_eq!(m["line"], 1);
    // Missing ones name no statement.
    let pass = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["decision"] == "implicitDeny")
        .unwrap();
    assert_eq!(pass["matchedStatements"].as_array().unwrap().len(), 0);
    assert_eq!(doc["profiles"][0]["trust"], Value::Null);
}

#[test]
fn quick_start_command_exits_1_with_a_table() {
    let r = run(&[
        "check",
        "--profile",
        USER,
        "policies/examples/ecs-bluegreen-seed.json",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("MISSING (implicitDeny)"));
    assert!(
        r.stdout
            .contains("iam:PassedToService=codedeploy.amazonaws.com")
    );
    assert!(
        r.stdout
            .contains("25 of 28 requirements allowed, 3 missing, 0 denied")
    );
    assert!(r.stdout.contains("3 gaps in 1 profile"));
}

#[test]
fn complete_policy_has_no_gap() {
    let (code, doc) = check(USER, &["check/user-complete.json"], &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["gaps"], 0);
    let r = run(&[
        "check",
        "--profile",
        USER,
        "policies/examples/ecs-bluegreen-user-complete.json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn wildcards_are_expanded_like_aws_does() {
    let (code, doc) = check(USER, &["check/user-wildcards.json"], &[]);
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn not_action_grants_all_but_the_listed_actions() {
    // NotAction [codedeploy:StopDeployment, iam:*] + Allow on `*`: everything but those; the
    // second statement gives iam:PassRole back.
    let (code, doc) = check(USER, &["check/user-notaction.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(gap_actions(&doc), ["codedeploy:StopDeployment"]);
    assert_eq!(
        with_decision(&doc, "implicitDeny")[0].0,
        "codedeploy:StopDeployment"
    );
}

#[test]
fn an_explicit_deny_names_the_denying_statement() {
    let (code, doc) = check(USER, &["check/user-deny.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], 1);
    let denied = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["decision"] == "explicitDeny")
        .unwrap();
    assert_eq!(denied["action"], "codedeploy:StopDeployment");
    let m = &denied["matchedStatements"][0];
    assert_eq!(m["sid"], "NoStopping");
    assert_eq!(m["line"], 16);
    // Text output points into the file with a diagnostic.
    let r = run(&["check", "--profile", USER, &fx("check/user-deny.json")]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("DENIED (explicitDeny)"));
    // the diagnostic's message may wrap (miette continues it with `│`)
    let flat = r.stdout.replace("\n  │ ", " ");
    assert!(flat.contains("is explicitly denied by"), "{}", r.stdout);
    assert!(r.stdout.contains("this statement denies it"));
    assert!(r.stdout.contains("(Sid `NoStopping`)"));
}

#[test]
fn a_boundary_limits_what_identity_policies_grant() {
    // The boundary allows only codedeploy:*: sns, cloudwatch, lambda and the three
    // iam:PassRole requirements are not allowed.
    let b = fx("check/boundary-codedeploy-only.json");
    let (code, doc) = check(USER, &["check/user-complete.json"], &["--boundary", &b]);
    assert_eq!(code, 1);
    assert_eq!(
        gap_actions(&doc),
        [
            "cloudwatch:DescribeAlarms",
            "iam:PassRole",
            "iam:PassRole",
            "iam:PassRole",
            "lambda:ListFunctions",
            "sns:ListTopics"
        ]
    );
}

#[test]
fn an_scp_deny_is_an_explicit_deny() {
    let s = fx("check/scp-deny-lambda.json");
    let (code, doc) = check(USER, &["check/user-complete.json"], &["--scp", &s]);
    assert_eq!(code, 1);
    let denied = with_decision(&doc, "explicitDeny");
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].0, "lambda:ListFunctions");
}

#[test]
fn two_policies_of_one_principal_are_evaluated_together() {
    let (code, doc) = check(
        USER,
        &[
            "check/user-part-codedeploy.json",
            "check/user-part-others.json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{doc:#}");
    // Each alone leaves gaps.
    let (code, doc) = check(USER, &["check/user-part-codedeploy.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], 6);
    let (code, doc) = check(USER, &["check/user-part-others.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], 22);
    // The scoped policy names the default console names: another application is a gap.
    let (code, doc) = check(
        USER,
        &[
            "check/user-part-codedeploy.json",
            "check/user-part-others.json",
        ],
        &["--param", "service=other"],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], 15);
}

#[test]
fn globs_select_policy_files() {
    let g = fx("check/user-part-*.json");
    let (code, _) = check(USER, &[], &[&g]);
    assert_eq!(code, 0);
}

#[test]
fn current_cli_example_passes_to_the_wrong_service() {
    // The current ECS guide's CLI example passes `code-deploy-role` to ecs.amazonaws.com; the
    // task roles are passed to ecs-tasks.amazonaws.com (Service Authorization Reference).
    let (_, doc) = check(
        USER,
        &[
            "policies/examples/ecs-bluegreen-seed.json",
            "aws/ecsCodeDeployRole-passrole-current-cli.json",
        ],
        &["--param", "codedeploy_role=code-deploy-role"],
    );
    assert_eq!(doc["gaps"], 3);
}

#[test]
fn amazon_ecs_full_access_lacks_only_passing_the_codedeploy_role() {
    // AmazonECS_FullAccess v21 has the 25 actions and iam:PassRole on `*` to
    // ecs-tasks.amazonaws.com only.
    let (code, doc) = check(USER, &["aws/AmazonECS_FullAccess_v21.json"], &[]);
    assert_eq!(code, 1);
    let missing = with_decision(&doc, "implicitDeny");
    assert_eq!(
        missing,
        [(
            "iam:PassRole".to_string(),
            "arn:aws:iam::123456789012:role/ecsCodeDeployRole".to_string()
        )]
    );
}

#[test]
fn parameters_change_the_request() {
    let (_, doc) = check(
        USER,
        &["policies/examples/ecs-bluegreen-seed.json"],
        &[
            "--param",
            "account=111122223333",
            "--param",
            "region=eu-west-1",
            "--param",
            "cluster=prod",
            "--param",
            "service=web",
        ],
    );
    let r = &doc["profiles"][0]["requirements"][1];
    assert_eq!(r["action"], "codedeploy:CreateDeployment");
    assert_eq!(
        r["resource"],
        "arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:AppECS-prod-web/DgpECS-prod-web"
    );
    assert_eq!(r["context"]["aws:RequestedRegion"][0], "eu-west-1");
}

#[test]
fn invalid_input_exits_2() {
    for args in [
        vec![
            "check",
            "--profile",
            "no-such-profile",
            "policies/examples/ecs-bluegreen-seed.json",
        ],
        vec![
            "check",
            "--profile",
            USER,
            "tests/fixtures/check/does-not-exist.json",
        ],
        vec![
            "check",
            "--profile",
            USER,
            "tests/fixtures/check/nothing-*.json",
        ],
        vec![
            "check",
            "--profile",
            USER,
            "--param",
            "nope=1",
            "policies/examples/ecs-bluegreen-seed.json",
        ],
        vec![
            "check",
            "--profile",
            USER,
            "--param",
            "account=12",
            "policies/examples/ecs-bluegreen-seed.json",
        ],
        vec![
            "check",
            "--profile",
            USER,
            "--param",
            "account",
            "policies/examples/ecs-bluegreen-seed.json",
        ],
        vec!["check", "--profile", USER, "Cargo.toml"],
        vec!["check", "--profile", USER],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{args:?} printed {}", r.stdout);
    }
}

#[test]
fn sarif_output_is_sarif_2_1_0() {
    let r = run(&[
        "check",
        "--profile",
        USER,
        "--format",
        "sarif",
        &fx("check/user-deny.json"),
    ]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "explicit-deny");
    // the region is the denying statement (lines 16-21, as `matchedStatements` and the
    // GitHub annotation say), its `Effect` (line 18) inside it
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (&region["startLine"], &region["endLine"]),
        (&16.into(), &21.into())
    );
    assert!(
        region["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("\"Effect\": \"Deny\""),
        "{region}"
    );
}

// ---- ecs-codedeploy-service-role ----------------------------------------------------------------

#[test]
fn documented_ecs_codedeploy_role_passes_with_a_confused_deputy_warning() {
    let t = fx("aws/ecsCodeDeployRole-trust-policy.json");
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 0, "{doc:#}");
    let trust = &doc["profiles"][0]["trust"];
    assert_eq!(trust["decision"], "allowed");
    assert_eq!(trust["principal"]["Service"], "codedeploy.amazonaws.com");
    assert_eq!(
        trust["warnings"][0]["code"],
        "trust-without-source-condition"
    );
    // v2 of the managed policy (with s3:GetObjectMetadata) grants the same.
    let (code, _) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS_v2_2018-12-19.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 0);
    // Text output says so.
    let r = run(&[
        "check",
        "--profile",
        ROLE,
        &fx("aws/AWSCodeDeployRoleForECS.json"),
        "--trust-policy",
        &t,
    ]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("warning[trust-without-source-condition]"));
}

#[test]
fn role_profile_without_trust_policy_reports_trust_as_null() {
    let (code, doc) = check(ROLE, &["aws/AWSCodeDeployRoleForECS.json"], &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["profiles"][0]["trust"], Value::Null);
}

#[test]
fn confused_deputy_trust_policy_needs_the_matching_source() {
    // The CodeDeploy example allows account 123456789012 and deployment groups of
    // `myApplication` only.
    let t = fx("aws/codedeploy-trust-policy-confused-deputy.json");
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS.json"],
        &["--trust-policy", &t, "--param", "application=myApplication"],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        doc["profiles"][0]["trust"]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["profiles"][0]["trust"]["decision"], "implicitDeny");
    assert_eq!(doc["gaps"], 1);
}

#[test]
fn regional_principals_pass_only_for_their_regions() {
    // CodeDeploy's service-role page: a trust policy may list regional principals
    // codedeploy.<region>.amazonaws.com instead of the global one
    // (https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html).
    let t = fx("aws/codedeploy-trust-policy-regional-principals.json");
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["profiles"][0]["trust"]["decision"], "allowed");
    // eu-north-1 is not in the documented list.
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECS.json"],
        &["--trust-policy", &t, "--param", "region=eu-north-1"],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["profiles"][0]["trust"]["decision"], "implicitDeny");
}

#[test]
fn limited_policy_against_the_full_role_profile() {
    // AWSCodeDeployRoleForECSLimited: S3 objects only with the UseWithCodeDeploy tag (the full
    // profile's request carries no tag), iam:PassRole only on ecsTaskExecutionRole.
    // Without S3 revisions and a task role (the defaults) the limited policy is enough.
    let (code, doc) = check(ROLE, &["aws/AWSCodeDeployRoleForECSLimited.json"], &[]);
    assert_eq!(code, 0, "{doc:#}");
    let (code, doc) = check(
        ROLE,
        &["aws/AWSCodeDeployRoleForECSLimited.json"],
        &[
            "--param",
            "s3_revisions=true",
            "--param",
            "pass_task_role=true",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        gap_actions(&doc),
        ["iam:PassRole", "s3:GetObject", "s3:GetObjectVersion"]
    );
    assert_eq!(
        with_decision(&doc, "implicitDeny")
            .iter()
            .find(|(a, _)| a == "iam:PassRole")
            .unwrap()
            .1,
        "arn:aws:iam::123456789012:role/ecsTaskRole"
    );
}

#[test]
fn limited_profile_passes_both_managed_policies() {
    let t = fx("aws/ecsCodeDeployRole-trust-policy.json");
    for f in [
        "aws/AWSCodeDeployRoleForECSLimited.json",
        "aws/AWSCodeDeployRoleForECS.json",
    ] {
        let (code, doc) = check(LIMITED, &[f], &["--trust-policy", &t]);
        assert_eq!(code, 0, "{f}: {doc:#}");
    }
}

// ---- console profiles -------------------------------------------------------------------------

#[test]
fn console_examples_need_the_blue_green_permissions_too() {
    let (code, doc) = check(
        "ecs-bluegreen-console-create-service",
        &["aws/ecs-console-create-service-example.json"],
        &[],
    );
    assert_eq!(code, 1);
    let gaps: BTreeSet<String> = gap_actions(&doc).into_iter().collect();
    let expected: BTreeSet<String> = [
        "codedeploy:CreateApplication",
        "codedeploy:CreateDeployment",
        "codedeploy:CreateDeploymentGroup",
        "codedeploy:GetApplication",
        "codedeploy:GetDeployment",
        "codedeploy:GetDeploymentGroup",
        "codedeploy:ListApplications",
        "codedeploy:ListDeploymentGroups",
        "codedeploy:ListDeployments",
        "codedeploy:StopDeployment",
        "codedeploy:GetDeploymentTarget",
        "codedeploy:ListDeploymentTargets",
        "codedeploy:GetDeploymentConfig",
        "codedeploy:GetApplicationRevision",
        "codedeploy:RegisterApplicationRevision",
        "codedeploy:BatchGetApplicationRevisions",
        "codedeploy:BatchGetDeploymentGroups",
        "codedeploy:BatchGetDeployments",
        "codedeploy:BatchGetApplications",
        "codedeploy:ListApplicationRevisions",
        "codedeploy:ListDeploymentConfigs",
        "codedeploy:ContinueDeployment",
        "sns:ListTopics",
        "lambda:ListFunctions",
        "iam:PassRole",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // cloudwatch:DescribeAlarms is in both the example and the guide's list.
    assert_eq!(gaps, expected);
    let (code, doc) = check(
        "ecs-bluegreen-console-create-service",
        &[
            "aws/ecs-console-create-service-example.json",
            "check/user-complete.json",
        ],
        &[],
    );
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn update_example_does_not_cover_create() {
    // The update example has ecs:UpdateService instead of ecs:CreateService and no
    // elasticloadbalancing:Describe*.
    let (code, doc) = check(
        "ecs-bluegreen-console-create-service",
        &[
            "aws/ecs-console-update-service-example.json",
            "check/user-complete.json",
        ],
        &[],
    );
    assert_eq!(code, 1);
    let gaps = gap_actions(&doc);
    assert!(gaps.contains(&"ecs:CreateService".to_string()));
    assert!(
        gaps.iter()
            .all(|a| a == "ecs:CreateService" || a.starts_with("elasticloadbalancing:Describe")),
        "{gaps:?}"
    );
    let (code, _) = check(
        "ecs-bluegreen-console-update-service",
        &[
            "aws/ecs-console-update-service-example.json",
            "check/user-complete.json",
        ],
        &[],
    );
    assert_eq!(code, 0);
}

// ---- ECS-native blue/green --------------------------------------------------------------------

#[test]
fn infrastructure_role_managed_policy_versions() {
    let t = fx("aws/ecsInfrastructureRoleForLoadBalancers-trust-policy.json");
    let p = "ecs-native-bluegreen-infrastructure-role";
    let (code, doc) = check(
        p,
        &["aws/AmazonECSInfrastructureRolePolicyForLoadBalancers.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["profiles"][0]["trust"]["decision"], "allowed");
    assert_eq!(
        doc["profiles"][0]["trust"]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // v1 lacked DescribeTargetGroups, DescribeTargetHealth and the target group operations.
    let (code, doc) = check(
        p,
        &["aws/AmazonECSInfrastructureRolePolicyForLoadBalancers_v1_2025-07-17.json"],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        gap_actions(&doc),
        [
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:RegisterTargets"
        ]
    );
    // A Network Load Balancer's production listener is a listener, not a listener rule (ECS
    // API `AdvancedConfiguration.productionListenerRule`: "the listener rule ARN" for an ALB,
    // the listener ARN for an NLB): the managed policy, which AWS documents for both, grants
    // `ModifyListener` on `listener/net/*` and `ModifyRule` on ALB rules only, and has no gap
    // for an NLB (red team 51: `ModifyRule` on a `listener-rule/net/...` ARN was required).
    let (code, doc) = check(
        p,
        &["aws/AmazonECSInfrastructureRolePolicyForLoadBalancers.json"],
        &["--param", "load_balancer_type=net"],
    );
    assert_eq!(code, 0, "{doc:#}");
    assert!(gap_actions(&doc).is_empty());
    // for an ALB, `ModifyRule` on the listener rule is required: a policy without
    // `ALBModifyRules` has that gap
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx(
            "aws/AmazonECSInfrastructureRolePolicyForLoadBalancers.json",
        ))
        .unwrap(),
    )
    .unwrap();
    v["Statement"]
        .as_array_mut()
        .unwrap()
        .retain(|s| s["Sid"] != "ALBModifyRules");
    let no_rules = dir.path().join("no-rules.json");
    std::fs::write(&no_rules, v.to_string()).unwrap();
    for (lb, want) in [("app", 1), ("net", 0)] {
        let (code, doc) = check(
            p,
            &[no_rules.to_str().unwrap()],
            &["--param", &format!("load_balancer_type={lb}")],
        );
        assert_eq!(code, want, "{lb}: {doc:#}");
        if lb == "app" {
            assert_eq!(gap_actions(&doc), ["elasticloadbalancing:ModifyRule"]);
        }
    }
}

#[test]
fn hook_role_documented_policies() {
    let t = fx("aws/ecs-bluegreen-lambda-hook-role-trust-policy.json");
    let (code, doc) = check(
        "ecs-native-bluegreen-hook-role",
        &["aws/ecs-bluegreen-lambda-hook-role-permissions.json"],
        &["--trust-policy", &t],
    );
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn native_user_with_the_documented_pass_role_policy() {
    let p = "ecs-native-bluegreen-user";
    let (code, doc) = check(
        p,
        &["aws/ecsInfrastructureRoleForLoadBalancers-user-passrole.json"],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(
        gap_actions(&doc),
        ["ecs:CreateService", "ecs:UpdateService", "iam:PassRole"]
    );
    // AmazonECS_FullAccess v21 passes only a role named ecsInfrastructureRole to ECS.
    let (_, doc) = check(p, &["aws/AmazonECS_FullAccess_v21.json"], &[]);
    assert_eq!(gap_actions(&doc), ["iam:PassRole", "iam:PassRole"]);
    let (_, doc) = check(
        p,
        &["aws/AmazonECS_FullAccess_v21.json"],
        &["--param", "infrastructure_role=ecsInfrastructureRole"],
    );
    assert_eq!(gap_actions(&doc), ["iam:PassRole"]);
}

#[test]
fn several_profiles_in_one_run() {
    let r = run(&[
        "check",
        "--profile",
        USER,
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
        &fx("policies/examples/ecs-bluegreen-seed.json"),
    ]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["profiles"].as_array().unwrap().len(), 2);
    assert_eq!(v["gaps"], 3 + 4);
}

// ---- generate ---------------------------------------------------------------------------------

/// Writes a file into `dir` (a test's own folder, removed when the test ends).
fn tmp(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn profile_ids() -> Vec<String> {
    let r = run(&["profiles", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn params_of(profile: &str) -> BTreeSet<String> {
    let r = run(&["profiles", "show", profile, "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// The documents of `generate`'s stdout, which must be exactly one JSON value: a policy
/// document, or an array of them when the quota forces a split.
fn documents(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text).unwrap() {
        Value::Array(docs) => docs,
        doc => vec![doc],
    }
}

#[test]
fn generate_then_check_round_trips_for_every_profile() {
    let dir = tempfile::tempdir().unwrap();
    let sets: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![
            ("account", "111122223333"),
            ("region", "eu-west-1"),
            ("cluster", "prod"),
            ("service", "web"),
        ],
        vec![
            ("account", "444455556666"),
            ("region", "ap-southeast-2"),
            ("partition", "aws"),
            ("codedeploy_role", "service-role/cd-ecs"),
            ("task_role", "web-task"),
            ("load_balancer_type", "net"),
            ("hook_function", "CodeDeployHook_web_smoke"),
        ],
        // Every optional part on (issue 10, section 4).
        vec![
            ("hooks", "true"),
            ("triggers", "true"),
            ("s3_revisions", "true"),
            ("pass_task_role", "true"),
        ],
    ];
    let ids = profile_ids();
    assert!(ids.len() >= 8);
    for id in &ids {
        let declared = params_of(id);
        for (n, set) in sets.iter().enumerate() {
            let mut args: Vec<String> = vec!["generate".into(), "--profile".into(), id.clone()];
            let mut check_params: Vec<String> = Vec::new();
            for (k, v) in set {
                if declared.contains(*k) {
                    check_params.push("--param".into());
                    check_params.push(format!("{k}={v}"));
                }
            }
            args.extend(check_params.iter().cloned());
            let argv: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = run(&argv);
            assert_eq!(r.code, 0, "{argv:?}: {}", r.stderr);
            let docs = documents(&r.stdout);
            assert!(!docs.is_empty());
            let mut files = Vec::new();
            for (i, d) in docs.iter().enumerate() {
                // Every action named exactly; iam:PassRole always has iam:PassedToService.
                for st in d["Statement"].as_array().unwrap() {
                    assert!(
                        st["Sid"]
                            .as_str()
                            .unwrap()
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric())
                    );
                    let actions: Vec<&str> = match &st["Action"] {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect(),
                        _ => panic!(),
                    };
                    for a in &actions {
                        assert!(!a.contains('*') && !a.contains('?'), "{a}");
                    }
                    if actions.contains(&"iam:PassRole") {
                        assert!(
                            st["Condition"]["StringEquals"]["iam:PassedToService"].is_string(),
                            "{st}"
                        );
                    }
                }
                let text = serde_json::to_string(d).unwrap();
                assert!(text.chars().filter(|c| !c.is_whitespace()).count() <= 6144);
                files.push(tmp(&dir, &format!("{id}-{n}-{i}.json"), &text));
            }
            let mut cargs: Vec<String> = vec![
                "check".into(),
                "--profile".into(),
                id.clone(),
                "--format".into(),
                "json".into(),
            ];
            cargs.extend(files);
            cargs.extend(check_params.iter().cloned());
            // Role profiles: the generated trust policy too.
            let trust = run(&{
                let mut t: Vec<&str> = vec!["generate", "--profile", id, "--trust"];
                t.extend(check_params.iter().map(String::as_str));
                t
            });
            if trust.code == 0 {
                let tf = tmp(&dir, &format!("{id}-{n}-trust.json"), &trust.stdout);
                cargs.push("--trust-policy".into());
                cargs.push(tf);
                // the confused-deputy condition where the documentation confirms the
                // service sends it (CodeDeploy); none where it does not (ECS: its documented
                // trust policy has none, and a condition on a key not sent keeps it out)
                assert_eq!(
                    trust.stdout.contains("aws:SourceAccount"),
                    !id.starts_with("ecs-native"),
                    "{id}: {}",
                    trust.stdout
                );
            } else {
                assert_eq!(trust.code, 2);
                assert!(
                    trust.stderr.contains("describes no role"),
                    "{}",
                    trust.stderr
                );
            }
            let cargv: Vec<&str> = cargs.iter().map(String::as_str).collect();
            let c = run(&cargv);
            assert_eq!(c.code, 0, "{cargv:?}: {}\n{}", c.stdout, c.stderr);
            let v: Value = serde_json::from_str(&c.stdout).unwrap();
            assert_eq!(v["gaps"], 0);
            if trust.code == 0 {
                assert_eq!(v["profiles"][0]["trust"]["decision"], "allowed");
                assert_eq!(v["profiles"][0]["trust"]["open"], false);
                // The only warning left: for ECS-native roles the documentation does not
                // confirm that ECS sends aws:SourceAccount / aws:SourceArn, so the generated
                // trust policy is the documented one, without them, and `check` warns of the
                // confused deputy (see the profiles' notes; red team 51).
                let codes: Vec<&str> = v["profiles"][0]["trust"]["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w["code"].as_str().unwrap())
                    .collect();
                let unconfirmed = id.starts_with("ecs-native-");
                let expected: &[&str] = if unconfirmed {
                    &["trust-without-source-condition"]
                } else {
                    &[]
                };
                assert_eq!(codes, expected, "{id}");
            }
        }
    }
}

#[test]
fn generated_user_policy_is_scoped_where_the_catalog_allows() {
    let r = run(&["generate", "--profile", USER]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: Value = serde_json::from_str(&r.stdout).unwrap();
    let text = r.stdout.clone();
    // codedeploy:ListApplications takes no resource: `*`. CreateDeployment: the group.
    let find = |action: &str| -> Value {
        d["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| match &s["Action"] {
                Value::String(a) => a == action,
                Value::Array(a) => a.iter().any(|x| x == action),
                _ => false,
            })
            .unwrap()
            .clone()
    };
    assert_eq!(find("codedeploy:ListApplications")["Resource"], "*");
    assert_eq!(
        find("codedeploy:CreateDeployment")["Resource"],
        "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:AppECS-default-my-service/DgpECS-default-my-service"
    );
    assert!(text.contains("\"PassRoleToCodeDeploy\""));
    assert!(text.contains("\"PassRoleToEcsTasks\""));
    // Exactly the profile's 26 distinct actions.
    let mut actions = BTreeSet::new();
    for st in d["Statement"].as_array().unwrap() {
        match &st["Action"] {
            Value::String(a) => {
                actions.insert(a.clone());
            }
            Value::Array(a) => {
                for x in a {
                    actions.insert(x.as_str().unwrap().to_string());
                }
            }
            _ => panic!(),
        }
    }
    assert_eq!(actions.len(), 26);
}

#[test]
fn generate_missing_from_the_seed_is_only_pass_role() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fx("policies/examples/ecs-bluegreen-seed.json");
    let r = run(&["generate", "--profile", USER, "--missing-from", &seed]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: Value = serde_json::from_str(&r.stdout).unwrap();
    for st in d["Statement"].as_array().unwrap() {
        assert_eq!(st["Action"], "iam:PassRole", "{st}");
    }
    let patch = tmp(&dir, "patch.json", &r.stdout);
    let (code, _) = check(USER, &[], &[&seed, &patch]);
    assert_eq!(code, 0);
    // Nothing missing: an empty array of documents, exit 0.
    let complete = fx("check/user-complete.json");
    let r = run(&["generate", "--profile", USER, "--missing-from", &complete]);
    assert_eq!(r.code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&r.stdout).unwrap(),
        serde_json::json!([])
    );
    assert!(r.stderr.contains("nothing is missing"));
    // An explicit deny cannot be patched: exit 2.
    let deny = fx("check/user-deny.json");
    let r = run(&["generate", "--profile", USER, "--missing-from", &deny]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("NoStopping"), "{}", r.stderr);
}

#[test]
fn generated_trust_policy_has_source_conditions() {
    let r = run(&[
        "generate",
        "--profile",
        ROLE,
        "--trust",
        "--param",
        "account=111122223333",
        "--param",
        "application=myApp",
        "--param",
        "deployment_group=blue-green",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d: Value = serde_json::from_str(&r.stdout).unwrap();
    let st = &d["Statement"][0];
    assert_eq!(st["Principal"]["Service"], "codedeploy.amazonaws.com");
    assert_eq!(st["Action"], "sts:AssumeRole");
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:SourceAccount"],
        "111122223333"
    );
    assert_eq!(
        st["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:myApp/blue-green"
    );
}

#[test]
fn generate_rejects_bad_input() {
    for args in [
        vec!["generate", "--profile", "nope"],
        vec!["generate", "--profile", USER, "--trust"],
        vec!["generate", "--profile", USER, "--param", "region=mars"],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn profiles_command_lists_and_shows() {
    let r = run(&["profiles"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains(USER));
    let r = run(&["profiles", "show", ROLE]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("codedeploy.amazonaws.com"));
    assert!(r.stdout.contains("AWSCodeDeployRoleForECS"));
    assert!(r.stdout.contains("ecsCodeDeployRole"));
    let r = run(&["profiles", "show", "nope"]);
    assert_eq!(r.code, 2);
    assert!(Path::new(&fx("aws/README.md")).exists());
}
