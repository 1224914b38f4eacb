//! Resource policies inside templates that `verify --no-public-access` and `lint` must see:
//! the inline-policy resource types of CloudFormation and the inline `policy` arguments of
//! Terraform resources, policies CloudFormation states as one statement, and policy-shaped
//! values of types greenlight does not read (a note, and `unknown` rather than a pass).
//! Fixtures: tests/fixtures/resource-policies/, each citing the CloudFormation or Terraform
//! documentation page of the types it uses.

use serde_json::Value;

use crate::support::cli::*;

const DIR: &str = "tests/fixtures/resource-policies";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// `verify --no-public-access --format json FILE`: (exit code, the assertion, stderr).
fn no_public_access(file: &str) -> (i32, Value, String) {
    let (code, out, err) = gl(&["verify", "--no-public-access", "--format", "json", file]);
    let v = json(&out);
    let a = v["assertions"][0].clone();
    (code, a, err)
}

/// The documents of an assertion's counterexamples (or `unknown` entries), sorted, once each.
fn documents(a: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = a[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["document"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The documents `lint` reports `open-resource-policy` in, sorted.
fn open_in_lint(file: &str) -> Vec<String> {
    let (code, out, err) = gl(&["lint", "--format", "json", file]);
    assert_eq!(code, 1, "{out}{err}");
    let mut got: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "open-resource-policy")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            file.split_once('#').unwrap().1.to_string()
        })
        .collect();
    got.sort();
    got
}

/// The red team's case: the public policies of `AWS::SQS::QueueInlinePolicy`,
/// `AWS::SNS::TopicInlinePolicy` and `AWS::S3Express::BucketPolicy` were not read, so
/// `verify --no-public-access` held on the one account-only bucket policy.
#[test]
fn cloudformation_inline_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("cfn-inline.yaml"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["holds"], false);
    assert_eq!(a["checked"], 4);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "Resources/B/PolicyDocument",
            "Resources/QP/PolicyDocument",
            "Resources/TP/PolicyDocument"
        ]
    );
    let sqs = a["counterexamples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["document"] == "Resources/QP/PolicyDocument")
        .unwrap();
    assert_eq!(sqs["principal"], "*");
    assert_eq!(sqs["action"], "sqs:SendMessage");
}

#[test]
fn cloudformation_inline_policies_are_linted() {
    assert_eq!(
        open_in_lint(&fixture("cfn-inline.yaml")),
        [
            "Resources/B/PolicyDocument",
            "Resources/QP/PolicyDocument",
            "Resources/TP/PolicyDocument"
        ]
    );
}

/// A layer version permission and an event bus policy are the statement each adds (public
/// unless `OrganizationId` / the `aws:PrincipalOrgID` condition bounds it); a DynamoDB stream's
/// resource policy sits under `StreamSpecification`, a global table's under each replica.
#[test]
fn cloudformation_statements_and_nested_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("cfn-statements.yaml"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["checked"], 6);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "Resources/Bus",
            "Resources/Global/Replicas/1/ResourcePolicy/PolicyDocument",
            "Resources/Layer",
            "Resources/Table/StreamSpecification/ResourcePolicy/PolicyDocument"
        ]
    );
}

/// Policy-shaped properties of types no reader takes are named on standard error and make
/// the verdict `unknown` (exit 2), never a pass; a VPC endpoint policy (a filter) is not named.
#[test]
fn cloudformation_unread_policies_are_unknown() {
    let file = fixture("cfn-unread.yaml");
    let (code, a, err) = no_public_access(&file);
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(a["holds"], Value::Null);
    assert_eq!(
        documents(&a, "unknown"),
        [
            "Resources/Custom/Properties/Doc",
            "Resources/Perm/Properties/PolicyDocument"
        ]
    );
    assert!(
        err.contains("`Resources/Perm/Properties/PolicyDocument` (AWS::IoT::Policy) holds a policy document greenlight does not read"),
        "{err}"
    );
    assert!(!err.contains("Endpoint"), "{err}");
    // lint names them too, and stays clean
    let (code, out, err) = gl(&["lint", &file]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("Resources/Custom/Properties/Doc"), "{err}");
}

/// `diff` answers `unknown` when an unread policy changed, and nothing when it did not.
#[test]
fn diff_of_an_unread_policy_is_unknown_when_it_changed() {
    let file = fixture("cfn-unread.yaml");
    let (code, out, err) = gl(&["diff", &file, &file]);
    assert_eq!(code, 0, "{out}{err}");
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("cfn-unread.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &changed,
        // the IoT policy's `iot:*` becomes `*`
        text.replace("\"iot:*\"", "\"*\""),
    )
    .unwrap();
    let (code, out, err) = gl(&["diff", "--format", "json", &file, changed.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    let text = v.to_string();
    assert!(
        text.contains("Resources/Perm/Properties/PolicyDocument"),
        "{text}"
    );
}

/// The red team's Terraform case: inline `policy` arguments of `aws_sqs_queue`,
/// `aws_sns_topic` and `aws_s3_bucket` (and of `aws_secretsmanager_secret`,
/// `aws_opensearch_domain.access_policies`) were not read.
#[test]
fn terraform_inline_policies_are_verified() {
    let (code, a, err) = no_public_access(&fixture("tf-inline/main.tf"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["checked"], 6);
    assert_eq!(
        documents(&a, "counterexamples"),
        [
            "aws_opensearch_domain.d/access_policies",
            "aws_s3_bucket.b/policy",
            "aws_secretsmanager_secret.s/policy",
            "aws_sns_topic.t/policy",
            "aws_sqs_queue.q/policy"
        ]
    );
}

#[test]
fn terraform_inline_policies_are_linted() {
    let got = open_in_lint(&fixture("tf-inline/main.tf"));
    for want in [
        "aws_s3_bucket.b/policy",
        "aws_sns_topic.t/policy",
        "aws_sqs_queue.q/policy",
    ] {
        assert!(got.iter().any(|g| g == want), "{want}: {got:?}");
    }
}

/// `.tf`: an unread type's policy-shaped (or unknown) policy argument is `unknown`; a public
/// layer version permission is a counterexample; an event permission bounded by
/// `aws:PrincipalOrgID` and a VPC endpoint policy are not.
#[test]
fn terraform_unread_policies_are_unknown() {
    let (code, a, err) = no_public_access(&fixture("tf-unread/main.tf"));
    // a counterexample decides, whatever is unknown (red-team 8, finding 9)
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["aws_lambda_layer_version_permission.l/permission"]
    );
    assert_eq!(
        documents(&a, "unknown"),
        ["aws_iot_policy.p/policy", "aws_thing_unknown.x/policy"]
    );
    assert!(err.contains("aws_thing_unknown.x/policy"), "{err}");
    assert!(!err.contains("aws_vpc_endpoint"), "{err}");
    // `lint` of the file names them (and what the unknown one stands for)
    let (code, out, err) = gl(&["lint", &fixture("tf-unread/main.tf")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("`aws_iot_policy.p/policy` (aws_iot_policy) holds a policy document greenlight does not read"),
        "{err}"
    );
    assert!(err.contains("`UNKNOWN-var.p` stands for"), "{err}");
}

/// `diff old/ new/` of `.tf` folders: an unread policy that changed is `unknown` (exit 2).
#[test]
fn terraform_diff_of_an_unread_policy_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("tf-unread/main.tf")).unwrap();
    for (side, t) in [
        ("old", text.clone()),
        ("new", text.replace("Action = \"iot:*\"", "Action = \"*\"")),
    ] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("main.tf"), t).unwrap();
    }
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let (code, out, err) = gl(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = gl(&[
        "diff",
        "--format",
        "json",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["summary"]["unknown"], 1, "{v}");
    assert_eq!(
        v["unknown"][0]["document"], "aws_iot_policy.p/policy",
        "{v}"
    );
}

/// A plan: `aws_sqs_queue.policy` is read; `aws_s3_bucket.policy`, computed and not set by the
/// configuration, is not a document; `aws_iot_policy.policy` is named and `unknown`.
#[test]
fn terraform_plan_inline_and_unread_policies() {
    let (code, a, err) = no_public_access(&fixture("plan-inline.json"));
    // a counterexample decides, whatever is unknown (red-team 8, finding 9)
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(documents(&a, "counterexamples"), ["aws_sqs_queue.q/policy"]);
    assert_eq!(documents(&a, "unknown"), ["aws_iot_policy.i/policy"]);
    assert!(!err.contains("aws_s3_bucket.b"), "{err}");
}

/// Red-team pass 8: `aws_lambda_function_url` was not read, so a public function URL passed
/// (or, alone in its module, was "no policy"). With `authorization_type = "NONE"` the provider
/// adds `FunctionURLAllowPublicAccess` (`Principal: "*"`, `lambda:InvokeFunctionUrl`,
/// `lambda:FunctionUrlAuthType` = `NONE`) to the function's policy
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_url,
/// https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html): a counterexample on the
/// qualified function. `AWS_IAM` adds nothing; an `authorization_type` not known statically, an
/// IAM Identity Center attachment and a KMS grant are `unknown`, never passed over.
#[test]
fn terraform_function_urls_and_unmodelled_grants() {
    let (code, a, err) = no_public_access(&fixture("tf-grants/main.tf"));
    // the counterexample decides; the unread grants are still listed as unknown
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["aws_lambda_function_url.public/permission"]
    );
    let c = &a["counterexamples"][0];
    assert_eq!(c["action"], "lambda:InvokeFunctionUrl", "{c}");
    assert!(
        c["resource"]
            .as_str()
            .unwrap()
            .ends_with(":function:my-fn:live"),
        "{c}"
    );
    assert_eq!(
        documents(&a, "unknown"),
        [
            "aws_kms_grant.g",
            "aws_lambda_function_url.chosen/authorization_type",
            "aws_ssoadmin_managed_policy_attachment.admin"
        ]
    );
    assert!(
        err.contains("`aws_ssoadmin_managed_policy_attachment.admin` (aws_ssoadmin_managed_policy_attachment) may grant permissions greenlight does not read"),
        "{err}"
    );
    // lint sees the public function URL too
    assert_eq!(
        open_in_lint(&fixture("tf-grants/main.tf")),
        ["aws_lambda_function_url.public/permission"]
    );
    // the same from a plan (`terraform show -json`, https://developer.hashicorp.com/terraform/internals/json-format):
    // an `authorization_type` known only after apply is named, as is an exclusive Identity
    // Center attachment
    let (code, a, err) = no_public_access(&fixture("plan-grants.json"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["aws_lambda_function_url.public/permission"]
    );
    assert_eq!(
        documents(&a, "unknown"),
        [
            "aws_lambda_function_url.later/authorization_type",
            "aws_ssoadmin_managed_policy_attachments_exclusive.ps"
        ]
    );
}

/// The statements of a policy as `Effect actions -> resources [principals] [conditions]`,
/// sorted (each list sorted too).
fn statements(p: &greenlight::Policy) -> Vec<String> {
    use greenlight::model::PrincipalValue;
    let mut out: Vec<String> = p
        .statements
        .iter()
        .map(|s| {
            let actions: Vec<&str> = s.action.items.iter().map(|a| a.text.as_str()).collect();
            let mut resources: Vec<&str> = s
                .resource
                .as_ref()
                .map(|r| r.items.iter().map(|i| i.value.as_str()).collect())
                .unwrap_or_default();
            resources.sort_unstable();
            let principals: Vec<String> = match s.principal.as_ref().map(|p| &p.value) {
                Some(PrincipalValue::Map(entries)) => entries
                    .iter()
                    .flat_map(|e| {
                        e.values
                            .iter()
                            .map(|v| format!("{}:{}", e.kind.as_str(), v.value))
                    })
                    .collect(),
                Some(PrincipalValue::Star) => vec!["*".into()],
                None => Vec::new(),
            };
            let mut conditions: Vec<String> = s
                .conditions
                .iter()
                .map(|c| {
                    let v: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                    format!("{} {}={}", c.op.name(), c.key, v.join(","))
                })
                .collect();
            conditions.sort();
            format!(
                "{:?} {} -> {} {principals:?} {conditions:?}",
                s.effect.value,
                actions.join(","),
                resources.join(",")
            )
        })
        .collect();
    out.sort();
    out
}

/// The statements of the document `path` of a template given as text.
fn template_doc(text: &str, path: &str) -> Vec<String> {
    use greenlight::iac::cfn::{Inputs, load};
    use greenlight::source::Source;
    let inputs = Inputs {
        account: Some("123456789012".into()),
        region: Some("us-east-1".into()),
        ..Inputs::default()
    };
    let t = load(&Source::new("t.yaml", text), &inputs).unwrap();
    let x = &t.variants[0];
    let d = x.docs.iter().find(|d| d.path == path).unwrap_or_else(|| {
        panic!(
            "{path}: {:?}",
            x.docs.iter().map(|d| &d.path).collect::<Vec<_>>()
        )
    });
    statements(d.policy.as_ref().unwrap())
}

/// `AWS::Serverless::Api` `Auth.ResourcePolicy` is read as the statements SAM writes into the
/// API's definition, checked against SAM's own unit tests of `SwaggerEditor.add_resource_policy`
/// (`tests/swagger/test_swagger.py`: `test_must_add_vpc_mixed_lists`,
/// `test_must_add_iam_allow_and_custom`; a path `/foo` with `put` and `get`, stage `prod`),
/// with API Gateway's `execute-api:/...` written as the ARN it stores
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html,
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
#[test]
fn sam_api_resource_policy_statements_are_sams() {
    let template = |policy: &str| {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        swagger: \"2.0\"\n        paths:\n          /foo:\n            put: {{}}\n            get: {{}}\n      Auth:\n        ResourcePolicy:\n{policy}"
        )
    };
    let path = "Resources/Api/Properties/Auth/ResourcePolicy";
    let on = "arn:aws:execute-api:us-east-1:123456789012:UNKNOWN-Api.Ref/prod/GET/foo,arn:aws:execute-api:us-east-1:123456789012:UNKNOWN-Api.Ref/prod/PUT/foo";
    let mixed = template(
        "          SourceVpcWhitelist: [vpc-123, vpc-abc, vpce-123, vpce-ghi]\n          IntrinsicVpcWhitelist: [Mock-Allowlist-A, Mock-Allowlist-B]\n          IntrinsicVpceWhitelist: [Mock-Allowlist-C]\n          SourceVpcBlacklist: [vpc-456, vpc-def, vpce-789, vpce-abc]\n          IntrinsicVpcBlacklist: [Mock-List-1]\n          IntrinsicVpceBlacklist: [Mock-Denylist-A, Mock-List-1]\n",
    );
    let mut want = vec![
        format!("Allow execute-api:Invoke -> {on} [\"*\"] []"),
        format!(
            "Deny execute-api:Invoke -> {on} [\"*\"] [\"StringEquals aws:SourceVpc=vpc-456,vpc-def,Mock-List-1\", \"StringEquals aws:SourceVpce=vpce-789,vpce-abc,Mock-Denylist-A,Mock-List-1\"]"
        ),
        format!(
            "Deny execute-api:Invoke -> {on} [\"*\"] [\"StringNotEquals aws:SourceVpc=vpc-123,vpc-abc,Mock-Allowlist-A,Mock-Allowlist-B\", \"StringNotEquals aws:SourceVpce=vpce-123,vpce-ghi,Mock-Allowlist-C\"]"
        ),
    ];
    want.sort();
    assert_eq!(template_doc(&mixed, path), want);
    let custom = template(
        "          AwsAccountWhitelist: [\"123456\"]\n          CustomStatements:\n            - {Effect: Allow, Principal: \"*\", Action: execute-api:Invoke, Resource: [\"execute-api:/*/*/*\"]}\n            - {Effect: Allow, Principal: \"*\", Action: execute-api:blah, Resource: [\"execute-api:/*/*/*\"]}\n",
    );
    let star = "arn:aws:execute-api:us-east-1:123456789012:UNKNOWN-Api.Ref/*/*/*";
    let mut want = vec![
        format!("Allow execute-api:Invoke -> {on} [\"AWS:123456\"] []"),
        format!("Allow execute-api:Invoke -> {star} [\"*\"] []"),
        format!("Allow execute-api:blah -> {star} [\"*\"] []"),
    ];
    want.sort();
    assert_eq!(template_doc(&custom, path), want);
    // intrinsic functions resolved: the account from a parameter, the stage from `!Ref`
    let with_param = format!(
        "Parameters:\n  Partner:\n    Type: String\n    Default: \"111122223333\"\n{}",
        template("          AwsAccountWhitelist: [!Ref Partner]\n")
    );
    assert_eq!(
        template_doc(&with_param, path),
        [format!(
            "Allow execute-api:Invoke -> {on} [\"AWS:111122223333\"] []"
        )]
    );
    // entries of `SourceVpc*list` that name no VPC or endpoint are dropped, as SAM drops them
    // (`test_must_not_add_non_valid_string_list`): no statement, no document
    let none = template("          SourceVpcBlacklist: [non-valid-endpoint-name-a]\n");
    let t = greenlight::iac::cfn::load(
        &greenlight::source::Source::new("t.yaml", none.as_str()),
        &greenlight::iac::cfn::Inputs::default(),
    )
    .unwrap();
    assert!(t.variants[0].docs.iter().all(|d| d.path != path));
}

/// `verify --no-public-access` and `lint` on SAM APIs (fixture `sam-api.yaml`): an
/// `IpRangeBlacklist` makes SAM allow everyone else (public, found, located at the list); a
/// `SourceVpcWhitelist` of an endpoint is not public; an API whose paths come from
/// `DefinitionUri` cannot be rebuilt and is `unknown`, named on stderr, never a pass.
#[test]
fn sam_api_resource_policies_are_verified() {
    let file = fixture("sam-api.yaml");
    // `OrdersApi` found public decides (exit 1), though `FileApi` is undecided (red-team 8,
    // finding 9: it was exit 2)
    let (code, a, err) = no_public_access(&file);
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["holds"], false, "{a}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["Resources/OrdersApi/Properties/Auth/ResourcePolicy"]
    );
    assert_eq!(
        documents(&a, "unknown"),
        ["Resources/FileApi/Properties/Auth/ResourcePolicy"]
    );
    assert!(err.contains("`Resources/FileApi/Properties/Auth/ResourcePolicy` (AWS::Serverless::Api) may hold a policy document"), "{err}");
    assert_eq!(
        open_in_lint(&file),
        ["Resources/OrdersApi/Properties/Auth/ResourcePolicy"]
    );
}

/// The implicit API `ServerlessRestApi` (the `Api` events without `RestApiId`): stage `Prod`,
/// `Globals.Api.Auth.ResourcePolicy` on every path and an event's own `Auth.ResourcePolicy` on
/// its path, as SAM's translator writes them (its tests
/// `tests/translator/{input,output}/api_with_ip_range_blacklist` and
/// `api_with_aws_account_whitelist`; the outputs' `x-amazon-apigateway-policy`:
/// `Allow 12345`, `Allow *`, `Deny * IpAddress 1.2.3.4` on `execute-api:/Prod/PUT/get`; and
/// `Allow 12345`/`Deny 67890` on `/Prod/*/any` and on `/Prod/PUT/get`)
/// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html,
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html).
/// Before, both were named as not read.
#[test]
fn sam_implicit_api_resource_policy_statements_are_sams() {
    let function = |events: &str| {
        format!(
            "Resources:\n  MyFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Handler: index.handler\n      Runtime: nodejs12.x\n      Events:\n{events}"
        )
    };
    let api = "arn:aws:execute-api:us-east-1:123456789012:UNKNOWN-ServerlessRestApi.Ref";
    let global = format!(
        "Globals:\n  Api:\n    Auth:\n      ResourcePolicy:\n        IpRangeBlacklist: [1.2.3.4]\n        AwsAccountWhitelist: ['12345']\n{}",
        function(
            "        Api:\n          Type: Api\n          Properties:\n            Method: Put\n            Path: /get\n"
        )
    );
    let on = format!("{api}/Prod/PUT/get");
    let mut want = vec![
        format!("Allow execute-api:Invoke -> {on} [\"AWS:12345\"] []"),
        format!("Allow execute-api:Invoke -> {on} [\"*\"] []"),
        format!("Deny execute-api:Invoke -> {on} [\"*\"] [\"IpAddress aws:SourceIp=1.2.3.4\"]"),
    ];
    want.sort();
    assert_eq!(
        template_doc(&global, "Globals/Api/Auth/ResourcePolicy"),
        want
    );
    let event = |name: &str, method: &str, path: &str| {
        format!(
            "        {name}:\n          Type: Api\n          Properties:\n            Auth:\n              ResourcePolicy:\n                AwsAccountWhitelist: ['12345']\n                AwsAccountBlacklist: ['67890']\n            Method: {method}\n            Path: {path}\n"
        )
    };
    let own = function(&format!(
        "{}{}",
        event("Api", "Put", "/get"),
        event("Any", "any", "/any")
    ));
    let mut want = Vec::new();
    for on in [format!("{api}/Prod/PUT/get"), format!("{api}/Prod/*/any")] {
        want.push(format!(
            "Allow execute-api:Invoke -> {on} [\"AWS:12345\"] []"
        ));
        want.push(format!(
            "Deny execute-api:Invoke -> {on} [\"AWS:67890\"] []"
        ));
    }
    want.sort();
    assert_eq!(
        template_doc(
            &own,
            "Resources/MyFunction/Properties/Events/Api/Properties/Auth/ResourcePolicy"
        ),
        want
    );
    // `api_with_source_vpc_whitelist`: SAM resolves parameter references in the API's `Auth`
    // (`SamApi.to_cloudformation`) before it checks that `SourceVpcWhitelist` holds strings;
    // its output: `Allow *` and `Deny * StringNotEquals aws:SourceVpc [vpc-1234, vpc-5678]` on
    // each path
    let vpc = format!(
        "Parameters:\n  Vpc1:\n    Type: String\n    Default: vpc-1234\nGlobals:\n  Api:\n    Auth:\n      ResourcePolicy:\n        SourceVpcWhitelist:\n        - !Ref Vpc1\n        - vpc-5678\n{}",
        function(
            "        Api:\n          Type: Api\n          Properties:\n            Method: Put\n            Path: /get\n        ApiAnyMethod:\n          Type: Api\n          Properties:\n            Method: any\n            Path: /any/get\n"
        )
    );
    let mut want = Vec::new();
    for on in [
        format!("{api}/Prod/PUT/get"),
        format!("{api}/Prod/*/any/get"),
    ] {
        want.push(format!("Allow execute-api:Invoke -> {on} [\"*\"] []"));
        want.push(format!(
            "Deny execute-api:Invoke -> {on} [\"*\"] [\"StringNotEquals aws:SourceVpc=vpc-1234,vpc-5678\"]"
        ));
    }
    want.sort();
    assert_eq!(template_doc(&vpc, "Globals/Api/Auth/ResourcePolicy"), want);
}

/// `verify --no-public-access` and `lint` on the implicit API (fixture
/// `sam-implicit-api.yaml`): `Globals.Api.Auth.ResourcePolicy` with an `IpRangeBlacklist`
/// makes SAM allow everyone else (public: a counterexample, exit 1, and `open-resource-policy`
/// at the global); with `Globals.Api.Cors` (SAM adds `OPTIONS` methods) the policy is not
/// rebuilt and stays `unknown` (exit 2), never a pass. Before: `unknown` for both.
#[test]
fn sam_implicit_api_resource_policies_are_verified() {
    let file = fixture("sam-implicit-api.yaml");
    let (code, a, err) = no_public_access(&file);
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(a["holds"], false, "{a}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["Globals/Api/Auth/ResourcePolicy"]
    );
    assert_eq!(
        a["counterexamples"][0]["resource"],
        "arn:aws:execute-api:xx-unknown-1:000000000000:UNKNOWN-ServerlessRestApi.Ref/Prod/PUT/get"
    );
    assert!(a["unknown"].as_array().unwrap().is_empty(), "{a}");
    assert_eq!(open_in_lint(&file), ["Globals/Api/Auth/ResourcePolicy"]);
    let (code, a, err) = no_public_access(&fixture("sam-implicit-api-cors.yaml"));
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(
        documents(&a, "unknown"),
        ["Globals/Api/Auth/ResourcePolicy"]
    );
    assert!(
        err.contains("`Cors` makes SAM add `OPTIONS` methods"),
        "{err}"
    );
}

/// `AWS::ApiGateway::RestApi` `Policy` given as JSON text (CloudFormation accepts a string or
/// an object: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-restapi.html#cfn-apigateway-restapi-policy)
/// has its `execute-api:/...` short resources read as the API's ARN, as in an object
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html):
/// no `arn-missing-prefix`, and the counterexample names the API. Before: four
/// `arn-missing-prefix` errors and a counterexample on `execute-api:/prod/GET/...::...`.
#[test]
fn restapi_policy_as_json_text_is_read() {
    let file = fixture("cfn-restapi-text.yaml");
    let (code, out, err) = gl(&["lint", "--format", "json", &file]);
    assert_eq!(code, 1, "{out}{err}");
    let names: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["name"].as_str().unwrap(),
                f["file"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        names,
        [format!(
            "open-resource-policy {file}#Resources/OpenApi/Policy"
        )]
    );
    let (code, a, err) = no_public_access(&file);
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(
        documents(&a, "counterexamples"),
        ["Resources/OpenApi/Policy"]
    );
    let resource = a["counterexamples"][0]["resource"].as_str().unwrap();
    assert!(
        resource.starts_with(
            "arn:aws:execute-api:xx-unknown-1:000000000000:UNKNOWN-OpenApi.Ref/prod/GET/"
        ),
        "{resource}"
    );
}

/// Terraform resource policies (`.tf` and plan): `aws_ses_identity_policy`,
/// `aws_acmpca_policy`, `aws_oam_sink_policy`, `aws_glue_resource_policy`,
/// `aws_cloudwatch_log_resource_policy` (`policy_document`), `aws_ecr_repository_policy` and
/// `aws_ecr_registry_policy`, each open to everyone, are each a counterexample of
/// `verify --no-public-access` (the arguments as the provider documents them:
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acmpca_policy,
/// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/oam_sink_policy,
/// and the pages cited in `tf-more/main.tf`). Before, `aws_acmpca_policy` and
/// `aws_oam_sink_policy` were `unknown` (not read).
#[test]
fn terraform_more_resource_policies_are_verified() {
    let want = [
        "aws_acmpca_policy.pca/policy",
        "aws_cloudwatch_log_resource_policy.logs/policy_document",
        "aws_ecr_registry_policy.registry/policy",
        "aws_ecr_repository_policy.repo/policy",
        "aws_glue_resource_policy.glue/policy",
        "aws_oam_sink_policy.sink/policy",
        "aws_ses_identity_policy.ses/policy",
    ];
    let (code, a, err) = no_public_access(&fixture("tf-more/main.tf"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(documents(&a, "counterexamples"), want);
    assert!(a["unknown"].as_array().unwrap().is_empty(), "{a}");
    assert_eq!(open_in_lint(&fixture("tf-more/main.tf")), want);
    // the plan of the same resources, with the S3 ACLs of `tf-acl/main.tf`
    let (code, a, err) = no_public_access(&fixture("plan-more.json"));
    assert_eq!(code, 1, "{a}{err}");
    assert_eq!(documents(&a, "counterexamples"), want);
    assert_eq!(
        documents(&a, "unknown"),
        [
            "aws_s3_bucket_acl.canned/acl",
            "aws_s3_bucket_acl.grants/access_control_policy",
            "aws_s3_object.page/acl"
        ]
    );
}

/// An S3 ACL that grants to everyone is public access: the canned ACL `public-read`
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl) of
/// `aws_s3_bucket_acl` and `aws_s3_object`, a grant to the `AllUsers` group in
/// `access_control_policy`
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl),
/// and CloudFormation's `AccessControl: PublicRead`
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket.html#cfn-s3-bucket-accesscontrol).
/// greenlight does not model ACLs (whether one takes effect depends on Block Public Access and
/// object ownership), so `verify --no-public-access` is `unknown` (exit 2) naming each, never
/// "holds"; `private` is not named. Before: "holds" (exit 0) beside an account-only bucket
/// policy.
#[test]
fn public_s3_acls_are_unknown() {
    let (code, a, err) = no_public_access(&fixture("tf-acl/main.tf"));
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(a["holds"], Value::Null, "{a}");
    assert_eq!(
        documents(&a, "unknown"),
        [
            "aws_s3_bucket_acl.canned/acl",
            "aws_s3_bucket_acl.grants/access_control_policy",
            "aws_s3_object.page/acl"
        ]
    );
    assert!(
        err.contains("`aws_s3_bucket_acl.canned/acl` (aws_s3_bucket_acl) may grant public access through its S3 ACL (`public-read`, everyone may read)"),
        "{err}"
    );
    assert!(!err.contains("aws_s3_bucket_acl.private"), "{err}");
    let (code, a, err) = no_public_access(&fixture("cfn-acl.yaml"));
    assert_eq!(code, 2, "{a}{err}");
    assert_eq!(
        documents(&a, "unknown"),
        ["Resources/Site/Properties/AccessControl"]
    );
    assert!(err.contains("(`PublicRead`, everyone may read)"), "{err}");
}

/// Where SAM's resource policy cannot be rebuilt exactly it is named as not read, never read
/// narrower: a `SourceVpcWhitelist` entry from a parameter without value (SAM sorts entries
/// into `aws:SourceVpc`/`aws:SourceVpce` by their `vpc-`/`vpce-` prefix,
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html),
/// a state machine `Api` event's own policy (SAM's translator test
/// `state_machine_with_api_resource_policy` writes `__Stage__: null` in its statements), and
/// an event of a function with a `Condition` (SAM writes the paths under `Fn::If`).
#[test]
fn sam_api_policies_not_rebuilt_are_named() {
    let unread = |text: &str| -> Vec<String> {
        let t = greenlight::iac::cfn::load(
            &greenlight::source::Source::new("t.yaml", text),
            &greenlight::iac::cfn::Inputs::default(),
        )
        .unwrap();
        t.variants[0]
            .unread
            .iter()
            .map(|u| u.path.clone())
            .collect()
    };
    let event = |props: &str| {
        format!(
            "        E:\n          Type: Api\n          Properties:\n            Method: get\n            Path: /x\n{props}"
        )
    };
    let function = |ty: &str, extra: &str, events: &str| {
        format!(
            "  F:\n    Type: {ty}\n{extra}    Properties:\n      InlineCode: x\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Events:\n{events}"
        )
    };
    let no_value = format!(
        "Parameters:\n  Vpc:\n    Type: String\nGlobals:\n  Api:\n    Auth:\n      ResourcePolicy:\n        SourceVpcWhitelist: [!Ref Vpc]\nResources:\n{}",
        function("AWS::Serverless::Function", "", &event(""))
    );
    assert_eq!(unread(&no_value), ["Globals/Api/Auth/ResourcePolicy"]);
    let state_machine = format!(
        "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n{}",
        function(
            "AWS::Serverless::StateMachine",
            "",
            &event(
                "            RestApiId: !Ref Api\n            Auth:\n              ResourcePolicy:\n                IpRangeBlacklist: [1.2.3.4]\n"
            )
        )
    );
    assert_eq!(
        unread(&state_machine),
        ["Resources/F/Properties/Events/E/Properties/Auth/ResourcePolicy"]
    );
    let conditional = format!(
        "Conditions:\n  On: !Equals [a, a]\nGlobals:\n  Api:\n    Auth:\n      ResourcePolicy:\n        IpRangeBlacklist: [1.2.3.4]\nResources:\n{}",
        function(
            "AWS::Serverless::Function",
            "    Condition: On\n",
            &event("")
        )
    );
    assert_eq!(unread(&conditional), ["Globals/Api/Auth/ResourcePolicy"]);
}

/// Terraform's API Gateway resource policies take API Gateway's short resources
/// (`execute-api:/STAGE/METHOD/PATH`), which API Gateway stores as the API's ARN
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html>,
/// the private API example: Allow everyone, Deny unless `aws:SourceVpce`). Before, the short
/// form stayed as written: `verify --not-granted execute-api:Invoke` held and lint reported
/// GL056 errors on the documented form (red-team pass 12).
#[test]
fn terraform_api_gateway_short_resources_are_the_api_arn() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_api_gateway_rest_api" "api" {
  name = "x"
  endpoint_configuration { types = ["PRIVATE"] }
}
resource "aws_api_gateway_rest_api_policy" "p" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }, {
      Effect    = "Deny"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0123456789abcdef0" } }
    }]
  })
}
"#,
    );
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&[
        "verify",
        &dir,
        "--not-granted",
        "execute-api:Invoke",
        "--on",
        "arn:aws:execute-api:*:*:*",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let ex = &v["assertions"][0]["counterexamples"][0];
    assert!(
        ex["resource"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:execute-api:"),
        "{ex}"
    );
    // only through the endpoint: not public
    let (code, out, err) = gl(&["verify", &dir, "--no-public-access"]);
    assert_eq!(code, 0, "{out}{err}");
    // and the documented form lints clean of ARN errors
    let (_, out, _) = gl(&["lint", &dir, "--format", "json"]);
    assert!(!out.contains("GL056"), "{out}");
}

/// `aws_s3_object_copy` takes `acl` and `grant` as `aws_s3_object` does
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_object_copy>):
/// a public canned ACL is public access greenlight does not model, so `--no-public-access` is
/// `unknown`, never "holds" (red-team pass 12).
#[test]
fn public_acl_of_an_object_copy_is_unknown() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "main.tf",
        r#"resource "aws_s3_object_copy" "c" {
  bucket = "dest"
  key    = "k"
  source = "src/k"
  acl    = "public-read"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "dest"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::dest/*"
    }]
  })
}
"#,
    );
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&["verify", &dir, "--no-public-access", "--format", "json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(json(&out)["assertions"][0]["holds"].is_null());
}

/// An IAM Identity Center permission set's inline policy (CloudFormation `InlinePolicy`,
/// Terraform `inline_policy`, here from an `aws_iam_policy_document`) is an identity policy:
/// `lint` reports full access (GL089) and `verify` finds the counterexample (red team 39: the
/// Terraform file was "no policy", exit 0).
#[test]
fn permission_set_inline_policies_are_identity_policies() {
    for (file, doc) in [
        (
            fixture("cfn-permission-set.yaml"),
            "Resources/Admin/Properties/InlinePolicy",
        ),
        (
            fixture("tf-permission-set/main.tf"),
            "aws_ssoadmin_permission_set_inline_policy.admin/inline_policy",
        ),
    ] {
        let (code, out, err) = gl(&["lint", &file, "--format", "json"]);
        assert_eq!(code, 1, "{file}: {out}{err}");
        let v = json(&out);
        let findings = v["findings"].as_array().unwrap();
        assert!(
            findings
                .iter()
                .any(|f| f["code"] == "GL089" && f["file"].as_str().unwrap_or("").ends_with(doc)),
            "{file}: {out}"
        );
        let (code, out, err) = gl(&[
            "verify",
            &file,
            "--not-granted",
            "iam:CreateUser",
            "--format",
            "json",
        ]);
        assert_eq!(code, 1, "{file}: {out}{err}");
        assert_eq!(json(&out)["assertions"][0]["holds"], false, "{out}");
    }
}

/// `!GetAtt Rule.Arn` of an `AWS::Events::Rule` is the rule's ARN (`rule/NAME`, or
/// `rule/BUS/NAME` on another bus), so a topic policy limited to the template's own rules is
/// decided: not public. It used to be a bare placeholder that no `Arn…` operator reads (exit 2
/// on every such template; red team 60).
#[test]
fn an_event_rules_arn_is_an_arn() {
    let (code, a, err) = no_public_access(&fixture("cfn-events-rule.yaml"));
    assert_eq!((code, &a["holds"]), (0, &Value::Bool(true)), "{a}{err}");
    assert!(
        err.contains("UNKNOWN-Rule-name"),
        "the generated name is named: {err}"
    );
}
