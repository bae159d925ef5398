//! Linear memory: loads, stores, lane loads/stores, `memory.size`, and the
//! builtins for `memory.grow` and the bulk operations.
//!
//! A memory is a `VmMemory { base, length }` that the VM context points at.
//! Every access computes its effective address in 64 bits, so the 32-bit
//! address plus the static offset plus the access size never wraps, and is
//! checked against the current length before the access.
//!
//! Scalar and whole-vector loads and stores of memory 0 (nearly every access
//! of a C program) become one `heap_load`/`heap_store`, which carries the
//! check: a tenth of the instructions that the explicit form costs every
//! later pass, and the form the interpreter executes anyway. Accesses to
//! other memories and lane loads/stores are lowered explicitly, as
//! [`BoundsCheck`] says: load the length, compare, `trapnz heap_oob`, then
//! add the base.

use zerowasm_ssa::{InstData, IntCC, LaneShape, LoadKind, Opcode, StoreKind, TrapCode, Type, Value};

use super::{Lowerer, Result, ir_type};
use crate::builtins::Builtin;
use crate::operator::{LoadOp, MemArg, MemLaneOp, StoreOp};
use crate::vmoffsets::VmOffsets;

/// How the accesses the lowering checks itself (those of memories other than
/// 0, and lane accesses) are kept in bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BoundsCheck {
    /// Compare `address + offset + size` with the memory's length before each
    /// access and `trap heap_oob` when it is beyond. Works on every host and
    /// in the interpreter.
    #[default]
    Explicit,
}

/// How a Wasm load reads memory: the IR load kind and result type.
fn load_kind(op: LoadOp) -> (LoadKind, Type) {
    use LoadKind as K;
    let kind = match op {
        LoadOp::I32Load | LoadOp::I64Load | LoadOp::F32Load | LoadOp::F64Load | LoadOp::V128Load => K::Plain,
        LoadOp::I32Load8S | LoadOp::I64Load8S => K::S8,
        LoadOp::I32Load8U | LoadOp::I64Load8U => K::U8,
        LoadOp::I32Load16S | LoadOp::I64Load16S => K::S16,
        LoadOp::I32Load16U | LoadOp::I64Load16U => K::U16,
        LoadOp::I64Load32S => K::S32,
        LoadOp::I64Load32U => K::U32,
        LoadOp::V128Load8x8S => K::V8x8S,
        LoadOp::V128Load8x8U => K::V8x8U,
        LoadOp::V128Load16x4S => K::V16x4S,
        LoadOp::V128Load16x4U => K::V16x4U,
        LoadOp::V128Load32x2S => K::V32x2S,
        LoadOp::V128Load32x2U => K::V32x2U,
        LoadOp::V128Load8Splat => K::Splat8,
        LoadOp::V128Load16Splat => K::Splat16,
        LoadOp::V128Load32Splat => K::Splat32,
        LoadOp::V128Load64Splat => K::Splat64,
        LoadOp::V128Load32Zero => K::Zero32,
        LoadOp::V128Load64Zero => K::Zero64,
    };
    (kind, ir_type(op.val_type()))
}

/// How a Wasm store writes memory.
fn store_kind(op: StoreOp) -> StoreKind {
    match op {
        StoreOp::I32Store
        | StoreOp::I64Store
        | StoreOp::F32Store
        | StoreOp::F64Store
        | StoreOp::V128Store => StoreKind::Plain,
        StoreOp::I32Store8 | StoreOp::I64Store8 => StoreKind::Narrow8,
        StoreOp::I32Store16 | StoreOp::I64Store16 => StoreKind::Narrow16,
        StoreOp::I64Store32 => StoreKind::Narrow32,
    }
}

/// The lane shape of a lane load/store (the lane width; signedness is moot).
fn mem_lane_shape(op: MemLaneOp) -> LaneShape {
    match op {
        MemLaneOp::V128Load8Lane | MemLaneOp::V128Store8Lane => LaneShape::I8x16U,
        MemLaneOp::V128Load16Lane | MemLaneOp::V128Store16Lane => LaneShape::I16x8U,
        MemLaneOp::V128Load32Lane | MemLaneOp::V128Store32Lane => LaneShape::I32x4,
        MemLaneOp::V128Load64Lane | MemLaneOp::V128Store64Lane => LaneShape::I64x2,
    }
}

impl Lowerer<'_, '_> {
    /// The `VmMemory` pointer of memory `index`.
    fn memory_ptr(&mut self, index: u32) -> Result<Value> {
        self.check_memory(index)?;
        Ok(self.b.load(LoadKind::Plain, Type::I64, self.vmctx, self.offsets.memory(index)))
    }

    /// Checks that `size` bytes at `addr + offset` (addr an i32) are inside
    /// memory `index` and returns the host address to access at `+ offset`.
    fn heap_addr(&mut self, index: u32, addr: Value, offset: u64, size: u32) -> Result<(Value, u32)> {
        let Ok(offset32) = u32::try_from(offset) else {
            return Err(self.invalid("offset out of range"));
        };
        let memory = self.memory_ptr(index)?;
        match self.bounds_check {
            BoundsCheck::Explicit => {
                let len = self.b.load(LoadKind::Plain, Type::I64, memory, VmOffsets::memory_length());
                let a = self.b.unary(Opcode::Uextend, Type::I64, addr);
                // At most u32::MAX + 16: no overflow in u64 nor in the i64 immediate.
                let reach = self.b.iconst(Type::I64, (offset + u64::from(size)) as i64);
                let end = self.b.binary(Opcode::Iadd, Type::I64, a, reach);
                let oob = self.b.icmp(IntCC::UnsignedGt, end, len);
                self.b.cond_trap(Opcode::Trapnz, oob, TrapCode::MemoryOutOfBounds);
                let base = self.b.load(LoadKind::Plain, Type::I64, memory, VmOffsets::memory_base());
                let p = self.b.binary(Opcode::Iadd, Type::I64, base, a);
                Ok((p, offset32))
            }
        }
    }

    /// The offset of a checked access to memory 0 (`heap_load`/`heap_store`),
    /// or `None` for an access the lowering checks explicitly ([`Self::heap_addr`]).
    fn heap_offset(&mut self, memarg: MemArg) -> Result<Option<u32>> {
        if memarg.memory != 0 {
            return Ok(None);
        }
        self.check_memory(0)?;
        match u32::try_from(memarg.offset) {
            Ok(offset) => Ok(Some(offset)),
            Err(_) => Err(self.invalid("offset out of range")),
        }
    }

    pub(super) fn load(&mut self, op: LoadOp, memarg: MemArg) -> Result<()> {
        let (kind, ty) = load_kind(op);
        let addr = self.pop()?;
        let v = match self.heap_offset(memarg)? {
            Some(offset) => self.b.heap_load(kind, ty, addr, offset),
            None => {
                let (p, offset) =
                    self.heap_addr(memarg.memory, addr, memarg.offset, kind.access_bytes(ty))?;
                self.b.load(kind, ty, p, offset)
            }
        };
        self.push(v);
        Ok(())
    }

    pub(super) fn store(&mut self, op: StoreOp, memarg: MemArg) -> Result<()> {
        let kind = store_kind(op);
        let v = self.pop()?;
        let addr = self.pop()?;
        let ty = self.b.value_type(v);
        if ty != ir_type(op.val_type()) {
            return Err(self.invalid(format!("type mismatch: {} of {ty}", op.name())));
        }
        match self.heap_offset(memarg)? {
            Some(offset) => {
                self.b.heap_store(kind, addr, v, offset);
            }
            None => {
                let (p, offset) =
                    self.heap_addr(memarg.memory, addr, memarg.offset, kind.access_bytes(ty))?;
                self.b.store(kind, p, v, offset);
            }
        }
        Ok(())
    }

    pub(super) fn mem_lane(&mut self, op: MemLaneOp, memarg: MemArg, lane: u8) -> Result<()> {
        let shape = mem_lane_shape(op);
        if lane >= shape.lanes() {
            return Err(self.invalid("invalid lane index"));
        }
        let vec = self.pop()?;
        let addr = self.pop()?;
        let size = 1u32 << op.natural_align();
        let (p, offset) = self.heap_addr(memarg.memory, addr, memarg.offset, size)?;
        let args = [p, vec];
        if op.is_store() {
            self.b.insert(InstData::StoreLane { shape, lane, args, offset }, &[]);
        } else {
            let inst = self.b.insert(InstData::LoadLane { shape, lane, args, offset }, &[Type::V128]);
            let v = self.b.func.dfg.first_result(inst);
            self.push(v);
        }
        Ok(())
    }

    /// `memory.size`: the length in 64 KiB pages.
    pub(super) fn memory_size(&mut self, index: u32) -> Result<()> {
        let memory = self.memory_ptr(index)?;
        let len = self.b.load(LoadKind::Plain, Type::I64, memory, VmOffsets::memory_length());
        let sixteen = self.b.iconst(Type::I64, 16);
        let pages = self.b.binary(Opcode::Ushr, Type::I64, len, sixteen);
        let v = self.b.unary(Opcode::Ireduce, Type::I32, pages);
        self.push(v);
        Ok(())
    }

    fn check_memory(&self, index: u32) -> Result<()> {
        if index as usize >= self.module.memories.len() {
            return Err(self.invalid(format!("unknown memory {index}")));
        }
        Ok(())
    }

    pub(super) fn memory_grow(&mut self, index: u32) -> Result<()> {
        self.check_memory(index)?;
        let v = self.call_builtin(Builtin::MemoryGrow, &[index], 1)?;
        self.push_result(v)
    }

    pub(super) fn memory_fill(&mut self, index: u32) -> Result<()> {
        self.check_memory(index)?;
        self.call_builtin(Builtin::MemoryFill, &[index], 3).map(drop)
    }

    pub(super) fn memory_copy(&mut self, dst: u32, src: u32) -> Result<()> {
        self.check_memory(dst)?;
        self.check_memory(src)?;
        self.call_builtin(Builtin::MemoryCopy, &[dst, src], 3).map(drop)
    }

    pub(super) fn memory_init(&mut self, data: u32, index: u32) -> Result<()> {
        self.check_memory(index)?;
        self.call_builtin(Builtin::MemoryInit, &[index, data], 3).map(drop)
    }

    pub(super) fn data_drop(&mut self, data: u32) -> Result<()> {
        self.call_builtin(Builtin::DataDrop, &[data], 0).map(drop)
    }
}
