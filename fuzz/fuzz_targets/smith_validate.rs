//! wasm-smith generates valid WebAssembly 2.0 modules; zerowasm must accept
//! every one of them, and wasmparser (with `WasmFeatures::WASM2`) must agree.
//!
//! The generator's shape limits (counts of functions, types, instructions,
//! LEB padding, ...) come from the fuzz input or are wasm-smith's defaults;
//! its feature set is pinned to exactly WebAssembly 2.0: the 1.0 core plus
//! SIMD, bulk memory, reference types, multi-value, non-trapping float-to-int
//! and sign extension. Every later proposal is off.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wasm_smith::{Config, InstructionKinds, Module};
use wasmparser::{Validator, WasmFeatures};
use zerowasm_frontend::CoreFeatures;

/// A wasm-smith configuration for exactly WebAssembly 2.0.
///
/// Half the inputs draw the shape limits from the input too; the other half
/// keep wasm-smith's defaults, so all their bytes go into the module itself
/// (an arbitrary `Config` eats dozens of bytes before the module starts).
fn wasm2_config(u: &mut Unstructured<'_>) -> arbitrary::Result<Config> {
    let mut config = if u.arbitrary::<bool>()? { Config::arbitrary(u)? } else { Config::default() };

    // In: the 2.0 feature set, with every instruction kind and floats allowed.
    config.simd_enabled = true;
    config.bulk_memory_enabled = true;
    config.reference_types_enabled = true;
    config.multi_value_enabled = true;
    config.saturating_float_to_int_enabled = true;
    config.sign_extension_ops_enabled = true;
    config.allowed_instructions = InstructionKinds::all();
    config.allow_floats = true;
    // Custom sections are part of 1.0; generate some.
    config.generate_custom_sections = true;

    // Out: everything standardised after 2.0, and proposals.
    config.tail_call_enabled = false;
    config.gc_enabled = false;
    config.exceptions_enabled = false;
    config.threads_enabled = false;
    config.shared_everything_threads_enabled = false;
    config.acquire_release_atomics_enabled = false;
    config.memory64_enabled = false;
    config.max_memories = config.max_memories.min(1); // multi-memory
    config.relaxed_simd_enabled = false;
    config.extended_const_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.wide_arithmetic_enabled = false;
    config.compact_imports_enabled = false;
    config.custom_descriptors_enabled = false;
    config.multibyte_array_access_enabled = false;
    // wasm-smith only builds core modules here, so the component model is out
    // by construction (max_components etc. apply to components only).

    // A field added to wasm-smith later and on by default would slip through
    // the list above; the feature set wasm-smith reports catches that.
    let features = config.features();
    assert!(
        WasmFeatures::WASM2.contains(features),
        "wasm-smith config enables features beyond 2.0: {:?}",
        features.difference(WasmFeatures::WASM2)
    );
    Ok(config)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(config) = wasm2_config(&mut u) else { return };
    let Ok(module) = Module::new(config, &mut u) else { return };
    let bytes = module.to_bytes();
    // When reproducing one input, `SMITH_DUMP=out.wasm` saves the module to inspect.
    if let Some(path) = std::env::var_os("SMITH_DUMP") {
        if let Err(e) = std::fs::write(&path, &bytes) {
            panic!("cannot write SMITH_DUMP file {}: {e}", path.to_string_lossy());
        }
    }

    let ours = zerowasm_frontend::validate(&bytes, CoreFeatures::default());
    let theirs = Validator::new_with_features(WasmFeatures::WASM2).validate_all(&bytes);

    match (&ours, &theirs) {
        (Ok(_), Ok(_)) => {}
        (Err(e), Ok(_)) => panic!("zerowasm rejects a valid wasm-smith module that wasmparser accepts: {e}"),
        (Ok(_), Err(e)) => panic!(
            "wasmparser (WASM2) rejects a wasm-smith module that zerowasm accepts: {e}\n\
             (either the smith config leaks a post-2.0 feature, or zerowasm is too lax)"
        ),
        (Err(ours), Err(theirs)) => panic!(
            "both reject a wasm-smith module; the smith config leaks a post-2.0 feature?\n\
             zerowasm: {ours}\nwasmparser: {theirs}"
        ),
    }
});
