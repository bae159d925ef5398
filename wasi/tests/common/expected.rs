//! What the C guests of `guests/` must print, and the host-side checks
//! around the escape guest, shared by the tests that run them through the
//! API (`wasi/tests/guests.rs`, `escape_guest.rs`) and through `zerowasm run`
//! (`cli/tests/wasi_guests.rs`, `cli/tests/cli.rs`), which include this file
//! with `#[path]`.

#![allow(dead_code)] // each includer uses what it needs
#![allow(clippy::unwrap_used)] // test helpers: a failed setup should panic

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// What `guests/files.c` prints when /data is a writable mount.
pub const FILES_OUT: &str = "read after seek: world
size after truncate: 5
pread: HEllo
b.txt: line 42
b.txt: appended
/data: . .. a.txt sub
/data/sub: . .. b.txt
readlink: c.txt
through link: HEllo
/data/sub: . .. b.txt c.txt link
escape errno: denied
/data: . ..
done
";

/// What `manyfiles.c` prints for `n` files, computed here independently.
pub fn manyfiles_expected(n: usize) -> String {
    let mut h: u32 = 2_166_136_261;
    let mut total = 0;
    for i in 0..n {
        let mut data = format!("file {i} of {n}: ").into_bytes();
        while data.len() < 99 {
            data.push(b'a' + ((i + data.len()) % 26) as u8);
        }
        data.push(b'\n');
        for &b in &data {
            h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
        }
        total += data.len();
    }
    format!("files: {n}\nlisted: {n}\nwritten: {total}\nread: {total}\nchecksum: {h:08x}\n")
}

/// Every line the guest prints, in order (`guests/escape.expected`);
/// "control" lines are calls that must work,
/// showing the refusals are not accidents. Where the errnos come from:
/// - `..` above a mount, a link whose target is absolute or climbs above
///   the mount, and paths that name no mount (wasi-libc refuses those
///   itself, without a call) are `ENOTCAPABLE`;
/// - planting an absolute link is `EPERM` (the host backend's rule);
/// - `O_NOFOLLOW` on a link is `ELOOP` (`ENOTDIR` with `O_DIRECTORY`, as
///   Linux answers), and so is a loop of links;
/// - `..` after a linked directory is its physical parent: the missing
///   `/data/outside` is `ENOENT`;
/// - every change on /ro lacks its right: `ENOTCAPABLE`, turned into
///   `EBADF` for `write`/`pwrite` by wasi-libc (its `open` asks only for
///   rights the directory hands on, so `O_RDWR` yields a read-only
///   descriptor).
pub const ESCAPE_OUT: &str = include_str!("../guests/escape.expected");

/// The symbolic links the guest plants in /data, and what they must still
/// say afterwards: they point out, but only the resolver ever reads them.
pub const PLANTED: [(&str, &str); 7] = [
    ("dl", "dir/deeper"),
    ("l2", "../outside/secret.txt"),
    ("l3", "../outside/created.txt"),
    ("loop1", "loop2"),
    ("loop2", "loop1"),
    ("od", "../outside"),
    ("toro", "../ro/ro.txt"),
];

/// Everything about the entries under `dir` (itself included, as ".") that
/// a write, a new link or a new entry would change: type, size, mtime,
/// ctime, link count, mode, contents of files and links. Not atime, which
/// reads change.
pub fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
        let path = if rel == "." { base.to_path_buf() } else { base.join(rel) };
        let m = fs::symlink_metadata(&path).unwrap();
        let what = if m.is_symlink() {
            format!("link {}", fs::read_link(&path).unwrap().display())
        } else if m.is_file() {
            format!("file {:?}", fs::read(&path).unwrap())
        } else {
            "dir".to_string()
        };
        out.insert(
            rel.to_string(),
            format!(
                "{what} size={} mtime={}.{} ctime={}.{} nlink={} mode={:o}",
                m.size(),
                m.mtime(),
                m.mtime_nsec(),
                m.ctime(),
                m.ctime_nsec(),
                m.nlink(),
                m.mode()
            ),
        );
        if m.is_dir() {
            for e in fs::read_dir(&path).unwrap() {
                let name = e.unwrap().file_name().into_string().unwrap();
                let child = if rel == "." { name } else { format!("{rel}/{name}") };
                walk(base, &child, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, ".", &mut out);
    out
}

pub fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}
