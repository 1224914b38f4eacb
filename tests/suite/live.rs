//! `--live` against a real IAM emulator: a `moto_server` (PyPI `moto[server]`) on a free
//! loopback port, seeded with boto3 (tests/fixtures/live/seed.py). The same account exported
//! the way `aws iam get-account-authorization-details` prints it (export.py) must give the same
//! results. Faults: endpoint down, a server that never answers, AccessDenied, a corrupt document,
//! no credentials.
//!
//! `moto_server` comes from PATH, or else is installed once into `target/moto-venv`
//! (tests/suite/support/moto.rs); the tests fail (they do not skip) when neither works, which needs
//! only a missing `python3`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const USER_PROFILE: &str = "ecs-bluegreen-codedeploy-user";
const ROLE_PROFILE: &str = "ecs-codedeploy-service-role";
/// Fake credentials, distinctive so a test can prove they are never printed.
const KEY_ID: &str = "AKIAFAKEGREENLIGHT01";
const SECRET: &str = "fake/Secret+Never-Printed/0123456789abcd";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Moto {
    child: Child,
    url: String,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn start(env: &[(&str, &str)]) -> Moto {
        let port = free_port();
        let server = &crate::support::moto::tools().server;
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", server.display()));
        let mut moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("`moto_server` exited at start ({status})");
            }
            if moto
                .http("GET", "/moto-api/", "")
                .starts_with("HTTP/1.0 200")
                || moto
                    .http("GET", "/moto-api/", "")
                    .starts_with("HTTP/1.1 200")
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "`moto_server` did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// A raw HTTP/1.0 request (text/plain body); returns the whole response, or "" when the
    /// server is not up.
    fn http(&self, method: &str, path: &str, body: &str) -> String {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return String::new();
        };
        let req = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if s.write_all(req.as_bytes()).is_err() {
            return String::new();
        }
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    fn python(&self, script: &str, args: &[&str]) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/live")
            .join(script);
        let out = Command::new(&crate::support::moto::tools().python)
            .arg(path)
            .arg(&self.url)
            .args(args)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{script} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn seed(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.python("seed.py", args)).unwrap()
    }

    fn export(&self, dir: &Path) -> PathBuf {
        let file = dir.join("account.json");
        self.python("export.py", &[file.to_str().unwrap()]);
        file
    }
}

/// Runs greenlight with a clean environment: fake keys, no shared config, no IMDS.
fn greenlight(args: &[&str], env: &[(&str, &str)], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

fn entry<'a>(scan: &'a Value, name: &str, profile: &str) -> &'a Value {
    scan["principals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name && p["profile"] == profile)
        .unwrap_or_else(|| panic!("no result for {name} / {profile}"))
}

fn without_lines(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("line");
                if let Some(Value::String(d)) = m.get_mut("blockedByDetail") {
                    *d = unline(d);
                }
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

fn scan_args<'a>(source: &'a [&'a str]) -> Vec<&'a str> {
    let mut a = vec!["scan"];
    a.extend_from_slice(source);
    a.extend_from_slice(&[
        "--profile",
        USER_PROFILE,
        "--profile",
        ROLE_PROFILE,
        "--format",
        "json",
    ]);
    a
}

#[test]
fn live_scan_matches_the_exported_file() {
    let moto = Moto::start(&[]);
    moto.seed(&[]);
    let home = tempfile::tempdir().unwrap();
    let live = greenlight(
        &scan_args(&["--live", "--endpoint-url", &moto.url]),
        &[],
        home.path(),
    );
    let out = text(&live);
    assert!(
        !out.contains(SECRET) && !out.contains(KEY_ID),
        "credentials printed"
    );
    let live_json = json(&live);
    // bob is explicitly denied codedeploy:StopDeployment: gaps, exit 1.
    assert_eq!(live.status.code(), Some(1), "{out}");

    let file = moto.export(home.path());
    let offline = greenlight(
        &scan_args(&["--authorization-details", file.to_str().unwrap()]),
        &[],
        home.path(),
    );
    assert_eq!(offline.status.code(), Some(1), "{}", text(&offline));
    let offline_json = json(&offline);
    // `blockedByDetail` names a statement's line in the document as it was read: the API
    // returns each policy URL-encoded on one line, the exported file holds it pretty-printed.
    // Everything else agrees.
    assert_eq!(
        without_lines(live_json["principals"].clone()),
        without_lines(offline_json["principals"].clone())
    );
    assert_eq!(
        live_json["summary"]["complete"],
        offline_json["summary"]["complete"]
    );

    // alice holds everything through the group's customer managed policy (default version v2).
    let alice = entry(&live_json, "alice", USER_PROFILE);
    assert_eq!(alice["status"], "complete", "{alice}");
    // bob: everything granted, but an inline Deny on StopDeployment.
    let bob = entry(&live_json, "bob", USER_PROFILE);
    assert_eq!(
        strings(&bob["denied"]),
        ["codedeploy:StopDeployment"],
        "{bob}"
    );
    assert!(strings(&bob["missing"]).is_empty(), "{bob}");
    // carol: AWSCodeDeployDeployerAccess alone lacks application and deployment-group
    // creation, stop/continue, the alarm and function lists (the generator's reference
    // evaluation gives the same six of the ECS guide's 25), and iam:PassRole (three
    // requirements, one action).
    let carol = entry(&live_json, "carol", USER_PROFILE);
    let mut missing = strings(&carol["missing"]);
    missing.sort_unstable();
    assert_eq!(
        missing,
        [
            "cloudwatch:DescribeAlarms",
            "codedeploy:ContinueDeployment",
            "codedeploy:CreateApplication",
            "codedeploy:CreateDeploymentGroup",
            "codedeploy:StopDeployment",
            "iam:PassRole",
            "lambda:ListFunctions",
        ],
        "{carol}"
    );
    assert_eq!(carol["gaps"], 9, "{carol}");
    // deploy-bot: the full policy inline, but its boundary leaves out lambda.
    let bot = entry(&live_json, "deploy-bot", USER_PROFILE);
    assert_eq!(strings(&bot["missing"]), ["lambda:ListFunctions"], "{bot}");
    // pipeline: the customer managed policy's default version v2 (v1 and v3 would not do).
    let pipeline = entry(&live_json, "pipeline", USER_PROFILE);
    assert_eq!(pipeline["status"], "complete", "{pipeline}");
    // The service role holds AWSCodeDeployRoleForECS (from moto's AWS managed policies) and
    // trusts codedeploy.amazonaws.com: a valid ecsCodeDeployRole.
    let cdr = entry(&live_json, "ecsCodeDeployRole", ROLE_PROFILE);
    assert_eq!(cdr["status"], "complete", "{cdr}");
    // pipeline's trust policy does not let CodeDeploy assume it.
    let not_cdr = entry(&live_json, "pipeline", ROLE_PROFILE);
    assert!(
        strings(&not_cdr["missing"]).contains(&"sts:AssumeRole"),
        "{not_cdr}"
    );
    // The role profile applies to roles only.
    assert!(
        live_json["principals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["profile"] != ROLE_PROFILE || p["type"] == "role")
    );

    // `check` on one principal: live and offline give the same report, and each matched
    // statement names its policy (inline name or managed ARN).
    let file_arg = file.to_str().unwrap();
    for target in [
        vec!["--user", "bob"],
        vec!["--principal", "arn:aws:iam::123456789012:user/alice"],
        vec!["--role", "deploy-bot"],
    ] {
        let mut live_args = vec!["check", "--live", "--endpoint-url", &moto.url];
        let mut file_args = vec!["check", "--authorization-details", file_arg];
        for a in [&mut live_args, &mut file_args] {
            a.extend_from_slice(&target);
            a.extend_from_slice(&["--profile", USER_PROFILE, "--format", "json"]);
        }
        let l = greenlight(&live_args, &[], home.path());
        let f = greenlight(&file_args, &[], home.path());
        assert_eq!(l.status.code(), f.status.code(), "{target:?}: {}", text(&l));
        // Line numbers point into each document as delivered (one line from the API, indented
        // in the export); everything else must be identical.
        assert!(
            without_lines(json(&l)) == without_lines(json(&f)),
            "{target:?} differs"
        );
    }
    let bob_check = json(&greenlight(
        &[
            "check",
            "--authorization-details",
            file_arg,
            "--user",
            "bob",
            "--profile",
            USER_PROFILE,
            "--format",
            "json",
        ],
        &[],
        home.path(),
    ));
    let stop = bob_check["profiles"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "codedeploy:StopDeployment")
        .unwrap();
    assert_eq!(stop["decision"], "explicitDeny");
    assert_eq!(stop["matchedStatements"][0]["file"], "no-stop");
    let alice_check = json(&greenlight(
        &[
            "check",
            "--authorization-details",
            file_arg,
            "--user",
            "alice",
            "--profile",
            USER_PROFILE,
            "--format",
            "json",
        ],
        &[],
        home.path(),
    ));
    let create = &alice_check["profiles"][0]["requirements"][0];
    assert_eq!(create["decision"], "allowed");
    assert_eq!(
        create["matchedStatements"][0]["file"],
        "arn:aws:iam::123456789012:policy/ECSBlueGreenDeployer"
    );

    // AWS_ENDPOINT_URL is honoured like --endpoint-url, and --roles selects roles only.
    let env_run = greenlight(
        &[
            "scan",
            "--live",
            "--roles",
            "--profile",
            USER_PROFILE,
            "--format",
            "json",
        ],
        &[("AWS_ENDPOINT_URL", &moto.url)],
        home.path(),
    );
    let env_json = json(&env_run);
    assert!(
        env_json["principals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["type"] == "role")
    );
    assert_eq!(entry(&env_json, "deploy-bot", USER_PROFILE), bot);
}

#[test]
fn corrupt_document_makes_only_that_principal_indeterminate() {
    let moto = Moto::start(&[]);
    moto.seed(&[]);
    let home = tempfile::tempdir().unwrap();
    let file = moto.export(home.path());
    let mut account: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    for u in account["UserDetailList"].as_array_mut().unwrap() {
        if u["UserName"] == "bob" {
            // An encoded document with a broken escape.
            u["UserPolicyList"][0]["PolicyDocument"] = Value::from("%7B%22Version%2");
        }
    }
    std::fs::write(&file, serde_json::to_string(&account).unwrap()).unwrap();
    let out = greenlight(
        &scan_args(&["--authorization-details", file.to_str().unwrap()]),
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let scan = json(&out);
    let bob = entry(&scan, "bob", USER_PROFILE);
    assert_eq!(bob["status"], "indeterminate");
    let err = bob["error"].as_str().unwrap();
    assert!(
        err.contains("user `bob`") && err.contains("codedeploy-and-pass"),
        "{err}"
    );
    // The rest of the account is still reported.
    assert_eq!(entry(&scan, "alice", USER_PROFILE)["status"], "complete");
    assert!(text(&out).contains("incomplete"));
}

#[test]
fn access_denied_on_one_principal_is_reported_and_the_rest_continue() {
    // Auth is off for the seeding calls, then switched on (`/moto-api/reset-auth` 0).
    let moto = Moto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "1000")]);
    let seeded = moto.seed(&["--reader"]);
    let previous = moto.http("POST", "/moto-api/reset-auth", "0");
    assert!(previous.contains("200"), "{previous}");
    let key = seeded["reader_key"].as_str().unwrap();
    let secret = seeded["reader_secret"].as_str().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = greenlight(
        &scan_args(&["--live", "--endpoint-url", &moto.url]),
        &[
            ("AWS_ACCESS_KEY_ID", key),
            ("AWS_SECRET_ACCESS_KEY", secret),
        ],
        home.path(),
    );
    let all = text(&out);
    assert!(
        !all.contains(secret) && !all.contains(key),
        "credentials printed"
    );
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("GetAccountAuthorizationDetails"), "{all}");
    let scan = json(&out);
    // `reader` may not call GetRolePolicy: deploy-bot (the only role with an inline policy)
    // cannot be read; everything else is checked.
    let bot = entry(&scan, "deploy-bot", USER_PROFILE);
    assert_eq!(bot["status"], "indeterminate", "{bot}");
    let err = bot["error"].as_str().unwrap();
    assert!(
        err.contains("iam:GetRolePolicy") && err.contains("access denied"),
        "{err}"
    );
    assert_eq!(entry(&scan, "alice", USER_PROFILE)["status"], "complete");
    assert_eq!(entry(&scan, "pipeline", USER_PROFILE)["status"], "complete");
    assert_eq!(
        strings(&entry(&scan, "bob", USER_PROFILE)["denied"]),
        ["codedeploy:StopDeployment"]
    );
}

#[test]
fn endpoint_down_fails_fast() {
    let port = free_port(); // bound then released: nothing listens there
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let out = greenlight(
        &scan_args(&["--live", "--endpoint-url", &url]),
        &[],
        home.path(),
    );
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let all = text(&out);
    assert!(all.contains("iam:GetAccountAuthorizationDetails"), "{all}");
    assert!(all.to_lowercase().contains("connect"), "{all}");
    assert!(!all.contains(SECRET) && !all.contains(KEY_ID));
}

#[test]
fn server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept connections and hold them open without ever replying.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s);
        }
    });
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let out = greenlight(
        &scan_args(&["--live", "--endpoint-url", &url, "--timeout", "1"]),
        &[("AWS_MAX_ATTEMPTS", "2")],
        home.path(),
    );
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(
        text(&out).to_lowercase().contains("timeout"),
        "{}",
        text(&out)
    );
}

#[test]
fn missing_credentials_are_a_clear_error() {
    let moto = Moto::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
        )
        .args(scan_args(&["--live", "--endpoint-url", &moto.url]))
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("credentials"), "{}", text(&out));
}

#[test]
fn aws_profile_selects_the_shared_config_profile() {
    let moto = Moto::start(&[]);
    moto.seed(&[]);
    let home = tempfile::tempdir().unwrap();
    let creds = home.path().join("credentials");
    std::fs::write(
        &creds,
        format!("[audit]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"),
    )
    .unwrap();
    let run = |profile: &str| {
        Command::new(env!("CARGO_BIN_EXE_greenlight"))
            // Never the developer's own `greenlight catalog update` cache: the shipped catalog.
            .env(
                "XDG_CACHE_HOME",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/no-user-cache"),
            )
            .args(["scan", "--live", "--users", "--aws-profile", profile])
            .args(["--endpoint-url", &moto.url, "--region", "us-east-1"])
            .args(["--profile", USER_PROFILE, "--format", "json"])
            .env_clear()
            .env("HOME", home.path())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", home.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
            .output()
            .unwrap()
    };
    let ok = run("audit");
    assert_eq!(ok.status.code(), Some(1), "{}", text(&ok));
    assert!(!text(&ok).contains(SECRET));
    let missing = run("nope");
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
}

/// The README and `.ci/run` name the same moto pin as the provisioning.
#[test]
fn moto_pin_is_the_same_everywhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(crate::support::moto::MOTO_REQUIREMENT),
        "README.md does not name `{}`",
        crate::support::moto::MOTO_REQUIREMENT
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    for line in ci.lines().filter(|l| l.contains("moto[server]")) {
        assert!(
            line.contains(crate::support::moto::MOTO_REQUIREMENT),
            "{line}"
        );
    }
    assert!(ci.contains("cargo test --locked"));
}

/// `line 12` written `line N`: the sentence without the line numbers.
fn unline(d: &str) -> String {
    let mut out = String::new();
    let mut rest = d;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = rest[i + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('N');
    }
    out.push_str(rest);
    out
}
