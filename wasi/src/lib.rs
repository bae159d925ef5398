//! `wasi_snapshot_preview1` for zerowasm: the host functions C (wasi-libc),
//! Rust, TinyGo, Zig and AssemblyScript guests import, over a sandboxed file
//! system.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use zerowasm_runtime::{Linker, Store};
//! use zerowasm_wasi::{OutputBuffer, WasiCtxBuilder, add_to_linker};
//!
//! let out = OutputBuffer::new();
//! let ctx = WasiCtxBuilder::new().arg("prog").stdout(out.clone()).build()?;
//! let mut store = Store::new();
//! let mut linker = Linker::new();
//! add_to_linker(&mut linker, &mut store, Arc::new(Mutex::new(ctx)));
//! // ... instantiate a module with `linker` and call its `_start`; a
//! // `proc_exit` comes back as a trap that `exit_code` recognises.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! * [`WasiCtxBuilder`] describes the guest's world (args, env, stdio as any
//!   `Read`/`Write`, [`Clock`]s, a [`RandomSource`], mounts) and builds a
//!   [`WasiCtx`]. The embedder API's `ModuleConfig` is meant to hold one and
//!   forward its settings.
//! * [`add_to_linker`] defines every function of the module as a raw host
//!   function sharing one `Arc<Mutex<WasiCtx>>`: one context per guest
//!   instance, so give each instance its own linker entries (or its own
//!   store).
//! * Guest pointers are only touched through [`GuestMemory`]: out of bounds
//!   is `EFAULT`, never a trap.
//! * `proc_exit` ends the call with [`Trap::host`] carrying a [`ProcExit`];
//!   [`exit_code`] gets the code back, so the embedder can tell an exit from
//!   a crash.
//! * Files go through the [`fs::WasiFile`] / [`fs::WasiDir`] traits, with a
//!   host backend ([`fs::host::HostDir`], libc `*at` calls, never escaping
//!   its mount) and an in-memory one ([`MemFs`]).

#![deny(missing_docs)]

pub mod clocks;
mod ctx;
pub mod fs;
mod funcs;
mod memory;
mod stdio;
pub mod types;

use std::sync::{Arc, Mutex};

pub use clocks::{Clock, FakeClock, RandomSource, SeededRandom};
pub use ctx::{FdEntry, Handle, WasiConfigError, WasiCtx, WasiCtxBuilder};
pub use fs::mem::MemFs;
pub use memory::{GuestMemory, IoVec};
pub use stdio::OutputBuffer;
pub use types::Errno;
use zerowasm_runtime::{Caller, FuncType, Linker, Store, Trap, ValType};

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The guest called `proc_exit`: carried in [`Trap::host`] so the run stops
/// at once, and recognised by [`exit_code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcExit(pub i32);

impl std::fmt::Display for ProcExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with code {}", self.0)
    }
}

impl std::error::Error for ProcExit {}

/// The exit code if `trap` is a WASI `proc_exit`, `None` for a real trap.
pub fn exit_code(trap: &Trap) -> Option<i32> {
    trap.host_error()?.downcast_ref::<ProcExit>().map(|e| e.0)
}

/// Names of every function [`add_to_linker`] defines.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    funcs::FUNCS.iter().map(|d| d.name).chain(std::iter::once("proc_exit"))
}

fn lock(ctx: &Mutex<WasiCtx>) -> std::sync::MutexGuard<'_, WasiCtx> {
    // A host function that panicked mid-call leaves the context as usable as
    // any interrupted system call would.
    ctx.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` on the caller's memory 0 (empty if it has none).
fn with_memory<T>(caller: &mut Caller<'_>, f: impl FnOnce(&mut GuestMemory<'_>) -> T) -> T {
    match caller.memory(0) {
        Some(m) => f(&mut GuestMemory::new(m.data_mut(caller.store()))),
        None => f(&mut GuestMemory::new(&mut [])),
    }
}

/// Defines every `wasi_snapshot_preview1` function in `linker` (creating the
/// host functions in `store`), all acting on `ctx`.
pub fn add_to_linker(linker: &mut Linker, store: &mut Store, ctx: Arc<Mutex<WasiCtx>>) {
    for def in funcs::FUNCS {
        let ctx = ctx.clone();
        let imp = def.imp;
        let ty = FuncType::new(def.params.to_vec(), vec![ValType::I32]);
        linker.func_raw(store, MODULE, def.name, ty, move |caller, slots| {
            let mut args = [0u64; 10];
            let n = slots.len().min(args.len());
            args[..n].copy_from_slice(&slots[..n]);
            let mut g = lock(&ctx);
            let result = with_memory(caller, |mem| imp(&mut g, mem, &args[..n]));
            let errno = match result {
                Ok(()) => Errno::Success,
                Err(e) => e,
            };
            if let Some(slot) = slots.first_mut() {
                *slot = u64::from(errno as u16);
            }
            Ok(())
        });
    }
    let ty = FuncType::new(vec![ValType::I32], vec![]);
    linker.func_raw(store, MODULE, "proc_exit", ty, move |_, slots| {
        let code = slots.first().map_or(0, |v| *v as u32 as i32);
        lock(&ctx).flush();
        Err(Trap::host(ProcExit(code)))
    });
}
