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

use zerowasm_benches::api_modules::{CALLS, SMALL, WASI};
use zerowasm_runtime::{CompiledModule, HostModuleBuilder, Module, ModuleConfig, Runtime, ValType};

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
