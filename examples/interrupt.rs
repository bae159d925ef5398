//! Stopping a guest that does not stop by itself. With
//! [`RuntimeConfig::with_close_on_deadline`] the compiled code checks an
//! interrupt flag at every function entry and loop header, so:
//!
//! * another thread can stop the running call with the module's
//!   [`zerowasm::InterruptHandle`]: the call traps with
//!   [`TrapCode::Interrupted`] and the module stays usable;
//! * a timeout ([`zerowasm::Module::set_timeout`]) stops any call that runs
//!   too long: it traps the same way and closes the module with
//!   [`EXIT_CODE_DEADLINE_EXCEEDED`], so later calls fail.
//!
//! Run it with `cargo run --example interrupt`.

use std::io::Write;
use std::thread;
use std::time::Duration;

use zerowasm::{EXIT_CODE_DEADLINE_EXCEEDED, ModuleConfig, Runtime, RuntimeConfig, TrapCode};

/// The guest: `spin` loops forever, `count(n)` counts to n and returns.
const GUEST: &str = r#"(module
    (func (export "spin") (loop $forever (br $forever)))
    (func (export "count") (param $n i32) (result i32) (local $i i32)
        (loop $next
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i)))"#;

/// Interrupts a spinning call from another thread, then stops one with a
/// timeout, writing what each call returned.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::with_config(RuntimeConfig::new().with_close_on_deadline(true))?;
    let compiled = runtime.compile(&wat::parse_str(GUEST)?)?;

    // 1. An interrupt from another thread.
    let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;
    let spin = module.typed::<(), ()>("spin")?;
    let count = module.typed::<i32, i32>("count")?;
    let handle = module.interrupt_handle()?;
    let stopper = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        // If `spin` has not started yet, it stops as soon as it does.
        handle.interrupt();
    });
    let trap = match spin.call(&mut module, ()) {
        Ok(()) => return Err("spin returned".into()),
        Err(trap) => trap,
    };
    stopper.join().map_err(|_| "the interrupting thread panicked")?;
    writeln!(out, "spin: {trap} (interrupted: {})", trap.code() == Some(TrapCode::Interrupted))?;
    writeln!(out, "module closed: {}", module.exit_code().is_some())?;
    writeln!(out, "count(1000) = {}", count.call(&mut module, 1000)?)?;

    // 2. A timeout on every call of the module.
    module.set_timeout(Some(Duration::from_millis(100)))?;
    writeln!(out, "count(1000) with a 100ms timeout = {}", count.call(&mut module, 1000)?)?;
    let trap = match spin.call(&mut module, ()) {
        Ok(()) => return Err("spin returned".into()),
        Err(trap) => trap,
    };
    writeln!(out, "spin with a 100ms timeout: {trap}")?;
    let closed = module.exit_code() == Some(EXIT_CODE_DEADLINE_EXCEEDED);
    writeln!(out, "module closed with EXIT_CODE_DEADLINE_EXCEEDED: {closed}")?;
    match count.call(&mut module, 1) {
        Ok(n) => writeln!(out, "count(1) after the deadline unexpectedly returned {n}")?,
        Err(trap) => writeln!(out, "count(1) after the deadline: {trap}")?,
    }
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
