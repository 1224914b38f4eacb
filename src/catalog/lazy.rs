//! The user cache file, read chunk by chunk on first use.
//!
//! A refreshed catalog is about 5 MB. Reading all of it into memory on every start would cost
//! several milliseconds (mostly page faults on the fresh buffer), while a typical command
//! looks at a few dozen records. So the cache file carries a checksum for every
//! [`CHUNK`]-sized piece of the compiled catalog, and a process reads (and verifies) only the
//! chunks its lookups touch. The encoder keeps every string inside one chunk and every
//! section word-aligned, so a lookup never straddles two chunks; anything that does (a caller
//! asking for the whole catalog) reads and verifies the whole file once.
//!
//! File format: the compiled catalog, then one little-endian `u64` checksum per chunk, then
//! the chunk count and chunk size (`u64` each), `GLCKSUM2`, and a checksum of the checksum
//! table with the two counts.
//!
//! A chunk that cannot be read or fails its checksum after the file was opened (the file
//! was damaged or truncated in place while in use) reads as `0xFF` bytes, which every lookup
//! treats as absent, and is recorded: [`LazyFile::damage`] then names it, and the CLI exits
//! with an error after the command, so a damaged cache can never pass a check silently.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::CatalogError;
use super::layout::CHUNK;

/// Marks the trailer of a cache file (version 2: per-chunk checksums).
pub const TRAILER: &[u8; 8] = b"GLCKSUM2";

/// Bytes after the checksum table: chunk count, chunk size, [`TRAILER`], table checksum.
const TAIL: usize = 32;

/// A fast 64-bit checksum that detects damage: four independent FNV-style lanes over
/// 32-byte blocks (so the multiplications overlap), then the tail byte by byte.
pub fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut lanes: [u64; 4] = [
        0xcbf2_9ce4_8422_2325,
        0x8422_2325_cbf2_9ce4,
        0x9e37_79b9_7f4a_7c15,
        0x7f4a_7c15_9e37_79b9,
    ];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            *lane = (*lane ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
            *lane ^= *lane >> 29;
        }
    }
    let mut h = lanes
        .iter()
        .fold(bytes.len() as u64, |h, &l| (h ^ l).wrapping_mul(PRIME));
    for &b in blocks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

/// The bytes of a cache file holding `blob`.
pub fn encode_file(blob: &[u8]) -> Vec<u8> {
    let n = blob.len().div_ceil(CHUNK);
    let mut out = Vec::with_capacity(blob.len() + n * 8 + TAIL);
    out.extend_from_slice(blob);
    for piece in blob.chunks(CHUNK) {
        out.extend_from_slice(&checksum(piece).to_le_bytes());
    }
    out.extend_from_slice(&(n as u64).to_le_bytes());
    out.extend_from_slice(&(CHUNK as u64).to_le_bytes());
    let table_sum = checksum(&out[blob.len()..]);
    out.extend_from_slice(TRAILER);
    out.extend_from_slice(&table_sum.to_le_bytes());
    out
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let mut w = [0u8; 8];
    w.copy_from_slice(b.get(at..at + 8)?);
    Some(u64::from_le_bytes(w))
}

/// Checks the tail of a cache file of `file_len` bytes and returns the compiled catalog's
/// length and the number of chunks. `tail` is the file's last [`TAIL`] bytes.
fn parse_tail(tail: &[u8], file_len: usize) -> Option<(usize, usize)> {
    let n = usize::try_from(u64_at(tail, 0)?).ok()?;
    let chunk = u64_at(tail, 8)?;
    if tail.get(16..24)? != TRAILER || chunk != CHUNK as u64 {
        return None;
    }
    let blob_len = file_len.checked_sub(TAIL)?.checked_sub(n.checked_mul(8)?)?;
    (blob_len.div_ceil(CHUNK) == n).then_some((blob_len, n))
}

/// Checks the checksum table (`table`: the chunk sums, then the two counts) against the
/// trailer's table checksum and returns the chunk sums.
fn parse_table(table: &[u8], tail: &[u8]) -> Option<Vec<u64>> {
    if checksum(table) != u64_at(tail, 24)? {
        return None;
    }
    let n = (table.len() - 16) / 8;
    (0..n).map(|i| u64_at(table, i * 8)).collect()
}

fn damaged(path: &Path, message: &str) -> CatalogError {
    CatalogError::Corrupt {
        what: path.display().to_string(),
        message: message.to_owned(),
    }
}

/// Reads and verifies a whole cache file, returning the compiled catalog.
pub fn read_verified(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, CatalogError> {
    let bad = || damaged(path, "the file is damaged");
    let tail_at = bytes.len().checked_sub(TAIL).ok_or_else(bad)?;
    let (blob_len, n) = parse_tail(&bytes[tail_at..], bytes.len()).ok_or_else(bad)?;
    let sums = parse_table(&bytes[blob_len..tail_at + 16], &bytes[tail_at..]).ok_or_else(bad)?;
    if sums.len() != n
        || bytes[..blob_len]
            .chunks(CHUNK)
            .zip(&sums)
            .any(|(piece, &sum)| checksum(piece) != sum)
    {
        return Err(bad());
    }
    let mut bytes = bytes;
    bytes.truncate(blob_len);
    Ok(bytes)
}

/// An open cache file whose chunks are read on first use.
pub struct LazyFile {
    file: Mutex<File>,
    path: PathBuf,
    len: usize,
    sums: Vec<u64>,
    chunks: Box<[OnceLock<Box<[u8]>>]>,
    whole: OnceLock<Box<[u8]>>,
    damage: OnceLock<String>,
}

fn read_at(file: &mut File, at: usize, buf: &mut [u8]) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(at as u64))?;
    file.read_exact(buf)
}

impl LazyFile {
    /// Opens a cache file, checking its trailer and checksum table (not its data). `None`
    /// when the file does not exist.
    pub fn open(path: &Path) -> Result<Option<LazyFile>, CatalogError> {
        let io = |source| CatalogError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        };
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        let file_len = usize::try_from(file.metadata().map_err(io)?.len())
            .map_err(|_| damaged(path, "the file is too large"))?;
        let bad = || damaged(path, "the file is damaged");
        let tail_at = file_len.checked_sub(TAIL).ok_or_else(bad)?;
        let mut tail = [0u8; TAIL];
        read_at(&mut file, tail_at, &mut tail).map_err(io)?;
        let (blob_len, n) = parse_tail(&tail, file_len).ok_or_else(bad)?;
        let mut table = vec![0u8; n * 8 + 16];
        read_at(&mut file, blob_len, &mut table).map_err(io)?;
        let sums = parse_table(&table, &tail).ok_or_else(bad)?;
        Ok(Some(LazyFile {
            file: Mutex::new(file),
            path: path.to_path_buf(),
            len: blob_len,
            sums,
            chunks: (0..n).map(|_| OnceLock::new()).collect(),
            whole: OnceLock::new(),
            damage: OnceLock::new(),
        }))
    }

    /// Length of the compiled catalog.
    pub fn blob_len(&self) -> usize {
        self.len
    }

    /// `len` bytes at `pos`, or `None` when out of bounds.
    pub fn get(&self, pos: usize, len: usize) -> Option<&[u8]> {
        let end = pos.checked_add(len)?;
        if end > self.len {
            return None;
        }
        if len == 0 {
            return Some(&[]);
        }
        let first = pos / CHUNK;
        if (end - 1) / CHUNK != first {
            return self.whole().get(pos..end);
        }
        let base = first * CHUNK;
        self.chunk(first).get(pos - base..end - base)
    }

    fn chunk(&self, i: usize) -> &[u8] {
        match self.chunks.get(i) {
            Some(slot) => slot.get_or_init(|| {
                let mut buf = vec![0u8; CHUNK.min(self.len - i * CHUNK)].into_boxed_slice();
                self.load(i * CHUNK, &mut buf);
                buf
            }),
            None => &[],
        }
    }

    /// The whole compiled catalog (read and verified once).
    pub fn whole(&self) -> &[u8] {
        self.whole.get_or_init(|| {
            let mut buf = vec![0u8; self.len].into_boxed_slice();
            self.load(0, &mut buf);
            buf
        })
    }

    /// Fills `buf` from the file at `start` (chunk-aligned) and verifies every chunk in it.
    fn load(&self, start: usize, buf: &mut [u8]) {
        let read = match self.file.lock() {
            Ok(mut f) => read_at(&mut f, start, buf).map_err(|e| e.to_string()),
            Err(_) => Err("the file handle is unusable".to_owned()),
        };
        let first = start / CHUNK;
        let verdict = read.and_then(|()| {
            match buf
                .chunks(CHUNK)
                .zip(self.sums.get(first..).unwrap_or_default())
                .position(|(piece, &sum)| checksum(piece) != sum)
            {
                Some(k) => Err(format!("chunk {} fails its checksum", first + k)),
                None => Ok(()),
            }
        });
        if let Err(message) = verdict {
            let _ = self
                .damage
                .set(format!("{}: {message}", self.path.display()));
            buf.fill(0xFF);
        }
    }

    /// What went wrong reading a chunk after the file was opened, if anything did.
    pub fn damage(&self) -> Option<&str> {
        self.damage.get().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::catalog::update::{cache_bytes, write_atomically};

    fn every_answer(c: &Catalog) -> Vec<String> {
        c.actions()
            .map(|a| {
                format!(
                    "{} {} {:?} {:?} {:?}",
                    a.full_name(),
                    a.access_level(),
                    a.description(),
                    a.resources()
                        .iter()
                        .map(|r| (r.resource_type.name(), r.resource_type.arn_formats()))
                        .collect::<Vec<_>>(),
                    a.condition_keys()
                        .iter()
                        .map(|k| (k.name(), k.type_name(), k.description()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect()
    }

    #[test]
    fn a_lazily_read_cache_answers_exactly_like_the_embedded_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bin");
        write_atomically(&path, &cache_bytes(Catalog::embedded())).unwrap();
        let lazy = Catalog::open_lazily(&path).unwrap().unwrap();
        assert_eq!(lazy.counts(), Catalog::embedded().counts());
        assert_eq!(lazy.provenance(), Catalog::embedded().provenance());
        assert_eq!(
            lazy.action("IAM:passrole")
                .map(|a| a.full_name())
                .as_deref(),
            Some("iam:PassRole")
        );
        assert_eq!(
            lazy.expand("codedeploy:*").len(),
            Catalog::embedded().expand("codedeploy:*").len()
        );
        assert_eq!(every_answer(&lazy), every_answer(Catalog::embedded()));
        assert_eq!(lazy.as_bytes(), Catalog::embedded().as_bytes());
        assert!(lazy.damage().is_none());
        assert!(
            Catalog::open_lazily(&dir.path().join("absent"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn no_string_crosses_a_chunk_and_sections_are_word_aligned() {
        let c = Catalog::embedded();
        let blob = c.as_bytes();
        let word =
            |at: usize| u32::from_le_bytes([blob[at], blob[at + 1], blob[at + 2], blob[at + 3]]);
        for sec in 0..crate::catalog::layout::SECTIONS {
            assert_eq!(word(12 + sec * 8) % 4, 0, "section {sec}");
        }
        let str_off = word(12) as usize;
        let crosses = |s: &str| {
            let p = s.as_ptr() as usize - blob.as_ptr() as usize;
            assert!(p >= str_off);
            !s.is_empty() && p / CHUNK != (p + s.len() - 1) / CHUNK
        };
        for a in c.actions() {
            assert!(!crosses(a.name()), "{}", a.name());
            assert!(!a.description().is_some_and(crosses), "{}", a.name());
            for r in a.resources() {
                assert!(!r.resource_type.arn_formats().into_iter().any(crosses));
            }
        }
        for k in c.global_condition_keys() {
            assert!(!crosses(k.name()));
        }
    }

    #[test]
    fn damage_found_after_opening_is_recorded_and_reads_as_absent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bin");
        let mut bytes = cache_bytes(Catalog::embedded());
        let blob_len = Catalog::embedded().as_bytes().len();
        // damage the second half of the data: the header chunk still opens
        for at in (blob_len / 2..blob_len).step_by(CHUNK) {
            bytes[at] ^= 0x40;
        }
        std::fs::write(&path, &bytes).unwrap();
        let lazy = Catalog::open_lazily(&path).unwrap().unwrap();
        assert!(lazy.damage().is_none());
        let n = lazy
            .actions()
            .filter(|a| a.access_level().as_str() != "")
            .count();
        assert!(n > 0);
        let _ = every_answer(&lazy); // touches every chunk; must not panic
        let d = lazy.damage().unwrap();
        assert!(d.contains("fails its checksum"), "{d}");
        // the eager reader rejects the file outright
        assert!(crate::catalog::update::read_cache_file(&path).is_err());
    }

    #[test]
    fn broken_tails_are_rejected_when_opening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bin");
        let good = cache_bytes(Catalog::embedded());
        let blob_len = Catalog::embedded().as_bytes().len();
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for at in [0, 5, blob_len + 3, good.len() - 20, good.len() - 1] {
            let mut b = good.clone();
            b[at] ^= 0x01;
            cases.push(b);
        }
        cases.push(good[..good.len() - 1].to_vec());
        cases.push(good[1..].to_vec());
        cases.push(b"short".to_vec());
        cases.push(Vec::new());
        for (i, b) in cases.iter().enumerate() {
            std::fs::write(&path, b).unwrap();
            assert!(Catalog::open_lazily(&path).is_err(), "case {i}");
        }
    }
}
