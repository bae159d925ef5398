//! Every WebAssembly 2.0 SIMD (`0xFD`) operator on `v128` values held as `u128`
//! (lane 0 in the least significant bits).
//!
//! Functions are named after the instruction (`i16x8.add_sat_s` is
//! [`i16x8_add_sat_s`]) and re-exported here from:
//! - [`lanes`]: splat, lane access, shuffle/swizzle, the load/store-lane helpers,
//!   bitwise `v128` operators, `any_true`/`all_true`/`bitmask`;
//! - [`int`]: integer arithmetic, shifts, comparisons;
//! - [`float`]: float arithmetic, rounding, `min`/`max`/`pmin`/`pmax`, comparisons;
//! - [`widen`]: narrowing, extending, `extadd_pairwise`, `extmul`, `dot`;
//! - [`convert`]: int ↔ float conversions, `demote`/`promote`.
//!
//! The generic helpers ([`to_lanes`], [`from_lanes`], [`map`], [`zip`], …) are
//! public too, for superinstructions the interpreter may want to build. They are
//! `#[inline]` and allocation-free; with optimizations the lane loops unroll.

/// One lane type of a `v128` shape: the integer types of 8 to 64 bits and
/// `f32`/`f64`. Moving a lane in and out of a `u128` keeps every bit (NaN
/// payloads included).
pub trait Lane: Copy {
    /// Width in bits.
    const BITS: u32;
    /// The lane held in the low `BITS` bits of `v` (higher bits ignored).
    fn from_low_bits(v: u128) -> Self;
    /// The lane's bits, zero-extended.
    fn to_low_bits(self) -> u128;
    /// Lane `i` of the little-endian bytes of a `v128` (`i` taken modulo the lane count).
    fn from_lane_bytes(bytes: &[u8; 16], i: usize) -> Self;
    /// Writes the lane as lane `i` of the little-endian bytes of a `v128` (as in
    /// [`Lane::from_lane_bytes`]).
    fn to_lane_bytes(self, bytes: &mut [u8; 16], i: usize);
    /// A comparison result lane: all ones if `b`, else zero.
    fn mask(b: bool) -> Self;
}

/// The [`Lane`] methods on bytes, for a type with `from_le_bytes`/`to_le_bytes`.
/// The lanes of a `v128` move through its bytes, not through shifts of the
/// `u128`: LLVM's vectorizer then sees a 16-byte vector of lanes and turns
/// lane loops into single SSE2/NEON instructions (with shifts it does not).
macro_rules! lane_bytes {
    ($t:ty) => {
        #[inline(always)]
        fn from_lane_bytes(bytes: &[u8; 16], i: usize) -> Self {
            let (lanes, _) = bytes.as_chunks::<{ core::mem::size_of::<$t>() }>();
            <$t>::from_le_bytes(lanes[i % lanes.len()])
        }
        #[inline(always)]
        fn to_lane_bytes(self, bytes: &mut [u8; 16], i: usize) {
            let (lanes, _) = bytes.as_chunks_mut::<{ core::mem::size_of::<$t>() }>();
            let n = lanes.len();
            lanes[i % n] = self.to_le_bytes();
        }
    };
}

macro_rules! int_lane {
    ($($t:ty => $u:ty),*) => {$(
        impl Lane for $t {
            const BITS: u32 = <$t>::BITS;
            #[inline(always)]
            fn from_low_bits(v: u128) -> Self {
                v as $t
            }
            #[inline(always)]
            fn to_low_bits(self) -> u128 {
                u128::from(self as $u)
            }
            lane_bytes!($t);
            #[inline(always)]
            fn mask(b: bool) -> Self {
                if b { !0 } else { 0 }
            }
        }
    )*};
}

int_lane!(i8 => u8, u8 => u8, i16 => u16, u16 => u16, i32 => u32, u32 => u32, i64 => u64, u64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    #[inline(always)]
    fn from_low_bits(v: u128) -> Self {
        f32::from_bits(v as u32)
    }
    #[inline(always)]
    fn to_low_bits(self) -> u128 {
        u128::from(self.to_bits())
    }
    lane_bytes!(f32);
    #[inline(always)]
    fn mask(b: bool) -> Self {
        f32::from_bits(if b { u32::MAX } else { 0 })
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    #[inline(always)]
    fn from_low_bits(v: u128) -> Self {
        f64::from_bits(v as u64)
    }
    #[inline(always)]
    fn to_low_bits(self) -> u128 {
        u128::from(self.to_bits())
    }
    lane_bytes!(f64);
    #[inline(always)]
    fn mask(b: bool) -> Self {
        f64::from_bits(if b { u64::MAX } else { 0 })
    }
}

/// A `v128` as the lane functions take and return it: a `u128` (lane 0 in the
/// low bits) or its 16 little-endian bytes. The lane-wise functions are generic
/// over both because the interpreter's handlers pass the bytes read straight
/// from the frame cells: LLVM keeps a `u128` in two integer registers and splits
/// it into lanes with scalar shifts, while lane loops over bytes become packed
/// SSE2/NEON instructions.
pub trait V128: Copy {
    /// The little-endian bytes (lane 0 first).
    fn to_bytes(self) -> [u8; 16];
    /// The value of little-endian bytes.
    fn from_bytes(bytes: [u8; 16]) -> Self;
}

impl V128 for u128 {
    #[inline(always)]
    fn to_bytes(self) -> [u8; 16] {
        self.to_le_bytes()
    }
    #[inline(always)]
    fn from_bytes(bytes: [u8; 16]) -> Self {
        u128::from_le_bytes(bytes)
    }
}

impl V128 for [u8; 16] {
    #[inline(always)]
    fn to_bytes(self) -> [u8; 16] {
        self
    }
    #[inline(always)]
    fn from_bytes(bytes: [u8; 16]) -> Self {
        bytes
    }
}

/// All-ones in the low `bits` bits: a lane that is "true" in a comparison result.
#[inline(always)]
const fn ones(bits: u32) -> u128 {
    u128::MAX >> (128 - bits)
}

/// Splits `v` into its `N` lanes of type `T` (lane 0 first). `N * T::BITS` must be
/// 128, which is checked at compile time.
#[inline(always)]
#[must_use]
pub fn to_lanes<T: Lane, const N: usize>(v: impl V128) -> [T; N] {
    const { assert!(N * T::BITS as usize == 128, "lanes must fill 128 bits") };
    let bytes = v.to_bytes();
    core::array::from_fn(|i| T::from_lane_bytes(&bytes, i))
}

/// Joins `N` lanes of type `T` (lane 0 first) into a `v128`. `N * T::BITS` must be
/// 128, which is checked at compile time.
#[inline(always)]
#[must_use]
pub fn from_lanes<T: Lane, const N: usize>(lanes: [T; N]) -> u128 {
    u128::from_le_bytes(lane_bytes(lanes))
}

/// Joins `N` lanes of type `T` (lane 0 first) into a `v128`'s little-endian
/// bytes, as [`from_lanes`].
#[inline(always)]
#[must_use]
pub fn lane_bytes<T: Lane, const N: usize>(lanes: [T; N]) -> [u8; 16] {
    const { assert!(N * T::BITS as usize == 128, "lanes must fill 128 bits") };
    let mut bytes = [0; 16];
    // Indexed, not `enumerate`d: LLVM vectorizes this form of the loop.
    #[allow(clippy::needless_range_loop)]
    for i in 0..N {
        lanes[i].to_lane_bytes(&mut bytes, i);
    }
    bytes
}

/// Applies `f` to every lane: the body of every lane-wise unary operator.
#[inline(always)]
#[must_use]
pub fn map<T: Lane, const N: usize, V: V128>(a: V, f: impl Fn(T) -> T) -> V {
    V::from_bytes(lane_bytes(to_lanes::<T, N>(a).map(f)))
}

/// Applies `f` to each pair of corresponding lanes: the body of every lane-wise
/// binary operator.
#[inline(always)]
#[must_use]
pub fn zip<T: Lane, const N: usize, V: V128>(a: V, b: V, f: impl Fn(T, T) -> T) -> V {
    let (a, b) = (to_lanes::<T, N>(a), to_lanes::<T, N>(b));
    V::from_bytes(lane_bytes::<T, N>(core::array::from_fn(|i| f(a[i], b[i]))))
}

/// Lane-wise predicate: each result lane is all ones if `f` holds, else zero. The
/// body of every comparison.
#[inline(always)]
#[must_use]
pub fn compare<T: Lane, const N: usize, V: V128>(a: V, b: V, f: impl Fn(T, T) -> bool) -> V {
    let (a, b) = (to_lanes::<T, N>(a), to_lanes::<T, N>(b));
    V::from_bytes(lane_bytes::<T, N>(core::array::from_fn(|i| T::mask(f(a[i], b[i])))))
}

/// Converts `DN` lanes of `S`, starting at source lane `0` (or `DN` if `HIGH`), into
/// the `DN` lanes of the result: the body of extend, promote and same-width
/// conversions.
#[inline(always)]
#[must_use]
pub fn map_to<S: Lane, const SN: usize, D: Lane, const DN: usize, const HIGH: bool, V: V128>(
    a: V,
    f: impl Fn(S) -> D,
) -> V {
    const { assert!(DN * (1 + HIGH as usize) <= SN, "source half out of range") };
    let a = to_lanes::<S, SN>(a);
    let first = if HIGH { DN } else { 0 };
    V::from_bytes(lane_bytes::<D, DN>(core::array::from_fn(|i| f(a[first + i]))))
}

/// Like [`map_to`] with two operands: the body of `extmul_low`/`extmul_high`.
#[inline(always)]
#[must_use]
pub fn zip_to<S: Lane, const SN: usize, D: Lane, const DN: usize, const HIGH: bool, V: V128>(
    a: V,
    b: V,
    f: impl Fn(S, S) -> D,
) -> V {
    const { assert!(DN * (1 + HIGH as usize) <= SN, "source half out of range") };
    let (a, b) = (to_lanes::<S, SN>(a), to_lanes::<S, SN>(b));
    let first = if HIGH { DN } else { 0 };
    V::from_bytes(lane_bytes::<D, DN>(core::array::from_fn(|i| f(a[first + i], b[first + i]))))
}

/// Reads lane `lane` of an `N`-lane shape. Validation guarantees `lane < N`; an
/// out-of-range index is reduced modulo `N` (and asserted in debug builds) rather
/// than panicking.
#[inline(always)]
#[must_use]
pub fn extract<T: Lane, const N: usize>(v: u128, lane: u8) -> T {
    debug_assert!(usize::from(lane) < N, "lane index {lane} out of range");
    let lane = u32::from(lane) % N as u32;
    T::from_low_bits(v >> (lane * T::BITS))
}

/// Returns `v` with lane `lane` of an `N`-lane shape replaced by `x`; index
/// handling as in [`extract`].
#[inline(always)]
#[must_use]
pub fn replace<T: Lane, const N: usize>(v: u128, lane: u8, x: T) -> u128 {
    debug_assert!(usize::from(lane) < N, "lane index {lane} out of range");
    let shift = (u32::from(lane) % N as u32) * T::BITS;
    (v & !(ones(T::BITS) << shift)) | (x.to_low_bits() << shift)
}

/// Defines `fn(u128) -> u128` lane-wise operators from a table of
/// `name: [Lane; N] |x| expr;` rows.
macro_rules! unary_ops {
    ($($(#[$m:meta])* $name:ident: [$t:ty; $n:literal] |$x:ident| $body:expr;)*) => {$(
        $(#[$m])*
        #[inline(always)]
        #[must_use]
        pub fn $name<V: $crate::semantics::simd::V128>(a: V) -> V {
            $crate::semantics::simd::map::<$t, $n, V>(a, |$x: $t| $body)
        }
    )*};
}

/// Defines `fn(u128, u128) -> u128` lane-wise operators from a table of
/// `name: [Lane; N] |x, y| expr;` rows.
macro_rules! binary_ops {
    ($($(#[$m:meta])* $name:ident: [$t:ty; $n:literal] |$x:ident, $y:ident| $body:expr;)*) => {$(
        $(#[$m])*
        #[inline(always)]
        #[must_use]
        pub fn $name<V: $crate::semantics::simd::V128>(a: V, b: V) -> V {
            $crate::semantics::simd::zip::<$t, $n, V>(a, b, |$x: $t, $y: $t| $body)
        }
    )*};
}

/// Defines the six comparisons `eq ne lt gt le ge` of one shape whose lanes compare
/// as `$t` (an integer signedness, or a float type).
macro_rules! compare_ops {
    ($shape:literal, $t:ty, $n:literal, $suffix:literal:
        $eq:ident, $ne:ident, $lt:ident, $gt:ident, $le:ident, $ge:ident) => {
        compare_ops!(@one $shape, $t, $n, "eq", "", $eq, ==);
        compare_ops!(@one $shape, $t, $n, "ne", "", $ne, !=);
        compare_ops!(@one $shape, $t, $n, "lt", $suffix, $lt, <);
        compare_ops!(@one $shape, $t, $n, "gt", $suffix, $gt, >);
        compare_ops!(@one $shape, $t, $n, "le", $suffix, $le, <=);
        compare_ops!(@one $shape, $t, $n, "ge", $suffix, $ge, >=);
    };
    // Unsigned integer shapes have no separate `eq`/`ne`: only the four orderings.
    ($shape:literal, $t:ty, $n:literal, $suffix:literal: $lt:ident, $gt:ident, $le:ident, $ge:ident) => {
        compare_ops!(@one $shape, $t, $n, "lt", $suffix, $lt, <);
        compare_ops!(@one $shape, $t, $n, "gt", $suffix, $gt, >);
        compare_ops!(@one $shape, $t, $n, "le", $suffix, $le, <=);
        compare_ops!(@one $shape, $t, $n, "ge", $suffix, $ge, >=);
    };
    (@one $shape:literal, $t:ty, $n:literal, $op:literal, $suffix:literal, $name:ident, $cmp:tt) => {
        #[doc = concat!("`", $shape, ".", $op, $suffix, "`: lane-wise `", stringify!($cmp), "` on `",
            stringify!($t), "` lanes; all-ones where true, zero where false.")]
        #[inline(always)]
        #[must_use]
        pub fn $name<V: $crate::semantics::simd::V128>(a: V, b: V) -> V {
            $crate::semantics::simd::compare::<$t, $n, V>(a, b, |x, y| x $cmp y)
        }
    };
}

pub mod convert;
pub mod float;
pub mod int;
pub mod lanes;
pub mod widen;

pub use convert::*;
pub use float::*;
pub use int::*;
pub use lanes::*;
pub use widen::*;

#[cfg(test)]
mod coverage;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_are_little_endian() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        assert_eq!(to_lanes::<u8, 16>(v), core::array::from_fn(|i| i as u8));
        assert_eq!(to_lanes::<u16, 8>(v)[1], 0x0302);
        assert_eq!(to_lanes::<u32, 4>(v)[3], 0x0f0e_0d0c);
        assert_eq!(to_lanes::<i64, 2>(v), [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908]);
        assert_eq!(from_lanes(to_lanes::<i16, 8>(v)), v);
        assert_eq!(from_lanes([-1i8; 16]), u128::MAX);
        assert_eq!(from_lanes([-1i32, 0, 0, 0]), 0xffff_ffff);
        assert_eq!(v.to_le_bytes(), core::array::from_fn(|i| i as u8), "memory order");
    }

    #[test]
    fn float_lanes_keep_nan_bits() {
        let v = 0xff80_0001_7fa0_0000_7f80_0001_ffc0_0000u128;
        let lanes = to_lanes::<f32, 4>(v);
        assert_eq!(lanes.map(f32::to_bits), [0xffc0_0000, 0x7f80_0001, 0x7fa0_0000, 0xff80_0001]);
        assert_eq!(from_lanes(lanes), v);
        let w = 0x7ff0_0000_0000_0001_fff4_0000_0000_0000u128;
        assert_eq!(from_lanes(to_lanes::<f64, 2>(w)), w);
    }

    #[test]
    fn extract_and_replace() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        assert_eq!(extract::<u8, 16>(v, 15), 0x0f);
        assert_eq!(extract::<i32, 4>(v, 2), 0x0b0a_0908);
        assert_eq!(replace::<u16, 8>(v, 7, 0xabcd), 0xabcd_0d0c_0b0a_0908_0706_0504_0302_0100);
        assert_eq!(replace::<i64, 2>(v, 0, -1), 0x0f0e_0d0c_0b0a_0908_ffff_ffff_ffff_ffff);
    }

    #[test]
    fn compare_builds_full_width_masks() {
        let a = from_lanes([1i16, 2, 3, 4, 5, 6, 7, 8]);
        let b = from_lanes([1i16, 0, 3, 0, 5, 0, 7, 0]);
        assert_eq!(compare::<i16, 8, _>(a, b, |x, y| x == y), from_lanes([-1i16, 0, -1, 0, -1, 0, -1, 0]));
    }
}
