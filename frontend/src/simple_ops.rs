//! `SimpleOp`: every instruction without immediates whose typing is a fixed
//! signature `[params] -> [result]` (numeric, conversion, and most SIMD ops).
//! One table drives decoding, validation and printing, so adding an op is one line.

// Opcode tables write `PREFIX | 0x00` so every row reads like the spec's opcode list.
#![allow(clippy::identity_op)]

use crate::features::CoreFeatures;
use crate::types::ValType::{self, F32, F64, I32, I64, V128};

/// A fixed instruction signature: popped parameter types and one pushed result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sig {
    /// Popped, in order (the last is on top of the stack).
    pub params: &'static [ValType],
    /// Pushed.
    pub result: ValType,
}

const fn sig(params: &'static [ValType], result: ValType) -> Sig {
    Sig { params, result }
}

// Signature names read `<params>_<result>`; `V` is v128.
const I32_I32: Sig = sig(&[I32], I32);
const I32I32_I32: Sig = sig(&[I32, I32], I32);
const I64_I64: Sig = sig(&[I64], I64);
const I64_I32: Sig = sig(&[I64], I32);
const I64I64_I64: Sig = sig(&[I64, I64], I64);
const I64I64_I32: Sig = sig(&[I64, I64], I32);
const F32_F32: Sig = sig(&[F32], F32);
const F32F32_F32: Sig = sig(&[F32, F32], F32);
const F32F32_I32: Sig = sig(&[F32, F32], I32);
const F64_F64: Sig = sig(&[F64], F64);
const F64F64_F64: Sig = sig(&[F64, F64], F64);
const F64F64_I32: Sig = sig(&[F64, F64], I32);
const I32_I64: Sig = sig(&[I32], I64);
const F32_I32: Sig = sig(&[F32], I32);
const F32_I64: Sig = sig(&[F32], I64);
const F64_I32: Sig = sig(&[F64], I32);
const F64_I64: Sig = sig(&[F64], I64);
const I32_F32: Sig = sig(&[I32], F32);
const I64_F32: Sig = sig(&[I64], F32);
const F64_F32: Sig = sig(&[F64], F32);
const I32_F64: Sig = sig(&[I32], F64);
const I64_F64: Sig = sig(&[I64], F64);
const F32_F64: Sig = sig(&[F32], F64);
const V_V: Sig = sig(&[V128], V128);
const VV_V: Sig = sig(&[V128, V128], V128);
const VVV_V: Sig = sig(&[V128, V128, V128], V128);
const V_I32: Sig = sig(&[V128], I32);
const VI32_V: Sig = sig(&[V128, I32], V128);
const I32_V: Sig = sig(&[I32], V128);
const I64_V: Sig = sig(&[I64], V128);
const F32_V: Sig = sig(&[F32], V128);
const F64_V: Sig = sig(&[F64], V128);

/// Encodings: a plain opcode is its byte; prefixed ones are `prefix << 16 | subopcode`.
const FC: u32 = 0xfc << 16;
const FD: u32 = 0xfd << 16;

macro_rules! simple_ops {
    ($($name:ident = $code:expr, $text:literal, $sig:ident;)*) => {
        /// An instruction with no immediates and a fixed signature.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum SimpleOp { $($name,)* }

        impl SimpleOp {
            /// Every simple op, in table order.
            pub const ALL: &'static [SimpleOp] = &[$(SimpleOp::$name,)*];

            /// The spec's text name (`i32.add`).
            pub fn name(self) -> &'static str {
                match self { $(SimpleOp::$name => $text,)* }
            }

            /// The operand and result types.
            #[inline]
            pub fn sig(self) -> Sig {
                match self { $(SimpleOp::$name => $sig,)* }
            }

            /// The binary encoding (see the `FC`/`FD` prefix scheme above).
            pub const fn encoding(self) -> u32 {
                match self { $(SimpleOp::$name => $code,)* }
            }
        }
    };
}

/// Decoding tables indexed by the byte after the prefix (plain, 0xFC, 0xFD).
/// Built at compile time from the table above, so decoding is one load.
static PLAIN: [Option<SimpleOp>; 256] = table(0);
static PREFIX_FC: [Option<SimpleOp>; 256] = table(0xfc);
static PREFIX_FD: [Option<SimpleOp>; 256] = table(0xfd);

const fn table(prefix: u32) -> [Option<SimpleOp>; 256] {
    let mut t = [None; 256];
    let mut i = 0;
    while i < SimpleOp::ALL.len() {
        let op = SimpleOp::ALL[i];
        let code = op.encoding();
        if code >> 16 == prefix {
            t[(code & 0xff) as usize] = Some(op);
        }
        i += 1;
    }
    t
}

impl SimpleOp {
    /// Looks up an op by encoding.
    #[inline]
    pub fn from_encoding(code: u32) -> Option<SimpleOp> {
        let sub = code & 0xffff;
        if sub > 0xff {
            return None;
        }
        match code >> 16 {
            0 => PLAIN[sub as usize],
            0xfc => PREFIX_FC[sub as usize],
            0xfd => PREFIX_FD[sub as usize],
            _ => None,
        }
    }

    /// The feature that introduced this op, or `None` for the 1.0 MVP.
    pub fn feature(self) -> Option<CoreFeatures> {
        let code = self.encoding();
        match code >> 16 {
            0xfc => Some(CoreFeatures::SATURATING_FLOAT_TO_INT),
            0xfd => Some(CoreFeatures::SIMD),
            _ if (0xc0..=0xc4).contains(&code) => Some(CoreFeatures::SIGN_EXTENSION),
            _ => None,
        }
    }
}

simple_ops! {
    I32Eqz = 0x45, "i32.eqz", I32_I32;
    I32Eq = 0x46, "i32.eq", I32I32_I32;
    I32Ne = 0x47, "i32.ne", I32I32_I32;
    I32LtS = 0x48, "i32.lt_s", I32I32_I32;
    I32LtU = 0x49, "i32.lt_u", I32I32_I32;
    I32GtS = 0x4a, "i32.gt_s", I32I32_I32;
    I32GtU = 0x4b, "i32.gt_u", I32I32_I32;
    I32LeS = 0x4c, "i32.le_s", I32I32_I32;
    I32LeU = 0x4d, "i32.le_u", I32I32_I32;
    I32GeS = 0x4e, "i32.ge_s", I32I32_I32;
    I32GeU = 0x4f, "i32.ge_u", I32I32_I32;
    I64Eqz = 0x50, "i64.eqz", I64_I32;
    I64Eq = 0x51, "i64.eq", I64I64_I32;
    I64Ne = 0x52, "i64.ne", I64I64_I32;
    I64LtS = 0x53, "i64.lt_s", I64I64_I32;
    I64LtU = 0x54, "i64.lt_u", I64I64_I32;
    I64GtS = 0x55, "i64.gt_s", I64I64_I32;
    I64GtU = 0x56, "i64.gt_u", I64I64_I32;
    I64LeS = 0x57, "i64.le_s", I64I64_I32;
    I64LeU = 0x58, "i64.le_u", I64I64_I32;
    I64GeS = 0x59, "i64.ge_s", I64I64_I32;
    I64GeU = 0x5a, "i64.ge_u", I64I64_I32;
    F32Eq = 0x5b, "f32.eq", F32F32_I32;
    F32Ne = 0x5c, "f32.ne", F32F32_I32;
    F32Lt = 0x5d, "f32.lt", F32F32_I32;
    F32Gt = 0x5e, "f32.gt", F32F32_I32;
    F32Le = 0x5f, "f32.le", F32F32_I32;
    F32Ge = 0x60, "f32.ge", F32F32_I32;
    F64Eq = 0x61, "f64.eq", F64F64_I32;
    F64Ne = 0x62, "f64.ne", F64F64_I32;
    F64Lt = 0x63, "f64.lt", F64F64_I32;
    F64Gt = 0x64, "f64.gt", F64F64_I32;
    F64Le = 0x65, "f64.le", F64F64_I32;
    F64Ge = 0x66, "f64.ge", F64F64_I32;
    I32Clz = 0x67, "i32.clz", I32_I32;
    I32Ctz = 0x68, "i32.ctz", I32_I32;
    I32Popcnt = 0x69, "i32.popcnt", I32_I32;
    I32Add = 0x6a, "i32.add", I32I32_I32;
    I32Sub = 0x6b, "i32.sub", I32I32_I32;
    I32Mul = 0x6c, "i32.mul", I32I32_I32;
    I32DivS = 0x6d, "i32.div_s", I32I32_I32;
    I32DivU = 0x6e, "i32.div_u", I32I32_I32;
    I32RemS = 0x6f, "i32.rem_s", I32I32_I32;
    I32RemU = 0x70, "i32.rem_u", I32I32_I32;
    I32And = 0x71, "i32.and", I32I32_I32;
    I32Or = 0x72, "i32.or", I32I32_I32;
    I32Xor = 0x73, "i32.xor", I32I32_I32;
    I32Shl = 0x74, "i32.shl", I32I32_I32;
    I32ShrS = 0x75, "i32.shr_s", I32I32_I32;
    I32ShrU = 0x76, "i32.shr_u", I32I32_I32;
    I32Rotl = 0x77, "i32.rotl", I32I32_I32;
    I32Rotr = 0x78, "i32.rotr", I32I32_I32;
    I64Clz = 0x79, "i64.clz", I64_I64;
    I64Ctz = 0x7a, "i64.ctz", I64_I64;
    I64Popcnt = 0x7b, "i64.popcnt", I64_I64;
    I64Add = 0x7c, "i64.add", I64I64_I64;
    I64Sub = 0x7d, "i64.sub", I64I64_I64;
    I64Mul = 0x7e, "i64.mul", I64I64_I64;
    I64DivS = 0x7f, "i64.div_s", I64I64_I64;
    I64DivU = 0x80, "i64.div_u", I64I64_I64;
    I64RemS = 0x81, "i64.rem_s", I64I64_I64;
    I64RemU = 0x82, "i64.rem_u", I64I64_I64;
    I64And = 0x83, "i64.and", I64I64_I64;
    I64Or = 0x84, "i64.or", I64I64_I64;
    I64Xor = 0x85, "i64.xor", I64I64_I64;
    I64Shl = 0x86, "i64.shl", I64I64_I64;
    I64ShrS = 0x87, "i64.shr_s", I64I64_I64;
    I64ShrU = 0x88, "i64.shr_u", I64I64_I64;
    I64Rotl = 0x89, "i64.rotl", I64I64_I64;
    I64Rotr = 0x8a, "i64.rotr", I64I64_I64;
    F32Abs = 0x8b, "f32.abs", F32_F32;
    F32Neg = 0x8c, "f32.neg", F32_F32;
    F32Ceil = 0x8d, "f32.ceil", F32_F32;
    F32Floor = 0x8e, "f32.floor", F32_F32;
    F32Trunc = 0x8f, "f32.trunc", F32_F32;
    F32Nearest = 0x90, "f32.nearest", F32_F32;
    F32Sqrt = 0x91, "f32.sqrt", F32_F32;
    F32Add = 0x92, "f32.add", F32F32_F32;
    F32Sub = 0x93, "f32.sub", F32F32_F32;
    F32Mul = 0x94, "f32.mul", F32F32_F32;
    F32Div = 0x95, "f32.div", F32F32_F32;
    F32Min = 0x96, "f32.min", F32F32_F32;
    F32Max = 0x97, "f32.max", F32F32_F32;
    F32Copysign = 0x98, "f32.copysign", F32F32_F32;
    F64Abs = 0x99, "f64.abs", F64_F64;
    F64Neg = 0x9a, "f64.neg", F64_F64;
    F64Ceil = 0x9b, "f64.ceil", F64_F64;
    F64Floor = 0x9c, "f64.floor", F64_F64;
    F64Trunc = 0x9d, "f64.trunc", F64_F64;
    F64Nearest = 0x9e, "f64.nearest", F64_F64;
    F64Sqrt = 0x9f, "f64.sqrt", F64_F64;
    F64Add = 0xa0, "f64.add", F64F64_F64;
    F64Sub = 0xa1, "f64.sub", F64F64_F64;
    F64Mul = 0xa2, "f64.mul", F64F64_F64;
    F64Div = 0xa3, "f64.div", F64F64_F64;
    F64Min = 0xa4, "f64.min", F64F64_F64;
    F64Max = 0xa5, "f64.max", F64F64_F64;
    F64Copysign = 0xa6, "f64.copysign", F64F64_F64;
    I32WrapI64 = 0xa7, "i32.wrap_i64", I64_I32;
    I32TruncF32S = 0xa8, "i32.trunc_f32_s", F32_I32;
    I32TruncF32U = 0xa9, "i32.trunc_f32_u", F32_I32;
    I32TruncF64S = 0xaa, "i32.trunc_f64_s", F64_I32;
    I32TruncF64U = 0xab, "i32.trunc_f64_u", F64_I32;
    I64ExtendI32S = 0xac, "i64.extend_i32_s", I32_I64;
    I64ExtendI32U = 0xad, "i64.extend_i32_u", I32_I64;
    I64TruncF32S = 0xae, "i64.trunc_f32_s", F32_I64;
    I64TruncF32U = 0xaf, "i64.trunc_f32_u", F32_I64;
    I64TruncF64S = 0xb0, "i64.trunc_f64_s", F64_I64;
    I64TruncF64U = 0xb1, "i64.trunc_f64_u", F64_I64;
    F32ConvertI32S = 0xb2, "f32.convert_i32_s", I32_F32;
    F32ConvertI32U = 0xb3, "f32.convert_i32_u", I32_F32;
    F32ConvertI64S = 0xb4, "f32.convert_i64_s", I64_F32;
    F32ConvertI64U = 0xb5, "f32.convert_i64_u", I64_F32;
    F32DemoteF64 = 0xb6, "f32.demote_f64", F64_F32;
    F64ConvertI32S = 0xb7, "f64.convert_i32_s", I32_F64;
    F64ConvertI32U = 0xb8, "f64.convert_i32_u", I32_F64;
    F64ConvertI64S = 0xb9, "f64.convert_i64_s", I64_F64;
    F64ConvertI64U = 0xba, "f64.convert_i64_u", I64_F64;
    F64PromoteF32 = 0xbb, "f64.promote_f32", F32_F64;
    I32ReinterpretF32 = 0xbc, "i32.reinterpret_f32", F32_I32;
    I64ReinterpretF64 = 0xbd, "i64.reinterpret_f64", F64_I64;
    F32ReinterpretI32 = 0xbe, "f32.reinterpret_i32", I32_F32;
    F64ReinterpretI64 = 0xbf, "f64.reinterpret_i64", I64_F64;
    I32Extend8S = 0xc0, "i32.extend8_s", I32_I32;
    I32Extend16S = 0xc1, "i32.extend16_s", I32_I32;
    I64Extend8S = 0xc2, "i64.extend8_s", I64_I64;
    I64Extend16S = 0xc3, "i64.extend16_s", I64_I64;
    I64Extend32S = 0xc4, "i64.extend32_s", I64_I64;

    I32TruncSatF32S = FC | 0x00, "i32.trunc_sat_f32_s", F32_I32;
    I32TruncSatF32U = FC | 0x01, "i32.trunc_sat_f32_u", F32_I32;
    I32TruncSatF64S = FC | 0x02, "i32.trunc_sat_f64_s", F64_I32;
    I32TruncSatF64U = FC | 0x03, "i32.trunc_sat_f64_u", F64_I32;
    I64TruncSatF32S = FC | 0x04, "i64.trunc_sat_f32_s", F32_I64;
    I64TruncSatF32U = FC | 0x05, "i64.trunc_sat_f32_u", F32_I64;
    I64TruncSatF64S = FC | 0x06, "i64.trunc_sat_f64_s", F64_I64;
    I64TruncSatF64U = FC | 0x07, "i64.trunc_sat_f64_u", F64_I64;

    I8x16Swizzle = FD | 0x0e, "i8x16.swizzle", VV_V;
    I8x16Splat = FD | 0x0f, "i8x16.splat", I32_V;
    I16x8Splat = FD | 0x10, "i16x8.splat", I32_V;
    I32x4Splat = FD | 0x11, "i32x4.splat", I32_V;
    I64x2Splat = FD | 0x12, "i64x2.splat", I64_V;
    F32x4Splat = FD | 0x13, "f32x4.splat", F32_V;
    F64x2Splat = FD | 0x14, "f64x2.splat", F64_V;
    I8x16Eq = FD | 0x23, "i8x16.eq", VV_V;
    I8x16Ne = FD | 0x24, "i8x16.ne", VV_V;
    I8x16LtS = FD | 0x25, "i8x16.lt_s", VV_V;
    I8x16LtU = FD | 0x26, "i8x16.lt_u", VV_V;
    I8x16GtS = FD | 0x27, "i8x16.gt_s", VV_V;
    I8x16GtU = FD | 0x28, "i8x16.gt_u", VV_V;
    I8x16LeS = FD | 0x29, "i8x16.le_s", VV_V;
    I8x16LeU = FD | 0x2a, "i8x16.le_u", VV_V;
    I8x16GeS = FD | 0x2b, "i8x16.ge_s", VV_V;
    I8x16GeU = FD | 0x2c, "i8x16.ge_u", VV_V;
    I16x8Eq = FD | 0x2d, "i16x8.eq", VV_V;
    I16x8Ne = FD | 0x2e, "i16x8.ne", VV_V;
    I16x8LtS = FD | 0x2f, "i16x8.lt_s", VV_V;
    I16x8LtU = FD | 0x30, "i16x8.lt_u", VV_V;
    I16x8GtS = FD | 0x31, "i16x8.gt_s", VV_V;
    I16x8GtU = FD | 0x32, "i16x8.gt_u", VV_V;
    I16x8LeS = FD | 0x33, "i16x8.le_s", VV_V;
    I16x8LeU = FD | 0x34, "i16x8.le_u", VV_V;
    I16x8GeS = FD | 0x35, "i16x8.ge_s", VV_V;
    I16x8GeU = FD | 0x36, "i16x8.ge_u", VV_V;
    I32x4Eq = FD | 0x37, "i32x4.eq", VV_V;
    I32x4Ne = FD | 0x38, "i32x4.ne", VV_V;
    I32x4LtS = FD | 0x39, "i32x4.lt_s", VV_V;
    I32x4LtU = FD | 0x3a, "i32x4.lt_u", VV_V;
    I32x4GtS = FD | 0x3b, "i32x4.gt_s", VV_V;
    I32x4GtU = FD | 0x3c, "i32x4.gt_u", VV_V;
    I32x4LeS = FD | 0x3d, "i32x4.le_s", VV_V;
    I32x4LeU = FD | 0x3e, "i32x4.le_u", VV_V;
    I32x4GeS = FD | 0x3f, "i32x4.ge_s", VV_V;
    I32x4GeU = FD | 0x40, "i32x4.ge_u", VV_V;
    F32x4Eq = FD | 0x41, "f32x4.eq", VV_V;
    F32x4Ne = FD | 0x42, "f32x4.ne", VV_V;
    F32x4Lt = FD | 0x43, "f32x4.lt", VV_V;
    F32x4Gt = FD | 0x44, "f32x4.gt", VV_V;
    F32x4Le = FD | 0x45, "f32x4.le", VV_V;
    F32x4Ge = FD | 0x46, "f32x4.ge", VV_V;
    F64x2Eq = FD | 0x47, "f64x2.eq", VV_V;
    F64x2Ne = FD | 0x48, "f64x2.ne", VV_V;
    F64x2Lt = FD | 0x49, "f64x2.lt", VV_V;
    F64x2Gt = FD | 0x4a, "f64x2.gt", VV_V;
    F64x2Le = FD | 0x4b, "f64x2.le", VV_V;
    F64x2Ge = FD | 0x4c, "f64x2.ge", VV_V;
    V128Not = FD | 0x4d, "v128.not", V_V;
    V128And = FD | 0x4e, "v128.and", VV_V;
    V128AndNot = FD | 0x4f, "v128.andnot", VV_V;
    V128Or = FD | 0x50, "v128.or", VV_V;
    V128Xor = FD | 0x51, "v128.xor", VV_V;
    V128Bitselect = FD | 0x52, "v128.bitselect", VVV_V;
    V128AnyTrue = FD | 0x53, "v128.any_true", V_I32;
    F32x4DemoteF64x2Zero = FD | 0x5e, "f32x4.demote_f64x2_zero", V_V;
    F64x2PromoteLowF32x4 = FD | 0x5f, "f64x2.promote_low_f32x4", V_V;
    I8x16Abs = FD | 0x60, "i8x16.abs", V_V;
    I8x16Neg = FD | 0x61, "i8x16.neg", V_V;
    I8x16Popcnt = FD | 0x62, "i8x16.popcnt", V_V;
    I8x16AllTrue = FD | 0x63, "i8x16.all_true", V_I32;
    I8x16Bitmask = FD | 0x64, "i8x16.bitmask", V_I32;
    I8x16NarrowI16x8S = FD | 0x65, "i8x16.narrow_i16x8_s", VV_V;
    I8x16NarrowI16x8U = FD | 0x66, "i8x16.narrow_i16x8_u", VV_V;
    F32x4Ceil = FD | 0x67, "f32x4.ceil", V_V;
    F32x4Floor = FD | 0x68, "f32x4.floor", V_V;
    F32x4Trunc = FD | 0x69, "f32x4.trunc", V_V;
    F32x4Nearest = FD | 0x6a, "f32x4.nearest", V_V;
    I8x16Shl = FD | 0x6b, "i8x16.shl", VI32_V;
    I8x16ShrS = FD | 0x6c, "i8x16.shr_s", VI32_V;
    I8x16ShrU = FD | 0x6d, "i8x16.shr_u", VI32_V;
    I8x16Add = FD | 0x6e, "i8x16.add", VV_V;
    I8x16AddSatS = FD | 0x6f, "i8x16.add_sat_s", VV_V;
    I8x16AddSatU = FD | 0x70, "i8x16.add_sat_u", VV_V;
    I8x16Sub = FD | 0x71, "i8x16.sub", VV_V;
    I8x16SubSatS = FD | 0x72, "i8x16.sub_sat_s", VV_V;
    I8x16SubSatU = FD | 0x73, "i8x16.sub_sat_u", VV_V;
    F64x2Ceil = FD | 0x74, "f64x2.ceil", V_V;
    F64x2Floor = FD | 0x75, "f64x2.floor", V_V;
    I8x16MinS = FD | 0x76, "i8x16.min_s", VV_V;
    I8x16MinU = FD | 0x77, "i8x16.min_u", VV_V;
    I8x16MaxS = FD | 0x78, "i8x16.max_s", VV_V;
    I8x16MaxU = FD | 0x79, "i8x16.max_u", VV_V;
    F64x2Trunc = FD | 0x7a, "f64x2.trunc", V_V;
    I8x16AvgrU = FD | 0x7b, "i8x16.avgr_u", VV_V;
    I16x8ExtaddPairwiseI8x16S = FD | 0x7c, "i16x8.extadd_pairwise_i8x16_s", V_V;
    I16x8ExtaddPairwiseI8x16U = FD | 0x7d, "i16x8.extadd_pairwise_i8x16_u", V_V;
    I32x4ExtaddPairwiseI16x8S = FD | 0x7e, "i32x4.extadd_pairwise_i16x8_s", V_V;
    I32x4ExtaddPairwiseI16x8U = FD | 0x7f, "i32x4.extadd_pairwise_i16x8_u", V_V;
    I16x8Abs = FD | 0x80, "i16x8.abs", V_V;
    I16x8Neg = FD | 0x81, "i16x8.neg", V_V;
    I16x8Q15MulrSatS = FD | 0x82, "i16x8.q15mulr_sat_s", VV_V;
    I16x8AllTrue = FD | 0x83, "i16x8.all_true", V_I32;
    I16x8Bitmask = FD | 0x84, "i16x8.bitmask", V_I32;
    I16x8NarrowI32x4S = FD | 0x85, "i16x8.narrow_i32x4_s", VV_V;
    I16x8NarrowI32x4U = FD | 0x86, "i16x8.narrow_i32x4_u", VV_V;
    I16x8ExtendLowI8x16S = FD | 0x87, "i16x8.extend_low_i8x16_s", V_V;
    I16x8ExtendHighI8x16S = FD | 0x88, "i16x8.extend_high_i8x16_s", V_V;
    I16x8ExtendLowI8x16U = FD | 0x89, "i16x8.extend_low_i8x16_u", V_V;
    I16x8ExtendHighI8x16U = FD | 0x8a, "i16x8.extend_high_i8x16_u", V_V;
    I16x8Shl = FD | 0x8b, "i16x8.shl", VI32_V;
    I16x8ShrS = FD | 0x8c, "i16x8.shr_s", VI32_V;
    I16x8ShrU = FD | 0x8d, "i16x8.shr_u", VI32_V;
    I16x8Add = FD | 0x8e, "i16x8.add", VV_V;
    I16x8AddSatS = FD | 0x8f, "i16x8.add_sat_s", VV_V;
    I16x8AddSatU = FD | 0x90, "i16x8.add_sat_u", VV_V;
    I16x8Sub = FD | 0x91, "i16x8.sub", VV_V;
    I16x8SubSatS = FD | 0x92, "i16x8.sub_sat_s", VV_V;
    I16x8SubSatU = FD | 0x93, "i16x8.sub_sat_u", VV_V;
    F64x2Nearest = FD | 0x94, "f64x2.nearest", V_V;
    I16x8Mul = FD | 0x95, "i16x8.mul", VV_V;
    I16x8MinS = FD | 0x96, "i16x8.min_s", VV_V;
    I16x8MinU = FD | 0x97, "i16x8.min_u", VV_V;
    I16x8MaxS = FD | 0x98, "i16x8.max_s", VV_V;
    I16x8MaxU = FD | 0x99, "i16x8.max_u", VV_V;
    I16x8AvgrU = FD | 0x9b, "i16x8.avgr_u", VV_V;
    I16x8ExtmulLowI8x16S = FD | 0x9c, "i16x8.extmul_low_i8x16_s", VV_V;
    I16x8ExtmulHighI8x16S = FD | 0x9d, "i16x8.extmul_high_i8x16_s", VV_V;
    I16x8ExtmulLowI8x16U = FD | 0x9e, "i16x8.extmul_low_i8x16_u", VV_V;
    I16x8ExtmulHighI8x16U = FD | 0x9f, "i16x8.extmul_high_i8x16_u", VV_V;
    I32x4Abs = FD | 0xa0, "i32x4.abs", V_V;
    I32x4Neg = FD | 0xa1, "i32x4.neg", V_V;
    I32x4AllTrue = FD | 0xa3, "i32x4.all_true", V_I32;
    I32x4Bitmask = FD | 0xa4, "i32x4.bitmask", V_I32;
    I32x4ExtendLowI16x8S = FD | 0xa7, "i32x4.extend_low_i16x8_s", V_V;
    I32x4ExtendHighI16x8S = FD | 0xa8, "i32x4.extend_high_i16x8_s", V_V;
    I32x4ExtendLowI16x8U = FD | 0xa9, "i32x4.extend_low_i16x8_u", V_V;
    I32x4ExtendHighI16x8U = FD | 0xaa, "i32x4.extend_high_i16x8_u", V_V;
    I32x4Shl = FD | 0xab, "i32x4.shl", VI32_V;
    I32x4ShrS = FD | 0xac, "i32x4.shr_s", VI32_V;
    I32x4ShrU = FD | 0xad, "i32x4.shr_u", VI32_V;
    I32x4Add = FD | 0xae, "i32x4.add", VV_V;
    I32x4Sub = FD | 0xb1, "i32x4.sub", VV_V;
    I32x4Mul = FD | 0xb5, "i32x4.mul", VV_V;
    I32x4MinS = FD | 0xb6, "i32x4.min_s", VV_V;
    I32x4MinU = FD | 0xb7, "i32x4.min_u", VV_V;
    I32x4MaxS = FD | 0xb8, "i32x4.max_s", VV_V;
    I32x4MaxU = FD | 0xb9, "i32x4.max_u", VV_V;
    I32x4DotI16x8S = FD | 0xba, "i32x4.dot_i16x8_s", VV_V;
    I32x4ExtmulLowI16x8S = FD | 0xbc, "i32x4.extmul_low_i16x8_s", VV_V;
    I32x4ExtmulHighI16x8S = FD | 0xbd, "i32x4.extmul_high_i16x8_s", VV_V;
    I32x4ExtmulLowI16x8U = FD | 0xbe, "i32x4.extmul_low_i16x8_u", VV_V;
    I32x4ExtmulHighI16x8U = FD | 0xbf, "i32x4.extmul_high_i16x8_u", VV_V;
    I64x2Abs = FD | 0xc0, "i64x2.abs", V_V;
    I64x2Neg = FD | 0xc1, "i64x2.neg", V_V;
    I64x2AllTrue = FD | 0xc3, "i64x2.all_true", V_I32;
    I64x2Bitmask = FD | 0xc4, "i64x2.bitmask", V_I32;
    I64x2ExtendLowI32x4S = FD | 0xc7, "i64x2.extend_low_i32x4_s", V_V;
    I64x2ExtendHighI32x4S = FD | 0xc8, "i64x2.extend_high_i32x4_s", V_V;
    I64x2ExtendLowI32x4U = FD | 0xc9, "i64x2.extend_low_i32x4_u", V_V;
    I64x2ExtendHighI32x4U = FD | 0xca, "i64x2.extend_high_i32x4_u", V_V;
    I64x2Shl = FD | 0xcb, "i64x2.shl", VI32_V;
    I64x2ShrS = FD | 0xcc, "i64x2.shr_s", VI32_V;
    I64x2ShrU = FD | 0xcd, "i64x2.shr_u", VI32_V;
    I64x2Add = FD | 0xce, "i64x2.add", VV_V;
    I64x2Sub = FD | 0xd1, "i64x2.sub", VV_V;
    I64x2Mul = FD | 0xd5, "i64x2.mul", VV_V;
    I64x2Eq = FD | 0xd6, "i64x2.eq", VV_V;
    I64x2Ne = FD | 0xd7, "i64x2.ne", VV_V;
    I64x2LtS = FD | 0xd8, "i64x2.lt_s", VV_V;
    I64x2GtS = FD | 0xd9, "i64x2.gt_s", VV_V;
    I64x2LeS = FD | 0xda, "i64x2.le_s", VV_V;
    I64x2GeS = FD | 0xdb, "i64x2.ge_s", VV_V;
    I64x2ExtmulLowI32x4S = FD | 0xdc, "i64x2.extmul_low_i32x4_s", VV_V;
    I64x2ExtmulHighI32x4S = FD | 0xdd, "i64x2.extmul_high_i32x4_s", VV_V;
    I64x2ExtmulLowI32x4U = FD | 0xde, "i64x2.extmul_low_i32x4_u", VV_V;
    I64x2ExtmulHighI32x4U = FD | 0xdf, "i64x2.extmul_high_i32x4_u", VV_V;
    F32x4Abs = FD | 0xe0, "f32x4.abs", V_V;
    F32x4Neg = FD | 0xe1, "f32x4.neg", V_V;
    F32x4Sqrt = FD | 0xe3, "f32x4.sqrt", V_V;
    F32x4Add = FD | 0xe4, "f32x4.add", VV_V;
    F32x4Sub = FD | 0xe5, "f32x4.sub", VV_V;
    F32x4Mul = FD | 0xe6, "f32x4.mul", VV_V;
    F32x4Div = FD | 0xe7, "f32x4.div", VV_V;
    F32x4Min = FD | 0xe8, "f32x4.min", VV_V;
    F32x4Max = FD | 0xe9, "f32x4.max", VV_V;
    F32x4Pmin = FD | 0xea, "f32x4.pmin", VV_V;
    F32x4Pmax = FD | 0xeb, "f32x4.pmax", VV_V;
    F64x2Abs = FD | 0xec, "f64x2.abs", V_V;
    F64x2Neg = FD | 0xed, "f64x2.neg", V_V;
    F64x2Sqrt = FD | 0xef, "f64x2.sqrt", V_V;
    F64x2Add = FD | 0xf0, "f64x2.add", VV_V;
    F64x2Sub = FD | 0xf1, "f64x2.sub", VV_V;
    F64x2Mul = FD | 0xf2, "f64x2.mul", VV_V;
    F64x2Div = FD | 0xf3, "f64x2.div", VV_V;
    F64x2Min = FD | 0xf4, "f64x2.min", VV_V;
    F64x2Max = FD | 0xf5, "f64x2.max", VV_V;
    F64x2Pmin = FD | 0xf6, "f64x2.pmin", VV_V;
    F64x2Pmax = FD | 0xf7, "f64x2.pmax", VV_V;
    I32x4TruncSatF32x4S = FD | 0xf8, "i32x4.trunc_sat_f32x4_s", V_V;
    I32x4TruncSatF32x4U = FD | 0xf9, "i32x4.trunc_sat_f32x4_u", V_V;
    F32x4ConvertI32x4S = FD | 0xfa, "f32x4.convert_i32x4_s", V_V;
    F32x4ConvertI32x4U = FD | 0xfb, "f32x4.convert_i32x4_u", V_V;
    I32x4TruncSatF64x2SZero = FD | 0xfc, "i32x4.trunc_sat_f64x2_s_zero", V_V;
    I32x4TruncSatF64x2UZero = FD | 0xfd, "i32x4.trunc_sat_f64x2_u_zero", V_V;
    F64x2ConvertLowI32x4S = FD | 0xfe, "f64x2.convert_low_i32x4_s", V_V;
    F64x2ConvertLowI32x4U = FD | 0xff, "f64x2.convert_low_i32x4_u", V_V;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn encodings_and_names_are_unique_and_round_trip() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for &op in SimpleOp::ALL {
            assert!(codes.insert(op.encoding()), "duplicate encoding {:#x}", op.encoding());
            assert!(names.insert(op.name()), "duplicate name {}", op.name());
            assert_eq!(SimpleOp::from_encoding(op.encoding()), Some(op));
        }
        // 123 MVP numeric (0x45..=0xbf) + 5 sign-extension + 8 saturating + 198 SIMD ops without immediates.
        assert_eq!(SimpleOp::ALL.len(), 123 + 5 + 8 + 198);
    }

    #[test]
    fn features_follow_the_encoding() {
        assert_eq!(SimpleOp::I32Add.feature(), None);
        assert_eq!(SimpleOp::I64Extend32S.feature(), Some(CoreFeatures::SIGN_EXTENSION));
        assert_eq!(SimpleOp::I32TruncSatF64U.feature(), Some(CoreFeatures::SATURATING_FLOAT_TO_INT));
        assert_eq!(SimpleOp::F64x2Pmax.feature(), Some(CoreFeatures::SIMD));
        assert_eq!(SimpleOp::I8x16Shl.sig().params, &[ValType::V128, ValType::I32]);
    }
}
