//! A small driver for profiling translation (module bytes to interpreter
//! code), e.g. under callgrind:
//!
//! ```text
//! CARGO_PROFILE_BENCH_DEBUG=line-tables-only cargo build --profile bench -p zerowasm-benches --example translate
//! valgrind --tool=callgrind target/release/examples/translate benches/guests/lua/lua.wasm
//! ```
//!
//! Validates the module and translates every function once (`translate_all`);
//! a second argument repeats it that many times. Then `--listing` prints the
//! slot code of every function (to compare the produced code before and after
//! a change to the translator), and `--threads=N` translates on at most `N`
//! threads (default: all cores; `--threads=1` measures one thread).
//! `--baseline` translates with the single-pass baseline translator instead
//! of the optimizing pipeline (functions it does not handle still go through
//! the pipeline), to compare translation times.

use std::sync::Arc;

use zerowasm_frontend::{CoreFeatures, validate};
use zerowasm_interp::{InterpConfig, InterpModule, Translator};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: translate <module.wasm> [repeat]");
    let repeat: u32 = args.next().map_or(1, |s| s.parse().expect("repeat count"));
    let mut listing = false;
    let mut translator = Translator::Optimizing;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for arg in args {
        if arg == "--listing" {
            listing = true;
        } else if arg == "--baseline" {
            translator = Translator::Baseline;
        } else if let Some(n) = arg.strip_prefix("--threads=") {
            threads = n.parse().expect("thread count");
        } else {
            panic!("unknown argument {arg}");
        }
    }
    let bytes: Arc<[u8]> = Arc::from(std::fs::read(&path).expect("readable module"));
    let start = std::time::Instant::now();
    for _ in 0..repeat {
        let info = Arc::new(validate(&bytes, CoreFeatures::default()).expect("valid module"));
        let config = InterpConfig { translator, ..InterpConfig::default() };
        let module = InterpModule::new(info, bytes.clone()).with_config(config);
        module.translate_all_on(threads).expect("translates");
        if listing {
            for f in module.num_imported_functions()..module.num_functions() {
                println!("{}", module.slot_code_text(f).expect("translated"));
            }
        }
    }
    eprintln!("{:.2} ms per translation", start.elapsed().as_secs_f64() * 1e3 / f64::from(repeat));
}
