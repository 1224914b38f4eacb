//! `greenlight expand`, run as a user would, against the embedded catalog. Expected values
//! come from AWS's Service Authorization Reference pages, `data/README.md` (counts) and
//! the ECS guide's blue/green user policy (its 22 CodeDeploy actions).

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

fn run(args: &[&str]) -> Output {
    let cache = tempfile::tempdir().unwrap();
    Command::new(BIN)
        .args(args)
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .expect("run greenlight")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

fn json(args: &[&str]) -> Vec<Value> {
    let mut a = vec!["expand"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    let o = run(&a);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn names(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|a| a["action"].as_str().unwrap().to_owned())
        .collect()
}

/// The 22 CodeDeploy actions of the ECS guide's "Blue/Green Deployment Required IAM
/// Permissions" policy.
const ECS_BLUEGREEN_CODEDEPLOY: [&str; 22] = [
    "CreateApplication",
    "CreateDeployment",
    "CreateDeploymentGroup",
    "GetApplication",
    "GetDeployment",
    "GetDeploymentGroup",
    "ListApplications",
    "ListDeploymentGroups",
    "ListDeployments",
    "StopDeployment",
    "GetDeploymentTarget",
    "ListDeploymentTargets",
    "GetDeploymentConfig",
    "GetApplicationRevision",
    "RegisterApplicationRevision",
    "BatchGetApplicationRevisions",
    "BatchGetDeploymentGroups",
    "BatchGetDeployments",
    "BatchGetApplications",
    "ListApplicationRevisions",
    "ListDeploymentConfigs",
    "ContinueDeployment",
];

#[test]
fn service_wildcard_covers_the_bluegreen_actions() {
    let v = json(&["codedeploy:*"]);
    let n = names(&v);
    for a in ECS_BLUEGREEN_CODEDEPLOY {
        assert!(n.contains(&format!("codedeploy:{a}")), "{a} missing");
    }
    assert!(n.iter().all(|a| a.starts_with("codedeploy:")));
    let levels = ["List", "Read", "Write", "Permissions management", "Tagging"];
    assert!(
        v.iter()
            .all(|a| levels.contains(&a["accessLevel"].as_str().unwrap()))
    );
    // sorted, no duplicates
    let mut sorted = n.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    sorted.dedup();
    assert_eq!(n, sorted);
}

#[test]
fn pass_role() {
    let v = json(&["iam:PassRole"]);
    assert_eq!(v.len(), 1);
    let a = &v[0];
    assert_eq!(a["action"], "iam:PassRole");
    assert_eq!(a["accessLevel"], "Write");
    assert_eq!(a["supportsResourceLevelPermissions"], true);
    assert_eq!(a["resourceTypes"][0]["name"], "role");
    assert_eq!(a["resourceTypes"][0]["required"], true);
    assert_eq!(
        a["resourceTypes"][0]["arnFormats"][0],
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    );
    let keys: Vec<&str> = a["conditionKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(keys.contains(&"iam:PassedToService"), "{keys:?}");
    assert!(keys.contains(&"iam:AssociatedResourceArn"), "{keys:?}");
}

#[test]
fn list_all_my_buckets_takes_only_star() {
    let v = json(&["s3:ListAllMyBuckets"]);
    assert_eq!(v[0]["accessLevel"], "List");
    assert_eq!(v[0]["supportsResourceLevelPermissions"], false);
    assert_eq!(v[0]["resourceTypes"].as_array().unwrap().len(), 0);
}

#[test]
fn access_levels_as_the_sar_names_them() {
    let v = json(&[
        "s3:PutBucketPolicy",
        "s3:GetObject",
        "ecs:TagResource",
        "ecs:ListClusters",
        "ecs:UpdateService",
    ]);
    let level = |n: &str| v.iter().find(|a| a["action"] == n).unwrap()["accessLevel"].clone();
    assert_eq!(level("s3:PutBucketPolicy"), "Permissions management");
    assert_eq!(level("s3:GetObject"), "Read");
    assert_eq!(level("ecs:TagResource"), "Tagging");
    assert_eq!(level("ecs:ListClusters"), "List");
    assert_eq!(level("ecs:UpdateService"), "Write");
}

#[test]
fn case_insensitive_and_canonical() {
    let v = json(&["CODEDEPLOY:continuedeployment"]);
    assert_eq!(names(&v), ["codedeploy:ContinueDeployment"]);
    assert_eq!(v[0]["matchedBy"][0], "CODEDEPLOY:continuedeployment");
}

#[test]
fn wildcards_anywhere() {
    let n = names(&json(&["s3:?etObject"]));
    assert!(n.contains(&"s3:GetObject".to_owned()));
    assert!(!n.contains(&"s3:PutObject".to_owned()));
    let n = names(&json(&["*:PassRole"]));
    assert!(n.contains(&"iam:PassRole".to_owned()));
    let n = names(&json(&["ecs:*Service*"]));
    for want in [
        "ecs:CreateService",
        "ecs:DescribeServices",
        "ecs:UpdateService",
        "ecs:DeleteService",
    ] {
        assert!(n.contains(&want.to_owned()), "{want}");
    }
}

#[test]
fn bare_star_is_every_action() {
    // 22,091 actions in the shipped data (data/README.md)
    assert_eq!(json(&["*"]).len(), 22_091);
}

#[test]
fn overlapping_patterns_list_each_action_once() {
    let v = json(&["s3:GetObject", "s3:Get*"]);
    let get: Vec<&Value> = v.iter().filter(|a| a["action"] == "s3:GetObject").collect();
    assert_eq!(get.len(), 1);
    assert_eq!(
        get[0]["matchedBy"],
        serde_json::json!(["s3:GetObject", "s3:Get*"])
    );
}

#[test]
fn the_ecs_guide_typo_names_the_real_action() {
    let o = run(&["expand", "codedpeloy:ContinueDeployment"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("did you mean `codedeploy:ContinueDeployment`?"),
        "{err}"
    );
    assert!(
        err.contains("`codedpeloy` is not a service prefix"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn misspelt_action_and_wildcard_service() {
    let o = run(&["expand", "iam:PasRole"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `iam:PassRole`?"),
        "{}",
        stderr(&o)
    );

    let o = run(&["expand", "codedpeloy:*"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `codedeploy:*`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_miss_among_hits_still_prints_the_hits_and_exits_1() {
    let o = run(&[
        "expand",
        "iam:PassRole",
        "iam:NoSuchAction",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert!(
        stderr(&o).contains("`iam:NoSuchAction` matches no action"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn text_output_is_a_table() {
    let o = run(&["expand", "ecs:DescribeServices", "s3:ListAllMyBuckets"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    for want in [
        "Action",
        "Access level",
        "Resource types",
        "Condition keys",
        "ecs:DescribeServices",
        "Read",
        "service (required)",
        "2 actions",
    ] {
        assert!(out.contains(want), "{want:?} missing in\n{out}");
    }
    assert!(out.contains("no resource-level permissions"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["expand"][..],
        &["expand", "s3GetObject"],
        &["expand", ""],
        &["expand", "s3:GetObject", "--format", "xml"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}
