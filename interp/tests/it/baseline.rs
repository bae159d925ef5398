//! The baseline translator (`Translator::Baseline`) against the optimizing
//! one: the same results, and the same traps at the same Wasm offsets, on the
//! modules of `wasm.rs` and on control flow that stresses the single pass
//! (lazy local reads, block parameters, branch tables with moves, dead code).
//! The whole spec suite runs on it too (`cli/tests/spec_conformance.rs`).

use zerowasm_interp::{InterpConfig, Translator};

use crate::wasm::{Loaded, TABLE_WAT, WAT};

fn baseline(wat: &str) -> Loaded {
    Loaded::with_config(wat, InterpConfig { translator: Translator::Baseline, ..InterpConfig::default() })
}

const CONTROL_WAT: &str = r#"
(module
  (memory 1)
  (global $g (mut i64) (i64.const 5))
  ;; A lazy read of local 0 below a block that assigns it on one path only.
  (func (export "preserve") (param i32 i32) (result i32)
    local.get 0
    block
      local.get 1
      br_if 0
      i32.const 100
      local.set 0
    end
    local.get 0
    i32.add)
  ;; The old value of a local read before a `local.tee` of it.
  (func (export "tee") (param i32) (result i32)
    (i32.add (local.get 0) (local.tee 0 (i32.const 5))))
  ;; Branch-table targets whose values need moves (a constant).
  (func (export "table") (param i32) (result i32)
    (block $b (result i32)
      (block $a (result i32)
        (i32.const 7)
        (local.get 0)
        (br_table $a $b $b))
      (i32.const 10)
      (i32.add)))
  ;; `if` with a parameter, both arms.
  (func (export "ifp") (param i32 i32) (result i32)
    (local.get 1)
    (local.get 0)
    (if (param i32) (result i32)
      (then (i32.const 1) (i32.add))
      (else (i32.const 2) (i32.mul))))
  ;; A loop with a parameter carried by its back edge.
  (func (export "loop") (param i32) (result i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (local.get 0)
      (i32.add)
      (local.get 0)
      (i32.const 1)
      (i32.sub)
      (local.tee 0)
      (br_if $l)))
  ;; Unreachable code after a branch, with blocks inside it.
  (func (export "dead") (param i32) (result i32)
    (block (result i32)
      (i32.const 3)
      (br 0)
      (i32.const 4)
      (i32.add)
      (block (loop (br 0)))
      (unreachable)))
  ;; A conditional return with a value, and `select` on constants.
  (func (export "early") (param i32) (result i32)
    (drop (br_if 0 (i32.const 11) (local.get 0)))
    (select (i32.const 1) (i32.const 2) (i32.eqz (local.get 0))))
  ;; More arguments than a short call carries, and a float compare branch.
  (func $six (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.sub (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
             (i32.add (local.get 4) (local.get 5))))
  (func (export "six") (param i32) (result i32)
    (call $six (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))
  (func (export "fcmp") (param f64) (result i32)
    (block (br_if 0 (f64.lt (local.get 0) (f64.const 1.5))) (return (i32.const 1)))
    (i32.const 0))
  ;; A store whose address is `constant + loaded index` and whose value is a
  ;; constant (written after the address is computed).
  (func (export "storefold") (param i32) (result i32)
    (i32.store (i32.const 100) (i32.const 200))
    (i32.store (i32.add (i32.const 8) (i32.load (local.get 0))) (i32.const 5))
    (i32.load (i32.const 208)))
  ;; Array elements: `base + (i << size)` folded into loads and stores.
  (func (export "array") (param $i i32) (param $v i32) (result i32) (local $base i32)
    (local.set $base (i32.const 256))
    (i32.store (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))) (local.get $v))
    (i64.store8 (i32.add (local.get $base) (local.get $i)) (i64.const 7))
    (i32.add
      (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2))))
      (i32.load8_u offset=9 (i32.add (i32.shl (local.get $i) (i32.const 0)) (local.get $base)))))
  ;; Constants read in a loop (from cells the prologue sets), one of them
  ;; on a conditional path only, and float multiply-adds.
  (func (export "floop") (param $n i32) (result i64) (local $acc f64) (local $k i64)
    (loop $l
      (local.set $acc (f64.add (f64.mul (local.get $acc) (f64.const 0.5)) (f64.convert_i32_s (local.get $n))))
      (if (i32.and (local.get $n) (i32.const 1))
        (then (local.set $k (i64.add (local.get $k) (i64.const 0x1234567890)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.add (local.get $k) (i64.trunc_f64_s (f64.mul (local.get $acc) (f64.const 1000)))))
  ;; Masked sums and xors, shift-register steps and an FNV step.
  (func (export "mix") (param $a i32) (param $b i32) (param $x i64) (result i64)
    (i64.add
      (i64.extend_i32_u
        (i32.add
          (i32.add
            (i32.and (i32.xor (local.get $a) (local.get $b)) (i32.const 0xff))
            (i32.and (i32.add (local.get $a) (local.get $b)) (i32.const 0x3f)))
          (i32.add
            (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const 3)))
            (i32.xor (i32.shl (local.get $a) (i32.const 5)) (local.get $b)))))
      (i64.xor
        (i64.mul (i64.xor (local.get $x) (i64.extend_i32_u (local.get $b))) (i64.const 1099511628211))
        (i64.add
          (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 13)))
          (i64.xor (i64.shl (local.get $x) (i64.const 7)) (local.get $x))))))
  ;; Call results stored straight into locals, one of them an argument.
  (func (export "callset") (param i32) (result i32) (local $r i32)
    (local.set $r (call $six (local.get 0) (i32.const 1) (i32.const 1) (i32.const 1) (i32.const 1) (i32.const 1)))
    (local.set 0 (call $six (local.get 0) (local.get $r) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
    (i32.add (local.get 0) (local.get $r)))
  ;; `base + ((x >>u k) & mask)`, both operand orders, and `(x & mask) >>u k`.
  (func (export "field") (param i32 i32) (result i32)
    (i32.add
      (i32.sub
        (i32.add (local.get 0) (i32.and (i32.shr_u (local.get 1) (i32.const 7)) (i32.const 255)))
        (i32.add (i32.and (i32.shr_u (local.get 1) (i32.const 3)) (i32.const 15)) (local.get 0)))
      (i32.shr_u (i32.and (local.get 1) (i32.const 0xff00)) (i32.const 8))))
  ;; Globals, memory size, constant addresses. (The builtins, memory.grow
  ;; and bulk memory, need a runtime: the guests and the spec suite run them.)
  (func (export "mem") (param i32) (result i64)
    (global.set $g (i64.add (global.get $g) (i64.extend_i32_u (memory.size))))
    (i32.store8 (i32.const 32) (local.get 0))
    (i64.store (i32.const 64) (i64.load offset=32 (i32.const 0)))
    (i64.add (global.get $g) (i64.load8_u (i32.const 64))))
  ;; Dispatch on a case loaded from a table at a static address (minus the
  ;; first case), on `x - 2`, and on a table at a base in a local.
  (func (export "dispatch2") (param $x i32) (result i32) (local $t i32)
    (i32.store (i32.const 512) (i32.const 3))
    (i32.store (i32.const 516) (i32.const 2))
    (i32.store (i32.const 520) (i32.const 4))
    (i32.store (i32.const 524) (i32.const 9))
    (i32.store (i32.const 532) (i32.const 0))
    (local.set $t (i32.const 512))
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d
        (i32.sub (i32.load (i32.add (i32.shl (i32.and (local.get $x) (i32.const 3)) (i32.const 2))
                                    (i32.const 512)))
                 (i32.const 2))))
      (return (i32.const 10)))
      (block $q (block $p
        (br_table $p $q (i32.add (local.get $x) (i32.const -2))))
        (return (i32.const 20)))
      (return (i32.const 21)))
      (block $s (block $r
        (br_table $r $s (i32.load offset=4 (i32.add (local.get $t)
                                                    (i32.shl (i32.shr_u (local.get $x) (i32.const 2))
                                                             (i32.const 2))))))
        (return (i32.const 30)))
      (return (i32.const 31)))
    (i32.const 40))
  ;; Tables at static addresses: `(i << size) + table`, and `i << size` with
  ;; the table in the offset; a constant stored in a loop at `base + (i << 2)`.
  (func (export "scaled") (param $i i32) (result i64) (local $n i32)
    (i64.store (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 1024)) (i64.const -3))
    (i32.store16 offset=2048 (i32.shl (local.get $i) (i32.const 1)) (i32.const 0x8001))
    (local.set $n (i32.const 4))
    (loop $l
      (i32.store (i32.add (i32.const 3072) (i32.shl (local.get $n) (i32.const 2))) (i32.const 77))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i64.add
      (i64.add (i64.load offset=1024 (i32.shl (local.get $i) (i32.const 3)))
               (i64.load16_s (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 2048))))
      (i64.add (i64.load32_u (i32.const 3076))
               (i64.extend_i32_u (i32.load16_u offset=2048 (i32.shl (local.get $i) (i32.const 1)))))))
  ;; Negated float compares (`if (!(x < y))`), which NaN takes.
  (func (export "nfcmp") (param $x f64) (result i32) (local $r i32)
    (block $b (br_if $b (i32.eqz (f64.lt (local.get $x) (f64.const 1.5))))
      (local.set $r (i32.const 1)))
    (if (i32.eqz (f64.ge (local.get $x) (f64.const -1)))
      (then (local.set $r (i32.add (local.get $r) (i32.const 10)))))
    (local.get $r))
  ;; A `break` to a loop's latch (threaded: a copy of the latch's branch).
  (func (export "latch") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (block $b
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.and (local.get $i) (i32.const 1))
          (then (local.set $s (i32.add (local.get $s) (i32.const 3))) (br $b)))
        (local.set $s (i32.add (local.get $s) (local.get $i))))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  ;; Locals assigned on both arms, after a branch, in a loop after a read,
  ;; and after a block left early.
  (func $assign (export "assign") (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
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
    (i32.add (local.get $d) (local.get $c)))
  ;; Two calls whose frames take the same cells: the second sees zeros.
  (func (export "assign2") (result i32)
    (i32.add (i32.mul (call $assign (i32.const 5)) (i32.const 100)) (call $assign (i32.const 0))))
  ;; Locals set on entry (no zero) and read before set (zero), and copies in
  ;; a row (a rotation through a temporary).
  (func (export "locals") (param $n i32) (result i64)
    (local $a i32) (local $b i64) (local $x i32) (local $y i32) (local $t i32) (local $c f64)
    (local.set $a (i32.add (local.get $n) (i32.const 1)))
    (local.set $x (local.get $n))
    (local.set $y (i32.const 5))
    (if (i32.eqz (local.get $n)) (then (local.set $b (i64.const 100))))
    (loop $l
      (local.set $t (local.get $x))
      (local.set $x (local.get $y))
      (local.set $y (local.get $t))
      (br_if $l (local.tee $a (i32.sub (local.get $a) (i32.const 1)))))
    (i64.add (i64.add (local.get $b) (i64.trunc_f64_s (local.get $c)))
             (i64.extend_i32_u (i32.sub (i32.mul (local.get $x) (i32.const 1000)) (local.get $y))))))
"#;

/// Calls that return, then calls that trap, on both translators' code.
fn agree(wat: &str, calls: &[(&str, &[u64])], traps: &[(&str, &[u64])]) {
    let mut opt = Loaded::new(wat);
    let mut base = baseline(wat);
    for &(name, args) in calls {
        assert_eq!(base.call1(name, args), opt.call1(name, args), "{name}{args:?}");
    }
    for &(name, args) in traps {
        let a = opt.call(name, args, 1).expect_err("the optimizing code traps");
        let b = base.call(name, args, 1).expect_err("the baseline code traps");
        assert_eq!(b.trap_code(), a.trap_code(), "{name}{args:?}");
        assert_eq!(b.frames, a.frames, "{name}{args:?}");
    }
}

#[test]
fn agrees_with_the_optimizing_translator() {
    let calls: &[(&str, &[u64])] = &[
        ("fib", &[20]),
        ("fac", &[20]),
        ("sum", &[1000]),
        ("dispatch", &[0, 6, 7]),
        ("dispatch", &[1, 6, 7]),
        ("count", &[]),
        ("count", &[]),
        ("switch", &[0]),
        ("switch", &[1]),
        ("switch", &[2]),
        ("switch", &[77]),
        ("div", &[(-9i32) as u32 as u64, 2]),
        ("peek", &[65532 - 4]),
        // Falls back to the SSA pipeline (a SIMD function).
        ("simd", &[12]),
    ];
    let traps: &[(&str, &[u64])] = &[
        ("div", &[1, 0]),
        ("div", &[i32::MIN as u32 as u64, u64::from(u32::MAX)]),
        ("dispatch", &[2, 6, 7]),
        ("dispatch", &[4, 6, 7]),
        ("peek", &[65533 - 4]),
    ];
    agree(WAT, calls, traps);
    agree(TABLE_WAT, &[("dispatch", &[0, 6, 7]), ("repeat", &[5, 0])], &[("dispatch", &[1, 6, 7])]);
}

#[test]
fn control_flow_values_and_memory() {
    let mut l = baseline(CONTROL_WAT);
    assert_eq!(l.call1("preserve", &[1, 1]), 2);
    assert_eq!(l.call1("preserve", &[1, 0]), 101);
    assert_eq!(l.call1("tee", &[3]), 8);
    assert_eq!(l.call1("table", &[0]), 17);
    assert_eq!(l.call1("table", &[1]), 7);
    assert_eq!(l.call1("table", &[9]), 7);
    assert_eq!(l.call1("ifp", &[1, 5]), 6);
    assert_eq!(l.call1("ifp", &[0, 5]), 10);
    assert_eq!(l.call1("loop", &[4]), 10);
    assert_eq!(l.call1("dead", &[0]), 3);
    assert_eq!(l.call1("early", &[1]), 11);
    assert_eq!(l.call1("early", &[0]), 1);
    assert_eq!(l.call1("six", &[10]), 10 + 2 + 3 + 4 - 5 - 6);
    assert_eq!(l.call1("fcmp", &[1.0f64.to_bits()]), 0);
    assert_eq!(l.call1("fcmp", &[f64::NAN.to_bits()]), 1);
    assert_eq!(l.call1("storefold", &[100]), 5);
    assert_eq!(l.call1("array", &[3, 0x1234]), 0x1234 + 0x34);
    assert_eq!(l.call1("callset", &[10]), 32);
    let x = 0xdead_beef_u32;
    let field = ((x >> 7) & 255) - ((x >> 3) & 15) + ((x & 0xff00) >> 8);
    assert_eq!(l.call1("field", &[1000, u64::from(x)]), u64::from(field));
    // The test VM leaves globals at zero (no initializers run): 0 + one page + the byte.
    assert_eq!(l.call1("mem", &[0xab]), 1 + 0xab);
    // Cases 3, 2, 4, 9 (minus 2: 1, 0, 2, 7 taking $d).
    assert_eq!(l.call1("dispatch2", &[0]), 20 + 1);
    assert_eq!(l.call1("dispatch2", &[1]), 10);
    assert_eq!(l.call1("dispatch2", &[3]), 40);
    // Case 4 (index 2), then the table at 512 + (x >> 2) * 4 + 4: 2 and 4
    // take the default, 0 the first label.
    assert_eq!(l.call1("dispatch2", &[2]), 31);
    assert_eq!(l.call1("dispatch2", &[6]), 31);
    assert_eq!(l.call1("dispatch2", &[18]), 30);
    assert_eq!(l.call1("scaled", &[3]), (-3i64 - 0x7fff + 77 + 0x8001) as u64);
    assert_eq!(l.call1("nfcmp", &[1.0f64.to_bits()]), 1);
    assert_eq!(l.call1("nfcmp", &[2.0f64.to_bits()]), 0);
    assert_eq!(l.call1("nfcmp", &[(-2.0f64).to_bits()]), 11);
    assert_eq!(l.call1("nfcmp", &[f64::NAN.to_bits()]), 10);
    assert_eq!(l.call1("assign", &[5]), 1 + 3 + 5);
    // n = 0 leaves early: d and c are zero, whatever the call before left
    // in their cells.
    assert_eq!(l.call1("assign", &[0]), 0);
    assert_eq!(l.call1("assign", &[6]), 2 + 3 + 6);
    assert_eq!(l.call1("assign2", &[]), 900);
    // i = 1..=10: odd ones add 3, even ones add i.
    assert_eq!(l.call1("latch", &[10]), 5 * 3 + 2 + 4 + 6 + 8 + 10);
    assert_eq!(l.call1("latch", &[0]), 3);
    // n = 0: one pass (x, y = 5, 0), b = 100; n = 1: two passes (x, y = 1, 5).
    assert_eq!(l.call1("locals", &[0]), 100 + 5000);
    assert_eq!(l.call1("locals", &[1]), 1000 - 5);
    let calls: &[(&str, &[u64])] = &[
        ("preserve", &[1, 1]),
        ("preserve", &[1, 0]),
        ("tee", &[3]),
        ("table", &[0]),
        ("table", &[2]),
        ("ifp", &[1, 5]),
        ("ifp", &[0, 5]),
        ("loop", &[100]),
        ("dead", &[0]),
        ("early", &[0]),
        ("early", &[7]),
        ("six", &[10]),
        ("fcmp", &[2.0f64.to_bits()]),
        ("mem", &[0x12]),
        ("storefold", &[100]),
        ("array", &[5, 0xabcd]),
        ("floop", &[37]),
        ("floop", &[1]),
        ("field", &[1000, 0xdead_beef]),
        ("callset", &[7]),
        ("mix", &[0x1234_5678, 0x9abc_def0, 0x0123_4567_89ab_cdef]),
        ("mix", &[u64::from(u32::MAX), 1, u64::MAX]),
        ("dispatch2", &[0]),
        ("dispatch2", &[1]),
        ("dispatch2", &[2]),
        ("dispatch2", &[3]),
        ("dispatch2", &[6]),
        ("dispatch2", &[18]),
        ("scaled", &[3]),
        ("scaled", &[100]),
        ("nfcmp", &[f64::NAN.to_bits()]),
        ("nfcmp", &[0.5f64.to_bits()]),
        ("assign", &[7]),
        ("assign", &[0]),
        ("assign2", &[]),
        ("latch", &[10]),
        ("latch", &[1001]),
        ("locals", &[0]),
        ("locals", &[1]),
        ("locals", &[6]),
    ];
    agree(CONTROL_WAT, calls, &[]);
}
