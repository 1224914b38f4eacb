//! `greenlight diff` and `greenlight verify`, run as processes: JSON contract, exit codes, and
//! every reported request re-decided with `greenlight simulate`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn fx(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/analysis")
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
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `simulate` decides an example request against one identity policy.
fn simulate_identity(policy: &str, ex: &Value) -> String {
    simulate_example(&["--policy", policy], ex)
}

/// `simulate`'s decision of an example request (`action`, `resource`, `principal` when set,
/// `context`) with the policy arguments `lead`.
fn simulate_example(lead: &[&str], ex: &Value) -> String {
    let mut args: Vec<String> = std::iter::once("simulate")
        .chain(lead.iter().copied())
        .map(str::to_string)
        .collect();
    if let Some(p) = ex["principal"].as_str() {
        args.extend(["--principal".into(), p.into()]);
    }
    args.extend([
        "--action".into(),
        ex["action"].as_str().unwrap().into(),
        "--resource".into(),
        ex["resource"].as_str().unwrap().into(),
        "--format".into(),
        "json".into(),
    ]);
    let ctx = ex["context"].as_object().unwrap();
    if !ctx.is_empty() {
        args.push("--context-json".into());
        args.push(serde_json::to_string(ctx).unwrap());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let v = json(&run(&a));
    let results = v
        .get("results")
        .or_else(|| v.get("decisions"))
        .cloned()
        .unwrap_or(v.clone());
    let first = match &results {
        Value::Array(a) => a[0].clone(),
        other => other.clone(),
    };
    first["decision"].as_str().unwrap_or_default().to_string()
}

/// IAM example policies: adding a write statement is an addition (exit 1) whose example
/// `simulate` allows under NEW and denies under OLD; the reverse is a removal (exit 0).
#[test]
fn diff_reports_additions_with_examples_simulate_confirms() {
    let (old, new) = (fx("s3-read.json"), fx("s3-read-write.json"));
    let out = run(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["removed"], 0);
    assert_eq!(v["summary"]["unknown"], 0);
    let g = &v["added"][0];
    let actions: Vec<&str> = g["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(actions, ["s3:DeleteObject", "s3:PutObject"]);
    assert_eq!(g["statements"][0]["sid"], "Write");
    assert_eq!(g["statements"][0]["line"], 10);
    assert!(
        g["statements"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("s3-read-write.json")
    );
    assert!(g["description"].as_str().unwrap().contains("Write"));
    assert!(g["example"]["principal"].is_null());
    assert_eq!(simulate_identity(&new, &g["example"]), "allowed");
    assert_ne!(simulate_identity(&old, &g["example"]), "allowed");

    let out = run(&["diff", &new, &old, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["summary"]["removed"], 1);
}

/// Splitting, reordering and the letter case of actions change nothing.
#[test]
fn diff_of_an_equivalent_rewrite_is_empty() {
    let out = run(&[
        "diff",
        &fx("s3-read.json"),
        &fx("s3-read-split.json"),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["added"], serde_json::json!([]));
    assert_eq!(v["removed"], serde_json::json!([]));
    // text and machine formats run too
    for f in ["text", "sarif", "github"] {
        let out = run(&[
            "diff",
            &fx("s3-read.json"),
            &fx("s3-read-write.json"),
            "--format",
            f,
        ]);
        assert_eq!(out.status.code(), Some(1));
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(s.contains("diff/added"), "{f}: {s}");
    }
}

/// S3 "The meaning of public": `aws:SecureTransport` does not bound the caller, a fixed
/// `aws:PrincipalOrgID` does
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
#[test]
fn verify_no_public_access_on_buckets() {
    let out = run(&[
        "verify",
        &fx("bucket-public-tls.json"),
        "--no-public-access",
        "--resource-type",
        "AWS::S3::Bucket",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let a = &v["assertions"][0];
    assert_eq!(a["kind"], "noPublicAccess");
    assert_eq!(a["holds"], false);
    let c = &a["counterexamples"][0];
    assert_eq!(c["statements"][0]["sid"], "PublicRead");
    assert_eq!(c["action"], "s3:GetObject");

    let out = run(&[
        "verify",
        &fx("bucket-org.json"),
        "--no-public-access",
        "--resource-type",
        "AWS::S3::Bucket",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["assertions"][0]["holds"], true);
}

/// IAM docs: a service role trusted by `ec2.amazonaws.com` can be assumed by EC2 only; a
/// trust to account 111122223333 is not public but is outside any other account; `{"AWS":"*"}`
/// with a wildcard `aws:PrincipalArn` is open to every account.
#[test]
fn verify_trust_policies() {
    let t = "AWS::IAM::AssumeRolePolicyDocument";
    let holds = |file: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            file,
            "--no-public-access",
            "--resource-type",
            t,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = run(&args);
        let v = json(&out);
        (
            out.status.code(),
            v["assertions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["holds"].clone())
                .collect::<Vec<_>>(),
        )
    };
    let ec2 = fx("trust-ec2.json");
    assert_eq!(holds(&ec2, &[]), (Some(0), vec![Value::Bool(true)]));
    let acct = fx("trust-account.json");
    assert_eq!(
        holds(&acct, &["--only-accounts", "111122223333"]),
        (Some(0), vec![Value::Bool(true), Value::Bool(true)])
    );
    assert_eq!(
        holds(&acct, &["--only-accounts", "444455556666"]),
        (Some(1), vec![Value::Bool(true), Value::Bool(false)])
    );
    let any = fx("trust-any-role.json");
    assert_eq!(holds(&any, &[]), (Some(1), vec![Value::Bool(false)]));
}

/// `--not-granted` over an identity policy: holds for actions it never names, fails with the
/// granting statement otherwise; usage errors exit 2.
#[test]
fn verify_not_granted() {
    let p = fx("s3-read-write.json");
    let out = run(&[
        "verify",
        &p,
        "--not-granted",
        "iam:*",
        "s3:PutBucketPolicy",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["assertions"][0]["holds"], true);
    let out = run(&[
        "verify",
        &p,
        "--not-granted",
        "s3:Delete*",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let a = &json(&out)["assertions"][0];
    assert_eq!(a["counterexamples"][0]["action"], "s3:DeleteObject");
    assert_eq!(a["counterexamples"][0]["statements"][0]["sid"], "Write");
    assert_eq!(simulate_identity(&p, &a["counterexamples"][0]), "allowed");
    // restricted to another bucket: holds
    let out = run(&[
        "verify",
        &p,
        "--not-granted",
        "s3:Delete*",
        "--on",
        "arn:aws:s3:::other/*",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(run(&["verify", &p]).status.code(), Some(2));
    assert_eq!(
        run(&["verify", &p, "--only-accounts", "12"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&[
            "verify",
            &p,
            "--no-public-access",
            "--resource-type",
            "AWS::Nope"
        ])
        .status
        .code(),
        Some(2)
    );
}

/// `verify` of a bucket policy written to a temporary file: (exit code, assertion JSON).
fn verify_bucket(policy: &str, assertion: &[&str]) -> (Option<i32>, Value) {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("bucket.json");
    std::fs::write(&f, policy).unwrap();
    let mut args = vec!["verify", f.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(assertion);
    let out = run(&args);
    (out.status.code(), json(&out)["assertions"][0].clone())
}

/// `StringLike`'s `*` matches any characters, `:` included
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String>):
/// `aws:PrincipalArn` like `arn:aws:iam::1111222233*` admits callers of 100 accounts, and
/// `*:role/admin` every account's `admin` role. Red-team pass 8: both read "holds" because
/// a caller-ARN pattern of fewer than six fields made no candidate caller.
#[test]
fn short_principal_arn_patterns_admit_other_accounts() {
    // (red-team pass 10: `*admin*` and `*/admin`, which name no kind of principal)
    for pattern in [
        "arn:aws:iam::1111222233*",
        "*:role/admin",
        "*admin*",
        "*/admin",
    ] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"StringLike":{{"aws:PrincipalArn":"{pattern}"}}}}}}]}}"#
        );
        for a in [
            &["--no-public-access", "--resource-type", "AWS::S3::Bucket"][..],
            &["--only-accounts", "111122223333"][..],
        ] {
            let (code, v) = verify_bucket(&p, a);
            assert_eq!(
                (code, &v["holds"]),
                (Some(1), &Value::Bool(false)),
                "{pattern} {a:?}: {v}"
            );
            let who = v["counterexamples"][0]["principal"].as_str().unwrap();
            assert!(!who.contains(":111122223333:"), "{pattern}: {v}");
        }
    }
    // the pinned account is still private to it
    let pinned = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:*"}}}]}"#;
    let (code, v) = verify_bucket(pinned, &["--only-accounts", "111122223333"]);
    assert_eq!((code, &v["holds"]), (Some(0), &Value::Bool(true)), "{v}");
}

/// An anonymous caller of S3, SQS or SNS has `aws:userid` = `anonymous` (IAM policy
/// variables, "Principal key values":
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-infotouse>),
/// so a bucket policy for `*` with that condition is public (red-team pass 8: "holds").
#[test]
fn an_anonymous_callers_userid_is_anonymous() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:userid":"anonymous"}}}]}"#;
    let (code, v) = verify_bucket(
        p,
        &["--no-public-access", "--resource-type", "AWS::S3::Bucket"],
    );
    assert_eq!((code, &v["holds"]), (Some(1), &Value::Bool(false)), "{v}");
    assert_eq!(
        v["counterexamples"][0]["context"]["aws:userid"], "anonymous",
        "{v}"
    );
}

/// `${*}` and `${?}` stand for a literal `*` and `?` (IAM policy variables, "Special
/// characters": <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars>),
/// as `simulate` reads them; the analysis' patterns cannot hold a literal wildcard, so a
/// statement with one is `unknown` (exit 2). Red-team pass 9: they were read as wildcards, and
/// `verify --not-granted s3:DeleteObject` held although `simulate` allows it on `b/*/k`.
#[test]
fn literal_wildcard_escapes_are_unknown_not_wildcards() {
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}/*"}]}"#;
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("esc.json");
    std::fs::write(&f, p).unwrap();
    let none = d.path().join("none.json");
    std::fs::write(
        &none,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#,
    )
    .unwrap();
    let (f, none) = (f.to_str().unwrap(), none.to_str().unwrap());
    // the evaluator: allowed on the object whose key holds a literal `*`
    let out = run(&[
        "simulate",
        "--policy",
        f,
        "--action",
        "s3:DeleteObject",
        "--resource",
        "arn:aws:s3:::b/*/k",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["results"][0]["decision"], "allowed");
    let out = run(&[
        "verify",
        f,
        "--not-granted",
        "s3:DeleteObject",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["assertions"][0]["holds"], Value::Null);
    let out = run(&["diff", none, f, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `simulate` decides an example request against RCPs beside the identity and resource
/// policies that allow everything (the frame of `--policy-type rcp`).
fn simulate_rcp(rcp: &str, ex: &Value) -> String {
    let (allow, any) = (fx("allow-all.json"), fx("any-resource-policy.json"));
    simulate_example(
        &["--policy", &allow, "--resource-policy", &any, "--rcp", rcp],
        ex,
    )
}

/// A loosened RCP `Deny` is new access: dropping `kms:*` from the identity-perimeter RCP of
/// "Resource control policies in AWS KMS"
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html>)
/// adds every KMS action RCPs restrict — not `kms:RetireGrant`, which they never restrict
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#actions-not-restricted-by-rcps>)
/// — pointing at the old `Deny`; callers of other accounts count (RCP effects on permissions).
#[test]
fn diff_rcp_loosened_deny_is_added() {
    let old = fx("rcp-perimeter.json");
    let new = fx("rcp-perimeter-no-kms.json");
    let out = run(&[
        "diff",
        &old,
        &new,
        "--policy-type",
        "rcp",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["removed"], 0);
    assert_eq!(v["summary"]["unknown"], 0);
    let g = &v["added"][0];
    assert_eq!(g["statements"][0]["sid"], "EnforceOrgIdentities");
    assert!(
        g["statements"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("rcp-perimeter.json")
    );
    let actions: Vec<&str> = g["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(actions.iter().all(|a| a.starts_with("kms:")), "{actions:?}");
    assert!(actions.contains(&"kms:Decrypt"));
    assert!(!actions.contains(&"kms:RetireGrant"));
    let ex = &g["example"];
    assert_eq!(simulate_rcp(&new, ex), "allowed");
    assert_eq!(simulate_rcp(&old, ex), "explicitDeny");
    // the other way round: removed only, exit 0
    let back = run(&[
        "diff",
        &new,
        &old,
        "--policy-type",
        "rcp",
        "--format",
        "json",
    ]);
    assert_eq!(back.status.code(), Some(0));
    let b = json(&back);
    assert_eq!(b["summary"]["added"], 0);
    assert_eq!(b["summary"]["removed"], 1);
}

/// Splitting, reordering and letter case change nothing (issue 11: rewrites report nothing).
#[test]
fn diff_rcp_rewrite_reports_nothing() {
    let out = run(&[
        "diff",
        &fx("rcp-perimeter.json"),
        &fx("rcp-perimeter-split.json"),
        "--policy-type",
        "rcp",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 0, "removed": 0, "unknown": 0})
    );
}

/// An RCP that denies everything keeps out every action of the services RCPs restrict, for
/// every caller; not EC2's (not in the list of services that support RCPs) and not
/// `kms:RetireGrant`
/// (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>).
#[test]
fn verify_rcp_holds_only_for_services_rcps_restrict() {
    let rcp = fx("rcp-deny-all.json");
    let ok = run(&[
        "verify",
        &rcp,
        "--policy-type",
        "rcp",
        "--not-granted",
        "s3:*",
        "--not-granted",
        "sts:AssumeRole",
        "--format",
        "json",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert_eq!(json(&ok)["assertions"][0]["holds"], true);
    for (pattern, action) in [
        ("ec2:RunInstances", "ec2:RunInstances"),
        ("kms:*", "kms:RetireGrant"),
    ] {
        let out = run(&[
            "verify",
            &rcp,
            "--policy-type",
            "rcp",
            "--not-granted",
            pattern,
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(1), "{pattern}");
        let v = json(&out);
        let a = &v["assertions"][0];
        assert_eq!(a["holds"], false);
        let ex = &a["counterexamples"][0];
        assert_eq!(ex["action"], action);
        assert_eq!(simulate_rcp(&rcp, ex), "allowed");
    }
    // the perimeter admits callers of the organization: a counterexample, re-decided
    let per = fx("rcp-perimeter.json");
    let out = run(&[
        "verify",
        &per,
        "--policy-type",
        "rcp",
        "--not-granted",
        "s3:GetObject",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let ex = &v["assertions"][0]["counterexamples"][0];
    assert_eq!(simulate_rcp(&per, ex), "allowed");
}

/// An example on `Resource: "*"` names an ARN of the action's own resource type (the Service
/// Authorization Reference's ARN format: IAM ARNs have no Region, S3 ARNs neither Region nor
/// account), not a made-up ARN of another shape; `simulate` still decides it as claimed.
#[test]
fn examples_on_star_name_an_arn_the_action_takes() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(
        &old,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    )
    .unwrap();
    std::fs::write(
        &new,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Action":["iam:GetRole","s3:PutObject"],"Resource":"*"}]}"#,
    )
    .unwrap();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let out = run(&[
        "diff",
        &old,
        &new,
        "--format",
        "json",
        "--max-examples",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let examples = v["added"][0]["examples"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![v["added"][0]["example"].clone()]);
    assert!(!examples.is_empty(), "{v}");
    for ex in &examples {
        let (action, resource) = (
            ex["action"].as_str().unwrap(),
            ex["resource"].as_str().unwrap(),
        );
        match action {
            "iam:GetRole" => assert!(
                resource.starts_with("arn:aws:iam::111122223333:role/"),
                "{resource}"
            ),
            "s3:PutObject" => assert!(
                // an object of a bucket, or of an access point
                (resource.starts_with("arn:aws:s3:::") && resource.contains('/'))
                    || resource.starts_with("arn:aws:s3:us-east-1:111122223333:accesspoint/"),
                "{resource}"
            ),
            _ => {}
        }
        assert_eq!(simulate_identity(&new, ex), "allowed", "{ex}");
        assert_ne!(simulate_identity(&old, ex), "allowed", "{ex}");
    }
    // a swapped ARN carries its account as `aws:ResourceAccount`, which AWS sends
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount):
    // with a `Deny` on one account, the example is a role of another (red team 29)
    let guarded = dir.path().join("guarded.json");
    std::fs::write(
        &guarded,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"111122223333"}}}]}"#,
    )
    .unwrap();
    let guarded = guarded.display().to_string();
    let out = run(&["diff", &old, &guarded, "--format", "json"]);
    let v = json(&out);
    let ex = &v["added"][0]["example"];
    let resource = ex["resource"].as_str().unwrap();
    assert!(resource.contains(":role/"), "{ex}");
    let account = resource.split(':').nth(4).unwrap();
    assert_ne!(account, "111122223333", "{ex}");
    assert_eq!(ex["context"]["aws:ResourceAccount"], account, "{ex}");
    assert_eq!(simulate_identity(&guarded, ex), "allowed", "{ex}");
    // verify's counterexample likewise
    let out = run(&[
        "verify",
        &new,
        "--not-granted",
        "iam:GetRole",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let r = v["assertions"][0]["counterexamples"][0]["resource"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(r.starts_with("arn:aws:iam::111122223333:role/"), "{r}");
}

/// `aws:SourceAccount` (like `aws:SourceArn`, `aws:SourceOrgID`) is in a request only when an
/// AWS service calls on behalf of a resource owner
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount>):
/// a bucket policy granting `"Principal": "*"` under `aws:SourceAccount` = the owner's account
/// (the log-delivery pattern) admits services acting for that account only, so
/// `--only-accounts` holds; without the condition it fails (red team 23a: an anonymous caller
/// carrying the key was the counterexample).
#[test]
fn source_account_keeps_only_accounts() {
    let with = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-logs/AWSLogs/111122223333/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;
    let (code, a) = verify_bucket(
        with,
        &[
            "--policy-type",
            "resource",
            "--only-accounts",
            "111122223333",
        ],
    );
    assert_eq!((code, a["holds"].as_bool()), (Some(0), Some(true)), "{a}");
    let without = with.replace(
        r#","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        "",
    );
    let (code, a) = verify_bucket(
        &without,
        &[
            "--policy-type",
            "resource",
            "--only-accounts",
            "111122223333",
        ],
    );
    assert_eq!((code, a["holds"].as_bool()), (Some(1), Some(false)), "{a}");
}

/// AWS services acting for other accounts, through the CLI (red team 73). The cross-service
/// confused deputy is a service acting for another account's resource
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>), and
/// `aws:PrincipalServiceName` / `aws:PrincipalServiceNamesList` are present only when a service
/// principal calls (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>):
/// `"Principal": "*"` narrowed to SNS with another account's `aws:SourceAccount` fails
/// `--only-accounts` as the `Service` form does, `*` narrowed to CloudTrail by either key with
/// no source condition fails, and a topic open to EventBridge with no condition fails as the
/// narrower one pinned to another account does (a wider policy never gets the safer verdict).
/// `--no-public-access` holds for all: IAM Access Analyzer "does not currently report findings
/// from AWS service principals"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html>).
#[test]
fn services_acting_for_other_accounts_fail_only_accounts() {
    let queue = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q","Condition":{"StringEquals":{"aws:PrincipalServiceName":"sns.amazonaws.com","aws:SourceAccount":"999999999999"}}}]}"#;
    let queue_service = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}}]}"#;
    let bucket_name = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"aws:PrincipalServiceName":"cloudtrail.amazonaws.com"}}}]}"#;
    let bucket_list = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"ForAnyValue:StringEquals":{"aws:PrincipalServiceNamesList":"cloudtrail.amazonaws.com"}}}]}"#;
    let topic = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:my-topic"}]}"#;
    let topic_other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:my-topic","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}}]}"#;
    for (policy, service) in [
        (queue, "sns.amazonaws.com"),
        (queue_service, "sns.amazonaws.com"),
        (bucket_name, "cloudtrail.amazonaws.com"),
        (bucket_list, "cloudtrail.amazonaws.com"),
        (topic, "events.amazonaws.com"),
        (topic_other, "events.amazonaws.com"),
    ] {
        let (code, a) = verify_bucket(policy, &["--only-accounts", "111122223333"]);
        assert_eq!(
            (code, a["holds"].as_bool()),
            (Some(1), Some(false)),
            "{policy}: {a}"
        );
        assert_eq!(a["counterexamples"][0]["principal"], service, "{a}");
        let (code, a) = verify_bucket(policy, &["--no-public-access"]);
        assert_eq!(
            (code, a["holds"].as_bool()),
            (Some(0), Some(true)),
            "{policy}: {a}"
        );
    }
}

/// `verify --no-public-access`: a bucket policy for everyone that requires the caller's account
/// to be the bucket's own (`aws:PrincipalAccount` = `${aws:ResourceAccount}`) or its
/// organization (`aws:PrincipalOrgID` = `${aws:ResourceOrgID}`) holds; AWS sends the owner's
/// account and organization in those keys (IAM User Guide, global condition keys). Its
/// negation fails with an anonymous caller, which `simulate` allows.
#[test]
fn a_tie_to_the_resource_owner_is_not_public() {
    for (key, value) in [
        ("aws:PrincipalAccount", "${aws:ResourceAccount}"),
        ("aws:PrincipalOrgID", "${aws:ResourceOrgID}"),
    ] {
        let p = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"StringEquals":{{"{key}":"{value}"}}}}}}]}}"#
        );
        let (code, v) = verify_bucket(
            &p,
            &["--no-public-access", "--resource-type", "AWS::S3::Bucket"],
        );
        assert_eq!(code, Some(0), "{key}: {v}");
        assert_eq!(v["holds"], true, "{key}: {v}");
        let negated = p.replace("StringEquals", "StringNotEquals");
        let (code, v) = verify_bucket(
            &negated,
            &["--no-public-access", "--resource-type", "AWS::S3::Bucket"],
        );
        assert_eq!(code, Some(1), "{key}: {v}");
        assert_eq!(v["holds"], false, "{key}: {v}");
    }
    // in a `Deny`, the owner's organization is not assumed: AWS sends `aws:ResourceOrgID` only
    // for an owner in an organization, and a `Deny` whose variable has no value refuses
    // nothing (red team 58): `Deny` everyone outside `${aws:ResourceOrgID}` is not "holds"
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"${aws:ResourceOrgID}"}}}]}"#;
    let (code, v) = verify_bucket(
        deny,
        &["--no-public-access", "--resource-type", "AWS::S3::Bucket"],
    );
    assert_ne!(code, Some(0), "{v}");
    assert_ne!(v["holds"], true, "{v}");
    // ... but beside an `Allow` already bounded to a named organization it can only take
    // access away: decided without it, not public (red team 59)
    let bounded = deny.replace(
        r#""Resource":"arn:aws:s3:::b/*"},"#,
        r#""Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-exampleorgid"}}},"#,
    );
    assert_ne!(bounded, deny);
    let (code, v) = verify_bucket(
        &bounded,
        &["--no-public-access", "--resource-type", "AWS::S3::Bucket"],
    );
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["holds"], true, "{v}");
}

/// Dropping a positive `...IfExists` condition adds every request whose key is present and
/// matches none of its values: the IAM guide's `StringLikeIfExists ec2:InstanceType` example
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists>)
/// without its condition is "1 added", with an example instance type outside the list that
/// `simulate` denies under the old policy. (Red team 61: once an empty value read as absent
/// under `...IfExists`, the class that stood for "present, matching nothing" was the empty
/// string, absent, and the change was "0 added".)
#[test]
fn dropping_an_if_exists_condition_is_an_addition() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    let cond = r#","Condition":{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}"#;
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"{cond}}}]}}"#
    );
    std::fs::write(&old, &text).unwrap();
    std::fs::write(&new, text.replace(cond, "")).unwrap();
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let out = run(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    assert_eq!(v["summary"]["added"], 1, "{v}");
    let ex = &v["added"][0]["example"];
    let t = ex["context"]["ec2:InstanceType"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !t.is_empty() && !["t1.", "t2.", "m3."].iter().any(|p| t.starts_with(p)),
        "{ex}"
    );
}

/// A Terraform conditional on a root variable that its default decides the other way
/// (`length(var.x) > 0 ? var.x : [...]` with `default = []`): where the combination assumes the
/// condition true, the variable is a value a caller gives, not its default `[]` (which granted
/// nobody: `verify --no-public-access` held, a false safe found by red team 71b). The answer is
/// unknown until the value is given; given `["*"]`, it fails.
#[test]
fn a_branch_its_variable_default_contradicts_reads_the_value_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "extra_readers" {
  type    = list(string)
  default = []
}
resource "aws_s3_bucket" "b" { bucket = "b" }
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = length(var.extra_readers) > 0 ? var.extra_readers : ["arn:aws:iam::111122223333:root"] }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.b.arn}/*"
    }]
  })
}
"#,
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let out = run(&["verify", &d, "--no-public-access", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("UNKNOWN-var.extra_readers-given"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // the value given decides
    for (given, code) in [
        (r#"extra_readers=["*"]"#, 1),
        (r#"extra_readers=["arn:aws:iam::111122223333:role/r"]"#, 0),
    ] {
        let out = run(&[
            "verify",
            &d,
            "--no-public-access",
            "--template-param",
            given,
        ]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{given}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// The same when the variable is read before the conditional that contradicts its default: a
/// bucket policy reads `concat(var.readers, [root])` and a later resource has
/// `count = length(var.readers) > 0 ? 1 : 0`. In the combination with that count true, the
/// readers are a list given, not `[]`; the policy was read with the default first and
/// `verify --no-public-access` held (a false safe known since red team 71b).
#[test]
fn a_variable_read_before_the_conditional_its_default_contradicts_reads_the_value_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "readers" {
  type    = list(string)
  default = []
}
resource "aws_s3_bucket" "b" { bucket = "b" }
resource "aws_s3_bucket_policy" "a" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = concat(var.readers, ["arn:aws:iam::111122223333:root"]) }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.b.arn}/*"
    }]
  })
}
resource "aws_sns_topic" "t" {
  count = length(var.readers) > 0 ? 1 : 0
  name  = "t"
}
"#,
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let out = run(&["verify", &d, "--no-public-access", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["assertions"][0]["holds"].is_null(), "{text}");
    for (given, code) in [
        (r#"readers=["*"]"#, 1),
        (r#"readers=["arn:aws:iam::111122223333:role/r"]"#, 0),
        ("readers=[]", 0),
    ] {
        let out = run(&[
            "verify",
            &d,
            "--no-public-access",
            "--template-param",
            given,
        ]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{given}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// `verify DIR ARGS...` on a folder holding `main.tf`: its exit code and output.
fn verify_tf(tf: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let d = dir.path().display().to_string();
    let mut all = vec!["verify", d.as_str()];
    all.extend_from_slice(args);
    let out = run(&all);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// Red team 72, Terraform: conditions that say a variable was given, other than a plain
/// conditional at the root, are read so too. Each folder grants an outside principal for some
/// value a caller may give (`"*"`), which `verify --no-public-access` must not call safe: an
/// operand of `&&` (`var.on && length(var.readers) > 0`), a `null` default that
/// `coalesce(var.x, "none") != "none"` or a local `var.x != null` says was given, and an
/// overriding document's statement that may replace a `Deny` whose `sid` is a variable. Given
/// the value, each is decided.
#[test]
fn conditions_that_say_a_variable_was_given_are_read_so() {
    let bucket = |principal: &str| {
        format!(
            r#"resource "aws_s3_bucket" "b" {{ bucket = "b" }}
resource "aws_s3_bucket_policy" "p" {{
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect = "Allow", Action = "s3:GetObject", Resource = "${{aws_s3_bucket.b.arn}}/*"
      Principal = {{ AWS = {principal} }}
    }}]
  }})
}}
"#
        )
    };
    let cases: Vec<(String, &str)> = vec![
        (
            format!(
                r#"variable "on" {{
  type    = bool
  default = true
}}
variable "readers" {{
  type    = list(string)
  default = []
}}
resource "aws_cloudwatch_log_group" "t" {{
  count = var.on && length(var.readers) > 0 ? 1 : 0
  name  = "readers"
}}
{}"#,
                bucket(r#"concat(var.readers, ["arn:aws:iam::111122223333:root"])"#)
            ),
            r#"readers=["*"]"#,
        ),
        (
            format!(
                r#"variable "extra" {{
  type    = string
  default = null
}}
resource "aws_cloudwatch_log_group" "t" {{
  count = coalesce(var.extra, "none") != "none" ? 1 : 0
  name  = "extra"
}}
{}"#,
                bucket(r#"compact([var.extra, "arn:aws:iam::111122223333:root"])"#)
            ),
            "extra=*",
        ),
        (
            format!(
                r#"variable "extra" {{
  type    = string
  default = null
}}
locals {{
  has_extra = var.extra!=null
}}
{}"#,
                bucket(
                    r#"local.has_extra ? compact([var.extra]) : ["arn:aws:iam::111122223333:root"]"#
                )
            ),
            "extra=*",
        ),
    ];
    for (tf, given) in &cases {
        let (code, text) = verify_tf(tf, &["--no-public-access"]);
        assert_eq!(code, Some(2), "{tf}\n{text}");
        assert!(!text.contains("noPublicAccess: holds"), "{tf}\n{text}");
        let (code, text) = verify_tf(tf, &["--no-public-access", "--template-param", given]);
        assert_eq!(code, Some(1), "{given}\n{tf}\n{text}");
    }
    // an override document's `Sid` may be the one a variable gives the guarding `Deny`
    let tf = r#"variable "guard_sid" { type = string }
resource "aws_s3_bucket" "b" { bucket = "b" }
data "aws_iam_policy_document" "extra" {
  statement {
    sid       = "SharedRead"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
data "aws_iam_policy_document" "p" {
  override_policy_documents = [data.aws_iam_policy_document.extra.json]
  statement {
    sid       = var.guard_sid
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalAccount"
      values   = ["111122223333"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.p.json
}
"#;
    let (code, text) = verify_tf(tf, &["--no-public-access"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(!text.contains("noPublicAccess: holds"), "{text}");
    // the override replaces the Deny: public
    let (code, text) = verify_tf(
        tf,
        &[
            "--no-public-access",
            "--template-param",
            "guard_sid=SharedRead",
        ],
    );
    assert_eq!(code, Some(1), "{text}");
    // another Sid: both stay, and the Deny (`aws:PrincipalAccount` other than ours) bounds it
    let (code, text) = verify_tf(
        tf,
        &["--no-public-access", "--template-param", "guard_sid=Guard"],
    );
    assert_eq!(code, Some(0), "{text}");
}

/// An identity policy whose `Action` list a variable given extends (`concat(["s3:GetObject"],
/// var.extra)` where `length(var.extra) > 0`) cannot be evaluated there: `verify` answers
/// unknown with the reason and keeps the other documents' verdicts (it ended with an error and
/// empty output, red team 72), and `diff` counts it unknown (exit 2). Given the value, it is
/// decided.
#[test]
fn a_policy_a_placeholder_makes_unreadable_is_unknown_not_an_error() {
    let tf = |actions: &str| {
        format!(
            r#"variable "extra" {{
  type    = list(string)
  default = []
}}
resource "aws_iam_role" "r" {{
  name = "app"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}
resource "aws_iam_role_policy" "p" {{
  role = aws_iam_role.r.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions}, Resource = "*" }}]
  }})
}}
resource "aws_cloudwatch_log_group" "audit" {{
  count = length(var.extra) > 0 ? 1 : 0
  name  = "audit"
}}
"#
        )
    };
    let new = tf(r#"concat(["s3:GetObject"], var.extra)"#);
    let (code, text) = verify_tf(&new, &["--not-granted", "iam:PassRole", "--format", "json"]);
    assert_eq!(code, Some(2), "{text}");
    // (stdout first: its JSON document, then the notes of stderr)
    let v: serde_json::Value = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .expect(&text);
    let a = &v["assertions"][0];
    assert!(a["holds"].is_null(), "{a}");
    assert!(
        a["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("UNKNOWN-"),
        "{a}"
    );
    let (code, text) = verify_tf(
        &new,
        &[
            "--not-granted",
            "iam:PassRole",
            "--template-param",
            r#"extra=["iam:PassRole"]"#,
        ],
    );
    assert_eq!(code, Some(1), "{text}");
    // diff: the old side lists the action alone
    let dir = tempfile::tempdir().unwrap();
    for (side, text) in [("old", tf(r#"["s3:GetObject"]"#)), ("new", new)] {
        std::fs::create_dir(dir.path().join(side)).unwrap();
        std::fs::write(dir.path().join(side).join("main.tf"), text).unwrap();
    }
    let out = run(&[
        "diff",
        &dir.path().join("old").display().to_string(),
        &dir.path().join("new").display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["summary"]["unknown"].as_u64().unwrap_or(0) > 0, "{v}");
}

/// Red team 72, second pass: the variables a condition reads are the values given where the
/// combination assumes it, also when their defaults do not decide it statically (a function
/// not evaluated: `startswith`; `[0]` of a default `[]`; a list compared with `[]`), when the
/// default reading does not reach them (`var.shared ? var.ext : ""` with `shared = false`
/// never reads `var.ext`), and for numbers (`var.n > 0` assumed true: `count = var.n` is
/// not 0). Each held (exit 0); with a value given that grants `*`, each fails.
#[test]
fn every_variable_a_contradicted_condition_reads_is_the_value_given() {
    let bucket = |principal: &str| {
        format!(
            r#"resource "aws_s3_bucket_policy" "p" {{
  bucket = "b"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = {principal} }}
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::b/*"
    }}]
  }})
}}
"#
        )
    };
    let own = r#""arn:aws:iam::111122223333:root""#;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            format!(
                "variable \"principal\" {{ default = \"\" }}\n{}",
                bucket(&format!(
                    r#"startswith(var.principal, "arn:") ? var.principal : {own}"#
                ))
            ),
            vec!["principal=*"],
        ),
        (
            format!(
                "variable \"x\" {{\n  type    = list(string)\n  default = []\n}}\n{}",
                bucket(&format!(r#"var.x[0] != "" ? var.x : [{own}]"#))
            ),
            vec![r#"x=["*"]"#],
        ),
        (
            format!(
                "variable \"trusted\" {{\n  type    = list(string)\n  default = []\n}}\n{}",
                bucket(&format!(r#"var.trusted != [] ? var.trusted : [{own}]"#))
            ),
            vec![r#"trusted=["*"]"#],
        ),
        (
            format!(
                r#"variable "ext" {{
  type    = string
  default = ""
}}
variable "shared" {{
  type    = bool
  default = false
}}
locals {{
  ext = var.shared ? var.ext : ""
}}
{}"#,
                bucket(&format!(r#"local.ext != "" ? local.ext : {own}"#))
            ),
            vec!["shared=true", "ext=*"],
        ),
        (
            r#"variable "public_count" {
  type    = number
  default = 0
}
resource "aws_s3_bucket_policy" "p" {
  count  = var.public_count
  bucket = "b${count.index}"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }]
  })
}
resource "aws_s3_bucket_policy" "q" {
  bucket = "c"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = var.public_count > 0 ? "s3:GetObject" : "s3:ListBucket", Resource = "*" }]
  })
}
"#
            .to_string(),
            vec!["public_count=1"],
        ),
    ];
    for (tf, given) in &cases {
        let (code, text) = verify_tf(tf, &["--no-public-access"]);
        assert_ne!(code, Some(0), "{tf}\n{text}");
        assert!(!text.contains("noPublicAccess: holds"), "{tf}\n{text}");
        let mut args = vec!["--no-public-access"];
        for g in given {
            args.extend(["--template-param", g]);
        }
        let (code, text) = verify_tf(tf, &args);
        assert_eq!(code, Some(1), "{given:?}\n{tf}\n{text}");
    }
}

/// Red team 72, third pass: a contradicted condition reaches the variables behind the blocks
/// it names (`length(aws_iam_user.u) > 0` where the user's `count = length(var.trusted)`; a
/// resource's argument); a variable with a `false` default and no declared type used as a
/// string is the value given; a variable declared `bool` read as a value (a policy's `Bool`
/// condition) is the value the combination assumes for it. Each held. And reading a condition
/// as the defaults make it stays linear: an 18-level chain of locals, each a conditional on a
/// literal, is read (it took more than 2,000,000 steps, exit 2, in a build of this round).
#[test]
fn contradicted_conditions_reach_blocks_bindings_and_booleans() {
    let bucket = |principal: &str, condition: &str| {
        format!(
            r#"resource "aws_s3_bucket_policy" "p" {{
  bucket = "b"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {principal}
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::b/*"{condition}
    }}]
  }})
}}
"#
        )
    };
    let own = r#""arn:aws:iam::111122223333:root""#;
    // (folder, assertion, the value given that makes it fail)
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (
            format!(
                "variable \"trusted\" {{\n  type    = list(string)\n  default = []\n}}\nresource \"aws_iam_user\" \"u\" {{\n  count = length(var.trusted)\n  name  = \"u${{count.index}}\"\n}}\n{}",
                bucket(
                    &format!("{{ AWS = length(aws_iam_user.u) > 0 ? var.trusted : [{own}] }}"),
                    ""
                )
            ),
            "--no-public-access",
            vec![r#"trusted=["*"]"#],
        ),
        (
            format!(
                "variable \"readers\" {{\n  type    = string\n  default = \"\"\n}}\nresource \"aws_sns_topic\" \"t\" {{\n  name = \"t\"\n  tags = {{ readers = var.readers }}\n}}\n{}",
                bucket(
                    &format!(
                        r#"{{ AWS = aws_sns_topic.t.tags.readers != "" ? split(",", var.readers) : [{own}] }}"#
                    ),
                    ""
                )
            ),
            "--no-public-access",
            vec!["readers=*"],
        ),
        (
            format!(
                "variable \"account\" {{ default = false }}\n{}",
                bucket(
                    &format!(
                        r#"{{ AWS = var.account == false ? {own} : "arn:aws:iam::${{var.account}}:root" }}"#
                    ),
                    ""
                )
            ),
            "--only-accounts=111122223333",
            vec!["account=444455556666"],
        ),
        (
            format!(
                "variable \"services_only\" {{\n  type    = bool\n  default = true\n}}\n{}resource \"aws_sns_topic\" \"public_alert\" {{\n  count = var.services_only ? 0 : 1\n  name  = \"alert\"\n}}\n",
                bucket(
                    r#""*""#,
                    "\n      Condition = { Bool = { \"aws:PrincipalIsAWSService\" = var.services_only } }"
                )
            ),
            "--no-public-access",
            vec!["services_only=false"],
        ),
    ];
    for (tf, assertion, given) in &cases {
        let (code, text) = verify_tf(tf, &[assertion]);
        assert_ne!(code, Some(0), "{tf}\n{text}");
        let mut args = vec![*assertion];
        for g in given {
            args.extend(["--template-param", g]);
        }
        let (code, text) = verify_tf(tf, &args);
        assert_eq!(code, Some(1), "{given:?}\n{tf}\n{text}");
    }
    // an 18-level chain of conditionals on a literal: read, and its one principal is ours
    let mut locals = String::from("  on = true\n  l0 = var.x\n");
    for i in 1..=18 {
        locals.push_str(&format!(
            "  l{i} = local.on ? local.l{j} : \"${{local.l{j}}}-a\"\n",
            j = i - 1
        ));
    }
    let tf = format!(
        "variable \"x\" {{\n  type    = string\n  default = {own}\n}}\nlocals {{\n{locals}}}\n{}",
        bucket(
            &format!(r#"{{ AWS = local.l18 != "" ? [local.l18] : [{own}] }}"#),
            ""
        )
    );
    let (code, text) = verify_tf(&tf, &["--no-public-access"]);
    assert_eq!(code, Some(0), "{text}");
}

/// `setunion` of strings is a set in Terraform's (lexical) order, as `toset` is
/// (<https://developer.hashicorp.com/terraform/language/expressions/type-constraints#set>):
/// `tolist(setunion(["r"], ["*"]))[0]` is `"*"` (red team 72: it read `"r"`, and `verify` held).
#[test]
fn setunion_is_in_lexical_order() {
    let tf = r#"resource "aws_sqs_queue" "q" {
  name = "q"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*", Principal = { AWS = tolist(setunion(["r"], ["*"]))[0] } }]
  })
}
"#;
    let (code, text) = verify_tf(tf, &["--no-public-access"]);
    assert_eq!(code, Some(1), "{text}");
}

/// A document that cannot be read is `unknown` for `verify`, not an error that hides the
/// verdicts on the others: a public bucket policy beside an unreadable key policy fails (exit 1,
/// the key named among the unknowns); alone, the unreadable policy is `unknown` (exit 2). Red
/// team 71b: the run printed the key's error alone and an empty JSON document.
#[test]
fn an_unreadable_document_does_not_hide_the_others_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let key = r#"resource "aws_kms_key" "k" {
  policy = "{not json"
}
"#;
    std::fs::write(
        dir.path().join("main.tf"),
        format!(
            r#"{key}resource "aws_s3_bucket_policy" "b" {{
  bucket = "b"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }}] }})
}}
"#
        ),
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let out = run(&["verify", &d, "--no-public-access", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let a = &v["assertions"][0];
    assert_eq!(a["holds"], Value::Bool(false), "{v}");
    assert!(!a["counterexamples"].as_array().unwrap().is_empty(), "{v}");
    assert!(v.to_string().contains("cannot be read"), "{v}");
    // the unreadable policy alone: unknown, never holds
    let alone = tempfile::tempdir().unwrap();
    std::fs::write(alone.path().join("main.tf"), key).unwrap();
    let d = alone.path().display().to_string();
    let out = run(&["verify", &d, "--no-public-access", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["assertions"][0]["holds"], Value::Null);
}

/// An `Action` pattern matches every action name it spells, also actions a service adds after
/// the bundled catalog was made and services the catalog lacks
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>:
/// `*` matches any run of characters). A wildcard that matches no catalog action therefore
/// grants as a literal unknown action does (red team 72: `zzznewsvc:*` and `s3:Zzz*` were
/// "nothing added", `zzznewsvc:DoThing` was added). A wildcard that matches catalog actions
/// is still the same grant as the list of them.
#[test]
fn a_wildcard_matching_no_catalog_action_still_grants() {
    let dir = tempfile::tempdir().unwrap();
    let pol = |actions: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S","Effect":"Allow","Action":[{actions}],"Resource":"*"}}]}}"#
        )
    };
    let diff = |old: &str, new: &str| {
        let (o, n) = (dir.path().join("old.json"), dir.path().join("new.json"));
        std::fs::write(&o, pol(old)).unwrap();
        std::fs::write(&n, pol(new)).unwrap();
        let out = run(&[
            "diff",
            &o.display().to_string(),
            &n.display().to_string(),
            "--format",
            "json",
        ]);
        (out.status.code(), json(&out))
    };
    for (added, prefix) in [
        (r#""zzznewsvc:*""#, "zzznewsvc:"),
        (r#""s3:Zzz*""#, "s3:zzz"),
        (r#""s3:Zzz?New*""#, "s3:zzz"),
    ] {
        let (code, v) = diff(r#""s3:GetObject""#, &format!(r#""s3:GetObject",{added}"#));
        assert_eq!(code, Some(1), "{added}: {v}");
        assert_eq!(v["summary"]["added"], 1, "{added}: {v}");
        let a = v["added"][0]["example"]["action"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(a.starts_with(prefix), "{added}: {v}");
        // and dropped again: removed, nothing added
        let (code, v) = diff(&format!(r#""s3:GetObject",{added}"#), r#""s3:GetObject""#);
        assert_eq!(code, Some(0), "{added}: {v}");
        assert_eq!(v["summary"]["removed"], 1, "{added}: {v}");
    }
    // a wildcard of catalog actions against the list of those actions: nothing either way
    let listed = json(&run(&["expand", "s3:GetObjectA*", "--format", "json"]));
    let listed: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{}", a["action"]))
        .collect();
    assert!(listed.len() > 1, "{listed:?}");
    let (code, v) = diff(&listed.join(","), r#""s3:GetObjectA*""#);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["summary"]["added"], 0, "{v}");
}

/// `source_json` and `override_json` of `aws_iam_policy_document` (AWS provider 4 and before,
/// <https://registry.terraform.io/providers/hashicorp/aws/4.67.0/docs/data-sources/iam_policy_document>)
/// are read as `source_policy_documents` and `override_policy_documents` are: a public
/// statement brought in by `source_json` is public (it was left out and `verify` held, red team
/// 72), and an `override_json` statement replaces the source statement of its `Sid` (the guard
/// `Deny` replaced by one on another action leaves the public read open).
#[test]
fn source_json_and_override_json_are_read() {
    let public = r#"data "aws_iam_policy_document" "pub" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
"#;
    let bucket = r#"resource "aws_s3_bucket_policy" "this" {
  bucket = "acme"
  policy = data.aws_iam_policy_document.final.json
}
"#;
    let tf = format!(
        r#"{public}data "aws_iam_policy_document" "final" {{
  source_json = data.aws_iam_policy_document.pub.json
  statement {{
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::acme"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }}
  }}
}}
{bucket}"#
    );
    let (code, text) = verify_tf(&tf, &["--no-public-access"]);
    assert_eq!(code, Some(1), "{text}");
    // a guard in the source, replaced by the override's statement of its `Sid`
    let guard = |action: &str| {
        format!(
            r#"  statement {{
    sid       = "Guard"
    effect    = "Deny"
    actions   = ["{action}"]
    resources = ["arn:aws:s3:::acme/*"]
    principals {{
      type        = "*"
      identifiers = ["*"]
    }}
    condition {{
      test     = "StringNotEquals"
      variable = "aws:PrincipalAccount"
      values   = ["111122223333"]
    }}
  }}
"#
        )
    };
    let tf = |override_json: bool| {
        format!(
            r#"{public}data "aws_iam_policy_document" "guard" {{
{}}}
data "aws_iam_policy_document" "swap" {{
{}}}
data "aws_iam_policy_document" "base" {{
  source_policy_documents = [data.aws_iam_policy_document.pub.json, data.aws_iam_policy_document.guard.json]
}}
data "aws_iam_policy_document" "final" {{
  source_json = data.aws_iam_policy_document.base.json
{}}}
{bucket}"#,
            guard("s3:GetObject"),
            guard("s3:PutObject"),
            if override_json {
                "  override_json = data.aws_iam_policy_document.swap.json\n"
            } else {
                ""
            }
        )
    };
    // the guard's Deny bounds the public read to the account
    let (code, text) = verify_tf(&tf(false), &["--no-public-access"]);
    assert_eq!(code, Some(0), "{text}");
    // replaced by a Deny of another action: public
    let (code, text) = verify_tf(&tf(true), &["--no-public-access"]);
    assert_eq!(code, Some(1), "{text}");
}
