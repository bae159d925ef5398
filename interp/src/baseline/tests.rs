//! The baseline translator on its own: what it handles, what it hands to
//! the SSA pipeline, and the code it makes.

use std::sync::Arc;

use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_frontend::{CoreFeatures, ModuleInfo, validate};

use super::{Bail, Scratch, translate};

fn module(bytes: &[u8]) -> Arc<ModuleInfo> {
    Arc::new(validate(bytes, CoreFeatures::default()).expect("valid module"))
}

/// The baseline translation of every defined function of `bytes`.
fn all(bytes: &[u8]) -> Vec<Result<crate::InterpFunc, Bail>> {
    let info = module(bytes);
    let offsets = VmOffsets::new(&info);
    let mut scratch = Scratch::default();
    (info.num_imported_functions..info.functions.len() as u32)
        .map(|f| translate(&info, bytes, &offsets, f, &mut scratch))
        .collect()
}

/// `f`'s listing without the source offsets (` ; @0031`).
fn listing(f: &crate::InterpFunc) -> String {
    f.listing().lines().map(|l| l.split(" ;").next().unwrap_or(l).to_string() + "\n").collect()
}

/// The listing of the first function of module `wat`, which must translate.
fn first_listing(wat: &str) -> String {
    let bytes = wat::parse_str(wat).expect("wat");
    let funcs = all(&bytes);
    listing(funcs[0].as_ref().expect("translates"))
}

#[test]
fn lua_is_translated_whole_without_the_ssa_pipeline() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/guests/lua/lua.wasm");
    let bytes = std::fs::read(path).expect("the committed lua guest");
    let funcs = all(&bytes);
    assert!(funcs.len() > 600, "{} functions", funcs.len());
    for (i, f) in funcs.iter().enumerate() {
        assert!(f.is_ok(), "defined function {i}: {:?}", f.as_ref().err());
    }
}

#[test]
fn simd_falls_back_with_its_reason() {
    let bytes = wat::parse_str(
        r#"(module (func (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
                   (func (param i32) (result i32) (local.get 0)))"#,
    )
    .expect("wat");
    let funcs = all(&bytes);
    assert_eq!(funcs[0].as_ref().err(), Some(&Bail("SIMD instruction")));
    assert!(funcs[1].is_ok());
}

/// Lazy local reads, a result written straight into its local, a constant
/// `i32.add` folded into the access, and a compare fused with its `br_if`.
#[test]
fn listing_of_a_loop() {
    let text = first_listing(
        r#"(module (memory 1)
             (func (param $p i32) (param $n i32) (result i32) (local $i i32) (local $acc i32)
               (loop $l
                 (local.set $acc (i32.add (local.get $acc)
                                          (i32.load offset=4 (i32.add (local.get $p) (i32.const 8)))))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
               (local.get $acc)))"#,
    );
    assert_eq!(
        text,
        "function %f0: 10 cells, 3 param cells, 7 ops
    0: zero s3..=s4
block0:
    1: s8 = mem.load32 vm+40, s1+8, 4
    2: s4 = i32.add s4, s8
    3: s3 = i32.add s3, 1
    4: br_i32.lt_u s3, s2, @1
    5: return s4
    6: end_of_code
"
    );
}

/// An array element's address folded into its load, a bit field in one op,
/// and a mask test fused with its branch.
#[test]
fn listing_of_array_and_bit_field_code() {
    let text = first_listing(
        r#"(module (memory 1)
             (func (param $a i32) (param $i i32) (result i32)
               (block $odd
                 (br_if $odd (i32.and (local.get $i) (i32.const 1)))
                 (return (i32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))))
               (i32.and (i32.shr_u (local.get $i) (i32.const 3)) (i32.const 15))))"#,
    );
    assert_eq!(
        text,
        "function %f0: 10 cells, 3 param cells, 6 ops
    0: br_and_nz.i32 s2, 1, @3
    1: s7 = mem.load32 s1+s2*4, 0
    2: return s7
block0:
    3: s7 = i32.shr_u_and s2, 3, 15
    4: return s7
    5: end_of_code
"
    );
}

/// A loop's float constant read from a cell the prologue sets, a multiply
/// fused with the add that takes its result, the zero of the one declared
/// local that is read, and a loop latch's add fused with its branch.
#[test]
fn listing_of_a_float_loop() {
    let text = first_listing(
        r#"(module
             (func (param $x f64) (param $n i32) (result f64) (local $acc f64) (local $unread i32) (local $i i32)
               (loop $l
                 (local.set $acc (f64.add (f64.mul (local.get $x) (f64.const 2.5)) (local.get $acc)))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.ne (local.get $i) (local.get $n))))
               (local.get $acc)))"#,
    );
    assert_eq!(
        text,
        "function %f0: 10 cells, 3 param cells, 7 ops
    0: s3 = const64 0
    1: s5 = const64 0
    2: s6 = const64 4612811918334230528
block0:
    3: s3 = f64.mul_add s1, s6, s3
    4: s5 = i32.add_br_ne 1, s2, @3
    5: return s3
    6: end_of_code
"
    );
}

/// A declared local set before any branch and any read of it needs no zero;
/// one set only after a branch does, and one read before its set does.
#[test]
fn locals_set_on_entry_are_not_zeroed() {
    let text = first_listing(
        r#"(module
             (func (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32)
               (local.set $a (i32.add (local.get $n) (i32.const 1)))
               (local.set $c (i32.add (local.get $c) (i32.const 1)))
               (if (local.get $n) (then (local.set $b (i32.const 7))))
               (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $c))))"#,
    );
    assert_eq!(
        text,
        "function %f0: 10 cells, 2 param cells, 9 ops
    0: zero s3..=s4
    1: s2 = i32.add s1, 1
    2: s4 = i32.add s4, 1
    3: br_if_not s1, @5
    4: s3 = const32 7
block1:
    5: s8 = i32.add s2, s3
    6: s8 = i32.add s8, s4
    7: return s8
    8: end_of_code
"
    );
}

/// A `break` to a loop's latch becomes a copy of the latch's branch and a
/// jump past the latch.
#[test]
fn a_jump_to_a_latch_is_threaded() {
    let text = first_listing(
        r#"(module
             (func (param $n i32) (result i32) (local $i i32) (local $s i32)
               (loop $l
                 (block $b
                   (local.set $i (i32.add (local.get $i) (i32.const 1)))
                   (if (i32.and (local.get $i) (i32.const 1))
                     (then (local.set $s (i32.add (local.get $s) (i32.const 3))) (br $b)))
                   (local.set $s (i32.add (local.get $s) (local.get $i))))
                 (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
               (local.get $s)))"#,
    );
    assert_eq!(
        text,
        "function %f0: 9 cells, 2 param cells, 10 ops
    0: zero s2..=s3
block0:
    1: s2 = i32.add s2, 1
    2: br_and_z.i32 s2, 1, @6
    3: s3 = i32.add s3, 3
    4: br_i32.lt_u s2, s1, @1
    5: jump @8
block3:
    6: s3 = i32.add s3, s2
block1:
    7: br_i32.lt_u s2, s1, @1
    8: return s3
    9: end_of_code
"
    );
}

/// Definite assignment: a local assigned on both arms of an `if`, or after
/// a branch but before its reads, needs no zero; one read in a loop before
/// its set, or after a block that a branch leaves early, does.
#[test]
fn definitely_assigned_locals_are_not_zeroed() {
    let text = first_listing(ASSIGN_WAT);
    assert!(text.contains("    0: zero s4..=s5\n"), "{text}");
    assert_eq!(text.matches("zero").count() + text.matches("const64 0").count(), 1, "{text}");
}

const ASSIGN_WAT: &str = r#"(module
  (func (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (block $exit
      (br_if $exit (i32.eqz (local.get $n)))
      (if (i32.and (local.get $n) (i32.const 1))
        (then (local.set $a (i32.const 1)))
        (else (local.set $a (i32.const 2))))
      (local.set $b (i32.const 3))
      (loop $l
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
      (local.set $d (i32.add (local.get $a) (local.get $b))))
    (i32.add (local.get $d) (local.get $c))))"#;
