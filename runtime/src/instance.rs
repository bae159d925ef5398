//! Instantiation (Wasm 2.0 semantics) and the per-instance runtime state.
//!
//! Order, as the spec prescribes: check imports; allocate the defined
//! memories, tables, globals and functions; evaluate global initialisers;
//! build the VM context; evaluate element segments; apply the active element
//! segments in order, then the active data segments in order; run the start
//! function. Once allocation is done the instance is registered in the store
//! for good: if a segment or the start function traps, the instance is not
//! returned, but writes already made (possibly into imported memories and
//! tables, possibly storing this instance's functions there) stay visible.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use zerowasm_frontend::module::{DataMode, ElemItems, ElemMode};
use zerowasm_frontend::vmoffsets::{VmFuncRef, VmOffsets};
use zerowasm_frontend::{FuncType, ModuleInfo};
use zerowasm_ssa::TrapCode;

use crate::builtins;
use crate::const_expr::{ConstEnv, eval};
use crate::engine::VmCtx;
use crate::error::InstantiationError;
use crate::externals::{Extern, Func, Global, Memory, Table};
use crate::global::GlobalData;
use crate::linker::{Linker, check_import};
use crate::memory::LinearMemory;
use crate::module::CompiledModule;
use crate::store::{FuncEntry, FuncKind, Store, StoreId};
use crate::table::TableData;
use crate::trap::Trap;
use crate::vmctx::VmContext;

/// An instance's exports by name, in module order.
#[derive(Debug, Default)]
struct Exports {
    list: Vec<(Box<str>, Extern)>,
    by_name: HashMap<Box<str>, usize>,
}

/// An instantiated module: a handle to its state in the store plus its exports.
#[derive(Clone, Debug)]
pub struct Instance {
    store: StoreId,
    index: u32,
    exports: Arc<Exports>,
}

impl Instance {
    /// The export `name`.
    pub fn export(&self, name: &str) -> Option<Extern> {
        self.exports.by_name.get(name).and_then(|&i| self.exports.list.get(i)).map(|(_, e)| *e)
    }

    /// Every export, in module order.
    pub fn exports(&self) -> impl Iterator<Item = (&str, Extern)> + '_ {
        self.exports.list.iter().map(|(name, e)| (&**name, *e))
    }

    /// The exported function `name`.
    pub fn get_func(&self, name: &str) -> Option<Func> {
        self.export(name)?.into_func()
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, name: &str) -> Option<Memory> {
        self.export(name)?.into_memory()
    }

    /// The exported table `name`.
    pub fn get_table(&self, name: &str) -> Option<Table> {
        self.export(name)?.into_table()
    }

    /// The exported global `name`.
    pub fn get_global(&self, name: &str) -> Option<Global> {
        self.export(name)?.into_global()
    }

    /// Memory `index` of the instance (imports first), exported or not.
    pub fn memory_handle(&self, store: &Store, index: u32) -> Option<Memory> {
        store.check(self.store);
        store.instances.get(self.index as usize)?.memory_handle(index)
    }

    /// The module it was instantiated from.
    pub fn module(&self, store: &Store) -> CompiledModule {
        store.check(self.store);
        store.instances[self.index as usize].module.clone()
    }
}

/// Store handles of an instance's index spaces, imports first.
struct Handles {
    funcs: Box<[u32]>,
    memories: Box<[Memory]>,
}

/// An instance's runtime state. Builtins reach it through
/// `VmContextHeader::instance` (a pointer into the store's `Rc`), so
/// everything they change is behind `Cell`/`RefCell`.
pub(crate) struct InstanceData {
    /// The module (for data segment bytes and the export list).
    pub(crate) module: CompiledModule,
    /// The VM context engines run with.
    pub(crate) vmctx: VmContext,
    /// Every memory, imported first (imports are the exporters' own objects).
    pub(crate) memories: Box<[Rc<LinearMemory>]>,
    /// Every table, imported first.
    pub(crate) tables: Box<[Rc<TableData>]>,
    /// Every global, imported first.
    pub(crate) globals: Box<[Rc<GlobalData>]>,
    /// `VmFuncRef` records of the defined functions (stable addresses).
    pub(crate) func_refs: Box<[VmFuncRef]>,
    /// Per data segment: dropped (by `data.drop` or by being active).
    pub(crate) data_dropped: Box<[Cell<bool>]>,
    /// Per element segment: its references, `None` once dropped (or if active or declarative).
    pub(crate) elems: RefCell<Vec<Option<Box<[u64]>>>>,
    handles: Handles,
    exports: Arc<Exports>,
    /// What the listener hooks report to; `None` unless the store has a
    /// listener and the module was compiled with the hooks.
    pub(crate) listener: Option<crate::listener::InstanceListener>,
}

impl InstanceData {
    /// The public handle of this instance.
    pub(crate) fn handle(&self, store: StoreId, index: u32) -> Instance {
        Instance { store, index, exports: self.exports.clone() }
    }

    /// The store handle of memory `index`.
    pub(crate) fn memory_handle(&self, index: u32) -> Option<Memory> {
        self.handles.memories.get(index as usize).copied()
    }
}

/// Builds the export list from the index spaces' handles.
fn exports(
    info: &ModuleInfo,
    funcs: &[u32],
    memories: &[Memory],
    tables: &[Table],
    globals: &[Global],
    store: StoreId,
) -> Result<Exports, InstantiationError> {
    use zerowasm_frontend::ExternKind as K;
    let n = info.exports.len();
    let mut out = Exports { list: Vec::with_capacity(n), by_name: HashMap::with_capacity(n) };
    for e in &info.exports {
        let i = e.index as usize;
        let item = match e.kind {
            K::Func => funcs.get(i).map(|&index| Extern::Func(Func { store, index })),
            K::Memory => memories.get(i).map(|&m| Extern::Memory(m)),
            K::Table => tables.get(i).map(|&t| Extern::Table(t)),
            K::Global => globals.get(i).map(|&g| Extern::Global(g)),
        };
        let item = item.ok_or_else(|| {
            InstantiationError::Internal(format!("export {:?}: unknown {}", e.name, e.kind))
        })?;
        out.by_name.insert(e.name.as_str().into(), out.list.len());
        out.list.push((e.name.as_str().into(), item));
    }
    Ok(out)
}

impl Store {
    /// Instantiates `module`, resolving its imports by module and field name in
    /// `linker`.
    pub fn instantiate(
        &mut self,
        module: &CompiledModule,
        linker: &Linker,
    ) -> Result<Instance, InstantiationError> {
        let imports = linker.resolve(module)?;
        self.instantiate_with(module, &imports)
    }

    /// Instantiates `module` like [`Store::instantiate`], naming the instance
    /// `name` where listeners report its functions (`name.func`).
    pub fn instantiate_named(
        &mut self,
        module: &CompiledModule,
        linker: &Linker,
        name: &str,
    ) -> Result<Instance, InstantiationError> {
        self.pending_name = Some(Arc::from(name));
        let result = self.instantiate(module, linker);
        self.pending_name = None;
        result
    }

    /// Instantiates `module` with `imports` given positionally, in the order
    /// of [`CompiledModule::imports`].
    pub fn instantiate_with(
        &mut self,
        module: &CompiledModule,
        imports: &[Extern],
    ) -> Result<Instance, InstantiationError> {
        let info = module.info().clone();
        let internal = |m: String| InstantiationError::Internal(m);
        if imports.len() != info.imports.len() {
            return Err(InstantiationError::Link(format!(
                "expected {} imports, {} given",
                info.imports.len(),
                imports.len()
            )));
        }
        for (import, item) in info.imports.iter().zip(imports) {
            check_import(self, &info.types, import, item)?;
        }
        if self.config.listener.is_some() {
            self.name_host_imports(&info, imports);
        }

        // Imported objects, then the defined ones (allocated before anything is
        // registered, so a failed allocation leaves the store unchanged).
        // Every vector gets its final size up front: a small module's
        // instantiation is mostly bookkeeping, and regrowing it adds up.
        let (mut funcs, mut memories, mut tables, mut globals) = (
            Vec::with_capacity(info.functions.len()),
            Vec::with_capacity(info.memories.len()),
            Vec::with_capacity(info.tables.len()),
            Vec::with_capacity(info.globals.len()),
        );
        let (mut memory_handles, mut table_handles, mut global_handles) = (
            Vec::with_capacity(info.memories.len()),
            Vec::with_capacity(info.tables.len()),
            Vec::with_capacity(info.globals.len()),
        );
        for item in imports {
            match *item {
                Extern::Func(f) => funcs.push(f.index),
                Extern::Memory(m) => {
                    memories.push(self.memories[m.index as usize].clone());
                    memory_handles.push(m);
                }
                Extern::Table(t) => {
                    tables.push(self.tables[t.index as usize].clone());
                    table_handles.push(t);
                }
                Extern::Global(g) => {
                    globals.push(self.globals[g.index as usize].clone());
                    global_handles.push(g);
                }
            }
        }
        let (imported_funcs, imported_memories, imported_tables, imported_globals) =
            (funcs.len(), memories.len(), tables.len(), globals.len());
        let resource = |e: crate::Error| InstantiationError::Resource(e.to_string());
        let (reservation, guard) = (self.config.memory_reservation, self.config.memory_guard);
        let commit = self.config.memory_commit_max;
        for ty in info.memories.iter().skip(memories.len()) {
            memories.push(Rc::new(LinearMemory::new(*ty, reservation, guard, commit).map_err(resource)?));
        }
        for ty in info.tables.iter().skip(tables.len()) {
            tables.push(Rc::new(TableData::new(*ty, 0, self.config.max_table_elements).map_err(resource)?));
        }
        for ty in info.globals.iter().skip(globals.len()) {
            globals.push(Rc::new(GlobalData::new(*ty, 0)));
        }

        // Defined functions: registry handles and their VmFuncRef records.
        let offsets = VmOffsets::new(&info);
        let vmctx = VmContext::new(offsets.size());
        let type_ids: Vec<u64> = info.types.iter().map(|t| self.types.intern(t)).collect();
        let first = self.funcs.len();
        let num_defined = info.functions.len().saturating_sub(imported_funcs);
        if u32::try_from(first + num_defined).is_err() {
            return Err(InstantiationError::Resource("too many functions in one store".to_string()));
        }
        let mut func_refs = Vec::with_capacity(num_defined);
        for (i, &typeidx) in info.functions.iter().enumerate().skip(imported_funcs) {
            let type_id = *type_ids
                .get(typeidx as usize)
                .ok_or_else(|| internal(format!("function {i}: unknown type")))?;
            let handle = (first + func_refs.len()) as u32;
            func_refs.push(VmFuncRef { func: u64::from(handle), vmctx: vmctx.addr(), type_id });
            funcs.push(handle);
        }

        // Handles for the defined memories, tables and globals are the next
        // indices of the store's vectors.
        let id = self.id;
        let defined = |n: usize, from: usize| (from..from + n).map(|i| i as u32);
        memory_handles.extend(
            defined(memories.len() - memory_handles.len(), self.memories.len())
                .map(|index| Memory { store: id, index }),
        );
        table_handles.extend(
            defined(tables.len() - table_handles.len(), self.tables.len())
                .map(|index| Table { store: id, index }),
        );
        global_handles.extend(
            defined(globals.len() - global_handles.len(), self.globals.len())
                .map(|index| Global { store: id, index }),
        );
        let exports = Arc::new(exports(&info, &funcs, &memory_handles, &table_handles, &global_handles, id)?);

        let data = Rc::new(InstanceData {
            module: module.clone(),
            vmctx,
            memories: memories.into(),
            tables: tables.into(),
            globals: globals.into(),
            func_refs: func_refs.into(),
            data_dropped: info.data.iter().map(|_| Cell::new(false)).collect(),
            elems: RefCell::new(vec![None; info.elements.len()]),
            handles: Handles { funcs: funcs.into(), memories: memory_handles.into() },
            exports,
            // Code without hooks never reports: it runs as is, and only host
            // functions are seen.
            listener: self
                .config
                .listener
                .clone()
                .filter(|_| module.compile_options().lower.listener)
                .map(|l| crate::listener::InstanceListener::new(l, self.pending_name.take(), &info, id)),
        });

        // The funcref value of every function: the exporter's record for
        // imports, our own records for the defined ones.
        let mut funcrefs: Vec<u64> = Vec::with_capacity(info.functions.len());
        for &handle in data.handles.funcs.iter().take(imported_funcs) {
            funcrefs.push(self.funcs[handle as usize].record);
        }
        funcrefs.extend(data.func_refs.iter().map(|r| r as *const VmFuncRef as u64));

        // Register everything: from here on the instance belongs to the store.
        let index = u32::try_from(self.instances.len()).map_err(|_| internal("too many instances".into()))?;
        self.memories.extend(data.memories.iter().skip(imported_memories).cloned());
        self.tables.extend(data.tables.iter().skip(imported_tables).cloned());
        self.globals.extend(data.globals.iter().skip(imported_globals).cloned());
        let code = module.code();
        let vmctx_ptr = VmCtx::new(data.vmctx.as_ptr());
        self.funcs.reserve(data.func_refs.len());
        self.funcref_handles.reserve(data.func_refs.len());
        for (i, record) in data.func_refs.iter().enumerate() {
            let funcidx = (imported_funcs + i) as u32;
            let ty = self.types.get(record.type_id).cloned().unwrap_or_else(|| Arc::new(FuncType::default()));
            let addr = record as *const VmFuncRef as u64;
            self.funcref_handles.insert(addr, record.func as u32);
            self.funcs.push(FuncEntry::new(
                ty,
                addr,
                code.callee(funcidx),
                FuncKind::Wasm { code: code.clone(), funcidx, vmctx: vmctx_ptr },
            ));
        }
        self.vmctx_instances.insert(data.vmctx.addr(), index);
        self.instances.push(data.clone());

        // Globals, in order: each initialiser sees the imported globals and
        // (with extended-const) the defined ones before it.
        for (i, init) in info.global_inits.iter().enumerate() {
            let g = imported_globals + i;
            let (Some(visible), Some(global)) = (data.globals.get(..g), data.globals.get(g)) else {
                return Err(internal(format!("global {g} has an initialiser but no type")));
            };
            let value = eval(init, &ConstEnv { globals: visible, funcrefs: &funcrefs }).map_err(internal)?;
            global.set(value);
        }

        self.fill_vmctx(&data, &offsets, &funcrefs, &type_ids);
        let instance = data.handle(self.id, index);
        initialize(&info, module, &data, &funcrefs)?;

        if let Some(start) = info.start {
            let &handle = data
                .handles
                .funcs
                .get(start as usize)
                .ok_or_else(|| internal(format!("unknown start {start}")))?;
            self.call_raw(handle, data.vmctx.addr(), &mut [])?;
        }
        Ok(instance)
    }

    /// Writes the VM context per `offsets`.
    fn fill_vmctx(&self, data: &Rc<InstanceData>, offsets: &VmOffsets, funcrefs: &[u64], type_ids: &[u64]) {
        let ctx = &data.vmctx;
        ctx.set(VmOffsets::instance(), Rc::as_ptr(data) as u64);
        ctx.set(VmOffsets::builtins(), builtins::table_addr());
        ctx.set(VmOffsets::interrupt_flag(), self.interrupt.as_ptr() as u64);
        ctx.set(VmOffsets::fuel(), self.fuel.as_ptr() as u64);
        // The interpreter keeps its own stack; compiled code will set a real limit.
        ctx.set(VmOffsets::stack_limit(), 0);
        for (i, m) in data.memories.iter().enumerate() {
            ctx.set(offsets.memory(i as u32), m.record_ptr() as u64);
        }
        for (i, g) in data.globals.iter().enumerate() {
            ctx.set(offsets.global(i as u32), g.cell_ptr() as u64);
        }
        for (i, t) in data.tables.iter().enumerate() {
            ctx.set(offsets.table(i as u32), t.record_ptr() as u64);
        }
        for (i, &f) in funcrefs.iter().enumerate() {
            ctx.set(offsets.func_ref(i as u32), f);
        }
        for (i, &id) in type_ids.iter().enumerate() {
            ctx.set(offsets.type_id(i as u32), id);
        }
    }
}

/// Evaluates the element segments, then applies the active element segments
/// and the active data segments in order. Traps leave earlier writes in place.
fn initialize(
    info: &ModuleInfo,
    module: &CompiledModule,
    data: &InstanceData,
    funcrefs: &[u64],
) -> Result<(), InstantiationError> {
    let internal = |m: String| InstantiationError::Internal(m);
    let env = ConstEnv { globals: &data.globals, funcrefs };
    let offset_of = |expr| eval(expr, &env).map(|v| u64::from(v as u32)).map_err(internal);

    let mut items = Vec::with_capacity(info.elements.len());
    for (i, seg) in info.elements.iter().enumerate() {
        let refs: Vec<u64> = match &seg.items {
            ElemItems::Functions(fs) => fs
                .iter()
                .map(|&f| {
                    funcrefs
                        .get(f as usize)
                        .copied()
                        .ok_or_else(|| internal(format!("elem {i}: unknown function {f}")))
                })
                .collect::<Result<_, _>>()?,
            ElemItems::Exprs(es) => es
                .iter()
                .map(|e| eval(e, &env).map(|v| v as u64).map_err(internal))
                .collect::<Result<_, _>>()?,
        };
        items.push(refs);
    }
    for (i, (seg, refs)) in info.elements.iter().zip(items).enumerate() {
        match &seg.mode {
            ElemMode::Active { table, offset } => {
                let dst = offset_of(offset)?;
                let table = data
                    .tables
                    .get(*table as usize)
                    .ok_or_else(|| internal(format!("elem {i}: unknown table")))?;
                table
                    .init(dst, &refs, 0, refs.len() as u64)
                    .map_err(|_| Trap::new(TrapCode::TableOutOfBounds))?;
            }
            ElemMode::Passive => {
                if let Some(slot) = data.elems.borrow_mut().get_mut(i) {
                    *slot = Some(refs.into());
                }
            }
            ElemMode::Declared => {}
        }
    }
    for (i, seg) in info.data.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let dst = offset_of(offset)?;
            let memory = data
                .memories
                .get(*memory as usize)
                .ok_or_else(|| internal(format!("data {i}: unknown memory")))?;
            let bytes = module
                .bytes()
                .get(seg.range.clone())
                .ok_or_else(|| internal(format!("data {i}: bad range")))?;
            memory.write(dst, bytes).map_err(|_| Trap::new(TrapCode::MemoryOutOfBounds))?;
            if let Some(dropped) = data.data_dropped.get(i) {
                dropped.set(true);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::vmoffsets::VmContextHeader;

    fn instantiate(store: &mut Store, linker: &Linker, wat: &str) -> (Instance, Rc<InstanceData>) {
        let bytes = wat::parse_str(wat).expect("wat");
        let module = CompiledModule::new(store, &bytes).expect("valid");
        let instance = store.instantiate(&module, linker).expect("instantiates");
        let data = store.instances.last().cloned().expect("registered");
        (instance, data)
    }

    #[test]
    fn the_vm_context_follows_vmoffsets() {
        let mut store = Store::new();
        let (a, a_data) = instantiate(
            &mut store,
            &Linker::new(),
            r#"(module (memory (export "m") 1) (global (export "g") (mut i32) (i32.const 0))
                 (table (export "t") 1 funcref) (func (export "f") (param i32)))"#,
        );
        let mut linker = Linker::new();
        linker.instance("a", &a);
        let (_, b) = instantiate(
            &mut store,
            &linker,
            r#"(module (import "a" "f" (func (param i32))) (import "a" "m" (memory 1))
                 (import "a" "g" (global (mut i32))) (import "a" "t" (table 1 funcref))
                 (type (func (param i32))) (func (type 0)) (global i64 (i64.const 1)))"#,
        );
        let o = VmOffsets::new(b.module.info());
        let ctx = &b.vmctx;
        assert_eq!(std::mem::size_of::<VmContextHeader>(), 40);
        assert_eq!(ctx.get(VmOffsets::instance()), Rc::as_ptr(&b) as u64);
        assert_eq!(ctx.get(VmOffsets::builtins()), builtins::table_addr());
        assert_eq!(ctx.get(VmOffsets::interrupt_flag()), store.interrupt.as_ptr() as u64);
        assert_eq!(ctx.get(VmOffsets::fuel()), store.fuel.as_ptr() as u64);
        // Imported objects are the exporter's records, by pointer.
        assert_eq!(ctx.get(o.memory(0)), a_data.memories[0].record_ptr() as u64);
        assert_eq!(ctx.get(o.global(0)), a_data.globals[0].cell_ptr() as u64);
        assert_eq!(ctx.get(o.table(0)), a_data.tables[0].record_ptr() as u64);
        assert_eq!(ctx.get(o.func_ref(0)), &a_data.func_refs[0] as *const VmFuncRef as u64);
        assert_eq!(ctx.get(o.global(1)), b.globals[1].cell_ptr() as u64);
        // The defined function's record points back at this context.
        let own = &b.func_refs[0];
        assert_eq!(ctx.get(o.func_ref(1)), own as *const VmFuncRef as u64);
        assert_eq!(own.vmctx, ctx.addr());
        assert_eq!(store.funcs[own.func as usize].record, ctx.get(o.func_ref(1)));
        // Structurally equal types share a canonical id across modules.
        assert_eq!(own.type_id, a_data.func_refs[0].type_id);
        assert_eq!(ctx.get(o.type_id(0)), own.type_id);
        assert_ne!(own.type_id, 0);
    }

    #[test]
    fn the_memory_record_tracks_growth() {
        let mut store = Store::new();
        let (inst, data) = instantiate(&mut store, &Linker::new(), r#"(module (memory (export "m") 1))"#);
        let record = data.memories[0].record_ptr();
        let memory = inst.get_memory("m").expect("m");
        memory.grow(&mut store, 2).expect("grow");
        assert_eq!(data.memories[0].record_ptr(), record, "the record never moves");
        assert_eq!(data.memories[0].byte_len(), 3 * 65536);
    }
}
