//! The `zerowasm` binary end to end: exit statuses, where output goes, and the
//! exact summary lines of `zerowasm wast`. Scripts are chosen so the outcome does
//! not depend on the frontend's progress.

use std::path::PathBuf;
use std::process::{Command, Output};

fn zerowasm(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_zerowasm")).args(args).output() {
        Ok(output) => output,
        Err(e) => panic!("cannot run zerowasm: {e}"),
    }
}

fn script(name: &str, text: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    if let Err(e) = std::fs::write(&path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
    path.display().to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn unknown_subcommand_and_flag_exit_2_with_usage_on_stderr() {
    for args in [&["frobnicate"][..], &["wast", "--frobnicate", "a.wast"], &[], &["wast"]] {
        let out = zerowasm(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(text(&out.stderr).contains("usage: zerowasm"), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn scripts_execute_and_only_module_quote_is_skipped() {
    let file = script(
        "exec.wast",
        "(module (func (export \"f\") (result i32) i32.const 7))\n\
         (assert_return (invoke \"f\") (i32.const 7))\n\
         (assert_malformed (module quote \"(func\") \"unexpected token\")\n",
    );
    let out = zerowasm(&["wast", "--engine", "interpreter", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "skipped: 1 text-format module quote cases (they test the wast crate's parser), \
         0 directives that need execution\n2 passed, 0 failed, 1 skipped\n"
    );
}

#[test]
fn a_wrong_result_is_one_failure_line_and_exit_1() {
    let file = script(
        "wrong.wast",
        "(module (func (export \"f\") (result i32) i32.const 7))\n(assert_return (invoke \"f\") (i32.const 8))\n",
    );
    let out = zerowasm(&["wast", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("{file}:2: assert_return: expected (i32.const 8), got (i32.const 7)"));
    assert_eq!(lines.last(), Some(&"1 passed, 1 failed, 0 skipped"));
}

#[test]
fn the_compiler_engine_is_refused_until_it_exists() {
    let file = script("any.wast", "(module)\n");
    let out = zerowasm(&["wast", "--engine", "compiler", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "error: the compiler engine is not implemented yet; use --engine interpreter\n"
    );
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name).display().to_string()
}

#[test]
fn run_invokes_an_export_and_prints_its_results() {
    let out = zerowasm(&["run", "--invoke", "fib", &example("fib.wat"), "20"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "6765\n");
}

#[test]
fn run_reports_a_trap_with_its_backtrace_and_exits_134() {
    let out = zerowasm(&["run", "--invoke", "crash", &example("fib.wat")]);
    assert_eq!(out.status.code(), Some(134));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "error: wasm trap: out of bounds memory access");
    assert_eq!(lines[1..], ["  0: inner (wasm offset 0x55)", "  1: crash (wasm offset 0x5b)"], "{stderr}");
}

#[test]
fn run_passes_extra_words_to_start_as_program_arguments() {
    let kernel = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/guests/kernels/fib.wasm");
    let out = zerowasm(&["run", &kernel.display().to_string(), "", "more"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn run_calls_start_of_a_freestanding_guest() {
    let kernel = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/guests/kernels/sieve.wasm");
    let out = zerowasm(&["run", "--invoke", "run", &kernel.display().to_string(), "1000"]);
    assert_eq!(text(&out.stdout), "168\n", "{}", text(&out.stderr));
}

#[test]
fn ir_prints_the_ssa_of_one_function() {
    let out = zerowasm(&["ir", "--func", "fib", &example("fib.wat")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("function %fib(i64, i32) -> i32 {\n"), "{stdout}");
    assert_eq!(stdout.matches("function %").count(), 1);
}

#[test]
fn unparseable_and_missing_scripts_are_one_failure_each() {
    let bad = script("bad.wast", "(assert_return (invoke \"f\")\n");
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("missing.wast").display().to_string();
    let out = zerowasm(&["wast", &bad, &missing]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("{bad}:2: script: expected a parseable wast script, got ")),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!("{missing}: script: expected a readable UTF-8 file, got ")),
        "{stdout}"
    );
    assert_eq!(lines[3], "0 passed, 2 failed, 0 skipped");
}

#[test]
fn run_executes_a_wasi_command_with_arguments_and_its_exit_code() {
    let hello = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wasi/tests/guests/hello.wasm");
    let out = zerowasm(&["run", &hello.display().to_string(), "7", "beta"]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("hello from wasi, argc=3\n"), "{stdout}");
    assert!(stdout.contains("argv[1]=7\nargv[2]=beta\n"), "{stdout}");
    // hello.c exits with atoi(argv[1]).
    assert_eq!(out.status.code(), Some(7), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "to stderr\n");
}

#[test]
fn run_executes_the_big_c_guest_exactly_as_v8_did() {
    // The first block of EXPECTED.txt: no arguments, as recorded on V8.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/guests/bigc");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.txt")).expect("EXPECTED.txt");
    let block = expected.split("\nargs:").nth(1).expect("a recorded run");
    assert!(block.starts_with("\n"), "the first recorded run takes no arguments");
    let stdout = block.split("stdout:\n").nth(1).and_then(|b| b.split("\nend").next()).expect("stdout block");
    let out = zerowasm(&["run", &dir.join("bigc.wasm").display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{stdout}\n"));
}
