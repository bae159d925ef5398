//! Op selection for the non-terminator instructions, following their plans.

use zerowasm_frontend::builtins::Builtin;
use zerowasm_ssa::instructions::{InstData, ValueList};
use zerowasm_ssa::{FuncRef, Inst, LoadKind, Opcode, StoreKind, Type, Value};

use super::encode::Encoder;
use super::optable;
use super::select::{Operand, Plan};
use crate::code::{Abs, Addend, Op, Slot, VSlot, VmOff};
use crate::error::TranslateError;
use crate::func::{BuiltinDesc, CallDesc};

/// The shape of a vector op's signature, which picks its op family.
fn vec_family(op: zerowasm_ssa::VecOp) -> Option<&'static str> {
    let sig = op.sig();
    Some(match (sig.params, sig.result) {
        ([Type::V128], Type::V128) => "unary",
        ([Type::V128, Type::V128], Type::V128) => "binary",
        ([Type::V128, Type::V128, Type::V128], Type::V128) => "ternary",
        ([Type::V128, Type::I32], Type::V128) => "shift",
        ([_], Type::V128) => "splat",
        ([Type::V128], Type::I32) => "reduce",
        _ => return None,
    })
}

impl Encoder<'_> {
    fn unsupported(&self, inst: Inst) -> TranslateError {
        let mut text = String::new();
        let _ = zerowasm_ssa::printer::write_inst(&mut text, &self.func.dfg, inst);
        TranslateError::unsupported(format!("{inst}: {text}"))
    }

    /// A `heap_load`/`heap_store` that selection did not plan as a checked
    /// access (it always does): refused, since its operand is a Wasm index
    /// and a raw access would reach outside the sandbox.
    fn unchecked_heap_access(&self, inst: Inst) -> TranslateError {
        let mut text = String::new();
        let _ = zerowasm_ssa::printer::write_inst(&mut text, &self.func.dfg, inst);
        TranslateError::invalid(format!("{inst}: {text}: a heap access without its bounds check"))
    }

    /// The op writing scalar constant `inst` into `dst`: where it is defined,
    /// or on an edge that passes it ([`Plan::EdgeConst`]).
    pub(super) fn const_op(&self, dst: Slot, inst: Inst) -> Result<Op, TranslateError> {
        let dfg = &self.func.dfg;
        Ok(match *dfg.inst(inst) {
            InstData::Iconst { imm } => match dfg.inst_results(inst).first().map(|&v| dfg.value_type(v)) {
                Some(Type::I32) => Op::Const32 { dst, imm: imm as u32 },
                Some(Type::I64) => Op::Const64 { dst, imm: imm as u64 },
                _ => return Err(self.unsupported(inst)),
            },
            InstData::F32const { bits } => Op::Const32 { dst, imm: bits },
            InstData::F64const { bits } => Op::Const64 { dst, imm: bits },
            _ => return Err(TranslateError::invalid(format!("{inst}: not a scalar constant"))),
        })
    }

    #[inline]
    fn result(&self, inst: Inst) -> Result<Value, TranslateError> {
        self.func.dfg.inst_results(inst).first().copied().ok_or_else(|| Self::no_result(inst))
    }

    #[cold]
    #[inline(never)]
    fn no_result(inst: Inst) -> TranslateError {
        TranslateError::invalid(format!("{inst} has no result"))
    }

    /// Emits the op(s) for non-terminator instruction `inst`, whose data is `data`.
    pub(crate) fn inst(&mut self, inst: Inst, data: &InstData) -> Result<(), TranslateError> {
        let plan = self.sel.plans[inst];
        if let InstData::LoadLane { shape, lane, .. } | InstData::StoreLane { shape, lane, .. } = *data
            && lane >= shape.lanes()
        {
            return Err(TranslateError::invalid(format!("{inst}: lane {lane} out of range")));
        }
        if let Plan::Absorbed = plan {
            // A later op does this instruction's work (and writes its result's cell).
            return Ok(());
        }
        if let Plan::Copy(src) = plan {
            // The result shares `src`'s cell; nothing to do unless assignment had to split them.
            let r = self.result(inst)?;
            let (cr, cs) = (self.cell(r)?, self.cell(src)?);
            if cr != cs {
                self.push(Op::Copy { dst: Slot(cr), src: Slot(cs) });
            }
            return Ok(());
        }
        match *data {
            InstData::Binary { opcode, args } => self.binary(inst, plan, opcode, args),
            InstData::Load { kind, arg, offset } => self.load(inst, plan, (kind, arg, offset), false),
            InstData::HeapLoad { kind, arg, offset } => self.load(inst, plan, (kind, arg, offset), true),
            InstData::Store { kind, args, offset } => self.store(inst, plan, (kind, args, offset), false),
            InstData::HeapStore { kind, args, offset } => self.store(inst, plan, (kind, args, offset), true),
            InstData::Iconst { .. } | InstData::F32const { .. } | InstData::F64const { .. } => {
                self.constant(inst, *data)
            }
            InstData::Call { func, args } => self.call(inst, func, args),
            data => self.other(inst, plan, data),
        }
    }

    /// Emits the op of a scalar constant: [`Encoder::const_op`] with the
    /// instruction's data and result already at hand.
    #[inline(never)]
    fn constant(&mut self, inst: Inst, data: InstData) -> Result<(), TranslateError> {
        let r = self.result(inst)?;
        let dst = self.slot(r)?;
        let op = match data {
            InstData::Iconst { imm } => match self.func.dfg.value_type(r) {
                Type::I32 => Op::Const32 { dst, imm: imm as u32 },
                Type::I64 => Op::Const64 { dst, imm: imm as u64 },
                _ => return Err(self.unsupported(inst)),
            },
            InstData::F32const { bits } => Op::Const32 { dst, imm: bits },
            InstData::F64const { bits } => Op::Const64 { dst, imm: bits },
            _ => return Err(TranslateError::invalid(format!("{inst}: not a scalar constant"))),
        };
        self.push(op);
        Ok(())
    }

    /// Emits the op of a direct call: with its argument cells inline when
    /// there are few (see `CallCells`).
    #[inline(never)]
    fn call(&mut self, inst: Inst, func: FuncRef, args: ValueList) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        let args = args.as_slice(&dfg.value_lists);
        let results = dfg.inst_results(inst);
        let args = self.cells_of(args)?;
        let (results, narrow) = self.result_cells(results)?;
        let desc = CallDesc::new(dfg.ext_funcs[func].index, args, results, narrow);
        let op = desc.direct_call_op(self.calls.len() as u32);
        self.calls.push(desc);
        self.push(op);
        Ok(())
    }

    /// Emits the op of an instruction of the less common kinds.
    #[inline(never)]
    fn other(&mut self, inst: Inst, plan: Plan, data: InstData) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        let op = match data {
            InstData::Vconst { constant } => {
                let dst = self.vslot(self.result(inst)?)?;
                let index = self.consts.len() as u32;
                self.consts.push(dfg.constants[constant]);
                Op::ConstV { dst, index }
            }
            InstData::Unary { opcode, arg } => {
                let r = self.result(inst)?;
                let (from, to) = (dfg.value_type(arg), dfg.value_type(r));
                let (dst, a) = (self.slot(r)?, self.slot(arg)?);
                let op = if to.is_float() && from == to {
                    optable::float_unary(opcode, to == Type::F64, dst, a)
                } else if from.is_int() && to.is_int() {
                    optable::int_unary(opcode, to, dst, a)
                } else {
                    optable::convert(opcode, from, to, dst, a)
                };
                op.ok_or_else(|| self.unsupported(inst))?
            }
            InstData::Ternary { opcode: Opcode::Select, args }
                if let Plan::SelectCmp { cond, a, b, ty } = plan =>
            {
                let dst = self.slot(self.result(inst)?)?;
                let (a, x, y) = (self.slot(a)?, self.slot(args[1])?, self.slot(args[2])?);
                match (b, ty == Type::I64) {
                    (Operand::Value(b), false) => Op::SelectI32Cmp { dst, cond, a, b: self.slot(b)?, x, y },
                    (Operand::Value(b), true) => Op::SelectI64Cmp { dst, cond, a, b: self.slot(b)?, x, y },
                    (Operand::Imm(k), false) => Op::SelectI32CmpImm { dst, cond, a, imm: k as i32, x, y },
                    (Operand::Imm(k), true) => Op::SelectI64CmpImm {
                        dst,
                        cond,
                        a,
                        imm: i32::try_from(k).map_err(|_| self.unsupported(inst))?,
                        x,
                        y,
                    },
                }
            }
            InstData::Ternary { opcode: Opcode::Select, args } => {
                let r = self.result(inst)?;
                let c = self.slot(args[0])?;
                if dfg.value_type(r) == Type::V128 {
                    Op::SelectV { dst: self.vslot(r)?, c, a: self.vslot(args[1])?, b: self.vslot(args[2])? }
                } else {
                    Op::Select { dst: self.slot(r)?, c, a: self.slot(args[1])?, b: self.slot(args[2])? }
                }
            }
            InstData::IntCompare { cond, args } => {
                let dst = self.slot(self.result(inst)?)?;
                let ty = dfg.value_type(args[0]);
                if !ty.is_int() {
                    return Err(self.unsupported(inst));
                }
                match plan {
                    Plan::Imm { a, imm, cond: Some(cond) } => {
                        optable::icmp_imm(cond, ty == Type::I64, dst, self.slot(a)?, imm)
                    }
                    _ => optable::icmp(cond, ty == Type::I64, dst, self.slot(args[0])?, self.slot(args[1])?),
                }
            }
            InstData::FloatCompare { cond, args } => {
                let ty = dfg.value_type(args[0]);
                if !ty.is_float() {
                    return Err(self.unsupported(inst));
                }
                let dst = self.slot(self.result(inst)?)?;
                optable::fcmp(cond, ty == Type::F64, dst, self.slot(args[0])?, self.slot(args[1])?)
            }
            InstData::LoadLane { shape, lane, args, offset } => {
                let dst = self.vslot(self.result(inst)?)?;
                let vec = self.vslot(args[1])?;
                match plan {
                    Plan::Mem { memory, index, add: 0 } => Op::MemLoadLane {
                        dst,
                        memory: VmOff(memory),
                        index: self.slot(index)?,
                        vec,
                        offset,
                        shape,
                        lane,
                    },
                    _ => Op::LoadLane { dst, addr: self.slot(args[0])?, vec, offset, shape, lane },
                }
            }
            InstData::StoreLane { shape, lane, args, offset } => {
                let vec = self.vslot(args[1])?;
                match plan {
                    Plan::Mem { memory, index, add: 0 } => Op::MemStoreLane {
                        memory: VmOff(memory),
                        index: self.slot(index)?,
                        vec,
                        offset,
                        shape,
                        lane,
                    },
                    _ => Op::StoreLane { addr: self.slot(args[0])?, vec, offset, shape, lane },
                }
            }
            InstData::Vector { op: vop, args } => self.vector(inst, vop, args)?,
            InstData::Shuffle { args, mask } => {
                if dfg.constants[mask].to_le_bytes().iter().any(|&l| l >= 32) {
                    return Err(TranslateError::invalid(format!("{inst}: shuffle lane index out of range")));
                }
                let dst = self.vslot(self.result(inst)?)?;
                let index = self.consts.len() as u32;
                self.consts.push(dfg.constants[mask]);
                Op::Shuffle { dst, a: self.vslot(args[0])?, b: self.vslot(args[1])?, mask: index }
            }
            InstData::ExtractLane { shape, lane, arg } => {
                if lane >= shape.lanes() {
                    return Err(TranslateError::invalid(format!("{inst}: lane {lane} out of range")));
                }
                Op::ExtractLane { dst: self.slot(self.result(inst)?)?, src: self.vslot(arg)?, shape, lane }
            }
            InstData::InsertLane { shape, lane, args } => {
                if lane >= shape.lanes() {
                    return Err(TranslateError::invalid(format!("{inst}: lane {lane} out of range")));
                }
                let dst = self.vslot(self.result(inst)?)?;
                Op::InsertLane { dst, vec: self.vslot(args[0])?, scalar: self.slot(args[1])?, shape, lane }
            }
            InstData::CallIndirect { args, .. } => {
                let args = args.as_slice(&dfg.value_lists);
                if args.len() < 2 {
                    return Err(TranslateError::invalid(format!(
                        "{inst}: call_indirect needs a handle and a vmctx"
                    )));
                }
                let results = dfg.inst_results(inst);
                let args = self.cells_of(args)?;
                let (results, narrow) = self.result_cells(results)?;
                let desc = CallDesc::new(0, args, results, narrow);
                self.calls.push(desc);
                Op::CallIndirect { desc: self.calls.len() as u32 - 1 }
            }
            InstData::CallBuiltin { builtin, args } => {
                let data = &dfg.builtins[builtin];
                if data.index as usize >= Builtin::COUNT {
                    return Err(TranslateError::invalid(format!(
                        "{inst}: builtin index {} out of range",
                        data.index
                    )));
                }
                let args = args.as_slice(&dfg.value_lists);
                if args.is_empty() || dfg.value_type(args[0]) != Type::I64 {
                    return Err(TranslateError::invalid(format!("{inst}: a builtin takes vmctx first")));
                }
                let results = dfg.inst_results(inst);
                let args = self.cells_of(args)?;
                let (results, narrow) = self.result_cells(results)?;
                let desc = BuiltinDesc { index: data.index, name: data.name, args, results, narrow };
                self.builtins.push(desc);
                Op::CallBuiltin { desc: self.builtins.len() as u32 - 1 }
            }
            InstData::CondTrap { opcode, arg, code } => match plan {
                Plan::TrapCmp { cond, a, b, ty } => {
                    let a = self.slot(a)?;
                    match (ty == Type::I64, b) {
                        (false, Operand::Value(b)) => Op::TrapIfI32 { cond, a, b: self.slot(b)?, code },
                        (false, Operand::Imm(k)) => Op::TrapIfI32Imm { cond, a, imm: k as i32, code },
                        (true, Operand::Value(b)) => Op::TrapIfI64 { cond, a, b: self.slot(b)?, code },
                        (true, Operand::Imm(k)) => Op::TrapIfI64Imm { cond, a, imm: k, code },
                    }
                }
                _ if opcode == Opcode::Trapz => Op::Trapz { c: self.slot(arg)?, code },
                _ => Op::Trapnz { c: self.slot(arg)?, code },
            },
            _ => return Err(self.unsupported(inst)),
        };
        self.push(op);
        Ok(())
    }

    /// Emits the op of a `Binary` instruction.
    #[inline(never)]
    fn binary(
        &mut self,
        inst: Inst,
        plan: Plan,
        opcode: Opcode,
        args: [Value; 2],
    ) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        let r = self.result(inst)?;
        let ty = dfg.value_type(r);
        let dst = self.slot(r)?;
        let op = match plan {
            Plan::Imm { a, imm, cond: None } if ty.is_int() => {
                optable::int_binary_imm(opcode, ty == Type::I64, dst, self.slot(a)?, imm)
            }
            Plan::ImmLhs { imm, b } => optable::i32_imm_binary(opcode, dst, imm, self.slot(b)?),
            Plan::ShrUAnd { a, k, mask } if ty == Type::I64 => {
                Some(Op::I64ShrUAnd { dst, a: self.slot(a)?, k, mask })
            }
            Plan::ShrUAnd { a, k, mask } => {
                Some(Op::I32ShrUAnd { dst, a: self.slot(a)?, k, mask: mask as i32 })
            }
            Plan::BinMask { inner, a, b, mask } => {
                let (a, b) = (self.slot(a)?, self.slot(b)?);
                match inner {
                    Opcode::Bxor => Some(Op::I32XorAnd { dst, a, b, mask }),
                    Opcode::Iadd => Some(Op::I32AddAnd { dst, a, b, mask }),
                    _ => None,
                }
            }
            Plan::XorMul { a, b, imm } => {
                Some(Op::I64XorMul { dst, a: self.slot(a)?, b: self.slot(b)?, imm })
            }
            Plan::ShiftXor { shift, a, k, b } => {
                let (a, b) = (self.slot(a)?, self.slot(b)?);
                match (shift, ty == Type::I64) {
                    (Opcode::Ishl, false) => Some(Op::I32ShlXor { dst, a, k, b }),
                    (Opcode::Ushr, false) => Some(Op::I32ShrUXor { dst, a, k, b }),
                    (Opcode::Ishl, true) => Some(Op::I64ShlXor { dst, a, k, b }),
                    (Opcode::Ushr, true) => Some(Op::I64ShrUXor { dst, a, k, b }),
                    _ => None,
                }
            }
            Plan::AddShrUAnd { base, a, k, mask } => {
                Some(Op::I32AddShrUAnd { dst, base: self.slot(base)?, a: self.slot(a)?, k, mask })
            }
            Plan::ShlAdd { a, b, k } => Some(Op::I32ShlAdd { dst, a: self.slot(a)?, b: self.slot(b)?, k }),
            Plan::FloatPair { inner, outer, rev, a, b, c } => optable::float_pair(
                inner,
                outer,
                rev,
                ty == Type::F64,
                dst,
                self.slot(a)?,
                self.slot(b)?,
                self.slot(c)?,
            ),
            _ if ty.is_int() => {
                optable::int_binary(opcode, ty == Type::I64, dst, self.slot(args[0])?, self.slot(args[1])?)
            }
            _ if ty.is_float() => {
                optable::float_binary(opcode, ty == Type::F64, dst, self.slot(args[0])?, self.slot(args[1])?)
            }
            _ => None,
        };
        let op = op.ok_or_else(|| self.unsupported(inst))?;
        self.push(op);
        Ok(())
    }

    /// Emits the op of a `load` or `heap_load` (`heap`).
    #[inline(never)]
    fn load(
        &mut self,
        inst: Inst,
        plan: Plan,
        (kind, arg, offset): (LoadKind, Value, u32),
        heap: bool,
    ) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        let r = self.result(inst)?;
        let (ty, dst) = (dfg.value_type(r), self.cell(r)?);
        let op = match plan {
            Plan::Mem { memory, index, add } => {
                optable::mem_load(kind, ty, dst, VmOff(memory), self.slot(index)?, Addend(add), offset)
            }
            Plan::FuncRef { table, index, sig, handle } => Some(Op::FuncRef {
                handle: self.slot(handle)?,
                vmctx: Slot(dst),
                table: VmOff(table),
                index: self.slot(index)?,
                sig: VmOff(sig),
            }),
            Plan::MemAt { memory, addr } => optable::mem_load_at(kind, ty, dst, VmOff(memory), Abs(addr)),
            Plan::MemX { base: Some(base), index, add, .. } => {
                optable::mem_load_x(kind, ty, dst, self.slot(base)?, self.slot(index)?, Addend(add), offset)
            }
            Plan::MemX { base: None, index, add, .. } => {
                optable::mem_load_scaled(kind, ty, dst, self.slot(index)?, Addend(add), offset)
            }
            Plan::Vm { field } => optable::vm_load(ty, dst, VmOff(field), offset),
            // A heap access's operand is a Wasm index, never a host address.
            _ if heap => return Err(self.unchecked_heap_access(inst)),
            _ => optable::load(kind, ty, dst, self.slot(arg)?, offset),
        };
        let op = op.ok_or_else(|| self.unsupported(inst))?;
        self.push(op);
        Ok(())
    }

    /// Emits the op of a `store` or `heap_store` (`heap`).
    #[inline(never)]
    fn store(
        &mut self,
        inst: Inst,
        plan: Plan,
        (kind, args, offset): (StoreKind, [Value; 2], u32),
        heap: bool,
    ) -> Result<(), TranslateError> {
        let dfg = &self.func.dfg;
        let ty = dfg.value_type(args[1]);
        let value = self.cell(args[1])?;
        let op = match plan {
            Plan::Mem { memory, index, add } => {
                optable::mem_store(kind, ty, VmOff(memory), self.slot(index)?, Addend(add), value, offset)
            }
            Plan::MemAt { memory, addr } => {
                optable::mem_store_at(kind, ty, VmOff(memory), Abs(addr), Slot(value))
            }
            Plan::MemX { base: Some(base), index, add, .. } => optable::mem_store_x(
                kind,
                ty,
                self.slot(base)?,
                self.slot(index)?,
                Addend(add),
                Slot(value),
                offset,
            ),
            Plan::MemX { base: None, index, add, .. } => {
                optable::mem_store_scaled(kind, ty, self.slot(index)?, Addend(add), Slot(value), offset)
            }
            Plan::Vm { field } => optable::vm_store(ty, VmOff(field), Slot(value), offset),
            _ if heap => return Err(self.unchecked_heap_access(inst)),
            _ => optable::store(kind, ty, self.slot(args[0])?, value, offset),
        };
        let op = op.ok_or_else(|| self.unsupported(inst))?;
        self.push(op);
        Ok(())
    }

    fn vector(
        &mut self,
        inst: Inst,
        vop: zerowasm_ssa::VecOp,
        args: [Value; 3],
    ) -> Result<Op, TranslateError> {
        let r = self.result(inst)?;
        let family = vec_family(vop).ok_or_else(|| self.unsupported(inst))?;
        if !crate::exec::simd::supports(vop) {
            return Err(self.unsupported(inst));
        }
        let v = |e: &Self, i: usize| -> Result<VSlot, TranslateError> { e.vslot(args[i]) };
        Ok(match family {
            // Each op of the four families below has an op kind of its own
            // (see `code::vector_op_table`, whose test checks that it lists
            // them all).
            "unary" => {
                let (dst, a) = (self.vslot(r)?, v(self, 0)?);
                optable::vunary(vop, dst, a).ok_or_else(|| self.unsupported(inst))?
            }
            "binary" => {
                let (dst, a, b) = (self.vslot(r)?, v(self, 0)?, v(self, 1)?);
                optable::vbinary(vop, dst, a, b).ok_or_else(|| self.unsupported(inst))?
            }
            "ternary" => {
                Op::VTernary { dst: self.vslot(r)?, op: vop, a: v(self, 0)?, b: v(self, 1)?, c: v(self, 2)? }
            }
            "shift" => {
                let (dst, a, b) = (self.vslot(r)?, v(self, 0)?, self.slot(args[1])?);
                optable::vshift(vop, dst, a, b).ok_or_else(|| self.unsupported(inst))?
            }
            "splat" => Op::VSplat { dst: self.vslot(r)?, op: vop, a: self.slot(args[0])? },
            _ => {
                let (dst, a) = (self.slot(r)?, v(self, 0)?);
                optable::vreduce(vop, dst, a).ok_or_else(|| self.unsupported(inst))?
            }
        })
    }
}
