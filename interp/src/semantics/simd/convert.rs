//! Float ↔ integer lane conversions and float width changes.
//!
//! Each lane behaves exactly like its scalar counterpart in
//! [`scalar::convert`](crate::semantics::scalar::convert): `trunc_sat` saturates
//! and maps NaN to 0, `convert` rounds to nearest even, `demote` rounds to nearest
//! even and quiets NaN. `_zero` variants fill the upper two `i32`/`f32` lanes with
//! zeros; `_low` variants read the lower two source lanes.

use super::{from_lanes, map_to, to_lanes};
use crate::semantics::scalar::{f32_demote_f64, f64_promote_f32};

/// `i32x4.trunc_sat_f32x4_s`: each lane truncated, clamped to `i32`, NaN → 0.
#[inline(always)]
#[must_use]
pub fn i32x4_trunc_sat_f32x4_s(a: u128) -> u128 {
    map_to::<f32, 4, i32, 4, false, _>(a, |x| x as i32)
}

/// `i32x4.trunc_sat_f32x4_u`: each lane truncated, clamped to `u32`, NaN → 0.
#[inline(always)]
#[must_use]
pub fn i32x4_trunc_sat_f32x4_u(a: u128) -> u128 {
    map_to::<f32, 4, u32, 4, false, _>(a, |x| x as u32)
}

/// `f32x4.convert_i32x4_s`: each signed lane rounded to nearest even.
#[inline(always)]
#[must_use]
pub fn f32x4_convert_i32x4_s(a: u128) -> u128 {
    map_to::<i32, 4, f32, 4, false, _>(a, |x| x as f32)
}

/// `f32x4.convert_i32x4_u`: each unsigned lane rounded to nearest even.
#[inline(always)]
#[must_use]
pub fn f32x4_convert_i32x4_u(a: u128) -> u128 {
    map_to::<u32, 4, f32, 4, false, _>(a, |x| x as f32)
}

/// `i32x4.trunc_sat_f64x2_s_zero`: the two `f64` lanes truncated and clamped to
/// `i32` (NaN → 0) into lanes 0 and 1; lanes 2 and 3 are zero.
#[inline(always)]
#[must_use]
pub fn i32x4_trunc_sat_f64x2_s_zero(a: u128) -> u128 {
    let [x, y] = to_lanes::<f64, 2>(a);
    from_lanes([x as i32, y as i32, 0, 0])
}

/// `i32x4.trunc_sat_f64x2_u_zero`: the two `f64` lanes truncated and clamped to
/// `u32` (NaN → 0) into lanes 0 and 1; lanes 2 and 3 are zero.
#[inline(always)]
#[must_use]
pub fn i32x4_trunc_sat_f64x2_u_zero(a: u128) -> u128 {
    let [x, y] = to_lanes::<f64, 2>(a);
    from_lanes([x as u32, y as u32, 0, 0])
}

/// `f64x2.convert_low_i32x4_s`: lanes 0 and 1 as signed integers, exactly.
#[inline(always)]
#[must_use]
pub fn f64x2_convert_low_i32x4_s(a: u128) -> u128 {
    map_to::<i32, 4, f64, 2, false, _>(a, f64::from)
}

/// `f64x2.convert_low_i32x4_u`: lanes 0 and 1 as unsigned integers, exactly.
#[inline(always)]
#[must_use]
pub fn f64x2_convert_low_i32x4_u(a: u128) -> u128 {
    map_to::<u32, 4, f64, 2, false, _>(a, f64::from)
}

/// `f32x4.demote_f64x2_zero`: both `f64` lanes demoted (nearest even, NaN
/// quieted) into lanes 0 and 1; lanes 2 and 3 are `+0.0`.
#[inline(always)]
#[must_use]
pub fn f32x4_demote_f64x2_zero(a: u128) -> u128 {
    let [x, y] = to_lanes::<f64, 2>(a);
    from_lanes([f32_demote_f64(x), f32_demote_f64(y), 0.0, 0.0])
}

/// `f64x2.promote_low_f32x4`: lanes 0 and 1 promoted exactly (NaN quieted).
#[inline(always)]
#[must_use]
pub fn f64x2_promote_low_f32x4(a: u128) -> u128 {
    map_to::<f32, 4, f64, 2, false, _>(a, f64_promote_f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fv(x: [f32; 4]) -> u128 {
        from_lanes(x)
    }

    fn dv(x: [f64; 2]) -> u128 {
        from_lanes(x)
    }

    /// Each lane must be exactly the scalar conversion.
    #[test]
    fn lanes_match_scalar_conversions() {
        use crate::semantics::scalar::*;
        let specials =
            [0x7fc0_0000u32, 0xff80_0001, 0x4f00_0000, 0xcf00_0001, 0x4f80_0000, 0xbf7f_ffff, 0x8000_0000];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pick = |k: u32| {
                let r = (seed >> (k * 16)) as u32;
                if r.is_multiple_of(4) {
                    specials[(r >> 4) as usize % specials.len()]
                } else {
                    seed.rotate_left(k * 9) as u32
                }
            };
            let v = from_lanes::<u32, 4>(core::array::from_fn(|k| pick(k as u32)));
            let f = to_lanes::<f32, 4>(v);
            let i = to_lanes::<i32, 4>(v);
            let d = to_lanes::<f64, 2>(v);
            assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f32x4_s(v)), f.map(i32_trunc_sat_f32_s));
            assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f32x4_u(v)), f.map(i32_trunc_sat_f32_u));
            assert_eq!(
                to_lanes::<u32, 4>(f32x4_convert_i32x4_s(v)),
                i.map(|x| f32_convert_i32_s(x).to_bits())
            );
            assert_eq!(
                to_lanes::<u32, 4>(f32x4_convert_i32x4_u(v)),
                i.map(|x| f32_convert_i32_u(x).to_bits())
            );
            let [d0, d1] = d;
            assert_eq!(
                to_lanes::<i32, 4>(i32x4_trunc_sat_f64x2_s_zero(v)),
                [i32_trunc_sat_f64_s(d0), i32_trunc_sat_f64_s(d1), 0, 0]
            );
            assert_eq!(
                to_lanes::<i32, 4>(i32x4_trunc_sat_f64x2_u_zero(v)),
                [i32_trunc_sat_f64_u(d0), i32_trunc_sat_f64_u(d1), 0, 0]
            );
            let demoted = [f32_demote_f64(d0).to_bits(), f32_demote_f64(d1).to_bits(), 0, 0];
            assert_eq!(to_lanes::<u32, 4>(f32x4_demote_f64x2_zero(v)), demoted);
            let promoted = [f64_promote_f32(f[0]).to_bits(), f64_promote_f32(f[1]).to_bits()];
            assert_eq!(to_lanes::<u64, 2>(f64x2_promote_low_f32x4(v)), promoted);
            let low_s = [f64_convert_i32_s(i[0]).to_bits(), f64_convert_i32_s(i[1]).to_bits()];
            let low_u = [f64_convert_i32_u(i[0]).to_bits(), f64_convert_i32_u(i[1]).to_bits()];
            assert_eq!(to_lanes::<u64, 2>(f64x2_convert_low_i32x4_s(v)), low_s);
            assert_eq!(to_lanes::<u64, 2>(f64x2_convert_low_i32x4_u(v)), low_u);
        }
    }

    #[test]
    fn trunc_sat_f32x4() {
        let nan = f32::from_bits(0xff80_0001);
        let v = fv([nan, f32::INFINITY, -2_147_483_904.0, -1.9]);
        assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f32x4_s(v)), [0, i32::MAX, i32::MIN, -1]);
        assert_eq!(to_lanes::<u32, 4>(i32x4_trunc_sat_f32x4_u(v)), [0, u32::MAX, 0, 0]);
        let w = fv([2_147_483_520.0, 2_147_483_648.0, 4_294_967_040.0, -0.9]);
        assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f32x4_s(w)), [2_147_483_520, i32::MAX, i32::MAX, 0]);
        assert_eq!(
            to_lanes::<u32, 4>(i32x4_trunc_sat_f32x4_u(w)),
            [2_147_483_520, 2_147_483_648, 4_294_967_040, 0]
        );
    }

    #[test]
    fn trunc_sat_f64x2_zero_clears_upper_lanes() {
        let v = dv([-2_147_483_648.9, f64::NAN]);
        assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f64x2_s_zero(v)), [i32::MIN, 0, 0, 0]);
        let w = dv([4_294_967_295.9, -1.0e300]);
        assert_eq!(to_lanes::<u32, 4>(i32x4_trunc_sat_f64x2_u_zero(w)), [u32::MAX, 0, 0, 0]);
        assert_eq!(to_lanes::<i32, 4>(i32x4_trunc_sat_f64x2_s_zero(w)), [i32::MAX, i32::MIN, 0, 0]);
        assert_eq!(
            to_lanes::<u32, 4>(i32x4_trunc_sat_f64x2_u_zero(dv([f64::INFINITY, 7.5]))),
            [u32::MAX, 7, 0, 0]
        );
    }

    #[test]
    fn convert_i32x4_rounds_to_nearest_even() {
        let v = from_lanes([16_777_217i32, -16_777_219, i32::MIN, i32::MAX]);
        assert_eq!(
            to_lanes::<f32, 4>(f32x4_convert_i32x4_s(v)),
            [16_777_216.0, -16_777_220.0, -2_147_483_648.0, 2_147_483_648.0]
        );
        let u = from_lanes([u32::MAX, 0x8000_0080, 0x8000_0081, 1]);
        // 0x80000080 is a tie between 2^31 and 2^31 + 256: even is 2^31.
        assert_eq!(
            to_lanes::<f32, 4>(f32x4_convert_i32x4_u(u)),
            [4_294_967_296.0, 2_147_483_648.0, 2_147_483_904.0, 1.0]
        );
    }

    #[test]
    fn convert_low_i32x4_reads_lanes_0_and_1() {
        let v = from_lanes([-1i32, i32::MIN, 5, 6]);
        assert_eq!(to_lanes::<f64, 2>(f64x2_convert_low_i32x4_s(v)), [-1.0, -2_147_483_648.0]);
        assert_eq!(to_lanes::<f64, 2>(f64x2_convert_low_i32x4_u(v)), [4_294_967_295.0, 2_147_483_648.0]);
    }

    #[test]
    fn demote_zero_and_promote_low() {
        let v = from_lanes([0x3ff0_0000_1000_0000u64, 0xfff4_0000_2000_0000]);
        // 1 + 2^-24 ties to 1.0; the NaN keeps its sign and top payload bits, quieted.
        assert_eq!(to_lanes::<u32, 4>(f32x4_demote_f64x2_zero(v)), [0x3f80_0000, 0xffe0_0001, 0, 0]);
        assert_eq!(
            to_lanes::<u32, 4>(f32x4_demote_f64x2_zero(dv([f64::MAX, -1.0e-50]))),
            [0x7f80_0000, 0x8000_0000, 0, 0]
        );
        let w = from_lanes([0x7fa0_0001u32, 0x0000_0001, 0x3f80_0000, 0x4000_0000]);
        assert_eq!(
            to_lanes::<u64, 2>(f64x2_promote_low_f32x4(w)),
            [0x7ffc_0000_2000_0000, 0x36a0_0000_0000_0000]
        );
        assert_eq!(
            to_lanes::<f64, 2>(f64x2_promote_low_f32x4(fv([-0.0, 0.1, 9.0, 9.0]))),
            [-0.0, 0.1f32.into()]
        );
        assert_eq!(to_lanes::<u64, 2>(f64x2_promote_low_f32x4(fv([-0.0, 1.0, 9.0, 9.0])))[0], 1 << 63);
    }
}
