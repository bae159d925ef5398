//! Which op implements an IR operation on given types: pure tables, `None`
//! where the combination has no op (the caller reports it as unsupported).

use zerowasm_ssa::{FloatCC, IntCC, LoadKind, Opcode, StoreKind, Type, VecOp};

use crate::code::{Abs, Addend, Index, Op, Scaled, Slot, Target, VSlot, VmOff};

macro_rules! pick {
    ($is64:expr, $op:expr, { $($opc:ident => $o32:ident, $o64:ident;)* }, $fields:tt) => {
        match $op {
            $(Opcode::$opc => Some(if $is64 { Op::$o64 $fields } else { Op::$o32 $fields }),)*
            _ => None,
        }
    };
}

/// Integer binary op on two cells.
pub(crate) fn int_binary(op: Opcode, is64: bool, dst: Slot, a: Slot, b: Slot) -> Option<Op> {
    pick!(is64, op, {
        Iadd => I32Add, I64Add; Isub => I32Sub, I64Sub; Imul => I32Mul, I64Mul;
        Band => I32And, I64And; Bor => I32Or, I64Or; Bxor => I32Xor, I64Xor;
        Ishl => I32Shl, I64Shl; Sshr => I32ShrS, I64ShrS; Ushr => I32ShrU, I64ShrU;
        Rotl => I32Rotl, I64Rotl; Rotr => I32Rotr, I64Rotr;
        Sdiv => I32DivS, I64DivS; Udiv => I32DivU, I64DivU; Srem => I32RemS, I64RemS; Urem => I32RemU, I64RemU;
    }, { dst, a, b })
}

/// i32 binary op with a constant left operand (those not commutative that
/// C code writes so: `1 << n`, `rotl(-2, n)`, `0 - x`).
pub(crate) fn i32_imm_binary(op: Opcode, dst: Slot, imm: i32, b: Slot) -> Option<Op> {
    match op {
        Opcode::Ishl => Some(Op::I32ImmShl { dst, imm, b }),
        Opcode::Rotl => Some(Op::I32ImmRotl { dst, imm, b }),
        Opcode::Isub => Some(Op::I32ImmSub { dst, imm, b }),
        _ => None,
    }
}

/// Integer binary op with a constant right operand.
pub(crate) fn int_binary_imm(op: Opcode, is64: bool, dst: Slot, a: Slot, imm: i64) -> Option<Op> {
    let i = imm as i32;
    match (is64, op) {
        (false, Opcode::Iadd) => Some(Op::I32AddImm { dst, a, imm: i }),
        (false, Opcode::Isub) => Some(Op::I32SubImm { dst, a, imm: i }),
        (false, Opcode::Imul) => Some(Op::I32MulImm { dst, a, imm: i }),
        (false, Opcode::Band) => Some(Op::I32AndImm { dst, a, imm: i }),
        (false, Opcode::Bor) => Some(Op::I32OrImm { dst, a, imm: i }),
        (false, Opcode::Bxor) => Some(Op::I32XorImm { dst, a, imm: i }),
        (false, Opcode::Ishl) => Some(Op::I32ShlImm { dst, a, imm: i }),
        (false, Opcode::Sshr) => Some(Op::I32ShrSImm { dst, a, imm: i }),
        (false, Opcode::Ushr) => Some(Op::I32ShrUImm { dst, a, imm: i }),
        (false, Opcode::Rotl) => Some(Op::I32RotlImm { dst, a, imm: i }),
        (false, Opcode::Rotr) => Some(Op::I32RotrImm { dst, a, imm: i }),
        (false, Opcode::Sdiv) => Some(Op::I32DivSImm { dst, a, imm: i }),
        (false, Opcode::Udiv) => Some(Op::I32DivUImm { dst, a, imm: i }),
        (false, Opcode::Srem) => Some(Op::I32RemSImm { dst, a, imm: i }),
        (false, Opcode::Urem) => Some(Op::I32RemUImm { dst, a, imm: i }),
        (true, Opcode::Iadd) => Some(Op::I64AddImm { dst, a, imm }),
        (true, Opcode::Isub) => Some(Op::I64SubImm { dst, a, imm }),
        (true, Opcode::Imul) => Some(Op::I64MulImm { dst, a, imm }),
        (true, Opcode::Band) => Some(Op::I64AndImm { dst, a, imm }),
        (true, Opcode::Bor) => Some(Op::I64OrImm { dst, a, imm }),
        (true, Opcode::Bxor) => Some(Op::I64XorImm { dst, a, imm }),
        (true, Opcode::Ishl) => Some(Op::I64ShlImm { dst, a, imm }),
        (true, Opcode::Sshr) => Some(Op::I64ShrSImm { dst, a, imm }),
        (true, Opcode::Ushr) => Some(Op::I64ShrUImm { dst, a, imm }),
        (true, Opcode::Rotl) => Some(Op::I64RotlImm { dst, a, imm }),
        (true, Opcode::Rotr) => Some(Op::I64RotrImm { dst, a, imm }),
        (true, Opcode::Sdiv) => Some(Op::I64DivSImm { dst, a, imm }),
        (true, Opcode::Udiv) => Some(Op::I64DivUImm { dst, a, imm }),
        (true, Opcode::Srem) => Some(Op::I64RemSImm { dst, a, imm }),
        (true, Opcode::Urem) => Some(Op::I64RemUImm { dst, a, imm }),
        _ => None,
    }
}

/// Integer unary op (`ty` is the result type).
pub(crate) fn int_unary(op: Opcode, ty: Type, dst: Slot, a: Slot) -> Option<Op> {
    match (op, ty) {
        (Opcode::Sextend32, Type::I64) => Some(Op::I64Extend32S { dst, a }),
        (Opcode::Sextend, Type::I64) => Some(Op::I64ExtendI32S { dst, a }),
        (Opcode::Ireduce, Type::I32) => Some(Op::I32WrapI64 { dst, a }),
        (_, Type::I32 | Type::I64) => pick!(ty == Type::I64, op, {
            Clz => I32Clz, I64Clz; Ctz => I32Ctz, I64Ctz; Popcnt => I32Popcnt, I64Popcnt;
            Sextend8 => I32Extend8S, I64Extend8S; Sextend16 => I32Extend16S, I64Extend16S;
        }, { dst, a }),
        _ => None,
    }
}

macro_rules! by_cond {
    ($cond:expr, $is64:expr, { $($cc:ident => $o32:ident, $o64:ident;)* }, $fields:tt) => {
        match $cond {
            $(IntCC::$cc => if $is64 { Op::$o64 $fields } else { Op::$o32 $fields },)*
        }
    };
}

/// `icmp` on two cells.
pub(crate) fn icmp(cond: IntCC, is64: bool, dst: Slot, a: Slot, b: Slot) -> Op {
    by_cond!(cond, is64, {
        Eq => I32Eq, I64Eq; Ne => I32Ne, I64Ne; SignedLt => I32LtS, I64LtS; UnsignedLt => I32LtU, I64LtU;
        SignedGt => I32GtS, I64GtS; UnsignedGt => I32GtU, I64GtU; SignedLe => I32LeS, I64LeS;
        UnsignedLe => I32LeU, I64LeU; SignedGe => I32GeS, I64GeS; UnsignedGe => I32GeU, I64GeU;
    }, { dst, a, b })
}

macro_rules! one_by_cond {
    ($cond:expr, { $($cc:ident => $o:ident;)* }, $fields:tt) => {
        match $cond {
            $(IntCC::$cc => Op::$o $fields,)*
        }
    };
}

/// `icmp` with a constant right operand.
pub(crate) fn icmp_imm(cond: IntCC, is64: bool, dst: Slot, a: Slot, imm: i64) -> Op {
    if is64 {
        return one_by_cond!(cond, {
            Eq => I64EqImm; Ne => I64NeImm; SignedLt => I64LtSImm; UnsignedLt => I64LtUImm; SignedGt => I64GtSImm;
            UnsignedGt => I64GtUImm; SignedLe => I64LeSImm; UnsignedLe => I64LeUImm; SignedGe => I64GeSImm;
            UnsignedGe => I64GeUImm;
        }, { dst, a, imm });
    }
    let imm = imm as i32;
    one_by_cond!(cond, {
        Eq => I32EqImm; Ne => I32NeImm; SignedLt => I32LtSImm; UnsignedLt => I32LtUImm; SignedGt => I32GtSImm;
        UnsignedGt => I32GtUImm; SignedLe => I32LeSImm; UnsignedLe => I32LeUImm; SignedGe => I32GeSImm;
        UnsignedGe => I32GeUImm;
    }, { dst, a, imm })
}

/// Branch to `target` if `cond(a, b)`.
pub(crate) fn br_icmp(cond: IntCC, is64: bool, a: Slot, b: Slot, target: Target) -> Op {
    by_cond!(cond, is64, {
        Eq => BrI32Eq, BrI64Eq; Ne => BrI32Ne, BrI64Ne; SignedLt => BrI32LtS, BrI64LtS;
        UnsignedLt => BrI32LtU, BrI64LtU; SignedGt => BrI32GtS, BrI64GtS; UnsignedGt => BrI32GtU, BrI64GtU;
        SignedLe => BrI32LeS, BrI64LeS; UnsignedLe => BrI32LeU, BrI64LeU; SignedGe => BrI32GeS, BrI64GeS;
        UnsignedGe => BrI32GeU, BrI64GeU;
    }, { a, b, target })
}

/// Branch to `target` if `cond(a, imm)`.
pub(crate) fn br_icmp_imm(cond: IntCC, is64: bool, a: Slot, imm: i64, target: Target) -> Op {
    if is64 {
        return one_by_cond!(cond, {
            Eq => BrI64EqImm; Ne => BrI64NeImm; SignedLt => BrI64LtSImm; UnsignedLt => BrI64LtUImm;
            SignedGt => BrI64GtSImm; UnsignedGt => BrI64GtUImm; SignedLe => BrI64LeSImm; UnsignedLe => BrI64LeUImm;
            SignedGe => BrI64GeSImm; UnsignedGe => BrI64GeUImm;
        }, { a, imm, target });
    }
    let imm = imm as i32;
    one_by_cond!(cond, {
        Eq => BrI32EqImm; Ne => BrI32NeImm; SignedLt => BrI32LtSImm; UnsignedLt => BrI32LtUImm;
        SignedGt => BrI32GtSImm; UnsignedGt => BrI32GtUImm; SignedLe => BrI32LeSImm; UnsignedLe => BrI32LeUImm;
        SignedGe => BrI32GeSImm; UnsignedGe => BrI32GeUImm;
    }, { a, imm, target })
}

/// Float binary op.
pub(crate) fn float_binary(op: Opcode, is64: bool, dst: Slot, a: Slot, b: Slot) -> Option<Op> {
    pick!(is64, op, {
        Fadd => F32Add, F64Add; Fsub => F32Sub, F64Sub; Fmul => F32Mul, F64Mul; Fdiv => F32Div, F64Div;
        Fmin => F32Min, F64Min; Fmax => F32Max, F64Max; Fcopysign => F32Copysign, F64Copysign;
    }, { dst, a, b })
}

/// A float op whose one operand is another float op's result: `(a inner b)
/// outer c`, or with `rev` `c outer (a inner b)` (for a commutative `outer`
/// the same op, so `rev` matters only for `fsub`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn float_pair(
    inner: Opcode,
    outer: Opcode,
    rev: bool,
    is64: bool,
    dst: Slot,
    a: Slot,
    b: Slot,
    c: Slot,
) -> Option<Op> {
    let rev = rev && outer == Opcode::Fsub;
    let pair = |o32: Op, o64: Op| Some(if is64 { o64 } else { o32 });
    match (inner, outer, rev) {
        (Opcode::Fadd, Opcode::Fadd, false) => {
            pair(Op::F32AddAdd { dst, a, b, c }, Op::F64AddAdd { dst, a, b, c })
        }
        (Opcode::Fadd, Opcode::Fsub, false) => {
            pair(Op::F32AddSub { dst, a, b, c }, Op::F64AddSub { dst, a, b, c })
        }
        (Opcode::Fadd, Opcode::Fsub, true) => {
            pair(Op::F32AddRsub { dst, a, b, c }, Op::F64AddRsub { dst, a, b, c })
        }
        (Opcode::Fadd, Opcode::Fmul, false) => {
            pair(Op::F32AddMul { dst, a, b, c }, Op::F64AddMul { dst, a, b, c })
        }
        (Opcode::Fsub, Opcode::Fadd, false) => {
            pair(Op::F32SubAdd { dst, a, b, c }, Op::F64SubAdd { dst, a, b, c })
        }
        (Opcode::Fsub, Opcode::Fsub, false) => {
            pair(Op::F32SubSub { dst, a, b, c }, Op::F64SubSub { dst, a, b, c })
        }
        (Opcode::Fsub, Opcode::Fsub, true) => {
            pair(Op::F32SubRsub { dst, a, b, c }, Op::F64SubRsub { dst, a, b, c })
        }
        (Opcode::Fsub, Opcode::Fmul, false) => {
            pair(Op::F32SubMul { dst, a, b, c }, Op::F64SubMul { dst, a, b, c })
        }
        (Opcode::Fmul, Opcode::Fadd, false) => {
            pair(Op::F32MulAdd { dst, a, b, c }, Op::F64MulAdd { dst, a, b, c })
        }
        (Opcode::Fmul, Opcode::Fsub, false) => {
            pair(Op::F32MulSub { dst, a, b, c }, Op::F64MulSub { dst, a, b, c })
        }
        (Opcode::Fmul, Opcode::Fsub, true) => {
            pair(Op::F32MulRsub { dst, a, b, c }, Op::F64MulRsub { dst, a, b, c })
        }
        (Opcode::Fmul, Opcode::Fmul, false) => {
            pair(Op::F32MulMul { dst, a, b, c }, Op::F64MulMul { dst, a, b, c })
        }
        _ => None,
    }
}

/// Float unary op (same type in and out).
pub(crate) fn float_unary(op: Opcode, is64: bool, dst: Slot, a: Slot) -> Option<Op> {
    pick!(is64, op, {
        Fabs => F32Abs, F64Abs; Fneg => F32Neg, F64Neg; Fsqrt => F32Sqrt, F64Sqrt; Fceil => F32Ceil, F64Ceil;
        Ffloor => F32Floor, F64Floor; Ftrunc => F32Trunc, F64Trunc; Fnearest => F32Nearest, F64Nearest;
    }, { dst, a })
}

/// `fcmp` on two cells.
pub(crate) fn fcmp(cond: FloatCC, is64: bool, dst: Slot, a: Slot, b: Slot) -> Op {
    match (cond, is64) {
        (FloatCC::Eq, false) => Op::F32Eq { dst, a, b },
        (FloatCC::Ne, false) => Op::F32Ne { dst, a, b },
        (FloatCC::Lt, false) => Op::F32Lt { dst, a, b },
        (FloatCC::Gt, false) => Op::F32Gt { dst, a, b },
        (FloatCC::Le, false) => Op::F32Le { dst, a, b },
        (FloatCC::Ge, false) => Op::F32Ge { dst, a, b },
        (FloatCC::Eq, true) => Op::F64Eq { dst, a, b },
        (FloatCC::Ne, true) => Op::F64Ne { dst, a, b },
        (FloatCC::Lt, true) => Op::F64Lt { dst, a, b },
        (FloatCC::Gt, true) => Op::F64Gt { dst, a, b },
        (FloatCC::Le, true) => Op::F64Le { dst, a, b },
        (FloatCC::Ge, true) => Op::F64Ge { dst, a, b },
    }
}

/// Float/int conversions, `from` and `to` the operand and result types.
pub(crate) fn convert(op: Opcode, from: Type, to: Type, dst: Slot, a: Slot) -> Option<Op> {
    use Type::{F32, F64, I32, I64};
    Some(match (op, from, to) {
        (Opcode::Fpromote, F32, F64) => Op::F64PromoteF32 { dst, a },
        (Opcode::Fdemote, F64, F32) => Op::F32DemoteF64 { dst, a },
        (Opcode::FcvtToSint, F32, I32) => Op::I32TruncF32S { dst, a },
        (Opcode::FcvtToUint, F32, I32) => Op::I32TruncF32U { dst, a },
        (Opcode::FcvtToSint, F64, I32) => Op::I32TruncF64S { dst, a },
        (Opcode::FcvtToUint, F64, I32) => Op::I32TruncF64U { dst, a },
        (Opcode::FcvtToSint, F32, I64) => Op::I64TruncF32S { dst, a },
        (Opcode::FcvtToUint, F32, I64) => Op::I64TruncF32U { dst, a },
        (Opcode::FcvtToSint, F64, I64) => Op::I64TruncF64S { dst, a },
        (Opcode::FcvtToUint, F64, I64) => Op::I64TruncF64U { dst, a },
        (Opcode::FcvtToSintSat, F32, I32) => Op::I32TruncSatF32S { dst, a },
        (Opcode::FcvtToUintSat, F32, I32) => Op::I32TruncSatF32U { dst, a },
        (Opcode::FcvtToSintSat, F64, I32) => Op::I32TruncSatF64S { dst, a },
        (Opcode::FcvtToUintSat, F64, I32) => Op::I32TruncSatF64U { dst, a },
        (Opcode::FcvtToSintSat, F32, I64) => Op::I64TruncSatF32S { dst, a },
        (Opcode::FcvtToUintSat, F32, I64) => Op::I64TruncSatF32U { dst, a },
        (Opcode::FcvtToSintSat, F64, I64) => Op::I64TruncSatF64S { dst, a },
        (Opcode::FcvtToUintSat, F64, I64) => Op::I64TruncSatF64U { dst, a },
        (Opcode::FcvtFromSint, I32, F32) => Op::F32ConvertI32S { dst, a },
        (Opcode::FcvtFromUint, I32, F32) => Op::F32ConvertI32U { dst, a },
        (Opcode::FcvtFromSint, I64, F32) => Op::F32ConvertI64S { dst, a },
        (Opcode::FcvtFromUint, I64, F32) => Op::F32ConvertI64U { dst, a },
        (Opcode::FcvtFromSint, I32, F64) => Op::F64ConvertI32S { dst, a },
        (Opcode::FcvtFromUint, I32, F64) => Op::F64ConvertI32U { dst, a },
        (Opcode::FcvtFromSint, I64, F64) => Op::F64ConvertI64S { dst, a },
        (Opcode::FcvtFromUint, I64, F64) => Op::F64ConvertI64U { dst, a },
        _ => return None,
    })
}

/// The memory width class of a scalar load.
#[derive(Clone, Copy)]
enum LoadClass {
    L8U,
    L8S32,
    L8S64,
    L16U,
    L16S32,
    L16S64,
    L32,
    L32S64,
    L64,
}

fn load_class(kind: LoadKind, ty: Type) -> Option<LoadClass> {
    use LoadClass::*;
    use Type::{F32, F64, I32, I64};
    Some(match (kind, ty) {
        (LoadKind::Plain, I32 | F32) | (LoadKind::U32, I64) => L32,
        (LoadKind::Plain, I64 | F64) => L64,
        (LoadKind::U8, I32 | I64) => L8U,
        (LoadKind::U16, I32 | I64) => L16U,
        (LoadKind::S8, I32) => L8S32,
        (LoadKind::S8, I64) => L8S64,
        (LoadKind::S16, I32) => L16S32,
        (LoadKind::S16, I64) => L16S64,
        (LoadKind::S32, I64) => L32S64,
        _ => return None,
    })
}

/// True for the load kinds that produce a v128.
fn is_vector_load(kind: LoadKind) -> bool {
    !matches!(
        kind,
        LoadKind::S8 | LoadKind::U8 | LoadKind::S16 | LoadKind::U16 | LoadKind::S32 | LoadKind::U32
    )
}

/// A raw load at `addr + offset` of `kind` producing `ty` into `dst` (a v128 cell pair for v128).
pub(crate) fn load(kind: LoadKind, ty: Type, dst: u16, addr: Slot, offset: u32) -> Option<Op> {
    if ty == Type::V128 {
        return is_vector_load(kind).then_some(Op::LoadV { dst: VSlot(dst), addr, offset, kind });
    }
    let dst = Slot(dst);
    Some(match load_class(kind, ty)? {
        LoadClass::L8U => Op::Load8U { dst, addr, offset },
        LoadClass::L8S32 => Op::Load8S32 { dst, addr, offset },
        LoadClass::L8S64 => Op::Load8S64 { dst, addr, offset },
        LoadClass::L16U => Op::Load16U { dst, addr, offset },
        LoadClass::L16S32 => Op::Load16S32 { dst, addr, offset },
        LoadClass::L16S64 => Op::Load16S64 { dst, addr, offset },
        LoadClass::L32 => Op::Load32 { dst, addr, offset },
        LoadClass::L32S64 => Op::Load32S64 { dst, addr, offset },
        LoadClass::L64 => Op::Load64 { dst, addr, offset },
    })
}

/// A bounds-checked load from the memory whose `VmMemory` pointer is at `memory` in the VM context.
pub(crate) fn mem_load(
    kind: LoadKind,
    ty: Type,
    dst: u16,
    memory: VmOff,
    index: Slot,
    add: Addend,
    offset: u32,
) -> Option<Op> {
    if ty == Type::V128 {
        let dst = VSlot(dst);
        return match kind {
            LoadKind::Plain => Some(Op::MemLoadV { dst, memory, index, add, offset }),
            _ if is_vector_load(kind) && add.0 == 0 => {
                Some(Op::MemLoadVExt { dst, memory, index, offset, kind })
            }
            _ => None,
        };
    }
    let dst = Slot(dst);
    Some(match load_class(kind, ty)? {
        LoadClass::L8U => Op::MemLoad8U { dst, memory, index, add, offset },
        LoadClass::L8S32 => Op::MemLoad8S32 { dst, memory, index, add, offset },
        LoadClass::L8S64 => Op::MemLoad8S64 { dst, memory, index, add, offset },
        LoadClass::L16U => Op::MemLoad16U { dst, memory, index, add, offset },
        LoadClass::L16S32 => Op::MemLoad16S32 { dst, memory, index, add, offset },
        LoadClass::L16S64 => Op::MemLoad16S64 { dst, memory, index, add, offset },
        LoadClass::L32 => Op::MemLoad32 { dst, memory, index, add, offset },
        LoadClass::L32S64 => Op::MemLoad32S64 { dst, memory, index, add, offset },
        LoadClass::L64 => Op::MemLoad64 { dst, memory, index, add, offset },
    })
}

/// A bounds-checked scalar load at `base + (index << log2 size) + add` (no v128).
#[allow(clippy::too_many_arguments)]
pub(crate) fn mem_load_x(
    kind: LoadKind,
    ty: Type,
    dst: u16,
    base: Slot,
    index: Slot,
    add: Addend,
    offset: u32,
) -> Option<Op> {
    if ty == Type::V128 {
        return None;
    }
    let dst = Slot(dst);
    Some(match load_class(kind, ty)? {
        LoadClass::L8U => Op::MemLoad8UX { dst, base, index: Scaled(index), add, offset },
        LoadClass::L8S32 => Op::MemLoad8S32X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L8S64 => Op::MemLoad8S64X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L16U => Op::MemLoad16UX { dst, base, index: Scaled(index), add, offset },
        LoadClass::L16S32 => Op::MemLoad16S32X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L16S64 => Op::MemLoad16S64X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L32 => Op::MemLoad32X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L32S64 => Op::MemLoad32S64X { dst, base, index: Scaled(index), add, offset },
        LoadClass::L64 => Op::MemLoad64X { dst, base, index: Scaled(index), add, offset },
    })
}

/// A bounds-checked scalar load of at least 2 bytes at `(index << log2 size) + add`.
pub(crate) fn mem_load_scaled(
    kind: LoadKind,
    ty: Type,
    dst: u16,
    index: Slot,
    add: Addend,
    offset: u32,
) -> Option<Op> {
    if ty == Type::V128 {
        return None;
    }
    let dst = Slot(dst);
    Some(match load_class(kind, ty)? {
        LoadClass::L8U | LoadClass::L8S32 | LoadClass::L8S64 => return None,
        LoadClass::L16U => Op::MemLoad16UScaled { dst, index: Index(index), add, offset },
        LoadClass::L16S32 => Op::MemLoad16S32Scaled { dst, index: Index(index), add, offset },
        LoadClass::L16S64 => Op::MemLoad16S64Scaled { dst, index: Index(index), add, offset },
        LoadClass::L32 => Op::MemLoad32Scaled { dst, index: Index(index), add, offset },
        LoadClass::L32S64 => Op::MemLoad32S64Scaled { dst, index: Index(index), add, offset },
        LoadClass::L64 => Op::MemLoad64Scaled { dst, index: Index(index), add, offset },
    })
}

/// A bounds-checked scalar load at the constant address `addr` (no v128).
pub(crate) fn mem_load_at(kind: LoadKind, ty: Type, dst: u16, memory: VmOff, addr: Abs) -> Option<Op> {
    if ty == Type::V128 {
        return None;
    }
    let dst = Slot(dst);
    Some(match load_class(kind, ty)? {
        LoadClass::L8U => Op::MemLoad8UAt { dst, memory, addr },
        LoadClass::L8S32 => Op::MemLoad8S32At { dst, memory, addr },
        LoadClass::L8S64 => Op::MemLoad8S64At { dst, memory, addr },
        LoadClass::L16U => Op::MemLoad16UAt { dst, memory, addr },
        LoadClass::L16S32 => Op::MemLoad16S32At { dst, memory, addr },
        LoadClass::L16S64 => Op::MemLoad16S64At { dst, memory, addr },
        LoadClass::L32 => Op::MemLoad32At { dst, memory, addr },
        LoadClass::L32S64 => Op::MemLoad32S64At { dst, memory, addr },
        LoadClass::L64 => Op::MemLoad64At { dst, memory, addr },
    })
}

/// Bytes written by a store of `kind` of a value of `ty` (None for invalid combinations).
fn store_bytes(kind: StoreKind, ty: Type) -> Option<u32> {
    match (kind, ty) {
        (StoreKind::Plain, _) => Some(ty.bytes()),
        (StoreKind::Narrow8 | StoreKind::Narrow16, Type::I32 | Type::I64) => Some(kind.access_bytes(ty)),
        (StoreKind::Narrow32, Type::I64) => Some(4),
        _ => None,
    }
}

/// A raw store of `value` (a cell, or a cell pair for v128) at `addr + offset`.
pub(crate) fn store(kind: StoreKind, ty: Type, addr: Slot, value: u16, offset: u32) -> Option<Op> {
    let v = Slot(value);
    Some(match store_bytes(kind, ty)? {
        1 => Op::Store8 { addr, value: v, offset },
        2 => Op::Store16 { addr, value: v, offset },
        4 => Op::Store32 { addr, value: v, offset },
        8 => Op::Store64 { addr, value: v, offset },
        _ => Op::StoreV { addr, value: VSlot(value), offset },
    })
}

/// A bounds-checked store.
pub(crate) fn mem_store(
    kind: StoreKind,
    ty: Type,
    memory: VmOff,
    index: Slot,
    add: Addend,
    value: u16,
    offset: u32,
) -> Option<Op> {
    let v = Slot(value);
    Some(match store_bytes(kind, ty)? {
        1 => Op::MemStore8 { memory, index, add, value: v, offset },
        2 => Op::MemStore16 { memory, index, add, value: v, offset },
        4 => Op::MemStore32 { memory, index, add, value: v, offset },
        8 => Op::MemStore64 { memory, index, add, value: v, offset },
        _ => Op::MemStoreV { memory, index, add, value: VSlot(value), offset },
    })
}

/// A bounds-checked scalar store at `base + (index << log2 size) + add` (no v128).
pub(crate) fn mem_store_x(
    kind: StoreKind,
    ty: Type,
    base: Slot,
    index: Slot,
    add: Addend,
    value: Slot,
    offset: u32,
) -> Option<Op> {
    Some(match store_bytes(kind, ty)? {
        1 => Op::MemStore8X { base, index: Scaled(index), add, value, offset },
        2 => Op::MemStore16X { base, index: Scaled(index), add, value, offset },
        4 => Op::MemStore32X { base, index: Scaled(index), add, value, offset },
        8 => Op::MemStore64X { base, index: Scaled(index), add, value, offset },
        _ => return None,
    })
}

/// A bounds-checked scalar store of at least 2 bytes at `(index << log2 size) + add`.
pub(crate) fn mem_store_scaled(
    kind: StoreKind,
    ty: Type,
    index: Slot,
    add: Addend,
    value: Slot,
    offset: u32,
) -> Option<Op> {
    Some(match store_bytes(kind, ty)? {
        2 => Op::MemStore16Scaled { index: Index(index), add, value, offset },
        4 => Op::MemStore32Scaled { index: Index(index), add, value, offset },
        8 => Op::MemStore64Scaled { index: Index(index), add, value, offset },
        _ => return None,
    })
}

/// A bounds-checked scalar store at the constant address `addr` (no v128).
pub(crate) fn mem_store_at(kind: StoreKind, ty: Type, memory: VmOff, addr: Abs, value: Slot) -> Option<Op> {
    Some(match store_bytes(kind, ty)? {
        1 => Op::MemStore8At { memory, addr, value },
        2 => Op::MemStore16At { memory, addr, value },
        4 => Op::MemStore32At { memory, addr, value },
        8 => Op::MemStore64At { memory, addr, value },
        _ => return None,
    })
}

/// A plain scalar load through the VM-context pointer field `field`.
pub(crate) fn vm_load(ty: Type, dst: u16, field: VmOff, offset: u32) -> Option<Op> {
    let dst = Slot(dst);
    match ty.bytes() {
        4 => Some(Op::VmLoad32 { dst, field, offset }),
        8 => Some(Op::VmLoad64 { dst, field, offset }),
        _ => None,
    }
}

/// A plain scalar store through the VM-context pointer field `field`.
pub(crate) fn vm_store(ty: Type, field: VmOff, value: Slot, offset: u32) -> Option<Op> {
    match ty.bytes() {
        4 => Some(Op::VmStore32 { field, value, offset }),
        8 => Some(Op::VmStore64 { field, value, offset }),
        _ => None,
    }
}

/// Defines the constructors of the vector ops of `code::vector_op_table`.
macro_rules! vector_constructors {
    (unary: [$($un:ident = $ut:literal),* $(,)?] binary: [$($bn:ident = $bt:literal),* $(,)?]
     shift: [$($sn:ident = $st:literal),* $(,)?] reduce: [$($rn:ident = $rt:literal),* $(,)?]) => {
        /// The op of the `v128 -> v128` vector op `op`, if it has its own.
        pub(crate) fn vunary(op: VecOp, dst: VSlot, a: VSlot) -> Option<Op> {
            match op {
                $( VecOp::$un => Some(Op::$un { dst, a }), )*
                _ => None,
            }
        }

        /// The op of the `v128, v128 -> v128` vector op `op`, if it has its own.
        pub(crate) fn vbinary(op: VecOp, dst: VSlot, a: VSlot, b: VSlot) -> Option<Op> {
            match op {
                $( VecOp::$bn => Some(Op::$bn { dst, a, b }), )*
                _ => None,
            }
        }

        /// The op of the vector shift `op`, if it has its own.
        pub(crate) fn vshift(op: VecOp, dst: VSlot, a: VSlot, b: Slot) -> Option<Op> {
            match op {
                $( VecOp::$sn => Some(Op::$sn { dst, a, b }), )*
                _ => None,
            }
        }

        /// The op of the `v128 -> i32` vector op `op`, if it has its own.
        pub(crate) fn vreduce(op: VecOp, dst: Slot, a: VSlot) -> Option<Op> {
            match op {
                $( VecOp::$rn => Some(Op::$rn { dst, a }), )*
                _ => None,
            }
        }
    };
}
crate::code::vector_op_table!([vector_constructors] []);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::simd;

    /// Every op of the four families gets its own op kind, named as the
    /// instruction, and only ops of the family the handler's function table
    /// knows (so the handler's family check never fails).
    #[test]
    fn every_vector_op_of_the_families_has_its_own_op() {
        let (v, s) = (VSlot(0), Slot(2));
        for &vop in VecOp::ALL {
            let own = [
                (vunary(vop, v, v), simd::unary_fn(vop).is_some()),
                (vbinary(vop, v, v, v), simd::binary_fn(vop).is_some()),
                (vshift(vop, v, v, s), simd::shift_fn(vop).is_some()),
                (vreduce(vop, s, v), simd::reduce_fn(vop).is_some()),
            ];
            for (op, in_family) in own {
                assert_eq!(op.is_some(), in_family, "{}", vop.name());
                if let Some(op) = op {
                    assert_eq!(op.name(), vop.name());
                }
            }
        }
    }
}
