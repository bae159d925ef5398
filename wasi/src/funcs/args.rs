//! `args_*` and `environ_*`: NUL-terminated strings packed into one guest
//! buffer, with a pointer array into it.

use super::a32;
use crate::ctx::WasiCtx;
use crate::memory::GuestMemory;
use crate::types::{Errno, WasiResult};

/// Writes `(count, bytes)` of `list` as two `u32`s.
fn sizes(list: &[String], mem: &mut GuestMemory<'_>, count_ptr: u32, size_ptr: u32) -> WasiResult<()> {
    let bytes: usize = list.iter().map(|s| s.len() + 1).sum();
    mem.write_u32(count_ptr, u32::try_from(list.len()).map_err(|_| Errno::Overflow)?)?;
    mem.write_u32(size_ptr, u32::try_from(bytes).map_err(|_| Errno::Overflow)?)
}

/// Writes the strings at `buf` and their addresses at `ptrs`.
fn strings(list: &[String], mem: &mut GuestMemory<'_>, ptrs: u32, buf: u32) -> WasiResult<()> {
    let mut at = buf;
    for (i, s) in list.iter().enumerate() {
        let slot = ptrs.checked_add(4 * i as u32).ok_or(Errno::Fault)?;
        mem.write_u32(slot, at)?;
        mem.write_bytes(at, s.as_bytes())?;
        let end = at.checked_add(s.len() as u32).ok_or(Errno::Fault)?;
        mem.write_u8(end, 0)?;
        at = end.checked_add(1).ok_or(Errno::Fault)?;
    }
    Ok(())
}

pub(crate) fn args_sizes_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    sizes(&ctx.args, mem, a32(a, 0), a32(a, 1))
}

pub(crate) fn args_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    strings(&ctx.args, mem, a32(a, 0), a32(a, 1))
}

pub(crate) fn environ_sizes_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    sizes(&ctx.env, mem, a32(a, 0), a32(a, 1))
}

pub(crate) fn environ_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, a: &[u64]) -> WasiResult<()> {
    strings(&ctx.env, mem, a32(a, 0), a32(a, 1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed test setup should panic
mod tests {
    use super::*;
    use crate::WasiCtxBuilder;

    #[test]
    fn args_and_env_are_packed() {
        let mut ctx = WasiCtxBuilder::new().arg("prog").arg("x y").env("A", "1").build().unwrap();
        let mut buf = vec![0u8; 128];
        let mut mem = GuestMemory::new(&mut buf);
        args_sizes_get(&mut ctx, &mut mem, &[0, 4]).unwrap();
        assert_eq!((mem.read_u32(0), mem.read_u32(4)), (Ok(2), Ok(9)));
        args_get(&mut ctx, &mut mem, &[16, 32]).unwrap();
        assert_eq!((mem.read_u32(16), mem.read_u32(20)), (Ok(32), Ok(37)));
        assert_eq!(mem.slice(32, 9).unwrap(), b"prog\0x y\0");
        environ_sizes_get(&mut ctx, &mut mem, &[0, 4]).unwrap();
        assert_eq!((mem.read_u32(0), mem.read_u32(4)), (Ok(1), Ok(4)));
        environ_get(&mut ctx, &mut mem, &[48, 64]).unwrap();
        assert_eq!(mem.slice(64, 4).unwrap(), b"A=1\0");
        assert_eq!(args_get(&mut ctx, &mut mem, &[16, 125]), Err(Errno::Fault));
        assert_eq!(args_get(&mut ctx, &mut mem, &[124, 32]), Err(Errno::Fault), "pointer array");
        assert_eq!(args_sizes_get(&mut ctx, &mut mem, &[126, 0]), Err(Errno::Fault));
        assert_eq!(args_sizes_get(&mut ctx, &mut mem, &[0, 125]), Err(Errno::Fault));
        assert_eq!(environ_get(&mut ctx, &mut mem, &[48, 126]), Err(Errno::Fault));
        assert_eq!(environ_sizes_get(&mut ctx, &mut mem, &[u32::MAX.into(), 0]), Err(Errno::Fault));
    }

    #[test]
    fn nothing_given_is_nothing_written() {
        let mut ctx = WasiCtxBuilder::new().build().unwrap();
        let mut buf = vec![0xaau8; 16];
        let mut mem = GuestMemory::new(&mut buf);
        args_sizes_get(&mut ctx, &mut mem, &[0, 4]).unwrap();
        environ_sizes_get(&mut ctx, &mut mem, &[8, 12]).unwrap();
        assert_eq!(mem.slice(0, 16).unwrap(), [0; 16]);
        mem.write_bytes(0, &[0xaa; 16]).unwrap();
        args_get(&mut ctx, &mut mem, &[0, 8]).unwrap();
        environ_get(&mut ctx, &mut mem, &[16, 16]).unwrap();
        assert_eq!(mem.slice(0, 16).unwrap(), [0xaa; 16], "nothing touched, not even at the end");
    }
}
