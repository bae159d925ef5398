//! The zerowasm runtime core: a [`Store`] owns instances, memories, tables,
//! globals, host functions and externref data; a [`Linker`] resolves imports
//! by module and field name with the spec's type checks; an [`Engine`] turns a
//! validated module into runnable code (today the interpreter).
//!
//! ```
//! use zerowasm_runtime::{Linker, Module, Store, Val};
//!
//! let mut store = Store::new();
//! let bytes = wat::parse_str(
//!     r#"(module (func (export "add") (param i32 i32) (result i32)
//!          (i32.add (local.get 0) (local.get 1))))"#,
//! )?;
//! let module = Module::new(&store, &bytes)?;
//! let instance = store.instantiate(&module, &Linker::new())?;
//! let add = instance.get_func("add").ok_or("no export `add`")?;
//! let sum = store.call(add, &[Val::I32(1), Val::I32(2)])?;
//! assert_eq!(sum, [Val::I32(3)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # How the pieces fit
//!
//! * Every instance gets one VM context laid out by
//!   [`zerowasm_frontend::vmoffsets::VmOffsets`]; the records it points at
//!   (`VmMemory`, `VmTable`, `VmGlobal`, `VmFuncRef`) sit at stable heap
//!   addresses for the life of the store, so engines may cache them.
//! * Every function, Wasm or host, has an entry in the store's function
//!   registry; its index is the handle in `VmFuncRef::func`, which the
//!   interpreter resolves through [`zerowasm_interp::env::Env`].
//! * Runtime services (`memory.grow`, bulk memory and table operations) are
//!   `extern "C"` builtins reached through the VM context's builtin table.
//!
//! # Mapping to the embedder API of DESIGN.md §7
//!
//! This is the lean core the embedder-API issue builds on. The intended names:
//! `Runtime` wraps a [`Store`] plus a [`Linker`]; `CompiledModule` is [`Module`];
//! the §7 `Module` (an instance) is [`Instance`]; `HostModuleBuilder` defines raw
//! or typed host functions into a [`Linker`] namespace; `Function` is [`Func`];
//! `TypedFunction<P, R>` is a [`Func`] plus a type check over the raw slot
//! convention of [`values`].
//!
//! # Threads
//!
//! A [`Store`] is not `Send` yet: instance state uses `Rc`, `Cell` and raw VM
//! pointers. Everything a store owns is reachable only through it, so a later
//! issue can make it `Send` with one audited `unsafe impl`. A [`Module`] is
//! `Send + Sync` and can be shared by stores on different threads.

#![deny(missing_docs)]

mod builtins;
mod const_expr;
pub mod engine;
mod error;
mod externals;
mod global;
mod host;
mod instance;
mod linker;
mod memory;
mod module;
mod store;
mod table;
mod trap;
mod typeids;
pub mod values;
mod vmctx;

pub use engine::{Engine, EngineCode, Interpreter, VmCtx};
pub use error::{Error, InstantiationError};
pub use externals::{Extern, Func, Global, Memory, Table};
pub use host::Caller;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::{DEFAULT_GUARD_BYTES, DEFAULT_MEMORY_RESERVATION, WASM_PAGE_SIZE};
pub use module::Module;
pub use store::{DEFAULT_MAX_TABLE_ELEMENTS, Store, StoreConfig};
pub use trap::{FrameInfo, Trap, TrapCode};
pub use values::{ExternRef, Val};

pub use zerowasm_frontend::{
    CoreFeatures, ExternKind, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType,
};
