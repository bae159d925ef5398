//! Scalar numeric instructions: each [`SimpleOp`] outside SIMD maps to one IR
//! instruction (`eqz` to a compare with zero). Trapping operations (integer
//! division and remainder, float-to-int truncation) trap by themselves in the
//! IR, so no checks are emitted here.

use zerowasm_ssa::{FloatCC, IntCC, Opcode};

use super::{Lowerer, Result, ir_type};
use crate::features::CoreFeatures;
use crate::simple_ops::SimpleOp;

/// The IR form of a scalar simple op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scalar {
    Unary(Opcode),
    Binary(Opcode),
    Icmp(IntCC),
    Fcmp(FloatCC),
    /// `icmp eq x, 0`.
    Eqz,
}

/// The IR form of a non-SIMD simple op (`None` for SIMD ops).
pub(super) fn scalar(op: SimpleOp) -> Option<Scalar> {
    use Opcode as O;
    use Scalar::{Binary, Fcmp, Icmp, Unary};
    use SimpleOp as S;
    Some(match op {
        S::I32Eqz | S::I64Eqz => Scalar::Eqz,
        S::I32Eq | S::I64Eq => Icmp(IntCC::Eq),
        S::I32Ne | S::I64Ne => Icmp(IntCC::Ne),
        S::I32LtS | S::I64LtS => Icmp(IntCC::SignedLt),
        S::I32LtU | S::I64LtU => Icmp(IntCC::UnsignedLt),
        S::I32GtS | S::I64GtS => Icmp(IntCC::SignedGt),
        S::I32GtU | S::I64GtU => Icmp(IntCC::UnsignedGt),
        S::I32LeS | S::I64LeS => Icmp(IntCC::SignedLe),
        S::I32LeU | S::I64LeU => Icmp(IntCC::UnsignedLe),
        S::I32GeS | S::I64GeS => Icmp(IntCC::SignedGe),
        S::I32GeU | S::I64GeU => Icmp(IntCC::UnsignedGe),
        S::F32Eq | S::F64Eq => Fcmp(FloatCC::Eq),
        S::F32Ne | S::F64Ne => Fcmp(FloatCC::Ne),
        S::F32Lt | S::F64Lt => Fcmp(FloatCC::Lt),
        S::F32Gt | S::F64Gt => Fcmp(FloatCC::Gt),
        S::F32Le | S::F64Le => Fcmp(FloatCC::Le),
        S::F32Ge | S::F64Ge => Fcmp(FloatCC::Ge),
        S::I32Clz | S::I64Clz => Unary(O::Clz),
        S::I32Ctz | S::I64Ctz => Unary(O::Ctz),
        S::I32Popcnt | S::I64Popcnt => Unary(O::Popcnt),
        S::I32Add | S::I64Add => Binary(O::Iadd),
        S::I32Sub | S::I64Sub => Binary(O::Isub),
        S::I32Mul | S::I64Mul => Binary(O::Imul),
        S::I32DivS | S::I64DivS => Binary(O::Sdiv),
        S::I32DivU | S::I64DivU => Binary(O::Udiv),
        S::I32RemS | S::I64RemS => Binary(O::Srem),
        S::I32RemU | S::I64RemU => Binary(O::Urem),
        S::I32And | S::I64And => Binary(O::Band),
        S::I32Or | S::I64Or => Binary(O::Bor),
        S::I32Xor | S::I64Xor => Binary(O::Bxor),
        S::I32Shl | S::I64Shl => Binary(O::Ishl),
        S::I32ShrS | S::I64ShrS => Binary(O::Sshr),
        S::I32ShrU | S::I64ShrU => Binary(O::Ushr),
        S::I32Rotl | S::I64Rotl => Binary(O::Rotl),
        S::I32Rotr | S::I64Rotr => Binary(O::Rotr),
        S::F32Abs | S::F64Abs => Unary(O::Fabs),
        S::F32Neg | S::F64Neg => Unary(O::Fneg),
        S::F32Ceil | S::F64Ceil => Unary(O::Fceil),
        S::F32Floor | S::F64Floor => Unary(O::Ffloor),
        S::F32Trunc | S::F64Trunc => Unary(O::Ftrunc),
        S::F32Nearest | S::F64Nearest => Unary(O::Fnearest),
        S::F32Sqrt | S::F64Sqrt => Unary(O::Fsqrt),
        S::F32Add | S::F64Add => Binary(O::Fadd),
        S::F32Sub | S::F64Sub => Binary(O::Fsub),
        S::F32Mul | S::F64Mul => Binary(O::Fmul),
        S::F32Div | S::F64Div => Binary(O::Fdiv),
        S::F32Min | S::F64Min => Binary(O::Fmin),
        S::F32Max | S::F64Max => Binary(O::Fmax),
        S::F32Copysign | S::F64Copysign => Binary(O::Fcopysign),
        S::I32WrapI64 => Unary(O::Ireduce),
        S::I32TruncF32S | S::I32TruncF64S | S::I64TruncF32S | S::I64TruncF64S => Unary(O::FcvtToSint),
        S::I32TruncF32U | S::I32TruncF64U | S::I64TruncF32U | S::I64TruncF64U => Unary(O::FcvtToUint),
        S::I64ExtendI32S => Unary(O::Sextend),
        S::I64ExtendI32U => Unary(O::Uextend),
        S::F32ConvertI32S | S::F32ConvertI64S | S::F64ConvertI32S | S::F64ConvertI64S => {
            Unary(O::FcvtFromSint)
        }
        S::F32ConvertI32U | S::F32ConvertI64U | S::F64ConvertI32U | S::F64ConvertI64U => {
            Unary(O::FcvtFromUint)
        }
        S::F32DemoteF64 => Unary(O::Fdemote),
        S::F64PromoteF32 => Unary(O::Fpromote),
        S::I32ReinterpretF32 | S::I64ReinterpretF64 | S::F32ReinterpretI32 | S::F64ReinterpretI64 => {
            Unary(O::Bitcast)
        }
        S::I32Extend8S | S::I64Extend8S => Unary(O::Sextend8),
        S::I32Extend16S | S::I64Extend16S => Unary(O::Sextend16),
        S::I64Extend32S => Unary(O::Sextend32),
        S::I32TruncSatF32S | S::I32TruncSatF64S | S::I64TruncSatF32S | S::I64TruncSatF64S => {
            Unary(O::FcvtToSintSat)
        }
        S::I32TruncSatF32U | S::I32TruncSatF64U | S::I64TruncSatF32U | S::I64TruncSatF64U => {
            Unary(O::FcvtToUintSat)
        }
        _ => return None,
    })
}

impl Lowerer<'_, '_> {
    /// A simple op: scalar ones here, SIMD ones in `simd`.
    pub(super) fn simple(&mut self, op: SimpleOp) -> Result<()> {
        if op.feature() == Some(CoreFeatures::SIMD) {
            return self.vector(op);
        }
        let Some(form) = scalar(op) else {
            return Err(self.invalid(format!("cannot lower {}", op.name())));
        };
        let result = ir_type(op.sig().result);
        let v = match form {
            Scalar::Unary(opcode) => {
                let a = self.pop()?;
                self.b.unary(opcode, result, a)
            }
            Scalar::Binary(opcode) => {
                let b = self.pop()?;
                let a = self.pop()?;
                self.b.binary(opcode, result, a, b)
            }
            Scalar::Icmp(cond) => {
                let b = self.pop()?;
                let a = self.pop()?;
                self.b.icmp(cond, a, b)
            }
            Scalar::Fcmp(cond) => {
                let b = self.pop()?;
                let a = self.pop()?;
                self.b.fcmp(cond, a, b)
            }
            Scalar::Eqz => {
                let a = self.pop()?;
                let ty = self.b.value_type(a);
                if !ty.is_int() {
                    return Err(self.invalid(format!("type mismatch: {} of {ty}", op.name())));
                }
                let zero = self.b.iconst(ty, 0);
                self.b.icmp(IntCC::Eq, a, zero)
            }
        };
        self.push(v);
        Ok(())
    }
}
