//! Every benchmark guest in `benches/guests` runs under `zerowasm run` with
//! exactly the stdout and exit code recorded on V8 and wasmtime
//! (`EXPECTED.txt`, the small run with argument `1`; bigc's first run), on
//! both of the interpreter's translators.

use std::process::Command;

#[test]
fn every_guest_prints_what_other_engines_recorded() {
    let mut checked = 0;
    for name in zerowasm_benches::wasi_guests() {
        // The small run keeps the debug-build test fast; bigc records no `1` run, take its first.
        let run = zerowasm_benches::small_run(&name).expect("a recorded run");
        let wasm = zerowasm_benches::guest_wasm_path(&name);
        for translator in ["optimizing", "baseline"] {
            let out = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
                .args(["run", "--translator", translator])
                .arg(&wasm)
                .args(&run.args)
                .output()
                .expect("zerowasm runs");
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                run.stdout,
                "{name} {translator} {:?}",
                run.args
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(run.exit), "{name} {translator}: {stderr}");
        }
        checked += 1;
    }
    assert!(checked >= 13, "only {checked} guests checked");
}
