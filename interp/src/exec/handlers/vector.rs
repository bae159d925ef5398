//! Handlers of the SIMD ops (the lane arithmetic is in `exec/simd.rs` and
//! `semantics/simd`).

use super::{NO_CONSTANT, WRONG_FAMILY, handlers};
use crate::exec::simd;
use crate::semantics::simd::i8x16_shuffle;

handlers! { |pc, r, vm, heap, code, cx|
    VUnary { dst, op, a } => r.set_v128(dst, simd::unary(op, r.v128(a)).ok_or(WRONG_FAMILY)?);
    VBinary { dst, op, a, b } => r.set_v128(dst, simd::binary(op, r.v128(a), r.v128(b)).ok_or(WRONG_FAMILY)?);
    VTernary { dst, op, a, b, c } => {
        r.set_v128(dst, simd::ternary(op, r.v128(a), r.v128(b), r.v128(c)).ok_or(WRONG_FAMILY)?)
    };
    VShift { dst, op, a, b } => r.set_v128(dst, simd::shift(op, r.v128(a), r.i32(b)).ok_or(WRONG_FAMILY)?);
    VSplat { dst, op, a } => r.set_v128(dst, simd::splat(op, r.get(a)).ok_or(WRONG_FAMILY)?);
    VReduce { dst, op, a } => r.set_i32(dst, simd::reduce(op, r.v128(a)).ok_or(WRONG_FAMILY)?);
    Shuffle { dst, a, b, mask } => {
        let m = cx.func.consts.get(mask as usize).ok_or(NO_CONSTANT)?;
        r.set_v128(dst, i8x16_shuffle(r.v128(a), r.v128(b), m.to_le_bytes()))
    };
    ExtractLane { dst, src, shape, lane } => r.set(dst, simd::extract_lane(shape, r.v128(src), lane));
    InsertLane { dst, vec, scalar, shape, lane } => {
        r.set_v128(dst, simd::insert_lane(shape, r.v128(vec), lane, r.get(scalar)))
    };
}
