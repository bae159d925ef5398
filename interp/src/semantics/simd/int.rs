//! Integer lane arithmetic: `abs`, `neg`, `popcnt`, shifts, wrapping and saturating
//! `add`/`sub`, `mul`, `min`/`max`, `avgr_u`, `q15mulr_sat_s`, and the comparisons.
//!
//! Shifts take the count modulo the lane width (`i8x16.shl` by 9 shifts by 1).

use super::{V128, map};

unary_ops! {
    /// `i8x16.abs`: lane-wise absolute value; `-128` stays `-128`.
    i8x16_abs: [i8; 16] |x| x.wrapping_abs();
    /// `i16x8.abs`: lane-wise absolute value; `i16::MIN` stays `i16::MIN`.
    i16x8_abs: [i16; 8] |x| x.wrapping_abs();
    /// `i32x4.abs`: lane-wise absolute value; `i32::MIN` stays `i32::MIN`.
    i32x4_abs: [i32; 4] |x| x.wrapping_abs();
    /// `i64x2.abs`: lane-wise absolute value; `i64::MIN` stays `i64::MIN`.
    i64x2_abs: [i64; 2] |x| x.wrapping_abs();
    /// `i8x16.neg`: lane-wise wrapping negation.
    i8x16_neg: [i8; 16] |x| x.wrapping_neg();
    /// `i16x8.neg`: lane-wise wrapping negation.
    i16x8_neg: [i16; 8] |x| x.wrapping_neg();
    /// `i32x4.neg`: lane-wise wrapping negation.
    i32x4_neg: [i32; 4] |x| x.wrapping_neg();
    /// `i64x2.neg`: lane-wise wrapping negation.
    i64x2_neg: [i64; 2] |x| x.wrapping_neg();
    /// `i8x16.popcnt`: set bits per lane.
    i8x16_popcnt: [u8; 16] |x| x.count_ones() as u8;
}

/// Defines the `shl`/`shr_s`/`shr_u` triple of one shape. The lane types' own
/// `wrapping_sh*` take the count modulo the lane width, as the spec requires.
macro_rules! shift_ops {
    ($shape:literal, $s:ty, $u:ty, $n:literal: $shl:ident, $shr_s:ident, $shr_u:ident) => {
        #[doc = concat!("`", $shape, ".shl`: each lane shifted left by `count` modulo the lane width.")]
        #[inline(always)]
        #[must_use]
        pub fn $shl<V: V128>(a: V, count: i32) -> V {
            map::<$u, $n, V>(a, |x| x.wrapping_shl(count as u32))
        }

        #[doc = concat!("`", $shape, ".shr_s`: each lane shifted right arithmetically by `count` modulo")]
        /// the lane width.
        #[inline(always)]
        #[must_use]
        pub fn $shr_s<V: V128>(a: V, count: i32) -> V {
            map::<$s, $n, V>(a, |x| x.wrapping_shr(count as u32))
        }

        #[doc = concat!("`", $shape, ".shr_u`: each lane shifted right logically by `count` modulo")]
        /// the lane width.
        #[inline(always)]
        #[must_use]
        pub fn $shr_u<V: V128>(a: V, count: i32) -> V {
            map::<$u, $n, V>(a, |x| x.wrapping_shr(count as u32))
        }
    };
}

shift_ops!("i8x16", i8, u8, 16: i8x16_shl, i8x16_shr_s, i8x16_shr_u);
shift_ops!("i16x8", i16, u16, 8: i16x8_shl, i16x8_shr_s, i16x8_shr_u);
shift_ops!("i32x4", i32, u32, 4: i32x4_shl, i32x4_shr_s, i32x4_shr_u);
shift_ops!("i64x2", i64, u64, 2: i64x2_shl, i64x2_shr_s, i64x2_shr_u);

binary_ops! {
    /// `i8x16.add`: lane-wise wrapping addition.
    i8x16_add: [u8; 16] |x, y| x.wrapping_add(y);
    /// `i16x8.add`: lane-wise wrapping addition.
    i16x8_add: [u16; 8] |x, y| x.wrapping_add(y);
    /// `i32x4.add`: lane-wise wrapping addition.
    i32x4_add: [u32; 4] |x, y| x.wrapping_add(y);
    /// `i8x16.sub`: lane-wise wrapping subtraction.
    i8x16_sub: [u8; 16] |x, y| x.wrapping_sub(y);
    /// `i16x8.sub`: lane-wise wrapping subtraction.
    i16x8_sub: [u16; 8] |x, y| x.wrapping_sub(y);
    /// `i32x4.sub`: lane-wise wrapping subtraction.
    i32x4_sub: [u32; 4] |x, y| x.wrapping_sub(y);
    /// `i64x2.add`: lane-wise wrapping addition.
    i64x2_add: [u64; 2] |x, y| x.wrapping_add(y);
    /// `i64x2.sub`: lane-wise wrapping subtraction.
    i64x2_sub: [u64; 2] |x, y| x.wrapping_sub(y);
    /// `i16x8.mul`: lane-wise wrapping multiplication (low half of the product).
    i16x8_mul: [u16; 8] |x, y| x.wrapping_mul(y);
    /// `i32x4.mul`: lane-wise wrapping multiplication (low half of the product).
    i32x4_mul: [u32; 4] |x, y| x.wrapping_mul(y);
    /// `i64x2.mul`: lane-wise wrapping multiplication (low half of the product).
    i64x2_mul: [u64; 2] |x, y| x.wrapping_mul(y);

    /// `i8x16.add_sat_s`: lane-wise signed addition clamped to `-128..=127`.
    i8x16_add_sat_s: [i8; 16] |x, y| x.saturating_add(y);
    /// `i8x16.add_sat_u`: lane-wise unsigned addition clamped to `0..=255`.
    i8x16_add_sat_u: [u8; 16] |x, y| x.saturating_add(y);
    /// `i16x8.add_sat_s`: lane-wise signed addition clamped to the `i16` range.
    i16x8_add_sat_s: [i16; 8] |x, y| x.saturating_add(y);
    /// `i16x8.add_sat_u`: lane-wise unsigned addition clamped to the `u16` range.
    i16x8_add_sat_u: [u16; 8] |x, y| x.saturating_add(y);
    /// `i8x16.sub_sat_s`: lane-wise signed subtraction clamped to `-128..=127`.
    i8x16_sub_sat_s: [i8; 16] |x, y| x.saturating_sub(y);
    /// `i8x16.sub_sat_u`: lane-wise unsigned subtraction clamped at 0.
    i8x16_sub_sat_u: [u8; 16] |x, y| x.saturating_sub(y);
    /// `i16x8.sub_sat_s`: lane-wise signed subtraction clamped to the `i16` range.
    i16x8_sub_sat_s: [i16; 8] |x, y| x.saturating_sub(y);
    /// `i16x8.sub_sat_u`: lane-wise unsigned subtraction clamped at 0.
    i16x8_sub_sat_u: [u16; 8] |x, y| x.saturating_sub(y);

    /// `i8x16.min_s`: lane-wise signed minimum.
    i8x16_min_s: [i8; 16] |x, y| x.min(y);
    /// `i8x16.min_u`: lane-wise unsigned minimum.
    i8x16_min_u: [u8; 16] |x, y| x.min(y);
    /// `i8x16.max_s`: lane-wise signed maximum.
    i8x16_max_s: [i8; 16] |x, y| x.max(y);
    /// `i8x16.max_u`: lane-wise unsigned maximum.
    i8x16_max_u: [u8; 16] |x, y| x.max(y);
    /// `i16x8.min_s`: lane-wise signed minimum.
    i16x8_min_s: [i16; 8] |x, y| x.min(y);
    /// `i16x8.min_u`: lane-wise unsigned minimum.
    i16x8_min_u: [u16; 8] |x, y| x.min(y);
    /// `i16x8.max_s`: lane-wise signed maximum.
    i16x8_max_s: [i16; 8] |x, y| x.max(y);
    /// `i16x8.max_u`: lane-wise unsigned maximum.
    i16x8_max_u: [u16; 8] |x, y| x.max(y);
    /// `i32x4.min_s`: lane-wise signed minimum.
    i32x4_min_s: [i32; 4] |x, y| x.min(y);
    /// `i32x4.min_u`: lane-wise unsigned minimum.
    i32x4_min_u: [u32; 4] |x, y| x.min(y);
    /// `i32x4.max_s`: lane-wise signed maximum.
    i32x4_max_s: [i32; 4] |x, y| x.max(y);
    /// `i32x4.max_u`: lane-wise unsigned maximum.
    i32x4_max_u: [u32; 4] |x, y| x.max(y);

    /// `i8x16.avgr_u`: lane-wise unsigned average rounded up, `(x + y + 1) / 2`
    /// computed without overflow.
    i8x16_avgr_u: [u8; 16] |x, y| ((u16::from(x) + u16::from(y) + 1) >> 1) as u8;
    /// `i16x8.avgr_u`: lane-wise unsigned average rounded up, `(x + y + 1) / 2`
    /// computed without overflow.
    i16x8_avgr_u: [u16; 8] |x, y| ((u32::from(x) + u32::from(y) + 1) >> 1) as u16;
    /// `i16x8.q15mulr_sat_s`: Q15 fixed-point multiply, rounded,
    /// `sat_s((x * y + 0x4000) >> 15)`. Only `-32768 * -32768` saturates (to 32767).
    i16x8_q15mulr_sat_s: [i16; 8] |x, y| {
        let p = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
        p.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
    };
}

compare_ops!("i8x16", i8, 16, "_s": i8x16_eq, i8x16_ne, i8x16_lt_s, i8x16_gt_s, i8x16_le_s, i8x16_ge_s);
compare_ops!("i8x16", u8, 16, "_u": i8x16_lt_u, i8x16_gt_u, i8x16_le_u, i8x16_ge_u);
compare_ops!("i16x8", i16, 8, "_s": i16x8_eq, i16x8_ne, i16x8_lt_s, i16x8_gt_s, i16x8_le_s, i16x8_ge_s);
compare_ops!("i16x8", u16, 8, "_u": i16x8_lt_u, i16x8_gt_u, i16x8_le_u, i16x8_ge_u);
compare_ops!("i32x4", i32, 4, "_s": i32x4_eq, i32x4_ne, i32x4_lt_s, i32x4_gt_s, i32x4_le_s, i32x4_ge_s);
compare_ops!("i32x4", u32, 4, "_u": i32x4_lt_u, i32x4_gt_u, i32x4_le_u, i32x4_ge_u);
compare_ops!("i64x2", i64, 2, "_s": i64x2_eq, i64x2_ne, i64x2_lt_s, i64x2_gt_s, i64x2_le_s, i64x2_ge_s);

#[cfg(test)]
mod tests;
