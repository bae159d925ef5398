//! The interpreter's threaded dispatch holds up in long loops: a loop body that
//! goes through many kinds of op handlers (calls, multi-value returns,
//! indirect calls, builtins, loads and stores of every width, branch tables,
//! vectors, floats, conversions) runs 100,000 times, gives the exact result,
//! and the interpreter did not have to fall back to its dispatch loop — which
//! it does when a handler calls the next one instead of jumping to it (a
//! handler that keeps something on its stack frame), rather than let the
//! native stack grow by one frame per op.

use zerowasm_interp::{DispatchStatus, dispatch_status};
use zerowasm_runtime::{CompiledModule, Linker, Store, Val};

const WAT: &str = r#"
(module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $add $mul)
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $mul (type $bin) (i32.mul (local.get 0) (local.get 1)))
  (func $pair (param i32) (result i32 i64)
    (local.get 0)
    (i64.extend_i32_u (i32.rotl (local.get 0) (i32.const 3))))
  (func $classify (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (i32.and (local.get 0) (i32.const 3))))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))
  (func $vec (param i32) (result i32)
    (i32x4.extract_lane 1
      (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15
        (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))
        (v128.load (i32.const 64)))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64) (local $x i32) (local $f f64)
    (loop $next
      ;; stores and loads of every width, at an index that walks the page
      (local.set $x (i32.and (i32.mul (local.get $i) (i32.const 8)) (i32.const 0xfff8)))
      (i64.store (local.get $x) (i64.extend_i32_u (local.get $i)))
      (i32.store8 offset=1 (local.get $x) (local.get $i))
      (i32.store16 offset=2 (local.get $x) (local.get $i))
      (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $x))))
      (local.set $acc (i64.add (local.get $acc) (i64.load8_s offset=1 (local.get $x))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load16_u offset=2 (local.get $x)))))
      ;; direct, multi-value and indirect calls, a branch table
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (call_indirect (type $bin) (local.get $i) (i32.const 3)
          (i32.and (local.get $i) (i32.const 1))))))
      (call $pair (local.get $i))
      (local.set $acc (i64.add (local.get $acc)))
      (drop)
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (call $classify (local.get $i)))))
      ;; vectors, floats and conversions
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (call $vec (local.get $i)))))
      (local.set $f (f64.add (local.get $f) (f64.sqrt (f64.convert_i32_u (local.get $i)))))
      (local.set $acc (i64.xor (local.get $acc) (i64.trunc_f64_u (local.get $f))))
      ;; a builtin call
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (memory.size))))
      (drop (memory.grow (i32.const 0)))
      (br_if $next (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))
"#;

#[test]
fn long_loops_keep_threaded_dispatch() {
    let mut store = Store::new();
    let bytes = wat::parse_str(WAT).expect("wat");
    let module = CompiledModule::new(&store, &bytes).expect("valid module");
    let inst = store.instantiate(&module, &Linker::new()).expect("instantiates");
    let run = inst.get_func("run").expect("run");
    let result = store.call(run, &[Val::I32(100_000)]).expect("runs");
    assert_eq!(result, [Val::I64(expected(100_000))]);
    // The loop ran without exhausting the native stack; threaded dispatch must
    // also not have fallen back (in unoptimized builds the probe picks the loop).
    assert_ne!(dispatch_status(), DispatchStatus::FellBack);
}

/// The loop of `run`, in Rust.
fn expected(n: u32) -> i64 {
    let mut mem = vec![0u8; 65536];
    let mut acc: i64 = 0;
    let mut f = 0f64;
    for i in 0..n {
        let x = (i.wrapping_mul(8) & 0xfff8) as usize;
        mem[x..x + 8].copy_from_slice(&u64::from(i).to_le_bytes());
        mem[x + 1] = i as u8;
        mem[x + 2..x + 4].copy_from_slice(&(i as u16).to_le_bytes());
        acc = acc.wrapping_add(i64::from_le_bytes(mem[x..x + 8].try_into().expect("8 bytes")));
        acc = acc.wrapping_add(i64::from(mem[x + 1] as i8));
        acc = acc.wrapping_add(i64::from(u16::from_le_bytes([mem[x + 2], mem[x + 3]])));
        let called = if i & 1 == 0 { i.wrapping_add(3) } else { i.wrapping_mul(3) };
        acc = acc.wrapping_add(i64::from(called));
        acc = acc.wrapping_add(i64::from(i.rotate_left(3)));
        acc = acc.wrapping_add(match i & 3 {
            0 => 10,
            1 => 20,
            _ => 30,
        });
        // The shuffle takes only from its first operand, splat(i) + [1, 2, 3, 4]:
        // bytes 4..8 (lane 1) become lane 0, bytes 0..4 (lane 0) lane 1, i + 1.
        acc = acc.wrapping_add(i64::from(i.wrapping_add(1)));
        f += f64::from(i).sqrt();
        acc ^= f as u64 as i64;
        acc = acc.wrapping_add(1);
    }
    acc
}
