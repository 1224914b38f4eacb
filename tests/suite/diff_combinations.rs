//! `diff` of templates whose conditions cannot be decided compares the two sides combination
//! by combination (red team 31): every old and new unit of one document whose conditions can
//! hold together are compared, and a unit is compared with nothing where the other side has
//! none of its name. Fixtures: tests/fixtures/diff-combinations (README there).

use crate::support::cli::*;

const DIR: &str = "tests/fixtures/diff-combinations";

fn diff(old: &str, new: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = gl(&[
        "diff",
        &format!("{DIR}/{old}"),
        &format!("{DIR}/{new}"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

/// (document, policyType) of each added group.
fn added(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["document"].as_str().unwrap_or_default().to_string(),
                g["policyType"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A role that existed only under a flag now always exists: added where it did not exist.
#[test]
fn a_conditional_role_made_permanent_is_added() {
    let (code, v) = diff("break-glass-tf/old", "break-glass-tf/new");
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        added(&v),
        [
            ("aws_iam_role.bg[0]".to_string(), "identity".to_string()),
            (
                "aws_iam_role.bg[0]/assume_role_policy".to_string(),
                "trust".to_string()
            ),
        ],
        "{v}"
    );
    // inverted: added where the flag is now false
    let (code, v) = diff("break-glass-tf/old", "break-glass-tf/new2");
    assert_eq!(code, 1, "{v}");
    assert!(
        added(&v)
            .iter()
            .all(|(d, _)| d.ends_with("[when `var.break_glass`=false]")),
        "{v}"
    );
    // CloudFormation: the `Condition` removed, or replaced by its negation
    for new in ["new.yaml", "new3.yaml"] {
        let (code, v) = diff(
            "break-glass-cfn/old.yaml",
            &format!("break-glass-cfn/{new}"),
        );
        assert_eq!(code, 1, "{new}: {v}");
        assert!(
            added(&v)
                .iter()
                .any(|(d, t)| d.starts_with("BreakGlassRole") && t == "identity"),
            "{new}: {v}"
        );
    }
}

/// The flag deciding `s3:*` changes: the combination that gains it is compared and named.
#[test]
fn every_combination_is_compared_when_the_deciding_flag_changes() {
    let (code, v) = diff("flag-change-tf/old", "flag-change-tf/new");
    assert_eq!(code, 1, "{v}");
    assert_eq!(
        added(&v),
        [(
            "aws_iam_role.app [when `var.full_access`=true, `var.read_only`=true]".to_string(),
            "identity".to_string()
        )],
        "{v}"
    );
    // the same side against itself: nothing
    let (code, v) = diff("flag-change-tf/old", "flag-change-tf/old");
    assert_eq!(code, 0, "{v}");
}

/// `2008-10-17` reads `${aws:username}` as text: the `Deny` no longer covers the user's own
/// user, which is new access, in a template as in a file; a version chosen by a condition is
/// a policy per combination (lint reports the legacy one's outdated version).
#[test]
fn the_policy_version_is_part_of_a_template_policy() {
    let (code, v) = diff("version-cfn/old.json", "version-cfn/legacy.json");
    assert_eq!(code, 1, "{v}");
    let (code, v) = diff("version-cfn/old.yaml", "version-cfn/legacy.yaml");
    assert_eq!(code, 1, "{v}");
    let (code, v) = diff("version-cfn/old.yaml", "version-cfn/new.yaml");
    assert_eq!(code, 1, "{v}");
    let (_, out, err) = gl(&[
        "lint",
        &format!("{DIR}/version-cfn/new.yaml"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "GL021"),
        "{v}"
    );
}

/// A condition whose name stays but whose definition changes is another condition: the
/// combinations of the old and the new one are compared (red team 32), and a side compared
/// with itself is still no change.
#[test]
fn a_redefined_condition_is_another_condition() {
    for (old, new) in [
        (
            "condition-redefined-cfn/old.yaml",
            "condition-redefined-cfn/new.yaml",
        ),
        ("local-redefined-tf/old", "local-redefined-tf/new"),
        ("module-input-rewired-tf/old", "module-input-rewired-tf/new"),
    ] {
        let (code, v) = diff(old, new);
        assert_eq!(code, 1, "{old} -> {new}: {v}");
        assert!(
            added(&v)
                .iter()
                .all(|(d, _)| d.contains("(old)=") && d.contains("(new)=")),
            "{old} -> {new}: {v}"
        );
        let (code, v) = diff(old, old);
        assert_eq!(code, 0, "{old}: {v}");
        assert_eq!(v["summary"]["removed"], 0, "{old}: {v}");
    }
}

/// What a condition reads through a mapping or a module's output is part of its definition;
/// spacing, comments and file positions are not (red team 33).
#[test]
fn a_condition_is_its_meaning_not_its_spelling() {
    for (old, new) in [
        (
            "mapping-swapped-cfn/old.yaml",
            "mapping-swapped-cfn/new.yaml",
        ),
        ("module-index-output-tf/old", "module-index-output-tf/new"),
        ("validation-removed-tf/old", "validation-removed-tf/new"),
    ] {
        let (code, v) = diff(old, new);
        assert_eq!(code, 1, "{old} -> {new}: {v}");
        assert!(v["summary"]["added"].as_u64().unwrap() > 0, "{v}");
    }
    for (old, new) in [
        ("whitespace-only-tf/old", "whitespace-only-tf/new"),
        ("for-each-copy-tf/old", "for-each-copy-tf/same"),
    ] {
        let (code, v) = diff(old, new);
        assert_eq!(code, 0, "{old} -> {new}: {v}");
        assert_eq!(v["summary"]["added"], 0, "{v}");
        assert_eq!(v["summary"]["removed"], 0, "{v}");
    }
}

/// `var.env != "dev"` narrowed to `var.env == "prod"` (red team 32): the only deployments
/// are `dev`, `prod` and another value, so the narrowing removes `s3:*` for the other value
/// and adds nothing (it was "1 added" for `env` both `dev` and `prod`); the widening back adds
/// it, with an example.
#[test]
fn a_narrowed_comparison_adds_nothing() {
    let (code, v) = diff("comparison-narrowed-tf/old", "comparison-narrowed-tf/new");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert!(v["summary"]["removed"].as_u64().unwrap() > 0, "{v}");
    let (code, v) = diff("comparison-narrowed-tf/new", "comparison-narrowed-tf/old");
    assert_eq!(code, 1, "{v}");
    assert!(v["summary"]["added"].as_u64().unwrap() > 0, "{v}");
}

/// The same narrowing in CloudFormation: `Fn::Equals` of one parameter without value
/// (`!Not [!Equals [!Ref Env, dev]]` → `!Equals [!Ref Env, prod]`): nothing added, `s3:*`
/// removed for the values other than `dev` and `prod`; the widening back adds it.
#[test]
fn a_narrowed_cloudformation_comparison_adds_nothing() {
    let (code, v) = diff(
        "comparison-narrowed-cfn/old.yaml",
        "comparison-narrowed-cfn/new.yaml",
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["added"], 0, "{v}");
    assert!(v["summary"]["removed"].as_u64().unwrap() > 0, "{v}");
    let (code, v) = diff(
        "comparison-narrowed-cfn/new.yaml",
        "comparison-narrowed-cfn/old.yaml",
    );
    assert_eq!(code, 1, "{v}");
    assert!(v["summary"]["added"].as_u64().unwrap() > 0, "{v}");
}

/// Red team 40: a value the new template's `AllowedValues` adds (`qa`, with an `iam:*` branch)
/// is an addition; the old template's list does not rule it out.
#[test]
fn a_widened_allowed_values_list_adds_its_branch() {
    let (code, v) = diff(
        "allowed-widened-cfn/old.yaml",
        "allowed-widened-cfn/new.yaml",
    );
    assert_eq!(code, 1, "{v}");
    assert!(v["added"].to_string().contains("iam:"), "{v}");
}
