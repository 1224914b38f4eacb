//! Trust-policy verdicts of `greenlight check` (issue 10, section 2): open trust policies are
//! gaps, confused-deputy conditions are judged by their values, and the hardened trust
//! policies of the AWS documentation pass. Every trust policy here is an AWS documentation
//! example (tests/fixtures/aws, see its README) or one changed in the way the test's comment
//! says, with the page that defines the changed element cited.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fx(name: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Writes a trust policy built in the test to a file of its own.
fn write(name: &str, doc: &Value) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("trust-policies");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.json"));
    std::fs::write(&p, serde_json::to_string_pretty(doc).unwrap()).unwrap();
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

const ROLE: &str = "ecs-codedeploy-service-role";
const INFRA: &str = "ecs-native-bluegreen-infrastructure-role";
const HOOK: &str = "ecs-native-bluegreen-hook-role";

/// `check --format json` of `profile` with `permissions` and the trust policy `trust`.
fn check(profile: &str, permissions: &str, trust: &str, extra: &[&str]) -> (i32, Value) {
    let p = fx(permissions);
    let mut args = vec![
        "check",
        "--profile",
        profile,
        "--format",
        "json",
        &p,
        "--trust-policy",
        trust,
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert!(
        r.code == 0 || r.code == 1,
        "exit {} for {args:?}: {}",
        r.code,
        r.stderr
    );
    (r.code, serde_json::from_str(&r.stdout).unwrap())
}

fn role(trust: &str, extra: &[&str]) -> (i32, Value) {
    check(ROLE, "aws/AWSCodeDeployRoleForECS.json", trust, extra)
}

fn codes(trust: &Value) -> Vec<String> {
    trust["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

/// The ECS guide's ecsCodeDeployRole trust statement
/// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/codedeploy_IAM_role.html).
fn codedeploy_statement() -> Value {
    json!({"Sid": "", "Effect": "Allow",
           "Principal": {"Service": ["codedeploy.amazonaws.com"]},
           "Action": "sts:AssumeRole"})
}

/// The ECS guide's trust policy plus `extra` statements.
fn with(extra: Vec<Value>) -> Value {
    let mut st = vec![codedeploy_statement()];
    st.extend(extra);
    json!({"Version": "2012-10-17", "Statement": st})
}

/// A statement for the anyone principal (`"*"` ≡ `{"AWS": "*"}`, IAM `Principal` element:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)
/// with a condition.
fn anyone(principal: Value, condition: Option<Value>) -> Value {
    let mut s = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    s
}

fn assert_open(name: &str, doc: &Value) {
    let t = write(name, doc);
    let (code, out) = role(&t, &[]);
    let trust = &out["profiles"][0]["trust"];
    assert_eq!(code, 1, "{name}: {out:#}");
    assert_eq!(trust["open"], true, "{name}");
    // The service itself is still allowed: the gap is the openness alone.
    assert_eq!(trust["decision"], "allowed", "{name}");
    assert_eq!(out["profiles"][0]["gaps"], 1, "{name}");
    assert_eq!(out["gaps"], 1, "{name}");
    let detail = trust["openDetail"].as_str().unwrap();
    assert!(detail.contains("open"), "{name}: {detail}");
    assert!(trust["openStatements"][0]["line"].as_u64().is_some());
}

fn assert_closed(name: &str, doc: &Value) {
    let t = write(name, doc);
    let (code, out) = role(&t, &[]);
    let trust = &out["profiles"][0]["trust"];
    assert_eq!(trust["open"], false, "{name}: {out:#}");
    assert_eq!(trust["openDetail"], Value::Null, "{name}");
    assert_eq!(out["profiles"][0]["gaps"], 0, "{name}");
    assert_eq!(code, 0, "{name}");
}

// ---- open trust policies ------------------------------------------------------------------------

#[test]
fn star_principal_without_condition_is_open() {
    // IAM Principal element: `"Principal": "*"` and `{"AWS": "*"}` mean everyone, anonymous
    // callers included.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
    assert_open("star", &with(vec![anyone(json!("*"), None)]));
    assert_open("aws-star", &with(vec![anyone(json!({"AWS": "*"}), None)]));
    // One statement naming the service and everyone at once.
    let both = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "codedeploy.amazonaws.com", "AWS": "*"},
        "Action": "sts:AssumeRole"}]});
    assert_open("service-and-aws-star", &both);
}

#[test]
fn star_pinned_to_named_accounts_or_organizations_is_not_open() {
    // Global condition keys aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn,
    // aws:SourceAccount (set only by services)
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    let cases = [
        (
            "pin-account",
            json!({"StringEquals": {"aws:PrincipalAccount": "123456789012"}}),
        ),
        (
            "pin-org",
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
        ),
        (
            "pin-arn",
            json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/deploy-*"}}),
        ),
        (
            "pin-source-account",
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
        ),
        // ForAnyValue on a single-valued key: the one value must match a listed value, and an
        // absent key fails (IAM multivalued context keys:
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
        (
            "pin-for-any-value",
            json!({"ForAnyValue:StringEquals": {"aws:PrincipalAccount": ["123456789012"]}}),
        ),
    ];
    for (name, c) in cases {
        assert_closed(name, &with(vec![anyone(json!("*"), Some(c))]));
    }
}

#[test]
fn conditions_that_pin_nothing_leave_the_role_open() {
    // Condition operators: StringLike `*` matches every value; ...IfExists is true when the
    // key is absent; Null false only asks that the key exist
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
    // ForAllValues is true when the key is absent
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
    let cases = [
        (
            "like-star",
            json!({"StringLike": {"aws:PrincipalAccount": "*"}}),
        ),
        (
            "like-star-org",
            json!({"StringLike": {"aws:PrincipalOrgID": "o-*"}}),
        ),
        (
            "if-exists",
            json!({"StringEqualsIfExists": {"aws:PrincipalAccount": "123456789012"}}),
        ),
        (
            "null-false",
            json!({"Null": {"aws:PrincipalAccount": "false"}}),
        ),
        (
            "for-all-values",
            json!({"ForAllValues:StringEquals": {"aws:PrincipalAccount": ["123456789012"]}}),
        ),
        (
            "not-equals",
            json!({"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}}),
        ),
        (
            "any-account-role-name",
            json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deploy"}}),
        ),
        // A key the caller chooses does not confine it to an account.
        (
            "mfa-only",
            json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        ),
    ];
    for (name, c) in cases {
        assert_open(name, &with(vec![anyone(json!("*"), Some(c))]));
    }
}

#[test]
fn a_deny_for_every_outsider_closes_an_open_allow() {
    // Explicit deny overrides allow (IAM evaluation logic:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
    // StringNotEquals is true when the key is absent.
    let doc = with(vec![
        anyone(json!("*"), None),
        json!({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
               "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
    ]);
    let t = write("deny-outsiders", &doc);
    let (_, out) = role(&t, &[]);
    assert_eq!(out["profiles"][0]["trust"]["open"], false, "{out:#}");
}

#[test]
fn named_principals_are_warnings_not_open() {
    // Another account by its root ARN (IAM Principal element, AWS account principals:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
    let doc = with(vec![anyone(
        json!({"AWS": "arn:aws:iam::111122223333:root"}),
        None,
    )]);
    let t = write("other-account", &doc);
    let (code, out) = role(&t, &[]);
    let trust = &out["profiles"][0]["trust"];
    assert_eq!(trust["open"], false);
    assert_eq!(code, 0);
    assert!(codes(trust).contains(&"trust-other-principal".to_string()));
    let msg = trust["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "trust-other-principal")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("arn:aws:iam::111122223333:root"), "{msg}");
}

#[test]
fn open_trust_in_text_and_sarif() {
    let t = write("star-text", &with(vec![anyone(json!("*"), None)]));
    let p = fx("aws/AWSCodeDeployRoleForECS.json");
    let r = run(&["check", "--profile", ROLE, &p, "--trust-policy", &t]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("trust OPEN"), "{}", r.stdout);
    assert!(
        r.stdout.contains("the trust policy is open"),
        "{}",
        r.stdout
    );
    let r = run(&[
        "check",
        "--profile",
        ROLE,
        "--format",
        "sarif",
        &p,
        "--trust-policy",
        &t,
    ]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let rules: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"trust-open"), "{rules:?}");
}

// ---- confused deputy: values, not key presence -------------------------------------------------

#[test]
fn source_conditions_that_match_any_account_warn_like_none() {
    // CodeDeploy's confused-deputy page: aws:SourceAccount / aws:SourceArn must name your
    // account or deployment group
    // (https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html).
    // StringLike `*` matches every account; Null false only asks that the key exist
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
    for (name, cond) in [
        (
            "source-like-star",
            json!({"StringLike": {"aws:SourceAccount": "*"}}),
        ),
        (
            "source-null-false",
            json!({"Null": {"aws:SourceArn": "false"}}),
        ),
        (
            "source-arn-any-account",
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:codedeploy:*:*:deploymentgroup:*"}}),
        ),
        (
            "source-arn-like-star",
            json!({"StringLike": {"aws:SourceArn": "*"},
                   "Null": {"aws:SourceAccount": "false"}}),
        ),
    ] {
        let mut st = codedeploy_statement();
        st["Condition"] = cond;
        let t = write(name, &json!({"Version": "2012-10-17", "Statement": [st]}));
        let (code, out) = role(&t, &[]);
        let trust = &out["profiles"][0]["trust"];
        assert_eq!(trust["decision"], "allowed", "{name}");
        assert_eq!(code, 0, "{name}");
        assert_eq!(
            codes(trust),
            ["trust-without-source-condition"],
            "{name}: {trust:#}"
        );
        // Exactly the warning of a trust policy without any condition.
        let (_, bare) = role(&fx("aws/ecsCodeDeployRole-trust-policy.json"), &[]);
        assert_eq!(
            trust["warnings"][0]["message"],
            bare["profiles"][0]["trust"]["warnings"][0]["message"]
        );
    }
}

#[test]
fn source_conditions_with_concrete_values_do_not_warn() {
    // The documented example itself (account + deployment-group pattern), and each key alone.
    // https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html
    let (code, out) = role(
        &fx("aws/codedeploy-trust-policy-confused-deputy.json"),
        &["--param", "application=myApplication"],
    );
    assert_eq!(code, 0, "{out:#}");
    assert!(codes(&out["profiles"][0]["trust"]).is_empty());
    for (name, cond) in [
        (
            "source-account-only",
            json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
        ),
        // CodeDeploy always sends aws:SourceAccount, so ...IfExists compares it too.
        (
            "source-account-if-exists",
            json!({"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}),
        ),
        (
            "source-arn-only",
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"}}),
        ),
    ] {
        let mut st = codedeploy_statement();
        st["Condition"] = cond;
        let t = write(name, &json!({"Version": "2012-10-17", "Statement": [st]}));
        let (code, out) = role(&t, &[]);
        assert_eq!(code, 0, "{name}");
        assert!(
            codes(&out["profiles"][0]["trust"]).is_empty(),
            "{name}: {out:#}"
        );
    }
}

// ---- hardened trust policies pass ---------------------------------------------------------------

#[test]
fn regional_codedeploy_principals_pass_for_the_checked_region() {
    // CodeDeploy's service-role page lists regional principals
    // codedeploy.<region>.amazonaws.com to restrict the role to Regions
    // (https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html).
    let t = fx("aws/codedeploy-trust-policy-regional-principals.json");
    for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
        let r = format!("region={region}");
        let (code, out) = role(&t, &["--param", &r]);
        let trust = &out["profiles"][0]["trust"];
        assert_eq!(code, 0, "{region}: {out:#}");
        assert_eq!(trust["decision"], "allowed");
        assert_eq!(
            trust["principal"]["Service"],
            format!("codedeploy.{region}.amazonaws.com")
        );
        assert_eq!(trust["open"], false);
    }
    // A Region the policy does not list is refused.
    let (code, out) = role(&t, &["--param", "region=eu-north-1"]);
    assert_eq!(code, 1);
    assert_eq!(out["profiles"][0]["trust"]["decision"], "implicitDeny");
}

/// The documented wildcard form for ECS-native roles: aws:SourceAccount = the account and
/// ArnLike aws:SourceArn = any ECS resource of the account (the form the IAM guide gives for
/// aws:SourceArn, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn,
/// on the ECS trust policies of
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html
/// and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-permissions.html).
fn hardened_ecs(op: &str, arn: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
    "Sid": "AllowAccessToECSForInfrastructureManagement",
    "Effect": "Allow",
    "Principal": {"Service": "ecs.amazonaws.com"},
    "Action": "sts:AssumeRole",
    "Condition": {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        op: {"aws:SourceArn": arn}
    }}]})
}

#[test]
fn hardened_ecs_native_trust_policies_pass() {
    for (profile, permissions) in [
        (
            INFRA,
            "aws/AmazonECSInfrastructureRolePolicyForLoadBalancers.json",
        ),
        (HOOK, "aws/ecs-bluegreen-lambda-hook-role-permissions.json"),
    ] {
        for (op, arn) in [
            ("ArnLike", "arn:aws:ecs:us-east-1:123456789012:*"),
            ("StringLike", "arn:aws:ecs:us-east-1:123456789012:*"),
            ("ArnLike", "arn:aws:ecs:*:123456789012:*"),
        ] {
            let name = format!("{profile}-{op}-{}", arn.len());
            let t = write(&name, &hardened_ecs(op, arn));
            let (code, out) = check(profile, permissions, &t, &[]);
            let trust = &out["profiles"][0]["trust"];
            assert_eq!(code, 0, "{name}: {out:#}");
            assert_eq!(trust["decision"], "allowed");
            assert_eq!(trust["open"], false);
            // No confused-deputy warning; the docs do not say ECS sends these keys, so check
            // says the decision depends on them.
            assert_eq!(codes(trust), ["trust-unconfirmed-context"], "{name}");
        }
        // The documented trust policies (no condition) pass too, with the confused-deputy
        // warning and no dependence on unconfirmed keys.
        let doc = if profile == INFRA {
            "aws/ecsInfrastructureRoleForLoadBalancers-trust-policy.json"
        } else {
            "aws/ecs-bluegreen-lambda-hook-role-trust-policy.json"
        };
        let (code, out) = check(profile, permissions, &fx(doc), &[]);
        assert_eq!(code, 0, "{profile}: {out:#}");
        assert_eq!(
            codes(&out["profiles"][0]["trust"]),
            ["trust-without-source-condition"]
        );
        // Another account's resources do not match.
        let t = write(
            &format!("{profile}-foreign"),
            &hardened_ecs("ArnLike", "arn:aws:ecs:us-east-1:111122223333:*"),
        );
        let (code, out) = check(profile, permissions, &t, &[]);
        assert_eq!(code, 1, "{profile}");
        assert_eq!(out["profiles"][0]["trust"]["decision"], "implicitDeny");
    }
}

// ---- web-identity principals ----------------------------------------------------------------------

fn federated(provider: &str, condition: Option<Value>) -> Value {
    let mut s = json!({"Effect": "Allow", "Principal": {"Federated": provider},
                       "Action": "sts:AssumeRoleWithWebIdentity"});
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    s
}

#[test]
fn web_identity_principals_without_a_pinning_condition_are_open() {
    // Amazon Cognito role trust: without `cognito-identity.amazonaws.com:aud` any identity
    // pool's users can assume the role
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
    assert_open(
        "cognito-no-aud",
        &with(vec![federated("cognito-identity.amazonaws.com", None)]),
    );
    // `aud` alone names the identity pool, whose unauthenticated (guest) identities anyone
    // gets when the pool allows them; `amr` = `authenticated` keeps them out (the same verdict
    // as `verify --no-public-access` and GL072)
    assert_open(
        "cognito-aud",
        &with(vec![federated(
            "cognito-identity.amazonaws.com",
            Some(json!({"StringEquals": {
                "cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456789012"
            }})),
        )]),
    );
    let pool = json!({
        "StringEquals": {
            "cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456789012"
        },
        "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
    });
    assert_closed(
        "cognito-aud-amr",
        &with(vec![federated(
            "cognito-identity.amazonaws.com",
            Some(pool.clone()),
        )]),
    );
    // An organization-pinned `*` statement next to a pinned Cognito statement: a web-identity
    // user has no organization, so neither lets one in.
    assert_closed(
        "cognito-aud-and-org-star",
        &with(vec![
            federated("cognito-identity.amazonaws.com", Some(pool)),
            anyone(
                json!("*"),
                Some(json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})),
            ),
        ]),
    );
    // GitHub Actions OIDC: `aud` is sts.amazonaws.com for every repository; `sub` names the
    // repository (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub).
    let gh = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    assert_open(
        "github-aud-only",
        &with(vec![federated(
            gh,
            Some(json!({"StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}})),
        )]),
    );
    assert_open(
        "github-any-repo",
        &with(vec![federated(
            gh,
            Some(json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}})),
        )]),
    );
    assert_closed(
        "github-one-repo",
        &with(vec![federated(
            gh,
            Some(json!({
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*"}})),
        )]),
    );
}

/// `check` reads each web-identity provider's keys as `verify` does (red team 73). The IAM
/// guide's Login with Facebook and Login with Amazon trust policies pin `app_id`, the audience
/// key of those providers (IAM, "Available keys for AWS web identity federation",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif;
/// the policies: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html):
/// closed. Those providers send no `aud` or `sub`, so `...IfExists` or `ForAllValues:` on them
/// admits anyone who signs in: open. On a shared CI provider (GitLab.com) every tenant chooses
/// its `aud`, so `aud` alone does not close the role
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html),
/// and HCP Terraform's organization is the part of `sub` up to the second `:`.
#[test]
fn web_identity_keys_are_read_per_provider() {
    assert_closed(
        "facebook-app-id",
        &with(vec![federated(
            "graph.facebook.com",
            Some(json!({"StringEquals": {"graph.facebook.com:app_id": "111222333444555"}})),
        )]),
    );
    assert_closed(
        "amazon-app-id",
        &with(vec![federated(
            "www.amazon.com",
            Some(
                json!({"StringEquals": {"www.amazon.com:app_id": "amzn1.application-oa2-123456"}}),
            ),
        )]),
    );
    assert_open(
        "facebook-aud-if-exists",
        &with(vec![federated(
            "graph.facebook.com",
            Some(json!({"StringEqualsIfExists": {"graph.facebook.com:aud": "111222333444555"}})),
        )]),
    );
    assert_open(
        "amazon-aud-for-all-values",
        &with(vec![federated(
            "www.amazon.com",
            Some(json!({"ForAllValues:StringEquals": {
                "www.amazon.com:aud": "amzn1.application-oa2-123456"}})),
        )]),
    );
    assert_open(
        "gitlab-aud-only",
        &with(vec![federated(
            "arn:aws:iam::123456789012:oidc-provider/gitlab.com",
            Some(json!({"StringEquals": {"gitlab.com:aud": "https://gitlab.com"}})),
        )]),
    );
    assert_closed(
        "terraform-one-org",
        &with(vec![federated(
            "arn:aws:iam::123456789012:oidc-provider/app.terraform.io",
            Some(json!({
                "StringEquals": {"app.terraform.io:aud": "aws.workload.identity"},
                "StringLike": {"app.terraform.io:sub":
                    "organization:my-org:project:*:workspace:*:run_phase:*"}})),
        )]),
    );
}

#[test]
fn scan_counts_an_open_trust_policy() {
    // An authorization-details document (`aws iam get-account-authorization-details`,
    // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
    // with two roles holding AWSCodeDeployRoleForECS: one trusts CodeDeploy and everyone
    // (`{"AWS": "*"}`), one only CodeDeploy.
    let (r, entry) = scan_codedeploy_roles(
        "authz-open",
        vec![
            ("openRole", with(vec![anyone(json!({"AWS": "*"}), None)])),
            ("ecsCodeDeployRole", with(vec![])),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(entry("openRole")["gaps"], 1);
    assert_eq!(entry("openRole")["trustOpen"], true);
    assert_eq!(entry("ecsCodeDeployRole")["gaps"], 0);
    assert_eq!(entry("ecsCodeDeployRole").get("trustOpen"), None);
}

/// The data-perimeter guardrail AWS recommends for trust and resource policies (a `Deny` of
/// callers outside the organization, `BoolIfExists` `aws:PrincipalIsAWSService` `false`:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice)
/// does not deny the service: AWS sends `aws:PrincipalIsAWSService` = `true` with a service
/// principal's request, so the trust is allowed and no one else can assume the role.
#[test]
fn the_data_perimeter_deny_does_not_block_the_service() {
    let doc = with(vec![json!({
        "Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
            "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}
        }
    })]);
    let t = write("trust-perimeter.json", &doc);
    let (code, out) = role(&t, &[]);
    let trust = &out["profiles"][0]["trust"];
    assert_eq!(code, 0, "{out:#}");
    assert_eq!(trust["decision"], "allowed", "{trust:#}");
    assert_eq!(trust["othersCanAssume"], false, "{trust:#}");
}

/// `scan` says, for a role with no gap, whether principals other than the profile's service
/// can assume it, as `check`'s `othersCanAssume` does (the trust analysis; here a second
/// service principal, `ec2.amazonaws.com`,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services):
/// in the JSON entry and as a warning on stderr.
#[test]
fn scan_says_when_others_can_assume_a_complete_role() {
    let ec2 = json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                     "Action": "sts:AssumeRole"});
    let (r, entry) = scan_codedeploy_roles(
        "authz-others",
        vec![
            ("sharedRole", with(vec![ec2])),
            ("ecsCodeDeployRole", with(vec![])),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(entry("sharedRole")["othersCanAssume"], true);
    assert_eq!(entry("ecsCodeDeployRole")["othersCanAssume"], false);
    assert!(
        r.stderr.contains("sharedRole (ecs-codedeploy-service-role): principals other than `codedeploy.amazonaws.com` can assume the role, for example `ec2.amazonaws.com`"),
        "{}",
        r.stderr
    );
}

/// `scan --roles` of an authorization-details document
/// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
/// whose roles each hold AWSCodeDeployRoleForECS inline, with the given trust policies; the
/// run and each entry of its JSON by role name.
fn scan_codedeploy_roles(name: &str, roles: Vec<(&str, Value)>) -> (Run, impl Fn(&str) -> Value) {
    let permissions: Value = serde_json::from_str(
        &std::fs::read_to_string(fx("aws/AWSCodeDeployRoleForECS.json")).unwrap(),
    )
    .unwrap();
    let role = |name: &str, trust: Value| {
        json!({"Path": "/", "RoleName": name, "RoleId": format!("AROA{:0>17}", name.len()),
               "Arn": format!("arn:aws:iam::123456789012:role/{name}"),
               "CreateDate": "2020-01-01T00:00:00Z", "AssumeRolePolicyDocument": trust,
               "InstanceProfileList": [], "AttachedManagedPolicies": [], "Tags": [],
               "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": permissions}]})
    };
    let list: Vec<Value> = roles.into_iter().map(|(n, t)| role(n, t)).collect();
    let doc = json!({"UserDetailList": [], "GroupDetailList": [], "Policies": [],
                     "RoleDetailList": list});
    let f = write(name, &doc);
    let r = run(&[
        "scan",
        "--authorization-details",
        &f,
        "--profile",
        ROLE,
        "--roles",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    let entry = move |name: &str| {
        v["principals"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no entry for {name}"))
    };
    (r, entry)
}
