//! The inner execution loop: runs the top frame's code until it traps, calls
//! outside its module (an import, a host function, a callee it does not know
//! yet), or returns to a frame of another module or to the embedder. Calls
//! within the module — direct ones, and `call_indirect` through a handle the
//! outer loop already resolved ([`CalleeCache`]) — and the returns from them
//! switch frames here without leaving the loop. The code position (a pointer,
//! [`Pc`](super::memory::Pc)), the frame's cells and the VM context stay in
//! locals; each op is fetched unchecked by reference (see `memory.rs`), so
//! each arm loads only its own fields, and dispatched by one `match`.
//!
//! The loop keeps the frames it suspends for its own calls to itself
//! ([`Suspended`], with the caller's function and result cells, so a return
//! looks nothing up) and hands them to the frame stack only when it exits.

use smallvec::SmallVec;
use zerowasm_ssa::{TrapCode, Type};

use super::Frame;
use super::calls::{
    Callee, CalleeCache, LOOKUP_SLOTS, Site, Suspended, empty_slot, enter, lookup, return_to,
};
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
/// its `modules[i]`) until it traps, calls an import, a host function or
/// another module, or returns to a frame of another module (or to the
/// embedder). Calls to functions of the same module (direct, or indirect
/// through a handle in `callees`) and the returns from them stay in this loop:
/// the callee's frame is laid out (or the caller's frame resumed) here.
/// Anything unusual — a callee that is not translated yet or fails to, a depth
/// or stack limit, a descriptor that does not match — leaves the loop with the
/// plain `Call`/`CallIndirect`/`Return` exit, and the outer loop handles it
/// (and reports the error) exactly as without the fast path.
///
/// On return `frames` holds every frame again, the running one on top, and the
/// result is the exit and the ip to resume that frame at (for a trap: the
/// trapping op's position).
pub(crate) fn run(
    module: &InterpModule,
    module_index: u32,
    func: &InterpFunc,
    stack: &mut Vec<u64>,
    frames: &mut Vec<Frame>,
    config: &InterpConfig,
    callees: &CalleeCache,
) -> (Exit, usize) {
    let Some(top) = frames.pop() else { return (Exit::Internal("no frame to run"), 0) };
    let mut suspended = Vec::new();
    let (exit, ip, current) = {
        let mut state =
            State { module, module_index, stack, frames, suspended: &mut suspended, config, callees };
        execute(&mut state, func, top)
    };
    frames.extend(suspended.iter().map(|s| s.frame));
    frames.push(current);
    (exit, ip)
}

/// What the inner loop works on besides the running frame.
struct State<'m, 'x> {
    module: &'m InterpModule,
    module_index: u32,
    stack: &'x mut Vec<u64>,
    /// The frames below the one the loop started with.
    frames: &'x mut Vec<Frame>,
    /// The frames above those, suspended by calls in this loop, innermost last.
    suspended: &'x mut Vec<Suspended<'m>>,
    config: &'x InterpConfig,
    callees: &'x CalleeCache,
}

/// The loop of [`run`], running frame `top` of `func`; returns the exit, the
/// ip and the frame running at the exit (the frames it suspended are in
/// `st.suspended`).
fn execute<'m>(st: &mut State<'m, '_>, mut func: &'m InterpFunc, top: Frame) -> (Exit, usize, Frame) {
    let module = st.module;
    // Callees this loop entered, by function index (see `lookup`).
    let mut translated: [(u32, &InterpFunc); LOOKUP_SLOTS] = std::array::from_fn(|i| (empty_slot(i), func));
    let mut funcidx = top.funcidx;
    let mut vmctx = top.vmctx;
    let mut base = top.base;
    let mut code = Code::new(&func.code);
    let mut pc = code.at(top.ip as usize);
    // Frames in all: those below, the suspended ones and the running one.
    let mut depth = st.frames.len() + 1;
    // The frame running at an exit.
    macro_rules! current {
        () => {
            Frame { module: st.module_index, funcidx, ip: top.ip, base, vmctx, call: top.call }
        };
    }
    macro_rules! leave {
        ($exit:expr, $ip:expr) => {{
            let ip = $ip;
            return ($exit, ip, current!());
        }};
    }
    let Some(frame) = st.stack.get_mut(base..base + func.cells as usize) else {
        leave!(Exit::Internal("frame outside the value stack"), top.ip as usize)
    };
    let mut r = Regs::new(frame);
    macro_rules! ip {
        () => {
            code.index(pc)
        };
    }
    macro_rules! trap {
        ($code:expr) => {
            leave!(Exit::Trap($code), ip!() - 1)
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
    // Continues in the caller's frame after a return within the module.
    macro_rules! resume {
        ($caller:expr, $func:expr, $regs:expr) => {{
            depth -= 1;
            (func, funcidx) = ($func, $caller.funcidx);
            code = Code::new(&func.code);
            (base, pc, vmctx, r) = ($caller.base, code.at($caller.ip as usize), $caller.vmctx, $regs);
        }};
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
                None => leave!(Exit::Internal("constant index out of range"), ip!() - 1),
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
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VBinary { dst, op, a, b } => match simd::binary(op, r.v128(a), r.v128(b)) {
                Some(v) => r.set_v128(dst, v),
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VTernary { dst, op, a, b, c } => match simd::ternary(op, r.v128(a), r.v128(b), r.v128(c)) {
                Some(v) => r.set_v128(dst, v),
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VShift { dst, op, a, b } => match simd::shift(op, r.v128(a), r.i32(b)) {
                Some(v) => r.set_v128(dst, v),
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VSplat { dst, op, a } => match simd::splat(op, r.get(a)) {
                Some(v) => r.set_v128(dst, v),
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::VReduce { dst, op, a } => match simd::reduce(op, r.v128(a)) {
                Some(v) => r.set_i32(dst, v),
                None => leave!(Exit::Internal("vector op outside its family"), ip!() - 1),
            },
            Op::Shuffle { dst, a, b, mask } => match func.consts.get(mask as usize) {
                Some(m) => r.set_v128(
                    dst,
                    crate::semantics::simd::i8x16_shuffle(r.v128(a), r.v128(b), m.to_le_bytes()),
                ),
                None => leave!(Exit::Internal("constant index out of range"), ip!() - 1),
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
                None => leave!(Exit::Internal("branch table index out of range"), ip!() - 1),
            },
            Op::Return0 {} => {
                match return_to(st.module, st.module_index, st.stack, st.frames, st.suspended, 0) {
                    Some((caller, caller_func, caller_regs, _)) => resume!(caller, caller_func, caller_regs),
                    None => leave!(Exit::Return(Ret::Zero), ip!()),
                }
            }
            Op::Return1 { src } => {
                let v = r.get(src);
                match return_to(st.module, st.module_index, st.stack, st.frames, st.suspended, 1) {
                    Some((caller, caller_func, caller_regs, results)) => {
                        if let Some(&to) = results.first() {
                            caller_regs.set(Slot(to), v);
                        }
                        resume!(caller, caller_func, caller_regs);
                    }
                    None => leave!(Exit::Return(Ret::One(src)), ip!()),
                }
            }
            Op::ReturnN { list } => {
                let values: SmallVec<[u64; 4]> = match func.returns.get(list as usize) {
                    Some(cells) => cells.iter().map(|&c| r.get(Slot(c))).collect(),
                    None => leave!(Exit::Return(Ret::List(list)), ip!()),
                };
                match return_to(st.module, st.module_index, st.stack, st.frames, st.suspended, values.len()) {
                    Some((caller, caller_func, caller_regs, results)) => {
                        for (&to, &v) in results.iter().zip(&values) {
                            caller_regs.set(Slot(to), v);
                        }
                        resume!(caller, caller_func, caller_regs);
                    }
                    None => leave!(Exit::Return(Ret::List(list)), ip!()),
                }
            }
            Op::Call { desc } => {
                let at = ip!();
                let site = Site { caller: func, funcidx, desc, base, ip: at, vmctx };
                let entered = func.calls.get(desc as usize).and_then(|d| {
                    let callee = lookup(&mut translated, module, d.callee)?;
                    let to = Callee { func: callee, funcidx: d.callee, args: &d.args, vmctx: None };
                    enter(site, &d.results, to, st.module_index, st.stack, depth, st.suspended, st.config)
                });
                let Some((callee, callee_base, callee_regs)) = entered else { leave!(Exit::Call(desc), at) };
                depth += 1;
                (func, funcidx) = (callee.func, callee.funcidx);
                code = Code::new(&func.code);
                (base, pc, vmctx, r) = (callee_base, code.at(0), callee.vmctx.unwrap_or(0), callee_regs);
            }
            Op::CallIndirect { desc } => {
                let at = ip!();
                let site = Site { caller: func, funcidx, desc, base, ip: at, vmctx };
                let d = func.calls.get(desc as usize);
                let target = match d.map(|d| &*d.args) {
                    Some(&[handle, callee_vmctx, ..]) => {
                        Some((r.get(Slot(handle)), r.get(Slot(callee_vmctx))))
                    }
                    _ => None,
                };
                let entered = d.zip(target).and_then(|(d, (handle, callee_vmctx))| {
                    let funcidx = st.callees.get(handle, st.module_index)?;
                    let callee = lookup(&mut translated, module, funcidx)?;
                    let to =
                        Callee { func: callee, funcidx, args: d.args.get(2..)?, vmctx: Some(callee_vmctx) };
                    enter(site, &d.results, to, st.module_index, st.stack, depth, st.suspended, st.config)
                });
                let Some((callee, callee_base, callee_regs)) = entered else {
                    leave!(Exit::CallIndirect(desc), at)
                };
                depth += 1;
                (func, funcidx) = (callee.func, callee.funcidx);
                code = Code::new(&func.code);
                (base, pc, vmctx, r) = (callee_base, code.at(0), callee.vmctx.unwrap_or(0), callee_regs);
            }
            Op::CallBuiltin { desc } => {
                if let Err(exit) = calls::call_builtin(func, desc, r) {
                    leave!(exit, ip!() - 1);
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
            Op::EndOfCode {} => leave!(Exit::Internal("execution ran past the end of the code"), ip!() - 1),
        }
    }
}
