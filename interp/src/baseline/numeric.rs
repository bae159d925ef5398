//! The numeric instructions' ops, by [`SimpleOp`]: the op kinds carry the
//! instructions' names, so each table is one list.

use zerowasm_frontend::SimpleOp;

use crate::code::{Op, Slot};

macro_rules! same_name {
    ($fn:ident ($dst:ident, $($arg:ident: $t:ty),*) $fields:tt { $($name:ident),* $(,)? }) => {
        /// The op of instruction `s` with these operands, if it has one of this shape.
        pub(super) fn $fn(s: SimpleOp, $dst: Slot, $($arg: $t),*) -> Option<Op> {
            Some(match s {
                $(SimpleOp::$name => Op::$name $fields,)*
                _ => return None,
            })
        }
    };
}

same_name!(unary(dst, a: Slot) { dst, a } {
    I32Clz, I32Ctz, I32Popcnt, I64Clz, I64Ctz, I64Popcnt,
    F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
    F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
    I32WrapI64, I64ExtendI32S, I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
    I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
    I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
    I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
    I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
    F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
    F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
});

same_name!(reg_form(dst, a: Slot, b: Slot) { dst, a, b } {
    I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
    I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
    I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
    I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
    I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
    I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
    F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
    F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
    F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
    F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
});

macro_rules! imm_forms {
    (i32: [$($n:ident => $ni:ident),* $(,)?] i64: [$($m:ident => $mi:ident),* $(,)?]) => {
        /// The op of `s` with constant `k` (its bits) as the right operand, if it has such a form.
        pub(super) fn imm_form(s: SimpleOp, dst: Slot, a: Slot, k: u64) -> Option<Op> {
            Some(match s {
                $(SimpleOp::$n => Op::$ni { dst, a, imm: k as u32 as i32 },)*
                $(SimpleOp::$m => Op::$mi { dst, a, imm: k as i64 },)*
                _ => return None,
            })
        }
    };
}

imm_forms! {
    i32: [
        I32Add => I32AddImm, I32Sub => I32SubImm, I32Mul => I32MulImm,
        I32DivS => I32DivSImm, I32DivU => I32DivUImm, I32RemS => I32RemSImm, I32RemU => I32RemUImm,
        I32And => I32AndImm, I32Or => I32OrImm, I32Xor => I32XorImm, I32Shl => I32ShlImm,
        I32ShrS => I32ShrSImm, I32ShrU => I32ShrUImm, I32Rotl => I32RotlImm, I32Rotr => I32RotrImm,
        I32Eq => I32EqImm, I32Ne => I32NeImm, I32LtS => I32LtSImm, I32LtU => I32LtUImm,
        I32GtS => I32GtSImm, I32GtU => I32GtUImm, I32LeS => I32LeSImm, I32LeU => I32LeUImm,
        I32GeS => I32GeSImm, I32GeU => I32GeUImm,
    ]
    i64: [
        I64Add => I64AddImm, I64Sub => I64SubImm, I64Mul => I64MulImm,
        I64DivS => I64DivSImm, I64DivU => I64DivUImm, I64RemS => I64RemSImm, I64RemU => I64RemUImm,
        I64And => I64AndImm, I64Or => I64OrImm, I64Xor => I64XorImm, I64Shl => I64ShlImm,
        I64ShrS => I64ShrSImm, I64ShrU => I64ShrUImm, I64Rotl => I64RotlImm, I64Rotr => I64RotrImm,
        I64Eq => I64EqImm, I64Ne => I64NeImm, I64LtS => I64LtSImm, I64LtU => I64LtUImm,
        I64GtS => I64GtSImm, I64GtU => I64GtUImm, I64LeS => I64LeSImm, I64LeU => I64LeUImm,
        I64GeS => I64GeSImm, I64GeU => I64GeUImm,
    ]
}

/// The op of `s` with constant `k` as the *left* operand, if it has such a
/// form: commutative ops and compares (mirrored) take it on the right, and
/// `i32.sub`, `i32.shl` and `i32.rotl` have forms of their own.
pub(super) fn imm_left(s: SimpleOp, dst: Slot, k: u64, b: Slot) -> Option<Op> {
    use SimpleOp as S;
    let imm = k as u32 as i32;
    let mirrored = match s {
        S::I32Sub => return Some(Op::I32ImmSub { dst, imm, b }),
        S::I32Shl => return Some(Op::I32ImmShl { dst, imm, b }),
        S::I32Rotl => return Some(Op::I32ImmRotl { dst, imm, b }),
        S::I32Add | S::I32Mul | S::I32And | S::I32Or | S::I32Xor | S::I32Eq | S::I32Ne => s,
        S::I64Add | S::I64Mul | S::I64And | S::I64Or | S::I64Xor | S::I64Eq | S::I64Ne => s,
        S::I32LtS => S::I32GtS,
        S::I32LtU => S::I32GtU,
        S::I32GtS => S::I32LtS,
        S::I32GtU => S::I32LtU,
        S::I32LeS => S::I32GeS,
        S::I32LeU => S::I32GeU,
        S::I32GeS => S::I32LeS,
        S::I32GeU => S::I32LeU,
        S::I64LtS => S::I64GtS,
        S::I64LtU => S::I64GtU,
        S::I64GtS => S::I64LtS,
        S::I64GtU => S::I64LtU,
        S::I64LeS => S::I64GeS,
        S::I64LeU => S::I64GeU,
        S::I64GeS => S::I64LeS,
        S::I64GeU => S::I64LeU,
        _ => return None,
    };
    imm_form(mirrored, dst, b, k)
}

/// Builds a three-operand op from `(dst, a, b, c)`.
pub(super) type MakeTernary = fn(Slot, Slot, Slot, Slot) -> Op;

/// A float add, sub or mul, with its width: the parts of the fused pairs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct FloatPair {
    f64: bool,
    kind: FloatKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FloatKind {
    Add,
    Sub,
    Mul,
}

/// The [`FloatPair`] of instruction `s`, if it is a float add, sub or mul.
pub(super) fn float_pair_kind(s: SimpleOp) -> Option<FloatPair> {
    use FloatKind::*;
    let (f64, kind) = match s {
        SimpleOp::F32Add => (false, Add),
        SimpleOp::F32Sub => (false, Sub),
        SimpleOp::F32Mul => (false, Mul),
        SimpleOp::F64Add => (true, Add),
        SimpleOp::F64Sub => (true, Sub),
        SimpleOp::F64Mul => (true, Mul),
        _ => return None,
    };
    Some(FloatPair { f64, kind })
}

/// The kind, result cell and operands of a float add, sub or mul op.
pub(super) fn float_pair_parts(op: Op) -> Option<(FloatPair, u16, Slot, Slot)> {
    use FloatKind::*;
    let (f64, kind, dst, a, b) = match op {
        Op::F32Add { dst, a, b } => (false, Add, dst, a, b),
        Op::F32Sub { dst, a, b } => (false, Sub, dst, a, b),
        Op::F32Mul { dst, a, b } => (false, Mul, dst, a, b),
        Op::F64Add { dst, a, b } => (true, Add, dst, a, b),
        Op::F64Sub { dst, a, b } => (true, Sub, dst, a, b),
        Op::F64Mul { dst, a, b } => (true, Mul, dst, a, b),
        _ => return None,
    };
    Some((FloatPair { f64, kind }, dst.0, a, b))
}

/// The fused op of `(x first y) second c` (`left`) or `c second (x first y)`,
/// as a constructor of `(dst, x, y, c)`: the second add or mul takes its
/// operands in either order, and `c - (x first y)` is a reversed sub.
pub(super) fn float_pair_op(first: FloatPair, second: FloatPair, left: bool) -> Option<MakeTernary> {
    use FloatKind::*;
    if first.f64 != second.f64 {
        return None;
    }
    macro_rules! pick {
        ($($k1:ident $k2:ident $rev:literal => $f32:ident, $f64:ident;)*) => {
            match (first.kind, second.kind, !left && second.kind == Sub) {
                $(
                    ($k1, $k2, $rev) => Some(if first.f64 {
                        |dst, a, b, c| Op::$f64 { dst, a, b, c }
                    } else {
                        |dst, a, b, c| Op::$f32 { dst, a, b, c }
                    }),
                )*
                _ => None,
            }
        };
    }
    pick! {
        Add Add false => F32AddAdd, F64AddAdd;
        Add Sub false => F32AddSub, F64AddSub;
        Add Sub true => F32AddRsub, F64AddRsub;
        Add Mul false => F32AddMul, F64AddMul;
        Sub Add false => F32SubAdd, F64SubAdd;
        Sub Sub false => F32SubSub, F64SubSub;
        Sub Sub true => F32SubRsub, F64SubRsub;
        Sub Mul false => F32SubMul, F64SubMul;
        Mul Add false => F32MulAdd, F64MulAdd;
        Mul Sub false => F32MulSub, F64MulSub;
        Mul Sub true => F32MulRsub, F64MulRsub;
        Mul Mul false => F32MulMul, F64MulMul;
    }
}
