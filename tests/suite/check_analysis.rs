//! `check` uses the request-space analysis (issue 11, "`check` uses it"): a role profile's
//! trust verdict says whether any principal other than the profile's service can assume the
//! role, with a counterexample request; a requirement allowed only under some contexts says
//! under which.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const ROLE: &str = "ecs-codedeploy-service-role";
const USER: &str = "ecs-bluegreen-codedeploy-user";

fn fx(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn trust_of(trust: &str) -> (i32, Value) {
    let perms = fx("aws/AWSCodeDeployRoleForECS.json");
    let (code, out) = run(&[
        "check",
        "--profile",
        ROLE,
        "--format",
        "json",
        &perms,
        "--trust-policy",
        trust,
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (code, doc["profiles"][0]["trust"].clone())
}

/// A policy file written for one test, in a folder removed when it is dropped.
struct Written {
    path: String,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Written {
    type Target = str;
    fn deref(&self) -> &str {
        &self.path
    }
}

fn write(name: &str, text: &str) -> Written {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    Written {
        path: p.display().to_string(),
        _dir: dir,
    }
}

#[test]
fn documented_trust_policies_admit_only_the_service() {
    // The ecsCodeDeployRole trust policy of the Amazon ECS Developer Guide, the CodeDeploy
    // confused-deputy example (aws:SourceAccount / aws:SourceArn) and the Regional principals
    // of the CodeDeploy User Guide (sources in tests/fixtures/aws/README.md).
    for f in [
        "aws/ecsCodeDeployRole-trust-policy.json",
        "aws/codedeploy-trust-policy-confused-deputy.json",
        "aws/codedeploy-trust-policy-regional-principals.json",
    ] {
        let (_, t) = trust_of(&fx(f));
        assert_eq!(t["othersCanAssume"], false, "{f}: {t}");
        assert_eq!(t["othersExamples"].as_array().unwrap().len(), 0, "{f}");
        assert!(t["othersUnknownReason"].is_null(), "{f}: {t}");
    }
}

#[test]
fn a_wildcard_condition_leaves_the_role_open_with_a_counterexample() {
    // `{"AWS": "*"}` with `StringLike aws:PrincipalAccount "*"`: the condition bounds nothing
    // (IAM JSON policy elements: Principal, "we strongly recommend that you do not use a
    // wildcard ... unless you use a condition to restrict access"; `*` matches every account).
    let p = write(
        "open.json",
        r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"},
{"Sid":"Anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole",
 "Condition":{"StringLike":{"aws:PrincipalAccount":"*"}}}]}"#,
    );
    let (code, t) = trust_of(&p);
    assert_eq!(code, 1);
    assert_eq!(t["open"], true);
    assert_eq!(t["othersCanAssume"], true);
    let ex = &t["othersExamples"][0];
    let who = ex["principal"].as_str().unwrap();
    assert_ne!(who, "codedeploy.amazonaws.com");
    assert!(ex["action"].as_str().unwrap().starts_with("sts:AssumeRole"));
    // the example's aws:PrincipalAccount is the caller's own account
    let acct = ex["context"]["aws:PrincipalAccount"][0].as_str().unwrap();
    assert!(who.contains(acct), "{ex}");
    assert_eq!(ex["statements"][0]["sid"], "Anyone");
    assert_eq!(ex["statements"][0]["line"], 3);
}

#[test]
fn a_named_other_account_is_a_counterexample_but_not_open() {
    // A trust policy naming another account's root (the cross-account example of
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts):
    // not open to everyone, but a principal other than the service can assume the role.
    let p = write(
        "cross.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com","AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#,
    );
    let (_, t) = trust_of(&p);
    assert_eq!(t["open"], false);
    assert_eq!(t["othersCanAssume"], true);
    for ex in t["othersExamples"].as_array().unwrap() {
        assert!(
            ex["principal"].as_str().unwrap().contains("123456789012"),
            "{ex}"
        );
    }
    // and the text output says so, with the example
    let perms = fx("aws/AWSCodeDeployRoleForECS.json");
    let (_, out) = run(&["check", "--profile", ROLE, &perms, "--trust-policy", &p]);
    assert!(
        out.contains("principals other than `codedeploy.amazonaws.com` can assume the role, for example `arn:aws:iam::123456789012:"),
        "{out}"
    );
}

#[test]
fn a_requirement_allowed_only_with_mfa_says_so() {
    // MFA-protected API access (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html):
    // `{"Bool": {"aws:MultiFactorAuthPresent": "true"}}` allows only requests made with MFA.
    let p = fx("blocked/require-mfa.json");
    let (code, out) = run(&[
        "check",
        "--profile",
        USER,
        "--format",
        "json",
        &p,
        "--context",
        "aws:MultiFactorAuthPresent=true",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let reqs = doc["profiles"][0]["requirements"].as_array().unwrap();
    let find = |a: &str| reqs.iter().find(|q| q["action"] == a).unwrap().clone();
    let q = find("codedeploy:CreateDeployment");
    assert_eq!(q["decision"], "allowed");
    assert_eq!(
        q["onlyWhen"],
        "only when `aws:MultiFactorAuthPresent` is `true`"
    );
    // granted by a statement without a condition: allowed whatever the context
    let q = find("sns:ListTopics");
    assert_eq!(q["decision"], "allowed");
    assert!(q["onlyWhen"].is_null(), "{q}");
    let _ = code;
    // without MFA the requirement is not allowed, and onlyWhen stays null
    let (code, out) = run(&["check", "--profile", USER, "--format", "json", &p]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let q = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["action"] == "codedeploy:CreateDeployment")
        .unwrap()
        .clone();
    assert_ne!(q["decision"], "allowed");
    assert!(q["onlyWhen"].is_null());
}

#[test]
fn an_if_exists_condition_is_not_only_when() {
    // `BoolIfExists` is met when the key is absent (IAM JSON policy elements: condition
    // operators, "...IfExists"), so the requirement is allowed without MFA too.
    let p = write(
        "ifexists.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codedeploy:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}]}"#,
    );
    let (_, out) = run(&[
        "check",
        "--profile",
        USER,
        "--format",
        "json",
        &p,
        "--context",
        "aws:MultiFactorAuthPresent=true",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let q = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["action"] == "codedeploy:CreateDeployment")
        .unwrap()
        .clone();
    assert_eq!(q["decision"], "allowed");
    assert!(q["onlyWhen"].is_null(), "{q}");
}

/// Red-team pass 4, suspicion 1: web-identity and SAML federation are requested by the
/// identity provider's users, whose principal is `{"Federated": ...}`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity>),
/// never by an account's IAM principals. A statement that allows an account everything but
/// `sts:AssumeRole` (`NotAction`) lets none of them assume the role; a federated statement
/// still does.
#[test]
fn an_account_cannot_assume_through_web_identity_or_saml() {
    let p = write(
        "notaction.json",
        r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"},
{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"NotAction":"sts:AssumeRole"}]}"#,
    );
    let (_, t) = trust_of(&p);
    assert_eq!(t["othersCanAssume"], false, "{t}");
    assert_eq!(t["othersExamples"].as_array().unwrap().len(), 0, "{t}");
    let fed = write(
        "federated.json",
        r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"},
{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::999988887777:saml-provider/corp"},"NotAction":"sts:AssumeRole"}]}"#,
    );
    let (_, t) = trust_of(&fed);
    assert_eq!(t["othersCanAssume"], true, "{t}");
    assert_eq!(
        t["othersExamples"][0]["action"], "sts:AssumeRoleWithSAML",
        "{t}"
    );
}

/// Red-team pass 4, suspicion 2: `aws:PrincipalServiceName` is in the request only when a
/// service principal calls ("This key isn't present in any other situation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>):
/// `"Principal": "*"` with `StringEquals aws:PrincipalServiceName codedeploy.amazonaws.com`
/// admits the service alone, so the role is neither open nor assumable by others.
#[test]
fn a_service_name_condition_admits_only_that_service() {
    let p = write(
        "service-name.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalServiceName":"codedeploy.amazonaws.com"}}}]}"#,
    );
    let (_, t) = trust_of(&p);
    assert_eq!(t["open"], false, "{t}");
    assert_eq!(t["othersCanAssume"], false, "{t}");
    assert!(t["othersUnknownReason"].is_null(), "{t}");
    // `StringNotEquals` lets every caller without the key in: open
    let q = write(
        "service-name-not.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringNotEquals":{"aws:PrincipalServiceName":"codedeploy.amazonaws.com"}}}]}"#,
    );
    let (_, t) = trust_of(&q);
    assert_eq!(t["open"], true, "{t}");
    assert_eq!(t["othersCanAssume"], true, "{t}");
}

/// `Principal "*"` covers service principals, and `aws:PrincipalServiceName` holds the calling
/// service's name
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicename>):
/// a statement that admits another service through that key lets it assume the role, whether
/// the key names it, lists it or matches it with a pattern (red-team pass 11).
#[test]
fn another_service_admitted_through_principal_service_name_can_assume() {
    for (name, cond, other) in [
        (
            "psn.json",
            r#"{"StringEquals":{"aws:PrincipalServiceName":"lambda.amazonaws.com"}}"#,
            Some("lambda.amazonaws.com"),
        ),
        (
            "psn-list.json",
            r#"{"StringEquals":{"aws:PrincipalServiceName":["codedeploy.amazonaws.com","ec2.amazonaws.com"]}}"#,
            Some("ec2.amazonaws.com"),
        ),
        (
            "psn-like.json",
            r#"{"StringLike":{"aws:PrincipalServiceName":"code*"}}"#,
            None,
        ),
    ] {
        let p = write(
            name,
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[
{{"Effect":"Allow","Principal":{{"Service":"codedeploy.amazonaws.com"}},"Action":"sts:AssumeRole"}},
{{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{cond}}}]}}"#
            ),
        );
        let (_, t) = trust_of(&p);
        assert_eq!(t["othersCanAssume"], true, "{name}: {t}");
        let who = t["othersExamples"][0]["principal"].as_str().unwrap();
        assert_ne!(who, "codedeploy.amazonaws.com", "{name}");
        if let Some(o) = other {
            assert_eq!(who, o, "{name}: {t}");
        }
    }
}

/// `aws:PrincipalServiceNamesList` is "present in the request for all signed API requests that
/// are made by a service principal"
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalservicenameslist>):
/// a trust that admits `Principal "*"` when the list holds CodeDeploy's name lets CodeDeploy in
/// (it read "not allowed"), and the Lambda name it also lists lets Lambda in.
#[test]
fn principal_service_names_list_admits_the_services_it_names() {
    let p = write(
        "psn-names-list.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringEquals":{"aws:PrincipalServiceNamesList":["codedeploy.amazonaws.com","lambda.amazonaws.com"]}}}]}"#,
    );
    let (code, t) = trust_of(&p);
    assert_eq!(code, 0, "{t}");
    assert_eq!(t["decision"], "allowed", "{t}");
    assert_eq!(t["othersCanAssume"], true, "{t}");
    assert_eq!(
        t["othersExamples"][0]["principal"], "lambda.amazonaws.com",
        "{t}"
    );
}

fn trust_text(text: &str) -> (i32, Value) {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("trust.json");
    std::fs::write(&f, text).unwrap();
    trust_of(f.to_str().unwrap())
}

/// A trust policy open to any account through a condition the statement-by-statement test
/// takes as pinning the caller (`aws:PrincipalOrgID` equal to a tag the caller sets itself:
/// `simulate` lets another organization's role assume it; red team 36) is a trust gap,
/// decided by the analysis behind `verify --no-public-access`; the IAM docs' same-organization
/// form (`${aws:ResourceOrgID}`,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid>)
/// is not.
#[test]
fn a_trust_policy_open_through_a_caller_chosen_value_is_a_gap() {
    let service = r#"{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}"#;
    let with = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{service},{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{{cond}}}}}}}]}}"#
        )
    };
    for cond in [
        r#""aws:PrincipalOrgID":"${aws:PrincipalTag/org}""#,
        r#""aws:PrincipalOrgID":"${aws:RequestTag/org}""#,
        r#""aws:PrincipalArn":"${aws:PrincipalTag/allowed}""#,
    ] {
        let (code, t) = trust_text(&with(cond));
        assert_eq!(code, 1, "{cond}: {t}");
        assert_eq!(t["open"], true, "{cond}: {t}");
    }
    for cond in [
        r#""aws:PrincipalOrgID":"${aws:ResourceOrgID}""#,
        r#""aws:PrincipalOrgID":"o-a1b2c3d4e5""#,
    ] {
        let (code, t) = trust_text(&with(cond));
        assert_eq!(code, 0, "{cond}: {t}");
        assert_eq!(t["open"], false, "{cond}: {t}");
    }
}

/// A trust principal whose account a template does not give (a parameter without value) is
/// not "no principal other than the service": who it stands for is unknown (red team 36).
#[test]
fn a_principal_of_an_unknown_account_is_not_only_the_service() {
    let d = tempfile::tempdir().unwrap();
    let t = d.path().join("t.yaml");
    std::fs::write(
        &t,
        r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PartnerAccount:
    Type: String
Resources:
  CodeDeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: codedeploy.amazonaws.com
            Action: sts:AssumeRole
          - Effect: Allow
            Principal:
              AWS: !Sub "arn:aws:iam::${PartnerAccount}:role/deployer"
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS
"#,
    )
    .unwrap();
    let (_, out) = run(&[
        "check",
        "--template",
        t.to_str().unwrap(),
        "--role",
        "CodeDeployRole",
        "--profile",
        ROLE,
        "--format",
        "json",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let trust = &doc["profiles"][0]["trust"];
    assert_ne!(trust["others"], false, "{trust}");
    assert!(
        trust["othersUnknownReason"]
            .as_str()
            .is_some_and(|r| r.contains("PartnerAccount")),
        "{trust}"
    );
}

/// An undecided `verify` answer is located at the user's own statement, never at a policy
/// the analysis makes up (red team 36: CI annotations pointed at `(any identity policy)`).
#[test]
fn an_unknown_points_at_the_users_statement() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("trust.json");
    std::fs::write(
        &f,
        r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalArn":"${aws:PrincipalTag/allowed}"}}}]}"#,
    )
    .unwrap();
    let (code, out) = run(&[
        "verify",
        f.to_str().unwrap(),
        "--policy-type",
        "trust",
        "--no-public-access",
        "--format",
        "github",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(!out.contains("(any identity policy)"), "{out}");
    assert!(out.contains("trust.json,line=2"), "{out}");
}

/// Red team 37: a policy variable inside an ARN pattern names a role any account can create
/// (`arn:aws:iam::*:role/${aws:ResourceAccount}`: open, a gap), while the IAM docs'
/// `aws:PrincipalOrgPaths` pattern under `ForAnyValue:StringLike`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths>)
/// and the same-organization paths variable are closed (the statement test called them open;
/// the exact analysis decides).
#[test]
fn the_exact_answer_decides_the_trust_verdict() {
    let service = r#"{"Effect":"Allow","Principal":{"Service":"codedeploy.amazonaws.com"},"Action":"sts:AssumeRole"}"#;
    let with = |cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{service},{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole","Condition":{cond}}}]}}"#
        )
    };
    let (code, t) = trust_text(&with(
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/${aws:ResourceAccount}"}}"#,
    ));
    assert_eq!((code, &t["open"]), (1, &Value::Bool(true)), "{t}");
    for cond in [
        r#"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*"}}"#,
        r#"{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"${aws:ResourceOrgID}/*"}}"#,
    ] {
        let (code, t) = trust_text(&with(cond));
        assert_eq!((code, &t["open"]), (0, &Value::Bool(false)), "{cond}: {t}");
    }
}

/// The `iam:PassRole` requirement on the CodeDeploy role (`iam:PassedToService`
/// `codedeploy.amazonaws.com`, the blue/green user profile) of the user policy `text`: its
/// decision and `onlyWhen`.
fn pass_codedeploy_role(name: &str, text: &str) -> (String, Value) {
    let p = write(name, text);
    let (_, out) = run(&["check", "--profile", USER, "--format", "json", &p]);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let q = doc["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| {
            q["action"] == "iam:PassRole"
                && q["resource"]
                    .as_str()
                    .unwrap()
                    .ends_with(":role/ecsCodeDeployRole")
        })
        .unwrap()
        .clone();
    assert_eq!(
        q["context"]["iam:PassedToService"][0], "codedeploy.amazonaws.com",
        "{q}"
    );
    (
        q["decision"].as_str().unwrap().to_string(),
        q["onlyWhen"].clone(),
    )
}

/// The CodeDeploy-role statement of the red team's policies: `iam:PassRole` on the role when
/// `iam:PassedToService` is `codedeploy.amazonaws.com`.
const PASS_CD: &str = r#"{"Sid":"PassCD","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/ecsCodeDeployRole","Condition":{"StringEquals":{"iam:PassedToService":"codedeploy.amazonaws.com"}}}"#;

/// Red team 72: `onlyWhen` named the one statement that allowed the profile's request, while
/// another `Allow` on `*` grants the same role for other values of the key. The statements of
/// an identity policy are a union: a request is allowed when any statement allows it and none
/// denies it (IAM User Guide, "Policy evaluation logic",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
/// `StringEquals` matches the value exactly, and a condition on a key the request lacks is
/// false ("Condition operators",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
/// So passing the role is allowed exactly when `iam:PassedToService` is
/// `codedeploy.amazonaws.com` (statement `PassCD`) or `ec2.amazonaws.com` (statement
/// `AnyToEC2`, whose `*` covers the role), and not when it is another service or absent:
/// "only when ... is `codedeploy.amazonaws.com`" was false (EC2 may be passed the role).
#[test]
fn only_when_names_every_value_an_allow_on_the_resource_grants() {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{PASS_CD},
{{"Sid":"AnyToEC2","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{{"StringEquals":{{"iam:PassedToService":"ec2.amazonaws.com"}}}}}}]}}"#
    );
    let (decision, only) = pass_codedeploy_role("w1.json", &text);
    assert_eq!(decision, "allowed");
    assert_eq!(
        only,
        "only when `iam:PassedToService` is one of `codedeploy.amazonaws.com`, `ec2.amazonaws.com`"
    );
    // the words are what `simulate` decides for each service
    let p = write("w1.json", &text);
    for (service, allowed) in [
        ("codedeploy.amazonaws.com", true),
        ("ec2.amazonaws.com", true),
        ("lambda.amazonaws.com", false),
    ] {
        let (code, _) = run(&[
            "simulate",
            "--policy",
            &p,
            "--action",
            "iam:PassRole",
            "--resource",
            "arn:aws:iam::123456789012:role/ecsCodeDeployRole",
            "--context",
            &format!("iam:PassedToService={service}"),
            "--expect",
            "allowed",
        ]);
        assert_eq!(code == 0, allowed, "{service}: exit {code}");
    }
}

/// Red team 72, second form: the other statement grants every service. `Null` `"false"` holds
/// when the key is in the request, whatever its value, and `StringLike` `"*"` matches every
/// value of a key the request has (Condition operators: "Condition operator to check
/// existence of condition keys"; a key absent from the request fails the condition,
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
/// With either beside `PassCD`, the role is allowed to be passed to any service, so the
/// restriction to `codedeploy.amazonaws.com` is not one; what holds exactly is the other
/// statement's condition: the key must be present.
#[test]
fn only_when_is_the_wider_allow_when_it_covers_the_narrower() {
    for (name, cond, want) in [
        (
            "w2.json",
            r#"{"Null":{"iam:PassedToService":"false"}}"#,
            "only when `iam:PassedToService` is present",
        ),
        (
            "w3.json",
            r#"{"StringLike":{"iam:PassedToService":"*"}}"#,
            "only when `iam:PassedToService` matches `*`",
        ),
    ] {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{PASS_CD},
{{"Sid":"AnyService","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{cond}}}]}}"#
        );
        let (decision, only) = pass_codedeploy_role(name, &text);
        assert_eq!(decision, "allowed", "{name}");
        assert_eq!(only, want, "{name}");
    }
}

/// An allow whose values a `Deny` carves into (an explicit deny overrides any allow, IAM User
/// Guide, "Policy evaluation logic") is not allowed for every value its condition names:
/// `StringLike` `*.amazonaws.com` matches `ec2.amazonaws.com`, which the `Deny` refuses, so
/// "only when `iam:PassedToService` matches `*.amazonaws.com`" would be false; no note is
/// given.
#[test]
fn only_when_is_not_stated_when_a_deny_carves_into_the_allow() {
    let text = r#"{"Version":"2012-10-17","Statement":[
{"Sid":"PassToServices","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/*","Condition":{"StringLike":{"iam:PassedToService":"*.amazonaws.com"}}},
{"Sid":"NotToEC2","Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}"#;
    let (decision, only) = pass_codedeploy_role("carve.json", text);
    assert_eq!(decision, "allowed");
    assert!(only.is_null(), "{only}");
}
