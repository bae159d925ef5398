//! Handles to the store's functions, memories, tables and globals, and
//! [`Extern`], what imports and exports are made of. A handle is a store id
//! and an index: `Copy`, cheap, and valid as long as its store. Passing a
//! handle (or a reference value) to a store that does not own it panics:
//! the index would otherwise silently name some other object.

use std::rc::Rc;
use std::sync::Arc;

use zerowasm_frontend::{ExternKind, FuncType, GlobalType, MemoryType, TableType};

use crate::error::Error;
use crate::global::GlobalData;
use crate::host::Caller;
use crate::memory::LinearMemory;
use crate::store::{Store, StoreId};
use crate::table::TableData;
use crate::trap::Trap;
use crate::values::Val;

/// A function: a defined function of an instance or a host function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// A linear memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// A table of references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// A global variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

/// Anything an instance can import or export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A memory.
    Memory(Memory),
    /// A table.
    Table(Table),
    /// A global.
    Global(Global),
}

impl Extern {
    /// Which kind of external value this is.
    pub fn kind(&self) -> ExternKind {
        match self {
            Extern::Func(_) => ExternKind::Func,
            Extern::Memory(_) => ExternKind::Memory,
            Extern::Table(_) => ExternKind::Table,
            Extern::Global(_) => ExternKind::Global,
        }
    }

    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self { Some(f) } else { None }
    }

    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self { Some(m) } else { None }
    }

    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self { Some(t) } else { None }
    }

    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self { Some(g) } else { None }
    }

    /// The store the value belongs to.
    pub(crate) fn store(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Memory(m) => m.store,
            Extern::Table(t) => t.store,
            Extern::Global(g) => g.store,
        }
    }
}

macro_rules! into_extern {
    ($($t:ident),*) => {$(
        impl From<$t> for Extern {
            fn from(v: $t) -> Extern {
                Extern::$t(v)
            }
        }
    )*};
}
into_extern!(Func, Memory, Table, Global);

/// Turns a value into raw bits for a slot of type `ty`, or says why it does not fit.
fn raw_of(store: &Store, what: &str, ty: zerowasm_frontend::ValType, v: &Val) -> Result<u128, Error> {
    if v.ty() != ty {
        return Err(Error::TypeMismatch {
            what: what.to_string(),
            expected: ty.to_string(),
            found: v.ty().to_string(),
        });
    }
    Ok(store.val_to_raw(v))
}

impl Func {
    /// Defines a host function with the raw calling convention: `f` gets its
    /// arguments in the slice and leaves its results there (layout in
    /// [`crate::values`]). Reference results are checked before Wasm sees them.
    pub fn new_raw(
        store: &mut Store,
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        store.define_host(ty, Arc::new(f))
    }

    /// The function's type.
    ///
    /// # Panics
    /// If `store` does not own the function (as for every handle method).
    pub fn ty(&self, store: &Store) -> FuncType {
        FuncType::clone(&store.func_entry(*self).ty)
    }

    /// Calls the function; the same as [`Store::call`].
    pub fn call(&self, store: &mut Store, args: &[Val]) -> Result<Vec<Val>, Trap> {
        store.call(*self, args)
    }
}

impl Memory {
    /// A memory created by the host (for instance to import into modules).
    pub fn new(store: &mut Store, ty: MemoryType) -> Result<Memory, Error> {
        let memory = LinearMemory::new(
            ty,
            store.config.memory_reservation,
            store.config.memory_guard,
            store.config.memory_commit_max,
        )?;
        Ok(store.push_memory(Rc::new(memory)))
    }

    fn get<'a>(&self, store: &'a Store) -> &'a Rc<LinearMemory> {
        store.check(self.store);
        &store.memories[self.index as usize]
    }

    /// The type the memory was created with (its size now is [`Memory::size`]).
    pub fn ty(&self, store: &Store) -> MemoryType {
        self.get(store).ty()
    }

    /// Current size in pages.
    pub fn size(&self, store: &Store) -> u64 {
        self.get(store).pages()
    }

    /// Current size in bytes.
    pub fn data_size(&self, store: &Store) -> u64 {
        self.get(store).byte_len()
    }

    /// Grows by `delta` pages and returns the old size in pages; fails beyond
    /// the maximum (declared, or what the store may reserve).
    pub fn grow(&self, store: &mut Store, delta: u64) -> Result<u64, Error> {
        let memory = self.get(store);
        memory.grow(delta).ok_or_else(|| {
            Error::Resource(format!(
                "memory cannot grow by {delta} pages from {} (maximum {} pages)",
                memory.pages(),
                memory.max_pages()
            ))
        })
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, store: &Store, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let memory = self.get(store);
        memory.read(offset, buf).map_err(|_| Error::OutOfBounds {
            what: "memory",
            offset,
            len: buf.len() as u64,
            size: memory.byte_len(),
        })
    }

    /// Copies `data` to `offset`.
    pub fn write(&self, store: &mut Store, offset: u64, data: &[u8]) -> Result<(), Error> {
        let memory = self.get(store);
        memory.write(offset, data).map_err(|_| Error::OutOfBounds {
            what: "memory",
            offset,
            len: data.len() as u64,
            size: memory.byte_len(),
        })
    }

    /// The memory's bytes, for as long as the store is borrowed.
    pub fn data<'a>(&self, store: &'a Store) -> &'a [u8] {
        self.get(store).data(store)
    }

    /// The memory's bytes, mutably, for as long as the store is borrowed.
    pub fn data_mut<'a>(&self, store: &'a mut Store) -> &'a mut [u8] {
        let memory = self.get(store).clone();
        memory.data_mut(store)
    }
}

impl Table {
    /// A table created by the host, every element set to `init`.
    pub fn new(store: &mut Store, ty: TableType, init: Val) -> Result<Table, Error> {
        let raw = raw_of(store, "table element", ty.element.into(), &init)?;
        let table = TableData::new(ty, raw as u64, store.config.max_table_elements)?;
        Ok(store.push_table(Rc::new(table)))
    }

    fn get_data<'a>(&self, store: &'a Store) -> &'a Rc<TableData> {
        store.check(self.store);
        &store.tables[self.index as usize]
    }

    /// The type the table was created with (its size now is [`Table::size`]).
    pub fn ty(&self, store: &Store) -> TableType {
        self.get_data(store).ty()
    }

    /// Current number of elements.
    pub fn size(&self, store: &Store) -> u64 {
        self.get_data(store).size()
    }

    /// Element `index`, or `None` out of bounds.
    pub fn get(&self, store: &Store, index: u64) -> Option<Val> {
        let table = self.get_data(store);
        let raw = table.get(index)?;
        Some(store.raw_to_val(table.ty().element.into(), u128::from(raw)))
    }

    /// Sets element `index`.
    pub fn set(&self, store: &mut Store, index: u64, value: Val) -> Result<(), Error> {
        let table = self.get_data(store);
        let raw = raw_of(store, "table element", table.ty().element.into(), &value)?;
        table.set(index, raw as u64).map_err(|_| Error::OutOfBounds {
            what: "table",
            offset: index,
            len: 1,
            size: table.size(),
        })
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub fn grow(&self, store: &mut Store, delta: u64, init: Val) -> Result<u64, Error> {
        let table = self.get_data(store);
        let raw = raw_of(store, "table element", table.ty().element.into(), &init)?;
        table
            .grow(delta, raw as u64)
            .ok_or_else(|| Error::Resource(format!("table cannot grow by {delta} from {}", table.size())))
    }

    /// Sets `len` elements from `dst` to `value`.
    pub fn fill(&self, store: &mut Store, dst: u64, value: Val, len: u64) -> Result<(), Error> {
        let table = self.get_data(store);
        let raw = raw_of(store, "table element", table.ty().element.into(), &value)?;
        table.fill(dst, raw as u64, len).map_err(|_| Error::OutOfBounds {
            what: "table",
            offset: dst,
            len,
            size: table.size(),
        })
    }
}

impl Global {
    /// A global created by the host.
    pub fn new(store: &mut Store, ty: GlobalType, value: Val) -> Result<Global, Error> {
        let raw = raw_of(store, "global", ty.content, &value)?;
        Ok(store.push_global(Rc::new(GlobalData::new(ty, raw))))
    }

    fn data<'a>(&self, store: &'a Store) -> &'a Rc<GlobalData> {
        store.check(self.store);
        &store.globals[self.index as usize]
    }

    /// Value type and mutability.
    pub fn ty(&self, store: &Store) -> GlobalType {
        self.data(store).ty()
    }

    /// The current value.
    pub fn get(&self, store: &Store) -> Val {
        let global = self.data(store);
        store.raw_to_val(global.ty().content, global.get())
    }

    /// Sets the value: only for a mutable global, with a value of its type.
    pub fn set(&self, store: &mut Store, value: Val) -> Result<(), Error> {
        let global = self.data(store);
        if !global.ty().mutable {
            return Err(Error::ImmutableGlobal);
        }
        let raw = raw_of(store, "global", global.ty().content, &value)?;
        global.set(raw);
        Ok(())
    }
}

impl Store {
    /// Adds a memory and returns its handle.
    pub(crate) fn push_memory(&mut self, memory: Rc<LinearMemory>) -> Memory {
        self.memories.push(memory);
        Memory { store: self.id, index: (self.memories.len() - 1) as u32 }
    }

    /// Adds a table and returns its handle.
    pub(crate) fn push_table(&mut self, table: Rc<TableData>) -> Table {
        self.tables.push(table);
        Table { store: self.id, index: (self.tables.len() - 1) as u32 }
    }

    /// Adds a global and returns its handle.
    pub(crate) fn push_global(&mut self, global: Rc<GlobalData>) -> Global {
        self.globals.push(global);
        Global { store: self.id, index: (self.globals.len() - 1) as u32 }
    }
}
