//! Evaluator fidelity at the edges (issue 10 §6) and SCPs in the full IAM policy language
//! (issue 10 §7), each case built from the AWS documentation page it cites.
//!
//! - IAM-RESOURCE: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
//! - IAM-MULTIVAL-EX: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
//! - IAM-MULTIVAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//! - IAM-CONDOPS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//! - IAM-VARS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//! - SCP-FULL-2025: https://aws.amazon.com/blogs/security/unlock-new-possibilities-aws-organizations-service-control-policy-now-supports-full-iam-language
//! - ORG-SCP-SYNTAX: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html

use greenlight::eval::{
    CompiledPolicySet, Context, Decision, ImplicitDenyReason, PolicySet, Principal, Request,
    Verdict, evaluate,
};
use greenlight::lint::{PolicyType, Severity, lint_source};
use greenlight::{Source, parse_policy};

use Verdict::{Allowed as A, ExplicitDeny as X, ImplicitDeny as I};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

fn pol(name: &str, text: &str) -> greenlight::Policy {
    parse_policy(&Source::new(name, text)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn set(identity: &[&str], scps: &[&str]) -> CompiledPolicySet {
    PolicySet {
        identity: identity
            .iter()
            .enumerate()
            .map(|(i, t)| pol(&format!("identity{i}.json"), t))
            .collect(),
        scps: scps
            .iter()
            .enumerate()
            .map(|(i, t)| pol(&format!("scp{i}.json"), t))
            .collect(),
        ..PolicySet::default()
    }
    .compile()
    .unwrap_or_else(|e| panic!("{e}"))
}

fn decide(
    set: &CompiledPolicySet,
    action: &str,
    resource: &str,
    context: &[(&str, &str)],
) -> Decision {
    let mut ctx = Context::new();
    for (k, v) in context {
        ctx.insert(*k, *v);
    }
    evaluate(
        set,
        &Request {
            action: action.into(),
            resource: resource.into(),
            principal: Some(Principal::parse(ALICE).unwrap()),
            resource_account: None,
            context: ctx,
        },
    )
    .unwrap()
}

fn verdict(set: &CompiledPolicySet, action: &str, resource: &str, ctx: &[(&str, &str)]) -> Verdict {
    decide(set, action, resource, ctx).decision
}

fn allow_on(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}]}}"#
    )
}

/// An identity policy allowing every action under one condition.
fn allow_if(op: &str, key: &str, values: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}]}}"#
    )
}

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

// ------------------------------------------------ short resource ARNs ending in `*` (IAM-RESOURCE)

#[test]
fn a_trailing_star_in_the_last_field_of_a_short_arn_matches_across_colons() {
    // IAM-RESOURCE: "If the `*` wildcard is the last character of a resource ARN segment, it
    // can expand to match beyond the colon boundaries."
    let ec2 = set(&[&allow_on("ec2:*", "arn:aws:ec2:*")], &[]);
    let instance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abcd1234";
    assert_eq!(verdict(&ec2, "ec2:StartInstances", instance, &[]), A);
    assert_eq!(
        verdict(&ec2, "ec2:StartInstances", "arn:aws:s3:::bucket/key", &[]),
        I
    );
    let cd = set(
        &[&allow_on(
            "codedeploy:CreateDeployment",
            "arn:aws:codedeploy:us-west-2:*",
        )],
        &[],
    );
    let dg = "arn:aws:codedeploy:us-west-2:111122223333:deploymentgroup:app/dg";
    assert_eq!(verdict(&cd, "codedeploy:CreateDeployment", dg, &[]), A);
    let east = "arn:aws:codedeploy:us-east-1:111122223333:deploymentgroup:app/dg";
    assert_eq!(verdict(&cd, "codedeploy:CreateDeployment", east, &[]), I);
    // The same rule inside a field: `us-*` ends the short ARN.
    let region = set(&[&allow_on("ec2:*", "arn:aws:ec2:us-*")], &[]);
    assert_eq!(verdict(&region, "ec2:StartInstances", instance, &[]), A);
    let eu = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcd1234";
    assert_eq!(verdict(&region, "ec2:StartInstances", eu, &[]), I);
    // As `NotResource`: everything but EC2 in us-west-2.
    let not = set(
        &[
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","NotResource":"arn:aws:ec2:us-west-2:*"}]}"#,
        ],
        &[],
    );
    let west = "arn:aws:ec2:us-west-2:111122223333:instance/i-1";
    assert_eq!(verdict(&not, "ec2:StartInstances", west, &[]), I);
    assert_eq!(verdict(&not, "ec2:StartInstances", instance, &[]), A);
}

#[test]
fn a_short_arn_without_a_trailing_star_is_still_refused() {
    // IAM-RESOURCE: an ARN has six fields; only a trailing `*` reaches across colons.
    let p = pol(
        "short.json",
        &allow_on("s3:GetObject", "arn:aws:s3:example-bucket"),
    );
    let e = PolicySet {
        identity: vec![p],
        ..PolicySet::default()
    }
    .compile()
    .unwrap_err();
    assert_eq!(e.code, "invalid-resource");
    // Condition values are ARNs compared field by field (IAM-CONDOPS, ARN operators): the
    // short form is not accepted there.
    let c = pol(
        "cond.json",
        &allow_if("ArnLike", "aws:SourceArn", r#""arn:aws:sns:*""#),
    );
    assert!(
        PolicySet {
            identity: vec![c],
            ..PolicySet::default()
        }
        .compile()
        .is_err()
    );
}

// ------------------------------------ empty-string context values under set operators (IAM-MULTIVAL)

#[test]
fn an_empty_string_is_the_empty_set_for_for_all_values() {
    // IAM-MULTIVAL-EX, "Deny policy with condition set operator ForAllValues": the DenyRestrictedTags
    // statement matches when `aws:TagKeys` is not in the request; "context keys with empty
    // values" evaluate the same way (the page's `Null` guard exists for both).
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyRestrictedTags","Effect":"Deny",
        "Action":["iam:Tag*","iam:UnTag*"],"Resource":["*"],
        "Condition":{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}}]}"#;
    let s = set(&[ALLOW_ALL, deny], &[]);
    let role = "arn:aws:iam::111122223333:role/r";
    // The page's table: key1:legal → no match; key2:audit → match; no key → match.
    assert_eq!(
        verdict(&s, "iam:TagRole", role, &[("aws:TagKeys", "key1:legal")]),
        A
    );
    assert_eq!(
        verdict(&s, "iam:TagRole", role, &[("aws:TagKeys", "key2:audit")]),
        X
    );
    assert_eq!(verdict(&s, "iam:TagRole", role, &[]), X);
    // An empty string: the empty set, like no key.
    assert_eq!(verdict(&s, "iam:TagRole", role, &[("aws:TagKeys", "")]), X);
}

#[test]
fn an_empty_string_is_the_empty_set_for_for_any_value_and_null() {
    // IAM-MULTIVAL: ForAnyValue "returns false" without a context key; a negated operator
    // under ForAnyValue must not turn "" into a value that differs from every policy value.
    let any = allow_if(
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        r#"["environment","cost-center"]"#,
    );
    let s = set(&[&any], &[]);
    assert_eq!(
        verdict(&s, "iam:TagRole", "*", &[("aws:TagKeys", "owner")]),
        A
    );
    assert_eq!(verdict(&s, "iam:TagRole", "*", &[]), I);
    assert_eq!(verdict(&s, "iam:TagRole", "*", &[("aws:TagKeys", "")]), I);
    // IAM-MULTIVAL: ForAllValues "also returns true if there are no context keys in the
    // request", and an empty string is no value.
    let all = allow_if(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        r#"["environment"]"#,
    );
    let s = set(&[&all], &[]);
    assert_eq!(verdict(&s, "iam:TagRole", "*", &[("aws:TagKeys", "")]), A);
    assert_eq!(
        verdict(&s, "iam:TagRole", "*", &[("aws:TagKeys", "owner")]),
        I
    );
    // IAM-MULTIVAL-EX: a `Null: false` guard stops missing keys "or context keys with empty
    // values" from evaluating to true.
    let guarded = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
        "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["environment"]},
                     "Null":{"aws:TagKeys":"false"}}}]}"#;
    let g = set(&[guarded], &[]);
    assert_eq!(
        verdict(&g, "iam:TagRole", "*", &[("aws:TagKeys", "environment")]),
        A
    );
    assert_eq!(verdict(&g, "iam:TagRole", "*", &[("aws:TagKeys", "")]), I);
    assert_eq!(verdict(&g, "iam:TagRole", "*", &[]), I);
}

/// `...IfExists` ("if the key exists") reads a key whose only value is empty as `Null` does:
/// absent, so the two never disagree about one request (red team 60: `Null` "true" allowed
/// `s3:prefix` = "" while `StringLikeIfExists` refused it).
#[test]
fn if_exists_reads_an_empty_value_as_null_does() {
    let like = allow_if("StringLikeIfExists", "s3:prefix", r#""home/*""#);
    let s = set(&[&like], &[]);
    assert_eq!(verdict(&s, "s3:ListBucket", "*", &[("s3:prefix", "")]), A);
    assert_eq!(verdict(&s, "s3:ListBucket", "*", &[]), A);
    assert_eq!(
        verdict(&s, "s3:ListBucket", "*", &[("s3:prefix", "etc/")]),
        I
    );
    let null = allow_if("Null", "s3:prefix", r#""true""#);
    let n = set(&[&null], &[]);
    assert_eq!(verdict(&n, "s3:ListBucket", "*", &[("s3:prefix", "")]), A);
    // without `IfExists` an empty value is compared as the empty string
    let eq = allow_if("StringEquals", "s3:prefix", "\"\"");
    let e = set(&[&eq], &[]);
    assert_eq!(verdict(&e, "s3:ListBucket", "*", &[("s3:prefix", "")]), A);
}

// ------------------------------------------------ IPv4-mapped IPv6 addresses (IAM-CONDOPS, IP)

#[test]
fn ipv4_mapped_ipv6_addresses_match_the_same_on_both_sides() {
    // IAM-CONDOPS, IP address condition operators: values are IPv4 or IPv6 addresses or
    // CIDR ranges (RFC 4632). An IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) is the IPv4
    // address it maps, whichever side writes it.
    let v4_range = set(
        &[&allow_if(
            "IpAddress",
            "aws:SourceIp",
            r#""203.0.113.0/24""#,
        )],
        &[],
    );
    let mapped_range = set(
        &[&allow_if(
            "IpAddress",
            "aws:SourceIp",
            r#""::ffff:203.0.113.0/120""#,
        )],
        &[],
    );
    let mapped_host = set(
        &[&allow_if(
            "IpAddress",
            "aws:SourceIp",
            r#""::ffff:203.0.113.5""#,
        )],
        &[],
    );
    for s in [&v4_range, &mapped_range, &mapped_host] {
        for ip in ["203.0.113.5", "::ffff:203.0.113.5", "::FFFF:CB00:7105"] {
            assert_eq!(
                verdict(s, "s3:GetObject", "*", &[("aws:SourceIp", ip)]),
                A,
                "{ip}"
            );
        }
        for ip in ["198.51.100.7", "::ffff:198.51.100.7", "2001:db8::1"] {
            assert_eq!(
                verdict(s, "s3:GetObject", "*", &[("aws:SourceIp", ip)]),
                I,
                "{ip}"
            );
        }
    }
    // NotIpAddress is the exact inverse, with the mapped form on the policy side.
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
        "Condition":{"NotIpAddress":{"aws:SourceIp":"::ffff:203.0.113.0/120"}}}]}"#;
    let d = set(&[ALLOW_ALL, deny], &[]);
    assert_eq!(
        verdict(&d, "s3:GetObject", "*", &[("aws:SourceIp", "203.0.113.9")]),
        A
    );
    assert_eq!(
        verdict(&d, "s3:GetObject", "*", &[("aws:SourceIp", "198.51.100.7")]),
        X
    );
}

// ------------------------------------------------ policy variables before the fifth colon (IAM-VARS)

#[test]
fn a_policy_variable_before_the_fifth_colon_is_literal_text() {
    // IAM-VARS: "You can use a policy variable in the Resource element, but only in the
    // resource portion of the ARN. This portion of the ARN appears after the fifth colon (:).
    // You can't use a variable to replace parts of the ARN before the fifth colon, such as the
    // service or account."
    let ctx = [
        ("aws:username", "alice"),
        ("aws:PrincipalAccount", "111122223333"),
    ];
    let after = set(
        &[&allow_on(
            "iam:*AccessKey*",
            "arn:aws:iam::111122223333:user/${aws:username}",
        )],
        &[],
    );
    let user = "arn:aws:iam::111122223333:user/alice";
    assert_eq!(verdict(&after, "iam:CreateAccessKey", user, &ctx), A);
    let before = set(
        &[&allow_on(
            "iam:*AccessKey*",
            "arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}",
        )],
        &[],
    );
    let d = decide(&before, "iam:CreateAccessKey", user, &ctx);
    assert_eq!(d.decision, I);
    // The literal variable reads no key, so none is reported missing.
    let d = decide(
        &before,
        "iam:CreateAccessKey",
        user,
        &[("aws:username", "alice")],
    );
    assert!(
        d.missing_context_keys.is_empty(),
        "{:?}",
        d.missing_context_keys
    );
    let region = set(
        &[&allow_on(
            "s3:GetObject",
            "arn:aws:s3:${aws:username}::bucket/*",
        )],
        &[],
    );
    assert_eq!(
        verdict(&region, "s3:GetObject", "arn:aws:s3:alice::bucket/k", &ctx),
        I
    );
}

// ------------------------------------------------ exact numeric comparison (IAM-CONDOPS, numeric)

#[test]
fn numeric_conditions_compare_exactly() {
    // IAM-CONDOPS, numeric condition operators: integers and decimals, compared as numbers.
    // 2^53 + 1 and 2^53 are different numbers (a 64-bit float cannot tell them apart).
    let lt = set(
        &[&allow_if(
            "NumericLessThan",
            "s3:max-keys",
            r#""9007199254740993""#,
        )],
        &[],
    );
    let k = |v| [("s3:max-keys", v)];
    assert_eq!(
        verdict(&lt, "s3:ListBucket", "*", &k("9007199254740992")),
        A
    );
    assert_eq!(
        verdict(&lt, "s3:ListBucket", "*", &k("9007199254740993")),
        I
    );
    let eq = set(
        &[&allow_if("NumericEquals", "s3:max-keys", r#""0.1""#)],
        &[],
    );
    assert_eq!(verdict(&eq, "s3:ListBucket", "*", &k("0.10")), A);
    assert_eq!(
        verdict(&eq, "s3:ListBucket", "*", &k("0.10000000000000001")),
        I
    );
    let ge = set(
        &[&allow_if("NumericGreaterThanEquals", "s3:max-keys", "-5.5")],
        &[],
    );
    assert_eq!(verdict(&ge, "s3:ListBucket", "*", &k("-5.49")), A);
    assert_eq!(verdict(&ge, "s3:ListBucket", "*", &k("-5.51")), I);
    assert_eq!(verdict(&ge, "s3:ListBucket", "*", &k("0")), A);
}

// ------------------------------------------------ SCPs in the full IAM policy language (SCP-FULL-2025)

fn scp_case(scp: &str, action: &str, resource: &str, ctx: &[(&str, &str)]) -> Decision {
    decide(&set(&[ALLOW_ALL], &[scp]), action, resource, ctx)
}

#[test]
fn scp_allow_with_a_condition() {
    // SCP-FULL-2025: conditions in Allow statements.
    let scp = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowEuWest1","Effect":"Allow",
        "Action":"*","Resource":"*",
        "Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}"#;
    let ok = scp_case(
        scp,
        "ec2:RunInstances",
        "*",
        &[("aws:RequestedRegion", "eu-west-1")],
    );
    assert_eq!(ok.decision, A);
    assert!(
        ok.matched
            .iter()
            .any(|m| m.sid.as_deref() == Some("AllowEuWest1"))
    );
    let no = scp_case(
        scp,
        "ec2:RunInstances",
        "*",
        &[("aws:RequestedRegion", "us-east-1")],
    );
    assert_eq!(no.decision, I);
    assert_eq!(
        no.implicit_deny_reason,
        Some(ImplicitDenyReason::ScpDoesNotAllow)
    );
    let missing = scp_case(scp, "ec2:RunInstances", "*", &[]);
    assert_eq!(missing.decision, I);
    assert_eq!(missing.missing_context_keys, ["aws:RequestedRegion"]);
}

#[test]
fn scp_allow_with_a_resource_arn() {
    // SCP-FULL-2025: individual resource ARNs in Allow statements.
    let scp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",
        "Resource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}]}"#;
    assert_eq!(
        scp_case(scp, "s3:GetObject", "arn:aws:s3:::example-bucket/k", &[]).decision,
        A
    );
    let other = scp_case(scp, "s3:GetObject", "arn:aws:s3:::other-bucket/k", &[]);
    assert_eq!(other.decision, I);
    assert_eq!(
        other.implicit_deny_reason,
        Some(ImplicitDenyReason::ScpDoesNotAllow)
    );
}

#[test]
fn scp_allow_with_not_action() {
    // SCP-FULL-2025: `NotAction` with Allow: everything except the listed actions.
    let scp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "NotAction":["iam:*","organizations:*"],"Resource":"*"}]}"#;
    assert_eq!(scp_case(scp, "s3:GetObject", "*", &[]).decision, A);
    let iam = scp_case(scp, "iam:CreateUser", "*", &[]);
    assert_eq!(iam.decision, I);
    assert_eq!(
        iam.implicit_deny_reason,
        Some(ImplicitDenyReason::ScpDoesNotAllow)
    );
}

#[test]
fn scp_not_resource_in_deny_and_allow() {
    // SCP-FULL-2025: `NotResource` "in both Allow and Deny statements".
    let scp = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"*","Resource":"*"},
        {"Sid":"OnlyOurBucket","Effect":"Deny","Action":"s3:*",
         "NotResource":["arn:aws:s3:::example-bucket","arn:aws:s3:::example-bucket/*"]}]}"#;
    assert_eq!(
        scp_case(scp, "s3:PutObject", "arn:aws:s3:::example-bucket/k", &[]).decision,
        A
    );
    let d = scp_case(scp, "s3:PutObject", "arn:aws:s3:::other-bucket/k", &[]);
    assert_eq!(d.decision, X);
    assert_eq!(d.matched[0].sid.as_deref(), Some("OnlyOurBucket"));
    let allow_not = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*",
        "NotResource":"arn:aws:s3:::secret-bucket/*"}]}"#;
    assert_eq!(
        scp_case(
            allow_not,
            "s3:GetObject",
            "arn:aws:s3:::secret-bucket/k",
            &[]
        )
        .decision,
        I
    );
    assert_eq!(
        scp_case(allow_not, "s3:GetObject", "arn:aws:s3:::open-bucket/k", &[]).decision,
        A
    );
}

#[test]
fn scp_wildcards_anywhere_in_action() {
    // SCP-FULL-2025: "wildcards at the beginning or middle of the Action element strings".
    let scp = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"*","Resource":"*"},
        {"Sid":"NoAccessKeys","Effect":"Deny","Action":["iam:*AccessKey*","s3:Get?bject"],"Resource":"*"}]}"#;
    for a in ["iam:CreateAccessKey", "iam:UpdateAccessKey", "s3:GetObject"] {
        assert_eq!(scp_case(scp, a, "*", &[]).decision, X, "{a}");
    }
    for a in ["iam:CreateUser", "s3:GetObjectAcl", "s3:PutObject"] {
        assert_eq!(scp_case(scp, a, "*", &[]).decision, A, "{a}");
    }
}

// ------------------------------------------------ what lint says about the same edges

fn lint_findings(text: &str) -> Vec<(&'static str, Severity)> {
    let out = lint_source(&Source::new("p.json", text), Some(PolicyType::Identity));
    out.findings
        .iter()
        .map(|f| (f.rule.code, f.severity))
        .collect()
}

#[test]
fn lint_warns_on_a_short_arn_ending_in_star_and_errs_on_an_early_variable() {
    // IAM-RESOURCE: the short form works, so it is a warning; without the trailing `*` it
    // matches nothing, an error.
    let short = lint_findings(&allow_on("ec2:*", "arn:aws:ec2:*"));
    assert!(short.contains(&("GL057", Severity::Warning)), "{short:?}");
    let broken = lint_findings(&allow_on("s3:GetObject", "arn:aws:s3:example-bucket"));
    assert!(broken.contains(&("GL057", Severity::Error)), "{broken:?}");
    // IAM-VARS: a variable before the fifth colon is not substituted.
    let early = lint_findings(&allow_on(
        "s3:GetObject",
        "arn:aws:s3:${aws:username}::example-bucket/*",
    ));
    assert!(early.contains(&("GL053", Severity::Error)), "{early:?}");
    let late = lint_findings(&allow_on(
        "s3:GetObject",
        "arn:aws:s3:::example-bucket/${aws:username}/*",
    ));
    assert!(!late.iter().any(|(c, _)| *c == "GL053"), "{late:?}");
    // A variable in place of the whole ARN is before the fifth colon too: literal text, no ARN.
    for item in ["${aws:PrincipalArn}", "${aws:PrincipalArn}/*"] {
        let whole = lint_findings(&allow_on("iam:TagRole", item));
        assert!(
            whole.contains(&("GL053", Severity::Error)),
            "{item}: {whole:?}"
        );
    }
    // (the evaluator refuses the first, naming the item as written; the second is a short
    // pattern of literal fields ending in `*`, which matches no real ARN)
    let e = PolicySet {
        identity: vec![pol(
            "whole.json",
            &allow_on("iam:TagRole", "${aws:PrincipalArn}"),
        )],
        ..PolicySet::default()
    }
    .compile()
    .unwrap_err();
    assert_eq!(e.code, "invalid-resource");
    assert!(
        e.message.starts_with("`${aws:PrincipalArn}` is not an ARN"),
        "{}",
        e.message
    );
    // `${*}` at the start is the character `*`, not a variable
    let star = lint_findings(&allow_on("s3:GetObject", "${*}"));
    assert!(!star.iter().any(|(c, _)| *c == "GL053"), "{star:?}");
}
