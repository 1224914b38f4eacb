//! Values a template does not give offline are never read as concrete text: CloudFormation
//! dynamic references, `Fn::FindInMap` with a map name not known, a principal or a SAM
//! `Policies` entry given by a parameter without a value, and attachments or memberships that
//! name their principal by such a value. Each is `unknown` (exit 2) or the finding AWS's
//! answer calls for, never "holds" or "nothing added". Fixtures and the AWS documentation
//! behind each: tests/fixtures/unknown-values/README.md.

use crate::support::cli::*;

const DIR: &str = "tests/fixtures/unknown-values";

fn path(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// `verify --format json ARGS...`: (exit code, the first assertion).
fn verify(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["verify", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = gl(&all);
    assert!(!out.is_empty(), "{args:?}: {err}");
    (code, json(&out)["assertions"][0].clone(), err)
}

/// `diff --format json OLD NEW ARGS...`: (exit code, summary).
fn diff(old: &str, new: &str, args: &[&str]) -> (i32, serde_json::Value, String) {
    let (o, n) = (path(old), path(new));
    let mut all = vec!["diff", "--format", "json", o.as_str(), n.as_str()];
    all.extend_from_slice(args);
    let (code, out, err) = gl(&all);
    assert!(!out.is_empty(), "{args:?}: {err}");
    (code, json(&out)["summary"].clone(), err)
}

/// A report's text on one line (miette wraps and frames long messages).
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn codes(args: &[&str]) -> Vec<String> {
    let mut all = vec!["lint", "--format", "json"];
    all.extend_from_slice(args);
    let (_, out, err) = gl(&all);
    assert!(!out.is_empty(), "{args:?}: {err}");
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn dynamic_references_are_not_known_offline() {
    for name in [
        "dynamic-resource.yaml",
        "dynamic-not-resource.yaml",
        "dynamic-sam-template.yaml",
        "dynamic-sub.yaml",
    ] {
        let p = path(name);
        let (code, a, err) = verify(&[
            &p,
            "--not-granted",
            "s3:GetObject",
            "--on",
            "arn:aws:s3:::payroll/*",
        ]);
        assert_eq!(code, 2, "{name}: {a}");
        assert!(a["holds"].is_null(), "{name}: {a}");
        assert!(
            a["reason"]
                .as_str()
                .unwrap()
                .contains("UNKNOWN-resolve-ssm-"),
            "{name}: {a}"
        );
        assert!(
            err.contains("the dynamic reference `{{resolve:ssm:"),
            "{err}"
        );
    }
    // a caller the dynamic reference may name is let through the Deny
    let (code, a, _) = verify(&["--no-public-access", &path("dynamic-public.yaml")]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    // the controls: the value written in is decided (a bucket named `payroll` is granted; a
    // Deny that lets `arn:aws:iam::*:role/reader` through leaves the bucket public)
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(path("dynamic-resource.yaml")).unwrap();
    let p = write(
        d.path(),
        "payroll.yaml",
        &text.replace("{{resolve:ssm:/app/bucket}}", "payroll"),
    );
    let (code, a, _) = verify(&[
        &p,
        "--not-granted",
        "s3:GetObject",
        "--on",
        "arn:aws:s3:::payroll/*",
    ]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    let text = std::fs::read_to_string(path("dynamic-public.yaml")).unwrap();
    let p = write(
        d.path(),
        "public.yaml",
        &text.replace(
            "{{resolve:ssm:/data/readers}}",
            "arn:aws:iam::*:role/reader",
        ),
    );
    let (code, a, _) = verify(&["--no-public-access", &p]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
}

#[test]
fn a_map_name_not_known_is_not_the_default_value() {
    let p = path("findinmap-map-name.yaml");
    // (an action not known stops the evaluation, as `Action: !Ref A` does)
    let (code, out, err) = gl(&["verify", &p, "--not-granted", "iam:*"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(flat(&err).contains("UNKNOWN-FindInMap-"), "{err}");
    let (code, a, _) = verify(&[
        &p,
        "--template-param",
        "Tier=admin",
        "--not-granted",
        "iam:*",
    ]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    let (code, a, _) = verify(&[
        &p,
        "--template-param",
        "Tier=basic",
        "--not-granted",
        "iam:*",
    ]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
}

#[test]
fn a_condition_that_reads_a_resource_is_refused_as_cloudformation_refuses_it() {
    let (code, out, err) = gl(&[
        "verify",
        &path("condition-reads-resource.yaml"),
        "--not-granted",
        "iam:*",
    ]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        flat(&err).contains("a condition reads the resource `Q`"),
        "{err}"
    );
}

#[test]
fn a_split_finds_its_delimiters_left_to_right() {
    // `a---x`.split("--") is ["a", "-x"] for every value: the condition is true, `iam:*` granted
    let p = path("split-overlap.yaml");
    for extra in [&[][..], &["--template-param", "P=x"][..]] {
        let mut args = vec![p.as_str(), "--not-granted", "iam:*"];
        args.extend_from_slice(extra);
        let (code, a, _) = verify(&args);
        assert_eq!(
            (code, &a["holds"]),
            (1, &serde_json::json!(false)),
            "{extra:?}: {a}"
        );
    }
}

#[test]
fn a_principal_or_managed_policy_given_by_a_parameter_is_unknown() {
    let p = path("principal-parameter.yaml");
    let (code, a, _) = verify(&["--no-public-access", &p]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    assert!(
        a["reason"]
            .as_str()
            .unwrap()
            .contains("UNKNOWN-Parameter-Partner"),
        "{a}"
    );
    let (code, a, _) = verify(&[
        "--no-public-access",
        &p,
        "--template-param",
        "Partner=111122223333",
    ]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
    let (code, a, _) = verify(&["--no-public-access", &p, "--template-param", "Partner=*"]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    let (code, a, _) = verify(&[
        &path("sam-policies-parameter.yaml"),
        "--not-granted",
        "iam:*",
    ]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
}

#[test]
fn an_attachment_by_a_name_not_known_may_grant_to_the_templates_principals() {
    // a managed policy moved from an outside role to `Roles: [!Ref Target]`
    let (code, s, _) = diff("attach-old.yaml", "attach-by-parameter.yaml", &[]);
    assert_eq!(code, 2, "{s}");
    assert!(s["unknown"].as_u64().unwrap() >= 1, "{s}");
    let (code, s, _) = diff(
        "attach-old.yaml",
        "attach-by-parameter.yaml",
        &["--template-param", "Target=app"],
    );
    assert_eq!((code, s["unknown"].as_u64()), (1, Some(0)), "{s}");
    // the role's own name is the parameter: `Roles: [app]` may name it
    let (code, s, _) = diff(
        "role-named-by-parameter-old.yaml",
        "role-named-by-parameter.yaml",
        &[],
    );
    assert_eq!(code, 2, "{s}");
    // a user added to the admins group by a name not known
    let (code, s, _) = diff("addition-old.yaml", "addition-by-parameter.yaml", &[]);
    assert_eq!(code, 2, "{s}");
    let (code, s, _) = diff(
        "addition-old.yaml",
        "addition-by-parameter.yaml",
        &["--template-param", "U=bob"],
    );
    assert_eq!((code, s["unknown"].as_u64()), (1, Some(0)), "{s}");
    // Terraform: `role = var.target` without a value; `APP` names the role `app`
    let (code, s, _) = diff(
        "tf-attach-old/main.tf",
        "tf-attach-by-variable/main.tf",
        &[],
    );
    assert_eq!(code, 2, "{s}");
    let (code, s, _) = diff(
        "tf-attach-old/main.tf",
        "tf-attach-by-variable/main.tf",
        &["--template-param", "target=APP"],
    );
    assert_eq!((code, s["unknown"].as_u64()), (1, Some(0)), "{s}");
    // `verify` of the role: the requests allowed come only from the policy the name may
    // attach, so the answer is `unknown`, naming it
    let unit = format!("{}#AppRole", path("attach-by-parameter.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:CreateUser"]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    assert!(
        a["reason"]
            .as_str()
            .unwrap()
            .contains("the policy `Resources/Admin/PolicyDocument`"),
        "{a}"
    );
    // given the value, it is decided
    let (code, a, _) = verify(&[
        &unit,
        "--template-param",
        "Target=app",
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    // a role named `${AWS::StackName}-app` may be `prod-app` (in any case), not `ops-role`
    let unit = format!("{}#AppRole", path("stack-named-role.yaml"));
    for (outside, holds) in [("ops-role", true), ("prod-app", false), ("PROD-APP", false)] {
        let value = format!("Outside={outside}");
        let (code, a, _) = verify(&[
            &unit,
            "--template-param",
            &value,
            "--not-granted",
            "iam:CreateUser",
        ]);
        if holds {
            assert_eq!(
                (code, &a["holds"]),
                (0, &serde_json::json!(true)),
                "{outside}: {a}"
            );
        } else {
            assert_eq!((code, a["holds"].is_null()), (2, true), "{outside}: {a}");
        }
    }
    // the same with a policy outside the stack (red team 43: `ops-admin-role` is not
    // `${AWS::StackName}-worker`)
    let unit = format!("{}#NamedRole", path("stack-named-role-outside.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
    // the control: an outside role by a literal name gives the template's roles nothing
    let (code, s, _) = diff("attach-old.yaml", "attach-old.yaml", &[]);
    assert_eq!((code, s["unknown"].as_u64()), (0, Some(0)), "{s}");
}

#[test]
fn lint_sees_what_a_name_not_known_may_attach() {
    // `iam:PassRole` attached by `Roles: [!Ref TargetRole]` may join the role `app`'s
    // `lambda:CreateFunction` and `lambda:InvokeFunction` (GL098); a value naming another
    // role does not
    let p = path("lint-attach-by-parameter.yaml");
    assert!(codes(&[&p]).contains(&"GL098".to_string()));
    assert!(!codes(&[&p, "--template-param", "TargetRole=other"]).contains(&"GL098".to_string()));
    // a SAM connector's `RoleName: APP` names the role `app`
    assert!(codes(&[&path("connector-role-case.yaml")]).contains(&"GL098".to_string()));
}

#[test]
fn kms_get_key_policy_output_is_a_key_policy() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(path("kms-get-key-policy.json")).unwrap();
    write(d.path(), "key-policy.json", &text);
    write(
        d.path(),
        "package.json",
        r#"{"name": "app", "version": "1.0.0"}"#,
    );
    let (code, out, err) = gl(&["lint", "--format", "json", &d.path().display().to_string()]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 1, "{v}");
    let (code, a, _) = verify(&["--no-public-access", &path("kms-get-key-policy.json")]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
}

#[test]
fn two_cli_outputs_are_compared_in_the_role_their_shape_gives() {
    for (old, new) in [
        ("get-role-old.json", "get-role.json"),
        ("get-bucket-policy-old.json", "get-bucket-policy.json"),
    ] {
        let (code, s, err) = diff(old, new, &[]);
        assert_eq!(code, 1, "{old}: {s} {err}");
        assert_eq!(s["added"].as_u64(), Some(1), "{old}: {s}");
    }
}

#[test]
fn a_name_taken_from_a_principals_arn_names_it() {
    // `!Select [1, !Split ["/", !Select [5, !Split [":", !GetAtt Role.Arn]]]]` is the role's
    // generated name: the policy is the role's (red team 43: it reached nobody)
    let unit = format!("{}#Role", path("role-name-from-arn.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    let (code, s, _) = diff(
        "role-name-from-arn-old.yaml",
        "role-name-from-arn.yaml",
        &[],
    );
    assert_eq!((code, s["unknown"].as_u64()), (1, Some(0)), "{s}");
    assert!(s["added"].as_u64().unwrap() >= 1, "{s}");
    // Terraform's `element(split("/", aws_iam_role.this.arn), 1)` of a generated name: the
    // role may hold it
    let (code, a, _) = verify(&[&path("tf-name-from-arn/main.tf"), "--not-granted", "iam:*"]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
}

#[test]
fn terraform_names_not_known_reach_the_principals_they_may_name() {
    // a plan's attachment to a module's role whose generated name is known only after apply
    let (code, a, _) = verify(&[&path("plan-module-output.json"), "--not-granted", "iam:*"]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    // `aws_iam_role_policy_attachments_exclusive` with `role_name = var.r`
    let p = path("tf-exclusive-by-variable/main.tf");
    let (code, a, _) = verify(&[&p, "--not-granted", "iam:*"]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    let (code, a, _) = verify(&[&p, "--template-param", "r=app", "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
}

#[test]
fn a_group_named_by_a_value_not_known_may_be_the_templates() {
    // the user may be in `deployers` (`iam:PassRole`) beside its own Lambda actions: GL098
    for p in ["group-by-parameter.yaml", "tf-group-by-variable/main.tf"] {
        assert!(codes(&[&path(p)]).contains(&"GL098".to_string()), "{p}");
    }
    assert!(
        !codes(&[
            &path("tf-group-by-variable/main.tf"),
            "--template-param",
            "g=others"
        ])
        .contains(&"GL098".to_string())
    );
}

#[test]
fn an_aws_managed_arn_with_a_name_not_known_is_unknown() {
    let (code, a, _) = verify(&[
        &path("managed-arn-parameter.yaml"),
        "--not-granted",
        "iam:*",
    ]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
    assert!(
        a["reason"].as_str().unwrap().contains("UNKNOWN-Parameter-"),
        "{a}"
    );
}

#[test]
fn a_policy_that_may_be_attached_hides_nothing_and_decides_nothing() {
    // the old side's maybe-attached operator policy does not hide the Lambda role's addition
    let (code, s, _) = diff("maybe-old-side.yaml", "maybe-old-side-new.yaml", &[]);
    assert_eq!(code, 1, "{s}");
    assert_eq!(s["added"].as_u64(), Some(1), "{s}");
    // nor does a Terraform attachment to a role looked up by name reach the role `app`
    let (code, s, _) = diff("tf-data-role-old/main.tf", "tf-data-role-new/main.tf", &[]);
    assert_eq!((code, s["unknown"].as_u64()), (1, Some(0)), "{s}");
    let unit = format!("{}#aws_iam_role.app", path("tf-data-role-old/main.tf"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
    assert!(!codes(&[&path("tf-data-role-old/main.tf")]).contains(&"GL089".to_string()));
    // a Deny that may not apply protects nothing: GL098 stays
    assert!(codes(&[&path("lint-maybe-deny.yaml")]).contains(&"GL098".to_string()));
    // names whose known text differs are never one name
    let unit = format!("{}#TaskRole", path("names-with-placeholders.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
    // attached for sure and maybe: the verdict is the sure one's
    let unit = format!("{}#App", path("attached-for-sure-and-maybe.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "iam:*"]);
    assert_eq!((code, &a["holds"]), (1, &serde_json::json!(false)), "{a}");
    // a group a value not known may name: `unknown`, not a definite failure
    let unit = format!("{}#Bob", path("group-maybe-verify.yaml"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "s3:GetObject"]);
    assert_eq!((code, a["holds"].is_null()), (2, true), "{a}");
}

#[test]
fn what_may_have_denied_or_bounded_and_is_gone_is_unknown() {
    for (old, new) in [
        ("boundary-outside-old.yaml", "boundary-outside-removed.yaml"),
        ("tf-deny-all-old/main.tf", "tf-deny-all-removed/main.tf"),
        ("group-deny-old.yaml", "group-deny-left.yaml"),
    ] {
        let (code, s, _) = diff(old, new, &[]);
        assert_eq!(code, 2, "{old}: {s}");
        assert!(s["unknown"].as_u64().unwrap() >= 1, "{old}: {s}");
    }
}

#[test]
fn lint_counts_the_allows_of_every_policy_a_name_not_known_may_attach() {
    for p in [
        "tf-maybe-aws-managed/main.tf",
        "lint-maybe-mixed.yaml",
        "lint-maybe-group-policy.yaml",
    ] {
        assert!(codes(&[&path(p)]).contains(&"GL098".to_string()), "{p}");
    }
}

#[test]
fn a_modules_try_of_a_generated_role_name_is_that_name() {
    let unit = format!("{}#aws_iam_role.ops", path("tf-module-try-name/main.tf"));
    let (code, a, _) = verify(&[&unit, "--not-granted", "s3:PutObject"]);
    assert_eq!((code, &a["holds"]), (0, &serde_json::json!(true)), "{a}");
    let unit = format!(
        "{}#module.admin.aws_iam_role.this[0]",
        path("tf-module-try-name/main.tf")
    );
    let (code, out, err) = gl(&[
        "verify",
        "--format",
        "json",
        &unit,
        "--not-granted",
        "s3:PutObject",
    ]);
    assert_eq!(code, 1, "{out}{err}");
}

#[test]
fn boundaries_not_known_restrict_and_their_leaving_is_unknown() {
    // moved into the managed policies: the boundary is gone
    let (code, s, _) = diff(
        "boundary-moved-old.yaml",
        "boundary-moved-to-policies.yaml",
        &[],
    );
    assert_eq!(code, 2, "{s}");
    // added: it only restricts
    let (code, s, _) = diff(
        "boundary-outside-removed.yaml",
        "boundary-outside-old.yaml",
        &[],
    );
    assert_eq!((code, s["unknown"].as_u64()), (0, Some(0)), "{s}");
    // a role deleted with its boundary is allowed nothing
    let (code, s, _) = diff("cdk-boundary-old.yaml", "cdk-boundary-deleted.yaml", &[]);
    assert_eq!(
        (code, s["unknown"].as_u64(), s["added"].as_u64()),
        (0, Some(0), Some(0)),
        "{s}"
    );
}

#[test]
fn a_nested_stack_is_not_read_offline() {
    let (code, s, _) = diff("nested-stack-old.yaml", "nested-stack-new.yaml", &[]);
    assert_eq!(code, 2, "{s}");
    let (code, s, _) = diff("nested-stack-old.yaml", "nested-stack-old.yaml", &[]);
    assert_eq!((code, s["unknown"].as_u64()), (0, Some(0)), "{s}");
}

/// A Terraform module greenlight cannot read offline (registry, git) whose arguments change a
/// role's managed policy from `ReadOnlyAccess` to `AdministratorAccess`: `diff` cannot say
/// nothing was added, and `verify` of the role it is given (by name) cannot hold; a role the
/// module is not given keeps its verdict (red team 46).
#[test]
fn a_registry_module_is_not_read_offline() {
    let (code, s, err) = diff("tf-registry-module-old", "tf-registry-module-new", &[]);
    assert_eq!(code, 2, "{s}{err}");
    assert!(s["unknown"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(s["added"].as_u64(), Some(0), "{s}");
    // the same module, the same arguments: nothing to say
    let (code, s, err) = diff("tf-registry-module-old", "tf-registry-module-old", &[]);
    assert_eq!((code, s["unknown"].as_u64()), (0, Some(0)), "{s}{err}");
    let old = path("tf-registry-module-old/main.tf");
    let (code, a, err) = verify(&[
        &format!("{old}#aws_iam_role.app"),
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert_eq!(
        (code, a["holds"].clone()),
        (2, serde_json::Value::Null),
        "{a}{err}"
    );
    assert!(
        a["reason"]
            .as_str()
            .unwrap()
            .contains("`module.attach`, which greenlight does not read"),
        "{a}"
    );
    let (code, a, err) = verify(&[
        &format!("{old}#aws_iam_role.other"),
        "--not-granted",
        "iam:CreateUser",
    ]);
    assert_eq!((code, a["holds"].as_bool()), (0, Some(true)), "{a}{err}");
    // the whole configuration: the module itself is not decided
    let (code, a, err) = verify(&[&old, "--not-granted", "iam:CreateUser"]);
    assert_eq!(
        (code, a["holds"].clone()),
        (2, serde_json::Value::Null),
        "{a}{err}"
    );
    assert!(
        err.contains("`module.attach` is a module greenlight does not read"),
        "{err}"
    );
}

/// A group given to a module that is not read: its members may get what the module attaches
/// to the group; a user outside the group keeps its verdict.
#[test]
fn a_group_given_to_a_module_not_read_reaches_its_members() {
    let tf = path("tf-registry-module-group/main.tf");
    for who in ["aws_iam_group.ops", "aws_iam_user.alice"] {
        let (code, a, err) = verify(&[&format!("{tf}#{who}"), "--not-granted", "s3:GetObject"]);
        assert_eq!(
            (code, a["holds"].clone()),
            (2, serde_json::Value::Null),
            "{who}: {a}{err}"
        );
    }
    let (code, a, err) = verify(&[
        &format!("{tf}#aws_iam_user.bob"),
        "--not-granted",
        "s3:GetObject",
    ]);
    assert_eq!((code, a["holds"].as_bool()), (0, Some(true)), "{a}{err}");
}

/// A role whose name a nested stack is given (`RoleName: !Ref AppRole`): what the nested
/// template attaches to it is not known; the role it is not given keeps its verdict.
#[test]
fn a_role_given_to_a_nested_stack_is_not_decided() {
    let t = path("nested-stack-given-role.yaml");
    let (code, a, err) = verify(&[&format!("{t}#AppRole"), "--not-granted", "iam:CreateUser"]);
    assert_eq!(
        (code, a["holds"].clone()),
        (2, serde_json::Value::Null),
        "{a}{err}"
    );
    assert!(
        a["reason"]
            .as_str()
            .unwrap()
            .contains("`Resources/Attach`, which greenlight does not read"),
        "{a}"
    );
    let (code, a, err) = verify(&[&format!("{t}#Other"), "--not-granted", "iam:CreateUser"]);
    assert_eq!((code, a["holds"].as_bool()), (0, Some(true)), "{a}{err}");
}

/// `AdministratorAccess` attached to a role named by a variable without a value: the role
/// `app` may be it, so lint reports the full administrator access at the attachment (before,
/// only the cross-policy rules saw the policy's `Allow`s and GL089 stayed silent).
#[test]
fn lint_reports_what_a_maybe_attached_aws_managed_policy_grants() {
    let (_, out, err) = gl(&["lint", "--format", "json", &path("tf-maybe-admin")]);
    let v = json(&out);
    let admin: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL089")
        .collect();
    assert_eq!(admin.len(), 1, "{out}{err}");
    assert_eq!(admin[0]["line"].as_u64(), Some(13), "{out}");
    assert!(
        admin[0]["message"]
            .as_str()
            .unwrap()
            .contains("a name not known offline"),
        "{out}"
    );
}

/// Routes by which a module or nested stack that is not read is given a principal, each of
/// which left the principal unmarked (red team 48): a local holding the role object, a
/// `for_each` map of roles, its unique id, an `aws_iam_role` data source, a comma-separated
/// list, a child module's output of the whole role; `CommaDelimitedList`-style joins, `+`
/// joins and `RoleId` in a nested stack's parameters. And roles a module is not given keep
/// their verdict: a role named like the module's `source` path, a role whose ARN is only a
/// prefix of one the module is given.
#[test]
fn every_route_into_a_call_not_read_marks_the_principal() {
    for (file, who) in [
        ("given/tf-loc_obj/main.tf", "aws_iam_role.app"),
        ("given/tf-fe_obj/main.tf", "aws_iam_role.app"),
        ("given/tf-uid/main.tf", "aws_iam_role.app"),
        ("given/tf-data/main.tf", "aws_iam_role.app"),
        ("given/tf-csv_lit/main.tf", "aws_iam_role.app"),
        ("given/tf-childout/main.tf", "module.child.aws_iam_role.r"),
        ("given/cfn-list.yaml", "AppRole"),
        ("given/cfn-roleid.yaml", "AppRole"),
        ("given/cfn-sub_plus.yaml", "AppRole"),
    ] {
        let (code, a, err) = verify(&[
            &format!("{}#{who}", path(file)),
            "--not-granted",
            "iam:CreateUser",
        ]);
        assert_eq!(
            (code, a["holds"].clone()),
            (2, serde_json::Value::Null),
            "{file}: {a}{err}"
        );
        assert!(
            a["reason"]
                .as_str()
                .unwrap()
                .contains("which greenlight does not read"),
            "{file}: {a}"
        );
    }
    for (file, who) in [
        ("given/tf-fa_lambda/main.tf", "aws_iam_role.lambda"),
        ("given/tf-fa_arn/main.tf", "aws_iam_role.app"),
    ] {
        let (code, a, err) = verify(&[
            &format!("{}#{who}", path(file)),
            "--not-granted",
            "iam:CreateUser",
            "--account",
            "111122223333",
        ]);
        assert_eq!(
            (code, a["holds"].as_bool()),
            (0, Some(true)),
            "{file}: {a}{err}"
        );
    }
}

/// A `Deny iam:PassRole` that a name not known may attach to the role `app`: a request it
/// would deny is no proof of failure (`unknown`), a request it does not touch is (`fails`),
/// and what the role is not allowed anyway stays not granted (`holds`: a policy of `Deny`
/// statements alone grants nothing). Adding it to a template grants nothing new either.
#[test]
fn a_deny_that_may_be_attached_decides_only_what_it_denies() {
    let t = path("lint-maybe-deny.yaml");
    let app = format!("{t}#App");
    let (code, a, err) = verify(&[&app, "--not-granted", "iam:PassRole"]);
    assert_eq!(
        (code, a["holds"].clone()),
        (2, serde_json::Value::Null),
        "{a}{err}"
    );
    assert!(a["reason"].as_str().unwrap().contains("DenyPass"), "{a}");
    let (code, a, err) = verify(&[&app, "--not-granted", "lambda:InvokeFunction"]);
    assert_eq!((code, a["holds"].as_bool()), (1, Some(false)), "{a}{err}");
    let (code, a, err) = verify(&[&app, "--not-granted", "ec2:RunInstances"]);
    assert_eq!((code, a["holds"].as_bool()), (0, Some(true)), "{a}{err}");
    let (code, s, err) = diff("maybe-deny-absent.yaml", "lint-maybe-deny.yaml", &[]);
    assert_eq!(
        (code, s["added"].as_u64(), s["unknown"].as_u64()),
        (0, Some(0), Some(0)),
        "{s}{err}"
    );
    // and its leaving may allow more
    let (code, _, err) = diff("lint-maybe-deny.yaml", "maybe-deny-absent.yaml", &[]);
    assert_ne!(code, 0, "{err}");
}
