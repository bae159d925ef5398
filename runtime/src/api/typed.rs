//! Rust types as Wasm values: the traits behind [`crate::TypedFunction`]
//! (host calling Wasm) and typed host functions (Wasm calling host), so both
//! directions check a signature once and then move values through the raw
//! slot convention of [`crate::values`] with no `Val`, no `Vec` and no
//! reflection.

use zerowasm_frontend::{FuncType, ValType};

use crate::externals::Func;
use crate::host::Caller;
use crate::store::Store;
use crate::trap::Trap;
use crate::values::ExternRef;

/// A Rust type that is exactly one Wasm value.
///
/// Implemented for `i32 u32 i64 u64 f32 f64`, `u128` (a `v128`, lane 0 in
/// the low bits), `Option<ExternRef>`/`ExternRef` (a nullable/non-null
/// `externref`) and `Option<Func>` (a `funcref`). Unsigned integers are the
/// same Wasm type as their signed twins: Wasm integers have no sign.
pub trait WasmTy: Sized + 'static {
    /// Its Wasm type.
    const TYPE: ValType;
    /// Writes the value at the start of `slots`.
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap>;
    /// Reads the value from the start of `slots`.
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap>;
}

/// Slots a value of `ty` takes.
const fn width(ty: ValType) -> usize {
    if matches!(ty, ValType::V128) { 2 } else { 1 }
}

macro_rules! numeric {
    ($($t:ty => $vt:ident, |$v:ident| $to:expr, |$r:ident| $from:expr;)*) => {$(
        impl WasmTy for $t {
            const TYPE: ValType = ValType::$vt;
            #[inline]
            fn store(self, _: &Store, slots: &mut [u64]) -> Result<(), Trap> {
                let $v = self;
                *slots.first_mut().ok_or_else(short)? = $to;
                Ok(())
            }
            #[inline]
            fn load(_: &Store, slots: &[u64]) -> Result<Self, Trap> {
                let $r = *slots.first().ok_or_else(short)?;
                Ok($from)
            }
        }
    )*};
}

numeric! {
    i32 => I32, |v| u64::from(v as u32), |r| r as u32 as i32;
    u32 => I32, |v| u64::from(v), |r| r as u32;
    i64 => I64, |v| v as u64, |r| r as i64;
    u64 => I64, |v| v, |r| r;
    f32 => F32, |v| u64::from(v.to_bits()), |r| f32::from_bits(r as u32);
    f64 => F64, |v| v.to_bits(), |r| f64::from_bits(r);
}

/// The slot buffer was shorter than the signature: a bug in the caller of
/// the raw convention, reported as a trap instead of a panic.
fn short() -> Trap {
    Trap::msg("argument slots shorter than the function's signature")
}

impl WasmTy for u128 {
    const TYPE: ValType = ValType::V128;
    #[inline]
    fn store(self, _: &Store, slots: &mut [u64]) -> Result<(), Trap> {
        let [lo, hi] = slots.get_mut(..2).ok_or_else(short)? else { return Err(short()) };
        *lo = self as u64;
        *hi = (self >> 64) as u64;
        Ok(())
    }
    #[inline]
    fn load(_: &Store, slots: &[u64]) -> Result<Self, Trap> {
        let [lo, hi] = slots.get(..2).ok_or_else(short)? else { return Err(short()) };
        Ok(u128::from(*lo) | (u128::from(*hi) << 64))
    }
}

impl WasmTy for Option<ExternRef> {
    const TYPE: ValType = ValType::ExternRef;
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap> {
        let raw = match self {
            None => 0,
            Some(r) if r.store == store.id => u64::from(r.index) + 1,
            Some(_) => return Err(Trap::msg("an externref of another store was passed")),
        };
        *slots.first_mut().ok_or_else(short)? = raw;
        Ok(())
    }
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
        let raw = *slots.first().ok_or_else(short)?;
        match store.raw_to_val(ValType::ExternRef, u128::from(raw)) {
            crate::Val::ExternRef(r) => Ok(r),
            _ => Ok(None),
        }
    }
}

impl WasmTy for ExternRef {
    const TYPE: ValType = ValType::ExternRef;
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap> {
        WasmTy::store(Some(self), store, slots)
    }
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
        <Option<ExternRef> as WasmTy>::load(store, slots)?
            .ok_or_else(|| Trap::msg("a null externref was passed where a non-null one is required"))
    }
}

impl WasmTy for Option<Func> {
    const TYPE: ValType = ValType::FuncRef;
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap> {
        let raw = match self {
            None => 0,
            Some(f) if f.store == store.id => store.funcs.get(f.index as usize).map_or(0, |e| e.record),
            Some(_) => return Err(Trap::msg("a funcref of another store was passed")),
        };
        *slots.first_mut().ok_or_else(short)? = raw;
        Ok(())
    }
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
        let raw = *slots.first().ok_or_else(short)?;
        match store.raw_to_val(ValType::FuncRef, u128::from(raw)) {
            crate::Val::FuncRef(f) => Ok(f),
            _ => Ok(None),
        }
    }
}

/// A list of Wasm values: `()`, one [`WasmTy`], or a tuple of up to 12.
pub trait WasmList: Sized + 'static {
    /// The Wasm types, in order.
    fn types() -> Vec<ValType>;
    /// Slots the list takes.
    const SLOTS: usize;
    /// Writes the values from the start of `slots`.
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap>;
    /// Reads the values from the start of `slots`.
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap>;
    /// True if `types` is this list's types.
    fn matches(types: &[ValType]) -> bool {
        types == Self::types().as_slice()
    }
}

impl<T: WasmTy> WasmList for T {
    fn types() -> Vec<ValType> {
        vec![T::TYPE]
    }
    const SLOTS: usize = width(T::TYPE);
    #[inline]
    fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap> {
        WasmTy::store(self, store, slots)
    }
    #[inline]
    fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
        <T as WasmTy>::load(store, slots)
    }
    fn matches(types: &[ValType]) -> bool {
        types.len() == 1 && types[0] == T::TYPE
    }
}

macro_rules! tuples {
    ($(($($t:ident)*))*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($t: WasmTy,)*> WasmList for ($($t,)*) {
            fn types() -> Vec<ValType> {
                vec![$($t::TYPE),*]
            }
            const SLOTS: usize = 0 $(+ width($t::TYPE))*;
            #[inline]
            fn store(self, store: &Store, slots: &mut [u64]) -> Result<(), Trap> {
                let ($($t,)*) = self;
                let mut at = 0;
                $(
                    WasmTy::store($t, store, slots.get_mut(at..).ok_or_else(short)?)?;
                    at += width($t::TYPE);
                )*
                Ok(())
            }
            #[inline]
            fn load(store: &Store, slots: &[u64]) -> Result<Self, Trap> {
                let mut at = 0;
                $(
                    let $t = <$t as WasmTy>::load(store, slots.get(at..).ok_or_else(short)?)?;
                    at += width($t::TYPE);
                )*
                Ok(($($t,)*))
            }
        }
    )*};
}

tuples! {
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
    (A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11)
    (A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12)
}

/// What a typed host function may return: values (a [`WasmList`]), or
/// `Result<values, Trap>` to trap.
pub trait HostReturn: 'static {
    /// The values on success.
    type Values: WasmList;
    /// The values, or the trap to raise.
    fn into_result(self) -> Result<Self::Values, Trap>;
}

impl<R: WasmList> HostReturn for R {
    type Values = R;
    #[inline]
    fn into_result(self) -> Result<R, Trap> {
        Ok(self)
    }
}

impl<R: WasmList> HostReturn for Result<R, Trap> {
    type Values = R;
    #[inline]
    fn into_result(self) -> Result<R, Trap> {
        self
    }
}

/// The most slots a typed signature may take (12 `v128`s): typed calls use
/// a stack buffer of this size, so they never allocate.
pub(crate) const MAX_TYPED_SLOTS: usize = 24;

/// A raw host function, as the store keeps them.
pub(crate) type RawHostFn =
    std::sync::Arc<dyn Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync>;

/// A Rust closure that can be a host function: `Fn(Caller<'_>, A1, …, An) -> R`
/// or `Fn(A1, …, An) -> R` for up to 12 [`WasmTy`] parameters and a
/// [`HostReturn`]. `Marker` only tells the two shapes apart.
pub trait IntoHostFunc<Marker>: Send + Sync + 'static {
    /// The Wasm type of the function.
    fn func_type() -> FuncType;
    /// The function with the raw calling convention.
    fn into_raw(self) -> RawHostFn;
}

/// Marks closures that take a [`Caller`] first.
pub struct WithCaller<P>(std::marker::PhantomData<P>);
/// Marks closures that take only Wasm values.
pub struct NoCaller<P>(std::marker::PhantomData<P>);

macro_rules! into_host_func {
    ($(($($t:ident)*))*) => {$(
        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
        impl<F, R, $($t: WasmTy,)*> IntoHostFunc<WithCaller<($($t,)*)>> for F
        where
            F: Fn(Caller<'_>, $($t),*) -> R + Send + Sync + 'static,
            R: HostReturn,
        {
            fn func_type() -> FuncType {
                FuncType::new(<($($t,)*) as WasmList>::types(), R::Values::types())
            }
            fn into_raw(self) -> RawHostFn {
                std::sync::Arc::new(move |caller: &mut Caller<'_>, slots: &mut [u64]| {
                    let ($($t,)*) = <($($t,)*) as WasmList>::load(caller.store_ref(), slots)?;
                    let values = self(caller.reborrow(), $($t),*).into_result()?;
                    WasmList::store(values, caller.store_ref(), slots)
                })
            }
        }

        #[allow(non_snake_case, unused_variables, unused_mut, unused_assignments)]
        impl<F, R, $($t: WasmTy,)*> IntoHostFunc<NoCaller<($($t,)*)>> for F
        where
            F: Fn($($t),*) -> R + Send + Sync + 'static,
            R: HostReturn,
        {
            fn func_type() -> FuncType {
                FuncType::new(<($($t,)*) as WasmList>::types(), R::Values::types())
            }
            fn into_raw(self) -> RawHostFn {
                std::sync::Arc::new(move |caller: &mut Caller<'_>, slots: &mut [u64]| {
                    let ($($t,)*) = <($($t,)*) as WasmList>::load(caller.store_ref(), slots)?;
                    let values = self($($t),*).into_result()?;
                    WasmList::store(values, caller.store_ref(), slots)
                })
            }
        }
    )*};
}

into_host_func! {
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
    (A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11)
    (A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12)
}
