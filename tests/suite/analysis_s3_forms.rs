//! S3 authorizes bucket actions against the bucket's ARN and object actions against the
//! object's, as the Service Authorization Reference lists each action's resource types
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>):
//! `s3:ListBucket` on `arn:aws:s3:::b/x` is no request AWS makes, so `diff` and `verify` do not
//! count it (red team 34). The docs' own policy, `ListBucket` on the bucket and `GetObject`/
//! `PutObject` on its objects, merged onto both ARNs, grants nothing new. Also S3's CloudFront
//! origin access identity principal.

use crate::support::cli::*;

fn policy(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

fn stmt(actions: &str, resources: &str) -> String {
    format!(r#"{{"Effect":"Allow","Action":{actions},"Resource":{resources}}}"#)
}

fn diff(old: &str, new: &str) -> (i32, serde_json::Value) {
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "old.json", old);
    let b = write(d.path(), "new.json", new);
    let (code, out, err) = gl(&["diff", &a, &b, "--format", "json"]);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}")),
    )
}

const B: &str = r#""arn:aws:s3:::amzn-s3-demo-bucket""#;
const OBJ: &str = r#""arn:aws:s3:::amzn-s3-demo-bucket/*""#;

#[test]
fn merging_the_bucket_and_object_statements_adds_nothing() {
    let split = policy(&format!(
        "{},{}",
        stmt(r#""s3:ListBucket""#, B),
        stmt(r#"["s3:GetObject","s3:PutObject"]"#, OBJ)
    ));
    let merged = policy(&stmt(
        r#"["s3:ListBucket","s3:GetObject","s3:PutObject"]"#,
        &format!("[{B},{OBJ}]"),
    ));
    for (old, new) in [(&split, &merged), (&merged, &split)] {
        let (code, v) = diff(old, new);
        assert_eq!(code, 0, "{v}");
        assert_eq!(v["summary"]["added"], 0, "{v}");
        assert_eq!(v["summary"]["removed"], 0, "{v}");
    }
    // `verify`: ListBucket on the objects is no request
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "p.json", &merged);
    let (code, out, err) = gl(&[
        "verify",
        &f,
        "--not-granted",
        "s3:ListBucket",
        "--on",
        "arn:aws:s3:::amzn-s3-demo-bucket/*",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // ... and on the bucket it is
    let (code, out, err) = gl(&[
        "verify",
        &f,
        "--not-granted",
        "s3:ListBucket",
        "--on",
        "arn:aws:s3:::amzn-s3-demo-bucket",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
}

/// Real additions on S3 ARNs are still found, each example a request of the action's own
/// resource type.
#[test]
fn wider_s3_resources_are_still_added() {
    for (actions, old, new, action, resource) in [
        (
            r#""s3:ListBucket""#,
            B,
            r#""arn:aws:s3:::*""#,
            "s3:ListBucket",
            "arn:aws:s3:::",
        ),
        (
            r#""s3:ListBucket""#,
            B,
            r#""arn:aws:s3:::amzn-s3-demo-bucket*""#,
            "s3:ListBucket",
            "arn:aws:s3:::amzn-s3-demo-bucket",
        ),
        (
            r#"["s3:GetObject","s3:ListBucket"]"#,
            OBJ,
            &format!("[{OBJ},{B}]") as &str,
            "s3:ListBucket",
            "arn:aws:s3:::amzn-s3-demo-bucket",
        ),
        (
            r#""s3:GetObject""#,
            OBJ,
            r#""arn:aws:s3:::*/*""#,
            "s3:GetObject",
            "arn:aws:s3:::",
        ),
    ] {
        let (code, v) = diff(&policy(&stmt(actions, old)), &policy(&stmt(actions, new)));
        assert_eq!(code, 1, "{new}: {v}");
        let ex = &v["added"][0]["example"];
        assert_eq!(ex["action"], action, "{new}: {v}");
        let r = ex["resource"].as_str().unwrap();
        assert!(r.starts_with(resource), "{new}: {r}");
        // a bucket action on a bucket ARN, an object action on an object ARN
        assert_eq!(r.contains('/'), action == "s3:GetObject", "{new}: {r}");
    }
    // `s3:Get*` gains the bucket-level reads on the bucket, not the object reads
    let (code, v) = diff(
        &policy(&stmt(r#""s3:Get*""#, OBJ)),
        &policy(&stmt(r#""s3:Get*""#, &format!("[{OBJ},{B}]"))),
    );
    assert_eq!(code, 1, "{v}");
    let actions: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["actions"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(actions.contains(&"s3:GetBucketPolicy"), "{actions:?}");
    assert!(!actions.contains(&"s3:GetObject"), "{actions:?}");
}

/// A bucket policy granting a CloudFront origin access identity, as CloudFront documents it
/// (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ID`,
/// <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html>,
/// red team 34): a valid principal for `lint`, `simulate` allows it, and it is outside every
/// customer account (`--only-accounts` fails) without being public. It was GL065 for `lint`
/// and `holds` for `--only-accounts` with any account.
#[test]
fn a_cloudfront_origin_access_identity_is_a_principal_outside_the_accounts() {
    let oai = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL";
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "bucket.json",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{oai}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}]}}"#
        ),
    );
    let (code, out, err) = gl(&["lint", "--policy-type", "resource", &f, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("GL065"), "{out}");
    let (code, out, err) = gl(&[
        "simulate",
        "--resource-policy",
        &f,
        "--principal",
        oai,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::amzn-s3-demo-bucket/x",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = gl(&[
        "verify",
        &f,
        "--only-accounts",
        "111122223333",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let (code, out, err) = gl(&["verify", &f, "--no-public-access", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
}

/// A policy variable in the bucket position takes values that may hold a `/` (a tag value,
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html>, which a caller may set
/// as a session tag): `GetObject` on `arn:aws:s3:::${aws:PrincipalTag/p}` reaches objects, so
/// the forms are not cut there (red team 35: `verify` held and `diff` lost every object action).
#[test]
fn a_variable_bucket_is_not_cut_by_the_forms() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "p.json",
        &policy(&stmt(
            r#""s3:GetObject""#,
            r#""arn:aws:s3:::${aws:PrincipalTag/p}""#,
        )),
    );
    let (code, out, err) = gl(&[
        "verify",
        &f,
        "--not-granted",
        "s3:GetObject",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let all = policy(&stmt(
        r#""s3:*""#,
        r#""arn:aws:s3:::${aws:PrincipalTag/p}""#,
    ));
    let (code, v) = diff(&policy(""), &all);
    assert_eq!(code, 1, "{v}");
    let n: usize = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["actions"].as_array().unwrap().len())
        .sum();
    // every S3 action, the object ones too
    let (_, every) = diff(&policy(""), &policy(&stmt(r#""s3:*""#, r#""*""#)));
    let m: usize = every["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["actions"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, m, "{v}");
}

/// The IAM User Guide's home-folder policy
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_home-directory-console.html>,
/// `s3:*` on `arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*`): the `/` before the
/// variable makes every value an object, so no bucket action is granted on it, and `s3:*` in
/// place of `GetObject`/`PutObject` adds object actions only (red team 47: `verify
/// --not-granted s3:DeleteBucket` failed on an object ARN; `diff` listed bucket actions).
#[test]
fn a_variable_after_the_bucket_keeps_the_object_form() {
    let home = policy(&format!(
        r#"{{"Sid":"AllowListingOfUserFolder","Effect":"Allow","Action":"s3:ListBucket","Resource":{B},"Condition":{{"StringLike":{{"s3:prefix":["home/${{aws:username}}/*","home/${{aws:username}}"]}}}}}},{}"#,
        stmt(
            r#""s3:*""#,
            r#""arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*""#
        )
    ));
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "home.json", &home);
    let verify = |action: &str| {
        let (code, out, err) = gl(&["verify", &f, "--not-granted", action, "--format", "json"]);
        (code, format!("{out}{err}"))
    };
    for bucket_action in ["s3:DeleteBucket", "s3:PutBucketPolicy"] {
        let (code, out) = verify(bucket_action);
        assert_eq!(code, 0, "{bucket_action}: {out}");
    }
    // the object actions are granted (a user's own folder)
    let (code, out) = verify("s3:DeleteObject");
    assert_eq!(code, 1, "{out}");
    let var = r#""arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*""#;
    let (_, v) = diff(
        &policy(&stmt(r#"["s3:GetObject","s3:PutObject"]"#, var)),
        &policy(&stmt(r#""s3:*""#, var)),
    );
    let actions: Vec<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["actions"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(actions.contains(&"s3:DeleteObject"), "{v}");
    assert!(
        !actions
            .iter()
            .any(|a| ["s3:DeleteBucket", "s3:CreateBucket", "s3:PutBucketPolicy"].contains(a)),
        "{v}"
    );
}

/// S3 actions whose resource types are neither a bucket nor an object (access points,
/// Multi-Region Access Points, Access Grants, Batch Operations jobs, Storage Lens) are granted
/// by `s3:*` on `*` (red team 48: the bucket/object cut dropped every statement for them).
#[test]
fn actions_of_neither_form_are_still_granted() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "s3.json", &policy(&stmt(r#""s3:*""#, r#""*""#)));
    for action in [
        "s3:PutAccessPointPolicy",
        "s3:CreateAccessPoint",
        "s3:DeleteAccessGrant",
        "s3:PutMultiRegionAccessPointPolicy",
    ] {
        let (code, out, err) = gl(&["verify", &f, "--not-granted", action, "--format", "json"]);
        assert_eq!(code, 1, "{action}: {out}{err}");
    }
    let none = policy(&stmt(
        r#""sqs:SendMessage""#,
        r#""arn:aws:sqs:us-east-1:111122223333:q""#,
    ));
    let more = policy(&format!(
        "{},{}",
        stmt(
            r#""sqs:SendMessage""#,
            r#""arn:aws:sqs:us-east-1:111122223333:q""#
        ),
        stmt(r#""s3:PutAccessPointPolicy""#, r#""*""#)
    ));
    let (code, v) = diff(&none, &more);
    assert_eq!(code, 1, "{v}");
}

/// `verify --on` a resource the home-folder policy's variable item can never name (another
/// bucket, another folder): the variable's values do not matter there, so the answer holds
/// (red team 47: `unknown`); on the home folders themselves it does not hold.
#[test]
fn a_variable_item_that_cannot_reach_the_resources_asked_about_decides_nothing() {
    let home = policy(&stmt(
        r#""s3:*""#,
        r#""arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*""#,
    ));
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "home.json", &home);
    let verify = |on: &str| {
        let (code, out, err) = gl(&[
            "verify",
            &f,
            "--not-granted",
            "s3:GetObject",
            "--on",
            on,
            "--format",
            "json",
        ]);
        (code, format!("{out}{err}"))
    };
    for on in [
        "arn:aws:s3:::amzn-s3-demo-bucket/private/*",
        "arn:aws:s3:::other/*",
    ] {
        let (code, out) = verify(on);
        assert_eq!(code, 0, "{on}: {out}");
    }
    let (code, out) = verify("arn:aws:s3:::amzn-s3-demo-bucket/home/*");
    assert_ne!(code, 0, "{out}");
}
