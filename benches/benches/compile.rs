//! The compile pipeline stage by stage on the two largest guests (Lua 5.4
//! and the 5k-line C program): decode+validate, lowering every function to
//! SSA, the interpreter's pass pipeline, and the whole path from bytes to
//! runnable interpreter code with the optimizing translator (validate, lower,
//! passes, slot assignment and encoding of every function, as an eager
//! translator would), and that path with the single-pass baseline translator,
//! the interpreter's default, instead. Throughput is in module bytes, so
//! criterion prints MB/s.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use zerowasm_frontend::{CoreFeatures, LowerConfig, LowerContext, lower_function, validate};
use zerowasm_interp::{InterpConfig, InterpModule, Translator};
use zerowasm_ssa::passes::{INTERPRETER_PIPELINE, PassCtx, run_pipeline};

const GUESTS: &[(&str, &[u8])] = &[
    ("lua", include_bytes!("../guests/lua/lua.wasm")),
    ("bigc", include_bytes!("../guests/bigc/bigc.wasm")),
];

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    g.sample_size(20);
    for &(name, bytes) in GUESTS {
        let info = validate(bytes, CoreFeatures::default()).expect("valid guest");
        let first = info.num_imported_functions;
        let last = first + info.bodies.len() as u32;
        let lowered: Vec<_> = {
            let mut cx = LowerContext::default();
            (first..last)
                .map(|f| lower_function(&info, bytes, f, &LowerConfig::default(), &mut cx).expect("lowers"))
                .collect()
        };
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(BenchmarkId::new("validate", name), |b| {
            b.iter(|| validate(black_box(bytes), CoreFeatures::default()).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("lower", name), |b| {
            let mut cx = LowerContext::default();
            b.iter(|| {
                for f in first..last {
                    black_box(
                        lower_function(&info, bytes, f, &LowerConfig::default(), &mut cx).expect("lowers"),
                    );
                }
            })
        });
        g.bench_function(BenchmarkId::new("passes", name), |b| {
            let mut pcx = PassCtx::default();
            pcx.verify = false;
            b.iter_batched(
                || lowered.clone(),
                |mut funcs| {
                    for f in &mut funcs {
                        run_pipeline(f, &mut pcx, INTERPRETER_PIPELINE).expect("passes");
                    }
                    funcs
                },
                criterion::BatchSize::LargeInput,
            )
        });
        let shared: Arc<[u8]> = Arc::from(bytes);
        for (id, translator) in [
            ("bytes_to_interpreter_code", Translator::Optimizing),
            ("bytes_to_interpreter_code_baseline", Translator::Baseline),
        ] {
            g.bench_function(BenchmarkId::new(id, name), |b| {
                b.iter(|| {
                    let info = Arc::new(validate(bytes, CoreFeatures::default()).expect("valid"));
                    let config = InterpConfig { translator, ..InterpConfig::default() };
                    let module = InterpModule::new(info, shared.clone()).with_config(config);
                    module.translate_all().expect("translates");
                    module
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, compile);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if zerowasm_benches::benchmarking() {
        zerowasm_benches::print_summary("Compile pipeline", &["compile"], |id| {
            GUESTS.iter().find(|(name, _)| id.ends_with(name)).map(|(_, b)| b.len() as u64)
        });
    }
}
