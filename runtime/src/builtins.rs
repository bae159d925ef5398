//! The builtin table: one `extern "C"` function per [`Builtin`], in `Builtin`
//! order, with the uniform ABI `fn(vmctx, args_results) -> status`
//! ([`BuiltinFn`]). Each finds its instance through
//! `VmContextHeader::instance`, reads its arguments (after `vmctx`) from
//! `args_results`, writes its results back there, and returns 0 or the status
//! of the [`TrapCode`] it raises ([`status_from_trap_code`]).
//!
//! The operations themselves are safe methods on [`InstanceData`]; the only
//! `unsafe` is turning the two raw pointers into references (in [`enter`]).

use zerowasm_frontend::builtins::Builtin;
use zerowasm_frontend::vmoffsets::{VmFuncRef, VmOffsets};
use zerowasm_interp::env::{BuiltinFn, status_from_trap_code};
use zerowasm_ssa::TrapCode;

use crate::instance::InstanceData;
use crate::memory::LinearMemory;
use crate::table::TableData;

/// The table every VM context's `builtins` slot points at.
static BUILTINS: [BuiltinFn; Builtin::COUNT] = {
    let mut table: [BuiltinFn; Builtin::COUNT] = [memory_grow; Builtin::COUNT];
    let mut i = 0;
    while i < Builtin::COUNT {
        table[i] = entry(Builtin::ALL[i]);
        i += 1;
    }
    table
};

/// The implementation of `b`; exhaustive, so a new builtin cannot be forgotten.
const fn entry(b: Builtin) -> BuiltinFn {
    match b {
        Builtin::MemoryGrow => memory_grow,
        Builtin::MemoryFill => memory_fill,
        Builtin::MemoryCopy => memory_copy,
        Builtin::MemoryInit => memory_init,
        Builtin::DataDrop => data_drop,
        Builtin::TableGrow => table_grow,
        Builtin::TableFill => table_fill,
        Builtin::TableCopy => table_copy,
        Builtin::TableInit => table_init,
        Builtin::ElemDrop => elem_drop,
        Builtin::ListenerArg => listener_arg,
        Builtin::ListenerEnter => listener_enter,
        Builtin::ListenerExit => listener_exit,
    }
}

/// Address of the builtin table, for `VmContextHeader::builtins`.
pub(crate) fn table_addr() -> u64 {
    BUILTINS.as_ptr() as u64
}

/// The builtin at table position `b` (for tests and host-side callers).
#[cfg(test)]
pub(crate) fn get(b: Builtin) -> BuiltinFn {
    BUILTINS[b as usize]
}

/// Status word of a builtin that completed.
const OK: u32 = 0;

fn status(result: Result<(), TrapCode>) -> u32 {
    match result {
        Ok(()) => OK,
        Err(code) => status_from_trap_code(code),
    }
}

/// Resolves a builtin's raw arguments.
///
/// # Safety
/// `vmctx` must be the VM context of a live instance built by this crate, and
/// `args_results` must point at `N` writable u64 slots not otherwise borrowed
/// for the duration of the call (the builtin calling convention: the engine
/// passes its argument buffer, sized for the builtin's signature).
unsafe fn enter<'a, const N: usize>(
    vmctx: *mut u8,
    args_results: *mut u64,
) -> Option<(&'a InstanceData, &'a mut [u64; N])> {
    if vmctx.is_null() || args_results.is_null() {
        return None;
    }
    // SAFETY: per the contract `vmctx` is a VM context from `VmContext`, at
    // least a header long and 8-aligned; slot `VmOffsets::instance()` holds
    // `Rc::as_ptr` of the `InstanceData` that owns this very context, so it
    // is alive while the context is. The data is only ever shared (its mutable
    // parts are Cells/RefCells), so a shared reference is sound.
    let instance = unsafe {
        let slot = vmctx.add(VmOffsets::instance() as usize).cast::<u64>();
        &*(slot.read() as *const InstanceData)
    };
    // SAFETY: per the contract `args_results` points at N exclusive u64 slots.
    let args = unsafe { &mut *args_results.cast::<[u64; N]>() };
    Some((instance, args))
}

/// An i32 argument (engines may pass it zero- or sign-extended).
fn arg32(v: u64) -> u64 {
    u64::from(v as u32)
}

impl InstanceData {
    fn memory(&self, index: u64) -> Result<&LinearMemory, TrapCode> {
        self.memories.get(index as usize).map(|m| &**m).ok_or(TrapCode::MemoryOutOfBounds)
    }

    fn table(&self, index: u64) -> Result<&TableData, TrapCode> {
        self.tables.get(index as usize).map(|t| &**t).ok_or(TrapCode::TableOutOfBounds)
    }

    /// `memory.grow`: old size in pages, or -1 (as u32).
    pub(crate) fn memory_grow(&self, mem: u64, delta: u64) -> u32 {
        self.memory(mem).ok().and_then(|m| m.grow(delta)).map_or(u32::MAX, |old| old as u32)
    }

    pub(crate) fn memory_fill(&self, mem: u64, dst: u64, byte: u64, len: u64) -> Result<(), TrapCode> {
        let oob = |_| TrapCode::MemoryOutOfBounds;
        self.memory(mem)?.fill(dst, byte as u8, len).map_err(oob)
    }

    pub(crate) fn memory_copy(
        &self,
        dst_mem: u64,
        src_mem: u64,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let oob = |_| TrapCode::MemoryOutOfBounds;
        self.memory(dst_mem)?.copy_from(self.memory(src_mem)?, dst, src, len).map_err(oob)
    }

    pub(crate) fn memory_init(
        &self,
        mem: u64,
        seg: u64,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let oob = TrapCode::MemoryOutOfBounds;
        let memory = self.memory(mem)?;
        let i = seg as usize;
        let info = self.module.info();
        let segment = info.data.get(i).ok_or(oob)?;
        let dropped = self.data_dropped.get(i).is_none_or(|d| d.get());
        let bytes =
            if dropped { &[][..] } else { self.module.bytes().get(segment.range.clone()).ok_or(oob)? };
        let end = src.checked_add(len).filter(|&e| e <= bytes.len() as u64).ok_or(oob)?;
        let part = bytes.get(src as usize..end as usize).ok_or(oob)?;
        memory.write(dst, part).map_err(|_| oob)
    }

    pub(crate) fn data_drop(&self, seg: u64) {
        if let Some(d) = self.data_dropped.get(seg as usize) {
            d.set(true);
        }
    }

    /// `table.grow`: old size, or -1 (as u32).
    pub(crate) fn table_grow(&self, table: u64, init: u64, delta: u64) -> u32 {
        self.table(table).ok().and_then(|t| t.grow(delta, init)).map_or(u32::MAX, |old| old as u32)
    }

    pub(crate) fn table_fill(&self, table: u64, dst: u64, value: u64, len: u64) -> Result<(), TrapCode> {
        let oob = |_| TrapCode::TableOutOfBounds;
        self.table(table)?.fill(dst, value, len).map_err(oob)
    }

    pub(crate) fn table_copy(
        &self,
        dst_t: u64,
        src_t: u64,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let oob = |_| TrapCode::TableOutOfBounds;
        self.table(dst_t)?.copy_from(self.table(src_t)?, dst, src, len).map_err(oob)
    }

    pub(crate) fn table_init(
        &self,
        table: u64,
        seg: u64,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let oob = TrapCode::TableOutOfBounds;
        let table = self.table(table)?;
        let elems = self.elems.try_borrow().map_err(|_| oob)?;
        if seg as usize >= elems.len() {
            return Err(oob);
        }
        let items = elems.get(seg as usize).and_then(|s| s.as_deref()).unwrap_or(&[]);
        table.init(dst, items, src, len).map_err(|_| oob)
    }

    pub(crate) fn elem_drop(&self, seg: u64) {
        if let Ok(mut elems) = self.elems.try_borrow_mut()
            && let Some(slot) = elems.get_mut(seg as usize)
        {
            *slot = None;
        }
    }
}

/// Bails out of a builtin with a trap status when its pointers are null.
macro_rules! enter_or_trap {
    ($n:literal, $vmctx:ident, $args:ident, $code:expr) => {
        // SAFETY: engines call builtins with their instance's VM context and an
        // argument buffer of the builtin's arity (see `enter`).
        match unsafe { enter::<$n>($vmctx, $args) } {
            Some(pair) => pair,
            None => return status_from_trap_code($code),
        }
    };
}

/// `memory.grow`: (memidx, delta) -> old pages or -1.
unsafe extern "C" fn memory_grow(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(2, vmctx, args_results, TrapCode::MemoryOutOfBounds);
    a[0] = u64::from(inst.memory_grow(arg32(a[0]), arg32(a[1])));
    OK
}

/// `memory.fill`: (memidx, dst, byte, len).
unsafe extern "C" fn memory_fill(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(4, vmctx, args_results, TrapCode::MemoryOutOfBounds);
    status(inst.memory_fill(arg32(a[0]), arg32(a[1]), arg32(a[2]), arg32(a[3])))
}

/// `memory.copy`: (dst memidx, src memidx, dst, src, len).
unsafe extern "C" fn memory_copy(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(5, vmctx, args_results, TrapCode::MemoryOutOfBounds);
    status(inst.memory_copy(arg32(a[0]), arg32(a[1]), arg32(a[2]), arg32(a[3]), arg32(a[4])))
}

/// `memory.init`: (memidx, dataidx, dst, src, len).
unsafe extern "C" fn memory_init(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(5, vmctx, args_results, TrapCode::MemoryOutOfBounds);
    status(inst.memory_init(arg32(a[0]), arg32(a[1]), arg32(a[2]), arg32(a[3]), arg32(a[4])))
}

/// `data.drop`: (dataidx).
unsafe extern "C" fn data_drop(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(1, vmctx, args_results, TrapCode::MemoryOutOfBounds);
    inst.data_drop(arg32(a[0]));
    OK
}

/// `table.grow`: (tableidx, init ref, delta) -> old size or -1.
unsafe extern "C" fn table_grow(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(3, vmctx, args_results, TrapCode::TableOutOfBounds);
    a[0] = u64::from(inst.table_grow(arg32(a[0]), a[1], arg32(a[2])));
    OK
}

/// `table.fill`: (tableidx, dst, ref, len).
unsafe extern "C" fn table_fill(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(4, vmctx, args_results, TrapCode::TableOutOfBounds);
    status(inst.table_fill(arg32(a[0]), arg32(a[1]), a[2], arg32(a[3])))
}

/// `table.copy`: (dst tableidx, src tableidx, dst, src, len).
unsafe extern "C" fn table_copy(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(5, vmctx, args_results, TrapCode::TableOutOfBounds);
    status(inst.table_copy(arg32(a[0]), arg32(a[1]), arg32(a[2]), arg32(a[3]), arg32(a[4])))
}

/// `table.init`: (tableidx, elemidx, dst, src, len).
unsafe extern "C" fn table_init(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(5, vmctx, args_results, TrapCode::TableOutOfBounds);
    status(inst.table_init(arg32(a[0]), arg32(a[1]), arg32(a[2]), arg32(a[3]), arg32(a[4])))
}

/// `elem.drop`: (elemidx).
unsafe extern "C" fn elem_drop(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(1, vmctx, args_results, TrapCode::TableOutOfBounds);
    inst.elem_drop(arg32(a[0]));
    OK
}

/// `listener_arg`: (slot, bits) staged for the next enter or exit.
unsafe extern "C" fn listener_arg(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(2, vmctx, args_results, TrapCode::Unreachable);
    if let Some(listener) = &inst.listener {
        listener.stage(arg32(a[0]), a[1]);
    }
    OK
}

/// `listener_enter`: (funcidx) reports the staged parameters.
unsafe extern "C" fn listener_enter(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(1, vmctx, args_results, TrapCode::Unreachable);
    listener_report(inst, arg32(a[0]), false)
}

/// `listener_exit`: (funcidx) reports the staged results.
unsafe extern "C" fn listener_exit(vmctx: *mut u8, args_results: *mut u64) -> u32 {
    let (inst, a) = enter_or_trap!(1, vmctx, args_results, TrapCode::Unreachable);
    listener_report(inst, arg32(a[0]), true)
}

/// Reports to the instance's listener, if it has one. A listener that
/// panicked makes the call trap; the store then resumes the panic, so the
/// trap code never shows.
fn listener_report(inst: &InstanceData, funcidx: u64, exit: bool) -> u32 {
    match &inst.listener {
        Some(listener) if !listener.report(funcidx, exit, funcref_handle) => {
            status_from_trap_code(TrapCode::Unreachable)
        }
        _ => OK,
    }
}

/// The registry handle of the function a non-null funcref value designates.
fn funcref_handle(funcref: u64) -> Option<u32> {
    if funcref == 0 || !funcref.is_multiple_of(8) {
        return None;
    }
    // SAFETY: a funcref value Wasm holds is 0 or the address of a `VmFuncRef`
    // the store owns for its whole life (an instance's `func_refs` or a host
    // entry's record): the store checks reference bits that come from the
    // host, and engines read these records unchecked for `call_indirect`. The
    // store outlives the running code, and records are never written after
    // instantiation, so a shared read is sound. Every record the runtime
    // builds holds the registry handle in `func`.
    let record = unsafe { &*(funcref as usize as *const VmFuncRef) };
    u32::try_from(record.func).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_builtin_order() {
        assert_eq!(BUILTINS.len(), Builtin::COUNT);
        for &b in Builtin::ALL {
            assert!(std::ptr::fn_addr_eq(BUILTINS[b as usize], entry(b)), "{}", b.name());
        }
        // The arity each implementation reads matches the signature.
        for &b in Builtin::ALL {
            let (params, results) = b.signature();
            assert!(params.len() >= results.len(), "{}", b.name());
        }
    }

    #[test]
    fn null_pointers_trap_instead_of_crashing() {
        let f = get(Builtin::MemoryFill);
        // SAFETY: the builtin checks for null before dereferencing anything.
        let status = unsafe { f(std::ptr::null_mut(), std::ptr::null_mut()) };
        assert_eq!(status, status_from_trap_code(TrapCode::MemoryOutOfBounds));
    }
}

#[cfg(test)]
mod instance_tests {
    use std::rc::Rc;

    use super::*;
    use crate::{CompiledModule, CoreFeatures, Linker, Store, StoreConfig};

    fn instantiate(wat: &str) -> (Store, Rc<InstanceData>) {
        let features = CoreFeatures::default() | CoreFeatures::MULTI_MEMORY;
        let mut store = Store::with_config(StoreConfig { features, ..StoreConfig::default() });
        let bytes = wat::parse_str(wat).expect("wat");
        let module = CompiledModule::new(&store, &bytes).expect("valid");
        store.instantiate(&module, &Linker::new()).expect("instantiates");
        let data = store.instances.last().cloned().expect("registered");
        (store, data)
    }

    /// Calls builtin `b` the way an engine does; returns the status and the slots.
    fn call(inst: &InstanceData, b: Builtin, args: &[u64]) -> (u32, Vec<u64>) {
        let mut buf = args.to_vec();
        assert_eq!(buf.len(), b.signature().0.len(), "{}", b.name());
        // SAFETY: a live instance's VM context and a buffer of the builtin's arity.
        let status = unsafe { get(b)(inst.vmctx.as_ptr(), buf.as_mut_ptr()) };
        (status, buf)
    }

    fn bytes(inst: &InstanceData, at: u64, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        inst.memories[0].read(at, &mut buf).expect("in bounds");
        buf
    }

    fn mem_oob() -> u32 {
        status_from_trap_code(TrapCode::MemoryOutOfBounds)
    }

    fn table_oob() -> u32 {
        status_from_trap_code(TrapCode::TableOutOfBounds)
    }

    #[test]
    fn memory_builtins() {
        let (_store, inst) = instantiate(
            r#"(module (memory 1 3) (memory 1) (data "hello") (data (memory 1) (i32.const 0) "active"))"#,
        );
        assert_eq!(call(&inst, Builtin::MemoryGrow, &[0, 1]), (OK, vec![1, 1]));
        assert_eq!(call(&inst, Builtin::MemoryGrow, &[0, 5]).1[0], u64::from(u32::MAX));
        assert_eq!(inst.memories[0].pages(), 2);
        // memory.init from the passive segment, then out of bounds on either side.
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 0, 10, 1, 3]).0, OK);
        assert_eq!(bytes(&inst, 10, 3), b"ell");
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 0, 0, 3, 3]).0, mem_oob());
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 0, 131070, 0, 3]).0, mem_oob());
        // An active segment is dropped after instantiation: only length 0 works.
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 1, 0, 0, 1]).0, mem_oob());
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 1, 0, 0, 0]).0, OK);
        assert_eq!(call(&inst, Builtin::DataDrop, &[0]).0, OK);
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 0, 0, 0, 1]).0, mem_oob());
        assert_eq!(call(&inst, Builtin::MemoryInit, &[0, 0, 0, 0, 0]).0, OK);
        // fill and copy, within and across memories.
        assert_eq!(call(&inst, Builtin::MemoryFill, &[0, 20, 0x61, 4]).0, OK);
        assert_eq!(bytes(&inst, 20, 5), b"aaaa\0");
        assert_eq!(call(&inst, Builtin::MemoryFill, &[0, 131070, 0, 3]).0, mem_oob());
        assert_eq!(call(&inst, Builtin::MemoryCopy, &[0, 0, 21, 10, 3]).0, OK);
        assert_eq!(bytes(&inst, 20, 5), b"aell\0");
        assert_eq!(call(&inst, Builtin::MemoryCopy, &[0, 1, 30, 0, 6]).0, OK);
        assert_eq!(bytes(&inst, 30, 6), b"active");
        assert_eq!(call(&inst, Builtin::MemoryCopy, &[1, 0, 65535, 0, 2]).0, mem_oob());
        // i32 arguments may arrive sign-extended.
        assert_eq!(call(&inst, Builtin::MemoryFill, &[0, u64::MAX, 0, 1]).0, mem_oob());
    }

    #[test]
    fn table_builtins() {
        let (store, inst) = instantiate(
            r#"(module (table 2 5 funcref) (table 1 externref) (func $a) (func $b)
                 (elem $p func $a $b) (elem $d declare func $a) (elem (i32.const 0) $b))"#,
        );
        let funcref = |i: usize| store.funcs[store.funcs.len() - 2 + i].record;
        let t = &inst.tables[0];
        assert_eq!(t.get(0), Some(funcref(1)), "the active segment applied");
        assert_eq!(call(&inst, Builtin::TableGrow, &[0, funcref(0), 2]), (OK, vec![2, funcref(0), 2]));
        assert_eq!(call(&inst, Builtin::TableGrow, &[0, 0, 2]).1[0], u64::from(u32::MAX));
        assert_eq!(t.size(), 4);
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 0, 1, 0, 2]).0, OK);
        assert_eq!((t.get(1), t.get(2)), (Some(funcref(0)), Some(funcref(1))));
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 0, 3, 0, 2]).0, table_oob());
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 0, 0, 1, 2]).0, table_oob());
        // Declarative and active segments are dropped at instantiation.
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 1, 0, 0, 1]).0, table_oob());
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 2, 0, 0, 0]).0, OK);
        assert_eq!(call(&inst, Builtin::ElemDrop, &[0]).0, OK);
        assert_eq!(call(&inst, Builtin::TableInit, &[0, 0, 0, 0, 1]).0, table_oob());
        assert_eq!(call(&inst, Builtin::TableFill, &[0, 1, 0, 3]).0, OK);
        assert_eq!((t.get(0), t.get(3)), (Some(funcref(1)), Some(0)));
        assert_eq!(call(&inst, Builtin::TableFill, &[0, 2, 0, 3]).0, table_oob());
        assert_eq!(call(&inst, Builtin::TableCopy, &[0, 0, 1, 0, 3]).0, OK);
        assert_eq!(t.get(1), Some(funcref(1)));
        assert_eq!(call(&inst, Builtin::TableCopy, &[1, 0, 0, 0, 2]).0, table_oob());
        assert_eq!(call(&inst, Builtin::TableGrow, &[1, 9, 1]).1[0], 1);
        assert_eq!(inst.tables[1].get(1), Some(9));
    }
}
