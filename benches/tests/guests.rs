//! Checks on the committed guest modules: they are valid WebAssembly 2.0
//! (by wasmparser, an independent validator), export what a WASI command
//! needs, stay big enough to be a meaningful benchmark, and their recorded
//! expected output belongs to the module that is committed.

use wasmparser::{ExternalKind, Parser, Payload, Validator, WasmFeatures};
use zerowasm_benches::{guests_dir, read_guest};

/// The committed `bigc.wasm`; the error names the file and how to rebuild it.
fn bigc() -> Vec<u8> {
    read_guest("bigc").unwrap_or_else(|e| panic!("{e}"))
}

/// Functions, exports and code size of a module, from a plain parse.
struct Shape {
    defined_functions: u32,
    imported_functions: u32,
    code_bytes: usize,
    exports: Vec<(String, ExternalKind)>,
}

fn shape(bytes: &[u8]) -> Shape {
    let mut s = Shape { defined_functions: 0, imported_functions: 0, code_bytes: 0, exports: Vec::new() };
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.expect("module parses") {
            Payload::ImportSection(reader) => {
                for imports in reader {
                    for import in imports.expect("import decodes") {
                        let (_, import) = import.expect("import decodes");
                        if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                            s.imported_functions += 1;
                        }
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("export decodes");
                    s.exports.push((export.name.to_string(), export.kind));
                }
            }
            Payload::CodeSectionStart { count, size, .. } => {
                s.defined_functions = count;
                s.code_bytes = size as usize;
            }
            _ => {}
        }
    }
    s
}

#[test]
fn bigc_is_valid_wasm2_per_wasmparser() {
    let bytes = bigc();
    let mut validator = Validator::new_with_features(WasmFeatures::WASM2);
    if let Err(e) = validator.validate_all(&bytes) {
        panic!("wasmparser rejects bigc.wasm under WASM2 features: {e}");
    }
}

#[test]
fn bigc_is_a_wasi_command() {
    let bytes = bigc();
    let s = shape(&bytes);
    assert!(
        s.exports.iter().any(|(name, kind)| name == "_start" && *kind == ExternalKind::Func),
        "bigc.wasm must export the function _start; exports: {:?}",
        s.exports
    );
    assert!(
        s.exports.iter().any(|(name, kind)| name == "memory" && *kind == ExternalKind::Memory),
        "bigc.wasm must export its memory; exports: {:?}",
        s.exports
    );
    assert!(s.imported_functions > 0, "bigc.wasm imports its WASI functions");
}

#[test]
fn bigc_is_big() {
    // Guards against an accidental rebuild that drops most of the program
    // (say, a kernel left out of main) and makes the benchmark meaningless.
    let bytes = bigc();
    let s = shape(&bytes);
    assert!(s.defined_functions >= 150, "only {} functions", s.defined_functions);
    assert!(s.code_bytes >= 100_000, "only {} bytes of code", s.code_bytes);
}

/// One recorded run from `EXPECTED.txt`.
struct Run {
    args: Vec<String>,
    exit: i32,
    stdout: String,
}

/// Parses `EXPECTED.txt` (format described in its header) into the module
/// size it was recorded for and its runs.
fn parse_expected(text: &str) -> (usize, Vec<Run>) {
    let mut module_bytes = None;
    let mut runs = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(n) = line.strip_prefix("module-bytes:") {
            module_bytes = Some(n.trim().parse::<usize>().expect("module-bytes is a number"));
            continue;
        }
        let args = line.strip_prefix("args:").unwrap_or_else(|| panic!("expected `args:`, found {line:?}"));
        let args = args.split_whitespace().map(str::to_string).collect();
        let exit = lines
            .next()
            .and_then(|l| l.strip_prefix("exit:"))
            .expect("`exit:` follows `args:`")
            .trim()
            .parse()
            .expect("exit code is a number");
        assert_eq!(lines.next(), Some("stdout:"), "`stdout:` follows `exit:`");
        let mut stdout = String::new();
        loop {
            let l = lines.next().expect("`end` closes stdout");
            if l == "end" {
                break;
            }
            stdout.push_str(l);
            stdout.push('\n');
        }
        runs.push(Run { args, exit, stdout });
    }
    (module_bytes.expect("EXPECTED.txt has a module-bytes line"), runs)
}

#[test]
fn bigc_expected_output_matches_the_committed_module() {
    let bytes = bigc();
    let path = guests_dir().join("bigc").join("EXPECTED.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (module_bytes, runs) = parse_expected(&text);
    assert_eq!(
        module_bytes,
        bytes.len(),
        "EXPECTED.txt was recorded for another build of bigc.wasm: run benches/guests/record-expected.sh"
    );
    assert!(runs.iter().any(|r| r.args == ["10"]), "the scale-10 run is recorded");
    for run in &runs {
        assert_eq!(run.exit, 0, "args {:?}", run.args);
        let last = run.stdout.lines().last().unwrap_or("");
        assert!(last.contains(" checksum "), "args {:?}: last line is the checksum, got {last:?}", run.args);
        assert!(run.stdout.contains(" 0 failed\n"), "args {:?}: self-checks passed", run.args);
    }
}

#[test]
fn bigc_is_valid_per_zerowasm() {
    let bytes = bigc();
    match zerowasm_frontend::validate(&bytes, zerowasm_frontend::CoreFeatures::default()) {
        Ok(info) => {
            assert!(info.exports.iter().any(|e| e.name == "_start"), "zerowasm sees the _start export");
        }
        Err(e) => panic!("zerowasm rejects bigc.wasm: {e}"),
    }
}
