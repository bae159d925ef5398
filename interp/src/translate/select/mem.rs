//! The linear-memory fusions of selection. A `heap_load`/`heap_store` (memory
//! 0) becomes one checked op, and so does an access to memory 0 after the
//! explicit bounds check the lowering emits for lane accesses
//! (`trapnz (icmp ugt (iadd a, K), len), heap_oob`), which is absorbed into
//! it. Either way, the index's constant addend, its scaled index (`s1+s2*4`,
//! `s2*4+K`) or its constant address is folded in where the IR computes them
//! only for the access.
//!
//! The execution loop keeps one memory's base in a register
//! ([`Selection::heap`](super::Selection)); that is always memory 0, so the
//! two kinds of access never compete for it, and accesses to other memories
//! keep their explicit checks.

use cranelift_entity::SecondaryMap;
use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::instructions::InstData;
use zerowasm_ssa::{Function, Inst, IntCC, LoadKind, Opcode, StoreKind, TrapCode, Type, Value};

use super::{Plan, def_inst, iconst_of, vmctx_field};

/// Bytes a memory instruction accesses.
fn access_size(func: &Function, inst: Inst) -> Option<u32> {
    let dfg = &func.dfg;
    match *dfg.inst(inst) {
        InstData::Load { kind, .. } | InstData::HeapLoad { kind, .. } => {
            let ty = dfg.value_type(*dfg.inst_results(inst).first()?);
            Some(kind.access_bytes(ty))
        }
        InstData::Store { kind, args, .. } | InstData::HeapStore { kind, args, .. } => {
            Some(kind.access_bytes(dfg.value_type(args[1])))
        }
        InstData::LoadLane { shape, .. } | InstData::StoreLane { shape, .. } => {
            Some(16 / u32::from(shape.lanes()))
        }
        _ => None,
    }
}

fn access_addr(func: &Function, inst: Inst) -> Option<(Value, u32)> {
    match *func.dfg.inst(inst) {
        InstData::Load { arg, offset, .. } => Some((arg, offset)),
        InstData::Store { args, offset, .. }
        | InstData::LoadLane { args, offset, .. }
        | InstData::StoreLane { args, offset, .. } => Some((args[0], offset)),
        _ => None,
    }
}

/// `v = load.i64 mp+offset`: returns `mp`.
fn i64_load_at(func: &Function, v: Value, offset: u32) -> Option<Value> {
    let i = def_inst(func, v)?;
    match *func.dfg.inst(i) {
        InstData::Load { kind: LoadKind::Plain, arg, offset: o }
            if o == offset && func.dfg.value_type(v) == Type::I64 =>
        {
            Some(arg)
        }
        _ => None,
    }
}

/// A bounds check `trapnz (icmp ugt (iadd a, K), (load mp+8)), heap_oob`:
/// `(mp, Some(a), K)`; of a constant index, `trapnz (icmp ugt K, (load mp+8))`:
/// `(mp, None, K)`.
fn bounds_check(func: &Function, trap: Inst) -> Option<(Value, Option<Value>, i64)> {
    let dfg = &func.dfg;
    let InstData::CondTrap { opcode: Opcode::Trapnz, arg, code: TrapCode::MemoryOutOfBounds } =
        *dfg.inst(trap)
    else {
        return None;
    };
    let cmp = def_inst(func, arg)?;
    let (end, len) = match *dfg.inst(cmp) {
        InstData::IntCompare { cond: IntCC::UnsignedGt, args } => (args[0], args[1]),
        InstData::IntCompare { cond: IntCC::UnsignedLt, args } => (args[1], args[0]),
        _ => return None,
    };
    let mp = i64_load_at(func, len, VmOffsets::memory_length())?;
    if let Some(k) = iconst_of(func, end) {
        return Some((mp, None, k));
    }
    let add = def_inst(func, end)?;
    let InstData::Binary { opcode: Opcode::Iadd, args } = *dfg.inst(add) else { return None };
    if let Some(k) = iconst_of(func, args[1]) {
        Some((mp, Some(args[0]), k))
    } else {
        iconst_of(func, args[0]).map(|k| (mp, Some(args[1]), k))
    }
}

/// The access's address as `(mp, a)` if it is `iadd(load mp+0, a)`.
fn base_plus_index(func: &Function, addr: Value) -> Option<(Value, Value)> {
    let add = def_inst(func, addr)?;
    let InstData::Binary { opcode: Opcode::Iadd, args } = *func.dfg.inst(add) else { return None };
    if let Some(mp) = i64_load_at(func, args[0], VmOffsets::memory_base()) {
        Some((mp, args[1]))
    } else {
        i64_load_at(func, args[1], VmOffsets::memory_base()).map(|mp| (mp, args[0]))
    }
}

/// If `trap` is a bounds check that the access after it (separated only by pure
/// non-memory instructions) can do itself, plans that access as a checked one
/// and skips the check.
pub(super) fn absorb_bounds_check(
    func: &Function,
    trap: Inst,
    raw_uses: &SecondaryMap<Value, u32>,
    plans: &mut SecondaryMap<Inst, Plan>,
    heap: &mut Option<u16>,
) {
    let dfg = &func.dfg;
    let Some((mp, a, k)) = bounds_check(func, trap) else { return };
    let mut next = func.layout.next_inst(trap);
    while let Some(x) = next {
        let op = dfg.inst(x).opcode();
        if is_base_load(func, x, mp) {
            next = func.layout.next_inst(x);
            continue;
        }
        if let (Some((addr, offset)), Some(size)) = (access_addr(func, x), access_size(func, x)) {
            let plan = match a {
                Some(a) => indexed_plan(func, x, mp, a, addr, offset, size, k).map(|plan| match plan {
                    Plan::Mem { memory, index, add } => {
                        scaled_plan(func, x, index, size, is_scalar_access(func, x), raw_uses, plans)
                            .map_or(plan, |(base, index)| Plan::MemX { memory, base, index, add })
                    }
                    _ => plan,
                }),
                None => constant_index_plan(func, x, mp, addr, offset, size, k),
            };
            // Memory 0 only (see the module's doc).
            if let Some(plan) = plan
                && let Plan::Mem { memory, .. } | Plan::MemAt { memory, .. } | Plan::MemX { memory, .. } =
                    plan
                && memory == heap_memory()
            {
                *heap = Some(memory);
                plans[x] = plan;
                plans[trap] = Plan::Skip;
            }
            break;
        }
        if op.has_side_effects() || op.reads_memory() {
            break;
        }
        next = func.layout.next_inst(x);
    }
}

/// The VM-context field of memory 0's `VmMemory` pointer, which every
/// checked access op reads its memory through.
pub(super) fn heap_memory() -> u16 {
    const { assert!(VmOffsets::memory0() <= u16::MAX as u32) };
    VmOffsets::memory0() as u16
}

/// The plan of `heap_load`/`heap_store` `x` (of operands `data`): a checked access to memory 0,
/// at a constant address ([`Plan::MemAt`]) if its index is a constant, else
/// with the index's addend and scaling folded in where they can be
/// ([`Plan::Mem`], [`Plan::MemX`]). `None` if `x` is not one.
///
/// The addend of an index `i + K` is folded only if every use of the sum is
/// the index of a heap access (`index_uses`): then each of them folds it and
/// the add goes. Otherwise the add runs anyway, and an access that read `i`
/// instead of the sum would keep `i` alive next to it: a pointer bumped in a
/// loop (`p = p + 4; load p`) would need two cells and a copy at the latch.
pub(super) fn heap_access_plan(
    func: &Function,
    x: Inst,
    data: &InstData,
    raw_uses: &SecondaryMap<Value, u32>,
    index_uses: &SecondaryMap<Value, u32>,
    plans: &SecondaryMap<Inst, Plan>,
) -> Option<Plan> {
    let dfg = &func.dfg;
    // What `access_size`, `is_scalar_access` and `addend_foldable` would say, from `data`.
    let (index, offset, size, plain, scalar) = match *data {
        InstData::HeapLoad { kind, arg, offset } => {
            let results = dfg.inst_results(x);
            let ty = dfg.value_type(*results.first()?);
            let scalar = results.iter().all(|&r| dfg.value_type(r) != Type::V128);
            (arg, offset, kind.access_bytes(ty), kind == LoadKind::Plain, scalar)
        }
        InstData::HeapStore { kind, args, offset } => {
            let ty = dfg.value_type(args[1]);
            (args[0], offset, kind.access_bytes(ty), kind == StoreKind::Plain, ty != Type::V128)
        }
        _ => return None,
    };
    let memory = heap_memory();
    // The index's definition, looked up once for all the foldings that read it.
    let def = def_inst(func, index);
    let def_data = def.map(|d| dfg.inst(d));
    if scalar
        && let Some(&InstData::Iconst { imm: c }) = def_data
        && let Some(addr) = (c as u32).checked_add(offset)
    {
        return Some(Plan::MemAt { memory, addr });
    }
    // `index_addend`, with the use counts (the cheaper test) first.
    let folded = if (plain || scalar) && raw_uses[index] == index_uses[index] {
        match def_data {
            Some(&InstData::Unary { opcode: Opcode::Uextend, arg }) => {
                def_inst(func, arg).and_then(|d| iadd_constant(func, arg, d))
            }
            _ => def.and_then(|d| iadd_constant(func, index, d)),
        }
    } else {
        None
    };
    let (index, add, def) = match folded {
        Some((x, k)) => (x, k, def_inst(func, x)),
        None => (index, 0, def),
    };
    // The op reads the low 32 bits of the index's cell, so an `ireduce` around
    // it changes nothing (`strip_ireduce`).
    let (index, def) = match def.map(|d| dfg.inst(d)) {
        Some(&InstData::Unary { opcode: Opcode::Ireduce, arg }) if dfg.value_type(index) == Type::I32 => {
            (arg, def_inst(func, arg))
        }
        _ => (index, def),
    };
    let scaled = match def {
        Some(d) if scalar && raw_uses[index] == 1 => scaled_def(func, x, index, d, size, plans),
        _ => None,
    };
    Some(scaled.map_or(Plan::Mem { memory, index, add }, |(base, index)| Plan::MemX {
        memory,
        base,
        index,
        add,
    }))
}

/// The plan of access `x` at `addr + offset` (`size` bytes) after the check
/// of `a + K` against the length of `mp`'s memory: [`Plan::Mem`] if the
/// address is that memory's base plus `a` and the check covers exactly the
/// accessed bytes.
#[allow(clippy::too_many_arguments)]
fn indexed_plan(
    func: &Function,
    x: Inst,
    mp: Value,
    a: Value,
    addr: Value,
    offset: u32,
    size: u32,
    k: i64,
) -> Option<Plan> {
    let (m, index) = base_plus_index(func, addr)?;
    if m != mp
        || strip_uextend(func, index) != strip_uextend(func, a)
        || i64::from(offset) + i64::from(size) != k
    {
        return None;
    }
    let memory = vmctx_field(func, mp)?;
    // The checked access reads the index as 32 bits (a memory32 index,
    // zero-extended in its cell), so its bounds check cannot overflow; any
    // other index keeps the explicit check.
    if func.dfg.value_type(strip_uextend(func, index)) != Type::I32 {
        return None;
    }
    let (index, add) = index_addend(func, index, addend_foldable(func, x)).unwrap_or((index, 0));
    // The op reads the low 32 bits of the index's cell, so a `uextend` or
    // `ireduce` around it changes nothing.
    let index = strip_ireduce(func, strip_uextend(func, index));
    Some(Plan::Mem { memory, index, add })
}

/// The base and index of the [`Plan::MemX`] for access `x` of `size` bytes
/// (`scalar` if it is a scalar one) at `index` ([`Plan::Mem`]'s) if that
/// index is computed, in its block and only for it, by an `i32.shl_add` or an
/// `i32.shl` (already planned) by the access's own size, or for a byte access
/// by an `i32.add` of two values.
#[allow(clippy::too_many_arguments)]
fn scaled_plan(
    func: &Function,
    x: Inst,
    index: Value,
    size: u32,
    scalar: bool,
    raw_uses: &SecondaryMap<Value, u32>,
    plans: &SecondaryMap<Inst, Plan>,
) -> Option<(Option<Value>, Value)> {
    if !scalar || raw_uses[index] != 1 {
        return None;
    }
    scaled_def(func, x, index, def_inst(func, index)?, size, plans)
}

/// [`scaled_plan`] once its cheap tests passed, with `d` the instruction
/// defining `index` (which [`heap_access_plan`] has looked up already).
fn scaled_def(
    func: &Function,
    x: Inst,
    index: Value,
    d: Inst,
    size: u32,
    plans: &SecondaryMap<Inst, Plan>,
) -> Option<(Option<Value>, Value)> {
    if func.layout.inst_block(d) != func.layout.inst_block(x) {
        return None;
    }
    let i32_binary = |op: Opcode| match *func.dfg.inst(d) {
        InstData::Binary { opcode, args } if opcode == op && func.dfg.value_type(index) == Type::I32 => {
            Some(args)
        }
        _ => None,
    };
    match plans[d] {
        Plan::ShlAdd { a, b, k } if 1u32 << k == size => Some((Some(a), b)),
        Plan::Emit if size == 1 => {
            let [a, b] = i32_binary(Opcode::Iadd)?;
            Some((Some(a), b))
        }
        Plan::Imm { a, imm, cond: None } if size > 1 && 1u32 << (imm & 31) == size => {
            i32_binary(Opcode::Ishl)?;
            Some((None, a))
        }
        _ => None,
    }
}

/// The plan of access `x` at `addr + offset` (`size` bytes) after the check
/// of the constant `K` against the length of `mp`'s memory: [`Plan::MemAt`]
/// if `x` is a scalar access, the address is that memory's base plus a
/// constant `c` (or the base itself), `c + offset + size` is exactly `K`, and
/// `c + offset` fits the op.
fn constant_index_plan(
    func: &Function,
    x: Inst,
    mp: Value,
    addr: Value,
    offset: u32,
    size: u32,
    k: i64,
) -> Option<Plan> {
    if !is_scalar_access(func, x) {
        return None;
    }
    let c = if i64_load_at(func, addr, VmOffsets::memory_base()) == Some(mp) {
        0
    } else {
        let (m, index) = base_plus_index(func, addr)?;
        if m != mp {
            return None;
        }
        let index = strip_uextend(func, index);
        let c = iconst_of(func, index)?;
        // An i32 index is zero-extended into the address.
        if func.dfg.value_type(index) == Type::I32 { u64::from(c as u32) } else { c as u64 }
    };
    let at = c.checked_add(u64::from(offset))?;
    if at.checked_add(u64::from(size))? != k as u64 || k < 0 {
        return None;
    }
    Some(Plan::MemAt { memory: vmctx_field(func, mp)?, addr: u32::try_from(at).ok()? })
}

/// The plan of `br_table` `inst` (planned `plan`, [`Plan::Emit`] or
/// [`Plan::BrTableAdd`]) as a [`Plan::BrTableLoad`], and the load it takes
/// in, if its index (before the add) is an i32 `heap_load` of the same
/// block used only there, planned as an array element ([`Plan::MemX`]) with
/// no addend and no add after it, or as a static table's element at offset
/// 0; and if nothing between the load and `inst` has a side effect, so the
/// load can move to the branch without passing a store, a call or a trap.
pub(super) fn br_table_load(
    func: &Function,
    inst: Inst,
    plan: Plan,
    raw_uses: &SecondaryMap<Value, u32>,
    plans: &SecondaryMap<Inst, Plan>,
) -> Option<(Inst, Plan)> {
    let (v, bradd) = match (plan, *func.dfg.inst(inst)) {
        (Plan::BrTableAdd { index, add }, _) => (index, add),
        (Plan::Emit, InstData::BrTable { arg, .. }) => (arg, 0),
        _ => return None,
    };
    let (load, offset) = i32_load_for(func, v, inst, raw_uses)?;
    let Plan::MemX { memory, base, index, add } = plans[load] else { return None };
    let plan = match base {
        Some(_) if add == 0 && bradd == 0 => Plan::BrTableLoad { base, index, add, offset, bradd, load },
        None if offset == 0 => Plan::BrTableLoad { base, index, add, offset, bradd, load },
        _ => return None,
    };
    (memory == heap_memory()).then_some((load, plan))
}

/// The plain i32 `heap_load` that defines `v`, and its offset, if `v` has
/// one use (by `user`, or by a pure instruction that `user` absorbs), `user`
/// is in the load's block, and nothing between the two has a side effect:
/// then the load can move to `user` without passing a store, a call or
/// another trap.
fn i32_load_for(
    func: &Function,
    v: Value,
    user: Inst,
    raw_uses: &SecondaryMap<Value, u32>,
) -> Option<(Inst, u32)> {
    let load = def_inst(func, v)?;
    if raw_uses[v] != 1
        || func.layout.inst_block(load) != func.layout.inst_block(user)
        || func.dfg.value_type(v) != Type::I32
    {
        return None;
    }
    let InstData::HeapLoad { kind: LoadKind::Plain, offset, .. } = *func.dfg.inst(load) else {
        return None;
    };
    let mut i = func.layout.next_inst(load)?;
    while i != user {
        if func.dfg.inst(i).opcode().has_side_effects() {
            return None;
        }
        i = func.layout.next_inst(i)?;
    }
    Some((load, offset))
}

/// True for a load or store of a scalar (which a fused access may add an
/// addend to, or make at a constant address).
pub(super) fn is_scalar_access(func: &Function, inst: Inst) -> bool {
    let dfg = &func.dfg;
    match *dfg.inst(inst) {
        InstData::Load { .. } | InstData::HeapLoad { .. } => {
            dfg.inst_results(inst).iter().all(|&r| dfg.value_type(r) != Type::V128)
        }
        InstData::Store { args, .. } | InstData::HeapStore { args, .. } => {
            dfg.value_type(args[1]) != Type::V128
        }
        _ => false,
    }
}

/// True if access `inst` may fold its index's constant addend (see
/// [`index_addend`]): a scalar or plain v128 load or store.
fn addend_foldable(func: &Function, inst: Inst) -> bool {
    let plain = match *func.dfg.inst(inst) {
        InstData::Load { kind, .. } | InstData::HeapLoad { kind, .. } => kind == LoadKind::Plain,
        InstData::Store { kind, .. } | InstData::HeapStore { kind, .. } => kind == StoreKind::Plain,
        _ => false,
    };
    plain || is_scalar_access(func, inst)
}

/// `(x, K)` if `index`, that of an access that may fold it (`foldable`, see
/// [`addend_foldable`]), is `iadd.i32 x, K` (or its `uextend`) with a
/// constant `K`: the access op can add `K` itself.
fn index_addend(func: &Function, index: Value, foldable: bool) -> Option<(Value, i32)> {
    if !foldable {
        return None;
    }
    let v = strip_uextend(func, index);
    iadd_constant(func, v, def_inst(func, v)?)
}

/// `(x, K)` if `v`, defined by `d`, is `iadd.i32 x, K` with a constant `K`
/// (the core of [`index_addend`], for callers that have `d` already).
fn iadd_constant(func: &Function, v: Value, d: Inst) -> Option<(Value, i32)> {
    let dfg = &func.dfg;
    let InstData::Binary { opcode: Opcode::Iadd, args } = *dfg.inst(d) else { return None };
    if dfg.value_type(v) != Type::I32 {
        return None;
    }
    if let Some(k) = iconst_of(func, args[1]) {
        Some((args[0], k as i32))
    } else {
        iconst_of(func, args[0]).map(|k| (args[1], k as i32))
    }
}

/// True for `load.i64 mp+0` (the memory base), which may sit between a check and its access.
fn is_base_load(func: &Function, inst: Inst, mp: Value) -> bool {
    matches!(
        *func.dfg.inst(inst),
        InstData::Load { kind: LoadKind::Plain, arg, offset } if arg == mp && offset == VmOffsets::memory_base()
    )
}

/// `x` for `uextend x`, else the value itself (two zero-extensions of one index are equal).
pub(super) fn strip_uextend(func: &Function, v: Value) -> Value {
    match def_inst(func, v).map(|i| *func.dfg.inst(i)) {
        Some(InstData::Unary { opcode: Opcode::Uextend, arg }) => arg,
        _ => v,
    }
}

/// `x` for `ireduce.i32 x`, else the value itself (the low 32 bits are equal).
fn strip_ireduce(func: &Function, v: Value) -> Value {
    match def_inst(func, v).map(|i| *func.dfg.inst(i)) {
        Some(InstData::Unary { opcode: Opcode::Ireduce, arg }) if func.dfg.value_type(v) == Type::I32 => arg,
        _ => v,
    }
}
