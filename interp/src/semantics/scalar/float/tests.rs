use super::*;

const F32_SNAN: u32 = 0x7f80_0001;
const F64_SNAN: u64 = 0x7ff0_0000_0000_0001;

fn f(bits: u32) -> f32 {
    f32::from_bits(bits)
}

fn d(bits: u64) -> f64 {
    f64::from_bits(bits)
}

/// Values that exercise every branch of the float rules.
fn f32_specials() -> Vec<f32> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        f32::MIN_POSITIVE,
        f(1),
        f(0x8000_0001),
        f32::MAX,
        f32::MIN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f(F32_CANONICAL_NAN),
        f(0xffc0_0000),
        f(F32_SNAN),
        f(0x7fa0_0000),
        f(0xff80_0123),
    ]
}

/// `fmin` transcribed case by case from the spec's numerics chapter.
fn spec_fmin(a: f32, b: f32) -> Option<u32> {
    if a.is_nan() || b.is_nan() {
        None
    } else if a == f32::NEG_INFINITY || b == f32::NEG_INFINITY {
        Some(f32::NEG_INFINITY.to_bits())
    } else if a == f32::INFINITY {
        Some(b.to_bits())
    } else if b == f32::INFINITY {
        Some(a.to_bits())
    } else if a == 0.0 && b == 0.0 && a.is_sign_negative() != b.is_sign_negative() {
        Some((-0.0f32).to_bits())
    } else if a <= b {
        Some(a.to_bits())
    } else {
        Some(b.to_bits())
    }
}

/// `fmax` transcribed case by case from the spec's numerics chapter.
fn spec_fmax(a: f32, b: f32) -> Option<u32> {
    if a.is_nan() || b.is_nan() {
        None
    } else if a == f32::INFINITY || b == f32::INFINITY {
        Some(f32::INFINITY.to_bits())
    } else if a == f32::NEG_INFINITY {
        Some(b.to_bits())
    } else if b == f32::NEG_INFINITY {
        Some(a.to_bits())
    } else if a == 0.0 && b == 0.0 && a.is_sign_negative() != b.is_sign_negative() {
        Some(0.0f32.to_bits())
    } else if a >= b {
        Some(a.to_bits())
    } else {
        Some(b.to_bits())
    }
}

#[test]
fn min_max_match_spec_cases_on_all_special_pairs() {
    for &a in &f32_specials() {
        for &b in &f32_specials() {
            let expect_min = spec_fmin(a, b).unwrap_or(F32_CANONICAL_NAN);
            let expect_max = spec_fmax(a, b).unwrap_or(F32_CANONICAL_NAN);
            assert_eq!(f32_min(a, b).to_bits(), expect_min, "min({a:?}, {b:?})");
            assert_eq!(f32_max(a, b).to_bits(), expect_max, "max({a:?}, {b:?})");
            // f64 follows the same rules; promotion is exact for non-NaN values.
            let (da, db) = (f64::from(a), f64::from(b));
            let dmin = f64_min(da, db);
            let dmax = f64_max(da, db);
            if a.is_nan() || b.is_nan() {
                assert_eq!(dmin.to_bits(), F64_CANONICAL_NAN);
                assert_eq!(dmax.to_bits(), F64_CANONICAL_NAN);
            } else {
                assert_eq!(dmin.to_bits(), f64::from(f(expect_min)).to_bits());
                assert_eq!(dmax.to_bits(), f64::from(f(expect_max)).to_bits());
            }
        }
    }
}

#[test]
fn min_max_signed_zero_both_orders() {
    assert_eq!(f32_min(-0.0, 0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_min(0.0, -0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0);
    assert_eq!(f32_max(0.0, -0.0).to_bits(), 0);
    assert_eq!(f64_min(0.0, -0.0).to_bits(), F64_SIGN_BIT);
    assert_eq!(f64_max(-0.0, 0.0).to_bits(), 0);
    assert_eq!(f64_min(-0.0, -0.0).to_bits(), F64_SIGN_BIT);
    assert_eq!(f64_max(-0.0, -0.0).to_bits(), F64_SIGN_BIT);
}

#[test]
fn min_max_nan_gives_positive_canonical() {
    for nan in [f(F32_SNAN), f(0xffc0_0000), f(0x7fc1_2345), f(0xff80_0001)] {
        assert_eq!(f32_min(nan, 1.0).to_bits(), F32_CANONICAL_NAN);
        assert_eq!(f32_min(1.0, nan).to_bits(), F32_CANONICAL_NAN);
        assert_eq!(f32_max(nan, f32::INFINITY).to_bits(), F32_CANONICAL_NAN);
        assert_eq!(f32_max(f32::NEG_INFINITY, nan).to_bits(), F32_CANONICAL_NAN);
    }
    assert_eq!(f64_min(d(F64_SNAN), 0.0).to_bits(), F64_CANONICAL_NAN);
    assert_eq!(f64_max(-0.0, d(0xfff8_0000_0000_0001)).to_bits(), F64_CANONICAL_NAN);
    assert_eq!(f64_max(d(F64_SNAN), d(F64_SNAN)).to_bits(), F64_CANONICAL_NAN);
}

#[test]
fn nearest_ties_to_even() {
    let cases: [(f32, f32); 14] = [
        (0.5, 0.0),
        (1.5, 2.0),
        (2.5, 2.0),
        (3.5, 4.0),
        (-0.5, -0.0),
        (-1.5, -2.0),
        (-2.5, -2.0),
        (0.499_999_97, 0.0),
        (-0.499_999_97, -0.0),
        (0.500_000_06, 1.0),
        (8_388_609.0, 8_388_609.0), // 2^23 + 1: already an integer
        (4_194_304.5, 4_194_304.0), // 2^22 + 0.5: a tie at the last fractional bit
        (4_194_305.5, 4_194_306.0),
        (-0.0, -0.0),
    ];
    for (x, want) in cases {
        assert_eq!(f32_nearest(x).to_bits(), want.to_bits(), "nearest({x:?})");
        assert_eq!(f64_nearest(f64::from(x)).to_bits(), f64::from(want).to_bits(), "nearest({x:?}) f64");
    }
    assert_eq!(f64_nearest(4_503_599_627_370_497.0).to_bits(), 4_503_599_627_370_497.0f64.to_bits());
    assert_eq!(f64_nearest(2_251_799_813_685_248.5), 2_251_799_813_685_248.0);
    assert_eq!(f64_nearest(2_251_799_813_685_249.5), 2_251_799_813_685_250.0);
    assert_eq!(f32_nearest(f32::INFINITY), f32::INFINITY);
    assert_eq!(f64_nearest(f64::NEG_INFINITY), f64::NEG_INFINITY);
}

#[test]
fn ceil_floor_trunc_keep_sign_of_zero() {
    // (x, ceil, floor, trunc)
    let cases: [(f32, f32, f32, f32); 9] = [
        (-0.5, -0.0, -1.0, -0.0),
        (0.5, 1.0, 0.0, 0.0),
        (-0.0, -0.0, -0.0, -0.0),
        (0.0, 0.0, 0.0, 0.0),
        (-1.5, -1.0, -2.0, -1.0),
        (1.0e-45, 1.0, 0.0, 0.0),
        (-1.0e-45, -0.0, -1.0, -0.0),
        (8_388_607.5, 8_388_608.0, 8_388_607.0, 8_388_607.0),
        (f32::MAX, f32::MAX, f32::MAX, f32::MAX),
    ];
    for (x, c, fl, t) in cases {
        assert_eq!(f32_ceil(x).to_bits(), c.to_bits(), "ceil({x:?})");
        assert_eq!(f32_floor(x).to_bits(), fl.to_bits(), "floor({x:?})");
        assert_eq!(f32_trunc(x).to_bits(), t.to_bits(), "trunc({x:?})");
        let dx = f64::from(x);
        assert_eq!(f64_ceil(dx).to_bits(), f64::from(c).to_bits(), "ceil({x:?}) f64");
        assert_eq!(f64_floor(dx).to_bits(), f64::from(fl).to_bits(), "floor({x:?}) f64");
        assert_eq!(f64_trunc(dx).to_bits(), f64::from(t).to_bits(), "trunc({x:?}) f64");
    }
    assert_eq!(f32_ceil(f32::NEG_INFINITY), f32::NEG_INFINITY);
    assert_eq!(f64_floor(f64::INFINITY), f64::INFINITY);
}

#[test]
fn unary_rounding_quiets_nan_and_keeps_payload_and_sign() {
    let ops32: [fn(f32) -> f32; 5] = [f32_ceil, f32_floor, f32_trunc, f32_nearest, f32_sqrt];
    for op in ops32 {
        assert_eq!(op(f(F32_SNAN)).to_bits(), 0x7fc0_0001);
        assert_eq!(op(f(0xff80_0002)).to_bits(), 0xffc0_0002);
        assert_eq!(op(f(F32_CANONICAL_NAN)).to_bits(), F32_CANONICAL_NAN);
        assert_eq!(op(f(0xffc0_0000)).to_bits(), 0xffc0_0000);
        assert_eq!(op(f(0x7fe1_2345)).to_bits(), 0x7fe1_2345);
    }
    let ops64: [fn(f64) -> f64; 5] = [f64_ceil, f64_floor, f64_trunc, f64_nearest, f64_sqrt];
    for op in ops64 {
        assert_eq!(op(d(F64_SNAN)).to_bits(), 0x7ff8_0000_0000_0001);
        assert_eq!(op(d(F64_CANONICAL_NAN)).to_bits(), F64_CANONICAL_NAN);
        assert_eq!(op(d(0xfff4_0000_0000_0000)).to_bits(), 0xfffc_0000_0000_0000);
    }
}

#[test]
fn sqrt_values() {
    assert_eq!(f32_sqrt(-0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_sqrt(4.0), 2.0);
    assert_eq!(f32_sqrt(2.0).to_bits(), 0x3fb5_04f3);
    assert_eq!(f32_sqrt(f32::INFINITY), f32::INFINITY);
    assert!(f32_sqrt(-1.0).is_nan());
    assert!(f32_sqrt(f32::NEG_INFINITY).is_nan());
    assert_eq!(f64_sqrt(2.0).to_bits(), 0x3ff6_a09e_667f_3bcd);
    assert_eq!(f64_sqrt(f64::from_bits(1)).to_bits(), 0x1e60_0000_0000_0000); // sqrt(2^-1074) = 2^-537
    // A negative input's NaN must be quiet; its sign is unspecified.
    assert_ne!(f64_sqrt(-2.0).to_bits() & F64_QUIET_BIT, 0);
}

#[test]
fn sign_ops_are_pure_bit_ops() {
    assert_eq!(f32_abs(f(0xffa0_0001)).to_bits(), 0x7fa0_0001);
    assert_eq!(f32_abs(f(F32_SNAN)).to_bits(), F32_SNAN, "a signalling NaN stays signalling");
    assert_eq!(f32_neg(f(F32_CANONICAL_NAN)).to_bits(), 0xffc0_0000);
    assert_eq!(f32_neg(f(F32_SNAN)).to_bits(), 0xff80_0001);
    assert_eq!(f32_neg(0.0).to_bits(), 0x8000_0000);
    assert_eq!(f32_abs(-0.0).to_bits(), 0);
    assert_eq!(f32_abs(f32::NEG_INFINITY), f32::INFINITY);
    assert_eq!(f32_copysign(f(0x7f81_2345), -1.0).to_bits(), 0xff81_2345);
    assert_eq!(f32_copysign(1.5, f(0xffc0_0000)).to_bits(), (-1.5f32).to_bits());
    assert_eq!(f32_copysign(-2.0, f(F32_SNAN)).to_bits(), 2.0f32.to_bits());
    assert_eq!(f32_copysign(0.0, -0.0).to_bits(), 0x8000_0000);
    assert_eq!(f64_abs(d(0xfff0_0000_0000_0001)).to_bits(), F64_SNAN);
    assert_eq!(f64_neg(d(F64_SNAN)).to_bits(), 0xfff0_0000_0000_0001);
    assert_eq!(f64_neg(-0.0).to_bits(), 0);
    assert_eq!(f64_copysign(d(F64_CANONICAL_NAN), -0.0).to_bits(), 0xfff8_0000_0000_0000);
    assert_eq!(f64_copysign(-3.0, 0.0), 3.0);
}

/// `nearest` from the spec's prose, independently of `round_ties_even`: round to
/// the nearer integer, ties to the even one, and keep the sign of a zero result.
/// `x - floor(x)` is exact in the range where it matters (Sterbenz).
fn spec_nearest(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let fl = x.floor();
    let diff = x - fl;
    let r = if diff < 0.5 || (diff == 0.5 && fl % 2.0 == 0.0) { fl } else { fl + 1.0 };
    if r == 0.0 { 0.0f64.copysign(x) } else { r }
}

/// f32 bit patterns spread over the whole range, plus a dense run of small values
/// with fractional parts.
fn f32_sweep() -> impl Iterator<Item = u32> {
    (0..=u32::MAX)
        .step_by(65_537)
        .chain((0x3e80_0000..0x4180_0000).step_by(97))
        .flat_map(|b| [b, b | F32_SIGN_BIT])
}

#[test]
fn nearest_matches_spec_prose_on_a_sweep() {
    for bits in f32_sweep() {
        let x = f(bits);
        if x.is_nan() {
            continue;
        }
        let want = spec_nearest(f64::from(x)) as f32;
        assert_eq!(f32_nearest(x).to_bits(), want.to_bits(), "nearest({x:?})");
        let dx = f64::from_bits((u64::from(bits) << 32) | u64::from(bits.rotate_left(7)));
        if !dx.is_nan() {
            assert_eq!(f64_nearest(dx).to_bits(), spec_nearest(dx).to_bits(), "nearest({dx:?})");
        }
    }
}

#[test]
fn ceil_floor_trunc_are_integral_neighbours_on_a_sweep() {
    for bits in f32_sweep() {
        let x = f(bits);
        if !x.is_finite() {
            continue;
        }
        let (c, fl, t) = (f32_ceil(x), f32_floor(x), f32_trunc(x));
        for r in [c, fl, t] {
            assert_eq!(r, r.trunc(), "integral: {x:?}");
        }
        assert!(fl <= x && x <= c && c - fl <= 1.0, "{x:?}: floor {fl:?}, ceil {c:?}");
        assert_eq!(t.to_bits(), if x < 0.0 { c } else { fl }.to_bits(), "trunc({x:?})");
        // A zero result keeps the operand's sign.
        for r in [c, fl, t] {
            if r == 0.0 {
                assert_eq!(r.is_sign_negative(), x.is_sign_negative(), "sign of zero for {x:?}");
            }
        }
    }
}
