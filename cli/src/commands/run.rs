//! `zerowasm run [--engine interpreter] [--invoke NAME] FILE [ARGS...]`:
//! instantiates a module and calls `_start`, or an export with arguments,
//! printing its results. A trap prints its message and the Wasm backtrace and
//! exits with 134, as wasmtime and wazero do.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;

use std::sync::{Arc, Mutex};

use zerowasm_runtime::{FuncType, Linker, Module, Store, Trap, Val, ValType};
use zerowasm_wasi::{WasiCtxBuilder, exit_code};

use super::{Command, EXIT_FAILURE, EXIT_OK, UsageError, flag_value, usage_error};
use crate::load::read_module;
use crate::wast::EngineKind;

/// The table entry for `zerowasm run`.
pub const COMMAND: Command = Command {
    name: "run",
    summary: "run a module's _start, or invoke an export",
    usage: USAGE,
    run: run_command,
};

/// Exit status after a trap (128 + SIGABRT, like other runtimes).
pub const EXIT_TRAP: i32 = 134;

const USAGE: &str = "usage: zerowasm run [--engine interpreter] [--invoke NAME] FILE [ARGS...]

Instantiates FILE (.wasm or .wat) with WASI preview1 and calls its `_start`
export (ARGS are then the program's arguments; the exit code is the guest's),
or with --invoke the export NAME with ARGS
converted to its parameter types
(integers in decimal or 0x hex, floats in decimal, `nan`, `inf`), printing
each result on its own line. A trap prints the message and the Wasm
backtrace and exits with 134.

options:
  --engine interpreter   the engine to run on (the compiler is not implemented yet)
  --invoke NAME          call this export instead of `_start`
  -h, --help             print this help
";

struct RunArgs {
    invoke: Option<String>,
    file: PathBuf,
    args: Vec<String>,
}

fn parse_args(args: &[OsString]) -> Result<Option<RunArgs>, UsageError> {
    let mut invoke = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        match &*text {
            "-h" | "--help" => return Ok(None),
            "--invoke" => invoke = Some(flag_value("--invoke", None, &mut iter)?),
            "--engine" => {
                let v = flag_value("--engine", None, &mut iter)?;
                match EngineKind::from_name(&v) {
                    Some(EngineKind::Interpreter) => {}
                    Some(EngineKind::Compiler) => {
                        return Err(UsageError("the compiler engine is not implemented yet".to_string()));
                    }
                    None => {
                        return Err(UsageError(format!(
                            "unknown engine `{v}` (expected interpreter or compiler)"
                        )));
                    }
                }
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(UsageError(format!("unknown flag `{flag}`")));
            }
            _ => {
                let rest = iter.map(|a| a.to_string_lossy().into_owned()).collect();
                return Ok(Some(RunArgs { invoke, file: PathBuf::from(arg), args: rest }));
            }
        }
    }
    Err(UsageError("no FILE given".to_string()))
}

/// Converts a command-line argument to a value of type `ty`.
fn parse_value(text: &str, ty: ValType) -> Result<Val, String> {
    let bad = || format!("`{text}` is not a valid {ty}");
    let int = |t: &str| -> Option<i128> {
        let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
        let v = match t.strip_prefix("0x") {
            Some(hex) => i128::from_str_radix(hex, 16).ok()?,
            None => t.parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    Ok(match ty {
        ValType::I32 => {
            let v = int(text)
                .filter(|v| (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(v))
                .ok_or_else(bad)?;
            Val::I32(v as i32)
        }
        ValType::I64 => {
            let v = int(text)
                .filter(|v| (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(v))
                .ok_or_else(bad)?;
            Val::I64(v as i64)
        }
        ValType::F32 => Val::from_f32(text.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::from_f64(text.parse::<f64>().map_err(|_| bad())?),
        other => return Err(format!("parameters of type {other} cannot be given on the command line")),
    })
}

fn format_value(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(b).to_string(),
        Val::F64(b) => f64::from_bits(b).to_string(),
        Val::V128(x) => format!("{x:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
    }
}

/// Prints a trap the way users read it: the message, then one line per Wasm
/// frame, innermost first.
fn report_trap(err: &mut dyn Write, trap: &Trap, module: &Module) -> io::Result<()> {
    writeln!(err, "error: wasm trap: {trap}")?;
    let names = &module.info().names.functions;
    for (i, frame) in trap.frames().iter().enumerate() {
        let name = names.get(&frame.funcidx).cloned().unwrap_or_else(|| format!("func[{}]", frame.funcidx));
        writeln!(err, "  {i}: {name} at offset {:#x}", frame.offset)?;
    }
    Ok(())
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
    let mut store = Store::new();
    let module =
        match read_module(&args.file).and_then(|b| Module::new(&store, &b).map_err(|e| e.to_string())) {
            Ok(m) => m,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_FAILURE);
            }
        };
    // WASI command modules get the program name and ARGS as argv and the
    // terminal's stdio (the embedder-API issue adds --env, --mount, ...).
    let program = args.file.display().to_string();
    let wasi =
        WasiCtxBuilder::new().args(std::iter::once(program).chain(args.args.iter().cloned())).inherit_stdio();
    let wasi = match wasi.build() {
        Ok(ctx) => ctx,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    let mut linker = Linker::new();
    zerowasm_wasi::add_to_linker(&mut linker, &mut store, Arc::new(Mutex::new(wasi)));
    let instance = match store.instantiate(&module, &linker) {
        Ok(i) => i,
        Err(zerowasm_runtime::InstantiationError::Trap(t)) => {
            if let Some(code) = exit_code(&t) {
                return Ok(code);
            }
            report_trap(err, &t, &module)?;
            return Ok(EXIT_TRAP);
        }
        Err(e) => {
            writeln!(err, "error: cannot instantiate {}: {e}", args.file.display())?;
            return Ok(EXIT_FAILURE);
        }
    };
    let name = args.invoke.as_deref().unwrap_or("_start");
    let Some(func) = instance.get_func(name) else {
        let hint = if args.invoke.is_none() { " (use --invoke NAME to call another export)" } else { "" };
        writeln!(err, "error: the module exports no function `{name}`{hint}")?;
        return Ok(EXIT_FAILURE);
    };
    let ty: FuncType = func.ty(&store);
    // For `_start`, ARGS are the program's arguments (WASI argv, which the
    // WASI issue wires up), not parameters: `_start` takes none.
    let params = if args.invoke.is_some() { args.args.as_slice() } else { &[] };
    if params.len() != ty.params.len() {
        writeln!(
            err,
            "error: `{name}` takes {} arguments ({ty}), {} given",
            ty.params.len(),
            args.args.len()
        )?;
        return Ok(EXIT_FAILURE);
    }
    let mut vals = Vec::with_capacity(params.len());
    for (text, &t) in params.iter().zip(ty.params.iter()) {
        match parse_value(text, t) {
            Ok(v) => vals.push(v),
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_FAILURE);
            }
        }
    }
    match store.call(func, &vals) {
        Ok(results) => {
            for r in &results {
                writeln!(out, "{}", format_value(r))?;
            }
            Ok(EXIT_OK)
        }
        Err(trap) => {
            // `proc_exit` ends the program with its code; anything else is a trap.
            if let Some(code) = exit_code(&trap) {
                return Ok(code);
            }
            report_trap(err, &trap, &module)?;
            Ok(EXIT_TRAP)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_convert_by_parameter_type() {
        assert_eq!(parse_value("-7", ValType::I32), Ok(Val::I32(-7)));
        assert_eq!(parse_value("0xffffffff", ValType::I32), Ok(Val::I32(-1)));
        assert_eq!(
            parse_value("4294967296", ValType::I32),
            Err("`4294967296` is not a valid i32".to_string())
        );
        assert_eq!(parse_value("1.5", ValType::F64), Ok(Val::from_f64(1.5)));
        assert_eq!(parse_value("x", ValType::I64), Err("`x` is not a valid i64".to_string()));
    }
}
