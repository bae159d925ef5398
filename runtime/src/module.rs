//! A validated, compiled module: what instantiation starts from. It is cheap
//! to clone and can be instantiated any number of times, in any store.

use std::fmt;
use std::sync::{Arc, OnceLock};

use zerowasm_frontend::ModuleInfo;
use zerowasm_frontend::module::{Export, Import};

use crate::definitions::{self, FunctionDefinition, GlobalDefinition, MemoryDefinition, TableDefinition};
use crate::engine::{CompileOptions, Engine, EngineCode};
use crate::error::Error;
use crate::store::Store;
use zerowasm_frontend::{CoreFeatures, ExternKind};

/// A module decoded, validated and prepared by an engine (DESIGN §7 calls
/// this `CompiledModule`).
#[derive(Clone)]
pub struct CompiledModule {
    inner: Arc<ModuleInner>,
    /// Whether [`CompiledModule::custom_sections`] shows the custom sections.
    custom_sections: bool,
}

struct ModuleInner {
    info: Arc<ModuleInfo>,
    bytes: Arc<[u8]>,
    code: Arc<dyn EngineCode>,
    engine: &'static str,
    options: CompileOptions,
    /// Every function's description, made on first use.
    functions: OnceLock<Box<[FunctionDefinition]>>,
}

impl CompiledModule {
    /// Validates `bytes` with the store's features and compiles them with the
    /// store's engine. Malformed or invalid input is an [`Error::Module`]
    /// carrying the spec's wording and the byte offset.
    pub fn new(store: &Store, bytes: &[u8]) -> Result<CompiledModule, Error> {
        let c = &store.config;
        CompiledModule::compile(c.engine.as_ref(), c.features, &c.compile, bytes)
    }

    /// Validates `bytes` under `features` and compiles them with `engine` and
    /// `options`, independently of any store.
    pub fn compile(
        engine: &dyn Engine,
        features: CoreFeatures,
        options: &CompileOptions,
        bytes: &[u8],
    ) -> Result<CompiledModule, Error> {
        let info = Arc::new(zerowasm_frontend::validate(bytes, features)?);
        CompiledModule::from_validated(engine, options, info, Arc::from(bytes))
    }

    /// Compiles a module already validated: `info` must be what
    /// `zerowasm_frontend::validate` produced for exactly `bytes` (the
    /// compilation cache keeps `info` keyed by the sha256 of the bytes).
    pub fn from_validated(
        engine: &dyn Engine,
        options: &CompileOptions,
        info: Arc<ModuleInfo>,
        bytes: Arc<[u8]>,
    ) -> Result<CompiledModule, Error> {
        let code = engine.compile(info.clone(), bytes.clone(), options)?;
        Ok(CompiledModule {
            inner: Arc::new(ModuleInner {
                info,
                bytes,
                code,
                engine: engine.name(),
                options: *options,
                functions: OnceLock::new(),
            }),
            custom_sections: true,
        })
    }

    /// The same module, showing its custom sections or not (a runtime that
    /// does not retain them hands out modules with `false`).
    pub fn with_custom_sections(mut self, on: bool) -> CompiledModule {
        self.custom_sections = on;
        self
    }

    /// Payloads of the custom sections named `name`, in module order (none
    /// unless the runtime retains custom sections).
    pub fn custom_sections<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        let info = &self.inner.info;
        let shown = if self.custom_sections { &info.custom_sections[..] } else { &[] };
        shown.iter().filter(move |c| c.name == name).filter_map(|c| self.inner.bytes.get(c.range.clone()))
    }

    /// Names of the custom sections, in module order (none unless retained).
    pub fn custom_section_names(&self) -> impl Iterator<Item = &str> {
        let shown = if self.custom_sections { &self.inner.info.custom_sections[..] } else { &[] };
        shown.iter().map(|c| c.name.as_str())
    }

    /// The module's name from its name section.
    pub fn name(&self) -> Option<&str> {
        self.inner.info.names.module.as_deref()
    }

    /// Every function, imported first, with names from the name section.
    pub fn functions(&self) -> &[FunctionDefinition] {
        self.inner.functions.get_or_init(|| {
            FunctionDefinition::all_of(self.name().unwrap_or_default(), &self.inner.info).into_boxed_slice()
        })
    }

    /// The imported functions, in import order.
    pub fn imported_functions(&self) -> impl Iterator<Item = &FunctionDefinition> {
        self.functions().iter().filter(|f| f.import.is_some())
    }

    /// The exported functions, by export name in module order.
    pub fn exported_functions(&self) -> impl Iterator<Item = (&str, &FunctionDefinition)> {
        let functions = self.functions();
        self.inner
            .info
            .exports
            .iter()
            .filter(|e| e.kind == ExternKind::Func)
            .filter_map(move |e| functions.get(e.index as usize).map(|f| (e.name.as_str(), f)))
    }

    /// Every memory, imported first.
    pub fn memories(&self) -> Vec<MemoryDefinition> {
        definitions::memories(&self.inner.info)
    }

    /// Every table, imported first.
    pub fn tables(&self) -> Vec<TableDefinition> {
        definitions::tables(&self.inner.info)
    }

    /// Every global, imported first.
    pub fn globals(&self) -> Vec<GlobalDefinition> {
        definitions::globals(&self.inner.info)
    }

    /// The options it was compiled with.
    pub fn compile_options(&self) -> &CompileOptions {
        &self.inner.options
    }

    /// Everything the decoder learned about the module.
    pub fn info(&self) -> &Arc<ModuleInfo> {
        &self.inner.info
    }

    /// The module's bytes (data segments and custom sections point into them).
    pub fn bytes(&self) -> &[u8] {
        &self.inner.bytes
    }

    /// The imports, in the order [`crate::Store::instantiate_with`] expects them.
    pub fn imports(&self) -> &[Import] {
        &self.inner.info.imports
    }

    /// The exports, in module order.
    pub fn exports(&self) -> &[Export] {
        &self.inner.info.exports
    }

    /// The name of the engine that compiled it.
    pub fn engine_name(&self) -> &'static str {
        self.inner.engine
    }

    /// The engine's code.
    pub(crate) fn code(&self) -> &Arc<dyn EngineCode> {
        &self.inner.code
    }
}

impl fmt::Debug for CompiledModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledModule")
            .field("name", &self.inner.info.names.module)
            .field("engine", &self.inner.engine)
            .field("imports", &self.inner.info.imports.len())
            .field("exports", &self.inner.info.exports.len())
            .finish()
    }
}
