//! Decode + validate throughput: zerowasm's frontend against wasmparser on the
//! same bytes (the `bigc` guest, a real C program built with clang).
//!
//! ```text
//! cargo bench -p zerowasm-benches --bench validate
//! ```
//!
//! Criterion reports both sides in one group, `validate/zerowasm` and
//! `validate/wasmparser`, with `thrpt:` in MiB/s (the middle number is the
//! estimate). After criterion, the bench times both sides again itself, in
//! interleaved rounds, and prints one line:
//!
//! ```text
//! validate ratio zerowasm/wasmparser = 0.80 (zerowasm 210.4 MiB/s, wasmparser 262.9 MiB/s; ...)
//! ```
//!
//! Both sides validate against WebAssembly 2.0 (zerowasm's default features,
//! wasmparser's `WasmFeatures::WASM2`) and both do the whole job: decoding every
//! section and validating every function body. Before measuring anything the
//! bench checks that both accept the module and panics otherwise, so an error
//! path is never benchmarked.
//!
//! The ratio pass takes about `ZEROWASM_RATIO_SECS` seconds (default 6); set it
//! to 0 to skip. It runs only under `cargo bench` (not `cargo test --benches`,
//! `--list` or `--profile-time`). Both figures are noisy on a shared machine;
//! compare runs on an idle one.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use wasmparser::{Validator, WasmFeatures};
use zerowasm_frontend::CoreFeatures;

const GUEST: &str = "bigc";

/// zerowasm: decode and validate; the module description is returned so the
/// work cannot be optimised away.
fn zerowasm(bytes: &[u8]) -> zerowasm_frontend::ModuleInfo {
    match zerowasm_frontend::validate(bytes, CoreFeatures::default()) {
        Ok(info) => info,
        Err(e) => panic!("zerowasm rejects {GUEST}.wasm, refusing to benchmark an error path: {e}"),
    }
}

/// wasmparser: a fresh validator per module, as a user would.
fn wasmparser(bytes: &[u8]) -> wasmparser::types::Types {
    let mut validator = Validator::new_with_features(WasmFeatures::WASM2);
    match validator.validate_all(bytes) {
        Ok(types) => types,
        Err(e) => panic!("wasmparser rejects {GUEST}.wasm, refusing to benchmark an error path: {e}"),
    }
}

fn load() -> Vec<u8> {
    let bytes = zerowasm_benches::read_guest(GUEST).unwrap_or_else(|e| panic!("{e}"));
    // Fail loudly, before any measurement, if either side rejects the module.
    let info = zerowasm(&bytes);
    wasmparser(&bytes);
    assert!(!info.bodies.is_empty(), "zerowasm found no function bodies in {GUEST}.wasm");
    bytes
}

fn bench_validate(c: &mut Criterion, bytes: &[u8]) {
    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    // A call takes 1-2 ms; criterion's default 100 samples would need 10k calls.
    group.sample_size(50).measurement_time(Duration::from_secs(8));
    group.bench_function("zerowasm", |b| b.iter(|| zerowasm(black_box(bytes))));
    group.bench_function("wasmparser", |b| b.iter(|| wasmparser(black_box(bytes))));
    group.finish();
}

/// Seconds per call of `f`, over `iters` calls.
fn time_per_call(iters: u32, f: &dyn Fn()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(iters)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Times both sides in alternating rounds (so drift on a shared machine hits
/// both alike) and prints the throughput ratio.
fn ratio_summary(bytes: &[u8], budget: Duration) {
    let sides: [(&str, &dyn Fn()); 2] = [
        ("zerowasm", &|| drop(black_box(zerowasm(black_box(bytes))))),
        ("wasmparser", &|| drop(black_box(wasmparser(black_box(bytes))))),
    ];
    const ROUNDS: usize = 15;
    let per_round = budget.as_secs_f64() / (ROUNDS as f64 * sides.len() as f64);
    // Calibrate: enough calls per round to fill its share of the budget.
    let iters: Vec<u32> = sides
        .iter()
        .map(|(_, f)| {
            f(); // warm up
            let once = time_per_call(1, *f).max(1e-7);
            ((per_round / once) as u32).clamp(1, 1_000_000)
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(ROUNDS); sides.len()];
    for round in 0..ROUNDS {
        for k in 0..sides.len() {
            let k = if round % 2 == 0 { k } else { sides.len() - 1 - k };
            samples[k].push(time_per_call(iters[k], sides[k].1));
        }
    }
    let mib = bytes.len() as f64 / (1024.0 * 1024.0);
    let thrpt: Vec<f64> = samples.into_iter().map(|s| mib / median(s)).collect();
    println!(
        "validate ratio zerowasm/wasmparser = {:.2} (zerowasm {:.1} MiB/s, wasmparser {:.1} MiB/s; \
         {GUEST}.wasm {} bytes, median of {ROUNDS} interleaved rounds)",
        thrpt[0] / thrpt[1],
        thrpt[0],
        thrpt[1],
        bytes.len(),
    );
}

fn main() {
    let bytes = load();
    let mut criterion = Criterion::default().configure_from_args();
    bench_validate(&mut criterion, &bytes);
    criterion.final_summary();

    // Like criterion: only `cargo bench` (which passes --bench) measures; `cargo test`
    // runs each benchmark once as a smoke test.
    let args: Vec<String> = std::env::args().collect();
    let measuring = args.iter().any(|a| a == "--bench")
        && !args.iter().any(|a| a == "--test" || a == "--list" || a.starts_with("--profile-time"));
    let secs = match std::env::var("ZEROWASM_RATIO_SECS") {
        Ok(v) => v.parse::<f64>().unwrap_or_else(|_| panic!("ZEROWASM_RATIO_SECS={v:?} is not a number")),
        Err(_) => 6.0,
    };
    if measuring && secs > 0.0 {
        ratio_summary(&bytes, Duration::from_secs_f64(secs));
    }
}
