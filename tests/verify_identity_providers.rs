//! `verify --no-public-access` and `--only-accounts` on trust policies of web-identity
//! providers and organizations (fixtures and sources: tests/fixtures/verify/README.md).
//! Anyone can sign in to GitHub or an identity pool, so a trust policy that does not pin the
//! provider's `sub` (or the pool's `aud`) to your own grants public access; a condition on
//! `aws:PrincipalOrgID` admits every account of the organization, which `--only-accounts`
//! must count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
