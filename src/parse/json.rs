//! A strict RFC 8259 JSON reader that keeps a span on every value and key.
//!
//! Stricter than serde_json where it matters for a security gate: a byte-order mark, comments,
//! trailing commas, duplicate keys at any level and nesting deeper than [`MAX_DEPTH`] are all
//! errors with a location, never silently accepted or resolved "last wins".

use crate::source::Span;

/// Deepest nesting accepted. IAM documents need 5 levels (policy, statement list, statement,
/// condition, operator, key, value list); 64 leaves room and keeps recursion shallow.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// The number exactly as written.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    pub span: Span,
    /// For duplicate keys: where the key first appeared.
    pub first: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonErrorKind {
    Bom,
    Empty,
    Comment,
    TrailingComma,
    DuplicateKey(String),
    TooDeep,
    UnexpectedEnd,
    Unexpected {
        found: String,
        expected: &'static str,
    },
    InvalidEscape,
    InvalidUnicodeEscape,
    ControlCharacter,
    InvalidNumber,
    TrailingCharacters,
}

impl std::fmt::Display for JsonErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonErrorKind::Bom => write!(f, "the document starts with a UTF-8 byte-order mark"),
            JsonErrorKind::Empty => write!(f, "the document is empty"),
            JsonErrorKind::Comment => write!(f, "comments are not allowed in JSON"),
            JsonErrorKind::TrailingComma => write!(f, "trailing comma"),
            JsonErrorKind::DuplicateKey(k) => write!(f, "duplicate key `{k}`"),
            JsonErrorKind::TooDeep => write!(f, "nesting deeper than {MAX_DEPTH} levels"),
            JsonErrorKind::UnexpectedEnd => write!(f, "unexpected end of the document"),
            JsonErrorKind::Unexpected { found, expected } => {
                write!(f, "expected {expected}, found {found}")
            }
            JsonErrorKind::InvalidEscape => write!(f, "invalid escape sequence in a string"),
            JsonErrorKind::InvalidUnicodeEscape => write!(f, "invalid \\u escape in a string"),
            JsonErrorKind::ControlCharacter => {
                write!(f, "unescaped control character in a string")
            }
            JsonErrorKind::InvalidNumber => write!(f, "invalid number"),
            JsonErrorKind::TrailingCharacters => {
                write!(f, "unexpected characters after the end of the document")
            }
        }
    }
}

impl JsonErrorKind {
    pub fn help(&self) -> Option<&'static str> {
        match self {
            JsonErrorKind::Bom => Some(
                "IAM accepts only tab, LF, CR and U+0020-U+00FF; save the file as UTF-8 without BOM",
            ),
            JsonErrorKind::Comment => Some("IAM rejects JSONC/JSON5; remove the comment"),
            JsonErrorKind::TrailingComma => Some("IAM rejects trailing commas; remove it"),
            JsonErrorKind::DuplicateKey(_) => {
                Some("IAM rejects duplicate keys, and tools disagree on which value wins; keep one")
            }
            JsonErrorKind::TooDeep => Some("IAM policy documents are at most a few levels deep"),
            _ => None,
        }
    }
}

/// Parses a whole document. Leading and trailing JSON whitespace is allowed.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    parse_inner(text, None)
}

/// [`parse`], and for a document that parses, the offsets where its lines start (what
/// [`crate::source::Source::new`] indexes): in valid JSON every line feed is white space
/// between tokens (a raw one inside a string is an error), so skipping white space sees
/// them all, and the text need not be scanned again for them.
pub fn parse_with_line_starts(text: &str) -> (Result<Value, JsonError>, Option<Vec<u32>>) {
    // (sized for lines of 16 bytes, shorter than pretty-printed policies' lines: no growth)
    let mut lines = Vec::with_capacity(text.len() / 16 + 1);
    lines.push(0u32);
    let v = parse_inner(text, Some(&mut lines));
    let lines = v.is_ok().then_some(lines);
    (v, lines)
}

fn parse_inner(text: &str, lines: Option<&mut Vec<u32>>) -> Result<Value, JsonError> {
    parse_boxed(text, lines, false).map_err(|e| *e)
}

/// [`parse`], where a key repeated in an object replaces the earlier member instead of being
/// an error: how Terraform's `jsondecode` reads JSON (Go's decoder, the last value wins;
/// <https://developer.hashicorp.com/terraform/language/functions/jsondecode>). Not for a
/// policy document, which IAM rejects with duplicate keys.
pub fn parse_last_wins(text: &str) -> Result<Value, JsonError> {
    parse_boxed(text, None, true).map_err(|e| *e)
}

/// What the parser's functions return: the error boxed, so that a result is no larger than
/// its value (every value is returned up the recursion, and most are small).
type PResult<T> = Result<T, Box<JsonError>>;

fn parse_boxed(text: &str, lines: Option<&mut Vec<u32>>, last_wins: bool) -> PResult<Value> {
    let mut p = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        lines,
        last_wins,
        // (deep enough for a policy without growing)
        items: Vec::with_capacity(32),
        members: Vec::with_capacity(32),
    };
    if text.starts_with('\u{feff}') {
        return Err(p.err(JsonErrorKind::Bom, 0, 3));
    }
    p.skip_ws()?;
    if p.pos >= p.bytes.len() {
        return Err(p.err(JsonErrorKind::Empty, 0, 0));
    }
    let v = p.value(0)?;
    p.skip_ws()?;
    if p.pos < p.bytes.len() {
        let end = p.char_end(p.pos);
        return Err(p.err(JsonErrorKind::TrailingCharacters, p.pos, end));
    }
    Ok(v)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// The offsets after each line feed skipped, when the caller wants them.
    lines: Option<&'a mut Vec<u32>>,
    /// The items of the arrays being read (innermost last), moved out into a vector of their
    /// size when an array ends (`split_off`): one allocation per array instead of one per
    /// doubling.
    items: Vec<Value>,
    /// The members of the objects being read, as `items`.
    members: Vec<Member>,
    /// A repeated key replaces the earlier member ([`parse_last_wins`]).
    last_wins: bool,
}

impl Parser<'_> {
    fn err(&self, kind: JsonErrorKind, start: usize, end: usize) -> Box<JsonError> {
        Box::new(JsonError {
            kind,
            span: Span::new(start, end),
            first: None,
        })
    }

    fn char_end(&self, pos: usize) -> usize {
        let mut e = pos + 1;
        while e < self.bytes.len() && !self.text.is_char_boundary(e) {
            e += 1;
        }
        e.min(self.bytes.len())
    }

    fn found(&self, pos: usize) -> String {
        if pos >= self.bytes.len() {
            return "the end of the document".into();
        }
        let end = self.char_end(pos);
        format!("`{}`", &self.text[pos..end])
    }

    /// Skips white space; an error at a comment (`//`, `/*`, `#`). Inline for the common case
    /// of a token that follows the previous one at once.
    #[inline(always)]
    fn skip_ws(&mut self) -> PResult<()> {
        match self.bytes.get(self.pos) {
            // the one space after `:` or `,` before a token, without the loop
            Some(b' ')
                if !matches!(
                    self.bytes.get(self.pos + 1),
                    Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'#')
                ) =>
            {
                self.pos += 1;
                Ok(())
            }
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'#') => self.skip_ws_run(),
            _ => Ok(()),
        }
    }

    fn skip_ws_run(&mut self) -> PResult<()> {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\n' => {
                    self.pos += 1;
                    if let Some(l) = self.lines.as_deref_mut() {
                        l.push(self.pos as u32);
                    }
                    // the indentation of the next line, eight bytes at a time
                    self.pos += crate::swar::run_of(&self.bytes[self.pos..], b' ');
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if matches!(self.bytes.get(self.pos + 1), Some(b'/') | Some(b'*')) => {
                    return Err(self.err(JsonErrorKind::Comment, self.pos, self.pos + 2));
                }
                b'#' => return Err(self.err(JsonErrorKind::Comment, self.pos, self.pos + 1)),
                _ => break,
            }
        }
        Ok(())
    }

    fn unexpected(&self, expected: &'static str) -> Box<JsonError> {
        if self.pos >= self.bytes.len() {
            return self.err(JsonErrorKind::UnexpectedEnd, self.pos, self.pos);
        }
        let end = self.char_end(self.pos);
        self.err(
            JsonErrorKind::Unexpected {
                found: self.found(self.pos),
                expected,
            },
            self.pos,
            end,
        )
    }

    fn value(&mut self, depth: usize) -> PResult<Value> {
        if depth >= MAX_DEPTH {
            return Err(self.err(JsonErrorKind::TooDeep, self.pos, self.pos + 1));
        }
        let start = self.pos;
        match self.bytes.get(self.pos) {
            None => Err(self.err(JsonErrorKind::UnexpectedEnd, self.pos, self.pos)),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Value {
                    kind: Kind::String(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected("a JSON value")),
        }
    }

    fn literal(&mut self, word: &'static str, kind: Kind) -> PResult<Value> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    fn number(&mut self) -> PResult<Value> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => return Err(self.err(JsonErrorKind::InvalidNumber, start, i.max(start + 1))),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                return Err(self.err(JsonErrorKind::InvalidNumber, start, i));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                return Err(self.err(JsonErrorKind::InvalidNumber, start, i));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Value {
            kind: Kind::Number(self.text[start..i].to_string()),
            span: Span::new(start, i),
        })
    }

    fn string(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            // the ordinary bytes up to the next one that may be special, eight at a time
            self.pos += self
                .bytes
                .get(self.pos..)
                .map_or(0, |r| crate::swar::plain_run(r, b'"', b'\\'));
            let Some(&c) = self.bytes.get(self.pos) else {
                return Err(self.err(JsonErrorKind::UnexpectedEnd, start, self.pos));
            };
            match c {
                b'"' => {
                    let s = &self.text[run..self.pos];
                    self.pos += 1;
                    // (no escape met: the string is its text, copied once at its size)
                    if out.is_empty() {
                        return Ok(s.to_owned());
                    }
                    out.push_str(s);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos]);
                    let esc_start = self.pos;
                    let Some(&e) = self.bytes.get(self.pos + 1) else {
                        return Err(self.err(JsonErrorKind::UnexpectedEnd, start, self.pos));
                    };
                    self.pos += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4(esc_start)?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos) != Some(&b'\\')
                                    || self.bytes.get(self.pos + 1) != Some(&b'u')
                                {
                                    return Err(self.err(
                                        JsonErrorKind::InvalidUnicodeEscape,
                                        esc_start,
                                        self.pos,
                                    ));
                                }
                                self.pos += 2;
                                let lo = self.hex4(esc_start)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err(
                                        JsonErrorKind::InvalidUnicodeEscape,
                                        esc_start,
                                        self.pos,
                                    ));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(ch) {
                                Some(ch) => out.push(ch),
                                None => {
                                    return Err(self.err(
                                        JsonErrorKind::InvalidUnicodeEscape,
                                        esc_start,
                                        self.pos,
                                    ));
                                }
                            }
                        }
                        _ => {
                            return Err(self.err(
                                JsonErrorKind::InvalidEscape,
                                esc_start,
                                self.char_end(esc_start + 1),
                            ));
                        }
                    }
                    run = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self.err(JsonErrorKind::ControlCharacter, self.pos, self.pos + 1));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self, esc_start: usize) -> PResult<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let Some(digits) = digits else {
            return Err(self.err(
                JsonErrorKind::InvalidUnicodeEscape,
                esc_start,
                self.bytes.len(),
            ));
        };
        let mut v = 0u32;
        for &d in digits {
            let n = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => {
                    return Err(self.err(
                        JsonErrorKind::InvalidUnicodeEscape,
                        esc_start,
                        self.pos + 4,
                    ));
                }
            };
            v = v * 16 + n as u32;
        }
        self.pos += 4;
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> PResult<Value> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws()?;
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Array(Vec::new()),
                span: Span::new(start, self.pos),
            });
        }
        // this array's items are `self.items[base..]` until it ends
        let base = self.items.len();
        loop {
            self.skip_ws()?;
            let v = self.value(depth + 1)?;
            self.items.push(v);
            self.skip_ws()?;
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.bytes.get(self.pos) == Some(&b']') {
                        return Err(self.err(JsonErrorKind::TrailingComma, comma, comma + 1));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value {
                        kind: Kind::Array(self.items.split_off(base)),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> PResult<Value> {
        let start = self.pos;
        self.pos += 1;
        self.skip_ws()?;
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Object(Vec::new()),
                span: Span::new(start, self.pos),
            });
        }
        // this object's members are `self.members[base..]` until it ends
        let base = self.members.len();
        loop {
            self.skip_ws()?;
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a string key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            if let Some(i) = self.members[base..].iter().position(|m| m.key == key) {
                if self.last_wins {
                    self.members.remove(base + i);
                } else {
                    return Err(Box::new(JsonError {
                        kind: JsonErrorKind::DuplicateKey(key),
                        span: key_span,
                        first: Some(self.members[base + i].key_span),
                    }));
                }
            }
            self.skip_ws()?;
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("`:`"));
            }
            self.pos += 1;
            self.skip_ws()?;
            let value = self.value(depth + 1)?;
            self.members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws()?;
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.bytes.get(self.pos) == Some(&b'}') {
                        return Err(self.err(JsonErrorKind::TrailingComma, comma, comma + 1));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value {
                        kind: Kind::Object(self.members.split_off(base)),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }
}

/// Compact JSON text of a value (the text `Fn::ToJsonString` and Terraform's `jsonencode`
/// inside a string template produce).
pub fn to_compact_json(v: &Value) -> String {
    fn go(v: &Value, out: &mut String) {
        match &v.kind {
            Kind::Null => out.push_str("null"),
            Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Kind::Number(n) => out.push_str(n),
            Kind::String(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
            Kind::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(x, out);
                }
                out.push(']');
            }
            Kind::Object(m) => {
                out.push('{');
                for (i, x) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(x.key.clone()).to_string());
                    out.push(':');
                    go(&x.value, out);
                }
                out.push('}');
            }
        }
    }
    let mut s = String::new();
    go(v, &mut s);
    s
}

#[cfg(test)]
mod tests {
    /// The line starts a parse collects are the ones `Source::new` indexes, for every
    /// layout of white space (CRLF, tabs, indentation, blank lines, a trailing newline); a
    /// document that does not parse gives none.
    #[test]
    fn line_starts_from_the_parse_are_the_sources() {
        for text in [
            "{}",
            "\n{\n}\n",
            "{\r\n  \"a\": [\r\n\t1,\r\n\n        2\r\n  ]\r\n}\r\n",
            "{\"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\"Effect\": \"Allow\"}\n    ]\n}",
            "                \n\n\n                 [ \"x\" ,\n                  null ]   \n   ",
        ] {
            let (v, starts) = parse_with_line_starts(text);
            assert!(v.is_ok(), "{text:?}");
            let source = crate::source::Source::with_line_starts("t", text, starts);
            let want = crate::source::Source::new("t", text);
            for offset in 0..=text.len() as u32 {
                assert_eq!(
                    source.line_col(offset),
                    want.line_col(offset),
                    "{text:?} {offset}"
                );
            }
        }
        assert!(parse_with_line_starts("{\n\"a\": tru\n}").1.is_none());
    }

    use super::*;

    fn kind(text: &str) -> JsonErrorKind {
        parse(text).unwrap_err().kind
    }

    #[test]
    fn parses_nested_values_with_spans() {
        let v = parse(r#" {"a": [1, "x", true, null, -2.5e3], "b": {}} "#).unwrap();
        assert_eq!(v.span, Span::new(1, 45));
        let a = v.get("a").unwrap();
        let Kind::Array(items) = &a.kind else {
            panic!("not an array")
        };
        assert_eq!(items.len(), 5);
        assert_eq!(items[1].kind, Kind::String("x".into()));
        assert_eq!(items[4].kind, Kind::Number("-2.5e3".into()));
        assert_eq!(
            &r#" {"a": [1, "x", true, null, -2.5e3], "b": {}} "#[8..9],
            "1"
        );
        assert_eq!(items[0].span, Span::new(8, 9));
    }

    #[test]
    fn escapes_are_decoded() {
        let v = parse(r#""a\"b\\c\/\u00e9\ud83d\ude00\n""#).unwrap();
        assert_eq!(v.kind, Kind::String("a\"b\\c/é😀\n".into()));
    }

    #[test]
    fn rejects_what_iam_rejects() {
        assert_eq!(kind("\u{feff}{}"), JsonErrorKind::Bom);
        assert_eq!(kind(""), JsonErrorKind::Empty);
        assert_eq!(kind("  \n "), JsonErrorKind::Empty);
        assert_eq!(kind("{} // x"), JsonErrorKind::Comment);
        assert_eq!(kind("{/* x */}"), JsonErrorKind::Comment);
        assert_eq!(kind(r#"{"a": 1,}"#), JsonErrorKind::TrailingComma);
        assert_eq!(kind(r#"[1,]"#), JsonErrorKind::TrailingComma);
        assert_eq!(
            kind(r#"{"a": 1, "a": 2}"#),
            JsonErrorKind::DuplicateKey("a".into())
        );
        assert_eq!(kind("\"a\tb\""), JsonErrorKind::ControlCharacter);
        assert_eq!(kind(r#""\x""#), JsonErrorKind::InvalidEscape);
        assert_eq!(kind(r#""\ud800""#), JsonErrorKind::InvalidUnicodeEscape);
        assert_eq!(kind("01"), JsonErrorKind::TrailingCharacters);
        assert_eq!(kind("1."), JsonErrorKind::InvalidNumber);
        assert_eq!(kind("{} {}"), JsonErrorKind::TrailingCharacters);
        assert!(kind("{a: 1}").to_string().contains("string key"));
        assert!(kind(r#"{"a" 1}"#).to_string().contains("`:`"));
        assert!(kind("[1 2]").to_string().contains("`,` or `]`"));
        assert!(matches!(kind("tru"), JsonErrorKind::Unexpected { .. }));
    }

    #[test]
    fn duplicate_key_points_at_both() {
        let e = parse(r#"{"Effect": "Deny", "Effect": "Allow"}"#).unwrap_err();
        assert_eq!(e.span, Span::new(19, 27));
        assert_eq!(e.first, Some(Span::new(1, 9)));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(kind(&deep), JsonErrorKind::TooDeep);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse(&ok).is_ok());
    }
}
