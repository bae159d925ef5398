//! Builtin calls (through the VM context's builtin table, with the uniform
//! [`BuiltinFn`] ABI) and the helpers the call/return paths share.

use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::TrapCode;

use super::memory::{Regs, read_u64};
use super::run::Exit;
use crate::code::Slot;
use crate::env::{BuiltinFn, trap_code_from_status};
use crate::func::InterpFunc;

/// Arguments and results of most builtins fit here without allocating.
const INLINE_CELLS: usize = 8;

/// Calls `func.builtins[desc]`: reads `vmctx` (its first argument), finds the
/// function pointer at `builtins[index]` of that VM context, passes the other
/// arguments in a cell buffer and writes the results back (i32/f32 narrowed).
pub(crate) fn call_builtin(func: &InterpFunc, desc: u32, r: Regs<'_>) -> Result<(), Exit> {
    let Some(d) = func.builtins.get(desc as usize) else {
        return Err(Exit::Internal("builtin descriptor out of range"));
    };
    let Some((&vmctx_cell, args)) = d.args.split_first() else {
        return Err(Exit::Internal("builtin call without vmctx"));
    };
    let vmctx = r.get(Slot(vmctx_cell));
    let table = read_u64(vmctx.wrapping_add(u64::from(VmOffsets::builtins())));
    if table == 0 {
        return Err(Exit::Internal("the VM context has no builtin table"));
    }
    let entry = read_u64(table.wrapping_add(8 * u64::from(d.index)));
    if entry == 0 {
        return Err(Exit::Internal("builtin table entry is null"));
    }
    let n = args.len().max(d.results.len());
    let mut inline = [0u64; INLINE_CELLS];
    let mut heap = Vec::new();
    let buf: &mut [u64] = if n <= INLINE_CELLS {
        &mut inline[..n]
    } else {
        heap.resize(n, 0);
        &mut heap
    };
    for (b, &c) in buf.iter_mut().zip(args) {
        *b = r.get(Slot(c));
    }
    // SAFETY: the runtime fills the builtin table of every VM context it builds
    // with `BuiltinFn` pointers (`VmContextHeader::builtins`, `Builtin::COUNT`
    // entries; `index` was checked against `Builtin::COUNT` at translation), and
    // a non-null entry is such a pointer.
    let f: BuiltinFn = unsafe { std::mem::transmute::<usize, BuiltinFn>(entry as usize) };
    // SAFETY: the ABI of every builtin: the caller's VM context and a buffer
    // holding the arguments, large enough for the results.
    let status = unsafe { f(vmctx as usize as *mut u8, buf.as_mut_ptr()) };
    if status != 0 {
        return Err(match trap_code_from_status(status) {
            Some(code) => Exit::Trap(code),
            None => Exit::Internal("builtin returned an unknown status"),
        });
    }
    for ((&c, &narrow), &v) in d.results.iter().zip(&d.narrow).zip(buf.iter()) {
        r.set(Slot(c), if narrow { v & 0xffff_ffff } else { v });
    }
    Ok(())
}

/// The `(handle, callee vmctx)` of imported function `funcidx`, read from the
/// caller's VM context (`func_refs[funcidx]`).
pub(crate) fn import_target(offsets: &VmOffsets, vmctx: u64, funcidx: u32) -> Option<(u64, u64)> {
    let func_ref = read_u64(vmctx.wrapping_add(u64::from(offsets.func_ref(funcidx))));
    if func_ref == 0 {
        return None;
    }
    let handle = read_u64(func_ref.wrapping_add(u64::from(VmOffsets::func_ref_func())));
    let callee_vmctx = read_u64(func_ref.wrapping_add(u64::from(VmOffsets::func_ref_vmctx())));
    Some((handle, callee_vmctx))
}

/// The trap for a call to a handle the runtime does not know.
pub(crate) const UNKNOWN_CALLEE: TrapCode = TrapCode::UninitializedElement;
