//! The `zerowasm` command-line tool as a library, so integration tests (the
//! spec conformance suite above all) drive the same code as the binary.
//!
//! - [`wast`]: the `.wast` script runner.
//! - [`ir`]: the SSA listings of `zerowasm ir` and the snapshot tests.
//! - [`load`]: reading `.wasm`/`.wat` files.
//! - [`commands`]: argument parsing and subcommand dispatch for `main`.

#![deny(missing_docs)]

pub mod commands;
pub mod ir;
pub mod load;
pub mod wast;

pub use commands::run;
