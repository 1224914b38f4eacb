//! Keys AWS puts in every request (global condition keys,
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html:
//! `aws:CurrentTime` and `aws:EpochTime` always; `aws:PrincipalType`, `aws:username` for an
//! IAM caller) are in `check`'s requests, so a `Deny` conditioned on them denies. Before, the
//! keys were absent, the `Deny` was skipped and the requirement read "allowed".

use crate::support::cli::*;

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}"#;

#[test]
fn a_deny_after_a_past_date_denies_now() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(
            r#"{ALLOW_ALL},{{"Sid":"DenyAfter2020","Effect":"Deny","Action":"*","Resource":"*","Condition":{{"DateGreaterThan":{{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}}}}]}}"#
        ),
    );
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
        &p,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert!(v["gaps"].as_u64().unwrap() >= 4, "{v}");
    // `generate --missing-from` sees the gaps too (a Deny it cannot lift: exit 2)
    let (code, out, err) = gl(&[
        "generate",
        "--profile",
        "ecs-native-bluegreen-user",
        "--missing-from",
        &p,
    ]);
    assert_eq!(code, 2, "{out}{err}");
    // a Deny before a past date does not
    let q = write(
        d.path(),
        "q.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"DateLessThan":{{"aws:EpochTime":"1577836800"}}}}}}]}}"#
        ),
    );
    let (code, out, err) = gl(&["check", "--profile", "ecs-native-bluegreen-user", &q]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn an_authorization_details_user_carries_its_name_and_type() {
    let d = tempfile::tempdir().unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"aws:username":"deployer"}}},{"Effect":"Deny","Action":"ecs:CreateService","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalType":"User"}}}]}"#;
    let allow = format!("{ALLOW_ALL}]}}");
    let gaad = serde_json::json!({
        "UserDetailList": [{
            "UserName": "deployer", "UserId": "AIDAEXAMPLE1", "Path": "/",
            "Arn": "arn:aws:iam::123456789012:user/deployer", "GroupList": [],
            "UserPolicyList": [
                {"PolicyName": "all", "PolicyDocument": allow},
                {"PolicyName": "deny", "PolicyDocument": deny}
            ],
            "AttachedManagedPolicies": []
        }],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    });
    let f = write(d.path(), "gaad.json", &gaad.to_string());
    let (code, out, err) = gl(&[
        "check",
        "--authorization-details",
        &f,
        "--user",
        "deployer",
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let denied: Vec<String> = v["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] == "explicitDeny")
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect();
    assert!(denied.iter().any(|a| a == "iam:PassRole"), "{denied:?}");
    assert!(
        denied.iter().any(|a| a == "ecs:CreateService"),
        "{denied:?}"
    );
    // scan (the fast path) agrees
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &f,
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let denied: Vec<&str> = v["principals"][0]["denied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        denied.contains(&"iam:PassRole") && denied.contains(&"ecs:CreateService"),
        "{out}"
    );
}

/// A `Deny` on a key `check` cannot give for a policy file (`aws:SourceIp`, the principal's ARN
/// when no principal is named) is skipped by the request; stderr names each requirement that
/// reads as allowed only because of that (AWS always sends the key).
#[test]
fn an_allow_that_depends_on_an_always_sent_key_is_named() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"192.0.2.0/24"}}}}}}]}}"#
        ),
    );
    let (_, _, err) = gl(&["check", "--profile", "ecs-native-bluegreen-user", &p]);
    assert!(
        err.contains("reads as allowed only because the request has no `aws:SourceIp`"),
        "{err}"
    );
    // with the key given, the Deny decides
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-native-bluegreen-user",
        "--context",
        "aws:SourceIp=192.0.2.9",
        &p,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!err.contains("reads as allowed only because"), "{err}");
}

/// `aws:PrincipalTag/KEY` is in the request only when the principal has the tag `KEY`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag>):
/// the warning says so instead of "always sends".
#[test]
fn a_principal_tag_is_sent_when_the_principal_has_the_tag() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"contractors"}}}}}}]}}"#
        ),
    );
    let (_, _, err) = gl(&["check", "--profile", "ecs-native-bluegreen-user", &p]);
    assert!(
        err.contains(
            "has no `aws:PrincipalTag/team`, which AWS sends when the principal has that tag"
        ),
        "{err}"
    );
    assert!(!err.contains("always sends"), "{err}");
}

/// Red-team pass 4, case 3: `check` of policy files and `check --template` of the same
/// policies give the same verdict. AWS always sends `aws:PrincipalAccount`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount>)
/// and `aws:PrincipalIsAWSService`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice>),
/// and `aws:ResourceAccount` for most actions
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount>):
/// an SCP that denies on them denies the hook role's `lambda:InvokeFunction`. Before, files
/// read "allowed ... needs context" (0 gaps) where the template gave 1 gap, and
/// `aws:ResourceAccount` was in neither.
#[test]
fn files_and_template_agree_on_keys_aws_always_sends() {
    let f = |name: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/check/request-keys")
            .join(name)
            .display()
            .to_string()
    };
    let gaps = |args: &[&str]| -> u64 {
        let mut all = vec![
            "check",
            "--profile",
            "ecs-native-bluegreen-hook-role",
            "--format",
            "json",
        ];
        all.extend_from_slice(args);
        let (code, out, err) = gl(&all);
        assert!(code == 0 || code == 1, "{out}{err}");
        json(&out)["gaps"].as_u64().unwrap()
    };
    let files = f("hook-invoke.json");
    let template = f("hook-role.yaml");
    for (scp, want) in [
        ("scp-deny-principal-account.json", 1),
        ("scp-deny-iam-principals.json", 1),
        ("scp-deny-resource-account.json", 1),
    ] {
        let scp = f(scp);
        let from_files = gaps(&[&files, "--param", "account=123456789012", "--scp", &scp]);
        let from_template = gaps(&[
            "--template",
            &template,
            "--role",
            "HookRole",
            "--account",
            "123456789012",
            "--scp",
            &scp,
        ]);
        assert_eq!(from_files, want, "{scp}: files");
        assert_eq!(from_template, want, "{scp}: template");
    }
    // without the SCPs: allowed both ways
    assert_eq!(gaps(&[&files, "--param", "account=123456789012"]), 0);
    assert_eq!(
        gaps(&[
            "--template",
            &template,
            "--role",
            "HookRole",
            "--account",
            "123456789012"
        ]),
        0
    );
}

/// Amazon ECS sends `ecs:cluster` (the cluster's ARN) with the actions on a service or task
/// set (Service Authorization Reference, Amazon ECS,
/// <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html>),
/// and the ECS examples scope requests with it
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security_iam_id-based-policy-examples.html>):
/// a `Deny` on the profile's own cluster denies the four ECS requirements, one on another
/// cluster does not, and an `Allow` scoped to the cluster allows them (red-team pass 11).
#[test]
fn ecs_cluster_follows_from_the_requirement_resource() {
    let d = tempfile::tempdir().unwrap();
    let cluster = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
    let params = [
        "--param",
        "account=123456789012",
        "--param",
        "region=eu-west-1",
        "--param",
        "cluster=prod",
    ];
    let check = |p: &str| {
        let mut args = vec![
            "check",
            "--profile",
            "ecs-codedeploy-service-role",
            "--format",
            "json",
            p,
        ];
        args.extend(params);
        let (code, out, err) = gl(&args);
        let v = json(&out);
        let denied: Vec<String> = v["profiles"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["decision"] != "allowed")
            .map(|r| r["action"].as_str().unwrap().to_string())
            .collect();
        (code, denied, err)
    };
    let deny = |c: &str| {
        format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{{"ArnEquals":{{"ecs:cluster":"{c}"}}}}}}]}}"#
        )
    };
    let p = write(d.path(), "deny.json", &deny(cluster));
    let (code, mut denied, err) = check(&p);
    denied.sort();
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        denied,
        [
            "ecs:CreateTaskSet",
            "ecs:DeleteTaskSet",
            "ecs:DescribeServices",
            "ecs:UpdateServicePrimaryTaskSet"
        ]
    );
    let q = write(
        d.path(),
        "other.json",
        &deny("arn:aws:ecs:eu-west-1:123456789012:cluster/test"),
    );
    assert_eq!(check(&q).0, 0);
    // every action, but ECS only on the cluster
    let scoped = write(
        d.path(),
        "scoped.json",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","NotAction":"ecs:*","Resource":"*"}},{{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{{"ArnEquals":{{"ecs:cluster":"{cluster}"}}}}}}]}}"#
        ),
    );
    let (code, denied, err) = check(&scoped);
    assert_eq!((code, denied.len()), (0, 0), "{denied:?} {err}");
}

/// `ecs:CreateService` and `ecs:UpdateService` list `ecs:cluster` under their `service`
/// resource type, not as action keys (Service Authorization Reference, Amazon ECS): the
/// ECS-native user profile's requests carry it too, so a `Deny` on its cluster denies them
/// (red-team pass 12).
#[test]
fn ecs_cluster_of_create_and_update_service() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "deny.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{{"ArnEquals":{{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/default"}}}}}}]}}"#
        ),
    );
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
        &p,
        "--param",
        "account=123456789012",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let denied: Vec<&str> = v["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] == "explicitDeny")
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(denied.contains(&"ecs:CreateService"), "{denied:?}");
    assert!(denied.contains(&"ecs:UpdateService"), "{denied:?}");
}

/// `scan` decides an account's principals through a prepared fast path; its requests carry
/// `ecs:cluster` as `check`'s do, so a user's `Deny` on the profile's cluster is a gap there
/// too (it read "complete" while `check` reported the denies).
#[test]
fn scan_requests_carry_ecs_cluster_too() {
    let d = tempfile::tempdir().unwrap();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/default"}}}]}"#;
    let allow = format!("{ALLOW_ALL}]}}");
    let gaad = serde_json::json!({
        "UserDetailList": [{
            "UserName": "deployer", "UserId": "AIDAEXAMPLE1", "Path": "/",
            "Arn": "arn:aws:iam::123456789012:user/deployer", "GroupList": [],
            "UserPolicyList": [
                {"PolicyName": "all", "PolicyDocument": allow},
                {"PolicyName": "deny", "PolicyDocument": deny}
            ],
            "AttachedManagedPolicies": []
        }],
        "GroupDetailList": [], "RoleDetailList": [], "Policies": []
    });
    let f = write(d.path(), "gaad.json", &gaad.to_string());
    let (code, out, err) = gl(&[
        "scan",
        "--authorization-details",
        &f,
        "--profile",
        "ecs-native-bluegreen-user",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    let denied = v["principals"][0]["denied"].to_string();
    assert!(denied.contains("ecs:CreateService"), "{v}");
    assert!(denied.contains("ecs:UpdateService"), "{v}");
}

/// `check --profile PROFILE --format json POLICY...` with the allow-all policy and one `Deny`
/// on `condition`: (exit code, gaps).
fn with_deny(profile: &str, condition: &str, extra: &[&str]) -> (i32, u64, String) {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{condition}}}]}}"#
        ),
    );
    let mut args = vec!["check", "--profile", profile, "--format", "json", &p];
    args.extend_from_slice(extra);
    let (code, out, err) = gl(&args);
    let gaps = json(&out)["gaps"].as_u64().unwrap_or(u64::MAX);
    (code, gaps, format!("{out}{err}"))
}

/// Red team 49: a role's requests are made with temporary credentials, which carry
/// `aws:MultiFactorAuthPresent` (`false` for a service or a pipeline that assumed it without
/// MFA), so the MFA guardrail `Deny` with `Bool ... "false"` denies the CodeDeploy service role
/// (global condition keys, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent);
/// a user's long-term keys send no such key, so the same `Deny` leaves a user alone.
#[test]
fn a_roles_session_carries_mfa_false() {
    let mfa = r#"{"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#;
    let (code, gaps, out) = with_deny("ecs-codedeploy-service-role", mfa, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(gaps >= 11, "{out}");
    let (code, gaps, out) = with_deny("ecs-bluegreen-codedeploy-user", mfa, &[]);
    assert_eq!((code, gaps), (0, 0), "{out}");
}

/// Red team 49: a `Deny` whose condition every value of a key AWS always sends meets
/// (`aws:UserAgent`, `aws:PrincipalArn`, `aws:username` of a user, `aws:PrincipalOrgID` of an
/// account under SCPs) denies, whatever the value: it read as allowed because the request
/// had no such key. One that some values escape (`aws:SecureTransport` `true`: a request
/// over HTTP) stays allowed, with a note.
#[test]
fn a_deny_every_value_of_a_sent_key_meets_is_a_gap() {
    for condition in [
        r#"{"StringLike":{"aws:UserAgent":"*"}}"#,
        r#"{"StringLike":{"aws:PrincipalArn":"*"}}"#,
        r#"{"Null":{"aws:PrincipalArn":"false"}}"#,
        r#"{"StringLike":{"aws:username":"*"}}"#,
    ] {
        let (code, gaps, out) = with_deny("ecs-bluegreen-codedeploy-user", condition, &[]);
        assert_eq!(code, 1, "{condition}: {out}");
        assert!(gaps > 0, "{condition}: {out}");
    }
    let d = tempfile::tempdir().unwrap();
    let scp = write(
        d.path(),
        "scp.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let (code, _, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#,
        &["--scp", &scp],
    );
    assert_eq!(code, 1, "{out}");
    let (code, gaps, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
        &[],
    );
    assert_eq!((code, gaps), (0, 0), "{out}");
    assert!(out.contains("aws:SecureTransport"), "{out}");
    // nor is every address denied by `0.0.0.0/0` (IPv6)
    let (code, gaps, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
        &[],
    );
    assert_eq!((code, gaps), (0, 0), "{out}");
}

/// An authorization-details file that lists two users of one name (different paths) is an
/// error, as one listing an ARN twice is: IAM names are unique in an account
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names);
/// `check --user` picked one of the two (red team 49).
#[test]
fn an_account_listing_a_name_twice_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "authz.json",
        r#"{"UserDetailList":[
            {"UserName":"u","Path":"/","Arn":"arn:aws:iam::111122223333:user/u","UserId":"AIDAAAAAAAAAAAAAAAAAA","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[]},
            {"UserName":"u","Path":"/x/","Arn":"arn:aws:iam::111122223333:user/x/u","UserId":"AIDABBBBBBBBBBBBBBBBB","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[]}
        ],"RoleDetailList":[],"GroupDetailList":[],"Policies":[]}"#,
    );
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--authorization-details",
        &f,
        "--user",
        "u",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("same name"), "{err}");
}

/// Red team 50: an RCP, like an SCP, means an organization (its `aws:PrincipalOrgID` is sent);
/// the "no IAM users" SCP (`ArnLike aws:PrincipalArn arn:aws:iam::*:user/*`) denies a user
/// whatever its ARN; `DateGreaterThan aws:TokenIssueTime 2024-01-01` denies every live role
/// session (a token issued now); the same key does not come with a user's long-term keys, so
/// a `Null ... "false"` `Deny` on it leaves a user alone.
#[test]
fn what_every_real_request_meets_is_decided() {
    let d = tempfile::tempdir().unwrap();
    let all = write(
        d.path(),
        "all.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let (code, _, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#,
        &["--rcp", &all],
    );
    assert_eq!(code, 1, "{out}");
    let (code, _, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}"#,
        &["--param", "account=111122223333"],
    );
    assert_eq!(code, 1, "{out}");
    let (code, _, out) = with_deny(
        "ecs-codedeploy-service-role",
        r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2024-01-01T00:00:00Z"}}"#,
        &[],
    );
    assert_eq!(code, 1, "{out}");
    let (code, gaps, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        r#"{"Null":{"aws:TokenIssueTime":"false"}}"#,
        &[],
    );
    assert_eq!((code, gaps), (0, 0), "{out}");
}

/// `generate --missing-from` says what `check` says of an allow that only a missing key
/// gives: "nothing is missing" is not the whole answer (red team 50).
#[test]
fn generate_names_the_allows_it_cannot_prove() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(
            r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"true"}}}}}}]}}"#
        ),
    );
    let (code, out, err) = gl(&[
        "generate",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--missing-from",
        &p,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("nothing is missing"), "{err}");
    assert!(
        err.contains("warning:") && err.contains("aws:SecureTransport"),
        "{err}"
    );
}

/// A principal's unique ID from the authorization details is its `aws:userid` (a user's ID; a
/// role session's `ROLEID:SESSION`): the documented "deny everyone but this principal" pattern
/// (`StringNotEquals aws:userid` its own ID) lets it in, in `check` and `scan` alike (red team
/// 50: every requirement was denied because the request had no `aws:userid`).
#[test]
fn the_unique_id_is_the_userid() {
    let d = tempfile::tempdir().unwrap();
    let allow = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"#;
    let deny = |op: &str, v: &str| {
        format!(
            r#"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{{\"{op}\":{{\"aws:userid\":\"{v}\"}}}}}}]}}"#
        )
    };
    let f = write(
        d.path(),
        "authz.json",
        &format!(
            r#"{{"UserDetailList":[{{"UserName":"me","Path":"/","Arn":"arn:aws:iam::111122223333:user/me","UserId":"AIDAMESELFEXAMPLE","UserPolicyList":[{{"PolicyName":"a","PolicyDocument":"{allow}"}},{{"PolicyName":"d","PolicyDocument":"{}"}}],"GroupList":[],"AttachedManagedPolicies":[]}}],
"RoleDetailList":[{{"RoleName":"deployer","Path":"/","Arn":"arn:aws:iam::111122223333:role/deployer","RoleId":"AROADEPLOYEREXAMPLE","RolePolicyList":[{{"PolicyName":"a","PolicyDocument":"{allow}"}},{{"PolicyName":"d","PolicyDocument":"{}"}}],"AttachedManagedPolicies":[],"InstanceProfileList":[]}}],
"GroupDetailList":[],"Policies":[]}}"#,
            deny("StringNotEquals", "AIDAMESELFEXAMPLE"),
            deny("StringNotLike", "AROADEPLOYEREXAMPLE:*")
        ),
    );
    for who in [["--user", "me"], ["--role", "deployer"]] {
        let (code, out, err) = gl(&[
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "--authorization-details",
            &f,
            who[0],
            who[1],
        ]);
        assert_eq!(code, 0, "{who:?}: {out}{err}");
    }
    let (code, out, err) = gl(&[
        "scan",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--authorization-details",
        &f,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

/// The profile's role parameters name the account's roles, paths included: `iam:PassRole`
/// on `role/NAME` does not reach `role/service-role/NAME` (red team 51: both directions were
/// wrong). Fixtures and the AWS docs: tests/fixtures/check/role-paths/README.md.
#[test]
fn role_parameters_follow_the_accounts_paths() {
    let fx = |n: &str| format!("tests/fixtures/check/role-paths/{n}");
    for (file, user, code) in [
        ("pathless-passrole.json", "dep", 1),
        ("pathless-passrole.json", "depdoc", 1),
        ("path-passrole.json", "deppath", 0),
    ] {
        let (got, out, err) = gl(&[
            "check",
            "--profile",
            "ecs-native-bluegreen-user",
            "--authorization-details",
            &fx(file),
            "--user",
            user,
            "--format",
            "json",
        ]);
        assert_eq!(got, code, "{user}: {out}{err}");
    }
    let (code, out, err) = gl(&[
        "scan",
        "--profile",
        "ecs-native-bluegreen-user",
        "--authorization-details",
        &fx("pathless-passrole.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    // a role given by name is the account's role of that name too (red team 53)
    let (code, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-native-bluegreen-user",
        "--authorization-details",
        &fx("pathless-passrole.json"),
        "--user",
        "dep",
        "--param",
        "infrastructure_role=ecsInfrastructureRoleForLoadBalancers",
    ]);
    assert_eq!(code, 1, "{out}{err}");
}

/// A role profile checked from policy files, with the account and the role's name given, names its role: its
/// requests carry the role's ARN as `aws:PrincipalArn` (the ARN of the role a session belongs
/// to, global condition keys docs), so the SCP pattern "deny everyone but this role" lets it
/// in and "deny this role" keeps it out (red team 51: both were wrong).
#[test]
fn a_role_profile_names_its_role() {
    let d = tempfile::tempdir().unwrap();
    let role = "arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers";
    let scp = |op: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{"{op}":{{"aws:PrincipalArn":"{role}"}}}}}}]}}"#
        )
    };
    let all = write(d.path(), "all.json", &format!("{ALLOW_ALL}]}}"));
    for (op, code) in [("ArnNotEquals", 0), ("ArnEquals", 1)] {
        let s = write(d.path(), &format!("{op}.json"), &scp(op));
        let (got, out, err) = gl(&[
            "check",
            "--profile",
            "ecs-native-bluegreen-infrastructure-role",
            &all,
            "--param",
            "account=111122223333",
            "--param",
            "infrastructure_role=ecsInfrastructureRoleForLoadBalancers",
            "--scp",
            &s,
        ]);
        assert_eq!(got, code, "{op}: {out}{err}");
    }
    // the profile's default name is no fact about the principal: not its ARN (red team 53)
    let s = write(d.path(), "deny-named.json", &scp("ArnEquals"));
    let (_, out, err) = gl(&[
        "check",
        "--profile",
        "ecs-native-bluegreen-infrastructure-role",
        &all,
        "--param",
        "account=111122223333",
        "--scp",
        &s,
        "--format",
        "json",
    ]);
    let v = json(&out);
    let first = &v["profiles"][0]["requirements"][0];
    assert!(
        first["context"].get("aws:PrincipalArn").is_none(),
        "{first}{err}"
    );
}

/// An ECS service created with tags also needs `ecs:TagResource` on it (Amazon ECS developer
/// guide, "Grant permission to tag resources on creation":
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html):
/// with tags in the request, a `Deny ecs:TagResource` is a gap, and without tags it is not
/// asked (red team 51).
#[test]
fn tags_on_create_need_tag_resource() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "p.json",
        &format!(r#"{ALLOW_ALL},{{"Effect":"Deny","Action":"ecs:TagResource","Resource":"*"}}]}}"#),
    );
    let run = |tags: bool| {
        let mut args = vec![
            "check",
            "--profile",
            "ecs-native-bluegreen-user",
            "--param",
            "account=111122223333",
            "--format",
            "json",
            &p,
        ];
        if tags {
            args.extend([
                "--context",
                "aws:RequestTag/team=x",
                "--context",
                "aws:TagKeys=team",
            ]);
        }
        let (code, out, err) = gl(&args);
        let v = json(&out);
        let tag: Vec<String> = v["profiles"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "ecs:TagResource")
            .map(|r| r["decision"].as_str().unwrap().to_string())
            .collect();
        (code, tag, format!("{out}{err}"))
    };
    let (code, tag, out) = run(true);
    assert_eq!(code, 1, "{out}");
    assert_eq!(tag, ["explicitDeny"], "{out}");
    let (code, tag, out) = run(false);
    assert_eq!((code, tag.len()), (0, 0), "{out}");
}

/// An IAM user's requests carry `aws:username`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-username>):
/// a `Deny` on one user name, which a request without the key escapes, leaves the user
/// profile allowed from policy files (the name is not known) but is named on standard error,
/// as the other keys AWS always sends are; a role profile, whose requests carry no
/// `aws:username`, gets no such note. (Red team 62: nothing was said.)
#[test]
fn a_deny_on_a_user_name_is_named_for_a_user() {
    let deny = r#"{"StringEquals":{"aws:username":"deployer"}}"#;
    let (code, gaps, out) = with_deny("ecs-bluegreen-codedeploy-user", deny, &[]);
    assert_eq!((code, gaps), (0, 0), "{out}");
    assert!(
        out.contains("reads as allowed only because the request has no `aws:username`"),
        "{out}"
    );
    let (code, gaps, out) = with_deny(
        "ecs-bluegreen-codedeploy-user",
        deny,
        &["--context", "aws:username=deployer"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(gaps > 0, "{out}");
    let (_, _, out) = with_deny("ecs-codedeploy-service-role", deny, &[]);
    assert!(!out.contains("`aws:username`, which AWS sends"), "{out}");
}

/// IAM, CloudFront, Route 53 and AWS Support have one endpoint, in us-east-1: their requests
/// carry `aws:RequestedRegion` `us-east-1` whatever Region the caller works in (IAM User Guide,
/// "AWS: Denies access to AWS based on the requested Region": "Because all requests to these
/// services are made to the us-east-1 Region, the requests would be denied without the
/// NotAction element"). A Region guardrail without that exemption denies the console profile's
/// IAM calls; `iam:PassRole`, authorized within the request of the service it passes the role
/// to, is not denied. Before, every requirement carried the profile's Region and the check was
/// clean.
#[test]
fn iam_requests_carry_us_east_1_whatever_the_profiles_region() {
    let d = tempfile::tempdir().unwrap();
    let guard = |not_action: &str| {
        format!(
            r#"{ALLOW_ALL},{{"Sid":"DenyAllOutsideRequestedRegions","Effect":"Deny",{not_action},"Resource":"*","Condition":{{"StringNotEquals":{{"aws:RequestedRegion":["eu-west-1"]}}}}}}]}}"#
        )
    };
    let bare = write(d.path(), "bare.json", &guard(r#""Action":"*""#));
    // `check` of the console profile in eu-west-1, JSON, with more arguments before the file
    let run_with = |more: &[&str], p: &str| {
        let mut a = vec![
            "check",
            "--profile",
            "ecs-bluegreen-console-create-service",
            "--param",
            "region=eu-west-1",
            "--param",
            "account=111122223333",
            "--format",
            "json",
        ];
        a.extend_from_slice(more);
        a.push(p);
        gl(&a)
    };
    let run = |p: &str| run_with(&[], p);
    let (code, out, err) = run(&bare);
    assert_eq!(code, 1, "{out}{err}");
    let text = out.clone();
    let v = json(&out);
    let mut denied = Vec::new();
    let mut pass_role = Vec::new();
    fn walk<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key("action") && m.contains_key("decision") {
                    out.push(v);
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut reqs = Vec::new();
    walk(&v, &mut reqs);
    for r in reqs {
        let action = r["action"].as_str().unwrap();
        if action == "iam:PassRole" {
            pass_role.push(r["decision"].as_str().unwrap().to_string());
        } else if action.starts_with("iam:") {
            assert_eq!(r["context"]["aws:RequestedRegion"][0], "us-east-1", "{r}");
            denied.push((
                action.to_string(),
                r["decision"].as_str().unwrap().to_string(),
            ));
        } else {
            assert_eq!(r["context"]["aws:RequestedRegion"][0], "eu-west-1", "{r}");
            assert_eq!(r["decision"], "allowed", "{r}");
        }
    }
    assert!(denied.len() >= 5, "{text}");
    assert!(
        denied.iter().all(|(_, d)| d == "explicitDeny"),
        "{denied:?}"
    );
    assert!(
        !pass_role.is_empty() && pass_role.iter().all(|d| d == "allowed"),
        "{pass_role:?}"
    );
    // the AWS example's exemption of the global services: clean
    let doc = write(
        d.path(),
        "doc.json",
        &guard(r#""NotAction":["cloudfront:*","iam:*","route53:*","support:*"]"#),
    );
    let (code, out, err) = run(&doc);
    assert_eq!(code, 0, "{out}{err}");
    // a Region the user names in the request context is taken as given
    let (code, out, err) = run_with(&["--context", "aws:RequestedRegion=eu-west-1"], &bare);
    assert_eq!(code, 0, "{out}{err}");
}
