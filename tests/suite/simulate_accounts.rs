//! `greenlight simulate` for a principal without identity policies, and for resources whose
//! ARN names no account (issue 10 §6), run as a process.
//!
//! - IAM-EVAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
//! - IAM-EVAL-XACCT: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
//! - S3-XACCT: https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/simulate")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .arg("simulate")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const BOB: &str = "arn:aws:iam::444455556666:user/bob";
const OBJECT: &str = "arn:aws:s3:::amzn-s3-demo-bucket/report.csv";

#[test]
fn a_principal_without_policies_is_implicitly_denied() {
    // IAM-EVAL: "By default, all requests are implicitly denied"; a principal with no policy
    // at all has nothing that allows.
    let o = run(&[
        "--principal",
        BOB,
        "--action",
        "s3:GetObject",
        "--resource",
        OBJECT,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = &json(&o)["results"][0];
    assert_eq!(r["decision"], "implicitDeny");
    assert_eq!(r["matchedStatements"].as_array().unwrap().len(), 0);
    let o = run(&[
        "--principal",
        BOB,
        "--action",
        "s3:GetObject",
        "--expect",
        "denied",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no policy allows the request"));
    // Still an error without any principal or policy: nothing to evaluate.
    let o = run(&["--action", "s3:GetObject"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_s3_resource_without_an_account_says_which_account_was_assumed() {
    // S3-XACCT: a bucket policy of the owner account grants a user of another account.
    // IAM-EVAL-XACCT: cross-account, the caller's identity policies must allow too; in one
    // account the resource policy alone allows a named user (IAM-EVAL). An S3 ARN has no
    // account field, so the owner must be given.
    let rp = fixture("cross-account-bucket-policy.json");
    let base = [
        "--resource-policy",
        rp.as_str(),
        "--principal",
        BOB,
        "--action",
        "s3:GetObject",
        "--resource",
        OBJECT,
        "--format",
        "json",
    ];
    let o = run(&base);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = &json(&o)["results"][0];
    assert_eq!(r["decision"], "allowed");
    assert_eq!(r["assumedResourceAccount"], "444455556666");
    let err = stderr(&o);
    assert!(err.contains("444455556666"), "{err}");
    assert!(err.contains("--resource-account"), "{err}");
    // The owner named: cross-account, and bob has no identity policy.
    let mut args = base.to_vec();
    args.extend(["--resource-account", "111122223333"]);
    let o = run(&args);
    let r = &json(&o)["results"][0];
    assert_eq!(r["decision"], "implicitDeny");
    assert!(r.get("assumedResourceAccount").is_none());
    assert!(!stderr(&o).contains("--resource-account"), "{}", stderr(&o));
    // An ARN with an account field needs no assumption.
    let o = run(&[
        "--resource-policy",
        &rp,
        "--principal",
        BOB,
        "--action",
        "sqs:SendMessage",
        "--resource",
        "arn:aws:sqs:us-east-1:111122223333:queue1",
        "--format",
        "json",
    ]);
    assert!(
        json(&o)["results"][0]
            .get("assumedResourceAccount")
            .is_none()
    );
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

/// KMS key policies: "Unless the key policy explicitly allows it, you cannot use IAM policies
/// to allow access to a KMS key"
/// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html); the statement
/// naming the account root is what lets IAM policies grant
/// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
/// Regression (red-team pass 4, case 4): an identity policy alone used to allow.
#[test]
fn an_identity_policy_alone_cannot_use_a_kms_key() {
    let ask = |key_policy: &str, principal: &str| {
        let o = run(&[
            "--resource-policy",
            &fixture(key_policy),
            "--policy",
            &fixture("allow-all.json"),
            "--principal",
            principal,
            "--action",
            "kms:Decrypt",
            "--resource",
            "arn:aws:kms:us-east-1:111122223333:key/abc",
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&o)["results"][0].clone()
    };
    let dev = "arn:aws:iam::111122223333:role/Dev";
    let r = ask("kms-key-policy-admin-only.json", dev);
    assert_eq!(r["decision"], "implicitDeny", "{r}");
    let o = run(&[
        "--resource-policy",
        &fixture("kms-key-policy-admin-only.json"),
        "--policy",
        &fixture("allow-all.json"),
        "--principal",
        dev,
        "--action",
        "kms:Decrypt",
        "--resource",
        "arn:aws:kms:us-east-1:111122223333:key/abc",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("KMS key policy allows neither"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // the root statement delegates to the identity policy
    let r = ask("kms-key-policy-with-root.json", dev);
    assert_eq!(r["decision"], "allowed", "{r}");
    // the principal the key policy names needs no identity policy
    let r = ask(
        "kms-key-policy-admin-only.json",
        "arn:aws:iam::111122223333:role/Admin",
    );
    assert_eq!(r["decision"], "allowed", "{r}");
}
