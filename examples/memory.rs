//! Reading and writing guest memory from the host through a
//! [`zerowasm::MemoryView`]: raw bytes, little-endian integers and floats,
//! the size and `grow`. The host writes a name into the guest's memory, the
//! guest writes a greeting next to it, and the host reads the greeting back.
//! Every access is bounds-checked against the memory's current size, and an
//! access past the end is an [`zerowasm::Error`] value, never a panic.
//!
//! Run it with `cargo run --example memory`.

use std::io::Write;

use zerowasm::{ModuleConfig, Runtime};

/// The guest: a memory of 1 page (at most 3), `greet` writing
/// `"hello, " + name` at `out` and returning its length, `sum` adding
/// `count` `u32`s at `ptr`.
const GUEST: &str = r#"(module
    (memory (export "memory") 1 3)
    (data $hello "hello, ")
    (func (export "greet") (param $name i32) (param $len i32) (param $out i32) (result i32)
        (memory.init $hello (local.get $out) (i32.const 0) (i32.const 7))
        (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $name) (local.get $len))
        (i32.add (local.get $len) (i32.const 7)))
    (func (export "sum") (param $ptr i32) (param $count i32) (result i32) (local $total i32)
        (block $done
            (loop $next
                (br_if $done (i32.eqz (local.get $count)))
                (local.set $total (i32.add (local.get $total) (i32.load (local.get $ptr))))
                (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
                (local.set $count (i32.sub (local.get $count) (i32.const 1)))
                (br $next)))
        (local.get $total)))"#;

/// Where the host puts the name.
const NAME_AT: u64 = 0x100;
/// Where the guest writes the greeting.
const GREETING_AT: u64 = 0x200;
/// Where the host puts the numbers `sum` adds.
const NUMBERS_AT: u64 = 0x400;

/// Exchanges data with the guest through its memory and writes what the
/// host saw.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::new();
    let mut module = runtime.instantiate_bytes(&wat::parse_str(GUEST)?, ModuleConfig::new())?;
    let greet = module.typed::<(u32, u32, u32), u32>("greet")?;
    let sum = module.typed::<(u32, u32), u32>("sum")?;

    // A string in, a string out.
    let name = "zerowasm";
    module.memory().ok_or("the guest has no memory")?.write(NAME_AT, name.as_bytes())?;
    let len = greet.call(&mut module, (NAME_AT as u32, name.len() as u32, GREETING_AT as u32))?;
    {
        let mem = module.memory().ok_or("the guest has no memory")?;
        let greeting = std::str::from_utf8(mem.slice(GREETING_AT, u64::from(len))?)?;
        writeln!(out, "the guest wrote {len} bytes at {GREETING_AT:#x}: {greeting:?}")?;
    }

    // Little-endian numbers, as Wasm loads and stores them.
    {
        let mut mem = module.memory().ok_or("the guest has no memory")?;
        for (i, n) in [10u32, 20, 30, 40].into_iter().enumerate() {
            mem.write_u32_le(NUMBERS_AT + 4 * i as u64, n)?;
        }
        writeln!(out, "bytes at {NUMBERS_AT:#x}: {:?}", mem.slice(NUMBERS_AT, 8)?)?;
    }
    writeln!(
        out,
        "sum of the 4 u32s at {NUMBERS_AT:#x} = {}",
        sum.call(&mut module, (NUMBERS_AT as u32, 4))?
    )?;
    let mut mem = module.memory().ok_or("the guest has no memory")?;
    mem.write_f64_le(0x800, 1.5)?;
    writeln!(out, "f64 at 0x800 = {}, as a u64 = {:#x}", mem.read_f64_le(0x800)?, mem.read_u64_le(0x800)?)?;

    // Size and growth: the guest declared at most 3 pages.
    writeln!(out, "size: {} pages, {} bytes", mem.pages(), mem.size())?;
    writeln!(out, "grow(1) = {} (the old size in pages)", mem.grow(1)?)?;
    writeln!(out, "size: {} pages, {} bytes", mem.pages(), mem.size())?;
    match mem.grow(5) {
        Ok(old) => writeln!(out, "grow(5) unexpectedly succeeded from {old} pages")?,
        Err(e) => writeln!(out, "grow(5): {e}")?,
    }

    // Out of bounds accesses are errors to handle.
    let end = mem.size();
    match mem.read_u32_le(end - 2) {
        Ok(v) => writeln!(out, "read_u32_le({}) unexpectedly read {v}", end - 2)?,
        Err(e) => writeln!(out, "read_u32_le({}): {e}", end - 2)?,
    }
    match mem.write(u64::MAX, b"x") {
        Ok(()) => writeln!(out, "write at u64::MAX unexpectedly succeeded")?,
        Err(e) => writeln!(out, "write at u64::MAX: {e}")?,
    }
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
