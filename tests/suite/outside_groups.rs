//! Users put in a group the template or configuration does not define: the group's policies
//! are not known offline, so `verify` and `diff` answer `unknown` (exit 2), never `holds` or
//! "nothing added" (red team 38: a user added to an existing `Administrators` group was read as
//! gaining nothing). Fixtures: tests/fixtures/outside-groups (its README.md).

use crate::support::cli::*;

const DIR: &str = "tests/fixtures/outside-groups";

/// `verify --not-granted iam:CreateUser UNIT`: (exit code, holds, reason).
fn verify(unit: &str) -> (i32, serde_json::Value, String) {
    let (code, out, err) = gl(&[
        "verify",
        "--format",
        "json",
        unit,
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert!(!out.is_empty(), "{err}");
    let a = json(&out)["assertions"][0].clone();
    (code, a["holds"].clone(), a["reason"].to_string())
}

#[test]
fn a_group_the_template_does_not_define_is_unknown() {
    for unit in [
        format!("{DIR}/cfn-groups.yaml#Bob"),
        format!("{DIR}/cfn-addition.yaml#Bob"),
        format!("{DIR}/tf-user-membership/main.tf#aws_iam_user.bob"),
        format!("{DIR}/tf-group-membership/main.tf#aws_iam_user.bob"),
        // the user named in another case (red team 40)
        format!("{DIR}/cfn-case.yaml#Bob"),
        format!("{DIR}/tf-case/main.tf#aws_iam_user.bob"),
    ] {
        let (code, holds, reason) = verify(&unit);
        assert_eq!(code, 2, "{unit}: {holds} {reason}");
        assert!(holds.is_null(), "{unit}: {holds}");
        assert!(
            reason.contains("the group `Administrators`"),
            "{unit}: {reason}"
        );
    }
    // the control: a group of the template is read (its policy grants no `iam:CreateUser`)
    let (code, holds, _) = verify(&format!("{DIR}/cfn-own-group.yaml#Bob"));
    assert_eq!((code, holds), (0, serde_json::Value::Bool(true)));
}

#[test]
fn joining_a_group_the_template_does_not_define_is_an_unknown_addition() {
    for new in ["cfn-groups.yaml", "cfn-addition.yaml"] {
        let (code, out, err) = gl(&[
            "diff",
            &format!("{DIR}/cfn-old.yaml"),
            &format!("{DIR}/{new}"),
            "--format",
            "json",
        ]);
        assert_eq!(code, 2, "{new}: {out}{err}");
        let v = json(&out);
        assert_eq!(v["summary"]["unknown"], 1, "{new}: {v}");
        assert!(
            v["unknown"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("the group `Administrators`"),
            "{v}"
        );
    }
    // joining a group of the template adds what it grants
    let (code, out, _) = gl(&[
        "diff",
        &format!("{DIR}/cfn-old.yaml"),
        &format!("{DIR}/cfn-own-group.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(json(&out)["summary"]["unknown"], 0, "{out}");
}

/// A policy attached by a principal's name in another case is attached to it (IAM names are
/// unique whatever their case,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names;
/// red team 41).
#[test]
fn attachments_match_names_whatever_their_case() {
    for unit in [
        format!("{DIR}/cfn-attach-case.yaml#App"),
        format!("{DIR}/tf-attach-case/main.tf#aws_iam_role.app"),
    ] {
        let (code, out, err) = gl(&[
            "verify",
            "--format",
            "json",
            &unit,
            "--not-granted",
            "iam:CreateRole",
        ]);
        assert_eq!(code, 1, "{unit}: {out}{err}");
        assert_eq!(json(&out)["assertions"][0]["holds"], false, "{unit}: {out}");
    }
}
