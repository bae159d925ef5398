//! Function body validation: the spec's algorithm (appendix "Validation
//! Algorithm") with an operand stack of `Option<ValType>` (`None` is the
//! unknown type of a polymorphic stack) and a control stack of frames.
//! One `FuncValidator` is reused for every body of a module so its stacks are
//! allocated once.
//!
//! `validate` walks the body bytes itself and types the frequent instructions
//! straight from them (see [`super::fast`]); every other instruction, and any
//! frequent one with an unusual encoding, is decoded by [`read_operator`] and
//! typed by `operator` (in `ops.rs`). Both paths share the typing helpers
//! below, so they accept the same bodies and report the same errors.

use super::fast::{Shape, plain_table, short_signed_end, short_u32};
use crate::error::{DecodeError, Error, ValidationError};
use crate::features::CoreFeatures;
use crate::module::ModuleInfo;
use crate::operator::{MemArg, read_operator};
use crate::reader::{BinaryReader, val_type_from_byte};
use crate::simple_ops::SimpleOp;
use crate::types::{BlockType, RefType, ValType};

pub(super) type Result<T> = std::result::Result<T, Error>;

/// [`ModuleInfo::MAX_LOCALS`] as a length, for the checks while decoding locals.
const MAX_LOCALS: usize = ModuleInfo::MAX_LOCALS as usize;

/// The most deeply nested blocks a function may open. Bounds memory use on
/// hostile input; real compilers stay far below it.
pub const MAX_NESTING: usize = 100_000;

/// Which instruction opened a frame (`else` and `end` depend on it).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FrameKind {
    Block,
    Loop,
    If,
    Else,
    Function,
}

/// A control frame: the spec's `ctrl_frame` (start types are derived from the block type).
#[derive(Clone, Copy, Debug)]
pub(super) struct Frame {
    pub(super) kind: FrameKind,
    pub(super) block_type: BlockType,
    pub(super) height: usize,
    pub(super) unreachable: bool,
}

/// What the body validator needs of the module beyond `ModuleInfo`.
pub(crate) struct FuncContext<'m> {
    /// Types, functions, tables, memories, globals and segments the body may name.
    pub module: &'m ModuleInfo,
    /// `C.refs`: functions that may be named by `ref.func` inside bodies.
    pub declared_refs: &'m [bool],
    /// Proposals whose instructions are allowed.
    pub features: CoreFeatures,
}

/// Validates function bodies, reusing its stacks across functions.
#[derive(Default)]
pub(crate) struct FuncValidator {
    pub(super) operands: Vec<Option<ValType>>,
    pub(super) controls: Vec<Frame>,
    /// The innermost frame's `height` (0 when there is none), kept beside the
    /// control stack so the hot operand checks need no `controls.last()`.
    pub(super) height: usize,
    pub(super) locals: Vec<ValType>,
    /// Offset of the instruction being validated, for error messages.
    pub(super) at: usize,
}

fn type_name(t: Option<ValType>) -> &'static str {
    t.map_or("unknown", ValType::name)
}

impl FuncValidator {
    #[cold]
    pub(super) fn err(&self, message: impl Into<String>) -> Error {
        Error::Validation(ValidationError::new(self.at, message))
    }

    #[cold]
    pub(super) fn mismatch(&self, expected: &str, found: Option<ValType>) -> Error {
        self.err(format!("type mismatch: expected {expected}, found {}", type_name(found)))
    }

    /// Validates one body. `reader` covers the body (locals and code) and may
    /// extend past it; on success it is left just after the final `end`.
    pub(crate) fn validate(
        &mut self,
        cx: &FuncContext<'_>,
        funcidx: u32,
        reader: &mut BinaryReader<'_>,
    ) -> Result<()> {
        let module = cx.module;
        let ty = module.func_type(funcidx).ok_or_else(|| self.err(format!("unknown function {funcidx}")))?;
        self.operands.clear();
        self.controls.clear();
        self.locals.clear();
        self.locals.extend_from_slice(&ty.params);
        self.read_locals(reader)?;
        self.controls.push(Frame {
            kind: FrameKind::Function,
            block_type: BlockType::Func(module.functions[funcidx as usize]),
            height: 0,
            unreachable: false,
        });
        self.height = 0;
        self.code(cx, reader)
    }

    /// Validates the instructions of a body up to its final `end`, leaving
    /// `reader` after it. The fast path reads `code` at `pos`; the general path
    /// has `reader` catch up to the instruction first (the reader only ever
    /// moves forward, to instruction boundaries).
    fn code(&mut self, cx: &FuncContext<'_>, reader: &mut BinaryReader<'_>) -> Result<()> {
        use ValType::{F32, F64, I32, I64};
        let code = reader.remaining_bytes();
        let base = reader.offset();
        let start = reader.position();
        let table = plain_table();
        // The fast path reads a memarg's offset as a u32 and memory 0.
        let plain_memarg = !cx.features.contains(CoreFeatures::MEMORY64);
        let has_memory = !cx.module.memories.is_empty();
        let mut pos = 0;
        'ops: loop {
            let at = pos;
            self.at = base + at;
            // Each arm either consumes its instruction (setting `pos`) or
            // `break`s to the general path, before any change to the stacks.
            'fast: {
                let Some(&b) = code.get(at) else { break 'fast };
                match b {
                    0x20..=0x22 => {
                        let Some((i, p)) = short_u32(code, at + 1) else { break 'fast };
                        pos = p;
                        match b {
                            0x20 => self.local_get(i)?,
                            0x21 => self.local_set(i)?,
                            _ => self.local_tee(i)?,
                        }
                        continue 'ops;
                    }
                    0x41 | 0x42 => {
                        let Some(p) = short_signed_end(code, at + 1, b == 0x41) else { break 'fast };
                        pos = p;
                        self.push(if b == 0x41 { I32 } else { I64 });
                        continue 'ops;
                    }
                    0x45..=0xbf => {
                        let entry = &table[usize::from(b)];
                        let n = self.operands.len();
                        if entry.shape == Shape::Binary {
                            if n >= self.height + 2
                                && self.operands[n - 1] == entry.b
                                && self.operands[n - 2] == entry.a
                            {
                                self.operands.truncate(n - 1);
                                self.operands[n - 2] = entry.result;
                            } else {
                                self.simple_at(b)?;
                            }
                        } else if entry.shape == Shape::Unary
                            && n > self.height
                            && self.operands[n - 1] == entry.a
                        {
                            self.operands[n - 1] = entry.result;
                        } else {
                            self.simple_at(b)?;
                        }
                    }
                    0x28..=0x3e => {
                        let entry = &table[usize::from(b)];
                        let Some((flags, p)) = short_u32(code, at + 1) else { break 'fast };
                        let Some((offset, p)) = short_u32(code, p) else { break 'fast };
                        if flags >= 32 || !plain_memarg {
                            break 'fast;
                        }
                        pos = p;
                        if !has_memory || flags > u32::from(entry.natural) {
                            let m = MemArg { align: flags as u8, offset: u64::from(offset), memory: 0 };
                            self.check_memarg(cx, m, entry.natural)?;
                        }
                        if entry.shape == Shape::Load {
                            self.pop(I32)?;
                            self.operands.push(entry.result);
                        } else {
                            if let Some(t) = entry.a {
                                self.pop(t)?;
                            }
                            self.pop(I32)?;
                        }
                        continue 'ops;
                    }
                    0x00 => self.set_unreachable(),
                    0x01 => {}
                    0x02..=0x04 => {
                        let Some(&bt) = code.get(at + 1) else { break 'fast };
                        let bt = match bt {
                            0x40 => BlockType::Empty,
                            _ => match val_type_from_byte(bt) {
                                Some(t) => BlockType::Value(t),
                                None => break 'fast,
                            },
                        };
                        pos = at + 2;
                        let kind = match b {
                            0x02 => FrameKind::Block,
                            0x03 => FrameKind::Loop,
                            _ => {
                                self.pop(I32)?;
                                FrameKind::If
                            }
                        };
                        self.push_ctrl(cx, kind, bt)?;
                        continue 'ops;
                    }
                    0x05 => self.else_(cx)?,
                    0x0b => {
                        self.end(cx)?;
                        if self.controls.is_empty() {
                            // Within the reader's bytes, so this cannot fail.
                            reader.skip(at + 1 - (reader.position() - start))?;
                            return Ok(());
                        }
                    }
                    0x0c | 0x0d => {
                        let Some((depth, p)) = short_u32(code, at + 1) else { break 'fast };
                        pos = p;
                        if b == 0x0c {
                            self.br(cx, depth)?;
                        } else {
                            self.br_if(cx, depth)?;
                        }
                        continue 'ops;
                    }
                    0x0f => self.return_(cx)?,
                    0x10 => {
                        let Some((f, p)) = short_u32(code, at + 1) else { break 'fast };
                        pos = p;
                        self.call(cx, f)?;
                        continue 'ops;
                    }
                    0x1a => self.drop_()?,
                    0x1b => self.select()?,
                    0x23 | 0x24 => {
                        let Some((i, p)) = short_u32(code, at + 1) else { break 'fast };
                        pos = p;
                        if b == 0x23 {
                            self.global_get(cx, i)?;
                        } else {
                            self.global_set(cx, i)?;
                        }
                        continue 'ops;
                    }
                    0x43 if at + 5 <= code.len() => {
                        pos = at + 5;
                        self.push(F32);
                        continue 'ops;
                    }
                    0x44 if at + 9 <= code.len() => {
                        pos = at + 9;
                        self.push(F64);
                        continue 'ops;
                    }
                    _ => break 'fast,
                }
                pos = at + 1;
                continue 'ops;
            }
            // The general path, from the start of the instruction.
            reader.skip(at - (reader.position() - start))?;
            let op = read_operator(reader, cx.features)?;
            self.operator(cx, op)?;
            pos = reader.position() - start;
            if self.controls.is_empty() {
                return Ok(());
            }
        }
    }

    /// A plain simple op whose operands are not the expected types on top of
    /// the stack: the general check, which handles unknown operands and errors.
    #[inline(never)]
    fn simple_at(&mut self, b: u8) -> Result<()> {
        match SimpleOp::from_encoding(u32::from(b)) {
            Some(op) => self.simple(op),
            None => Err(DecodeError::new(self.at, format!("illegal opcode {b:#04x}")).into()),
        }
    }

    // ---- instruction typing shared by the fast and the general path (more in ops.rs) ----

    #[inline(always)]
    pub(super) fn local_get(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.push(t);
        Ok(())
    }

    #[inline(always)]
    pub(super) fn local_set(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.pop(t).map(|_| ())
    }

    #[inline(always)]
    pub(super) fn local_tee(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.pop(t)?;
        self.push(t);
        Ok(())
    }

    /// A fixed-signature instruction; the common one- and two-operand shapes
    /// rewrite the top of the stack in place.
    #[inline]
    pub(super) fn simple(&mut self, op: SimpleOp) -> Result<()> {
        let sig = op.sig();
        let n = self.operands.len();
        let height = self.height;
        match *sig.params {
            [a] if n > height && self.operands[n - 1] == Some(a) => {
                self.operands[n - 1] = Some(sig.result);
            }
            [a, b]
                if n >= height.saturating_add(2)
                    && self.operands[n - 1] == Some(b)
                    && self.operands[n - 2] == Some(a) =>
            {
                self.operands.truncate(n - 1);
                self.operands[n - 2] = Some(sig.result);
            }
            _ => {
                self.pop_slice(sig.params)?;
                self.push(sig.result);
            }
        }
        Ok(())
    }

    fn read_locals(&mut self, r: &mut BinaryReader<'_>) -> Result<()> {
        let groups = r.read_count()?;
        for _ in 0..groups {
            let at = r.offset();
            let n = r.read_var_u32()? as usize;
            let t = r.read_val_type()?;
            if n > MAX_LOCALS || self.locals.len() + n > MAX_LOCALS {
                return Err(DecodeError::new(at, "too many locals").into());
            }
            self.locals.resize(self.locals.len() + n, t);
        }
        Ok(())
    }

    // ---- operand stack ----

    #[inline(always)]
    pub(super) fn push(&mut self, t: ValType) {
        self.operands.push(Some(t));
    }

    #[inline]
    pub(super) fn pop_any(&mut self) -> Result<Option<ValType>> {
        let frame =
            self.controls.last().ok_or_else(|| self.err("operators remaining after end of function"))?;
        if self.operands.len() == frame.height {
            if frame.unreachable {
                return Ok(None);
            }
            return Err(self.err("type mismatch: expected a value, but nothing on stack"));
        }
        Ok(self.operands.pop().flatten())
    }

    #[inline(always)]
    pub(super) fn pop(&mut self, expected: ValType) -> Result<Option<ValType>> {
        // Fast path: the expected type is on top, above the frame's base.
        if let Some(&Some(top)) = self.operands.last()
            && top == expected
            && self.operands.len() > self.height
        {
            self.operands.pop();
            return Ok(Some(top));
        }
        self.pop_slow(expected)
    }

    #[inline(never)]
    fn pop_slow(&mut self, expected: ValType) -> Result<Option<ValType>> {
        let frame =
            self.controls.last().ok_or_else(|| self.err("operators remaining after end of function"))?;
        if self.operands.len() == frame.height {
            if frame.unreachable {
                return Ok(Some(expected));
            }
            return Err(self.err(format!("type mismatch: expected {expected}, but nothing on stack")));
        }
        match self.operands.pop().flatten() {
            None => Ok(Some(expected)),
            Some(t) if t == expected => Ok(Some(t)),
            found => Err(self.mismatch(expected.name(), found)),
        }
    }

    pub(super) fn pop_ref(&mut self) -> Result<Option<ValType>> {
        let t = self.pop_any()?;
        match t {
            None | Some(ValType::FuncRef | ValType::ExternRef) => Ok(t),
            found => Err(self.mismatch("a reference", found)),
        }
    }

    /// True if the operands above the innermost frame's base end with exactly `types` (all known).
    #[inline]
    pub(super) fn top_is(&self, types: &[ValType]) -> bool {
        let Some(start) = self.operands.len().checked_sub(types.len()) else { return false };
        if start < self.height {
            return false;
        }
        let top = &self.operands[start..];
        for (i, &t) in types.iter().enumerate() {
            if top.get(i) != Some(&Some(t)) {
                return false;
            }
        }
        true
    }

    #[inline]
    pub(super) fn pop_slice(&mut self, types: &[ValType]) -> Result<()> {
        if self.top_is(types) {
            self.operands.truncate(self.operands.len() - types.len());
            return Ok(());
        }
        self.pop_slice_slow(types)
    }

    #[inline(never)]
    fn pop_slice_slow(&mut self, types: &[ValType]) -> Result<()> {
        for &t in types.iter().rev() {
            self.pop(t)?;
        }
        Ok(())
    }

    /// Checks that the top of the stack matches `types` without consuming it:
    /// the spec's `push_vals(pop_vals(types))`, where unknown operands stay unknown.
    pub(super) fn check_top(&self, types: &[ValType]) -> Result<()> {
        let Some(frame) = self.controls.last() else {
            return Err(self.err("operators remaining after end of function"));
        };
        let mut pos = self.operands.len();
        for &t in types.iter().rev() {
            if pos == frame.height {
                if frame.unreachable {
                    return Ok(());
                }
                return Err(self.err(format!("type mismatch: expected {t}, but nothing on stack")));
            }
            pos -= 1;
            match self.operands[pos] {
                Some(found) if found != t => return Err(self.mismatch(t.name(), Some(found))),
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn push_slice(&mut self, types: &[ValType]) {
        self.operands.extend(types.iter().map(|&t| Some(t)));
    }

    // ---- control stack ----

    pub(super) fn block_params<'m>(&self, cx: &FuncContext<'m>, bt: BlockType) -> Result<&'m [ValType]> {
        match bt {
            BlockType::Empty | BlockType::Value(_) => Ok(&[]),
            BlockType::Func(idx) => Ok(&self.block_func_type(cx, idx)?.params),
        }
    }

    pub(super) fn block_results<'m>(&self, cx: &FuncContext<'m>, bt: BlockType) -> Result<&'m [ValType]> {
        match bt {
            BlockType::Empty => Ok(&[]),
            BlockType::Value(t) => Ok(t.as_slice()),
            BlockType::Func(idx) => Ok(&self.block_func_type(cx, idx)?.results),
        }
    }

    pub(super) fn block_func_type<'m>(
        &self,
        cx: &FuncContext<'m>,
        idx: u32,
    ) -> Result<&'m crate::types::FuncType> {
        cx.module.types.get(idx as usize).ok_or_else(|| self.err(format!("unknown type {idx}")))
    }

    /// The types a branch to `frame` carries: a loop's parameters, otherwise its results.
    pub(super) fn label_types<'m>(&self, cx: &FuncContext<'m>, frame: &Frame) -> Result<&'m [ValType]> {
        let is_loop = frame.kind == FrameKind::Loop;
        match frame.block_type {
            BlockType::Empty => Ok(&[]),
            BlockType::Value(_) if is_loop => Ok(&[]),
            BlockType::Value(t) => Ok(t.as_slice()),
            BlockType::Func(idx) => {
                let ty = self.block_func_type(cx, idx)?;
                Ok(if is_loop { &ty.params } else { &ty.results })
            }
        }
    }

    fn check_block_type(&self, cx: &FuncContext<'_>, bt: BlockType) -> Result<()> {
        match bt {
            BlockType::Empty => Ok(()),
            BlockType::Value(t) => self.check_val_type(cx, t),
            BlockType::Func(idx) => {
                let ty = self.block_func_type(cx, idx)?;
                if !cx.features.contains(CoreFeatures::MULTI_VALUE)
                    && (!ty.params.is_empty() || ty.results.len() > 1)
                {
                    return Err(self
                        .err("invalid result arity: multi-value block types need the multi-value feature"));
                }
                Ok(())
            }
        }
    }

    pub(super) fn check_val_type(&self, cx: &FuncContext<'_>, t: ValType) -> Result<()> {
        let needed = match t {
            ValType::V128 => CoreFeatures::SIMD,
            ValType::FuncRef | ValType::ExternRef => CoreFeatures::REFERENCE_TYPES,
            _ => return Ok(()),
        };
        self.require(cx, needed, t.name())
    }

    pub(super) fn require(&self, cx: &FuncContext<'_>, feature: CoreFeatures, what: &str) -> Result<()> {
        if cx.features.contains(feature) {
            Ok(())
        } else {
            Err(self.err(format!("{what} requires the {} feature, which is not enabled", feature.name())))
        }
    }

    pub(super) fn push_ctrl(&mut self, cx: &FuncContext<'_>, kind: FrameKind, bt: BlockType) -> Result<()> {
        if self.controls.len() >= MAX_NESTING {
            return Err(self.err("too many nested blocks"));
        }
        // Blocks without parameters (all but multi-value ones) pop and push nothing.
        match bt {
            BlockType::Empty => {}
            BlockType::Value(t) => self.check_val_type(cx, t)?,
            BlockType::Func(_) => return self.push_ctrl_params(cx, kind, bt),
        }
        let height = self.operands.len();
        self.controls.push(Frame { kind, block_type: bt, height, unreachable: false });
        self.height = height;
        Ok(())
    }

    /// `push_ctrl` for a block type that names a function type.
    fn push_ctrl_params(&mut self, cx: &FuncContext<'_>, kind: FrameKind, bt: BlockType) -> Result<()> {
        self.check_block_type(cx, bt)?;
        let params = self.block_params(cx, bt)?;
        self.pop_slice(params)?;
        let height = self.operands.len();
        self.controls.push(Frame { kind, block_type: bt, height, unreachable: false });
        self.height = height;
        self.push_slice(params);
        Ok(())
    }

    pub(super) fn pop_ctrl(&mut self, cx: &FuncContext<'_>) -> Result<Frame> {
        let frame =
            *self.controls.last().ok_or_else(|| self.err("operators remaining after end of function"))?;
        // Fast path: exactly the (known) results of an empty or one-value block are left.
        let n = self.operands.len();
        let exact = match frame.block_type {
            BlockType::Empty => n == frame.height,
            BlockType::Value(t) => n == frame.height + 1 && self.operands[n - 1] == Some(t),
            BlockType::Func(_) => false,
        };
        if exact {
            self.operands.truncate(frame.height);
        } else {
            self.check_frame_end(cx, &frame)?;
        }
        self.controls.pop();
        self.height = self.controls.last().map_or(0, |f| f.height);
        Ok(frame)
    }

    /// `pop_ctrl`'s general check: pops the frame's results and requires the stack back at its base.
    fn check_frame_end(&mut self, cx: &FuncContext<'_>, frame: &Frame) -> Result<()> {
        let results = self.block_results(cx, frame.block_type)?;
        self.pop_slice(results)?;
        if self.operands.len() != frame.height {
            let extra = self.operands.last().copied().flatten();
            return Err(self.err(format!(
                "type mismatch: {} values left on the stack at the end of the block (top is {})",
                self.operands.len() - frame.height,
                type_name(extra)
            )));
        }
        Ok(())
    }

    pub(super) fn set_unreachable(&mut self) {
        if let Some(frame) = self.controls.last_mut() {
            self.operands.truncate(frame.height);
            frame.unreachable = true;
        }
    }

    pub(super) fn label(&self, depth: u32) -> Result<Frame> {
        let n = self.controls.len();
        if depth as usize >= n {
            return Err(self.err(format!("unknown label {depth}")));
        }
        Ok(self.controls[n - 1 - depth as usize])
    }

    // ---- index checks ----

    fn local(&self, idx: u32) -> Result<ValType> {
        self.locals.get(idx as usize).copied().ok_or_else(|| self.err(format!("unknown local {idx}")))
    }

    pub(super) fn global(&self, cx: &FuncContext<'_>, idx: u32) -> Result<crate::types::GlobalType> {
        cx.module.globals.get(idx as usize).copied().ok_or_else(|| self.err(format!("unknown global {idx}")))
    }

    pub(super) fn table(&self, cx: &FuncContext<'_>, idx: u32) -> Result<RefType> {
        cx.module
            .tables
            .get(idx as usize)
            .map(|t| t.element)
            .ok_or_else(|| self.err(format!("unknown table {idx}")))
    }

    pub(super) fn memory(&self, cx: &FuncContext<'_>, idx: u32) -> Result<()> {
        if (idx as usize) < cx.module.memories.len() {
            Ok(())
        } else {
            Err(self.err(format!("unknown memory {idx}")))
        }
    }

    pub(super) fn elem(&self, cx: &FuncContext<'_>, idx: u32) -> Result<RefType> {
        cx.module
            .elements
            .get(idx as usize)
            .map(|e| e.ty)
            .ok_or_else(|| self.err(format!("unknown elem segment {idx}")))
    }

    pub(super) fn data(&self, cx: &FuncContext<'_>, idx: u32) -> Result<()> {
        match cx.module.data_count {
            None => Err(DecodeError::new(self.at, "data count section required").into()),
            Some(n) if idx < n => Ok(()),
            Some(_) => Err(self.err(format!("unknown data segment {idx}"))),
        }
    }

    pub(super) fn check_memarg(&self, cx: &FuncContext<'_>, m: MemArg, natural: u8) -> Result<()> {
        self.memory(cx, m.memory)?;
        if m.offset > u64::from(u32::MAX) {
            return Err(self.err("offset out of range"));
        }
        if m.align > natural {
            return Err(self.err("alignment must not be larger than natural"));
        }
        Ok(())
    }

    pub(super) fn check_lane(&self, lane: u8, lanes: u8) -> Result<()> {
        if lane >= lanes {
            return Err(self.err(format!("invalid lane index {lane}")));
        }
        Ok(())
    }
}
