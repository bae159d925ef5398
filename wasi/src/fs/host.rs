//! The host file-system backend: a preopened host directory, held as an fd,
//! and everything reached from it with `*at` system calls.
//!
//! Sandboxing rests on three rules, each enforced here or in
//! `resolve`:
//! 1. no call ever takes a path with more than one component: the resolver
//!    walks, and each intermediate directory is opened with
//!    `O_DIRECTORY | O_NOFOLLOW` relative to the previous one;
//! 2. the kernel never follows a symbolic link for us: final steps use
//!    `O_NOFOLLOW` / `AT_SYMLINK_NOFOLLOW`, `linkat` without
//!    `AT_SYMLINK_FOLLOW`, and links are expanded by the resolver;
//! 3. `..` is resolved by the resolver's stack, never by the kernel.
//!
//! A directory swapped for a symbolic link between a check and a use makes the
//! use fail (`ELOOP`/`ENOTDIR`); it can never redirect it.
//!
//! `unsafe` here wraps the libc calls themselves, and nothing else (the
//! stream and socket calls live in `crate::sys`, under the same rule).

use std::any::Any;
use std::ffi::{CStr, CString};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{DirEntry, Lookup, OpenOptions, Opened, TimeSpec, Walk, WasiDir, WasiFile, resolve};
use crate::types::{Errno, Filestat, Filetype, WasiResult, fdflags};

/// The errno of the libc call that just failed.
fn last_errno() -> Errno {
    Errno::from(std::io::Error::last_os_error())
}

fn cstr(name: &str) -> WasiResult<CString> {
    CString::new(name).map_err(|_| Errno::Inval)
}

/// `openat(dir, name, flags | O_CLOEXEC | O_NOFOLLOW, mode)`.
fn openat(dir: RawFd, name: &str, flags: i32, mode: libc::mode_t) -> WasiResult<OwnedFd> {
    let c = cstr(name)?;
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call; an
    // invalid `dir` only makes the call fail with EBADF.
    let fd = unsafe {
        libc::openat(dir, c.as_ptr(), flags | libc::O_CLOEXEC | libc::O_NOFOLLOW, libc::c_uint::from(mode))
    };
    if fd < 0 {
        return Err(last_errno());
    }
    // SAFETY: `fd` was just returned by openat, so it is open and nothing
    // else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`.
fn lstatat(dir: RawFd, name: &str) -> WasiResult<libc::stat> {
    let c = cstr(name)?;
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is NUL-terminated and `st` is a valid, writable `stat`.
    let r = unsafe { libc::fstatat(dir, c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
    if r < 0 { Err(last_errno()) } else { Ok(st) }
}

/// `readlinkat(dir, name)`; a target that is not UTF-8 is `EILSEQ`.
fn readlinkat(dir: RawFd, name: &str) -> WasiResult<String> {
    let c = cstr(name)?;
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: `buf` is writable for `buf.len()` bytes; `c` is NUL-terminated.
    let n = unsafe { libc::readlinkat(dir, c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(last_errno());
    }
    buf.truncate(n as usize);
    String::from_utf8(buf).map_err(|_| Errno::Ilseq)
}

/// Runs a libc call returning 0 or -1 and maps the failure.
fn check(r: libc::c_int) -> WasiResult<()> {
    if r < 0 { Err(last_errno()) } else { Ok(()) }
}

fn filetype_of_mode(mode: libc::mode_t) -> Filetype {
    match mode & libc::S_IFMT {
        libc::S_IFREG => Filetype::RegularFile,
        libc::S_IFDIR => Filetype::Directory,
        libc::S_IFLNK => Filetype::SymbolicLink,
        libc::S_IFCHR => Filetype::CharacterDevice,
        libc::S_IFBLK => Filetype::BlockDevice,
        libc::S_IFSOCK => Filetype::SocketStream,
        _ => Filetype::Unknown,
    }
}

fn ns(sec: i64, nsec: i64) -> u64 {
    (sec.max(0) as u64).saturating_mul(1_000_000_000).saturating_add(nsec.max(0) as u64)
}

fn filestat_of(st: &libc::stat) -> Filestat {
    Filestat {
        dev: st.st_dev,
        ino: st.st_ino,
        filetype: filetype_of_mode(st.st_mode) as u8,
        nlink: st.st_nlink,
        size: st.st_size.max(0) as u64,
        atim: ns(st.st_atime, st.st_atime_nsec),
        mtim: ns(st.st_mtime, st.st_mtime_nsec),
        ctim: ns(st.st_ctime, st.st_ctime_nsec),
    }
}

fn timespec_of(t: TimeSpec) -> libc::timespec {
    match t {
        TimeSpec::Omit => libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_OMIT },
        TimeSpec::Now => libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW },
        TimeSpec::At(v) => {
            libc::timespec { tv_sec: (v / 1_000_000_000) as libc::time_t, tv_nsec: (v % 1_000_000_000) as _ }
        }
    }
}

/// CPU time of the process or the calling thread in ns, for the cputime
/// clocks (here because it is a libc call too).
pub(crate) fn cputime_ns(thread: bool) -> WasiResult<u64> {
    let id = if thread { libc::CLOCK_THREAD_CPUTIME_ID } else { libc::CLOCK_PROCESS_CPUTIME_ID };
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec.
    check(unsafe { libc::clock_gettime(id, &mut ts) })?;
    Ok(ns(ts.tv_sec, ts.tv_nsec))
}

/// The resolver's view of the host: directories are shared fds.
struct HostWalk;

impl Walk for HostWalk {
    type Dir = Arc<OwnedFd>;

    fn lookup(&self, dir: &Arc<OwnedFd>, name: &str) -> WasiResult<Lookup<Arc<OwnedFd>>> {
        match openat(dir.as_raw_fd(), name, libc::O_RDONLY | libc::O_DIRECTORY, 0) {
            Ok(fd) => Ok(Lookup::Dir(Arc::new(fd))),
            Err(Errno::Noent) => Ok(Lookup::Missing),
            Err(Errno::Loop | Errno::Notdir) => match readlinkat(dir.as_raw_fd(), name) {
                Ok(target) => Ok(Lookup::Symlink(target)),
                Err(Errno::Inval) => Ok(Lookup::Other),
                Err(Errno::Noent) => Ok(Lookup::Missing),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}

/// A host directory: the fd the walk starts from, and whether the mount is
/// read-only (checked here as well as through rights).
pub struct HostDir {
    fd: Arc<OwnedFd>,
    read_only: bool,
}

impl HostDir {
    /// Opens the host directory `path` as a sandbox root. This is the one
    /// place a host path is followed normally: it is the embedder's choice.
    pub fn open(path: &Path, read_only: bool) -> std::io::Result<HostDir> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
            .open(path)?;
        Ok(HostDir { fd: Arc::new(OwnedFd::from(file)), read_only })
    }

    fn raw(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    fn resolve(&self, path: &str, follow: bool) -> WasiResult<super::Resolved<Arc<OwnedFd>>> {
        resolve(&HostWalk, self.fd.clone(), path, follow)
    }

    fn writable(&self) -> WasiResult<()> {
        if self.read_only { Err(Errno::Rofs) } else { Ok(()) }
    }

    /// `other` as a host directory on the same mount policy, or `EXDEV`.
    fn same_backend<'a>(&self, other: &'a dyn WasiDir) -> WasiResult<&'a HostDir> {
        let other = other.as_any().downcast_ref::<HostDir>().ok_or(Errno::Xdev)?;
        other.writable()?;
        Ok(other)
    }
}

impl WasiDir for HostDir {
    fn open(&self, path: &str, o: &OpenOptions) -> WasiResult<Opened> {
        if o.write || o.create || o.truncate || o.append {
            self.writable()?;
        }
        let mut flags = match (o.read, o.write) {
            (_, false) => libc::O_RDONLY,
            (false, true) => libc::O_WRONLY,
            (true, true) => libc::O_RDWR,
        };
        if o.directory {
            flags |= libc::O_DIRECTORY;
        }
        if o.create {
            flags |= libc::O_CREAT;
        }
        if o.exclusive {
            flags |= libc::O_EXCL;
        }
        if o.truncate {
            flags |= libc::O_TRUNC;
        }
        if o.append {
            flags |= libc::O_APPEND;
        }
        flags |= sync_flags(o.sync);
        // Never block on a FIFO someone left in the mount.
        flags |= libc::O_NONBLOCK;
        let open_at = |r: &super::Resolved<Arc<OwnedFd>>| {
            let dir = if r.trailing_slash { libc::O_DIRECTORY } else { 0 };
            openat(r.dir.as_raw_fd(), &r.name, flags | dir, 0o666)
        };
        // Most paths end in a plain file: open the last component without
        // following it (one call instead of a lookup and then the open), and
        // only if it is a symbolic link and the guest asked to follow, resolve
        // it and open what it points to. Linux reports a link under
        // O_NOFOLLOW as ELOOP, but as ENOTDIR when O_DIRECTORY is also set
        // (it checks the type first), so both mean "maybe a link" here.
        let fd = match open_at(&self.resolve(path, false)?) {
            Err(Errno::Loop) if o.follow => open_at(&self.resolve(path, true)?)?,
            Err(Errno::Notdir) if o.follow && o.directory => open_at(&self.resolve(path, true)?)?,
            other => other?,
        };
        let file = File::from(fd);
        // Back to blocking I/O now that the open itself cannot hang.
        set_status_flags(&file, flags & (libc::O_APPEND))?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            Ok(Opened::Dir(Box::new(HostDir {
                fd: Arc::new(OwnedFd::from(file)),
                read_only: self.read_only,
            })))
        } else {
            let append = if o.append { fdflags::APPEND } else { 0 };
            Ok(Opened::File(Box::new(HostFile { file, fdflags: append | o.sync })))
        }
    }

    fn create_dir(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        let c = cstr(&r.name)?;
        // SAFETY: `c` is NUL-terminated; the fd is open while `r` lives.
        check(unsafe { libc::mkdirat(r.dir.as_raw_fd(), c.as_ptr(), 0o777) })
    }

    fn remove_dir(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        let c = cstr(&r.name)?;
        // SAFETY: as in `create_dir`.
        check(unsafe { libc::unlinkat(r.dir.as_raw_fd(), c.as_ptr(), libc::AT_REMOVEDIR) })
    }

    fn unlink_file(&self, path: &str) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, false)?;
        if r.trailing_slash {
            let st = lstatat(r.dir.as_raw_fd(), &r.name)?;
            return Err(if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
                Errno::Isdir
            } else {
                Errno::Notdir
            });
        }
        let c = cstr(&r.name)?;
        // SAFETY: as in `create_dir`.
        check(unsafe { libc::unlinkat(r.dir.as_raw_fd(), c.as_ptr(), 0) })
    }

    fn rename(&self, from: &str, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()> {
        self.writable()?;
        let other = self.same_backend(to_dir)?;
        let a = self.resolve(from, false)?;
        let b = other.resolve(to, false)?;
        let (ca, cb) = (cstr(&a.name)?, cstr(&b.name)?);
        // SAFETY: both names are NUL-terminated; both fds are open.
        check(unsafe { libc::renameat(a.dir.as_raw_fd(), ca.as_ptr(), b.dir.as_raw_fd(), cb.as_ptr()) })
    }

    fn link(&self, from: &str, follow: bool, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()> {
        self.writable()?;
        let other = self.same_backend(to_dir)?;
        let a = self.resolve(from, follow)?;
        let b = other.resolve(to, false)?;
        let (ca, cb) = (cstr(&a.name)?, cstr(&b.name)?);
        // SAFETY: both names are NUL-terminated; both fds are open. Flags 0:
        // the kernel does not follow a link in `from` (the resolver did).
        check(unsafe { libc::linkat(a.dir.as_raw_fd(), ca.as_ptr(), b.dir.as_raw_fd(), cb.as_ptr(), 0) })
    }

    fn symlink(&self, target: &str, path: &str) -> WasiResult<()> {
        self.writable()?;
        // The link is never followed by this backend, but host programs
        // might: refuse to plant absolute links (as cap-std does).
        if target.starts_with('/') {
            return Err(Errno::Perm);
        }
        let r = self.resolve(path, false)?;
        let (ct, cn) = (cstr(target)?, cstr(&r.name)?);
        // SAFETY: both strings are NUL-terminated; the fd is open.
        check(unsafe { libc::symlinkat(ct.as_ptr(), r.dir.as_raw_fd(), cn.as_ptr()) })
    }

    fn readlink(&self, path: &str) -> WasiResult<String> {
        let r = self.resolve(path, false)?;
        readlinkat(r.dir.as_raw_fd(), &r.name)
    }

    fn stat(&self, path: &str, follow: bool) -> WasiResult<Filestat> {
        let r = self.resolve(path, follow)?;
        let st = lstatat(r.dir.as_raw_fd(), &r.name)?;
        if r.trailing_slash && st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return Err(Errno::Notdir);
        }
        Ok(filestat_of(&st))
    }

    fn set_times(&self, path: &str, follow: bool, atim: TimeSpec, mtim: TimeSpec) -> WasiResult<()> {
        self.writable()?;
        let r = self.resolve(path, follow)?;
        let c = cstr(&r.name)?;
        let times = [timespec_of(atim), timespec_of(mtim)];
        // SAFETY: `times` holds two timespecs as utimensat requires; `c` is
        // NUL-terminated; AT_SYMLINK_NOFOLLOW keeps the kernel off links.
        check(unsafe {
            libc::utimensat(r.dir.as_raw_fd(), c.as_ptr(), times.as_ptr(), libc::AT_SYMLINK_NOFOLLOW)
        })
    }

    fn entries(&self) -> WasiResult<Vec<DirEntry>> {
        // fdopendir takes ownership of its fd, so give it a duplicate
        // positioned at the start.
        let dup = openat(self.raw(), ".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
        let raw = std::os::fd::IntoRawFd::into_raw_fd(dup);
        // SAFETY: `raw` is an open directory fd we own; on success the DIR
        // owns it and closedir below closes it.
        let dirp = unsafe { libc::fdopendir(raw) };
        if dirp.is_null() {
            let e = last_errno();
            // SAFETY: fdopendir failed, so `raw` is still ours to close.
            unsafe { libc::close(raw) };
            return Err(e);
        }
        let mut out = Vec::new();
        loop {
            // SAFETY: `dirp` is a valid DIR until closedir.
            let ent = unsafe { libc::readdir(dirp) };
            if ent.is_null() {
                break;
            }
            // SAFETY: readdir returned a valid dirent whose d_name is a
            // NUL-terminated string, valid until the next readdir call; it is
            // copied out before that.
            let (name, ino, dtype) = unsafe {
                let e = &*ent;
                (CStr::from_ptr(e.d_name.as_ptr()).to_bytes().to_vec(), e.d_ino, e.d_type)
            };
            let Ok(name) = String::from_utf8(name) else { continue };
            let filetype = match dtype {
                libc::DT_REG => Filetype::RegularFile,
                libc::DT_DIR => Filetype::Directory,
                libc::DT_LNK => Filetype::SymbolicLink,
                libc::DT_CHR => Filetype::CharacterDevice,
                libc::DT_BLK => Filetype::BlockDevice,
                libc::DT_SOCK => Filetype::SocketStream,
                _ => match lstatat(self.raw(), &name) {
                    Ok(st) => filetype_of_mode(st.st_mode),
                    Err(_) => Filetype::Unknown,
                },
            };
            out.push(DirEntry { name, ino, filetype });
        }
        // SAFETY: `dirp` came from fdopendir and is closed exactly once.
        unsafe { libc::closedir(dirp) };
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn sync(&self) -> WasiResult<()> {
        // SAFETY: fsync on an fd we hold open.
        check(unsafe { libc::fsync(self.raw()) })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The `O_*` flags for the synchronized-I/O bits of `fdflags`. Linux has no
/// separate `O_RSYNC` semantics (it equals `O_SYNC`), so `RSYNC` gets the
/// strongest guarantee, which is what POSIX allows.
fn sync_flags(ff: u16) -> i32 {
    let mut flags = 0;
    if ff & fdflags::DSYNC != 0 {
        flags |= libc::O_DSYNC;
    }
    if ff & fdflags::RSYNC != 0 {
        flags |= libc::O_RSYNC;
    }
    if ff & fdflags::SYNC != 0 {
        flags |= libc::O_SYNC;
    }
    flags
}

/// Replaces the fd's status flags (`O_APPEND`, `O_NONBLOCK`) with `flags`.
fn set_status_flags(file: &File, flags: i32) -> WasiResult<()> {
    // SAFETY: F_SETFL on an fd we hold open only changes its status flags.
    check(unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags) })
}

/// A regular file (or other non-directory) of the host.
pub struct HostFile {
    file: File,
    /// The `fdflags` in effect: `APPEND` and `NONBLOCK` as last set, the
    /// synchronized-I/O bits as opened (the host cannot change them later).
    fdflags: u16,
}

impl HostFile {
    fn is_regular(&self) -> bool {
        self.file.metadata().is_ok_and(|m| m.file_type().is_file())
    }
}

fn to_timespec_time(t: TimeSpec) -> Option<SystemTime> {
    match t {
        TimeSpec::Omit => None,
        TimeSpec::Now => Some(SystemTime::now()),
        TimeSpec::At(v) => Some(UNIX_EPOCH + Duration::from_nanos(v)),
    }
}

impl WasiFile for HostFile {
    fn filetype(&self) -> Filetype {
        match self.file.metadata() {
            Ok(m) => filetype_of_mode(m.mode()),
            Err(_) => Filetype::Unknown,
        }
    }
    fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        Ok(self.file.read(buf)?)
    }
    fn write(&mut self, buf: &[u8]) -> WasiResult<usize> {
        Ok(self.file.write(buf)?)
    }
    fn pread(&mut self, buf: &mut [u8], offset: u64) -> WasiResult<usize> {
        Ok(self.file.read_at(buf, offset)?)
    }
    fn pwrite(&mut self, buf: &[u8], offset: u64) -> WasiResult<usize> {
        Ok(self.file.write_at(buf, offset)?)
    }
    fn seek(&mut self, pos: std::io::SeekFrom) -> WasiResult<u64> {
        Ok(self.file.seek(pos)?)
    }
    fn stat(&self) -> WasiResult<Filestat> {
        let m = self.file.metadata()?;
        Ok(Filestat {
            dev: m.dev(),
            ino: m.ino(),
            filetype: filetype_of_mode(m.mode()) as u8,
            nlink: m.nlink(),
            size: m.size(),
            atim: ns(m.atime(), m.atime_nsec()),
            mtim: ns(m.mtime(), m.mtime_nsec()),
            ctim: ns(m.ctime(), m.ctime_nsec()),
        })
    }
    fn set_size(&mut self, size: u64) -> WasiResult<()> {
        Ok(self.file.set_len(size)?)
    }
    fn set_times(&mut self, atim: TimeSpec, mtim: TimeSpec) -> WasiResult<()> {
        let mut times = std::fs::FileTimes::new();
        if let Some(t) = to_timespec_time(atim) {
            times = times.set_accessed(t);
        }
        if let Some(t) = to_timespec_time(mtim) {
            times = times.set_modified(t);
        }
        Ok(self.file.set_times(times)?)
    }
    fn sync(&mut self) -> WasiResult<()> {
        Ok(self.file.sync_all()?)
    }
    fn datasync(&mut self) -> WasiResult<()> {
        Ok(self.file.sync_data()?)
    }
    fn fdflags(&self) -> u16 {
        self.fdflags
    }
    /// `APPEND` and `NONBLOCK` change the descriptor (non-blocking matters
    /// for a FIFO; a regular file is always ready).
    fn set_fdflags(&mut self, flags: u16) -> WasiResult<()> {
        let flags = super::checked_file_fdflags(self.fdflags, flags)?;
        let mut status = 0;
        if flags & fdflags::APPEND != 0 {
            status |= libc::O_APPEND;
        }
        if flags & fdflags::NONBLOCK != 0 {
            status |= libc::O_NONBLOCK;
        }
        set_status_flags(&self.file, status)?;
        self.fdflags = flags;
        Ok(())
    }
    fn readable_bytes(&self) -> Option<u64> {
        let meta = self.file.metadata().ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let mut f = &self.file;
        let pos = f.stream_position().ok()?;
        Some(meta.len().saturating_sub(pos))
    }
    fn poll_fd(&self) -> Option<RawFd> {
        if self.is_regular() { None } else { Some(self.file.as_raw_fd()) }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;

    /// The status flags Linux reports for `fd` (`/proc/self/fdinfo`, octal).
    fn host_flags(fd: RawFd) -> i32 {
        let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
        let line = info.lines().find_map(|l| l.strip_prefix("flags:")).unwrap();
        i32::from_str_radix(line.trim(), 8).unwrap()
    }

    #[test]
    fn sync_flags_reach_the_host_descriptor() {
        let root = std::env::temp_dir().join(format!("zerowasm-wasi-sync-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let d = HostDir::open(&root, false).unwrap();
        let mask = libc::O_DSYNC | libc::O_SYNC | libc::O_APPEND;
        for (ff, want) in [
            (0, 0),
            (fdflags::DSYNC, libc::O_DSYNC),
            (fdflags::RSYNC, libc::O_RSYNC),
            (fdflags::SYNC, libc::O_SYNC),
            (fdflags::DSYNC | fdflags::APPEND, libc::O_DSYNC | libc::O_APPEND),
        ] {
            let o = OpenOptions {
                write: true,
                create: true,
                append: ff & fdflags::APPEND != 0,
                sync: ff & !fdflags::APPEND,
                ..OpenOptions::default()
            };
            let Ok(Opened::File(f)) = d.open("f", &o) else { panic!("open with {ff:#x}") };
            let file = &f.as_any().downcast_ref::<HostFile>().unwrap().file;
            assert_eq!(host_flags(file.as_raw_fd()) & mask, want, "fdflags {ff:#x}");
            assert_eq!(f.fdflags(), ff);
            assert_eq!(host_flags(file.as_raw_fd()) & libc::O_NONBLOCK, 0, "blocking after the open");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_last_component_is_followed_only_when_asked() {
        let root = std::env::temp_dir().join(format!("zerowasm-wasi-follow-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("t"), b"target").unwrap();
        std::os::unix::fs::symlink("t", root.join("ln")).unwrap();
        std::os::unix::fs::symlink("new", root.join("dangling")).unwrap();
        let d = HostDir::open(&root, false).unwrap();
        let read = |follow| OpenOptions { read: true, follow, ..OpenOptions::default() };
        let Ok(Opened::File(mut f)) = d.open("ln", &read(true)) else { panic!("open ln") };
        let mut buf = [0u8; 6];
        assert_eq!(f.read(&mut buf), Ok(6));
        assert_eq!(&buf, b"target");
        assert_eq!(d.open("ln", &read(false)).err(), Some(Errno::Loop));
        let create = |exclusive| OpenOptions {
            write: true,
            create: true,
            exclusive,
            follow: true,
            ..OpenOptions::default()
        };
        assert_eq!(d.open("dangling", &create(true)).err(), Some(Errno::Exist), "O_EXCL never follows");
        assert!(d.open("dangling", &create(false)).is_ok());
        assert!(root.join("new").is_file(), "created through the link, inside the mount");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_fifo_is_probed_a_regular_file_is_counted() {
        let root = std::env::temp_dir().join(format!("zerowasm-wasi-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("r"), b"12345").unwrap();
        let fifo = std::ffi::CString::new(root.join("p").as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `fifo` is a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let d = HostDir::open(&root, false).unwrap();
        let read = OpenOptions { read: true, ..OpenOptions::default() };
        let Ok(Opened::File(r)) = d.open("r", &read) else { panic!("open r") };
        assert_eq!((r.readable_bytes(), r.poll_fd()), (Some(5), None));
        let Ok(Opened::File(p)) = d.open("p", &read) else { panic!("open p") };
        assert_eq!(p.readable_bytes(), None);
        assert!(p.poll_fd().is_some());
        assert_eq!(p.filetype(), Filetype::Unknown, "WASI has no name for a FIFO");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_symlinked_directory_opens_as_a_directory_and_links_out_stay_refused() {
        let base = std::env::temp_dir().join(format!("zerowasm-wasi-dirlink-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("mount");
        std::fs::create_dir_all(root.join("d/deeper")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::os::unix::fs::symlink("d/deeper", root.join("dl")).unwrap();
        std::os::unix::fs::symlink("../outside", root.join("out")).unwrap();
        let d = HostDir::open(&root, false).unwrap();
        let dir = |follow| OpenOptions { read: true, directory: true, follow, ..OpenOptions::default() };
        assert!(
            matches!(d.open("dl", &dir(true)), Ok(Opened::Dir(_))),
            "Linux says ENOTDIR for the link first"
        );
        assert_eq!(
            d.open("dl", &dir(false)).err(),
            Some(Errno::Notdir),
            "not followed: a link is no directory"
        );
        assert_eq!(d.open("out", &dir(true)).err(), Some(Errno::Notcapable));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
