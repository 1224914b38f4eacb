//! `aws:ViaAWSService` in `check` and `scan` (red-team pass 9, finding 4).
//!
//! AWS: the key is always in the request context; it is `false` when the principal makes the
//! call directly and when a service uses a service role or service-linked role to make a call
//! on the principal's behalf, `true` only when a service calls with the principal's
//! credentials (forward access sessions)
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice>).
//! Every request of a profile is made by the role or user itself (CodeDeploy calls ECS with
//! its service role), so a `Deny` on `aws:ViaAWSService` = `false` applies: a gap, where
//! `check` and `scan` used to say "0 gaps". A `Deny` on `true` does not apply.
//!
//! Also: `scan` prints the warnings `check` prints for an allowed requirement whose decision
//! skipped a condition on a key AWS always sends (here `aws:SourceIp`).

use crate::support::cli::*;

use serde_json::{Value, json};

const PROFILE: &str = "ecs-codedeploy-service-role";
const ACCOUNT: &str = "account=111122223333";

/// The profile's own minimal policy, as `generate` writes it.
fn generated() -> Value {
    let (code, out, err) = gl(&["generate", "--profile", PROFILE, "--param", ACCOUNT]);
    assert_eq!(code, 0, "{out}{err}");
    json(&out)
}

fn deny_ecs(condition: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "ecs:*", "Resource": "*", "Condition": condition}]})
}

/// `get-account-authorization-details` with one role: the generated policy and `deny`.
fn account(deny: &Value) -> Value {
    json!({"UserDetailList": [], "GroupDetailList": [], "Policies": [], "RoleDetailList": [{
        "RoleName": "deployer", "Path": "/", "RoleId": "AROAEXAMPLEID0000001",
        "Arn": "arn:aws:iam::111122223333:role/deployer",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [
            {"PolicyName": "gen", "PolicyDocument": generated()},
            {"PolicyName": "guard", "PolicyDocument": deny}],
        "AttachedManagedPolicies": []}]})
}

fn scan(deny: &Value) -> (i32, Value, String) {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "account.json", &account(deny).to_string());
    let (code, out, err) = gl(&[
        "scan",
        "--profile",
        PROFILE,
        "--authorization-details",
        &p,
        "--param",
        ACCOUNT,
        "--format",
        "json",
    ]);
    (code, json(&out), err)
}

fn check(deny: &Value) -> (i32, Value, String) {
    let d = tempfile::tempdir().unwrap();
    let gen_path = write(d.path(), "gen.json", &generated().to_string());
    let deny_path = write(d.path(), "deny.json", &deny.to_string());
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        PROFILE,
        &gen_path,
        &deny_path,
        "--param",
        ACCOUNT,
        "--format",
        "json",
    ]);
    (code, json(&out), err)
}

/// The same Deny in an SCP that also allows everything (as `FullAWSAccess` does).
fn check_scp(deny: &Value) -> (i32, Value, String) {
    let d = tempfile::tempdir().unwrap();
    let gen_path = write(d.path(), "gen.json", &generated().to_string());
    let mut deny = deny.clone();
    deny["Statement"]
        .as_array_mut()
        .unwrap()
        .push(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
    let scp = write(d.path(), "scp.json", &deny.to_string());
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        PROFILE,
        &gen_path,
        "--scp",
        &scp,
        "--param",
        ACCOUNT,
        "--format",
        "json",
    ]);
    (code, json(&out), err)
}

fn total_gaps(v: &Value) -> u64 {
    v["gaps"]
        .as_u64()
        .unwrap_or_else(|| panic!("no gap count in {v}"))
}

fn via(value: &str) -> Value {
    deny_ecs(json!({"Bool": {"aws:ViaAWSService": value}}))
}

#[test]
fn a_deny_on_via_aws_service_false_is_a_gap() {
    for (what, (code, v, err)) in [
        ("check", check(&via("false"))),
        ("check --scp", check_scp(&via("false"))),
    ] {
        assert_eq!(code, 1, "{what}: {v}{err}");
        assert!(total_gaps(&v) >= 4, "{what}: {v}");
        assert!(!err.contains("aws:ViaAWSService"), "{what}: {err}");
    }
    let (code, v, err) = scan(&via("false"));
    assert_eq!(code, 1, "{v}{err}");
    let e = &v["principals"][0];
    assert_eq!(e["status"], "gaps", "{v}");
    assert!(
        e["denied"]
            .as_array()
            .unwrap()
            .contains(&json!("ecs:CreateTaskSet")),
        "{v}"
    );
}

#[test]
fn a_deny_on_via_aws_service_true_is_no_gap() {
    for (what, (code, v, err)) in [
        ("check", check(&via("true"))),
        ("check --scp", check_scp(&via("true"))),
    ] {
        assert_eq!(code, 0, "{what}: {v}{err}");
        assert_eq!(total_gaps(&v), 0, "{what}: {v}");
    }
    let (code, v, err) = scan(&via("true"));
    assert_eq!(code, 0, "{v}{err}");
    assert_eq!(v["principals"][0]["status"], "complete", "{v}");
}

/// A Deny of requests from a network range: `aws:SourceIp` is in every request
/// but `check` cannot know it; the requirement reads as allowed with a warning, in `check` and
/// now in `scan` too.
#[test]
fn scan_warns_like_check_about_keys_aws_always_sends() {
    let deny = deny_ecs(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}));
    let (code, _, err) = check(&deny);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning:") && err.contains("`aws:SourceIp`, which AWS always sends"),
        "{err}"
    );
    let (code, v, err) = scan(&deny);
    assert_eq!(code, 0, "{v}{err}");
    assert!(
        err.contains("warning: arn:aws:iam::111122223333:role/deployer (ecs-codedeploy-service-role): `ecs:CreateTaskSet`"),
        "{err}"
    );
    assert!(
        err.contains("`aws:SourceIp`, which AWS always sends"),
        "{err}"
    );
    // no condition on such a key: no warning
    let (_, _, err) = scan(&via("true"));
    assert!(!err.contains("warning:"), "{err}");
}
