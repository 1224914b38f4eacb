//! `greenlight lint` and `greenlight rule` end to end: exit codes, formats, determinism,
//! configuration, baseline, authorization-details files, stdin, globs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn gl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// `lint --format json` of `text` written to `dir/name`: the report.
fn lint_json(dir: &Path, name: &str, text: &str) -> serde_json::Value {
    let p = write(dir, name, text);
    let (_, out, err) = gl(&["lint", &p, "--format", "json"]);
    serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"))
}

const CLEAN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#;
const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const WARN_ONLY: &str = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}"#;

#[test]
fn exit_codes_follow_fail_on() {
    let d = tempfile::tempdir().unwrap();
    let clean = write(d.path(), "clean.json", CLEAN);
    let admin = write(d.path(), "admin.json", ADMIN);
    let warn = write(d.path(), "warn.json", WARN_ONLY);
    assert_eq!(gl(&["lint", &clean]).0, 0);
    assert_eq!(gl(&["lint", &admin]).0, 1);
    // missing-version is a warning: passes the default gate, fails --fail-on warning.
    assert_eq!(gl(&["lint", &warn]).0, 0);
    assert_eq!(gl(&["lint", &warn, "--fail-on", "warning"]).0, 1);
    assert_eq!(gl(&["lint", &admin, "--fail-on", "error"]).0, 0);
}

#[test]
fn unparsable_and_missing_inputs_exit_2_and_are_reported() {
    let d = tempfile::tempdir().unwrap();
    let bad = write(
        d.path(),
        "bad.json",
        r#"{"Version":"2012-10-17","Statement":[],}"#,
    );
    let (code, out, err) = gl(&["lint", &bad, "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"][0]["name"], "json-syntax");
    assert_eq!(v["findings"][0]["severity"], "error");
    assert_eq!(v["files"][0]["status"], "error");
    let missing = d.path().join("nope.json").display().to_string();
    let (code, out, _) = gl(&["lint", &missing, "--format", "json"]);
    assert_eq!(code, 2);
    assert!(out.contains("unreadable-input"));
    let (code, _, _) = gl(&["lint", &format!("{}/*.nothing", d.path().display())]);
    assert_eq!(code, 2, "a glob that matches nothing is an error");
}

#[test]
fn json_is_sorted_and_byte_identical_across_runs() {
    let d = tempfile::tempdir().unwrap();
    for i in 0..20 {
        write(
            d.path(),
            &format!("p{i:02}.json"),
            if i % 2 == 0 { ADMIN } else { WARN_ONLY },
        );
    }
    let dir = d.path().display().to_string();
    let (c1, a, _) = gl(&["lint", &dir, "--format", "json"]);
    let (c2, b, _) = gl(&["lint", &dir, "--format", "json"]);
    assert_eq!((c1, c2), (1, 1));
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["summary"]["files"], 20);
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    for key in [
        "code", "name", "severity", "file", "line", "column", "message", "help",
    ] {
        assert!(v["findings"][0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn sarif_github_and_junit_formats() {
    let d = tempfile::tempdir().unwrap();
    let admin = write(d.path(), "admin.json", ADMIN);
    let (_, sarif, _) = gl(&["lint", &admin, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), greenlight::lint::rules::ALL.len());
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "GL089");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert!(
        r["partialFingerprints"]["greenlight/v1"]
            .as_str()
            .unwrap()
            .len()
            == 16
    );
    let (_, gh, _) = gl(&["lint", &admin, "--format", "github"]);
    assert!(
        gh.starts_with(&format!("::error file={admin},line=1,col=")),
        "{gh}"
    );
    assert!(gh.contains("title=GL089 full-admin (security)::"));
    let (_, junit, _) = gl(&["lint", &admin, "--format", "junit"]);
    assert!(
        junit.contains(
            "<testsuite name=\"greenlight lint\" tests=\"1\" failures=\"1\" errors=\"0\">"
        )
    );
}

#[test]
fn text_output_underlines_and_summarises() {
    let d = tempfile::tempdir().unwrap();
    let admin = write(d.path(), "admin.json", ADMIN);
    let (_, out, _) = gl(&["lint", &admin]);
    assert!(out.contains("GL089(full-admin) security"), "{out}");
    assert!(out.contains("╰── here"));
    assert!(out.contains("1 document linted (0 could not be read or parsed)"));
}

#[test]
fn config_ignores_need_reasons_and_apply_per_path() {
    let d = tempfile::tempdir().unwrap();
    let admin = write(d.path(), "admin.json", ADMIN);
    let good = write(
        d.path(),
        "cfg.json",
        &format!(
            r#"{{"per-path-ignores":[{{"paths":["{}"],"rules":["full-admin","GL094"],"reason":"break-glass role"}}]}}"#,
            admin
        ),
    );
    assert_eq!(gl(&["lint", &admin, "--config", &good]).0, 0);
    let bad = write(
        d.path(),
        "cfg2.json",
        r#"{"per-path-ignores":[{"paths":["*"],"rules":["full-admin"]}]}"#,
    );
    let (code, _, err) = gl(&["lint", &admin, "--config", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("reason"), "{err}");
    let sev = write(
        d.path(),
        "cfg3.json",
        r#"{"severity":{"GL089":"warning","pass-role-with-wildcard-resource":"suggestion"}}"#,
    );
    assert_eq!(gl(&["lint", &admin, "--config", &sev]).0, 0);
}

#[test]
fn baseline_fails_only_on_new_findings() {
    let d = tempfile::tempdir().unwrap();
    let admin = write(d.path(), "admin.json", ADMIN);
    let base = d.path().join("baseline.json").display().to_string();
    assert_eq!(gl(&["lint", &admin, "--write-baseline", &base]).0, 1);
    assert_eq!(gl(&["lint", &admin, "--baseline", &base]).0, 0);
    // A new finding in the same file is not covered.
    write(
        d.path(),
        "admin.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#,
    );
    assert_eq!(gl(&["lint", &admin, "--baseline", &base]).0, 1);
    // A parse error is never accepted by a baseline.
    write(d.path(), "admin.json", "{");
    assert_eq!(gl(&["lint", &admin, "--baseline", &base]).0, 2);
}

#[test]
fn authorization_details_documents_are_named_decoded_and_grouped_per_principal() {
    let d = tempfile::tempdir().unwrap();
    let inline = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}"#;
    let encoded: String = inline
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let gaad = format!(
        r#"{{"UserDetailList":[{{"UserName":"alice","UserPolicyList":[{{"PolicyName":"Deploy","PolicyDocument":"{encoded}"}}],"GroupList":[],"AttachedManagedPolicies":[{{"PolicyName":"Pass","PolicyArn":"arn:aws:iam::111122223333:policy/Pass"}}]}}],
"GroupDetailList":[],
"RoleDetailList":[{{"RoleName":"app","AssumeRolePolicyDocument":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"sts:AssumeRole"}}]}},"RolePolicyList":[],"AttachedManagedPolicies":[]}}],
"Policies":[{{"PolicyName":"Pass","Arn":"arn:aws:iam::111122223333:policy/Pass","PolicyVersionList":[{{"IsDefaultVersion":false,"Document":{{}}}},{{"IsDefaultVersion":true,"Document":{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/x","Condition":{{"StringEquals":{{"iam:PassedToService":"lambda.amazonaws.com"}}}}}}]}}}}]}}]}}"#
    );
    let f = write(d.path(), "gaad.json", &gaad);
    let (code, out, err) = gl(&["lint", &f, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&format!("{f}#user/alice/inline/Deploy").as_str()),
        "{names:?}"
    );
    assert!(names.contains(&format!("{f}#role/app/trust").as_str()));
    assert!(names.contains(&format!("{f}#policy/Pass").as_str()));
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|x| x["name"] == "open-trust-policy"
        && x["file"] == format!("{f}#role/app/trust")));
    // PassRole (managed) + CreateFunction/InvokeFunction (inline) of one user.
    let combo = findings
        .iter()
        .find(|x| x["name"] == "privilege-escalation-combination")
        .expect("combination across the user's policies");
    assert!(combo["message"].as_str().unwrap().contains("inline/Deploy"));
}

#[test]
fn stdin_and_globs() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(["lint", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ADMIN.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"file\": \"<stdin>\""));
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.json", CLEAN);
    write(d.path(), "b.json", ADMIN);
    write(d.path(), "c.txt", "not json");
    let (code, out, _) = gl(&[
        "lint",
        &format!("{}/*.json", d.path().display()),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn one_principal_combines_files() {
    let d = tempfile::tempdir().unwrap();
    let a = write(
        d.path(),
        "pass.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}"#,
    );
    let b = write(
        d.path(),
        "run.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#,
    );
    let (code, _, _) = gl(&["lint", &a, &b]);
    assert_eq!(code, 0, "separate principals: no combination");
    let (code, out, _) = gl(&["lint", &a, &b, "--one-principal", "--format", "json"]);
    assert_eq!(code, 1);
    assert!(out.contains("privilege-escalation-combination"));
}

#[test]
fn rule_command_prints_docs_and_the_table() {
    let (code, out, _) = gl(&["rule", "GL089"]);
    assert_eq!(code, 0);
    for h in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## AWS docs",
        "## Access Analyzer",
    ] {
        assert!(out.contains(h), "{h}");
    }
    assert_eq!(gl(&["rule", "full-admin"]).1, out);
    let (code, _, err) = gl(&["rule", "full-admn"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `full-admin`"), "{err}");
    let (_, table, _) = gl(&["rule", "--markdown-table"]);
    assert_eq!(table, greenlight::lint::docs::markdown_table());
}

fn gl_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `x.json`, `./x.json`, the absolute path and a path from a subfolder name one file: a
/// baseline written with one spelling accepts the others, and `per-path-ignores` patterns are
/// relative to the repository root (or the configuration file's folder).
#[test]
fn baselines_and_per_path_ignores_match_normalised_paths() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("policies")).unwrap();
    std::fs::create_dir_all(repo.join("ci")).unwrap();
    write(&repo.join("policies"), "admin.json", ADMIN);
    let abs = repo.join("policies/admin.json").display().to_string();
    assert_eq!(
        gl_in(repo, &["lint", "--write-baseline", "ci/baseline.json"]).0,
        1
    );
    for (cwd, spelling) in [
        (repo.to_path_buf(), "policies/admin.json"),
        (repo.to_path_buf(), "./policies/admin.json"),
        (repo.to_path_buf(), abs.as_str()),
        (repo.join("policies"), "admin.json"),
    ] {
        let base = repo.join("ci/baseline.json").display().to_string();
        let (code, _, err) = gl_in(&cwd, &["lint", spelling, "--baseline", &base]);
        assert_eq!(code, 0, "{spelling} from {}: {err}", cwd.display());
    }
    // per-path ignores: relative to the repository root, wherever the config file lives
    write(
        &repo.join("ci"),
        "greenlight.json",
        r#"{"per-path-ignores":[{"paths":["policies/admin.json"],"rules":["full-admin","GL094"],"reason":"break-glass role"}]}"#,
    );
    let cfg = repo.join("ci/greenlight.json").display().to_string();
    for (cwd, spelling) in [
        (repo.to_path_buf(), "./policies/admin.json"),
        (repo.to_path_buf(), abs.as_str()),
        (repo.join("policies"), "admin.json"),
        (repo.join("ci"), "../policies"),
    ] {
        let (code, _, err) = gl_in(&cwd, &["lint", spelling, "--config", &cfg]);
        assert_eq!(code, 0, "{spelling} from {}: {err}", cwd.display());
    }
    // greenlight's own files are never linted, and the walk of the repository skips them
    let (code, out, err) = gl_in(
        repo,
        &[
            "lint",
            ".",
            "--config",
            "ci/greenlight.json",
            "--format",
            "json",
            "-v",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("skipped ./ci/baseline.json"), "{err}");
    assert!(err.contains("skipped ./ci/greenlight.json"), "{err}");
}

/// A repository as a new user has it: `greenlight lint .` lints the policies and skips
/// `package.json`, `tsconfig.json` and the rest (counted; listed with `--verbose`); a file
/// named explicitly that holds no policy is exit 2 with a message that says so.
#[test]
fn a_repository_lints_its_policies_and_skips_the_rest() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    std::fs::create_dir_all(repo.join("iam")).unwrap();
    std::fs::create_dir_all(repo.join("node_modules/dep")).unwrap();
    write(
        repo,
        "package.json",
        r#"{"name":"app","version":"1.0.0","dependencies":{"aws-cdk-lib":"2.100.0"}}"#,
    );
    write(
        repo,
        "tsconfig.json",
        "// TypeScript\n{\"compilerOptions\":{\"strict\":true,},}\n",
    );
    write(repo, ".gitignore", "dist/\n");
    std::fs::create_dir_all(repo.join("dist")).unwrap();
    write(&repo.join("dist"), "admin.json", ADMIN);
    write(&repo.join("node_modules/dep"), "package.json", "{}");
    write(&repo.join("iam"), "deploy.json", CLEAN);
    write(repo, "README.md", "# app\n");
    let (code, out, err) = gl_in(repo, &["lint", ".", "--format", "json", "--verbose"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["files"], 1);
    // (`node_modules` is counted as skipped, not walked)
    assert_eq!(v["summary"]["skipped"], 4, "{err}");
    assert!(
        err.contains("skipped ./node_modules: a `node_modules` directory"),
        "{err}"
    );
    assert!(
        err.contains("skipped ./package.json: a JSON object without a policy"),
        "{err}"
    );
    assert!(!err.contains("dist"), "a git-ignored file was read: {err}");
    // --no-ignore walks the ignored folder: its full-admin policy fails the run
    assert_eq!(gl_in(repo, &["lint", ".", "--no-ignore"]).0, 1);
    let (code, out, _) = gl_in(repo, &["lint", "package.json"]);
    assert_eq!(code, 2);
    assert!(out.contains("`package.json` holds no IAM policy"), "{out}");
    // a directory with no policy at all is not a pass
    let (code, _, err) = gl_in(&repo.join("node_modules"), &["lint", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no policy found"), "{err}");
}

/// GL108 compares whole statements: condition values `["a,b"]` and `["a", "b"]` are different
/// sets (IAM matches each value on its own), while the same values in another order are the
/// same statement
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>).
#[test]
fn redundant_statement_compares_condition_values_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let stmt = |values: &str| {
        format!(
            r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":{values}}}}}}}"#
        )
    };
    let policy = |a: &str, b: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{},{}]}}"#,
            stmt(a),
            stmt(b)
        )
    };
    let differ = write(
        dir.path(),
        "differ.json",
        &policy(r#"["a,b"]"#, r#"["a","b"]"#),
    );
    let (_, out, _) = gl(&["lint", &differ, "--format", "json"]);
    assert!(!out.contains("GL108"), "{out}");
    let same = write(
        dir.path(),
        "same.json",
        &policy(r#"["a","b"]"#, r#"["b","a"]"#),
    );
    let (_, out, _) = gl(&["lint", &same, "--format", "json"]);
    assert!(out.contains("GL108"), "{out}");
}

/// GL107 reads a resource item with wildcards as the set of ARNs it matches: `b/a*` covers
/// `b/a?`, never the reverse (`b/a?` does not match `b/abc`).
#[test]
fn redundant_resource_reads_wildcards_as_sets() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "rr.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/a*","arn:aws:s3:::b/a?"]}]}"#,
    );
    let (_, out, _) = gl(&["lint", &p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let msgs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL107")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with("`arn:aws:s3:::b/a?` is redundant"),
        "{msgs:?}"
    );
}

/// A Terraform folder whose module as a whole cannot be read (more undecided conditionals than
/// greenlight reads both ways) is one error, at the folder's first `.tf` file, not one per file
/// of the folder (red team 27); the exit stays 2.
#[test]
fn a_terraform_module_error_is_reported_once_per_folder() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    std::fs::create_dir_all(repo.join("infra")).unwrap();
    let mut main = String::new();
    for i in 0..13 {
        main.push_str(&format!("variable \"c{i}\" {{}}\n"));
    }
    main.push_str("resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n");
    for i in 0..13 {
        main.push_str(&format!(
            "      {{ Effect = \"Allow\", Action = var.c{i} ? \"s3:GetObject\" : \"s3:PutObject\", Resource = \"*\" }},\n"
        ));
    }
    main.push_str("    ]\n  })\n}\n");
    write(&repo.join("infra"), "main.tf", &main);
    write(
        &repo.join("infra"),
        "outputs.tf",
        "output \"x\" {\n  value = 1\n}\n",
    );
    write(&repo.join("infra"), "versions.tf", "terraform {}\n");
    let (code, out, err) = gl_in(repo, &["lint", ".", "--format", "json"]);
    assert_eq!(code, 2, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let n = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "GL018")
        .count();
    assert_eq!(n, 1, "{out}");
}

/// `per-path-ignores` patterns are read as `.gitignore` reads them, from the repository root
/// wherever greenlight runs: `/e.json` is the root's `e.json`, never `prod/e.json` (red team
/// 52: run from `prod/` it ignored `prod/e.json`); `*` stays within a folder
/// (`legacy/*.json` is not `legacy/sub/b.json`; `**` crosses folders); a pattern without a
/// `/` matches at any depth and a folder covers what is under it (red team 53).
#[test]
fn per_path_ignores_match_from_the_root_and_stars_stay_in_a_folder() {
    let d = tempfile::tempdir().unwrap();
    let repo = d.path();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for f in [
        "e.json",
        "prod/e.json",
        "legacy/a.json",
        "legacy/sub/b.json",
    ] {
        let p = repo.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, ADMIN).unwrap();
    }
    write(
        repo,
        "greenlight.json",
        r#"{"per-path-ignores":[{"paths":["/e.json","legacy/*.json"],"rules":["full-admin","GL094"],"reason":"break-glass"}]}"#,
    );
    let cfg = repo.join("greenlight.json").display().to_string();
    let files = |cwd: &std::path::Path, target: &str| -> Vec<String> {
        let (_, out, err) = gl_in(cwd, &["lint", target, "--config", &cfg, "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        let mut f: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "GL089")
            .map(|f| {
                f["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_string()
            })
            .collect();
        f.sort();
        f
    };
    assert_eq!(files(repo, "."), ["legacy/sub/b.json", "prod/e.json"]);
    assert_eq!(files(&repo.join("prod"), "e.json"), ["e.json"]);
    // `**` crosses folders
    write(
        repo,
        "greenlight.json",
        r#"{"per-path-ignores":[{"paths":["legacy/**/*.json"],"rules":["full-admin","GL094"],"reason":"old"}]}"#,
    );
    assert_eq!(files(repo, "."), ["e.json", "prod/e.json"]);
    // no `/`: any depth; a folder: everything under it
    write(
        repo,
        "greenlight.json",
        r#"{"per-path-ignores":[{"paths":["e.json","legacy/"],"rules":["full-admin","GL094"],"reason":"old"}]}"#,
    );
    assert!(files(repo, ".").is_empty());
}

/// A managed policy attached only as a role's permissions boundary is read as a boundary: what
/// it allows bounds the role and grants nothing (IAM User Guide, "Permissions boundaries for
/// IAM entities": the effective permissions are the intersection of the identity policies and
/// the boundary). `iam:PassRole` in the role's policy and `ec2:RunInstances` only in its
/// boundary is no escalation (red team 57: GL098 was reported); both in the role's policy is.
#[test]
fn a_permissions_boundary_supplies_no_piece_of_an_escalation() {
    let template = |inline_actions: &str| {
        format!(
            r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ["ec2:RunInstances", "ec2:Describe*", "iam:PassRole"]
            Resource: "*"
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
      PermissionsBoundary: !Ref Boundary
      Policies:
        - PolicyName: pass
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: {inline_actions}
                Resource: "*"
"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let gl098 = |text: &str| {
        let v = lint_json(dir.path(), "t.yaml", text);
        // (the role's own set: a boundary linted on its own is read as boundary files are)
        v["findings"].as_array().unwrap().iter().any(|f| {
            f["code"] == "GL098"
                && f["file"].as_str().unwrap().contains("#Resources/App/")
                && f["message"].as_str().unwrap().contains("ec2:RunInstances")
        })
    };
    assert!(!gl098(&template("iam:PassRole")));
    assert!(gl098(&template("[iam:PassRole, ec2:RunInstances]")));
}

/// An authorization-details file's `PermissionsBoundary` bounds the user or role: a
/// combination an action of which no `Allow` of the boundary covers is not granted (IAM User
/// Guide, "Permissions boundaries for IAM entities": the intersection). Red team 57: the
/// boundary was not read, and `iam:PassRole` (user) + `ec2:RunInstances` (group) under a
/// boundary allowing `ec2:*` only was GL098. A boundary that allows both still leaves it, and a
/// policy also attached as an identity policy stays one: in the file, or to an entity a
/// filtered export leaves out (`AttachmentCount` above 0; AWS counts boundary use apart).
#[test]
fn an_authorization_details_boundary_rules_out_a_combination() {
    let pol =
        |stmts: serde_json::Value| serde_json::json!({"Version": "2012-10-17", "Statement": stmts});
    let authz = |boundary_actions: &[&str], also_identity: bool, attachments: u32| {
        let arn = "arn:aws:iam::111122223333:policy/dev-boundary";
        serde_json::json!({
            "UserDetailList": [{
                "UserName": "dev", "UserId": "AIDAEXAMPLE", "Path": "/",
                "Arn": "arn:aws:iam::111122223333:user/dev",
                "GroupList": ["devs"], "AttachedManagedPolicies": [],
                "UserPolicyList": [{"PolicyName": "pass", "PolicyDocument":
                    pol(serde_json::json!([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]))}],
                "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
            }],
            "GroupDetailList": [{
                "GroupName": "devs", "GroupId": "AGPAEXAMPLE", "Path": "/",
                "Arn": "arn:aws:iam::111122223333:group/devs",
                "GroupPolicyList": [{"PolicyName": "g", "PolicyDocument":
                    pol(serde_json::json!([{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]))}],
                "AttachedManagedPolicies": if also_identity {
                    serde_json::json!([{"PolicyName": "dev-boundary", "PolicyArn": arn}])
                } else {
                    serde_json::json!([])
                }
            }],
            "RoleDetailList": [],
            "Policies": [{
                "PolicyName": "dev-boundary", "PolicyId": "ANPAEXAMPLE", "Arn": arn, "Path": "/",
                "DefaultVersionId": "v1", "AttachmentCount": attachments,
                "PermissionsBoundaryUsageCount": 1, "IsAttachable": true,
                "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document":
                    pol(serde_json::json!([{"Effect": "Allow", "Action": boundary_actions, "Resource": "*"}]))}]
            }]
        })
        .to_string()
    };
    let dir = tempfile::tempdir().unwrap();
    let gl098 = |text: &str| {
        let v = lint_json(dir.path(), "authz.json", text);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "GL098" && f["file"].as_str().unwrap().contains("#user/dev/"))
    };
    assert!(!gl098(&authz(&["ec2:*"], false, 0)));
    assert!(gl098(&authz(&["ec2:*", "iam:PassRole"], false, 0)));
    assert!(gl098(&authz(&["ec2:*"], true, 1)));
    // attached to a user of the account the export left out: an identity policy there
    assert!(gl098(&authz(&["ec2:*"], false, 1)));
}

/// A managed policy that is one role's permissions boundary and also attached by name to a
/// role the template does not define (`Roles: [other-role]`) is that role's identity policy:
/// it is not read as a boundary only, and its escalation is reported (red team 58: the
/// attachment by name was dropped, the policy became "boundary only" and GL098 disappeared).
#[test]
fn a_boundary_also_attached_by_name_outside_the_template_still_grants() {
    let template = |roles: &str| {
        format!(
            r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: ec2.amazonaws.com}}
            Action: sts:AssumeRole
      PermissionsBoundary: !Ref P
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      {roles}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [iam:PassRole, ec2:RunInstances]
            Resource: "*"
"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    // (GL098 reported, and the type P's document is read as)
    let lint = |text: &str| {
        let v = lint_json(dir.path(), "t.yaml", text);
        let gl098 =
            v["findings"].as_array().unwrap().iter().any(|f| {
                f["code"] == "GL098" && f["file"].as_str().unwrap().contains("#Resources/P/")
            });
        let t = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"].as_str().unwrap().contains("#Resources/P/"))
            .map(|f| f["policy_type"].as_str().unwrap().to_string());
        (gl098, t)
    };
    for roles in ["Roles: [other-role]", "Users: [alice]", "Groups: [ops]"] {
        assert_eq!(
            lint(&template(roles)),
            (true, Some("identity".to_string())),
            "{roles}"
        );
    }
    // a boundary only: read as one (linted on its own as boundary files are)
    assert_eq!(
        lint(&template("Description: boundary")).1.as_deref(),
        Some("boundary")
    );
}

/// A YAML template whose root mapping is indented (`---` then `  AWSTemplateFormatVersion:`,
/// valid YAML that CloudFormation and PyYAML read; the awslabs template
/// `VPC_With_Managed_NAT_And_Private_Subnet.yaml` is written so) is a template: in a walk it
/// was skipped as "no policy" and the run passed with a role open to every account (red team
/// 60).
#[test]
fn an_indented_root_mapping_is_read_as_a_template() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "stack.yaml",
        "---\n  AWSTemplateFormatVersion: \"2010-09-09\"\n  Resources:\n    AdminRole:\n      Type: AWS::IAM::Role\n      Properties:\n        AssumeRolePolicyDocument:\n          Version: \"2012-10-17\"\n          Statement:\n            - Effect: Allow\n              Principal: {AWS: \"*\"}\n              Action: sts:AssumeRole\n",
    );
    write(
        dir.path(),
        "ok.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
    );
    let (code, out, err) = gl(&[
        "lint",
        &dir.path().display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "GL072"),
        "{v}"
    );
}

/// A directory linted as one run (its workers take several inputs at a time and lint the
/// policy files of a batch rule by rule) reports, file by file, what linting each file on its
/// own reports: with repeated texts inside one batch and across batches, a CloudFormation
/// template, a file that does not parse and one that holds no policy among them.
#[test]
fn a_directory_reports_what_each_file_reports_alone() {
    let d = tempfile::tempdir().unwrap();
    const TEMPLATE: &str = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}, "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]}}]}}}}"#;
    const ESCALATION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreatePolicyVersion","s3:*"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    // (a combination across statements: found by a rule over a principal's policies)
    const COMBINATION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}"#;
    let texts = [
        ADMIN,
        WARN_ONLY,
        CLEAN,
        ESCALATION,
        TRUST,
        COMBINATION,
        ADMIN,
        ESCALATION,
    ];
    let mut files = Vec::new();
    for i in 0..23 {
        files.push(write(
            d.path(),
            &format!("p{i:02}.json"),
            texts[i % texts.len()],
        ));
    }
    files.push(write(d.path(), "q-template.json", TEMPLATE));
    files.push(write(d.path(), "q-bad.json", r#"{"Statement": [}"#));
    write(d.path(), "q-notes.json", r#"{"name": "not a policy"}"#);
    let dir = d.path().display().to_string();
    let (code, out, err) = gl(&["lint", &dir, "--format", "json"]);
    assert_eq!(code, 2, "a file that does not parse: {err}");
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut alone_total = 0;
    for f in &files {
        let (_, out, err) = gl(&["lint", f, "--format", "json"]);
        let alone: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
        let want = alone["findings"].as_array().unwrap();
        let got: Vec<&serde_json::Value> = all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| {
                // (a template's documents are named after it: `FILE#Resources/...`)
                let name = x["file"].as_str().unwrap();
                name == f
                    || name
                        .strip_prefix(f.as_str())
                        .is_some_and(|r| r.starts_with('#'))
            })
            .collect();
        assert_eq!(got, want.iter().collect::<Vec<_>>(), "{f}");
        alone_total += want.len();
    }
    assert_eq!(all["findings"].as_array().unwrap().len(), alone_total);
    assert!(alone_total > 40, "{alone_total}");
    // (the combination in the policy files, not only in the template)
    assert!(
        all["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "GL098" && x["file"].as_str().unwrap().ends_with("p05.json")),
        "{out}"
    );
}
