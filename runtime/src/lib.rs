//! The zerowasm runtime: the embedder API (DESIGN.md §7) and the store
//! layer beneath it.
//!
//! # The embedder API
//!
//! A [`Runtime`] (`Send + Sync`, cheap to clone) compiles bytes into a
//! [`CompiledModule`] (cheap to clone, instantiable many times, inspectable)
//! and instantiates it with a [`ModuleConfig`] into a [`Module`]: an instance
//! with its own store, so instances run on many threads at once. Host code
//! is offered to guests as host modules ([`HostModuleBuilder`]: typed
//! closures, raw functions, per-instance state, typed guest memory).
//!
//! ```
//! use zerowasm_runtime::{Caller, HostModuleBuilder, ModuleConfig, Runtime};
//!
//! let runtime = Runtime::new();
//! HostModuleBuilder::new("env")
//!     .func("double", |_caller: Caller<'_>, v: i32| v * 2)
//!     .instantiate(&runtime)?;
//! let wasm = wat::parse_str(r#"(module
//!     (import "env" "double" (func $double (param i32) (result i32)))
//!     (func (export "quad") (param i32) (result i32)
//!         (call $double (call $double (local.get 0)))))"#)?;
//! let compiled = runtime.compile(&wasm)?;
//! let mut module = runtime.instantiate(&compiled, ModuleConfig::new())?;
//! let quad = module.typed::<i32, i32>("quad")?;
//! assert_eq!(quad.call(&mut module, 5)?, 20);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Control: [`InterruptHandle`], deadlines, fuel and the Wasm stack depth
//! ([`RuntimeConfig`]); observation: [`FunctionListener`]; reuse:
//! [`CompilationCache`] (in memory, or a directory keyed by sha256).
//!
//! # The store layer
//!
//! Underneath, a [`Store`] owns instances, memories, tables, globals, host
//! functions and externref data; a [`Linker`] resolves imports by module and
//! field name with the spec's type checks; an [`Engine`] turns a validated
//! module into runnable code (today the interpreter). Use it directly to link
//! several Wasm instances to each other in one store (the spec testsuite
//! runner does).
//!
//! ```
//! use zerowasm_runtime::{CompiledModule, Linker, Store, Val};
//!
//! let mut store = Store::new();
//! let bytes = wat::parse_str(
//!     r#"(module (func (export "add") (param i32 i32) (result i32)
//!          (i32.add (local.get 0) (local.get 1))))"#,
//! )?;
//! let module = CompiledModule::new(&store, &bytes)?;
//! let instance = store.instantiate(&module, &Linker::new())?;
//! let add = instance.get_func("add").ok_or("no export `add`")?;
//! let sum = store.call(add, &[Val::I32(1), Val::I32(2)])?;
//! assert_eq!(sum, [Val::I32(3)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! * Every instance gets one VM context laid out by
//!   [`zerowasm_frontend::vmoffsets::VmOffsets`]; the records it points at
//!   (`VmMemory`, `VmTable`, `VmGlobal`, `VmFuncRef`) sit at stable heap
//!   addresses for the life of the store, so engines may cache them.
//! * Every function, Wasm or host, has an entry in the store's function
//!   registry; its index is the handle in `VmFuncRef::func`, which the
//!   interpreter resolves through [`zerowasm_interp::env::Env`].
//! * Runtime services (`memory.grow`, bulk memory and table operations,
//!   listener hooks) are `extern "C"` builtins reached through the VM
//!   context's builtin table.
//!
//! # Threads
//!
//! A [`Store`] is `Send` but not `Sync` (one audited `unsafe impl`: instance
//! state uses `Rc`, `Cell` and raw VM pointers reachable only through the
//! store). A [`CompiledModule`] and a [`Runtime`] are `Send + Sync`.

#![deny(missing_docs)]

pub mod api;
mod builtins;
pub mod cache;
mod const_expr;
pub mod definitions;
pub mod engine;
mod error;
mod externals;
mod global;
mod host;
mod instance;
mod linker;
pub mod listener;
mod memory;
mod memory_view;
mod module;
mod store;
mod table;
mod trap;
mod typeids;
pub mod values;
mod vmctx;

pub use api::config::{EngineKind, RuntimeConfig};
pub use api::control::InterruptHandle;
pub use api::guest::{
    Bytes, ErrorCode, GuestError, GuestParam, GuestValue, IntoErrorCode, IntoMethod, MethodReturn, Ptr,
    Slice, Str,
};
pub use api::host_module::{HostModule, HostModuleBuilder, StatefulHostModuleBuilder};
pub use api::instance::{EXIT_CODE_DEADLINE_EXCEEDED, Function, Module, TypedFunction};
pub use api::module_config::{ModuleConfig, Mount};
pub use api::runtime::Runtime;
pub use api::sys;
pub use api::typed::{HostReturn, IntoHostFunc, WasmList, WasmTy};
pub use cache::CompilationCache;
pub use definitions::{FunctionDefinition, GlobalDefinition, MemoryDefinition, TableDefinition};
pub use engine::{CompileOptions, Engine, EngineCode, Interpreter, VmCtx};
pub use error::{Error, InstantiationError};
pub use externals::{Extern, Func, Global, Memory, Table};
pub use host::Caller;
pub use instance::Instance;
pub use linker::Linker;
pub use listener::{FunctionListener, LoggingListener};
pub use memory::{DEFAULT_GUARD_BYTES, DEFAULT_MEMORY_RESERVATION, WASM_PAGE_SIZE};
pub use memory_view::MemoryView;
pub use module::CompiledModule;
pub use store::{DEFAULT_MAX_TABLE_ELEMENTS, Store, StoreConfig};
pub use trap::{FrameInfo, Trap, TrapCode};
pub use values::{ExternRef, Val};
/// Chosen with [`RuntimeConfig::with_interp_translator`] or
/// [`CompileOptions::translator`]: embedders trade translation speed against
/// execution speed without depending on `zerowasm-interp`.
pub use zerowasm_interp::Translator;

pub use zerowasm_frontend::{
    CoreFeatures, ExternKind, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType,
};
