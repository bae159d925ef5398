//! The `zerowasm` binary end to end: exit statuses, where output goes, and the
//! exact summary lines of `zerowasm wast`. Scripts are chosen so the outcome does
//! not depend on the frontend's progress.

use std::path::PathBuf;
use std::process::{Command, Output};

#[path = "../../wasi/tests/common/expected.rs"]
mod expected;

use expected::FILES_OUT;

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

/// `fib.wat`'s `crash` export trapped with its message and two-frame backtrace.
fn assert_crash_backtrace(out: &std::process::Output) {
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "error: wasm trap: out of bounds memory access");
    assert_eq!(lines[1..], ["  0: inner (wasm offset 0x55)", "  1: crash (wasm offset 0x5b)"], "{stderr}");
}

#[test]
fn run_reports_a_trap_with_its_backtrace_and_exits_134() {
    let out = zerowasm(&["run", "--invoke", "crash", &example("fib.wat")]);
    assert_eq!(out.status.code(), Some(134));
    assert_crash_backtrace(&out);
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

// `zerowasm run` flags, `zerowasm compile` and `zerowasm version`.

/// A new empty directory for one test, under the target's tmp dir.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    dir
}

/// A file of the workspace, by its path from the workspace root.
fn workspace_file(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path).display().to_string()
}

/// What a usage error of `command` prints on stderr.
fn usage_error(command: &zerowasm_cli::commands::Command, message: &str) -> String {
    format!("error: {message}\n\n{}", command.usage)
}

/// A `_start` that never returns.
const SPIN: &str = r#"(module (func (export "_start") (loop $forever (br $forever))))"#;

/// A `_start` that counts to 10 and returns (about 60 instructions).
const COUNT: &str = r#"(module (func (export "_start") (local $i i32)
    (loop $next
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 10))))))"#;

#[test]
fn run_env_sets_the_guests_environment() {
    let hello = workspace_file("wasi/tests/guests/hello.wasm");
    let out = zerowasm(&["run", "--env", "GREETING=hi there", "--env", "OTHER=x=y", &hello]);
    assert_eq!(text(&out.stderr), "to stderr\n");
    assert_eq!(
        text(&out.stdout),
        format!("hello from wasi, argc=1\nargv[0]={hello}\nGREETING=hi there\nMISSING=(unset)\n")
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn run_env_without_key_and_value_is_a_usage_error() {
    let hello = workspace_file("wasi/tests/guests/hello.wasm");
    for (value, message) in [
        ("GREETING", "--env expects KEY=VALUE, got `GREETING`"),
        ("=hi", "--env expects KEY=VALUE, got `=hi`"),
    ] {
        let out = zerowasm(&["run", "--env", value, &hello]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(out.stdout.is_empty(), "{value}");
        assert_eq!(text(&out.stderr), usage_error(&zerowasm_cli::commands::run::COMMAND, message));
    }
    let out = zerowasm(&["run", &hello, "--env"]);
    assert_eq!(out.status.code(), Some(0), "after FILE, flags are the guest's arguments");
}

#[test]
fn run_exits_with_the_guests_exit_code() {
    let hello = workspace_file("wasi/tests/guests/hello.wasm");
    for (arg, code) in [("0", 0), ("7", 7), ("42", 42)] {
        let out = zerowasm(&["run", &hello, arg]);
        assert_eq!(out.status.code(), Some(code), "hello {arg}: {}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            format!(
                "hello from wasi, argc=2\nargv[0]={hello}\nargv[1]={arg}\nGREETING=(unset)\nMISSING=(unset)\n"
            )
        );
    }
}

#[test]
fn run_mount_and_dir_give_the_guest_a_host_directory() {
    let files = workspace_file("wasi/tests/guests/files.wasm");
    for flag in ["--mount", "--dir"] {
        let dir = fresh_dir(&format!("mount{flag}"));
        let spec = format!("{}:/data", dir.display());
        let out = zerowasm(&["run", flag, &spec, &files]);
        assert_eq!(text(&out.stderr), "", "{flag}");
        assert_eq!(text(&out.stdout), FILES_OUT, "{flag}");
        assert_eq!(out.status.code(), Some(0), "{flag}");
        let left = std::fs::read_dir(&dir).map(|d| d.count()).expect("the mounted directory");
        assert_eq!(left, 0, "{flag}: the guest removed what it created");
    }
}

#[test]
fn run_mount_read_only_refuses_writes() {
    let files = workspace_file("wasi/tests/guests/files.wasm");
    let dir = fresh_dir("mount-ro");
    let spec = format!("{}:/data:ro", dir.display());
    let out = zerowasm(&["run", "--mount", &spec, &files]);
    // files.c's first write, `open("/data/a.txt", O_CREAT | O_RDWR)`, fails
    // with ENOTCAPABLE (76 in wasi-libc) and the guest exits with 1.
    assert_eq!(text(&out.stdout), "FAIL line 30: fd >= 0 (errno 76)\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(&dir).map(|d| d.count()).expect("the mounted directory"), 0);
}

#[test]
fn run_bad_mounts_are_usage_errors_or_failures() {
    let files = workspace_file("wasi/tests/guests/files.wasm");
    for (flag, spec) in [("--mount", ":/data"), ("--dir", "a:b:c"), ("--mount", "host:")] {
        let out = zerowasm(&["run", flag, spec, &files]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        assert!(out.stdout.is_empty(), "{spec}");
        let message = format!("configuration error: bad mount `{spec}`: expected HOST[:GUEST][:ro]");
        assert_eq!(text(&out.stderr), usage_error(&zerowasm_cli::commands::run::COMMAND, &message));
    }
    // A well-formed mount of a directory that does not exist fails at
    // instantiation, before the guest runs.
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-dir");
    let out = zerowasm(&["run", "--mount", &format!("{}:/data", missing.display()), &files]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: cannot instantiate {files}: configuration error: cannot mount host directory {}: \
             No such file or directory (os error 2)\n",
            missing.display()
        )
    );
}

#[test]
fn run_timeout_stops_a_guest_that_never_returns() {
    let spin = script("timeout-spin.wat", SPIN);
    let start = std::time::Instant::now();
    let out = zerowasm(&["run", "--timeout", "200ms", &spin]);
    let elapsed = start.elapsed();
    assert_eq!(out.status.code(), Some(134), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "error: wasm trap: interrupted", "{stderr}");
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[1].starts_with("  0: _start (wasm offset 0x"), "{stderr}");
    assert!(elapsed >= std::time::Duration::from_millis(200), "stopped before the timeout: {elapsed:?}");
    assert!(elapsed < std::time::Duration::from_secs(10), "took {elapsed:?}");

    let count = script("timeout-count.wat", COUNT);
    let out = zerowasm(&["run", "--timeout", "10s", &count]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn run_timeout_needs_a_duration() {
    let spin = script("timeout-bad.wat", SPIN);
    for (value, message) in [
        ("xyz", "`xyz` is not a duration (try 500ms, 10s, 2m)"),
        ("5parsecs", "`5parsecs` is not a duration (try 500ms, 10s, 2m)"),
    ] {
        let out = zerowasm(&["run", "--timeout", value, &spin]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(out.stdout.is_empty());
        assert_eq!(text(&out.stderr), usage_error(&zerowasm_cli::commands::run::COMMAND, message));
    }
}

#[test]
fn run_fuel_bounds_the_instructions_a_guest_runs() {
    let spin = script("fuel-spin.wat", SPIN);
    let out = zerowasm(&["run", "--fuel", "1000", &spin]);
    assert_eq!(out.status.code(), Some(134));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "error: wasm trap: all fuel consumed", "{stderr}");
    assert!(lines[1].starts_with("  0: _start (wasm offset 0x"), "{stderr}");

    let count = script("fuel-count.wat", COUNT);
    let out = zerowasm(&["run", "--fuel", "1000", &count]);
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()), "enough fuel");
    let out = zerowasm(&["run", "--fuel", "10", &count]);
    assert_eq!(out.status.code(), Some(134), "too little fuel");
    assert_eq!(text(&out.stderr).lines().next(), Some("error: wasm trap: all fuel consumed"));

    let out = zerowasm(&["run", "--fuel", "lots", &count]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        usage_error(&zerowasm_cli::commands::run::COMMAND, "--fuel expects a count, got `lots`")
    );
}

#[test]
fn run_trace_prints_every_call_and_return() {
    let out = zerowasm(&["run", "--trace", "--invoke", "fib", &example("fib.wat"), "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "2\n");
    assert_eq!(
        text(&out.stderr),
        "--> fib(n=3)\n\
         \t--> fib(n=2)\n\
         \t\t--> fib(n=1)\n\
         \t\t<-- 1\n\
         \t\t--> fib(n=0)\n\
         \t\t<-- 0\n\
         \t<-- 1\n\
         \t--> fib(n=1)\n\
         \t<-- 1\n\
         <-- 2\n"
    );
}

/// Runs `zerowasm compile --cache-dir DIR FILE` and checks its two lines;
/// returns the cache summary line.
fn compile_into(dir: &std::path::Path, file: &str) -> String {
    let dir_text = dir.display().to_string();
    let out = zerowasm(&["compile", "--cache-dir", &dir_text, file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with(&format!("{file}: compiled in ")), "{stdout}");
    let summary = lines[1].strip_prefix(&format!("cache {dir_text}: "));
    summary.unwrap_or_else(|| panic!("no cache summary: {stdout}")).to_string()
}

/// The cache files in `dir`.
fn cache_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).expect("the cache directory");
    entries.map(|e| e.expect("a directory entry").path()).collect()
}

#[test]
fn compile_fills_a_cache_that_run_uses_and_corrupt_entries_are_recompiled() {
    let dir = fresh_dir("cache");
    let kernel = workspace_file("benches/guests/kernels/fib.wasm");
    let dir_text = dir.display().to_string();
    assert_eq!(compile_into(&dir, &kernel), "0 hits, 1 compiled, 0 rejected");
    let files = cache_files(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(compile_into(&dir, &kernel), "1 hits, 0 compiled, 0 rejected");

    // `run` starts from the cached module: `_start`, then an export.
    let out = zerowasm(&["run", "--cache-dir", &dir_text, &kernel]);
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()));
    let out = zerowasm(&["run", "--cache-dir", &dir_text, "--invoke", "run", &kernel, "20"]);
    assert_eq!(text(&out.stdout), "6765\n", "{}", text(&out.stderr));

    // A corrupt entry is rejected, recompiled and rewritten.
    std::fs::write(&files[0], b"garbage").expect("overwrite the cache file");
    assert_eq!(compile_into(&dir, &kernel), "0 hits, 1 compiled, 1 rejected");
    assert_eq!(compile_into(&dir, &kernel), "1 hits, 0 compiled, 0 rejected");
    // `run` also survives one, and leaves a good entry behind.
    std::fs::write(&files[0], b"garbage").expect("overwrite the cache file");
    let out = zerowasm(&["run", "--cache-dir", &dir_text, "--invoke", "run", &kernel, "20"]);
    assert_eq!(text(&out.stdout), "6765\n", "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(compile_into(&dir, &kernel), "1 hits, 0 compiled, 0 rejected");
    assert_eq!(cache_files(&dir), files);
}

#[test]
fn compile_needs_a_cache_dir_and_a_file() {
    let kernel = workspace_file("benches/guests/kernels/fib.wasm");
    let usage = |m: &str| usage_error(&zerowasm_cli::commands::compile::COMMAND, m);
    let dir = fresh_dir("cache-usage");
    let dir_text = dir.display().to_string();
    for (args, message) in [
        (vec!["compile", kernel.as_str()], "--cache-dir is required"),
        (vec!["compile", "--cache-dir", dir_text.as_str()], "no FILE given"),
        (vec!["compile", kernel.as_str(), "--cache-dir"], "--cache-dir needs a value"),
    ] {
        let out = zerowasm(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(text(&out.stderr), usage(message), "{args:?}");
    }
    assert!(cache_files(&dir).is_empty());
}

#[test]
fn version_names_the_version_engine_and_host() {
    let out = zerowasm(&["version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!(
            "zerowasm 0.1.0\nengine: interpreter\nhost: {}-{}\n",
            std::env::consts::ARCH,
            std::env::consts::OS
        )
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn run_help_lists_every_flag() {
    let out = zerowasm(&["run", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let stdout = text(&out.stdout);
    assert_eq!(stdout, zerowasm_cli::commands::run::COMMAND.usage);
    for flag in [
        "  --engine interpreter ",
        "  --translator optimizing|baseline\n",
        "  --invoke NAME ",
        "  --env KEY=VALUE ",
        "  --mount HOST[:GUEST][:ro] ",
        "  --dir HOST[:GUEST][:ro] ",
        "  --timeout DURATION ",
        "  --fuel N ",
        "  --cache-dir DIR ",
        "  --trace ",
        "  -h, --help ",
    ] {
        assert!(stdout.contains(flag), "`{flag}` missing from:\n{stdout}");
    }
}

// `--translator optimizing|baseline` on `run`, `wast` and `compile`.

#[test]
fn run_with_either_translator_gives_the_same_results_and_backtraces() {
    for translator in ["baseline", "optimizing"] {
        let out =
            zerowasm(&["run", "--translator", translator, "--invoke", "fib", &example("fib.wat"), "20"]);
        assert_eq!(out.status.code(), Some(0), "{translator}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "6765\n", "{translator}");
        let out = zerowasm(&["run", "--translator", translator, "--invoke", "crash", &example("fib.wat")]);
        assert_eq!(out.status.code(), Some(134), "{translator}");
        assert_crash_backtrace(&out);
    }
}

#[test]
fn run_executes_the_big_c_guest_with_the_optimizing_translator() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/guests/bigc");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.txt")).expect("EXPECTED.txt");
    let block = expected.split("\nargs:").nth(1).expect("a recorded run");
    let stdout = block.split("stdout:\n").nth(1).and_then(|b| b.split("\nend").next()).expect("stdout block");
    let out = zerowasm(&["run", "--translator", "optimizing", &dir.join("bigc.wasm").display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{stdout}\n"));
}

#[test]
fn wast_runs_scripts_with_the_optimizing_translator() {
    let file = script(
        "optimizing.wast",
        "(module (func $fib (export \"fib\") (param i32) (result i32)\n\
           (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))\n\
             (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))\n\
                            (call $fib (i32.sub (local.get 0) (i32.const 2))))))))\n\
         (assert_return (invoke \"fib\" (i32.const 20)) (i32.const 6765))\n\
         (module (func (export \"div\") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))\n\
         (assert_trap (invoke \"div\" (i32.const 1) (i32.const 0)) \"integer divide by zero\")\n",
    );
    for args in
        [&["wast", "--translator", "optimizing", &file][..], &["wast", "--translator=optimizing", &file]]
    {
        let out = zerowasm(args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
        assert_eq!(text(&out.stdout).lines().last(), Some("4 passed, 0 failed, 0 skipped"), "{args:?}");
    }
}

#[test]
fn an_unknown_translator_is_a_usage_error_everywhere() {
    let kernel = workspace_file("benches/guests/kernels/fib.wasm");
    let dir = fresh_dir("translator-usage");
    let dir_text = dir.display().to_string();
    let message = "unknown translator `jit` (expected optimizing or baseline)";
    use zerowasm_cli::commands::{compile, run, wast};
    for (args, command) in [
        (vec!["run", "--translator", "jit", kernel.as_str()], &run::COMMAND),
        (
            vec!["compile", "--cache-dir", dir_text.as_str(), "--translator", "jit", kernel.as_str()],
            &compile::COMMAND,
        ),
        (vec!["wast", "--translator", "jit", "a.wast"], &wast::COMMAND),
    ] {
        let out = zerowasm(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(text(&out.stderr), usage_error(command, message), "{args:?}");
    }
    for command in ["wast", "compile"] {
        let out = zerowasm(&[command, "--help"]);
        assert!(text(&out.stdout).contains("  --translator optimizing|baseline\n"), "{command}");
    }
}

#[test]
fn compile_keeps_one_cache_entry_per_translator() {
    let dir = fresh_dir("cache-translator");
    let kernel = workspace_file("benches/guests/kernels/fib.wasm");
    let dir_text = dir.display().to_string();
    assert_eq!(compile_into(&dir, &kernel), "0 hits, 1 compiled, 0 rejected");
    let compile_optimizing = || {
        let out = zerowasm(&["compile", "--cache-dir", &dir_text, "--translator", "optimizing", &kernel]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout).lines().last().map(str::to_string)
    };
    let summary = |s: &str| Some(format!("cache {dir_text}: {s}"));
    assert_eq!(compile_optimizing(), summary("0 hits, 1 compiled, 0 rejected"));
    assert_eq!(cache_files(&dir).len(), 2);
    assert_eq!(compile_optimizing(), summary("1 hits, 0 compiled, 0 rejected"));
    assert_eq!(compile_into(&dir, &kernel), "1 hits, 0 compiled, 0 rejected");
    let out = zerowasm(&[
        "run",
        "--cache-dir",
        &dir_text,
        "--translator",
        "optimizing",
        "--invoke",
        "run",
        &kernel,
        "20",
    ]);
    assert_eq!(text(&out.stdout), "6765\n", "{}", text(&out.stderr));
    assert_eq!(cache_files(&dir).len(), 2);
}
