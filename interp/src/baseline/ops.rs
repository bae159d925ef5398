//! Locals, globals, memory, calls and the numeric instructions of the
//! baseline translator.

use zerowasm_frontend::builtins::Builtin;
use zerowasm_frontend::operator::{LoadOp, StoreOp};
use zerowasm_frontend::vmoffsets::VmOffsets;
use zerowasm_frontend::{MemArg, SimpleOp, ValType};

use super::{Bail, Entry, Res, Src, Translator, builtin_desc, width};
use crate::code::{Abs, Addend, Index, Op, Scaled, Slot, VmOff};
use crate::func::CallDesc;

/// The op an `i32.add` or an xor of a temporary folds (see `Translator::binary`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum AddOf {
    /// `i << k`, added.
    Shl(Slot, u8),
    /// `(x >>u k) & mask`, added.
    Field(Slot, u8, i32),
    /// `x << k` and `x >>u k`, xored, in 32 and 64 bits.
    ShlXor(Slot, u8),
    ShrUXor(Slot, u8),
    ShlXor64(Slot, u8),
    ShrUXor64(Slot, u8),
}

/// Which of `a` and `b` is the temporary the op writing cell `made` just
/// made: `Some(true)` for `a`, `Some(false)` for `b`.
fn made_by_last(made: Slot, a: Entry, b: Entry) -> Option<bool> {
    if a.src == Src::Temp && made.0 == a.home {
        Some(true)
    } else if b.src == Src::Temp && made.0 == b.home {
        Some(false)
    } else {
        None
    }
}

/// The operands of a linear-memory access (see `Translator::address`).
#[derive(Clone, Copy)]
enum Addr {
    /// `index + addend`.
    Plain(Slot, Addend),
    /// `base + (index << size)`.
    Array(Slot, Slot),
    /// `(index << size) + addend` (an element of a table at a static address).
    Scaled(Slot, Addend),
}

impl Addr {
    /// True if the access reads cell `c` for its address.
    fn reads(self, c: u16) -> bool {
        match self {
            Addr::Plain(i, _) | Addr::Scaled(i, _) => i.0 == c,
            Addr::Array(b, i) => b.0 == c || i.0 == c,
        }
    }
}

impl Translator<'_> {
    /// `local.set` and `local.tee`: the value goes straight into the local
    /// when the op that made it is the last one.
    pub(super) fn local_set(&mut self, index: u32, tee: bool) -> Res {
        let &(cell, ty) = self.s.locals.get(index as usize).ok_or(Bail("unknown local"))?;
        self.assigned.set(index);
        let v = self.pop()?;
        // Lazy reads of the local still on the stack keep the old value.
        let from = self.s.frames.last().map_or(0, |f| f.height as usize).min(self.s.stack.len());
        if self.s.stack.len() - from > super::MAX_SCAN {
            return Err(Bail("operand stack too deep to scan"));
        }
        let mut preserved = false;
        for i in from..self.s.stack.len() {
            if self.s.stack[i].src == Src::Cell(cell) {
                self.materialize(i);
                preserved = true;
            }
        }
        match v.src {
            Src::Temp => {
                let retarget = !preserved && ty != ValType::V128 && self.retarget(v.home, cell);
                if !retarget {
                    self.emit_copy(cell, v.home, ty);
                }
            }
            Src::Cell(c) if c == cell => {}
            _ => self.move_to(cell, v),
        }
        if tee {
            self.push(ty, Src::Cell(cell))?;
        }
        Ok(())
    }

    /// Points the result of the last op, if it made the temporary in cell
    /// `home` (an op's one result, or a call's one result), at cell `cell`.
    fn retarget(&mut self, home: u16, cell: u16) -> bool {
        let Some(last) = self.last_fusable() else { return false };
        let desc = match *last {
            Op::Call { desc }
            | Op::CallShort { desc, .. }
            | Op::CallIndirect { desc }
            | Op::CallTable { desc, .. } => desc,
            // The second of two joined copies.
            Op::Copy2 { ref mut dst2, .. } if dst2.0 == home => {
                *dst2 = Slot(cell);
                return true;
            }
            _ => {
                return last.dst_mut().filter(|d| d.0 == home).map(|d| *d = Slot(cell)).is_some();
            }
        };
        match self.calls.get_mut(desc as usize) {
            Some(d) if d.results[..] == [home] => {
                d.results[0] = cell;
                d.ret = CallDesc::ret_of(&d.results);
                true
            }
            _ => false,
        }
    }

    pub(super) fn global_get(&mut self, index: u32) -> Res {
        let g = self.info.globals.get(index as usize).ok_or(Bail("unknown global"))?;
        let field = Self::vm_field(self.offsets.global(index))?;
        let ty = g.content;
        let dst = self.push_temp(ty)?;
        self.emit(match ty {
            ValType::I32 | ValType::F32 => Op::VmLoad32 { dst, field, offset: 0 },
            ValType::V128 => return Err(Bail("v128 global")),
            _ => Op::VmLoad64 { dst, field, offset: 0 },
        });
        Ok(())
    }

    pub(super) fn global_set(&mut self, index: u32) -> Res {
        let g = self.info.globals.get(index as usize).ok_or(Bail("unknown global"))?;
        let field = Self::vm_field(self.offsets.global(index))?;
        let ty = g.content;
        let v = self.pop()?;
        let value = self.operand(v);
        self.emit(match ty {
            ValType::I32 | ValType::F32 => Op::VmStore32 { field, value, offset: 0 },
            ValType::V128 => return Err(Bail("v128 global")),
            _ => Op::VmStore64 { field, value, offset: 0 },
        });
        Ok(())
    }

    /// The memory operand of a fused access (memory 0 only: a function's
    /// fused accesses all name one memory) and its static offset.
    fn heap(&mut self, m: MemArg) -> Res<(VmOff, u32)> {
        if m.memory != 0 {
            return Err(Bail("access to a memory other than memory 0"));
        }
        let offset = u32::try_from(m.offset).map_err(|_| Bail("offset beyond 32 bits"))?;
        self.heap_used = true;
        Ok((Self::vm_field(self.offsets.memory(0))?, offset))
    }

    /// The operands of an access of `2^shift` bytes to address `addr`. The
    /// op that made the address folds into the access when it is the last
    /// one: an `i32.add` of a constant (the addend), or an `i32.shl_add`
    /// that scales an index by the access's size (an array element), an
    /// `i32.add` of two cells for a byte access (the same at scale 1), or an
    /// `i32.shl` of an index by the access's size (a table at a static
    /// address, which the static offset names).
    fn address(&mut self, addr: Entry, shift: u8) -> Addr {
        if addr.src == Src::Temp
            && let Some(&mut last) = self.last_fusable()
        {
            match last {
                Op::I32AddImm { dst, a, imm } if dst.0 == addr.home => {
                    self.unemit();
                    // `(i << size) + table`: the shift made `a` at the same home.
                    if a == dst
                        && shift > 0
                        && let Some(&mut Op::I32ShlImm { dst: s, a: i, imm: k }) = self.last_fusable()
                        && s == a
                        && k == i32::from(shift)
                    {
                        self.unemit();
                        return Addr::Scaled(i, Addend(imm));
                    }
                    return Addr::Plain(a, Addend(imm));
                }
                Op::I32ShlAdd { dst, a, b, k } if dst.0 == addr.home && k == shift => {
                    self.unemit();
                    return Addr::Array(a, b);
                }
                Op::I32Add { dst, a, b } if dst.0 == addr.home && shift == 0 => {
                    self.unemit();
                    return Addr::Array(a, b);
                }
                Op::I32ShlImm { dst, a, imm }
                    if dst.0 == addr.home && shift > 0 && imm == i32::from(shift) =>
                {
                    self.unemit();
                    return Addr::Scaled(a, Addend(0));
                }
                _ => {}
            }
        }
        Addr::Plain(self.operand(addr), Addend(0))
    }

    /// The constant address of an access to a constant index, if it fits 32 bits.
    fn constant_address(addr: Entry, offset: u32) -> Option<Abs> {
        match addr.src {
            Src::Const(k) => u32::try_from(k + u64::from(offset)).ok().map(Abs),
            _ => None,
        }
    }

    pub(super) fn load(&mut self, op: LoadOp, m: MemArg) -> Res {
        let (memory, offset) = self.heap(m)?;
        let ty = op.val_type();
        if ty == ValType::V128 {
            return Err(Bail("v128 load"));
        }
        let addr = self.pop()?;
        macro_rules! load {
            ($($lo:ident => $op:ident / $at:ident / $x:ident $(/ $sc:ident)?),*) => {
                if let Some(addr) = Self::constant_address(addr, offset) {
                    let dst = self.push_temp(ty)?;
                    match op {
                        $(LoadOp::$lo => Op::$at { dst, memory, addr },)*
                        _ => return Err(Bail("v128 load")),
                    }
                } else {
                    let at = self.address(addr, op.natural_align());
                    let dst = self.push_temp(ty)?;
                    match (op, at) {
                        $(
                            (LoadOp::$lo, Addr::Plain(index, add)) => Op::$op { dst, memory, index, add, offset },
                            (LoadOp::$lo, Addr::Array(base, index)) => {
                                Op::$x { dst, base, index: Scaled(index), add: Addend(0), offset }
                            }
                            $((LoadOp::$lo, Addr::Scaled(index, add)) => {
                                Op::$sc { dst, index: Index(index), add, offset }
                            })?
                        )*
                        // v128, and a scaled byte access (`address` scales only wider ones).
                        _ => return Err(Bail("load form")),
                    }
                }
            };
        }
        let op = load!(
            I32Load => MemLoad32 / MemLoad32At / MemLoad32X / MemLoad32Scaled,
            F32Load => MemLoad32 / MemLoad32At / MemLoad32X / MemLoad32Scaled,
            I64Load32U => MemLoad32 / MemLoad32At / MemLoad32X / MemLoad32Scaled,
            I64Load => MemLoad64 / MemLoad64At / MemLoad64X / MemLoad64Scaled,
            F64Load => MemLoad64 / MemLoad64At / MemLoad64X / MemLoad64Scaled,
            I32Load8S => MemLoad8S32 / MemLoad8S32At / MemLoad8S32X,
            I32Load8U => MemLoad8U / MemLoad8UAt / MemLoad8UX,
            I64Load8U => MemLoad8U / MemLoad8UAt / MemLoad8UX,
            I64Load8S => MemLoad8S64 / MemLoad8S64At / MemLoad8S64X,
            I32Load16S => MemLoad16S32 / MemLoad16S32At / MemLoad16S32X / MemLoad16S32Scaled,
            I32Load16U => MemLoad16U / MemLoad16UAt / MemLoad16UX / MemLoad16UScaled,
            I64Load16U => MemLoad16U / MemLoad16UAt / MemLoad16UX / MemLoad16UScaled,
            I64Load16S => MemLoad16S64 / MemLoad16S64At / MemLoad16S64X / MemLoad16S64Scaled,
            I64Load32S => MemLoad32S64 / MemLoad32S64At / MemLoad32S64X / MemLoad32S64Scaled
        );
        self.emit(op);
        Ok(())
    }

    pub(super) fn store(&mut self, op: StoreOp, m: MemArg) -> Res {
        let (memory, offset) = self.heap(m)?;
        let v = self.pop()?;
        if v.ty == ValType::V128 {
            return Err(Bail("v128 store"));
        }
        let addr = self.pop()?;
        macro_rules! store {
            ($($so:ident => $op:ident / $at:ident / $x:ident $(/ $sc:ident)?),*) => {
                if let Some(addr) = Self::constant_address(addr, offset) {
                    let value = self.operand(v);
                    match op {
                        $(StoreOp::$so => Op::$at { memory, addr, value },)*
                        _ => return Err(Bail("v128 store")),
                    }
                } else {
                    // A value read from a local or a constant leaves the
                    // address's op the last one. A constant is written
                    // after the fold, to a cell no folded operand is.
                    let (at, value) = match v.src {
                        Src::Temp => (Addr::Plain(self.operand(addr), Addend(0)), self.operand(v)),
                        Src::Cell(c) => (self.address(addr, op.natural_align()), Slot(c)),
                        Src::Const(k) => {
                            let at = self.address(addr, op.natural_align());
                            let cell = match self.const_cell(k) {
                                Some(c) => c,
                                None if at.reads(v.home) => {
                                    // The cell above the value (both are popped).
                                    let c = self.reserve(u32::from(v.home) + width(v.ty), width(v.ty))?;
                                    self.emit_const(c, v.ty, k);
                                    c
                                }
                                None => {
                                    self.emit_const(v.home, v.ty, k);
                                    v.home
                                }
                            };
                            (at, Slot(cell))
                        }
                    };
                    match (op, at) {
                        $(
                            (StoreOp::$so, Addr::Plain(index, add)) => Op::$op { memory, index, add, value, offset },
                            (StoreOp::$so, Addr::Array(base, index)) => {
                                Op::$x { base, index: Scaled(index), add: Addend(0), value, offset }
                            }
                            $((StoreOp::$so, Addr::Scaled(index, add)) => {
                                Op::$sc { index: Index(index), add, value, offset }
                            })?
                        )*
                        // v128, and a scaled byte access (`address` scales only wider ones).
                        _ => return Err(Bail("store form")),
                    }
                }
            };
        }
        let op = store!(
            I32Store => MemStore32 / MemStore32At / MemStore32X / MemStore32Scaled,
            F32Store => MemStore32 / MemStore32At / MemStore32X / MemStore32Scaled,
            I64Store32 => MemStore32 / MemStore32At / MemStore32X / MemStore32Scaled,
            I64Store => MemStore64 / MemStore64At / MemStore64X / MemStore64Scaled,
            F64Store => MemStore64 / MemStore64At / MemStore64X / MemStore64Scaled,
            I32Store8 => MemStore8 / MemStore8At / MemStore8X,
            I64Store8 => MemStore8 / MemStore8At / MemStore8X,
            I32Store16 => MemStore16 / MemStore16At / MemStore16X / MemStore16Scaled,
            I64Store16 => MemStore16 / MemStore16At / MemStore16X / MemStore16Scaled
        );
        self.emit(op);
        Ok(())
    }

    /// `memory.size`: the length in 64 KiB pages.
    pub(super) fn memory_size(&mut self, m: u32) -> Res {
        if m as usize >= self.info.memories.len() {
            return Err(Bail("unknown memory"));
        }
        let field = Self::vm_field(self.offsets.memory(m))?;
        let dst = self.push_temp(ValType::I32)?;
        self.emit(Op::VmLoad64 { dst, field, offset: VmOffsets::memory_length() });
        self.emit(Op::I64ShrUImm { dst, a: dst, imm: 16 });
        self.emit(Op::I32WrapI64 { dst, a: dst });
        Ok(())
    }

    pub(super) fn memory_grow(&mut self, m: u32) -> Res {
        self.builtin(Builtin::MemoryGrow, &[m], 1, true)
    }

    pub(super) fn memory_fill(&mut self, m: u32) -> Res {
        self.builtin(Builtin::MemoryFill, &[m], 3, false)
    }

    pub(super) fn memory_copy(&mut self, dst: u32, src: u32) -> Res {
        self.builtin(Builtin::MemoryCopy, &[dst, src], 3, false)
    }

    pub(super) fn memory_init(&mut self, data: u32, m: u32) -> Res {
        self.builtin(Builtin::MemoryInit, &[m, data], 3, false)
    }

    pub(super) fn data_drop(&mut self, data: u32) -> Res {
        self.builtin(Builtin::DataDrop, &[data], 0, false)
    }

    /// A builtin call with `vmctx`, the `immediates` (as i32 constants) and
    /// the top `n` entries as arguments, and an i32 result if `result`. The
    /// module is validated: its memory and segment indices exist.
    fn builtin(&mut self, b: Builtin, immediates: &[u32], n: usize, result: bool) -> Res {
        let scratch = self.reserve(self.top_cell(), immediates.len() as u32)?;
        let mut args = Vec::with_capacity(1 + immediates.len() + n);
        args.push(0);
        for (i, &k) in immediates.iter().enumerate() {
            let c = scratch + i as u16;
            self.emit(Op::Const32 { dst: Slot(c), imm: k });
            args.push(c);
        }
        self.pop_operand_cells(n, &mut args)?;
        let results = if result { vec![self.push_temp(ValType::I32)?.0] } else { Vec::new() };
        self.builtins.push(builtin_desc(b, args, &results));
        self.emit(Op::CallBuiltin { desc: self.builtins.len() as u32 - 1 });
        Ok(())
    }

    /// The argument cells of a call taking the top `n` entries, after the
    /// `first` cells, and the result cells and narrowing flags for `results`
    /// (pushed as temporaries in the arguments' place).
    fn call_cells(&mut self, first: &[u16], n: usize, results: &[ValType]) -> Res<CallDesc> {
        let mut args = Vec::with_capacity(first.len() + n);
        args.extend_from_slice(first);
        self.pop_operand_cells(n, &mut args)?;
        let mut cells = Vec::with_capacity(results.len());
        let mut narrow = Vec::with_capacity(results.len());
        for &r in results {
            let Slot(c) = self.push_temp(r)?;
            cells.push(c);
            match r {
                ValType::I32 | ValType::F32 => narrow.push(true),
                ValType::V128 => {
                    cells.push(c + 1);
                    narrow.extend([false, false]);
                }
                _ => narrow.push(false),
            }
        }
        Ok(CallDesc::new(0, args.into_boxed_slice(), cells.into_boxed_slice(), narrow.into_boxed_slice()))
    }

    /// A direct call; an imported callee is called through its function
    /// reference in the VM context, as `call_indirect` does.
    pub(super) fn call(&mut self, f: u32) -> Res {
        let ty = self.info.func_type(f).ok_or(Bail("unknown function"))?;
        if self.info.is_imported_func(f) {
            let h = self.reserve(self.top_cell(), 2)?;
            let field = Self::vm_field(self.offsets.func_ref(f))?;
            self.emit(Op::VmLoad64 { dst: Slot(h), field, offset: VmOffsets::func_ref_func() });
            self.emit(Op::VmLoad64 { dst: Slot(h + 1), field, offset: VmOffsets::func_ref_vmctx() });
            let desc = self.call_cells(&[h, h + 1], ty.params.len(), &ty.results)?;
            self.calls.push(desc);
            self.emit(Op::CallIndirect { desc: self.calls.len() as u32 - 1 });
            return Ok(());
        }
        let mut desc = self.call_cells(&[0], ty.params.len(), &ty.results)?;
        desc.callee = f;
        let op = desc.direct_call_op(self.calls.len() as u32);
        self.calls.push(desc);
        self.emit(op);
        Ok(())
    }

    /// `call_indirect`: the table lookup, type check and call in one op.
    pub(super) fn call_indirect(&mut self, type_index: u32, table: u32) -> Res {
        let ty = self.info.types.get(type_index as usize).ok_or(Bail("unknown type"))?;
        if table as usize >= self.info.tables.len() {
            return Err(Bail("unknown table"));
        }
        let h = self.reserve(self.top_cell(), 2)?;
        let table = Self::vm_field(self.offsets.table(table))?;
        let sig = Self::vm_field(self.offsets.type_id(type_index))?;
        let index = self.pop()?;
        let index = self.operand(index);
        let desc = self.call_cells(&[h, h + 1], ty.params.len(), &ty.results)?;
        self.calls.push(desc);
        self.emit(Op::CallTable { desc: self.calls.len() as u32 - 1, table, index, sig });
        Ok(())
    }

    /// `select` of two scalars.
    pub(super) fn select(&mut self) -> Res {
        let c = self.pop()?;
        let b = self.pop()?;
        let a = self.pop()?;
        if a.ty == ValType::V128 {
            return Err(Bail("v128 select"));
        }
        let (c, b, a_cell) = (self.operand(c), self.operand(b), self.operand(a));
        let dst = self.push_temp(a.ty)?;
        self.emit(Op::Select { dst, c, a: a_cell, b });
        Ok(())
    }

    /// An instruction without immediates: a numeric op.
    pub(super) fn simple(&mut self, s: SimpleOp) -> Res {
        use SimpleOp as S;
        match s {
            // Same bits in the cell: only the entry's type changes.
            S::I64ExtendI32U
            | S::I32ReinterpretF32
            | S::F32ReinterpretI32
            | S::I64ReinterpretF64
            | S::F64ReinterpretI64 => {
                let result = s.sig().result;
                let top = self.s.stack.last_mut().ok_or(Bail("operand stack underflow"))?;
                top.ty = result;
                Ok(())
            }
            S::I32Eqz | S::I64Eqz => {
                let a = self.pop()?;
                let a = self.operand(a);
                let dst = self.push_temp(ValType::I32)?;
                self.emit(if s == S::I32Eqz {
                    Op::I32EqImm { dst, a, imm: 0 }
                } else {
                    Op::I64EqImm { dst, a, imm: 0 }
                });
                Ok(())
            }
            _ => {
                let sig = s.sig();
                match *sig.params {
                    [p] if p != ValType::V128 && sig.result != ValType::V128 => {
                        let a = self.pop()?;
                        let a = self.operand(a);
                        let dst = self.push_temp(sig.result)?;
                        let op = super::numeric::unary(s, dst, a).ok_or(Bail("unary op"))?;
                        self.emit(op);
                        Ok(())
                    }
                    [p, q] if p != ValType::V128 && q != ValType::V128 => self.binary(s, sig.result),
                    _ => Err(Bail("SIMD instruction")),
                }
            }
        }
    }

    /// A binary op: with an immediate operand when one side is a constant
    /// and the op has such a form.
    fn binary(&mut self, s: SimpleOp, result: ValType) -> Res {
        use super::numeric::{imm_form, imm_left, reg_form};
        let b = self.pop()?;
        let a = self.pop()?;
        // The op that made `a`, with a constant `b`: a bit field `(x >>u k) &
        // mask` (or `(x & mask) >>u k`), a masked sum or xor, an FNV step
        // `(x ^ y) * prime`.
        if let Src::Const(k) = b.src
            && a.src == Src::Temp
            && let Some(&mut last) = self.last_fusable()
        {
            let mask = k as u32 as i32;
            let fused = match (s, last) {
                (SimpleOp::I32And, Op::I32ShrUImm { dst, a: x, imm }) if dst.0 == a.home => {
                    Some(Op::I32ShrUAnd { dst, a: x, k: (imm & 31) as u8, mask })
                }
                // `(x & mask) >>u k` is `(x >>u k) & (mask >>u k)`.
                (SimpleOp::I32ShrU, Op::I32AndImm { dst, a: x, imm }) if dst.0 == a.home => {
                    let k = (k & 31) as u32;
                    Some(Op::I32ShrUAnd { dst, a: x, k: k as u8, mask: ((imm as u32) >> k) as i32 })
                }
                (SimpleOp::I32And, Op::I32Xor { dst, a: x, b: y }) if dst.0 == a.home => {
                    Some(Op::I32XorAnd { dst, a: x, b: y, mask })
                }
                (SimpleOp::I32And, Op::I32Add { dst, a: x, b: y }) if dst.0 == a.home => {
                    Some(Op::I32AddAnd { dst, a: x, b: y, mask })
                }
                (SimpleOp::I64Mul, Op::I64Xor { dst, a: x, b: y }) if dst.0 == a.home => {
                    Some(Op::I64XorMul { dst, a: x, b: y, imm: k as i64 })
                }
                _ => None,
            };
            if let Some(op) = fused {
                self.unemit();
                self.push_temp(result)?;
                self.emit(op);
                return Ok(());
            }
        }
        // An immediate operand, when the op has such a form; the other
        // constants are read from their cells or written to their homes below.
        if let Src::Const(k) = b.src
            && imm_form(s, Slot(0), Slot(0), k).is_some()
        {
            let x = self.operand(a);
            // Both are popped: the result takes `a`'s home.
            let dst = self.push_temp(result)?;
            let op = imm_form(s, dst, x, k).ok_or(Bail("binary op"))?;
            self.emit(op);
            return Ok(());
        }
        if let Src::Const(k) = a.src
            && imm_left(s, Slot(0), k, Slot(0)).is_some()
        {
            let y = self.operand(b);
            let dst = self.push_temp(result)?;
            let op = imm_left(s, dst, k, y).ok_or(Bail("binary op"))?;
            self.emit(op);
            return Ok(());
        }
        // `base + (i << k)` (an element's address), `base + ((x >>u k) &
        // mask)` (a bytecode VM's register operand) and `(x << k) ^ y` or
        // `(x >>u k) ^ y` (a shift-register step) as one op.
        if matches!(s, SimpleOp::I32Add | SimpleOp::I32Xor | SimpleOp::I64Xor)
            && let Some(&mut last) = self.last_fusable()
        {
            let fold = match (s, last) {
                (SimpleOp::I32Add, Op::I32ShlImm { dst, a: i, imm: k @ 0..32 }) => {
                    Some((dst, AddOf::Shl(i, k as u8)))
                }
                (SimpleOp::I32Add, Op::I32ShrUAnd { dst, a: x, k, mask }) => {
                    Some((dst, AddOf::Field(x, k, mask)))
                }
                (SimpleOp::I32Xor, Op::I32ShlImm { dst, a: x, imm }) => {
                    Some((dst, AddOf::ShlXor(x, (imm & 31) as u8)))
                }
                (SimpleOp::I32Xor, Op::I32ShrUImm { dst, a: x, imm }) => {
                    Some((dst, AddOf::ShrUXor(x, (imm & 31) as u8)))
                }
                (SimpleOp::I64Xor, Op::I64ShlImm { dst, a: x, imm }) => {
                    Some((dst, AddOf::ShlXor64(x, (imm & 63) as u8)))
                }
                (SimpleOp::I64Xor, Op::I64ShrUImm { dst, a: x, imm }) => {
                    Some((dst, AddOf::ShrUXor64(x, (imm & 63) as u8)))
                }
                _ => None,
            };
            if let Some((made, part)) = fold
                && let Some(left) = made_by_last(made, a, b)
                && let Some(base) = self.operand_in_place(if left { b } else { a })
            {
                self.unemit();
                let dst = self.push_temp(result)?;
                self.emit(match part {
                    AddOf::Shl(i, k) => Op::I32ShlAdd { dst, a: base, b: i, k },
                    AddOf::Field(x, k, mask) => Op::I32AddShrUAnd { dst, base, a: x, k, mask },
                    AddOf::ShlXor(x, k) => Op::I32ShlXor { dst, a: x, k, b: base },
                    AddOf::ShrUXor(x, k) => Op::I32ShrUXor { dst, a: x, k, b: base },
                    AddOf::ShlXor64(x, k) => Op::I64ShlXor { dst, a: x, k, b: base },
                    AddOf::ShrUXor64(x, k) => Op::I64ShrUXor { dst, a: x, k, b: base },
                });
                return Ok(());
            }
        }
        if let Some(op) = super::numeric::float_pair_kind(s)
            && self.float_pair(op, a, b, result)?
        {
            return Ok(());
        }
        let (x, y) = (self.operand(a), self.operand(b));
        let dst = self.push_temp(result)?;
        let op = reg_form(s, dst, x, y).ok_or(Bail("binary op"))?;
        self.emit(op);
        Ok(())
    }

    /// A float add, sub or mul (`second`) whose operand `a` or `b` the last
    /// op made with another (`(x op y) second c`, or `c second (x op y)`)
    /// as one op, when the other operand needs no op to be read.
    fn float_pair(
        &mut self,
        second: super::numeric::FloatPair,
        a: Entry,
        b: Entry,
        result: ValType,
    ) -> Res<bool> {
        use super::numeric::{float_pair_op, float_pair_parts};
        let Some(&mut last) = self.last_fusable() else { return Ok(false) };
        let Some((first, d, x, y)) = float_pair_parts(last) else { return Ok(false) };
        let Some(left) = made_by_last(Slot(d), a, b) else { return Ok(false) };
        let Some(c) = self.operand_in_place(if left { b } else { a }) else { return Ok(false) };
        let Some(make) = float_pair_op(first, second, left) else { return Ok(false) };
        self.unemit();
        let dst = self.push_temp(result)?;
        self.emit(make(dst, x, y, c));
        Ok(true)
    }
}
