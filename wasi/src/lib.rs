//! `wasi_snapshot_preview1` for zerowasm: the host functions C (wasi-libc),
//! Rust, TinyGo, Zig and AssemblyScript guests import, over a sandboxed file
//! system.
//!
//! ```
//! use zerowasm_runtime::{ModuleConfig, Runtime};
//! use zerowasm_wasi::OutputBuffer;
//!
//! let runtime = Runtime::new();
//! zerowasm_wasi::instantiate(&runtime)?;
//! let wasm = wat::parse_str(r#"(module
//!     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!     (func (export "_start") (call $exit (i32.const 3))))"#)?;
//! let out = OutputBuffer::new();
//! let config = ModuleConfig::new().with_args(["prog"]).with_stdout(out.clone());
//! let err = runtime.instantiate_bytes(&wasm, config).unwrap_err();
//! assert_eq!(err.exit_code(), Some(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! * With a `Runtime`, [`instantiate`] registers the module once; each
//!   instance's [`WasiCtx`] is built from its `ModuleConfig` (args, env,
//!   stdio, clocks, random, mounts; [`MemFsMount`] as an extension).
//! * [`WasiCtxBuilder`] describes the same world directly, for the store
//!   layer: [`add_to_linker`] defines every function as a raw host function
//!   sharing one `Arc<Mutex<WasiCtx>>`.
//! * Guest pointers are only touched through [`GuestMemory`]: out of bounds
//!   is `EFAULT`, never a trap.
//! * `proc_exit` ends the call with [`Trap::exit`]; the runtime closes the
//!   instance with that code ([`exit_code`] reads it from a trap), so the
//!   embedder can tell an exit from a crash.
//! * Files go through the [`fs::WasiFile`] / [`fs::WasiDir`] traits, with a
//!   host backend ([`fs::host::HostDir`], libc `*at` calls, never escaping
//!   its mount) and an in-memory one ([`MemFs`]).
//! * Sockets are pre-opened by the embedder ([`PreopenedSocket`]: a
//!   listener or a connected stream), since preview1 gives guests no way to
//!   make one; they take the descriptors after the mounts.
//! * `poll_oneoff` probes host descriptors (sockets, pipes, a stdin given
//!   with [`WasiCtxBuilder::stdin_fd`] or [`StdinFd`]) with `poll(2)`;
//!   regular files are always ready, and streams without a descriptor are
//!   reported ready.
//! * `unsafe` is confined to the libc wrappers: [`fs::host`] for the file
//!   system, a private `sys` module for streams and sockets.

#![deny(missing_docs)]

pub mod clocks;
mod config;
mod ctx;
pub mod fs;
mod funcs;
mod memory;
mod net;
mod stdio;
mod sys;
pub mod types;

use std::sync::{Arc, Mutex};

pub use clocks::{Clock, FakeClock, RandomSource, SeededRandom};
pub use config::{MemFsMount, StdinFd, ctx_from_config, instantiate};
pub use ctx::{FdEntry, Handle, WasiConfigError, WasiCtx, WasiCtxBuilder};
pub use fs::mem::MemFs;
pub use memory::{GuestMemory, IoVec};
pub use net::PreopenedSocket;
pub use stdio::OutputBuffer;
pub use types::Errno;
use zerowasm_runtime::{
    Caller, FuncType, HostModuleBuilder, Linker, StatefulHostModuleBuilder, Store, Trap, ValType,
};

/// The import module name.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The exit code if `trap` is a guest exit (`proc_exit`), `None` for a real
/// trap. Exit codes are `u32` in WASI; a code above `i32::MAX` reads negative.
pub fn exit_code(trap: &Trap) -> Option<i32> {
    trap.exit_code().map(|c| c as i32)
}

/// Names of every function the module defines.
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

/// Runs WASI function `imp` with the argument slots, writing its errno to
/// slot 0.
fn dispatch(imp: funcs::Imp, ctx: &mut WasiCtx, caller: &mut Caller<'_>, slots: &mut [u64]) {
    let mut args = [0u64; 10];
    let n = slots.len().min(args.len());
    args[..n].copy_from_slice(&slots[..n]);
    let result = with_memory(caller, |mem| imp(ctx, mem, &args[..n]));
    let errno = match result {
        Ok(()) => Errno::Success,
        Err(e) => e,
    };
    if let Some(slot) = slots.first_mut() {
        *slot = u64::from(errno as u16);
    }
}

/// `proc_exit`: flush, then end the instance with the code.
fn proc_exit(ctx: &mut WasiCtx, slots: &[u64]) -> Trap {
    ctx.flush();
    Trap::exit(slots.first().map_or(0, |v| *v as u32))
}

/// `wasi_snapshot_preview1` as a host module for a [`zerowasm_runtime::Runtime`]:
/// each instance gets its own [`WasiCtx`] from its `ModuleConfig`
/// ([`ctx_from_config`]). Register it with [`instantiate`].
pub fn host_module() -> StatefulHostModuleBuilder<WasiCtx> {
    let mut b = HostModuleBuilder::new(MODULE).with_state(ctx_from_config);
    for def in funcs::FUNCS {
        let imp = def.imp;
        b = b.method_raw(def.name, def.params, &[ValType::I32], move |ctx, caller, slots| {
            dispatch(imp, ctx, caller, slots);
            Ok(())
        });
    }
    b.method_raw("proc_exit", &[ValType::I32], &[], |ctx, _, slots| Err(proc_exit(ctx, slots)))
}

/// Defines every `wasi_snapshot_preview1` function in `linker` (creating the
/// host functions in `store`), all acting on `ctx`: the store-level way to
/// use WASI, for embedders who link several instances in one store.
pub fn add_to_linker(linker: &mut Linker, store: &mut Store, ctx: Arc<Mutex<WasiCtx>>) {
    for def in funcs::FUNCS {
        let ctx = ctx.clone();
        let imp = def.imp;
        let ty = FuncType::new(def.params.to_vec(), vec![ValType::I32]);
        linker.func_raw(store, MODULE, def.name, ty, move |caller, slots| {
            dispatch(imp, &mut lock(&ctx), caller, slots);
            Ok(())
        });
    }
    let ty = FuncType::new(vec![ValType::I32], vec![]);
    linker.func_raw(store, MODULE, "proc_exit", ty, move |_, slots| Err(proc_exit(&mut lock(&ctx), slots)));
}
