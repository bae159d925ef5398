//! The fusion of `call_indirect`'s table lookup into one `funcref` op
//! ([`funcref_lookup`]).

use cranelift_entity::SecondaryMap;
use smallvec::SmallVec;
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
/// compares lose their uses and are swept.
pub(super) fn funcref_lookup(
    func: &Function,
    trap: Inst,
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
    // t1: the bounds check.
    let c1 = cond_trap(trap, Opcode::Trapnz, TrapCode::UndefinedElement)?;
    let InstData::IntCompare { cond: IntCC::UnsignedGe, args: [index64, len] } =
        *dfg.inst(def_inst(func, c1)?)
    else {
        return None;
    };
    let t = load_at(len, VmOffsets::table_length())?;
    let table = vmctx_field(func, t)?;
    let index = strip_uextend(func, index64);
    if index == index64 || dfg.value_type(index) != Type::I32 {
        return None;
    }
    // The rest, in order, with only pure instructions in between.
    let mut absorbed: SmallVec<[Inst; 4]> = SmallVec::new();
    absorbed.push(trap);
    let mut next = func.layout.next_inst(trap);
    let mut element = None;
    let mut handle = None;
    while let Some(x) = next {
        next = func.layout.next_inst(x);
        let data = *dfg.inst(x);
        match (element, absorbed.len()) {
            (None, 1) if let Some(f) = cond_trap(x, Opcode::Trapz, TrapCode::UninitializedElement) => {
                let addr = load_at(f, 0)?;
                let InstData::Binary { opcode: Opcode::Iadd, args: [base, scaled] } =
                    *dfg.inst(def_inst(func, addr)?)
                else {
                    return None;
                };
                if load_at(base, VmOffsets::table_base())? != t {
                    return None;
                }
                let InstData::Binary { opcode: Opcode::Ishl, args: [i, k] } =
                    *dfg.inst(def_inst(func, scaled)?)
                else {
                    return None;
                };
                if i != index64 || iconst_of(func, k) != Some(3) {
                    return None;
                }
                element = Some(f);
                absorbed.push(x);
            }
            (Some(f), 2)
                if let Some(c3) = cond_trap(x, Opcode::Trapnz, TrapCode::IndirectCallTypeMismatch) =>
            {
                let InstData::IntCompare { cond: IntCC::Ne, args: [a, b] } = *dfg.inst(def_inst(func, c3)?)
                else {
                    return None;
                };
                let (actual, expected) =
                    if load_at(a, VmOffsets::func_ref_type_id()) == Some(f) { (a, b) } else { (b, a) };
                if load_at(actual, VmOffsets::func_ref_type_id())? != f {
                    return None;
                }
                let sig = vmctx_field(func, expected)?;
                absorbed.push(x);
                // The element's handle and VM context, then the call.
                let mut v_load = None;
                while let Some(y) = next {
                    next = func.layout.next_inst(y);
                    match *dfg.inst(y) {
                        InstData::Load { kind: LoadKind::Plain, arg, offset } if arg == f => {
                            let &[r] = dfg.inst_results(y) else { return None };
                            if offset == VmOffsets::func_ref_func() && handle.is_none() {
                                handle = Some((y, r));
                            } else if offset == VmOffsets::func_ref_vmctx()
                                && v_load.is_none()
                                && handle.is_some()
                            {
                                // After `h`'s load: the op stands where `v` is loaded.
                                v_load = Some((y, r));
                            }
                        }
                        InstData::CallIndirect { args, .. } => {
                            let (Some((hy, h)), Some((vy, v))) = (handle, v_load) else { return None };
                            let call_args = args.as_slice(&dfg.value_lists);
                            if call_args.first() != Some(&h) || call_args.get(1) != Some(&v) {
                                return None;
                            }
                            for &a in &absorbed {
                                plans[a] = Plan::Absorbed;
                            }
                            plans[hy] = Plan::Absorbed;
                            plans[vy] = Plan::FuncRef { table, index, sig, handle: h };
                            return Some(());
                        }
                        d => {
                            if d.opcode().has_side_effects() {
                                return None;
                            }
                        }
                    }
                }
                return None;
            }
            _ => {
                if data.opcode().has_side_effects() {
                    return None;
                }
            }
        }
    }
    None
}
