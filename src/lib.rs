//! zerowasm: run WebAssembly from Rust, safely and fast, with a pure-Rust
//! dependency tree.
//!
//! This crate is the embedder API of `zerowasm-runtime` under one name, with
//! WASI as [`wasi`]. Start with [`Runtime`]:
//!
//! ```
//! use zerowasm::{ModuleConfig, Runtime};
//!
//! let runtime = Runtime::new();
//! zerowasm::wasi::instantiate(&runtime)?; // for guests that import WASI
//! let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#)?;
//! let compiled = runtime.compile(&wasm)?;
//! let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;
//! let add = module.typed::<(i32, i32), i32>("add")?;
//! assert_eq!(add.call(&mut module, (40, 2))?, 42);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `examples/` directory has runnable programs for the common tasks:
//! `cargo run --example add`, `host_function`, `host_state`,
//! `many_instances`, `interrupt`, `memory`.

#![deny(missing_docs)]

pub use zerowasm_runtime::*;

/// `wasi_snapshot_preview1`: register it with [`wasi::instantiate`].
pub use zerowasm_wasi as wasi;
