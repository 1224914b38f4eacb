//! `--format junit`: JUnit XML for every command. `lint` gives one test case per document
//! (findings at or above `--fail-on` are failures, a document that cannot be read or parsed is
//! an error); `check`, `diff` and `verify` one per note (errors are failures).

use super::note::{Gate, Note};

pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // not an XML 1.0 `Char` (<https://www.w3.org/TR/xml/#charsets>), not even as a
            // character reference: the replacement character
            c if ((c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                o.push('\u{fffd}')
            }
            c => o.push(c),
        }
    }
    o
}

/// One JUnit test case: a name and the notes reported under it.
pub struct Case<'a> {
    pub name: String,
    pub notes: Vec<&'a Note>,
    /// The failure's message when more than one note fails (`2 finding(s) at or above
    /// error`); one failing note gives its own message.
    pub summary: Option<String>,
}

/// A note on one line: `file:line:col: title: message`, then its details and help.
fn case_line(n: &Note) -> String {
    let mut s = match &n.at {
        Some(at) => format!("{}: {}: ", at.display(), n.title()),
        None => format!("{}: ", n.title()),
    };
    s.push_str(&n.full_text(false));
    s
}

/// JUnit XML, one test case per [`Case`]: a case with a [`Gate::Broken`] note is an error,
/// else one with a [`Gate::Fail`] note a failure; the other notes are the case's output.
pub fn render(cases: &[Case], command: &str) -> String {
    let mut body = String::new();
    let (mut failures, mut errors) = (0, 0);
    for c in cases {
        if c.notes.is_empty() {
            body.push_str(&format!(
                "    <testcase classname=\"greenlight.{}\" name=\"{}\"/>\n",
                xml(command),
                xml(&c.name)
            ));
            continue;
        }
        body.push_str(&format!(
            "    <testcase classname=\"greenlight.{}\" name=\"{}\">\n",
            xml(command),
            xml(&c.name)
        ));
        let of =
            |g: Gate| -> Vec<&Note> { c.notes.iter().copied().filter(|n| n.gate == g).collect() };
        let (broken, failing) = (of(Gate::Broken), of(Gate::Fail));
        let kind = |n: &Note| n.rule.map_or(n.code, |r| r.name);
        if let Some(first) = broken.first() {
            errors += 1;
            body.push_str(&format!(
                "      <error type=\"{}\" message=\"{}\">{}</error>\n",
                xml(kind(first)),
                xml(&first.message),
                xml(&case_line(first))
            ));
        } else if let Some(first) = failing.first() {
            failures += 1;
            let message = match (&c.summary, failing.len()) {
                (Some(s), n) if n > 1 || first.rule.is_some() => s.clone(),
                _ => first.message.clone(),
            };
            let lines: Vec<String> = failing.iter().map(|n| case_line(n)).collect();
            body.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                xml(kind(first)),
                xml(&message),
                xml(&lines.join("\n"))
            ));
        }
        let rest: Vec<String> = of(Gate::Pass).iter().map(|n| case_line(n)).collect();
        if !rest.is_empty() {
            body.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&rest.join("\n"))
            ));
        }
        body.push_str("    </testcase>\n");
    }
    let tests = cases.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"greenlight\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"greenlight {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}  </testsuite>\n</testsuites>\n",
        xml(command)
    )
}

/// One case per note, named by its code, place and the first line of its message (a gap of
/// `check` is one missing action, and a template's combination is in its message), so no two
/// cases share a name (CI reports list cases by name; a name met again gets ` #2`, ` #3`);
/// one passing `no findings` case when there is none.
pub fn per_note(notes: &[Note], command: &str) -> String {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut cases: Vec<Case> = notes
        .iter()
        .map(|n| {
            let place = match &n.at {
                Some(at) => format!("{} {}:{}", n.code, at.name, at.start().line),
                None => n.code.to_string(),
            };
            let first = n.message.lines().next().unwrap_or_default().trim();
            let mut name = if first.is_empty() {
                place
            } else {
                let short: String = first.chars().take(400).collect();
                let more = if short.len() < first.len() { "…" } else { "" };
                format!("{place}: {short}{more}")
            };
            let k = seen.entry(name.clone()).or_insert(0);
            *k += 1;
            if *k > 1 {
                name.push_str(&format!(" #{k}"));
            }
            Case {
                name,
                notes: vec![n],
                summary: None,
            }
        })
        .collect();
    if cases.is_empty() {
        cases.push(Case {
            name: "no findings".into(),
            notes: Vec::new(),
            summary: None,
        });
    }
    render(&cases, command)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// XML 1.0 allows tab, line feed and carriage return below U+0020, and no U+FFFE/U+FFFF,
    /// not even as character references (<https://www.w3.org/TR/xml/#charsets>).
    #[test]
    fn characters_xml_forbids_are_replaced() {
        assert_eq!(
            xml("a\u{1}b\tc\u{ffff}<&"),
            "a\u{fffd}b\tc\u{fffd}&lt;&amp;"
        );
        assert!(!xml("\u{0}\u{8}\u{1f}").contains("&#x"));
    }
}
