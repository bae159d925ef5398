//! Every benchmark guest in `benches/guests` runs under `zerowasm run` with
//! exactly the stdout and exit code recorded on V8 and wasmtime
//! (`EXPECTED.txt`, the small run with argument `1`; bigc's first run).

use std::process::Command;

#[test]
fn every_guest_prints_what_other_engines_recorded() {
    let mut checked = 0;
    for name in zerowasm_benches::wasi_guests() {
        // The small run keeps the debug-build test fast; bigc records no `1` run, take its first.
        let run = zerowasm_benches::small_run(&name).expect("a recorded run");
        let wasm = zerowasm_benches::guest_wasm_path(&name);
        let out = Command::new(env!("CARGO_BIN_EXE_zerowasm"))
            .arg("run")
            .arg(&wasm)
            .args(&run.args)
            .output()
            .expect("zerowasm runs");
        assert_eq!(String::from_utf8_lossy(&out.stdout), run.stdout, "{name} {:?}", run.args);
        assert_eq!(out.status.code(), Some(run.exit), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        checked += 1;
    }
    assert!(checked >= 13, "only {checked} guests checked");
}
