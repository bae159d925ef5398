//! Compile-time coverage: every SIMD instruction without immediates in Wasm 2.0
//! (the frontend's `SimpleOp` `0xFD` rows), grouped by signature. A missing or
//! mistyped function fails to compile; the counts catch accidental omissions.

use super::*;

#[test]
fn every_simple_simd_op_has_a_function_of_the_right_type() {
    let vv_v: &[fn(u128, u128) -> u128] = &[
        i8x16_swizzle,
        i8x16_eq,
        i8x16_ne,
        i8x16_lt_s,
        i8x16_lt_u,
        i8x16_gt_s,
        i8x16_gt_u,
        i8x16_le_s,
        i8x16_le_u,
        i8x16_ge_s,
        i8x16_ge_u,
        i16x8_eq,
        i16x8_ne,
        i16x8_lt_s,
        i16x8_lt_u,
        i16x8_gt_s,
        i16x8_gt_u,
        i16x8_le_s,
        i16x8_le_u,
        i16x8_ge_s,
        i16x8_ge_u,
        i32x4_eq,
        i32x4_ne,
        i32x4_lt_s,
        i32x4_lt_u,
        i32x4_gt_s,
        i32x4_gt_u,
        i32x4_le_s,
        i32x4_le_u,
        i32x4_ge_s,
        i32x4_ge_u,
        f32x4_eq,
        f32x4_ne,
        f32x4_lt,
        f32x4_gt,
        f32x4_le,
        f32x4_ge,
        f64x2_eq,
        f64x2_ne,
        f64x2_lt,
        f64x2_gt,
        f64x2_le,
        f64x2_ge,
        v128_and,
        v128_andnot,
        v128_or,
        v128_xor,
        i8x16_narrow_i16x8_s,
        i8x16_narrow_i16x8_u,
        i8x16_add,
        i8x16_add_sat_s,
        i8x16_add_sat_u,
        i8x16_sub,
        i8x16_sub_sat_s,
        i8x16_sub_sat_u,
        i8x16_min_s,
        i8x16_min_u,
        i8x16_max_s,
        i8x16_max_u,
        i8x16_avgr_u,
        i16x8_q15mulr_sat_s,
        i16x8_narrow_i32x4_s,
        i16x8_narrow_i32x4_u,
        i16x8_add,
        i16x8_add_sat_s,
        i16x8_add_sat_u,
        i16x8_sub,
        i16x8_sub_sat_s,
        i16x8_sub_sat_u,
        i16x8_mul,
        i16x8_min_s,
        i16x8_min_u,
        i16x8_max_s,
        i16x8_max_u,
        i16x8_avgr_u,
        i16x8_extmul_low_i8x16_s,
        i16x8_extmul_high_i8x16_s,
        i16x8_extmul_low_i8x16_u,
        i16x8_extmul_high_i8x16_u,
        i32x4_add,
        i32x4_sub,
        i32x4_mul,
        i32x4_min_s,
        i32x4_min_u,
        i32x4_max_s,
        i32x4_max_u,
        i32x4_dot_i16x8_s,
        i32x4_extmul_low_i16x8_s,
        i32x4_extmul_high_i16x8_s,
        i32x4_extmul_low_i16x8_u,
        i32x4_extmul_high_i16x8_u,
        i64x2_add,
        i64x2_sub,
        i64x2_mul,
        i64x2_eq,
        i64x2_ne,
        i64x2_lt_s,
        i64x2_gt_s,
        i64x2_le_s,
        i64x2_ge_s,
        i64x2_extmul_low_i32x4_s,
        i64x2_extmul_high_i32x4_s,
        i64x2_extmul_low_i32x4_u,
        i64x2_extmul_high_i32x4_u,
        f32x4_add,
        f32x4_sub,
        f32x4_mul,
        f32x4_div,
        f32x4_min,
        f32x4_max,
        f32x4_pmin,
        f32x4_pmax,
        f64x2_add,
        f64x2_sub,
        f64x2_mul,
        f64x2_div,
        f64x2_min,
        f64x2_max,
        f64x2_pmin,
        f64x2_pmax,
    ];
    assert_eq!(vv_v.len(), 120);
    let i32_v: &[fn(i32) -> u128] = &[i8x16_splat, i16x8_splat, i32x4_splat];
    assert_eq!(i32_v.len(), 3);
    let i64_v: &[fn(i64) -> u128] = &[i64x2_splat];
    assert_eq!(i64_v.len(), 1);
    let f32_v: &[fn(f32) -> u128] = &[f32x4_splat];
    assert_eq!(f32_v.len(), 1);
    let f64_v: &[fn(f64) -> u128] = &[f64x2_splat];
    assert_eq!(f64_v.len(), 1);
    let v_v: &[fn(u128) -> u128] = &[
        v128_not,
        f32x4_demote_f64x2_zero,
        f64x2_promote_low_f32x4,
        i8x16_abs,
        i8x16_neg,
        i8x16_popcnt,
        f32x4_ceil,
        f32x4_floor,
        f32x4_trunc,
        f32x4_nearest,
        f64x2_ceil,
        f64x2_floor,
        f64x2_trunc,
        i16x8_extadd_pairwise_i8x16_s,
        i16x8_extadd_pairwise_i8x16_u,
        i32x4_extadd_pairwise_i16x8_s,
        i32x4_extadd_pairwise_i16x8_u,
        i16x8_abs,
        i16x8_neg,
        i16x8_extend_low_i8x16_s,
        i16x8_extend_high_i8x16_s,
        i16x8_extend_low_i8x16_u,
        i16x8_extend_high_i8x16_u,
        f64x2_nearest,
        i32x4_abs,
        i32x4_neg,
        i32x4_extend_low_i16x8_s,
        i32x4_extend_high_i16x8_s,
        i32x4_extend_low_i16x8_u,
        i32x4_extend_high_i16x8_u,
        i64x2_abs,
        i64x2_neg,
        i64x2_extend_low_i32x4_s,
        i64x2_extend_high_i32x4_s,
        i64x2_extend_low_i32x4_u,
        i64x2_extend_high_i32x4_u,
        f32x4_abs,
        f32x4_neg,
        f32x4_sqrt,
        f64x2_abs,
        f64x2_neg,
        f64x2_sqrt,
        i32x4_trunc_sat_f32x4_s,
        i32x4_trunc_sat_f32x4_u,
        f32x4_convert_i32x4_s,
        f32x4_convert_i32x4_u,
        i32x4_trunc_sat_f64x2_s_zero,
        i32x4_trunc_sat_f64x2_u_zero,
        f64x2_convert_low_i32x4_s,
        f64x2_convert_low_i32x4_u,
    ];
    assert_eq!(v_v.len(), 50);
    let vvv_v: &[fn(u128, u128, u128) -> u128] = &[v128_bitselect];
    assert_eq!(vvv_v.len(), 1);
    let v_i32: &[fn(u128) -> i32] = &[
        v128_any_true,
        i8x16_all_true,
        i8x16_bitmask,
        i16x8_all_true,
        i16x8_bitmask,
        i32x4_all_true,
        i32x4_bitmask,
        i64x2_all_true,
        i64x2_bitmask,
    ];
    assert_eq!(v_i32.len(), 9);
    let vi32_v: &[fn(u128, i32) -> u128] = &[
        i8x16_shl,
        i8x16_shr_s,
        i8x16_shr_u,
        i16x8_shl,
        i16x8_shr_s,
        i16x8_shr_u,
        i32x4_shl,
        i32x4_shr_s,
        i32x4_shr_u,
        i64x2_shl,
        i64x2_shr_s,
        i64x2_shr_u,
    ];
    assert_eq!(vi32_v.len(), 12);
}

#[test]
fn every_simd_op_with_immediates_or_memory_has_a_helper() {
    // Lane-index immediates.
    let _: [fn(u128, u8) -> i32; 5] = [
        i8x16_extract_lane_s,
        i8x16_extract_lane_u,
        i16x8_extract_lane_s,
        i16x8_extract_lane_u,
        i32x4_extract_lane,
    ];
    let _: fn(u128, u8) -> i64 = i64x2_extract_lane;
    let _: fn(u128, u8) -> f32 = f32x4_extract_lane;
    let _: fn(u128, u8) -> f64 = f64x2_extract_lane;
    let _: [fn(u128, u8, i32) -> u128; 3] = [i8x16_replace_lane, i16x8_replace_lane, i32x4_replace_lane];
    let _: fn(u128, u8, i64) -> u128 = i64x2_replace_lane;
    let _: fn(u128, u8, f32) -> u128 = f32x4_replace_lane;
    let _: fn(u128, u8, f64) -> u128 = f64x2_replace_lane;
    let _: fn(u128, u128, [u8; 16]) -> u128 = i8x16_shuffle;
    // Memory: the interpreter does the access, these build or split the vector.
    let _: [fn([u8; 8]) -> u128; 7] = [
        v128_load8x8_s,
        v128_load8x8_u,
        v128_load16x4_s,
        v128_load16x4_u,
        v128_load32x2_s,
        v128_load32x2_u,
        v128_load64_splat,
    ];
    let _: fn([u8; 8]) -> u128 = v128_load64_zero;
    let _: fn([u8; 4]) -> u128 = v128_load32_zero;
    let _: fn([u8; 1]) -> u128 = v128_load8_splat;
    let _: fn([u8; 2]) -> u128 = v128_load16_splat;
    let _: fn([u8; 4]) -> u128 = v128_load32_splat;
    let _: fn(u128, u8, [u8; 1]) -> u128 = v128_load8_lane;
    let _: fn(u128, u8, [u8; 2]) -> u128 = v128_load16_lane;
    let _: fn(u128, u8, [u8; 4]) -> u128 = v128_load32_lane;
    let _: fn(u128, u8, [u8; 8]) -> u128 = v128_load64_lane;
    let _: fn(u128, u8) -> [u8; 1] = v128_store8_lane;
    let _: fn(u128, u8) -> [u8; 2] = v128_store16_lane;
    let _: fn(u128, u8) -> [u8; 4] = v128_store32_lane;
    let _: fn(u128, u8) -> [u8; 8] = v128_store64_lane;
}
