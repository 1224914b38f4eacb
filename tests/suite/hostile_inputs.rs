//! Hostile inputs that once took super-linear time or memory: each test builds the input (none
//! is committed) and checks that the output on it is still exactly the expected one. The
//! timings before and after each fix are in README.md's performance section; the inputs are
//! also written by `tools/hostile.py`.

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

/// Runs the binary with `args` then the files written from `docs` into a scratch folder;
/// returns the exit code and standard output.
fn run_cli(args: &[&str], docs: &[(&str, String)]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"));
    cmd.args(args);
    for (name, text) in docs {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        cmd.arg(p);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `diff` where the new policy names 4,000 actions the catalog lacks next to 4,000 wildcard
/// patterns: every wildcard pattern used to be matched against every such action (over a
/// minute for 1 MB of patterns). The catalog has no S3 action with a digit, so the patterns
/// `s3:*N*` match only the named unknown actions, which the new policy allows: they are the one
/// addition, and `s3:GetObject` is removed (output identical to the version before the fix).
#[test]
fn diff_with_thousands_of_unknown_actions_and_wildcards() {
    let acts: Vec<String> = (0..8_000)
        .map(|i| {
            if i % 2 == 1 {
                format!("s3:*{i}*")
            } else {
                format!("s3:Get{i}")
            }
        })
        .collect();
    let old = policy("\"s3:GetObject\"", "\"*\"");
    let new = policy(&json_list(&acts), "\"*\"");
    let (code, out, err) = run_cli(
        &["diff", "--format", "json"],
        &[("old.json", old), ("new.json", new)],
    );
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 1, "removed": 1, "unknown": 0})
    );
    let added: Vec<&str> = v["added"][0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    // every named action, and for each pattern that matches none of them (`s3:*1001*`: no
    // even number below 8,000 holds `1001`) one made-up action it matches, standing for the
    // actions newer than the catalog that it grants (red team 72)
    let named: Vec<String> = (0..8_000)
        .step_by(2)
        .map(|i| format!("s3:Get{i}"))
        .collect();
    for n in &named {
        assert!(added.contains(&n.as_str()), "{n}");
    }
    for a in added.iter().filter(|a| !named.iter().any(|n| n == *a)) {
        let i = a
            .strip_prefix("s3:NewerThanCatalog")
            .and_then(|r| r.strip_suffix("NewerThanCatalog"))
            .unwrap_or_else(|| panic!("{a}"));
        let i: usize = i.parse().unwrap();
        assert!(i % 2 == 1, "{a}");
        assert!(!named.iter().any(|n| n.contains(&i.to_string())), "{a}");
    }
    assert_eq!(
        v["removed"][0]["actions"],
        serde_json::json!(["s3:GetObject"])
    );
}

/// `diff` of a policy with 10,000 ARN patterns in one `Resource`: the product of their automata
/// used to be bounded by a count of states only, each holding a word per pattern, so the walk
/// took gigabytes and minutes (2,000 ARNs: out of memory at 6 GB; 10,000: over 8 GB before it
/// was stopped after 60 s). It now stops when the product states reach 1 GiB and answers `unknown` with
/// the reason, exit 2, as it did before for 250 ARNs (after 5.8 s and 0.8 GB). Ignored by
/// default (it fills that GiB: seconds in a release build, minutes unoptimised): `cargo test
/// --release --test suite hostile_inputs:: -- --ignored`.
#[test]
#[ignore = "fills the 1 GiB limit of a product walk; run with --release --ignored"]
fn diff_with_thousands_of_resource_patterns_is_unknown_not_unbounded() {
    let arns: Vec<String> = (0..10_000)
        .map(|i| format!("arn:aws:s3:::bucket-{i}/*"))
        .collect();
    // `distinct-old.json` of tools/hostile.py: 60 patterns with two `*` each
    let olds: Vec<String> = (0..60u8)
        .map(|i| format!("arn:aws:s3:::*{}{i}*x*", (b'a' + i % 26) as char))
        .collect();
    let old = policy("\"s3:GetObject\"", &json_list(&olds));
    let new = policy("\"s3:GetObject\"", &json_list(&arns));
    let (code, out, err) = run_cli(
        &["diff", "--format", "json"],
        &[("old.json", old), ("new.json", new)],
    );
    assert_eq!(code, Some(2), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["unknown"], 1, "{out}");
    assert_eq!(
        v["unknown"][0]["reason"],
        "the resource patterns are too many to partition"
    );
    assert_eq!(v["unknown"][0]["mayHideAddition"], true);
}

/// `check`'s warnings about actions that do not exist, on two statements with 3,000 unknown
/// actions each: each warning's statement and action used to be searched from the start for
/// every warning (quadratic; 20,000 warnings on one 1 MB line took seconds). Each warning still
/// names its own action, column and statement.
#[test]
fn check_warnings_on_thousands_of_unknown_actions() {
    let acts = |k: usize| -> String {
        json_list(
            &(0..3_000)
                .map(|i| format!("s3:Get{k}x{i}"))
                .collect::<Vec<_>>(),
        )
    };
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"A","Effect":"Allow","Action":{},"Resource":"*"}},{{"Sid":"B","Effect":"Allow","Action":{},"Resource":"*"}}]}}"#,
        acts(1),
        acts(2)
    );
    let (code, out, err) = run_cli(
        &[
            "check",
            "--profile",
            "ecs-bluegreen-codedeploy-user",
            "--format",
            "json",
        ],
        &[("p.json", text.clone())],
    );
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 6_000);
    for (n, x) in w.iter().enumerate() {
        let (k, i) = (n / 3_000 + 1, n % 3_000);
        let action = format!("s3:Get{k}x{i}");
        assert_eq!(x["action"], action.as_str());
        assert_eq!(x["code"], "unknown-action");
        assert_eq!(x["sid"], if k == 1 { "A" } else { "B" });
        // the column (1-based) is that of the quoted action in the one-line document
        let at = text.find(&format!("\"{action}\"")).unwrap() + 1;
        assert_eq!(x["column"], at, "{action}");
    }
}

/// A bucket policy naming 10,000 accounts as principals: every candidate principal used to be
/// compared with every one collected before (6.8 s). Naming accounts is not public access
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html), so
/// `--no-public-access` holds; `--only-accounts` with an account the policy does not name
/// fails, with a counterexample in one of the named accounts.
#[test]
fn verify_with_ten_thousand_named_accounts() {
    let arns: Vec<String> = (0..10_000u64)
        .map(|i| format!("arn:aws:iam::{}:root", 100_000_000_000 + i))
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":{}}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}]}}"#,
        json_list(&arns)
    );
    let (code, out, err) = run_cli(
        &[
            "verify",
            "--no-public-access",
            "--resource-type",
            "AWS::S3::Bucket",
            "--format",
            "json",
        ],
        &[("bucket.json", text.clone())],
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["assertions"][0]["holds"], true, "{out}");
    let (code, out, err) = run_cli(
        &[
            "verify",
            "--only-accounts",
            "111122223333",
            "--policy-type",
            "resource",
            "--format",
            "json",
        ],
        &[("bucket.json", text)],
    );
    assert_eq!(code, Some(1), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v["assertions"][0];
    assert_eq!(a["holds"], false, "{out}");
    let p = a["counterexamples"][0]["principal"].as_str().unwrap();
    let acct: u64 = p.split(':').nth(4).unwrap().parse().unwrap();
    assert!((100_000_000_000..100_000_010_000).contains(&acct), "{p}");
}

/// `"Principal": "*"` bounded by 2,000 account IDs in `aws:PrincipalAccount`: each value's
/// pattern used to be compared with every pattern collected before. The condition bounds the
/// caller to named accounts, so there is no public access (Access Analyzer counts
/// `aws:PrincipalAccount` among the keys that limit access,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html).
#[test]
fn verify_with_two_thousand_accounts_in_a_condition() {
    let ids: Vec<String> = (0..2_000u64)
        .map(|i| (100_000_000_000 + i).to_string())
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"StringEquals":{{"aws:PrincipalAccount":{}}}}}}}]}}"#,
        json_list(&ids)
    );
    let (code, out, err) = run_cli(
        &[
            "verify",
            "--no-public-access",
            "--resource-type",
            "AWS::S3::Bucket",
            "--format",
            "json",
        ],
        &[("bucket.json", text)],
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["assertions"][0]["holds"], true, "{out}");
}
