//! Function body validation: the spec's algorithm (appendix "Validation
//! Algorithm") with an operand stack of `Option<ValType>` (`None` is the
//! unknown type of a polymorphic stack) and a control stack of frames.
//! One `FuncValidator` is reused for every body of a module so its stacks are
//! allocated once.

use crate::error::{DecodeError, Error, ValidationError};
use crate::features::CoreFeatures;
use crate::module::ModuleInfo;
use crate::operator::{MemArg, Operator, read_operator};
use crate::reader::BinaryReader;
use crate::simple_ops::SimpleOp;
use crate::types::{BlockType, RefType, ValType};

type Result<T> = std::result::Result<T, Error>;

/// [`ModuleInfo::MAX_LOCALS`] as a length, for the checks while decoding locals.
const MAX_LOCALS: usize = ModuleInfo::MAX_LOCALS as usize;

/// The most deeply nested blocks a function may open. Bounds memory use on
/// hostile input; real compilers stay far below it.
pub const MAX_NESTING: usize = 100_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FrameKind {
    Block,
    Loop,
    If,
    Else,
    Function,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    kind: FrameKind,
    block_type: BlockType,
    height: usize,
    unreachable: bool,
}

/// What the body validator needs of the module beyond `ModuleInfo`.
pub(crate) struct FuncContext<'m> {
    pub module: &'m ModuleInfo,
    /// `C.refs`: functions that may be named by `ref.func` inside bodies.
    pub declared_refs: &'m [bool],
    pub features: CoreFeatures,
}

/// Validates function bodies, reusing its stacks across functions.
#[derive(Default)]
pub(crate) struct FuncValidator {
    operands: Vec<Option<ValType>>,
    controls: Vec<Frame>,
    locals: Vec<ValType>,
    /// Offset of the instruction being validated, for error messages.
    at: usize,
}

fn type_name(t: Option<ValType>) -> &'static str {
    t.map_or("unknown", ValType::name)
}

impl FuncValidator {
    #[cold]
    fn err(&self, message: impl Into<String>) -> Error {
        Error::Validation(ValidationError::new(self.at, message))
    }

    #[cold]
    fn mismatch(&self, expected: &str, found: Option<ValType>) -> Error {
        self.err(format!("type mismatch: expected {expected}, found {}", type_name(found)))
    }

    /// Validates one body. `reader` covers exactly the body (locals and code).
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
        while !self.controls.is_empty() {
            self.at = reader.offset();
            // One dispatch on the opcode byte for the most frequent instructions;
            // everything else goes through the general decoder.
            let b = reader.read_u8()?;
            match b {
                0x20 => self.local_get(reader.read_var_u32()?)?,
                0x21 => self.local_set(reader.read_var_u32()?)?,
                0x22 => self.local_tee(reader.read_var_u32()?)?,
                0x41 => {
                    reader.read_var_i32()?;
                    self.push(ValType::I32);
                }
                0x42 => {
                    reader.read_var_i64()?;
                    self.push(ValType::I64);
                }
                // MVP numeric instructions (sign-extension, 0xc0.., needs a feature check).
                0x45..=0xbf => match SimpleOp::from_encoding(u32::from(b)) {
                    Some(op) => self.simple(op)?,
                    None => return Err(DecodeError::new(self.at, format!("illegal opcode {b:#04x}")).into()),
                },
                _ => {
                    reader.unread_u8();
                    let op = read_operator(reader, cx.features)?;
                    self.operator(cx, op)?;
                }
            }
        }
        Ok(())
    }

    #[inline]
    fn local_get(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.push(t);
        Ok(())
    }

    #[inline]
    fn local_set(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.pop(t).map(|_| ())
    }

    #[inline]
    fn local_tee(&mut self, i: u32) -> Result<()> {
        let t = self.local(i)?;
        self.pop(t)?;
        self.push(t);
        Ok(())
    }

    /// A fixed-signature instruction; the common one- and two-operand shapes
    /// rewrite the top of the stack in place.
    #[inline]
    fn simple(&mut self, op: SimpleOp) -> Result<()> {
        let sig = op.sig();
        let n = self.operands.len();
        let height = self.controls.last().map_or(usize::MAX, |f| f.height);
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

    #[inline]
    fn push(&mut self, t: ValType) {
        self.operands.push(Some(t));
    }

    #[inline]
    fn pop_any(&mut self) -> Result<Option<ValType>> {
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

    #[inline]
    fn pop(&mut self, expected: ValType) -> Result<Option<ValType>> {
        // Fast path: the expected type is on top, above the frame's base.
        if let (Some(&Some(top)), Some(frame)) = (self.operands.last(), self.controls.last())
            && top == expected
            && self.operands.len() > frame.height
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

    fn pop_ref(&mut self) -> Result<Option<ValType>> {
        let t = self.pop_any()?;
        match t {
            None | Some(ValType::FuncRef | ValType::ExternRef) => Ok(t),
            found => Err(self.mismatch("a reference", found)),
        }
    }

    fn pop_slice(&mut self, types: &[ValType]) -> Result<()> {
        for &t in types.iter().rev() {
            self.pop(t)?;
        }
        Ok(())
    }

    /// Checks that the top of the stack matches `types` without consuming it:
    /// the spec's `push_vals(pop_vals(types))`, where unknown operands stay unknown.
    fn check_top(&self, types: &[ValType]) -> Result<()> {
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

    fn push_slice(&mut self, types: &[ValType]) {
        self.operands.extend(types.iter().map(|&t| Some(t)));
    }

    // ---- control stack ----

    fn block_params<'m>(&self, cx: &FuncContext<'m>, bt: BlockType) -> Result<&'m [ValType]> {
        match bt {
            BlockType::Empty | BlockType::Value(_) => Ok(&[]),
            BlockType::Func(idx) => Ok(&self.block_func_type(cx, idx)?.params),
        }
    }

    fn block_results<'m>(&self, cx: &FuncContext<'m>, bt: BlockType) -> Result<&'m [ValType]> {
        match bt {
            BlockType::Empty => Ok(&[]),
            BlockType::Value(t) => Ok(t.as_slice()),
            BlockType::Func(idx) => Ok(&self.block_func_type(cx, idx)?.results),
        }
    }

    fn block_func_type<'m>(&self, cx: &FuncContext<'m>, idx: u32) -> Result<&'m crate::types::FuncType> {
        cx.module.types.get(idx as usize).ok_or_else(|| self.err(format!("unknown type {idx}")))
    }

    fn label_types<'m>(&self, cx: &FuncContext<'m>, frame: &Frame) -> Result<&'m [ValType]> {
        if frame.kind == FrameKind::Loop {
            self.block_params(cx, frame.block_type)
        } else {
            self.block_results(cx, frame.block_type)
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

    fn check_val_type(&self, cx: &FuncContext<'_>, t: ValType) -> Result<()> {
        let needed = match t {
            ValType::V128 => CoreFeatures::SIMD,
            ValType::FuncRef | ValType::ExternRef => CoreFeatures::REFERENCE_TYPES,
            _ => return Ok(()),
        };
        self.require(cx, needed, t.name())
    }

    fn require(&self, cx: &FuncContext<'_>, feature: CoreFeatures, what: &str) -> Result<()> {
        if cx.features.contains(feature) {
            Ok(())
        } else {
            Err(self.err(format!("{what} requires the {} feature, which is not enabled", feature.name())))
        }
    }

    fn push_ctrl(&mut self, cx: &FuncContext<'_>, kind: FrameKind, bt: BlockType) -> Result<()> {
        if self.controls.len() >= MAX_NESTING {
            return Err(self.err("too many nested blocks"));
        }
        self.check_block_type(cx, bt)?;
        let params = self.block_params(cx, bt)?;
        self.pop_slice(params)?;
        let height = self.operands.len();
        self.controls.push(Frame { kind, block_type: bt, height, unreachable: false });
        self.push_slice(params);
        Ok(())
    }

    fn pop_ctrl(&mut self, cx: &FuncContext<'_>) -> Result<Frame> {
        let frame =
            *self.controls.last().ok_or_else(|| self.err("operators remaining after end of function"))?;
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
        self.controls.pop();
        Ok(frame)
    }

    fn set_unreachable(&mut self) {
        if let Some(frame) = self.controls.last_mut() {
            self.operands.truncate(frame.height);
            frame.unreachable = true;
        }
    }

    fn label(&self, depth: u32) -> Result<Frame> {
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

    fn global(&self, cx: &FuncContext<'_>, idx: u32) -> Result<crate::types::GlobalType> {
        cx.module.globals.get(idx as usize).copied().ok_or_else(|| self.err(format!("unknown global {idx}")))
    }

    fn table(&self, cx: &FuncContext<'_>, idx: u32) -> Result<RefType> {
        cx.module
            .tables
            .get(idx as usize)
            .map(|t| t.element)
            .ok_or_else(|| self.err(format!("unknown table {idx}")))
    }

    fn memory(&self, cx: &FuncContext<'_>, idx: u32) -> Result<()> {
        if (idx as usize) < cx.module.memories.len() {
            Ok(())
        } else {
            Err(self.err(format!("unknown memory {idx}")))
        }
    }

    fn elem(&self, cx: &FuncContext<'_>, idx: u32) -> Result<RefType> {
        cx.module
            .elements
            .get(idx as usize)
            .map(|e| e.ty)
            .ok_or_else(|| self.err(format!("unknown elem segment {idx}")))
    }

    fn data(&self, cx: &FuncContext<'_>, idx: u32) -> Result<()> {
        match cx.module.data_count {
            None => Err(DecodeError::new(self.at, "data count section required").into()),
            Some(n) if idx < n => Ok(()),
            Some(_) => Err(self.err(format!("unknown data segment {idx}"))),
        }
    }

    fn check_memarg(&self, cx: &FuncContext<'_>, m: MemArg, natural: u8) -> Result<()> {
        self.memory(cx, m.memory)?;
        if m.offset > u64::from(u32::MAX) {
            return Err(self.err("offset out of range"));
        }
        if m.align > natural {
            return Err(self.err("alignment must not be larger than natural"));
        }
        Ok(())
    }

    fn check_lane(&self, lane: u8, lanes: u8) -> Result<()> {
        if lane >= lanes {
            return Err(self.err(format!("invalid lane index {lane}")));
        }
        Ok(())
    }

    // ---- instructions ----

    #[inline]
    fn operator(&mut self, cx: &FuncContext<'_>, op: Operator<'_>) -> Result<()> {
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
            Operator::Else => {
                if self.controls.last().is_none_or(|f| f.kind != FrameKind::If) {
                    // Structurally malformed: `else` can only continue an `if`.
                    return Err(DecodeError::new(self.at, "END opcode expected").into());
                }
                let frame = self.pop_ctrl(cx)?;
                let params = self.block_params(cx, frame.block_type)?;
                self.controls.push(Frame { kind: FrameKind::Else, unreachable: false, ..frame });
                self.push_slice(params);
            }
            Operator::End => {
                let frame = self.pop_ctrl(cx)?;
                if frame.kind == FrameKind::If {
                    // An `if` without `else` has an implicit empty else: params must equal results.
                    let params = self.block_params(cx, frame.block_type)?;
                    let results = self.block_results(cx, frame.block_type)?;
                    if params != results {
                        return Err(
                            self.err("type mismatch: if without else must leave its parameters as results")
                        );
                    }
                }
                let results = self.block_results(cx, frame.block_type)?;
                self.push_slice(results);
            }
            Operator::Br(depth) => {
                let frame = self.label(depth)?;
                let types = self.label_types(cx, &frame)?;
                self.pop_slice(types)?;
                self.set_unreachable();
            }
            Operator::BrIf(depth) => {
                self.pop(I32)?;
                let frame = self.label(depth)?;
                let types = self.label_types(cx, &frame)?;
                self.pop_slice(types)?;
                self.push_slice(types);
            }
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
            Operator::Return => {
                let results = self.block_results(cx, self.controls[0].block_type)?;
                self.pop_slice(results)?;
                self.set_unreachable();
            }
            Operator::Call(f) => {
                let ty = cx.module.func_type(f).ok_or_else(|| self.err(format!("unknown function {f}")))?;
                self.pop_slice(&ty.params)?;
                self.push_slice(&ty.results);
            }
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
            Operator::Drop => {
                self.pop_any()?;
            }
            Operator::Select => {
                self.pop(I32)?;
                let t1 = self.pop_any()?;
                let t2 = self.pop_any()?;
                let is_num = |t: Option<ValType>| t.is_none_or(ValType::is_num_or_vec);
                if !is_num(t1) || !is_num(t2) {
                    return Err(
                        self.err("type mismatch: select without a type needs numeric or vector operands")
                    );
                }
                match (t1, t2) {
                    (Some(a), Some(b)) if a != b => return Err(self.mismatch(a.name(), Some(b))),
                    (Some(a), _) | (None, Some(a)) => self.push(a),
                    (None, None) => self.operands.push(None),
                }
            }
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
            Operator::GlobalGet(g) => {
                let gt = self.global(cx, g)?;
                self.push(gt.content);
            }
            Operator::GlobalSet(g) => {
                let gt = self.global(cx, g)?;
                if !gt.mutable {
                    return Err(self.err(format!("global is immutable: cannot set global {g}")));
                }
                self.pop(gt.content)?;
            }
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
