//! The zerowasm interpreter: translates functions to dense slot code, from
//! their Wasm bytes in one pass or from SSA IR, and runs it.
//!
//! - [`InterpModule`] holds a module's code, translated function by function
//!   on first call ([`InterpModule::function`]). With [`Translator::Baseline`],
//!   the default, a function goes straight from its Wasm bytes to slot code
//!   in one pass, unless it uses what that pass does not handle; with
//!   [`Translator::Optimizing`] (and for those functions) it is lowered to
//!   SSA, passed through the interpreter pipeline, assigned frame slots and
//!   encoded: slower to translate, slightly faster code. [`InterpFunc::compile`]
//!   builds a function from IR.
//! - [`invoke`] (or a reusable [`Interpreter`]) runs a function on the
//!   interpreter's own frame stack; the runtime side is the [`env::Env`] trait.
//!   Ops are dispatched threaded — every op handler jumps to the next op's —
//!   in optimized builds ([`dispatch_status`], [`Dispatch`]).
//! - [`semantics`] holds the pure, bit-exact implementations of every
//!   WebAssembly 2.0 numeric and SIMD operator that the execution loop calls.
//!
//! # Values
//! Arguments and results cross [`invoke`] as `u64` bit patterns: i32/f32 in the
//! low 32 bits, i64/f64 whole, a v128 as two consecutive `u64`s, low half first
//! (so the bytes of the pair are the v128's bytes in memory order).

#![deny(missing_docs)]

mod baseline;
mod code;
pub mod env;
pub mod error;
mod exec;
mod func;
mod lowering;
mod module;
pub mod semantics;
mod translate;

pub use env::{Callee, Env, FrameInfo, Trap, TrapReason};
pub use error::{TranslateError, TranslateErrorKind};
pub use exec::{DispatchStatus, Interpreter, InvokeError, dispatch_status, invoke};
pub use func::InterpFunc;
pub use module::{Dispatch, InterpConfig, InterpModule, Translator};
