//! `zerowasm compile FILE... --cache-dir DIR`: validates and compiles modules
//! into a compilation cache directory, so later `zerowasm run --cache-dir DIR`
//! (or an embedder using the same directory) starts from the cached result.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;

use zerowasm_runtime::Translator;

use super::run::{parse_translator, runtime_for};
use super::{Command, EXIT_FAILURE, EXIT_OK, UsageError, flag_value, usage_error};
use crate::load::read_module;

/// The table entry for `zerowasm compile`.
pub const COMMAND: Command = Command {
    name: "compile",
    summary: "compile modules into a cache directory",
    usage: USAGE,
    run: compile_command,
};

const USAGE: &str = "usage: zerowasm compile --cache-dir DIR [--translator optimizing|baseline] FILE...

Validates and compiles each FILE (.wasm or .wat) and stores the result in the
compilation cache DIR, keyed by the sha256 of the module, the engine, the
zerowasm version and the CPU features. Prints one line per file.

options:
  --cache-dir DIR   the cache directory (created if missing)
  --translator optimizing|baseline
                    how the interpreter translates functions (default: baseline);
                    part of the cache key, so `run` needs the same one to hit
  -h, --help        print this help
";

fn compile_command(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let mut dir = None;
    let mut translator = Translator::default();
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match &*arg.to_string_lossy() {
            "-h" | "--help" => {
                write!(out, "{USAGE}")?;
                return Ok(EXIT_OK);
            }
            "--cache-dir" => match flag_value("--cache-dir", None, &mut iter) {
                Ok(v) => dir = Some(PathBuf::from(v)),
                Err(e) => return usage_error(err, &e, USAGE),
            },
            "--translator" => {
                match flag_value("--translator", None, &mut iter).and_then(|v| parse_translator(&v)) {
                    Ok(t) => translator = t,
                    Err(e) => return usage_error(err, &e, USAGE),
                }
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return usage_error(err, &UsageError(format!("unknown flag `{flag}`")), USAGE);
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        return usage_error(err, &UsageError("--cache-dir is required".into()), USAGE);
    };
    if files.is_empty() {
        return usage_error(err, &UsageError("no FILE given".into()), USAGE);
    }
    let runtime = match runtime_for(Some(&dir), false, false, false, translator) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    let mut status = EXIT_OK;
    for file in &files {
        let start = Instant::now();
        match read_module(file).and_then(|b| runtime.compile(&b).map_err(|e| e.to_string())) {
            Ok(_) => writeln!(out, "{}: compiled in {:.1?}", file.display(), start.elapsed())?,
            Err(e) => {
                writeln!(err, "error: {}: {e}", file.display())?;
                status = EXIT_FAILURE;
            }
        }
    }
    if let Some(cache) = runtime.compilation_cache() {
        let s = cache.stats();
        writeln!(
            out,
            "cache {}: {} hits, {} compiled, {} rejected",
            dir.display(),
            s.dir_hits + s.memory_hits,
            s.misses,
            s.rejected
        )?;
    }
    Ok(status)
}
