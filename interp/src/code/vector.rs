//! The vector ops of the unary, binary, shift and reduce families, one op
//! kind per [`VecOp`](zerowasm_ssa::VecOp): a handler runs exactly one lane operation, with no
//! second dispatch on the `VecOp` inside it (a generic family op would match
//! over about a hundred ops in every execution, a badly predicted branch).
//!
//! The table is keyed by `VecOp` variant and lists the instruction's text,
//! which is also the op's mnemonic (`s4 = i32x4.add s0, s2`). Every user
//! generates from it: the op list ([`super::op_list`]), the handlers
//! (`exec/handlers/vector.rs`) and translation's constructors
//! (`translate/optable.rs`).

/// Hands the table to macro `$cb` (a path, in brackets), after the tokens
/// `$pre`: `$cb! { $pre unary: [Name = "text", ..] binary: [..] shift: [..]
/// reduce: [..] }`, one family per signature (`v128 -> v128`,
/// `v128, v128 -> v128`, `v128, i32 -> v128`, `v128 -> i32`).
macro_rules! vector_op_table {
    ([$($cb:tt)*] [$($pre:tt)*]) => {
        $($cb)*! { $($pre)*
            unary: [
                V128Not = "v128.not", F32x4DemoteF64x2Zero = "f32x4.demote_f64x2_zero",
                F64x2PromoteLowF32x4 = "f64x2.promote_low_f32x4", I8x16Abs = "i8x16.abs", I8x16Neg = "i8x16.neg",
                I8x16Popcnt = "i8x16.popcnt", F32x4Ceil = "f32x4.ceil", F32x4Floor = "f32x4.floor",
                F32x4Trunc = "f32x4.trunc", F32x4Nearest = "f32x4.nearest", F64x2Ceil = "f64x2.ceil",
                F64x2Floor = "f64x2.floor", F64x2Trunc = "f64x2.trunc",
                I16x8ExtaddPairwiseI8x16S = "i16x8.extadd_pairwise_i8x16_s",
                I16x8ExtaddPairwiseI8x16U = "i16x8.extadd_pairwise_i8x16_u",
                I32x4ExtaddPairwiseI16x8S = "i32x4.extadd_pairwise_i16x8_s",
                I32x4ExtaddPairwiseI16x8U = "i32x4.extadd_pairwise_i16x8_u", I16x8Abs = "i16x8.abs",
                I16x8Neg = "i16x8.neg", I16x8ExtendLowI8x16S = "i16x8.extend_low_i8x16_s",
                I16x8ExtendHighI8x16S = "i16x8.extend_high_i8x16_s",
                I16x8ExtendLowI8x16U = "i16x8.extend_low_i8x16_u",
                I16x8ExtendHighI8x16U = "i16x8.extend_high_i8x16_u", F64x2Nearest = "f64x2.nearest",
                I32x4Abs = "i32x4.abs", I32x4Neg = "i32x4.neg", I32x4ExtendLowI16x8S = "i32x4.extend_low_i16x8_s",
                I32x4ExtendHighI16x8S = "i32x4.extend_high_i16x8_s",
                I32x4ExtendLowI16x8U = "i32x4.extend_low_i16x8_u",
                I32x4ExtendHighI16x8U = "i32x4.extend_high_i16x8_u", I64x2Abs = "i64x2.abs", I64x2Neg = "i64x2.neg",
                I64x2ExtendLowI32x4S = "i64x2.extend_low_i32x4_s",
                I64x2ExtendHighI32x4S = "i64x2.extend_high_i32x4_s",
                I64x2ExtendLowI32x4U = "i64x2.extend_low_i32x4_u",
                I64x2ExtendHighI32x4U = "i64x2.extend_high_i32x4_u", F32x4Abs = "f32x4.abs", F32x4Neg = "f32x4.neg",
                F32x4Sqrt = "f32x4.sqrt", F64x2Abs = "f64x2.abs", F64x2Neg = "f64x2.neg", F64x2Sqrt = "f64x2.sqrt",
                I32x4TruncSatF32x4S = "i32x4.trunc_sat_f32x4_s", I32x4TruncSatF32x4U = "i32x4.trunc_sat_f32x4_u",
                F32x4ConvertI32x4S = "f32x4.convert_i32x4_s", F32x4ConvertI32x4U = "f32x4.convert_i32x4_u",
                I32x4TruncSatF64x2SZero = "i32x4.trunc_sat_f64x2_s_zero",
                I32x4TruncSatF64x2UZero = "i32x4.trunc_sat_f64x2_u_zero",
                F64x2ConvertLowI32x4S = "f64x2.convert_low_i32x4_s",
                F64x2ConvertLowI32x4U = "f64x2.convert_low_i32x4_u",
            ]
            binary: [
                I8x16Swizzle = "i8x16.swizzle", I8x16Eq = "i8x16.eq", I8x16Ne = "i8x16.ne", I8x16LtS = "i8x16.lt_s",
                I8x16LtU = "i8x16.lt_u", I8x16GtS = "i8x16.gt_s", I8x16GtU = "i8x16.gt_u", I8x16LeS = "i8x16.le_s",
                I8x16LeU = "i8x16.le_u", I8x16GeS = "i8x16.ge_s", I8x16GeU = "i8x16.ge_u", I16x8Eq = "i16x8.eq",
                I16x8Ne = "i16x8.ne", I16x8LtS = "i16x8.lt_s", I16x8LtU = "i16x8.lt_u", I16x8GtS = "i16x8.gt_s",
                I16x8GtU = "i16x8.gt_u", I16x8LeS = "i16x8.le_s", I16x8LeU = "i16x8.le_u", I16x8GeS = "i16x8.ge_s",
                I16x8GeU = "i16x8.ge_u", I32x4Eq = "i32x4.eq", I32x4Ne = "i32x4.ne", I32x4LtS = "i32x4.lt_s",
                I32x4LtU = "i32x4.lt_u", I32x4GtS = "i32x4.gt_s", I32x4GtU = "i32x4.gt_u", I32x4LeS = "i32x4.le_s",
                I32x4LeU = "i32x4.le_u", I32x4GeS = "i32x4.ge_s", I32x4GeU = "i32x4.ge_u", F32x4Eq = "f32x4.eq",
                F32x4Ne = "f32x4.ne", F32x4Lt = "f32x4.lt", F32x4Gt = "f32x4.gt", F32x4Le = "f32x4.le",
                F32x4Ge = "f32x4.ge", F64x2Eq = "f64x2.eq", F64x2Ne = "f64x2.ne", F64x2Lt = "f64x2.lt",
                F64x2Gt = "f64x2.gt", F64x2Le = "f64x2.le", F64x2Ge = "f64x2.ge", V128And = "v128.and",
                V128AndNot = "v128.andnot", V128Or = "v128.or", V128Xor = "v128.xor",
                I8x16NarrowI16x8S = "i8x16.narrow_i16x8_s", I8x16NarrowI16x8U = "i8x16.narrow_i16x8_u",
                I8x16Add = "i8x16.add", I8x16AddSatS = "i8x16.add_sat_s", I8x16AddSatU = "i8x16.add_sat_u",
                I8x16Sub = "i8x16.sub", I8x16SubSatS = "i8x16.sub_sat_s", I8x16SubSatU = "i8x16.sub_sat_u",
                I8x16MinS = "i8x16.min_s", I8x16MinU = "i8x16.min_u", I8x16MaxS = "i8x16.max_s",
                I8x16MaxU = "i8x16.max_u", I8x16AvgrU = "i8x16.avgr_u", I16x8Q15MulrSatS = "i16x8.q15mulr_sat_s",
                I16x8NarrowI32x4S = "i16x8.narrow_i32x4_s", I16x8NarrowI32x4U = "i16x8.narrow_i32x4_u",
                I16x8Add = "i16x8.add", I16x8AddSatS = "i16x8.add_sat_s", I16x8AddSatU = "i16x8.add_sat_u",
                I16x8Sub = "i16x8.sub", I16x8SubSatS = "i16x8.sub_sat_s", I16x8SubSatU = "i16x8.sub_sat_u",
                I16x8Mul = "i16x8.mul", I16x8MinS = "i16x8.min_s", I16x8MinU = "i16x8.min_u",
                I16x8MaxS = "i16x8.max_s", I16x8MaxU = "i16x8.max_u", I16x8AvgrU = "i16x8.avgr_u",
                I16x8ExtmulLowI8x16S = "i16x8.extmul_low_i8x16_s",
                I16x8ExtmulHighI8x16S = "i16x8.extmul_high_i8x16_s",
                I16x8ExtmulLowI8x16U = "i16x8.extmul_low_i8x16_u",
                I16x8ExtmulHighI8x16U = "i16x8.extmul_high_i8x16_u", I32x4Add = "i32x4.add", I32x4Sub = "i32x4.sub",
                I32x4Mul = "i32x4.mul", I32x4MinS = "i32x4.min_s", I32x4MinU = "i32x4.min_u",
                I32x4MaxS = "i32x4.max_s", I32x4MaxU = "i32x4.max_u", I32x4DotI16x8S = "i32x4.dot_i16x8_s",
                I32x4ExtmulLowI16x8S = "i32x4.extmul_low_i16x8_s",
                I32x4ExtmulHighI16x8S = "i32x4.extmul_high_i16x8_s",
                I32x4ExtmulLowI16x8U = "i32x4.extmul_low_i16x8_u",
                I32x4ExtmulHighI16x8U = "i32x4.extmul_high_i16x8_u", I64x2Add = "i64x2.add", I64x2Sub = "i64x2.sub",
                I64x2Mul = "i64x2.mul", I64x2Eq = "i64x2.eq", I64x2Ne = "i64x2.ne", I64x2LtS = "i64x2.lt_s",
                I64x2GtS = "i64x2.gt_s", I64x2LeS = "i64x2.le_s", I64x2GeS = "i64x2.ge_s",
                I64x2ExtmulLowI32x4S = "i64x2.extmul_low_i32x4_s",
                I64x2ExtmulHighI32x4S = "i64x2.extmul_high_i32x4_s",
                I64x2ExtmulLowI32x4U = "i64x2.extmul_low_i32x4_u",
                I64x2ExtmulHighI32x4U = "i64x2.extmul_high_i32x4_u", F32x4Add = "f32x4.add", F32x4Sub = "f32x4.sub",
                F32x4Mul = "f32x4.mul", F32x4Div = "f32x4.div", F32x4Min = "f32x4.min", F32x4Max = "f32x4.max",
                F32x4Pmin = "f32x4.pmin", F32x4Pmax = "f32x4.pmax", F64x2Add = "f64x2.add", F64x2Sub = "f64x2.sub",
                F64x2Mul = "f64x2.mul", F64x2Div = "f64x2.div", F64x2Min = "f64x2.min", F64x2Max = "f64x2.max",
                F64x2Pmin = "f64x2.pmin", F64x2Pmax = "f64x2.pmax",
            ]
            shift: [
                I8x16Shl = "i8x16.shl", I8x16ShrS = "i8x16.shr_s", I8x16ShrU = "i8x16.shr_u", I16x8Shl = "i16x8.shl",
                I16x8ShrS = "i16x8.shr_s", I16x8ShrU = "i16x8.shr_u", I32x4Shl = "i32x4.shl",
                I32x4ShrS = "i32x4.shr_s", I32x4ShrU = "i32x4.shr_u", I64x2Shl = "i64x2.shl",
                I64x2ShrS = "i64x2.shr_s", I64x2ShrU = "i64x2.shr_u",
            ]
            reduce: [
                V128AnyTrue = "v128.any_true", I8x16AllTrue = "i8x16.all_true", I8x16Bitmask = "i8x16.bitmask",
                I16x8AllTrue = "i16x8.all_true", I16x8Bitmask = "i16x8.bitmask", I32x4AllTrue = "i32x4.all_true",
                I32x4Bitmask = "i32x4.bitmask", I64x2AllTrue = "i64x2.all_true", I64x2Bitmask = "i64x2.bitmask",
            ]
        }
    };
}
pub(crate) use vector_op_table;

#[cfg(test)]
mod tests {
    use zerowasm_ssa::{Type, VecOp};

    macro_rules! check_table {
        (unary: [$($un:ident = $ut:literal),* $(,)?] binary: [$($bn:ident = $bt:literal),* $(,)?]
         shift: [$($sn:ident = $st:literal),* $(,)?] reduce: [$($rn:ident = $rt:literal),* $(,)?]) => {
            /// Every entry's text is its `VecOp`'s name and its family its signature.
            fn entries() -> Vec<(VecOp, &'static str, &'static [Type], Type)> {
                vec![
                    $( (VecOp::$un, $ut, &[Type::V128][..], Type::V128), )*
                    $( (VecOp::$bn, $bt, &[Type::V128, Type::V128][..], Type::V128), )*
                    $( (VecOp::$sn, $st, &[Type::V128, Type::I32][..], Type::V128), )*
                    $( (VecOp::$rn, $rt, &[Type::V128][..], Type::I32), )*
                ]
            }
        };
    }
    vector_op_table!([check_table] []);

    #[test]
    fn entries_match_their_vecop() {
        for (op, text, params, result) in entries() {
            assert_eq!(op.name(), text, "{op:?}");
            assert_eq!((op.sig().params, op.sig().result), (params, result), "{op:?} is in the wrong family");
        }
    }

    #[test]
    fn every_op_of_the_four_families_has_an_entry() {
        let listed: Vec<VecOp> = entries().into_iter().map(|e| e.0).collect();
        for &op in VecOp::ALL {
            let sig = op.sig();
            let family = matches!(
                (sig.params, sig.result),
                ([Type::V128], Type::V128 | Type::I32) | ([Type::V128, Type::V128 | Type::I32], Type::V128)
            );
            assert_eq!(family, listed.contains(&op), "{}", op.name());
        }
        let mut unique = listed.clone();
        unique.sort_by_key(|op| op.name());
        unique.dedup();
        assert_eq!(unique.len(), listed.len(), "an op is listed twice");
    }
}
