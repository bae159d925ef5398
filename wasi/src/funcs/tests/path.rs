//! `path_*`.

use super::{Env, MEM, fdstat, filestat};
use crate::WasiCtxBuilder;
use crate::fs::mem::MemFs;
use crate::types::Errno::{self, *};
use crate::types::{fdflags, fstflags, oflags, rights};

const OUT: u32 = 1000;
const NUM: u32 = 900;
const P1: u32 = 4000;
const P2: u32 = 5000;

/// A read-write MemFs at fd 3 and a read-only one at fd 4, both holding
/// `f.txt`.
fn env() -> Env {
    let (rw, ro) = (MemFs::new(), MemFs::new());
    rw.write_file("f.txt", b"12345").unwrap();
    ro.write_file("f.txt", b"12345").unwrap();
    Env::new(WasiCtxBuilder::new().preopen_memfs(rw, "/m", false).preopen_memfs(ro, "/ro", true))
}

/// `path_open(dir, SYMLINK_FOLLOW, path, oflags, rights::ALL, 0, fdflags)`.
fn open(e: &mut Env, dir: u64, path: &str, of: u16, ff: u16) -> Result<u64, Errno> {
    let (p, len) = e.string(P1, path);
    let args = [dir, 1, p, len, u64::from(of), rights::ALL, 0, u64::from(ff), u64::from(NUM)];
    match e.call("path_open", &args) {
        Success => Ok(u64::from(e.u32(NUM))),
        err => Err(err),
    }
}

/// Calls a `(fd, path)` function: `path_create_directory`, `path_remove_directory`, `path_unlink_file`.
fn on_path(e: &mut Env, name: &str, dir: u64, path: &str) -> Errno {
    let (p, len) = e.string(P1, path);
    e.call(name, &[dir, p, len])
}

fn stat(e: &mut Env, dir: u64, follow: u64, path: &str) -> Errno {
    let (p, len) = e.string(P1, path);
    e.call("path_filestat_get", &[dir, follow, p, len, OUT.into()])
}

#[test]
fn open_checks_flags_and_rights() {
    let mut e = env();
    assert_eq!(open(&mut e, 3, "f.txt", 16, 0), Err(Inval), "unknown oflags");
    assert_eq!(open(&mut e, 3, "f.txt", 0, 32), Err(Inval), "unknown fdflags");
    assert_eq!(open(&mut e, 3, "f.txt", oflags::DIRECTORY, 0), Err(Notdir));
    assert_eq!(open(&mut e, 3, "f.txt", oflags::CREAT | oflags::EXCL, 0), Err(Exist));
    assert_eq!(open(&mut e, 3, "missing", 0, 0), Err(Noent));
    assert_eq!(open(&mut e, 3, "../x", 0, 0), Err(Notcapable));
    assert_eq!(open(&mut e, 3, "/etc/passwd", 0, 0), Err(Notcapable));
    assert_eq!(open(&mut e, 0, "f.txt", 0, 0), Err(Notcapable), "stdin has no path_open");
    assert_eq!(open(&mut e, 9, "f.txt", 0, 0), Err(Badf));
    assert_eq!(open(&mut e, 4, "f.txt", oflags::TRUNC, 0), Err(Notcapable), "truncating a read-only file");
    let args = [3, 1, u64::from(MEM - 2), 5, 0, rights::ALL, 0, 0, u64::from(NUM)];
    assert_eq!(e.call("path_open", &args), Fault, "path out of bounds");
    let args = [3, 1, u64::from(P1), 5, 0, rights::ALL, 0, 0, u64::from(MEM - 2)];
    assert_eq!(e.call("path_open", &args), Fault, "result out of bounds");
    e.put(P2, &[0xff, 0xfe]);
    assert_eq!(e.call("path_open", &[3, 1, u64::from(P2), 2, 0, rights::ALL, 0, 0, u64::from(NUM)]), Ilseq);
    assert_eq!(e.call("path_open", &[3, 2, u64::from(P2), 2, 0, rights::ALL, 0, 0, u64::from(NUM)]), Inval);
    let (p, len) = e.string(P1, "f.txt");
    let append_read_only = [3, 1, p, len, 0, rights::FD_READ, 0, u64::from(fdflags::APPEND), u64::from(NUM)];
    assert_eq!(e.call("path_open", &append_read_only), Notcapable, "append needs write");
    assert_eq!(open(&mut e, 3, ".", oflags::DIRECTORY, 0), Err(Isdir), "a directory opened for writing");
    let (p, len) = e.string(P1, ".");
    let dir = [3, 1, p, len, u64::from(oflags::DIRECTORY), rights::DIRECTORY, rights::ALL, 0, u64::from(NUM)];
    assert_eq!(e.call("path_open", &dir), Success);
    let d = u64::from(e.u32(NUM));
    assert_eq!(e.call("fd_fdstat_get", &[d, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(3, 0, rights::DIRECTORY, rights::DIRECTORY | rights::REGULAR_FILE));
}

#[test]
fn sync_flags_need_the_sync_rights() {
    let mut e = env();
    let fd = open(&mut e, 3, "f.txt", 0, fdflags::DSYNC).unwrap();
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.u16(OUT + 2), fdflags::DSYNC, "accepted on MemFs, and reported");
    let fd = open(&mut e, 3, "f.txt", 0, fdflags::RSYNC | fdflags::SYNC | fdflags::APPEND).unwrap();
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.u16(OUT + 2), 0x19);
    assert_eq!(e.call("fd_fdstat_set_flags", &[fd, 0x18]), Success, "unchanged sync flags");
    assert_eq!(e.call("fd_fdstat_set_flags", &[fd, 0]), Notsup, "dropping them");
    assert_eq!(open(&mut e, 4, "f.txt", 0, fdflags::DSYNC), Err(Notcapable), "read-only mount");
    assert_eq!(open(&mut e, 4, "f.txt", 0, fdflags::RSYNC), Err(Notcapable));
    let keep = rights::DIRECTORY & !(rights::FD_SYNC | rights::FD_DATASYNC);
    assert_eq!(e.call("fd_fdstat_set_rights", &[3, keep | rights::FD_DATASYNC, rights::ALL]), Notcapable);
    assert_eq!(
        e.call(
            "fd_fdstat_set_rights",
            &[3, keep | rights::FD_DATASYNC, rights::DIRECTORY | rights::REGULAR_FILE]
        ),
        Success
    );
    assert!(open(&mut e, 3, "f.txt", 0, fdflags::DSYNC).is_ok(), "fd_datasync allows dsync");
    assert_eq!(open(&mut e, 3, "f.txt", 0, fdflags::RSYNC), Err(Notcapable), "rsync needs fd_sync");
    assert_eq!(open(&mut e, 3, "f.txt", 0, fdflags::SYNC), Err(Notcapable), "sync needs fd_sync");
    assert_eq!(e.call("fd_fdstat_set_rights", &[3, keep, 0]), Success);
    assert_eq!(open(&mut e, 3, "f.txt", 0, fdflags::DSYNC), Err(Notcapable));
    assert!(open(&mut e, 3, "f.txt", 0, 0).is_ok());

    let mut e = env();
    assert_eq!(e.call("fd_fdstat_set_rights", &[3, keep | rights::FD_SYNC, 0]), Success);
    assert!(open(&mut e, 3, "f.txt", 0, fdflags::DSYNC).is_ok(), "fd_sync allows dsync too");
    assert!(open(&mut e, 3, "f.txt", 0, fdflags::RSYNC | fdflags::SYNC).is_ok());
}

#[test]
fn directories_and_stat() {
    let mut e = env();
    assert_eq!(on_path(&mut e, "path_create_directory", 3, "d"), Success);
    assert_eq!(on_path(&mut e, "path_create_directory", 3, "d"), Exist);
    assert_eq!(on_path(&mut e, "path_create_directory", 3, "../d"), Notcapable);
    assert_eq!(on_path(&mut e, "path_create_directory", 4, "d"), Notcapable, "read-only mount");
    assert_eq!(on_path(&mut e, "path_create_directory", 0, "d"), Notcapable);
    assert_eq!(stat(&mut e, 3, 0, "d"), Success);
    // f.txt took ticks 1-3; d is inode 3, made at tick 4.
    assert_eq!(e.bytes(OUT, 64), filestat(3, 3, 2, 0, [4, 4, 4]));
    assert_eq!(stat(&mut e, 3, 0, "f.txt"), Success);
    assert_eq!(e.bytes(OUT, 64), filestat(2, 4, 1, 5, [1, 3, 3]));
    assert_eq!(stat(&mut e, 3, 0, "nope"), Noent);
    assert_eq!(stat(&mut e, 3, 2, "d"), Inval, "unknown lookupflags");
    assert_eq!(stat(&mut e, 3, 0, "f.txt/"), Notdir);
    let (p, len) = e.string(P1, "d");
    assert_eq!(e.call("path_filestat_get", &[3, 0, p, len, u64::from(MEM - 63)]), Fault);
    let set = u64::from(fstflags::ATIM | fstflags::MTIM);
    assert_eq!(e.call("path_filestat_set_times", &[3, 0, p, len, 5, 6, set]), Success);
    assert_eq!(stat(&mut e, 3, 0, "d"), Success);
    assert_eq!((e.u64(OUT + 40), e.u64(OUT + 48)), (5, 6));
    let bad = u64::from(fstflags::MTIM | fstflags::MTIM_NOW);
    assert_eq!(e.call("path_filestat_set_times", &[3, 0, p, len, 5, 6, bad]), Inval);
    assert_eq!(e.call("path_filestat_set_times", &[4, 0, p, len, 5, 6, set]), Notcapable);
    assert_eq!(open(&mut e, 3, "d/g", oflags::CREAT, 0).map(|_| ()), Ok(()));
    assert_eq!(on_path(&mut e, "path_remove_directory", 3, "d"), Notempty);
    assert_eq!(on_path(&mut e, "path_unlink_file", 3, "d"), Isdir);
    assert_eq!(on_path(&mut e, "path_remove_directory", 3, "f.txt"), Notdir);
    assert_eq!(on_path(&mut e, "path_unlink_file", 3, "d/g"), Success);
    assert_eq!(on_path(&mut e, "path_unlink_file", 3, "d/g"), Noent);
    assert_eq!(on_path(&mut e, "path_remove_directory", 3, "d"), Success);
    assert_eq!(on_path(&mut e, "path_remove_directory", 4, "x"), Notcapable);
    assert_eq!(on_path(&mut e, "path_unlink_file", 4, "f.txt"), Notcapable);
}

#[test]
fn links_symlinks_and_renames() {
    let mut e = env();
    let (t, tlen) = e.string(P2, "f.txt");
    let (p, len) = e.string(P1, "ln");
    assert_eq!(e.call("path_symlink", &[t, tlen, 3, p, len]), Success);
    assert_eq!(e.call("path_symlink", &[t, tlen, 3, p, len]), Exist);
    assert_eq!(e.call("path_symlink", &[t, tlen, 4, p, len]), Notcapable);
    let (abs, abslen) = e.string(P2 + 100, "/etc/passwd");
    let (p2, len2) = e.string(P1 + 100, "abs");
    assert_eq!(e.call("path_symlink", &[abs, abslen, 3, p2, len2]), Perm);
    assert_eq!(e.call("path_readlink", &[3, p, len, u64::from(OUT), 3, u64::from(NUM)]), Success);
    assert_eq!((e.u32(NUM), e.bytes(OUT, 3)), (3, &b"f.t"[..]), "cut to the buffer");
    assert_eq!(e.call("path_readlink", &[3, p, len, u64::from(OUT), 64, u64::from(NUM)]), Success);
    assert_eq!((e.u32(NUM), e.bytes(OUT, 5)), (5, &b"f.txt"[..]));
    assert_eq!(
        e.call("path_readlink", &[3, t, tlen, u64::from(OUT), 64, u64::from(NUM)]),
        Inval,
        "not a link"
    );
    assert_eq!(e.call("path_readlink", &[3, p, len, u64::from(MEM - 2), 64, u64::from(NUM)]), Fault);
    assert_eq!(stat(&mut e, 3, 0, "ln"), Success);
    assert_eq!(e.bytes(OUT + 16, 1), [7], "the link itself");
    assert_eq!(stat(&mut e, 3, 1, "ln"), Success);
    assert_eq!(e.bytes(OUT + 16, 1), [4], "followed");

    let (h, hlen) = e.string(P1 + 200, "hard");
    assert_eq!(e.call("path_link", &[3, 0, t, tlen, 3, h, hlen]), Success);
    assert_eq!(stat(&mut e, 3, 0, "f.txt"), Success);
    assert_eq!(e.u64(OUT + 24), 2, "nlink");
    assert_eq!(e.call("path_link", &[3, 0, t, tlen, 3, h, hlen]), Exist);
    assert_eq!(e.call("path_link", &[3, 0, t, tlen, 4, h, hlen]), Notcapable, "into a read-only mount");
    assert_eq!(e.call("path_link", &[3, 0, t, tlen, 3, h, hlen]), Exist);
    assert_eq!(e.call("path_link", &[4, 0, t, tlen, 3, p2, len2]), Notcapable, "from a read-only mount");

    let (r, rlen) = e.string(P1 + 300, "renamed");
    assert_eq!(e.call("path_rename", &[3, h, hlen, 3, r, rlen]), Success);
    assert_eq!(stat(&mut e, 3, 0, "hard"), Noent);
    assert_eq!(e.call("path_rename", &[3, h, hlen, 3, r, rlen]), Noent);
    assert_eq!(e.call("path_rename", &[3, r, rlen, 4, h, hlen]), Notcapable);
    let (up, uplen) = e.string(P1 + 400, "../out");
    assert_eq!(e.call("path_rename", &[3, r, rlen, 3, up, uplen]), Notcapable);
}
