//! [`Module`]: an instantiated module with its own store, and the ways to
//! call into it ([`Function`], [`TypedFunction`]) and to reach its memory
//! ([`MemoryView`]) and globals.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use zerowasm_frontend::FuncType;
use zerowasm_frontend::module::ImportDesc;
use zerowasm_ssa::TrapCode;

use super::control::{Armed, DEADLINE, InterruptHandle};
use super::module_config::ModuleConfig;
use super::runtime::Runtime;
use super::typed::{MAX_TYPED_SLOTS, WasmList};
use crate::definitions::FunctionDefinition;
use crate::error::{Error, InstantiationError};
use crate::externals::Func;
use crate::instance::Instance;
use crate::linker::Linker;
use crate::memory_view::MemoryView;
use crate::module::CompiledModule;
use crate::store::{Store, WasmTarget};
use crate::trap::Trap;
use crate::values::{Val, slot_count};

/// Exit code a module is closed with when a call's deadline passes (as
/// wazero's `ExitCodeDeadlineExceeded`).
pub const EXIT_CODE_DEADLINE_EXCEEDED: u32 = 0xefff_ffff;

/// An instantiated module (DESIGN §7): its own store holds its memories,
/// tables, globals and the instances of the host modules it imports. `Send`,
/// so it can move to another thread; calls take `&mut self`.
pub struct Module {
    store: Store,
    instance: Instance,
    compiled: CompiledModule,
    name: Arc<str>,
    runtime: Runtime,
    closed: Option<u32>,
    timeout: Option<Duration>,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field("name", &self.name)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// See [`Runtime::instantiate`].
    pub(crate) fn instantiate(
        runtime: &Runtime,
        compiled: &CompiledModule,
        config: ModuleConfig,
    ) -> Result<Module, Error> {
        let inner = &runtime.inner;
        let mut store = Store::with_config(inner.store_config.clone());
        if let Some(fuel) = config.fuel() {
            store.fuel.store(i64::try_from(fuel).unwrap_or(i64::MAX), Ordering::SeqCst);
        }
        let linker = link_host_modules(runtime, compiled, &config, &mut store)?;
        let name: Arc<str> =
            Arc::from(config.name().or(compiled.info().names.module.as_deref()).unwrap_or_default());
        let timeout = config.timeout();
        let interrupt = store.interrupt.clone();
        let armed = arm(runtime, timeout, &interrupt)?;
        let instance = store.instantiate_named(compiled, &linker, &name).map_err(Error::Instantiation)?;
        let mut module = Module {
            store,
            instance,
            compiled: compiled.clone(),
            name,
            runtime: runtime.clone(),
            closed: None,
            timeout,
        };
        for start in config.start_functions() {
            let Some(func) = module.instance.get_func(start) else { continue };
            let result = module.store.call(func, &[]);
            if let Err(trap) = result {
                let trap = module.after_trap(trap);
                match trap.exit_code() {
                    Some(0) => break,
                    _ => return Err(Error::Instantiation(InstantiationError::Trap(trap))),
                }
            }
        }
        drop(armed);
        Ok(module)
    }

    /// The instance's name (from [`ModuleConfig::with_name`], else the name
    /// section, else empty).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The compiled module it was instantiated from.
    pub fn compiled(&self) -> &CompiledModule {
        &self.compiled
    }

    /// The exported function `name`.
    pub fn function(&self, name: &str) -> Option<Function> {
        let func = self.instance.get_func(name)?;
        let ty = self.store.func_entry(func).ty.clone();
        let wasm = self.store.wasm_target(func);
        Some(Function { func, ty, wasm })
    }

    /// Calls the exported function `name` with `args`.
    pub fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let func = self
            .instance
            .get_func(name)
            .ok_or_else(|| Trap::msg(format!("no exported function named `{name}`")))?;
        self.enter(|store| store.call(func, args))
    }

    /// The exported function `name` as a [`TypedFunction`], its signature
    /// checked against `P -> R` once, here.
    pub fn typed<P: WasmList, R: WasmList>(&self, name: &str) -> Result<TypedFunction<P, R>, Error> {
        let f = self
            .function(name)
            .ok_or_else(|| Error::UnknownExport { kind: "function", name: name.to_string() })?;
        f.typed()
    }

    /// Memory 0 of the instance (exported or not), as WASI-style host code
    /// addresses "the module's memory".
    pub fn memory(&mut self) -> Option<MemoryView<'_>> {
        let memory = self.instance.memory_handle(&self.store, 0)?;
        Some(MemoryView::new(&mut self.store, memory))
    }

    /// The exported memory `name`.
    pub fn exported_memory(&mut self, name: &str) -> Option<MemoryView<'_>> {
        let memory = self.instance.get_memory(name)?;
        Some(MemoryView::new(&mut self.store, memory))
    }

    /// The value of the exported global `name`.
    pub fn global(&self, name: &str) -> Option<Val> {
        Some(self.instance.get_global(name)?.get(&self.store))
    }

    /// Sets the exported mutable global `name`.
    pub fn set_global(&mut self, name: &str, value: Val) -> Result<(), Error> {
        let g = self
            .instance
            .get_global(name)
            .ok_or_else(|| Error::UnknownExport { kind: "global", name: name.to_string() })?;
        g.set(&mut self.store, value)
    }

    /// Closes the module with `exit_code`: every later call fails with
    /// [`Trap::exit`] of that code.
    pub fn close(&mut self, exit_code: u32) {
        self.closed.get_or_insert(exit_code);
    }

    /// The exit code, if the module is closed (by [`Module::close`], a
    /// guest exit, or a passed deadline).
    pub fn exit_code(&self) -> Option<u32> {
        self.closed
    }

    /// A handle other threads can stop this module's calls with. Needs
    /// [`crate::RuntimeConfig::with_close_on_deadline`] (the interrupt checks).
    pub fn interrupt_handle(&self) -> Result<InterruptHandle, Error> {
        if !self.compiled.compile_options().lower.interrupt_checks {
            return Err(Error::Config(
                "interrupts need RuntimeConfig::with_close_on_deadline(true) (the interrupt checks)".into(),
            ));
        }
        Ok(InterruptHandle { flag: self.store.interrupt.clone() })
    }

    /// Bounds every later call to `timeout` (or lifts the bound): a call that
    /// runs longer traps with `TrapCode::Interrupted` and closes the module
    /// with [`EXIT_CODE_DEADLINE_EXCEEDED`].
    pub fn set_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        if timeout.is_some() && !self.compiled.compile_options().lower.interrupt_checks {
            return Err(Error::Config("timeouts need RuntimeConfig::with_close_on_deadline(true)".into()));
        }
        self.timeout = timeout;
        Ok(())
    }

    /// Fuel left, or `None` when the runtime does not meter fuel.
    pub fn fuel(&self) -> Option<u64> {
        self.compiled
            .compile_options()
            .lower
            .fuel
            .then(|| self.store.fuel.load(Ordering::SeqCst).max(0) as u64)
    }

    /// Sets the fuel left (needs [`crate::RuntimeConfig::with_fuel`]).
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        if !self.compiled.compile_options().lower.fuel {
            return Err(Error::Config("fuel needs RuntimeConfig::with_fuel(true)".into()));
        }
        self.store.fuel.store(i64::try_from(fuel).unwrap_or(i64::MAX), Ordering::SeqCst);
        Ok(())
    }

    /// The module's store, for the lower-level handle API.
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The low-level instance handle, for use with [`Module::store`].
    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    /// Runs `f` as one call from the embedder: refuses a closed module,
    /// applies the timeout, and turns exits and deadlines into a closed module.
    fn enter<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T, Trap>) -> Result<T, Trap> {
        if let Some(code) = self.closed {
            return Err(Trap::exit(code));
        }
        let result = match self.timeout {
            None => f(&mut self.store),
            Some(timeout) => {
                let flag = self.store.interrupt.clone();
                let armed = arm(&self.runtime, Some(timeout), &flag).map_err(|e| Trap::msg(e.to_string()))?;
                let r = f(&mut self.store);
                drop(armed);
                r
            }
        };
        result.map_err(|trap| self.after_trap(trap))
    }

    /// Closes the module if `trap` ends it (an exit, a passed deadline) and
    /// clears a consumed interrupt.
    fn after_trap(&mut self, trap: Trap) -> Trap {
        if let Some(code) = trap.exit_code() {
            self.closed.get_or_insert(code);
        } else if trap.code() == Some(TrapCode::Interrupted)
            && self.store.interrupt.swap(0, Ordering::SeqCst) == DEADLINE
        {
            self.closed.get_or_insert(EXIT_CODE_DEADLINE_EXCEEDED);
        }
        trap
    }
}

/// Arms the runtime's watchdog for `timeout` from now, if given.
fn arm<'r>(
    runtime: &'r Runtime,
    timeout: Option<Duration>,
    flag: &Arc<std::sync::atomic::AtomicU32>,
) -> Result<Option<Armed<'r>>, Error> {
    let Some(timeout) = timeout else { return Ok(None) };
    if !runtime.inner.store_config.compile.lower.interrupt_checks {
        return Err(Error::Config("timeouts need RuntimeConfig::with_close_on_deadline(true)".into()));
    }
    let at = Instant::now().checked_add(timeout);
    Ok(at.map(|at| runtime.inner.watchdog.arm(at, flag)))
}

/// Defines, in `store`, the host functions `compiled` imports from the
/// runtime's host modules (with their state for this instance), and returns
/// the linker that resolves them. Imports no host module provides are left
/// for instantiation to report as `unknown import`.
fn link_host_modules(
    runtime: &Runtime,
    compiled: &CompiledModule,
    config: &ModuleConfig,
    store: &mut Store,
) -> Result<Linker, Error> {
    let mut linker = Linker::new();
    let hosts = runtime.inner.host_modules.read().unwrap_or_else(|e| e.into_inner());
    let mut stateful_done: Vec<u64> = Vec::new();
    for import in compiled.imports() {
        let ImportDesc::Func(_) = import.desc else { continue };
        let Some(host) = hosts.get(import.module.as_str()) else { continue };
        let Some(def) = host.funcs.iter().find(|d| d.def.name.as_deref() == Some(import.name.as_str()))
        else {
            continue;
        };
        if let Some(init) = &host.state
            && !stateful_done.contains(&host.id)
        {
            store.set_host_state(host.id, init(config)?);
            stateful_done.push(host.id);
        }
        let func = store.define_host(FuncType::clone(&def.def.ty), def.func.clone());
        if store.config.listener.is_some() {
            store.set_host_definition(func.index, FunctionDefinition::clone(&def.def));
        }
        linker.define(&import.module, &import.name, func);
    }
    Ok(linker)
}

/// An exported function of a [`Module`], with its type.
#[derive(Clone, Debug)]
pub struct Function {
    func: Func,
    ty: Arc<FuncType>,
    /// Set for a Wasm function: what typed calls enter the engine with.
    wasm: Option<WasmTarget>,
}

impl Function {
    /// Its type.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }

    /// Calls it in `module` (the module it came from) with `args`.
    pub fn call(&self, module: &mut Module, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let func = self.func;
        module.enter(|store| store.call(func, args))
    }

    /// The same function with its signature checked against `P -> R`.
    pub fn typed<P: WasmList, R: WasmList>(&self) -> Result<TypedFunction<P, R>, Error> {
        if !P::matches(&self.ty.params) || !R::matches(&self.ty.results) {
            return Err(Error::TypeMismatch {
                what: "typed function".into(),
                expected: FuncType::new(P::types(), R::types()).to_string(),
                found: self.ty.to_string(),
            });
        }
        if P::SLOTS > MAX_TYPED_SLOTS || R::SLOTS > MAX_TYPED_SLOTS {
            return Err(Error::Unsupported("typed functions take at most 24 value slots".into()));
        }
        let slots = slot_count(&self.ty.params).max(slot_count(&self.ty.results));
        Ok(TypedFunction { func: self.func, slots, wasm: self.wasm.clone(), _sig: PhantomData })
    }

    /// The low-level handle, for use with [`Module::store`].
    pub fn func(&self) -> Func {
        self.func
    }
}

/// A function whose signature was checked once, so calls move Rust values
/// straight into the engine's slots: no `Val`s, no allocation.
pub struct TypedFunction<P, R> {
    func: Func,
    slots: usize,
    /// Set for a Wasm function, so calls skip the registry.
    wasm: Option<WasmTarget>,
    _sig: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFunction<P, R> {
    fn clone(&self) -> Self {
        TypedFunction { func: self.func, slots: self.slots, wasm: self.wasm.clone(), _sig: PhantomData }
    }
}

impl<P, R> fmt::Debug for TypedFunction<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedFunction").field("func", &self.func).finish()
    }
}

impl<P: WasmList, R: WasmList> TypedFunction<P, R> {
    /// Calls the function in `module` (the module it came from).
    #[inline]
    pub fn call(&self, module: &mut Module, params: P) -> Result<R, Trap> {
        let (func, n, wasm) = (self.func, self.slots, &self.wasm);
        module.enter(|store| {
            let mut buf = [0u64; MAX_TYPED_SLOTS];
            let buf = &mut buf[..n];
            WasmList::store(params, store, buf)?;
            match wasm {
                Some(target) => store.call_target(target, buf)?,
                None => store.call_raw(store.func_handle(func), 0, buf)?,
            }
            R::load(store, buf)
        })
    }
}
