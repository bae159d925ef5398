//! Instruction typing: the control and variable instructions that the fast
//! path in `FuncValidator::code` and the general path share, and the general
//! path itself, typing every decoded [`Operator`] that the fast path leaves
//! to the decoder (prefixed, table and bulk instructions, rare immediates,
//! and frequent ones with long or malformed encodings).

use super::func::{Frame, FrameKind, FuncContext, FuncValidator, Result};
use crate::error::DecodeError;
use crate::features::CoreFeatures;
use crate::operator::Operator;
use crate::types::{BlockType, RefType, ValType};

impl FuncValidator {
    pub(super) fn else_(&mut self, cx: &FuncContext<'_>) -> Result<()> {
        if self.controls.last().is_none_or(|f| f.kind != FrameKind::If) {
            // Structurally malformed: `else` can only continue an `if`.
            return Err(DecodeError::new(self.at, "END opcode expected").into());
        }
        let frame = self.pop_ctrl(cx)?;
        let params = self.block_params(cx, frame.block_type)?;
        self.controls.push(Frame { kind: FrameKind::Else, unreachable: false, ..frame });
        self.height = frame.height;
        self.push_slice(params);
        Ok(())
    }

    #[inline]
    pub(super) fn end(&mut self, cx: &FuncContext<'_>) -> Result<()> {
        // Fast path: exactly the known results of an empty or one-value block
        // (not an `if` without `else` that has a result) are left: they stay.
        if let Some(frame) = self.controls.last() {
            let n = self.operands.len();
            let done = match frame.block_type {
                BlockType::Empty => n == frame.height,
                BlockType::Value(t) => {
                    frame.kind != FrameKind::If && n == frame.height + 1 && self.operands[n - 1] == Some(t)
                }
                BlockType::Func(_) => false,
            };
            if done {
                self.controls.pop();
                self.height = self.controls.last().map_or(0, |f| f.height);
                return Ok(());
            }
        }
        self.end_slow(cx)
    }

    #[inline(never)]
    fn end_slow(&mut self, cx: &FuncContext<'_>) -> Result<()> {
        let frame = self.pop_ctrl(cx)?;
        let (params, results) = match frame.block_type {
            BlockType::Empty => return Ok(()),
            BlockType::Value(t) => (&[][..], t.as_slice()),
            BlockType::Func(_) => {
                (self.block_params(cx, frame.block_type)?, self.block_results(cx, frame.block_type)?)
            }
        };
        // An `if` without `else` has an implicit empty else: params must equal results.
        if frame.kind == FrameKind::If && params != results {
            return Err(self.err("type mismatch: if without else must leave its parameters as results"));
        }
        self.push_slice(results);
        Ok(())
    }

    pub(super) fn br(&mut self, cx: &FuncContext<'_>, depth: u32) -> Result<()> {
        let frame = self.label(depth)?;
        let types = self.label_types(cx, &frame)?;
        self.pop_slice(types)?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn br_if(&mut self, cx: &FuncContext<'_>, depth: u32) -> Result<()> {
        self.pop(ValType::I32)?;
        let n = self.controls.len();
        if let Some(i) = n.checked_sub(1 + depth as usize) {
            let frame = &self.controls[i];
            // Fast path: the label carries nothing, or one value that is on top.
            let m = self.operands.len();
            let done = match frame.block_type {
                BlockType::Empty => true,
                BlockType::Value(_) if frame.kind == FrameKind::Loop => true,
                BlockType::Value(t) => m > self.height && self.operands[m - 1] == Some(t),
                BlockType::Func(_) => false,
            };
            if done {
                return Ok(());
            }
        }
        let frame = self.label(depth)?;
        let types = self.label_types(cx, &frame)?;
        // Popping and pushing the label types leaves known operands unchanged.
        if !self.top_is(types) {
            self.pop_slice(types)?;
            self.push_slice(types);
        }
        Ok(())
    }

    pub(super) fn return_(&mut self, cx: &FuncContext<'_>) -> Result<()> {
        let results = self.block_results(cx, self.controls[0].block_type)?;
        self.pop_slice(results)?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn call(&mut self, cx: &FuncContext<'_>, f: u32) -> Result<()> {
        let ty = cx.module.func_type(f).ok_or_else(|| self.err(format!("unknown function {f}")))?;
        self.pop_slice(&ty.params)?;
        self.push_slice(&ty.results);
        Ok(())
    }

    pub(super) fn drop_(&mut self) -> Result<()> {
        self.pop_any().map(|_| ())
    }

    pub(super) fn select(&mut self) -> Result<()> {
        self.pop(ValType::I32)?;
        let t1 = self.pop_any()?;
        let t2 = self.pop_any()?;
        let is_num = |t: Option<ValType>| t.is_none_or(ValType::is_num_or_vec);
        if !is_num(t1) || !is_num(t2) {
            return Err(self.err("type mismatch: select without a type needs numeric or vector operands"));
        }
        match (t1, t2) {
            (Some(a), Some(b)) if a != b => return Err(self.mismatch(a.name(), Some(b))),
            (Some(a), _) | (None, Some(a)) => self.push(a),
            (None, None) => self.operands.push(None),
        }
        Ok(())
    }

    pub(super) fn global_get(&mut self, cx: &FuncContext<'_>, g: u32) -> Result<()> {
        let gt = self.global(cx, g)?;
        self.push(gt.content);
        Ok(())
    }

    pub(super) fn global_set(&mut self, cx: &FuncContext<'_>, g: u32) -> Result<()> {
        let gt = self.global(cx, g)?;
        if !gt.mutable {
            return Err(self.err(format!("global is immutable: cannot set global {g}")));
        }
        self.pop(gt.content).map(|_| ())
    }
}

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
