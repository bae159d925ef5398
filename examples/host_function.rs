//! A host function: the guest imports `env.log_i32` and calls it for every
//! value it wants to report; the host side is a plain Rust closure whose
//! signature (`i32 -> ()`) is derived from its parameter types. A second
//! import, `env.checked_div`, shows a host function failing: its `Err(Trap)`
//! stops the guest and reaches the embedder as the call's error.
//!
//! Run it with `cargo run --example host_function`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use zerowasm::{Caller, HostModuleBuilder, ModuleConfig, Runtime, Trap};

/// The guest: logs the squares of 1..=n, then divides through the host.
const GUEST: &str = r#"(module
    (import "env" "log_i32" (func $log_i32 (param i32)))
    (import "env" "checked_div" (func $checked_div (param i32 i32) (result i32)))
    (func (export "squares") (param $n i32) (local $i i32)
        (block $done
            (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (call $log_i32 (i32.mul (local.get $i) (local.get $i)))
                (br $next))))
    (func (export "div") (param i32 i32) (result i32)
        (call $checked_div (local.get 0) (local.get 1))))"#;

/// Registers the host functions, runs the guest and writes what it logged.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::new();
    // Host functions are shared by every instance and may run on any thread,
    // so what they collect goes behind a mutex.
    let logged = Arc::new(Mutex::new(Vec::<i32>::new()));
    let sink = logged.clone();
    HostModuleBuilder::new("env")
        .func("log_i32", move |_caller: Caller<'_>, value: i32| {
            sink.lock().unwrap_or_else(|e| e.into_inner()).push(value);
        })
        .func("checked_div", |a: i32, b: i32| -> Result<i32, Trap> {
            a.checked_div(b).ok_or_else(|| Trap::msg(format!("checked_div: cannot divide {a} by {b}")))
        })
        .instantiate(&runtime)?;

    let mut module = runtime.instantiate_bytes(&wat::parse_str(GUEST)?, ModuleConfig::new())?;
    let squares = module.typed::<i32, ()>("squares")?;
    squares.call(&mut module, 5)?;
    for value in logged.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        writeln!(out, "log_i32: {value}")?;
    }

    let div = module.typed::<(i32, i32), i32>("div")?;
    writeln!(out, "div(84, 2) = {}", div.call(&mut module, (84, 2))?)?;
    match div.call(&mut module, (1, 0)) {
        Ok(v) => writeln!(out, "div(1, 0) unexpectedly returned {v}")?,
        Err(trap) => write!(out, "div(1, 0) trapped: {trap}\n{}", trap.backtrace())?,
    }
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
