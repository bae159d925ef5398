//! The sections that declare things: types, imports, functions, tables,
//! memories, globals, exports, start, and the data count.

use super::{Parser, Result};
use crate::error::{DecodeError, ValidationError};
use crate::features::CoreFeatures;
use crate::module::{Export, Import, ImportDesc};
use crate::reader::BinaryReader;
use crate::types::{ExternKind, FuncType, GlobalType, Limits, MemoryType, TableType, ValType};

/// Linear memories are at most 2^16 pages of 64 KiB (4 GiB) without memory64.
const MAX_PAGES: u64 = 65_536;

impl<'a> Parser<'a> {
    pub(super) fn type_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        self.module.types.reserve(count as usize);
        for _ in 0..count {
            let at = r.offset();
            let form = r.read_u8()?;
            if form & 0x80 != 0 {
                // The form is a one-byte signed LEB128 in the reference decoder.
                return Err(DecodeError::new(at, "integer representation too long").into());
            }
            if form != 0x60 {
                return Err(DecodeError::new(at, format!("malformed functype: form {form:#04x}")).into());
            }
            let params = self.val_types(r)?;
            let results = self.val_types(r)?;
            if results.len() > 1 {
                self.require(at, CoreFeatures::MULTI_VALUE, "a function with several results")?;
            }
            self.module.types.push(FuncType { params, results });
        }
        Ok(())
    }

    fn val_types(&self, r: &mut BinaryReader<'a>) -> Result<Box<[ValType]>> {
        let n = r.read_count()?;
        let mut v = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let at = r.offset();
            let t = r.read_val_type()?;
            self.check_val_type(at, t)?;
            v.push(t);
        }
        Ok(v.into_boxed_slice())
    }

    pub(super) fn check_val_type(&self, at: usize, t: ValType) -> Result<()> {
        match t {
            ValType::V128 => self.require(at, CoreFeatures::SIMD, "v128"),
            ValType::FuncRef | ValType::ExternRef => {
                self.require(at, CoreFeatures::REFERENCE_TYPES, t.name())
            }
            _ => Ok(()),
        }
    }

    fn type_index(&self, r: &mut BinaryReader<'a>) -> Result<u32> {
        let at = r.offset();
        let idx = r.read_var_u32()?;
        if idx as usize >= self.module.types.len() {
            return Err(ValidationError::new(at, format!("unknown type {idx}")).into());
        }
        Ok(idx)
    }

    pub(super) fn import_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        for _ in 0..count {
            let module = r.read_name()?.to_string();
            let name = r.read_name()?.to_string();
            let at = r.offset();
            let desc = match r.read_u8()? {
                0x00 => {
                    let t = self.type_index(r)?;
                    self.module.functions.push(t);
                    self.module.num_imported_functions += 1;
                    ImportDesc::Func(t)
                }
                0x01 => {
                    let t = self.table_type(r)?;
                    self.module.tables.push(t);
                    self.module.num_imported_tables += 1;
                    ImportDesc::Table(t)
                }
                0x02 => {
                    let m = self.memory_type(r)?;
                    self.module.memories.push(m);
                    self.module.num_imported_memories += 1;
                    ImportDesc::Memory(m)
                }
                0x03 => {
                    let g = self.global_type(r)?;
                    if g.mutable {
                        self.require(at, CoreFeatures::MUTABLE_GLOBAL, "importing a mutable global")?;
                    }
                    self.module.globals.push(g);
                    self.module.num_imported_globals += 1;
                    ImportDesc::Global(g)
                }
                _ => return Err(DecodeError::new(at, "malformed import kind").into()),
            };
            self.module.imports.push(Import { module, name, desc });
            self.check_counts(at)?;
        }
        Ok(())
    }

    pub(super) fn function_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        self.module.functions.reserve(count as usize);
        for _ in 0..count {
            let t = self.type_index(r)?;
            self.module.functions.push(t);
        }
        self.declared_bodies = Some(count);
        Ok(())
    }

    pub(super) fn table_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        for _ in 0..count {
            let at = r.offset();
            let t = self.table_type(r)?;
            self.module.tables.push(t);
            self.check_counts(at)?;
        }
        Ok(())
    }

    pub(super) fn memory_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        for _ in 0..count {
            let at = r.offset();
            let m = self.memory_type(r)?;
            self.module.memories.push(m);
            self.check_counts(at)?;
        }
        Ok(())
    }

    /// Module-wide count rules that depend on imports plus definitions.
    fn check_counts(&self, at: usize) -> Result<()> {
        if self.module.memories.len() > 1 && !self.features.contains(CoreFeatures::MULTI_MEMORY) {
            return Err(ValidationError::new(at, "multiple memories").into());
        }
        if self.module.tables.len() > 1 && !self.features.contains(CoreFeatures::REFERENCE_TYPES) {
            return Err(ValidationError::new(at, "multiple tables").into());
        }
        Ok(())
    }

    fn limits(&self, r: &mut BinaryReader<'a>) -> Result<Limits> {
        let at = r.offset();
        let flags = r.read_small_flags(1)?;
        let min = u64::from(r.read_var_u32()?);
        let max = if flags == 1 { Some(u64::from(r.read_var_u32()?)) } else { None };
        if let Some(max) = max
            && min > max
        {
            return Err(ValidationError::new(at, "size minimum must not be greater than maximum").into());
        }
        Ok(Limits { min, max })
    }

    fn table_type(&self, r: &mut BinaryReader<'a>) -> Result<TableType> {
        let at = r.offset();
        let element = r.read_ref_type()?;
        if element != crate::types::RefType::FuncRef {
            self.require(at, CoreFeatures::REFERENCE_TYPES, "externref")?;
        }
        Ok(TableType { element, limits: self.limits(r)? })
    }

    fn memory_type(&self, r: &mut BinaryReader<'a>) -> Result<MemoryType> {
        let at = r.offset();
        let limits = self.limits(r)?;
        if limits.min > MAX_PAGES || limits.max.is_some_and(|m| m > MAX_PAGES) {
            return Err(ValidationError::new(at, "memory size must be at most 65536 pages (4GiB)").into());
        }
        Ok(MemoryType { limits })
    }

    fn global_type(&self, r: &mut BinaryReader<'a>) -> Result<GlobalType> {
        let at = r.offset();
        let content = r.read_val_type()?;
        self.check_val_type(at, content)?;
        let mut_at = r.offset();
        let mutable = match r.read_u8()? {
            0 => false,
            1 => true,
            _ => return Err(DecodeError::new(mut_at, "malformed mutability").into()),
        };
        Ok(GlobalType { content, mutable })
    }

    pub(super) fn global_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        let visible = self.module.num_imported_globals;
        for _ in 0..count {
            let ty = self.global_type(r)?;
            let init = self.const_expr(r, ty.content, visible)?;
            self.module.globals.push(ty);
            self.module.global_inits.push(init);
        }
        Ok(())
    }

    pub(super) fn export_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let count = r.read_count()?;
        for _ in 0..count {
            let name_at = r.offset();
            let name = r.read_name()?;
            let kind_at = r.offset();
            let kind = match r.read_u8()? {
                0 => ExternKind::Func,
                1 => ExternKind::Table,
                2 => ExternKind::Memory,
                3 => ExternKind::Global,
                _ => return Err(DecodeError::new(kind_at, "malformed export kind").into()),
            };
            let idx_at = r.offset();
            let index = r.read_var_u32()?;
            let len = match kind {
                ExternKind::Func => self.module.functions.len(),
                ExternKind::Table => self.module.tables.len(),
                ExternKind::Memory => self.module.memories.len(),
                ExternKind::Global => self.module.globals.len(),
            };
            if index as usize >= len {
                let what = match kind {
                    ExternKind::Func => "function",
                    other => &other.to_string(),
                };
                return Err(ValidationError::new(idx_at, format!("unknown {what} {index}")).into());
            }
            match kind {
                ExternKind::Func => self.mark_declared(index),
                ExternKind::Global if self.module.globals[index as usize].mutable => {
                    self.require(idx_at, CoreFeatures::MUTABLE_GLOBAL, "exporting a mutable global")?;
                }
                _ => {}
            }
            if !self.export_names.insert(name) {
                return Err(ValidationError::new(name_at, format!("duplicate export name {name:?}")).into());
            }
            self.module.exports.push(Export { name: name.to_string(), kind, index });
        }
        Ok(())
    }

    pub(super) fn start_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let at = r.offset();
        let f = r.read_var_u32()?;
        let ty = self
            .module
            .func_type(f)
            .ok_or_else(|| ValidationError::new(at, format!("unknown function {f}")))?;
        if !ty.params.is_empty() || !ty.results.is_empty() {
            return Err(ValidationError::new(
                at,
                format!("start function must have type [] -> [], found {ty}"),
            )
            .into());
        }
        self.module.start = Some(f);
        Ok(())
    }

    pub(super) fn data_count_section(&mut self, r: &mut BinaryReader<'a>) -> Result<()> {
        let at = r.offset();
        self.require(at, CoreFeatures::BULK_MEMORY, "the data count section")?;
        self.module.data_count = Some(r.read_var_u32()?);
        Ok(())
    }
}
