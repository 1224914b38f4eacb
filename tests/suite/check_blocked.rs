//! `blockedBy` / `blockedByDetail` (what blocked a requirement), `check --context` and
//! `generate --missing-from --boundary/--scp`, run as a user runs them. The policies are AWS
//! documentation examples (tests/fixtures/blocked/README.md); every expectation follows from
//! the documented evaluation logic: "an explicit deny in any of these policies overrides the
//! allow", "an entity's permissions boundary allows it to perform only the actions that are
//! allowed by both its identity-based policies and its permissions boundaries", SCPs "define
//! the maximum available permissions"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const USER: &str = "ecs-bluegreen-codedeploy-user";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fx(name: &str) -> String {
    let p = if name.starts_with("policies/") {
        root().join(name)
    } else {
        root().join("tests/fixtures").join(name)
    };
    p.to_string_lossy().into_owned()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `check --format json` with `args` after the profile.
fn check(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--profile", USER, "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    (r.code, serde_json::from_str(&r.stdout).unwrap())
}

fn requirements(doc: &Value) -> &Vec<Value> {
    doc["profiles"][0]["requirements"].as_array().unwrap()
}

fn find<'a>(doc: &'a Value, action: &str) -> &'a Value {
    requirements(doc)
        .iter()
        .find(|r| r["action"] == action)
        .unwrap_or_else(|| panic!("no requirement {action}"))
}

/// Text without white space and miette's frame, so that a wrapped message can be searched.
fn flat(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

fn detail(r: &Value) -> &str {
    r["blockedByDetail"].as_str().unwrap()
}

#[test]
fn boundary_blocks_what_administrator_access_grants() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html: the
    // boundary allows S3, CloudWatch and EC2 only; AdministratorAccess allows everything
    // (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html).
    // Only cloudwatch:DescribeAlarms is in both; every other requirement is blocked by the
    // boundary, not by a missing identity statement.
    let admin = fx("blocked/AdministratorAccess.json");
    let boundary = fx("blocked/boundary-s3-cloudwatch-ec2.json");
    let (code, doc) = check(&[&admin, "--boundary", &boundary]);
    assert_eq!(code, 1);
    let alarms = find(&doc, "cloudwatch:DescribeAlarms");
    assert_eq!(alarms["decision"], "allowed");
    assert_eq!(alarms["blockedBy"], Value::Null);
    assert_eq!(alarms["blockedByDetail"], Value::Null);
    let topics = find(&doc, "sns:ListTopics");
    assert_eq!(topics["decision"], "implicitDeny");
    assert_eq!(topics["blockedBy"], "boundary");
    let d = detail(topics);
    assert!(d.contains("boundary-s3-cloudwatch-ec2.json"), "{d}");
    // The identity statement that allows it: AdministratorAccess's only statement, line 4.
    assert!(d.contains("AdministratorAccess.json"), "{d}");
    assert!(d.contains("statement #1, line 4"), "{d}");
    // `reason` is still why the profile needs it.
    assert!(!topics["reason"].as_str().unwrap().is_empty());
    assert!(!topics["reason"].as_str().unwrap().contains("boundary"));
    for r in requirements(&doc) {
        if r["action"] != "cloudwatch:DescribeAlarms" {
            assert_eq!(r["blockedBy"], "boundary", "{r}");
        }
    }
    // The text table and SARIF say the same.
    let t = run(&["check", "--profile", USER, &admin, "--boundary", &boundary]);
    assert_eq!(t.code, 1);
    assert!(t.stdout.contains("blocked by boundary"), "{}", t.stdout);
    assert!(!t.stdout.contains("no statement allows it"));
    assert!(t.stdout.contains("no identity policy can fix"));
    let s = run(&[
        "check",
        "--profile",
        USER,
        "--format",
        "sarif",
        &admin,
        "--boundary",
        &boundary,
    ]);
    let sarif: Value = serde_json::from_str(&s.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.contains("blocked by boundary"), "{text}");
        assert_eq!(r["properties"]["blockedBy"], "boundary");
    }
}

#[test]
fn without_the_boundary_the_same_policy_has_no_gap() {
    let (code, doc) = check(&[&fx("blocked/AdministratorAccess.json")]);
    assert_eq!(code, 0);
    assert!(requirements(&doc).iter().all(|r| r["blockedBy"].is_null()));
}

#[test]
fn identity_gaps_name_the_policy_files() {
    // The ECS guide's user policy has no iam:PassRole (tests/fixtures/aws/README.md): nothing
    // in the identity policy matches, so the gap is "identity".
    let seed = fx("policies/examples/ecs-bluegreen-seed.json");
    let (_, doc) = check(&[&seed]);
    let pass = find(&doc, "iam:PassRole");
    assert_eq!(pass["blockedBy"], "identity");
    assert!(detail(pass).contains("ecs-bluegreen-seed.json"));
}

#[test]
fn an_allow_list_scp_blocks_with_scp() {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html:
    // an SCP that allows only ec2:* and cloudwatch:* leaves every other action without an
    // allow at the SCP step, whatever the identity policy grants.
    let admin = fx("blocked/AdministratorAccess.json");
    let scp = fx("blocked/scp-allow-ec2-cloudwatch.json");
    let (code, doc) = check(&[&admin, "--scp", &scp]);
    assert_eq!(code, 1);
    assert_eq!(
        find(&doc, "cloudwatch:DescribeAlarms")["decision"],
        "allowed"
    );
    let r = find(&doc, "codedeploy:CreateDeployment");
    assert_eq!(r["decision"], "implicitDeny");
    assert_eq!(r["blockedBy"], "scp");
    assert!(detail(r).contains("scp-allow-ec2-cloudwatch.json"), "{r}");
    assert!(detail(r).contains("AdministratorAccess.json"), "{r}");
}

#[test]
fn a_region_scp_deny_names_its_statement_and_the_absent_key() {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
    // (DenyAllOutsideEU) with FullAWSAccess: outside eu-central-1/eu-west-1 every action but
    // the listed global ones (iam:* among them) is denied, unless the principal is one of the
    // two exempt roles. The check's files give no principal ARN, so `ArnNotLike` holds
    // (a negated operator matches when the key is absent).
    let admin = fx("blocked/AdministratorAccess.json");
    let full = fx("blocked/FullAWSAccess.json");
    let eu = fx("blocked/scp-deny-all-outside-eu.json");
    let (code, doc) = check(&[&admin, "--scp", &full, "--scp", &eu]);
    assert_eq!(code, 1);
    let r = find(&doc, "codedeploy:CreateDeployment");
    assert_eq!(r["decision"], "explicitDeny");
    assert_eq!(r["blockedBy"], "explicitDeny");
    let d = detail(r);
    assert!(d.contains("scp-deny-all-outside-eu.json"), "{d}");
    assert!(d.contains("statement `DenyAllOutsideEU`, line 4"), "{d}");
    assert!(d.contains("the request has no `aws:PrincipalARN`"), "{d}");
    assert!(
        d.contains("does not apply when `aws:PrincipalARN` matches one of `arn:aws:iam::*:role/Role1AllowedToBypassThisSCP`"),
        "{d}"
    );
    assert!(!d.contains("remove"), "{d}");
    // iam:* is exempt.
    assert_eq!(find(&doc, "iam:PassRole")["decision"], "allowed");
    // In an EU Region the statement does not apply.
    let (code, doc) = check(&[
        &admin,
        "--scp",
        &full,
        "--scp",
        &eu,
        "--param",
        "region=eu-west-1",
    ]);
    assert_eq!(code, 0, "{doc:#}");
    // An exempt role (its ARN as context) is not denied either.
    let (code, _) = check(&[
        &admin,
        "--scp",
        &full,
        "--scp",
        &eu,
        "--context",
        "aws:PrincipalARN=arn:aws:iam::123456789012:role/Role1AllowedToBypassThisSCP",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn a_conditional_deny_says_under_which_value_it_does_not_apply() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html:
    // DenyAllExceptListedIfNoMFA denies everything but the listed MFA actions when
    // `aws:MultiFactorAuthPresent` is false or absent (BoolIfExists).
    let admin = fx("blocked/AdministratorAccess.json");
    let deny = fx("blocked/deny-all-except-listed-if-no-mfa.json");
    let (code, doc) = check(&[&admin, &deny]);
    assert_eq!(code, 1);
    assert_eq!(doc["gaps"], requirements(&doc).len());
    let r = find(&doc, "codedeploy:CreateDeployment");
    assert_eq!(r["blockedBy"], "explicitDeny");
    let d = detail(r);
    assert!(
        d.contains("(statement `DenyAllExceptListedIfNoMFA`, line 4)"),
        "{d}"
    );
    assert!(d.contains("deny-all-except-listed-if-no-mfa.json"), "{d}");
    assert!(
        d.contains("it does not apply when `aws:MultiFactorAuthPresent` is `true`"),
        "{d}"
    );
    assert_eq!(r["missingContextValues"][0], "aws:MultiFactorAuthPresent");
    // The text diagnostic gives no advice to drop the guard.
    let t = run(&["check", "--profile", USER, &admin, &deny]);
    assert!(t.stdout.contains("DenyAllExceptListedIfNoMFA"));
    assert!(!t.stdout.contains("remove"), "{}", t.stdout);
    // Signed in with MFA, the deny does not apply.
    let (code, doc) = check(&[
        &admin,
        &deny,
        "--context",
        "aws:MultiFactorAuthPresent=true",
    ]);
    assert_eq!(code, 0, "{doc:#}");
    // `false` is what the statement denies.
    let (code, doc) = check(&[
        &admin,
        &deny,
        "--context",
        "aws:MultiFactorAuthPresent=false",
    ]);
    assert_eq!(code, 1);
    let d = detail(find(&doc, "codedeploy:CreateDeployment"));
    assert!(!d.contains("the request has no"), "{d}");
}

#[test]
fn an_allow_that_needs_mfa_says_denied_unless() {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html:
    // `{"Bool": {"aws:MultiFactorAuthPresent": "true"}}` allows only requests made with MFA;
    // without the key the condition does not match.
    let mfa = fx("blocked/require-mfa.json");
    let (code, doc) = check(&[&mfa]);
    assert_eq!(code, 1);
    assert_eq!(find(&doc, "sns:ListTopics")["decision"], "allowed");
    let r = find(&doc, "codedeploy:CreateDeployment");
    assert_eq!(r["decision"], "implicitDeny");
    assert_eq!(r["blockedBy"], "condition");
    let d = detail(r);
    assert!(
        d.contains(
            "denied unless `aws:MultiFactorAuthPresent` is `true` (statement `RequireMFA`, line 10)"
        ),
        "{d}"
    );
    assert!(d.contains("require-mfa.json"), "{d}");
    assert!(
        d.contains("the request has no `aws:MultiFactorAuthPresent`"),
        "{d}"
    );
    assert_eq!(
        r["missingContextValues"],
        serde_json::json!(["aws:MultiFactorAuthPresent"])
    );
    // The text table says the same.
    let t = run(&["check", "--profile", USER, &mfa]);
    assert!(t.stdout.contains("blocked by condition"));
    // With the key, as --context or --context-json (simulate's meaning), everything passes.
    let (code, doc) = check(&[&mfa, "--context", "aws:MultiFactorAuthPresent=true"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        find(&doc, "codedeploy:CreateDeployment")["context"]["aws:MultiFactorAuthPresent"],
        serde_json::json!(["true"])
    );
    let (code, _) = check(&[
        &mfa,
        "--context-json",
        r#"{"aws:MultiFactorAuthPresent": true}"#,
    ]);
    assert_eq!(code, 0);
    // A wrong value is named.
    let (code, doc) = check(&[&mfa, "--context", "aws:MultiFactorAuthPresent=false"]);
    assert_eq!(code, 1);
    assert!(
        detail(find(&doc, "codedeploy:CreateDeployment"))
            .contains("the request has `aws:MultiFactorAuthPresent` = `false`")
    );
    // Bad context input is an error (exit 2), as in simulate.
    let r = run(&["check", "--profile", USER, &mfa, "--context", "novalue"]);
    assert_eq!(r.code, 2);
    let r = run(&["check", "--profile", USER, &mfa, "--context-json", "[1]"]);
    assert_eq!(r.code, 2);
}

#[test]
fn pass_role_to_the_wrong_service_is_a_condition_gap() {
    // AmazonECS_FullAccess lets iam:PassRole go to ecs-tasks.amazonaws.com only
    // (tests/fixtures/aws/README.md); the CodeDeploy role is passed to
    // codedeploy.amazonaws.com.
    let (_, doc) = check(&[&fx("aws/AmazonECS_FullAccess_v21.json")]);
    let r = requirements(&doc)
        .iter()
        .find(|r| {
            r["action"] == "iam:PassRole"
                && r["context"]["iam:PassedToService"][0] == "codedeploy.amazonaws.com"
        })
        .unwrap();
    assert_eq!(r["blockedBy"], "condition");
    let d = detail(r);
    assert!(d.contains("`iam:PassedToService`"), "{d}");
    assert!(d.contains("`ecs-tasks.amazonaws.com`"), "{d}");
    assert!(
        d.contains("the request has `iam:PassedToService` = `codedeploy.amazonaws.com`"),
        "{d}"
    );
    assert!(d.contains("AmazonECS_FullAccess_v21.json"), "{d}");
}

#[test]
fn the_profile_keeps_its_own_context_keys() {
    // A user value for a key the requirement sets itself (iam:PassedToService) does not
    // change that requirement, and stderr says so.
    let seed = fx("policies/examples/ecs-bluegreen-seed.json");
    let r = run(&[
        "check",
        "--profile",
        USER,
        "--format",
        "json",
        &seed,
        "--context",
        "IAM:PassedToService=ecs.amazonaws.com",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("IAM:PassedToService"), "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    for q in requirements(&doc)
        .iter()
        .filter(|q| q["action"] == "iam:PassRole")
    {
        let ctx = q["context"].as_object().unwrap();
        assert_eq!(
            ctx.keys()
                .filter(|k| k.eq_ignore_ascii_case("iam:PassedToService"))
                .count(),
            1
        );
        assert_ne!(ctx["iam:PassedToService"][0], "ecs.amazonaws.com");
    }
}

#[test]
fn generate_refuses_a_gap_that_a_boundary_or_scp_decides() {
    let admin = fx("blocked/AdministratorAccess.json");
    let boundary = fx("blocked/boundary-s3-cloudwatch-ec2.json");
    let scp = fx("blocked/scp-allow-ec2-cloudwatch.json");
    // Without them nothing is missing.
    let r = run(&["generate", "--profile", USER, "--missing-from", &admin]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // stdout is always one JSON value: nothing missing is the empty array.
    assert_eq!(r.stdout.trim(), "[]");
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        &admin,
        "--boundary",
        &boundary,
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.trim().is_empty());
    assert!(
        flat(&r.stderr).contains("boundary-s3-cloudwatch-ec2.json"),
        "{}",
        r.stderr
    );
    assert!(
        flat(&r.stderr).contains("noidentitypolicycanfixit"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        &admin,
        "--scp",
        &scp,
    ]);
    assert_eq!(r.code, 2);
    assert!(
        flat(&r.stderr).contains("scp-allow-ec2-cloudwatch.json"),
        "{}",
        r.stderr
    );
    // A boundary that allows everything the profile needs changes nothing.
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        &fx("policies/examples/ecs-bluegreen-seed.json"),
        "--boundary",
        &admin,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("iam:PassRole"));
}

#[test]
fn scan_entries_say_what_blocks_each_gap() {
    // The account fixture (tests/fixtures/authz/README.md) has a role with AmazonECS_FullAccess:
    // its one gap is iam:PassRole of the CodeDeploy role, blocked by the `iam:PassedToService`
    // condition, exactly as `check` says for the same managed policy.
    let r = run(&[
        "scan",
        "--authorization-details",
        &fx("authz/small.json.gz"),
        "--profile",
        USER,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let entry = doc["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "web-indexer-backup-qa")
        .unwrap();
    assert_eq!(entry["missing"], serde_json::json!(["iam:PassRole"]));
    let b = &entry["blocked"][0];
    assert_eq!(b["action"], "iam:PassRole");
    assert_eq!(b["blockedBy"], "condition");
    let d = b["blockedByDetail"].as_str().unwrap();
    assert!(d.contains("AmazonECS_FullAccess"), "{d}");
    assert!(
        d.contains("the request has `iam:PassedToService` = `codedeploy.amazonaws.com`"),
        "{d}"
    );
    // Every gap of every entry has its reason.
    for p in doc["principals"].as_array().unwrap() {
        if p["status"] == "gaps" {
            let n = p["missing"].as_array().unwrap().len() + p["denied"].as_array().unwrap().len();
            assert_eq!(p["blocked"].as_array().unwrap().len(), n, "{p}");
        }
    }
}

#[test]
fn trust_results_say_what_blocked_them() {
    // https://github.com/awsdocs/aws-codedeploy-user-guide/blob/b998a2f507d018b402919c4448898b592777aa90/doc_source/getting-started-create-service-role.md
    // (tests/fixtures/aws/README.md): the trust policy naming the regional CodeDeploy
    // principals is a documented hardened form; it passes for the checked Region and names no
    // other principal (the regional principals are the same service).
    let role = "ecs-codedeploy-service-role";
    let perms = fx("aws/AWSCodeDeployRoleForECS.json");
    let regional = fx("aws/codedeploy-trust-policy-regional-principals.json");
    let r = run(&[
        "check",
        "--profile",
        role,
        "--format",
        "json",
        &perms,
        "--trust-policy",
        &regional,
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let t = &doc["profiles"][0]["trust"];
    assert_eq!(t["decision"], "allowed");
    assert!(t["blockedBy"].is_null());
    assert!(!r.stdout.contains("trust-other-principal"), "{}", r.stdout);
    // A trust policy that names another service only (the ECS tasks principal of
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html) does
    // not let CodeDeploy in: the trust policy (a resource policy) decides.
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("ecs-tasks-trust.json");
    std::fs::write(
        &tasks,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let tasks = tasks.to_string_lossy().to_string();
    let r = run(&[
        "check",
        "--profile",
        role,
        "--format",
        "json",
        &perms,
        "--trust-policy",
        &tasks,
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let t = &doc["profiles"][0]["trust"];
    assert_eq!(t["decision"], "implicitDeny");
    assert_eq!(t["blockedBy"], "resourcePolicy");
    let d = t["blockedByDetail"].as_str().unwrap();
    assert!(d.contains("ecs-tasks-trust.json"), "{d}");
    assert!(d.contains("`codedeploy.amazonaws.com`"), "{d}");
    // https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html:
    // the example names `myApplication`'s deployment groups in `aws:SourceArn`:
    // the statement names the service, its condition fails for the default application.
    let deputy = fx("aws/codedeploy-trust-policy-confused-deputy.json");
    let r = run(&[
        "check",
        "--profile",
        role,
        "--format",
        "json",
        &perms,
        "--trust-policy",
        &deputy,
    ]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let t = &doc["profiles"][0]["trust"];
    assert_eq!(t["blockedBy"], "condition");
    let d = t["blockedByDetail"].as_str().unwrap();
    assert!(d.contains("denied unless `aws:SourceArn` matches"), "{d}");
    assert!(d.contains("myApplication"), "{d}");
    // Allowed: both null.
    let r = run(&[
        "check",
        "--profile",
        role,
        "--format",
        "json",
        &perms,
        "--trust-policy",
        &deputy,
        "--param",
        "application=myApplication",
    ]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["profiles"][0]["trust"]["decision"], "allowed");
    assert!(doc["profiles"][0]["trust"]["blockedBy"].is_null());
    assert!(doc["profiles"][0]["trust"]["blockedByDetail"].is_null());
}

#[test]
fn identity_first_then_the_boundary() {
    // The boundary example of
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html used as
    // both the identity policy and the boundary: only cloudwatch:DescribeAlarms is allowed.
    // The evaluation logic asks the identity policies before the boundary
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
    // so `blockedBy` is `identity`; generate still refuses, naming the boundary, because the
    // boundary would block what it adds.
    let b = fx("blocked/boundary-s3-cloudwatch-ec2.json");
    let (code, doc) = check(&[&b, "--boundary", &b]);
    assert_eq!(code, 1);
    assert_eq!(
        find(&doc, "cloudwatch:DescribeAlarms")["decision"],
        "allowed"
    );
    let r = find(&doc, "sns:ListTopics");
    assert_eq!(r["blockedBy"], "identity");
    let r = run(&[
        "generate",
        "--profile",
        USER,
        "--missing-from",
        &b,
        "--boundary",
        &b,
    ]);
    assert_eq!(r.code, 2);
    let err = flat(&r.stderr);
    assert!(
        err.contains("doesnotallowit(nostatementtherematches)"),
        "{}",
        r.stderr
    );
    assert!(
        err.contains("blockedbythepermissionsboundary"),
        "{}",
        r.stderr
    );
}
