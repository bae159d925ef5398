//! `fd_*`.

use super::{Env, MEM, fdstat, filestat};
use crate::WasiCtxBuilder;
use crate::fs::mem::MemFs;
use crate::types::Errno::{self, *};
use crate::types::{fdflags, fstflags, oflags, rights};

const OUT: u32 = 1000;
const IOVS: u32 = 2000;
const BUF: u32 = 3000;
const NUM: u32 = 900;

/// `/m` (read-write, fd 3) holding `r.txt` and `/ro` (read-only, fd 4)
/// holding `r.txt`.
fn env() -> Env {
    let rw = MemFs::new();
    rw.write_file("r.txt", b"ro data").unwrap();
    let ro = MemFs::new();
    ro.write_file("r.txt", b"ro data").unwrap();
    Env::new(WasiCtxBuilder::new().preopen_memfs(rw, "/m", false).preopen_memfs(ro, "/ro", true))
}

/// Opens `path` in `dir` with `base` rights and `oflags`; returns the fd.
fn open(e: &mut Env, dir: u64, path: &str, of: u16, base: u64) -> Result<u64, Errno> {
    let (p, len) = e.string(BUF + 3000, path);
    match e.call("path_open", &[dir, 1, p, len, u64::from(of), base, 0, 0, u64::from(NUM)]) {
        Success => Ok(u64::from(e.u32(NUM))),
        err => Err(err),
    }
}

#[test]
fn fdstat_of_streams_and_preopens() {
    let mut e = env();
    assert_eq!(e.call("fd_fdstat_get", &[0, OUT.into()]), Success);
    // FD_READ | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE.
    assert_eq!(e.bytes(OUT, 24), fdstat(0, 0, 0x0820_000a, 0));
    assert_eq!(e.call("fd_fdstat_get", &[2, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(0, 0, 0x0820_0048, 0));
    assert_eq!(e.call("fd_fdstat_get", &[3, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(3, 0, rights::DIRECTORY, rights::DIRECTORY | rights::REGULAR_FILE));
    assert_eq!(e.call("fd_fdstat_get", &[4, OUT.into()]), Success);
    let ro = !rights::MUTATING;
    assert_eq!(
        e.bytes(OUT, 24),
        fdstat(3, 0, rights::DIRECTORY & ro, (rights::DIRECTORY | rights::REGULAR_FILE) & ro)
    );
    assert_eq!(e.call("fd_fdstat_get", &[5, OUT.into()]), Badf);
    assert_eq!(e.call("fd_fdstat_get", &[0, u64::from(MEM - 23)]), Fault);
}

#[test]
fn prestat_names_the_mounts() {
    let mut e = env();
    assert_eq!(e.call("fd_prestat_get", &[4, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 8), [0, 0, 0, 0, 3, 0, 0, 0], "tag dir, name length 3");
    assert_eq!(e.call("fd_prestat_dir_name", &[4, BUF.into(), 2]), Nametoolong);
    assert_eq!(e.call("fd_prestat_dir_name", &[4, BUF.into(), 3]), Success);
    assert_eq!(e.bytes(BUF, 3), b"/ro");
    assert_eq!(e.call("fd_prestat_get", &[0, OUT.into()]), Badf, "stdin is no preopen");
    assert_eq!(e.call("fd_prestat_get", &[5, OUT.into()]), Badf, "the scan ends here");
    assert_eq!(e.call("fd_prestat_get", &[3, u64::from(MEM - 7)]), Fault);
    assert_eq!(e.call("fd_prestat_dir_name", &[3, u64::from(MEM - 1), 2]), Fault);
}

#[test]
fn read_write_seek_and_stat_a_file() {
    let mut e = env();
    let fd = open(&mut e, 3, "a.txt", oflags::CREAT | oflags::TRUNC, rights::ALL).unwrap();
    assert_eq!(fd, 5);
    e.put(BUF, b"hello world");
    e.iovs(IOVS, &[(BUF, 5), (BUF + 5, 6)]);
    assert_eq!(e.call("fd_write", &[fd, IOVS.into(), 2, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 11);
    assert_eq!(e.call("fd_tell", &[fd, OUT.into()]), Success);
    assert_eq!(e.u64(OUT), 11);
    assert_eq!(e.call("fd_seek", &[fd, (-5i64) as u64, 1, OUT.into()]), Success);
    assert_eq!(e.u64(OUT), 6);
    e.iovs(IOVS, &[(BUF + 100, 3), (BUF + 200, 10)]);
    assert_eq!(e.call("fd_read", &[fd, IOVS.into(), 2, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 5);
    assert_eq!((e.bytes(BUF + 100, 3), e.bytes(BUF + 200, 2)), (&b"wor"[..], &b"ld"[..]));
    assert_eq!(e.call("fd_read", &[fd, IOVS.into(), 2, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 0, "end of file");
    e.iovs(IOVS, &[(BUF + 300, 5)]);
    assert_eq!(e.call("fd_pread", &[fd, IOVS.into(), 1, 0, NUM.into()]), Success);
    assert_eq!((e.u32(NUM), e.bytes(BUF + 300, 5)), (5, &b"hello"[..]));
    e.iovs(IOVS, &[(BUF, 5)]);
    assert_eq!(e.call("fd_pwrite", &[fd, IOVS.into(), 1, 20, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 5);
    assert_eq!(e.call("fd_tell", &[fd, OUT.into()]), Success);
    assert_eq!(e.u64(OUT), 11, "pread and pwrite leave the offset");
    // Logical clock: created at tick 4 (making r.txt took 1-3), truncated at
    // 5, written at 6 and 7.
    assert_eq!(e.call("fd_filestat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 64), filestat(3, 4, 1, 25, [4, 7, 7]));
    assert_eq!(e.call("fd_seek", &[fd, 0, 3, OUT.into()]), Inval, "whence 3");
    assert_eq!(e.call("fd_seek", &[fd, (-1i64) as u64, 0, OUT.into()]), Inval, "before the start");
    assert_eq!(e.call("fd_seek", &[fd, 0, 2, u64::from(MEM - 4)]), Fault);
    assert_eq!(e.call("fd_read", &[fd, u64::from(MEM - 4), 1, NUM.into()]), Fault, "iovec array");
    e.iovs(IOVS, &[(MEM - 2, 5)]);
    assert_eq!(e.call("fd_read", &[fd, IOVS.into(), 1, NUM.into()]), Fault, "buffer");
    assert_eq!(e.call("fd_write", &[9, IOVS.into(), 0, NUM.into()]), Badf);
    assert_eq!(e.call("fd_read", &[3, IOVS.into(), 0, NUM.into()]), Notcapable, "a directory has no fd_read");
}

#[test]
fn sizes_times_advice_and_sync() {
    let mut e = env();
    let fd = open(&mut e, 3, "a.txt", oflags::CREAT, rights::ALL).unwrap();
    assert_eq!(e.call("fd_filestat_set_size", &[fd, 3]), Success);
    assert_eq!(e.call("fd_allocate", &[fd, 8, 2]), Success);
    let (atim, mtim) = (7u64, 9u64);
    assert_eq!(
        e.call("fd_filestat_set_times", &[fd, atim, mtim, u64::from(fstflags::ATIM | fstflags::MTIM)]),
        Success
    );
    assert_eq!(e.call("fd_filestat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.u64(OUT + 32), 10, "size");
    assert_eq!((e.u64(OUT + 40), e.u64(OUT + 48)), (7, 9));
    let both = u64::from(fstflags::ATIM | fstflags::ATIM_NOW);
    assert_eq!(e.call("fd_filestat_set_times", &[fd, 0, 0, both]), Inval);
    assert_eq!(e.call("fd_filestat_set_times", &[fd, 0, 0, 16]), Inval);
    assert_eq!(e.call("fd_filestat_set_times", &[0, 0, 0, 0]), Notcapable, "stdin");
    assert_eq!(
        e.call("fd_filestat_set_times", &[3, 1, 2, u64::from(fstflags::MTIM)]),
        Success,
        "a directory"
    );
    assert_eq!(e.call("fd_advise", &[fd, 0, 10, 5]), Success);
    assert_eq!(e.call("fd_advise", &[fd, 0, 10, 6]), Inval);
    assert_eq!(e.call("fd_advise", &[3, 0, 10, 0]), Badf, "a directory");
    assert_eq!(e.call("fd_advise", &[0, 0, 10, 0]), Notcapable, "stdin");
    assert_eq!(e.call("fd_datasync", &[fd]), Success);
    assert_eq!(e.call("fd_sync", &[fd]), Success);
    assert_eq!(e.call("fd_sync", &[3]), Success);
    assert_eq!(e.call("fd_sync", &[9]), Badf);
    assert_eq!(e.call("fd_allocate", &[fd, u64::MAX, 1]), Fbig);
    assert_eq!(e.call("fd_filestat_set_size", &[3, 0]), Notcapable, "a directory");
}

#[test]
fn flags_and_rights() {
    let mut e = env();
    let fd = open(
        &mut e,
        3,
        "a.txt",
        oflags::CREAT,
        rights::FD_READ | rights::FD_WRITE | rights::FD_FDSTAT_SET_FLAGS,
    )
    .unwrap();
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Success);
    let base = rights::FD_READ | rights::FD_WRITE | rights::FD_FDSTAT_SET_FLAGS;
    assert_eq!(e.bytes(OUT, 24), fdstat(4, 0, base, 0), "narrowed to what was asked");
    let set = |e: &mut Env, f: u16| e.call("fd_fdstat_set_flags", &[fd, u64::from(f)]);
    assert_eq!(set(&mut e, fdflags::APPEND | fdflags::NONBLOCK), Success);
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.u16(OUT + 2), 5);
    assert_eq!(set(&mut e, fdflags::DSYNC), Notsup, "sync flags are fixed at open");
    assert_eq!(set(&mut e, 1 << 5), Notsup);
    assert_eq!(e.call("fd_fdstat_set_flags", &[fd, 1 << 16]), Inval, "not an u16");
    assert_eq!(e.call("fd_fdstat_set_flags", &[3, 0]), Success);
    assert_eq!(e.call("fd_fdstat_set_flags", &[3, 1]), Notsup, "no flags for a directory");
    assert_eq!(e.call("fd_fdstat_set_flags", &[0, 4]), Notsup, "stdin is the embedder's");
    assert_eq!(e.call("fd_fdstat_set_rights", &[fd, rights::FD_READ, 0]), Success);
    e.iovs(IOVS, &[(BUF, 1)]);
    assert_eq!(e.call("fd_write", &[fd, IOVS.into(), 1, NUM.into()]), Notcapable);
    assert_eq!(e.call("fd_fdstat_set_rights", &[fd, rights::FD_READ | rights::FD_WRITE, 0]), Notcapable);
    assert_eq!(e.call("fd_fdstat_set_rights", &[fd, 0, 1]), Notcapable, "inheriting rights it never had");
    assert_eq!(e.call("fd_fdstat_set_flags", &[fd, 0]), Notcapable, "the right went too");
    assert_eq!(e.call("fd_tell", &[0, OUT.into()]), Notcapable, "a stream has no offset");
}

#[test]
fn a_read_only_mount_hands_out_no_write_rights() {
    let mut e = env();
    assert_eq!(open(&mut e, 4, "new.txt", oflags::CREAT, rights::ALL), Err(Notcapable));
    let fd = open(&mut e, 4, "r.txt", 0, rights::ALL).unwrap();
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 24), fdstat(4, 0, rights::REGULAR_FILE & !rights::MUTATING, 0));
    e.iovs(IOVS, &[(BUF, 4)]);
    assert_eq!(e.call("fd_write", &[fd, IOVS.into(), 1, NUM.into()]), Notcapable);
    assert_eq!(e.call("fd_read", &[fd, IOVS.into(), 1, NUM.into()]), Success);
    assert_eq!(e.bytes(BUF, 4), b"ro d");
}

#[test]
fn renumber_and_close() {
    let mut e = env();
    let fd = open(&mut e, 3, "a.txt", oflags::CREAT, rights::ALL).unwrap();
    assert_eq!(e.call("fd_renumber", &[fd, 9]), Badf, "the target must be open");
    assert_eq!(e.call("fd_renumber", &[9, 1]), Badf);
    assert_eq!(e.call("fd_renumber", &[fd, 1]), Success);
    assert_eq!(e.call("fd_fdstat_get", &[fd, OUT.into()]), Badf);
    assert_eq!(e.call("fd_fdstat_get", &[1, OUT.into()]), Success);
    assert_eq!(e.bytes(OUT, 1), [4], "fd 1 is the file now");
    assert_eq!(e.call("fd_close", &[1]), Success);
    assert_eq!(e.call("fd_close", &[1]), Badf);
    assert_eq!(e.call("fd_close", &[3]), Success, "a preopen can be closed");
    assert_eq!(open(&mut e, 3, "a.txt", 0, rights::ALL), Err(Badf));
}

#[test]
fn readdir_writes_dirents_with_stable_cookies() {
    let fs = MemFs::new();
    fs.write_file("a.txt", b"").unwrap();
    fs.write_file("b", b"").unwrap();
    let mut e = Env::new(WasiCtxBuilder::new().preopen_memfs(fs.clone(), "/m", false));
    assert_eq!(e.call("fd_readdir", &[3, BUF.into(), 4096, 0, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 24 + 1 + 24 + 2 + 24 + 5 + 24 + 1);
    // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20, name.
    let mut first = vec![1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0];
    first.push(b'.');
    assert_eq!(e.bytes(BUF, 25), first);
    let third = BUF + 25 + 26;
    assert_eq!(e.u64(third), 3, "d_next");
    assert_eq!(e.u64(third + 8), 2, "d_ino of a.txt");
    assert_eq!(e.u32(third + 16), 5);
    assert_eq!(e.bytes(third + 20, 1), [4], "regular file");
    assert_eq!(e.bytes(third + 24, 5), b"a.txt");
    // Entries made after cookie 0 do not shift later cookies.
    fs.write_file("0first", b"").unwrap();
    assert_eq!(e.call("fd_readdir", &[3, BUF.into(), 4096, 3, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 25);
    assert_eq!(e.bytes(BUF + 24, 1), b"b");
    assert_eq!(e.call("fd_readdir", &[3, BUF.into(), 30, 0, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 30, "a full buffer: the guest asks again");
    assert_eq!(e.call("fd_readdir", &[3, BUF.into(), 4096, 99, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 0);
    assert_eq!(e.call("fd_readdir", &[0, BUF.into(), 4096, 0, NUM.into()]), Notcapable);
    assert_eq!(e.call("fd_readdir", &[3, u64::from(MEM - 10), 4096, 0, NUM.into()]), Fault);
    assert_eq!(e.call("fd_readdir", &[7, BUF.into(), 4096, 0, NUM.into()]), Badf);
}

#[test]
fn close_flushes_a_buffered_stream() {
    let out = crate::OutputBuffer::new();
    let mut e = Env::new(WasiCtxBuilder::new().stdout(std::io::BufWriter::new(out.clone())));
    e.put(BUF, b"hi");
    e.iovs(IOVS, &[(BUF, 2)]);
    assert_eq!(e.call("fd_write", &[1, IOVS.into(), 1, NUM.into()]), Success);
    assert_eq!(e.u32(NUM), 2);
    assert_eq!(out.contents(), b"", "still in the host's buffer");
    assert_eq!(e.call("fd_close", &[1]), Success);
    assert_eq!(out.contents(), b"hi");
}
