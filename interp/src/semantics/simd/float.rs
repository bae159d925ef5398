//! Float lane arithmetic for `f32x4` and `f64x2`: sign-bit operators, `sqrt`,
//! rounding, `add`/`sub`/`mul`/`div`, `min`/`max`, `pmin`/`pmax`, comparisons.
//!
//! Per lane, each operator is exactly its scalar counterpart (see the
//! [NaN policy](crate::semantics#nan-policy)): `min`/`max` give the canonical NaN,
//! rounding operators quiet an input NaN, arithmetic uses Rust's operators, and
//! `abs`/`neg`/`pmin`/`pmax` never alter NaN bits.

use crate::semantics::scalar::{
    f32_ceil, f32_floor, f32_max, f32_min, f32_nearest, f32_sqrt, f32_trunc, f64_ceil, f64_floor, f64_max,
    f64_min, f64_nearest, f64_sqrt, f64_trunc,
};

/// The sign bit of every `f32` lane.
const F32X4_SIGNS: u128 = 0x8000_0000_8000_0000_8000_0000_8000_0000;
/// The sign bit of every `f64` lane.
const F64X2_SIGNS: u128 = 0x8000_0000_0000_0000_8000_0000_0000_0000;

/// `f32x4.abs`: clears each lane's sign bit; NaN payloads are kept.
#[inline(always)]
#[must_use]
pub fn f32x4_abs(a: u128) -> u128 {
    a & !F32X4_SIGNS
}

/// `f32x4.neg`: flips each lane's sign bit; NaN payloads are kept.
#[inline(always)]
#[must_use]
pub fn f32x4_neg(a: u128) -> u128 {
    a ^ F32X4_SIGNS
}

/// `f64x2.abs`: clears each lane's sign bit; NaN payloads are kept.
#[inline(always)]
#[must_use]
pub fn f64x2_abs(a: u128) -> u128 {
    a & !F64X2_SIGNS
}

/// `f64x2.neg`: flips each lane's sign bit; NaN payloads are kept.
#[inline(always)]
#[must_use]
pub fn f64x2_neg(a: u128) -> u128 {
    a ^ F64X2_SIGNS
}

unary_ops! {
    /// `f32x4.sqrt`: lane-wise correctly rounded square root.
    f32x4_sqrt: [f32; 4] |x| f32_sqrt(x);
    /// `f32x4.ceil`: lane-wise round towards +∞.
    f32x4_ceil: [f32; 4] |x| f32_ceil(x);
    /// `f32x4.floor`: lane-wise round towards -∞.
    f32x4_floor: [f32; 4] |x| f32_floor(x);
    /// `f32x4.trunc`: lane-wise round towards zero.
    f32x4_trunc: [f32; 4] |x| f32_trunc(x);
    /// `f32x4.nearest`: lane-wise round to nearest, ties to even.
    f32x4_nearest: [f32; 4] |x| f32_nearest(x);
    /// `f64x2.sqrt`: lane-wise correctly rounded square root.
    f64x2_sqrt: [f64; 2] |x| f64_sqrt(x);
    /// `f64x2.ceil`: lane-wise round towards +∞.
    f64x2_ceil: [f64; 2] |x| f64_ceil(x);
    /// `f64x2.floor`: lane-wise round towards -∞.
    f64x2_floor: [f64; 2] |x| f64_floor(x);
    /// `f64x2.trunc`: lane-wise round towards zero.
    f64x2_trunc: [f64; 2] |x| f64_trunc(x);
    /// `f64x2.nearest`: lane-wise round to nearest, ties to even.
    f64x2_nearest: [f64; 2] |x| f64_nearest(x);
}

binary_ops! {
    /// `f32x4.add`: lane-wise IEEE addition.
    f32x4_add: [f32; 4] |x, y| x + y;
    /// `f32x4.sub`: lane-wise IEEE subtraction.
    f32x4_sub: [f32; 4] |x, y| x - y;
    /// `f32x4.mul`: lane-wise IEEE multiplication.
    f32x4_mul: [f32; 4] |x, y| x * y;
    /// `f32x4.div`: lane-wise IEEE division.
    f32x4_div: [f32; 4] |x, y| x / y;
    /// `f32x4.min`: lane-wise Wasm `min` (`-0 < +0`, NaN → canonical NaN).
    f32x4_min: [f32; 4] |x, y| f32_min(x, y);
    /// `f32x4.max`: lane-wise Wasm `max` (`-0 < +0`, NaN → canonical NaN).
    f32x4_max: [f32; 4] |x, y| f32_max(x, y);
    /// `f32x4.pmin`: lane-wise pseudo-minimum `y < x ? y : x` (returns `x` when
    /// either is NaN or they are equal, e.g. ±0).
    f32x4_pmin: [f32; 4] |x, y| if y < x { y } else { x };
    /// `f32x4.pmax`: lane-wise pseudo-maximum `x < y ? y : x` (returns `x` when
    /// either is NaN or they are equal, e.g. ±0).
    f32x4_pmax: [f32; 4] |x, y| if x < y { y } else { x };
    /// `f64x2.add`: lane-wise IEEE addition.
    f64x2_add: [f64; 2] |x, y| x + y;
    /// `f64x2.sub`: lane-wise IEEE subtraction.
    f64x2_sub: [f64; 2] |x, y| x - y;
    /// `f64x2.mul`: lane-wise IEEE multiplication.
    f64x2_mul: [f64; 2] |x, y| x * y;
    /// `f64x2.div`: lane-wise IEEE division.
    f64x2_div: [f64; 2] |x, y| x / y;
    /// `f64x2.min`: lane-wise Wasm `min` (`-0 < +0`, NaN → canonical NaN).
    f64x2_min: [f64; 2] |x, y| f64_min(x, y);
    /// `f64x2.max`: lane-wise Wasm `max` (`-0 < +0`, NaN → canonical NaN).
    f64x2_max: [f64; 2] |x, y| f64_max(x, y);
    /// `f64x2.pmin`: lane-wise pseudo-minimum `y < x ? y : x`.
    f64x2_pmin: [f64; 2] |x, y| if y < x { y } else { x };
    /// `f64x2.pmax`: lane-wise pseudo-maximum `x < y ? y : x`.
    f64x2_pmax: [f64; 2] |x, y| if x < y { y } else { x };
}

compare_ops!("f32x4", f32, 4, "": f32x4_eq, f32x4_ne, f32x4_lt, f32x4_gt, f32x4_le, f32x4_ge);
compare_ops!("f64x2", f64, 2, "": f64x2_eq, f64x2_ne, f64x2_lt, f64x2_gt, f64x2_le, f64x2_ge);

#[cfg(test)]
mod tests;
