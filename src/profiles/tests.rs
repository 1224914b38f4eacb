//! Profile data checked against the facts it comes from (the ECS guide and the managed
//! policies), not against the program's own output.

use super::*;

/// The 25 actions of the ECS guide's "Blue/green deployment required IAM permissions", in the
/// guide's order.
const GUIDE_25: [&str; 25] = [
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
    "cloudwatch:DescribeAlarms",
    "lambda:ListFunctions",
];

fn defaults(p: &Profile) -> ResolvedParams {
    p.resolve_params(&BTreeMap::new(), None).unwrap()
}

/// Every switch of the profile turned on.
fn all_on(p: &Profile) -> ResolvedParams {
    let given: BTreeMap<String, String> = p
        .parameters
        .iter()
        .filter(|q| q.pattern.as_deref() == Some(SWITCH_PATTERN))
        .map(|q| (q.name.clone(), "true".to_string()))
        .collect();
    p.resolve_params(&given, None).unwrap()
}

// Optional parts of the CodeDeploy service role (issue 10, section 4): lifecycle hooks, SNS
// triggers and S3 revisions are optional features of a CodeDeploy ECS deployment
// (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html,
// https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-sns-event-notifications-create-trigger.html),
// and the task role is optional in a task definition
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
#[test]
fn optional_parts_of_the_service_roles_are_off_by_default() {
    for (id, switches) in [
        (
            "ecs-codedeploy-service-role",
            &["hooks", "triggers", "s3_revisions", "pass_task_role"][..],
        ),
        (
            "ecs-codedeploy-service-role-limited",
            &["hooks", "triggers", "s3_revisions"][..],
        ),
    ] {
        let p = get(id).unwrap();
        let off = p.requests(&defaults(p)).unwrap();
        let has = |reqs: &[ConcreteRequirement], a: &str, res: &str| {
            reqs.iter()
                .any(|r| r.action == a && r.resource.contains(res))
        };
        for (a, res) in [
            ("lambda:InvokeFunction", ":function:"),
            ("sns:Publish", ":sns:"),
            ("s3:GetObject", ":s3:::"),
            ("s3:GetObjectVersion", ":s3:::"),
            ("iam:PassRole", ":role/ecsTaskRole"),
        ] {
            assert!(!has(&off, a, res), "{id}: {a} is on by default");
        }
        assert!(has(&off, "iam:PassRole", ":role/ecsTaskExecutionRole"));
        assert!(has(&off, "ecs:CreateTaskSet", ":task-set/"));
        for sw in switches {
            let q = p.parameter(sw).unwrap();
            assert_eq!(q.default, "false", "{id} {sw}");
            let given: BTreeMap<String, String> = [(sw.to_string(), "true".to_string())].into();
            let on = p
                .requests(&p.resolve_params(&given, None).unwrap())
                .unwrap();
            assert!(on.len() > off.len(), "{id}: {sw}=true adds nothing");
            // Any other value is refused, not read as off.
            let bad: BTreeMap<String, String> = [(sw.to_string(), "yes".to_string())].into();
            assert!(matches!(
                p.resolve_params(&bad, None),
                Err(ProfileError::InvalidValue { .. })
            ));
        }
        let on = p.requests(&all_on(p)).unwrap();
        for (a, res) in [
            ("lambda:InvokeFunction", ":function:"),
            ("sns:Publish", ":sns:"),
            ("s3:GetObject", ":s3:::"),
        ] {
            assert!(has(&on, a, res), "{id}: {a} missing when on");
        }
    }
}

#[test]
fn a_switch_must_be_a_false_by_default_boolean() {
    let text = r#"{"id": "x", "version": 1, "title": "t", "description": "d", "principal": "user",
        "sources": [], "parameters": [{"name": "hooks", "default": "true", "description": "d",
        "pattern": "^(true|false)$"}],
        "requirements": [{"action": "lambda:InvokeFunction", "resource": "*", "reason": "r",
        "doc": "https://example.com", "when": "hooks"}]}"#;
    assert!(matches!(
        load_all(&[("x.json", text)]),
        Err(ProfileError::Invalid { .. })
    ));
}

/// `"when": "NAME=VALUE"`: the requirement applies when the parameter has that value; the
/// value must be one the parameter's pattern accepts.
#[test]
fn a_requirement_for_one_value_of_a_parameter() {
    let text = |when: &str| {
        format!(
            r#"{{"id": "x", "version": 1, "title": "t", "description": "d", "principal": "user",
        "sources": [], "parameters": [{{"name": "lb", "default": "app", "description": "d",
        "pattern": "^(app|net)$"}}],
        "requirements": [{{"action": "elasticloadbalancing:ModifyRule", "resource": "*", "reason": "r",
        "doc": "https://example.com", "when": "{when}"}}]}}"#
        )
    };
    assert!(matches!(
        load_all(&[("x.json", &text("lb=gwy"))]),
        Err(ProfileError::Invalid { .. })
    ));
    assert!(matches!(
        load_all(&[("x.json", &text("other=app"))]),
        Err(ProfileError::Invalid { .. })
    ));
    let all = load_all(&[("x.json", &text("lb=app"))]).unwrap();
    let p = &all[0];
    let given = |v: &str| {
        let mut m = std::collections::BTreeMap::new();
        m.insert("lb".to_string(), v.to_string());
        p.resolve_values(&m, None).unwrap()
    };
    assert!(p.enabled(&p.requirements[0], &given("app")));
    assert!(!p.enabled(&p.requirements[0], &given("net")));
    assert!(p.enabled(
        &p.requirements[0],
        &p.resolve_values(&Default::default(), None).unwrap()
    ));
}

#[test]
fn every_profile_file_is_embedded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/profiles");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn all_profiles_load() {
    let all = all().unwrap();
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    for id in [
        "ecs-bluegreen-codedeploy-user",
        "ecs-codedeploy-service-role",
        "ecs-codedeploy-service-role-limited",
        "ecs-bluegreen-console-create-service",
        "ecs-bluegreen-console-update-service",
        "ecs-native-bluegreen-infrastructure-role",
        "ecs-native-bluegreen-hook-role",
        "ecs-native-bluegreen-user",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
}

#[test]
fn codedeploy_user_is_exactly_the_guide_plus_three_passroles() {
    let p = get("ecs-bluegreen-codedeploy-user").unwrap();
    let actions: Vec<&str> = p.requirements.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(&actions[..25], &GUIDE_25[..]);
    assert_eq!(&actions[25..], ["iam:PassRole"; 3]);
    let params = defaults(p);
    let reqs = p.requests(&params).unwrap();
    let passes: Vec<(&str, &str)> = reqs[25..]
        .iter()
        .map(|r| {
            (
                r.resource.as_str(),
                r.context["iam:PassedToService"][0].as_str(),
            )
        })
        .collect();
    assert_eq!(
        passes,
        [
            (
                "arn:aws:iam::123456789012:role/ecsCodeDeployRole",
                "codedeploy.amazonaws.com"
            ),
            (
                "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
                "ecs-tasks.amazonaws.com"
            ),
            (
                "arn:aws:iam::123456789012:role/ecsTaskRole",
                "ecs-tasks.amazonaws.com"
            ),
        ]
    );
    assert!(p.trust.is_none());
}

#[test]
fn console_default_names_follow_the_guide() {
    // "AppECS-<cluster>-<service>" and "DgpECS-<cluster>-<service>" (ECS guide, console).
    let p = get("ecs-bluegreen-codedeploy-user").unwrap();
    let given: BTreeMap<String, String> = [
        ("cluster".to_string(), "prod".to_string()),
        ("service".to_string(), "web".to_string()),
        ("account".to_string(), "111122223333".to_string()),
        ("region".to_string(), "eu-west-1".to_string()),
    ]
    .into();
    let params = p.resolve_params(&given, None).unwrap();
    assert_eq!(params.get("application"), Some("AppECS-prod-web"));
    assert_eq!(params.get("deployment_group"), Some("DgpECS-prod-web"));
    let reqs = p.requests(&params).unwrap();
    let create = reqs
        .iter()
        .find(|r| r.action == "codedeploy:CreateDeployment")
        .unwrap();
    assert_eq!(
        create.resource,
        "arn:aws:codedeploy:eu-west-1:111122223333:deploymentgroup:AppECS-prod-web/DgpECS-prod-web"
    );
}

#[test]
fn service_role_matches_awscodedeployroleforecs() {
    // AWSCodeDeployRoleForECS v3, statement 1 and 2.
    let p = get("ecs-codedeploy-service-role").unwrap();
    let mut actions: Vec<&str> = p.requirements.iter().map(|r| r.action.as_str()).collect();
    actions.sort();
    actions.dedup();
    let mut expected = vec![
        "ecs:DescribeServices",
        "ecs:CreateTaskSet",
        "ecs:UpdateServicePrimaryTaskSet",
        "ecs:DeleteTaskSet",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:ModifyRule",
        "lambda:InvokeFunction",
        "cloudwatch:DescribeAlarms",
        "sns:Publish",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "iam:PassRole",
    ];
    expected.sort();
    assert_eq!(actions, expected);
    let params = defaults(p);
    for r in p.requests(&params).unwrap() {
        if r.action == "iam:PassRole" {
            assert_eq!(
                r.context["iam:PassedToService"],
                ["ecs-tasks.amazonaws.com"]
            );
        }
    }
    let t = p.trust_request(&params).unwrap().unwrap();
    assert_eq!(t.service, "codedeploy.amazonaws.com");
    assert_eq!(t.action, "sts:AssumeRole");
    assert_eq!(t.role, "arn:aws:iam::123456789012:role/ecsCodeDeployRole");
}

#[test]
fn limited_role_follows_the_name_constraints() {
    let p = get("ecs-codedeploy-service-role-limited").unwrap();
    let params = all_on(p);
    let reqs = p.requests(&params).unwrap();
    let find = |a: &str| reqs.iter().find(|r| r.action == a).unwrap();
    assert!(
        find("lambda:InvokeFunction")
            .resource
            .contains(":function:CodeDeployHook_")
    );
    assert!(
        find("sns:Publish")
            .resource
            .ends_with(":CodeDeployTopic_my-service")
    );
    assert_eq!(
        find("s3:GetObject").context["s3:ExistingObjectTag/UseWithCodeDeploy"],
        ["true"]
    );
    let passes: Vec<_> = reqs.iter().filter(|r| r.action == "iam:PassRole").collect();
    assert_eq!(passes.len(), 1);
    assert!(passes[0].resource.ends_with(":role/ecsTaskExecutionRole"));
    // A hook function outside `CodeDeployHook_*` cannot be used with the limited policy.
    let given: BTreeMap<String, String> =
        [("hook_function".to_string(), "validate".to_string())].into();
    assert!(matches!(
        p.resolve_params(&given, None),
        Err(ProfileError::InvalidValue { .. })
    ));
}

#[test]
fn console_profiles_include_the_user_profile() {
    for (id, service_action, elb) in [
        (
            "ecs-bluegreen-console-create-service",
            "ecs:CreateService",
            true,
        ),
        (
            "ecs-bluegreen-console-update-service",
            "ecs:UpdateService",
            false,
        ),
    ] {
        let p = get(id).unwrap();
        let actions: Vec<&str> = p.requirements.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions.len(), 18 + 28, "{id}");
        assert!(actions.contains(&service_action));
        assert_eq!(actions.contains(&"elasticloadbalancing:Describe*"), elb);
        for a in GUIDE_25 {
            assert!(actions.contains(&a), "{id} lacks {a}");
        }
    }
}

#[test]
fn native_profiles() {
    let infra = get("ecs-native-bluegreen-infrastructure-role").unwrap();
    let params = defaults(infra);
    let t = infra.trust_request(&params).unwrap().unwrap();
    assert_eq!(t.service, "ecs.amazonaws.com");
    assert_eq!(
        t.role,
        "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers"
    );
    let user = get("ecs-native-bluegreen-user").unwrap();
    let reqs = user.requests(&defaults(user)).unwrap();
    let infra_pass = reqs
        .iter()
        .find(|r| {
            r.resource
                .ends_with(":role/ecsInfrastructureRoleForLoadBalancers")
        })
        .unwrap();
    assert_eq!(infra_pass.action, "iam:PassRole");
    assert_eq!(
        infra_pass.context["iam:PassedToService"],
        ["ecs.amazonaws.com"]
    );
}

#[test]
fn account_defaults_to_the_principal_account() {
    let p = get("ecs-bluegreen-codedeploy-user").unwrap();
    let params = p
        .resolve_params(&BTreeMap::new(), Some("444455556666"))
        .unwrap();
    assert_eq!(params.get("account"), Some("444455556666"));
    assert_eq!(params.values["account"].1, ParamOrigin::Principal);
    let given: BTreeMap<String, String> =
        [("account".to_string(), "111122223333".to_string())].into();
    let params = p.resolve_params(&given, Some("444455556666")).unwrap();
    assert_eq!(params.get("account"), Some("111122223333"));
}

#[test]
fn parameter_values_are_validated() {
    let p = get("ecs-bluegreen-codedeploy-user").unwrap();
    for (name, value) in [
        ("account", "12345"),
        ("region", "moon"),
        ("cluster", "a*"),
        ("service", "${aws:username}"),
        ("task_role", "has space"),
    ] {
        let given: BTreeMap<String, String> = [(name.to_string(), value.to_string())].into();
        assert!(
            p.resolve_params(&given, None).is_err(),
            "{name}={value} accepted"
        );
    }
}

#[test]
fn grant_as_replaces_per_deployment_ids() {
    let p = get("ecs-codedeploy-service-role").unwrap();
    let reqs = p.requests(&defaults(p)).unwrap();
    let r = reqs
        .iter()
        .find(|r| r.action == "ecs:CreateTaskSet")
        .unwrap();
    assert_eq!(
        r.grant_resource,
        "arn:aws:ecs:us-east-1:123456789012:task-set/default/my-service/*"
    );
    assert!(r.resource.ends_with("/ecs-svc/1234567890123456789"));
}

#[test]
fn loader_rejects_broken_profiles() {
    let base = r#"{"id": "x", "version": 1, "title": "t", "description": "d", "principal": "user",
      "sources": [], "parameters": [], "requirements": [REQ]}"#;
    let ok_req =
        r#"{"action": "s3:GetObject", "resource": "*", "reason": "r", "doc": "https://x"}"#;
    assert!(load_all(&[("x.json", &base.replace("REQ", ok_req))]).is_ok());
    for bad in [
        r#"{"action": "s3GetObject", "resource": "*", "reason": "r", "doc": "https://x"}"#,
        r#"{"action": "s3:GetObject", "resource": "${nope}", "reason": "r", "doc": "https://x"}"#,
        r#"{"action": "s3:GetObject", "resource": "*", "reason": "r", "doc": "http://x"}"#,
        r#"{"action": "s3:GetObject", "resource": "*", "reason": "r", "doc": "https://x", "extra": 1}"#,
    ] {
        assert!(
            load_all(&[("x.json", &base.replace("REQ", bad))]).is_err(),
            "{bad}"
        );
    }
    // File name must match the id.
    assert!(load_all(&[("y.json", &base.replace("REQ", ok_req))]).is_err());
}

#[test]
fn every_default_is_valid_and_every_pattern_compiles() {
    for p in all().unwrap() {
        for q in &p.parameters {
            if let Some(pat) = &q.pattern {
                assert!(regex::Regex::new(pat).is_ok(), "{}: {pat}", p.id);
            }
        }
        let params = p.resolve_params(&BTreeMap::new(), None).unwrap();
        assert!(p.requests(&params).is_ok(), "{}", p.id);
    }
}

#[test]
fn every_requirement_cites_one_of_the_profile_sources() {
    for p in all().unwrap() {
        let urls: Vec<&str> = p.sources.iter().map(|s| s.url.as_str()).collect();
        for r in &p.requirements {
            assert!(
                urls.contains(&r.doc.as_str()),
                "{}: {} cites {}",
                p.id,
                r.action,
                r.doc
            );
            assert!(!r.reason.is_empty());
        }
        if let Some(t) = &p.trust {
            assert!(
                urls.contains(&t.doc.as_str()),
                "{}: trust cites {}",
                p.id,
                t.doc
            );
        }
    }
}

#[test]
fn loading_one_profile_gives_the_same_profile_as_loading_all() {
    let all = load_all(EMBEDDED).unwrap();
    assert_eq!(ids(), all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>());
    for p in &all {
        let one = load_one(EMBEDDED, &p.id).unwrap();
        assert_eq!(one.requirements.len(), p.requirements.len(), "{}", p.id);
        let a: Vec<&str> = one.parameters.iter().map(|q| q.name.as_str()).collect();
        let b: Vec<&str> = p.parameters.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(a, b);
        assert_eq!(one.sources.len(), p.sources.len());
    }
    assert!(load_one(EMBEDDED, "nope").is_err());
}
