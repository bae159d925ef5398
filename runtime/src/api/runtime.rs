//! [`Runtime`]: the entry point of the embedder API. It compiles modules,
//! keeps the host modules guests link against, and instantiates modules,
//! each instance in its own store so instances run on any thread at once.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use super::config::{EngineKind, RuntimeConfig};
use super::control::Watchdog;
use super::host_module::HostModule;
use super::instance::Module;
use super::module_config::ModuleConfig;
use crate::cache::CompilationCache;
use crate::engine::{Engine, Interpreter};
use crate::error::Error;
use crate::memory::WASM_PAGE_SIZE;
use crate::module::CompiledModule;
use crate::store::StoreConfig;

/// Compiles and instantiates modules. `Send + Sync` and cheap to clone
/// (clones share everything), so one runtime serves a whole program:
///
/// ```
/// use zerowasm_runtime::{ModuleConfig, Runtime};
/// let runtime = Runtime::new();
/// let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
///     local.get 0 local.get 1 i32.add))"#)?;
/// let compiled = runtime.compile(&wasm)?;
/// let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;
/// let add = module.typed::<(i32, i32), i32>("add")?;
/// assert_eq!(add.call(&mut module, (2, 3))?, 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<RuntimeInner>,
}

pub(crate) struct RuntimeInner {
    pub(crate) config: RuntimeConfig,
    pub(crate) engine: Arc<dyn Engine>,
    pub(crate) store_config: StoreConfig,
    pub(crate) host_modules: RwLock<HashMap<Arc<str>, Arc<HostModule>>>,
    pub(crate) watchdog: Watchdog,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hosts =
            self.inner.host_modules.read().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        f.debug_struct("Runtime")
            .field("engine", &self.inner.engine.name())
            .field("config", &self.inner.config)
            .field("host_modules", &hosts)
            .finish()
    }
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

impl Runtime {
    /// A runtime with the default configuration and the best engine this
    /// host supports (the interpreter, until the compiler lands).
    pub fn new() -> Runtime {
        Runtime::build(RuntimeConfig::default(), Arc::new(Interpreter))
    }

    /// A runtime with `config`. Fails if the config asks for an engine this
    /// build cannot provide.
    pub fn with_config(config: RuntimeConfig) -> Result<Runtime, Error> {
        let engine: Arc<dyn Engine> = match config.engine {
            EngineKind::Auto | EngineKind::Interpreter => Arc::new(Interpreter),
            EngineKind::Compiler => {
                return Err(Error::Unsupported("the compiler engine is not implemented yet".into()));
            }
        };
        Ok(Runtime::build(config, engine))
    }

    fn build(config: RuntimeConfig, engine: Arc<dyn Engine>) -> Runtime {
        let store_config = StoreConfig {
            engine: engine.clone(),
            features: config.features,
            compile: config.compile_options(),
            memory_reservation: u64::from(config.memory_limit_pages) * WASM_PAGE_SIZE,
            memory_commit_max: config.memory_capacity_from_max,
            listener: config.listener.clone(),
            ..StoreConfig::default()
        };
        Runtime {
            inner: Arc::new(RuntimeInner {
                config,
                engine,
                store_config,
                host_modules: RwLock::new(HashMap::new()),
                watchdog: Watchdog::default(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &RuntimeConfig {
        &self.inner.config
    }

    /// The engine's name (`"interpreter"`).
    pub fn engine_name(&self) -> &'static str {
        self.inner.engine.name()
    }

    /// The compilation cache, if the config has one.
    pub fn compilation_cache(&self) -> Option<&CompilationCache> {
        self.inner.config.cache.as_ref()
    }

    /// Decodes, validates and compiles `bytes` (through the compilation
    /// cache, if configured). Malformed or invalid modules fail with
    /// [`Error::Module`], which names the problem and its byte offset.
    pub fn compile(&self, bytes: &[u8]) -> Result<CompiledModule, Error> {
        let c = &self.inner.store_config;
        let module = match &self.inner.config.cache {
            Some(cache) => cache.get_or_compile(c.engine.as_ref(), c.features, &c.compile, bytes)?,
            None => CompiledModule::compile(c.engine.as_ref(), c.features, &c.compile, bytes)?,
        };
        Ok(module.with_custom_sections(self.inner.config.custom_sections))
    }

    /// Instantiates `module`: links its imports against this runtime's host
    /// modules, runs its start section and then `config`'s start functions.
    /// The instance has its own store: its memories, tables and globals are
    /// its alone.
    pub fn instantiate(&self, module: &CompiledModule, config: ModuleConfig) -> Result<Module, Error> {
        Module::instantiate(self, module, config)
    }

    /// Compiles and instantiates in one step.
    pub fn instantiate_bytes(&self, bytes: &[u8], config: ModuleConfig) -> Result<Module, Error> {
        let module = self.compile(bytes)?;
        self.instantiate(&module, config)
    }

    /// Adds a host module guests can import. Usually reached through
    /// [`crate::HostModuleBuilder::instantiate`].
    pub fn register_host_module(&self, module: HostModule) -> Result<(), Error> {
        let mut map = self.inner.host_modules.write().unwrap_or_else(|e| e.into_inner());
        if map.contains_key(&module.name) {
            return Err(Error::Config(format!(
                "a host module named `{}` is already registered",
                module.name
            )));
        }
        map.insert(module.name.clone(), Arc::new(module));
        Ok(())
    }

    /// The host module registered as `name`.
    pub fn host_module(&self, name: &str) -> Option<Arc<HostModule>> {
        self.inner.host_modules.read().unwrap_or_else(|e| e.into_inner()).get(name).cloned()
    }
}
