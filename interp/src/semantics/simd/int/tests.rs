use super::*;
use crate::semantics::simd::{from_lanes, to_lanes};

/// Every (x, y) pair of bytes, 16 lanes at a time, as `(a, b)` vectors together with
/// their lanes.
fn all_byte_pairs() -> impl Iterator<Item = ([u8; 16], [u8; 16])> {
    (0..65_536u32).step_by(16).map(|base| {
        let a = core::array::from_fn(|i| ((base + i as u32) >> 8) as u8);
        let b = core::array::from_fn(|i| (base + i as u32) as u8);
        (a, b)
    })
}

/// The spec's `sat_s`/`sat_u` on a mathematical integer.
fn sat(v: i64, min: i64, max: i64) -> i64 {
    v.clamp(min, max)
}

/// Checks a binary byte operator against a reference on all 65536 lane pairs.
fn check_bytes(op: fn(u128, u128) -> u128, reference: impl Fn(u8, u8) -> u8, name: &str) {
    for (a, b) in all_byte_pairs() {
        let got = to_lanes::<u8, 16>(op(from_lanes(a), from_lanes(b)));
        for i in 0..16 {
            assert_eq!(got[i], reference(a[i], b[i]), "{name}({:#x}, {:#x})", a[i], b[i]);
        }
    }
}

#[test]
fn byte_arithmetic_matches_spec_formulas_exhaustively() {
    let s = |x: u8| i64::from(x as i8);
    let u = |x: u8| i64::from(x);
    check_bytes(i8x16_add, |x, y| (u(x) + u(y)) as u8, "add");
    check_bytes(i8x16_sub, |x, y| (u(x) - u(y)) as u8, "sub");
    check_bytes(i8x16_add_sat_s, |x, y| sat(s(x) + s(y), -128, 127) as u8, "add_sat_s");
    check_bytes(i8x16_add_sat_u, |x, y| sat(u(x) + u(y), 0, 255) as u8, "add_sat_u");
    check_bytes(i8x16_sub_sat_s, |x, y| sat(s(x) - s(y), -128, 127) as u8, "sub_sat_s");
    check_bytes(i8x16_sub_sat_u, |x, y| sat(u(x) - u(y), 0, 255) as u8, "sub_sat_u");
    check_bytes(i8x16_avgr_u, |x, y| ((u(x) + u(y) + 1) / 2) as u8, "avgr_u");
    check_bytes(i8x16_min_s, |x, y| if s(x) <= s(y) { x } else { y }, "min_s");
    check_bytes(i8x16_max_s, |x, y| if s(x) >= s(y) { x } else { y }, "max_s");
    check_bytes(i8x16_min_u, |x, y| if x <= y { x } else { y }, "min_u");
    check_bytes(i8x16_max_u, |x, y| if x >= y { x } else { y }, "max_u");
}

#[test]
fn byte_comparisons_exhaustively() {
    let s = |x: u8| x as i8;
    let m = |c: bool| if c { 0xff } else { 0 };
    check_bytes(i8x16_eq, |x, y| m(x == y), "eq");
    check_bytes(i8x16_ne, |x, y| m(x != y), "ne");
    check_bytes(i8x16_lt_s, |x, y| m(s(x) < s(y)), "lt_s");
    check_bytes(i8x16_lt_u, |x, y| m(x < y), "lt_u");
    check_bytes(i8x16_gt_s, |x, y| m(s(x) > s(y)), "gt_s");
    check_bytes(i8x16_gt_u, |x, y| m(x > y), "gt_u");
    check_bytes(i8x16_le_s, |x, y| m(s(x) <= s(y)), "le_s");
    check_bytes(i8x16_le_u, |x, y| m(x <= y), "le_u");
    check_bytes(i8x16_ge_s, |x, y| m(s(x) >= s(y)), "ge_s");
    check_bytes(i8x16_ge_u, |x, y| m(x >= y), "ge_u");
}

#[test]
fn byte_unary_ops_exhaustively() {
    for hi in 0..16u8 {
        let a: [u8; 16] = core::array::from_fn(|i| hi * 16 + i as u8);
        let v = from_lanes(a);
        let abs = to_lanes::<u8, 16>(i8x16_abs(v));
        let neg = to_lanes::<u8, 16>(i8x16_neg(v));
        let pop = to_lanes::<u8, 16>(i8x16_popcnt(v));
        for i in 0..16 {
            let x = i64::from(a[i] as i8);
            assert_eq!(abs[i], x.unsigned_abs() as u8, "abs({x})");
            assert_eq!(neg[i], (-x) as u8, "neg({x})");
            assert_eq!(u32::from(pop[i]), (0..8).filter(|b| a[i] >> b & 1 == 1).count() as u32);
        }
    }
}

#[test]
fn abs_neg_of_min_wrap() {
    assert_eq!(i8x16_abs(from_lanes([i8::MIN; 16])), from_lanes([i8::MIN; 16]));
    assert_eq!(
        i16x8_abs(from_lanes([i16::MIN, -1, 1, 0, 5, -5, i16::MAX, -i16::MAX])),
        from_lanes([i16::MIN, 1, 1, 0, 5, 5, i16::MAX, i16::MAX])
    );
    assert_eq!(i32x4_abs(from_lanes([i32::MIN, -7, 7, 0])), from_lanes([i32::MIN, 7, 7, 0]));
    assert_eq!(i64x2_abs(from_lanes([i64::MIN, -9])), from_lanes([i64::MIN, 9]));
    assert_eq!(
        i16x8_neg(from_lanes([i16::MIN, 1, -1, 0, 2, 3, 4, 5])),
        from_lanes([i16::MIN, -1, 1, 0, -2, -3, -4, -5])
    );
    assert_eq!(i32x4_neg(from_lanes([i32::MIN, 1, 0, i32::MAX])), from_lanes([i32::MIN, -1, 0, -i32::MAX]));
    assert_eq!(i64x2_neg(from_lanes([i64::MIN, 1])), from_lanes([i64::MIN, -1]));
}

#[test]
fn shifts_take_count_modulo_lane_width() {
    let v8 = from_lanes([0x81u8; 16]);
    assert_eq!(i8x16_shl(v8, 1), from_lanes([0x02u8; 16]));
    assert_eq!(i8x16_shl(v8, 9), from_lanes([0x02u8; 16]), "9 mod 8 = 1");
    assert_eq!(i8x16_shl(v8, 8), v8);
    assert_eq!(i8x16_shr_s(v8, 7), u128::MAX);
    assert_eq!(i8x16_shr_s(v8, -1), u128::MAX, "-1 mod 8 = 7");
    assert_eq!(i8x16_shr_u(v8, 7), from_lanes([1u8; 16]));
    assert_eq!(i8x16_shr_u(v8, 15), from_lanes([1u8; 16]));
    let v16 = from_lanes([i16::MIN, 2, -2, 0x4000, 1, -1, 0x7fff, 0]);
    assert_eq!(i16x8_shl(v16, 17), from_lanes([0i16, 4, -4, i16::MIN, 2, -2, -2, 0]));
    assert_eq!(i16x8_shr_s(v16, 1), from_lanes([-0x4000i16, 1, -1, 0x2000, 0, -1, 0x3fff, 0]));
    assert_eq!(i16x8_shr_u(v16, 33), from_lanes([0x4000i16, 1, 0x7fff, 0x2000, 0, 0x7fff, 0x3fff, 0]));
    let v32 = from_lanes([i32::MIN, 1, -16, 3]);
    assert_eq!(i32x4_shl(v32, 32), v32);
    assert_eq!(i32x4_shl(v32, 31), from_lanes([0, i32::MIN, 0, i32::MIN]));
    assert_eq!(i32x4_shr_s(v32, 4), from_lanes([-0x0800_0000, 0, -1, 0]));
    assert_eq!(i32x4_shr_u(v32, 36), from_lanes([0x0800_0000, 0, 0x0fff_ffff, 0]));
    let v64 = from_lanes([i64::MIN, 3]);
    assert_eq!(i64x2_shl(v64, 64), v64);
    assert_eq!(i64x2_shl(v64, 65), from_lanes([0i64, 6]));
    assert_eq!(i64x2_shr_s(v64, 63), from_lanes([-1i64, 0]));
    assert_eq!(i64x2_shr_u(v64, 127), from_lanes([1i64, 0]));
}

#[test]
fn wrapping_add_sub_mul() {
    assert_eq!(i16x8_add(from_lanes([i16::MAX; 8]), from_lanes([1i16; 8])), from_lanes([i16::MIN; 8]));
    assert_eq!(
        i32x4_add(from_lanes([-1i32, 5, i32::MAX, 0]), from_lanes([1i32, -6, 1, 0])),
        from_lanes([0, -1, i32::MIN, 0])
    );
    assert_eq!(i64x2_add(from_lanes([i64::MAX, -1]), from_lanes([1i64, -1])), from_lanes([i64::MIN, -2]));
    assert_eq!(i16x8_sub(0, from_lanes([1i16; 8])), u128::MAX);
    assert_eq!(i32x4_sub(from_lanes([i32::MIN; 4]), from_lanes([1i32; 4])), from_lanes([i32::MAX; 4]));
    assert_eq!(
        i64x2_sub(from_lanes([0i64, i64::MIN]), from_lanes([i64::MIN, 1])),
        from_lanes([i64::MIN, i64::MAX])
    );
    assert_eq!(
        i16x8_mul(
            from_lanes([0x100i16, -1, 3, 0x4001, 0, 0, 0, 0]),
            from_lanes([0x100i16, -1, -3, 4, 0, 0, 0, 0])
        ),
        from_lanes([0i16, 1, -9, 4, 0, 0, 0, 0])
    );
    assert_eq!(
        i32x4_mul(from_lanes([0x1_0000i32, i32::MIN, -2, 0x7fff_ffff]), from_lanes([0x1_0000i32, -1, 3, 2])),
        from_lanes([0, i32::MIN, -6, -2])
    );
    assert_eq!(
        i64x2_mul(from_lanes([1i64 << 32, i64::MAX]), from_lanes([1i64 << 32, 2])),
        from_lanes([0i64, -2])
    );
}

#[test]
fn saturation_i16() {
    let a = from_lanes([i16::MAX, i16::MIN, 100, -100, i16::MAX, i16::MIN, 0, -1]);
    let b = from_lanes([1i16, -1, 200, -200, i16::MAX, i16::MIN, i16::MIN, i16::MIN]);
    assert_eq!(
        i16x8_add_sat_s(a, b),
        from_lanes([i16::MAX, i16::MIN, 300, -300, i16::MAX, i16::MIN, i16::MIN, i16::MIN])
    );
    assert_eq!(i16x8_sub_sat_s(a, b), from_lanes([32766i16, -32767, -100, 100, 0, 0, i16::MAX, i16::MAX]));
    let ua = from_lanes([65535u16, 0, 1, 65000, 30000, 2, 0, 65535]);
    let ub = from_lanes([1u16, 1, 1, 1000, 40000, 3, 0, 65535]);
    assert_eq!(i16x8_add_sat_u(ua, ub), from_lanes([65535u16, 1, 2, 65535, 65535, 5, 0, 65535]));
    assert_eq!(i16x8_sub_sat_u(ua, ub), from_lanes([65534u16, 0, 0, 64000, 0, 0, 0, 0]));
}

#[test]
fn avgr_rounds_half_up() {
    let a = from_lanes([0u16, 1, 65535, 65534, 2, 100, 7, 0]);
    let b = from_lanes([1u16, 2, 65535, 65535, 2, 101, 8, 0]);
    assert_eq!(i16x8_avgr_u(a, b), from_lanes([1u16, 2, 65535, 65535, 2, 101, 8, 0]));
    let c = from_lanes([255u8, 0, 254, 1, 3, 0, 200, 128, 127, 0, 0, 0, 0, 0, 0, 10]);
    let d = from_lanes([255u8, 1, 255, 1, 4, 255, 100, 128, 128, 0, 0, 0, 0, 0, 0, 13]);
    assert_eq!(
        i8x16_avgr_u(c, d),
        from_lanes([255u8, 1, 255, 1, 4, 128, 150, 128, 128, 0, 0, 0, 0, 0, 0, 12])
    );
}

#[test]
fn q15mulr_saturates_only_min_times_min() {
    let a = from_lanes([i16::MIN, i16::MIN, 0x4000, 1, -1, -1, i16::MAX, 0x2000]);
    let b = from_lanes([i16::MIN, i16::MAX, 0x4000, 0x4000, 0x4000, 0x4001, i16::MAX, -0x2000]);
    // (x*y + 0x4000) >> 15, with an arithmetic shift (rounds half up):
    // 2^30 + 2^14 >> 15 = 32768 → saturates to 32767; -32767; 0x2000; 1; 0; -1;
    // (32767^2 + 16384) >> 15 = 32766; -(2^26) + 2^14 >> 15 = -2048.
    assert_eq!(i16x8_q15mulr_sat_s(a, b), from_lanes([0x7fffi16, -32767, 0x2000, 1, 0, -1, 32766, -2048]));
}

#[test]
fn q15mulr_matches_spec_formula_on_samples() {
    let specials = [i16::MIN, i16::MIN + 1, -0x4001, -0x4000, -2, -1, 0, 1, 2, 0x3fff, 0x4000, i16::MAX];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut xs: Vec<i16> = specials.to_vec();
    for _ in 0..500 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        xs.push(seed as i16);
    }
    for &x in &xs {
        for chunk in xs.chunks_exact(8) {
            let ys: [i16; 8] = core::array::from_fn(|i| chunk[i]);
            let got = to_lanes::<i16, 8>(i16x8_q15mulr_sat_s(from_lanes([x; 8]), from_lanes(ys)));
            for i in 0..8 {
                // floor((x*y + 2^14) / 2^15), saturated.
                let p = (i64::from(x) * i64::from(ys[i]) + 16_384).div_euclid(32_768);
                assert_eq!(i64::from(got[i]), sat(p, -32_768, 32_767), "q15mulr({x}, {})", ys[i]);
            }
        }
    }
}

#[test]
fn min_max_wider_shapes() {
    let a = from_lanes([-1i32, 5, i32::MIN, 0]);
    let b = from_lanes([1i32, 5, i32::MAX, -1]);
    assert_eq!(i32x4_min_s(a, b), from_lanes([-1i32, 5, i32::MIN, -1]));
    assert_eq!(i32x4_max_s(a, b), from_lanes([1i32, 5, i32::MAX, 0]));
    assert_eq!(i32x4_min_u(a, b), from_lanes([1i32, 5, i32::MAX, 0]));
    assert_eq!(i32x4_max_u(a, b), from_lanes([-1i32, 5, i32::MIN, -1]));
    let c = from_lanes([-1i16, 0, i16::MIN, 7, 8, 9, 10, 11]);
    let d = from_lanes([0i16, -1, i16::MAX, 7, 9, 8, -10, 11]);
    assert_eq!(i16x8_min_s(c, d), from_lanes([-1i16, -1, i16::MIN, 7, 8, 8, -10, 11]));
    assert_eq!(i16x8_max_s(c, d), from_lanes([0i16, 0, i16::MAX, 7, 9, 9, 10, 11]));
    assert_eq!(i16x8_min_u(c, d), from_lanes([0i16, 0, i16::MAX, 7, 8, 8, 10, 11]));
    assert_eq!(i16x8_max_u(c, d), from_lanes([-1i16, -1, i16::MIN, 7, 9, 9, -10, 11]));
}

#[test]
fn comparisons_signed_vs_unsigned() {
    let a = from_lanes([i16::MIN, -1, 0, 1, 5, 5, i16::MAX, 0]);
    let b = from_lanes([1i16, 1, 0, -1, 5, 6, i16::MIN, -1]);
    let t = -1i16;
    assert_eq!(i16x8_eq(a, b), from_lanes([0, 0, t, 0, t, 0, 0, 0]));
    assert_eq!(i16x8_ne(a, b), from_lanes([t, t, 0, t, 0, t, t, t]));
    assert_eq!(i16x8_lt_s(a, b), from_lanes([t, t, 0, 0, 0, t, 0, 0]));
    assert_eq!(i16x8_lt_u(a, b), from_lanes([0, 0, 0, t, 0, t, t, t]));
    assert_eq!(i16x8_gt_s(a, b), from_lanes([0, 0, 0, t, 0, 0, t, t]));
    assert_eq!(i16x8_gt_u(a, b), from_lanes([t, t, 0, 0, 0, 0, 0, 0]));
    assert_eq!(i16x8_le_s(a, b), from_lanes([t, t, t, 0, t, t, 0, 0]));
    assert_eq!(i16x8_le_u(a, b), from_lanes([0, 0, t, t, t, t, t, t]));
    assert_eq!(i16x8_ge_s(a, b), from_lanes([0, 0, t, t, t, 0, t, t]));
    assert_eq!(i16x8_ge_u(a, b), from_lanes([t, t, t, 0, t, 0, 0, 0]));

    let c = from_lanes([i32::MIN, -1, 7, 0]);
    let d = from_lanes([0i32, 1, 7, -1]);
    assert_eq!(i32x4_eq(c, d), from_lanes([0, 0, -1, 0]));
    assert_eq!(i32x4_ne(c, d), from_lanes([-1, -1, 0, -1]));
    assert_eq!(i32x4_lt_s(c, d), from_lanes([-1, -1, 0, 0]));
    assert_eq!(i32x4_lt_u(c, d), from_lanes([0, 0, 0, -1]));
    assert_eq!(i32x4_gt_s(c, d), from_lanes([0, 0, 0, -1]));
    assert_eq!(i32x4_gt_u(c, d), from_lanes([-1, -1, 0, 0]));
    assert_eq!(i32x4_le_s(c, d), from_lanes([-1, -1, -1, 0]));
    assert_eq!(i32x4_le_u(c, d), from_lanes([0, 0, -1, -1]));
    assert_eq!(i32x4_ge_s(c, d), from_lanes([0, 0, -1, -1]));
    assert_eq!(i32x4_ge_u(c, d), from_lanes([-1, -1, -1, 0]));

    let e = from_lanes([i64::MIN, 3]);
    let f = from_lanes([i64::MAX, 3]);
    assert_eq!(i64x2_eq(e, f), from_lanes([0i64, -1]));
    assert_eq!(i64x2_ne(e, f), from_lanes([-1i64, 0]));
    assert_eq!(i64x2_lt_s(e, f), from_lanes([-1i64, 0]));
    assert_eq!(i64x2_gt_s(e, f), 0);
    assert_eq!(i64x2_le_s(e, f), u128::MAX);
    assert_eq!(i64x2_ge_s(e, f), from_lanes([0i64, -1]));
}

#[test]
fn add_sub_match_the_swar_definitions() {
    // The definitions these replaced: SWAR on the u128, the low bits of each
    // lane added without carrying out of it and the top bits by xor.
    const TOP8: u128 = u128::from_le_bytes([0x80; 16]);
    const TOP16: u128 = TOP8 & (u128::MAX / 0xffff * 0x8000);
    const TOP32: u128 = TOP16 & (u128::MAX / 0xffff_ffff * 0x8000_0000);
    let add = |a: u128, b: u128, top: u128| ((a & !top).wrapping_add(b & !top)) ^ ((a ^ b) & top);
    let sub = |a: u128, b: u128, top: u128| ((a | top).wrapping_sub(b & !top)) ^ ((a ^ !b) & top);
    let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
    for _ in 0..2000 {
        x = x.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15) ^ 0x8080_0000_ffff_7f7f;
        let (a, b) = (x, x.rotate_left(64).wrapping_mul(3) ^ 0x7fff_8000_0080_ff00_8000_7fff);
        assert_eq!(i8x16_add(a, b), add(a, b, TOP8));
        assert_eq!(i16x8_add(a, b), add(a, b, TOP16));
        assert_eq!(i32x4_add(a, b), add(a, b, TOP32));
        assert_eq!(i8x16_sub(a, b), sub(a, b, TOP8));
        assert_eq!(i16x8_sub(a, b), sub(a, b, TOP16));
        assert_eq!(i32x4_sub(a, b), sub(a, b, TOP32));
    }
}
