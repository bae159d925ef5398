use super::*;
use TruncError::{IntegerOverflow, InvalidConversion};

const P31: f64 = 2_147_483_648.0;
const P32: f64 = 4_294_967_296.0;
const P63: f64 = 9_223_372_036_854_775_808.0;
const P64: f64 = 18_446_744_073_709_551_616.0;

/// The spec's definition, independently: NaN is invalid; otherwise truncate (exact in
/// `f64`, and in `i128` for every finite value that could be in range) and check
/// the mathematical result against `[min, max]`.
fn spec_trunc(x: f64, min: i128, max: i128) -> Result<i128, TruncError> {
    if x.is_nan() {
        return Err(InvalidConversion);
    }
    let t = x.trunc();
    if t.abs() >= 1.0e30 {
        return Err(IntegerOverflow);
    }
    let t = t as i128;
    if (min..=max).contains(&t) { Ok(t) } else { Err(IntegerOverflow) }
}

/// `n` floats either side of each point, plus the points' specials.
fn around_f64(points: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0];
    for &p in points {
        let (mut up, mut down) = (p, p);
        for _ in 0..n {
            out.extend([up, down]);
            up = up.next_up();
            down = down.next_down();
        }
    }
    out
}

fn around_f32(points: &[f32], n: usize) -> Vec<f32> {
    let mut out = vec![f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.0, -0.0];
    for &p in points {
        let (mut up, mut down) = (p, p);
        for _ in 0..n {
            out.extend([up, down]);
            up = up.next_up();
            down = down.next_down();
        }
    }
    out
}

#[test]
fn trapping_truncation_matches_spec_around_every_boundary() {
    let pts64 = [-P63, P63, -P31, P31, -1.0, 0.0, 1.0, P32, P64, -P31 - 1.0, -0.5, 0.5];
    for x in around_f64(&pts64, 300) {
        let (i32min, i32max) = (i128::from(i32::MIN), i128::from(i32::MAX));
        let (i64min, i64max) = (i128::from(i64::MIN), i128::from(i64::MAX));
        let u32max = i128::from(u32::MAX);
        let u64max = i128::from(u64::MAX);
        assert_eq!(i32_trunc_f64_s(x).map(i128::from), spec_trunc(x, i32min, i32max), "{x:?}");
        assert_eq!(i32_trunc_f64_u(x).map(|v| i128::from(v as u32)), spec_trunc(x, 0, u32max), "{x:?}");
        assert_eq!(i64_trunc_f64_s(x).map(i128::from), spec_trunc(x, i64min, i64max), "{x:?}");
        assert_eq!(i64_trunc_f64_u(x).map(|v| i128::from(v as u64)), spec_trunc(x, 0, u64max), "{x:?}");
    }
    let pts32 = [-P63 as f32, P63 as f32, -P31 as f32, P31 as f32, -1.0, 0.0, 1.0, P32 as f32, P64 as f32];
    for x in around_f32(&pts32, 300) {
        let wide = f64::from(x);
        let (i32min, i32max) = (i128::from(i32::MIN), i128::from(i32::MAX));
        let (i64min, i64max) = (i128::from(i64::MIN), i128::from(i64::MAX));
        let u32max = i128::from(u32::MAX);
        let u64max = i128::from(u64::MAX);
        assert_eq!(i32_trunc_f32_s(x).map(i128::from), spec_trunc(wide, i32min, i32max), "{x:?}");
        assert_eq!(i32_trunc_f32_u(x).map(|v| i128::from(v as u32)), spec_trunc(wide, 0, u32max), "{x:?}");
        assert_eq!(i64_trunc_f32_s(x).map(i128::from), spec_trunc(wide, i64min, i64max), "{x:?}");
        assert_eq!(i64_trunc_f32_u(x).map(|v| i128::from(v as u64)), spec_trunc(wide, 0, u64max), "{x:?}");
    }
}

#[test]
fn trapping_truncation_exact_boundaries() {
    // i32 from f32: -2^31 is valid, the next f32 below (-2^31 - 256) is not.
    assert_eq!(i32_trunc_f32_s(-2_147_483_648.0), Ok(i32::MIN));
    assert_eq!(i32_trunc_f32_s(-2_147_483_904.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_s(2_147_483_520.0), Ok(2_147_483_520));
    assert_eq!(i32_trunc_f32_s(2_147_483_648.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_u(-0.999_999_94), Ok(0));
    assert_eq!(i32_trunc_f32_u(-1.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_u(4_294_967_040.0), Ok(0xffff_ff00u32 as i32));
    assert_eq!(i32_trunc_f32_u(4_294_967_296.0), Err(IntegerOverflow));
    // i32 from f64: fractions below -2^31 still truncate into range.
    assert_eq!(i32_trunc_f64_s(-2_147_483_648.9), Ok(i32::MIN));
    assert_eq!(i32_trunc_f64_s(-2_147_483_649.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_s(2_147_483_647.9), Ok(i32::MAX));
    assert_eq!(i32_trunc_f64_s(2_147_483_648.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_u((-1.0f64).next_up()), Ok(0));
    assert_eq!(i32_trunc_f64_u(-1.0), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_u(4_294_967_295.9), Ok(-1));
    assert_eq!(i32_trunc_f64_u(4_294_967_296.0), Err(IntegerOverflow));
    // i64.
    assert_eq!(i64_trunc_f32_s(-P63 as f32), Ok(i64::MIN));
    assert_eq!(i64_trunc_f32_s((-P63 as f32).next_down()), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f32_s(9_223_371_487_098_961_920.0), Ok(9_223_371_487_098_961_920));
    assert_eq!(i64_trunc_f32_s(P63 as f32), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f32_u(18_446_742_974_197_923_840.0), Ok(0xffff_ff00_0000_0000u64 as i64));
    assert_eq!(i64_trunc_f32_u(P64 as f32), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_s(-P63), Ok(i64::MIN));
    assert_eq!(i64_trunc_f64_s((-P63).next_down()), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_s(9_223_372_036_854_774_784.0), Ok(0x7fff_ffff_ffff_fc00));
    assert_eq!(i64_trunc_f64_s(P63), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_u(18_446_744_073_709_549_568.0), Ok(0xffff_ffff_ffff_f800u64 as i64));
    assert_eq!(i64_trunc_f64_u(P64), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_u(-0.999), Ok(0));
}

#[test]
fn trapping_truncation_nan_and_infinities() {
    let nans32 = [f32::from_bits(0x7fc0_0000), f32::from_bits(0xffc0_0000), f32::from_bits(0x7f80_0001)];
    for x in nans32 {
        assert_eq!(i32_trunc_f32_s(x), Err(InvalidConversion));
        assert_eq!(i32_trunc_f32_u(x), Err(InvalidConversion));
        assert_eq!(i64_trunc_f32_s(x), Err(InvalidConversion));
        assert_eq!(i64_trunc_f32_u(x), Err(InvalidConversion));
    }
    let nan64 = f64::from_bits(0xfff0_0000_0000_0001);
    assert_eq!(i32_trunc_f64_s(nan64), Err(InvalidConversion));
    assert_eq!(i64_trunc_f64_u(nan64), Err(InvalidConversion));
    assert_eq!(i32_trunc_f32_s(f32::INFINITY), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f32_u(f32::NEG_INFINITY), Err(IntegerOverflow));
    assert_eq!(i64_trunc_f64_s(f64::NEG_INFINITY), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f64_u(f64::INFINITY), Err(IntegerOverflow));
    assert_eq!(i32_trunc_f32_s(-0.0), Ok(0));
    assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
    assert_eq!(InvalidConversion.to_string(), "invalid conversion to integer");
    assert_eq!(IntegerOverflow.to_string(), "integer overflow");
}

#[test]
fn saturating_truncation_clamps_and_maps_nan_to_zero() {
    let nan32 = f32::from_bits(0xff80_0001);
    let nan64 = f64::from_bits(0xfff8_0000_0000_0000);
    assert_eq!(i32_trunc_sat_f32_s(nan32), 0);
    assert_eq!(i32_trunc_sat_f32_u(nan32), 0);
    assert_eq!(i64_trunc_sat_f32_s(nan32), 0);
    assert_eq!(i64_trunc_sat_f32_u(nan32), 0);
    assert_eq!(i32_trunc_sat_f64_s(nan64), 0);
    assert_eq!(i32_trunc_sat_f64_u(nan64), 0);
    assert_eq!(i64_trunc_sat_f64_s(nan64), 0);
    assert_eq!(i64_trunc_sat_f64_u(nan64), 0);
    assert_eq!(i32_trunc_sat_f32_s(f32::INFINITY), i32::MAX);
    assert_eq!(i32_trunc_sat_f32_s(-2_147_483_904.0), i32::MIN);
    assert_eq!(i32_trunc_sat_f32_s(2_147_483_648.0), i32::MAX);
    assert_eq!(i32_trunc_sat_f32_s(-1.5), -1);
    assert_eq!(i32_trunc_sat_f32_u(-1.0e10), 0);
    assert_eq!(i32_trunc_sat_f32_u(1.0e10), -1, "u32::MAX");
    assert_eq!(i32_trunc_sat_f32_u(-0.9), 0);
    assert_eq!(i32_trunc_sat_f64_s(-2_147_483_648.9), i32::MIN);
    assert_eq!(i32_trunc_sat_f64_s(2_147_483_647.9), i32::MAX);
    assert_eq!(i32_trunc_sat_f64_u(4_294_967_295.9), -1);
    assert_eq!(i32_trunc_sat_f64_u(f64::NEG_INFINITY), 0);
    assert_eq!(i64_trunc_sat_f32_s(f32::NEG_INFINITY), i64::MIN);
    assert_eq!(i64_trunc_sat_f32_u(f32::INFINITY), -1);
    assert_eq!(i64_trunc_sat_f64_s(P63), i64::MAX);
    assert_eq!(i64_trunc_sat_f64_s(-P63), i64::MIN);
    assert_eq!(i64_trunc_sat_f64_u(P64), -1);
    assert_eq!(i64_trunc_sat_f64_u(18_446_744_073_709_549_568.0), 0xffff_ffff_ffff_f800u64 as i64);
}

/// Integer → float rounding to nearest, ties to even, with integer arithmetic
/// only (an independent check of Rust's `as`). `mant` is the significand width
/// including the implicit bit; returns the IEEE bits of the positive result.
fn round_u64(u: u64, mant: u32, bias: u64) -> u64 {
    if u == 0 {
        return 0;
    }
    let msb = 63 - u.leading_zeros();
    let mut exp = u64::from(msb);
    let mut m = if msb < mant {
        u << (mant - 1 - msb)
    } else {
        let shift = msb - (mant - 1);
        let (kept, rest) = (u >> shift, u & ((1u64 << shift) - 1));
        let half = 1u64 << (shift - 1);
        let up = rest > half || (rest == half && kept & 1 == 1);
        kept + u64::from(up)
    };
    if m == 1u64 << mant {
        m >>= 1;
        exp += 1;
    }
    ((exp + bias) << (mant - 1)) | (m & ((1u64 << (mant - 1)) - 1))
}

fn sample_u64s() -> Vec<u64> {
    let mut out = vec![0, 1, u64::MAX, 1 << 63, (1 << 63) + 1, 0x8000_0080_0000_0001, 0x0020_0000_2000_0001];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..20_000u32 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        // Vary the magnitude so every exponent and many near-ties are hit.
        let v = seed >> (i % 64);
        out.extend([v, v | 1, v & !0xff, (v & !0xfff_ffff) | 0x80_0000 | 1]);
    }
    out
}

#[test]
fn int_to_float_rounds_once_to_nearest_even() {
    for u in sample_u64s() {
        let s = u as i64;
        assert_eq!(u64::from(f32_convert_i64_u(s).to_bits()), round_u64(u, 24, 127), "{u:#x}");
        assert_eq!(f64_convert_i64_u(s).to_bits(), round_u64(u, 53, 1023), "{u:#x}");
        let mag = s.unsigned_abs();
        let sign32 = if s < 0 { 1u64 << 31 } else { 0 };
        let sign64 = if s < 0 { 1u64 << 63 } else { 0 };
        assert_eq!(u64::from(f32_convert_i64_s(s).to_bits()), sign32 | round_u64(mag, 24, 127), "{s}");
        assert_eq!(f64_convert_i64_s(s).to_bits(), sign64 | round_u64(mag, 53, 1023), "{s}");
        let w = u as u32;
        assert_eq!(u64::from(f32_convert_i32_u(w as i32).to_bits()), round_u64(u64::from(w), 24, 127));
        assert_eq!(f64_convert_i32_u(w as i32), f64::from(w));
    }
}

#[test]
fn int_to_float_double_rounding_cases() {
    // 2^63 + 2^39 + 1: via f64 it would become a tie and round down to 2^63.
    assert_eq!(f32_convert_i64_u(0x8000_0080_0000_0001u64 as i64).to_bits(), 0x5f00_0001);
    // 2^53 + 2^29 + 1, both signs.
    assert_eq!(f32_convert_i64_s(0x0020_0000_2000_0001).to_bits(), 0x5a00_0001);
    assert_eq!(f32_convert_i64_s(-0x0020_0000_2000_0001).to_bits(), 0xda00_0001);
    assert_eq!(f32_convert_i64_u(-1).to_bits(), 0x5f80_0000, "u64::MAX rounds up to 2^64");
    assert_eq!(f32_convert_i64_s(i64::MIN).to_bits(), 0xdf00_0000);
    assert_eq!(f64_convert_i64_u(0x8000_0000_0000_0401u64 as i64).to_bits(), 0x43e0_0000_0000_0001);
    assert_eq!(f64_convert_i64_u(0x8000_0000_0000_0400u64 as i64).to_bits(), 0x43e0_0000_0000_0000);
    assert_eq!(f64_convert_i64_u(0x8000_0000_0000_0c00u64 as i64).to_bits(), 0x43e0_0000_0000_0002);
    assert_eq!(f32_convert_i32_s(16_777_217), 16_777_216.0, "tie to even");
    assert_eq!(f32_convert_i32_s(16_777_219), 16_777_220.0, "tie to even");
    assert_eq!(f32_convert_i32_s(i32::MIN), -2_147_483_648.0);
    assert_eq!(f32_convert_i32_u(-1), 4_294_967_296.0);
    assert_eq!(f64_convert_i32_s(i32::MIN), -2_147_483_648.0);
    assert_eq!(f64_convert_i32_u(-1), 4_294_967_295.0);
    assert_eq!(f64_convert_i64_s(i64::MAX), P63);
}

#[test]
fn demote_rounds_to_nearest_even() {
    let d = f64::from_bits;
    let cases: [(u64, u32); 16] = [
        (0x3ff0_0000_1000_0000, 0x3f80_0000), // 1 + 2^-24: tie, down to even
        (0x3ff0_0000_3000_0000, 0x3f80_0002), // 1 + 3*2^-24: tie, up to even
        (0x3ff0_0000_1000_0001, 0x3f80_0001), // just above the tie
        (0x47ef_ffff_efff_ffff, 0x7f7f_ffff), // just below MAX + half ulp
        (0x47ef_ffff_f000_0000, 0x7f80_0000), // MAX + half ulp: tie, to even = ∞
        (0x7fef_ffff_ffff_ffff, 0x7f80_0000), // f64::MAX
        (0xffef_ffff_ffff_ffff, 0xff80_0000),
        (0x36a0_0000_0000_0000, 0x0000_0001), // 2^-149, the least f32 subnormal
        (0x3690_0000_0000_0000, 0x0000_0000), // 2^-150: tie, to even = 0
        (0x3690_0000_0000_0001, 0x0000_0001),
        (0xb690_0000_0000_0000, 0x8000_0000), // -2^-150 → -0
        (0x36a8_0000_0000_0000, 0x0000_0002), // 1.5 * 2^-149: tie, to even = 2
        (0x0010_0000_0000_0000, 0x0000_0000), // f64::MIN_POSITIVE
        (0x8000_0000_0000_0000, 0x8000_0000),
        (0x7ff0_0000_0000_0000, 0x7f80_0000),
        (0xfff0_0000_0000_0000, 0xff80_0000),
    ];
    for (x, want) in cases {
        assert_eq!(f32_demote_f64(d(x)).to_bits(), want, "demote({x:#x})");
    }
}

#[test]
fn demote_and_promote_nan() {
    let d = f64::from_bits;
    let f = f32::from_bits;
    assert_eq!(f32_demote_f64(d(0x7ff8_0000_0000_0000)).to_bits(), 0x7fc0_0000, "canonical stays canonical");
    assert_eq!(f32_demote_f64(d(0xfff8_0000_0000_0000)).to_bits(), 0xffc0_0000);
    assert_eq!(f32_demote_f64(d(0x7ff0_0000_0000_0001)).to_bits(), 0x7fc0_0000, "quieted, low payload lost");
    assert_eq!(f32_demote_f64(d(0x7ff4_0000_2000_0000)).to_bits(), 0x7fe0_0001);
    assert_eq!(f64_promote_f32(f(0x7fc0_0000)).to_bits(), 0x7ff8_0000_0000_0000);
    assert_eq!(f64_promote_f32(f(0xffc0_0000)).to_bits(), 0xfff8_0000_0000_0000);
    assert_eq!(f64_promote_f32(f(0x7fa0_0001)).to_bits(), 0x7ffc_0000_2000_0000);
    assert_eq!(f64_promote_f32(f(0xff80_0001)).to_bits(), 0xfff8_0000_2000_0000);
}

#[test]
fn promote_is_exact() {
    assert_eq!(f64_promote_f32(f32::from_bits(1)).to_bits(), 0x36a0_0000_0000_0000);
    assert_eq!(f64_promote_f32(f32::MAX).to_bits(), 0x47ef_ffff_e000_0000);
    assert_eq!(f64_promote_f32(-0.0).to_bits(), 0x8000_0000_0000_0000);
    assert_eq!(f64_promote_f32(f32::NEG_INFINITY), f64::NEG_INFINITY);
    assert_eq!(f64_promote_f32(0.1).to_bits(), 0x3fb9_9999_a000_0000);
}
