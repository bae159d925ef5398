//! `Operator`: one decoded instruction. Instructions with immediates or special
//! typing get their own variant; the rest are [`SimpleOp`]s. Loads, stores and
//! lane instructions are table-driven too, so the validator and the lowering
//! each match a few dozen variants rather than five hundred.

// Opcode tables write `PREFIX | 0x00` so every row reads like the spec's opcode list.
#![allow(clippy::identity_op)]

use crate::error::{DecodeError, DecodeResult};
use crate::features::CoreFeatures;
use crate::reader::BinaryReader;
use crate::simple_ops::SimpleOp;
use crate::types::{BlockType, RefType, ValType};

/// The immediate of every memory instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemArg {
    /// Alignment hint as a power of two.
    pub align: u8,
    /// Static offset added to the dynamic address (at most `u32::MAX` for 32-bit memories, checked by the validator).
    pub offset: u64,
    /// Memory index (always 0 without multi-memory).
    pub memory: u32,
}

macro_rules! mem_ops {
    ($(#[$m:meta])* $enum:ident { $($name:ident = $code:expr, $text:literal, $natural:expr, $ty:ident;)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum $enum { $($name,)* }

        impl $enum {
            /// The spec's text name.
            pub fn name(self) -> &'static str { match self { $($enum::$name => $text,)* } }
            /// Natural alignment (log2 of the access size in bytes).
            pub fn natural_align(self) -> u8 { match self { $($enum::$name => $natural,)* } }
            /// The value type loaded or stored.
            pub fn val_type(self) -> ValType { match self { $($enum::$name => ValType::$ty,)* } }
            /// Binary encoding (prefix scheme of [`SimpleOp::encoding`]).
            pub const fn encoding(self) -> u32 { match self { $($enum::$name => $code,)* } }
            /// Every op, in opcode order (plain opcodes index into it directly).
            pub const ALL: &'static [$enum] = &[$($enum::$name,)*];
            fn from_encoding(code: u32) -> Option<Self> {
                Self::ALL.iter().copied().find(|op| op.encoding() == code)
            }
        }
    };
}

const FD: u32 = 0xfd << 16;

mem_ops! {
    /// A load: pops an i32 address, pushes `val_type()`.
    LoadOp {
        I32Load = 0x28, "i32.load", 2, I32;
        I64Load = 0x29, "i64.load", 3, I64;
        F32Load = 0x2a, "f32.load", 2, F32;
        F64Load = 0x2b, "f64.load", 3, F64;
        I32Load8S = 0x2c, "i32.load8_s", 0, I32;
        I32Load8U = 0x2d, "i32.load8_u", 0, I32;
        I32Load16S = 0x2e, "i32.load16_s", 1, I32;
        I32Load16U = 0x2f, "i32.load16_u", 1, I32;
        I64Load8S = 0x30, "i64.load8_s", 0, I64;
        I64Load8U = 0x31, "i64.load8_u", 0, I64;
        I64Load16S = 0x32, "i64.load16_s", 1, I64;
        I64Load16U = 0x33, "i64.load16_u", 1, I64;
        I64Load32S = 0x34, "i64.load32_s", 2, I64;
        I64Load32U = 0x35, "i64.load32_u", 2, I64;
        V128Load = FD | 0x00, "v128.load", 4, V128;
        V128Load8x8S = FD | 0x01, "v128.load8x8_s", 3, V128;
        V128Load8x8U = FD | 0x02, "v128.load8x8_u", 3, V128;
        V128Load16x4S = FD | 0x03, "v128.load16x4_s", 3, V128;
        V128Load16x4U = FD | 0x04, "v128.load16x4_u", 3, V128;
        V128Load32x2S = FD | 0x05, "v128.load32x2_s", 3, V128;
        V128Load32x2U = FD | 0x06, "v128.load32x2_u", 3, V128;
        V128Load8Splat = FD | 0x07, "v128.load8_splat", 0, V128;
        V128Load16Splat = FD | 0x08, "v128.load16_splat", 1, V128;
        V128Load32Splat = FD | 0x09, "v128.load32_splat", 2, V128;
        V128Load64Splat = FD | 0x0a, "v128.load64_splat", 3, V128;
        V128Load32Zero = FD | 0x5c, "v128.load32_zero", 2, V128;
        V128Load64Zero = FD | 0x5d, "v128.load64_zero", 3, V128;
    }
}

mem_ops! {
    /// A store: pops an i32 address and a `val_type()` value.
    StoreOp {
        I32Store = 0x36, "i32.store", 2, I32;
        I64Store = 0x37, "i64.store", 3, I64;
        F32Store = 0x38, "f32.store", 2, F32;
        F64Store = 0x39, "f64.store", 3, F64;
        I32Store8 = 0x3a, "i32.store8", 0, I32;
        I32Store16 = 0x3b, "i32.store16", 1, I32;
        I64Store8 = 0x3c, "i64.store8", 0, I64;
        I64Store16 = 0x3d, "i64.store16", 1, I64;
        I64Store32 = 0x3e, "i64.store32", 2, I64;
        V128Store = FD | 0x0b, "v128.store", 4, V128;
    }
}

mem_ops! {
    /// A SIMD lane load or store: `natural_align` is the lane width, `val_type` is v128.
    MemLaneOp {
        V128Load8Lane = FD | 0x54, "v128.load8_lane", 0, V128;
        V128Load16Lane = FD | 0x55, "v128.load16_lane", 1, V128;
        V128Load32Lane = FD | 0x56, "v128.load32_lane", 2, V128;
        V128Load64Lane = FD | 0x57, "v128.load64_lane", 3, V128;
        V128Store8Lane = FD | 0x58, "v128.store8_lane", 0, V128;
        V128Store16Lane = FD | 0x59, "v128.store16_lane", 1, V128;
        V128Store32Lane = FD | 0x5a, "v128.store32_lane", 2, V128;
        V128Store64Lane = FD | 0x5b, "v128.store64_lane", 3, V128;
    }
}

impl MemLaneOp {
    /// True for the store forms (they push nothing).
    pub fn is_store(self) -> bool {
        self.encoding() >= FD | 0x58
    }

    /// Number of lanes of the accessed width, bounding the lane immediate.
    pub fn lanes(self) -> u8 {
        16 >> self.natural_align()
    }
}

macro_rules! lane_ops {
    ($($name:ident = $code:expr, $text:literal, $lanes:expr, $scalar:ident, $replace:expr;)*) => {
        /// An `extract_lane`/`replace_lane` instruction.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum LaneOp { $($name,)* }

        impl LaneOp {
            /// The spec's text name.
            pub fn name(self) -> &'static str { match self { $(LaneOp::$name => $text,)* } }
            /// Lane count; the lane immediate must be below it.
            pub fn lanes(self) -> u8 { match self { $(LaneOp::$name => $lanes,)* } }
            /// The scalar type extracted or inserted.
            pub fn scalar(self) -> ValType { match self { $(LaneOp::$name => ValType::$scalar,)* } }
            /// True for `replace_lane` (pops v128 and a scalar, pushes v128).
            pub fn is_replace(self) -> bool { match self { $(LaneOp::$name => $replace,)* } }
            /// The SIMD subopcode.
            pub fn encoding(self) -> u32 { match self { $(LaneOp::$name => $code,)* } }
            fn from_encoding(code: u32) -> Option<Self> {
                match code { $(c if c == $code => Some(LaneOp::$name),)* _ => None }
            }
        }
    };
}

lane_ops! {
    I8x16ExtractLaneS = FD | 0x15, "i8x16.extract_lane_s", 16, I32, false;
    I8x16ExtractLaneU = FD | 0x16, "i8x16.extract_lane_u", 16, I32, false;
    I8x16ReplaceLane = FD | 0x17, "i8x16.replace_lane", 16, I32, true;
    I16x8ExtractLaneS = FD | 0x18, "i16x8.extract_lane_s", 8, I32, false;
    I16x8ExtractLaneU = FD | 0x19, "i16x8.extract_lane_u", 8, I32, false;
    I16x8ReplaceLane = FD | 0x1a, "i16x8.replace_lane", 8, I32, true;
    I32x4ExtractLane = FD | 0x1b, "i32x4.extract_lane", 4, I32, false;
    I32x4ReplaceLane = FD | 0x1c, "i32x4.replace_lane", 4, I32, true;
    I64x2ExtractLane = FD | 0x1d, "i64x2.extract_lane", 2, I64, false;
    I64x2ReplaceLane = FD | 0x1e, "i64x2.replace_lane", 2, I64, true;
    F32x4ExtractLane = FD | 0x1f, "f32x4.extract_lane", 4, F32, false;
    F32x4ReplaceLane = FD | 0x20, "f32x4.replace_lane", 4, F32, true;
    F64x2ExtractLane = FD | 0x21, "f64x2.extract_lane", 2, F64, false;
    F64x2ReplaceLane = FD | 0x22, "f64x2.replace_lane", 2, F64, true;
}

/// The labels of `br_table`, kept as their encoded bytes (the targets, then the
/// default; checked to decode when the operator was read) so `Operator` stays
/// three words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrTable<'a> {
    encoded: &'a [u8],
}

impl<'a> BrTable<'a> {
    fn labels(&self) -> impl Iterator<Item = u32> + 'a {
        let mut r = BinaryReader::new(self.encoded);
        std::iter::from_fn(move || if r.eof() { None } else { r.read_var_u32().ok() })
    }

    /// Number of labels besides the default (each LEB128 ends in a byte below 0x80).
    pub fn len(&self) -> usize {
        self.encoded.iter().filter(|&&b| b < 0x80).count() - 1
    }

    /// True if only the default label exists.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The default label.
    pub fn default(&self) -> u32 {
        self.labels().last().unwrap_or(0)
    }

    /// The labels, in order, without the default.
    pub fn targets(&self) -> impl Iterator<Item = u32> + 'a {
        let n = self.len();
        self.labels().take(n)
    }
}

/// One instruction.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum Operator<'a> {
    Unreachable,
    Nop,
    Block(BlockType),
    Loop(BlockType),
    If(BlockType),
    Else,
    End,
    Br(u32),
    BrIf(u32),
    BrTable(BrTable<'a>),
    Return,
    Call(u32),
    CallIndirect {
        type_index: u32,
        table: u32,
    },
    Drop,
    /// `select` without a type annotation (numeric and vector operands only).
    Select,
    /// `select t`.
    TypedSelect(ValType),
    /// `select` with a type list whose length is not 1: well formed, but the
    /// validator rejects it ("invalid result arity"), so it never reaches engines.
    TypedSelectArity(u32),
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    GlobalGet(u32),
    GlobalSet(u32),
    TableGet(u32),
    TableSet(u32),
    Load(LoadOp, MemArg),
    Store(StoreOp, MemArg),
    MemorySize(u32),
    MemoryGrow(u32),
    I32Const(i32),
    I64Const(i64),
    /// Raw bits, so NaN payloads survive.
    F32Const(u32),
    /// Raw bits, so NaN payloads survive.
    F64Const(u64),
    /// Little-endian bytes.
    V128Const([u8; 16]),
    Simple(SimpleOp),
    RefNull(RefType),
    RefIsNull,
    RefFunc(u32),
    MemoryInit {
        data: u32,
        memory: u32,
    },
    DataDrop(u32),
    MemoryCopy {
        dst: u32,
        src: u32,
    },
    MemoryFill(u32),
    TableInit {
        elem: u32,
        table: u32,
    },
    ElemDrop(u32),
    TableCopy {
        dst: u32,
        src: u32,
    },
    TableGrow(u32),
    TableSize(u32),
    TableFill(u32),
    I8x16Shuffle([u8; 16]),
    Lane(LaneOp, u8),
    MemLane(MemLaneOp, MemArg, u8),
}

/// Names of opcodes that belong to proposals after 2.0, for clear errors.
fn later_proposal_opcode(code: u32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        0x06..=0x0a | 0x18 | 0x19 | 0x1f => ("exception handling instruction", "exceptions"),
        0x12 => ("return_call", "tail-call"),
        0x13 => ("return_call_indirect", "tail-call"),
        0x14 | 0x15 | 0xd3..=0xd6 => ("typed function reference instruction", "function-references"),
        c if c >> 16 == 0xfb => ("GC instruction", "gc"),
        c if c >> 16 == 0xfe => ("atomic instruction", "threads"),
        c if (FD | 0x100..=FD | 0x113).contains(&c) => ("relaxed SIMD instruction", "relaxed-simd"),
        _ => return None,
    })
}

/// Reads the next instruction. `features` gate the 2.0 proposals; opcodes of
/// later proposals are rejected with a message naming the proposal.
#[inline]
pub fn read_operator<'a>(r: &mut BinaryReader<'a>, features: CoreFeatures) -> DecodeResult<Operator<'a>> {
    let at = r.offset();
    let op = r.read_u8()?;
    Ok(match op {
        0x00 => Operator::Unreachable,
        0x01 => Operator::Nop,
        0x02 => Operator::Block(read_block_type(r)?),
        0x03 => Operator::Loop(read_block_type(r)?),
        0x04 => Operator::If(read_block_type(r)?),
        0x05 => Operator::Else,
        0x0b => Operator::End,
        0x0c => Operator::Br(r.read_var_u32()?),
        0x0d => Operator::BrIf(r.read_var_u32()?),
        0x0e => {
            let count = r.read_count()?;
            let rest = r.remaining_bytes();
            let start = r.position();
            for _ in 0..count {
                r.read_var_u32()?;
            }
            r.read_var_u32()?;
            Operator::BrTable(BrTable { encoded: &rest[..r.position() - start] })
        }
        0x0f => Operator::Return,
        0x10 => Operator::Call(r.read_var_u32()?),
        0x11 => {
            let type_index = r.read_var_u32()?;
            let table = if features.contains(CoreFeatures::REFERENCE_TYPES) {
                r.read_var_u32()?
            } else {
                read_zero_byte(r)?;
                0
            };
            Operator::CallIndirect { type_index, table }
        }
        0x1a => Operator::Drop,
        0x1b => Operator::Select,
        0x1c => {
            let n = r.read_count()?;
            let mut first = None;
            for _ in 0..n {
                let t = r.read_val_type()?;
                first.get_or_insert(t);
            }
            match (n, first) {
                (1, Some(t)) => Operator::TypedSelect(t),
                _ => Operator::TypedSelectArity(n),
            }
        }
        0x20 => Operator::LocalGet(r.read_var_u32()?),
        0x21 => Operator::LocalSet(r.read_var_u32()?),
        0x22 => Operator::LocalTee(r.read_var_u32()?),
        0x23 => Operator::GlobalGet(r.read_var_u32()?),
        0x24 => Operator::GlobalSet(r.read_var_u32()?),
        0x25 => Operator::TableGet(r.read_var_u32()?),
        0x26 => Operator::TableSet(r.read_var_u32()?),
        // `ALL` lists the plain loads and stores in opcode order (checked by a test).
        0x28..=0x35 => Operator::Load(LoadOp::ALL[usize::from(op - 0x28)], read_memarg(r, features)?),
        0x36..=0x3e => Operator::Store(StoreOp::ALL[usize::from(op - 0x36)], read_memarg(r, features)?),
        0x3f => Operator::MemorySize(read_memidx(r, features)?),
        0x40 => Operator::MemoryGrow(read_memidx(r, features)?),
        0x41 => Operator::I32Const(r.read_var_i32()?),
        0x42 => Operator::I64Const(r.read_var_i64()?),
        0x43 => Operator::F32Const(r.read_f32_bits()?),
        0x44 => Operator::F64Const(r.read_f64_bits()?),
        0xd0 => Operator::RefNull(r.read_ref_type()?),
        0xd1 => Operator::RefIsNull,
        0xd2 => Operator::RefFunc(r.read_var_u32()?),
        0xfc => read_fc(r, at, features)?,
        0xfd => read_fd(r, at, features)?,
        _ => match SimpleOp::from_encoding(u32::from(op)) {
            Some(s) => Operator::Simple(s),
            None => return Err(illegal(at, u32::from(op))),
        },
    })
}

fn read_fc<'a>(r: &mut BinaryReader<'a>, at: usize, features: CoreFeatures) -> DecodeResult<Operator<'a>> {
    let sub = r.read_var_u32()?;
    Ok(match sub {
        0..=7 => match SimpleOp::from_encoding(0xfc << 16 | sub) {
            Some(s) => Operator::Simple(s),
            None => return Err(illegal(at, 0xfc << 16 | sub)),
        },
        8 => {
            let data = r.read_var_u32()?;
            Operator::MemoryInit { data, memory: read_memidx(r, features)? }
        }
        9 => Operator::DataDrop(r.read_var_u32()?),
        10 => {
            let dst = read_memidx(r, features)?;
            Operator::MemoryCopy { dst, src: read_memidx(r, features)? }
        }
        11 => Operator::MemoryFill(read_memidx(r, features)?),
        12 => {
            let elem = r.read_var_u32()?;
            Operator::TableInit { elem, table: r.read_var_u32()? }
        }
        13 => Operator::ElemDrop(r.read_var_u32()?),
        14 => {
            let dst = r.read_var_u32()?;
            Operator::TableCopy { dst, src: r.read_var_u32()? }
        }
        15 => Operator::TableGrow(r.read_var_u32()?),
        16 => Operator::TableSize(r.read_var_u32()?),
        17 => Operator::TableFill(r.read_var_u32()?),
        _ => return Err(illegal(at, 0xfc << 16 | sub)),
    })
}

fn read_fd<'a>(r: &mut BinaryReader<'a>, at: usize, features: CoreFeatures) -> DecodeResult<Operator<'a>> {
    let sub = r.read_var_u32()?;
    let code = FD | sub;
    if sub > 0xff {
        return Err(illegal(at, code));
    }
    if let Some(s) = SimpleOp::from_encoding(code) {
        return Ok(Operator::Simple(s));
    }
    if let Some(op) = LoadOp::from_encoding(code) {
        return Ok(Operator::Load(op, read_memarg(r, features)?));
    }
    if let Some(op) = StoreOp::from_encoding(code) {
        return Ok(Operator::Store(op, read_memarg(r, features)?));
    }
    if let Some(op) = LaneOp::from_encoding(code) {
        return Ok(Operator::Lane(op, r.read_u8()?));
    }
    if let Some(op) = MemLaneOp::from_encoding(code) {
        let memarg = read_memarg(r, features)?;
        return Ok(Operator::MemLane(op, memarg, r.read_u8()?));
    }
    Ok(match sub {
        0x0c => Operator::V128Const(read_16(r)?),
        0x0d => Operator::I8x16Shuffle(read_16(r)?),
        _ => return Err(illegal(at, code)),
    })
}

fn read_16(r: &mut BinaryReader<'_>) -> DecodeResult<[u8; 16]> {
    let b = r.read_bytes(16)?;
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    Ok(a)
}

/// The error for an opcode we do not know, naming the proposal where there is one.
#[cold]
fn illegal(at: usize, code: u32) -> DecodeError {
    let text = if code >> 16 != 0 {
        format!("{:#x} {:#x}", code >> 16, code & 0xffff)
    } else {
        format!("{code:#04x}")
    };
    match later_proposal_opcode(code) {
        Some((what, proposal)) => DecodeError::new(
            at,
            format!(
                "illegal opcode {text}: {what} of the {proposal} proposal, which zerowasm does not support"
            ),
        ),
        None => DecodeError::new(at, format!("illegal opcode {text}")),
    }
}

/// Reads a `blocktype`: empty, a value type, or a non-negative s33 type index.
pub fn read_block_type(r: &mut BinaryReader<'_>) -> DecodeResult<BlockType> {
    let b = r.peek_u8()?;
    if b == 0x40 {
        r.read_u8()?;
        return Ok(BlockType::Empty);
    }
    if let Some(t) = crate::reader::val_type_from_byte(b) {
        r.read_u8()?;
        return Ok(BlockType::Value(t));
    }
    let at = r.offset();
    let idx = r.read_var_s33()?;
    if idx < 0 {
        return Err(DecodeError::new(at, "malformed value type"));
    }
    u32::try_from(idx).map(BlockType::Func).map_err(|_| DecodeError::new(at, "integer too large"))
}

/// Reads a `memarg`. Most are two single bytes (flags below 32, so no memory
/// index, and an offset below 128), which every feature set decodes alike:
/// those skip the general path.
#[inline]
fn read_memarg(r: &mut BinaryReader<'_>, features: CoreFeatures) -> DecodeResult<MemArg> {
    if let Some([flags, offset]) = r.peek2()
        && flags < 32
        && offset < 0x80
    {
        r.bump(2);
        return Ok(MemArg { align: flags, offset: u64::from(offset), memory: 0 });
    }
    read_memarg_slow(r, features)
}

#[inline(never)]
fn read_memarg_slow(r: &mut BinaryReader<'_>, features: CoreFeatures) -> DecodeResult<MemArg> {
    let at = r.offset();
    let flags = r.read_var_u32()?;
    let memory =
        if flags & 0x40 != 0 && features.contains(CoreFeatures::MULTI_MEMORY) { Some(()) } else { None };
    let align = flags & !0x40;
    if align >= 32 || (memory.is_none() && flags >= 32) {
        return Err(DecodeError::new(at, "malformed memop flags"));
    }
    let memory = match memory {
        Some(()) => r.read_var_u32()?,
        None => 0,
    };
    // Up to 35 bits: a u32 encoding's length, with the value bounded by the
    // validator ("offset out of range") as memory64-aware decoders do.
    let offset =
        if features.contains(CoreFeatures::MEMORY64) { r.read_var_u64()? } else { r.read_var_u64_bytes(5)? };
    Ok(MemArg { align: align as u8, offset, memory })
}

fn read_memidx(r: &mut BinaryReader<'_>, features: CoreFeatures) -> DecodeResult<u32> {
    if features.contains(CoreFeatures::MULTI_MEMORY) {
        r.read_var_u32()
    } else {
        read_zero_byte(r).map(|_| 0)
    }
}

fn read_zero_byte(r: &mut BinaryReader<'_>) -> DecodeResult<()> {
    let at = r.offset();
    if r.read_u8()? != 0 {
        return Err(DecodeError::new(at, "zero byte expected"));
    }
    Ok(())
}

impl Operator<'_> {
    /// The spec's text name of the instruction, for messages and listings.
    pub fn name(&self) -> &'static str {
        match self {
            Operator::Unreachable => "unreachable",
            Operator::Nop => "nop",
            Operator::Block(_) => "block",
            Operator::Loop(_) => "loop",
            Operator::If(_) => "if",
            Operator::Else => "else",
            Operator::End => "end",
            Operator::Br(_) => "br",
            Operator::BrIf(_) => "br_if",
            Operator::BrTable(_) => "br_table",
            Operator::Return => "return",
            Operator::Call(_) => "call",
            Operator::CallIndirect { .. } => "call_indirect",
            Operator::Drop => "drop",
            Operator::Select | Operator::TypedSelect(_) | Operator::TypedSelectArity(_) => "select",
            Operator::LocalGet(_) => "local.get",
            Operator::LocalSet(_) => "local.set",
            Operator::LocalTee(_) => "local.tee",
            Operator::GlobalGet(_) => "global.get",
            Operator::GlobalSet(_) => "global.set",
            Operator::TableGet(_) => "table.get",
            Operator::TableSet(_) => "table.set",
            Operator::Load(op, _) => op.name(),
            Operator::Store(op, _) => op.name(),
            Operator::MemorySize(_) => "memory.size",
            Operator::MemoryGrow(_) => "memory.grow",
            Operator::I32Const(_) => "i32.const",
            Operator::I64Const(_) => "i64.const",
            Operator::F32Const(_) => "f32.const",
            Operator::F64Const(_) => "f64.const",
            Operator::V128Const(_) => "v128.const",
            Operator::Simple(op) => op.name(),
            Operator::RefNull(_) => "ref.null",
            Operator::RefIsNull => "ref.is_null",
            Operator::RefFunc(_) => "ref.func",
            Operator::MemoryInit { .. } => "memory.init",
            Operator::DataDrop(_) => "data.drop",
            Operator::MemoryCopy { .. } => "memory.copy",
            Operator::MemoryFill(_) => "memory.fill",
            Operator::TableInit { .. } => "table.init",
            Operator::ElemDrop(_) => "elem.drop",
            Operator::TableCopy { .. } => "table.copy",
            Operator::TableGrow(_) => "table.grow",
            Operator::TableSize(_) => "table.size",
            Operator::TableFill(_) => "table.fill",
            Operator::I8x16Shuffle(_) => "i8x16.shuffle",
            Operator::Lane(op, _) => op.name(),
            Operator::MemLane(op, _, _) => op.name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(bytes: &[u8]) -> Vec<Operator<'_>> {
        let mut r = BinaryReader::new(bytes);
        let mut v = Vec::new();
        while !r.eof() {
            v.push(read_operator(&mut r, CoreFeatures::V2).expect("decodes"));
        }
        v
    }

    #[test]
    fn decodes_immediates() {
        let v = ops(&[0x41, 0x7f, 0x28, 0x02, 0x10, 0xfd, 0x15, 0x03, 0xfc, 0x0a, 0x00, 0x00]);
        assert_eq!(v[0], Operator::I32Const(-1));
        assert_eq!(v[1], Operator::Load(LoadOp::I32Load, MemArg { align: 2, offset: 16, memory: 0 }));
        assert_eq!(v[2], Operator::Lane(LaneOp::I8x16ExtractLaneS, 3));
        assert_eq!(v[3], Operator::MemoryCopy { dst: 0, src: 0 });
    }

    #[test]
    fn memargs_off_the_one_byte_path() {
        let mm = CoreFeatures::V2.with(CoreFeatures::MULTI_MEMORY);
        fn read(b: &[u8], f: CoreFeatures) -> DecodeResult<Operator<'_>> {
            read_operator(&mut BinaryReader::new(b), f)
        }
        // Two-byte offset, memory index (multi-memory), and a body ending early.
        let load = |align, offset, memory| Operator::Load(LoadOp::I32Load, MemArg { align, offset, memory });
        assert_eq!(read(&[0x28, 0x02, 0x80, 0x01], CoreFeatures::V2).ok(), Some(load(2, 128, 0)));
        assert_eq!(read(&[0x28, 0x42, 0x01, 0x05], mm).ok(), Some(load(2, 5, 1)));
        assert_eq!(read(&[0x28, 0x82, 0x00, 0x05], mm).ok(), Some(load(2, 5, 0)));
        assert!(read(&[0x28, 0x02], CoreFeatures::V2).is_err());
        assert!(read(&[0x28, 0x42, 0x00, 0x00], CoreFeatures::V2).is_err());
    }

    #[test]
    fn plain_loads_and_stores_are_in_opcode_order() {
        for (i, op) in LoadOp::ALL[..14].iter().enumerate() {
            assert_eq!(op.encoding(), 0x28 + i as u32, "{}", op.name());
        }
        for (i, op) in StoreOp::ALL[..9].iter().enumerate() {
            assert_eq!(op.encoding(), 0x36 + i as u32, "{}", op.name());
        }
    }

    #[test]
    fn operator_stays_small() {
        // Every decoded instruction is moved through a Result; keep it three words.
        assert_eq!(std::mem::size_of::<Operator<'_>>(), 24);
        assert_eq!(std::mem::size_of::<DecodeResult<Operator<'_>>>(), 24);
    }

    #[test]
    fn br_table_targets() {
        let v = ops(&[0x0e, 0x02, 0x00, 0x01, 0x02]);
        let Operator::BrTable(t) = &v[0] else { panic!("not a br_table: {:?}", v[0]) };
        assert_eq!(t.targets().collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(t.len(), 2);
        assert_eq!(t.default(), 2);
    }

    #[test]
    fn errors_use_spec_wording_and_name_proposals() {
        let err = |b: &[u8]| {
            read_operator(&mut BinaryReader::new(b), CoreFeatures::V2)
                .expect_err("rejects")
                .message()
                .to_string()
        };
        assert_eq!(err(&[0x3f, 0x01]), "zero byte expected");
        assert_eq!(err(&[0x28, 0x20, 0x00]), "malformed memop flags");
        assert_eq!(err(&[0xff]), "illegal opcode 0xff");
        assert_eq!(
            err(&[0x12, 0x00]),
            "illegal opcode 0x12: return_call of the tail-call proposal, which zerowasm does not support"
        );
        assert!(err(&[0xfd, 0x80, 0x02]).contains("relaxed-simd"));
    }

    #[test]
    fn every_simd_subopcode_is_known_or_illegal() {
        // 236 SIMD instructions in 2.0; 0x9a, 0xa2, 0xa5, 0xa6, ... are unassigned.
        let mut known = 0;
        for sub in 0u32..=0xff {
            let mut bytes = vec![0xfd];
            let mut v = sub;
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    bytes.push(b);
                    break;
                }
                bytes.push(b | 0x80);
            }
            bytes.extend_from_slice(&[0; 18]);
            if read_operator(&mut BinaryReader::new(&bytes), CoreFeatures::V2).is_ok() {
                known += 1;
            }
        }
        assert_eq!(known, 236);
    }
}
