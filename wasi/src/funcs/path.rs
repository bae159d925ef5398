//! `path_*`: operations on a path relative to a directory descriptor. The
//! rights of the descriptor are checked here; the sandboxing of the path
//! itself is the backend's resolver (see [`crate::fs`]).

use super::{a32, a64};
use crate::ctx::{FdEntry, Handle, WasiCtx};
use crate::fs::{OpenOptions, Opened, time_specs};
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult, fdflags, lookupflags, oflags, rights};

fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

pub(crate) fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &[u64],
) -> WasiResult<()> {
    let path = mem.read_str(a32(a, 1), a32(a, 2))?;
    ctx.dir(a32(a, 0), rights::PATH_CREATE_DIRECTORY)?.create_dir(&path)
}

pub(crate) fn path_filestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let follow = follow(a32(a, 1))?;
    let path = mem.read_str(a32(a, 2), a32(a, 3))?;
    let st = ctx.dir(a32(a, 0), rights::PATH_FILESTAT_GET)?.stat(&path, follow)?;
    mem.write_bytes(a32(a, 4), &st.encode())
}

pub(crate) fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &[u64],
) -> WasiResult<()> {
    let follow = follow(a32(a, 1))?;
    let path = mem.read_str(a32(a, 2), a32(a, 3))?;
    let fst = u16::try_from(a32(a, 6)).map_err(|_| Errno::Inval)?;
    let (atim, mtim) = time_specs(a64(a, 4), a64(a, 5), fst)?;
    ctx.dir(a32(a, 0), rights::PATH_FILESTAT_SET_TIMES)?.set_times(&path, follow, atim, mtim)
}

pub(crate) fn path_link(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let follow = follow(a32(a, 1))?;
    let from = mem.read_str(a32(a, 2), a32(a, 3))?;
    let to = mem.read_str(a32(a, 5), a32(a, 6))?;
    let src = ctx.dir(a32(a, 0), rights::PATH_LINK_SOURCE)?;
    let dst = ctx.dir(a32(a, 4), rights::PATH_LINK_TARGET)?;
    src.link(&from, follow, dst, &to)
}

/// The synchronized-I/O bits of `fdflags`.
const SYNC_FLAGS: u16 = fdflags::DSYNC | fdflags::RSYNC | fdflags::SYNC;

/// Opens a file or directory. The new descriptor's rights are what the guest
/// asked for, cut down to what the directory may hand on (wasi-libc asks for
/// broad rights and expects this narrowing rather than an error); creating
/// and truncating need the directory's own rights, and so do the
/// synchronized-I/O flags (witx: `fd_datasync` allows `dsync`, `fd_sync`
/// allows `dsync` and `rsync`; `sync`, the strongest, needs `fd_sync` too).
pub(crate) fn path_open(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let follow = follow(a32(a, 1))?;
    let path = mem.read_str(a32(a, 2), a32(a, 3))?;
    let of = u16::try_from(a32(a, 4)).map_err(|_| Errno::Inval)?;
    let (want_base, want_inheriting) = (a64(a, 5), a64(a, 6));
    let ff = u16::try_from(a32(a, 7)).map_err(|_| Errno::Inval)?;
    if of & !(oflags::CREAT | oflags::DIRECTORY | oflags::EXCL | oflags::TRUNC) != 0 {
        return Err(Errno::Inval);
    }
    if ff & !(fdflags::APPEND | fdflags::NONBLOCK | SYNC_FLAGS) != 0 {
        return Err(Errno::Inval);
    }
    let fd = a32(a, 0);
    let mut need = rights::PATH_OPEN;
    if of & oflags::CREAT != 0 {
        need |= rights::PATH_CREATE_FILE;
    }
    if of & oflags::TRUNC != 0 {
        need |= rights::PATH_FILESTAT_SET_SIZE;
    }
    if ff & (fdflags::RSYNC | fdflags::SYNC) != 0 {
        need |= rights::FD_SYNC;
    }
    let parent = ctx.fd(fd)?;
    if ff & fdflags::DSYNC != 0 && parent.rights_base & (rights::FD_DATASYNC | rights::FD_SYNC) == 0 {
        return Err(Errno::Notcapable);
    }
    let parent_inheriting = parent.rights_inheriting;
    let base = want_base & parent_inheriting;
    let inheriting = want_inheriting & parent_inheriting;
    let opts = OpenOptions {
        read: base & (rights::FD_READ | rights::FD_READDIR) != 0,
        write: base & rights::FD_WRITE != 0,
        create: of & oflags::CREAT != 0,
        exclusive: of & oflags::EXCL != 0,
        truncate: of & oflags::TRUNC != 0,
        directory: of & oflags::DIRECTORY != 0,
        append: ff & fdflags::APPEND != 0,
        follow,
        sync: ff & SYNC_FLAGS,
    };
    if opts.append && !opts.write {
        return Err(Errno::Notcapable);
    }
    let opened = ctx.dir(fd, need)?.open(&path, &opts)?;
    let entry = match opened {
        Opened::Dir(d) => FdEntry {
            handle: Handle::Dir(d),
            rights_base: base & rights::DIRECTORY,
            rights_inheriting: inheriting,
            preopen: None,
            dir_snapshot: None,
        },
        Opened::File(f) => FdEntry {
            handle: Handle::File(f),
            rights_base: base & rights::REGULAR_FILE,
            rights_inheriting: 0,
            preopen: None,
            dir_snapshot: None,
        },
    };
    let new = ctx.insert(entry)?;
    mem.write_u32(a32(a, 8), new)
}

pub(crate) fn path_readlink(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let path = mem.read_str(a32(a, 1), a32(a, 2))?;
    let target = ctx.dir(a32(a, 0), rights::PATH_READLINK)?.readlink(&path)?;
    let n = target.len().min(a32(a, 4) as usize);
    mem.write_bytes(a32(a, 3), &target.as_bytes()[..n])?;
    mem.write_u32(a32(a, 5), n as u32)
}

pub(crate) fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &[u64],
) -> WasiResult<()> {
    let path = mem.read_str(a32(a, 1), a32(a, 2))?;
    ctx.dir(a32(a, 0), rights::PATH_REMOVE_DIRECTORY)?.remove_dir(&path)
}

pub(crate) fn path_rename(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let from = mem.read_str(a32(a, 1), a32(a, 2))?;
    let to = mem.read_str(a32(a, 4), a32(a, 5))?;
    let src = ctx.dir(a32(a, 0), rights::PATH_RENAME_SOURCE)?;
    let dst = ctx.dir(a32(a, 3), rights::PATH_RENAME_TARGET)?;
    src.rename(&from, dst, &to)
}

pub(crate) fn path_symlink(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let target = mem.read_str(a32(a, 0), a32(a, 1))?;
    let path = mem.read_str(a32(a, 3), a32(a, 4))?;
    ctx.dir(a32(a, 2), rights::PATH_SYMLINK)?.symlink(&target, &path)
}

pub(crate) fn path_unlink_file(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let path = mem.read_str(a32(a, 1), a32(a, 2))?;
    ctx.dir(a32(a, 0), rights::PATH_UNLINK_FILE)?.unlink_file(&path)
}
