//! Conversions between integers and floats, and between float widths.
//!
//! - Trapping truncations (`i32.trunc_f32_s` …) check the range exactly, then
//!   truncate. A value is in range iff its truncation toward zero is
//!   representable, so each check is `lower < x < upper` with the two exclusive
//!   bounds below, all exactly representable in the source float type.
//! - Saturating truncations (`i32.trunc_sat_f32_s` …, prefix `0xFC` 0‥7) are Rust
//!   `as` casts, which are defined to truncate towards zero, clamp to the range, and
//!   map NaN to 0: exactly the spec's `trunc_sat`.
//! - Integer → float (`f32.convert_i64_u` …) are Rust `as` casts. These round to
//!   nearest, ties to even, in one step (no double rounding through `f64`). The tests
//!   check this against an independent integer-only rounding.
//! - `f32.demote_f64` / `f64.promote_f32` are `as` casts for numbers (demote rounds
//!   to nearest even, overflows to ±∞). NaN is handled explicitly, for results that
//!   do not depend on the host: sign kept, quiet bit set, and payload truncated or
//!   zero-padded, so a canonical NaN stays canonical.

use std::fmt;

use super::float::{F32_QUIET_BIT, F64_QUIET_BIT};

/// Why a trapping float → integer truncation fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TruncError {
    /// The operand is a NaN.
    InvalidConversion,
    /// The operand (±∞ included) truncates to a value outside the target range.
    IntegerOverflow,
}

impl fmt::Display for TruncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The spec test suite's trap messages.
        f.write_str(match self {
            TruncError::InvalidConversion => "invalid conversion to integer",
            TruncError::IntegerOverflow => "integer overflow",
        })
    }
}

impl std::error::Error for TruncError {}

/// Defines a trapping truncation from its exclusive float bounds.
macro_rules! trunc_checked {
    ($($(#[$m:meta])* $name:ident($f:ty) -> $i:ty as $via:ty, $lo:literal < x < $hi:literal;)*) => {$(
        $(#[$m])*
        #[inline]
        pub fn $name(x: $f) -> Result<$i, TruncError> {
            if x > $lo && x < $hi {
                // In range, so the cast truncates exactly, without saturating.
                Ok(x as $via as $i)
            } else if x.is_nan() {
                Err(TruncError::InvalidConversion)
            } else {
                Err(TruncError::IntegerOverflow)
            }
        }
    )*};
}

trunc_checked! {
    /// `i32.trunc_f32_s`: valid iff `-2147483904.0 < x < 2147483648.0`
    /// (`-2^31 - 256` is the next `f32` below `-2^31`).
    i32_trunc_f32_s(f32) -> i32 as i32, -2_147_483_904.0 < x < 2_147_483_648.0;
    /// `i32.trunc_f32_u`: valid iff `-1.0 < x < 4294967296.0`.
    i32_trunc_f32_u(f32) -> i32 as u32, -1.0 < x < 4_294_967_296.0;
    /// `i32.trunc_f64_s`: valid iff `-2147483649.0 < x < 2147483648.0`.
    i32_trunc_f64_s(f64) -> i32 as i32, -2_147_483_649.0 < x < 2_147_483_648.0;
    /// `i32.trunc_f64_u`: valid iff `-1.0 < x < 4294967296.0`.
    i32_trunc_f64_u(f64) -> i32 as u32, -1.0 < x < 4_294_967_296.0;
    /// `i64.trunc_f32_s`: valid iff `-(2^63 + 2^40) < x < 2^63`
    /// (`-(2^63 + 2^40)` is the next `f32` below `-2^63`).
    i64_trunc_f32_s(f32) -> i64 as i64, -9_223_373_136_366_403_584.0 < x < 9_223_372_036_854_775_808.0;
    /// `i64.trunc_f32_u`: valid iff `-1.0 < x < 2^64`.
    i64_trunc_f32_u(f32) -> i64 as u64, -1.0 < x < 18_446_744_073_709_551_616.0;
    /// `i64.trunc_f64_s`: valid iff `-(2^63 + 2^11) < x < 2^63`
    /// (`-(2^63 + 2^11)` is the next `f64` below `-2^63`).
    i64_trunc_f64_s(f64) -> i64 as i64, -9_223_372_036_854_777_856.0 < x < 9_223_372_036_854_775_808.0;
    /// `i64.trunc_f64_u`: valid iff `-1.0 < x < 2^64`.
    i64_trunc_f64_u(f64) -> i64 as u64, -1.0 < x < 18_446_744_073_709_551_616.0;
}

/// Defines one-cast conversions whose spec semantics is exactly Rust's `as`.
macro_rules! cast_ops {
    ($($(#[$m:meta])* $name:ident($from:ty) -> $to:ty = |$x:ident| $body:expr;)*) => {$(
        $(#[$m])*
        #[inline]
        #[must_use]
        pub fn $name($x: $from) -> $to {
            $body
        }
    )*};
}

cast_ops! {
    /// `i32.trunc_sat_f32_s`: truncate, clamp to `i32`, NaN → 0.
    i32_trunc_sat_f32_s(f32) -> i32 = |x| x as i32;
    /// `i32.trunc_sat_f32_u`: truncate, clamp to `u32`, NaN → 0.
    i32_trunc_sat_f32_u(f32) -> i32 = |x| x as u32 as i32;
    /// `i32.trunc_sat_f64_s`: truncate, clamp to `i32`, NaN → 0.
    i32_trunc_sat_f64_s(f64) -> i32 = |x| x as i32;
    /// `i32.trunc_sat_f64_u`: truncate, clamp to `u32`, NaN → 0.
    i32_trunc_sat_f64_u(f64) -> i32 = |x| x as u32 as i32;
    /// `i64.trunc_sat_f32_s`: truncate, clamp to `i64`, NaN → 0.
    i64_trunc_sat_f32_s(f32) -> i64 = |x| x as i64;
    /// `i64.trunc_sat_f32_u`: truncate, clamp to `u64`, NaN → 0.
    i64_trunc_sat_f32_u(f32) -> i64 = |x| x as u64 as i64;
    /// `i64.trunc_sat_f64_s`: truncate, clamp to `i64`, NaN → 0.
    i64_trunc_sat_f64_s(f64) -> i64 = |x| x as i64;
    /// `i64.trunc_sat_f64_u`: truncate, clamp to `u64`, NaN → 0.
    i64_trunc_sat_f64_u(f64) -> i64 = |x| x as u64 as i64;
    /// `f32.convert_i32_s`: round to nearest even.
    f32_convert_i32_s(i32) -> f32 = |x| x as f32;
    /// `f32.convert_i32_u`: the bits as unsigned, rounded to nearest even.
    f32_convert_i32_u(i32) -> f32 = |x| x as u32 as f32;
    /// `f32.convert_i64_s`: round to nearest even (one rounding, not via `f64`).
    f32_convert_i64_s(i64) -> f32 = |x| x as f32;
    /// `f32.convert_i64_u`: the bits as unsigned, rounded to nearest even (one rounding).
    f32_convert_i64_u(i64) -> f32 = |x| x as u64 as f32;
    /// `f64.convert_i32_s`: exact.
    f64_convert_i32_s(i32) -> f64 = |x| f64::from(x);
    /// `f64.convert_i32_u`: the bits as unsigned; exact.
    f64_convert_i32_u(i32) -> f64 = |x| f64::from(x as u32);
    /// `f64.convert_i64_s`: round to nearest even.
    f64_convert_i64_s(i64) -> f64 = |x| x as f64;
    /// `f64.convert_i64_u`: the bits as unsigned, rounded to nearest even.
    f64_convert_i64_u(i64) -> f64 = |x| x as u64 as f64;
}

/// `f32.demote_f64`: round to nearest even (overflow → ±∞). A NaN keeps its sign
/// and the top 22 payload bits, with the quiet bit set.
#[inline]
#[must_use]
pub fn f32_demote_f64(x: f64) -> f32 {
    if x.is_nan() {
        let bits = x.to_bits();
        let sign = ((bits >> 63) as u32) << 31;
        let payload = ((bits >> 29) as u32) & 0x007f_ffff;
        f32::from_bits(sign | 0x7f80_0000 | F32_QUIET_BIT | payload)
    } else {
        x as f32
    }
}

/// `f64.promote_f32`: exact for numbers. A NaN keeps its sign and payload (shifted
/// to the top of the wider payload), with the quiet bit set.
#[inline]
#[must_use]
pub fn f64_promote_f32(x: f32) -> f64 {
    if x.is_nan() {
        let bits = x.to_bits();
        let sign = u64::from(bits >> 31) << 63;
        let payload = u64::from(bits & 0x007f_ffff) << 29;
        f64::from_bits(sign | 0x7ff0_0000_0000_0000 | F64_QUIET_BIT | payload)
    } else {
        f64::from(x)
    }
}

#[cfg(test)]
mod tests;
