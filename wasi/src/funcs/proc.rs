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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;
    use crate::WasiCtxBuilder;

    #[test]
    fn raise_is_nosys_and_yield_succeeds() {
        let mut ctx = WasiCtxBuilder::new().build().unwrap();
        let mut mem = GuestMemory::new(&mut []);
        for sig in [0, 6, 9, u64::from(u32::MAX)] {
            assert_eq!(proc_raise(&mut ctx, &mut mem, &[sig]), Err(Errno::Nosys));
        }
        assert_eq!(sched_yield(&mut ctx, &mut mem, &[]), Ok(()));
    }
}
