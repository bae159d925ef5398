//! [`RuntimeConfig`]: everything fixed for the life of a [`crate::Runtime`],
//! because it changes how modules are compiled or how instances are built.

use std::fmt;
use std::sync::Arc;

use zerowasm_frontend::CoreFeatures;
use zerowasm_interp::Translator;

use crate::cache::CompilationCache;
use crate::engine::CompileOptions;
use crate::listener::FunctionListener;
use crate::memory::{DEFAULT_MEMORY_RESERVATION, WASM_PAGE_SIZE};

/// Which engine runs the code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// The optimizing compiler where this host supports it, the interpreter
    /// elsewhere. Today that is always the interpreter: the compiler has not
    /// landed.
    #[default]
    Auto,
    /// The portable interpreter.
    Interpreter,
    /// The optimizing compiler; [`crate::Runtime::with_config`] refuses it
    /// with [`crate::Error::Unsupported`] until it exists.
    Compiler,
}

/// How a [`crate::Runtime`] compiles and instantiates modules. Built with
/// `with_*` methods, each returning the changed config:
///
/// ```
/// use zerowasm_runtime::{Runtime, RuntimeConfig};
/// let config = RuntimeConfig::new().with_memory_limit_pages(256).with_fuel(true);
/// let runtime = Runtime::with_config(config)?;
/// # Ok::<(), zerowasm_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct RuntimeConfig {
    pub(crate) engine: EngineKind,
    pub(crate) features: CoreFeatures,
    pub(crate) memory_limit_pages: u32,
    pub(crate) memory_capacity_from_max: bool,
    pub(crate) cache: Option<CompilationCache>,
    pub(crate) close_on_deadline: bool,
    pub(crate) fuel: bool,
    pub(crate) max_wasm_stack: u32,
    pub(crate) translator: Translator,
    pub(crate) custom_sections: bool,
    pub(crate) listener: Option<Arc<dyn FunctionListener>>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            engine: EngineKind::Auto,
            features: CoreFeatures::default(),
            memory_limit_pages: (DEFAULT_MEMORY_RESERVATION / WASM_PAGE_SIZE) as u32,
            memory_capacity_from_max: false,
            cache: None,
            close_on_deadline: false,
            fuel: false,
            max_wasm_stack: CompileOptions::default().max_call_depth,
            translator: CompileOptions::default().translator,
            custom_sections: false,
            listener: None,
        }
    }
}

impl fmt::Debug for RuntimeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeConfig")
            .field("engine", &self.engine)
            .field("features", &self.features)
            .field("memory_limit_pages", &self.memory_limit_pages)
            .field("memory_capacity_from_max", &self.memory_capacity_from_max)
            .field("cache", &self.cache.as_ref().map(|c| c.dir().map(|d| d.display().to_string())))
            .field("close_on_deadline", &self.close_on_deadline)
            .field("fuel", &self.fuel)
            .field("max_wasm_stack", &self.max_wasm_stack)
            .field("translator", &self.translator)
            .field("custom_sections", &self.custom_sections)
            .field("listener", &self.listener.is_some())
            .finish()
    }
}

impl RuntimeConfig {
    /// The defaults: best engine, WebAssembly 2.0, memories up to 4 GiB
    /// (65536 pages) on 64-bit Unix, no cache, no interrupts, no fuel.
    pub fn new() -> RuntimeConfig {
        RuntimeConfig::default()
    }

    /// The interpreter, whatever the host supports.
    pub fn interpreter() -> RuntimeConfig {
        RuntimeConfig::new().with_engine(EngineKind::Interpreter)
    }

    /// Chooses the engine.
    pub fn with_engine(mut self, engine: EngineKind) -> RuntimeConfig {
        self.engine = engine;
        self
    }

    /// The WebAssembly features modules may use (2.0 by default).
    pub fn with_core_features(mut self, features: CoreFeatures) -> RuntimeConfig {
        self.features = features;
        self
    }

    /// The most pages any memory may have. A module whose memory needs more
    /// at instantiation fails to instantiate; `memory.grow` beyond it
    /// returns -1. Also the address space reserved per memory.
    pub fn with_memory_limit_pages(mut self, pages: u32) -> RuntimeConfig {
        self.memory_limit_pages = pages.min(65536);
        self
    }

    /// Makes every page up to a memory's maximum usable at instantiation, so
    /// growing never needs a system call; worth it for guests that grow often.
    /// Memories never move either way: their whole reservation is mapped up front.
    pub fn with_memory_capacity_from_max(mut self, on: bool) -> RuntimeConfig {
        self.memory_capacity_from_max = on;
        self
    }

    /// Looks compiled modules up in `cache` before compiling, and stores them
    /// there after. One cache may serve many runtimes.
    pub fn with_compilation_cache(mut self, cache: CompilationCache) -> RuntimeConfig {
        self.cache = Some(cache);
        self
    }

    /// Compiles interrupt checks into every function entry and loop header,
    /// so [`crate::Module::interrupt_handle`] and deadlines
    /// ([`crate::ModuleConfig::with_timeout`], [`crate::Module::set_timeout`])
    /// can stop a running call; a call stopped by its deadline also closes the
    /// module. Off by default: the checks cost a little on every loop.
    pub fn with_close_on_deadline(mut self, on: bool) -> RuntimeConfig {
        self.close_on_deadline = on;
        self
    }

    /// Compiles fuel metering into every function: each Wasm instruction costs
    /// one unit, and a call that runs out traps with `TrapCode::OutOfFuel`.
    /// Give instances fuel with [`crate::ModuleConfig::with_fuel`] or
    /// [`crate::Module::set_fuel`].
    pub fn with_fuel(mut self, on: bool) -> RuntimeConfig {
        self.fuel = on;
        self
    }

    /// The deepest Wasm call stack, in frames, before `TrapCode::StackOverflow`.
    pub fn with_max_wasm_stack(mut self, frames: u32) -> RuntimeConfig {
        self.max_wasm_stack = frames.max(1);
        self
    }

    /// How the interpreter translates each function (on its first call).
    /// [`Translator::Baseline`], the default, translates several times
    /// faster, which wins for large modules whose code mostly runs little
    /// (start-up, tests, short-lived instances), and its code runs within
    /// about 5% of [`Translator::Optimizing`]'s, which pays for long-running
    /// hot loops. Functions the baseline does not handle use the optimizing
    /// translator either way.
    pub fn with_interp_translator(mut self, translator: Translator) -> RuntimeConfig {
        self.translator = translator;
        self
    }

    /// Keeps custom sections so [`crate::CompiledModule::custom_sections`]
    /// can return them (off by default, as they are usually debug data).
    pub fn with_custom_sections(mut self, on: bool) -> RuntimeConfig {
        self.custom_sections = on;
        self
    }

    /// Calls `listener` before and after every function call, Wasm or host.
    /// Modules are then compiled with listener hooks; without a listener the
    /// hooks are not compiled in at all.
    pub fn with_function_listener(mut self, listener: Arc<dyn FunctionListener>) -> RuntimeConfig {
        self.listener = Some(listener);
        self
    }

    /// What the engine compiles with under this config.
    pub(crate) fn compile_options(&self) -> CompileOptions {
        let mut options = CompileOptions {
            max_call_depth: self.max_wasm_stack,
            translator: self.translator,
            ..CompileOptions::default()
        };
        options.lower.interrupt_checks = self.close_on_deadline;
        options.lower.fuel = self.fuel;
        options.lower.listener = self.listener.is_some();
        options
    }
}
