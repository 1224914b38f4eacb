use super::*;

/// YAML 1.1 reads `2012-10-17` as a date, `123456789012` and `012345678901` as integers
/// (the second as octal), `*` as an alias, `yes`/`on`/`off` as booleans, `null`/`~` as null
/// (https://yaml.org/type/bool.html, https://yaml.org/type/int.html,
/// https://yaml.org/type/timestamp.html); CloudFormation wants each as the string.
#[test]
fn yaml_scalars_that_would_be_reinterpreted_are_quoted() {
    use cloudformation::scalar;
    for (s, want) in [
        ("2012-10-17", "'2012-10-17'"),
        ("123456789012", "'123456789012'"),
        ("012345678901", "'012345678901'"),
        ("*", "'*'"),
        ("arn:aws:s3:::bucket/*", "'arn:aws:s3:::bucket/*'"),
        ("yes", "'yes'"),
        ("On", "'On'"),
        ("off", "'off'"),
        ("Null", "'Null'"),
        ("~", "'~'"),
        ("", "''"),
        ("it's", "'it''s'"),
        ("a: b", "'a: b'"),
        ("key:", "'key:'"),
        ("#x", "'#x'"),
        ("&anchor", "'&anchor'"),
        ("!Ref x", "'!Ref x'"),
        ("a\nb", "\"a\\nb\""),
        // plain: nothing else can be read from these
        ("Allow", "Allow"),
        ("iam:PassedToService", "iam:PassedToService"),
        (
            "arn:aws:iam::123456789012:role/ecsTaskRole",
            "arn:aws:iam::123456789012:role/ecsTaskRole",
        ),
        ("ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com"),
    ] {
        assert_eq!(scalar(s), want, "{s:?}");
    }
}

#[test]
fn names_follow_each_language() {
    assert_eq!(
        logical_id("ecs-codedeploy-service-role"),
        "EcsCodedeployServiceRole"
    );
    assert_eq!(logical_id("1st-profile"), "P1stProfile");
    assert_eq!(
        resource_name("ecs-codedeploy-service-role"),
        "ecs_codedeploy_service_role"
    );
    assert_eq!(resource_name("1st.Profile"), "p_1st_profile");
    assert_eq!(
        split_role_name("service-role/ecsCodeDeployRole"),
        (Some("/service-role/".into()), "ecsCodeDeployRole".into())
    );
    assert_eq!(
        split_role_name("/a/b/r"),
        (Some("/a/b/".into()), "r".into())
    );
    assert_eq!(
        split_role_name("ecsCodeDeployRole"),
        (None, "ecsCodeDeployRole".into())
    );
}

fn doc(resource: &str) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"{resource}\"\n    }}\n  ]\n}}\n"
    )
}

fn role_input(documents: Vec<String>) -> IacInput {
    IacInput {
        profile_id: "demo-role".into(),
        description: "demo".into(),
        role: Some(RoleSpec {
            name: "demo".into(),
            path: Some("/service-role/".into()),
            trust: "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ecs.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}".into(),
        }),
        documents,
        pseudo: Default::default(),
    }
}

/// Over the 10,240-character quota of a role's inline policies
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html) the documents
/// become managed policies attached to the role.
#[test]
fn a_role_over_the_inline_quota_gets_attached_managed_policies() {
    let small = role_input(vec![doc("arn:aws:s3:::b/k"), doc("arn:aws:s3:::c/k")]);
    assert!(small.inline());
    let cfn = cloudformation::render(&small).unwrap();
    assert!(
        cfn.contains("      Policies:\n        - PolicyName: demo-role-1\n"),
        "{cfn}"
    );
    assert!(!cfn.contains("AWS::IAM::ManagedPolicy"));
    let tf = terraform::render(&small).unwrap();
    assert!(
        tf.contains("resource \"aws_iam_role_policy\" \"demo_role_2\""),
        "{tf}"
    );
    let big_resource = format!("arn:aws:s3:::{}", "b".repeat(5_800));
    let big = role_input(vec![doc(&big_resource), doc(&big_resource)]);
    assert!(!big.inline());
    let cfn = cloudformation::render(&big).unwrap();
    assert!(!cfn.contains("Policies:\n"), "{cfn}");
    assert_eq!(cfn.matches("Type: AWS::IAM::ManagedPolicy").count(), 2);
    assert_eq!(
        cfn.matches("      Roles:\n        - !Ref DemoRole\n")
            .count(),
        2
    );
    let tf = terraform::render(&big).unwrap();
    assert_eq!(tf.matches("resource \"aws_iam_policy\"").count(), 2);
    assert!(tf.contains(
        "resource \"aws_iam_role_policy_attachment\" \"demo_role_1\" {\n  role       = aws_iam_role.demo_role.name\n  policy_arn = aws_iam_policy.demo_role_1.arn\n}"
    ));
}

/// HCL reads `${` and `%{` in a quoted string as template sequences; `$${` and `%%{` are the
/// literal text (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
#[test]
fn hcl_template_sequences_are_escaped() {
    assert_eq!(
        terraform::string("arn:aws:s3:::b/${aws:username}/%{x}"),
        "\"arn:aws:s3:::b/$${aws:username}/%%{x}\""
    );
    let input = IacInput {
        profile_id: "u".into(),
        description: "d".into(),
        role: None,
        documents: vec![doc("arn:aws:s3:::b/${aws:username}/*")],
        pseudo: Default::default(),
    };
    let tf = terraform::render(&input).unwrap();
    assert!(
        tf.contains("\"Resource\": \"arn:aws:s3:::b/$${aws:username}/*\""),
        "{tf}"
    );
}

/// The CloudFormation writer reads its text back: a template whose document differs from the
/// verified one is a self-check failure, never printed.
#[test]
fn the_template_is_read_back_before_it_is_returned() {
    let input = role_input(vec![doc("arn:aws:s3:::b/k")]);
    let text = cloudformation::render(&input).unwrap();
    let trees = input.trees().unwrap();
    let trust = tree(&input.role.as_ref().unwrap().trust).unwrap();
    let ids = ["DemoRolePolicy".to_string()];
    cloudformation::read_back(&text, &input, "DemoRole", &ids, &trees, Some(&trust)).unwrap();
    let tampered = text.replace("s3:GetObject", "s3:PutObject");
    let e = cloudformation::read_back(&tampered, &input, "DemoRole", &ids, &trees, Some(&trust))
        .unwrap_err();
    assert!(e.to_string().contains("policy document 2"), "{e}");
    let renamed = text.replace("  DemoRole:\n", "  OtherRole:\n");
    assert!(
        cloudformation::read_back(&renamed, &input, "DemoRole", &ids, &trees, Some(&trust))
            .is_err()
    );
}

/// A policy variable next to a pseudo parameter: CloudFormation's `Fn::Sub` leaves `${!x}` as
/// `${x}` (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html),
/// Terraform's templates leave `$${x}` as `${x}`; the writers read back the document they were
/// given.
#[test]
fn pseudo_parameters_keep_policy_variables_literal() {
    let pseudo = Pseudo {
        account: Some("123456789012".into()),
        region: Some("us-east-1".into()),
        partition: Some("aws".into()),
    };
    assert_eq!(
        pseudo.parts("arn:aws:s3:::b/${aws:username}/*"),
        Some(vec![
            Part::Text("arn"),
            Part::Text(":"),
            Part::Partition,
            Part::Text(":"),
            Part::Text("s3"),
            Part::Text(":"),
            Part::Text(""),
            Part::Text(":"),
            Part::Text(""),
            Part::Text(":"),
            Part::Text("b/${aws:username}/*"),
        ])
    );
    assert_eq!(pseudo.parts("123456789012"), Some(vec![Part::Account]));
    // an account ID elsewhere than the account field is left alone
    assert_eq!(pseudo.parts("arn:aws-cn:s3:::123456789012"), None);
    let mut input = role_input(vec![doc("arn:aws:s3:::b/${aws:username}/*")]);
    input.pseudo = pseudo;
    let cfn = cloudformation::render(&input).unwrap();
    assert!(
        cfn.contains("Resource: !Sub 'arn:${AWS::Partition}:s3:::b/${!aws:username}/*'"),
        "{cfn}"
    );
    let tf = terraform::render(&input).unwrap();
    assert!(
        tf.contains(
            "\"Resource\": \"arn:${data.aws_partition.current.partition}:s3:::b/$${aws:username}/*\""
        ),
        "{tf}"
    );
    assert!(
        tf.starts_with("data \"aws_partition\" \"current\" {}\n\n"),
        "{tf}"
    );
}
