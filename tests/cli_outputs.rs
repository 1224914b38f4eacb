//! What the AWS CLI prints for one policy is read as that policy (red team 39: a directory
//! walk skipped it as "no policy", exit 0): `aws iam get-role-policy` / `get-user-policy` /
//! `get-group-policy` (`{"RoleName", "PolicyName", "PolicyDocument"}`,
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html) and
//! `aws iam get-policy-version` (`{"PolicyVersion": {"Document", ...}}`,
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html). Findings
//! point at the document's lines in the file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cli.rs"]
mod cli;
use cli::*;

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
