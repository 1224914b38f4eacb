//! Scanning text eight bytes at a time ("SIMD within a register"), for the loops every policy
//! document goes through: line starts, ARN fields, whitespace and control characters.

pub(crate) const LO: u64 = 0x0101_0101_0101_0101;
pub(crate) const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` equal to `c` (exact: no false positives).
pub(crate) fn bytes_equal(w: u64, c: u8) -> u64 {
    let x = w ^ (LO * u64::from(c));
    !(((x & !HI) + !HI) | x) & HI
}

/// The high bit of each byte of `w` below `n`, for a word of ASCII bytes and `n` ≤ 0x80:
/// `(b | 0x80) - n` cannot borrow from the next byte, and keeps its high bit iff `b` ≥ `n`.
pub(crate) fn ascii_below(w: u64, n: u8) -> u64 {
    !((w | HI) - LO * u64::from(n)) & HI
}

/// The words of `b` (little-endian, so bit `8 * i` belongs to byte `i`), and the bytes left
/// over after the last whole word.
pub(crate) fn words(b: &[u8]) -> (impl Iterator<Item = u64> + '_, &[u8]) {
    let chunks = b.chunks_exact(8);
    let rest = chunks.remainder();
    let it = chunks.map(|c| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_le_bytes(w)
    });
    (it, rest)
}

/// The length of the run at the start of `b` of bytes that are none of `a`, `b2` and no ASCII
/// control character (below 0x20), counted eight bytes at a time; it may stop early (at a byte
/// from 0x80 to 0x9f, or in the last seven bytes), never late.
pub(crate) fn plain_run(b: &[u8], a: u8, b2: u8) -> usize {
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        // (`ascii_below` also flags some bytes of 0x80 and above: an early stop only)
        let m = bytes_equal(w, a) | bytes_equal(w, b2) | ascii_below(w, 0x20);
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// How many bytes at the start of `b` equal `c` (exact), counted eight at a time.
pub(crate) fn run_of(b: &[u8], c: u8) -> usize {
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let other = !bytes_equal(u64::from_le_bytes(w), c) & HI;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + b[at..].iter().take_while(|&&x| x == c).count()
}

/// Calls `f` with the offset of every `c` in `b`, in order, until it returns `false`.
pub(crate) fn each_byte(b: &[u8], c: u8, mut f: impl FnMut(usize) -> bool) {
    let (ws, rest) = words(b);
    let mut at = 0;
    for w in ws {
        let mut m = bytes_equal(w, c);
        while m != 0 {
            if !f(at + (m.trailing_zeros() / 8) as usize) {
                return;
            }
            m &= m - 1;
        }
        at += 8;
    }
    for (i, &x) in rest.iter().enumerate() {
        if x == c && !f(at + i) {
            return;
        }
    }
}

/// The offset of the last `c` in `b` (exact), eight bytes at a time from the end.
pub(crate) fn last_byte(b: &[u8], c: u8) -> Option<usize> {
    let mut end = b.len();
    while let Some(chunk) = end.checked_sub(8).and_then(|s| b.get(s..end)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let m = bytes_equal(u64::from_le_bytes(w), c);
        if m != 0 {
            // the highest flagged bit is bit 8 * i + 7 of byte i of the word
            return Some(end - 8 + (63 - m.leading_zeros() as usize) / 8);
        }
        end -= 8;
    }
    b[..end].iter().rposition(|&x| x == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_byte_finds_the_last_occurrence() {
        for n in 0..40usize {
            for step in 1..9 {
                for phase in 0..step {
                    let b: Vec<u8> = (0..n)
                        .map(|i| if i % step == phase { b'/' } else { 0xC3 })
                        .collect();
                    let want = b.iter().rposition(|&x| x == b'/');
                    assert_eq!(last_byte(&b, b'/'), want, "{n} {step} {phase}");
                }
            }
            assert_eq!(last_byte(&vec![b'a'; n], b'/'), None);
        }
    }

    /// `plain_run` never passes a quote, a backslash or a control character, and stops at
    /// most seven bytes early on ASCII text.
    #[test]
    fn plain_run_stops_at_or_before_the_first_special_byte() {
        let alphabet = [
            b'a', b'"', b'\\', b'\n', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0x9f, 0xa0, 0xff,
        ];
        for n in 0..40usize {
            for &special in &alphabet {
                for at in 0..=n {
                    let b: Vec<u8> = (0..n)
                        .map(|i| if i == at { special } else { b'a' })
                        .collect();
                    let first = b
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                        .unwrap_or(n);
                    let got = plain_run(&b, b'"', b'\\');
                    assert!(got <= first, "{n} {at} {special:#x}: {got} > {first}");
                    if special < 0x80 {
                        assert!(first - got < 8, "{n} {at} {special:#x}: {got} vs {first}");
                    }
                }
            }
        }
    }

    #[test]
    fn run_of_counts_the_leading_bytes_equal_to_c() {
        for n in 0..40usize {
            for at in 0..=n {
                let b: Vec<u8> = (0..n).map(|i| if i < at { b' ' } else { b'x' }).collect();
                assert_eq!(run_of(&b, b' '), at, "{n} {at}");
            }
        }
    }

    #[test]
    fn each_byte_finds_every_occurrence_in_order() {
        for n in 0..40usize {
            for step in 1..7 {
                let b: Vec<u8> = (0..n)
                    .map(|i| if i % step == 0 { b':' } else { 0xC3 })
                    .collect();
                let want: Vec<usize> = (0..n).filter(|i| i % step == 0).collect();
                let mut got = Vec::new();
                each_byte(&b, b':', |i| {
                    got.push(i);
                    true
                });
                assert_eq!(got, want, "{n} {step}");
                let mut first = Vec::new();
                each_byte(&b, b':', |i| {
                    first.push(i);
                    false
                });
                assert_eq!(first, want.iter().copied().take(1).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn masks_are_exact_for_every_byte() {
        for v in 0u8..=255 {
            for pos in 0..8 {
                let w =
                    (u64::from(v) << (8 * pos)) | ((u64::from(b'x') * LO) & !(0xFF << (8 * pos)));
                let bit = 0x80u64 << (8 * pos);
                for c in [0u8, b'\n', b':', b'x', 0x80, 0xFF] {
                    assert_eq!(bytes_equal(w, c) & bit != 0, v == c, "{v} {c} {pos}");
                }
                if v < 0x80 {
                    for n in [9u8, 14, 0x20, 0x80] {
                        assert_eq!(ascii_below(w, n) & bit != 0, v < n, "{v} {n} {pos}");
                    }
                }
            }
        }
    }
}
