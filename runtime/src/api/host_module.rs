//! Host modules: named groups of host functions a [`crate::Runtime`] links
//! guests against, defined once and instantiated into every instance that
//! imports them, each instance getting its own state.
//!
//! ```
//! use zerowasm_runtime::{Caller, HostModuleBuilder, Runtime};
//! let runtime = Runtime::new();
//! HostModuleBuilder::new("env")
//!     .func("add", |a: i32, b: i32| a.wrapping_add(b))
//!     .func("log_i32", |_caller: Caller<'_>, v: u32| println!("{v}"))
//!     .instantiate(&runtime)?;
//! # Ok::<(), zerowasm_runtime::Error>(())
//! ```

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use zerowasm_frontend::{FuncType, ValType};

use super::module_config::ModuleConfig;
use super::runtime::Runtime;
use super::typed::{IntoHostFunc, RawHostFn};
use crate::definitions::FunctionDefinition;
use crate::error::Error;
use crate::host::Caller;
use crate::trap::Trap;

/// One function of a host module.
#[derive(Clone)]
pub(crate) struct HostFuncDef {
    /// How traces and inspection name it.
    pub(crate) def: Arc<FunctionDefinition>,
    /// What runs.
    pub(crate) func: RawHostFn,
}

/// Makes an instance's state for a host module from the instance's config.
pub(crate) type StateInit = Arc<dyn Fn(&ModuleConfig) -> Result<Box<dyn Any + Send>, Error> + Send + Sync>;

/// A finished host module, as a runtime keeps it: immutable and shared by
/// every instance that imports it.
pub struct HostModule {
    pub(crate) id: u64,
    pub(crate) name: Arc<str>,
    pub(crate) funcs: Vec<HostFuncDef>,
    pub(crate) state: Option<StateInit>,
}

impl fmt::Debug for HostModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostModule")
            .field("name", &self.name)
            .field("functions", &self.funcs.iter().map(|d| d.def.debug_name()).collect::<Vec<_>>())
            .field("stateful", &self.state.is_some())
            .finish()
    }
}

impl HostModule {
    /// The import module name guests use.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The functions, in definition order.
    pub fn functions(&self) -> impl Iterator<Item = &FunctionDefinition> {
        self.funcs.iter().map(|d| &*d.def)
    }
}

/// Builds a [`HostModule`]. Functions are typed Rust closures (any arity up
/// to 12 of `i32 u32 i64 u64 f32 f64 u128 ExternRef`, results `()`, a value,
/// a tuple, or `Result<_, Trap>`), or raw functions for libraries that
/// marshal values themselves.
pub struct HostModuleBuilder {
    name: Arc<str>,
    funcs: Vec<HostFuncDef>,
    state: Option<StateInit>,
}

impl fmt::Debug for HostModuleBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostModuleBuilder")
            .field("name", &self.name)
            .field("functions", &self.funcs.len())
            .finish()
    }
}

impl HostModuleBuilder {
    /// A builder for the module guests import as `name`.
    pub fn new(name: impl Into<String>) -> HostModuleBuilder {
        HostModuleBuilder { name: Arc::from(name.into()), funcs: Vec::new(), state: None }
    }

    /// Adds a typed function. The signature is derived from the closure's
    /// types; calling it reads the arguments straight from the engine's
    /// slots and writes the results back, with no allocation.
    pub fn func<M, F: IntoHostFunc<M>>(mut self, name: &str, f: F) -> HostModuleBuilder {
        let ty = F::func_type();
        let func = f.into_raw();
        self.push(name, ty, func);
        self
    }

    /// Adds a raw function: `f` gets the arguments in the slice and leaves
    /// its results there (layout in [`crate::values`]).
    pub fn func_raw(
        mut self,
        name: &str,
        params: &[ValType],
        results: &[ValType],
        f: impl Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> HostModuleBuilder {
        self.push(name, FuncType::new(params.to_vec(), results.to_vec()), Arc::new(f));
        self
    }

    /// Names the parameters and results of the function added last, for
    /// inspection and traces.
    pub fn with_names(mut self, params: &[&str], results: &[&str]) -> HostModuleBuilder {
        if let Some(last) = self.funcs.last_mut() {
            let def = Arc::make_mut(&mut last.def);
            for (slot, name) in def.param_names.iter_mut().zip(params) {
                *slot = Arc::from(*name);
            }
            for (slot, name) in def.result_names.iter_mut().zip(results) {
                *slot = Arc::from(*name);
            }
        }
        self
    }

    /// Gives every instance its own `T`, made by `init` from the instance's
    /// [`ModuleConfig`]; functions added with [`StatefulHostModuleBuilder::method`]
    /// get `&mut T`.
    pub fn with_state<T: Send + 'static>(
        mut self,
        init: impl Fn(&ModuleConfig) -> Result<T, Error> + Send + Sync + 'static,
    ) -> StatefulHostModuleBuilder<T> {
        self.state = Some(Arc::new(move |config| Ok(Box::new(init(config)?) as Box<dyn Any + Send>)));
        StatefulHostModuleBuilder { id: next_id(), inner: self, _state: PhantomData }
    }

    fn push(&mut self, name: &str, ty: FuncType, func: RawHostFn) {
        let def = FunctionDefinition {
            module_name: self.name.clone(),
            index: self.funcs.len() as u32,
            import: None,
            export_names: vec![Arc::from(name)],
            name: Some(Arc::from(name)),
            param_names: vec![Arc::from(""); ty.params.len()],
            result_names: vec![Arc::from(""); ty.results.len()],
            ty: Arc::new(ty),
        };
        self.funcs.push(HostFuncDef { def: Arc::new(def), func });
    }

    /// The finished module.
    pub fn build(self) -> HostModule {
        HostModule { id: next_id(), name: self.name, funcs: self.funcs, state: self.state }
    }

    /// Builds the module and registers it in `runtime`, so guests compiled
    /// later or earlier can import it. Fails if the runtime already has a
    /// host module of this name.
    pub fn instantiate(self, runtime: &Runtime) -> Result<(), Error> {
        runtime.register_host_module(self.build())
    }
}

/// A [`HostModuleBuilder`] whose instances carry a state `T`.
pub struct StatefulHostModuleBuilder<T> {
    id: u64,
    inner: HostModuleBuilder,
    _state: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for StatefulHostModuleBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<T: Send + 'static> StatefulHostModuleBuilder<T> {
    /// Adds a stateless typed function (see [`HostModuleBuilder::func`]).
    pub fn func<M, F: IntoHostFunc<M>>(mut self, name: &str, f: F) -> Self {
        self.inner = self.inner.func(name, f);
        self
    }

    /// Adds a raw function that gets the instance's state: the primitive the
    /// typed [`StatefulHostModuleBuilder::method`] is built on.
    pub fn method_raw(
        mut self,
        name: &str,
        params: &[ValType],
        results: &[ValType],
        f: impl Fn(&mut T, &mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Self {
        let id = self.id;
        let func = move |caller: &mut Caller<'_>, slots: &mut [u64]| {
            let mut state = caller.store().take_host_state(id)?;
            let result = match state.downcast_mut::<T>() {
                Some(t) => f(t, caller, slots),
                None => Err(Trap::msg("host module state has the wrong type")),
            };
            caller.store().put_host_state(id, state);
            result
        };
        self.inner = self.inner.func_raw(name, params, results, func);
        self
    }

    /// Names the parameters and results of the function added last.
    pub fn with_names(mut self, params: &[&str], results: &[&str]) -> Self {
        self.inner = self.inner.with_names(params, results);
        self
    }

    /// The finished module.
    pub fn build(self) -> HostModule {
        HostModule { id: self.id, name: self.inner.name, funcs: self.inner.funcs, state: self.inner.state }
    }

    /// Builds the module and registers it in `runtime`.
    pub fn instantiate(self, runtime: &Runtime) -> Result<(), Error> {
        runtime.register_host_module(self.build())
    }
}

/// Identifies a host module (and its state slot in a store).
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
