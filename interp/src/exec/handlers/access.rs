//! Handlers of memory accesses: raw loads and stores at addresses the IR
//! computed (VM-context records, or linear-memory addresses it checked), the
//! fused bounds-checked linear-memory accesses, and the VM-context field
//! accesses.

use super::control::table_target;
use super::{handlers, mem};
use crate::code::{Addend, Index, Scaled, Slot, VmOff};
use crate::exec::memory::{Regs, load, read_u64, store};
use crate::exec::run::Exit;
use crate::exec::simd;
use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::{TrapCode, Type};

#[inline(always)]
fn ea(r: Regs<'_>, addr: Slot, offset: u32) -> u64 {
    r.get(addr).wrapping_add(u64::from(offset))
}

#[inline(always)]
fn ld1(p: u64) -> u8 {
    load::<1>(p)[0]
}
#[inline(always)]
fn ld2(p: u64) -> u16 {
    u16::from_le_bytes(load(p))
}
#[inline(always)]
fn ld4(p: u64) -> u32 {
    u32::from_le_bytes(load(p))
}
#[inline(always)]
fn ld8(p: u64) -> u64 {
    u64::from_le_bytes(load(p))
}

/// The checked address of a fused scalar or plain v128 access: `index + add` (in 32 bits, as
/// the folded `i32.add` computed it) plus `offset`, `size` bytes, in the
/// memory at `heap` of `length` bytes.
#[inline(always)]
fn at(
    r: Regs<'_>,
    heap: u64,
    length: u64,
    index: Slot,
    add: Addend,
    offset: u32,
    size: u64,
) -> Result<u64, Exit> {
    mem(heap, length, (r.get(index) as u32).wrapping_add(add.0 as u32), offset, size)
}

/// The checked address of a fused array access: `base + (index << SHIFT) + add`
/// in 32 bits (as the folded `i32.shl`/`i32.add`s computed it) plus `offset`,
/// `size` bytes, in the memory at `heap` of `length` bytes.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn at_x<const SHIFT: u8>(
    r: Regs<'_>,
    heap: u64,
    length: u64,
    base: Slot,
    index: Scaled<SHIFT>,
    add: Addend,
    offset: u32,
    size: u64,
) -> Result<u64, Exit> {
    let i = (r.get(base) as u32).wrapping_add((r.get(index.0) as u32) << SHIFT).wrapping_add(add.0 as u32);
    mem(heap, length, i, offset, size)
}

/// The checked address of a fused static-array access: `(index << SHIFT) + add`
/// in 32 bits plus `offset`, `size` bytes, in the memory at `heap` of `length` bytes.
#[inline(always)]
fn at_scaled<const SHIFT: u8>(
    r: Regs<'_>,
    heap: u64,
    length: u64,
    index: Index<SHIFT>,
    add: Addend,
    offset: u32,
    size: u64,
) -> Result<u64, Exit> {
    mem(heap, length, ((r.get(index.0) as u32) << SHIFT).wrapping_add(add.0 as u32), offset, size)
}

/// The handle and VM context of the function at `index` of the table whose
/// `VmTable` pointer is at `table` in the VM context, with the lowering's
/// three checks of a `call_indirect` (index in bounds, element not null,
/// type id equal to the one at `sig` in the VM context).
#[inline(always)]
pub(super) fn table_func(vm: u64, table: VmOff, index: u32, sig: VmOff) -> Result<(u64, u64), Exit> {
    let t = read_u64(vm.wrapping_add(u64::from(table.0)));
    if u64::from(index) >= read_u64(t.wrapping_add(u64::from(VmOffsets::table_length()))) {
        Err(Exit::Trap(TrapCode::UndefinedElement))?
    }
    let base = read_u64(t.wrapping_add(u64::from(VmOffsets::table_base())));
    let f = read_u64(base.wrapping_add(u64::from(index) * 8));
    if f == 0 {
        Err(Exit::Trap(TrapCode::UninitializedElement))?
    }
    let expected = read_u64(vm.wrapping_add(u64::from(sig.0)));
    if read_u64(f.wrapping_add(u64::from(VmOffsets::func_ref_type_id()))) != expected {
        Err(Exit::Trap(TrapCode::IndirectCallTypeMismatch))?
    }
    let handle = read_u64(f.wrapping_add(u64::from(VmOffsets::func_ref_func())));
    Ok((handle, read_u64(f.wrapping_add(u64::from(VmOffsets::func_ref_vmctx())))))
}

/// `*(vmctx + field) + offset`.
#[inline(always)]
fn vm_ptr(vmctx: u64, field: VmOff, offset: u32) -> u64 {
    read_u64(vmctx.wrapping_add(u64::from(field.0))).wrapping_add(u64::from(offset))
}

handlers! { |pc, r, vm, heap, code, cx|
    BrTableLoad32X { base, index, offset, table } => {
        let opcode = ld4(at_x(r, heap, cx.heap_len, base, index, Addend(0), offset, 4)?);
        pc = table_target(cx, code, table, opcode)?;
    };
    BrTableAddLoad32Scaled { index, add, bradd, table } => {
        let case = ld4(at_scaled(r, heap, cx.heap_len, index, add, 0, 4)?);
        pc = table_target(cx, code, table, case.wrapping_add(bradd as u32))?;
    };
    Load8U { dst, addr, offset } => r.set(dst, u64::from(ld1(ea(r, addr, offset))));
    Load8S32 { dst, addr, offset } => r.set_i32(dst, i32::from(ld1(ea(r, addr, offset)) as i8));
    Load8S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld1(ea(r, addr, offset)) as i8));
    Load16U { dst, addr, offset } => r.set(dst, u64::from(ld2(ea(r, addr, offset))));
    Load16S32 { dst, addr, offset } => r.set_i32(dst, i32::from(ld2(ea(r, addr, offset)) as i16));
    Load16S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld2(ea(r, addr, offset)) as i16));
    Load32 { dst, addr, offset } => r.set(dst, u64::from(ld4(ea(r, addr, offset))));
    Load32S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld4(ea(r, addr, offset)) as i32));
    Load64 { dst, addr, offset } => r.set(dst, ld8(ea(r, addr, offset)));
    LoadV { dst, addr, offset, kind } => r.set_v128(dst, simd::load_v128(kind, ea(r, addr, offset)));
    LoadLane { dst, addr, vec, offset, shape, lane } => {
        r.set_v128(dst, simd::load_lane(shape, r.v128(vec), lane, ea(r, addr, offset)))
    };
    Store8 { addr, value, offset } => store(ea(r, addr, offset), [r.get(value) as u8]);
    Store16 { addr, value, offset } => store(ea(r, addr, offset), (r.get(value) as u16).to_le_bytes());
    Store32 { addr, value, offset } => store(ea(r, addr, offset), (r.get(value) as u32).to_le_bytes());
    Store64 { addr, value, offset } => store(ea(r, addr, offset), r.get(value).to_le_bytes());
    StoreV { addr, value, offset } => store(ea(r, addr, offset), r.v128(value).to_le_bytes());
    StoreLane { addr, vec, offset, shape, lane } => {
        simd::store_lane(shape, r.v128(vec), lane, ea(r, addr, offset))
    };

    MemLoad8U { dst, memory, index, add, offset } => {
        r.set(dst, u64::from(ld1(at(r, heap, cx.heap_len, index, add, offset, 1)?)))
    };
    MemLoad8S32 { dst, memory, index, add, offset } => {
        r.set_i32(dst, i32::from(ld1(at(r, heap, cx.heap_len, index, add, offset, 1)?) as i8))
    };
    MemLoad8S64 { dst, memory, index, add, offset } => {
        r.set_i64(dst, i64::from(ld1(at(r, heap, cx.heap_len, index, add, offset, 1)?) as i8))
    };
    MemLoad16U { dst, memory, index, add, offset } => {
        r.set(dst, u64::from(ld2(at(r, heap, cx.heap_len, index, add, offset, 2)?)))
    };
    MemLoad16S32 { dst, memory, index, add, offset } => {
        r.set_i32(dst, i32::from(ld2(at(r, heap, cx.heap_len, index, add, offset, 2)?) as i16))
    };
    MemLoad16S64 { dst, memory, index, add, offset } => {
        r.set_i64(dst, i64::from(ld2(at(r, heap, cx.heap_len, index, add, offset, 2)?) as i16))
    };
    MemLoad32 { dst, memory, index, add, offset } => {
        r.set(dst, u64::from(ld4(at(r, heap, cx.heap_len, index, add, offset, 4)?)))
    };
    MemLoad32S64 { dst, memory, index, add, offset } => {
        r.set_i64(dst, i64::from(ld4(at(r, heap, cx.heap_len, index, add, offset, 4)?) as i32))
    };
    MemLoad64 { dst, memory, index, add, offset } => r.set(dst, ld8(at(r, heap, cx.heap_len, index, add, offset, 8)?));
    MemLoadV { dst, memory, index, add, offset } => {
        r.set_v128(dst, u128::from_le_bytes(load(at(r, heap, cx.heap_len, index, add, offset, 16)?)))
    };
    MemLoadVExt { dst, memory, index, offset, kind } => {
        let size = u64::from(kind.access_bytes(Type::V128));
        r.set_v128(dst, simd::load_v128(kind, mem(heap, cx.heap_len, r.get(index) as u32, offset, size)?))
    };
    MemLoadLane { dst, memory, index, vec, offset, shape, lane } => {
        let p = mem(heap, cx.heap_len, r.get(index) as u32, offset, 16 / u64::from(shape.lanes()))?;
        r.set_v128(dst, simd::load_lane(shape, r.v128(vec), lane, p))
    };
    MemStore8 { memory, index, add, value, offset } => {
        store(at(r, heap, cx.heap_len, index, add, offset, 1)?, [r.get(value) as u8])
    };
    MemStore16 { memory, index, add, value, offset } => {
        store(at(r, heap, cx.heap_len, index, add, offset, 2)?, (r.get(value) as u16).to_le_bytes())
    };
    MemStore32 { memory, index, add, value, offset } => {
        store(at(r, heap, cx.heap_len, index, add, offset, 4)?, (r.get(value) as u32).to_le_bytes())
    };
    MemStore64 { memory, index, add, value, offset } => {
        store(at(r, heap, cx.heap_len, index, add, offset, 8)?, r.get(value).to_le_bytes())
    };
    MemStoreV { memory, index, add, value, offset } => {
        store(at(r, heap, cx.heap_len, index, add, offset, 16)?, r.v128(value).to_le_bytes())
    };
    MemStoreLane { memory, index, vec, offset, shape, lane } => {
        let p = mem(heap, cx.heap_len, r.get(index) as u32, offset, 16 / u64::from(shape.lanes()))?;
        simd::store_lane(shape, r.v128(vec), lane, p)
    };

    MemLoad8UAt { dst, memory, addr } => r.set(dst, u64::from(ld1(mem(heap, cx.heap_len, addr.0, 0, 1)?)));
    MemLoad8S32At { dst, memory, addr } => {
        r.set_i32(dst, i32::from(ld1(mem(heap, cx.heap_len, addr.0, 0, 1)?) as i8))
    };
    MemLoad8S64At { dst, memory, addr } => {
        r.set_i64(dst, i64::from(ld1(mem(heap, cx.heap_len, addr.0, 0, 1)?) as i8))
    };
    MemLoad16UAt { dst, memory, addr } => r.set(dst, u64::from(ld2(mem(heap, cx.heap_len, addr.0, 0, 2)?)));
    MemLoad16S32At { dst, memory, addr } => {
        r.set_i32(dst, i32::from(ld2(mem(heap, cx.heap_len, addr.0, 0, 2)?) as i16))
    };
    MemLoad16S64At { dst, memory, addr } => {
        r.set_i64(dst, i64::from(ld2(mem(heap, cx.heap_len, addr.0, 0, 2)?) as i16))
    };
    MemLoad32At { dst, memory, addr } => r.set(dst, u64::from(ld4(mem(heap, cx.heap_len, addr.0, 0, 4)?)));
    MemLoad32S64At { dst, memory, addr } => {
        r.set_i64(dst, i64::from(ld4(mem(heap, cx.heap_len, addr.0, 0, 4)?) as i32))
    };
    MemLoad64At { dst, memory, addr } => r.set(dst, ld8(mem(heap, cx.heap_len, addr.0, 0, 8)?));
    MemStore8At { memory, addr, value } => store(mem(heap, cx.heap_len, addr.0, 0, 1)?, [r.get(value) as u8]);
    MemStore16At { memory, addr, value } => {
        store(mem(heap, cx.heap_len, addr.0, 0, 2)?, (r.get(value) as u16).to_le_bytes())
    };
    MemStore32At { memory, addr, value } => {
        store(mem(heap, cx.heap_len, addr.0, 0, 4)?, (r.get(value) as u32).to_le_bytes())
    };
    MemStore64At { memory, addr, value } => store(mem(heap, cx.heap_len, addr.0, 0, 8)?, r.get(value).to_le_bytes());

    MemLoad8UX { dst, base, index, add, offset } => {
        r.set(dst, u64::from(ld1(at_x(r, heap, cx.heap_len, base, index, add, offset, 1)?)))
    };
    MemLoad8S32X { dst, base, index, add, offset } => {
        r.set_i32(dst, i32::from(ld1(at_x(r, heap, cx.heap_len, base, index, add, offset, 1)?) as i8))
    };
    MemLoad8S64X { dst, base, index, add, offset } => {
        r.set_i64(dst, i64::from(ld1(at_x(r, heap, cx.heap_len, base, index, add, offset, 1)?) as i8))
    };
    MemLoad16UX { dst, base, index, add, offset } => {
        r.set(dst, u64::from(ld2(at_x(r, heap, cx.heap_len, base, index, add, offset, 2)?)))
    };
    MemLoad16S32X { dst, base, index, add, offset } => {
        r.set_i32(dst, i32::from(ld2(at_x(r, heap, cx.heap_len, base, index, add, offset, 2)?) as i16))
    };
    MemLoad16S64X { dst, base, index, add, offset } => {
        r.set_i64(dst, i64::from(ld2(at_x(r, heap, cx.heap_len, base, index, add, offset, 2)?) as i16))
    };
    MemLoad32X { dst, base, index, add, offset } => {
        r.set(dst, u64::from(ld4(at_x(r, heap, cx.heap_len, base, index, add, offset, 4)?)))
    };
    MemLoad32S64X { dst, base, index, add, offset } => {
        r.set_i64(dst, i64::from(ld4(at_x(r, heap, cx.heap_len, base, index, add, offset, 4)?) as i32))
    };
    MemLoad64X { dst, base, index, add, offset } => {
        r.set(dst, ld8(at_x(r, heap, cx.heap_len, base, index, add, offset, 8)?))
    };
    MemStore8X { base, index, add, value, offset } => {
        store(at_x(r, heap, cx.heap_len, base, index, add, offset, 1)?, [r.get(value) as u8])
    };
    MemStore16X { base, index, add, value, offset } => {
        store(at_x(r, heap, cx.heap_len, base, index, add, offset, 2)?, (r.get(value) as u16).to_le_bytes())
    };
    MemStore32X { base, index, add, value, offset } => {
        store(at_x(r, heap, cx.heap_len, base, index, add, offset, 4)?, (r.get(value) as u32).to_le_bytes())
    };
    MemStore64X { base, index, add, value, offset } => {
        store(at_x(r, heap, cx.heap_len, base, index, add, offset, 8)?, r.get(value).to_le_bytes())
    };

    MemLoad16UScaled { dst, index, add, offset } => {
        r.set(dst, u64::from(ld2(at_scaled(r, heap, cx.heap_len, index, add, offset, 2)?)))
    };
    MemLoad16S32Scaled { dst, index, add, offset } => {
        r.set_i32(dst, i32::from(ld2(at_scaled(r, heap, cx.heap_len, index, add, offset, 2)?) as i16))
    };
    MemLoad16S64Scaled { dst, index, add, offset } => {
        r.set_i64(dst, i64::from(ld2(at_scaled(r, heap, cx.heap_len, index, add, offset, 2)?) as i16))
    };
    MemLoad32Scaled { dst, index, add, offset } => {
        r.set(dst, u64::from(ld4(at_scaled(r, heap, cx.heap_len, index, add, offset, 4)?)))
    };
    MemLoad32S64Scaled { dst, index, add, offset } => {
        r.set_i64(dst, i64::from(ld4(at_scaled(r, heap, cx.heap_len, index, add, offset, 4)?) as i32))
    };
    MemLoad64Scaled { dst, index, add, offset } => {
        r.set(dst, ld8(at_scaled(r, heap, cx.heap_len, index, add, offset, 8)?))
    };
    MemStore16Scaled { index, add, value, offset } => {
        store(at_scaled(r, heap, cx.heap_len, index, add, offset, 2)?, (r.get(value) as u16).to_le_bytes())
    };
    MemStore32Scaled { index, add, value, offset } => {
        store(at_scaled(r, heap, cx.heap_len, index, add, offset, 4)?, (r.get(value) as u32).to_le_bytes())
    };
    MemStore64Scaled { index, add, value, offset } => {
        store(at_scaled(r, heap, cx.heap_len, index, add, offset, 8)?, r.get(value).to_le_bytes())
    };

    FuncRef { handle, vmctx, table, index, sig } => {
        let (h, v) = table_func(vm, table, r.get(index) as u32, sig)?;
        r.set(handle, h);
        r.set(vmctx, v);
    };

    VmLoad32 { dst, field, offset } => r.set(dst, u64::from(ld4(vm_ptr(vm, field, offset))));
    VmLoad64 { dst, field, offset } => r.set(dst, ld8(vm_ptr(vm, field, offset)));
    VmStore32 { field, value, offset } => store(vm_ptr(vm, field, offset), (r.get(value) as u32).to_le_bytes());
    VmAddImm32 { dst, field, imm, offset } => {
        let p = vm_ptr(vm, field, offset);
        let v = (ld4(p) as i32).wrapping_add(imm);
        store(p, v.to_le_bytes());
        r.set_i32(dst, v)
    };
    VmStoreAddImm32 { dst, field, a, imm, offset } => {
        let v = r.i32(a).wrapping_add(imm);
        store(vm_ptr(vm, field, offset), v.to_le_bytes());
        r.set_i32(dst, v)
    };
    VmStore64 { field, value, offset } => store(vm_ptr(vm, field, offset), r.get(value).to_le_bytes());
}
