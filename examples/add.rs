//! The smallest embedding: compile a module that exports `add`, instantiate
//! it, and call the export twice: once as a [`zerowasm::TypedFunction`]
//! (signature checked once, no allocation per call) and once with
//! [`zerowasm::Val`]s, as a caller that learns the types at run time would.
//!
//! Run it with `cargo run --example add`.

use std::io::Write;

use zerowasm::{ModuleConfig, Runtime, Val};

/// The guest: one exported function adding two `i32`s.
const GUEST: &str = r#"(module
    (func (export "add") (param $a i32) (param $b i32) (result i32)
        (i32.add (local.get $a) (local.get $b))))"#;

/// Compiles the guest, calls `add` and writes one line per call to `out`.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::new();
    let wasm = wat::parse_str(GUEST)?;
    let compiled = runtime.compile(&wasm)?;
    let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;

    // Typed: `(i32, i32) -> i32` is checked against the export here, once.
    let add = module.typed::<(i32, i32), i32>("add")?;
    writeln!(out, "add(40, 2) = {}", add.call(&mut module, (40, 2))?)?;
    // Wasm integers wrap.
    writeln!(out, "add(2147483647, 1) = {}", add.call(&mut module, (i32::MAX, 1))?)?;

    // Untyped: values in, values out, checked on every call.
    let results = module.call("add", &[Val::I32(-7), Val::I32(10)])?;
    writeln!(out, "call(\"add\", [-7, 10]) = {results:?}")?;

    // A wrong signature is an error value, not a panic.
    match module.typed::<i64, i64>("add") {
        Ok(_) => writeln!(out, "typed::<i64, i64> unexpectedly matched")?,
        Err(e) => writeln!(out, "typed::<i64, i64>: {e}")?,
    }
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
