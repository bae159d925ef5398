//! The fusion of `call_indirect`'s table lookup into one `funcref` op
//! ([`funcref_lookup`]).

use cranelift_entity::SecondaryMap;
use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_ssa::instructions::InstData;
use zerowasm_ssa::{Function, Inst, IntCC, LoadKind, Opcode, TrapCode, Type, Value};

use super::{Plan, def_inst, iconst_of, strip_uextend, vmctx_field};

/// If `trap` starts the lowering's table lookup of a `call_indirect` —
///
/// ```text
/// t = load vmctx+T; len = load t+8; c1 = icmp uge (uextend i), len; trapnz c1, undef_elem
/// f = load (iadd (load t+0), (ishl (uextend i), 3)); trapz f, null_elem
/// c3 = icmp ne (load f+16), (load vmctx+S); trapnz c3, bad_sig
/// h = load f+0; v = load f+8; call_indirect h(v, ...)
/// ```
///
/// in one block, with nothing but pure instructions in between — plans the
/// three traps and `h`'s load as [`Plan::Absorbed`] and `v`'s load as
/// [`Plan::FuncRef`]: one op does the lookup where `v` is loaded, just
/// before the call, with the checks in the same order. The other loads and
/// compares must feed nothing else (`raw_uses` counts every use): they lose
/// their uses and are swept, so none stays as an op of its own ahead of the
/// check that guards it.
pub(super) fn funcref_lookup(
    func: &Function,
    trap: Inst,
    raw_uses: &SecondaryMap<Value, u32>,
    plans: &mut SecondaryMap<Inst, Plan>,
) -> Option<()> {
    let dfg = &func.dfg;
    let cond_trap = |inst: Inst, op: Opcode, code: TrapCode| match *dfg.inst(inst) {
        InstData::CondTrap { opcode, arg, code: c } if opcode == op && c == code => Some(arg),
        _ => None,
    };
    let load_at = |v: Value, offset: u32| -> Option<Value> {
        match *dfg.inst(def_inst(func, v)?) {
            InstData::Load { kind: LoadKind::Plain, arg, offset: o }
                if o == offset && dfg.value_type(v) == Type::I64 =>
            {
                Some(arg)
            }
            _ => None,
        }
    };
    let binary = |v: Value, op: Opcode| match *dfg.inst(def_inst(func, v)?) {
        InstData::Binary { opcode, args } if opcode == op => Some(args),
        _ => None,
    };
    let compare = |v: Value, c: IntCC| match *dfg.inst(def_inst(func, v)?) {
        InstData::IntCompare { cond, args } if cond == c => Some(args),
        _ => None,
    };
    // The next instruction with side effects after `x` in its block: the ones
    // between are pure.
    let next_effect = |x: Inst| {
        std::iter::successors(func.layout.next_inst(x), |&y| func.layout.next_inst(y))
            .find(|&y| dfg.inst(y).opcode().has_side_effects())
    };

    // The bounds check.
    let c1 = cond_trap(trap, Opcode::Trapnz, TrapCode::UndefinedElement)?;
    let [index64, len] = compare(c1, IntCC::UnsignedGe)?;
    let t = load_at(len, VmOffsets::table_length())?;
    let table = vmctx_field(func, t)?;
    let index = strip_uextend(func, index64);
    if index == index64 || dfg.value_type(index) != Type::I32 {
        return None;
    }
    // The element and its null check.
    let t2 = next_effect(trap)?;
    let f = cond_trap(t2, Opcode::Trapz, TrapCode::UninitializedElement)?;
    let addr = load_at(f, 0)?;
    let [base, scaled] = binary(addr, Opcode::Iadd)?;
    let [i, k] = binary(scaled, Opcode::Ishl)?;
    if load_at(base, VmOffsets::table_base())? != t || i != index64 || iconst_of(func, k) != Some(3) {
        return None;
    }
    // The type check.
    let t3 = next_effect(t2)?;
    let c3 = cond_trap(t3, Opcode::Trapnz, TrapCode::IndirectCallTypeMismatch)?;
    let [a, b] = compare(c3, IntCC::Ne)?;
    let (actual, expected) =
        if load_at(a, VmOffsets::func_ref_type_id()) == Some(f) { (a, b) } else { (b, a) };
    if load_at(actual, VmOffsets::func_ref_type_id())? != f {
        return None;
    }
    let sig = vmctx_field(func, expected)?;
    // The call, of the element's handle and VM context, both loaded after the
    // type check, the handle first (the op stands where the VM context is loaded).
    let call = next_effect(t3)?;
    let InstData::CallIndirect { args, .. } = *dfg.inst(call) else { return None };
    let (&h, &v) = match args.as_slice(&dfg.value_lists) {
        [h, v, ..] => (h, v),
        _ => return None,
    };
    if load_at(h, VmOffsets::func_ref_func())? != f || load_at(v, VmOffsets::func_ref_vmctx())? != f {
        return None;
    }
    let (h_load, v_load) = (def_inst(func, h)?, def_inst(func, v)?);
    let mut between = std::iter::successors(func.layout.next_inst(t3), |&y| func.layout.next_inst(y))
        .take_while(|&y| y != call);
    between.position(|y| y == h_load)?;
    between.position(|y| y == v_load)?;
    // Everything the checks guard feeds only this lookup.
    let only = [
        (t, 2),
        (len, 1),
        (c1, 1),
        (base, 1),
        (scaled, 1),
        (addr, 1),
        (f, 4),
        (actual, 1),
        (expected, 1),
        (c3, 1),
    ];
    if only.iter().any(|&(x, n)| raw_uses[x] != n) {
        return None;
    }
    for x in [trap, t2, t3, h_load] {
        plans[x] = Plan::Absorbed;
    }
    plans[v_load] = Plan::FuncRef { table, index, sig, handle: h };
    Some(())
}
