//! Execution, per engine (today the interpreter): the four freestanding
//! kernels in `guests/kernels` (recursive calls, byte-array traffic, f64
//! arithmetic, i32 bit manipulation), each called through `run(n)` with a
//! size that takes a few milliseconds, and every WASI guest of
//! `guests/*/` (the C category programs, bigc and Lua) at its small
//! recorded size, instantiation and `_start` included. Results are checked
//! against values recorded on V8 and wasmtime before timing, so an engine
//! bug can never show up as a speed-up.

use std::time::Duration;

use std::sync::{Arc, Mutex};

use criterion::{Criterion, criterion_group};
use zerowasm_benches::guests_dir;
use zerowasm_runtime::{CompiledModule, Linker, ModuleConfig, Runtime, Store, Val};

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

/// Runs `_start` of `compiled` with `args`; returns stdout and the exit code.
fn run_guest(runtime: &Runtime, compiled: &CompiledModule, argv: &[String]) -> (String, i32) {
    let out = Arc::new(Mutex::new(Vec::new()));
    let config = ModuleConfig::new().with_args(argv.iter().cloned()).with_stdout(SharedBuf(out.clone()));
    let code = match runtime.instantiate(compiled, config) {
        Ok(m) => m.exit_code().unwrap_or(0) as i32,
        Err(e) => e.exit_code().map(|c| c as i32).unwrap_or_else(|| panic!("guest failed: {e}")),
    };
    let stdout = String::from_utf8_lossy(&out.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    (stdout, code)
}

/// A `Write` into a shared buffer, so the bench can read what the guest printed.
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn bench_guests(c: &mut Criterion) {
    let runtime = Runtime::new();
    zerowasm_wasi::instantiate(&runtime).unwrap_or_else(|e| panic!("WASI: {e}"));
    let mut group = c.benchmark_group("execute/guests/interpreter");
    group.measurement_time(Duration::from_secs(2)).sample_size(10);
    for name in zerowasm_benches::wasi_guests() {
        let run = zerowasm_benches::small_run(&name).unwrap_or_else(|e| panic!("{e}"));
        let bytes = zerowasm_benches::read_guest(&name).unwrap_or_else(|e| panic!("{e}"));
        let compiled = runtime.compile(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let argv: Vec<String> =
            std::iter::once(format!("{name}.wasm")).chain(run.args.iter().cloned()).collect();
        let (stdout, code) = run_guest(&runtime, &compiled, &argv);
        assert_eq!(
            (stdout.as_str(), code),
            (run.stdout.as_str(), run.exit),
            "{name} is wrong: refusing to time it"
        );
        group.bench_function(format!("{name}({})", run.args.join(" ")), |b| {
            b.iter(|| run_guest(&runtime, &compiled, &argv))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_kernels, bench_guests);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if zerowasm_benches::benchmarking() {
        zerowasm_benches::print_summary(
            "Execution",
            &["execute_interpreter", "execute_guests_interpreter"],
            |_| None,
        );
    }
}
