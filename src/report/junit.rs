//! `--format junit`: one test case per document; findings at or above `--fail-on` are
//! failures, a document that cannot be read or parsed is an error.

use crate::lint::run::Outcome;
use crate::lint::{Check, Finding, Severity};

pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {
                o.push_str(&format!("&#x{:x};", c as u32))
            }
            c => o.push(c),
        }
    }
    o
}

fn line(f: &Finding) -> String {
    let s = f.start();
    format!(
        "{}:{}:{}: {} {} ({}): {}",
        f.file(),
        s.line,
        s.column,
        f.rule.code,
        f.rule.name,
        f.severity,
        f.message
    )
}

pub fn render(outcome: &Outcome, fail_on: Severity) -> String {
    let mut cases = String::new();
    let (mut failures, mut errors) = (0, 0);
    for d in &outcome.documents {
        let mine: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| f.file() == d.name)
            .collect();
        cases.push_str(&format!(
            "    <testcase classname=\"greenlight.lint\" name=\"{}\">\n",
            xml(&d.name)
        ));
        let structural: Vec<&&Finding> = mine
            .iter()
            .filter(|f| matches!(f.rule.check, Check::Parse | Check::Input))
            .collect();
        let failing: Vec<&&Finding> = mine
            .iter()
            .filter(|f| {
                f.severity >= fail_on && !matches!(f.rule.check, Check::Parse | Check::Input)
            })
            .collect();
        if let Some(first) = structural.first() {
            errors += 1;
            cases.push_str(&format!(
                "      <error type=\"{}\" message=\"{}\">{}</error>\n",
                first.rule.name,
                xml(&first.message),
                xml(&line(first))
            ));
        } else if !failing.is_empty() {
            failures += 1;
            let body: Vec<String> = failing.iter().map(|f| line(f)).collect();
            cases.push_str(&format!(
                "      <failure type=\"{}\" message=\"{} finding(s) at or above {}\">{}</failure>\n",
                failing[0].rule.name,
                failing.len(),
                fail_on,
                xml(&body.join("\n"))
            ));
        }
        let rest: Vec<String> = mine
            .iter()
            .filter(|f| f.severity < fail_on)
            .map(|f| line(f))
            .collect();
        if !rest.is_empty() {
            cases.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&rest.join("\n"))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"greenlight lint\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n{cases}  </testsuite>\n</testsuites>\n",
        outcome.documents.len()
    )
}
