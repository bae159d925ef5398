//! The `zerowasm` binary: everything lives in the library; this only wires up
//! the process arguments, the standard streams and the exit status.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let code = zerowasm_cli::run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(code);
}
