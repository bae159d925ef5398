//! SIMD instructions. The lane-wise operations are [`VecOp`]s, named exactly
//! as the Wasm text format names them, so the frontend's [`SimpleOp`]s map to
//! them by name through a table built once. Lane extraction and replacement,
//! shuffles and constants have their own IR instructions.

use std::sync::OnceLock;

use zerowasm_ssa::{LaneShape, VecOp};

use super::{Lowerer, Result};
use crate::operator::LaneOp;
use crate::simple_ops::SimpleOp;

/// The vector op of each simple op, indexed by `SimpleOp as usize` (its
/// position in [`SimpleOp::ALL`]); `None` for scalar ops.
pub(super) fn vec_op(op: SimpleOp) -> Option<VecOp> {
    static TABLE: OnceLock<Box<[Option<VecOp>]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| SimpleOp::ALL.iter().map(|op| VecOp::from_name(op.name())).collect());
    table.get(op as usize).copied().flatten()
}

/// The lane shape of an extract/replace instruction.
fn lane_shape(op: LaneOp) -> LaneShape {
    match op {
        LaneOp::I8x16ExtractLaneS => LaneShape::I8x16S,
        // Replacing stores the low bits: signedness is moot, `_u` by convention.
        LaneOp::I8x16ExtractLaneU | LaneOp::I8x16ReplaceLane => LaneShape::I8x16U,
        LaneOp::I16x8ExtractLaneS => LaneShape::I16x8S,
        LaneOp::I16x8ExtractLaneU | LaneOp::I16x8ReplaceLane => LaneShape::I16x8U,
        LaneOp::I32x4ExtractLane | LaneOp::I32x4ReplaceLane => LaneShape::I32x4,
        LaneOp::I64x2ExtractLane | LaneOp::I64x2ReplaceLane => LaneShape::I64x2,
        LaneOp::F32x4ExtractLane | LaneOp::F32x4ReplaceLane => LaneShape::F32x4,
        LaneOp::F64x2ExtractLane | LaneOp::F64x2ReplaceLane => LaneShape::F64x2,
    }
}

impl Lowerer<'_, '_> {
    /// A lane-wise SIMD simple op.
    pub(super) fn vector(&mut self, op: SimpleOp) -> Result<()> {
        let Some(vop) = vec_op(op) else {
            return Err(self.invalid(format!("no IR vector operation for {}", op.name())));
        };
        let n = vop.arity();
        let start = self.height_below(n)?;
        let operands = &self.st.stack[start..];
        if operands.iter().zip(vop.sig().params).any(|(&v, &t)| self.b.value_type(v) != t) {
            return Err(self.invalid(format!("type mismatch: operands of {}", op.name())));
        }
        let v = self.b.vector(vop, operands);
        self.st.stack.truncate(start);
        self.push(v);
        Ok(())
    }

    pub(super) fn lane(&mut self, op: LaneOp, lane: u8) -> Result<()> {
        let shape = lane_shape(op);
        if lane >= shape.lanes() {
            return Err(self.invalid("invalid lane index"));
        }
        let v = if op.is_replace() {
            let scalar = self.pop()?;
            let vec = self.pop()?;
            self.b.insert_lane(shape, lane, vec, scalar)
        } else {
            let vec = self.pop()?;
            self.b.extract_lane(shape, lane, vec)
        };
        self.push(v);
        Ok(())
    }

    pub(super) fn shuffle(&mut self, mask: [u8; 16]) -> Result<()> {
        let b = self.pop()?;
        let a = self.pop()?;
        let v = self.b.shuffle(a, b, mask);
        self.push(v);
        Ok(())
    }
}
