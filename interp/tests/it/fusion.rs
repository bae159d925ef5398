//! Dependent pairs of ops fused into one: an op whose operand is the
//! single-use result of the op before it computes both, so the inner result
//! never goes through a cell. The listings pin which pairs fuse; the calls
//! check the fused ops compute exactly what the two Wasm instructions do.

use crate::common::*;

/// `a * b + c`, `c - a * b`, `(a - b) * (a - b)` (the difference used twice
/// stays an op of its own), and `(a * b + c) * d`, in which the add fuses
/// with the multiply after it (the first multiply then stays).
const F64_PAIRS: &str = "function %fp(i64, f64, f64, f64, f64) -> f64, f64, f64, f64 {
block0(v0: i64, v1: f64, v2: f64, v3: f64, v4: f64):
    v5 = fmul.f64 v1, v2
    v6 = fadd.f64 v5, v3
    v7 = fmul.f64 v1, v2
    v8 = fsub.f64 v3, v7
    v9 = fsub.f64 v1, v2
    v10 = fmul.f64 v9, v9
    v11 = fmul.f64 v1, v2
    v12 = fadd.f64 v11, v3
    v13 = fmul.f64 v12, v4
    return v6, v8, v10, v13
}";

#[test]
fn a_float_op_of_a_float_op_is_one_op() {
    let m = module(&[F64_PAIRS]);
    let text = listing(&m, 0);
    for want in ["= f64.mul_add s1, s2, s3", "= f64.mul_rsub s1, s2, s3", "= f64.add_mul s"] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    assert_eq!(text.matches("f64.sub ").count(), 1, "the difference used twice stays:\n{text}");
    assert_eq!(text.matches("f64.mul ").count(), 2, "{text}");
    let f = |a: f64, b: f64, c: f64, d: f64| {
        let r = call(&m, 0, &[a.to_bits(), b.to_bits(), c.to_bits(), d.to_bits()], 4).expect("call succeeds");
        r.into_iter().map(f64::from_bits).collect::<Vec<_>>()
    };
    assert_eq!(f(1.5, 2.0, 0.25, -2.0), vec![3.25, -2.75, 0.25, -6.5]);
    // Rounded twice, like the two instructions, not once like a fused
    // multiply-add: (1 + 2^-30)(1 - 2^-30) = 1 - 2^-60 rounds to 1.
    let (a, b) = (1.0 + 2f64.powi(-30), 1.0 - 2f64.powi(-30));
    assert_eq!(f(a, b, -1.0, 3.0), vec![0.0, -2.0, 2f64.powi(-58), 0.0]);
    assert!(f(f64::INFINITY, 0.0, 1.0, 1.0).iter().take(2).all(|x| x.is_nan()));
}

/// `(a + b) * c` and `c - (a - b)` in f32.
const F32_PAIRS: &str = "function %fq(i64, f32, f32, f32) -> f32, f32 {
block0(v0: i64, v1: f32, v2: f32, v3: f32):
    v4 = fadd.f32 v1, v2
    v5 = fmul.f32 v4, v3
    v6 = fsub.f32 v1, v2
    v7 = fsub.f32 v3, v6
    return v5, v7
}";

#[test]
fn f32_pairs_are_one_op_too() {
    let m = module(&[F32_PAIRS]);
    let text = listing(&m, 0);
    assert!(text.contains("= f32.add_mul s1, s2, s3"), "{text}");
    assert!(text.contains("= f32.sub_rsub s1, s2, s3"), "{text}");
    let r = call(&m, 0, &[1.5f32.to_bits().into(), 2.5f32.to_bits().into(), (-0.5f32).to_bits().into()], 2)
        .expect("call succeeds");
    assert_eq!(r, vec![u64::from((-2.0f32).to_bits()), u64::from(0.5f32.to_bits())]);
}

/// crc's `(crc ^ byte) & 0xff` and `crc >> 8 ^ t`, a ring buffer's
/// `(pos + n) & 1023`, and xorshift's `x << 5 ^ x`.
const I32_PAIRS: &str = "function %ip(i64, i32, i32) -> i32, i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = bxor.i32 v1, v2
    v4 = iconst.i32 255
    v5 = band.i32 v4, v3
    v6 = iconst.i32 8
    v7 = ushr.i32 v1, v6
    v8 = bxor.i32 v2, v7
    v9 = iadd.i32 v1, v2
    v10 = iconst.i32 1023
    v11 = band.i32 v9, v10
    v12 = iconst.i32 37
    v13 = ishl.i32 v1, v12
    v14 = bxor.i32 v13, v1
    return v5, v8, v11, v14
}";

#[test]
fn i32_pairs_on_a_checksum_chain_are_one_op() {
    let m = module(&[I32_PAIRS]);
    let text = listing(&m, 0);
    for want in [
        "= i32.xor_and s1, s2, 255",
        "= i32.shr_u_xor s1, 8, s2",
        "= i32.add_and s1, s2, 1023",
        "= i32.shl_xor s1, 5, s1",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    for (a, b) in [(0x1234_5678u32, 0x9abc_def0u32), (u32::MAX, 1), (0x8000_0000, 0x7fff_ffff)] {
        let r = call(&m, 0, &[a.into(), b.into()], 4).expect("call succeeds");
        let want = [(a ^ b) & 255, (a >> 8) ^ b, a.wrapping_add(b) & 1023, (a << 5) ^ a];
        assert_eq!(r, want.map(u64::from).to_vec(), "({a:#x}, {b:#x})");
    }
}

/// FNV-1a's `(h ^ byte) * prime`, xorshift64's `x ^ x >> 7`, and a byte
/// field above bit 31, `(x >> 8) & 0xff_0000_0000`.
const I64_PAIRS: &str = "function %lp(i64, i64, i64) -> i64, i64, i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = bxor.i64 v1, v2
    v4 = iconst.i64 1099511628211
    v5 = imul.i64 v3, v4
    v6 = iconst.i64 7
    v7 = ushr.i64 v1, v6
    v8 = bxor.i64 v1, v7
    v9 = iconst.i64 72
    v10 = ushr.i64 v1, v9
    v11 = iconst.i64 1095216660480
    v12 = band.i64 v10, v11
    return v5, v8, v12
}";

#[test]
fn i64_pairs_of_hashes_are_one_op() {
    let m = module(&[I64_PAIRS]);
    let text = listing(&m, 0);
    for want in [
        "= i64.xor_mul s1, s2, 1099511628211",
        "= i64.shr_u_xor s1, 7, s1",
        "= i64.shr_u_and s1, 8, 1095216660480",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    for (a, b) in
        [(0xcbf2_9ce4_8422_2325u64, 0x61u64), (u64::MAX, 0), (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210)]
    {
        let r = call(&m, 0, &[a, b], 3).expect("call succeeds");
        assert_eq!(r, vec![(a ^ b).wrapping_mul(1_099_511_628_211), a ^ (a >> 7), (a >> 8) & 0xff_0000_0000]);
    }
}
