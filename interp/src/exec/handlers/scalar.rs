//! Handlers of moves, constants, integer and float arithmetic, comparisons,
//! conversions and `select`.

use super::{NO_CONSTANT, handlers, int_trap, trunc_trap};
use crate::code::Slot;
use crate::semantics::scalar as s;

handlers! { |pc, r, vm, heap, code, cx|
    Copy { dst, src } => r.set(dst, r.get(src));
    Copy2 { dst, dst2, src, src2 } => {
        r.set(dst, r.get(src));
        r.set(dst2, r.get(src2));
    };
    Const32 { dst, imm } => r.set(dst, u64::from(imm));
    Const64 { dst, imm } => r.set(dst, imm);
    Zero { cells } => {
        for c in u32::from(cells.first)..u32::from(cells.first) + u32::from(cells.n) {
            r.set(Slot(c as u16), 0);
        }
    };
    ConstV { dst, index } => r.set_v128(dst, *cx.func.consts.get(index as usize).ok_or(NO_CONSTANT)?);

    I32Add { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_add(r.i32(b)));
    I32Sub { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_sub(r.i32(b)));
    I32Mul { dst, a, b } => r.set_i32(dst, r.i32(a).wrapping_mul(r.i32(b)));
    I32And { dst, a, b } => r.set_i32(dst, r.i32(a) & r.i32(b));
    I32Or { dst, a, b } => r.set_i32(dst, r.i32(a) | r.i32(b));
    I32Xor { dst, a, b } => r.set_i32(dst, r.i32(a) ^ r.i32(b));
    I32Shl { dst, a, b } => r.set_i32(dst, s::i32_shl(r.i32(a), r.i32(b)));
    I32ShrS { dst, a, b } => r.set_i32(dst, s::i32_shr_s(r.i32(a), r.i32(b)));
    I32ShrU { dst, a, b } => r.set_i32(dst, s::i32_shr_u(r.i32(a), r.i32(b)));
    I32Rotl { dst, a, b } => r.set_i32(dst, s::i32_rotl(r.i32(a), r.i32(b)));
    I32Rotr { dst, a, b } => r.set_i32(dst, s::i32_rotr(r.i32(a), r.i32(b)));
    I32DivS { dst, a, b } => r.set_i32(dst, s::i32_div_s(r.i32(a), r.i32(b)).map_err(int_trap)?);
    I32DivU { dst, a, b } => r.set_i32(dst, s::i32_div_u(r.i32(a), r.i32(b)).map_err(int_trap)?);
    I32RemS { dst, a, b } => r.set_i32(dst, s::i32_rem_s(r.i32(a), r.i32(b)).map_err(int_trap)?);
    I32RemU { dst, a, b } => r.set_i32(dst, s::i32_rem_u(r.i32(a), r.i32(b)).map_err(int_trap)?);
    I32AddImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_add(imm));
    I32ShrUAnd { dst, a, k, mask } => r.set_i32(dst, ((r.i32(a) as u32 >> (k & 31)) as i32) & mask);
    I32AddShrUAnd { dst, base, a, k, mask } => {
        r.set_i32(dst, r.i32(base).wrapping_add(((r.i32(a) as u32 >> (k & 31)) as i32) & mask))
    };
    I32ShlAdd { dst, a, b, k } => r.set_i32(dst, r.i32(a).wrapping_add(r.i32(b) << (k & 31)));
    I32XorAnd { dst, a, b, mask } => r.set_i32(dst, (r.i32(a) ^ r.i32(b)) & mask);
    I32AddAnd { dst, a, b, mask } => r.set_i32(dst, r.i32(a).wrapping_add(r.i32(b)) & mask);
    I32ShlXor { dst, a, k, b } => r.set_i32(dst, (r.i32(a) << (k & 31)) ^ r.i32(b));
    I32ShrUXor { dst, a, k, b } => r.set_i32(dst, ((r.i32(a) as u32 >> (k & 31)) as i32) ^ r.i32(b));
    I32SubImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_sub(imm));
    I32MulImm { dst, a, imm } => r.set_i32(dst, r.i32(a).wrapping_mul(imm));
    I32AndImm { dst, a, imm } => r.set_i32(dst, r.i32(a) & imm);
    I32OrImm { dst, a, imm } => r.set_i32(dst, r.i32(a) | imm);
    I32XorImm { dst, a, imm } => r.set_i32(dst, r.i32(a) ^ imm);
    I32ShlImm { dst, a, imm } => r.set_i32(dst, s::i32_shl(r.i32(a), imm));
    I32ShrSImm { dst, a, imm } => r.set_i32(dst, s::i32_shr_s(r.i32(a), imm));
    I32ShrUImm { dst, a, imm } => r.set_i32(dst, s::i32_shr_u(r.i32(a), imm));
    I32RotlImm { dst, a, imm } => r.set_i32(dst, s::i32_rotl(r.i32(a), imm));
    I32RotrImm { dst, a, imm } => r.set_i32(dst, s::i32_rotr(r.i32(a), imm));
    I32ImmShl { dst, imm, b } => r.set_i32(dst, s::i32_shl(imm, r.i32(b)));
    I32ImmRotl { dst, imm, b } => r.set_i32(dst, s::i32_rotl(imm, r.i32(b)));
    I32ImmSub { dst, imm, b } => r.set_i32(dst, imm.wrapping_sub(r.i32(b)));
    I32DivSImm { dst, a, imm } => r.set_i32(dst, s::i32_div_s(r.i32(a), imm).map_err(int_trap)?);
    I32DivUImm { dst, a, imm } => r.set_i32(dst, s::i32_div_u(r.i32(a), imm).map_err(int_trap)?);
    I32RemSImm { dst, a, imm } => r.set_i32(dst, s::i32_rem_s(r.i32(a), imm).map_err(int_trap)?);
    I32RemUImm { dst, a, imm } => r.set_i32(dst, s::i32_rem_u(r.i32(a), imm).map_err(int_trap)?);
    I32Clz { dst, a } => r.set_i32(dst, s::i32_clz(r.i32(a)));
    I32Ctz { dst, a } => r.set_i32(dst, s::i32_ctz(r.i32(a)));
    I32Popcnt { dst, a } => r.set_i32(dst, s::i32_popcnt(r.i32(a)));
    I32Extend8S { dst, a } => r.set_i32(dst, s::i32_extend8_s(r.i32(a)));
    I32Extend16S { dst, a } => r.set_i32(dst, s::i32_extend16_s(r.i32(a)));
    I32WrapI64 { dst, a } => r.set_i32(dst, s::i32_wrap_i64(r.i64(a)));

    I64Add { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_add(r.i64(b)));
    I64Sub { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_sub(r.i64(b)));
    I64Mul { dst, a, b } => r.set_i64(dst, r.i64(a).wrapping_mul(r.i64(b)));
    I64And { dst, a, b } => r.set_i64(dst, r.i64(a) & r.i64(b));
    I64Or { dst, a, b } => r.set_i64(dst, r.i64(a) | r.i64(b));
    I64Xor { dst, a, b } => r.set_i64(dst, r.i64(a) ^ r.i64(b));
    I64Shl { dst, a, b } => r.set_i64(dst, s::i64_shl(r.i64(a), r.i64(b)));
    I64ShrS { dst, a, b } => r.set_i64(dst, s::i64_shr_s(r.i64(a), r.i64(b)));
    I64ShrU { dst, a, b } => r.set_i64(dst, s::i64_shr_u(r.i64(a), r.i64(b)));
    I64Rotl { dst, a, b } => r.set_i64(dst, s::i64_rotl(r.i64(a), r.i64(b)));
    I64Rotr { dst, a, b } => r.set_i64(dst, s::i64_rotr(r.i64(a), r.i64(b)));
    I64DivS { dst, a, b } => r.set_i64(dst, s::i64_div_s(r.i64(a), r.i64(b)).map_err(int_trap)?);
    I64DivU { dst, a, b } => r.set_i64(dst, s::i64_div_u(r.i64(a), r.i64(b)).map_err(int_trap)?);
    I64RemS { dst, a, b } => r.set_i64(dst, s::i64_rem_s(r.i64(a), r.i64(b)).map_err(int_trap)?);
    I64RemU { dst, a, b } => r.set_i64(dst, s::i64_rem_u(r.i64(a), r.i64(b)).map_err(int_trap)?);
    I64AddImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_add(imm));
    I64SubImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_sub(imm));
    I64ShrUAnd { dst, a, k, mask } => r.set_i64(dst, ((r.i64(a) as u64 >> (k & 63)) as i64) & mask);
    I64XorMul { dst, a, b, imm } => r.set_i64(dst, (r.i64(a) ^ r.i64(b)).wrapping_mul(imm));
    I64ShlXor { dst, a, k, b } => r.set_i64(dst, (r.i64(a) << (k & 63)) ^ r.i64(b));
    I64ShrUXor { dst, a, k, b } => r.set_i64(dst, ((r.i64(a) as u64 >> (k & 63)) as i64) ^ r.i64(b));
    I64MulImm { dst, a, imm } => r.set_i64(dst, r.i64(a).wrapping_mul(imm));
    I64AndImm { dst, a, imm } => r.set_i64(dst, r.i64(a) & imm);
    I64OrImm { dst, a, imm } => r.set_i64(dst, r.i64(a) | imm);
    I64XorImm { dst, a, imm } => r.set_i64(dst, r.i64(a) ^ imm);
    I64ShlImm { dst, a, imm } => r.set_i64(dst, s::i64_shl(r.i64(a), imm));
    I64ShrSImm { dst, a, imm } => r.set_i64(dst, s::i64_shr_s(r.i64(a), imm));
    I64ShrUImm { dst, a, imm } => r.set_i64(dst, s::i64_shr_u(r.i64(a), imm));
    I64RotlImm { dst, a, imm } => r.set_i64(dst, s::i64_rotl(r.i64(a), imm));
    I64RotrImm { dst, a, imm } => r.set_i64(dst, s::i64_rotr(r.i64(a), imm));
    I64DivSImm { dst, a, imm } => r.set_i64(dst, s::i64_div_s(r.i64(a), imm).map_err(int_trap)?);
    I64DivUImm { dst, a, imm } => r.set_i64(dst, s::i64_div_u(r.i64(a), imm).map_err(int_trap)?);
    I64RemSImm { dst, a, imm } => r.set_i64(dst, s::i64_rem_s(r.i64(a), imm).map_err(int_trap)?);
    I64RemUImm { dst, a, imm } => r.set_i64(dst, s::i64_rem_u(r.i64(a), imm).map_err(int_trap)?);
    I64Clz { dst, a } => r.set_i64(dst, s::i64_clz(r.i64(a)));
    I64Ctz { dst, a } => r.set_i64(dst, s::i64_ctz(r.i64(a)));
    I64Popcnt { dst, a } => r.set_i64(dst, s::i64_popcnt(r.i64(a)));
    I64Extend8S { dst, a } => r.set_i64(dst, s::i64_extend8_s(r.i64(a)));
    I64Extend16S { dst, a } => r.set_i64(dst, s::i64_extend16_s(r.i64(a)));
    I64Extend32S { dst, a } => r.set_i64(dst, s::i64_extend32_s(r.i64(a)));
    I64ExtendI32S { dst, a } => r.set_i64(dst, s::i64_extend_i32_s(r.i32(a)));

    I32Eq { dst, a, b } => r.set_bool(dst, r.i32(a) == r.i32(b));
    I32Ne { dst, a, b } => r.set_bool(dst, r.i32(a) != r.i32(b));
    I32LtS { dst, a, b } => r.set_bool(dst, r.i32(a) < r.i32(b));
    I32LtU { dst, a, b } => r.set_bool(dst, (r.i32(a) as u32) < r.i32(b) as u32);
    I32GtS { dst, a, b } => r.set_bool(dst, r.i32(a) > r.i32(b));
    I32GtU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 > r.i32(b) as u32);
    I32LeS { dst, a, b } => r.set_bool(dst, r.i32(a) <= r.i32(b));
    I32LeU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 <= r.i32(b) as u32);
    I32GeS { dst, a, b } => r.set_bool(dst, r.i32(a) >= r.i32(b));
    I32GeU { dst, a, b } => r.set_bool(dst, r.i32(a) as u32 >= r.i32(b) as u32);
    I32EqImm { dst, a, imm } => r.set_bool(dst, r.i32(a) == imm);
    I32NeImm { dst, a, imm } => r.set_bool(dst, r.i32(a) != imm);
    I32LtSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) < imm);
    I32LtUImm { dst, a, imm } => r.set_bool(dst, (r.i32(a) as u32) < imm as u32);
    I32GtSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) > imm);
    I32GtUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 > imm as u32);
    I32LeSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) <= imm);
    I32LeUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 <= imm as u32);
    I32GeSImm { dst, a, imm } => r.set_bool(dst, r.i32(a) >= imm);
    I32GeUImm { dst, a, imm } => r.set_bool(dst, r.i32(a) as u32 >= imm as u32);
    I64Eq { dst, a, b } => r.set_bool(dst, r.i64(a) == r.i64(b));
    I64Ne { dst, a, b } => r.set_bool(dst, r.i64(a) != r.i64(b));
    I64LtS { dst, a, b } => r.set_bool(dst, r.i64(a) < r.i64(b));
    I64LtU { dst, a, b } => r.set_bool(dst, r.get(a) < r.get(b));
    I64GtS { dst, a, b } => r.set_bool(dst, r.i64(a) > r.i64(b));
    I64GtU { dst, a, b } => r.set_bool(dst, r.get(a) > r.get(b));
    I64LeS { dst, a, b } => r.set_bool(dst, r.i64(a) <= r.i64(b));
    I64LeU { dst, a, b } => r.set_bool(dst, r.get(a) <= r.get(b));
    I64GeS { dst, a, b } => r.set_bool(dst, r.i64(a) >= r.i64(b));
    I64GeU { dst, a, b } => r.set_bool(dst, r.get(a) >= r.get(b));
    I64EqImm { dst, a, imm } => r.set_bool(dst, r.i64(a) == imm);
    I64NeImm { dst, a, imm } => r.set_bool(dst, r.i64(a) != imm);
    I64LtSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) < imm);
    I64LtUImm { dst, a, imm } => r.set_bool(dst, r.get(a) < imm as u64);
    I64GtSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) > imm);
    I64GtUImm { dst, a, imm } => r.set_bool(dst, r.get(a) > imm as u64);
    I64LeSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) <= imm);
    I64LeUImm { dst, a, imm } => r.set_bool(dst, r.get(a) <= imm as u64);
    I64GeSImm { dst, a, imm } => r.set_bool(dst, r.i64(a) >= imm);
    I64GeUImm { dst, a, imm } => r.set_bool(dst, r.get(a) >= imm as u64);

    F32Add { dst, a, b } => r.set_f32(dst, r.f32(a) + r.f32(b));
    F32Sub { dst, a, b } => r.set_f32(dst, r.f32(a) - r.f32(b));
    F32Mul { dst, a, b } => r.set_f32(dst, r.f32(a) * r.f32(b));
    F32Div { dst, a, b } => r.set_f32(dst, r.f32(a) / r.f32(b));
    F32Min { dst, a, b } => r.set_f32(dst, s::f32_min(r.f32(a), r.f32(b)));
    F32Max { dst, a, b } => r.set_f32(dst, s::f32_max(r.f32(a), r.f32(b)));
    F32Copysign { dst, a, b } => r.set_f32(dst, s::f32_copysign(r.f32(a), r.f32(b)));
    F32Abs { dst, a } => r.set_f32(dst, s::f32_abs(r.f32(a)));
    F32Neg { dst, a } => r.set_f32(dst, s::f32_neg(r.f32(a)));
    F32Sqrt { dst, a } => r.set_f32(dst, s::f32_sqrt(r.f32(a)));
    F32Ceil { dst, a } => r.set_f32(dst, s::f32_ceil(r.f32(a)));
    F32Floor { dst, a } => r.set_f32(dst, s::f32_floor(r.f32(a)));
    F32Trunc { dst, a } => r.set_f32(dst, s::f32_trunc(r.f32(a)));
    F32Nearest { dst, a } => r.set_f32(dst, s::f32_nearest(r.f32(a)));
    F64Add { dst, a, b } => r.set_f64(dst, r.f64(a) + r.f64(b));
    F64Sub { dst, a, b } => r.set_f64(dst, r.f64(a) - r.f64(b));
    F64Mul { dst, a, b } => r.set_f64(dst, r.f64(a) * r.f64(b));
    F64Div { dst, a, b } => r.set_f64(dst, r.f64(a) / r.f64(b));
    F64Min { dst, a, b } => r.set_f64(dst, s::f64_min(r.f64(a), r.f64(b)));
    F64Max { dst, a, b } => r.set_f64(dst, s::f64_max(r.f64(a), r.f64(b)));
    F64Copysign { dst, a, b } => r.set_f64(dst, s::f64_copysign(r.f64(a), r.f64(b)));
    F64Abs { dst, a } => r.set_f64(dst, s::f64_abs(r.f64(a)));
    F64Neg { dst, a } => r.set_f64(dst, s::f64_neg(r.f64(a)));
    F64Sqrt { dst, a } => r.set_f64(dst, s::f64_sqrt(r.f64(a)));
    F64Ceil { dst, a } => r.set_f64(dst, s::f64_ceil(r.f64(a)));
    F64Floor { dst, a } => r.set_f64(dst, s::f64_floor(r.f64(a)));
    F64Trunc { dst, a } => r.set_f64(dst, s::f64_trunc(r.f64(a)));
    F64Nearest { dst, a } => r.set_f64(dst, s::f64_nearest(r.f64(a)));
    F32AddAdd { dst, a, b, c } => r.set_f32(dst, (r.f32(a) + r.f32(b)) + r.f32(c));
    F32AddSub { dst, a, b, c } => r.set_f32(dst, (r.f32(a) + r.f32(b)) - r.f32(c));
    F32AddRsub { dst, a, b, c } => r.set_f32(dst, r.f32(c) - (r.f32(a) + r.f32(b)));
    F32AddMul { dst, a, b, c } => r.set_f32(dst, (r.f32(a) + r.f32(b)) * r.f32(c));
    F32SubAdd { dst, a, b, c } => r.set_f32(dst, (r.f32(a) - r.f32(b)) + r.f32(c));
    F32SubSub { dst, a, b, c } => r.set_f32(dst, (r.f32(a) - r.f32(b)) - r.f32(c));
    F32SubRsub { dst, a, b, c } => r.set_f32(dst, r.f32(c) - (r.f32(a) - r.f32(b)));
    F32SubMul { dst, a, b, c } => r.set_f32(dst, (r.f32(a) - r.f32(b)) * r.f32(c));
    F32MulAdd { dst, a, b, c } => r.set_f32(dst, (r.f32(a) * r.f32(b)) + r.f32(c));
    F32MulSub { dst, a, b, c } => r.set_f32(dst, (r.f32(a) * r.f32(b)) - r.f32(c));
    F32MulRsub { dst, a, b, c } => r.set_f32(dst, r.f32(c) - (r.f32(a) * r.f32(b)));
    F32MulMul { dst, a, b, c } => r.set_f32(dst, (r.f32(a) * r.f32(b)) * r.f32(c));
    F64AddAdd { dst, a, b, c } => r.set_f64(dst, (r.f64(a) + r.f64(b)) + r.f64(c));
    F64AddSub { dst, a, b, c } => r.set_f64(dst, (r.f64(a) + r.f64(b)) - r.f64(c));
    F64AddRsub { dst, a, b, c } => r.set_f64(dst, r.f64(c) - (r.f64(a) + r.f64(b)));
    F64AddMul { dst, a, b, c } => r.set_f64(dst, (r.f64(a) + r.f64(b)) * r.f64(c));
    F64SubAdd { dst, a, b, c } => r.set_f64(dst, (r.f64(a) - r.f64(b)) + r.f64(c));
    F64SubSub { dst, a, b, c } => r.set_f64(dst, (r.f64(a) - r.f64(b)) - r.f64(c));
    F64SubRsub { dst, a, b, c } => r.set_f64(dst, r.f64(c) - (r.f64(a) - r.f64(b)));
    F64SubMul { dst, a, b, c } => r.set_f64(dst, (r.f64(a) - r.f64(b)) * r.f64(c));
    F64MulAdd { dst, a, b, c } => r.set_f64(dst, (r.f64(a) * r.f64(b)) + r.f64(c));
    F64MulSub { dst, a, b, c } => r.set_f64(dst, (r.f64(a) * r.f64(b)) - r.f64(c));
    F64MulRsub { dst, a, b, c } => r.set_f64(dst, r.f64(c) - (r.f64(a) * r.f64(b)));
    F64MulMul { dst, a, b, c } => r.set_f64(dst, (r.f64(a) * r.f64(b)) * r.f64(c));
    F32Eq { dst, a, b } => r.set_bool(dst, r.f32(a) == r.f32(b));
    F32Ne { dst, a, b } => r.set_bool(dst, r.f32(a) != r.f32(b));
    F32Lt { dst, a, b } => r.set_bool(dst, r.f32(a) < r.f32(b));
    F32Gt { dst, a, b } => r.set_bool(dst, r.f32(a) > r.f32(b));
    F32Le { dst, a, b } => r.set_bool(dst, r.f32(a) <= r.f32(b));
    F32Ge { dst, a, b } => r.set_bool(dst, r.f32(a) >= r.f32(b));
    F64Eq { dst, a, b } => r.set_bool(dst, r.f64(a) == r.f64(b));
    F64Ne { dst, a, b } => r.set_bool(dst, r.f64(a) != r.f64(b));
    F64Lt { dst, a, b } => r.set_bool(dst, r.f64(a) < r.f64(b));
    F64Gt { dst, a, b } => r.set_bool(dst, r.f64(a) > r.f64(b));
    F64Le { dst, a, b } => r.set_bool(dst, r.f64(a) <= r.f64(b));
    F64Ge { dst, a, b } => r.set_bool(dst, r.f64(a) >= r.f64(b));

    F32DemoteF64 { dst, a } => r.set_f32(dst, s::f32_demote_f64(r.f64(a)));
    F64PromoteF32 { dst, a } => r.set_f64(dst, s::f64_promote_f32(r.f32(a)));
    I32TruncF32S { dst, a } => r.set_i32(dst, s::i32_trunc_f32_s(r.f32(a)).map_err(trunc_trap)?);
    I32TruncF32U { dst, a } => r.set_i32(dst, s::i32_trunc_f32_u(r.f32(a)).map_err(trunc_trap)?);
    I32TruncF64S { dst, a } => r.set_i32(dst, s::i32_trunc_f64_s(r.f64(a)).map_err(trunc_trap)?);
    I32TruncF64U { dst, a } => r.set_i32(dst, s::i32_trunc_f64_u(r.f64(a)).map_err(trunc_trap)?);
    I64TruncF32S { dst, a } => r.set_i64(dst, s::i64_trunc_f32_s(r.f32(a)).map_err(trunc_trap)?);
    I64TruncF32U { dst, a } => r.set_i64(dst, s::i64_trunc_f32_u(r.f32(a)).map_err(trunc_trap)?);
    I64TruncF64S { dst, a } => r.set_i64(dst, s::i64_trunc_f64_s(r.f64(a)).map_err(trunc_trap)?);
    I64TruncF64U { dst, a } => r.set_i64(dst, s::i64_trunc_f64_u(r.f64(a)).map_err(trunc_trap)?);
    I32TruncSatF32S { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f32_s(r.f32(a)));
    I32TruncSatF32U { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f32_u(r.f32(a)));
    I32TruncSatF64S { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f64_s(r.f64(a)));
    I32TruncSatF64U { dst, a } => r.set_i32(dst, s::i32_trunc_sat_f64_u(r.f64(a)));
    I64TruncSatF32S { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f32_s(r.f32(a)));
    I64TruncSatF32U { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f32_u(r.f32(a)));
    I64TruncSatF64S { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f64_s(r.f64(a)));
    I64TruncSatF64U { dst, a } => r.set_i64(dst, s::i64_trunc_sat_f64_u(r.f64(a)));
    F32ConvertI32S { dst, a } => r.set_f32(dst, s::f32_convert_i32_s(r.i32(a)));
    F32ConvertI32U { dst, a } => r.set_f32(dst, s::f32_convert_i32_u(r.i32(a)));
    F32ConvertI64S { dst, a } => r.set_f32(dst, s::f32_convert_i64_s(r.i64(a)));
    F32ConvertI64U { dst, a } => r.set_f32(dst, s::f32_convert_i64_u(r.i64(a)));
    F64ConvertI32S { dst, a } => r.set_f64(dst, s::f64_convert_i32_s(r.i32(a)));
    F64ConvertI32U { dst, a } => r.set_f64(dst, s::f64_convert_i32_u(r.i32(a)));
    F64ConvertI64S { dst, a } => r.set_f64(dst, s::f64_convert_i64_s(r.i64(a)));
    F64ConvertI64U { dst, a } => r.set_f64(dst, s::f64_convert_i64_u(r.i64(a)));

    Select { dst, c, a, b } => r.set(dst, if r.i32(c) != 0 { r.get(a) } else { r.get(b) });
    SelectV { dst, c, a, b } => r.set_v128(dst, if r.i32(c) != 0 { r.v128(a) } else { r.v128(b) });
    SelectI32Cmp { dst, cond, a, b, x, y } => {
        r.set(dst, if cond.eval(r.get(a) as i64, r.get(b) as i64, false) { r.get(x) } else { r.get(y) })
    };
    SelectI32CmpImm { dst, cond, a, imm, x, y } => {
        r.set(dst, if cond.eval(r.get(a) as i64, i64::from(imm), false) { r.get(x) } else { r.get(y) })
    };
    SelectI64Cmp { dst, cond, a, b, x, y } => {
        r.set(dst, if cond.eval(r.get(a) as i64, r.get(b) as i64, true) { r.get(x) } else { r.get(y) })
    };
    SelectI64CmpImm { dst, cond, a, imm, x, y } => {
        r.set(dst, if cond.eval(r.get(a) as i64, i64::from(imm), true) { r.get(x) } else { r.get(y) })
    };
}
