//! A small driver for profiling the embedder API paths the `api` bench
//! times, e.g. under callgrind:
//!
//! ```text
//! cargo build --release -p zerowasm-benches --example api_profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='api_profile::run_*' \
//!     target/release/examples/api_profile host_to_wasm 100000
//! ```
//!
//! Cases: `instantiate`, `instantiate_wasi`, `host_to_wasm`, `wasm_to_host_typed`,
//! `wasm_to_host_raw`, `wasm_to_wasm`. The count is operations (calls or
//! instantiations); the loop cases run `count / 1000` exports of 1000 calls.

use std::hint::black_box;

use zerowasm_runtime::{CompiledModule, HostModuleBuilder, Module, ModuleConfig, Runtime, ValType};

const SMALL: &str = r#"(module
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

const WASI: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
    (memory (export "memory") 1))"#;

const CALLS: &str = r#"(module
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
        (local.get $acc)))"#;

fn compile(runtime: &Runtime, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).unwrap_or_else(|e| panic!("wat: {e}"));
    runtime.compile(&bytes).unwrap_or_else(|e| panic!("compile: {e}"))
}

fn instantiate(runtime: &Runtime, compiled: &CompiledModule) -> Module {
    runtime.instantiate(compiled, ModuleConfig::new()).unwrap_or_else(|e| panic!("instantiate: {e}"))
}

#[inline(never)]
fn run_instantiate(runtime: &Runtime, compiled: &CompiledModule, count: u64) {
    for _ in 0..count {
        black_box(instantiate(runtime, compiled));
    }
}

#[inline(never)]
fn run_host_to_wasm(module: &mut Module, count: u64) {
    let add = module.typed::<(i32, i32), i32>("add").unwrap_or_else(|e| panic!("add: {e}"));
    for i in 0..count {
        black_box(add.call(module, black_box((i as i32, 1))).unwrap_or_else(|t| panic!("{t}")));
    }
}

#[inline(never)]
fn run_loop(module: &mut Module, export: &str, count: u64) {
    let f = module.typed::<i32, i32>(export).unwrap_or_else(|e| panic!("{export}: {e}"));
    for _ in 0..count / 1000 {
        assert_eq!(f.call(module, black_box(1000)).unwrap_or_else(|t| panic!("{t}")), 1000);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let case = args.get(1).map_or("host_to_wasm", String::as_str);
    let count: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);

    let runtime = Runtime::new();
    zerowasm_wasi::instantiate(&runtime).unwrap_or_else(|e| panic!("wasi: {e}"));
    HostModuleBuilder::new("typed")
        .func("inc", |a: i32| a + 1)
        .instantiate(&runtime)
        .unwrap_or_else(|e| panic!("typed: {e}"));
    HostModuleBuilder::new("raw")
        .func_raw("inc", &[ValType::I32], &[ValType::I32], |_, slots| {
            slots[0] = u64::from((slots[0] as u32).wrapping_add(1));
            Ok(())
        })
        .instantiate(&runtime)
        .unwrap_or_else(|e| panic!("raw: {e}"));

    match case {
        "instantiate" | "instantiate_wasi" => {
            let compiled = compile(&runtime, if case == "instantiate" { SMALL } else { WASI });
            // Warm up (first-use allocations, type interning) outside the count.
            black_box(instantiate(&runtime, &compiled));
            run_instantiate(&runtime, &compiled, count);
        }
        _ => {
            let calls = compile(&runtime, CALLS);
            let mut module = instantiate(&runtime, &calls);
            let export = match case {
                "host_to_wasm" => None,
                "wasm_to_host_typed" => Some("call_typed"),
                "wasm_to_host_raw" => Some("call_raw"),
                "wasm_to_wasm" => Some("call_wasm"),
                other => panic!("unknown case {other}"),
            };
            match export {
                None => {
                    run_host_to_wasm(&mut module, 10);
                    run_host_to_wasm(&mut module, count);
                }
                Some(export) => {
                    run_loop(&mut module, export, 1000);
                    run_loop(&mut module, export, count);
                }
            }
        }
    }
}
