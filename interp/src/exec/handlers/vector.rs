//! Handlers of the SIMD ops (the lane arithmetic is in `exec/simd.rs` and
//! `semantics/simd`).

use super::{NO_CONSTANT, WRONG_FAMILY, handlers};
use crate::exec::simd;
use crate::semantics::simd::i8x16_shuffle;
use zerowasm_ssa::VecOp;

/// One handler per vector op of `code::vector_op_table`. Each looks its
/// function up with a constant `VecOp` (`simd::binary_fn`), which inlining
/// folds to a direct call of the one lane operation, inlined in turn (and
/// the family check away). Integer-lane ops listed by `simd::*_lanes_fn`
/// take the operands' bytes instead of a `u128` (see there). Going through
/// `simd::binary` instead would pass the result through an `Option<u128>`,
/// which LLVM keeps in integer registers: the lane loop then no longer
/// vectorizes.
macro_rules! vector_handlers {
    (unary: [$($un:ident = $ut:literal),* $(,)?] binary: [$($bn:ident = $bt:literal),* $(,)?]
     shift: [$($sn:ident = $st:literal),* $(,)?] reduce: [$($rn:ident = $rt:literal),* $(,)?]) => {
        handlers! { |pc, r, vm, heap, code, cx|
            $( $un { dst, a } => {
                if let Some(f) = simd::unary_lanes_fn(VecOp::$un) {
                    r.set_v128_bytes(dst, f(r.v128_bytes(a)))
                } else {
                    let f = simd::unary_fn(VecOp::$un).ok_or(WRONG_FAMILY)?;
                    r.set_v128(dst, f(r.v128(a)))
                }
            }; )*
            $( $bn { dst, a, b } => {
                if let Some(f) = simd::binary_lanes_fn(VecOp::$bn) {
                    r.set_v128_bytes(dst, f(r.v128_bytes(a), r.v128_bytes(b)))
                } else {
                    let f = simd::binary_fn(VecOp::$bn).ok_or(WRONG_FAMILY)?;
                    r.set_v128(dst, f(r.v128(a), r.v128(b)))
                }
            }; )*
            $( $sn { dst, a, b } => {
                if let Some(f) = simd::shift_lanes_fn(VecOp::$sn) {
                    r.set_v128_bytes(dst, f(r.v128_bytes(a), r.i32(b)))
                } else {
                    let f = simd::shift_fn(VecOp::$sn).ok_or(WRONG_FAMILY)?;
                    r.set_v128(dst, f(r.v128(a), r.i32(b)))
                }
            }; )*
            $( $rn { dst, a } => {
                if let Some(f) = simd::reduce_lanes_fn(VecOp::$rn) {
                    r.set_i32(dst, f(r.v128_bytes(a)))
                } else {
                    let f = simd::reduce_fn(VecOp::$rn).ok_or(WRONG_FAMILY)?;
                    r.set_i32(dst, f(r.v128(a)))
                }
            }; )*
        }
    };
}
crate::code::vector_op_table!([vector_handlers] []);

handlers! { |pc, r, vm, heap, code, cx|
    VTernary { dst, op, a, b, c } => {
        r.set_v128(dst, simd::ternary(op, r.v128(a), r.v128(b), r.v128(c)).ok_or(WRONG_FAMILY)?)
    };
    VSplat { dst, op, a } => r.set_v128(dst, simd::splat(op, r.get(a)).ok_or(WRONG_FAMILY)?);
    Shuffle { dst, a, b, mask } => {
        let m = cx.func.consts.get(mask as usize).ok_or(NO_CONSTANT)?;
        r.set_v128(dst, i8x16_shuffle(r.v128(a), r.v128(b), m.to_le_bytes()))
    };
    ExtractLane { dst, src, shape, lane } => r.set(dst, simd::extract_lane(shape, r.v128(src), lane));
    InsertLane { dst, vec, scalar, shape, lane } => {
        r.set_v128(dst, simd::insert_lane(shape, r.v128(vec), lane, r.get(scalar)))
    };
}
