//! The file-system backends behind WASI descriptors, and the one path
//! resolver they share.
//!
//! A descriptor holds a [`WasiFile`] (regular file, stream) or a [`WasiDir`].
//! Every path operation names a directory handle plus a relative path, and the
//! backend resolves it with `resolve`: component by component, `..` popped
//! off a stack of directories the walk itself opened (so it can never climb
//! above the handle it started from), symbolic links expanded by the resolver
//! rather than by the kernel (an absolute target, or one that climbs out, is
//! `ENOTCAPABLE`), at most [`MAX_SYMLINKS`] expansions (`ELOOP`). The backend
//! only ever performs a last step "name in this directory handle" without
//! following links, which is what makes check/use races harmless.

pub mod host;
pub mod mem;

use std::any::Any;
use std::collections::VecDeque;
use std::os::fd::RawFd;

use crate::types::{Errno, Filestat, Filetype, WasiResult};

/// Symbolic links one resolution may expand before giving up with `ELOOP`
/// (Linux's limit).
pub const MAX_SYMLINKS: u32 = 40;

/// How `path_open` should open a file; built from `oflags`, `fdflags` and
/// the rights the new descriptor gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Readable.
    pub read: bool,
    /// Writable.
    pub write: bool,
    /// Create if missing.
    pub create: bool,
    /// With `create`: fail if it exists.
    pub exclusive: bool,
    /// Truncate to 0.
    pub truncate: bool,
    /// Must be a directory.
    pub directory: bool,
    /// Writes append.
    pub append: bool,
    /// Follow a symbolic link in the last component.
    pub follow: bool,
    /// Synchronized I/O: the `DSYNC`, `RSYNC` and `SYNC` bits of `fdflags`
    /// (`O_DSYNC`/`O_RSYNC`/`O_SYNC` on the host; nothing to do in memory).
    pub sync: u16,
}

/// A timestamp change requested by `*_filestat_set_times`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// Leave unchanged.
    Omit,
    /// Set to the current time.
    Now,
    /// Set to this many ns since the epoch.
    At(u64),
}

/// One directory entry, as `fd_readdir` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The name.
    pub name: String,
    /// Inode number.
    pub ino: u64,
    /// Its type (`Unknown` if the backend cannot tell without a stat).
    pub filetype: Filetype,
}

/// What `WasiDir::open` produced.
pub enum Opened {
    /// A file or other non-directory.
    File(Box<dyn WasiFile>),
    /// A directory.
    Dir(Box<dyn WasiDir>),
}

/// An open non-directory: a regular file, or a stream such as stdio. The
/// defaults are the answers for a stream (no offsets: `ESPIPE`).
pub trait WasiFile: Send {
    /// The file type `fd_fdstat_get` reports.
    fn filetype(&self) -> Filetype;
    /// Reads at the current offset; 0 at end of file.
    fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize>;
    /// Writes at the current offset (or the end, in append mode).
    fn write(&mut self, buf: &[u8]) -> WasiResult<usize>;
    /// Reads at `offset` without moving the current offset.
    fn pread(&mut self, _buf: &mut [u8], _offset: u64) -> WasiResult<usize> {
        Err(Errno::Spipe)
    }
    /// Writes at `offset` without moving the current offset.
    fn pwrite(&mut self, _buf: &[u8], _offset: u64) -> WasiResult<usize> {
        Err(Errno::Spipe)
    }
    /// Moves the offset; returns the new one.
    fn seek(&mut self, _pos: std::io::SeekFrom) -> WasiResult<u64> {
        Err(Errno::Spipe)
    }
    /// Metadata.
    fn stat(&self) -> WasiResult<Filestat>;
    /// Truncates or extends.
    fn set_size(&mut self, _size: u64) -> WasiResult<()> {
        Err(Errno::Inval)
    }
    /// Changes timestamps. A stream (stdio, a socket) has none the guest
    /// could see change, so the default is `ENOTSUP`.
    fn set_times(&mut self, _atim: TimeSpec, _mtim: TimeSpec) -> WasiResult<()> {
        Err(Errno::Notsup)
    }
    /// Flushes data and metadata to storage (for a stream: flushes its buffer).
    fn sync(&mut self) -> WasiResult<()>;
    /// Hands buffered bytes to the host, as `fd_close` and the exit do. Not
    /// a sync: closing a file must not cost an `fsync` (10 000 small files
    /// would take seconds). Only streams that buffer do anything.
    fn flush(&mut self) -> WasiResult<()> {
        Ok(())
    }
    /// Flushes data to storage.
    fn datasync(&mut self) -> WasiResult<()> {
        self.sync()
    }
    /// The `fdflags` in effect.
    fn fdflags(&self) -> u16 {
        0
    }
    /// Sets `fdflags`. The default is for a stream the host shares with the
    /// embedder (stdio): switching it to non-blocking or append mode would
    /// change the embedder's descriptor too, so any flag is `ENOTSUP`.
    fn set_fdflags(&mut self, flags: u16) -> WasiResult<()> {
        if flags == 0 { Ok(()) } else { Err(Errno::Notsup) }
    }
    /// Makes sure `offset + len` bytes are allocated (extends the size).
    fn allocate(&mut self, offset: u64, len: u64) -> WasiResult<()> {
        let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
        if end > self.stat()?.size {
            self.set_size(end)?;
        }
        Ok(())
    }
    /// For a regular file, the bytes between the offset and the end:
    /// `poll_oneoff` reports such a file ready at once with this count, as
    /// POSIX does. `None` for anything else.
    fn readable_bytes(&self) -> Option<u64> {
        None
    }
    /// The host descriptor `poll_oneoff` probes for readiness (a pipe, a
    /// socket, a terminal), valid as long as `self` is. `None` with no
    /// `readable_bytes` either means the readiness cannot be known without
    /// blocking (a stream given as a plain `Read`/`Write`): it is reported
    /// ready with 0 bytes, and a read may then block.
    fn poll_fd(&self) -> Option<RawFd> {
        None
    }
    /// For downcasting (renames and links across descriptors).
    fn as_any(&self) -> &dyn Any;
}

/// An open directory: the root of every path operation. `path` is always
/// relative to it and is resolved with `resolve`; "." names the directory
/// itself.
pub trait WasiDir: Send {
    /// Opens `path`.
    fn open(&self, path: &str, opts: &OpenOptions) -> WasiResult<Opened>;
    /// Creates a directory.
    fn create_dir(&self, path: &str) -> WasiResult<()>;
    /// Removes an empty directory.
    fn remove_dir(&self, path: &str) -> WasiResult<()>;
    /// Removes a non-directory.
    fn unlink_file(&self, path: &str) -> WasiResult<()>;
    /// Renames `from` (relative to `self`) to `to` (relative to `to_dir`);
    /// `EXDEV` if `to_dir` is another backend.
    fn rename(&self, from: &str, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()>;
    /// Makes a hard link; `follow` resolves a symbolic link in `from` first.
    fn link(&self, from: &str, follow: bool, to_dir: &dyn WasiDir, to: &str) -> WasiResult<()>;
    /// Creates a symbolic link at `path` whose contents are `target`.
    fn symlink(&self, target: &str, path: &str) -> WasiResult<()>;
    /// The contents of the symbolic link at `path`.
    fn readlink(&self, path: &str) -> WasiResult<String>;
    /// Metadata of `path`.
    fn stat(&self, path: &str, follow: bool) -> WasiResult<Filestat>;
    /// Changes the timestamps of `path`.
    fn set_times(&self, path: &str, follow: bool, atim: TimeSpec, mtim: TimeSpec) -> WasiResult<()>;
    /// Every entry, "." and ".." included, sorted by name so cookies (indices
    /// into this list) mean the same thing across calls and hosts.
    fn entries(&self) -> WasiResult<Vec<DirEntry>>;
    /// Flushes the directory to storage.
    fn sync(&self) -> WasiResult<()>;
    /// For downcasting (renames and links across descriptors).
    fn as_any(&self) -> &dyn Any;
}

/// One step of a resolution, as a backend answers it.
pub(crate) enum Lookup<D> {
    /// A directory, now held open.
    Dir(D),
    /// A symbolic link with these contents.
    Symlink(String),
    /// Something else (file, device, ...).
    Other,
    /// Nothing by that name.
    Missing,
}

/// The backend side of `resolve`: look one name up in one directory,
/// never following a symbolic link.
pub(crate) trait Walk {
    /// A held directory (an fd, an inode number).
    type Dir: Clone;
    /// Looks `name` (never "", ".", ".." or containing '/') up in `dir`.
    fn lookup(&self, dir: &Self::Dir, name: &str) -> WasiResult<Lookup<Self::Dir>>;
}

/// Where a path ends: the directory holding the last component, its name
/// ("." for the directory itself), and whether the path ended in '/'.
pub(crate) struct Resolved<D> {
    pub dir: D,
    pub name: String,
    pub trailing_slash: bool,
}

/// Resolves `path` beneath `root` (see the module docs). With `follow`, a
/// symbolic link in the last component is expanded too; a trailing '/'
/// always expands it, as POSIX does.
pub(crate) fn resolve<W: Walk>(
    w: &W,
    root: W::Dir,
    path: &str,
    follow: bool,
) -> WasiResult<Resolved<W::Dir>> {
    if path.is_empty() {
        return Err(Errno::Noent);
    }
    if path.contains('\0') {
        return Err(Errno::Inval);
    }
    if path.starts_with('/') {
        return Err(Errno::Notcapable);
    }
    let mut stack = vec![root];
    let mut pending: VecDeque<String> = path.split('/').map(str::to_string).collect();
    let mut trailing_slash = path.ends_with('/');
    let mut expansions = 0;
    loop {
        let Some(comp) = pending.pop_front() else {
            // The path (or a link's contents) ended in "/", "." or "..".
            let dir = stack.pop().ok_or(Errno::Notcapable)?;
            return Ok(Resolved { dir, name: ".".to_string(), trailing_slash });
        };
        let last = pending.iter().all(String::is_empty);
        if comp.is_empty() || comp == "." {
            continue;
        }
        if comp == ".." {
            if stack.len() == 1 {
                return Err(Errno::Notcapable);
            }
            stack.pop();
            continue;
        }
        let cur = stack.last().ok_or(Errno::Notcapable)?.clone();
        if last && !follow && !trailing_slash {
            return Ok(Resolved { dir: cur, name: comp, trailing_slash });
        }
        match (w.lookup(&cur, &comp)?, last) {
            (Lookup::Symlink(target), _) => {
                expansions += 1;
                if expansions > MAX_SYMLINKS {
                    return Err(Errno::Loop);
                }
                if target.starts_with('/') {
                    return Err(Errno::Notcapable);
                }
                if target.is_empty() {
                    return Err(Errno::Noent);
                }
                if last && target.ends_with('/') {
                    trailing_slash = true;
                }
                for part in target.split('/').rev() {
                    pending.push_front(part.to_string());
                }
            }
            (_, true) => return Ok(Resolved { dir: cur, name: comp, trailing_slash }),
            (Lookup::Dir(d), false) => stack.push(d),
            (Lookup::Other, false) => return Err(Errno::Notdir),
            (Lookup::Missing, false) => return Err(Errno::Noent),
        }
    }
}

/// The `fdflags` a file opened with `current` may switch to with
/// `fd_fdstat_set_flags`: `APPEND` and `NONBLOCK` freely; the
/// synchronized-I/O bits are fixed at open (Linux's `F_SETFL` ignores them
/// too), so repeating them is fine and changing them is `ENOTSUP`, as is an
/// unknown bit.
pub(crate) fn checked_file_fdflags(current: u16, requested: u16) -> WasiResult<u16> {
    use crate::types::fdflags::*;
    const SYNC_BITS: u16 = DSYNC | RSYNC | SYNC;
    if requested & !(APPEND | NONBLOCK | SYNC_BITS) != 0 || requested & SYNC_BITS != current & SYNC_BITS {
        return Err(Errno::Notsup);
    }
    Ok(requested)
}

/// Splits `fstflags` into the two changes; `ATIM` with `ATIM_NOW` (or the
/// same for `MTIM`) is `EINVAL`, as are unknown bits.
pub fn time_specs(atim: u64, mtim: u64, fst: u16) -> WasiResult<(TimeSpec, TimeSpec)> {
    use crate::types::fstflags::*;
    if fst & !(ATIM | ATIM_NOW | MTIM | MTIM_NOW) != 0 {
        return Err(Errno::Inval);
    }
    let one = |set: u16, now: u16, v: u64| match (fst & set != 0, fst & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(TimeSpec::At(v)),
        (false, true) => Ok(TimeSpec::Now),
        (false, false) => Ok(TimeSpec::Omit),
    };
    Ok((one(ATIM, ATIM_NOW, atim)?, one(MTIM, MTIM_NOW, mtim)?))
}
