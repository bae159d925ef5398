//! `zerowasm wast [--engine interpreter|compiler] [--translator optimizing|baseline]
//! FILE.wast...`: runs spec scripts, prints one line per failure, then the
//! skip line and the totals.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use super::run::parse_translator;
use super::{Command, EXIT_FAILURE, EXIT_OK, UsageError, flag_value, usage_error};
use zerowasm_frontend::CoreFeatures;
use zerowasm_runtime::{CompileOptions, StoreConfig, Translator};

use crate::wast::{EngineKind, FrontendValidator, RuntimeEngine, WastRunner};

/// The table entry for `zerowasm wast`.
pub const COMMAND: Command =
    Command { name: "wast", summary: "run .wast spec test scripts", usage: USAGE, run: run_command };

const USAGE: &str = "usage: zerowasm wast [--engine interpreter|compiler] [--translator optimizing|baseline]
                     [--enable FEATURE]... FILE.wast...

Runs WebAssembly spec test scripts and prints one line per failed directive,
then `N passed, M failed, K skipped`. Exits with 1 if anything failed.

options:
  --engine interpreter|compiler   engine that executes modules (default: interpreter;
                                  the compiler is not implemented yet)
  --translator optimizing|baseline
                                  how the interpreter translates functions (default:
                                  baseline; optimizing translates slower, runs faster)
  --enable FEATURE                also accept a proposal beyond WebAssembly 2.0
                                  (e.g. multi-memory); may be repeated
  -h, --help                      print this help
";

/// The parsed command line of `zerowasm wast`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastArgs {
    /// The engine selected with `--engine`.
    pub engine: EngineKind,
    /// The interpreter's translator, selected with `--translator`, so the
    /// spec suite can check both.
    pub translator: Translator,
    /// Features to validate with: 2.0 plus every `--enable`.
    pub features: CoreFeatures,
    /// The scripts, in the order given.
    pub files: Vec<PathBuf>,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `--help`.
    Help,
    /// Run scripts.
    Run(WastArgs),
}

/// Parses the arguments after `wast`. Flags and files may be mixed; `--` ends
/// the flags so a file named `-x.wast` can still be run.
pub fn parse_args(args: &[OsString]) -> Result<Parsed, UsageError> {
    let mut engine = EngineKind::default();
    let mut translator = Translator::default();
    let mut features = CoreFeatures::V2;
    let mut files = Vec::new();
    let mut iter = args.iter();
    let mut flags_done = false;
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if flags_done || !text.starts_with('-') || text == "-" {
            files.push(PathBuf::from(arg));
            continue;
        }
        let (flag, inline_value) = match text.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (&*text, None),
        };
        match flag {
            "--" if inline_value.is_none() => flags_done = true,
            "-h" | "--help" if inline_value.is_none() => return Ok(Parsed::Help),
            "--enable" => {
                let value = flag_value(flag, inline_value, &mut iter)?;
                let feature = CoreFeatures::from_name(&value).ok_or_else(|| {
                    let known: Vec<&str> = CoreFeatures::ALL_NAMED.iter().map(|(_, n)| *n).collect();
                    UsageError(format!("unknown feature `{value}` (known: {})", known.join(", ")))
                })?;
                features |= feature;
            }
            "--engine" => {
                let value = flag_value(flag, inline_value, &mut iter)?;
                engine = EngineKind::from_name(&value).ok_or_else(|| {
                    UsageError(format!("unknown engine `{value}` (expected interpreter or compiler)"))
                })?;
            }
            "--translator" => translator = parse_translator(&flag_value(flag, inline_value, &mut iter)?)?,
            _ => return Err(UsageError(format!("unknown flag `{text}`"))),
        }
    }
    if files.is_empty() {
        return Err(UsageError("no .wast files given".to_string()));
    }
    Ok(Parsed::Run(WastArgs { engine, translator, features, files }))
}

fn run_command(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    match parse_args(args) {
        Err(e) => usage_error(err, &e, USAGE),
        Ok(Parsed::Help) => {
            write!(out, "{USAGE}")?;
            Ok(EXIT_OK)
        }
        Ok(Parsed::Run(args)) => run_files(&args, out),
    }
}

/// Runs the scripts, printing each file's failures as soon as it is done so
/// long runs show progress, and returns the exit status.
pub fn run_files(args: &WastArgs, out: &mut dyn Write) -> io::Result<i32> {
    if args.engine == EngineKind::Compiler {
        writeln!(out, "error: the compiler engine is not implemented yet; use --engine interpreter")?;
        return Ok(EXIT_FAILURE);
    }
    let mut runner = WastRunner::new(FrontendValidator { features: args.features }, runtime_engine(args));
    let mut printed = 0;
    for path in &args.files {
        runner.run_file(path);
        let failures = &runner.report().failures;
        for line in &failures[printed..] {
            writeln!(out, "{line}")?;
        }
        printed = failures.len();
    }
    let report = runner.report();
    writeln!(out, "{report}")?;
    Ok(if report.failed > 0 { EXIT_FAILURE } else { EXIT_OK })
}

/// The engine the scripts run on: `args`' engine, features and translator.
fn runtime_engine(args: &WastArgs) -> RuntimeEngine {
    let compile = CompileOptions { translator: args.translator, ..CompileOptions::default() };
    RuntimeEngine::with_config(
        args.engine,
        StoreConfig { features: args.features, compile, ..StoreConfig::default() },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, UsageError> {
        parse_args(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    fn run_args(engine: EngineKind, files: &[&str]) -> WastArgs {
        WastArgs {
            engine,
            translator: Translator::Baseline,
            features: CoreFeatures::V2,
            files: files.iter().map(PathBuf::from).collect(),
        }
    }

    #[test]
    fn translator_flag_forms() {
        let optimizing =
            WastArgs { translator: Translator::Optimizing, ..run_args(EngineKind::Interpreter, &["a.wast"]) };
        assert_eq!(parse(&["--translator", "optimizing", "a.wast"]), Ok(Parsed::Run(optimizing.clone())));
        assert_eq!(parse(&["a.wast", "--translator=optimizing"]), Ok(Parsed::Run(optimizing.clone())));
        assert_eq!(
            parse(&["--translator=baseline", "a.wast"]),
            Ok(Parsed::Run(run_args(EngineKind::Interpreter, &["a.wast"])))
        );
        // The runner's store compiles with the chosen translator.
        assert_eq!(runtime_engine(&optimizing).translator(), Translator::Optimizing);
        assert_eq!(
            runtime_engine(&run_args(EngineKind::Interpreter, &[])).translator(),
            Translator::Baseline
        );
    }

    #[test]
    fn engine_flag_forms() {
        assert_eq!(parse(&["a.wast"]), Ok(Parsed::Run(run_args(EngineKind::Interpreter, &["a.wast"]))));
        assert_eq!(
            parse(&["--engine", "interpreter", "a.wast", "b.wast"]),
            Ok(Parsed::Run(run_args(EngineKind::Interpreter, &["a.wast", "b.wast"])))
        );
        assert_eq!(
            parse(&["a.wast", "--engine=interpreter", "--", "--engine"]),
            Ok(Parsed::Run(run_args(EngineKind::Interpreter, &["a.wast", "--engine"])))
        );
        assert_eq!(parse(&["--help", "a.wast"]), Ok(Parsed::Help));
    }

    #[test]
    fn enable_adds_features_to_v2() {
        let Ok(Parsed::Run(args)) = parse(&["--enable", "multi-memory", "--enable=memory64", "a.wast"])
        else {
            panic!("should parse");
        };
        assert_eq!(args.features, CoreFeatures::V2 | CoreFeatures::MULTI_MEMORY | CoreFeatures::MEMORY64);
        assert_eq!(run_args(EngineKind::Compiler, &["a.wast"]).features, CoreFeatures::V2);
    }

    #[test]
    fn bad_command_lines() {
        for (args, message) in [
            (&["--engine"][..], "--engine needs a value"),
            (&["--engine", "jit", "a.wast"][..], "unknown engine `jit` (expected interpreter or compiler)"),
            (&["--translator"][..], "--translator needs a value"),
            (
                &["--translator", "jit", "a.wast"][..],
                "unknown translator `jit` (expected optimizing or baseline)",
            ),
            (&["--translator=", "a.wast"][..], "unknown translator `` (expected optimizing or baseline)"),
            (&["--fast", "a.wast"][..], "unknown flag `--fast`"),
            (
                &["--enable", "gc2", "a.wast"][..],
                "unknown feature `gc2` (known: mutable-global, sign-extension-ops, nontrapping-float-to-int-conversions, multi-value, bulk-memory, reference-types, simd, extended-const, tail-call, multi-memory, memory64, relaxed-simd, threads, exceptions)",
            ),
            (&["--help=yes"][..], "unknown flag `--help=yes`"),
            (&[][..], "no .wast files given"),
        ] {
            assert_eq!(parse(args), Err(UsageError(message.to_string())), "{args:?}");
        }
    }

    #[test]
    fn usage_error_exit_status() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_command(&[OsString::from("--fast")], &mut out, &mut err);
        assert_eq!(code.ok(), Some(super::super::EXIT_USAGE));
        assert!(out.is_empty());
        assert!(
            String::from_utf8_lossy(&err).starts_with("error: unknown flag `--fast`\n\nusage: zerowasm wast")
        );
    }
}
