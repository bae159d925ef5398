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

/// Declares a family's two tables from one list of its ops whose lane
/// functions are generic over the v128's form ([`s::V128`]): `$all` maps
/// every op of the family (those plus `$only`, which exist on `u128` only),
/// and `$lanes` maps the generic ones on [`Bytes`]. One list, so the two
/// cannot drift apart.
macro_rules! family_tables {
    (
        $(#[$am:meta])* $all:ident: $aty:ty, only: [$($uop:ident => $uf:ident),* $(,)?],
        $(#[$lm:meta])* $lanes:ident: $lty:ty, generic: [$($op:ident => $f:ident),* $(,)?]
    ) => {
        $(#[$am])*
        #[inline(always)]
        pub(crate) fn $all(op: VecOp) -> Option<$aty> {
            Some(match op {
                $(VecOp::$uop => s::$uf,)*
                $(VecOp::$op => s::$f,)*
                _ => return None,
            })
        }

        $(#[$lm])*
        #[inline(always)]
        pub(crate) fn $lanes(op: VecOp) -> Option<$lty> {
            Some(match op {
                $(VecOp::$op => s::$f,)*
                _ => return None,
            })
        }
    };
}

family_tables! {
    /// The function of the unary op `op` (see [`unary`]). Handlers with a
    /// constant `op` call it directly: inlining folds the match away.
    unary_fn: fn(u128) -> u128,
    only: [
        V128Not => v128_not,
        F32x4DemoteF64x2Zero => f32x4_demote_f64x2_zero,
        F64x2PromoteLowF32x4 => f64x2_promote_low_f32x4,
        F32x4Ceil => f32x4_ceil,
        F32x4Floor => f32x4_floor,
        F32x4Trunc => f32x4_trunc,
        F32x4Nearest => f32x4_nearest,
        F64x2Ceil => f64x2_ceil,
        F64x2Floor => f64x2_floor,
        F64x2Trunc => f64x2_trunc,
        F64x2Nearest => f64x2_nearest,
        F32x4Abs => f32x4_abs,
        F32x4Neg => f32x4_neg,
        F32x4Sqrt => f32x4_sqrt,
        F64x2Abs => f64x2_abs,
        F64x2Neg => f64x2_neg,
        F64x2Sqrt => f64x2_sqrt,
        I32x4TruncSatF32x4S => i32x4_trunc_sat_f32x4_s,
        I32x4TruncSatF32x4U => i32x4_trunc_sat_f32x4_u,
        F32x4ConvertI32x4S => f32x4_convert_i32x4_s,
        F32x4ConvertI32x4U => f32x4_convert_i32x4_u,
        I32x4TruncSatF64x2SZero => i32x4_trunc_sat_f64x2_s_zero,
        I32x4TruncSatF64x2UZero => i32x4_trunc_sat_f64x2_u_zero,
        F64x2ConvertLowI32x4S => f64x2_convert_low_i32x4_s,
        F64x2ConvertLowI32x4U => f64x2_convert_low_i32x4_u,
    ],
    /// The integer-lane unary ops whose handlers run on the bytes of the cells
    /// ([`Regs::v128_bytes`](super::memory::Regs::v128_bytes)) rather than on a
    /// `u128`: there LLVM turns their lane loops into packed SSE2/NEON code, on a
    /// `u128` into scalar code per lane. The same functions as [`unary_fn`].
    unary_lanes_fn: fn(Bytes) -> Bytes,
    generic: [
        I8x16Abs => i8x16_abs,
        I8x16Neg => i8x16_neg,
        I16x8Abs => i16x8_abs,
        I16x8Neg => i16x8_neg,
        I32x4Abs => i32x4_abs,
        I32x4Neg => i32x4_neg,
        I64x2Abs => i64x2_abs,
        I64x2Neg => i64x2_neg,
        I8x16Popcnt => i8x16_popcnt,
        I16x8ExtaddPairwiseI8x16S => i16x8_extadd_pairwise_i8x16_s,
        I16x8ExtaddPairwiseI8x16U => i16x8_extadd_pairwise_i8x16_u,
        I32x4ExtaddPairwiseI16x8S => i32x4_extadd_pairwise_i16x8_s,
        I32x4ExtaddPairwiseI16x8U => i32x4_extadd_pairwise_i16x8_u,
        I16x8ExtendLowI8x16S => i16x8_extend_low_i8x16_s,
        I16x8ExtendHighI8x16S => i16x8_extend_high_i8x16_s,
        I16x8ExtendLowI8x16U => i16x8_extend_low_i8x16_u,
        I16x8ExtendHighI8x16U => i16x8_extend_high_i8x16_u,
        I32x4ExtendLowI16x8S => i32x4_extend_low_i16x8_s,
        I32x4ExtendHighI16x8S => i32x4_extend_high_i16x8_s,
        I32x4ExtendLowI16x8U => i32x4_extend_low_i16x8_u,
        I32x4ExtendHighI16x8U => i32x4_extend_high_i16x8_u,
        I64x2ExtendLowI32x4S => i64x2_extend_low_i32x4_s,
        I64x2ExtendHighI32x4S => i64x2_extend_high_i32x4_s,
        I64x2ExtendLowI32x4U => i64x2_extend_low_i32x4_u,
        I64x2ExtendHighI32x4U => i64x2_extend_high_i32x4_u,
    ]
}

/// `v128, v128 -> v128` ops.
pub(crate) fn binary(op: VecOp, a: u128, b: u128) -> Option<u128> {
    binary_fn(op).map(|f| f(a, b))
}

family_tables! {
    /// The function of the binary op `op` (see [`binary`]). Handlers with a
    /// constant `op` call it directly: inlining folds the match away.
    binary_fn: fn(u128, u128) -> u128,
    only: [
        I8x16Swizzle => i8x16_swizzle,
        F32x4Eq => f32x4_eq,
        F32x4Ne => f32x4_ne,
        F32x4Lt => f32x4_lt,
        F32x4Gt => f32x4_gt,
        F32x4Le => f32x4_le,
        F32x4Ge => f32x4_ge,
        F64x2Eq => f64x2_eq,
        F64x2Ne => f64x2_ne,
        F64x2Lt => f64x2_lt,
        F64x2Gt => f64x2_gt,
        F64x2Le => f64x2_le,
        F64x2Ge => f64x2_ge,
        V128And => v128_and,
        V128AndNot => v128_andnot,
        V128Or => v128_or,
        V128Xor => v128_xor,
        F32x4Add => f32x4_add,
        F32x4Sub => f32x4_sub,
        F32x4Mul => f32x4_mul,
        F32x4Div => f32x4_div,
        F32x4Min => f32x4_min,
        F32x4Max => f32x4_max,
        F32x4Pmin => f32x4_pmin,
        F32x4Pmax => f32x4_pmax,
        F64x2Add => f64x2_add,
        F64x2Sub => f64x2_sub,
        F64x2Mul => f64x2_mul,
        F64x2Div => f64x2_div,
        F64x2Min => f64x2_min,
        F64x2Max => f64x2_max,
        F64x2Pmin => f64x2_pmin,
        F64x2Pmax => f64x2_pmax,
    ],
    /// The integer-lane binary ops run on bytes (see [`unary_lanes_fn`]).
    binary_lanes_fn: fn(Bytes, Bytes) -> Bytes,
    generic: [
        I8x16Eq => i8x16_eq,
        I8x16Ne => i8x16_ne,
        I8x16LtS => i8x16_lt_s,
        I8x16LtU => i8x16_lt_u,
        I8x16GtS => i8x16_gt_s,
        I8x16GtU => i8x16_gt_u,
        I8x16LeS => i8x16_le_s,
        I8x16LeU => i8x16_le_u,
        I8x16GeS => i8x16_ge_s,
        I8x16GeU => i8x16_ge_u,
        I16x8Eq => i16x8_eq,
        I16x8Ne => i16x8_ne,
        I16x8LtS => i16x8_lt_s,
        I16x8LtU => i16x8_lt_u,
        I16x8GtS => i16x8_gt_s,
        I16x8GtU => i16x8_gt_u,
        I16x8LeS => i16x8_le_s,
        I16x8LeU => i16x8_le_u,
        I16x8GeS => i16x8_ge_s,
        I16x8GeU => i16x8_ge_u,
        I32x4Eq => i32x4_eq,
        I32x4Ne => i32x4_ne,
        I32x4LtS => i32x4_lt_s,
        I32x4LtU => i32x4_lt_u,
        I32x4GtS => i32x4_gt_s,
        I32x4GtU => i32x4_gt_u,
        I32x4LeS => i32x4_le_s,
        I32x4LeU => i32x4_le_u,
        I32x4GeS => i32x4_ge_s,
        I32x4GeU => i32x4_ge_u,
        I64x2Eq => i64x2_eq,
        I64x2Ne => i64x2_ne,
        I64x2LtS => i64x2_lt_s,
        I64x2GtS => i64x2_gt_s,
        I64x2LeS => i64x2_le_s,
        I64x2GeS => i64x2_ge_s,
        I8x16NarrowI16x8S => i8x16_narrow_i16x8_s,
        I8x16NarrowI16x8U => i8x16_narrow_i16x8_u,
        I16x8NarrowI32x4S => i16x8_narrow_i32x4_s,
        I16x8NarrowI32x4U => i16x8_narrow_i32x4_u,
        I8x16Add => i8x16_add,
        I8x16AddSatS => i8x16_add_sat_s,
        I8x16AddSatU => i8x16_add_sat_u,
        I8x16Sub => i8x16_sub,
        I8x16SubSatS => i8x16_sub_sat_s,
        I8x16SubSatU => i8x16_sub_sat_u,
        I8x16MinS => i8x16_min_s,
        I8x16MinU => i8x16_min_u,
        I8x16MaxS => i8x16_max_s,
        I8x16MaxU => i8x16_max_u,
        I8x16AvgrU => i8x16_avgr_u,
        I16x8Q15MulrSatS => i16x8_q15mulr_sat_s,
        I16x8Add => i16x8_add,
        I16x8AddSatS => i16x8_add_sat_s,
        I16x8AddSatU => i16x8_add_sat_u,
        I16x8Sub => i16x8_sub,
        I16x8SubSatS => i16x8_sub_sat_s,
        I16x8SubSatU => i16x8_sub_sat_u,
        I16x8Mul => i16x8_mul,
        I16x8MinS => i16x8_min_s,
        I16x8MinU => i16x8_min_u,
        I16x8MaxS => i16x8_max_s,
        I16x8MaxU => i16x8_max_u,
        I16x8AvgrU => i16x8_avgr_u,
        I16x8ExtmulLowI8x16S => i16x8_extmul_low_i8x16_s,
        I16x8ExtmulHighI8x16S => i16x8_extmul_high_i8x16_s,
        I16x8ExtmulLowI8x16U => i16x8_extmul_low_i8x16_u,
        I16x8ExtmulHighI8x16U => i16x8_extmul_high_i8x16_u,
        I32x4Add => i32x4_add,
        I32x4Sub => i32x4_sub,
        I32x4Mul => i32x4_mul,
        I32x4MinS => i32x4_min_s,
        I32x4MinU => i32x4_min_u,
        I32x4MaxS => i32x4_max_s,
        I32x4MaxU => i32x4_max_u,
        I32x4DotI16x8S => i32x4_dot_i16x8_s,
        I32x4ExtmulLowI16x8S => i32x4_extmul_low_i16x8_s,
        I32x4ExtmulHighI16x8S => i32x4_extmul_high_i16x8_s,
        I32x4ExtmulLowI16x8U => i32x4_extmul_low_i16x8_u,
        I32x4ExtmulHighI16x8U => i32x4_extmul_high_i16x8_u,
        I64x2Add => i64x2_add,
        I64x2Sub => i64x2_sub,
        I64x2Mul => i64x2_mul,
        I64x2ExtmulLowI32x4S => i64x2_extmul_low_i32x4_s,
        I64x2ExtmulHighI32x4S => i64x2_extmul_high_i32x4_s,
        I64x2ExtmulLowI32x4U => i64x2_extmul_low_i32x4_u,
        I64x2ExtmulHighI32x4U => i64x2_extmul_high_i32x4_u,
    ]
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

family_tables! {
    /// The function of the shift op `op` (see [`shift`]). Handlers with a
    /// constant `op` call it directly: inlining folds the match away.
    shift_fn: fn(u128, i32) -> u128,
    only: [
    ],
    /// The shifts, run on bytes (see [`unary_lanes_fn`]).
    shift_lanes_fn: fn(Bytes, i32) -> Bytes,
    generic: [
        I8x16Shl => i8x16_shl,
        I8x16ShrS => i8x16_shr_s,
        I8x16ShrU => i8x16_shr_u,
        I16x8Shl => i16x8_shl,
        I16x8ShrS => i16x8_shr_s,
        I16x8ShrU => i16x8_shr_u,
        I32x4Shl => i32x4_shl,
        I32x4ShrS => i32x4_shr_s,
        I32x4ShrU => i32x4_shr_u,
        I64x2Shl => i64x2_shl,
        I64x2ShrS => i64x2_shr_s,
        I64x2ShrU => i64x2_shr_u,
    ]
}

/// A v128 as its 16 little-endian bytes, the form the lane functions of
/// the `*_lanes_fn` tables take: see [`s::V128`].
pub(crate) type Bytes = [u8; 16];

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

family_tables! {
    /// The function of the reduce op `op` (see [`reduce`]). Handlers with a
    /// constant `op` call it directly: inlining folds the match away.
    reduce_fn: fn(u128) -> i32,
    only: [
        V128AnyTrue => v128_any_true,
    ],
    /// `all_true` and `bitmask`, run on bytes (see [`unary_lanes_fn`]).
    reduce_lanes_fn: fn(Bytes) -> i32,
    generic: [
        I8x16AllTrue => i8x16_all_true,
        I8x16Bitmask => i8x16_bitmask,
        I16x8AllTrue => i16x8_all_true,
        I16x8Bitmask => i16x8_bitmask,
        I32x4AllTrue => i32x4_all_true,
        I32x4Bitmask => i32x4_bitmask,
        I64x2AllTrue => i64x2_all_true,
        I64x2Bitmask => i64x2_bitmask,
    ]
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
