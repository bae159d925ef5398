//! `fd_*`: operations on an open descriptor.

use std::io::SeekFrom;

use super::{a32, a64};
use crate::ctx::{Handle, WasiCtx};
use crate::fs::time_specs;
use crate::memory::GuestMemory;
use crate::types::{
    Errno, Fdstat, Filetype, PREOPENTYPE_DIR, WasiResult, advice, encode_dirent, rights, size, whence,
};

fn u32_len(n: usize) -> WasiResult<u32> {
    u32::try_from(n).map_err(|_| Errno::Overflow)
}

/// Advice is a hint the backends may ignore (POSIX allows that too); the
/// call still checks the descriptor, its rights and the advice value.
pub(crate) fn fd_advise(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    e.require(rights::FD_ADVISE)?;
    if a32(a, 3) > u32::from(advice::NOREUSE) {
        return Err(Errno::Inval);
    }
    match e.handle {
        Handle::File(_) => Ok(()),
        Handle::Dir(_) => Err(Errno::Badf),
    }
}

pub(crate) fn fd_allocate(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    ctx.file(a32(a, 0), rights::FD_ALLOCATE)?.allocate(a64(a, 1), a64(a, 2))
}

pub(crate) fn fd_close(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let mut e = ctx.fds.remove(&a32(a, 0)).ok_or(Errno::Badf)?;
    if let Handle::File(f) = &mut e.handle {
        // Buffered streams get their bytes out (no fsync: closing is not
        // syncing); errors are not close's.
        let _ = f.flush();
    }
    Ok(())
}

fn sync(ctx: &mut WasiCtx, fd: u32, right: u64, data_only: bool) -> WasiResult<()> {
    let e = ctx.fd(fd)?;
    e.require(right)?;
    match &mut e.handle {
        Handle::File(f) if data_only => f.datasync(),
        Handle::File(f) => f.sync(),
        Handle::Dir(d) => d.sync(),
    }
}

pub(crate) fn fd_datasync(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    sync(ctx, a32(a, 0), rights::FD_DATASYNC, true)
}

pub(crate) fn fd_sync(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    sync(ctx, a32(a, 0), rights::FD_SYNC, false)
}

pub(crate) fn fd_fdstat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    let (filetype, flags) = match &e.handle {
        Handle::File(f) => (f.filetype(), f.fdflags()),
        Handle::Dir(_) => (Filetype::Directory, 0),
    };
    let st = Fdstat {
        filetype: filetype as u8,
        flags,
        rights_base: e.rights_base,
        rights_inheriting: e.rights_inheriting,
    };
    mem.write_bytes(a32(a, 1), &st.encode())
}

/// The flags a file accepts are its backend's business; a directory has none
/// that mean anything (no appending, no blocking reads), so only 0 is
/// accepted there and any flag is `ENOTSUP`.
pub(crate) fn fd_fdstat_set_flags(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let flags = u16::try_from(a32(a, 1)).map_err(|_| Errno::Inval)?;
    let e = ctx.fd(a32(a, 0))?;
    e.require(rights::FD_FDSTAT_SET_FLAGS)?;
    match &mut e.handle {
        Handle::File(f) => f.set_fdflags(flags),
        Handle::Dir(_) if flags == 0 => Ok(()),
        Handle::Dir(_) => Err(Errno::Notsup),
    }
}

/// Rights can only be dropped, never gained.
pub(crate) fn fd_fdstat_set_rights(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (base, inheriting) = (a64(a, 1), a64(a, 2));
    let e = ctx.fd(a32(a, 0))?;
    if base & !e.rights_base != 0 || inheriting & !e.rights_inheriting != 0 {
        return Err(Errno::Notcapable);
    }
    e.rights_base = base;
    e.rights_inheriting = inheriting;
    Ok(())
}

pub(crate) fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    e.require(rights::FD_FILESTAT_GET)?;
    let st = match &e.handle {
        Handle::File(f) => f.stat()?,
        Handle::Dir(d) => d.stat(".", false)?,
    };
    mem.write_bytes(a32(a, 1), &st.encode())
}

pub(crate) fn fd_filestat_set_size(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    ctx.file(a32(a, 0), rights::FD_FILESTAT_SET_SIZE)?.set_size(a64(a, 1))
}

pub(crate) fn fd_filestat_set_times(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let fst = u16::try_from(a32(a, 3)).map_err(|_| Errno::Inval)?;
    let (atim, mtim) = time_specs(a64(a, 1), a64(a, 2), fst)?;
    let e = ctx.fd(a32(a, 0))?;
    e.require(rights::FD_FILESTAT_SET_TIMES)?;
    match &mut e.handle {
        Handle::File(f) => f.set_times(atim, mtim),
        Handle::Dir(d) => d.set_times(".", false, atim, mtim),
    }
}

/// Reads into one host buffer and scatters it, so a file is read with one
/// call whatever the iovec count.
fn read_common(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64], at: Option<u64>) -> WasiResult<u32> {
    let iovs = mem.iovecs(a32(a, 1), a32(a, 2))?;
    let need = if at.is_some() { rights::FD_READ | rights::FD_SEEK } else { rights::FD_READ };
    let f = ctx.file(a32(a, 0), need)?;
    let mut buf = vec![0u8; GuestMemory::total_len(&iovs)];
    let n = match at {
        Some(off) => f.pread(&mut buf, off)?,
        None => f.read(&mut buf)?,
    };
    u32_len(mem.scatter(&iovs, &buf[..n.min(buf.len())])?)
}

fn write_common(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64], at: Option<u64>) -> WasiResult<u32> {
    let iovs = mem.iovecs(a32(a, 1), a32(a, 2))?;
    let data = mem.gather(&iovs)?;
    let need = if at.is_some() { rights::FD_WRITE | rights::FD_SEEK } else { rights::FD_WRITE };
    let f = ctx.file(a32(a, 0), need)?;
    let n = match at {
        Some(off) => f.pwrite(&data, off)?,
        None => f.write(&data)?,
    };
    u32_len(n)
}

pub(crate) fn fd_read(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let n = read_common(ctx, mem, a, None)?;
    mem.write_u32(a32(a, 3), n)
}

pub(crate) fn fd_pread(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let n = read_common(ctx, mem, a, Some(a64(a, 3)))?;
    mem.write_u32(a32(a, 4), n)
}

pub(crate) fn fd_write(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let n = write_common(ctx, mem, a, None)?;
    mem.write_u32(a32(a, 3), n)
}

pub(crate) fn fd_pwrite(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let n = write_common(ctx, mem, a, Some(a64(a, 3)))?;
    mem.write_u32(a32(a, 4), n)
}

pub(crate) fn fd_prestat_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    let name = e.preopen.as_ref().ok_or(Errno::Badf)?;
    let len = u32_len(name.len())?;
    let mut b = [0u8; size::PRESTAT as usize];
    b[0] = PREOPENTYPE_DIR;
    b[4..8].copy_from_slice(&len.to_le_bytes());
    mem.write_bytes(a32(a, 1), &b)
}

pub(crate) fn fd_prestat_dir_name(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    let name = e.preopen.as_ref().ok_or(Errno::Badf)?;
    if (a32(a, 2) as usize) < name.len() {
        return Err(Errno::Nametoolong);
    }
    mem.write_bytes(a32(a, 1), name.as_bytes())
}

/// Fills the buffer with `dirent`s from `cookie` on; the last one may be
/// cut short, which tells the guest to call again with a larger buffer.
pub(crate) fn fd_readdir(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (buf, buf_len, cookie) = (a32(a, 1), a32(a, 2), a64(a, 3));
    mem.slice(buf, buf_len)?;
    let e = ctx.fd(a32(a, 0))?;
    e.require(rights::FD_READDIR)?;
    let Handle::Dir(d) = &e.handle else { return Err(Errno::Notdir) };
    if cookie == 0 || e.dir_snapshot.is_none() {
        e.dir_snapshot = Some(d.entries()?);
    }
    let entries = e.dir_snapshot.as_deref().unwrap_or_default();
    let mut out = Vec::new();
    for (i, ent) in entries.iter().enumerate().skip(usize::try_from(cookie).unwrap_or(usize::MAX)) {
        if out.len() >= buf_len as usize {
            break;
        }
        let head = encode_dirent(i as u64 + 1, ent.ino, u32_len(ent.name.len())?, ent.filetype as u8);
        out.extend_from_slice(&head);
        out.extend_from_slice(ent.name.as_bytes());
    }
    out.truncate(buf_len as usize);
    mem.write_bytes(buf, &out)?;
    mem.write_u32(a32(a, 4), u32_len(out.len())?)
}

pub(crate) fn fd_renumber(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (from, to) = (a32(a, 0), a32(a, 1));
    ctx.fd(to)?;
    let e = ctx.fds.remove(&from).ok_or(Errno::Badf)?;
    ctx.fds.insert(to, e);
    Ok(())
}

pub(crate) fn fd_seek(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let (offset, wh) = (a64(a, 1) as i64, a32(a, 2));
    let pos = match u8::try_from(wh).map_err(|_| Errno::Inval)? {
        whence::SET => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
        whence::CUR => SeekFrom::Current(offset),
        whence::END => SeekFrom::End(offset),
        _ => return Err(Errno::Inval),
    };
    let need = if pos == SeekFrom::Current(0) { rights::FD_TELL } else { rights::FD_SEEK };
    let e = ctx.fd(a32(a, 0))?;
    if e.rights_base & (need | rights::FD_SEEK) == 0 {
        return Err(Errno::Notcapable);
    }
    let Handle::File(f) = &mut e.handle else { return Err(Errno::Badf) };
    let new = f.seek(pos)?;
    mem.write_u64(a32(a, 3), new)
}

pub(crate) fn fd_tell(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let e = ctx.fd(a32(a, 0))?;
    if e.rights_base & (rights::FD_TELL | rights::FD_SEEK) == 0 {
        return Err(Errno::Notcapable);
    }
    let Handle::File(f) = &mut e.handle else { return Err(Errno::Badf) };
    let pos = f.seek(SeekFrom::Current(0))?;
    mem.write_u64(a32(a, 1), pos)
}
