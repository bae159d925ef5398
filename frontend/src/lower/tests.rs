//! The lowering of small modules, checked as exact IR text (each function is
//! also run through the verifier).

use zerowasm_ssa::printer::{PrintOptions, print_function};
use zerowasm_ssa::verifier::verify_function;

use super::numeric::scalar;
use super::simd::vec_op;
use super::{LowerConfig, LowerContext, ir_type, lower_function};
use crate::simple_ops::SimpleOp;
use crate::{CoreFeatures, ModuleInfo, validate};

fn module(wat: &str, features: CoreFeatures) -> (Vec<u8>, ModuleInfo) {
    let bytes = wat::parse_str(wat).expect("wat parses");
    let module = validate(&bytes, features).expect("module validates");
    (bytes, module)
}

/// Lowers every defined function of `wat`, verifying each, and returns the IR text.
fn lower_with(wat: &str, features: CoreFeatures, config: LowerConfig) -> String {
    let (bytes, module) = module(wat, features);
    let mut cx = LowerContext::new();
    let mut out = String::new();
    for i in 0..module.bodies.len() as u32 {
        let funcidx = module.num_imported_functions + i;
        let func = lower_function(&module, &bytes, funcidx, &config, &mut cx).expect("lowers");
        if let Err(e) = verify_function(&func) {
            panic!("{func}\nverifier: {e}");
        }
        out.push_str(&func.to_string());
    }
    out
}

fn lower_wat(wat: &str) -> String {
    lower_with(wat, CoreFeatures::V2, LowerConfig::default())
}

fn lower_instrumented(wat: &str) -> String {
    lower_with(wat, CoreFeatures::V2, LowerConfig { interrupt_checks: true, fuel: true, listener: false })
}

fn lower_multi_memory(wat: &str) -> String {
    lower_with(wat, CoreFeatures::V2 | CoreFeatures::MULTI_MEMORY, LowerConfig::default())
}

#[test]
fn add_is_one_instruction() {
    assert_eq!(
        lower_wat(r##"(module (func $add (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"##),
        "function %add(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd.i32 v1, v2
    return v3
}
"
    );
}

#[test]
fn unnamed_functions_are_named_by_index() {
    assert_eq!(
        lower_wat(r##"(module (func (result i64) i64.const -1))"##),
        "function %f0(i64) -> i64 {
block0(v0: i64):
    v1 = iconst.i64 -1
    return v1
}
"
    );
}

#[test]
fn loop_with_locals_gets_header_parameters() {
    assert_eq!(
        lower_wat(
            r##"(module (func $sum (param $n i32) (result i32) (local $i i32) (local $s i32)
  (block $exit (loop $top
    (br_if $exit (i32.ge_s (local.get $i) (local.get $n)))
    (local.set $s (i32.add (local.get $s) (local.get $i)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $top)))
  (local.get $s)))"##
        ),
        "function %sum(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    jump block1(v2, v2)
block1(v3: i32, v6: i32):
    v5 = icmp.i32 sge v3, v1
    brif v5, block2, block3
block3:
    v7 = iadd.i32 v6, v3
    v8 = iconst.i32 1
    v9 = iadd.i32 v3, v8
    jump block1(v9, v7)
block2:
    return v6
}
"
    );
}

#[test]
fn memory_zero_accesses_are_one_checked_instruction_each() {
    assert_eq!(
        lower_wat(
            r##"(module (memory 1) (func $ld (param i32) (result i32)
  (i64.store32 offset=4 (local.get 0) (i64.load8_s (local.get 0)))
  (i32.load offset=8 (local.get 0))))"##
        ),
        "function %ld(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = heap_sload8.i64 v1
    heap_istore32.i64 v2, v1+4
    v3 = heap_load.i32 v1+8
    return v3
}
"
    );
}

#[test]
fn store_to_second_memory() {
    assert_eq!(
        lower_multi_memory(
            r##"(module (memory 1) (memory $m 2) (func $st (param i32 i64) (i64.store16 $m offset=3 (local.get 0) (local.get 1))))"##
        ),
        "function %st(i64, i32, i64) {
block0(v0: i64, v1: i32, v2: i64):
    v3 = load.i64 v0+48
    v4 = load.i64 v3+8
    v5 = uextend.i64 v1
    v6 = iconst.i64 5
    v7 = iadd.i64 v5, v6
    v8 = icmp.i64 ugt v7, v4
    trapnz v8, heap_oob
    v9 = load.i64 v3
    v10 = iadd.i64 v9, v5
    istore16.i64 v2, v10+3
    return
}
"
    );
}

#[test]
fn call_indirect_checks_bounds_null_and_type() {
    assert_eq!(
        lower_wat(
            r##"(module (type $t (func (param i32) (result i32))) (table 2 funcref)
  (func $ci (param i32 i32) (result i32) (call_indirect (type $t) (local.get 0) (local.get 1))))"##
        ),
        "function %ci(i64, i32, i32) -> i32 {
    sig0 = (i64, i32) -> i32
block0(v0: i64, v1: i32, v2: i32):
    v3 = load.i64 v0+40
    v4 = load.i64 v3+8
    v5 = uextend.i64 v2
    v6 = icmp.i64 uge v5, v4
    trapnz v6, undef_elem
    v7 = load.i64 v3
    v8 = iconst.i64 3
    v9 = ishl.i64 v5, v8
    v10 = iadd.i64 v7, v9
    v11 = load.i64 v10
    trapz v11, null_elem
    v12 = load.i64 v11+16
    v13 = load.i64 v0+56
    v14 = icmp.i64 ne v12, v13
    trapnz v14, bad_sig
    v15 = load.i64 v11
    v16 = load.i64 v11+8
    v17 = call_indirect sig0, v15(v16, v1)
    return v17
}
"
    );
}

#[test]
fn if_else_merges_through_a_block_parameter() {
    assert_eq!(
        lower_wat(
            r##"(module (func $if (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))"##
        ),
        "function %if(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    brif v1, block1, block2
block1:
    v2 = iconst.i32 1
    jump block3(v2)
block2:
    v4 = iconst.i32 2
    jump block3(v4)
block3(v3: i32):
    return v3
}
"
    );
}

#[test]
fn if_without_else_passes_its_parameters_on() {
    assert_eq!(
        lower_wat(
            r##"(module (func $ifnoelse (param i32 i32) (result i32) (local.get 1) (if (param i32) (result i32) (local.get 0) (then (i32.const 1) (i32.add)))))"##
        ),
        "function %ifnoelse(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    brif v1, block1, block2
block1:
    v3 = iconst.i32 1
    v4 = iadd.i32 v2, v3
    jump block3(v4)
block2:
    jump block3(v2)
block3(v5: i32):
    return v5
}
"
    );
}

#[test]
fn br_table_targets_blocks_and_the_function() {
    assert_eq!(
        lower_wat(
            r##"(module (func $bt (param i32) (result i32)
  (block (result i32) (block (result i32) (i32.const 7) (local.get 0) (br_table 0 1 2)) (i32.const 1) (i32.add))))"##
        ),
        "function %bt(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 7
    br_table v1, block3(v2), [block1(v2), block2(v2)]
block1(v3: i32):
    v6 = iconst.i32 1
    v7 = iadd.i32 v3, v6
    jump block2(v7)
block2(v4: i32):
    return v4
block3(v5: i32):
    return v5
}
"
    );
}

#[test]
fn br_if_to_the_function_goes_through_a_return_block() {
    assert_eq!(
        lower_wat(
            r##"(module (func $brif_ret (param i32) (result i32) (i32.const 5) (local.get 0) (br_if 0) (drop) (i32.const 6)))"##
        ),
        "function %brif_ret(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 5
    brif v1, block1(v2), block2
block2:
    v4 = iconst.i32 6
    return v4
block1(v3: i32):
    return v3
}
"
    );
}

#[test]
fn unreachable_code_is_skipped() {
    assert_eq!(
        lower_wat(
            r##"(module (func $dead (param i32) (result i32)
  (block (result i32) (i32.const 1) (br 0) (i32.const 2) (if (then (unreachable))) (loop (br 0)) (i32.add))
  (if (local.get 0) (then (unreachable) (nop)) (else (return (i32.const 3))))
  (unreachable)))"##
        ),
        "function %dead(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 1
    jump block1(v2)
block1(v3: i32):
    brif v1, block2, block3
block2:
    trap unreachable
block3:
    v4 = iconst.i32 3
    return v4
}
"
    );
}

#[test]
fn calls_globals_and_memory_builtins() {
    assert_eq!(
        lower_wat(
            r##"(module (import "m" "f" (func $imp (param i32) (result i32))) (global $g (mut i64) (i64.const 0)) (memory 1)
  (func $misc (param i32) (result i32)
    (global.set $g (i64.extend_i32_u (local.get 0)))
    (drop (memory.grow (i32.const 1)))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
    (call $misc (call $imp (memory.size)))))"##
        ),
        "function %misc(i64, i32) -> i32 {
    sig0 = (i64, i32, i32) -> i32
    sig1 = (i64, i32, i32, i32, i32)
    sig2 = (i64, i32) -> i32
    fn0 = %misc sig2
    builtin0 = memory_grow sig0
    builtin1 = memory_fill sig1
block0(v0: i64, v1: i32):
    v2 = uextend.i64 v1
    v3 = load.i64 v0+48
    store.i64 v2, v3
    v4 = iconst.i32 1
    v5 = iconst.i32 0
    v6 = call_builtin memory_grow(v0, v5, v4)
    v7 = iconst.i32 0
    v8 = iconst.i32 0
    v9 = iconst.i32 4
    v10 = iconst.i32 0
    call_builtin memory_fill(v0, v10, v7, v8, v9)
    v11 = load.i64 v0+40
    v12 = load.i64 v11+8
    v13 = iconst.i64 16
    v14 = ushr.i64 v12, v13
    v15 = ireduce.i32 v14
    v16 = load.i64 v0+56
    v17 = load.i64 v16
    v18 = load.i64 v16+8
    v19 = call_indirect sig2, v17(v18, v15)
    v20 = call fn0(v0, v19)
    return v20
}
"
    );
}

#[test]
fn multi_value_loop_parameters() {
    assert_eq!(
        lower_wat(
            r##"(module (func $fib (param $n i32) (result i32) (local $t i32) (local $s i32)
  (i32.const 0) (i32.const 1)
  (loop $l (param i32 i32) (result i32)
    (local.tee $t) (i32.add) (local.set $s)
    (local.get $t) (local.get $s)
    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))
    (drop))))"##
        ),
        "function %fib(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = iconst.i32 0
    v4 = iconst.i32 1
    jump block1(v3, v4, v1)
block1(v5: i32, v6: i32, v8: i32):
    v7 = iadd.i32 v5, v6
    v9 = iconst.i32 1
    v10 = isub.i32 v8, v9
    brif v10, block1(v6, v7, v10), block2
block2:
    return v6
}
"
    );
}

#[test]
fn tables_and_references() {
    assert_eq!(
        lower_wat(
            r##"(module (table 1 externref) (func $t (param i32 externref) (result i32)
  (table.set 0 (local.get 0) (local.get 1))
  (ref.is_null (table.get 0 (local.get 0)))
  (table.size 0) (i32.add)
  (drop (table.grow 0 (ref.null extern) (i32.const 2)))))"##
        ),
        "function %t(i64, i32, i64) -> i32 {
    sig0 = (i64, i32, i64, i32) -> i32
    builtin0 = table_grow sig0
block0(v0: i64, v1: i32, v2: i64):
    v3 = load.i64 v0+40
    v4 = load.i64 v3+8
    v5 = uextend.i64 v1
    v6 = icmp.i64 uge v5, v4
    trapnz v6, table_oob
    v7 = load.i64 v3
    v8 = iconst.i64 3
    v9 = ishl.i64 v5, v8
    v10 = iadd.i64 v7, v9
    store.i64 v2, v10
    v11 = load.i64 v0+40
    v12 = load.i64 v11+8
    v13 = uextend.i64 v1
    v14 = icmp.i64 uge v13, v12
    trapnz v14, table_oob
    v15 = load.i64 v11
    v16 = iconst.i64 3
    v17 = ishl.i64 v13, v16
    v18 = iadd.i64 v15, v17
    v19 = load.i64 v18
    v20 = iconst.i64 0
    v21 = icmp.i64 eq v19, v20
    v22 = load.i64 v0+40
    v23 = load.i64 v22+8
    v24 = ireduce.i32 v23
    v25 = iadd.i32 v21, v24
    v26 = iconst.i64 0
    v27 = iconst.i32 2
    v28 = iconst.i32 0
    v29 = call_builtin table_grow(v0, v28, v26, v27)
    return v25
}
"
    );
}

#[test]
fn simd_loads_lanes_shuffles_and_ops() {
    assert_eq!(
        lower_wat(
            r##"(module (memory 1) (func $simd (param i32) (result i32)
  (local $v v128)
  (local.set $v (v128.load32_splat offset=4 (local.get 0)))
  (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
  (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get $v) (local.get $v)))
  (v128.store8_lane 3 (local.get 0) (local.get $v))
  (local.set $v (i16x8.replace_lane 2 (local.get $v) (i32.const 9)))
  (i8x16.extract_lane_s 15 (local.get $v))))"##
        ),
        "function %simd(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = vconst 0x00000000000000000000000000000000
    v3 = heap_load32_splat.v128 v1+4
    v4 = vconst 0x00000004000000030000000200000001
    v5 = i32x4.add v3, v4
    v6 = shuffle v5, v5, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31]
    v7 = load.i64 v0+40
    v8 = load.i64 v7+8
    v9 = uextend.i64 v1
    v10 = iconst.i64 1
    v11 = iadd.i64 v9, v10
    v12 = icmp.i64 ugt v11, v8
    trapnz v12, heap_oob
    v13 = load.i64 v7
    v14 = iadd.i64 v13, v9
    store_lane.i8x16_u v6, v14, 3
    v15 = iconst.i32 9
    v16 = insertlane.i16x8_u v6, v15, 2
    v17 = extractlane.i8x16_s v16, 15
    return v17
}
"
    );
}

#[test]
fn interrupt_checks_and_fuel() {
    assert_eq!(
        lower_instrumented(
            r##"(module (func $count (param $n i32) (result i32) (local $i i32)
  (loop $top
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $top (i32.lt_s (local.get $i) (local.get $n))))
  (local.get $i)))"##
        ),
        "function %count(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    v3 = load.i64 v0+16
    v4 = load.i32 v3
    brif v4, block1, block2
block2:
    v5 = load.i64 v0+24
    v6 = load.i64 v5
    v7 = iconst.i64 1
    v8 = isub.i64 v6, v7
    store.i64 v8, v5
    v9 = icmp.i64 slt v6, v7
    trapnz v9, out_of_fuel
    jump block3(v2)
block3(v17: i32):
    v10 = load.i64 v0+16
    v11 = load.i32 v10
    brif v11, block4, block5
block5:
    v12 = load.i64 v0+24
    v13 = load.i64 v12
    v14 = iconst.i64 8
    v15 = isub.i64 v13, v14
    store.i64 v15, v12
    v16 = icmp.i64 slt v13, v14
    trapnz v16, out_of_fuel
    v18 = iconst.i32 1
    v19 = iadd.i32 v17, v18
    v21 = icmp.i32 slt v19, v1
    brif v21, block3(v19), block6
block6:
    v22 = load.i64 v0+24
    v23 = load.i64 v22
    v24 = iconst.i64 3
    v25 = isub.i64 v23, v24
    store.i64 v25, v22
    v26 = icmp.i64 slt v23, v24
    trapnz v26, out_of_fuel
    return v19
block1:
    trap interrupt
block4:
    trap interrupt
}
"
    );
}

#[test]
fn instructions_carry_their_wasm_offsets() {
    let (bytes, module) = module(
        "(module (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))",
        CoreFeatures::V2,
    );
    let func = lower_function(&module, &bytes, 0, &LowerConfig::default(), &mut LowerContext::new())
        .expect("lowers");
    let body = module.bodies[0].range.start;
    // The body is: locals count (1 byte), local.get 0 (2), local.get 1 (2), i32.div_s (1), end (1).
    let text = print_function(&func, PrintOptions { srclocs: true });
    let div = format!("@{:04x} v3 = sdiv.i32 v1, v2", body + 5);
    let ret = format!("@{:04x} return v3", body + 6);
    assert!(text.contains(&div) && text.contains(&ret), "{text}");
}

#[test]
fn every_simple_op_has_an_ir_form() {
    for (i, &op) in SimpleOp::ALL.iter().enumerate() {
        // `vec_op` indexes its table by discriminant, which must be the position in `ALL`.
        assert_eq!(op as usize, i, "{}", op.name());
        let sig = op.sig();
        if op.feature() == Some(CoreFeatures::SIMD) {
            let vop = vec_op(op).unwrap_or_else(|| panic!("no VecOp for {}", op.name()));
            let params: Vec<_> = sig.params.iter().map(|&t| ir_type(t)).collect();
            assert_eq!(vop.sig().params, &params[..], "{}", op.name());
            assert_eq!(vop.sig().result, ir_type(sig.result), "{}", op.name());
        } else {
            assert!(scalar(op).is_some(), "no scalar lowering for {}", op.name());
            assert!(vec_op(op).is_none(), "{}", op.name());
        }
    }
}

#[test]
fn only_defined_functions_lower() {
    let (bytes, module) = module(r#"(module (import "m" "f" (func)) (func (call 0)))"#, CoreFeatures::V2);
    let mut cx = LowerContext::new();
    let config = LowerConfig::default();
    assert!(lower_function(&module, &bytes, 0, &config, &mut cx).is_err());
    assert!(lower_function(&module, &bytes, 2, &config, &mut cx).is_err());
    assert!(lower_function(&module, &bytes[..bytes.len() - 4], 1, &config, &mut cx).is_err());
    let func = lower_function(&module, &bytes, 1, &config, &mut cx).expect("lowers");
    verify_function(&func).expect("valid IR");
}

#[test]
fn corrupted_bodies_give_errors_not_panics() {
    // Validation happened on the original bytes; every single-byte corruption
    // of the bodies must still lower without panicking.
    let src = r#"(module (memory 1) (table 2 funcref) (global $g (mut i32) (i32.const 0))
        (type $t (func (param i32) (result i32)))
        (func $f (param i32) (result i32) (local i64 v128)
          (block $b (result i32)
            (i32.const 5)
            (loop $l (param i32) (result i32)
              (if (result i32) (local.get 0)
                (then (br_table $b $l $b (i32.const 1) (i32.const 0)))
                (else (call_indirect (type $t) (i32.const 2) (i32.const 0))))
              (i32.add)
              (global.set $g (i32.load8_u offset=3 (local.get 0)))
              (i64x2.extract_lane 1 (v128.load (i32.const 0)))
              (drop)
              (select (i32.const 1) (local.get 0)))
            (br 0)))
        (func $g (param i32) (result i32) (i32.const 1)))"#;
    let (bytes, module) = module(src, CoreFeatures::V2);
    let mut cx = LowerContext::new();
    let config = LowerConfig { interrupt_checks: true, fuel: true, listener: true };
    let range = module.bodies[0].range.clone();
    let mut lowered = 0;
    for pos in range {
        for value in 0..=255u8 {
            let mut corrupt = bytes.clone();
            corrupt[pos] = value;
            if lower_function(&module, &corrupt, 0, &config, &mut cx).is_ok() {
                lowered += 1;
            }
        }
    }
    assert!(lowered > 0);
    // The context is still good for valid input afterwards.
    let func = lower_function(&module, &bytes, 0, &config, &mut cx).expect("lowers");
    verify_function(&func).expect("valid IR");
}

const LISTENED: &str = r##"(module
  (func $pick (param $x i32) (param $y f32) (param $v v128) (result i64 f64)
    (if (i32.eqz (local.get $x)) (then (return (i64.const 0) (f64.const 0))))
    (block (result i64 f64)
      (i64.const 1) (f64.const 2) (local.get $x) (br_table 0 1))))"##;

#[test]
fn listener_off_emits_no_hooks() {
    let ir = lower_wat(LISTENED);
    assert!(!ir.contains("listener"), "{ir}");
}

#[test]
fn listener_hooks_report_entry_and_every_return() {
    let config = LowerConfig { listener: true, ..LowerConfig::default() };
    let ir = lower_with(LISTENED, CoreFeatures::V2, config);
    // Entry: i32 zero-extended, f32 through its bits, v128 in two slots. Every
    // exit (the explicit `return`, the `br_table` to the function's label
    // through the return block, falling off the end) reports the results.
    assert_eq!(
        ir,
        "function %pick(i64, i32, f32, v128) -> i64, f64 {
    sig0 = (i64, i32, i64)
    sig1 = (i64, i32)
    sig2 = (i64, i32)
    builtin0 = listener_arg sig0
    builtin1 = listener_enter sig1
    builtin2 = listener_exit sig2
block0(v0: i64, v1: i32, v2: f32, v3: v128):
    v4 = uextend.i64 v1
    v5 = iconst.i32 0
    call_builtin listener_arg(v0, v5, v4)
    v6 = bitcast.i32 v2
    v7 = uextend.i64 v6
    v8 = iconst.i32 1
    call_builtin listener_arg(v0, v8, v7)
    v9 = extractlane.i64x2 v3, 0
    v10 = extractlane.i64x2 v3, 1
    v11 = iconst.i32 2
    call_builtin listener_arg(v0, v11, v9)
    v12 = iconst.i32 3
    call_builtin listener_arg(v0, v12, v10)
    v13 = iconst.i32 0
    call_builtin listener_enter(v0, v13)
    v14 = iconst.i32 0
    v15 = icmp.i32 eq v1, v14
    brif v15, block1, block2
block1:
    v16 = iconst.i64 0
    v17 = f64const 0x0000000000000000 ; 0
    v18 = iconst.i32 0
    call_builtin listener_arg(v0, v18, v16)
    v19 = iconst.i64 0
    v20 = iconst.i32 1
    call_builtin listener_arg(v0, v20, v19)
    v21 = iconst.i32 0
    call_builtin listener_exit(v0, v21)
    return v16, v17
block2:
    jump block3
block3:
    v22 = iconst.i64 1
    v23 = f64const 0x4000000000000000 ; 2
    br_table v1, block5(v22, v23), [block4(v22, v23)]
block4(v24: i64, v25: f64):
    v28 = iconst.i32 0
    call_builtin listener_arg(v0, v28, v24)
    v29 = bitcast.i64 v25
    v30 = iconst.i32 1
    call_builtin listener_arg(v0, v30, v29)
    v31 = iconst.i32 0
    call_builtin listener_exit(v0, v31)
    return v24, v25
block5(v26: i64, v27: f64):
    v32 = iconst.i32 0
    call_builtin listener_arg(v0, v32, v26)
    v33 = bitcast.i64 v27
    v34 = iconst.i32 1
    call_builtin listener_arg(v0, v34, v33)
    v35 = iconst.i32 0
    call_builtin listener_exit(v0, v35)
    return v26, v27
}
"
    );
}
