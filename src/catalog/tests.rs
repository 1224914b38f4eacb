//! Unit tests against the shipped data. Expected values come from `data/README.md` (counts)
//! and AWS's Service Authorization Reference pages.

use super::*;

fn cat() -> &'static Catalog {
    Catalog::embedded()
}

#[test]
fn embedded_counts_match_the_data_readme() {
    let c = cat().counts();
    assert_eq!(c.services, 456);
    assert_eq!(c.actions, 22_091);
    assert_eq!(c.resource_types, 2_334);
    assert_eq!(c.service_condition_keys, 2_578);
    assert_eq!(c.global_condition_keys, 59);
    assert_eq!(cat().rcp_supported_services().len(), 62);
}

#[test]
fn embedded_data_validates() {
    cat().validate().unwrap();
    assert_eq!(cat().origin(), &Origin::Embedded);
    let p = cat().provenance();
    assert_eq!(p.package_version.as_deref(), Some("0.21.202609261"));
    assert_eq!(
        p.data_updated_at.as_deref(),
        Some("2026-09-26T04:46:59.905Z")
    );
}

#[test]
fn access_level_counts_match_the_data_readme() {
    let mut n = [0usize; 5];
    for a in cat().actions() {
        n[a.access_level() as usize] += 1;
    }
    // List, Read, Write, Permissions management, Tagging
    assert_eq!(n, [3_719, 5_871, 11_357, 425, 719]);
}

#[test]
fn actions_without_resources_match_the_data_readme() {
    assert_eq!(
        cat()
            .actions()
            .filter(|a| !a.supports_resource_level())
            .count(),
        6_724
    );
    // data/README counts 21,931 action→resource rows; 6 of them repeat a resource type
    // already listed for the same action (bedrock:UpdateDataAutomationProject lists
    // `data-automation-project` twice, connect:StartOutboundChatContact `contact` twice, ...)
    // and are merged into one.
    let links: usize = cat().actions().map(|a| a.resources().len()).sum();
    assert_eq!(links, 21_931 - 6);
    let bedrock = cat().action("bedrock:UpdateDataAutomationProject").unwrap();
    let names: Vec<&str> = bedrock
        .resources()
        .iter()
        .map(|r| r.resource_type.name())
        .collect();
    assert_eq!(names, ["blueprint", "data-automation-project"]);
    let required = cat()
        .actions()
        .flat_map(|a| a.resources())
        .filter(|r| r.required == Some(true))
        .count();
    // 15,730 rows are marked required; 3 of the 6 merged duplicates are required rows.
    assert_eq!(required, 15_730 - 3);
}

#[test]
fn lookup_is_case_insensitive_and_canonical() {
    let a = cat().action("CodeDeploy:continuedeployment").unwrap();
    assert_eq!(a.full_name(), "codedeploy:ContinueDeployment");
    assert_eq!(a.service().name(), "codedeploy");
    assert!(cat().action("codedeploy:ContinueDeploymen").is_none());
    assert!(cat().action("codedeploy").is_none());
    assert!(cat().action("codedeploy:*").is_none());
    assert!(cat().service("S3").is_some());
    assert!(cat().service("s4").is_none());
}

#[test]
fn pass_role_from_the_sar() {
    let a = cat().action("iam:PassRole").unwrap();
    assert_eq!(a.access_level(), AccessLevel::Write);
    let r = a.resources();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].resource_type.name(), "role");
    assert_eq!(r[0].required, Some(true));
    assert_eq!(
        r[0].resource_type.arn_formats(),
        ["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]
    );
    let keys: Vec<&str> = a.condition_keys().iter().map(|k| k.name()).collect();
    assert!(keys.contains(&"iam:PassedToService"), "{keys:?}");
    assert!(a.condition_key("IAM:passedtoservice").is_some());
    assert!(a.condition_key("aws:SourceIp").unwrap().is_global());
    assert!(a.condition_key("s3:prefix").is_none());
    assert_eq!(
        a.resources_for_arn("arn:aws:iam::123456789012:role/x")
            .len(),
        1
    );
    assert!(
        a.resources_for_arn("arn:aws:iam::123456789012:user/x")
            .is_empty()
    );
}

#[test]
fn list_all_my_buckets_takes_only_star() {
    let a = cat().action("s3:ListAllMyBuckets").unwrap();
    assert!(!a.supports_resource_level());
    assert_eq!(a.access_level(), AccessLevel::List);
    assert!(
        cat()
            .action("s3:GetObject")
            .unwrap()
            .supports_resource_level()
    );
}

#[test]
fn access_levels_from_the_sar() {
    let level = |n: &str| cat().action(n).unwrap().access_level();
    assert_eq!(
        level("s3:PutBucketPolicy"),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(level("s3:GetObject"), AccessLevel::Read);
    assert_eq!(level("ecs:TagResource"), AccessLevel::Tagging);
    assert_eq!(level("ecs:ListClusters"), AccessLevel::List);
    assert_eq!(level("ecs:UpdateService"), AccessLevel::Write);
    assert_eq!(
        AccessLevel::PermissionsManagement.to_string(),
        "Permissions management"
    );
}

#[test]
fn expand_patterns() {
    let names = |p: &str| {
        cat()
            .expand(p)
            .iter()
            .map(Action::full_name)
            .collect::<Vec<_>>()
    };
    // the 22 codedeploy actions of the ECS blue/green user policy (facts §1.1) are all in it
    let cd = names("codedeploy:*");
    for a in [
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
    ] {
        assert!(cd.contains(&format!("codedeploy:{a}")), "{a}");
    }
    // and the service has 48 actions in the shipped data
    assert_eq!(cd.len(), 48);
    assert!(cd.iter().all(|n| n.starts_with("codedeploy:")));
    assert_eq!(
        names("CODEDEPLOY:continuedeployment"),
        ["codedeploy:ContinueDeployment"]
    );
    assert_eq!(cat().expand("*").len(), 22_091);
    assert_eq!(cat().expand("*:*").len(), 22_091);
    assert!(
        names("s3:GetObject*")
            .iter()
            .all(|n| n.starts_with("s3:GetObject"))
    );
    assert!(names("s3:GetObject*").contains(&"s3:GetObjectAcl".to_owned()));
    assert!(names("s3:?etObject").contains(&"s3:GetObject".to_owned()));
    assert!(names("s3:*Object").contains(&"s3:PutObject".to_owned()));
    let ecs_desc = names("ecs:Describe*");
    assert!(ecs_desc.contains(&"ecs:DescribeServices".to_owned()));
    assert!(names("*:PassRole").contains(&"iam:PassRole".to_owned()));
    assert!(
        names("code*:ContinueDeployment").contains(&"codedeploy:ContinueDeployment".to_owned())
    );
    assert!(names("codedpeloy:ContinueDeployment").is_empty());
    assert!(names("s3:GetObject:x").is_empty());
    assert!(names("").is_empty());
    // a colon-less pattern is matched against the full name, as AWS does
    assert!(names("iam:Pass*").iter().eq(names("iam:Pass*").iter()));
    assert_eq!(names("iam?PassRole"), ["iam:PassRole"]);
    // results are sorted and unique
    let all: Vec<String> = names("*:Get*");
    let mut sorted = all.clone();
    sorted.dedup();
    assert_eq!(all.len(), sorted.len());
}

#[test]
fn expand_agrees_with_a_naive_scan() {
    for p in [
        "s3:get*",
        "*:describe*",
        "ec2:*vpc*",
        "iam:?et*",
        "s*:list*",
        "*",
        "lambda:invoke?unction",
    ] {
        let fast: Vec<u32> = cat().expand(p).iter().map(|a| a.id).collect();
        let naive: Vec<u32> = cat()
            .actions()
            .filter(|a| glob::glob_match(p.as_bytes(), a.lname()))
            .map(|a| a.id)
            .collect();
        assert_eq!(fast, naive, "{p}");
    }
}

#[test]
fn suggestions() {
    assert_eq!(
        cat().suggest("codedpeloy:ContinueDeployment", 3)[0],
        "codedeploy:ContinueDeployment"
    );
    assert_eq!(
        cat().suggest("codedeploy:ContinueDeploymnet", 1),
        ["codedeploy:ContinueDeployment"]
    );
    assert_eq!(cat().suggest("iam:PasRole", 1), ["iam:PassRole"]);
    assert_eq!(cat().suggest("ecs:Describ*", 1).len(), 1);
    assert!(cat().suggest("zzzzzzzz:Nothing", 3).is_empty());
    assert_eq!(cat().suggest("codedpeloy", 1), ["codedeploy"]);
    // an action that exists under another prefix
    assert_eq!(cat().suggest("ecs:PassRole", 3), ["iam:PassRole"]);
}

#[test]
fn condition_keys_and_types() {
    let k = cat().condition_key("aws:RequestTag/Environment").unwrap();
    assert!(k.is_global());
    assert_eq!(k.name(), "aws:RequestTag/${TagKey}");
    let k = cat().condition_key("AWS:SourceIp").unwrap();
    assert_eq!(k.key_type(), KeyType::IpAddress);
    let k = cat().condition_key("aws:TagKeys").unwrap();
    assert!(k.is_multivalued());
    let k = cat().condition_key("s3:ExistingObjectTag/env").unwrap();
    assert_eq!(k.name(), "s3:ExistingObjectTag/<key>");
    let k = cat().condition_key("iam:PassedToService").unwrap();
    assert_eq!(k.key_type(), KeyType::String);
    assert!(!k.is_global());
    assert_eq!(k.service().unwrap().name(), "iam");
    assert!(cat().condition_key("s3:NoSuchKey").is_none());
    assert!(cat().condition_key("aws:NoSuchKey").is_none());
}

#[test]
fn arn_to_resource_type() {
    let s3 = cat().service("s3").unwrap();
    let names = |arn: &str| {
        s3.resource_types_for_arn(arn)
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>()
    };
    assert_eq!(names("arn:aws:s3:::my-bucket"), ["bucket"]);
    assert_eq!(names("arn:aws:s3:::my-bucket/key.txt"), ["object"]);
    let get = cat().action("s3:GetObject").unwrap();
    assert_eq!(get.resources_for_arn("arn:aws:s3:::b/*").len(), 1);
    assert!(get.resources_for_arn("arn:aws:s3:::b").is_empty());
}

#[test]
fn bundle_round_trip() {
    let b = cat().to_bundle();
    let again = Catalog::from_bundle(&b, Origin::Memory).unwrap();
    assert_eq!(again.as_bytes(), cat().as_bytes());
}

#[test]
fn damaged_blobs_are_rejected() {
    let mut b = cat().as_bytes().to_vec();
    assert!(Catalog::from_blob(b[..100].to_vec(), Origin::Memory).is_err());
    b[0] = b'X';
    assert!(Catalog::from_blob(b, Origin::Memory).is_err());
    assert!(Catalog::from_blob(Vec::new(), Origin::Memory).is_err());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn pattern() -> impl Strategy<Value = String> {
        // pieces of real names, wildcards and the separator, in any order
        let piece = prop_oneof![
            Just("*".to_owned()),
            Just("?".to_owned()),
            Just(":".to_owned()),
            Just("s3".to_owned()),
            Just("ec2".to_owned()),
            Just("iam".to_owned()),
            Just("get".to_owned()),
            Just("Describe".to_owned()),
            Just("object".to_owned()),
            Just("role".to_owned()),
            "[a-z]{1,2}",
        ];
        proptest::collection::vec(piece, 1..6).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// `expand` (indexed, with compiled globs) returns exactly what a scan of every
        /// action with the reference matcher returns.
        #[test]
        fn expand_equals_a_full_scan(p in pattern()) {
            let lower = p.to_ascii_lowercase();
            let fast: Vec<u32> = cat().expand(&p).iter().map(|a| a.id).collect();
            let naive: Vec<u32> = cat()
                .actions()
                .filter(|a| glob::glob_match(lower.as_bytes(), a.lname()))
                .map(|a| a.id)
                .collect();
            prop_assert_eq!(fast, naive);
        }
    }
}
