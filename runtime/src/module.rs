//! A validated, compiled module: what instantiation starts from. It is cheap
//! to clone and can be instantiated any number of times, in any store.

use std::fmt;
use std::sync::Arc;

use zerowasm_frontend::ModuleInfo;
use zerowasm_frontend::module::{Export, Import};

use crate::engine::EngineCode;
use crate::error::Error;
use crate::store::Store;

/// A module decoded, validated and prepared by an engine (DESIGN §7 calls
/// this `CompiledModule`).
#[derive(Clone)]
pub struct Module {
    inner: Arc<ModuleInner>,
}

struct ModuleInner {
    info: Arc<ModuleInfo>,
    bytes: Arc<[u8]>,
    code: Arc<dyn EngineCode>,
    engine: &'static str,
}

impl Module {
    /// Validates `bytes` with the store's features and compiles them with the
    /// store's engine. Malformed or invalid input is an [`Error::Module`]
    /// carrying the spec's wording and the byte offset.
    pub fn new(store: &Store, bytes: &[u8]) -> Result<Module, Error> {
        let info = Arc::new(zerowasm_frontend::validate(bytes, store.config.features)?);
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let engine = &store.config.engine;
        let code = engine.compile(info.clone(), bytes.clone())?;
        Ok(Module { inner: Arc::new(ModuleInner { info, bytes, code, engine: engine.name() }) })
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

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.inner.info.names.module)
            .field("engine", &self.inner.engine)
            .field("imports", &self.inner.info.imports.len())
            .field("exports", &self.inner.info.exports.len())
            .finish()
    }
}
