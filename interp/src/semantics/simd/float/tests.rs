use super::*;
use crate::semantics::simd::{from_lanes, to_lanes};

const SNAN32: u32 = 0x7f80_0001;
const CANON32: u32 = 0x7fc0_0000;
const CANON64: u64 = 0x7ff8_0000_0000_0000;

fn f4(bits: [u32; 4]) -> u128 {
    from_lanes(bits)
}

fn bits4(v: u128) -> [u32; 4] {
    to_lanes(v)
}

fn fv(x: [f32; 4]) -> u128 {
    from_lanes(x)
}

fn dv(x: [f64; 2]) -> u128 {
    from_lanes(x)
}

fn bits2(v: u128) -> [u64; 2] {
    to_lanes(v)
}

#[test]
fn abs_neg_only_touch_sign_bits() {
    let v = f4([SNAN32, 0xffc0_1234, 0x8000_0000, 0x3f80_0000]);
    assert_eq!(bits4(f32x4_abs(v)), [SNAN32, 0x7fc0_1234, 0, 0x3f80_0000]);
    assert_eq!(bits4(f32x4_neg(v)), [0xff80_0001, 0x7fc0_1234, 0, 0xbf80_0000]);
    let w = from_lanes([0xfff0_0000_0000_0001u64, 0]);
    assert_eq!(bits2(f64x2_abs(w)), [0x7ff0_0000_0000_0001, 0]);
    assert_eq!(bits2(f64x2_neg(w)), [0x7ff0_0000_0000_0001, 0x8000_0000_0000_0000]);
}

#[test]
fn min_max_per_lane() {
    let a = fv([-0.0, 0.0, f32::from_bits(SNAN32), 1.0]);
    let b = fv([0.0, -0.0, 1.0, f32::NEG_INFINITY]);
    assert_eq!(bits4(f32x4_min(a, b)), [0x8000_0000, 0x8000_0000, CANON32, 0xff80_0000]);
    assert_eq!(bits4(f32x4_max(a, b)), [0, 0, CANON32, 0x3f80_0000]);
    assert_eq!(bits4(f32x4_min(b, a)), [0x8000_0000, 0x8000_0000, CANON32, 0xff80_0000]);
    let c = dv([-0.0, f64::from_bits(0xfff8_0000_0000_0001)]);
    let d = dv([0.0, -1.0]);
    assert_eq!(bits2(f64x2_min(c, d)), [0x8000_0000_0000_0000, CANON64]);
    assert_eq!(bits2(f64x2_max(c, d)), [0, CANON64]);
    assert_eq!(bits2(f64x2_max(dv([f64::INFINITY, 2.0]), dv([3.0, 2.5]))), bits2(dv([f64::INFINITY, 2.5])));
}

#[test]
fn pmin_pmax_return_an_operand_unchanged() {
    let nan = 0x7fa0_0001; // a signalling-ish payload that must survive
    let a = f4([0x0000_0000, 0x8000_0000, nan, 0x3f80_0000]); // +0, -0, NaN, 1
    let b = f4([0x8000_0000, 0x0000_0000, 0x3f80_0000, nan]); // -0, +0, 1, NaN
    // pmin(x, y) = y < x ? y : x
    assert_eq!(bits4(f32x4_pmin(a, b)), [0, 0x8000_0000, nan, 0x3f80_0000]);
    assert_eq!(bits4(f32x4_pmin(b, a)), [0x8000_0000, 0, 0x3f80_0000, nan]);
    // pmax(x, y) = x < y ? y : x
    assert_eq!(bits4(f32x4_pmax(a, b)), [0, 0x8000_0000, nan, 0x3f80_0000]);
    assert_eq!(
        bits4(f32x4_pmax(fv([1.0, 2.0, -1.0, -3.0]), fv([2.0, 1.0, -0.5, -4.0]))),
        bits4(fv([2.0, 2.0, -0.5, -3.0]))
    );
    assert_eq!(
        bits4(f32x4_pmin(fv([1.0, 2.0, -1.0, -3.0]), fv([2.0, 1.0, -0.5, -4.0]))),
        bits4(fv([1.0, 1.0, -1.0, -4.0]))
    );
    let dnan = 0xfff4_0000_0000_0000;
    let c = from_lanes([dnan, 0x8000_0000_0000_0000u64]);
    let d = from_lanes([0x3ff0_0000_0000_0000u64, 0]);
    assert_eq!(bits2(f64x2_pmin(c, d)), [dnan, 0x8000_0000_0000_0000]);
    assert_eq!(bits2(f64x2_pmax(c, d)), [dnan, 0x8000_0000_0000_0000]);
    assert_eq!(bits2(f64x2_pmin(d, c)), [0x3ff0_0000_0000_0000, 0]);
    assert_eq!(bits2(f64x2_pmax(d, dv([2.0, -1.0]))), bits2(dv([2.0, 0.0])));
}

#[test]
fn rounding_per_lane() {
    let v = fv([0.5, 1.5, -0.5, 2.5]);
    assert_eq!(bits4(f32x4_nearest(v)), bits4(fv([0.0, 2.0, -0.0, 2.0])));
    assert_eq!(bits4(f32x4_ceil(v)), bits4(fv([1.0, 2.0, -0.0, 3.0])));
    assert_eq!(bits4(f32x4_floor(v)), bits4(fv([0.0, 1.0, -1.0, 2.0])));
    assert_eq!(bits4(f32x4_trunc(v)), bits4(fv([0.0, 1.0, -0.0, 2.0])));
    let n = f4([SNAN32, 0xffc0_0000, 0x7f80_0000, 0x4b00_0001]); // sNaN, -canonical, +inf, 2^23 + 1
    for op in [f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest, f32x4_sqrt] {
        let r = bits4(op(n));
        assert_eq!(r[0], 0x7fc0_0001, "quieted");
        assert_eq!(r[1], 0xffc0_0000, "canonical stays canonical");
        assert_eq!(r[2], 0x7f80_0000);
    }
    assert_eq!(bits4(f32x4_nearest(n))[3], 0x4b00_0001);
    let w = dv([-1.5, 2.5]);
    assert_eq!(bits2(f64x2_nearest(w)), bits2(dv([-2.0, 2.0])));
    assert_eq!(bits2(f64x2_ceil(w)), bits2(dv([-1.0, 3.0])));
    assert_eq!(bits2(f64x2_floor(w)), bits2(dv([-2.0, 2.0])));
    assert_eq!(bits2(f64x2_trunc(w)), bits2(dv([-1.0, 2.0])));
    assert_eq!(bits2(f64x2_trunc(dv([-0.9, 0.9]))), [0x8000_0000_0000_0000, 0]);
    let dn = from_lanes([0x7ff0_0000_0000_0001u64, 0xfff8_0000_0000_0000]);
    for op in [f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest, f64x2_sqrt] {
        assert_eq!(bits2(op(dn)), [0x7ff8_0000_0000_0001, 0xfff8_0000_0000_0000]);
    }
}

#[test]
fn sqrt_per_lane() {
    assert_eq!(
        bits4(f32x4_sqrt(fv([4.0, -0.0, 2.0, f32::INFINITY]))),
        [0x4000_0000, 0x8000_0000, 0x3fb5_04f3, 0x7f80_0000]
    );
    assert!(f32::from_bits(bits4(f32x4_sqrt(fv([-1.0, 0.0, 0.0, 0.0])))[0]).is_nan());
    assert_eq!(bits2(f64x2_sqrt(dv([2.0, 0.25]))), [0x3ff6_a09e_667f_3bcd, 0x3fe0_0000_0000_0000]);
}

#[test]
fn arithmetic_per_lane() {
    let a = fv([0.1, 1.0, -0.0, f32::INFINITY]);
    let b = fv([0.2, 0.0, -0.0, f32::NEG_INFINITY]);
    let sum = bits4(f32x4_add(a, b));
    assert_eq!(sum[0], (0.1f32 + 0.2f32).to_bits());
    assert_eq!(sum[0], 0x3e99_999a);
    assert_eq!(sum[1], 0x3f80_0000);
    assert_eq!(sum[2], 0x8000_0000, "-0 + -0 = -0");
    assert_ne!(sum[3] & 0x7fc0_0000, 0, "inf + -inf is a quiet NaN");
    assert!(f32::from_bits(sum[3]).is_nan());
    let quot = bits4(f32x4_div(a, b));
    assert_eq!(quot[1], 0x7f80_0000, "1 / +0 = +inf");
    assert!(f32::from_bits(quot[2]).is_nan(), "0 / 0");
    assert_eq!(
        bits4(f32x4_div(fv([1.0, -1.0, 3.0, 1.0]), fv([-0.0, -0.0, 2.0, 3.0]))),
        bits4(fv([f32::NEG_INFINITY, f32::INFINITY, 1.5, 1.0 / 3.0]))
    );
    assert_eq!(
        bits4(f32x4_sub(fv([1.0, 0.0, -0.0, 5.0]), fv([1.0, 0.0, 0.0, 7.0]))),
        bits4(fv([0.0, 0.0, -0.0, -2.0]))
    );
    assert_eq!(
        bits4(f32x4_mul(fv([f32::MAX, -2.0, 1.0e-30, 3.0]), fv([2.0, 0.0, 1.0e-30, -3.0]))),
        bits4(fv([f32::INFINITY, -0.0, 0.0, -9.0]))
    );
    assert_eq!(
        bits2(f64x2_add(dv([0.1, 1.0e308]), dv([0.2, 1.0e308]))),
        bits2(dv([0.300_000_000_000_000_04, f64::INFINITY]))
    );
    assert_eq!(bits2(f64x2_sub(dv([1.0, -0.0]), dv([3.0, 0.0]))), bits2(dv([-2.0, -0.0])));
    assert_eq!(bits2(f64x2_mul(dv([1.5, -0.0]), dv([-2.0, -3.0]))), bits2(dv([-3.0, 0.0])));
    assert_eq!(bits2(f64x2_div(dv([1.0, 7.0]), dv([3.0, 0.0]))), bits2(dv([1.0 / 3.0, f64::INFINITY])));
    // A NaN operand's result is some quiet NaN.
    let r = bits2(f64x2_mul(from_lanes([0x7ff0_0000_0000_0001u64, 0]), dv([2.0, 1.0])));
    assert_ne!(r[0] & 0x0008_0000_0000_0000, 0);
    assert!(f64::from_bits(r[0]).is_nan());
}

#[test]
fn comparisons_with_nan_and_signed_zero() {
    let nan = f32::from_bits(CANON32);
    let a = fv([nan, -0.0, 1.0, 2.0]);
    let b = fv([nan, 0.0, 2.0, 1.0]);
    let t = u32::MAX;
    assert_eq!(bits4(f32x4_eq(a, b)), [0, t, 0, 0]);
    assert_eq!(bits4(f32x4_ne(a, b)), [t, 0, t, t]);
    assert_eq!(bits4(f32x4_lt(a, b)), [0, 0, t, 0]);
    assert_eq!(bits4(f32x4_gt(a, b)), [0, 0, 0, t]);
    assert_eq!(bits4(f32x4_le(a, b)), [0, t, t, 0]);
    assert_eq!(bits4(f32x4_ge(a, b)), [0, t, 0, t]);
    let c = dv([f64::NAN, f64::NEG_INFINITY]);
    let d = dv([1.0, f64::NEG_INFINITY]);
    let t = u64::MAX;
    assert_eq!(bits2(f64x2_eq(c, d)), [0, t]);
    assert_eq!(bits2(f64x2_ne(c, d)), [t, 0]);
    assert_eq!(bits2(f64x2_lt(c, d)), [0, 0]);
    assert_eq!(bits2(f64x2_gt(c, d)), [0, 0]);
    assert_eq!(bits2(f64x2_le(c, d)), [0, t]);
    assert_eq!(bits2(f64x2_ge(c, d)), [0, t]);
    assert_eq!(bits2(f64x2_lt(dv([-1.0, 1.0]), dv([1.0, -1.0]))), [t, 0]);
}

/// Random vectors whose lanes are often special values (NaNs with payloads, ±0,
/// ±∞, subnormals, ties), for checking that each SIMD op is its scalar op per lane.
fn vectors() -> Vec<u128> {
    let specials32 = [
        0,
        F32_SIGN,
        CANON32,
        0xffc0_0000,
        SNAN32,
        0x7fa0_1234,
        0x7f80_0000,
        0xff80_0000,
        1,
        0x3f00_0000,
        0xbfc0_0000,
        0x4b00_0001,
    ];
    let mut seed = 0x853c_49e6_748f_ea9bu64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..2000)
        .map(|_| {
            from_lanes::<u32, 4>(core::array::from_fn(|_| {
                let r = next();
                if r % 3 == 0 { specials32[(r >> 8) as usize % specials32.len()] } else { (r >> 32) as u32 }
            }))
        })
        .collect()
}

const F32_SIGN: u32 = 0x8000_0000;

fn check_unary32(op: fn(u128) -> u128, scalar: fn(f32) -> f32, name: &str) {
    for v in vectors() {
        let got = bits4(op(v));
        let lanes = to_lanes::<f32, 4>(v);
        for i in 0..4 {
            assert_eq!(got[i], scalar(lanes[i]).to_bits(), "{name}({:#x})", lanes[i].to_bits());
        }
    }
}

/// True if `bits` is a NaN that Wasm allows as the result of an arithmetic
/// op on `inputs`: quiet, and canonical (payload `0x40_0000`, either sign)
/// if every NaN among the inputs is canonical.
fn valid_nan32(bits: u32, inputs: &[f32]) -> bool {
    const QUIET: u32 = 0x40_0000;
    let payload = |b: u32| b & 0x7f_ffff;
    let is_nan = f32::from_bits(bits).is_nan() && payload(bits) & QUIET != 0;
    let canonical_in = inputs.iter().filter(|v| v.is_nan()).all(|v| payload(v.to_bits()) == QUIET);
    is_nan && (!canonical_in || payload(bits) == QUIET)
}

/// Checks `op` against `scalar` lane by lane; for an `arithmetic` op (whose
/// reference is Rust's `+` or `*`) a NaN result only has to be one Wasm allows.
fn check_binary32(op: fn(u128, u128) -> u128, scalar: fn(f32, f32) -> f32, name: &str, arithmetic: bool) {
    let vs = vectors();
    for (a, b) in vs.iter().zip(vs.iter().rev()) {
        let got = bits4(op(*a, *b));
        let (x, y) = (to_lanes::<f32, 4>(*a), to_lanes::<f32, 4>(*b));
        for i in 0..4 {
            let want = scalar(x[i], y[i]);
            let what = format!("{name}({:#x}, {:#x}) = {:#x}", x[i].to_bits(), y[i].to_bits(), got[i]);
            if arithmetic && want.is_nan() {
                // Which input's NaN `+` and `*` pass on is up to the compiler
                // (it may swap the operands), and Wasm allows any: a quiet
                // NaN, canonical if every NaN input is.
                assert!(valid_nan32(got[i], &[x[i], y[i]]), "{what}: not a NaN Wasm allows");
            } else {
                assert_eq!(got[i], want.to_bits(), "{what}");
            }
        }
    }
}

#[test]
fn f32x4_ops_are_scalar_ops_per_lane() {
    use crate::semantics::scalar::*;
    check_unary32(f32x4_abs, f32_abs, "abs");
    check_unary32(f32x4_neg, f32_neg, "neg");
    check_unary32(f32x4_sqrt, f32_sqrt, "sqrt");
    check_unary32(f32x4_ceil, f32_ceil, "ceil");
    check_unary32(f32x4_floor, f32_floor, "floor");
    check_unary32(f32x4_trunc, f32_trunc, "trunc");
    check_unary32(f32x4_nearest, f32_nearest, "nearest");
    check_binary32(f32x4_min, f32_min, "min", false);
    check_binary32(f32x4_max, f32_max, "max", false);
    check_binary32(f32x4_pmin, |x, y| if y < x { y } else { x }, "pmin", false);
    check_binary32(f32x4_pmax, |x, y| if x < y { y } else { x }, "pmax", false);
    check_binary32(f32x4_add, |x, y| x + y, "add", true);
    check_binary32(f32x4_mul, |x, y| x * y, "mul", true);
}

type Vector1 = fn(u128) -> u128;
type Vector2 = fn(u128, u128) -> u128;
type Scalar1 = fn(f64) -> f64;
type Scalar2 = fn(f64, f64) -> f64;

#[test]
fn f64x2_ops_are_scalar_ops_per_lane() {
    use crate::semantics::scalar::*;
    let unary: [(Vector1, Scalar1); 7] = [
        (f64x2_abs, f64_abs),
        (f64x2_neg, f64_neg),
        (f64x2_sqrt, f64_sqrt),
        (f64x2_ceil, f64_ceil),
        (f64x2_floor, f64_floor),
        (f64x2_trunc, f64_trunc),
        (f64x2_nearest, f64_nearest),
    ];
    let binary: [(Vector2, Scalar2); 2] = [(f64x2_min, f64_min), (f64x2_max, f64_max)];
    let vs = vectors();
    for (a, b) in vs.iter().zip(vs.iter().rev()) {
        // Raw random lanes rarely hit f64 specials, so also check lanes 0 and 2
        // promoted from f32 (NaN payloads, ±0, ±∞, ties).
        let promoted = from_lanes::<f64, 2>([
            f64::from(f32::from_bits(*a as u32)),
            f64::from(f32::from_bits((*a >> 64) as u32)),
        ]);
        for v in [*a, promoted] {
            let x = to_lanes::<f64, 2>(v);
            for (op, scalar) in unary {
                assert_eq!(bits2(op(v)), x.map(|l| scalar(l).to_bits()));
            }
            let y = to_lanes::<f64, 2>(*b);
            for (op, scalar) in binary {
                assert_eq!(bits2(op(v, *b)), [scalar(x[0], y[0]).to_bits(), scalar(x[1], y[1]).to_bits()]);
            }
        }
    }
}
