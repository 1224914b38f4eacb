//! `diff` ties `aws:PrincipalAccount` and `kms:CallerAccount` to the caller's account: every
//! KMS request carries `kms:CallerAccount` = the caller's account
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account>),
//! and `aws:PrincipalAccount` is the caller's account
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount>).
//! Before, both keys ranged freely, and two key policies granting the same requests read as
//! "1 added, 1 removed" (exit 1) through made-up requests (red-team pass 5).

use crate::support::cli::*;

fn fx(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/analysis/caller-account")
        .join(name)
        .display()
        .to_string()
}

/// `diff --policy-type resource OLD NEW --format json`: exit code, added, removed, unknown.
fn diff(old: &str, new: &str) -> (i32, u64, u64, u64) {
    let (code, out, err) = gl(&[
        "diff",
        "--policy-type",
        "resource",
        "--format",
        "json",
        &fx(old),
        &fx(new),
    ]);
    assert!(code == 0 || code == 1, "{out}{err}");
    let s = &json(&out)["summary"];
    (
        code,
        s["added"].as_u64().unwrap(),
        s["removed"].as_u64().unwrap(),
        s["unknown"].as_u64().unwrap(),
    )
}

#[test]
fn the_two_spellings_of_the_callers_account_are_one_grant() {
    let names = [
        "kms-caller-account.json",
        "principal-account.json",
        "both.json",
    ];
    for old in names {
        for new in names {
            assert_eq!(diff(old, new), (0, 0, 0, 0), "{old} -> {new}");
        }
    }
}

#[test]
fn another_account_is_still_an_addition() {
    // The same key policy for account 444455556666: its callers gain `kms:Decrypt`, and the
    // example's caller is of that account, with keys that say so.
    for old in ["kms-caller-account.json", "principal-account.json"] {
        assert_eq!(
            diff(old, "principal-account-other.json"),
            (1, 1, 1, 0),
            "{old}"
        );
    }
    let (_, out, _) = gl(&[
        "diff",
        "--policy-type",
        "resource",
        "--format",
        "json",
        &fx("kms-caller-account.json"),
        &fx("principal-account-other.json"),
    ]);
    let doc = json(&out);
    let ex = &doc["added"][0]["example"];
    assert!(
        ex["principal"].as_str().unwrap().contains("444455556666"),
        "{ex}"
    );
    assert_eq!(
        ex["context"]["aws:PrincipalAccount"], "444455556666",
        "{ex}"
    );
    let ex = &doc["removed"][0]["example"];
    assert!(
        ex["principal"].as_str().unwrap().contains("111122223333"),
        "{ex}"
    );
    assert_eq!(ex["context"]["kms:CallerAccount"], "111122223333", "{ex}");
}

/// `aws:PrincipalArn` is the caller's own ARN
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn>):
/// `"Principal": {"AWS": ROLE}` and `"Principal": "*"` with `ArnEquals aws:PrincipalArn ROLE`
/// grant the same callers (but for the role's permissions boundary), while `role/*` of the account or `role/app` of any account grant
/// more.
#[test]
fn a_principal_arn_condition_names_the_caller() {
    let d = tempfile::tempdir().unwrap();
    let stmt = |principal: &str, cond: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"{cond}}}]}}"#
        )
    };
    let named = write(
        d.path(),
        "named.json",
        &stmt(r#"{"AWS":"arn:aws:iam::111122223333:role/app"}"#, ""),
    );
    let by_arn = |name: &str, op: &str, arn: &str| {
        write(
            d.path(),
            name,
            &stmt(
                r#""*""#,
                &format!(r#","Condition":{{"{op}":{{"aws:PrincipalArn":"{arn}"}}}}"#),
            ),
        )
    };
    let same = by_arn(
        "same.json",
        "ArnEquals",
        "arn:aws:iam::111122223333:role/app",
    );
    let roles = by_arn("roles.json", "ArnLike", "arn:aws:iam::111122223333:role/*");
    let anywhere = by_arn("anywhere.json", "ArnLike", "arn:aws:iam::*:role/app");
    let run = |old: &str, new: &str| {
        let (code, out, err) = gl(&[
            "diff",
            "--policy-type",
            "resource",
            "--format",
            "json",
            old,
            new,
        ]);
        assert!(code == 0 || code == 1, "{out}{err}");
        let s = json(&out)["summary"].clone();
        (
            code,
            s["added"].as_u64().unwrap(),
            s["removed"].as_u64().unwrap(),
        )
    };
    // the same callers, except for a role under a permissions boundary: a grant to the
    // role's ARN is limited by its boundary, one to `*` (which its sessions match) is not
    // (red team 47; the evaluator's rule, `src/eval/mod.rs`)
    assert_eq!(run(&named, &same), (1, 1, 0));
    assert_eq!(run(&same, &named), (0, 0, 1));
    let (_, out, _) = gl(&[
        "diff",
        "--policy-type",
        "resource",
        "--format",
        "json",
        &named,
        &same,
    ]);
    let added = &json(&out)["added"][0];
    assert!(
        added["description"]
            .as_str()
            .unwrap()
            .contains("for a caller whose permissions boundary does not allow it"),
        "{added}"
    );
    assert_eq!(run(&named, &roles), (1, 1, 0));
    assert_eq!(run(&named, &anywhere), (1, 1, 0));
}

/// Red-team pass 7: a resource or trust policy that names the account only delegates to the
/// account's identity policies; one that names a principal of the account (or `*` with
/// `aws:PrincipalArn`/`aws:PrincipalAccount` of it) grants it on its own, without identity
/// permissions (IAM policy evaluation logic for requests within one account:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>).
/// Moving a grant from the first to the second is new access.
#[test]
fn a_direct_grant_where_the_account_was_named_is_an_addition() {
    let d = tempfile::tempdir().unwrap();
    let root = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    let by_arn = r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}}"#;
    let doc = |s: &[&str]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            s.join(",")
        )
    };
    let old = write(d.path(), "old.json", &doc(&[root]));
    let new = write(d.path(), "new.json", &doc(&[root, by_arn]));
    let run = |kind: &str, a: &str, b: &str| {
        let (code, out, err) = gl(&["diff", "--policy-type", kind, "--format", "json", a, b]);
        assert!(code == 0 || code == 1, "{out}{err}");
        let s = json(&out)["summary"].clone();
        (code, s["added"].as_u64().unwrap())
    };
    assert_eq!(run("resource", &old, &new), (1, 1));
    let trust_root = write(
        d.path(),
        "troot.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#,
    );
    let trust_acct = write(
        d.path(),
        "tacct.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}"#,
    );
    assert_eq!(run("trust", &trust_root, &trust_acct), (1, 1));
    // the same grant written twice is still nothing new
    assert_eq!(run("resource", &old, &old), (0, 0));
}

/// The same as above with the account named fifth among five: every named account is asked,
/// not the first four only (before, the fifth read "0 added", a false "nothing new").
#[test]
fn every_named_account_is_asked() {
    let d = tempfile::tempdir().unwrap();
    let accounts = [
        "111111111111",
        "222222222222",
        "333333333333",
        "444444444444",
        "555555555555",
    ];
    let roots: Vec<String> = accounts
        .iter()
        .map(|a| format!("\"arn:aws:iam::{a}:root\""))
        .collect();
    let shared = format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#,
        roots.join(",")
    );
    let direct = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:role/R"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;
    let doc = |s: &[&str]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            s.join(",")
        )
    };
    let old = write(d.path(), "old.json", &doc(&[&shared]));
    let new = write(d.path(), "new.json", &doc(&[&shared, direct]));
    let (v, out) = added_resource_diff(&old, &new);
    assert_eq!(v["summary"]["added"], 1, "{out}");
    assert_eq!(v["added"][0]["statements"][0]["line"], 1, "{out}");
    assert!(
        v["added"][0]["example"]["principal"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:iam::555555555555:role/R"),
        "{out}"
    );
}

/// A statement whose new grant reaches other accounts' callers for one action and its own
/// account's callers (without identity permissions) for two: the group lists both actions.
/// Old: account 111122223333 may `s3:GetObject` (a grant that delegates to the account's
/// identity policies). New: its role R may `s3:GetObject` and `s3:PutObject` on its own.
#[test]
fn a_statement_reported_by_two_passes_lists_every_action() {
    let d = tempfile::tempdir().unwrap();
    let old = write(
        d.path(),
        "old.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let new = write(
        d.path(),
        "new.json",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"Role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/R"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let (v, out) = added_resource_diff(&old, &new);
    let groups = v["added"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{out}");
    assert_eq!(groups[0]["statements"][0]["sid"], "Role", "{out}");
    let actions: Vec<&str> = groups[0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(actions, ["s3:GetObject", "s3:PutObject"], "{out}");
}

/// `diff --policy-type resource --format json OLD NEW`, which must exit 1: its JSON and text.
fn added_resource_diff(old: &str, new: &str) -> (serde_json::Value, String) {
    let (code, out, err) = gl(&[
        "diff",
        "--policy-type",
        "resource",
        "--format",
        "json",
        old,
        new,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    (json(&out), out)
}

fn bounded(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/analysis/bounded-callers")
        .join(name)
        .display()
        .to_string()
}

/// `diff --policy-type KIND OLD NEW --format json` on the bounded-callers fixtures: exit code,
/// the summary, and the first added group's example principal.
fn diff_bounded(kind: &str, old: &str, new: &str) -> (i32, serde_json::Value, String) {
    let (code, out, err) = gl(&[
        "diff",
        "--policy-type",
        kind,
        "--format",
        "json",
        &bounded(old),
        &bounded(new),
    ]);
    assert!(code == 0 || code == 1, "{out}{err}");
    let v = json(&out);
    let who = v["added"][0]["example"]["principal"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (code, v["summary"].clone(), who)
}

/// A grant to a role session's ARN beside the role's: in the resource's account a role's
/// permissions boundary limits what a resource policy grants the role's ARN, not what it
/// grants the session's ARN (red team 47: "0 added"). Fixtures and the AWS docs:
/// tests/fixtures/analysis/bounded-callers/README.md.
#[test]
fn a_grant_that_escapes_the_roles_boundary_is_added() {
    for (kind, old, new) in [
        ("resource", "queue-role.json", "queue-role-and-session.json"),
        ("trust", "trust-role.json", "trust-role-and-session.json"),
    ] {
        let (code, s, who) = diff_bounded(kind, old, new);
        assert_eq!((code, s["added"].as_u64()), (1, Some(1)), "{kind}: {s}");
        assert_eq!(who, "arn:aws:sts::111122223333:assumed-role/R/s", "{kind}");
        // and back: removed, nothing added
        let (code, s, _) = diff_bounded(kind, new, old);
        assert_eq!(
            (code, s["added"].as_u64(), s["removed"].as_u64()),
            (0, Some(0), Some(1)),
            "{kind}: {s}"
        );
    }
    // the same grant rewritten: nothing
    let (code, s, _) = diff_bounded("resource", "queue-role.json", "queue-role-split.json");
    assert_eq!(
        (code, s["added"].as_u64(), s["removed"].as_u64()),
        (0, Some(0), Some(0)),
        "{s}"
    );
}

/// The rewrite the IAM guide recommends for a `Deny` with `NotPrincipal` (a `Deny` on `*`
/// with `ArnNotEquals aws:PrincipalArn`) no longer denies callers with a permissions
/// boundary, which a `NotPrincipal` `Deny` always denies
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html>):
/// the user `u` under a boundary gains access (red team 48: "0 added" when no role was named).
#[test]
fn a_notprincipal_deny_rewritten_lets_bounded_callers_in() {
    let (code, s, who) = diff_bounded(
        "resource",
        "deny-notprincipal.json",
        "deny-principal-arn.json",
    );
    assert_eq!((code, s["added"].as_u64()), (1, Some(1)), "{s}");
    assert_eq!(who, "arn:aws:iam::111122223333:user/u");
}
