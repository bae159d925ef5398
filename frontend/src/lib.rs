//! The zerowasm frontend: decodes and validates WebAssembly 2.0 binaries in one
//! streaming pass and describes the module for the engines.
//!
//! ```
//! let bytes = wat::parse_str("(module (func (export \"f\") (result i32) i32.const 1))").unwrap();
//! let module = zerowasm_frontend::validate(&bytes, zerowasm_frontend::CoreFeatures::default()).unwrap();
//! assert_eq!(module.exports[0].name, "f");
//! ```

#![deny(missing_docs)]

pub mod builtins;
mod decode;
pub mod error;
pub mod features;
pub mod lower;
pub mod module;
pub mod operator;
pub mod reader;
pub mod serialize;
pub mod simple_ops;
pub mod types;
mod validate;
pub mod vmoffsets;

pub use error::{DecodeError, Error, ValidationError};
pub use features::CoreFeatures;
pub use lower::{LowerConfig, LowerContext, lower_function};
pub use module::ModuleInfo;
pub use operator::{MemArg, Operator, read_operator};
pub use simple_ops::SimpleOp;
pub use types::{
    BlockType, ExternKind, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType,
};

/// Decodes and validates a whole module. Malformed input gives [`Error::Decode`],
/// well-formed but invalid input gives [`Error::Validation`]; neither panics.
pub fn validate(bytes: &[u8], features: CoreFeatures) -> Result<ModuleInfo, Error> {
    decode::decode_and_validate(bytes, features)
}
