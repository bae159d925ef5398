//! Locals and globals.
//!
//! Every Wasm local is an SSA variable of the builder: `local.set` defines it,
//! `local.get` reads it, and the builder inserts block parameters where
//! definitions merge. Non-parameter locals start at zero. Globals live in
//! 16-byte cells the VM context points at (`VmOffsets::global`), read and
//! written with the value's IR type at offset 0.

use zerowasm_ssa::{LoadKind, StoreKind, Type, Value};

use super::{Lowerer, Result, ir_type};
use crate::module::ModuleInfo;
use crate::reader::BinaryReader;
use crate::types::FuncType;

impl Lowerer<'_, '_> {
    /// Reads the local declarations at the start of the body.
    pub(super) fn read_locals(&mut self, r: &mut BinaryReader<'_>, ty: &FuncType) -> Result<()> {
        let groups = r.read_count()?;
        let mut total = ty.params.len() as u64;
        for _ in 0..groups {
            let at = r.offset();
            let n = r.read_var_u32()?;
            let t = r.read_val_type()?;
            total += u64::from(n);
            if total > ModuleInfo::MAX_LOCALS {
                return Err(super::invalid(at, "too many locals"));
            }
            self.st.local_groups.push((n, t));
        }
        Ok(())
    }

    /// Declares one variable per local: parameters hold the entry block's
    /// arguments, the other locals zero.
    pub(super) fn declare_locals(&mut self, ty: &FuncType, params: &[Value]) -> Result<()> {
        if params.len() != ty.params.len() {
            return Err(self.invalid("function parameters do not match its type"));
        }
        for (&t, &v) in ty.params.iter().zip(params) {
            let var = self.b.declare_var(ir_type(t));
            self.b.def_var(var, v);
            self.st.locals.push(var);
        }
        for i in 0..self.st.local_groups.len() {
            let (n, t) = self.st.local_groups[i];
            let ty = ir_type(t);
            let zero = self.zero(ty);
            for _ in 0..n {
                let var = self.b.declare_var(ty);
                self.b.def_var(var, zero);
                self.st.locals.push(var);
            }
        }
        Ok(())
    }

    /// A zero of `ty` in the entry block, shared by every local of that type.
    fn zero(&mut self, ty: Type) -> Value {
        if let Some(v) = self.st.zeros[ty as usize] {
            return v;
        }
        let v = match ty {
            Type::I32 | Type::I64 => self.b.iconst(ty, 0),
            Type::F32 => self.b.f32const(0),
            Type::F64 => self.b.f64const(0),
            Type::V128 => self.b.vconst(0),
        };
        self.st.zeros[ty as usize] = Some(v);
        v
    }

    fn local(&self, index: u32) -> Result<zerowasm_ssa::builder::Variable> {
        match self.st.locals.get(index as usize) {
            Some(&var) => Ok(var),
            None => Err(self.invalid(format!("unknown local {index}"))),
        }
    }

    pub(super) fn local_get(&mut self, index: u32) -> Result<()> {
        let var = self.local(index)?;
        let v = self.b.use_var(var);
        self.push(v);
        Ok(())
    }

    pub(super) fn local_set(&mut self, index: u32) -> Result<()> {
        let var = self.local(index)?;
        let v = self.pop()?;
        self.def_local(var, v)
    }

    pub(super) fn local_tee(&mut self, index: u32) -> Result<()> {
        let var = self.local(index)?;
        let v = *self.st.stack.last().ok_or_else(|| self.underflow())?;
        self.def_local(var, v)
    }

    fn def_local(&mut self, var: zerowasm_ssa::builder::Variable, v: Value) -> Result<()> {
        if self.b.var_type(var) != self.b.value_type(v) {
            return Err(self.invalid("type mismatch in local assignment"));
        }
        self.b.def_var(var, v);
        Ok(())
    }

    /// The IR type of global `index` and the address of its cell.
    fn global_cell(&mut self, index: u32) -> Result<(Type, Value)> {
        let Some(g) = self.module.globals.get(index as usize) else {
            return Err(self.invalid(format!("unknown global {index}")));
        };
        let ty = ir_type(g.content);
        let cell = self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.global(index));
        Ok((ty, cell))
    }

    pub(super) fn global_get(&mut self, index: u32) -> Result<()> {
        let (ty, cell) = self.global_cell(index)?;
        let v = self.b.load(LoadKind::Plain, ty, cell, 0);
        self.push(v);
        Ok(())
    }

    pub(super) fn global_set(&mut self, index: u32) -> Result<()> {
        let v = self.pop()?;
        let (ty, cell) = self.global_cell(index)?;
        if ty != self.b.value_type(v) {
            return Err(self.invalid("type mismatch in global.set"));
        }
        self.b.store(StoreKind::Plain, cell, v, 0);
        Ok(())
    }
}
