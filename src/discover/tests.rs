use super::*;

fn kind(name: &str, text: &str) -> Sniff {
    sniff(Path::new(name), text.as_bytes(), true)
}

fn is_skip(s: &Sniff) -> bool {
    matches!(s, Sniff::Skip(_) | Sniff::Unparsable(_))
}

#[test]
fn policies_and_broken_policies_are_policies() {
    let k = Sniff::Kind(InputKind::Policy);
    assert_eq!(
        kind(
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
        ),
        k
    );
    // misspelled elements, missing Statement, a syntax error: still linted (and reported)
    assert_eq!(
        kind("p.json", r#"{"Version":"2012-10-17","Statment":[]}"#),
        k
    );
    assert_eq!(kind("p.json", r#"{"Statment":[]}"#), k);
    assert_eq!(kind("p.json", r#"{"Version":"2012-10-17"}"#), k);
    assert_eq!(
        kind(
            "p.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",}]"#
        ),
        k
    );
    assert_eq!(kind("p.json", "{\"Statement\": [{\"Effect\" 'Allow'}]}"), k);
}

#[test]
fn repository_files_are_skipped() {
    for (name, text) in [
        (
            "package.json",
            r#"{"name":"app","version":"1.0.0","scripts":{"build":"tsc"},"dependencies":{"aws-cdk-lib":"2.100.0"}}"#,
        ),
        (
            "tsconfig.json",
            "// TypeScript\n{\n  /* options */\n  \"compilerOptions\": {\"strict\": true,},\n  \"include\": [\"src\"],\n}\n",
        ),
        (
            "cdk.json",
            r#"{"app":"npx ts-node bin/app.ts","context":{"@aws-cdk/core:stackRelativeExports":true}}"#,
        ),
        (
            "params.json",
            r#"[{"ParameterKey":"Env","ParameterValue":"prod"}]"#,
        ),
        ("empty.json", ""),
        ("e.json", "{}"),
        (
            ".eslintrc.json",
            r#"{"root":true,"extends":["eslint:recommended"]}"#,
        ),
        (
            "ci.yml",
            "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        ),
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
        ),
        (
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Service\n",
        ),
        (
            "serverless.yml",
            "service: x\nprovider:\n  name: aws\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n",
        ),
        ("data.json", "not json at all"),
        (
            "greenlight-baseline.json",
            r#"{"greenlight-baseline":1,"fingerprints":[]}"#,
        ),
        (
            "greenlight.json",
            r#"{"ignore":["missing-version"],"per-path-ignores":[]}"#,
        ),
    ] {
        let s = kind(name, text);
        assert!(is_skip(&s), "{name}: {s:?}");
    }
}

/// Shapes from the AWS docs: the CloudFormation template anatomy
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html),
/// SAM's transform (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy.html),
/// `terraform show -json` (https://developer.hashicorp.com/terraform/internals/json-format) and
/// `get-account-authorization-details`
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
#[test]
fn templates_plans_and_account_files() {
    use InputKind::*;
    let cases = [
        (
            "t.yaml",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: x\nResources:\n  R:\n    Type: AWS::IAM::Role\n",
            CloudFormation,
        ),
        (
            "t.yml",
            "Resources:\n  MyBucket:\n    Type: 'AWS::S3::Bucket'\n",
            CloudFormation,
        ),
        (
            "template.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
            Sam,
        ),
        (
            "Stack.template.json",
            r#"{"Resources":{"RoleABC":{"Type":"AWS::IAM::Role","Properties":{}}},"Parameters":{"BootstrapVersion":{"Type":"AWS::SSM::Parameter::Value<String>"}}}"#,
            CloudFormation,
        ),
        (
            "t.template",
            "{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{}}",
            CloudFormation,
        ),
        (
            "t.template",
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
            CloudFormation,
        ),
        (
            "plan.json",
            r#"{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{}},"resource_changes":[]}"#,
            TerraformPlan,
        ),
        (
            "main.tf",
            "resource \"aws_iam_role\" \"r\" {}\n",
            TerraformHcl,
        ),
        // the JSON syntax (https://developer.hashicorp.com/terraform/language/syntax/json),
        // by its name
        (
            "main.tf.json",
            r#"{"resource":{"aws_iam_role":{}}}"#,
            TerraformHcl,
        ),
        (
            "authz.json",
            r#"{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}"#,
            AuthorizationDetails,
        ),
        (
            "policies.json",
            r#"{"Policies":[{"PolicyName":"p","PolicyVersionList":[]}],"IsTruncated":false}"#,
            AuthorizationDetails,
        ),
    ];
    for (name, text, want) in cases {
        assert_eq!(kind(name, text), Sniff::Kind(want), "{name}: {text}");
    }
    // a plan written by PowerShell's redirection: UTF-16LE with a BOM
    let mut utf16 = vec![0xFF, 0xFE];
    for u in r#"{"format_version":"1.2","resource_changes":[]}"#.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    assert_eq!(
        sniff(Path::new("plan.json"), &utf16, true),
        Sniff::Kind(TerraformPlan)
    );
}

/// Only a bounded prefix is read: a large unrelated file is decided from its first key; a
/// large template whose prefix holds only template sections asks for the whole file.
#[test]
fn bounded_prefix() {
    let mut lock = String::from(r#"{"name":"app","lockfileVersion":3,"packages":{"#);
    while lock.len() < PREFIX {
        lock.push_str(r#""node_modules/x":{"version":"1.0.0"},"#);
    }
    let cut = &lock.as_bytes()[..PREFIX];
    assert!(is_skip(&sniff(Path::new("package-lock.json"), cut, false)));
    let mut cfn = String::from(r#"{"Description":"x","Mappings":{"M":{"#);
    while cfn.len() < PREFIX {
        cfn.push_str(r#""us-east-1":{"AMI":"ami-0123456789abcdef0"},"#);
    }
    let cut = &cfn.as_bytes()[..PREFIX];
    assert_eq!(sniff(Path::new("big.json"), cut, false), Sniff::NeedMore);
    let mut yaml = String::from("Description: x\nMappings:\n  M:\n");
    while yaml.len() < PREFIX {
        yaml.push_str("    us-east-1: {AMI: ami-0123456789abcdef0}\n");
    }
    assert_eq!(
        sniff(Path::new("big.yaml"), &yaml.as_bytes()[..PREFIX], false),
        Sniff::NeedMore
    );
}

/// Templates in valid YAML/JSON forms the line scan misses are still templates: a resource's
/// `Type` on the next line, as a folded scalar, with the `!!str` tag, or with JSON escapes
/// (red team 72); a YAML file with a `Resources` key that is no template stays skipped.
#[test]
fn template_types_the_line_scan_misses_are_parsed() {
    let role = "AWS::IAM::Role";
    for (name, text) in [
        (
            "t.yaml",
            format!("Resources:\n  R:\n    Type:\n      {role}\n"),
        ),
        (
            "t.yaml",
            format!("Resources:\n  R:\n    Type: >-\n      {role}\n"),
        ),
        (
            "t.yaml",
            format!("Resources:\n  R:\n    Type: !!str {role}\n"),
        ),
        (
            "t.json",
            r#"{"Resources":{"R":{"Type":"AWS\u003a\u003aIAM::Role"}}}"#.to_string(),
        ),
    ] {
        assert_eq!(
            kind(name, &text),
            Sniff::Kind(InputKind::CloudFormation),
            "{text}"
        );
    }
    assert!(is_skip(&kind(
        "k.yaml",
        "Resources:\n  limits:\n    cpu: 1\nkind: Pod\n"
    )));
}
