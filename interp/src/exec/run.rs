//! The inner execution loop: runs the top frame's code until it traps, calls
//! outside its module (an import, `call_indirect`), or returns to a frame of
//! another module or to the embedder. Direct calls within the module, and the
//! returns from them, switch frames here without leaving the loop. The code
//! position (a pointer, [`Pc`](super::memory::Pc)), the frame's cells and the
//! VM context stay in locals; each op is fetched unchecked by reference (see
//! `memory.rs`), so each arm loads only its own fields, and dispatched by one
//! `match`.

use zerowasm_ssa::{TrapCode, Type};

use super::Frame;
use super::memory::{Code, Regs, checked_addr, load, read_u64, store};
use super::{calls, simd};
use crate::code::{Op, Slot, VmOff};
use crate::func::InterpFunc;
use crate::module::{InterpConfig, InterpModule};
use crate::semantics::scalar as s;
use crate::semantics::scalar::{IntTrap, TruncError};

/// What a returning `return` hands back.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ret {
    /// No values.
    Zero,
    /// One scalar cell.
    One(Slot),
    /// The cells of `returns[list]`.
    List(u32),
}

/// Why the inner loop stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Exit {
    /// `call` of `calls[desc]`.
    Call(u32),
    /// `call_indirect` of `calls[desc]`.
    CallIndirect(u32),
    /// The function returned.
    Return(Ret),
    /// A Wasm trap at the op before the returned ip.
    Trap(TrapCode),
    /// An interpreter or runtime bug (never a Wasm-visible condition).
    Internal(&'static str),
}

fn int_trap(e: IntTrap) -> TrapCode {
    match e {
        IntTrap::DivideByZero => TrapCode::IntegerDivideByZero,
        IntTrap::Overflow => TrapCode::IntegerOverflow,
    }
}

fn trunc_trap(e: TruncError) -> TrapCode {
    match e {
        TruncError::InvalidConversion => TrapCode::BadConversionToInteger,
        TruncError::IntegerOverflow => TrapCode::IntegerOverflow,
    }
}

#[inline(always)]
fn ea(r: Regs<'_>, addr: Slot, offset: u32) -> u64 {
    r.get(addr).wrapping_add(u64::from(offset))
}

#[inline(always)]
fn ld1(p: u64) -> u8 {
    load::<1>(p)[0]
}
#[inline(always)]
fn ld2(p: u64) -> u16 {
    u16::from_le_bytes(load(p))
}
#[inline(always)]
fn ld4(p: u64) -> u32 {
    u32::from_le_bytes(load(p))
}
#[inline(always)]
fn ld8(p: u64) -> u64 {
    u64::from_le_bytes(load(p))
}

/// `*(vmctx + field) + offset`.
#[inline(always)]
fn vm_ptr(vmctx: u64, field: VmOff, offset: u32) -> u64 {
    read_u64(vmctx.wrapping_add(u64::from(field.0))).wrapping_add(u64::from(offset))
}

/// Runs the top frame of `frames` (a frame of `func`, in module `module`, which
/// is module `module_index` of the interpreter: 0 the entry module, `i + 1`
/// its `modules[i]`) until it traps, calls an
/// import or another module, or returns to a frame of another module (or to the
/// embedder). Direct calls to functions of the same module and the returns from
/// them stay in this loop: the callee's frame is pushed (or the caller's frame
/// resumed) here. Anything unusual — a callee that is not translated yet or
/// fails to, a depth or stack limit, a descriptor that does not match — leaves
/// the loop with the plain `Call`/`Return` exit, and the outer loop handles it
/// (and reports the error) exactly as without the fast path.
///
/// Returns the exit and the ip to resume the (new) top frame at (for a trap:
/// the trapping op's position).
pub(crate) fn run<'m>(
    module: &'m InterpModule,
    module_index: u32,
    mut func: &'m InterpFunc,
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    config: &InterpConfig,
) -> (Exit, usize) {
    let Some(&top) = frames.last() else { return (Exit::Internal("no frame to run"), 0) };
    let mut vmctx = top.vmctx;
    let mut base = top.base;
    let mut code = Code::new(&func.code);
    let mut pc = code.at(top.ip as usize);
    let Some(frame) = stack.get_mut(base..base + func.cells as usize) else {
        return (Exit::Internal("frame outside the value stack"), top.ip as usize);
    };
    let mut r = Regs::new(frame);
    macro_rules! ip {
        () => {
            code.index(pc)
        };
    }
    macro_rules! trap {
        ($code:expr) => {
            return (Exit::Trap($code), ip!() - 1)
        };
    }
    macro_rules! tri {
        ($e:expr, $map:ident) => {
            match $e {
                Ok(v) => v,
                Err(e) => trap!($map(e)),
            }
        };
    }
    macro_rules! mem {
        ($memory:expr, $index:expr, $offset:expr, $size:expr) => {
            match checked_addr(vmctx, $memory.0, r.get($index) as u32, $offset, $size) {
                Some(p) => p,
                None => trap!(TrapCode::MemoryOutOfBounds),
            }
        };
        ($memory:expr, $index:expr, + $add:expr, $offset:expr, $size:expr) => {
            match checked_addr(
                vmctx,
                $memory.0,
                (r.get($index) as u32).wrapping_add($add.0 as u32),
                $offset,
                $size,
            ) {
                Some(p) => p,
                None => trap!(TrapCode::MemoryOutOfBounds),
            }
        };
    }
    macro_rules! br {
        ($cond:expr, $target:expr) => {
            if $cond {
                pc = code.at($target.0 as usize);
            }
        };
    }
    loop {
        // By reference: each arm loads only the fields it uses.
        let op = pc.op();
        pc = pc.next();
        match *op {
            Op::Copy { dst, src } => r.set(dst, r.get(src)),
            Op::Copy2 { dst, dst2, src, src2 } => {
                r.set(dst, r.get(src));
                r.set(dst2, r.get(src2));
            }
            Op::Const32 { dst, imm } => r.set(dst, u64::from(imm)),
            Op::Const64 { dst, imm } => r.set(dst, imm),
            Op::ConstV { dst, index } => match func.consts.get(index as usize) {
                Some(&v) => r.set_v128(dst, v),
                None => return (Exit::Internal("constant index out of range"), ip!() - 1),
            },

            Op::I32Add { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_add(r.i32(b))),
            Op::I32Sub { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_sub(r.i32(b))),
            Op::I32Mul { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_mul(r.i32(b))),
            Op::I32And { dst, a, b } => r.set_i32(dst, r.i32(a) & r.i32(b)),
            Op::I32Or { dst, a, b } => r.set_i32(dst, r.i32(a) | r.i32(b)),
            Op::I32Xor { dst, a, b } => r.set_i32(dst, r.i32(a) ^ r.i32(b)),
            Op::I32Shl { dst, a, b } => r.set_i32(dst, s::i32_shl(r.i32(a), r.i32(b))),
            Op::I32ShrS { dst, a, b } => r.set_i32(dst, s::i32_shr_s(r.i32(a), r.i32(b))),
            Op::I32ShrU { dst, a, b } => r.set_i32(dst, s::i32_shr_u(r.i32(a), r.i32(b))),
            Op::I32Rotl { dst, a, b } => r.set_i32(dst, s::i32_rotl(r.i32(a), r.i32(b))),
            Op::I32Rotr { dst, a, b } => r.set_i32(dst, s::i32_rotr(r.i32(a), r.i32(b))),
            Op::I32DivS { dst, a, b } => r.set_i32(dst, tri!(s::i32_div_s(r.i32(a), r.i32(b)), int_trap)),
            Op::I32DivU { dst, a, b } => r.set_i32(dst, tri!(s::i32_div_u(r.i32(a), r.i32(b)), int_trap)),
            Op::I32RemS { dst, a, b } => r.set_i32(dst, tri!(s::i32_rem_s(r.i32(a), r.i32(b)), int_trap)),
            Op::I32RemU { dst, a, b } => r.set_i32(dst, tri!(s::i32_rem_u(r.i32(a), r.i32(b)), int_trap)),
            Op::I32AddImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_add(imm)),
            Op::I32SubImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_sub(imm)),
            Op::I32MulImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_mul(imm)),
            Op::I32AndImm { dst, a, imm } => r.set_i32(dst, r.i32(a) & imm),
            Op::I32OrImm { dst, a, imm } => r.set_i32(dst, r.i32(a) | imm),
            Op::I32XorImm { dst, a, imm } => r.set_i32(dst, r.i32(a) ^ imm),
            Op::I32ShlImm { dst, a, imm } => r.set_i32(dst, s::i32_shl(r.i32(a), imm)),
            Op::I32ShrSImm { dst, a, imm } => r.set_i32(dst, s::i32_shr_s(r.i32(a), imm)),
            Op::I32ShrUImm { dst, a, imm } => r.set_i32(dst, s::i32_shr_u(r.i32(a), imm)),
            Op::I32RotlImm { dst, a, imm } => r.set_i32(dst, s::i32_rotl(r.i32(a), imm)),
            Op::I32RotrImm { dst, a, imm } => r.set_i32(dst, s::i32_rotr(r.i32(a), imm)),
            Op::I32DivSImm { dst, a, imm } => r.set_i32(dst, tri!(s::i32_div_s(r.i32(a), imm), int_trap)),
            Op::I32DivUImm { dst, a, imm } => r.set_i32(dst, tri!(s::i32_div_u(r.i32(a), imm), int_trap)),
            Op::I32RemSImm { dst, a, imm } => r.set_i32(dst, tri!(s::i32_rem_s(r.i32(a), imm), int_trap)),
            Op::I32RemUImm { dst, a, imm } => r.set_i32(dst, tri!(s::i32_rem_u(r.i32(a), imm), int_trap)),
            Op::I32Clz { dst, a } => r.set_i32(dst, s::i32_clz(r.i32(a))),
            Op::I32Ctz { dst, a } => r.set_i32(dst, s::i32_ctz(r.i32(a))),
            Op::I32Popcnt { dst, a } => r.set_i32(dst, s::i32_popcnt(r.i32(a))),
            Op::I32Extend8S { dst, a } => r.set_i32(dst, s::i32_extend8_s(r.i32(a))),
            Op::I32Extend16S { dst, a } => r.set_i32(dst, s::i32_extend16_s(r.i32(a))),
            Op::I32WrapI64 { dst, a } => r.set_i32(dst, s::i32_wrap_i64(r.i64(a))),

            Op::I64Add { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_add(r.i64(b))),
            Op::I64Sub { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_sub(r.i64(b))),
            Op::I64Mul { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_mul(r.i64(b))),
            Op::I64And { dst, a, b } => r.set_i64(dst, r.i64(a) & r.i64(b)),
            Op::I64Or { dst, a, b } => r.set_i64(dst, r.i64(a) | r.i64(b)),
            Op::I64Xor { dst, a, b } => r.set_i64(dst, r.i64(a) ^ r.i64(b)),
            Op::I64Shl { dst, a, b } => r.set_i64(dst, s::i64_shl(r.i64(a), r.i64(b))),
            Op::I64ShrS { dst, a, b } => r.set_i64(dst, s::i64_shr_s(r.i64(a), r.i64(b))),
            Op::I64ShrU { dst, a, b } => r.set_i64(dst, s::i64_shr_u(r.i64(a), r.i64(b))),
            Op::I64Rotl { dst, a, b } => r.set_i64(dst, s::i64_rotl(r.i64(a), r.i64(b))),
            Op::I64Rotr { dst, a, b } => r.set_i64(dst, s::i64_rotr(r.i64(a), r.i64(b))),
            Op::I64DivS { dst, a, b } => r.set_i64(dst, tri!(s::i64_div_s(r.i64(a), r.i64(b)), int_trap)),
            Op::I64DivU { dst, a, b } => r.set_i64(dst, tri!(s::i64_div_u(r.i64(a), r.i64(b)), int_trap)),
            Op::I64RemS { dst, a, b } => r.set_i64(dst, tri!(s::i64_rem_s(r.i64(a), r.i64(b)), int_trap)),
            Op::I64RemU { dst, a, b } => r.set_i64(dst, tri!(s::i64_rem_u(r.i64(a), r.i64(b)), int_trap)),
            Op::I64AddImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_add(imm)),
            Op::I64SubImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_sub(imm)),
            Op::I64MulImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_mul(imm)),
            Op::I64AndImm { dst, a, imm } => r.set_i64(dst, r.i64(a) & imm),
            Op::I64OrImm { dst, a, imm } => r.set_i64(dst, r.i64(a) | imm),
            Op::I64XorImm { dst, a, imm } => r.set_i64(dst, r.i64(a) ^ imm),
            Op::I64ShlImm { dst, a, imm } => r.set_i64(dst, s::i64_shl(r.i64(a), imm)),
            Op::I64ShrSImm { dst, a, imm } => r.set_i64(dst, s::i64_shr_s(r.i64(a), imm)),
            Op::I64ShrUImm { dst, a, imm } => r.set_i64(dst, s::i64_shr_u(r.i64(a), imm)),
            Op::I64RotlImm { dst, a, imm } => r.set_i64(dst, s::i64_rotl(r.i64(a), imm)),
            Op::I64RotrImm { dst, a, imm } => r.set_i64(dst, s::i64_rotr(r.i64(a), imm)),
            Op::I64DivSImm { dst, a, imm } => r.set_i64(dst, tri!(s::i64_div_s(r.i64(a), imm), int_trap)),
            Op::I64DivUImm { dst, a, imm } => r.set_i64(dst, tri!(s::i64_div_u(r.i64(a), imm), int_trap)),
            Op::I64RemSImm { dst, a, imm } => r.set_i64(dst, tri!(s::i64_rem_s(r.i64(a), imm), int_trap)),
            Op::I64RemUImm { dst, a, imm } => r.set_i64(dst, tri!(s::i64_rem_u(r.i64(a), imm), int_trap)),
            Op::I64Clz { dst, a } => r.set_i64(dst, s::i64_clz(r.i64(a))),
            Op::I64Ctz { dst, a } => r.set_i64(dst, s::i64_ctz(r.i64(a))),
            Op::I64Popcnt { dst, a } => r.set_i64(dst, s::i64_popcnt(r.i64(a))),
            Op::I64Extend8S { dst, a } => r.set_i64(dst, s::i64_extend8_s(r.i64(a))),
            Op::I64Extend16S { dst, a } => r.set_i64(dst, s::i64_extend16_s(r.i64(a))),
            Op::I64Extend32S { dst, a } => r.set_i64(dst, s::i64_extend32_s(r.i64(a))),
            Op::I64ExtendI32S { dst, a } => r.set_i64(dst, s::i64_extend_i32_s(r.i32(a))),

            Op::I32Eq { dst, a, b } => r.set_bool(dst, r.i32(a) == r.i32(b)),
            Op::I32Ne { dst, a, b } => r.set_bool(dst, r.i32(a) != r.i32(b)),
            Op::I32LtS { dst, a, b } => r.set_bool(dst, r.i32(a) < r.i32(b)),
            Op::I32LtU { dst, a, b } => r.set_bool(dst, (r.i32(a) as u32) < r.i32(b) as u32),
            Op::I32GtS { dst, a, b } => r.set_bool(dst, r.i32(a) > r.i32(b)),
            Op::I32GtU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 > r.i32(b) as u32),
            Op::I32LeS { dst, a, b } => r.set_bool(dst, r.i32(a) <= r.i32(b)),
            Op::I32LeU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 <= r.i32(b) as u32),
            Op::I32GeS { dst, a, b } => r.set_bool(dst, r.i32(a) >= r.i32(b)),
            Op::I32GeU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 >= r.i32(b) as u32),
            Op::I32EqImm { dst, a, imm } => r.set_bool(dst, r.i32(a) == imm),
            Op::I32NeImm { dst, a, imm } => r.set_bool(dst, r.i32(a) != imm),
            Op::I32LtSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) < imm),
            Op::I32LtUImm { dst, a, imm } => r.set_bool(dst, (r.i32(a) as u32) < imm as u32),
            Op::I32GtSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) > imm),
            Op::I32GtUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 > imm as u32),
            Op::I32LeSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) <= imm),
            Op::I32LeUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 <= imm as u32),
            Op::I32GeSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) >= imm),
            Op::I32GeUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 >= imm as u32),
            Op::I64Eq { dst, a, b } => r.set_bool(dst, r.i64(a) == r.i64(b)),
            Op::I64Ne { dst, a, b } => r.set_bool(dst, r.i64(a) != r.i64(b)),
            Op::I64LtS { dst, a, b } => r.set_bool(dst, r.i64(a) < r.i64(b)),
            Op::I64LtU { dst, a, b } => r.set_bool(dst, r.get(a) < r.get(b)),
            Op::I64GtS { dst, a, b } => r.set_bool(dst, r.i64(a) > r.i64(b)),
            Op::I64GtU { dst, a, b } => r.set_bool(dst, r.get(a) > r.get(b)),
            Op::I64LeS { dst, a, b } => r.set_bool(dst, r.i64(a) <= r.i64(b)),
            Op::I64LeU { dst, a, b } => r.set_bool(dst, r.get(a) <= r.get(b)),
            Op::I64GeS { dst, a, b } => r.set_bool(dst, r.i64(a) >= r.i64(b)),
            Op::I64GeU { dst, a, b } => r.set_bool(dst, r.get(a) >= r.get(b)),
            Op::I64EqImm { dst, a, imm } => r.set_bool(dst, r.i64(a) == imm),
            Op::I64NeImm { dst, a, imm } => r.set_bool(dst, r.i64(a) != imm),
            Op::I64LtSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) < imm),
            Op::I64LtUImm { dst, a, imm } => r.set_bool(dst, r.get(a) < imm as u64),
            Op::I64GtSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) > imm),
            Op::I64GtUImm { dst, a, imm } => r.set_bool(dst, r.get(a) > imm as u64),
            Op::I64LeSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) <= imm),
            Op::I64LeUImm { dst, a, imm } => r.set_bool(dst, r.get(a) <= imm as u64),
            Op::I64GeSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) >= imm),
            Op::I64GeUImm { dst, a, imm } => r.set_bool(dst, r.get(a) >= imm as u64),

            Op::F32Add { dst, a, b } => r.set_f32(dst, r.f32(a) + r.f32(b)),
            Op::F32Sub { dst, a, b } => r.set_f32(dst, r.f32(a) - r.f32(b)),
            Op::F32Mul { dst, a, b } => r.set_f32(dst, r.f32(a) * r.f32(b)),
            Op::F32Div { dst, a, b } => r.set_f32(dst, r.f32(a) / r.f32(b)),
            Op::F32Min { dst, a, b } => r.set_f32(dst, s::f32_min(r.f32(a), r.f32(b))),
            Op::F32Max { dst, a, b } => r.set_f32(dst, s::f32_max(r.f32(a), r.f32(b))),
            Op::F32Copysign { dst, a, b } => r.set_f32(dst, s::f32_copysign(r.f32(a), r.f32(b))),
            Op::F32Abs { dst, a } => r.set_f32(dst, s::f32_abs(r.f32(a))),
            Op::F32Neg { dst, a } => r.set_f32(dst, s::f32_neg(r.f32(a))),
            Op::F32Sqrt { dst, a } => r.set_f32(dst, s::f32_sqrt(r.f32(a))),
            Op::F32Ceil { dst, a } => r.set_f32(dst, s::f32_ceil(r.f32(a))),
            Op::F32Floor { dst, a } => r.set_f32(dst, s::f32_floor(r.f32(a))),
            Op::F32Trunc { dst, a } => r.set_f32(dst, s::f32_trunc(r.f32(a))),
            Op::F32Nearest { dst, a } => r.set_f32(dst, s::f32_nearest(r.f32(a))),
            Op::F64Add { dst, a, b } => r.set_f64(dst, r.f64(a) + r.f64(b)),
            Op::F64Sub { dst, a, b } => r.set_f64(dst, r.f64(a) - r.f64(b)),
            Op::F64Mul { dst, a, b } => r.set_f64(dst, r.f64(a) * r.f64(b)),
            Op::F64Div { dst, a, b } => r.set_f64(dst, r.f64(a) / r.f64(b)),
            Op::F64Min { dst, a, b } => r.set_f64(dst, s::f64_min(r.f64(a), r.f64(b))),
            Op::F64Max { dst, a, b } => r.set_f64(dst, s::f64_max(r.f64(a), r.f64(b))),
            Op::F64Copysign { dst, a, b } => r.set_f64(dst, s::f64_copysign(r.f64(a), r.f64(b))),
            Op::F64Abs { dst, a } => r.set_f64(dst, s::f64_abs(r.f64(a))),
            Op::F64Neg { dst, a } => r.set_f64(dst, s::f64_neg(r.f64(a))),
            Op::F64Sqrt { dst, a } => r.set_f64(dst, s::f64_sqrt(r.f64(a))),
            Op::F64Ceil { dst, a } => r.set_f64(dst, s::f64_ceil(r.f64(a))),
            Op::F64Floor { dst, a } => r.set_f64(dst, s::f64_floor(r.f64(a))),
            Op::F64Trunc { dst, a } => r.set_f64(dst, s::f64_trunc(r.f64(a))),
            Op::F64Nearest { dst, a } => r.set_f64(dst, s::f64_nearest(r.f64(a))),
            Op::F32Eq { dst, a, b } => r.set_bool(dst, r.f32(a) == r.f32(b)),
            Op::F32Ne { dst, a, b } => r.set_bool(dst, r.f32(a) != r.f32(b)),
            Op::F32Lt { dst, a, b } => r.set_bool(dst, r.f32(a) < r.f32(b)),
            Op::F32Gt { dst, a, b } => r.set_bool(dst, r.f32(a) > r.f32(b)),
            Op::F32Le { dst, a, b } => r.set_bool(dst, r.f32(a) <= r.f32(b)),
            Op::F32Ge { dst, a, b } => r.set_bool(dst, r.f32(a) >= r.f32(b)),
            Op::F64Eq { dst, a, b } => r.set_bool(dst, r.f64(a) == r.f64(b)),
            Op::F64Ne { dst, a, b } => r.set_bool(dst, r.f64(a) != r.f64(b)),
            Op::F64Lt { dst, a, b } => r.set_bool(dst, r.f64(a) < r.f64(b)),
            Op::F64Gt { dst, a, b } => r.set_bool(dst, r.f64(a) > r.f64(b)),
            Op::F64Le { dst, a, b } => r.set_bool(dst, r.f64(a) <= r.f64(b)),
            Op::F64Ge { dst, a, b } => r.set_bool(dst, r.f64(a) >= r.f64(b)),

            Op::F32DemoteF64 { dst, a } => r.set_f32(dst, s::f32_demote_f64(r.f64(a))),
            Op::F64PromoteF32 { dst, a } => r.set_f64(dst, s::f64_promote_f32(r.f32(a))),
            Op::I32TruncF32S { dst, a } => r.set_i32(dst, tri!(s::i32_trunc_f32_s(r.f32(a)), trunc_trap)),
            Op::I32TruncF32U { dst, a } => r.set_i32(dst, tri!(s::i32_trunc_f32_u(r.f32(a)), trunc_trap)),
            Op::I32TruncF64S { dst, a } => r.set_i32(dst, tri!(s::i32_trunc_f64_s(r.f64(a)), trunc_trap)),
            Op::I32TruncF64U { dst, a } => r.set_i32(dst, tri!(s::i32_trunc_f64_u(r.f64(a)), trunc_trap)),
            Op::I64TruncF32S { dst, a } => r.set_i64(dst, tri!(s::i64_trunc_f32_s(r.f32(a)), trunc_trap)),
            Op::I64TruncF32U { dst, a } => r.set_i64(dst, tri!(s::i64_trunc_f32_u(r.f32(a)), trunc_trap)),
            Op::I64TruncF64S { dst, a } => r.set_i64(dst, tri!(s::i64_trunc_f64_s(r.f64(a)), trunc_trap)),
            Op::I64TruncF64U { dst, a } => r.set_i64(dst, tri!(s::i64_trunc_f64_u(r.f64(a)), trunc_trap)),
            Op::I32TruncSatF32S { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f32_s(r.f32(a))),
            Op::I32TruncSatF32U { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f32_u(r.f32(a))),
            Op::I32TruncSatF64S { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f64_s(r.f64(a))),
            Op::I32TruncSatF64U { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f64_u(r.f64(a))),
            Op::I64TruncSatF32S { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f32_s(r.f32(a))),
            Op::I64TruncSatF32U { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f32_u(r.f32(a))),
            Op::I64TruncSatF64S { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f64_s(r.f64(a))),
            Op::I64TruncSatF64U { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f64_u(r.f64(a))),
            Op::F32ConvertI32S { dst, a } => r.set_f32(dst, s::f32_convert_i32_s(r.i32(a))),
            Op::F32ConvertI32U { dst, a } => r.set_f32(dst, s::f32_convert_i32_u(r.i32(a))),
            Op::F32ConvertI64S { dst, a } => r.set_f32(dst, s::f32_convert_i64_s(r.i64(a))),
            Op::F32ConvertI64U { dst, a } => r.set_f32(dst, s::f32_convert_i64_u(r.i64(a))),
            Op::F64ConvertI32S { dst, a } => r.set_f64(dst, s::f64_convert_i32_s(r.i32(a))),
            Op::F64ConvertI32U { dst, a } => r.set_f64(dst, s::f64_convert_i32_u(r.i32(a))),
            Op::F64ConvertI64S { dst, a } => r.set_f64(dst, s::f64_convert_i64_s(r.i64(a))),
            Op::F64ConvertI64U { dst, a } => r.set_f64(dst, s::f64_convert_i64_u(r.i64(a))),

            Op::Select { dst, c, a, b } => r.set(dst, if r.i32(c) != 0 { r.get(a) } else { r.get(b) }),
            Op::SelectV { dst, c, a, b } => {
                r.set_v128(dst, if r.i32(c) != 0 { r.v128(a) } else { r.v128(b) })
            }

            Op::Load8U { dst, addr, offset } => r.set(dst, u64::from(ld1(ea(r, addr, offset)))),
            Op::Load8S32 { dst, addr, offset } => r.set_i32(dst, i32::from(ld1(ea(r, addr, offset)) as i8)),
            Op::Load8S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld1(ea(r, addr, offset)) as i8)),
            Op::Load16U { dst, addr, offset } => r.set(dst, u64::from(ld2(ea(r, addr, offset)))),
            Op::Load16S32 { dst, addr, offset } => r.set_i32(dst, i32::from(ld2(ea(r, addr, offset)) as i16)),
            Op::Load16S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld2(ea(r, addr, offset)) as i16)),
            Op::Load32 { dst, addr, offset } => r.set(dst, u64::from(ld4(ea(r, addr, offset)))),
            Op::Load32S64 { dst, addr, offset } => r.set_i64(dst, i64::from(ld4(ea(r, addr, offset)) as i32)),
            Op::Load64 { dst, addr, offset } => r.set(dst, ld8(ea(r, addr, offset))),
            Op::LoadV { dst, addr, offset, kind } => {
                r.set_v128(dst, simd::load_v128(kind, ea(r, addr, offset)))
            }
            Op::LoadLane { dst, addr, vec, offset, shape, lane } => {
                r.set_v128(dst, simd::load_lane(shape, r.v128(vec), lane, ea(r, addr, offset)))
            }
            Op::Store8 { addr, value, offset } => store(ea(r, addr, offset), [r.get(value) as u8]),
            Op::Store16 { addr, value, offset } => {
                store(ea(r, addr, offset), (r.get(value) as u16).to_le_bytes())
            }
            Op::Store32 { addr, value, offset } => {
                store(ea(r, addr, offset), (r.get(value) as u32).to_le_bytes())
            }
            Op::Store64 { addr, value, offset } => store(ea(r, addr, offset), r.get(value).to_le_bytes()),
            Op::StoreV { addr, value, offset } => store(ea(r, addr, offset), r.v128(value).to_le_bytes()),
            Op::StoreLane { addr, vec, offset, shape, lane } => {
                simd::store_lane(shape, r.v128(vec), lane, ea(r, addr, offset))
            }

            Op::MemLoad8U { dst, memory, index, add, offset } => {
                r.set(dst, u64::from(ld1(mem!(memory, index, +add, offset, 1))))
            }
            Op::MemLoad8S32 { dst, memory, index, add, offset } => {
                r.set_i32(dst, i32::from(ld1(mem!(memory, index, +add, offset, 1)) as i8))
            }
            Op::MemLoad8S64 { dst, memory, index, add, offset } => {
                r.set_i64(dst, i64::from(ld1(mem!(memory, index, +add, offset, 1)) as i8))
            }
            Op::MemLoad16U { dst, memory, index, add, offset } => {
                r.set(dst, u64::from(ld2(mem!(memory, index, +add, offset, 2))))
            }
            Op::MemLoad16S32 { dst, memory, index, add, offset } => {
                r.set_i32(dst, i32::from(ld2(mem!(memory, index, +add, offset, 2)) as i16))
            }
            Op::MemLoad16S64 { dst, memory, index, add, offset } => {
                r.set_i64(dst, i64::from(ld2(mem!(memory, index, +add, offset, 2)) as i16))
            }
            Op::MemLoad32 { dst, memory, index, add, offset } => {
                r.set(dst, u64::from(ld4(mem!(memory, index, +add, offset, 4))))
            }
            Op::MemLoad32S64 { dst, memory, index, add, offset } => {
                r.set_i64(dst, i64::from(ld4(mem!(memory, index, +add, offset, 4)) as i32))
            }
            Op::MemLoad64 { dst, memory, index, add, offset } => {
                r.set(dst, ld8(mem!(memory, index, +add, offset, 8)))
            }
            Op::MemLoadV { dst, memory, index, offset, kind } => {
                let size = u64::from(kind.access_bytes(Type::V128));
                r.set_v128(dst, simd::load_v128(kind, mem!(memory, index, offset, size)))
            }
            Op::MemLoadLane { dst, memory, index, vec, offset, shape, lane } => {
                let p = mem!(memory, index, offset, 16 / u64::from(shape.lanes()));
                r.set_v128(dst, simd::load_lane(shape, r.v128(vec), lane, p))
            }
            Op::MemStore8 { memory, index, add, value, offset } => {
                store(mem!(memory, index, +add, offset, 1), [r.get(value) as u8])
            }
            Op::MemStore16 { memory, index, add, value, offset } => {
                store(mem!(memory, index, +add, offset, 2), (r.get(value) as u16).to_le_bytes())
            }
            Op::MemStore32 { memory, index, add, value, offset } => {
                store(mem!(memory, index, +add, offset, 4), (r.get(value) as u32).to_le_bytes())
            }
            Op::MemStore64 { memory, index, add, value, offset } => {
                store(mem!(memory, index, +add, offset, 8), r.get(value).to_le_bytes())
            }
            Op::MemStoreV { memory, index, value, offset } => {
                store(mem!(memory, index, offset, 16), r.v128(value).to_le_bytes())
            }
            Op::MemStoreLane { memory, index, vec, offset, shape, lane } => {
                let p = mem!(memory, index, offset, 16 / u64::from(shape.lanes()));
                simd::store_lane(shape, r.v128(vec), lane, p)
            }

            Op::VmLoad32 { dst, field, offset } => r.set(dst, u64::from(ld4(vm_ptr(vmctx, field, offset)))),
            Op::VmLoad64 { dst, field, offset } => r.set(dst, ld8(vm_ptr(vmctx, field, offset))),
            Op::VmStore32 { field, value, offset } => {
                store(vm_ptr(vmctx, field, offset), (r.get(value) as u32).to_le_bytes())
            }
            Op::VmStore64 { field, value, offset } => {
                store(vm_ptr(vmctx, field, offset), r.get(value).to_le_bytes())
            }

            Op::VUnary { dst, op, a } => match simd::unary(op, r.v128(a)) {
                Some(v) => r.set_v128(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VBinary { dst, op, a, b } => match simd::binary(op, r.v128(a), r.v128(b)) {
                Some(v) => r.set_v128(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VTernary { dst, op, a, b, c } => match simd::ternary(op, r.v128(a), r.v128(b), r.v128(c)) {
                Some(v) => r.set_v128(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VShift { dst, op, a, b } => match simd::shift(op, r.v128(a), r.i32(b)) {
                Some(v) => r.set_v128(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VSplat { dst, op, a } => match simd::splat(op, r.get(a)) {
                Some(v) => r.set_v128(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VReduce { dst, op, a } => match simd::reduce(op, r.v128(a)) {
                Some(v) => r.set_i32(dst, v),
                None => return (Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::Shuffle { dst, a, b, mask } => match func.consts.get(mask as usize) {
                Some(m) => r.set_v128(
                    dst,
                    crate::semantics::simd::i8x16_shuffle(r.v128(a), r.v128(b), m.to_le_bytes()),
                ),
                None => return (Exit::Internal("constant index out of range"), ip!() - 1),
            },
            Op::ExtractLane { dst, src, shape, lane } => {
                r.set(dst, simd::extract_lane(shape, r.v128(src), lane))
            }
            Op::InsertLane { dst, vec, scalar, shape, lane } => {
                r.set_v128(dst, simd::insert_lane(shape, r.v128(vec), lane, r.get(scalar)))
            }

            Op::Jump { target } => pc = code.at(target.0 as usize),
            Op::BrIf { c, target } => br!(r.i32(c) != 0, target),
            Op::BrIfNot { c, target } => br!(r.i32(c) == 0, target),
            Op::BrI32Eq { a, b, target } => br!(r.i32(a) == r.i32(b), target),
            Op::BrI32Ne { a, b, target } => br!(r.i32(a) != r.i32(b), target),
            Op::BrI32LtS { a, b, target } => br!(r.i32(a) < r.i32(b), target),
            Op::BrI32LtU { a, b, target } => br!((r.i32(a) as u32) < r.i32(b) as u32, target),
            Op::BrI32GtS { a, b, target } => br!(r.i32(a) > r.i32(b), target),
            Op::BrI32GtU { a, b, target } => br!(r.i32(a) as u32 > r.i32(b) as u32, target),
            Op::BrI32LeS { a, b, target } => br!(r.i32(a) <= r.i32(b), target),
            Op::BrI32LeU { a, b, target } => br!(r.i32(a) as u32 <= r.i32(b) as u32, target),
            Op::BrI32GeS { a, b, target } => br!(r.i32(a) >= r.i32(b), target),
            Op::BrI32GeU { a, b, target } => br!(r.i32(a) as u32 >= r.i32(b) as u32, target),
            Op::BrI32EqImm { a, imm, target } => br!(r.i32(a) == imm, target),
            Op::BrI32NeImm { a, imm, target } => br!(r.i32(a) != imm, target),
            Op::BrI32LtSImm { a, imm, target } => br!(r.i32(a) < imm, target),
            Op::BrI32LtUImm { a, imm, target } => br!((r.i32(a) as u32) < imm as u32, target),
            Op::BrI32GtSImm { a, imm, target } => br!(r.i32(a) > imm, target),
            Op::BrI32GtUImm { a, imm, target } => br!(r.i32(a) as u32 > imm as u32, target),
            Op::BrI32LeSImm { a, imm, target } => br!(r.i32(a) <= imm, target),
            Op::BrI32LeUImm { a, imm, target } => br!(r.i32(a) as u32 <= imm as u32, target),
            Op::BrI32GeSImm { a, imm, target } => br!(r.i32(a) >= imm, target),
            Op::BrI32GeUImm { a, imm, target } => br!(r.i32(a) as u32 >= imm as u32, target),
            Op::BrI64Eq { a, b, target } => br!(r.i64(a) == r.i64(b), target),
            Op::BrI64Ne { a, b, target } => br!(r.i64(a) != r.i64(b), target),
            Op::BrI64LtS { a, b, target } => br!(r.i64(a) < r.i64(b), target),
            Op::BrI64LtU { a, b, target } => br!(r.get(a) < r.get(b), target),
            Op::BrI64GtS { a, b, target } => br!(r.i64(a) > r.i64(b), target),
            Op::BrI64GtU { a, b, target } => br!(r.get(a) > r.get(b), target),
            Op::BrI64LeS { a, b, target } => br!(r.i64(a) <= r.i64(b), target),
            Op::BrI64LeU { a, b, target } => br!(r.get(a) <= r.get(b), target),
            Op::BrI64GeS { a, b, target } => br!(r.i64(a) >= r.i64(b), target),
            Op::BrI64GeU { a, b, target } => br!(r.get(a) >= r.get(b), target),
            Op::BrI64EqImm { a, imm, target } => br!(r.i64(a) == imm, target),
            Op::BrI64NeImm { a, imm, target } => br!(r.i64(a) != imm, target),
            Op::BrI64LtSImm { a, imm, target } => br!(r.i64(a) < imm, target),
            Op::BrI64LtUImm { a, imm, target } => br!(r.get(a) < imm as u64, target),
            Op::BrI64GtSImm { a, imm, target } => br!(r.i64(a) > imm, target),
            Op::BrI64GtUImm { a, imm, target } => br!(r.get(a) > imm as u64, target),
            Op::BrI64LeSImm { a, imm, target } => br!(r.i64(a) <= imm, target),
            Op::BrI64LeUImm { a, imm, target } => br!(r.get(a) <= imm as u64, target),
            Op::BrI64GeSImm { a, imm, target } => br!(r.i64(a) >= imm, target),
            Op::BrI64GeUImm { a, imm, target } => br!(r.get(a) >= imm as u64, target),
            Op::AddBrI32Ne { dst, imm, b, target } => {
                let x = r.i32(dst).wrapping_add(imm);
                r.set_i32(dst, x);
                br!(x != r.i32(b), target)
            }
            Op::AddBrI32NeImm { dst, imm, k, target } => {
                let x = r.i32(dst).wrapping_add(imm);
                r.set_i32(dst, x);
                br!(x != k, target)
            }
            Op::AddBrI64Ne { dst, imm, b, target } => {
                let x = r.i64(dst).wrapping_add(i64::from(imm));
                r.set_i64(dst, x);
                br!(x != r.i64(b), target)
            }
            Op::AddBrI64NeImm { dst, imm, k, target } => {
                let x = r.i64(dst).wrapping_add(i64::from(imm));
                r.set_i64(dst, x);
                br!(x != i64::from(k), target)
            }
            Op::BrF32 { cond, a, b, target } => {
                br!(cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))), target)
            }
            Op::BrF32Not { cond, a, b, target } => {
                br!(!cond.eval(f64::from(r.f32(a)), f64::from(r.f32(b))), target)
            }
            Op::BrF64 { cond, a, b, target } => br!(cond.eval(r.f64(a), r.f64(b)), target),
            Op::BrF64Not { cond, a, b, target } => br!(!cond.eval(r.f64(a), r.f64(b)), target),
            Op::BrTable { index, table } => match func.br_tables.get(table as usize) {
                Some(t) => {
                    let i = (r.i32(index) as u32 as usize).min(t.len() - 1);
                    pc = code.at(t[i] as usize);
                }
                None => return (Exit::Internal("branch table index out of range"), ip!() - 1),
            },
            Op::Return0 {} | Op::Return1 { .. } | Op::ReturnN { .. } => {
                let (ret, one);
                let cells: &[u16] = match *op {
                    Op::Return1 { src } => {
                        (ret, one) = (Ret::One(src), [src.0]);
                        &one
                    }
                    Op::ReturnN { list } => {
                        ret = Ret::List(list);
                        match func.returns.get(list as usize) {
                            Some(l) => l,
                            None => return (Exit::Return(ret), ip!()),
                        }
                    }
                    _ => {
                        ret = Ret::Zero;
                        &[]
                    }
                };
                let Some((caller, caller_func)) =
                    return_in_module(module, module_index, stack, frames, cells)
                else {
                    return (Exit::Return(ret), ip!());
                };
                func = caller_func;
                code = Code::new(&func.code);
                (base, pc, vmctx) = (caller.base, code.at(caller.ip as usize), caller.vmctx);
                let Some(frame) = stack.get_mut(base..base + func.cells as usize) else {
                    return (Exit::Internal("frame outside the value stack"), ip!());
                };
                r = Regs::new(frame);
            }
            Op::Call { desc } => {
                let Some((callee, callee_base)) =
                    call_in_module(module, module_index, func, desc, base, ip!(), stack, frames, config)
                else {
                    return (Exit::Call(desc), ip!());
                };
                func = callee;
                code = Code::new(&func.code);
                (base, pc) = (callee_base, code.at(0));
                let Some(frame) = stack.get_mut(base..base + func.cells as usize) else {
                    return (Exit::Internal("frame outside the value stack"), ip!());
                };
                vmctx = frame[0];
                r = Regs::new(frame);
            }
            Op::CallIndirect { desc } => return (Exit::CallIndirect(desc), ip!()),
            Op::CallBuiltin { desc } => {
                if let Err(exit) = calls::call_builtin(func, desc, r) {
                    return (exit, ip!() - 1);
                }
            }
            Op::Trap { code } => trap!(code),
            Op::Trapz { c, code } => {
                if r.i32(c) == 0 {
                    trap!(code)
                }
            }
            Op::Trapnz { c, code } => {
                if r.i32(c) != 0 {
                    trap!(code)
                }
            }
            Op::TrapIfI32 { cond, a, b, code } | Op::TrapIfI64 { cond, a, b, code } => {
                let is64 = matches!(*op, Op::TrapIfI64 { .. });
                if cond.eval(r.get(a) as i64, r.get(b) as i64, is64) {
                    trap!(code)
                }
            }
            Op::TrapIfI32Imm { cond, a, imm, code } => {
                if cond.eval(r.get(a) as i64, i64::from(imm), false) {
                    trap!(code)
                }
            }
            Op::TrapIfI64Imm { cond, a, imm, code } => {
                if cond.eval(r.get(a) as i64, imm, true) {
                    trap!(code)
                }
            }
            Op::EndOfCode {} => return (Exit::Internal("execution ran past the end of the code"), ip!() - 1),
        }
    }
}

/// The fast path of a direct call from `func` (frame at `base`, resuming at `ip`)
/// to a defined function of the same module: pushes the callee's frame right
/// after the caller's, with the arguments copied, and returns the callee and its
/// frame's base. `None` (nothing changed) sends the call to the outer loop.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn call_in_module<'m>(
    module: &'m InterpModule,
    module_index: u32,
    func: &InterpFunc,
    desc: u32,
    base: usize,
    ip: usize,
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    config: &InterpConfig,
) -> Option<(&'m InterpFunc, usize)> {
    let d = func.calls.get(desc as usize)?;
    let callee = module.translated(d.callee)?;
    let callee_base = base + func.cells as usize;
    let end = callee_base + callee.cells as usize;
    if d.args.len() != callee.arg_cells as usize
        || frames.len() >= config.max_call_depth as usize
        || end > config.max_stack_cells
    {
        return None;
    }
    if stack.len() < end {
        let grown = end.max(stack.len() * 2).min(config.max_stack_cells);
        stack.resize(grown, 0);
    }
    let (below, above) = stack.split_at_mut(callee_base);
    let caller_cells = below.get(base..)?;
    for (to, &c) in above.iter_mut().zip(d.args.iter()) {
        *to = *caller_cells.get(usize::from(c))?;
    }
    let top = frames.last_mut()?;
    top.ip = ip as u32;
    top.call = desc;
    let vmctx = above[0];
    frames.push(Frame { module: module_index, funcidx: d.callee, ip: 0, base: callee_base, vmctx, call: 0 });
    Some((callee, callee_base))
}

/// The fast path of a return to a caller of the same module: copies the
/// returned `cells` to the caller's result cells, pops the frame, and returns
/// the caller's frame and function. `None` (nothing changed) sends the return
/// to the outer loop.
#[inline(always)]
fn return_in_module<'m>(
    module: &'m InterpModule,
    module_index: u32,
    stack: &mut [u64],
    frames: &mut Vec<Frame>,
    cells: &[u16],
) -> Option<(Frame, &'m InterpFunc)> {
    let n = frames.len();
    let (&caller, &callee) = (frames.get(n.checked_sub(2)?)?, frames.get(n - 1)?);
    if caller.module != module_index {
        return None;
    }
    let caller_func = module.translated(caller.funcidx)?;
    let d = caller_func.calls.get(caller.call as usize)?;
    if d.results.len() != cells.len() {
        return None;
    }
    let (below, above) = stack.split_at_mut(callee.base);
    let caller_cells = below.get_mut(caller.base..)?;
    for (&to, &from) in d.results.iter().zip(cells) {
        *caller_cells.get_mut(usize::from(to))? = *above.get(usize::from(from))?;
    }
    frames.pop();
    Some((caller, caller_func))
}
