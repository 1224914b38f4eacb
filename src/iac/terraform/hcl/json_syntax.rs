//! Terraform's JSON configuration syntax (`.tf.json`,
//! <https://developer.hashicorp.com/terraform/language/syntax/json>) read as the same blocks the
//! `.tf` reader evaluates.
//!
//! The file is read by the strict JSON reader (positions kept), then rewritten byte for byte
//! into native syntax of the same length: label objects and the punctuation between them
//! become blanks, each block body becomes `x { name = value ... }` (its values kept as written:
//! a JSON value is also a native expression, and a JSON string is a template, as the JSON
//! syntax reads it), and the blocks' real types and labels are set from the JSON keys. Every
//! span of the native parse is therefore a span of the `.tf.json` file. Read: `resource`,
//! `data`, `module`, `variable`, `output` and `locals`; other top-level properties (`terraform`,
//! `provider`, ...) and `"//"` comments are left out. Nested blocks (`statement`,
//! `inline_policy`) are read as arguments holding lists of objects, which evaluate to the same
//! values.

use hcl_edit::structure::{BlockLabel, Body};

use crate::parse::ParseError;
use crate::parse::json::{self, Kind, Member, Value};
use crate::source::{Source, Span};

/// The name a string template the native parser cannot read as written in JSON (an
/// interpolation with escaped quotes) is replaced by; it evaluates to a named placeholder.
pub const UNREAD_TEMPLATE: &str = "_tfjson_template";

/// Whether a file name is Terraform JSON configuration.
pub fn is_json_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".tf.json")
}

struct Rewrite<'a> {
    source: &'a Source,
    b: Vec<u8>,
    /// The type and labels of each block body, in file order.
    heads: Vec<(String, Vec<String>)>,
    /// Where each body's closing brace moves to (after a newline).
    closes: Vec<usize>,
}

fn labels_of(block_type: &str) -> Option<usize> {
    match block_type {
        "resource" | "data" => Some(2),
        "module" | "variable" | "output" => Some(1),
        "locals" => Some(0),
        _ => None,
    }
}

impl Rewrite<'_> {
    fn error(&self, span: Span, msg: String) -> ParseError {
        ParseError::new(self.source, "undecodable-document", span, msg)
    }

    fn blank(&mut self, from: u32, to: u32) {
        for i in from as usize..(to as usize).min(self.b.len()) {
            if self.b[i] != b'\n' {
                self.b[i] = b' ';
            }
        }
    }

    fn set(&mut self, at: u32, c: u8) {
        if let Some(x) = self.b.get_mut(at as usize) {
            *x = c;
        }
    }

    /// `:` between keys and values → `colon`; `,` between members → newline.
    fn separators(&mut self, members: &[Member], colon: u8) {
        for (i, m) in members.iter().enumerate() {
            for p in m.key_span.end..m.value.span.start {
                if self.b[p as usize] == b':' {
                    self.b[p as usize] = colon;
                }
            }
            if i > 0 {
                for p in members[i - 1].value.span.end..m.key_span.start {
                    if self.b[p as usize] == b',' {
                        self.b[p as usize] = b'\n';
                    }
                }
            }
        }
    }

    fn top(&mut self, v: &Value) -> Result<(), ParseError> {
        let Kind::Object(members) = &v.kind else {
            return Err(self.error(
                v.span,
                "a `.tf.json` file holds one JSON object of block types".into(),
            ));
        };
        self.set(v.span.start, b' ');
        self.set(v.span.end - 1, b' ');
        self.separators(members, b' ');
        for m in members {
            match labels_of(&m.key) {
                Some(n) => {
                    self.blank(m.key_span.start, m.key_span.end);
                    self.labelled(&m.value, &m.key, &mut Vec::new(), n, m.key_span)?;
                }
                None => self.blank(m.key_span.start, m.value.span.end),
            }
        }
        Ok(())
    }

    /// A value under a block type and the labels so far: label objects while labels remain,
    /// then the body.
    fn labelled(
        &mut self,
        v: &Value,
        block_type: &str,
        labels: &mut Vec<String>,
        remaining: usize,
        key: Span,
    ) -> Result<(), ParseError> {
        match (&v.kind, remaining) {
            (Kind::Object(_), 0) => self.body(v, block_type, labels, key),
            (Kind::Array(items), 0) => match items.as_slice() {
                [one] => {
                    self.set(v.span.start, b' ');
                    self.set(v.span.end - 1, b' ');
                    self.labelled(one, block_type, labels, 0, key)
                }
                _ => Err(self.error(
                    v.span,
                    format!(
                        "several `{block_type}` bodies under one name are not read; write one object"
                    ),
                )),
            },
            (Kind::Object(members), _) => {
                self.set(v.span.start, b' ');
                self.set(v.span.end - 1, b' ');
                self.separators(members, b' ');
                for m in members {
                    self.blank(m.key_span.start, m.key_span.end);
                    if m.key == "//" {
                        self.blank(m.key_span.start, m.value.span.end);
                        continue;
                    }
                    labels.push(m.key.clone());
                    self.labelled(&m.value, block_type, labels, remaining - 1, m.key_span)?;
                    labels.pop();
                }
                Ok(())
            }
            (Kind::Array(items), _) => {
                self.set(v.span.start, b' ');
                self.set(v.span.end - 1, b' ');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        for p in items[i - 1].span.end..it.span.start {
                            if self.b[p as usize] == b',' {
                                self.b[p as usize] = b'\n';
                            }
                        }
                    }
                    self.labelled(it, block_type, labels, remaining, key)?;
                }
                Ok(())
            }
            _ => Err(self.error(
                v.span,
                format!(
                    "a `{block_type}` block is written as a JSON object, not {}",
                    v.type_name()
                ),
            )),
        }
    }

    /// A block body: its key (the last label, or the block type) becomes `\nx`, its members
    /// `name = value` lines.
    fn body(
        &mut self,
        v: &Value,
        block_type: &str,
        labels: &[String],
        key: Span,
    ) -> Result<(), ParseError> {
        let Kind::Object(members) = &v.kind else {
            return Ok(());
        };
        self.blank(key.start, key.end);
        self.set(key.start, b'\n');
        self.set(key.start + 1, b'x');
        self.heads.push((block_type.to_string(), labels.to_vec()));
        if members.is_empty() {
            return Ok(());
        }
        self.separators(members, b'=');
        for m in members {
            if m.key == "//" {
                self.blank(m.key_span.start, m.value.span.end);
                continue;
            }
            self.set(m.key_span.start, b'\n');
            self.set(m.key_span.end - 1, b' ');
            self.templates(&m.value);
        }
        // `... value}` → `... value\n}`: the brace moves onto the next character, which is
        // punctuation of the enclosing object (blanked, or a comma)
        self.set(v.span.end - 1, b'\n');
        // (in the text as written: the enclosing punctuation may be blanked already)
        let next = self.source.text.as_bytes()[v.span.end as usize..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map(|p| v.span.end as usize + p);
        match next {
            Some(p) => self.closes.push(p),
            None => return Err(self.error(v.span, "the file ends inside a block".into())),
        }
        Ok(())
    }

    /// Strings the native parser would read differently from the JSON syntax (a template with
    /// a backslash: escapes inside an interpolation) become the name [`UNREAD_TEMPLATE`].
    fn templates(&mut self, v: &Value) {
        match &v.kind {
            Kind::String(s) if s.contains("${") || s.contains("%{") => {
                let (a, z) = (v.span.start as usize, v.span.end as usize);
                if escape_in_interpolation(&self.b[a..z]) {
                    for (i, x) in self.b[a..z].iter_mut().enumerate() {
                        *x = UNREAD_TEMPLATE.as_bytes().get(i).copied().unwrap_or(b'_');
                    }
                }
            }
            Kind::Array(a) => a.iter().for_each(|x| self.templates(x)),
            Kind::Object(m) => m.iter().for_each(|x| self.templates(&x.value)),
            _ => {}
        }
    }
}

/// Whether a backslash appears inside an interpolation or directive (`${...}`, `%{...}`) of a
/// JSON string as written: in the JSON syntax the string is unescaped before the template is
/// read, which the native parser does not do. (A quoted string inside an interpolation starts
/// with `\"`, so it is seen before any brace it holds.)
fn escape_in_interpolation(raw: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < raw.len() {
        let opens = (raw[i] == b'$' || raw[i] == b'%') && raw[i + 1] == b'{';
        // `$${` and `%%{` are literal
        let escaped = i > 0 && raw[i - 1] == raw[i];
        if !opens || escaped {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut j = i + 1;
        while j < raw.len() {
            match raw[j] {
                b'\\' => return true,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        i = j + 1;
    }
    false
}

/// The blocks of a `.tf.json` file, every span a span of the file.
pub fn parse(source: &Source) -> Result<Body, ParseError> {
    let tree = json::parse(&source.text).map_err(|e| {
        ParseError::new(
            source,
            "json-syntax",
            e.span,
            format!("invalid JSON: {}", e.kind),
        )
    })?;
    let mut r = Rewrite {
        source,
        b: source.text.as_bytes().to_vec(),
        heads: Vec::new(),
        closes: Vec::new(),
    };
    r.top(&tree)?;
    for p in std::mem::take(&mut r.closes) {
        r.b[p] = b'}';
    }
    let text = String::from_utf8(std::mem::take(&mut r.b))
        .map_err(|_| r.error(Span::default(), "the file is not UTF-8 text".into()))?;
    let mut body = hcl_edit::parser::parse_body(&text).map_err(|e| {
        let offset = e.location().offset().min(source.text.len());
        ParseError::new(
            source,
            "undecodable-document",
            Span::new(offset, offset),
            format!(
                "a value is not a Terraform expression: {}",
                e.message().trim()
            ),
        )
    })?;
    let mut heads = r.heads.into_iter();
    for b in body.blocks_mut() {
        let Some((ty, labels)) = heads.next() else {
            break;
        };
        b.ident = hcl_edit::Decorated::new(hcl_edit::Ident::new(ty));
        b.labels = labels.into_iter().map(BlockLabel::from).collect();
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_inside_interpolations_are_told_apart() {
        assert!(escape_in_interpolation(br#""${jsonencode({\"a\": 1})}""#));
        assert!(!escape_in_interpolation(br#""{\"a\": \"${local.x}\"}""#));
        assert!(!escape_in_interpolation(br#""$${not} \"q\"""#));
        assert!(escape_in_interpolation(
            br#""%{ if x == \"a\" }y%{ endif }""#
        ));
    }

    /// Every span of the native parse is a span of the `.tf.json` text.
    #[test]
    fn spans_are_spans_of_the_json_file() {
        let text = r#"{"resource":{"aws_iam_role":{"a":{"name":"x"},"b":{}}},"locals":{"l":1}}"#;
        let s = Source::new("main.tf.json", text);
        let body = parse(&s).unwrap();
        let blocks: Vec<_> = body.blocks().collect();
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].ident.as_str(), "resource");
        assert_eq!(blocks[0].labels[1].as_str(), "a");
        assert_eq!(blocks[1].labels[1].as_str(), "b");
        assert_eq!(blocks[2].ident.as_str(), "locals");
        let name = blocks[0].body.get_attribute("name").unwrap();
        let r = hcl_edit::Span::span(&name.value).unwrap();
        assert_eq!(&text[r], "\"x\"");
    }
}
