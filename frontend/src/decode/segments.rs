//! Element and data segments, and the constant expressions they and global
//! initialisers use.

use super::{Parser, Result};
use crate::error::{DecodeError, ValidationError};
use crate::features::CoreFeatures;
use crate::module::{ConstExpr, ConstOp, DataMode, DataSegment, ElemItems, ElemMode, ElemSegment};
use crate::operator::{Operator, read_operator};
use crate::reader::BinaryReader;
use crate::simple_ops::SimpleOp;
use crate::types::{RefType, ValType};

impl<'a> Parser<'a> {
    /// Reads and validates a constant expression producing one `expected` value.
    /// `visible_globals` bounds `global.get`: 2.0 lets global initialisers read
    /// imported globals only.
    pub(super) fn const_expr(
        &mut self,
        r: &mut BinaryReader<'a>,
        expected: ValType,
        visible_globals: u32,
    ) -> Result<ConstExpr> {
        let start = r.offset();
        let mut ops = Vec::new();
        let mut stack: Vec<ValType> = Vec::new();
        loop {
            let at = r.offset();
            let op = read_operator(r, self.features)?;
            let (cop, ty) = match op {
                Operator::End => break,
                Operator::I32Const(v) => (ConstOp::I32Const(v), ValType::I32),
                Operator::I64Const(v) => (ConstOp::I64Const(v), ValType::I64),
                Operator::F32Const(v) => (ConstOp::F32Const(v), ValType::F32),
                Operator::F64Const(v) => (ConstOp::F64Const(v), ValType::F64),
                Operator::V128Const(v) => {
                    self.require(at, CoreFeatures::SIMD, "v128.const")?;
                    (ConstOp::V128Const(u128::from_le_bytes(v)), ValType::V128)
                }
                Operator::RefNull(t) => {
                    self.require(at, CoreFeatures::REFERENCE_TYPES, "ref.null")?;
                    (ConstOp::RefNull(t), t.into())
                }
                Operator::RefFunc(f) => {
                    self.require(at, CoreFeatures::REFERENCE_TYPES, "ref.func")?;
                    if f as usize >= self.module.functions.len() {
                        return Err(ValidationError::new(at, format!("unknown function {f}")).into());
                    }
                    self.mark_declared(f);
                    (ConstOp::RefFunc(f), ValType::FuncRef)
                }
                Operator::GlobalGet(g) => {
                    let Some(gt) = self.module.globals.get(g as usize).filter(|_| g < visible_globals) else {
                        return Err(ValidationError::new(at, format!("unknown global {g}")).into());
                    };
                    if gt.mutable {
                        return Err(ValidationError::new(
                            at,
                            format!("constant expression required: global {g} is mutable"),
                        )
                        .into());
                    }
                    (ConstOp::GlobalGet(g), gt.content)
                }
                Operator::Simple(s) if self.features.contains(CoreFeatures::EXTENDED_CONST) => {
                    let (cop, t) = match s {
                        SimpleOp::I32Add => (ConstOp::I32Add, ValType::I32),
                        SimpleOp::I32Sub => (ConstOp::I32Sub, ValType::I32),
                        SimpleOp::I32Mul => (ConstOp::I32Mul, ValType::I32),
                        SimpleOp::I64Add => (ConstOp::I64Add, ValType::I64),
                        SimpleOp::I64Sub => (ConstOp::I64Sub, ValType::I64),
                        SimpleOp::I64Mul => (ConstOp::I64Mul, ValType::I64),
                        _ => return Err(not_constant(at, s.name())),
                    };
                    for _ in 0..2 {
                        if stack.pop() != Some(t) {
                            return Err(ValidationError::new(at, "type mismatch").into());
                        }
                    }
                    (cop, t)
                }
                other => return Err(not_constant(at, other.name())),
            };
            ops.push(cop);
            stack.push(ty);
        }
        if stack.as_slice() != [expected] {
            let found: Vec<&str> = stack.iter().map(|t| t.name()).collect();
            return Err(ValidationError::new(
                start,
                format!(
                    "type mismatch: constant expression must produce [{expected}], found [{}]",
                    found.join(" ")
                ),
            )
            .into());
        }
        Ok(ConstExpr { ops: ops.into_boxed_slice(), offset: start })
    }

    pub(super) fn element_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        for _ in 0..count {
            let seg = self.element_segment(r)?;
            self.module.elements.push(seg);
        }
        Ok(())
    }

    fn element_segment(&mut self, r: &mut BinaryReader<'a>) -> Result<ElemSegment> {
        let at = r.offset();
        let flags = r.read_var_u32()?;
        if flags != 0 {
            self.require(at, CoreFeatures::BULK_MEMORY, "this element segment encoding")?;
        }
        if flags > 7 {
            return Err(DecodeError::new(at, "malformed elements segment kind").into());
        }
        let passive_or_declared = flags & 1 != 0;
        let explicit_table = flags & 2 != 0;
        let uses_exprs = flags & 4 != 0;
        let mode = if passive_or_declared {
            if explicit_table { ElemMode::Declared } else { ElemMode::Passive }
        } else {
            let table_at = r.offset();
            let table = if explicit_table { r.read_var_u32()? } else { 0 };
            if table as usize >= self.module.tables.len() {
                return Err(ValidationError::new(table_at, format!("unknown table {table}")).into());
            }
            let offset = self.const_expr(r, ValType::I32, self.module.globals.len() as u32)?;
            ElemMode::Active { table, offset }
        };
        // Flags 0 and 4 imply funcref; the others carry an elemkind or reftype.
        let ty_at = r.offset();
        let ty = if flags & 3 == 0 {
            RefType::FuncRef
        } else if uses_exprs {
            let t = r.read_ref_type()?;
            if t != RefType::FuncRef {
                self.require(ty_at, CoreFeatures::REFERENCE_TYPES, "externref")?;
            }
            t
        } else {
            if r.read_u8()? != 0 {
                return Err(DecodeError::new(ty_at, "malformed element kind").into());
            }
            RefType::FuncRef
        };
        if let ElemMode::Active { table, .. } = &mode {
            let table_ty = self.module.tables[*table as usize].element;
            if table_ty != ty {
                return Err(ValidationError::new(
                    ty_at,
                    format!("type mismatch: {ty} segment for a {table_ty} table"),
                )
                .into());
            }
        }
        let items = if uses_exprs {
            let n = r.read_count()?;
            let mut exprs = Vec::with_capacity(n as usize);
            let globals = self.module.globals.len() as u32;
            for _ in 0..n {
                exprs.push(self.const_expr(r, ty.into(), globals)?);
            }
            ElemItems::Exprs(exprs.into_boxed_slice())
        } else {
            let n = r.read_count()?;
            let mut funcs = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let f_at = r.offset();
                let f = r.read_var_u32()?;
                if f as usize >= self.module.functions.len() {
                    return Err(ValidationError::new(f_at, format!("unknown function {f}")).into());
                }
                self.mark_declared(f);
                funcs.push(f);
            }
            ElemItems::Functions(funcs.into_boxed_slice())
        };
        Ok(ElemSegment { mode, ty, items })
    }

    pub(super) fn data_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        self.saw_data = true;
        let at = r.offset();
        let count = r.read_count()?;
        if let Some(n) = self.module.data_count
            && n != count
        {
            return Err(DecodeError::new(at, "data count and data section have inconsistent lengths").into());
        }
        for _ in 0..count {
            let seg_at = r.offset();
            let flags = r.read_var_u32()?;
            let mode = match flags {
                0 | 2 => {
                    let mem_at = r.offset();
                    let memory = if flags == 2 { r.read_var_u32()? } else { 0 };
                    if memory as usize >= self.module.memories.len() {
                        return Err(ValidationError::new(mem_at, format!("unknown memory {memory}")).into());
                    }
                    let offset = self.const_expr(r, ValType::I32, self.module.globals.len() as u32)?;
                    DataMode::Active { memory, offset }
                }
                1 => {
                    self.require(seg_at, CoreFeatures::BULK_MEMORY, "a passive data segment")?;
                    DataMode::Passive
                }
                _ => return Err(DecodeError::new(seg_at, "malformed data segment kind").into()),
            };
            let len = r.read_size("unexpected end of section or function")?;
            let start = r.offset();
            r.skip(len)?;
            self.module.data.push(DataSegment { mode, range: start..start + len });
        }
        Ok(())
    }
}

#[cold]
fn not_constant(at: usize, name: &str) -> crate::error::Error {
    ValidationError::new(at, format!("constant expression required: {name} is not a constant instruction"))
        .into()
}
