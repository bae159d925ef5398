//! `random_get`: straight into the guest buffer.

use super::a32;
use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult};

pub(crate) fn random_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    let buf = mem.slice_mut(a32(a, 0), a32(a, 1))?;
    ctx.random.fill(buf).map_err(|_| Errno::Io)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;
    use crate::WasiCtxBuilder;
    use crate::clocks::SeededRandom;
    use crate::types::Errno;

    #[test]
    fn seeded_bytes_land_in_memory() {
        let mut ctx = WasiCtxBuilder::new().random(SeededRandom::new(1)).build().unwrap();
        let mut buf = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut buf);
        random_get(&mut ctx, &mut mem, &[4, 8]).unwrap();
        let mut expect = [0u8; 8];
        crate::clocks::RandomSource::fill(&mut SeededRandom::new(1), &mut expect).unwrap();
        assert_eq!(mem.slice(4, 8).unwrap(), expect);
        assert_eq!(random_get(&mut ctx, &mut mem, &[12, 8]), Err(Errno::Fault));
        assert_eq!(random_get(&mut ctx, &mut mem, &[16, 0]), Ok(()), "nothing, at the very end");
        assert_eq!(random_get(&mut ctx, &mut mem, &[17, 0]), Err(Errno::Fault));
    }
}
