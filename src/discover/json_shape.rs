//! The shape of a JSON document from a bounded prefix: its top-level keys and the few nested
//! facts the recogniser needs (a `Version` string, the `Type`s of `Resources` entries, whether
//! a list-valued key holds a list). Tolerant: comments (as in `tsconfig.json`) and trailing
//! commas are skipped, and a prefix that ends mid-document is not an error.

/// What the scanner saw.
#[derive(Debug, Default)]
pub struct JsonShape {
    /// The document is an object (else an array, a scalar or garbage).
    pub object: bool,
    /// Top-level keys in order (first 64).
    pub keys: Vec<String>,
    /// The top-level `Version` value, when it is a string.
    pub version: Option<String>,
    /// The top-level `Transform` value (or list) names the SAM transform.
    pub sam_transform: bool,
    /// `Type` values of the entries of the top-level `Resources` object (first 16).
    pub resource_types: Vec<String>,
    /// Top-level keys whose value is an array.
    pub array_keys: Vec<String>,
    /// The prefix ended inside the document.
    pub truncated: bool,
    /// The text is not JSON (even tolerantly): a byte that cannot start a value, say.
    pub malformed: bool,
}

impl JsonShape {
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    pub fn is_array(&self, key: &str) -> bool {
        self.array_keys.iter().any(|k| k == key)
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

/// A frame of the container stack: an object (with the key being read) or an array.
enum Frame {
    Object(Option<String>),
    Array,
}

impl Scanner<'_> {
    /// Skips white space and `//` / `/* */` comments; false at the end of the prefix.
    fn skip_ws(&mut self) -> bool {
        loop {
            while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            match self.b.get(self.i) {
                None => return false,
                Some(b'/') => {}
                Some(_) => return true,
            }
            if self.b[self.i..].starts_with(b"//") {
                while self.i < self.b.len() && self.b[self.i] != b'\n' {
                    self.i += 1;
                }
            } else if self.b[self.i..].starts_with(b"/*") {
                match self.b[self.i + 2..].windows(2).position(|w| w == b"*/") {
                    Some(p) => self.i += p + 4,
                    None => self.i = self.b.len(),
                }
            } else {
                return self.i < self.b.len();
            }
        }
    }

    /// Reads a string starting at `"`; returns it (escapes reduced to the escaped byte: the
    /// recogniser compares plain ASCII names only) when `keep`, `None` at the end of the prefix.
    fn string(&mut self, keep: bool) -> Option<String> {
        self.i += 1;
        if !keep {
            // only the end matters: jump from one `"` or `\\` to the next (past the other
            // bytes eight at a time)
            while let Some(r) = self.b.get(self.i..) {
                self.i += crate::swar::plain_run(r, b'"', b'\\');
                match self.b.get(self.i) {
                    None => break,
                    Some(b'"') => {
                        self.i += 1;
                        return Some(String::new());
                    }
                    Some(b'\\') => self.i += 2,
                    Some(_) => self.i += 1,
                }
            }
            self.i = self.b.len();
            return None;
        }
        let mut out: Vec<u8> = Vec::new();
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    if keep {
                        if let Some(&c) = self.b.get(self.i + 1) {
                            out.push(c);
                        }
                    }
                    self.i += 2;
                }
                c => {
                    if keep && out.len() < 256 {
                        out.push(c);
                    }
                    self.i += 1;
                }
            }
        }
        None
    }
}

/// How [`Scanner::skip_value`] ended.
enum Skipped {
    /// After the closing bracket.
    Done,
    /// The prefix ended inside the value.
    End,
    /// A byte that cannot be there (what [`scan`] calls malformed).
    Malformed,
    /// A `/` (a comment, or garbage [`scan`] decides on): nothing consumed.
    Comment,
}

impl Scanner<'_> {
    /// Skips the object or array that starts at the current byte, reading nothing, with the
    /// tolerance of [`scan`] (the same scalars, any closing bracket closing the innermost
    /// container); a `/` is left to [`scan`].
    fn skip_value(&mut self) -> Skipped {
        let start = self.i;
        let mut depth = 0usize;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' => {
                    depth -= 1;
                    self.i += 1;
                    if depth == 0 {
                        return Skipped::Done;
                    }
                }
                b'"' => {
                    if self.string(false).is_none() {
                        return Skipped::End;
                    }
                }
                // (indentation: runs of spaces, eight at a time)
                b' ' => self.i += crate::swar::run_of(&self.b[self.i..], b' '),
                b',' | b':' | b'\n' | b'\r' | b'\t' | 0x0c => self.i += 1,
                b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                    while self.i < self.b.len()
                        && !matches!(
                            self.b[self.i],
                            b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                        )
                    {
                        self.i += 1;
                    }
                }
                b'/' => {
                    self.i = start;
                    return Skipped::Comment;
                }
                _ => return Skipped::Malformed,
            }
        }
        Skipped::End
    }
}

/// The shape [`scan`] gives for the whole text of a document that parsed strictly as `root`,
/// read from the tree instead of the text (valid JSON has no comment, trailing comma or cut
/// to tolerate). `None` when the two could differ, and the text must be scanned: the root is
/// not an object, or a string the scanner keeps has an escape (the scanner reduces `\x` to
/// `x`; a string's span is then longer than its quotes and value) or is 256 bytes or longer
/// (the scanner keeps the first 256).
pub fn from_tree(root: &crate::parse::json::Value) -> Option<JsonShape> {
    use crate::parse::json::Kind;
    use crate::source::Span;
    fn plain(s: &str, span: Span) -> bool {
        s.len() < 256 && span.len() == s.len() + 2
    }
    /// A string value the scanner reads, as it reads it (`Some(None)`: not a string).
    fn read(v: &crate::parse::json::Value) -> Option<Option<&String>> {
        match &v.kind {
            Kind::String(s) if plain(s, v.span) => Some(Some(s)),
            Kind::String(_) => None,
            _ => Some(None),
        }
    }
    let members = root.as_object()?;
    let mut shape = JsonShape {
        object: true,
        ..JsonShape::default()
    };
    for m in members {
        if !plain(&m.key, m.key_span) {
            return None;
        }
        if shape.keys.len() < 64 {
            shape.keys.push(m.key.clone());
        }
        if matches!(m.value.kind, Kind::Array(_)) && shape.array_keys.len() < 64 {
            shape.array_keys.push(m.key.clone());
        }
        match (m.key.as_str(), &m.value.kind) {
            ("Version", _) => {
                if let Some(v) = read(&m.value)? {
                    shape.version = Some(v.clone());
                }
            }
            ("Transform", Kind::Array(items)) => {
                for i in items {
                    if let Some(v) = read(i)? {
                        shape.sam_transform |= v == "AWS::Serverless-2016-10-31";
                    }
                }
            }
            ("Transform", _) => {
                if let Some(v) = read(&m.value)? {
                    shape.sam_transform |= v == "AWS::Serverless-2016-10-31";
                }
            }
            // `Type` in each object entry of `Resources` (an object, or a list)
            ("Resources", Kind::Object(_) | Kind::Array(_)) => {
                let entries: Vec<&crate::parse::json::Value> = match &m.value.kind {
                    Kind::Object(es) => es.iter().map(|e| &e.value).collect(),
                    Kind::Array(es) => es.iter().collect(),
                    _ => Vec::new(),
                };
                for e in entries {
                    let Kind::Object(fields) = &e.kind else {
                        continue;
                    };
                    for f in fields {
                        if !plain(&f.key, f.key_span) {
                            return None;
                        }
                        if f.key == "Type"
                            && let Some(v) = read(&f.value)?
                            && shape.resource_types.len() < 16
                        {
                            shape.resource_types.push(v.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Some(shape)
}

/// Scans the first bytes of a JSON document.
pub fn scan(bytes: &[u8]) -> JsonShape {
    scan_with(bytes, true)
}

/// [`scan`]; `fast`: skip the values nothing is read from in a tight loop (the same shape
/// as reading them token by token, which the tests check).
fn scan_with(bytes: &[u8], fast: bool) -> JsonShape {
    let mut shape = JsonShape::default();
    let mut s = Scanner { b: bytes, i: 0 };
    if !s.skip_ws() {
        shape.truncated = true;
        return shape;
    }
    if s.b[s.i] != b'{' {
        shape.malformed = !matches!(
            s.b[s.i],
            b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
        );
        return shape;
    }
    shape.object = true;
    let mut stack: Vec<Frame> = Vec::new();
    // Is the next string in an object a key?
    let mut want_key = false;
    loop {
        if !s.skip_ws() {
            shape.truncated = true;
            return shape;
        }
        let c = s.b[s.i];
        // the value of a top-level key other than `Resources` and `Transform` holds nothing
        // the recogniser reads: skipped in a tight loop
        if fast
            && matches!(c, b'{' | b'[')
            && stack.len() == 1
            && !matches!(key_at(&stack, 0), Some("Resources" | "Transform"))
        {
            let skipped = s.skip_value();
            if !matches!(skipped, Skipped::Comment) && c == b'[' {
                note_array(&mut shape, &stack);
            }
            match skipped {
                Skipped::Done => {
                    want_key = false;
                    continue;
                }
                Skipped::End => {
                    shape.truncated = true;
                    return shape;
                }
                Skipped::Malformed => {
                    shape.malformed = true;
                    return shape;
                }
                // comments: read the value the general way
                Skipped::Comment => {}
            }
        }
        match c {
            b'{' => {
                s.i += 1;
                stack.push(Frame::Object(None));
                want_key = true;
            }
            b'[' => {
                s.i += 1;
                if stack.len() == 1 {
                    note_array(&mut shape, &stack);
                }
                stack.push(Frame::Array);
                want_key = false;
            }
            b'}' | b']' => {
                s.i += 1;
                stack.pop();
                if stack.is_empty() {
                    return shape;
                }
                want_key = false;
            }
            b',' => {
                s.i += 1;
                want_key = matches!(stack.last(), Some(Frame::Object(_)));
            }
            b':' => {
                s.i += 1;
                want_key = false;
            }
            b'"' => {
                let depth = stack.len();
                if want_key {
                    // the keys read: top-level ones, and `Type` in `Resources.<id>`
                    // (`key_at` reads no other level)
                    let keep = depth == 1 || (depth == 3 && key_at(&stack, 0) == Some("Resources"));
                    let Some(k) = s.string(keep) else {
                        shape.truncated = true;
                        return shape;
                    };
                    if depth == 1 && shape.keys.len() < 64 {
                        shape.keys.push(k.clone());
                    }
                    if let Some(Frame::Object(slot)) = stack.last_mut() {
                        *slot = keep.then_some(k);
                    }
                    want_key = false;
                } else {
                    let interesting = value_of_interest(&stack);
                    let Some(v) = s.string(interesting.is_some()) else {
                        shape.truncated = true;
                        return shape;
                    };
                    match interesting {
                        Some(Interest::Version) => shape.version = Some(v),
                        Some(Interest::Transform) => {
                            shape.sam_transform |= v == "AWS::Serverless-2016-10-31";
                        }
                        Some(Interest::ResourceType) if shape.resource_types.len() < 16 => {
                            shape.resource_types.push(v);
                        }
                        Some(Interest::ResourceType) | None => {}
                    }
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                while s.i < s.b.len()
                    && !matches!(s.b[s.i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    s.i += 1;
                }
            }
            _ => {
                shape.malformed = true;
                return shape;
            }
        }
    }
}

enum Interest {
    Version,
    Transform,
    ResourceType,
}

fn key_at(stack: &[Frame], depth: usize) -> Option<&str> {
    match stack.get(depth) {
        Some(Frame::Object(Some(k))) => Some(k),
        _ => None,
    }
}

/// Which string values the recogniser reads: top-level `Version`, `Transform` (a string or a
/// list of strings), and `Resources.<id>.Type`.
fn value_of_interest(stack: &[Frame]) -> Option<Interest> {
    match stack.len() {
        1 => match key_at(stack, 0)? {
            "Version" => Some(Interest::Version),
            "Transform" => Some(Interest::Transform),
            _ => None,
        },
        2 if matches!(stack[1], Frame::Array) && key_at(stack, 0) == Some("Transform") => {
            Some(Interest::Transform)
        }
        3 if key_at(stack, 0) == Some("Resources") && key_at(stack, 2) == Some("Type") => {
            Some(Interest::ResourceType)
        }
        _ => None,
    }
}

/// Records that the top-level key being read holds an array.
fn note_array(shape: &mut JsonShape, stack: &[Frame]) {
    if let Some(k) = key_at(stack, 0) {
        if shape.array_keys.len() < 64 {
            shape.array_keys.push(k.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_versions_and_resource_types() {
        let s = scan(br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}"#);
        assert!(s.object && !s.truncated && !s.malformed);
        assert_eq!(s.keys, ["Version", "Statement"]);
        assert_eq!(s.version.as_deref(), Some("2012-10-17"));
        assert!(s.is_array("Statement"));

        let s = scan(
            br#"{"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Type": "x"}}}}"#,
        );
        assert!(s.sam_transform);
        assert_eq!(s.resource_types, ["AWS::Serverless::Function"]);
    }

    #[test]
    fn comments_trailing_commas_and_truncation() {
        let s = scan(b"// tsconfig\n{ /* c */ \"compilerOptions\": {\"strict\": true,},\n \"include\": [\"src\"], }");
        assert_eq!(s.keys, ["compilerOptions", "include"]);
        assert!(!s.truncated && !s.malformed);
        let s = scan(br#"{"name": "x", "dependencies": {"a": "1.0"#);
        assert!(s.truncated);
        assert_eq!(s.keys, ["name", "dependencies"]);
        let s = scan(b"[1, 2]");
        assert!(!s.object && !s.malformed);
        let s = scan(b"hello");
        assert!(s.malformed);
        // an escaped quote inside a string does not end it
        let s = scan(br#"{"a": "x\"}", "Statement": []}"#);
        assert_eq!(s.keys, ["a", "Statement"]);
    }

    fn same(a: &JsonShape, b: &JsonShape) -> bool {
        (
            a.object,
            &a.keys,
            &a.version,
            a.sam_transform,
            &a.resource_types,
            &a.array_keys,
            a.truncated,
            a.malformed,
        ) == (
            b.object,
            &b.keys,
            &b.version,
            b.sam_transform,
            &b.resource_types,
            &b.array_keys,
            b.truncated,
            b.malformed,
        )
    }

    /// The shape read from a strictly parsed tree is the scanner's, on every JSON fixture
    /// of the repository and on documents built to probe each fact it holds.
    #[test]
    fn shape_from_the_tree_is_the_scanned_shape() {
        let mut texts: Vec<String> = vec![
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}], "Id": 3}"#.into(),
            r#"{"Version": ["2012-10-17"], "Statement": {}}"#.into(),
            r#"{"Transform": ["x", "AWS::Serverless-2016-10-31"], "Resources": {"F": {"Properties": {"Type": "no"}, "Type": "AWS::Serverless::Function"}, "G": 1, "H": {"Type": 2}}}"#.into(),
            r#"{"Transform": "AWS::Serverless-2016-10-31", "Resources": [{"Type": "AWS::S3::Bucket"}, [{"Type": "nested"}], "s"]}"#.into(),
            r#"{"Transform": [["AWS::Serverless-2016-10-31"]], "Resources": "x"}"#.into(),
            r#"{"a\"b": 1}"#.into(),
            r#"{"Version": "2012-10-1\u0037"}"#.into(),
            r#"{"Resources": {"R": {"\u0054ype": "AWS::S3::Bucket"}}}"#.into(),
            format!(r#"{{"{}": 1, "Version": "{}"}}"#, "k".repeat(300), "v".repeat(255)),
            format!(
                "{{{}}}",
                (0..70)
                    .map(|i| format!(r#""k{i}": []"#))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                r#"{{"Resources": {{{}}}}}"#,
                (0..20)
                    .map(|i| format!(r#""R{i}": {{"Type": "AWS::T{i}"}}"#))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "[1]".into(),
            "{}".into(),
        ];
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures"
        ))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "json")
                    && let Ok(t) = std::fs::read_to_string(&p)
                {
                    texts.push(t);
                }
            }
        }
        let mut compared = 0;
        for t in &texts {
            let Ok(tree) = crate::parse::json::parse(t) else {
                continue;
            };
            let Some(shape) = from_tree(&tree) else {
                continue;
            };
            compared += 1;
            let scanned = scan(t.as_bytes());
            assert!(same(&shape, &scanned), "{t}\n{shape:?}\n{scanned:?}");
        }
        assert!(compared > 100, "{compared}");
        // escaped or long strings the scanner reads differently are left to it
        for t in &texts[5..9] {
            assert!(
                from_tree(&crate::parse::json::parse(t).unwrap()).is_none(),
                "{t}"
            );
        }
    }

    proptest::proptest! {
        /// Skipping values in the tight loop gives the shape reading them token by token
        /// gives, on JSON-like text with comments, garbage and truncation.
        #[test]
        fn fast_skip_is_the_token_by_token_shape(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "[", "]", ",", ":", " ", "\n", "\"Statement\"", "\"Version\"",
                    "\"Resources\"", "\"Type\"", "\"Transform\"", "\"x\"", "\"a\\\"b\"",
                    "\"2012-10-17\"", "1", "-2.5", "true", "null", "/", "//c\n", "/*c*/",
                    "@", "\"AWS::S3::Bucket\"", "\t", "\"", "\\",
                ]),
                0..40,
            )
        ) {
            let text = format!("{{{}", parts.concat());
            let fast = scan_with(text.as_bytes(), true);
            let slow = scan_with(text.as_bytes(), false);
            proptest::prop_assert!(same(&fast, &slow), "{text:?}\n{fast:?}\n{slow:?}");
        }
    }
}
