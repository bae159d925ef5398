//! The embedder API of DESIGN §7: [`Runtime`](crate::Runtime), [`RuntimeConfig`](crate::RuntimeConfig),
//! [`ModuleConfig`](crate::ModuleConfig), [`Module`](crate::Module) (an instance), [`Function`](crate::Function),
//! [`TypedFunction`](crate::TypedFunction), [`HostModuleBuilder`](crate::HostModuleBuilder), typed values, interrupts and
//! deadlines. It is built on the store layer ([`crate::Store`],
//! [`crate::Linker`], [`crate::Instance`]), which stays public for embedders
//! who link Wasm instances to each other in one store.

pub mod config;
pub mod control;
pub mod guest;
pub mod host_module;
pub mod instance;
pub mod module_config;
pub mod runtime;
pub mod sys;
pub mod typed;
