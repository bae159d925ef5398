//! The engine interface: what the store needs from an execution engine, so the
//! interpreter (now) and the optimizing compiler (later) plug in the same way.
//!
//! An [`Engine`] compiles a validated module into [`EngineCode`]. The store
//! registers every defined function of every instance in its function
//! registry with the engine's [`EngineCode::callee`], and enters Wasm through
//! [`EngineCode::invoke`]. Code compiled by one engine runs in any store.
//!
//! A native engine will add the code address for `VmFuncRef::func` (the VM
//! layout allows "an index for the interpreter, an address for compiled
//! code"); the registry handle then stays the store-side identity.

use std::fmt;
use std::sync::Arc;

use zerowasm_frontend::{LowerConfig, ModuleInfo};
use zerowasm_interp::env::{self, Callee, Env};
use zerowasm_interp::{InterpConfig, InterpModule};

use crate::error::Error;

/// An execution engine: turns modules into code the store can run.
pub trait Engine: Send + Sync {
    /// The engine's name, for messages and cache keys (`"interpreter"`).
    fn name(&self) -> &'static str;

    /// Prepares `info` (validated from `bytes`) for execution with `options`.
    /// Engines may do the work lazily (the interpreter translates each
    /// function on first call).
    fn compile(
        &self,
        info: Arc<ModuleInfo>,
        bytes: Arc<[u8]>,
        options: &CompileOptions,
    ) -> Result<Arc<dyn EngineCode>, Error>;
}

/// Options that change the code an engine produces, so they are part of a
/// compilation-cache key: code compiled without interrupt checks must never be
/// handed to a runtime that relies on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompileOptions {
    /// Instrumentation the lowering inserts (interrupt checks, fuel, listener hooks).
    pub lower: LowerConfig,
    /// Wasm frames allowed before `TrapCode::StackOverflow`.
    pub max_call_depth: u32,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            lower: LowerConfig::default(),
            max_call_depth: InterpConfig::default().max_call_depth,
        }
    }
}

impl CompileOptions {
    /// A stable text form of the options, for cache keys and listings.
    pub fn fingerprint(&self) -> String {
        format!("{:?}/depth={}", self.lower, self.max_call_depth)
    }
}

/// One module's code as an engine prepared it. `Send + Sync` so a compiled
/// [`crate::CompiledModule`] can be shared by stores on different threads.
pub trait EngineCode: Send + Sync {
    /// What the function registry answers for defined function `funcidx`
    /// when an engine resolves its handle through [`Env::callee`].
    fn callee(&self, funcidx: u32) -> Callee;

    /// Runs defined function `funcidx` of the instance whose VM context is
    /// `vmctx`; `args_results` holds the arguments and receives the results in
    /// the raw slot convention of [`crate::values`]. Calls to other functions,
    /// host functions and traps go through `env`.
    fn invoke(
        &self,
        env: &mut dyn Env,
        funcidx: u32,
        vmctx: VmCtx,
        args_results: &mut [u64],
    ) -> Result<(), env::Trap>;
}

/// The VM context of a live instance of the calling store. Only the runtime
/// makes these, which is what lets [`EngineCode::invoke`] be a safe method:
/// an engine never receives a pointer that is not a real VM context.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VmCtx(*mut u8);

impl VmCtx {
    /// Wraps the VM context of an instance the store built.
    pub(crate) fn new(ptr: *mut u8) -> VmCtx {
        VmCtx(ptr)
    }

    /// The pointer engines read the VM context through.
    pub fn as_ptr(self) -> *mut u8 {
        self.0
    }
}

impl fmt::Debug for VmCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VmCtx({:p})", self.0)
    }
}

/// The portable interpreter (`zerowasm-interp`): works on every host.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interpreter;

/// A module as the interpreter runs it.
struct InterpCode {
    module: Arc<InterpModule>,
}

impl Engine for Interpreter {
    fn name(&self) -> &'static str {
        "interpreter"
    }

    fn compile(
        &self,
        info: Arc<ModuleInfo>,
        bytes: Arc<[u8]>,
        options: &CompileOptions,
    ) -> Result<Arc<dyn EngineCode>, Error> {
        // Functions are translated lazily, on first call.
        let config = InterpConfig { max_call_depth: options.max_call_depth, ..InterpConfig::default() };
        let module =
            Arc::new(InterpModule::new(info, bytes).with_config(config).with_lower_config(options.lower));
        Ok(Arc::new(InterpCode { module }))
    }
}

impl EngineCode for InterpCode {
    fn callee(&self, funcidx: u32) -> Callee {
        Callee::Wasm { module: self.module.clone(), funcidx }
    }

    fn invoke(
        &self,
        env: &mut dyn Env,
        funcidx: u32,
        vmctx: VmCtx,
        args_results: &mut [u64],
    ) -> Result<(), env::Trap> {
        // Interpreters (value and frame stacks) are pooled per thread, so a
        // call allocates nothing once warm; a host function re-entering Wasm
        // takes another one from the pool.
        let mut interp = POOL
            .with(|p| p.borrow_mut().pop())
            .unwrap_or_else(|| Box::new(zerowasm_interp::Interpreter::new(self.module.config().clone())));
        interp.set_config(self.module.config());
        let result = interp.invoke(env, &self.module, funcidx, vmctx.as_ptr() as u64, args_results);
        if interp.stack_capacity() <= POOLED_STACK_CELLS {
            POOL.with(|p| p.borrow_mut().push(interp));
        }
        result
    }
}

thread_local! {
    /// Interpreters kept per thread for [`InterpCode::invoke`] (the `Vec`
    /// holds one per nesting level of host→Wasm re-entry in use), boxed so
    /// taking one out and putting it back moves a pointer, not the whole state
    /// (measured: 8 ns of a 52 ns host→Wasm call).
    #[allow(clippy::vec_box)]
    static POOL: std::cell::RefCell<Vec<Box<zerowasm_interp::Interpreter>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Interpreters whose value stack grew beyond this many cells (8 MiB) are
/// dropped after the call rather than pooled.
const POOLED_STACK_CELLS: usize = 1 << 20;
