//! Integer lane-width changes: `narrow` (saturating), `extend_low`/`extend_high`,
//! `extadd_pairwise`, `extmul_low`/`extmul_high`, and `i32x4.dot_i16x8_s`.
//!
//! "Low" reads source lanes `0..N/2`, "high" reads `N/2..N`. Widened products and
//! sums are computed exactly in the wider type (they cannot overflow), except
//! `dot`, whose one overflow case wraps as the spec's `iadd` does.

#[cfg(test)]
use super::from_lanes;
use super::{Lane, V128, lane_bytes, map_to, to_lanes, zip_to};

/// Lanes `0..SN` from `a` then `0..SN` from `b`, each narrowed by `f`.
#[inline(always)]
fn narrow<S: Lane, const SN: usize, D: Lane, const DN: usize, V: V128>(a: V, b: V, f: impl Fn(S) -> D) -> V {
    const { assert!(2 * SN == DN, "narrowing halves the lane width") };
    let (a, b) = (to_lanes::<S, SN>(a), to_lanes::<S, SN>(b));
    V::from_bytes(lane_bytes::<D, DN>(core::array::from_fn(|i| f(if i < SN { a[i] } else { b[i - SN] }))))
}

/// `i8x16.narrow_i16x8_s`: the signed lanes of `a` then `b`, each saturated to
/// `-128..=127`.
#[inline(always)]
#[must_use]
pub fn i8x16_narrow_i16x8_s<V: V128>(a: V, b: V) -> V {
    narrow::<i16, 8, i8, 16, V>(a, b, |x| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8)
}

/// `i8x16.narrow_i16x8_u`: the *signed* lanes of `a` then `b`, each saturated to
/// `0..=255`.
#[inline(always)]
#[must_use]
pub fn i8x16_narrow_i16x8_u<V: V128>(a: V, b: V) -> V {
    narrow::<i16, 8, u8, 16, V>(a, b, |x| x.clamp(0, u8::MAX.into()) as u8)
}

/// `i16x8.narrow_i32x4_s`: the signed lanes of `a` then `b`, each saturated to the
/// `i16` range.
#[inline(always)]
#[must_use]
pub fn i16x8_narrow_i32x4_s<V: V128>(a: V, b: V) -> V {
    narrow::<i32, 4, i16, 8, V>(a, b, |x| x.clamp(i16::MIN.into(), i16::MAX.into()) as i16)
}

/// `i16x8.narrow_i32x4_u`: the *signed* lanes of `a` then `b`, each saturated to
/// `0..=65535`.
#[inline(always)]
#[must_use]
pub fn i16x8_narrow_i32x4_u<V: V128>(a: V, b: V) -> V {
    narrow::<i32, 4, u16, 8, V>(a, b, |x| x.clamp(0, u16::MAX.into()) as u16)
}

/// Defines the four `extend_{low,high}_*_{s,u}` of one target shape.
macro_rules! extend_ops {
    ($shape:literal, $src:literal, $s:ty, $u:ty, $sn:literal => $ds:ty, $du:ty, $dn:literal:
        $low_s:ident, $high_s:ident, $low_u:ident, $high_u:ident) => {
        #[doc = concat!("`", $shape, ".extend_low_", $src, "_s`: the low half's lanes, sign-extended.")]
        #[inline(always)]
        #[must_use]
        pub fn $low_s<V: V128>(a: V) -> V {
            map_to::<$s, $sn, $ds, $dn, false, V>(a, <$ds>::from)
        }

        #[doc = concat!("`", $shape, ".extend_high_", $src, "_s`: the high half's lanes, sign-extended.")]
        #[inline(always)]
        #[must_use]
        pub fn $high_s<V: V128>(a: V) -> V {
            map_to::<$s, $sn, $ds, $dn, true, V>(a, <$ds>::from)
        }

        #[doc = concat!("`", $shape, ".extend_low_", $src, "_u`: the low half's lanes, zero-extended.")]
        #[inline(always)]
        #[must_use]
        pub fn $low_u<V: V128>(a: V) -> V {
            map_to::<$u, $sn, $du, $dn, false, V>(a, <$du>::from)
        }

        #[doc = concat!("`", $shape, ".extend_high_", $src, "_u`: the high half's lanes, zero-extended.")]
        #[inline(always)]
        #[must_use]
        pub fn $high_u<V: V128>(a: V) -> V {
            map_to::<$u, $sn, $du, $dn, true, V>(a, <$du>::from)
        }
    };
}

extend_ops!("i16x8", "i8x16", i8, u8, 16 => i16, u16, 8:
    i16x8_extend_low_i8x16_s, i16x8_extend_high_i8x16_s, i16x8_extend_low_i8x16_u, i16x8_extend_high_i8x16_u);
extend_ops!("i32x4", "i16x8", i16, u16, 8 => i32, u32, 4:
    i32x4_extend_low_i16x8_s, i32x4_extend_high_i16x8_s, i32x4_extend_low_i16x8_u, i32x4_extend_high_i16x8_u);
extend_ops!("i64x2", "i32x4", i32, u32, 4 => i64, u64, 2:
    i64x2_extend_low_i32x4_s, i64x2_extend_high_i32x4_s, i64x2_extend_low_i32x4_u, i64x2_extend_high_i32x4_u);

/// Defines the four `extmul_{low,high}_*_{s,u}` of one target shape.
macro_rules! extmul_ops {
    ($shape:literal, $src:literal, $s:ty, $u:ty, $sn:literal => $ds:ty, $du:ty, $dn:literal:
        $low_s:ident, $high_s:ident, $low_u:ident, $high_u:ident) => {
        #[doc = concat!("`", $shape, ".extmul_low_", $src, "_s`: exact signed products of the low halves.")]
        #[inline(always)]
        #[must_use]
        pub fn $low_s<V: V128>(a: V, b: V) -> V {
            zip_to::<$s, $sn, $ds, $dn, false, V>(a, b, |x, y| <$ds>::from(x) * <$ds>::from(y))
        }

        #[doc = concat!("`", $shape, ".extmul_high_", $src, "_s`: exact signed products of the high halves.")]
        #[inline(always)]
        #[must_use]
        pub fn $high_s<V: V128>(a: V, b: V) -> V {
            zip_to::<$s, $sn, $ds, $dn, true, V>(a, b, |x, y| <$ds>::from(x) * <$ds>::from(y))
        }

        #[doc = concat!("`", $shape, ".extmul_low_", $src, "_u`: exact unsigned products of the low halves.")]
        #[inline(always)]
        #[must_use]
        pub fn $low_u<V: V128>(a: V, b: V) -> V {
            zip_to::<$u, $sn, $du, $dn, false, V>(a, b, |x, y| <$du>::from(x) * <$du>::from(y))
        }

        #[doc = concat!("`", $shape, ".extmul_high_", $src, "_u`: exact unsigned products of the high halves.")]
        #[inline(always)]
        #[must_use]
        pub fn $high_u<V: V128>(a: V, b: V) -> V {
            zip_to::<$u, $sn, $du, $dn, true, V>(a, b, |x, y| <$du>::from(x) * <$du>::from(y))
        }
    };
}

extmul_ops!("i16x8", "i8x16", i8, u8, 16 => i16, u16, 8:
    i16x8_extmul_low_i8x16_s, i16x8_extmul_high_i8x16_s, i16x8_extmul_low_i8x16_u, i16x8_extmul_high_i8x16_u);
extmul_ops!("i32x4", "i16x8", i16, u16, 8 => i32, u32, 4:
    i32x4_extmul_low_i16x8_s, i32x4_extmul_high_i16x8_s, i32x4_extmul_low_i16x8_u, i32x4_extmul_high_i16x8_u);
extmul_ops!("i64x2", "i32x4", i32, u32, 4 => i64, u64, 2:
    i64x2_extmul_low_i32x4_s, i64x2_extmul_high_i32x4_s, i64x2_extmul_low_i32x4_u, i64x2_extmul_high_i32x4_u);

/// Result lane `i` is `f(a[2i], a[2i+1])`.
#[inline(always)]
fn pairwise<S: Lane, const SN: usize, D: Lane, const DN: usize, V: V128>(a: V, f: impl Fn(S, S) -> D) -> V {
    const { assert!(SN == 2 * DN, "pairs of source lanes") };
    let a = to_lanes::<S, SN>(a);
    V::from_bytes(lane_bytes::<D, DN>(core::array::from_fn(|i| f(a[2 * i], a[2 * i + 1]))))
}

/// `i16x8.extadd_pairwise_i8x16_s`: sums of adjacent signed lane pairs, widened.
#[inline(always)]
#[must_use]
pub fn i16x8_extadd_pairwise_i8x16_s<V: V128>(a: V) -> V {
    pairwise::<i8, 16, i16, 8, V>(a, |x, y| i16::from(x) + i16::from(y))
}

/// `i16x8.extadd_pairwise_i8x16_u`: sums of adjacent unsigned lane pairs, widened.
#[inline(always)]
#[must_use]
pub fn i16x8_extadd_pairwise_i8x16_u<V: V128>(a: V) -> V {
    pairwise::<u8, 16, u16, 8, V>(a, |x, y| u16::from(x) + u16::from(y))
}

/// `i32x4.extadd_pairwise_i16x8_s`: sums of adjacent signed lane pairs, widened.
#[inline(always)]
#[must_use]
pub fn i32x4_extadd_pairwise_i16x8_s<V: V128>(a: V) -> V {
    pairwise::<i16, 8, i32, 4, V>(a, |x, y| i32::from(x) + i32::from(y))
}

/// `i32x4.extadd_pairwise_i16x8_u`: sums of adjacent unsigned lane pairs, widened.
#[inline(always)]
#[must_use]
pub fn i32x4_extadd_pairwise_i16x8_u<V: V128>(a: V) -> V {
    pairwise::<u16, 8, u32, 4, V>(a, |x, y| u32::from(x) + u32::from(y))
}

/// `i32x4.dot_i16x8_s`: lane `i` is `a[2i]*b[2i] + a[2i+1]*b[2i+1]` (signed, exact
/// products). The sum wraps in its one overflow case: all four operands `-32768`
/// give `2^31`, i.e. `i32::MIN`.
#[inline(always)]
#[must_use]
pub fn i32x4_dot_i16x8_s<V: V128>(a: V, b: V) -> V {
    let (a, b) = (to_lanes::<i16, 8>(a), to_lanes::<i16, 8>(b));
    let product = |j: usize| i32::from(a[j]) * i32::from(b[j]);
    V::from_bytes(lane_bytes::<i32, 4>(core::array::from_fn(|i| {
        product(2 * i).wrapping_add(product(2 * i + 1))
    })))
}

#[cfg(test)]
mod tests;
