//! Typed guest memory for host modules, in the spirit of wazergo: a host
//! module keeps a state `T` per instance, and its methods are plain Rust
//! functions or closures `Fn(&mut T, &mut MemoryView<'_>, A1, …, An) -> R`
//! (or `Fn(&mut T, A1, …, An) -> R` when they never touch guest memory) whose
//! parameters may be guest pointers ([`Ptr`], [`Slice`], [`Bytes`], [`Str`])
//! and whose `Result<T, E>` becomes the error-code convention C guests
//! already use. The Wasm signature is derived from the closure's types; the
//! adapter reads arguments straight from the engine's slots and allocates
//! nothing per call.
//!
//! Guest pointers are untrusted: every access goes through the caller's
//! [`MemoryView`], which bounds-checks against the memory's current size, and
//! an out-of-bounds address (or an address plus length that overflows) is a
//! [`TrapCode::MemoryOutOfBounds`](crate::TrapCode::MemoryOutOfBounds) trap,
//! exactly as if the guest had loaded it itself.
//!
//! # Signatures
//!
//! | Rust | Wasm |
//! |------|------|
//! | parameter `i32 u32 i64 u64 f32 f64 u128 ExternRef Option<ExternRef> Option<Func>` | that value |
//! | parameter [`Ptr<T>`] | `i32` address |
//! | parameter [`Slice<T>`] | `i32` address, `i32` element count |
//! | parameter [`Bytes`], [`Str`] | `i32` address, `i32` byte length |
//! | result `()`, a value or a tuple ([`WasmList`]) | those results |
//! | result `Result<(), E>`, `E: `[`IntoErrorCode`] | result `i32`: 0, or the error's code |
//! | result `Result<T, E>`, `T: `[`GuestValue`] | an extra trailing `i32` parameter `result_ptr`; result `i32`: 0 with `T` stored at `result_ptr`, or the error's code with nothing stored |
//! | result `Result<R, Trap>` | as `R`, or the trap |
//!
//! An error type implements [`ErrorCode`] (a nonzero `i32`). To also trap
//! from the same method (a bad pointer met while handling the call), return
//! [`GuestError<E>`]: `?` converts both a [`Trap`] and an `E` into it.
//!
//! # Example
//!
//! A key-value store host module: each instance has its own map, `put`
//! copies a key and value out of guest memory, `get` copies the value into a
//! guest buffer and returns its length through a result pointer.
//!
//! ```
//! use std::collections::HashMap;
//! use zerowasm_runtime::{
//!     Bytes, ErrorCode, GuestError, HostModuleBuilder, MemoryView, ModuleConfig, Runtime, Str, Val,
//! };
//!
//! /// Why a `kv` call failed, as the guest sees it.
//! #[derive(Debug)]
//! enum KvError {
//!     EmptyKey,
//!     NotFound,
//!     BufferTooSmall,
//! }
//!
//! impl ErrorCode for KvError {
//!     fn code(&self) -> i32 {
//!         match self {
//!             KvError::EmptyKey => 1,
//!             KvError::NotFound => 2,
//!             KvError::BufferTooSmall => 3,
//!         }
//!     }
//! }
//!
//! type Kv = HashMap<String, Vec<u8>>;
//!
//! /// `put(key_ptr, key_len, value_ptr, value_len) -> errno`
//! fn put(kv: &mut Kv, mem: &mut MemoryView<'_>, key: Str, value: Bytes) -> Result<(), GuestError<KvError>> {
//!     let key = key.as_str(mem)?; // a bad pointer traps, bad UTF-8 too
//!     if key.is_empty() {
//!         return Err(KvError::EmptyKey.into());
//!     }
//!     kv.insert(key.to_owned(), value.as_slice(mem)?.to_vec());
//!     Ok(())
//! }
//!
//! /// `get(key_ptr, key_len, out_ptr, out_len, result_ptr) -> errno`, the
//! /// value's length stored at `result_ptr`.
//! fn get(kv: &mut Kv, mem: &mut MemoryView<'_>, key: Str, out: Bytes) -> Result<u32, GuestError<KvError>> {
//!     let value = kv.get(key.as_str(mem)?).ok_or(KvError::NotFound)?;
//!     let out = out.as_mut_slice(mem)?;
//!     out.get_mut(..value.len()).ok_or(KvError::BufferTooSmall)?.copy_from_slice(value);
//!     Ok(u32::try_from(value.len()).map_err(|_| KvError::BufferTooSmall)?)
//! }
//!
//! let runtime = Runtime::new();
//! HostModuleBuilder::new("kv")
//!     .with_state(|_: &ModuleConfig| Ok(Kv::new()))
//!     .method("put", put)
//!     .method("get", get)
//!     // Closures work too; annotate their parameter types.
//!     .method("len", |kv: &mut Kv| kv.len() as u32)
//!     .instantiate(&runtime)?;
//!
//! let kv = runtime.host_module("kv").ok_or("no kv")?;
//! let types: Vec<String> = kv.functions().map(|f| f.ty.to_string()).collect();
//! assert_eq!(types, ["[i32 i32 i32 i32] -> [i32]", "[i32 i32 i32 i32 i32] -> [i32]", "[] -> [i32]"]);
//!
//! // The guest, as a C program would call it:
//! //   int put(const char *key, size_t key_len, const void *value, size_t value_len);
//! //   int get(const char *key, size_t key_len, void *out, size_t out_len, uint32_t *len);
//! let wasm = wat::parse_str(
//!     r#"(module
//!         (import "kv" "put" (func $put (param i32 i32 i32 i32) (result i32)))
//!         (import "kv" "get" (func $get (param i32 i32 i32 i32 i32) (result i32)))
//!         (memory (export "memory") 1)
//!         (data (i32.const 0) "greeting")
//!         (data (i32.const 16) "hello, world")
//!         (func (export "put") (result i32)
//!             (call $put (i32.const 0) (i32.const 8) (i32.const 16) (i32.const 12)))
//!         (func (export "get") (param $key_len i32) (param $out_len i32) (result i32)
//!             ;; key "greeting"[..key_len], out buffer at 64, the length stored at 32
//!             (call $get (i32.const 0) (local.get $key_len)
//!                 (i32.const 64) (local.get $out_len) (i32.const 32))))"#,
//! )?;
//! let mut module = runtime.instantiate_bytes(&wasm, ModuleConfig::new())?;
//! let put = module.typed::<(), i32>("put")?;
//! let get = module.typed::<(i32, i32), i32>("get")?;
//!
//! assert_eq!(get.call(&mut module, (8, 64))?, 2, "NotFound before the put");
//! assert_eq!(put.call(&mut module, ())?, 0);
//! assert_eq!(get.call(&mut module, (8, 4))?, 3, "BufferTooSmall for a 4-byte buffer");
//! assert_eq!(get.call(&mut module, (8, 64))?, 0);
//! {
//!     let mem = module.memory().ok_or("no memory")?;
//!     assert_eq!(mem.read_u32_le(32)?, 12);
//!     assert_eq!(mem.slice(64, 12)?, b"hello, world");
//! }
//!
//! // A key running past the end of memory is a trap, not an error code.
//! let trap = module.call("get", &[Val::I32(70_000), Val::I32(64)]).unwrap_err();
//! assert_eq!(trap.code(), Some(zerowasm_runtime::TrapCode::MemoryOutOfBounds));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod memory;

use std::sync::Arc;

use zerowasm_frontend::{FuncType, ValType};

pub use self::memory::{Bytes, GuestValue, Ptr, Slice, Str};
use super::host_module::StatefulHostModuleBuilder;
use super::typed::{WasmList, WasmTy};
use crate::host::Caller;
use crate::memory_view::MemoryView;
use crate::store::Store;
use crate::trap::Trap;

/// The slot buffer was shorter than the signature: a bug in the caller of
/// the raw convention, reported as a trap instead of a panic.
fn short() -> Trap {
    Trap::msg("argument slots shorter than the function's signature")
}

/// The `i32` slot `i`, as the unsigned address or length it carries.
fn arg_u32(slots: &[u64], i: usize) -> Result<u32, Trap> {
    slots.get(i).map(|&s| s as u32).ok_or_else(short)
}

/// A method parameter: a Wasm value ([`WasmTy`]) or a guest-memory handle
/// that takes one or two `i32`s. The adapter reads each parameter from the
/// engine's slots in order, so a handle is no more costly than its integers.
pub trait GuestParam: Sized + 'static {
    /// Slots (and Wasm parameters, but for `v128`'s two slots) it takes.
    const SLOTS: usize;
    /// Appends its Wasm parameter types.
    fn push_types(types: &mut Vec<ValType>);
    /// Reads it from the start of `slots`.
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap>;
}

impl<T: WasmTy> GuestParam for T {
    const SLOTS: usize = if matches!(T::TYPE, ValType::V128) { 2 } else { 1 };
    fn push_types(types: &mut Vec<ValType>) {
        types.push(T::TYPE);
    }
    #[inline]
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
        <T as WasmTy>::load(store, slots)
    }
}

impl<T: GuestValue + 'static> GuestParam for Ptr<T> {
    const SLOTS: usize = 1;
    fn push_types(types: &mut Vec<ValType>) {
        types.push(ValType::I32);
    }
    #[inline]
    fn load(_: &Store, slots: &[u64]) -> Result<Self, Trap> {
        Ok(Ptr::new(arg_u32(slots, 0)?))
    }
}

macro_rules! pair_param {
    ($($t:ty => $new:path;)*) => {$(
        impl GuestParam for $t {
            const SLOTS: usize = 2;
            fn push_types(types: &mut Vec<ValType>) {
                types.extend([ValType::I32, ValType::I32]);
            }
            #[inline]
            fn load(_: &Store, slots: &[u64]) -> Result<Self, Trap> {
                Ok($new(arg_u32(slots, 0)?, arg_u32(slots, 1)?))
            }
        }
    )*};
}

pair_param! {
    Bytes => Bytes::new;
    Str => Str::new;
}

impl<T: GuestValue + 'static> GuestParam for Slice<T> {
    const SLOTS: usize = 2;
    fn push_types(types: &mut Vec<ValType>) {
        types.extend([ValType::I32, ValType::I32]);
    }
    #[inline]
    fn load(_: &Store, slots: &[u64]) -> Result<Self, Trap> {
        Ok(Slice::new(arg_u32(slots, 0)?, arg_u32(slots, 1)?))
    }
}

/// An error a method reports to the guest as a number (an errno), for
/// guests that check return codes rather than trap. Implement it for your
/// error enum; `i32` implements it as itself.
pub trait ErrorCode {
    /// The code the guest sees. Must be nonzero: 0 means success, and a
    /// method returning an error with code 0 traps instead of lying.
    fn code(&self) -> i32;
}

impl ErrorCode for i32 {
    fn code(&self) -> i32 {
        *self
    }
}

/// The error of a method that reports errors as codes ([`ErrorCode`]) but
/// must still trap on a bad guest pointer: `?` converts both a `Trap` and
/// an `E` into it, so one method body handles both.
#[derive(Debug)]
pub enum GuestError<E> {
    /// An error the guest handles: its code is the Wasm result.
    Code(E),
    /// A trap: the call fails and the guest does not continue.
    Trap(Trap),
}

impl<E> From<Trap> for GuestError<E> {
    fn from(trap: Trap) -> Self {
        GuestError::Trap(trap)
    }
}

impl<E: ErrorCode> From<E> for GuestError<E> {
    fn from(error: E) -> Self {
        GuestError::Code(error)
    }
}

/// The error half of a `Result` a method may return: an [`ErrorCode`]
/// (always a code) or a [`GuestError`] (a code or a trap).
pub trait IntoErrorCode {
    /// The code, or the trap to raise instead.
    fn into_code(self) -> Result<i32, Trap>;
}

impl<E: ErrorCode> IntoErrorCode for E {
    #[inline]
    fn into_code(self) -> Result<i32, Trap> {
        Ok(self.code())
    }
}

impl<E: ErrorCode> IntoErrorCode for GuestError<E> {
    #[inline]
    fn into_code(self) -> Result<i32, Trap> {
        match self {
            GuestError::Code(e) => Ok(e.code()),
            GuestError::Trap(t) => Err(t),
        }
    }
}

/// The code of a failed call, refusing 0: a guest would read it as success
/// (and, with a result pointer, read a value that was never written).
fn error_code(error: impl IntoErrorCode) -> Result<i32, Trap> {
    match error.into_code()? {
        0 => Err(Trap::msg("a host method returned an error whose ErrorCode is 0, which reads as success")),
        code => Ok(code),
    }
}

/// What a method may return (see the table in the [module docs](self)).
/// The adapter calls [`MethodReturn::finish`] with the caller's memory and
/// the `result_ptr` argument when [`MethodReturn::RESULT_PTR`] asks for one.
pub trait MethodReturn {
    /// The Wasm results.
    type Values: WasmList;
    /// True if the Wasm signature ends with an extra `i32` `result_ptr`
    /// parameter the value is stored through.
    const RESULT_PTR: bool;
    /// The Wasm results, after storing any value at the result pointer
    /// (`out`, given whenever `RESULT_PTR`), or the trap to raise.
    fn finish(self, out: Option<(&mut MemoryView<'_>, u32)>) -> Result<Self::Values, Trap>;
}

impl<R: WasmList> MethodReturn for R {
    type Values = R;
    const RESULT_PTR: bool = false;
    #[inline]
    fn finish(self, _: Option<(&mut MemoryView<'_>, u32)>) -> Result<R, Trap> {
        Ok(self)
    }
}

impl<R: MethodReturn> MethodReturn for Result<R, Trap> {
    type Values = R::Values;
    const RESULT_PTR: bool = R::RESULT_PTR;
    #[inline]
    fn finish(self, out: Option<(&mut MemoryView<'_>, u32)>) -> Result<R::Values, Trap> {
        self?.finish(out)
    }
}

impl<E: IntoErrorCode> MethodReturn for Result<(), E> {
    type Values = i32;
    const RESULT_PTR: bool = false;
    #[inline]
    fn finish(self, _: Option<(&mut MemoryView<'_>, u32)>) -> Result<i32, Trap> {
        match self {
            Ok(()) => Ok(0),
            Err(e) => error_code(e),
        }
    }
}

impl<T: GuestValue, E: IntoErrorCode> MethodReturn for Result<T, E> {
    type Values = i32;
    const RESULT_PTR: bool = true;
    #[inline]
    fn finish(self, out: Option<(&mut MemoryView<'_>, u32)>) -> Result<i32, Trap> {
        match self {
            Ok(value) => {
                let (mem, ptr) =
                    out.ok_or_else(|| Trap::msg("a host method's result pointer was not passed"))?;
                Ptr::new(ptr).write(mem, value)?;
                Ok(0)
            }
            Err(e) => error_code(e),
        }
    }
}

/// A closure that can be a method of a host module with state `T`:
/// `Fn(&mut T, &mut MemoryView<'_>, A1, …, An) -> R` or, for methods that
/// never touch guest memory, `Fn(&mut T, A1, …, An) -> R`, for up to 10
/// [`GuestParam`]s and a [`MethodReturn`]. `Marker` tells the shapes apart.
/// As with typed host functions, annotate the closure's parameter types.
pub trait IntoMethod<T, Marker>: Send + Sync + 'static {
    /// The Wasm type, derived from the parameter and return types.
    fn func_type() -> FuncType;
    /// Runs the closure for one call: reads the arguments from `slots`,
    /// writes the results back. `name` is only for error messages.
    fn call(&self, state: &mut T, caller: &mut Caller<'_>, slots: &mut [u64], name: &str)
    -> Result<(), Trap>;
}

/// Marks methods that take the caller's memory.
pub struct WithMemory<P>(std::marker::PhantomData<P>);
/// Marks methods that take only their state and values.
pub struct NoMemory<P>(std::marker::PhantomData<P>);

/// The Wasm type of a method with these parameters returning `R`.
fn signature<R: MethodReturn>(mut params: Vec<ValType>) -> FuncType {
    if R::RESULT_PTR {
        params.push(ValType::I32);
    }
    FuncType::new(params, R::Values::types())
}

/// The `result_ptr` argument (after the `at` slots of the user's
/// parameters), or 0 if `R` has none.
fn result_ptr<R: MethodReturn>(slots: &[u64], at: usize) -> Result<u32, Trap> {
    if R::RESULT_PTR { arg_u32(slots, at) } else { Ok(0) }
}

/// The trap for a method that needs memory called from a module without one.
fn no_memory(name: &str) -> Trap {
    Trap::msg(format!("host function `{name}` needs the caller's memory 0, and the module has none"))
}

macro_rules! into_method {
    ($(($($a:ident)*))*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
        impl<T, F, R, $($a: GuestParam,)*> IntoMethod<T, WithMemory<($($a,)*)>> for F
        where
            F: Fn(&mut T, &mut MemoryView<'_>, $($a),*) -> R + Send + Sync + 'static,
            R: MethodReturn,
        {
            fn func_type() -> FuncType {
                let mut params = Vec::new();
                $(<$a as GuestParam>::push_types(&mut params);)*
                signature::<R>(params)
            }

            #[inline]
            fn call(
                &self,
                state: &mut T,
                caller: &mut Caller<'_>,
                slots: &mut [u64],
                name: &str,
            ) -> Result<(), Trap> {
                let mut at = 0;
                $(
                    let rest = slots.get(at..).ok_or_else(short)?;
                    let $a = <$a as GuestParam>::load(caller.store_ref(), rest)?;
                    at += <$a as GuestParam>::SLOTS;
                )*
                let out = result_ptr::<R>(slots, at)?;
                let mut mem = caller.memory_view().ok_or_else(|| no_memory(name))?;
                let values = self(state, &mut mem, $($a),*).finish(Some((&mut mem, out)))?;
                WasmList::store(values, caller.store_ref(), slots)
            }
        }

        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
        impl<T, F, R, $($a: GuestParam,)*> IntoMethod<T, NoMemory<($($a,)*)>> for F
        where
            F: Fn(&mut T, $($a),*) -> R + Send + Sync + 'static,
            R: MethodReturn,
        {
            fn func_type() -> FuncType {
                let mut params = Vec::new();
                $(<$a as GuestParam>::push_types(&mut params);)*
                signature::<R>(params)
            }

            #[inline]
            fn call(
                &self,
                state: &mut T,
                caller: &mut Caller<'_>,
                slots: &mut [u64],
                name: &str,
            ) -> Result<(), Trap> {
                let mut at = 0;
                $(
                    let rest = slots.get(at..).ok_or_else(short)?;
                    let $a = <$a as GuestParam>::load(caller.store_ref(), rest)?;
                    at += <$a as GuestParam>::SLOTS;
                )*
                let out = result_ptr::<R>(slots, at)?;
                let returned = self(state, $($a),*);
                let values = if R::RESULT_PTR {
                    let mut mem = caller.memory_view().ok_or_else(|| no_memory(name))?;
                    returned.finish(Some((&mut mem, out)))?
                } else {
                    returned.finish(None)?
                };
                WasmList::store(values, caller.store_ref(), slots)
            }
        }
    )*};
}

into_method! {
    ()
    (A1)
    (A1 A2)
    (A1 A2 A3)
    (A1 A2 A3 A4)
    (A1 A2 A3 A4 A5)
    (A1 A2 A3 A4 A5 A6)
    (A1 A2 A3 A4 A5 A6 A7)
    (A1 A2 A3 A4 A5 A6 A7 A8)
    (A1 A2 A3 A4 A5 A6 A7 A8 A9)
    (A1 A2 A3 A4 A5 A6 A7 A8 A9 A10)
}

impl<T: Send + 'static> StatefulHostModuleBuilder<T> {
    /// Adds a typed method: a closure that gets the instance's state, the
    /// caller's memory (if it asks for it) and typed parameters, including
    /// guest pointers (see the [module docs](self) for the shapes and the
    /// signatures they derive). A method that takes the memory traps when
    /// called from a module without memory 0.
    pub fn method<M, F: IntoMethod<T, M>>(self, name: &str, f: F) -> Self {
        let ty = F::func_type();
        let fname: Arc<str> = Arc::from(name);
        self.method_raw(name, &ty.params, &ty.results, move |state, caller, slots| {
            f.call(state, caller, slots, &fname)
        })
    }
}
