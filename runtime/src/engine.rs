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

use zerowasm_frontend::ModuleInfo;
use zerowasm_interp::InterpModule;
use zerowasm_interp::env::{self, Callee, Env};

use crate::error::Error;

/// An execution engine: turns modules into code the store can run.
pub trait Engine: Send + Sync {
    /// The engine's name, for messages and cache keys (`"interpreter"`).
    fn name(&self) -> &'static str;

    /// Prepares `info` (validated from `bytes`) for execution. Engines may do
    /// the work lazily (the interpreter translates each function on first call).
    fn compile(&self, info: Arc<ModuleInfo>, bytes: Arc<[u8]>) -> Result<Arc<dyn EngineCode>, Error>;
}

/// One module's code as an engine prepared it. `Send + Sync` so a compiled
/// [`crate::Module`] can be shared by stores on different threads.
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

    fn compile(&self, info: Arc<ModuleInfo>, bytes: Arc<[u8]>) -> Result<Arc<dyn EngineCode>, Error> {
        // Functions are translated lazily, on first call.
        let module = Arc::new(InterpModule::new(info, bytes));
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
        zerowasm_interp::invoke(env, &self.module, funcidx, vmctx.as_ptr() as u64, args_results)
    }
}
