//! Loops, block arguments (parallel moves), branch tables, traps, slot reuse.

use std::sync::Arc;

use zerowasm_interp::{InterpFunc, InterpModule, TrapReason};
use zerowasm_ssa::builder::{BuilderContext, FunctionBuilder};
use zerowasm_ssa::{Function, Opcode, Signature, TrapCode, Type};

use crate::common::*;

const SUM: &str = "function %sum(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    jump block1(v2, v2)
block1(v3: i32, v4: i32):
    v5 = icmp.i32 slt v3, v1
    brif v5, block2, block3
block2:
    v6 = iadd.i32 v4, v3
    v7 = iconst.i32 1
    v8 = iadd.i32 v3, v7
    jump block1(v8, v6)
block3:
    return v4
}";

#[test]
fn sum_loop() {
    let m = module(&[SUM]);
    assert_eq!(call1(&m, 0, &[0]), 0);
    assert_eq!(call1(&m, 0, &[10]), 45);
    assert_eq!(call1(&m, 0, &[100_000]), (0..100_000u64).sum::<u64>() as u32 as u64);
    let text = listing(&m, 0);
    assert!(text.contains("br_i32.ge_s"), "compare and branch fused, inverted to fall through:\n{text}");
    assert!(text.contains("br_i32.lt_s") && !text.contains("jump"), "the loop is rotated:\n{text}");
    // The counter's increment reuses the parameter's cell: no copy for it on the back edge.
    assert!(!text.contains("copy2"), "both loop values coalesced with their parameters:\n{text}");
}

const FIB: &str = "function %fib(i64, i32) -> i64 {
block0(v0: i64, v1: i32):
    v2 = iconst.i64 0
    v3 = iconst.i64 1
    jump block1(v1, v2, v3)
block1(v4: i32, v5: i64, v6: i64):
    brif v4, block2, block3
block2:
    v7 = iadd.i64 v5, v6
    v8 = iconst.i32 1
    v9 = isub.i32 v4, v8
    jump block1(v9, v6, v7)
block3:
    return v5
}";

/// Checks the `%fib` of `text` (either fixture) against Rust's, and returns its module.
fn checked_fib(text: &str) -> Arc<InterpModule> {
    let m = module(&[text]);
    let fib = |n: u32| (0..n).fold((0u64, 1u64), |(a, b), _| (b, a.wrapping_add(b))).0;
    for n in [0, 1, 2, 10, 50, 90] {
        assert_eq!(call1(&m, 0, &[u64::from(n)]), fib(n), "fib({n})");
    }
    m
}

#[test]
fn iterative_fib_shifts_values_through_parameters() {
    checked_fib(FIB);
}

/// [`FIB`] with the addition moved up into the loop header.
const FIB_HEADER: &str = "function %fib(i64, i32) -> i64 {
block0(v0: i64, v1: i32):
    v2 = iconst.i64 0
    v3 = iconst.i64 1
    jump block1(v1, v2, v3)
block1(v4: i32, v5: i64, v6: i64):
    v7 = iadd.i64 v5, v6
    brif v4, block2, block3
block2:
    v8 = iconst.i32 1
    v9 = isub.i32 v4, v8
    jump block1(v9, v6, v7)
block3:
    return v5
}";

#[test]
fn an_edge_with_moves_and_a_jump_is_one_op() {
    let m = checked_fib(FIB_HEADER);
    // The loop header is not a lone branch, so the back edge jumps to it:
    // its two moves and the jump are one op.
    let text = listing(&m, 0);
    assert!(text.contains(" = copy2_jump "), "{text}");
    assert!(!text.contains(": jump"), "{text}");
}

const SWAP: &str = "function %swap(i64, i64, i64, i32) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i32):
    jump block1(v1, v2, v3)
block1(v4: i64, v5: i64, v6: i32):
    brif v6, block2, block3
block2:
    v7 = iconst.i32 1
    v8 = isub.i32 v6, v7
    jump block1(v5, v4, v8)
block3:
    return v4, v5
}";

#[test]
fn block_argument_swap_is_a_parallel_move_cycle() {
    let m = module(&[SWAP]);
    assert_eq!(call(&m, 0, &[11, 22, 0], 2).expect("call succeeds"), vec![11, 22]);
    assert_eq!(call(&m, 0, &[11, 22, 1], 2).expect("call succeeds"), vec![22, 11]);
    assert_eq!(call(&m, 0, &[11, 22, 7], 2).expect("call succeeds"), vec![22, 11]);
    assert_eq!(call(&m, 0, &[11, 22, 1000], 2).expect("call succeeds"), vec![11, 22]);
    let f = m.function(0).expect("translates");
    let text = f.listing();
    // The swap needs the scratch cell: three copies through it.
    let copies = text.matches("copy").count();
    assert!(copies >= 2, "the cycle is broken with a temporary:\n{text}");
}

const ROTATE: &str = "function %rot(i64, i32, i32, i32, i32) -> i32, i32, i32 {
block0(v0: i64, v1: i32, v2: i32, v3: i32, v4: i32):
    jump block1(v1, v2, v3, v4)
block1(v5: i32, v6: i32, v7: i32, v8: i32):
    brif v8, block2, block3
block2:
    v9 = iconst.i32 -1
    v10 = iadd.i32 v8, v9
    jump block1(v6, v7, v5, v10)
block3:
    return v5, v6, v7
}";

#[test]
fn three_way_rotation() {
    let m = module(&[ROTATE]);
    assert_eq!(call(&m, 0, &[1, 2, 3, 1], 3).expect("call succeeds"), vec![2, 3, 1]);
    assert_eq!(call(&m, 0, &[1, 2, 3, 2], 3).expect("call succeeds"), vec![3, 1, 2]);
    assert_eq!(call(&m, 0, &[1, 2, 3, 300], 3).expect("call succeeds"), vec![1, 2, 3]);
}

const SWITCH: &str = "function %switch(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    br_table v1, block4(v2), [block1(v2), block2, block3(v2)]
block1(v3: i32):
    v4 = iconst.i32 100
    v5 = iadd.i32 v3, v4
    return v5
block2:
    v6 = iconst.i32 200
    return v6
block3(v7: i32):
    v8 = iconst.i32 300
    v9 = imul.i32 v7, v8
    return v9
block4(v10: i32):
    v11 = iconst.i32 0
    v12 = isub.i32 v11, v10
    return v12
}";

#[test]
fn br_table_with_arguments() {
    let m = module(&[SWITCH]);
    assert_eq!(call1(&m, 0, &[0, 5]), 105);
    assert_eq!(call1(&m, 0, &[1, 5]), 200);
    assert_eq!(call1(&m, 0, &[2, 5]), 1500);
    assert_eq!(call1(&m, 0, &[3, 5]), (-5i32) as u32 as u64);
    assert_eq!(call1(&m, 0, &[0xffff_ffff, 5]), (-5i32) as u32 as u64, "index is unsigned");
}

/// A C `switch` in a loop: only the exit passes a constant (to `block4`).
const SWITCH_EXIT: &str = "function %dispatch(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 -2
    v4 = iconst.i32 77
    br_table v1, block4(v3), [block1, block2(v2), block4(v4), block1]
block1:
    v5 = iconst.i32 100
    return v5
block2(v6: i32):
    v7 = iconst.i32 3
    v8 = imul.i32 v6, v7
    return v8
block4(v9: i32):
    v10 = iadd.i32 v9, v2
    return v10
}";

#[test]
fn br_table_targets_passing_constants_get_their_own_block() {
    let m = module(&[SWITCH_EXIT]);
    let text = listing(&m, 0);
    let before_table = text.split("br_table").next().unwrap_or_default();
    assert!(!before_table.contains("const"), "no constant runs before the dispatch:\n{text}");
    // One block per distinct (destination, arguments): the default and entry 2.
    let after_table = text.split("br_table").nth(1).unwrap_or_default();
    // Each writes its constant and jumps on in one op.
    assert_eq!(after_table.matches("= const32_jump 4294967294, ").count(), 1, "{text}");
    assert_eq!(after_table.matches("= const32_jump 77, ").count(), 1, "{text}");
    assert_eq!(call1(&m, 0, &[0, 5]), 100);
    assert_eq!(call1(&m, 0, &[1, 5]), 15);
    assert_eq!(call1(&m, 0, &[2, 5]), 82);
    assert_eq!(call1(&m, 0, &[3, 5]), 100);
    assert_eq!(call1(&m, 0, &[4, 5]), 3);
    assert_eq!(call1(&m, 0, &[0xffff_ffff, 5]), 3, "index is unsigned");
}

/// A table whose every entry passes a constant keeps it before the dispatch:
/// a block of its own would only add a jump to every path.
#[test]
fn br_table_where_every_target_gets_a_constant_stays_whole() {
    let m = module(&["function %all(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 9
    br_table v1, block1(v2), [block1(v2), block1(v2)]
block1(v3: i32):
    return v3
}"]);
    let text = listing(&m, 0);
    assert!(text.split("br_table").next().unwrap_or_default().contains("= const32 9"), "{text}");
    assert_eq!(text.matches("jump").count(), 0, "{text}");
    assert_eq!(call1(&m, 0, &[1]), 9);
    assert_eq!(call1(&m, 0, &[7]), 9);
}

/// A switch on cases 2..=4 subtracts 2 first; the table op adds it itself.
#[test]
fn br_table_adds_a_constant_to_its_index_itself() {
    let m = module(&["function %cases(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 -2
    v3 = iadd.i32 v1, v2
    br_table v3, block3, [block1, block2, block1]
block1:
    v4 = iconst.i32 10
    return v4
block2:
    v5 = iconst.i32 20
    return v5
block3:
    v6 = iconst.i32 30
    return v6
}"]);
    let text = listing(&m, 0);
    assert!(text.contains("br_table s1-2, ["), "{text}");
    assert!(!text.contains("i32.add"), "{text}");
    assert_eq!(call1(&m, 0, &[2]), 10);
    assert_eq!(call1(&m, 0, &[3]), 20);
    assert_eq!(call1(&m, 0, &[4]), 10);
    assert_eq!(call1(&m, 0, &[5]), 30);
    // 1 - 2 wraps to 0xffff_ffff: out of range, the default.
    assert_eq!(call1(&m, 0, &[1]), 30);
    assert_eq!(call1(&m, 0, &[0x8000_0001]), 30, "0x7fff_ffff: out of range");
    // A positive addend wraps negative indexes into the table.
    let m2 = module(&["function %wrap(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 5
    v3 = iadd.i32 v1, v2
    br_table v3, block2, [block1, block1]
block1:
    v4 = iconst.i32 1
    return v4
block2:
    v5 = iconst.i32 2
    return v5
}"]);
    assert!(listing(&m2, 0).contains("br_table s1+5, ["), "{}", listing(&m2, 0));
    assert_eq!(call1(&m2, 0, &[0xffff_fffb]), 1, "-5 + 5 = 0");
    assert_eq!(call1(&m2, 0, &[0xffff_fffc]), 1, "-4 + 5 = 1");
    assert_eq!(call1(&m2, 0, &[0xffff_fffd]), 2, "-3 + 5 = 2: the default");
    assert_eq!(call1(&m2, 0, &[0]), 2);
}

/// The value computed on one side of a join takes the cell of the value the
/// other side passes, which dies there: no edge needs a move.
#[test]
fn a_join_shares_the_cell_of_the_value_that_dies_on_one_side() {
    let m = module(&["function %pick(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    v4 = imul.i32 v1, v2
    brif v1, block1, block2(v4)
block1:
    v5 = isub.i32 v4, v3
    jump block2(v5)
block2(v6: i32):
    v7 = imul.i32 v6, v2
    return v7
}"]);
    let text = listing(&m, 0);
    assert!(!text.contains("copy"), "{text}");
    assert_eq!(call1(&m, 0, &[0, 5]), 0);
    assert_eq!(call1(&m, 0, &[2, 5]), (10 - 7) * 5);
}

/// Values a loop's latch passes back to the header take the header
/// parameter's cell even when they reach the latch through a join: then the
/// latch's branch has no moves.
#[test]
fn values_passed_back_through_a_latch_take_the_loop_parameters_cell() {
    let m = module(&["function %latch(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    jump block1(v2, v1)
block1(v3: i32, v4: i32):
    v5 = iconst.i32 1
    v6 = band.i32 v4, v5
    brif v6, block2, block3
block2:
    v7 = iconst.i32 3
    v8 = iadd.i32 v3, v7
    jump block4(v8)
block3:
    v9 = iconst.i32 3
    v10 = imul.i32 v3, v9
    jump block4(v10)
block4(v11: i32):
    v12 = iconst.i32 -1
    v13 = iadd.i32 v4, v12
    brif v13, block1(v11, v13), block5
block5:
    return v11
}"]);
    let text = listing(&m, 0);
    assert!(!text.contains("copy"), "{text}");
    // n = 4, acc = 1: *3, +3, *3, +3.
    assert_eq!(call1(&m, 0, &[4, 1]), 21);
    assert_eq!(call1(&m, 0, &[1, 5]), 8);
}

/// C's `if (!(a > b))` is `br_if (i32.eqz (f64.gt a b))`: one negated
/// float branch, which a NaN takes (`!(NaN > b)` holds).
#[test]
fn a_branch_on_a_negated_float_compare_is_one_op() {
    let m = module(&["function %notgt(i64, f64, f64, f32, f32) -> i32 {
block0(v0: i64, v1: f64, v2: f64, v3: f32, v4: f32):
    v5 = fcmp.f64 gt v1, v2
    v6 = iconst.i32 0
    v7 = icmp.i32 eq v5, v6
    brif v7, block1, block2
block1:
    v8 = iconst.i32 1
    return v8
block2:
    v9 = fcmp.f32 lt v3, v4
    v10 = icmp.i32 ne v9, v6
    brif v10, block3, block4
block3:
    v11 = iconst.i32 2
    return v11
block4:
    v12 = iconst.i32 3
    return v12
}"]);
    let text = listing(&m, 0);
    assert!(!text.contains("f64.gt") && !text.contains("f32.lt"), "{text}");
    assert!(!text.contains("br_i32"), "{text}");
    let f = |a: f64, b: f64, c: f32, d: f32| {
        call1(&m, 0, &[a.to_bits(), b.to_bits(), u64::from(c.to_bits()), u64::from(d.to_bits())])
    };
    assert_eq!(f(1.0, 2.0, 0.0, 0.0), 1);
    assert_eq!(f(2.0, 2.0, 0.0, 0.0), 1);
    assert_eq!(f(f64::NAN, 2.0, 0.0, 0.0), 1);
    assert_eq!(f(1.0, f64::NAN, 0.0, 0.0), 1);
    assert_eq!(f(3.0, 2.0, 1.0, 2.0), 2);
    assert_eq!(f(3.0, 2.0, 2.0, 2.0), 3);
    assert_eq!(f(3.0, 2.0, f32::NAN, 2.0), 3);
}

/// `if (x & FLAG)` and `if (!(x & FLAG))` branch on the masked value in one op.
#[test]
fn a_branch_on_a_flag_test_is_one_op() {
    let m = module(&["function %flags(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 8
    v3 = band.i32 v1, v2
    brif v3, block1, block2
block1:
    v4 = iconst.i32 1
    return v4
block2:
    v5 = iconst.i32 -2147483648
    v6 = band.i32 v1, v5
    v7 = iconst.i32 0
    v8 = icmp.i32 eq v6, v7
    brif v8, block3, block4
block3:
    v9 = iconst.i32 2
    return v9
block4:
    v10 = iconst.i32 3
    return v10
}"]);
    let text = listing(&m, 0);
    assert!(!text.contains("i32.and") && !text.contains("br_if"), "{text}");
    assert_eq!(text.matches("br_and_").count(), 2, "{text}");
    assert_eq!(call1(&m, 0, &[8]), 1);
    assert_eq!(call1(&m, 0, &[0xffff_ffff]), 1);
    assert_eq!(call1(&m, 0, &[7]), 2);
    assert_eq!(call1(&m, 0, &[0]), 2);
    assert_eq!(call1(&m, 0, &[0x8000_0000]), 3);
    assert_eq!(call1(&m, 0, &[0x8000_0007]), 3);
}

#[test]
fn traps_report_code_and_source_offset() {
    let m = module(&["function %t(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
@0010    v2 = iconst.i32 7
@0012    trapz v1, int_divz
@0015    brif v1, block1, block2
block1:
@0020    trap unreachable
block2:
    return v2
}"]);
    let t = call(&m, 0, &[0], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(t.frames.len(), 1);
    assert_eq!((t.frames[0].funcidx, t.frames[0].offset), (0, 0x12));
    let t = call(&m, 0, &[3], 1).expect_err("expected a trap");
    assert_eq!(t.trap_code(), Some(TrapCode::Unreachable));
    assert_eq!(t.frames[0].offset, 0x20);
}

#[test]
fn compare_and_trap_is_fused() {
    let m = module(&["function %t(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp.i32 uge v1, v2
    trapnz v3, table_oob
    v4 = iconst.i32 100
    v5 = icmp.i32 sgt v1, v4
    trapz v5, bad_sig
    return v1
}"]);
    assert_eq!(call1(&m, 0, &[101, 200]), 101);
    assert_eq!(trap_code(&m, 0, &[201, 200]), TrapCode::TableOutOfBounds);
    assert_eq!(trap_code(&m, 0, &[100, 200]), TrapCode::IndirectCallTypeMismatch);
    let text = listing(&m, 0);
    assert!(text.contains("trap_if.i32 uge") && text.contains("trap_if.i32 sle"), "{text}");
}

/// `v_{i+1} = v_i * 3 + i` for `n` steps: every intermediate dies at once.
fn chain(n: usize) -> Function {
    let sig = Signature { params: vec![Type::I64, Type::I64], results: vec![Type::I64] };
    let mut func = Function::new("chain", sig);
    let mut ctx = BuilderContext::default();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let entry = b.create_block();
    let params = b.append_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let mut v = params[1];
    for i in 0..n {
        let three = b.iconst(Type::I64, 3);
        let x = b.binary(Opcode::Imul, Type::I64, v, three);
        let k = b.iconst(Type::I64, i as i64);
        let kk = b.binary(Opcode::Ishl, Type::I64, k, three);
        v = b.binary(Opcode::Iadd, Type::I64, x, kk);
    }
    b.ret(&[v]);
    b.finalize();
    func
}

#[test]
fn slots_are_reused_along_a_long_chain() {
    let n = 2000;
    let f = InterpFunc::compile(&chain(n)).expect("translates");
    // Four cells; every frame has at least five (a short call's argument cells).
    assert_eq!(f.frame_cells(), 5, "a chain of {n} steps needs {} cells", f.frame_cells());
    let m = Arc::new(InterpModule::from_ir(vec![chain(n)]));
    let expect = (0..n as u64).fold(5u64, |v, i| v.wrapping_mul(3).wrapping_add(i << 3));
    assert_eq!(call1(&m, 0, &[5]), expect);
}

#[test]
fn invalid_ir_is_a_loud_error() {
    let mut f = parse(
        "function %bad(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    return v1
}",
    );
    f.signature.results = vec![Type::I64];
    let e = InterpFunc::compile(&f).expect_err("expected a trap");
    assert!(e.to_string().contains("invalid IR"), "{e}");
    let m = Arc::new(InterpModule::from_ir(vec![f]));
    let t = call(&m, 0, &[1], 1).expect_err("expected a trap");
    assert!(matches!(t.reason, TrapReason::Host(_)));
    assert!(m.is_translated(0));
    assert!(m.function(5).is_err());
}

#[test]
fn float_compare_and_branch_handles_nan() {
    let m = module(&["function %f(i64, f32, f32) -> i32 {
block0(v0: i64, v1: f32, v2: f32):
    v3 = fcmp.f32 ge v1, v2
    brif v3, block1, block2
block1:
    v4 = iconst.i32 1
    return v4
block2:
    v5 = iconst.i32 2
    return v5
}"]);
    let b = |x: f32| u64::from(x.to_bits());
    assert_eq!(call1(&m, 0, &[b(2.0), b(1.0)]), 1);
    assert_eq!(call1(&m, 0, &[b(1.0), b(2.0)]), 2);
    assert_eq!(call1(&m, 0, &[b(f32::NAN), b(1.0)]), 2, "not (NaN >= 1)");
    let text = listing(&m, 0);
    assert!(text.contains("br_not_f32 ge"), "negated float branch, no inverse condition:\n{text}");
}

#[test]
fn translate_all_reports_the_lowest_failing_function_on_any_thread_count() {
    // Large enough for the parallel path: 64 functions of a 2000-step chain.
    let mut funcs: Vec<_> = (0..64).map(|_| chain(2000)).collect();
    for bad in [17, 40, 41] {
        funcs[bad].signature.results = vec![Type::I32];
    }
    for threads in [1, 2, 4] {
        let m = InterpModule::from_ir(funcs.clone());
        let e = m.translate_all_on(threads).expect_err("functions 17, 40 and 41 are invalid");
        assert_eq!(e.funcidx, Some(17), "{threads} threads: {e}");
        if threads == 1 {
            assert!(!m.is_translated(18), "one thread stops at the first failure");
        }
    }
    let m = InterpModule::from_ir(funcs[..17].to_vec());
    m.translate_all_on(2).expect("translates");
    assert!((0..17).all(|i| m.is_translated(i)));
}

const EXIT_THROUGH_EMPTY_BLOCKS: &str = "function %count(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    jump block1(v2)
block1(v3: i32):
    v4 = iconst.i32 3
    v5 = iadd.i32 v3, v4
    v6 = icmp.i32 slt v5, v1
    brif v6, block3, block2
block2:
    jump block5
block3:
    v7 = iconst.i32 1
    v8 = isub.i32 v5, v7
    jump block1(v8)
block5:
    jump block4
block4:
    return v5
}";

#[test]
fn branches_to_empty_blocks_go_straight_to_where_they_jump() {
    let m = module(&[EXIT_THROUGH_EMPTY_BLOCKS]);
    assert_eq!(call1(&m, 0, &[0]), 3);
    assert_eq!(call1(&m, 0, &[10]), 11);
    assert_eq!(call1(&m, 0, &[12]), 13);
    // The loop exit takes one op, its inverted compare-and-branch, instead of
    // a branch to the empty block and that block's jump (block2 and block5
    // are not laid out).
    let text = listing(&m, 0);
    assert_eq!(
        text,
        "function %count: 5 cells, 2 param cells, 7 ops
block0:
    0: s0 = const32 0
block1:
    1: s0 = i32.add s0, 3
    2: br_i32.ge_s s0, s1, @5
block3:
    3: s0 = i32.sub s0, 1
    4: jump @1
block4:
    5: return s0
    6: end_of_code
"
    );
}

const EMPTY_CYCLE: &str = "function %spin(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    brif v1, block1, block3
block1:
    jump block2
block2:
    jump block1
block3:
    return v1
}";

#[test]
fn a_cycle_of_empty_blocks_stays_a_loop() {
    let m = module(&[EMPTY_CYCLE]);
    assert_eq!(call1(&m, 0, &[0]), 0);
    let text = listing(&m, 0);
    // One block of the cycle stays and jumps to itself (the other is not laid out).
    assert!(text.contains("    1: jump @1\n"), "{text}");
}

const EDGE_CONSTANT: &str = "function %pick(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iconst.i32 42
    brif v1, block1(v3), block2
block2:
    v5 = iadd.i32 v2, v2
    jump block1(v5)
block1(v8: i32):
    v9 = iconst.i32 1
    v10 = iadd.i32 v8, v9
    return v10
}";

#[test]
fn a_constant_passed_on_one_edge_is_written_on_that_edge() {
    let m = module(&[EDGE_CONSTANT]);
    assert_eq!(call1(&m, 0, &[1, 5]), 43);
    assert_eq!(call1(&m, 0, &[0, 5]), 11);
    let text = listing(&m, 0);
    // The branch comes first: the path that does not pass 42 does not write it.
    let first = text.lines().nth(2).unwrap_or_default();
    assert!(first.starts_with("    0: br_if"), "{text}");
    // The taken edge writes it into the parameter's cell and jumps, in one op.
    assert_eq!(text.matches("= const32_jump 42, ").count(), 1, "{text}");
}

const UNUSED: &str = "function %u(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 7
    v3 = iadd.i32 v1, v2
    v4 = imul.i32 v3, v3
    v5 = load.i32 v0
    v6 = iadd.i32 v1, v1
    return v6
}";

#[test]
fn unused_pure_instructions_and_loads_become_no_ops() {
    // The interpreter's pipeline has no dead-code pass: selection drops
    // them, along with what only they used.
    let m = module(&[UNUSED]);
    assert_eq!(call1(&m, 0, &[21]), 42);
    let text = listing(&m, 0);
    assert!(text.starts_with("function %u: 5 cells, 2 param cells, 3 ops\n"), "{text}");
    assert!(!text.contains("mem.") && !text.contains("mul") && !text.contains("const"), "{text}");
}
