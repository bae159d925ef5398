//! `VecOp`: the lane-wise SIMD operations. They are pure, have a fixed
//! signature, and are named as in the Wasm text format because that is the
//! vocabulary both backends and contributors read. (The binary encoding lives
//! in the frontend; the frontend maps its opcodes here by name.)

use crate::types::Type::{self, F32, F64, I32, I64, V128};

/// Operand types and result type of a vector operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VecSig {
    /// Operand types, in order.
    pub params: &'static [Type],
    /// Result type.
    pub result: Type,
}

const fn s(params: &'static [Type], result: Type) -> VecSig {
    VecSig { params, result }
}

const V_V: VecSig = s(&[V128], V128);
const VV_V: VecSig = s(&[V128, V128], V128);
const VVV_V: VecSig = s(&[V128, V128, V128], V128);
const V_I32: VecSig = s(&[V128], I32);
const VI32_V: VecSig = s(&[V128, I32], V128);
const I32_V: VecSig = s(&[I32], V128);
const I64_V: VecSig = s(&[I64], V128);
const F32_V: VecSig = s(&[F32], V128);
const F64_V: VecSig = s(&[F64], V128);

macro_rules! vec_ops {
    ($($name:ident: $text:literal, $sig:ident;)*) => {
        /// A lane-wise SIMD operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum VecOp { $($name,)* }

        impl VecOp {
            /// Every vector op.
            pub const ALL: &'static [VecOp] = &[$(VecOp::$name,)*];

            /// The text name (`i8x16.add`).
            pub fn name(self) -> &'static str {
                match self { $(VecOp::$name => $text,)* }
            }

            /// Operand and result types.
            pub fn sig(self) -> VecSig {
                match self { $(VecOp::$name => $sig,)* }
            }
        }
    };
}

impl VecOp {
    /// Number of operands.
    pub fn arity(self) -> usize {
        self.sig().params.len()
    }

    /// Looks an op up by its text name.
    pub fn from_name(name: &str) -> Option<VecOp> {
        VecOp::ALL.iter().copied().find(|op| op.name() == name)
    }
}

vec_ops! {
    I8x16Swizzle: "i8x16.swizzle", VV_V;
    I8x16Splat: "i8x16.splat", I32_V;
    I16x8Splat: "i16x8.splat", I32_V;
    I32x4Splat: "i32x4.splat", I32_V;
    I64x2Splat: "i64x2.splat", I64_V;
    F32x4Splat: "f32x4.splat", F32_V;
    F64x2Splat: "f64x2.splat", F64_V;
    I8x16Eq: "i8x16.eq", VV_V;
    I8x16Ne: "i8x16.ne", VV_V;
    I8x16LtS: "i8x16.lt_s", VV_V;
    I8x16LtU: "i8x16.lt_u", VV_V;
    I8x16GtS: "i8x16.gt_s", VV_V;
    I8x16GtU: "i8x16.gt_u", VV_V;
    I8x16LeS: "i8x16.le_s", VV_V;
    I8x16LeU: "i8x16.le_u", VV_V;
    I8x16GeS: "i8x16.ge_s", VV_V;
    I8x16GeU: "i8x16.ge_u", VV_V;
    I16x8Eq: "i16x8.eq", VV_V;
    I16x8Ne: "i16x8.ne", VV_V;
    I16x8LtS: "i16x8.lt_s", VV_V;
    I16x8LtU: "i16x8.lt_u", VV_V;
    I16x8GtS: "i16x8.gt_s", VV_V;
    I16x8GtU: "i16x8.gt_u", VV_V;
    I16x8LeS: "i16x8.le_s", VV_V;
    I16x8LeU: "i16x8.le_u", VV_V;
    I16x8GeS: "i16x8.ge_s", VV_V;
    I16x8GeU: "i16x8.ge_u", VV_V;
    I32x4Eq: "i32x4.eq", VV_V;
    I32x4Ne: "i32x4.ne", VV_V;
    I32x4LtS: "i32x4.lt_s", VV_V;
    I32x4LtU: "i32x4.lt_u", VV_V;
    I32x4GtS: "i32x4.gt_s", VV_V;
    I32x4GtU: "i32x4.gt_u", VV_V;
    I32x4LeS: "i32x4.le_s", VV_V;
    I32x4LeU: "i32x4.le_u", VV_V;
    I32x4GeS: "i32x4.ge_s", VV_V;
    I32x4GeU: "i32x4.ge_u", VV_V;
    F32x4Eq: "f32x4.eq", VV_V;
    F32x4Ne: "f32x4.ne", VV_V;
    F32x4Lt: "f32x4.lt", VV_V;
    F32x4Gt: "f32x4.gt", VV_V;
    F32x4Le: "f32x4.le", VV_V;
    F32x4Ge: "f32x4.ge", VV_V;
    F64x2Eq: "f64x2.eq", VV_V;
    F64x2Ne: "f64x2.ne", VV_V;
    F64x2Lt: "f64x2.lt", VV_V;
    F64x2Gt: "f64x2.gt", VV_V;
    F64x2Le: "f64x2.le", VV_V;
    F64x2Ge: "f64x2.ge", VV_V;
    V128Not: "v128.not", V_V;
    V128And: "v128.and", VV_V;
    V128AndNot: "v128.andnot", VV_V;
    V128Or: "v128.or", VV_V;
    V128Xor: "v128.xor", VV_V;
    V128Bitselect: "v128.bitselect", VVV_V;
    V128AnyTrue: "v128.any_true", V_I32;
    F32x4DemoteF64x2Zero: "f32x4.demote_f64x2_zero", V_V;
    F64x2PromoteLowF32x4: "f64x2.promote_low_f32x4", V_V;
    I8x16Abs: "i8x16.abs", V_V;
    I8x16Neg: "i8x16.neg", V_V;
    I8x16Popcnt: "i8x16.popcnt", V_V;
    I8x16AllTrue: "i8x16.all_true", V_I32;
    I8x16Bitmask: "i8x16.bitmask", V_I32;
    I8x16NarrowI16x8S: "i8x16.narrow_i16x8_s", VV_V;
    I8x16NarrowI16x8U: "i8x16.narrow_i16x8_u", VV_V;
    F32x4Ceil: "f32x4.ceil", V_V;
    F32x4Floor: "f32x4.floor", V_V;
    F32x4Trunc: "f32x4.trunc", V_V;
    F32x4Nearest: "f32x4.nearest", V_V;
    I8x16Shl: "i8x16.shl", VI32_V;
    I8x16ShrS: "i8x16.shr_s", VI32_V;
    I8x16ShrU: "i8x16.shr_u", VI32_V;
    I8x16Add: "i8x16.add", VV_V;
    I8x16AddSatS: "i8x16.add_sat_s", VV_V;
    I8x16AddSatU: "i8x16.add_sat_u", VV_V;
    I8x16Sub: "i8x16.sub", VV_V;
    I8x16SubSatS: "i8x16.sub_sat_s", VV_V;
    I8x16SubSatU: "i8x16.sub_sat_u", VV_V;
    F64x2Ceil: "f64x2.ceil", V_V;
    F64x2Floor: "f64x2.floor", V_V;
    I8x16MinS: "i8x16.min_s", VV_V;
    I8x16MinU: "i8x16.min_u", VV_V;
    I8x16MaxS: "i8x16.max_s", VV_V;
    I8x16MaxU: "i8x16.max_u", VV_V;
    F64x2Trunc: "f64x2.trunc", V_V;
    I8x16AvgrU: "i8x16.avgr_u", VV_V;
    I16x8ExtaddPairwiseI8x16S: "i16x8.extadd_pairwise_i8x16_s", V_V;
    I16x8ExtaddPairwiseI8x16U: "i16x8.extadd_pairwise_i8x16_u", V_V;
    I32x4ExtaddPairwiseI16x8S: "i32x4.extadd_pairwise_i16x8_s", V_V;
    I32x4ExtaddPairwiseI16x8U: "i32x4.extadd_pairwise_i16x8_u", V_V;
    I16x8Abs: "i16x8.abs", V_V;
    I16x8Neg: "i16x8.neg", V_V;
    I16x8Q15MulrSatS: "i16x8.q15mulr_sat_s", VV_V;
    I16x8AllTrue: "i16x8.all_true", V_I32;
    I16x8Bitmask: "i16x8.bitmask", V_I32;
    I16x8NarrowI32x4S: "i16x8.narrow_i32x4_s", VV_V;
    I16x8NarrowI32x4U: "i16x8.narrow_i32x4_u", VV_V;
    I16x8ExtendLowI8x16S: "i16x8.extend_low_i8x16_s", V_V;
    I16x8ExtendHighI8x16S: "i16x8.extend_high_i8x16_s", V_V;
    I16x8ExtendLowI8x16U: "i16x8.extend_low_i8x16_u", V_V;
    I16x8ExtendHighI8x16U: "i16x8.extend_high_i8x16_u", V_V;
    I16x8Shl: "i16x8.shl", VI32_V;
    I16x8ShrS: "i16x8.shr_s", VI32_V;
    I16x8ShrU: "i16x8.shr_u", VI32_V;
    I16x8Add: "i16x8.add", VV_V;
    I16x8AddSatS: "i16x8.add_sat_s", VV_V;
    I16x8AddSatU: "i16x8.add_sat_u", VV_V;
    I16x8Sub: "i16x8.sub", VV_V;
    I16x8SubSatS: "i16x8.sub_sat_s", VV_V;
    I16x8SubSatU: "i16x8.sub_sat_u", VV_V;
    F64x2Nearest: "f64x2.nearest", V_V;
    I16x8Mul: "i16x8.mul", VV_V;
    I16x8MinS: "i16x8.min_s", VV_V;
    I16x8MinU: "i16x8.min_u", VV_V;
    I16x8MaxS: "i16x8.max_s", VV_V;
    I16x8MaxU: "i16x8.max_u", VV_V;
    I16x8AvgrU: "i16x8.avgr_u", VV_V;
    I16x8ExtmulLowI8x16S: "i16x8.extmul_low_i8x16_s", VV_V;
    I16x8ExtmulHighI8x16S: "i16x8.extmul_high_i8x16_s", VV_V;
    I16x8ExtmulLowI8x16U: "i16x8.extmul_low_i8x16_u", VV_V;
    I16x8ExtmulHighI8x16U: "i16x8.extmul_high_i8x16_u", VV_V;
    I32x4Abs: "i32x4.abs", V_V;
    I32x4Neg: "i32x4.neg", V_V;
    I32x4AllTrue: "i32x4.all_true", V_I32;
    I32x4Bitmask: "i32x4.bitmask", V_I32;
    I32x4ExtendLowI16x8S: "i32x4.extend_low_i16x8_s", V_V;
    I32x4ExtendHighI16x8S: "i32x4.extend_high_i16x8_s", V_V;
    I32x4ExtendLowI16x8U: "i32x4.extend_low_i16x8_u", V_V;
    I32x4ExtendHighI16x8U: "i32x4.extend_high_i16x8_u", V_V;
    I32x4Shl: "i32x4.shl", VI32_V;
    I32x4ShrS: "i32x4.shr_s", VI32_V;
    I32x4ShrU: "i32x4.shr_u", VI32_V;
    I32x4Add: "i32x4.add", VV_V;
    I32x4Sub: "i32x4.sub", VV_V;
    I32x4Mul: "i32x4.mul", VV_V;
    I32x4MinS: "i32x4.min_s", VV_V;
    I32x4MinU: "i32x4.min_u", VV_V;
    I32x4MaxS: "i32x4.max_s", VV_V;
    I32x4MaxU: "i32x4.max_u", VV_V;
    I32x4DotI16x8S: "i32x4.dot_i16x8_s", VV_V;
    I32x4ExtmulLowI16x8S: "i32x4.extmul_low_i16x8_s", VV_V;
    I32x4ExtmulHighI16x8S: "i32x4.extmul_high_i16x8_s", VV_V;
    I32x4ExtmulLowI16x8U: "i32x4.extmul_low_i16x8_u", VV_V;
    I32x4ExtmulHighI16x8U: "i32x4.extmul_high_i16x8_u", VV_V;
    I64x2Abs: "i64x2.abs", V_V;
    I64x2Neg: "i64x2.neg", V_V;
    I64x2AllTrue: "i64x2.all_true", V_I32;
    I64x2Bitmask: "i64x2.bitmask", V_I32;
    I64x2ExtendLowI32x4S: "i64x2.extend_low_i32x4_s", V_V;
    I64x2ExtendHighI32x4S: "i64x2.extend_high_i32x4_s", V_V;
    I64x2ExtendLowI32x4U: "i64x2.extend_low_i32x4_u", V_V;
    I64x2ExtendHighI32x4U: "i64x2.extend_high_i32x4_u", V_V;
    I64x2Shl: "i64x2.shl", VI32_V;
    I64x2ShrS: "i64x2.shr_s", VI32_V;
    I64x2ShrU: "i64x2.shr_u", VI32_V;
    I64x2Add: "i64x2.add", VV_V;
    I64x2Sub: "i64x2.sub", VV_V;
    I64x2Mul: "i64x2.mul", VV_V;
    I64x2Eq: "i64x2.eq", VV_V;
    I64x2Ne: "i64x2.ne", VV_V;
    I64x2LtS: "i64x2.lt_s", VV_V;
    I64x2GtS: "i64x2.gt_s", VV_V;
    I64x2LeS: "i64x2.le_s", VV_V;
    I64x2GeS: "i64x2.ge_s", VV_V;
    I64x2ExtmulLowI32x4S: "i64x2.extmul_low_i32x4_s", VV_V;
    I64x2ExtmulHighI32x4S: "i64x2.extmul_high_i32x4_s", VV_V;
    I64x2ExtmulLowI32x4U: "i64x2.extmul_low_i32x4_u", VV_V;
    I64x2ExtmulHighI32x4U: "i64x2.extmul_high_i32x4_u", VV_V;
    F32x4Abs: "f32x4.abs", V_V;
    F32x4Neg: "f32x4.neg", V_V;
    F32x4Sqrt: "f32x4.sqrt", V_V;
    F32x4Add: "f32x4.add", VV_V;
    F32x4Sub: "f32x4.sub", VV_V;
    F32x4Mul: "f32x4.mul", VV_V;
    F32x4Div: "f32x4.div", VV_V;
    F32x4Min: "f32x4.min", VV_V;
    F32x4Max: "f32x4.max", VV_V;
    F32x4Pmin: "f32x4.pmin", VV_V;
    F32x4Pmax: "f32x4.pmax", VV_V;
    F64x2Abs: "f64x2.abs", V_V;
    F64x2Neg: "f64x2.neg", V_V;
    F64x2Sqrt: "f64x2.sqrt", V_V;
    F64x2Add: "f64x2.add", VV_V;
    F64x2Sub: "f64x2.sub", VV_V;
    F64x2Mul: "f64x2.mul", VV_V;
    F64x2Div: "f64x2.div", VV_V;
    F64x2Min: "f64x2.min", VV_V;
    F64x2Max: "f64x2.max", VV_V;
    F64x2Pmin: "f64x2.pmin", VV_V;
    F64x2Pmax: "f64x2.pmax", VV_V;
    I32x4TruncSatF32x4S: "i32x4.trunc_sat_f32x4_s", V_V;
    I32x4TruncSatF32x4U: "i32x4.trunc_sat_f32x4_u", V_V;
    F32x4ConvertI32x4S: "f32x4.convert_i32x4_s", V_V;
    F32x4ConvertI32x4U: "f32x4.convert_i32x4_u", V_V;
    I32x4TruncSatF64x2SZero: "i32x4.trunc_sat_f64x2_s_zero", V_V;
    I32x4TruncSatF64x2UZero: "i32x4.trunc_sat_f64x2_u_zero", V_V;
    F64x2ConvertLowI32x4S: "f64x2.convert_low_i32x4_s", V_V;
    F64x2ConvertLowI32x4U: "f64x2.convert_low_i32x4_u", V_V;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for &op in VecOp::ALL {
            assert_eq!(VecOp::from_name(op.name()), Some(op));
        }
        assert_eq!(VecOp::ALL.len(), 198);
        assert_eq!(VecOp::V128Bitselect.arity(), 3);
        assert_eq!(VecOp::I64x2Splat.sig().params, &[Type::I64]);
    }
}
