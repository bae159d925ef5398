//! Execution: the interpreter's own frame stack and value stack, so Wasm
//! recursion never recurses in Rust.
//!
//! The value stack is one `Vec<u64>`; a frame is a run of its cells starting
//! at `base`, and a callee's frame starts right after its caller's. The inner
//! loop ([`run::run`]) executes frames, pushing and popping them itself for
//! calls within a module (direct ones, and indirect ones through handles this
//! loop resolved before, see [`calls::CalleeCache`]), until it traps or meets a
//! call or return it leaves to this outer loop, which moves arguments and
//! results between frames of different modules, resolves indirect callees
//! through [`Env::callee`], calls host functions, translates callees on first
//! use, reports call errors, and builds trap backtraces from the frames and
//! each function's per-op source offsets.

pub(crate) mod calls;
mod handlers;
pub(crate) mod memory;
pub(crate) mod run;

pub use run::{DispatchStatus, dispatch_status};
pub(crate) mod simd;

use std::fmt;
use std::sync::Arc;

use smallvec::SmallVec;

use zerowasm_ssa::{TrapCode, Type};

use crate::env::{Callee, Env, FrameInfo, Trap, TrapReason};
use crate::func::InterpFunc;
use crate::module::{InterpConfig, InterpModule};
use run::{Exit, Ret};

/// A failure that is not a Wasm trap (an embedder mistake or an interpreter
/// bug), reported as [`TrapReason::Host`] so callers can tell it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeError {
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for InvokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "interpreter: {}", self.message)
    }
}

impl std::error::Error for InvokeError {}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    /// The frame's module: 0 for the entry module, else `i + 1` for
    /// `Interpreter::modules[i]` (see [`module_at`]).
    module: u32,
    funcidx: u32,
    /// Where to resume (after a call op while a callee runs).
    ip: u32,
    /// First cell of the frame on the value stack.
    base: usize,
    vmctx: u64,
    /// The call descriptor of the pending call.
    call: u32,
}

/// Reusable interpreter state (value stack, frame stack). One `invoke` at a
/// time; a host function that re-enters Wasm uses another `Interpreter`.
pub struct Interpreter {
    stack: Vec<u64>,
    frames: Vec<Frame>,
    /// The modules an invocation entered other than its entry module, which
    /// it borrows (see [`module_at`]): a call within one module clones no `Arc`.
    modules: Vec<Arc<InterpModule>>,
    scratch: Vec<u64>,
    config: InterpConfig,
    /// Function handles resolved to Wasm functions in this invocation.
    callees: calls::CalleeCache,
}

/// Pushes a frame for `callee` after the current one (whose frame has
/// `caller_cells` cells) and the header cells the inner loop's calls leave,
/// copying the argument cells `args` of the caller's frame to the callee's
/// cells from 0 (from 1 after `vmctx`, when given).
#[allow(clippy::too_many_arguments)]
fn push_frame(
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    config: &InterpConfig,
    caller_cells: usize,
    callee: &InterpFunc,
    module: u32,
    funcidx: u32,
    vmctx: Option<u64>,
    args: &[u16],
) -> Result<(), TrapReason> {
    let first = usize::from(vmctx.is_some());
    if args.len() + first != callee.param_cells() as usize {
        return Err(internal(format!("call to function {funcidx} passes the wrong number of cells")));
    }
    if frames.len() >= config.max_call_depth as usize {
        return Err(TrapReason::Code(TrapCode::StackOverflow));
    }
    let caller_base = frames.last().map_or(0, |f| f.base);
    // The same layout as the inner loop's calls (`calls::enter`), header
    // cells included, so that growing the stack here makes room for those.
    let base = caller_base + caller_cells + memory::HEADER_CELLS;
    let end = base + callee.cells as usize;
    if end > config.max_stack_cells {
        return Err(TrapReason::Code(TrapCode::StackOverflow));
    }
    if stack.len() < end {
        let grown = end.max(stack.len() * 2).min(config.max_stack_cells);
        stack.resize(grown, 0);
    }
    if let Some(v) = vmctx {
        stack[base] = v;
    }
    for (i, &c) in args.iter().enumerate() {
        stack[base + first + i] = stack[caller_base + usize::from(c)];
    }
    let vmctx = stack[base];
    frames.push(Frame { module, funcidx, ip: 0, base, vmctx, call: 0 });
    Ok(())
}

/// The module of frame module index `index` (`Frame::module`): 0 is the
/// entry module of the invocation, `i + 1` is `others[i]`.
fn module_at<'a>(
    entry: &'a Arc<InterpModule>,
    others: &'a [Arc<InterpModule>],
    index: u32,
) -> Option<&'a Arc<InterpModule>> {
    match index.checked_sub(1) {
        None => Some(entry),
        Some(i) => others.get(i as usize),
    }
}

fn host_error(e: impl std::error::Error + Send + Sync + 'static) -> TrapReason {
    TrapReason::Host(Box::new(e))
}

fn internal(message: impl Into<String>) -> TrapReason {
    host_error(InvokeError { message: message.into() })
}

/// Cells a value of `ty` takes in `args_results`.
fn cells(ty: Type) -> usize {
    crate::translate::slots::width(ty) as usize
}

impl Interpreter {
    /// An interpreter with the given limits.
    pub fn new(config: InterpConfig) -> Self {
        Interpreter {
            stack: Vec::new(),
            frames: Vec::new(),
            modules: Vec::new(),
            scratch: Vec::new(),
            config,
            callees: calls::CalleeCache::new(),
        }
    }

    /// Changes the limits for the next [`Interpreter::invoke`], so a pooled
    /// interpreter can serve modules with different limits.
    pub fn set_config(&mut self, config: &InterpConfig) {
        if self.config != *config {
            self.config = config.clone();
        }
    }

    /// Value-stack cells currently allocated, so a pool can drop interpreters
    /// that grew large instead of keeping their memory forever.
    pub fn stack_capacity(&self) -> usize {
        self.stack.capacity()
    }

    /// Calls defined function `funcidx` of `module` with VM context `vmctx`.
    ///
    /// `args_results` holds the Wasm arguments (without `vmctx`) as `u64` bit
    /// patterns — i32/f32 in the low 32 bits, a v128 as two cells, low half
    /// first — and receives the results the same way. It must be at least as
    /// long as the larger of the two lists.
    ///
    /// `vmctx` must be a VM context the runtime built for `module` (laid out by
    /// `VmOffsets`): the interpreter reads and writes through the pointers in it
    /// as the IR directs.
    pub fn invoke(
        &mut self,
        env: &mut dyn Env,
        module: &Arc<InterpModule>,
        funcidx: u32,
        vmctx: u64,
        args_results: &mut [u64],
    ) -> Result<(), Trap> {
        let func =
            module.function(funcidx).map_err(|e| Trap { reason: host_error(e), frames: Vec::new() })?;
        let wasm_params = func.params.get(1..).unwrap_or_default();
        let arg_cells: usize = wasm_params.iter().map(|&t| cells(t)).sum();
        let result_cells = func.result_cells() as usize;
        if args_results.len() < arg_cells.max(result_cells) {
            let message = format!(
                "function {funcidx} takes {arg_cells} argument cells and returns {result_cells}, \
                 but args_results has {}",
                args_results.len()
            );
            return Err(Trap { reason: internal(message), frames: Vec::new() });
        }
        let need = func.cells as usize;
        if need > self.config.max_stack_cells {
            return Err(Trap::code(TrapCode::StackOverflow));
        }
        if self.stack.len() < need {
            self.stack.resize(need, 0);
        }
        self.stack[0] = vmctx;
        let mut i = 0;
        for &ty in wasm_params {
            for k in 0..cells(ty) {
                let v = args_results[i + k];
                self.stack[1 + i + k] = if matches!(ty, Type::I32 | Type::F32) { v & 0xffff_ffff } else { v };
            }
            i += cells(ty);
        }
        self.frames.clear();
        self.modules.clear();
        self.callees.clear();
        self.frames.push(Frame { module: 0, funcidx, ip: 0, base: 0, vmctx, call: 0 });
        let result = self.run(env, module, args_results);
        self.frames.clear();
        self.modules.clear();
        result
    }

    /// The backtrace, innermost first; every frame's `ip` is just past its current op.
    fn backtrace(&self, entry: &Arc<InterpModule>) -> Vec<FrameInfo> {
        self.frames
            .iter()
            .rev()
            .map(|f| {
                let module = module_at(entry, &self.modules, f.module);
                let offset = module
                    .and_then(|m| m.function(f.funcidx).ok())
                    .and_then(|func| func.srclocs.get((f.ip as usize).saturating_sub(1)).copied())
                    .unwrap_or(u32::MAX);
                let (module_name, func_name) = module.map(|m| m.frame_names(f.funcidx)).unwrap_or_default();
                FrameInfo { funcidx: f.funcidx, offset, module_name, func_name }
            })
            .collect()
    }

    fn trap(&self, entry: &Arc<InterpModule>, reason: TrapReason) -> Trap {
        Trap { reason, frames: self.backtrace(entry) }
    }

    /// The frame module index of `m` (see [`module_at`]), adding it to
    /// `modules` if the invocation has not entered it yet.
    fn module_index(&mut self, entry: &Arc<InterpModule>, m: &Arc<InterpModule>) -> u32 {
        if Arc::ptr_eq(entry, m) {
            return 0;
        }
        match self.modules.iter().position(|x| Arc::ptr_eq(x, m)) {
            Some(i) => i as u32 + 1,
            None => {
                self.modules.push(Arc::clone(m));
                self.modules.len() as u32
            }
        }
    }

    fn run(&mut self, env: &mut dyn Env, entry: &Arc<InterpModule>, out: &mut [u64]) -> Result<(), Trap> {
        loop {
            let Some(&fr) = self.frames.last() else {
                return Err(Trap { reason: internal("no frame to run"), frames: Vec::new() });
            };
            let module = match module_at(entry, &self.modules, fr.module) {
                Some(m) => m,
                None => return Err(self.trap(entry, internal("frame of an unknown module"))),
            };
            let func = match module.function(fr.funcidx) {
                Ok(f) => f,
                Err(e) => return Err(self.trap(entry, host_error(e))),
            };
            let (exit, ip) = run::run(
                module,
                fr.module,
                func,
                &mut self.stack,
                &mut self.frames,
                &self.config,
                &self.callees,
            );
            // The loop may have called or returned within the module: continue with the top frame.
            let Some(top) = self.frames.last_mut() else {
                return Err(Trap { reason: internal("no frame after running"), frames: Vec::new() });
            };
            top.ip = ip as u32 + u32::from(matches!(exit, Exit::Trap(_) | Exit::Internal(_)));
            let fr = *top;
            let module = match module_at(entry, &self.modules, fr.module) {
                Some(m) => m,
                None => return Err(self.trap(entry, internal("frame of an unknown module"))),
            };
            let func = match module.function(fr.funcidx) {
                Ok(f) => f,
                Err(e) => return Err(self.trap(entry, host_error(e))),
            };
            let cells = func.cells as usize;
            match exit {
                Exit::Trap(code) => return Err(self.trap(entry, TrapReason::Code(code))),
                Exit::Internal(bug) => return Err(self.trap(entry, internal(bug.0))),
                Exit::Return(ret) => {
                    let one;
                    let ret_cells: &[u16] = match ret {
                        Ret::Zero => &[],
                        Ret::One(s) => {
                            one = [s.0];
                            &one
                        }
                        Ret::List(l) => match func.returns.get(l as usize) {
                            Some(l) => l,
                            None => return Err(self.trap(entry, internal("return list out of range"))),
                        },
                    };
                    self.frames.pop();
                    let Some(&caller) = self.frames.last() else {
                        for (o, &c) in out.iter_mut().zip(ret_cells) {
                            *o = self.stack[fr.base + usize::from(c)];
                        }
                        return Ok(());
                    };
                    let Some(caller_module) = module_at(entry, &self.modules, caller.module) else {
                        return Err(self.trap(entry, internal("frame of an unknown module")));
                    };
                    let desc = caller_module
                        .function(caller.funcidx)
                        .ok()
                        .and_then(|f| f.calls.get(caller.call as usize));
                    let Some(desc) = desc.filter(|d| d.results.len() == ret_cells.len()) else {
                        return Err(self.trap(
                            entry,
                            internal("callee returns a different number of cells than the call expects"),
                        ));
                    };
                    for (&rc, &c) in desc.results.iter().zip(ret_cells) {
                        self.stack[caller.base + usize::from(rc)] = self.stack[fr.base + usize::from(c)];
                    }
                }
                Exit::Call(d) | Exit::CallIndirect(d) => {
                    let Some(desc) = func.calls.get(d as usize) else {
                        return Err(self.trap(entry, internal("call descriptor out of range")));
                    };
                    if let Some(top) = self.frames.last_mut() {
                        top.call = d;
                    }
                    let direct = matches!(exit, Exit::Call(_));
                    if direct && desc.callee >= module.num_imported_functions() {
                        let callee = match module.function(desc.callee) {
                            Ok(f) => f,
                            Err(e) => return Err(self.trap(entry, host_error(e))),
                        };
                        // SAFETY: `desc` is a call of `func`, a function of `module`.
                        unsafe { calls::resolve_callee(module, desc) };
                        let (stack, frames, config) = (&mut self.stack, &mut self.frames, &self.config);
                        if let Err(reason) = push_frame(
                            stack,
                            frames,
                            config,
                            cells,
                            callee,
                            fr.module,
                            desc.callee,
                            None,
                            &desc.args,
                        ) {
                            return Err(self.trap(entry, reason));
                        }
                        continue;
                    }
                    // Through a handle: `call_indirect handle, vmctx, args...`, or an import.
                    let cell = |c: Option<&u16>| c.map(|&c| self.stack[fr.base + usize::from(c)]);
                    let (handle, callee_vmctx, args) = if direct {
                        let target =
                            module.vm_offsets().and_then(|o| calls::import_target(o, fr.vmctx, desc.callee));
                        match target {
                            Some((h, v)) => (h, v, desc.args.get(1..).unwrap_or_default()),
                            None => return Err(self.trap(entry, TrapReason::Code(calls::UNKNOWN_CALLEE))),
                        }
                    } else {
                        match (cell(desc.args.first()), cell(desc.args.get(1))) {
                            (Some(h), Some(v)) => (h, v, desc.args.get(2..).unwrap_or_default()),
                            _ => {
                                return Err(
                                    self.trap(entry, internal("call_indirect without handle and vmctx"))
                                );
                            }
                        }
                    };
                    match env.callee(handle) {
                        None => return Err(self.trap(entry, TrapReason::Code(calls::UNKNOWN_CALLEE))),
                        Some(Callee::Wasm { module: m, funcidx }) => {
                            let callee = match m.function(funcidx) {
                                Ok(f) => f,
                                Err(e) => return Err(self.trap(entry, host_error(e))),
                            };
                            let args: SmallVec<[u16; 8]> = args.iter().copied().collect();
                            let index = self.module_index(entry, &m);
                            self.callees.insert(handle, index, callee);
                            let (stack, frames, config) = (&mut self.stack, &mut self.frames, &self.config);
                            if let Err(reason) = push_frame(
                                stack,
                                frames,
                                config,
                                cells,
                                callee,
                                index,
                                funcidx,
                                Some(callee_vmctx),
                                &args,
                            ) {
                                return Err(self.trap(entry, reason));
                            }
                        }
                        Some(Callee::Host) => {
                            let n = args.len().max(desc.results.len());
                            self.scratch.clear();
                            self.scratch.extend(args.iter().map(|&c| self.stack[fr.base + usize::from(c)]));
                            self.scratch.resize(n, 0);
                            let result = env.call_host(handle, fr.vmctx, &mut self.scratch);
                            // The host had the environment: what it resolves handles to may differ now.
                            self.callees.clear();
                            if let Err(mut t) = result {
                                t.frames.extend(self.backtrace(entry));
                                return Err(t);
                            }
                            for ((&c, &narrow), &v) in
                                desc.results.iter().zip(&desc.narrow).zip(&self.scratch)
                            {
                                self.stack[fr.base + usize::from(c)] =
                                    if narrow { v & 0xffff_ffff } else { v };
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Calls defined function `funcidx` of `module` with a fresh [`Interpreter`]
/// using the module's [`InterpConfig`]; see [`Interpreter::invoke`] for the
/// argument convention (`u64` bit patterns, a v128 as two cells low half
/// first, results written back into `args_results`).
pub fn invoke(
    env: &mut dyn Env,
    module: &Arc<InterpModule>,
    funcidx: u32,
    vmctx: u64,
    args_results: &mut [u64],
) -> Result<(), Trap> {
    Interpreter::new(module.config().clone()).invoke(env, module, funcidx, vmctx, args_results)
}
