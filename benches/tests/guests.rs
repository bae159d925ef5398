//! Checks on the committed guest modules: they are valid WebAssembly 2.0
//! (by wasmparser, an independent validator, and by zerowasm's own), export
//! what a WASI command needs, stay big enough to be a meaningful benchmark,
//! use the instructions they exist to stress, and their recorded expected
//! output belongs to the module that is committed.

use wasmparser::{ExternalKind, Operator, Parser, Payload, Validator, WasmFeatures};
use zerowasm_benches::{guests_dir, read_guest};

/// Every WASI guest: `guests/<name>/<name>.wasm` with `guests/<name>/EXPECTED.txt`.
/// (The freestanding `kernels/` are not WASI commands and are checked elsewhere.)
const GUESTS: &[&str] = &[
    "bigc",
    "recursion",
    "memtraffic",
    "floats",
    "bits",
    "trees",
    "sorting",
    "crc",
    "switch",
    "bulkmem",
    "simd",
    "indirect",
    "lua",
];

/// A guest's committed module; the error names the file and how to rebuild it.
fn guest(name: &str) -> Vec<u8> {
    read_guest(name).unwrap_or_else(|e| panic!("{e}"))
}

/// The committed `bigc.wasm`.
fn bigc() -> Vec<u8> {
    guest("bigc")
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

#[test]
fn every_guest_directory_is_listed() {
    // A new guest directory must be added to GUESTS, so that it gets checked.
    let mut found = Vec::new();
    for entry in std::fs::read_dir(guests_dir()).expect("guests dir is readable") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || name == "kernels" {
            continue;
        }
        let has_c = std::fs::read_dir(entry.path())
            .expect("guest dir is readable")
            .any(|f| f.map(|f| f.path().extension().is_some_and(|e| e == "c")).unwrap_or(false));
        if has_c {
            found.push(name);
        }
    }
    for name in &found {
        assert!(GUESTS.contains(&name.as_str()), "guests/{name}/ is not listed in GUESTS (tests/guests.rs)");
    }
    for name in GUESTS {
        assert!(found.iter().any(|f| f == name), "GUESTS lists {name}, but guests/{name}/ has no C source");
    }
}

#[test]
fn every_guest_is_valid_wasm2_per_wasmparser() {
    for name in GUESTS {
        let bytes = guest(name);
        let mut validator = Validator::new_with_features(WasmFeatures::WASM2);
        if let Err(e) = validator.validate_all(&bytes) {
            panic!("wasmparser rejects {name}.wasm under WASM2 features: {e}");
        }
    }
}

#[test]
fn every_guest_is_valid_per_zerowasm() {
    for name in GUESTS {
        let bytes = guest(name);
        match zerowasm_frontend::validate(&bytes, zerowasm_frontend::CoreFeatures::default()) {
            Ok(info) => {
                assert!(
                    info.exports.iter().any(|e| e.name == "_start"),
                    "zerowasm sees {name}'s _start export"
                );
            }
            Err(e) => panic!("zerowasm rejects {name}.wasm: {e}"),
        }
    }
}

#[test]
fn every_guest_is_a_wasi_command() {
    for name in GUESTS {
        let s = shape(&guest(name));
        assert!(
            s.exports.iter().any(|(n, kind)| n == "_start" && *kind == ExternalKind::Func),
            "{name}.wasm must export the function _start; exports: {:?}",
            s.exports
        );
        assert!(
            s.exports.iter().any(|(n, kind)| n == "memory" && *kind == ExternalKind::Memory),
            "{name}.wasm must export its memory; exports: {:?}",
            s.exports
        );
        assert!(s.imported_functions > 0, "{name}.wasm imports its WASI functions");
        // Committed binaries stay small enough for the repository.
        assert!(s.code_bytes < 2 << 20, "{name}.wasm has {} bytes of code", s.code_bytes);
    }
}

#[test]
fn every_guest_has_expected_output_for_the_committed_module() {
    for name in GUESTS {
        let bytes = guest(name);
        let path = guests_dir().join(name).join("EXPECTED.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (module_bytes, runs) = parse_expected(&text);
        assert_eq!(
            module_bytes,
            bytes.len(),
            "{name}/EXPECTED.txt was recorded for another build of {name}.wasm: \
             run benches/guests/record-expected.sh {name}"
        );
        assert!(
            runs.iter().any(|r| r.args.is_empty()),
            "{name}: the default-size run (no arguments) is recorded"
        );
        assert!(runs.len() >= 2, "{name}: a small run is recorded besides the default one");
        for run in &runs {
            assert_eq!(run.exit, 0, "{name} args {:?}", run.args);
            let last = run.stdout.lines().last().unwrap_or("");
            assert!(
                last.contains(" checksum "),
                "{name} args {:?}: last line is the checksum, got {last:?}",
                run.args
            );
        }
    }
}

/// How often each operator of interest occurs in a module's code.
#[derive(Default, Debug)]
struct OpCounts {
    memory_copy: usize,
    memory_fill: usize,
    call_indirect: usize,
    simd: usize,
}

fn count_ops(bytes: &[u8]) -> OpCounts {
    let mut c = OpCounts::default();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::CodeSectionEntry(body) = payload.expect("module parses") {
            let mut ops = body.get_operators_reader().expect("body decodes");
            while !ops.eof() {
                match ops.read().expect("operator decodes") {
                    Operator::MemoryCopy { .. } => c.memory_copy += 1,
                    Operator::MemoryFill { .. } => c.memory_fill += 1,
                    Operator::CallIndirect { .. } => c.call_indirect += 1,
                    op => {
                        if op.is_simd() {
                            c.simd += 1;
                        }
                    }
                }
            }
        }
    }
    c
}

/// Whether an operator belongs to the fixed-width SIMD proposal (its
/// variant name starts with a vector type).
trait IsSimd {
    fn is_simd(&self) -> bool;
}
impl IsSimd for Operator<'_> {
    fn is_simd(&self) -> bool {
        let name = format!("{self:?}");
        ["V128", "I8x16", "I16x8", "I32x4", "I64x2", "F32x4", "F64x2"].iter().any(|p| name.starts_with(p))
    }
}

#[test]
fn guests_use_what_they_stress() {
    // A rebuild with different flags (say, -mbulk-memory or -msimd128
    // dropped) would silently turn these benchmarks into something else.
    let bulk = count_ops(&guest("bulkmem"));
    assert!(bulk.memory_copy >= 5 && bulk.memory_fill >= 2, "bulkmem uses memory.copy/fill: {bulk:?}");
    let simd = count_ops(&guest("simd"));
    assert!(simd.simd >= 50, "simd uses v128 instructions: {simd:?}");
    let indirect = count_ops(&guest("indirect"));
    assert!(indirect.call_indirect >= 5, "indirect uses call_indirect: {indirect:?}");
    for name in GUESTS.iter().filter(|n| **n != "simd") {
        let c = count_ops(&guest(name));
        assert_eq!(c.simd, 0, "{name} is built without -msimd128: {c:?}");
    }
}

#[test]
fn lua_is_the_whole_interpreter() {
    // lua.wasm is Lua 5.4 from the lua-src crate plus our main: a real
    // program, much larger than the hand-written guests.
    let s = shape(&guest("lua"));
    assert!(s.defined_functions >= 500, "only {} functions", s.defined_functions);
    assert!(s.code_bytes >= 150_000, "only {} bytes of code", s.code_bytes);
}
