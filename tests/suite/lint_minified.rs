//! A minified document (everything on one line) with many findings: each finding is named by
//! file, line and column, without a snippet of the megabyte line (miette cannot pad a label
//! past column 65,535 and would panic; rendering the line once per finding grew with the
//! square of the document). Found with a generated 20,000-statement policy.

use std::process::Command;

#[test]
fn many_findings_on_one_long_line_are_reported_without_a_panic() {
    let st: Vec<String> = (0..3000)
        .map(|_| {
            r#"{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}"#
                .to_string()
        })
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        st.join(",")
    );
    assert!(text.len() > 200_000 && !text.contains('\n'));
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("minified.json");
    std::fs::write(&p, &text).unwrap();
    for format in ["text", "json", "sarif", "github"] {
        let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .args(["lint", "--fail-on", "suggestion", "--format", format])
            .arg(&p)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{format}: {err}");
        assert!(!err.contains("panicked"), "{format}: {err}");
        // 2,999 statements repeat the first (redundant-statement)
        assert!(
            out.contains("redundant-statement") || out.contains("GL"),
            "{format}"
        );
    }
    // the text output names the place of a statement far along the line
    let o = Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args(["lint", "--fail-on", "suggestion"])
        .arg(&p)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let far = out
        .lines()
        .filter_map(|l| l.rsplit(':').next()?.parse::<usize>().ok())
        .max()
        .unwrap();
    assert!(far > 65_535, "{far}");
}
