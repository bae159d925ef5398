//! Execution on the interpreter: the four freestanding kernels in
//! `guests/kernels` (recursive calls, byte-array traffic, f64 arithmetic, i32
//! bit manipulation), each called through `run(n)` with a size that takes a
//! few milliseconds. Results are checked against values recorded from V8
//! before timing, so an engine bug can never show up as a speed-up.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use zerowasm_benches::guests_dir;
use zerowasm_runtime::{CompiledModule, Linker, Store, Val};

/// (kernel, n, run(n) as recorded on V8 via `guests/kernels` self-checks).
const KERNELS: &[(&str, i32, u32)] = &[
    ("fib", 25, 75_025),
    ("sieve", 100_000, 9_592),
    ("matmul", 64, 2_924_205_491),
    ("sha256", 2_000, 3_673_404_978),
];

fn bench_kernels(c: &mut Criterion) {
    let mut group = c.benchmark_group("execute/interpreter");
    group.measurement_time(Duration::from_secs(4)).sample_size(10);
    for &(name, n, expected) in KERNELS {
        let path = guests_dir().join("kernels").join(format!("{name}.wasm"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut store = Store::new();
        let module = CompiledModule::new(&store, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let instance = store.instantiate(&module, &Linker::new()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let run = instance.get_func("run").unwrap_or_else(|| panic!("{name}: no `run` export"));
        let got = store.call(run, &[Val::I32(n)]).unwrap_or_else(|t| panic!("{name}: trap {t}"));
        assert_eq!(got, [Val::I32(expected as i32)], "{name}({n}) is wrong: refusing to time it");
        group.bench_function(format!("{name}({n})"), |b| {
            b.iter(|| store.call(run, &[Val::I32(n)]).unwrap_or_else(|t| panic!("{name}: trap {t}")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_kernels);
criterion_main!(benches);
