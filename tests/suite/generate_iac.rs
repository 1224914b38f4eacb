//! `generate --format cloudformation|terraform` (issue 12, section 4): every shipped profile's
//! generated template is read back — CloudFormation by greenlight's own template reader
//! (`check --template`, `lint`), Terraform by extracting the `jsonencode(...)` documents and by
//! a plan JSON built from the configuration — and checked: zero gaps. The documents inside are
//! the ones `--format json` prints, unchanged.
//!
//! Formats: CloudFormation template anatomy
//! https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html,
//! `AWS::IAM::Role` https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html,
//! `AWS::IAM::ManagedPolicy` https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-managedpolicy.html;
//! Terraform `aws_iam_role` https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role,
//! `aws_iam_role_policy` https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy,
//! `aws_iam_policy` https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy,
//! plan JSON https://developer.hashicorp.com/terraform/internals/json-format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use greenlight::parse::json::{Kind, Value as Tree};
use serde_json::{Value, json};

/// An account ID with a leading zero: YAML 1.1 reads `012345678901` unquoted as an octal
/// integer (https://yaml.org/type/int.html), so the template must quote it.
const ACCOUNT: &str = "012345678901";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .env("NO_COLOR", "1")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(r.code, 0, "{args:?}\n{}\n{}", r.stdout, r.stderr);
    r
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("generate-iac-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Every shipped profile: (id, is a role profile).
fn profiles() -> Vec<(String, bool)> {
    let r = ok(&["profiles", "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let list: Vec<(String, bool)> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["principal"] == "role",
            )
        })
        .collect();
    assert!(list.len() >= 8, "{list:?}");
    list
}

/// `generate --format json`: the documents, in order.
fn json_documents(profile: &str, extra: &[&str]) -> Vec<Value> {
    let param = format!("account={ACCOUNT}");
    let mut args = vec!["generate", "--profile", profile, "--param", &param];
    args.extend_from_slice(extra);
    let v: Value = serde_json::from_str(&ok(&args).stdout).unwrap();
    match v {
        Value::Array(a) => a,
        one => vec![one],
    }
}

fn trust_document(profile: &str) -> Value {
    let param = format!("account={ACCOUNT}");
    let r = ok(&[
        "generate",
        "--profile",
        profile,
        "--param",
        &param,
        "--trust",
    ]);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The template with every account, Region and partition given (written literally, as the
/// JSON documents hold them; [`without_params_the_template_names_the_deploying_account`] covers
/// the pseudo parameters).
fn generate(profile: &str, format: &str, extra: &[&str]) -> String {
    let param = format!("account={ACCOUNT}");
    let mut args = vec![
        "generate",
        "--profile",
        profile,
        "--param",
        &param,
        "--param",
        "region=us-east-1",
        "--param",
        "partition=aws",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    ok(&args).stdout
}

fn gaps(out: &str) -> u64 {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["gaps"].as_u64().unwrap()
}

// ---- CloudFormation -----------------------------------------------------------------------------

/// The spanned tree greenlight reads templates into, as serde_json (numbers as written).
fn to_json(t: &Tree) -> Value {
    match &t.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) => serde_json::from_str(n).unwrap(),
        Kind::String(s) => Value::String(s.clone()),
        Kind::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Kind::Object(m) => Value::Object(
            m.iter()
                .map(|m| (m.key.clone(), to_json(&m.value)))
                .collect(),
        ),
    }
}

/// The template as read by greenlight's YAML reader (which reads scalars as CloudFormation
/// does: an unquoted `2012-10-17` stays a string, so this alone cannot show the quoting; the
/// quoting is asserted on the text).
fn read_yaml(text: &str) -> Value {
    let source = greenlight::source::Source::new("generated.yaml", text);
    to_json(&greenlight::iac::yaml::parse(&source).unwrap())
}

/// The logical id the template gives the profile's role or policies.
fn logical_id(profile: &str) -> String {
    profile
        .split('-')
        .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
        .collect()
}

/// Every value a YAML 1.1 reader would turn into something else is quoted in the text
/// (https://yaml.org/type/timestamp.html, https://yaml.org/type/int.html; `*` starts an
/// alias, https://yaml.org/spec/1.2.2/#71-alias-nodes).
fn assert_quoted(text: &str) {
    assert!(text.contains("Version: '2012-10-17'"), "{text}");
    for line in text.lines() {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let value = t.split_once(": ").map_or(t, |(_, v)| v);
        assert!(
            !value.starts_with(|c: char| c.is_ascii_digit() || c == '*'),
            "unquoted: {line}"
        );
    }
}

/// Adds a user with the template's managed policies, so that `check --template --user` can
/// read them through `ManagedPolicyArns: [!Ref ...]` as CloudFormation attaches them.
fn with_test_user(template: &str, policy_ids: &[String]) -> String {
    let mut user = String::from(
        "Resources:\n  GreenlightTestUser:\n    Type: AWS::IAM::User\n    Properties:\n      ManagedPolicyArns:\n",
    );
    for id in policy_ids {
        user.push_str(&format!("        - !Ref {id}\n"));
    }
    assert_eq!(template.matches("\nResources:\n").count(), 1);
    template.replacen("Resources:\n", &user, 1)
}

/// Every shipped profile: the CloudFormation template is a complete template whose policy
/// documents are the `--format json` documents; `check --template` on its role (role profiles)
/// or on a user holding its managed policies (user profiles) finds zero gaps, with the trust
/// policy checked; `lint` finds no error.
#[test]
fn every_profile_as_cloudformation_reads_back_with_zero_gaps() {
    let dir = scratch("cfn");
    for (profile, role) in profiles() {
        let text = generate(&profile, "cloudformation", &[]);
        assert!(
            text.starts_with("AWSTemplateFormatVersion: '2010-09-09'\n"),
            "{text}"
        );
        assert_quoted(&text);
        let tree = read_yaml(&text);
        let resources = tree["Resources"].as_object().unwrap();
        let documents = json_documents(&profile, &[]);
        let id = logical_id(&profile);
        let path = write(&dir, &format!("{profile}.yaml"), &text);
        let account = ["--account", ACCOUNT];
        // (the confused-deputy condition where the documentation confirms the service sends
        // it: not for the ECS-native roles, whose documented trust policies have none)
        if role && !profile.starts_with("ecs-native") {
            assert!(
                text.contains(&format!("aws:SourceAccount: '{ACCOUNT}'\n")),
                "{text}"
            );
        }
        let check = if role {
            let r = &resources[&id];
            assert_eq!(r["Type"], "AWS::IAM::Role", "{profile}");
            assert_eq!(
                r["Properties"]["AssumeRolePolicyDocument"],
                trust_document(&profile)
            );
            let inline: Vec<Value> = r["Properties"]["Policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["PolicyDocument"].clone())
                .collect();
            assert_eq!(inline, documents, "{profile}");
            assert_eq!(
                tree["Outputs"]["RoleArn"]["Value"],
                json!({"Fn::GetAtt": [id.clone(), "Arn"]})
            );
            let mut args = vec!["check", "--format", "json", "--profile", &profile];
            args.extend_from_slice(&["--template", &path, "--role", &id]);
            args.extend_from_slice(&account);
            run(&args)
        } else {
            let ids: Vec<String> = if documents.len() == 1 {
                vec![format!("{id}Policy")]
            } else {
                (1..=documents.len())
                    .map(|n| format!("{id}Policy{n}"))
                    .collect()
            };
            assert_eq!(resources.len(), ids.len(), "{profile}: {text}");
            for (rid, d) in ids.iter().zip(&documents) {
                assert_eq!(resources[rid]["Type"], "AWS::IAM::ManagedPolicy");
                assert_eq!(&resources[rid]["Properties"]["PolicyDocument"], d);
                assert_eq!(
                    tree["Outputs"][format!("{rid}Arn")]["Value"],
                    json!({"Ref": rid})
                );
            }
            let user = write(
                &dir,
                &format!("{profile}-with-user.yaml"),
                &with_test_user(&text, &ids),
            );
            let mut args = vec!["check", "--format", "json", "--profile", &profile];
            args.extend_from_slice(&["--template", &user, "--user", "GreenlightTestUser"]);
            args.extend_from_slice(&account);
            run(&args)
        };
        assert_eq!(
            check.code, 0,
            "{profile}\n{}\n{}",
            check.stdout, check.stderr
        );
        assert_eq!(gaps(&check.stdout), 0, "{profile}");
        let report: Value = serde_json::from_str(&check.stdout).unwrap();
        if role {
            assert_eq!(report["profiles"][0]["trust"]["decision"], "allowed");
        }
        // lint: no error (security findings, such as the console profiles' IAM actions, are
        // the profile's documented needs)
        let lint = run(&["lint", "--format", "json", &path]);
        assert!(lint.code == 0 || lint.code == 1, "{}", lint.stderr);
        let v: Value = serde_json::from_str(&lint.stdout).unwrap();
        let errors: Vec<&Value> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{profile}: {errors:?}");
        assert_eq!(
            v["files"].as_array().unwrap().len(),
            documents.len() + usize::from(role),
            "{profile}: {}",
            lint.stdout
        );
    }
}

// ---- Terraform ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Attr {
    /// A quoted string (HCL's `$${` / `%%{` escapes undone).
    Str(String),
    /// A reference such as `aws_iam_role.x.id`.
    Ref(String),
    /// `jsonencode(...)` of a JSON document.
    Json(Value),
}

#[derive(Debug)]
struct Block {
    ty: String,
    name: String,
    attrs: BTreeMap<String, Attr>,
}

/// HCL's template escapes undone in every string of a value
/// (https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences).
fn unescape(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("$${", "${").replace("%%{", "%{")),
        Value::Array(a) => Value::Array(a.into_iter().map(unescape).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, unescape(v))).collect()),
        other => other,
    }
}

/// One JSON value at the start of `text`, and the rest.
fn json_prefix(text: &str) -> (Value, &str) {
    let mut it = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let v = it.next().unwrap().unwrap();
    let used = it.byte_offset();
    (v, &text[used..])
}

fn identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A reader for the subset of HCL `generate` writes: `resource "TYPE" "NAME" { key = value }`
/// blocks whose values are quoted strings, references or `jsonencode(<JSON>)`. Anything else
/// fails the test.
fn parse_tf(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (header, body) = rest.split_once(" {\n").unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 3, "{header}");
        assert_eq!(parts[0], "resource", "{header}");
        let ty = parts[1].trim_matches('"').to_string();
        let name = parts[2].trim_matches('"').to_string();
        assert!(identifier(&name), "{name}");
        let mut attrs = BTreeMap::new();
        rest = body;
        loop {
            if let Some(after) = rest.strip_prefix("}\n").or_else(|| rest.strip_prefix('}')) {
                rest = after;
                break;
            }
            let (key, value) = rest.trim_start().split_once(" = ").unwrap();
            let key = key.trim_end();
            assert!(identifier(key), "{key}");
            let value = value.trim_start();
            let (attr, after) = if let Some(j) = value.strip_prefix("jsonencode(") {
                let (v, after) = json_prefix(j);
                let after = after.strip_prefix(")\n").unwrap();
                (Attr::Json(unescape(v)), after)
            } else if value.starts_with('"') {
                let (v, after) = json_prefix(value);
                let after = after.strip_prefix('\n').unwrap();
                (Attr::Str(unescape(v).as_str().unwrap().to_string()), after)
            } else {
                let (r, after) = value.split_once('\n').unwrap();
                assert!(
                    r.split('.').count() == 3 && r.split('.').all(identifier),
                    "{r}"
                );
                (Attr::Ref(r.to_string()), after)
            };
            assert!(attrs.insert(key.to_string(), attr).is_none(), "{key} twice");
            rest = after;
        }
        blocks.push(Block { ty, name, attrs });
    }
    blocks
}

fn s(a: Option<&Attr>) -> String {
    match a {
        Some(Attr::Str(s)) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

fn doc(a: Option<&Attr>) -> Value {
    match a {
        Some(Attr::Json(v)) => v.clone(),
        other => panic!("not jsonencode: {other:?}"),
    }
}

/// A plan (`terraform show -json`) holding what the configuration would create, the values as
/// the AWS provider knows them after apply, as in a plan of an update (the role's `id` is its
/// name; ARNs are built from names, as IAM builds them).
fn plan(blocks: &[Block], user: bool) -> Value {
    let mut resources = Vec::new();
    let mut res = |ty: &str, name: &str, values: Value| {
        resources.push(json!({
            "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
            "values": values,
        }));
    };
    let names: BTreeMap<String, String> = blocks
        .iter()
        .map(|b| (format!("{}.{}", b.ty, b.name), s(b.attrs.get("name"))))
        .collect();
    let arn = |name: &str| format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
    let target = |a: Option<&Attr>| match a {
        Some(Attr::Ref(r)) => {
            let (res, attr) = r.rsplit_once('.').unwrap();
            let name = &names[res];
            if attr == "arn" {
                arn(name)
            } else {
                name.clone()
            }
        }
        other => panic!("not a reference: {other:?}"),
    };
    for b in blocks {
        let values = match b.ty.as_str() {
            "aws_iam_role" => {
                let name = s(b.attrs.get("name"));
                let path = b.attrs.get("path").map(|p| s(Some(p)));
                let mut v = json!({
                    "name": name,
                    "arn": format!("arn:aws:iam::{ACCOUNT}:role{}{name}", path.as_deref().unwrap_or("/")),
                    "assume_role_policy": doc(b.attrs.get("assume_role_policy")).to_string(),
                });
                if let Some(p) = path {
                    v["path"] = json!(p);
                }
                v
            }
            "aws_iam_role_policy" => json!({
                "name": s(b.attrs.get("name")),
                "role": target(b.attrs.get("role")),
                "policy": doc(b.attrs.get("policy")).to_string(),
            }),
            "aws_iam_policy" => json!({
                "name": s(b.attrs.get("name")),
                "arn": arn(&s(b.attrs.get("name"))),
                "policy": doc(b.attrs.get("policy")).to_string(),
            }),
            "aws_iam_role_policy_attachment" => json!({
                "role": target(b.attrs.get("role")),
                "policy_arn": target(b.attrs.get("policy_arn")),
            }),
            other => panic!("unexpected resource type {other}"),
        };
        res(&b.ty, &b.name, values);
    }
    if user {
        res(
            "aws_iam_user",
            "test",
            json!({"name": "greenlight-test", "arn": format!("arn:aws:iam::{ACCOUNT}:user/greenlight-test")}),
        );
        for b in blocks.iter().filter(|b| b.ty == "aws_iam_policy") {
            res(
                "aws_iam_user_policy_attachment",
                &b.name,
                json!({"user": "greenlight-test", "policy_arn": arn(&s(b.attrs.get("name")))}),
            );
        }
    }
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": resources}},
    })
}

/// Every shipped profile: the Terraform configuration's `jsonencode` bodies are JSON (so also
/// HCL object syntax) equal to the `--format json` documents; those documents as files pass
/// `check` (with `--trust-policy` for roles) with zero gaps, and so does a plan JSON built
/// from the configuration, read by greenlight's plan reader.
#[test]
fn every_profile_as_terraform_reads_back_with_zero_gaps() {
    let dir = scratch("tf");
    for (profile, role) in profiles() {
        let text = generate(&profile, "terraform", &[]);
        let blocks = parse_tf(&text);
        let documents = json_documents(&profile, &[]);
        let base = profile.replace('-', "_");
        let param = format!("account={ACCOUNT}");
        let mut args: Vec<String> = ["check", "--format", "json", "--profile", &profile]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(["--param".into(), param.clone()]);
        let policies: Vec<&Block> = blocks
            .iter()
            .filter(|b| b.ty == "aws_iam_role_policy" || b.ty == "aws_iam_policy")
            .collect();
        let got: Vec<Value> = policies
            .iter()
            .map(|b| doc(b.attrs.get("policy")))
            .collect();
        assert_eq!(got, documents, "{profile}");
        for (i, d) in got.iter().enumerate() {
            args.push(write(&dir, &format!("{profile}-{i}.json"), &d.to_string()));
        }
        if role {
            let r = &blocks[0];
            assert_eq!(
                (r.ty.as_str(), r.name.as_str()),
                ("aws_iam_role", base.as_str())
            );
            let trust = doc(r.attrs.get("assume_role_policy"));
            assert_eq!(trust, trust_document(&profile));
            for p in &policies {
                assert_eq!(p.ty, "aws_iam_role_policy");
                assert_eq!(
                    p.attrs.get("role"),
                    Some(&Attr::Ref(format!("aws_iam_role.{base}.id")))
                );
            }
            args.push("--trust-policy".into());
            args.push(write(
                &dir,
                &format!("{profile}-trust.json"),
                &trust.to_string(),
            ));
        } else {
            assert!(policies.iter().all(|b| b.ty == "aws_iam_policy"));
            assert_eq!(policies.len(), blocks.len());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        assert_eq!(r.code, 0, "{profile}\n{}\n{}", r.stdout, r.stderr);
        assert_eq!(gaps(&r.stdout), 0, "{profile}");
        if role {
            let v: Value = serde_json::from_str(&r.stdout).unwrap();
            assert_eq!(v["profiles"][0]["trust"]["decision"], "allowed");
        }
        // the same through greenlight's plan reader
        let plan_path = write(
            &dir,
            &format!("{profile}-plan.json"),
            &plan(&blocks, !role).to_string(),
        );
        let (flag, principal) = if role {
            ("--role", format!("aws_iam_role.{base}"))
        } else {
            ("--user", "aws_iam_user.test".to_string())
        };
        // the plan reader takes the account from the plan, not from `--account`: the profile's
        // account is given as a parameter
        let r = run(&[
            "check",
            "--format",
            "json",
            "--profile",
            &profile,
            "--template",
            &plan_path,
            flag,
            &principal,
            "--param",
            &param,
        ]);
        assert_eq!(r.code, 0, "{profile}\n{}\n{}", r.stdout, r.stderr);
        assert_eq!(gaps(&r.stdout), 0, "{profile}");
    }
}

// ---- modes --------------------------------------------------------------------------------------

/// `--missing-from` emits only the missing part, as a managed policy (to attach to the existing
/// principal), also for a role profile; nothing missing prints nothing and exits 0.
#[test]
fn missing_from_emits_the_missing_part() {
    let dir = scratch("missing");
    let role = "ecs-codedeploy-service-role";
    let mut full = json_documents(role, &[]).remove(0);
    // drop the `iam:PassRole` statement: that is what is missing
    let statements = full["Statement"].as_array_mut().unwrap();
    let before = statements.len();
    statements.retain(|s| s["Action"] != "iam:PassRole");
    assert_eq!(statements.len(), before - 1);
    let partial = write(&dir, "partial.json", &full.to_string());
    let want = json_documents(role, &["--missing-from", &partial]);
    let cfn = generate(role, "cloudformation", &["--missing-from", &partial]);
    let tree = read_yaml(&cfn);
    let resources = tree["Resources"].as_object().unwrap();
    assert_eq!(resources.len(), 1, "{cfn}");
    let (id, r) = resources.iter().next().unwrap();
    assert_eq!(id, "EcsCodedeployServiceRolePolicy");
    assert_eq!(r["Type"], "AWS::IAM::ManagedPolicy");
    assert_eq!(r["Properties"]["PolicyDocument"], want[0]);
    assert!(r["Properties"].get("Roles").is_none());
    for st in want[0]["Statement"].as_array().unwrap() {
        assert_eq!(st["Action"], "iam:PassRole");
    }
    let tf = parse_tf(&generate(role, "terraform", &["--missing-from", &partial]));
    assert_eq!(tf.len(), 1);
    assert_eq!(tf[0].ty, "aws_iam_policy");
    let patch = doc(tf[0].attrs.get("policy"));
    assert_eq!(patch, want[0]);
    // the partial policy plus the patch: zero gaps
    let patch = write(&dir, "patch.json", &patch.to_string());
    let param = format!("account={ACCOUNT}");
    let r = run(&[
        "check",
        "--format",
        "json",
        "--profile",
        role,
        "--param",
        &param,
        &partial,
        &patch,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // the profile's identity part only: the trust policy is not given
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["profiles"][0]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["decision"] == "allowed")
    );
    // nothing missing: empty stdout, exit 0, said on stderr
    let complete = write(
        &dir,
        "complete.json",
        &json_documents(role, &[])[0].to_string(),
    );
    for format in ["cloudformation", "terraform"] {
        let param = format!("account={ACCOUNT}");
        let r = run(&[
            "generate",
            "--profile",
            role,
            "--param",
            &param,
            "--format",
            format,
            "--missing-from",
            &complete,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(r.stderr.contains("nothing is missing"), "{}", r.stderr);
    }
}

/// `--out-dir DIR` writes `DIR/<profile>.yaml` / `DIR/<profile>.tf` (the same text stdout would
/// hold) and nothing to stdout; `--format json` keeps `<profile>-<n>.json`.
#[test]
fn out_dir_writes_one_template_file() {
    let dir = scratch("out");
    let d = dir.to_string_lossy().into_owned();
    let console = "ecs-bluegreen-console-create-service";
    for (format, ext) in [("cloudformation", "yaml"), ("terraform", "tf")] {
        let stdout = generate(console, format, &[]);
        let r = ok(&[
            "generate",
            "--profile",
            console,
            "--param",
            &format!("account={ACCOUNT}"),
            "--param",
            "region=us-east-1",
            "--param",
            "partition=aws",
            "--format",
            format,
            "--out-dir",
            &d,
        ]);
        assert_eq!(r.stdout, "");
        let file = dir.join(format!("{console}.{ext}"));
        assert!(
            r.stderr.contains(&format!("wrote {}", file.display())),
            "{}",
            r.stderr
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [format!("{console}.tf"), format!("{console}.yaml")]);
}

/// `--format json` is the default and unchanged; `--trust` is JSON only (the templates already
/// hold the trust policy): exit 2 with a clear message; an unknown format is a usage error.
#[test]
fn json_is_the_default_and_trust_is_json_only() {
    let role = "ecs-codedeploy-service-role";
    assert_eq!(
        ok(&["generate", "--profile", role]).stdout,
        ok(&["generate", "--profile", role, "--format", "json"]).stdout
    );
    for format in ["cloudformation", "terraform"] {
        let r = run(&["generate", "--profile", role, "--trust", "--format", format]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert!(r.stderr.contains("does not combine"), "{}", r.stderr);
    }
    let r = run(&["generate", "--profile", role, "--format", "yaml"]);
    assert_eq!(r.code, 2);
}

/// A role name with a path (`--param codedeploy_role=service-role/...`) becomes `Path` /
/// `path` and the role name: the ARN check builds (`role/service-role/NAME`) matches.
#[test]
fn a_role_path_is_split_off_the_name() {
    let dir = scratch("path");
    let role = "ecs-codedeploy-service-role";
    let extra = ["--param", "codedeploy_role=service-role/deploy"];
    let cfn = generate(role, "cloudformation", &extra);
    assert!(
        cfn.contains("      RoleName: deploy\n      Path: '/service-role/'\n"),
        "{cfn}"
    );
    let path = write(&dir, "role.yaml", &cfn);
    let r = run(&[
        "check",
        "--format",
        "json",
        "--profile",
        role,
        "--param",
        "codedeploy_role=service-role/deploy",
        "--template",
        &path,
        "--role",
        "EcsCodedeployServiceRole",
        "--account",
        ACCOUNT,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(gaps(&r.stdout), 0);
    let tf = parse_tf(&generate(role, "terraform", &extra));
    assert_eq!(tf[0].attrs.get("name"), Some(&Attr::Str("deploy".into())));
    assert_eq!(
        tf[0].attrs.get("path"),
        Some(&Attr::Str("/service-role/".into()))
    );
}

/// Without `--param account=|region=|partition=`, the profile's example values (the AWS docs'
/// `123456789012`, `us-east-1`) are not written into the template: it names the deploying
/// account, Region and partition through CloudFormation's pseudo parameters
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html)
/// and Terraform's `aws_caller_identity`, `aws_region` and `aws_partition` data sources
/// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/caller_identity).
/// Read back with `check --template` and no `--account`, every role profile has zero gaps:
/// the template and the profile stand for the same account.
#[test]
fn without_params_the_template_names_the_deploying_account() {
    let dir = scratch("pseudo");
    for (profile, role) in profiles().into_iter().filter(|(_, role)| *role) {
        assert!(role);
        let id = logical_id(&profile);
        let cfn = ok(&[
            "generate",
            "--profile",
            &profile,
            "--format",
            "cloudformation",
        ]);
        assert!(cfn.stderr.contains("pseudo parameters"), "{}", cfn.stderr);
        let text = cfn.stdout;
        assert!(!text.contains("123456789012"), "{profile}: {text}");
        assert!(!text.contains("us-east-1"), "{profile}: {text}");
        assert!(text.contains("${AWS::AccountId}"), "{profile}: {text}");
        assert!(
            text.contains("!Sub 'arn:${AWS::Partition}:"),
            "{profile}: {text}"
        );
        let path = write(&dir, &format!("{profile}.yaml"), &text);
        let tf_dir = dir.join(&profile);
        std::fs::create_dir_all(&tf_dir).unwrap();
        let tf = ok(&["generate", "--profile", &profile, "--format", "terraform"]).stdout;
        assert!(!tf.contains("123456789012"), "{profile}: {tf}");
        assert!(
            tf.starts_with("data \"aws_partition\" \"current\" {}\n"),
            "{profile}: {tf}"
        );
        assert!(
            tf.contains("${data.aws_caller_identity.current.account_id}"),
            "{tf}"
        );
        let tf_path = write(&tf_dir, "main.tf", &tf);
        let name = tf
            .split("resource \"aws_iam_role\" \"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        let address = format!("aws_iam_role.{name}");
        for (template, principal) in [(&path, id.as_str()), (&tf_path, address.as_str())] {
            let mut args = vec!["check", "--format", "json", "--profile", &profile];
            args.extend_from_slice(&["--template", template, "--role", principal]);
            let r = run(&args);
            assert_eq!(
                r.code, 0,
                "{profile} {template}\n{}\n{}",
                r.stdout, r.stderr
            );
            assert_eq!(gaps(&r.stdout), 0, "{profile} {template}");
            // the same with the account and Region given, in other partitions too: both sides
            // take them (the profile's partition follows the Region)
            for region in ["eu-west-1", "cn-north-1", "us-gov-west-1"] {
                let mut with = args.clone();
                with.extend_from_slice(&["--account", ACCOUNT, "--region", region]);
                let r = run(&with);
                assert_eq!(
                    r.code, 0,
                    "{profile} {template} {region}\n{}\n{}",
                    r.stdout, r.stderr
                );
            }
        }
    }
    // a value given is written as given
    let text = ok(&[
        "generate",
        "--profile",
        "ecs-codedeploy-service-role",
        "--format",
        "cloudformation",
        "--param",
        &format!("account={ACCOUNT}"),
    ])
    .stdout;
    assert!(
        text.contains(&format!("aws:SourceAccount: '{ACCOUNT}'\n")),
        "{text}"
    );
    assert!(!text.contains("${AWS::AccountId}"), "{text}");
    assert!(text.contains("${AWS::Region}"), "{text}");
}

/// A document split to fit the 6,144-character quota with the example Region could exceed it
/// once deployed in a Region with a longer name (`ap-southeast-2`, red-team pass 20): then the
/// template writes the example values literally, and says so.
#[test]
fn a_document_near_the_quota_keeps_literal_values() {
    let r = ok(&[
        "generate",
        "--profile",
        "ecs-bluegreen-console-create-service",
        "--format",
        "terraform",
    ]);
    assert!(r.stderr.contains("could exceed"), "{}", r.stderr);
    assert!(!r.stdout.contains("data.aws_region"), "{}", r.stdout);
    assert!(r.stdout.contains("us-east-1"), "{}", r.stdout);
}
