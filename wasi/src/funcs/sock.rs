//! `sock_*`. No embedder API exists yet to pre-open a socket, so no
//! descriptor is ever a socket: a closed descriptor is `EBADF` and any other
//! is `ENOTSOCK`, as POSIX answers for a non-socket.
//! TODO(issue 5): socket descriptors pre-opened by the embedder.

use super::a32;
use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult};

fn not_a_socket(ctx: &mut WasiCtx, fd: u32) -> WasiResult<()> {
    ctx.fd(fd)?;
    Err(Errno::Notsock)
}

pub(crate) fn sock_accept(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    not_a_socket(ctx, a32(a, 0))
}

pub(crate) fn sock_recv(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    not_a_socket(ctx, a32(a, 0))
}

pub(crate) fn sock_send(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    not_a_socket(ctx, a32(a, 0))
}

pub(crate) fn sock_shutdown(ctx: &mut WasiCtx, _: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    not_a_socket(ctx, a32(a, 0))
}
