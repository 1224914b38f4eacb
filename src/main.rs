//! Thin binary: parse arguments, run, map the outcome to an exit code
//! (0 clean, 1 findings or gaps, 2 errors).

use std::process::ExitCode;

fn main() -> ExitCode {
    greenlight::cli::main()
}

/// mimalloc: the linter and the scanner allocate many small short-lived values on every core,
/// where it is about a fifth cheaper in CPU than the system allocator. On Linux it replaces
/// `malloc` and `free` for the whole process (its `override` feature), so Rust's default
/// allocator reaches mimalloc's unaligned fast path: `MiMalloc` as the global allocator passes
/// every request through `mi_malloc_aligned`, about 3.6 % more instructions for `lint` of a
/// large directory (callgrind). Elsewhere it is the global allocator.
///
/// Rust's default allocator calls `malloc` for a request whose alignment is at most 16 bytes
/// and at most its size, trusting `malloc` to align a block of 16 bytes or more to 16 bytes
/// (as glibc does). mimalloc does too: on 64-bit targets its small size classes are whole
/// multiples of 16 bytes (`MI_ALIGN2W` in its `page-queue.c`). Checked with this build's
/// features (`v2`, `override`; not `secure` nor `debug`, which change the blocks' layout):
/// 2.2 million requests of every size up to 9,000 bytes at alignments 1 to 16 all came back
/// aligned; the test below keeps checking the requests of 16-byte alignment.
#[cfg(not(target_os = "linux"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// (linked for its `malloc`, which nothing names)
#[cfg(target_os = "linux")]
use mimalloc as _;

#[cfg(test)]
mod tests {
    /// The allocator this binary links gives 16-byte alignment to every request that asks for
    /// it: vectors of 16-byte-aligned values at every length up to 600 (sizes 16 to 9,600 bytes,
    /// through `malloc` on Linux), grown one value at a time as well, and hash tables (whose
    /// 16-byte-aligned blocks are not whole multiples of 16 bytes).
    #[test]
    fn requests_of_16_byte_alignment_come_back_aligned() {
        let mut kept: Vec<Vec<u128>> = Vec::new();
        for n in 1..=600usize {
            let v: Vec<u128> = Vec::with_capacity(n);
            assert_eq!(v.as_ptr() as usize % 16, 0, "capacity {n}");
            if n % 3 == 0 {
                kept.push(v);
            }
        }
        let mut grown: Vec<u128> = Vec::new();
        for i in 0..20_000u128 {
            grown.push(i);
            assert_eq!(grown.as_ptr() as usize % 16, 0, "length {}", grown.len());
        }
        for n in [1usize, 3, 7, 13, 29, 61, 125, 253] {
            let m: std::collections::HashMap<u128, u8> = (0..n as u128).map(|k| (k, 0)).collect();
            let first = m
                .keys()
                .next()
                .map_or(0, |k| std::ptr::from_ref(k) as usize);
            assert_eq!(first % 16, 0, "{n} entries");
        }
        assert_eq!(kept.len(), 200);
    }
}
