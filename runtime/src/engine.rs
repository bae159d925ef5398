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
use zerowasm_interp::{InterpConfig, InterpModule, Translator};

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
    /// How the interpreter translates functions: the optimizing pipeline
    /// (faster code) or the single-pass baseline (faster translation). Part of
    /// the key because the two produce different code.
    pub translator: Translator,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            lower: LowerConfig::default(),
            max_call_depth: InterpConfig::default().max_call_depth,
            translator: InterpConfig::default().translator,
        }
    }
}

impl CompileOptions {
    /// A stable text form of the options, for cache keys and listings.
    /// The default translator adds nothing, so keys of existing cache
    /// entries stay valid; they hold the validated module, which does not
    /// depend on the translator.
    pub fn fingerprint(&self) -> String {
        let base = format!("{:?}/depth={}", self.lower, self.max_call_depth);
        match self.translator {
            Translator::Baseline => base,
            Translator::Optimizing => format!("{base}/translator=optimizing"),
        }
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
        let config = InterpConfig {
            max_call_depth: options.max_call_depth,
            translator: options.translator,
            ..InterpConfig::default()
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompiledModule, Linker, ModuleConfig, Runtime, RuntimeConfig, Store, StoreConfig, Val};

    /// A recursive `fib`, so the test covers calls, branches and locals.
    const FIB: &str = r#"(module (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
          (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#;

    fn fib_with(translator: Translator, n: i32) -> Val {
        let compile = CompileOptions { translator, ..CompileOptions::default() };
        let mut store = Store::with_config(StoreConfig { compile, ..StoreConfig::default() });
        let bytes = wat::parse_str(FIB).expect("wat");
        let module = CompiledModule::new(&store, &bytes).expect("compiles");
        let instance = store.instantiate(&module, &Linker::new()).expect("instantiates");
        let fib = instance.get_func("fib").expect("export fib");
        let results = store.call(fib, &[Val::I32(n)]).expect("runs");
        assert_eq!(results.len(), 1);
        results[0]
    }

    #[test]
    fn both_translators_compute_the_same_results() {
        assert_eq!(fib_with(Translator::Baseline, 20), Val::I32(6765));
        assert_eq!(fib_with(Translator::Optimizing, 20), Val::I32(6765));
        assert_eq!(fib_with(Translator::Baseline, 0), Val::I32(0));
    }

    #[test]
    fn a_runtime_configured_for_the_optimizing_translator_compiles_with_it() {
        let config = RuntimeConfig::new().with_interp_translator(Translator::Optimizing);
        assert_eq!(config.compile_options().translator, Translator::Optimizing);
        assert_eq!(RuntimeConfig::new().compile_options().translator, Translator::Baseline);
        let runtime = Runtime::with_config(config).expect("runtime");
        let bytes = wat::parse_str(FIB).expect("wat");
        let mut module = runtime.instantiate_bytes(&bytes, ModuleConfig::new()).expect("instantiates");
        assert_eq!(module.call("fib", &[Val::I32(25)]).expect("runs"), [Val::I32(75025)]);
    }

    #[test]
    fn the_translator_is_in_the_fingerprint_but_the_default_text_is_unchanged() {
        let default = CompileOptions::default();
        assert_eq!(default.translator, Translator::Baseline);
        assert_eq!(default.fingerprint(), format!("{:?}/depth={}", default.lower, default.max_call_depth));
        let optimizing = CompileOptions { translator: Translator::Optimizing, ..default };
        assert_eq!(optimizing.fingerprint(), format!("{}/translator=optimizing", default.fingerprint()));
    }
}
