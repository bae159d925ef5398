//! Running a guest through the runtime with `add_to_linker`.

use std::sync::{Arc, Mutex};

use zerowasm_runtime::{CompiledModule, Linker, Store};
use zerowasm_wasi::{OutputBuffer, WasiCtxBuilder, add_to_linker, exit_code};

/// Runs `_start` of `wasm` with the context `b` (whose stdout is replaced);
/// returns stdout and the exit code (0 when `_start` returns).
pub fn run(wasm: &[u8], b: WasiCtxBuilder) -> (String, i32) {
    run_to(wasm, b, OutputBuffer::new())
}

/// [`run`] with stdout going to `out`, which the caller may watch while the
/// guest runs.
#[allow(dead_code)] // not every test file watches the output
pub fn run_to(wasm: &[u8], b: WasiCtxBuilder, out: OutputBuffer) -> (String, i32) {
    let ctx = Arc::new(Mutex::new(b.stdout(out.clone()).build().expect("context")));
    let mut store = Store::new();
    let mut linker = Linker::new();
    add_to_linker(&mut linker, &mut store, ctx);
    let module = CompiledModule::new(&store, wasm).expect("module");
    let instance = store.instantiate(&module, &linker).expect("instantiate");
    let start = instance.get_func("_start").expect("_start");
    let code = match store.call(start, &[]) {
        Ok(_) => 0,
        Err(trap) => exit_code(&trap)
            .unwrap_or_else(|| panic!("guest trapped: {trap:?}\nstdout: {}", out.to_string_lossy())),
    };
    (out.to_string_lossy(), code)
}
