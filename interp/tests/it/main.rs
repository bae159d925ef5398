//! Interpreter tests on hand-written IR and on lowered Wasm.

mod arith;
mod calls;
mod common;
mod control;
mod memory;
mod simd;
mod wasm;
