//! Interpreter tests on hand-written IR and on lowered Wasm.

mod arith;
mod baseline;
mod calls;
mod common;
mod control;
mod fusion;
mod memory;
mod simd;
mod wasm;
