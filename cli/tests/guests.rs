//! Every benchmark guest in `benches/guests` runs under `zerowasm run` with
//! exactly the stdout and exit code recorded on V8 and wasmtime
//! (`EXPECTED.txt`, the small run with argument `1`; bigc's first run).

use std::path::PathBuf;
use std::process::Command;

struct Run {
    args: Vec<String>,
    exit: i32,
    stdout: String,
}

/// The recorded runs of one EXPECTED.txt.
fn recorded_runs(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    for block in text.split("\nargs:").skip(1) {
        let mut lines = block.lines();
        let args = lines.next().unwrap_or_default().split_whitespace().map(String::from).collect();
        let exit = lines.next().and_then(|l| l.strip_prefix("exit: ")).and_then(|c| c.parse().ok());
        assert_eq!(lines.next(), Some("stdout:"), "malformed EXPECTED block: {block}");
        let stdout: Vec<&str> = lines.take_while(|l| *l != "end").collect();
        runs.push(Run {
            args,
            exit: exit.expect("an exit line"),
            stdout: format!("{}\n", stdout.join("\n")),
        });
    }
    runs
}

#[test]
fn every_guest_prints_what_other_engines_recorded() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/guests");
    let mut checked = 0;
    let mut names: Vec<_> =
        std::fs::read_dir(&dir).expect("guests dir").map(|e| e.expect("entry").path()).collect();
    names.sort();
    for guest in names {
        let expected = guest.join("EXPECTED.txt");
        let Ok(text) = std::fs::read_to_string(&expected) else { continue };
        let name = guest.file_name().expect("name").to_string_lossy().into_owned();
        let runs = recorded_runs(&text);
        // The small run keeps the debug-build test fast; bigc records no `1` run, take its first.
        let run = runs.iter().find(|r| r.args == ["1"]).or_else(|| runs.first()).expect("a recorded run");
        let wasm = guest.join(format!("{name}.wasm"));
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
