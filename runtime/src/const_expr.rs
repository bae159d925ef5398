//! Constant-expression evaluation for global initialisers and segment offsets
//! and items. Values are raw bits (see [`crate::values`]); the validator has
//! already type-checked the expression, so a plain stack of bits suffices.

use std::rc::Rc;

use zerowasm_frontend::module::{ConstExpr, ConstOp};

use crate::global::GlobalData;

/// What an expression may read.
pub(crate) struct ConstEnv<'a> {
    /// The globals visible to it: the imported ones (and, with extended-const,
    /// the defined ones initialised so far).
    pub(crate) globals: &'a [Rc<GlobalData>],
    /// The funcref value (`VmFuncRef` address) of every function of the module.
    pub(crate) funcrefs: &'a [u64],
}

/// Evaluates `expr`. Errors describe an expression the validator should have
/// rejected.
pub(crate) fn eval(expr: &ConstExpr, env: &ConstEnv<'_>) -> Result<u128, String> {
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    let at = expr.offset;
    for op in expr.ops.iter() {
        let v = match *op {
            ConstOp::I32Const(v) => u128::from(v as u32),
            ConstOp::I64Const(v) => u128::from(v as u64),
            ConstOp::F32Const(bits) => u128::from(bits),
            ConstOp::F64Const(bits) => u128::from(bits),
            ConstOp::V128Const(v) => v,
            ConstOp::RefNull(_) => 0,
            ConstOp::RefFunc(f) => {
                let addr = env.funcrefs.get(f as usize).copied();
                u128::from(
                    addr.ok_or_else(|| format!("constant expression at {at:#x}: unknown function {f}"))?,
                )
            }
            ConstOp::GlobalGet(g) => {
                let global = env.globals.get(g as usize);
                global.ok_or_else(|| format!("constant expression at {at:#x}: unknown global {g}"))?.get()
            }
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                let (a, b) = pop2(&mut stack, at)?;
                let (a, b) = (a as u32, b as u32);
                u128::from(match *op {
                    ConstOp::I32Add => a.wrapping_add(b),
                    ConstOp::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                let (a, b) = pop2(&mut stack, at)?;
                let (a, b) = (a as u64, b as u64);
                u128::from(match *op {
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
        };
        stack.push(v);
    }
    match stack.as_slice() {
        [v] => Ok(*v),
        _ => Err(format!("constant expression at {at:#x} leaves {} values", stack.len())),
    }
}

fn pop2(stack: &mut Vec<u128>, at: usize) -> Result<(u128, u128), String> {
    let b = stack.pop();
    let a = stack.pop();
    a.zip(b).ok_or_else(|| format!("constant expression at {at:#x}: operand stack underflow"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerowasm_frontend::{GlobalType, RefType, ValType};

    fn expr(ops: &[ConstOp]) -> ConstExpr {
        ConstExpr { ops: ops.into(), offset: 0 }
    }

    #[test]
    fn evaluates_every_constant_instruction() {
        let g = Rc::new(GlobalData::new(GlobalType { content: ValType::I64, mutable: false }, 42));
        let globals = [g];
        let env = ConstEnv { globals: &globals, funcrefs: &[0x1000, 0x2000] };
        let e = |ops: &[ConstOp]| eval(&expr(ops), &env);
        assert_eq!(e(&[ConstOp::I32Const(-1)]), Ok(0xffff_ffff));
        assert_eq!(e(&[ConstOp::I64Const(-1)]), Ok(u128::from(u64::MAX)));
        assert_eq!(e(&[ConstOp::F32Const(0x7fc0_0001)]), Ok(0x7fc0_0001));
        assert_eq!(e(&[ConstOp::F64Const(1)]), Ok(1));
        assert_eq!(e(&[ConstOp::V128Const(u128::MAX)]), Ok(u128::MAX));
        assert_eq!(e(&[ConstOp::RefNull(RefType::FuncRef)]), Ok(0));
        assert_eq!(e(&[ConstOp::RefFunc(1)]), Ok(0x2000));
        assert_eq!(e(&[ConstOp::GlobalGet(0)]), Ok(42));
        assert_eq!(e(&[ConstOp::I32Const(i32::MAX), ConstOp::I32Const(1), ConstOp::I32Add]), Ok(0x8000_0000));
        assert_eq!(e(&[ConstOp::I32Const(1), ConstOp::I32Const(2), ConstOp::I32Sub]), Ok(0xffff_ffff));
        assert_eq!(e(&[ConstOp::GlobalGet(0), ConstOp::I64Const(3), ConstOp::I64Mul]), Ok(126));
    }

    #[test]
    fn malformed_expressions_are_errors_not_panics() {
        let env = ConstEnv { globals: &[], funcrefs: &[] };
        assert!(eval(&expr(&[]), &env).is_err());
        assert!(eval(&expr(&[ConstOp::I32Add]), &env).is_err());
        assert!(eval(&expr(&[ConstOp::RefFunc(0)]), &env).is_err());
        assert!(eval(&expr(&[ConstOp::GlobalGet(0)]), &env).is_err());
        assert!(eval(&expr(&[ConstOp::I32Const(0), ConstOp::I32Const(0)]), &env).is_err());
    }
}
