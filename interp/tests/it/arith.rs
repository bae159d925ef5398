//! Integer and float arithmetic, conversions and their traps.

use zerowasm_ssa::TrapCode;

use crate::common::*;

const I32_OPS: &str = "function %ops(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    v4 = iconst.i32 3
    v5 = imul.i32 v3, v4
    v6 = isub.i32 v5, v1
    v7 = iconst.i32 -1
    v8 = bxor.i32 v6, v7
    v9 = rotl.i32 v8, v2
    v10 = popcnt.i32 v9
    v11 = iadd.i32 v10, v9
    return v11
}";

fn i32_ops(a: i32, b: i32) -> i32 {
    let v = !((a.wrapping_add(b)).wrapping_mul(3).wrapping_sub(a)).rotate_left(b as u32 % 32);
    (v.count_ones() as i32).wrapping_add(v)
}

#[test]
fn i32_arithmetic_matches_rust() {
    let m = module(&[I32_OPS]);
    for (a, b) in [(1, 2), (-7, 35), (i32::MAX, 1), (i32::MIN, -1), (123_456, 98)] {
        let r = call1(&m, 0, &[a as u32 as u64, b as u32 as u64]);
        assert_eq!(r, i32_ops(a, b) as u32 as u64, "ops({a}, {b}) (upper half must stay zero)");
    }
    let text = listing(&m, 0);
    assert!(text.contains("i32.mul s") && text.contains(", 3"), "constant folded into the multiply:\n{text}");
    assert!(text.contains("i32.xor") && text.contains(", -1"), "{text}");
    assert!(!text.contains("const32"), "every constant was folded:\n{text}");
}

/// `a + (b << 2)` (an array index), `(b << 35) + a` (the shift count taken
/// mod 32, the shift on the left), and a shift with a second use, which must
/// stay its own op.
const SHL_ADD: &str = "function %sa(i64, i32, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 2
    v4 = ishl.i32 v2, v3
    v5 = iadd.i32 v1, v4
    v6 = iconst.i32 35
    v7 = ishl.i32 v2, v6
    v8 = iadd.i32 v7, v1
    v9 = iconst.i32 4
    v10 = ishl.i32 v1, v9
    v11 = iadd.i32 v10, v2
    v12 = iadd.i32 v11, v10
    return v5, v8, v12
}";

#[test]
fn shift_and_add_fuse_into_one_op() {
    let m = module(&[SHL_ADD]);
    let text = listing(&m, 0);
    assert_eq!(text.matches("i32.shl_add").count(), 2, "{text}");
    assert!(text.contains("= i32.shl_add s1, s2, 2"), "{text}");
    assert!(text.contains("= i32.shl_add s1, s2, 3"), "{text}");
    assert_eq!(
        text.matches("i32.shl ").count(),
        1,
        "the shift used twice stays:
{text}"
    );
    for (a, b) in [(1i32, 2i32), (-7, 0x4000_0001), (i32::MAX, -1), (0x1234_5678, 0x7fff_ffff)] {
        let r = call(&m, 0, &[a as u32 as u64, b as u32 as u64], 3).expect("call succeeds");
        let want =
            [a.wrapping_add(b << 2), (b << 3).wrapping_add(a), (a << 4).wrapping_add(b).wrapping_add(a << 4)];
        assert_eq!(r, want.map(|x| x as u32 as u64).to_vec(), "sa({a}, {b})");
    }
}

/// Lua's `GETARG_B(i)`, `(i >> 23) & 0x1ff`, the mask on the left and a
/// shift count of 36 (taken mod 32), and a shift with a second use, which
/// must stay its own op.
const SHR_AND: &str = "function %fa(i64, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 23
    v3 = ushr.i32 v1, v2
    v4 = iconst.i32 511
    v5 = band.i32 v3, v4
    v6 = iconst.i32 36
    v7 = ushr.i32 v1, v6
    v8 = iconst.i32 -16
    v9 = band.i32 v8, v7
    v10 = iconst.i32 8
    v11 = ushr.i32 v1, v10
    v12 = band.i32 v11, v4
    v13 = iadd.i32 v12, v11
    return v5, v9, v13
}";

#[test]
fn bit_fields_are_one_op() {
    let m = module(&[SHR_AND]);
    let text = listing(&m, 0);
    assert!(text.contains("= i32.shr_u_and s1, 23, 511"), "{text}");
    assert!(text.contains("= i32.shr_u_and s1, 4, -16"), "{text}");
    assert_eq!(text.matches("i32.shr_u_and").count(), 2, "the shift used twice stays:\n{text}");
    for x in [0u32, 1, 0xdead_beef, u32::MAX, 0x8000_0000] {
        let r = call(&m, 0, &[u64::from(x)], 3).expect("call succeeds");
        let want = [(x >> 23) & 511, (x >> 4) & 0xffff_fff0, ((x >> 8) & 511).wrapping_add(x >> 8)];
        assert_eq!(r, want.map(u64::from).to_vec(), "fa({x:#x})");
    }
}

#[test]
fn i64_and_bit_counting() {
    let m = module(&["function %f(i64, i64, i64) -> i64, i64, i64, i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = ishl.i64 v1, v2
    v4 = sshr.i64 v1, v2
    v5 = ushr.i64 v1, v2
    v6 = rotr.i64 v1, v2
    v7 = clz.i64 v3
    v8 = ctz.i64 v4
    v9 = iadd.i64 v7, v8
    v10 = iconst.i64 1000000000000
    v11 = imul.i64 v5, v10
    return v9, v11, v6, v3
}"]);
    for (a, b) in [(-12345i64, 3i64), (0x0123_4567_89ab_cdef, 68), (i64::MIN, 63)] {
        let r = call(&m, 0, &[a as u64, b as u64], 4).expect("call succeeds");
        let s = b as u32 % 64;
        let shl = a.wrapping_shl(s);
        let expect0 = i64::from(shl.leading_zeros()) + i64::from(a.wrapping_shr(s).trailing_zeros());
        assert_eq!(r[0], expect0 as u64);
        assert_eq!(r[1], ((a as u64) >> s).wrapping_mul(1_000_000_000_000));
        assert_eq!(r[2], a.rotate_right(s) as u64);
        assert_eq!(r[3], shl as u64);
    }
}

const DIVS: &str = "function %divs(i64, i32, i32) -> i32, i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = sdiv.i32 v1, v2
    v4 = udiv.i32 v1, v2
    v5 = srem.i32 v1, v2
    v6 = urem.i32 v1, v2
    return v3, v4, v5, v6
}";

#[test]
fn division_and_its_traps() {
    let m = module(&[DIVS]);
    let r = call(&m, 0, &[(-7i32) as u32 as u64, 2], 4).expect("call succeeds");
    assert_eq!(r, vec![(-3i32) as u32 as u64, (0xffff_fff9u32 / 2) as u64, (-1i32) as u32 as u64, 1]);
    let r = call(&m, 0, &[i32::MIN as u32 as u64, 0xffff_ffff], 4);
    assert!(matches!(r, Err(t) if t.trap_code() == Some(TrapCode::IntegerOverflow)));
    assert_eq!(trap_code(&m, 0, &[5, 0]), TrapCode::IntegerDivideByZero);
    // srem MIN, -1 is 0, not a trap.
    let m = module(&["function %rem(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 -1
    v3 = srem.i32 v1, v2
    v4 = iconst.i32 0
    v5 = udiv.i32 v3, v4
    return v5
}"]);
    assert_eq!(
        trap_code(&m, 0, &[i32::MIN as u32 as u64]),
        TrapCode::IntegerDivideByZero,
        "udiv by an immediate 0"
    );
}

const CONVERT: &str = "function %cvt(i64, f32, f64) -> i32, i64, i32, i64 {
block0(v0: i64, v1: f32, v2: f64):
    v3 = fcvt_to_sint.i32 v1
    v4 = fcvt_to_uint.i64 v2
    v5 = fcvt_to_sint_sat.i32 v2
    v6 = fcvt_to_uint_sat.i64 v1
    return v3, v4, v5, v6
}";

#[test]
fn float_to_int_conversions_trap_like_wasm() {
    let m = module(&[CONVERT]);
    let f32b = |x: f32| u64::from(x.to_bits());
    let f64b = |x: f64| x.to_bits();
    let r = call(&m, 0, &[f32b(-3.9), f64b(4e18)], 4).expect("call succeeds");
    assert_eq!(r, vec![(-3i32) as u32 as u64, 4_000_000_000_000_000_000, 0x7fff_ffff, 0]);
    let code = |a, b| call(&m, 0, &[a, b], 4).err().and_then(|t| t.trap_code());
    assert_eq!(code(f32b(f32::NAN), f64b(1.0)), Some(TrapCode::BadConversionToInteger));
    assert_eq!(code(f32b(3e9), f64b(1.0)), Some(TrapCode::IntegerOverflow));
    assert_eq!(code(f32b(1.0), f64b(-1.0)), Some(TrapCode::IntegerOverflow));
    assert_eq!(code(f32b(1.0), f64b(f64::NAN)), Some(TrapCode::BadConversionToInteger));
}

#[test]
fn int_float_and_width_conversions() {
    let m = module(&["function %c(i64, i32, i64) -> f32, f64, i64, i64, i32, f64, f32, i32 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = fcvt_from_uint.f32 v2
    v4 = fcvt_from_sint.f64 v1
    v5 = uextend.i64 v1
    v6 = sextend.i64 v1
    v7 = ireduce.i32 v2
    v8 = bitcast.f64 v2
    v9 = fdemote.f32 v8
    v10 = bitcast.i32 v9
    return v3, v4, v5, v6, v7, v8, v9, v10
}"]);
    let r = call(&m, 0, &[(-2i32) as u32 as u64, u64::MAX], 8).expect("call succeeds");
    assert_eq!(r[0], u64::from((u64::MAX as f32).to_bits()));
    assert_eq!(r[1], (-2.0f64).to_bits());
    assert_eq!(r[2], 0xffff_fffe);
    assert_eq!(r[3], (-2i64) as u64);
    assert_eq!(r[4], 0xffff_ffff);
    assert_eq!(r[5], u64::MAX);
    assert_eq!(r[6] >> 32, 0, "f32 results are zero-extended");
    assert!(f32::from_bits(r[6] as u32).is_nan());
    assert_eq!(r[7], r[6], "bitcast keeps the bits");
}

#[test]
fn float_ops_follow_wasm_nan_and_zero_rules() {
    let m = module(&["function %f(i64, f64, f64) -> f64, f64, f64, f64, i32, i32 {
block0(v0: i64, v1: f64, v2: f64):
    v3 = fmin.f64 v1, v2
    v4 = fmax.f64 v1, v2
    v5 = fnearest.f64 v1
    v6 = fcopysign.f64 v1, v2
    v7 = fcmp.f64 ne v1, v2
    v8 = fcmp.f64 lt v1, v2
    return v3, v4, v5, v6, v7, v8
}"]);
    let b = |x: f64| x.to_bits();
    let r = call(&m, 0, &[b(-0.0), b(0.0)], 6).expect("call succeeds");
    assert_eq!((r[0], r[1]), (b(-0.0), b(0.0)));
    assert_eq!((r[4], r[5]), (0, 0));
    let r = call(&m, 0, &[b(2.5), b(f64::NAN)], 6).expect("call succeeds");
    assert_eq!(r[0], 0x7ff8_0000_0000_0000, "canonical NaN");
    assert_eq!(r[2], b(2.0), "ties to even");
    assert_eq!(r[3], b(2.5), "positive NaN sign");
    assert_eq!((r[4], r[5]), (1, 0), "ne is true on NaN, lt false");
}

#[test]
fn select_picks_by_condition() {
    let m = module(&["function %s(i64, i32, i64, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64, v3: i64):
    v4 = select.i64 v1, v2, v3
    return v4
}"]);
    assert_eq!(call1(&m, 0, &[1, 10, 20]), 10);
    assert_eq!(call1(&m, 0, &[0, 10, 20]), 20);
    assert_eq!(call1(&m, 0, &[0x1_0000_0000, 10, 20]), 20, "only the low 32 bits are the condition");
}

/// `select` on a single-use integer compare: min/max of i32s, a clamp to a
/// constant (the constant on the left, so the compare is swapped), an i64 max
/// of f64 bits, an i64 compare against a constant that fits 32 bits, and one
/// against a constant that does not, which keeps its compare.
const SELECT_COMPARES: &str = "function %sc(i64, i32, i32, i64, i64) -> i32, i32, i64, i64, i64 {
block0(v0: i64, v1: i32, v2: i32, v3: i64, v4: i64):
    v5 = icmp.i32 slt v1, v2
    v6 = select.i32 v5, v1, v2
    v7 = iconst.i32 100
    v8 = icmp.i32 ugt v7, v1
    v9 = select.i32 v8, v1, v7
    v10 = icmp.i64 sgt v3, v4
    v11 = select.i64 v10, v3, v4
    v12 = iconst.i64 -5
    v13 = icmp.i64 sle v3, v12
    v14 = select.i64 v13, v12, v3
    v15 = iconst.i64 4294967296
    v16 = icmp.i64 uge v4, v15
    v17 = select.i64 v16, v15, v4
    return v6, v9, v11, v14, v17
}";

#[test]
fn select_on_a_compare_is_one_op() {
    let m = module(&[SELECT_COMPARES]);
    let text = listing(&m, 0);
    assert!(text.contains("= select.i32 slt, s1, s2, s1, s2"), "{text}");
    assert!(text.contains("= select.i32 ult, s1, 100, s1, "), "{text}");
    assert!(text.contains("= select.i64 sgt, s3, s4, s3, s4"), "{text}");
    assert!(text.contains("= select.i64 sle, s3, -5, "), "{text}");
    assert_eq!(text.matches("= select ").count(), 1, "the compare with 2^32 stays:\n{text}");
    assert_eq!(text.matches("i64.ge_u").count(), 1, "{text}");
    let f = |a: i32, b: i32, c: i64, d: i64| {
        let r =
            call(&m, 0, &[a as u32 as u64, b as u32 as u64, c as u64, d as u64], 5).expect("call succeeds");
        (r[0] as u32 as i32, r[1] as u32, r[2] as i64, r[3] as i64, r[4])
    };
    assert_eq!(f(-3, 7, 1, 2), (-3, 100, 2, 1, 2));
    assert_eq!(f(9, -1, -7, i64::MIN), (-1, 9, -7, -5, 0x1_0000_0000));
    assert_eq!(f(100, 100, -4, 5), (100, 100, 5, -4, 5));
    assert_eq!(f(i32::MIN, 0, 1 << 40, -1), (i32::MIN, 100, 1 << 40, 1 << 40, 0x1_0000_0000));
}

#[test]
fn compares_with_constants_on_either_side() {
    let m = module(&["function %c(i64, i32, i64) -> i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = iconst.i32 10
    v4 = icmp.i32 slt v3, v1
    v5 = iconst.i64 -1
    v6 = icmp.i64 ult v2, v5
    v7 = icmp.i32 eq v1, v1
    return v4, v6, v7
}"]);
    assert_eq!(call(&m, 0, &[11, 5], 3).expect("call succeeds"), vec![1, 1, 1]);
    assert_eq!(call(&m, 0, &[(-3i32) as u32 as u64, u64::MAX], 3).expect("call succeeds"), vec![0, 0, 1]);
    let text = listing(&m, 0);
    assert!(text.contains("i32.gt_s") && text.contains(", 10"), "swapped compare with an immediate:\n{text}");
}

/// A bytecode VM's register operand, `base + ((insn >> 3) & 0xff0)`, is one op.
#[test]
fn an_offset_from_an_instruction_field_is_one_op() {
    let m = module(&["function %ra(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 3
    v4 = ushr.i32 v2, v3
    v5 = iconst.i32 4080
    v6 = band.i32 v4, v5
    v7 = iadd.i32 v1, v6
    return v7
}"]);
    let text = listing(&m, 0);
    assert!(text.contains("= i32.add_shr_u_and s1, s2, 3, 4080"), "{text}");
    assert_eq!(text.matches(" = ").count(), 1, "{text}");
    let f = |base: u32, insn: u32| call1(&m, 0, &[u64::from(base), u64::from(insn)]) as u32;
    assert_eq!(f(1000, 0x0000_0080), 1016);
    assert_eq!(f(1000, 0xffff_ffff), 1000 + 4080);
    assert_eq!(f(0xffff_fff0, 0x0000_0100), 0x10, "wraps in 32 bits");
    assert_eq!(f(7, 0x8000_0007), 7, "a logical shift: no sign bits reach the mask");
}

/// `1 << n`, `rotl(-2, n)` (`~(1 << n)`) and `0 - x` (`x & -x`): constants on
/// the left of the non-commutative ops C code writes them in are one op each,
/// with no constant in a cell; shift and rotate counts are taken mod 32.
const IMM_LHS: &str = "function %il(i64, i32, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 1
    v4 = ishl.i32 v3, v1
    v5 = iconst.i32 -2
    v6 = rotl.i32 v5, v1
    v7 = iconst.i32 0
    v8 = isub.i32 v7, v2
    v9 = band.i32 v2, v8
    return v4, v6, v9
}";

#[test]
fn constant_left_operands_are_immediates() {
    let m = module(&[IMM_LHS]);
    let text = listing(&m, 0);
    assert!(text.contains("= i32.shl 1, s1"), "{text}");
    assert!(text.contains("= i32.rotl -2, s1"), "{text}");
    assert!(text.contains("= i32.sub 0, s2"), "{text}");
    assert!(!text.contains("const32"), "{text}");
    for (n, x) in [(0u32, 12u32), (5, 0x50), (31, 1), (33, 0x8000_0000), (0xffff_ffff, 0)] {
        let r = call_env(&mut TestEnv::default(), &m, 0, 0, &[u64::from(n), u64::from(x)], 3)
            .expect("call succeeds");
        let want = [1u32.wrapping_shl(n), (-2i32 as u32).rotate_left(n % 32), x & x.wrapping_neg()];
        assert_eq!(r, want.map(u64::from), "n = {n}, x = {x:#x}");
    }
}
