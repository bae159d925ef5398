//! A typed host module with state and guest-memory views: every instance
//! that imports `notes` gets its own `Notes`, and the methods take guest
//! pointers as typed parameters: a [`Str`] (address and length, checked for
//! UTF-8), a [`Bytes`] output buffer, a [`Ptr`] to a fixed-size value, and a
//! `Result<u32, _>` whose value goes out through an extra `result_ptr`
//! parameter while the error becomes the `i32` errno C guests check. A bad
//! guest pointer is a trap, not an errno.
//!
//! Run it with `cargo run --example host_state`.

use std::io::Write;

use zerowasm::{
    Bytes, ErrorCode, GuestError, HostModuleBuilder, MemoryView, ModuleConfig, Ptr, Runtime, Str, Trap, Val,
};

/// Why a `notes` call failed, as the guest sees it (its errno).
#[derive(Debug)]
enum NoteError {
    /// The note text was empty.
    Empty,
    /// No note has that index.
    NoSuchNote,
    /// The guest's buffer cannot hold the note.
    BufferTooSmall,
}

impl ErrorCode for NoteError {
    fn code(&self) -> i32 {
        match self {
            NoteError::Empty => 1,
            NoteError::NoSuchNote => 2,
            NoteError::BufferTooSmall => 3,
        }
    }
}

/// One instance's state: the notes its guest added.
#[derive(Default)]
struct Notes {
    notes: Vec<String>,
}

/// `add(text_ptr, text_len) -> errno`: keeps a copy of the guest's string.
fn add(notes: &mut Notes, mem: &mut MemoryView<'_>, text: Str) -> Result<(), GuestError<NoteError>> {
    let text = text.as_str(mem)?; // out of bounds or not UTF-8: a trap
    if text.is_empty() {
        return Err(NoteError::Empty.into());
    }
    notes.notes.push(text.to_owned());
    Ok(())
}

/// `read(index, buf_ptr, buf_len, result_ptr) -> errno`: copies note `index`
/// into the guest's buffer and stores its length at `result_ptr`.
fn read(
    notes: &mut Notes,
    mem: &mut MemoryView<'_>,
    index: u32,
    buf: Bytes,
) -> Result<u32, GuestError<NoteError>> {
    let note = usize::try_from(index).ok().and_then(|i| notes.notes.get(i)).ok_or(NoteError::NoSuchNote)?;
    let out = buf.as_mut_slice(mem)?;
    out.get_mut(..note.len()).ok_or(NoteError::BufferTooSmall)?.copy_from_slice(note.as_bytes());
    Ok(u32::try_from(note.len()).map_err(|_| NoteError::BufferTooSmall)?)
}

/// `stats(out_ptr)`: stores `[count, total bytes]` as two `u32`s at `out_ptr`.
fn stats(notes: &mut Notes, mem: &mut MemoryView<'_>, out: Ptr<[u32; 2]>) -> Result<(), Trap> {
    let bytes: usize = notes.notes.iter().map(String::len).sum();
    let count = u32::try_from(notes.notes.len()).unwrap_or(u32::MAX);
    out.write(mem, [count, u32::try_from(bytes).unwrap_or(u32::MAX)])
}

/// The guest: two strings in a data segment, and exports that call `notes`
/// the way a C program would (`int read(uint32_t i, void *buf, size_t n, uint32_t *len)`),
/// with the result pointer at 0x200 and the stats at 0x300.
const GUEST: &str = r#"(module
    (import "notes" "add" (func $add (param i32 i32) (result i32)))
    (import "notes" "read" (func $read (param i32 i32 i32 i32) (result i32)))
    (import "notes" "stats" (func $stats (param i32)))
    (import "notes" "count" (func $count (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "buy milk")
    (data (i32.const 16) "water the plants")
    (func (export "add_note") (param $ptr i32) (param $len i32) (result i32)
        (call $add (local.get $ptr) (local.get $len)))
    (func (export "read_note") (param $index i32) (param $buf i32) (param $buf_len i32) (result i32)
        (call $read (local.get $index) (local.get $buf) (local.get $buf_len) (i32.const 0x200)))
    (func (export "stats") (call $stats (i32.const 0x300)))
    (func (export "count") (result i32) (call $count)))"#;

/// Registers `notes`, drives two instances of the guest and writes what
/// happened, one line per step.
pub fn run(out: &mut impl Write) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::new();
    HostModuleBuilder::new("notes")
        .with_state(|_: &ModuleConfig| Ok(Notes::default()))
        .method("add", add)
        .method("read", read)
        .method("stats", stats)
        // A closure works too (annotate its parameter types); this one never
        // touches guest memory, so it takes no `MemoryView`.
        .method("count", |notes: &mut Notes| u32::try_from(notes.notes.len()).unwrap_or(u32::MAX))
        .instantiate(&runtime)?;

    // The Wasm signatures derived from the Rust ones.
    let notes = runtime.host_module("notes").ok_or("`notes` is not registered")?;
    for f in notes.functions() {
        writeln!(out, "notes.{}: {}", f.name.as_deref().unwrap_or("?"), f.ty)?;
    }

    let compiled = runtime.compile(&wat::parse_str(GUEST)?)?;
    let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;
    let add_note = module.typed::<(u32, u32), i32>("add_note")?;
    let read_note = module.typed::<(u32, u32, u32), i32>("read_note")?;
    writeln!(out, "add_note(\"buy milk\") = {}", add_note.call(&mut module, (0, 8))?)?;
    writeln!(out, "add_note(\"water the plants\") = {}", add_note.call(&mut module, (16, 16))?)?;
    writeln!(out, "add_note(\"\") = {} (Empty)", add_note.call(&mut module, (0, 0))?)?;

    writeln!(out, "read_note(1, buf 0x100, 64 bytes) = {}", read_note.call(&mut module, (1, 0x100, 64))?)?;
    {
        let mem = module.memory().ok_or("the guest has no memory")?;
        let len = Ptr::<u32>::new(0x200).read(&mem)?;
        writeln!(out, "  *result_ptr = {len}, buf = {:?}", Str::new(0x100, len).as_str(&mem)?)?;
    }
    writeln!(
        out,
        "read_note(1, buf 0x100, 4 bytes) = {} (BufferTooSmall)",
        read_note.call(&mut module, (1, 0x100, 4))?
    )?;
    writeln!(
        out,
        "read_note(7, buf 0x100, 64 bytes) = {} (NoSuchNote)",
        read_note.call(&mut module, (7, 0x100, 64))?
    )?;

    module.call("stats", &[])?;
    {
        let mem = module.memory().ok_or("the guest has no memory")?;
        let [count, bytes] = Ptr::<[u32; 2]>::new(0x300).read(&mem)?;
        writeln!(out, "stats: {count} notes, {bytes} bytes")?;
    }

    // A string running past the end of memory is a trap, not an errno.
    match module.call("add_note", &[Val::I32(65_530), Val::I32(16)]) {
        Ok(r) => writeln!(out, "add_note past the end unexpectedly returned {r:?}")?,
        Err(trap) => writeln!(out, "add_note past the end trapped: {trap}")?,
    }

    // State is per instance: a second instance of the same compiled module
    // starts with no notes.
    let mut other = runtime.instantiate(&compiled, ModuleConfig::new())?;
    let count = other.typed::<(), u32>("count")?;
    writeln!(out, "another instance: count() = {}", count.call(&mut other, ())?)?;
    let count = module.typed::<(), u32>("count")?;
    writeln!(out, "the first instance: count() = {}", count.call(&mut module, ())?)?;
    Ok(())
}

fn main() {
    if let Err(e) = run(&mut std::io::stdout()) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
