//! Every program in `examples/` runs and prints exactly what its docs say:
//! each is included here as a module and its `run` is called with a buffer
//! in place of stdout.

#[allow(dead_code)] // `main` is for `cargo run --example`
#[path = "../examples/add.rs"]
mod add;
#[allow(dead_code)]
#[path = "../examples/host_function.rs"]
mod host_function;
#[allow(dead_code)]
#[path = "../examples/host_state.rs"]
mod host_state;
#[allow(dead_code)]
#[path = "../examples/interrupt.rs"]
mod interrupt;
#[allow(dead_code)]
#[path = "../examples/many_instances.rs"]
mod many_instances;
#[allow(dead_code)]
#[path = "../examples/memory.rs"]
mod memory;

/// An example's `run`, writing into a buffer.
type Run = fn(&mut Vec<u8>) -> Result<(), Box<dyn std::error::Error>>;

/// What `run` wrote; a failed example fails the test with its error.
fn output(run: Run) -> String {
    let mut out = Vec::new();
    if let Err(e) = run(&mut out) {
        panic!("the example failed: {e}");
    }
    String::from_utf8(out).expect("the output is UTF-8")
}

#[test]
fn add() {
    assert_eq!(
        output(add::run),
        "add(40, 2) = 42
add(2147483647, 1) = -2147483648
call(\"add\", [-7, 10]) = [I32(3)]
typed::<i64, i64>: type mismatch: typed function expects [i64] -> [i64], found [i32 i32] -> [i32]
"
    );
}

#[test]
fn host_function() {
    assert_eq!(
        output(host_function::run),
        "log_i32: 1
log_i32: 4
log_i32: 9
log_i32: 16
log_i32: 25
div(84, 2) = 42
div(1, 0) trapped: checked_div: cannot divide 1 by 0
  0: div (wasm offset 0x7b)
"
    );
}

#[test]
fn host_state() {
    assert_eq!(
        output(host_state::run),
        "notes.add: [i32 i32] -> [i32]
notes.read: [i32 i32 i32 i32] -> [i32]
notes.stats: [i32] -> []
notes.count: [] -> [i32]
add_note(\"buy milk\") = 0
add_note(\"water the plants\") = 0
add_note(\"\") = 1 (Empty)
read_note(1, buf 0x100, 64 bytes) = 0
  *result_ptr = 16, buf = \"water the plants\"
read_note(1, buf 0x100, 4 bytes) = 3 (BufferTooSmall)
read_note(7, buf 0x100, 64 bytes) = 2 (NoSuchNote)
stats: 2 notes, 24 bytes
add_note past the end trapped: out of bounds memory access
another instance: count() = 0
the first instance: count() = 2
"
    );
}

#[test]
fn many_instances() {
    assert_eq!(
        output(many_instances::run),
        "worker-0: work(10) = 55, work(20) = 210, memory total = 265, ticks = 30
worker-1: work(20) = 210, work(40) = 820, memory total = 1030, ticks = 60
worker-2: work(30) = 465, work(60) = 1830, memory total = 2295, ticks = 90
worker-3: work(40) = 820, work(80) = 3240, memory total = 4060, ticks = 120
4 instances of one compiled module, each with its own memory and state
"
    );
}

#[test]
fn interrupt() {
    let start = std::time::Instant::now();
    assert_eq!(
        output(interrupt::run),
        "spin: interrupted (interrupted: true)
module closed: false
count(1000) = 1000
count(1000) with a 100ms timeout = 1000
spin with a 100ms timeout: interrupted
module closed with EXIT_CODE_DEADLINE_EXCEEDED: true
count(1) after the deadline: module closed with exit_code(4026531839)
"
    );
    // 50ms to the interrupt plus the 100ms timeout, with room for a slow machine.
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "took {:?}", start.elapsed());
}

#[test]
fn memory() {
    assert_eq!(
        output(memory::run),
        "the guest wrote 15 bytes at 0x200: \"hello, zerowasm\"
bytes at 0x400: [10, 0, 0, 0, 20, 0, 0, 0]
sum of the 4 u32s at 0x400 = 100
f64 at 0x800 = 1.5, as a u64 = 0x3ff8000000000000
size: 1 pages, 65536 bytes
grow(1) = 1 (the old size in pages)
size: 2 pages, 131072 bytes
grow(5): memory cannot grow by 5 pages from 2 (maximum 3 pages)
read_u32_le(131070): out of bounds memory access: 4 at 131070 exceeds size 131072
write at u64::MAX: out of bounds memory access: 1 at 18446744073709551615 exceeds size 131072
"
    );
}
