//! The general path of body validation: typing for every decoded
//! [`Operator`], for the instructions `FuncValidator::code` does not type
//! from the bytes itself (prefixed, table and bulk instructions, rare
//! immediates, and frequent ones with long or malformed encodings).

use super::func::{FrameKind, FuncContext, FuncValidator, Result};
use crate::features::CoreFeatures;
use crate::operator::Operator;
use crate::types::{RefType, ValType};

impl FuncValidator {
    /// Types one decoded instruction: every instruction the fast path in
    /// `FuncValidator::code` leaves to the general decoder.
    #[inline(never)]
    pub(super) fn operator(&mut self, cx: &FuncContext<'_>, op: Operator<'_>) -> Result<()> {
        use ValType::{F32, F64, I32, I64, V128};
        match op {
            Operator::Simple(s) => {
                if let Some(f) = s.feature() {
                    self.require(cx, f, s.name())?;
                }
                self.simple(s)?;
            }
            Operator::LocalGet(i) => self.local_get(i)?,
            Operator::LocalSet(i) => self.local_set(i)?,
            Operator::LocalTee(i) => self.local_tee(i)?,
            Operator::I32Const(_) => self.push(I32),
            Operator::I64Const(_) => self.push(I64),
            Operator::F32Const(_) => self.push(F32),
            Operator::F64Const(_) => self.push(F64),
            Operator::Load(l, m) => {
                if l.val_type() == V128 {
                    self.require(cx, CoreFeatures::SIMD, l.name())?;
                }
                self.check_memarg(cx, m, l.natural_align())?;
                self.pop(I32)?;
                self.push(l.val_type());
            }
            Operator::Store(s, m) => {
                if s.val_type() == V128 {
                    self.require(cx, CoreFeatures::SIMD, s.name())?;
                }
                self.check_memarg(cx, m, s.natural_align())?;
                self.pop(s.val_type())?;
                self.pop(I32)?;
            }
            Operator::Unreachable => self.set_unreachable(),
            Operator::Nop => {}
            Operator::Block(bt) => self.push_ctrl(cx, FrameKind::Block, bt)?,
            Operator::Loop(bt) => self.push_ctrl(cx, FrameKind::Loop, bt)?,
            Operator::If(bt) => {
                self.pop(I32)?;
                self.push_ctrl(cx, FrameKind::If, bt)?;
            }
            Operator::Else => self.else_(cx)?,
            Operator::End => self.end(cx)?,
            Operator::Br(depth) => self.br(cx, depth)?,
            Operator::BrIf(depth) => self.br_if(cx, depth)?,
            Operator::BrTable(table) => {
                self.pop(I32)?;
                let default = self.label(table.default())?;
                let default_types = self.label_types(cx, &default)?;
                let arity = default_types.len();
                for depth in table.targets() {
                    let frame = self.label(depth)?;
                    let types = self.label_types(cx, &frame)?;
                    if types.len() != arity {
                        return Err(self.err("type mismatch: br_table labels have different arities"));
                    }
                    self.check_top(types)?;
                }
                self.pop_slice(default_types)?;
                self.set_unreachable();
            }
            Operator::Return => self.return_(cx)?,
            Operator::Call(f) => self.call(cx, f)?,
            Operator::CallIndirect { type_index, table } => {
                let elem = self.table(cx, table)?;
                if elem != RefType::FuncRef {
                    return Err(self.err("type mismatch: call_indirect needs a funcref table"));
                }
                let ty = self.block_func_type(cx, type_index)?;
                self.pop(I32)?;
                self.pop_slice(&ty.params)?;
                self.push_slice(&ty.results);
            }
            Operator::Drop => self.drop_()?,
            Operator::Select => self.select()?,
            Operator::TypedSelectArity(n) => {
                return Err(self.err(format!("invalid result arity: select takes one type, found {n}")));
            }
            Operator::TypedSelect(t) => {
                self.check_val_type(cx, t)?;
                self.pop(I32)?;
                self.pop(t)?;
                self.pop(t)?;
                self.push(t);
            }
            Operator::GlobalGet(g) => self.global_get(cx, g)?,
            Operator::GlobalSet(g) => self.global_set(cx, g)?,
            Operator::TableGet(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "table.get")?;
                let rt = self.table(cx, t)?;
                self.pop(I32)?;
                self.push(rt.into());
            }
            Operator::TableSet(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "table.set")?;
                let rt = self.table(cx, t)?;
                self.pop(rt.into())?;
                self.pop(I32)?;
            }
            Operator::MemorySize(m) => {
                self.memory(cx, m)?;
                self.push(I32);
            }
            Operator::MemoryGrow(m) => {
                self.memory(cx, m)?;
                self.pop(I32)?;
                self.push(I32);
            }
            Operator::V128Const(_) => {
                self.require(cx, CoreFeatures::SIMD, "v128.const")?;
                self.push(V128);
            }
            Operator::RefNull(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "ref.null")?;
                self.push(t.into());
            }
            Operator::RefIsNull => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "ref.is_null")?;
                self.pop_ref()?;
                self.push(I32);
            }
            Operator::RefFunc(f) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "ref.func")?;
                if cx.module.func_type(f).is_none() {
                    return Err(self.err(format!("unknown function {f}")));
                }
                if !cx.declared_refs.get(f as usize).copied().unwrap_or(false) {
                    return Err(self.err(format!("undeclared function reference {f}")));
                }
                self.push(ValType::FuncRef);
            }
            Operator::MemoryInit { data, memory } => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "memory.init")?;
                self.memory(cx, memory)?;
                self.data(cx, data)?;
                self.pop_slice(&[I32, I32, I32])?;
            }
            Operator::DataDrop(data) => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "data.drop")?;
                self.data(cx, data)?;
            }
            Operator::MemoryCopy { dst, src } => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "memory.copy")?;
                self.memory(cx, dst)?;
                self.memory(cx, src)?;
                self.pop_slice(&[I32, I32, I32])?;
            }
            Operator::MemoryFill(m) => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "memory.fill")?;
                self.memory(cx, m)?;
                self.pop_slice(&[I32, I32, I32])?;
            }
            Operator::TableInit { elem, table } => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "table.init")?;
                let tt = self.table(cx, table)?;
                let et = self.elem(cx, elem)?;
                if tt != et {
                    return Err(self
                        .err(format!("type mismatch: cannot initialise a {tt} table from a {et} segment")));
                }
                self.pop_slice(&[I32, I32, I32])?;
            }
            Operator::ElemDrop(elem) => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "elem.drop")?;
                self.elem(cx, elem)?;
            }
            Operator::TableCopy { dst, src } => {
                self.require(cx, CoreFeatures::BULK_MEMORY, "table.copy")?;
                let d = self.table(cx, dst)?;
                let s = self.table(cx, src)?;
                if d != s {
                    return Err(self.err(format!("type mismatch: cannot copy a {s} table into a {d} table")));
                }
                self.pop_slice(&[I32, I32, I32])?;
            }
            Operator::TableGrow(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "table.grow")?;
                let rt = self.table(cx, t)?;
                self.pop(I32)?;
                self.pop(rt.into())?;
                self.push(I32);
            }
            Operator::TableSize(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "table.size")?;
                self.table(cx, t)?;
                self.push(I32);
            }
            Operator::TableFill(t) => {
                self.require(cx, CoreFeatures::REFERENCE_TYPES, "table.fill")?;
                let rt = self.table(cx, t)?;
                self.pop(I32)?;
                self.pop(rt.into())?;
                self.pop(I32)?;
            }
            Operator::I8x16Shuffle(lanes) => {
                self.require(cx, CoreFeatures::SIMD, "i8x16.shuffle")?;
                if let Some(&bad) = lanes.iter().find(|&&l| l >= 32) {
                    return Err(self.err(format!("invalid lane index {bad}")));
                }
                self.pop_slice(&[V128, V128])?;
                self.push(V128);
            }
            Operator::Lane(l, lane) => {
                self.require(cx, CoreFeatures::SIMD, l.name())?;
                self.check_lane(lane, l.lanes())?;
                if l.is_replace() {
                    self.pop(l.scalar())?;
                    self.pop(V128)?;
                    self.push(V128);
                } else {
                    self.pop(V128)?;
                    self.push(l.scalar());
                }
            }
            Operator::MemLane(l, m, lane) => {
                self.require(cx, CoreFeatures::SIMD, l.name())?;
                self.check_memarg(cx, m, l.natural_align())?;
                self.check_lane(lane, l.lanes())?;
                self.pop(V128)?;
                self.pop(I32)?;
                if !l.is_store() {
                    self.push(V128);
                }
            }
        }
        Ok(())
    }
}
