//! Function listeners: observe every call and return, with the function's
//! [`FunctionDefinition`] and its parameter and result values, for tracing and
//! profiling without touching the guest.
//!
//! # Wiring
//!
//! * **Wasm functions** report through hooks the lowering inserts when
//!   `LowerConfig::listener` is on (DESIGN §5: instrumentation lives in the
//!   SSA, so every engine reports the same events): the builtins
//!   `listener_arg`, `listener_enter` and `listener_exit` stage raw slots in a
//!   per-instance buffer and then hand them, as [`Val`]s, to the store's
//!   listener together with the instance's definition of the function.
//!   Modules compiled without the hooks run normally and report nothing.
//! * **Host functions** report from the store, which calls `before`/`after`
//!   around them. A host function is named by the definition
//!   registered with it, else by the first import a listened store linked it
//!   to (`env.log`), else `host.$<handle>`.
//! * A trap ends a call without `after`. When the outermost call into the
//!   store traps, [`FunctionListener::abort`] tells the listener that every
//!   call it saw begin and not end is over.
//!
//! Nothing here runs when the store has no listener: the code has no hooks
//! and the store tests one `Option` per call it makes.
//!
//! # References in values
//!
//! The builtins cannot reach the store (the engine holds it while Wasm runs),
//! so a `funcref` is turned into a [`Func`] by reading the registry handle from
//! the `VmFuncRef` record it points at, and an `externref` is rebuilt from its
//! slot (handle + 1); both give exactly the values [`Store::call`] would.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};

use zerowasm_frontend::module::ImportDesc;
use zerowasm_frontend::{FuncType, ModuleInfo, ValType};

use crate::definitions::FunctionDefinition;
use crate::externals::{Extern, Func};
use crate::store::{FuncKind, Store, StoreId};
use crate::trap::Trap;
use crate::values::{ExternRef, Val, read_slot, slot_count, slots};

/// Observes calls. Set one in [`crate::StoreConfig::listener`] (and compile
/// with `compile.lower.listener` so Wasm functions report too).
///
/// Hooks run on the thread that runs the guest, in the middle of its
/// execution: keep them short. A hook that panics makes the call trap and the
/// panic resumes when control is back in the store.
pub trait FunctionListener: Send + Sync {
    /// `def` was entered with `params`.
    fn before(&self, def: &FunctionDefinition, params: &[Val]);

    /// `def` returned `results`.
    fn after(&self, def: &FunctionDefinition, results: &[Val]);

    /// The outermost call into the store trapped: `after` will not come for
    /// any call that began and has not ended. Listeners that keep a call
    /// stack reset it here; the default does nothing.
    fn abort(&self) {}
}

/// A listener that prints a call trace in wazero's style, one line per event,
/// nested calls indented by one tab per level (shown here as four spaces):
///
/// ```text
/// --> m.main()
///     --> m.add(a=1,b=2)
///         --> env.log(3)
///         <-- ()
///     <-- 3
/// <-- 3
/// ```
///
/// A function is `module.name` (just `name` when the module has no name).
/// Parameters print as `name=value`, or `value` when unnamed; results print as
/// `()`, a single value, or `(a,b)`. i32/i64 are signed decimals, f32/f64
/// Rust's `Display` of the float, v128 `0x` and 32 hex digits (lane 0 last),
/// references `funcref(null)`, `funcref(7)`, `externref(null)`,
/// `externref(3)` (store handles). The depth is kept per thread, so stores on
/// different threads may share one listener; an aborted call resets it.
pub struct LoggingListener {
    state: Mutex<LogState>,
}

struct LogState {
    out: Box<dyn Write + Send>,
    depth: HashMap<ThreadId, usize>,
}

impl LoggingListener {
    /// Writes the trace to `out` (wrap files in a `BufWriter`; write errors
    /// are ignored so tracing never changes what the guest does).
    pub fn new(out: impl Write + Send + 'static) -> Self {
        LoggingListener { state: Mutex::new(LogState { out: Box::new(out), depth: HashMap::new() }) }
    }

    /// Writes the trace to standard error.
    pub fn stderr() -> Self {
        LoggingListener::new(std::io::stderr())
    }

    /// Prints `arrow text` at the current depth, which `before` raises and
    /// `after` lowers around the line.
    fn line(&self, enter: bool, text: fmt::Arguments<'_>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut *state;
        let depth = state.depth.entry(thread::current().id()).or_insert(0);
        if !enter {
            *depth = depth.saturating_sub(1);
        }
        let indent = *depth;
        if enter {
            *depth += 1;
        }
        let arrow = if enter { "-->" } else { "<--" };
        let _ = writeln!(state.out, "{:\t<indent$}{arrow} {text}", "");
    }
}

impl fmt::Debug for LoggingListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoggingListener").finish_non_exhaustive()
    }
}

impl FunctionListener for LoggingListener {
    fn before(&self, def: &FunctionDefinition, params: &[Val]) {
        let mut list = String::new();
        for (i, v) in params.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            match def.param_names.get(i).filter(|n| !n.is_empty()) {
                Some(name) => {
                    let _ = write!(list, "{name}={}", ValDisplay(v));
                }
                None => {
                    let _ = write!(list, "{}", ValDisplay(v));
                }
            }
        }
        self.line(true, format_args!("{}({list})", trace_name(def)));
    }

    fn after(&self, _def: &FunctionDefinition, results: &[Val]) {
        match results {
            [one] => self.line(false, format_args!("{}", ValDisplay(one))),
            _ => {
                let list: Vec<String> = results.iter().map(|v| ValDisplay(v).to_string()).collect();
                self.line(false, format_args!("({})", list.join(",")));
            }
        }
    }

    fn abort(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.depth.remove(&thread::current().id());
    }
}

/// `module.name`, or `name` when the module is unnamed.
fn trace_name(def: &FunctionDefinition) -> String {
    let name = def.debug_name();
    if def.module_name.is_empty() { name.trim_start_matches('.').to_string() } else { name }
}

/// A value as the logging listener prints it.
struct ValDisplay<'a>(&'a Val);

impl fmt::Display for ValDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            Val::I32(v) => write!(f, "{v}"),
            Val::I64(v) => write!(f, "{v}"),
            Val::F32(bits) => write!(f, "{}", f32::from_bits(bits)),
            Val::F64(bits) => write!(f, "{}", f64::from_bits(bits)),
            Val::V128(v) => write!(f, "0x{v:032x}"),
            Val::FuncRef(None) => f.write_str("funcref(null)"),
            Val::FuncRef(Some(func)) => write!(f, "funcref({})", func.index),
            Val::ExternRef(None) => f.write_str("externref(null)"),
            Val::ExternRef(Some(r)) => write!(f, "externref({})", r.index),
        }
    }
}

/// Most raw slots a hook stages: a function has at most 1000 parameters or
/// results, two slots each. Larger slot numbers are ignored.
const MAX_STAGED_SLOTS: usize = 2048;

/// An instance's side of the listener: what its hook builtins need, reached
/// from the VM context like the rest of `InstanceData`.
pub(crate) struct InstanceListener {
    listener: Arc<dyn FunctionListener>,
    /// Every function of the instance's module, by function index.
    defs: Arc<[FunctionDefinition]>,
    /// Slots staged by `listener_arg` for the next enter or exit.
    pending: RefCell<Vec<u64>>,
    /// The store, for the reference values handed to the listener.
    store: StoreId,
}

impl InstanceListener {
    /// The listener side of an instance of a module described by `info`.
    /// `module_name` names its functions in events; without it the name
    /// section's module name does, else the empty name.
    pub(crate) fn new(
        listener: Arc<dyn FunctionListener>,
        module_name: Option<Arc<str>>,
        info: &ModuleInfo,
        store: StoreId,
    ) -> InstanceListener {
        let name = module_name.unwrap_or_else(|| Arc::from(info.names.module.as_deref().unwrap_or("")));
        InstanceListener {
            listener,
            defs: FunctionDefinition::all_of(&name, info).into(),
            pending: RefCell::new(Vec::new()),
            store,
        }
    }

    /// `listener_arg`: stages raw slot `slot`.
    pub(crate) fn stage(&self, slot: u64, bits: u64) {
        let Ok(slot) = usize::try_from(slot) else { return };
        if slot >= MAX_STAGED_SLOTS {
            return;
        }
        let Ok(mut pending) = self.pending.try_borrow_mut() else { return };
        if pending.len() <= slot {
            pending.resize(slot + 1, 0);
        }
        pending[slot] = bits;
    }

    /// `listener_enter` (`exit` false) or `listener_exit` (`exit` true) of
    /// function `funcidx`: reports the staged slots as its parameters or
    /// results. `funcref_handle` maps a non-null funcref slot to its registry
    /// handle. False if the hook panicked: the builtin then traps, and the
    /// store resumes the panic.
    pub(crate) fn report(
        &self,
        funcidx: u64,
        exit: bool,
        funcref_handle: impl Fn(u64) -> Option<u32>,
    ) -> bool {
        let Some(def) = usize::try_from(funcidx).ok().and_then(|i| self.defs.get(i)) else { return true };
        let types = if exit { &def.ty.results } else { &def.ty.params };
        let values = match self.pending.try_borrow() {
            Ok(pending) => self.values(types, &pending, funcref_handle),
            Err(_) => return true,
        };
        let hook = || {
            if exit {
                self.listener.after(def, &values);
            } else {
                self.listener.before(def, &values);
            }
        };
        // A panic must not unwind through the builtin's `extern "C"` frame:
        // park it, trap, and resume it once the store has control again.
        match panic::catch_unwind(AssertUnwindSafe(hook)) {
            Ok(()) => true,
            Err(payload) => {
                PANIC.with(|p| p.set(Some(payload)));
                false
            }
        }
    }

    /// The values of `types` in `raw` (missing slots read as zero).
    fn values(
        &self,
        types: &[ValType],
        raw: &[u64],
        funcref_handle: impl Fn(u64) -> Option<u32>,
    ) -> Vec<Val> {
        let mut at = 0;
        types
            .iter()
            .map(|&ty| {
                let bits = read_slot(ty, raw.get(at..).unwrap_or(&[]));
                at += slots(ty);
                match ty {
                    ValType::I32 => Val::I32(bits as u32 as i32),
                    ValType::I64 => Val::I64(bits as u64 as i64),
                    ValType::F32 => Val::F32(bits as u32),
                    ValType::F64 => Val::F64(bits as u64),
                    ValType::V128 => Val::V128(bits),
                    ValType::FuncRef => Val::FuncRef(
                        Some(bits as u64)
                            .filter(|&r| r != 0)
                            .and_then(&funcref_handle)
                            .map(|index| Func { store: self.store, index }),
                    ),
                    ValType::ExternRef => Val::ExternRef(
                        (bits as u64)
                            .checked_sub(1)
                            .and_then(|i| u32::try_from(i).ok())
                            .map(|index| ExternRef { store: self.store, index }),
                    ),
                }
            })
            .collect()
    }
}

thread_local! {
    /// The panic of a listener hook called from a builtin, until the store resumes it.
    static PANIC: Cell<Option<Box<dyn Any + Send>>> = const { Cell::new(None) };
}

impl Store {
    /// [`Store::call_raw`] with a listener: reports host functions around
    /// their call, tells the listener when an outermost call traps, and
    /// resumes a panic a hook raised inside Wasm.
    pub(crate) fn call_listened(
        &mut self,
        listener: Arc<dyn FunctionListener>,
        handle: u32,
        caller_vmctx: u64,
        buf: &mut [u64],
    ) -> Result<(), Trap> {
        let host = self
            .host_definition(handle)
            .filter(|def| buf.len() >= slot_count(&def.ty.params).max(slot_count(&def.ty.results)));
        if let Some(def) = &host {
            let params = self.raw_vals(&def.ty.params, buf);
            listener.before(def, &params);
        }
        let outer = self.listener_nesting;
        self.listener_nesting += 1;
        let run = panic::catch_unwind(AssertUnwindSafe(|| self.call_unlistened(handle, caller_vmctx, buf)));
        self.listener_nesting = outer;
        // A panic (of a host function, or of a hook parked by a builtin) ends
        // the call like a trap, then carries on unwinding.
        let result = match run.and_then(|result| PANIC.with(Cell::take).map_or(Ok(result), Err)) {
            Ok(result) => result,
            Err(payload) => {
                if outer == 0 {
                    listener.abort();
                }
                panic::resume_unwind(payload);
            }
        };
        match (&result, &host) {
            (Ok(()), Some(def)) => {
                let results = self.raw_vals(&def.ty.results, buf);
                listener.after(def, &results);
            }
            (Err(_), _) if outer == 0 => listener.abort(),
            _ => {}
        }
        result
    }

    /// What a listener is told about registry entry `handle`, if it is a host
    /// function: its registered definition, else `host.$<handle>`.
    fn host_definition(&self, handle: u32) -> Option<Arc<FunctionDefinition>> {
        let entry = self.funcs.get(handle as usize)?;
        let FuncKind::Host { definition, .. } = &entry.kind else { return None };
        Some(definition.clone().unwrap_or_else(|| Arc::new(host_fallback(handle, &entry.ty, None))))
    }

    /// Values of `types` in the raw slots `buf`.
    fn raw_vals(&self, types: &[ValType], buf: &[u64]) -> Vec<Val> {
        let mut at = 0;
        types
            .iter()
            .map(|&ty| {
                let v = self.raw_to_val(ty, read_slot(ty, buf.get(at..).unwrap_or(&[])));
                at += slots(ty);
                v
            })
            .collect()
    }

    /// Gives each host function `imports` binds and that has no definition yet
    /// the name of its import (`env.log`), so listeners can name it.
    pub(crate) fn name_host_imports(&mut self, info: &ModuleInfo, imports: &[Extern]) {
        let funcs = info.imports.iter().zip(imports).filter(|(i, _)| matches!(i.desc, ImportDesc::Func(_)));
        for (funcidx, (import, item)) in (0u32..).zip(funcs) {
            let Extern::Func(f) = item else { continue };
            let params = info.names.locals.get(&funcidx);
            let Some(entry) = self.funcs.get(f.index as usize) else { continue };
            let FuncKind::Host { definition: None, .. } = &entry.kind else { continue };
            let mut def = host_fallback(f.index, &entry.ty, Some((&import.module, &import.name)));
            for (i, name) in (0u32..).zip(def.param_names.iter_mut()) {
                if let Some(n) = params.and_then(|l| l.get(&i)) {
                    *name = Arc::from(n.as_str());
                }
            }
            self.set_host_definition(f.index, def);
        }
    }

    /// Names host function `handle` to listeners. A host-module builder that
    /// knows the module and field it defines a function under should call
    /// this; a later call replaces the definition. No effect on Wasm functions.
    pub(crate) fn set_host_definition(&mut self, handle: u32, def: FunctionDefinition) {
        if let Some(FuncKind::Host { definition, .. }) =
            self.funcs.get_mut(handle as usize).map(|e| &mut e.kind)
        {
            *definition = Some(Arc::new(def));
        }
    }
}

/// The definition of host function `handle`: under `import`'s module and
/// field name if given, else `host.$<handle>`.
fn host_fallback(handle: u32, ty: &Arc<FuncType>, import: Option<(&str, &str)>) -> FunctionDefinition {
    let (module, name) = match import {
        Some((m, n)) => (Arc::from(m), Some(Arc::<str>::from(n))),
        None => (Arc::from("host"), None),
    };
    FunctionDefinition {
        module_name: module,
        index: handle,
        import: None,
        export_names: Vec::new(),
        name,
        ty: ty.clone(),
        param_names: vec![Arc::from(""); ty.params.len()],
        result_names: vec![Arc::from(""); ty.results.len()],
    }
}
