//! `greenlight simulate`, run as a process: the contract of flags, JSON fields and exit codes.

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
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
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

#[test]
fn matrix_in_json_with_deciding_statements() {
    let deploy = fixture("deploy.json");
    let out = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:UpdateService",
        "--action",
        "iam:PassRole",
        "--resource",
        "arn:aws:ecs:us-east-1:111122223333:service/c/s",
        "--resource",
        "arn:aws:iam::111122223333:role/ecs-task-web",
        "--context",
        "iam:PassedToService=ecs-tasks.amazonaws.com",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "2 actions × 2 resources");
    let cell = |i: usize| {
        (
            results[i]["action"].as_str().unwrap(),
            results[i]["resource"].as_str().unwrap(),
            results[i]["decision"].as_str().unwrap(),
        )
    };
    assert_eq!(
        cell(0),
        (
            "ecs:UpdateService",
            "arn:aws:ecs:us-east-1:111122223333:service/c/s",
            "allowed"
        )
    );
    assert_eq!(cell(1).2, "allowed");
    assert_eq!(
        cell(2),
        (
            "iam:PassRole",
            "arn:aws:ecs:us-east-1:111122223333:service/c/s",
            "implicitDeny"
        )
    );
    assert_eq!(
        cell(3),
        (
            "iam:PassRole",
            "arn:aws:iam::111122223333:role/ecs-task-web",
            "allowed"
        )
    );
    let m = &results[3]["matchedStatements"][0];
    assert_eq!(m["policy"], deploy.as_str());
    assert_eq!(m["sid"], "PassTaskRoles");
    assert_eq!(m["index"], 1);
    assert_eq!(m["line"], 10);
    assert_eq!(
        results[0]["matchedStatements"][0]
            .as_object()
            .unwrap()
            .len(),
        4,
        "exactly policy, sid, index, line"
    );
    assert_eq!(results[2]["matchedStatements"].as_array().unwrap().len(), 0);
    assert_eq!(results[3]["missingContextValues"], serde_json::json!([]));
}

#[test]
fn explicit_deny_and_missing_context() {
    let deploy = fixture("deploy.json");
    let out = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:DeleteService",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r = &json(&out)["results"][0];
    assert_eq!(r["resource"], "*", "default resource is *");
    assert_eq!(r["decision"], "explicitDeny");
    assert_eq!(r["matchedStatements"][0]["sid"], "NoDeleteWithoutMfa");
    assert_eq!(r["matchedStatements"][0]["line"], 17);
    assert_eq!(
        r["missingContextValues"],
        serde_json::json!(["aws:MultiFactorAuthPresent"])
    );
    let out = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:DeleteService",
        "--context",
        "aws:MultiFactorAuthPresent=true",
        "--format",
        "json",
    ]);
    let r = &json(&out)["results"][0];
    assert_eq!(r["decision"], "implicitDeny", "no statement allows Delete");
}

#[test]
fn expect_sets_exit_code() {
    let deploy = fixture("deploy.json");
    let base = ["--policy", deploy.as_str(), "--action", "ecs:UpdateService"];
    assert_eq!(
        run(&[&base[..], &["--expect", "allowed"]].concat())
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[&base[..], &["--expect", "denied"]].concat())
            .status
            .code(),
        Some(1)
    );
    let out = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:UpdateService",
        "--action",
        "ecs:DeleteService",
        "--expect",
        "allowed",
    ]);
    assert_eq!(out.status.code(), Some(1), "one of two differs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("explicitDeny"));
}

#[test]
fn text_output_is_a_matrix_with_the_deciding_statement() {
    let deploy = fixture("deploy.json");
    let out = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:UpdateService",
        "--action",
        "s3:GetObject",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Action",
        "Decision",
        "Deciding statements",
        "ecs:UpdateService",
        "allowed",
        "Sid EcsDeploy",
        ":4 ",
        "implicitDeny",
        "no policy allows the request",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn multi_valued_context_and_context_json() {
    let tags = fixture("tags.json");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "--policy",
            tags.as_str(),
            "--action",
            "ecs:TagResource",
            "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        json(&run(&a))["results"][0]["decision"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        args(&[
            "--context",
            "aws:TagKeys=env",
            "--context",
            "aws:TagKeys=team"
        ]),
        "allowed"
    );
    assert_eq!(
        args(&[
            "--context",
            "aws:TagKeys=env",
            "--context",
            "aws:TagKeys=cost"
        ]),
        "implicitDeny"
    );
    assert_eq!(
        args(&["--context-json", r#"{"aws:TagKeys": ["team"]}"#]),
        "allowed"
    );
    let ctx = format!("@{}", fixture("context.json"));
    assert_eq!(args(&["--context-json", &ctx]), "implicitDeny");
    // ForAllValues with no key at all is vacuously true (IAM multivalued-keys docs).
    assert_eq!(args(&[]), "allowed");
}

#[test]
fn trust_policy_with_a_service_principal() {
    let trust = fixture("codedeploy-trust.json");
    let out = |principal: &str| {
        let o = run(&[
            "--trust-policy",
            &trust,
            "--principal",
            principal,
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::111122223333:role/ecsCodeDeployRole",
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&o)["results"][0]["decision"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(out("codedeploy.amazonaws.com"), "allowed");
    assert_eq!(out("ecs.amazonaws.com"), "implicitDeny");
    assert_eq!(out("arn:aws:iam::111122223333:user/alice"), "implicitDeny");
}

#[test]
fn resource_policy_grants_the_named_user() {
    let rp = fixture("bucket-policy.json");
    let deploy = fixture("deploy.json");
    let o = run(&[
        "--policy",
        &deploy,
        "--resource-policy",
        &rp,
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::artifacts/app.zip",
        "--format",
        "json",
    ]);
    let r = &json(&o)["results"][0];
    assert_eq!(r["decision"], "allowed");
    assert_eq!(r["matchedStatements"][0]["sid"], "Artifacts");
    // A resource-based policy without a caller cannot be decided.
    let o = run(&[
        "--resource-policy",
        &rp,
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::artifacts/app.zip",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("caller principal"), "{}", stderr(&o));
}

#[test]
fn infer_context_only_when_asked() {
    let home = fixture("home.json");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "--policy",
            home.as_str(),
            "--principal",
            "arn:aws:iam::111122223333:user/alice",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::home/alice/notes.txt",
            "--format",
            "json",
        ];
        a.extend_from_slice(extra);
        json(&run(&a))["results"][0].clone()
    };
    let r = args(&[]);
    assert_eq!(r["decision"], "implicitDeny", "nothing inferred by default");
    assert_eq!(
        r["missingContextValues"],
        serde_json::json!(["aws:username"])
    );
    assert_eq!(args(&["--infer-context"])["decision"], "allowed");
    assert_eq!(
        args(&["--infer-context", "--context", "aws:username=bob"])["decision"],
        "implicitDeny",
        "a given value is never overridden"
    );
}

#[test]
fn invalid_input_exits_2_with_a_located_error() {
    let o = run(&[
        "--policy",
        &fixture("bad-operator.json"),
        "--action",
        "s3:GetObject",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad-operator.json:8:21"), "{e}");
    assert!(
        e.contains("StringEqualsIgnoreCase"),
        "suggests the right name: {e}"
    );

    let o = run(&[
        "--policy",
        &fixture("bad-number.json"),
        "--action",
        "s3:ListBucket",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad-number.json:8:"), "{e}");
    assert!(e.contains("invalid-condition-value"), "{e}");

    let deploy = fixture("deploy.json");
    for bad in [
        &["--policy", &deploy, "--action", "ecs:*"][..],
        &["--policy", &deploy, "--action", "UpdateService"],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--context",
            "novalue",
        ],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--context-json",
            "{\"a\": 1,}",
        ],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--context-json",
            "{\"a\": {}}",
        ],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--principal",
            "arn:aws:s3:::x",
        ],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--infer-context",
        ],
        &[
            "--policy",
            &deploy,
            "--action",
            "s3:GetObject",
            "--resource-account",
            "12",
        ],
        &[
            "--policy",
            "does-not-exist.json",
            "--action",
            "s3:GetObject",
        ],
        &["--action", "s3:GetObject"],
        &["--policy", &deploy],
    ] {
        let o = run(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
    // A context value the operator cannot read is an error, not a guess.
    let o = run(&[
        "--policy",
        &deploy,
        "--action",
        "ecs:DeleteService",
        "--context",
        "aws:MultiFactorAuthPresent=maybe",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`maybe`"), "{}", stderr(&o));
}

/// An RCP applies to a member account's bucket even when a user of another account reads it
/// through the bucket policy; its `Deny` decides ("RCP effects on permissions",
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-effects-on-permissions>;
/// "a Deny in any RCP denies",
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html>).
#[test]
fn rcp_deny_applies_to_callers_of_other_accounts() {
    let bucket = fixture("rcp-bucket-policy.json");
    let rcp = fixture("rcp-identity-perimeter.json");
    let base = [
        "--resource-policy",
        bucket.as_str(),
        "--principal",
        "arn:aws:iam::444455556666:user/partner",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::example-bucket/data.csv",
        "--resource-account",
        "111122223333",
        "--context",
        "aws:PrincipalIsAWSService=false",
        "--format",
        "json",
    ];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        json(&run(&a))["results"][0].clone()
    };
    let r = with(&["--policy", &fixture("allow-all.json")]);
    assert_eq!(r["decision"], "allowed", "without RCPs the grant stands");
    let r = with(&[
        "--policy",
        &fixture("allow-all.json"),
        "--rcp",
        &rcp,
        "--context",
        "aws:PrincipalOrgID=o-partnerorg",
    ]);
    assert_eq!(r["decision"], "explicitDeny");
    assert_eq!(r["matchedStatements"][0]["sid"], "EnforceOrgIdentities");
    assert!(
        r["matchedStatements"][0]["policy"]
            .as_str()
            .unwrap()
            .ends_with("rcp-identity-perimeter.json")
    );
    // a caller of the organization passes; the RCP is not a deciding statement
    let r = with(&[
        "--policy",
        &fixture("allow-all.json"),
        "--rcp",
        &rcp,
        "--context",
        "aws:PrincipalOrgID=o-exampleorg",
    ]);
    assert_eq!(r["decision"], "allowed");
    let policies: Vec<&str> = r["matchedStatements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["policy"].as_str().unwrap())
        .collect();
    assert!(
        policies
            .iter()
            .all(|p| !p.ends_with("rcp-identity-perimeter.json")),
        "{policies:?}"
    );
}

/// RCPs restrict only the services that support them, not `kms:RetireGrant`, and not calls
/// made by service-linked roles ("List of AWS services that support RCPs" and "Resources and
/// entities not restricted by RCPs",
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#actions-not-restricted-by-rcps>).
#[test]
fn rcp_restricts_only_supported_services_and_callers() {
    let all = fixture("allow-all.json");
    let deny = fixture("rcp-deny-all.json");
    let out = run(&[
        "--policy",
        &all,
        "--rcp",
        &deny,
        "--principal",
        "arn:aws:iam::111122223333:role/deploy",
        "--action",
        "s3:GetObject",
        "--action",
        "sts:AssumeRole",
        "--action",
        "ec2:RunInstances",
        "--action",
        "kms:RetireGrant",
        "--action",
        "kms:Decrypt",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d: Vec<String> = json(&out)["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r["action"], r["decision"]))
        .collect();
    assert_eq!(
        d,
        [
            "\"s3:GetObject\" \"explicitDeny\"",
            "\"sts:AssumeRole\" \"explicitDeny\"",
            "\"ec2:RunInstances\" \"allowed\"",
            "\"kms:RetireGrant\" \"allowed\"",
            "\"kms:Decrypt\" \"explicitDeny\"",
        ]
    );
    let slr = run(&[
        "--policy",
        &all,
        "--rcp",
        &deny,
        "--principal",
        "arn:aws:iam::111122223333:role/aws-service-role/elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup",
        "--action",
        "s3:GetObject",
        "--format",
        "json",
    ]);
    assert_eq!(json(&slr)["results"][0]["decision"], "allowed");
    // the deny shows in the text trace like an SCP's
    let text = run(&["--policy", &all, "--rcp", &deny, "--action", "s3:GetObject"]);
    let t = String::from_utf8_lossy(&text.stdout);
    assert!(
        t.contains("rcp-deny-all.json:4 Sid DenyEverything (Deny)"),
        "{t}"
    );
}
