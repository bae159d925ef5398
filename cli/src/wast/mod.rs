//! The `.wast` script runner: the conformance harness for the official
//! testsuite and the engine behind `zerowasm wast`.
//!
//! Split by concern: [`runner`] decides what each directive means, [`engine`]
//! is the hook for execution, [`report`] holds the outcome, and `values`
//! converts and compares script values.

pub mod engine;
pub mod report;
pub mod runner;
pub mod runtime_engine;
mod values;

#[cfg(test)]
mod tests;

pub use engine::{EngineError, EngineKind, NoEngine, WastEngine, WastValue};
pub use report::{Report, SkipReason, Tally};
pub use runner::{FrontendValidator, Validator, WastRunner};
pub use runtime_engine::RuntimeEngine;
