//! `f32`/`f64` operators: `min`, `max`, the rounding family, `sqrt`, and the
//! sign-bit operators `abs`, `neg`, `copysign`.
//!
//! See the [NaN policy](crate::semantics#nan-policy) for which NaN each returns.

/// Bits of the positive canonical `f32` NaN (quiet bit only), returned by `min`/`max`.
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// Bits of the positive canonical `f64` NaN (quiet bit only), returned by `min`/`max`.
pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;
/// The `f32` quiet bit (the most significant payload bit); set in every arithmetic NaN.
pub const F32_QUIET_BIT: u32 = 0x0040_0000;
/// The `f64` quiet bit (the most significant payload bit); set in every arithmetic NaN.
pub const F64_QUIET_BIT: u64 = 0x0008_0000_0000_0000;
/// The `f32` sign bit, which `abs`/`neg`/`copysign` manipulate.
pub const F32_SIGN_BIT: u32 = 0x8000_0000;
/// The `f64` sign bit, which `abs`/`neg`/`copysign` manipulate.
pub const F64_SIGN_BIT: u64 = 0x8000_0000_0000_0000;

/// Defines the float operators for one width. A macro so `f32` and `f64` share one
/// body; each generated function has its own doc naming the instruction.
macro_rules! float_ops {
    (
        $f:ident, $ty:literal, canonical = $canon:ident, quiet = $quiet:ident, sign = $sign:ident,
        $min:ident, $max:ident, $ceil:ident, $floor:ident, $trunc:ident, $nearest:ident,
        $sqrt:ident, $abs:ident, $neg:ident, $copysign:ident
    ) => {
        #[doc = concat!("`", $ty, ".min`: the smaller operand, with `-0.0 < +0.0`; a NaN operand gives")]
        /// the positive canonical NaN.
        #[inline]
        #[must_use]
        pub fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                $f::from_bits($canon)
            } else if a == b {
                // Equal non-NaN values have equal bits, except ±0, where OR picks -0.
                $f::from_bits(a.to_bits() | b.to_bits())
            } else if a < b {
                a
            } else {
                b
            }
        }

        #[doc = concat!("`", $ty, ".max`: the larger operand, with `-0.0 < +0.0`; a NaN operand gives")]
        /// the positive canonical NaN.
        #[inline]
        #[must_use]
        pub fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                $f::from_bits($canon)
            } else if a == b {
                // Equal non-NaN values have equal bits, except ±0, where AND picks +0.
                $f::from_bits(a.to_bits() & b.to_bits())
            } else if a > b {
                a
            } else {
                b
            }
        }

        #[doc = concat!("`", $ty, ".ceil`: round towards +∞ (`-0.5` gives `-0.0`); NaN is quieted.")]
        #[inline]
        #[must_use]
        pub fn $ceil(x: $f) -> $f {
            if x.is_nan() { $f::from_bits(x.to_bits() | $quiet) } else { x.ceil() }
        }

        #[doc = concat!("`", $ty, ".floor`: round towards -∞ (`0.5` gives `+0.0`); NaN is quieted.")]
        #[inline]
        #[must_use]
        pub fn $floor(x: $f) -> $f {
            if x.is_nan() { $f::from_bits(x.to_bits() | $quiet) } else { x.floor() }
        }

        #[doc = concat!("`", $ty, ".trunc`: round towards zero, keeping the sign of zero; NaN is quieted.")]
        #[inline]
        #[must_use]
        pub fn $trunc(x: $f) -> $f {
            if x.is_nan() { $f::from_bits(x.to_bits() | $quiet) } else { x.trunc() }
        }

        #[doc = concat!("`", $ty, ".nearest`: round to nearest, ties to even (`0.5` → `0`, `1.5` → `2`,")]
        /// `-0.5` → `-0.0`); NaN is quieted.
        #[inline]
        #[must_use]
        pub fn $nearest(x: $f) -> $f {
            if x.is_nan() { $f::from_bits(x.to_bits() | $quiet) } else { x.round_ties_even() }
        }

        #[doc = concat!("`", $ty, ".sqrt`: correctly rounded square root (`sqrt(-0.0) = -0.0`,")]
        /// negative input gives a NaN); a NaN input is quieted.
        #[inline]
        #[must_use]
        pub fn $sqrt(x: $f) -> $f {
            if x.is_nan() { $f::from_bits(x.to_bits() | $quiet) } else { x.sqrt() }
        }

        #[doc = concat!("`", $ty, ".abs`: clears the sign bit only; NaN payloads are kept bit for bit.")]
        #[inline]
        #[must_use]
        pub fn $abs(x: $f) -> $f {
            $f::from_bits(x.to_bits() & !$sign)
        }

        #[doc = concat!("`", $ty, ".neg`: flips the sign bit only; NaN payloads are kept bit for bit.")]
        #[inline]
        #[must_use]
        pub fn $neg(x: $f) -> $f {
            $f::from_bits(x.to_bits() ^ $sign)
        }

        #[doc = concat!("`", $ty, ".copysign`: `a` with the sign bit of `b`; all other bits of `a` are kept.")]
        #[inline]
        #[must_use]
        pub fn $copysign(a: $f, b: $f) -> $f {
            $f::from_bits((a.to_bits() & !$sign) | (b.to_bits() & $sign))
        }
    };
}

float_ops! {
    f32, "f32", canonical = F32_CANONICAL_NAN, quiet = F32_QUIET_BIT, sign = F32_SIGN_BIT,
    f32_min, f32_max, f32_ceil, f32_floor, f32_trunc, f32_nearest, f32_sqrt, f32_abs, f32_neg, f32_copysign
}
float_ops! {
    f64, "f64", canonical = F64_CANONICAL_NAN, quiet = F64_QUIET_BIT, sign = F64_SIGN_BIT,
    f64_min, f64_max, f64_ceil, f64_floor, f64_trunc, f64_nearest, f64_sqrt, f64_abs, f64_neg, f64_copysign
}

#[cfg(test)]
mod tests;
