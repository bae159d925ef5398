//! Lane plumbing: splats, lane extract/replace, shuffle and swizzle, the byte-level
//! helpers for the SIMD loads and stores, the bitwise `v128` operators, and the
//! whole-vector reductions `any_true`/`all_true`/`bitmask`.
//!
//! Lane indices are the instruction's `laneidx` immediate. Validation guarantees
//! they are in range; an out-of-range index is reduced modulo the lane count (and
//! asserted in debug builds) so nothing here can panic.

use super::{Lane, V128, extract, from_lanes, map_to, replace, to_lanes};

// ---- splat -------------------------------------------------------------------

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline(always)]
#[must_use]
pub fn i8x16_splat(x: i32) -> u128 {
    from_lanes([x as u8; 16])
}

/// `i16x8.splat`: the low 16 bits of `x` in every lane.
#[inline(always)]
#[must_use]
pub fn i16x8_splat(x: i32) -> u128 {
    from_lanes([x as u16; 8])
}

/// `i32x4.splat`: `x` in every lane.
#[inline(always)]
#[must_use]
pub fn i32x4_splat(x: i32) -> u128 {
    from_lanes([x; 4])
}

/// `i64x2.splat`: `x` in both lanes.
#[inline(always)]
#[must_use]
pub fn i64x2_splat(x: i64) -> u128 {
    from_lanes([x; 2])
}

/// `f32x4.splat`: `x` in every lane, bit for bit (NaN payloads kept).
#[inline(always)]
#[must_use]
pub fn f32x4_splat(x: f32) -> u128 {
    from_lanes([x; 4])
}

/// `f64x2.splat`: `x` in both lanes, bit for bit (NaN payloads kept).
#[inline(always)]
#[must_use]
pub fn f64x2_splat(x: f64) -> u128 {
    from_lanes([x; 2])
}

// ---- extract_lane / replace_lane -----------------------------------------------

/// `i8x16.extract_lane_s`: lane `lane`, sign-extended.
#[inline(always)]
#[must_use]
pub fn i8x16_extract_lane_s(v: u128, lane: u8) -> i32 {
    i32::from(extract::<i8, 16>(v, lane))
}

/// `i8x16.extract_lane_u`: lane `lane`, zero-extended.
#[inline(always)]
#[must_use]
pub fn i8x16_extract_lane_u(v: u128, lane: u8) -> i32 {
    i32::from(extract::<u8, 16>(v, lane))
}

/// `i16x8.extract_lane_s`: lane `lane`, sign-extended.
#[inline(always)]
#[must_use]
pub fn i16x8_extract_lane_s(v: u128, lane: u8) -> i32 {
    i32::from(extract::<i16, 8>(v, lane))
}

/// `i16x8.extract_lane_u`: lane `lane`, zero-extended.
#[inline(always)]
#[must_use]
pub fn i16x8_extract_lane_u(v: u128, lane: u8) -> i32 {
    i32::from(extract::<u16, 8>(v, lane))
}

/// `i32x4.extract_lane`.
#[inline(always)]
#[must_use]
pub fn i32x4_extract_lane(v: u128, lane: u8) -> i32 {
    extract::<i32, 4>(v, lane)
}

/// `i64x2.extract_lane`.
#[inline(always)]
#[must_use]
pub fn i64x2_extract_lane(v: u128, lane: u8) -> i64 {
    extract::<i64, 2>(v, lane)
}

/// `f32x4.extract_lane`, bit for bit.
#[inline(always)]
#[must_use]
pub fn f32x4_extract_lane(v: u128, lane: u8) -> f32 {
    extract::<f32, 4>(v, lane)
}

/// `f64x2.extract_lane`, bit for bit.
#[inline(always)]
#[must_use]
pub fn f64x2_extract_lane(v: u128, lane: u8) -> f64 {
    extract::<f64, 2>(v, lane)
}

/// `i8x16.replace_lane`: lane `lane` becomes the low 8 bits of `x`.
#[inline(always)]
#[must_use]
pub fn i8x16_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    replace::<u8, 16>(v, lane, x as u8)
}

/// `i16x8.replace_lane`: lane `lane` becomes the low 16 bits of `x`.
#[inline(always)]
#[must_use]
pub fn i16x8_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    replace::<u16, 8>(v, lane, x as u16)
}

/// `i32x4.replace_lane`.
#[inline(always)]
#[must_use]
pub fn i32x4_replace_lane(v: u128, lane: u8, x: i32) -> u128 {
    replace::<i32, 4>(v, lane, x)
}

/// `i64x2.replace_lane`.
#[inline(always)]
#[must_use]
pub fn i64x2_replace_lane(v: u128, lane: u8, x: i64) -> u128 {
    replace::<i64, 2>(v, lane, x)
}

/// `f32x4.replace_lane`, bit for bit.
#[inline(always)]
#[must_use]
pub fn f32x4_replace_lane(v: u128, lane: u8, x: f32) -> u128 {
    replace::<f32, 4>(v, lane, x)
}

/// `f64x2.replace_lane`, bit for bit.
#[inline(always)]
#[must_use]
pub fn f64x2_replace_lane(v: u128, lane: u8, x: f64) -> u128 {
    replace::<f64, 2>(v, lane, x)
}

// ---- shuffle / swizzle ---------------------------------------------------------

/// `i8x16.shuffle`: result byte `i` is byte `lanes[i]` of the 32-byte concatenation
/// `a ++ b` (indices 0‥15 select from `a`, 16‥31 from `b`). Validation rejects
/// indices ≥ 32; here they are taken modulo 32.
#[inline(always)]
#[must_use]
pub fn i8x16_shuffle(a: u128, b: u128, lanes: [u8; 16]) -> u128 {
    debug_assert!(lanes.iter().all(|&l| l < 32), "shuffle index out of range: {lanes:?}");
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    u128::from_le_bytes(core::array::from_fn(|i| {
        let j = usize::from(lanes[i] & 31);
        if j < 16 { a[j] } else { b[j - 16] }
    }))
}

/// `i8x16.swizzle`: result byte `i` is byte `s[i]` of `a`, or 0 if `s[i] ≥ 16`
/// (a run-time value, so out-of-range indices are part of the semantics).
#[inline(always)]
#[must_use]
pub fn i8x16_swizzle(a: u128, s: u128) -> u128 {
    let (a, s) = (a.to_le_bytes(), s.to_le_bytes());
    u128::from_le_bytes(core::array::from_fn(|i| a.get(usize::from(s[i])).copied().unwrap_or(0)))
}

// ---- loads and stores (the interpreter reads/writes the bytes) -------------------

/// `v128.load8x8_s`: 8 bytes from memory, each sign-extended to a 16-bit lane.
#[inline(always)]
#[must_use]
pub fn v128_load8x8_s(bytes: [u8; 8]) -> u128 {
    map_to::<i8, 16, i16, 8, false, _>(u128::from(u64::from_le_bytes(bytes)), i16::from)
}

/// `v128.load8x8_u`: 8 bytes from memory, each zero-extended to a 16-bit lane.
#[inline(always)]
#[must_use]
pub fn v128_load8x8_u(bytes: [u8; 8]) -> u128 {
    map_to::<u8, 16, u16, 8, false, _>(u128::from(u64::from_le_bytes(bytes)), u16::from)
}

/// `v128.load16x4_s`: 4 little-endian 16-bit values, each sign-extended to 32 bits.
#[inline(always)]
#[must_use]
pub fn v128_load16x4_s(bytes: [u8; 8]) -> u128 {
    map_to::<i16, 8, i32, 4, false, _>(u128::from(u64::from_le_bytes(bytes)), i32::from)
}

/// `v128.load16x4_u`: 4 little-endian 16-bit values, each zero-extended to 32 bits.
#[inline(always)]
#[must_use]
pub fn v128_load16x4_u(bytes: [u8; 8]) -> u128 {
    map_to::<u16, 8, u32, 4, false, _>(u128::from(u64::from_le_bytes(bytes)), u32::from)
}

/// `v128.load32x2_s`: 2 little-endian 32-bit values, each sign-extended to 64 bits.
#[inline(always)]
#[must_use]
pub fn v128_load32x2_s(bytes: [u8; 8]) -> u128 {
    map_to::<i32, 4, i64, 2, false, _>(u128::from(u64::from_le_bytes(bytes)), i64::from)
}

/// `v128.load32x2_u`: 2 little-endian 32-bit values, each zero-extended to 64 bits.
#[inline(always)]
#[must_use]
pub fn v128_load32x2_u(bytes: [u8; 8]) -> u128 {
    map_to::<u32, 4, u64, 2, false, _>(u128::from(u64::from_le_bytes(bytes)), u64::from)
}

/// The bytes of one `B`-byte lane value repeated across the vector.
#[inline(always)]
fn splat_bytes<const B: usize>(bytes: [u8; B]) -> u128 {
    u128::from_le_bytes(core::array::from_fn(|i| bytes[i % B]))
}

/// `v128.load8_splat`: the loaded byte in every lane.
#[inline(always)]
#[must_use]
pub fn v128_load8_splat(bytes: [u8; 1]) -> u128 {
    splat_bytes(bytes)
}

/// `v128.load16_splat`: the loaded little-endian 16-bit value in every lane.
#[inline(always)]
#[must_use]
pub fn v128_load16_splat(bytes: [u8; 2]) -> u128 {
    splat_bytes(bytes)
}

/// `v128.load32_splat`: the loaded little-endian 32-bit value in every lane.
#[inline(always)]
#[must_use]
pub fn v128_load32_splat(bytes: [u8; 4]) -> u128 {
    splat_bytes(bytes)
}

/// `v128.load64_splat`: the loaded little-endian 64-bit value in both lanes.
#[inline(always)]
#[must_use]
pub fn v128_load64_splat(bytes: [u8; 8]) -> u128 {
    splat_bytes(bytes)
}

/// `v128.load32_zero`: the loaded 32 bits in lane 0, zeros elsewhere.
#[inline(always)]
#[must_use]
pub fn v128_load32_zero(bytes: [u8; 4]) -> u128 {
    u128::from(u32::from_le_bytes(bytes))
}

/// `v128.load64_zero`: the loaded 64 bits in lane 0, zeros elsewhere.
#[inline(always)]
#[must_use]
pub fn v128_load64_zero(bytes: [u8; 8]) -> u128 {
    u128::from(u64::from_le_bytes(bytes))
}

/// Byte offset of lane `lane` of `B`-byte lanes, reduced modulo the lane count.
#[inline(always)]
fn lane_offset<const B: usize>(lane: u8) -> usize {
    debug_assert!(usize::from(lane) < 16 / B, "lane index {lane} out of range");
    (usize::from(lane) % (16 / B)) * B
}

/// `v` with lane `lane` (of `B`-byte lanes) replaced by `bytes`.
#[inline(always)]
fn load_lane<const B: usize>(v: u128, lane: u8, bytes: [u8; B]) -> u128 {
    let off = lane_offset::<B>(lane);
    let mut out = v.to_le_bytes();
    out[off..off + B].copy_from_slice(&bytes);
    u128::from_le_bytes(out)
}

/// The bytes of lane `lane` (of `B`-byte lanes), in memory order.
#[inline(always)]
fn store_lane<const B: usize>(v: u128, lane: u8) -> [u8; B] {
    let off = lane_offset::<B>(lane);
    let bytes = v.to_le_bytes();
    core::array::from_fn(|i| bytes[off + i])
}

/// Defines the `v128.loadN_lane` / `v128.storeN_lane` pair for one lane width.
macro_rules! lane_memory_ops {
    ($($bits:literal: $load:ident, $store:ident, [u8; $b:literal];)*) => {$(
        #[doc = concat!("`v128.load", $bits, "_lane`: `v` with lane `lane` replaced by the ", $b,
            " loaded bytes (little-endian).")]
        #[inline(always)]
        #[must_use]
        pub fn $load(v: u128, lane: u8, bytes: [u8; $b]) -> u128 {
            load_lane(v, lane, bytes)
        }

        #[doc = concat!("`v128.store", $bits, "_lane`: the ", $b,
            " bytes of lane `lane`, in memory order, for the interpreter to store.")]
        #[inline(always)]
        #[must_use]
        pub fn $store(v: u128, lane: u8) -> [u8; $b] {
            store_lane(v, lane)
        }
    )*};
}

lane_memory_ops! {
    8: v128_load8_lane, v128_store8_lane, [u8; 1];
    16: v128_load16_lane, v128_store16_lane, [u8; 2];
    32: v128_load32_lane, v128_store32_lane, [u8; 4];
    64: v128_load64_lane, v128_store64_lane, [u8; 8];
}

// ---- bitwise ---------------------------------------------------------------------

/// `v128.not`.
#[inline(always)]
#[must_use]
pub fn v128_not(a: u128) -> u128 {
    !a
}

/// `v128.and`.
#[inline(always)]
#[must_use]
pub fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}

/// `v128.andnot`: `a & !b`.
#[inline(always)]
#[must_use]
pub fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}

/// `v128.or`.
#[inline(always)]
#[must_use]
pub fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}

/// `v128.xor`.
#[inline(always)]
#[must_use]
pub fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}

/// `v128.bitselect`: bits of `a` where `mask` is 1, bits of `b` where it is 0.
#[inline(always)]
#[must_use]
pub fn v128_bitselect(a: u128, b: u128, mask: u128) -> u128 {
    (a & mask) | (b & !mask)
}

/// `v128.any_true`: 1 if any bit is set, else 0.
#[inline(always)]
#[must_use]
pub fn v128_any_true(a: u128) -> i32 {
    i32::from(a != 0)
}

// ---- all_true / bitmask ------------------------------------------------------------

/// 1 if every lane of `a` is non-zero. The flag is or-ed over all lanes
/// rather than found with an early exit (`Iterator::all`), so that the loop
/// becomes one packed compare and a mask test.
#[inline(always)]
fn all_true<T: Lane + PartialEq + Default, const N: usize, V: V128>(a: V) -> i32 {
    let lanes = to_lanes::<T, N>(a);
    let mut zero = false;
    for lane in lanes {
        zero |= lane == T::default();
    }
    i32::from(!zero)
}

/// Bit `i` of the result is the sign bit of lane `i` (`T` is signed).
#[inline(always)]
fn bitmask<T: Lane + PartialOrd + Default, const N: usize, V: V128>(a: V) -> i32 {
    let lanes = to_lanes::<T, N>(a);
    let mut m = 0;
    for (i, lane) in lanes.into_iter().enumerate() {
        m |= i32::from(lane < T::default()) << i;
    }
    m
}

/// `i8x16.all_true`: 1 if every lane is non-zero, else 0.
#[inline(always)]
#[must_use]
pub fn i8x16_all_true<V: V128>(a: V) -> i32 {
    all_true::<u8, 16, V>(a)
}

/// `i16x8.all_true`: 1 if every lane is non-zero, else 0.
#[inline(always)]
#[must_use]
pub fn i16x8_all_true<V: V128>(a: V) -> i32 {
    all_true::<u16, 8, V>(a)
}

/// `i32x4.all_true`: 1 if every lane is non-zero, else 0.
#[inline(always)]
#[must_use]
pub fn i32x4_all_true<V: V128>(a: V) -> i32 {
    all_true::<u32, 4, V>(a)
}

/// `i64x2.all_true`: 1 if every lane is non-zero, else 0.
#[inline(always)]
#[must_use]
pub fn i64x2_all_true<V: V128>(a: V) -> i32 {
    all_true::<u64, 2, V>(a)
}

/// `i8x16.bitmask`: bit `i` is the sign bit of lane `i` (16 bits used).
///
/// Per 8-byte half: the sign bits moved to the bottom of each byte, then one
/// multiply gathers them into the top byte (the partial products never carry
/// into each other). The lane loop of the other shapes compiles, for bytes, to
/// some forty instructions; this to a dozen.
#[inline(always)]
#[must_use]
pub fn i8x16_bitmask<V: V128>(a: V) -> i32 {
    let [lo, hi] = to_lanes::<u64, 2>(a);
    let half = |w: u64| (((w >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56) as i32;
    half(lo) | (half(hi) << 8)
}

/// `i16x8.bitmask`: bit `i` is the sign bit of lane `i` (8 bits used).
#[inline(always)]
#[must_use]
pub fn i16x8_bitmask<V: V128>(a: V) -> i32 {
    bitmask::<i16, 8, V>(a)
}

/// `i32x4.bitmask`: bit `i` is the sign bit of lane `i` (4 bits used).
#[inline(always)]
#[must_use]
pub fn i32x4_bitmask<V: V128>(a: V) -> i32 {
    bitmask::<i32, 4, V>(a)
}

/// `i64x2.bitmask`: bit `i` is the sign bit of lane `i` (2 bits used).
#[inline(always)]
#[must_use]
pub fn i64x2_bitmask<V: V128>(a: V) -> i32 {
    bitmask::<i64, 2, V>(a)
}

#[cfg(test)]
mod tests;
