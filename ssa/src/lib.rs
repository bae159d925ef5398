//! The zerowasm SSA IR: one intermediate representation that the interpreter
//! executes and the compiler backends lower to machine code.
//!
//! A [`Function`] is data ([`dfg::DataFlowGraph`]: instructions, values,
//! blocks with parameters) plus order ([`layout::Layout`]). Values are typed
//! (`i32 i64 f32 f64 v128`); blocks take parameters instead of phi nodes;
//! memory accesses and VM-context loads are explicit. Build functions with
//! [`builder::FunctionBuilder`], check them with [`verifier::verify_function`],
//! print them with `Display`, and improve them with [`passes`].

#![deny(missing_docs)]

pub mod analysis;
pub mod builder;
pub mod codes;
pub mod dfg;
pub mod entities;
pub mod function;
pub mod instructions;
pub mod layout;
pub mod parser;
pub mod passes;
pub mod printer;
pub mod types;
pub mod vecop;
pub mod verifier;

pub use codes::{FloatCC, IntCC, TrapCode};
pub use entities::{Block, BuiltinRef, Constant, FuncRef, Inst, JumpTable, SigRef, Value};
pub use function::{Function, SourceLoc};
pub use instructions::{InstData, LaneShape, LoadKind, Opcode, Signature, StoreKind};
pub use types::Type;
pub use vecop::VecOp;
