//! One compiled module, many instances: the module is compiled once, and
//! each of four threads instantiates it and runs its own instance. Every
//! instance has its own linear memory, globals and host-module state, so
//! nothing is shared between the threads but the compiled code. (A
//! [`zerowasm::Runtime`] and a [`zerowasm::CompiledModule`] are `Send +
//! Sync` and cheap to clone; a [`zerowasm::Module`] is `Send`.)
//!
//! Run it with `cargo run --example many_instances`.

use std::io::Write;
use std::thread;

use zerowasm::{CompiledModule, HostModuleBuilder, ModuleConfig, Runtime};

/// The guest: `work(n)` sums 1..=n, calling the host's `tick` once per
/// step; it keeps a running total at address 0 of its memory and the last
/// tick count at address 4.
const GUEST: &str = r#"(module
    (import "host" "tick" (func $tick (result i32)))
    (memory (export "memory") 1)
    (func (export "work") (param $n i32) (result i32) (local $i i32) (local $sum i32)
        (block $done
            (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $sum (i32.add (local.get $sum) (local.get $i)))
                (i32.store (i32.const 4) (call $tick))
                (br $next)))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $sum)))
        (local.get $sum)))"#;

/// How many threads, each with its own instance.
const THREADS: u32 = 4;

/// A thread's error, which must cross back to the spawning thread.
type ThreadError = Box<dyn std::error::Error + Send + Sync>;

/// What one thread does with its instance: `work(n)` then `work(2n)`, and
/// a report of its memory afterwards.
fn worker(runtime: &Runtime, compiled: &CompiledModule, id: u32) -> Result<String, ThreadError> {
    let config = ModuleConfig::new().with_name(format!("worker-{id}"));
    let mut module = runtime.instantiate(compiled, config)?;
    let work = module.typed::<u32, u32>("work")?;
    let n = 10 * (id + 1);
    let first = work.call(&mut module, n)?;
    let second = work.call(&mut module, 2 * n)?;
    let name = module.name().to_owned();
    let mem = module.memory().ok_or("the guest has no memory")?;
    let (total, ticks) = (mem.read_u32_le(0)?, mem.read_u32_le(4)?);
    Ok(format!(
        "{name}: work({n}) = {first}, work({}) = {second}, memory total = {total}, ticks = {ticks}",
        2 * n
    ))
}

/// Compiles the guest once, runs [`THREADS`] instances on as many threads
/// and writes each thread's report, in thread order.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::new();
    // Each instance gets its own counter, created when it is instantiated.
    HostModuleBuilder::new("host")
        .with_state(|_: &ModuleConfig| Ok(0u32))
        .method("tick", |ticks: &mut u32| {
            *ticks += 1;
            *ticks
        })
        .instantiate(&runtime)?;
    let compiled = runtime.compile(&wat::parse_str(GUEST)?)?;

    let handles: Vec<_> = (0..THREADS)
        .map(|id| {
            // Clones share the runtime and the compiled code.
            let (runtime, compiled) = (runtime.clone(), compiled.clone());
            thread::spawn(move || worker(&runtime, &compiled, id))
        })
        .collect();
    for handle in handles {
        let report = handle.join().map_err(|_| "a worker thread panicked")?;
        writeln!(out, "{}", report.map_err(|e| e.to_string())?)?;
    }
    writeln!(out, "{THREADS} instances of one compiled module, each with its own memory and state")?;
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
