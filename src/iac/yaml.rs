//! YAML (CloudFormation's dialect) → the same spanned tree the strict JSON reader produces
//! ([`json::Value`]), with spans that point into the YAML text.
//!
//! Built on `saphyr-parser`'s event stream, which gives every node its position and tag.
//! CloudFormation reads YAML 1.1
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html>), and
//! so do the tools in front of it (PyYAML in SAM CLI, `aws cloudformation package` and
//! cfn-lint), so plain (unquoted, untagged) scalars are read with YAML 1.1's booleans
//! (<https://yaml.org/type/bool.html>): `true`/`false`, `yes`/`no` and `on`/`off`, each as
//! written in lower case, capitalised or upper case, are booleans (not `y`/`n`, as in PyYAML);
//! plain `null`/`~`/empty are null; plain scalars that are JSON numbers are numbers; everything
//! else (dates such as `2012-10-17` included) is a string. Quoted scalars are strings. YAML
//! 1.1's other number forms (`0x1F`, `1_000`, `1:30`) are not read as numbers.
//!
//! The merge key `<<` (<https://yaml.org/type/merge.html>) is expanded as PyYAML expands it:
//! the keys of the merged mapping (or of each mapping in a merged list, earlier mappings first)
//! are added unless the mapping writes them itself; merged values keep the spans of the place
//! they are written (the anchored mapping). The short-form tags (`!Ref`, `!Sub`, `!GetAtt`, ...)
//! become the long-form objects (`{"Ref": ...}`, `{"Fn::Sub": ...}`).
//!
//! Hostile input is bounded: nesting deeper than [`MAX_DEPTH`], a document that (with its
//! aliases expanded, billion laughs) has more than [`MAX_NODES`] nodes or more than
//! [`MAX_TEXT_BYTES`] bytes of scalar and key text, unknown tags, duplicate keys and multiple
//! documents are errors with a location. Each anchored node is kept as a copy, so copies count
//! towards both limits too.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::parse::json::{Kind, Member, Value};
use crate::source::{Source, Span};

/// Deepest nesting accepted (CloudFormation templates need about 12 levels).
pub const MAX_DEPTH: usize = 128;
/// Most nodes a document may have after alias expansion.
pub const MAX_NODES: usize = 1_000_000;
/// Most bytes of scalar and key text a document may have after alias expansion (a
/// CloudFormation template body is at most 1 MB).
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// Why a YAML text cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// The CloudFormation intrinsic function tags and the long form each stands for.
const TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("GetAZs", "Fn::GetAZs"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    // rule-specific functions, valid in a template's `Rules` section
    // (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-rules.html>);
    // the resolver rejects them anywhere it has to evaluate them
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

/// Byte offsets of character indexes (the parser counts characters).
struct Offsets<'a> {
    text: &'a str,
    /// `None` when the text is ASCII (index = offset).
    table: Option<Vec<u32>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.text.len()),
            Some(t) => t.get(char_index).map_or(self.text.len(), |&b| b as usize),
        }
    }
}

/// What a finished node is, as far as the merge key cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// An untagged (or `!!map`) mapping: can be merged.
    Mapping,
    /// An untagged (or `!!seq`) sequence of [`Form::Mapping`]s: can be merged.
    Mappings,
    /// A plain, untagged `<<`: the merge key when it is a key.
    MergeKey,
    Other,
}

/// The key waiting for its value in a mapping.
enum Key {
    Name(String, Span),
    Merge,
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        items: Vec<Value>,
        /// Whether every item so far is a [`Form::Mapping`].
        mappings: bool,
    },
    Map {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        members: Vec<Member>,
        key: Option<Key>,
        /// Where the merge key is written, if it is.
        merge_at: Option<Span>,
        /// The mappings merged in, the one that wins first.
        merged: Vec<Value>,
    },
}

/// The nodes and the bytes of scalar and key text of a value.
fn size(v: &Value) -> (usize, usize) {
    match &v.kind {
        Kind::Array(a) => a.iter().fold((1, 0), |(n, b), v| {
            let (vn, vb) = size(v);
            (n + vn, b + vb)
        }),
        Kind::Object(m) => m.iter().fold((1, 0), |(n, b), m| {
            let (vn, vb) = size(&m.value);
            (n + 1 + vn, b + m.key.len() + vb)
        }),
        Kind::String(s) | Kind::Number(s) => (1, s.len()),
        Kind::Null | Kind::Bool(_) => (1, 0),
    }
}

/// The members of a mapping with the merged mappings' members added: a key the mapping
/// writes wins, then the first merged mapping that has it (<https://yaml.org/type/merge.html>,
/// as PyYAML's `flatten_mapping` reads it).
fn merge(members: Vec<Member>, merged: Vec<Value>) -> Vec<Member> {
    if merged.is_empty() {
        return members;
    }
    let mut taken: std::collections::HashSet<String> =
        members.iter().map(|m| m.key.clone()).collect();
    let mut out = Vec::new();
    for map in merged {
        let Kind::Object(from) = map.kind else {
            continue;
        };
        for m in from {
            if taken.insert(m.key.clone()) {
                out.push(m);
            }
        }
    }
    out.extend(members);
    out
}

/// Counts what the document holds so far against [`MAX_NODES`] and [`MAX_TEXT_BYTES`].
struct Budget {
    nodes: usize,
    bytes: usize,
}

impl Budget {
    /// Adds `nodes` and `bytes`; on going past a limit, the limit passed (`1000000 nodes`).
    fn add(&mut self, nodes: usize, bytes: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > MAX_NODES {
            return Err(format!("{MAX_NODES} nodes"));
        }
        if self.bytes > MAX_TEXT_BYTES {
            return Err(format!(
                "{} MiB of text ({MAX_TEXT_BYTES} bytes of scalars and keys)",
                MAX_TEXT_BYTES >> 20
            ));
        }
        Ok(())
    }
}

/// Most indentation repairs [`parse`] makes to one document.
const MAX_REPAIRS: usize = 256;

/// Spaces inserted at line starts of the text parsed: (byte offset in the original text, how
/// many), in order; maps offsets of the repaired text back to the original.
#[derive(Default)]
struct Inserted(Vec<(usize, usize)>);

impl Inserted {
    /// The original offset of `at` in the repaired text (inside inserted spaces: where they
    /// were inserted).
    fn original(&self, at: usize) -> usize {
        let mut delta = 0;
        for &(pos, n) in &self.0 {
            let start = pos + delta;
            if at < start {
                break;
            }
            if at < start + n {
                return pos;
            }
            delta += n;
        }
        at - delta
    }

    /// Inserts `n` spaces at `at` (a line start of the repaired text) into `text`.
    fn insert(&mut self, text: &mut String, at: usize, n: usize) {
        let pos = self.original(at);
        match self.0.iter_mut().find(|(p, _)| *p == pos) {
            Some((_, k)) => *k += n,
            None => {
                self.0.push((pos, n));
                self.0.sort_unstable();
            }
        }
        text.insert_str(at, &" ".repeat(n));
    }
}

/// Parses one YAML document into a spanned tree.
///
/// Two forms that PyYAML (and so the AWS CLI, SAM CLI and cfn-lint) reads but YAML's
/// indentation rules and `saphyr` refuse are read as PyYAML does: the lines of a flow
/// collection (items, closing `]` or `}`) at or left of the column of the line that opened it,
/// and the continuation lines of a multi-line quoted scalar indented no further than its key
/// (published templates of aws-samples/serverless-patterns and
/// awslabs/aws-cloudformation-templates are written so; red team 60). Each is repaired by
/// indenting the line ([`repair`]: leading spaces fold away in a quoted scalar and mean nothing
/// in a flow collection) and the document parsed again; spans point into the original text.
/// A line that starts a document marker is never indented.
pub fn parse(source: &Source) -> Result<Value, YamlError> {
    let text: &str = &source.text;
    let first = match parse_text(text, &Inserted::default()) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut repaired = text.to_string();
    let mut inserted = Inserted::default();
    let mut err = first.clone();
    // (each repair parses the document again: at most about 64 MiB of text parsed in all)
    let repairs = MAX_REPAIRS.min((64 << 20) / text.len().max(1));
    for _ in 0..repairs {
        let Some(fixes) = repair(&repaired, &err) else {
            return Err(err.error);
        };
        // (later lines first: earlier offsets stay valid)
        for (at, n) in fixes.into_iter().rev() {
            inserted.insert(&mut repaired, at, n);
        }
        match parse_text(&repaired, &inserted) {
            Ok(v) => return Ok(v),
            Err(e) => err = e,
        }
    }
    // (out of repairs: the file's own first error)
    Err(first.error)
}

/// A parse error with what [`repair`] needs: saphyr's message and the byte offset in the
/// text parsed where it stopped.
#[derive(Clone)]
struct Failed {
    error: YamlError,
    info: String,
    at: usize,
}

/// The spaces to insert (offset of a line start in `text`, how many) that repair the error,
/// if it is one of the two forms [`parse`] reads as PyYAML does.
fn repair(text: &str, failed: &Failed) -> Option<Vec<(usize, usize)>> {
    let at = failed.at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent_of = |start: usize| text[start..].bytes().take_while(|&b| b == b' ').count();
    match failed.info.as_str() {
        // a line of a flow collection (an item, or its closing bracket) at or left of the
        // column of the line that opened the outermost collection: as many spaces as put it
        // past that column, at least one (in block context the same error is a real mistake,
        // left as it is)
        "invalid indentation" | "invalid indentation in flow construct" => {
            let first = text[line_start..at].bytes().all(|b| b == b' ');
            let indent = indent_of(line_start);
            let opened = inside_flow(&text[..at])?;
            // (a document marker ends the document: never indented into it)
            let rest = &text[line_start + indent..];
            if rest.starts_with("---") || rest.starts_with("...") {
                return None;
            }
            (first && indent < 160)
                .then(|| vec![(line_start, (opened + 1).saturating_sub(indent).max(1))])
        }
        // a quoted scalar starting at `at`: its continuation lines indented past its key's
        "invalid indentation in quoted scalar" => {
            let quote = *text.as_bytes().get(at)?;
            if !matches!(quote, b'\'' | b'"') {
                return None;
            }
            let key_indent = indent_of(line_start);
            let bytes = text.as_bytes();
            let mut i = at + 1;
            let mut fixes = Vec::new();
            while i < bytes.len() {
                match bytes[i] {
                    // (an escaped line break, `\` at a line's end, still starts a line)
                    b'\\' if quote == b'"' && bytes.get(i + 1) != Some(&b'\n') => i += 1,
                    b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    c if c == quote => break,
                    b'\n' => {
                        let start = i + 1;
                        // a document marker at a line's start ends the document, whatever
                        // the quote: never indented into the text
                        if text[start..].starts_with("---") || text[start..].starts_with("...") {
                            return None;
                        }
                        let indent = indent_of(start);
                        let blank = text[start + indent..]
                            .bytes()
                            .next()
                            .is_none_or(|b| b == b'\n' || b == b'\r');
                        if !blank && indent <= key_indent {
                            fixes.push((start, key_indent + 1 - indent));
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            (!fixes.is_empty()).then_some(fixes)
        }
        _ => None,
    }
}

/// The indentation of the line that opened the flow collection the end of `text` is inside
/// (a `[`/`{` that starts a node, not closed yet), if it is inside one. Quoted scalars (a
/// quote that starts a scalar: at a line's start or after `:`, `-`, `?`, `,`, `[` or `{`),
/// comments and block scalars (`key: |` and the lines indented past it) are passed over.
fn inside_flow(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let indent_at = |start: usize| b[start..].iter().take_while(|&&c| c == b' ').count();
    let mut depth = 0usize;
    // the indentation of the line that opened the outermost open collection
    let mut opened = 0usize;
    let mut i = 0;
    let mut line_start = 0;
    // the last byte of the line that is not a space or tab (`\n` at a line's start)
    let mut prev = b'\n';
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                if depth == 0 && block_scalar_header(&text[line_start..i]) {
                    // skip the block scalar's lines: blank, or indented past the header's
                    let header = indent_at(line_start);
                    let mut j = i + 1;
                    while j < b.len() {
                        let end = text[j..].find('\n').map_or(b.len(), |k| j + k);
                        let line = &text[j..end];
                        if !line.trim().is_empty() && indent_at(j) <= header {
                            break;
                        }
                        j = (end + 1).min(b.len());
                    }
                    i = j;
                    line_start = j;
                    prev = b'\n';
                    continue;
                }
                line_start = i + 1;
                prev = b'\n';
                i += 1;
                continue;
            }
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            q @ (b'\'' | b'"')
                if matches!(prev, b'\n' | b':' | b'-' | b'?' | b',' | b'[' | b'{') =>
            {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' if q == b'"' => i += 1,
                        b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                        x if x == q => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            // (a bracket opens a collection where a node starts; inside a plain scalar,
            // `it has [brackets`, it is text)
            b'[' | b'{'
                if matches!(prev, b'\n' | b':' | b'-' | b'?' | b',' | b'[' | b'{')
                    || after_anchor_or_tag(&text[line_start..i]) =>
            {
                if depth == 0 {
                    opened = indent_at(line_start);
                }
                depth += 1;
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            _ => {}
        }
        if !matches!(c, b' ' | b'\t') {
            prev = c;
        }
        i += 1;
    }
    (depth > 0).then_some(opened)
}

/// Whether the text before a bracket ends with an anchor or a tag (`Resource: &r [`,
/// `!If [`): the bracket then starts the node.
fn after_anchor_or_tag(before: &str) -> bool {
    before.ends_with([' ', '\t'])
        && before
            .split_whitespace()
            .next_back()
            .is_some_and(|t| t.starts_with(['&', '!']))
}

/// Whether a line ends with a block scalar's header (`key: |`, `- >-`, `|2+`), a comment
/// after it allowed.
fn block_scalar_header(line: &str) -> bool {
    let line = match line.find(" #") {
        Some(k) => &line[..k],
        None => line,
    };
    let t = line.trim_end();
    let (head, last) = match t.rfind([' ', '\t']) {
        Some(k) => (t[..k].trim_end(), &t[k + 1..]),
        None => ("", t),
    };
    let mut chars = last.chars();
    let indicator = matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '+' | '-' | '1'..='9'))
        && last.len() <= 3;
    indicator && (head.is_empty() || head.ends_with(':') || head == "-" || head.ends_with(" -"))
}

/// [`parse`] of `text`, spans mapped back through `inserted`.
fn parse_text(text: &str, inserted: &Inserted) -> Result<Value, Failed> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    // each anchor's value, its size (nodes, bytes) and form
    let mut anchors: HashMap<usize, (Value, (usize, usize), Form)> = HashMap::new();
    let mut budget = Budget { nodes: 0, bytes: 0 };
    let mut root: Option<Value> = None;
    let mut documents = 0usize;
    let err = |span: Span, message: String| Failed {
        error: YamlError { span, message },
        info: String::new(),
        at: 0,
    };
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(x) => x,
            Err(e) => {
                let here = offsets.byte(e.marker().index());
                let at = inserted.original(here);
                return Err(Failed {
                    error: YamlError {
                        span: Span::new(at, at),
                        message: format!("invalid YAML: {}", e.info()),
                    },
                    info: e.info().to_string(),
                    at: here,
                });
            }
        };
        let start = inserted.original(offsets.byte(span.start.index()));
        let end = inserted.original(offsets.byte(span.end.index())).max(start);
        let here = Span::new(start, end);
        let done: Option<(Value, usize, Form)> = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(err(
                        here,
                        "the file holds more than one YAML document".into(),
                    ));
                }
                None
            }
            Event::Alias(id) => {
                let Some((v, (n, b), form)) = anchors.get(&id) else {
                    return Err(err(here, "alias to an unknown anchor".into()));
                };
                // counted before the copy is made
                budget.add(*n, *b).map_err(|limit| {
                    err(here, format!("aliases expand the document past {limit}"))
                })?;
                Some((v.clone(), 0, *form))
            }
            Event::Scalar(value, style, anchor, tag) => {
                budget
                    .add(1, value.len())
                    .map_err(|limit| err(here, format!("the document has more than {limit}")))?;
                let form = if style == ScalarStyle::Plain && tag.is_none() && value == "<<" {
                    Form::MergeKey
                } else {
                    Form::Other
                };
                let v = scalar(&value, style, tag.as_deref(), here).map_err(|m| err(here, m))?;
                Some((v, anchor, form))
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag
                    .map(|t| tag_name(&t))
                    .transpose()
                    .map_err(|m| err(here, m))?
                    .flatten();
                if stack.len() >= MAX_DEPTH {
                    return Err(err(here, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                budget
                    .add(1, 0)
                    .map_err(|limit| err(here, format!("the document has more than {limit}")))?;
                stack.push(Frame::Seq {
                    start,
                    anchor,
                    tag,
                    items: Vec::new(),
                    mappings: true,
                });
                None
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag
                    .map(|t| tag_name(&t))
                    .transpose()
                    .map_err(|m| err(here, m))?
                    .flatten();
                if stack.len() >= MAX_DEPTH {
                    return Err(err(here, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                budget
                    .add(1, 0)
                    .map_err(|limit| err(here, format!("the document has more than {limit}")))?;
                stack.push(Frame::Map {
                    start,
                    anchor,
                    tag,
                    members: Vec::new(),
                    key: None,
                    merge_at: None,
                    merged: Vec::new(),
                });
                None
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    start: s,
                    anchor,
                    tag,
                    items,
                    mappings,
                }) = stack.pop()
                else {
                    return Err(err(here, "unbalanced sequence".into()));
                };
                let span = Span::new(s, end);
                let form = if mappings && matches!(tag.as_deref(), None | Some("!!seq")) {
                    Form::Mappings
                } else {
                    Form::Other
                };
                let v = wrap(
                    tag.as_deref(),
                    Value {
                        kind: Kind::Array(items),
                        span,
                    },
                )
                .map_err(|m| err(span, m))?;
                Some((v, anchor, form))
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    start: s,
                    anchor,
                    tag,
                    members,
                    merged,
                    ..
                }) = stack.pop()
                else {
                    return Err(err(here, "unbalanced mapping".into()));
                };
                let span = Span::new(s, end);
                let form = if matches!(tag.as_deref(), None | Some("!!map")) {
                    Form::Mapping
                } else {
                    Form::Other
                };
                let v = wrap(
                    tag.as_deref(),
                    Value {
                        kind: Kind::Object(merge(members, merged)),
                        span,
                    },
                )
                .map_err(|m| err(span, m))?;
                Some((v, anchor, form))
            }
        };
        let Some((v, anchor, form)) = done else {
            continue;
        };
        if anchor != 0 {
            // the copy kept for the aliases counts as much as an alias would
            let (n, b) = size(&v);
            budget.add(n, b).map_err(|limit| {
                err(
                    v.span,
                    format!("anchored copies and aliases expand the document past {limit}"),
                )
            })?;
            anchors.insert(anchor, (v.clone(), (n, b), form));
        }
        match stack.last_mut() {
            None => root = Some(v),
            Some(Frame::Seq {
                items, mappings, ..
            }) => {
                *mappings &= form == Form::Mapping;
                items.push(v);
            }
            Some(Frame::Map {
                members,
                key,
                merge_at,
                merged,
                ..
            }) => match key.take() {
                None if form == Form::MergeKey => {
                    if let Some(first) = merge_at {
                        return Err(err(
                            v.span,
                            format!("duplicate merge key `<<` (first at byte {})", first.start),
                        ));
                    }
                    *merge_at = Some(v.span);
                    *key = Some(Key::Merge);
                }
                None => {
                    let k = match &v.kind {
                        Kind::String(k) | Kind::Number(k) => k.clone(),
                        Kind::Bool(b) => b.to_string(),
                        _ => {
                            return Err(err(
                                v.span,
                                format!("a mapping key must be a scalar, found {}", v.type_name()),
                            ));
                        }
                    };
                    let k = &k;
                    if let Some(first) = members.iter().find(|m| &m.key == k) {
                        return Err(err(
                            v.span,
                            format!(
                                "duplicate key `{k}` (first at byte {})",
                                first.key_span.start
                            ),
                        ));
                    }
                    *key = Some(Key::Name(k.clone(), v.span));
                }
                Some(Key::Name(k, key_span)) => members.push(Member {
                    key: k,
                    key_span,
                    value: v,
                }),
                Some(Key::Merge) => match (form, v.kind) {
                    (Form::Mapping, kind) => merged.push(Value { kind, span: v.span }),
                    (Form::Mappings, Kind::Array(items)) => merged.extend(items),
                    (_, kind) => {
                        let found = match kind {
                            Kind::Array(_) => "a list that holds something else",
                            // untagged mappings are `Form::Mapping`
                            Kind::Object(_) => "an intrinsic function tag",
                            kind => Value { kind, span: v.span }.type_name(),
                        };
                        return Err(err(
                            v.span,
                            format!(
                                "the merge key `<<` takes a mapping or a list of mappings \
                                 (https://yaml.org/type/merge.html), found {found}"
                            ),
                        ));
                    }
                },
            },
        }
    }
    root.ok_or_else(|| err(Span::new(0, 0), "the file holds no YAML document".into()))
}

/// The short name of a tag (`Ref` for `!Ref`, `!!str` for `!!str`), `None` for the
/// non-specific tag `!` (the node is read as if untagged, as PyYAML reads it: YAML 1.2
/// section 6.9.1, <https://yaml.org/spec/1.2.2/#691-node-tags>; cfn-lint's fixtures write
/// `! "Ref": "AWS::AccountId"`), or an error for tags CloudFormation does not know.
fn tag_name(tag: &Tag) -> Result<Option<String>, String> {
    // (the scanner gives `!` as an empty handle and the suffix `!`)
    if (tag.handle.is_empty() && tag.suffix == "!") || (tag.handle == "!" && tag.suffix.is_empty())
    {
        return Ok(None);
    }
    if tag.handle == "!" && TAGS.iter().any(|(t, _)| *t == tag.suffix) {
        return Ok(Some(tag.suffix.clone()));
    }
    if tag.is_yaml_core_schema()
        && matches!(
            tag.suffix.as_str(),
            "str" | "int" | "float" | "bool" | "null" | "map" | "seq"
        )
    {
        return Ok(Some(format!("!!{}", tag.suffix)));
    }
    Err(format!(
        "unknown tag `{}{}`",
        if tag.is_yaml_core_schema() {
            "!!"
        } else {
            &tag.handle
        },
        tag.suffix
    ))
}

/// A collection or scalar under a tag: intrinsic tags become `{"Fn::X": value}`.
fn wrap(tag: Option<&str>, v: Value) -> Result<Value, String> {
    let Some(tag) = tag else { return Ok(v) };
    if let Some(core) = tag.strip_prefix("!!") {
        let ok = matches!(
            (core, &v.kind),
            ("map", Kind::Object(_)) | ("seq", Kind::Array(_)) | ("str", Kind::String(_))
        );
        if !ok {
            return Err(format!("the tag `!!{core}` does not fit {}", v.type_name()));
        }
        return Ok(v);
    }
    let Some((_, long)) = TAGS.iter().find(|(t, _)| *t == tag) else {
        return Err(format!("unknown tag `!{tag}`"));
    };
    let span = v.span;
    let arg = if tag == "GetAtt" {
        match &v.kind {
            // `!GetAtt Resource.Attribute` is the list `[Resource, Attribute]`
            Kind::String(s) => match s.split_once('.') {
                Some((r, a)) => Value {
                    kind: Kind::Array(vec![
                        Value {
                            kind: Kind::String(r.to_string()),
                            span,
                        },
                        Value {
                            kind: Kind::String(a.to_string()),
                            span,
                        },
                    ]),
                    span,
                },
                None => return Err(format!("`!GetAtt {s}` is not `Resource.Attribute`")),
            },
            _ => v,
        }
    } else {
        v
    };
    Ok(Value {
        kind: Kind::Object(vec![Member {
            key: (*long).to_string(),
            key_span: span,
            value: arg,
        }]),
        span,
    })
}

/// Whether a plain scalar is a JSON number.
fn is_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !matches!(b.get(i), Some(b'0'..=b'9')) {
            return false;
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
            return false;
        }
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
    }
    i == b.len()
}

/// One scalar, read as CloudFormation reads it.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Result<Value, String> {
    let tag = tag.map(tag_name).transpose()?.flatten();
    let kind = if style != ScalarStyle::Plain || tag.as_deref() == Some("!!str") {
        Kind::String(text.to_string())
    } else {
        match text {
            // YAML 1.1 booleans (https://yaml.org/type/bool.html) as PyYAML reads them: not
            // `y`/`n`
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                Kind::Bool(true)
            }
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                Kind::Bool(false)
            }
            "null" | "Null" | "NULL" | "~" | "" => Kind::Null,
            t if is_number(t) => Kind::Number(t.to_string()),
            t => Kind::String(t.to_string()),
        }
    };
    let v = Value { kind, span };
    match tag.as_deref() {
        None | Some("!!str") => Ok(v),
        Some("!!int" | "!!float") if matches!(v.kind, Kind::Number(_)) => Ok(v),
        Some("!!bool") if matches!(v.kind, Kind::Bool(_)) => Ok(v),
        Some("!!null") if matches!(v.kind, Kind::Null) => Ok(v),
        Some(t) if t.starts_with("!!") => Err(format!("`{text}` is not a `{t}`")),
        Some(t) => wrap(Some(t), v),
    }
}

#[cfg(test)]
mod tests;
