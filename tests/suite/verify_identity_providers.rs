//! `verify --no-public-access` and `--only-accounts` on trust policies of web-identity
//! providers and organizations (fixtures and sources: tests/fixtures/verify/README.md).
//! Anyone can sign in to GitHub or an identity pool, so a trust policy that does not pin the
//! provider's `sub` (or the pool's `aud`) to your own grants public access; a condition on
//! `aws:PrincipalOrgID` admits every account of the organization, which `--only-accounts`
//! must count.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn verify(file: &str, assertion: &[&str]) -> (i32, Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("verify")
        .arg(format!("tests/fixtures/verify/{file}"))
        .args(["--policy-type", "trust", "--format", "json"])
        .args(assertion)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| {
        panic!(
            "{e}: {out}{}",
            String::from_utf8_lossy(&o.stderr).into_owned()
        )
    });
    (o.status.code().unwrap(), doc["assertions"][0].clone())
}

const PUBLIC: &[&str] = &["--no-public-access"];
const ONLY: &[&str] = &["--only-accounts", "111122223333"];

#[test]
fn github_without_a_pinned_subject_is_public() {
    for f in ["github-oidc-aud-only.json", "github-oidc-any-repo.json"] {
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify(f, a);
            assert_eq!(code, 1, "{f} {a:?}: {v}");
            assert_eq!(v["holds"], false);
            let c = &v["counterexamples"][0];
            assert_eq!(c["action"], "sts:AssumeRoleWithWebIdentity");
            assert!(
                c["principal"]
                    .as_str()
                    .unwrap()
                    .ends_with(":oidc-provider/token.actions.githubusercontent.com"),
                "{c}"
            );
            // the subject, when the policy reads it, is not the policy's own repository
            if let Some(sub) = c["context"]["token.actions.githubusercontent.com:sub"].as_str() {
                assert!(!sub.starts_with("repo:octo-org/"), "{c}");
            }
        }
    }
}

#[test]
fn pinned_subjects_and_identity_pools_are_not_public() {
    for f in ["github-oidc-pinned.json", "cognito-pinned.json"] {
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify(f, a);
            assert_eq!(code, 0, "{f} {a:?}: {v}");
            assert_eq!(v["holds"], true);
        }
    }
}

#[test]
fn an_organization_condition_is_not_public_but_admits_other_accounts() {
    let (code, v) = verify("org-pinned.json", PUBLIC);
    assert_eq!(code, 0, "{v}");
    let (code, v) = verify("org-pinned.json", ONLY);
    assert_eq!(code, 1, "{v}");
    let c = &v["counterexamples"][0];
    assert_eq!(c["context"]["aws:PrincipalOrgID"], "o-a1b2c3d4e5", "{c}");
    assert!(!c["principal"].as_str().unwrap().contains("111122223333"));
}

/// An identity pool's guest role (`amr` = `unauthenticated`): Cognito hands unauthenticated
/// identities of the pool to anyone, so the pinned `aud` does not keep the public out.
#[test]
fn an_identity_pool_guest_role_is_public() {
    for a in [PUBLIC, ONLY] {
        let (code, v) = verify("cognito-guest.json", a);
        assert_eq!(code, 1, "{a:?}: {v}");
        let c = &v["counterexamples"][0];
        assert_eq!(
            c["context"]["cognito-identity.amazonaws.com:amr"], "unauthenticated",
            "{c}"
        );
    }
}

/// GitLab.com and HCP Terraform are OIDC providers shared by all their customers: every
/// tenant chooses its tokens' `aud` (GitLab's `id_tokens`, HCP Terraform's workload-identity
/// audience, `aws.workload.identity` by default for everyone), and only `sub` names the
/// tenant (IAM, "Identity-provider controls for shared OIDC providers",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_secure-by-default.html>).
/// A condition on `aud` alone, or a `sub` whose tenant part is a wildcard, is public (red-team
/// pass 8: both read "holds" because `aud` was taken as the tenant's own); a `sub` pinned to
/// one project or organization is not. `lint` says the same through GL072.
#[test]
fn shared_ci_providers_are_bounded_by_sub_only() {
    for f in [
        "gitlab-aud-only.json",
        "gitlab-any-project.json",
        "terraform-aud-only.json",
        "terraform-any-org.json",
    ] {
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify(f, a);
            assert_eq!(
                (code, &v["holds"]),
                (1, &Value::Bool(false)),
                "{f} {a:?}: {v}"
            );
            let c = &v["counterexamples"][0];
            assert_eq!(c["action"], "sts:AssumeRoleWithWebIdentity", "{c}");
        }
        let (code, out, err) = lint(f);
        assert_eq!(code, 1, "{f}: {out}{err}");
        assert!(out.contains("GL072"), "{f}: {out}");
    }
    for f in ["gitlab-pinned.json", "terraform-pinned.json"] {
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify(f, a);
            assert_eq!(
                (code, &v["holds"]),
                (0, &Value::Bool(true)),
                "{f} {a:?}: {v}"
            );
        }
        let (code, out, err) = lint(f);
        assert!(!out.contains("GL072"), "{f}: {out}{err}");
        assert!(code == 0 || code == 1, "{f}: {out}{err}");
    }
}

fn lint(file: &str) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args([
            "lint",
            "--policy-type",
            "trust",
            "--fail-on",
            "security",
            "--format",
            "json",
        ])
        .arg(format!("tests/fixtures/verify/{file}"))
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// GitHub's customised subject claims may start with the owner (`repository_owner:OWNER:...`,
/// GitHub, "Customizing the subject claims"): a pattern that fixes the owner bounds the caller;
/// one whose owner is a wildcard does not. Before, a subject without `/` was read as having
/// its tenant part open, a false "public".
#[test]
fn github_owner_first_subjects_name_the_owner() {
    for a in [PUBLIC, ONLY] {
        let (code, v) = verify("github-oidc-owner-subject.json", a);
        assert_eq!((code, &v["holds"]), (0, &Value::Bool(true)), "{a:?}: {v}");
        let (code, v) = verify("github-oidc-any-owner-subject.json", a);
        assert_eq!((code, &v["holds"]), (1, &Value::Bool(false)), "{a:?}: {v}");
    }
}

/// GL072 says what bounds the caller for each kind of provider: `sub` on a shared CI provider
/// (every customer gets tokens), the guest identities of an identity pool (anyone gets one);
/// never `sub` for Cognito, whose pool is named by `aud`.
#[test]
fn open_trust_messages_name_what_bounds_each_provider() {
    let message = |f: &str| {
        let (_, out, err) = lint(f);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "GL072")
            .cloned()
            .unwrap_or_else(|| panic!("no GL072: {v}"));
        format!("{} {}", f["message"], f["help"])
    };
    let gitlab = message("gitlab-aud-only.json");
    assert!(gitlab.contains("`gitlab.com:sub`"), "{gitlab}");
    let guest = message("cognito-guest.json");
    assert!(guest.contains("unauthenticated"), "{guest}");
    assert!(!guest.contains(":sub"), "{guest}");
}

/// An AWS service acting for a resource owner of another account (an SNS topic, an S3 bucket)
/// is a caller outside the listed accounts: a queue any account's topic may write to, or one
/// of another account, fails `--only-accounts`; the AWS guides' examples naming the account's
/// own topic or bucket hold (red team 54: `Principal: "*"` with `aws:SourceArn` held).
/// Fixtures: tests/fixtures/verify/README.md.
#[test]
fn a_service_acting_for_another_account_is_outside() {
    let run = |file: &str, account: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .arg("verify")
            .arg(format!("tests/fixtures/verify/{file}"))
            .args(["--only-accounts", account, "--format", "json"])
            .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        (
            o.status.code().unwrap(),
            doc["assertions"][0]["holds"].clone(),
        )
    };
    for f in ["queue-any-sns-topic.json", "queue-other-account-topic.json"] {
        assert_eq!(run(f, "123456789012"), (1, Value::Bool(false)), "{f}");
    }
    assert_eq!(
        run("queue-own-topic.json", "123456789012"),
        (0, Value::Bool(true))
    );
    assert_eq!(
        run("topic-own-bucket-events.json", "111122223333"),
        (0, Value::Bool(true))
    );
}

/// A SAML provider of a listed account is that account's own identity provider: its trust
/// holds `--only-accounts` for that account and fails for another (red team 54: it failed for
/// its own account while OIDC trusts held).
#[test]
fn an_accounts_own_saml_provider_is_inside() {
    let (code, a) = verify("saml-own-provider.json", ONLY);
    assert_eq!((code, a["holds"].clone()), (0, Value::Bool(true)), "{a}");
    let (code, a) = verify(
        "saml-own-provider.json",
        &["--only-accounts", "999999999999"],
    );
    assert_eq!((code, a["holds"].clone()), (1, Value::Bool(false)), "{a}");
    let (code, a) = verify("saml-own-provider.json", PUBLIC);
    assert_eq!((code, a["holds"].clone()), (0, Value::Bool(true)), "{a}");
}

/// `verify --policy-type trust --format json` of a trust policy written in the test.
fn verify_inline(name: &str, policy: &str, assertion: &[&str]) -> (i32, Value) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("verify-identity-providers");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, policy).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .arg("verify")
        .arg(&file)
        .args(["--policy-type", "trust", "--format", "json"])
        .args(assertion)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| {
        panic!(
            "{name}: {e}: {out}{}",
            String::from_utf8_lossy(&o.stderr).into_owned()
        )
    });
    (o.status.code().unwrap(), doc["assertions"][0].clone())
}

/// A trust statement for the web-identity provider `federated` with `condition`.
fn web_identity_trust(federated: &str, condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{federated}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
    )
}

/// The IAM guide's trust policies for Login with Facebook and Login with Amazon pin the
/// provider's `app_id`, which "supplies the audience context that matches the aud field used by
/// other identity providers" (IAM, "Available keys for AWS web identity federation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>;
/// the policies: "Create a role for OpenID Connect federation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html>):
/// only your app's users can assume the role, as with Google's `aud` and an identity pool's
/// `aud` (red team 73: both failed `--no-public-access`). The user keys (`graph.facebook.com:id`,
/// `www.amazon.com:user_id`) bound the caller too. A wildcard `app_id` does not.
#[test]
fn facebook_and_login_with_amazon_app_id_bound_the_caller() {
    for (name, federated, condition) in [
        (
            "facebook-app-id",
            "graph.facebook.com",
            r#"{"StringEquals":{"graph.facebook.com:app_id":"111222333444555"}}"#,
        ),
        (
            "amazon-app-id",
            "www.amazon.com",
            r#"{"StringEquals":{"www.amazon.com:app_id":"amzn1.application-oa2-123456"}}"#,
        ),
        (
            "facebook-user-id",
            "graph.facebook.com",
            r#"{"StringEquals":{"graph.facebook.com:id":"123456789"}}"#,
        ),
        (
            "amazon-user-id",
            "www.amazon.com",
            r#"{"StringEquals":{"www.amazon.com:user_id":"amzn1.account.EXAMPLE"}}"#,
        ),
        // (the guide's Google form, unchanged)
        (
            "google-aud",
            "accounts.google.com",
            r#"{"StringEquals":{"accounts.google.com:aud":"66677788899900pro0"}}"#,
        ),
        // EKS IRSA (the condition-keys page's example) and a generic OIDC provider
        (
            "eks-irsa",
            "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/111122223333",
            r#"{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/111122223333:aud":"sts.amazonaws.com","oidc.eks.us-east-1.amazonaws.com/id/111122223333:sub":"system:serviceaccount:default:assumer"}}"#,
        ),
        (
            "generic-oidc-aud",
            "arn:aws:iam::111122223333:oidc-provider/login.example.com",
            r#"{"StringEquals":{"login.example.com:aud":"my-client-id"}}"#,
        ),
    ] {
        let policy = web_identity_trust(federated, condition);
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify_inline(name, &policy, a);
            assert_eq!(
                (code, &v["holds"]),
                (0, &Value::Bool(true)),
                "{name} {a:?}: {v}"
            );
        }
    }
    let any_app = web_identity_trust(
        "graph.facebook.com",
        r#"{"StringLike":{"graph.facebook.com:app_id":"*"}}"#,
    );
    let (code, v) = verify_inline("facebook-any-app", &any_app, PUBLIC);
    assert_eq!((code, &v["holds"]), (1, &Value::Bool(false)), "{v}");
}

/// Facebook and Login with Amazon send `app_id` and `id`/`user_id`, no `aud` or `sub` (IAM,
/// "Available keys for AWS web identity federation",
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>).
/// A key absent from every request makes `...IfExists`, `ForAllValues:` and negated operators
/// true, so anyone who signs in to Facebook or Amazon can assume the role (red team 73: both
/// held `--no-public-access`); a plain `StringEquals` on such a key never matches (the role is
/// unusable, not open).
#[test]
fn keys_a_provider_never_sends_admit_everyone_through_if_exists() {
    for (name, federated, condition) in [
        (
            "facebook-aud-if-exists",
            "graph.facebook.com",
            r#"{"StringEqualsIfExists":{"graph.facebook.com:aud":"111222333444555"}}"#,
        ),
        (
            "amazon-aud-for-all-values",
            "www.amazon.com",
            r#"{"ForAllValues:StringEquals":{"www.amazon.com:aud":"amzn1.application-oa2-123456"}}"#,
        ),
        (
            "facebook-sub-not-equals",
            "graph.facebook.com",
            r#"{"StringNotEquals":{"graph.facebook.com:sub":"blocked-user"}}"#,
        ),
        (
            "amazon-sub-null",
            "www.amazon.com",
            r#"{"Null":{"www.amazon.com:sub":"true"}}"#,
        ),
    ] {
        let policy = web_identity_trust(federated, condition);
        for a in [PUBLIC, ONLY] {
            let (code, v) = verify_inline(name, &policy, a);
            assert_eq!(
                (code, &v["holds"]),
                (1, &Value::Bool(false)),
                "{name} {a:?}: {v}"
            );
            let c = &v["counterexamples"][0];
            assert_eq!(c["action"], "sts:AssumeRoleWithWebIdentity", "{name}: {c}");
            assert_eq!(c["principal"], federated, "{name}: {c}");
        }
    }
    // a provider's audience key is always sent: `...IfExists` on it still bounds the caller
    let app_if_exists = web_identity_trust(
        "graph.facebook.com",
        r#"{"StringEqualsIfExists":{"graph.facebook.com:app_id":"111222333444555"}}"#,
    );
    let (code, v) = verify_inline("facebook-app-id-if-exists", &app_if_exists, PUBLIC);
    assert_eq!((code, &v["holds"]), (0, &Value::Bool(true)), "{v}");
    // plain operators on a key never sent: nobody matches
    let never = web_identity_trust(
        "graph.facebook.com",
        r#"{"StringEquals":{"graph.facebook.com:aud":"111222333444555"}}"#,
    );
    let (code, v) = verify_inline("facebook-aud-plain", &never, PUBLIC);
    assert_eq!((code, &v["holds"]), (0, &Value::Bool(true)), "{v}");
}
