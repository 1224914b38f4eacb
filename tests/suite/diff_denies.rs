//! A `Deny` keeps out what other policies allow: the principal's other identity policies, or
//! the `FullAWSAccess` SCP that AWS Organizations attaches by default beside every SCP of a
//! deny list. Narrowing or deleting it is new access even in a policy that allows nothing
//! itself (IAM policy evaluation logic,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>;
//! SCP evaluation,
//! <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
//! Red-team pass 9: both read "0 added", and `verify --policy-type scp --not-granted` held for
//! every action against a deny-only SCP.

use crate::support::cli::*;

const DENY_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#;
const DENY_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#;
/// `DENY_S3` written another way: two statements, the service's actions split by prefix.
const DENY_S3_SPLIT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:Get*","s3:Put*"],"Resource":"*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"S3:*","Resource":["arn:aws:s3:::*","*"]}]}"#;

fn diff(kind: &str, old: &str, new: &str) -> (i32, serde_json::Value) {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "old.json", old);
    let b = write(d.path(), "new.json", new);
    let (code, out, err) = gl(&["diff", "--policy-type", kind, "--format", "json", &a, &b]);
    assert!(code == 0 || code == 1, "{out}{err}");
    (code, json(&out))
}

#[test]
fn narrowing_or_deleting_a_deny_is_an_addition() {
    let empty = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
    for kind in ["identity", "scp"] {
        let (code, v) = diff(kind, DENY_S3, DENY_GET);
        assert_eq!(code, 1, "{kind}: {v}");
        let g = &v["added"][0];
        // the group points at the old policy's Deny that no longer keeps the requests out
        assert_eq!(g["statements"][0]["sid"], "NoS3", "{kind}: {v}");
        assert!(
            g["statements"][0]["file"]
                .as_str()
                .unwrap()
                .ends_with("old.json")
        );
        let actions: Vec<&str> = g["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(actions.contains(&"s3:PutObject"), "{kind}: {v}");
        assert!(!actions.contains(&"s3:GetObject"), "{kind}: {v}");
        assert!(g["example"]["action"].as_str().unwrap().starts_with("s3:"));
        // widening the Deny back is a removal only
        let (code, v) = diff(kind, DENY_GET, DENY_S3);
        assert_eq!(
            (code, &v["summary"]["added"]),
            (0, &serde_json::json!(0)),
            "{kind}: {v}"
        );
        // deleting it (the policy then allows one harmless action) adds every s3 action
        let (code, v) = diff(kind, DENY_S3, empty);
        assert_eq!(code, 1, "{kind}: {v}");
    }
}

#[test]
fn an_equivalent_deny_is_nothing_new() {
    for kind in ["identity", "scp"] {
        let (code, v) = diff(kind, DENY_S3, DENY_S3_SPLIT);
        assert_eq!(code, 0, "{kind}: {v}");
        assert_eq!(v["summary"]["added"], 0, "{kind}: {v}");
        assert_eq!(v["summary"]["removed"], 0, "{kind}: {v}");
    }
}

/// Another SCP at the same level (by default `FullAWSAccess`) may allow what a deny-list SCP
/// does not name, so `--not-granted` holds only for what the SCP denies.
#[test]
fn verify_of_an_scp_holds_only_for_what_it_denies() {
    let d = tempfile::tempdir().unwrap();
    let scp = write(d.path(), "scp.json", DENY_S3);
    let run = |action: &str| {
        let (code, out, err) = gl(&[
            "verify",
            "--policy-type",
            "scp",
            "--format",
            "json",
            &scp,
            "--not-granted",
            action,
        ]);
        (code, json(&out)["assertions"][0]["holds"].clone(), err)
    };
    let (code, holds, err) = run("iam:CreateUser");
    assert_eq!((code, holds), (1, serde_json::json!(false)), "{err}");
    let (code, holds, err) = run("s3:DeleteObject");
    assert_eq!((code, holds), (0, serde_json::json!(true)), "{err}");
}

/// AWS Organizations attaches `FullAWSAccess` at every level unless it is detached, so an
/// SCP's `Allow` statements add nothing beside it and its `Deny` statements are what count:
/// removing the `Deny` of an SCP that also allows is an addition (red-team pass 10: "0 added"),
/// and `verify` of an allow-list SCP holds only for what it denies.
#[test]
fn an_scp_that_also_allows_is_asked_beside_full_aws_access() {
    let old = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let (code, v) = diff("scp", old, new);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["added"][0]["statements"][0]["sid"], "NoIam", "{v}");
    // widening the allow list alone is still seen (the SCP asked on its own)
    let wider = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}]}"#;
    let (code, v) = diff("scp", new, wider);
    assert_eq!(code, 1, "{v}");
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "allow-list.json", new);
    let (code, out, err) = gl(&[
        "verify",
        "--policy-type",
        "scp",
        "--format",
        "json",
        &f,
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(json(&out)["assertions"][0]["holds"], false);
}
