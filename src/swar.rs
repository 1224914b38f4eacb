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

#[cfg(test)]
mod tests {
    use super::*;

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
