//! A loaded document: its name, its text and a line index. Every span in the model points into
//! one of these.

use std::sync::{Arc, OnceLock};

/// Bytes between two character-count checkpoints (see [`Source::line_col`]).
const CHECKPOINT: usize = 256;

/// A byte range `[start, end)` inside a [`Source`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    pub fn to(&self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        miette::SourceSpan::new((s.start as usize).into(), s.len())
    }
}

/// One document: a file, a policy inside an authorization-details file, stdin, ...
#[derive(Clone, Debug)]
pub struct Source {
    /// What a user calls it: a path, or `file.json#UserDetailList/alice/inline/Deploy`.
    pub name: Arc<str>,
    pub text: Arc<str>,
    line_starts: Arc<[u32]>,
    /// `chars[i]`: the number of characters in the first `i * CHECKPOINT` bytes of the text,
    /// built on the first [`Source::line_col`] call, so a column costs at most `CHECKPOINT`
    /// bytes of counting however long its line is.
    chars: Arc<OnceLock<Box<[u32]>>>,
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.text == other.text
    }
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl Source {
    /// The whole lines around bytes `lo..hi` and `extra` lines more on each side: their first
    /// byte, the byte after them, and the index of the first. What the windowed `read_span`
    /// (miette's snippets) reads for spans inside `lo..hi` with up to `extra - 2` context
    /// lines lies inside it. `None` when the bytes are not in the text.
    pub(crate) fn lines_around(
        &self,
        lo: usize,
        hi: usize,
        extra: usize,
    ) -> Option<(usize, usize, usize)> {
        let text = self.text.as_bytes();
        if lo > hi || hi > text.len() || self.line_starts.is_empty() {
            return None;
        }
        let line_of = |offset: usize| match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let first = line_of(lo).saturating_sub(extra);
        let last = line_of(hi) + extra;
        let base = *self.line_starts.get(first)? as usize;
        let stop = self
            .line_starts
            .get(last + 1)
            .map_or(text.len(), |&s| s as usize);
        Some((base, stop, first))
    }

    /// The byte offset of each line's start (the first is 0; one more per newline).
    pub(crate) fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }

    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut starts = vec![0u32];
        crate::swar::each_byte(text.as_bytes(), b'\n', |i| {
            starts.push(i as u32 + 1);
            true
        });
        Source {
            name: name.into(),
            text,
            line_starts: starts.into(),
            chars: Arc::default(),
        }
    }

    /// [`Source::new`] with the line starts already known (from a parse of the text: see
    /// [`crate::parse::json::parse_with_line_starts`]); `None` computes them.
    pub(crate) fn with_line_starts(
        name: impl Into<Arc<str>>,
        text: impl Into<Arc<str>>,
        starts: Option<Vec<u32>>,
    ) -> Self {
        let Some(starts) = starts else {
            return Source::new(name, text);
        };
        let text: Arc<str> = text.into();
        debug_assert_eq!(
            *Source::new("", text.clone()).line_starts,
            starts[..],
            "the given line starts are the text's"
        );
        Source {
            name: name.into(),
            text,
            line_starts: starts.into(),
            chars: Arc::default(),
        }
    }

    /// The same text under another name (for documents inside a larger file); cheap.
    pub fn renamed(&self, name: impl Into<Arc<str>>) -> Source {
        Source {
            name: name.into(),
            text: self.text.clone(),
            line_starts: self.line_starts.clone(),
            chars: self.chars.clone(),
        }
    }

    /// Reads a file as strict UTF-8. Invalid bytes are an error with the byte offset; a file
    /// is never decoded lossily.
    pub fn from_bytes(name: impl Into<Arc<str>>, bytes: Vec<u8>) -> Result<Self, EncodingError> {
        Source::from_bytes_indexed(name, bytes, |_| None)
    }

    /// [`Source::from_bytes`]; `index` sees the decoded text first and may give its line
    /// starts (see [`Source::with_line_starts`]).
    pub(crate) fn from_bytes_indexed(
        name: impl Into<Arc<str>>,
        bytes: Vec<u8>,
        index: impl FnOnce(&str) -> Option<Vec<u32>>,
    ) -> Result<Self, EncodingError> {
        let name = name.into();
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(EncodingError::Utf16 { name });
        }
        match String::from_utf8(bytes) {
            Ok(s) => {
                let starts = index(&s);
                Ok(Source::with_line_starts(name, s, starts))
            }
            Err(e) => Err(EncodingError::InvalidUtf8 {
                name,
                offset: e.utf8_error().valid_up_to(),
            }),
        }
    }

    /// The 1-based line and character column of byte `offset`. Linear work in the input
    /// overall: the line is found by binary search, and the column by counting characters
    /// from the nearest checkpoint (one per `CHECKPOINT` bytes), never from the start of a
    /// long line. An offset inside a character counts its bytes from the line start, as
    /// before the checkpoints.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts[line_idx] as usize;
        let end = (offset as usize).min(self.text.len());
        let column = if !self.text.is_char_boundary(end) {
            end - line_start
        } else if end - line_start <= CHECKPOINT {
            count_chars(&self.text.as_bytes()[line_start..end])
        } else {
            self.chars_before(end) - self.chars_before(line_start)
        };
        LineCol {
            line: line_idx as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The number of characters in `text[..offset]` (`offset` on a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let bytes = self.text.as_bytes();
        let table = self.chars.get_or_init(|| {
            let mut acc = 0u32;
            let mut t = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            t.push(0);
            for block in bytes.chunks(CHECKPOINT) {
                acc += count_chars(block) as u32;
                t.push(acc);
            }
            t.into_boxed_slice()
        });
        let block = offset / CHECKPOINT;
        table.get(block).map_or(0, |&c| c as usize)
            + count_chars(&bytes[block * CHECKPOINT..offset])
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// A miette source that names this document.
    pub fn named_source(&self) -> miette::NamedSource<String> {
        miette::NamedSource::new(&self.name, self.text.to_string())
    }
}

/// Characters in UTF-8 bytes: every byte that is not a continuation byte (`10xxxxxx`) starts
/// one. A slice may begin inside a character: its continuation bytes then count for nothing,
/// so counts of adjacent slices add up.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Diagnostics read only the few lines around a span. miette's own implementation for strings
/// scans from the start of the text on every read, which is quadratic when one large document
/// (an authorization-details file of many MB) carries thousands of findings. This one cuts a
/// window of whole lines around the span with the line index, lets miette compute the context
/// inside the window, and shifts offsets and line numbers back, so the rendering is identical.
impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let line_of = |offset: usize| match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let first = line_of(start).saturating_sub(context_lines_before + 2);
        let last = line_of(end) + context_lines_after + 2;
        let base = self.line_starts[first] as usize;
        let stop = self
            .line_starts
            .get(last + 1)
            .map_or(text.len(), |&s| s as usize);
        let window = &text[base..stop];
        let local = miette::SourceSpan::new((start - base).into(), span.len());
        let inner = <[u8] as miette::SourceCode>::read_span(
            window,
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        let inner_span = inner.span();
        let data: &'a [u8] =
            &text[base + inner_span.offset()..base + inner_span.offset() + inner_span.len()];
        // named, so a diagnostic shown without a `NamedSource` around it (a template reader's
        // error in `verify`/`check`) says which file (it showed `[23:54]` alone)
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            data,
            miette::SourceSpan::new((base + inner_span.offset()).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EncodingError {
    #[error("{name}: invalid UTF-8 at byte {offset}")]
    #[diagnostic(
        code(greenlight::encoding),
        help("IAM policy documents are UTF-8 text; re-save the file as UTF-8")
    )]
    InvalidUtf8 { name: Arc<str>, offset: usize },
    #[error("{name}: the file is UTF-16, not UTF-8")]
    #[diagnostic(
        code(greenlight::encoding),
        help("Windows PowerShell writes UTF-16 by default; re-save the file as UTF-8 without BOM")
    )]
    Utf16 { name: Arc<str> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = Source::new("x", "ab\ncd\n\nef");
        assert_eq!(s.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(s.line_col(1), LineCol { line: 1, column: 2 });
        assert_eq!(s.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(s.line_col(7), LineCol { line: 4, column: 1 });
        assert_eq!(s.line_col(8), LineCol { line: 4, column: 2 });
    }

    /// The checkpointed column agrees with counting the characters of the line prefix, on lines
    /// much longer than a checkpoint block, with multi-byte characters across block borders.
    #[test]
    fn columns_on_long_lines_match_the_character_count() {
        let mut text = String::from("{\n");
        for i in 0..3000 {
            text.push_str(match i % 4 {
                0 => "ab",
                1 => "é",
                2 => "€x",
                _ => "😀",
            });
            if i % 1100 == 1099 {
                text.push('\n');
            }
        }
        let src = Source::new("long", text.as_str());
        let naive = |offset: usize| {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            LineCol {
                line: line as u32,
                column: text[line_start..offset].chars().count() as u32 + 1,
            }
        };
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(
                src.line_col(offset as u32),
                naive(offset),
                "offset {offset}"
            );
        }
        // Renamed copies share the checkpoints.
        assert_eq!(
            src.renamed("b").line_col(text.len() as u32),
            naive(text.len())
        );
    }

    #[test]
    fn windowed_read_span_matches_miette_on_the_whole_text() {
        use miette::SourceCode;
        let text = "{\n  \"a\": 1,\r\n  \"b\": [\n    2,\n    3\n  ]\n}\n\nlast";
        let src = Source::new("x", text);
        for start in 0..text.len() {
            for len in [0, 1, 3, 9] {
                if start + len > text.len() {
                    continue;
                }
                let span = miette::SourceSpan::new(start.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let a = src.read_span(&span, before, after).unwrap();
                    let b = text.read_span(&span, before, after).unwrap();
                    assert_eq!(a.data(), b.data(), "{start}+{len} {before}/{after}");
                    assert_eq!(a.span(), b.span());
                    assert_eq!(a.line(), b.line());
                    assert_eq!(a.column(), b.column());
                    assert_eq!(a.line_count(), b.line_count());
                }
            }
        }
    }

    #[test]
    fn invalid_utf8_names_offset() {
        let e = Source::from_bytes("f", vec![b'{', b'"', 0xff, b'"', b'}']).unwrap_err();
        assert!(matches!(e, EncodingError::InvalidUtf8 { offset: 2, .. }));
    }
}
