use super::*;
use crate::semantics::simd::to_lanes;

/// Bytes 0x00‥0x0f in lanes 0‥15.
const IOTA: u128 = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100;
/// Bytes 0x10‥0x1f in lanes 0‥15.
const IOTA2: u128 = 0x1f1e_1d1c_1b1a_1918_1716_1514_1312_1110;

#[test]
fn splats_take_low_bits() {
    assert_eq!(i8x16_splat(0x1ff), u128::MAX);
    assert_eq!(i8x16_splat(0x1234_5680), 0x8080_8080_8080_8080_8080_8080_8080_8080);
    assert_eq!(i16x8_splat(0x1_2345), 0x2345_2345_2345_2345_2345_2345_2345_2345);
    assert_eq!(i32x4_splat(-2), 0xffff_fffe_ffff_fffe_ffff_fffe_ffff_fffe);
    assert_eq!(i64x2_splat(0x0123_4567_89ab_cdef), 0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    assert_eq!(f32x4_splat(f32::from_bits(0x7f80_0001)), 0x7f80_0001_7f80_0001_7f80_0001_7f80_0001);
    assert_eq!(f64x2_splat(-0.0), 0x8000_0000_0000_0000_8000_0000_0000_0000);
}

#[test]
fn extract_lane_sign_and_zero_extension() {
    let v = i8x16_replace_lane(IOTA, 5, 0x80);
    assert_eq!(i8x16_extract_lane_s(v, 5), -128);
    assert_eq!(i8x16_extract_lane_u(v, 5), 128);
    assert_eq!(i8x16_extract_lane_s(v, 15), 15);
    let w = i16x8_replace_lane(0, 7, 0x8000);
    assert_eq!(i16x8_extract_lane_s(w, 7), -32768);
    assert_eq!(i16x8_extract_lane_u(w, 7), 32768);
    assert_eq!(i16x8_extract_lane_u(IOTA, 1), 0x0302);
    assert_eq!(i32x4_extract_lane(IOTA, 3), 0x0f0e_0d0c);
    assert_eq!(i64x2_extract_lane(u128::MAX, 1), -1);
    let nan = f32x4_replace_lane(IOTA, 2, f32::from_bits(0xff80_0001));
    assert_eq!(f32x4_extract_lane(nan, 2).to_bits(), 0xff80_0001);
    assert_eq!(f32x4_extract_lane(nan, 1).to_bits(), 0x0706_0504);
    let dn = f64x2_replace_lane(0, 1, f64::from_bits(0x7ff0_0000_0000_0001));
    assert_eq!(f64x2_extract_lane(dn, 1).to_bits(), 0x7ff0_0000_0000_0001);
    assert_eq!(dn, 0x7ff0_0000_0000_0001_0000_0000_0000_0000);
}

#[test]
fn replace_lane_touches_one_lane() {
    assert_eq!(i8x16_replace_lane(IOTA, 15, 0x1ff), 0xff0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    assert_eq!(i8x16_replace_lane(IOTA, 0, -1), 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_01ff);
    assert_eq!(i16x8_replace_lane(IOTA, 3, 0x7_abcd), 0x0f0e_0d0c_0b0a_0908_abcd_0504_0302_0100);
    assert_eq!(i32x4_replace_lane(IOTA, 1, -1), 0x0f0e_0d0c_0b0a_0908_ffff_ffff_0302_0100);
    assert_eq!(i64x2_replace_lane(IOTA, 1, 0), 0x0706_0504_0302_0100);
}

#[test]
fn shuffle_selects_from_both_operands() {
    let id: [u8; 16] = core::array::from_fn(|i| i as u8);
    assert_eq!(i8x16_shuffle(IOTA, IOTA2, id), IOTA);
    assert_eq!(i8x16_shuffle(IOTA, IOTA2, id.map(|i| i + 16)), IOTA2);
    // Interleave low halves: a0 b0 a1 b1 ...
    let zip: [u8; 16] = core::array::from_fn(|i| (i / 2 + 16 * (i % 2)) as u8);
    assert_eq!(
        to_lanes::<u8, 16>(i8x16_shuffle(IOTA, IOTA2, zip)),
        [0x00, 0x10, 0x01, 0x11, 0x02, 0x12, 0x03, 0x13, 0x04, 0x14, 0x05, 0x15, 0x06, 0x16, 0x07, 0x17]
    );
    assert_eq!(i8x16_shuffle(IOTA, IOTA2, [31; 16]), i8x16_splat(0x1f));
    let rev: [u8; 16] = core::array::from_fn(|i| 15 - i as u8);
    assert_eq!(i8x16_shuffle(IOTA, 0, rev), IOTA.swap_bytes());
}

#[test]
fn swizzle_zeroes_out_of_range_indices() {
    let s = from_lanes::<u8, 16>([0, 15, 16, 255, 0x80, 1, 17, 14, 3, 3, 32, 0x7f, 0x10, 2, 0xf0, 9]);
    let a = IOTA2;
    assert_eq!(
        to_lanes::<u8, 16>(i8x16_swizzle(a, s)),
        [0x10, 0x1f, 0, 0, 0, 0x11, 0, 0x1e, 0x13, 0x13, 0, 0, 0, 0x12, 0, 0x19]
    );
    assert_eq!(i8x16_swizzle(a, IOTA), a);
}

#[test]
fn load_extend() {
    let bytes = [0x80, 0x7f, 0xff, 0x00, 0x01, 0x02, 0xfe, 0x04];
    assert_eq!(to_lanes::<i16, 8>(v128_load8x8_s(bytes)), [-128, 127, -1, 0, 1, 2, -2, 4]);
    assert_eq!(to_lanes::<u16, 8>(v128_load8x8_u(bytes)), [128, 127, 255, 0, 1, 2, 254, 4]);
    let bytes = [0x00, 0x80, 0xff, 0x7f, 0xff, 0xff, 0x01, 0x00];
    assert_eq!(to_lanes::<i32, 4>(v128_load16x4_s(bytes)), [-32768, 32767, -1, 1]);
    assert_eq!(to_lanes::<u32, 4>(v128_load16x4_u(bytes)), [32768, 32767, 65535, 1]);
    let bytes = [0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0x7f];
    assert_eq!(to_lanes::<i64, 2>(v128_load32x2_s(bytes)), [-0x8000_0000, 0x7fff_ffff]);
    assert_eq!(to_lanes::<u64, 2>(v128_load32x2_u(bytes)), [0x8000_0000, 0x7fff_ffff]);
}

#[test]
fn load_splat_and_zero() {
    assert_eq!(v128_load8_splat([0xa5]), i8x16_splat(0xa5));
    assert_eq!(v128_load16_splat([0x34, 0x12]), i16x8_splat(0x1234));
    assert_eq!(v128_load32_splat([0x78, 0x56, 0x34, 0x12]), i32x4_splat(0x1234_5678));
    assert_eq!(v128_load64_splat([1, 2, 3, 4, 5, 6, 7, 0x88]), i64x2_splat(0x8807_0605_0403_0201u64 as i64));
    assert_eq!(v128_load32_zero([0xff, 0, 0, 0x80]), 0x8000_00ff);
    assert_eq!(v128_load64_zero([0xff; 8]), 0xffff_ffff_ffff_ffff);
}

#[test]
fn load_and_store_lane() {
    assert_eq!(v128_load8_lane(IOTA, 15, [0xaa]), 0xaa0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    assert_eq!(v128_load16_lane(IOTA, 1, [0xcd, 0xab]), 0x0f0e_0d0c_0b0a_0908_0706_0504_abcd_0100);
    assert_eq!(v128_load32_lane(0, 3, [1, 2, 3, 4]), 0x0403_0201_0000_0000_0000_0000_0000_0000);
    assert_eq!(v128_load64_lane(u128::MAX, 0, [0; 8]), 0xffff_ffff_ffff_ffff_0000_0000_0000_0000);
    assert_eq!(v128_store8_lane(IOTA, 9), [9]);
    assert_eq!(v128_store16_lane(IOTA, 7), [14, 15]);
    assert_eq!(v128_store32_lane(IOTA, 2), [8, 9, 10, 11]);
    assert_eq!(v128_store64_lane(IOTA, 1), [8, 9, 10, 11, 12, 13, 14, 15]);
    for lane in 0..4 {
        let v = v128_load32_lane(IOTA2, lane, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(v128_store32_lane(v, lane), [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(i32x4_extract_lane(v, lane), 0xefbe_adde_u32 as i32);
    }
}

#[test]
fn bitwise() {
    let a = 0xff00_ff00_f0f0_0000_1234_5678_9abc_def0u128;
    let b = 0x0ff0_0ff0_ff00_ffff_0000_ffff_0000_ffffu128;
    assert_eq!(v128_not(a), !a);
    assert_eq!(v128_and(a, b), 0x0f00_0f00_f000_0000_0000_5678_0000_def0);
    assert_eq!(v128_andnot(a, b), 0xf000_f000_00f0_0000_1234_0000_9abc_0000);
    assert_eq!(v128_or(a, b), 0xfff0_fff0_fff0_ffff_1234_ffff_9abc_ffff);
    assert_eq!(v128_xor(a, b), 0xf0f0_f0f0_0ff0_ffff_1234_a987_9abc_210f);
    // bitselect: a where the mask is 1, b where it is 0.
    assert_eq!(v128_bitselect(u128::MAX, 0, b), b);
    assert_eq!(v128_bitselect(a, b, 0), b);
    assert_eq!(v128_bitselect(a, b, u128::MAX), a);
    assert_eq!(v128_bitselect(0xaaaa, 0x5555, 0xff00), 0xaa55);
}

#[test]
fn any_true_all_true() {
    assert_eq!(v128_any_true(0), 0);
    assert_eq!(v128_any_true(1 << 127), 1);
    assert_eq!(i8x16_all_true(i8x16_splat(1)), 1);
    assert_eq!(i8x16_all_true(i8x16_replace_lane(i8x16_splat(1), 9, 0)), 0);
    assert_eq!(i8x16_all_true(IOTA), 0, "lane 0 is zero");
    assert_eq!(i16x8_all_true(i8x16_splat(0x01) & !0xff00), 1, "each 16-bit lane still non-zero");
    assert_eq!(i16x8_all_true(0x0001_0001_0001_0001_0001_0001_0000_0001), 0);
    assert_eq!(i32x4_all_true(i32x4_splat(i32::MIN)), 1);
    assert_eq!(i32x4_all_true(0xffff_ffff_0000_0000_ffff_ffff_ffff_ffff), 0);
    assert_eq!(i64x2_all_true(1 | (1 << 64)), 1);
    assert_eq!(i64x2_all_true(u128::MAX >> 64), 0);
}

#[test]
fn bitmask_collects_sign_bits() {
    assert_eq!(i8x16_bitmask(u128::MAX), 0xffff);
    assert_eq!(i8x16_bitmask(0x7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f), 0);
    assert_eq!(i8x16_bitmask(0x8000_0000_0000_0000_0000_0000_0000_0080), 0x8001);
    assert_eq!(i16x8_bitmask(from_lanes([-1i16, 0, -32768, 32767, 1, -2, 0, i16::MIN])), 0b1010_0101);
    assert_eq!(i32x4_bitmask(from_lanes([-1i32, 1, i32::MIN, 0])), 0b0101);
    assert_eq!(i64x2_bitmask(from_lanes([1i64, -1])), 0b10);
    assert_eq!(i64x2_bitmask(u128::MAX), 0b11);
}

/// Random vectors whose lanes are often zero or have their sign bit set (the
/// cases `all_true` and `bitmask` tell apart).
fn random_vectors() -> impl Iterator<Item = u128> {
    let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
    (0..4000).map(move |i| {
        x = x.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15) ^ 0x8080_0000_ffff_7f7f;
        // Clear a random selection of bytes so that some lanes become zero.
        let keep =
            u128::from_le_bytes(core::array::from_fn(
                |b| if (x >> (b * 7 % 128)) & 3 == 0 { 0 } else { 0xff },
            ));
        if i % 3 == 0 { x & keep } else { x }
    })
}

#[test]
fn all_true_and_bitmask_match_the_shift_definitions() {
    // The definitions these replaced: lanes picked out of the u128 by shifts.
    fn old_all_true<const BITS: u32>(a: u128) -> i32 {
        let lane = u128::MAX >> (128 - BITS);
        i32::from((0..128 / BITS).all(|i| (a >> (i * BITS)) & lane != 0))
    }
    fn old_bitmask<const BITS: u32>(a: u128) -> i32 {
        (0..128 / BITS).fold(0, |m, i| m | ((((a >> (i * BITS + BITS - 1)) & 1) as i32) << i))
    }
    for v in random_vectors().chain([0, u128::MAX, 1, 1 << 127]) {
        assert_eq!(i8x16_all_true(v), old_all_true::<8>(v), "{v:#x}");
        assert_eq!(i16x8_all_true(v), old_all_true::<16>(v), "{v:#x}");
        assert_eq!(i32x4_all_true(v), old_all_true::<32>(v), "{v:#x}");
        assert_eq!(i64x2_all_true(v), old_all_true::<64>(v), "{v:#x}");
        assert_eq!(i8x16_bitmask(v), old_bitmask::<8>(v), "{v:#x}");
        assert_eq!(i16x8_bitmask(v), old_bitmask::<16>(v), "{v:#x}");
        assert_eq!(i32x4_bitmask(v), old_bitmask::<32>(v), "{v:#x}");
        assert_eq!(i64x2_bitmask(v), old_bitmask::<64>(v), "{v:#x}");
    }
    for m in 0..=u16::MAX {
        let v =
            u128::from_le_bytes(core::array::from_fn(
                |i| if m >> i & 1 == 1 { 0x80 | i as u8 } else { i as u8 },
            ));
        assert_eq!(i8x16_bitmask(v), i32::from(m), "every byte sign pattern");
    }
}
