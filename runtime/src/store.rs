//! The store: owner of everything instantiation creates, and the function
//! registry engines resolve handles through.
//!
//! # Function registry and handles
//!
//! Every function the store knows, a defined function of an instance or a host
//! function, is one entry of `funcs`; its index is its *handle*. The handle is
//! what `VmFuncRef::func` holds and what [`Env::callee`] resolves: for a Wasm
//! function to the engine's code (`Callee::Wasm`), for a host function to
//! `Callee::Host`, after which the interpreter calls [`Env::call_host`]. Each
//! entry also knows the address of its `VmFuncRef` record (funcref values are
//! those addresses), and `funcref_handles` maps an address back to its handle,
//! so turning a funcref into a [`Func`] needs no pointer dereference.
//!
//! Public handles ([`Func`], [`Memory`], …) are a store id plus an index into
//! the store's vectors; entries are never removed, so a handle stays valid for
//! the life of its store.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering};

use zerowasm_frontend::vmoffsets::VmFuncRef;
use zerowasm_frontend::{CoreFeatures, FuncType, ValType};
use zerowasm_interp::env::{self, Callee, Env};

use crate::definitions::FunctionDefinition;
use crate::engine::{CompileOptions, Engine, EngineCode, Interpreter, VmCtx};
use crate::externals::Func;
use crate::global::GlobalData;
use crate::host::{Caller, HostFn};
use crate::instance::InstanceData;
use crate::listener::FunctionListener;
use crate::memory::{DEFAULT_GUARD_BYTES, DEFAULT_MEMORY_RESERVATION, LinearMemory};
use crate::table::TableData;
use crate::trap::Trap;
use crate::typeids::TypeRegistry;
use crate::values::{ExternRef, Val, read_slot, slot_count, slots, write_slot};

/// Default cap on a table's elements (a funcref table of this size is 80 MB).
pub const DEFAULT_MAX_TABLE_ELEMENTS: u64 = 10_000_000;

/// How a store compiles modules and how much it may allocate.
#[derive(Clone)]
pub struct StoreConfig {
    /// Compiles modules for [`crate::CompiledModule::new`]; the interpreter by default.
    pub engine: Arc<dyn Engine>,
    /// Features modules may use; WebAssembly 2.0 by default.
    pub features: CoreFeatures,
    /// Options [`crate::CompiledModule::new`] compiles with (instrumentation, stack depth).
    pub compile: CompileOptions,
    /// Bytes reserved for a memory without a declared maximum, and the cap for
    /// larger maxima: growth beyond it fails. Default [`DEFAULT_MEMORY_RESERVATION`].
    pub memory_reservation: u64,
    /// Inaccessible bytes after each memory's reservation. Default [`DEFAULT_GUARD_BYTES`].
    pub memory_guard: u64,
    /// Make every page up to a memory's maximum accessible at creation, so
    /// growing is a length change only; off by default (pages are made
    /// accessible as the memory grows).
    pub memory_commit_max: bool,
    /// Most elements a table may have; growth beyond it fails. Default [`DEFAULT_MAX_TABLE_ELEMENTS`].
    pub max_table_elements: u64,
    /// Told about every call and return (see [`crate::listener`]); none by
    /// default. Whoever sets it must also set `compile.lower.listener`, so
    /// [`crate::CompiledModule::new`] inserts the hooks Wasm functions report through;
    /// modules compiled without them run normally and report nothing (host
    /// functions still do).
    pub listener: Option<Arc<dyn FunctionListener>>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            engine: Arc::new(Interpreter),
            features: CoreFeatures::default(),
            compile: CompileOptions::default(),
            memory_reservation: DEFAULT_MEMORY_RESERVATION,
            memory_guard: DEFAULT_GUARD_BYTES,
            memory_commit_max: false,
            max_table_elements: DEFAULT_MAX_TABLE_ELEMENTS,
            listener: None,
        }
    }
}

impl fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreConfig")
            .field("engine", &self.engine.name())
            .field("features", &self.features)
            .field("compile", &self.compile)
            .field("memory_reservation", &self.memory_reservation)
            .field("memory_guard", &self.memory_guard)
            .field("memory_commit_max", &self.memory_commit_max)
            .field("max_table_elements", &self.max_table_elements)
            .field("listener", &self.listener.is_some())
            .finish()
    }
}

/// Identifies a store, so handles used with the wrong store are caught.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct StoreId(u64);

/// What a registry entry runs.
pub(crate) enum FuncKind {
    /// A defined function of an instance.
    Wasm {
        /// The module's engine code.
        code: Arc<dyn EngineCode>,
        /// Index in the module's function space.
        funcidx: u32,
        /// The instance's VM context.
        vmctx: VmCtx,
    },
    /// A host function; `record` is its `VmFuncRef`, owned here (in an `Arc`
    /// rather than a `Box` so moving the entry never asserts uniqueness over
    /// a record engines point at).
    /// `definition` names it to listeners (see [`crate::listener`]).
    ///
    /// `spare` is a second reference to `func` that a call moves out while
    /// it runs and puts back after, so calling needs no reference-count
    /// update (two atomic operations, a large part of a Wasm→host call). A
    /// call that finds it out (the function re-entered through Wasm, or a
    /// previous call panicked) clones `func` instead.
    Host {
        func: HostFn,
        spare: Option<HostFn>,
        _record: Arc<VmFuncRef>,
        definition: Option<Arc<FunctionDefinition>>,
    },
}

/// What a Wasm function's registry entry holds, kept by a handle that calls
/// it often ([`crate::TypedFunction`]) so a call enters the engine without
/// touching the registry or a reference count.
#[derive(Clone)]
pub(crate) struct WasmTarget {
    /// The entry's handle (its store is checked on every call).
    func: Func,
    code: Arc<dyn EngineCode>,
    funcidx: u32,
    /// The instance's VM context, as an address so the handle stays `Send`.
    vmctx: u64,
}

impl fmt::Debug for WasmTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasmTarget").field("funcidx", &self.funcidx).finish_non_exhaustive()
    }
}

/// One function of the registry.
pub(crate) struct FuncEntry {
    /// Its type.
    pub(crate) ty: Arc<FuncType>,
    /// Address of its `VmFuncRef`: its funcref value.
    pub(crate) record: u64,
    /// What `Env::callee` answers for it.
    pub(crate) callee: Callee,
    /// What runs.
    pub(crate) kind: FuncKind,
    /// Slots a call needs: the larger of the parameters' and the results'
    /// (from `ty`, computed once so calls need not walk the type).
    pub(crate) slots: usize,
    /// True if a result is a reference, which a host function's results are
    /// checked for (see [`Store::call_unlistened`]).
    pub(crate) ref_results: bool,
}

impl FuncEntry {
    /// An entry for a function of type `ty`.
    pub(crate) fn new(ty: Arc<FuncType>, record: u64, callee: Callee, kind: FuncKind) -> FuncEntry {
        let slots = slot_count(&ty.params).max(slot_count(&ty.results));
        let ref_results = ty.results.iter().any(|t| t.is_ref());
        FuncEntry { ty, record, callee, kind, slots, ref_results }
    }
}

/// Owns instances, memories, tables, globals, host functions and externref
/// data; everything lives until the store is dropped. Handles from one store
/// must not be used with another: methods given a foreign handle panic.
pub struct Store {
    pub(crate) id: StoreId,
    pub(crate) config: StoreConfig,
    pub(crate) types: TypeRegistry,
    pub(crate) funcs: Vec<FuncEntry>,
    pub(crate) funcref_handles: HashMap<u64, u32>,
    pub(crate) instances: Vec<Rc<InstanceData>>,
    pub(crate) vmctx_instances: HashMap<u64, u32>,
    pub(crate) memories: Vec<Rc<LinearMemory>>,
    pub(crate) tables: Vec<Rc<TableData>>,
    pub(crate) globals: Vec<Rc<GlobalData>>,
    externs: Vec<Box<dyn Any + Send + Sync>>,
    /// Non-zero asks running code to stop (`VmContextHeader::interrupt_flag`).
    pub(crate) interrupt: Arc<AtomicU32>,
    /// Remaining fuel (`VmContextHeader::fuel`).
    pub(crate) fuel: Arc<AtomicI64>,
    /// Calls into the store in progress, counted only with a listener (so it
    /// knows when the outermost one traps).
    pub(crate) listener_nesting: u32,
    /// Per host module id, the state its instance in this store works on;
    /// `None` while a call has it out (see [`Store::take_host_state`]).
    host_states: Vec<(u64, Option<Box<dyn Any + Send>>)>,
    /// The name [`Store::instantiate_named`] gives the next instance (for
    /// listener events).
    pub(crate) pending_name: Option<Arc<str>>,
}

// SAFETY: a store's non-`Send` parts are the `Rc`s and `Cell`s of instance,
// memory, table and global state, and raw pointers into them (VM contexts).
// All of them are owned by the store and reachable only through it: public
// handles (`Func`, `Memory`, `Instance`, …) are indices plus a store id, host
// functions and externref data are `Send + Sync`, and engines keep no
// pointers past a call. Moving the store to another thread therefore moves
// every alias with it, and `&mut Store` is required for everything that runs
// code, so no two threads ever touch its state at once. (`Store` is not
// `Sync`: shared references hand out `Rc` clones internally.)
unsafe impl Send for Store {}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("config", &self.config)
            .field("functions", &self.funcs.len())
            .field("instances", &self.instances.len())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// A store with the default configuration (interpreter, Wasm 2.0).
    pub fn new() -> Store {
        Store::with_config(StoreConfig::default())
    }

    /// A store with `config`.
    pub fn with_config(config: StoreConfig) -> Store {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Store {
            id: StoreId(NEXT_ID.fetch_add(1, Ordering::Relaxed)),
            config,
            types: TypeRegistry::default(),
            funcs: Vec::new(),
            funcref_handles: HashMap::new(),
            instances: Vec::new(),
            vmctx_instances: HashMap::new(),
            memories: Vec::new(),
            tables: Vec::new(),
            globals: Vec::new(),
            externs: Vec::new(),
            interrupt: Arc::new(AtomicU32::new(0)),
            fuel: Arc::new(AtomicI64::new(i64::MAX)),
            listener_nesting: 0,
            host_states: Vec::new(),
            pending_name: None,
        }
    }

    /// Gives the host module `id` its per-store state.
    pub(crate) fn set_host_state(&mut self, id: u64, state: Box<dyn Any + Send>) {
        match self.host_states.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = Some(state),
            None => self.host_states.push((id, Some(state))),
        }
    }

    /// Takes host module `id`'s state out for a call, so the function can
    /// hold `&mut` to it and to the store at once. A nested call into the
    /// same module while it is out (host → Wasm → same host module) traps.
    pub(crate) fn take_host_state(&mut self, id: u64) -> Result<Box<dyn Any + Send>, Trap> {
        match self.host_states.iter_mut().find(|(i, _)| *i == id) {
            Some((_, slot)) => slot.take().ok_or_else(|| {
                Trap::msg("host module state is in use: a stateful host function was re-entered")
            }),
            None => Err(Trap::msg("host module has no state in this store")),
        }
    }

    /// Puts back what [`Store::take_host_state`] took.
    pub(crate) fn put_host_state(&mut self, id: u64, state: Box<dyn Any + Send>) {
        self.set_host_state(id, state);
    }

    /// The configuration the store was made with.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Panics unless a handle belongs to this store: a foreign index would
    /// silently name some other object.
    pub(crate) fn check(&self, owner: StoreId) {
        assert_eq!(owner, self.id, "a handle was used with a store that does not own it");
    }

    /// The registry entry of `func`.
    pub(crate) fn func_entry(&self, func: Func) -> &FuncEntry {
        self.check(func.store);
        &self.funcs[func.index as usize]
    }

    /// The registry handle of `func`, checking that it belongs here.
    pub(crate) fn func_handle(&self, func: Func) -> u32 {
        self.check(func.store);
        func.index
    }

    /// Registers a host function.
    pub(crate) fn define_host(&mut self, ty: FuncType, func: HostFn) -> Func {
        let type_id = self.types.intern(&ty);
        let ty = self.types.get(type_id).cloned().unwrap_or_else(|| Arc::new(ty));
        let index = u32::try_from(self.funcs.len()).expect("fewer than 2^32 functions in a store");
        let record = Arc::new(VmFuncRef { func: u64::from(index), vmctx: 0, type_id });
        let addr = Arc::as_ptr(&record) as u64;
        self.funcs.push(FuncEntry::new(
            ty,
            addr,
            Callee::Host,
            FuncKind::Host { spare: Some(func.clone()), func, _record: record, definition: None },
        ));
        self.funcref_handles.insert(addr, index);
        Func { store: self.id, index }
    }

    /// Moves externref data into the store.
    pub(crate) fn new_extern_ref(&mut self, data: Box<dyn Any + Send + Sync>) -> ExternRef {
        let index = u32::try_from(self.externs.len()).expect("fewer than 2^32 externrefs in a store");
        self.externs.push(data);
        ExternRef { store: self.id, index }
    }

    /// The data of an externref.
    pub(crate) fn extern_data(&self, r: ExternRef) -> &(dyn Any + Send + Sync) {
        self.check(r.store);
        self.externs[r.index as usize].as_ref()
    }

    /// A value as raw bits (see [`crate::values`]).
    pub(crate) fn val_to_raw(&self, v: &Val) -> u128 {
        match *v {
            Val::I32(x) => u128::from(x as u32),
            Val::I64(x) => u128::from(x as u64),
            Val::F32(bits) => u128::from(bits),
            Val::F64(bits) => u128::from(bits),
            Val::V128(x) => x,
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(f)) => u128::from(self.func_entry(f).record),
            Val::ExternRef(Some(r)) => {
                self.check(r.store);
                u128::from(r.index) + 1
            }
        }
    }

    /// Raw bits of type `ty` as a value. Reference bits this store did not make
    /// (impossible for values Wasm produced) read as null.
    pub(crate) fn raw_to_val(&self, ty: ValType, raw: u128) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as u64 as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw as u64),
            ValType::V128 => Val::V128(raw),
            ValType::FuncRef => Val::FuncRef(
                self.funcref_handles.get(&(raw as u64)).map(|&index| Func { store: self.id, index }),
            ),
            ValType::ExternRef => Val::ExternRef(
                (raw as u64)
                    .checked_sub(1)
                    .and_then(|i| u32::try_from(i).ok())
                    .filter(|&i| (i as usize) < self.externs.len())
                    .map(|index| ExternRef { store: self.id, index }),
            ),
        }
    }

    /// True if `raw` is null or a reference this store made, of type `ty`;
    /// guards Wasm from reference bits a host function invented.
    pub(crate) fn is_valid_ref(&self, ty: ValType, raw: u64) -> bool {
        match ty {
            ValType::FuncRef => raw == 0 || self.funcref_handles.contains_key(&raw),
            ValType::ExternRef => raw <= self.externs.len() as u64,
            _ => true,
        }
    }

    /// Calls `func` with `args` and returns its results. Arguments that do not
    /// match the function's type fail before anything runs, as a host-error
    /// trap describing the mismatch.
    ///
    /// # Panics
    /// If `func` or a reference argument belongs to another store.
    pub fn call(&mut self, func: Func, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let ty = self.func_entry(func).ty.clone();
        if args.len() != ty.params.len() {
            return Err(Trap::msg(format!(
                "type mismatch: function {} expects {} arguments, got {}",
                ty,
                ty.params.len(),
                args.len()
            )));
        }
        let mut buf = vec![0u64; slot_count(&ty.params).max(slot_count(&ty.results))];
        let mut at = 0;
        for (i, (arg, &param)) in args.iter().zip(ty.params.iter()).enumerate() {
            if arg.ty() != param {
                return Err(Trap::msg(format!(
                    "type mismatch: argument {i} must be {param}, found {}",
                    arg.ty()
                )));
            }
            let raw = self.val_to_raw(arg);
            at += write_slot(param, raw, &mut buf[at..]).unwrap_or(0);
        }
        self.call_raw(func.index, 0, &mut buf)?;
        let mut results = Vec::with_capacity(ty.results.len());
        let mut at = 0;
        for &result in ty.results.iter() {
            let raw = read_slot(result, buf.get(at..).unwrap_or(&[]));
            results.push(self.raw_to_val(result, raw));
            at += slots(result);
        }
        Ok(results)
    }

    /// The [`WasmTarget`] of `func`, if it is a Wasm function.
    pub(crate) fn wasm_target(&self, func: Func) -> Option<WasmTarget> {
        match &self.func_entry(func).kind {
            FuncKind::Wasm { code, funcidx, vmctx } => {
                Some(WasmTarget { func, code: code.clone(), funcidx: *funcidx, vmctx: vmctx.as_ptr() as u64 })
            }
            FuncKind::Host { .. } => None,
        }
    }

    /// [`Store::call_raw`] of `target`'s function from the embedder, entering
    /// the engine straight from the target when no listener needs telling.
    ///
    /// # Panics
    /// If `target` belongs to another store.
    pub(crate) fn call_target(&mut self, target: &WasmTarget, buf: &mut [u64]) -> Result<(), Trap> {
        self.check(target.func.store);
        if self.config.listener.is_some() {
            return self.call_raw(target.func.index, 0, buf);
        }
        // The VM context is that of an instance of this store (checked
        // above), and instances live as long as their store.
        let vmctx = VmCtx::new(target.vmctx as *mut u8);
        target.code.invoke(&mut StoreEnv(self), target.funcidx, vmctx, buf).map_err(Trap::from)
    }

    /// Calls registry entry `handle` with arguments and results in `buf` (the
    /// raw slot convention). `caller_vmctx` is the calling instance's VM
    /// context, or 0 when the embedder calls.
    pub(crate) fn call_raw(&mut self, handle: u32, caller_vmctx: u64, buf: &mut [u64]) -> Result<(), Trap> {
        if let Some(listener) = &self.config.listener {
            return self.call_listened(listener.clone(), handle, caller_vmctx, buf);
        }
        self.call_unlistened(handle, caller_vmctx, buf)
    }

    /// [`Store::call_raw`] without the listener's host-call events.
    pub(crate) fn call_unlistened(
        &mut self,
        handle: u32,
        caller_vmctx: u64,
        buf: &mut [u64],
    ) -> Result<(), Trap> {
        let Some(entry) = self.funcs.get_mut(handle as usize) else {
            return Err(Trap::msg(format!("unknown function handle {handle}")));
        };
        if buf.len() < entry.slots {
            return Err(Trap::msg(format!("{} argument slots needed, {} given", entry.slots, buf.len())));
        }
        let ref_results = entry.ref_results;
        match &mut entry.kind {
            FuncKind::Wasm { code, funcidx, vmctx } => {
                let (code, funcidx, vmctx) = (code.clone(), *funcidx, *vmctx);
                code.invoke(&mut StoreEnv(self), funcidx, vmctx, buf).map_err(Trap::from)
            }
            FuncKind::Host { func, spare, .. } => {
                let (func, taken) = match spare.take() {
                    Some(f) => (f, true),
                    None => (func.clone(), false),
                };
                let result = func(&mut Caller::new(self, caller_vmctx), buf);
                // Entries are never removed, so the handle still names this one.
                if taken && let FuncKind::Host { spare, .. } = &mut self.funcs[handle as usize].kind {
                    *spare = Some(func);
                }
                result?;
                if !ref_results {
                    return Ok(());
                }
                let ty = self.funcs[handle as usize].ty.clone();
                let mut at = 0;
                for &result in ty.results.iter() {
                    let raw = buf.get(at).copied().unwrap_or(0);
                    if !self.is_valid_ref(result, raw) {
                        return Err(Trap::msg(format!(
                            "host function returned an invalid {result} in result slot {at}"
                        )));
                    }
                    at += slots(result);
                }
                Ok(())
            }
        }
    }
}

/// The store as the engines' [`Env`]. A private wrapper, so the `Env` methods
/// do not become part of `Store`'s public surface.
pub(crate) struct StoreEnv<'a>(pub(crate) &'a mut Store);

impl Env for StoreEnv<'_> {
    fn callee(&self, handle: u64) -> Option<Callee> {
        let index = usize::try_from(handle).ok()?;
        self.0.funcs.get(index).map(|e| e.callee.clone())
    }

    fn call_host(
        &mut self,
        handle: u64,
        caller_vmctx: u64,
        args_results: &mut [u64],
    ) -> Result<(), env::Trap> {
        let handle =
            u32::try_from(handle).map_err(|_| Trap::msg("function handle out of range").into_env())?;
        self.0.call_raw(handle, caller_vmctx, args_results).map_err(Trap::into_env)
    }
}
