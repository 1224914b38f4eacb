//! Tests that guard the rule set itself: every registered rule has complete docs, a failing
//! and a passing fixture, and a reviewed snapshot of its rendered diagnostic; the README rule
//! table is the one generated from the docs.
//!
//! Set `GREENLIGHT_BLESS=1` to (re)write snapshots and the README table; review the diff.

use std::path::{Path, PathBuf};

use greenlight::lint::input::Input;
use greenlight::lint::run::{self, Options};
use greenlight::lint::{Check, Finding, PolicyType, docs, rules};
use greenlight::report::human::render_finding;

fn bless() -> bool {
    std::env::var_os("GREENLIGHT_BLESS").is_some()
}

/// Relative to the package root (cargo runs integration tests there), so that rendered
/// diagnostics, and where they wrap, do not depend on where the repository is checked out.
fn fixture_dir(code: &str) -> PathBuf {
    Path::new("tests/fixtures/lint").join(code)
}

fn lint(path: &Path, policy_type: Option<PolicyType>) -> run::Outcome {
    run::run(&Options {
        inputs: vec![Input::File(path.to_path_buf())],
        policy_type,
        threads: 1,
        ..Default::default()
    })
}

fn fixture_type(dir: &Path) -> Option<PolicyType> {
    std::fs::read_to_string(dir.join("policy-type"))
        .ok()
        .map(|s| PolicyType::parse(s.trim()).expect("valid policy-type file"))
}

/// Findings with the fixture directory prefix removed from the name (stable snapshots).
fn snapshot_text(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| render_finding(f, 80, false))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_has_docs_fixtures_and_a_snapshot() {
    let mut problems = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for rule in rules::ALL {
        problems.extend(docs::problems(rule));
        if !codes.insert(rule.code) {
            problems.push(format!("{}: duplicate code", rule.code));
        }
        if !names.insert(rule.name) {
            problems.push(format!("{}: duplicate name {}", rule.code, rule.name));
        }
        let dir = fixture_dir(rule.code);
        let ptype = fixture_type(&dir);
        let bad = dir.join("bad.json");
        let good = dir.join("good.json");
        if !good.exists() {
            problems.push(format!("{}: missing {}", rule.code, good.display()));
            continue;
        }
        let missing_input = rule.name == "unreadable-input";
        if !bad.exists() && !missing_input {
            problems.push(format!("{}: missing {}", rule.code, bad.display()));
            continue;
        }
        let out = lint(&bad, ptype);
        let hits: Vec<&Finding> = out
            .findings
            .iter()
            .filter(|f| f.rule.code == rule.code)
            .collect();
        if hits.is_empty() {
            problems.push(format!(
                "{}: bad.json raises no {} finding (got {:?})",
                rule.code,
                rule.name,
                out.findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()
            ));
        }
        for f in &hits {
            if f.message.is_empty() || f.help.as_deref().is_none_or(str::is_empty) {
                problems.push(format!("{}: a finding without message or help", rule.code));
            }
            if f.message.ends_with('.') || f.message.starts_with(char::is_uppercase) {
                problems.push(format!(
                    "{}: message style (lowercase start, no final period): {}",
                    rule.code, f.message
                ));
            }
        }
        let structural = matches!(rule.check, Check::Parse | Check::Input);
        if structural != out.any_failed() {
            problems.push(format!(
                "{}: bad.json failed to parse = {}, expected {}",
                rule.code,
                out.any_failed(),
                structural
            ));
        }
        let g = lint(&good, ptype);
        if g.any_failed() {
            problems.push(format!("{}: good.json does not parse", rule.code));
        }
        if g.findings.iter().any(|f| f.rule.code == rule.code) {
            problems.push(format!("{}: good.json raises {}", rule.code, rule.name));
        }
        let snap_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots/lint")
            .join(format!("{}.txt", rule.code));
        let text = snapshot_text(&hits);
        if bless() {
            std::fs::write(&snap_path, &text).unwrap();
        } else {
            match std::fs::read_to_string(&snap_path) {
                Ok(s) if s == text => {}
                Ok(s) => problems.push(format!(
                    "{}: snapshot differs\n--- expected\n{s}\n--- actual\n{text}",
                    rule.code
                )),
                Err(_) => problems.push(format!("{}: missing snapshot", rule.code)),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_directory_belongs_to_a_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(
            rules::lookup(&name).is_some(),
            "fixture dir {name} has no rule"
        );
    }
}

#[test]
fn at_least_sixty_rules() {
    assert!(rules::ALL.len() >= 60, "{}", rules::ALL.len());
}

#[test]
fn readme_rule_table_is_generated_from_the_docs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = readme
        .find(start)
        .expect("README has the rules:start marker")
        + start.len();
    let b = readme.find(end).expect("README has the rules:end marker");
    let table = docs::markdown_table();
    if bless() {
        let new = format!("{}{}{}", &readme[..a], table, &readme[b..]);
        std::fs::write(&path, new).unwrap();
    } else {
        assert_eq!(
            &readme[a..b],
            table,
            "README rule table is out of date: run `GREENLIGHT_BLESS=1 cargo test --test suite lint_rules::`"
        );
    }
}

/// GL111 and the two load-balancing services under one prefix: the service reference keeps
/// the Classic resource list (`loadbalancer`) for the action names Elastic Load Balancing V2
/// shares with it, while V2 authorizes `AddTags` and `RemoveTags` on its listeners, listener
/// rules and target groups too
/// (<https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html>).
/// The ARNs below are those of the AWS managed policy
/// `AmazonECSInfrastructureRoleforExpressGatewayServices`: no finding. An ARN of no resource
/// type of the service is still one.
#[test]
fn gl111_elb_v2_tagging_on_listeners_and_target_groups() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, resources: &[&str]| {
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Action": ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                "Resource": resources,
                "Condition": {"StringEquals": {"aws:ResourceTag/AmazonECSManaged": "true"}}
            }]
        });
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        p
    };
    let good = write(
        "managed.json",
        &[
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
            "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
            "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*/*",
            "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
        ],
    );
    let out = lint(&good, None);
    let hits: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.rule.code == "GL111")
        .map(|f| f.message.as_str())
        .collect();
    assert!(hits.is_empty(), "{hits:?}");
    let bad = write(
        "bad.json",
        &["arn:aws:elasticloadbalancing:us-east-1:111122223333:cluster/x"],
    );
    let out = lint(&bad, None);
    assert!(
        out.findings.iter().any(|f| f.rule.code == "GL111"),
        "{:?}",
        out.findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()
    );
    // what V2 authorizes on no resource, or on load balancers only, is still reported on
    // another ARN (red team 31)
    for (action, arn) in [
        (
            "elasticloadbalancing:DescribeLoadBalancers",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/a/1",
        ),
        (
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/t/1",
        ),
        (
            "elasticloadbalancing:DeleteLoadBalancer",
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/a/1/2",
        ),
    ] {
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": action, "Resource": arn}]
        });
        let p = dir.path().join("one.json");
        std::fs::write(&p, doc.to_string()).unwrap();
        let out = lint(&p, None);
        assert!(
            out.findings.iter().any(|f| f.rule.code == "GL111"),
            "{action} on {arn}: {:?}",
            out.findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()
        );
    }
}
