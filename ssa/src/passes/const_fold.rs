//! Constant folding and algebraic simplification.
//!
//! Walks the reachable blocks in reverse post-order (definitions before
//! uses), so chains fold in one pass, and rewrites:
//!
//! - integer operations on constants, wrapping by type; `sdiv`/`udiv`/
//!   `srem`/`urem` only when they cannot trap (never by zero, never
//!   `MIN / -1`), and the trapping float-to-int conversions only in range;
//! - float operations bit-exactly as Wasm defines them: `fabs`, `fneg`,
//!   `fcopysign` and bitcasts are bit operations and always fold; arithmetic,
//!   rounding, `fpromote`/`fdemote` fold only when the result is not NaN
//!   (Wasm leaves NaN payloads open, so the engines must compute them);
//!   `fmin`/`fmax` only on non-NaN operands;
//! - `icmp`/`fcmp` of constants, and `icmp` of a value with itself;
//! - `brif`/`br_table` on a constant (or a `brif` whose two destinations are
//!   identical) into a `jump`, dropping the dead edges;
//! - `select` on a constant condition (or of two equal operands) into an alias;
//! - `trapz`/`trapnz` on a constant that cannot trap: removed;
//! - identities: `x+0`, `x-0`, `x*1`, `x&-1`, `x|0`, `x^0`, shifts and rotates
//!   by a multiple of the width, `x&x`, `x|x` become aliases of `x`; `x*0`,
//!   `x&0`, `x|-1`, `x-x`, `x^x` become constants. Integers only: float
//!   identities do not hold for `-0` and NaN.
//!
//! Folded instructions keep their results (an `iconst` in place); identities
//! alias the result and remove the instruction. Constants left unused are
//! for [`super::dce`], blocks left unreachable for
//! [`super::unreachable_blocks`].

use crate::dfg::{DataFlowGraph, ValueDef};
use crate::entities::{Inst, Value};
use crate::function::Function;
use crate::instructions::{BlockCall, InstData, Opcode};
use crate::passes::PassCtx;
use crate::types::Type;

/// A constant operand or result. Integers are kept sign-extended from their
/// width (the form `iconst` stores); floats as bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    Int(i64),
    F32(u32),
    F64(u64),
}

pub(crate) enum Fold {
    /// Replace the instruction by a constant (keeping its result).
    Const(K),
    /// The result is this operand; the instruction goes.
    Alias(Value),
    /// A conditional trap that never fires.
    Remove,
    /// The branch always takes this destination.
    Jump(BlockCall),
}

/// Folds constants, constant branches and traps, and integer identities.
pub fn const_fold(func: &mut Function, cx: &mut PassCtx) {
    let mut cfg = std::mem::take(&mut cx.cfg);
    cfg.recompute(func);
    let branches_before = cx.stats.branches_folded;
    let mut aliased = false;
    for &block in cfg.rpo() {
        let mut next = func.layout.first_inst(block);
        while let Some(inst) = next {
            next = func.layout.next_inst(inst);
            if aliased {
                func.dfg.resolve_all_aliases(std::iter::once(inst));
            }
            let Some(fold) = fold(&func.dfg, inst) else { continue };
            match fold {
                Fold::Const(k) => {
                    let ty = func.dfg.value_type(func.dfg.first_result(inst));
                    func.dfg.replace_inst(inst, const_inst(k, ty));
                    cx.stats.consts_folded += 1;
                }
                Fold::Alias(v) => {
                    let result = func.dfg.first_result(inst);
                    func.dfg.change_to_alias(result, v);
                    func.layout.remove_inst(inst);
                    aliased = true;
                    cx.stats.identities_simplified += 1;
                }
                Fold::Remove => {
                    func.layout.remove_inst(inst);
                    cx.stats.traps_removed += 1;
                }
                Fold::Jump(dest) => {
                    // The list may belong to a jump table: give the jump its own.
                    let args = dest.args.deep_clone(&mut func.dfg.value_lists);
                    func.dfg
                        .replace_inst(inst, InstData::Jump { dest: BlockCall { block: dest.block, args } });
                    cx.stats.branches_folded += 1;
                }
            }
        }
    }
    if aliased {
        // Every reachable instruction was resolved above once the first alias
        // existed: an alias is made for the result being folded, and each use
        // of it is dominated by it, so comes later in reverse post-order. Only
        // the blocks the walk skipped are left.
        let layout = &func.layout;
        let skipped = layout.blocks().filter(|&b| !cfg.is_reachable(b));
        func.dfg.resolve_new_aliases(skipped.flat_map(|b| layout.block_insts(b)));
    }
    // Folding a branch drops edges; otherwise the graph stays right for the next pass.
    cx.cfg = cfg;
    cx.set_cfg_fresh(cx.stats.branches_folded == branches_before);
}

/// The constant instruction that produces `k` as a `ty`.
pub(crate) fn const_inst(k: K, ty: Type) -> InstData {
    match k {
        K::Int(x) => InstData::Iconst { imm: canon(x, ty) },
        K::F32(bits) => InstData::F32const { bits },
        K::F64(bits) => InstData::F64const { bits },
    }
}

fn canon(x: i64, ty: Type) -> i64 {
    if ty == Type::I64 { x } else { i64::from(x as i32) }
}

fn konst(dfg: &DataFlowGraph, v: Value) -> Option<K> {
    let ValueDef::Result(inst, 0) = dfg.value_def(v) else { return None };
    match *dfg.inst(inst) {
        InstData::Iconst { imm } => Some(K::Int(canon(imm, dfg.value_type(v)))),
        InstData::F32const { bits } => Some(K::F32(bits)),
        InstData::F64const { bits } => Some(K::F64(bits)),
        _ => None,
    }
}

fn int_of(k: Option<K>) -> Option<i64> {
    match k {
        Some(K::Int(x)) => Some(x),
        _ => None,
    }
}

fn fold(dfg: &DataFlowGraph, inst: Inst) -> Option<Fold> {
    let data = dfg.inst(inst);
    match *data {
        InstData::Brif { arg, then_dest, else_dest } => match int_of(konst(dfg, arg)) {
            Some(x) => Some(Fold::Jump(if x != 0 { then_dest } else { else_dest })),
            None => (then_dest.block == else_dest.block
                && dfg.block_call_args(&then_dest) == dfg.block_call_args(&else_dest))
            .then_some(Fold::Jump(then_dest)),
        },
        InstData::BrTable { arg, table } => {
            let index = int_of(konst(dfg, arg))? as u32 as usize;
            let jt = &dfg.jump_tables[table];
            Some(Fold::Jump(*jt.targets.get(index).unwrap_or(&jt.default)))
        }
        InstData::CondTrap { opcode, arg, .. } => {
            let x = int_of(konst(dfg, arg))?;
            let fires = if opcode == Opcode::Trapz { x == 0 } else { x != 0 };
            (!fires).then_some(Fold::Remove)
        }
        _ => fold_value(dfg, data, dfg.inst_results(inst).first().map(|&r| dfg.value_type(r))?),
    }
}

/// Folds pure instruction `data`, whose one result has type `rt`, to a
/// constant or one of its operands: for this pass, and for the builder,
/// which folds as it builds (so the interpreter, whose pipeline runs no
/// `const_fold`, still sees the constant arithmetic the linker leaves, such
/// as `(-8 - 147248) & 15`, folded).
pub(crate) fn fold_value(dfg: &DataFlowGraph, data: &InstData, rt: Type) -> Option<Fold> {
    match *data {
        InstData::Unary { opcode, arg } => {
            unary(opcode, konst(dfg, arg)?, dfg.value_type(arg), rt).map(Fold::Const)
        }
        InstData::Binary { opcode, args: [a, b] } => {
            let (ka, kb) = (konst(dfg, a), konst(dfg, b));
            // Without a constant operand only the `a == b` identities apply.
            if ka.is_none() && kb.is_none() && a != b {
                return None;
            }
            if let (Some(x), Some(y)) = (ka, kb)
                && let Some(k) = binary(opcode, x, y, rt)
            {
                return Some(Fold::Const(k));
            }
            if rt.is_int() { identity(opcode, a, b, int_of(ka), int_of(kb), rt) } else { None }
        }
        InstData::IntCompare { cond, args: [a, b] } => {
            let is_64 = dfg.value_type(a) == Type::I64;
            let holds = if a == b {
                cond.eval(0, 0, is_64)
            } else {
                cond.eval(int_of(konst(dfg, a))?, int_of(konst(dfg, b))?, is_64)
            };
            Some(Fold::Const(K::Int(i64::from(holds))))
        }
        InstData::FloatCompare { cond, args: [a, b] } => {
            let (x, y) = (as_f64(konst(dfg, a)?)?, as_f64(konst(dfg, b)?)?);
            Some(Fold::Const(K::Int(i64::from(cond.eval(x, y)))))
        }
        InstData::Ternary { opcode: Opcode::Select, args: [c, a, b] } => match int_of(konst(dfg, c)) {
            Some(x) => Some(Fold::Alias(if x != 0 { a } else { b })),
            None => (a == b).then_some(Fold::Alias(a)),
        },
        _ => None,
    }
}

fn as_f64(k: K) -> Option<f64> {
    match k {
        K::F32(b) => Some(f64::from(f32::from_bits(b))),
        K::F64(b) => Some(f64::from_bits(b)),
        K::Int(_) => None,
    }
}

/// Folds a binary operation whose operands (and result) have type `rt`.
fn binary(op: Opcode, x: K, y: K, rt: Type) -> Option<K> {
    match (x, y) {
        (K::Int(a), K::Int(b)) if rt == Type::I64 => i64_binary(op, a, b).map(K::Int),
        (K::Int(a), K::Int(b)) => i32_binary(op, a as i32, b as i32).map(|r| K::Int(i64::from(r))),
        (K::F32(a), K::F32(b)) => f32_binary(op, a, b).map(K::F32),
        (K::F64(a), K::F64(b)) => f64_binary(op, a, b).map(K::F64),
        _ => None,
    }
}

macro_rules! int_binary {
    ($name:ident, $s:ty, $u:ty, $bits:expr) => {
        fn $name(op: Opcode, a: $s, b: $s) -> Option<$s> {
            let (ua, ub) = (a as $u, b as $u);
            let sh = (ub % $bits) as u32;
            Some(match op {
                Opcode::Iadd => a.wrapping_add(b),
                Opcode::Isub => a.wrapping_sub(b),
                Opcode::Imul => a.wrapping_mul(b),
                Opcode::Sdiv => {
                    if b == 0 || (a == <$s>::MIN && b == -1) {
                        return None;
                    }
                    a / b
                }
                Opcode::Udiv => ua.checked_div(ub)? as $s,
                Opcode::Srem => {
                    if b == 0 {
                        return None;
                    }
                    a.wrapping_rem(b)
                }
                Opcode::Urem => ua.checked_rem(ub)? as $s,
                Opcode::Band => a & b,
                Opcode::Bor => a | b,
                Opcode::Bxor => a ^ b,
                Opcode::Ishl => a.wrapping_shl(sh),
                Opcode::Sshr => a.wrapping_shr(sh),
                Opcode::Ushr => (ua >> sh) as $s,
                Opcode::Rotl => ua.rotate_left(sh) as $s,
                Opcode::Rotr => ua.rotate_right(sh) as $s,
                _ => return None,
            })
        }
    };
}

int_binary!(i32_binary, i32, u32, 32);
int_binary!(i64_binary, i64, u64, 64);

macro_rules! float_binary {
    ($name:ident, $f:ty, $bits:ty, $sign:expr) => {
        fn $name(op: Opcode, a: $bits, b: $bits) -> Option<$bits> {
            let (x, y) = (<$f>::from_bits(a), <$f>::from_bits(b));
            let r = match op {
                Opcode::Fadd => x + y,
                Opcode::Fsub => x - y,
                Opcode::Fmul => x * y,
                Opcode::Fdiv => x / y,
                Opcode::Fmin | Opcode::Fmax => {
                    if x.is_nan() || y.is_nan() {
                        return None;
                    }
                    let min = op == Opcode::Fmin;
                    return Some(if x < y {
                        if min { a } else { b }
                    } else if y < x {
                        if min { b } else { a }
                    } else if min {
                        // Equal: the same bits, or zeros where -0 is the smaller.
                        a | b
                    } else {
                        a & b
                    });
                }
                Opcode::Fcopysign => return Some((a & !$sign) | (b & $sign)),
                _ => return None,
            };
            if r.is_nan() { None } else { Some(r.to_bits()) }
        }
    };
}

float_binary!(f32_binary, f32, u32, 0x8000_0000u32);
float_binary!(f64_binary, f64, u64, 0x8000_0000_0000_0000u64);

/// Integer identities with at most one constant operand (`x`, `y` are the
/// constant values of `a`, `b` if any).
fn identity(op: Opcode, a: Value, b: Value, x: Option<i64>, y: Option<i64>, rt: Type) -> Option<Fold> {
    let width_mask = if rt == Type::I64 { 63 } else { 31 };
    let zero = Some(0);
    let ones = Some(-1);
    Some(match op {
        Opcode::Iadd if y == zero => Fold::Alias(a),
        Opcode::Iadd if x == zero => Fold::Alias(b),
        Opcode::Isub if y == zero => Fold::Alias(a),
        Opcode::Isub | Opcode::Bxor if a == b => Fold::Const(K::Int(0)),
        Opcode::Imul if y == Some(1) => Fold::Alias(a),
        Opcode::Imul if x == Some(1) => Fold::Alias(b),
        Opcode::Imul | Opcode::Band if x == zero || y == zero => Fold::Const(K::Int(0)),
        Opcode::Band if y == ones => Fold::Alias(a),
        Opcode::Band if x == ones => Fold::Alias(b),
        Opcode::Bor | Opcode::Bxor if y == zero => Fold::Alias(a),
        Opcode::Bor | Opcode::Bxor if x == zero => Fold::Alias(b),
        Opcode::Bor if x == ones || y == ones => Fold::Const(K::Int(-1)),
        Opcode::Band | Opcode::Bor if a == b => Fold::Alias(a),
        Opcode::Ishl | Opcode::Sshr | Opcode::Ushr | Opcode::Rotl | Opcode::Rotr
            if y.is_some_and(|s| s & width_mask == 0) =>
        {
            Fold::Alias(a)
        }
        _ => return None,
    })
}

/// Folds a unary operation on a constant of type `at` producing `rt`.
fn unary(op: Opcode, k: K, at: Type, rt: Type) -> Option<K> {
    match k {
        K::Int(x) => int_unary(op, x, at == Type::I64, rt),
        K::F32(bits) => {
            let x = f32::from_bits(bits);
            let rounded = |r: f32| (!r.is_nan()).then_some(K::F32(r.to_bits()));
            match op {
                Opcode::Fabs => Some(K::F32(bits & 0x7fff_ffff)),
                Opcode::Fneg => Some(K::F32(bits ^ 0x8000_0000)),
                Opcode::Fsqrt => rounded(x.sqrt()),
                Opcode::Fceil => rounded(x.ceil()),
                Opcode::Ffloor => rounded(x.floor()),
                Opcode::Ftrunc => rounded(x.trunc()),
                Opcode::Fnearest => rounded(x.round_ties_even()),
                Opcode::Fpromote => (!x.is_nan()).then(|| K::F64(f64::from(x).to_bits())),
                Opcode::Bitcast => Some(K::Int(i64::from(bits as i32))),
                _ => float_to_int(op, f64::from(x), rt),
            }
        }
        K::F64(bits) => {
            let x = f64::from_bits(bits);
            let rounded = |r: f64| (!r.is_nan()).then_some(K::F64(r.to_bits()));
            match op {
                Opcode::Fabs => Some(K::F64(bits & 0x7fff_ffff_ffff_ffff)),
                Opcode::Fneg => Some(K::F64(bits ^ 0x8000_0000_0000_0000)),
                Opcode::Fsqrt => rounded(x.sqrt()),
                Opcode::Fceil => rounded(x.ceil()),
                Opcode::Ffloor => rounded(x.floor()),
                Opcode::Ftrunc => rounded(x.trunc()),
                Opcode::Fnearest => rounded(x.round_ties_even()),
                Opcode::Fdemote => (!x.is_nan()).then(|| K::F32((x as f32).to_bits())),
                Opcode::Bitcast => Some(K::Int(bits as i64)),
                _ => float_to_int(op, x, rt),
            }
        }
    }
}

fn int_unary(op: Opcode, x: i64, is_64: bool, rt: Type) -> Option<K> {
    let (signed, unsigned) = if is_64 { (x, x as u64) } else { (i64::from(x as i32), u64::from(x as u32)) };
    let count = |n: u32| Some(K::Int(i64::from(n)));
    match op {
        Opcode::Clz if is_64 => count(unsigned.leading_zeros()),
        Opcode::Clz => count((unsigned as u32).leading_zeros()),
        Opcode::Ctz if is_64 => count(unsigned.trailing_zeros()),
        Opcode::Ctz => count((unsigned as u32).trailing_zeros()),
        Opcode::Popcnt => count(unsigned.count_ones()),
        Opcode::Sextend8 => Some(K::Int(i64::from(x as i8))),
        Opcode::Sextend16 => Some(K::Int(i64::from(x as i16))),
        Opcode::Sextend32 | Opcode::Sextend | Opcode::Ireduce => Some(K::Int(i64::from(x as i32))),
        Opcode::Uextend => Some(K::Int(i64::from(x as u32))),
        Opcode::FcvtFromSint => Some(match rt {
            Type::F32 => K::F32((signed as f32).to_bits()),
            _ => K::F64((signed as f64).to_bits()),
        }),
        Opcode::FcvtFromUint => Some(match rt {
            Type::F32 => K::F32((unsigned as f32).to_bits()),
            _ => K::F64((unsigned as f64).to_bits()),
        }),
        Opcode::Bitcast => Some(match rt {
            Type::F32 => K::F32(x as u32),
            _ => K::F64(x as u64),
        }),
        _ => None,
    }
}

/// Float-to-int conversions of `x` (exact in f64 whatever the source width).
fn float_to_int(op: Opcode, x: f64, rt: Type) -> Option<K> {
    let signed = matches!(op, Opcode::FcvtToSint | Opcode::FcvtToSintSat);
    // Rust's `as` saturates and maps NaN to 0: exactly Wasm's `trunc_sat`.
    let saturated = match (rt, signed) {
        (Type::I32, true) => i64::from(x as i32),
        (Type::I32, false) => i64::from(x as u32 as i32),
        (_, true) => x as i64,
        (_, false) => x as u64 as i64,
    };
    match op {
        Opcode::FcvtToSintSat | Opcode::FcvtToUintSat => Some(K::Int(saturated)),
        Opcode::FcvtToSint | Opcode::FcvtToUint => {
            // Fold only what does not trap: not NaN, and in range after truncation.
            let t = x.trunc();
            let in_range = match (rt, signed) {
                (Type::I32, true) => (-2147483648.0..=2147483647.0).contains(&t),
                (Type::I32, false) => t > -1.0 && t <= 4294967295.0,
                (_, true) => (-9223372036854775808.0..9223372036854775808.0).contains(&t),
                (_, false) => t > -1.0 && t < 18446744073709551616.0,
            };
            in_range.then_some(K::Int(saturated))
        }
        _ => None,
    }
}

#[cfg(test)]
#[path = "const_fold_tests.rs"]
mod tests;
