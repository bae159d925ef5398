//! `sock_*` on sockets the embedder pre-opened ([`crate::PreopenedSocket`])
//! and the streams accepted from them. The checks come in the order POSIX
//! implies: a closed descriptor is `EBADF`, one that is not a socket is
//! `ENOTSOCK`, then the descriptor's rights (`ENOTCAPABLE`), then the
//! arguments (`EINVAL`).

use std::net::Shutdown;

use super::a32;
use crate::ctx::{Handle, WasiCtx};
use crate::memory::GuestMemory;
use crate::net::Socket;
use crate::types::{Errno, WasiResult, fdflags, sock};

/// The socket behind `fd`, which must have every right in `needed`.
fn socket(ctx: &mut WasiCtx, fd: u32, needed: u64) -> WasiResult<&Socket> {
    let e = ctx.fd(fd)?;
    let Handle::File(f) = &e.handle else { return Err(Errno::Notsock) };
    let s = f.as_any().downcast_ref::<Socket>().ok_or(Errno::Notsock)?;
    e.require(needed)?;
    Ok(s)
}

/// `sock_accept(fd, flags) -> fd`: only `NONBLOCK` may be asked for the new
/// stream.
pub(crate) fn sock_accept(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let flags = a32(a, 1);
    let out = a32(a, 2);
    mem.slice(out, 4)?;
    let s = socket(ctx, a32(a, 0), crate::types::rights::SOCK_ACCEPT)?;
    if flags & !u32::from(fdflags::NONBLOCK) != 0 {
        return Err(Errno::Inval);
    }
    let entry = s.accept(flags != 0)?;
    let new = ctx.insert(entry)?;
    mem.write_u32(out, new)
}

/// `sock_recv(fd, ri_data, ri_flags) -> (size, roflags)`. A stream socket
/// never truncates a message, so `roflags` is always 0.
pub(crate) fn sock_recv(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let iovs = mem.iovecs(a32(a, 1), a32(a, 2))?;
    let (len_out, flags_out) = (a32(a, 4), a32(a, 5));
    mem.slice(len_out, 4)?;
    mem.slice(flags_out, 2)?;
    let riflags = u16::try_from(a32(a, 3)).map_err(|_| Errno::Inval)?;
    let s = socket(ctx, a32(a, 0), crate::types::rights::FD_READ)?;
    if riflags & !(sock::RECV_PEEK | sock::RECV_WAITALL) != 0 {
        return Err(Errno::Inval);
    }
    let mut buf = vec![0u8; GuestMemory::total_len(&iovs)];
    let n = s.recv(&mut buf, riflags)?;
    let n = mem.scatter(&iovs, &buf[..n.min(buf.len())])?;
    mem.write_u32(len_out, u32::try_from(n).map_err(|_| Errno::Overflow)?)?;
    mem.write_u16(flags_out, 0)
}

/// `sock_send(fd, si_data, si_flags) -> size`. No `siflags` are defined, so
/// any bit set is `EINVAL`.
pub(crate) fn sock_send(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let iovs = mem.iovecs(a32(a, 1), a32(a, 2))?;
    let data = mem.gather(&iovs)?;
    let out = a32(a, 4);
    mem.slice(out, 4)?;
    let s = socket(ctx, a32(a, 0), crate::types::rights::FD_WRITE)?;
    if a32(a, 3) != 0 {
        return Err(Errno::Inval);
    }
    let n = s.send(&data)?;
    mem.write_u32(out, u32::try_from(n).map_err(|_| Errno::Overflow)?)
}

/// `sock_shutdown(fd, how)`: `how` is `RD`, `WR` or both; none or an
/// unknown bit is `EINVAL`.
pub(crate) fn sock_shutdown(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let s = socket(ctx, a32(a, 0), crate::types::rights::SOCK_SHUTDOWN)?;
    let how = match a32(a, 1) {
        x if x == u32::from(sock::SHUT_RD) => Shutdown::Read,
        x if x == u32::from(sock::SHUT_WR) => Shutdown::Write,
        x if x == u32::from(sock::SHUT_RD | sock::SHUT_WR) => Shutdown::Both,
        _ => return Err(Errno::Inval),
    };
    s.shutdown(how)
}
