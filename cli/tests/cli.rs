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
fn skips_only_exit_0_and_end_with_the_totals_line() {
    let file = script(
        "skips.wast",
        "(assert_malformed (module quote \"(func\") \"unexpected token\")\n(invoke \"f\")\n",
    );
    let out = zerowasm(&["wast", "--engine", "interpreter", &file]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "skipped: 1 text-format module quote cases (they test the wast crate's parser), \
         1 directives that need execution\n0 passed, 0 failed, 2 skipped\n"
    );
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
