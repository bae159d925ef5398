//! The WebAssembly modules the `api` bench times and `examples/api_profile`
//! profiles, in one place so both measure the same code.

/// One memory, a global, ten small functions, no start function.
pub const SMALL: &str = r#"(module
    (memory (export "memory") 1)
    (global $g (export "g") (mut i32) (i32.const 0))
    (func (export "f0") (param i32) (result i32) (i32.add (local.get 0) (i32.const 0)))
    (func (export "f1") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "f2") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func (export "f3") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
    (func (export "f4") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "f5") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "f6") (result i32) (global.get $g))
    (func (export "f7") (param i32) (global.set $g (local.get 0)))
    (func (export "f8") (param i64) (result i64) (i64.shl (local.get 0) (i64.const 3)))
    (func (export "f9") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1))))"#;

/// A WASI command-style module importing five WASI functions (no `_start`,
/// so instantiation runs nothing).
pub const WASI: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "main") (result i32) (call 2 (i32.const 0) (i32.const 4))))"#;

/// `add` for host→Wasm calls, and loops of `n` calls for Wasm→host and
/// Wasm→Wasm calls.
pub const CALLS: &str = r#"(module
    (import "typed" "inc" (func $typed (param i32) (result i32)))
    (import "raw" "inc" (func $raw (param i32) (result i32)))
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "call_typed") (param $n i32) (result i32) (local $acc i32)
        (loop $l
            (local.set $acc (call $typed (local.get $acc)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc))
    (func (export "call_raw") (param $n i32) (result i32) (local $acc i32)
        (loop $l
            (local.set $acc (call $raw (local.get $acc)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc))
    (func (export "call_wasm") (param $n i32) (result i32) (local $acc i32)
        (loop $l
            (local.set $acc (call $inc (local.get $acc)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc))
    (func (export "loop_only") (param $n i32) (result i32) (local $acc i32)
        (loop $l
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))"#;
