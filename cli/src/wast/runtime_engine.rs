//! The wast runner's engine backed by `zerowasm-runtime`: instantiates
//! modules in one store per script, links them through a linker that starts
//! with the `spectest` host module, and converts values both ways.

use std::collections::HashMap;

use zerowasm_frontend::ModuleInfo;
use zerowasm_runtime::{
    CompiledModule, CoreFeatures, ExternRef, FuncType, Global, GlobalType, Instance, InstantiationError,
    Limits, Linker, Memory, MemoryType, RefType, Store, StoreConfig, Table, TableType, Translator, Trap, Val,
    ValType,
};

use super::engine::{EngineError, EngineKind, WastEngine, WastValue};

/// Executes wast scripts on the runtime with one engine.
pub struct RuntimeEngine {
    kind: EngineKind,
    store: Store,
    linker: Linker,
    current: Option<Instance>,
    named: HashMap<String, Instance>,
}

impl RuntimeEngine {
    /// A fresh store accepting `features`, with `spectest` defined.
    pub fn new(kind: EngineKind, features: CoreFeatures) -> RuntimeEngine {
        RuntimeEngine::with_config(kind, StoreConfig { features, ..StoreConfig::default() })
    }

    /// A fresh store with `config` (for running the suite with
    /// instrumentation or a listener), with `spectest` defined.
    pub fn with_config(kind: EngineKind, config: StoreConfig) -> RuntimeEngine {
        let mut store = Store::with_config(config);
        let linker = spectest(&mut store);
        RuntimeEngine { kind, store, linker, current: None, named: HashMap::new() }
    }

    /// The engine this runner executes with.
    pub fn kind(&self) -> EngineKind {
        self.kind
    }

    /// The interpreter translator modules are compiled with, so a caller can
    /// check the choice reached the store.
    pub fn translator(&self) -> Translator {
        self.store.config().compile.translator
    }

    fn instance(&self, name: Option<&str>) -> Result<&Instance, EngineError> {
        match name {
            Some(n) => {
                self.named.get(n).ok_or_else(|| EngineError::Other(format!("no instance named `{n}`")))
            }
            None => {
                self.current.as_ref().ok_or_else(|| EngineError::Other("no module instantiated yet".into()))
            }
        }
    }

    fn val_from_wast(&mut self, v: &WastValue) -> Result<Val, EngineError> {
        Ok(match *v {
            WastValue::I32(x) => Val::I32(x),
            WastValue::I64(x) => Val::I64(x),
            WastValue::F32(b) => Val::F32(b),
            WastValue::F64(b) => Val::F64(b),
            WastValue::V128(x) => Val::V128(x),
            WastValue::FuncRef(None) => Val::FuncRef(None),
            WastValue::ExternRef(None) => Val::ExternRef(None),
            WastValue::ExternRef(Some(n)) => Val::ExternRef(Some(ExternRef::new(&mut self.store, n))),
            WastValue::FuncRef(Some(_)) => {
                return Err(EngineError::Other("a non-null funcref cannot be written in a script".into()));
            }
        })
    }

    fn wast_from_val(&self, v: Val) -> Result<WastValue, EngineError> {
        Ok(match v {
            Val::I32(x) => WastValue::I32(x),
            Val::I64(x) => WastValue::I64(x),
            Val::F32(b) => WastValue::F32(b),
            Val::F64(b) => WastValue::F64(b),
            Val::V128(x) => WastValue::V128(x),
            Val::FuncRef(f) => WastValue::FuncRef(f.map(|_| 0)),
            Val::ExternRef(None) => WastValue::ExternRef(None),
            Val::ExternRef(Some(r)) => match r.data(&self.store).downcast_ref::<u32>() {
                Some(&n) => WastValue::ExternRef(Some(n)),
                None => return Err(EngineError::Other("an externref not created by the script".into())),
            },
        })
    }
}

fn trap_error(t: &Trap) -> EngineError {
    if t.is_exhaustion() { EngineError::Exhaustion(t.to_string()) } else { EngineError::Trap(t.to_string()) }
}

/// The `spectest` module the official scripts import from. Its print
/// functions accept their arguments and print nothing, to keep runner output
/// to failures only.
fn spectest(store: &mut Store) -> Linker {
    use ValType::{F32, F64, I32, I64};
    let mut linker = Linker::new();
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in prints {
        linker.func_raw(store, "spectest", name, FuncType::new(params, []), |_, _| Ok(()));
    }
    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::from_f32(666.6)),
        ("global_f64", Val::from_f64(666.6)),
    ];
    for (name, value) in globals {
        let ty = GlobalType { content: value.ty(), mutable: false };
        if let Ok(g) = Global::new(store, ty, value) {
            linker.define("spectest", name, g);
        }
    }
    let table_ty = TableType { element: RefType::FuncRef, limits: Limits { min: 10, max: Some(20) } };
    if let Ok(t) = Table::new(store, table_ty, Val::FuncRef(None)) {
        linker.define("spectest", "table", t);
    }
    if let Ok(m) = Memory::new(store, MemoryType { limits: Limits { min: 1, max: Some(2) } }) {
        linker.define("spectest", "memory", m);
    }
    linker
}

impl WastEngine for RuntimeEngine {
    fn reset(&mut self) {
        *self = RuntimeEngine::with_config(self.kind, self.store.config().clone());
    }

    fn instantiate(
        &mut self,
        name: Option<&str>,
        bytes: &[u8],
        _module: &ModuleInfo,
    ) -> Result<(), EngineError> {
        let module =
            CompiledModule::new(&self.store, bytes).map_err(|e| EngineError::Other(e.to_string()))?;
        let instance = self.store.instantiate(&module, &self.linker).map_err(|e| match e {
            InstantiationError::Link(m) => EngineError::Link(m),
            InstantiationError::Trap(t) => trap_error(&t),
            other => EngineError::Other(other.to_string()),
        })?;
        if let Some(n) = name {
            self.named.insert(n.to_string(), instance.clone());
        }
        self.current = Some(instance);
        Ok(())
    }

    fn register(&mut self, as_name: &str, instance: Option<&str>) -> Result<(), EngineError> {
        let instance = self.instance(instance)?.clone();
        self.linker.instance(as_name, &instance);
        Ok(())
    }

    fn invoke(
        &mut self,
        instance: Option<&str>,
        export: &str,
        args: &[WastValue],
    ) -> Result<Vec<WastValue>, EngineError> {
        let func = self
            .instance(instance)?
            .get_func(export)
            .ok_or_else(|| EngineError::Other(format!("no exported function `{export}`")))?;
        let args = args.iter().map(|a| self.val_from_wast(a)).collect::<Result<Vec<_>, _>>()?;
        let results = self.store.call(func, &args).map_err(|t| trap_error(&t))?;
        results.into_iter().map(|v| self.wast_from_val(v)).collect()
    }

    fn get(&mut self, instance: Option<&str>, export: &str) -> Result<WastValue, EngineError> {
        let global = self
            .instance(instance)?
            .get_global(export)
            .ok_or_else(|| EngineError::Other(format!("no exported global `{export}`")))?;
        let v = global.get(&self.store);
        self.wast_from_val(v)
    }
}
