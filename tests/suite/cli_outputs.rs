//! What the AWS CLI prints for one policy is read as that policy (red team 39: a directory
//! walk skipped it as "no policy", exit 0): `aws iam get-role-policy` / `get-user-policy` /
//! `get-group-policy` (`{"RoleName", "PolicyName", "PolicyDocument"}`,
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html) and
//! `aws iam get-policy-version` (`{"PolicyVersion": {"Document", ...}}`,
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html). Findings
//! point at the document's lines in the file.

use crate::support::cli::*;

const ROLE_POLICY: &str = r#"{
    "RoleName": "deploy",
    "PolicyName": "inline",
    "PolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:PutRolePolicy",
                "Resource": "*"
            }
        ]
    }
}
"#;

const POLICY_VERSION: &str = r#"{
    "PolicyVersion": {
        "Document": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "iam:AttachUserPolicy",
                    "Resource": "*"
                }
            ]
        },
        "VersionId": "v2",
        "IsDefaultVersion": true,
        "CreateDate": "2026-01-01T00:00:00Z"
    }
}
"#;

#[test]
fn cli_outputs_of_one_policy_are_read_in_a_directory() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("get-role-policy.json"), ROLE_POLICY).unwrap();
    std::fs::write(d.path().join("get-policy-version.json"), POLICY_VERSION).unwrap();
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&["lint", &dir, "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let mut got: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL097")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            (
                file.rsplit(['/', '\\']).next().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    // the `Action` lines of each file
    assert_eq!(
        got,
        [
            ("get-policy-version.json".to_string(), 8),
            ("get-role-policy.json".to_string(), 9)
        ]
    );
    // verify reads it too
    let (code, out, _) = gl(&[
        "verify",
        &format!("{dir}/get-role-policy.json"),
        "--not-granted",
        "iam:PutRolePolicy",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    // another key beside the wrapper's is not this output: read strictly, an error
    let odd = ROLE_POLICY.replace("\"RoleName\"", "\"Owner\"");
    let f = d.path().join("odd.json");
    std::fs::write(&f, odd).unwrap();
    let (code, _, _) = gl(&["lint", &f.display().to_string()]);
    assert_eq!(code, 2);
}

/// `aws iam get-role` (the role's trust policy,
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html), `aws s3api
/// get-bucket-policy` and `aws lambda get-policy` (the resource policy as JSON text) are read
/// too (red team 40: skipped in a walk); an unrelated `{"Role": ...}` file is still skipped.
#[test]
fn cli_outputs_of_trust_and_resource_policies_are_read() {
    let d = tempfile::tempdir().unwrap();
    let get_role = r#"{
    "Role": {
        "Path": "/",
        "RoleName": "open",
        "RoleId": "AROAEXAMPLE",
        "Arn": "arn:aws:iam::111122223333:role/open",
        "CreateDate": "2026-01-01T00:00:00Z",
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]
        }
    }
}
"#;
    let bucket = r#"{
    "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"
}
"#;
    let unrelated = r#"{"Role": {"name": "web", "replicas": 2}}"#;
    // an app setting and `aws organizations describe-policy` (red team 41: read as policies,
    // exit 2)
    let setting = r#"{"Policy": "strict"}"#;
    let org = r#"{"Policy": {"PolicySummary": {"Id": "p-1", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}}"#;
    std::fs::write(d.path().join("settings.json"), setting).unwrap();
    std::fs::write(d.path().join("describe-policy.json"), org).unwrap();
    std::fs::write(d.path().join("get-role.json"), get_role).unwrap();
    std::fs::write(d.path().join("get-bucket-policy.json"), bucket).unwrap();
    std::fs::write(d.path().join("app-config.json"), unrelated).unwrap();
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&["lint", &dir, "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let mut got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"]
                    .as_str()
                    .unwrap()
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap()
                    .to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, c)| c == "GL072" || c == "GL093")
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("get-bucket-policy.json".to_string(), "GL093".to_string()),
            ("get-role.json".to_string(), "GL072".to_string())
        ]
    );
    for f in ["get-role.json", "get-bucket-policy.json"] {
        let (code, out, _) = gl(&[
            "verify",
            &format!("{dir}/{f}"),
            "--no-public-access",
            "--format",
            "json",
        ]);
        assert_eq!(code, 1, "{f}: {out}");
    }
}

/// The other resource policies the AWS CLI prints as JSON text, and a permission set's inline
/// policy (tests/fixtures/cli-outputs/README.md): read in a walk beside unrelated JSON, each in
/// its role (red team 43: skipped as "no policy in them").
#[test]
fn resource_policy_outputs_of_other_services_are_read() {
    let dir = "tests/fixtures/cli-outputs";
    let (code, out, err) = gl(&["lint", "--format", "json", dir]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 13, "{v}");
    for f in std::fs::read_dir(dir).unwrap() {
        let p = f.unwrap().path();
        let name = p.display().to_string();
        // (the one policy that is not public: [`codeartifact_and_opensearch_outputs_are_read`])
        if !name.ends_with(".json") || name.ends_with("opensearch-describe-domain.json") {
            continue;
        }
        if name.contains("sso-admin") {
            let (code, out, err) = gl(&[
                "verify",
                "--format",
                "json",
                &name,
                "--not-granted",
                "iam:CreateUser",
            ]);
            assert_eq!(code, 1, "{name}: {out}{err}");
            continue;
        }
        let (code, out, err) = gl(&["verify", "--format", "json", "--no-public-access", &name]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert_eq!(
            json(&out)["assertions"][0]["holds"],
            serde_json::json!(false),
            "{name}"
        );
    }
    // an `Attributes` object without a policy is another file
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "sub.json",
        r#"{"Attributes": {"Protocol": "sqs", "Owner": "123456789012"}}"#,
    );
    write(
        d.path(),
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    );
    let (code, out, err) = gl(&["lint", "--format", "json", &d.path().display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["files"].as_array().unwrap().len(), 1, "{out}");
}

/// CodeArtifact's and OpenSearch's policies as the AWS CLI prints them (the policy text one or
/// two levels down) are read, in a walk and named; public access is found where the policy
/// grants it. Fixtures and their sources: tests/fixtures/cli-outputs/README.md.
#[test]
fn codeartifact_and_opensearch_outputs_are_read() {
    let fx = |n: &str| format!("tests/fixtures/cli-outputs/{n}");
    for (file, code) in [
        ("codeartifact-get-repository-permissions-policy.json", 1),
        ("opensearch-describe-domain-config.json", 1),
        ("opensearch-describe-domain.json", 0),
    ] {
        let (got, out, err) = gl(&["verify", &fx(file), "--no-public-access"]);
        assert_eq!(got, code, "{file}: {out}{err}");
    }
    let (_, out, err) = gl(&["lint", "--verbose", "--format", "json", &fx("")]);
    let v = json(&out);
    let docs: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "linted")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    for f in [
        "codeartifact-get-repository-permissions-policy.json",
        "opensearch-describe-domain-config.json",
        "opensearch-describe-domain.json",
    ] {
        assert!(docs.iter().any(|d| d.ends_with(f)), "{f}: {docs:?}{err}");
    }
}
