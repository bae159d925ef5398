//! IR-in/IR-out tests of constant folding. Every expected constant was checked by
//! hand against the Wasm semantics (see the comments on each test).

use super::const_fold;
use crate::passes::tests::check;

/// Wrapping arithmetic, shifts and rotates modulo the width, bit counts and
/// extensions, for i32 and i64.
#[test]
fn integer_ops_fold_with_wrapping_by_type() {
    let cx = check(
        const_fold,
        "function %ints(i64) -> i32 {
block0(v0: i64):
    v1 = iconst.i32 2147483647
    v2 = iconst.i32 1
    v3 = iadd.i32 v1, v2
    v4 = imul.i32 v3, v3
    v5 = isub.i32 v4, v2
    v6 = iconst.i32 33
    v7 = ishl.i32 v2, v6
    v8 = ushr.i32 v5, v6
    v9 = sshr.i32 v5, v6
    v10 = rotl.i32 v3, v2
    v11 = rotr.i32 v2, v2
    v12 = clz.i32 v2
    v13 = ctz.i32 v4
    v14 = popcnt.i32 v5
    v15 = band.i32 v8, v11
    v16 = bor.i32 v8, v11
    v17 = bxor.i32 v5, v1
    v18 = iconst.i64 -1
    v19 = uextend.i64 v5
    v20 = sextend.i64 v5
    v21 = iconst.i64 4294967301
    v22 = ireduce.i32 v21
    v23 = iconst.i32 128
    v24 = sextend8.i32 v23
    v25 = iconst.i64 32768
    v26 = sextend16.i64 v25
    v27 = iconst.i64 2147483648
    v28 = sextend32.i64 v27
    v29 = popcnt.i64 v18
    v30 = clz.i64 v29
    v31 = iconst.i64 65
    v32 = ishl.i64 v31, v31
    v33 = rotr.i64 v18, v31
    return v14
}
",
        "function %ints(i64) -> i32 {
block0(v0: i64):
    v1 = iconst.i32 2147483647
    v2 = iconst.i32 1
    v3 = iconst.i32 -2147483648
    v4 = iconst.i32 0
    v5 = iconst.i32 -1
    v6 = iconst.i32 33
    v7 = iconst.i32 2
    v8 = iconst.i32 2147483647
    v9 = iconst.i32 -1
    v10 = iconst.i32 1
    v11 = iconst.i32 -2147483648
    v12 = iconst.i32 31
    v13 = iconst.i32 32
    v14 = iconst.i32 32
    v15 = iconst.i32 0
    v16 = iconst.i32 -1
    v17 = iconst.i32 -2147483648
    v18 = iconst.i64 -1
    v19 = iconst.i64 4294967295
    v20 = iconst.i64 -1
    v21 = iconst.i64 4294967301
    v22 = iconst.i32 5
    v23 = iconst.i32 128
    v24 = iconst.i32 -128
    v25 = iconst.i64 32768
    v26 = iconst.i64 -32768
    v27 = iconst.i64 2147483648
    v28 = iconst.i64 -2147483648
    v29 = iconst.i64 64
    v30 = iconst.i64 57
    v31 = iconst.i64 65
    v32 = iconst.i64 130
    v33 = iconst.i64 -1
    return v14
}
",
    );
    assert_eq!(cx.stats.consts_folded, 24);
}

/// Division by zero and `MIN / -1` stay (they trap at run time); `MIN % -1` is 0.
#[test]
fn divisions_fold_only_when_they_cannot_trap() {
    let cx = check(
        const_fold,
        "function %div(i64) -> i32 {
block0(v0: i64):
    v1 = iconst.i32 -2147483648
    v2 = iconst.i32 -1
    v3 = iconst.i32 0
    v4 = iconst.i32 -7
    v5 = iconst.i32 2
    v6 = sdiv.i32 v4, v3
    v7 = sdiv.i32 v1, v2
    v8 = srem.i32 v1, v2
    v9 = udiv.i32 v2, v5
    v10 = urem.i32 v4, v3
    v11 = sdiv.i32 v4, v5
    v12 = srem.i32 v4, v5
    v13 = urem.i32 v4, v5
    v14 = iconst.i64 -9223372036854775808
    v15 = iconst.i64 -1
    v16 = sdiv.i64 v14, v15
    v17 = udiv.i64 v14, v15
    return v8
}
",
        "function %div(i64) -> i32 {
block0(v0: i64):
    v1 = iconst.i32 -2147483648
    v2 = iconst.i32 -1
    v3 = iconst.i32 0
    v4 = iconst.i32 -7
    v5 = iconst.i32 2
    v6 = sdiv.i32 v4, v3
    v7 = sdiv.i32 v1, v2
    v8 = iconst.i32 0
    v9 = iconst.i32 2147483647
    v10 = urem.i32 v4, v3
    v11 = iconst.i32 -3
    v12 = iconst.i32 -1
    v13 = iconst.i32 1
    v14 = iconst.i64 -9223372036854775808
    v15 = iconst.i64 -1
    v16 = sdiv.i64 v14, v15
    v17 = iconst.i64 0
    return v8
}
",
    );
    assert_eq!(cx.stats.consts_folded, 6);
}

/// Signed and unsigned conditions per width; `x cc x` is decided without constants.
#[test]
fn comparisons_of_constants_and_of_a_value_with_itself() {
    let cx = check(
        const_fold,
        "function %cmp(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 -1
    v3 = iconst.i32 0
    v4 = icmp.i32 slt v2, v3
    v5 = icmp.i32 ult v2, v3
    v6 = icmp.i32 sge v1, v1
    v7 = icmp.i32 ne v1, v1
    v8 = icmp.i32 eq v1, v3
    v9 = iconst.i64 4294967295
    v10 = iconst.i64 -1
    v11 = icmp.i64 ugt v10, v9
    v12 = icmp.i64 sgt v10, v9
    return v4
}
",
        "function %cmp(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 -1
    v3 = iconst.i32 0
    v4 = iconst.i32 1
    v5 = iconst.i32 0
    v6 = iconst.i32 1
    v7 = iconst.i32 0
    v8 = icmp.i32 eq v1, v3
    v9 = iconst.i64 4294967295
    v10 = iconst.i64 -1
    v11 = iconst.i32 1
    v12 = iconst.i32 0
    return v4
}
",
    );
    assert_eq!(cx.stats.consts_folded, 6);
}

/// IEEE arithmetic folds unless the result is NaN; `fneg`/`fabs`/`fcopysign` are bit
/// operations and fold even on NaN; `fmin`/`fmax` need non-NaN operands and order -0 below +0.
#[test]
fn floats_fold_bit_exactly_and_never_to_nan() {
    let cx = check(
        const_fold,
        "function %floats(i64) -> f32 {
block0(v0: i64):
    v1 = f32const 0x3f800000 ; 1
    v2 = f32const 0x40000000 ; 2
    v3 = fadd.f32 v1, v2
    v4 = f32const 0x00000000 ; 0
    v5 = fdiv.f32 v4, v4
    v6 = f32const 0x80000000 ; -0
    v7 = fmin.f32 v4, v6
    v8 = fmax.f32 v6, v4
    v9 = f32const 0x7fc00000 ; NaN
    v10 = fmin.f32 v9, v1
    v11 = fneg.f32 v9
    v12 = fcopysign.f32 v1, v6
    v13 = f32const 0x40200000 ; 2.5
    v14 = fnearest.f32 v13
    v15 = fsqrt.f32 v2
    v16 = fneg.f32 v1
    v17 = fsqrt.f32 v16
    v18 = fpromote.f64 v1
    v19 = f64const 0x3fb999999999999a ; 0.1
    v20 = fdemote.f32 v19
    v21 = fcmp.f32 lt v1, v2
    v22 = fcmp.f32 ne v9, v9
    v23 = fcmp.f32 eq v9, v9
    v24 = f32const 0xbf000000 ; -0.5
    v25 = fceil.f32 v24
    v26 = ffloor.f32 v24
    v27 = fmul.f64 v18, v19
    v28 = fsub.f64 v18, v18
    v29 = fabs.f32 v16
    return v3
}
",
        "function %floats(i64) -> f32 {
block0(v0: i64):
    v1 = f32const 0x3f800000 ; 1
    v2 = f32const 0x40000000 ; 2
    v3 = f32const 0x40400000 ; 3
    v4 = f32const 0x00000000 ; 0
    v5 = fdiv.f32 v4, v4
    v6 = f32const 0x80000000 ; -0
    v7 = f32const 0x80000000 ; -0
    v8 = f32const 0x00000000 ; 0
    v9 = f32const 0x7fc00000 ; NaN
    v10 = fmin.f32 v9, v1
    v11 = f32const 0xffc00000 ; NaN
    v12 = f32const 0xbf800000 ; -1
    v13 = f32const 0x40200000 ; 2.5
    v14 = f32const 0x40000000 ; 2
    v15 = f32const 0x3fb504f3 ; 1.4142135
    v16 = f32const 0xbf800000 ; -1
    v17 = fsqrt.f32 v16
    v18 = f64const 0x3ff0000000000000 ; 1
    v19 = f64const 0x3fb999999999999a ; 0.1
    v20 = f32const 0x3dcccccd ; 0.1
    v21 = iconst.i32 1
    v22 = iconst.i32 1
    v23 = iconst.i32 0
    v24 = f32const 0xbf000000 ; -0.5
    v25 = f32const 0x80000000 ; -0
    v26 = f32const 0xbf800000 ; -1
    v27 = f64const 0x3fb999999999999a ; 0.1
    v28 = f64const 0x0000000000000000 ; 0
    v29 = f32const 0x3f800000 ; 1
    return v3
}
",
    );
    assert_eq!(cx.stats.consts_folded, 18);
}

/// Trapping float-to-int conversions fold only in range (NaN and out-of-range stay);
/// the saturating ones always fold; int-to-float rounds to nearest even.
#[test]
fn conversions_fold_in_range_and_saturate() {
    let cx = check(
        const_fold,
        "function %cvt(i64) -> i32 {
block0(v0: i64):
    v1 = f64const 0x41dffffffff9999a ; 2147483647.9
    v2 = fcvt_to_sint.i32 v1
    v3 = f64const 0x41e0000000000000 ; 2147483648
    v4 = fcvt_to_sint.i32 v3
    v5 = fcvt_to_uint.i32 v3
    v6 = f64const 0xbfeccccccccccccd ; -0.9
    v7 = fcvt_to_uint.i32 v6
    v8 = f64const 0xbff0000000000000 ; -1
    v9 = fcvt_to_uint.i64 v8
    v10 = f64const 0x7ff8000000000000 ; NaN
    v11 = fcvt_to_sint.i64 v10
    v12 = fcvt_to_sint_sat.i32 v10
    v13 = f64const 0x46293e5939a08cea ; 1000000000000000000000000000000
    v14 = fcvt_to_uint_sat.i64 v13
    v15 = fcvt_to_sint_sat.i32 v8
    v16 = fcvt_to_uint_sat.i32 v8
    v17 = iconst.i32 -1
    v18 = fcvt_from_sint.f32 v17
    v19 = fcvt_from_uint.f32 v17
    v20 = iconst.i64 -1
    v21 = fcvt_from_uint.f64 v20
    v22 = f32const 0x3f800000 ; 1
    v23 = bitcast.i32 v22
    v24 = bitcast.f64 v20
    v25 = f64const 0xc1e00000001ccccd ; -2147483648.9
    v26 = fcvt_to_sint.i32 v25
    v27 = f64const 0x41effffffff00000 ; 4294967295.5
    v28 = fcvt_to_uint.i32 v27
    v29 = f32const 0x4f000000 ; 2147483600
    v30 = fcvt_to_sint.i32 v29
    v31 = iconst.i64 9007199254740993
    v32 = fcvt_from_sint.f64 v31
    return v2
}
",
        "function %cvt(i64) -> i32 {
block0(v0: i64):
    v1 = f64const 0x41dffffffff9999a ; 2147483647.9
    v2 = iconst.i32 2147483647
    v3 = f64const 0x41e0000000000000 ; 2147483648
    v4 = fcvt_to_sint.i32 v3
    v5 = iconst.i32 -2147483648
    v6 = f64const 0xbfeccccccccccccd ; -0.9
    v7 = iconst.i32 0
    v8 = f64const 0xbff0000000000000 ; -1
    v9 = fcvt_to_uint.i64 v8
    v10 = f64const 0x7ff8000000000000 ; NaN
    v11 = fcvt_to_sint.i64 v10
    v12 = iconst.i32 0
    v13 = f64const 0x46293e5939a08cea ; 1000000000000000000000000000000
    v14 = iconst.i64 -1
    v15 = iconst.i32 -1
    v16 = iconst.i32 0
    v17 = iconst.i32 -1
    v18 = f32const 0xbf800000 ; -1
    v19 = f32const 0x4f800000 ; 4294967300
    v20 = iconst.i64 -1
    v21 = f64const 0x43f0000000000000 ; 18446744073709552000
    v22 = f32const 0x3f800000 ; 1
    v23 = iconst.i32 1065353216
    v24 = f64const 0xffffffffffffffff ; NaN
    v25 = f64const 0xc1e00000001ccccd ; -2147483648.9
    v26 = iconst.i32 -2147483648
    v27 = f64const 0x41effffffff00000 ; 4294967295.5
    v28 = iconst.i32 -1
    v29 = f32const 0x4f000000 ; 2147483600
    v30 = fcvt_to_sint.i32 v29
    v31 = iconst.i64 9007199254740993
    v32 = f64const 0x4340000000000000 ; 9007199254740992
    return v2
}
",
    );
    assert_eq!(cx.stats.consts_folded, 15);
}

/// `brif`/`br_table` on constants become jumps; a `brif` with two equal destinations too;
/// `select` on a constant or of equal operands is an alias; traps that cannot fire go,
/// traps that always fire stay.
#[test]
fn constant_branches_selects_and_traps() {
    let cx = check(
        const_fold,
        "function %branches(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = iconst.i32 5
    v4 = select.i32 v2, v1, v3
    v5 = select.i32 v1, v3, v3
    trapz v3, int_divz
    trapnz v2, int_ovf
    trapnz v3, heap_oob
    brif v2, block1(v4), block2(v5)
block1(v6: i32):
    return v6
block2(v7: i32):
    v8 = iconst.i32 1
    br_table v8, block3(v7), [block3(v1), block4(v7), block3(v7)]
block3(v9: i32):
    brif v9, block1(v9), block1(v9)
block4(v10: i32):
    v11 = iconst.i32 7
    br_table v11, block3(v10), [block4(v10)]
}
",
        "function %branches(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = iconst.i32 5
    trapnz v3, heap_oob
    jump block2(v3)
block1(v6: i32):
    return v6
block2(v7: i32):
    v8 = iconst.i32 1
    jump block4(v7)
block3(v9: i32):
    jump block1(v9)
block4(v10: i32):
    v11 = iconst.i32 7
    jump block3(v10)
}
",
    );
    assert_eq!(cx.stats.branches_folded, 4);
}

/// Chains of identities collapse to the original operand; `x*0`, `x&0`, `x|-1`, `x-x`,
/// `x^x` become constants; `0 - x` and `x / 1` are left alone.
#[test]
fn integer_identities_become_aliases_or_constants() {
    let cx = check(
        const_fold,
        "function %identities(i64, i32, i64) -> i32 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = iconst.i32 0
    v4 = iconst.i32 1
    v5 = iconst.i32 -1
    v6 = iadd.i32 v1, v3
    v7 = iadd.i32 v3, v6
    v8 = isub.i32 v7, v3
    v9 = imul.i32 v4, v8
    v10 = band.i32 v9, v5
    v11 = bor.i32 v3, v10
    v12 = bxor.i32 v11, v3
    v13 = iconst.i32 32
    v14 = ishl.i32 v12, v13
    v15 = rotr.i32 v14, v3
    v16 = imul.i32 v15, v3
    v17 = band.i32 v3, v15
    v18 = bor.i32 v15, v5
    v19 = isub.i32 v15, v15
    v20 = bxor.i32 v15, v15
    v21 = band.i32 v15, v15
    v22 = iconst.i64 64
    v23 = sshr.i64 v2, v22
    v24 = iconst.i64 0
    v25 = iadd.i64 v23, v24
    v26 = iconst.i64 -1
    v27 = band.i64 v25, v26
    v28 = iconst.i64 4294967295
    v29 = band.i64 v27, v28
    v30 = isub.i32 v3, v21
    v31 = udiv.i32 v21, v4
    return v31
}
",
        "function %identities(i64, i32, i64) -> i32 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = iconst.i32 0
    v4 = iconst.i32 1
    v5 = iconst.i32 -1
    v13 = iconst.i32 32
    v16 = iconst.i32 0
    v17 = iconst.i32 0
    v18 = iconst.i32 -1
    v19 = iconst.i32 0
    v20 = iconst.i32 0
    v22 = iconst.i64 64
    v24 = iconst.i64 0
    v26 = iconst.i64 -1
    v28 = iconst.i64 4294967295
    v29 = band.i64 v2, v28
    v30 = isub.i32 v3, v1
    v31 = udiv.i32 v1, v4
    return v31
}
",
    );
    assert_eq!(cx.stats.identities_simplified, 13);
}

/// Blocks are visited in reverse post-order, not layout order, so a constant
/// defined in a block laid out after its use still folds in one run.
#[test]
fn chains_fold_across_blocks_in_dominance_order() {
    check(
        const_fold,
        "function %order(i64) -> i32 {
block0(v0: i64):
    jump block2
block1:
    v3 = iadd.i32 v1, v1
    v4 = imul.i32 v3, v3
    return v4
block2:
    v1 = iconst.i32 4
    jump block1
}
",
        "function %order(i64) -> i32 {
block0(v0: i64):
    jump block2
block1:
    v3 = iconst.i32 8
    v4 = iconst.i32 64
    return v4
block2:
    v1 = iconst.i32 4
    jump block1
}
",
    );
}

/// Vector operations and unknown operands are left alone.
#[test]
fn non_constant_and_vector_operands_stay() {
    let text = "function %rest(i64, i32, v128) -> v128 {
block0(v0: i64, v1: i32, v2: v128):
    v3 = iconst.i32 3
    v4 = iadd.i32 v1, v3
    v5 = i32x4.splat v3
    v6 = i32x4.add v5, v2
    v7 = insertlane.i32x4 v6, v4, 0
    return v7
}
";
    check(const_fold, text, text);
}
