//! The text style of a note without miette's renderer, for the common shapes: exactly what
//! miette's `GraphicalReportHandler` (theme `unicode_nocolor`, no links, one line of context)
//! writes for the diagnostic [`super::human::text_one`] builds, or `None` when the note has a
//! shape this renderer does not reproduce (the caller then asks miette).
//!
//! Handled: the header (code, rule, link), the message and the help wrapped as textwrap wraps
//! them (words of printable ASCII the Unicode line-breaking rules never break inside, see
//! [`ascii_words`]; other lines are wrapped by textwrap itself with miette's options), and the
//! snippets of labels that each lie on one line, none empty, none overlapping another, with
//! one-line labels, in lines of printable ASCII without a carriage return near them.
//! Everything else (a span over several lines, an empty span, tabs, wide, combining or control
//! characters, CRLF files) is `None`.

use super::note::{Level, Note, Place};

/// The rendering of `n` after its `file:line:col` line (header, message, snippets of `named`,
/// help), or `None` when miette must render it. `width` is miette's `with_width`.
pub(super) fn render(n: &Note, named: Option<&Place>, width: usize, out: &mut String) -> bool {
    let start = out.len();
    if render_into(n, named, width, out).is_none() {
        out.truncate(start);
        return false;
    }
    true
}

fn render_into(n: &Note, named: Option<&Place>, width: usize, out: &mut String) -> Option<()> {
    out.reserve(
        256 + n.message.len() + n.help.as_ref().map_or(0, String::len) + 64 * n.details.len(),
    );
    // the header: `code` then ` (url)` with links shown as text, then a blank line
    out.push_str(n.code);
    if let Some(r) = &n.rule {
        out.push('(');
        out.push_str(r.name);
        out.push_str(") ");
        out.push_str(r.severity);
        out.push_str(" (");
        out.push_str(r.url);
        out.push(')');
    }
    out.push_str("\n\n");
    let wrap_width = width.saturating_sub(2);
    let indents = match n.level {
        Level::Error => MESSAGE_ERROR,
        Level::Warning => MESSAGE_WARNING,
        Level::Note => MESSAGE_ADVICE,
    };
    fill(out, &n.message, indents, wrap_width);
    out.push('\n');
    if let Some(at) = named {
        snippets(out, n, at)?;
    }
    if let Some(help) = super::human::help_text(n) {
        fill(out, &help, HELP, wrap_width);
        out.push('\n');
    }
    Some(())
}

/// `textwrap::fill(text, ...)` with miette's options (`width`, the two indents, words
/// broken); `indents.2` is the display width of each indent.
fn fill(out: &mut String, text: &str, indents: (&'static str, &str, usize), width: usize) {
    // a run renders the same helps (and many messages) again and again: the last wrapping of
    // each text, by a hash of the text, indents and width (a collision is a miss)
    use std::hash::BuildHasher;
    let key = WRAPPED.with(|w| w.borrow().0.hash_one((text, indents.0, width)));
    let hit = WRAPPED.with(|w| {
        let w = w.borrow();
        match w.1.get(&key) {
            Some((t, i, wd, wrapped)) if **t == *text && *i == indents.0 && *wd == width => {
                out.push_str(wrapped);
                true
            }
            _ => false,
        }
    });
    if hit {
        return;
    }
    let start = out.len();
    if !fill_ascii(out, text, indents, width) {
        out.push_str(&textwrap_fill(text, indents.0, indents.1, width));
    }
    let wrapped: Box<str> = out[start..].into();
    WRAPPED.with(|w| {
        let mut w = w.borrow_mut();
        if w.1.len() >= 4096 {
            w.1.clear();
        }
        w.1.insert(key, (text.into(), indents.0, width, wrapped));
    });
}

/// Wrapped texts of this thread: (text, first indent, width, what [`fill`] writes).
type Wrapped = std::collections::HashMap<
    u64,
    (Box<str>, &'static str, usize, Box<str>),
    std::hash::BuildHasherDefault<IdentityHasher>,
>;

thread_local! {
    static WRAPPED: std::cell::RefCell<(foldhash::fast::RandomState, Wrapped)> =
        std::cell::RefCell::new(Default::default());
}

/// The hash map's hasher of keys that are hashes already.
#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The indents of the message at each level, and of the help, with their display width.
const MESSAGE_ERROR: (&str, &str, usize) = ("  × ", "  │ ", 4);
const MESSAGE_WARNING: (&str, &str, usize) = ("  ⚠ ", "  │ ", 4);
const MESSAGE_ADVICE: (&str, &str, usize) = ("  ☞ ", "  │ ", 4);
const HELP: (&str, &str, usize) = ("  help: ", "        ", 8);

/// What miette writes for `text` wrapped with these indents at `width`.
pub(super) fn textwrap_fill(text: &str, first: &str, rest: &str, width: usize) -> String {
    textwrap::fill(
        text,
        textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(true),
    )
}

/// Break opportunities between two printable ASCII bytes (`0x21..0x7f`) as textwrap's
/// `WordSeparator::UnicodeBreakProperties` finds them (the Unicode line-breaking rules of
/// `unicode-linebreak`, without the breaks after `-` textwrap leaves to its word splitter):
/// bit `b` of `INNER_BREAK[a]` when `ab` has one between `a` and `b`, of `SPACE_BREAK[a]` when
/// `a b` has one after the space. Computed from textwrap (checked by the tests below).
#[rustfmt::skip]
const INNER_BREAK: [u128; 128] = [0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x4fffffffdfffffff73ff0d7800000000,0x0,0x0,0x100000000000083000000000,0x100000000000083000000000,0x0,0x0,0x0,0x8000000080000000000010000000000,0x0,0x100000000000083000000000,0x8000000180000000000093000000000,0x0,0x8000000180000000000093000000000,0x4fffffffdfffffff70000d7800000000,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x8000000180000000000093000000000,0x8000000180000000000093000000000,0x0,0x0,0x0,0x4fffffffdfffffff73ff0d7800000000,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x100000000000083000000000,0x8000000080000000000010000000000,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x4fffffffdfffffff73ff0d7800000000,0x4fffffffcfffffff73ff054800000000,0x0,0x0,];
#[rustfmt::skip]
const SPACE_BREAK: [u128; 128] = [0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x5fffffffdfffffff73ff2dfc00000000,0x57ffffffd7ffffff73ff2cfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x57ffffffd7ffffff73ff2cfc00000000,0x0,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x0,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x0,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x5fffffffdfffffff73ff2dfc00000000,0x0,];

fn bit(table: &[u128; 128], a: u8, b: u8) -> bool {
    table[a as usize & 127] >> (b & 127) & 1 == 1
}

/// `BREAK[a][b]`: [`INNER_BREAK`] as a table of bytes (one load a pair).
static BREAK: [[bool; 128]; 128] = {
    let mut t = [[false; 128]; 128];
    let mut a = 0;
    while a < 128 {
        let mut b = 0;
        while b < 128 {
            t[a][b] = INNER_BREAK[a] >> b & 1 == 1;
            b += 1;
        }
        a += 1;
    }
    t
};

/// The words textwrap's `WordSeparator::UnicodeBreakProperties` finds in `line`, each given
/// to `word` as the byte offsets of its start, of the end of its text and of the end of its
/// trailing spaces; with `hyphens`, the words textwrap's hyphen splitter then makes of them
/// (split after each `-` between two letters or digits of a word, with no space). `false`
/// (and some words given already) unless the line is printable ASCII and spaces, neither
/// starting with a space nor ending with `-` (the caller then lets textwrap wrap it). A run of
/// spaces the rules allow no break after (before `/` or `)`, after `(`, ...) is inside a word.
pub(super) fn ascii_words(
    line: &str,
    hyphens: bool,
    mut word: impl FnMut(usize, usize, usize),
) -> bool {
    let b = line.as_bytes();
    // (textwrap drops the break at the end of the line when a `-` precedes it, and then the
    // last break before it in its place)
    if b.first() == Some(&b' ') || b.last() == Some(&b'-') {
        return false;
    }
    let mut start = 0;
    let mut i = 0;
    // (after spaces that are no break opportunity: the word goes on)
    let mut joined = false;
    while i < b.len() {
        let c = b[i];
        if !(0x21..0x7f).contains(&c) {
            return false;
        }
        if i > start && !joined {
            let p = b[i - 1];
            if BREAK[p as usize & 127][c as usize]
                || (hyphens
                    && p == b'-'
                    && i - 1 > start
                    && c.is_ascii_alphanumeric()
                    && b[i - 2].is_ascii_alphanumeric())
            {
                word(start, i, i);
                start = i;
            }
        }
        joined = false;
        i += 1;
        // (inside a run of letters and digits, which the rules never break and no space
        // follows: nothing to do but move on)
        // (to the last letter or digit of the run: each byte read once)
        if c.is_ascii_alphanumeric() && i < b.len() && b[i].is_ascii_alphanumeric() {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            i = j - 1;
        }
        if i < b.len() && b[i] == b' ' {
            let end = i;
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            if i < b.len() && !bit(&SPACE_BREAK, b[end - 1], b[i]) {
                joined = true;
                continue;
            }
            word(start, end, i);
            start = i;
        }
    }
    if start < b.len() {
        word(start, b.len(), b.len());
    }
    true
}

/// [`textwrap_fill`] when every line of `text` is one [`ascii_words`] reads: textwrap's slow
/// path (its fast paths need an empty indent) with its first-fit algorithm, words wider than
/// the line broken, and the empty first word it adds. `indent` is the display width of both
/// indents. Writes nothing and returns `false` otherwise.
fn fill_ascii(
    out: &mut String,
    text: &str,
    (first, rest, indent): (&str, &str, usize),
    width: usize,
) -> bool {
    let line_width = width.saturating_sub(indent);
    // (textwrap breaks a word wider than the line into pieces this wide)
    let piece = line_width.max(1);
    let start = out.len();
    let mut first_out = true;
    for line in text.split('\n') {
        let mut emit = |out: &mut String, from: usize, to: usize| {
            if first_out {
                out.push_str(first);
                first_out = false;
            } else {
                out.push('\n');
                out.push_str(rest);
            }
            out.push_str(&line[from..to]);
        };
        // first fit puts a fragment on a new line when it does not fit and the line has one
        // already (always here: the empty word first)
        let (mut group_start, mut group_end) = (0, 0);
        let mut filled = 0; // the width of the line so far, with its trailing spaces
        let read = ascii_words(line, true, |s, e, ws| {
            let mut p = s;
            while p < e {
                let q = if e - p > piece && e - s > line_width {
                    p + piece
                } else {
                    e
                };
                let len = q - p;
                if filled + len > line_width {
                    emit(out, group_start, group_end);
                    group_start = p;
                    filled = 0;
                }
                filled += len + if q == e { ws - e } else { 0 };
                group_end = q;
                p = q;
            }
        });
        if !read {
            out.truncate(start);
            return false;
        }
        emit(out, group_start, group_end);
    }
    true
}

/// miette's snippets of a note's labels in the document of `at` (`render_snippets` with one
/// line of context), or `None` for a shape this renderer does not handle.
fn snippets(out: &mut String, n: &Note, at: &Place) -> Option<()> {
    // (miette shows no snippet when the primary place underlines nothing)
    let Some(primary) = at.underlined() else {
        return Some(());
    };
    let src = &at.source;
    let text = src.text.as_bytes();
    let starts = src.line_starts();
    if starts.is_empty() {
        return None;
    }
    // newlines in the text: the last line is `starts.len() - 1`
    let last_line = starts.len() - 1;
    let line_of = |offset: usize| match starts.binary_search(&(offset as u32)) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    // (start, end, line, label, primary), sorted by start
    let mut labels: Vec<(usize, usize, usize, &str, bool)> = Vec::with_capacity(1);
    labels.push((
        primary.start as usize,
        primary.end as usize,
        0,
        at.label.as_str(),
        true,
    ));
    for r in super::human::same_document(n, at) {
        if let Some(s) = r.underlined() {
            labels.push((s.start as usize, s.end as usize, 0, r.label.as_str(), false));
        }
    }
    labels.sort_by_key(|l| l.0);
    let mut prev_end = 0;
    for l in &mut labels {
        let (s, e) = (l.0, l.1);
        if s >= e || e > text.len() || s < prev_end || l.3.contains('\n') {
            return None;
        }
        if text[s..e].iter().any(|&c| c == b'\n' || c == b'\r') {
            return None;
        }
        prev_end = e;
        l.2 = line_of(s);
    }
    let (lo_line, hi_line) = (labels[0].2, labels[labels.len() - 1].2);
    // no carriage return in the lines miette's reads see (a lone one is a line break there)
    let window_start = starts[lo_line.saturating_sub(3)] as usize;
    let window_end = starts.get(hi_line + 4).map_or(text.len(), |&s| s as usize);
    if text[window_start..window_end].contains(&b'\r') {
        return None;
    }
    // miette's `read_span` with one line of context: the first line of a context and the
    // number of newlines up to the end of its last
    let first_line = |line: usize| line.saturating_sub(1);
    let newlines_through = |line: usize| (line + 2).min(last_line);
    // contexts (start, end, line of the start, line of the last byte), merged as miette
    // merges them
    let mut contexts: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(1);
    for &(s, e, line, _, _) in &labels {
        if let Some(left) = contexts.last_mut()
            && first_line(left.2) + newlines_through(left.3) >= first_line(line)
        {
            let end = left.1.max(e);
            *left = (left.0, end, left.2, line_of(end - 1));
            continue;
        }
        contexts.push((s, e, line, line));
    }
    let text_str = &*src.text;
    for &(cs, ce, cl, cle) in &contexts {
        let from = first_line(cl);
        let mut to = (cle + 1).min(last_line);
        // (the empty line after a final newline is no line of the snippet)
        if to == last_line && starts[to] as usize == text.len() && to > cle {
            to -= 1;
        }
        let linum_width = digits(to + 1);
        // the header names the primary label's place, or the first label's of the context
        let in_ctx = labels.iter().filter(|l| cs <= l.0 && l.1 <= ce);
        let head = in_ctx
            .clone()
            .find(|l| l.4)
            .or_else(|| in_ctx.clone().next())?;
        let head_col = head.0 - starts[head.2] as usize;
        push_spaces(out, linum_width + 2);
        out.push_str("╭─[");
        out.push_str(&at.name);
        out.push(':');
        crate::lint::util::push_count(out, head.2 + 1);
        out.push(':');
        crate::lint::util::push_count(out, head_col + 1);
        out.push_str("]\n");
        let mut next = 0;
        for line in from..=to {
            let off = starts[line] as usize;
            let end = starts.get(line + 1).map_or(text.len(), |&s| s as usize - 1);
            let bytes = &text[off..end];
            if !bytes.iter().all(|&c| (0x20..0x7f).contains(&c)) {
                return None;
            }
            out.push(' ');
            let num = line + 1;
            push_spaces(out, linum_width - digits(num));
            crate::lint::util::push_count(out, num);
            out.push_str(" │ ");
            out.push_str(&text_str[off..end]);
            out.push('\n');
            // the labels of this line (a run of the sorted labels)
            while next < labels.len() && labels[next].2 < line {
                next += 1;
            }
            let run = next..labels[next..]
                .iter()
                .position(|l| l.2 != line)
                .map_or(labels.len(), |k| next + k);
            let on_line = &labels[run];
            if on_line.is_empty() {
                continue;
            }
            // (the column of a label's `┬`: the middle of its underline)
            let vbar = |l: &(usize, usize, usize, &str, bool)| (l.0 - off + l.1 - off) / 2;
            // the underlines, a `┬` under the middle of each
            out.push(' ');
            push_spaces(out, linum_width);
            out.push_str(" · ");
            let mut highest = 0;
            for l in on_line {
                let (start, end, v) = (l.0 - off, l.1 - off, vbar(l));
                push_spaces(out, start - highest);
                push_bars(out, v - start);
                out.push('┬');
                push_bars(out, end - v - 1);
                highest = end;
            }
            out.push('\n');
            // the labels, the last first, each under its `┬` with the `│` of those before it
            for (k, l) in on_line.iter().enumerate().rev() {
                out.push(' ');
                push_spaces(out, linum_width);
                out.push_str(" · ");
                let mut col = 1;
                for before in &on_line[..k] {
                    let v = vbar(before);
                    push_spaces(out, (v + 1).saturating_sub(col));
                    col = col.max(v + 1) + 1;
                    out.push('│');
                }
                push_spaces(out, (vbar(l) + 1).saturating_sub(col));
                out.push_str("╰── ");
                out.push_str(l.3);
                out.push('\n');
            }
        }
        push_spaces(out, linum_width + 2);
        out.push_str("╰────\n");
    }
    Some(())
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

const SPACES: &str = "                                                                ";
const BARS: &str = "────────────────────────────────────────────────────────────────";

fn push_spaces(out: &mut String, mut n: usize) {
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// `n` times `─`.
fn push_bars(out: &mut String, mut n: usize) {
    let each = '─'.len_utf8();
    while n > 0 {
        let k = n.min(BARS.len() / each);
        out.push_str(&BARS[..k * each]);
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::human::{miette_rest, named_place};
    use super::super::note::{Level, Note, Place, RuleTag};
    use super::*;
    use crate::source::{Source, Span};

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
            v[self.below(v.len())]
        }
    }

    /// Renders `n` both ways: this renderer (`None`: it leaves the note to miette) and miette.
    fn both(n: &Note, width: usize) -> (Option<String>, String) {
        let named = named_place(n);
        let mut ours = String::from("before");
        let rendered = render(n, named, width, &mut ours);
        if !rendered {
            assert_eq!(ours, "before", "nothing written when not rendered");
        }
        (
            rendered.then(|| ours["before".len()..].to_string()),
            miette_rest(n, named, width, false, String::new()),
        )
    }

    /// Asserts that this renderer, when it renders `n`, writes what miette writes; whether it
    /// rendered it.
    fn same(n: &Note, width: usize) -> bool {
        let (ours, theirs) = both(n, width);
        match ours {
            Some(o) => {
                assert_eq!(o, theirs, "width {width}, note {n:#?}");
                true
            }
            None => false,
        }
    }

    fn rule() -> Option<RuleTag> {
        Some(RuleTag {
            name: "resource-exposure",
            severity: "warning",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/x.html",
        })
    }

    fn place(src: &Source, s: usize, e: usize, label: &str) -> Place {
        Place::new("dir/policy.json", src.clone(), Span::new(s, e), label)
    }

    const WIDTHS: [usize; 12] = [0, 1, 2, 5, 8, 12, 20, 40, 60, 80, 100, 120];

    const MESSAGES: [&str; 16] = [
        "",
        "short",
        "the policy uses the outdated language version `2008-10-17`",
        // 74 columns: exactly the line at width 80 (76 with the indent, 78 wide)
        "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhh",
        "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhh",
        "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhh",
        "this statement allows changing resource policies, ACLs or shares on resources the policy does not name (4 actions: `cloudwatch:DeleteAccessGrant`, `cloudwatch:DeleteAccessProfile`, `cloudwatch:DeleteDomainAccessGrantForOrganization`, `cloudwatch:UpdateAccessProfile`)",
        "a word longer than the line: arn:aws:iam::123456789012:role_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end",
        "first paragraph\nsecond paragraph that is rather long and goes on and on and on and on until it wraps around\n\nfourth, after an empty line",
        "trailing spaces   \n  leading spaces\nend",
        "two  spaces  between   words and a final newline\n",
        "hyphen-ated words and a/slash and a pipe | and 50% and $5 and {braces}!",
        "unicode: café, naïve, 東京 and an emoji ✅ and a tab\there",
        "quotes \"around\" words and 'single' ones (and parentheses) [and brackets]; dots... commas, colons: yes",
        "an opening ( then a space and ) a closing one, a quote \" (then)",
        "x",
    ];

    const DOC: &str = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {\n            \"Effect\": \"Allow\",\n            \"Action\": [\n                \"s3:GetObject\",\n                \"s3:PutObject\"\n            ],\n            \"Resource\": \"*\"\n        },\n        {\n            \"Effect\": \"Deny\",\n            \"Action\": \"iam:*\",\n            \"Resource\": \"*\"\n        }\n    ]\n}\n";

    fn span_of(doc: &str, text: &str, nth: usize) -> (usize, usize) {
        let s = doc.match_indices(text).nth(nth).unwrap().0;
        (s, s + text.len())
    }

    /// Messages and helps of every shape, at every width, with and without a snippet.
    #[test]
    fn header_message_and_help_as_miette_writes_them() {
        let src = Source::new("dir/policy.json", DOC);
        let (s, e) = span_of(DOC, "\"s3:GetObject\"", 0);
        let mut rendered = 0;
        for (i, m) in MESSAGES.iter().enumerate() {
            for level in [Level::Error, Level::Warning, Level::Note] {
                for &width in &WIDTHS {
                    let mut n = Note::new("GL131", level, *m);
                    if i % 2 == 0 {
                        n.rule = rule();
                    }
                    n.help = Some(MESSAGES[(i + 3) % MESSAGES.len()].to_string());
                    if i % 3 == 0 {
                        n.details = vec![
                            MESSAGES[(i + 5) % MESSAGES.len()].to_string(),
                            String::new(),
                        ];
                    }
                    rendered += same(&n, width) as usize;
                    n.at = Some(place(&src, s, e, "here"));
                    rendered += same(&n, width) as usize;
                }
            }
        }
        assert_eq!(rendered, 2 * MESSAGES.len() * 3 * WIDTHS.len());
    }

    #[test]
    fn indents_are_as_wide_as_said() {
        for (first, rest, w) in [MESSAGE_ERROR, MESSAGE_WARNING, MESSAGE_ADVICE, HELP] {
            assert_eq!(textwrap::core::display_width(first), w);
            assert_eq!(textwrap::core::display_width(rest), w);
        }
    }

    /// Random messages of words of many kinds: ours and textwrap's wrapping agree, and ours
    /// takes most of them.
    #[test]
    fn fill_as_textwrap_fills() {
        let words = [
            "a",
            "the",
            "policy",
            "allows",
            "`s3:GetObject`,",
            "(41",
            "actions:",
            "`iam:*`)",
            "aws:ResourceTag",
            "\"2012-10-17\";",
            "x.y.z",
            "[1]",
            "'q'",
            "arn:aws:s3:::bucket_name_that_is_long",
            "averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword",
            "",
            "1,000",
            "e.g.",
            "a(b)c",
            "#x",
            "k=v",
            "@y",
            "*",
            "~t",
            "^",
            "<a>",
            "--flag",
            "a-b",
            "a/b",
            "!",
            "?",
            "$x",
            "50%",
            "{a}",
            "x|y",
            "é",
            "\t",
        ];
        let mut rng = Rng(0x5eed_1234_abcd_0042);
        let (mut ours, mut all) = (0, 0);
        for _ in 0..4000 {
            let n = 1 + rng.below(30);
            let mut text = String::new();
            for k in 0..n {
                if k > 0 {
                    text.push_str(rng.pick(&[" ", " ", " ", " ", "  ", "\n", " \n", "   "]));
                }
                text.push_str(rng.pick(&words));
            }
            let width = WIDTHS[rng.below(WIDTHS.len())] + rng.below(3);
            for indents in [MESSAGE_WARNING, HELP, MESSAGE_ERROR, MESSAGE_ADVICE] {
                let (first, rest, _) = indents;
                let mut out = String::from("prefix");
                all += 1;
                if fill_ascii(&mut out, &text, indents, width) {
                    ours += 1;
                    assert_eq!(
                        &out["prefix".len()..],
                        textwrap_fill(&text, first, rest, width),
                        "{text:?} at {width}"
                    );
                } else {
                    assert_eq!(out, "prefix", "nothing written when not handled");
                }
            }
        }
        assert!(ours * 4 > all, "{ours} of {all}");
    }

    /// The words of every short string of the printable ASCII this renderer wraps (and some it
    /// does not) are textwrap's, whenever it reads them.
    #[test]
    fn ascii_words_are_textwraps_words() {
        let alphabet: Vec<u8> = (0x20u8..0x7f).collect();
        let check = |s: &str| -> bool {
            let mut read = false;
            for hyphens in [false, true] {
                let mut words = Vec::new();
                if !ascii_words(s, hyphens, |a, b, c| words.push((a, b, c))) {
                    continue;
                }
                read = true;
                let found = textwrap::WordSeparator::UnicodeBreakProperties.find_words(s);
                let theirs: Vec<textwrap::core::Word> = if hyphens {
                    textwrap::word_splitters::split_words(
                        found,
                        &textwrap::WordSplitter::HyphenSplitter,
                    )
                    .collect()
                } else {
                    found.collect()
                };
                let mut at = 0;
                let theirs: Vec<(usize, usize, usize)> = theirs
                    .iter()
                    .map(|w| {
                        // (a hyphen split ends its words with the `-`: no penalty to add)
                        assert_eq!(w.penalty, "");
                        let start = at;
                        at += w.word.len() + w.whitespace.len();
                        (start, start + w.word.len(), at)
                    })
                    .collect();
                assert_eq!(words, theirs, "{s:?} (hyphens: {hyphens})");
            }
            read
        };
        for &a in &alphabet {
            for &b in &alphabet {
                for &c in &alphabet {
                    check(std::str::from_utf8(&[a, b, c]).unwrap());
                    // (every pair is read, with a space or not)
                    if a != b' ' && b != b' ' && b != b'-' {
                        assert!(check(std::str::from_utf8(&[a, b]).unwrap()));
                    }
                }
            }
        }
        let reps = b"a1,.:;([)]\"'`_* ";
        for &a in reps {
            for &b in reps {
                for &c in reps {
                    for &d in reps {
                        for &e in reps {
                            check(std::str::from_utf8(&[a, b, c, d, e]).unwrap());
                        }
                    }
                }
            }
        }
        // longer strings of printable ASCII, with spaces more often
        let mut rng = Rng(0xfeed_beef_0123_4567);
        let mut read = 0;
        for _ in 0..300_000 {
            let len = 4 + rng.below(14);
            let s: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.below(4) == 0 {
                        b' '
                    } else {
                        0x21 + rng.below(0x5e) as u8
                    }
                })
                .collect();
            read += check(std::str::from_utf8(&s).unwrap()) as usize;
        }
        assert!(read > 10_000, "{read}");
    }

    /// The snippet shapes: labels at a line's start and end, several on a line, on adjacent,
    /// near and far lines (miette merges some into one snippet), the last line without a
    /// newline, the first line, line numbers of one and two digits, empty labels.
    #[test]
    fn snippets_as_miette_draws_them() {
        let long: String = (0..130)
            .map(|i| format!("    \"k{i}\": \"value number {i}\",\n"))
            .collect();
        let docs = [
            DOC.to_string(),
            DOC.trim_end().to_string(),
            format!("{{\n{long}    \"end\": 1\n}}"),
            "one line, no newline".to_string(),
            "one line\n".to_string(),
            "a\n\nb\n\n\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl".to_string(),
        ];
        let mut rng = Rng(0x0dd_ba11_cafe_f00d);
        let mut rendered = 0;
        let mut total = 0;
        for doc in &docs {
            let src = Source::new("dir/policy.json", doc.as_str());
            // every non-empty one-line span of a few shapes, as 1 to 4 labels
            let lines: Vec<(usize, usize)> = {
                let mut v = Vec::new();
                let mut at = 0;
                for l in doc.split_inclusive('\n') {
                    let t = l.trim_end_matches('\n');
                    v.push((at, at + t.len()));
                    at += l.len();
                }
                v
            };
            for _ in 0..1500 {
                let k = 1 + rng.below(4);
                let mut spans = Vec::new();
                for _ in 0..k {
                    let (ls, le) = lines[rng.below(lines.len())];
                    if le == ls {
                        continue;
                    }
                    let (s, e) = match rng.below(4) {
                        0 => (ls, ls + 1 + rng.below(le - ls)),
                        1 => (ls + rng.below(le - ls), le),
                        _ => {
                            let s = ls + rng.below(le - ls);
                            (s, s + 1 + rng.below(le - s))
                        }
                    };
                    spans.push((s, e));
                }
                if spans.is_empty() {
                    continue;
                }
                let labels = ["here", "", "allowed here", "a much longer label with words"];
                let mut n = Note::new("GL001", Level::Warning, "message");
                n.rule = rule();
                n.at = Some(place(&src, spans[0].0, spans[0].1, rng.pick(&labels)));
                for &(s, e) in &spans[1..] {
                    n.related.push(place(&src, s, e, rng.pick(&labels)));
                }
                // (a related place in another document is not drawn)
                if rng.below(5) == 0 {
                    n.related.push(Place::new(
                        "other.json",
                        src.clone(),
                        Span::new(0, 1),
                        "elsewhere",
                    ));
                }
                for width in [80, 120] {
                    total += 1;
                    rendered += same(&n, width) as usize;
                }
            }
        }
        // most are drawn here (the rest overlap)
        assert!(rendered * 2 > total, "{rendered} of {total}");
    }

    /// What this renderer leaves to miette, and what it draws, on documents with CRLF, tabs,
    /// wide and combining characters, and spans over several lines or empty.
    #[test]
    fn other_shapes_are_left_to_miette_or_drawn_alike() {
        let docs = [
            DOC.replace('\n', "\r\n"),
            DOC.replace("    ", "\t"),
            DOC.replace("s3:GetObject", "s3:GétObject")
                .replace("Allow", "東京"),
            DOC.replace("Deny", "De\u{301}ny"),
            DOC.replace("iam:*", "iam:\u{1b}[1m*"),
        ];
        let mut rendered = 0;
        for doc in &docs {
            let src = Source::new("dir/policy.json", doc.as_str());
            let (s1, e1) = span_of(doc, "Action", 0);
            let (s2, e2) = span_of(doc, "Resource", 1);
            let cases = [
                vec![(s1, e1)],
                vec![(s2, e2)],
                vec![(s1, e2)],                   // over several lines
                vec![(s1, s1)],                   // empty
                vec![(s1, e1), (s1 + 1, e1 + 3)], // overlapping
                vec![(s2, e2), (s1, e1)],
            ];
            for spans in cases {
                let mut n = Note::new("GL001", Level::Error, "message");
                n.at = Some(place(&src, spans[0].0, spans[0].1, "here"));
                for &(s, e) in &spans[1..] {
                    n.related.push(place(&src, s, e, "there"));
                }
                for width in [80, 120] {
                    rendered += same(&n, width) as usize;
                }
            }
        }
        // (a label over several lines of its own text too)
        let src = Source::new("dir/policy.json", DOC);
        let (s, e) = span_of(DOC, "Action", 0);
        let mut n = Note::new("GL001", Level::Error, "message");
        n.at = Some(place(&src, s, e, "two\nlines"));
        assert!(!same(&n, 80));
        // the CRLF document is left to miette
        let crlf = Source::new("dir/policy.json", DOC.replace('\n', "\r\n"));
        n.at = Some(place(&crlf, s + 5, e + 5, "here"));
        assert!(!same(&n, 80));
        assert!(rendered > 0);
    }
}
