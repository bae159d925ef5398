//! Values at the embedder boundary ([`Val`], [`ExternRef`]) and the raw slot
//! convention shared by engines, builtins and raw host functions.
//!
//! # Raw slots
//!
//! Arguments and results travel in one `&mut [u64]`: arguments first, then
//! overwritten by the results, each value in the next slot(s):
//!
//! | type | slots | contents |
//! |------|-------|----------|
//! | `i32`, `f32` | 1 | the 32-bit pattern, zero-extended |
//! | `i64`, `f64` | 1 | the 64-bit pattern |
//! | `v128` | 2 | low 64 bits, then high 64 bits (lane 0 lowest) |
//! | `funcref` | 1 | address of the function's `VmFuncRef`, 0 for null |
//! | `externref` | 1 | store handle + 1, 0 for null |
//!
//! The slice holds `max(slot_count(params), slot_count(results))` slots.
//! Readers mask 32-bit values with `as u32`, so a writer that sign-extends is
//! still understood. Reference slots written by a raw host function are
//! checked by the store before Wasm sees them.

use std::any::Any;

use zerowasm_frontend::{RefType, ValType};

use crate::externals::Func;
use crate::store::{Store, StoreId};

/// A WebAssembly value. Floats are raw bit patterns so NaN payloads survive
/// every round trip (use [`Val::from_f32`]/[`Val::from_f64`] to build them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits.
    F32(u32),
    /// An `f64`, as its bits.
    F64(u64),
    /// A `v128`, lane 0 in the least significant bits.
    V128(u128),
    /// A `funcref`; `None` is null.
    FuncRef(Option<Func>),
    /// An `externref`; `None` is null.
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// An `f32` from a Rust float, keeping its bits.
    pub fn from_f32(v: f32) -> Val {
        Val::F32(v.to_bits())
    }

    /// An `f64` from a Rust float, keeping its bits.
    pub fn from_f64(v: f64) -> Val {
        Val::F64(v.to_bits())
    }

    /// The null reference of type `ty`.
    pub fn null(ty: RefType) -> Val {
        match ty {
            RefType::FuncRef => Val::FuncRef(None),
            RefType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The default value of `ty` (zero or null), as locals and table slots start.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = *self { Some(v) } else { None }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = *self { Some(v) } else { None }
    }

    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = *self { Some(f32::from_bits(v)) } else { None }
    }

    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = *self { Some(f64::from_bits(v)) } else { None }
    }
}

/// A host value Wasm can hold as an `externref`. The data lives in the store
/// until the store is dropped (there is no collection yet); the handle is
/// what tables, globals and slots hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl ExternRef {
    /// Moves `data` into the store and returns a reference to it.
    pub fn new(store: &mut Store, data: impl Any + Send + Sync) -> ExternRef {
        store.new_extern_ref(Box::new(data))
    }

    /// The host data, to downcast.
    ///
    /// # Panics
    /// If `store` is not the store the reference was created in.
    pub fn data<'a>(&self, store: &'a Store) -> &'a (dyn Any + Send + Sync) {
        store.extern_data(*self)
    }
}

/// How many slots a value of type `ty` takes.
pub fn slots(ty: ValType) -> usize {
    if ty == ValType::V128 { 2 } else { 1 }
}

/// How many slots a list of values takes.
pub fn slot_count(types: &[ValType]) -> usize {
    types.iter().map(|&t| slots(t)).sum()
}

/// Writes the raw value `raw` of type `ty` at the start of `out`; returns the
/// slots used, or `None` if `out` is too short.
pub(crate) fn write_slot(ty: ValType, raw: u128, out: &mut [u64]) -> Option<usize> {
    match ty {
        ValType::V128 => {
            let [lo, hi] = out.get_mut(..2)? else { return None };
            *lo = raw as u64;
            *hi = (raw >> 64) as u64;
            Some(2)
        }
        ValType::I32 | ValType::F32 => {
            *out.first_mut()? = u64::from(raw as u32);
            Some(1)
        }
        _ => {
            *out.first_mut()? = raw as u64;
            Some(1)
        }
    }
}

/// Reads a raw value of type `ty` from the start of `slots` (zero if short).
pub(crate) fn read_slot(ty: ValType, slots: &[u64]) -> u128 {
    let at = |i: usize| slots.get(i).copied().unwrap_or(0);
    match ty {
        ValType::V128 => u128::from(at(0)) | (u128::from(at(1)) << 64),
        ValType::I32 | ValType::F32 => u128::from(at(0) as u32),
        _ => u128::from(at(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip() {
        let mut buf = [0u64; 4];
        let v = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeffu128;
        assert_eq!(write_slot(ValType::V128, v, &mut buf[1..]), Some(2));
        assert_eq!(read_slot(ValType::V128, &buf[1..]), v);
        assert_eq!(write_slot(ValType::I32, u128::from(u32::MAX), &mut buf), Some(1));
        assert_eq!(buf[0], 0xffff_ffff, "i32 is zero-extended");
        buf[0] = u64::MAX; // a sign-extending writer
        assert_eq!(read_slot(ValType::I32, &buf), u128::from(u32::MAX));
        assert_eq!(write_slot(ValType::V128, 0, &mut buf[3..]), None);
        assert_eq!(slot_count(&[ValType::I32, ValType::V128, ValType::F64]), 4);
    }

    #[test]
    fn vals_know_their_types() {
        assert_eq!(Val::from_f32(1.5).ty(), ValType::F32);
        assert_eq!(Val::from_f64(-0.0).f64().map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(Val::null(RefType::ExternRef), Val::ExternRef(None));
        assert_eq!(Val::default_for(ValType::V128), Val::V128(0));
        assert_eq!(Val::I32(3).i32(), Some(3));
        assert_eq!(Val::I32(3).i64(), None);
    }
}
