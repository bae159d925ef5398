//! Scalar (`i32`, `i64`, `f32`, `f64`) operators with non-trivial Wasm semantics.
//!
//! Everything is re-exported here, so callers write `scalar::f32_min` without
//! caring which file defines it.

pub mod convert;
pub mod float;
pub mod int;

pub use convert::*;
pub use float::*;
pub use int::*;
