//! Hostile inputs that once took super-linear time or memory: each test builds the input (none
//! is committed) and checks that the output on it is still exactly the expected one. The
//! timings before and after each fix are in README.md's performance section; the inputs are
//! also written by `tools/hostile.py`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use greenlight::lint::{PolicyType, lint_source};
use greenlight::source::Source;

/// The messages of the findings of rule `name` on `text` (an identity policy).
fn messages(text: &str, name: &str) -> Vec<String> {
    let out = lint_source(&Source::new("t.json", text), Some(PolicyType::Identity));
    out.findings
        .iter()
        .filter(|f| f.rule.name == name)
        .map(|f| f.message.clone())
        .collect()
}

fn policy(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{action},"Resource":{resource}}}]}}"#
    )
}

fn json_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// `redundant-resource` on one statement with 20,000 wildcard ARNs (1 MB on one line): every
/// item used to be matched against every other (27 s for 1 MB). A resource is redundant when
/// another item of the list matches it (Access Analyzer's `REDUNDANT_RESOURCE` suggestion,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
#[test]
fn redundant_resource_on_twenty_thousand_arns() {
    let mut items: Vec<String> = (0..20_000)
        .map(|i| format!("arn:aws:s3:::bucket-{i}/*"))
        .collect();
    // covered by `bucket-7/*` (a wildcard), a duplicate of `bucket-5/*`, and one that `*` at
    // the very end covers along with everything else
    items.push("arn:aws:s3:::bucket-7/reports/x".into());
    items.push("arn:aws:s3:::bucket-5/*".into());
    items.push("arn:aws:s3:::bucket-1?/*".into());
    let text = policy("\"s3:GetObject\"", &json_list(&items));
    assert!(text.len() > 500_000 && !text.contains('\n'));
    let m = messages(&text, "redundant-resource");
    assert_eq!(
        m,
        vec![
            // `bucket-1?/*` (last item) matches `bucket-10/*` .. `bucket-19/*`, and nothing
            // earlier covers those
            "`arn:aws:s3:::bucket-10/*`, `arn:aws:s3:::bucket-11/*`, `arn:aws:s3:::bucket-12/*` and 7 more are redundant: `arn:aws:s3:::bucket-1?/*` already matches them".to_string(),
            "`arn:aws:s3:::bucket-7/reports/x` is redundant: `arn:aws:s3:::bucket-7/*` already matches it".to_string(),
            "`arn:aws:s3:::bucket-5/*` is redundant: `arn:aws:s3:::bucket-5/*` already matches it".to_string(),
        ],
        "{m:#?}"
    );
}

/// `redundant-action` on one statement with 40,000 action patterns, half of them wildcards:
/// pairwise it took 33 s of CPU for 1 MB. An action is redundant when another item of the list
/// covers every action it matches (Access Analyzer's `REDUNDANT_ACTION` suggestion,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
#[test]
fn redundant_action_on_forty_thousand_patterns() {
    let mut items: Vec<String> = (0..40_000)
        .map(|i| {
            if i % 2 == 1 {
                format!("s3:*{i}*")
            } else {
                format!("s3:Get{i}")
            }
        })
        .collect();
    items.push("s3:GetObject".into()); // 40,000: covered by `s3:GetObj*` (40,002)
    items.push("s3:getobject".into()); // 40,001: the same action, written again
    items.push("s3:GetObj*".into()); // 40,002
    items.push("s3:GetObje?t".into()); // 40,003: matches only s3:GetObject, a subset of 40,002
    let text = policy(&json_list(&items), "\"*\"");
    assert!(text.len() > 400_000);
    let m = messages(&text, "redundant-action");
    assert_eq!(
        m,
        vec![
            // unknown `s3:Get10` etc. are matched by no known-action pattern (the `s3:*{i}*`
            // patterns match no catalog action)
            "`s3:GetObject` is redundant: `s3:GetObj*` already covers it".to_string(),
            "`s3:getobject` is redundant: `s3:GetObject` already covers it".to_string(),
            "`s3:GetObje?t` is redundant: `s3:GetObject` already covers it".to_string(),
        ],
        "{m:#?}"
    );
}

/// An authorization-details file whose managed policy has `DefaultVersionId` `v1` while
/// `PolicyVersionList` flags `v2` with `IsDefaultVersion: true`. In AWS's output both name the
/// default (operative) version (ManagedPolicyDetail and PolicyVersion,
/// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html), so a file
/// where they disagree was edited or damaged: `scan` and `lint` exit 2 and name the policy,
/// rather than silently reading `v2` (which grants less here than `v1`).
#[test]
fn default_version_id_disagreeing_with_the_flagged_version_exits_2() {
    let text = r#"{"UserDetailList":[{"UserName":"deployer","Arn":"arn:aws:iam::111122223333:user/deployer","UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[{"PolicyName":"Deploy","PolicyArn":"arn:aws:iam::111122223333:policy/Deploy"}]}],
"GroupDetailList":[],"RoleDetailList":[],
"Policies":[{"PolicyName":"Deploy","Arn":"arn:aws:iam::111122223333:policy/Deploy","DefaultVersionId":"v1","PolicyVersionList":[
{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]},"VersionId":"v1","IsDefaultVersion":false},
{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]},"VersionId":"v2","IsDefaultVersion":true}]}],
"IsTruncated":false}"#;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("account.json");
    let run = |text: &str, args: &[&str]| {
        std::fs::write(&p, text).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .args(args)
            .arg(&p)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        (o.status.code(), all.replace('\n', " "))
    };
    let scan = [
        "scan",
        "--profile",
        "ecs-bluegreen-codedeploy-user",
        "--format",
        "json",
        "--authorization-details",
    ];
    let lint = ["lint", "--format", "json"];
    for args in [&scan[..], &lint[..]] {
        let (code, all) = run(text, args);
        assert_eq!(code, Some(2), "{args:?}: {all}");
        assert!(
            all.contains("arn:aws:iam::111122223333:policy/Deploy")
                && all.contains("DefaultVersionId"),
            "{args:?}: {all}"
        );
    }
    // the same file with agreeing fields is read (the user lacks the profile's permissions)
    let agreeing = text.replace(r#""DefaultVersionId":"v1""#, r#""DefaultVersionId":"v2""#);
    let (code, all) = run(&agreeing, &scan);
    assert_eq!(code, Some(1), "{all}");
    let (code, all) = run(&agreeing, &lint);
    assert_ne!(code, Some(2), "{all}");
}
