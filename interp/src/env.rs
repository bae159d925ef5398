//! The interpreter's contract with the runtime.
//!
//! * A function handle (`VmFuncRef::func`) is an index the runtime assigns in
//!   its store-wide function registry; [`Env::callee`] resolves it.
//! * Builtins are called through the VM context's builtin table with the
//!   uniform [`BuiltinFn`] ABI, the same table compiled code will use.
//! * Host functions are called through [`Env::call_host`] with the raw
//!   convention: arguments in, results out, in one `u64` slice.
//! * Every failure is a [`Trap`] value; nothing unwinds through the interpreter.

use std::sync::Arc;

use zerowasm_ssa::TrapCode;

/// A builtin entry: `args_results` holds the arguments (after `vmctx`) as u64
/// bit patterns and receives the results. Returns 0, or `1 + TrapCode index`
/// (see [`trap_code_from_status`]) when the builtin trapped.
pub type BuiltinFn = unsafe extern "C" fn(vmctx: *mut u8, args_results: *mut u64) -> u32;

/// Decodes a builtin's status word.
pub fn trap_code_from_status(status: u32) -> Option<TrapCode> {
    status.checked_sub(1).and_then(|i| TrapCode::ALL.get(i as usize).copied())
}

/// Encodes a trap as a builtin status word.
pub fn status_from_trap_code(code: TrapCode) -> u32 {
    TrapCode::ALL.iter().position(|&c| c == code).map_or(u32::MAX, |i| i as u32 + 1)
}

/// Why execution stopped abnormally.
#[derive(Debug)]
pub enum TrapReason {
    /// A Wasm trap.
    Code(TrapCode),
    /// A host function failed; the embedder's error is carried through untouched.
    Host(Box<dyn std::error::Error + Send + Sync>),
}

/// One Wasm frame of a trap's backtrace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameInfo {
    /// Function index in its module.
    pub funcidx: u32,
    /// Byte offset in the module of the instruction executing in this frame.
    pub offset: u32,
    /// The module's name from its name section, if it has one.
    pub module_name: Option<std::sync::Arc<str>>,
    /// The function's name: from the name section, else its first export
    /// name; `None` if it has neither.
    pub func_name: Option<std::sync::Arc<str>>,
}

impl std::fmt::Display for FrameInfo {
    /// `module.func` (or `$funcidx` without a name) and the Wasm offset, as
    /// backtraces print a frame.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(m) = &self.module_name {
            write!(f, "{m}.")?;
        }
        match &self.func_name {
            Some(n) => write!(f, "{n}")?,
            None => write!(f, "${}", self.funcidx)?,
        }
        write!(f, " (wasm offset {:#x})", self.offset)
    }
}

/// A trap with its backtrace (innermost frame first).
#[derive(Debug)]
pub struct Trap {
    /// What happened.
    pub reason: TrapReason,
    /// Where: the Wasm frames active when it happened.
    pub frames: Vec<FrameInfo>,
}

impl Trap {
    /// A trap with a code and no frames yet (frames are added while unwinding).
    pub fn code(code: TrapCode) -> Self {
        Trap { reason: TrapReason::Code(code), frames: Vec::new() }
    }

    /// The trap code, if this is a Wasm trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        match self.reason {
            TrapReason::Code(c) => Some(c),
            TrapReason::Host(_) => None,
        }
    }
}

/// What a function handle refers to.
#[derive(Clone)]
pub enum Callee {
    /// A Wasm function of an interpreted module.
    Wasm {
        /// The module's code.
        module: Arc<crate::InterpModule>,
        /// Function index within that module (a defined function).
        funcidx: u32,
    },
    /// A host function; call it with [`Env::call_host`].
    Host,
}

/// The runtime side of execution.
pub trait Env {
    /// Resolves a function handle (`VmFuncRef::func`).
    fn callee(&self, handle: u64) -> Option<Callee>;

    /// Calls host function `handle` for the instance `caller_vmctx`;
    /// `args_results` holds the arguments and receives the results.
    fn call_host(&mut self, handle: u64, caller_vmctx: u64, args_results: &mut [u64]) -> Result<(), Trap>;
}
