//! Host functions with the raw calling convention, and the [`Caller`] they get.
//!
//! A raw host function receives its arguments in a `&mut [u64]` and writes its
//! results into the same slice (see [`crate::values`] for the slot layout).
//! Typed host functions (`Fn(i32, i64) -> f32`) are meant to be layered on top
//! later: a generic adapter that reads its parameters from the slots, calls
//! the closure and writes the results back, registered through
//! [`crate::Func::new_raw`] with the `FuncType` derived from its signature.

use std::sync::Arc;

use crate::externals::{Extern, Func, Memory};
use crate::instance::Instance;
use crate::store::Store;
use crate::trap::Trap;
use crate::values::Val;

/// A raw host function as the registry keeps it: `Fn` rather than `FnMut` so
/// it can be cloned out of the store and called while the store is lent to it
/// (re-entrant calls back into Wasm); state goes behind interior mutability.
pub(crate) type HostFn = Arc<dyn Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync>;

/// What a host function sees of its caller: the store (to read memories, call
/// back into Wasm, create values) and the instance whose code made the call.
pub struct Caller<'a> {
    store: &'a mut Store,
    vmctx: u64,
}

impl<'a> Caller<'a> {
    /// A caller for the instance with VM context `vmctx` (0: the embedder).
    pub(crate) fn new(store: &'a mut Store, vmctx: u64) -> Caller<'a> {
        Caller { store, vmctx }
    }

    /// A shorter-lived caller over the same store, so a typed host function
    /// can take its `Caller` by value while the adapter keeps its own.
    pub fn reborrow(&mut self) -> Caller<'_> {
        Caller { store: self.store, vmctx: self.vmctx }
    }

    /// The store, to pass to handle methods such as [`Memory::read`].
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// The store, shared.
    pub fn store_ref(&self) -> &Store {
        self.store
    }

    /// The calling instance; `None` when the embedder called the function
    /// directly. During instantiation (an imported start function) it is the
    /// instance being created.
    pub fn instance(&self) -> Option<Instance> {
        let &index = self.store.vmctx_instances.get(&self.vmctx)?;
        self.store.instances.get(index as usize).map(|data| data.handle(self.store.id, index))
    }

    /// An export of the calling instance, looked up by name.
    pub fn export(&self, name: &str) -> Option<Extern> {
        self.instance()?.export(name)
    }

    /// Memory `index` of the calling instance, exported or not: WASI-style
    /// host functions address "the caller's memory" this way.
    pub fn memory(&self, index: u32) -> Option<Memory> {
        let &instance = self.store.vmctx_instances.get(&self.vmctx)?;
        self.store.instances.get(instance as usize)?.memory_handle(index)
    }

    /// Memory 0 of the calling instance as a [`crate::MemoryView`], for
    /// reading arguments passed by pointer and writing results back.
    pub fn memory_view(&mut self) -> Option<crate::MemoryView<'_>> {
        let memory = self.memory(0)?;
        Some(crate::MemoryView::new(self.store, memory))
    }

    /// Calls `func` (re-entering Wasm if it is a Wasm function).
    pub fn call(&mut self, func: Func, args: &[Val]) -> Result<Vec<Val>, Trap> {
        self.store.call(func, args)
    }
}
