//! Vector ops of every family, lanes and shuffles.

use zerowasm_interp::semantics::simd::{from_lanes, to_lanes};

use crate::common::*;

fn cells(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}

fn v(r: &[u64]) -> u128 {
    u128::from(r[0]) | (u128::from(r[1]) << 64)
}

const FAMILIES: &str = "function %v(i64, v128, v128, i32) -> v128, v128, v128, v128, i32, v128, v128, i64 {
block0(v0: i64, v1: v128, v2: v128, v3: i32):
    v4 = i16x8.add_sat_s v1, v2
    v5 = i8x16.abs v1
    v6 = v128.bitselect v1, v2, v4
    v7 = i32x4.shl v2, v3
    v8 = i8x16.bitmask v1
    v9 = shuffle v1, v2, [0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23]
    v10 = insertlane.i16x8_u v9, v3, 5
    v11 = extractlane.i64x2 v10, 1
    return v4, v5, v6, v7, v8, v9, v10, v11
}";

#[test]
fn vector_families_match_the_semantics() {
    let m = module(&[FAMILIES]);
    let a = from_lanes::<i16, 8>([1, -2, 30000, -30000, 5, 6, 7, -128]);
    let b = from_lanes::<i16, 8>([1, 2, 30000, -30000, -5, 0, 0x100, 1]);
    let mut args = Vec::new();
    args.extend(cells(a));
    args.extend(cells(b));
    args.push(33);
    let r = call(&m, 0, &args, 15).expect("call succeeds");
    use zerowasm_interp::semantics::simd as s;
    assert_eq!(v(&r[0..]), s::i16x8_add_sat_s(a, b));
    assert_eq!(v(&r[2..]), s::i8x16_abs(a));
    assert_eq!(v(&r[4..]), s::v128_bitselect(a, b, s::i16x8_add_sat_s(a, b)));
    assert_eq!(v(&r[6..]), s::i32x4_shl(b, 33));
    assert_eq!(r[8], s::i8x16_bitmask(a) as u32 as u64);
    let mask: [u8; 16] = [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23];
    let shuffled = s::i8x16_shuffle(a, b, mask);
    assert_eq!(v(&r[9..]), shuffled);
    let inserted = s::i16x8_replace_lane(shuffled, 5, 33);
    assert_eq!(v(&r[11..]), inserted);
    assert_eq!(r[13], to_lanes::<u64, 2>(inserted)[1]);
}

#[test]
fn float_vectors_and_splats() {
    let m = module(&["function %f(i64, f64, f32) -> v128, v128, i32 {
block0(v0: i64, v1: f64, v2: f32):
    v3 = f64x2.splat v1
    v4 = f64x2.sqrt v3
    v5 = f32x4.splat v2
    v6 = f32x4.min v5, v5
    v7 = f32x4.eq v6, v6
    v8 = i32x4.all_true v7
    return v4, v6, v8
}"]);
    let r = call(&m, 0, &[16.0f64.to_bits(), u64::from(f32::NAN.to_bits())], 5).expect("call succeeds");
    assert_eq!(to_lanes::<f64, 2>(v(&r[0..])), [4.0, 4.0]);
    assert!(to_lanes::<u32, 4>(v(&r[2..])).iter().all(|&l| l == 0x7fc0_0000), "canonical NaN lanes");
    assert_eq!(r[4], 0, "NaN is not equal to itself");
    let r = call(&m, 0, &[1.0f64.to_bits(), u64::from(2.5f32.to_bits())], 5).expect("call succeeds");
    assert_eq!(r[4], 1);
}

#[test]
fn v128_select_and_constants() {
    let m = module(&["function %s(i64, i32) -> v128 {
block0(v0: i64, v1: i32):
    v2 = vconst 0x000102030405060708090a0b0c0d0e0f
    v3 = v128.not v2
    v4 = select.v128 v1, v2, v3
    return v4
}"]);
    let k: u128 = 0x0001_0203_0405_0607_0809_0a0b_0c0d_0e0f;
    assert_eq!(v(&call(&m, 0, &[1], 2).expect("call succeeds")), k);
    assert_eq!(v(&call(&m, 0, &[0], 2).expect("call succeeds")), !k);
}
