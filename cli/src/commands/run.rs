//! `zerowasm run [OPTIONS] FILE [ARGS...]`: instantiates a module through
//! the embedder API (a `Runtime` with WASI registered, a `ModuleConfig` from
//! the flags) and runs its `_start`, or calls an export with arguments,
//! printing its results. The exit code is the guest's; a trap prints its
//! message and the Wasm backtrace and exits with 134, as wasmtime and wazero do.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use zerowasm_runtime::{
    CompilationCache, Error, LoggingListener, Module, ModuleConfig, Mount, Runtime, RuntimeConfig,
    Translator, Trap, Val, ValType,
};

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

const USAGE: &str = "usage: zerowasm run [OPTIONS] FILE [ARGS...]

Instantiates FILE (.wasm or .wat) with WASI preview1 and calls its `_start`
export (ARGS are then the program's arguments; the exit code is the guest's),
or with --invoke the export NAME with ARGS converted to its parameter types
(integers in decimal or 0x hex, floats in decimal, `nan`, `inf`), printing
each result on its own line. A trap prints the message and the Wasm
backtrace and exits with 134.

options:
  --engine interpreter      the engine to run on (the compiler is not implemented yet)
  --translator optimizing|baseline
                            how the interpreter translates functions: baseline (the
                            default; one pass, several times faster to translate) or
                            optimizing (the SSA pipeline; code ~5% faster, for long runs)
  --invoke NAME             call this export instead of `_start`
  --env KEY=VALUE           set an environment variable for the guest (repeatable)
  --mount HOST[:GUEST][:ro] give the guest a host directory, read-only with :ro (repeatable)
  --dir HOST[:GUEST][:ro]   the same as --mount
  --timeout DURATION        stop the guest after DURATION (500ms, 10s, 2m; plain numbers are seconds)
  --fuel N                  stop the guest after N Wasm instructions
  --tcplisten ADDR          pre-open a TCP listener on ADDR (host:port) for the guest's sock_accept (repeatable)
  --cache-dir DIR           keep compiled modules in DIR (see `zerowasm compile`)
  --trace                   print every function call and return to stderr
  -h, --help                print this help
";

struct RunArgs {
    invoke: Option<String>,
    env: Vec<(String, String)>,
    mounts: Vec<Mount>,
    listen: Vec<String>,
    timeout: Option<Duration>,
    fuel: Option<u64>,
    cache_dir: Option<PathBuf>,
    trace: bool,
    translator: Translator,
    file: PathBuf,
    args: Vec<String>,
}

/// Parses `500ms`, `10s`, `2m`, `1h` or a plain number of seconds (fractions allowed).
pub fn parse_duration(text: &str) -> Result<Duration, UsageError> {
    let bad = || UsageError(format!("`{text}` is not a duration (try 500ms, 10s, 2m)"));
    let (num, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let value: f64 = num.parse().map_err(|_| bad())?;
    let scale = match unit {
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(value * scale).map_err(|_| bad())
}

/// Parses the value of `--translator`, shared by `run`, `compile` and `wast`
/// so all three accept the same names and reject others the same way.
pub fn parse_translator(name: &str) -> Result<Translator, UsageError> {
    match name {
        "optimizing" => Ok(Translator::Optimizing),
        "baseline" => Ok(Translator::Baseline),
        _ => Err(UsageError(format!("unknown translator `{name}` (expected optimizing or baseline)"))),
    }
}

fn parse_args(args: &[OsString]) -> Result<Option<RunArgs>, UsageError> {
    let mut r = RunArgs {
        invoke: None,
        env: Vec::new(),
        mounts: Vec::new(),
        listen: Vec::new(),
        timeout: None,
        fuel: None,
        cache_dir: None,
        trace: false,
        translator: Translator::default(),
        file: PathBuf::new(),
        args: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        match &*text {
            "-h" | "--help" => return Ok(None),
            "--invoke" => r.invoke = Some(flag_value("--invoke", None, &mut iter)?),
            "--env" => {
                let v = flag_value("--env", None, &mut iter)?;
                let (k, v) = v
                    .split_once('=')
                    .filter(|(k, _)| !k.is_empty())
                    .ok_or_else(|| UsageError(format!("--env expects KEY=VALUE, got `{v}`")))?;
                r.env.push((k.to_string(), v.to_string()));
            }
            flag @ ("--mount" | "--dir") => {
                let v = flag_value(flag, None, &mut iter)?;
                r.mounts.push(Mount::parse(&v).map_err(|e| UsageError(e.to_string()))?);
            }
            "--tcplisten" => r.listen.push(flag_value("--tcplisten", None, &mut iter)?),
            "--timeout" => r.timeout = Some(parse_duration(&flag_value("--timeout", None, &mut iter)?)?),
            "--fuel" => {
                let v = flag_value("--fuel", None, &mut iter)?;
                r.fuel =
                    Some(v.parse().map_err(|_| UsageError(format!("--fuel expects a count, got `{v}`")))?);
            }
            "--cache-dir" => r.cache_dir = Some(PathBuf::from(flag_value("--cache-dir", None, &mut iter)?)),
            "--trace" => r.trace = true,
            "--translator" => r.translator = parse_translator(&flag_value("--translator", None, &mut iter)?)?,
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
                r.args = iter.map(|a| a.to_string_lossy().into_owned()).collect();
                r.file = PathBuf::from(arg);
                return Ok(Some(r));
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
fn report_trap(err: &mut dyn Write, trap: &Trap) -> io::Result<()> {
    writeln!(err, "error: wasm trap: {trap}")?;
    write!(err, "{}", trap.backtrace())
}

/// The runtime the flags describe, with WASI registered.
pub fn runtime_for(
    cache_dir: Option<&PathBuf>,
    timeout: bool,
    fuel: bool,
    trace: bool,
    translator: Translator,
) -> Result<Runtime, String> {
    let mut config = RuntimeConfig::new()
        .with_close_on_deadline(timeout)
        .with_fuel(fuel)
        .with_interp_translator(translator);
    if let Some(dir) = cache_dir {
        let cache = CompilationCache::with_dir(dir)
            .map_err(|e| format!("cannot use cache directory {}: {e}", dir.display()))?;
        config = config.with_compilation_cache(cache);
    }
    if trace {
        config = config.with_function_listener(Arc::new(LoggingListener::stderr()));
    }
    let runtime = Runtime::with_config(config).map_err(|e| e.to_string())?;
    zerowasm_wasi::instantiate(&runtime).map_err(|e| e.to_string())?;
    Ok(runtime)
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
    let runtime = match runtime_for(
        args.cache_dir.as_ref(),
        args.timeout.is_some(),
        args.fuel.is_some(),
        args.trace,
        args.translator,
    ) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    let compiled = match read_module(&args.file).and_then(|b| runtime.compile(&b).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_FAILURE);
        }
    };
    // WASI command modules get the program name and ARGS as argv and the
    // terminal's stdio; with --invoke, ARGS are the export's parameters.
    let program = args.file.display().to_string();
    let argv: Vec<String> = if args.invoke.is_some() {
        vec![program]
    } else {
        std::iter::once(program).chain(args.args.iter().cloned()).collect()
    };
    let mut config = ModuleConfig::new().with_args(argv).with_inherited_stdio();
    // stdin as a descriptor, so `poll_oneoff` can tell whether input is ready.
    if let Ok(stdin) = zerowasm_wasi::StdinFd::inherit() {
        config = config.with_extension(stdin);
    }
    for (k, v) in &args.env {
        config = config.with_env(k.clone(), v.clone());
    }
    for m in &args.mounts {
        config = config.with_mount(m.host.clone(), m.guest.clone(), m.read_only);
    }
    for addr in &args.listen {
        match std::net::TcpListener::bind(addr) {
            Ok(l) => config = config.with_extension(zerowasm_wasi::PreopenedSocket::listener(l)),
            Err(e) => {
                writeln!(err, "error: cannot listen on {addr}: {e}")?;
                return Ok(EXIT_FAILURE);
            }
        }
    }
    if let Some(fuel) = args.fuel {
        config = config.with_fuel(fuel);
    }
    if let Some(t) = args.timeout {
        config = config.with_timeout(t);
    }
    let name = args.invoke.as_deref().unwrap_or("_start");
    if args.invoke.is_some() {
        config = config.with_start_functions::<&str>([]);
    }
    let mut module = match runtime.instantiate(&compiled, config) {
        Ok(m) => m,
        Err(Error::Instantiation(zerowasm_runtime::InstantiationError::Trap(t))) => {
            if let Some(code) = t.exit_code() {
                return Ok(code as i32);
            }
            report_trap(err, &t)?;
            return Ok(EXIT_TRAP);
        }
        Err(e) => {
            writeln!(err, "error: cannot instantiate {}: {e}", args.file.display())?;
            return Ok(EXIT_FAILURE);
        }
    };
    if args.invoke.is_none() {
        // `_start` ran during instantiation.
        if module.function("_start").is_none() {
            writeln!(
                err,
                "error: the module exports no function `_start` (use --invoke NAME to call another export)"
            )?;
            return Ok(EXIT_FAILURE);
        }
        return Ok(module.exit_code().map_or(EXIT_OK, |c| c as i32));
    }
    invoke(&mut module, name, &args.args, out, err)
}

/// Calls export `name` of `module` with `params` parsed by its types.
fn invoke(
    module: &mut Module,
    name: &str,
    params: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let Some(func) = module.function(name) else {
        writeln!(err, "error: the module exports no function `{name}`")?;
        return Ok(EXIT_FAILURE);
    };
    let ty = func.ty().clone();
    if params.len() != ty.params.len() {
        writeln!(err, "error: `{name}` takes {} arguments ({ty}), {} given", ty.params.len(), params.len())?;
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
    match func.call(module, &vals) {
        Ok(results) => {
            for r in &results {
                writeln!(out, "{}", format_value(r))?;
            }
            Ok(EXIT_OK)
        }
        Err(trap) => {
            // `proc_exit` ends the program with its code; anything else is a trap.
            if let Some(code) = trap.exit_code() {
                return Ok(code as i32);
            }
            report_trap(err, &trap)?;
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

    fn parse(args: &[&str]) -> Result<Option<RunArgs>, UsageError> {
        parse_args(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn translator_flag() {
        let translator = |args: &[&str]| parse(args).map(|r| r.map(|r| r.translator));
        assert_eq!(translator(&["f.wasm"]), Ok(Some(Translator::Baseline)));
        assert_eq!(translator(&["--translator", "baseline", "f.wasm"]), Ok(Some(Translator::Baseline)));
        assert_eq!(translator(&["--translator", "optimizing", "f.wasm"]), Ok(Some(Translator::Optimizing)));
        assert_eq!(
            translator(&["--translator", "jit", "f.wasm"]),
            Err(UsageError("unknown translator `jit` (expected optimizing or baseline)".to_string()))
        );
        assert_eq!(translator(&["--translator"]), Err(UsageError("--translator needs a value".to_string())));
        // After FILE, it is one of the guest's arguments.
        let Ok(Some(r)) = parse(&["f.wasm", "--translator", "optimizing"]) else { panic!("should parse") };
        assert_eq!(
            (r.translator, r.args),
            (Translator::Baseline, vec!["--translator".into(), "optimizing".into()])
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").ok(), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s").ok(), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m").ok(), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5").ok(), Some(Duration::from_millis(1500)));
        assert_eq!(
            parse_duration("5 parsecs").err().map(|e| e.0),
            Some("`5 parsecs` is not a duration (try 500ms, 10s, 2m)".to_string())
        );
        assert!(parse_duration("-1s").is_err());
    }
}
