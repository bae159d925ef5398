//! The on-disk half of the compilation cache: one file per key, named by the
//! hex sha256 of the key, written atomically and checked before use.
//!
//! An entry is
//!
//! ```text
//! magic "ZWCACHE1" | format version: u32 LE | key length: u32 LE | key (UTF-8)
//! | payload length: u64 LE | sha256 of payload: 32 bytes | payload
//! ```
//!
//! Every header field is checked against what the reader expects (the magic,
//! the version, the exact key, the length of what follows) and the payload
//! against its checksum, so a truncated, corrupted or foreign file is
//! rejected rather than used. Writers write a temporary file with a unique
//! name in the same directory and rename it over the entry, so a reader sees
//! either an old complete entry or a new complete one, never a torn file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::sha256::{hex, sha256};

/// First bytes of every entry: what the file is and the layout generation.
const MAGIC: &[u8; 8] = b"ZWCACHE1";

/// Bumped when the header layout changes.
const FORMAT_VERSION: u32 = 1;

/// Bytes of the header that are not the key.
const FIXED_HEADER: usize = 8 + 4 + 4 + 8 + 32;

/// Distinguishes temporary files of one process (the pid tells processes apart).
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// What looking a key up in the directory found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No entry for this key.
    Missing,
    /// A valid entry: its payload.
    Hit(Vec<u8>),
    /// An entry that must not be trusted, and why.
    Rejected(String),
}

/// A cache directory.
#[derive(Debug)]
pub(crate) struct DirStore {
    path: PathBuf,
}

impl DirStore {
    /// Uses `path`, creating it (and its parents) if needed.
    pub(crate) fn open(path: PathBuf) -> io::Result<DirStore> {
        fs::create_dir_all(&path)?;
        Ok(DirStore { path })
    }

    /// The directory.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Where the entry for `key` lives.
    pub(crate) fn entry_path(&self, key: &str) -> PathBuf {
        self.path.join(hex(&sha256(key.as_bytes())))
    }

    /// Reads and checks the entry for `key`.
    pub(crate) fn load(&self, key: &str) -> Lookup {
        match fs::read(self.entry_path(key)) {
            Ok(file) => match parse_entry(key, &file) {
                Ok(()) => {
                    let mut file = file;
                    Lookup::Hit(file.split_off(FIXED_HEADER + key.len()))
                }
                Err(why) => Lookup::Rejected(why),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Lookup::Missing,
            Err(e) => Lookup::Rejected(format!("cannot read the entry: {e}")),
        }
    }

    /// Writes the entry for `key` atomically, replacing any existing one.
    pub(crate) fn store(&self, key: &str, payload: &[u8]) -> io::Result<()> {
        let target = self.entry_path(key);
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
        let tmp = self.path.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let result = write_new(&tmp, &encode_entry(key, payload)).and_then(|()| fs::rename(&tmp, &target));
        if result.is_err() {
            // Best effort: a leftover temporary file is harmless but untidy.
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// Creates `path` (failing if it exists: names are unique) and writes `data`.
fn write_new(path: &Path, data: &[u8]) -> io::Result<()> {
    let mut f = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(data)?;
    f.flush()
}

/// The bytes of an entry.
pub(crate) fn encode_entry(key: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FIXED_HEADER + key.len() + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Keys are short text built by the cache; none comes near 4 GiB.
    out.extend_from_slice(&u32::try_from(key.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&sha256(payload));
    out.extend_from_slice(payload);
    out
}

/// Checks that `file` is a complete, intact entry for exactly `key`; the
/// payload then starts at `FIXED_HEADER + key.len()`.
pub(crate) fn parse_entry(key: &str, file: &[u8]) -> Result<(), String> {
    let mut r = file;
    if take(&mut r, 8, "magic")? != MAGIC {
        return Err("not a zerowasm cache entry (bad magic)".into());
    }
    let version = u32_le(take(&mut r, 4, "version")?);
    if version != FORMAT_VERSION {
        return Err(format!("entry format {version}, expected {FORMAT_VERSION}"));
    }
    let key_len = u32_le(take(&mut r, 4, "key length")?);
    if key_len as usize != key.len() || take(&mut r, key.len(), "key")? != key.as_bytes() {
        return Err("entry is for another key".into());
    }
    let payload_len = u64_le(take(&mut r, 8, "payload length")?);
    let checksum = take(&mut r, 32, "checksum")?;
    if r.len() as u64 != payload_len {
        return Err(format!("payload of {} bytes, header says {payload_len}", r.len()));
    }
    if sha256(r) != checksum {
        return Err("payload checksum mismatch".into());
    }
    Ok(())
}

/// Splits `n` bytes off the front of `r`, naming the field when it is short.
fn take<'a>(r: &mut &'a [u8], n: usize, what: &str) -> Result<&'a [u8], String> {
    if r.len() < n {
        return Err(format!("truncated in the {what}"));
    }
    let (head, rest) = r.split_at(n);
    *r = rest;
    Ok(head)
}

fn u32_le(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(b);
    u32::from_le_bytes(a)
}

fn u64_le(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    u64::from_le_bytes(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "zerowasm-cache test key";

    fn entry() -> Vec<u8> {
        encode_entry(KEY, b"the payload bytes")
    }

    #[test]
    fn a_written_entry_parses() {
        assert_eq!(parse_entry(KEY, &entry()), Ok(()));
        assert_eq!(parse_entry("", &encode_entry("", b"")), Ok(()));
    }

    #[test]
    fn every_truncation_and_extension_is_rejected() {
        let e = entry();
        for len in 0..e.len() {
            assert!(parse_entry(KEY, &e[..len]).is_err(), "prefix of {len} bytes accepted");
        }
        let mut longer = e.clone();
        longer.push(0);
        assert!(parse_entry(KEY, &longer).is_err());
    }

    #[test]
    fn every_single_byte_flip_is_rejected() {
        let e = entry();
        for i in 0..e.len() {
            for mask in [0x01u8, 0x80] {
                let mut bad = e.clone();
                bad[i] ^= mask;
                assert!(parse_entry(KEY, &bad).is_err(), "flip {mask:#x} at {i} accepted");
            }
        }
    }

    #[test]
    fn another_keys_entry_is_rejected() {
        let other = encode_entry("zerowasm-cache test kez", b"the payload bytes");
        assert_eq!(parse_entry(KEY, &other), Err("entry is for another key".to_string()));
        let shorter = encode_entry("zerowasm", b"the payload bytes");
        assert!(parse_entry(KEY, &shorter).is_err());
    }

    #[test]
    fn store_then_load_and_no_temporary_files_remain() {
        let dir = std::env::temp_dir().join(format!("zerowasm-cache-dir-unit-{}", std::process::id()));
        let store = DirStore::open(dir.clone()).expect("dir");
        assert_eq!(store.load(KEY), Lookup::Missing);
        store.store(KEY, b"one").expect("store");
        store.store(KEY, b"two").expect("overwrite");
        assert_eq!(store.load(KEY), Lookup::Hit(b"two".to_vec()));
        let names: Vec<_> = fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [hex(&sha256(KEY.as_bytes()))]);
        fs::write(store.entry_path(KEY), b"ZWCACHE1").expect("truncate");
        assert!(matches!(store.load(KEY), Lookup::Rejected(_)));
        fs::remove_dir_all(&dir).expect("clean up");
    }
}
