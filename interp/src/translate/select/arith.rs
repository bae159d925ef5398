//! The arithmetic fusions of instruction selection: a shift, mask, add,
//! xor or float op whose single-use result feeds the next op, in the same
//! block, is done by that op (see the list in the parent module).

use zerowasm_ssa::instructions::InstData;
use zerowasm_ssa::{Function, Inst, Opcode, Type, Value};

use super::{Plan, iconst_of};

/// The plan of integer `opcode` `inst` of `args` if it fuses with the
/// single-use op that computes one of its operands: `i32.shl_add`,
/// `i32.add_shr_u_and`, `shr_u_and`, `i32.xor_and`/`add_and`, `i64.xor_mul`,
/// `shl_xor`/`shr_u_xor`.
pub(super) fn int_pair(
    func: &Function,
    inst: Inst,
    opcode: Opcode,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    let sbsu = same_block_single_use;
    match (opcode, func.dfg.value_type(args[0])) {
        (Opcode::Iadd, Type::I32) => {
            shl_add(func, inst, args, sbsu).or_else(|| add_shr_u_and(func, inst, args, sbsu))
        }
        (Opcode::Band, Type::I32) => {
            shr_u_and(func, inst, args, sbsu).or_else(|| bin_mask(func, inst, args, sbsu))
        }
        (Opcode::Band, _) => shr_u_and(func, inst, args, sbsu),
        (Opcode::Imul, Type::I64) => xor_mul(func, inst, args, sbsu),
        (Opcode::Bxor, _) => shift_xor(func, inst, args, sbsu),
        _ => None,
    }
}

/// `(x, k mod width)` if `v` is `op x, k` (a shift) by a constant `k`,
/// used only by `user`, in its block: a shift a superinstruction of `user`
/// can do itself.
fn fusable_shift(
    func: &Function,
    v: Value,
    op: Opcode,
    user: Inst,
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<(Value, u8)> {
    let s = same_block_single_use(v, user)?;
    match *func.dfg.inst(s) {
        InstData::Binary { opcode, args: [x, k] } if opcode == op => {
            let width = 8 * i64::from(func.dfg.value_type(x).bytes());
            Some((x, (iconst_of(func, k)? & (width - 1)) as u8))
        }
        _ => None,
    }
}

/// [`Plan::ShlAdd`] for `iadd.i32` `inst` of `args` if one of them is a
/// fusable shift left (see [`fusable_shift`]) and the other is not a
/// constant (which the immediate form folds instead).
fn shl_add(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    [(args[1], args[0]), (args[0], args[1])].into_iter().find_map(|(shifted, a)| {
        if iconst_of(func, a).is_some() {
            return None;
        }
        let (b, k) = fusable_shift(func, shifted, Opcode::Ishl, inst, same_block_single_use)?;
        Some(Plan::ShlAdd { a, b, k })
    })
}

/// [`Plan::ShrUAnd`] for `band` `inst` of `args` if one of them is a
/// constant mask and the other a fusable unsigned shift right (see
/// [`fusable_shift`]).
fn shr_u_and(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    let (shifted, mask) = value_and_constant(func, args)?;
    let (a, k) = fusable_shift(func, shifted, Opcode::Ushr, inst, same_block_single_use)?;
    Some(Plan::ShrUAnd { a, k, mask })
}

/// `(v, K)` if exactly one of `args` is a constant `K`, `v` the other.
fn value_and_constant(func: &Function, args: [Value; 2]) -> Option<(Value, i64)> {
    match (iconst_of(func, args[0]), iconst_of(func, args[1])) {
        (None, Some(k)) => Some((args[0], k)),
        (Some(k), None) => Some((args[1], k)),
        _ => None,
    }
}

/// `(op, a, b)` if `v` is `op a, b`, `op` one of `ops`, with neither
/// operand a constant (which an immediate form folds instead), used only by
/// `user`, in its block.
fn fusable_binary(
    func: &Function,
    v: Value,
    ops: &[Opcode],
    user: Inst,
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<(Opcode, Value, Value)> {
    match *func.dfg.inst(same_block_single_use(v, user)?) {
        InstData::Binary { opcode, args: [a, b] }
            if ops.contains(&opcode) && iconst_of(func, a).is_none() && iconst_of(func, b).is_none() =>
        {
            Some((opcode, a, b))
        }
        _ => None,
    }
}

/// [`Plan::BinMask`] for `band.i32` `inst` of `args` if one of them is a
/// constant mask and the other an `bxor` or `iadd` of two values used only here.
fn bin_mask(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    let (v, mask) = value_and_constant(func, args)?;
    let (inner, a, b) = fusable_binary(func, v, &[Opcode::Bxor, Opcode::Iadd], inst, same_block_single_use)?;
    Some(Plan::BinMask { inner, a, b, mask: mask as i32 })
}

/// [`Plan::XorMul`] for `imul.i64` `inst` of `args` if one of them is a
/// constant and the other a `bxor` of two values used only here.
fn xor_mul(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    let (v, imm) = value_and_constant(func, args)?;
    let (_, a, b) = fusable_binary(func, v, &[Opcode::Bxor], inst, same_block_single_use)?;
    Some(Plan::XorMul { a, b, imm })
}

/// [`Plan::ShiftXor`] for `bxor` `inst` of `args` if one of them is a
/// fusable `ishl` or `ushr` (see [`fusable_shift`]) and the other is not a constant.
fn shift_xor(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    [(args[0], args[1]), (args[1], args[0])].into_iter().find_map(|(shifted, b)| {
        if iconst_of(func, b).is_some() {
            return None;
        }
        [Opcode::Ishl, Opcode::Ushr].into_iter().find_map(|shift| {
            let (a, k) = fusable_shift(func, shifted, shift, inst, same_block_single_use)?;
            Some(Plan::ShiftXor { shift, a, k, b })
        })
    })
}

/// [`Plan::AddShrUAnd`] for `iadd.i32 args` if one operand is an
/// `i32.shr_u_and` (see [`shr_u_and`]) used only here, in the same block.
fn add_shr_u_and(
    func: &Function,
    inst: Inst,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    [(args[0], args[1]), (args[1], args[0])].into_iter().find_map(|(base, v)| {
        let band = same_block_single_use(v, inst)?;
        match *func.dfg.inst(band) {
            InstData::Binary { opcode: Opcode::Band, args } => {
                match shr_u_and(func, band, args, same_block_single_use)? {
                    Plan::ShrUAnd { a, k, mask } => Some(Plan::AddShrUAnd { base, a, k, mask: mask as i32 }),
                    _ => None,
                }
            }
            _ => None,
        }
    })
}

/// [`Plan::FloatPair`] for float `outer` `inst` of `args` if one of them is
/// an `fadd`, `fsub` or `fmul` used only here, in the same block (the left
/// one if both are).
pub(super) fn float_pair(
    func: &Function,
    inst: Inst,
    outer: Opcode,
    args: [Value; 2],
    same_block_single_use: &impl Fn(Value, Inst) -> Option<Inst>,
) -> Option<Plan> {
    [(args[0], args[1], false), (args[1], args[0], true)].into_iter().find_map(|(v, c, rev)| {
        match *func.dfg.inst(same_block_single_use(v, inst)?) {
            InstData::Binary {
                opcode: inner @ (Opcode::Fadd | Opcode::Fsub | Opcode::Fmul),
                args: [a, b],
            } if func.dfg.value_type(a).is_float() => Some(Plan::FloatPair { inner, outer, rev, a, b, c }),
            _ => None,
        }
    })
}
