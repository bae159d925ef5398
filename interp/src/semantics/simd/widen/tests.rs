use super::*;

#[test]
fn narrow_saturates_signed_inputs() {
    let a = from_lanes([-129i16, -128, 127, 128, 0, -1, i16::MIN, i16::MAX]);
    let b = from_lanes([1i16, 2, 255, 256, -300, 300, 3, 4]);
    assert_eq!(
        to_lanes::<i8, 16>(i8x16_narrow_i16x8_s(a, b)),
        [-128, -128, 127, 127, 0, -1, -128, 127, 1, 2, 127, 127, -128, 127, 3, 4]
    );
    // The unsigned variant still reads signed inputs: -1 → 0, 255 → 255, 256 → 255.
    assert_eq!(
        to_lanes::<u8, 16>(i8x16_narrow_i16x8_u(a, b)),
        [0, 0, 127, 128, 0, 0, 0, 255, 1, 2, 255, 255, 0, 255, 3, 4]
    );
    let c = from_lanes([-32769i32, 32768, -1, 65536]);
    let d = from_lanes([i32::MIN, i32::MAX, 65535, 7]);
    assert_eq!(
        to_lanes::<i16, 8>(i16x8_narrow_i32x4_s(c, d)),
        [i16::MIN, i16::MAX, -1, i16::MAX, i16::MIN, i16::MAX, i16::MAX, 7]
    );
    assert_eq!(to_lanes::<u16, 8>(i16x8_narrow_i32x4_u(c, d)), [0, 32768, 0, 65535, 0, 65535, 65535, 7]);
}

#[test]
fn narrow_i16_exhaustive_against_spec() {
    for base in (i16::MIN..=i16::MAX).step_by(16) {
        let a: [i16; 8] = core::array::from_fn(|i| base.wrapping_add(i as i16));
        let b: [i16; 8] = core::array::from_fn(|i| base.wrapping_add(8 + i as i16));
        let s = to_lanes::<i8, 16>(i8x16_narrow_i16x8_s(from_lanes(a), from_lanes(b)));
        let u = to_lanes::<u8, 16>(i8x16_narrow_i16x8_u(from_lanes(a), from_lanes(b)));
        for i in 0..16 {
            let x = i32::from(if i < 8 { a[i] } else { b[i - 8] });
            assert_eq!(i32::from(s[i]), x.clamp(-128, 127), "narrow_s({x})");
            assert_eq!(i32::from(u[i]), x.clamp(0, 255), "narrow_u({x})");
        }
    }
}

#[test]
fn extend_low_and_high() {
    let v = from_lanes([0x80u8, 0x7f, 0xff, 0, 1, 2, 3, 4, 0xfe, 5, 6, 7, 8, 9, 0x81, 0xff]);
    assert_eq!(to_lanes::<i16, 8>(i16x8_extend_low_i8x16_s(v)), [-128, 127, -1, 0, 1, 2, 3, 4]);
    assert_eq!(to_lanes::<i16, 8>(i16x8_extend_high_i8x16_s(v)), [-2, 5, 6, 7, 8, 9, -127, -1]);
    assert_eq!(to_lanes::<u16, 8>(i16x8_extend_low_i8x16_u(v)), [128, 127, 255, 0, 1, 2, 3, 4]);
    assert_eq!(to_lanes::<u16, 8>(i16x8_extend_high_i8x16_u(v)), [254, 5, 6, 7, 8, 9, 129, 255]);
    let w = from_lanes([i16::MIN, -1, 1, i16::MAX, -2, 2, 0x7ffe, -0x7fff]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_extend_low_i16x8_s(w)), [-32768, -1, 1, 32767]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_extend_high_i16x8_s(w)), [-2, 2, 0x7ffe, -0x7fff]);
    assert_eq!(to_lanes::<u32, 4>(i32x4_extend_low_i16x8_u(w)), [32768, 65535, 1, 32767]);
    assert_eq!(to_lanes::<u32, 4>(i32x4_extend_high_i16x8_u(w)), [65534, 2, 0x7ffe, 0x8001]);
    let x = from_lanes([i32::MIN, -1, 7, -7]);
    assert_eq!(to_lanes::<i64, 2>(i64x2_extend_low_i32x4_s(x)), [-0x8000_0000, -1]);
    assert_eq!(to_lanes::<i64, 2>(i64x2_extend_high_i32x4_s(x)), [7, -7]);
    assert_eq!(to_lanes::<u64, 2>(i64x2_extend_low_i32x4_u(x)), [0x8000_0000, 0xffff_ffff]);
    assert_eq!(to_lanes::<u64, 2>(i64x2_extend_high_i32x4_u(x)), [7, 0xffff_fff9]);
}

#[test]
fn extmul_extremes_do_not_overflow() {
    let a = from_lanes([i8::MIN, i8::MIN, -1, 127, 0, 1, 2, 3, i8::MIN, 127, -1, 0, 5, 6, 7, -8]);
    let b = from_lanes([i8::MIN, 127, -1, 127, 9, 9, 9, 9, i8::MIN, -128, 1, 0, 5, 6, 7, 8]);
    assert_eq!(to_lanes::<i16, 8>(i16x8_extmul_low_i8x16_s(a, b)), [16384, -16256, 1, 16129, 0, 9, 18, 27]);
    assert_eq!(to_lanes::<i16, 8>(i16x8_extmul_high_i8x16_s(a, b)), [16384, -16256, -1, 0, 25, 36, 49, -64]);
    assert_eq!(
        to_lanes::<u16, 8>(i16x8_extmul_low_i8x16_u(a, b)),
        [16384, 16256, 65025, 16129, 0, 9, 18, 27]
    );
    assert_eq!(to_lanes::<u16, 8>(i16x8_extmul_high_i8x16_u(a, b)), [16384, 16256, 255, 0, 25, 36, 49, 1984]);
    let c = from_lanes([i16::MIN, -1, 3, 4, i16::MIN, i16::MAX, -1, 2]);
    let d = from_lanes([i16::MIN, -1, -3, 4, i16::MAX, i16::MAX, 2, -1]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_extmul_low_i16x8_s(c, d)), [1 << 30, 1, -9, 16]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_extmul_high_i16x8_s(c, d)), [-1_073_709_056, 1_073_676_289, -2, -2]);
    assert_eq!(to_lanes::<u32, 4>(i32x4_extmul_low_i16x8_u(c, d)), [1 << 30, 4_294_836_225, 196_599, 16]);
    assert_eq!(
        to_lanes::<u32, 4>(i32x4_extmul_high_i16x8_u(c, d)),
        [1_073_709_056, 1_073_676_289, 131_070, 131_070]
    );
    let e = from_lanes([i32::MIN, -1, i32::MAX, 2]);
    let f = from_lanes([i32::MIN, -1, i32::MAX, -3]);
    assert_eq!(to_lanes::<i64, 2>(i64x2_extmul_low_i32x4_s(e, f)), [1 << 62, 1]);
    assert_eq!(to_lanes::<i64, 2>(i64x2_extmul_high_i32x4_s(e, f)), [0x3fff_ffff_0000_0001, -6]);
    assert_eq!(to_lanes::<u64, 2>(i64x2_extmul_low_i32x4_u(e, f)), [1 << 62, 0xffff_fffe_0000_0001]);
    assert_eq!(to_lanes::<u64, 2>(i64x2_extmul_high_i32x4_u(e, f)), [0x3fff_ffff_0000_0001, 0x1_ffff_fffa]);
}

#[test]
fn extadd_pairwise() {
    let v = from_lanes([i8::MIN, i8::MIN, 127, 127, -1, 1, -1, -1, 0xffu8 as i8, 0, 5, -6, 0, 0, 100, 100]);
    assert_eq!(to_lanes::<i16, 8>(i16x8_extadd_pairwise_i8x16_s(v)), [-256, 254, 0, -2, -1, -1, 0, 200]);
    assert_eq!(to_lanes::<u16, 8>(i16x8_extadd_pairwise_i8x16_u(v)), [256, 254, 256, 510, 255, 255, 0, 200]);
    let w = from_lanes([i16::MIN, i16::MIN, i16::MAX, i16::MAX, -1, 1, -1, -2]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_extadd_pairwise_i16x8_s(w)), [-65536, 65534, 0, -3]);
    assert_eq!(to_lanes::<u32, 4>(i32x4_extadd_pairwise_i16x8_u(w)), [65536, 65534, 65536, 131_069]);
}

#[test]
fn dot_wraps_only_in_the_all_min_case() {
    let a = from_lanes([i16::MIN, i16::MIN, i16::MAX, i16::MAX, 1, 2, -3, 4]);
    let b = from_lanes([i16::MIN, i16::MIN, i16::MAX, i16::MAX, 5, 6, 7, -8]);
    // 2^30 + 2^30 = 2^31 wraps to i32::MIN; 2 * 32767^2 = 2147352578 fits.
    assert_eq!(to_lanes::<i32, 4>(i32x4_dot_i16x8_s(a, b)), [i32::MIN, 2_147_352_578, 17, -53]);
    let c = from_lanes([i16::MIN, i16::MAX, 0, 0, -1, -1, 0, 0]);
    let d = from_lanes([i16::MAX, i16::MIN, 0, 0, -1, 1, 0, 0]);
    assert_eq!(to_lanes::<i32, 4>(i32x4_dot_i16x8_s(c, d)), [-2_147_418_112, 0, 0, 0]);
}
