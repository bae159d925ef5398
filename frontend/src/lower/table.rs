//! Tables, `call_indirect` and reference instructions.
//!
//! A table is a `VmTable { base, length }` that the VM context points at; its
//! elements are 8-byte handles (a `VmFuncRef` pointer for funcref, a host
//! handle for externref; 0 is null). Element accesses are bounds-checked
//! inline (`table_oob`); growing, filling, copying and initialising go through
//! builtins.

use zerowasm_ssa::{IntCC, LoadKind, Opcode, StoreKind, TrapCode, Type, Value};

use super::{Lowerer, Result};
use crate::builtins::Builtin;
use crate::vmoffsets::VmOffsets;

impl Lowerer<'_, '_> {
    /// The `VmTable` pointer of table `index`.
    fn table_ptr(&mut self, index: u32) -> Result<Value> {
        if index as usize >= self.module.tables.len() {
            return Err(self.invalid(format!("unknown table {index}")));
        }
        Ok(self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.table(index)))
    }

    /// The address of element `elem` (an i32) of table `index`, trapping with
    /// `oob_code` when it is out of bounds (`table.get`/`set` say "out of bounds
    /// table access", `call_indirect` says "undefined element").
    fn table_elem_addr(&mut self, index: u32, elem: Value, oob_code: TrapCode) -> Result<Value> {
        let table = self.table_ptr(index)?;
        let len = self.b.load(LoadKind::Plain, Type::I64, table, VmOffsets::table_length());
        let i = self.b.unary(Opcode::Uextend, Type::I64, elem);
        let oob = self.b.icmp(IntCC::UnsignedGe, i, len);
        self.b.cond_trap(Opcode::Trapnz, oob, oob_code);
        let base = self.b.load(LoadKind::Plain, Type::I64, table, VmOffsets::table_base());
        let three = self.b.iconst(Type::I64, 3);
        let offset = self.b.binary(Opcode::Ishl, Type::I64, i, three);
        Ok(self.b.binary(Opcode::Iadd, Type::I64, base, offset))
    }

    pub(super) fn call_indirect(&mut self, type_index: u32, table: u32) -> Result<()> {
        let sig = self.signature(type_index)?;
        let n = self.b.func.dfg.signatures[sig].params.len() - 1;
        let index = self.pop()?;
        let addr = self.table_elem_addr(table, index, TrapCode::UndefinedElement)?;
        let elem = self.b.load(LoadKind::Plain, Type::I64, addr, 0);
        self.b.cond_trap(Opcode::Trapz, elem, TrapCode::UninitializedElement);
        let actual = self.b.load(LoadKind::Plain, Type::I64, elem, VmOffsets::func_ref_type_id());
        let expected = self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.type_id(type_index));
        let mismatch = self.b.icmp(IntCC::Ne, actual, expected);
        self.b.cond_trap(Opcode::Trapnz, mismatch, TrapCode::IndirectCallTypeMismatch);
        let callee = self.b.load(LoadKind::Plain, Type::I64, elem, VmOffsets::func_ref_func());
        let callee_vmctx = self.b.load(LoadKind::Plain, Type::I64, elem, VmOffsets::func_ref_vmctx());
        self.indirect_call(sig, callee, callee_vmctx, n)
    }

    pub(super) fn table_get(&mut self, table: u32) -> Result<()> {
        let index = self.pop()?;
        let addr = self.table_elem_addr(table, index, TrapCode::TableOutOfBounds)?;
        let v = self.b.load(LoadKind::Plain, Type::I64, addr, 0);
        self.push(v);
        Ok(())
    }

    pub(super) fn table_set(&mut self, table: u32) -> Result<()> {
        let v = self.pop()?;
        let index = self.pop()?;
        let addr = self.table_elem_addr(table, index, TrapCode::TableOutOfBounds)?;
        self.b.store(StoreKind::Plain, addr, v, 0);
        Ok(())
    }

    pub(super) fn table_size(&mut self, table: u32) -> Result<()> {
        let ptr = self.table_ptr(table)?;
        let len = self.b.load(LoadKind::Plain, Type::I64, ptr, VmOffsets::table_length());
        let v = self.b.unary(Opcode::Ireduce, Type::I32, len);
        self.push(v);
        Ok(())
    }

    pub(super) fn table_grow(&mut self, table: u32) -> Result<()> {
        let v = self.call_builtin(Builtin::TableGrow, &[table], 2)?;
        self.push_result(v)
    }

    pub(super) fn table_fill(&mut self, table: u32) -> Result<()> {
        self.call_builtin(Builtin::TableFill, &[table], 3).map(drop)
    }

    pub(super) fn table_copy(&mut self, dst: u32, src: u32) -> Result<()> {
        self.call_builtin(Builtin::TableCopy, &[dst, src], 3).map(drop)
    }

    pub(super) fn table_init(&mut self, elem: u32, table: u32) -> Result<()> {
        self.call_builtin(Builtin::TableInit, &[table, elem], 3).map(drop)
    }

    pub(super) fn elem_drop(&mut self, elem: u32) -> Result<()> {
        self.call_builtin(Builtin::ElemDrop, &[elem], 0).map(drop)
    }

    pub(super) fn ref_is_null(&mut self) -> Result<()> {
        let v = self.pop()?;
        let zero = self.b.iconst(Type::I64, 0);
        let v = self.b.icmp(IntCC::Eq, v, zero);
        self.push(v);
        Ok(())
    }

    pub(super) fn ref_func(&mut self, funcidx: u32) -> Result<()> {
        if funcidx as usize >= self.module.functions.len() {
            return Err(self.invalid(format!("unknown function {funcidx}")));
        }
        let v = self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.func_ref(funcidx));
        self.push(v);
        Ok(())
    }

    /// Pushes a builtin's result, which its signature promises.
    pub(super) fn push_result(&mut self, v: Option<Value>) -> Result<()> {
        let v = v.ok_or_else(|| self.invalid("builtin without a result"))?;
        self.push(v);
        Ok(())
    }
}
