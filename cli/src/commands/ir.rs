//! `zerowasm ir [--stage lowered|optimized|slots|baseline] [--passes LIST] [--func NAME|INDEX] [--srclocs] FILE`:
//! prints the SSA of a module's functions, for compiler contributors.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use zerowasm_ssa::passes::Pass;

use super::{Command, EXIT_FAILURE, EXIT_OK, UsageError, flag_value, usage_error};
use crate::ir::{FuncSelector, Stage, render};
use crate::load::read_module;

/// The table entry for `zerowasm ir`.
pub const COMMAND: Command = Command {
    name: "ir",
    summary: "print the SSA IR of a module's functions",
    usage: USAGE,
    run: run_command,
};

const USAGE: &str =
    "usage: zerowasm ir [--stage lowered|optimized|slots|baseline] [--passes LIST] [--func NAME|INDEX] [--srclocs] FILE

Prints the SSA of each defined function of FILE (.wasm or .wat).

options:
  --stage lowered|optimized|slots|baseline
                              straight from the lowering, after passes, or the
                              interpreter's slot code from its optimizing (slots)
                              or baseline translator (default: lowered)
  --passes LIST               passes to run for `optimized`, comma-separated
                              (default: the optimizing pipeline)
  --func NAME|INDEX           only this function (export name, name-section name, or index)
  --srclocs                   prefix instructions with their Wasm byte offsets
  -h, --help                  print this help
";

struct IrArgs {
    stage: Stage,
    select: FuncSelector,
    srclocs: bool,
    file: PathBuf,
}

fn parse_args(args: &[OsString]) -> Result<Option<IrArgs>, UsageError> {
    let mut stage = Stage::Lowered;
    let mut passes: Option<Vec<Pass>> = None;
    let mut select = FuncSelector::All;
    let mut srclocs = false;
    let mut file = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        match &*text {
            "-h" | "--help" => return Ok(None),
            "--stage" => {
                let v = flag_value("--stage", None, &mut iter)?;
                stage = Stage::from_name(&v).ok_or_else(|| {
                    UsageError(format!(
                        "unknown stage `{v}` (expected lowered, optimized, slots or baseline)"
                    ))
                })?;
            }
            "--passes" => {
                passes =
                    Some(Pass::parse_list(&flag_value("--passes", None, &mut iter)?).map_err(UsageError)?)
            }
            "--func" => select = FuncSelector::parse(&flag_value("--func", None, &mut iter)?),
            "--srclocs" => srclocs = true,
            flag if flag.starts_with('-') => return Err(UsageError(format!("unknown flag `{flag}`"))),
            _ if file.is_some() => return Err(UsageError("only one FILE may be given".to_string())),
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    if let Some(passes) = passes {
        stage = Stage::Optimized(passes);
    }
    let file = file.ok_or_else(|| UsageError("no FILE given".to_string()))?;
    Ok(Some(IrArgs { stage, select, srclocs, file }))
}

fn run_command(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let args = match parse_args(args) {
        Err(e) => return usage_error(err, &e, USAGE),
        Ok(None) => {
            write!(out, "{USAGE}")?;
            return Ok(EXIT_OK);
        }
        Ok(Some(a)) => a,
    };
    let result =
        read_module(&args.file).and_then(|bytes| render(&bytes, &args.stage, &args.select, args.srclocs));
    match result {
        Ok(text) => {
            write!(out, "{text}")?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            writeln!(err, "error: {e}")?;
            Ok(EXIT_FAILURE)
        }
    }
}
