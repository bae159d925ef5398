//! `clock_res_get` and `clock_time_get` over the context's clocks.

use super::{a32, a64};
use crate::clocks::Clock;
use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult, clockid};

/// The clock for a `clockid`, or `EINVAL`.
pub(crate) fn clock(ctx: &WasiCtx, id: u32) -> WasiResult<&dyn Clock> {
    match id {
        clockid::REALTIME => Ok(ctx.wall.as_ref()),
        clockid::MONOTONIC => Ok(ctx.monotonic.as_ref()),
        clockid::PROCESS_CPUTIME_ID => Ok(ctx.process_cputime.as_ref()),
        clockid::THREAD_CPUTIME_ID => {
            Ok(ctx.thread_cputime.as_deref().unwrap_or(ctx.process_cputime.as_ref()))
        }
        _ => Err(Errno::Inval),
    }
}

pub(crate) fn clock_res_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let res = clock(ctx, a32(a, 0))?.resolution();
    mem.write_u64(a32(a, 1), res)
}

pub(crate) fn clock_time_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let _precision = a64(a, 1);
    let now = clock(ctx, a32(a, 0))?.now();
    mem.write_u64(a32(a, 2), now)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;
    use crate::WasiCtxBuilder;
    use crate::clocks::FakeClock;

    #[test]
    fn clocks_read_the_configured_sources() {
        let mut ctx = WasiCtxBuilder::new()
            .wall_clock(FakeClock::new(1_000, 0))
            .monotonic_clock(FakeClock::new(5, 1))
            .build()
            .unwrap();
        let mut buf = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut buf);
        clock_time_get(&mut ctx, &mut mem, &[0, 0, 0]).unwrap();
        assert_eq!(mem.read_u64(0), Ok(1_000));
        clock_time_get(&mut ctx, &mut mem, &[1, 0, 8]).unwrap();
        assert_eq!(mem.read_u64(8), Ok(5));
        clock_res_get(&mut ctx, &mut mem, &[1, 0]).unwrap();
        assert_eq!(mem.read_u64(0), Ok(1));
        for id in [2, 3] {
            clock_time_get(&mut ctx, &mut mem, &[id, 0, 0]).unwrap();
        }
        assert_eq!(clock_time_get(&mut ctx, &mut mem, &[4, 0, 0]), Err(Errno::Inval));
        assert_eq!(clock_time_get(&mut ctx, &mut mem, &[0, 0, 9]), Err(Errno::Fault));
    }

    #[test]
    fn every_clock_has_a_resolution() {
        let mut ctx = WasiCtxBuilder::new()
            .wall_clock(FakeClock::new(0, 0))
            .monotonic_clock(FakeClock::new(0, 250))
            .cputime_clock(FakeClock::new(0, 7))
            .build()
            .unwrap();
        let mut buf = vec![0u8; 40];
        let mut mem = GuestMemory::new(&mut buf);
        for id in 0..4u64 {
            clock_res_get(&mut ctx, &mut mem, &[id, 8 * id]).unwrap();
        }
        let res: Vec<u64> = (0..4).map(|i| mem.read_u64(8 * i).unwrap()).collect();
        assert_eq!(res, [1, 250, 7, 7], "a fake clock with step 0 still ticks 1 ns");
        assert_eq!(clock_res_get(&mut ctx, &mut mem, &[4, 0]), Err(Errno::Inval));
        assert_eq!(clock_res_get(&mut ctx, &mut mem, &[u64::from(u32::MAX), 0]), Err(Errno::Inval));
        assert_eq!(clock_res_get(&mut ctx, &mut mem, &[1, 33]), Err(Errno::Fault));
        // The thread clock is the process one when the embedder sets it.
        clock_time_get(&mut ctx, &mut mem, &[2, 0, 0]).unwrap();
        clock_time_get(&mut ctx, &mut mem, &[3, 0, 8]).unwrap();
        assert_eq!((mem.read_u64(0), mem.read_u64(8)), (Ok(0), Ok(7)));
    }
}
