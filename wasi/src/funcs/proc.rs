//! `proc_raise` and `sched_yield` (`proc_exit` is in the crate root: it ends
//! the instance rather than returning an errno).

use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult};

/// Signals are not part of the WASI model any more (witx keeps the import
/// for compatibility): always `ENOSYS`, as the issue specifies.
pub(crate) fn proc_raise(_: &mut WasiCtx, _: &mut GuestMemory<'_>, _: &[u64]) -> WasiResult<()> {
    Err(Errno::Nosys)
}

pub(crate) fn sched_yield(_: &mut WasiCtx, _: &mut GuestMemory<'_>, _: &[u64]) -> WasiResult<()> {
    std::thread::yield_now();
    Ok(())
}
