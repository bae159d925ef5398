//! Helpers: IR from text, a test `Env`, and calls with `u64` cells.

use std::collections::HashMap;
use std::sync::Arc;

use zerowasm_interp::{Callee, Env, InterpConfig, InterpModule, Trap, TrapReason};
use zerowasm_ssa::{Function, TrapCode};

/// Parses IR text, panicking with the parser's message.
pub fn parse(text: &str) -> Function {
    zerowasm_ssa::parser::parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// A module of the functions in `texts` (function `i` is `texts[i]`).
pub fn module(texts: &[&str]) -> Arc<InterpModule> {
    Arc::new(InterpModule::from_ir(texts.iter().map(|t| parse(t)).collect()))
}

/// Like [`module`], with other limits.
pub fn module_with(texts: &[&str], config: InterpConfig) -> Arc<InterpModule> {
    Arc::new(InterpModule::from_ir(texts.iter().map(|t| parse(t)).collect()).with_config(config))
}

type HostFn = Box<dyn FnMut(u64, &mut [u64]) -> Result<(), Trap>>;

/// An `Env` with a table of host functions and Wasm callees by handle.
#[derive(Default)]
pub struct TestEnv {
    pub hosts: HashMap<u64, HostFn>,
    pub wasm: HashMap<u64, (Arc<InterpModule>, u32)>,
}

impl Env for TestEnv {
    fn callee(&self, handle: u64) -> Option<Callee> {
        if self.hosts.contains_key(&handle) {
            return Some(Callee::Host);
        }
        self.wasm.get(&handle).map(|(m, f)| Callee::Wasm { module: m.clone(), funcidx: *f })
    }

    fn call_host(&mut self, handle: u64, caller_vmctx: u64, args_results: &mut [u64]) -> Result<(), Trap> {
        match self.hosts.get_mut(&handle) {
            Some(f) => f(caller_vmctx, args_results),
            None => Err(Trap::code(TrapCode::UninitializedElement)),
        }
    }
}

/// Calls `funcidx` with `args`, returning `nres` result cells.
pub fn call_env(
    env: &mut dyn Env,
    m: &Arc<InterpModule>,
    funcidx: u32,
    vmctx: u64,
    args: &[u64],
    nres: usize,
) -> Result<Vec<u64>, Trap> {
    let mut cells = args.to_vec();
    cells.resize(args.len().max(nres), 0);
    zerowasm_interp::invoke(env, m, funcidx, vmctx, &mut cells)?;
    cells.truncate(nres);
    Ok(cells)
}

/// Calls with no environment and no VM context.
pub fn call(m: &Arc<InterpModule>, funcidx: u32, args: &[u64], nres: usize) -> Result<Vec<u64>, Trap> {
    call_env(&mut TestEnv::default(), m, funcidx, 0, args, nres)
}

/// The single result of a call that must succeed.
pub fn call1(m: &Arc<InterpModule>, funcidx: u32, args: &[u64]) -> u64 {
    match call(m, funcidx, args, 1) {
        Ok(r) => r[0],
        Err(t) => panic!("unexpected trap: {t:?}"),
    }
}

/// The trap code of a call that must trap.
pub fn trap_code(m: &Arc<InterpModule>, funcidx: u32, args: &[u64]) -> TrapCode {
    match call(m, funcidx, args, 8) {
        Ok(r) => panic!("expected a trap, got {r:?}"),
        Err(Trap { reason: TrapReason::Code(c), .. }) => c,
        Err(t) => panic!("expected a Wasm trap, got {t:?}"),
    }
}

/// The listing of `funcidx`.
pub fn listing(m: &Arc<InterpModule>, funcidx: u32) -> String {
    m.slot_code_text(funcidx).unwrap_or_else(|e| panic!("{e}"))
}

/// A VM context with one memory (its `VmMemory` pointer at byte 40, as
/// `VmOffsets` places `memories[0]`) and room for more pointers after it.
pub struct FakeVm {
    pub ctx: Vec<u64>,
    _record: Box<zerowasm_frontend::vmoffsets::VmMemory>,
    pub memory: Vec<u8>,
}

impl FakeVm {
    /// A context of `cells` 8-byte cells with a memory of `bytes` bytes.
    pub fn new(bytes: usize, cells: usize) -> Self {
        let mut memory = vec![0u8; bytes];
        let record = Box::new(zerowasm_frontend::vmoffsets::VmMemory {
            base: memory.as_mut_ptr() as u64,
            length: bytes as u64,
        });
        let mut ctx = vec![0u64; cells.max(6)];
        ctx[5] = &*record as *const _ as u64;
        FakeVm { ctx, _record: record, memory }
    }

    /// The `vmctx` value.
    pub fn ptr(&mut self) -> u64 {
        self.ctx.as_mut_ptr() as u64
    }
}
