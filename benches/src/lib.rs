//! Benchmark suites live in `benches/`; guest programs in `guests/`.
//!
//! Guests are real programs compiled to WebAssembly and committed as `.wasm`
//! next to their sources (`guests/build.sh` rebuilds them), so neither the
//! benches nor the tests need a C toolchain. This library only tells the
//! suites where those files are.

use std::path::PathBuf;

/// The directory holding the guest programs (`benches/guests`).
pub fn guests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("guests")
}

/// Path of a guest's module: `guests/<name>/<name>.wasm`.
pub fn guest_wasm_path(name: &str) -> PathBuf {
    guests_dir().join(name).join(format!("{name}.wasm"))
}

/// Reads a guest's module, with an error that names the file and says how to
/// rebuild it.
pub fn read_guest(name: &str) -> Result<Vec<u8>, String> {
    let path = guest_wasm_path(name);
    std::fs::read(&path).map_err(|e| {
        format!("cannot read guest module {}: {e} (rebuild with benches/guests/build.sh)", path.display())
    })
}
