//! SIMD execution: dispatches a [`VecOp`] to its bit-exact function in
//! [`crate::semantics::simd`]. The op families of the slot code fix the
//! signature; each function returns `None` for an op outside its family, which
//! translation never emits ([`supports`] is checked there and in a test).

use zerowasm_ssa::{LaneShape, LoadKind, VecOp};

use super::memory::{load, store};

use crate::semantics::simd as s;

/// True if the interpreter executes `op` (every Wasm 2.0 vector op).
pub(crate) fn supports(op: VecOp) -> bool {
    let (z, i) = (0u128, 0u64);
    unary(op, z).is_some()
        || binary(op, z, z).is_some()
        || ternary(op, z, z, z).is_some()
        || shift(op, z, 0).is_some()
        || splat(op, i).is_some()
        || reduce(op, z).is_some()
}

/// `v128 -> v128` ops.
pub(crate) fn unary(op: VecOp, a: u128) -> Option<u128> {
    unary_fn(op).map(|f| f(a))
}

/// The function of the unary op `op` (see [`unary`]). Handlers with a
/// constant `op` call it directly: inlining folds the match away.
#[inline(always)]
pub(crate) fn unary_fn(op: VecOp) -> Option<fn(u128) -> u128> {
    Some(match op {
        VecOp::V128Not => s::v128_not,
        VecOp::F32x4DemoteF64x2Zero => s::f32x4_demote_f64x2_zero,
        VecOp::F64x2PromoteLowF32x4 => s::f64x2_promote_low_f32x4,
        VecOp::I8x16Abs => s::i8x16_abs,
        VecOp::I8x16Neg => s::i8x16_neg,
        VecOp::I8x16Popcnt => s::i8x16_popcnt,
        VecOp::F32x4Ceil => s::f32x4_ceil,
        VecOp::F32x4Floor => s::f32x4_floor,
        VecOp::F32x4Trunc => s::f32x4_trunc,
        VecOp::F32x4Nearest => s::f32x4_nearest,
        VecOp::F64x2Ceil => s::f64x2_ceil,
        VecOp::F64x2Floor => s::f64x2_floor,
        VecOp::F64x2Trunc => s::f64x2_trunc,
        VecOp::I16x8ExtaddPairwiseI8x16S => s::i16x8_extadd_pairwise_i8x16_s,
        VecOp::I16x8ExtaddPairwiseI8x16U => s::i16x8_extadd_pairwise_i8x16_u,
        VecOp::I32x4ExtaddPairwiseI16x8S => s::i32x4_extadd_pairwise_i16x8_s,
        VecOp::I32x4ExtaddPairwiseI16x8U => s::i32x4_extadd_pairwise_i16x8_u,
        VecOp::I16x8Abs => s::i16x8_abs,
        VecOp::I16x8Neg => s::i16x8_neg,
        VecOp::I16x8ExtendLowI8x16S => s::i16x8_extend_low_i8x16_s,
        VecOp::I16x8ExtendHighI8x16S => s::i16x8_extend_high_i8x16_s,
        VecOp::I16x8ExtendLowI8x16U => s::i16x8_extend_low_i8x16_u,
        VecOp::I16x8ExtendHighI8x16U => s::i16x8_extend_high_i8x16_u,
        VecOp::F64x2Nearest => s::f64x2_nearest,
        VecOp::I32x4Abs => s::i32x4_abs,
        VecOp::I32x4Neg => s::i32x4_neg,
        VecOp::I32x4ExtendLowI16x8S => s::i32x4_extend_low_i16x8_s,
        VecOp::I32x4ExtendHighI16x8S => s::i32x4_extend_high_i16x8_s,
        VecOp::I32x4ExtendLowI16x8U => s::i32x4_extend_low_i16x8_u,
        VecOp::I32x4ExtendHighI16x8U => s::i32x4_extend_high_i16x8_u,
        VecOp::I64x2Abs => s::i64x2_abs,
        VecOp::I64x2Neg => s::i64x2_neg,
        VecOp::I64x2ExtendLowI32x4S => s::i64x2_extend_low_i32x4_s,
        VecOp::I64x2ExtendHighI32x4S => s::i64x2_extend_high_i32x4_s,
        VecOp::I64x2ExtendLowI32x4U => s::i64x2_extend_low_i32x4_u,
        VecOp::I64x2ExtendHighI32x4U => s::i64x2_extend_high_i32x4_u,
        VecOp::F32x4Abs => s::f32x4_abs,
        VecOp::F32x4Neg => s::f32x4_neg,
        VecOp::F32x4Sqrt => s::f32x4_sqrt,
        VecOp::F64x2Abs => s::f64x2_abs,
        VecOp::F64x2Neg => s::f64x2_neg,
        VecOp::F64x2Sqrt => s::f64x2_sqrt,
        VecOp::I32x4TruncSatF32x4S => s::i32x4_trunc_sat_f32x4_s,
        VecOp::I32x4TruncSatF32x4U => s::i32x4_trunc_sat_f32x4_u,
        VecOp::F32x4ConvertI32x4S => s::f32x4_convert_i32x4_s,
        VecOp::F32x4ConvertI32x4U => s::f32x4_convert_i32x4_u,
        VecOp::I32x4TruncSatF64x2SZero => s::i32x4_trunc_sat_f64x2_s_zero,
        VecOp::I32x4TruncSatF64x2UZero => s::i32x4_trunc_sat_f64x2_u_zero,
        VecOp::F64x2ConvertLowI32x4S => s::f64x2_convert_low_i32x4_s,
        VecOp::F64x2ConvertLowI32x4U => s::f64x2_convert_low_i32x4_u,
        _ => return None,
    })
}

/// `v128, v128 -> v128` ops.
pub(crate) fn binary(op: VecOp, a: u128, b: u128) -> Option<u128> {
    binary_fn(op).map(|f| f(a, b))
}

/// The function of the binary op `op` (see [`binary`]). Handlers with a
/// constant `op` call it directly: inlining folds the match away.
#[inline(always)]
pub(crate) fn binary_fn(op: VecOp) -> Option<fn(u128, u128) -> u128> {
    Some(match op {
        VecOp::I8x16Swizzle => s::i8x16_swizzle,
        VecOp::I8x16Eq => s::i8x16_eq,
        VecOp::I8x16Ne => s::i8x16_ne,
        VecOp::I8x16LtS => s::i8x16_lt_s,
        VecOp::I8x16LtU => s::i8x16_lt_u,
        VecOp::I8x16GtS => s::i8x16_gt_s,
        VecOp::I8x16GtU => s::i8x16_gt_u,
        VecOp::I8x16LeS => s::i8x16_le_s,
        VecOp::I8x16LeU => s::i8x16_le_u,
        VecOp::I8x16GeS => s::i8x16_ge_s,
        VecOp::I8x16GeU => s::i8x16_ge_u,
        VecOp::I16x8Eq => s::i16x8_eq,
        VecOp::I16x8Ne => s::i16x8_ne,
        VecOp::I16x8LtS => s::i16x8_lt_s,
        VecOp::I16x8LtU => s::i16x8_lt_u,
        VecOp::I16x8GtS => s::i16x8_gt_s,
        VecOp::I16x8GtU => s::i16x8_gt_u,
        VecOp::I16x8LeS => s::i16x8_le_s,
        VecOp::I16x8LeU => s::i16x8_le_u,
        VecOp::I16x8GeS => s::i16x8_ge_s,
        VecOp::I16x8GeU => s::i16x8_ge_u,
        VecOp::I32x4Eq => s::i32x4_eq,
        VecOp::I32x4Ne => s::i32x4_ne,
        VecOp::I32x4LtS => s::i32x4_lt_s,
        VecOp::I32x4LtU => s::i32x4_lt_u,
        VecOp::I32x4GtS => s::i32x4_gt_s,
        VecOp::I32x4GtU => s::i32x4_gt_u,
        VecOp::I32x4LeS => s::i32x4_le_s,
        VecOp::I32x4LeU => s::i32x4_le_u,
        VecOp::I32x4GeS => s::i32x4_ge_s,
        VecOp::I32x4GeU => s::i32x4_ge_u,
        VecOp::F32x4Eq => s::f32x4_eq,
        VecOp::F32x4Ne => s::f32x4_ne,
        VecOp::F32x4Lt => s::f32x4_lt,
        VecOp::F32x4Gt => s::f32x4_gt,
        VecOp::F32x4Le => s::f32x4_le,
        VecOp::F32x4Ge => s::f32x4_ge,
        VecOp::F64x2Eq => s::f64x2_eq,
        VecOp::F64x2Ne => s::f64x2_ne,
        VecOp::F64x2Lt => s::f64x2_lt,
        VecOp::F64x2Gt => s::f64x2_gt,
        VecOp::F64x2Le => s::f64x2_le,
        VecOp::F64x2Ge => s::f64x2_ge,
        VecOp::V128And => s::v128_and,
        VecOp::V128AndNot => s::v128_andnot,
        VecOp::V128Or => s::v128_or,
        VecOp::V128Xor => s::v128_xor,
        VecOp::I8x16NarrowI16x8S => s::i8x16_narrow_i16x8_s,
        VecOp::I8x16NarrowI16x8U => s::i8x16_narrow_i16x8_u,
        VecOp::I8x16Add => s::i8x16_add,
        VecOp::I8x16AddSatS => s::i8x16_add_sat_s,
        VecOp::I8x16AddSatU => s::i8x16_add_sat_u,
        VecOp::I8x16Sub => s::i8x16_sub,
        VecOp::I8x16SubSatS => s::i8x16_sub_sat_s,
        VecOp::I8x16SubSatU => s::i8x16_sub_sat_u,
        VecOp::I8x16MinS => s::i8x16_min_s,
        VecOp::I8x16MinU => s::i8x16_min_u,
        VecOp::I8x16MaxS => s::i8x16_max_s,
        VecOp::I8x16MaxU => s::i8x16_max_u,
        VecOp::I8x16AvgrU => s::i8x16_avgr_u,
        VecOp::I16x8Q15MulrSatS => s::i16x8_q15mulr_sat_s,
        VecOp::I16x8NarrowI32x4S => s::i16x8_narrow_i32x4_s,
        VecOp::I16x8NarrowI32x4U => s::i16x8_narrow_i32x4_u,
        VecOp::I16x8Add => s::i16x8_add,
        VecOp::I16x8AddSatS => s::i16x8_add_sat_s,
        VecOp::I16x8AddSatU => s::i16x8_add_sat_u,
        VecOp::I16x8Sub => s::i16x8_sub,
        VecOp::I16x8SubSatS => s::i16x8_sub_sat_s,
        VecOp::I16x8SubSatU => s::i16x8_sub_sat_u,
        VecOp::I16x8Mul => s::i16x8_mul,
        VecOp::I16x8MinS => s::i16x8_min_s,
        VecOp::I16x8MinU => s::i16x8_min_u,
        VecOp::I16x8MaxS => s::i16x8_max_s,
        VecOp::I16x8MaxU => s::i16x8_max_u,
        VecOp::I16x8AvgrU => s::i16x8_avgr_u,
        VecOp::I16x8ExtmulLowI8x16S => s::i16x8_extmul_low_i8x16_s,
        VecOp::I16x8ExtmulHighI8x16S => s::i16x8_extmul_high_i8x16_s,
        VecOp::I16x8ExtmulLowI8x16U => s::i16x8_extmul_low_i8x16_u,
        VecOp::I16x8ExtmulHighI8x16U => s::i16x8_extmul_high_i8x16_u,
        VecOp::I32x4Add => s::i32x4_add,
        VecOp::I32x4Sub => s::i32x4_sub,
        VecOp::I32x4Mul => s::i32x4_mul,
        VecOp::I32x4MinS => s::i32x4_min_s,
        VecOp::I32x4MinU => s::i32x4_min_u,
        VecOp::I32x4MaxS => s::i32x4_max_s,
        VecOp::I32x4MaxU => s::i32x4_max_u,
        VecOp::I32x4DotI16x8S => s::i32x4_dot_i16x8_s,
        VecOp::I32x4ExtmulLowI16x8S => s::i32x4_extmul_low_i16x8_s,
        VecOp::I32x4ExtmulHighI16x8S => s::i32x4_extmul_high_i16x8_s,
        VecOp::I32x4ExtmulLowI16x8U => s::i32x4_extmul_low_i16x8_u,
        VecOp::I32x4ExtmulHighI16x8U => s::i32x4_extmul_high_i16x8_u,
        VecOp::I64x2Add => s::i64x2_add,
        VecOp::I64x2Sub => s::i64x2_sub,
        VecOp::I64x2Mul => s::i64x2_mul,
        VecOp::I64x2Eq => s::i64x2_eq,
        VecOp::I64x2Ne => s::i64x2_ne,
        VecOp::I64x2LtS => s::i64x2_lt_s,
        VecOp::I64x2GtS => s::i64x2_gt_s,
        VecOp::I64x2LeS => s::i64x2_le_s,
        VecOp::I64x2GeS => s::i64x2_ge_s,
        VecOp::I64x2ExtmulLowI32x4S => s::i64x2_extmul_low_i32x4_s,
        VecOp::I64x2ExtmulHighI32x4S => s::i64x2_extmul_high_i32x4_s,
        VecOp::I64x2ExtmulLowI32x4U => s::i64x2_extmul_low_i32x4_u,
        VecOp::I64x2ExtmulHighI32x4U => s::i64x2_extmul_high_i32x4_u,
        VecOp::F32x4Add => s::f32x4_add,
        VecOp::F32x4Sub => s::f32x4_sub,
        VecOp::F32x4Mul => s::f32x4_mul,
        VecOp::F32x4Div => s::f32x4_div,
        VecOp::F32x4Min => s::f32x4_min,
        VecOp::F32x4Max => s::f32x4_max,
        VecOp::F32x4Pmin => s::f32x4_pmin,
        VecOp::F32x4Pmax => s::f32x4_pmax,
        VecOp::F64x2Add => s::f64x2_add,
        VecOp::F64x2Sub => s::f64x2_sub,
        VecOp::F64x2Mul => s::f64x2_mul,
        VecOp::F64x2Div => s::f64x2_div,
        VecOp::F64x2Min => s::f64x2_min,
        VecOp::F64x2Max => s::f64x2_max,
        VecOp::F64x2Pmin => s::f64x2_pmin,
        VecOp::F64x2Pmax => s::f64x2_pmax,
        _ => return None,
    })
}

/// `v128, v128, v128 -> v128` ops.
#[inline]
pub(crate) fn ternary(op: VecOp, a: u128, b: u128, c: u128) -> Option<u128> {
    Some(match op {
        VecOp::V128Bitselect => s::v128_bitselect(a, b, c),
        _ => return None,
    })
}

/// Shifts: `v128, i32 -> v128`.
pub(crate) fn shift(op: VecOp, a: u128, count: i32) -> Option<u128> {
    shift_fn(op).map(|f| f(a, count))
}

/// The function of the shift op `op` (see [`shift`]). Handlers with a
/// constant `op` call it directly: inlining folds the match away.
#[inline(always)]
pub(crate) fn shift_fn(op: VecOp) -> Option<fn(u128, i32) -> u128> {
    Some(match op {
        VecOp::I8x16Shl => s::i8x16_shl,
        VecOp::I8x16ShrS => s::i8x16_shr_s,
        VecOp::I8x16ShrU => s::i8x16_shr_u,
        VecOp::I16x8Shl => s::i16x8_shl,
        VecOp::I16x8ShrS => s::i16x8_shr_s,
        VecOp::I16x8ShrU => s::i16x8_shr_u,
        VecOp::I32x4Shl => s::i32x4_shl,
        VecOp::I32x4ShrS => s::i32x4_shr_s,
        VecOp::I32x4ShrU => s::i32x4_shr_u,
        VecOp::I64x2Shl => s::i64x2_shl,
        VecOp::I64x2ShrS => s::i64x2_shr_s,
        VecOp::I64x2ShrU => s::i64x2_shr_u,
        _ => return None,
    })
}

/// A v128 as its 16 little-endian bytes, the form the lane functions of
/// the `*_lanes_fn` tables take: see [`s::V128`].
pub(crate) type Bytes = [u8; 16];

/// The integer-lane unary ops whose handlers run on the bytes of the cells
/// ([`Regs::v128_bytes`](super::memory::Regs::v128_bytes)) rather than on a
/// `u128`: there LLVM turns their lane loops into packed SSE2/NEON code, on a
/// `u128` into scalar code per lane. The same functions as [`unary_fn`].
#[inline(always)]
pub(crate) fn unary_lanes_fn(op: VecOp) -> Option<fn(Bytes) -> Bytes> {
    Some(match op {
        VecOp::I8x16Abs => s::i8x16_abs,
        VecOp::I8x16Neg => s::i8x16_neg,
        VecOp::I16x8Abs => s::i16x8_abs,
        VecOp::I16x8Neg => s::i16x8_neg,
        VecOp::I32x4Abs => s::i32x4_abs,
        VecOp::I32x4Neg => s::i32x4_neg,
        VecOp::I64x2Abs => s::i64x2_abs,
        VecOp::I64x2Neg => s::i64x2_neg,
        VecOp::I8x16Popcnt => s::i8x16_popcnt,
        VecOp::I16x8ExtaddPairwiseI8x16S => s::i16x8_extadd_pairwise_i8x16_s,
        VecOp::I16x8ExtaddPairwiseI8x16U => s::i16x8_extadd_pairwise_i8x16_u,
        VecOp::I32x4ExtaddPairwiseI16x8S => s::i32x4_extadd_pairwise_i16x8_s,
        VecOp::I32x4ExtaddPairwiseI16x8U => s::i32x4_extadd_pairwise_i16x8_u,
        VecOp::I16x8ExtendLowI8x16S => s::i16x8_extend_low_i8x16_s,
        VecOp::I16x8ExtendHighI8x16S => s::i16x8_extend_high_i8x16_s,
        VecOp::I16x8ExtendLowI8x16U => s::i16x8_extend_low_i8x16_u,
        VecOp::I16x8ExtendHighI8x16U => s::i16x8_extend_high_i8x16_u,
        VecOp::I32x4ExtendLowI16x8S => s::i32x4_extend_low_i16x8_s,
        VecOp::I32x4ExtendHighI16x8S => s::i32x4_extend_high_i16x8_s,
        VecOp::I32x4ExtendLowI16x8U => s::i32x4_extend_low_i16x8_u,
        VecOp::I32x4ExtendHighI16x8U => s::i32x4_extend_high_i16x8_u,
        VecOp::I64x2ExtendLowI32x4S => s::i64x2_extend_low_i32x4_s,
        VecOp::I64x2ExtendHighI32x4S => s::i64x2_extend_high_i32x4_s,
        VecOp::I64x2ExtendLowI32x4U => s::i64x2_extend_low_i32x4_u,
        VecOp::I64x2ExtendHighI32x4U => s::i64x2_extend_high_i32x4_u,
        _ => return None,
    })
}

/// The integer-lane binary ops run on bytes (see [`unary_lanes_fn`]).
#[inline(always)]
pub(crate) fn binary_lanes_fn(op: VecOp) -> Option<fn(Bytes, Bytes) -> Bytes> {
    Some(match op {
        VecOp::I8x16Eq => s::i8x16_eq,
        VecOp::I8x16Ne => s::i8x16_ne,
        VecOp::I8x16LtS => s::i8x16_lt_s,
        VecOp::I8x16LtU => s::i8x16_lt_u,
        VecOp::I8x16GtS => s::i8x16_gt_s,
        VecOp::I8x16GtU => s::i8x16_gt_u,
        VecOp::I8x16LeS => s::i8x16_le_s,
        VecOp::I8x16LeU => s::i8x16_le_u,
        VecOp::I8x16GeS => s::i8x16_ge_s,
        VecOp::I8x16GeU => s::i8x16_ge_u,
        VecOp::I16x8Eq => s::i16x8_eq,
        VecOp::I16x8Ne => s::i16x8_ne,
        VecOp::I16x8LtS => s::i16x8_lt_s,
        VecOp::I16x8LtU => s::i16x8_lt_u,
        VecOp::I16x8GtS => s::i16x8_gt_s,
        VecOp::I16x8GtU => s::i16x8_gt_u,
        VecOp::I16x8LeS => s::i16x8_le_s,
        VecOp::I16x8LeU => s::i16x8_le_u,
        VecOp::I16x8GeS => s::i16x8_ge_s,
        VecOp::I16x8GeU => s::i16x8_ge_u,
        VecOp::I32x4Eq => s::i32x4_eq,
        VecOp::I32x4Ne => s::i32x4_ne,
        VecOp::I32x4LtS => s::i32x4_lt_s,
        VecOp::I32x4LtU => s::i32x4_lt_u,
        VecOp::I32x4GtS => s::i32x4_gt_s,
        VecOp::I32x4GtU => s::i32x4_gt_u,
        VecOp::I32x4LeS => s::i32x4_le_s,
        VecOp::I32x4LeU => s::i32x4_le_u,
        VecOp::I32x4GeS => s::i32x4_ge_s,
        VecOp::I32x4GeU => s::i32x4_ge_u,
        VecOp::I64x2Eq => s::i64x2_eq,
        VecOp::I64x2Ne => s::i64x2_ne,
        VecOp::I64x2LtS => s::i64x2_lt_s,
        VecOp::I64x2GtS => s::i64x2_gt_s,
        VecOp::I64x2LeS => s::i64x2_le_s,
        VecOp::I64x2GeS => s::i64x2_ge_s,
        VecOp::I8x16NarrowI16x8S => s::i8x16_narrow_i16x8_s,
        VecOp::I8x16NarrowI16x8U => s::i8x16_narrow_i16x8_u,
        VecOp::I16x8NarrowI32x4S => s::i16x8_narrow_i32x4_s,
        VecOp::I16x8NarrowI32x4U => s::i16x8_narrow_i32x4_u,
        VecOp::I8x16Add => s::i8x16_add,
        VecOp::I8x16AddSatS => s::i8x16_add_sat_s,
        VecOp::I8x16AddSatU => s::i8x16_add_sat_u,
        VecOp::I8x16Sub => s::i8x16_sub,
        VecOp::I8x16SubSatS => s::i8x16_sub_sat_s,
        VecOp::I8x16SubSatU => s::i8x16_sub_sat_u,
        VecOp::I8x16MinS => s::i8x16_min_s,
        VecOp::I8x16MinU => s::i8x16_min_u,
        VecOp::I8x16MaxS => s::i8x16_max_s,
        VecOp::I8x16MaxU => s::i8x16_max_u,
        VecOp::I8x16AvgrU => s::i8x16_avgr_u,
        VecOp::I16x8Q15MulrSatS => s::i16x8_q15mulr_sat_s,
        VecOp::I16x8Add => s::i16x8_add,
        VecOp::I16x8AddSatS => s::i16x8_add_sat_s,
        VecOp::I16x8AddSatU => s::i16x8_add_sat_u,
        VecOp::I16x8Sub => s::i16x8_sub,
        VecOp::I16x8SubSatS => s::i16x8_sub_sat_s,
        VecOp::I16x8SubSatU => s::i16x8_sub_sat_u,
        VecOp::I16x8Mul => s::i16x8_mul,
        VecOp::I16x8MinS => s::i16x8_min_s,
        VecOp::I16x8MinU => s::i16x8_min_u,
        VecOp::I16x8MaxS => s::i16x8_max_s,
        VecOp::I16x8MaxU => s::i16x8_max_u,
        VecOp::I16x8AvgrU => s::i16x8_avgr_u,
        VecOp::I16x8ExtmulLowI8x16S => s::i16x8_extmul_low_i8x16_s,
        VecOp::I16x8ExtmulHighI8x16S => s::i16x8_extmul_high_i8x16_s,
        VecOp::I16x8ExtmulLowI8x16U => s::i16x8_extmul_low_i8x16_u,
        VecOp::I16x8ExtmulHighI8x16U => s::i16x8_extmul_high_i8x16_u,
        VecOp::I32x4Add => s::i32x4_add,
        VecOp::I32x4Sub => s::i32x4_sub,
        VecOp::I32x4Mul => s::i32x4_mul,
        VecOp::I32x4MinS => s::i32x4_min_s,
        VecOp::I32x4MinU => s::i32x4_min_u,
        VecOp::I32x4MaxS => s::i32x4_max_s,
        VecOp::I32x4MaxU => s::i32x4_max_u,
        VecOp::I32x4DotI16x8S => s::i32x4_dot_i16x8_s,
        VecOp::I32x4ExtmulLowI16x8S => s::i32x4_extmul_low_i16x8_s,
        VecOp::I32x4ExtmulHighI16x8S => s::i32x4_extmul_high_i16x8_s,
        VecOp::I32x4ExtmulLowI16x8U => s::i32x4_extmul_low_i16x8_u,
        VecOp::I32x4ExtmulHighI16x8U => s::i32x4_extmul_high_i16x8_u,
        VecOp::I64x2Add => s::i64x2_add,
        VecOp::I64x2Sub => s::i64x2_sub,
        VecOp::I64x2Mul => s::i64x2_mul,
        VecOp::I64x2ExtmulLowI32x4S => s::i64x2_extmul_low_i32x4_s,
        VecOp::I64x2ExtmulHighI32x4S => s::i64x2_extmul_high_i32x4_s,
        VecOp::I64x2ExtmulLowI32x4U => s::i64x2_extmul_low_i32x4_u,
        VecOp::I64x2ExtmulHighI32x4U => s::i64x2_extmul_high_i32x4_u,
        _ => return None,
    })
}

/// The shifts, run on bytes (see [`unary_lanes_fn`]).
#[inline(always)]
pub(crate) fn shift_lanes_fn(op: VecOp) -> Option<fn(Bytes, i32) -> Bytes> {
    Some(match op {
        VecOp::I8x16Shl => s::i8x16_shl,
        VecOp::I8x16ShrS => s::i8x16_shr_s,
        VecOp::I8x16ShrU => s::i8x16_shr_u,
        VecOp::I16x8Shl => s::i16x8_shl,
        VecOp::I16x8ShrS => s::i16x8_shr_s,
        VecOp::I16x8ShrU => s::i16x8_shr_u,
        VecOp::I32x4Shl => s::i32x4_shl,
        VecOp::I32x4ShrS => s::i32x4_shr_s,
        VecOp::I32x4ShrU => s::i32x4_shr_u,
        VecOp::I64x2Shl => s::i64x2_shl,
        VecOp::I64x2ShrS => s::i64x2_shr_s,
        VecOp::I64x2ShrU => s::i64x2_shr_u,
        _ => return None,
    })
}

/// `all_true` and `bitmask`, run on bytes (see [`unary_lanes_fn`]).
#[inline(always)]
pub(crate) fn reduce_lanes_fn(op: VecOp) -> Option<fn(Bytes) -> i32> {
    Some(match op {
        VecOp::I8x16AllTrue => s::i8x16_all_true,
        VecOp::I8x16Bitmask => s::i8x16_bitmask,
        VecOp::I16x8AllTrue => s::i16x8_all_true,
        VecOp::I16x8Bitmask => s::i16x8_bitmask,
        VecOp::I32x4AllTrue => s::i32x4_all_true,
        VecOp::I32x4Bitmask => s::i32x4_bitmask,
        VecOp::I64x2AllTrue => s::i64x2_all_true,
        VecOp::I64x2Bitmask => s::i64x2_bitmask,
        _ => return None,
    })
}

/// Splats from a scalar cell.
#[inline]
pub(crate) fn splat(op: VecOp, x: u64) -> Option<u128> {
    Some(match op {
        VecOp::I8x16Splat => s::i8x16_splat(x as u32 as i32),
        VecOp::I16x8Splat => s::i16x8_splat(x as u32 as i32),
        VecOp::I32x4Splat => s::i32x4_splat(x as u32 as i32),
        VecOp::I64x2Splat => s::i64x2_splat(x as i64),
        VecOp::F32x4Splat => s::f32x4_splat(f32::from_bits(x as u32)),
        VecOp::F64x2Splat => s::f64x2_splat(f64::from_bits(x)),
        _ => return None,
    })
}

/// Reductions: `v128 -> i32`.
pub(crate) fn reduce(op: VecOp, a: u128) -> Option<i32> {
    reduce_fn(op).map(|f| f(a))
}

/// The function of the reduce op `op` (see [`reduce`]). Handlers with a
/// constant `op` call it directly: inlining folds the match away.
#[inline(always)]
pub(crate) fn reduce_fn(op: VecOp) -> Option<fn(u128) -> i32> {
    Some(match op {
        VecOp::V128AnyTrue => s::v128_any_true,
        VecOp::I8x16AllTrue => s::i8x16_all_true,
        VecOp::I8x16Bitmask => s::i8x16_bitmask,
        VecOp::I16x8AllTrue => s::i16x8_all_true,
        VecOp::I16x8Bitmask => s::i16x8_bitmask,
        VecOp::I32x4AllTrue => s::i32x4_all_true,
        VecOp::I32x4Bitmask => s::i32x4_bitmask,
        VecOp::I64x2AllTrue => s::i64x2_all_true,
        VecOp::I64x2Bitmask => s::i64x2_bitmask,
        _ => return None,
    })
}

/// `extractlane`: the lane as a cell (i32/f32 zero-extended).
#[inline]
pub(crate) fn extract_lane(shape: LaneShape, v: u128, lane: u8) -> u64 {
    match shape {
        LaneShape::I8x16S => u64::from(s::i8x16_extract_lane_s(v, lane) as u32),
        LaneShape::I8x16U => u64::from(s::i8x16_extract_lane_u(v, lane) as u32),
        LaneShape::I16x8S => u64::from(s::i16x8_extract_lane_s(v, lane) as u32),
        LaneShape::I16x8U => u64::from(s::i16x8_extract_lane_u(v, lane) as u32),
        LaneShape::I32x4 => u64::from(s::i32x4_extract_lane(v, lane) as u32),
        LaneShape::I64x2 => s::i64x2_extract_lane(v, lane) as u64,
        LaneShape::F32x4 => u64::from(s::f32x4_extract_lane(v, lane).to_bits()),
        LaneShape::F64x2 => s::f64x2_extract_lane(v, lane).to_bits(),
    }
}

/// `insertlane`: `v` with the lane replaced by the scalar in cell `x`.
#[inline]
pub(crate) fn insert_lane(shape: LaneShape, v: u128, lane: u8, x: u64) -> u128 {
    match shape {
        LaneShape::I8x16S | LaneShape::I8x16U => s::i8x16_replace_lane(v, lane, x as u32 as i32),
        LaneShape::I16x8S | LaneShape::I16x8U => s::i16x8_replace_lane(v, lane, x as u32 as i32),
        LaneShape::I32x4 => s::i32x4_replace_lane(v, lane, x as u32 as i32),
        LaneShape::I64x2 => s::i64x2_replace_lane(v, lane, x as i64),
        LaneShape::F32x4 => s::f32x4_replace_lane(v, lane, f32::from_bits(x as u32)),
        LaneShape::F64x2 => s::f64x2_replace_lane(v, lane, f64::from_bits(x)),
    }
}

/// A v128 load of `kind` at `p` (the address is checked by the caller or the IR).
// Inlined into its handler, so the result stays in registers: out of line it
// comes back through the handler's stack frame.
#[inline(always)]
pub(crate) fn load_v128(kind: LoadKind, p: u64) -> u128 {
    match kind {
        LoadKind::V8x8S => s::v128_load8x8_s(load(p)),
        LoadKind::V8x8U => s::v128_load8x8_u(load(p)),
        LoadKind::V16x4S => s::v128_load16x4_s(load(p)),
        LoadKind::V16x4U => s::v128_load16x4_u(load(p)),
        LoadKind::V32x2S => s::v128_load32x2_s(load(p)),
        LoadKind::V32x2U => s::v128_load32x2_u(load(p)),
        LoadKind::Splat8 => s::v128_load8_splat(load(p)),
        LoadKind::Splat16 => s::v128_load16_splat(load(p)),
        LoadKind::Splat32 => s::v128_load32_splat(load(p)),
        LoadKind::Splat64 => s::v128_load64_splat(load(p)),
        LoadKind::Zero32 => s::v128_load32_zero(load(p)),
        LoadKind::Zero64 => s::v128_load64_zero(load(p)),
        // Plain, and the scalar kinds translation never pairs with a v128 result.
        _ => u128::from_le_bytes(load(p)),
    }
}

/// `v128.loadN_lane`: `v` with lane `lane` of `shape` loaded from `p`.
#[inline]
pub(crate) fn load_lane(shape: LaneShape, v: u128, lane: u8, p: u64) -> u128 {
    match shape {
        LaneShape::I8x16S | LaneShape::I8x16U => s::v128_load8_lane(v, lane, load(p)),
        LaneShape::I16x8S | LaneShape::I16x8U => s::v128_load16_lane(v, lane, load(p)),
        LaneShape::I32x4 | LaneShape::F32x4 => s::v128_load32_lane(v, lane, load(p)),
        LaneShape::I64x2 | LaneShape::F64x2 => s::v128_load64_lane(v, lane, load(p)),
    }
}

/// `v128.storeN_lane`: stores lane `lane` of `shape` of `v` at `p`.
#[inline]
pub(crate) fn store_lane(shape: LaneShape, v: u128, lane: u8, p: u64) {
    match shape {
        LaneShape::I8x16S | LaneShape::I8x16U => store(p, s::v128_store8_lane(v, lane)),
        LaneShape::I16x8S | LaneShape::I16x8U => store(p, s::v128_store16_lane(v, lane)),
        LaneShape::I32x4 | LaneShape::F32x4 => store(p, s::v128_store32_lane(v, lane)),
        LaneShape::I64x2 | LaneShape::F64x2 => store(p, s::v128_store64_lane(v, lane)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random operands with lanes at the edges of their ranges now and then.
    fn operands() -> impl Iterator<Item = (u128, u128, i32)> {
        let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
        (0..3000).map(move |i| {
            x = x.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15)
                ^ 0x8080_0000_ffff_7f7f;
            let edges = [
                0,
                u128::MAX,
                0x8000_0000_8000_0000_8000_0000_8000_0000,
                0x8080_8080_7f7f_7f7f_0000_ffff_8000_7fff,
            ];
            let b = x.rotate_left(64).wrapping_mul(3) ^ 0x7fff_8000_0080_ff00_8000_7fff;
            let b = if i % 7 == 0 { edges[i % 4] } else { b };
            (x, b, (x >> 100) as i32)
        })
    }

    #[test]
    fn lane_functions_on_bytes_match_those_on_u128() {
        let bytes = |v: u128| v.to_le_bytes();
        let mut listed = 0;
        for &op in VecOp::ALL {
            let (un, bin, sh, red) =
                (unary_lanes_fn(op), binary_lanes_fn(op), shift_lanes_fn(op), reduce_lanes_fn(op));
            listed += usize::from(un.is_some() || bin.is_some() || sh.is_some() || red.is_some());
            for (a, b, c) in operands() {
                if let Some(f) = un {
                    assert_eq!(
                        f(bytes(a)),
                        bytes(unary(op, a).expect("a unary op")),
                        "{}({a:#x})",
                        op.name()
                    );
                }
                if let Some(f) = bin {
                    assert_eq!(
                        f(bytes(a), bytes(b)),
                        bytes(binary(op, a, b).expect("a binary op")),
                        "{}({a:#x}, {b:#x})",
                        op.name()
                    );
                }
                if let Some(f) = sh {
                    assert_eq!(
                        f(bytes(a), c),
                        bytes(shift(op, a, c).expect("a shift")),
                        "{}({a:#x}, {c})",
                        op.name()
                    );
                }
                if let Some(f) = red {
                    assert_eq!(f(bytes(a)), reduce(op, a).expect("a reduction"), "{}({a:#x})", op.name());
                }
            }
        }
        assert!(listed > 100, "the tables list the integer-lane ops");
    }

    #[test]
    fn every_vector_op_is_executable() {
        for &op in VecOp::ALL {
            assert!(supports(op), "{} has no execution", op.name());
        }
    }
}
