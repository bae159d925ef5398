//! Unit tests of the function families (`fd`, `path`, `poll`, `sock`; `args`,
//! `clock`, `random` and `proc` sit beside their code), each function called
//! by name through [`FUNCS`], the table the linker uses, on a [`WasiCtx`] and
//! a plain buffer as guest memory. They assert exact errno values and the
//! exact bytes of every struct written, laid out as witx says.

#![allow(clippy::unwrap_used)] // a failed test setup should panic

mod fd;
mod path;
mod poll;
mod sock;

use super::FUNCS;
use crate::memory::GuestMemory;
use crate::types::Errno;
use crate::{WasiCtx, WasiCtxBuilder};

/// Bytes of guest memory the tests get: one Wasm page.
pub(super) const MEM: u32 = 65536;

/// A context and its guest's memory.
pub(super) struct Env {
    pub ctx: WasiCtx,
    pub mem: Vec<u8>,
}

impl Env {
    pub fn new(b: WasiCtxBuilder) -> Env {
        Env { ctx: b.build().unwrap(), mem: vec![0; MEM as usize] }
    }

    /// Calls the function `name` with `args`, as the guest would: the result
    /// is the errno it would see (`Success` included).
    pub fn call(&mut self, name: &str, args: &[u64]) -> Errno {
        let def = FUNCS.iter().find(|d| d.name == name).unwrap_or_else(|| panic!("no function {name}"));
        assert_eq!(def.params.len(), args.len(), "{name} takes {} arguments", def.params.len());
        match (def.imp)(&mut self.ctx, &mut GuestMemory::new(&mut self.mem), args) {
            Ok(()) => Errno::Success,
            Err(e) => e,
        }
    }

    pub fn put(&mut self, at: u32, bytes: &[u8]) {
        self.mem[at as usize..at as usize + bytes.len()].copy_from_slice(bytes);
    }

    pub fn bytes(&self, at: u32, len: usize) -> &[u8] {
        &self.mem[at as usize..at as usize + len]
    }

    pub fn u16(&self, at: u32) -> u16 {
        u16::from_le_bytes(self.bytes(at, 2).try_into().unwrap())
    }

    pub fn u32(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.bytes(at, 4).try_into().unwrap())
    }

    pub fn u64(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.bytes(at, 8).try_into().unwrap())
    }

    /// Writes an `iovec` array of `(buf, len)` at `at`.
    pub fn iovs(&mut self, at: u32, bufs: &[(u32, u32)]) {
        for (i, &(buf, len)) in bufs.iter().enumerate() {
            let e = at + 8 * i as u32;
            self.put(e, &buf.to_le_bytes());
            self.put(e + 4, &len.to_le_bytes());
        }
    }

    /// Writes `s` at `at`; returns the `(ptr, len)` argument pair.
    pub fn string(&mut self, at: u32, s: &str) -> (u64, u64) {
        self.put(at, s.as_bytes());
        (u64::from(at), s.len() as u64)
    }
}

/// The 24 bytes of an `fdstat`, spelled out: filetype u8 @0, flags u16 @2,
/// rights_base u64 @8, rights_inheriting u64 @16.
pub(super) fn fdstat(filetype: u8, flags: u16, base: u64, inheriting: u64) -> Vec<u8> {
    let mut b = vec![0u8; 24];
    b[0] = filetype;
    b[2..4].copy_from_slice(&flags.to_le_bytes());
    b[8..16].copy_from_slice(&base.to_le_bytes());
    b[16..24].copy_from_slice(&inheriting.to_le_bytes());
    b
}

/// The 64 bytes of a `filestat`: dev @0, ino @8, filetype u8 @16, nlink @24,
/// size @32, atim @40, mtim @48, ctim @56.
pub(super) fn filestat(ino: u64, filetype: u8, nlink: u64, size: u64, times: [u64; 3]) -> Vec<u8> {
    let mut b = vec![0u8; 64];
    b[8..16].copy_from_slice(&ino.to_le_bytes());
    b[16] = filetype;
    b[24..32].copy_from_slice(&nlink.to_le_bytes());
    b[32..40].copy_from_slice(&size.to_le_bytes());
    for (i, t) in times.iter().enumerate() {
        b[40 + 8 * i..48 + 8 * i].copy_from_slice(&t.to_le_bytes());
    }
    b
}

/// The 32 bytes of an `event`: userdata @0, error u16 @8, type u8 @10, and
/// for fd events nbytes u64 @16, flags u16 @24.
pub(super) fn event(userdata: u64, error: Errno, ty: u8, nbytes: u64, flags: u16) -> Vec<u8> {
    let mut b = vec![0u8; 32];
    b[0..8].copy_from_slice(&userdata.to_le_bytes());
    b[8..10].copy_from_slice(&(error as u16).to_le_bytes());
    b[10] = ty;
    b[16..24].copy_from_slice(&nbytes.to_le_bytes());
    b[24..26].copy_from_slice(&flags.to_le_bytes());
    b
}
