//! The embedder API on the interpreter (issue 4): what instantiating a small
//! module costs, and what one call costs in each direction.
//!
//! - `instantiate/*`: `Runtime::instantiate` of a module compiled once up
//!   front. The instances are dropped outside the timed region (in chunks of
//!   64), so the figure is instantiation alone; `…_with_drop` includes the
//!   drop (unmapping the memory) for reference.
//! - `host_to_wasm/*`: one call of an `add` export, through
//!   `TypedFunction<(i32, i32), i32>` and through `Module::call` with `Val`s.
//! - `wasm_to_host/*`, `wasm_to_wasm/*`: one call of a Wasm export that loops
//!   1000 times calling an imported host function (typed closure or
//!   `func_raw`), a Wasm function, or nothing (`loop_only`, the cost of the
//!   loop itself). Criterion reports the time of the 1000-call export and its
//!   throughput in calls per second; the summary divides by 1000.
//!
//! After criterion's report, `cargo bench` also prints a summary table: each
//! case timed again with a simple loop (median of 21 batches of at least
//! 20 ms), per operation, against the targets (instantiate < 10 µs,
//! a call in either direction < 50 ns).
//!
//! Run: `cargo bench -p zerowasm-benches --bench api` (add a criterion filter
//! such as `-- wasm_to_host` to run some of the criterion cases only; the
//! summary table always covers every case).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use zerowasm_benches::api_modules::{CALLS, SMALL, WASI};
use zerowasm_runtime::{
    Caller, CompiledModule, HostModuleBuilder, Module, ModuleConfig, Runtime, Trap, TypedFunction, Val,
    ValType,
};

/// Calls per iteration of the loop cases.
const N: i32 = 1000;

/// Targets of issue 4, per operation.
const INSTANTIATE_TARGET_NS: f64 = 10_000.0;
const CALL_TARGET_NS: f64 = 50.0;

fn compile(runtime: &Runtime, wat: &str) -> CompiledModule {
    let bytes = wat::parse_str(wat).unwrap_or_else(|e| panic!("wat: {e}"));
    runtime.compile(&bytes).unwrap_or_else(|e| panic!("compile: {e}"))
}

fn instantiate(runtime: &Runtime, compiled: &CompiledModule) -> Module {
    runtime.instantiate(compiled, ModuleConfig::new()).unwrap_or_else(|e| panic!("instantiate: {e}"))
}

/// A timed routine: runs the operation `iters` times and returns the time it took.
type Routine = Box<dyn FnMut(u64) -> Duration>;

/// One benchmark: criterion's group and name, the operations one iteration
/// performs (1000 for the loop cases), and the target per operation.
struct Case {
    group: &'static str,
    name: &'static str,
    ops: u64,
    target_ns: Option<f64>,
    run: Routine,
}

/// `iters` instantiations, timed without dropping the instances (dropped
/// 64 at a time, outside the clock) unless `with_drop`.
fn instantiations(runtime: Runtime, compiled: CompiledModule, with_drop: bool) -> Routine {
    Box::new(move |iters| {
        let mut kept = Vec::with_capacity(64);
        let mut total = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let n = left.min(64);
            left -= n;
            let start = Instant::now();
            for _ in 0..n {
                let m = instantiate(&runtime, &compiled);
                if with_drop {
                    drop(black_box(m));
                } else {
                    kept.push(m);
                }
            }
            total += start.elapsed();
            kept.clear();
        }
        total
    })
}

/// `iters` calls of `export(N)` (an export that loops `N` times), checked once.
fn loop_calls(runtime: &Runtime, compiled: &CompiledModule, export: &str) -> Routine {
    let mut module = instantiate(runtime, compiled);
    let f: TypedFunction<i32, i32> = module.typed(export).unwrap_or_else(|e| panic!("{export}: {e}"));
    let got = f.call(&mut module, N).unwrap_or_else(|t| panic!("{export}: {t}"));
    assert_eq!(got, N, "{export}({N}) is wrong: refusing to time it");
    Box::new(move |iters| {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(f.call(&mut module, black_box(N)).unwrap_or_else(|t| panic!("trap: {t}")));
        }
        start.elapsed()
    })
}

fn cases() -> Vec<Case> {
    let runtime = Runtime::new();
    let small = compile(&runtime, SMALL);

    let wasi_runtime = Runtime::new();
    zerowasm_wasi::instantiate(&wasi_runtime).unwrap_or_else(|e| panic!("wasi: {e}"));
    let wasi = compile(&wasi_runtime, WASI);
    {
        let mut m = instantiate(&wasi_runtime, &wasi);
        assert_eq!(m.call("main", &[]).unwrap_or_else(|t| panic!("main: {t}")), [Val::I32(0)]);
    }

    let calls_runtime = Runtime::new();
    HostModuleBuilder::new("typed")
        .func("inc", |a: i32| a + 1)
        .instantiate(&calls_runtime)
        .unwrap_or_else(|e| panic!("typed: {e}"));
    HostModuleBuilder::new("raw")
        .func_raw("inc", &[ValType::I32], &[ValType::I32], |_: &mut Caller<'_>, slots: &mut [u64]| {
            slots[0] = u64::from((slots[0] as u32).wrapping_add(1));
            Ok::<(), Trap>(())
        })
        .instantiate(&calls_runtime)
        .unwrap_or_else(|e| panic!("raw: {e}"));
    let calls = compile(&calls_runtime, CALLS);

    let mut typed_module = instantiate(&calls_runtime, &calls);
    let add: TypedFunction<(i32, i32), i32> =
        typed_module.typed("add").unwrap_or_else(|e| panic!("add: {e}"));
    assert_eq!(add.call(&mut typed_module, (2, 3)).ok(), Some(5));
    let mut vals_module = instantiate(&calls_runtime, &calls);
    assert_eq!(vals_module.call("add", &[Val::I32(2), Val::I32(3)]).ok(), Some(vec![Val::I32(5)]));

    let call_target = Some(CALL_TARGET_NS);
    vec![
        Case {
            group: "instantiate",
            name: "one_memory_ten_functions",
            ops: 1,
            target_ns: Some(INSTANTIATE_TARGET_NS),
            run: instantiations(runtime.clone(), small.clone(), false),
        },
        Case {
            group: "instantiate",
            name: "one_memory_ten_functions_with_drop",
            ops: 1,
            target_ns: None,
            run: instantiations(runtime, small, true),
        },
        Case {
            group: "instantiate",
            name: "with_wasi_imports",
            ops: 1,
            target_ns: None,
            run: instantiations(wasi_runtime, wasi, false),
        },
        Case {
            group: "host_to_wasm",
            name: "typed",
            ops: 1,
            target_ns: call_target,
            run: Box::new(move |iters| {
                let start = Instant::now();
                for i in 0..iters {
                    let r = add.call(&mut typed_module, black_box((i as i32, 1)));
                    black_box(r.unwrap_or_else(|t| panic!("trap: {t}")));
                }
                start.elapsed()
            }),
        },
        Case {
            group: "host_to_wasm",
            name: "vals",
            ops: 1,
            target_ns: None,
            run: Box::new(move |iters| {
                let start = Instant::now();
                for i in 0..iters {
                    let r = vals_module.call("add", black_box(&[Val::I32(i as i32), Val::I32(1)]));
                    black_box(r.unwrap_or_else(|t| panic!("trap: {t}")));
                }
                start.elapsed()
            }),
        },
        Case {
            group: "wasm_to_host",
            name: "typed",
            ops: N as u64,
            target_ns: call_target,
            run: loop_calls(&calls_runtime, &calls, "call_typed"),
        },
        Case {
            group: "wasm_to_host",
            name: "raw",
            ops: N as u64,
            target_ns: call_target,
            run: loop_calls(&calls_runtime, &calls, "call_raw"),
        },
        Case {
            group: "wasm_to_wasm",
            name: "call",
            ops: N as u64,
            target_ns: None,
            run: loop_calls(&calls_runtime, &calls, "call_wasm"),
        },
        Case {
            group: "wasm_to_wasm",
            name: "loop_only",
            ops: N as u64,
            target_ns: None,
            run: loop_calls(&calls_runtime, &calls, "loop_only"),
        },
    ]
}

fn run_criterion(criterion: &mut Criterion, cases: &mut [Case]) {
    let mut at = 0;
    while at < cases.len() {
        let group_name = cases[at].group;
        let mut group = criterion.benchmark_group(group_name);
        group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
        while let Some(case) = cases.get_mut(at).filter(|c| c.group == group_name) {
            if case.ops > 1 {
                group.throughput(Throughput::Elements(case.ops));
            }
            let run = &mut case.run;
            group.bench_function(case.name, |b| b.iter_custom(&mut *run));
            at += 1;
        }
        group.finish();
    }
}

/// Median and minimum time per operation, in ns: 21 batches of at least
/// 20 ms each (after one calibration batch that doubles as warm-up).
fn measure(case: &mut Case) -> (f64, f64) {
    let mut iters = 1u64;
    loop {
        let t = (case.run)(iters);
        if t >= Duration::from_millis(20) {
            break;
        }
        iters = iters.saturating_mul(2);
    }
    let mut per_op: Vec<f64> =
        (0..21).map(|_| (case.run)(iters).as_secs_f64() * 1e9 / (iters * case.ops) as f64).collect();
    per_op.sort_by(f64::total_cmp);
    (per_op[per_op.len() / 2], per_op[0])
}

fn format_ns(ns: f64) -> String {
    if ns >= 1000.0 { format!("{:.2} µs", ns / 1000.0) } else { format!("{ns:.1} ns") }
}

fn print_summary(cases: &mut [Case]) {
    println!();
    println!("Embedder API summary (own timing loop: median and min of 21 batches, per operation;");
    println!("loop cases are one export call of {N} calls, divided by {N}):");
    println!();
    println!("{:<47} {:>12} {:>12} {:>10}  status", "benchmark", "median/op", "min/op", "target");
    for case in cases.iter_mut() {
        let (median, min) = measure(case);
        let (target, status) = match case.target_ns {
            Some(t) => (format!("< {}", format_ns(t)), if median < t { "ok" } else { "MISSED" }),
            None => ("-".to_string(), ""),
        };
        let id = format!("{}/{}", case.group, case.name);
        println!("{id:<47} {:>12} {:>12} {target:>10}  {status}", format_ns(median), format_ns(min));
    }
    println!();
}

/// True when criterion runs benchmarks (`cargo bench`), not tests (`cargo
/// test --benches`, `-- --test`) or a listing (`-- --list`).
fn benchmarking() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench")
        && !has("--test")
        && !has("--list")
        && !args.iter().any(|a| a.starts_with("--profile-time"))
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut cases = cases();
    run_criterion(&mut criterion, &mut cases);
    criterion.final_summary();
    if benchmarking() {
        print_summary(&mut cases);
    }
}
